//! List access in generated code without calling the host: `xs[i]`, `len(xs)`, an in-place
//! `xs[i] = v` on an owned list, and the loop fuel, all through the runtime's `Direct` block (see
//! `runtime::abi`). When a list check fails (not a list, index out of bounds) the code calls
//! `list_fault` and goes to the fault handler: the failure path never rejoins the hot one, so no
//! value has to live across that call, and floats stay in registers. The fuel lives in a variable
//! between calls; when it is spent, the back-edge calls `poll_preserving` (on x86-64: a `poll` that
//! preserves every register, so a loop's values stay in registers too) or `poll`.

use super::CodegenError;
use super::abi::{
    DIRECT_COUNT, DIRECT_FUEL, DIRECT_LISTS, DIRECT_STATUS, HostFn, LIST_VIEW_DATA, LIST_VIEW_LEN, LIST_VIEW_SHIFT,
};
use super::translate::FnTranslator;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{AliasRegion, AliasRegionData, Block, InstBuilder, MemFlagsData, Type, Value, types};
use cranelift_frontend::FunctionBuilder;
use cranelift_module::Module;

/// Separate alias regions let Cranelift keep a list's view in a register across stores to its
/// elements, and the fuel's stores disturb neither. Calls still invalidate everything.
#[derive(Clone, Copy, Debug)]
pub(super) struct Regions {
    views: AliasRegion,
    elements: AliasRegion,
    fuel: AliasRegion,
}

impl Regions {
    pub(super) fn new(b: &mut FunctionBuilder) -> Regions {
        let mut region = |user_id: u32, description: &'static str| {
            b.func.dfg.alias_regions.insert(AliasRegionData { user_id, description: description.into() })
        };
        Regions { views: region(1, "list views"), elements: region(2, "list elements"), fuel: region(3, "loop fuel") }
    }
}

/// List views already loaded on the straight-line path being emitted: reused until a call (which
/// may grow the heap) or a block that other paths also reach. Cranelift's own redundant-load
/// elimination does not remove these loads, and a list read is mostly these loads.
#[derive(Clone, Debug, Default)]
pub(super) struct ViewCache {
    /// The block the cached values are valid in; `None` when nothing is cached.
    block: Option<Block>,
    /// The `Direct` block's `lists` and `count`.
    table: Option<(Value, Value)>,
    /// Per list handle: the address of its view, its `data` and its `len`.
    views: Vec<(Value, Value, Value, Value)>,
    /// Elements read: (list, index, type, value); forgotten at any in-place write.
    elements: Vec<(Value, Value, Type, Value)>,
}

impl ViewCache {
    pub(super) fn clear(&mut self) {
        *self = ViewCache::default();
    }
}

/// A failed list check still to be written: its block, what it checked, and where the fault goes.
#[derive(Clone, Copy, Debug)]
pub(super) struct ListFault {
    block: Block,
    list: Value,
    index: Value,
    target: Block,
}

fn flags(region: AliasRegion) -> MemFlagsData {
    MemFlagsData::trusted().with_alias_region(Some(region))
}

impl<M: Module> FnTranslator<'_, '_, M> {
    /// The `Direct` block's address, the context's first word: fixed for the episode.
    pub(super) fn load_direct(&mut self, ctx: Value) -> Value {
        let flags = MemFlagsData::trusted().with_readonly();
        self.b.ins().load(self.ptr, flags, ctx, 0)
    }

    /// The address of element `index` of `list`; branches to `slow` when `list` is not a list
    /// handle or `index` is out of its bounds.
    fn element_addr(&mut self, list: Value, index: Value, slow: Block) -> Result<Value, CodegenError> {
        let (_, data, len) = self.view(list, slow)?;
        // Unsigned, so a negative index is out of bounds too.
        let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, index, len);
        self.continue_if(inside, slow);
        let offset = self.b.ins().ishl_imm_u(index, 3);
        Ok(self.b.ins().iadd(data, offset))
    }

    /// `list`'s view: its address, `data` and `len`; branches to `slow` when the handle is not a
    /// heap value.
    fn view(&mut self, list: Value, slow: Block) -> Result<(Value, Value, Value), CodegenError> {
        if self.ptr != types::I64 {
            return Err(CodegenError::new("inline list access needs a 64-bit target"));
        }
        if self.view_cache.block != self.b.current_block() {
            self.view_cache.clear();
            self.view_cache.block = self.b.current_block();
        }
        if let Some(&(_, addr, data, len)) = self.view_cache.views.iter().find(|v| v.0 == list) {
            return Ok((addr, data, len));
        }
        let f = flags(self.regions.views);
        let (views, count) = match self.view_cache.table {
            Some(t) => t,
            None => {
                let views = self.b.ins().load(self.ptr, f, self.direct, DIRECT_LISTS);
                let count = self.b.ins().load(types::I64, f, self.direct, DIRECT_COUNT);
                self.view_cache.table = Some((views, count));
                (views, count)
            }
        };
        // Handle h is view h - 1; handle 0 wraps to u64::MAX and fails the check.
        let slot = self.b.ins().iadd_imm_s(list, -1);
        let known = self.b.ins().icmp(IntCC::UnsignedLessThan, slot, count);
        self.continue_if(known, slow);
        let offset = self.b.ins().ishl_imm_u(slot, LIST_VIEW_SHIFT);
        let addr = self.b.ins().iadd(views, offset);
        let len = self.b.ins().load(types::I64, f, addr, LIST_VIEW_LEN);
        let data = self.b.ins().load(self.ptr, f, addr, LIST_VIEW_DATA);
        self.view_cache.views.push((list, addr, data, len));
        Ok((addr, data, len))
    }

    /// A block off the hot path: laid out after the function's body, so the register allocator
    /// prefers to spill there rather than in the loop around it.
    pub(super) fn cold_block(&mut self) -> Block {
        let block = self.b.create_block();
        self.b.set_cold_block(block);
        block
    }

    /// Continues in a new block when `cond` holds, else jumps to `otherwise`. The new block has
    /// one predecessor, so loaded views stay valid in it.
    fn continue_if(&mut self, cond: Value, otherwise: Block) {
        let next = self.b.create_block();
        self.b.ins().brif(cond, next, &[], otherwise, &[]);
        let cached = self.view_cache.block.is_some() && self.view_cache.block == self.b.current_block();
        // Sealed now, so reading a local in it finds the same SSA value as before the branch
        // (and the view cache, keyed by value, keeps hitting).
        self.b.seal_block(next);
        self.b.switch_to_block(next);
        if cached {
            self.view_cache.block = Some(next);
        }
    }

    /// A cold block that will raise the fault of a failed check of `list[index]` and propagate it
    /// to the handler in scope here; `fill_fault_blocks` writes it once the body is done.
    fn fault_block(&mut self, list: Value, index: Value) -> Result<Block, CodegenError> {
        let slow = self.cold_block();
        let target = self.fault_target();
        self.list_faults.push(ListFault { block: slow, list, index, target });
        Ok(slow)
    }

    /// Writes every block made by `fault_block`.
    pub(super) fn fill_fault_blocks(&mut self) -> Result<(), CodegenError> {
        for f in std::mem::take(&mut self.list_faults) {
            self.b.switch_to_block(f.block);
            let status = self.host_value(HostFn::ListFault, &[f.list, f.index])?;
            self.jump(f.target, &[status]);
        }
        Ok(())
    }

    /// `list[index]` as a value of type `ty`.
    pub(super) fn list_get(&mut self, list: Value, index: Value, ty: Type) -> Result<Value, CodegenError> {
        if self.view_cache.block.is_some() && self.view_cache.block == self.b.current_block() {
            let hit = self.view_cache.elements.iter().find(|e| (e.0, e.1, e.2) == (list, index, ty));
            if let Some(&(.., v)) = hit {
                return Ok(v);
            }
        }
        let slow = self.fault_block(list, index)?;
        let addr = self.element_addr(list, index, slow)?;
        let v = self.b.ins().load(ty, flags(self.regions.elements), addr, 0);
        self.view_cache.elements.push((list, index, ty, v));
        Ok(v)
    }

    /// `len(list)`.
    pub(super) fn list_len(&mut self, list: Value) -> Result<Value, CodegenError> {
        let zero = self.b.ins().iconst(types::I64, 0);
        let slow = self.fault_block(list, zero)?;
        Ok(self.view(list, slow)?.2)
    }

    /// `list[index] = bits` on a list the function owns: a store in place.
    pub(super) fn list_set_in_place(&mut self, list: Value, index: Value, bits: Value) -> Result<(), CodegenError> {
        let slow = self.fault_block(list, index)?;
        let addr = self.element_addr(list, index, slow)?;
        self.b.ins().store(flags(self.regions.elements), bits, addr, 0);
        // Another local may name the same list under another value only if it was copied from
        // this one, which `owned.rs` rules out; but indices may alias, so forget every element.
        self.view_cache.elements.clear();
        Ok(())
    }

    /// `list[index] = bits` by the host: a copy with the element replaced (or a fault).
    pub(super) fn list_set_copy(&mut self, list: Value, index: Value, bits: Value) -> Result<Value, CodegenError> {
        let out = self.slots(1);
        self.host_checked(HostFn::ListSet, &[list, index, bits, out])?;
        Ok(self.b.ins().load(types::I64, MemFlagsData::trusted(), out, 0))
    }

    /// Reads the fuel into its variable, once the function has been entered.
    pub(super) fn start_fuel(&mut self) {
        let var = self.b.declare_var(types::I64);
        let fuel = self.b.ins().load(types::I64, flags(self.regions.fuel), self.direct, DIRECT_FUEL);
        self.b.def_var(var, fuel);
        self.fuel = Some(var);
    }

    /// Before a call: the callee or the host reads and changes the fuel in the `Direct` block.
    pub(super) fn save_fuel(&mut self) {
        if let Some(var) = self.fuel {
            let fuel = self.b.use_var(var);
            self.b.ins().store(flags(self.regions.fuel), fuel, self.direct, DIRECT_FUEL);
        }
    }

    /// After a call: the heap or a list may have grown, and the fuel may have changed.
    pub(super) fn after_call(&mut self) {
        self.view_cache.clear();
        if let Some(var) = self.fuel {
            let fuel = self.b.ins().load(types::I64, flags(self.regions.fuel), self.direct, DIRECT_FUEL);
            self.b.def_var(var, fuel);
        }
    }

    /// A loop back-edge: spend one unit of fuel, or call `poll` (which may stop a runaway loop, and
    /// refills the fuel) when there is none left; then jump to `header`.
    pub(super) fn back_edge(&mut self, header: Block) -> Result<(), CodegenError> {
        let var = self.fuel.ok_or_else(|| CodegenError::new("a loop before the function was entered"))?;
        let fuel = self.b.use_var(var);
        let (spend, refill) = (self.b.create_block(), self.cold_block());
        self.b.ins().brif(fuel, spend, &[], refill, &[]);

        self.b.switch_to_block(spend);
        let left = self.b.ins().iadd_imm_s(fuel, -1);
        self.b.def_var(var, left);
        self.b.ins().jump(header, &[]);

        self.b.switch_to_block(refill);
        if self.preserving_poll {
            self.call_host(HostFn::PollPreserving, &[]);
            let status = self.b.ins().load(types::I32, flags(self.regions.fuel), self.direct, DIRECT_STATUS);
            self.check(status);
        } else {
            self.host_checked(HostFn::Poll, &[])?;
        }
        self.b.ins().jump(header, &[]);
        Ok(())
    }
}
