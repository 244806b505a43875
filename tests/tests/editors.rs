//! The editor clients: the VS Code extension's TextMate grammar against the annotated samples in
//! `tests/grammar/` (with `vscode-tmgrammar-test`), its manifest and client, and the Neovim config
//! driving `deft lsp` headless. Tools come from `.ci/run`; without them a developer run skips with a
//! note, while a CI run (`CI` set) fails.

use deft_compiler::World;
use deft_compiler::analysis::{Analysis, TokenKind};
use deft_tests::{deft_bin, examples, load, root};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn vscode_dir() -> PathBuf {
    root().join("editors/vscode")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// `true` when `program` runs; otherwise skip the test with a note, or fail it under CI.
fn have_tool(program: &Path, what: &str) -> bool {
    let runs = Command::new(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if runs.is_ok_and(|s| s.success()) {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing ({}): .ci/run should have installed it", program.display());
    }
    eprintln!("note: {what} not found ({}); skipping (run the install steps of .ci/run)", program.display());
    false
}

fn grammar_tester() -> Option<PathBuf> {
    let tester = vscode_dir().join("node_modules/.bin/vscode-tmgrammar-test");
    (have_tool(Path::new("node"), "node")
        && have_tool(&tester, "vscode-tmgrammar-test (npm ci --prefix editors/vscode)"))
    .then_some(tester)
}

fn run_grammar_test(tester: &Path, pattern: &str) -> Output {
    Command::new(tester)
        .args(["--compact", "-g", "editors/vscode/syntaxes/deft.tmLanguage.json", pattern])
        .current_dir(root())
        .output()
        .expect("vscode-tmgrammar-test runs")
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("deft-editors-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

#[test]
fn grammar_samples_pass_vscode_tmgrammar_test() {
    let Some(tester) = grammar_tester() else { return };
    let samples = std::fs::read_dir(root().join("tests/grammar"))
        .expect("tests/grammar exists")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "skill")))
        .count();
    assert!(samples >= 3, "expected the annotated samples in tests/grammar/, found {samples}");
    let out = run_grammar_test(&tester, "tests/grammar/*.skill");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "grammar assertions failed:\n{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let passed = stdout.lines().filter(|l| l.contains("run successfuly")).count();
    assert_eq!(passed, samples, "every sample must be checked:\n{stdout}");
}

#[test]
fn grammar_tester_reports_a_wrong_scope() {
    // Guards the test above against passing vacuously: a false assertion must fail the run.
    let Some(tester) = grammar_tester() else { return };
    let dir = scratch("grammar");
    let sample = dir.join("wrong.skill");
    let text = "// SYNTAX TEST \"source.deft\"\nlet x = 5 mm\n//      ^ keyword.other.unit.deft\n";
    std::fs::write(&sample, text).expect("write sample");
    let out = run_grammar_test(&tester, &sample.to_string_lossy());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(stdout.contains("constant.numeric.quantity.deft"), "the report shows the actual scope:\n{stdout}");
    let _ = std::fs::remove_dir_all(dir);
}

/// The words of `#[token("word")]` in the lexer: Deft's keywords.
fn lexer_keywords() -> Vec<String> {
    let lexer = std::fs::read_to_string(root().join("compiler/src/syntax/lexer.rs")).expect("lexer.rs");
    lexer
        .lines()
        .filter_map(|l| l.trim().strip_prefix("#[token(\"")?.split_once("\")]").map(|(w, _)| w.to_string()))
        .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect()
}

#[test]
fn grammar_keywords_match_the_lexer() {
    let grammar = read_json(&vscode_dir().join("syntaxes/deft.tmLanguage.json"));
    let patterns = grammar["repository"]["keywords"]["patterns"].as_array().expect("keyword patterns");
    let mut highlighted: Vec<String> = patterns
        .iter()
        .filter_map(|p| p["match"].as_str())
        .flat_map(|m| m.trim_start_matches("\\b").trim_end_matches("\\b").trim_matches(['(', ')']).split('|'))
        .map(str::to_string)
        .collect();
    highlighted.sort();
    let mut keywords = lexer_keywords();
    keywords.sort();
    assert!(keywords.len() > 30, "read the keywords from lexer.rs: {keywords:?}");
    assert_eq!(highlighted, keywords, "the grammar's keywords are the lexer's keywords");
    // A keyword after a number is no unit (except `in`, the inch): the unit regex excludes the rest.
    let quantity = grammar["repository"]["quantities"]["match"].as_str().expect("quantity regex");
    let excluded = quantity.split("(?!(?:").nth(1).and_then(|s| s.split(")\\b)").next()).expect("keyword exclusion");
    let mut excluded: Vec<&str> = excluded.split('|').collect();
    excluded.sort();
    let not_units: Vec<&str> = keywords.iter().map(String::as_str).filter(|k| *k != "in").collect();
    assert_eq!(excluded, not_units);
}

#[test]
fn grammar_json_is_what_its_generator_writes() {
    if !have_tool(Path::new("node"), "node") {
        return;
    }
    let dir = scratch("generator");
    let generated = dir.join("deft.tmLanguage.json");
    let out = Command::new("node")
        .arg(vscode_dir().join("scripts/grammar.js"))
        .arg(&generated)
        .output()
        .expect("node runs scripts/grammar.js");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let committed = std::fs::read_to_string(vscode_dir().join("syntaxes/deft.tmLanguage.json")).expect("grammar");
    let fresh = std::fs::read_to_string(&generated).expect("generated grammar");
    assert!(
        committed == fresh,
        "syntaxes/deft.tmLanguage.json is stale: run `node scripts/grammar.js syntaxes/deft.tmLanguage.json` in editors/vscode"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn vscode_manifest_contributes_language_grammar_client_and_pins_versions() {
    let dir = vscode_dir();
    let manifest = read_json(&dir.join("package.json"));
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["id"], "deft");
    assert_eq!(language["extensions"], serde_json::json!([".skill"]));
    let config = read_json(&dir.join(language["configuration"].as_str().expect("configuration path")));
    assert_eq!(config["comments"]["lineComment"], "//");
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "deft");
    let tm = read_json(&dir.join(grammar["path"].as_str().expect("grammar path")));
    assert_eq!(tm["scopeName"], grammar["scopeName"]);
    assert_eq!(manifest["contributes"]["configuration"]["properties"]["deft.path"]["default"], "deft");
    assert!(dir.join(manifest["main"].as_str().expect("main")).is_file());
    // Exact versions, and the lock file agrees with them (`npm ci` installs from the lock).
    let lock = read_json(&dir.join("package-lock.json"));
    for section in ["dependencies", "devDependencies"] {
        for (name, version) in manifest[section].as_object().expect(section) {
            let version = version.as_str().expect("version string");
            assert!(version.chars().all(|c| c.is_ascii_digit() || c == '.'), "{name} is pinned: {version}");
            assert_eq!(lock["packages"][format!("node_modules/{name}")]["version"], version, "{name} in the lock");
        }
    }
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).expect("editors/vscode/.gitignore");
    assert!(ignore.lines().any(|l| l.trim() == "node_modules/"), "node_modules is not committed");
}

#[test]
fn vscode_client_starts_deft_lsp_from_the_setting() {
    if !have_tool(Path::new("node"), "node") {
        return;
    }
    let out = Command::new("node")
        .args(["--test", "test/client.test.js"])
        .current_dir(vscode_dir())
        .output()
        .expect("node --test runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("# pass 3"), "{stdout}");
}

/// Highlighted characters: (line, UTF-16 column, "quantity" or "unit"), all 0-based.
type Marks = BTreeSet<(usize, usize, String)>;

/// The characters (line, UTF-16 column) of `text` in `[start, end)` bytes, whitespace excluded.
fn chars_of(text: &str, start: usize, end: usize, kind: &str, into: &mut Marks) {
    let (mut line, mut col) = (0, 0);
    for (i, c) in text.char_indices() {
        if i >= end {
            break;
        }
        if i >= start && !c.is_whitespace() {
            into.insert((line, col, kind.to_string()));
        }
        if c == '\n' {
            (line, col) = (line + 1, 0);
        } else {
            col += c.len_utf16();
        }
    }
}

#[test]
fn grammar_quantities_and_units_match_the_compiler_on_examples_and_stdlib() {
    // The grammar guesses quantities with regexes; the compiler's semantic tokens know. On every real
    // program they must mark the same characters, and nothing may be highlighted as invalid.
    if !have_tool(Path::new("node"), "node") || grammar_tester().is_none() {
        return;
    }
    let dir = scratch("scopes");
    let mut expected: BTreeMap<PathBuf, (String, Marks)> = BTreeMap::new();
    for example in examples() {
        let sources = load(&example.join("main.skill"));
        let analysis = Analysis::new(&sources);
        for file in sources.files() {
            let copy = dir.join(sources.path(file).replace(['/', '\\'], "__"));
            if expected.contains_key(&copy) {
                continue;
            }
            let text = analysis.text(file).to_string();
            let mut marked = BTreeSet::new();
            for token in analysis.semantic_tokens(file) {
                let kind = match token.kind {
                    TokenKind::Quantity => "quantity",
                    TokenKind::Unit => "unit",
                    _ => continue,
                };
                chars_of(&text, token.span.start as usize, token.span.end as usize, kind, &mut marked);
            }
            std::fs::write(&copy, &text).expect("write copy");
            expected.insert(copy, (sources.path(file).to_string(), marked));
        }
    }
    assert!(expected.len() > 10, "examples and stdlib files: {}", expected.len());
    let out = Command::new("node")
        .arg(vscode_dir().join("test/scopes.js"))
        .args(expected.keys())
        .output()
        .expect("node runs scopes.js");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found: Value = serde_json::from_slice(&out.stdout).expect("scopes.js prints JSON");
    let mut quantities = 0;
    for (copy, (name, marked)) in &expected {
        let tokens = found[copy.to_string_lossy().as_ref()].as_array().expect("tokens of each file");
        let mut highlighted = BTreeSet::new();
        for t in tokens {
            let (line, start, end) = (t[0].as_u64(), t[1].as_u64(), t[2].as_u64());
            let (Some(line), Some(start), Some(end), Some(kind)) = (line, start, end, t[3].as_str()) else {
                panic!("malformed token {t}");
            };
            assert_ne!(kind, "invalid", "{name}:{}:{}: highlighted as invalid", line + 1, start + 1);
            let text = std::fs::read_to_string(copy).expect("copy readable");
            let line_text = text.lines().nth(line as usize).unwrap_or_default();
            for (col, c) in line_text.encode_utf16().enumerate().take(end as usize).skip(start as usize) {
                if !char::from_u32(u32::from(c)).is_some_and(char::is_whitespace) {
                    highlighted.insert((line as usize, col, kind.to_string()));
                }
            }
        }
        quantities += highlighted.len();
        let missing: Vec<_> = marked.difference(&highlighted).take(5).collect();
        let extra: Vec<_> = highlighted.difference(marked).take(5).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name}: (line, col, kind) 0-based; compiler only: {missing:?}, grammar only: {extra:?}"
        );
    }
    assert!(quantities > 100, "the programs hold quantities: {quantities}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs `child` to completion or kills it after `limit`.
fn wait_with_limit(mut child: std::process::Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn neovim_gets_diagnostics_and_hover_from_deft_lsp() {
    if !have_tool(Path::new("nvim"), "Neovim (apt-get install neovim)") {
        return;
    }
    let dir = scratch("nvim");
    let project = dir.join("cell");
    std::fs::create_dir_all(&project).expect("project folder");
    let file = project.join("main.skill");
    // Line 2 assigns a Length to a Time; the hover is on `depth` in that line.
    std::fs::write(&file, "skill main() {\n    let depth = 40 mm\n    let t: Time = depth\n    log(\"{t}\")\n}\n")
        .expect("write main.skill");
    let out = dir.join("result.json");
    let nvim = root().join("editors/nvim");
    let child = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "--cmd", "lua vim.g.deft_path = os.getenv('DEFT_E2E_BIN')", "-u"])
        .arg(nvim.join("init.lua"))
        .arg("-c")
        .arg(format!("luafile {}", nvim.join("test/e2e.lua").display()))
        .env("DEFT_E2E_BIN", deft_bin())
        .env("DEFT_E2E_FILE", &file)
        .env("DEFT_E2E_HOVER", "2:19")
        .env("DEFT_E2E_OUT", &out)
        // Keep the developer's own Neovim config, plugins and logs out of the run.
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("nvim.log")).expect("nvim log"))
        .spawn()
        .expect("nvim starts");
    let status = wait_with_limit(child, Duration::from_secs(60));
    let log = std::fs::read_to_string(dir.join("nvim.log")).unwrap_or_default();
    assert!(status.is_some_and(|s| s.success()), "nvim did not finish cleanly: {status:?}\n{log}");
    let result = read_json(&out);
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(result["filetype"], "deft", "{result}");
    let diagnostics = result["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diagnostics.iter().any(|d| d["lnum"] == 2 && d["message"].as_str().is_some_and(|m| m.contains("Time"))),
        "a dimension mismatch on line 3: {result}"
    );
    let hover = result["hover"].as_str().unwrap_or_default();
    assert!(hover.contains("let depth: Length"), "{result}");
    let _ = std::fs::remove_dir_all(dir);
}
