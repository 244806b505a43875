//! Name resolution, type checking with units of measure, and lowering to the typed IR.
//!
//! One pass over each reachable function both checks and lowers it: an expression's type is
//! known as soon as it is lowered, and an erroneous subexpression gets `Ty::Error`, which
//! unifies with everything, so one mistake gives one diagnostic.
//!
//! Code map: `collect` loads modules and resolves signatures (`imports` for `use`, `typeexpr`
//! for types, `units` for unit expressions); `func` lowers functions, tests and constants;
//! `stmt`, `expr`, `ops`, `call` and `builtins` lower their part; `enums` and `optional` lower
//! enums, `match` and `T?` onto records; `effects` infers which cell handles a function
//! commands; `refs` keeps resolved names for the IDE; `display` tracks the unit interpolation
//! prints a quantity in; `lints` and `angles` hold the warnings and the degree/radian helps.
//!
//! Choices where LANGUAGE.md is silent or torn:
//! - A function with `-> T` whose last statement is an expression of a type other than `()`
//!   returns it (LANGUAGE.md's own `grip_for` ends in a bare struct literal).
//! - `Int / Int` is integer division, as in Rust; mix in a `Real` for a fraction.
//! - `abs min max clamp floor ceil` compute in `Real` even on `Int` arguments.
//! - `atan2` lowers to the native `std::prelude::atan2(Real,Real)` (Cranelift has no such
//!   instruction); its arguments are the SI values, so their ratio is unit-free.
//! - Only `extern` functions overload (by their first parameter); Deft functions do not.
//! - `{x}` prints a quantity in the unit the program wrote it in when that is obvious (a literal,
//!   a binding, parameter, constant or field declared or initialised in that unit, and `+ - * /`
//!   or `abs min max clamp floor ceil` of one), and in SI otherwise.
//! - Items without `pub` are private to their file; a `use` cycle between the program's own
//!   modules is an error (E0110), since each module should be checkable from its own imports.
//! - A name a failed `use` should have brought in is quiet afterwards: its uses are not reported.
//! - `world` is a built-in `Pose` (the identity, lowered to the native `std::prelude::world()`),
//!   since LANGUAGE.md writes it bare; a local, constant or cell entry of that name shadows it.
//!
//! Diagnostic codes (one code per kind of error, documented in `docs/diagnostics.md`):
//!
//! | code  | meaning |
//! |-------|---------|
//! | E0100 | unknown module in `use` (lists the modules that exist) |
//! | E0101 | unknown or private item in a module (lists what the module exports; a private one asks for `pub`) |
//! | E0102 | unknown name (did you mean a local, item or cell entry) |
//! | E0103 | unknown function |
//! | E0104 | unknown type |
//! | E0105 | unknown unit (did you mean) |
//! | E0106 | duplicate definition |
//! | E0107 | unknown fault kind or path |
//! | E0108 | `extern` item outside the standard library |
//! | E0109 | a `const` that refers to itself |
//! | E0110 | `use` cycle between the program's modules (names the cycle) |
//! | E0200 | mismatched types |
//! | E0201 | operator does not apply to these types |
//! | E0202 | `sqrt` of a quantity with an odd exponent |
//! | E0203 | cannot infer the type of an empty list or of `none` |
//! | E0204 | a cell entry whose type is not a cell handle |
//! | E0205 | no such field |
//! | E0206 | indexing something that is not a list, or with a non-Int index |
//! | E0207 | struct literal with an unknown, repeated or missing field |
//! | E0208 | value cannot be interpolated into a string |
//! | E0209 | an expression without a value used as a value |
//! | E0300 | too many arguments |
//! | E0301 | missing argument |
//! | E0302 | unknown named argument |
//! | E0303 | argument given twice |
//! | E0304 | no overload takes the first argument's type |
//! | E0305 | a `fn` calls a skill (fns are pure) |
//! | E0306 | calling something that is not a function |
//! | E0308 | mismatched dimensions (`cannot add Force to Length`), fixed by LANGUAGE.md |
//! | E0400 | assignment to a `let` binding |
//! | E0401 | invalid assignment target |
//! | E0402 | `return` with a value in a function without a result, or without one where needed |
//! | E0403 | missing `return` in a function with a result type |
//! | E0404 | unknown `limits` clause |
//! | E0405 | not supported yet (`parallel`, `none` patterns, `match` where it cannot be hoisted) |
//! | E0406 | `fail` of something that is neither a String nor a Fault |
//! | E0407 | bad `test` header (`runs` must be a positive Int, `expect success` a ratio) |
//! | E0408 | more than one `cell` block, or one outside the main module |
//! | E0409 | a `match` that misses variants, or a pattern that does not fit the matched enum |
//! | E0499 | internal checker error (a bug): an expression was left without a type |
//! | W0001 | warning: a variable that is never read (`_x` opts out; not when its initializer had an error) |
//! | W0002 | warning: a `match` arm after a catch-all, which never runs |
//! | W0003 | warning: `retry` around a block that cannot fail (no call, native skill, index, `fail` or `ensure` inside) |
//! | W0004 | warning: unreachable code after `return` or `fail` in the same block |
//! | W0005 | warning: a `cell` entry that no reachable code uses (only in a program without errors) |
//! | W0006 | warning: an angle literal whose number suits the other unit (`3.14 deg`, `90 rad`) |

mod angles;
mod builtins;
mod call;
mod collect;
mod display;
mod effects;
mod enums;
mod expr;
mod func;
mod imports;
mod lints;
mod listeq;
mod ops;
mod optional;
mod refs;
mod stmt;
mod suggest;
mod typeexpr;
mod units;

#[cfg(test)]
mod tests;

use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast;
use crate::tir;
use crate::types::{StructId, Ty};
use crate::world::World;
use std::collections::HashMap;

pub use refs::Reference;

/// The result of checking a program: the typed IR when there are no errors, and every diagnostic.
#[derive(Debug)]
pub struct Checked {
    /// `Some` iff `diagnostics` holds no error (warnings are allowed).
    pub program: Option<tir::Program>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every name the checker resolved, with its declaration, for hover and go-to-definition;
    /// filled even when there are errors.
    pub references: Vec<Reference>,
}

/// Check the world's main module and everything it reaches, and lower it to the typed IR.
pub fn check(world: &dyn World) -> Checked {
    let mut ck = Checker::new(world);
    ck.load_program();
    ck.lower_all();
    ck.check_unused_cell();
    let mut ok = !ck.diags.iter().any(Diagnostic::is_error);
    if ok && let Some(span) = ck.untyped_expression() {
        // Every path that gives `Ty::Error` reports first; this is the net under that rule, so
        // that codegen never sees an untyped expression.
        let d = Diagnostic::error("E0499", "internal checker error: an expression has no type")
            .at(span, "here")
            .help("this is a bug in the Deft checker; please report it with this program");
        ck.diags.push(d);
        ok = false;
    }
    let program = ok.then(|| ck.finish_program());
    Checked { program, diagnostics: ck.diags, references: ck.references }
}

/// Index into `Checker::modules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ModId(pub u32);

/// Index into `Checker::fns`: a declared function (plain or extern) of any loaded module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FnIdx(pub u32);

/// Index into `Checker::consts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ConstIdx(pub u32);

/// What a name declared at module level stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sym {
    Fn(FnIdx),
    Const(ConstIdx),
    Struct(StructId),
}

/// One loaded `.skill` file.
pub(crate) struct ModuleInfo {
    /// `["std", "motion"]`; empty for the main module, whose items keep plain names.
    pub path: Vec<String>,
    pub ast: ast::Module,
    /// The module's own items; functions may be overloaded, so a name maps to several symbols.
    pub items: HashMap<String, Vec<Sym>>,
    /// Items brought in by `use m::{a, b}`.
    pub imports: HashMap<String, Vec<Sym>>,
    /// Modules brought in by `use std::motion`: `motion` → the module.
    pub aliases: HashMap<String, ModId>,
    /// Names a `use` failed to bring in (already reported): their uses stay quiet.
    pub failed_imports: std::collections::HashSet<String>,
}

impl ModuleInfo {
    /// Whether the module belongs to the standard library, where `extern` items are allowed.
    pub fn is_std(&self) -> bool {
        self.path.first().is_some_and(|p| p == "std")
    }

    /// `std::motion::` for stdlib items, nothing for the main module's.
    /// Whether a name's uses were already accounted for by a failed `use`.
    pub fn failed_import(&self, name: &str) -> bool {
        self.failed_imports.contains(name)
    }

    pub fn prefix(&self) -> String {
        self.path.iter().map(|p| format!("{p}::")).collect()
    }
}

/// A parameter of a declared function with its resolved type.
#[derive(Clone, Debug)]
pub(crate) struct ParamSig {
    pub name: String,
    pub ty: Ty,
    pub unit: Option<String>,
    pub default: Option<ast::Expr>,
    pub span: Span,
    /// The unit interpolation prints the parameter in (`display.rs`).
    pub display: Option<display::DisplayUnit>,
}

/// A declared function's signature and where its body is.
pub(crate) struct FnDecl {
    pub module: ModId,
    /// Index into the module's `ast.items`.
    pub item: usize,
    pub name: String,
    pub kind: ast::FnKind,
    pub is_extern: bool,
    pub public: bool,
    pub params: Vec<ParamSig>,
    pub ret: Ty,
    pub name_span: Span,
    /// Assigned when the function is first reached; its body is lowered from the queue.
    pub func: Option<tir::FuncId>,
}

impl FnDecl {
    /// `move_linear(Arm, Pose, Speed)`, for messages.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self.params.iter().map(|p| format!("{}: {}", p.name, p.ty)).collect();
        format!("{}({})", self.name, params.join(", "))
    }
}

/// Where a constant is in its checking: constants are lowered once, on first use.
#[derive(Clone, Debug)]
pub(crate) enum ConstState {
    Unchecked,
    InProgress,
    Done(tir::Expr),
}

pub(crate) struct ConstDecl {
    pub module: ModId,
    pub name: String,
    pub public: bool,
    pub ty: Option<ast::TypeExpr>,
    pub value: ast::Expr,
    pub name_span: Span,
    pub state: ConstState,
    /// The unit interpolation prints the constant in, known once it is checked.
    pub display: Option<display::DisplayUnit>,
}

pub(crate) struct StructDecl {
    pub module: ModId,
    pub name: String,
    pub public: bool,
    pub fields: Vec<(String, Ty)>,
    /// Per field, the unit a bracketed unit type (`gap: [mm]`) makes interpolation print it in.
    pub field_displays: Vec<Option<display::DisplayUnit>>,
    /// For an enum, lowered to a record: its variants (see `enums.rs`).
    pub variants: Option<Vec<enums::VariantInfo>>,
}

pub(crate) struct CellInfo {
    pub name: String,
    pub ty: Ty,
    pub span: Span,
    pub doc: Option<String>,
    /// Whether reachable code names it (W0005 otherwise).
    pub used: bool,
}

/// The whole-program state of one check.
pub(crate) struct Checker<'w> {
    pub world: &'w dyn World,
    pub diags: Vec<Diagnostic>,
    /// While positive, diagnostics are dropped: default arguments are re-lowered at every call
    /// site but reported once, where they are declared.
    pub quiet: u32,
    pub modules: Vec<ModuleInfo>,
    pub main: ModId,
    pub prelude: Option<ModId>,
    pub fns: Vec<FnDecl>,
    pub consts: Vec<ConstDecl>,
    pub structs: Vec<StructDecl>,
    pub cell: Vec<CellInfo>,
    pub functions: Vec<Option<tir::Function>>,
    pub queue: Vec<FnIdx>,
    pub natives: Vec<tir::NativeDecl>,
    pub native_ids: HashMap<String, tir::NativeId>,
    pub strings: Vec<String>,
    pub string_ids: HashMap<String, tir::StringId>,
    pub tests: Vec<tir::TestDef>,
    /// The record each optional type is lowered onto (`optional.rs`).
    pub optionals: HashMap<Ty, StructId>,
    pub references: Vec<Reference>,
    /// Display units of lowered quantity expressions, by source span (`display.rs`).
    pub displays: HashMap<Span, display::DisplayUnit>,
    /// Every `use` as (module, module it uses, span of the path), for cycle detection.
    pub use_edges: Vec<(ModId, ModId, Span)>,
    /// The synthesized list-equality function of each element type (`listeq.rs`).
    pub list_eqs: HashMap<Ty, tir::FuncId>,
}

impl<'w> Checker<'w> {
    fn new(world: &'w dyn World) -> Checker<'w> {
        Checker {
            world,
            diags: Vec::new(),
            quiet: 0,
            modules: Vec::new(),
            main: ModId(0),
            prelude: None,
            fns: Vec::new(),
            consts: Vec::new(),
            structs: Vec::new(),
            cell: Vec::new(),
            functions: Vec::new(),
            queue: Vec::new(),
            natives: Vec::new(),
            native_ids: HashMap::new(),
            strings: Vec::new(),
            string_ids: HashMap::new(),
            tests: Vec::new(),
            optionals: HashMap::new(),
            references: Vec::new(),
            displays: HashMap::new(),
            use_edges: Vec::new(),
            list_eqs: HashMap::new(),
        }
    }

    pub fn emit(&mut self, diag: Diagnostic) {
        if self.quiet == 0 {
            self.diags.push(diag);
        }
    }

    /// How many errors have been reported so far.
    pub fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    pub fn module(&self, id: ModId) -> &ModuleInfo {
        &self.modules[id.0 as usize]
    }

    pub fn fn_decl(&self, id: FnIdx) -> &FnDecl {
        &self.fns[id.0 as usize]
    }

    /// The source text under a span, for messages that quote the program.
    pub fn text(&self, span: Span) -> &str {
        self.world.source(span.file).get(span.range()).unwrap_or("")
    }

    /// The id of a string constant, interned.
    pub fn string(&mut self, s: &str) -> tir::StringId {
        if let Some(id) = self.string_ids.get(s) {
            return *id;
        }
        let id = tir::StringId(self.strings.len() as u32);
        self.strings.push(s.to_string());
        self.string_ids.insert(s.to_string(), id);
        id
    }

    /// The function id of a declared, non-extern function; queues its body on first use.
    pub fn func_id(&mut self, f: FnIdx) -> tir::FuncId {
        if let Some(id) = self.fns[f.0 as usize].func {
            return id;
        }
        let id = tir::FuncId(self.functions.len() as u32);
        self.functions.push(None);
        self.fns[f.0 as usize].func = Some(id);
        self.queue.push(f);
        id
    }

    /// The native id of an extern function, declared on first use.
    pub fn native_id(&mut self, f: FnIdx) -> tir::NativeId {
        let decl = &self.fns[f.0 as usize];
        let types: Vec<String> = decl.params.iter().map(|p| p.ty.to_string()).collect();
        let key = format!("{}{}({})", self.module(decl.module).prefix(), decl.name, types.join(","));
        if let Some(id) = self.native_ids.get(&key) {
            return *id;
        }
        let id = tir::NativeId(self.natives.len() as u32);
        self.natives.push(tir::NativeDecl {
            key: key.clone(),
            skill: decl.kind == ast::FnKind::Skill,
            params: decl.params.iter().map(|p| p.ty.clone()).collect(),
            ret: decl.ret.clone(),
        });
        self.native_ids.insert(key, id);
        id
    }

    /// A native the checker calls on its own (`atan2`), declared on first use.
    pub fn builtin_native(&mut self, key: &str, params: Vec<Ty>, ret: Ty) -> tir::NativeId {
        if let Some(id) = self.native_ids.get(key) {
            return *id;
        }
        let id = tir::NativeId(self.natives.len() as u32);
        self.natives.push(tir::NativeDecl { key: key.to_string(), skill: false, params, ret });
        self.native_ids.insert(key.to_string(), id);
        id
    }

    /// Lower every function of the main module and every test, then whatever they reach.
    fn lower_all(&mut self) {
        let main = self.main;
        let main_fns: Vec<FnIdx> = (0..self.fns.len() as u32)
            .map(FnIdx)
            .filter(|f| self.fn_decl(*f).module == main && !self.fn_decl(*f).is_extern)
            .collect();
        for f in main_fns {
            self.func_id(f);
        }
        self.check_main_consts();
        self.check_defaults();
        self.lower_tests();
        while let Some(f) = self.queue.pop() {
            self.lower_fn(f);
        }
    }

    /// The span of an expression or local typed `Ty::Error`, if any survived into the program.
    fn untyped_expression(&self) -> Option<Span> {
        let mut found = None;
        for f in self.functions.iter().flatten() {
            if f.locals.iter().any(|l| l.ty == Ty::Error) {
                return Some(f.span);
            }
            effects::walk_block(&f.body, &mut |e| {
                if e.ty == Ty::Error && found.is_none() {
                    found = Some(e.span);
                }
            });
        }
        found
    }

    fn finish_program(&mut self) -> tir::Program {
        let mut functions: Vec<tir::Function> = std::mem::take(&mut self.functions).into_iter().flatten().collect();
        effects::infer(&mut functions, &self.natives, &self.cell);
        tir::Program {
            functions,
            natives: std::mem::take(&mut self.natives),
            structs: self
                .structs
                .iter()
                .map(|s| tir::StructDef { name: s.name.clone(), fields: s.fields.clone() })
                .collect(),
            cell: self.cell.iter().map(|c| tir::CellSlot { name: c.name.clone(), ty: c.ty.clone() }).collect(),
            strings: std::mem::take(&mut self.strings),
            tests: std::mem::take(&mut self.tests),
        }
    }
}
