//! The Deft standard library: std/*.skill sources and the Rust natives behind their extern items.
