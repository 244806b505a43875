//! Reading a program from disk: a `.skill` file or a folder's `main.skill`, its sibling modules and
//! the standard library, into the compiler's in-memory `SourceSet`.

use deft_compiler::SourceSet;
use miette::Diagnostic;
use std::path::{Path, PathBuf};

/// An error of the CLI itself (a missing file, a bad flag value), as opposed to a diagnostic of the
/// program; rendered with miette.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl Diagnostic for CliError {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
}

impl CliError {
    pub fn new(message: impl Into<String>) -> CliError {
        CliError { message: message.into(), help: None }
    }

    pub fn help(mut self, help: impl Into<String>) -> CliError {
        self.help = Some(help.into());
        self
    }
}

/// Print a CLI error (not a diagnostic of the program) to stderr.
pub fn report(error: CliError) {
    eprintln!("{:?}", miette::Report::new(error));
}

/// A program on disk, loaded with its siblings and the stdlib.
pub struct Program {
    pub sources: SourceSet,
    /// The folder the program lives in (for the default `cell.toml`).
    pub dir: PathBuf,
}

/// The main file of a path: the file itself, or `main.skill` inside a folder.
pub fn main_file(path: &Path) -> Result<PathBuf, CliError> {
    if path.is_dir() {
        let main = path.join("main.skill");
        if main.is_file() {
            Ok(main)
        } else {
            Err(CliError::new(format!("{} has no main.skill", path.display()))
                .help("pass a .skill file, or a folder that holds a main.skill"))
        }
    } else if path.is_file() {
        Ok(path.to_path_buf())
    } else {
        Err(CliError::new(format!("{} does not exist", path.display())))
    }
}

/// Load a program: the main file, every other `.skill` file beside it (as modules named by file stem)
/// and the standard library.
pub fn load(path: &Path) -> Result<Program, CliError> {
    let main = main_file(path)?;
    let text = read(&main)?;
    let mut sources = SourceSet::new();
    sources.add_main(&display(&main), &text);
    let dir = main.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut siblings: Vec<PathBuf> = std::fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { &dir })
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "skill") && p.file_name() != main.file_name())
        .collect();
    siblings.sort();
    for sibling in siblings {
        let Some(stem) = sibling.file_stem().and_then(|s| s.to_str()) else { continue };
        let text = read(&sibling)?;
        sources.add(stem, &display(&sibling), &text);
    }
    for (module, file, text) in deft_stdlib::SOURCES {
        sources.add(module, file, text);
    }
    Ok(Program { sources, dir })
}

pub fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))
}

/// Paths as the user wrote them, with `/` separators, so diagnostics and snapshots are stable.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
