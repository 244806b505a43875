//! The natives against the stdlib's declarations and against a fake cell.

use super::natives;
use deft_runtime::backend::{Backend, Command, HardLimits, ObjectKind, ObjectRef};
use deft_runtime::natives::{NativeCx, key_arity, real, slot};
use deft_runtime::robot::Robot;
use deft_runtime::testing::{CommandLog, FakeBackend};
use deft_runtime::value::{Heap, Value};
use deft_runtime::{Fault, FaultKind, Pose};

/// The type as the checker prints it in a key: `Ratio` is `Real`, `Energy` is `Torque`.
fn printed(ty: &str) -> String {
    match ty.trim() {
        "Ratio" => "Real".to_string(),
        "Energy" => "Torque".to_string(),
        t => t.to_string(),
    }
}

/// Keys of every `extern` item of every stdlib module, derived from its source. A declaration may
/// span lines (`deft fmt` wraps long parameter lists).
fn extern_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for (module, _, source) in crate::SOURCES {
        let mut rest = *source;
        while let Some(at) = rest.find("pub extern ") {
            let decl = &rest[at..];
            let decl = decl.strip_prefix("pub extern skill ").or_else(|| decl.strip_prefix("pub extern fn ")).unwrap();
            let (name, after) = decl.split_once('(').unwrap();
            let params = &after[..after.find(')').unwrap()];
            let types: Vec<String> = params
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .map(|p| printed(p.split_once(':').unwrap().1.split('=').next().unwrap()))
                .collect();
            keys.push(format!("{module}::{}({})", name.trim(), types.join(",")));
            rest = after;
        }
    }
    keys
}

#[test]
fn every_extern_has_a_native_and_no_native_is_undeclared() {
    let keys = extern_keys();
    assert!(keys.len() > 45, "the source parser found only {} externs", keys.len());
    for key in [
        "std::prelude::move_joint(Arm,[Angle],Real)",
        "std::prelude::move_until_contact(Arm,Pose,Speed,Force)",
        "std::geometry::interpolate(Pose,Pose,Real)",
        "std::fasten::fasten_angle(ScrewDriver,Part,Torque,Angle)",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key} is not declared");
    }
    let registry = natives();
    for key in &keys {
        assert!(registry.get(key).is_some(), "no native for {key}");
    }
    // The checker's built-ins `atan2` and `world` are the natives no module declares.
    let builtins = ["std::prelude::atan2(Real,Real)", "std::prelude::world()"];
    let registered: Vec<&str> = registry.keys().collect();
    for key in &registered {
        assert!(keys.iter().any(|k| k == key) || builtins.contains(key), "native {key} is not declared");
    }
    assert_eq!(registered.len(), keys.len() + builtins.len());
}

/// A fake cell behind a robot, a heap with its objects, and a log.
pub(super) struct Fixture {
    pub(super) heap: Heap,
    pub(super) robot: Robot,
    log: Vec<String>,
    commands: CommandLog,
}

impl Fixture {
    pub(super) fn new() -> Fixture {
        let (mut backend, commands) = FakeBackend::standard();
        backend.limits = HardLimits { tcp_speed: Some(0.5), force: Some(100.0), acceleration: None };
        Fixture::over(Box::new(backend), commands)
    }

    /// A fixture over any backend (a simulator, for natives that need its replies).
    pub(super) fn over(backend: Box<dyn Backend>, commands: CommandLog) -> Fixture {
        Fixture { heap: Heap::new(), robot: Robot::new(backend, true), log: Vec::new(), commands }
    }

    pub(super) fn object(&mut self, name: &str) -> u64 {
        let object = self.robot.backend().object(name).unwrap();
        self.heap.object_handle(object)
    }

    fn call(&mut self, key: &str, args: &[u64]) -> Result<u64, Fault> {
        self.call_in("std::prelude", key, args)
    }

    /// Call the native `key` of stdlib module `module`.
    pub(super) fn call_in(&mut self, module: &str, key: &str, args: &[u64]) -> Result<u64, Fault> {
        let key = format!("{module}::{key}");
        let f = natives().get(&key).unwrap_or_else(|| panic!("no native {key}"));
        assert_eq!(key_arity(&key), Some(args.len()), "{key}");
        let mut cx = NativeCx::new(&mut self.heap, &mut self.robot, &mut self.log);
        f(&mut cx, args)
    }

    fn executed(&self) -> Vec<Command> {
        self.commands.lock().map(|c| c.clone()).unwrap_or_default()
    }

    pub(super) fn pose(&mut self, p: Pose) -> u64 {
        self.heap.alloc(Value::Pose(p))
    }
}

#[test]
fn motion_goes_through_the_monitor() {
    let mut fx = Fixture::new();
    let arm = fx.object("arm");
    let target = fx.pose(Pose::translation(0.3, 0.1, 0.2));
    fx.call("move_linear(Arm,Pose,Speed)", &[arm, target, slot(0.25)]).unwrap();
    let err = fx.call("move_linear(Arm,Pose,Speed)", &[arm, target, slot(0.6)]).unwrap_err();
    assert_eq!(err.kind, FaultKind::LimitExceeded);
    assert_eq!(fx.executed().len(), 1, "the refused move never reached the backend");
    let tcp = fx.call("tcp(Arm)", &[arm]).unwrap();
    assert_eq!(fx.heap.pose(tcp).unwrap(), Pose::translation(0.3, 0.1, 0.2));
    let q = fx.heap.alloc(Value::List(vec![slot(0.1); 6]));
    fx.call("move_joint(Arm,[Angle],Real)", &[arm, q, slot(0.5)]).unwrap();
    let joints = fx.call("joints(Arm)", &[arm]).unwrap();
    assert_eq!(fx.heap.list(joints).unwrap().iter().map(|v| real(*v)).collect::<Vec<_>>(), vec![0.1; 6]);
}

#[test]
fn grasp_hold_and_release() {
    let mut fx = Fixture::new();
    let (gripper, housing) = (fx.object("gripper"), fx.object("housing"));
    assert_eq!(fx.call("holding(Gripper)", &[gripper]), Ok(0));
    let err = fx.call("held(Gripper)", &[gripper]).unwrap_err();
    assert_eq!((err.kind, err.message.as_str()), (FaultKind::GraspFailed, "gripper gripper holds no part"));
    assert_eq!(
        fx.call("grasp(Gripper,Part,Force)", &[gripper, housing, slot(120.0)]).unwrap_err().kind,
        FaultKind::LimitExceeded
    );
    fx.call("grasp(Gripper,Part,Force)", &[gripper, housing, slot(40.0)]).unwrap();
    assert_eq!(fx.call("holding(Gripper)", &[gripper]), Ok(1));
    assert_eq!(fx.call("held(Gripper)", &[gripper]), Ok(housing));
    fx.call("release(Gripper)", &[gripper]).unwrap();
    assert_eq!(fx.call("holding(Gripper)", &[gripper]), Ok(0));
    let arm = fx.call("arm(Gripper)", &[gripper]).unwrap();
    assert_eq!(arm, fx.object("arm"));
    let driver = fx.object("driver");
    assert_eq!(fx.call("arm(ScrewDriver)", &[driver]), Ok(arm));
    let err = fx.call("arm(Gripper)", &[housing]).unwrap_err();
    assert_eq!(err.kind, FaultKind::Hardware, "a Part where a Gripper belongs is an invalid handle");
}

#[test]
fn inspect_returns_an_inspection_record() {
    let mut fx = Fixture::new();
    let (cam, cover) = (fx.object("cam"), fx.object("cover"));
    let feature = fx.heap.alloc_str("gap");
    let r = fx.call("inspect(Camera,Part,String)", &[cam, cover, feature]).unwrap();
    let slots = fx.heap.record(r).unwrap();
    assert_eq!((real(slots[0]), slots[1]), (0.0001, 1));
    assert!(matches!(&fx.executed()[0], Command::Inspect { feature, .. } if feature == "gap"));
}

#[test]
fn an_unknown_slot_names_the_ones_that_exist() {
    let mut fx = Fixture::new();
    let jig = fx.object("jig");
    let base = fx.heap.alloc_str("base");
    let p = fx.call("slot(Fixture,String)", &[jig, base]).unwrap();
    assert_eq!(fx.heap.pose(p).unwrap(), Pose::translation(0.4, 0.2, 0.02));
    let bse = fx.heap.alloc_str("bse");
    let err = fx.call("slot(Fixture,String)", &[jig, bse]).unwrap_err();
    assert_eq!(err.kind, FaultKind::User);
    assert_eq!(err.message, "fixture jig has no slot \"bse\"; it has: base");
}

#[test]
fn properties_of_parts() {
    let mut fx = Fixture::new();
    let housing = fx.object("housing");
    let size = fx.call("size(Part)", &[housing]).unwrap();
    assert_eq!(real(fx.call("y(Vec3)", &[size]).unwrap()), 0.04);
    assert_eq!(real(fx.call("mass(Part)", &[housing]).unwrap()), 0.2);
    let name = fx.call("name(Part)", &[housing]).unwrap();
    assert_eq!(fx.heap.str(name), Ok("housing"));
}

#[test]
fn wait_signals_and_log() {
    let mut fx = Fixture::new();
    fx.call("wait(Time)", &[slot(0.5)]).unwrap();
    assert_eq!(fx.robot.now(), 0.5);
    assert_eq!(fx.call("wait(Time)", &[slot(-1.0)]).unwrap_err().kind, FaultKind::Ensure);
    let valve = fx.object("valve");
    fx.call("set(Signal,Bool)", &[valve, 1]).unwrap();
    fx.call("wait_for(Signal,Bool,Time)", &[valve, 0, slot(2.0)]).unwrap();
    let msg = fx.heap.alloc_str("placed 2 parts");
    fx.call("log(String)", &[msg]).unwrap();
    assert_eq!(fx.log, vec!["placed 2 parts"]);
    let trace = String::from_utf8(fx.robot.take_trace().unwrap().into_bytes()).unwrap();
    assert!(trace.lines().last().unwrap().contains("\"msg\":\"placed 2 parts\""), "{trace}");
    assert_eq!(
        fx.executed(),
        vec![
            Command::Wait { seconds: 0.5 },
            Command::SetSignal { signal: ObjectRef { kind: ObjectKind::Signal, index: 0 }, on: true },
            Command::WaitSignal { signal: ObjectRef { kind: ObjectKind::Signal, index: 0 }, on: false, timeout: 2.0 },
        ]
    );
}

#[test]
fn geometry() {
    let mut fx = Fixture::new();
    let v = fx.call("xyz(Length,Length,Length)", &[slot(0.4), slot(0.2), slot(0.0)]).unwrap();
    let deg = std::f64::consts::PI / 180.0;
    let r = fx.call("rpy(Angle,Angle,Angle)", &[slot(180.0 * deg), slot(0.0), slot(90.0 * deg)]).unwrap();
    let p = fx.call("pose(Vec3,Rot)", &[v, r]).unwrap();
    let up = fx.call("above(Pose,Length)", &[p, slot(0.05)]).unwrap();
    let pos = fx.call("position(Pose)", &[up]).unwrap();
    assert!((real(fx.call("z(Vec3)", &[pos]).unwrap()) - 0.05).abs() < 1e-12);
    assert_eq!(real(fx.call("x(Vec3)", &[pos]).unwrap()), 0.4);
    let moved = fx.call("offset(Pose,Length,Length,Length)", &[p, slot(0.01), slot(0.0), slot(0.0)]).unwrap();
    assert!((real(fx.call("distance(Pose,Pose)", &[p, moved]).unwrap()) - 0.01).abs() < 1e-12);
    let inv = fx.call("inverse(Pose)", &[p]).unwrap();
    let id = fx.call("compose(Pose,Pose)", &[p, inv]).unwrap();
    let id = fx.heap.pose(id).unwrap();
    assert!(id.translation.vector.norm() < 1e-12 && id.rotation.angle() < 1e-12);
    // The rotation about the fixed z axis by 90 deg maps x onto y.
    let rot = fx.call("rotation(Pose)", &[p]).unwrap();
    let rot = fx.heap.rot(rot).unwrap();
    let mapped = rot * deft_runtime::nalgebra::Vector3::x();
    assert!((mapped - deft_runtime::nalgebra::Vector3::y()).norm() < 1e-12, "{mapped}");
}

#[test]
fn trigonometry_on_angles() {
    let mut fx = Fixture::new();
    let deg = std::f64::consts::PI / 180.0;
    assert!((real(fx.call("sin(Angle)", &[slot(30.0 * deg)]).unwrap()) - 0.5).abs() < 1e-12);
    assert!((real(fx.call("cos(Angle)", &[slot(60.0 * deg)]).unwrap()) - 0.5).abs() < 1e-12);
    assert!((real(fx.call("tan(Angle)", &[slot(45.0 * deg)]).unwrap()) - 1.0).abs() < 1e-12);
    assert!((real(fx.call("asin(Real)", &[slot(0.5)]).unwrap()) - 30.0 * deg).abs() < 1e-12);
    assert!((real(fx.call("acos(Real)", &[slot(0.5)]).unwrap()) - 60.0 * deg).abs() < 1e-12);
    let quarter = real(fx.call("atan2(Real,Real)", &[slot(1.0), slot(1.0)]).unwrap());
    assert!((quarter - 45.0 * deg).abs() < 1e-12);
    let err = fx.call("asin(Real)", &[slot(2.0)]).unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (FaultKind::Ensure, "asin(2) is undefined: the value must lie in [-1, 1]")
    );
}

#[test]
fn fields_of_a_fault() {
    let mut fx = Fixture::new();
    let mut fault = Fault::new(FaultKind::Timeout, "within 4 s exceeded at t=5 s");
    fault.skills = vec!["assemble".to_string(), "fasten_all".to_string()];
    let f = fx.heap.alloc(Value::Fault(fault));
    assert_eq!(fx.call("kind(Fault)", &[f]), Ok(7));
    let m = fx.call("message(Fault)", &[f]).unwrap();
    assert_eq!(fx.heap.str(m), Ok("within 4 s exceeded at t=5 s"));
    let s = fx.call("skill(Fault)", &[f]).unwrap();
    assert_eq!(fx.heap.str(s), Ok("fasten_all"));
}
