//! Type expressions (`Name`, `[T]`, `T?`, `[N/mm]`) and unit expressions (`N*m`, `m/s^2`, `%`).

use super::errors::PErr;
use super::exprs::{emit, ident};
use super::recovery::{Ref, bracketed, guard, idx, span_at};
use super::{B, Cx, Tk, tk};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;
use chumsky::prelude::*;

/// `unit (('*' | '/') unit)*` with `unit = name ('^' '-'? INT)?`. After a unit, `*` or `/` continues it
/// only when a unit name follows on the same line, so in `2 mm * 3` the unit is `mm`.
pub(super) fn unit_expr<'s>(cx: Cx<'s>) -> B<'s, UnitExpr> {
    let name = select! {
        Tk { kind: Token::Ident | Token::In | Token::Percent, .. } = e => cx.ident(e.span()),
    }
    .labelled("unit name");
    let power = select! { Tk { kind: Token::Caret, nl: false, .. } => () }
        .ignore_then(just(tk(Token::Minus)).or_not())
        .then(select! { Tk { kind: Token::Int, .. } = e => e.span() }.labelled("integer power"))
        .map_with(move |(minus, s), e| {
            let power = match cx.text(s).replace('_', "").parse::<i32>() {
                Ok(p) if p <= 64 => p,
                _ => {
                    emit(e, Diagnostic::error("E0004", "unit power is too large").at(cx.span(s), "at most 64"));
                    1
                }
            };
            if minus.is_some() { -power } else { power }
        });
    let factor = name.then(power.or_not()).map(|(name, power)| (name, power.unwrap_or(1))).boxed();
    let op = custom(move |inp: &mut Ref<'s, '_>| {
        let i = idx(inp);
        let sign = match cx.toks.get(i) {
            Some((t, _)) if t.kind == Token::Star && !t.nl => 1,
            Some((t, _)) if t.kind == Token::Slash && !t.nl => -1,
            _ => return Err(PErr::silent(span_at(cx, i), cx.toks.get(i).map(|t| t.0))),
        };
        let unit_next = cx
            .toks
            .get(i + 1)
            .is_some_and(|t| matches!(t.0.kind, Token::Ident | Token::In | Token::Percent) && !t.0.nl);
        if !unit_next {
            return Err(PErr::silent(span_at(cx, i), cx.toks.get(i).map(|t| t.0)));
        }
        inp.skip();
        Ok(sign)
    });
    factor
        .clone()
        .then(op.then(factor).repeated().collect::<Vec<_>>())
        .map_with(move |(first, rest), e| {
            let mut factors = vec![UnitFactor { name: first.0, power: first.1 }];
            factors.extend(rest.into_iter().map(|(sign, (name, power))| UnitFactor { name, power: power * sign }));
            UnitExpr { factors, span: cx.span(e.span()) }
        })
        .boxed()
}

/// Look ahead (after `[`) to the matching `]`: a unit when the contents hold `*`, `/`, `^` or `%`, or
/// start with a lower-case name.
fn holds_unit(cx: Cx, from: usize) -> bool {
    let mut first = true;
    let mut lower_first = false;
    let mut operator = false;
    for (t, s) in cx.toks[from.min(cx.toks.len())..].iter() {
        match t.kind {
            Token::RBracket => break,
            Token::Newline => continue,
            Token::Ident | Token::In => {
                if first {
                    lower_first = cx.text(*s).starts_with(|c: char| c.is_ascii_lowercase());
                }
            }
            Token::Star | Token::Slash | Token::Caret | Token::Percent => operator = true,
            Token::Int | Token::Minus => {}
            _ => return false,
        }
        first = false;
    }
    operator || lower_first
}

pub(super) fn type_expr<'s>(cx: Cx<'s>) -> B<'s, TypeExpr> {
    recursive(move |ty| {
        let named = ident(cx).map(|n| TypeExpr { span: n.span, kind: TypeExprKind::Named(n) });
        let unit = guard(cx, holds_unit).ignore_then(unit_expr(cx)).map(TypeExprKind::Unit);
        let list = ty.map(|t| TypeExprKind::List(Box::new(t)));
        let inner = choice((unit, list)).boxed();
        let bracket = bracketed(cx, Token::LBracket, Token::RBracket, true, inner, |_| TypeExprKind::Error)
            .map(move |(kind, s)| TypeExpr { kind, span: cx.span(s) });
        let cut = select! { Tk { kind: Token::Error, .. } = e => error_type(cx.span(e.span())) };
        let base = choice((named, bracket, cut)).labelled("type");
        let question = select! { Tk { kind: Token::Question, nl: false, .. } = e => e.span() };
        base.then(question.repeated().collect::<Vec<_>>())
            .map(move |(ty, marks)| {
                marks.into_iter().fold(ty, |ty, q| {
                    let span = ty.span.to(cx.span(q));
                    TypeExpr { kind: TypeExprKind::Optional(Box::new(ty)), span }
                })
            })
            .boxed()
    })
    .boxed()
}

/// A stand-in for a type that could not be parsed.
pub(super) fn error_type(span: crate::span::Span) -> TypeExpr {
    TypeExpr { kind: TypeExprKind::Error, span }
}
