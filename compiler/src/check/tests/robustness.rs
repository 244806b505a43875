//! The checker never panics, whatever the input.

use super::*;

#[test]
fn never_panics_on_truncated_programs() {
    let features = with_cell(&format!(
        "{VERDICT}fn pick_one(v: Verdict, xs: [Length]) -> Length? {{\n    let c = match v {{ Verdict::Rework(d) => d, _ => 0 mm }}\n    var out: [Length] = xs + [c]\n    out[0] = c\n    if len(out) > 2 {{\n        return out[1]\n    }}\n    return none\n}}\nskill s() {{\n    if let l = pick_one(Verdict::Pass, [1 mm]) {{\n        log(\"{{l}}\")\n    }}\n    try {{ wait(1 s) }} recover e {{ fail e }}\n}}\n"
    ));
    clean(&features);
    for source in [LANGUAGE_EXAMPLE, SNAPSHOT_SOURCE, MOTION, features.as_str()] {
        let mut cut = 0;
        while cut < source.len() {
            let text = &source[..source.floor_char_boundary(cut)];
            let _ = run(text);
            let _ = run(&source.replacen(text, "", 1));
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
        "mm", "*", "/", "(", ")", "{", "}", "[", "]", "\n", "match", "none", "::", "=", ".", "0", "Verdict", "let",
        "return",
    ];
    for base in [LANGUAGE_EXAMPLE, SNAPSHOT_SOURCE] {
        for _ in 0..150 {
            let mut text = base.to_string();
            for _ in 0..3 {
                let at = text.floor_char_boundary(next(text.len()));
                text.insert_str(at, pieces[next(pieces.len())]);
            }
            let _ = run(&text);
        }
    }
}
