//! The untyped syntax tree the parser produces. Every node carries its span; a node the parser could
//! not make sense of is an `Error` node, so later stages see a whole tree and go on.

use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One `.skill` file.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    /// The `//!` lines at the top, joined with `\n`, comment markers and one leading space removed.
    pub doc: Option<String>,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The `///` lines before the item, joined with `\n`.
    pub doc: Option<String>,
    pub public: bool,
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    Use(UseItem),
    Cell(CellBlock),
    Const(ConstItem),
    Struct(StructItem),
    Enum(EnumItem),
    Fn(FnItem),
    Test(TestItem),
}

/// `use std::motion::{pick, place}` (`names` = pick, place) or `use std::motion` (`names` empty).
#[derive(Clone, Debug, PartialEq)]
pub struct UseItem {
    pub path: Vec<Ident>,
    pub names: Vec<Ident>,
}

/// `cell { arm: Arm ... }`: the program's interface to a workcell.
#[derive(Clone, Debug, PartialEq)]
pub struct CellBlock {
    pub entries: Vec<CellEntry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CellEntry {
    pub doc: Option<String>,
    pub name: Ident,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConstItem {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructItem {
    pub name: Ident,
    pub fields: Vec<FieldDef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    pub doc: Option<String>,
    pub name: Ident,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumItem {
    pub name: Ident,
    pub variants: Vec<Variant>,
}

/// `Pass` or `Rework(Length)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub doc: Option<String>,
    pub name: Ident,
    pub fields: Vec<TypeExpr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FnKind {
    /// `fn`: pure, may not command hardware.
    Fn,
    /// `skill`: may command hardware and fail.
    Skill,
}

/// `fn` and `skill`, plain or `extern`.
#[derive(Clone, Debug, PartialEq)]
pub struct FnItem {
    pub kind: FnKind,
    /// `extern skill` / `extern fn`: implemented by the runtime; only allowed in the stdlib.
    pub is_extern: bool,
    pub name: Ident,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub requires: Option<Expr>,
    pub ensures: Option<Expr>,
    pub limits: Vec<LimitClause>,
    /// `None` for `extern` items (and for a body the parser could not find).
    pub body: Option<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    pub span: Span,
}

/// One clause of `limits(speed <= 250 mm/s, force <= 40 N)`. Only `<=` is accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct LimitClause {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// `test "name" { ... }` or `test "name" runs 10000 expect success >= 99.5% { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct TestItem {
    pub name: String,
    pub name_span: Span,
    pub runs: Option<Expr>,
    /// The threshold after `expect success >=`, a `Ratio` quantity such as `99.5%`.
    pub expect: Option<Expr>,
    pub body: Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExprKind {
    /// `Length`, `Part`, `Grip`.
    Named(Ident),
    /// `[T]`.
    List(Box<TypeExpr>),
    /// `T?`.
    Optional(Box<TypeExpr>),
    /// `[N/mm]`: a quantity type written as a unit expression; told apart from `[T]` because its
    /// contents are a unit expression (`*`, `/`, `^`, or a lower-case unit name).
    Unit(UnitExpr),
    Error,
}

/// A unit expression such as `N*m`, `mm/s`, `m/s^2`, `%`: a product of unit names with integer
/// powers. Division is left-associative: `a/b*c` is `a*c/b`.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitExpr {
    pub factors: Vec<UnitFactor>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnitFactor {
    /// The unit's name as written: `mm`, `N`, `deg`, `%`.
    pub name: Ident,
    pub power: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `let x = e` (`mutable` false) or `var x: T = e` (`mutable` true).
    Let {
        mutable: bool,
        name: Ident,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    /// `x = e`, `xs[i] = e`, `s.f = e`: `target` is a `Name`, `Index` or `Field` expression.
    Assign {
        target: Expr,
        value: Expr,
    },
    Expr(Expr),
    /// `else if` is an `else` block holding one `If` statement.
    If {
        cond: Expr,
        then: Block,
        otherwise: Option<Block>,
    },
    /// `if let x = opt { ... } else { ... }`.
    IfLet {
        name: Ident,
        value: Expr,
        then: Block,
        otherwise: Option<Block>,
    },
    While {
        cond: Expr,
        body: Block,
    },
    For {
        var: Ident,
        iter: ForIter,
        body: Block,
    },
    Return(Option<Expr>),
    /// `fail "message"` or `fail e` (a `Fault`).
    Fail(Expr),
    /// `ensure cond else "message"`.
    Ensure {
        cond: Expr,
        message: Expr,
    },
    /// `try { ... } recover e { ... }`.
    Try {
        body: Block,
        fault: Ident,
        recover: Block,
    },
    /// `retry N { ... }`.
    Retry {
        count: Expr,
        body: Block,
    },
    /// `within T { ... }`.
    Within {
        time: Expr,
        body: Block,
    },
    /// `parallel { { ... } { ... } }` (language v2).
    Parallel(Vec<Block>),
    /// What the parser skipped while recovering; a diagnostic was already reported.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ForIter {
    /// `for x in xs`.
    List(Expr),
    /// `for i in a..b` (half-open).
    Range(Expr, Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    /// `p in jig`: the pose `p` expressed in a frame (a `Pose`, a fixture's frame, an arm's base).
    In,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    Real(f64),
    Bool(bool),
    /// `none`.
    None,
    /// `50 mm`, `2.5 N*m`, `12 %`. `text` is the number as written (for the formatter).
    Quantity {
        value: f64,
        text: String,
        unit: UnitExpr,
    },
    /// A string literal; `{expr}` pieces are parsed expressions.
    Str(Vec<StrPart>),
    Name(Ident),
    /// `Verdict::Pass`, `FaultKind::Timeout` (two or more segments).
    Path(Vec<Ident>),
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `f(x, speed = 1 mm/s)` or `Verdict::Rework(2 mm)`.
    Call {
        callee: Box<Expr>,
        args: Vec<Arg>,
    },
    /// `a.f(x)`: a method call, resolved by uniform call syntax to `f(a, x)`.
    MethodCall {
        receiver: Box<Expr>,
        method: Ident,
        args: Vec<Arg>,
    },
    /// `a.f`.
    Field {
        expr: Box<Expr>,
        name: Ident,
    },
    /// `xs[i]`.
    Index {
        expr: Box<Expr>,
        index: Box<Expr>,
    },
    /// `[a, b, c]`.
    List(Vec<Expr>),
    /// `Grip { width: 1 mm, force: 2 N }`.
    StructLit {
        name: Ident,
        fields: Vec<FieldInit>,
    },
    /// `match v { P => e, ... }`.
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<MatchArm>,
    },
    /// What the parser skipped while recovering; a diagnostic was already reported.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Lit(String),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// `Some` for a named argument `speed = 1 mm/s`.
    pub name: Option<Ident>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldInit {
    pub name: Ident,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatchArm {
    pub pattern: Pattern,
    pub body: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub kind: PatternKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PatternKind {
    /// `_`.
    Wildcard,
    /// `Verdict::Rework(d)` or `Verdict::Pass`: a path and the names bound to its fields.
    Variant { path: Vec<Ident>, bindings: Vec<Ident> },
    /// `none` in a match over an optional.
    None,
    /// A plain name binds the value (`x => ...`), as in Rust.
    Binding(Ident),
}
