//! A read-only walk over a syntax tree that hands every statement, expression and type to a
//! callback, outermost first, so analyses need not repeat the tree's shape.

use crate::syntax::ast::*;

/// A node met by [`module`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Node<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
    Type(&'a TypeExpr),
    Unit(&'a UnitExpr),
    Pattern(&'a Pattern),
}

/// Visit every node of a module.
pub(crate) fn module<'a>(m: &'a Module, f: &mut impl FnMut(Node<'a>)) {
    for item in &m.items {
        self::item(item, f);
    }
}

pub(crate) fn item<'a>(item: &'a Item, f: &mut impl FnMut(Node<'a>)) {
    match &item.kind {
        ItemKind::Use(_) => {}
        ItemKind::Cell(c) => c.entries.iter().for_each(|e| ty(&e.ty, f)),
        ItemKind::Const(c) => {
            if let Some(t) = &c.ty {
                ty(t, f);
            }
            expr(&c.value, f);
        }
        ItemKind::Struct(s) => s.fields.iter().for_each(|d| ty(&d.ty, f)),
        ItemKind::Enum(e) => e.variants.iter().flat_map(|v| &v.fields).for_each(|t| ty(t, f)),
        ItemKind::Fn(func) => {
            for p in &func.params {
                ty(&p.ty, f);
                if let Some(d) = &p.default {
                    expr(d, f);
                }
            }
            if let Some(t) = &func.ret {
                ty(t, f);
            }
            for e in func.requires.iter().chain(&func.ensures) {
                expr(e, f);
            }
            func.limits.iter().for_each(|l| expr(&l.value, f));
            if let Some(b) = &func.body {
                block(b, f);
            }
        }
        ItemKind::Test(t) => {
            for e in t.runs.iter().chain(&t.expect) {
                expr(e, f);
            }
            block(&t.body, f);
        }
    }
}

pub(crate) fn block<'a>(b: &'a Block, f: &mut impl FnMut(Node<'a>)) {
    for s in &b.stmts {
        stmt(s, f);
    }
}

fn stmt<'a>(s: &'a Stmt, f: &mut impl FnMut(Node<'a>)) {
    f(Node::Stmt(s));
    match &s.kind {
        StmtKind::Let { ty: t, value, .. } => {
            if let Some(t) = t {
                ty(t, f);
            }
            expr(value, f);
        }
        StmtKind::Assign { target, value } => {
            expr(target, f);
            expr(value, f);
        }
        StmtKind::Expr(e) | StmtKind::Fail(e) => expr(e, f),
        StmtKind::Return(e) => e.iter().for_each(|e| expr(e, f)),
        StmtKind::If { cond, then, otherwise } => {
            expr(cond, f);
            block(then, f);
            otherwise.iter().for_each(|b| block(b, f));
        }
        StmtKind::IfLet { value, then, otherwise, .. } => {
            expr(value, f);
            block(then, f);
            otherwise.iter().for_each(|b| block(b, f));
        }
        StmtKind::While { cond, body } => {
            expr(cond, f);
            block(body, f);
        }
        StmtKind::For { iter, body, .. } => {
            match iter {
                ForIter::List(e) => expr(e, f),
                ForIter::Range(a, b) => {
                    expr(a, f);
                    expr(b, f);
                }
            }
            block(body, f);
        }
        StmtKind::Ensure { cond, message } => {
            expr(cond, f);
            expr(message, f);
        }
        StmtKind::Try { body, recover, .. } => {
            block(body, f);
            block(recover, f);
        }
        StmtKind::Retry { count: e, body } | StmtKind::Within { time: e, body } => {
            expr(e, f);
            block(body, f);
        }
        StmtKind::Parallel(blocks) => blocks.iter().for_each(|b| block(b, f)),
        StmtKind::Error => {}
    }
}

pub(crate) fn expr<'a>(e: &'a Expr, f: &mut impl FnMut(Node<'a>)) {
    f(Node::Expr(e));
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Real(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Name(_)
        | ExprKind::Path(_)
        | ExprKind::Error => {}
        ExprKind::Quantity { unit, .. } => f(Node::Unit(unit)),
        ExprKind::Str(parts) => {
            for p in parts {
                if let StrPart::Expr(e) = p {
                    expr(e, f);
                }
            }
        }
        ExprKind::Unary { expr: inner, .. } => expr(inner, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr(lhs, f);
            expr(rhs, f);
        }
        ExprKind::Call { callee, args } => {
            expr(callee, f);
            args.iter().for_each(|a| expr(&a.value, f));
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            expr(receiver, f);
            args.iter().for_each(|a| expr(&a.value, f));
        }
        ExprKind::Field { expr: inner, .. } => expr(inner, f),
        ExprKind::Index { expr: inner, index } => {
            expr(inner, f);
            expr(index, f);
        }
        ExprKind::List(items) => items.iter().for_each(|e| expr(e, f)),
        ExprKind::StructLit { fields, .. } => fields.iter().for_each(|fi| expr(&fi.value, f)),
        ExprKind::Match { scrutinee, arms } => {
            expr(scrutinee, f);
            for arm in arms {
                f(Node::Pattern(&arm.pattern));
                expr(&arm.body, f);
            }
        }
    }
}

fn ty<'a>(t: &'a TypeExpr, f: &mut impl FnMut(Node<'a>)) {
    f(Node::Type(t));
    match &t.kind {
        TypeExprKind::List(inner) | TypeExprKind::Optional(inner) => ty(inner, f),
        TypeExprKind::Unit(u) => f(Node::Unit(u)),
        TypeExprKind::Named(_) | TypeExprKind::Error => {}
    }
}
