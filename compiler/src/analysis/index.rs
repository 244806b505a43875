//! The declarations of every file, read from the syntax trees: skills, fns, structs, enums and their
//! variants and fields, constants, cell entries and parameters. The outline, workspace symbols, hover
//! on declarations and the targets of rename all come from here.

use super::FileData;
use crate::span::{FileId, Span};
use crate::syntax::ast;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Skill,
    Fn,
    Struct,
    Enum,
    Variant,
    Field,
    Const,
    Cell,
    Param,
    Test,
}

/// One declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The name at the declaration: what definition jumps to and rename edits.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// The declaration as one line of source: `skill pick(gripper: Gripper, part: Part)`.
    pub detail: String,
    pub doc: Option<String>,
    /// The item a field, variant or parameter belongs to.
    pub container: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Index {
    pub symbols: Vec<Symbol>,
    by_name_span: HashMap<Span, usize>,
    by_span: HashMap<Span, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// Source text on one line, whitespace runs collapsed, cut at 200 characters.
pub(crate) fn one_line(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 200 { format!("{}…", line.chars().take(200).collect::<String>()) } else { line }
}

impl Index {
    pub fn new(files: &[FileData]) -> Index {
        let mut index = Index::default();
        for (i, f) in files.iter().enumerate() {
            let file = FileId(i as u32);
            for item in &f.ast.items {
                index.item(file, &f.text, item);
            }
        }
        for (i, s) in index.symbols.iter().enumerate() {
            index.by_name_span.entry(s.name_span).or_insert(i);
            index.by_span.entry(s.span).or_insert(i);
            index.by_name.entry(s.name.clone()).or_default().push(i);
        }
        index
    }

    fn push(&mut self, name: &ast::Ident, kind: SymbolKind, span: Span, detail: String, doc: &Option<String>) {
        self.symbols.push(Symbol {
            name: name.name.clone(),
            kind,
            name_span: name.span,
            span,
            detail,
            doc: doc.clone(),
            container: None,
        });
    }

    fn item(&mut self, file: FileId, text: &str, item: &ast::Item) {
        let slice = |s: Span| text.get(s.range()).unwrap_or("");
        // The item's span may start at its doc comment: the declaration starts at its first code line.
        let code = |s: Span| {
            let t = slice(s);
            let skipped: usize =
                t.split_inclusive('\n').take_while(|l| l.trim_start().starts_with("//")).map(str::len).sum();
            Span { file, start: s.start + skipped as u32, end: s.end }
        };
        let item_span = code(item.span);
        match &item.kind {
            ast::ItemKind::Use(_) => {}
            ast::ItemKind::Cell(c) => {
                for e in &c.entries {
                    self.push(&e.name, SymbolKind::Cell, e.span, format!("cell {}", one_line(slice(e.span))), &e.doc);
                }
            }
            ast::ItemKind::Const(c) => {
                self.push(&c.name, SymbolKind::Const, item_span, one_line(slice(item_span)), &item.doc);
            }
            ast::ItemKind::Struct(s) => {
                let header = format!("struct {}", s.name.name);
                let fields: Vec<String> = s.fields.iter().map(|d| one_line(slice(d.span))).collect();
                let detail = format!("{header} {{ {} }}", fields.join(", "));
                self.push(&s.name, SymbolKind::Struct, item_span, detail, &item.doc);
                for d in &s.fields {
                    let detail = format!("{}.{}", s.name.name, one_line(slice(d.span)));
                    self.push(&d.name, SymbolKind::Field, d.span, detail, &d.doc);
                    self.contained(&s.name.name);
                }
            }
            ast::ItemKind::Enum(e) => {
                let variants: Vec<String> = e.variants.iter().map(|v| one_line(slice(v.span))).collect();
                let detail = format!("enum {} {{ {} }}", e.name.name, variants.join(", "));
                self.push(&e.name, SymbolKind::Enum, item_span, detail, &item.doc);
                for v in &e.variants {
                    let detail = format!("{}::{}", e.name.name, one_line(slice(v.span)));
                    self.push(&v.name, SymbolKind::Variant, v.span, detail, &v.doc);
                    self.contained(&e.name.name);
                }
            }
            ast::ItemKind::Fn(func) => {
                let kind = if func.kind == ast::FnKind::Skill { SymbolKind::Skill } else { SymbolKind::Fn };
                let header_end = func.body.as_ref().map_or(item_span.end, |b| b.span.start);
                let header = Span { file, start: item_span.start, end: header_end.max(item_span.start) };
                self.push(&func.name, kind, item_span, one_line(slice(header)), &item.doc);
                for p in &func.params {
                    self.push(&p.name, SymbolKind::Param, p.span, format!("param {}", one_line(slice(p.span))), &None);
                    self.contained(&func.name.name);
                }
            }
            ast::ItemKind::Test(t) => {
                let name = ast::Ident { name: t.name.clone(), span: t.name_span };
                self.push(&name, SymbolKind::Test, item_span, format!("test \"{}\"", t.name), &item.doc);
            }
        }
    }

    fn contained(&mut self, container: &str) {
        if let Some(last) = self.symbols.last_mut() {
            last.container = Some(container.to_string());
        }
    }

    /// The declaration whose name is at exactly this span.
    pub fn at_name(&self, span: Span) -> Option<&Symbol> {
        self.by_name_span.get(&span).map(|&i| &self.symbols[i])
    }

    /// The declaration whose whole span is exactly this one (a parameter as the checker records it).
    pub fn at_span(&self, span: Span) -> Option<&Symbol> {
        self.by_span.get(&span).map(|&i| &self.symbols[i])
    }

    /// A top-level declaration by name, preferring `file`, then non-stdlib files, then any.
    pub fn item_named(&self, name: &str, kinds: &[SymbolKind], file: FileId, files: &[FileData]) -> Option<&Symbol> {
        let named = self.by_name.get(name).map_or(&[][..], Vec::as_slice);
        let candidates = || named.iter().map(|&i| &self.symbols[i]).filter(|s| kinds.contains(&s.kind));
        let is_std = |f: FileId| files.get(f.0 as usize).is_some_and(|d| d.path.starts_with("<std>/"));
        candidates()
            .find(|s| s.name_span.file == file)
            .or_else(|| candidates().find(|s| !is_std(s.name_span.file)))
            .or_else(|| candidates().next())
    }

    /// A field, variant or parameter of a container, by name.
    pub fn member(&self, container: &Symbol, name: &str, kind: SymbolKind) -> Option<&Symbol> {
        let named = self.by_name.get(name).map_or(&[][..], Vec::as_slice);
        named.iter().map(|&i| &self.symbols[i]).find(|s| {
            s.kind == kind
                && s.name == name
                && s.container.as_deref() == Some(container.name.as_str())
                && s.name_span.file == container.name_span.file
                && s.span.start >= container.span.start
                && s.span.end <= container.span.end
        })
    }

    /// The members (fields, variants, parameters) of a container, in order: they are indexed
    /// right after it.
    pub fn members<'a>(&'a self, container: &'a Symbol) -> impl Iterator<Item = &'a Symbol> + 'a {
        let start = self.by_name_span.get(&container.name_span).map_or(self.symbols.len(), |&i| i + 1);
        self.symbols[start.min(self.symbols.len())..]
            .iter()
            .take_while(move |s| s.container.as_deref() == Some(container.name.as_str()))
    }
}
