//! The one place where compiler diagnostics and positions become LSP ones. LSP columns count UTF-16
//! code units, compiler spans count bytes.

use deft_compiler::analysis::{CompletionKind, SemanticToken, SymbolKind, TokenKind};
use deft_compiler::{Diagnostic, Severity};
use tower_lsp_server::ls_types::{
    self as lsp, DiagnosticRelatedInformation, Location, NumberOrString, Position, Range, Uri,
};

/// The LSP position of a byte offset.
pub fn position(text: &str, offset: usize) -> Position {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    Position { line: line as u32, character: character as u32 }
}

/// The byte offset of an LSP position (clamped to the text).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0u32;
    for (i, c) in text[line_start..].char_indices() {
        if units >= pos.character || c == '\n' {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

pub fn span_range(text: &str, start: usize, end: usize) -> Range {
    Range { start: position(text, start), end: position(text, end) }
}

/// Convert a diagnostic whose primary span is in the document `uri` with `text`. Secondary labels
/// become related information.
pub fn diagnostic(d: &Diagnostic, uri: &Uri, text: &str) -> lsp::Diagnostic {
    let span = d.primary_span();
    let range = span.map_or(Range::default(), |s| span_range(text, s.start as usize, s.end as usize));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| !l.primary && !l.message.is_empty() && Some(l.span.file) == span.map(|s| s.file))
        .map(|l| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: span_range(text, l.span.start as usize, l.span.end as usize),
            },
            message: l.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("deft".to_string()),
        message,
        related_information: if related.is_empty() { None } else { Some(related) },
        ..Default::default()
    }
}

/// The semantic token types, in the order of [`token_index`]; `quantity` and `unit` are Deft's own.
pub fn token_legend() -> lsp::SemanticTokensLegend {
    let types = [
        "keyword",
        "comment",
        "string",
        "number",
        "quantity",
        "unit",
        "function",
        "variable",
        "parameter",
        "type",
        "struct",
        "enum",
        "enumMember",
        "property",
    ];
    lsp::SemanticTokensLegend {
        token_types: types.iter().map(|t| lsp::SemanticTokenType::new(t)).collect(),
        token_modifiers: Vec::new(),
    }
}

pub fn token_index(kind: TokenKind) -> u32 {
    match kind {
        TokenKind::Keyword => 0,
        TokenKind::Comment => 1,
        TokenKind::String => 2,
        TokenKind::Number => 3,
        TokenKind::Quantity => 4,
        TokenKind::Unit => 5,
        TokenKind::Function => 6,
        TokenKind::Variable => 7,
        TokenKind::Parameter => 8,
        TokenKind::Type => 9,
        TokenKind::Struct => 10,
        TokenKind::Enum => 11,
        TokenKind::EnumMember => 12,
        TokenKind::Property => 13,
    }
}

/// Semantic tokens in the LSP's relative encoding (line and start deltas, UTF-16 lengths).
pub fn semantic_tokens(text: &str, tokens: &[SemanticToken]) -> Vec<lsp::SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut line, mut col) = (0u32, 0u32);
    for t in tokens {
        let start = position(text, t.span.start as usize);
        let end = position(text, t.span.end as usize);
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 { start.character - col } else { start.character };
        out.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: token_index(t.kind),
            token_modifiers_bitset: 0,
        });
        (line, col) = (start.line, start.character);
    }
    out
}

pub fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Skill | SymbolKind::Fn => lsp::SymbolKind::FUNCTION,
        SymbolKind::Struct => lsp::SymbolKind::STRUCT,
        SymbolKind::Enum => lsp::SymbolKind::ENUM,
        SymbolKind::Variant => lsp::SymbolKind::ENUM_MEMBER,
        SymbolKind::Field => lsp::SymbolKind::FIELD,
        SymbolKind::Const => lsp::SymbolKind::CONSTANT,
        SymbolKind::Cell => lsp::SymbolKind::VARIABLE,
        SymbolKind::Param => lsp::SymbolKind::VARIABLE,
        SymbolKind::Test => lsp::SymbolKind::METHOD,
    }
}

pub fn completion_kind(kind: CompletionKind) -> lsp::CompletionItemKind {
    match kind {
        CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
        CompletionKind::Local => lsp::CompletionItemKind::VARIABLE,
        CompletionKind::Function | CompletionKind::Skill => lsp::CompletionItemKind::FUNCTION,
        CompletionKind::Struct => lsp::CompletionItemKind::STRUCT,
        CompletionKind::Enum => lsp::CompletionItemKind::ENUM,
        CompletionKind::Field => lsp::CompletionItemKind::FIELD,
        CompletionKind::Const => lsp::CompletionItemKind::CONSTANT,
        CompletionKind::Cell => lsp::CompletionItemKind::VARIABLE,
        CompletionKind::Unit => lsp::CompletionItemKind::UNIT,
        CompletionKind::NamedArg => lsp::CompletionItemKind::PROPERTY,
        CompletionKind::Module => lsp::CompletionItemKind::MODULE,
        CompletionKind::Type => lsp::CompletionItemKind::CLASS,
    }
}
