//! Blocks and statements: one statement per line, `{` on the line that opens the block, the source's
//! blank lines between statements kept (collapsed to one).

use super::printer::Printer;
use crate::syntax::ast::*;

impl Printer<'_, '_> {
    /// `{ ... }` starting on the current line; an empty block without comments is `{}`.
    pub fn block(&mut self, b: &Block) {
        let (start, end) = (b.span.start as usize, b.span.end as usize);
        if b.stmts.is_empty() && !self.comment_within(start, end) {
            self.write("{}");
            return;
        }
        self.open("{");
        for s in &b.stmts {
            self.comments_before(s.span.start as usize, false);
            self.source_blank(s.span.start as usize);
            self.stmt(s);
            self.newline();
        }
        self.comments_before(end, false);
        self.close("}");
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Let { mutable, name, ty, value } => {
                self.write(if *mutable { "var " } else { "let " });
                self.write(&name.name);
                if let Some(ty) = ty {
                    self.write(": ");
                    self.type_expr(ty);
                }
                self.write(" = ");
                self.expr(value);
            }
            StmtKind::Assign { target, value } => {
                self.expr(target);
                self.write(" = ");
                self.expr(value);
            }
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::If { .. } | StmtKind::IfLet { .. } => self.if_stmt(s),
            StmtKind::While { cond, body } => {
                self.write("while ");
                self.header_expr(cond);
                self.write(" ");
                self.block(body);
            }
            StmtKind::For { var, iter, body } => {
                self.write("for ");
                self.write(&var.name);
                self.write(" in ");
                match iter {
                    ForIter::List(e) => self.header_expr(e),
                    ForIter::Range(a, b) => {
                        self.expr(a);
                        self.write("..");
                        self.header_expr(b);
                    }
                }
                self.write(" ");
                self.block(body);
            }
            StmtKind::Return(value) => {
                self.write("return");
                if let Some(v) = value {
                    self.write(" ");
                    self.expr(v);
                }
            }
            StmtKind::Fail(e) => {
                self.write("fail ");
                self.expr(e);
            }
            StmtKind::Ensure { cond, message } => {
                self.write("ensure ");
                self.expr(cond);
                self.write(" else ");
                self.expr(message);
            }
            StmtKind::Try { body, fault, recover } => {
                self.write("try ");
                self.block(body);
                self.write(" recover ");
                self.write(&fault.name);
                self.write(" ");
                self.block(recover);
            }
            StmtKind::Retry { count, body } => {
                self.write("retry ");
                self.header_expr(count);
                self.write(" ");
                self.block(body);
            }
            StmtKind::Within { time, body } => {
                self.write("within ");
                self.header_expr(time);
                self.write(" ");
                self.block(body);
            }
            StmtKind::Parallel(branches) => {
                self.write("parallel ");
                if branches.is_empty() {
                    self.write("{}");
                    return;
                }
                self.open("{");
                for b in branches {
                    self.comments_before(b.span.start as usize, false);
                    self.block(b);
                    self.newline();
                }
                self.comments_before(s.span.end as usize, false);
                self.close("}");
            }
            // Files with syntax errors are never formatted; this keeps the printer total.
            StmtKind::Error => self.write("<error>"),
        }
    }

    /// An expression followed by ` {` on its line.
    fn header_expr(&mut self, e: &Expr) {
        self.reserving(2, |p| p.expr(e));
    }

    /// `if` and `if let`, with `else if` chains kept on the closing line of the block before.
    fn if_stmt(&mut self, s: &Stmt) {
        let (then, otherwise) = match &s.kind {
            StmtKind::If { cond, then, otherwise } => {
                self.write("if ");
                self.header_expr(cond);
                (then, otherwise)
            }
            StmtKind::IfLet { name, value, then, otherwise } => {
                self.write("if let ");
                self.write(&name.name);
                self.write(" = ");
                self.header_expr(value);
                (then, otherwise)
            }
            _ => return,
        };
        self.write(" ");
        self.block(then);
        let Some(other) = otherwise else { return };
        self.write(" else ");
        // The parser gives `else if` as an else block whose span is the inner `if` itself.
        match other.stmts.as_slice() {
            [inner]
                if inner.span == other.span && matches!(inner.kind, StmtKind::If { .. } | StmtKind::IfLet { .. }) =>
            {
                self.if_stmt(inner)
            }
            _ => self.block(other),
        }
    }
}
