//! `use`: bringing items and module aliases into a module, and the names of the modules that
//! exist, for messages.

use super::{Checker, ModId, Sym, suggest};
use crate::diagnostic::Diagnostic;
use crate::span::FileId;
use crate::syntax::{self, ast};
use std::collections::HashMap;

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
            let known = self.known_modules();
            let mut d = Diagnostic::error("E0100", format!("no module `{}`", path.join("::"))).at(span, "not a module");
            if let Some(s) = suggest::closest(&path.join("::"), known.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            self.emit(d.note(format!("the modules are: {}", known.join(", "))));
            return;
        };
        let target = self.load_module(file, module_path.iter().map(|s| s.to_string()).collect(), loaded);
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
