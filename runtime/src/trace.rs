//! The episode trace: JSON Lines, a header naming what ran, then one event per command (admitted or
//! refused) and per `log` line.
//!
//! The header: `{"event":"header","format":1,"source":path|null,"source_hash","abi_version",
//! "compiler_version","skill","seed","cell":{"path","text"}}`: everything `deft replay` needs to run
//! the episode again, the cell's full text included.
//!
//! An event: `{"seq":n,"t":s,"command":"move_linear","args":{..},"arm":name|null,"joints":[rad..],
//! "tcp":{"xyz_m":[..],"rpy_rad":[..]}|null,"held":part|null,"result":"ok"|{"fault":{"kind","message"}},
//! "energy_j":J}`, fields in that order. A `log` line is an event with `"command":"log"` and
//! `"args":{"msg":..}`. Deterministic by construction: no wall clock, maps are built in a fixed
//! order, and floats are printed by serde_json's shortest round-trip formatting.

use crate::abi::Manifest;
use crate::backend::{Backend, Command, ObjectRef, Pose};
use crate::fault::Fault;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};

/// The version of the trace's shape; bumped when the header or the events change incompatibly.
pub const TRACE_FORMAT: u32 = 1;

/// The first line of a trace: the module, the skill, the seed and the cell of the episode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceHeader {
    pub format: u32,
    /// The main source file the module was compiled from, as recorded in its manifest.
    pub source: Option<String>,
    pub source_hash: String,
    pub abi_version: u32,
    pub compiler_version: String,
    pub skill: String,
    pub seed: u64,
    pub cell: TraceCell,
}

/// The cell of a traced episode: where it was read from, and its full text (the file may change).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceCell {
    pub path: String,
    pub text: String,
}

#[derive(Serialize)]
struct HeaderOut<'a> {
    event: &'static str,
    #[serde(flatten)]
    header: &'a TraceHeader,
}

impl TraceHeader {
    pub fn new(manifest: &Manifest, skill: &str, seed: u64, cell_path: &str, cell_text: &str) -> TraceHeader {
        TraceHeader {
            format: TRACE_FORMAT,
            source: manifest.source_path.clone(),
            source_hash: manifest.source_hash.clone(),
            abi_version: manifest.abi_version,
            compiler_version: manifest.compiler_version.clone(),
            skill: skill.to_string(),
            seed,
            cell: TraceCell { path: cell_path.to_string(), text: cell_text.to_string() },
        }
    }

    /// The header as a line of JSON, newline included.
    pub fn to_line(&self) -> String {
        // Strings and integers only: serialising cannot fail.
        let mut line = serde_json::to_string(&HeaderOut { event: "header", header: self }).unwrap_or_default();
        line.push('\n');
        line
    }

    /// Read the first line of a trace; the error says what is wrong with it.
    pub fn parse(line: &str) -> Result<TraceHeader, String> {
        let value: Json = serde_json::from_str(line).map_err(|e| format!("the first line is not JSON: {e}"))?;
        if value.get("event").and_then(Json::as_str) != Some("header") {
            return Err("the first line is not a trace header (written by deft run --trace)".to_string());
        }
        let format = value.get("format").and_then(Json::as_u64);
        if format != Some(u64::from(TRACE_FORMAT)) {
            let shown = format.map_or_else(|| "none".to_string(), |f| f.to_string());
            return Err(format!("the trace has format {shown}; this deft reads format {TRACE_FORMAT}"));
        }
        // `event` is not a field of the header; serde skips it.
        serde_json::from_value(value).map_err(|e| format!("the trace header is malformed: {e}"))
    }
}

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

/// Where a replayed trace first differs from the recorded one.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// The event's number: its `seq`, counted from 0 after the header.
    pub event: usize,
    /// The differing field as a path (`joints[2]`, `result.fault.kind`); empty for a missing event.
    pub field: String,
    /// The recorded value, or `none` when the recording ended first.
    pub expected: String,
    /// The replayed value, or `none` when the replay ended first.
    pub actual: String,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Divergence { event, field, expected, actual } = self;
        if field.is_empty() {
            write!(f, "event {event}: expected {expected}, actual {actual}")
        } else {
            write!(f, "event {event}, field `{field}`: expected {expected}, actual {actual}")
        }
    }
}

/// Compare the events of two traces (headers already removed), line by line; the number of
/// events when they are identical, else the first divergence.
pub fn compare_events(expected: &str, actual: &str) -> Result<usize, Divergence> {
    let (mut exp, mut act) = (expected.lines(), actual.lines());
    let mut event = 0;
    loop {
        match (exp.next(), act.next()) {
            (None, None) => return Ok(event),
            (Some(e), Some(a)) if e == a => {}
            (Some(e), Some(a)) => return Err(first_difference(event, e, a)),
            (Some(e), None) => {
                return Err(Divergence {
                    event,
                    field: String::new(),
                    expected: describe_line(e),
                    actual: "none".into(),
                });
            }
            (None, Some(a)) => {
                return Err(Divergence {
                    event,
                    field: String::new(),
                    expected: "none".into(),
                    actual: describe_line(a),
                });
            }
        }
        event += 1;
    }
}

/// `a move_linear event`, or the line itself when it is not an event.
fn describe_line(line: &str) -> String {
    match serde_json::from_str::<Json>(line).ok().as_ref().and_then(|v| v.get("command")).and_then(Json::as_str) {
        Some(command) => format!("a `{command}` event"),
        None => line.to_string(),
    }
}

fn first_difference(event: usize, expected: &str, actual: &str) -> Divergence {
    let whole =
        || Divergence { event, field: String::new(), expected: expected.to_string(), actual: actual.to_string() };
    let (Ok(e), Ok(a)) = (serde_json::from_str::<Json>(expected), serde_json::from_str::<Json>(actual)) else {
        return whole();
    };
    match differing_field(&e, &a, String::new()) {
        Some((field, e, a)) => Divergence { event, field, expected: e, actual: a },
        // Same values written differently (not produced by this runtime): the lines themselves.
        None => whole(),
    }
}

/// The fields of an event in the order they are written; a divergence is looked for in this order,
/// so that the earliest cause (time before joints before energy) is the one reported.
const EVENT_FIELDS: [&str; 10] = ["seq", "t", "command", "args", "arm", "joints", "tcp", "held", "result", "energy_j"];

/// The first field where two JSON values differ: event fields in written order, nested keys in
/// alphabetical order (serde_json's maps are sorted).
fn differing_field(expected: &Json, actual: &Json, path: String) -> Option<(String, String, String)> {
    let join = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
    match (expected, actual) {
        (Json::Object(e), Json::Object(a)) => {
            let missing = Json::String("(missing)".to_string());
            let mut keys: Vec<&String> = e.keys().collect();
            if path.is_empty() {
                keys.sort_by_key(|k| EVENT_FIELDS.iter().position(|f| f == k).unwrap_or(EVENT_FIELDS.len()));
            }
            for key in keys {
                let ev = &e[key];
                if let Some(found) = differing_field(ev, a.get(key).unwrap_or(&missing), join(key)) {
                    return Some(found);
                }
            }
            let extra = a.keys().find(|k| !e.contains_key(*k))?;
            Some((join(extra), "(missing)".to_string(), a[extra].to_string()))
        }
        (Json::Array(e), Json::Array(a)) if e.len() == a.len() => {
            e.iter().zip(a).enumerate().find_map(|(i, (ev, av))| differing_field(ev, av, format!("{path}[{i}]")))
        }
        _ if expected == actual => None,
        _ => Some((path, expected.to_string(), actual.to_string())),
    }
}
