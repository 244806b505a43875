//! No input makes the parser panic: hundreds of truncated and mutated copies of a stdlib file.

use crate::span::FileId;
use crate::syntax::parse;

const MOTION: &str = include_str!("../../../../stdlib/std/motion.skill");

/// Knuth's MMIX linear congruential generator: deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

fn boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

const PIECES: &[&str] = &[
    "{", "}", "(", ")", "[", "]", "\"", "\\", "{x", ",", "=", "==", "::", ".", "..", "\n", "mm", "%", "^", "-",
    "skill", "if", "else", "match", "let", "ensure", "3", "2.5 N*m", "@", "é", "///", "//!", "try", "recover",
];

fn mutate(rng: &mut Lcg, source: &str) -> String {
    let mut s = source.to_string();
    for _ in 0..1 + rng.next(4) {
        let at = boundary(&s, rng.next(s.len() + 1));
        match rng.next(4) {
            0 => s.truncate(at),
            1 => {
                let end = boundary(&s, at + rng.next(40));
                s.replace_range(at..end.max(at), "");
            }
            2 => s.insert_str(at, PIECES[rng.next(PIECES.len())]),
            _ => {
                let end = boundary(&s, at + rng.next(80));
                let copy = s[at..end.max(at)].to_string();
                let to = boundary(&s, rng.next(s.len() + 1));
                s.insert_str(to, &copy);
            }
        }
    }
    s
}

#[test]
fn mutated_sources_never_panic_and_spans_stay_in_bounds() {
    let mut rng = Lcg(0x5eed);
    let mut with_errors = 0;
    for _ in 0..600 {
        let source = mutate(&mut rng, MOTION);
        let (_, diags) = parse(FileId(0), &source);
        for d in &diags {
            for label in &d.labels {
                assert!(label.span.start <= label.span.end && label.span.end as usize <= source.len(), "{d:?}");
            }
        }
        with_errors += usize::from(!diags.is_empty());
    }
    // The mutations must actually exercise recovery.
    assert!(with_errors > 300, "only {with_errors} mutated sources had errors");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("(", ")"), ("[", "]"), ("-", ""), ("not ", ""), ("[match a { _ => ", "}]")] {
        let source = format!("skill t() {{\n    x = {}1{}\n}}\n", open.repeat(5000), close.repeat(5000));
        let diags = parse(FileId(0), &source).1;
        assert!(diags.iter().any(|d| d.code == "E0006"), "{open}: {diags:#?}");
    }
    let source = format!("skill t() {{\n{}\n{}\n}}\n", "if a {\n".repeat(5000), "}\n".repeat(5000));
    assert!(parse(FileId(0), &source).1.iter().any(|d| d.code == "E0006"));
    let source = format!("cell {{ a: {}Int{} }}\n", "[".repeat(5000), "]".repeat(5000));
    assert!(parse(FileId(0), &source).1.iter().any(|d| d.code == "E0006"));
    // Ordinary nesting is fine.
    let source = format!("skill t() {{\n    x = {}1{}\n}}\n", "(".repeat(20), ")".repeat(20));
    assert!(parse(FileId(0), &source).1.is_empty());
}

#[test]
fn many_mistakes_are_reported_in_linear_time() {
    let lines = 20_000;
    let source = format!("skill t() {{\n{}}}\n", "    ) go()\n    log(\"open\n".repeat(lines));
    let diags = parse(FileId(0), &source).1;
    // One per unterminated string; the stray ')' after it is hidden as the quote's consequence.
    assert_eq!(diags.iter().filter(|d| d.code == "E0002").count(), lines);
    let other: Vec<_> = diags.iter().filter(|d| d.code != "E0002").take(3).collect();
    assert_eq!(diags.len(), lines + 1, "{other:#?}");
}
