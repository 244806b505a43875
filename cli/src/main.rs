//! The deft command line.

fn main() {}
