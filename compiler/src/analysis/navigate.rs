//! Hover, go to definition, find references and rename: all answered from the occurrence under the
//! cursor and the declaration it names.

use super::index::{Symbol, SymbolKind};
use super::{Analysis, occurrences::Occurrence};
use crate::span::{FileId, Span};
use crate::syntax::Token;

/// What hover shows: markdown for the name under the cursor and the span it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// The keywords of the language; a rename to one of them is refused.
pub(crate) fn is_keyword(name: &str) -> bool {
    matches!(crate::syntax::lex(name).as_slice(), [(t, _)] if *t != Token::Ident)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Analysis {
    fn occurrence_at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        self.occurrences.at(file, offset)
    }

    /// The declaration a name refers to, when it is in a source file.
    pub fn definition(&self, file: FileId, offset: usize) -> Option<Span> {
        self.occurrence_at(file, offset)?.target
    }

    /// Every use of the declaration under the cursor, the declaration included, across all files.
    pub fn references_at(&self, file: FileId, offset: usize) -> Vec<Span> {
        self.occurrence_at(file, offset).and_then(|o| o.target).map_or_else(Vec::new, |t| self.occurrences.of_target(t))
    }

    /// The name a rename at this offset would change, or why it cannot be renamed.
    pub fn prepare_rename(&self, file: FileId, offset: usize) -> Result<Span, String> {
        let occ = self.occurrence_at(file, offset).ok_or("there is no name here to rename")?;
        let target = occ.target.ok_or("this name is not declared in a source file, so it cannot be renamed")?;
        if self.is_std(target.file) {
            let name = self.span_text(target);
            return Err(format!(
                "`{name}` is declared in the standard library ({}), which cannot be edited; rename it where you use it instead",
                self.path(target.file)
            ));
        }
        match self.index.at_name(target).map(|s| s.kind) {
            Some(SymbolKind::Test) => Err("a test's name is a string: edit it in place".to_string()),
            Some(SymbolKind::Cell) => Err(
                "a cell entry is bound by name to the cell description (cell.toml); rename it in both places by hand"
                    .to_string(),
            ),
            _ => Ok(occ.span),
        }
    }

    /// The spans a rename of the name under the cursor to `new_name` replaces, or why not.
    pub fn rename(&self, file: FileId, offset: usize, new_name: &str) -> Result<Vec<Span>, String> {
        self.prepare_rename(file, offset)?;
        if !is_identifier(new_name) {
            return Err(format!("`{new_name}` is not a valid name"));
        }
        if is_keyword(new_name) {
            return Err(format!("`{new_name}` is a keyword"));
        }
        let target = self.definition(file, offset).ok_or("nothing to rename")?;
        Ok(self.occurrences.of_target(target))
    }

    /// Markdown for the name under the cursor: its declaration, type and unit, constant value,
    /// doc comment, and for a skill the cell hardware it commands.
    pub fn hover(&self, file: FileId, offset: usize) -> Option<Hover> {
        let Some(occ) = self.occurrence_at(file, offset) else { return self.quantity_hover(file, offset) };
        let symbol = occ.target.and_then(|t| self.index.at_name(t));
        let reference =
            occ.reference.or_else(|| self.occurrences.resolved(occ.target?)).and_then(|i| self.references.get(i));
        let (mut detail, mut doc) = match (symbol, reference) {
            (Some(s), _) if s.kind != SymbolKind::Const && s.kind != SymbolKind::Param => {
                (s.detail.clone(), s.doc.clone())
            }
            (_, Some(r)) => (r.detail.clone(), r.doc.clone()),
            (Some(s), None) => (s.detail.clone(), s.doc.clone()),
            (None, None) => return None,
        };
        if let Some(s) = symbol {
            doc = doc.or_else(|| s.doc.clone());
            if s.kind == SymbolKind::Const
                && let Some((_, value)) = s.detail.split_once('=')
                && !detail.contains('=')
            {
                detail = format!("{detail} = {}", value.trim());
            }
        }
        let mut markdown = format!("```deft\n{detail}\n```");
        if let Some(s) = symbol
            && s.kind == SymbolKind::Skill
            && let Some(effects) = self.symbol_effects(s)
        {
            let list = if effects.is_empty() {
                "no cell hardware".to_string()
            } else {
                effects.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
            };
            markdown.push_str(&format!("\n\ncommands: {list}"));
        }
        if let Some(s) = symbol
            && let Some(target) = occ.target
            && target.file != file
        {
            markdown.push_str(&format!("\n\n*{}*", self.module_name(s.name_span.file)));
        }
        if let Some(doc) = doc {
            markdown.push_str("\n\n---\n\n");
            markdown.push_str(&doc);
        }
        Some(Hover { span: occ.span, markdown })
    }

    /// The type of the quantity literal under the cursor (`50 mm` is a `Length`).
    fn quantity_hover(&self, file: FileId, offset: usize) -> Option<Hover> {
        let data = self.file(file)?;
        let offset = offset as u32;
        let mut found = None;
        super::walk::module(&data.ast, &mut |node| {
            if let super::walk::Node::Expr(e) = node
                && let crate::syntax::ast::ExprKind::Quantity { unit, .. } = &e.kind
                && e.span.start <= offset
                && offset <= e.span.end
            {
                found = Some((e.span, unit.span));
            }
        });
        let (span, unit) = found?;
        let spelled: String = self.span_text(unit).split_whitespace().collect();
        let dim = super::complete::UNITS.iter().find(|(u, _)| *u == spelled).map(|(_, d)| *d)?;
        let literal = super::index::one_line(self.span_text(span));
        Some(Hover { span, markdown: format!("```deft\n{literal}: {dim}\n```") })
    }

    fn symbol_effects(&self, s: &Symbol) -> Option<&[String]> {
        let module = self.module_name(s.name_span.file);
        self.effects(&format!("{module}::{}", s.name)).or_else(|| self.effects(&s.name))
    }

    /// `std::motion` for `<std>/motion.skill`, the file stem for a program file.
    pub(crate) fn module_name(&self, file: FileId) -> String {
        let path = self.path(file);
        let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".skill");
        if self.is_std(file) { format!("std::{stem}") } else { stem.to_string() }
    }
}
