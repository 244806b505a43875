//! Property tests: the lexer, the parser and the checker never panic, on random token streams built
//! from Deft's vocabulary and on random edits of real programs (`examples/*/main.skill` and
//! `tests/fuzz-seeds/*.skill`).
//!
//! The default case count is small so that CI stays quick; `PROPTEST_CASES=40000 cargo test -p
//! deft-tests --test fuzz` searches longer (about ten minutes). A failure is shrunk to a minimal
//! input and its seed recorded under `tests/proptest-regressions/`.

use deft_compiler::{SourceSet, World};
use deft_tests::{examples, root, skill_files};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence};
use std::sync::OnceLock;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 64;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/fuzz.txt"))),
        ..Config::default()
    }
}

/// Words the lexer knows, and a few it must reject: tokens are joined by spaces, newlines or nothing.
#[rustfmt::skip]
const VOCABULARY: &[&str] = &[
    // Keywords.
    "skill", "fn", "cell", "const", "struct", "enum", "use", "test", "let", "var", "if", "else", "for", "in",
    "while", "return", "fail", "ensure", "requires", "ensures", "limits", "retry", "try", "recover", "within",
    "parallel", "and", "or", "not", "true", "false", "none", "match", "pub", "runs", "expect", "success",
    "extern",
    // Punctuation, including C habits and characters Deft does not have.
    "{", "}", "(", ")", "[", "]", ",", ":", "::", ".", "..", "=", "==", "!=", "<", "<=", ">", ">=", "+",
    "-", "*", "/", "^", "%", "->", "=>", "?", ";", "_", "&&", "||", "!", "@", "$", "#", "\\", "~",
    // Names: cell entries, types, stdlib functions, enum paths.
    "gripper", "arm", "driver", "housing", "screws", "jig", "p", "x", "s", "e", "Part", "Length", "Force",
    "Pose", "Int", "Bool", "Verdict", "FaultKind", "FaultKind::Timeout", "std::motion", "pick", "place",
    "grasp", "move_to", "log", "wait", "len", "sqrt", "sin", "xyz", "rpy", "pose", "above", "slot",
    // Numbers and quantities, including ones too large and odd unit expressions.
    "0", "12", "12.5", "1e-3", "1_000", "50 mm", "2.5 N*m", "250 mm/s", "9.81 m/s^2", "90 deg", "0.5 s",
    "12 %", "[N/mm]", "3 inch", "1 m^99999999999", "99999999999999999999", "1e999", ".5", "5.",
    // Strings: plain, interpolated, broken.
    "\"base\"", "\"gap {x}\"", "\"{p.size.z + 1 mm}\"", "\"{\"", "\"}\"", "\"{}\"", "\"\\q\"", "'a1'",
    "\"unterminated", "\"a\\\"b\"", "\"\\\\\"",
    // Comments.
    "// note", "/// doc", "//! module", "/*",
];

/// Longest run of one word an edit inserts. Kept under the depth at which the checker's recursion
/// overflows a 2 MiB test-thread stack on a chain of binary operators (see
/// `long_operator_chains_do_not_overflow_the_stack`, ignored until that is fixed).
const MAX_REPEAT: usize = 70;

const SEPARATORS: &[&str] = &[" ", " ", " ", "\n", "", "\t", "\r\n"];

/// Lex, parse and check `text` as a main module with the stdlib. A panic fails the property, and so
/// does a diagnostic that renderers cannot show (a label outside its file) or the checker's
/// internal-error net (E0499), which means an expression was left untyped without an error.
fn compile(text: &str) -> Result<(), String> {
    let mut sources = SourceSet::new();
    let main = sources.add_main("fuzz.skill", text);
    for (module, file, text) in deft_stdlib::SOURCES {
        sources.add(module, file, text);
    }
    let _tokens = deft_compiler::syntax::lex(text);
    let _parsed = deft_compiler::syntax::parse(main, text);
    let checked = deft_compiler::check::check(&sources);
    for d in &checked.diagnostics {
        if d.code == "E0499" {
            return Err(format!("internal checker error: {d:?}"));
        }
        for label in &d.labels {
            let source = sources.source(label.span.file);
            let (start, end) = (label.span.start as usize, label.span.end as usize);
            if start > end || end > source.len() || !source.is_char_boundary(start) || !source.is_char_boundary(end) {
                return Err(format!("{}: label span {start}..{end} is not a range of its file", d.code));
            }
        }
    }
    Ok(())
}

/// Where a token stream goes: at the top level, or inside an item, so that the checker sees more than
/// the parser's item-level recovery.
const TEMPLATES: &[(&str, &str)] = &[
    ("", ""),
    ("cell {\n    gripper: Gripper\n    housing: Part\n}\n\nskill main() {\n    ", "\n}\n"),
    ("fn helper(p: Part, d: Length) -> Length {\n    return ", "\n}\n"),
    ("skill run(n: Int) {\n    let x = ", "\n    log(\"{x}\")\n}\n"),
    ("struct Grip { width: Length, ", " }\n"),
    (
        "enum Verdict { Pass, Rework(Length), Scrap(String) }\nfn bin(v: Verdict) -> Int {\n    return match v {\n        ",
        "\n    }\n}\n",
    ),
];

fn token_stream() -> impl Strategy<Value = String> {
    let token = (prop::sample::select(VOCABULARY), prop::sample::select(SEPARATORS));
    (prop::sample::select(TEMPLATES), prop::collection::vec(token, 0..160)).prop_map(|((before, after), tokens)| {
        let mut out = before.to_string();
        for (word, sep) in tokens {
            out.push_str(word);
            out.push_str(sep);
        }
        out.push_str(after);
        out
    })
}

/// The programs that mutations start from, read once.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files: Vec<_> = examples().into_iter().map(|d| d.join("main.skill")).collect();
        files.extend(skill_files(&root().join("tests/fuzz-seeds")));
        files.into_iter().filter_map(|f| std::fs::read_to_string(f).ok()).collect()
    })
}

/// One edit of a program, at positions given as fractions of its length so that the strategy does
/// not depend on which seed it is applied to.
#[derive(Clone, Debug)]
enum Edit {
    Delete {
        at: Index,
        len: usize,
    },
    Duplicate {
        at: Index,
        len: usize,
    },
    Insert {
        at: Index,
        word: &'static str,
    },
    /// A word many times over: long operator chains, deep brackets, runs of keywords.
    Repeat {
        at: Index,
        word: &'static str,
        times: usize,
    },
    InsertChar {
        at: Index,
        c: char,
    },
    Move {
        from: Index,
        len: usize,
        to: Index,
    },
    Truncate {
        at: Index,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), 1..40usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        1 => (any::<Index>(), 1..80usize).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        3 => (any::<Index>(), prop::sample::select(VOCABULARY)).prop_map(|(at, word)| Edit::Insert { at, word }),
        1 => (any::<Index>(), any::<char>()).prop_map(|(at, c)| Edit::InsertChar { at, c }),
        1 => (any::<Index>(), prop::sample::select(VOCABULARY), 2..MAX_REPEAT)
            .prop_map(|(at, word, times)| Edit::Repeat { at, word, times }),
        1 => (any::<Index>(), 1..60usize, any::<Index>()).prop_map(|(from, len, to)| Edit::Move { from, len, to }),
        1 => any::<Index>().prop_map(|at| Edit::Truncate { at }),
    ]
}

/// Apply an edit on characters, so that every result is valid UTF-8.
fn apply(chars: &mut Vec<char>, edit: &Edit) {
    let pos = |i: &Index, n: usize| i.index(n + 1);
    let n = chars.len();
    match edit {
        Edit::Delete { at, len } => {
            let start = pos(at, n);
            chars.drain(start..(start + len).min(n));
        }
        Edit::Duplicate { at, len } => {
            let start = pos(at, n);
            let copy: Vec<char> = chars[start..(start + len).min(n)].to_vec();
            chars.splice(start..start, copy);
        }
        Edit::Insert { at, word } => {
            let start = pos(at, n);
            chars.splice(start..start, word.chars());
        }
        Edit::InsertChar { at, c } => chars.insert(pos(at, n), *c),
        Edit::Repeat { at, word, times } => {
            let start = pos(at, n);
            let run: Vec<char> = std::iter::repeat_n(*word, *times).flat_map(str::chars).collect();
            chars.splice(start..start, run);
        }
        Edit::Move { from, len, to } => {
            let start = pos(from, n);
            let moved: Vec<char> = chars.drain(start..(start + len).min(n)).collect();
            let to = pos(to, chars.len());
            chars.splice(to..to, moved);
        }
        Edit::Truncate { at } => chars.truncate(pos(at, n)),
    }
}

fn mutated_program() -> impl Strategy<Value = String> {
    (any::<Index>(), prop::collection::vec(edit(), 1..6)).prop_map(|(seed, edits)| {
        let seeds = seeds();
        let text = if seeds.is_empty() { "" } else { seeds[seed.index(seeds.len())].as_str() };
        let mut chars: Vec<char> = text.chars().collect();
        for e in &edits {
            apply(&mut chars, e);
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_token_streams_never_break_the_compiler(text in token_stream()) {
        prop_assert_eq!(compile(&text), Ok(()));
    }

    #[test]
    fn mutated_programs_never_break_the_compiler(text in mutated_program()) {
        prop_assert_eq!(compile(&text), Ok(()));
    }
}

#[test]
fn seeds_are_there_and_check_cleanly() {
    // A seed with errors would spend the mutations on code the checker already gives up on.
    let seed_files = skill_files(&root().join("tests/fuzz-seeds"));
    assert!(seed_files.len() >= 4, "expected the fuzz seeds, found {seed_files:?}");
    for f in seed_files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let mut sources = SourceSet::new();
        sources.add_main("seed.skill", &text);
        for (module, file, text) in deft_stdlib::SOURCES {
            sources.add(module, file, text);
        }
        let diagnostics = deft_compiler::check::check(&sources).diagnostics;
        assert!(diagnostics.is_empty(), "{}: {diagnostics:?}", f.display());
    }
}

/// A chain such as `d + d + ...` nests in the tree without nesting in the text. The parser bounds
/// expression depth (E0006), so the checker's recursion stays shallow on a 2 MiB thread.
#[test]
fn long_operator_chains_do_not_overflow_the_stack() {
    for link in ["d + ", "p.", "ok and "] {
        let text =
            format!("fn sum(d: Length, p: Part, ok: Bool) -> Length {{\n    return {}d\n}}\n", link.repeat(2000));
        let worker = std::thread::Builder::new().stack_size(2 << 20).spawn(move || compile(&text).is_ok());
        assert!(worker.is_ok_and(|w| w.join().unwrap_or(false)), "`{link}` chain");
    }
}
