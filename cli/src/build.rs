//! `deft build`: compile a program to a native skill module (`.so`), linked with the system `cc`.

use crate::program::{self, CliError, report};
use crate::render;
use deft_compiler::manifest::Manifest;
use deft_compiler::tir;
use std::path::Path;
use std::process::Command;

/// A checked program and its manifest, ready for code generation.
pub struct Compiled {
    pub program: tir::Program,
    pub manifest: Manifest,
    pub dir: std::path::PathBuf,
}

/// Load and check a program, printing its diagnostics; `Err` carries the exit code (2: IO, 1: errors).
pub fn compile(path: &Path, errors_exit: u8) -> Result<Compiled, u8> {
    let loaded = program::load(path).map_err(|e| {
        report(e);
        2
    })?;
    let checked = deft_compiler::check::check(&loaded.sources);
    if !checked.diagnostics.is_empty() {
        eprint!("{}", render::human(&loaded.sources, &checked.diagnostics, render::stderr_color()));
    }
    let Some(program) = checked.program else {
        return Err(errors_exit);
    };
    let hash = deft_compiler::source_hash(&loaded.sources);
    let mut manifest = deft_compiler::manifest::manifest(&program, &hash);
    // Recorded so that a trace of this module can be replayed from source (`deft replay`).
    manifest.source_path = program::main_file(path).ok().map(|p| program::display(&p));
    Ok(Compiled { program, manifest, dir: loaded.dir })
}

pub fn build(path: &Path, output: &Path) -> u8 {
    let compiled = match compile(path, 1) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let object = match deft_compiler::codegen::object(&compiled.program, &compiled.manifest) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    match link(&object, output) {
        Ok(()) => 0,
        Err(e) => {
            report(e);
            2
        }
    }
}

/// Link a relocatable object into a shared library with the system C compiler (`$CC`, else `cc`).
pub fn link(object: &[u8], output: &Path) -> Result<(), CliError> {
    let obj_path = output.with_extension("o");
    std::fs::write(&obj_path, object)
        .map_err(|e| CliError::new(format!("cannot write {}: {e}", obj_path.display())))?;
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let result = Command::new(&cc).arg("-shared").arg("-o").arg(output).arg(&obj_path).output();
    let _ = std::fs::remove_file(&obj_path);
    match result {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(CliError::new(format!(
            "linking {} failed:\n{}",
            output.display(),
            String::from_utf8_lossy(&out.stderr)
        ))),
        Err(e) => Err(CliError::new(format!("cannot run the linker `{cc}`: {e}"))
            .help("deft build links with the system C compiler; install gcc or set CC")),
    }
}
