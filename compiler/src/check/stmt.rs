//! Checking and lowering statements: bindings and assignment, control flow, `return` with
//! `ensures`, and the failure statements (`fail`, `ensure`, `try`, `retry`, `within`).

use super::expr::{error_expr, mk};
use super::func::{FnCx, ensure_stmt, fault_kind};
use super::{Checker, Sym};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast;
use crate::tir::{self, ExprKind, Stmt};
use crate::types::{Dim, HandleKind, Ty};

impl Checker<'_> {
    pub(super) fn lower_block(&mut self, cx: &mut FnCx, block: &ast::Block) -> tir::Block {
        cx.push_scope();
        let out = self.lower_block_in_scope(cx, block);
        cx.pop_scope();
        out
    }

    /// The statements of a block in the current scope.
    pub(super) fn lower_block_in_scope(&mut self, cx: &mut FnCx, block: &ast::Block) -> tir::Block {
        let mut out = Vec::new();
        let was_in_stmt = cx.in_stmt;
        cx.in_stmt = true;
        for s in &block.stmts {
            let saved = cx.take_hoisted();
            let mut lowered = Vec::new();
            self.lower_stmt(cx, s, &mut lowered);
            out.extend(cx.restore_hoisted(saved));
            out.extend(lowered);
        }
        cx.in_stmt = was_in_stmt;
        out
    }

    pub(super) fn lower_stmt(&mut self, cx: &mut FnCx, s: &ast::Stmt, out: &mut Vec<Stmt>) {
        match &s.kind {
            ast::StmtKind::Let { mutable, name, ty, value } => {
                let errors_before = self.error_count();
                let declared = ty.as_ref().map(|t| self.resolve_type(cx.module, t));
                let v = self.lower_expr(cx, value, declared.as_ref());
                // A binding whose initializer was already reported is often left unread because
                // the user stopped there; a W0001 on it would only repeat the error.
                let had_error = self.error_count() > errors_before || v.ty == Ty::Error;
                let display = self.binding_display(ty.as_ref(), value);
                let ty = declared.unwrap_or_else(|| v.ty.clone());
                if ty == Ty::Unit {
                    let d = Diagnostic::error("E0209", format!("`{}` would hold no value", name.name))
                        .at(value.span, "this produces no value")
                        .help("call it as a statement of its own");
                    self.emit(d);
                }
                let id = cx.declare(&name.name, ty, *mutable);
                if had_error {
                    cx.set_span(id, name.span);
                } else {
                    cx.track(id, name.span);
                }
                cx.set_display(id, display);
                out.push(Stmt::Let(id, v));
            }
            ast::StmtKind::Assign { target, value } => self.lower_assign(cx, target, value, out),
            ast::StmtKind::Expr(e) => {
                let v = self.lower_expr(cx, e, None);
                out.push(Stmt::Expr(v));
            }
            ast::StmtKind::If { cond, then, otherwise } => {
                let cond = self.lower_expr(cx, cond, Some(&Ty::Bool));
                let then = self.lower_block(cx, then);
                let otherwise = otherwise.as_ref().map(|b| self.lower_block(cx, b)).unwrap_or_default();
                out.push(Stmt::If { cond, then, otherwise });
            }
            ast::StmtKind::IfLet { name, value, then, otherwise } => {
                self.lower_if_let(cx, name, value, then, otherwise.as_ref(), out)
            }
            ast::StmtKind::While { cond, body } => {
                cx.no_hoist += 1;
                let cond = self.lower_expr(cx, cond, Some(&Ty::Bool));
                cx.no_hoist -= 1;
                let body = self.lower_block(cx, body);
                out.push(Stmt::While { cond, body });
            }
            ast::StmtKind::For { var, iter, body } => self.lower_for(cx, var, iter, body, out),
            ast::StmtKind::Return(value) => self.lower_return(cx, value.as_ref(), s.span, out),
            ast::StmtKind::Fail(e) => {
                let v = self.lower_expr(cx, e, None);
                match v.ty {
                    Ty::Str => out.push(Stmt::Fail { kind: fault_kind("User"), message: v }),
                    Ty::Handle(HandleKind::Fault) => out.push(Stmt::Reraise(v)),
                    Ty::Error => {}
                    other => {
                        let d = Diagnostic::error("E0406", format!("cannot fail with a {other}"))
                            .at(e.span, other.to_string())
                            .help("fail with a message, `fail \"...\"`, or re-raise a recovered fault, `fail e`");
                        self.emit(d);
                    }
                }
            }
            ast::StmtKind::Ensure { cond, message } => {
                let cond = self.lower_expr(cx, cond, Some(&Ty::Bool));
                let message = self.lower_expr(cx, message, Some(&Ty::Str));
                let span = cond.span;
                let not = mk(ExprKind::Unary(tir::UnOp::Not, Box::new(cond)), Ty::Bool, span);
                let fail = Stmt::Fail { kind: fault_kind("Ensure"), message };
                out.push(Stmt::If { cond: not, then: vec![fail], otherwise: Vec::new() });
            }
            ast::StmtKind::Try { body, fault, recover } => {
                let body = self.lower_block(cx, body);
                cx.push_scope();
                let id = cx.declare(&fault.name, Ty::Handle(HandleKind::Fault), false);
                cx.track(id, fault.span);
                let recover = self.lower_block(cx, recover);
                cx.pop_scope();
                out.push(Stmt::Try { body, fault: id, recover });
            }
            ast::StmtKind::Retry { count, body } => {
                let count_expr = count;
                let count = self.lower_expr(cx, count_expr, Some(&Ty::Int));
                let body = self.lower_block(cx, body);
                self.check_retry(cx.module, s.span, count_expr, &body);
                out.push(Stmt::Retry { count, body });
            }
            ast::StmtKind::Within { time, body } => {
                let seconds = self.lower_expr(cx, time, Some(&Ty::Quantity(Dim::TIME)));
                let body = self.lower_block(cx, body);
                out.push(Stmt::Within { seconds, body });
            }
            ast::StmtKind::Parallel(blocks) => {
                for b in blocks {
                    self.lower_block(cx, b);
                }
                let d = Diagnostic::error("E0405", "`parallel` is not supported yet")
                    .at(s.span, "not supported yet")
                    .help("run the branches one after the other; `parallel` comes with language v2");
                self.emit(d);
            }
            ast::StmtKind::Error => {}
        }
    }

    fn lower_for(
        &mut self,
        cx: &mut FnCx,
        var: &ast::Ident,
        iter: &ast::ForIter,
        body: &ast::Block,
        out: &mut Vec<Stmt>,
    ) {
        match iter {
            ast::ForIter::List(list) => {
                let l = self.lower_expr(cx, list, None);
                let elem = match &l.ty {
                    Ty::List(t) => (**t).clone(),
                    Ty::Error => Ty::Error,
                    other => {
                        let d = Diagnostic::error("E0200", format!("mismatched types: expected a list, found {other}"))
                            .at(list.span, other.to_string())
                            .help("loop over a list, `for p in parts`, or a range, `for i in 0..n`");
                        self.emit(d);
                        Ty::Error
                    }
                };
                cx.push_scope();
                let id = cx.declare(&var.name, elem, false);
                cx.track(id, var.span);
                let body = self.lower_block(cx, body);
                cx.pop_scope();
                out.push(Stmt::ForList { var: id, list: l, body });
            }
            ast::ForIter::Range(start, end) => {
                let start = self.lower_expr(cx, start, Some(&Ty::Int));
                let end = self.lower_expr(cx, end, Some(&Ty::Int));
                cx.push_scope();
                let id = cx.declare(&var.name, Ty::Int, false);
                cx.track(id, var.span);
                let body = self.lower_block(cx, body);
                cx.pop_scope();
                out.push(Stmt::ForRange { var: id, start, end, body });
            }
        }
    }

    fn lower_return(&mut self, cx: &mut FnCx, value: Option<&ast::Expr>, span: crate::span::Span, out: &mut Vec<Stmt>) {
        let ret = cx.ret.clone();
        let value = match (value, &ret) {
            (None, Ty::Unit) => None,
            (None, _) => {
                let d = Diagnostic::error("E0402", format!("`{}` must return a {ret}", cx.name))
                    .at(span, "returns no value")
                    .help(format!("return a value: `return <{ret}>`"));
                self.emit(d);
                return;
            }
            (Some(e), Ty::Unit) => {
                self.lower_expr(cx, e, None);
                let d = Diagnostic::error("E0402", format!("`{}` has no result type", cx.name))
                    .at(e.span, "returned value")
                    .help("declare the result type after the parameters: `-> T`");
                self.emit(d);
                return;
            }
            (Some(e), _) => Some(self.lower_expr(cx, e, Some(&ret))),
        };
        self.finish_return(cx, value, out);
    }

    /// `return value`, checking `ensures` first when the function has one.
    pub(super) fn finish_return(&mut self, cx: &mut FnCx, value: Option<tir::Expr>, out: &mut Vec<Stmt>) {
        let Some((cond, message)) = cx.ensures.clone() else {
            out.push(Stmt::Return(value));
            return;
        };
        // The result is computed before the postcondition is checked.
        let value = value.map(|v| {
            let (ty, vspan) = (v.ty.clone(), v.span);
            let tmp = cx.declare("result", ty.clone(), false);
            out.push(Stmt::Let(tmp, v));
            mk(ExprKind::Local(tmp), ty, vspan)
        });
        out.push(ensure_stmt(self, cond, &message));
        out.push(Stmt::Return(value));
    }

    fn lower_assign(&mut self, cx: &mut FnCx, target: &ast::Expr, value: &ast::Expr, out: &mut Vec<Stmt>) {
        match &target.kind {
            ast::ExprKind::Name(id) => {
                let Some(local) = self.assignable_local(cx, id, value) else { return };
                let ty = cx.locals[local.0 as usize].ty.clone();
                let v = self.lower_expr(cx, value, Some(&ty));
                out.push(Stmt::Assign(local, v));
            }
            ast::ExprKind::Index { expr, index } => {
                let ast::ExprKind::Name(id) = &expr.kind else {
                    return self.bad_target(cx, target, value);
                };
                let Some(local) = self.assignable_local(cx, id, value) else { return };
                let elem = match &cx.locals[local.0 as usize].ty {
                    Ty::List(t) => (**t).clone(),
                    Ty::Error => Ty::Error,
                    other => {
                        let d = Diagnostic::error("E0206", format!("cannot index a {other}"))
                            .at(expr.span, other.to_string());
                        self.emit(d);
                        return;
                    }
                };
                let index = self.lower_expr(cx, index, Some(&Ty::Int));
                let value = self.lower_expr(cx, value, Some(&elem));
                out.push(Stmt::SetIndex { list: local, index, value });
            }
            ast::ExprKind::Field { expr, name } => {
                let ast::ExprKind::Name(id) = &expr.kind else {
                    return self.bad_target(cx, target, value);
                };
                let Some(local) = self.assignable_local(cx, id, value) else { return };
                let lty = cx.locals[local.0 as usize].ty.clone();
                let Ty::Struct(sid, sname) = &lty else {
                    return self.bad_target(cx, target, value);
                };
                let fields = self.structs[sid.0 as usize].fields.clone();
                let Some(index) = fields.iter().position(|(n, _)| *n == name.name) else {
                    let d = Diagnostic::error("E0205", format!("no field `{}` on {sname}", name.name))
                        .at(name.span, "unknown field");
                    self.emit(d);
                    return;
                };
                let v = self.lower_expr(cx, value, Some(&fields[index].1));
                // Records are values: `s.f = v` rebuilds `s` with one field replaced.
                let span = target.span;
                let base = mk(ExprKind::Local(local), lty.clone(), span);
                let mut new_fields = Vec::new();
                let mut v = Some(v);
                for (i, (_, fty)) in fields.iter().enumerate() {
                    if i == index {
                        new_fields.push(v.take().unwrap_or_else(|| error_expr(span)));
                    } else {
                        let read = ExprKind::Field { record: Box::new(base.clone()), index: i as u32 };
                        new_fields.push(mk(read, fty.clone(), span));
                    }
                }
                let record = mk(ExprKind::Record { strukt: *sid, fields: new_fields }, lty.clone(), span);
                out.push(Stmt::Assign(local, record));
            }
            _ => self.bad_target(cx, target, value),
        }
    }

    fn bad_target(&mut self, cx: &mut FnCx, target: &ast::Expr, value: &ast::Expr) {
        self.lower_expr(cx, value, None);
        let d = Diagnostic::error("E0401", "cannot assign to this")
            .at(target.span, "not a variable")
            .help("assign to a `var`, an element of a `var` list, or a field of a `var` struct");
        self.emit(d);
    }

    /// The `var` local a name refers to, or a diagnostic.
    fn assignable_local(&mut self, cx: &mut FnCx, id: &ast::Ident, value: &ast::Expr) -> Option<tir::LocalId> {
        if let Some(local) = cx.lookup(&id.name) {
            if cx.mutable[local.0 as usize] {
                return Some(local);
            }
            self.lower_expr(cx, value, None);
            let d = Diagnostic::error("E0400", format!("cannot assign twice to `{}`", id.name))
                .at(id.span, "not a `var`")
                .help(format!("declare it with var: `var {} = ...`", id.name));
            self.emit(d);
            return None;
        }
        let known = self.lookup(cx.module, &id.name).first().copied();
        let is_cell = cx.module == self.main && self.cell.iter().any(|c| c.name == id.name);
        self.lower_expr(cx, value, None);
        if known.is_none() && !is_cell {
            self.lower_expr(cx, &ast::Expr { kind: ast::ExprKind::Name(id.clone()), span: id.span }, None);
            return None;
        }
        let what = match known {
            Some(Sym::Const(_)) => "a constant",
            Some(Sym::Fn(_)) => "a function",
            Some(Sym::Struct(_)) => "a struct",
            None => "a cell entry",
        };
        let d = Diagnostic::error("E0401", format!("cannot assign to `{}`, {what}", id.name))
            .at(id.span, "not a variable")
            .help(format!("declare a variable: `var {} = ...`", id.name));
        self.emit(d);
        None
    }
}
