//! Expressions: parentheses from precedence (the AST keeps none), literals as written, and lists
//! (arguments, list literals, struct literals, `match` arms) flat when they fit, else one per line.

use super::printer::Printer;
use crate::syntax::Token;
use crate::syntax::ast::*;

/// Binding strength, loosest first, as the parser climbs: `or`, `and`, `not`, comparisons, `+ -`,
/// `* / %`, unary `-`, then postfix and primary expressions.
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const CMP: u8 = 4;
const ADD: u8 = 5;
const MUL: u8 = 6;
const NEG: u8 = 7;
const POSTFIX: u8 = 9;

fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary { op, .. } => binop(*op).1,
        ExprKind::Unary { op: UnaryOp::Not, .. } => NOT,
        ExprKind::Unary { op: UnaryOp::Neg, .. } => NEG,
        _ => POSTFIX,
    }
}

/// The operator's text, its strength, and the least strength of its left and right operands that
/// needs no parentheses. Comparisons do not chain, so both their operands must bind tighter.
fn binop(op: BinOp) -> (&'static str, u8, u8, u8) {
    match op {
        BinOp::Or => ("or", OR, OR, AND),
        BinOp::And => ("and", AND, AND, NOT),
        BinOp::Eq => ("==", CMP, ADD, ADD),
        BinOp::Ne => ("!=", CMP, ADD, ADD),
        BinOp::Lt => ("<", CMP, ADD, ADD),
        BinOp::Le => ("<=", CMP, ADD, ADD),
        BinOp::Gt => (">", CMP, ADD, ADD),
        BinOp::Ge => (">=", CMP, ADD, ADD),
        BinOp::In => ("in", CMP, ADD, ADD),
        BinOp::Add => ("+", ADD, ADD, MUL),
        BinOp::Sub => ("-", ADD, ADD, MUL),
        BinOp::Mul => ("*", MUL, MUL, NEG),
        BinOp::Div => ("/", MUL, MUL, NEG),
        BinOp::Rem => ("%", MUL, MUL, NEG),
    }
}

/// The last leaf printed for `e` when it needs no parentheses of its own.
fn last_leaf(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Binary { op, rhs, .. } if prec(rhs) >= binop(*op).3 => last_leaf(rhs),
        ExprKind::Unary { op: UnaryOp::Not, expr } if prec(expr) >= NOT => last_leaf(expr),
        ExprKind::Unary { op: UnaryOp::Neg, expr } if prec(expr) >= NEG => last_leaf(expr),
        _ => e,
    }
}

/// The first token printed for `e` (parentheses included).
fn first_token(e: &Expr) -> Token {
    match &e.kind {
        ExprKind::Binary { op, lhs, .. } if prec(lhs) >= binop(*op).2 => first_token(lhs),
        ExprKind::Binary { .. } => Token::LParen,
        ExprKind::Unary { op: UnaryOp::Neg, .. } => Token::Minus,
        ExprKind::Unary { op: UnaryOp::Not, .. } => Token::Not,
        ExprKind::Call { callee: inner, .. }
        | ExprKind::MethodCall { receiver: inner, .. }
        | ExprKind::Field { expr: inner, .. }
        | ExprKind::Index { expr: inner, .. } => {
            if prec(inner) >= POSTFIX {
                first_token(inner)
            } else {
                Token::LParen
            }
        }
        ExprKind::Int(_) | ExprKind::Quantity { .. } => Token::Int,
        ExprKind::Real(_) => Token::Real,
        ExprKind::Str(_) => Token::Str,
        ExprKind::Name(_) | ExprKind::Path(_) | ExprKind::StructLit { .. } => Token::Ident,
        ExprKind::List(_) => Token::LBracket,
        ExprKind::Match { .. } => Token::Match,
        ExprKind::Bool(_) => Token::True,
        ExprKind::None => Token::None,
        ExprKind::Error => Token::Error,
    }
}

/// Whether the right operand must be parenthesised although its strength would not need it, because
/// the lexer would glue it to the left operand: after a quantity, `* name` and `/ name` continue the
/// unit (`2 mm * x` is `2 (mm*x)`); after a bare number, `% -x` makes `%` a unit.
fn glued(op: BinOp, lhs: &Expr, rhs: &Expr) -> bool {
    let last = last_leaf(lhs);
    match op {
        BinOp::Mul | BinOp::Div => {
            matches!(last.kind, ExprKind::Quantity { .. }) && matches!(first_token(rhs), Token::Ident)
        }
        BinOp::Rem => {
            matches!(last.kind, ExprKind::Int(_) | ExprKind::Real(_))
                && !matches!(first_token(rhs), Token::Int | Token::Real | Token::Ident | Token::LParen | Token::Str)
        }
        _ => false,
    }
}

impl Printer<'_, '_> {
    /// `e` in a place that needs at least strength `min`, parenthesised if it binds looser.
    fn operand(&mut self, e: &Expr, min: u8) {
        if prec(e) < min {
            self.write("(");
            self.expr(e);
            self.write(")");
        } else {
            self.expr(e);
        }
    }

    /// What a call, field access or index applies to; a quantity gets parentheses, `(2 mm).x`, for
    /// the reader (the parser would take `2 mm.x` the same way).
    fn receiver(&mut self, e: &Expr) {
        let min = if matches!(e.kind, ExprKind::Quantity { .. }) { POSTFIX + 1 } else { POSTFIX };
        self.operand(e, min);
    }

    pub fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Int(_) | ExprKind::Real(_) => {
                let text = self.trivia.token_text(e.span.range(), |t| matches!(t, Token::Int | Token::Real));
                self.write(text);
            }
            ExprKind::Bool(b) => self.write(if *b { "true" } else { "false" }),
            ExprKind::None => self.write("none"),
            ExprKind::Quantity { text, unit, .. } => {
                self.write(text);
                // `%` stays as written, `99%` or `50 %`; every other unit follows one blank.
                let glued = unit.factors.len() == 1
                    && unit.factors[0].name.name == "%"
                    && self.trivia.src.get(..unit.span.start as usize).is_some_and(|s| s.ends_with(text.as_str()));
                if !glued {
                    self.write(" ");
                }
                self.unit(unit);
            }
            ExprKind::Str(_) => {
                let text = self.trivia.token_text(e.span.range(), |t| t == Token::Str);
                self.write(text);
            }
            ExprKind::Name(id) => self.write(&id.name),
            ExprKind::Path(ids) => self.path(ids),
            ExprKind::Unary { op: UnaryOp::Neg, expr } => {
                self.write("-");
                // `-(-a)` reads better than `--a`, which means the same.
                let min = if matches!(expr.kind, ExprKind::Unary { op: UnaryOp::Neg, .. }) { POSTFIX } else { NEG };
                self.operand(expr, min);
            }
            ExprKind::Unary { op: UnaryOp::Not, expr } => {
                self.write("not ");
                self.operand(expr, NOT);
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (text, _, left, right) = binop(*op);
                let glued = glued(*op, lhs, rhs);
                // A quantity on its own is wrapped (`(2 mm) * x`); else the right operand is.
                let wrap_lhs = glued && matches!(lhs.kind, ExprKind::Quantity { .. });
                if wrap_lhs {
                    self.write("(");
                    self.expr(lhs);
                    self.write(")");
                } else {
                    self.operand(lhs, left);
                }
                self.write(" ");
                self.write(text);
                self.write(" ");
                if glued && !wrap_lhs {
                    self.write("(");
                    self.expr(rhs);
                    self.write(")");
                } else {
                    self.operand(rhs, right);
                }
            }
            ExprKind::Call { callee, args } => {
                let broken = self.breaks(e);
                self.receiver(callee);
                self.args(args, broken, e.span.end as usize);
            }
            ExprKind::MethodCall { receiver, method, args } => {
                let broken = self.breaks(e);
                self.receiver(receiver);
                self.write(".");
                self.write(&method.name);
                self.args(args, broken, e.span.end as usize);
            }
            ExprKind::Field { expr, name } => {
                self.receiver(expr);
                self.write(".");
                self.write(&name.name);
            }
            ExprKind::Index { expr, index } => {
                self.receiver(expr);
                self.write("[");
                self.expr(index);
                self.write("]");
            }
            ExprKind::List(items) => {
                let broken = self.breaks(e);
                let end = e.span.end as usize;
                self.list(("[", "]"), items, broken, end, |i| i.span.start as usize, |p, i| p.expr(i));
            }
            ExprKind::StructLit { name, fields } => {
                let broken = self.breaks(e);
                self.write(&name.name);
                let end = e.span.end as usize;
                let start = |f: &FieldInit| f.name.span.start as usize;
                self.list((" { ", " }"), fields, broken, end, start, |p, f| {
                    p.write(&f.name.name);
                    p.write(": ");
                    p.expr(&f.value);
                });
            }
            ExprKind::Match { scrutinee, arms } => {
                let broken = self.breaks(e);
                self.write("match ");
                self.expr(scrutinee);
                let end = e.span.end as usize;
                self.list(
                    (" { ", " }"),
                    arms,
                    broken,
                    end,
                    |a| a.span.start as usize,
                    |p, a| {
                        p.pattern(&a.pattern);
                        p.write(" => ");
                        p.expr(&a.body);
                    },
                );
            }
            // Files with syntax errors are never formatted; this keeps the printer total.
            ExprKind::Error => self.write("<error>"),
        }
    }

    /// Whether a list-like node goes one element per line: it does not fit, or holds a comment.
    fn breaks(&self, e: &Expr) -> bool {
        if self.flat {
            return false;
        }
        let width = self.flat_text(|p| p.expr(e)).chars().count();
        !self.fits(width) || self.comment_within(e.span.start as usize, e.span.end as usize)
    }

    fn args(&mut self, args: &[Arg], broken: bool, end: usize) {
        let start = |a: &Arg| a.name.as_ref().map_or(a.value.span.start, |n| n.span.start) as usize;
        self.list(("(", ")"), args, broken, end, start, |p, a| p.arg(a));
    }

    pub fn arg(&mut self, a: &Arg) {
        if let Some(name) = &a.name {
            self.write(&name.name);
            self.write(" = ");
        }
        self.expr(&a.value);
    }

    /// A comma-separated list between `delims` (flat spelling; broken, the blanks are trimmed),
    /// elements separated by `, ` or, broken, one per line with a trailing comma.
    pub fn list<T>(
        &mut self,
        delims: (&str, &str),
        items: &[T],
        broken: bool,
        end: usize,
        start: impl Fn(&T) -> usize,
        mut item: impl FnMut(&mut Self, &T),
    ) {
        let (open, close) = delims;
        if items.is_empty() {
            self.write(open.trim_end());
            self.write(close.trim_start());
            return;
        }
        if !broken {
            self.write(open);
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    self.write(", ");
                }
                item(self, x);
            }
            self.write(close);
            return;
        }
        self.open(open.trim_end());
        for x in items {
            self.comments_before(start(x), false);
            self.reserving(1, |p| item(p, x));
            self.write(",");
            self.newline();
        }
        self.comments_before(end, false);
        self.close(close.trim_start());
    }

    pub fn path(&mut self, ids: &[Ident]) {
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.write("::");
            }
            self.write(&id.name);
        }
    }

    pub fn unit(&mut self, unit: &UnitExpr) {
        let text = self.trivia.compact(unit.span.range());
        self.write(&text);
    }

    pub fn pattern(&mut self, p: &Pattern) {
        match &p.kind {
            PatternKind::Wildcard => self.write("_"),
            PatternKind::None => self.write("none"),
            PatternKind::Binding(id) => self.write(&id.name),
            PatternKind::Variant { path, bindings } => {
                self.path(path);
                if !bindings.is_empty() {
                    let names: Vec<&str> = bindings.iter().map(|b| b.name.as_str()).collect();
                    self.write("(");
                    self.write(&names.join(", "));
                    self.write(")");
                }
            }
        }
    }

    pub fn type_expr(&mut self, t: &TypeExpr) {
        match &t.kind {
            TypeExprKind::Named(id) => self.write(&id.name),
            TypeExprKind::List(inner) => {
                self.write("[");
                self.type_expr(inner);
                self.write("]");
            }
            TypeExprKind::Optional(inner) => {
                self.type_expr(inner);
                self.write("?");
            }
            TypeExprKind::Unit(unit) => {
                self.write("[");
                self.unit(unit);
                self.write("]");
            }
            TypeExprKind::Error => self.write("<error>"),
        }
    }
}
