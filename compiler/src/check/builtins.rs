//! Functions built into the checker because they work on every dimension: `sqrt abs min max
//! clamp floor ceil len atan2`.

use super::Checker;
use super::call::First;
use super::expr::{error_expr, mk, numeric_dim, to_real};
use super::func::FnCx;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast;
use crate::tir::{self, ExprKind, Intrinsic};
use crate::types::{Dim, Ty};

pub(super) const BUILTINS: &[&str] = &["sqrt", "abs", "min", "max", "clamp", "floor", "ceil", "len", "atan2"];

/// The native key `atan2` lowers to: Cranelift has no instruction for it, so the runtime
/// provides it next to the prelude's other math natives.
pub(crate) const ATAN2_KEY: &str = "std::prelude::atan2(Real,Real)";

/// The built-in name of the world frame, a `Pose` at the identity.
pub(crate) const WORLD: &str = "world";

/// The native key `world` lowers to; no module declares it.
pub(crate) const WORLD_KEY: &str = "std::prelude::world()";

pub(super) fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

impl Checker<'_> {
    pub(super) fn lower_builtin(
        &mut self,
        cx: &mut FnCx,
        name: &ast::Ident,
        first: Option<First<'_>>,
        args: &[ast::Arg],
        span: Span,
    ) -> tir::Expr {
        let mut values: Vec<(tir::Expr, Span)> = Vec::new();
        if let Some(f) = first {
            values.push((f.value, f.source.span));
        }
        for a in args {
            if let Some(n) = &a.name {
                let d = Diagnostic::error("E0302", format!("`{}` takes no named arguments", name.name))
                    .at(n.span, "named argument")
                    .help("pass the arguments by position");
                self.emit(d);
            }
            let v = self.lower_expr(cx, &a.value, None);
            values.push((v, a.value.span));
        }
        if values.iter().any(|(v, _)| v.ty == Ty::Error) {
            return error_expr(span);
        }
        let arity: (usize, usize) = match name.name.as_str() {
            "min" | "max" => (2, usize::MAX),
            "clamp" => (3, 3),
            "atan2" => (2, 2),
            _ => (1, 1),
        };
        if values.len() < arity.0 {
            let d = Diagnostic::error("E0301", format!("`{}` needs {} argument(s)", name.name, arity.0))
                .at(span, "missing arguments");
            self.emit(d);
            return error_expr(span);
        }
        if values.len() > arity.1 {
            let at = values.get(arity.1).map_or(span, |(_, s)| *s);
            let d = Diagnostic::error("E0300", format!("`{}` takes {} argument(s)", name.name, arity.1))
                .at(at, "one argument too many");
            self.emit(d);
            return error_expr(span);
        }
        if name.name == "len" {
            let (v, at) = values.remove(0);
            if !matches!(v.ty, Ty::List(_)) {
                let d = Diagnostic::error("E0200", format!("mismatched types: expected a list, found {}", v.ty))
                    .at(at, v.ty.to_string());
                self.emit(d);
                return error_expr(span);
            }
            return mk(ExprKind::Len(Box::new(v)), Ty::Int, span);
        }
        let Some(dim) = self.common_dim(name, &values) else { return error_expr(span) };
        let args: Vec<tir::Expr> = values.into_iter().map(|(v, _)| to_real(v)).collect();
        let ty = Ty::quantity(dim);
        match name.name.as_str() {
            "sqrt" => {
                match dim.sqrt() {
                    Some(half) => mk(ExprKind::Intrinsic(Intrinsic::Sqrt, args), Ty::quantity(half), span),
                    None => {
                        let d = Diagnostic::error("E0202", format!("the square root of {ty} is not a quantity"))
                        .at(span, "odd exponent")
                        .help("only dimensions with even exponents have a square root (an Area, [m^2], gives a Length)");
                        self.emit(d);
                        error_expr(span)
                    }
                }
            }
            "abs" => mk(ExprKind::Intrinsic(Intrinsic::Abs, args), ty, span),
            "floor" => mk(ExprKind::Intrinsic(Intrinsic::Floor, args), ty, span),
            "ceil" => mk(ExprKind::Intrinsic(Intrinsic::Ceil, args), ty, span),
            "min" | "max" => {
                let op = if name.name == "min" { Intrinsic::Min } else { Intrinsic::Max };
                let mut it = args.into_iter();
                let Some(mut acc) = it.next() else { return error_expr(span) };
                for next in it {
                    acc = mk(ExprKind::Intrinsic(op, vec![acc, next]), ty.clone(), span);
                }
                acc
            }
            "clamp" => {
                let mut it = args.into_iter();
                let (Some(x), Some(lo), Some(hi)) = (it.next(), it.next(), it.next()) else { return error_expr(span) };
                let raised = mk(ExprKind::Intrinsic(Intrinsic::Max, vec![x, lo]), ty.clone(), span);
                mk(ExprKind::Intrinsic(Intrinsic::Min, vec![raised, hi]), ty, span)
            }
            _ => {
                let native = self.builtin_native(ATAN2_KEY, vec![Ty::Real, Ty::Real], Ty::Quantity(Dim::ANGLE));
                mk(ExprKind::Native { native, args }, Ty::Quantity(Dim::ANGLE), span)
            }
        }
    }

    /// The one dimension all numeric arguments share, or a diagnostic.
    fn common_dim(&mut self, name: &ast::Ident, values: &[(tir::Expr, Span)]) -> Option<Dim> {
        let mut dim: Option<(Dim, &Ty, Span)> = None;
        for (v, at) in values {
            let Some(d) = numeric_dim(&v.ty) else {
                let diag = Diagnostic::error(
                    "E0200",
                    format!("mismatched types: `{}` expects a number or quantity, found {}", name.name, v.ty),
                )
                .at(*at, v.ty.to_string());
                self.emit(diag);
                return None;
            };
            match dim {
                None => dim = Some((d, &v.ty, *at)),
                Some((first, first_ty, first_at)) if first != d => {
                    let diag = Diagnostic::error(
                        "E0308",
                        format!("`{}` needs arguments of one dimension, found {first_ty} and {}", name.name, v.ty),
                    )
                    .with(first_at, first_ty.to_string())
                    .at(*at, v.ty.to_string());
                    self.emit(diag);
                    return None;
                }
                Some(_) => {}
            }
        }
        dim.map(|(d, _, _)| d)
    }
}
