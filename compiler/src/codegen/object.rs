//! Ahead-of-time compilation: a position-independent relocatable object that exports every
//! function symbol and `deft_manifest`; the CLI links it into a shared library.

use super::module::compile_module;
use super::{CodegenError, native_isa};
use crate::manifest::Manifest;
use crate::tir;
use cranelift_module::default_libcall_names;
use cranelift_object::{ObjectBuilder, ObjectModule};

/// The object file bytes (ELF on Linux) of `program`.
pub fn object(program: &tir::Program, manifest: &Manifest) -> Result<Vec<u8>, CodegenError> {
    let mut module = object_module()?;
    compile_module(&mut module, program, manifest, None)?;
    module.finish().emit().map_err(|e| CodegenError::new(format!("writing the object file: {e}")))
}

/// The Cranelift IR of every function, as translated (before optimisation), for `--emit clif`
/// and for debugging codegen.
pub fn clif(program: &tir::Program, manifest: &Manifest) -> Result<String, CodegenError> {
    let mut module = object_module()?;
    let mut text = String::new();
    compile_module(&mut module, program, manifest, Some(&mut text))?;
    Ok(text)
}

fn object_module() -> Result<ObjectModule, CodegenError> {
    let isa = native_isa(true)?;
    let builder = ObjectBuilder::new(isa, "deft_module", default_libcall_names())
        .map_err(|e| CodegenError::new(format!("creating the object module: {e}")))?;
    Ok(ObjectModule::new(builder))
}
