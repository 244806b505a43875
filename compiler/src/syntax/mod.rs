//! Syntax: the logos lexer, the chumsky parser and the syntax tree.

pub mod ast;
