//! Loading modules and collecting their items: parsing each reachable file once, registering its
//! names, resolving `use`, type expressions, function signatures, structs and the cell block.

use super::display::DisplayUnit;
use super::{
    CellInfo, Checker, ConstDecl, ConstIdx, ConstState, FnDecl, FnIdx, ModId, ModuleInfo, ParamSig, StructDecl, Sym,
    units,
};
use crate::diagnostic::Diagnostic;
use crate::span::FileId;
use crate::syntax::{self, ast};
use crate::types::{StructId, Ty};
use std::collections::HashMap;

impl Checker<'_> {
    /// Parse the main module, the prelude and every module reached through `use`, then resolve
    /// all signatures.
    pub(super) fn load_program(&mut self) {
        let mut loaded: HashMap<FileId, ModId> = HashMap::new();
        let main_file = self.world.main();
        self.main = self.load_module(main_file, Vec::new(), &mut loaded);
        if let Some(file) = self.world.module(&["std", "prelude"])
            && file != main_file
        {
            self.prelude = Some(self.load_module(file, vec!["std".into(), "prelude".into()], &mut loaded));
        }
        let mut next = 0;
        while next < self.modules.len() {
            self.resolve_uses(ModId(next as u32), &mut loaded);
            next += 1;
        }
        self.check_use_cycles();
        for s in 0..self.structs.len() {
            self.resolve_struct(s);
        }
        for f in 0..self.fns.len() {
            self.resolve_signature(FnIdx(f as u32));
        }
        self.check_overloads();
        self.collect_cell();
    }

    pub(super) fn load_module(
        &mut self,
        file: FileId,
        path: Vec<String>,
        loaded: &mut HashMap<FileId, ModId>,
    ) -> ModId {
        if let Some(id) = loaded.get(&file) {
            return *id;
        }
        let id = ModId(self.modules.len() as u32);
        loaded.insert(file, id);
        let (ast, parse_diags) = syntax::parse(file, self.world.source(file));
        self.diags.extend(parse_diags);
        self.modules.push(ModuleInfo {
            path,
            ast,
            items: HashMap::new(),
            imports: HashMap::new(),
            aliases: HashMap::new(),
            failed_imports: Default::default(),
        });
        self.register_items(id);
        id
    }

    /// Give every item of a module a symbol; signatures are resolved once all modules are loaded.
    fn register_items(&mut self, m: ModId) {
        let mut items: HashMap<String, Vec<Sym>> = HashMap::new();
        let mut first_span: HashMap<String, crate::span::Span> = HashMap::new();
        let count = self.module(m).ast.items.len();
        for index in 0..count {
            let item = &self.modules[m.0 as usize].ast.items[index];
            let public = item.public;
            let (name, sym) = match &item.kind {
                ast::ItemKind::Fn(f) => {
                    let id = FnIdx(self.fns.len() as u32);
                    self.fns.push(FnDecl {
                        module: m,
                        item: index,
                        name: f.name.name.clone(),
                        kind: f.kind,
                        is_extern: f.is_extern,
                        public,
                        params: Vec::new(),
                        ret: Ty::Unit,
                        name_span: f.name.span,
                        func: None,
                    });
                    (f.name.clone(), Sym::Fn(id))
                }
                ast::ItemKind::Const(c) => {
                    let id = ConstIdx(self.consts.len() as u32);
                    self.consts.push(ConstDecl {
                        module: m,
                        name: c.name.name.clone(),
                        public,
                        ty: c.ty.clone(),
                        value: c.value.clone(),
                        name_span: c.name.span,
                        state: ConstState::Unchecked,
                        display: None,
                    });
                    (c.name.clone(), Sym::Const(id))
                }
                ast::ItemKind::Struct(s) => {
                    let id = StructId(self.structs.len() as u32);
                    self.structs.push(StructDecl {
                        module: m,
                        name: s.name.name.clone(),
                        public,
                        fields: Vec::new(),
                        field_displays: Vec::new(),
                        variants: None,
                    });
                    (s.name.clone(), Sym::Struct(id))
                }
                ast::ItemKind::Enum(e) => {
                    let id = StructId(self.structs.len() as u32);
                    self.structs.push(StructDecl {
                        module: m,
                        name: e.name.name.clone(),
                        public,
                        fields: Vec::new(),
                        field_displays: Vec::new(),
                        variants: Some(Vec::new()),
                    });
                    (e.name.clone(), Sym::Struct(id))
                }
                ast::ItemKind::Use(_) | ast::ItemKind::Cell(_) | ast::ItemKind::Test(_) => continue,
            };
            let entry = items.entry(name.name.clone()).or_default();
            // Only primitives overload (`arm(Gripper)`, `arm(ScrewDriver)`): a Deft function has
            // one body under one name.
            let is_extern = |s: &Sym| matches!(s, Sym::Fn(f) if self.fns[f.0 as usize].is_extern);
            let all_fns = is_extern(&sym) && entry.iter().all(is_extern);
            if !entry.is_empty() && !all_fns {
                let mut d = Diagnostic::error("E0106", format!("`{}` is defined more than once", name.name))
                    .at(name.span, "defined again here");
                if let Some(first) = first_span.get(&name.name) {
                    d = d.with(*first, "first defined here");
                }
                self.emit(d.help("rename one of them"));
                continue;
            }
            first_span.entry(name.name.clone()).or_insert(name.span);
            entry.push(sym);
        }
        self.modules[m.0 as usize].items = items;
    }

    /// The symbols a name stands for in a module: its own items, then its imports, then the prelude.
    pub(super) fn lookup(&self, m: ModId, name: &str) -> Vec<Sym> {
        let module = self.module(m);
        if let Some(syms) = module.items.get(name).or_else(|| module.imports.get(name)) {
            return syms.clone();
        }
        if let Some(p) = self.prelude
            && p != m
            && let Some(syms) = self.module(p).items.get(name)
        {
            return syms.iter().copied().filter(|s| self.sym_public(*s)).collect();
        }
        Vec::new()
    }

    /// Every name visible at module level, for "did you mean".
    pub(super) fn visible_names(&self, m: ModId) -> Vec<String> {
        let module = self.module(m);
        let mut names: Vec<String> = module.items.keys().chain(module.imports.keys()).cloned().collect();
        if let Some(p) = self.prelude {
            names.extend(self.module(p).items.keys().cloned());
        }
        names.sort();
        names.dedup();
        names
    }

    pub(super) fn sym_public(&self, sym: Sym) -> bool {
        match sym {
            Sym::Fn(f) => self.fn_decl(f).public,
            Sym::Const(c) => self.consts[c.0 as usize].public,
            Sym::Struct(s) => self.structs[s.0 as usize].public,
        }
    }

    fn resolve_struct(&mut self, s: usize) {
        let m = self.structs[s].module;
        let name = self.structs[s].name.clone();
        if self.structs[s].variants.is_some() {
            return self.resolve_enum(s);
        }
        let Some(item) = self.module(m).ast.items.iter().find_map(|i| match &i.kind {
            ast::ItemKind::Struct(st) if st.name.name == name => Some(st.clone()),
            _ => None,
        }) else {
            return;
        };
        let mut fields: Vec<(String, Ty)> = Vec::new();
        let mut displays = Vec::new();
        for f in &item.fields {
            let ty = self.resolve_type(m, &f.ty);
            if fields.iter().any(|(n, _)| *n == f.name.name) {
                let d = Diagnostic::error("E0106", format!("field `{}` is declared twice", f.name.name))
                    .at(f.name.span, "declared again here");
                self.emit(d);
                continue;
            }
            fields.push((f.name.name.clone(), ty));
            displays.push(DisplayUnit::declared(Some(&f.ty), None));
        }
        self.structs[s].fields = fields;
        self.structs[s].field_displays = displays;
    }

    fn resolve_signature(&mut self, f: FnIdx) {
        let (m, item) = (self.fn_decl(f).module, self.fn_decl(f).item);
        let ast::ItemKind::Fn(item) = self.module(m).ast.items[item].kind.clone() else { return };
        let mut params = Vec::new();
        for p in &item.params {
            let ty = self.resolve_type(m, &p.ty);
            if params.iter().any(|q: &ParamSig| q.name == p.name.name) {
                let d = Diagnostic::error("E0106", format!("parameter `{}` is declared twice", p.name.name))
                    .at(p.name.span, "declared again here");
                self.emit(d);
            }
            let unit = declared_unit(&ty, p);
            params.push(ParamSig {
                name: p.name.name.clone(),
                ty,
                unit,
                default: p.default.clone(),
                span: p.name.span,
                display: DisplayUnit::declared(Some(&p.ty), p.default.as_ref()),
            });
        }
        let ret = item.ret.as_ref().map_or(Ty::Unit, |t| self.resolve_type(m, t));
        if item.is_extern && !self.module(m).is_std() {
            let d =
                Diagnostic::error("E0108", format!("`extern` item `{}` outside the standard library", item.name.name))
                    .at(item.name.span, "extern items are implemented by the runtime")
                    .help("write the body in Deft, or call a primitive from `std`");
            self.emit(d);
        }
        let decl = &mut self.fns[f.0 as usize];
        decl.params = params;
        decl.ret = ret;
    }

    /// Functions of one name in one module are overloads; they must differ in their first
    /// parameter's type, which is what a call picks them by.
    fn check_overloads(&mut self) {
        for m in 0..self.modules.len() {
            let groups: Vec<Vec<Sym>> = self.modules[m].items.values().filter(|v| v.len() > 1).cloned().collect();
            for group in groups {
                let mut seen: Vec<Option<Ty>> = Vec::new();
                for sym in group {
                    let Sym::Fn(f) = sym else { continue };
                    let first = self.fn_decl(f).params.first().map(|p| p.ty.clone());
                    if seen.contains(&first) {
                        let decl = self.fn_decl(f);
                        let d = Diagnostic::error("E0106", format!("`{}` is defined more than once", decl.name))
                            .at(decl.name_span, "defined again here")
                            .help("overloads must differ in the type of their first parameter");
                        self.emit(d);
                    }
                    seen.push(first);
                }
            }
        }
    }

    fn collect_cell(&mut self) {
        let mut blocks = Vec::new();
        for (mi, module) in self.modules.iter().enumerate() {
            for item in &module.ast.items {
                if let ast::ItemKind::Cell(c) = &item.kind {
                    blocks.push((ModId(mi as u32), c.clone(), item.span));
                }
            }
        }
        let mut seen_main = false;
        for (m, block, span) in blocks {
            if m != self.main || seen_main {
                let d = Diagnostic::error("E0408", "a program has one `cell` block, in its main module")
                    .at(span, "extra cell block")
                    .help("merge the entries into the main module's cell block");
                self.emit(d);
                continue;
            }
            seen_main = true;
            for entry in &block.entries {
                let ty = self.resolve_type(m, &entry.ty);
                let ok = match &ty {
                    Ty::Error => true,
                    Ty::Handle(h) => h.is_cell_object(),
                    Ty::List(inner) => matches!(**inner, Ty::Handle(h) if h.is_cell_object()),
                    _ => false,
                };
                if !ok {
                    let d = Diagnostic::error("E0204", format!("cell entry `{}` has type {ty}", entry.name.name))
                        .at(entry.ty.span, "not a cell handle")
                        .help("cell entries are Arm, Gripper, ScrewDriver, Camera, Fixture, Part, Signal, or a list of one");
                    self.emit(d);
                }
                if self.cell.iter().any(|c| c.name == entry.name.name) {
                    let d = Diagnostic::error("E0106", format!("cell entry `{}` is declared twice", entry.name.name))
                        .at(entry.name.span, "declared again here");
                    self.emit(d);
                    continue;
                }
                self.cell.push(CellInfo {
                    name: entry.name.name.clone(),
                    ty,
                    span: entry.name.span,
                    doc: entry.doc.clone(),
                    used: false,
                });
            }
        }
    }
}

/// The unit a parameter is declared in, for the manifest: the bracketed unit of its type, else
/// the unit of its default's literal, else the SI unit of its dimension.
fn declared_unit(ty: &Ty, p: &ast::Param) -> Option<String> {
    let Ty::Quantity(dim) = ty else {
        return match &p.default {
            Some(ast::Expr { kind: ast::ExprKind::Quantity { unit, .. }, .. }) => Some(units::spell(unit)),
            _ => None,
        };
    };
    if let ast::TypeExprKind::Unit(u) = &p.ty.kind {
        return Some(units::spell(u));
    }
    if let Some(ast::Expr { kind: ast::ExprKind::Quantity { unit, .. }, .. }) = &p.default {
        return Some(units::spell(unit));
    }
    Some(units::si_unit(*dim))
}
