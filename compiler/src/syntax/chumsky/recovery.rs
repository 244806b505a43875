//! Small `custom` parsers for what combinators say poorly: lookahead guards, skipping to a statement or
//! item boundary with brackets skipped whole, and bracketed lists that end early at a missing closer.

use super::errors::PErr;
use super::{B, Cx, Ex, Inp, Tk};
use crate::diagnostic::Diagnostic;
use crate::syntax::lexer::Token;
use chumsky::input::InputRef;
use chumsky::prelude::*;

pub(super) type Ref<'s, 'p> = InputRef<'s, 'p, Inp<'s>, Ex>;

/// Tokens that continue an expression: finding one after a whole expression means its operand or
/// name failed to parse.
pub(super) fn is_operator(k: Token) -> bool {
    use Token::*;
    matches!(
        k,
        Or | PipePipe | And | AmpAmp | EqEq | NotEq | Lt | Le | Gt | Ge | Plus | Minus | Star | Slash | Percent | Dot
    )
}

/// Parse `item`. The pratt parser backs off an operator whose operand fails; an operator right after
/// the item means that happened, so the item fails with the furthest error, as in a statement.
fn parse_whole<'s, T: 's>(cx: Cx<'s>, inp: &mut Ref<'s, '_>, item: &B<'s, T>) -> Result<T, PErr> {
    let before = inp.save();
    let out = inp.parse(item)?;
    let i = idx(inp);
    if !is_operator(kind_at(cx, i)) {
        return Ok(out);
    }
    let op_at = span_at(cx, i).start;
    inp.rewind(before.clone());
    let never = guard(cx, |_, _| false);
    match inp.parse(item.clone().then_ignore(never)) {
        Err(e) if e.position().is_some_and(|p| p > op_at) => Err(e),
        _ => {
            inp.rewind(before);
            inp.parse(item)
        }
    }
}

/// Skip to where `err` was found (the parser stopped there), so recovery starts at the mistake.
fn advance_to(cx: Cx, inp: &mut Ref, err: &PErr) {
    let Some(pos) = err.position() else { return };
    while at(cx, idx(inp)).is_some_and(|t| t.1.start < pos) {
        inp.skip();
    }
}

/// The index of the next token.
pub(super) fn idx(inp: &Ref) -> usize {
    inp.cursor().inner().0
}

pub(super) fn at(cx: Cx, i: usize) -> Option<(Tk, SimpleSpan)> {
    cx.toks.get(i).copied()
}

/// The next token's kind, `Eof` at the end.
pub(super) fn kind_at(cx: Cx, i: usize) -> Token {
    cx.toks.get(i).map_or(Token::Eof, |t| t.0.kind)
}

/// The span of the next token, or the end of the input.
pub(super) fn span_at(cx: Cx, i: usize) -> SimpleSpan {
    cx.toks.get(i).map_or(cx.eoi(), |t| t.1)
}

/// Skip line breaks kept for statements; brace lists ignore them.
pub(super) fn skip_newlines(cx: Cx, inp: &mut Ref) {
    while kind_at(cx, idx(inp)) == Token::Newline {
        inp.skip();
    }
}

pub(super) fn emit(inp: &mut Ref, d: Diagnostic) {
    inp.state().dirty = true;
    inp.emit(PErr::diag(d));
}

/// Succeed without consuming when `ok(tokens, next index)` holds; fail quietly otherwise.
pub(super) fn guard<'s>(cx: Cx<'s>, ok: impl Fn(Cx<'s>, usize) -> bool + 's) -> B<'s, ()> {
    custom(move |inp: &mut Ref<'s, '_>| {
        let i = idx(inp);
        if ok(cx, i) { Ok(()) } else { Err(PErr::silent(span_at(cx, i), at(cx, i).map(|t| t.0))) }
    })
    .boxed()
}

/// Like `guard`, but a failure says what was expected.
pub(super) fn expect_that<'s>(cx: Cx<'s>, label: &'static str, ok: impl Fn(Cx<'s>, usize) -> bool + 's) -> B<'s, ()> {
    custom(move |inp: &mut Ref<'s, '_>| {
        let i = idx(inp);
        if ok(cx, i) { Ok(()) } else { Err(PErr::label(span_at(cx, i), at(cx, i).map(|t| t.0), label)) }
    })
    .boxed()
}

/// Skip tokens, nested brackets whole, until one in `stop` at this depth, an unmatched `}`, or the end.
/// With `lines`, the start of a new line at this depth stops too. An unmatched `)` or `]` not in `stop`
/// is skipped. Returns whether anything was skipped.
pub(super) fn recover_to(cx: Cx, inp: &mut Ref, stop: &[Token], lines: bool) -> bool {
    let mut depth: Vec<Token> = Vec::new();
    let start = idx(inp);
    while let Some((t, _)) = at(cx, idx(inp)) {
        let tok = t.kind;
        if depth.is_empty() && (stop.contains(&tok) || (lines && t.ls && idx(inp) > start)) {
            break;
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
                    break;
                }
            }
            _ => {}
        }
        inp.skip();
    }
    idx(inp) > start
}

/// As a parser: skip to one of `stop` (see `recover_to`) and note that a mistake was reported.
pub(super) fn skip_to<'s>(cx: Cx<'s>, stop: &'static [Token]) -> B<'s, ()> {
    custom(move |inp: &mut Ref<'s, '_>| {
        inp.state().dirty = true;
        recover_to(cx, inp, stop, false);
        Ok(())
    })
    .boxed()
}

/// After a bad statement: skip to the end of its line, a `;`, or the block's `}`; always make progress.
pub(super) fn sync_stmt<'s>(cx: Cx<'s>) -> B<'s, ()> {
    custom(move |inp: &mut Ref<'s, '_>| {
        inp.state().dirty = true;
        let moved = recover_to(cx, inp, &[Token::Newline, Token::Semi, Token::RBrace], true);
        if !moved && !matches!(kind_at(cx, idx(inp)), Token::Eof | Token::RBrace) {
            inp.skip();
        }
        Ok(())
    })
    .boxed()
}

/// After a bad item: skip to the next item keyword at the start of a line; always make progress.
pub(super) fn sync_item<'s>(cx: Cx<'s>) -> B<'s, ()> {
    custom(move |inp: &mut Ref<'s, '_>| {
        inp.state().dirty = true;
        let start = idx(inp);
        loop {
            recover_to(cx, inp, &[Token::Newline], true);
            let line_end = inp.save();
            skip_newlines(cx, inp);
            match kind_at(cx, idx(inp)) {
                Token::Eof => {
                    // The line breaks are not part of what was skipped.
                    inp.rewind(line_end);
                    break;
                }
                Token::RBrace => inp.skip(),
                k if k.starts_item() && idx(inp) > start => {
                    inp.rewind(line_end);
                    break;
                }
                _ if idx(inp) == start => inp.skip(),
                _ => {}
            }
        }
        Ok(())
    })
    .boxed()
}

/// `expected ')', found X`, with the opener as a secondary label.
pub(super) fn unclosed(cx: Cx, open: SimpleSpan, open_tok: Token, close_tok: Token, i: usize) -> Diagnostic {
    let found = cx.found(at(cx, i));
    Diagnostic::error("E0011", format!("expected {}, found {found}", close_tok.describe()))
        .at(cx.span(span_at(cx, i)), format!("expected {} here", close_tok.describe()))
        .with(cx.span(open), format!("this {} is never closed", open_tok.describe()))
}

/// The end of the token before index `i`, at least `floor`.
pub(super) fn end_before(cx: Cx, i: usize, floor: usize) -> usize {
    i.checked_sub(1).and_then(|j| cx.toks.get(j)).map_or(floor, |t| t.1.end).max(floor)
}

/// `open item (sep item)* sep? close`, where sep is `,` or (when `newline_sep`) a line break. A bad
/// item is reported, skipped to the next separator and replaced by `on_error`, if that gives a node.
/// A missing closer ends the list at the end of the file, at an item keyword starting a line, at a
/// `{` or `}`, or at a new line, so the enclosing construct goes on from there.
pub(super) fn delimited<'s, T: 's>(
    cx: Cx<'s>,
    open: Token,
    close: Token,
    newline_sep: bool,
    item: B<'s, T>,
    on_error: fn(crate::span::Span) -> Option<T>,
) -> B<'s, (Vec<T>, SimpleSpan)> {
    custom(move |inp: &mut Ref<'s, '_>| {
        let i = idx(inp);
        let Some((_, open_span)) = at(cx, i).filter(|t| t.0.kind == open) else {
            return Err(PErr::Expected {
                span: span_at(cx, i),
                expected: vec![super::errors::Exp::Tok(open)],
                found: at(cx, i).map(|t| t.0.kind),
            });
        };
        inp.skip();
        let mut items = Vec::new();
        loop {
            let before_newlines = inp.save();
            skip_newlines(cx, inp);
            let i = idx(inp);
            let Some((t, s)) = at(cx, i) else {
                inp.rewind(before_newlines);
                emit(inp, unclosed(cx, open_span, open, close, i));
                break;
            };
            if t.kind == close {
                inp.skip();
                break;
            }
            if t.kind.starts_item() && t.nl {
                inp.rewind(before_newlines);
                emit(inp, unclosed(cx, open_span, open, close, i));
                break;
            }
            let before = inp.save();
            match parse_whole(cx, inp, &item) {
                Ok(x) => items.push(x),
                Err(err) => {
                    inp.rewind(before);
                    advance_to(cx, inp, &err);
                    inp.state().dirty = true;
                    inp.emit(err);
                    recover_to(cx, inp, &[Token::Comma, close], false);
                    let end = end_before(cx, idx(inp), s.start);
                    if let Some(x) = on_error(cx.span(SimpleSpan::from(s.start..end))) {
                        items.push(x);
                    }
                }
            }
            let before_newlines = inp.save();
            skip_newlines(cx, inp);
            let i = idx(inp);
            let next = at(cx, i);
            let tok = next.map_or(Token::Eof, |t| t.0.kind);
            let nl = next.is_some_and(|t| t.0.nl);
            if tok == Token::Comma {
                inp.skip();
            } else if tok == close || (newline_sep && nl) {
                // The closer ends the loop above; a line break separates brace-list entries.
            } else if matches!(tok, Token::Eof | Token::RBrace)
                || (tok == Token::LBrace && close != Token::RBrace)
                || nl
            {
                // The closer is most likely missing: end the list here, line breaks given back.
                inp.rewind(before_newlines);
                emit(inp, unclosed(cx, open_span, open, close, i));
                break;
            } else {
                let what = format!("',' or {}", close.describe());
                let found = cx.found(next);
                emit(
                    inp,
                    Diagnostic::error("E0010", format!("expected {what}, found {found}"))
                        .at(cx.span(span_at(cx, i)), format!("expected {what}")),
                );
                recover_to(cx, inp, &[Token::Comma, close], false);
                if kind_at(cx, idx(inp)) == Token::Comma {
                    inp.skip();
                }
            }
        }
        let end = end_before(cx, idx(inp), open_span.end);
        Ok((items, SimpleSpan::from(open_span.start..end)))
    })
    .boxed()
}

/// `open inner close` where `inner` is one thing. A bad inner part is reported and skipped to the
/// closer, and `on_error` stands in for it. A missing closer at the end, a `}` or a new line is
/// reported against the opener; other tokens are reported, skipped and the closer eaten. With `strict`,
/// anything but the closer counts as a missing closer.
pub(super) fn bracketed<'s, T: 's>(
    cx: Cx<'s>,
    open: Token,
    close: Token,
    strict: bool,
    inner: B<'s, T>,
    on_error: fn(crate::span::Span) -> T,
) -> B<'s, (T, SimpleSpan)> {
    custom(move |inp: &mut Ref<'s, '_>| {
        let i = idx(inp);
        let Some((_, open_span)) = at(cx, i).filter(|t| t.0.kind == open) else {
            return Err(PErr::Expected {
                span: span_at(cx, i),
                expected: vec![super::errors::Exp::Tok(open)],
                found: at(cx, i).map(|t| t.0.kind),
            });
        };
        inp.skip();
        let start = span_at(cx, idx(inp)).start;
        let before = inp.save();
        let out = match parse_whole(cx, inp, &inner) {
            Ok(x) => x,
            Err(err) => {
                inp.rewind(before);
                advance_to(cx, inp, &err);
                inp.state().dirty = true;
                inp.emit(err);
                recover_to(cx, inp, &[close], false);
                let end = end_before(cx, idx(inp), start);
                on_error(cx.span(SimpleSpan::from(start..end)))
            }
        };
        let i = idx(inp);
        let next = at(cx, i);
        let tok = next.map_or(Token::Eof, |t| t.0.kind);
        if tok == close {
            inp.skip();
        } else if strict || matches!(tok, Token::Eof | Token::RBrace) || next.is_some_and(|t| t.0.nl) {
            emit(inp, unclosed(cx, open_span, open, close, i));
        } else {
            let found = cx.found(next);
            emit(
                inp,
                Diagnostic::error("E0010", format!("expected {}, found {found}", close.describe()))
                    .at(cx.span(span_at(cx, i)), format!("expected {}", close.describe())),
            );
            recover_to(cx, inp, &[close], false);
            if kind_at(cx, idx(inp)) == close {
                inp.skip();
            }
        }
        let end = end_before(cx, idx(inp), open_span.end);
        Ok((out, SimpleSpan::from(open_span.start..end)))
    })
    .boxed()
}
