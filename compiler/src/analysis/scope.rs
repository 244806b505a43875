//! What is in scope at a byte offset, read from the syntax tree: the parameters of the enclosing
//! function and the locals declared before the cursor in the blocks around it.

use super::walk::{self, Node};
use crate::syntax::ast::{self, PatternKind, StmtKind};

/// The parameters and locals visible at `offset`, innermost last.
pub(crate) fn locals_at(module: &ast::Module, offset: u32) -> Vec<ast::Ident> {
    let mut out = Vec::new();
    let Some(item) = module.items.iter().find(|i| i.span.start <= offset && offset <= i.span.end) else {
        return out;
    };
    match &item.kind {
        ast::ItemKind::Fn(f) => {
            out.extend(f.params.iter().map(|p| p.name.clone()));
            if let Some(b) = &f.body {
                block(b, offset, &mut out);
            }
        }
        ast::ItemKind::Test(t) => block(&t.body, offset, &mut out),
        _ => {}
    }
    out
}

fn contains(span: crate::span::Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end
}

fn block(b: &ast::Block, offset: u32, out: &mut Vec<ast::Ident>) {
    if !contains(b.span, offset) {
        return;
    }
    for s in &b.stmts {
        if s.span.start > offset {
            break;
        }
        match &s.kind {
            StmtKind::Let { name, .. } if s.span.end < offset => out.push(name.clone()),
            StmtKind::For { var, body, .. } if contains(body.span, offset) => {
                out.push(var.clone());
                block(body, offset, out);
            }
            StmtKind::IfLet { name, then, otherwise, .. } => {
                if contains(then.span, offset) {
                    out.push(name.clone());
                    block(then, offset, out);
                }
                otherwise.iter().for_each(|o| block(o, offset, out));
            }
            StmtKind::Try { body, fault, recover } => {
                block(body, offset, out);
                if contains(recover.span, offset) {
                    out.push(fault.clone());
                    block(recover, offset, out);
                }
            }
            StmtKind::If { then, otherwise, .. } => {
                block(then, offset, out);
                otherwise.iter().for_each(|o| block(o, offset, out));
            }
            StmtKind::While { body, .. } | StmtKind::Retry { body, .. } | StmtKind::Within { body, .. } => {
                block(body, offset, out);
            }
            StmtKind::Parallel(blocks) => blocks.iter().for_each(|b| block(b, offset, out)),
            _ => {}
        }
        if contains(s.span, offset) {
            match_bindings(s, offset, out);
        }
    }
}

/// Names bound by the `match` arms around the cursor.
fn match_bindings(s: &ast::Stmt, offset: u32, out: &mut Vec<ast::Ident>) {
    let exprs: Vec<&ast::Expr> = match &s.kind {
        StmtKind::Let { value, .. } | StmtKind::Expr(value) | StmtKind::Return(Some(value)) => vec![value],
        StmtKind::Assign { value, .. } => vec![value],
        _ => Vec::new(),
    };
    for e in exprs {
        walk::expr(e, &mut |node| {
            if let Node::Expr(ast::Expr { kind: ast::ExprKind::Match { arms, .. }, .. }) = node {
                for arm in arms.iter().filter(|a| contains(a.span, offset)) {
                    match &arm.pattern.kind {
                        PatternKind::Variant { bindings, .. } => out.extend(bindings.iter().cloned()),
                        PatternKind::Binding(id) => out.push(id.clone()),
                        _ => {}
                    }
                }
            }
        });
    }
}
