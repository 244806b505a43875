//! Whole files: the stdlib and a program using every item form parse with zero diagnostics.

use super::{dump, parse_clean};
use crate::syntax::ast::*;

const PRELUDE: &str = include_str!("../../../../stdlib/std/prelude.skill");
const MOTION: &str = include_str!("../../../../stdlib/std/motion.skill");

fn fn_item<'m>(module: &'m Module, name: &str) -> &'m FnItem {
    module
        .items
        .iter()
        .find_map(|i| match &i.kind {
            ItemKind::Fn(f) if f.name.name == name => Some(f),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fn {name}"))
}

#[test]
fn stdlib_prelude_parses_cleanly() {
    let module = parse_clean(PRELUDE);
    assert!(module.doc.as_deref().is_some_and(|d| d.starts_with("The prelude: in scope")));
    let grasp = fn_item(&module, "grasp");
    assert!(grasp.is_extern && grasp.kind == FnKind::Skill && grasp.body.is_none());
    assert_eq!(grasp.params.len(), 3);
    assert_eq!(grasp.params[2].default.as_ref().map(dump::expr).as_deref(), Some("(q 40 N)"));
    let arm = fn_item(&module, "arm");
    assert_eq!(arm.kind, FnKind::Fn);
    assert_eq!(arm.ret.as_ref().map(dump::ty).as_deref(), Some("Arm"));
    let ItemKind::Struct(inspection) = &module.items[0].kind else { panic!("first item is not a struct") };
    assert_eq!(inspection.fields.len(), 2);
    assert!(module.items[0].public);
    assert!(module.items[0].doc.as_deref().is_some_and(|d| d.starts_with("The result of `Camera.inspect`")));
}

#[test]
fn stdlib_motion_parses_cleanly() {
    let module = parse_clean(MOTION);
    // The stdlib grows; the items this test knows come first, in this order.
    let named: Vec<(&str, &Item)> = module
        .items
        .iter()
        .filter_map(|i| match &i.kind {
            ItemKind::Const(c) => Some((c.name.name.as_str(), i)),
            ItemKind::Fn(f) => Some((f.name.name.as_str(), i)),
            _ => None,
        })
        .collect();
    let first: Vec<&str> = named.iter().take(5).map(|(n, _)| *n).collect();
    assert_eq!(first, ["APPROACH", "approach", "retreat", "pick", "place"]);
    let place = fn_item(&module, "place");
    assert_eq!(place.requires.as_ref().map(dump::expr).as_deref(), Some("(mcall gripper holding)"));
    let Some(body) = &place.body else { panic!("place has no body") };
    assert_eq!(dump::stmt(&body.stmts[0]), "(mcall (. gripper arm) approach at)");
    assert_eq!(
        dump::stmt(&body.stmts[4]),
        r#"(ensure (<= error tolerance) (str {(. part name)} " placed " {error} " from its target, more than " {tolerance}))"#
    );
    assert_eq!(
        named[4].1.doc.as_deref(),
        Some(
            "Carry the held part to `at`, release it there and retreat; fails with `Ensure` when the part\n\
             ends up further than `tolerance` from `at`. `gripper.place(housing, jig.slot(\"base\"))`"
        )
    );
}

const PROGRAM: &str = r#"//! Assemble a motor housing.
//! Second line.
use std::motion::{pick, place}
use helpers

/// The workcell.
cell {
    /// The arm.
    arm: Arm
    gripper: Gripper, screws: [Part]
    spare: Part?
}

const CLEARANCE: Length = 50 mm
const COUNT = 4
pub struct Grip { width: Length, force: Force }
struct Spring {
    /// Stiffness.
    k: [N/mm]
    torque_rate: [N*m/rad]
}
enum Verdict {
    Pass,
    /// Needs rework.
    Rework(Length)
    Scrap(String, Int)
}

fn grip_for(p: Part) -> Grip {
    return Grip { width: p.size.y + 2 mm, force: clamp(p.mass * 9.81 m/s^2 * 4.0, 20 N, 120 N) }
}

pub skill fasten_all(parts: [Part], speed: Speed = 250 mm/s) -> Int
    limits(speed <= 250 mm/s, force <= 40 N)
    ensures true
    requires len(parts) > 0 {
    var n = 0
    for s in parts {
        retry 2 {
            within 4 s { driver.fasten(s, torque = 2.5 N*m, angle = 720 deg) }
        }
        n = n + 1
    }
    return n
}

extern fn helper(x: Real) -> Real

test "assembly succeeds" { fasten_all(screws) }
test "robust" runs 10000 expect success >= 99.5% { fasten_all(screws) }
"#;

#[test]
fn a_program_with_every_item_form() {
    let module = parse_clean(PROGRAM);
    assert_eq!(module.doc.as_deref(), Some("Assemble a motor housing.\nSecond line."));
    let kinds: Vec<&str> = module
        .items
        .iter()
        .map(|i| match &i.kind {
            ItemKind::Use(_) => "use",
            ItemKind::Cell(_) => "cell",
            ItemKind::Const(_) => "const",
            ItemKind::Struct(_) => "struct",
            ItemKind::Enum(_) => "enum",
            ItemKind::Fn(_) => "fn",
            ItemKind::Test(_) => "test",
        })
        .collect();
    assert_eq!(
        kinds,
        ["use", "use", "cell", "const", "const", "struct", "struct", "enum", "fn", "fn", "fn", "test", "test"]
    );
    let ItemKind::Use(u) = &module.items[0].kind else { panic!() };
    assert_eq!((u.path.len(), u.names.len()), (2, 2));
    let ItemKind::Use(u) = &module.items[1].kind else { panic!() };
    assert_eq!((u.path.len(), u.names.len()), (1, 0));

    let ItemKind::Cell(cell) = &module.items[2].kind else { panic!() };
    assert_eq!(module.items[2].doc.as_deref(), Some("The workcell."));
    let entries: Vec<String> = cell.entries.iter().map(|e| format!("{}: {}", e.name.name, dump::ty(&e.ty))).collect();
    assert_eq!(entries, ["arm: Arm", "gripper: Gripper", "screws: [Part]", "spare: Part?"]);
    assert_eq!(cell.entries[0].doc.as_deref(), Some("The arm."));

    let ItemKind::Const(c) = &module.items[4].kind else { panic!() };
    assert!(c.ty.is_none());
    assert!(module.items[5].public);
    let ItemKind::Struct(spring) = &module.items[6].kind else { panic!() };
    let fields: Vec<String> = spring.fields.iter().map(|f| dump::ty(&f.ty)).collect();
    assert_eq!(fields, ["[unit N*mm^-1]", "[unit N*m*rad^-1]"]);
    assert_eq!(spring.fields[0].doc.as_deref(), Some("Stiffness."));
    let ItemKind::Enum(verdict) = &module.items[7].kind else { panic!() };
    let variants: Vec<(String, usize)> =
        verdict.variants.iter().map(|v| (v.name.name.clone(), v.fields.len())).collect();
    assert_eq!(variants, [("Pass".into(), 0), ("Rework".into(), 1), ("Scrap".into(), 2)]);
    assert_eq!(verdict.variants[1].doc.as_deref(), Some("Needs rework."));

    let fasten = fn_item(&module, "fasten_all");
    assert_eq!(fasten.limits.iter().map(|l| l.name.name.as_str()).collect::<Vec<_>>(), ["speed", "force"]);
    assert_eq!(dump::expr(&fasten.limits[0].value), "(q 250 mm*s^-1)");
    assert_eq!(fasten.requires.as_ref().map(dump::expr).as_deref(), Some("(> (call len parts) 0)"));
    assert_eq!(fasten.ensures.as_ref().map(dump::expr).as_deref(), Some("true"));
    assert_eq!(fasten.ret.as_ref().map(dump::ty).as_deref(), Some("Int"));
    let Some(body) = &fasten.body else { panic!() };
    assert_eq!(body.stmts.len(), 3);
    assert!(fn_item(&module, "helper").is_extern);

    let ItemKind::Test(t) = &module.items[12].kind else { panic!() };
    assert_eq!(t.name, "robust");
    assert_eq!(&PROGRAM[t.name_span.range()], "\"robust\"");
    assert_eq!(t.runs.as_ref().map(dump::expr).as_deref(), Some("10000"));
    assert_eq!(t.expect.as_ref().map(dump::expr).as_deref(), Some("(q 99.5 %)"));
}

/// The example program of the language design, verbatim.
const DESIGN_EXAMPLE: &str = r#"//! Assemble a motor housing: cover on, four screws, inspect the gap.
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

#[test]
fn the_design_example_parses_cleanly() {
    let module = parse_clean(DESIGN_EXAMPLE);
    assert_eq!(module.items.len(), 9);
    let grip_for = fn_item(&module, "grip_for");
    let Some(body) = &grip_for.body else { panic!("no body") };
    assert_eq!(
        dump::stmt(&body.stmts[0]),
        "(struct Grip (width (+ (. (. p size) y) (q 2 mm))) (force (call clamp (* (* (. p mass) (q 9.81 m*s^-2)) 4.0) (q 20 N) (q 120 N))))"
    );
    let assemble = fn_item(&module, "assemble");
    assert_eq!(assemble.requires.as_ref().map(dump::expr).as_deref(), Some("(not (mcall gripper holding))"));
}

#[test]
fn lex_exposes_every_token_with_its_range() {
    use crate::syntax::{Token, lex};
    let source = "let x = 2.5 N*m // torque\n";
    let tokens: Vec<(Token, &str)> = lex(source).into_iter().map(|(t, r)| (t, &source[r])).collect();
    assert_eq!(
        tokens,
        [
            (Token::Let, "let"),
            (Token::Ident, "x"),
            (Token::Assign, "="),
            (Token::Real, "2.5"),
            (Token::Ident, "N"),
            (Token::Star, "*"),
            (Token::Ident, "m"),
            (Token::Comment, "// torque"),
            (Token::Newline, "\n"),
        ]
    );
    assert_eq!(lex("a @ b").iter().map(|t| t.0).collect::<Vec<_>>(), [Token::Ident, Token::Error, Token::Ident]);
}

#[test]
fn every_keyword_of_the_language_lexes_as_a_keyword() {
    use crate::syntax::lex;
    let words = "skill fn cell const struct enum use test let var if else for in while return fail ensure requires \
                 ensures limits retry try recover within parallel and or not true false none match pub runs expect \
                 success extern";
    let tokens = lex(words);
    assert_eq!(tokens.len(), words.split_whitespace().count());
    assert!(tokens.iter().all(|(t, _)| t.is_keyword()), "{tokens:?}");
    assert!(!lex("skills")[0].0.is_keyword());
}
