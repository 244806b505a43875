//! Lowering whole functions, tests and constants: the per-function context (locals and scopes),
//! `requires`/`ensures`/`limits` around the body, and the missing-return check.

use super::display::DisplayUnit;
use super::expr::error_expr;
use super::{Checker, ConstIdx, ConstState, FnIdx, ModId};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::{self, FnKind};
use crate::tir::{self, ExprKind, LimitKind, LocalId, Stmt};
use crate::types::{Dim, FAULT_KINDS, Ty};

/// The ordinal of a fault kind by name (the names are fixed in `types::FAULT_KINDS`).
pub(super) fn fault_kind(name: &str) -> u32 {
    FAULT_KINDS.iter().position(|k| *k == name).unwrap_or(FAULT_KINDS.len() - 1) as u32
}

/// What the checker knows inside one function body.
pub(crate) struct FnCx {
    pub module: ModId,
    pub kind: FnKind,
    /// The function's name as written, for messages.
    pub name: String,
    pub ret: Ty,
    pub locals: Vec<tir::Local>,
    pub mutable: Vec<bool>,
    scopes: Vec<Vec<(String, LocalId)>>,
    /// Locals written by the user (not parameters or temporaries) with where they are declared,
    /// for the unused-variable warning.
    tracked: Vec<(LocalId, Span)>,
    used: Vec<bool>,
    /// Where each local is declared, for go-to-definition (`None` for temporaries).
    pub spans: Vec<Option<Span>>,
    /// The unit each local prints in by interpolation, when its declaration makes it obvious.
    displays: Vec<Option<DisplayUnit>>,
    /// Statements a `match` hoists in front of the statement being lowered.
    hoisted: Vec<Stmt>,
    /// Whether a statement is being lowered, so hoisted statements have a place to go.
    pub in_stmt: bool,
    /// While positive, hoisting would change what runs (`while` conditions, `and`/`or`).
    pub no_hoist: u32,
    /// The lowered `ensures` condition and its failure message, checked before every return.
    pub ensures: Option<(tir::Expr, String)>,
}

impl FnCx {
    /// A context without locals: function bodies start here; defaults and constants use it as is.
    pub fn detached(module: ModId, kind: FnKind, name: &str) -> FnCx {
        FnCx {
            module,
            kind,
            name: name.to_string(),
            ret: Ty::Unit,
            locals: Vec::new(),
            mutable: Vec::new(),
            scopes: vec![Vec::new()],
            tracked: Vec::new(),
            used: Vec::new(),
            spans: Vec::new(),
            displays: Vec::new(),
            hoisted: Vec::new(),
            in_stmt: false,
            no_hoist: 0,
            ensures: None,
        }
    }

    pub fn lookup(&self, name: &str) -> Option<LocalId> {
        self.scopes.iter().rev().flat_map(|s| s.iter().rev()).find(|(n, _)| n == name).map(|(_, id)| *id)
    }

    pub fn visible_locals(&self) -> Vec<String> {
        self.scopes.iter().flatten().map(|(n, _)| n.clone()).collect()
    }

    pub fn declare(&mut self, name: &str, ty: Ty, mutable: bool) -> LocalId {
        let id = LocalId(self.locals.len() as u32);
        self.locals.push(tir::Local { name: name.to_string(), ty });
        self.mutable.push(mutable);
        self.used.push(false);
        self.spans.push(None);
        self.displays.push(None);
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name.to_string(), id));
        }
        id
    }

    /// Warn if this user-declared local is never read.
    pub fn track(&mut self, id: LocalId, span: Span) {
        self.tracked.push((id, span));
        self.set_span(id, span);
    }

    /// Where a local is declared.
    pub fn set_span(&mut self, id: LocalId, span: Span) {
        if let Some(s) = self.spans.get_mut(id.0 as usize) {
            *s = Some(span);
        }
    }

    /// The unit a local prints in.
    pub fn set_display(&mut self, id: LocalId, display: Option<DisplayUnit>) {
        if let Some(d) = self.displays.get_mut(id.0 as usize) {
            *d = display;
        }
    }

    pub fn display(&self, id: LocalId) -> Option<DisplayUnit> {
        self.displays.get(id.0 as usize).cloned().flatten()
    }

    /// Record that a local is read.
    pub fn mark_used(&mut self, id: LocalId) {
        if let Some(u) = self.used.get_mut(id.0 as usize) {
            *u = true;
        }
    }

    /// W0001 for every tracked local that is never read; `_x` opts out.
    pub fn unused_warnings(&self) -> Vec<Diagnostic> {
        self.tracked
            .iter()
            .filter(|(id, _)| !self.used.get(id.0 as usize).copied().unwrap_or(true))
            .filter_map(|(id, span)| {
                let name = &self.locals.get(id.0 as usize)?.name;
                (!name.starts_with('_')).then(|| {
                    Diagnostic::warning("W0001", format!("unused variable `{name}`"))
                        .at(*span, "never read")
                        .help(format!("remove it, or name it `_{name}`"))
                })
            })
            .collect()
    }

    pub fn can_hoist(&self) -> bool {
        self.in_stmt && self.no_hoist == 0
    }

    /// Put a statement before the statement being lowered.
    pub fn hoist(&mut self, s: Stmt) {
        self.hoisted.push(s);
    }

    /// Start collecting hoisted statements afresh; returns what was collected so far.
    pub fn take_hoisted(&mut self) -> Vec<Stmt> {
        std::mem::take(&mut self.hoisted)
    }

    /// Go back to the earlier collection; returns what was hoisted since `take_hoisted`.
    pub fn restore_hoisted(&mut self, saved: Vec<Stmt>) -> Vec<Stmt> {
        std::mem::replace(&mut self.hoisted, saved)
    }

    pub fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
    }

    pub fn pop_scope(&mut self) {
        if self.scopes.len() > 1 {
            self.scopes.pop();
        }
    }
}

/// `if not cond { fail kind message }`.
pub(super) fn ensure_stmt(ck: &mut Checker<'_>, cond: tir::Expr, message: &str) -> Stmt {
    let span = cond.span;
    let msg = ck.string(message);
    let not = tir::Expr { kind: ExprKind::Unary(tir::UnOp::Not, Box::new(cond)), ty: Ty::Bool, span };
    let message = tir::Expr { kind: ExprKind::Str(msg), ty: Ty::Str, span };
    Stmt::If { cond: not, then: vec![Stmt::Fail { kind: fault_kind("Ensure"), message }], otherwise: Vec::new() }
}

impl Checker<'_> {
    pub(super) fn lower_fn(&mut self, f: FnIdx) {
        let decl = self.fn_decl(f);
        let (m, kind, ret, span) = (decl.module, decl.kind, decl.ret.clone(), decl.name_span);
        let name = decl.name.clone();
        let params = decl.params.clone();
        let Some(id) = decl.func else { return };
        let item_span = self.module(m).ast.items[decl.item].span;
        let ast::ItemKind::Fn(item) = self.module(m).ast.items[decl.item].kind.clone() else { return };
        let mut cx = FnCx::detached(m, kind, &name);
        cx.ret = ret.clone();
        for p in &params {
            let id = cx.declare(&p.name, p.ty.clone(), false);
            cx.set_span(id, p.span);
            cx.set_display(id, p.display.clone());
        }
        let mut body = Vec::new();
        if let Some(req) = &item.requires {
            let cond = self.lower_expr(&mut cx, req, Some(&Ty::Bool));
            let message = format!("requires `{}` failed", self.text(req.span));
            body.push(ensure_stmt(self, cond, &message));
        }
        if let Some(ens) = &item.ensures {
            let cond = self.lower_expr(&mut cx, ens, Some(&Ty::Bool));
            cx.ensures = Some((cond, format!("ensures `{}` failed", self.text(ens.span))));
        }
        let mut inner = match &item.body {
            Some(b) => {
                self.check_unreachable(m, b);
                self.lower_body(&mut cx, b)
            }
            None => Vec::new(),
        };
        if !block_returns(&inner) {
            if ret != Ty::Unit && ret != Ty::Error && item.body.is_some() {
                let d = Diagnostic::error("E0403", format!("`{name}` may end without returning a {ret}"))
                    .at(span, format!("returns {ret}"))
                    .help("end every path with `return <value>`, or `fail \"...\"`");
                self.emit(d);
            }
            if let Some((cond, message)) = cx.ensures.clone() {
                inner.push(ensure_stmt(self, cond, &message));
            }
        }
        let clauses = self.lower_limits(&mut cx, &item.limits);
        if !clauses.is_empty() {
            inner = vec![Stmt::Limits { clauses, body: inner }];
        }
        body.extend(inner);
        if self.warns_in(m) {
            for w in cx.unused_warnings() {
                self.emit(w);
            }
        }
        let qualified = format!("{}{}", self.module(m).prefix(), name);
        let function = tir::Function {
            name: qualified,
            kind,
            exported: m == self.main,
            params: params
                .iter()
                .map(|p| tir::Param { name: p.name.clone(), ty: p.ty.clone(), unit: p.unit.clone() })
                .collect(),
            ret,
            locals: cx.locals,
            body,
            effects: Vec::new(),
            span: item_span,
        };
        self.functions[id.0 as usize] = Some(function);
    }

    /// A function body. LANGUAGE.md's own example ends `grip_for` with a bare struct literal,
    /// so a final expression statement of the result type is the function's result.
    fn lower_body(&mut self, cx: &mut FnCx, body: &ast::Block) -> tir::Block {
        let tail = match body.stmts.last() {
            Some(ast::Stmt { kind: ast::StmtKind::Expr(e), .. }) if cx.ret != Ty::Unit => Some(e),
            _ => None,
        };
        let Some(tail) = tail else { return self.lower_block(cx, body) };
        let head = ast::Block { stmts: body.stmts[..body.stmts.len() - 1].to_vec(), span: body.span };
        cx.push_scope();
        let mut out = self.lower_block_in_scope(cx, &head);
        let (saved, was_in_stmt) = (cx.take_hoisted(), cx.in_stmt);
        cx.in_stmt = true;
        let value = self.lower_expr(cx, tail, None);
        cx.in_stmt = was_in_stmt;
        out.extend(cx.restore_hoisted(saved));
        if value.ty == Ty::Unit {
            out.push(tir::Stmt::Expr(value));
        } else {
            let ret = cx.ret.clone();
            let value = self.coerce(value, &ret, tail);
            self.finish_return(cx, Some(value), &mut out);
        }
        cx.pop_scope();
        out
    }

    fn lower_limits(&mut self, cx: &mut FnCx, limits: &[ast::LimitClause]) -> Vec<(LimitKind, tir::Expr)> {
        let mut out = Vec::new();
        for clause in limits {
            let (kind, dim) = match clause.name.name.as_str() {
                "speed" => (LimitKind::Speed, Dim { length: 1, time: -1, ..Dim::NONE }),
                "force" => (LimitKind::Force, Dim { length: 1, mass: 1, time: -2, angle: 0 }),
                "acceleration" => (LimitKind::Acceleration, Dim { length: 1, time: -2, ..Dim::NONE }),
                other => {
                    let d = Diagnostic::error("E0404", format!("no limit `{other}`"))
                        .at(clause.name.span, "unknown limit")
                        .help("limits bound `speed`, `force` and `acceleration`");
                    self.emit(d);
                    self.lower_expr(cx, &clause.value, None);
                    continue;
                }
            };
            let value = self.lower_expr(cx, &clause.value, Some(&Ty::Quantity(dim)));
            out.push((kind, value));
        }
        out
    }

    /// Every test becomes a synthesized zero-parameter skill.
    pub(super) fn lower_tests(&mut self) {
        let main = self.main;
        let tests: Vec<ast::TestItem> = self
            .module(main)
            .ast
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ast::ItemKind::Test(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let mut seen: Vec<String> = Vec::new();
        for t in tests {
            if seen.contains(&t.name) {
                let d = Diagnostic::error("E0106", format!("test \"{}\" is defined more than once", t.name))
                    .at(t.name_span, "defined again here")
                    .help("give every test its own name");
                self.emit(d);
            }
            seen.push(t.name.clone());
            let id = tir::FuncId(self.functions.len() as u32);
            self.functions.push(None);
            let mut cx = FnCx::detached(main, FnKind::Skill, &format!("test \"{}\"", t.name));
            let runs = t.runs.as_ref().and_then(|r| self.test_runs(&mut cx, r));
            let expect_success = t.expect.as_ref().and_then(|e| self.test_expect(&mut cx, e));
            self.check_unreachable(main, &t.body);
            let body = self.lower_block(&mut cx, &t.body);
            for w in cx.unused_warnings() {
                self.emit(w);
            }
            self.functions[id.0 as usize] = Some(tir::Function {
                name: format!("test::{}", t.name),
                kind: FnKind::Skill,
                exported: false,
                params: Vec::new(),
                ret: Ty::Unit,
                locals: cx.locals,
                body,
                effects: Vec::new(),
                span: t.name_span,
            });
            self.tests.push(tir::TestDef { name: t.name.clone(), func: id, runs, expect_success });
        }
    }

    fn test_runs(&mut self, cx: &mut FnCx, e: &ast::Expr) -> Option<u64> {
        let v = self.lower_expr(cx, e, None);
        match v.kind {
            ExprKind::Int(n) if n > 0 && v.ty == Ty::Int => Some(n as u64),
            _ if v.ty == Ty::Error => None,
            _ => {
                let d = Diagnostic::error("E0407", "`runs` needs a positive Int literal")
                    .at(e.span, "not a positive Int")
                    .help("write the number of episodes: `runs 1000`");
                self.emit(d);
                None
            }
        }
    }

    fn test_expect(&mut self, cx: &mut FnCx, e: &ast::Expr) -> Option<f64> {
        let v = self.lower_expr(cx, e, None);
        match v.kind {
            ExprKind::Real(p) if v.ty == Ty::Real && (0.0..=1.0).contains(&p) => Some(p),
            _ if v.ty == Ty::Error => None,
            _ => {
                let d = Diagnostic::error("E0407", "`expect success >=` needs a percentage between 0% and 100%")
                    .at(e.span, "not a percentage")
                    .help("write it with `%`: `expect success >= 99.5%`");
                self.emit(d);
                None
            }
        }
    }

    /// Constants of the main module are checked even when unused.
    pub(super) fn check_main_consts(&mut self) {
        for c in 0..self.consts.len() {
            if self.consts[c].module == self.main && matches!(self.consts[c].state, ConstState::Unchecked) {
                self.check_const(ConstIdx(c as u32));
            }
        }
    }

    /// Lower a constant's value once, in its own module; uses inline a copy.
    pub(super) fn check_const(&mut self, c: ConstIdx) -> tir::Expr {
        let decl = &mut self.consts[c.0 as usize];
        decl.state = ConstState::InProgress;
        let (m, ty, value, name) = (decl.module, decl.ty.clone(), decl.value.clone(), decl.name.clone());
        let declared = ty.map(|t| self.resolve_type(m, &t));
        let mut cx = FnCx::detached(m, FnKind::Fn, &name);
        let e = self.lower_expr(&mut cx, &value, declared.as_ref());
        let e = if cx.locals.is_empty() { e } else { error_expr(e.span) };
        let declared = self.module(m).ast.items.iter().find_map(|i| match &i.kind {
            ast::ItemKind::Const(k) if k.name.span == self.consts[c.0 as usize].name_span => k.ty.clone(),
            _ => None,
        });
        self.consts[c.0 as usize].display = self.binding_display(declared.as_ref(), &value);
        self.consts[c.0 as usize].state = ConstState::Done(e.clone());
        e
    }

    /// Defaults are lowered at every call site without diagnostics; here they are checked once.
    pub(super) fn check_defaults(&mut self) {
        for f in 0..self.fns.len() {
            let (m, params, name) = {
                let d = &self.fns[f];
                (d.module, d.params.clone(), d.name.clone())
            };
            for p in params {
                if let Some(default) = &p.default {
                    let mut cx = FnCx::detached(m, FnKind::Skill, &name);
                    self.lower_expr(&mut cx, default, Some(&p.ty));
                }
            }
        }
    }
}

/// Whether control cannot fall off the end of a block: every path returns or fails.
pub(super) fn block_returns(block: &[Stmt]) -> bool {
    block.iter().any(|s| match s {
        Stmt::Return(_) | Stmt::Fail { .. } | Stmt::Reraise(_) => true,
        Stmt::If { then, otherwise, .. } => block_returns(then) && block_returns(otherwise),
        Stmt::Try { body, recover, .. } => block_returns(body) && block_returns(recover),
        Stmt::Retry { body, .. } | Stmt::Within { body, .. } | Stmt::Limits { body, .. } => block_returns(body),
        _ => false,
    })
}
