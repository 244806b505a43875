//! The checker never panics, whatever the input.

use super::*;

/// A program using every construct, so that mutations of it reach every part of the checker.
const FEATURES: &str = r#"cell {
    gripper: Gripper
    screws: [Part]
}
enum Verdict { Pass, Rework(Length), Scrap(String) }
struct Slot { x: Length, y: Length }
const GAP: Length = 2 mm
fn pick_one(v: Verdict, xs: [Length]) -> Length? {
    let c = match v { Verdict::Rework(d) => d, _ => GAP }
    var out: [Length] = xs + [c]
    out[0] = sqrt(c * c) + abs(c) + clamp(c, 0 mm, 1 m)
    var s = Slot { x: 1 mm, y: out[0] }
    s.x = s.y
    if len(out) > 2 and s.x < 1 m {
        return out[1]
    }
    return none
}
skill s(n: Int = 2) limits(speed <= 100 mm/s) requires n > 0 {
    if let l = pick_one(Verdict::Pass, [1 mm]) {
        log("{l} {n} {true} {1.5}")
    }
    for p in screws {
        retry n { within 2 s { gripper.grasp(p, force = 3 N) } }
    }
    for i in 0..n {
        while i < 0 { fail "never" }
    }
    try { wait(1 s) } recover e {
        if e.kind == FaultKind::Timeout { fail e }
    }
    ensure not gripper.holding() else "holding {n}"
}
test "t" runs 10 expect success >= 90% { s() }
"#;

#[test]
fn never_panics_on_truncated_programs() {
    clean(FEATURES);
    for source in [LANGUAGE_EXAMPLE, SNAPSHOT_SOURCE, MOTION, FEATURES] {
        let mut cut = 0;
        while cut < source.len() {
            let text = &source[..source.floor_char_boundary(cut)];
            for variant in [text.to_string(), source.replacen(text, "", 1)] {
                let (_, checked) = run(&variant);
                let has_errors = checked.diagnostics.iter().any(|d| d.is_error());
                assert_eq!(checked.program.is_some(), !has_errors);
                assert!(checked.diagnostics.iter().all(|d| d.code != "E0499"), "a silent error path in:\n{variant}");
            }
            cut += 13;
        }
    }
}

#[test]
fn never_panics_on_mutated_programs() {
    // Swap, drop and duplicate tokens-ish: bytes at pseudo-random places, deterministically.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let pieces = [
        "mm",
        "*",
        "/",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "\n",
        "match",
        "none",
        "::",
        "=",
        ".",
        "0",
        "Verdict",
        "let",
        "x",
        "Int",
        "Slot",
        "s.",
        "?",
        "none",
        "FaultKind::",
        "Part",
        "gripper",
        "fail",
        "1 s",
        "+ 1",
        " and ",
        "-> Int",
        "Length",
        "[",
        "none",
        "return",
    ];
    for base in [LANGUAGE_EXAMPLE, SNAPSHOT_SOURCE, FEATURES] {
        for _ in 0..300 {
            let mut text = base.to_string();
            for _ in 0..3 {
                let at = text.floor_char_boundary(next(text.len()));
                text.insert_str(at, pieces[next(pieces.len())]);
            }
            let (_, checked) = run(&text);
            let has_errors = checked.diagnostics.iter().any(|d| d.is_error());
            assert_eq!(checked.program.is_some(), !has_errors);
            let internal = checked.diagnostics.iter().find(|d| d.code == "E0499");
            assert!(internal.is_none(), "a silent error path in:\n{text}");
        }
    }
}
