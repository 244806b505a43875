//! Every example is checked, run with the JIT, built into a `.so` and run again; both runs succeed
//! and give the same report and the same trace bytes.

use deft_tests::{deft, examples, root};

#[test]
fn there_are_at_least_four_examples() {
    let names: Vec<String> =
        examples().iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
    assert!(names.len() >= 4, "examples: {names:?}");
    for dir in examples() {
        assert!(dir.join("cell.toml").is_file(), "{} has a cell.toml", dir.display());
        assert!(dir.join("README.md").is_file(), "{} has a README.md", dir.display());
    }
}

#[test]
fn every_example_checks_runs_and_builds_identically() {
    let tmp = root().join("target/example-tests");
    std::fs::create_dir_all(&tmp).expect("temp dir");
    for dir in examples() {
        let name = dir.file_name().expect("folder name").to_string_lossy().into_owned();
        let path = dir.to_string_lossy().into_owned();

        let (code, _, stderr) = deft(&["check", &path]);
        assert_eq!(code, 0, "deft check {name} failed:\n{stderr}");

        let jit_trace = tmp.join(format!("{name}.jit.jsonl"));
        let (code, jit_json, stderr) =
            deft(&["run", &path, "--json", "--seed", "7", "--trace", &jit_trace.to_string_lossy()]);
        assert_eq!(code, 0, "deft run {name} (JIT) failed:\n{jit_json}\n{stderr}");
        let report: serde_json::Value = serde_json::from_str(&jit_json).expect("--json prints JSON");
        assert_eq!(report["outcome"], "success", "{name}: {report}");
        assert!(report["cycle_time_s"].as_f64().is_some_and(|t| t > 0.0), "{name}: {report}");
        assert!(report["energy_j"].as_f64().is_some_and(|e| e > 0.0), "{name}: {report}");
        assert!(report["commands"].as_u64().is_some_and(|c| c > 0), "{name}: {report}");

        let so = tmp.join(format!("{name}.so"));
        let (code, _, stderr) = deft(&["build", &path, "-o", &so.to_string_lossy()]);
        assert_eq!(code, 0, "deft build {name} failed:\n{stderr}");
        let so_trace = tmp.join(format!("{name}.so.jsonl"));
        let cell = dir.join("cell.toml");
        let (code, so_json, stderr) = deft(&[
            "run",
            &so.to_string_lossy(),
            "--cell",
            &cell.to_string_lossy(),
            "--json",
            "--seed",
            "7",
            "--trace",
            &so_trace.to_string_lossy(),
        ]);
        assert_eq!(code, 0, "deft run {name}.so failed:\n{so_json}\n{stderr}");
        assert_eq!(jit_json, so_json, "{name}: the JIT and the .so disagree");
        let a = std::fs::read(&jit_trace).expect("JIT trace written");
        let b = std::fs::read(&so_trace).expect(".so trace written");
        assert!(!a.is_empty(), "{name}: empty trace");
        assert!(a == b, "{name}: the JIT and .so traces differ");
    }
}
