//! Blocks and statements. A statement ends at a line break or `;`; a bad statement becomes
//! `StmtKind::Error` and parsing goes on at the next line.

use super::exprs::{at_stmt_end, cond_expr, emit, ident};
use super::recovery::{Ref, expect_that, guard, idx, is_operator, kind_at, sync_stmt, unclosed};
use super::{B, Cx, Tk, tk};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;
use chumsky::prelude::*;

/// Where a block or brace group should have closed but did not: the index of the token found instead.
fn close_brace<'s>(cx: Cx<'s>) -> B<'s, Option<usize>> {
    custom(move |inp: &mut Ref<'s, '_>| {
        let i = idx(inp);
        if kind_at(cx, i) == Token::RBrace {
            inp.skip();
            Ok(None)
        } else {
            Ok(Some(i))
        }
    })
    .boxed()
}

fn kw<'s>(kind: Token) -> impl Parser<'s, super::Inp<'s>, Tk, super::Ex> + Clone {
    just(tk(kind))
}

/// `{ stmt* }`. A missing `}` is reported against its `{` at the end of the file or at an item keyword,
/// and the block ends there.
pub(super) fn block<'s>(cx: Cx<'s>, expr: B<'s, Expr>, ty: B<'s, TypeExpr>) -> B<'s, Block> {
    recursive(move |block| {
        let block: B<'s, Block> = block.boxed();
        let stmt = stmt(cx, expr.clone(), ty.clone(), block.clone());
        let sep = select! { Tk { kind: Token::Newline | Token::Semi, .. } => () };
        let starts_stmt = guard(cx, |cx, i| {
            let k = kind_at(cx, i);
            !matches!(k, Token::RBrace | Token::Eof) && !k.starts_item()
        });
        let stmt_end = expect_that(cx, "end of line", at_stmt_end);
        // Junk after a whole statement is skipped and the statement kept; an operator there means its
        // operand failed to parse, so the statement itself is bad.
        let junk = guard(cx, |cx, i| !is_operator(kind_at(cx, i))).ignore_then(sync_stmt(cx));
        let line = stmt.then_ignore(stmt_end.recover_with(via_parser(junk))).recover_with(via_parser(
            sync_stmt(cx).map_with(move |_, e| Stmt { kind: StmtKind::Error, span: cx.span(e.span()) }),
        ));
        let entry = choice((sep.to(None), starts_stmt.ignore_then(line).map(Some)));
        just(tk(Token::LBrace))
            .labelled("'{'")
            .map_with(|_, e| e.span())
            .then(entry.repeated().collect::<Vec<_>>())
            .then(close_brace(cx))
            .map_with(move |((open, stmts), missing), e| {
                if let Some(i) = missing {
                    emit(e, unclosed(cx, open, Token::LBrace, Token::RBrace, i));
                }
                Block { stmts: stmts.into_iter().flatten().collect(), span: cx.span(e.span()) }
            })
            .boxed()
    })
    .boxed()
}

fn stmt<'s>(cx: Cx<'s>, expr: B<'s, Expr>, ty: B<'s, TypeExpr>, block: B<'s, Block>) -> B<'s, Stmt> {
    let id = ident(cx);
    let cond = cond_expr(cx, expr.clone());

    let let_stmt = select! {
        Tk { kind: Token::Let, .. } => false,
        Tk { kind: Token::Var, .. } => true,
    }
    .then(id.clone())
    .then(kw(Token::Colon).ignore_then(ty).or_not())
    .then_ignore(kw(Token::Assign).labelled("'='"))
    .then(expr.clone())
    .map(|(((mutable, name), ty), value)| StmtKind::Let { mutable, name, ty, value });

    let if_stmt = recursive(|if_stmt| {
        let else_branch = kw(Token::Else).ignore_then(choice((
            if_stmt.map_with(move |kind, e| {
                let span = cx.span(e.span());
                Block { stmts: vec![Stmt { kind, span }], span }
            }),
            block.clone(),
        )));
        let if_let = kw(Token::Let)
            .ignore_then(id.clone())
            .then_ignore(kw(Token::Assign))
            .then(expr.clone())
            .then(block.clone())
            .then(else_branch.clone().or_not())
            .map(|(((name, value), then), otherwise)| StmtKind::IfLet { name, value, then, otherwise });
        let plain = cond
            .clone()
            .then(block.clone())
            .then(else_branch.or_not())
            .map(|((cond, then), otherwise)| StmtKind::If { cond, then, otherwise });
        kw(Token::If).ignore_then(choice((if_let, plain))).boxed()
    });

    let while_stmt = kw(Token::While)
        .ignore_then(cond.clone())
        .then(block.clone())
        .map(|(cond, body)| StmtKind::While { cond, body });
    let for_stmt = kw(Token::For)
        .ignore_then(id.clone())
        .then_ignore(kw(Token::In))
        .then(expr.clone())
        .then(kw(Token::DotDot).ignore_then(expr.clone()).or_not())
        .then(block.clone())
        .map(|(((var, first), end), body)| {
            let iter = match end {
                Some(end) => ForIter::Range(first, end),
                None => ForIter::List(first),
            };
            StmtKind::For { var, iter, body }
        });
    let return_stmt = kw(Token::Return)
        .ignore_then(choice((guard(cx, at_stmt_end).to(None), expr.clone().map(Some))))
        .map(StmtKind::Return);
    let fail_stmt = kw(Token::Fail).ignore_then(expr.clone()).map(StmtKind::Fail);
    let ensure_stmt = kw(Token::Ensure)
        .ignore_then(cond.clone())
        .then_ignore(kw(Token::Else).labelled("'else'"))
        .then(expr.clone())
        .map(|(cond, message)| StmtKind::Ensure { cond, message });
    let try_stmt = kw(Token::Try)
        .ignore_then(block.clone())
        .then_ignore(kw(Token::Recover).labelled("'recover'"))
        .then(id)
        .then(block.clone())
        .map(|((body, fault), recover)| StmtKind::Try { body, fault, recover });
    let retry_stmt = kw(Token::Retry)
        .ignore_then(expr.clone())
        .then(block.clone())
        .map(|(count, body)| StmtKind::Retry { count, body });
    let within_stmt = kw(Token::Within)
        .ignore_then(expr.clone())
        .then(block.clone())
        .map(|(time, body)| StmtKind::Within { time, body });
    // `parallel { { ... } { ... } }`: the branches are blocks, one after another.
    let branch = choice((select! { Tk { kind: Token::Newline, .. } => None }, block.map(Some)));
    let parallel_stmt = kw(Token::Parallel)
        .ignore_then(kw(Token::LBrace).map_with(|_, e| e.span()))
        .then(branch.repeated().collect::<Vec<_>>())
        .then(close_brace(cx))
        .map_with(move |((open, branches), missing), e| {
            if let Some(i) = missing {
                emit(e, unclosed(cx, open, Token::LBrace, Token::RBrace, i));
            }
            StmtKind::Parallel(branches.into_iter().flatten().collect())
        });
    let expr_stmt = expr.clone().then(kw(Token::Assign).ignore_then(expr).or_not()).map_with(|(target, value), e| {
        let Some(value) = value else { return StmtKind::Expr(target) };
        if matches!(target.kind, ExprKind::Name(_) | ExprKind::Index { .. } | ExprKind::Field { .. }) {
            StmtKind::Assign { target, value }
        } else {
            emit(
                e,
                Diagnostic::error("E0014", "cannot assign to this expression")
                    .at(target.span, "not a variable, list element or field")
                    .help("only 'x = e', 'xs[i] = e' and 's.f = e' assign; compare with '=='"),
            );
            StmtKind::Error
        }
    });
    choice((
        let_stmt.boxed(),
        if_stmt.boxed(),
        while_stmt.boxed(),
        for_stmt.boxed(),
        return_stmt.boxed(),
        fail_stmt.boxed(),
        ensure_stmt.boxed(),
        try_stmt.boxed(),
        retry_stmt.boxed(),
        within_stmt.boxed(),
        parallel_stmt.boxed(),
        expr_stmt.boxed(),
    ))
    .map_with(move |kind, e| Stmt { kind, span: cx.span(e.span()) })
    .boxed()
}
