//! Terse constructors for hand-built typed IR in codegen tests.

use crate::span::{FileId, Span};
use crate::syntax::ast::FnKind;
use crate::tir::*;
use crate::types::Ty;

pub fn sp() -> Span {
    Span { file: FileId(0), start: 0, end: 0 }
}

pub fn ex(kind: ExprKind, ty: Ty) -> Expr {
    Expr { kind, ty, span: sp() }
}

pub fn int(n: i64) -> Expr {
    ex(ExprKind::Int(n), Ty::Int)
}

pub fn real(x: f64) -> Expr {
    ex(ExprKind::Real(x), Ty::Real)
}

pub fn boolean(b: bool) -> Expr {
    ex(ExprKind::Bool(b), Ty::Bool)
}

pub fn string(id: u32) -> Expr {
    ex(ExprKind::Str(StringId(id)), Ty::Str)
}

pub fn local(id: u32, ty: Ty) -> Expr {
    ex(ExprKind::Local(LocalId(id)), ty)
}

pub fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    let ty = match op {
        BinOp::IAdd | BinOp::ISub | BinOp::IMul | BinOp::IDiv | BinOp::IRem => Ty::Int,
        BinOp::FAdd | BinOp::FSub | BinOp::FMul | BinOp::FDiv | BinOp::FRem => Ty::Real,
        BinOp::StrConcat => Ty::Str,
        BinOp::ListConcat => a.ty.clone(),
        _ => Ty::Bool,
    };
    ex(ExprKind::Binary(op, Box::new(a), Box::new(b)), ty)
}

pub fn call(func: u32, args: Vec<Expr>, ty: Ty) -> Expr {
    ex(ExprKind::Call { func: FuncId(func), args }, ty)
}

pub fn native(n: u32, args: Vec<Expr>, ty: Ty) -> Expr {
    ex(ExprKind::Native { native: NativeId(n), args }, ty)
}

pub fn ret(e: Expr) -> Stmt {
    Stmt::Return(Some(e))
}

pub fn fail(message: u32) -> Stmt {
    Stmt::Fail { kind: 11, message: string(message) }
}

/// A function whose locals are `params` followed by `locals`.
pub fn func(name: &str, params: &[(&str, Ty)], ret: Ty, locals: &[(&str, Ty)], body: Block) -> Function {
    Function {
        name: name.to_string(),
        kind: FnKind::Skill,
        exported: true,
        params: params.iter().map(|(n, t)| Param { name: n.to_string(), ty: t.clone(), unit: None }).collect(),
        ret,
        locals: params.iter().chain(locals).map(|(n, t)| Local { name: n.to_string(), ty: t.clone() }).collect(),
        body,
        effects: vec![],
        span: sp(),
    }
}

pub fn program(functions: Vec<Function>, natives: usize, strings: &[&str]) -> Program {
    Program {
        functions,
        natives: (0..natives)
            .map(|i| NativeDecl { key: format!("test::native{i}()"), skill: true, params: vec![], ret: Ty::Real })
            .collect(),
        structs: vec![],
        cell: vec![],
        strings: strings.iter().map(|s| s.to_string()).collect(),
        tests: vec![],
    }
}
