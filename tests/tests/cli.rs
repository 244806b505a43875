//! The CLI contract: exit codes, `--format json`, `--json`, and refusing bad input without panicking.

use deft_tests::{deft, root};

fn write_temp(name: &str, text: &str) -> String {
    let dir = root().join("target/cli-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write temp file");
    path.to_string_lossy().into_owned()
}

#[test]
fn check_clean_program_exits_zero() {
    let (code, stdout, stderr) = deft(&["check", "examples/pick_place"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn check_errors_exit_one_with_rendered_diagnostics() {
    let path = write_temp("unit_mismatch.skill", "fn f() -> Length {\n    return 1 mm + 40 N\n}\n");
    let (code, _, stderr) = deft(&["check", &path]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("E0308"), "{stderr}");
    assert!(stderr.contains("unit_mismatch.skill:2:"), "the location is named: {stderr}");
}

#[test]
fn check_json_lists_diagnostics_with_positions() {
    let path = write_temp("json_case.skill", "fn f() -> Length {\n    return 1 mm + 40 N\n}\n");
    let (code, stdout, _) = deft(&["check", "--format", "json", &path]);
    assert_eq!(code, 1);
    let diags: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    let first = &diags[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "E0308");
    assert_eq!(first["line"], 2);
    assert!(first["column"].as_u64().is_some_and(|c| c >= 12), "{first}");
    assert!(first["file"].as_str().is_some_and(|f| f.ends_with("json_case.skill")));
    assert!(first["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn check_missing_file_exits_two() {
    let (code, _, stderr) = deft(&["check", "no/such/file.skill"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn unknown_flag_exits_two() {
    let (code, _, _) = deft(&["check", "--frobnicate", "examples/pick_place"]);
    assert_eq!(code, 2);
}

#[test]
fn run_with_compile_errors_exits_two() {
    let path = write_temp("broken_run.skill", "skill main() {\n    let x = 1 mm + 40 N\n}\n");
    let (code, _, stderr) = deft(&["run", &path, "--cell", "examples/pick_place/cell.toml"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn run_failing_skill_exits_one_with_fault_and_stack() {
    let path =
        write_temp("failing.skill", "skill inner() {\n    fail \"bolt missing\"\n}\nskill main() {\n    inner()\n}\n");
    let (code, stdout, stderr) = deft(&["run", &path, "--cell", "examples/pick_place/cell.toml", "--json"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    assert_eq!(report["outcome"], "failed");
    assert_eq!(report["fault"]["kind"], "User");
    assert_eq!(report["fault"]["message"], "bolt missing");
    assert_eq!(report["fault"]["skills"], serde_json::json!(["main", "inner"]));
}

#[test]
fn run_unknown_skill_exits_two_and_lists_skills() {
    let (code, _, stderr) = deft(&["run", "examples/pick_place", "--skill", "nope"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("main"), "lists the skills that exist: {stderr}");
}

#[test]
fn run_refuses_a_file_that_is_not_a_module() {
    let path = write_temp("not_a_module.so", "this is not a shared library");
    let (code, _, stderr) = deft(&["run", &path, "--cell", "examples/pick_place/cell.toml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn run_refuses_a_cell_missing_a_program_entry() {
    let cell = write_temp("empty_cell.toml", "[cell]\nname = \"empty\"\n");
    let (code, _, stderr) = deft(&["run", "examples/pick_place", "--cell", &cell]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no object named"), "names the missing entry: {stderr}");
}

/// `deft run pick.so` in the module's own folder: a bare file name is the file, not a name for
/// the dynamic loader to search its library path for.
#[test]
fn run_a_module_by_bare_file_name() {
    let dir = std::env::temp_dir().join(format!("deft-cli-bare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let module = dir.join("pick.so");
    let example = deft_tests::root().join("examples/pick_place");
    let (code, _, err) = deft_tests::deft(&["build", example.to_str().unwrap(), "-o", module.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    std::fs::copy(example.join("cell.toml"), dir.join("cell.toml")).expect("cell");
    let out = std::process::Command::new(deft_tests::deft_bin())
        .args(["run", "pick.so", "--cell", "cell.toml"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("deft runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("success"), "{stdout}");
    std::fs::remove_dir_all(&dir).ok();
}
