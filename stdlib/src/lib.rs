//! The Deft standard library: the `std/*.skill` sources, compiled into every program, and the Rust
//! natives behind their `extern` items.

pub mod natives;

/// Every stdlib module as (module path, file path for diagnostics, source text).
pub const SOURCES: &[(&str, &str, &str)] = &[
    ("std::prelude", "<std>/prelude.skill", include_str!("../std/prelude.skill")),
    ("std::motion", "<std>/motion.skill", include_str!("../std/motion.skill")),
    ("std::math", "<std>/math.skill", include_str!("../std/math.skill")),
    ("std::geometry", "<std>/geometry.skill", include_str!("../std/geometry.skill")),
    ("std::fasten", "<std>/fasten.skill", include_str!("../std/fasten.skill")),
    ("std::vision", "<std>/vision.skill", include_str!("../std/vision.skill")),
];
