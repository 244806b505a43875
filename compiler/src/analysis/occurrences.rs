//! Every place a name is written, joined with the declaration it names: the checker's resolved
//! names (locals, constants, cell entries, calls, fields) plus what only the syntax tree shows
//! (declarations themselves, type names, struct literals, enum paths, named arguments).

use super::FileData;
use super::index::{Index, SymbolKind};
use super::walk::{self, Node};
use crate::check::Reference;
use crate::span::{FileId, Span};
use crate::syntax::ast::{self, ExprKind, PatternKind, TypeExprKind};
use std::collections::HashMap;

/// One name as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Occurrence {
    pub span: Span,
    /// The name at its declaration, when it is known and in a source file.
    pub target: Option<Span>,
    /// Index into the checker's references, when the checker resolved this name.
    pub reference: Option<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct Occurrences {
    pub list: Vec<Occurrence>,
    by_span: HashMap<Span, usize>,
    /// For each declaration, the first occurrence naming it that the checker resolved (its detail
    /// carries the declaration's type).
    resolved: HashMap<Span, usize>,
}

impl Occurrences {
    pub fn new(files: &[FileData], index: &Index, references: &[Reference]) -> Occurrences {
        let mut occ = Occurrences::default();
        for s in &index.symbols {
            occ.add(s.name_span, Some(s.name_span), None);
        }
        for (i, r) in references.iter().enumerate() {
            let target = match r.definition {
                Some(d) => Some(index.at_span(d).map_or(d, |s| s.name_span)),
                None => field_target(&r.detail, r.span.file, index, files),
            };
            if let Some(t) = target
                && index.at_name(t).is_none()
            {
                // A local: its declaration is not a checker reference, so it names itself.
                occ.add(t, Some(t), None);
            }
            occ.add(r.span, target, Some(i));
        }
        for (i, f) in files.iter().enumerate() {
            occ.syntax(FileId(i as u32), &f.ast, index, files);
        }
        for o in &occ.list {
            if let (Some(t), Some(r)) = (o.target, o.reference) {
                occ.resolved.entry(t).or_insert(r);
            }
        }
        occ
    }

    /// The occurrence written at exactly this span.
    pub fn get(&self, span: Span) -> Option<&Occurrence> {
        self.by_span.get(&span).map(|&i| &self.list[i])
    }

    /// The checker's reference for some use of this declaration.
    pub fn resolved(&self, target: Span) -> Option<usize> {
        self.resolved.get(&target).copied()
    }

    fn add(&mut self, span: Span, target: Option<Span>, reference: Option<usize>) {
        match self.by_span.get(&span) {
            Some(&i) => {
                let o = &mut self.list[i];
                o.target = o.target.or(target);
                o.reference = o.reference.or(reference);
            }
            None => {
                self.by_span.insert(span, self.list.len());
                self.list.push(Occurrence { span, target, reference });
            }
        }
    }

    fn target_of(&self, span: Span) -> Option<Span> {
        self.by_span.get(&span).and_then(|&i| self.list[i].target)
    }

    fn syntax(&mut self, file: FileId, module: &ast::Module, index: &Index, files: &[FileData]) {
        let item = |name: &str, kinds: &[SymbolKind]| index.item_named(name, kinds, file, files).cloned();
        let mut calls: Vec<(Span, Vec<ast::Ident>)> = Vec::new();
        for i in &module.items {
            if let ast::ItemKind::Use(u) = &i.kind {
                let path: Vec<&str> = u.path.iter().map(|p| p.name.as_str()).collect();
                let Some(m) = super::module_file(files, &path) else { continue };
                for n in &u.names {
                    let target = index
                        .symbols
                        .iter()
                        .find(|s| s.name_span.file == m && s.name == n.name && s.container.is_none());
                    self.add(n.span, target.map(|s| s.name_span), None);
                }
            }
        }
        walk::module(module, &mut |node| match node {
            Node::Type(t) => {
                if let TypeExprKind::Named(id) = &t.kind
                    && let Some(s) = item(&id.name, &[SymbolKind::Struct, SymbolKind::Enum])
                {
                    self.add(id.span, Some(s.name_span), None);
                }
            }
            Node::Expr(e) => match &e.kind {
                ExprKind::StructLit { name, fields } => {
                    if let Some(s) = item(&name.name, &[SymbolKind::Struct]) {
                        self.add(name.span, Some(s.name_span), None);
                        for fi in fields {
                            let field = index.member(&s, &fi.name.name, SymbolKind::Field);
                            self.add(fi.name.span, field.map(|f| f.name_span), None);
                        }
                    }
                }
                ExprKind::Path(path) => self.enum_path(path, &item, index),
                ExprKind::Call { callee, args } => {
                    if let ExprKind::Name(id) = &callee.kind {
                        calls.push((id.span, args.iter().filter_map(|a| a.name.clone()).collect()));
                    } else if let ExprKind::Path(path) = &callee.kind {
                        self.enum_path(path, &item, index);
                    }
                }
                ExprKind::MethodCall { method, args, .. } => {
                    calls.push((method.span, args.iter().filter_map(|a| a.name.clone()).collect()));
                }
                _ => {}
            },
            Node::Pattern(p) => {
                if let PatternKind::Variant { path, .. } = &p.kind {
                    self.enum_path(path, &item, index);
                }
            }
            _ => {}
        });
        for (callee, names) in calls {
            let Some(func) = self.target_of(callee).and_then(|t| index.at_name(t)) else { continue };
            for n in names {
                let param = index.member(func, &n.name, SymbolKind::Param).map(|p| p.name_span);
                self.add(n.span, param, None);
            }
        }
    }

    fn enum_path(
        &mut self,
        path: &[ast::Ident],
        item: &impl Fn(&str, &[SymbolKind]) -> Option<super::Symbol>,
        index: &Index,
    ) {
        if let [e, v] = path
            && let Some(s) = item(&e.name, &[SymbolKind::Enum])
        {
            self.add(e.span, Some(s.name_span), None);
            let variant = index.member(&s, &v.name, SymbolKind::Variant);
            self.add(v.span, variant.map(|v| v.name_span), None);
        }
    }

    /// The innermost name at a byte offset (its end included, where the cursor sits after typing it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        let offset = offset as u32;
        self.list
            .iter()
            .filter(|o| o.span.file == file && o.span.start <= offset && offset <= o.span.end)
            .min_by_key(|o| (o.span.end - o.span.start, o.span.start))
    }

    /// Every name that names this declaration, its own name included.
    pub fn of_target(&self, target: Span) -> Vec<Span> {
        let mut spans: Vec<Span> = self.list.iter().filter(|o| o.target == Some(target)).map(|o| o.span).collect();
        spans.sort_by_key(|s| (s.file, s.start));
        spans
    }
}

/// The declaration of a field the checker resolved (`Grip.width: Length`, no definition span).
fn field_target(detail: &str, file: FileId, index: &Index, files: &[FileData]) -> Option<Span> {
    let (path, _) = detail.split_once(':')?;
    let (strukt, field) = path.trim().rsplit_once('.')?;
    let s = index.item_named(strukt, &[SymbolKind::Struct], file, files)?;
    index.member(s, field, SymbolKind::Field).map(|f| f.name_span)
}
