//! `use`: bringing items and module aliases into a module, and the names of the modules that
//! exist, for messages.

use super::{Checker, ModId, Sym, suggest};
use crate::diagnostic::Diagnostic;
use crate::span::FileId;
use crate::syntax::{self, ast};
use std::collections::HashMap;

/// The shortest cycle of `use` edges through `start`, as (module, span of its `use` of the next).
fn shortest_cycle(
    start: ModId,
    edges: &[(ModId, ModId, crate::span::Span)],
) -> Option<Vec<(ModId, crate::span::Span)>> {
    // Breadth-first from `start`; `via[m]` is the edge that first reached `m`.
    let mut via: HashMap<ModId, (ModId, crate::span::Span)> = HashMap::new();
    let mut frontier = vec![start];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for m in frontier {
            for (a, b, span) in edges.iter().filter(|(a, _, _)| *a == m) {
                if *b == start {
                    let mut cycle = vec![(*a, *span)];
                    let mut at = *a;
                    while at != start {
                        let (prev, s) = via.get(&at)?;
                        cycle.push((*prev, *s));
                        at = *prev;
                    }
                    cycle.reverse();
                    return Some(cycle);
                }
                if !via.contains_key(b) {
                    via.insert(*b, (*a, *span));
                    next.push(*b);
                }
            }
        }
        frontier = next;
    }
    None
}

impl Checker<'_> {
    pub(super) fn resolve_uses(&mut self, m: ModId, loaded: &mut HashMap<FileId, ModId>) {
        let uses: Vec<ast::UseItem> = self
            .module(m)
            .ast
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ast::ItemKind::Use(u) => Some(u.clone()),
                _ => None,
            })
            .collect();
        for u in uses {
            self.resolve_use(m, &u, loaded);
        }
    }

    fn resolve_use(&mut self, m: ModId, u: &ast::UseItem, loaded: &mut HashMap<FileId, ModId>) {
        let Some(last) = u.path.last() else { return };
        let path: Vec<&str> = u.path.iter().map(|i| i.name.as_str()).collect();
        let span = u.path[0].span.to(last.span);
        // `use std::motion::pick` without braces imports one item.
        let (module_path, names): (Vec<&str>, Vec<ast::Ident>) = match self.world.module(&path) {
            None if u.names.is_empty() && path.len() > 1 && self.world.module(&path[..path.len() - 1]).is_some() => {
                (path[..path.len() - 1].to_vec(), vec![last.clone()])
            }
            _ => (path.clone(), u.names.clone()),
        };
        let Some(file) = self.world.module(&module_path) else {
            let failed = names.iter().map(|n| n.name.clone()).chain(u.names.is_empty().then(|| last.name.clone()));
            self.modules[m.0 as usize].failed_imports.extend(failed);
            let known = self.known_modules();
            let mut d = Diagnostic::error("E0100", format!("no module `{}`", path.join("::"))).at(span, "not a module");
            if let Some(s) = suggest::closest(&path.join("::"), known.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            self.emit(d.note(format!("the modules are: {}", known.join(", "))));
            return;
        };
        let target = self.load_module(file, module_path.iter().map(|s| s.to_string()).collect(), loaded);
        self.use_edges.push((m, target, span));
        if names.is_empty() {
            self.modules[m.0 as usize].aliases.insert(last.name.clone(), target);
            return;
        }
        for name in names {
            let syms: Vec<Sym> = self
                .module(target)
                .items
                .get(&name.name)
                .map(|v| v.iter().copied().filter(|s| target == m || self.sym_public(*s)).collect())
                .unwrap_or_default();
            if syms.is_empty() {
                self.modules[m.0 as usize].failed_imports.insert(name.name.clone());
            }
            if syms.is_empty() && self.module(target).items.contains_key(&name.name) {
                self.private_item(target, &name.name, name.span);
                continue;
            }
            if syms.is_empty() {
                let exported = self.exported_names(target);
                let mut d = Diagnostic::error(
                    "E0101",
                    format!("module `{}` has no public item `{}`", module_path.join("::"), name.name),
                )
                .at(name.span, "not found in this module");
                if let Some(s) = suggest::closest(&name.name, exported.iter().map(String::as_str)) {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                self.emit(d.note(format!("`{}` exports: {}", module_path.join("::"), exported.join(", "))));
                continue;
            }
            self.modules[m.0 as usize].imports.entry(name.name.clone()).or_default().extend(syms);
        }
    }

    /// E0101 for a use of an item that exists but is not `pub`.
    pub(super) fn private_item(&mut self, target: ModId, name: &str, span: crate::span::Span) {
        let module = self.module_name(target);
        let mut d =
            Diagnostic::error("E0101", format!("`{name}` is private to module `{module}`")).at(span, "not `pub`");
        d = if self.module(target).is_std() {
            d.help("it is internal to the standard library; use what the module exports")
        } else {
            d.help(format!(
                "mark it `pub` in {}: items without `pub` are private to their file",
                self.module_file(target)
            ))
        };
        self.emit(d);
    }

    /// A module's name for messages: `std::motion`, `fixtures`, or `main`.
    pub(super) fn module_name(&self, m: ModId) -> String {
        match self.module(m).path.as_slice() {
            [] => "main".to_string(),
            path => path.join("::"),
        }
    }

    fn module_file(&self, m: ModId) -> String {
        let file = self.modules[m.0 as usize].ast.items.first().map(|i| i.span.file);
        file.map_or_else(|| format!("{}.skill", self.module_name(m)), |f| self.world.path(f).to_string())
    }

    /// E0110 for every cycle of `use` between the program's own modules, named module by module.
    pub(super) fn check_use_cycles(&mut self) {
        let user = |ck: &Self, m: ModId| !ck.module(m).is_std();
        let edges: Vec<(ModId, ModId, crate::span::Span)> =
            self.use_edges.iter().copied().filter(|(a, b, _)| a != b && user(self, *a) && user(self, *b)).collect();
        let mut reported: Vec<ModId> = Vec::new();
        for start in 0..self.modules.len() as u32 {
            let start = ModId(start);
            if reported.contains(&start) {
                continue;
            }
            let Some(cycle) = shortest_cycle(start, &edges) else { continue };
            reported.extend(cycle.iter().map(|(m, _)| *m));
            let mut names: Vec<String> = cycle.iter().map(|(m, _)| format!("`{}`", self.module_name(*m))).collect();
            names.push(format!("`{}`", self.module_name(start)));
            let message = match cycle.as_slice() {
                [(a, _), (b, _)] => {
                    format!("modules `{}` and `{}` use each other", self.module_name(*a), self.module_name(*b))
                }
                _ => format!("`use` cycle between modules: {}", names.join(" → ")),
            };
            let mut d = Diagnostic::error("E0110", message).at(cycle[0].1, format!("{} uses {}", names[0], names[1]));
            for (i, (_, span)) in cycle.iter().enumerate().skip(1) {
                d = d.with(*span, format!("{} uses {}", names[i], names[i + 1]));
            }
            let d = d
                .help("move what the modules share into a module of its own that uses neither of them")
                .note(format!("the cycle: {}", names.join(" → ")));
            self.emit(d);
        }
    }

    /// The public item names of a module, sorted.
    pub(super) fn exported_names(&self, m: ModId) -> Vec<String> {
        let mut names: Vec<String> = self
            .module(m)
            .items
            .iter()
            .filter(|(_, syms)| syms.iter().any(|s| self.sym_public(*s)))
            .map(|(n, _)| n.clone())
            .collect();
        names.sort();
        names
    }

    /// A module that exports an item of this name but is not imported: for "add `use ...`".
    pub(super) fn module_exporting(&self, name: &str) -> Option<String> {
        for module in self.known_modules() {
            // The prelude is always in scope; its items never need a `use`.
            if module == "std::prelude" {
                continue;
            }
            let path: Vec<&str> = module.split("::").collect();
            let Some(file) = self.world.module(&path) else { continue };
            let (ast, _) = syntax::parse(file, self.world.source(file));
            let exported = ast.items.iter().any(|i| {
                i.public
                    && match &i.kind {
                        ast::ItemKind::Fn(f) => f.name.name == name,
                        ast::ItemKind::Const(c) => c.name.name == name,
                        ast::ItemKind::Struct(s) => s.name.name == name,
                        ast::ItemKind::Enum(e) => e.name.name == name,
                        _ => false,
                    }
            });
            if exported {
                return Some(module);
            }
        }
        None
    }

    /// The module names the world knows, derived from file paths (`.../std/motion.skill` →
    /// `std::motion`) and kept when the world resolves them.
    fn known_modules(&self) -> Vec<String> {
        let mut out = Vec::new();
        for file in self.world.files() {
            if file == self.world.main() {
                continue;
            }
            let path = self.world.path(file).replace('\\', "/");
            let stem = path.trim_end_matches(".skill");
            let segments: Vec<&str> = stem.split('/').collect();
            let candidate: Vec<&str> = match segments.iter().rposition(|s| *s == "std") {
                Some(i) => segments[i..].to_vec(),
                None => segments.last().map(|s| vec![*s]).unwrap_or_default(),
            };
            if !candidate.is_empty() && self.world.module(&candidate) == Some(file) {
                out.push(candidate.join("::"));
            }
        }
        out.sort();
        out.dedup();
        out
    }
}
