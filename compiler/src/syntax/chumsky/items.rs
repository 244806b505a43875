//! Items: `use`, `cell`, `const`, `struct`, `enum`, `fn`/`skill` (plain or `extern`) and `test`, and
//! the file as a list of them.

use super::errors::PErr;
use super::exprs::{cond_expr, emit, expr, ident, name_or_keyword, same_line};
use super::recovery::{
    Ref, delimited, expect_that, guard, idx, is_operator, kind_at, recover_to, skip_newlines, skip_to, span_at,
    sync_item,
};
use super::stmts::block;
use super::strings::string_text;
use super::types::{error_type, type_expr};
use super::{B, Cx, Tk, tk};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;
use chumsky::prelude::*;

fn kw<'s>(kind: Token) -> impl Parser<'s, super::Inp<'s>, Tk, super::Ex> + Clone {
    just(tk(kind))
}

/// The whole file.
pub(super) fn module<'s>(cx: Cx<'s>) -> B<'s, Vec<Item>> {
    let expr = expr(cx);
    let ty = type_expr(cx);
    let block = block(cx, expr.clone(), ty.clone());
    let item = item(cx, expr, ty, block);
    let sep = select! { Tk { kind: Token::Newline | Token::Semi, .. } => () };
    // Left over from a mistake in the item before (say a block that closed early because a `{` was
    // missing): already reported, so skip quietly to the next item.
    let stray = custom(move |inp: &mut Ref<'s, '_>| {
        let i = idx(inp);
        let k = kind_at(cx, i);
        if !inp.state().dirty || k.starts_item() || k == Token::Eof {
            return Err(PErr::silent(span_at(cx, i), cx.toks.get(i).map(|t| t.0)));
        }
        loop {
            recover_to(cx, inp, &[Token::Newline], true);
            skip_newlines(cx, inp);
            match kind_at(cx, idx(inp)) {
                Token::Eof => break,
                Token::RBrace => inp.skip(),
                k if k.starts_item() => break,
                _ if idx(inp) == i => inp.skip(),
                _ => {}
            }
        }
        inp.state().dirty = false;
        Ok(())
    });
    let reset = custom(|inp: &mut Ref<'s, '_>| {
        inp.state().dirty = false;
        Ok(())
    });
    let item_end = expect_that(cx, "end of line after item", |cx, i| {
        let k = kind_at(cx, i);
        matches!(k, Token::Newline | Token::Semi | Token::Eof) || (k.starts_item() && cx.toks[i].0.nl)
    });
    // Junk after a whole item is skipped and the item kept; an operator there means its operand
    // failed to parse, so the item itself is bad.
    let junk = guard(cx, |cx, i| !is_operator(kind_at(cx, i))).ignore_then(sync_item(cx));
    let item_line = reset
        .ignore_then(item.then_ignore(item_end.recover_with(via_parser(junk))).map(Some))
        .recover_with(via_parser(sync_item(cx).to(None)));
    let not_end = guard(cx, |cx, i| kind_at(cx, i) != Token::Eof);
    let entry = choice((sep.to(None), stray.to(None), not_end.ignore_then(item_line)));
    entry
        .repeated()
        .collect::<Vec<_>>()
        .then_ignore(any().repeated())
        .map(|items| items.into_iter().flatten().collect())
        .boxed()
}

fn item<'s>(cx: Cx<'s>, expr: B<'s, Expr>, ty: B<'s, TypeExpr>, block: B<'s, Block>) -> B<'s, Item> {
    let kind = choice((
        use_item(cx),
        cell_item(cx, ty.clone()),
        const_item(cx, expr.clone(), ty.clone()),
        struct_item(cx, ty.clone()),
        enum_item(cx, ty.clone()),
        fn_item(cx, expr.clone(), ty, block.clone()),
        test_item(cx, expr, block),
    ))
    .labelled("an item");
    kw(Token::Pub)
        .or_not()
        .then(kind)
        .map_with(move |(public, kind), e| {
            let s = e.span();
            Item { doc: cx.doc(s.start), public: public.is_some(), kind, span: cx.span(s) }
        })
        .labelled("an item")
        .boxed()
}

/// After `::` in a `use`: one more path segment, or the list of imported names.
enum Segment {
    Name(Ident),
    List(Vec<Ident>),
}

fn use_item<'s>(cx: Cx<'s>) -> B<'s, ItemKind> {
    let id = ident(cx);
    let names =
        delimited(cx, Token::LBrace, Token::RBrace, true, id.clone(), |_| None).map(|(names, _)| Segment::List(names));
    kw(Token::Use)
        .ignore_then(id.clone())
        .then(kw(Token::ColonColon).ignore_then(choice((names, id.map(Segment::Name)))).repeated().collect::<Vec<_>>())
        .map(|(first, rest)| {
            let mut path = vec![first];
            let mut names = Vec::new();
            for segment in rest {
                match segment {
                    Segment::Name(name) => path.push(name),
                    Segment::List(list) => names = list,
                }
            }
            ItemKind::Use(UseItem { path, names })
        })
        .boxed()
}

/// `name: Type` with the doc before it, as in `cell` and `struct`.
fn typed_entry<'s>(cx: Cx<'s>, ty: B<'s, TypeExpr>) -> B<'s, (Option<String>, Ident, TypeExpr, Span)> {
    ident(cx)
        .then_ignore(kw(Token::Colon))
        .then(ty)
        .map_with(move |(name, ty), e| {
            let s = e.span();
            (cx.doc(s.start), name, ty, cx.span(s))
        })
        .boxed()
}

fn cell_item<'s>(cx: Cx<'s>, ty: B<'s, TypeExpr>) -> B<'s, ItemKind> {
    let entry = typed_entry(cx, ty).map(|(doc, name, ty, span)| CellEntry { doc, name, ty, span }).boxed();
    kw(Token::Cell)
        .ignore_then(delimited(cx, Token::LBrace, Token::RBrace, true, entry, |_| None))
        .map(|(entries, _)| ItemKind::Cell(CellBlock { entries }))
        .boxed()
}

fn const_item<'s>(cx: Cx<'s>, expr: B<'s, Expr>, ty: B<'s, TypeExpr>) -> B<'s, ItemKind> {
    kw(Token::Const)
        .ignore_then(ident(cx))
        .then(kw(Token::Colon).ignore_then(ty).or_not())
        .then_ignore(kw(Token::Assign))
        .then(expr)
        .map(|((name, ty), value)| ItemKind::Const(ConstItem { name, ty, value }))
        .boxed()
}

fn struct_item<'s>(cx: Cx<'s>, ty: B<'s, TypeExpr>) -> B<'s, ItemKind> {
    let field = typed_entry(cx, ty).map(|(doc, name, ty, span)| FieldDef { doc, name, ty, span }).boxed();
    kw(Token::Struct)
        .ignore_then(ident(cx))
        .then(delimited(cx, Token::LBrace, Token::RBrace, true, field, |_| None))
        .map(|(name, (fields, _))| ItemKind::Struct(StructItem { name, fields }))
        .boxed()
}

fn enum_item<'s>(cx: Cx<'s>, ty: B<'s, TypeExpr>) -> B<'s, ItemKind> {
    let fields = same_line(cx, Token::LParen)
        .ignore_then(delimited(cx, Token::LParen, Token::RParen, false, ty, |s| Some(error_type(s))))
        .map(|(fields, _)| fields);
    let variant = ident(cx)
        .then(fields.or_not())
        .map_with(move |(name, fields), e| {
            let s = e.span();
            Variant { doc: cx.doc(s.start), name, fields: fields.unwrap_or_default(), span: cx.span(s) }
        })
        .boxed();
    kw(Token::Enum)
        .ignore_then(ident(cx))
        .then(delimited(cx, Token::LBrace, Token::RBrace, true, variant, |_| None))
        .map(|(name, (variants, _))| ItemKind::Enum(EnumItem { name, variants }))
        .boxed()
}

enum Clause {
    Requires(Span, Option<Expr>),
    Ensures(Span, Option<Expr>),
    Limits(Span, Vec<LimitClause>),
}

fn fn_item<'s>(cx: Cx<'s>, expr: B<'s, Expr>, ty: B<'s, TypeExpr>, block: B<'s, Block>) -> B<'s, ItemKind> {
    let param = ident(cx)
        .then_ignore(kw(Token::Colon))
        .then(
            ty.clone().recover_with(via_parser(
                skip_to(cx, &[Token::Comma, Token::RParen, Token::Assign])
                    .map_with(move |_, e| error_type(cx.span(e.span()))),
            )),
        )
        .then(kw(Token::Assign).ignore_then(expr.clone()).or_not())
        .map_with(move |((name, ty), default), e| Param { name, ty, default, span: cx.span(e.span()) })
        .boxed();
    let params = delimited(cx, Token::LParen, Token::RParen, false, param, |_| None).map(|(params, _)| params);
    let ret = kw(Token::Arrow).ignore_then(ty.recover_with(via_parser(
        skip_to(cx, &[Token::LBrace, Token::Newline]).map_with(move |_, e| error_type(cx.span(e.span()))),
    )));
    let keyword = move |kind: Token| kw(kind).map_with(move |_, e| cx.span(e.span()));
    let cond = cond_expr(cx, expr.clone())
        .map(Some)
        .recover_with(via_parser(skip_to(cx, &[Token::LBrace, Token::Newline]).to(None)));
    let limit = ident(cx)
        .then(
            select! {
                Tk { kind: Token::Le, .. } => None,
                Tk { kind: Token::Lt | Token::Ge | Token::Gt | Token::EqEq | Token::Assign, .. } = e => Some(e.span()),
            }
            .labelled("'<='"),
        )
        .then(expr)
        .map_with(move |((name, wrong), value), e| {
            if let Some(s) = wrong {
                emit(
                    e,
                    Diagnostic::error("E0018", "a limit is written with '<='")
                        .at(cx.span(s), "use '<=' here")
                        .help(format!("write '{} <= value'", name.name)),
                );
            }
            LimitClause { name, value, span: cx.span(e.span()) }
        })
        .boxed();
    let limits = delimited(cx, Token::LParen, Token::RParen, false, limit, |_| None)
        .map(|(limits, _)| limits)
        .recover_with(via_parser(skip_to(cx, &[Token::LBrace, Token::Newline]).to(Vec::new())));
    let clause = choice((
        keyword(Token::Requires).then(cond.clone()).map(|(s, e)| Clause::Requires(s, e)),
        keyword(Token::Ensures).then(cond).map(|(s, e)| Clause::Ensures(s, e)),
        keyword(Token::Limits).then(limits).map(|(s, l)| Clause::Limits(s, l)),
    ));
    let kind = select! {
        Tk { kind: Token::Fn, .. } => FnKind::Fn,
        Tk { kind: Token::Skill, .. } => FnKind::Skill,
    }
    .labelled("'skill' or 'fn'");
    let header = kind
        .then(name_or_keyword(cx))
        .then(params)
        .then(ret.or_not())
        .then(clause.repeated().collect::<Vec<_>>())
        .map_with(move |((((kind, name), params), ret), clauses), e| {
            let mut item = FnItem {
                kind,
                is_extern: false,
                name,
                params,
                ret,
                requires: None,
                ensures: None,
                limits: Vec::new(),
                body: None,
            };
            for clause in clauses {
                let (kw, duplicate, word) = match &clause {
                    Clause::Requires(s, _) => (*s, item.requires.is_some(), Token::Requires),
                    Clause::Ensures(s, _) => (*s, item.ensures.is_some(), Token::Ensures),
                    Clause::Limits(s, _) => (*s, !item.limits.is_empty(), Token::Limits),
                };
                if duplicate {
                    emit(
                        e,
                        Diagnostic::error("E0017", format!("{} is given twice", word.describe()))
                            .at(kw, "second clause")
                            .help("combine the conditions with 'and' in one clause"),
                    );
                }
                match clause {
                    Clause::Requires(_, Some(c)) => item.requires = Some(c),
                    Clause::Ensures(_, Some(c)) => item.ensures = Some(c),
                    Clause::Limits(_, l) => item.limits.extend(l),
                    _ => {}
                }
            }
            item
        })
        .boxed();
    let extern_fn = kw(Token::Extern)
        .ignore_then(header.clone())
        .then(same_line(cx, Token::LBrace).ignore_then(block.clone()).or_not())
        .map_with(|(mut item, body), e| {
            item.is_extern = true;
            if let Some(body) = body {
                emit(
                    e,
                    Diagnostic::error("E0016", "an extern item has no body")
                        .at(body.span, "remove this body")
                        .help("'extern' items are implemented by the runtime; drop 'extern' to write the body in Deft"),
                );
            }
            ItemKind::Fn(item)
        });
    let plain_fn =
        header.then(block.map(Some).recover_with(via_parser(sync_item(cx).to(None)))).map(|(mut item, body)| {
            item.body = body;
            ItemKind::Fn(item)
        });
    choice((extern_fn, plain_fn)).boxed()
}

fn test_item<'s>(cx: Cx<'s>, expr: B<'s, Expr>, block: B<'s, Block>) -> B<'s, ItemKind> {
    let runs = kw(Token::Runs)
        .ignore_then(expr.clone())
        .then_ignore(kw(Token::Expect))
        .then_ignore(kw(Token::Success))
        .then_ignore(kw(Token::Ge))
        .then(expr);
    kw(Token::Test)
        .ignore_then(string_text(cx).labelled("the test's name in quotes"))
        .then(runs.or_not())
        .then(block)
        .map(|(((name, name_span), runs), body)| {
            let (runs, expect) = match runs {
                Some((runs, expect)) => (Some(runs), Some(expect)),
                None => (None, None),
            };
            ItemKind::Test(TestItem { name, name_span, runs, expect, body })
        })
        .boxed()
}
