//! Calls: resolving the callee (by name, through a module alias, or by uniform call syntax),
//! picking an overload by the first argument's type, binding positional, named and default
//! arguments, the purity rule, and properties (`part.size` is `size(part)`).

use super::expr::{error_expr, mk, same_type};
use super::func::FnCx;
use super::{Checker, FnIdx, Sym, builtins, suggest};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::{self, FnKind};
use crate::tir::{self, ExprKind};
use crate::types::Ty;

/// A first argument that was lowered before the callee was chosen: a method call's receiver, or
/// the first positional argument when overloads must be told apart.
pub(super) struct First<'a> {
    pub value: tir::Expr,
    pub source: &'a ast::Expr,
    /// Whether it came from `args` (and must be skipped when binding them).
    pub from_args: bool,
}

impl Checker<'_> {
    /// The functions a name stands for in a module.
    pub(super) fn fns_named(&self, m: super::ModId, name: &str) -> Vec<FnIdx> {
        self.lookup(m, name)
            .into_iter()
            .filter_map(|s| match s {
                Sym::Fn(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    /// Whether some function of that name takes a value of `ty` first (for help texts).
    pub(super) fn function_takes(&self, m: super::ModId, name: &str, ty: &Ty) -> bool {
        self.fns_named(m, name).iter().any(|f| self.fn_decl(*f).params.first().is_some_and(|p| same_type(&p.ty, ty)))
    }

    /// The properties a type has: one-parameter extern fns that take it (`size`, `pose` of a Part).
    pub(super) fn property_names(&self, m: super::ModId, ty: &Ty) -> Vec<String> {
        self.visible_names(m)
            .into_iter()
            .filter(|n| {
                self.fns_named(m, n).iter().any(|f| {
                    let d = self.fn_decl(*f);
                    d.is_extern && d.kind == FnKind::Fn && d.params.len() == 1 && d.params[0].ty == *ty
                })
            })
            .collect()
    }

    pub(super) fn lower_call(&mut self, cx: &mut FnCx, callee: &ast::Expr, args: &[ast::Arg], span: Span) -> tir::Expr {
        let (name, candidates) = match &callee.kind {
            ast::ExprKind::Name(id) => (id.clone(), self.fns_named(cx.module, &id.name)),
            ast::ExprKind::Path(segments) => {
                if let [enum_name, variant] = segments.as_slice()
                    && let Some(id) = self.enum_named(cx.module, &enum_name.name)
                {
                    return self.lower_variant(cx, id, variant, Some(args), span);
                }
                let mut private = None;
                let resolved = match segments.as_slice() {
                    [alias, item] => self.module(cx.module).aliases.get(&alias.name).copied().map(|target| {
                        let fns: Vec<FnIdx> = self
                            .module(target)
                            .items
                            .get(&item.name)
                            .into_iter()
                            .flatten()
                            .filter_map(|s| match s {
                                Sym::Fn(f) if self.fn_decl(*f).public => Some(*f),
                                _ => None,
                            })
                            .collect();
                        if fns.is_empty() && self.module(target).items.contains_key(&item.name) {
                            private = Some(target);
                        }
                        (item.clone(), fns)
                    }),
                    _ => None,
                };
                if let (Some(target), Some(item)) = (private, segments.last()) {
                    self.lower_args_for_errors(cx, args);
                    self.private_item(target, &item.name, item.span);
                    return error_expr(span);
                }
                match resolved {
                    Some(r) => r,
                    None => {
                        self.lower_args_for_errors(cx, args);
                        let text = segments.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("::");
                        let d = Diagnostic::error("E0107", format!("unknown path `{text}`"))
                            .at(callee.span, "not a function")
                            .help("call a function of a module brought in by `use std::motion` as `motion::pick(...)`");
                        self.emit(d);
                        return error_expr(span);
                    }
                }
            }
            _ => {
                self.lower_expr(cx, callee, None);
                self.lower_args_for_errors(cx, args);
                let d = Diagnostic::error("E0306", "this is not a function")
                    .at(callee.span, "not callable")
                    .help("call a function by its name: `f(x)` or `x.f()`");
                self.emit(d);
                return error_expr(span);
            }
        };
        if candidates.is_empty() {
            if builtins::is_builtin(&name.name) {
                return self.lower_builtin(cx, &name, None, args, span);
            }
            self.lower_args_for_errors(cx, args);
            if !self.module(cx.module).failed_import(&name.name) {
                self.unknown_function(cx, &name, None);
            }
            return error_expr(span);
        }
        self.call_candidates(cx, &name, candidates, None, args, span)
    }

    pub(super) fn lower_method_call(
        &mut self,
        cx: &mut FnCx,
        receiver: &ast::Expr,
        method: &ast::Ident,
        args: &[ast::Arg],
        span: Span,
    ) -> tir::Expr {
        let r = self.lower_expr(cx, receiver, None);
        if let Ty::Struct(id, sname) = &r.ty
            && self.variants(*id).is_none()
            && self.structs[id.0 as usize].fields.iter().any(|(n, _)| *n == method.name)
        {
            let d = Diagnostic::error("E0306", format!("field `{}` of `{sname}` is not a function", method.name))
                .at(method.span, "a field")
                .help(format!("read the field without parentheses: `.{}`", method.name));
            self.emit(d);
            return error_expr(span);
        }
        let candidates = self.fns_named(cx.module, &method.name);
        let first = First { value: r, source: receiver, from_args: false };
        if candidates.is_empty() {
            if builtins::is_builtin(&method.name) {
                return self.lower_builtin(cx, method, Some(first), args, span);
            }
            self.lower_args_for_errors(cx, args);
            let ty = first.value.ty.clone();
            if ty != Ty::Error && !self.module(cx.module).failed_import(&method.name) {
                self.unknown_function(cx, method, Some(&ty));
            }
            return error_expr(span);
        }
        self.call_candidates(cx, method, candidates, Some(first), args, span)
    }

    /// Lower arguments only for their own diagnostics, when the call itself cannot be resolved.
    pub(super) fn lower_args_for_errors(&mut self, cx: &mut FnCx, args: &[ast::Arg]) {
        for a in args {
            self.lower_expr(cx, &a.value, None);
        }
    }

    fn unknown_function(&mut self, cx: &FnCx, name: &ast::Ident, receiver: Option<&Ty>) {
        let message = match receiver {
            Some(ty) => format!("no field or function `{}` for {ty}", name.name),
            None => format!("unknown function `{}`", name.name),
        };
        let mut d = Diagnostic::error("E0103", message).at(name.span, "not found");
        let mut names: Vec<String> = self
            .visible_names(cx.module)
            .into_iter()
            .filter(|n| self.lookup(cx.module, n).iter().any(|s| matches!(s, Sym::Fn(_))))
            .collect();
        names.extend(builtins::BUILTINS.iter().map(|s| s.to_string()));
        // With a receiver, the functions that take its type are the likely meant ones, so a
        // looser match is still a good guess (`arm.move_lin` → `move_linear`).
        let methods: Vec<String> = match receiver {
            Some(ty) => names.iter().filter(|n| self.function_takes(cx.module, n, ty)).cloned().collect(),
            None => Vec::new(),
        };
        if let Some(module) = self.module_exporting(&name.name) {
            d = d.help(format!("add `use {module}::{{{}}}` at the top of the file", name.name));
        } else if let Some(s) = suggest::closest(&name.name, names.iter().map(String::as_str))
            .or_else(|| suggest::closest_loose(&name.name, methods.iter().map(String::as_str)))
        {
            d = d.help(format!("did you mean `{s}`?"));
        } else if let (Some(ty), false) = (receiver, methods.is_empty()) {
            d = d.note(format!("{ty} has: {}", methods.join(", ")));
        }
        self.emit(d);
    }

    fn call_candidates<'a>(
        &mut self,
        cx: &mut FnCx,
        name: &ast::Ident,
        candidates: Vec<FnIdx>,
        mut first: Option<First<'a>>,
        args: &'a [ast::Arg],
        span: Span,
    ) -> tir::Expr {
        let chosen = if let [only] = candidates.as_slice() {
            *only
        } else {
            if first.is_none()
                && let Some(arg) = args.iter().find(|a| a.name.is_none())
            {
                let value = self.lower_expr(cx, &arg.value, None);
                first = Some(First { value, source: &arg.value, from_args: true });
            }
            let first_ty = first.as_ref().map(|f| f.value.ty.clone());
            if first_ty == Some(Ty::Error) {
                self.lower_args_for_errors(cx, args);
                return error_expr(span);
            }
            let pick = candidates.iter().copied().find(|f| {
                let p0 = self.fn_decl(*f).params.first().map(|p| &p.ty);
                match (&first_ty, p0) {
                    (Some(t), Some(p)) => same_type(p, t) || (*p == Ty::Real && *t == Ty::Int),
                    _ => false,
                }
            });
            match pick {
                Some(f) => f,
                None => {
                    let sigs: Vec<String> = candidates.iter().map(|f| self.fn_decl(*f).signature()).collect();
                    let given = first_ty.map_or("no arguments".to_string(), |t| format!("a {t}"));
                    let d = Diagnostic::error("E0304", format!("no `{}` takes {given} first", name.name))
                        .at(first.as_ref().map_or(name.span, |f| f.source.span), "no overload for this")
                        .help(format!("the overloads are: {}", sigs.join("; ")));
                    self.emit(d);
                    return error_expr(span);
                }
            }
        };
        self.call_function(cx, name, chosen, first, args, span)
    }

    fn call_function(
        &mut self,
        cx: &mut FnCx,
        name: &ast::Ident,
        f: FnIdx,
        first: Option<First<'_>>,
        args: &[ast::Arg],
        span: Span,
    ) -> tir::Expr {
        self.reference_fn(name.span, f);
        let decl = self.fn_decl(f);
        let params = decl.params.clone();
        let (kind, is_extern, ret) = (decl.kind, decl.is_extern, decl.ret.clone());
        let sig = self.full_signature(f);
        let mut ok = true;
        if kind == FnKind::Skill && cx.kind == FnKind::Fn {
            self.fn_calls_skill(cx, name, is_extern, &ret);
            ok = false;
        }
        let mut slots: Vec<Option<tir::Expr>> = vec![None; params.len()];
        let mut next = 0;
        let mut skip_first_positional = false;
        let first_given = first.is_some();
        if let Some(first) = first {
            skip_first_positional = first.from_args;
            match params.first() {
                Some(p) => {
                    slots[0] = Some(self.coerce(first.value, &p.ty, first.source));
                    next = 1;
                }
                None => {
                    self.too_many(name, &sig, first.source.span, params.len());
                    ok = false;
                }
            }
        }
        let bare_angles = if first_given { Vec::new() } else { self.bare_angle_args(name, &params, args) };
        ok &= bare_angles.is_empty();
        for (arg_index, arg) in args.iter().enumerate() {
            if skip_first_positional && arg.name.is_none() {
                skip_first_positional = false;
                continue;
            }
            let index = match &arg.name {
                Some(n) => match params.iter().position(|p| p.name == n.name) {
                    Some(i) => i,
                    None => {
                        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                        let mut d =
                            Diagnostic::error("E0302", format!("`{}` has no parameter `{}`", name.name, n.name))
                                .at(n.span, "unknown parameter");
                        if let Some(s) = suggest::closest(&n.name, names.iter().copied()) {
                            d = d.help(format!("did you mean `{s}`?"));
                        }
                        self.emit(d.note(format!("the parameters are: {sig}")));
                        self.lower_expr(cx, &arg.value, None);
                        ok = false;
                        continue;
                    }
                },
                None => {
                    if next >= params.len() {
                        self.too_many(name, &sig, arg.value.span, params.len());
                        self.lower_expr(cx, &arg.value, None);
                        ok = false;
                        continue;
                    }
                    next += 1;
                    next - 1
                }
            };
            // Already reported together with the call's other bare angles.
            let quiet = bare_angles.contains(&arg_index);
            self.quiet += u32::from(quiet);
            let value = self.lower_expr(cx, &arg.value, Some(&params[index].ty));
            self.quiet -= u32::from(quiet);
            if slots[index].is_some() {
                let d = Diagnostic::error("E0303", format!("argument `{}` is given twice", params[index].name))
                    .at(arg.value.span, "given again here");
                self.emit(d);
                ok = false;
            }
            slots[index] = Some(value);
        }
        let mut missing = Vec::new();
        for (i, p) in params.iter().enumerate() {
            if slots[i].is_some() {
                continue;
            }
            match &p.default {
                Some(default) => slots[i] = Some(self.lower_default(f, default, &p.ty)),
                None => missing.push(p.name.clone()),
            }
        }
        if !missing.is_empty() {
            let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            let plural = if missing.len() == 1 { "" } else { "s" };
            let wanted: Vec<String> = params
                .iter()
                .filter(|p| missing.contains(&p.name))
                .map(|p| format!("{} = <{}>", p.name, p.ty))
                .collect();
            let d = Diagnostic::error("E0301", format!("missing argument{plural} {list} in call to `{}`", name.name))
                .at(span, format!("missing {list}"))
                .help(format!("pass {}, by position or by name: `{}`", list, wanted.join(", ")))
                .note(format!("the parameters are: {sig}"));
            self.emit(d);
            ok = false;
        }
        if !ok {
            return error_expr(span);
        }
        let args: Vec<tir::Expr> = slots.into_iter().flatten().collect();
        let kind = if is_extern {
            ExprKind::Native { native: self.native_id(f), args }
        } else {
            ExprKind::Call { func: self.func_id(f), args }
        };
        mk(kind, ret, span)
    }

    /// `fasten(driver: ScrewDriver, screw: Part, torque: Torque, angle: Angle = 720 deg)`: the
    /// signature with defaults as written, for notes that list the parameters.
    pub(super) fn full_signature(&self, f: FnIdx) -> String {
        let decl = self.fn_decl(f);
        let params: Vec<String> = decl
            .params
            .iter()
            .map(|p| match &p.default {
                Some(d) => format!("{}: {} = {}", p.name, p.ty, self.text(d.span)),
                None => format!("{}: {}", p.name, p.ty),
            })
            .collect();
        format!("{}({})", decl.name, params.join(", "))
    }

    /// E0305: a `fn` calls a skill or a primitive.
    fn fn_calls_skill(&mut self, cx: &FnCx, name: &ast::Ident, is_extern: bool, ret: &Ty) {
        let what = if is_extern { "a primitive: it talks to the hardware" } else { "a skill: it may command hardware" };
        let is_const = self.consts.iter().any(|c| c.module == cx.module && c.name == cx.name)
            && self.fns_named(cx.module, &cx.name).is_empty();
        if is_const {
            let d = Diagnostic::error("E0305", format!("constant `{}` cannot call skill `{}`", cx.name, name.name))
                .at(name.span, what)
                .help(format!("a constant is computed without hardware; call `{}` in a skill instead", name.name));
            return self.emit(d);
        }
        let mut help = format!("make `{0}` a skill, `skill {0}(...)`", cx.name);
        if *ret != Ty::Unit {
            help.push_str(&format!(
                ", or call `{}` in the skill that calls `{}` and pass the {ret} in as a parameter",
                name.name, cx.name
            ));
        }
        let d = Diagnostic::error("E0305", format!("fn `{}` cannot call skill `{}`", cx.name, name.name))
            .at(name.span, what)
            .help(help)
            .note("a fn is pure: it never touches hardware, so it can run anywhere, even at compile time");
        self.emit(d);
    }

    fn too_many(&mut self, name: &ast::Ident, sig: &str, at: Span, count: usize) {
        let plural = if count == 1 { "" } else { "s" };
        let d = Diagnostic::error("E0300", format!("`{}` takes {count} argument{plural}", name.name))
            .at(at, "one argument too many")
            .note(format!("the parameters are: {sig}"));
        self.emit(d);
    }

    /// A parameter's default, lowered at the call site in the callee's module. Its mistakes were
    /// reported where it is declared, so they are not repeated here.
    fn lower_default(&mut self, f: FnIdx, default: &ast::Expr, ty: &Ty) -> tir::Expr {
        let module = self.fn_decl(f).module;
        let mut dcx = FnCx::detached(module, FnKind::Skill, "default");
        self.quiet += 1;
        let e = self.lower_expr(&mut dcx, default, Some(ty));
        self.quiet -= 1;
        e
    }

    /// `x.f` where `x`'s type has no field `f`: `f(x)` when `f` is an extern fn with one
    /// parameter of `x`'s type (`part.size`, `gripper.arm`, `v.x`).
    pub(super) fn property_call(
        &mut self,
        cx: &FnCx,
        base: tir::Expr,
        name: &ast::Ident,
        span: Span,
    ) -> Option<tir::Expr> {
        let f = self.fns_named(cx.module, &name.name).into_iter().find(|f| {
            let d = self.fn_decl(*f);
            d.is_extern && d.kind == FnKind::Fn && d.params.len() == 1 && same_type(&d.params[0].ty, &base.ty)
        })?;
        self.reference_fn(name.span, f);
        let ret = self.fn_decl(f).ret.clone();
        let native = self.native_id(f);
        Some(mk(ExprKind::Native { native, args: vec![base] }, ret, span))
    }
}
