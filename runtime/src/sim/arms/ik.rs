//! Numeric inverse kinematics for serial chains: damped least squares on the geometric Jacobian,
//! seeded from the current configuration, with the redundancy of a 7-joint arm resolved toward the
//! current configuration, joints clamped into their limits at every step; when the seed's solution
//! is far or missing, a walk of the pose from where it is and deterministic restarts compete.

use super::chain::Chain;
use crate::backend::Pose;
use crate::sim::rng::Rng;
use nalgebra::{DVector, Matrix6, Vector6};
use std::f64::consts::TAU;

/// Iterations per start; a start from a nearby configuration converges in a handful.
const MAX_ITERATIONS: usize = 150;
/// Damping λ² of the least-squares step: small, so that convergence near a solution is fast; it
/// keeps steps bounded near singularities.
const DAMPING: f64 = 1e-6;
/// Largest change of any joint in one step, rad.
const MAX_STEP: f64 = 0.25;
/// Gain of the null-space pull toward the current configuration.
const NULL_GAIN: f64 = 0.2;
/// The pull applies while the pose error is above this (m and rad together).
const NULL_UNTIL: f64 = 1e-4;
/// A start has converged when the pose error is below these (m, rad).
const CONVERGED_POSITION: f64 = 1e-11;
const CONVERGED_ROTATION: f64 = 1e-11;
/// A solution is accepted when the error it ends with is below these (m, rad): the same tolerance
/// as the analytic UR solver.
const ACCEPT_POSITION: f64 = 1e-7;
const ACCEPT_ROTATION: f64 = 1e-6;
/// Further starts when the seed fails, spread over the joint ranges by a fixed-seed generator so
/// that the result never depends on anything but the inputs.
const RESTARTS: usize = 24;
const RESTART_SEED: u64 = 0x1C0F_FEE5;
/// A seed solution no joint of which moves further than this (rad, plus a thousandth of the sum)
/// is taken at once; a longer way round may hide a nearer branch, so the restarts are tried too.
const LOCAL_ENOUGH: f64 = 0.5;
/// Steps from the current flange pose to the target when following the pose there.
const FOLLOW_STEPS: usize = 8;

/// The joint limits a solution must respect, rad.
#[derive(Clone, Copy, Debug)]
pub struct Bounds<'a> {
    pub lower: &'a [f64],
    pub upper: &'a [f64],
}

impl Bounds<'_> {
    /// Each joint turned by whole turns to the angle nearest its current one that is inside its
    /// limits: the same flange pose, less travel (a joint with more than a turn of range has
    /// several angles for one pose).
    fn nearest_turn(&self, mut q: Vec<f64>, current: &[f64]) -> Vec<f64> {
        for (i, v) in q.iter_mut().enumerate() {
            let k = ((current[i] - *v) / TAU).round();
            let best = [k - 1.0, k, k + 1.0]
                .into_iter()
                .map(|k| *v + k * TAU)
                .filter(|c| *c >= self.lower[i] && *c <= self.upper[i])
                .min_by(|a, b| (a - current[i]).abs().total_cmp(&(b - current[i]).abs()));
            if let Some(b) = best {
                *v = b;
            }
        }
        q
    }

    fn clamp(&self, q: &mut [f64]) {
        for (i, v) in q.iter_mut().enumerate() {
            *v = v.clamp(self.lower[i], self.upper[i]);
        }
    }
}

/// The solution inside `bounds` for a flange pose, closest to `current`: the seed's own solution
/// when it converges near `current` (the common case: the steps of a straight line, short moves),
/// else the closest among it and the restarts. `None` when no start reaches the pose inside the
/// limits.
pub fn solve(chain: &Chain, bounds: Bounds, target: &Pose, current: &[f64]) -> Option<Vec<f64>> {
    let n = chain.dof();
    // Beyond the sum of the link offsets nothing can be reached: skip the restarts.
    if current.len() != n || target.translation.vector.norm() > chain.reach_bound() + 1e-6 {
        return None;
    }
    let mut rest = current.to_vec();
    bounds.clamp(&mut rest);
    let mut best: Option<(Vec<f64>, f64)> = None;
    if let Some(q) = converge(chain, bounds, target, &rest, &rest).map(|q| bounds.nearest_turn(q, current)) {
        let cost = super::travel_cost(&q, current);
        if cost <= LOCAL_ENOUGH {
            return Some(q);
        }
        best = Some((q, cost));
    }
    // Follow the pose from where the flange is to the target in small steps, each solved from the
    // last: this stays on the current configuration's branch, which a far seed may leave.
    if let Some(q) = follow(chain, bounds, target, &rest).map(|q| bounds.nearest_turn(q, current)) {
        let cost = super::travel_cost(&q, current);
        if best.as_ref().is_none_or(|(_, c)| cost < *c) {
            best = Some((q, cost));
        }
    }
    let mut rng = Rng::new(RESTART_SEED);
    for _ in 0..RESTARTS {
        let seed: Vec<f64> = (0..n).map(|i| rng.uniform(bounds.lower[i], bounds.upper[i])).collect();
        if let Some(q) = converge(chain, bounds, target, &seed, &rest).map(|q| bounds.nearest_turn(q, current)) {
            let cost = super::travel_cost(&q, current);
            if best.as_ref().is_none_or(|(_, c)| cost < *c) {
                best = Some((q, cost));
            }
        }
    }
    best.map(|(q, _)| q)
}

/// Solve along the straight line (and slerp) from the flange pose at `from` to `target`.
fn follow(chain: &Chain, bounds: Bounds, target: &Pose, from: &[f64]) -> Option<Vec<f64>> {
    let start = chain.fk(from);
    let mut q = from.to_vec();
    for k in 1..=FOLLOW_STEPS {
        let s = k as f64 / FOLLOW_STEPS as f64;
        let p = start.translation.vector.lerp(&target.translation.vector, s);
        let r = start.rotation.try_slerp(&target.rotation, s, 1e-9).unwrap_or(target.rotation);
        let pose = Pose::from_parts(p.into(), r);
        q = converge(chain, bounds, &pose, &q, &q)?;
    }
    Some(q)
}

/// Pose error as a 6-vector: position (m) and rotation vector (rad), both in the base frame.
fn error(target: &Pose, at: &Pose) -> Vector6<f64> {
    let dp = target.translation.vector - at.translation.vector;
    let dr = (target.rotation * at.rotation.inverse()).scaled_axis();
    Vector6::new(dp.x, dp.y, dp.z, dr.x, dr.y, dr.z)
}

/// One damped-least-squares descent from `seed`; the null-space term pulls toward `rest`.
fn converge(chain: &Chain, bounds: Bounds, target: &Pose, seed: &[f64], rest: &[f64]) -> Option<Vec<f64>> {
    let n = chain.dof();
    let mut q = DVector::from_column_slice(seed);
    let rest = DVector::from_column_slice(rest);
    for _ in 0..MAX_ITERATIONS {
        let (at, jac) = chain.fk_jacobian(q.as_slice());
        let e = error(target, &at);
        if e.fixed_rows::<3>(0).norm() < CONVERGED_POSITION && e.fixed_rows::<3>(3).norm() < CONVERGED_ROTATION {
            break;
        }
        let jjt = &jac * jac.transpose() + Matrix6::identity() * DAMPING;
        let chol = jjt.cholesky()?;
        let mut dq = jac.transpose() * chol.solve(&e);
        // Near the target the pull stops: through the damping a little of it leaks into the task and
        // would hold the error above the tolerance.
        if n > 6 && e.norm() > NULL_UNTIL {
            // Project the pull toward `rest` onto the (approximate) null space: z − J⁺ J z.
            let z = (&rest - &q) * NULL_GAIN;
            let jz = &jac * &z;
            dq += &z - jac.transpose() * chol.solve(&jz);
        }
        let largest = dq.amax();
        if largest > MAX_STEP {
            dq *= MAX_STEP / largest;
        }
        q += dq;
        bounds.clamp(q.as_mut_slice());
        if q.iter().any(|v| !v.is_finite()) {
            return None;
        }
    }
    let (dp, dr) = super::pose_error(&chain.fk(q.as_slice()), target);
    (dp < ACCEPT_POSITION && dr < ACCEPT_ROTATION).then(|| q.as_slice().to_vec())
}
