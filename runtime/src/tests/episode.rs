//! Episodes of hand-written functions that follow the `CompiledFn` contract, as generated code
//! would: loading checks, cell binding, natives, faults and the run report.

use super::host::function;
use crate::abi::{ABI_VERSION, Ctx, HostApi, Manifest, ManifestCellEntry, ManifestNative};
use crate::backend::{Command, HardLimits, ObjectKind};
use crate::episode::{Outcome, RunError, run};
use crate::fault::{Fault, FaultKind};
use crate::module::{LoadError, LoadedModule};
use crate::natives::{NativeCx, Natives, real, slot};
use crate::testing::FakeBackend;

/// `skill main() { wait(0.5 s); log("hi"); move_linear(arm, 2 m/s) }` against natives 0..3.
unsafe extern "C" fn main_skill(host: *const HostApi, ctx: *mut Ctx, _args: *const u64, _ret: *mut u64) -> u32 {
    // SAFETY: the runtime passes its host table and context.
    let h = unsafe { &*host };
    unsafe {
        if (h.enter)(ctx, 0) != 0 {
            return 1;
        }
        let mut out = 0;
        let half = [slot(0.5)];
        let mut status = (h.call_native)(ctx, 0, half.as_ptr(), &mut out);
        if status == 0 {
            let msg = [(h.str_const)(ctx, 0)];
            status = (h.call_native)(ctx, 1, msg.as_ptr(), &mut out);
        }
        if status == 0 {
            let args = [(h.cell_get)(ctx, 0), slot(2.0)];
            status = (h.call_native)(ctx, 2, args.as_ptr(), &mut out);
        }
        (h.leave)(ctx);
        status
    }
}

/// `fn helper()`: never called; it only has to resolve.
unsafe extern "C" fn helper(_host: *const HostApi, _ctx: *mut Ctx, _args: *const u64, _ret: *mut u64) -> u32 {
    0
}

fn native_wait(cx: &mut NativeCx<'_>, args: &[u64]) -> Result<u64, Fault> {
    cx.execute(Command::Wait { seconds: real(args[0]) })?;
    Ok(0)
}

fn native_log(cx: &mut NativeCx<'_>, args: &[u64]) -> Result<u64, Fault> {
    let msg = cx.heap().str(args[0])?.to_string();
    cx.log(&msg);
    Ok(0)
}

/// Move the arm 10 cm along x at `speed` m/s.
fn native_move(cx: &mut NativeCx<'_>, args: &[u64]) -> Result<u64, Fault> {
    let (heap, robot) = cx.parts();
    let arm = heap.object_of(args[0], ObjectKind::Arm)?;
    let target = crate::Pose::translation(0.1, 0.0, 0.3);
    robot.execute(Command::MoveLinear { arm, target, speed: real(args[1]) })?;
    Ok(0)
}

fn natives() -> Natives {
    let mut n = Natives::new();
    n.register("test::wait(Time)", native_wait);
    n.register("test::log(String)", native_log);
    n.register("test::move(Arm,Speed)", native_move);
    n
}

fn manifest() -> Manifest {
    let native = |key: &str| ManifestNative { key: key.to_string(), skill: true, ret: "()".to_string() };
    let entry = |name: &str, ty: &str| ManifestCellEntry { name: name.to_string(), ty: ty.to_string() };
    let mut helper = function("helper", "fn");
    helper.exported = false;
    Manifest {
        abi_version: ABI_VERSION,
        compiler_version: "test".to_string(),
        source_hash: String::new(),
        source_path: None,
        functions: vec![function("main", "skill"), helper],
        natives: vec![native("test::wait(Time)"), native("test::log(String)"), native("test::move(Arm,Speed)")],
        cell: vec![entry("arm", "Arm"), entry("screws", "[Part]")],
        strings: vec!["hi".to_string()],
        structs: Vec::new(),
        tests: Vec::new(),
    }
}

fn lookup(symbol: &str) -> Option<*const u8> {
    match symbol {
        "deft_main" => Some(main_skill as *const u8),
        "deft_helper" => Some(helper as *const u8),
        _ => None,
    }
}

fn load(manifest: &Manifest) -> Result<LoadedModule, LoadError> {
    let json = serde_json::to_string(manifest).map_err(|e| LoadError::BadManifest { reason: e.to_string() })?;
    // SAFETY: the lookup returns `CompiledFn`s defined in this file.
    unsafe { LoadedModule::from_parts(&json, &lookup, Box::new(())) }
}

fn backend(speed_limit: f64) -> Box<FakeBackend> {
    let (mut b, _) = FakeBackend::standard();
    b.limits = HardLimits { tcp_speed: Some(speed_limit), force: None, acceleration: None };
    Box::new(b)
}

#[test]
fn runs_a_skill_and_reports_success() {
    let module = load(&manifest()).unwrap();
    let report = run(&module, backend(5.0), &natives(), "main", None).unwrap();
    assert_eq!(report.outcome, Outcome::Success);
    assert_eq!(report.fault, None);
    assert_eq!(report.commands, 2);
    assert_eq!(report.cycle_time_s, 1.5);
    assert_eq!(report.energy_j, 2.0);
    assert_eq!(report.log, vec!["hi"]);
    assert_eq!(
        report.to_json().to_string(),
        r#"{"commands":2,"cycle_time_s":1.5,"energy_j":2.0,"fault":null,"log":["hi"],"outcome":"success"}"#
    );
}

#[test]
fn a_refused_command_fails_the_skill_with_its_stack() {
    let module = load(&manifest()).unwrap();
    let report = run(&module, backend(1.0), &natives(), "main", None).unwrap();
    assert_eq!(report.outcome, Outcome::Failed);
    let fault = report.fault.clone().unwrap();
    assert_eq!(fault.kind, FaultKind::LimitExceeded);
    assert_eq!(fault.message, "move_linear at 2000 mm/s exceeds the limit of 1000 mm/s (cell hard limit)");
    assert_eq!(fault.skills, vec!["main"]);
    assert_eq!(report.commands, 1);
    assert_eq!(report.to_json()["fault"]["skills"][0], "main");
    assert_eq!(report.to_json()["outcome"], "failed");
}

#[test]
fn refuses_another_abi_version() {
    let mut m = manifest();
    m.abi_version = ABI_VERSION + 1;
    let err = load(&m).unwrap_err();
    assert_eq!(err, LoadError::AbiMismatch { module: ABI_VERSION + 1 });
    assert_eq!(
        err.to_string(),
        format!(
            "module was built for ABI {}, this runtime speaks ABI {ABI_VERSION}; rebuild it with deft build",
            ABI_VERSION + 1
        )
    );
    // The version is checked before the rest of the shape, which another ABI may change.
    let odd = r#"{"abi_version": 7, "functions": "not a list"}"#;
    let err = unsafe { LoadedModule::from_parts(odd, &lookup, Box::new(())) }.unwrap_err();
    assert_eq!(err, LoadError::AbiMismatch { module: 7 });
    let err = unsafe { LoadedModule::from_parts("not json", &lookup, Box::new(())) }.unwrap_err();
    assert!(matches!(err, LoadError::BadManifest { .. }));
}

#[test]
fn refuses_a_missing_function_symbol() {
    let mut m = manifest();
    m.functions.push(function("ghost", "skill"));
    let err = load(&m).unwrap_err();
    assert_eq!(err.to_string(), "the module's manifest lists `ghost` but the module has no symbol `deft_ghost`");
}

#[test]
fn refuses_an_unknown_native_key() {
    let mut m = manifest();
    m.natives.push(ManifestNative { key: "std::prelude::teleport(Arm)".to_string(), skill: true, ret: "()".into() });
    let module = load(&m).unwrap();
    let err = run(&module, backend(5.0), &natives(), "main", None).unwrap_err();
    assert_eq!(err, RunError::Load(LoadError::UnknownNative { key: "std::prelude::teleport(Arm)".to_string() }));
    assert!(module.resolve_natives(&natives()).is_err());
}

#[test]
fn refuses_a_cell_without_a_needed_object_or_of_the_wrong_kind() {
    let mut m = manifest();
    m.cell.push(ManifestCellEntry { name: "driver".to_string(), ty: "ScrewDriver".to_string() });
    let module = load(&m).unwrap();
    let (mut b, _) = FakeBackend::new();
    b.add("arm", ObjectKind::Arm);
    b.add_group("screws", Vec::new());
    let err = run(&module, Box::new(b), &natives(), "main", None).unwrap_err();
    assert_eq!(err.to_string(), "the program needs `driver: ScrewDriver` but the cell has no object named driver");

    let (mut b, _) = FakeBackend::new();
    b.add("arm", ObjectKind::Arm);
    b.add("driver", ObjectKind::Gripper);
    b.add_group("screws", Vec::new());
    let err = run(&module, Box::new(b), &natives(), "main", None).unwrap_err();
    assert_eq!(err.to_string(), "the program needs `driver: ScrewDriver` but `driver` in the cell is a Gripper");

    let (mut b, _) = FakeBackend::new();
    b.add("arm", ObjectKind::Arm);
    let err = run(&module, Box::new(b), &natives(), "main", None).unwrap_err();
    assert_eq!(err.to_string(), "the program needs `screws: [Part]` but the cell has no group named screws");
}

#[test]
fn names_the_runnable_skills_when_asked_for_another() {
    let module = load(&manifest()).unwrap();
    let err = run(&module, backend(5.0), &natives(), "helper", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the program has no skill `helper` that can be run; exported skills without parameters: main"
    );
}

#[test]
fn traces_are_deterministic_json_lines() {
    let module = load(&manifest()).unwrap();
    let trace = |limit: f64| {
        let mut out = Vec::new();
        run(&module, backend(limit), &natives(), "main", Some(&mut out)).unwrap();
        out
    };
    let a = trace(5.0);
    assert_eq!(a, trace(5.0));
    let text = String::from_utf8(a).unwrap();
    let events: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["command"], "wait");
    assert_eq!(events[0]["t"], 0.5);
    assert_eq!(events[1]["command"], "log");
    assert_eq!(events[1]["args"]["msg"], "hi");
    assert_eq!(events[2]["seq"], 2);
    assert_eq!(events[2]["command"], "move_linear");
    assert_eq!(events[2]["arm"], "arm");
    assert_eq!(events[2]["tcp"]["xyz_m"], serde_json::json!([0.1, 0.0, 0.3]));
    assert_eq!(events[2]["result"], "ok");
    assert_eq!(events[2]["energy_j"], 2.0);
    assert!(text.starts_with(r#"{"seq":0,"t":0.5,"command":"wait","#), "{text}");

    let refused = String::from_utf8(trace(1.0)).unwrap();
    let last: serde_json::Value = serde_json::from_str(refused.lines().last().unwrap()).unwrap();
    assert_eq!(last["result"]["fault"]["kind"], "LimitExceeded");
}

#[test]
fn opening_a_file_that_is_not_a_library_is_an_error() {
    let path = std::env::temp_dir().join(format!("deft-not-a-module-{}.so", std::process::id()));
    std::fs::write(&path, "cell { arm: Arm }\n").unwrap();
    let err = LoadedModule::open(&path).unwrap_err();
    let _ = std::fs::remove_file(&path);
    assert!(matches!(err, LoadError::NotALibrary { .. }), "{err:?}");
    assert!(err.to_string().contains("is not a Deft skill module"), "{err}");
    let missing = LoadedModule::open(std::path::Path::new("/nonexistent/deft/module.so")).unwrap_err();
    assert!(matches!(missing, LoadError::NotALibrary { .. }), "{missing:?}");
}

#[test]
fn opening_a_library_without_a_manifest_is_an_error() {
    // Any shared library that is not a Deft module will do; the C math library is everywhere
    // this runtime is built (`deft build` links with the system C compiler).
    let candidates = ["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6"];
    let Some(lib) = candidates.iter().map(std::path::Path::new).find(|p| p.exists()) else {
        return;
    };
    let err = LoadedModule::open(lib).unwrap_err();
    assert!(matches!(err, LoadError::NoManifest { .. }), "{err:?}");
    assert!(err.to_string().ends_with("it has no `deft_manifest`; build it with deft build"), "{err}");
}

#[test]
fn a_module_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>(_: &T) {}
    let module = load(&manifest()).unwrap();
    shared(&module);
    shared(&natives());
    let reports: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..2).map(|_| s.spawn(|| run(&module, backend(5.0), &natives(), "main", None))).collect();
        handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect()
    });
    assert_eq!(reports[0], reports[1]);
}

#[test]
fn a_backend_fault_fails_the_skill_with_its_stack_and_is_traced() {
    let module = load(&manifest()).unwrap();
    let (mut b, log) = FakeBackend::standard();
    b.fail = Some(Box::new(|c| {
        matches!(c, Command::Wait { .. }).then(|| Fault::new(FaultKind::Hardware, "controller offline"))
    }));
    let mut trace = Vec::new();
    let report = run(&module, Box::new(b), &natives(), "main", Some(&mut trace)).unwrap();
    let fault = report.fault.unwrap();
    assert_eq!((fault.kind, fault.message.as_str()), (FaultKind::Hardware, "controller offline"));
    assert_eq!(fault.skills, vec!["main"]);
    assert_eq!(report.commands, 1, "the backend executed (and failed) the wait");
    assert_eq!(log.lock().map(|l| l.len()).unwrap_or(0), 1, "nothing ran after the fault");
    let line: serde_json::Value = serde_json::from_slice(trace.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["result"]["fault"]["message"], "controller offline");
}
