//! A compact S-expression dump of the syntax tree, so tests compare shapes as text.

use crate::syntax::ast::*;

fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(" ")
}

pub fn unit(u: &UnitExpr) -> String {
    u.factors
        .iter()
        .map(|f| if f.power == 1 { f.name.name.clone() } else { format!("{}^{}", f.name.name, f.power) })
        .collect::<Vec<_>>()
        .join("*")
}

pub fn ty(t: &TypeExpr) -> String {
    match &t.kind {
        TypeExprKind::Named(n) => n.name.clone(),
        TypeExprKind::List(t) => format!("[{}]", ty(t)),
        TypeExprKind::Optional(t) => format!("{}?", ty(t)),
        TypeExprKind::Unit(u) => format!("[unit {}]", unit(u)),
        TypeExprKind::Error => "error".into(),
    }
}

fn arg(a: &Arg) -> String {
    match &a.name {
        Some(n) => format!("(= {} {})", n.name, expr(&a.value)),
        None => expr(&a.value),
    }
}

fn pattern(p: &Pattern) -> String {
    match &p.kind {
        PatternKind::Wildcard => "_".into(),
        PatternKind::None => "none".into(),
        PatternKind::Binding(n) => n.name.clone(),
        PatternKind::Variant { path, bindings } => {
            let path = join(path, |i| i.name.clone()).replace(' ', "::");
            if bindings.is_empty() { path } else { format!("{path}({})", join(bindings, |i| i.name.clone())) }
        }
    }
}

pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Real(v) => format!("{v:?}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::None => "none".into(),
        ExprKind::Quantity { text, unit: u, .. } => format!("(q {text} {})", unit(u)),
        ExprKind::Str(parts) => {
            let parts = join(parts, |p| match p {
                StrPart::Lit(s) => format!("{s:?}"),
                StrPart::Expr(e) => format!("{{{}}}", expr(e)),
            });
            format!("(str {parts})")
        }
        ExprKind::Name(n) => n.name.clone(),
        ExprKind::Path(p) => join(p, |i| i.name.clone()).replace(' ', "::"),
        ExprKind::Unary { op, expr: e } => {
            let op = match op {
                UnaryOp::Neg => "neg",
                UnaryOp::Not => "not",
            };
            format!("({op} {})", expr(e))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let op = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "/",
                BinOp::Rem => "%",
                BinOp::Eq => "==",
                BinOp::Ne => "!=",
                BinOp::Lt => "<",
                BinOp::Le => "<=",
                BinOp::Gt => ">",
                BinOp::In => "in",
                BinOp::Ge => ">=",
                BinOp::And => "and",
                BinOp::Or => "or",
            };
            format!("({op} {} {})", expr(lhs), expr(rhs))
        }
        ExprKind::Call { callee, args } => format!("(call {} {})", expr(callee), join(args, arg)).replace(" )", ")"),
        ExprKind::MethodCall { receiver, method, args } => {
            format!("(mcall {} {} {})", expr(receiver), method.name, join(args, arg)).replace(" )", ")")
        }
        ExprKind::Field { expr: e, name } => format!("(. {} {})", expr(e), name.name),
        ExprKind::Index { expr: e, index } => format!("(index {} {})", expr(e), expr(index)),
        ExprKind::List(items) => format!("[{}]", join(items, expr)),
        ExprKind::StructLit { name, fields } => {
            format!("(struct {} {})", name.name, join(fields, |f| format!("({} {})", f.name.name, expr(&f.value))))
        }
        ExprKind::Match { scrutinee, arms } => format!(
            "(match {} {})",
            expr(scrutinee),
            join(arms, |a| format!("({} => {})", pattern(&a.pattern), expr(&a.body)))
        ),
        ExprKind::Error => "error".into(),
    }
}

pub fn block(b: &Block) -> String {
    format!("{{{}}}", b.stmts.iter().map(stmt).collect::<Vec<_>>().join("; "))
}

fn opt_block(b: &Option<Block>) -> String {
    b.as_ref().map_or(String::new(), |b| format!(" else {}", block(b)))
}

pub fn stmt(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Let { mutable, name, ty: t, value } => {
            let kw = if *mutable { "var" } else { "let" };
            let t = t.as_ref().map_or(String::new(), |t| format!(": {}", ty(t)));
            format!("({kw} {}{t} {})", name.name, expr(value))
        }
        StmtKind::Assign { target, value } => format!("(assign {} {})", expr(target), expr(value)),
        StmtKind::Expr(e) => expr(e),
        StmtKind::If { cond, then, otherwise } => {
            format!("(if {} {}{})", expr(cond), block(then), opt_block(otherwise))
        }
        StmtKind::IfLet { name, value, then, otherwise } => {
            format!("(if-let {} {} {}{})", name.name, expr(value), block(then), opt_block(otherwise))
        }
        StmtKind::While { cond, body } => format!("(while {} {})", expr(cond), block(body)),
        StmtKind::For { var, iter, body } => {
            let iter = match iter {
                ForIter::List(e) => expr(e),
                ForIter::Range(a, b) => format!("(.. {} {})", expr(a), expr(b)),
            };
            format!("(for {} {iter} {})", var.name, block(body))
        }
        StmtKind::Return(e) => e.as_ref().map_or("(return)".into(), |e| format!("(return {})", expr(e))),
        StmtKind::Fail(e) => format!("(fail {})", expr(e)),
        StmtKind::Ensure { cond, message } => format!("(ensure {} {})", expr(cond), expr(message)),
        StmtKind::Try { body, fault, recover } => format!("(try {} {} {})", block(body), fault.name, block(recover)),
        StmtKind::Retry { count, body } => format!("(retry {} {})", expr(count), block(body)),
        StmtKind::Within { time, body } => format!("(within {} {})", expr(time), block(body)),
        StmtKind::Parallel(branches) => format!("(parallel {})", join(branches, block)),
        StmtKind::Error => "error".into(),
    }
}
