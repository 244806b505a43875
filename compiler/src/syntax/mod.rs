//! Syntax: the logos lexer, the chumsky parser and the syntax tree.
//!
//! The parser (`chumsky/`) is chumsky 0.13 combinators over the logos tokens, with a pratt parser for
//! operators. Three rules of the language are settled before or beside the grammar: a token pre-pass
//! keeps only the line breaks that can end a statement (not inside `( )`/`[ ]`, not after an operator
//! or `,`); a number followed by a unit name on the same line is a quantity (`%` only when no operand
//! follows); and recovery gives exactly one diagnostic per mistake, by skipping to the next `,`,
//! closer, line or item with brackets skipped whole and by reporting a missing closer against its
//! opener.
//!
//! Diagnostic codes of this stage:
//!
//! | code  | meaning |
//! |-------|---------|
//! | E0001 | invalid character |
//! | E0002 | unterminated string |
//! | E0003 | unknown escape in a string |
//! | E0004 | number too large (integer literal, unit power) |
//! | E0005 | bad interpolation in a string: unclosed `{`, unmatched `}`, empty `{}` |
//! | E0006 | nesting deeper than 64 levels, or an expression more than 100 operators deep (bounds every recursive pass) |
//! | E0007 | string in single quotes (read as the double-quoted string) |
//! | E0010 | unexpected token: `expected X, found Y` |
//! | E0011 | missing closing delimiter; the opener is a secondary label |
//! | E0012 | `=` where a condition is expected (help: use `==`) |
//! | E0013 | chained comparison `a < b < c` |
//! | E0014 | assignment to something that is not a variable, list element or field |
//! | E0016 | `extern` item with a body |
//! | E0017 | `requires`, `ensures` or `limits` given twice |
//! | E0018 | a limit written with an operator other than `<=` |
//! | E0019 | `&&`, `\|\|` or `!` instead of `and`, `or`, `not` |

pub mod ast;
mod chumsky;
mod depth;
pub mod lexer;
#[cfg(test)]
mod tests;

pub use lexer::{Token, lex};

use crate::diagnostic::Diagnostic;
use crate::span::FileId;

/// Parse one file. Never fails: a file with mistakes gives a partial tree (with `Error` nodes where
/// the parser skipped input) and one diagnostic per mistake.
pub fn parse(file: FileId, source: &str) -> (ast::Module, Vec<Diagnostic>) {
    let (mut module, mut diags) = chumsky::parse_chumsky(file, source);
    depth::bound_expressions(&mut module, &mut diags);
    (module, diags)
}
