//! Tests of `cell.toml` parsing: the schema, defaults, and each validation rule with its location.

use super::*;

const BASE: &str = r#"[cell]
name = "c"

[[arm]]
name = "arm"
model = "ur5e"

[[tool]]
name = "gripper"
kind = "parallel_gripper"
mounted_on = "arm"
max_width_mm = 85
max_force_n = 140

[[fixture]]
name = "jig"
pose = { xyz_mm = [400, 200, 0] }
slots = { base = { xyz_mm = [0, 0, 20] } }
"#;

fn parse(extra: &str) -> Result<Cell, CellError> {
    parse_cell(&format!("{BASE}{extra}"), "cell.toml")
}

/// The error for `extra` appended to a valid cell, checked to point at `line:column`.
fn error_at(extra: &str, line: usize, column: usize, needle: &str) -> CellError {
    let e = match parse(extra) {
        Ok(_) => panic!("should fail:\n{extra}"),
        Err(e) => e,
    };
    assert_eq!((e.line, e.column), (line, column), "{e}");
    assert!(e.message.contains(needle), "`{}` does not mention `{needle}`", e.message);
    e
}

/// Lines of BASE, so that errors in appended text have known line numbers.
const N: usize = 18;

#[test]
fn a_full_cell_parses_into_si_units() {
    let c = parse(
        r#"
[[part]]
name = "housing"
size_mm = [60, 40, 30]
mass_kg = 0.2
at = "jig.base"
group = "bodies"
features = { gap = { nominal_mm = 0.1, tolerance_mm = 0.3, noise_mm = 0.02 } }

[[signal]]
name = "clamp"
delay_ms = 250

[limits]
tcp_speed_mm_s = 1000
force_n = 150

[[keepout]]
name = "operator"
box_mm = { min = [-800, 600, 0], max = [800, 1400, 2000] }

[randomize]
part_xy_mm = 0.5
"#,
    )
    .expect("valid cell");
    assert_eq!(
        c.arms[0].home.iter().map(|q| (q.to_degrees() * 1e6).round() / 1e6).collect::<Vec<_>>(),
        DEFAULT_HOME_DEG
    );
    assert_eq!(c.grippers[0].tcp, 0.15);
    assert_eq!(c.arms[0].tcp, 0.15);
    assert_eq!(c.grippers[0].max_width, 0.085);
    let p = &c.parts[0];
    assert!((p.pose.translation.vector - Vector3::new(0.4, 0.2, 0.02)).norm() < 1e-12);
    assert_eq!(p.slot, Some((0, 0)));
    assert_eq!(p.features[0].tolerance, 0.0003);
    assert_eq!(c.signals[0].delay, 0.25);
    assert_eq!(c.limits.tcp_speed, Some(1.0));
    assert_eq!(c.limits.acceleration, None);
    assert_eq!(c.keepouts[0].max.z, 2.0);
    assert_eq!(c.randomize.part_xy, 0.0005);
}

#[test]
fn toml_syntax_errors_have_a_location() {
    let e = parse_cell("[cell]\nname = \"x\"\n[[arm]\n", "bad.toml").expect_err("syntax");
    assert_eq!(e.line, 3);
    assert!(e.to_string().starts_with("bad.toml:3:"));
}

#[test]
fn unknown_keys_are_rejected_and_named() {
    let e = error_at("[[signal]]\nname = \"s\"\ncolour = 1\n", N + 3, 1, "unknown field `colour`");
    assert_eq!(e.key, "signal.colour");
}

#[test]
fn missing_keys_are_named() {
    let e = parse("[[part]]\nname = \"p\"\nsize_mm = [1, 1, 1]\n").expect_err("no mass");
    assert!(e.message.contains("missing field `mass_kg`"), "{}", e.message);
}

#[test]
fn unknown_arm_model() {
    error_at("[[arm]]\nname = \"a2\"\nmodel = \"kr6\"\n", N + 3, 9, "unknown arm model `kr6`");
}

#[test]
fn unknown_tool_kind() {
    error_at(
        "[[tool]]\nname = \"t\"\nkind = \"suction\"\nmounted_on = \"arm\"\n",
        N + 3,
        8,
        "unknown tool kind `suction`",
    );
}

#[test]
fn tool_mounted_on_a_missing_arm() {
    error_at(
        "[[tool]]\nname = \"d\"\nkind = \"screwdriver\"\nmounted_on = \"robot\"\nmax_torque_nm = 3\n",
        N + 4,
        14,
        "mounted on `robot`, which is not an arm",
    );
}

#[test]
fn two_tools_on_one_arm() {
    error_at(
        "[[tool]]\nname = \"d\"\nkind = \"screwdriver\"\nmounted_on = \"arm\"\nmax_torque_nm = 3\n",
        N + 2,
        8,
        "already carries a gripper or screwdriver",
    );
}

#[test]
fn keys_of_another_tool_kind() {
    error_at(
        "[[arm]]\nname = \"a2\"\nmodel = \"ur5e\"\n[[tool]]\nname = \"d\"\nkind = \"screwdriver\"\nmounted_on = \"a2\"\nmax_torque_nm = 3\nmax_width_mm = 5\n",
        N + 9,
        16,
        "`max_width_mm` does not apply to a screwdriver",
    );
}

#[test]
fn part_at_a_missing_fixture_or_slot() {
    let part = |at: &str| format!("[[part]]\nname = \"p\"\nsize_mm = [10, 10, 10]\nmass_kg = 0.1\nat = \"{at}\"\n");
    error_at(&part("tray.a1"), N + 5, 6, "no fixture `tray`");
    error_at(&part("jig.top"), N + 5, 6, "fixture `jig` has no slot `top`; it has: base");
    error_at(&part("jig"), N + 5, 6, "must name a slot as FIXTURE.SLOT");
}

#[test]
fn two_parts_in_one_slot() {
    let part =
        |name: &str| format!("[[part]]\nname = \"{name}\"\nsize_mm = [10, 10, 10]\nmass_kg = 0.1\nat = \"jig.base\"\n");
    error_at(&format!("{}{}", part("p1"), part("p2")), N + 10, 6, "part `p1` already sits in slot `jig.base`");
}

#[test]
fn negative_sizes_and_masses() {
    error_at(
        "[[part]]\nname = \"p\"\nsize_mm = [10, -1, 10]\nmass_kg = 0.1\nat = \"jig.base\"\n",
        N + 3,
        11,
        "positive sizes",
    );
    error_at(
        "[[part]]\nname = \"p\"\nsize_mm = [10, 1, 10]\nmass_kg = -0.1\nat = \"jig.base\"\n",
        N + 4,
        11,
        "mass_kg must be positive",
    );
}

#[test]
fn duplicate_names_across_sections() {
    error_at("[[signal]]\nname = \"jig\"\n", N + 2, 8, "duplicate name `jig`: a fixture already has it");
}

#[test]
fn parts_need_exactly_one_place() {
    error_at(
        "[[part]]\nname = \"p\"\nsize_mm = [10, 10, 10]\nmass_kg = 0.1\n",
        N + 2,
        8,
        "needs `at = \"FIXTURE.SLOT\"` or `pose",
    );
    error_at(
        "[[part]]\nname = \"p\"\nsize_mm = [10, 10, 10]\nmass_kg = 0.1\nat = \"jig.base\"\npose = { xyz_mm = [0, 0, 0] }\n",
        N + 5,
        6,
        "has both `at` and `pose`",
    );
}

#[test]
fn home_needs_six_angles_and_keepouts_need_volume() {
    error_at("[[arm]]\nname = \"a2\"\nmodel = \"ur5e\"\nhome_deg = [0, 0]\n", N + 4, 12, "needs 6 angles, found 2");
    error_at("[[keepout]]\nname = \"k\"\nbox_mm = { min = [0, 0, 0], max = [1, 0, 1] }\n", N + 3, 10, "min < max");
}

#[test]
fn randomize_probabilities_are_checked() {
    error_at("[randomize]\ncross_thread = 1.5\n", N + 2, 16, "at most 1");
}

#[test]
fn the_example_in_docs_cell_md_parses() {
    let doc = include_str!("../../../docs/cell.md");
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let len = doc[start..].find("```").expect("closed block");
    let c = parse_cell(&doc[start..start + len], "docs/cell.md").expect("the documented example is valid");
    assert_eq!((c.arms.len(), c.grippers.len(), c.cameras.len(), c.parts.len()), (1, 1, 1, 2));
    assert!(c.parts[1].screw);
    assert_eq!(c.randomize.cross_thread, 0.002);
}

#[test]
fn non_finite_numbers_are_rejected() {
    error_at(
        "[[signal]]\nname = \"s\"\n[[fixture]]\nname = \"f\"\npose = { xyz_mm = [nan, 0, 0] }\n",
        N + 5,
        19,
        "finite",
    );
    error_at("[[keepout]]\nname = \"k\"\nbox_mm = { min = [0, 0, 0], max = [1, inf, 1] }\n", N + 3, 10, "min < max");
}

/// Mangled cell files (characters dropped, duplicated or replaced) give errors, never panics.
#[test]
fn mangled_cells_never_panic() {
    let source = format!("{BASE}[[part]]\nname = \"p\"\nsize_mm = [10, 10, 10]\nmass_kg = 0.1\nat = \"jig.base\"\n");
    let chars: Vec<char> = source.chars().collect();
    let mut rng = crate::sim::rng::Rng::new(99);
    let junk = ['"', '[', ']', '{', '}', '=', '.', '-', 'x', '0', '\n', 'é'];
    for _ in 0..3000 {
        let mut mangled = chars.clone();
        for _ in 0..3 {
            let i = (rng.next_u64() % mangled.len() as u64) as usize;
            match rng.next_u64() % 3 {
                0 => {
                    mangled.remove(i);
                }
                1 => mangled.insert(i, mangled[i]),
                _ => mangled[i] = junk[(rng.next_u64() % junk.len() as u64) as usize],
            }
        }
        let text: String = mangled.into_iter().collect();
        if let Err(e) = parse_cell(&text, "m.toml") {
            assert!(e.line >= 1 && e.line <= text.lines().count() + 1, "{e}");
            assert!(!e.message.is_empty());
        }
    }
}
