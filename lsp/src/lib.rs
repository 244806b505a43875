//! The Deft language server: a thin shell over deft_compiler::analysis.
