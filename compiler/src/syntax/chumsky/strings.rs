//! String literals: escapes and `{expr}` interpolation. The expression inside braces is lexed and parsed
//! on its own, with spans into the original file.

use super::exprs::{emit, error_expr};
use super::{B, Cx, Tk};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;
use chumsky::prelude::*;
use std::ops::Range;

/// The byte range between the quotes (an unterminated string runs to the end of its line).
fn content(kind: Token, s: SimpleSpan) -> Range<usize> {
    let end = if kind == Token::Str { s.end.saturating_sub(1) } else { s.end };
    (s.start + 1).min(end)..end
}

fn string_token<'s>() -> impl Parser<'s, super::Inp<'s>, (Token, SimpleSpan), super::Ex> + Clone {
    select! { Tk { kind: k @ (Token::Str | Token::UnterminatedStr), .. } = e => (k, e.span()) }
}

/// A string literal as an expression.
pub(super) fn string_expr<'s>(cx: Cx<'s>) -> B<'s, Expr> {
    string_token()
        .map_with(move |(kind, s), e| {
            let (parts, diags) = parts(cx, content(kind, s), true);
            for d in diags {
                emit(e, d);
            }
            Expr { kind: ExprKind::Str(parts), span: cx.span(s) }
        })
        .boxed()
}

/// A string's text with escapes applied and braces taken literally (test names), and its span.
pub(super) fn string_text<'s>(cx: Cx<'s>) -> B<'s, (String, Span)> {
    string_token()
        .map_with(move |(kind, s), e| {
            let (parts, diags) = parts(cx, content(kind, s), false);
            for d in diags {
                emit(e, d);
            }
            let text = parts
                .into_iter()
                .map(|part| match part {
                    StrPart::Lit(s) => s,
                    StrPart::Expr(_) => String::new(),
                })
                .collect();
            (text, cx.span(s))
        })
        .boxed()
}

fn parts(cx: Cx, content: Range<usize>, interpolate: bool) -> (Vec<StrPart>, Vec<Diagnostic>) {
    let text = &cx.src[content.clone()];
    let base = content.start;
    let file = cx.file;
    let mut diags = Vec::new();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((j, e)) = chars.next() else { break };
                let unescaped = match e {
                    'n' => '\n',
                    't' => '\t',
                    '"' => '"',
                    '\\' => '\\',
                    '{' => '{',
                    '}' => '}',
                    other => {
                        let span = Span::new(file, base + i..base + j + other.len_utf8());
                        diags.push(
                            Diagnostic::error("E0003", format!("unknown escape '\\{other}'"))
                                .at(span, "not an escape")
                                .help("the escapes are \\n \\t \\\" \\\\ \\{ \\}"),
                        );
                        other
                    }
                };
                lit.push(unescaped);
            }
            '{' if interpolate => {
                let Some(close) = matching_brace(text, i) else {
                    let span = Span::new(file, base + i..base + i + 1);
                    diags.push(
                        Diagnostic::error("E0005", "unclosed '{' in string")
                            .at(span, "this '{' starts an interpolation that never ends")
                            .help("write \\{ for a literal brace"),
                    );
                    lit.push_str(&text[i..]);
                    break;
                };
                if !lit.is_empty() {
                    parts.push(StrPart::Lit(std::mem::take(&mut lit)));
                }
                let inner = base + i + 1..base + close;
                parts.push(StrPart::Expr(interpolation(cx, inner, &mut diags)));
                while chars.peek().is_some_and(|(k, _)| *k <= close) {
                    chars.next();
                }
            }
            '}' if interpolate => {
                let span = Span::new(file, base + i..base + i + 1);
                diags.push(
                    Diagnostic::error("E0005", "unmatched '}' in string")
                        .at(span, "no '{' opens this")
                        .help("write \\} for a literal brace"),
                );
                lit.push('}');
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(StrPart::Lit(lit));
    }
    (parts, diags)
}

/// Parse the expression between the braces of `{expr}`.
fn interpolation(cx: Cx, inner: Range<usize>, diags: &mut Vec<Diagnostic>) -> Expr {
    let span = Span::new(cx.file, inner.clone());
    if cx.src[inner.clone()].trim().is_empty() {
        diags.push(
            Diagnostic::error("E0005", "empty interpolation in string")
                .at(Span::new(cx.file, inner.start.saturating_sub(1)..inner.end + 1), "nothing to show")
                .help("put an expression between the braces, or write \\{ \\} for literal braces"),
        );
        return error_expr(span);
    }
    let (expr, sub) = super::parse_interpolation(cx.file, cx.src, inner);
    diags.extend(sub);
    expr.unwrap_or_else(|| error_expr(span))
}

/// The index of the `}` closing the `{` at `open`, counting nested braces.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}
