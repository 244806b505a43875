//! Type expressions: what `Length`, `[Part]`, `Part?`, `[N/mm]` or a struct name stand for.

use super::func::FnCx;
use super::{Checker, ModId, Sym, suggest, units};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast;
use crate::types::{HandleKind, QUANTITY_NAMES, Ty};

/// Units people write that Deft spells differently, for "did you mean".
const UNIT_SPELLINGS: &[(&str, &str)] = &[
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("msec", "ms"),
    ("mins", "min"),
    ("minute", "min"),
    ("inch", "in"),
    ("inches", "in"),
    ("pct", "%"),
    ("percent", "%"),
    ("degree", "deg"),
    ("degrees", "deg"),
    ("radian", "rad"),
    ("radians", "rad"),
    ("kgs", "kg"),
    ("Nmm", "N*mm"),
];

const ALL_UNITS: &str = "units are m mm cm um in, rad deg, s ms min, kg g, N kN, Nm, J kJ Wh, W kW, rpm, %";

/// Built-in type names other than quantities and handles, for "did you mean".
const SCALAR_TYPES: &[&str] = &["Bool", "Int", "Real", "String", "Ratio", "FaultKind"];

impl Checker<'_> {
    /// The type a type expression stands for in a module; reports unknown names and units.
    pub(super) fn resolve_type(&mut self, m: ModId, t: &ast::TypeExpr) -> Ty {
        match &t.kind {
            ast::TypeExprKind::Error => Ty::Error,
            ast::TypeExprKind::List(inner) => Ty::List(Box::new(self.resolve_type(m, inner))),
            ast::TypeExprKind::Optional(inner) => Ty::Optional(Box::new(self.resolve_type(m, inner))),
            ast::TypeExprKind::Unit(u) => match units::resolve(u) {
                Ok((dim, _)) => Ty::quantity(dim),
                Err(e) => {
                    self.unknown_unit(u, &e);
                    Ty::Error
                }
            },
            ast::TypeExprKind::Named(id) => self.named_type(m, id),
        }
    }

    fn named_type(&mut self, m: ModId, id: &ast::Ident) -> Ty {
        let builtin = match id.name.as_str() {
            "Bool" => Some(Ty::Bool),
            "Int" => Some(Ty::Int),
            "Real" | "Ratio" => Some(Ty::Real),
            "String" => Some(Ty::Str),
            "FaultKind" => Some(Ty::FaultKind),
            _ => None,
        };
        if let Some(t) = builtin {
            return t;
        }
        if let Some((_, dim)) = QUANTITY_NAMES.iter().find(|(n, _)| *n == id.name) {
            return Ty::Quantity(*dim);
        }
        if let Some(h) = HandleKind::ALL.iter().find(|h| h.name() == id.name) {
            return Ty::Handle(*h);
        }
        for sym in self.lookup(m, &id.name) {
            if let Sym::Struct(s) = sym {
                return Ty::Struct(s, id.name.clone());
            }
        }
        if self.module(m).failed_import(&id.name) {
            return Ty::Error;
        }
        if id.name == "Optional" || id.name == "Option" {
            let d = Diagnostic::error("E0104", format!("unknown type `{}`", id.name))
                .at(id.span, "not a type")
                .help("write an optional as `T?`");
            self.emit(d);
            return Ty::Error;
        }
        let mut names: Vec<String> = SCALAR_TYPES.iter().map(|s| s.to_string()).collect();
        names.extend(QUANTITY_NAMES.iter().map(|(n, _)| n.to_string()));
        names.extend(HandleKind::ALL.iter().map(|h| h.name().to_string()));
        names.extend(
            self.visible_names(m).into_iter().filter(|n| self.lookup(m, n).iter().any(|s| matches!(s, Sym::Struct(_)))),
        );
        let mut d = Diagnostic::error("E0104", format!("unknown type `{}`", id.name)).at(id.span, "not a type");
        if let Some(s) = suggest::closest(&id.name, names.iter().map(String::as_str)) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        self.emit(d);
        Ty::Error
    }

    pub(super) fn unknown_unit(&mut self, u: &ast::UnitExpr, e: &units::UnknownUnit) {
        let Some(factor) = u.factors.get(e.index) else { return };
        if e.too_large {
            let d = Diagnostic::error("E0105", format!("the power of `{}` is too large", factor.name.name))
                .at(factor.name.span, "exponent out of range")
                .help(format!("exponents are limited to ±{}", units::MAX_EXPONENT));
            return self.emit(d);
        }
        let mut d = Diagnostic::error("E0105", format!("unknown unit `{}`", factor.name.name))
            .at(factor.name.span, "not a unit");
        let spelled = UNIT_SPELLINGS.iter().find(|(n, _)| *n == factor.name.name).map(|(_, u)| *u);
        d = match spelled.or(e.suggestion) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(ALL_UNITS),
        };
        self.emit(d);
    }

    /// An unknown unit in a quantity literal. A number followed by a name is always a quantity,
    /// so `20 mm * n` reads `mm * n` as the unit; when a factor names a variable in scope, say
    /// so, and count the variable as read so that no W0001 follows the error.
    pub(super) fn unknown_unit_in_quantity(
        &mut self,
        cx: &mut FnCx,
        lit: &ast::Expr,
        u: &ast::UnitExpr,
        e: &units::UnknownUnit,
    ) {
        let Some(factor) = u.factors.get(e.index) else { return };
        let Some(local) = cx.lookup(&factor.name.name) else { return self.unknown_unit(u, e) };
        cx.mark_used(local);
        let name = &factor.name.name;
        let (number, unit) = match &lit.kind {
            ast::ExprKind::Quantity { text, .. } => {
                let known: Vec<ast::UnitFactor> = u.factors[..e.index].to_vec();
                let unit = units::spell(&ast::UnitExpr { factors: known, span: u.span });
                (text.clone(), unit)
            }
            _ => (String::new(), String::new()),
        };
        let rewrite = if unit.is_empty() { format!("{name} * {number}") } else { format!("{name} * {number} {unit}") };
        let d = Diagnostic::error("E0105", format!("`{name}` is a variable, not a unit"))
            .at(factor.name.span, "read as part of the unit")
            .help(format!("a number followed by names is one quantity; put the variable first: `{rewrite}`"));
        self.emit(d);
    }
}
