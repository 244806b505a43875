//! The typed IR: what the checker produces and codegen consumes. Names are resolved to ids,
//! operators to typed operations, named and default arguments to positional ones, `requires`,
//! `ensure` and string interpolation to plain statements and pieces. `Display` prints a text form
//! for snapshot tests.

use crate::span::Span;
use crate::syntax::ast::FnKind;
use crate::types::{StructId, Ty};

/// Index into `Program::functions`; also the index the runtime's `enter` receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncId(pub u32);

/// Index into `Program::natives`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NativeId(pub u32);

/// Index into `Function::locals`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalId(pub u32);

/// Index into `Program::strings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StringId(pub u32);

#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Every function compiled into the module: user skills and fns, and the stdlib ones used.
    pub functions: Vec<Function>,
    /// The runtime primitives the module calls, each by its native key.
    pub natives: Vec<NativeDecl>,
    pub structs: Vec<StructDef>,
    /// The `cell { }` interface, in declaration order; `ExprKind::Cell(i)` indexes it.
    pub cell: Vec<CellSlot>,
    /// String constants; the runtime materialises them with `str_const`.
    pub strings: Vec<String>,
    pub tests: Vec<TestDef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Qualified for stdlib items (`std::motion::pick`), plain for the main module's (`assemble`).
    pub name: String,
    pub kind: FnKind,
    /// Callable by name from the runtime (`deft run --skill`): the main module's skills and fns.
    pub exported: bool,
    /// The first `params.len()` locals are the parameters, in order.
    pub params: Vec<Param>,
    pub ret: Ty,
    pub locals: Vec<Local>,
    pub body: Block,
    /// Names of the cell handles this function commands, directly or through calls (sorted).
    pub effects: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub ty: Ty,
    /// The unit the parameter was declared in, for the manifest (`mm/s`), when it is a quantity.
    pub unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Local {
    pub name: String,
    pub ty: Ty,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NativeDecl {
    /// The key the runtime registers the native under: `std::prelude::move_linear(Arm,Pose,Speed)`,
    /// the module path, the name and the parameter types as `Ty` prints them.
    pub key: String,
    pub skill: bool,
    pub params: Vec<Ty>,
    pub ret: Ty,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    pub name: String,
    pub fields: Vec<(String, Ty)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CellSlot {
    pub name: String,
    pub ty: Ty,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TestDef {
    pub name: String,
    /// A synthesized zero-parameter skill holding the test body.
    pub func: FuncId,
    /// `runs N`, or `None` for a single episode.
    pub runs: Option<u64>,
    /// `expect success >= P%` as a fraction in 0..=1.
    pub expect_success: Option<f64>,
}

pub type Block = Vec<Stmt>;

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// Initialise a local (`let`, `var`).
    Let(LocalId, Expr),
    /// Overwrite a `var`.
    Assign(LocalId, Expr),
    /// `xs[i] = v` on a `var` list: the list is copied on write, so other holders keep the old one.
    SetIndex {
        list: LocalId,
        index: Expr,
        value: Expr,
    },
    Expr(Expr),
    If {
        cond: Expr,
        then: Block,
        otherwise: Block,
    },
    While {
        cond: Expr,
        body: Block,
    },
    ForList {
        var: LocalId,
        list: Expr,
        body: Block,
    },
    /// `for i in start..end`, half-open, Int.
    ForRange {
        var: LocalId,
        start: Expr,
        end: Expr,
        body: Block,
    },
    Return(Option<Expr>),
    /// Raise a new fault of `kind` (an index into `types::FAULT_KINDS`) with a `String` message.
    Fail {
        kind: u32,
        message: Expr,
    },
    /// `fail e` where `e` is a `Fault`.
    Reraise(Expr),
    /// `try { body } recover e { recover }`; `fault` is the local that receives the `Fault`.
    Try {
        body: Block,
        fault: LocalId,
        recover: Block,
    },
    /// Run `body`; on a fault, run it again up to `count` more times; the last fault propagates.
    Retry {
        count: Expr,
        body: Block,
    },
    /// Fail with `Timeout` if the robot clock passes `seconds` (a Time) inside `body`.
    Within {
        seconds: Expr,
        body: Block,
    },
    /// Narrow the safety envelope for the dynamic extent of `body`.
    Limits {
        clauses: Vec<(LimitKind, Expr)>,
        body: Block,
    },
}

/// The quantities a `limits(...)` clause can bound, in ABI order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LimitKind {
    Speed = 0,
    Force = 1,
    Acceleration = 2,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Operators resolved to their operand representation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    IAdd,
    ISub,
    IMul,
    /// Integer division; division by zero is a fault.
    IDiv,
    IRem,
    FAdd,
    FSub,
    FMul,
    FDiv,
    FRem,
    ICmp(Cmp),
    FCmp(Cmp),
    /// Short-circuit.
    And,
    /// Short-circuit.
    Or,
    StrConcat,
    StrEq,
    StrNe,
    ListConcat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    INeg,
    FNeg,
    Not,
}

/// f64 operations that Cranelift has as instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Intrinsic {
    Sqrt,
    Abs,
    Min,
    Max,
    Floor,
    Ceil,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    Real(f64),
    Bool(bool),
    Str(StringId),
    Local(LocalId),
    /// The i-th entry of the `cell { }` interface.
    Cell(u32),
    /// A fault kind's ordinal, for `e.kind == FaultKind::Timeout`.
    FaultKind(u32),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    IntToReal(Box<Expr>),
    Intrinsic(Intrinsic, Vec<Expr>),
    Call {
        func: FuncId,
        args: Vec<Expr>,
    },
    Native {
        native: NativeId,
        args: Vec<Expr>,
    },
    List(Vec<Expr>),
    /// `xs[i]`: an index out of bounds is a fault.
    Index {
        list: Box<Expr>,
        index: Box<Expr>,
    },
    Len(Box<Expr>),
    /// A struct value; `fields` in declaration order.
    Record {
        strukt: StructId,
        fields: Vec<Expr>,
    },
    Field {
        record: Box<Expr>,
        index: u32,
    },
    /// String interpolation: the pieces are formatted and concatenated.
    Format(Vec<FmtPiece>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum FmtPiece {
    Str(Expr),
    Int(Expr),
    Real(Expr),
    Bool(Expr),
    /// A quantity printed as `value / scale` followed by a space and `unit`: `0.27 mm`.
    Quantity {
        value: Expr,
        unit: StringId,
        scale: f64,
    },
}
