//! Type expressions (`Name`, `[T]`, `T?`, `[N/mm]`) and unit expressions (`N*m`, `m/s^2`, `%`).

use super::{Fail, PResult, Parser};
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;

impl Parser<'_> {
    pub(super) fn type_expr(&mut self) -> PResult<TypeExpr> {
        self.guarded(|p| p.type_inner())
    }

    fn type_inner(&mut self) -> PResult<TypeExpr> {
        let start = self.cur_range().start;
        let mut ty = match self.peek() {
            Token::Ident => {
                let name = self.ident()?;
                let span = name.span;
                TypeExpr { kind: TypeExprKind::Named(name), span }
            }
            Token::LBracket => self.bracket_type(),
            _ => return Err(self.unexpected("type")),
        };
        while self.peek() == Token::Question && !self.newline_before() {
            self.bump();
            ty = TypeExpr { kind: TypeExprKind::Optional(Box::new(ty)), span: self.span_from(start) };
        }
        Ok(ty)
    }

    /// `[T]` or `[unit]`: a unit when the contents are a unit expression holding `*`, `/`, `^` or `%`,
    /// or starting with a lower-case name.
    fn bracket_type(&mut self) -> TypeExpr {
        let open = self.bump();
        let start = open.start as usize;
        let is_unit = self.brackets_hold_unit();
        self.nested(true, |p| {
            let inner = if is_unit {
                p.unit_expr().map(TypeExprKind::Unit)
            } else {
                p.type_expr().map(|t| TypeExprKind::List(Box::new(t)))
            };
            let kind = match inner {
                Ok(kind) => kind,
                Err(Fail) => {
                    p.recover_to(&[Token::RBracket]);
                    TypeExprKind::Error
                }
            };
            if p.peek() == Token::RBracket {
                p.bump();
            } else {
                p.unclosed(open, Token::LBracket, Token::RBracket);
            }
            TypeExpr { kind, span: p.span_from(start) }
        })
    }

    /// Look ahead (the `[` already consumed) to the matching `]`.
    fn brackets_hold_unit(&mut self) -> bool {
        let mut first = true;
        let mut lower_first = false;
        let mut operator = false;
        for (tok, range) in self.toks[self.pos.min(self.toks.len())..].iter() {
            match tok {
                Token::RBracket => break,
                Token::Newline => continue,
                Token::Ident | Token::In => {
                    if first {
                        lower_first = self.src[range.clone()].starts_with(|c: char| c.is_ascii_lowercase());
                    }
                }
                Token::Star | Token::Slash | Token::Caret | Token::Percent => operator = true,
                Token::Int | Token::Minus => {}
                _ => return false,
            }
            first = false;
        }
        operator || lower_first
    }

    /// `unit (('*' | '/') unit)*` with `unit = name ('^' '-'? INT)?`. After a unit, `*` or `/` continues
    /// it only when a unit name follows, so in `2 mm * 3` the unit is `mm`.
    pub(super) fn unit_expr(&mut self) -> PResult<UnitExpr> {
        let start = self.cur_range().start;
        let mut factors = vec![self.unit_factor(1)?];
        loop {
            let sign = match self.peek() {
                Token::Star => 1,
                Token::Slash => -1,
                _ => break,
            };
            if self.newline_before() || !matches!(self.nth(1), Token::Ident | Token::In | Token::Percent) {
                break;
            }
            self.bump();
            factors.push(self.unit_factor(sign)?);
        }
        Ok(UnitExpr { factors, span: self.span_from(start) })
    }

    fn unit_factor(&mut self, sign: i32) -> PResult<UnitFactor> {
        let name = match self.peek() {
            Token::Ident | Token::In | Token::Percent => {
                let name = self.cur_text().to_string();
                crate::syntax::ast::Ident { name, span: self.bump() }
            }
            _ => return Err(self.unexpected("unit name")),
        };
        let mut power = 1;
        if self.peek() == Token::Caret && !self.newline_before() {
            self.bump();
            let negative = self.eat(Token::Minus);
            if self.peek() != Token::Int {
                return Err(self.unexpected("integer power"));
            }
            let text = self.cur_text();
            let span = self.bump();
            power = match text.replace('_', "").parse::<i32>() {
                Ok(p) if p <= 64 => p,
                _ => {
                    self.report(
                        crate::diagnostic::Diagnostic::error("E0004", "unit power is too large").at(span, "at most 64"),
                    );
                    1
                }
            };
            if negative {
                power = -power;
            }
        }
        Ok(UnitFactor { name, power: power * sign })
    }
}
