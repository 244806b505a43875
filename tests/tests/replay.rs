//! `deft replay`: a trace re-runs to the same bytes (JIT or `.so`), and a changed trace, program or
//! source is reported with the first divergence and exit code 1.

use deft_tests::{deft, root};
use std::path::PathBuf;

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/replay-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn s(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Run `program` with a trace; the trace's text.
fn record(program: &str, seed: &str, trace: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec!["run", program, "--seed", seed, "--trace"];
    let trace_arg = s(trace);
    args.push(&trace_arg);
    args.extend_from_slice(extra);
    let (code, out, err) = deft(&args);
    assert_eq!(code, 0, "deft run {program}:\n{out}\n{err}");
    std::fs::read_to_string(trace).expect("trace written")
}

#[test]
fn the_header_names_module_skill_seed_and_cell() {
    let dir = scratch("header");
    let text = record("examples/pick_place", "3", &dir.join("t.jsonl"), &[]);
    let header: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(header["event"], "header");
    assert_eq!(header["source"], "examples/pick_place/main.skill");
    assert_eq!(header["source_hash"].as_str().map(str::len), Some(64));
    assert_eq!(header["abi_version"], deft_runtime::abi::ABI_VERSION);
    assert_eq!(header["compiler_version"], deft_compiler::VERSION);
    assert_eq!(header["skill"], "main");
    assert_eq!(header["seed"], 3);
    assert_eq!(header["cell"]["path"], "examples/pick_place/cell.toml");
    let cell = std::fs::read_to_string(root().join("examples/pick_place/cell.toml")).unwrap();
    assert_eq!(header["cell"]["text"], cell.as_str(), "the cell's full text is stored");
    let second: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["seq"], 0, "events follow the header, numbered from 0");
}

#[test]
fn replaying_an_unchanged_run_is_identical() {
    let dir = scratch("identical");
    let trace = dir.join("t.jsonl");
    let text = record("examples/motor_housing", "11", &trace, &[]);
    let events = text.lines().count() - 1;
    let (code, out, err) = deft(&["replay", &s(&trace)]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), format!("identical: {events} events"));
}

#[test]
fn a_trace_of_a_built_module_replays_from_its_source_or_the_module() {
    let dir = scratch("so");
    let so = dir.join("pp.so");
    let (code, _, err) = deft(&["build", "examples/pick_place", "-o", &s(&so)]);
    assert_eq!(code, 0, "{err}");
    let so_trace = dir.join("so.jsonl");
    let so_text = record(&s(&so), "5", &so_trace, &["--cell", "examples/pick_place/cell.toml"]);
    let jit_text = record("examples/pick_place", "5", &dir.join("jit.jsonl"), &[]);
    assert_eq!(so_text, jit_text, "the header and events do not depend on JIT or .so");
    for extra in [vec![], vec!["--module", "examples/pick_place"]] {
        let so_arg = s(&so_trace);
        let mut args = vec!["replay", so_arg.as_str()];
        args.extend(extra);
        let (code, out, err) = deft(&args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        assert!(out.starts_with("identical: "), "{out}");
    }
    let (code, out, err) = deft(&["replay", &s(&so_trace), "--module", &s(&so)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("identical: "), "{out}");
}

#[test]
fn a_changed_event_is_the_first_divergence_with_field_and_values() {
    let dir = scratch("tampered");
    let trace = dir.join("t.jsonl");
    let text = record("examples/pick_place", "2", &trace, &[]);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Event 3 (line 4): claim the first joint was somewhere else. Edited as text: serde_json's
    // parser is not round-trip exact, so re-serialising the event would change other numbers too.
    let (before, after) = lines[4].split_once("\"joints\":[").expect("event 3 has joints");
    let (real, rest) = after.split_once(',').expect("six joints");
    let real = real.to_string();
    lines[4] = format!("{before}\"joints\":[1.25,{rest}");
    std::fs::write(&trace, lines.join("\n") + "\n").unwrap();
    let (code, out, err) = deft(&["replay", &s(&trace)]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out.trim(), format!("diverged at event 3, field `joints[0]`: expected 1.25, actual {real}"));
}

#[test]
fn a_truncated_trace_diverges_where_it_ends() {
    let dir = scratch("truncated");
    let trace = dir.join("t.jsonl");
    let text = record("examples/pick_place", "0", &trace, &[]);
    let kept: Vec<&str> = text.lines().take(4).collect();
    std::fs::write(&trace, kept.join("\n") + "\n").unwrap();
    let (code, out, _) = deft(&["replay", &s(&trace)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("diverged at event 3: expected none, actual a `"), "{out}");
}

#[test]
fn a_changed_source_is_reported_and_its_divergence_shown() {
    let dir = scratch("changed");
    for file in ["main.skill", "cell.toml"] {
        std::fs::copy(root().join("examples/pick_place").join(file), dir.join(file)).unwrap();
    }
    let trace = dir.join("t.jsonl");
    record(&s(&dir), "1", &trace, &[]);
    let main = dir.join("main.skill");
    let source = std::fs::read_to_string(&main).unwrap();
    assert!(source.contains("force = 30 N"));
    std::fs::write(&main, source.replace("force = 30 N", "force = 35 N")).unwrap();
    let (code, out, err) = deft(&["replay", &s(&trace)]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.starts_with("source changed: "), "{out}");
    assert!(out.contains("field `args.force_n`: expected 30.0, actual 35.0"), "{out}");
}

#[test]
fn a_file_that_is_not_a_trace_is_a_usage_error() {
    let dir = scratch("not_a_trace");
    let path = dir.join("x.jsonl");
    std::fs::write(&path, "{\"seq\":0}\n").unwrap();
    let (code, _, err) = deft(&["replay", &s(&path)]);
    assert_eq!(code, 2);
    assert!(err.contains("replayable") && err.contains("header"), "{err}");
    let (code, _, err) = deft(&["replay", &s(&dir.join("missing.jsonl"))]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}
