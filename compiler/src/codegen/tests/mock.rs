//! A mock runtime for codegen tests: a `HostApi`-compatible table over a Vec-based heap, with a
//! pending-fault slot, a skill stack, counters and a log of native calls.

use crate::codegen::abi::ABI_VERSION;

/// A fault: kind ordinal, message, and the function indices on the stack when it was raised.
#[derive(Clone, Debug, PartialEq)]
pub struct MockFault {
    pub kind: u32,
    pub message: String,
    pub stack: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Obj {
    Str(String),
    List(Vec<u64>),
    Record(Vec<u64>),
    Fault(MockFault),
}

/// A native: receives the mock and its argument slots; `Err` raises a `Hardware` fault.
pub type NativeFn = fn(&mut Mock, &[u64]) -> Result<u64, String>;

/// `repr(C)` because generated code reads the first field: the runtime's `Direct` block, here
/// `[lists, count, fuel, status]`. The fuel stays 0, so every back-edge calls `poll_preserving`.
#[derive(Default)]
#[repr(C)]
pub struct Mock {
    pub direct: Box<[u64; 4]>,
    /// One `[data, len]` view per heap entry, as the runtime keeps them.
    views: Vec<[u64; 2]>,
    pub heap: Vec<Obj>,
    pub strings: Vec<String>,
    pub fault: Option<MockFault>,
    pub stack: Vec<u32>,
    pub max_depth: usize,
    pub enters: usize,
    pub leaves: usize,
    pub polls: u64,
    pub list_faults: usize,
    /// Poll faults (`Stopped`) once this many polls happened.
    pub poll_limit: Option<u64>,
    pub natives: Vec<(usize, NativeFn)>,
    pub native_log: Vec<(u32, Vec<u64>)>,
    /// Countdown for flaky natives: fail while positive.
    pub failures_left: u32,
    pub within: Vec<f64>,
    pub within_pushes: usize,
    pub limits: Vec<(u32, f64)>,
    pub limits_pushes: usize,
    /// Refuse (with `LimitExceeded`) the push that would make `limits_pushes` reach this.
    pub refuse_limits_push: Option<usize>,
}

/// Cell handles are recognisable numbers, not heap entries.
pub const CELL_BASE: u64 = 1_000_000;

impl Mock {
    pub fn new(strings: &[String]) -> Mock {
        Mock { strings: strings.to_vec(), ..Mock::default() }
    }

    pub fn alloc(&mut self, obj: Obj) -> u64 {
        self.heap.push(obj);
        self.views.push([0, 0]);
        let h = self.heap.len() as u64;
        self.sync_view(h);
        h
    }

    /// Points handle `h`'s view at its list's elements, and the `Direct` block at the views.
    fn sync_view(&mut self, h: u64) {
        let i = h as usize - 1;
        if let Some(Obj::List(l)) = self.heap.get_mut(i) {
            self.views[i] = [l.as_mut_ptr() as u64, l.len() as u64];
        }
        self.direct[0] = self.views.as_ptr() as u64;
        self.direct[1] = self.views.len() as u64;
    }

    pub fn obj(&self, handle: u64) -> Option<&Obj> {
        self.heap.get((handle as usize).wrapping_sub(1))
    }

    pub fn string(&self, handle: u64) -> String {
        match self.obj(handle) {
            Some(Obj::Str(s)) => s.clone(),
            other => panic!("handle {handle} is not a string: {other:?}"),
        }
    }

    pub fn list(&self, handle: u64) -> Vec<u64> {
        match self.obj(handle) {
            Some(Obj::List(l)) => l.clone(),
            other => panic!("handle {handle} is not a list: {other:?}"),
        }
    }

    pub fn raise(&mut self, kind: u32, message: impl Into<String>) -> u32 {
        self.fault = Some(MockFault { kind, message: message.into(), stack: self.stack.clone() });
        1
    }

    /// Calls a compiled function with this mock as the runtime.
    pub fn call(&mut self, code: *const u8, args: &[u64]) -> (u32, u64) {
        // SAFETY: `code` is a function compiled with the CompiledFn ABI, and HOST uses this file's
        // ctx type consistently.
        let f: CompiledFn = unsafe { std::mem::transmute(code) };
        let mut ret = 0u64;
        let status = unsafe { f(&HOST, self, args.as_ptr(), &mut ret) };
        (status, ret)
    }
}

pub type CompiledFn = unsafe extern "C" fn(*const HostApi, *mut Mock, *const u64, *mut u64) -> u32;

fn m<'a>(ctx: *mut Mock) -> &'a mut Mock {
    // SAFETY: generated code passes back the ctx pointer `Mock::call` gave it, which is live and
    // not otherwise borrowed during the call.
    unsafe { &mut *ctx }
}

const USER: u32 = 11;
const HARDWARE: u32 = 9;
const STOPPED: u32 = 10;
const LIMIT_EXCEEDED: u32 = 2;

unsafe extern "C" fn call_native(ctx: *mut Mock, native: u32, args: *const u64, ret: *mut u64) -> u32 {
    let mock = m(ctx);
    let Some(&(arity, f)) = mock.natives.get(native as usize) else {
        return mock.raise(HARDWARE, format!("no native {native}"));
    };
    // SAFETY: generated code passes an array of the native's arity (at least one slot).
    let args = unsafe { std::slice::from_raw_parts(args, arity) }.to_vec();
    mock.native_log.push((native, args.clone()));
    match f(mock, &args) {
        Ok(v) => {
            // SAFETY: generated code passes a one-slot result array.
            unsafe { *ret = v };
            0
        }
        Err(msg) => mock.raise(HARDWARE, msg),
    }
}

unsafe extern "C" fn enter(ctx: *mut Mock, func: u32) -> u32 {
    let mock = m(ctx);
    if mock.stack.len() >= 64 {
        return mock.raise(STOPPED, "recursion too deep");
    }
    mock.enters += 1;
    mock.stack.push(func);
    mock.max_depth = mock.max_depth.max(mock.stack.len());
    0
}

unsafe extern "C" fn leave(ctx: *mut Mock) {
    let mock = m(ctx);
    mock.leaves += 1;
    mock.stack.pop();
}

unsafe extern "C" fn raise(ctx: *mut Mock, kind: u32, message: u64) -> u32 {
    let mock = m(ctx);
    let text = mock.string(message);
    mock.raise(kind, text)
}

unsafe extern "C" fn reraise(ctx: *mut Mock, fault: u64) -> u32 {
    let mock = m(ctx);
    match mock.obj(fault).cloned() {
        Some(Obj::Fault(f)) => {
            mock.fault = Some(f);
            1
        }
        _ => mock.raise(HARDWARE, "reraise of a non-fault"),
    }
}

unsafe extern "C" fn take_fault(ctx: *mut Mock) -> u64 {
    let mock = m(ctx);
    let fault = mock.fault.take().unwrap_or(MockFault { kind: USER, message: "no fault".into(), stack: vec![] });
    mock.alloc(Obj::Fault(fault))
}

unsafe extern "C" fn poll(ctx: *mut Mock) -> u32 {
    let mock = m(ctx);
    mock.polls += 1;
    match mock.poll_limit {
        Some(limit) if mock.polls >= limit => mock.raise(STOPPED, "loop stopped"),
        _ => 0,
    }
}

unsafe extern "C" fn poll_to_direct(ctx: *mut Mock) {
    let status = unsafe { poll(ctx) };
    m(ctx).direct[3] = u64::from(status);
}

// `poll_to_direct` behind the runtime's own register-preserving trampoline.
include!("../../../../runtime/src/host/preserve_all.rs");
preserve_all_trampoline!(poll_preserving, *mut Mock, poll_to_direct);

#[cfg(not(target_arch = "x86_64"))]
unsafe extern "C" fn poll_preserving(ctx: *mut Mock) {
    unsafe { poll_to_direct(ctx) }
}

unsafe extern "C" fn str_const(ctx: *mut Mock, id: u32) -> u64 {
    let mock = m(ctx);
    let s = mock.strings[id as usize].clone();
    mock.alloc(Obj::Str(s))
}

unsafe extern "C" fn str_concat(ctx: *mut Mock, a: u64, b: u64) -> u64 {
    let mock = m(ctx);
    let s = mock.string(a) + &mock.string(b);
    mock.alloc(Obj::Str(s))
}

unsafe extern "C" fn str_eq(ctx: *mut Mock, a: u64, b: u64) -> u64 {
    let mock = m(ctx);
    u64::from(mock.string(a) == mock.string(b))
}

unsafe extern "C" fn fmt_int(ctx: *mut Mock, v: i64) -> u64 {
    m(ctx).alloc(Obj::Str(v.to_string()))
}

unsafe extern "C" fn fmt_real(ctx: *mut Mock, v: f64) -> u64 {
    m(ctx).alloc(Obj::Str(v.to_string()))
}

unsafe extern "C" fn fmt_bool(ctx: *mut Mock, v: u64) -> u64 {
    m(ctx).alloc(Obj::Str((v != 0).to_string()))
}

unsafe extern "C" fn fmt_quantity(ctx: *mut Mock, v: f64, unit: u32, scale: f64) -> u64 {
    let mock = m(ctx);
    let s = format!("{} {}", v / scale, mock.strings[unit as usize]);
    mock.alloc(Obj::Str(s))
}

unsafe extern "C" fn list_new(ctx: *mut Mock, capacity: u64) -> u64 {
    m(ctx).alloc(Obj::List(Vec::with_capacity(capacity as usize)))
}

unsafe extern "C" fn list_push(ctx: *mut Mock, list: u64, v: u64) {
    let mock = m(ctx);
    if let Some(Obj::List(l)) = mock.heap.get_mut(list as usize - 1) {
        l.push(v);
        mock.sync_view(list);
    }
}

unsafe extern "C" fn list_len(ctx: *mut Mock, list: u64) -> i64 {
    m(ctx).list(list).len() as i64
}

unsafe extern "C" fn list_fault(ctx: *mut Mock, list: u64, index: i64) -> u32 {
    let mock = m(ctx);
    let len = mock.list(list).len();
    mock.list_faults += 1;
    mock.raise(USER, format!("index {index} out of bounds for length {len}"))
}

unsafe extern "C" fn list_set(ctx: *mut Mock, list: u64, index: i64, v: u64, out: *mut u64) -> u32 {
    let mock = m(ctx);
    let mut l = mock.list(list);
    match usize::try_from(index).ok().filter(|&i| i < l.len()) {
        Some(i) => {
            l[i] = v;
            let h = mock.alloc(Obj::List(l));
            // SAFETY: generated code passes a one-slot out array.
            unsafe { *out = h };
            0
        }
        None => mock.raise(USER, format!("index {index} out of bounds for length {}", l.len())),
    }
}

unsafe extern "C" fn list_concat(ctx: *mut Mock, a: u64, b: u64) -> u64 {
    let mock = m(ctx);
    let mut l = mock.list(a);
    l.extend(mock.list(b));
    mock.alloc(Obj::List(l))
}

unsafe extern "C" fn record_new(ctx: *mut Mock, fields: u32) -> u64 {
    m(ctx).alloc(Obj::Record(vec![0; fields as usize]))
}

unsafe extern "C" fn record_get(ctx: *mut Mock, record: u64, index: u32) -> u64 {
    match m(ctx).obj(record) {
        Some(Obj::Record(r)) => r[index as usize],
        other => panic!("not a record: {other:?}"),
    }
}

unsafe extern "C" fn record_set(ctx: *mut Mock, record: u64, index: u32, v: u64) {
    if let Some(Obj::Record(r)) = m(ctx).heap.get_mut(record as usize - 1) {
        r[index as usize] = v;
    }
}

unsafe extern "C" fn cell_get(_ctx: *mut Mock, index: u32) -> u64 {
    CELL_BASE + u64::from(index)
}

unsafe extern "C" fn within_push(ctx: *mut Mock, seconds: f64) -> u32 {
    let mock = m(ctx);
    mock.within_pushes += 1;
    mock.within.push(seconds);
    0
}

unsafe extern "C" fn within_pop(ctx: *mut Mock) {
    m(ctx).within.pop();
}

unsafe extern "C" fn limits_push(ctx: *mut Mock, kind: u32, value: f64) -> u32 {
    let mock = m(ctx);
    mock.limits_pushes += 1;
    if mock.refuse_limits_push == Some(mock.limits_pushes) {
        return mock.raise(LIMIT_EXCEEDED, "limit above the cell's envelope");
    }
    mock.limits.push((kind, value));
    0
}

unsafe extern "C" fn limits_pop(ctx: *mut Mock) {
    m(ctx).limits.pop();
}

unsafe extern "C" fn div_zero(ctx: *mut Mock) -> u32 {
    m(ctx).raise(USER, "division by zero")
}

/// Mirrors `runtime::abi::HostApi` field for field, with this mock as the context type.
#[repr(C)]
pub struct HostApi {
    pub abi_version: u64,
    pub call_native: unsafe extern "C" fn(*mut Mock, u32, *const u64, *mut u64) -> u32,
    pub enter: unsafe extern "C" fn(*mut Mock, u32) -> u32,
    pub leave: unsafe extern "C" fn(*mut Mock),
    pub raise: unsafe extern "C" fn(*mut Mock, u32, u64) -> u32,
    pub reraise: unsafe extern "C" fn(*mut Mock, u64) -> u32,
    pub take_fault: unsafe extern "C" fn(*mut Mock) -> u64,
    pub poll: unsafe extern "C" fn(*mut Mock) -> u32,
    pub str_const: unsafe extern "C" fn(*mut Mock, u32) -> u64,
    pub str_concat: unsafe extern "C" fn(*mut Mock, u64, u64) -> u64,
    pub str_eq: unsafe extern "C" fn(*mut Mock, u64, u64) -> u64,
    pub fmt_int: unsafe extern "C" fn(*mut Mock, i64) -> u64,
    pub fmt_real: unsafe extern "C" fn(*mut Mock, f64) -> u64,
    pub fmt_bool: unsafe extern "C" fn(*mut Mock, u64) -> u64,
    pub fmt_quantity: unsafe extern "C" fn(*mut Mock, f64, u32, f64) -> u64,
    pub list_new: unsafe extern "C" fn(*mut Mock, u64) -> u64,
    pub list_push: unsafe extern "C" fn(*mut Mock, u64, u64),
    pub list_len: unsafe extern "C" fn(*mut Mock, u64) -> i64,
    pub list_fault: unsafe extern "C" fn(*mut Mock, u64, i64) -> u32,
    pub list_set: unsafe extern "C" fn(*mut Mock, u64, i64, u64, *mut u64) -> u32,
    pub list_concat: unsafe extern "C" fn(*mut Mock, u64, u64) -> u64,
    pub record_new: unsafe extern "C" fn(*mut Mock, u32) -> u64,
    pub record_get: unsafe extern "C" fn(*mut Mock, u64, u32) -> u64,
    pub record_set: unsafe extern "C" fn(*mut Mock, u64, u32, u64),
    pub cell_get: unsafe extern "C" fn(*mut Mock, u32) -> u64,
    pub within_push: unsafe extern "C" fn(*mut Mock, f64) -> u32,
    pub within_pop: unsafe extern "C" fn(*mut Mock),
    pub limits_push: unsafe extern "C" fn(*mut Mock, u32, f64) -> u32,
    pub limits_pop: unsafe extern "C" fn(*mut Mock),
    pub div_zero: unsafe extern "C" fn(*mut Mock) -> u32,
    pub poll_preserving: unsafe extern "C" fn(*mut Mock),
}

pub static HOST: HostApi = HostApi {
    abi_version: ABI_VERSION as u64,
    call_native,
    enter,
    leave,
    raise,
    reraise,
    take_fault,
    poll,
    str_const,
    str_concat,
    str_eq,
    fmt_int,
    fmt_real,
    fmt_bool,
    fmt_quantity,
    list_new,
    list_push,
    list_len,
    list_fault,
    list_set,
    list_concat,
    record_new,
    record_get,
    record_set,
    cell_get,
    within_push,
    within_pop,
    limits_push,
    limits_pop,
    div_zero,
    poll_preserving,
};
