//! The `Backend` trait: what a simulator or a hardware driver must do. Skills never reach a backend
//! directly: every command passes the safety monitor in [`crate::robot`] first.

use crate::fault::Fault;
use nalgebra::{Isometry3, Vector3};

/// A pose in the world frame: position in metres, rotation as a unit quaternion.
pub type Pose = Isometry3<f64>;

/// Which kind of cell object a reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKind {
    Arm,
    Gripper,
    ScrewDriver,
    Camera,
    Fixture,
    Part,
    Signal,
}

impl ObjectKind {
    /// The Deft type name of this kind (`Arm`, `ScrewDriver`), as manifests and diagnostics print it.
    pub fn type_name(self) -> &'static str {
        match self {
            ObjectKind::Arm => "Arm",
            ObjectKind::Gripper => "Gripper",
            ObjectKind::ScrewDriver => "ScrewDriver",
            ObjectKind::Camera => "Camera",
            ObjectKind::Fixture => "Fixture",
            ObjectKind::Part => "Part",
            ObjectKind::Signal => "Signal",
        }
    }
}

/// A cell object: its kind and its index among the objects of that kind in the cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub index: u32,
}

/// A command to the cell. Quantities in SI (m, rad, s, N, N*m).
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Joint move; `speed` is a fraction (0, 1] of each joint's maximum speed.
    MoveJoint {
        arm: ObjectRef,
        q: Vec<f64>,
        speed: f64,
    },
    /// Joint-interpolated move of the TCP to a pose; `speed` as for `MoveJoint`.
    MoveTo {
        arm: ObjectRef,
        target: Pose,
        speed: f64,
    },
    /// Straight-line TCP move at `speed` m/s.
    MoveLinear {
        arm: ObjectRef,
        target: Pose,
        speed: f64,
    },
    /// Guarded straight-line TCP move toward `target` at `speed` m/s that stops as soon as the
    /// contact force reaches `max_force` N (a force-guarded search, as URScript `force_mode` or RAPID
    /// `FCPress1LStart`). Replies [`Reply::Contact`]; reaching `target` without that force is not
    /// a failure.
    MoveUntilContact {
        arm: ObjectRef,
        target: Pose,
        speed: f64,
        max_force: f64,
    },
    Grasp {
        gripper: ObjectRef,
        part: ObjectRef,
        force: f64,
    },
    Release {
        gripper: ObjectRef,
    },
    Fasten {
        driver: ObjectRef,
        screw: ObjectRef,
        torque: f64,
        angle: f64,
    },
    Inspect {
        camera: ObjectRef,
        part: ObjectRef,
        feature: String,
    },
    Wait {
        seconds: f64,
    },
    SetSignal {
        signal: ObjectRef,
        on: bool,
    },
    WaitSignal {
        signal: ObjectRef,
        on: bool,
        timeout: f64,
    },
}

/// What a successful command gives back.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Done,
    Inspection {
        value: f64,
        ok: bool,
    },
    /// A fastening that seated: the angle the screw turned, rad.
    Fastened {
        angle: f64,
    },
    /// A guarded move: the contact force where it stopped, N, how far the TCP travelled, m, and
    /// whether it stopped because the force reached the threshold (else it reached the target).
    Contact {
        force: f64,
        travel: f64,
        touched: bool,
    },
}

/// Hard limits of the cell (from `[limits]` in `cell.toml`), SI units; `None` means unlimited.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HardLimits {
    pub tcp_speed: Option<f64>,
    pub force: Option<f64>,
    pub acceleration: Option<f64>,
}

/// An axis-aligned keep-out box in the world frame, metres.
#[derive(Clone, Debug, PartialEq)]
pub struct KeepOut {
    pub name: String,
    pub min: Vector3<f64>,
    pub max: Vector3<f64>,
}

/// A simulator or a hardware driver. Implementations hold the whole state of one episode: no
/// globals, so that many episodes run side by side.
pub trait Backend {
    /// Carry out a command that the safety monitor has already admitted.
    fn execute(&mut self, command: &Command) -> Result<Reply, Fault>;

    /// Robot clock, seconds since the episode started.
    fn now(&self) -> f64;
    /// Energy used so far, joules.
    fn energy(&self) -> f64;

    /// A cell object by its name in the cell description.
    fn object(&self, name: &str) -> Option<ObjectRef>;
    /// The objects a list entry of the `cell { }` block binds to (`screws: [Part]`), in order;
    /// `None` when the cell has no such group.
    fn group(&self, name: &str) -> Option<Vec<ObjectRef>>;
    /// The name of a cell object.
    fn object_name(&self, object: ObjectRef) -> String;

    fn hard_limits(&self) -> HardLimits;
    fn keepouts(&self) -> Vec<KeepOut>;

    fn tcp(&self, arm: ObjectRef) -> Pose;
    fn joints(&self, arm: ObjectRef) -> Vec<f64>;
    /// The arm a tool (gripper, screwdriver, camera) is mounted on.
    fn tool_arm(&self, tool: ObjectRef) -> Option<ObjectRef>;
    /// The part a gripper holds.
    fn held(&self, gripper: ObjectRef) -> Option<ObjectRef>;
    fn part_pose(&self, part: ObjectRef) -> Pose;
    /// Bounding box (x, y, z), metres.
    fn part_size(&self, part: ObjectRef) -> Vector3<f64>;
    fn part_mass(&self, part: ObjectRef) -> f64;
    fn fixture_frame(&self, fixture: ObjectRef) -> Pose;
    fn slot(&self, fixture: ObjectRef, name: &str) -> Option<Pose>;
    /// The names of a fixture's slots, in the cell description's order, for the message when a
    /// skill names one that does not exist. The default (no names) only makes that message shorter.
    fn slot_names(&self, _fixture: ObjectRef) -> Vec<String> {
        Vec::new()
    }
    fn arm_base(&self, arm: ObjectRef) -> Pose;
}
