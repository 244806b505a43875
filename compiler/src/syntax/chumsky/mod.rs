//! The chumsky parser over the logos tokens: the shared token type, parser aliases and the entry point.
//!
//! A pre-pass (`tokens`) turns the lexer's output into `Tk`s, dropping line breaks that cannot end a
//! statement (inside `( )` and `[ ]`, after a binary operator or `,`, before `.`, `else`, `{`, ...) and
//! marking every token with whether a line break precedes it. The grammar is chumsky combinators; the
//! few places where recovery must match the language's rules exactly (bracketed lists, skipping to a
//! statement or item boundary, one-token lookahead) are small `custom` parsers in `recovery`.

mod errors;
mod exprs;
mod items;
mod recovery;
mod stmts;
mod strings;
mod tokens;
mod types;

use super::ast::{Ident, Module};
use super::lexer::Token;
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use chumsky::extra::SimpleState;
use chumsky::input::MappedInput;
use chumsky::prelude::*;
use errors::PErr;
use std::collections::HashMap;
use std::ops::Range;

/// A token as the parser sees it. Equality compares only the kind, so `just(tk(Token::Comma))`
/// matches a comma wherever it sits.
#[derive(Clone, Copy, Debug)]
struct Tk {
    pub kind: Token,
    /// A line break precedes the token in the source (whether or not it was dropped).
    pub nl: bool,
    /// The token may start a new statement: a line break precedes it that does not continue the
    /// line before (as one after an operator or `,`, or before `.`, `else` or `{`, does). Unlike a
    /// kept `Newline` token this survives a bracket left open, so a line still ends a statement.
    pub ls: bool,
}

impl PartialEq for Tk {
    fn eq(&self, other: &Tk) -> bool {
        self.kind == other.kind
    }
}

fn tk(kind: Token) -> Tk {
    Tk { kind, nl: false, ls: false }
}

type Toks = [(Tk, SimpleSpan)];
type Inp<'s> = MappedInput<'s, Tk, SimpleSpan, &'s Toks>;

/// Parser state that is not rewound: whether a mistake was reported since the current item began
/// (a stray line after a broken item is then skipped quietly, as its mistake was already reported).
#[derive(Default)]
struct St {
    pub dirty: bool,
}

type Ex = extra::Full<PErr, SimpleState<St>, ()>;
type B<'s, O> = Boxed<'s, 's, Inp<'s>, O, Ex>;

/// What every parser closure needs: the source for names and numbers, the tokens for lookahead, docs.
#[derive(Clone, Copy)]
struct Cx<'s> {
    pub src: &'s str,
    pub file: FileId,
    pub toks: &'s Toks,
    /// `///` text keyed by the byte offset of the token it documents.
    pub docs: &'s HashMap<usize, String>,
    /// Where the parsed range ends.
    pub end: usize,
}

impl<'s> Cx<'s> {
    pub fn span(&self, s: SimpleSpan) -> Span {
        Span::new(self.file, s.start..s.end.max(s.start))
    }

    pub fn text(&self, s: SimpleSpan) -> &'s str {
        self.src.get(s.start..s.end).unwrap_or("")
    }

    pub fn ident(&self, s: SimpleSpan) -> Ident {
        Ident { name: self.text(s).to_string(), span: self.span(s) }
    }

    /// The span at the end of the input.
    pub fn eoi(&self) -> SimpleSpan {
        SimpleSpan::from(self.end..self.end)
    }

    pub fn doc(&self, start: usize) -> Option<String> {
        self.docs.get(&start).cloned()
    }

    /// How a token is named in "found X": names and numbers are quoted as written.
    pub fn found(&self, tok: Option<(Tk, SimpleSpan)>) -> String {
        match tok {
            None => Token::Eof.describe().to_string(),
            Some((t, s)) => match t.kind {
                Token::Ident | Token::Int | Token::Real => format!("'{}'", self.text(s)),
                k => k.describe().to_string(),
            },
        }
    }
}

/// Parse one file; see `syntax::parse`.
pub(super) fn parse_chumsky(file: FileId, source: &str) -> (Module, Vec<Diagnostic>) {
    let pre = tokens::prepare(file, source, 0..source.len(), tokens::Mode::File);
    let cx = Cx { src: source, file, toks: &pre.toks, docs: &pre.docs, end: source.len() };
    let eoi = cx.eoi();
    let input = pre.toks.as_slice().split_token_span(eoi);
    let mut state = SimpleState(St::default());
    let (items, errs) = items::module(cx).parse_with_state(input, &mut state).into_output_errors();
    let parsed: Vec<Diagnostic> = errs.into_iter().map(|e| e.into_diag(cx)).collect();
    let mut diags = pre.diags;
    diags.extend(filter(parsed, &pre.quiet));
    (Module { doc: pre.module_doc, items: items.unwrap_or_default() }, diags)
}

/// Parse the expression of a string interpolation `{expr}` in `source[range]`.
fn parse_interpolation(file: FileId, source: &str, range: Range<usize>) -> (Option<super::ast::Expr>, Vec<Diagnostic>) {
    let pre = tokens::prepare(file, source, range.clone(), tokens::Mode::Interpolation);
    let cx = Cx { src: source, file, toks: &pre.toks, docs: &pre.docs, end: range.end };
    let eoi = cx.eoi();
    let input = pre.toks.as_slice().split_token_span(eoi);
    let mut state = SimpleState(St::default());
    let (expr, errs) = exprs::interpolation(cx).parse_with_state(input, &mut state).into_output_errors();
    let mut diags = pre.diags;
    diags.extend(errs.into_iter().map(|e| e.into_diag(cx)));
    (expr, diags)
}

/// Order parser diagnostics by position and drop cascades: a second diagnostic at the same place,
/// and anything inside a range made unreliable by an unterminated string.
fn filter(mut diags: Vec<Diagnostic>, quiet: &[Range<usize>]) -> Vec<Diagnostic> {
    diags.sort_by_key(|d| d.primary_span().map_or(0, |s| s.start));
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| {
        let Some(at) = d.primary_span().map(|s| s.start as usize) else { return true };
        if !seen.insert(at) {
            return false;
        }
        let after = quiet.partition_point(|r| r.start <= at);
        !quiet[after.saturating_sub(2)..after].iter().any(|r| r.contains(&at))
    });
    diags
}

/// Whether an identifier names a type or a constructor: it starts with an upper-case letter.
fn is_upper(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}
