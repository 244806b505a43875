//! Effect inference: which cell handles each function commands, directly (as the first argument
//! of an extern skill) or through the functions it calls. `parallel` (v2) will use it to reject
//! branches that command the same hardware.

use crate::tir::{Expr, ExprKind, FmtPiece, Function, NativeDecl, Stmt};
use std::collections::BTreeSet;

use super::CellInfo;

/// What a commanded value is rooted in: a cell entry, or a parameter of the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Root {
    Cell(u32),
    Param(u32),
}

/// Fill `Function::effects` for every function, to a fixpoint over calls.
pub(super) fn infer(functions: &mut [Function], natives: &[NativeDecl], cell: &[CellInfo]) {
    let mut sets: Vec<BTreeSet<Root>> = vec![BTreeSet::new(); functions.len()];
    loop {
        let mut changed = false;
        for (i, f) in functions.iter().enumerate() {
            let mut found = BTreeSet::new();
            let params = f.params.len() as u32;
            walk_block(&f.body, &mut |e| commanded(e, params, natives, &sets, &mut found));
            if !found.is_subset(&sets[i]) {
                sets[i].extend(found);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (f, set) in functions.iter_mut().zip(&sets) {
        let mut names: Vec<String> = set
            .iter()
            .filter_map(|r| match r {
                Root::Cell(i) => cell.get(*i as usize).map(|c| c.name.clone()),
                Root::Param(_) => None,
            })
            .collect();
        names.sort();
        names.dedup();
        f.effects = names;
    }
}

fn commanded(e: &Expr, params: u32, natives: &[NativeDecl], sets: &[BTreeSet<Root>], found: &mut BTreeSet<Root>) {
    match &e.kind {
        ExprKind::Native { native, args } => {
            if natives.get(native.0 as usize).is_some_and(|n| n.skill)
                && let Some(r) = args.first().and_then(|a| root(a, params))
            {
                found.insert(r);
            }
        }
        ExprKind::Call { func, args } => {
            for r in sets.get(func.0 as usize).into_iter().flatten() {
                match r {
                    Root::Cell(_) => {
                        found.insert(*r);
                    }
                    Root::Param(k) => {
                        if let Some(r) = args.get(*k as usize).and_then(|a| root(a, params)) {
                            found.insert(r);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// The cell entry or parameter a handle value comes from: `gripper`, `gripper.arm`, `screws[i]`.
fn root(e: &Expr, params: u32) -> Option<Root> {
    match &e.kind {
        ExprKind::Cell(i) => Some(Root::Cell(*i)),
        ExprKind::Local(l) if l.0 < params => Some(Root::Param(l.0)),
        ExprKind::Native { args, .. } => args.first().and_then(|a| root(a, params)),
        ExprKind::Index { list, .. } => root(list, params),
        _ => None,
    }
}

pub(super) fn walk_block(block: &[Stmt], f: &mut impl FnMut(&Expr)) {
    for s in block {
        match s {
            Stmt::Let(_, e) | Stmt::Assign(_, e) | Stmt::Expr(e) | Stmt::Reraise(e) => walk(e, f),
            Stmt::Return(e) => {
                if let Some(e) = e {
                    walk(e, f);
                }
            }
            Stmt::SetIndex { index, value, .. } => {
                walk(index, f);
                walk(value, f);
            }
            Stmt::If { cond, then, otherwise } => {
                walk(cond, f);
                walk_block(then, f);
                walk_block(otherwise, f);
            }
            Stmt::While { cond, body } => {
                walk(cond, f);
                walk_block(body, f);
            }
            Stmt::ForList { list, body, .. } => {
                walk(list, f);
                walk_block(body, f);
            }
            Stmt::ForRange { start, end, body, .. } => {
                walk(start, f);
                walk(end, f);
                walk_block(body, f);
            }
            Stmt::Fail { message, .. } => walk(message, f),
            Stmt::Try { body, recover, .. } => {
                walk_block(body, f);
                walk_block(recover, f);
            }
            Stmt::Retry { count: e, body } | Stmt::Within { seconds: e, body } => {
                walk(e, f);
                walk_block(body, f);
            }
            Stmt::Limits { clauses, body } => {
                for (_, e) in clauses {
                    walk(e, f);
                }
                walk_block(body, f);
            }
        }
    }
}

fn walk(e: &Expr, f: &mut impl FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Unary(_, a) | ExprKind::IntToReal(a) | ExprKind::Len(a) | ExprKind::Field { record: a, .. } => {
            walk(a, f)
        }
        ExprKind::Binary(_, a, b) | ExprKind::Index { list: a, index: b } => {
            walk(a, f);
            walk(b, f);
        }
        ExprKind::Intrinsic(_, args)
        | ExprKind::Call { args, .. }
        | ExprKind::Native { args, .. }
        | ExprKind::List(args)
        | ExprKind::Record { fields: args, .. } => {
            for a in args {
                walk(a, f);
            }
        }
        ExprKind::Format(pieces) => {
            for p in pieces {
                match p {
                    FmtPiece::Str(e) | FmtPiece::Int(e) | FmtPiece::Real(e) | FmtPiece::Bool(e) => walk(e, f),
                    FmtPiece::Quantity { value, .. } => walk(value, f),
                }
            }
        }
        ExprKind::Int(_)
        | ExprKind::Real(_)
        | ExprKind::Bool(_)
        | ExprKind::Str(_)
        | ExprKind::Local(_)
        | ExprKind::Cell(_)
        | ExprKind::FaultKind(_) => {}
    }
}
