//! In-memory compilation: the module compiled into executable memory of this process.

use super::module::compile_module;
use super::{CodegenError, native_isa};
use crate::manifest::Manifest;
use crate::tir;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::default_libcall_names;
use std::collections::HashMap;

/// A JIT-compiled module. Its function pointers stay valid as long as it lives.
pub struct JitModule {
    /// `None` only while dropping.
    module: Option<JITModule>,
    functions: HashMap<String, *const u8>,
    manifest_json: String,
}

impl std::fmt::Debug for JitModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JitModule").field("functions", &self.functions.len()).finish_non_exhaustive()
    }
}

impl JitModule {
    /// The entry point of the function with manifest symbol `symbol`; call it as
    /// `runtime::abi::CompiledFn` while `self` is alive.
    pub fn function(&self, symbol: &str) -> Option<*const u8> {
        self.functions.get(symbol).copied()
    }

    /// Every function symbol of the module, sorted.
    pub fn symbols(&self) -> Vec<String> {
        let mut symbols: Vec<String> = self.functions.keys().cloned().collect();
        symbols.sort();
        symbols
    }

    /// The manifest this module was compiled with, as embedded in an object's `deft_manifest`.
    pub fn manifest_json(&self) -> &str {
        &self.manifest_json
    }
}

// SAFETY: after `finalize_definitions` the module is never mutated until `Drop`, which has
// exclusive access; the function table and manifest are immutable, and finalized code is
// read-only executable memory that any thread may call into.
unsafe impl Send for JitModule {}
// SAFETY: as above: `&self` only reads the immutable table and manifest.
unsafe impl Sync for JitModule {}

impl Drop for JitModule {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: the pointers handed out by `function` are documented to be valid only while
            // this module lives, and nothing else refers to its memory.
            unsafe { module.free_memory() };
        }
    }
}

/// Compiles `program` into executable memory.
pub fn jit(program: &tir::Program, manifest: &Manifest) -> Result<JitModule, CodegenError> {
    let isa = native_isa(false)?;
    let mut module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
    let ids = compile_module(&mut module, program, manifest, None)?;
    module.finalize_definitions().map_err(|e| CodegenError::new(format!("finalizing the JIT module: {e}")))?;
    let functions = ids.into_iter().map(|(symbol, id)| (symbol, module.get_finalized_function(id))).collect();
    Ok(JitModule { module: Some(module), functions, manifest_json: manifest.to_json() })
}
