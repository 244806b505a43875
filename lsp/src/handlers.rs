//! What the server does for each request, over `deft_compiler::analysis`. Every function here is
//! plain and synchronous over a [`Snapshot`], so it can be tested without a client; [`guard`] keeps
//! a panic in any of them from taking the server down.

use crate::convert::{self, position, span_range};
use crate::workspace::Snapshot;
use deft_compiler::analysis::{Analysis, SymbolKind};
use deft_compiler::{FileId, Span};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use tower_lsp_server::ls_types::{self as lsp, Uri};

/// Run a handler; a panic is logged to stderr and answered with `fallback`.
pub fn guard<T>(what: &str, fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        eprintln!("deft lsp: internal error while answering {what}; please report it with the file");
        fallback
    })
}

/// The analysis covering a document, its file and the byte offset of an LSP position in it.
fn at<'a>(snap: &'a Snapshot, uri: &Uri, pos: lsp::Position) -> Option<(&'a Analysis, FileId, usize)> {
    let (a, file) = snap.locate(uri)?;
    Some((a, file, convert::offset(a.text(file), pos)))
}

fn location(snap: &Snapshot, a: &Analysis, span: Span) -> Option<lsp::Location> {
    let uri = snap.uri(a, span.file)?;
    Some(lsp::Location { uri, range: span_range(a.text(span.file), span.start as usize, span.end as usize) })
}

/// The diagnostics of every program file of the folder, by document.
pub fn diagnostics(snap: &Snapshot) -> Vec<(Uri, Vec<lsp::Diagnostic>)> {
    snap.covered_files()
        .into_iter()
        .filter_map(|(a, file)| {
            let uri = snap.uri(a, file)?;
            let text = a.text(file);
            let diags = a
                .diagnostics()
                .iter()
                .filter(|d| d.primary_span().is_some_and(|s| s.file == file))
                .map(|d| convert::diagnostic(d, &uri, text))
                .collect();
            Some((uri, diags))
        })
        .collect()
}

pub fn hover(snap: &Snapshot, uri: &Uri, pos: lsp::Position) -> Option<lsp::Hover> {
    let (a, file, offset) = at(snap, uri, pos)?;
    let h = a.hover(file, offset)?;
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value: h.markdown }),
        range: Some(span_range(a.text(file), h.span.start as usize, h.span.end as usize)),
    })
}

pub fn definition(snap: &Snapshot, uri: &Uri, pos: lsp::Position) -> Option<lsp::GotoDefinitionResponse> {
    let (a, file, offset) = at(snap, uri, pos)?;
    location(snap, a, a.definition(file, offset)?).map(lsp::GotoDefinitionResponse::Scalar)
}

pub fn references(snap: &Snapshot, uri: &Uri, pos: lsp::Position, include_declaration: bool) -> Vec<lsp::Location> {
    let Some((a, file, offset)) = at(snap, uri, pos) else { return Vec::new() };
    let declaration = a.definition(file, offset);
    a.references_at(file, offset)
        .into_iter()
        .filter(|s| include_declaration || Some(*s) != declaration)
        .filter_map(|s| location(snap, a, s))
        .collect()
}

pub fn prepare_rename(
    snap: &Snapshot,
    uri: &Uri,
    pos: lsp::Position,
) -> Result<Option<lsp::PrepareRenameResponse>, String> {
    let Some((a, file, offset)) = at(snap, uri, pos) else { return Ok(None) };
    let span = a.prepare_rename(file, offset)?;
    Ok(Some(lsp::PrepareRenameResponse::Range(span_range(a.text(file), span.start as usize, span.end as usize))))
}

pub fn rename(
    snap: &Snapshot,
    uri: &Uri,
    pos: lsp::Position,
    new_name: &str,
) -> Result<Option<lsp::WorkspaceEdit>, String> {
    let Some((a, file, offset)) = at(snap, uri, pos) else { return Ok(None) };
    let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for span in a.rename(file, offset, new_name)? {
        let Some(loc) = location(snap, a, span) else { continue };
        changes.entry(loc.uri).or_default().push(lsp::TextEdit { range: loc.range, new_text: new_name.to_string() });
    }
    Ok(Some(lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() }))
}

pub fn completion(snap: &Snapshot, uri: &Uri, pos: lsp::Position) -> Vec<lsp::CompletionItem> {
    let Some((a, file, offset)) = at(snap, uri, pos) else { return Vec::new() };
    a.completions(file, offset)
        .into_iter()
        .map(|c| lsp::CompletionItem {
            kind: Some(convert::completion_kind(c.kind)),
            detail: c.detail,
            insert_text: c.insert,
            label: c.label,
            ..Default::default()
        })
        .collect()
}

pub fn signature_help(snap: &Snapshot, uri: &Uri, pos: lsp::Position) -> Option<lsp::SignatureHelp> {
    let (a, file, offset) = at(snap, uri, pos)?;
    let s = a.signature_help(file, offset)?;
    let mut from = 0;
    let parameters = s
        .params
        .iter()
        .map(|p| {
            // Offsets into the label, in UTF-16 units, found left to right so repeated texts differ.
            let at = s.label[from..].find(p.as_str()).map_or(from, |i| from + i);
            from = at + p.len();
            let units = |b: usize| s.label[..b].encode_utf16().count() as u32;
            lsp::ParameterInformation {
                label: lsp::ParameterLabel::LabelOffsets([units(at), units(from)]),
                documentation: None,
            }
        })
        .collect();
    let documentation = s
        .doc
        .map(|d| lsp::Documentation::MarkupContent(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value: d }));
    Some(lsp::SignatureHelp {
        signatures: vec![lsp::SignatureInformation {
            label: s.label,
            documentation,
            parameters: Some(parameters),
            active_parameter: Some(s.active as u32),
        }],
        active_signature: Some(0),
        active_parameter: Some(s.active as u32),
    })
}

#[expect(deprecated, reason = "DocumentSymbol has a deprecated field that must still be written")]
pub fn document_symbols(snap: &Snapshot, uri: &Uri) -> Vec<lsp::DocumentSymbol> {
    let Some((a, file)) = snap.locate(uri) else { return Vec::new() };
    let text = a.text(file);
    let symbol = |s: &deft_compiler::analysis::Symbol| lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: Some(s.detail.clone()),
        kind: convert::symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: span_range(text, s.span.start as usize, s.span.end.max(s.name_span.end) as usize),
        selection_range: span_range(text, s.name_span.start as usize, s.name_span.end as usize),
        children: None,
    };
    let mut out: Vec<lsp::DocumentSymbol> = Vec::new();
    for s in a.document_symbols(file) {
        match s.kind {
            SymbolKind::Param => {}
            SymbolKind::Field | SymbolKind::Variant if !out.is_empty() => {
                if let Some(parent) = out.last_mut() {
                    parent.children.get_or_insert_with(Vec::new).push(symbol(s));
                }
            }
            _ => out.push(symbol(s)),
        }
    }
    out
}

#[expect(deprecated, reason = "SymbolInformation has a deprecated field that must still be written")]
pub fn workspace_symbols(snaps: &[&Snapshot], query: &str) -> Vec<lsp::SymbolInformation> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for snap in snaps {
        for a in &snap.analyses {
            for s in a.workspace_symbols(query) {
                let Some(location) = location(snap, a, s.name_span) else { continue };
                if seen.insert((
                    location.uri.as_str().to_string(),
                    location.range.start.line,
                    location.range.start.character,
                )) {
                    out.push(lsp::SymbolInformation {
                        name: s.name.clone(),
                        kind: convert::symbol_kind(s.kind),
                        tags: None,
                        deprecated: None,
                        location,
                        container_name: s.container.clone(),
                    });
                }
            }
        }
    }
    out
}

pub fn semantic_tokens(snap: &Snapshot, uri: &Uri) -> Vec<lsp::SemanticToken> {
    let Some((a, file)) = snap.locate(uri) else { return Vec::new() };
    convert::semantic_tokens(a.text(file), &a.semantic_tokens(file))
}

pub fn inlay_hints(snap: &Snapshot, uri: &Uri, range: lsp::Range) -> Vec<lsp::InlayHint> {
    let Some((a, file)) = snap.locate(uri) else { return Vec::new() };
    let text = a.text(file);
    a.inlay_hints(file)
        .into_iter()
        .map(|h| (position(text, h.offset), h.label))
        .filter(|(p, _)| range.start <= *p && *p <= range.end)
        .map(|(position, label)| lsp::InlayHint {
            position,
            label: lsp::InlayHintLabel::String(label),
            kind: Some(lsp::InlayHintKind::TYPE),
            text_edits: None,
            tooltip: None,
            padding_left: None,
            padding_right: None,
            data: None,
        })
        .collect()
}

pub fn code_actions(snap: &Snapshot, uri: &Uri, range: lsp::Range) -> Vec<lsp::CodeActionOrCommand> {
    let Some((a, file)) = snap.locate(uri) else { return Vec::new() };
    let text = a.text(file);
    let (start, end) = (convert::offset(text, range.start), convert::offset(text, range.end));
    a.fixes(file, start, end)
        .into_iter()
        .map(|fix| {
            let edit = lsp::TextEdit {
                range: span_range(text, fix.span.start as usize, fix.span.end as usize),
                new_text: fix.replacement,
            };
            lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: fix.title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![convert::diagnostic(&fix.diagnostic, uri, text)]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..Default::default()
                }),
                is_preferred: Some(true),
                ..Default::default()
            })
        })
        .collect()
}

/// The whole document re-printed by the formatter behind `deft fmt`; nothing when it has syntax
/// errors or is already formatted.
pub fn formatting(text: &str) -> Option<Vec<lsp::TextEdit>> {
    let formatted = deft_compiler::format::format(FileId(0), text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    Some(vec![lsp::TextEdit { range: span_range(text, 0, text.len()), new_text: formatted }])
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
