//! Key shapes of the tree: precedence, quantities, interpolation, struct literals, calls, statements.

use super::{body, one, parse_clean};
use crate::syntax::ast::*;

#[test]
fn precedence_from_or_down_to_postfix() {
    assert_eq!(one("a or b and not c == d + e * -f.g"), "(or a (and b (not (== c (+ d (* e (neg (. f g))))))))");
    assert_eq!(one("x = 1 - 2 - 3 * 4 / 5 % 6"), "(assign x (- (- 1 2) (% (/ (* 3 4) 5) 6)))");
    assert_eq!(one("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(one("not a and b"), "(and (not a) b)");
    // `in` converts frames at comparison strength; after a number it is the inch.
    assert_eq!(one("q = p.pose.above(d) in jig"), "(assign q (in (mcall (. p pose) above d) jig))");
    assert_eq!(one("l = 2 in + x"), "(assign l (+ (q 2 in) x))");
}

#[test]
fn quantities_with_compound_units() {
    assert_eq!(one("g = p.mass * 9.81 m/s^2 * 4.0"), "(assign g (* (* (. p mass) (q 9.81 m*s^-2)) 4.0))");
    assert_eq!(one("t = 2.5 N*m"), "(assign t (q 2.5 N*m))");
    assert_eq!(one("k = 3 N*m/rad"), "(assign k (q 3 N*m*rad^-1))");
    assert_eq!(one("w = 2 s^-1"), "(assign w (q 2 s^-1))");
    assert_eq!(one("a * 2 mm"), "(* a (q 2 mm))");
    assert_eq!(one("x / 2 s"), "(/ x (q 2 s))");
    assert_eq!(one("2 mm * 3"), "(* (q 2 mm) 3)");
    assert_eq!(one("y = 12 %"), "(assign y (q 12 %))");
    assert_eq!(one("y = 10 % 3"), "(assign y (% 10 3))");
    assert_eq!(one("d = 5 in + 1e-3 m"), "(assign d (+ (q 5 in) (q 1e-3 m)))");
    assert_eq!(one("n = 90 deg - -1_000"), "(assign n (- (q 90 deg) (neg 1000)))");
}

#[test]
fn quantity_value_and_text() {
    let stmts = parse_clean("const BIG: Length = 1_500.5 mm\n");
    let ItemKind::Const(c) = &stmts.items[0].kind else { panic!("not a const") };
    let ExprKind::Quantity { value, text, unit } = &c.value.kind else { panic!("not a quantity: {:?}", c.value) };
    assert_eq!(*value, 1500.5);
    assert_eq!(text, "1_500.5");
    assert_eq!(unit.factors[0].name.name, "mm");
}

#[test]
fn a_unit_name_on_the_next_line_is_a_new_statement() {
    assert_eq!(body("x = 2\nmm()"), vec!["(assign x 2)", "(call mm)"]);
}

#[test]
fn interpolation_parses_the_inner_expression_with_file_spans() {
    let src = "skill t() {\n    log(\"gap {r.value + 1 mm} is \\{ok\\}\\n\")\n}\n";
    let module = parse_clean(src);
    let ItemKind::Fn(f) = &module.items[0].kind else { panic!("not a fn") };
    let Some(body) = &f.body else { panic!("no body") };
    let StmtKind::Expr(call) = &body.stmts[0].kind else { panic!("not an expression") };
    let ExprKind::Call { args, .. } = &call.kind else { panic!("not a call") };
    assert_eq!(super::dump::expr(&args[0].value), r#"(str "gap " {(+ (. r value) (q 1 mm))} " is {ok}\n")"#);
    let ExprKind::Str(parts) = &args[0].value.kind else { panic!("not a string") };
    let StrPart::Expr(inner) = &parts[1] else { panic!("not an interpolation") };
    assert_eq!(&src[inner.span.range()], "r.value + 1 mm");
    let ExprKind::Binary { lhs, .. } = &inner.kind else { panic!("not binary") };
    assert_eq!(&src[lhs.span.range()], "r.value");
}

#[test]
fn struct_literal_only_after_an_upper_case_name() {
    assert_eq!(one("if ready { go() }"), "(if ready {(call go)})");
    assert_eq!(one("for s in parts { f(s) }"), "(for s parts {(call f s)})");
    assert_eq!(
        one("let g = Grip { width: 1 mm, force: 2 N }"),
        "(let g (struct Grip (width (q 1 mm)) (force (q 2 N))))"
    );
    assert_eq!(one("let s = Slot {\n    x: 1 mm\n    y: a.b\n}"), "(let s (struct Slot (x (q 1 mm)) (y (. a b))))");
    assert_eq!(one("within TIMEOUT { wait(1 s) }"), "(within TIMEOUT {(call wait (q 1 s))})");
}

#[test]
fn if_else_if_else_nests_in_the_else_block() {
    assert_eq!(
        one("if a { x() } else if b { y() } else { z() }"),
        "(if a {(call x)} else {(if b {(call y)} else {(call z)})})"
    );
    assert_eq!(
        one("if let p = find(xs) {\n  use_it(p)\n}\nelse {\n  none_found()\n}"),
        "(if-let p (call find xs) {(call use_it p)} else {(call none_found)})"
    );
}

#[test]
fn calls_named_args_and_methods_on_fields() {
    assert_eq!(
        one("driver.fasten(s, torque = 2.5 N*m, angle = 720 deg)"),
        "(mcall driver fasten s (= torque (q 2.5 N*m)) (= angle (q 720 deg)))"
    );
    assert_eq!(one("let p = gripper.arm.tcp()"), "(let p (mcall (. gripper arm) tcp))");
    assert_eq!(one("xs[i + 1].pose.above(12 mm)"), "(mcall (. (index xs (+ i 1)) pose) above (q 12 mm))");
    assert_eq!(one("v = Verdict::Rework(2 mm)"), "(assign v (call Verdict::Rework (q 2 mm)))");
    assert_eq!(one("k = FaultKind::Timeout"), "(assign k FaultKind::Timeout)");
}

#[test]
fn lines_continue_after_operators_commas_and_inside_brackets() {
    assert_eq!(one("let x = a +\n    b"), "(let x (+ a b))");
    assert_eq!(one("f(a,\n  b\n)"), "(call f a b)");
    assert_eq!(one("let xs = [\n  1 mm,\n  2 mm,\n]"), "(let xs [(q 1 mm) (q 2 mm)])");
    assert_eq!(body("a()\n-b"), vec!["(call a)", "(neg b)"]);
    assert_eq!(body("a(); b()"), vec!["(call a)", "(call b)"]);
}

#[test]
fn every_statement_form() {
    assert_eq!(one("var xs: [Slot] = []"), "(var xs: [Slot] [])");
    assert_eq!(one("let k: [N/mm] = 3 N/mm"), "(let k: [unit N*mm^-1] (q 3 N*mm^-1))");
    assert_eq!(one("let o: Part? = none"), "(let o: Part? none)");
    assert_eq!(one("let l: [N] = []"), "(let l: [N] [])");
    assert_eq!(one("let r: [%] = []"), "(let r: [unit %] [])");
    assert_eq!(one("xs[i] = 2"), "(assign (index xs i) 2)");
    assert_eq!(one("s.f = 2"), "(assign (. s f) 2)");
    assert_eq!(one("while n < 3 { n = n + 1 }"), "(while (< n 3) {(assign n (+ n 1))})");
    assert_eq!(one("for i in 0..len(xs) { f(i) }"), "(for i (.. 0 (call len xs)) {(call f i)})");
    assert_eq!(body("return\nreturn x"), vec!["(return)", "(return x)"]);
    assert_eq!(one("fail \"no part\""), "(fail (str \"no part\"))");
    assert_eq!(one("ensure r.value < 0.3 mm else \"bad\""), "(ensure (< (. r value) (q 0.3 mm)) (str \"bad\"))");
    assert_eq!(one("try { a() } recover e { fail e }"), "(try {(call a)} e {(fail e)})");
    assert_eq!(one("retry 2 { within 4 s { a() } }"), "(retry 2 {(within (q 4 s) {(call a)})})");
    assert_eq!(one("parallel {\n  { a() }\n  { b() }\n}"), "(parallel {(call a)} {(call b)})");
}

#[test]
fn match_arms_and_patterns() {
    assert_eq!(
        one(
            "let m = match v {\n  Verdict::Pass => 0 mm,\n  Verdict::Rework(d) => d\n  none => 1 mm, _ => 2 mm\n  x => x\n}"
        ),
        "(let m (match v (Verdict::Pass => (q 0 mm)) (Verdict::Rework(d) => d) (none => (q 1 mm)) (_ => (q 2 mm)) (x => x)))"
    );
}

#[test]
fn a_line_starting_with_a_dot_continues_the_chain() {
    assert_eq!(
        one("let p = housing.pose\n    .above(12 mm)\n    .offset(x = 1 mm)"),
        "(let p (mcall (mcall (. housing pose) above (q 12 mm)) offset (= x (q 1 mm))))"
    );
}
