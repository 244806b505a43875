//! Diagnostic codes stay in step: every code in the tables of `compiler/src/syntax/mod.rs` and
//! `compiler/src/check/mod.rs` has a case under `tests/cases`, every annotated code and every code
//! the compiler source spells out (outside its tests) exists in a table.

use deft_tests::{root, skill_files};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Codes that no source program can trigger, so no case can annotate them.
const UNTRIGGERABLE: &[&str] = &["E0499"];

/// The modules whose doc comments hold the code tables.
const TABLES: &[&str] = &["compiler/src/syntax/mod.rs", "compiler/src/check/mod.rs"];

/// A diagnostic code: `E` or `W` and four digits.
fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5 && matches!(b[0], b'E' | b'W') && b[1..].iter().all(u8::is_ascii_digit)
}

/// The codes of a markdown table in `//!` comments: rows like `//! | E0308 | meaning |`.
fn table_codes(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("//!"))
        .filter_map(|l| l.trim().strip_prefix('|'))
        .filter_map(|row| row.split('|').next())
        .map(str::trim)
        .filter(|cell| is_code(cell))
        .map(str::to_string)
        .collect()
}

fn tables() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for file in TABLES {
        let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let found = table_codes(&text);
        assert!(found.len() >= 10, "{file}: expected a code table, found {found:?}");
        codes.extend(found);
    }
    codes
}

/// Every code annotated in a case (`// error: E0308` or `// warning: W0001, W0002`), with the first
/// file that annotates it.
fn annotated() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for file in skill_files(&root().join("tests/cases")) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for line in text.lines() {
            for marker in ["// error:", "// warning:"] {
                if let Some(pos) = line.find(marker) {
                    for code in line[pos + marker.len()..].split(',') {
                        out.push((code.trim().to_string(), file.clone()));
                    }
                }
            }
        }
    }
    out
}

/// Every `.rs` file under a folder, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// String literals in Rust source that are exactly a code: `"E0308"`.
fn code_literals(text: &str) -> Vec<String> {
    text.split('"').filter(|piece| is_code(piece)).map(str::to_string).collect()
}

/// A file's text without its inline test module (`#[cfg(test)] mod tests { ... }`, by convention
/// last): tests may spell codes that do not exist, to check that they are refused.
fn without_inline_tests(text: &str) -> &str {
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]").map(|i| from + i) {
        let rest = text[at + "#[cfg(test)]".len()..].trim_start();
        let header = rest.lines().next().unwrap_or_default().trim_end();
        if header.starts_with("mod ") && header.ends_with('{') {
            return &text[..at];
        }
        from = at + 1;
    }
    text
}

/// Test code: files in a `tests` folder or named `tests.rs`.
fn is_test_file(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "tests") || path.file_name().is_some_and(|n| n == "tests.rs")
}

#[test]
fn table_parser_reads_rows() {
    let text = "//! | code  | meaning |\n//! |-------|---------|\n//! | E0001 | invalid character |\n\
                //! | W0002 | a \\| b |\n// | E0999 | not a doc comment |\n";
    let codes: Vec<String> = table_codes(text).into_iter().collect();
    assert_eq!(codes, ["E0001", "W0002"]);
    assert_eq!(code_literals(r#"Diagnostic::error("E0308", "cannot add") "E03" "W0001""#), ["E0308", "W0001"]);
    let source = "#[cfg(test)]\nmod tests;\nfn f() { e(\"E0001\") }\n#[cfg(test)]\nmod tests {\n    e(\"E9999\")\n}\n";
    assert_eq!(code_literals(without_inline_tests(source)), ["E0001"]);
    assert!(is_test_file(Path::new("compiler/src/check/tests/errors.rs")));
    assert!(!is_test_file(Path::new("compiler/src/check/expr.rs")));
}

#[test]
fn every_table_code_has_a_case() {
    let table = tables();
    let annotated: BTreeSet<String> = annotated().into_iter().map(|(c, _)| c).collect();
    let missing: Vec<&String> =
        table.iter().filter(|c| !UNTRIGGERABLE.contains(&c.as_str()) && !annotated.contains(*c)).collect();
    assert!(missing.is_empty(), "codes without an annotated case under tests/cases: {missing:?}");
}

#[test]
fn every_annotated_code_is_in_a_table() {
    let table = tables();
    let unknown: Vec<String> = annotated()
        .into_iter()
        .filter(|(c, _)| !table.contains(c))
        .map(|(c, f)| format!("{c} in {}", f.strip_prefix(root()).unwrap_or(&f).display()))
        .collect();
    assert!(unknown.is_empty(), "annotations with codes that no table lists: {unknown:?}");
}

#[test]
fn every_code_in_the_compiler_is_in_a_table() {
    let table = tables();
    let src = root().join("compiler/src");
    let files: Vec<PathBuf> =
        rust_files(&src).into_iter().filter(|f| !is_test_file(f.strip_prefix(&src).unwrap_or(f))).collect();
    assert!(files.len() >= 10, "expected the compiler sources, found {files:?}");
    let mut unknown = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for code in code_literals(without_inline_tests(&text)) {
            if !table.contains(&code) {
                unknown.push(format!("{code} in {}", file.strip_prefix(root()).unwrap_or(&file).display()));
            }
        }
    }
    assert!(unknown.is_empty(), "codes used in compiler/src that no table lists: {unknown:?}");
}
