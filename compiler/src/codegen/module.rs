//! The module compiler: declares every function and the manifest symbol in any
//! `cranelift_module::Module` (JIT or object) and defines them with the function translator.

use super::CodegenError;
use super::abi::{MANIFEST_SYMBOL, compiled_fn_signature};
use super::translate::FnTranslator;
use crate::manifest::Manifest;
use crate::tir;
use cranelift_codegen::ir::UserFuncName;
use cranelift_frontend::FunctionBuilderContext;
use cranelift_module::{DataDescription, FuncId, Linkage, Module};

/// Declares and defines every function of `program` (exported under the manifest's symbols) and
/// the `deft_manifest` data symbol. Returns each function's symbol and id, in program order.
/// With `listing`, the Cranelift IR of every function (before optimisation) is appended to it.
pub(crate) fn compile_module<M: Module>(
    module: &mut M,
    program: &tir::Program,
    manifest: &Manifest,
    mut listing: Option<&mut String>,
) -> Result<Vec<(String, FuncId)>, CodegenError> {
    if manifest.functions.len() != program.functions.len() {
        return Err(CodegenError::new(format!(
            "the manifest lists {} functions but the program has {}",
            manifest.functions.len(),
            program.functions.len()
        )));
    }
    let sig = compiled_fn_signature(module.isa().default_call_conv(), module.target_config().pointer_type());
    let mut ids = Vec::with_capacity(program.functions.len());
    for entry in &manifest.functions {
        let id = module
            .declare_function(&entry.symbol, Linkage::Export, &sig)
            .map_err(|e| CodegenError::new(format!("declaring `{}`: {e}", entry.symbol)))?;
        ids.push(id);
    }

    let mut ctx = module.make_context();
    let mut fctx = FunctionBuilderContext::new();
    for (index, function) in program.functions.iter().enumerate() {
        let id = ids[index];
        ctx.func.signature = sig.clone();
        ctx.func.name = UserFuncName::user(0, id.as_u32());
        FnTranslator::translate(module, program, &ids, index, function, &mut ctx.func, &mut fctx)?;
        if let Some(out) = listing.as_deref_mut() {
            out.push_str(&format!(
                "; {} ({})\n{}\n",
                function.name,
                manifest.functions[index].symbol,
                ctx.func.display()
            ));
        }
        module
            .define_function(id, &mut ctx)
            .map_err(|e| CodegenError::new(format!("compiling `{}`: {}", function.name, describe_module_error(&e))))?;
        module.clear_context(&mut ctx);
    }

    let data = module
        .declare_data(MANIFEST_SYMBOL, Linkage::Export, false, false)
        .map_err(|e| CodegenError::new(format!("declaring the manifest: {e}")))?;
    let mut desc = DataDescription::new();
    desc.define(super::manifest_blob(&manifest.to_json()).into_boxed_slice());
    desc.set_align(8);
    module.define_data(data, &desc).map_err(|e| CodegenError::new(format!("defining the manifest: {e}")))?;

    Ok(manifest.functions.iter().map(|f| f.symbol.clone()).zip(ids).collect())
}

/// A verifier error's Display is only its summary; the details are in the error's source chain.
fn describe_module_error(e: &cranelift_module::ModuleError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
