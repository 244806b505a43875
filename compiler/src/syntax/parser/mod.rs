//! The hand-written recursive-descent parser: token cursor, newline rules and error recovery.
//!
//! Every parse function returns `PResult`; `Err(Fail)` means a diagnostic was already reported and the
//! caller must resynchronise. Whoever opens a delimiter also consumes its closer, even after a mistake,
//! so a failure only unwinds to the innermost open bracket or the enclosing statement.

mod exprs;
mod items;
mod stmts;
mod strings;
mod types;

use super::ast::{Ident, Module};
use super::lexer::{Token, lex};
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// A mistake was reported; the caller resynchronises.
#[derive(Debug)]
pub(super) struct Fail;

pub(super) type PResult<T> = Result<T, Fail>;

pub(super) struct Parser<'s> {
    src: &'s str,
    file: FileId,
    /// Where the parsed range ends: the position of `Token::Eof`.
    end: usize,
    /// Tokens without plain comments, invalid characters and doc comments.
    toks: Vec<(Token, Range<usize>)>,
    /// `///` text attached to the token index that follows it.
    docs: HashMap<usize, String>,
    module_doc: Option<String>,
    pos: usize,
    /// Index of the last consumed token, if any.
    last: Option<usize>,
    /// Whether newlines are insignificant, innermost context last: true inside `( )`, `[ ]` and
    /// brace lists, false in blocks and at the top level.
    nl_ignore: Vec<bool>,
    diags: Vec<Diagnostic>,
    /// Ranges where follow-on syntax errors are dropped (after an unterminated string).
    quiet: Vec<Range<usize>>,
    /// How deeply expressions, blocks and types are nested now; bounded so that no input can
    /// overflow the stack.
    depth: usize,
    /// Whether E0006 was reported: once per file is enough.
    too_deep: bool,
    /// Primary positions already reported; a second mistake found at the same token is a cascade.
    reported_at: HashSet<usize>,
}

/// Deeper nesting than any program needs; reported as E0006.
const MAX_DEPTH: usize = 64;

/// Strip a comment marker and one following space.
fn comment_text(text: &str, marker: &str) -> String {
    let rest = text.strip_prefix(marker).unwrap_or(text).trim_end_matches('\r');
    rest.strip_prefix(' ').unwrap_or(rest).to_string()
}

impl<'s> Parser<'s> {
    /// A parser over `src[range]`; spans stay relative to the whole of `src`.
    pub(super) fn new(file: FileId, src: &'s str, range: Range<usize>) -> Parser<'s> {
        let base = range.start;
        let text = src.get(range.clone()).unwrap_or("");
        let mut p = Parser {
            src,
            file,
            end: range.end,
            toks: Vec::new(),
            docs: HashMap::new(),
            module_doc: None,
            pos: 0,
            last: None,
            nl_ignore: Vec::new(),
            diags: Vec::new(),
            quiet: Vec::new(),
            depth: 0,
            too_deep: false,
            reported_at: HashSet::new(),
        };
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
                        p.invalid_chars(b);
                        Some(r)
                    }
                    None => Some(r),
                };
                continue;
            }
            if let Some(b) = bad.take() {
                p.invalid_chars(b);
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
                Token::Newline => p.toks.push((tok, r)),
                Token::SingleQuoted => {
                    seen_code = true;
                    p.diags.push(
                        Diagnostic::error("E0007", "strings are written in double quotes")
                            .at(Span::new(file, r.clone()), "single quotes")
                            .help(format!("write \"{}\"", &src[r.start + 1..r.end - 1])),
                    );
                    // Read on as the string that was meant.
                    p.toks.push((Token::Str, r));
                }
                _ => {
                    seen_code = true;
                    if tok == Token::UnterminatedStr {
                        p.diags.push(
                            Diagnostic::error("E0002", "unterminated string")
                                .at(Span::new(file, r.clone()), "this string has no closing '\"'")
                                .help("close the string with '\"' on the same line; write \\n for a line break"),
                        );
                    }
                    if !pending_doc.is_empty() {
                        p.docs.insert(p.toks.len(), pending_doc.join("\n"));
                        pending_doc.clear();
                    }
                    p.toks.push((tok, r));
                }
            }
        }
        if let Some(b) = bad {
            p.invalid_chars(b);
        }
        for (i, (tok, r)) in p.toks.iter().enumerate() {
            if *tok == Token::UnterminatedStr {
                // The quote swallowed the rest of the line, closers included: follow-on mistakes up to
                // the end of the next line are not reported.
                let mut newlines = p.toks[i..].iter().filter(|t| t.0 == Token::Newline);
                let end = newlines.nth(1).map_or(usize::MAX, |t| t.1.start);
                p.quiet.push(r.start..end);
            }
        }
        if !module_doc.is_empty() {
            p.module_doc = Some(module_doc.join("\n"));
        }
        p
    }

    fn invalid_chars(&mut self, r: Range<usize>) {
        let text = &self.src[r.clone()];
        let help = match text {
            "&" | "|" => Some("logical operators are written 'and', 'or' and 'not'"),
            "'" => Some("strings are written in double quotes"),
            _ => None,
        };
        let mut d = Diagnostic::error("E0001", format!("invalid character '{text}'"))
            .at(Span::new(self.file, r), "not part of any token");
        if let Some(h) = help {
            d = d.help(h);
        }
        self.diags.push(d);
    }

    /// Parse the whole file.
    pub(super) fn module(mut self) -> (Module, Vec<Diagnostic>) {
        let items = self.items();
        (Module { doc: self.module_doc.take(), items }, self.diags)
    }

    // ---- Cursor ----------------------------------------------------------------------------

    fn ignoring_newlines(&self) -> bool {
        self.nl_ignore.last().copied().unwrap_or(false)
    }

    fn skip_trivia(&mut self) {
        if self.ignoring_newlines() {
            while self.toks.get(self.pos).is_some_and(|t| t.0 == Token::Newline) {
                self.pos += 1;
            }
        }
    }

    fn peek(&mut self) -> Token {
        self.skip_trivia();
        self.toks.get(self.pos).map_or(Token::Eof, |t| t.0)
    }

    /// The token `n` places ahead, by the current newline rule.
    fn nth(&mut self, n: usize) -> Token {
        self.skip_trivia();
        let ignore = self.ignoring_newlines();
        self.toks[self.pos.min(self.toks.len())..]
            .iter()
            .filter(|t| !(ignore && t.0 == Token::Newline))
            .nth(n)
            .map_or(Token::Eof, |t| t.0)
    }

    /// The token `n` places ahead, newlines skipped whatever the context.
    fn nth_past_newlines(&mut self, n: usize) -> Token {
        self.toks[self.pos.min(self.toks.len())..]
            .iter()
            .filter(|t| t.0 != Token::Newline)
            .nth(n)
            .map_or(Token::Eof, |t| t.0)
    }

    fn cur_range(&mut self) -> Range<usize> {
        self.skip_trivia();
        self.toks.get(self.pos).map_or(self.end..self.end, |t| t.1.clone())
    }

    fn cur_span(&mut self) -> Span {
        let r = self.cur_range();
        Span::new(self.file, r)
    }

    fn cur_text(&mut self) -> &'s str {
        let r = self.cur_range();
        &self.src[r]
    }

    fn span_from(&self, start: usize) -> Span {
        let end = self.last.map_or(start, |i| self.toks[i].1.end).max(start);
        Span::new(self.file, start..end)
    }

    /// Consume the current token and return its span.
    fn bump(&mut self) -> Span {
        let span = self.cur_span();
        if self.pos < self.toks.len() {
            self.last = Some(self.pos);
            self.pos += 1;
        }
        span
    }

    fn eat(&mut self, tok: Token) -> bool {
        if self.peek() == tok {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consume newlines whatever the context: after a binary operator, `,` or `=` a line continues.
    fn skip_newlines(&mut self) {
        while self.toks.get(self.pos).is_some_and(|t| t.0 == Token::Newline) {
            self.pos += 1;
        }
    }

    /// Whether a line break separates the current token from the last consumed one.
    fn newline_before(&mut self) -> bool {
        self.skip_trivia();
        let from = self.last.unwrap_or(0);
        self.toks[from.min(self.pos)..self.pos.min(self.toks.len())].iter().any(|t| t.0 == Token::Newline)
            || self.last.is_none()
    }

    /// Run `f` with newlines significant (`false`, blocks) or not (`true`, brackets).
    fn nested<T>(&mut self, ignore_newlines: bool, f: impl FnOnce(&mut Self) -> T) -> T {
        self.nl_ignore.push(ignore_newlines);
        let out = f(self);
        self.leave_context();
        out
    }

    /// Pop a newline context. Line breaks skipped by lookahead inside it are given back, so the
    /// enclosing block still sees the end of its statement.
    fn leave_context(&mut self) {
        self.nl_ignore.pop();
        if let Some(last) = self.last {
            self.pos = self.pos.min(last + 1);
        }
    }

    /// Run a recursive step with the nesting depth bounded.
    fn guarded<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                let span = self.cur_span();
                self.report(
                    Diagnostic::error("E0006", "nesting is too deep")
                        .at(span, format!("more than {MAX_DEPTH} levels deep"))
                        .help("move part of the expression into a `let` or a helper fn"),
                );
            }
            return Err(Fail);
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    // ---- Diagnostics -----------------------------------------------------------------------

    fn found(&mut self) -> String {
        let tok = self.peek();
        match tok {
            Token::Ident | Token::Int | Token::Real => format!("'{}'", self.cur_text()),
            _ => tok.describe().to_string(),
        }
    }

    /// Report a diagnostic unless one was already reported at the same place (avoids cascades).
    fn report(&mut self, d: Diagnostic) {
        if let Some(at) = d.primary_span().map(|s| s.start as usize) {
            if !self.reported_at.insert(at) {
                return;
            }
            // Quiet ranges are sorted by start, and each overlaps at most the next one.
            let after = self.quiet.partition_point(|r| r.start <= at);
            if self.quiet[after.saturating_sub(2)..after].iter().any(|r| r.contains(&at)) {
                return;
            }
        }
        self.diags.push(d);
    }

    /// `expected X, found Y` at the current token.
    fn error_expected(&mut self, expected: &str) -> Diagnostic {
        let found = self.found();
        let span = self.cur_span();
        Diagnostic::error("E0010", format!("expected {expected}, found {found}"))
            .at(span, format!("expected {expected}"))
    }

    fn unexpected(&mut self, expected: &str) -> Fail {
        let d = self.error_expected(expected);
        self.report(d);
        Fail
    }

    fn expect(&mut self, tok: Token) -> PResult<Span> {
        if self.peek() == tok { Ok(self.bump()) } else { Err(self.unexpected(tok.describe())) }
    }

    fn ident(&mut self) -> PResult<Ident> {
        if self.peek() == Token::Ident {
            let name = self.cur_text().to_string();
            Ok(Ident { name, span: self.bump() })
        } else {
            Err(self.unexpected("name"))
        }
    }

    /// A name where keywords are unambiguous too: an item's name after `fn`/`skill` and a field or
    /// method after `.` (the prelude declares `fn skill(fault: Fault)`, used as `e.skill`).
    fn name_or_keyword(&mut self) -> PResult<Ident> {
        let text = self.cur_text();
        let word = self.peek() != Token::Ident
            && text.starts_with(|c: char| c.is_ascii_alphabetic())
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if word {
            let name = text.to_string();
            return Ok(Ident { name, span: self.bump() });
        }
        self.ident()
    }

    /// A closer was not found: say which opener it belongs to.
    fn unclosed(&mut self, open: Span, open_tok: Token, close_tok: Token) {
        let found = self.found();
        let span = self.cur_span();
        let d = Diagnostic::error("E0011", format!("expected {}, found {found}", close_tok.describe()))
            .at(span, format!("expected {} here", close_tok.describe()))
            .with(open, format!("this {} is never closed", open_tok.describe()));
        self.report(d);
    }

    // ---- Recovery --------------------------------------------------------------------------

    /// Skip tokens, nested brackets whole, until one in `stop` at this depth, an unmatched `}`, or the
    /// end. An unmatched `)` or `]` not in `stop` is skipped.
    fn recover_to(&mut self, stop: &[Token]) {
        let mut depth: Vec<Token> = Vec::new();
        while let Some((tok, _)) = self.toks.get(self.pos) {
            let tok = *tok;
            if depth.is_empty() && stop.contains(&tok) {
                return;
            }
            match tok {
                Token::LParen | Token::LBracket | Token::LBrace => depth.push(tok),
                Token::RParen | Token::RBracket | Token::RBrace => {
                    let open = match tok {
                        Token::RParen => Token::LParen,
                        Token::RBracket => Token::LBracket,
                        _ => Token::LBrace,
                    };
                    if let Some(at) = depth.iter().rposition(|t| *t == open) {
                        depth.truncate(at);
                    } else if tok == Token::RBrace {
                        return;
                    }
                }
                _ => {}
            }
            self.last = Some(self.pos);
            self.pos += 1;
        }
    }

    /// After a bad statement: skip to the end of its line, a `;`, or the block's `}`.
    fn sync_stmt(&mut self) {
        self.recover_to(&[Token::Newline, Token::Semi, Token::RBrace]);
    }

    /// After a bad item: skip to the next item keyword at the start of a line.
    fn sync_item(&mut self) {
        loop {
            self.recover_to(&[Token::Newline]);
            self.skip_newlines();
            match self.toks.get(self.pos) {
                None => return,
                Some((tok, _)) if tok.starts_item() => return,
                Some((Token::RBrace, _)) => {
                    // A stray closer at the top level.
                    self.pos += 1;
                }
                Some(_) => {}
            }
        }
    }

    /// `open item (sep item)* sep? close`, where sep is `,` or (when `newline_sep`) a line break.
    /// A bad item is skipped to the next separator and replaced by `on_error`, if it gives a node.
    fn delimited<T>(
        &mut self,
        open: Token,
        close: Token,
        newline_sep: bool,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
        on_error: impl Fn(Span) -> Option<T>,
    ) -> PResult<(Vec<T>, Span)> {
        let open_span = self.expect(open)?;
        let start = open_span.start as usize;
        let mut items = Vec::new();
        self.nl_ignore.push(true);
        loop {
            let tok = self.peek();
            if tok == close {
                self.bump();
                break;
            }
            if tok == Token::Eof || (tok.starts_item() && self.newline_before()) {
                self.unclosed(open_span, open, close);
                break;
            }
            let item_start = self.cur_range().start;
            match item(self) {
                Ok(x) => items.push(x),
                Err(Fail) => {
                    self.recover_to(&[Token::Comma, close]);
                    if let Some(x) = on_error(self.span_from(item_start)) {
                        items.push(x);
                    }
                }
            }
            let tok = self.peek();
            if tok == Token::Comma {
                self.bump();
            } else if tok == close || (newline_sep && self.newline_before()) {
                // The closer ends the loop above; a line break separates brace-list entries.
            } else if matches!(tok, Token::Eof | Token::RBrace)
                || (tok == Token::LBrace && close != Token::RBrace)
                || self.newline_before()
            {
                // The closer is most likely missing: end the list here and let the enclosing
                // construct go on from this token.
                self.unclosed(open_span, open, close);
                break;
            } else {
                let d = self.error_expected(&format!("',' or {}", close.describe()));
                self.report(d);
                self.recover_to(&[Token::Comma, close]);
                self.eat(Token::Comma);
            }
        }
        self.leave_context();
        Ok((items, self.span_from(start)))
    }
}

/// Whether an identifier names a type or a constructor: it starts with an upper-case letter.
pub(super) fn is_upper(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}
