//! Items: `use`, `cell`, `const`, `struct`, `enum`, `fn`/`skill` (plain or `extern`) and `test`.

use super::{Fail, PResult, Parser};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;

impl Parser<'_> {
    pub(super) fn items(&mut self) -> Vec<Item> {
        let mut items = Vec::new();
        let mut had_errors = false;
        loop {
            self.skip_newlines();
            while self.eat(Token::Semi) {
                self.skip_newlines();
            }
            if self.peek() == Token::Eof {
                return items;
            }
            let before = self.pos;
            if had_errors && !self.peek().starts_item() {
                // Left over from a mistake in the item before (say a block that closed early
                // because a `{` was missing): already reported, so skip quietly to the next item.
                self.sync_item();
                had_errors = false;
                if self.pos == before {
                    self.bump();
                }
                continue;
            }
            let diags_before = self.diags.len();
            match self.item() {
                Ok(item) => {
                    items.push(item);
                    let tok = self.peek();
                    let ends = matches!(tok, Token::Newline | Token::Semi | Token::Eof)
                        || (tok.starts_item() && self.newline_before());
                    if !ends {
                        let d = self.error_expected("end of line after item");
                        self.report(d);
                        self.sync_item();
                    }
                }
                Err(Fail) => self.sync_item(),
            }
            had_errors = self.diags.len() > diags_before;
            if self.pos == before {
                // Never loop without progress, whatever the input.
                self.bump();
            }
        }
    }

    fn item(&mut self) -> PResult<Item> {
        let doc = self.docs.get(&self.pos).cloned();
        let start = self.cur_range().start;
        let public = self.eat(Token::Pub);
        let kind = match self.peek() {
            Token::Use => self.use_item()?,
            Token::Cell => self.cell_item()?,
            Token::Const => self.const_item()?,
            Token::Struct => self.struct_item()?,
            Token::Enum => self.enum_item()?,
            Token::Fn | Token::Skill | Token::Extern => self.fn_item()?,
            Token::Test => self.test_item()?,
            _ => {
                let d = self
                    .error_expected("an item")
                    .help("a file holds items: 'skill', 'fn', 'struct', 'enum', 'const', 'cell', 'use' and 'test'");
                self.report(d);
                return Err(Fail);
            }
        };
        Ok(Item { doc, public, kind, span: self.span_from(start) })
    }

    fn use_item(&mut self) -> PResult<ItemKind> {
        self.bump();
        let mut path = vec![self.ident()?];
        let mut names = Vec::new();
        while self.eat(Token::ColonColon) {
            if self.peek() == Token::LBrace {
                names = self.delimited(Token::LBrace, Token::RBrace, true, |p| p.ident(), |_| None)?.0;
                break;
            }
            path.push(self.ident()?);
        }
        Ok(ItemKind::Use(UseItem { path, names }))
    }

    fn cell_item(&mut self) -> PResult<ItemKind> {
        self.bump();
        let (entries, _) = self.delimited(
            Token::LBrace,
            Token::RBrace,
            true,
            |p| {
                let doc = p.docs.get(&p.pos).cloned();
                let start = p.cur_range().start;
                let name = p.ident()?;
                p.expect(Token::Colon)?;
                let ty = p.type_expr()?;
                Ok(CellEntry { doc, name, ty, span: p.span_from(start) })
            },
            |_| None,
        )?;
        Ok(ItemKind::Cell(CellBlock { entries }))
    }

    fn const_item(&mut self) -> PResult<ItemKind> {
        self.bump();
        let name = self.ident()?;
        let ty = if self.eat(Token::Colon) { Some(self.type_expr()?) } else { None };
        self.expect(Token::Assign)?;
        self.skip_newlines();
        let value = self.expr()?;
        Ok(ItemKind::Const(ConstItem { name, ty, value }))
    }

    fn struct_item(&mut self) -> PResult<ItemKind> {
        self.bump();
        let name = self.ident()?;
        let (fields, _) = self.delimited(
            Token::LBrace,
            Token::RBrace,
            true,
            |p| {
                let doc = p.docs.get(&p.pos).cloned();
                let start = p.cur_range().start;
                let name = p.ident()?;
                p.expect(Token::Colon)?;
                let ty = p.type_expr()?;
                Ok(FieldDef { doc, name, ty, span: p.span_from(start) })
            },
            |_| None,
        )?;
        Ok(ItemKind::Struct(StructItem { name, fields }))
    }

    fn enum_item(&mut self) -> PResult<ItemKind> {
        self.bump();
        let name = self.ident()?;
        let (variants, _) = self.delimited(
            Token::LBrace,
            Token::RBrace,
            true,
            |p| {
                let doc = p.docs.get(&p.pos).cloned();
                let start = p.cur_range().start;
                let name = p.ident()?;
                let fields = if p.peek() == Token::LParen && !p.newline_before() {
                    p.delimited(Token::LParen, Token::RParen, false, |p| p.type_expr(), |s| Some(p_type_error(s)))?.0
                } else {
                    Vec::new()
                };
                Ok(Variant { doc, name, fields, span: p.span_from(start) })
            },
            |_| None,
        )?;
        Ok(ItemKind::Enum(EnumItem { name, variants }))
    }

    fn fn_item(&mut self) -> PResult<ItemKind> {
        let is_extern = self.eat(Token::Extern);
        let kind = match self.peek() {
            Token::Fn => FnKind::Fn,
            Token::Skill => FnKind::Skill,
            _ => return Err(self.unexpected("'skill' or 'fn'")),
        };
        self.bump();
        let name = self.name_or_keyword()?;
        let (params, _) = self.delimited(Token::LParen, Token::RParen, false, |p| p.param(), |_| None)?;
        let ret = if self.eat(Token::Arrow) {
            let start = self.cur_range().start;
            Some(match self.type_expr() {
                Ok(ty) => ty,
                Err(Fail) => {
                    self.recover_to(&[Token::LBrace, Token::Newline]);
                    p_type_error(self.span_from(start))
                }
            })
        } else {
            None
        };
        let mut item = FnItem {
            kind,
            is_extern,
            name,
            params,
            ret,
            requires: None,
            ensures: None,
            limits: Vec::new(),
            body: None,
        };
        self.clauses(&mut item);
        if matches!(self.nth_past_newlines(0), Token::LBrace) && (!is_extern || self.peek() == Token::LBrace) {
            self.skip_newlines();
            let open = self.cur_span();
            let body = self.block()?;
            if is_extern {
                let d = Diagnostic::error("E0016", "an extern item has no body")
                    .at(open.to(body.span), "remove this body")
                    .help("'extern' items are implemented by the runtime; drop 'extern' to write the body in Deft");
                self.report(d);
            } else {
                item.body = Some(body);
            }
        } else if !is_extern {
            let d = self.error_expected("'{'").help("a skill or fn needs a body: '{ ... }'");
            self.report(d);
            self.sync_item();
        }
        Ok(ItemKind::Fn(item))
    }

    fn param(&mut self) -> PResult<Param> {
        let start = self.cur_range().start;
        let name = self.ident()?;
        self.expect(Token::Colon)?;
        let ty = match self.type_expr() {
            Ok(ty) => ty,
            Err(Fail) => {
                let ty_start = self.cur_range().start;
                self.recover_to(&[Token::Comma, Token::RParen, Token::Assign]);
                p_type_error(self.span_from(ty_start))
            }
        };
        let default = if self.eat(Token::Assign) { Some(self.expr()?) } else { None };
        Ok(Param { name, ty, default, span: self.span_from(start) })
    }

    /// `requires e`, `ensures e` and `limits(...)` in any order, each at most once.
    fn clauses(&mut self, item: &mut FnItem) {
        loop {
            let tok = self.nth_past_newlines(0);
            if !matches!(tok, Token::Requires | Token::Ensures | Token::Limits) {
                return;
            }
            self.skip_newlines();
            let kw = self.bump();
            let duplicate = match tok {
                Token::Requires => item.requires.is_some(),
                Token::Ensures => item.ensures.is_some(),
                _ => !item.limits.is_empty(),
            };
            if duplicate {
                let word = tok.describe();
                self.report(
                    Diagnostic::error("E0017", format!("{word} is given twice"))
                        .at(kw, "second clause")
                        .help("combine the conditions with 'and' in one clause"),
                );
            }
            if tok == Token::Limits {
                match self.delimited(Token::LParen, Token::RParen, false, |p| p.limit_clause(), |_| None) {
                    Ok((limits, _)) => item.limits.extend(limits),
                    Err(Fail) => self.recover_to(&[Token::LBrace, Token::Newline]),
                }
                continue;
            }
            match self.cond_expr() {
                Ok(e) if tok == Token::Requires => item.requires = Some(e),
                Ok(e) => item.ensures = Some(e),
                Err(Fail) => self.recover_to(&[Token::LBrace, Token::Newline]),
            }
        }
    }

    fn limit_clause(&mut self) -> PResult<LimitClause> {
        let start = self.cur_range().start;
        let name = self.ident()?;
        match self.peek() {
            Token::Le => {
                self.bump();
            }
            Token::Lt | Token::Ge | Token::Gt | Token::EqEq | Token::Assign => {
                let span = self.bump();
                self.report(
                    Diagnostic::error("E0018", "a limit is written with '<='")
                        .at(span, "use '<=' here")
                        .help(format!("write '{} <= value'", name.name)),
                );
            }
            _ => return Err(self.unexpected("'<='")),
        }
        let value = self.expr()?;
        Ok(LimitClause { name, value, span: self.span_from(start) })
    }

    fn test_item(&mut self) -> PResult<ItemKind> {
        self.bump();
        if !matches!(self.peek(), Token::Str | Token::UnterminatedStr) {
            return Err(self.unexpected("the test's name in quotes"));
        }
        let name_span = self.cur_span();
        let name = self.string_text();
        let mut runs = None;
        let mut expect = None;
        if self.eat(Token::Runs) {
            runs = Some(self.expr()?);
            self.expect(Token::Expect)?;
            self.expect(Token::Success)?;
            self.expect(Token::Ge)?;
            expect = Some(self.expr()?);
        }
        let body = self.block()?;
        Ok(ItemKind::Test(TestItem { name, name_span, runs, expect, body }))
    }
}

fn p_type_error(span: crate::span::Span) -> TypeExpr {
    TypeExpr { kind: TypeExprKind::Error, span }
}
