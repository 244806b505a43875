//! The handlers over a real folder on disk, without a client: which files a snapshot covers, and
//! that answers point at the right documents.

use crate::documents::Documents;
use crate::handlers;
use crate::workspace::{Snapshot, StdDir};
use std::str::FromStr;
use tower_lsp_server::ls_types::{Position, Uri};

fn folder(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("deft-lsp-unit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    for (file, text) in files {
        let _ = std::fs::write(dir.join(file), text);
    }
    dir
}

fn uri(dir: &std::path::Path, file: &str) -> Uri {
    Uri::from_file_path(dir.join(file))
        .unwrap_or_else(|| Uri::from_str("file:///nowhere.skill").unwrap_or_else(|_| unreachable!()))
}

const LIB: &str = "pub fn double(x: Length) -> Length {\n    return x * 2\n}\n";
const MAIN: &str = "use lib::{double}\nfn f() -> Length {\n    return double(1 mm)\n}\n";

#[test]
fn open_documents_override_disk_and_every_file_is_covered() {
    let dir = folder(
        "cover",
        &[("main.skill", MAIN), ("lib.skill", LIB), ("loose.skill", "fn g() -> Int {\n    return 1 mm\n}\n")],
    );
    let mut docs = Documents::default();
    // The open (unsaved) main uses `double` wrongly; the disk copy is fine.
    docs.open(uri(&dir, "main.skill"), MAIN.replace("double(1 mm)", "double(1 s)"), 3);
    let snap = Snapshot::build(&uri(&dir, "main.skill"), &docs, StdDir::create());
    let published = handlers::diagnostics(&snap);
    let count = |file: &str| published.iter().find(|(u, _)| *u == uri(&dir, file)).map(|(_, d)| d.len());
    assert_eq!(count("main.skill"), Some(1), "{published:?}");
    assert_eq!(count("lib.skill"), Some(0));
    assert_eq!(count("loose.skill"), Some(1), "a file main does not reach is checked on its own");
    assert_eq!(snap.analyses.len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rename_edits_both_files_and_definition_reaches_the_std_cache() {
    let main = format!("{MAIN}skill s(a: Arm) {{\n    a.move_linear(a.tcp())\n}}\n");
    let dir = folder("rename", &[("main.skill", &main), ("lib.skill", LIB)]);
    let snap = Snapshot::build(&uri(&dir, "main.skill"), &Documents::default(), StdDir::create());
    let edit = handlers::rename(&snap, &uri(&dir, "main.skill"), Position { line: 2, character: 12 }, "twice");
    let changes = edit.ok().flatten().and_then(|e| e.changes).unwrap_or_default();
    assert_eq!(changes.get(&uri(&dir, "main.skill")).map(Vec::len), Some(2), "{changes:?}");
    assert_eq!(changes.get(&uri(&dir, "lib.skill")).map(Vec::len), Some(1), "{changes:?}");
    let def = handlers::definition(&snap, &uri(&dir, "main.skill"), Position { line: 5, character: 8 });
    let text = format!("{def:?}");
    assert!(text.contains("deft-lsp-std-") && text.contains("prelude.skill"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_panicking_handler_answers_its_fallback() {
    let answer = handlers::guard("test", 7, || -> i32 { panic!("boom") });
    assert_eq!(answer, 7);
}
