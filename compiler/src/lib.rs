//! The Deft compiler: syntax, names, types and units, typed IR, Cranelift codegen, IDE analysis, formatter.
