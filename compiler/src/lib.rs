//! The Deft compiler: `.skill` source → syntax tree → checked, typed IR → Cranelift native code.
//!
//! The compiler does no IO and never panics on user input: every stage returns its output together
//! with its diagnostics (see `docs/architecture.md`).

pub mod analysis;
pub mod codegen;
pub mod check;
pub mod diagnostic;
pub mod format;
pub mod explain;
mod hash;
pub mod manifest;
pub mod span;
pub mod syntax;
pub mod tir;
mod tir_display;
pub mod types;
pub mod world;

pub use hash::source_hash;
pub use diagnostic::{Diagnostic, Label, Severity};
pub use span::{FileId, Span};
pub use world::{SourceSet, World};

/// The compiler's version, recorded in every module manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
