//! Codegen tests: hand-built typed IR compiled by the JIT (and once as a linked `.so`) and run
//! against a mock runtime.

mod build;
mod mock;
mod object_tests;

use crate::codegen::jit;
use crate::manifest::manifest;
use crate::tir::*;
use crate::types::{HandleKind, StructId, Ty};
use build::*;
use mock::{CELL_BASE, Mock, MockFault, NativeFn, Obj};

const USER: u32 = 11;
const HARDWARE: u32 = 9;
const STOPPED: u32 = 10;

struct Run {
    mock: Mock,
    status: u32,
    ret: u64,
}

impl Run {
    fn fault(&self) -> &MockFault {
        self.mock.fault.as_ref().expect("a pending fault")
    }

    /// Every `enter` was matched by a `leave`, and no `within`/`limits` is left pushed.
    fn assert_balanced(&self) {
        assert_eq!(self.mock.enters, self.mock.leaves, "enter/leave unbalanced");
        assert!(self.mock.stack.is_empty(), "skill stack not empty: {:?}", self.mock.stack);
        assert!(self.mock.within.is_empty(), "within left pushed");
        assert!(self.mock.limits.is_empty(), "limits left pushed");
    }
}

/// JIT-compiles `p` and runs function `f` with `args` on a fresh mock prepared by `setup`.
fn run_with(p: &Program, f: usize, args: &[u64], setup: impl FnOnce(&mut Mock)) -> Run {
    let man = manifest(p, "test");
    let module = match jit(p, &man) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    };
    let code = module.function(&man.functions[f].symbol).expect("function symbol");
    let mut mock = Mock::new(&p.strings);
    setup(&mut mock);
    let (status, ret) = mock.call(code, args);
    Run { mock, status, ret }
}

fn run(p: &Program, f: usize, args: &[u64]) -> Run {
    run_with(p, f, args, |_| {})
}

fn natives(list: &[(usize, NativeFn)]) -> impl FnOnce(&mut Mock) + '_ {
    move |m| m.natives = list.to_vec()
}

fn f64_ret(r: &Run) -> f64 {
    f64::from_bits(r.ret)
}

fn set(id: u32, e: Expr) -> Stmt {
    Stmt::Assign(LocalId(id), e)
}

fn unary(op: UnOp, a: Expr) -> Expr {
    let ty = a.ty.clone();
    ex(ExprKind::Unary(op, Box::new(a)), ty)
}

fn intrinsic(op: Intrinsic, args: Vec<Expr>) -> Expr {
    ex(ExprKind::Intrinsic(op, args), Ty::Real)
}

fn list_of(items: Vec<Expr>) -> Expr {
    ex(ExprKind::List(items), Ty::List(Box::new(Ty::Int)))
}

#[test]
fn integer_arithmetic() {
    let (a, b) = (local(0, Ty::Int), local(1, Ty::Int));
    // ((a + b) * (a - b)) / 3 + a % b - (-b)
    let body = bin(
        BinOp::ISub,
        bin(
            BinOp::IAdd,
            bin(
                BinOp::IDiv,
                bin(BinOp::IMul, bin(BinOp::IAdd, a.clone(), b.clone()), bin(BinOp::ISub, a.clone(), b.clone())),
                int(3),
            ),
            bin(BinOp::IRem, a, b.clone()),
        ),
        unary(UnOp::INeg, b),
    );
    let p = program(vec![func("f", &[("a", Ty::Int), ("b", Ty::Int)], Ty::Int, &[], vec![ret(body)])], 0, &[]);
    for (a, b) in [(17i64, 5i64), (-17, 5), (3, -7)] {
        let r = run(&p, 0, &[a as u64, b as u64]);
        assert_eq!(r.status, 0);
        assert_eq!(r.ret as i64, (a + b) * (a - b) / 3 + a % b - (-b), "a={a} b={b}");
        r.assert_balanced();
    }
}

#[test]
fn float_arithmetic_and_intrinsics() {
    let x = || local(0, Ty::Real);
    let terms = vec![
        bin(BinOp::FMul, intrinsic(Intrinsic::Sqrt, vec![x()]), real(2.5)),
        intrinsic(Intrinsic::Floor, vec![bin(BinOp::FDiv, x(), real(3.0))]),
        unary(UnOp::FNeg, intrinsic(Intrinsic::Ceil, vec![real(0.5)])),
        intrinsic(Intrinsic::Abs, vec![unary(UnOp::FNeg, x())]),
        intrinsic(Intrinsic::Min, vec![x(), real(1.0)]),
        intrinsic(Intrinsic::Max, vec![x(), real(1.0)]),
        bin(BinOp::FMul, bin(BinOp::FRem, x(), real(4.0)), real(100.0)),
        bin(BinOp::FSub, ex(ExprKind::IntToReal(Box::new(local(1, Ty::Int))), Ty::Real), real(0.125)),
    ];
    let sum = terms.into_iter().reduce(|a, b| bin(BinOp::FAdd, a, b)).expect("terms");
    let p = program(vec![func("g", &[("x", Ty::Real), ("n", Ty::Int)], Ty::Real, &[], vec![ret(sum)])], 0, &[]);
    for (x, n) in [(10.0f64, 3i64), (-7.5, -2)] {
        let r = run(&p, 0, &[x.to_bits(), n as u64]);
        let expected = x.sqrt() * 2.5
            + (x / 3.0).floor()
            + -(0.5f64.ceil())
            + (-x).abs()
            + x.min(1.0)
            + x.max(1.0)
            + (x % 4.0) * 100.0
            + (n as f64 - 0.125);
        assert_eq!(r.status, 0);
        let got = f64_ret(&r);
        assert!(got == expected || (got.is_nan() && expected.is_nan()), "x={x}: {got} != {expected}");
    }
}

#[test]
fn comparisons_follow_rust() {
    let cmps = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge];
    let mut fns = Vec::new();
    for c in cmps {
        let body = vec![ret(bin(BinOp::ICmp(c), local(0, Ty::Int), local(1, Ty::Int)))];
        fns.push(func("icmp", &[("a", Ty::Int), ("b", Ty::Int)], Ty::Bool, &[], body));
    }
    for c in cmps {
        let body = vec![ret(bin(BinOp::FCmp(c), local(0, Ty::Real), local(1, Ty::Real)))];
        fns.push(func("fcmp", &[("a", Ty::Real), ("b", Ty::Real)], Ty::Bool, &[], body));
    }
    let p = program(fns, 0, &[]);
    let rust_i = |c: Cmp, a: i64, b: i64| match c {
        Cmp::Eq => a == b,
        Cmp::Ne => a != b,
        Cmp::Lt => a < b,
        Cmp::Le => a <= b,
        Cmp::Gt => a > b,
        Cmp::Ge => a >= b,
    };
    let rust_f = |c: Cmp, a: f64, b: f64| match c {
        Cmp::Eq => a == b,
        Cmp::Ne => a != b,
        Cmp::Lt => a < b,
        Cmp::Le => a <= b,
        Cmp::Gt => a > b,
        Cmp::Ge => a >= b,
    };
    for (i, &c) in cmps.iter().enumerate() {
        for (a, b) in [(1i64, 2i64), (2, 2), (3, -2)] {
            assert_eq!(run(&p, i, &[a as u64, b as u64]).ret, u64::from(rust_i(c, a, b)), "{c:?} {a} {b}");
        }
        for (a, b) in [(1.0f64, 2.0f64), (2.0, 2.0), (f64::NAN, 1.0)] {
            let r = run(&p, i + 6, &[a.to_bits(), b.to_bits()]);
            assert_eq!(r.ret, u64::from(rust_f(c, a, b)), "{c:?} {a} {b}");
        }
    }
}

fn logged_true(m: &mut Mock, _: &[u64]) -> Result<u64, String> {
    let _ = m;
    Ok(1)
}

#[test]
fn and_or_short_circuit() {
    let probe = || native(0, vec![], Ty::Bool);
    let lt = || bin(BinOp::ICmp(Cmp::Lt), local(0, Ty::Int), local(1, Ty::Int));
    let and = func("and", &[("a", Ty::Int), ("b", Ty::Int)], Ty::Bool, &[], vec![ret(bin(BinOp::And, lt(), probe()))]);
    let or = func("or", &[("a", Ty::Int), ("b", Ty::Int)], Ty::Bool, &[], vec![ret(bin(BinOp::Or, lt(), probe()))]);
    let p = program(vec![and, or], 1, &[]);
    let cases = [(0, 1, 2, 1, 1), (0, 3, 2, 0, 0), (1, 1, 2, 1, 0), (1, 3, 2, 1, 1)];
    for (f, a, b, result, probes) in cases {
        let r = run_with(&p, f, &[a, b], natives(&[(0, logged_true)]));
        assert_eq!((r.ret, r.mock.native_log.len()), (result, probes), "fn {f} a={a} b={b}");
    }
}

#[test]
fn while_loop_polls_on_every_back_edge() {
    let (n, i, sum) = (|| local(0, Ty::Int), || local(1, Ty::Int), || local(2, Ty::Int));
    let body = vec![
        Stmt::While {
            cond: bin(BinOp::ICmp(Cmp::Lt), i(), n()),
            body: vec![set(2, bin(BinOp::IAdd, sum(), i())), set(1, bin(BinOp::IAdd, i(), int(1)))],
        },
        ret(sum()),
    ];
    let f = func("sum", &[("n", Ty::Int)], Ty::Int, &[("i", Ty::Int), ("sum", Ty::Int)], body);
    let forever = func("forever", &[], Ty::Unit, &[], vec![Stmt::While { cond: boolean(true), body: vec![] }]);
    let p = program(vec![f, forever], 0, &[]);

    let r = run(&p, 0, &[10]);
    assert_eq!((r.status, r.ret, r.mock.polls), (0, 45, 10));
    r.assert_balanced();

    let r = run_with(&p, 1, &[], |m| m.poll_limit = Some(100));
    assert_eq!(r.status, 1);
    assert_eq!((r.fault().kind, r.mock.polls), (STOPPED, 100));
    r.assert_balanced();
}

#[test]
fn for_range_and_for_list_sums() {
    let sum = || local(1, Ty::Int);
    let range = func(
        "range",
        &[],
        Ty::Int,
        &[("i", Ty::Int), ("sum", Ty::Int)],
        vec![
            Stmt::ForRange {
                var: LocalId(0),
                start: int(2),
                end: int(6),
                // Assigning the loop variable must not change the iteration.
                body: vec![set(1, bin(BinOp::IAdd, sum(), local(0, Ty::Int))), set(0, int(100))],
            },
            ret(sum()),
        ],
    );
    let x = || local(0, Ty::Int);
    let list = func(
        "list",
        &[],
        Ty::Int,
        &[("x", Ty::Int), ("sum", Ty::Int)],
        vec![
            Stmt::ForList {
                var: LocalId(0),
                list: list_of(vec![int(1), int(2), int(3), int(4)]),
                body: vec![set(1, bin(BinOp::IAdd, sum(), bin(BinOp::IMul, x(), x())))],
            },
            ret(sum()),
        ],
    );
    let p = program(vec![range, list], 0, &[]);
    let r = run(&p, 0, &[]);
    assert_eq!((r.status, r.ret, r.mock.polls), (0, 2 + 3 + 4 + 5, 4));
    let r = run(&p, 1, &[]);
    assert_eq!((r.status, r.ret, r.mock.polls), (0, 1 + 4 + 9 + 16, 4));
}

/// f0(x) = f1(x, 2.5) + 1; f1(x, y) = x * 10 + f2(y); f2(y) = if y > 2.0 { 7 } else { 3 }.
fn call_chain() -> Vec<Function> {
    let f0 = func(
        "main",
        &[("x", Ty::Int)],
        Ty::Int,
        &[],
        vec![ret(bin(BinOp::IAdd, call(1, vec![local(0, Ty::Int), real(2.5)], Ty::Int), int(1)))],
    );
    let f1 = func(
        "std::helpers::scale",
        &[("x", Ty::Int), ("y", Ty::Real)],
        Ty::Int,
        &[],
        vec![ret(bin(
            BinOp::IAdd,
            bin(BinOp::IMul, local(0, Ty::Int), int(10)),
            call(2, vec![local(1, Ty::Real)], Ty::Int),
        ))],
    );
    let f2 = func(
        "pick",
        &[("y", Ty::Real)],
        Ty::Int,
        &[],
        vec![Stmt::If {
            cond: bin(BinOp::FCmp(Cmp::Gt), local(0, Ty::Real), real(2.0)),
            then: vec![ret(int(7))],
            otherwise: vec![ret(int(3))],
        }],
    );
    vec![f0, f1, f2]
}

#[test]
fn call_chain_passes_arguments_and_results() {
    let p = program(call_chain(), 0, &[]);
    let r = run(&p, 0, &[4]);
    assert_eq!((r.status, r.ret), (0, 48));
    assert_eq!((r.mock.enters, r.mock.max_depth), (3, 3));
    r.assert_balanced();
}

fn scale_native(_: &mut Mock, args: &[u64]) -> Result<u64, String> {
    Ok((f64::from_bits(args[0]) * args[1] as f64).to_bits())
}

#[test]
fn native_call_with_f64_arguments_and_result() {
    let body = vec![ret(bin(BinOp::FAdd, native(0, vec![real(1.5), int(4)], Ty::Real), real(0.25)))];
    let p = program(vec![func("f", &[], Ty::Real, &[], body)], 1, &[]);
    let r = run_with(&p, 0, &[], natives(&[(2, scale_native)]));
    assert_eq!((r.status, f64_ret(&r)), (0, 6.25));
    assert_eq!(r.mock.native_log, vec![(0, vec![1.5f64.to_bits(), 4])]);
}

#[test]
fn strings_concatenate_and_format() {
    let strings = ["Hello", ", world", "mm", " gap ", " n=", " ok="];
    let s = || local(0, Ty::Str);
    let fmt = ex(
        ExprKind::Format(vec![
            FmtPiece::Str(s()),
            FmtPiece::Str(string(4)),
            FmtPiece::Int(int(-42)),
            FmtPiece::Str(string(5)),
            FmtPiece::Bool(boolean(true)),
            FmtPiece::Str(string(3)),
            FmtPiece::Quantity { value: real(0.5), unit: StringId(2), scale: 0.25 },
            FmtPiece::Real(real(1.5)),
        ]),
        Ty::Str,
    );
    let f = func(
        "greet",
        &[],
        Ty::Str,
        &[("s", Ty::Str)],
        vec![Stmt::Let(LocalId(0), bin(BinOp::StrConcat, string(0), string(1))), ret(fmt)],
    );
    let eq = |op| {
        let body = vec![ret(bin(op, local(0, Ty::Str), local(1, Ty::Str)))];
        func("eq", &[("a", Ty::Str), ("b", Ty::Str)], Ty::Bool, &[], body)
    };
    let p = program(vec![f, eq(BinOp::StrEq), eq(BinOp::StrNe)], 0, &strings);
    let r = run(&p, 0, &[]);
    assert_eq!(r.status, 0);
    assert_eq!(r.mock.string(r.ret), "Hello, world n=-42 ok=true gap 2 mm1.5");

    for (f, a, b, expected) in [(1, "x", "x", 1), (1, "x", "y", 0), (2, "x", "x", 0), (2, "x", "y", 1)] {
        let mut mock = Mock::new(&[]);
        let (ha, hb) = (mock.alloc(Obj::Str(a.into())), mock.alloc(Obj::Str(b.into())));
        let r = run_with(&p, f, &[ha, hb], |m| *m = mock);
        assert_eq!(r.ret, expected, "fn {f} {a:?} {b:?}");
    }
}

/// f0 calls f1 calls f2, which fails with "boom"; f0 calls native 0 after the call returns.
fn failing_chain() -> Vec<Function> {
    failing_chain_at(0)
}

/// `failing_chain` for functions placed at index `base` onwards.
fn failing_chain_at(base: u32) -> Vec<Function> {
    vec![
        func(
            "top",
            &[],
            Ty::Int,
            &[],
            vec![Stmt::Expr(call(base + 1, vec![], Ty::Unit)), Stmt::Expr(native(0, vec![], Ty::Unit)), ret(int(1))],
        ),
        func("middle", &[], Ty::Unit, &[], vec![Stmt::Expr(call(base + 2, vec![], Ty::Unit))]),
        func("bottom", &[], Ty::Unit, &[], vec![fail(0), Stmt::Expr(native(0, vec![], Ty::Unit))]),
    ]
}

fn ok_native(_: &mut Mock, _: &[u64]) -> Result<u64, String> {
    Ok(0)
}

#[test]
fn fault_three_calls_deep_reaches_the_top() {
    let p = program(failing_chain(), 1, &["boom"]);
    let r = run_with(&p, 0, &[], natives(&[(0, ok_native)]));
    assert_eq!(r.status, 1);
    assert_eq!(r.fault(), &MockFault { kind: USER, message: "boom".into(), stack: vec![0, 1, 2] });
    assert!(r.mock.native_log.is_empty(), "code after the faulting call ran");
    assert_eq!(r.mock.enters, 3);
    r.assert_balanced();
}

#[test]
fn try_recover_catches_and_fail_reraises() {
    let mut fns = failing_chain();
    let fault_ty = Ty::Handle(HandleKind::Fault);
    // try { middle() ; r = 1 } recover e { r = 42 }; return r
    fns.push(func(
        "catches",
        &[],
        Ty::Int,
        &[("r", Ty::Int), ("e", fault_ty.clone())],
        vec![
            Stmt::Try {
                body: vec![Stmt::Expr(call(1, vec![], Ty::Unit)), set(0, int(1))],
                fault: LocalId(1),
                recover: vec![set(0, int(42))],
            },
            ret(local(0, Ty::Int)),
        ],
    ));
    // try { middle() } recover e { return e }
    fns.push(func(
        "returns_fault",
        &[],
        fault_ty.clone(),
        &[("e", fault_ty.clone())],
        vec![
            Stmt::Try {
                body: vec![Stmt::Expr(call(1, vec![], Ty::Unit))],
                fault: LocalId(0),
                recover: vec![ret(local(0, fault_ty.clone()))],
            },
            ret(int(0)),
        ],
    ));
    // try { middle() } recover e { fail e }
    fns.push(func(
        "reraises",
        &[],
        Ty::Unit,
        &[("e", fault_ty.clone())],
        vec![Stmt::Try {
            body: vec![Stmt::Expr(call(1, vec![], Ty::Unit))],
            fault: LocalId(0),
            recover: vec![Stmt::Reraise(local(0, fault_ty))],
        }],
    ));
    let p = program(fns, 1, &["boom"]);

    let r = run(&p, 3, &[]);
    assert_eq!((r.status, r.ret), (0, 42));
    assert!(r.mock.fault.is_none(), "the fault was not taken");
    r.assert_balanced();

    let r = run(&p, 4, &[]);
    assert_eq!(r.status, 0);
    match r.mock.obj(r.ret) {
        Some(Obj::Fault(f)) => {
            assert_eq!((f.kind, f.message.as_str(), f.stack.as_slice()), (USER, "boom", &[4, 1, 2][..]))
        }
        other => panic!("expected a fault handle, got {other:?}"),
    }

    let r = run(&p, 5, &[]);
    assert_eq!(r.status, 1);
    assert_eq!((r.fault().kind, r.fault().message.as_str()), (USER, "boom"));
    r.assert_balanced();
}

fn flaky(m: &mut Mock, _: &[u64]) -> Result<u64, String> {
    if m.failures_left > 0 {
        m.failures_left -= 1;
        Err("jammed".into())
    } else {
        Ok(0)
    }
}

#[test]
fn retry_succeeds_on_the_third_attempt() {
    let body = vec![Stmt::Retry { count: int(2), body: vec![Stmt::Expr(native(0, vec![], Ty::Unit))] }, ret(int(1))];
    let p = program(vec![func("fasten", &[], Ty::Int, &[], body)], 1, &[]);

    let r = run_with(&p, 0, &[], |m| {
        m.natives = vec![(0, flaky)];
        m.failures_left = 2;
    });
    assert_eq!((r.status, r.ret, r.mock.native_log.len()), (0, 1, 3));
    assert!(r.mock.fault.is_none());
    r.assert_balanced();

    let r = run_with(&p, 0, &[], |m| {
        m.natives = vec![(0, flaky)];
        m.failures_left = 3;
    });
    assert_eq!((r.status, r.mock.native_log.len()), (1, 3));
    assert_eq!((r.fault().kind, r.fault().message.as_str()), (HARDWARE, "jammed"));
    r.assert_balanced();
}

fn always_fails(_: &mut Mock, _: &[u64]) -> Result<u64, String> {
    Err("stalled".into())
}

/// Reports the `within` and `limits` depth it sees, as `10 * limits + within`.
fn depth(m: &mut Mock, _: &[u64]) -> Result<u64, String> {
    Ok((10 * m.limits.len() + m.within.len()) as u64)
}

#[test]
fn within_and_limits_pop_on_fault_and_return_paths() {
    let guarded = |inner: Block| {
        vec![Stmt::Within {
            seconds: real(2.0),
            body: vec![Stmt::Limits {
                clauses: vec![(LimitKind::Speed, real(0.25)), (LimitKind::Force, real(10.0))],
                body: inner,
            }],
        }]
    };
    let faults = func("faults", &[], Ty::Unit, &[], guarded(vec![Stmt::Expr(native(0, vec![], Ty::Unit))]));
    let returns = func("returns", &[], Ty::Int, &[], guarded(vec![ret(native(1, vec![], Ty::Int))]));
    let fault_ty = Ty::Handle(HandleKind::Fault);
    let recovers = func(
        "recovers",
        &[],
        Ty::Int,
        &[("e", fault_ty)],
        vec![
            Stmt::Try { body: vec![Stmt::Expr(call(0, vec![], Ty::Unit))], fault: LocalId(0), recover: vec![] },
            ret(native(1, vec![], Ty::Int)),
        ],
    );
    let p = program(vec![faults, returns, recovers], 2, &[]);
    let table: &[(usize, NativeFn)] = &[(0, always_fails), (0, depth)];

    let r = run_with(&p, 0, &[], natives(table));
    assert_eq!((r.status, r.fault().message.as_str()), (1, "stalled"));
    assert_eq!((r.mock.within_pushes, r.mock.limits_pushes), (1, 2));
    r.assert_balanced();

    let r = run_with(&p, 1, &[], natives(table));
    assert_eq!((r.status, r.ret), (0, 21), "the native saw both limits and the within");
    r.assert_balanced();

    let r = run_with(&p, 2, &[], natives(table));
    assert_eq!((r.status, r.ret), (0, 0), "the recover block ran with everything popped");
    r.assert_balanced();
}

#[test]
fn list_index_set_concat_and_bounds() {
    let xs = || local(0, Ty::List(Box::new(Ty::Int)));
    let index = |i: i64| ex(ExprKind::Index { list: Box::new(xs()), index: Box::new(int(i)) }, Ty::Int);
    let len = |l: Expr| ex(ExprKind::Len(Box::new(l)), Ty::Int);
    let let_xs = || Stmt::Let(LocalId(0), list_of(vec![int(10), int(20), int(30)]));
    let list_ty = [("xs", Ty::List(Box::new(Ty::Int)))];
    let get = func("get", &[], Ty::Int, &list_ty, vec![let_xs(), ret(index(1))]);
    let out_of_bounds = func("oob", &[], Ty::Int, &list_ty, vec![let_xs(), ret(index(5))]);
    let set_oob = func(
        "set_oob",
        &[],
        Ty::Unit,
        &list_ty,
        vec![let_xs(), Stmt::SetIndex { list: LocalId(0), index: int(-1), value: int(0) }],
    );
    // xs[0] = 9; return xs[0] + len(xs + [1, 2])
    let set_concat = func(
        "set_concat",
        &[],
        Ty::Int,
        &list_ty,
        vec![
            let_xs(),
            Stmt::SetIndex { list: LocalId(0), index: int(0), value: int(9) },
            ret(bin(BinOp::IAdd, index(0), len(bin(BinOp::ListConcat, xs(), list_of(vec![int(1), int(2)]))))),
        ],
    );
    // let ys = xs; xs[0] = 9; return ys[0]: `ys` holds the list too, so the write must copy.
    let shared_ty = [("xs", Ty::List(Box::new(Ty::Int))), ("ys", Ty::List(Box::new(Ty::Int)))];
    let ys_index =
        ex(ExprKind::Index { list: Box::new(local(1, Ty::List(Box::new(Ty::Int)))), index: Box::new(int(0)) }, Ty::Int);
    let shared = func(
        "shared",
        &[],
        Ty::Int,
        &shared_ty,
        vec![
            let_xs(),
            Stmt::Let(LocalId(1), xs()),
            Stmt::SetIndex { list: LocalId(0), index: int(0), value: int(9) },
            ret(bin(BinOp::IAdd, ys_index, index(0))),
        ],
    );
    let p = program(vec![get, out_of_bounds, set_oob, set_concat, shared], 0, &[]);

    assert_eq!(run(&p, 0, &[]).ret, 20);
    for f in [1, 2] {
        let r = run(&p, f, &[]);
        assert_eq!(r.status, 1);
        assert!(r.fault().message.contains("out of bounds"), "{}", r.fault().message);
        r.assert_balanced();
    }
    for f in [1, 2] {
        assert_eq!(run(&p, f, &[]).mock.list_faults, 1, "an inline check failed and called list_fault");
    }
    // `xs` is the only holder of its list: the write happens in place, no copy is made.
    let r = run(&p, 3, &[]);
    assert_eq!((r.status, r.ret), (0, 9 + 5));
    assert_eq!(r.mock.list(1), vec![9, 20, 30]);
    assert_eq!(r.mock.heap.len(), 3, "the literal, the `[1, 2]` and the concatenation");
    let r = run(&p, 4, &[]);
    assert_eq!((r.status, r.ret), (0, 10 + 9), "ys keeps the old list, xs sees the new one");
    assert_eq!(r.mock.list(1), vec![10, 20, 30], "a shared list is copied, not mutated");
}

#[test]
fn division_by_zero_faults_and_min_over_minus_one_wraps() {
    let op = |op| {
        func(
            "div",
            &[("a", Ty::Int), ("b", Ty::Int)],
            Ty::Int,
            &[],
            vec![ret(bin(op, local(0, Ty::Int), local(1, Ty::Int)))],
        )
    };
    let p = program(vec![op(BinOp::IDiv), op(BinOp::IRem)], 0, &[]);
    for f in [0, 1] {
        let r = run(&p, f, &[7, 0]);
        assert_eq!((r.status, r.fault().message.as_str()), (1, "division by zero"));
        r.assert_balanced();
    }
    assert_eq!(run(&p, 0, &[7, 2]).ret, 3);
    assert_eq!(run(&p, 1, &[(-7i64) as u64, 2]).ret as i64, -1);
    assert_eq!(run(&p, 0, &[i64::MIN as u64, (-1i64) as u64]).ret as i64, i64::MIN);
    assert_eq!(run(&p, 1, &[i64::MIN as u64, (-1i64) as u64]).ret, 0);
}

#[test]
fn records_keep_f64_fields_and_cell_handles() {
    let rec_ty = Ty::Struct(StructId(0), "Grip".into());
    let rec = || local(0, rec_ty.clone());
    let field = |i: u32, ty: Ty| ex(ExprKind::Field { record: Box::new(rec()), index: i }, ty);
    let make = Stmt::Let(
        LocalId(0),
        ex(ExprKind::Record { strukt: StructId(0), fields: vec![real(0.0125), int(7)] }, rec_ty.clone()),
    );
    let width = func("width", &[], Ty::Real, &[("g", rec_ty.clone())], vec![make.clone(), ret(field(0, Ty::Real))]);
    let count = func("count", &[], Ty::Int, &[("g", rec_ty.clone())], vec![make, ret(field(1, Ty::Int))]);
    let cell = func(
        "cell",
        &[],
        Ty::Handle(HandleKind::Arm),
        &[],
        vec![ret(ex(ExprKind::Cell(2), Ty::Handle(HandleKind::Arm)))],
    );
    let p = program(vec![width, count, cell], 0, &[]);
    assert_eq!(f64_ret(&run(&p, 0, &[])), 0.0125);
    assert_eq!(run(&p, 1, &[]).ret, 7);
    assert_eq!(run(&p, 2, &[]).ret, CELL_BASE + 2);
}

#[test]
fn bad_ir_is_an_internal_compiler_error_not_a_panic() {
    let p = program(vec![func("f", &[], Ty::Int, &[], vec![ret(call(99, vec![], Ty::Int))])], 0, &[]);
    let man = manifest(&p, "test");
    let err = jit(&p, &man).expect_err("unknown callee");
    let text = err.to_string();
    assert!(text.starts_with("internal compiler error: "), "{text}");
    assert!(text.contains("this is a bug in deft, please report it"), "{text}");
    assert!(crate::codegen::object(&p, &man).is_err());
}

#[test]
fn host_table_mirror_is_in_slot_order() {
    use crate::codegen::abi::{HOST_API_SLOTS, HostFn};
    assert_eq!(HOST_API_SLOTS[0], "abi_version");
    let names: Vec<&str> = HostFn::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(names, HOST_API_SLOTS[1..]);
    for (i, f) in HostFn::ALL.iter().enumerate() {
        assert_eq!((f.slot(), f.offset()), (i + 1, 8 * (i as i32 + 1)));
    }
    // The mock table mirrors the runtime's layout: one 8-byte slot per name.
    assert_eq!(std::mem::size_of::<mock::HostApi>(), 8 * HOST_API_SLOTS.len());
}

#[test]
fn jit_module_can_be_shared_across_threads() {
    let p = program(call_chain(), 0, &[]);
    let man = manifest(&p, "test");
    let module = jit(&p, &man).expect("compiles");
    let symbol = man.functions[0].symbol.clone();
    let results: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4u64)
            .map(|x| {
                let (module, symbol) = (&module, &symbol);
                s.spawn(move || Mock::new(&[]).call(module.function(symbol).expect("symbol"), &[x]).1)
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    assert_eq!(results, vec![8, 18, 28, 38]);
    assert_eq!(module.manifest_json(), man.to_json());
}

#[test]
fn a_refused_limits_push_pops_only_the_clauses_already_pushed() {
    let clauses =
        vec![(LimitKind::Speed, real(0.25)), (LimitKind::Force, real(10.0)), (LimitKind::Acceleration, real(1.0))];
    let body = vec![Stmt::Within {
        seconds: real(1.0),
        body: vec![Stmt::Limits { clauses, body: vec![Stmt::Expr(native(0, vec![], Ty::Unit))] }],
    }];
    let p = program(vec![func("f", &[], Ty::Unit, &[], body)], 1, &[]);
    for refused in 1..=3 {
        let r = run_with(&p, 0, &[], |m| {
            m.natives = vec![(0, ok_native)];
            m.refuse_limits_push = Some(refused);
        });
        assert_eq!((r.status, r.fault().kind), (1, 2), "refused push {refused}");
        assert_eq!(r.mock.limits_pushes, refused);
        assert!(r.mock.native_log.is_empty(), "the body ran despite a refused limit");
        r.assert_balanced();
    }
    let r = run_with(&p, 0, &[], natives(&[(0, ok_native)]));
    assert_eq!((r.status, r.mock.limits_pushes, r.mock.native_log.len()), (0, 3, 1));
    r.assert_balanced();
}

#[test]
fn a_refused_enter_returns_its_status_without_leave() {
    // f(n) = f(n + 1): the mock refuses the 65th nested enter.
    let body = vec![ret(call(0, vec![bin(BinOp::IAdd, local(0, Ty::Int), int(1))], Ty::Int))];
    let p = program(vec![func("deep", &[("n", Ty::Int)], Ty::Int, &[], body)], 0, &[]);
    let r = run(&p, 0, &[0]);
    assert_eq!((r.status, r.fault().kind), (1, STOPPED));
    assert_eq!((r.mock.enters, r.mock.max_depth), (64, 64));
    r.assert_balanced();
}

#[test]
fn clif_listing_shows_every_function_and_host_calls() {
    let p = program(call_chain(), 0, &[]);
    let man = manifest(&p, "test");
    let text = crate::codegen::clif(&p, &man).expect("compiles");
    for f in &man.functions {
        assert!(text.contains(&f.symbol), "{} missing from the listing", f.symbol);
    }
    assert!(text.contains("call_indirect"), "host calls go through the table");
}
