//! String literals: escapes and `{expr}` interpolation. The expression inside braces is lexed and
//! parsed on its own, with spans into the original file.

use super::Parser;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;
use std::ops::Range;

impl Parser<'_> {
    /// The current string token as an expression.
    pub(super) fn string_expr(&mut self) -> Expr {
        let content = self.string_content();
        let span = self.bump();
        let parts = self.string_parts(content, true);
        Expr { kind: ExprKind::Str(parts), span }
    }

    /// The current string token's text with escapes applied and braces taken literally (test names).
    pub(super) fn string_text(&mut self) -> String {
        let content = self.string_content();
        self.bump();
        self.string_parts(content, false)
            .into_iter()
            .map(|part| match part {
                StrPart::Lit(s) => s,
                StrPart::Expr(_) => String::new(),
            })
            .collect()
    }

    /// The byte range between the quotes (an unterminated string runs to the end of its line).
    fn string_content(&mut self) -> Range<usize> {
        let terminated = self.peek() == Token::Str;
        let r = self.cur_range();
        let end = if terminated { r.end.saturating_sub(1) } else { r.end };
        (r.start + 1).min(end)..end
    }

    fn string_parts(&mut self, content: Range<usize>, interpolate: bool) -> Vec<StrPart> {
        let src = self.src;
        let text = &src[content.clone()];
        let base = content.start;
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
                            let span = Span::new(self.file, base + i..base + j + other.len_utf8());
                            self.report(
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
                        let span = Span::new(self.file, base + i..base + i + 1);
                        self.report(
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
                    parts.push(StrPart::Expr(self.interpolation(inner)));
                    while chars.peek().is_some_and(|(k, _)| *k <= close) {
                        chars.next();
                    }
                }
                '}' if interpolate => {
                    let span = Span::new(self.file, base + i..base + i + 1);
                    self.report(
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
        parts
    }

    /// Parse the expression between the braces of `{expr}`.
    fn interpolation(&mut self, inner: Range<usize>) -> Expr {
        let span = Span::new(self.file, inner.clone());
        if self.src[inner.clone()].trim().is_empty() {
            self.report(
                Diagnostic::error("E0005", "empty interpolation in string")
                    .at(Span::new(self.file, inner.start.saturating_sub(1)..inner.end + 1), "nothing to show")
                    .help("put an expression between the braces, or write \\{ \\} for literal braces"),
            );
            return Expr { kind: ExprKind::Error, span };
        }
        let mut sub = Parser::new(self.file, self.src, inner);
        sub.nl_ignore.push(true);
        let expr = match sub.expr() {
            Ok(e) if sub.peek() == Token::Eof => e,
            Ok(_) => {
                let d = sub.error_expected("'}' closing the interpolation");
                sub.report(d);
                Expr { kind: ExprKind::Error, span }
            }
            Err(_) => Expr { kind: ExprKind::Error, span },
        };
        for d in sub.diags {
            self.report(d);
        }
        expr
    }
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
