//! The function translator: one `tir::Function` into Cranelift IR, including the fault control
//! flow (status checks, `try`/`retry` handlers and the cleanup of `within`/`limits`).
//!
//! Every status-returning call is followed by a branch to the innermost enclosing handler, whose
//! block takes the status as its one parameter; the outermost handler is the function's fault
//! exit, which calls `leave` and returns the status. Expressions live in `expr.rs`.

use super::CodegenError;
use super::abi::HostFn;
use super::lists::{ListFault, Regions, ViewCache};
use super::owned;
use crate::tir::{self, LimitKind, LocalId, Stmt};
use crate::types::{Repr, Ty};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    Block, BlockArg, FuncRef, Function, InstBuilder, MemFlagsData, SigRef, StackSlotData, StackSlotKind, Type, Value,
    types,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_module::{FuncId, Module};
use std::collections::HashMap;

/// A dynamically enclosing construct that must see a fault before the code outside it does.
#[derive(Clone, Copy, Debug)]
enum Scope {
    /// `try` or `retry`: the handler takes the fault.
    Catch(Block),
    /// Inside `within`: the handler pops it and propagates.
    Within(Block),
    /// Inside one `limits` clause: the handler pops it and propagates.
    Limits(Block),
}

impl Scope {
    fn handler(self) -> Block {
        match self {
            Scope::Catch(b) | Scope::Within(b) | Scope::Limits(b) => b,
        }
    }
}

pub(crate) struct FnTranslator<'a, 'b, M: Module> {
    pub(super) b: FunctionBuilder<'b>,
    module: &'a mut M,
    pub(super) program: &'a tir::Program,
    func_ids: &'a [FuncId],
    func: &'a tir::Function,
    pub(super) ptr: Type,
    call_conv: CallConv,
    host: Value,
    pub(super) ctx: Value,
    /// The runtime's `Direct` block (list views, loop fuel), loaded once on entry.
    pub(super) direct: Value,
    pub(super) regions: Regions,
    /// Per local: whether it owns its list, so writes may happen in place (see `owned.rs`).
    owned: Vec<bool>,
    pub(super) list_faults: Vec<ListFault>,
    pub(super) view_cache: ViewCache,
    /// The loop fuel, in a register between calls: written back to the `Direct` block before
    /// every call (the callee or the host may spend or refill it) and read again after.
    pub(super) fuel: Option<Variable>,
    /// Whether back-edges call `poll_preserving`: only the x86-64 runtime has its trampoline.
    pub(super) preserving_poll: bool,
    ret_ptr: Value,
    vars: Vec<Variable>,
    sigs: HashMap<HostFn, SigRef>,
    callees: HashMap<u32, FuncRef>,
    scopes: Vec<Scope>,
    fault_exit: Block,
}

/// The Cranelift type of a value of `ty`; `Void` values are never materialised, so they get I64.
pub(super) fn clif_ty(ty: &Ty) -> Type {
    match ty.repr() {
        Repr::F64 => types::F64,
        Repr::I64 | Repr::Void => types::I64,
    }
}

impl<'a, 'b, M: Module> FnTranslator<'a, 'b, M> {
    /// Translates `program.functions[index]` into `out`, whose signature and name are already set.
    pub(crate) fn translate(
        module: &'a mut M,
        program: &'a tir::Program,
        func_ids: &'a [FuncId],
        index: usize,
        func: &'a tir::Function,
        out: &'b mut Function,
        fctx: &'b mut FunctionBuilderContext,
    ) -> Result<(), CodegenError> {
        let ptr = module.target_config().pointer_type();
        let call_conv = module.isa().default_call_conv();
        let preserving_poll = module.isa().name() == "x64";
        let mut b = FunctionBuilder::new(out, fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let &[host, ctx, args, ret_ptr] = b.block_params(entry) else {
            return Err(CodegenError::new("a compiled function must take four parameters"));
        };
        let vars = func.locals.iter().map(|l| b.declare_var(clif_ty(&l.ty))).collect();
        let regions = Regions::new(&mut b);
        let fault_exit = b.create_block();
        b.append_block_param(fault_exit, types::I32);
        let mut t = FnTranslator {
            b,
            module,
            program,
            func_ids,
            func,
            ptr,
            call_conv,
            host,
            ctx,
            direct: ctx,
            regions,
            owned: owned::owned_lists(func),
            list_faults: Vec::new(),
            view_cache: ViewCache::default(),
            fuel: None,
            preserving_poll,
            ret_ptr,
            vars,
            sigs: HashMap::new(),
            callees: HashMap::new(),
            scopes: Vec::new(),
            fault_exit,
        };
        t.direct = t.load_direct(ctx);
        t.prologue(index, args)?;
        t.start_fuel();
        t.block(&func.body)?;
        // Falling off the end returns normally; the checker lets only functions without a result do so.
        t.emit_return()?;
        t.fill_fault_blocks()?;

        t.b.switch_to_block(fault_exit);
        let status = t.b.block_params(fault_exit)[0];
        t.call_host(HostFn::Leave, &[]);
        t.b.ins().return_(&[status]);

        t.b.seal_all_blocks();
        let config = t.module.target_config();
        t.b.finalize(config);
        Ok(())
    }

    /// `enter` (returning its status unchanged, without `leave`, when it refuses), then the
    /// parameters from `args` and zero for every other local.
    fn prologue(&mut self, index: usize, args: Value) -> Result<(), CodegenError> {
        let index = self.b.ins().iconst(types::I32, index as i64);
        let status = self.host_value(HostFn::Enter, &[index])?;
        let refused = self.b.create_block();
        self.b.append_block_param(refused, types::I32);
        let body = self.b.create_block();
        self.b.ins().brif(status, refused, &[BlockArg::Value(status)], body, &[]);
        self.b.switch_to_block(refused);
        self.b.ins().return_(&[status]);
        self.b.switch_to_block(body);

        let params = self.func.params.len();
        if params > self.func.locals.len() {
            return Err(CodegenError::new(format!("`{}` has fewer locals than parameters", self.func.name)));
        }
        for (i, local) in self.func.locals.iter().enumerate() {
            let ty = clif_ty(&local.ty);
            let v = if i < params {
                self.b.ins().load(ty, MemFlagsData::trusted(), args, 8 * i as i32)
            } else {
                self.zero(ty)
            };
            self.b.def_var(self.vars[i], v);
        }
        Ok(())
    }

    pub(super) fn zero(&mut self, ty: Type) -> Value {
        if ty == types::F64 { self.b.ins().f64const(0.0) } else { self.b.ins().iconst(ty, 0) }
    }

    // ---- host calls, status checks, control-flow helpers ----

    /// Calls host function `f` with `ctx` prepended; its result, if it has one.
    pub(super) fn call_host(&mut self, f: HostFn, args: &[Value]) -> Option<Value> {
        let (call_conv, ptr) = (self.call_conv, self.ptr);
        let sig = *self.sigs.entry(f).or_insert_with(|| self.b.import_signature(f.signature(call_conv, ptr)));
        let callee = self.b.ins().load(ptr, MemFlagsData::trusted(), self.host, f.offset());
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(self.ctx);
        all.extend_from_slice(args);
        self.save_fuel();
        let inst = self.b.ins().call_indirect(sig, callee, &all);
        let result = self.b.inst_results(inst).first().copied();
        self.after_call();
        result
    }

    pub(super) fn host_value(&mut self, f: HostFn, args: &[Value]) -> Result<Value, CodegenError> {
        self.call_host(f, args).ok_or_else(|| CodegenError::new(format!("host function `{}` has no result", f.name())))
    }

    /// Calls a status-returning host function and checks the status.
    pub(super) fn host_checked(&mut self, f: HostFn, args: &[Value]) -> Result<(), CodegenError> {
        let status = self.host_value(f, args)?;
        self.check(status);
        Ok(())
    }

    /// Where a fault goes from here: the innermost handler, else the function's fault exit.
    pub(super) fn fault_target(&self) -> Block {
        self.scopes.last().map_or(self.fault_exit, |s| s.handler())
    }

    /// Nonzero `status` → the fault target (with the status); zero → continue in a new block.
    pub(super) fn check(&mut self, status: Value) {
        let cont = self.b.create_block();
        let target = self.fault_target();
        self.b.ins().brif(status, target, &[BlockArg::Value(status)], cont, &[]);
        self.b.switch_to_block(cont);
    }

    /// Jumps to the fault target unconditionally with `status`.
    pub(super) fn propagate(&mut self, status: Value) {
        let target = self.fault_target();
        self.b.ins().jump(target, &[BlockArg::Value(status)]);
        self.start_dead_block();
    }

    /// After a terminator, later statements of the same block still need somewhere to go; they
    /// land in an unreachable block that Cranelift drops.
    fn start_dead_block(&mut self) {
        let dead = self.b.create_block();
        self.b.switch_to_block(dead);
    }

    pub(super) fn jump(&mut self, to: Block, args: &[Value]) {
        let args: Vec<BlockArg> = args.iter().map(|&v| BlockArg::Value(v)).collect();
        self.b.ins().jump(to, &args);
    }

    /// A fresh 8-byte-aligned stack array of `n` 64-bit slots (at least one).
    pub(super) fn slots(&mut self, n: usize) -> Value {
        let size = 8 * n.max(1) as u32;
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
        self.b.ins().stack_addr(self.ptr, slot, 0)
    }

    pub(super) fn var(&self, id: LocalId) -> Result<Variable, CodegenError> {
        self.vars
            .get(id.0 as usize)
            .copied()
            .ok_or_else(|| CodegenError::new(format!("local {} out of range in `{}`", id.0, self.func.name)))
    }

    pub(super) fn local_ty(&self, id: LocalId) -> Result<Type, CodegenError> {
        self.func
            .locals
            .get(id.0 as usize)
            .map(|l| clif_ty(&l.ty))
            .ok_or_else(|| CodegenError::new(format!("local {} out of range in `{}`", id.0, self.func.name)))
    }

    pub(super) fn callee(&mut self, func: tir::FuncId) -> Result<FuncRef, CodegenError> {
        if let Some(&r) = self.callees.get(&func.0) {
            return Ok(r);
        }
        let id = *self
            .func_ids
            .get(func.0 as usize)
            .ok_or_else(|| CodegenError::new(format!("call to unknown function {}", func.0)))?;
        let r = self.module.declare_func_in_func(id, self.b.func);
        self.callees.insert(func.0, r);
        Ok(r)
    }

    /// Calls a compiled Deft function directly, with its ABI: host, ctx, args array, ret slot.
    pub(super) fn call_deft(&mut self, callee: FuncRef, args: Value, ret: Value) {
        self.save_fuel();
        let inst = self.b.ins().call(callee, &[self.host, self.ctx, args, ret]);
        let status = self.b.inst_results(inst)[0];
        self.after_call();
        self.check(status);
    }

    // ---- statements ----

    pub(super) fn block(&mut self, stmts: &[Stmt]) -> Result<(), CodegenError> {
        stmts.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, stmt: &Stmt) -> Result<(), CodegenError> {
        match stmt {
            Stmt::Assign(id, e) if let Some(items) = self.owned_append(*id, e) => {
                // `xs = xs + [a, b]` on an owned list: append in place.
                let var = self.var(*id)?;
                for item in items {
                    let v = self.expr(item)?;
                    let v = self.bits_of(v);
                    let l = self.b.use_var(var);
                    self.call_host(HostFn::ListPush, &[l, v]);
                }
            }
            Stmt::Let(id, e) | Stmt::Assign(id, e) => {
                let v = self.expr(e)?;
                let var = self.var(*id)?;
                self.b.def_var(var, v);
            }
            Stmt::SetIndex { list, index, value } => {
                let var = self.var(*list)?;
                let i = self.expr(index)?;
                let v = self.expr(value)?;
                let v = self.bits_of(v);
                // Read after the index and value, which may themselves read (not write) the list.
                let l = self.b.use_var(var);
                if self.owns(*list) {
                    self.list_set_in_place(l, i, v)?;
                } else {
                    let new = self.list_set_copy(l, i, v)?;
                    self.b.def_var(var, new);
                }
            }
            Stmt::Expr(e) => {
                self.expr(e)?;
            }
            Stmt::If { cond, then, otherwise } => {
                let c = self.expr(cond)?;
                let (then_blk, else_blk, after) = (self.b.create_block(), self.b.create_block(), self.b.create_block());
                self.b.ins().brif(c, then_blk, &[], else_blk, &[]);
                self.b.switch_to_block(then_blk);
                self.block(then)?;
                self.jump(after, &[]);
                self.b.switch_to_block(else_blk);
                self.block(otherwise)?;
                self.jump(after, &[]);
                self.b.switch_to_block(after);
            }
            Stmt::While { cond, body } => {
                let (header, body_blk, after) = (self.b.create_block(), self.b.create_block(), self.b.create_block());
                self.jump(header, &[]);
                self.b.switch_to_block(header);
                let c = self.expr(cond)?;
                self.b.ins().brif(c, body_blk, &[], after, &[]);
                self.b.switch_to_block(body_blk);
                self.block(body)?;
                self.back_edge(header)?;
                self.b.switch_to_block(after);
            }
            Stmt::ForRange { var, start, end, body } => {
                let start = self.expr(start)?;
                let end = self.expr(end)?;
                self.counted_loop(start, end, |t, i| {
                    let v = t.var(*var)?;
                    t.b.def_var(v, i);
                    t.block(body)
                })?;
            }
            Stmt::ForList { var, list, body } => {
                let list = self.expr(list)?;
                let len = self.list_len(list)?;
                let zero = self.b.ins().iconst(types::I64, 0);
                let elem_ty = self.local_ty(*var)?;
                self.counted_loop(zero, len, |t, i| {
                    let v = t.list_get(list, i, elem_ty)?;
                    let var = t.var(*var)?;
                    t.b.def_var(var, v);
                    t.block(body)
                })?;
            }
            Stmt::Return(value) => {
                if let Some(e) = value {
                    let v = self.expr(e)?;
                    if e.ty.repr() != Repr::Void {
                        self.b.ins().store(MemFlagsData::trusted(), v, self.ret_ptr, 0);
                    }
                }
                self.emit_return()?;
                self.start_dead_block();
            }
            Stmt::Fail { kind, message } => {
                let m = self.expr(message)?;
                let k = self.b.ins().iconst(types::I32, i64::from(*kind));
                let status = self.host_value(HostFn::Raise, &[k, m])?;
                self.propagate(status);
            }
            Stmt::Reraise(fault) => {
                let f = self.expr(fault)?;
                let status = self.host_value(HostFn::Reraise, &[f])?;
                self.propagate(status);
            }
            Stmt::Try { body, fault, recover } => self.try_recover(body, *fault, recover)?,
            Stmt::Retry { count, body } => self.retry(count, body)?,
            Stmt::Within { seconds, body } => {
                let s = self.expr(seconds)?;
                self.host_checked(HostFn::WithinPush, &[s])?;
                self.guarded(Scope::Within, HostFn::WithinPop, |t| t.block(body))?;
            }
            Stmt::Limits { clauses, body } => self.limits(clauses, body)?,
        }
        Ok(())
    }

    /// Returns normally: pops every enclosing `within`/`limits` (innermost first), `leave`, 0.
    fn emit_return(&mut self) -> Result<(), CodegenError> {
        for scope in self.scopes.clone().into_iter().rev() {
            match scope {
                Scope::Within(_) => {
                    self.call_host(HostFn::WithinPop, &[]);
                }
                Scope::Limits(_) => {
                    self.call_host(HostFn::LimitsPop, &[]);
                }
                Scope::Catch(_) => {}
            }
        }
        self.call_host(HostFn::Leave, &[]);
        let ok = self.b.ins().iconst(types::I32, 0);
        self.b.ins().return_(&[ok]);
        Ok(())
    }

    fn owns(&self, id: LocalId) -> bool {
        self.owned.get(id.0 as usize).copied().unwrap_or(false)
    }

    /// The items of `xs = xs + [a, b]` when `xs` owns its list, so they can be appended in place.
    fn owned_append<'e>(&self, id: LocalId, e: &'e tir::Expr) -> Option<&'e [tir::Expr]> {
        if self.owns(id) { owned::self_append(id, e) } else { None }
    }

    /// `for i in start..end` over a hidden counter, so assigning the loop variable in the body
    /// does not change the iteration.
    fn counted_loop(
        &mut self,
        start: Value,
        end: Value,
        mut body: impl FnMut(&mut Self, Value) -> Result<(), CodegenError>,
    ) -> Result<(), CodegenError> {
        let counter = self.b.declare_var(types::I64);
        self.b.def_var(counter, start);
        let (header, body_blk, after) = (self.b.create_block(), self.b.create_block(), self.b.create_block());
        self.jump(header, &[]);
        self.b.switch_to_block(header);
        let i = self.b.use_var(counter);
        let more = self.b.ins().icmp(IntCC::SignedLessThan, i, end);
        self.b.ins().brif(more, body_blk, &[], after, &[]);
        self.b.switch_to_block(body_blk);
        body(self, i)?;
        let i = self.b.use_var(counter);
        let next = self.b.ins().iadd_imm_s(i, 1);
        self.b.def_var(counter, next);
        self.back_edge(header)?;
        self.b.switch_to_block(after);
        Ok(())
    }

    /// Runs `body` inside a scope whose handler calls `pop` and propagates; on the normal path the
    /// same `pop` runs after the body.
    fn guarded(
        &mut self,
        scope: fn(Block) -> Scope,
        pop: HostFn,
        body: impl FnOnce(&mut Self) -> Result<(), CodegenError>,
    ) -> Result<(), CodegenError> {
        let handler = self.b.create_block();
        self.b.append_block_param(handler, types::I32);
        self.scopes.push(scope(handler));
        body(self)?;
        self.scopes.pop();
        self.call_host(pop, &[]);
        let after = self.b.create_block();
        self.jump(after, &[]);

        self.b.switch_to_block(handler);
        let status = self.b.block_params(handler)[0];
        self.call_host(pop, &[]);
        let target = self.fault_target();
        self.jump(target, &[status]);
        self.b.switch_to_block(after);
        Ok(())
    }

    /// One `limits_push` per clause, each guarded by its own `limits_pop`, so a fault in a later
    /// clause's value or push pops exactly the clauses already pushed.
    fn limits(&mut self, clauses: &[(LimitKind, tir::Expr)], body: &[Stmt]) -> Result<(), CodegenError> {
        match clauses.split_first() {
            None => self.block(body),
            Some(((kind, value), rest)) => {
                let v = self.expr(value)?;
                let k = self.b.ins().iconst(types::I32, *kind as i64);
                self.host_checked(HostFn::LimitsPush, &[k, v])?;
                self.guarded(Scope::Limits, HostFn::LimitsPop, |t| t.limits(rest, body))
            }
        }
    }

    fn try_recover(&mut self, body: &[Stmt], fault: LocalId, recover: &[Stmt]) -> Result<(), CodegenError> {
        let handler = self.b.create_block();
        self.b.append_block_param(handler, types::I32);
        let after = self.b.create_block();
        self.scopes.push(Scope::Catch(handler));
        self.block(body)?;
        self.scopes.pop();
        self.jump(after, &[]);

        self.b.switch_to_block(handler);
        let f = self.host_value(HostFn::TakeFault, &[])?;
        let var = self.var(fault)?;
        self.b.def_var(var, f);
        self.block(recover)?;
        self.jump(after, &[]);
        self.b.switch_to_block(after);
        Ok(())
    }

    /// Runs `body` up to `count + 1` times; a fault on a remaining attempt is taken and dropped,
    /// the last one propagates.
    fn retry(&mut self, count: &tir::Expr, body: &[Stmt]) -> Result<(), CodegenError> {
        let count = self.expr(count)?;
        let attempt = self.b.declare_var(types::I64);
        let zero = self.b.ins().iconst(types::I64, 0);
        self.b.def_var(attempt, zero);
        let (header, handler, again, after) =
            (self.b.create_block(), self.b.create_block(), self.b.create_block(), self.b.create_block());
        self.b.append_block_param(handler, types::I32);
        self.jump(header, &[]);

        self.b.switch_to_block(header);
        self.scopes.push(Scope::Catch(handler));
        self.block(body)?;
        self.scopes.pop();
        self.jump(after, &[]);

        self.b.switch_to_block(handler);
        let status = self.b.block_params(handler)[0];
        let done = self.b.use_var(attempt);
        let more = self.b.ins().icmp(IntCC::SignedLessThan, done, count);
        let outer = self.fault_target();
        self.b.ins().brif(more, again, &[], outer, &[BlockArg::Value(status)]);

        self.b.switch_to_block(again);
        self.host_value(HostFn::TakeFault, &[])?;
        let next = self.b.ins().iadd_imm_s(done, 1);
        self.b.def_var(attempt, next);
        self.back_edge(header)?;
        self.b.switch_to_block(after);
        Ok(())
    }

    /// F64 values cross lists, records and host calls as their bits.
    pub(super) fn bits_of(&mut self, v: Value) -> Value {
        if self.b.func.dfg.value_type(v) == types::F64 {
            self.b.ins().bitcast(types::I64, MemFlagsData::new(), v)
        } else {
            v
        }
    }

    pub(super) fn value_from_bits(&mut self, v: Value, ty: &Ty) -> Value {
        if ty.repr() == Repr::F64 { self.b.ins().bitcast(types::F64, MemFlagsData::new(), v) } else { v }
    }
}
