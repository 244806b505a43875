//! The one place where compiler diagnostics and positions become LSP ones. LSP columns count UTF-16
//! code units, compiler spans count bytes.

use deft_compiler::{Diagnostic, Severity};
use tower_lsp_server::ls_types::{self as lsp, DiagnosticRelatedInformation, Location, NumberOrString, Position, Range, Uri};

/// The LSP position of a byte offset.
pub fn position(text: &str, offset: usize) -> Position {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    Position { line: line as u32, character: character as u32 }
}

/// The byte offset of an LSP position (clamped to the text).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0u32;
    for (i, c) in text[line_start..].char_indices() {
        if units >= pos.character || c == '\n' {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

pub fn span_range(text: &str, start: usize, end: usize) -> Range {
    Range { start: position(text, start), end: position(text, end) }
}

/// Convert a diagnostic whose primary span is in the document `uri` with `text`. Secondary labels
/// become related information.
pub fn diagnostic(d: &Diagnostic, uri: &Uri, text: &str) -> lsp::Diagnostic {
    let span = d.primary_span();
    let range = span.map_or(Range::default(), |s| span_range(text, s.start as usize, s.end as usize));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| !l.primary && !l.message.is_empty() && Some(l.span.file) == span.map(|s| s.file))
        .map(|l| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: span_range(text, l.span.start as usize, l.span.end as usize) },
            message: l.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("deft".to_string()),
        message,
        related_information: if related.is_empty() { None } else { Some(related) },
        ..Default::default()
    }
}
