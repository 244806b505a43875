//! Expressions by precedence climbing, low to high: `or`, `and`, `not`, comparisons (non-associative),
//! `+ -`, `* / %`, unary `-`, postfix (call, method call, field, index); then primaries, quantity
//! literals, struct literals and `match`.

use super::{Fail, PResult, Parser, is_upper};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;

fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span }
}

fn comparison(tok: Token) -> Option<BinOp> {
    Some(match tok {
        Token::EqEq => BinOp::Eq,
        Token::NotEq => BinOp::Ne,
        Token::Lt => BinOp::Lt,
        Token::Le => BinOp::Le,
        Token::Gt => BinOp::Gt,
        Token::Ge => BinOp::Ge,
        _ => return None,
    })
}

impl Parser<'_> {
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.guarded(|p| p.or_expr())
    }

    /// A condition (`if`, `while`, `ensure`, `requires`): `a = b` is reported with a hint to use `==`
    /// and read as `a == b`, so the rest of the statement parses.
    pub(super) fn cond_expr(&mut self) -> PResult<Expr> {
        let lhs = self.expr()?;
        if self.peek() != Token::Assign {
            return Ok(lhs);
        }
        let eq = self.bump();
        self.report(
            Diagnostic::error("E0012", "expected a condition, found an assignment")
                .at(eq, "'=' assigns")
                .help("to compare, use '=='"),
        );
        self.skip_newlines();
        let rhs = self.expr()?;
        Ok(binary(BinOp::Eq, lhs, rhs))
    }

    /// `&&`, `||` and `!` are reported with the Deft word and read as it.
    fn foreign_operator(&mut self, word: &str) {
        let found = self.peek().describe();
        let span = self.cur_span();
        self.report(
            Diagnostic::error("E0019", format!("{found} is not a Deft operator"))
                .at(span, format!("write '{word}'"))
                .help(format!("Deft spells this operator '{word}'")),
        );
    }

    fn or_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.and_expr()?;
        while matches!(self.peek(), Token::Or | Token::PipePipe) {
            if self.peek() == Token::PipePipe {
                self.foreign_operator("or");
            }
            self.bump();
            self.skip_newlines();
            let rhs = self.and_expr()?;
            lhs = binary(BinOp::Or, lhs, rhs);
        }
        Ok(lhs)
    }

    fn and_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.not_expr()?;
        while matches!(self.peek(), Token::And | Token::AmpAmp) {
            if self.peek() == Token::AmpAmp {
                self.foreign_operator("and");
            }
            self.bump();
            self.skip_newlines();
            let rhs = self.not_expr()?;
            lhs = binary(BinOp::And, lhs, rhs);
        }
        Ok(lhs)
    }

    fn not_expr(&mut self) -> PResult<Expr> {
        if matches!(self.peek(), Token::Not | Token::Bang) {
            if self.peek() == Token::Bang {
                self.foreign_operator("not");
            }
            let start = self.bump();
            let expr = self.guarded(|p| p.not_expr())?;
            let span = start.to(expr.span);
            return Ok(Expr { kind: ExprKind::Unary { op: UnaryOp::Not, expr: Box::new(expr) }, span });
        }
        self.cmp_expr()
    }

    fn cmp_expr(&mut self) -> PResult<Expr> {
        let lhs = self.add_expr()?;
        let Some(op) = comparison(self.peek()) else { return Ok(lhs) };
        self.bump();
        self.skip_newlines();
        let rhs = self.add_expr()?;
        let mut out = binary(op, lhs, rhs);
        // Comparisons do not chain; report once and read the rest left to right.
        while let Some(op) = comparison(self.peek()) {
            let at = self.bump();
            self.report(
                Diagnostic::error("E0013", "comparisons cannot be chained")
                    .at(at, "second comparison")
                    .with(out.span, "first comparison")
                    .help("combine them with 'and': 'a < b and b < c'"),
            );
            self.skip_newlines();
            let rhs = self.add_expr()?;
            out = binary(op, out, rhs);
        }
        Ok(out)
    }

    fn add_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.mul_expr()?;
        loop {
            let op = match self.peek() {
                Token::Plus => BinOp::Add,
                Token::Minus => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.bump();
            self.skip_newlines();
            let rhs = self.mul_expr()?;
            lhs = binary(op, lhs, rhs);
        }
    }

    fn mul_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.unary_expr()?;
        loop {
            let op = match self.peek() {
                Token::Star => BinOp::Mul,
                Token::Slash => BinOp::Div,
                Token::Percent => BinOp::Rem,
                _ => return Ok(lhs),
            };
            self.bump();
            self.skip_newlines();
            let rhs = self.unary_expr()?;
            lhs = binary(op, lhs, rhs);
        }
    }

    fn unary_expr(&mut self) -> PResult<Expr> {
        if self.peek() == Token::Minus {
            let start = self.bump();
            let expr = self.guarded(|p| p.unary_expr())?;
            let span = start.to(expr.span);
            return Ok(Expr { kind: ExprKind::Unary { op: UnaryOp::Neg, expr: Box::new(expr) }, span });
        }
        self.postfix_expr()
    }

    fn postfix_expr(&mut self) -> PResult<Expr> {
        let mut expr = self.primary()?;
        loop {
            // A line starting with `.` continues a method chain; no statement starts with `.`.
            if self.nth_past_newlines(0) == Token::Dot {
                self.skip_newlines();
            }
            match self.peek() {
                Token::Dot => {
                    self.bump();
                    let name = self.name_or_keyword()?;
                    if self.peek() == Token::LParen && !self.newline_before() {
                        let (args, _) = self.args()?;
                        let span = self.span_from(expr.span.start as usize);
                        let kind = ExprKind::MethodCall { receiver: Box::new(expr), method: name, args };
                        expr = Expr { kind, span };
                    } else {
                        let span = expr.span.to(name.span);
                        expr = Expr { kind: ExprKind::Field { expr: Box::new(expr), name }, span };
                    }
                }
                Token::LParen if !self.newline_before() => {
                    let (args, _) = self.args()?;
                    let span = self.span_from(expr.span.start as usize);
                    expr = Expr { kind: ExprKind::Call { callee: Box::new(expr), args }, span };
                }
                Token::LBracket if !self.newline_before() => {
                    let open = self.bump();
                    let index = self.nested(true, |p| p.bracketed_expr(open, Token::LBracket, Token::RBracket));
                    let span = self.span_from(expr.span.start as usize);
                    expr = Expr { kind: ExprKind::Index { expr: Box::new(expr), index: Box::new(index) }, span };
                }
                _ => return Ok(expr),
            }
        }
    }

    /// After an opener: one expression and the closer. A bad expression is skipped to the closer.
    fn bracketed_expr(&mut self, open: Span, open_tok: Token, close: Token) -> Expr {
        let start = self.cur_range().start;
        let expr = match self.expr() {
            Ok(e) => e,
            Err(Fail) => {
                self.recover_to(&[close]);
                Expr { kind: ExprKind::Error, span: self.span_from(start) }
            }
        };
        if self.peek() == close {
            self.bump();
        } else if self.peek() == Token::Eof || self.peek() == Token::RBrace || self.newline_before() {
            self.unclosed(open, open_tok, close);
        } else {
            let d = self.error_expected(close.describe());
            self.report(d);
            self.recover_to(&[close]);
            self.eat(close);
        }
        expr
    }

    /// `(a, name = b)`.
    fn args(&mut self) -> PResult<(Vec<Arg>, Span)> {
        self.delimited(
            Token::LParen,
            Token::RParen,
            false,
            |p| {
                let name = if p.peek() == Token::Ident && matches!(p.nth(1), Token::Assign | Token::Colon) {
                    let name = p.ident()?;
                    if p.peek() == Token::Colon {
                        let d = p
                            .error_expected("'='")
                            .help(format!("a named argument is written '{} = value'", name.name));
                        p.report(d);
                    }
                    p.bump();
                    Some(name)
                } else {
                    None
                };
                Ok(Arg { name, value: p.expr()? })
            },
            |span| Some(Arg { name: None, value: Expr { kind: ExprKind::Error, span } }),
        )
    }

    fn primary(&mut self) -> PResult<Expr> {
        let span = self.cur_span();
        let kind = match self.peek() {
            Token::Int | Token::Real => return Ok(self.number()),
            Token::True | Token::False => {
                let value = self.peek() == Token::True;
                self.bump();
                ExprKind::Bool(value)
            }
            Token::None => {
                self.bump();
                ExprKind::None
            }
            Token::Str | Token::UnterminatedStr => return Ok(self.string_expr()),
            Token::Ident => return self.name_expr(),
            Token::LParen => {
                let open = self.bump();
                let inner = self.nested(true, |p| p.bracketed_expr(open, Token::LParen, Token::RParen));
                // Keep the inner node; widen its span to the parentheses for diagnostics.
                return Ok(Expr { kind: inner.kind, span: self.span_from(span.start as usize) });
            }
            Token::LBracket => {
                let (items, span) = self.delimited(
                    Token::LBracket,
                    Token::RBracket,
                    false,
                    |p| p.expr(),
                    |span| Some(Expr { kind: ExprKind::Error, span }),
                )?;
                return Ok(Expr { kind: ExprKind::List(items), span });
            }
            Token::Match => return self.match_expr(),
            _ => return Err(self.unexpected("expression")),
        };
        Ok(Expr { kind, span })
    }

    /// A name, a path `A::B`, or a struct literal `Name { f: e }`. A literal needs an upper-case name
    /// and `{ field:` after it, so `if ready {` and `for s in parts {` open blocks.
    fn name_expr(&mut self) -> PResult<Expr> {
        let first = self.ident()?;
        if self.peek() == Token::ColonColon {
            let mut path = vec![first];
            while self.eat(Token::ColonColon) {
                path.push(self.ident()?);
            }
            let span = path[0].span.to(path[path.len() - 1].span);
            return Ok(Expr { kind: ExprKind::Path(path), span });
        }
        let literal = is_upper(&first.name)
            && self.peek() == Token::LBrace
            && self.nth_past_newlines(1) == Token::Ident
            && self.nth_past_newlines(2) == Token::Colon;
        if !literal {
            let span = first.span;
            return Ok(Expr { kind: ExprKind::Name(first), span });
        }
        let start = first.span.start as usize;
        let (fields, _) = self.delimited(
            Token::LBrace,
            Token::RBrace,
            true,
            |p| {
                let name = p.ident()?;
                p.expect(Token::Colon)?;
                Ok(FieldInit { name, value: p.expr()? })
            },
            |_| None,
        )?;
        Ok(Expr { kind: ExprKind::StructLit { name: first, fields }, span: self.span_from(start) })
    }

    /// An integer or real literal, or a quantity when a unit follows on the same line.
    fn number(&mut self) -> Expr {
        let is_int = self.peek() == Token::Int;
        let text = self.cur_text();
        let span = self.bump();
        let digits: String = text.chars().filter(|c| *c != '_').collect();
        if self.unit_follows() {
            let value = digits.parse::<f64>().unwrap_or(f64::NAN);
            return match self.unit_expr() {
                Ok(unit) => {
                    let span = span.to(unit.span);
                    Expr { kind: ExprKind::Quantity { value, text: text.to_string(), unit }, span }
                }
                Err(Fail) => Expr { kind: ExprKind::Error, span: self.span_from(span.start as usize) },
            };
        }
        if is_int {
            match digits.parse::<i64>() {
                Ok(v) => Expr { kind: ExprKind::Int(v), span },
                Err(_) => {
                    self.report(
                        Diagnostic::error("E0004", "integer literal is too large")
                            .at(span, "does not fit in 64 bits")
                            .help("write it as a real number, such as 1.0e20"),
                    );
                    Expr { kind: ExprKind::Error, span }
                }
            }
        } else {
            Expr { kind: ExprKind::Real(digits.parse::<f64>().unwrap_or(f64::NAN)), span }
        }
    }

    /// Whether the token after a number starts its unit: a name (or `in`, the inch) on the same line,
    /// or `%` unless an operand follows it (then `%` is the remainder: `10 % 3`).
    fn unit_follows(&mut self) -> bool {
        if self.newline_before() {
            return false;
        }
        match self.peek() {
            Token::Ident | Token::In => true,
            Token::Percent => {
                !matches!(self.nth(1), Token::Int | Token::Real | Token::Ident | Token::LParen | Token::Str)
            }
            _ => false,
        }
    }

    fn match_expr(&mut self) -> PResult<Expr> {
        let start = self.bump().start as usize;
        let scrutinee = self.expr()?;
        let (arms, _) = self.delimited(
            Token::LBrace,
            Token::RBrace,
            true,
            |p| {
                let arm_start = p.cur_range().start;
                let pattern = p.pattern()?;
                p.expect(Token::FatArrow)?;
                p.skip_newlines();
                let body = p.expr()?;
                Ok(MatchArm { pattern, body, span: p.span_from(arm_start) })
            },
            |_| None,
        )?;
        Ok(Expr { kind: ExprKind::Match { scrutinee: Box::new(scrutinee), arms }, span: self.span_from(start) })
    }

    /// `_`, `none`, a binding `x`, or a variant `A::B` / `A::B(x, y)`.
    fn pattern(&mut self) -> PResult<Pattern> {
        let start = self.cur_range().start;
        if self.eat(Token::None) {
            return Ok(Pattern { kind: PatternKind::None, span: self.span_from(start) });
        }
        if self.peek() != Token::Ident {
            return Err(self.unexpected("pattern"));
        }
        let first = self.ident()?;
        if first.name == "_" {
            return Ok(Pattern { kind: PatternKind::Wildcard, span: first.span });
        }
        let mut path = vec![first];
        while self.eat(Token::ColonColon) {
            path.push(self.ident()?);
        }
        let bindings = if self.peek() == Token::LParen {
            self.delimited(Token::LParen, Token::RParen, false, |p| p.ident(), |_| None)?.0
        } else if path.len() == 1 {
            let name = path.remove(0);
            return Ok(Pattern { kind: PatternKind::Binding(name), span: self.span_from(start) });
        } else {
            Vec::new()
        };
        Ok(Pattern { kind: PatternKind::Variant { path, bindings }, span: self.span_from(start) })
    }
}
