//! Expressions with a pratt parser, low to high: `or`, `and`, `not`, comparisons, `+ -`, `* / %`, unary
//! `-`, postfix (call, method call, field, index); then atoms, quantity literals, struct literals and
//! `match`.

use super::errors::{OPERATOR, PErr};
use super::recovery::{bracketed, delimited, guard, kind_at};
use super::strings::string_expr;
use super::{B, Cx, Ex, Inp, Tk, is_upper, tk};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;
use chumsky::input::MapExtra;
use chumsky::pratt::{infix, left, postfix, prefix};
use chumsky::prelude::*;

pub(super) type Extra<'s, 'b> = MapExtra<'s, 'b, Inp<'s>, Ex>;

/// Report a diagnostic found while building a node.
pub(super) fn emit(e: &mut Extra, d: Diagnostic) {
    e.state().dirty = true;
    e.emit(PErr::diag(d));
}

pub(super) fn error_expr(span: crate::span::Span) -> Expr {
    Expr { kind: ExprKind::Error, span }
}

fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span }
}

pub(super) fn ident<'s>(cx: Cx<'s>) -> B<'s, Ident> {
    select! { Tk { kind: Token::Ident, .. } = e => cx.ident(e.span()) }.labelled("name").boxed()
}

/// A name where keywords are unambiguous too: an item's name after `fn`/`skill` and a field or method
/// after `.` (the prelude declares `fn skill(fault: Fault)`, used as `e.skill`).
pub(super) fn name_or_keyword<'s>(cx: Cx<'s>) -> B<'s, Ident> {
    any()
        .filter(|t: &Tk| t.kind == Token::Ident || t.kind.is_keyword())
        .map_with(move |_, e| cx.ident(e.span()))
        .labelled("name")
        .boxed()
}

/// The next token is `kind` with no line break before it.
pub(super) fn same_line<'s>(cx: Cx<'s>, kind: Token) -> B<'s, ()> {
    guard(cx, move |cx, i| cx.toks.get(i).is_some_and(|t| t.0.kind == kind && !t.0.nl))
}

/// A condition (`if`, `while`, `ensure`, `requires`): `a = b` is reported with a hint to use `==` and
/// read as `a == b`, so the rest of the statement parses.
pub(super) fn cond_expr<'s>(cx: Cx<'s>, expr: B<'s, Expr>) -> B<'s, Expr> {
    let eq = just(tk(Token::Assign)).map_with(|_, e| e.span());
    expr.clone()
        .then(eq.then(expr).or_not())
        .map_with(move |(lhs, rest), e| match rest {
            None => lhs,
            Some((eq, rhs)) => {
                emit(
                    e,
                    Diagnostic::error("E0012", "expected a condition, found an assignment")
                        .at(cx.span(eq), "'=' assigns")
                        .help("to compare, use '=='"),
                );
                binary(BinOp::Eq, lhs, rhs)
            }
        })
        .boxed()
}

/// A number, or a quantity when a unit follows on the same line.
fn number<'s>(cx: Cx<'s>) -> B<'s, Expr> {
    let num = select! {
        Tk { kind: Token::Int, .. } = e => (true, e.span()),
        Tk { kind: Token::Real, .. } = e => (false, e.span()),
    };
    let unit = unit_follows(cx).ignore_then(super::types::unit_expr(cx));
    num.then(unit.or_not())
        .map_with(move |((is_int, s), unit), e| {
            let text = cx.text(s);
            let span = cx.span(s);
            let digits: String = text.chars().filter(|c| *c != '_').collect();
            if let Some(unit) = unit {
                let value = digits.parse::<f64>().unwrap_or(f64::NAN);
                let span = span.to(unit.span);
                return Expr { kind: ExprKind::Quantity { value, text: text.to_string(), unit }, span };
            }
            if !is_int {
                return Expr { kind: ExprKind::Real(digits.parse::<f64>().unwrap_or(f64::NAN)), span };
            }
            match digits.parse::<i64>() {
                Ok(v) => Expr { kind: ExprKind::Int(v), span },
                Err(_) => {
                    emit(
                        e,
                        Diagnostic::error("E0004", "integer literal is too large")
                            .at(span, "does not fit in 64 bits")
                            .help("write it as a real number, such as 1.0e20"),
                    );
                    error_expr(span)
                }
            }
        })
        .boxed()
}

/// Whether the token after a number starts its unit: a name (or `in`, the inch) on the same line, or
/// `%` unless an operand follows it (then `%` is the remainder: `10 % 3`).
fn unit_follows<'s>(cx: Cx<'s>) -> B<'s, ()> {
    guard(cx, |cx, i| {
        let Some((t, _)) = cx.toks.get(i) else { return false };
        if t.nl {
            return false;
        }
        match t.kind {
            Token::Ident | Token::In => true,
            Token::Percent => {
                !matches!(kind_at(cx, i + 1), Token::Int | Token::Real | Token::Ident | Token::LParen | Token::Str)
            }
            _ => false,
        }
    })
}

/// `Verdict::Pass`, `Grip { width: 1 mm }` (an upper-case name and `{ field:` after it, so that
/// `if ready {` opens a block) or a plain name.
fn name_expr<'s>(cx: Cx<'s>, expr: B<'s, Expr>) -> B<'s, Expr> {
    let id = ident(cx);
    let path = id
        .clone()
        .then(just(tk(Token::ColonColon)).ignore_then(id.clone()).repeated().at_least(1).collect::<Vec<_>>())
        .map(|(first, rest)| {
            let mut path = vec![first];
            path.extend(rest);
            let span = path[0].span.to(path[path.len() - 1].span);
            Expr { kind: ExprKind::Path(path), span }
        });
    let literal_follows = guard(cx, |cx, i| {
        if kind_at(cx, i) != Token::LBrace {
            return false;
        }
        let mut rest = cx.toks[i + 1..].iter().filter(|t| t.0.kind != Token::Newline);
        matches!(rest.next(), Some(t) if t.0.kind == Token::Ident)
            && matches!(rest.next(), Some(t) if t.0.kind == Token::Colon)
    });
    let field = id
        .clone()
        .then_ignore(just(tk(Token::Colon)))
        .then(expr)
        .map(|(name, value)| FieldInit { name, value })
        .boxed();
    let literal = id
        .clone()
        .filter(|n| is_upper(&n.name))
        .then_ignore(literal_follows)
        .then(delimited(cx, Token::LBrace, Token::RBrace, true, field, |_| None))
        .map(move |(name, (fields, s))| {
            let span = name.span.to(cx.span(s));
            Expr { kind: ExprKind::StructLit { name, fields }, span }
        });
    let name = id.map(|n| Expr { span: n.span, kind: ExprKind::Name(n) });
    choice((path, literal, name)).boxed()
}

/// `(a, name = b)`; `name: b` is reported and read as a named argument.
fn args<'s>(cx: Cx<'s>, expr: B<'s, Expr>) -> B<'s, (Vec<Arg>, SimpleSpan)> {
    let named_follows =
        guard(cx, |cx, i| kind_at(cx, i) == Token::Ident && matches!(kind_at(cx, i + 1), Token::Assign | Token::Colon));
    let named = named_follows
        .ignore_then(ident(cx))
        .then(select! {
            Tk { kind: Token::Assign, .. } = e => (false, e.span()),
            Tk { kind: Token::Colon, .. } = e => (true, e.span()),
        })
        .map_with(move |(name, (colon, s)), e| {
            if colon {
                emit(
                    e,
                    Diagnostic::error("E0010", "expected '=', found ':'")
                        .at(cx.span(s), "expected '='")
                        .help(format!("a named argument is written '{} = value'", name.name)),
                );
            }
            name
        });
    let arg = named.or_not().then(expr).map(|(name, value)| Arg { name, value }).boxed();
    delimited(cx, Token::LParen, Token::RParen, false, arg, |span| Some(Arg { name: None, value: error_expr(span) }))
}

/// `_`, `none`, a binding `x`, or a variant `A::B` / `A::B(x, y)`.
fn pattern<'s>(cx: Cx<'s>) -> B<'s, Pattern> {
    let id = ident(cx);
    let none = just(tk(Token::None)).map_with(move |_, e| Pattern { kind: PatternKind::None, span: cx.span(e.span()) });
    let bindings = delimited(cx, Token::LParen, Token::RParen, false, id.clone(), |_| None);
    let named = id
        .clone()
        .then(just(tk(Token::ColonColon)).ignore_then(id).repeated().collect::<Vec<_>>())
        .then(bindings.or_not())
        .map_with(move |((first, rest), bindings), e| {
            let span = cx.span(e.span());
            if first.name == "_" && rest.is_empty() && bindings.is_none() {
                return Pattern { kind: PatternKind::Wildcard, span: first.span };
            }
            let mut path = vec![first];
            path.extend(rest);
            match bindings {
                Some((bindings, _)) => Pattern { kind: PatternKind::Variant { path, bindings }, span },
                None if path.len() == 1 => Pattern { kind: PatternKind::Binding(path.remove(0)), span },
                None => Pattern { kind: PatternKind::Variant { path, bindings: Vec::new() }, span },
            }
        });
    choice((none, named)).labelled("pattern").boxed()
}

fn match_expr<'s>(cx: Cx<'s>, expr: B<'s, Expr>) -> B<'s, Expr> {
    let arm = pattern(cx)
        .then_ignore(just(tk(Token::FatArrow)))
        .then(expr.clone())
        .map_with(move |(pattern, body), e| MatchArm { pattern, body, span: cx.span(e.span()) })
        .boxed();
    just(tk(Token::Match))
        .map_with(|_, e| e.span())
        .then(expr)
        .then(delimited(cx, Token::LBrace, Token::RBrace, true, arm, |_| None))
        .map(move |((kw, scrutinee), (arms, s))| Expr {
            kind: ExprKind::Match { scrutinee: Box::new(scrutinee), arms },
            span: cx.span(SimpleSpan::from(kw.start..s.end)),
        })
        .boxed()
}

enum Post {
    Field(Ident),
    Method(Ident, Vec<Arg>, SimpleSpan),
    Call(Vec<Arg>, SimpleSpan),
    Index(Expr, SimpleSpan),
}

fn is_comparison(op: BinOp) -> bool {
    matches!(op, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
}

/// The expression parser.
pub(super) fn expr<'s>(cx: Cx<'s>) -> B<'s, Expr> {
    recursive(move |expr| {
        let expr: B<'s, Expr> = expr.boxed();
        let lit = select! {
            Tk { kind: Token::True, .. } => ExprKind::Bool(true),
            Tk { kind: Token::False, .. } => ExprKind::Bool(false),
            Tk { kind: Token::None, .. } => ExprKind::None,
            // What the nesting bound cut off; reported already.
            Tk { kind: Token::Error, .. } => ExprKind::Error,
        }
        .map_with(move |kind, e| Expr { kind, span: cx.span(e.span()) });
        let paren = bracketed(cx, Token::LParen, Token::RParen, false, expr.clone(), error_expr)
            // Keep the inner node; widen its span to the parentheses for diagnostics.
            .map(move |(inner, s)| Expr { kind: inner.kind, span: cx.span(s) });
        let list = delimited(cx, Token::LBracket, Token::RBracket, false, expr.clone(), |s| Some(error_expr(s)))
            .map(move |(items, s)| Expr { kind: ExprKind::List(items), span: cx.span(s) });
        let atom = choice((
            number(cx),
            lit.boxed(),
            string_expr(cx),
            name_expr(cx, expr.clone()),
            paren.boxed(),
            list.boxed(),
            match_expr(cx, expr.clone()),
        ))
        .labelled("expression")
        .boxed();

        let call_args = same_line(cx, Token::LParen).ignore_then(args(cx, expr.clone()));
        let member = just(tk(Token::Dot)).ignore_then(name_or_keyword(cx)).then(call_args.clone().or_not()).map(
            |(name, call)| match call {
                Some((args, s)) => Post::Method(name, args, s),
                None => Post::Field(name),
            },
        );
        let call = call_args.map(|(args, s)| Post::Call(args, s));
        let index = same_line(cx, Token::LBracket)
            .ignore_then(bracketed(cx, Token::LBracket, Token::RBracket, false, expr.clone(), error_expr))
            .map(|(index, s)| Post::Index(index, s));
        let post = choice((member, call, index)).labelled(OPERATOR).boxed();

        let tok = move |kind: Token| just(tk(kind)).map_with(|_, e| e.span());
        let op = move |kind: Token, op: BinOp| tok(kind).map(move |s| (op, s));
        // `&&`, `||` and `!` are reported with the Deft word and read as it.
        let foreign = move |kind: Token, word: &'static str| {
            just(tk(kind)).map_with(move |_, e| {
                let s = e.span();
                emit(
                    e,
                    Diagnostic::error("E0019", format!("{} is not a Deft operator", kind.describe()))
                        .at(cx.span(s), format!("write '{word}'"))
                        .help(format!("Deft spells this operator '{word}'")),
                );
                s
            })
        };
        let or_op = choice((tok(Token::Or), foreign(Token::PipePipe, "or"))).map(|s| (BinOp::Or, s)).labelled(OPERATOR);
        let and_op =
            choice((tok(Token::And), foreign(Token::AmpAmp, "and"))).map(|s| (BinOp::And, s)).labelled(OPERATOR);
        let not_op = choice((tok(Token::Not), foreign(Token::Bang, "not")));
        let cmp_op = choice((
            op(Token::EqEq, BinOp::Eq),
            op(Token::NotEq, BinOp::Ne),
            op(Token::Lt, BinOp::Lt),
            op(Token::Le, BinOp::Le),
            op(Token::Gt, BinOp::Gt),
            op(Token::Ge, BinOp::Ge),
            // `p in jig`: frame conversion, at comparison strength. After a number, `in` is the inch:
            // the quantity parser takes it before an operator is looked for.
            op(Token::In, BinOp::In),
        ))
        .labelled(OPERATOR);
        let add_op = choice((op(Token::Plus, BinOp::Add), op(Token::Minus, BinOp::Sub))).labelled(OPERATOR);
        let mul_op =
            choice((op(Token::Star, BinOp::Mul), op(Token::Slash, BinOp::Div), op(Token::Percent, BinOp::Rem)))
                .labelled(OPERATOR);
        let neg_op = tok(Token::Minus);

        let fold = |lhs: Expr, (op, _): (BinOp, SimpleSpan), rhs: Expr, _: &mut Extra<'s, '_>| binary(op, lhs, rhs);
        let unary = move |op: UnaryOp| {
            move |s: SimpleSpan, expr: Expr, _: &mut Extra<'s, '_>| {
                let span = cx.span(s).to(expr.span);
                Expr { kind: ExprKind::Unary { op, expr: Box::new(expr) }, span }
            }
        };
        // Comparisons do not chain; report each extra one and read the chain left to right.
        let compare = move |lhs: Expr, (op, s): (BinOp, SimpleSpan), rhs: Expr, e: &mut Extra<'s, '_>| {
            let chained = matches!(&lhs.kind, ExprKind::Binary { op, rhs: inner, .. }
                if is_comparison(*op) && inner.span.end == lhs.span.end);
            if chained {
                emit(
                    e,
                    Diagnostic::error("E0013", "comparisons cannot be chained")
                        .at(cx.span(s), "second comparison")
                        .with(lhs.span, "first comparison")
                        .help("combine them with 'and': 'a < b and b < c'"),
                );
            }
            binary(op, lhs, rhs)
        };
        let apply = |lhs: Expr, post: Post, _: &mut Extra<'s, '_>| {
            let start = lhs.span;
            match post {
                Post::Field(name) => {
                    let span = start.to(name.span);
                    Expr { kind: ExprKind::Field { expr: Box::new(lhs), name }, span }
                }
                Post::Method(method, args, s) => {
                    let span = crate::span::Span { end: s.end as u32, ..start };
                    Expr { kind: ExprKind::MethodCall { receiver: Box::new(lhs), method, args }, span }
                }
                Post::Call(args, s) => {
                    let span = crate::span::Span { end: s.end as u32, ..start };
                    Expr { kind: ExprKind::Call { callee: Box::new(lhs), args }, span }
                }
                Post::Index(index, s) => {
                    let span = crate::span::Span { end: s.end as u32, ..start };
                    Expr { kind: ExprKind::Index { expr: Box::new(lhs), index: Box::new(index) }, span }
                }
            }
        };
        atom.pratt((
            infix(left(1), or_op, fold),
            infix(left(2), and_op, fold),
            prefix(3, not_op, unary(UnaryOp::Not)),
            infix(left(4), cmp_op, compare),
            infix(left(5), add_op, fold),
            infix(left(6), mul_op, fold),
            prefix(7, neg_op, unary(UnaryOp::Neg)),
            postfix(8, post, apply),
        ))
        .boxed()
    })
    .boxed()
}

/// The expression inside `{...}` of a string, which must be all of it.
pub(super) fn interpolation<'s>(cx: Cx<'s>) -> B<'s, Expr> {
    expr(cx).then_ignore(end().labelled("'}' closing the interpolation")).boxed()
}

/// Whether the next token may start a new statement.
pub(super) fn at_stmt_end(cx: Cx, i: usize) -> bool {
    matches!(kind_at(cx, i), Token::Newline | Token::Semi | Token::RBrace | Token::Eof) || cx.toks[i].0.ls
}
