//! Programs of several files: `pub` visibility, `use` cycles, and siblings compiled as one program.

use super::*;

const FIXTURES: &str = "/// Where the housing sits.\npub fn base_pose(jig: Fixture) -> Pose {\n    return jig.slot(\"base\").above(lift())\n}\n\nfn lift() -> Length {\n    return 12 mm\n}\n\nconst SECRET: Length = 3 mm\n\npub skill settle(arm: Arm) {\n    wait(0.2 s)\n}\n";

fn errors_of(checked: &Checked) -> Vec<(&'static str, String)> {
    checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.code, d.message.clone())).collect()
}

#[test]
fn a_folder_compiles_as_one_program() {
    let main = "use fixtures::{base_pose, settle}\ncell {\n    arm: Arm\n    jig: Fixture\n}\nskill s() {\n    arm.move_to(base_pose(jig))\n    settle(arm)\n}\n";
    let (_, checked) = run_modules(main, &[("fixtures", FIXTURES)]);
    assert_eq!(errors_of(&checked), []);
    let Some(p) = checked.program else { panic!("no program") };
    let names: Vec<&str> = p.functions.iter().map(|f| f.name.as_str()).collect();
    for expected in ["s", "fixtures::base_pose", "fixtures::lift", "fixtures::settle"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let exported: Vec<&str> = p.functions.iter().filter(|f| f.exported).map(|f| f.name.as_str()).collect();
    assert_eq!(exported, ["s"]);
}

#[test]
fn private_items_of_a_sibling_are_not_visible() {
    let (_, checked) = run_modules("use fixtures::{lift}\n", &[("fixtures", FIXTURES)]);
    let errors = errors_of(&checked);
    assert_eq!(errors, [("E0101", "`lift` is private to module `fixtures`".to_string())]);
    let help = checked.diagnostics[0].help.clone();
    assert_eq!(help.as_deref(), Some("mark it `pub` in fixtures.skill: items without `pub` are private to their file"));
}

#[test]
fn private_items_through_a_module_alias() {
    let (_, checked) =
        run_modules("use fixtures\nfn f() -> Length {\n    return fixtures::lift()\n}\n", &[("fixtures", FIXTURES)]);
    assert_eq!(errors_of(&checked), [("E0101", "`lift` is private to module `fixtures`".to_string())]);
    let (_, checked) =
        run_modules("use fixtures\nfn f() -> Length {\n    return fixtures::SECRET\n}\n", &[("fixtures", FIXTURES)]);
    assert_eq!(errors_of(&checked), [("E0101", "`SECRET` is private to module `fixtures`".to_string())]);
}

#[test]
fn private_stdlib_items_are_internal() {
    let shop = "pub fn a() -> Int {\n    return b()\n}\n\nfn b() -> Int {\n    return 1\n}\n";
    let (_, checked) = run_modules("use std::shop::{b}\n", &[("std::shop", shop)]);
    assert_eq!(errors_of(&checked), [("E0101", "`b` is private to module `std::shop`".to_string())]);
    let help = checked.diagnostics[0].help.clone();
    assert_eq!(help.as_deref(), Some("it is internal to the standard library; use what the module exports"));
}

#[test]
fn a_use_cycle_between_two_siblings_is_named() {
    let (w, checked) = run_modules(
        "use a::{fa}\nskill s() {\n    fa()\n}\n",
        &[
            ("a", "use b::{fb}\npub skill fa() {\n    fb()\n}\n"),
            ("b", "use a::{fa}\npub skill fb() {\n    wait(1 s)\n}\npub skill g() {\n    fa()\n}\n"),
        ],
    );
    let errors = errors_of(&checked);
    assert_eq!(errors, [("E0110", "modules `a` and `b` use each other".to_string())]);
    let d = &checked.diagnostics[0];
    let span = d.primary_span().map(|s| (w.path(s.file).to_string(), &w.source(s.file)[s.range()]));
    assert_eq!(span, Some(("a.skill".to_string(), "b")));
    assert_eq!(d.notes, ["the cycle: `a` → `b` → `a`"]);
}

#[test]
fn a_use_cycle_through_main_is_named_from_main() {
    let (_, checked) = run_modules(
        "use a::{fa}\npub fn one() -> Int {\n    return 1\n}\nfn s() -> Int {\n    return fa()\n}\n",
        &[
            ("a", "use b::{fb}\npub fn fa() -> Int {\n    return fb()\n}\n"),
            ("b", "use main::{one}\npub fn fb() -> Int {\n    return one()\n}\n"),
        ],
    );
    let errors = errors_of(&checked);
    assert_eq!(errors, [("E0110", "`use` cycle between modules: `main` → `a` → `b` → `main`".to_string())]);
}

#[test]
fn a_diamond_of_uses_is_not_a_cycle() {
    let (_, checked) = run_modules(
        "use a::{fa}\nuse b::{fb}\nfn s() -> Int {\n    return fa() + fb()\n}\n",
        &[
            ("a", "use c::{fc}\npub fn fa() -> Int {\n    return fc()\n}\n"),
            ("b", "use c::{fc}\npub fn fb() -> Int {\n    return fc()\n}\n"),
            ("c", "pub fn fc() -> Int {\n    return 1\n}\n"),
        ],
    );
    assert_eq!(errors_of(&checked), []);
}
