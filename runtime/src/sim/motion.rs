//! Motion planning for the simulator: joint-interpolated and straight-line paths, sampled to check
//! reachability and keep-out boxes and to measure what the energy model needs.
//!
//! A motion is planned and checked completely before it starts; a motion that fails leaves the arm
//! where it was and takes no time (as a controller's path check would refuse it).

use crate::backend::{KeepOut, Pose};
use crate::fault::{Fault, FaultKind};
use crate::sim::arms::ArmKinematics;
use crate::sim::profile;
use nalgebra::{Point3, Rotation3, Translation3, UnitQuaternion, Vector3};
use std::cell::RefCell;
use std::f64::consts::PI;
use std::sync::LazyLock;

/// Sampling of a joint path: at most this much travel of any joint between samples, rad.
const JOINT_STEP: f64 = 0.5 * PI / 180.0;
/// Sampling of a straight line: at most this much TCP travel, m, or rotation, rad, between samples.
const LINEAR_STEP: f64 = 0.005;
const LINEAR_TURN_STEP: f64 = 2.0 * PI / 180.0;
/// More joint travel than this between two samples of a straight line means the IK switched
/// branches (a singularity on the way), rad.
const BRANCH_JUMP: f64 = 0.5;
/// Cap on samples, so that an absurd command cannot stall an episode.
const MAX_SAMPLES: usize = 20_000;

/// The geometry of one arm the planner needs: its model, where its base is and how long its tool is.
#[derive(Clone, Copy, Debug)]
pub struct ArmFrame<'a> {
    pub name: &'a str,
    pub kinematics: &'a ArmKinematics,
    pub base: Pose,
    pub tcp: f64,
    /// The episode's memo of this arm's last TCP pose, if it keeps one.
    pub memo: Option<&'a TcpMemo>,
}

/// The last TCP pose [`ArmFrame::tcp_pose`] gave for one arm and the joint angles it was for: an
/// episode asks for the TCP at the same joints many times between motions (the program's `tcp()`,
/// the start of each plan), and each forward kinematics costs about as much as 2,000 instructions.
/// The angles are compared bit for bit, so the pose is exactly the one computed afresh.
#[derive(Clone, Debug, Default)]
pub struct TcpMemo(RefCell<Option<(Vec<f64>, Pose)>>);

impl ArmFrame<'_> {
    /// The TCP pose in the target convention: position of the TCP, rotation of the tool frame
    /// turned 180° about x (z up, like the part the tool points down at).
    pub fn tcp_pose(&self, q: &[f64]) -> Pose {
        let Some(TcpMemo(memo)) = self.memo else { return self.tcp_pose_fresh(q) };
        let mut memo = memo.borrow_mut();
        if let Some((at, pose)) = memo.as_ref()
            && at.len() == q.len()
            && at.iter().zip(q).all(|(a, b)| a.to_bits() == b.to_bits())
        {
            return *pose;
        }
        let pose = self.tcp_pose_fresh(q);
        match memo.as_mut() {
            Some((at, last)) => {
                at.clear();
                at.extend_from_slice(q);
                *last = pose;
            }
            None => *memo = Some((q.to_vec(), pose)),
        }
        pose
    }

    /// [`ArmFrame::tcp_pose`] without the memo: for joints the arm passes through but does not
    /// stop at, which would only push out the pose at the joints it stands at.
    pub fn tcp_pose_fresh(&self, q: &[f64]) -> Pose {
        self.base * self.kinematics.fk(q) * Translation3::new(0.0, 0.0, self.tcp) * flip()
    }

    /// The arm at `q` as the collision model sees it: its joint frame origins from base to flange
    /// (appended to `origins`), its flange pose and its TCP pose, world frame, from one pass of
    /// forward kinematics. The flange and TCP are [`ArmFrame::tcp_pose`]'s bit for bit.
    pub fn frames(&self, q: &[f64], origins: &mut Vec<Point3<f64>>) -> (Pose, Pose) {
        let at = origins.len();
        let fk = self.kinematics.frames_into(q, origins);
        self.world_frames(at, fk, origins)
    }

    /// As [`ArmFrame::frames`], with the faster forward kinematics of
    /// [`ArmKinematics::frames_fast`] (the same up to rounding): for path samples. The joint axes
    /// it gives for a UR are appended to `axes`, world frame.
    pub fn frames_fast(&self, q: &[f64], origins: &mut Vec<Point3<f64>>, axes: &mut Vec<Vector3<f64>>) -> (Pose, Pose) {
        let (at, axes_at) = (origins.len(), axes.len());
        let (r, p) = self.kinematics.frames_fast(q, origins, axes);
        // The base as a matrix: cheaper than its quaternion for a dozen points and axes.
        let (base_r, base_t) = (self.base.rotation.to_rotation_matrix().into_inner(), self.base.translation.vector);
        for o in &mut origins[at..] {
            *o = Point3::from(base_r * o.coords + base_t);
        }
        for z in &mut axes[axes_at..] {
            *z = base_r * *z;
        }
        let (r, p) = (base_r * r, base_r * p + base_t);
        let flange = Pose::from_parts(
            Translation3::from(p),
            UnitQuaternion::from_rotation_matrix(&Rotation3::from_matrix_unchecked(r)),
        );
        let tcp = Pose::from_parts(Translation3::from(p + r.column(2) * self.tcp), flange.rotation * flip());
        (flange, tcp)
    }

    /// Origins from `at` on, and the flange pose `fk`, from the base frame to the world frame;
    /// the flange and TCP poses.
    fn world_frames(&self, at: usize, fk: Pose, origins: &mut [Point3<f64>]) -> (Pose, Pose) {
        for p in &mut origins[at..] {
            *p = self.base * *p;
        }
        let flange = self.base * fk;
        (flange, flange * Translation3::new(0.0, 0.0, self.tcp) * flip())
    }

    /// The TCP position, world frame, for a flange position `p` and axis `z` in the base frame.
    fn tcp_point(&self, (p, z): (Vector3<f64>, Vector3<f64>)) -> Vector3<f64> {
        (self.base * Point3::from(p + z * self.tcp)).coords
    }

    /// The flange pose, in the base frame, that puts the TCP at `target` (target convention).
    pub fn flange_target(&self, target: &Pose) -> Pose {
        self.base.inverse() * target * flip() * Translation3::new(0.0, 0.0, -self.tcp)
    }

    pub fn unreachable(&self, target: &Pose) -> Fault {
        let p = target.translation.vector;
        Fault::new(
            FaultKind::Unreachable,
            format!(
                "target ({:.3}, {:.3}, {:.3}) m is out of reach of arm `{}` ({}, reach {:.2} m)",
                p.x, p.y, p.z, self.name, self.kinematics.model, self.kinematics.reach
            ),
        )
    }
}

/// The 180° turn about x between a TCP pose in the target convention and the tool frame.
fn flip() -> UnitQuaternion<f64> {
    static FLIP: LazyLock<UnitQuaternion<f64>> =
        LazyLock::new(|| UnitQuaternion::from_axis_angle(&Vector3::x_axis(), PI));
    *FLIP
}

/// The samples of a planned path: the joints, and the TCP position the planner computed anyway
/// (for keep-outs and `rise`), which the hold check of `sim/collision.rs` reuses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Samples {
    joints: Joints,
    /// The TCP position of each sample, world frame.
    pub tcps: Vec<Vector3<f64>>,
}

/// The joints of the samples: computed again from the ends of a joint-interpolated path (sample
/// `k` is at `(k + 1) / n` of the way, as [`joint_move`] computes it), stored for a line.
#[derive(Clone, Debug, PartialEq)]
enum Joints {
    Path { from: Vec<f64>, to: Vec<f64>, n: usize },
    Line { joints: Vec<f64>, dof: usize },
}

impl Default for Joints {
    fn default() -> Joints {
        Joints::Line { joints: Vec::new(), dof: 0 }
    }
}

impl Samples {
    fn path(from: &[f64], to: &[f64], n: usize) -> Samples {
        Samples { joints: Joints::Path { from: from.to_vec(), to: to.to_vec(), n }, tcps: Vec::with_capacity(n) }
    }

    fn line(n: usize, dof: usize) -> Samples {
        Samples { joints: Joints::Line { joints: Vec::with_capacity(n * dof), dof }, tcps: Vec::with_capacity(n) }
    }

    fn push(&mut self, q: &[f64], tcp: Vector3<f64>) {
        if let Joints::Line { joints, .. } = &mut self.joints {
            joints.extend_from_slice(q);
        }
        self.tcps.push(tcp);
    }

    pub fn len(&self) -> usize {
        self.tcps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tcps.is_empty()
    }

    /// The joints of sample `k`, into `q`.
    pub fn joints(&self, k: usize, q: &mut Vec<f64>) {
        q.clear();
        match &self.joints {
            Joints::Path { from, to, n } => {
                let s = (k + 1) as f64 / *n as f64;
                q.extend(from.iter().zip(to).map(|(a, b)| a + (b - a) * s));
            }
            Joints::Line { joints, dof } => q.extend_from_slice(&joints[k * dof..(k + 1) * dof]),
        }
    }
}

/// A checked motion: where the joints end, how long it takes, and what the energy model needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub end: Vec<f64>,
    pub duration: f64,
    /// Total |Δq| of each joint along the path, rad.
    pub travel: Vec<f64>,
    /// Total upward travel of the TCP, m.
    pub rise: f64,
    /// The arm at each sample of the path, evenly spaced along it (the last at `end`); the
    /// collision and hold checks of `sim/collision.rs` walk them.
    pub samples: Samples,
    /// The TCP pose where the path starts.
    pub start_tcp: Pose,
    /// The share of `duration` spent accelerating (and again braking), in [0, 0.5]: with it,
    /// `collision::time_fraction` tells when the arm passes each sample.
    pub ramp: f64,
    /// For a joint-interpolated path, how far each joint turns from one sample to the next, rad:
    /// with it the collision check may skip samples that cannot be in contact (`sim/advance.rs`).
    /// `None` for a straight line, whose joints do not move in proportion.
    pub joint_step: Option<Vec<f64>>,
}

/// Fails with `Collision` when the TCP is inside a keep-out box.
fn check_keepouts(arm: &ArmFrame, keepouts: &[KeepOut], p: &Vector3<f64>) -> Result<(), Fault> {
    for k in keepouts {
        if (0..3).all(|i| p[i] >= k.min[i] && p[i] <= k.max[i]) {
            return Err(Fault::new(
                FaultKind::Collision,
                format!(
                    "the TCP of arm `{}` would enter keep-out `{}` at ({:.3}, {:.3}, {:.3}) m",
                    arm.name, k.name, p.x, p.y, p.z
                ),
            ));
        }
    }
    Ok(())
}

/// A joint-interpolated move from `from` to `to` at `speed_ratio` of the maximum joint speeds.
pub fn joint_move(
    arm: &ArmFrame,
    keepouts: &[KeepOut],
    from: &[f64],
    to: &[f64],
    speed_ratio: f64,
) -> Result<Plan, Fault> {
    if !(speed_ratio > 0.0 && speed_ratio <= 1.0) {
        return Err(Fault::new(
            FaultKind::LimitExceeded,
            format!("joint speed {:.0} % is outside (0 %, 100 %]", speed_ratio * 100.0),
        ));
    }
    let kin = arm.kinematics;
    let dof = kin.dof();
    if to.len() != dof || from.len() != dof {
        return Err(Fault::new(
            FaultKind::LimitExceeded,
            format!("arm `{}` has {dof} joints; move_joint got {} angles", arm.name, to.len()),
        ));
    }
    if let Some((i, v)) = kin.limit_violation(to) {
        let (lo, hi) = (kin.lower[i].to_degrees(), kin.upper[i].to_degrees());
        let range = if lo == -hi { format!("±{hi:.0} deg") } else { format!("[{lo:.1}, {hi:.1}] deg") };
        return Err(Fault::new(
            FaultKind::LimitExceeded,
            format!("joint {} of arm `{}` at {:.1} deg is outside its limits {range}", i + 1, arm.name, v.to_degrees()),
        ));
    }
    let travel: Vec<f64> = (0..dof).map(|i| (to[i] - from[i]).abs()).collect();
    let widest = travel.iter().copied().fold(0.0, f64::max);
    let n = ((widest / JOINT_STEP).ceil() as usize).clamp(1, MAX_SAMPLES);
    let mut rise = 0.0;
    let start_tcp = arm.tcp_pose(from);
    let mut last_z = start_tcp.translation.vector.z;
    let mut samples = Samples::path(from, to, n);
    let mut joint_path = kin.joint_path(from, to, n);
    let (base_r, base_t) = (arm.base.rotation.to_rotation_matrix().into_inner(), arm.base.translation.vector);
    for k in 1..=n {
        let (flange, z) = joint_path.flange(k);
        let p = base_r * (flange + z * arm.tcp) + base_t;
        samples.tcps.push(p);
        check_keepouts(arm, keepouts, &p)?;
        rise += (p.z - last_z).max(0.0);
        last_z = p.z;
    }
    let speeds = &kin.max_speed;
    let duration = profile::joint_move_duration(from, to, speeds, speed_ratio);
    // The joint that sets the duration ramps for v/a of it (all joints share one acceleration).
    let slowest = (0..dof).max_by(|&i, &j| {
        let t = |k: usize| profile::trapezoid_duration(travel[k], speeds[k] * speed_ratio, profile::JOINT_ACCELERATION);
        t(i).total_cmp(&t(j))
    });
    let ramp = slowest.map_or(0.0, |i| ramp_share(speeds[i] * speed_ratio / profile::JOINT_ACCELERATION, duration));
    let joint_step = Some(travel.iter().map(|t| t / n as f64).collect());
    Ok(Plan { end: to.to_vec(), duration, travel, rise, samples, start_tcp, ramp, joint_step })
}

/// A joint-interpolated move of the TCP to `target` (target convention).
/// Among the IK solutions it takes the closest one `clear` accepts (the simulator passes its
/// collision model's check of the links at the end), else the closest one.
pub fn move_to(
    arm: &ArmFrame,
    keepouts: &[KeepOut],
    from: &[f64],
    target: &Pose,
    speed_ratio: f64,
    clear: &dyn Fn(&[f64]) -> bool,
) -> Result<Plan, Fault> {
    let flange = arm.flange_target(target);
    let q = arm
        .kinematics
        .ik_where(&flange, from, clear)
        .or_else(|| arm.kinematics.ik(&flange, from))
        .ok_or_else(|| arm.unreachable(target))?;
    joint_move(arm, keepouts, from, &q, speed_ratio)
}

/// A straight-line TCP move to `target` at `speed` m/s with a trapezoidal profile of acceleration
/// `accel`; rotation is interpolated along the way (slerp). Every sample must be reachable from
/// the previous one without an IK branch switch.
pub fn linear_move(
    arm: &ArmFrame,
    keepouts: &[KeepOut],
    from: &[f64],
    target: &Pose,
    speed: f64,
    accel: f64,
) -> Result<Plan, Fault> {
    if !(speed > 0.0 && speed.is_finite()) {
        return Err(Fault::new(
            FaultKind::LimitExceeded,
            format!("TCP speed {:.0} mm/s must be positive", speed * 1000.0),
        ));
    }
    // A target out of reach is reported as such, whatever else the line meets first. The line's
    // last sample is the target (to rounding), so a line whose samples all solve has a reachable
    // target, and the target's own IK is only needed when the line fails.
    line(arm, keepouts, from, target, speed, accel).map_err(|fault| {
        if arm.kinematics.ik(&arm.flange_target(target), from).is_none() { arm.unreachable(target) } else { fault }
    })
}

/// [`linear_move`] once the speed is checked.
fn line(
    arm: &ArmFrame,
    keepouts: &[KeepOut],
    from: &[f64],
    target: &Pose,
    speed: f64,
    accel: f64,
) -> Result<Plan, Fault> {
    let kin = arm.kinematics;
    let start = arm.tcp_pose(from);
    let (p0, p1) = (start.translation.vector, target.translation.vector);
    let length = (p1 - p0).norm();
    let turn = start.rotation.angle_to(&target.rotation);
    let n = ((length / LINEAR_STEP).ceil().max((turn / LINEAR_TURN_STEP).ceil()) as usize).clamp(1, MAX_SAMPLES);
    let mut q = from.to_vec();
    // The solution of each sample, swapped with `q`: no allocation per sample.
    let mut next = Vec::with_capacity(q.len());
    let mut travel = vec![0.0; kin.dof()];
    let mut joint_time = 0.0;
    let mut rise = 0.0;
    let mut last_z = p0.z;
    let mut samples = Samples::line(n, kin.dof());
    let exact = kin.exact_ik();
    for k in 1..=n {
        let s = k as f64 / n as f64;
        let rotation = start.rotation.try_slerp(&target.rotation, s, 1e-12).unwrap_or(target.rotation);
        let pose = Pose::from_parts(Translation3::from(p0 + (p1 - p0) * s), rotation);
        let p = pose.translation.vector;
        if !kin.ik_into(&arm.flange_target(&pose), &q, &mut next) {
            return Err(Fault::new(
                FaultKind::Unreachable,
                format!(
                    "the straight line to ({:.3}, {:.3}, {:.3}) m leaves the reach of arm `{}` at ({:.3}, {:.3}, {:.3}) m",
                    p1.x, p1.y, p1.z, arm.name, p.x, p.y, p.z
                ),
            ));
        }
        let mut slowest = 0.0_f64;
        for i in 0..kin.dof() {
            let d = (next[i] - q[i]).abs();
            if d > BRANCH_JUMP {
                return Err(Fault::new(
                    FaultKind::Unreachable,
                    format!(
                        "the straight line to ({:.3}, {:.3}, {:.3}) m passes a singularity of arm `{}` near ({:.3}, {:.3}, {:.3}) m",
                        p1.x, p1.y, p1.z, arm.name, p.x, p.y, p.z
                    ),
                ));
            }
            travel[i] += d;
            slowest = slowest.max(d / kin.max_speed[i]);
        }
        joint_time += slowest;
        check_keepouts(arm, keepouts, &p)?;
        rise += (p.z - last_z).max(0.0);
        last_z = p.z;
        // An exact IK puts the TCP at the line's point (to rounding): no forward kinematics.
        let tcp = if exact { p } else { arm.tcp_point(kin.flange_fast(&next)) };
        samples.push(&next, tcp);
        std::mem::swap(&mut q, &mut next);
    }
    let duration = profile::linear_move_duration(length, speed, accel, joint_time);
    // A move stretched for the joints is taken as the same profile, slowed down uniformly.
    let ramp = ramp_share(speed / accel, profile::trapezoid_duration(length, speed, accel));
    Ok(Plan { end: q, duration, travel, rise, samples, start_tcp: start, ramp, joint_step: None })
}

/// The share of a profile of `duration` spent accelerating, when reaching full speed takes
/// `to_full_speed`: at most half (a triangle profile never cruises).
fn ramp_share(to_full_speed: f64, duration: f64) -> f64 {
    if duration > 0.0 { (to_full_speed / duration).clamp(0.0, 0.5) } else { 0.0 }
}
