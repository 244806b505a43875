//! The only path from a skill to a backend: every command passes the safety monitor, is executed,
//! counted and traced, and is followed by a check of the active `within` deadlines.

use crate::backend::{Backend, Command, ObjectKind, ObjectRef, Reply};
use crate::fault::{Fault, FaultKind};
use crate::format::format_real;
use crate::safety::SafetyMonitor;
use crate::trace::{ArmState, Trace};
use std::collections::BTreeSet;

/// An active `within T { }` block.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Deadline {
    /// Robot time at which it expires.
    at: f64,
    /// Its length, for the message.
    seconds: f64,
}

/// A backend behind the safety monitor, with the command count, the deadlines and the trace.
pub struct Robot {
    backend: Box<dyn Backend>,
    monitor: SafetyMonitor,
    trace: Option<Trace>,
    commands: u64,
    deadlines: Vec<Deadline>,
    /// Grippers seen so far, to report what an arm holds in the trace.
    grippers: BTreeSet<ObjectRef>,
}

impl Robot {
    /// Wrap `backend`; the monitor takes the cell's hard limits and keep-out zones from it.
    /// With `tracing`, every command is recorded as a JSON Lines event.
    pub fn new(backend: Box<dyn Backend>, tracing: bool) -> Robot {
        let monitor = SafetyMonitor::new(backend.hard_limits(), backend.keepouts());
        Robot {
            backend,
            monitor,
            trace: tracing.then(Trace::new),
            commands: 0,
            deadlines: Vec::new(),
            grippers: BTreeSet::new(),
        }
    }

    /// Read-only access for queries (poses, names, sizes); commands go through [`Robot::execute`].
    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    pub fn monitor(&self) -> &SafetyMonitor {
        &self.monitor
    }

    pub fn monitor_mut(&mut self) -> &mut SafetyMonitor {
        &mut self.monitor
    }

    /// Commands the backend executed (refused ones are traced but not counted).
    pub fn commands(&self) -> u64 {
        self.commands
    }

    pub fn now(&self) -> f64 {
        self.backend.now()
    }

    pub fn energy(&self) -> f64 {
        self.backend.energy()
    }

    pub fn trace(&self) -> Option<&Trace> {
        self.trace.as_ref()
    }

    pub fn take_trace(&mut self) -> Option<Trace> {
        self.trace.take()
    }

    /// Make a gripper known, so trace events of its arm say what it holds.
    pub fn note_gripper(&mut self, gripper: ObjectRef) {
        if gripper.kind == ObjectKind::Gripper {
            self.grippers.insert(gripper);
        }
    }

    /// Start a `within` block of `seconds` robot time from now.
    pub fn push_deadline(&mut self, seconds: f64) {
        let at = self.backend.now() + seconds;
        self.deadlines.push(Deadline { at, seconds });
    }

    pub fn pop_deadline(&mut self) {
        self.deadlines.pop();
    }

    pub fn deadline_depth(&self) -> usize {
        self.deadlines.len()
    }

    pub fn truncate_deadlines(&mut self, depth: usize) {
        self.deadlines.truncate(depth);
    }

    /// Write a log line into the trace.
    pub fn log(&mut self, msg: &str) {
        if let Some(trace) = &mut self.trace {
            trace.log(self.backend.as_ref(), msg);
        }
    }

    /// Admit, execute, count and trace one command. A refused command never reaches the backend.
    pub fn execute(&mut self, command: Command) -> Result<Reply, Fault> {
        let arm = self.arm_of(&command);
        let tcp = arm.map(|a| self.backend.tcp(a));
        if let Err(fault) = self.monitor.check(&command, tcp.as_ref()) {
            self.record(&command, arm, Err(&fault));
            return Err(fault);
        }
        if let Command::Grasp { gripper, .. } | Command::Release { gripper } = &command {
            self.note_gripper(*gripper);
        }
        let result = self.backend.execute(&command);
        self.commands += 1;
        self.record(&command, arm, result.as_ref().map(|_| ()));
        let reply = result?;
        self.check_deadlines()?;
        Ok(reply)
    }

    /// A `Timeout` fault when the clock has passed an active deadline (the earliest one passed).
    fn check_deadlines(&self) -> Result<(), Fault> {
        let now = self.backend.now();
        let passed = self.deadlines.iter().filter(|d| now > d.at).min_by(|a, b| a.at.total_cmp(&b.at));
        match passed {
            Some(d) => Err(Fault::new(
                FaultKind::Timeout,
                format!("within {} s exceeded at t={} s", format_real(d.seconds), format_real(now)),
            )),
            None => Ok(()),
        }
    }

    /// The arm a command moves: its own, or the one its tool is mounted on.
    fn arm_of(&self, command: &Command) -> Option<ObjectRef> {
        match command {
            Command::MoveJoint { arm, .. }
            | Command::MoveTo { arm, .. }
            | Command::MoveLinear { arm, .. }
            | Command::MoveUntilContact { arm, .. } => Some(*arm),
            Command::Grasp { gripper: tool, .. }
            | Command::Release { gripper: tool }
            | Command::Fasten { driver: tool, .. }
            | Command::Inspect { camera: tool, .. } => self.backend.tool_arm(*tool),
            Command::Wait { .. } | Command::SetSignal { .. } | Command::WaitSignal { .. } => None,
        }
    }

    fn record(&mut self, command: &Command, arm: Option<ObjectRef>, result: Result<(), &Fault>) {
        let Some(trace) = &mut self.trace else { return };
        let backend = self.backend.as_ref();
        let state = arm.map(|a| ArmState {
            name: backend.object_name(a),
            joints: backend.joints(a),
            tcp: backend.tcp(a),
            held: self
                .grippers
                .iter()
                .filter(|g| backend.tool_arm(**g) == Some(a))
                .find_map(|g| backend.held(*g))
                .map(|p| backend.object_name(p)),
        });
        trace.command(backend, command, state, result);
    }
}
