//! The host function table: one `extern "C"` shim per slot of `abi::HostApi`, each catching
//! panics (unwinding across `extern "C"` is undefined behaviour) and forwarding to the episode.

use super::{Episode, hardware};
use crate::abi::{ABI_VERSION, Ctx, HostApi};
use crate::fault::{Fault, FaultKind};
use crate::format::format_real;
use crate::value::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Run `f` on the episode behind `ctx`, turning a panic into a `Hardware` fault and `on_panic`.
fn with<R>(ctx: *mut Ctx, on_panic: R, name: &str, f: impl FnOnce(&mut Episode) -> R) -> R {
    if ctx.is_null() {
        return on_panic;
    }
    // SAFETY: generated code passes back the `*mut Ctx` the runtime gave it, an `Episode` that
    // outlives the call; host functions are not re-entered.
    let episode = unsafe { &mut *ctx.cast::<Episode>() };
    match catch_unwind(AssertUnwindSafe(|| f(&mut *episode))) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            episode.raise(hardware(format!("internal runtime error in host function {name}: {what}")));
            on_panic
        }
    }
}

unsafe extern "C" fn h_call_native(ctx: *mut Ctx, native: u32, args: *const u64, ret: *mut u64) -> u32 {
    with(ctx, 1, "call_native", |e| e.call_native(native, args, ret))
}
unsafe extern "C" fn h_enter(ctx: *mut Ctx, func: u32) -> u32 {
    with(ctx, 1, "enter", |e| e.enter(func))
}
unsafe extern "C" fn h_leave(ctx: *mut Ctx) {
    with(ctx, (), "leave", |e| e.leave())
}
unsafe extern "C" fn h_raise(ctx: *mut Ctx, kind: u32, message: u64) -> u32 {
    with(ctx, 1, "raise", |e| e.raise_kind(kind, message))
}
unsafe extern "C" fn h_reraise(ctx: *mut Ctx, fault: u64) -> u32 {
    with(ctx, 1, "reraise", |e| e.reraise(fault))
}
unsafe extern "C" fn h_take_fault(ctx: *mut Ctx) -> u64 {
    with(ctx, 0, "take_fault", |e| e.take_fault())
}
unsafe extern "C" fn h_poll(ctx: *mut Ctx) -> u32 {
    with(ctx, 1, "poll", |e| e.poll())
}
unsafe extern "C" fn h_str_const(ctx: *mut Ctx, id: u32) -> u64 {
    with(ctx, 0, "str_const", |e| e.str_const(id))
}
unsafe extern "C" fn h_str_concat(ctx: *mut Ctx, a: u64, b: u64) -> u64 {
    with(ctx, 0, "str_concat", |e| e.str_concat(a, b))
}
unsafe extern "C" fn h_str_eq(ctx: *mut Ctx, a: u64, b: u64) -> u64 {
    with(ctx, 0, "str_eq", |e| e.str_eq(a, b))
}
unsafe extern "C" fn h_fmt_int(ctx: *mut Ctx, v: i64) -> u64 {
    with(ctx, 0, "fmt_int", |e| e.heap.alloc_str(v.to_string()))
}
unsafe extern "C" fn h_fmt_real(ctx: *mut Ctx, v: f64) -> u64 {
    with(ctx, 0, "fmt_real", |e| e.heap.alloc_str(format_real(v)))
}
unsafe extern "C" fn h_fmt_bool(ctx: *mut Ctx, v: u64) -> u64 {
    with(ctx, 0, "fmt_bool", |e| e.heap.alloc_str(if v != 0 { "true" } else { "false" }))
}
unsafe extern "C" fn h_fmt_quantity(ctx: *mut Ctx, v: f64, unit: u32, scale: f64) -> u64 {
    with(ctx, 0, "fmt_quantity", |e| e.fmt_quantity(v, unit, scale))
}
unsafe extern "C" fn h_list_new(ctx: *mut Ctx, capacity: u64) -> u64 {
    // The capacity is a hint from generated code; bound it so a bogus value cannot exhaust memory.
    let capacity = usize::try_from(capacity.min(1 << 16)).unwrap_or(0);
    with(ctx, 0, "list_new", |e| e.heap.alloc(Value::List(Vec::with_capacity(capacity))))
}
unsafe extern "C" fn h_list_push(ctx: *mut Ctx, list: u64, v: u64) {
    with(ctx, (), "list_push", |e| e.list_push(list, v))
}
unsafe extern "C" fn h_list_len(ctx: *mut Ctx, list: u64) -> i64 {
    with(ctx, 0, "list_len", |e| e.list_len(list))
}
unsafe extern "C" fn h_list_fault(ctx: *mut Ctx, list: u64, index: i64) -> u32 {
    with(ctx, 1, "list_fault", |e| e.list_fault(list, index))
}
unsafe extern "C" fn h_list_set(ctx: *mut Ctx, list: u64, index: i64, v: u64, out: *mut u64) -> u32 {
    with(ctx, 1, "list_set", |e| e.list_set(list, index, v, out))
}
unsafe extern "C" fn h_list_concat(ctx: *mut Ctx, a: u64, b: u64) -> u64 {
    with(ctx, 0, "list_concat", |e| e.list_concat(a, b))
}
unsafe extern "C" fn h_record_new(ctx: *mut Ctx, fields: u32) -> u64 {
    with(ctx, 0, "record_new", |e| e.heap.alloc(Value::Record(vec![0; fields as usize])))
}
unsafe extern "C" fn h_record_get(ctx: *mut Ctx, record: u64, index: u32) -> u64 {
    with(ctx, 0, "record_get", |e| e.record_get(record, index))
}
unsafe extern "C" fn h_record_set(ctx: *mut Ctx, record: u64, index: u32, v: u64) {
    with(ctx, (), "record_set", |e| e.record_set(record, index, v))
}
unsafe extern "C" fn h_cell_get(ctx: *mut Ctx, index: u32) -> u64 {
    with(ctx, 0, "cell_get", |e| e.cell_get(index))
}
unsafe extern "C" fn h_within_push(ctx: *mut Ctx, seconds: f64) -> u32 {
    with(ctx, 1, "within_push", |e| e.within_push(seconds))
}
unsafe extern "C" fn h_within_pop(ctx: *mut Ctx) {
    with(ctx, (), "within_pop", |e| e.robot.pop_deadline())
}
unsafe extern "C" fn h_limits_push(ctx: *mut Ctx, kind: u32, value: f64) -> u32 {
    with(ctx, 1, "limits_push", |e| e.limits_push(kind, value))
}
unsafe extern "C" fn h_limits_pop(ctx: *mut Ctx) {
    with(ctx, (), "limits_pop", |e| e.robot.monitor_mut().pop())
}
unsafe extern "C" fn h_div_zero(ctx: *mut Ctx) -> u32 {
    with(ctx, 1, "div_zero", |e| e.raise(Fault::new(FaultKind::Ensure, "division by zero")))
}

/// Stores `poll`'s status where `poll_preserving`'s caller reads it.
unsafe extern "C" fn h_poll_to_direct(ctx: *mut Ctx) {
    let status = unsafe { h_poll(ctx) };
    with(ctx, (), "poll", |e| e.set_poll_status(status));
}

// `h_poll_to_direct` behind a frame that preserves every register: see the fragment.
include!("preserve_all.rs");
preserve_all_trampoline!(h_poll_preserving, *mut Ctx, h_poll_to_direct);

/// Elsewhere nothing calls it with `preserve_all`; it is an ordinary function.
#[cfg(not(target_arch = "x86_64"))]
unsafe extern "C" fn h_poll_preserving(ctx: *mut Ctx) {
    unsafe { h_poll_to_direct(ctx) }
}

/// The host table every compiled function receives.
pub static HOST: HostApi = HostApi {
    abi_version: ABI_VERSION as u64,
    call_native: h_call_native,
    enter: h_enter,
    leave: h_leave,
    raise: h_raise,
    reraise: h_reraise,
    take_fault: h_take_fault,
    poll: h_poll,
    str_const: h_str_const,
    str_concat: h_str_concat,
    str_eq: h_str_eq,
    fmt_int: h_fmt_int,
    fmt_real: h_fmt_real,
    fmt_bool: h_fmt_bool,
    fmt_quantity: h_fmt_quantity,
    list_new: h_list_new,
    list_push: h_list_push,
    list_len: h_list_len,
    list_fault: h_list_fault,
    list_set: h_list_set,
    list_concat: h_list_concat,
    record_new: h_record_new,
    record_get: h_record_get,
    record_set: h_record_set,
    cell_get: h_cell_get,
    within_push: h_within_push,
    within_pop: h_within_pop,
    limits_push: h_limits_push,
    limits_pop: h_limits_pop,
    div_zero: h_div_zero,
    poll_preserving: h_poll_preserving,
};
