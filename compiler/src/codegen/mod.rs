//! Cranelift code generation: one module compiler generic over `cranelift_module::Module`, so the
//! in-memory JIT and the relocatable object share every line of translation.
//!
//! Every compiled function has the ABI signature of `runtime::abi::CompiledFn`; generated code
//! reaches the runtime only through the host table it receives, so it imports no symbol by name.

pub mod abi;
mod expr;
mod jit;
mod lists;
mod module;
mod object;
mod owned;
mod translate;

#[cfg(test)]
mod tests;

use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use std::fmt;

pub use jit::{JitModule, jit};
pub use object::{clif, object};

/// A failure inside code generation. Never the user's fault: the checker guarantees well-typed
/// IR, so any error here is a bug in deft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodegenError {
    pub message: String,
}

impl CodegenError {
    pub(crate) fn new(message: impl Into<String>) -> CodegenError {
        CodegenError { message: message.into() }
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "internal compiler error: {}; this is a bug in deft, please report it with the source that caused it",
            self.message
        )
    }
}

impl std::error::Error for CodegenError {}

/// The bytes of the `deft_manifest` data symbol: the JSON's length as a u64 little-endian, then
/// the JSON itself.
pub fn manifest_blob(json: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(8 + json.len());
    bytes.extend_from_slice(&(json.len() as u64).to_le_bytes());
    bytes.extend_from_slice(json.as_bytes());
    bytes
}

/// The host's instruction set with Deft's settings: optimised for speed, verifier on, and
/// position-independent code for objects that are linked into shared libraries.
fn native_isa(pic: bool) -> Result<OwnedTargetIsa, CodegenError> {
    let mut flags = settings::builder();
    let settings: [(&str, &str); 3] =
        [("opt_level", "speed"), ("is_pic", if pic { "true" } else { "false" }), ("use_colocated_libcalls", "false")];
    for (name, value) in settings {
        flags.set(name, value).map_err(|e| CodegenError::new(format!("setting {name}={value}: {e}")))?;
    }
    let isa = cranelift_native::builder().map_err(|e| CodegenError::new(format!("unsupported host machine: {e}")))?;
    isa.finish(settings::Flags::new(flags)).map_err(|e| CodegenError::new(format!("building the target ISA: {e}")))
}
