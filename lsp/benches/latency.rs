//! Latency of the language server's work on a generated 5,000-line program: diagnostics after a
//! one-character edit (a full re-analysis, what the server does after the debounce), hover and
//! completion. Run with `cargo bench -p deft-lsp --bench latency`; figures in docs/performance.md.

use deft_compiler::FileId;
use deft_compiler::analysis::Analysis;
use deft_tests::{generated_program, with_stdlib};
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let text = generated_program(5000);
    let lines = text.lines().count();
    let mut set = with_stdlib("bench/main.skill", &text);
    let main = FileId(0);
    // The one-character edit: `above(7 mm)` becomes `above(8 mm)` and back.
    let at = text.find("above(7 mm)").unwrap_or(0) + "above(".len();
    let edits = [text.clone(), format!("{}8{}", &text[..at], &text[at + 1..])];
    let mut n = 0;
    let diagnostics = time(11, || {
        n += 1;
        set.set_text(main, &edits[n % 2]);
        let a = Analysis::new(&set);
        assert!(a.diagnostics().iter().all(|d| !d.is_error()), "{:?}", a.diagnostics().first());
    });
    let check = time(11, || {
        let _ = deft_compiler::check::check(&set);
    });
    let parse = time(11, || {
        let _ = deft_compiler::syntax::parse(main, &text);
    });
    set.set_text(main, &text);
    let analysis = Analysis::new(&set);
    let hover_at = text.rfind("grip_").unwrap_or(0) + 2;
    let hover = time(101, || {
        assert!(analysis.hover(main, hover_at).is_some());
    });
    let body_at = text.rfind("    return g").unwrap_or(0);
    let complete = time(101, || {
        assert!(!analysis.completions(main, body_at).is_empty());
    });
    let dot_at = text.rfind("gripper.").unwrap_or(0) + "gripper.".len();
    let complete_dot = time(101, || {
        assert!(!analysis.completions(main, dot_at).is_empty());
    });
    let tokens = time(11, || {
        assert!(!analysis.semantic_tokens(main).is_empty());
    });
    println!("program: {lines} lines, {} bytes", text.len());
    println!("diagnostics after a one-char edit (Analysis::new): {diagnostics:.2?}");
    println!("  of which check::check:                          {check:.2?}");
    println!("  of which one parse of the main file:            {parse:.2?}");
    println!("hover:                                            {hover:.2?}");
    println!("completion (in a body):                           {complete:.2?}");
    println!("completion (after `.`):                           {complete_dot:.2?}");
    println!("semantic tokens (whole file):                     {tokens:.2?}");
}
