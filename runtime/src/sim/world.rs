//! The world models of the simulator: where parts are, grasping, releasing and dropping, fastening,
//! inspection and signals. Each model is a small set of documented rules (`docs/simulator.md`);
//! the only randomness is the episode's seeded [`Rng`].

use crate::backend::{Pose, Reply};
use crate::fault::{Fault, FaultKind};
use crate::sim::cell::Cell;
use crate::sim::energy::GRAVITY;
use crate::sim::rng::Rng;
use nalgebra::{Point3, Translation3, Vector3};

/// How far the TCP may be from a part's pose for a grasp or a fastening to work, m.
pub const REACH_TOLERANCE: f64 = 0.003;
/// A released part settles onto a support at most this far below it, m (else it drops).
pub const SETTLE_HEIGHT: f64 = 0.005;
/// A released part may be this far below a support surface (contact tolerance), m.
pub const SETTLE_BELOW: f64 = 0.002;
/// A released part snaps into a free slot whose position is within this distance horizontally, m.
pub const SNAP_XY: f64 = 0.005;
/// Friction coefficient between gripper fingers and parts (unless `[randomize] friction` draws one
/// per episode), and the safety factor a grip needs at grasp time.
pub const FRICTION: f64 = 0.4;
pub const GRIP_SAFETY: f64 = 2.0;
/// Salt of the second random stream of an episode (friction and camera noise draws).
const SIDE_STREAM: u64 = 0x5EED_F41C_0A0C_A3E7;
/// Durations of tool actions, s.
pub const GRASP_TIME: f64 = 0.3;
pub const RELEASE_TIME: f64 = 0.2;
pub const INSPECT_TIME: f64 = 0.15;

/// The state of one part.
#[derive(Clone, Debug, PartialEq)]
pub struct PartState {
    /// Its pose when not held, world frame (bottom-face centre).
    pub pose: Pose,
    /// The fixture slot it sits in.
    pub slot: Option<(usize, usize)>,
    /// The gripper holding it, and its pose relative to that gripper's TCP.
    pub held: Option<(usize, Pose)>,
    /// The force of the grip that holds it, N (0 when not held).
    pub grip: f64,
    pub fastened: bool,
}

/// One signal: the times at which its input takes a new value, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct SignalState {
    pub initial: bool,
    pub changes: Vec<(f64, bool)>,
}

impl SignalState {
    pub fn value_at(&self, t: f64) -> bool {
        self.changes.iter().rev().find(|(at, _)| *at <= t).map_or(self.initial, |(_, v)| *v)
    }
}

/// What a tool action did: how long it took, and its result.
#[derive(Debug)]
pub struct Outcome {
    pub duration: f64,
    pub result: Result<Reply, Fault>,
}

impl Outcome {
    fn done(duration: f64) -> Outcome {
        Outcome { duration, result: Ok(Reply::Done) }
    }
    fn fail(duration: f64, kind: FaultKind, message: String) -> Outcome {
        Outcome { duration, result: Err(Fault::new(kind, message)) }
    }
}

/// A fastening to do: driver and screw indices, torque in N*m, maximum angle in rad.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fasten {
    pub driver: usize,
    pub screw: usize,
    pub torque: f64,
    pub angle: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct World {
    pub parts: Vec<PartState>,
    pub signals: Vec<SignalState>,
    /// The part each gripper holds.
    pub holding: Vec<Option<usize>>,
    /// This episode's friction coefficient between fingers and parts (`[randomize] friction`).
    pub friction: f64,
    /// This episode's factor on every feature's measurement noise (`[randomize] camera_noise`).
    pub noise_scale: f64,
}

fn mm(v: f64) -> f64 {
    v * 1000.0
}

impl World {
    /// The world at episode start: parts where the cell puts them, each moved in x and y by the
    /// `[randomize] part_xy_mm` jitter. Two draws per part are made even without jitter, so that
    /// the rest of the stream does not depend on whether jitter is configured.
    ///
    /// The friction coefficient and camera noise factor of the episode come from a second stream
    /// derived from the same seed (two draws, always made), so that adding them left every draw of
    /// the main stream where it was.
    pub fn new(cell: &Cell, rng: &mut Rng) -> World {
        let mut side = rng.derived(SIDE_STREAM);
        let [f0, f1] = cell.randomize.friction;
        let [n0, n1] = cell.randomize.camera_noise;
        let (friction, noise_scale) = (f0 + (f1 - f0) * side.next_f64(), n0 + (n1 - n0) * side.next_f64());
        let j = cell.randomize.part_xy;
        let parts = cell
            .parts
            .iter()
            .map(|p| {
                let (dx, dy) = (rng.uniform(-j, j), rng.uniform(-j, j));
                let pose = Translation3::new(dx, dy, 0.0) * p.pose;
                PartState { pose, slot: p.slot, held: None, grip: 0.0, fastened: false }
            })
            .collect();
        let signals = cell.signals.iter().map(|s| SignalState { initial: s.initial, changes: Vec::new() }).collect();
        World { parts, signals, holding: vec![None; cell.grippers.len()], friction, noise_scale }
    }

    /// A part's pose now; `tcp(g)` gives the TCP pose of gripper `g` for held parts.
    pub fn part_pose(&self, part: usize, tcp: impl Fn(usize) -> Pose) -> Pose {
        let p = &self.parts[part];
        match p.held {
            Some((g, offset)) => tcp(g) * offset,
            None => p.pose,
        }
    }

    pub fn grasp(&mut self, cell: &Cell, gripper: usize, part: usize, force: f64, tcp: &Pose) -> Outcome {
        let g = &cell.grippers[gripper];
        let spec = &cell.parts[part];
        if let Some(h) = self.holding[gripper] {
            let msg = format!("gripper `{}` already holds `{}`", g.name, cell.parts[h].name);
            return Outcome::fail(0.0, FaultKind::GraspFailed, msg);
        }
        if let Some((other, _)) = self.parts[part].held {
            let msg = format!("part `{}` is held by gripper `{}`", spec.name, cell.grippers[other].name);
            return Outcome::fail(0.0, FaultKind::GraspFailed, msg);
        }
        let pose = self.parts[part].pose;
        let distance = (pose.translation.vector - tcp.translation.vector).norm();
        if distance > REACH_TOLERANCE {
            let msg = format!(
                "gripper `{}` is {:.1} mm from part `{}`; it must be within {:.0} mm to grasp it",
                g.name,
                mm(distance),
                spec.name,
                mm(REACH_TOLERANCE)
            );
            return Outcome::fail(0.0, FaultKind::GraspFailed, msg);
        }
        // The fingers close along the tool y axis, which is the y axis of a TCP pose in the
        // target convention (the 180° turn about x only flips its sign).
        let close_axis = tcp.rotation * Vector3::y();
        let width: f64 =
            (0..3).map(|i| (close_axis.dot(&(pose.rotation * Vector3::ith(i, 1.0)))).abs() * spec.size[i]).sum();
        if width > g.max_width + 1e-9 {
            let msg = format!(
                "part {} is {:.0} mm wide; gripper `{}` opens {:.0} mm",
                spec.name,
                mm(width),
                g.name,
                mm(g.max_width)
            );
            return Outcome::fail(GRASP_TIME, FaultKind::GraspFailed, msg);
        }
        if !(force.is_finite() && force > 0.0) {
            return Outcome::fail(0.0, FaultKind::GraspFailed, format!("grasp force {force} N must be positive"));
        }
        if force > g.max_force + 1e-9 {
            let msg =
                format!("grasp force {force:.1} N exceeds the {:.0} N gripper `{}` can apply", g.max_force, g.name);
            return Outcome::fail(0.0, FaultKind::GraspFailed, msg);
        }
        // Two fingers, each holding by friction μ·F, must carry the weight times the safety factor.
        // The rule is the gripper's, written for the rated μ; the episode's μ (`[randomize]
        // friction`) decides whether the part then stays in the fingers (`slip`).
        let needed = spec.mass * GRAVITY * GRIP_SAFETY / (2.0 * FRICTION);
        if force + 1e-9 < needed {
            let msg = format!(
                "grasp force {force:.1} N cannot hold part {} ({:.2} kg): it needs at least {needed:.1} N (friction {FRICTION}, safety factor {GRIP_SAFETY})",
                spec.name, spec.mass
            );
            return Outcome::fail(GRASP_TIME, FaultKind::GraspFailed, msg);
        }
        let state = &mut self.parts[part];
        state.held = Some((gripper, tcp.inverse() * pose));
        state.grip = force;
        state.slot = None;
        self.holding[gripper] = Some(part);
        Outcome::done(GRASP_TIME)
    }

    /// Open a gripper. The part settles on the highest support under it if that is at most
    /// [`SETTLE_HEIGHT`] below; supports are free fixture slots (it snaps into the slot), fixture
    /// tops, the tops of resting parts and the table at z = 0. Otherwise it falls onto that support.
    pub fn release(&mut self, cell: &Cell, gripper: usize, tcp: &Pose) -> Outcome {
        let Some(part) = self.holding[gripper].take() else { return Outcome::done(RELEASE_TIME) };
        let offset = self.parts[part].held.take().map_or(Pose::identity(), |(_, o)| o);
        self.parts[part].grip = 0.0;
        let pose = tcp * offset;
        let p = pose.translation.vector;
        let mut best: Option<(f64, Option<(usize, usize)>)> = None;
        let mut consider = |h: f64, slot: Option<(usize, usize)>| {
            if h <= p.z + SETTLE_BELOW && best.is_none_or(|(b, _)| h > b) {
                best = Some((h, slot));
            }
        };
        consider(0.0, None);
        for (fi, f) in cell.fixtures.iter().enumerate() {
            for si in 0..f.slots.len() {
                let taken = self.parts.iter().enumerate().any(|(i, q)| i != part && q.slot == Some((fi, si)));
                let s = (f.pose * f.slots[si].1).translation.vector;
                if !taken && (s.xy() - p.xy()).norm() <= SNAP_XY {
                    consider(s.z, Some((fi, si)));
                }
            }
            if let Some(h) = f.size.and_then(|size| top_under(&f.pose, &size, &p)) {
                consider(h, None);
            }
        }
        for (i, q) in self.parts.iter().enumerate() {
            if i != part
                && q.held.is_none()
                && let Some(h) = top_under(&q.pose, &cell.parts[i].size, &p)
            {
                consider(h, None);
            }
        }
        let (height, slot) = best.unwrap_or((0.0, None));
        let gap = p.z - height;
        let state = &mut self.parts[part];
        let mut settled = pose;
        settled.translation.vector.z = height;
        if gap <= SETTLE_HEIGHT {
            match slot {
                Some((fi, si)) => {
                    let f = &cell.fixtures[fi];
                    state.pose = f.pose * f.slots[si].1;
                    state.slot = Some((fi, si));
                }
                None => state.pose = settled,
            }
            return Outcome::done(RELEASE_TIME);
        }
        state.pose = settled;
        let msg = format!("{} released {:.0} mm above the nearest support; it fell", cell.parts[part].name, mm(gap));
        Outcome::fail(RELEASE_TIME, FaultKind::Dropped, msg)
    }

    pub fn fasten(&mut self, cell: &Cell, request: &Fasten, tcp: &Pose, rng: &mut Rng) -> Outcome {
        let Fasten { driver, screw, torque, angle } = *request;
        let d = &cell.drivers[driver];
        let spec = &cell.parts[screw];
        let fail = |msg: String| Outcome::fail(0.0, FaultKind::FastenFailed, msg);
        if !spec.screw {
            return fail(format!("part `{}` is not a screw (give it `kind = \"screw\"` in the cell)", spec.name));
        }
        let state = &self.parts[screw];
        if state.fastened {
            return fail(format!("screw `{}` is already fastened", spec.name));
        }
        if state.held.is_some() {
            return fail(format!("screw `{}` is held by a gripper", spec.name));
        }
        let distance = (state.pose.translation.vector - tcp.translation.vector).norm();
        if distance > REACH_TOLERANCE {
            return fail(format!(
                "driver `{}` is {:.1} mm from screw `{}`; it must be within {:.0} mm",
                d.name,
                mm(distance),
                spec.name,
                mm(REACH_TOLERANCE)
            ));
        }
        if !(torque.is_finite() && torque > 0.0 && angle.is_finite() && angle > 0.0) {
            return fail(format!("fastening needs a positive torque and angle, got {torque} N*m and {angle} rad"));
        }
        if torque > d.max_torque + 1e-9 {
            return fail(format!(
                "torque {torque:.2} N*m exceeds the {:.2} N*m driver `{}` can give",
                d.max_torque, d.name
            ));
        }
        let cross = rng.next_f64() < cell.randomize.cross_thread;
        let turned = angle.min(spec.seat_angle);
        let duration = turned / d.spindle_speed;
        if cross {
            let msg = format!("screw `{}` cross-threaded after {:.0} deg", spec.name, (turned / 2.0).to_degrees());
            return Outcome::fail(duration / 2.0, FaultKind::FastenFailed, msg);
        }
        if angle + 1e-9 < spec.seat_angle {
            let msg = format!(
                "screw `{}` did not seat: it turned {:.0} deg of the {:.0} deg it needs",
                spec.name,
                angle.to_degrees(),
                spec.seat_angle.to_degrees()
            );
            return Outcome::fail(duration, FaultKind::FastenFailed, msg);
        }
        self.parts[screw].fastened = true;
        Outcome { duration, result: Ok(Reply::Fastened { angle: turned }) }
    }

    /// Measure a feature: nominal plus seeded normal noise; `ok` when |value| ≤ tolerance.
    /// `distance` is from the camera to the part's pose, m.
    pub fn inspect(
        &self,
        cell: &Cell,
        camera: usize,
        part: usize,
        feature: &str,
        distance: f64,
        rng: &mut Rng,
    ) -> Outcome {
        let c = &cell.cameras[camera];
        let spec = &cell.parts[part];
        if distance > c.range {
            let msg = format!(
                "part `{}` is {:.0} mm from camera `{}`; it sees up to {:.0} mm",
                spec.name,
                mm(distance),
                c.name,
                mm(c.range)
            );
            return Outcome::fail(INSPECT_TIME, FaultKind::InspectionFailed, msg);
        }
        let Some(f) = spec.features.iter().find(|f| f.name == feature) else {
            let known: Vec<&str> = spec.features.iter().map(|f| f.name.as_str()).collect();
            let has =
                if known.is_empty() { "it has none".to_string() } else { format!("it has: {}", known.join(", ")) };
            let msg = format!("part `{}` has no feature `{feature}`; {has}", spec.name);
            return Outcome::fail(0.0, FaultKind::InspectionFailed, msg);
        };
        let value = f.nominal + f.noise * self.noise_scale * rng.normal();
        Outcome { duration: INSPECT_TIME, result: Ok(Reply::Inspection { value, ok: value.abs() <= f.tolerance }) }
    }

    /// What the grip of `gripper` can hold against, N: two fingers, each μ · F. `None` when it
    /// holds nothing.
    pub fn hold_capacity(&self, gripper: usize) -> Option<(usize, f64)> {
        let part = self.holding[gripper]?;
        Some((part, 2.0 * self.friction * self.parts[part].grip))
    }

    /// The hold check of a motion: with the TCP's peak acceleration `peak` (|a − g|, m/s²) the
    /// part needs `m · |a − g|` of grip; beyond what friction holds it slips where the peak was
    /// (TCP at `tcp`), falls onto the support under it, and the motion fails with `Dropped`.
    pub fn slip(&mut self, cell: &Cell, gripper: usize, peak: f64, at: f64, tcp: &Pose) -> Result<(), Fault> {
        let Some((part, holds)) = self.hold_capacity(gripper) else { return Ok(()) };
        let spec = &cell.parts[part];
        let needs = spec.mass * peak;
        if needs <= holds + 1e-9 {
            return Ok(());
        }
        let (mu, grip) = (self.friction, self.parts[part].grip);
        let fell = match self.release(cell, gripper, tcp).result {
            Err(f) if f.kind == FaultKind::Dropped => " and fell".to_string(),
            _ => String::new(),
        };
        Err(Fault::new(
            FaultKind::Dropped,
            format!(
                "part `{}` slipped out of gripper `{}` at t={at:.2} s{fell}: {:.2} kg at {peak:.1} m/s² (with gravity) needs {needs:.1} N of grip; 2 × μ {mu:.2} × {grip:.1} N holds {holds:.1} N",
                spec.name, cell.grippers[gripper].name, spec.mass
            ),
        ))
    }

    /// Set an output; its input reads the new value `delay` seconds later.
    pub fn set_signal(&mut self, cell: &Cell, signal: usize, on: bool, now: f64) {
        self.signals[signal].changes.push((now + cell.signals[signal].delay, on));
    }

    /// Wait until a signal reads `on`, at most `timeout` seconds.
    pub fn wait_signal(&self, cell: &Cell, signal: usize, on: bool, timeout: f64, now: f64) -> Outcome {
        let s = &self.signals[signal];
        if s.value_at(now) == on {
            return Outcome::done(0.0);
        }
        let deadline = now + timeout;
        // The first change that leaves the input reading `on`: a change overridden by a later one
        // arriving at the same instant (set on, then off, with no time between) is never seen.
        if let Some((at, _)) =
            s.changes.iter().find(|(at, v)| *at > now && *at <= deadline && *v == on && s.value_at(*at) == on)
        {
            return Outcome::done(at - now);
        }
        let msg = format!(
            "signal `{}` did not read {} within {timeout:.3} s",
            cell.signals[signal].name,
            if on { "on" } else { "off" }
        );
        Outcome::fail(timeout, FaultKind::Timeout, msg)
    }
}

/// The height of the top face of a box (bottom-face centre at `pose`) above point `p`, when `p`
/// lies over the box's footprint.
pub(super) fn top_under(pose: &Pose, size: &Vector3<f64>, p: &Vector3<f64>) -> Option<f64> {
    let local = pose.inverse_transform_point(&Point3::from(*p));
    let inside = local.x.abs() <= size.x / 2.0 && local.y.abs() <= size.y / 2.0;
    inside.then(|| (pose * Point3::new(local.x, local.y, size.z)).z)
}
