//! The broken-program corpus (`tests/broken/*.skill`): realistic skills with the mistakes people make
//! while typing. Each must give at least one error, with spans inside the file, without a panic, and
//! the check must finish. Unlike `tests/cases`, these files carry no expectations: they guard the
//! "no stage fails on user input" invariant, not the wording of diagnostics.

use deft_compiler::{SourceSet, World};
use deft_tests::{root, skill_files};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Generous: a file checks in milliseconds; this only turns a hang into a failure.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Lex, parse and check one program with the stdlib; `Err` on a panic, a span outside the file, the
/// checker's internal-error net (E0499) or a program that gives no error.
fn check_one(name: &str, text: &str) -> Result<usize, String> {
    let mut sources = SourceSet::new();
    let main = sources.add_main(name, text);
    for (module, file, text) in deft_stdlib::SOURCES {
        sources.add(module, file, text);
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let _tokens = deft_compiler::syntax::lex(text);
        let (_module, _syntax) = deft_compiler::syntax::parse(main, text);
        deft_compiler::check::check(&sources).diagnostics
    }));
    let diagnostics = outcome.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("the compiler panicked: {message}")
    })?;
    if !diagnostics.iter().any(|d| d.is_error()) {
        return Err(format!("no error reported; got {diagnostics:?}"));
    }
    for d in &diagnostics {
        if d.code == "E0499" {
            return Err(format!("internal checker error: {}", d.message));
        }
        for label in &d.labels {
            let source = sources.source(label.span.file);
            let (start, end) = (label.span.start as usize, label.span.end as usize);
            if start > end || end > source.len() || !source.is_char_boundary(start) || !source.is_char_boundary(end) {
                return Err(format!("{}: label span {start}..{end} is not a range of its file", d.code));
            }
        }
    }
    Ok(diagnostics.len())
}

/// Run `check_one` on another thread so that a hang fails the test instead of stalling it.
fn check_in_time(path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let name = path.strip_prefix(root()).unwrap_or(path).to_string_lossy().into_owned();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(check_one(&name, &text));
    });
    receive.recv_timeout(TIME_LIMIT).map_err(|_| format!("the check did not finish in {TIME_LIMIT:?}"))?
}

#[test]
fn every_broken_program_gives_an_error_without_panicking() {
    let files = skill_files(&root().join("tests/broken"));
    assert!(files.len() >= 50, "expected at least 50 broken programs, found {}", files.len());
    // The default hook would print each caught panic's message and backtrace in the middle of the report.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            check_in_time(f).err().map(|e| format!("{}: {e}", f.strip_prefix(root()).unwrap_or(f).display()))
        })
        .collect();
    std::panic::set_hook(hook);
    assert!(
        failures.is_empty(),
        "{} of {} broken programs failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn every_broken_program_says_what_it_gets_wrong() {
    // A corpus file without its `//!` line is a mistake nobody can review.
    for f in skill_files(&root().join("tests/broken")) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        assert!(text.starts_with("//! "), "{} must start with a `//!` line naming its mistakes", f.display());
    }
}
