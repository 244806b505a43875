//! A bound on how deep an expression tree may be. Bracket nesting is bounded in the token pre-pass,
//! but a chain such as `a + b + c + ...` or `a.b.c...` nests in the tree without nesting in the text;
//! every later stage (checker, codegen, formatter, IDE) walks expressions recursively, so an
//! expression deeper than [`MAX_EXPR_DEPTH`] is reported here and replaced by an `Error` node.

use super::ast::*;
use crate::diagnostic::Diagnostic;

/// Deeper than any expression a person writes; shallow enough that every recursive pass fits in a
/// 2 MiB thread stack in a debug build.
pub const MAX_EXPR_DEPTH: usize = 100;

/// Cut every too-deep expression of the module, one E0006 for each.
pub fn bound_expressions(module: &mut Module, diags: &mut Vec<Diagnostic>) {
    for item in &mut module.items {
        match &mut item.kind {
            ItemKind::Use(_) | ItemKind::Cell(_) | ItemKind::Struct(_) | ItemKind::Enum(_) => {}
            ItemKind::Const(c) => expr(&mut c.value, diags),
            ItemKind::Fn(f) => {
                for p in &mut f.params {
                    if let Some(d) = &mut p.default {
                        expr(d, diags);
                    }
                }
                for e in [&mut f.requires, &mut f.ensures].into_iter().flatten() {
                    expr(e, diags);
                }
                for l in &mut f.limits {
                    expr(&mut l.value, diags);
                }
                if let Some(b) = &mut f.body {
                    block(b, diags);
                }
            }
            ItemKind::Test(t) => {
                for e in [&mut t.runs, &mut t.expect].into_iter().flatten() {
                    expr(e, diags);
                }
                block(&mut t.body, diags);
            }
        }
    }
}

fn block(b: &mut Block, diags: &mut Vec<Diagnostic>) {
    for s in &mut b.stmts {
        stmt(s, diags);
    }
}

fn stmt(s: &mut Stmt, diags: &mut Vec<Diagnostic>) {
    match &mut s.kind {
        StmtKind::Let { value, .. } => expr(value, diags),
        StmtKind::Assign { target, value } => {
            expr(target, diags);
            expr(value, diags);
        }
        StmtKind::Expr(e) | StmtKind::Fail(e) => expr(e, diags),
        StmtKind::Return(e) => {
            if let Some(e) = e {
                expr(e, diags);
            }
        }
        StmtKind::If { cond, then, otherwise } | StmtKind::IfLet { value: cond, then, otherwise, .. } => {
            expr(cond, diags);
            block(then, diags);
            if let Some(o) = otherwise {
                block(o, diags);
            }
        }
        StmtKind::While { cond: e, body } | StmtKind::Retry { count: e, body } | StmtKind::Within { time: e, body } => {
            expr(e, diags);
            block(body, diags);
        }
        StmtKind::For { iter, body, .. } => {
            match iter {
                ForIter::List(e) => expr(e, diags),
                ForIter::Range(a, b) => {
                    expr(a, diags);
                    expr(b, diags);
                }
            }
            block(body, diags);
        }
        StmtKind::Ensure { cond, message } => {
            expr(cond, diags);
            expr(message, diags);
        }
        StmtKind::Try { body, recover, .. } => {
            block(body, diags);
            block(recover, diags);
        }
        StmtKind::Parallel(blocks) => {
            for b in blocks {
                block(b, diags);
            }
        }
        StmtKind::Error => {}
    }
}

/// Check one expression tree; cut it if it is too deep.
fn expr(e: &mut Expr, diags: &mut Vec<Diagnostic>) {
    if too_deep(e, 0) {
        diags.push(
            Diagnostic::error("E0006", "expression is nested too deeply")
                .at(e.span, format!("more than {MAX_EXPR_DEPTH} operators deep"))
                .help("split the expression with `let` bindings or a helper fn"),
        );
        e.kind = ExprKind::Error;
    }
}

/// Whether the tree under `e` goes deeper than the bound. The walk stops at the bound, so it never
/// recurses deeper than the bound itself.
fn too_deep(e: &Expr, depth: usize) -> bool {
    if depth > MAX_EXPR_DEPTH {
        return true;
    }
    let d = depth + 1;
    let args_deep = |args: &[Arg]| args.iter().any(|a| too_deep(&a.value, d));
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Real(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Quantity { .. }
        | ExprKind::Name(_)
        | ExprKind::Path(_)
        | ExprKind::Error => false,
        ExprKind::Str(parts) => parts.iter().any(|p| matches!(p, StrPart::Expr(x) if too_deep(x, d))),
        ExprKind::Unary { expr, .. } | ExprKind::Field { expr, .. } => too_deep(expr, d),
        ExprKind::Binary { lhs, rhs, .. } => too_deep(lhs, d) || too_deep(rhs, d),
        ExprKind::Call { callee, args } => too_deep(callee, d) || args_deep(args),
        ExprKind::MethodCall { receiver, args, .. } => too_deep(receiver, d) || args_deep(args),
        ExprKind::Index { expr, index } => too_deep(expr, d) || too_deep(index, d),
        ExprKind::List(items) => items.iter().any(|x| too_deep(x, d)),
        ExprKind::StructLit { fields, .. } => fields.iter().any(|f| too_deep(&f.value, d)),
        ExprKind::Match { scrutinee, arms } => too_deep(scrutinee, d) || arms.iter().any(|a| too_deep(&a.body, d)),
    }
}
