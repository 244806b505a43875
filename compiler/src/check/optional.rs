//! Optionals (`T?`), lowered onto records `{ present: Bool, value: T }`: `none` is a record
//! that is not present, a plain `T` where a `T?` is expected is wrapped, and `if let x = opt`
//! tests `present` and binds `value`.

use super::expr::{error_expr, mk};
use super::func::FnCx;
use super::{Checker, StructDecl};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast;
use crate::tir::{self, ExprKind, Stmt};
use crate::types::{Repr, StructId, Ty};

impl Checker<'_> {
    /// The record an optional of `inner` is lowered onto, declared on first use.
    fn optional_struct(&mut self, inner: &Ty) -> StructId {
        if let Some(id) = self.optionals.get(inner) {
            return *id;
        }
        let id = StructId(self.structs.len() as u32);
        self.structs.push(StructDecl {
            module: self.main,
            name: format!("{inner}?"),
            public: false,
            fields: vec![("present".to_string(), Ty::Bool), ("value".to_string(), inner.clone())],
            field_displays: Vec::new(),
            variants: None,
        });
        self.optionals.insert(inner.clone(), id);
        id
    }

    /// `none` of an optional type.
    pub(super) fn lower_none(&mut self, expected: Option<&Ty>, span: Span) -> tir::Expr {
        let Some(Ty::Optional(inner)) = expected else {
            let d = Diagnostic::error("E0203", "cannot infer the type of `none`")
                .at(span, "type unknown")
                .help("annotate the binding: `var found: Part? = none`");
            self.emit(d);
            return error_expr(span);
        };
        let inner = (**inner).clone();
        let id = self.optional_struct(&inner);
        let zero = match inner.repr() {
            Repr::F64 => mk(ExprKind::Real(0.0), inner.clone(), span),
            _ => mk(ExprKind::Int(0), inner.clone(), span),
        };
        let fields = vec![mk(ExprKind::Bool(false), Ty::Bool, span), zero];
        mk(ExprKind::Record { strukt: id, fields }, Ty::Optional(Box::new(inner)), span)
    }

    /// A plain value where an optional is expected.
    pub(super) fn wrap_optional(&mut self, value: tir::Expr, inner: &Ty) -> tir::Expr {
        let id = self.optional_struct(inner);
        let span = value.span;
        let fields = vec![mk(ExprKind::Bool(true), Ty::Bool, span), value];
        mk(ExprKind::Record { strukt: id, fields }, Ty::Optional(Box::new(inner.clone())), span)
    }

    /// `if let x = opt { then } else { otherwise }`.
    pub(super) fn lower_if_let(
        &mut self,
        cx: &mut FnCx,
        name: &ast::Ident,
        value: &ast::Expr,
        then: &ast::Block,
        otherwise: Option<&ast::Block>,
        out: &mut Vec<Stmt>,
    ) {
        let v = self.lower_expr(cx, value, None);
        let inner = match &v.ty {
            Ty::Optional(inner) => (**inner).clone(),
            Ty::Error => Ty::Error,
            other => {
                let d = Diagnostic::error("E0200", format!("mismatched types: expected an optional, found {other}"))
                    .at(value.span, other.to_string())
                    .help("`if let` unwraps a `T?`; use `let` for a plain value");
                self.emit(d);
                Ty::Error
            }
        };
        let opt_ty = v.ty.clone();
        let tmp = cx.declare("optional", opt_ty.clone(), false);
        out.push(Stmt::Let(tmp, v));
        let subject = mk(ExprKind::Local(tmp), opt_ty, value.span);
        let present = mk(ExprKind::Field { record: Box::new(subject.clone()), index: 0 }, Ty::Bool, value.span);
        cx.push_scope();
        let bound = cx.declare(&name.name, inner.clone(), false);
        cx.track(bound, name.span);
        let read = mk(ExprKind::Field { record: Box::new(subject), index: 1 }, inner, name.span);
        let mut then_block = vec![Stmt::Let(bound, read)];
        then_block.extend(self.lower_block(cx, then));
        cx.pop_scope();
        let otherwise = otherwise.map(|b| self.lower_block(cx, b)).unwrap_or_default();
        out.push(Stmt::If { cond: present, then: then_block, otherwise });
    }
}
