//! `==` and `!=` on lists: element by element, lowered onto one synthesized `fn` per element
//! type, so codegen needs no new instruction and the loop exists once however often it is used.

use super::Checker;
use super::expr::mk;
use crate::span::Span;
use crate::syntax::ast::FnKind;
use crate::tir::{self, BinOp, Cmp, ExprKind, FuncId, LocalId, Stmt, UnOp};
use crate::types::Ty;

impl Checker<'_> {
    /// `l == r` (or `!=` when `equal` is false) on two lists of one type; `None` when the
    /// elements have no equality (records, poses).
    pub(super) fn list_equality(&mut self, equal: bool, l: tir::Expr, r: tir::Expr, span: Span) -> Option<tir::Expr> {
        let Ty::List(elem) = &l.ty else { return None };
        let f = self.list_eq_fn(&elem.clone(), span)?;
        let call = mk(ExprKind::Call { func: f, args: vec![l, r] }, Ty::Bool, span);
        Some(if equal { call } else { mk(ExprKind::Unary(UnOp::Not, Box::new(call)), Ty::Bool, span) })
    }

    /// Whether values of a type compare with `==` element-wise inside a list.
    fn has_list_equality(ty: &Ty) -> bool {
        match ty {
            Ty::Int | Ty::Real | Ty::Bool | Ty::Str | Ty::FaultKind | Ty::Quantity(_) => true,
            Ty::Handle(h) => h.is_cell_object(),
            Ty::List(inner) => Self::has_list_equality(inner),
            _ => false,
        }
    }

    /// `a[i] == b[i]` for an element type that has equality.
    fn element_eq(&mut self, elem: &Ty, a: tir::Expr, b: tir::Expr, span: Span) -> Option<tir::Expr> {
        let bin =
            |op: BinOp, a: tir::Expr, b: tir::Expr| mk(ExprKind::Binary(op, Box::new(a), Box::new(b)), Ty::Bool, span);
        Some(match elem {
            Ty::Int | Ty::Bool | Ty::FaultKind | Ty::Handle(_) => bin(BinOp::ICmp(Cmp::Eq), a, b),
            Ty::Real | Ty::Quantity(_) => bin(BinOp::FCmp(Cmp::Eq), a, b),
            Ty::Str => bin(BinOp::StrEq, a, b),
            Ty::List(inner) => {
                let f = self.list_eq_fn(inner, span)?;
                mk(ExprKind::Call { func: f, args: vec![a, b] }, Ty::Bool, span)
            }
            _ => return None,
        })
    }

    /// The function comparing two lists of `elem`, synthesized on first use:
    /// `if len(a) != len(b) { return false }; for i in 0..len(a) { if not a[i] == b[i] { return false } }; return true`.
    fn list_eq_fn(&mut self, elem: &Ty, span: Span) -> Option<FuncId> {
        if !Self::has_list_equality(elem) {
            return None;
        }
        if let Some(id) = self.list_eqs.get(elem) {
            return Some(*id);
        }
        let list = Ty::List(Box::new(elem.clone()));
        let local = |i: u32, ty: &Ty| mk(ExprKind::Local(LocalId(i)), ty.clone(), span);
        let len = |i: u32| mk(ExprKind::Len(Box::new(local(i, &list))), Ty::Int, span);
        let at = |i: u32| {
            let index = Box::new(local(2, &Ty::Int));
            mk(ExprKind::Index { list: Box::new(local(i, &list)), index }, elem.clone(), span)
        };
        let no = || vec![Stmt::Return(Some(mk(ExprKind::Bool(false), Ty::Bool, span)))];
        // Before this function's slot is reserved, so that no slot is ever left empty.
        let same = self.element_eq(elem, at(0), at(1), span)?;
        let id = FuncId(self.functions.len() as u32);
        self.functions.push(None);
        self.list_eqs.insert(elem.clone(), id);
        let lengths_differ =
            mk(ExprKind::Binary(BinOp::ICmp(Cmp::Ne), Box::new(len(0)), Box::new(len(1))), Ty::Bool, span);
        let body = vec![
            Stmt::If { cond: lengths_differ, then: no(), otherwise: Vec::new() },
            Stmt::ForRange {
                var: LocalId(2),
                start: mk(ExprKind::Int(0), Ty::Int, span),
                end: len(0),
                body: vec![Stmt::If {
                    cond: mk(ExprKind::Unary(UnOp::Not, Box::new(same)), Ty::Bool, span),
                    then: no(),
                    otherwise: Vec::new(),
                }],
            },
            Stmt::Return(Some(mk(ExprKind::Bool(true), Ty::Bool, span))),
        ];
        let param = |name: &str| tir::Param { name: name.to_string(), ty: list.clone(), unit: None };
        let local_decl = |name: &str, ty: &Ty| tir::Local { name: name.to_string(), ty: ty.clone() };
        self.functions[id.0 as usize] = Some(tir::Function {
            name: format!("list_eq[{elem}]"),
            kind: FnKind::Fn,
            exported: false,
            params: vec![param("a"), param("b")],
            ret: Ty::Bool,
            locals: vec![local_decl("a", &list), local_decl("b", &list), local_decl("i", &Ty::Int)],
            body,
            effects: Vec::new(),
            span,
        });
        Some(id)
    }
}
