//! The Rust implementations of the `extern` items of `std/prelude.skill`, registered under the
//! keys the checker prints (`std::prelude::move_linear(Arm,Pose,Speed)`).
//!
//! Arguments arrive as ABI slots: quantities as f64 bits in SI, everything else as heap handles.
//! Natives return a plain `Fault`; the runtime adds the skill stack.

mod cell;
mod geometry;

use deft_runtime::natives::{NativeFn, Natives};

/// Every native of the standard library.
pub fn natives() -> Natives {
    let mut n = Natives::new();
    for (key, f) in cell::NATIVES.iter().chain(geometry::NATIVES) {
        n.register(&format!("std::prelude::{key}"), *f);
    }
    n
}

/// A native's key without the `std::prelude::` prefix, and its implementation.
type Entry = (&'static str, NativeFn);

#[cfg(test)]
mod tests;
