//! The token pre-pass: lexer output to parser tokens, with comments, docs, lexical mistakes, line breaks
//! and the nesting bound handled before the grammar runs.

use super::Tk;
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use crate::syntax::lexer::{Token, lex};
use chumsky::span::SimpleSpan;
use std::collections::HashMap;
use std::ops::Range;

/// Deeper nesting than any program needs; reported as E0006 and cut off, so that the parser's
/// recursion is bounded whatever the input.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Mode {
    File,
    /// The inside of `{...}` in a string: line breaks are never significant.
    Interpolation,
}

pub(super) struct Prepared {
    pub toks: Vec<(Tk, SimpleSpan)>,
    pub docs: HashMap<usize, String>,
    pub module_doc: Option<String>,
    pub diags: Vec<Diagnostic>,
    /// Ranges where follow-on syntax errors are dropped (after an unterminated string).
    pub quiet: Vec<Range<usize>>,
}

/// Strip a comment marker and one following space.
fn comment_text(text: &str, marker: &str) -> String {
    let rest = text.strip_prefix(marker).unwrap_or(text).trim_end_matches('\r');
    rest.strip_prefix(' ').unwrap_or(rest).to_string()
}

fn invalid_chars(file: FileId, src: &str, r: Range<usize>) -> Diagnostic {
    let text = &src[r.clone()];
    let help = match text {
        "&" | "|" => Some("logical operators are written 'and', 'or' and 'not'"),
        "'" => Some("strings are written in double quotes"),
        _ => None,
    };
    let d = Diagnostic::error("E0001", format!("invalid character '{text}'"))
        .at(Span::new(file, r), "not part of any token");
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// Lex `src[range]` (spans stay relative to the whole of `src`) and prepare the tokens.
pub(super) fn prepare(file: FileId, src: &str, range: Range<usize>, mode: Mode) -> Prepared {
    let base = range.start;
    let text = src.get(range).unwrap_or("");
    let mut raw: Vec<(Token, Range<usize>)> = Vec::new();
    let mut out =
        Prepared { toks: Vec::new(), docs: HashMap::new(), module_doc: None, diags: Vec::new(), quiet: Vec::new() };
    let mut pending_doc: Vec<String> = Vec::new();
    let mut module_doc: Vec<String> = Vec::new();
    let mut seen_code = false;
    let mut bad: Option<Range<usize>> = None;
    for (tok, r) in lex(text) {
        let r = r.start + base..r.end + base;
        if tok == Token::Error {
            // Adjacent invalid characters are one mistake.
            bad = match bad {
                Some(b) if b.end == r.start => Some(b.start..r.end),
                Some(b) => {
                    out.diags.push(invalid_chars(file, src, b));
                    Some(r)
                }
                None => Some(r),
            };
            continue;
        }
        if let Some(b) = bad.take() {
            out.diags.push(invalid_chars(file, src, b));
        }
        match tok {
            Token::Comment => {
                let t = &src[r.clone()];
                if t.starts_with("///") && !t.starts_with("////") {
                    pending_doc.push(comment_text(t, "///"));
                } else if t.starts_with("//!") && !seen_code {
                    module_doc.push(comment_text(t, "//!"));
                }
            }
            Token::Newline => raw.push((tok, r)),
            _ => {
                seen_code = true;
                let tok = match tok {
                    Token::SingleQuoted => {
                        out.diags.push(
                            Diagnostic::error("E0007", "strings are written in double quotes")
                                .at(Span::new(file, r.clone()), "single quotes")
                                .help(format!("write \"{}\"", &src[r.start + 1..r.end - 1])),
                        );
                        // Read on as the string that was meant.
                        Token::Str
                    }
                    Token::UnterminatedStr => {
                        out.diags.push(
                            Diagnostic::error("E0002", "unterminated string")
                                .at(Span::new(file, r.clone()), "this string has no closing '\"'")
                                .help("close the string with '\"' on the same line; write \\n for a line break"),
                        );
                        tok
                    }
                    _ => tok,
                };
                if !pending_doc.is_empty() {
                    out.docs.insert(r.start, pending_doc.join("\n"));
                    pending_doc.clear();
                }
                raw.push((tok, r));
            }
        }
    }
    if let Some(b) = bad {
        out.diags.push(invalid_chars(file, src, b));
    }
    for (i, (tok, r)) in raw.iter().enumerate() {
        if *tok == Token::UnterminatedStr {
            // The quote swallowed the rest of the line, closers included: follow-on mistakes up to the
            // end of the next line are not reported.
            let mut newlines = raw[i..].iter().filter(|t| t.0 == Token::Newline);
            let end = newlines.nth(1).map_or(usize::MAX, |t| t.1.start);
            out.quiet.push(r.start..end);
        }
    }
    if !module_doc.is_empty() {
        out.module_doc = Some(module_doc.join("\n"));
    }
    let toks = line_breaks(&raw, mode);
    out.toks = bound_nesting(file, toks, &mut out.diags);
    out
}

/// Whether a line ending in this token goes on on the next line.
fn continues(prev: Option<&(Tk, SimpleSpan)>, before: Option<&(Tk, SimpleSpan)>) -> bool {
    let Some((t, _)) = prev else { return true };
    use Token::*;
    match t.kind {
        Or | PipePipe | And | AmpAmp | EqEq | NotEq | Lt | Le | Gt | Ge | Plus | Minus | Star | Slash | Assign
        | FatArrow | Comma => true,
        // `12 %` at the end of a line is a quantity; `a %` goes on.
        Percent => t.nl || !matches!(before, Some((b, _)) if matches!(b.kind, Int | Real)),
        _ => false,
    }
}

/// Keep a line break only where it can end a statement or separate entries of a brace list.
fn line_breaks(raw: &[(Token, Range<usize>)], mode: Mode) -> Vec<(Tk, SimpleSpan)> {
    let mut out: Vec<(Tk, SimpleSpan)> = Vec::new();
    let mut open: Vec<Token> = Vec::new();
    let mut pending: Vec<Range<usize>> = Vec::new();
    for (kind, r) in raw {
        let kind = *kind;
        if kind == Token::Newline {
            pending.push(r.clone());
            continue;
        }
        let mut nl = false;
        let mut ls = false;
        if !pending.is_empty() {
            nl = true;
            if kind.starts_item() {
                // An item keyword starting a line ends every open list and block.
                open.clear();
            }
            let in_brackets =
                mode == Mode::Interpolation || matches!(open.last(), Some(Token::LParen | Token::LBracket));
            let n = out.len();
            // An item keyword starting a line always starts a new line, whatever came before.
            let cont = continues(out.last(), n.checked_sub(2).and_then(|i| out.get(i))) && !kind.starts_item();
            let joins = matches!(
                kind,
                Token::Dot
                    | Token::Else
                    | Token::Recover
                    | Token::Requires
                    | Token::Ensures
                    | Token::Limits
                    | Token::LBrace
            );
            ls = !cont && !joins;
            if !in_brackets && !cont && !joins {
                for br in pending.drain(..) {
                    out.push((Tk { kind: Token::Newline, nl: false, ls: false }, SimpleSpan::from(br)));
                }
            }
            pending.clear();
        }
        match kind {
            Token::LParen | Token::LBracket | Token::LBrace => open.push(kind),
            Token::RParen | Token::RBracket | Token::RBrace => {
                let opener = match kind {
                    Token::RParen => Token::LParen,
                    Token::RBracket => Token::LBracket,
                    _ => Token::LBrace,
                };
                if let Some(at) = open.iter().rposition(|t| *t == opener) {
                    open.truncate(at);
                }
            }
            _ => {}
        }
        out.push((Tk { kind, nl, ls }, SimpleSpan::from(r.clone())));
    }
    if mode == Mode::File {
        for br in pending {
            out.push((Tk { kind: Token::Newline, nl: false, ls: false }, SimpleSpan::from(br)));
        }
    }
    out
}

/// Report nesting deeper than `MAX_DEPTH` (brackets, braces and runs of prefix operators) once, and
/// replace the too-deep part by one `Error` token, so that no input can overflow the parser's stack.
/// Depth follows the parser: a closer closes its opener and those left open inside it, and an item
/// keyword starting a line closes everything.
fn bound_nesting(file: FileId, toks: Vec<(Tk, SimpleSpan)>, diags: &mut Vec<Diagnostic>) -> Vec<(Tk, SimpleSpan)> {
    let mut out: Vec<(Tk, SimpleSpan)> = Vec::with_capacity(toks.len());
    let mut open: Vec<Token> = Vec::new();
    let mut prefix = 0usize;
    // While cutting: the depth to return to.
    let mut cut: Option<usize> = None;
    let mut reported = false;
    for (t, s) in toks {
        if t.kind.starts_item() && t.nl {
            open.clear();
            if cut.take().is_some() {
                prefix = 0;
            }
        }
        let opens = matches!(t.kind, Token::LParen | Token::LBracket | Token::LBrace);
        let closer_of = match t.kind {
            Token::RParen => Some(Token::LParen),
            Token::RBracket => Some(Token::LBracket),
            Token::RBrace => Some(Token::LBrace),
            _ => None,
        };
        if let Some(target) = cut {
            if let Some(last) = out.last_mut() {
                last.1 = SimpleSpan::from(last.1.start..s.end);
            }
            if opens {
                open.push(t.kind);
            } else if let Some(opener) = closer_of
                && let Some(at) = open.iter().rposition(|k| *k == opener)
            {
                open.truncate(at);
                if open.len() <= target {
                    cut = None;
                }
            }
            continue;
        }
        let operand_before = out.last().is_some_and(|(p, _)| {
            matches!(
                p.kind,
                Token::Ident
                    | Token::Int
                    | Token::Real
                    | Token::Str
                    | Token::RParen
                    | Token::RBracket
                    | Token::True
                    | Token::False
                    | Token::None
                    | Token::UnterminatedStr
            )
        });
        let is_prefix = matches!(t.kind, Token::Not | Token::Bang) || (t.kind == Token::Minus && !operand_before);
        // A run of prefix operators nests only inside an expression: in brackets or blocks, or after
        // `const X =`; at the top level it is a stray line (such as `---`) skipped as one mistake.
        let in_expr = !open.is_empty() || out.last().is_some_and(|(p, _)| p.kind == Token::Assign);
        prefix = match (is_prefix, prefix) {
            (false, _) => 0,
            (true, 0) if !in_expr => 0,
            (true, 0) => 1,
            (true, n) => n + 1,
        };
        let depth = open.len();
        if (opens && depth + 1 > MAX_DEPTH) || (is_prefix && depth + prefix > MAX_DEPTH) {
            if !reported {
                reported = true;
                diags.push(
                    Diagnostic::error("E0006", "nesting is too deep")
                        .at(Span::new(file, s.start..s.end), format!("more than {MAX_DEPTH} levels deep"))
                        .help("move part of the expression into a `let` or a helper fn"),
                );
            }
            if opens {
                // The cut-off part stands as one `Error` token, read as an error node.
                cut = Some(depth);
                open.push(t.kind);
                out.push((Tk { kind: Token::Error, ..t }, s));
            }
            continue;
        }
        if opens {
            open.push(t.kind);
        } else if let Some(opener) = closer_of
            && let Some(at) = open.iter().rposition(|k| *k == opener)
        {
            open.truncate(at);
        }
        out.push((t, s));
    }
    out
}
