//! Unit tests of the lexer and parser.

mod dump;
mod fuzz;
mod lines;
mod program;
mod recovery;
mod shapes;

use crate::diagnostic::Diagnostic;
use crate::span::FileId;
use crate::syntax::ast::Module;
use crate::syntax::parse;

/// Parse and require zero diagnostics, showing them if there are any.
fn parse_clean(source: &str) -> Module {
    let (module, diags) = parse(FileId(0), source);
    let shown: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {} at {:?}", d.code, d.message, d.primary_span().map(|s| s.range())))
        .collect();
    assert!(diags.is_empty(), "unexpected diagnostics: {shown:#?}");
    module
}

/// The diagnostics of a source, as `(code, message)`.
fn diagnostics(source: &str) -> Vec<Diagnostic> {
    parse(FileId(0), source).1
}

/// Dump the statements of a skill body made of `body`, one per line.
fn body(body: &str) -> Vec<String> {
    let module = parse_clean(&format!("skill t() {{\n{body}\n}}\n"));
    match &module.items[0].kind {
        crate::syntax::ast::ItemKind::Fn(f) => {
            f.body.as_ref().map_or(Vec::new(), |b| b.stmts.iter().map(dump::stmt).collect())
        }
        other => panic!("expected a skill, got {other:?}"),
    }
}

/// The dump of a single-statement body.
fn one(stmt: &str) -> String {
    let mut stmts = body(stmt);
    assert_eq!(stmts.len(), 1, "expected one statement in {stmt:?}, got {stmts:?}");
    stmts.remove(0)
}
