//! Data-driven tests: every `tests/cases/**/*.skill` file says what it expects in comments.
//!
//! - `// error: E0308` (or `// warning: W0001`) at the end of a line: a diagnostic with that code whose
//!   primary label starts on that line. The set of diagnostics must match the annotations exactly.
//! - `// run: success` or `// run: failed KIND` on a line of its own: run `skill main()` on the
//!   simulator (JIT) with `// cell: FILE` (relative to the case, default `cell.toml` beside it) and
//!   compare the outcome; `// stack: a > b` also checks the fault's skill stack.

use deft_compiler::World;
use deft_compiler::span::line_col;
use deft_tests::{load, root, skill_files};
use std::path::Path;

#[derive(Debug, Default)]
struct Expectations {
    diagnostics: Vec<(usize, String)>,
    run: Option<String>,
    stack: Option<String>,
    cell: Option<String>,
}

fn expectations(text: &str) -> Expectations {
    let mut e = Expectations::default();
    for (i, line) in text.lines().enumerate() {
        for marker in ["// error:", "// warning:"] {
            if let Some(pos) = line.find(marker) {
                for code in line[pos + marker.len()..].split(',') {
                    e.diagnostics.push((i + 1, code.trim().to_string()));
                }
            }
        }
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("// run:") {
            e.run = Some(rest.trim().to_string());
        }
        if let Some(rest) = trimmed.strip_prefix("// stack:") {
            e.stack = Some(rest.trim().to_string());
        }
        if let Some(rest) = trimmed.strip_prefix("// cell:") {
            e.cell = Some(rest.trim().to_string());
        }
    }
    e.diagnostics.sort();
    e
}

fn run_case(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let expected = expectations(&text);
    let sources = load(path);
    let checked = deft_compiler::check::check(&sources);
    let main = sources.main();
    let mut actual: Vec<(usize, String)> = checked
        .diagnostics
        .iter()
        .map(|d| {
            let line = d
                .primary_span()
                .filter(|s| s.file == main)
                .map_or(0, |s| line_col(sources.source(main), s.start as usize).0);
            (line, d.code.to_string())
        })
        .collect();
    actual.sort();
    if actual != expected.diagnostics {
        let messages: Vec<String> = checked.diagnostics.iter().map(|d| format!("{}: {}", d.code, d.message)).collect();
        return Err(format!(
            "diagnostics differ\n  expected (line, code): {:?}\n  actual   (line, code): {:?}\n  messages: {messages:#?}",
            expected.diagnostics, actual
        ));
    }
    let Some(run) = expected.run else { return Ok(()) };
    let program = checked.program.ok_or("a run case must check without errors")?;
    let cell = path.parent().unwrap_or(Path::new(".")).join(expected.cell.as_deref().unwrap_or("cell.toml"));
    let report = deft_tests::run_jit(&sources, program, &cell, 0)?;
    let outcome = match &report.fault {
        None => "success".to_string(),
        Some(f) => format!("failed {}", f.kind),
    };
    if outcome != run {
        return Err(format!("run outcome: expected `{run}`, got `{outcome}` ({:?})", report.fault));
    }
    if let (Some(stack), Some(fault)) = (expected.stack, &report.fault) {
        let actual = fault.skills.join(" > ");
        if actual != stack {
            return Err(format!("skill stack: expected `{stack}`, got `{actual}`"));
        }
    }
    Ok(())
}

#[test]
fn annotated_cases() {
    let files = skill_files(&root().join("tests/cases"));
    assert!(files.len() >= 10, "expected the case corpus, found {} files", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| run_case(f).err().map(|e| format!("{}: {e}", f.strip_prefix(root()).unwrap_or(f).display())))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), files.len(), failures.join("\n\n"));
}
