//! Conservative advancement for the swept collision check of a joint-interpolated path: from the
//! clearance between the arm and every obstacle at one sample, and a bound on how far any point of
//! the arm can travel from one sample to the next, the samples that cannot be a collision are
//! skipped. The samples that are checked are checked as before, so the check finds exactly the
//! collisions (and the first one) that checking every sample would.
//!
//! Why a skipped sample cannot collide: a collision is an overlap deeper than
//! [`CONTACT_TOLERANCE`]. With signed distance `c` at sample `k` (negative when overlapping) and
//! every point moving at most `D` per sample, the signed distance at `k + m` is at least `c − m·D`
//! (the signed distance of convex bodies changes by at most the largest displacement of a point);
//! for `m ≤ (c + tolerance) / D` the overlap is at most the tolerance.

use crate::sim::collision::CONTACT_TOLERANCE;
use nalgebra::{Point3, Vector3};

/// Relative margin on the travel bound, against rounding in the bound and in the clearances.
const MARGIN: f64 = 1e-6;
/// Absolute margin on a clearance, m: parry's distances are exact to far less than this.
const SLACK: f64 = 1e-9;

/// Bounds on how far the points of each moving body travel along a joint-interpolated path.
///
/// The chain bound: a point at distance `r` from a joint's axis moves at most `r · Δq` when that
/// joint turns `Δq`. The axis of joint `j` passes through origin `j` (UR DH frames) or `j + 1`
/// (chains), and only joints `j ≤ i` move link `i`, whose points are within the links from origin
/// `j` to origin `i + 1` of that axis; the tool and held part are moved by every joint and lie
/// within all the links after origin `j` plus what reaches beyond the flange. That is
/// `reach[body][j]`, the same at every sample (the links are rigid).
///
/// The tight bound, where the joint axes are known at a sample: the distance `r_j` of a point from
/// joint `j`'s axis is measured there instead, and grows by at most `Σ_{i>j} Δq_i · reach_i` per
/// sample (joints up to `j` move the point and the axis together). Over `m` samples a point then
/// travels at most `m · Σ_j Δq_j r_j + m²/2 · Σ_j Δq_j Σ_{i>j} Δq_i reach_i`.
#[derive(Clone, Debug, PartialEq)]
pub struct TravelBounds {
    /// Each joint's turn from one sample to the next, rad.
    step: Vec<f64>,
    /// For each link (from joint frame origin `i` to `i + 1`), then the tool and held part: the
    /// chain bound on the distance from each joint's axis to the body, m (0 for joints that do not
    /// move it); the chain bound per sample; and for each joint, half of how much the distance
    /// from its axis can grow per sample. Body by body, `step.len()` values each (one allocation
    /// rather than two per body: the bounds are made for every joint move).
    reach: Vec<f64>,
    per_sample: Vec<f64>,
    growth: Vec<f64>,
}

/// One body's part of [`TravelBounds`].
struct BodyBound<'a> {
    reach: &'a [f64],
    per_sample: f64,
    growth: &'a [f64],
}

/// Each joint's axis at a sample (a point on it, its unit direction), when the arm model gives them.
pub type Axes<'a> = Option<(&'a [Point3<f64>], &'a [Vector3<f64>])>;

/// The bodies [`TravelBounds`] knows: link `i`, or the tool and held part beyond the flange.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Carried {
    Link(usize),
    Distal,
}

impl TravelBounds {
    /// `origins` are the arm's joint frame origins at one sample, base to flange; `extra` bounds
    /// how far the tool and held part reach beyond the flange, m; `joint_step` is each joint's
    /// turn between samples, rad.
    pub fn new(origins: &[Point3<f64>], extra: f64, joint_step: &[f64]) -> TravelBounds {
        let segments: Vec<f64> = origins.windows(2).map(|w| (w[1] - w[0]).norm()).collect();
        let step: Vec<f64> = joint_step.iter().map(|s| s.abs()).collect();
        let (dof, count) = (step.len(), segments.len() + 1);
        // Every sum adds its terms in the order `Iterator::sum` would, from −0.0 (segments `j..=i`,
        // `j..`): the bounds are those of the direct sums, bit for bit.
        let mut reach = Vec::with_capacity(count * dof);
        // Link i's reach from joint j is the sum of segments j..=i: the previous link's plus segment i.
        let mut running = vec![-0.0; dof];
        for (i, segment) in segments.iter().enumerate() {
            for (j, sum) in running.iter_mut().enumerate() {
                if j <= i {
                    *sum += segment;
                    reach.push(*sum);
                } else {
                    reach.push(0.0);
                }
            }
        }
        for (j, sum) in running.iter().enumerate() {
            reach.push((if j < segments.len() { *sum } else { -0.0 }) + extra);
        }
        let (mut per_sample, mut growth) = (Vec::with_capacity(count), Vec::with_capacity(count * dof));
        for b in 0..count {
            let body = &reach[b * dof..(b + 1) * dof];
            let mut sum = -0.0;
            for (s, r) in step.iter().zip(body) {
                sum += s * r;
            }
            per_sample.push(sum * (1.0 + MARGIN));
            for j in 0..dof {
                let mut sum = -0.0;
                for (s, r) in step[j + 1..].iter().zip(&body[j + 1..]) {
                    sum += s * r;
                }
                growth.push(sum / 2.0);
            }
        }
        TravelBounds { step, reach, per_sample, growth }
    }

    fn body(&self, body: Carried) -> BodyBound<'_> {
        let last = self.per_sample.len() - 1;
        let b = match body {
            Carried::Link(i) => i.min(last),
            Carried::Distal => last,
        };
        let dof = self.step.len();
        let span = b * dof..(b + 1) * dof;
        BodyBound { reach: &self.reach[span.clone()], per_sample: self.per_sample[b], growth: &self.growth[span] }
    }

    /// The chain bound on how far any point of `body` travels from one sample to the next, m.
    pub fn per_sample(&self, body: Carried) -> f64 {
        self.body(body).per_sample
    }

    /// How many samples ahead the next one to check is for `body`, or `ahead` when that is fewer
    /// (at least 1; `left + 1` when none of the `left` samples after this one needs a check):
    /// those before it cannot overlap anything by more than [`CONTACT_TOLERANCE`], given
    /// `clearance`, a lower bound on the body's signed distance to every obstacle (exempt ones
    /// included) at this sample. `shape` is the body's extreme points (a capsule's segment ends)
    /// and how far its points are from them (a box: its centre and half diagonal); `axes` each
    /// joint's axis at this sample (a point on it, its unit direction), when known.
    pub fn samples_ahead(
        &self,
        body: Carried,
        clearance: f64,
        (points, radius): (&[Point3<f64>], f64),
        axes: Axes,
        left: usize,
        ahead: usize,
    ) -> usize {
        let room = clearance - clearance.abs() * MARGIN - SLACK + CONTACT_TOLERANCE;
        if room.is_nan() || room <= 0.0 {
            return 1;
        }
        let bound = self.body(body);
        let mut m = if bound.per_sample > 0.0 { room / bound.per_sample } else { f64::INFINITY };
        let dof = self.step.len();
        if m < ahead as f64
            && let Some((through, direction)) = axes.filter(|(t, d)| t.len() >= dof && d.len() >= dof)
        {
            let (mut a, mut b) = (0.0, 0.0);
            for (j, step) in self.step.iter().enumerate() {
                if *step == 0.0 || bound.reach[j] == 0.0 {
                    continue;
                }
                // The farthest point from the axis: the largest squared distance, one square root.
                let squared = points
                    .iter()
                    .map(|p| {
                        let v = p - through[j];
                        (v - direction[j] * v.dot(&direction[j])).norm_squared()
                    })
                    .fold(0.0, f64::max);
                let r = (squared.sqrt() + radius).min(bound.reach[j]);
                a += step * r;
                b += step * bound.growth[j];
            }
            let (a, b) = (a * (1.0 + MARGIN) + SLACK, b * (1.0 + MARGIN));
            // The largest m with a·m + b·m² ≤ room, in a form without cancellation.
            m = m.max(2.0 * room / (a + (a * a + 4.0 * b * room).sqrt()));
        }
        // Truncation is the floor here (m > 0), without a library call.
        let m = if m >= left as f64 { left + 1 } else { (m as usize).max(1) };
        m.min(ahead)
    }
}
