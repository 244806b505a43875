//! Which list locals of a function own their list outright, so `xs[i] = v` may write in place and
//! `xs = xs + [v]` may append in place instead of copying.
//!
//! Lists are values: after `let ys = xs`, writing `xs[0]` must not change `ys`. The runtime keeps no
//! reference counts, so the compiler proves uniqueness instead, conservatively and per function: a
//! local owns its list when every value stored in it is freshly made (a list literal or a
//! concatenation, never a parameter, a call's result, a field or another local) and the local
//! itself is only ever read where the handle cannot escape: indexed, measured with `len`, or as an
//! operand of `+` (which makes a new list). Any other read (passing it to a call, storing it in a
//! record or list, returning it, assigning it to another local, iterating it with `for`) could leave
//! a second holder, so the local is treated as shared and written by copying, as before.

use crate::tir::{BinOp, Expr, ExprKind, FmtPiece, Function, LocalId, Stmt};
use crate::types::Ty;

/// For each local of `func`, whether it owns its list (always false for non-lists and parameters).
pub(super) fn owned_lists(func: &Function) -> Vec<bool> {
    let mut owned: Vec<bool> =
        func.locals.iter().enumerate().map(|(i, l)| i >= func.params.len() && matches!(l.ty, Ty::List(_))).collect();
    block(&func.body, &mut owned);
    owned
}

fn disown(owned: &mut [bool], id: LocalId) {
    if let Some(o) = owned.get_mut(id.0 as usize) {
        *o = false;
    }
}

/// A value made by this very expression, which nothing else can hold yet.
fn fresh(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::List(_) | ExprKind::Binary(BinOp::ListConcat, ..))
}

fn block(stmts: &[Stmt], owned: &mut [bool]) {
    for s in stmts {
        stmt(s, owned);
    }
}

fn stmt(s: &Stmt, owned: &mut [bool]) {
    match s {
        Stmt::Let(id, e) | Stmt::Assign(id, e) => {
            if !fresh(e) {
                disown(owned, *id);
            }
            expr(e, owned);
        }
        Stmt::SetIndex { list: _, index, value } => {
            expr(index, owned);
            expr(value, owned);
        }
        Stmt::Expr(e) | Stmt::Reraise(e) | Stmt::Fail { message: e, .. } => expr(e, owned),
        Stmt::Return(e) => e.iter().for_each(|e| expr(e, owned)),
        Stmt::If { cond, then, otherwise } => {
            expr(cond, owned);
            block(then, owned);
            block(otherwise, owned);
        }
        Stmt::While { cond, body } => {
            expr(cond, owned);
            block(body, owned);
        }
        Stmt::ForList { var, list, body } => {
            // The loop reads the list it started with; writing that list in place from the body
            // would change what the loop sees, so a local iterated here is shared.
            disown(owned, *var);
            expr(list, owned);
            block(body, owned);
        }
        Stmt::ForRange { var: _, start, end, body } => {
            expr(start, owned);
            expr(end, owned);
            block(body, owned);
        }
        Stmt::Try { body, fault, recover } => {
            disown(owned, *fault);
            block(body, owned);
            block(recover, owned);
        }
        Stmt::Retry { count, body } => {
            expr(count, owned);
            block(body, owned);
        }
        Stmt::Within { seconds, body } => {
            expr(seconds, owned);
            block(body, owned);
        }
        Stmt::Limits { clauses, body } => {
            clauses.iter().for_each(|(_, e)| expr(e, owned));
            block(body, owned);
        }
    }
}

/// Reads `e` where the handle of a local read directly does not escape: the local stays owned.
fn read_in_place(e: &Expr, owned: &mut [bool]) {
    if !matches!(e.kind, ExprKind::Local(_)) {
        expr(e, owned);
    }
}

/// Walks `e`; a local read anywhere but in a non-escaping position is disowned.
fn expr(e: &Expr, owned: &mut [bool]) {
    match &e.kind {
        ExprKind::Local(id) => disown(owned, *id),
        ExprKind::Int(_)
        | ExprKind::Real(_)
        | ExprKind::Bool(_)
        | ExprKind::Str(_)
        | ExprKind::Cell(_)
        | ExprKind::FaultKind(_) => {}
        ExprKind::Index { list, index } => {
            read_in_place(list, owned);
            expr(index, owned);
        }
        ExprKind::Len(list) => read_in_place(list, owned),
        ExprKind::Binary(BinOp::ListConcat, a, b) => {
            read_in_place(a, owned);
            read_in_place(b, owned);
        }
        ExprKind::Unary(_, a) | ExprKind::IntToReal(a) => expr(a, owned),
        ExprKind::Binary(_, a, b) => {
            expr(a, owned);
            expr(b, owned);
        }
        ExprKind::Intrinsic(_, args)
        | ExprKind::Call { args, .. }
        | ExprKind::Native { args, .. }
        | ExprKind::List(args)
        | ExprKind::Record { fields: args, .. } => args.iter().for_each(|a| expr(a, owned)),
        ExprKind::Field { record, .. } => expr(record, owned),
        ExprKind::Format(pieces) => {
            for p in pieces {
                match p {
                    FmtPiece::Str(e) | FmtPiece::Int(e) | FmtPiece::Real(e) | FmtPiece::Bool(e) => expr(e, owned),
                    FmtPiece::Quantity { value, .. } => expr(value, owned),
                }
            }
        }
    }
}

/// `xs = xs + [a, b]` on an owned `xs`: the items to append in place.
pub(super) fn self_append(id: LocalId, e: &Expr) -> Option<&[Expr]> {
    match &e.kind {
        ExprKind::Binary(BinOp::ListConcat, a, b) => match (&a.kind, &b.kind) {
            (ExprKind::Local(l), ExprKind::List(items)) if *l == id => Some(items),
            _ => None,
        },
        _ => None,
    }
}
