//! The UR kinematics as the simulator runs them, many thousand times an episode: the DH links with
//! their fixed parts computed once, forward kinematics with rotation matrices, and the analytic
//! inverse kinematics of `ur.rs` written with rotation matrices (one `sin_cos` per angle, no
//! quaternions). The results agree with [`UrDh`]'s to rounding; `tests.rs` checks both.

use super::trig::sin_cos;
use super::ur::{UrDh, nearest_equivalent, wrap};
use crate::backend::Pose;
use nalgebra::{Isometry3, Matrix3, Point3, Rotation3, Translation3, UnitQuaternion, Vector3};
use std::f64::consts::FRAC_PI_2;

/// A UR arm's DH table with the fixed part of each link transform, Tx(a) · Rx(α), computed once:
/// forward kinematics then costs one `sin_cos` per joint (of θ/2, for Rz(θ)) instead of two. The
/// products are the same operations as [`UrDh::link`] in the same order, so the poses are the same
/// bit for bit.
#[derive(Clone, Debug, PartialEq)]
pub struct UrModel {
    pub dh: UrDh,
    fixed: [Isometry3<f64>; 6],
    /// (cos α, sin α) of each link, exact for the twists of 0 and ±90° every UR has.
    alpha_cs: [(f64, f64); 6],
    /// Whether [`UrModel::flange_closed`] holds for this table.
    closed: bool,
}

/// Cosine and sine of a DH twist, with the values of 0 and ±90° exact (`(π/2).cos()` is 6e-17,
/// not 0): the matrix products then skip what those zeros cancel.
fn twist(alpha: f64) -> (f64, f64) {
    let snap = |v: f64| {
        if v.abs() < 1e-12 {
            0.0
        } else if (v.abs() - 1.0).abs() < 1e-12 {
            v.signum()
        } else {
            v
        }
    };
    (snap(alpha.cos()), snap(alpha.sin()))
}

/// Whether a table has the UR's shape, for which [`UrModel::flange_closed`] holds: twists of 90°,
/// 0, 0, 90°, −90°, 0, and no offsets but d1, a2, a3, d4, d5, d6.
fn ur_shape(dh: &UrDh, alpha_cs: &[(f64, f64); 6]) -> bool {
    let twists = [(0.0, 1.0), (1.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.0, -1.0), (1.0, 0.0)];
    let (d, a) = (&dh.d, &dh.a);
    *alpha_cs == twists && d[1] == 0.0 && d[2] == 0.0 && a[0] == 0.0 && a[3] == 0.0 && a[4] == 0.0 && a[5] == 0.0
}

impl UrModel {
    pub fn new(dh: UrDh) -> UrModel {
        let alpha_cs = std::array::from_fn(|i| twist(dh.alpha[i]));
        UrModel { fixed: std::array::from_fn(|i| dh.fixed(i)), closed: ur_shape(&dh, &alpha_cs), alpha_cs, dh }
    }

    /// Forward kinematics from the (sin θ, cos θ) of each joint, with rotation matrices: the
    /// origin of the base frame and of the frame after each link appended to `origins`, and the
    /// flange pose. The same frames as [`UrModel::frames_into`] up to rounding (about 1e-16 m; the
    /// tests check 1e-12), at a fraction of the cost: the path samples of a joint move use it,
    /// with sines and cosines stepped along the path instead of computed afresh.
    ///
    /// The axis of each joint (the z axis of the frame before its link; joint `i` turns about it
    /// through origin `i`) is appended to `axes`.
    pub fn frames_trig(
        &self,
        trig: &[(f64, f64); 6],
        origins: &mut Vec<Point3<f64>>,
        axes: &mut Vec<Vector3<f64>>,
    ) -> Pose {
        origins.push(Point3::origin());
        axes.push(Vector3::z());
        let mut joint = 1;
        let (p, r) = self.chain_trig(trig, |p, z| {
            origins.push(Point3::new(p[0], p[1], p[2]));
            // The frame after the last link is the flange's: no joint turns about its axis.
            if joint < 6 {
                axes.push(Vector3::new(z[0], z[1], z[2]));
            }
            joint += 1;
        });
        let rotation = UnitQuaternion::from_rotation_matrix(&Rotation3::from_matrix_unchecked(r));
        Pose::from_parts(Translation3::from(p), rotation)
    }

    /// The flange position and z axis, base frame, from the (sin θ, cos θ) of each joint: what the
    /// TCP position needs, without the rest of [`UrModel::frames_trig`].
    pub fn flange_trig(&self, trig: &[(f64, f64); 6]) -> (Vector3<f64>, Vector3<f64>) {
        if self.closed {
            return self.flange_closed(trig);
        }
        let (p, r) = self.chain_trig(trig, |_, _| {});
        (p, r.column(2).into_owned())
    }

    /// The frames of [`UrModel::frames_trig`] in closed form, for a table of the UR's shape
    /// (`None` otherwise): the origins (appended to `origins`), the joint axes (to `axes`), and
    /// the flange rotation and position, base frame. Worked out as in
    /// [`UrModel::flange_closed`]; the frame after link 5 turns x4 = c5 x3 + s5 y3 and
    /// y4 = −z3 about the flange z by θ6.
    pub fn frames_closed(
        &self,
        trig: &[(f64, f64); 6],
        origins: &mut Vec<Point3<f64>>,
        axes: &mut Vec<Vector3<f64>>,
    ) -> Option<(Matrix3<f64>, Vector3<f64>)> {
        if !self.closed {
            return None;
        }
        let (d, a) = (&self.dh.d, &self.dh.a);
        let [(s1, c1), (s2, c2), (s3, c3), (s4, c4), (s5, c5), (s6, c6)] = *trig;
        let (c23, s23) = (c2 * c3 - s2 * s3, s2 * c3 + c2 * s3);
        let (c234, s234) = (c23 * c4 - s23 * s4, s23 * c4 + c23 * s4);
        let z0 = Vector3::new(s1, -c1, 0.0);
        let x3 = Vector3::new(c1 * c234, s1 * c234, s234);
        let z3 = Vector3::new(c1 * s234, s1 * s234, -c234);
        let z4 = z0 * c5 - x3 * s5;
        let x4 = x3 * c5 + z0 * s5;
        let (x5, y5) = (x4 * c6 - z3 * s6, -z3 * c6 - x4 * s6);
        let o1 = Vector3::new(0.0, 0.0, d[0]);
        let o2 = o1 + Vector3::new(c1 * c2, s1 * c2, s2) * a[1];
        let o3 = o2 + Vector3::new(c1 * c23, s1 * c23, s23) * a[2];
        let o4 = o3 + z0 * d[3];
        let o5 = o4 + z3 * d[4];
        let o6 = o5 + z4 * d[5];
        origins.extend([Vector3::zeros(), o1, o2, o3, o4, o5, o6].map(Point3::from));
        axes.extend([Vector3::z(), z0, z0, z0, z3, z4]);
        Some((Matrix3::from_columns(&[x5, y5, z4]), o6))
    }

    /// The flange position and z axis of a UR in closed form: the product of
    /// [`UrModel::chain_trig`] multiplied out for the UR's twists (joints 2–4 are parallel, so only
    /// the sums θ2 + θ3 and θ2 + θ3 + θ4 appear), a fifth of the arithmetic. Worked from the chain:
    /// after link 1 the x, y and z axes are (c1, s1, 0), (0, 0, 1) and (s1, −c1, 0); links 2–4 turn
    /// x and y about that z; link 5 turns about the z of link 4, (c1 s234, s1 s234, −c234); the
    /// flange z is c5 (s1, −c1, 0) − s5 (c1 c234, s1 c234, s234).
    fn flange_closed(&self, trig: &[(f64, f64); 6]) -> (Vector3<f64>, Vector3<f64>) {
        let [(s1, c1), (s2, c2), (s3, c3), (s4, c4), (s5, c5), t6] = *trig;
        let (c23, s23) = (c2 * c3 - s2 * s3, s2 * c3 + c2 * s3);
        let (c234, s234) = (c23 * c4 - s23 * s4, s23 * c4 + c23 * s4);
        self.flange_sums(&[(s1, c1), (s2, c2), (s23, c23), (s234, c234), (s5, c5), t6])
    }

    /// Whether the closed forms hold for this table (a UR's shape).
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// [`UrModel::flange_closed`] from the (sin, cos) of θ1, θ2, θ2 + θ3, θ2 + θ3 + θ4, θ5 and θ6:
    /// a joint path steps those sums directly (`arms::JointPath`).
    pub fn flange_sums(&self, trig: &[(f64, f64); 6]) -> (Vector3<f64>, Vector3<f64>) {
        let (d, a) = (&self.dh.d, &self.dh.a);
        let [(s1, c1), (s2, c2), (s23, c23), (s234, c234), (s5, c5), _] = *trig;
        let z = Vector3::new(c5 * s1 - s5 * c1 * c234, -c5 * c1 - s5 * s1 * c234, -s5 * s234);
        let reach = a[1] * c2 + a[2] * c23 + d[4] * s234;
        let p =
            Vector3::new(c1 * reach + d[3] * s1, s1 * reach - d[3] * c1, d[0] + a[1] * s2 + a[2] * s23 - d[4] * c234);
        (p + z * d[5], z)
    }

    /// The product of the link transforms as a rotation matrix and a position, calling `frame`
    /// with the origin and z axis of each frame after the base.
    ///
    /// Plain arrays rather than nalgebra's matrices: this runs at every sample of every joint
    /// move, and the column views and constructors cost more than the arithmetic.
    fn chain_trig(
        &self,
        trig: &[(f64, f64); 6],
        mut frame: impl FnMut(&[f64; 3], &[f64; 3]),
    ) -> (Vector3<f64>, Matrix3<f64>) {
        let (mut r0, mut r1, mut r2) = ([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]);
        let mut p = [0.0; 3];
        for (i, &(s, c)) in trig.iter().enumerate() {
            let (ca, sa) = self.alpha_cs[i];
            // Rz(θ) · Rx(α) in the frame so far: x = R(c, s, 0); y and z turn about it by α.
            let x: [f64; 3] = std::array::from_fn(|k| r0[k] * c + r1[k] * s);
            let w: [f64; 3] = std::array::from_fn(|k| r1[k] * c - r0[k] * s);
            let (y, z) = match (ca, sa) {
                (1.0, 0.0) => (w, r2),
                (0.0, 1.0) => (r2, w.map(|v| -v)),
                (0.0, -1.0) => (r2.map(|v| -v), w),
                _ => (std::array::from_fn(|k| w[k] * ca + r2[k] * sa), std::array::from_fn(|k| r2[k] * ca - w[k] * sa)),
            };
            let (a, d) = (self.dh.a[i], self.dh.d[i]);
            p = std::array::from_fn(|k| p[k] + (x[k] * a + r2[k] * d));
            frame(&p, &z);
            (r0, r1, r2) = (x, y, z);
        }
        let r = Matrix3::new(r0[0], r1[0], r2[0], r0[1], r1[1], r2[1], r0[2], r1[2], r2[2]);
        (Vector3::from(p), r)
    }

    fn link(&self, i: usize, theta: f64) -> Isometry3<f64> {
        UrDh::turn(self.dh.d[i], theta) * self.fixed[i]
    }

    /// Forward kinematics: the flange pose in the base frame.
    pub fn fk(&self, q: &[f64; 6]) -> Pose {
        (0..6).fold(Pose::identity(), |t, i| t * self.link(i, q[i]))
    }

    /// The origin of the base frame and of the frame after each link (seven points, the last the
    /// flange's), appended to `origins`, and the flange pose: [`UrModel::fk`] and the origins of
    /// [`UrDh::frames`] from one pass.
    #[expect(clippy::assign_op_pattern, reason = "the product of `fk`'s fold, written the same way")]
    pub fn frames_into(&self, q: &[f64; 6], origins: &mut Vec<Point3<f64>>) -> Pose {
        let mut t = Pose::identity();
        origins.push(Point3::from(t.translation.vector));
        for (i, angle) in q.iter().enumerate() {
            t = t * self.link(i, *angle);
            origins.push(Point3::from(t.translation.vector));
        }
        t
    }

    /// A link transform from the (sin θ, cos θ) of its joint, as a rotation matrix and a position.
    fn link_rt(&self, i: usize, (s, c): (f64, f64)) -> Rt {
        let (ca, sa) = self.alpha_cs[i];
        let r = Matrix3::new(c, -s * ca, s * sa, s, c * ca, -c * sa, 0.0, sa, ca);
        Rt { r, p: Vector3::new(self.dh.a[i] * c, self.dh.a[i] * s, self.dh.d[i]) }
    }

    /// [`super::pose_error`] between the flange at `q` and `target`, with rotation matrices: the
    /// closed form for a UR's table, the angle from the matrices' difference (‖Ra − Rb‖ is
    /// 2√2 · sin(θ/2), precise for the small angles the IK check compares).
    fn error_at(&self, q: &[f64; 6], target: &Rt) -> (f64, f64) {
        let trig = q.map(sin_cos);
        let (r, p) = if self.closed {
            self.flange_rotation_closed(&trig)
        } else {
            let (p, r) = self.chain_trig(&trig, |_, _| {});
            (r, p)
        };
        let dr = 2.0 * ((r - target.r).norm() / (2.0 * std::f64::consts::SQRT_2)).min(1.0).asin();
        ((p - target.p).norm(), dr)
    }

    /// The flange rotation and position of a UR in closed form, as [`UrModel::frames_closed`]
    /// gives them without the other frames.
    fn flange_rotation_closed(&self, trig: &[(f64, f64); 6]) -> (Matrix3<f64>, Vector3<f64>) {
        let (d, a) = (&self.dh.d, &self.dh.a);
        let [(s1, c1), (s2, c2), (s3, c3), (s4, c4), (s5, c5), (s6, c6)] = *trig;
        let (c23, s23) = (c2 * c3 - s2 * s3, s2 * c3 + c2 * s3);
        let (c234, s234) = (c23 * c4 - s23 * s4, s23 * c4 + c23 * s4);
        let z0 = Vector3::new(s1, -c1, 0.0);
        let x3 = Vector3::new(c1 * c234, s1 * c234, s234);
        let z3 = Vector3::new(c1 * s234, s1 * s234, -c234);
        let z4 = z0 * c5 - x3 * s5;
        let x4 = x3 * c5 + z0 * s5;
        let (x5, y5) = (x4 * c6 - z3 * s6, -z3 * c6 - x4 * s6);
        let reach = a[1] * c2 + a[2] * c23 + d[4] * s234;
        let p =
            Vector3::new(c1 * reach + d[3] * s1, s1 * reach - d[3] * c1, d[0] + a[1] * s2 + a[2] * s23 - d[4] * c234);
        (Matrix3::from_columns(&[x5, y5, z4]), p + z4 * d[5])
    }

    /// All analytic solutions (angles in (-π, π]) for a flange pose, as [`UrDh::ik_all`] finds
    /// them, in the same order; `q6_free` is θ6 where the wrist is singular.
    pub fn ik_all(&self, target: &Pose, q6_free: f64) -> Solutions {
        let (d, a) = (&self.dh.d, &self.dh.a);
        let mut out = Solutions { q: [[0.0; 6]; 8], len: 0 };
        let t = Rt { r: *target.rotation.to_rotation_matrix().matrix(), p: target.translation.vector };
        let p06 = t.p;
        let z6 = t.r.column(2).into_owned();
        let p05 = p06 - d[5] * z6;
        let r = (p05.x * p05.x + p05.y * p05.y).sqrt();
        if r < d[3] {
            return out;
        }
        let psi = p05.y.atan2(p05.x);
        let phi = (d[3] / r).acos();
        // The x and y axes of the base in the flange frame: the first two rows of the rotation.
        let (x60, y60) =
            (Vector3::new(t.r[(0, 0)], t.r[(0, 1)], t.r[(0, 2)]), Vector3::new(t.r[(1, 0)], t.r[(1, 1)], t.r[(1, 2)]));
        for s1 in [1.0, -1.0] {
            let q1 = psi + s1 * phi + FRAC_PI_2;
            let (sin1, cos1) = sin_cos(q1);
            let c5 = (p06.x * sin1 - p06.y * cos1 - d[3]) / d[5];
            if c5.abs() > 1.0 + 1e-9 {
                continue;
            }
            let base5 = c5.clamp(-1.0, 1.0).acos();
            let from_base = self.link_rt(0, (sin1, cos1)).inverse().mul(&t);
            for s5 in [1.0, -1.0] {
                let q5 = s5 * base5;
                let trig5 = sin_cos(q5);
                let sin5 = trig5.0;
                let q6 = if sin5.abs() < 1e-9 {
                    q6_free
                } else {
                    ((-x60.y * sin1 + y60.y * cos1) / sin5).atan2((x60.x * sin1 - y60.x * cos1) / sin5)
                };
                let wrist = self.link_rt(4, trig5).mul(&self.link_rt(5, sin_cos(q6)));
                let t14 = from_base.mul(&wrist.inverse());
                // Joints 2–4 are parallel (about z1); the origin of frame 3 is d4 back along that axis.
                let (x, y) = (t14.p.x, t14.p.y);
                let c3 = (x * x + y * y - a[1] * a[1] - a[2] * a[2]) / (2.0 * a[1] * a[2]);
                if c3.abs() > 1.0 + 1e-9 {
                    continue;
                }
                let base3 = c3.clamp(-1.0, 1.0).acos();
                for s3 in [1.0, -1.0] {
                    let q3 = s3 * base3;
                    let trig3 = sin_cos(q3);
                    let q2 = y.atan2(x) - (a[2] * trig3.0).atan2(a[1] + a[2] * trig3.1);
                    let arm = self.link_rt(1, sin_cos(q2)).mul(&self.link_rt(2, trig3));
                    let r34 = arm.r.transpose() * t14.r;
                    let q4 = r34[(1, 0)].atan2(r34[(0, 0)]);
                    out.q[out.len] = [wrap(q1), wrap(q2), wrap(q3), wrap(q4), wrap(q5), wrap(q6)];
                    out.len += 1;
                }
            }
        }
        out
    }

    /// The solution for a flange pose inside `limits` (±rad) closest to `current` among those
    /// `accept` takes, as [`UrDh::ik_where`] chooses it: the least [`super::travel_cost`], the
    /// first in [`UrModel::ik_all`]'s order among equals.
    ///
    /// A branch and bound over the eight solutions: each choice of shoulder, wrist and elbow fixes
    /// some joints before the rest are solved, and the travel of those joints is a lower bound on
    /// the cost of every solution below; a branch whose bound exceeds the best cost so far is not
    /// solved. Branches are visited nearest first, so usually one solution is solved in full.
    pub fn ik_where(
        &self,
        target: &Pose,
        current: &[f64; 6],
        limits: &[f64; 6],
        accept: &dyn Fn(&[f64]) -> bool,
    ) -> Option<[f64; 6]> {
        let (d, a) = (&self.dh.d, &self.dh.a);
        let joint = |i: usize, raw: f64| nearest_equivalent(wrap(raw), current[i], limits[i]);
        // The travel of one joint: a lower bound on the cost of any solution with that angle.
        let travel = |i: usize, raw: f64| (joint(i, raw) - current[i]).abs();
        let mut best: Option<([f64; 6], f64, usize)> = None;
        let beaten = |best: &Option<([f64; 6], f64, usize)>, bound: f64| best.is_some_and(|(_, c, _)| bound > c);
        let t = Rt { r: *target.rotation.to_rotation_matrix().matrix(), p: target.translation.vector };
        let p06 = t.p;
        let p05 = p06 - d[5] * t.r.column(2).into_owned();
        let r = (p05.x * p05.x + p05.y * p05.y).sqrt();
        if r < d[3] {
            return None;
        }
        let psi = p05.y.atan2(p05.x);
        let phi = (d[3] / r).acos();
        let (x60, y60) =
            (Vector3::new(t.r[(0, 0)], t.r[(0, 1)], t.r[(0, 2)]), Vector3::new(t.r[(1, 0)], t.r[(1, 1)], t.r[(1, 2)]));
        let shoulders = [1.0, -1.0].map(|s1: f64| {
            let q1 = psi + s1 * phi + FRAC_PI_2;
            (q1, travel(0, q1))
        });
        for i1 in nearest_first(shoulders.map(|(_, b)| b)) {
            let (q1, bound1) = shoulders[i1];
            if beaten(&best, bound1) {
                continue;
            }
            let (sin1, cos1) = sin_cos(q1);
            let c5 = (p06.x * sin1 - p06.y * cos1 - d[3]) / d[5];
            if c5.abs() > 1.0 + 1e-9 {
                continue;
            }
            let base5 = c5.clamp(-1.0, 1.0).acos();
            let wrists = [1.0, -1.0].map(|s5: f64| {
                let q5 = s5 * base5;
                let trig5 = sin_cos(q5);
                let sin5 = trig5.0;
                let q6 = if sin5.abs() < 1e-9 {
                    current[5]
                } else {
                    ((-x60.y * sin1 + y60.y * cos1) / sin5).atan2((x60.x * sin1 - y60.x * cos1) / sin5)
                };
                (q5, trig5, q6, bound1.max(travel(4, q5)).max(travel(5, q6)))
            });
            let mut from_base = None;
            for i5 in nearest_first(wrists.map(|w| w.3)) {
                let (q5, trig5, q6, bound5) = wrists[i5];
                if beaten(&best, bound5) {
                    continue;
                }
                let from_base = *from_base.get_or_insert_with(|| self.link_rt(0, (sin1, cos1)).inverse().mul(&t));
                let wrist = self.link_rt(4, trig5).mul(&self.link_rt(5, sin_cos(q6)));
                let t14 = from_base.mul(&wrist.inverse());
                let (x, y) = (t14.p.x, t14.p.y);
                let c3 = (x * x + y * y - a[1] * a[1] - a[2] * a[2]) / (2.0 * a[1] * a[2]);
                if c3.abs() > 1.0 + 1e-9 {
                    continue;
                }
                let base3 = c3.clamp(-1.0, 1.0).acos();
                let elbows = [1.0, -1.0].map(|s3: f64| s3 * base3);
                for i3 in nearest_first(elbows.map(|q3| bound5.max(travel(2, q3)))) {
                    let q3 = elbows[i3];
                    if beaten(&best, bound5.max(travel(2, q3))) {
                        continue;
                    }
                    let trig3 = sin_cos(q3);
                    let q2 = y.atan2(x) - (a[2] * trig3.0).atan2(a[1] + a[2] * trig3.1);
                    let arm = self.link_rt(1, sin_cos(q2)).mul(&self.link_rt(2, trig3));
                    let r34 = arm.r.transpose() * t14.r;
                    let q4 = r34[(1, 0)].atan2(r34[(0, 0)]);
                    let q = [joint(0, q1), joint(1, q2), joint(2, q3), joint(3, q4), joint(4, q5), joint(5, q6)];
                    if !q.iter().zip(limits).all(|(v, lim)| v.is_finite() && v.abs() <= lim + 1e-9) {
                        continue;
                    }
                    let cost = super::travel_cost(&q, current);
                    let index = 4 * i1 + 2 * i5 + i3;
                    let better = best.is_none_or(|(_, c, at)| cost < c || (cost == c && index < at));
                    if !better {
                        continue;
                    }
                    let (dp, dr) = self.error_at(&q, &t);
                    if dp > 1e-7 || dr > 1e-6 || !accept(&q) {
                        continue;
                    }
                    best = Some((q, cost, index));
                }
            }
        }
        best.map(|(q, _, _)| q)
    }
}

/// The two branches of a choice, the one with the smaller bound first (the first on a tie).
fn nearest_first(bounds: [f64; 2]) -> [usize; 2] {
    if bounds[1] < bounds[0] { [1, 0] } else { [0, 1] }
}

/// Up to eight IK solutions, without an allocation.
pub struct Solutions {
    q: [[f64; 6]; 8],
    len: usize,
}

impl Solutions {
    pub fn as_slice(&self) -> &[[f64; 6]] {
        &self.q[..self.len]
    }
}

/// A rigid transform as a rotation matrix and a translation.
#[derive(Clone, Copy, Debug)]
struct Rt {
    r: Matrix3<f64>,
    p: Vector3<f64>,
}

impl Rt {
    fn mul(&self, o: &Rt) -> Rt {
        Rt { r: self.r * o.r, p: self.p + self.r * o.p }
    }

    fn inverse(&self) -> Rt {
        let rt = self.r.transpose();
        Rt { r: rt, p: -(rt * self.p) }
    }
}
