//! Type expressions: what `Length`, `[Part]`, `Part?`, `[N/mm]` or a struct name stand for.

use super::{Checker, ModId, Sym, suggest, units};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast;
use crate::types::{HandleKind, QUANTITY_NAMES, Ty};

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
        d = match e.suggestion {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help("units are m mm cm um in, rad deg, s ms min, kg g, N kN, Nm, J kJ Wh, W kW, rpm, %"),
        };
        self.emit(d);
    }
}
