//! Tests for the checker: the harness and the programs several tests share.

mod display;
mod errors;
mod helps;
mod lowering;
mod modules;
mod robustness;
mod warnings;

use super::{Checked, check};
use crate::diagnostic::Diagnostic;
use crate::span::line_col;
use crate::world::{SourceSet, World};

const PRELUDE: &str = include_str!("../../../../stdlib/std/prelude.skill");
const MOTION: &str = include_str!("../../../../stdlib/std/motion.skill");
/// The rest of the stdlib, which `std::motion` and programs may `use`.
const STD_OTHERS: &[(&str, &str, &str)] = &[
    ("std::math", "std/math.skill", include_str!("../../../../stdlib/std/math.skill")),
    ("std::geometry", "std/geometry.skill", include_str!("../../../../stdlib/std/geometry.skill")),
    ("std::fasten", "std/fasten.skill", include_str!("../../../../stdlib/std/fasten.skill")),
    ("std::vision", "std/vision.skill", include_str!("../../../../stdlib/std/vision.skill")),
];

fn world(main: &str) -> SourceSet {
    let mut w = SourceSet::new();
    w.add("std::prelude", "std/prelude.skill", PRELUDE);
    w.add("std::motion", "std/motion.skill", MOTION);
    for (module, path, text) in STD_OTHERS {
        w.add(module, path, text);
    }
    w.add_main("main.skill", main);
    w
}

/// A program of several files: the main module and siblings given as (module name, text).
fn run_modules(main: &str, siblings: &[(&str, &str)]) -> (SourceSet, Checked) {
    let mut w = world(main);
    for (module, text) in siblings {
        w.add(module, &format!("{module}.skill"), text);
    }
    let checked = check(&w);
    (w, checked)
}

/// The warnings of a program that has no errors, as (code, line, message).
fn warnings(main: &str) -> Vec<(&'static str, usize, String)> {
    let (w, checked) = run(main);
    let errors: Vec<String> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| render(&w, d)).collect();
    assert!(errors.is_empty(), "unexpected errors:\n{}", errors.join("\n"));
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let line = d.primary_span().map_or(0, |s| line_col(main, s.start as usize).0);
            (d.code, line, d.message.clone())
        })
        .collect()
}

/// Every diagnostic of a program as (code, line), errors and warnings alike.
fn codes(main: &str) -> Vec<(&'static str, usize)> {
    let (_, checked) = run(main);
    checked
        .diagnostics
        .iter()
        .map(|d| (d.code, d.primary_span().map_or(0, |s| line_col(main, s.start as usize).0)))
        .collect()
}

fn run(main: &str) -> (SourceSet, Checked) {
    let w = world(main);
    let checked = check(&w);
    (w, checked)
}

fn render(w: &SourceSet, d: &Diagnostic) -> String {
    let (line, col) = d.primary_span().map_or((0, 0), |s| line_col(w.source(s.file), s.start as usize));
    let file = d.primary_span().map_or("?", |s| w.path(s.file));
    format!(
        "{}[{}] {file}:{line}:{col}: {} (help: {:?})",
        if d.is_error() { "error" } else { "warning" },
        d.code,
        d.message,
        d.help
    )
}

/// The program checks without errors; returns the program's text form.
fn clean(main: &str) -> crate::tir::Program {
    let (w, checked) = run(main);
    let errors: Vec<String> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| render(&w, d)).collect();
    assert!(errors.is_empty(), "unexpected errors:\n{}", errors.join("\n"));
    match checked.program {
        Some(p) => p,
        None => panic!("no program although there are no errors"),
    }
}

/// The program has exactly one error, with the code marked `//~ CODE` on the line it must be on.
fn error(main: &str) -> Diagnostic {
    let (line, code) = main
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.split_once("//~ ").map(|(_, c)| (i + 1, c.trim().to_string())))
        .unwrap_or((0, String::new()));
    let (w, checked) = run(main);
    let errors: Vec<&Diagnostic> = checked.diagnostics.iter().filter(|d| d.is_error()).collect();
    let rendered: Vec<String> = errors.iter().map(|d| render(&w, d)).collect();
    assert_eq!(errors.len(), 1, "expected one {code} on line {line}, got:\n{}", rendered.join("\n"));
    let d = errors[0].clone();
    assert_eq!(d.code, code, "{}", rendered.join("\n"));
    let span = d.primary_span().unwrap_or(crate::span::Span::new(w.main(), 0..0));
    assert_eq!(span.file, w.main(), "{}", rendered.join("\n"));
    assert_eq!(line_col(main, span.start as usize).0, line, "{}", rendered.join("\n"));
    assert!(checked.program.is_none());
    d
}

const LANGUAGE_EXAMPLE: &str = r#"//! Assemble a motor housing: cover on, four screws, inspect the gap.
use std::motion::{pick, place}

/// What this program needs from the workcell; bound by name when it is loaded.
cell {
    arm: Arm
    gripper: Gripper
    driver: ScrewDriver
    top_cam: Camera
    jig: Fixture
    housing: Part
    cover: Part
    screws: [Part]
}

const CLEARANCE: Length = 50 mm

struct Grip { width: Length, force: Force }

/// Pure helper: no hardware, checked by the compiler.
fn grip_for(p: Part) -> Grip {
    Grip { width: p.size.y + 2 mm, force: clamp(p.mass * 9.81 m/s^2 * 4.0, 20 N, 120 N) }
}

skill fasten_all(parts: [Part]) limits(speed <= 250 mm/s) {
    for s in parts {
        retry 2 {
            within 4 s { driver.fasten(s, torque = 2.5 N*m, angle = 720 deg) }
        }
    }
}

skill assemble() requires not gripper.holding() {
    gripper.pick(housing, force = grip_for(housing).force)
    gripper.place(housing, jig.slot("base"))
    gripper.pick(cover, force = 30 N)
    gripper.place(cover, housing.pose.above(12 mm), tolerance = 0.2 mm)
    fasten_all(screws)
    let r = top_cam.inspect(cover, feature = "gap")
    ensure r.value < 0.3 mm else "cover gap {r.value} out of tolerance"
}

test "assembly succeeds" { assemble() }
test "robust under part jitter" runs 10000 expect success >= 99.5% { assemble() }
"#;

/// A cell block most snippets use.
const CELL: &str = "cell {\n    arm: Arm\n    gripper: Gripper\n    driver: ScrewDriver\n    jig: Fixture\n    housing: Part\n    screws: [Part]\n}\n";

fn with_cell(body: &str) -> String {
    format!("{CELL}{body}")
}

const SNAPSHOT_SOURCE: &str = r#"cell {
    arm: Arm
}

const SAFE: Length = 100 mm

fn half(x: Length) -> Length {
    return x / 2
}

skill lift(d: Length = SAFE) -> Int ensures d > 0 mm {
    var n = 0
    for i in 0..3 {
        n = n + i
    }
    arm.move_linear(arm.tcp().above(half(d)), speed = 0.1 m/s)
    log("lifted {d} in {n} steps")
    return n
}
"#;

/// The functions of a program by name.
fn function<'p>(p: &'p crate::tir::Program, name: &str) -> &'p crate::tir::Function {
    match p.functions.iter().find(|f| f.name == name) {
        Some(f) => f,
        None => panic!("no function {name} in\n{p}"),
    }
}

fn native_keys(p: &crate::tir::Program) -> Vec<&str> {
    p.natives.iter().map(|n| n.key.as_str()).collect()
}

const VERDICT: &str = "enum Verdict { Pass, Rework(Length), Scrap(String) }\n";
