//! The object path end to end: link the object with `cc -shared`, check it imports nothing of
//! ours, load it, read `deft_manifest` and run functions with the same results as the JIT. Also
//! the manifest's JSON shape.

use super::build::*;
use super::mock::Mock;
use super::{call_chain, failing_chain_at, ok_native, run_with};
use crate::codegen::object;
use crate::manifest::manifest;
use crate::tir::{CellSlot, StructDef, TestDef};
use crate::types::{Dim, HandleKind, Ty};
use std::path::PathBuf;
use std::process::Command;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("deft-codegen-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn object_links_into_a_shared_library_that_runs_like_the_jit() {
    let mut fns = call_chain();
    fns.extend(failing_chain_at(3));
    let p = program(fns, 1, &["boom"]);
    let man = manifest(&p, "abc123");
    let bytes = match object(&p, &man) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };

    let dir = TempDir::new("so");
    let obj = dir.0.join("module.o");
    let so = dir.0.join("module.so");
    std::fs::write(&obj, &bytes).expect("write object");
    let status = Command::new("cc").arg("-shared").arg("-o").arg(&so).arg(&obj).status().expect("run cc");
    assert!(status.success(), "cc -shared failed");

    let nm = Command::new("nm").args(["-D", "--undefined-only"]).arg(&so).output().expect("run nm");
    assert!(nm.status.success());
    let undefined: Vec<String> = String::from_utf8_lossy(&nm.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().last().map(str::to_string))
        // Weak symbols the C runtime's startup files add (w) are not ours; everything strong must
        // come from libc.
        .filter(|s| !s.starts_with("__cxa_finalize") && !s.starts_with("_ITM_") && !s.starts_with("__gmon_start__"))
        .filter(|s| !s.contains("GLIBC"))
        .collect();
    assert!(undefined.is_empty(), "undefined symbols: {undefined:?}");

    let defined = Command::new("nm").args(["-D", "--defined-only"]).arg(&so).output().expect("run nm");
    let defined = String::from_utf8_lossy(&defined.stdout);
    for f in &man.functions {
        assert!(defined.contains(&f.symbol), "{} not exported", f.symbol);
    }

    // SAFETY: the library was just built from our own object; it has no initialisers.
    let lib = unsafe { libloading::Library::new(&so) }.expect("load the .so");
    // SAFETY: `deft_manifest` is a data symbol: a u64 length followed by that many bytes.
    let json = unsafe {
        let sym = lib.get::<*const u8>(b"deft_manifest").expect("deft_manifest symbol");
        let base: *const u8 = *sym;
        let len = u64::from_le_bytes(std::ptr::read_unaligned(base.cast::<[u8; 8]>())) as usize;
        String::from_utf8(std::slice::from_raw_parts(base.add(8), len).to_vec()).expect("utf-8 manifest")
    };
    assert_eq!(json, man.to_json());

    for (f, args) in [(0usize, vec![4u64]), (3, vec![])] {
        let symbol = &man.functions[f].symbol;
        // SAFETY: every exported function has the CompiledFn ABI.
        let code = unsafe { lib.get::<*const u8>(symbol.as_bytes()) }.map(|s| *s).expect("function symbol");
        let mut mock = Mock::new(&p.strings);
        mock.natives = vec![(0, ok_native)];
        let (status, ret) = mock.call(code, &args);
        let jit = run_with(&p, f, &args, |m| m.natives = vec![(0, ok_native)]);
        assert_eq!((status, ret), (jit.status, jit.ret), "{symbol}");
        assert_eq!(mock.fault, jit.mock.fault);
        assert_eq!((mock.enters, mock.leaves), (jit.mock.enters, jit.mock.leaves));
    }
    assert_eq!(run_with(&p, 0, &[4], |_| {}).ret, 48);
}

#[test]
fn manifest_json_has_the_runtime_shape() {
    let mut fns = call_chain();
    fns[0].params[0].unit = Some("mm".into());
    fns[0].params[0].ty = Ty::Quantity(Dim::LENGTH);
    fns[2].ret = Ty::Unit;
    let mut p = program(fns, 1, &["a"]);
    p.cell = vec![CellSlot { name: "arm".into(), ty: Ty::Handle(HandleKind::Arm) }];
    p.structs = vec![StructDef { name: "Grip".into(), fields: vec![("width".into(), Ty::Quantity(Dim::LENGTH))] }];
    p.tests = vec![TestDef {
        name: "works".into(),
        func: crate::tir::FuncId(0),
        runs: Some(10),
        expect_success: Some(0.995),
    }];
    let man = manifest(&p, "cafe");
    let v: serde_json::Value = serde_json::from_str(&man.to_json()).expect("valid JSON");

    assert_eq!(v["abi_version"], super::super::abi::ABI_VERSION);
    assert_eq!(v["compiler_version"], crate::VERSION);
    assert_eq!(v["source_hash"], "cafe");
    assert_eq!(v["functions"][1]["symbol"], "deft_f1_std__helpers__scale");
    assert_eq!(v["functions"][0]["kind"], "skill");
    assert_eq!(v["functions"][0]["params"][0], serde_json::json!({"name": "x", "type": "Length", "unit": "mm"}));
    assert_eq!(v["functions"][2]["ret"], "()");
    assert_eq!(v["natives"][0], serde_json::json!({"key": "test::native0()", "skill": true, "ret": "Real"}));
    assert_eq!(v["cell"][0], serde_json::json!({"name": "arm", "type": "Arm"}));
    assert_eq!(v["structs"][0], serde_json::json!({"name": "Grip", "fields": ["width"]}));
    assert_eq!(v["tests"][0], serde_json::json!({"name": "works", "func": 0, "runs": 10, "expect_success": 0.995}));
    assert_eq!(v["strings"], serde_json::json!(["a"]));
    let back: crate::manifest::Manifest = serde_json::from_str(&man.to_json()).expect("round trip");
    assert_eq!(back, man);
}
