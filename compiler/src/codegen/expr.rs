//! Expression translation: every `tir::ExprKind` to a Cranelift value (I64 or F64; a `Void`
//! expression yields a dummy I64 zero that nothing reads).

use super::CodegenError;
use super::abi::HostFn;
use super::translate::{FnTranslator, clif_ty};
use crate::tir::{BinOp, Cmp, Expr, ExprKind, FmtPiece, Intrinsic, UnOp};
use crate::types::Repr;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Value, types};
use cranelift_module::Module;

fn int_cc(c: Cmp) -> IntCC {
    match c {
        Cmp::Eq => IntCC::Equal,
        Cmp::Ne => IntCC::NotEqual,
        Cmp::Lt => IntCC::SignedLessThan,
        Cmp::Le => IntCC::SignedLessThanOrEqual,
        Cmp::Gt => IntCC::SignedGreaterThan,
        Cmp::Ge => IntCC::SignedGreaterThanOrEqual,
    }
}

fn float_cc(c: Cmp) -> FloatCC {
    match c {
        Cmp::Eq => FloatCC::Equal,
        Cmp::Ne => FloatCC::NotEqual,
        Cmp::Lt => FloatCC::LessThan,
        Cmp::Le => FloatCC::LessThanOrEqual,
        Cmp::Gt => FloatCC::GreaterThan,
        Cmp::Ge => FloatCC::GreaterThanOrEqual,
    }
}

impl<M: Module> FnTranslator<'_, '_, M> {
    pub(super) fn expr(&mut self, e: &Expr) -> Result<Value, CodegenError> {
        let v = match &e.kind {
            ExprKind::Int(n) => self.b.ins().iconst(types::I64, *n),
            ExprKind::Real(x) => self.b.ins().f64const(*x),
            ExprKind::Bool(x) => self.b.ins().iconst(types::I64, i64::from(*x)),
            ExprKind::Str(id) => {
                let id = self.b.ins().iconst(types::I32, i64::from(id.0));
                self.host_value(HostFn::StrConst, &[id])?
            }
            ExprKind::Local(id) => {
                let var = self.var(*id)?;
                self.b.use_var(var)
            }
            ExprKind::Cell(i) => {
                let i = self.b.ins().iconst(types::I32, i64::from(*i));
                self.host_value(HostFn::CellGet, &[i])?
            }
            ExprKind::FaultKind(k) => self.b.ins().iconst(types::I64, i64::from(*k)),
            ExprKind::Unary(op, a) => {
                let a = self.expr(a)?;
                match op {
                    UnOp::INeg => self.b.ins().ineg(a),
                    UnOp::FNeg => self.b.ins().fneg(a),
                    UnOp::Not => self.b.ins().bxor_imm_u(a, 1),
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b)?,
            ExprKind::IntToReal(a) => {
                let a = self.expr(a)?;
                self.b.ins().fcvt_from_sint(types::F64, a)
            }
            ExprKind::Intrinsic(op, args) => self.intrinsic(*op, args)?,
            ExprKind::Call { func, args } => {
                let callee = self.callee(*func)?;
                let argv = self.args_array(args)?;
                let ret = self.slots(1);
                self.call_deft(callee, argv, ret);
                self.load_result(ret, e)
            }
            ExprKind::Native { native, args } => {
                if native.0 as usize >= self.program.natives.len() {
                    return Err(CodegenError::new(format!("call to unknown native {}", native.0)));
                }
                let argv = self.args_array(args)?;
                let ret = self.slots(1);
                let index = self.b.ins().iconst(types::I32, i64::from(native.0));
                self.host_checked(HostFn::CallNative, &[index, argv, ret])?;
                self.load_result(ret, e)
            }
            ExprKind::List(items) => {
                let cap = self.b.ins().iconst(types::I64, items.len() as i64);
                let list = self.host_value(HostFn::ListNew, &[cap])?;
                for item in items {
                    let v = self.expr(item)?;
                    let v = self.bits_of(v);
                    self.call_host(HostFn::ListPush, &[list, v]);
                }
                list
            }
            ExprKind::Index { list, index } => {
                let l = self.expr(list)?;
                let i = self.expr(index)?;
                self.list_get(l, i, clif_ty(&e.ty))?
            }
            ExprKind::Len(list) => {
                let l = self.expr(list)?;
                self.list_len(l)?
            }
            ExprKind::Record { fields, .. } => {
                let n = self.b.ins().iconst(types::I32, fields.len() as i64);
                let r = self.host_value(HostFn::RecordNew, &[n])?;
                for (i, field) in fields.iter().enumerate() {
                    let v = self.expr(field)?;
                    let v = self.bits_of(v);
                    let i = self.b.ins().iconst(types::I32, i as i64);
                    self.call_host(HostFn::RecordSet, &[r, i, v]);
                }
                r
            }
            ExprKind::Field { record, index } => {
                let r = self.expr(record)?;
                let i = self.b.ins().iconst(types::I32, i64::from(*index));
                let bits = self.host_value(HostFn::RecordGet, &[r, i])?;
                self.value_from_bits(bits, &e.ty)
            }
            ExprKind::Format(pieces) => self.format(pieces)?,
        };
        Ok(v)
    }

    /// Evaluates `args` left to right into a fresh stack array of 64-bit slots.
    fn args_array(&mut self, args: &[Expr]) -> Result<Value, CodegenError> {
        let array = self.slots(args.len());
        for (i, a) in args.iter().enumerate() {
            let v = self.expr(a)?;
            if a.ty.repr() != Repr::Void {
                self.b.ins().store(MemFlagsData::trusted(), v, array, 8 * i as i32);
            }
        }
        Ok(array)
    }

    /// The value a call wrote to `slot`, typed as `e`.
    fn load_result(&mut self, slot: Value, e: &Expr) -> Value {
        self.b.ins().load(clif_ty(&e.ty), MemFlagsData::trusted(), slot, 0)
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr) -> Result<Value, CodegenError> {
        if matches!(op, BinOp::And | BinOp::Or) {
            return self.short_circuit(op == BinOp::And, a, b);
        }
        let x = self.expr(a)?;
        let y = self.expr(b)?;
        let ins = self.b.ins();
        let v = match op {
            BinOp::IAdd => ins.iadd(x, y),
            BinOp::ISub => ins.isub(x, y),
            BinOp::IMul => ins.imul(x, y),
            BinOp::IDiv | BinOp::IRem => return self.int_division(op == BinOp::IDiv, x, y),
            BinOp::FAdd => ins.fadd(x, y),
            BinOp::FSub => ins.fsub(x, y),
            BinOp::FMul => ins.fmul(x, y),
            BinOp::FDiv => ins.fdiv(x, y),
            BinOp::FRem => {
                // Truncated remainder, the sign of the dividend, like C's fmod and Rust's `%`.
                let q = ins.fdiv(x, y);
                let q = self.b.ins().trunc(q);
                let p = self.b.ins().fmul(q, y);
                self.b.ins().fsub(x, p)
            }
            BinOp::ICmp(c) => {
                let f = ins.icmp(int_cc(c), x, y);
                self.b.ins().uextend(types::I64, f)
            }
            BinOp::FCmp(c) => {
                let f = ins.fcmp(float_cc(c), x, y);
                self.b.ins().uextend(types::I64, f)
            }
            BinOp::StrConcat => self.host_value(HostFn::StrConcat, &[x, y])?,
            BinOp::StrEq => self.host_value(HostFn::StrEq, &[x, y])?,
            BinOp::StrNe => {
                let eq = self.host_value(HostFn::StrEq, &[x, y])?;
                self.b.ins().bxor_imm_u(eq, 1)
            }
            BinOp::ListConcat => self.host_value(HostFn::ListConcat, &[x, y])?,
            BinOp::And | BinOp::Or => unreachable_ice()?,
        };
        Ok(v)
    }

    /// `a and b` / `a or b`, evaluating `b` only when it decides the result.
    fn short_circuit(&mut self, and: bool, a: &Expr, b: &Expr) -> Result<Value, CodegenError> {
        let x = self.expr(a)?;
        let (rhs, merge) = (self.b.create_block(), self.b.create_block());
        self.b.append_block_param(merge, types::I64);
        if and {
            self.b.ins().brif(x, rhs, &[], merge, &[x.into()]);
        } else {
            self.b.ins().brif(x, merge, &[x.into()], rhs, &[]);
        }
        self.b.switch_to_block(rhs);
        let y = self.expr(b)?;
        self.jump(merge, &[y]);
        self.b.switch_to_block(merge);
        Ok(self.b.block_params(merge)[0])
    }

    /// Integer `/` and `%`: by zero is a fault (through `div_zero`); `i64::MIN / -1` wraps instead
    /// of trapping, since Cranelift's `sdiv` traps on that overflow.
    fn int_division(&mut self, div: bool, x: Value, y: Value) -> Result<Value, CodegenError> {
        let (by_zero, ok) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(y, ok, &[], by_zero, &[]);
        self.b.switch_to_block(by_zero);
        let status = self.host_value(HostFn::DivZero, &[])?;
        self.propagate(status);
        self.b.ins().jump(ok, &[]);
        self.b.switch_to_block(ok);
        let minus_one = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
        let one = self.b.ins().iconst(types::I64, 1);
        let safe = self.b.ins().select(minus_one, one, y);
        Ok(if div {
            let q = self.b.ins().sdiv(x, safe);
            let neg = self.b.ins().ineg(x);
            self.b.ins().select(minus_one, neg, q)
        } else {
            let r = self.b.ins().srem(x, safe);
            let zero = self.b.ins().iconst(types::I64, 0);
            self.b.ins().select(minus_one, zero, r)
        })
    }

    fn intrinsic(&mut self, op: Intrinsic, args: &[Expr]) -> Result<Value, CodegenError> {
        let vals = args.iter().map(|a| self.expr(a)).collect::<Result<Vec<_>, _>>()?;
        let arity = if matches!(op, Intrinsic::Min | Intrinsic::Max) { 2 } else { 1 };
        if vals.len() != arity {
            return Err(CodegenError::new(format!("intrinsic {op:?} takes {arity} arguments, got {}", vals.len())));
        }
        let ins = self.b.ins();
        Ok(match op {
            Intrinsic::Sqrt => ins.sqrt(vals[0]),
            Intrinsic::Abs => ins.fabs(vals[0]),
            Intrinsic::Floor => ins.floor(vals[0]),
            Intrinsic::Ceil => ins.ceil(vals[0]),
            Intrinsic::Min => ins.fmin(vals[0], vals[1]),
            Intrinsic::Max => ins.fmax(vals[0], vals[1]),
        })
    }

    /// Each piece becomes a string handle; the handles are concatenated left to right.
    fn format(&mut self, pieces: &[FmtPiece]) -> Result<Value, CodegenError> {
        let mut acc: Option<Value> = None;
        for piece in pieces {
            let s = match piece {
                FmtPiece::Str(e) => self.expr(e)?,
                FmtPiece::Int(e) => {
                    let v = self.expr(e)?;
                    self.host_value(HostFn::FmtInt, &[v])?
                }
                FmtPiece::Real(e) => {
                    let v = self.expr(e)?;
                    self.host_value(HostFn::FmtReal, &[v])?
                }
                FmtPiece::Bool(e) => {
                    let v = self.expr(e)?;
                    self.host_value(HostFn::FmtBool, &[v])?
                }
                FmtPiece::Quantity { value, unit, scale } => {
                    let v = self.expr(value)?;
                    let unit = self.b.ins().iconst(types::I32, i64::from(unit.0));
                    let scale = self.b.ins().f64const(*scale);
                    self.host_value(HostFn::FmtQuantity, &[v, unit, scale])?
                }
            };
            acc = Some(match acc {
                None => s,
                Some(prev) => self.host_value(HostFn::StrConcat, &[prev, s])?,
            });
        }
        acc.ok_or_else(|| CodegenError::new("an interpolated string with no pieces"))
    }
}

fn unreachable_ice() -> Result<Value, CodegenError> {
    Err(CodegenError::new("short-circuit operator reached the strict path"))
}
