//! The Rust implementations of the `extern` items of `std/*.skill`, registered under the keys the
//! checker prints (`std::prelude::move_linear(Arm,Pose,Speed)`).
//!
//! Arguments arrive as ABI slots: quantities as f64 bits in SI, everything else as heap handles.
//! Natives return a plain `Fault`; the runtime adds the skill stack.

mod cell;
mod geometry;
mod rotation;

use deft_runtime::natives::{NativeFn, Natives};

/// Each stdlib module with its natives; a module may have several tables.
const MODULES: &[(&str, &[Entry])] = &[
    ("std::prelude", cell::NATIVES),
    ("std::prelude", geometry::NATIVES),
    ("std::geometry", rotation::NATIVES),
    ("std::fasten", cell::FASTEN_NATIVES),
];

/// Every native of the standard library.
pub fn natives() -> Natives {
    let mut n = Natives::new();
    for (module, table) in MODULES {
        for (key, f) in *table {
            n.register(&format!("{module}::{key}"), *f);
        }
    }
    n
}

/// A native's key without its module prefix, and its implementation.
type Entry = (&'static str, NativeFn);

#[cfg(test)]
mod module_tests;
#[cfg(test)]
mod tests;
