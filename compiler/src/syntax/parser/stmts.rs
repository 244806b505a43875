//! Blocks and statements. A statement ends at a line break or `;`; a bad statement becomes
//! `StmtKind::Error` and parsing goes on at the next line.

use super::{Fail, PResult, Parser};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;

impl Parser<'_> {
    /// `{ stmt* }`. A missing `}` is reported against its `{` at the end of the file or at an item
    /// keyword, and the block ends there.
    pub(super) fn block(&mut self) -> PResult<Block> {
        self.guarded(|p| p.block_inner())
    }

    fn block_inner(&mut self) -> PResult<Block> {
        let open = self.expect(Token::LBrace)?;
        let start = open.start as usize;
        let stmts = self.nested(false, |p| p.block_body(open));
        Ok(Block { stmts, span: self.span_from(start) })
    }

    fn block_body(&mut self, open: crate::span::Span) -> Vec<Stmt> {
        let mut stmts = Vec::new();
        loop {
            while matches!(self.peek(), Token::Newline | Token::Semi) {
                self.bump();
            }
            let tok = self.peek();
            if tok == Token::RBrace {
                self.bump();
                return stmts;
            }
            if tok == Token::Eof || tok.starts_item() {
                self.unclosed(open, Token::LBrace, Token::RBrace);
                return stmts;
            }
            let start = self.cur_range().start;
            let before = self.pos;
            match self.stmt() {
                Ok(stmt) => {
                    stmts.push(stmt);
                    if !matches!(self.peek(), Token::Newline | Token::Semi | Token::RBrace | Token::Eof) {
                        let d = self
                            .error_expected("end of line")
                            .help("put each statement on its own line, or separate them with ';'");
                        self.report(d);
                        self.sync_stmt();
                    }
                }
                Err(Fail) => {
                    self.sync_stmt();
                    if self.pos == before {
                        self.bump();
                    }
                    stmts.push(Stmt { kind: StmtKind::Error, span: self.span_from(start) });
                }
            }
        }
    }

    fn stmt(&mut self) -> PResult<Stmt> {
        let start = self.cur_range().start;
        let kind = match self.peek() {
            Token::Let | Token::Var => self.let_stmt()?,
            Token::If => self.if_stmt()?,
            Token::While => {
                self.bump();
                let cond = self.cond_expr()?;
                StmtKind::While { cond, body: self.block()? }
            }
            Token::For => {
                self.bump();
                let var = self.ident()?;
                self.expect(Token::In)?;
                let first = self.expr()?;
                let iter =
                    if self.eat(Token::DotDot) { ForIter::Range(first, self.expr()?) } else { ForIter::List(first) };
                StmtKind::For { var, iter, body: self.block()? }
            }
            Token::Return => {
                self.bump();
                if matches!(self.peek(), Token::Newline | Token::Semi | Token::RBrace | Token::Eof) {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.expr()?))
                }
            }
            Token::Fail => {
                self.bump();
                StmtKind::Fail(self.expr()?)
            }
            Token::Ensure => {
                self.bump();
                let cond = self.cond_expr()?;
                if self.peek() != Token::Else {
                    let d = self.error_expected("'else'").help("write 'ensure condition else \"message\"'");
                    self.report(d);
                    return Err(Fail);
                }
                self.bump();
                StmtKind::Ensure { cond, message: self.expr()? }
            }
            Token::Try => {
                self.bump();
                let body = self.block()?;
                if self.nth_past_newlines(0) == Token::Recover {
                    self.skip_newlines();
                }
                if self.peek() != Token::Recover {
                    let d = self.error_expected("'recover'").help("write 'try { ... } recover e { ... }'");
                    self.report(d);
                    return Err(Fail);
                }
                self.bump();
                let fault = self.ident()?;
                StmtKind::Try { body, fault, recover: self.block()? }
            }
            Token::Retry => {
                self.bump();
                let count = self.expr()?;
                StmtKind::Retry { count, body: self.block()? }
            }
            Token::Within => {
                self.bump();
                let time = self.expr()?;
                StmtKind::Within { time, body: self.block()? }
            }
            Token::Parallel => {
                self.bump();
                StmtKind::Parallel(self.parallel_branches()?)
            }
            _ => {
                let target = self.expr()?;
                if self.peek() == Token::Assign {
                    self.bump();
                    self.skip_newlines();
                    let value = self.expr()?;
                    if matches!(target.kind, ExprKind::Name(_) | ExprKind::Index { .. } | ExprKind::Field { .. }) {
                        StmtKind::Assign { target, value }
                    } else {
                        self.report(
                            Diagnostic::error("E0014", "cannot assign to this expression")
                                .at(target.span, "not a variable, list element or field")
                                .help("only 'x = e', 'xs[i] = e' and 's.f = e' assign; compare with '=='"),
                        );
                        StmtKind::Error
                    }
                } else {
                    StmtKind::Expr(target)
                }
            }
        };
        Ok(Stmt { kind, span: self.span_from(start) })
    }

    fn let_stmt(&mut self) -> PResult<StmtKind> {
        let mutable = self.peek() == Token::Var;
        self.bump();
        let name = self.ident()?;
        let ty = if self.eat(Token::Colon) { Some(self.type_expr()?) } else { None };
        if self.peek() != Token::Assign {
            let kw = if mutable { "var" } else { "let" };
            let d = self.error_expected("'='").help(format!("a variable needs a value: '{kw} {} = ...'", name.name));
            self.report(d);
            return Err(Fail);
        }
        self.bump();
        self.skip_newlines();
        let value = self.expr()?;
        Ok(StmtKind::Let { mutable, name, ty, value })
    }

    /// `if c { } else if c { } else { }` and `if let x = e { } else { }`.
    fn if_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        if self.eat(Token::Let) {
            let name = self.ident()?;
            self.expect(Token::Assign)?;
            let value = self.expr()?;
            let then = self.block()?;
            let otherwise = self.else_branch()?;
            return Ok(StmtKind::IfLet { name, value, then, otherwise });
        }
        let cond = self.cond_expr()?;
        let then = self.block()?;
        let otherwise = self.else_branch()?;
        Ok(StmtKind::If { cond, then, otherwise })
    }

    fn else_branch(&mut self) -> PResult<Option<Block>> {
        if self.nth_past_newlines(0) != Token::Else {
            return Ok(None);
        }
        self.skip_newlines();
        self.bump();
        if self.peek() == Token::If {
            let start = self.cur_range().start;
            let kind = self.if_stmt()?;
            let span = self.span_from(start);
            return Ok(Some(Block { stmts: vec![Stmt { kind, span }], span }));
        }
        Ok(Some(self.block()?))
    }

    /// `parallel { { ... } { ... } }`: the branches are blocks, one after another.
    fn parallel_branches(&mut self) -> PResult<Vec<Block>> {
        let open = self.expect(Token::LBrace)?;
        self.nested(true, |p| {
            let mut branches = Vec::new();
            loop {
                match p.peek() {
                    Token::RBrace => {
                        p.bump();
                        return Ok(branches);
                    }
                    Token::LBrace => branches.push(p.block()?),
                    Token::Eof => {
                        p.unclosed(open, Token::LBrace, Token::RBrace);
                        return Ok(branches);
                    }
                    _ => {
                        let d = p.error_expected("'{' starting a branch").help("write 'parallel { { ... } { ... } }'");
                        p.report(d);
                        p.recover_to(&[Token::LBrace]);
                    }
                }
            }
        })
    }
}
