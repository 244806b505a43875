//! The safety monitor: decides, before a command reaches a backend, whether it stays inside the
//! envelope of the cell's hard limits, the active `limits(...)` of running skills and the keep-out
//! zones. A refused command never reaches the backend; the skill gets a `LimitExceeded` fault.
//!
//! What is checked, per command:
//! - `MoveLinear`: speed against min(cell `tcp_speed`, every active speed limit); the target and
//!   the straight segment to it against every keep-out box (a segment that starts inside a box may
//!   leave it, so an arm that ended up inside can always be moved out).
//! - `MoveTo`: the target against every keep-out box (the joint path is the backend's to check);
//!   `MoveTo` and `MoveJoint` speeds are fractions and must lie in (0, 1].
//! - `MoveUntilContact` (a guarded move): as `MoveLinear` for speed and keep-outs; its force
//!   threshold must be positive and within min(cell `force`, every active force limit), so the
//!   contact it stops at never pushes harder than the envelope allows.
//! - `Grasp`: force against min(cell `force`, every active force limit).
//! - Every number in a command must be finite: a NaN never reaches a motor.
//!
//! Acceleration limits are recorded but no command carries an acceleration yet; the backend's
//! motion profiles are expected to respect `HardLimits::acceleration`.

use crate::backend::{Command, HardLimits, KeepOut, Pose};
use crate::fault::{Fault, FaultKind};
use crate::format::format_real;
use nalgebra::Vector3;

/// Which quantity a `limits(...)` clause narrows; the ABI's `limits_push` ordinals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitKind {
    /// Tool centre point speed, m/s.
    Speed = 0,
    /// Contact and grasp force, N.
    Force = 1,
    /// Tool centre point acceleration, m/s^2.
    Acceleration = 2,
}

impl LimitKind {
    pub fn from_index(n: u32) -> Option<LimitKind> {
        match n {
            0 => Some(LimitKind::Speed),
            1 => Some(LimitKind::Force),
            2 => Some(LimitKind::Acceleration),
            _ => None,
        }
    }
}

/// One `limits(...)` entry of a running skill.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveLimit {
    pub kind: LimitKind,
    pub value: f64,
    /// The skill that declared it, named in the refusal message.
    pub skill: String,
}

/// The limit that binds: its value and where it comes from.
struct Binding {
    value: f64,
    source: String,
}

/// The envelope of one episode.
#[derive(Clone, Debug)]
pub struct SafetyMonitor {
    hard: HardLimits,
    keepouts: Vec<KeepOut>,
    active: Vec<ActiveLimit>,
}

impl SafetyMonitor {
    pub fn new(hard: HardLimits, keepouts: Vec<KeepOut>) -> SafetyMonitor {
        SafetyMonitor { hard, keepouts, active: Vec::new() }
    }

    pub fn push(&mut self, limit: ActiveLimit) {
        self.active.push(limit);
    }

    pub fn pop(&mut self) {
        self.active.pop();
    }

    /// How many `limits` entries are active (so a skill's exit can drop the ones it pushed).
    pub fn depth(&self) -> usize {
        self.active.len()
    }

    pub fn truncate(&mut self, depth: usize) {
        self.active.truncate(depth);
    }

    pub fn active(&self) -> &[ActiveLimit] {
        &self.active
    }

    /// The tightest limit of a kind: the cell's hard limit or an active one, whichever is lower.
    fn binding(&self, kind: LimitKind) -> Option<Binding> {
        let hard = match kind {
            LimitKind::Speed => self.hard.tcp_speed,
            LimitKind::Force => self.hard.force,
            LimitKind::Acceleration => self.hard.acceleration,
        };
        let mut best = hard.map(|value| Binding { value, source: "cell hard limit".to_string() });
        for limit in self.active.iter().filter(|l| l.kind == kind) {
            if best.as_ref().is_none_or(|b| limit.value < b.value) {
                best = Some(Binding { value: limit.value, source: format!("limits of skill {}", limit.skill) });
            }
        }
        best
    }

    /// Admit or refuse `command`; `tcp` is where the commanded arm's tool centre point is now
    /// (for `MoveLinear`, whose whole straight path is checked).
    pub fn check(&self, command: &Command, tcp: Option<&Pose>) -> Result<(), Fault> {
        check_finite(command)?;
        match command {
            Command::MoveLinear { target, speed, .. } => self.check_line("move_linear", target, *speed, tcp),
            Command::MoveUntilContact { target, speed, max_force, .. } => {
                self.check_line("move_until_contact", target, *speed, tcp)?;
                if *max_force <= 0.0 {
                    return Err(refuse(format!(
                        "move_until_contact up to {} N: the force must be positive",
                        format_real(*max_force)
                    )));
                }
                self.check_force("move_until_contact", *max_force)
            }
            Command::MoveTo { target, speed, .. } => {
                check_ratio("move_to", *speed)?;
                let to = target.translation.vector;
                match self.keepouts.iter().find(|z| inside(z, &to)) {
                    Some(zone) => Err(target_inside("move_to", &to, zone)),
                    None => Ok(()),
                }
            }
            Command::MoveJoint { speed, .. } => check_ratio("move_joint", *speed),
            Command::Grasp { force, .. } => {
                if *force < 0.0 {
                    return Err(refuse(format!("grasp at {} N: the force must not be negative", format_real(*force))));
                }
                self.check_force("grasp", *force)
            }
            _ => Ok(()),
        }
    }

    /// A straight TCP line: its speed against the binding speed limit, its target and the segment
    /// to it against every keep-out box (a segment that starts inside a box may leave it).
    fn check_line(&self, command: &str, target: &Pose, speed: f64, tcp: Option<&Pose>) -> Result<(), Fault> {
        if speed <= 0.0 {
            return Err(refuse(format!("{command} at {} mm/s: the speed must be positive", mm(speed))));
        }
        if let Some(b) = self.binding(LimitKind::Speed)
            && speed > b.value
        {
            return Err(refuse(format!(
                "{command} at {} mm/s exceeds the limit of {} mm/s ({})",
                mm(speed),
                mm(b.value),
                b.source
            )));
        }
        let to = target.translation.vector;
        for zone in &self.keepouts {
            if inside(zone, &to) {
                return Err(target_inside(command, &to, zone));
            }
            if let Some(from) = tcp.map(|p| p.translation.vector)
                && !inside(zone, &from)
                && segment_hits(zone, &from, &to)
            {
                return Err(refuse(format!(
                    "{command} from {} to {} mm crosses keep-out zone {}",
                    point_mm(&from),
                    point_mm(&to),
                    zone.name
                )));
            }
        }
        Ok(())
    }

    /// A grasp or contact force against the binding force limit.
    fn check_force(&self, command: &str, force: f64) -> Result<(), Fault> {
        match self.binding(LimitKind::Force) {
            Some(b) if force > b.value => Err(refuse(format!(
                "{command} at {} N exceeds the limit of {} N ({})",
                format_real(force),
                format_real(b.value),
                b.source
            ))),
            _ => Ok(()),
        }
    }
}

fn refuse(message: String) -> Fault {
    Fault::new(FaultKind::LimitExceeded, message)
}

fn mm(metres_or_speed: f64) -> String {
    format_real(metres_or_speed * 1000.0)
}

fn point_mm(p: &Vector3<f64>) -> String {
    format!("({}, {}, {})", mm(p.x), mm(p.y), mm(p.z))
}

fn target_inside(command: &str, to: &Vector3<f64>, zone: &KeepOut) -> Fault {
    refuse(format!("{command} target {} mm is inside keep-out zone {}", point_mm(to), zone.name))
}

fn check_ratio(command: &str, speed: f64) -> Result<(), Fault> {
    if speed > 0.0 && speed <= 1.0 {
        Ok(())
    } else {
        Err(refuse(format!(
            "{command} at {} %: the speed must be above 0 % and at most 100 %",
            format_real(speed * 100.0)
        )))
    }
}

/// Refuse a command carrying NaN or an infinity anywhere.
fn check_finite(command: &Command) -> Result<(), Fault> {
    let pose_ok = |p: &Pose| p.translation.vector.iter().chain(p.rotation.coords.iter()).all(|v| v.is_finite());
    let (name, ok) = match command {
        Command::MoveJoint { q, speed, .. } => ("move_joint", speed.is_finite() && q.iter().all(|v| v.is_finite())),
        Command::MoveTo { target, speed, .. } => ("move_to", speed.is_finite() && pose_ok(target)),
        Command::MoveLinear { target, speed, .. } => ("move_linear", speed.is_finite() && pose_ok(target)),
        Command::MoveUntilContact { target, speed, max_force, .. } => {
            ("move_until_contact", speed.is_finite() && max_force.is_finite() && pose_ok(target))
        }
        Command::Grasp { force, .. } => ("grasp", force.is_finite()),
        Command::Fasten { torque, angle, .. } => ("fasten", torque.is_finite() && angle.is_finite()),
        Command::Wait { seconds } => ("wait", seconds.is_finite()),
        Command::WaitSignal { timeout, .. } => ("wait_for", timeout.is_finite()),
        Command::Release { .. } | Command::Inspect { .. } | Command::SetSignal { .. } => ("", true),
    };
    if ok { Ok(()) } else { Err(refuse(format!("{name} with a value that is not a finite number"))) }
}

fn inside(zone: &KeepOut, p: &Vector3<f64>) -> bool {
    (0..3).all(|i| p[i] >= zone.min[i] && p[i] <= zone.max[i])
}

/// Whether the segment `a`–`b` touches the box (slab method).
fn segment_hits(zone: &KeepOut, a: &Vector3<f64>, b: &Vector3<f64>) -> bool {
    let d = b - a;
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for i in 0..3 {
        if d[i].abs() < 1e-15 {
            if a[i] < zone.min[i] || a[i] > zone.max[i] {
                return false;
            }
            continue;
        }
        let (mut lo, mut hi) = ((zone.min[i] - a[i]) / d[i], (zone.max[i] - a[i]) / d[i]);
        if lo > hi {
            std::mem::swap(&mut lo, &mut hi);
        }
        t0 = t0.max(lo);
        t1 = t1.min(hi);
        if t0 > t1 {
            return false;
        }
    }
    true
}
