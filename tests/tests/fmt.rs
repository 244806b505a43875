//! `deft fmt`: every example, case and stdlib module formats idempotently, keeps its comments and
//! its typed IR; `tests/fmt/*/before.skill` formats to `after.skill`; the CLI's exit codes.

use deft_compiler::format::{FormatError, comment_texts, format};
use deft_compiler::{FileId, SourceSet, World, check, syntax};
use deft_tests::{deft, examples, load, root, skill_files};
use std::path::{Path, PathBuf};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parses_cleanly(text: &str) -> bool {
    !syntax::parse(FileId(0), text).1.iter().any(|d| d.is_error())
}

/// Format, and check idempotence and that every comment is kept, in order.
fn format_checked(name: &str, text: &str) -> String {
    let out = match format(FileId(0), text) {
        Ok(out) => out,
        Err(FormatError::Syntax(d)) => panic!("{name}: syntax errors: {d:?}"),
        Err(FormatError::Internal(why)) => panic!("{name}: {why}"),
    };
    let again = format(FileId(0), &out).unwrap_or_else(|e| panic!("{name}: formatting the output failed: {e:?}"));
    assert_eq!(again, out, "{name}: formatting is not idempotent");
    assert_eq!(comment_texts(&out), comment_texts(text), "{name}: comments changed");
    for comment in comment_texts(text) {
        assert!(out.contains(&comment), "{name}: lost comment {comment:?}");
    }
    out
}

/// The typed IR's text, if the program checks cleanly.
fn tir_text(sources: &SourceSet) -> Option<String> {
    check::check(sources).program.map(|p| p.to_string())
}

/// Every example main file and every case file without syntax errors.
fn programs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = examples().iter().map(|d| d.join("main.skill")).collect();
    files.extend(skill_files(&root().join("tests/cases")));
    files
}

#[test]
fn examples_and_cases_format_idempotently_with_the_same_typed_ir() {
    let mut compared = 0;
    let mut formatted = 0;
    for path in programs() {
        let name = path.display().to_string();
        let text = read(&path);
        if !parses_cleanly(&text) {
            continue;
        }
        let out = format_checked(&name, &text);
        formatted += 1;
        let mut sources = load(&path);
        let main = sources.main();
        assert_eq!(sources.source(main), text, "{name}: the main file is the loaded one");
        let Some(before) = tir_text(&sources) else { continue };
        sources.set_text(main, &out);
        let after = tir_text(&sources).unwrap_or_else(|| panic!("{name}: the formatted program no longer checks"));
        assert_eq!(before, after, "{name}: the typed IR changed");
        compared += 1;
    }
    // The corpus is large: make sure this test is not vacuous.
    assert!(formatted >= 50, "only {formatted} files formatted");
    assert!(compared >= 20, "only {compared} programs compared");
}

#[test]
fn stdlib_formats_idempotently_with_the_same_typed_ir() {
    let files = skill_files(&root().join("stdlib/std"));
    assert!(files.len() >= 2, "stdlib/std holds the prelude and motion at least");
    let formatted: Vec<(String, String)> = files
        .iter()
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let out = format_checked(&path.display().to_string(), &read(path));
            (format!("<std>/{name}"), out)
        })
        .collect();
    for dir in examples() {
        let mut sources = load(&dir.join("main.skill"));
        let before = tir_text(&sources).unwrap_or_else(|| panic!("{} checks", dir.display()));
        let mut replaced = 0;
        for (file, text) in &formatted {
            if let Some(id) = sources.find_path(file) {
                sources.set_text(id, text);
                replaced += 1;
            }
        }
        assert!(
            replaced >= 2,
            "the stdlib files are loaded as {:?}",
            formatted.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        assert_eq!(Some(before), tir_text(&sources), "{}: the typed IR changed", dir.display());
    }
}

/// The comparison above is only meaningful if the IR's text holds no source positions but does
/// reflect what the program computes.
#[test]
fn typed_ir_text_ignores_layout_but_not_meaning() {
    let program = |text: &str| {
        let mut sources = SourceSet::new();
        sources.add_main("main.skill", text);
        for (module, file, text) in deft_stdlib::SOURCES {
            sources.add(module, file, text);
        }
        tir_text(&sources).unwrap_or_else(|| panic!("checks: {text}"))
    };
    let plain = program("fn f(a: Int, b: Int) -> Int {\n    return a - b\n}\n");
    let shifted = program("// moved down\n\n\nfn f(a: Int,\n    b: Int) -> Int {\n\n    return (a - b) // same\n}\n");
    let swapped = program("fn f(a: Int, b: Int) -> Int {\n    return b - a\n}\n");
    assert_eq!(plain, shifted);
    assert_ne!(plain, swapped);
}

#[test]
fn before_files_format_to_after_files() {
    let mut pairs = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fmt"))
        .expect("tests/fmt exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("before.skill").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.display().to_string();
        let before = read(&dir.join("before.skill"));
        let after = read(&dir.join("after.skill"));
        assert_eq!(format_checked(&name, &before), after, "{name}: before.skill does not format to after.skill");
        assert_eq!(format_checked(&name, &after), after, "{name}: after.skill is not canonical");
        pairs += 1;
    }
    assert!(pairs >= 4, "only {pairs} before/after pairs");
}

#[test]
fn a_doc_comment_that_would_move_to_another_item_is_refused() {
    // The `///` belongs to the token after it; printing `1 + 2` on one line would give it to `fn g`.
    let text = "const X: Int = 1 + /// doc\n    2\nfn g() {\n}\n";
    assert!(matches!(format(FileId(0), text), Err(FormatError::Internal(_))));
}

#[test]
fn syntax_errors_are_reported_not_formatted() {
    match format(FileId(0), "fn f() {\n    let x = \n}\n") {
        Err(FormatError::Syntax(d)) => assert!(d.iter().any(|d| d.is_error())),
        other => panic!("expected syntax errors, got {other:?}"),
    }
}

#[test]
fn examples_and_stdlib_are_formatted() {
    let (code, stdout, stderr) = deft(&["fmt", "--check", "examples", "stdlib/std"]);
    assert_eq!(code, 0, "files that need `deft fmt`:\n{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}

#[test]
fn fmt_rewrites_and_check_lists_with_exit_codes() {
    let dir = root().join("target/fmt-tests/cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("nested")).expect("temp dir");
    let messy = dir.join("nested/messy.skill");
    let clean = dir.join("clean.skill");
    let broken = dir.join("broken.skill");
    let messy_text = "fn f(a:Int)->Int{\n  return (a+1)*2 // doubled\n}\n";
    std::fs::write(&messy, messy_text).expect("write");
    std::fs::write(&clean, "fn g() {\n    log(\"hi\")\n}\n").expect("write");
    let dir_arg = dir.to_string_lossy().into_owned();

    let (code, stdout, _) = deft(&["fmt", "--check", &dir_arg]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().collect::<Vec<_>>(), vec![messy.to_string_lossy()]);
    assert_eq!(read(&messy), messy_text, "--check changes nothing");

    let (code, stdout, stderr) = deft(&["fmt", &dir_arg]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(read(&messy), "fn f(a: Int) -> Int {\n    return (a + 1) * 2 // doubled\n}\n");
    let (code, stdout, _) = deft(&["fmt", "--check", &dir_arg]);
    assert_eq!((code, stdout.as_str()), (0, ""));

    let broken_text = "fn h() {\n    let x = \n}\n";
    std::fs::write(&broken, broken_text).expect("write");
    let (code, _, stderr) = deft(&["fmt", &dir_arg]);
    assert_eq!(code, 1);
    assert!(stderr.contains("E0010") && stderr.contains("broken.skill"), "{stderr}");
    assert_eq!(read(&broken), broken_text, "a file with syntax errors is left untouched");

    let missing = dir.join("missing.skill").to_string_lossy().into_owned();
    let (code, _, stderr) = deft(&["fmt", &missing]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = deft(&["fmt"]);
    assert_eq!(code, 2, "a path is required");
}
