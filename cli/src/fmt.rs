//! `deft fmt`: rewrite `.skill` files in the canonical style, or with `--check` list the files that
//! would change. Exit 0 when nothing is (or would be) left to change, 1 when `--check` finds files
//! to change or a file has syntax errors (it is left untouched), 2 on IO errors.

use crate::program::{CliError, display, read, report};
use crate::render;
use deft_compiler::SourceSet;
use deft_compiler::format::{FormatError, format};
use std::path::{Path, PathBuf};

pub fn fmt(paths: &[PathBuf], check: bool) -> u8 {
    let mut files = Vec::new();
    let mut io_error = false;
    for path in paths {
        match collect(path, &mut files) {
            Ok(()) => {}
            Err(e) => {
                report(e);
                io_error = true;
            }
        }
    }
    let mut failed = false;
    for file in &files {
        match fmt_file(file, check) {
            Ok(changed) => {
                if changed && check {
                    println!("{}", display(file));
                    failed = true;
                }
            }
            Err(FileError::Io(e)) => {
                report(e);
                io_error = true;
            }
            Err(FileError::Failed) => failed = true,
        }
    }
    if io_error { 2 } else { u8::from(failed) }
}

enum FileError {
    Io(CliError),
    /// Syntax errors or a formatter failure, already reported.
    Failed,
}

/// Format one file; returns whether its text changes (or, with `check`, would).
fn fmt_file(path: &Path, check: bool) -> Result<bool, FileError> {
    let text = read(path).map_err(FileError::Io)?;
    let mut sources = SourceSet::new();
    let file = sources.add_main(&display(path), &text);
    match format(file, &text) {
        Ok(out) if out == text => Ok(false),
        Ok(out) => {
            if !check {
                std::fs::write(path, out)
                    .map_err(|e| FileError::Io(CliError::new(format!("cannot write {}: {e}", path.display()))))?;
            }
            Ok(true)
        }
        Err(FormatError::Syntax(diags)) => {
            eprint!("{}", render::human(&sources, &diags, render::stderr_color()));
            eprintln!("{}: not formatted, it has syntax errors", display(path));
            Err(FileError::Failed)
        }
        Err(FormatError::Internal(why)) => {
            eprintln!("{}: not formatted: {why} (a bug in deft fmt; please report it)", display(path));
            Err(FileError::Failed)
        }
    }
}

/// A file as is, or every `.skill` file under a folder, recursively, in sorted order.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), CliError> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if !path.is_dir() {
        return Err(CliError::new(format!("{} does not exist", path.display())));
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, out)?;
        } else if entry.extension().is_some_and(|e| e == "skill") {
            out.push(entry);
        }
    }
    Ok(())
}
