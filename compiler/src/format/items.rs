//! Items: one blank line between them (consecutive `use` and `const` items keep the source's
//! grouping), headers on one line when they fit, declarations' fields one per line otherwise.

use super::printer::Printer;
use crate::syntax::Token;
use crate::syntax::ast::*;

/// Items of these kinds stand in groups without blank lines when the source has none.
fn groups(kind: &ItemKind) -> Option<u8> {
    match kind {
        ItemKind::Use(_) => Some(0),
        ItemKind::Const(_) => Some(1),
        _ => None,
    }
}

impl<'t, 's> Printer<'t, 's> {
    pub fn module(&mut self, m: &Module) {
        let mut prev: Option<&Item> = None;
        for item in &m.items {
            let start = item.span.start as usize;
            let grouped = prev.is_some_and(|p| groups(&p.kind).is_some() && groups(&p.kind) == groups(&item.kind));
            let force = prev.is_some() && !grouped;
            let own_line = self.comments_before(start, force);
            if force && !own_line {
                self.blank();
            } else {
                self.source_blank(start);
            }
            self.item(item);
            self.newline();
            prev = Some(item);
        }
    }

    fn item(&mut self, item: &Item) {
        if item.public {
            self.write("pub ");
        }
        let end = item.span.end as usize;
        match &item.kind {
            ItemKind::Use(u) => {
                self.write("use ");
                self.path(&u.path);
                if !u.names.is_empty() {
                    self.write("::");
                    let broken = self.breaks_at(item, |p| p.item(item));
                    self.list(("{", "}"), &u.names, broken, end, |n| n.span.start as usize, |p, n| p.write(&n.name));
                }
            }
            ItemKind::Cell(c) => {
                self.write("cell ");
                let start = |e: &CellEntry| e.span.start as usize;
                self.decl_list(&c.entries, true, end, start, |p, e| {
                    p.write(&e.name.name);
                    p.write(": ");
                    p.type_expr(&e.ty);
                });
            }
            ItemKind::Const(c) => {
                self.write("const ");
                self.write(&c.name.name);
                if let Some(ty) = &c.ty {
                    self.write(": ");
                    self.type_expr(ty);
                }
                self.write(" = ");
                self.expr(&c.value);
            }
            ItemKind::Struct(s) => {
                self.write("struct ");
                self.write(&s.name.name);
                self.write(" ");
                let broken = self.spread(item) || self.breaks_at(item, |p| p.item(item));
                let start = |f: &FieldDef| f.span.start as usize;
                self.decl_list(&s.fields, broken, end, start, |p, f| {
                    p.write(&f.name.name);
                    p.write(": ");
                    p.type_expr(&f.ty);
                });
            }
            ItemKind::Enum(e) => {
                self.write("enum ");
                self.write(&e.name.name);
                self.write(" ");
                let broken = self.spread(item) || self.breaks_at(item, |p| p.item(item));
                self.decl_list(
                    &e.variants,
                    broken,
                    end,
                    |v| v.span.start as usize,
                    |p, v| {
                        p.write(&v.name.name);
                        if !v.fields.is_empty() {
                            p.list(("(", ")"), &v.fields, false, 0, |_| 0, |p, t| p.type_expr(t));
                        }
                    },
                );
            }
            ItemKind::Fn(f) => self.fn_item(f),
            ItemKind::Test(t) => {
                self.write("test ");
                let name = self.trivia.token_text(t.name_span.range(), |t| t == Token::Str);
                self.write(name);
                if let (Some(runs), Some(expect)) = (&t.runs, &t.expect) {
                    self.write(" runs ");
                    self.expr(runs);
                    self.write(" expect success >= ");
                    self.expr(expect);
                }
                self.write(" ");
                self.block(&t.body);
            }
        }
    }

    /// Whether what `print` writes for `item`, from the start of the current line, would not fit or
    /// would cover a comment.
    fn breaks_at(&self, item: &Item, print: impl FnOnce(&mut Printer<'t, 's>)) -> bool {
        if self.flat {
            return false;
        }
        self.flat_text(print).chars().count() > super::WIDTH
            || self.comment_within(item.span.start as usize, item.span.end as usize)
    }

    /// Whether a declaration was written over several lines: struct and enum declarations keep the
    /// author's choice between one line and one field per line.
    fn spread(&self, item: &Item) -> bool {
        !self.flat && self.trivia.src.get(item.span.range()).is_some_and(|text| text.contains('\n'))
    }

    /// `{ a: T, b: U }` for declarations (cell entries, struct fields, enum variants): broken, one per
    /// line without commas.
    fn decl_list<T>(
        &mut self,
        items: &[T],
        broken: bool,
        end: usize,
        start: impl Fn(&T) -> usize,
        mut item: impl FnMut(&mut Self, &T),
    ) {
        if items.is_empty() {
            self.write("{}");
            return;
        }
        if !broken {
            self.list(("{ ", " }"), items, false, end, start, item);
            return;
        }
        self.open("{");
        for x in items {
            self.comments_before(start(x), false);
            item(self, x);
            self.newline();
        }
        self.comments_before(end, false);
        self.close("}");
    }

    fn fn_item(&mut self, f: &FnItem) {
        if f.is_extern {
            self.write("extern ");
        }
        self.write(match f.kind {
            FnKind::Fn => "fn ",
            FnKind::Skill => "skill ",
        });
        self.write(&f.name.name);
        let name_end = f.name.span.end as usize;
        let close = self.trivia.closing_after(name_end, Token::LParen, Token::RParen).unwrap_or(name_end);
        let header = self.flat_text(|p| p.fn_header(f, false));
        let broken = !self.flat
            && (self.column() + header.chars().count() + if f.body.is_some() { 2 } else { 0 } > super::WIDTH
                || self.comment_within(name_end, close));
        self.fn_header(f, broken);
        if let Some(body) = &f.body {
            self.write(" ");
            self.block(body);
        }
    }

    /// `(params) -> T requires e ensures e limits(...)`, parameters one per line when `broken`.
    fn fn_header(&mut self, f: &FnItem, broken: bool) {
        let name_end = f.name.span.end as usize;
        let close = self.trivia.closing_after(name_end, Token::LParen, Token::RParen).unwrap_or(name_end);
        self.list(
            ("(", ")"),
            &f.params,
            broken,
            close,
            |p| p.span.start as usize,
            |p, param| {
                p.write(&param.name.name);
                p.write(": ");
                p.type_expr(&param.ty);
                if let Some(d) = &param.default {
                    p.write(" = ");
                    p.expr(d);
                }
            },
        );
        if let Some(ret) = &f.ret {
            self.write(" -> ");
            self.type_expr(ret);
        }
        if let Some(r) = &f.requires {
            self.write(" requires ");
            self.expr(r);
        }
        if let Some(e) = &f.ensures {
            self.write(" ensures ");
            self.expr(e);
        }
        if !f.limits.is_empty() {
            self.write(" limits");
            self.list(
                ("(", ")"),
                &f.limits,
                false,
                0,
                |_| 0,
                |p, l| {
                    p.write(&l.name.name);
                    p.write(" <= ");
                    p.expr(&l.value);
                },
            );
        }
    }
}
