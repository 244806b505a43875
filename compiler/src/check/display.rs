//! Display units: the unit string interpolation prints a quantity in. A value written in mm
//! (a literal, or a local, parameter, constant or field declared or initialised in mm) prints
//! in mm, `0.27 mm`; a value whose unit the program does not make obvious prints in SI.
//!
//! The unit rides beside the lowered expression, in `Checker::displays` keyed by the source
//! span, so the typed IR keeps one representation of a quantity (SI) and only `FmtPiece`
//! carries the unit.

use super::func::FnCx;
use super::{Checker, Sym, units};
use crate::syntax::ast;
use crate::tir::{self, ExprKind};
use crate::types::{Dim, Ty};

/// A unit to print a quantity in: its spelling, the factor from it to SI, and its dimension.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DisplayUnit {
    pub unit: String,
    pub scale: f64,
    pub dim: Dim,
}

impl DisplayUnit {
    /// The unit a unit expression is written in, when it names a known unit.
    pub fn of(u: &ast::UnitExpr) -> Option<DisplayUnit> {
        let (dim, scale) = units::resolve(u).ok()?;
        (dim != Dim::NONE).then(|| DisplayUnit { unit: units::spell(u), scale, dim })
    }

    /// The unit a declaration fixes: a bracketed unit type (`[mm]`), else the unit of a literal
    /// initialiser or default (`= 2 mm`).
    pub fn declared(ty: Option<&ast::TypeExpr>, value: Option<&ast::Expr>) -> Option<DisplayUnit> {
        if let Some(ast::TypeExpr { kind: ast::TypeExprKind::Unit(u), .. }) = ty {
            return DisplayUnit::of(u);
        }
        match value {
            Some(ast::Expr { kind: ast::ExprKind::Quantity { unit, .. }, .. }) => DisplayUnit::of(unit),
            _ => None,
        }
    }
}

/// Builtins whose result is in the unit of their first argument.
const UNIT_PRESERVING: &[&str] = &["abs", "min", "max", "clamp", "floor", "ceil"];

impl Checker<'_> {
    /// Remember the display unit of a quantity expression just lowered, derived from its parts.
    pub(super) fn note_display(&mut self, cx: &FnCx, e: &ast::Expr, lowered: &tir::Expr) {
        let Ty::Quantity(dim) = lowered.ty else { return };
        if let Some(d) = self.derive_display(cx, e, lowered).filter(|d| d.dim == dim) {
            self.displays.insert(e.span, d);
        }
    }

    /// The display unit of an already lowered expression, if it has one.
    pub(super) fn display_of(&self, e: &ast::Expr) -> Option<DisplayUnit> {
        self.displays.get(&e.span).cloned()
    }

    /// What a `let`/`var` binding prints in: its declared unit, else its initialiser's.
    pub(super) fn binding_display(&self, ty: Option<&ast::TypeExpr>, value: &ast::Expr) -> Option<DisplayUnit> {
        DisplayUnit::declared(ty, None).or_else(|| self.display_of(value))
    }

    fn derive_display(&self, cx: &FnCx, e: &ast::Expr, lowered: &tir::Expr) -> Option<DisplayUnit> {
        match &e.kind {
            ast::ExprKind::Quantity { unit, .. } => DisplayUnit::of(unit),
            ast::ExprKind::Name(id) => match lowered.kind {
                ExprKind::Local(l) => cx.display(l),
                _ => match self.lookup(cx.module, &id.name).first() {
                    Some(Sym::Const(c)) => self.consts[c.0 as usize].display.clone(),
                    _ => None,
                },
            },
            ast::ExprKind::Unary { op: ast::UnaryOp::Neg, expr } => self.display_of(expr),
            ast::ExprKind::Binary { op, lhs, rhs } => {
                let (l, r) = (self.display_of(lhs), self.display_of(rhs));
                match op {
                    // Equal dimensions on both sides: the unit the user wrote first wins.
                    ast::BinOp::Add | ast::BinOp::Sub => l.or(r),
                    // A quantity scaled by a number keeps its unit; `filter` in `note_display`
                    // drops it when the other side carried a dimension too.
                    ast::BinOp::Mul => l.or(r),
                    ast::BinOp::Div | ast::BinOp::Rem => l,
                    _ => None,
                }
            }
            ast::ExprKind::Call { callee, args } => match (&callee.kind, args.first()) {
                (ast::ExprKind::Name(f), Some(first)) if UNIT_PRESERVING.contains(&f.name.as_str()) => {
                    self.display_of(&first.value)
                }
                _ => None,
            },
            ast::ExprKind::MethodCall { receiver, method, .. } if UNIT_PRESERVING.contains(&method.name.as_str()) => {
                self.display_of(receiver)
            }
            ast::ExprKind::Field { .. } => match &lowered.kind {
                ExprKind::Field { record, index } => match &record.ty {
                    Ty::Struct(s, _) => self.structs[s.0 as usize].field_displays.get(*index as usize).cloned()?,
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }
}
