//! The one place where compiled code and the runtime meet: the layout of values, the host API
//! table that generated code receives, the signature of compiled functions, and the module
//! manifest. The compiler mirrors this file in `deft_compiler::codegen::abi`; the integration
//! tests check that the two agree slot by slot.
//!
//! Values cross the ABI as 64-bit slots: `Int`, `Bool` (0/1), fault kinds and handles as `u64`,
//! `Real` and quantities as the bits of an `f64` in SI. Strings, lists, records, geometry and cell
//! objects are handles into the episode's value heap. A status of 0 means success; any other value
//! means a fault is pending in the context, to be propagated or taken by a `recover` block.
//!
//! The first word of the context is a pointer to [`Direct`], the little state generated code reads
//! and writes without calling the host: a view of every list's elements (so `xs[i]`, `len(xs)` and
//! an in-place `xs[i] = v` are a few loads and a bounds check) and the loop fuel (so a back-edge
//! costs a decrement, and `poll` runs once per [`POLL_EVERY`] iterations). The compiler mirrors the
//! offsets below; the integration tests compare them with `offset_of!`.

use serde::{Deserialize, Serialize};
use std::ffi::c_void;

/// Bumped whenever the host table, the value layout or the manifest changes incompatibly.
pub const ABI_VERSION: u32 = 2;

/// The symbol of the manifest in a native module: a `u64` little-endian byte length followed by
/// that many bytes of JSON ([`Manifest`]).
pub const MANIFEST_SYMBOL: &str = "deft_manifest";

/// The per-episode context generated code passes back to every host function; opaque but for
/// its first word, a `*mut Direct`.
pub type Ctx = c_void;

/// What generated code reads and writes in place. Its address is fixed for the whole episode.
#[repr(C)]
#[derive(Debug)]
pub struct Direct {
    /// One view per heap handle: handle `h` is at index `h - 1`. Values that are not lists have an
    /// empty view, so any index is out of bounds and generated code falls back to the host call,
    /// which reports the real error.
    pub lists: *const ListView,
    /// How many views `lists` points at (the heap's size).
    pub count: u64,
    /// Loop back-edges left before generated code must call `poll`.
    pub fuel: u64,
    /// What the last `poll_preserving` returned (it cannot return a value itself).
    pub status: u64,
}

/// A list's elements as generated code sees them: valid until the list grows (which only the host
/// does, updating the view) or the episode ends.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ListView {
    pub data: *mut u64,
    pub len: u64,
}

/// Byte offsets of [`Direct`]'s fields and [`ListView`]'s, which the compiler hard-codes.
pub const DIRECT_LISTS: usize = 0;
pub const DIRECT_COUNT: usize = 8;
pub const DIRECT_FUEL: usize = 16;
pub const DIRECT_STATUS: usize = 24;
pub const LIST_VIEW_DATA: usize = 0;
pub const LIST_VIEW_LEN: usize = 8;
/// `size_of::<ListView>()`, a power of two so generated code scales an index with a shift.
pub const LIST_VIEW_SIZE: usize = 16;

/// How many loop back-edges one `poll` pays for: the runaway-loop and heap limits are checked, and
/// a deferred fault surfaces, at least this often.
pub const POLL_EVERY: u64 = 1024;

/// Every compiled function (skill, fn, test body): arguments in `args[0..n]`, result in `ret[0]`.
pub type CompiledFn = unsafe extern "C" fn(host: *const HostApi, ctx: *mut Ctx, args: *const u64, ret: *mut u64) -> u32;

/// The host function table, in ABI order. Generated code loads slot `i` from offset `8 * i`.
#[repr(C)]
pub struct HostApi {
    /// Slot 0: [`ABI_VERSION`] (as u64), read by nothing in generated code; for debuggers.
    pub abi_version: u64,
    /// Call native `index` of the manifest's `natives` with `args`; result in `ret[0]`.
    pub call_native: unsafe extern "C" fn(ctx: *mut Ctx, native: u32, args: *const u64, ret: *mut u64) -> u32,
    /// Entering function `func` (manifest index): pushes the skill stack, checks recursion depth.
    pub enter: unsafe extern "C" fn(ctx: *mut Ctx, func: u32) -> u32,
    /// Leaving the function entered last, on every exit path (return or fault).
    pub leave: unsafe extern "C" fn(ctx: *mut Ctx),
    /// Raise a fault of kind `kind` (index into [`FAULT_KINDS`]) with a string handle; returns 1.
    pub raise: unsafe extern "C" fn(ctx: *mut Ctx, kind: u32, message: u64) -> u32,
    /// Raise an existing `Fault` value again (`fail e`); returns 1.
    pub reraise: unsafe extern "C" fn(ctx: *mut Ctx, fault: u64) -> u32,
    /// Take the pending fault as a `Fault` handle and clear it (entering a `recover` block, or
    /// before a `retry` attempt).
    pub take_fault: unsafe extern "C" fn(ctx: *mut Ctx) -> u64,
    /// Loop back-edges call this when [`Direct::fuel`] is 0, so the runtime can stop a runaway loop
    /// (and refill the fuel); nonzero = fault.
    pub poll: unsafe extern "C" fn(ctx: *mut Ctx) -> u32,
    /// The string constant `id` of the manifest's `strings`.
    pub str_const: unsafe extern "C" fn(ctx: *mut Ctx, id: u32) -> u64,
    pub str_concat: unsafe extern "C" fn(ctx: *mut Ctx, a: u64, b: u64) -> u64,
    /// 1 when equal, else 0.
    pub str_eq: unsafe extern "C" fn(ctx: *mut Ctx, a: u64, b: u64) -> u64,
    pub fmt_int: unsafe extern "C" fn(ctx: *mut Ctx, v: i64) -> u64,
    pub fmt_real: unsafe extern "C" fn(ctx: *mut Ctx, v: f64) -> u64,
    pub fmt_bool: unsafe extern "C" fn(ctx: *mut Ctx, v: u64) -> u64,
    /// `v / scale`, a space, then the string constant `unit`: `0.27 mm`.
    pub fmt_quantity: unsafe extern "C" fn(ctx: *mut Ctx, v: f64, unit: u32, scale: f64) -> u64,
    pub list_new: unsafe extern "C" fn(ctx: *mut Ctx, capacity: u64) -> u64,
    /// Append in place: building a list literal, or `xs = xs + [v]` on a list no one else holds.
    pub list_push: unsafe extern "C" fn(ctx: *mut Ctx, list: u64, v: u64),
    pub list_len: unsafe extern "C" fn(ctx: *mut Ctx, list: u64) -> i64,
    /// Generated code reads and writes lists through [`ListView`]s; when its check fails (`list`
    /// is not a list, or `index` is out of bounds), it calls this to raise the fault. Returns 1.
    pub list_fault: unsafe extern "C" fn(ctx: *mut Ctx, list: u64, index: i64) -> u32,
    /// A copy of `list` with `index` set to `v`, into `out[0]`; out of bounds raises a fault.
    pub list_set: unsafe extern "C" fn(ctx: *mut Ctx, list: u64, index: i64, v: u64, out: *mut u64) -> u32,
    pub list_concat: unsafe extern "C" fn(ctx: *mut Ctx, a: u64, b: u64) -> u64,
    /// A record of `fields` slots (struct values), zero-filled.
    pub record_new: unsafe extern "C" fn(ctx: *mut Ctx, fields: u32) -> u64,
    pub record_get: unsafe extern "C" fn(ctx: *mut Ctx, record: u64, index: u32) -> u64,
    pub record_set: unsafe extern "C" fn(ctx: *mut Ctx, record: u64, index: u32, v: u64),
    /// The handle bound to entry `index` of the manifest's `cell`.
    pub cell_get: unsafe extern "C" fn(ctx: *mut Ctx, index: u32) -> u64,
    /// Start a `within` block of `seconds` robot time.
    pub within_push: unsafe extern "C" fn(ctx: *mut Ctx, seconds: f64) -> u32,
    pub within_pop: unsafe extern "C" fn(ctx: *mut Ctx),
    /// Narrow the envelope: `kind` is 0 speed (m/s), 1 force (N), 2 acceleration (m/s^2).
    pub limits_push: unsafe extern "C" fn(ctx: *mut Ctx, kind: u32, value: f64) -> u32,
    pub limits_pop: unsafe extern "C" fn(ctx: *mut Ctx),
    /// Integer division or remainder by zero: raises a fault, returns 1.
    pub div_zero: unsafe extern "C" fn(ctx: *mut Ctx) -> u32,
    /// `poll`, for loop back-edges on x86-64: it preserves every register (Cranelift's
    /// `preserve_all` convention), so values a loop carries stay in registers across its cold
    /// path, and it writes its status to [`Direct::status`]. Elsewhere the compiler calls `poll`.
    pub poll_preserving: unsafe extern "C" fn(ctx: *mut Ctx),
}

/// The slot names of [`HostApi`] in order; the compiler's mirror must list the same.
pub const HOST_API_SLOTS: &[&str] = &[
    "abi_version",
    "call_native",
    "enter",
    "leave",
    "raise",
    "reraise",
    "take_fault",
    "poll",
    "str_const",
    "str_concat",
    "str_eq",
    "fmt_int",
    "fmt_real",
    "fmt_bool",
    "fmt_quantity",
    "list_new",
    "list_push",
    "list_len",
    "list_fault",
    "list_set",
    "list_concat",
    "record_new",
    "record_get",
    "record_set",
    "cell_get",
    "within_push",
    "within_pop",
    "limits_push",
    "limits_pop",
    "div_zero",
    "poll_preserving",
];

/// The closed set of fault kinds in ABI order; the compiler's `types::FAULT_KINDS` must agree.
pub const FAULT_KINDS: [&str; 12] = [
    "Unreachable",
    "Collision",
    "LimitExceeded",
    "GraspFailed",
    "Dropped",
    "FastenFailed",
    "InspectionFailed",
    "Timeout",
    "Ensure",
    "Hardware",
    "Stopped",
    "User",
];

/// What a native module says about itself. Embedded as JSON; checked before anything runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub abi_version: u32,
    pub compiler_version: String,
    /// SHA-256 (hex) of the sources the module was compiled from, main module first.
    pub source_hash: String,
    /// The main source file as the compiler was given it, so that a trace of the module can be
    /// replayed from source; absent in modules that do not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_path: Option<String>,
    /// Every compiled function; the position is the index `enter` receives.
    pub functions: Vec<ManifestFunction>,
    /// Natives in the order `call_native` indexes them.
    pub natives: Vec<ManifestNative>,
    /// The `cell { }` interface in the order `cell_get` indexes it.
    pub cell: Vec<ManifestCellEntry>,
    /// String constants in the order `str_const` indexes them.
    pub strings: Vec<String>,
    pub structs: Vec<ManifestStruct>,
    pub tests: Vec<ManifestTest>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestFunction {
    pub name: String,
    /// `"skill"` or `"fn"`.
    pub kind: String,
    /// The exported symbol in a `.so`, and the key of the JIT's function table.
    pub symbol: String,
    pub exported: bool,
    pub params: Vec<ManifestParam>,
    /// The result type as the compiler prints it (`()` for none).
    pub ret: String,
    /// Cell handles the function commands.
    pub effects: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestParam {
    pub name: String,
    /// The type as the compiler prints it: `Length`, `[Part]`, `[kg/s^2]`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The unit it was declared with, for quantities.
    pub unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestNative {
    /// `std::prelude::move_linear(Arm,Pose,Speed)`.
    pub key: String,
    pub skill: bool,
    pub ret: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestCellEntry {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestStruct {
    pub name: String,
    pub fields: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestTest {
    pub name: String,
    /// Index into `functions`.
    pub func: u32,
    pub runs: Option<u64>,
    pub expect_success: Option<f64>,
}
