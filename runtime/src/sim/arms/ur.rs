//! The Universal Robots e-series (UR5e, UR10e): published DH tables, joint limits and speeds,
//! forward kinematics, and the analytic inverse kinematics of the UR family (eight solutions).
//!
//! Poses are of the flange in the arm's base frame.

use crate::backend::Pose;
use nalgebra::{Isometry3, Translation3, UnitQuaternion, Vector3};
use std::f64::consts::{FRAC_PI_2, PI, TAU};

/// A UR arm's standard DH table (metres and radians).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UrDh {
    pub d: [f64; 6],
    pub a: [f64; 6],
    pub alpha: [f64; 6],
}

const UR_ALPHA: [f64; 6] = [FRAC_PI_2, 0.0, 0.0, FRAC_PI_2, -FRAC_PI_2, 0.0];

/// UR5e, from Universal Robots' "DH parameters for calculations of kinematics and dynamics".
pub const UR5E: UrDh =
    UrDh { d: [0.1625, 0.0, 0.0, 0.1333, 0.0997, 0.0996], a: [0.0, -0.425, -0.3922, 0.0, 0.0, 0.0], alpha: UR_ALPHA };

/// UR10e, from the same Universal Robots page.
pub const UR10E: UrDh = UrDh {
    d: [0.1807, 0.0, 0.0, 0.17415, 0.11985, 0.11655],
    a: [0.0, -0.6127, -0.57155, 0.0, 0.0, 0.0],
    alpha: UR_ALPHA,
};

/// Joint limits of both, ±rad: the data sheets give ±360° for every joint; the elbow is ±180° as
/// in Universal Robots' `ur_description` (config/ur5e and ur10e/joint_limits.yaml), because beyond
/// that the forearm hits the upper arm.
pub const UR_JOINT_LIMITS: [f64; 6] = [TAU, TAU, PI, TAU, TAU, TAU];

/// UR5e maximum joint speeds, rad/s: 180°/s on every joint (UR5e data sheet; `joint_limits.yaml`
/// gives 3.14 rad/s for all six).
pub const UR5E_MAX_JOINT_SPEED: [f64; 6] = [PI; 6];

/// UR10e maximum joint speeds, rad/s: base and shoulder 120°/s, elbow and wrists 180°/s (UR10e data
/// sheet; `ur_description` config/ur10e/joint_limits.yaml: 2.0944 and 3.1416 rad/s).
pub const UR10E_MAX_JOINT_SPEED: [f64; 6] = [2.0 * PI / 3.0, 2.0 * PI / 3.0, PI, PI, PI, PI];

/// Published reaches (850 mm and 1300 mm), used in messages.
pub const UR5E_REACH: f64 = 0.85;
pub const UR10E_REACH: f64 = 1.3;

/// Maximum TCP speed of the e-series, m/s: "TCP speed: 1 m/s" on the UR5e and UR10e data sheets
/// (the safety system accepts up to 5 m/s, but the arm's own motion is rated at 1 m/s).
pub const UR_MAX_TCP_SPEED: f64 = 1.0;

impl UrDh {
    /// Rz(θ) · Tz(d): the part of a link transform that turns with its joint.
    pub(super) fn turn(d: f64, theta: f64) -> Isometry3<f64> {
        Isometry3::from_parts(
            Translation3::new(0.0, 0.0, d),
            UnitQuaternion::from_axis_angle(&Vector3::z_axis(), theta),
        )
    }

    /// Tx(a) · Rx(α): the fixed part of link `i`.
    pub(super) fn fixed(&self, i: usize) -> Isometry3<f64> {
        Isometry3::from_parts(
            Translation3::new(self.a[i], 0.0, 0.0),
            UnitQuaternion::from_axis_angle(&Vector3::x_axis(), self.alpha[i]),
        )
    }

    /// One DH link transform: Rz(θ) · Tz(d) · Tx(a) · Rx(α).
    fn link(&self, i: usize, theta: f64) -> Isometry3<f64> {
        UrDh::turn(self.d[i], theta) * self.fixed(i)
    }

    /// Forward kinematics: the flange pose in the base frame.
    pub fn fk(&self, q: &[f64; 6]) -> Pose {
        (0..6).fold(Pose::identity(), |t, i| t * self.link(i, q[i]))
    }

    /// The base frame and the frame after each link (the last is the flange).
    pub fn frames(&self, q: &[f64; 6]) -> Vec<Pose> {
        let mut out = Vec::with_capacity(7);
        out.push(Pose::identity());
        for i in 0..6 {
            let next = out[i] * self.link(i, q[i]);
            out.push(next);
        }
        out
    }

    /// All analytic solutions (angles in (-π, π]) for a flange pose; `q6_free` is used for θ6 when
    /// the wrist is singular (θ5 = 0), where any θ6 works.
    pub fn ik_all(&self, target: &Pose, q6_free: f64) -> Vec<[f64; 6]> {
        self.ik_all_with(target, q6_free, &|i, theta| self.link(i, theta))
    }

    /// [`UrDh::ik_all`] with the link transforms `link` gives (the same values, maybe cached).
    fn ik_all_with(&self, target: &Pose, q6_free: f64, link: &dyn Fn(usize, f64) -> Isometry3<f64>) -> Vec<[f64; 6]> {
        let (d, a) = (&self.d, &self.a);
        let mut out = Vec::new();
        let p06 = target.translation.vector;
        // Origin of frame 5: back from the flange along its z axis.
        let z6 = target.rotation * Vector3::z();
        let p05 = p06 - d[5] * z6;
        let r = (p05.x * p05.x + p05.y * p05.y).sqrt();
        if r < d[3] {
            return out;
        }
        let psi = p05.y.atan2(p05.x);
        let phi = (d[3] / r).acos();
        let inv = target.inverse();
        let r60 = inv.rotation.to_rotation_matrix();
        let (x60, y60) = (r60.matrix().column(0).into_owned(), r60.matrix().column(1).into_owned());
        for s1 in [1.0, -1.0] {
            let q1 = psi + s1 * phi + FRAC_PI_2;
            let (sin1, cos1) = q1.sin_cos();
            let c5 = (p06.x * sin1 - p06.y * cos1 - d[3]) / d[5];
            if c5.abs() > 1.0 + 1e-9 {
                continue;
            }
            let base5 = c5.clamp(-1.0, 1.0).acos();
            for s5 in [1.0, -1.0] {
                let q5 = s5 * base5;
                let sin5 = q5.sin();
                let q6 = if sin5.abs() < 1e-9 {
                    q6_free
                } else {
                    ((-x60.y * sin1 + y60.y * cos1) / sin5).atan2((x60.x * sin1 - y60.x * cos1) / sin5)
                };
                let t14 = link(0, q1).inverse() * target * (link(4, q5) * link(5, q6)).inverse();
                // Joints 2–4 are parallel (about z1); the origin of frame 3 is d4 back along that axis.
                let (x, y) = (t14.translation.vector.x, t14.translation.vector.y);
                let c3 = (x * x + y * y - a[1] * a[1] - a[2] * a[2]) / (2.0 * a[1] * a[2]);
                if c3.abs() > 1.0 + 1e-9 {
                    continue;
                }
                let base3 = c3.clamp(-1.0, 1.0).acos();
                for s3 in [1.0, -1.0] {
                    let q3 = s3 * base3;
                    let q2 = y.atan2(x) - (a[2] * q3.sin()).atan2(a[1] + a[2] * q3.cos());
                    let t34 = (link(1, q2) * link(2, q3)).inverse() * t14;
                    let r34 = t34.rotation.to_rotation_matrix();
                    let q4 = r34.matrix()[(1, 0)].atan2(r34.matrix()[(0, 0)]);
                    out.push([wrap(q1), wrap(q2), wrap(q3), wrap(q4), wrap(q5), wrap(q6)]);
                }
            }
        }
        out
    }

    /// The solution for a flange pose inside `limits` (±rad) closest to `current` (each joint taken
    /// at the 2π-equivalent angle nearest its current value), or `None` when the pose cannot be
    /// reached inside the limits.
    pub fn ik(&self, target: &Pose, current: &[f64; 6], limits: &[f64; 6]) -> Option<[f64; 6]> {
        self.ik_where(target, current, limits, &|_| true)
    }

    /// As [`UrDh::ik`], among the solutions `accept` takes (the simulator's collision model refuses
    /// configurations with a link through the table or a fixture).
    pub fn ik_where(
        &self,
        target: &Pose,
        current: &[f64; 6],
        limits: &[f64; 6],
        accept: &dyn Fn(&[f64]) -> bool,
    ) -> Option<[f64; 6]> {
        self.ik_with(target, current, limits, accept, &|q| self.fk(q), &|i, t| self.link(i, t))
    }

    /// [`UrDh::ik_where`] with the forward kinematics that verifies each solution and the link
    /// transforms given (the same values, maybe cached).
    pub(super) fn ik_with(
        &self,
        target: &Pose,
        current: &[f64; 6],
        limits: &[f64; 6],
        accept: &dyn Fn(&[f64]) -> bool,
        fk: &dyn Fn(&[f64; 6]) -> Pose,
        link: &dyn Fn(usize, f64) -> Isometry3<f64>,
    ) -> Option<[f64; 6]> {
        let mut best: Option<([f64; 6], f64)> = None;
        for raw in self.ik_all_with(target, current[5], link) {
            let mut q = [0.0; 6];
            for i in 0..6 {
                q[i] = nearest_equivalent(raw[i], current[i], limits[i]);
            }
            if !q.iter().zip(limits).all(|(v, lim)| v.is_finite() && v.abs() <= lim + 1e-9) {
                continue;
            }
            // A solution no closer than the best so far cannot replace it: its FK check is skipped
            // (the cost does not depend on it, so the choice is the same).
            let cost = super::travel_cost(&q, current);
            if best.is_some_and(|(_, c)| cost.partial_cmp(&c) != Some(std::cmp::Ordering::Less)) {
                continue;
            }
            let (dp, dr) = super::pose_error(&fk(&q), target);
            if dp > 1e-7 || dr > 1e-6 {
                continue;
            }
            if accept(&q) {
                best = Some((q, cost));
            }
        }
        best.map(|(q, _)| q)
    }
}

/// Wrap an angle into (-π, π].
pub(super) fn wrap(a: f64) -> f64 {
    if a > -PI && a <= PI {
        return a;
    }
    let w = a.rem_euclid(TAU);
    if w > PI { w - TAU } else { w }
}

/// The angle `a + 2πk` closest to `near` with |result| ≤ `limit`.
pub(super) fn nearest_equivalent(a: f64, near: f64, limit: f64) -> f64 {
    // Rounded by adding and subtracting 1.5 · 2^52 (no library call): ties may go the other way
    // than `f64::round`, which the neighbours k ± 1 tried below make no difference.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let k = ((near - a) / TAU + ROUND) - ROUND;
    let mut best = a;
    let mut best_d = f64::INFINITY;
    for dk in [-1.0, 0.0, 1.0] {
        let c = a + (k + dk) * TAU;
        if c.abs() <= limit + 1e-9 && (c - near).abs() < best_d {
            best = c;
            best_d = (c - near).abs();
        }
    }
    best
}
