//! The fault model: what a failure is, in the runtime and as a Deft `Fault` value.

use crate::abi::FAULT_KINDS;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The closed set of fault kinds, in ABI order (see [`FAULT_KINDS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FaultKind {
    Unreachable = 0,
    Collision = 1,
    LimitExceeded = 2,
    GraspFailed = 3,
    Dropped = 4,
    FastenFailed = 5,
    InspectionFailed = 6,
    Timeout = 7,
    Ensure = 8,
    Hardware = 9,
    Stopped = 10,
    User = 11,
}

impl FaultKind {
    pub const ALL: [FaultKind; 12] = [
        FaultKind::Unreachable,
        FaultKind::Collision,
        FaultKind::LimitExceeded,
        FaultKind::GraspFailed,
        FaultKind::Dropped,
        FaultKind::FastenFailed,
        FaultKind::InspectionFailed,
        FaultKind::Timeout,
        FaultKind::Ensure,
        FaultKind::Hardware,
        FaultKind::Stopped,
        FaultKind::User,
    ];

    /// The kind with ABI ordinal `n`; an unknown ordinal from generated code is a `Hardware` fault
    /// rather than a crash.
    pub fn from_index(n: u32) -> Option<FaultKind> {
        FaultKind::ALL.get(n as usize).copied()
    }

    pub fn name(self) -> &'static str {
        FAULT_KINDS[self as usize]
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A failure: its kind, a message, and the skill stack (outermost first) when it was raised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    pub kind: FaultKind,
    pub message: String,
    /// Filled in by the runtime when the fault is raised inside a skill; empty for a backend's
    /// own fault until then.
    pub skills: Vec<String>,
}

impl Fault {
    pub fn new(kind: FaultKind, message: impl Into<String>) -> Fault {
        Fault { kind, message: message.into(), skills: Vec::new() }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for Fault {}
