//! The canonical formatter behind `deft fmt`: pretty-prints the syntax tree and puts every comment
//! back where it was, relative to the code around it.
//!
//! The printer works from the AST, so layout is canonical whatever the input looked like; the
//! comments, which the AST does not hold, are re-attached by position (see `trivia`). The result is
//! checked before it is handed out: it must parse, give the same tree (spans aside) and hold the
//! same comments in the same order. A file that fails any of this is left as it is.
//!
//! Style: 4-space indent, one statement per line, `{` on the line that opens it, lists flat when
//! they fit in [`WIDTH`] columns and one element per line otherwise, one blank line between items
//! (runs of `use` or `const` keep the source's grouping), blank lines inside blocks collapsed to one.

mod exprs;
mod items;
mod printer;
mod stmts;
mod trivia;

use crate::diagnostic::Diagnostic;
use crate::span::FileId;
use crate::syntax::{self, Token, ast};

/// The column limit: a list that would pass it is written one element per line.
pub const WIDTH: usize = 100;

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file has syntax errors (these diagnostics); it is left untouched.
    Syntax(Vec<Diagnostic>),
    /// The formatter's output failed its own check (a bug in the formatter); the file is left untouched.
    Internal(String),
}

/// Format one file. `file` is only used for the spans of syntax diagnostics.
pub fn format(file: FileId, source: &str) -> Result<String, FormatError> {
    let (module, diags) = syntax::parse(file, source);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Syntax(diags));
    }
    let trivia = trivia::Trivia::new(source);
    let mut p = printer::Printer::new(&trivia);
    p.module(&module);
    let out = p.finish();
    verify(file, source, &module, &out)?;
    Ok(out)
}

/// The net under the printer: the output must mean what the input meant and keep its comments.
fn verify(file: FileId, source: &str, before: &ast::Module, out: &str) -> Result<(), FormatError> {
    let (after, diags) = syntax::parse(file, out);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(FormatError::Internal(format!("the formatted text does not parse: {}", d.message)));
    }
    if strip_spans(&format!("{before:?}")) != strip_spans(&format!("{after:?}")) {
        return Err(FormatError::Internal("the formatted text parses to a different program".to_string()));
    }
    if comment_texts(source) != comment_texts(out) {
        return Err(FormatError::Internal("the formatted text lost or reordered a comment".to_string()));
    }
    Ok(())
}

/// Every comment of a source, in order, without trailing blanks.
pub fn comment_texts(source: &str) -> Vec<String> {
    syntax::lex(source)
        .into_iter()
        .filter(|(tok, _)| *tok == Token::Comment)
        .map(|(_, r)| source[r].trim_end().to_string())
        .collect()
}

/// The `Debug` text of a tree with every `Span { .. }` removed, so two trees can be compared by shape.
fn strip_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span { file: ") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match rest.find('}') {
            Some(end) => rest = &rest[end + 1..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}
