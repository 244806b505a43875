//! The compiler's mirror of `runtime::abi`: the host API slot order and the Cranelift signature of
//! each host function and of every compiled function. The compiler may not depend on the runtime,
//! so an integration test compares `HOST_API_SLOTS` with the runtime's list.

use cranelift_codegen::ir::{AbiParam, Signature, Type, types};
use cranelift_codegen::isa::CallConv;

/// Bumped together with `runtime::abi::ABI_VERSION`.
pub const ABI_VERSION: u32 = 2;

/// Byte offsets in the runtime's `Direct` block (whose address is the context's first word) and
/// in each of its `ListView`s; see `runtime::abi`.
pub const DIRECT_LISTS: i32 = 0;
pub const DIRECT_COUNT: i32 = 8;
pub const DIRECT_FUEL: i32 = 16;
pub const DIRECT_STATUS: i32 = 24;
pub const LIST_VIEW_DATA: i32 = 0;
pub const LIST_VIEW_LEN: i32 = 8;
/// `log2(size_of::<ListView>())`.
pub const LIST_VIEW_SHIFT: i64 = 4;

/// The symbol of the embedded manifest: a u64 little-endian length, then that many JSON bytes.
pub const MANIFEST_SYMBOL: &str = "deft_manifest";

/// The slot names of the runtime's `HostApi`, in order; slot `i` is at byte offset `8 * i`.
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

/// A host function that generated code calls; the discriminant is its slot in `HostApi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostFn {
    CallNative = 1,
    Enter = 2,
    Leave = 3,
    Raise = 4,
    Reraise = 5,
    TakeFault = 6,
    Poll = 7,
    StrConst = 8,
    StrConcat = 9,
    StrEq = 10,
    FmtInt = 11,
    FmtReal = 12,
    FmtBool = 13,
    FmtQuantity = 14,
    ListNew = 15,
    ListPush = 16,
    ListLen = 17,
    ListFault = 18,
    ListSet = 19,
    ListConcat = 20,
    RecordNew = 21,
    RecordGet = 22,
    RecordSet = 23,
    CellGet = 24,
    WithinPush = 25,
    WithinPop = 26,
    LimitsPush = 27,
    LimitsPop = 28,
    DivZero = 29,
    /// `poll` with Cranelift's `preserve_all` convention (x86-64 only); its status is in `Direct`.
    PollPreserving = 30,
}

/// The kind of one parameter or result of a host function, independent of the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// A pointer: the context or an out-parameter.
    Ptr,
    /// `u32`: indices, kinds and statuses.
    U32,
    /// `u64`/`i64`: handles, integers.
    U64,
    F64,
}

impl HostFn {
    /// Every host function, in slot order (slot 0, the ABI version, is not a function).
    pub const ALL: [HostFn; 30] = [
        HostFn::CallNative,
        HostFn::Enter,
        HostFn::Leave,
        HostFn::Raise,
        HostFn::Reraise,
        HostFn::TakeFault,
        HostFn::Poll,
        HostFn::StrConst,
        HostFn::StrConcat,
        HostFn::StrEq,
        HostFn::FmtInt,
        HostFn::FmtReal,
        HostFn::FmtBool,
        HostFn::FmtQuantity,
        HostFn::ListNew,
        HostFn::ListPush,
        HostFn::ListLen,
        HostFn::ListFault,
        HostFn::ListSet,
        HostFn::ListConcat,
        HostFn::RecordNew,
        HostFn::RecordGet,
        HostFn::RecordSet,
        HostFn::CellGet,
        HostFn::WithinPush,
        HostFn::WithinPop,
        HostFn::LimitsPush,
        HostFn::LimitsPop,
        HostFn::DivZero,
        HostFn::PollPreserving,
    ];

    pub fn slot(self) -> usize {
        self as usize
    }

    /// Byte offset of the function pointer in the host table.
    pub fn offset(self) -> i32 {
        8 * self as i32
    }

    pub fn name(self) -> &'static str {
        HOST_API_SLOTS[self.slot()]
    }

    /// Parameters after the leading context pointer, and the result.
    fn shape(self) -> (&'static [Slot], Option<Slot>) {
        use Slot::*;
        match self {
            HostFn::CallNative => (&[U32, Ptr, Ptr], Some(U32)),
            HostFn::Enter => (&[U32], Some(U32)),
            HostFn::Leave | HostFn::WithinPop | HostFn::LimitsPop | HostFn::PollPreserving => (&[], None),
            HostFn::Raise => (&[U32, U64], Some(U32)),
            HostFn::Reraise => (&[U64], Some(U32)),
            HostFn::TakeFault => (&[], Some(U64)),
            HostFn::Poll | HostFn::DivZero => (&[], Some(U32)),
            HostFn::StrConst | HostFn::CellGet | HostFn::RecordNew => (&[U32], Some(U64)),
            HostFn::StrConcat | HostFn::StrEq | HostFn::ListConcat => (&[U64, U64], Some(U64)),
            HostFn::FmtInt | HostFn::FmtBool | HostFn::ListNew | HostFn::ListLen => (&[U64], Some(U64)),
            HostFn::FmtReal => (&[F64], Some(U64)),
            HostFn::FmtQuantity => (&[F64, U32, F64], Some(U64)),
            HostFn::ListPush => (&[U64, U64], None),
            HostFn::ListFault => (&[U64, U64], Some(U32)),
            HostFn::ListSet => (&[U64, U64, U64, Ptr], Some(U32)),
            HostFn::RecordGet => (&[U64, U32], Some(U64)),
            HostFn::RecordSet => (&[U64, U32, U64], None),
            HostFn::WithinPush => (&[F64], Some(U32)),
            HostFn::LimitsPush => (&[U32, F64], Some(U32)),
        }
    }

    /// The Cranelift signature of this host function: `ctx` first, then its own parameters.
    pub fn signature(self, call_conv: CallConv, ptr: Type) -> Signature {
        let ty = |s: Slot| match s {
            Slot::Ptr => ptr,
            Slot::U32 => types::I32,
            Slot::U64 => types::I64,
            Slot::F64 => types::F64,
        };
        let (params, ret) = self.shape();
        let call_conv = if self == HostFn::PollPreserving { CallConv::PreserveAll } else { call_conv };
        let mut sig = Signature::new(call_conv);
        sig.params.push(AbiParam::new(ptr));
        sig.params.extend(params.iter().map(|&s| AbiParam::new(ty(s))));
        sig.returns.extend(ret.map(|s| AbiParam::new(ty(s))));
        sig
    }
}

/// The signature of every compiled function:
/// `extern "C" fn(host: *const HostApi, ctx: *mut Ctx, args: *const u64, ret: *mut u64) -> u32`.
pub fn compiled_fn_signature(call_conv: CallConv, ptr: Type) -> Signature {
    let mut sig = Signature::new(call_conv);
    sig.params.extend([AbiParam::new(ptr); 4]);
    sig.returns.push(AbiParam::new(types::I32));
    sig
}
