//! Diagnostics at the edge: ariadne for people, JSON for tools.

use ariadne::{Config, IndexType, Label, Report, ReportKind};
use deft_compiler::span::line_col;
use deft_compiler::{Diagnostic, Severity, World};
use serde::Serialize;

/// Render diagnostics as ariadne reports, in rustc's layout: `error[E0308]: message`, the labelled
/// source, then `help:`. `color` is false for pipes and snapshots.
pub fn human(world: &dyn World, diagnostics: &[Diagnostic], color: bool) -> String {
    let diagnostics = in_source_order(diagnostics);
    let mut out = String::new();
    let cache =
        ariadne::sources(world.files().into_iter().map(|f| (world.path(f).to_string(), world.source(f).to_string())));
    let mut cache = cache;
    for d in &diagnostics {
        let kind = match d.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let (file, range) = match d.primary_span() {
            Some(span) => (world.path(span.file).to_string(), span.range()),
            None => (world.path(world.main()).to_string(), 0..0),
        };
        let mut report = Report::build(kind, (file, range))
            .with_code(d.code)
            .with_message(&d.message)
            .with_config(Config::default().with_color(color).with_index_type(IndexType::Byte));
        // Primary labels first so that ariadne draws them nearest to the code.
        let mut labels: Vec<_> = d.labels.iter().collect();
        labels.sort_by_key(|l| !l.primary);
        for (order, label) in labels.into_iter().enumerate() {
            let mut l =
                Label::new((world.path(label.span.file).to_string(), label.span.range())).with_order(order as i32);
            if !label.message.is_empty() {
                l = l.with_message(&label.message);
            }
            if color {
                l = l.with_color(if label.primary { ariadne::Color::Red } else { ariadne::Color::Blue });
            }
            report = report.with_label(l);
        }
        if let Some(help) = &d.help {
            report = report.with_help(help);
        }
        for note in &d.notes {
            report = report.with_note(note);
        }
        // Writing to a Vec cannot fail, and a source missing from the cache only loses a snippet.
        let mut body = Vec::new();
        let _ = report.finish().write(&mut cache, &mut body);
        out.push_str(&header(d, color));
        // ariadne's own first line is its header (`[E0308] Error: ...`); ours replaces it.
        let body = String::from_utf8_lossy(&body);
        out.push_str(body.split_once('\n').map_or("", |(_, rest)| rest));
    }
    out
}

/// The rustc-style first line: `error[E0308]: cannot add Force to Length`.
fn header(d: &Diagnostic, color: bool) -> String {
    let (word, paint) = match d.severity {
        Severity::Error => ("error", "\x1b[1;31m"),
        Severity::Warning => ("warning", "\x1b[1;33m"),
    };
    if color {
        format!("{paint}{word}[{}]\x1b[0m\x1b[1m: {}\x1b[0m\n", d.code, d.message)
    } else {
        format!("{word}[{}]: {}\n", d.code, d.message)
    }
}

/// One diagnostic for `--format json`. Lines and columns are 1-based; the column counts chars.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: Option<&'a str>,
    pub labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
pub struct JsonLabel<'a> {
    pub message: &'a str,
    pub primary: bool,
    pub line: usize,
    pub column: usize,
}

pub fn json<'a>(world: &dyn World, diagnostics: &'a [Diagnostic]) -> Vec<JsonDiagnostic<'a>> {
    in_source_order(diagnostics)
        .into_iter()
        .map(|d| {
            let (file, (line, column), (end_line, end_column)) = match d.primary_span() {
                Some(span) => {
                    let src = world.source(span.file);
                    (
                        world.path(span.file).to_string(),
                        line_col(src, span.start as usize),
                        line_col(src, span.end as usize),
                    )
                }
                None => (world.path(world.main()).to_string(), (1, 1), (1, 1)),
            };
            let labels = d
                .labels
                .iter()
                .map(|l| {
                    let (line, column) = line_col(world.source(l.span.file), l.span.start as usize);
                    JsonLabel { message: &l.message, primary: l.primary, line, column }
                })
                .collect();
            JsonDiagnostic {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                file,
                line,
                column,
                end_line,
                end_column,
                help: d.help.as_deref(),
                labels,
            }
        })
        .collect()
}

/// Whether stderr is a terminal that should get colour.
pub fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Diagnostics ordered as they appear in the sources (file, then offset), the order a reader scans;
/// the checker reports them in the order it visits items.
fn in_source_order(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by_key(|d| d.primary_span().map(|s| (s.file, s.start)));
    sorted
}
