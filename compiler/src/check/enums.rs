//! Enums and `match`, lowered onto records: an enum value is a record whose first field is the
//! variant's tag and which has one field per payload value of every variant (unused ones hold a
//! zero). A `match` is an expression, and the IR has no conditional expression, so it is hoisted:
//! the statements that compute it go before the statement that contains it, and the expression
//! becomes a local. Where hoisting would change what runs (a `while` condition, the right side of
//! `and`/`or`, `requires`/`ensures`), a `match` is not supported yet.

use super::expr::{error_expr, mk};
use super::func::FnCx;
use super::{Checker, Sym, suggest};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast;
use crate::tir::{self, BinOp, Cmp, ExprKind, Stmt};
use crate::types::{Repr, StructId, Ty};

/// One variant: its name, its payload types and the record field of its first payload value.
#[derive(Clone, Debug)]
pub(crate) struct VariantInfo {
    pub name: String,
    pub payload: Vec<Ty>,
    pub first_field: u32,
}

/// A zero of a type's representation, for the payload fields of the other variants.
fn zero(ty: &Ty, span: Span) -> tir::Expr {
    match ty.repr() {
        Repr::F64 => mk(ExprKind::Real(0.0), ty.clone(), span),
        _ => mk(ExprKind::Int(0), ty.clone(), span),
    }
}

impl Checker<'_> {
    pub(super) fn variants(&self, id: StructId) -> Option<&Vec<VariantInfo>> {
        self.structs.get(id.0 as usize).and_then(|s| s.variants.as_ref())
    }

    pub(super) fn resolve_enum(&mut self, s: usize) {
        let m = self.structs[s].module;
        let name = self.structs[s].name.clone();
        let Some(item) = self.module(m).ast.items.iter().find_map(|i| match &i.kind {
            ast::ItemKind::Enum(e) if e.name.name == name => Some(e.clone()),
            _ => None,
        }) else {
            return;
        };
        let mut fields = vec![("tag".to_string(), Ty::Int)];
        let mut variants: Vec<VariantInfo> = Vec::new();
        for v in &item.variants {
            if variants.iter().any(|x| x.name == v.name.name) {
                let d = Diagnostic::error("E0106", format!("variant `{}` is declared twice", v.name.name))
                    .at(v.name.span, "declared again here");
                self.emit(d);
                continue;
            }
            let payload: Vec<Ty> = v.fields.iter().map(|t| self.resolve_type(m, t)).collect();
            let first_field = fields.len() as u32;
            for (i, t) in payload.iter().enumerate() {
                fields.push((format!("{}.{i}", v.name.name), t.clone()));
            }
            variants.push(VariantInfo { name: v.name.name.clone(), payload, first_field });
        }
        self.structs[s].fields = fields;
        self.structs[s].variants = Some(variants);
    }

    /// The enum a path's first segment names, when it names one in scope.
    pub(super) fn enum_named(&self, m: super::ModId, name: &str) -> Option<StructId> {
        self.lookup(m, name).into_iter().find_map(|s| match s {
            Sym::Struct(id) if self.variants(id).is_some() => Some(id),
            _ => None,
        })
    }

    /// `Verdict::Pass` or `Verdict::Rework(2 mm)`: a record with the variant's tag.
    pub(super) fn lower_variant(
        &mut self,
        cx: &mut FnCx,
        id: StructId,
        variant: &ast::Ident,
        args: Option<&[ast::Arg]>,
        span: Span,
    ) -> tir::Expr {
        let enum_name = self.structs[id.0 as usize].name.clone();
        let variants = self.variants(id).cloned().unwrap_or_default();
        let Some((tag, info)) = variants.iter().enumerate().find(|(_, v)| v.name == variant.name) else {
            let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
            let mut d = Diagnostic::error("E0107", format!("`{enum_name}` has no variant `{}`", variant.name))
                .at(variant.span, "not a variant");
            if let Some(s) = suggest::closest(&variant.name, names.iter().copied()) {
                d = d.help(format!("did you mean `{enum_name}::{s}`?"));
            }
            self.emit(d.note(format!("the variants are: {}", names.join(", "))));
            if let Some(args) = args {
                self.lower_args_for_errors(cx, args);
            }
            return error_expr(span);
        };
        let args = args.unwrap_or(&[]);
        let mut values = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if let Some(n) = &a.name {
                let d = Diagnostic::error("E0302", format!("`{enum_name}::{}` takes no named arguments", info.name))
                    .at(n.span, "named argument");
                self.emit(d);
            }
            match info.payload.get(i) {
                Some(t) => values.push(self.lower_expr(cx, &a.value, Some(t))),
                None => {
                    self.lower_expr(cx, &a.value, None);
                    let d = Diagnostic::error(
                        "E0300",
                        format!("`{enum_name}::{}` holds {} value(s)", info.name, info.payload.len()),
                    )
                    .at(a.value.span, "one value too many");
                    self.emit(d);
                    return error_expr(span);
                }
            }
        }
        if values.len() < info.payload.len() {
            let types: Vec<String> = info.payload.iter().map(Ty::to_string).collect();
            let d = Diagnostic::error("E0301", format!("`{enum_name}::{}` needs its values", info.name))
                .at(span, format!("expected ({})", types.join(", ")))
                .help(format!("write `{enum_name}::{}({})`", info.name, types.join(", ")));
            self.emit(d);
            return error_expr(span);
        }
        let fields_decl = self.structs[id.0 as usize].fields.clone();
        let mut fields = vec![mk(ExprKind::Int(tag as i64), Ty::Int, span)];
        for (index, (_, fty)) in fields_decl.iter().enumerate().skip(1) {
            let own = (index as u32).checked_sub(info.first_field).map(|k| k as usize).filter(|k| *k < values.len());
            match own {
                Some(k) => fields.push(values[k].clone()),
                None => fields.push(zero(fty, span)),
            }
        }
        mk(ExprKind::Record { strukt: id, fields }, Ty::Struct(id, enum_name), span)
    }

    pub(super) fn lower_match(
        &mut self,
        cx: &mut FnCx,
        scrutinee: &ast::Expr,
        arms: &[ast::MatchArm],
        expected: Option<&Ty>,
        span: Span,
    ) -> tir::Expr {
        if !cx.can_hoist() {
            return self.unsupported(span, "`match` expressions here (a `while` condition, after `and`/`or`, in `requires`/`ensures`, a default or a constant)");
        }
        let value = self.lower_expr(cx, scrutinee, None);
        let (id, enum_name) = match &value.ty {
            Ty::Error => return error_expr(span),
            Ty::Struct(id, name) if self.variants(*id).is_some() => (*id, name.clone()),
            other => return self.unsupported(scrutinee.span, &format!("`match` over {other} values")),
        };
        let variants = self.variants(id).cloned().unwrap_or_default();
        let subject = cx.declare("match", value.ty.clone(), false);
        cx.hoist(Stmt::Let(subject, value));
        let subject_expr = mk(ExprKind::Local(subject), Ty::Struct(id, enum_name.clone()), scrutinee.span);
        let mut result_ty = expected.cloned();
        let mut result: Option<tir::LocalId> = None;
        // (tag or None for the catch-all, statements of the arm)
        let mut branches: Vec<(Option<usize>, Vec<Stmt>)> = Vec::new();
        let mut covered = vec![false; variants.len()];
        let mut catch_all = false;
        let mut ok = true;
        for arm in arms {
            cx.push_scope();
            let mut stmts = Vec::new();
            let tag = match &arm.pattern.kind {
                ast::PatternKind::Wildcard => None,
                ast::PatternKind::Binding(name) => {
                    let b = cx.declare(&name.name, subject_expr.ty.clone(), false);
                    cx.track(b, name.span);
                    stmts.push(Stmt::Let(b, subject_expr.clone()));
                    None
                }
                ast::PatternKind::None => {
                    cx.pop_scope();
                    self.unsupported(arm.pattern.span, "`none` patterns");
                    ok = false;
                    continue;
                }
                ast::PatternKind::Variant { path, bindings } => {
                    match self.variant_pattern(cx, id, &enum_name, &variants, path, bindings, &subject_expr, &mut stmts)
                    {
                        Some(t) => Some(t),
                        None => {
                            cx.pop_scope();
                            ok = false;
                            continue;
                        }
                    }
                }
            };
            if catch_all {
                let d = Diagnostic::warning("W0002", "unreachable match arm")
                    .at(arm.pattern.span, "an earlier arm matches everything")
                    .help("remove this arm or move it before the catch-all");
                self.emit(d);
            }
            match tag {
                Some(t) => covered[t] = true,
                None => catch_all = true,
            }
            let saved = cx.take_hoisted();
            let body = self.lower_expr(cx, &arm.body, result_ty.as_ref());
            let inner = cx.restore_hoisted(saved);
            stmts.extend(inner);
            if result_ty.is_none() && body.ty != Ty::Error {
                result_ty = Some(body.ty.clone());
            }
            let ty = result_ty.clone().unwrap_or(Ty::Error);
            let target = *result.get_or_insert_with(|| cx.declare("match_value", ty, false));
            stmts.push(Stmt::Assign(target, body));
            cx.pop_scope();
            branches.push((tag, stmts));
        }
        let missing: Vec<String> = variants
            .iter()
            .zip(&covered)
            .filter(|(_, c)| !**c)
            .map(|(v, _)| format!("{enum_name}::{}", v.name))
            .collect();
        if !catch_all && !missing.is_empty() && ok {
            let d = Diagnostic::error("E0409", format!("`match` does not cover {}", missing.join(", ")))
                .at(scrutinee.span, "not every variant is handled")
                .help("add an arm for each missing variant, or `_ => ...`");
            self.emit(d);
            return error_expr(span);
        }
        let (Some(result), true) = (result, ok) else { return error_expr(span) };
        let ty = result_ty.unwrap_or(Ty::Error);
        if ty == Ty::Unit {
            let d = Diagnostic::error("E0209", "this `match` has no value").at(span, "arms produce no value");
            self.emit(d.help("a `match` is an expression; use `if` for statements"));
            return error_expr(span);
        }
        // The last arm runs when no earlier one matched: every path assigns the result.
        let mut chain: Vec<Stmt> = Vec::new();
        for (tag, stmts) in branches.into_iter().rev() {
            chain = match (tag, chain.is_empty()) {
                (_, true) | (None, _) => stmts,
                (Some(t), false) => {
                    let read = ExprKind::Field { record: Box::new(subject_expr.clone()), index: 0 };
                    let cond = mk(
                        ExprKind::Binary(
                            BinOp::ICmp(Cmp::Eq),
                            Box::new(mk(read, Ty::Int, span)),
                            Box::new(mk(ExprKind::Int(t as i64), Ty::Int, span)),
                        ),
                        Ty::Bool,
                        span,
                    );
                    vec![Stmt::If { cond, then: stmts, otherwise: chain }]
                }
            };
        }
        for s in chain {
            cx.hoist(s);
        }
        mk(ExprKind::Local(result), ty, span)
    }

    /// `Verdict::Rework(d)`: the variant's tag, with `d` bound to its payload in `stmts`.
    #[expect(clippy::too_many_arguments, reason = "one call site; the pieces are all distinct")]
    fn variant_pattern(
        &mut self,
        cx: &mut FnCx,
        id: StructId,
        enum_name: &str,
        variants: &[VariantInfo],
        path: &[ast::Ident],
        bindings: &[ast::Ident],
        subject: &tir::Expr,
        stmts: &mut Vec<Stmt>,
    ) -> Option<usize> {
        let span = path.first().map_or(subject.span, |p| p.span);
        let (Some(first), Some(last)) = (path.first(), path.last()) else { return None };
        if path.len() != 2 || self.enum_named(cx.module, &first.name) != Some(id) {
            let d = Diagnostic::error("E0409", format!("this pattern does not match a `{enum_name}`"))
                .at(span, "not a variant of the matched enum")
                .help(format!("write `{enum_name}::Variant`"));
            self.emit(d);
            return None;
        }
        let Some(tag) = variants.iter().position(|v| v.name == last.name) else {
            let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
            let mut d = Diagnostic::error("E0107", format!("`{enum_name}` has no variant `{}`", last.name))
                .at(last.span, "not a variant");
            if let Some(s) = suggest::closest(&last.name, names.iter().copied()) {
                d = d.help(format!("did you mean `{enum_name}::{s}`?"));
            }
            self.emit(d);
            return None;
        };
        let info = &variants[tag];
        if bindings.len() != info.payload.len() {
            let d = Diagnostic::error(
                "E0409",
                format!(
                    "`{enum_name}::{}` holds {} value(s), the pattern binds {}",
                    info.name,
                    info.payload.len(),
                    bindings.len()
                ),
            )
            .at(span, "wrong number of bindings");
            self.emit(d);
            return None;
        }
        for (i, (b, ty)) in bindings.iter().zip(&info.payload).enumerate() {
            let local = cx.declare(&b.name, ty.clone(), false);
            cx.track(local, b.span);
            let read = ExprKind::Field { record: Box::new(subject.clone()), index: info.first_field + i as u32 };
            stmts.push(Stmt::Let(local, mk(read, ty.clone(), b.span)));
        }
        Some(tag)
    }
}
