//! The Deft compiler: `.skill` source → syntax tree → checked, typed IR → Cranelift native code.
//!
//! The compiler does no IO and never panics on user input: every stage returns its output together
//! with its diagnostics (see `docs/architecture.md`).

pub mod analysis;
pub mod check;
pub mod codegen;
pub mod diagnostic;
pub mod explain;
pub mod format;
mod hash;
pub mod manifest;
pub mod span;
pub mod syntax;
pub mod tir;
mod tir_display;
pub mod types;
pub mod world;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use hash::source_hash;
pub use span::{FileId, Span};
pub use world::{SourceSet, World};

/// The compiler's version, recorded in every module manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
