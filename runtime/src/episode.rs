//! Running one skill of a loaded module against a backend: bind the cell interface, resolve the
//! natives, call the skill through the host table, and report what happened.

use crate::abi::{CompiledFn, Manifest, ManifestCellEntry};
use crate::backend::{Backend, ObjectKind};
use crate::fault::{Fault, FaultKind};
use crate::host::{Episode, EpisodeLimits, HOST};
use crate::module::{LoadError, LoadedModule};
use crate::natives::Natives;
use crate::robot::Robot;
use crate::value::Value;
use serde_json::json;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failed,
}

/// What a run did. A failed skill is a report, not an error.
#[derive(Clone, Debug, PartialEq)]
pub struct RunReport {
    pub outcome: Outcome,
    /// The fault the skill failed with: kind, message and skill stack (outermost first).
    pub fault: Option<Fault>,
    /// Robot time at the end, seconds.
    pub cycle_time_s: f64,
    pub energy_j: f64,
    /// Commands the backend executed.
    pub commands: u64,
    pub log: Vec<String>,
}

impl RunReport {
    /// `{"outcome":"success"|"failed","fault":null|{"kind","message","skills"},"cycle_time_s",
    /// "energy_j","commands","log"}`.
    pub fn to_json(&self) -> serde_json::Value {
        let fault =
            self.fault.as_ref().map(|f| json!({"kind": f.kind.name(), "message": f.message, "skills": f.skills}));
        let outcome = match self.outcome {
            Outcome::Success => "success",
            Outcome::Failed => "failed",
        };
        json!({
            "outcome": outcome,
            "fault": fault,
            "cycle_time_s": self.cycle_time_s,
            "energy_j": self.energy_j,
            "commands": self.commands,
            "log": self.log,
        })
    }
}

/// Why a skill could not be started (the CLI's exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    Load(LoadError),
    /// The cell does not provide what the program's `cell { }` block needs.
    Bind(String),
    /// No runnable skill of that name; `available` lists the ones that are.
    NoSuchSkill {
        skill: String,
        available: Vec<String>,
    },
    /// The trace could not be written.
    Trace(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Load(e) => e.fmt(f),
            RunError::Bind(msg) => f.write_str(msg),
            RunError::NoSuchSkill { skill, available } if available.is_empty() => {
                write!(f, "the program has no skill `{skill}` to run, and no exported skill without parameters")
            }
            RunError::NoSuchSkill { skill, available } => write!(
                f,
                "the program has no skill `{skill}` that can be run; exported skills without parameters: {}",
                available.join(", ")
            ),
            RunError::Trace(e) => write!(f, "cannot write the trace: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

impl From<LoadError> for RunError {
    fn from(e: LoadError) -> RunError {
        RunError::Load(e)
    }
}

/// Run exported, parameterless skill `skill` of `module` once.
pub fn run(
    module: &LoadedModule,
    backend: Box<dyn Backend>,
    natives: &Natives,
    skill: &str,
    trace: Option<&mut dyn std::io::Write>,
) -> Result<RunReport, RunError> {
    let index = runnable_index(module.manifest(), skill)?;
    run_function(module, backend, natives, index, trace, EpisodeLimits::default())
}

/// The manifest index of what `--skill NAME` runs: an exported skill without parameters, or a test
/// body by its function name (`test::<name>`), so that a failed test episode can be replayed.
pub fn runnable_index(manifest: &Manifest, skill: &str) -> Result<usize, RunError> {
    let runnable = |f: &crate::abi::ManifestFunction| f.kind == "skill" && f.exported && f.params.is_empty();
    let is_test = |i: usize| manifest.tests.iter().any(|t| t.func as usize == i);
    let found = manifest.functions.iter().enumerate().position(|(i, f)| f.name == skill && (runnable(f) || is_test(i)));
    found.ok_or_else(|| {
        let available = manifest.functions.iter().filter(|f| runnable(f)).map(|f| f.name.clone()).collect();
        RunError::NoSuchSkill { skill: skill.to_string(), available }
    })
}

/// Run manifest function `index` (a skill or a test body without parameters) once.
pub fn run_function(
    module: &LoadedModule,
    backend: Box<dyn Backend>,
    natives: &Natives,
    index: usize,
    trace: Option<&mut dyn std::io::Write>,
    limits: EpisodeLimits,
) -> Result<RunReport, RunError> {
    let manifest = module.manifest();
    let natives = module.resolve_natives(natives)?;
    let Some(function) = module.function(index) else {
        return Err(RunError::NoSuchSkill { skill: format!("#{index}"), available: Vec::new() });
    };
    let mut robot = Robot::new(backend, trace.is_some());
    let handles = bind_cell(manifest, &mut robot)?;
    let mut episode = Episode::new(manifest, natives, robot, limits);
    let cell = handles.into_iter().map(|b| alloc_binding(&mut episode, b)).collect();
    episode.bind_cell(cell);
    let fault = call(&mut episode, function);
    let (mut robot, log, _) = episode.finish();
    if let (Some(out), Some(t)) = (trace, robot.take_trace()) {
        out.write_all(t.bytes()).map_err(|e| RunError::Trace(e.to_string()))?;
    }
    Ok(RunReport {
        outcome: if fault.is_some() { Outcome::Failed } else { Outcome::Success },
        fault,
        cycle_time_s: robot.now(),
        energy_j: robot.energy(),
        commands: robot.commands(),
        log,
    })
}

/// Call a compiled function with no arguments; the fault it failed with, if any.
fn call(episode: &mut Episode, function: CompiledFn) -> Option<Fault> {
    let args = [0u64; 1];
    let mut ret = [0u64; 1];
    let ctx = episode.as_ctx();
    // SAFETY: `function` comes from a checked module and follows the `CompiledFn` contract; the
    // context is the live episode, and `HOST` is the table of this runtime's ABI.
    let status = unsafe { function(&HOST, ctx, args.as_ptr(), ret.as_mut_ptr()) };
    let pending = episode.take_pending();
    match (status, pending) {
        (_, Some(fault)) => Some(fault),
        (0, None) => None,
        (s, None) => Some(Fault::new(FaultKind::Hardware, format!("the skill failed with status {s} but no fault"))),
    }
}

/// What a `cell { }` entry is bound to.
enum Binding {
    One(crate::backend::ObjectRef),
    Group(Vec<crate::backend::ObjectRef>),
}

fn alloc_binding(episode: &mut Episode, binding: Binding) -> u64 {
    let heap = episode.heap_mut();
    match binding {
        Binding::One(o) => heap.object_handle(o),
        Binding::Group(objects) => {
            let items = objects.into_iter().map(|o| heap.object_handle(o)).collect();
            heap.alloc(Value::List(items))
        }
    }
}

fn object_kind(name: &str) -> Option<ObjectKind> {
    use ObjectKind::*;
    [Arm, Gripper, ScrewDriver, Camera, Fixture, Part, Signal].into_iter().find(|k| k.type_name() == name)
}

/// Bind every `cell { }` entry to an object (or a group) of the backend, in manifest order.
fn bind_cell(manifest: &Manifest, robot: &mut Robot) -> Result<Vec<Binding>, RunError> {
    let mut bindings = Vec::with_capacity(manifest.cell.len());
    for entry in &manifest.cell {
        let binding = bind_entry(entry, robot.backend())?;
        match &binding {
            Binding::One(o) => robot.note_gripper(*o),
            Binding::Group(os) => os.iter().for_each(|o| robot.note_gripper(*o)),
        }
        bindings.push(binding);
    }
    Ok(bindings)
}

fn bind_entry(entry: &ManifestCellEntry, backend: &dyn Backend) -> Result<Binding, RunError> {
    let ManifestCellEntry { name, ty } = entry;
    let needs = format!("the program needs `{name}: {ty}`");
    let element = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
    let kind_name = element.unwrap_or(ty);
    let Some(kind) = object_kind(kind_name) else {
        return Err(RunError::Bind(format!("{needs}, but no cell object has type {kind_name}")));
    };
    if element.is_some() {
        let Some(group) = backend.group(name) else {
            return Err(RunError::Bind(format!("{needs} but the cell has no group named {name}")));
        };
        if let Some(wrong) = group.iter().find(|o| o.kind != kind) {
            let (member, is) = (backend.object_name(*wrong), wrong.kind.type_name());
            return Err(RunError::Bind(format!("{needs} but `{member}` in the cell's group `{name}` is a {is}")));
        }
        return Ok(Binding::Group(group));
    }
    match backend.object(name) {
        None => Err(RunError::Bind(format!("{needs} but the cell has no object named {name}"))),
        Some(o) if o.kind != kind => {
            Err(RunError::Bind(format!("{needs} but `{name}` in the cell is a {}", o.kind.type_name())))
        }
        Some(o) => Ok(Binding::One(o)),
    }
}
