//! Operators: dimension algebra for arithmetic and comparisons, string and list concatenation,
//! boolean logic, and pose composition.

use super::expr::{error_expr, mk, numeric_dim, same_type, to_real};
use super::func::FnCx;
use super::{Checker, units};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::{self, BinOp as A, UnaryOp};
use crate::tir::{self, BinOp, Cmp, ExprKind, UnOp};
use crate::types::{Dim, HandleKind, Ty};

fn symbol(op: A) -> &'static str {
    match op {
        A::Add => "+",
        A::Sub => "-",
        A::Mul => "*",
        A::Div => "/",
        A::Rem => "%",
        A::Eq => "==",
        A::Ne => "!=",
        A::Lt => "<",
        A::Le => "<=",
        A::Gt => ">",
        A::Ge => ">=",
        A::And => "and",
        A::Or => "or",
        A::In => "in",
    }
}

fn cmp(op: A) -> Option<Cmp> {
    Some(match op {
        A::Eq => Cmp::Eq,
        A::Ne => Cmp::Ne,
        A::Lt => Cmp::Lt,
        A::Le => Cmp::Le,
        A::Gt => Cmp::Gt,
        A::Ge => Cmp::Ge,
        _ => return None,
    })
}

impl Checker<'_> {
    pub(super) fn lower_unary(&mut self, cx: &mut FnCx, op: UnaryOp, operand: &ast::Expr, span: Span) -> tir::Expr {
        let v = self.lower_expr(cx, operand, None);
        let ty = v.ty.clone();
        let un = match (op, &ty) {
            (_, Ty::Error) => return error_expr(span),
            (UnaryOp::Not, Ty::Bool) => UnOp::Not,
            (UnaryOp::Neg, Ty::Int) => UnOp::INeg,
            (UnaryOp::Neg, Ty::Real | Ty::Quantity(_)) => UnOp::FNeg,
            _ => {
                let (sym, help) = match op {
                    UnaryOp::Not => ("not", "`not` applies to a Bool"),
                    UnaryOp::Neg => ("-", "`-` applies to numbers and quantities"),
                };
                let d = Diagnostic::error("E0201", format!("cannot apply `{sym}` to {ty}"))
                    .at(operand.span, ty.to_string())
                    .help(help);
                self.emit(d);
                return error_expr(span);
            }
        };
        mk(ExprKind::Unary(un, Box::new(v)), ty, span)
    }

    pub(super) fn lower_binary(
        &mut self,
        cx: &mut FnCx,
        op: A,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        span: Span,
    ) -> tir::Expr {
        if matches!(op, A::And | A::Or) {
            let l = self.lower_expr(cx, lhs, Some(&Ty::Bool));
            // The right side runs only sometimes, so nothing of it may be hoisted before the left.
            cx.no_hoist += 1;
            let r = self.lower_expr(cx, rhs, Some(&Ty::Bool));
            cx.no_hoist -= 1;
            let b = if op == A::And { BinOp::And } else { BinOp::Or };
            return mk(ExprKind::Binary(b, Box::new(l), Box::new(r)), Ty::Bool, span);
        }
        let l = self.lower_expr(cx, lhs, None);
        // An empty list on the right takes the left's type: `xs + []`.
        // `opt == none` gives `none` the optional's type.
        let r_expected = match &l.ty {
            Ty::List(_) => Some(l.ty.clone()),
            Ty::Optional(_) if matches!(rhs.kind, ast::ExprKind::None) => Some(l.ty.clone()),
            _ => None,
        };
        let r = self.lower_expr(cx, rhs, r_expected.as_ref());
        if l.ty == Ty::Error || r.ty == Ty::Error {
            return error_expr(span);
        }
        let (lt, rt) = (l.ty.clone(), r.ty.clone());
        if let (Some(ld), Some(rd)) = (numeric_dim(&lt), numeric_dim(&rt)) {
            return self.numeric_binary(op, l, r, (ld, rd), (lhs, rhs), span);
        }
        let bin =
            |b: BinOp, ty: Ty, l: tir::Expr, r: tir::Expr| mk(ExprKind::Binary(b, Box::new(l), Box::new(r)), ty, span);
        match (op, &lt, &rt) {
            (A::Add, Ty::Str, Ty::Str) => return bin(BinOp::StrConcat, Ty::Str, l, r),
            (A::Eq, Ty::Str, Ty::Str) => return bin(BinOp::StrEq, Ty::Bool, l, r),
            (A::Ne, Ty::Str, Ty::Str) => return bin(BinOp::StrNe, Ty::Bool, l, r),
            (A::Add, Ty::List(_), Ty::List(_)) if same_type(&lt, &rt) => return bin(BinOp::ListConcat, lt, l, r),
            (A::Eq | A::Ne, Ty::List(_), Ty::List(_)) if same_type(&lt, &rt) => {
                if let Some(e) = self.list_equality(op == A::Eq, l, r, span) {
                    return e;
                }
            }
            (A::Eq | A::Ne, Ty::Bool, Ty::Bool) | (A::Eq | A::Ne, Ty::FaultKind, Ty::FaultKind) => {
                return bin(BinOp::ICmp(cmp(op).unwrap_or(Cmp::Eq)), Ty::Bool, l, r);
            }
            (A::Eq | A::Ne, Ty::Handle(a), Ty::Handle(b)) if a == b && a.is_cell_object() => {
                return bin(BinOp::ICmp(cmp(op).unwrap_or(Cmp::Eq)), Ty::Bool, l, r);
            }
            (A::Eq | A::Ne, Ty::Optional(_), Ty::Optional(_)) if matches!(rhs.kind, ast::ExprKind::None) => {
                let present = mk(ExprKind::Field { record: Box::new(l), index: 0 }, Ty::Bool, lhs.span);
                return match op {
                    A::Eq => mk(ExprKind::Unary(UnOp::Not, Box::new(present)), Ty::Bool, span),
                    _ => tir::Expr { span, ..present },
                };
            }
            // Against a variant without values (`v == Verdict::Pass`) the tags decide.
            (A::Eq | A::Ne, Ty::Struct(a, _), Ty::Struct(b, _))
                if a == b
                    && self.variants(*a).is_some()
                    && [lhs, rhs].iter().any(|e| matches!(e.kind, ast::ExprKind::Path(_))) =>
            {
                let tag = |e: tir::Expr| mk(ExprKind::Field { record: Box::new(e), index: 0 }, Ty::Int, span);
                return bin(BinOp::ICmp(cmp(op).unwrap_or(Cmp::Eq)), Ty::Bool, tag(l), tag(r));
            }
            (
                A::In,
                Ty::Handle(HandleKind::Pose),
                Ty::Handle(HandleKind::Pose | HandleKind::Fixture | HandleKind::Arm),
            ) => {
                if let Some(e) = self.in_frame(l, r, span) {
                    return e;
                }
            }
            (A::Mul, Ty::Handle(HandleKind::Pose), Ty::Handle(HandleKind::Pose)) => {
                if let Some(e) = self.compose(l, r, span) {
                    return e;
                }
            }
            _ => {}
        }
        let mut d = Diagnostic::error("E0201", format!("cannot apply `{}` to {lt} and {rt}", symbol(op)))
            .with(lhs.span, lt.to_string())
            .at(rhs.span, rt.to_string());
        if op == A::In {
            d = d.help("`p in f` takes a Pose on the left and a frame on the right: a Pose, a Fixture or an Arm");
        }
        self.emit(d);
        error_expr(span)
    }

    /// `p in frame`: `compose(inverse(frame), p)`, where a fixture stands for its `frame` and an arm
    /// for its `base`; every piece is a prelude extern, so the runtime does the geometry.
    fn in_frame(&mut self, p: tir::Expr, frame: tir::Expr, span: Span) -> Option<tir::Expr> {
        let prelude = self.prelude?;
        let pose = Ty::Handle(HandleKind::Pose);
        let property = match frame.ty {
            Ty::Handle(HandleKind::Fixture) => Some("frame"),
            Ty::Handle(HandleKind::Arm) => Some("base"),
            _ => None,
        };
        let frame = match property {
            Some(name) => {
                let ty = frame.ty.clone();
                let f = self.fns_named(prelude, name).into_iter().find(|f| {
                    let params = &self.fn_decl(*f).params;
                    params.len() == 1 && params[0].ty == ty
                })?;
                let native = self.native_id(f);
                mk(ExprKind::Native { native, args: vec![frame] }, pose.clone(), span)
            }
            None => frame,
        };
        let inverse = self.fns_named(prelude, "inverse").into_iter().find(|f| self.fn_decl(*f).params.len() == 1)?;
        let native = self.native_id(inverse);
        let inverse = mk(ExprKind::Native { native, args: vec![frame] }, pose, span);
        self.compose(inverse, p, span)
    }

    /// `p * q` on poses: the prelude's `compose`.
    fn compose(&mut self, l: tir::Expr, r: tir::Expr, span: Span) -> Option<tir::Expr> {
        let prelude = self.prelude?;
        let f = self.fns_named(prelude, "compose").into_iter().find(|f| self.fn_decl(*f).params.len() == 2)?;
        let native = self.native_id(f);
        Some(mk(ExprKind::Native { native, args: vec![l, r] }, Ty::Handle(HandleKind::Pose), span))
    }

    fn numeric_binary(
        &mut self,
        op: A,
        l: tir::Expr,
        r: tir::Expr,
        (ld, rd): (Dim, Dim),
        (lhs, rhs): (&ast::Expr, &ast::Expr),
        span: Span,
    ) -> tir::Expr {
        let ints = l.ty == Ty::Int && r.ty == Ty::Int;
        let bin =
            |b: BinOp, ty: Ty, l: tir::Expr, r: tir::Expr| mk(ExprKind::Binary(b, Box::new(l), Box::new(r)), ty, span);
        let (l_ty, r_ty) = (l.ty.clone(), r.ty.clone());
        match op {
            A::Mul | A::Div => {
                if ints {
                    let b = if op == A::Mul { BinOp::IMul } else { BinOp::IDiv };
                    return bin(b, Ty::Int, l, r);
                }
                let (b, sign) = if op == A::Mul { (BinOp::FMul, 1) } else { (BinOp::FDiv, -1) };
                let Some(dim) = units::combine(ld, rd, sign) else {
                    let d = Diagnostic::error(
                        "E0201",
                        format!("the dimension of {l_ty} {} {r_ty} is too large", symbol(op)),
                    )
                    .at(span, "exponent out of range");
                    self.emit(d.help(format!("exponents are limited to ±{}", units::MAX_EXPONENT)));
                    return error_expr(span);
                };
                return bin(b, Ty::quantity(dim), to_real(l), to_real(r));
            }
            _ if ld != rd => {
                let message = match op {
                    A::Add => format!("cannot add {r_ty} to {l_ty}"),
                    A::Sub => format!("cannot subtract {r_ty} from {l_ty}"),
                    A::Rem => format!("cannot take the remainder of {l_ty} by {r_ty}"),
                    _ => format!("cannot compare {l_ty} with {r_ty}"),
                };
                let mut d =
                    Diagnostic::error("E0308", message).with(lhs.span, l_ty.to_string()).at(rhs.span, r_ty.to_string());
                if let Some(help) = self.unit_fix(rhs, ld).or_else(|| self.unit_fix(lhs, rd)) {
                    d = d.help(help);
                }
                self.emit(d);
                return error_expr(span);
            }
            _ => {}
        }
        let dim_ty = Ty::quantity(ld);
        match (op, cmp(op)) {
            (_, Some(c)) if ints => bin(BinOp::ICmp(c), Ty::Bool, l, r),
            (_, Some(c)) => bin(BinOp::FCmp(c), Ty::Bool, to_real(l), to_real(r)),
            (A::Add, _) if ints => bin(BinOp::IAdd, Ty::Int, l, r),
            (A::Sub, _) if ints => bin(BinOp::ISub, Ty::Int, l, r),
            (A::Rem, _) if ints => bin(BinOp::IRem, Ty::Int, l, r),
            (A::Add, _) => bin(BinOp::FAdd, dim_ty, to_real(l), to_real(r)),
            (A::Sub, _) => bin(BinOp::FSub, dim_ty, to_real(l), to_real(r)),
            _ => bin(BinOp::FRem, dim_ty, to_real(l), to_real(r)),
        }
    }

    /// `did you mean 40 mm?` when `e` is a number literal that could be written in a unit of `dim`.
    fn unit_fix(&self, e: &ast::Expr, dim: Dim) -> Option<String> {
        let number = match &e.kind {
            ast::ExprKind::Int(_) | ast::ExprKind::Real(_) => self.text(e.span).to_string(),
            ast::ExprKind::Quantity { text, .. } => text.clone(),
            _ => return None,
        };
        if dim.is_none() {
            return Some(format!("did you mean {number}?"));
        }
        if dim == Dim::ANGLE {
            return Some(match super::angles::bare_number(e) {
                Some(v) => {
                    format!("{}?", super::angles::bare_angle_help(&number, v).replacen("write", "did you mean", 1))
                }
                None => format!("did you mean {number} rad or {number} deg?"),
            });
        }
        units::everyday_unit(dim).map(|u| format!("did you mean {number} {u}?"))
    }
}
