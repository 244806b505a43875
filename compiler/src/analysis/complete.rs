//! Completion and signature help. Both work on half-typed code: the context (after a number, after
//! a `.`, inside a call's parentheses) is read from the text before the cursor, and what is in scope
//! from the last syntax tree and the checker's references.

use super::Analysis;
use super::index::{Symbol, SymbolKind};
use super::scope;
use crate::span::FileId;
use crate::syntax::ast;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    Keyword,
    Local,
    Function,
    Skill,
    Struct,
    Enum,
    Field,
    Const,
    Cell,
    Unit,
    NamedArg,
    Module,
    Type,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// The text to insert, when it differs from the label (`speed = ` for a named argument).
    pub insert: Option<String>,
}

/// The signature of the call around the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct SignatureHelp {
    /// `move_linear(arm: Arm, target: Pose, speed: Speed = 250 mm/s)`.
    pub label: String,
    /// Each parameter as it appears in `label`.
    pub params: Vec<String>,
    pub active: usize,
    pub doc: Option<String>,
}

const KEYWORDS: &[&str] = &[
    "skill", "fn", "cell", "const", "struct", "enum", "use", "test", "let", "var", "if", "else", "for", "in", "while",
    "return", "fail", "ensure", "requires", "ensures", "limits", "retry", "try", "recover", "within", "parallel",
    "and", "or", "not", "true", "false", "none", "match", "pub", "runs", "expect", "success",
];

/// The units a quantity literal may carry (LANGUAGE.md), with the dimension each gives.
pub(crate) const UNITS: &[(&str, &str)] = &[
    ("mm", "Length"),
    ("m", "Length"),
    ("cm", "Length"),
    ("um", "Length"),
    ("in", "Length"),
    ("deg", "Angle"),
    ("rad", "Angle"),
    ("s", "Time"),
    ("ms", "Time"),
    ("min", "Time"),
    ("kg", "Mass"),
    ("g", "Mass"),
    ("N", "Force"),
    ("kN", "Force"),
    ("N*m", "Torque"),
    ("Nm", "Torque"),
    ("mm/s", "Speed"),
    ("m/s", "Speed"),
    ("deg/s", "AngularSpeed"),
    ("rad/s", "AngularSpeed"),
    ("rpm", "AngularSpeed"),
    ("mm/s^2", "Acceleration"),
    ("m/s^2", "Acceleration"),
    ("J", "Energy"),
    ("kJ", "Energy"),
    ("Wh", "Energy"),
    ("W", "Power"),
    ("kW", "Power"),
    ("%", "Ratio"),
];

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier being typed: the ident characters just before the cursor.
fn word_before(text: &str, offset: usize) -> &str {
    let before = &text[..offset];
    let start = before.char_indices().rev().find(|(_, c)| !is_ident_char(*c)).map_or(0, |(i, c)| i + c.len_utf8());
    &before[start..]
}

/// Whether the text before the cursor is a number and the start of its unit (`50 m`, `2 N*`).
fn after_number(before: &str) -> bool {
    let mut rest = before.trim_end_matches(is_ident_char);
    // Earlier factors of a compound unit: `mm/`, `N*`, `m/s^2*`.
    loop {
        let trimmed = rest.trim_end_matches(['*', '/']);
        if trimmed.len() == rest.len() {
            break;
        }
        let unit = trimmed.trim_end_matches(|c: char| c.is_ascii_digit() || c == '^');
        let unit = unit.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
        if unit.len() == trimmed.len() {
            return false;
        }
        rest = unit;
    }
    let rest = rest.trim_end_matches([' ', '\t']);
    let number = rest.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_' || c == '.');
    number.len() < rest.len()
        && rest[number.len()..].starts_with(|c: char| c.is_ascii_digit())
        && !number.ends_with(is_ident_char)
}

/// The callee name and active argument index of the call whose parentheses hold the cursor, from
/// the text: the innermost unclosed `(`; `method` when the call is `a.f(..)`.
struct CallSite {
    name_end: usize,
    name: String,
    method: bool,
    active: usize,
    named: Vec<String>,
    at_arg_start: bool,
}

fn call_site(text: &str, offset: usize) -> Option<CallSite> {
    let before = &text[..offset];
    let mut depth = 0i32;
    let mut commas = 0usize;
    let mut open = None;
    let mut in_string = false;
    for (i, c) in before.char_indices().rev() {
        match c {
            '"' => in_string = !in_string,
            _ if in_string => {}
            ')' | ']' | '}' => depth += 1,
            '(' | '[' | '{' if depth > 0 => depth -= 1,
            '(' => {
                open = Some(i);
                break;
            }
            '[' | '{' => return None,
            ',' if depth == 0 => commas += 1,
            '\n' if depth == 0 && before[..i].trim_end().ends_with(['{', '}']) => return None,
            _ => {}
        }
    }
    let open = open?;
    let head = before[..open].trim_end();
    let name = word_before(head, head.len());
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let method = head[..head.len() - name.len()].ends_with('.');
    let args = &before[open + 1..];
    let named = args
        .split(',')
        .filter_map(|a| a.split_once('=').map(|(n, _)| n.trim().to_string()))
        .filter(|n| !n.is_empty() && n.chars().all(is_ident_char))
        .collect();
    let current = args.rsplit(',').next().unwrap_or("");
    let at_arg_start = current.trim_start().chars().all(is_ident_char);
    Some(CallSite {
        name_end: head.len(),
        name: name.to_string(),
        method,
        active: commas + usize::from(method),
        named,
        at_arg_start,
    })
}

/// The type written after the last `->` or the first `:` of a detail line, without a default.
fn type_of_detail(detail: &str) -> Option<String> {
    let ty = match detail.rsplit_once("->") {
        Some((_, t)) => t,
        None => detail.split_once(':')?.1,
    };
    let ty = ty.split('=').next().unwrap_or(ty).trim();
    (!ty.is_empty()).then(|| ty.to_string())
}

impl Analysis {
    /// What may be typed at `offset`.
    pub fn completions(&self, file: FileId, offset: usize) -> Vec<Completion> {
        let Some(data) = self.file(file) else { return Vec::new() };
        let text = data.text.as_str();
        let offset = text.floor_char_boundary(offset.min(text.len()));
        let before = &text[..offset];
        let word = word_before(text, offset);
        let head = &before[..before.len() - word.len()];
        if after_number(before) {
            return UNITS
                .iter()
                .map(|(u, d)| Completion {
                    label: u.to_string(),
                    kind: CompletionKind::Unit,
                    detail: Some(d.to_string()),
                    insert: None,
                })
                .collect();
        }
        if head.ends_with("::") {
            return self.path_completions(file, head);
        }
        if let Some(receiver) = head.strip_suffix('.')
            && !receiver.ends_with('.')
        {
            return self.member_completions(file, receiver);
        }
        let mut out = Vec::new();
        if let Some(call) = call_site(text, offset)
            && call.at_arg_start
            && let Some(f) = self.callee(file, &call)
        {
            for p in self.index.members(f).filter(|p| p.kind == SymbolKind::Param).skip(usize::from(call.method)) {
                if !call.named.contains(&p.name) {
                    let detail = Some(p.detail.trim_start_matches("param ").to_string());
                    let insert = Some(format!("{} = ", p.name));
                    out.push(Completion {
                        label: format!("{} =", p.name),
                        kind: CompletionKind::NamedArg,
                        detail,
                        insert,
                    });
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for local in scope::locals_at(&data.ast, offset as u32).into_iter().rev() {
            if seen.insert(local.name.clone()) {
                let detail = self.local_detail(local.span);
                out.push(Completion { label: local.name, kind: CompletionKind::Local, detail, insert: None });
            }
        }
        if file == self.main {
            for s in self.index.symbols.iter().filter(|s| s.kind == SymbolKind::Cell && s.name_span.file == file) {
                if seen.insert(s.name.clone()) {
                    out.push(symbol_completion(s));
                }
            }
        }
        for s in self.visible_items(file) {
            if seen.insert(s.name.clone()) {
                out.push(symbol_completion(s));
            }
        }
        for alias in self.module_aliases(file) {
            out.push(Completion { label: alias, kind: CompletionKind::Module, detail: None, insert: None });
        }
        for k in KEYWORDS {
            out.push(Completion { label: k.to_string(), kind: CompletionKind::Keyword, detail: None, insert: None });
        }
        for t in super::highlight::BUILTIN_TYPES {
            if seen.insert(t.to_string()) {
                out.push(Completion { label: t.to_string(), kind: CompletionKind::Type, detail: None, insert: None });
            }
        }
        out
    }

    /// The signature of the call around the cursor, with the parameter being typed.
    pub fn signature_help(&self, file: FileId, offset: usize) -> Option<SignatureHelp> {
        let text = self.text(file);
        let offset = text.floor_char_boundary(offset.min(text.len()));
        let call = call_site(text, offset)?;
        let f = self.callee(file, &call)?;
        let params: Vec<String> = self
            .index
            .members(f)
            .filter(|p| p.kind == SymbolKind::Param)
            .map(|p| p.detail.trim_start_matches("param ").to_string())
            .collect();
        let names: Vec<&str> =
            self.index.members(f).filter(|p| p.kind == SymbolKind::Param).map(|p| p.name.as_str()).collect();
        // A named argument being typed makes its parameter the active one.
        let current = text[..offset].rsplit([',', '(']).next().unwrap_or("");
        let active =
            current.split_once('=').and_then(|(n, _)| names.iter().position(|p| *p == n.trim())).unwrap_or(call.active);
        let keyword = if f.kind == SymbolKind::Skill { "skill" } else { "fn" };
        let label = format!("{keyword} {}({})", f.name, params.join(", "));
        Some(SignatureHelp { label, params, active, doc: f.doc.clone() })
    }

    /// The function a call site names: the declaration the checker resolved there, else the first
    /// visible function of that name.
    fn callee(&self, file: FileId, call: &CallSite) -> Option<&Symbol> {
        let at = call.name_end.saturating_sub(1);
        if let Some(s) = self.definition(file, at).and_then(|t| self.index.at_name(t))
            && matches!(s.kind, SymbolKind::Fn | SymbolKind::Skill)
        {
            return Some(s);
        }
        self.visible_items(file)
            .into_iter()
            .chain(self.index.symbols.iter().filter(|s| self.is_std(s.name_span.file)))
            .find(|s| s.name == call.name && matches!(s.kind, SymbolKind::Fn | SymbolKind::Skill))
    }

    fn local_detail(&self, decl: crate::span::Span) -> Option<String> {
        self.references.get(self.occurrences.resolved(decl)?).map(|r| r.detail.clone())
    }

    /// Items usable by plain name in a file: its own, those its `use`s import, and the prelude's.
    fn visible_items(&self, file: FileId) -> Vec<&Symbol> {
        let top = |s: &&Symbol| {
            matches!(
                s.kind,
                SymbolKind::Skill | SymbolKind::Fn | SymbolKind::Struct | SymbolKind::Enum | SymbolKind::Const
            )
        };
        let mut out: Vec<&Symbol> =
            self.index.symbols.iter().filter(|s| s.name_span.file == file).filter(top).collect();
        if let Some(data) = self.file(file) {
            for item in &data.ast.items {
                if let ast::ItemKind::Use(u) = &item.kind
                    && !u.names.is_empty()
                {
                    let path: Vec<&str> = u.path.iter().map(|i| i.name.as_str()).collect();
                    if let Some(m) = self.module_file(&path) {
                        let names: Vec<&str> = u.names.iter().map(|n| n.name.as_str()).collect();
                        out.extend(
                            self.index
                                .symbols
                                .iter()
                                .filter(|s| s.name_span.file == m && names.contains(&s.name.as_str()))
                                .filter(top),
                        );
                    }
                }
            }
        }
        if let Some(prelude) = self.module_file(&["std", "prelude"])
            && prelude != file
        {
            out.extend(self.index.symbols.iter().filter(|s| s.name_span.file == prelude).filter(top));
        }
        out
    }

    /// Modules a file names with `use std::motion` (usable as `motion::pick`).
    fn module_aliases(&self, file: FileId) -> Vec<String> {
        let Some(data) = self.file(file) else { return Vec::new() };
        data.ast
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ast::ItemKind::Use(u) if u.names.is_empty() => u.path.last().map(|p| p.name.clone()),
                _ => None,
            })
            .collect()
    }

    /// After `X::`: the variants of an enum, the items of a module, or the modules of `std`.
    fn path_completions(&self, file: FileId, head: &str) -> Vec<Completion> {
        let path = head.trim_end_matches("::");
        let last = word_before(path, path.len());
        if last == "std" {
            return self
                .files
                .iter()
                .filter_map(|f| f.path.strip_prefix("<std>/").and_then(|p| p.strip_suffix(".skill")))
                .map(|m| Completion { label: m.to_string(), kind: CompletionKind::Module, detail: None, insert: None })
                .collect();
        }
        if let Some(e) = self.index.item_named(last, &[SymbolKind::Enum], file, &self.files) {
            return self.index.members(e).map(symbol_completion).collect();
        }
        let module = if path.ends_with(&format!("std::{last}")) { vec!["std", last] } else { vec![last] };
        let module = self.module_file(&module).or_else(|| self.module_file(&["std", last]));
        module.map_or_else(Vec::new, |m| {
            self.index
                .symbols
                .iter()
                .filter(|s| s.name_span.file == m && s.container.is_none() && s.kind != SymbolKind::Test)
                .map(symbol_completion)
                .collect()
        })
    }

    /// After `receiver.`: the receiver's fields and the functions whose first parameter takes it.
    fn member_completions(&self, file: FileId, receiver: &str) -> Vec<Completion> {
        let Some(ty) = self.receiver_type(file, receiver) else { return Vec::new() };
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        if let Some(s) = self.index.item_named(&ty, &[SymbolKind::Struct], file, &self.files) {
            for f in self.index.members(s) {
                seen.insert(f.name.clone());
                out.push(symbol_completion(f));
            }
        }
        let prefix = format!("{ty}.");
        for r in self.references.iter().filter(|r| r.definition.is_none()) {
            if let Some(field) = r.detail.strip_prefix(&prefix).and_then(|d| d.split(':').next())
                && seen.insert(field.to_string())
            {
                let detail = Some(r.detail.clone());
                out.push(Completion { label: field.to_string(), kind: CompletionKind::Field, detail, insert: None });
            }
        }
        let std_files = self.index.symbols.iter().filter(|s| self.is_std(s.name_span.file));
        for f in self.visible_items(file).into_iter().chain(std_files) {
            if !matches!(f.kind, SymbolKind::Fn | SymbolKind::Skill) {
                continue;
            }
            let first = self.index.members(f).find(|p| p.kind == SymbolKind::Param);
            if first.and_then(|p| type_of_detail(&p.detail)).as_deref() == Some(ty.as_str())
                && seen.insert(f.name.clone())
            {
                out.push(symbol_completion(f));
            }
        }
        out
    }

    /// The type of the expression before a `.`, from what the checker said about its last name.
    fn receiver_type(&self, file: FileId, receiver: &str) -> Option<String> {
        let receiver = receiver.trim_end();
        let (end, call) = match receiver.strip_suffix(')') {
            Some(inner) => {
                let mut depth = 0;
                let open = inner.char_indices().rev().find_map(|(i, c)| match c {
                    ')' => {
                        depth += 1;
                        None
                    }
                    '(' if depth == 0 => Some(i),
                    '(' => {
                        depth -= 1;
                        None
                    }
                    _ => None,
                })?;
                (open, true)
            }
            None => (receiver.len(), false),
        };
        let name = word_before(receiver, end);
        if name.is_empty() {
            return None;
        }
        let detail = self
            .references
            .iter()
            .filter(|r| r.span.file == file && r.span.end as usize == end)
            .map(|r| r.detail.clone())
            .next()
            .or_else(|| {
                // Half-typed code may not have been resolved: any earlier use of the same name will do.
                self.references
                    .iter()
                    .filter(|r| r.span.file == file && (r.span.end as usize) < end && self.span_text(r.span) == name)
                    .map(|r| r.detail.clone())
                    .next_back()
            })
            .or_else(|| {
                let symbol = self.index.symbols.iter().find(|s| {
                    s.name == name && matches!(s.kind, SymbolKind::Cell | SymbolKind::Param | SymbolKind::Const)
                })?;
                Some(symbol.detail.clone())
            })?;
        let detail = if call || !detail.contains("->") { detail } else { detail.replace("->", "") };
        type_of_detail(&detail).map(|t| t.trim_end_matches('?').to_string())
    }
}

fn symbol_completion(s: &Symbol) -> Completion {
    let kind = match s.kind {
        SymbolKind::Skill => CompletionKind::Skill,
        SymbolKind::Fn => CompletionKind::Function,
        SymbolKind::Struct => CompletionKind::Struct,
        SymbolKind::Enum | SymbolKind::Variant => CompletionKind::Enum,
        SymbolKind::Field => CompletionKind::Field,
        SymbolKind::Const => CompletionKind::Const,
        SymbolKind::Cell => CompletionKind::Cell,
        SymbolKind::Param => CompletionKind::Local,
        SymbolKind::Test => CompletionKind::Keyword,
    };
    Completion { label: s.name.clone(), kind, detail: Some(s.detail.clone()), insert: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_context_is_recognised() {
        assert!(after_number("let x = 50 m"));
        assert!(after_number("let x = 50 "));
        assert!(after_number("let x = 2.5 N*"));
        assert!(after_number("f(250 mm/"));
        assert!(!after_number("let x = y m"));
        assert!(!after_number("let x2 m"));
        assert!(!after_number("let x = "));
    }

    #[test]
    fn call_site_counts_arguments() {
        let c = call_site("f(a, g(b, c), ", 14).expect("inside f");
        assert_eq!((c.name.as_str(), c.active, c.method), ("f", 2, false));
        let c = call_site("x.move(p, speed = 1", 19).expect("inside move");
        assert_eq!((c.name.as_str(), c.active, c.named), ("move", 2, vec!["speed".to_string()]));
        assert!(call_site("f(a)\n", 5).is_none());
    }
}
