//! Semantic tokens (every token classified, quantities and units with kinds of their own) and
//! inlay hints (the inferred type of each `let` without an annotation).

use super::Analysis;
use super::index::SymbolKind;
use super::walk::{self, Node};
use crate::span::{FileId, Span};
use crate::syntax::{Token, ast};
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    Comment,
    String,
    Number,
    /// The number of a quantity literal (`50` in `50 mm`).
    Quantity,
    /// A unit in a quantity literal or a bracketed unit type (`mm`, `N`, `%`).
    Unit,
    Function,
    Variable,
    Parameter,
    Type,
    Struct,
    Enum,
    EnumMember,
    Property,
}

/// One classified token; never spans lines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SemanticToken {
    pub span: Span,
    pub kind: TokenKind,
}

/// A type shown after a `let` name.
#[derive(Clone, Debug, PartialEq)]
pub struct InlayHint {
    /// Where the hint goes: just after the name.
    pub offset: usize,
    /// `: Length`.
    pub label: String,
}

/// The type names the language has without a declaration; completion offers them too.
pub(super) const BUILTIN_TYPES: &[&str] = &[
    "Bool",
    "Int",
    "Real",
    "String",
    "Length",
    "Angle",
    "Time",
    "Mass",
    "Force",
    "Torque",
    "Speed",
    "AngularSpeed",
    "Acceleration",
    "Energy",
    "Power",
    "Ratio",
    "Vec3",
    "Rot",
    "Pose",
    "Arm",
    "Gripper",
    "ScrewDriver",
    "Camera",
    "Fixture",
    "Part",
    "Signal",
    "Fault",
    "FaultKind",
];

impl Analysis {
    /// Every token of a file worth colouring, in source order.
    pub fn semantic_tokens(&self, file: FileId) -> Vec<SemanticToken> {
        let Some(data) = self.file(file) else { return Vec::new() };
        let mut units: Vec<(u32, u32)> = Vec::new();
        let mut quantities: HashSet<u32> = HashSet::new();
        walk::module(&data.ast, &mut |node| match node {
            Node::Unit(u) => units.push((u.span.start, u.span.end)),
            Node::Expr(e) => {
                if let ast::ExprKind::Quantity { .. } = e.kind {
                    quantities.insert(e.span.start);
                }
            }
            _ => {}
        });
        units.sort_unstable();
        // Unit expressions do not nest: the candidate is the last one starting at or before `s`.
        let in_unit = |s: u32, e: u32| {
            let i = units.partition_point(|(a, _)| *a <= s);
            i > 0 && e <= units[i - 1].1
        };
        let mut out = Vec::new();
        for (token, range) in crate::syntax::lex(&data.text) {
            let (start, end) = (range.start as u32, range.end as u32);
            let span = Span { file, start, end };
            let kind = match token {
                Token::Comment => Some(TokenKind::Comment),
                Token::Str | Token::UnterminatedStr | Token::SingleQuoted => Some(TokenKind::String),
                Token::Int | Token::Real if quantities.contains(&start) => Some(TokenKind::Quantity),
                _ if in_unit(start, end) => Some(TokenKind::Unit),
                Token::Int | Token::Real => Some(TokenKind::Number),
                Token::Ident => self.ident_kind(span),
                Token::Newline | Token::Error => None,
                _ if data.text[range.clone()].chars().all(|c| c.is_ascii_alphabetic()) => Some(TokenKind::Keyword),
                _ => None,
            };
            if let Some(kind) = kind {
                out.push(SemanticToken { span, kind });
            }
        }
        out
    }

    fn ident_kind(&self, span: Span) -> Option<TokenKind> {
        let text = self.span_text(span);
        let occ = self.occurrences.get(span);
        if let Some(occ) = occ {
            if let Some(s) = occ.target.and_then(|t| self.index.at_name(t)) {
                return Some(match s.kind {
                    SymbolKind::Skill | SymbolKind::Fn | SymbolKind::Test => TokenKind::Function,
                    SymbolKind::Struct => TokenKind::Struct,
                    SymbolKind::Enum => TokenKind::Enum,
                    SymbolKind::Variant => TokenKind::EnumMember,
                    SymbolKind::Field => TokenKind::Property,
                    SymbolKind::Param => TokenKind::Parameter,
                    SymbolKind::Const | SymbolKind::Cell => TokenKind::Variable,
                });
            }
            if let Some(r) = occ.reference.and_then(|i| self.references.get(i)) {
                let function = ["fn ", "skill ", "extern "].iter().any(|p| r.detail.starts_with(p));
                return Some(if function {
                    TokenKind::Function
                } else if r.detail.contains('.') && r.definition.is_none() {
                    TokenKind::Property
                } else {
                    TokenKind::Variable
                });
            }
            if occ.target.is_some() {
                return Some(TokenKind::Variable);
            }
        }
        BUILTIN_TYPES.contains(&text).then_some(TokenKind::Type)
    }

    /// The inferred type of every `let`/`var` without a written type, after its name.
    pub fn inlay_hints(&self, file: FileId) -> Vec<InlayHint> {
        let Some(data) = self.file(file) else { return Vec::new() };
        let mut names = Vec::new();
        walk::module(&data.ast, &mut |node| {
            if let Node::Stmt(ast::Stmt { kind: ast::StmtKind::Let { name, ty: None, .. }, .. }) = node {
                names.push(name.span);
            }
        });
        names
            .into_iter()
            .filter_map(|span| {
                let detail = self.local_type(span)?;
                Some(InlayHint { offset: span.end as usize, label: format!(": {detail}") })
            })
            .collect()
    }

    /// The type the checker gave the local declared at `decl` (from any of its uses).
    fn local_type(&self, decl: Span) -> Option<String> {
        let detail = &self.references.get(self.occurrences.resolved(decl)?)?.detail;
        let ty = detail.split_once(": ")?.1;
        (!ty.contains("{error}")).then(|| ty.to_string())
    }
}
