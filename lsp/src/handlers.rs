//! What the server does for each request, over `deft_compiler::analysis`. Every function here is
//! plain and synchronous, so it can be tested without a client.

use crate::convert;
use deft_compiler::SourceSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use tower_lsp_server::ls_types::{self as lsp, Uri};

/// The diagnostics of a document: the document compiled as a main module with the stdlib. A panic in
/// the compiler becomes one diagnostic asking for a bug report instead of a dead server.
pub fn diagnostics(uri: &Uri, text: &str) -> Vec<lsp::Diagnostic> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut sources = SourceSet::new();
        let main = sources.add_main(uri.as_str(), text);
        for (module, file, text) in deft_stdlib::SOURCES {
            sources.add(module, file, text);
        }
        deft_compiler::analysis::diagnostics(&sources)
            .iter()
            .filter(|d| d.primary_span().is_some_and(|s| s.file == main))
            .map(|d| convert::diagnostic(d, uri, text))
            .collect()
    }));
    result.unwrap_or_else(|_| {
        vec![lsp::Diagnostic {
            message: "internal compiler error while checking this file; please report it with the file".to_string(),
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            source: Some("deft".to_string()),
            ..Default::default()
        }]
    })
}

/// Apply LSP content changes (full or incremental) to a text.
pub fn apply_changes(text: &mut String, changes: Vec<lsp::TextDocumentContentChangeEvent>) {
    for change in changes {
        match change.range {
            Some(range) => {
                let start = convert::offset(text, range.start);
                let end = convert::offset(text, range.end).max(start);
                text.replace_range(start..end, &change.text);
            }
            None => *text = change.text,
        }
    }
}
