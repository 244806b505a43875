//! The parser's error type: chumsky's "expected X, found Y" merged at the furthest position, or a
//! finished diagnostic (`E0011`, `E0012`, ...) emitted by the grammar itself.

use super::{Cx, Inp, Tk};
use crate::diagnostic::Diagnostic;
use crate::syntax::lexer::Token;
use chumsky::DefaultExpected;
use chumsky::error::{Error, LabelError};
use chumsky::span::SimpleSpan;
use chumsky::util::MaybeRef;

/// The label of operator parsers. Operators are tried after every operand, so they are expected almost
/// everywhere; they are named only when nothing else was expected.
pub(super) const OPERATOR: &str = "operator";

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Exp {
    Tok(Token),
    Label(&'static str),
    End,
}

#[derive(Debug)]
pub(super) enum PErr {
    Expected { span: SimpleSpan, expected: Vec<Exp>, found: Option<Token> },
    Diag(Box<Diagnostic>),
}

impl PErr {
    /// A failure of a lookahead or guard: nothing in particular was expected.
    pub fn silent(span: SimpleSpan, found: Option<Tk>) -> PErr {
        PErr::Expected { span, expected: Vec::new(), found: found.map(|t| t.kind) }
    }

    pub fn label(span: SimpleSpan, found: Option<Tk>, label: &'static str) -> PErr {
        PErr::Expected { span, expected: vec![Exp::Label(label)], found: found.map(|t| t.kind) }
    }

    /// Where the mistake is (byte offset).
    pub fn position(&self) -> Option<usize> {
        match self {
            PErr::Expected { span, .. } => Some(span.start),
            PErr::Diag(d) => d.primary_span().map(|s| s.start as usize),
        }
    }

    pub fn diag(d: Diagnostic) -> PErr {
        PErr::Diag(Box::new(d))
    }

    pub fn into_diag(self, cx: Cx) -> Diagnostic {
        let (span, expected, found) = match self {
            PErr::Diag(d) => return *d,
            PErr::Expected { span, expected, found } => (span, expected, found),
        };
        let labels: Vec<&str> = expected
            .iter()
            .filter_map(|e| match e {
                Exp::Label(l) if *l != OPERATOR => Some(*l),
                _ => None,
            })
            .collect();
        let mut names: Vec<&str> = if labels.is_empty() {
            expected
                .iter()
                .filter_map(|e| match e {
                    Exp::Tok(t) => Some(t.describe()),
                    Exp::End => Some(Token::Eof.describe()),
                    Exp::Label(_) => None,
                })
                .collect()
        } else {
            labels
        };
        if names.is_empty() && expected.contains(&Exp::Label(OPERATOR)) {
            names.push(OPERATOR);
        }
        let mut unique: Vec<&str> = Vec::new();
        for n in names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        let what = match unique.as_slice() {
            [] => "something else".to_string(),
            [one] => one.to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        };
        let found = cx.found(found.map(|k| (super::tk(k), span)));
        let mut d = Diagnostic::error("E0010", format!("expected {what}, found {found}"))
            .at(cx.span(span), format!("expected {what}"));
        if let Some(help) = help_for(&what) {
            d = d.help(help);
        }
        d
    }
}

fn help_for(what: &str) -> Option<&'static str> {
    Some(match what {
        "end of line" => "put each statement on its own line, or separate them with ';'",
        "an item" => "a file holds items: 'skill', 'fn', 'struct', 'enum', 'const', 'cell', 'use' and 'test'",
        "'else'" => "write 'ensure condition else \"message\"'",
        "'recover'" => "write 'try { ... } recover e { ... }'",
        _ => return None,
    })
}

impl<'s> Error<'s, Inp<'s>> for PErr {
    fn merge(self, other: PErr) -> PErr {
        match (self, other) {
            (PErr::Expected { span, mut expected, found }, PErr::Expected { expected: more, .. }) => {
                for e in more {
                    if !expected.contains(&e) {
                        expected.push(e);
                    }
                }
                PErr::Expected { span, expected, found }
            }
            (d @ PErr::Diag(_), _) => d,
            (_, d) => d,
        }
    }
}

impl<'s> LabelError<'s, Inp<'s>, DefaultExpected<'s, Tk>> for PErr {
    fn expected_found<E: IntoIterator<Item = DefaultExpected<'s, Tk>>>(
        expected: E,
        found: Option<MaybeRef<'s, Tk>>,
        span: SimpleSpan,
    ) -> PErr {
        let expected = expected
            .into_iter()
            .filter_map(|e| match e {
                DefaultExpected::Token(t) => Some(Exp::Tok(t.kind)),
                DefaultExpected::EndOfInput => Some(Exp::End),
                _ => None,
            })
            .collect();
        PErr::Expected { span, expected, found: found.map(|t| t.kind) }
    }
}

impl<'s> LabelError<'s, Inp<'s>, &'static str> for PErr {
    fn expected_found<E: IntoIterator<Item = &'static str>>(
        expected: E,
        found: Option<MaybeRef<'s, Tk>>,
        span: SimpleSpan,
    ) -> PErr {
        PErr::Expected { span, expected: expected.into_iter().map(Exp::Label).collect(), found: found.map(|t| t.kind) }
    }

    fn label_with(&mut self, label: &'static str) {
        if let PErr::Expected { expected, .. } = self {
            *expected = vec![Exp::Label(label)];
        }
    }
}
