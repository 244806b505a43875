//! Checking and lowering expressions: literals, names, fields, indexing, lists, struct literals
//! and string interpolation, and coercion of a value to the type its context expects.

use super::builtins::{WORLD, WORLD_KEY};
use super::func::FnCx;
use super::{Checker, ConstState, Sym, angles, suggest, units};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast;
use crate::tir::{self, ExprKind, FmtPiece};
use crate::types::{Dim, FAULT_KINDS, HandleKind, Ty};

/// An expression of a type, with the span it came from.
pub(super) fn mk(kind: ExprKind, ty: Ty, span: Span) -> tir::Expr {
    tir::Expr { kind, ty, span }
}

/// The placeholder for an expression that already had an error.
pub(super) fn error_expr(span: Span) -> tir::Expr {
    mk(ExprKind::Int(0), Ty::Error, span)
}

/// Whether two types agree, `Error` matching anything at any depth.
pub(super) fn same_type(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Error, _) | (_, Ty::Error) => true,
        (Ty::List(x), Ty::List(y)) | (Ty::Optional(x), Ty::Optional(y)) => same_type(x, y),
        (Ty::Struct(x, _), Ty::Struct(y, _)) => x == y,
        _ => a == b,
    }
}

/// The dimension of a numeric type, counting `Int` as dimensionless.
pub(super) fn numeric_dim(t: &Ty) -> Option<Dim> {
    match t {
        Ty::Int => Some(Dim::NONE),
        _ => t.dim(),
    }
}

/// `Int` → `Real`: a literal is converted in place, anything else through `IntToReal`.
pub(super) fn to_real(e: tir::Expr) -> tir::Expr {
    match e.kind {
        ExprKind::Int(v) => mk(ExprKind::Real(v as f64), Ty::Real, e.span),
        _ if e.ty == Ty::Int => {
            let span = e.span;
            mk(ExprKind::IntToReal(Box::new(e)), Ty::Real, span)
        }
        _ => e,
    }
}

impl Checker<'_> {
    /// Check and lower an expression; `expected` is the type its context needs, when known,
    /// and the result is coerced to it (reporting a mismatch).
    pub(super) fn lower_expr(&mut self, cx: &mut FnCx, e: &ast::Expr, expected: Option<&Ty>) -> tir::Expr {
        let lowered = self.lower_expr_inner(cx, e, expected);
        self.note_display(cx, e, &lowered);
        match expected {
            Some(t) => self.coerce(lowered, t, e),
            None => lowered,
        }
    }

    fn lower_expr_inner(&mut self, cx: &mut FnCx, e: &ast::Expr, expected: Option<&Ty>) -> tir::Expr {
        let span = e.span;
        match &e.kind {
            ast::ExprKind::Int(v) => mk(ExprKind::Int(*v), Ty::Int, span),
            ast::ExprKind::Real(v) => mk(ExprKind::Real(*v), Ty::Real, span),
            ast::ExprKind::Bool(b) => mk(ExprKind::Bool(*b), Ty::Bool, span),
            ast::ExprKind::Quantity { value, unit, text } => match units::resolve(unit) {
                Ok((dim, scale)) => {
                    if dim == Dim::ANGLE {
                        self.check_angle_literal(cx, *value, text, unit, span);
                    }
                    mk(ExprKind::Real(value * scale), Ty::quantity(dim), span)
                }
                Err(err) => {
                    self.unknown_unit_in_quantity(cx, e, unit, &err);
                    error_expr(span)
                }
            },
            ast::ExprKind::Str(parts) => self.lower_string(cx, parts, span),
            ast::ExprKind::Name(id) => self.lower_name(cx, id),
            ast::ExprKind::Path(segments) => self.lower_path(cx, segments, span),
            ast::ExprKind::None => self.lower_none(expected, span),
            ast::ExprKind::Match { scrutinee, arms } => self.lower_match(cx, scrutinee, arms, expected, span),
            ast::ExprKind::Unary { op, expr } => self.lower_unary(cx, *op, expr, span),
            ast::ExprKind::Binary { op, lhs, rhs } => self.lower_binary(cx, *op, lhs, rhs, span),
            ast::ExprKind::Call { callee, args } => self.lower_call(cx, callee, args, span),
            ast::ExprKind::MethodCall { receiver, method, args } => {
                self.lower_method_call(cx, receiver, method, args, span)
            }
            ast::ExprKind::Field { expr, name } => self.lower_field(cx, expr, name, span),
            ast::ExprKind::Index { expr, index } => self.lower_index(cx, expr, index, span),
            ast::ExprKind::List(items) => self.lower_list(cx, items, expected, span),
            ast::ExprKind::StructLit { name, fields } => self.lower_struct_lit(cx, name, fields, span),
            ast::ExprKind::Error => error_expr(span),
        }
    }

    /// Report a construct the checker does not handle yet.
    pub(super) fn unsupported(&mut self, span: Span, what: &str) -> tir::Expr {
        let d = Diagnostic::error("E0405", format!("{what} are not supported yet")).at(span, "not supported yet");
        self.emit(d);
        error_expr(span)
    }

    /// Convert `e` to `expected` (Int widens to Real) or report the mismatch.
    pub(super) fn coerce(&mut self, e: tir::Expr, expected: &Ty, source: &ast::Expr) -> tir::Expr {
        if same_type(expected, &e.ty) {
            return e;
        }
        if *expected == Ty::Real && e.ty == Ty::Int {
            return to_real(e);
        }
        if let Ty::Optional(inner) = expected {
            let inner = (**inner).clone();
            if same_type(&inner, &e.ty) || (inner == Ty::Real && e.ty == Ty::Int) {
                let value = if inner == Ty::Real { to_real(e) } else { e };
                return self.wrap_optional(value, &inner);
            }
        }
        self.report_mismatch(expected, &e.ty, source);
        tir::Expr { ty: Ty::Error, ..e }
    }

    fn report_mismatch(&mut self, expected: &Ty, found: &Ty, source: &ast::Expr) {
        let message = format!("expected {expected}, found {found}");
        let (Some(want), Some(_)) = (numeric_dim(expected), numeric_dim(found)) else {
            let d =
                Diagnostic::error("E0200", format!("mismatched types: {message}")).at(source.span, found.to_string());
            self.emit(d);
            return;
        };
        let mut d =
            Diagnostic::error("E0308", format!("mismatched dimensions: {message}")).at(source.span, found.to_string());
        let number = match &source.kind {
            ast::ExprKind::Int(_) | ast::ExprKind::Real(_) => Some(self.text(source.span).to_string()),
            ast::ExprKind::Quantity { text, .. } => Some(text.clone()),
            _ => None,
        };
        if let Some(number) = number {
            if want == Dim::ANGLE {
                d = match angles::bare_number(source) {
                    Some(value) => d.help(angles::bare_angle_help(&number, value)),
                    None => d.help(format!("write {number} rad or {number} deg")),
                };
            } else if let Some(unit) = units::everyday_unit(want) {
                d = d.help(format!("did you mean {number} {unit}?"));
            } else if want.is_none() {
                d = d.help(format!("did you mean {number}?"));
            }
        }
        self.emit(d);
    }

    fn lower_name(&mut self, cx: &mut FnCx, id: &ast::Ident) -> tir::Expr {
        if let Some(local) = cx.lookup(&id.name) {
            cx.mark_used(local);
            let ty = cx.locals[local.0 as usize].ty.clone();
            let keyword = if cx.mutable[local.0 as usize] { "var" } else { "let" };
            let definition = cx.spans.get(local.0 as usize).copied().flatten();
            self.reference(id.span, definition, format!("{keyword} {}: {ty}", id.name), None);
            return mk(ExprKind::Local(local), ty, id.span);
        }
        let syms = self.lookup(cx.module, &id.name);
        if let Some(Sym::Const(c)) = syms.first() {
            let value = self.const_value(*c, id.span);
            self.reference_const(id.span, *c, &value.ty);
            return value;
        }
        if cx.module == self.main
            && let Some(i) = self.cell.iter().position(|c| c.name == id.name)
        {
            self.cell[i].used = true;
            let c = &self.cell[i];
            let (definition, detail, doc) = (Some(c.span), format!("cell {}: {}", c.name, c.ty), c.doc.clone());
            self.reference(id.span, definition, detail, doc);
            return mk(ExprKind::Cell(i as u32), self.cell[i].ty.clone(), id.span);
        }
        if syms.is_empty() && id.name == WORLD {
            // `world` is a value of the language (LANGUAGE.md writes it bare), so it is built in
            // rather than a prelude function; a local, constant or cell entry of that name wins.
            let native = self.builtin_native(WORLD_KEY, Vec::new(), Ty::Handle(HandleKind::Pose));
            self.reference(id.span, None, "world: Pose (the world frame)".to_string(), None);
            return mk(ExprKind::Native { native, args: Vec::new() }, Ty::Handle(HandleKind::Pose), id.span);
        }
        if let Some(sym) = syms.first() {
            let what = if matches!(sym, Sym::Fn(_)) { "a function" } else { "a struct" };
            let help = match sym {
                Sym::Fn(_) => format!("call it: `{}(...)`", id.name),
                _ => format!("build a value: `{} {{ ... }}`", id.name),
            };
            let d = Diagnostic::error("E0306", format!("`{}` is {what}, not a value", id.name))
                .at(id.span, what)
                .help(help);
            self.emit(d);
            return error_expr(id.span);
        }
        if self.module(cx.module).failed_import(&id.name) {
            return error_expr(id.span);
        }
        let mut names: Vec<String> = cx.visible_locals();
        if cx.module == self.main {
            names.extend(self.cell.iter().map(|c| c.name.clone()));
        }
        names.extend(self.visible_names(cx.module));
        let mut d = Diagnostic::error("E0102", format!("unknown name `{}`", id.name)).at(id.span, "not found");
        if let Some(s) = suggest::closest(&id.name, names.iter().map(String::as_str)) {
            d = d.help(format!("did you mean `{s}`?"));
        } else if let Some(module) = self.module_exporting(&id.name) {
            d = d.help(format!("add `use {module}::{{{}}}` at the top of the file", id.name));
        }
        self.emit(d);
        error_expr(id.span)
    }

    /// A constant's value, inlined at the use; the constant is checked on its first use.
    pub(super) fn const_value(&mut self, c: super::ConstIdx, span: Span) -> tir::Expr {
        match self.consts[c.0 as usize].state.clone() {
            ConstState::Done(e) => tir::Expr { span, ..e },
            ConstState::InProgress => {
                let name = self.consts[c.0 as usize].name.clone();
                let d = Diagnostic::error("E0109", format!("constant `{name}` refers to itself"))
                    .at(span, "used while its own value is computed")
                    .with(self.consts[c.0 as usize].name_span, "declared here");
                self.emit(d);
                error_expr(span)
            }
            ConstState::Unchecked => {
                let e = self.check_const(c);
                tir::Expr { span, ..e }
            }
        }
    }

    fn lower_path(&mut self, cx: &mut FnCx, segments: &[ast::Ident], span: Span) -> tir::Expr {
        let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
        if let ["FaultKind", kind] = names.as_slice() {
            if let Some(i) = FAULT_KINDS.iter().position(|k| k == kind) {
                return mk(ExprKind::FaultKind(i as u32), Ty::FaultKind, span);
            }
            let mut d = Diagnostic::error("E0107", format!("no fault kind `{kind}`")).at(span, "not a fault kind");
            if let Some(s) = suggest::closest(kind, FAULT_KINDS.iter().copied()) {
                d = d.help(format!("did you mean `FaultKind::{s}`?"));
            }
            self.emit(d.note(format!("the fault kinds are: {}", FAULT_KINDS.join(", "))));
            return error_expr(span);
        }
        if let [enum_name, variant] = segments
            && let Some(id) = self.enum_named(cx.module, &enum_name.name)
        {
            return self.lower_variant(cx, id, variant, None, span);
        }
        if let [alias, item] = names.as_slice()
            && let Some(target) = self.module(cx.module).aliases.get(*alias).copied()
        {
            let syms = self.module(target).items.get(*item).cloned().unwrap_or_default();
            if let Some(Sym::Const(c)) = syms.first()
                && self.consts[c.0 as usize].public
            {
                return self.const_value(*c, span);
            }
            if !syms.is_empty() && !syms.iter().any(|s| self.sym_public(*s)) {
                self.private_item(target, item, segments[1].span);
                return error_expr(span);
            }
        }
        let d = Diagnostic::error("E0107", format!("unknown path `{}`", names.join("::")))
            .at(span, "not found")
            .help("paths name fault kinds (`FaultKind::Timeout`) or constants of a module brought in by `use`");
        self.emit(d);
        error_expr(span)
    }

    fn lower_string(&mut self, cx: &mut FnCx, parts: &[ast::StrPart], span: Span) -> tir::Expr {
        if let [] | [ast::StrPart::Lit(_)] = parts {
            let text = match parts.first() {
                Some(ast::StrPart::Lit(s)) => s.as_str(),
                _ => "",
            };
            let id = self.string(text);
            return mk(ExprKind::Str(id), Ty::Str, span);
        }
        let mut pieces = Vec::new();
        let mut ok = true;
        for part in parts {
            match part {
                ast::StrPart::Lit(s) => {
                    let id = self.string(s);
                    pieces.push(FmtPiece::Str(mk(ExprKind::Str(id), Ty::Str, span)));
                }
                ast::StrPart::Expr(e) => {
                    let v = self.lower_expr(cx, e, None);
                    let piece = match v.ty.clone() {
                        Ty::Str => FmtPiece::Str(v),
                        Ty::Int => FmtPiece::Int(v),
                        Ty::Real => FmtPiece::Real(v),
                        Ty::Bool => FmtPiece::Bool(v),
                        Ty::Quantity(dim) => {
                            let (unit, scale) = match self.display_of(e) {
                                Some(d) if d.dim == dim => (d.unit, d.scale),
                                _ => (units::si_unit(dim), 1.0),
                            };
                            let unit = self.string(&unit);
                            FmtPiece::Quantity { value: v, unit, scale }
                        }
                        Ty::Error => {
                            ok = false;
                            continue;
                        }
                        other => {
                            let d = Diagnostic::error("E0208", format!("cannot put a {other} into a string"))
                                .at(e.span, other.to_string())
                                .help("interpolate a String, number, quantity or Bool, e.g. a field of it");
                            self.emit(d);
                            ok = false;
                            continue;
                        }
                    };
                    pieces.push(piece);
                }
            }
        }
        if !ok {
            return error_expr(span);
        }
        mk(ExprKind::Format(pieces), Ty::Str, span)
    }

    fn lower_index(&mut self, cx: &mut FnCx, list: &ast::Expr, index: &ast::Expr, span: Span) -> tir::Expr {
        let l = self.lower_expr(cx, list, None);
        let i = self.lower_expr(cx, index, None);
        let elem = match &l.ty {
            Ty::List(t) => (**t).clone(),
            Ty::Error => return error_expr(span),
            other => {
                let d = Diagnostic::error("E0206", format!("cannot index a {other}")).at(list.span, other.to_string());
                self.emit(d.help("only lists can be indexed"));
                return error_expr(span);
            }
        };
        if !matches!(i.ty, Ty::Int | Ty::Error) {
            let d = Diagnostic::error("E0206", format!("a list index must be an Int, not {}", i.ty))
                .at(index.span, i.ty.to_string());
            self.emit(d);
            return error_expr(span);
        }
        mk(ExprKind::Index { list: Box::new(l), index: Box::new(i) }, elem, span)
    }

    fn lower_list(&mut self, cx: &mut FnCx, items: &[ast::Expr], expected: Option<&Ty>, span: Span) -> tir::Expr {
        if let Some(Ty::List(elem)) = expected {
            let elem = (**elem).clone();
            let lowered = items.iter().map(|i| self.lower_expr(cx, i, Some(&elem))).collect();
            return mk(ExprKind::List(lowered), Ty::List(Box::new(elem)), span);
        }
        let Some(first) = items.first() else {
            let d = Diagnostic::error("E0203", "cannot infer the element type of an empty list")
                .at(span, "empty list")
                .help("annotate the binding: `var xs: [Part] = []`");
            self.emit(d);
            return error_expr(span);
        };
        let head = self.lower_expr(cx, first, None);
        let mut rest: Vec<tir::Expr> = items[1..].iter().map(|i| self.lower_expr(cx, i, None)).collect();
        let any_real = head.ty == Ty::Real || rest.iter().any(|e| e.ty == Ty::Real);
        let elem = if head.ty == Ty::Int && any_real { Ty::Real } else { head.ty.clone() };
        let mut all = vec![head];
        all.append(&mut rest);
        let lowered = all.into_iter().zip(items).map(|(e, src)| self.coerce(e, &elem, src)).collect();
        mk(ExprKind::List(lowered), Ty::List(Box::new(elem)), span)
    }

    fn lower_struct_lit(
        &mut self,
        cx: &mut FnCx,
        name: &ast::Ident,
        fields: &[ast::FieldInit],
        span: Span,
    ) -> tir::Expr {
        let Some(id) = self.lookup(cx.module, &name.name).iter().find_map(|s| match s {
            Sym::Struct(id) if self.variants(*id).is_none() => Some(*id),
            _ => None,
        }) else {
            let ty = self.resolve_type(
                cx.module,
                &ast::TypeExpr { kind: ast::TypeExprKind::Named(name.clone()), span: name.span },
            );
            if ty != Ty::Error {
                let help = match self.enum_named(cx.module, &name.name) {
                    Some(_) => format!("an enum value is written `{}::Variant`", name.name),
                    None => "only structs are built with `Name { field: value }`".to_string(),
                };
                let d = Diagnostic::error("E0207", format!("`{}` is not a struct", name.name))
                    .at(name.span, ty.to_string())
                    .help(help);
                self.emit(d);
            }
            for f in fields {
                self.lower_expr(cx, &f.value, None);
            }
            return error_expr(span);
        };
        let decl_fields = self.structs[id.0 as usize].fields.clone();
        let mut values: Vec<Option<tir::Expr>> = vec![None; decl_fields.len()];
        let mut ok = true;
        for f in fields {
            let Some(index) = decl_fields.iter().position(|(n, _)| *n == f.name.name) else {
                let known: Vec<&str> = decl_fields.iter().map(|(n, _)| n.as_str()).collect();
                let mut d =
                    Diagnostic::error("E0207", format!("struct `{}` has no field `{}`", name.name, f.name.name))
                        .at(f.name.span, "unknown field");
                if let Some(s) = suggest::closest(&f.name.name, known.iter().copied()) {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                self.emit(d.note(format!("the fields are: {}", known.join(", "))));
                self.lower_expr(cx, &f.value, None);
                ok = false;
                continue;
            };
            let value = self.lower_expr(cx, &f.value, Some(&decl_fields[index].1));
            if values[index].is_some() {
                let d = Diagnostic::error("E0207", format!("field `{}` is given twice", f.name.name))
                    .at(f.name.span, "given again here");
                self.emit(d);
                ok = false;
            }
            values[index] = Some(value);
        }
        let missing: Vec<&str> =
            decl_fields.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|((n, _), _)| n.as_str()).collect();
        if !missing.is_empty() {
            let d = Diagnostic::error("E0207", format!("missing fields in `{}`: {}", name.name, missing.join(", ")))
                .at(name.span, "fields missing")
                .help(format!(
                    "give every field: {}",
                    decl_fields.iter().map(|(n, t)| format!("{n}: {t}")).collect::<Vec<_>>().join(", ")
                ));
            self.emit(d);
            ok = false;
        }
        if !ok {
            return error_expr(span);
        }
        let fields = values.into_iter().flatten().collect();
        mk(ExprKind::Record { strukt: id, fields }, Ty::Struct(id, name.name.clone()), span)
    }

    fn lower_field(&mut self, cx: &mut FnCx, base: &ast::Expr, name: &ast::Ident, span: Span) -> tir::Expr {
        let b = self.lower_expr(cx, base, None);
        match &b.ty {
            Ty::Error => return error_expr(span),
            Ty::Struct(id, _) if self.variants(*id).is_none() => {
                if let Some(index) = self.structs[id.0 as usize].fields.iter().position(|(n, _)| *n == name.name) {
                    let ty = self.structs[id.0 as usize].fields[index].1.clone();
                    let detail = format!("{}.{}: {ty}", self.structs[id.0 as usize].name, name.name);
                    self.reference(name.span, None, detail, None);
                    return mk(ExprKind::Field { record: Box::new(b), index: index as u32 }, ty, span);
                }
            }
            _ => {}
        }
        if let Some(call) = self.property_call(cx, b.clone(), name, span) {
            return call;
        }
        let mut d =
            Diagnostic::error("E0205", format!("no field `{}` on {}", name.name, b.ty)).at(name.span, "unknown field");
        if let Ty::Struct(id, _) = &b.ty
            && self.variants(*id).is_none()
        {
            let known: Vec<&str> = self.structs[id.0 as usize].fields.iter().map(|(n, _)| n.as_str()).collect();
            d = match suggest::closest(&name.name, known.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.note(format!("the fields are: {}", known.join(", "))),
            };
        } else if self.function_takes(cx.module, &name.name, &b.ty) {
            d = d.help(format!("`{0}` takes arguments or commands hardware; call it: `.{0}()`", name.name));
        } else {
            let properties = self.property_names(cx.module, &b.ty);
            if let Some(s) = suggest::closest(&name.name, properties.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            } else if !properties.is_empty() {
                d = d.note(format!("{} has: {}", b.ty, properties.join(", ")));
            }
        }
        self.emit(d);
        error_expr(span)
    }
}
