//! Snapshots of rendered diagnostics: `deft check` on every case under `tests/cases/check`, as a user
//! sees it in a terminal without colour. Bless changes with `INSTA_UPDATE=always cargo test -p deft-tests`.

use deft_tests::{deft, root, skill_files};

#[test]
fn rendered_diagnostics() {
    let cases = skill_files(&root().join("tests/cases/check"));
    assert!(!cases.is_empty());
    for case in cases {
        let rel = case.strip_prefix(root()).unwrap_or(&case).to_string_lossy().replace('\\', "/");
        let (code, _, stderr) = deft(&["check", &rel]);
        let name = rel.trim_start_matches("tests/cases/check/").trim_end_matches(".skill").replace('/', "__");
        let expects_errors = std::fs::read_to_string(&case).unwrap_or_default().contains("// error:");
        assert_eq!(code, i32::from(expects_errors), "{rel}: exit code\n{stderr}");
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, stderr);
        });
    }
}
