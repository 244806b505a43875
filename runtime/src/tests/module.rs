//! Loading real shared libraries whose `deft_manifest` is wrong: built from a tiny C file with the
//! system C compiler (`$CC`, or `cc`, which `deft build` needs too), then refused with a clear error.

use crate::abi::ABI_VERSION;
use crate::module::{LoadError, LoadedModule};
use std::path::PathBuf;
use std::process::Command;

/// A shared library exporting `deft_manifest` as a `u64` little-endian `length` followed by `text`
/// (which may be longer or shorter than `length` says).
fn library(name: &str, length: u64, text: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("deft-module-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bytes: Vec<String> = length.to_le_bytes().iter().chain(text).map(|b| format!("0x{b:02x}")).collect();
    let c = format!(
        "__attribute__((visibility(\"default\"), used)) const unsigned char deft_manifest[] = {{{}}};\n",
        bytes.join(",")
    );
    let source = dir.join(format!("{name}.c"));
    let out = dir.join(format!("{name}.so"));
    std::fs::write(&source, c).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let status = Command::new(&cc).args(["-shared", "-fPIC", "-o"]).arg(&out).arg(&source).status();
    assert!(status.is_ok_and(|s| s.success()), "{cc} builds {}", source.display());
    out
}

fn open_error(name: &str, length: u64, text: &[u8]) -> LoadError {
    let path = library(name, length, text);
    let result = LoadedModule::open(&path);
    let _ = std::fs::remove_file(&path);
    match result {
        Ok(_) => panic!("{name}: the module was accepted"),
        Err(e) => e,
    }
}

/// A manifest that is valid in every other way, for `abi_version`.
fn manifest_json(abi_version: u32) -> String {
    format!(
        r#"{{"abi_version":{abi_version},"compiler_version":"0.1.0","source_hash":"00","functions":[],"natives":[],"cell":[],"strings":[],"structs":[],"tests":[]}}"#
    )
}

#[test]
fn a_module_for_another_abi_is_refused_naming_both_versions() {
    let other = ABI_VERSION + 1;
    let text = manifest_json(other);
    let err = open_error("abi_other", text.len() as u64, text.as_bytes());
    assert_eq!(err, LoadError::AbiMismatch { module: other });
    assert_eq!(
        err.to_string(),
        format!("module was built for ABI {other}, this runtime speaks ABI {ABI_VERSION}; rebuild it with deft build")
    );
}

#[test]
fn a_well_formed_manifest_of_this_abi_loads() {
    // The control for the tests around it: the C-built library itself is fine.
    let text = manifest_json(ABI_VERSION);
    let path = library("good", text.len() as u64, text.as_bytes());
    let module = LoadedModule::open(&path);
    let _ = std::fs::remove_file(&path);
    let module = module.unwrap();
    assert_eq!(module.manifest().abi_version, ABI_VERSION);
    assert_eq!(module.manifest().source_path, None, "older manifests without a source path still load");
}

#[test]
fn a_truncated_manifest_is_a_clear_error() {
    let text = manifest_json(ABI_VERSION);
    // The length stops halfway through the JSON.
    let err = open_error("short", (text.len() / 2) as u64, text.as_bytes());
    assert!(matches!(err, LoadError::BadManifest { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with("the module's manifest is malformed: it ends early"), "{message}");
    assert!(message.contains("truncated"), "{message}");
    // The length runs past the text into zero bytes.
    let mut padded = text.clone().into_bytes();
    padded.extend([0u8; 64]);
    let err = open_error("long", padded.len() as u64, &padded);
    let message = err.to_string();
    assert!(message.contains(&format!("its text ends after {}", text.len())), "{message}");
    // A length larger than the whole file is refused before anything past the symbol is read.
    let err = open_error("huge", 1 << 20, text.as_bytes());
    let message = err.to_string();
    assert!(message.contains(&format!("its length says {} bytes, more than the", 1u64 << 20)), "{message}");
}

#[test]
fn a_corrupted_manifest_is_a_clear_error() {
    let mut text = manifest_json(ABI_VERSION).into_bytes();
    text[30] = 0xff;
    let err = open_error("not_utf8", text.len() as u64, &text);
    assert!(err.to_string().contains("it is not UTF-8"), "{err}");
    let garbled = manifest_json(ABI_VERSION).replace(':', ";");
    let err = open_error("garbled", garbled.len() as u64, garbled.as_bytes());
    assert!(err.to_string().contains("it is not valid JSON"), "{err}");
    let missing = format!(r#"{{"abi_version":{ABI_VERSION},"compiler_version":"0.1.0"}}"#);
    let err = open_error("missing", missing.len() as u64, missing.as_bytes());
    assert!(err.to_string().contains("missing field `source_hash`"), "{err}");
}
