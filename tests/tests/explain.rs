//! `docs/diagnostics.md` against the compiler: every code in the checker's and parser's tables has a
//! section, every section is such a code, each "Wrong" example gives its code, each "Right" example
//! checks cleanly, and `deft explain` prints the sections.

use deft_compiler::SourceSet;
use deft_tests::{deft, root};
use std::collections::BTreeSet;

/// Codes documented without examples: a program that shows them is a compiler bug.
const WITHOUT_EXAMPLE: &[&str] = &["E0499"];

/// The files of one example: `(None, text)` is the main module; a block whose info string names a
/// file (```` ```skill grips.skill ````) is the sibling module of that name.
type Example = Vec<(Option<String>, String)>;

/// One `## CODE: title` section of the page.
#[derive(Debug)]
struct Section {
    code: String,
    wrong: Option<Example>,
    right: Option<Example>,
    /// Codes a "Wrong" example may give besides its own (an `Also reported:` line): cascades, or a
    /// second rule the same mistake always breaks.
    also: BTreeSet<String>,
}

fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5 && matches!(b[0], b'E' | b'W') && b[1..].iter().all(u8::is_ascii_digit)
}

/// Every `XNNNN` word in a line.
fn codes_in(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| is_code(w)).map(str::to_string)
}

fn sections() -> Vec<Section> {
    let page = std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md exists");
    let mut out: Vec<Section> = Vec::new();
    let mut lines = page.lines();
    // Which example the ```skill blocks belong to: set by a "Wrong"/"Right" line, ended by prose.
    let mut current: Option<bool> = None;
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix("## ") {
            let code = heading.split(':').next().unwrap_or_default().trim().to_string();
            out.push(Section { code, wrong: None, right: None, also: BTreeSet::new() });
            current = None;
            continue;
        }
        let Some(section) = out.last_mut() else { continue };
        if line.starts_with("Wrong") {
            current = Some(false);
        } else if line.starts_with("Right") {
            current = Some(true);
        } else if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
            let text = body.join("\n") + "\n";
            let mut words = info.split_whitespace();
            if words.next() != Some("skill") {
                continue;
            }
            let file = words.next().map(str::to_string);
            match current {
                Some(false) => section.wrong.get_or_insert_default().push((file, text)),
                Some(true) => section.right.get_or_insert_default().push((file, text)),
                None => {}
            }
        } else if !line.trim().is_empty() {
            current = None;
            if line.starts_with("Also reported:") {
                section.also.extend(codes_in(line));
            }
        }
    }
    out
}

/// The codes in the `//! | CODE | meaning |` tables of the compiler's module docs.
fn table_codes() -> BTreeSet<String> {
    let mut files = vec![root().join("compiler/src")];
    let mut codes = BTreeSet::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).into_iter().flatten().flatten().map(|e| e.path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for line in text.lines() {
            let Some(row) = line.trim_start().strip_prefix("//! |") else { continue };
            let first = row.split('|').next().unwrap_or_default().trim();
            if is_code(first) {
                codes.insert(first.to_string());
            }
        }
    }
    codes
}

/// Check an example as a program with the standard library; each diagnostic's code, whether it is
/// an error, and its message.
fn check(code: &str, example: &Example) -> Vec<(String, bool, String)> {
    let mut sources = SourceSet::new();
    for (file, text) in example {
        match file {
            None => sources.add_main(&format!("docs/diagnostics.md#{code}"), text),
            Some(file) => sources.add(file.trim_end_matches(".skill"), file, text),
        };
    }
    for (module, file, text) in deft_stdlib::SOURCES {
        sources.add(module, file, text);
    }
    deft_compiler::check::check(&sources)
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.is_error(), d.message.clone()))
        .collect()
}

#[test]
fn every_table_code_has_a_section_and_every_section_is_a_code() {
    let documented: Vec<String> = sections().into_iter().map(|s| s.code).collect();
    let unique: BTreeSet<String> = documented.iter().cloned().collect();
    assert_eq!(unique.len(), documented.len(), "a code has two sections: {documented:?}");
    let tables = table_codes();
    assert!(tables.len() >= 50, "expected the parser's and checker's tables, found {tables:?}");
    let missing: Vec<&String> = tables.difference(&unique).collect();
    let extra: Vec<&String> = unique.difference(&tables).collect();
    assert!(missing.is_empty(), "codes without a section in docs/diagnostics.md: {missing:?}");
    assert!(extra.is_empty(), "sections for codes in no table (headings must be `## CODE: title`): {extra:?}");
}

#[test]
fn wrong_examples_give_their_code_and_right_examples_check_cleanly() {
    let mut failures = Vec::new();
    for s in sections() {
        let exempt = WITHOUT_EXAMPLE.contains(&s.code.as_str());
        match (&s.wrong, &s.right, exempt) {
            (None, None, true) => continue,
            (Some(_), Some(_), false) => {}
            _ => {
                failures.push(format!("{}: needs a Wrong and a Right ```skill block (or none, if exempt)", s.code));
                continue;
            }
        }
        let (Some(wrong), Some(right)) = (&s.wrong, &s.right) else { continue };
        if [wrong, right].iter().any(|e| e.iter().filter(|(file, _)| file.is_none()).count() != 1) {
            failures.push(format!("{}: each example needs exactly one unnamed (main) ```skill block", s.code));
            continue;
        }
        let got = check(&s.code, wrong);
        let stray: Vec<&(String, bool, String)> =
            got.iter().filter(|(c, _, _)| *c != s.code && !s.also.contains(c)).collect();
        if !got.iter().any(|(c, _, _)| *c == s.code) || !stray.is_empty() {
            failures.push(format!("{}: the Wrong example gives {got:?}", s.code));
        }
        let got = check(&s.code, right);
        if !got.is_empty() {
            failures.push(format!("{}: the Right example gives {got:?}", s.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn explain_prints_the_section_of_a_known_code() {
    let (code, stdout, stderr) = deft(&["explain", "E0308"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    let section = deft_compiler::explain::explain("E0308").unwrap_or_default();
    assert!(section.starts_with("## E0308: mismatched dimensions"), "{section}");
    assert_eq!(stdout.trim_end(), section);
    assert!(stdout.contains("Wrong") && stdout.contains("Right"));
}

#[test]
fn explain_of_an_unknown_code_is_a_usage_error_naming_near_codes() {
    let (code, stdout, stderr) = deft(&["explain", "E0310"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("E0310") && stderr.contains("E0300"), "{stderr}");
    let (code, _, stderr) = deft(&["explain", "E9999"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn the_embedded_page_is_the_one_on_disk() {
    let on_disk: Vec<String> = sections().into_iter().map(|s| s.code).collect();
    let embedded: Vec<String> = deft_compiler::explain::codes().into_iter().map(str::to_string).collect();
    assert_eq!(embedded, on_disk, "the compiler embeds docs/diagnostics.md; rebuild it");
}
