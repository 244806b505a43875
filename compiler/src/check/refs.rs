//! What the checker learns about each name it resolves, kept for the IDE: hover shows `detail`
//! and `doc`, go-to-definition jumps to `definition`.

use super::{Checker, ConstIdx, FnIdx};
use crate::span::Span;
use crate::syntax::ast;

/// One resolved use of a name in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// The name as written at the use.
    pub span: Span,
    /// Where the name is declared, when that is in a source file.
    pub definition: Option<Span>,
    /// One line describing it: `let depth: Length`, `skill pick(gripper: Gripper, ...)`,
    /// `cell gripper: Gripper`, `const APPROACH: Length`.
    pub detail: String,
    /// The declaration's doc comment.
    pub doc: Option<String>,
}

impl Checker<'_> {
    /// Record a resolved name; default arguments, lowered again at every call, are not recorded.
    pub(super) fn reference(&mut self, span: Span, definition: Option<Span>, detail: String, doc: Option<String>) {
        if self.quiet == 0 {
            self.references.push(Reference { span, definition, detail, doc });
        }
    }

    fn item_doc(&self, module: super::ModId, item: usize) -> Option<String> {
        self.module(module).ast.items.get(item).and_then(|i| i.doc.clone())
    }

    pub(super) fn reference_fn(&mut self, span: Span, f: FnIdx) {
        let decl = self.fn_decl(f);
        let kind = match (decl.is_extern, decl.kind) {
            (true, ast::FnKind::Fn) => "extern fn",
            (true, ast::FnKind::Skill) => "extern skill",
            (false, ast::FnKind::Fn) => "fn",
            (false, ast::FnKind::Skill) => "skill",
        };
        let ret = if decl.ret == crate::types::Ty::Unit { String::new() } else { format!(" -> {}", decl.ret) };
        let detail = format!("{kind} {}{ret}", decl.signature());
        let (definition, doc) = (Some(decl.name_span), self.item_doc(decl.module, decl.item));
        self.reference(span, definition, detail, doc);
    }

    pub(super) fn reference_const(&mut self, span: Span, c: ConstIdx, ty: &crate::types::Ty) {
        let decl = &self.consts[c.0 as usize];
        let (definition, detail) = (Some(decl.name_span), format!("const {}: {ty}", decl.name));
        let doc = self.const_doc(c);
        self.reference(span, definition, detail, doc);
    }

    fn const_doc(&self, c: ConstIdx) -> Option<String> {
        let decl = &self.consts[c.0 as usize];
        self.module(decl.module).ast.items.iter().find_map(|i| match &i.kind {
            ast::ItemKind::Const(k) if k.name.span == decl.name_span => i.doc.clone(),
            _ => None,
        })
    }
}
