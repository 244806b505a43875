//! The IDE API: what the language server asks of the compiler. An [`Analysis`] is one checked
//! snapshot of a program (its files, syntax trees, checker references and diagnostics); its methods
//! answer editor questions with plain data (byte offsets and spans), so they can be tested without an
//! editor. Only `deft-lsp` turns the answers into LSP types.
//!
//! Code map: `index` lists the declarations of every file from its syntax tree; `occurrences` joins
//! them with the checker's resolved names into "this span names that declaration", the basis of
//! `navigate` (hover, definition, references, rename); `complete` does completion and signature
//! help; `highlight` semantic tokens and inlay hints; `fixes` code actions; `walk` visits trees.

mod complete;
mod fixes;
mod highlight;
mod index;
mod navigate;
mod occurrences;
mod scope;
mod walk;

#[cfg(test)]
mod tests;

pub use complete::{Completion, CompletionKind, SignatureHelp};
pub use fixes::Fix;
pub use highlight::{InlayHint, SemanticToken, TokenKind};
pub use index::{Symbol, SymbolKind};
pub use navigate::Hover;

use crate::check::{self, Reference};
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use crate::syntax::{self, ast};
use crate::tir;
use crate::world::World;

/// Every diagnostic of the program: syntax, names, types and units.
pub fn diagnostics(world: &dyn World) -> Vec<Diagnostic> {
    check::check(world).diagnostics
}

/// The file of a module path, by the module naming of the language server's `SourceSet`s
/// (`std::motion` is `<std>/motion.skill`, `fixtures` a sibling `fixtures.skill`).
pub(crate) fn module_file(files: &[FileData], path: &[&str]) -> Option<FileId> {
    let stem = match path {
        ["std", name] => format!("<std>/{name}.skill"),
        [name] => format!("{name}.skill"),
        _ => return None,
    };
    let suffix = format!("/{stem}");
    files.iter().position(|f| f.path == stem || f.path.ends_with(&suffix)).map(|i| FileId(i as u32))
}

/// Parse every file; the index of a file in the list is its `FileId`.
fn parse_all(sources: Vec<(String, String)>) -> Vec<FileData> {
    sources
        .into_iter()
        .enumerate()
        .map(|(i, (path, text))| {
            let (ast, _) = syntax::parse(FileId(i as u32), &text);
            FileData { path, text, ast }
        })
        .collect()
}

/// One file as the analysis saw it.
#[derive(Debug)]
pub(crate) struct FileData {
    pub path: String,
    pub text: String,
    pub ast: ast::Module,
}

/// One checked snapshot of a program, built by [`Analysis::new`]; every question about it is a
/// method taking a file and a byte offset.
#[derive(Debug)]
pub struct Analysis {
    files: Vec<FileData>,
    main: FileId,
    diagnostics: Vec<Diagnostic>,
    references: Vec<Reference>,
    program: Option<tir::Program>,
    index: index::Index,
    occurrences: occurrences::Occurrences,
}

impl Analysis {
    /// Check the world's main module (and what it reaches) and index every file of the world. The
    /// world must number its files `0..n`, as [`crate::SourceSet`] does.
    pub fn new(world: &dyn World) -> Analysis {
        let sources: Vec<(String, String)> =
            world.files().into_iter().map(|f| (world.path(f).to_string(), world.source(f).to_string())).collect();
        // The checker parses too but keeps its trees to itself; parsing again on a second thread
        // while it runs hides most of the cost.
        let (checked, files) = std::thread::scope(|scope| {
            let parsing = scope.spawn(|| parse_all(sources));
            let checked = check::check(world);
            (checked, parsing.join())
        });
        let files = match files {
            Ok(files) => files,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let index = index::Index::new(&files);
        let occurrences = occurrences::Occurrences::new(&files, &index, &checked.references);
        Analysis {
            files,
            main: world.main(),
            diagnostics: checked.diagnostics,
            references: checked.references,
            program: checked.program,
            index,
            occurrences,
        }
    }

    /// Every diagnostic of the check, in every file.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The main module of the snapshot.
    pub fn main(&self) -> FileId {
        self.main
    }

    /// The display path of a file (what the world called it).
    pub fn path(&self, file: FileId) -> &str {
        self.file(file).map_or("", |f| f.path.as_str())
    }

    /// The text of a file as it was analysed.
    pub fn text(&self, file: FileId) -> &str {
        self.file(file).map_or("", |f| f.text.as_str())
    }

    /// The file with this display path.
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(|i| FileId(i as u32))
    }

    /// The files the main module reaches through `use`, itself included: the ones the check covered.
    pub fn reached_files(&self) -> Vec<FileId> {
        let mut reached = vec![self.main];
        let mut i = 0;
        while let Some(&file) = reached.get(i) {
            i += 1;
            let Some(data) = self.file(file) else { continue };
            for item in &data.ast.items {
                if let ast::ItemKind::Use(u) = &item.kind {
                    for target in self.use_targets(u) {
                        if !reached.contains(&target) {
                            reached.push(target);
                        }
                    }
                }
            }
        }
        reached
    }

    /// The files a `use` may name: `use std::motion` or `use fixtures` (the path or its prefix,
    /// since `use std::motion::{pick}` has its items in `names` but `use std::motion::pick` not).
    fn use_targets(&self, u: &ast::UseItem) -> Vec<FileId> {
        let path: Vec<&str> = u.path.iter().map(|i| i.name.as_str()).collect();
        (1..=path.len()).rev().filter_map(|n| self.module_file(&path[..n])).take(1).collect()
    }

    /// The file of a module path (see [`module_file`]).
    pub(crate) fn module_file(&self, path: &[&str]) -> Option<FileId> {
        module_file(&self.files, path)
    }

    pub(crate) fn file(&self, file: FileId) -> Option<&FileData> {
        self.files.get(file.0 as usize)
    }

    /// Whether a span lies in a standard-library file (read-only for rename).
    pub fn is_std(&self, file: FileId) -> bool {
        self.path(file).starts_with("<std>/")
    }

    /// The effects (cell handles commanded) of a function of the checked program, by its TIR name.
    pub(crate) fn effects(&self, name: &str) -> Option<&[String]> {
        let program = self.program.as_ref()?;
        program.functions.iter().find(|f| f.name == name).map(|f| f.effects.as_slice())
    }

    /// The checker's resolved names, for tests and tools.
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// The declarations of one file, in source order (the outline).
    pub fn document_symbols(&self, file: FileId) -> Vec<&Symbol> {
        self.index.symbols.iter().filter(|s| s.name_span.file == file).collect()
    }

    /// Declarations of every non-stdlib file whose name contains `query` (case-insensitive).
    pub fn workspace_symbols(&self, query: &str) -> Vec<&Symbol> {
        let query = query.to_lowercase();
        self.index
            .symbols
            .iter()
            .filter(|s| !self.is_std(s.name_span.file) && s.kind != SymbolKind::Param)
            .filter(|s| s.name.to_lowercase().contains(&query))
            .collect()
    }

    pub(crate) fn span_text(&self, span: Span) -> &str {
        self.text(span.file).get(span.range()).unwrap_or("")
    }
}
