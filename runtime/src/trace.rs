//! The episode trace: JSON Lines, one event per command (admitted or refused) and per `log` line.
//!
//! An event: `{"seq":n,"t":s,"command":"move_linear","args":{..},"arm":name|null,"joints":[rad..],
//! "tcp":{"xyz_m":[..],"rpy_rad":[..]}|null,"held":part|null,"result":"ok"|{"fault":{"kind","message"}},
//! "energy_j":J}`, fields in that order. A `log` line is an event with `"command":"log"` and
//! `"args":{"msg":..}`. Deterministic by construction: no wall clock, maps are built in a fixed
//! order, and floats are printed by serde_json's shortest round-trip formatting.

use crate::backend::{Backend, Command, ObjectRef, Pose};
use crate::fault::Fault;
use serde::Serialize;
use serde_json::{Value as Json, json};

/// A pose as the trace prints it.
#[derive(Serialize)]
pub struct TracePose {
    pub xyz_m: [f64; 3],
    pub rpy_rad: [f64; 3],
}

impl TracePose {
    pub fn new(p: &Pose) -> TracePose {
        let t = p.translation.vector;
        let (r, pi, y) = p.rotation.euler_angles();
        // Adding 0.0 turns -0.0 into 0.0, which reads better and means the same.
        TracePose { xyz_m: [t.x + 0.0, t.y + 0.0, t.z + 0.0], rpy_rad: [r + 0.0, pi + 0.0, y + 0.0] }
    }
}

#[derive(Serialize)]
struct Event<'a> {
    seq: u64,
    t: f64,
    command: &'a str,
    args: Json,
    arm: Option<String>,
    joints: Vec<f64>,
    tcp: Option<TracePose>,
    held: Option<String>,
    result: Json,
    energy_j: f64,
}

/// Arm state attached to an event: the arm the command moves (or the arm its tool is mounted on).
pub struct ArmState {
    pub name: String,
    pub joints: Vec<f64>,
    pub tcp: Pose,
    pub held: Option<String>,
}

/// A trace being written into memory; [`Trace::bytes`] gives the JSON Lines.
#[derive(Debug, Default)]
pub struct Trace {
    seq: u64,
    out: Vec<u8>,
}

impl Trace {
    pub fn new() -> Trace {
        Trace::default()
    }

    pub fn bytes(&self) -> &[u8] {
        &self.out
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// One command's event; `result` is `Ok(())` or the fault it ended with.
    pub fn command(
        &mut self,
        backend: &dyn Backend,
        command: &Command,
        arm: Option<ArmState>,
        result: Result<(), &Fault>,
    ) {
        let (name, args) = describe(backend, command);
        let result = match result {
            Ok(()) => json!("ok"),
            Err(f) => json!({"fault": {"kind": f.kind.name(), "message": f.message}}),
        };
        let (arm_name, joints, tcp, held) = match arm {
            Some(a) => (Some(a.name), a.joints, Some(TracePose::new(&a.tcp)), a.held),
            None => (None, Vec::new(), None, None),
        };
        self.write(Event {
            seq: self.seq,
            t: backend.now(),
            command: name,
            args,
            arm: arm_name,
            joints,
            tcp,
            held,
            result,
            energy_j: backend.energy(),
        });
    }

    /// A line of the run's log.
    pub fn log(&mut self, backend: &dyn Backend, msg: &str) {
        self.write(Event {
            seq: self.seq,
            t: backend.now(),
            command: "log",
            args: json!({ "msg": msg }),
            arm: None,
            joints: Vec::new(),
            tcp: None,
            held: None,
            result: json!("ok"),
            energy_j: backend.energy(),
        });
    }

    fn write(&mut self, event: Event<'_>) {
        self.seq += 1;
        // Serialising plain data into a Vec cannot fail; if it ever did, the event is dropped
        // rather than the episode.
        if serde_json::to_writer(&mut self.out, &event).is_ok() {
            self.out.push(b'\n');
        }
    }
}

/// The trace name of a command and its arguments, SI units in the key names.
fn describe(backend: &dyn Backend, command: &Command) -> (&'static str, Json) {
    let name = |o: &ObjectRef| backend.object_name(*o);
    match command {
        Command::MoveJoint { q, speed, .. } => ("move_joint", json!({"q_rad": q, "speed_ratio": speed})),
        Command::MoveTo { target, speed, .. } => {
            ("move_to", json!({"target": TracePose::new(target), "speed_ratio": speed}))
        }
        Command::MoveLinear { target, speed, .. } => {
            ("move_linear", json!({"target": TracePose::new(target), "speed_m_s": speed}))
        }
        Command::MoveUntilContact { target, speed, max_force, .. } => (
            "move_until_contact",
            json!({"target": TracePose::new(target), "speed_m_s": speed, "max_force_n": max_force}),
        ),
        Command::Grasp { gripper, part, force } => {
            ("grasp", json!({"gripper": name(gripper), "part": name(part), "force_n": force}))
        }
        Command::Release { gripper } => ("release", json!({"gripper": name(gripper)})),
        Command::Fasten { driver, screw, torque, angle } => {
            ("fasten", json!({"driver": name(driver), "screw": name(screw), "torque_nm": torque, "angle_rad": angle}))
        }
        Command::Inspect { camera, part, feature } => {
            ("inspect", json!({"camera": name(camera), "part": name(part), "feature": feature}))
        }
        Command::Wait { seconds } => ("wait", json!({ "seconds": seconds })),
        Command::SetSignal { signal, on } => ("set", json!({"signal": name(signal), "on": on})),
        Command::WaitSignal { signal, on, timeout } => {
            ("wait_for", json!({"signal": name(signal), "on": on, "timeout_s": timeout}))
        }
    }
}
