//! A readable text form of the typed IR, for snapshot tests and `--emit tir`.
//!
//! Expressions print as s-expressions with their operation spelled out (`(fadd a b)`), locals as
//! `name#id`, cell entries as `cell.name`, and strings quoted from the string table.

use crate::tir::{BinOp, Cmp, Expr, ExprKind, FmtPiece, Function, Intrinsic, LimitKind, Program, Stmt, UnOp};
use crate::types::FAULT_KINDS;
use std::fmt::{self, Write};

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = Printer { program: self };
        for (i, slot) in self.cell.iter().enumerate() {
            writeln!(f, "cell {i} {}: {}", slot.name, slot.ty)?;
        }
        for s in &self.structs {
            let fields: Vec<String> = s.fields.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            writeln!(f, "struct {} {{ {} }}", s.name, fields.join(", "))?;
        }
        for (i, n) in self.natives.iter().enumerate() {
            let kind = if n.skill { "skill" } else { "fn" };
            writeln!(f, "native {i} {kind} {} -> {}", n.key, n.ret)?;
        }
        for (i, func) in self.functions.iter().enumerate() {
            p.function(f, i, func)?;
        }
        for t in &self.tests {
            write!(f, "test {:?} = fn {}", t.name, t.func.0)?;
            if let Some(runs) = t.runs {
                write!(f, " runs {runs}")?;
            }
            if let Some(p) = t.expect_success {
                write!(f, " expect {p}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

struct Printer<'a> {
    program: &'a Program,
}

impl Printer<'_> {
    fn function(&self, f: &mut fmt::Formatter<'_>, index: usize, func: &Function) -> fmt::Result {
        let kind = match func.kind {
            crate::syntax::ast::FnKind::Fn => "fn",
            crate::syntax::ast::FnKind::Skill => "skill",
        };
        let params: Vec<String> = func.params.iter().map(|p| format!("{}: {}", p.name, p.ty)).collect();
        write!(f, "{kind} {index} {}({}) -> {}", func.name, params.join(", "), func.ret)?;
        if func.exported {
            f.write_str(" exported")?;
        }
        if !func.effects.is_empty() {
            write!(f, " effects [{}]", func.effects.join(", "))?;
        }
        writeln!(f, " {{")?;
        for (i, l) in func.locals.iter().enumerate() {
            writeln!(f, "    local {}#{i}: {}", l.name, l.ty)?;
        }
        let mut out = String::new();
        self.block(&mut out, func, &func.body, 1)?;
        f.write_str(&out)?;
        writeln!(f, "}}")
    }

    fn block(&self, out: &mut String, func: &Function, block: &[Stmt], depth: usize) -> fmt::Result {
        for s in block {
            self.stmt(out, func, s, depth)?;
        }
        Ok(())
    }

    fn nested(&self, out: &mut String, func: &Function, head: &str, body: &[Stmt], depth: usize) -> fmt::Result {
        let pad = "    ".repeat(depth);
        writeln!(out, "{pad}{head} {{")?;
        self.block(out, func, body, depth + 1)?;
        writeln!(out, "{pad}}}")
    }

    fn stmt(&self, out: &mut String, func: &Function, s: &Stmt, depth: usize) -> fmt::Result {
        let pad = "    ".repeat(depth);
        let e = |x: &Expr| self.expr(func, x);
        let local = |l: &crate::tir::LocalId| {
            let name = func.locals.get(l.0 as usize).map_or("?", |x| x.name.as_str());
            format!("{name}#{}", l.0)
        };
        match s {
            Stmt::Let(l, x) => writeln!(out, "{pad}let {} = {}", local(l), e(x)),
            Stmt::Assign(l, x) => writeln!(out, "{pad}{} = {}", local(l), e(x)),
            Stmt::SetIndex { list, index, value } => {
                writeln!(out, "{pad}{}[{}] = {}", local(list), e(index), e(value))
            }
            Stmt::Expr(x) => writeln!(out, "{pad}{}", e(x)),
            Stmt::If { cond, then, otherwise } => {
                writeln!(out, "{pad}if {} {{", e(cond))?;
                self.block(out, func, then, depth + 1)?;
                if !otherwise.is_empty() {
                    writeln!(out, "{pad}}} else {{")?;
                    self.block(out, func, otherwise, depth + 1)?;
                }
                writeln!(out, "{pad}}}")
            }
            Stmt::While { cond, body } => self.nested(out, func, &format!("while {}", e(cond)), body, depth),
            Stmt::ForList { var, list, body } => {
                self.nested(out, func, &format!("for {} in {}", local(var), e(list)), body, depth)
            }
            Stmt::ForRange { var, start, end, body } => {
                self.nested(out, func, &format!("for {} in {}..{}", local(var), e(start), e(end)), body, depth)
            }
            Stmt::Return(None) => writeln!(out, "{pad}return"),
            Stmt::Return(Some(x)) => writeln!(out, "{pad}return {}", e(x)),
            Stmt::Fail { kind, message } => {
                let k = FAULT_KINDS.get(*kind as usize).copied().unwrap_or("?");
                writeln!(out, "{pad}fail {k} {}", e(message))
            }
            Stmt::Reraise(x) => writeln!(out, "{pad}reraise {}", e(x)),
            Stmt::Try { body, fault, recover } => {
                writeln!(out, "{pad}try {{")?;
                self.block(out, func, body, depth + 1)?;
                writeln!(out, "{pad}}} recover {} {{", local(fault))?;
                self.block(out, func, recover, depth + 1)?;
                writeln!(out, "{pad}}}")
            }
            Stmt::Retry { count, body } => self.nested(out, func, &format!("retry {}", e(count)), body, depth),
            Stmt::Within { seconds, body } => self.nested(out, func, &format!("within {}", e(seconds)), body, depth),
            Stmt::Limits { clauses, body } => {
                let cs: Vec<String> = clauses
                    .iter()
                    .map(|(k, x)| {
                        let name = match k {
                            LimitKind::Speed => "speed",
                            LimitKind::Force => "force",
                            LimitKind::Acceleration => "acceleration",
                        };
                        format!("{name} <= {}", e(x))
                    })
                    .collect();
                self.nested(out, func, &format!("limits({})", cs.join(", ")), body, depth)
            }
        }
    }

    fn string(&self, id: crate::tir::StringId) -> String {
        format!("{:?}", self.program.strings.get(id.0 as usize).map_or("?", String::as_str))
    }

    fn expr(&self, func: &Function, x: &Expr) -> String {
        let list = |xs: &[Expr]| xs.iter().map(|a| self.expr(func, a)).collect::<Vec<_>>().join(" ");
        match &x.kind {
            ExprKind::Int(v) => v.to_string(),
            ExprKind::Real(v) => format!("{v:?}"),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Str(id) => self.string(*id),
            ExprKind::Local(l) => {
                let name = func.locals.get(l.0 as usize).map_or("?", |x| x.name.as_str());
                format!("{name}#{}", l.0)
            }
            ExprKind::Cell(i) => {
                let name = self.program.cell.get(*i as usize).map_or("?", |c| c.name.as_str());
                format!("cell.{name}")
            }
            ExprKind::FaultKind(k) => format!("FaultKind::{}", FAULT_KINDS.get(*k as usize).copied().unwrap_or("?")),
            ExprKind::Unary(op, a) => {
                let op = match op {
                    UnOp::INeg => "ineg",
                    UnOp::FNeg => "fneg",
                    UnOp::Not => "not",
                };
                format!("({op} {})", self.expr(func, a))
            }
            ExprKind::Binary(op, a, b) => format!("({} {} {})", binop(*op), self.expr(func, a), self.expr(func, b)),
            ExprKind::IntToReal(a) => format!("(real {})", self.expr(func, a)),
            ExprKind::Intrinsic(i, args) => {
                let name = match i {
                    Intrinsic::Sqrt => "sqrt",
                    Intrinsic::Abs => "abs",
                    Intrinsic::Min => "min",
                    Intrinsic::Max => "max",
                    Intrinsic::Floor => "floor",
                    Intrinsic::Ceil => "ceil",
                };
                format!("({name} {})", list(args))
            }
            ExprKind::Call { func: callee, args } => {
                let name = self.program.functions.get(callee.0 as usize).map_or("?", |g| g.name.as_str());
                if args.is_empty() { format!("(call {name})") } else { format!("(call {name} {})", list(args)) }
            }
            ExprKind::Native { native, args } => {
                let key = self.program.natives.get(native.0 as usize).map_or("?", |n| n.key.as_str());
                if args.is_empty() { format!("(native {key})") } else { format!("(native {key} {})", list(args)) }
            }
            ExprKind::List(items) => {
                format!("[{}]", items.iter().map(|a| self.expr(func, a)).collect::<Vec<_>>().join(", "))
            }
            ExprKind::Index { list: l, index } => format!("(index {} {})", self.expr(func, l), self.expr(func, index)),
            ExprKind::Len(a) => format!("(len {})", self.expr(func, a)),
            ExprKind::Record { strukt, fields } => {
                let def = self.program.structs.get(strukt.0 as usize);
                let name = def.map_or("?", |d| d.name.as_str());
                let parts: Vec<String> = fields
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let field = def.and_then(|d| d.fields.get(i)).map_or("?", |(n, _)| n.as_str());
                        format!("{field}: {}", self.expr(func, v))
                    })
                    .collect();
                format!("{name} {{ {} }}", parts.join(", "))
            }
            ExprKind::Field { record, index } => {
                let field = match &record.ty {
                    crate::types::Ty::Struct(id, _) => self
                        .program
                        .structs
                        .get(id.0 as usize)
                        .and_then(|d| d.fields.get(*index as usize))
                        .map_or("?".to_string(), |(n, _)| n.clone()),
                    // Optionals are records `{ present, value }` (see `check/optional.rs`).
                    crate::types::Ty::Optional(_) => {
                        ["present", "value"].get(*index as usize).map_or("?", |n| n).to_string()
                    }
                    _ => index.to_string(),
                };
                format!("{}.{field}", self.expr(func, record))
            }
            ExprKind::Format(pieces) => {
                let parts: Vec<String> = pieces
                    .iter()
                    .map(|p| match p {
                        FmtPiece::Str(e) => self.expr(func, e),
                        FmtPiece::Int(e) => format!("int:{}", self.expr(func, e)),
                        FmtPiece::Real(e) => format!("real:{}", self.expr(func, e)),
                        FmtPiece::Bool(e) => format!("bool:{}", self.expr(func, e)),
                        FmtPiece::Quantity { value, unit, scale } => {
                            format!("quantity:{}:{}/{scale:?}", self.expr(func, value), self.string(*unit))
                        }
                    })
                    .collect();
                format!("(format {})", parts.join(" "))
            }
        }
    }
}

fn binop(op: BinOp) -> String {
    let cmp = |c: Cmp| match c {
        Cmp::Eq => "eq",
        Cmp::Ne => "ne",
        Cmp::Lt => "lt",
        Cmp::Le => "le",
        Cmp::Gt => "gt",
        Cmp::Ge => "ge",
    };
    match op {
        BinOp::IAdd => "iadd".into(),
        BinOp::ISub => "isub".into(),
        BinOp::IMul => "imul".into(),
        BinOp::IDiv => "idiv".into(),
        BinOp::IRem => "irem".into(),
        BinOp::FAdd => "fadd".into(),
        BinOp::FSub => "fsub".into(),
        BinOp::FMul => "fmul".into(),
        BinOp::FDiv => "fdiv".into(),
        BinOp::FRem => "frem".into(),
        BinOp::ICmp(c) => format!("i{}", cmp(c)),
        BinOp::FCmp(c) => format!("f{}", cmp(c)),
        BinOp::And => "and".into(),
        BinOp::Or => "or".into(),
        BinOp::StrConcat => "strcat".into(),
        BinOp::StrEq => "streq".into(),
        BinOp::StrNe => "strne".into(),
        BinOp::ListConcat => "listcat".into(),
    }
}
