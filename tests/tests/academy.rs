//! The skill academy end to end: `deft test` verdicts, exit codes and replayable seeds, and `deft sim`
//! giving the same result whatever the thread count.

use deft_tests::{deft, root};
use serde_json::Value;

/// Plain and statistical tests that pass and fail. The cell is the press-fit cell with a 30%
/// cross-thread probability, and `drive` has no retries, so about a third of its episodes fail.
const PROGRAM: &str = r#"//! Each kind of `deft test` verdict once.
use std::fasten::{screw}

cell {
    driver: ScrewDriver
    screws: [Part]
}

/// Drive every screw once, without retries, so that a cross-thread fails the episode.
skill drive() {
    for s in screws {
        driver.screw(s, torque = 2.0 N*m, min_angle = 360 deg, max_angle = 720 deg, retries = 0)
    }
}

test "plain passes" {
    wait(0.1 s)
}

test "plain fails" {
    fail "on purpose"
}

test "statistical passes" runs 40 expect success >= 80% {
    wait(0.1 s)
}

test "statistical fails" runs 40 expect success >= 99% {
    drive()
}
"#;

/// A program folder under `target/academy-tests/NAME` with `main.skill` and the randomized cell;
/// the path is relative to the workspace root, as a user would type it.
fn program(name: &str, text: &str) -> String {
    let rel = format!("target/academy-tests/{name}");
    let dir = root().join(&rel);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("main.skill"), text).expect("write main.skill");
    let cell = std::fs::read_to_string(root().join("examples/press_fit/cell.toml")).expect("press_fit cell");
    assert!(cell.contains("cross_thread = 0.05"), "the press-fit cell's randomization changed");
    std::fs::write(dir.join("cell.toml"), cell.replace("cross_thread = 0.05", "cross_thread = 0.3")).expect("cell");
    rel
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}"))
}

fn test_named<'a>(report: &'a Value, name: &str) -> &'a Value {
    let tests = report["tests"].as_array().expect("tests array");
    tests.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no test {name} in {report}"))
}

#[test]
fn deft_test_judges_plain_and_statistical_tests() {
    let dir = program("verdicts", PROGRAM);
    let (code, stdout, stderr) = deft(&["test", &dir, "--json"]);
    assert_eq!(code, 1, "a failed test exits 1: {stdout}{stderr}");
    let report = json(&stdout);
    assert_eq!(report["passed"], false);

    let plain = test_named(&report, "plain passes");
    assert_eq!((&plain["kind"], &plain["passed"], &plain["runs"]), (&"plain".into(), &true.into(), &1.into()));
    let plain_fail = test_named(&report, "plain fails");
    assert_eq!(plain_fail["passed"], false);
    assert_eq!(plain_fail["first_failures"][0]["seed"], 0, "a plain test runs with seed 0");

    let stat = test_named(&report, "statistical passes");
    assert_eq!((&stat["kind"], &stat["passed"]), (&"statistical".into(), &true.into()));
    assert_eq!((&stat["runs"], &stat["successes"]), (&40.into(), &40.into()));
    // 40 of 40 gives a lower Wilson bound of 91.24%: above 80%, below the 99% a perfect record
    // of 40 would need.
    let lower = stat["wilson_95"]["lower"].as_f64().expect("lower bound");
    assert!((lower - 0.9124).abs() < 1e-4, "{lower}");

    let failing = test_named(&report, "statistical fails");
    assert_eq!(failing["passed"], false);
    let successes = failing["successes"].as_u64().expect("successes");
    assert!((5..35).contains(&successes), "about 70% of episodes succeed with cross_thread 0.3: {failing}");
    let faults = failing["faults"].as_array().expect("faults");
    assert_eq!(faults.len(), 1, "{failing}");
    assert_eq!((&faults[0]["kind"], &faults[0]["skill"]), (&"FastenFailed".into(), &"std::fasten::screw".into()));
    assert_eq!(faults[0]["count"].as_u64(), Some(40 - successes));
}

#[test]
fn printed_seeds_replay_the_failure_with_deft_run() {
    let dir = program("replay", PROGRAM);
    let (_, stdout, _) = deft(&["test", &dir, "--json"]);
    let report = json(&stdout);
    let failures = test_named(&report, "statistical fails")["first_failures"].as_array().expect("failures").clone();
    assert!(!failures.is_empty());
    for failure in failures.iter().take(2) {
        let seed = failure["seed"].as_u64().expect("seed").to_string();
        let replay = failure["replay"].as_str().expect("replay command");
        assert_eq!(replay, format!("deft run {dir} --skill 'test::statistical fails' --seed {seed}"));
        let (code, out, err) = deft(&["run", &dir, "--skill", "test::statistical fails", "--seed", &seed, "--json"]);
        assert_eq!(code, 1, "the replayed episode fails again: {out}{err}");
        let run = json(&out);
        assert_eq!(run["fault"]["kind"], failure["fault"]["kind"]);
        assert_eq!(run["fault"]["message"], failure["fault"]["message"], "the same failure, not just any");
        assert_eq!(run["cycle_time_s"], failure["cycle_time_s"]);
    }
}

#[test]
fn deft_test_prints_one_line_per_test_and_the_replay_command() {
    let dir = program("human", PROGRAM);
    let (code, stdout, _) = deft(&["test", &dir]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("ok ") && l.contains("\"plain passes\"  1/1")), "{stdout}");
    let stat = lines.iter().find(|l| l.contains("\"statistical fails\"")).expect("a line for the test");
    assert!(stat.starts_with("FAIL") && stat.contains("95% lower bound") && stat.contains("needs >= 99.00%"), "{stat}");
    assert!(stdout.contains("x FastenFailed in std::fasten::screw"), "{stdout}");
    assert!(stdout.contains("replay: deft run target/academy-tests/human --skill 'test::statistical fails' --seed "));
    assert!(stdout.ends_with("2 passed, 2 failed\n"), "{stdout}");
}

#[test]
fn deft_test_exits_zero_when_all_pass_and_two_on_compile_errors() {
    let passing = "cell {\n    driver: ScrewDriver\n}\n\ntest \"waits\" {\n    wait(1 s)\n}\n\ntest \"waits often\" runs 30 expect success >= 50% {\n    wait(1 s)\n}\n";
    let dir = program("passing", passing);
    let (code, stdout, stderr) = deft(&["test", &dir]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with("2 passed, 0 failed\n"), "{stdout}");

    let broken = program("broken", "test \"t\" {\n    let x = 1 mm + 40 N\n}\n");
    let (code, _, stderr) = deft(&["test", &broken, &dir]);
    assert_eq!(code, 2, "a program that does not compile exits 2 even when others pass: {stderr}");
    assert!(stderr.contains("E0308"), "{stderr}");
}

#[test]
fn sim_of_pick_place_is_identical_on_one_and_two_threads() {
    let run = |jobs: &str| deft(&["sim", "examples/pick_place", "--runs", "200", "--jobs", jobs, "--json"]);
    let (code1, one, err1) = run("1");
    let (code2, two, err2) = run("2");
    assert_eq!((code1, code2), (0, 0), "{err1}{err2}");
    assert_eq!(one, two, "the result depends on the thread count");
    let s = json(&one);
    assert_eq!((&s["runs"], &s["skill"]), (&200.into(), &"main".into()));
    let rate = s["success_rate"].as_f64().expect("rate");
    let lower = s["wilson_95"]["lower"].as_f64().expect("lower");
    assert!(lower <= rate && rate <= 1.0);
    let cycle = &s["cycle_time_s"];
    let q = |k: &str| cycle[k].as_f64().expect("quantile");
    assert!(q("p50") <= q("p95") && q("p95") <= q("p99") && q("p99") <= q("max") && q("mean") > 0.0, "{cycle}");
    assert_eq!(s["worst"].as_array().map(Vec::len), Some(5));
}

#[test]
fn sim_of_failing_episodes_is_identical_on_one_and_two_threads() {
    let dir = program("sim", PROGRAM);
    let run = |jobs: &str| {
        deft(&[
            "sim",
            &dir,
            "--skill",
            "test::statistical fails",
            "--runs",
            "40",
            "--seed",
            "9",
            "--jobs",
            jobs,
            "--json",
        ])
    };
    let (code, one, err) = run("1");
    assert_eq!(code, 0, "{err}");
    assert_eq!(one, run("2").1);
    let s = json(&one);
    assert_eq!(s["base_seed"], 9);
    assert!(s["faults"][0]["count"].as_u64().is_some_and(|c| c > 0), "{s}");
    assert_eq!(s["worst"][0]["outcome"], "failed", "failures are the worst episodes");
    let (_, other_seed, _) = deft(&["sim", &dir, "--skill", "test::statistical fails", "--runs", "40", "--json"]);
    assert_ne!(one, other_seed, "the base seed changes the episodes");
}

#[test]
fn sim_refuses_unknown_skills_and_missing_runs() {
    let (code, _, stderr) = deft(&["sim", "examples/pick_place", "--runs", "3", "--skill", "nope"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("nope"), "{stderr}");
    let (code, _, _) = deft(&["sim", "examples/pick_place"]);
    assert_eq!(code, 2, "--runs is required");
}
