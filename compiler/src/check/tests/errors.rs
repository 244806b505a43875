//! One program per diagnostic code, each marked `//~ CODE` on the line the error must point at.

use super::*;

#[test]
fn unit_mismatch_matches_the_language_reference() {
    let src =
        with_cell("fn depth(p: Part) -> Length {\n    let depth = p.size.z + 40 N //~ E0308\n    return depth\n}\n");
    let d = error(&src);
    assert_eq!(d.message, "cannot add Force to Length");
    assert_eq!(d.help.as_deref(), Some("did you mean 40 mm?"));
    let labels: Vec<(&str, bool)> = d.labels.iter().map(|l| (l.message.as_str(), l.primary)).collect();
    assert_eq!(labels, [("Length", false), ("Force", true)]);
    let primary = d.primary_span().map(|s| &src[s.range()]);
    assert_eq!(primary, Some("40 N"));
}

#[test]
fn sin_of_a_number_asks_for_an_angle_unit() {
    let d = error("fn f() -> Real {\n    return sin(2.0) //~ E0308\n}\n");
    assert_eq!(d.help.as_deref(), Some("write 2.0 rad or 2.0 deg"));
}

#[test]
fn comparing_different_dimensions_is_an_error() {
    let d = error(&with_cell("fn f(p: Part) -> Bool {\n    return p.mass < 3 mm //~ E0308\n}\n"));
    assert_eq!(d.message, "cannot compare Mass with Length");
    assert_eq!(d.help.as_deref(), Some("did you mean 3 kg?"));
}

#[test]
fn angle_is_its_own_dimension() {
    error("fn f() -> Length {\n    return 1 rad + 1 m //~ E0308\n}\n");
}

#[test]
fn unknown_unit_suggests_a_unit() {
    let d = error("fn f() -> Length {\n    return 40 mn //~ E0105\n}\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `mm`?"));
}

#[test]
fn unknown_module_lists_modules() {
    let d = error("use std::motoin::{pick} //~ E0100\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `std::motion`?"));
    assert!(d.notes.iter().any(|n| n.contains("std::motion") && n.contains("std::prelude")), "{:?}", d.notes);
}

#[test]
fn unknown_item_lists_exports() {
    let d = error("use std::motion::{pick, pik} //~ E0101\n");
    assert!(d.notes.iter().any(|n| n.contains("approach") && n.contains("place")), "{:?}", d.notes);
}

#[test]
fn unknown_name_suggests_a_local() {
    let d = error("fn f(length: Length) -> Length {\n    return lenght //~ E0102\n}\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `length`?"));
}

#[test]
fn unknown_name_suggests_a_cell_entry() {
    let d = error(&with_cell("skill s() {\n    grippr.release() //~ E0102\n}\n"));
    assert_eq!(d.help.as_deref(), Some("did you mean `gripper`?"));
}

#[test]
fn unknown_function() {
    let d = error("skill s() {\n    wiat(1 s) //~ E0103\n}\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `wait`?"));
}

#[test]
fn unknown_type() {
    let d = error("fn f(x: Lenght) -> Int { //~ E0104\n    return 1\n}\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `Length`?"));
}

#[test]
fn duplicate_definition() {
    error("struct A { x: Int }\nstruct A { y: Int } //~ E0106\n");
}

#[test]
fn unknown_fault_kind() {
    let d = error("fn f(k: FaultKind) -> Bool {\n    return k == FaultKind::Timout //~ E0107\n}\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `FaultKind::Timeout`?"));
}

#[test]
fn extern_outside_std() {
    error("extern fn twice(x: Int) -> Int //~ E0108\n");
}

#[test]
fn const_cycle() {
    error("const A: Length = B\nconst B: Length = A //~ E0109\n");
}

#[test]
fn mismatched_types() {
    error("fn f() -> Bool {\n    let b: Bool = 3 //~ E0200\n    return b\n}\n");
}

#[test]
fn operator_on_wrong_types() {
    error("fn f() -> Int {\n    let x = true + 1 //~ E0201\n    return 1\n}\n");
}

#[test]
fn sqrt_of_odd_dimension() {
    error("fn f() -> Length {\n    return sqrt(2 mm) //~ E0202\n}\n");
}

#[test]
fn empty_list_needs_a_type() {
    error("fn f() -> Int {\n    let xs = [] //~ E0203\n    return 1\n}\n");
}

#[test]
fn cell_entry_must_be_a_handle() {
    error("cell {\n    arm: Arm\n    reach: Length //~ E0204\n}\n");
}

#[test]
fn unknown_field_suggests() {
    let src =
        "struct Grip { width: Length, force: Force }\nfn f(g: Grip) -> Length {\n    return g.widht //~ E0205\n}\n";
    let d = error(src);
    assert_eq!(d.help.as_deref(), Some("did you mean `width`?"));
}

#[test]
fn indexing_a_number() {
    error("fn f() -> Int {\n    let x = 3\n    return x[0] //~ E0206\n}\n");
}

#[test]
fn struct_literal_missing_field() {
    error(
        "struct Grip { width: Length, force: Force }\nfn f() -> Grip {\n    return Grip { width: 1 mm } //~ E0207\n}\n",
    );
}

#[test]
fn interpolating_a_handle() {
    error(&with_cell("skill s() {\n    log(\"at {jig}\") //~ E0208\n}\n"));
}

#[test]
fn binding_a_unit_value() {
    error("skill s() {\n    let x = log(\"a\") //~ E0209\n}\n");
}

#[test]
fn too_many_arguments() {
    error("skill s() {\n    wait(1 s, 2 s) //~ E0300\n}\n");
}

#[test]
fn missing_argument_lists_parameters() {
    let d = error(&with_cell("skill s() {\n    gripper.grasp() //~ E0301\n}\n"));
    assert!(d.message.contains("`part`"), "{}", d.message);
    assert!(d.notes.iter().any(|n| n.contains("force: Force")), "{:?}", d.notes);
}

#[test]
fn unknown_named_argument() {
    let d = error(&with_cell("skill s() {\n    gripper.grasp(housing, forse = 30 N) //~ E0302\n}\n"));
    assert_eq!(d.help.as_deref(), Some("did you mean `force`?"));
}

#[test]
fn argument_given_twice() {
    error(&with_cell("skill s() {\n    gripper.grasp(housing, 30 N, force = 40 N) //~ E0303\n}\n"));
}

#[test]
fn no_overload_for_first_argument() {
    error("fn f() -> Pose {\n    return pose(3) //~ E0304\n}\n");
}

#[test]
fn fn_cannot_call_a_skill() {
    let d = error(&with_cell("fn busy() -> Bool {\n    return gripper.holding() //~ E0305\n}\n"));
    assert!(d.message.contains("holding"), "{}", d.message);
    assert!(d.help.as_deref().is_some_and(|h| h.contains("skill busy")), "{:?}", d.help);
}

#[test]
fn function_used_as_a_value() {
    error("use std::motion::{pick}\nskill s() {\n    let p = pick //~ E0306\n}\n");
}

#[test]
fn assignment_to_let() {
    let d = error("fn f() -> Int {\n    let x = 1\n    x = 2 //~ E0400\n    return x\n}\n");
    assert!(d.help.as_deref().is_some_and(|h| h.contains("declare it with var")), "{:?}", d.help);
}

#[test]
fn assignment_to_a_constant() {
    error("const C: Length = 1 mm\nskill s() {\n    C = 2 mm //~ E0401\n}\n");
}

#[test]
fn return_value_from_a_skill_without_result() {
    error("skill s() {\n    return 1 //~ E0402\n}\n");
}

#[test]
fn missing_return() {
    error("fn f(x: Int) -> Int { //~ E0403\n    if x > 0 {\n        return 1\n    }\n}\n");
}

#[test]
fn unknown_limit() {
    error("skill s() limits(torque <= 3 N*m) { //~ E0404\n    wait(1 s)\n}\n");
}

#[test]
fn parallel_is_not_supported_yet() {
    error("skill s() {\n    parallel { //~ E0405\n        { wait(1 s) }\n        { wait(2 s) }\n    }\n}\n");
}

#[test]
fn fail_with_a_number() {
    error("skill s() {\n    fail 3 //~ E0406\n}\n");
}

#[test]
fn test_runs_must_be_positive() {
    error("test \"t\" runs 0 expect success >= 90% { //~ E0407\n    wait(1 s)\n}\n");
}

#[test]
fn two_cell_blocks() {
    error("cell {\n    arm: Arm\n}\ncell { //~ E0408\n    gripper: Gripper\n}\n");
}

#[test]
fn user_functions_do_not_overload() {
    error("fn f(x: Int) -> Int {\n    return x\n}\nfn f(x: Real) -> Real { //~ E0106\n    return x\n}\n");
}

#[test]
fn unknown_property_suggests_one() {
    let d = error(&with_cell("fn f() -> Vec3 {\n    return housing.sise //~ E0205\n}\n"));
    assert_eq!(d.help.as_deref(), Some("did you mean `size`?"));
    let d = error(&with_cell("fn f() -> Bool {\n    return gripper.holding //~ E0205\n}\n"));
    assert!(d.help.as_deref().is_some_and(|h| h.contains(".holding()")), "{:?}", d.help);
}

#[test]
fn match_must_be_exhaustive() {
    let src = format!(
        "{VERDICT}fn f(v: Verdict) -> Int {{\n    return match v {{ //~ E0409\n        Verdict::Pass => 1,\n        Verdict::Rework(d) => 2,\n    }}\n}}\n"
    );
    let d = error(&src);
    assert!(d.message.contains("Verdict::Scrap"), "{}", d.message);
}

#[test]
fn match_in_a_while_condition_is_not_supported_yet() {
    let src = format!(
        "{VERDICT}fn f(v: Verdict) -> Int {{\n    while match v {{ Verdict::Pass => true, _ => false }} {{ //~ E0405\n        return 1\n    }}\n    return 0\n}}\n"
    );
    error(&src);
}

#[test]
fn unknown_variant_suggests() {
    let d = error(&format!("{VERDICT}fn f() -> Verdict {{\n    return Verdict::Pas //~ E0107\n}}\n"));
    assert_eq!(d.help.as_deref(), Some("did you mean `Verdict::Pass`?"));
}

#[test]
fn none_needs_a_type() {
    error("fn f() -> Int {\n    let x = none //~ E0203\n    return 1\n}\n");
}

#[test]
fn huge_dimensions_are_errors_not_overflows() {
    error("fn f() -> Real {\n    return 1 m^30 * 1 m^30 * 1.0 //~ E0201\n}\n");
    error("fn f() -> Real {\n    return 1 m^40 //~ E0105\n}\n");
}

#[test]
fn missing_use_is_suggested() {
    let d = error(&with_cell("skill s() {\n    gripper.pick(housing) //~ E0103\n}\n"));
    assert_eq!(d.help.as_deref(), Some("add `use std::motion::{pick}` at the top of the file"));
}

#[test]
fn one_mistake_gives_one_diagnostic() {
    // The unknown name poisons `d`, and every later use of it stays quiet.
    let src = "fn f() -> Length {\n    let d = nope * 2 //~ E0102\n    let e = d + 1 s\n    return sqrt(d) + e\n}\n";
    error(src);
}

#[test]
fn unused_variable_is_a_warning() {
    let (w, checked) = run(
        "fn f() -> Int {\n    let unused = 1\n    let _quiet = 2\n    for i in 0..3 {\n        let used = i\n        return used\n    }\n    return 0\n}\n",
    );
    let found: Vec<(&str, usize)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code, d.primary_span().map_or(0, |s| line_col(w.source(s.file), s.start as usize).0)))
        .collect();
    assert_eq!(found, [("W0001", 2)]);
    assert!(checked.program.is_some(), "warnings do not block the program");
}

#[test]
fn unreachable_match_arm_is_a_warning() {
    let src = format!(
        "{VERDICT}fn f(v: Verdict) -> Int {{\n    return match v {{\n        _ => 1,\n        Verdict::Pass => 2,\n    }}\n}}\n"
    );
    let (w, checked) = run(&src);
    let found: Vec<(&str, usize)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code, d.primary_span().map_or(0, |s| line_col(w.source(s.file), s.start as usize).0)))
        .collect();
    assert_eq!(found, [("W0002", 5)]);
    assert!(checked.program.is_some());
}

#[test]
fn struct_literal_of_an_enum() {
    let d = error(&format!("{VERDICT}fn f() -> Verdict {{\n    return Verdict {{ tag: 1 }} //~ E0207\n}}\n"));
    assert!(d.help.as_deref().is_some_and(|h| h.contains("Verdict::Variant")), "{:?}", d.help);
}

#[test]
fn unknown_method_suggests_one_of_the_receiver() {
    let d = error(&with_cell("skill s() {\n    arm.move_lin(housing.pose) //~ E0103\n}\n"));
    assert_eq!(d.help.as_deref(), Some("did you mean `move_linear`?"));
    let d = error(&with_cell("skill s() {\n    arm.dance() //~ E0103\n}\n"));
    assert!(d.notes.iter().any(|n| n.starts_with("Arm has:") && n.contains("move_to")), "{:?}", d.notes);
}
