//! A scripted in-memory backend for unit tests of the runtime, the stdlib natives and the tools
//! built on them. It is not a simulator: moves are instantaneous jumps to the target that take a
//! fixed `step` of robot time, and it records every command it is asked to execute, so a test can
//! assert what did (and did not) reach a backend.

use crate::backend::{Backend, Command, HardLimits, KeepOut, ObjectKind, ObjectRef, Pose, Reply};
use crate::fault::Fault;
use nalgebra::Vector3;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The commands a [`FakeBackend`] executed, shared with the test that built it.
pub type CommandLog = Arc<Mutex<Vec<Command>>>;

/// A decision a test can script per command: `Some(fault)` makes the command fail.
pub type FailRule = Box<dyn Fn(&Command) -> Option<Fault> + Send>;

pub struct FakeBackend {
    names: Vec<(String, ObjectRef)>,
    groups: Vec<(String, Vec<ObjectRef>)>,
    pub limits: HardLimits,
    pub keepouts: Vec<KeepOut>,
    /// Robot time each command takes (a `Wait` takes its own duration), seconds.
    pub step: f64,
    /// Energy each command uses, joules.
    pub energy_per_command: f64,
    /// The measurement every `Inspect` returns.
    pub inspection: (f64, bool),
    pub fail: Option<FailRule>,
    pub tcps: BTreeMap<ObjectRef, Pose>,
    pub joint_values: BTreeMap<ObjectRef, Vec<f64>>,
    pub mounts: BTreeMap<ObjectRef, ObjectRef>,
    pub holding: BTreeMap<ObjectRef, ObjectRef>,
    pub part_poses: BTreeMap<ObjectRef, Pose>,
    pub slots: BTreeMap<ObjectRef, Vec<(String, Pose)>>,
    clock: f64,
    energy_used: f64,
    log: CommandLog,
}

impl FakeBackend {
    /// An empty cell; add objects with [`FakeBackend::add`]. Returns the backend and the log of
    /// the commands it will execute.
    pub fn new() -> (FakeBackend, CommandLog) {
        let log = CommandLog::default();
        let backend = FakeBackend {
            names: Vec::new(),
            groups: Vec::new(),
            limits: HardLimits::default(),
            keepouts: Vec::new(),
            step: 1.0,
            energy_per_command: 1.0,
            inspection: (0.0001, true),
            fail: None,
            tcps: BTreeMap::new(),
            joint_values: BTreeMap::new(),
            mounts: BTreeMap::new(),
            holding: BTreeMap::new(),
            part_poses: BTreeMap::new(),
            slots: BTreeMap::new(),
            clock: 0.0,
            energy_used: 0.0,
            log: log.clone(),
        };
        (backend, log)
    }

    /// A named object of `kind`; indices count per kind from 0.
    pub fn add(&mut self, name: &str, kind: ObjectKind) -> ObjectRef {
        let index = self.names.iter().filter(|(_, o)| o.kind == kind).count() as u32;
        let object = ObjectRef { kind, index };
        self.names.push((name.to_string(), object));
        if kind == ObjectKind::Arm {
            self.tcps.insert(object, Pose::identity());
            self.joint_values.insert(object, vec![0.0; 6]);
        }
        if kind == ObjectKind::Part {
            self.part_poses.insert(object, Pose::identity());
        }
        object
    }

    /// A named list of objects, as a `screws: [Part]` cell entry binds.
    pub fn add_group(&mut self, name: &str, members: Vec<ObjectRef>) {
        self.groups.push((name.to_string(), members));
    }

    /// A typical cell: `arm`, `gripper` and `driver` and `cam` mounted on it, fixture `jig`
    /// with slot `base`, parts `housing` and `cover`, and group `screws` of two parts.
    pub fn standard() -> (FakeBackend, CommandLog) {
        let (mut b, log) = FakeBackend::new();
        let arm = b.add("arm", ObjectKind::Arm);
        for (name, kind) in
            [("gripper", ObjectKind::Gripper), ("driver", ObjectKind::ScrewDriver), ("cam", ObjectKind::Camera)]
        {
            let tool = b.add(name, kind);
            b.mounts.insert(tool, arm);
        }
        let jig = b.add("jig", ObjectKind::Fixture);
        b.slots.insert(jig, vec![("base".to_string(), Pose::translation(0.4, 0.2, 0.02))]);
        b.add("housing", ObjectKind::Part);
        b.add("cover", ObjectKind::Part);
        let s1 = b.add("screw1", ObjectKind::Part);
        let s2 = b.add("screw2", ObjectKind::Part);
        b.add_group("screws", vec![s1, s2]);
        b.add("valve", ObjectKind::Signal);
        (b, log)
    }
}

impl Backend for FakeBackend {
    fn execute(&mut self, command: &Command) -> Result<Reply, Fault> {
        if let Ok(mut log) = self.log.lock() {
            log.push(command.clone());
        }
        self.clock += match command {
            Command::Wait { seconds } => *seconds,
            _ => self.step,
        };
        self.energy_used += self.energy_per_command;
        if let Some(fault) = self.fail.as_ref().and_then(|rule| rule(command)) {
            return Err(fault);
        }
        match command {
            Command::MoveTo { arm, target, .. } | Command::MoveLinear { arm, target, .. } => {
                self.tcps.insert(*arm, *target);
            }
            Command::MoveJoint { arm, q, .. } => {
                self.joint_values.insert(*arm, q.clone());
            }
            Command::Grasp { gripper, part, .. } => {
                self.holding.insert(*gripper, *part);
            }
            Command::Release { gripper } => {
                self.holding.remove(gripper);
            }
            Command::Inspect { .. } => {
                return Ok(Reply::Inspection { value: self.inspection.0, ok: self.inspection.1 });
            }
            _ => {}
        }
        Ok(Reply::Done)
    }

    fn now(&self) -> f64 {
        self.clock
    }

    fn energy(&self) -> f64 {
        self.energy_used
    }

    fn object(&self, name: &str) -> Option<ObjectRef> {
        self.names.iter().find(|(n, _)| n == name).map(|(_, o)| *o)
    }

    fn group(&self, name: &str) -> Option<Vec<ObjectRef>> {
        self.groups.iter().find(|(n, _)| n == name).map(|(_, g)| g.clone())
    }

    fn object_name(&self, object: ObjectRef) -> String {
        self.names.iter().find(|(_, o)| *o == object).map_or_else(|| format!("{object:?}"), |(n, _)| n.clone())
    }

    fn hard_limits(&self) -> HardLimits {
        self.limits
    }

    fn keepouts(&self) -> Vec<KeepOut> {
        self.keepouts.clone()
    }

    fn tcp(&self, arm: ObjectRef) -> Pose {
        self.tcps.get(&arm).copied().unwrap_or_else(Pose::identity)
    }

    fn joints(&self, arm: ObjectRef) -> Vec<f64> {
        self.joint_values.get(&arm).cloned().unwrap_or_default()
    }

    fn tool_arm(&self, tool: ObjectRef) -> Option<ObjectRef> {
        self.mounts.get(&tool).copied()
    }

    fn held(&self, gripper: ObjectRef) -> Option<ObjectRef> {
        self.holding.get(&gripper).copied()
    }

    fn part_pose(&self, part: ObjectRef) -> Pose {
        self.part_poses.get(&part).copied().unwrap_or_else(Pose::identity)
    }

    fn part_size(&self, _part: ObjectRef) -> Vector3<f64> {
        Vector3::new(0.06, 0.04, 0.03)
    }

    fn part_mass(&self, _part: ObjectRef) -> f64 {
        0.2
    }

    fn fixture_frame(&self, _fixture: ObjectRef) -> Pose {
        Pose::translation(0.4, 0.2, 0.0)
    }

    fn slot(&self, fixture: ObjectRef, name: &str) -> Option<Pose> {
        self.slots.get(&fixture)?.iter().find(|(n, _)| n == name).map(|(_, p)| *p)
    }

    fn slot_names(&self, fixture: ObjectRef) -> Vec<String> {
        self.slots.get(&fixture).map(|s| s.iter().map(|(n, _)| n.clone()).collect()).unwrap_or_default()
    }

    fn arm_base(&self, _arm: ObjectRef) -> Pose {
        Pose::identity()
    }
}
