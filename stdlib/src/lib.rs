//! The Deft standard library: the `std/*.skill` sources, compiled into every program, and the Rust
//! natives behind their `extern` items.

pub mod natives;

/// Every stdlib module as (module path, file path for diagnostics, source text).
pub const SOURCES: &[(&str, &str, &str)] = &[
    ("std::prelude", "<std>/prelude.skill", include_str!("../std/prelude.skill")),
    ("std::motion", "<std>/motion.skill", include_str!("../std/motion.skill")),
];
