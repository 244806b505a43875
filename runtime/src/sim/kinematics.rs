//! UR5e kinematics: the published DH table, joint limits and speeds, forward kinematics, and the
//! analytic inverse kinematics of the UR family (eight solutions, closest valid one wins).
//!
//! All poses here are of the flange in the arm's base frame; tool offsets and the world frame are
//! the simulator's business.

use crate::backend::Pose;
use nalgebra::{Isometry3, Translation3, UnitQuaternion, Vector3};
use std::f64::consts::{FRAC_PI_2, PI, TAU};

/// Standard DH parameters of the UR5e, from Universal Robots' "DH parameters for calculations of
/// kinematics and dynamics" (metres and radians).
pub const D: [f64; 6] = [0.1625, 0.0, 0.0, 0.1333, 0.0997, 0.0996];
pub const A: [f64; 6] = [0.0, -0.425, -0.3922, 0.0, 0.0, 0.0];
pub const ALPHA: [f64; 6] = [FRAC_PI_2, 0.0, 0.0, FRAC_PI_2, -FRAC_PI_2, 0.0];

/// Joint limits, ±rad. The UR5e data sheet gives ±360° for every joint; the elbow is ±180° as in
/// Universal Robots' `ur_description` (config/ur5e/joint_limits.yaml), because beyond that the
/// forearm hits the upper arm.
pub const JOINT_LIMITS: [f64; 6] = [TAU, TAU, PI, TAU, TAU, TAU];

/// Maximum joint speeds, rad/s: 180°/s on every joint (UR5e data sheet; `joint_limits.yaml` gives
/// 3.14 rad/s for all six).
pub const MAX_JOINT_SPEED: [f64; 6] = [PI; 6];

/// Published reach of the UR5e (850 mm), used in messages.
pub const REACH: f64 = 0.85;

/// One DH link transform: Rz(θ) · Tz(d) · Tx(a) · Rx(α).
fn link(i: usize, theta: f64) -> Isometry3<f64> {
    Isometry3::from_parts(Translation3::new(0.0, 0.0, D[i]), UnitQuaternion::from_axis_angle(&Vector3::z_axis(), theta))
        * Isometry3::from_parts(
            Translation3::new(A[i], 0.0, 0.0),
            UnitQuaternion::from_axis_angle(&Vector3::x_axis(), ALPHA[i]),
        )
}

/// Forward kinematics: the flange pose in the base frame.
pub fn fk(q: &[f64; 6]) -> Pose {
    (0..6).fold(Pose::identity(), |t, i| t * link(i, q[i]))
}

/// Whether every joint is inside its limits.
pub fn within_limits(q: &[f64; 6]) -> bool {
    q.iter().zip(JOINT_LIMITS).all(|(v, lim)| v.is_finite() && v.abs() <= lim + 1e-9)
}

/// Wrap an angle into (-π, π].
fn wrap(a: f64) -> f64 {
    let w = a.rem_euclid(TAU);
    if w > PI { w - TAU } else { w }
}

/// All analytic solutions (angles in (-π, π]) for a flange pose; `q6_free` is used for θ6 when the
/// wrist is singular (θ5 = 0), where any θ6 works.
pub fn ik_all(target: &Pose, q6_free: f64) -> Vec<[f64; 6]> {
    let mut out = Vec::new();
    let p06 = target.translation.vector;
    // Origin of frame 5: back from the flange along its z axis.
    let z6 = target.rotation * Vector3::z();
    let p05 = p06 - D[5] * z6;
    let r = (p05.x * p05.x + p05.y * p05.y).sqrt();
    if r < D[3] {
        return out;
    }
    let psi = p05.y.atan2(p05.x);
    let phi = (D[3] / r).acos();
    let inv = target.inverse();
    let r60 = inv.rotation.to_rotation_matrix();
    let (x60, y60) = (r60.matrix().column(0).into_owned(), r60.matrix().column(1).into_owned());
    for s1 in [1.0, -1.0] {
        let q1 = psi + s1 * phi + FRAC_PI_2;
        let (sin1, cos1) = q1.sin_cos();
        let c5 = (p06.x * sin1 - p06.y * cos1 - D[3]) / D[5];
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
            let c3 = (x * x + y * y - A[1] * A[1] - A[2] * A[2]) / (2.0 * A[1] * A[2]);
            if c3.abs() > 1.0 + 1e-9 {
                continue;
            }
            let base3 = c3.clamp(-1.0, 1.0).acos();
            for s3 in [1.0, -1.0] {
                let q3 = s3 * base3;
                let q2 = y.atan2(x) - (A[2] * q3.sin()).atan2(A[1] + A[2] * q3.cos());
                let t34 = (link(1, q2) * link(2, q3)).inverse() * t14;
                let r34 = t34.rotation.to_rotation_matrix();
                let q4 = r34.matrix()[(1, 0)].atan2(r34.matrix()[(0, 0)]);
                out.push([wrap(q1), wrap(q2), wrap(q3), wrap(q4), wrap(q5), wrap(q6)]);
            }
        }
    }
    out
}

/// Position and orientation error between two poses: metres, and radians.
pub fn pose_error(a: &Pose, b: &Pose) -> (f64, f64) {
    ((a.translation.vector - b.translation.vector).norm(), a.rotation.angle_to(&b.rotation))
}

/// The inverse-kinematics solution for a flange pose that is inside the joint limits and closest
/// to `current` (each joint taken at the 2π-equivalent angle nearest its current value), or `None`
/// when the pose cannot be reached.
pub fn ik(target: &Pose, current: &[f64; 6]) -> Option<[f64; 6]> {
    let mut best: Option<([f64; 6], f64)> = None;
    for raw in ik_all(target, current[5]) {
        let mut q = [0.0; 6];
        for i in 0..6 {
            q[i] = nearest_equivalent(raw[i], current[i], JOINT_LIMITS[i]);
        }
        if !within_limits(&q) {
            continue;
        }
        let (dp, dr) = pose_error(&fk(&q), target);
        if dp > 1e-7 || dr > 1e-6 {
            continue;
        }
        // The largest joint travel sets the move time, so it decides; the sum breaks ties.
        let max = (0..6).map(|i| (q[i] - current[i]).abs()).fold(0.0, f64::max);
        let sum: f64 = (0..6).map(|i| (q[i] - current[i]).abs()).sum();
        let cost = max + 1e-3 * sum;
        if best.is_none_or(|(_, c)| cost < c) {
            best = Some((q, cost));
        }
    }
    best.map(|(q, _)| q)
}

/// The angle `a + 2πk` closest to `near` with |result| ≤ `limit`.
fn nearest_equivalent(a: f64, near: f64, limit: f64) -> f64 {
    let k = ((near - a) / TAU).round();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::Rng;

    fn close(a: Vector3<f64>, b: [f64; 3]) {
        assert!((a - Vector3::from(b)).norm() < 1e-12, "{a:?} vs {b:?}");
    }

    /// Worked by hand from the DH table: at q = 0 each Rz is the identity, so the origin moves
    /// d1 up, a2 and a3 along x (both negative), then d4 along z3 = −y0 (Rx(π/2) of link 1 turned
    /// z into −y), d5 along z4 = −z0, d6 along z5 = −y0. The flange z axis ends along −y0.
    #[test]
    fn fk_at_zero_matches_the_dh_table_by_hand() {
        let t = fk(&[0.0; 6]);
        close(t.translation.vector, [A[1] + A[2], -(D[3] + D[5]), D[0] - D[4]]);
        close(t.rotation * Vector3::z(), [0.0, -1.0, 0.0]);
        close(t.rotation * Vector3::x(), [1.0, 0.0, 0.0]);
    }

    /// Upright arm, q = (0, −90°, 0, −90°, 0, 0): turning −90° about z1 = −y0 points x2 up, so a2 and
    /// a3 (negative) both go up: z = d1 + |a2| + |a3|; θ4 = −90° turns x4 to −x0 and z4 to +z0, so d5
    /// goes up too; d4 and d6 both go along −y0. This is the familiar 1.0794 m "candle" height.
    #[test]
    fn fk_upright_matches_the_dh_table_by_hand() {
        let t = fk(&[0.0, -FRAC_PI_2, 0.0, -FRAC_PI_2, 0.0, 0.0]);
        close(t.translation.vector, [0.0, -(D[3] + D[5]), D[0] - A[1] - A[2] + D[4]]);
        close(t.rotation * Vector3::z(), [0.0, -1.0, 0.0]);
    }

    /// θ1 is a pure rotation about the base z axis: turning it by 90° turns the zero pose with it.
    #[test]
    fn fk_base_rotation_turns_the_whole_arm() {
        let t = fk(&[FRAC_PI_2, 0.0, 0.0, 0.0, 0.0, 0.0]);
        close(t.translation.vector, [D[3] + D[5], A[1] + A[2], D[0] - D[4]]);
    }

    fn random_q(rng: &mut Rng) -> [f64; 6] {
        let mut q = [0.0; 6];
        for (i, v) in q.iter_mut().enumerate() {
            let lim = if i == 2 { 2.8 } else { PI };
            *v = rng.uniform(-lim, lim);
        }
        q
    }

    #[test]
    fn ik_round_trips_at_many_random_reachable_poses() {
        let mut rng = Rng::new(42);
        let mut checked = 0;
        for _ in 0..2000 {
            let q = random_q(&mut rng);
            let target = fk(&q);
            // Seed from a perturbed configuration, as a move from nearby would.
            let mut seed = q;
            for v in &mut seed {
                *v += rng.uniform(-0.3, 0.3);
            }
            let Some(sol) = ik(&target, &seed) else {
                // Only poses at a wrist or shoulder singularity may be missed.
                let s5 = q[4].sin().abs();
                assert!(s5 < 1e-3, "no IK solution for reachable q = {q:?}");
                continue;
            };
            let (dp, dr) = pose_error(&fk(&sol), &target);
            assert!(dp < 1e-6 && dr < 1e-6, "round trip error {dp} m, {dr} rad at q = {q:?}");
            assert!(within_limits(&sol));
            checked += 1;
        }
        assert!(checked > 1900);
    }

    #[test]
    fn ik_picks_the_configuration_it_started_from() {
        let q = [0.3, -1.2, 1.4, -1.8, -1.5, 0.2];
        let sol = ik(&fk(&q), &q).expect("reachable");
        for i in 0..6 {
            assert!((sol[i] - q[i]).abs() < 1e-6, "joint {i}: {} vs {}", sol[i], q[i]);
        }
    }

    #[test]
    fn ik_gives_up_outside_the_workspace() {
        let far = Pose::translation(0.9, 0.1, 0.05);
        assert!(ik(&far, &[0.0, -FRAC_PI_2, FRAC_PI_2, -FRAC_PI_2, -FRAC_PI_2, 0.0]).is_none());
        assert!(ik_all(&Pose::translation(1.5, 0.0, 0.3), 0.0).is_empty());
    }
}
