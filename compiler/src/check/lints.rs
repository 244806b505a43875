//! Warnings about code that is legal but almost surely not what was meant: a `retry` around a
//! block that cannot fail (W0003), statements after `return`/`fail` (W0004), and a `cell` entry
//! nothing uses (W0005). Warnings are for the user's own modules; the stdlib is not warned about.

use super::effects::walk_block;
use super::{Checker, ModId};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast;
use crate::tir::{self, BinOp, ExprKind, Stmt};

/// Whether running a lowered block may raise a fault. Conservative: calls to Deft functions,
/// native skills, indexing and integer division count, since any of them can fail at run time.
pub(super) fn may_fail(block: &[Stmt], natives: &[tir::NativeDecl]) -> bool {
    let mut fails = contains_fail(block);
    walk_block(block, &mut |e| {
        fails |= match &e.kind {
            ExprKind::Call { .. } | ExprKind::Index { .. } => true,
            ExprKind::Native { native, .. } => natives.get(native.0 as usize).is_none_or(|n| n.skill),
            ExprKind::Binary(BinOp::IDiv | BinOp::IRem, _, _) => true,
            _ => false,
        };
    });
    fails
}

/// Whether a block holds a `fail` (or a lowered `ensure`, `requires`, `ensures`) anywhere.
fn contains_fail(block: &[Stmt]) -> bool {
    block.iter().any(|s| match s {
        Stmt::Fail { .. } | Stmt::Reraise(_) => true,
        Stmt::If { then, otherwise, .. } => contains_fail(then) || contains_fail(otherwise),
        Stmt::While { body, .. }
        | Stmt::ForList { body, .. }
        | Stmt::ForRange { body, .. }
        | Stmt::Retry { body, .. }
        | Stmt::Within { body, .. }
        | Stmt::Limits { body, .. } => contains_fail(body),
        Stmt::Try { body, recover, .. } => contains_fail(body) || contains_fail(recover),
        Stmt::Let(..) | Stmt::Assign(..) | Stmt::SetIndex { .. } | Stmt::Expr(_) | Stmt::Return(_) => false,
    })
}

/// Whether a statement always leaves its block.
fn leaves(s: &ast::Stmt) -> bool {
    matches!(s.kind, ast::StmtKind::Return(_) | ast::StmtKind::Fail(_))
}

impl Checker<'_> {
    /// Whether the checker warns about code in this module: the user's modules, not the stdlib.
    pub(super) fn warns_in(&self, m: ModId) -> bool {
        !self.module(m).is_std()
    }

    /// W0003 for `retry N { body }` whose lowered body cannot fail.
    pub(super) fn check_retry(&mut self, m: ModId, stmt: Span, count: &ast::Expr, body: &[Stmt]) {
        if !self.warns_in(m) || may_fail(body, &self.natives) {
            return;
        }
        let d = Diagnostic::warning("W0003", "`retry` around a block that cannot fail")
            .at(stmt.to(count.span), "nothing inside can fail")
            .help("retry helps around skill calls, `ensure` or `fail`; remove the `retry` or move it out to them");
        self.emit(d);
    }

    /// W0004 for statements after a `return` or `fail` in the same block, at every depth.
    pub(super) fn check_unreachable(&mut self, m: ModId, block: &ast::Block) {
        if !self.warns_in(m) {
            return;
        }
        self.unreachable_in(block);
    }

    fn unreachable_in(&mut self, block: &ast::Block) {
        if let Some(i) = block.stmts.iter().position(leaves)
            && let (Some(next), Some(last)) = (block.stmts.get(i + 1), block.stmts.last())
            && !matches!(next.kind, ast::StmtKind::Error)
        {
            let what = if matches!(block.stmts[i].kind, ast::StmtKind::Return(_)) { "return" } else { "fail" };
            let d = Diagnostic::warning("W0004", "unreachable code")
                .at(next.span.to(last.span), "never runs")
                .with(block.stmts[i].span, format!("the block always leaves at this `{what}`"))
                .help(format!("remove it, or move it before the `{what}`"));
            self.emit(d);
        }
        for s in &block.stmts {
            match &s.kind {
                ast::StmtKind::If { then, otherwise, .. } | ast::StmtKind::IfLet { then, otherwise, .. } => {
                    self.unreachable_in(then);
                    if let Some(b) = otherwise {
                        self.unreachable_in(b);
                    }
                }
                ast::StmtKind::While { body, .. }
                | ast::StmtKind::For { body, .. }
                | ast::StmtKind::Retry { body, .. }
                | ast::StmtKind::Within { body, .. } => self.unreachable_in(body),
                ast::StmtKind::Try { body, recover, .. } => {
                    self.unreachable_in(body);
                    self.unreachable_in(recover);
                }
                ast::StmtKind::Parallel(blocks) => {
                    for b in blocks {
                        self.unreachable_in(b);
                    }
                }
                _ => {}
            }
        }
    }

    /// W0005 for every cell entry no reachable code names. Only in a program without errors:
    /// with errors, the one use may sit in code the parser skipped or the checker gave up on.
    pub(super) fn check_unused_cell(&mut self) {
        if self.error_count() > 0 {
            return;
        }
        let unused: Vec<(String, Span)> =
            self.cell.iter().filter(|c| !c.used).map(|c| (c.name.clone(), c.span)).collect();
        for (name, span) in unused {
            let d = Diagnostic::warning("W0005", format!("cell entry `{name}` is never used"))
                .at(span, "not used by any skill, fn or test")
                .help("remove it: the runtime refuses a cell that lacks an entry, so an unused one only adds a requirement");
            self.emit(d);
        }
    }
}
