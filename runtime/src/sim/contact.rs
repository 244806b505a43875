//! The contact model of guarded moves (`MoveUntilContact`): the force a probe (the held part's
//! bottom face, or the bare tool tip) feels at a point, and where along a straight line that force
//! first reaches a threshold. Documented in `docs/simulator.md` under "Guarded moves and insertion".
//!
//! Contacts are quasi-static and one-sided: a rigid surface pushes back with [`STIFFNESS`] times
//! how far the probe is below it; a bore with a fit adds its press force. Only the largest force
//! of the contacts counts (no sum), so a rim that coincides with a fixture top is not counted twice.

use crate::backend::Pose;
use crate::sim::cell::Cell;
use crate::sim::world::{World, top_under};
use nalgebra::Vector3;

/// Contact stiffness of the arm, tool and fixture together, N/m (0.2 N per µm): a compliant
/// wrist with a force sensor, as on a UR5e pressing on steel.
pub const STIFFNESS: f64 = 2.0e5;
/// The fastest guarded move the simulated force controller accepts, m/s.
pub const MAX_SPEED: f64 = 0.1;
/// Guarded moves are sampled every this much travel, m, then the crossing is bisected.
const STEP: f64 = 0.0001;
/// Cap on samples, so that an absurd command cannot stall an episode.
const MAX_SAMPLES: usize = 50_000;

/// What presses against the cell: a held part (its index and size) or the bare tool tip.
#[derive(Clone, Copy, Debug)]
pub struct Probe {
    pub part: Option<usize>,
    /// Horizontal half-extent of the probe (half the larger of the part's x and y), m.
    pub half_width: f64,
}

/// The force the probe feels with its reference point (part pose, or TCP) at `p`, N.
pub fn force_at(cell: &Cell, world: &World, probe: &Probe, p: &Vector3<f64>) -> f64 {
    let rigid = |surface: f64| STIFFNESS * (surface - p.z).max(0.0);
    let mut force = rigid(0.0);
    // Fixtures whose top face does not count because the probe is lined up with one of their bores.
    let mut in_bore = vec![false; cell.fixtures.len()];
    for (fi, f) in cell.fixtures.iter().enumerate() {
        for (si, fit) in f.fits.iter().enumerate() {
            let Some(fit) = fit else { continue };
            let seat = (f.pose * f.slots[si].1).translation.vector;
            let mouth = seat.z + fit.depth;
            let off_axis = (p.xy() - seat.xy()).norm();
            let taken = world.parts.iter().enumerate().any(|(i, q)| Some(i) != probe.part && q.slot == Some((fi, si)));
            if off_axis <= fit.clearance + 1e-12 {
                in_bore[fi] = true;
                if taken {
                    // The occupant's top face is the contact (below).
                    continue;
                }
                let engaged = (mouth - p.z).clamp(0.0, fit.depth);
                force = force.max(fit.press_force * engaged / fit.depth + rigid(seat.z));
            } else if off_axis <= fit.clearance + 2.0 * probe.half_width {
                // Misaligned: the part's bottom face overlaps the rim of the bore.
                force = force.max(rigid(mouth));
            }
        }
    }
    for (fi, f) in cell.fixtures.iter().enumerate() {
        if let Some(h) = f.size.filter(|_| !in_bore[fi]).and_then(|size| top_under(&f.pose, &size, p)) {
            force = force.max(rigid(h));
        }
    }
    for (i, q) in world.parts.iter().enumerate() {
        if Some(i) != probe.part
            && q.held.is_none()
            && let Some(h) = top_under(&q.pose, &cell.parts[i].size, p)
        {
            force = force.max(rigid(h));
        }
    }
    force
}

/// Where a guarded move stops: the fraction of the line travelled, and the force there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stop {
    pub fraction: f64,
    pub force: f64,
    /// Whether the force reached the threshold (else the line ended first).
    pub touched: bool,
}

/// Walk the probe from `from` by `delta` and stop where the force first reaches `max_force`.
pub fn guarded_stop(
    cell: &Cell,
    world: &World,
    probe: &Probe,
    from: &Vector3<f64>,
    delta: &Vector3<f64>,
    max_force: f64,
) -> Stop {
    let at = |s: f64| force_at(cell, world, probe, &(from + delta * s));
    let n = ((delta.norm() / STEP).ceil() as usize).clamp(1, MAX_SAMPLES);
    let start = at(0.0);
    if start >= max_force {
        return Stop { fraction: 0.0, force: start, touched: true };
    }
    let mut before = 0.0;
    for k in 1..=n {
        let s = k as f64 / n as f64;
        if at(s) >= max_force {
            // Bisect to the crossing: the force is continuous in s between two samples.
            let (mut lo, mut hi) = (before, s);
            for _ in 0..48 {
                let mid = 0.5 * (lo + hi);
                if at(mid) >= max_force {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return Stop { fraction: hi, force: at(hi), touched: true };
        }
        before = s;
    }
    Stop { fraction: 1.0, force: at(1.0), touched: false }
}

/// The probe's reference point when the TCP is at `tcp`: the held part's pose, or the TCP.
pub fn probe_point(world: &World, probe: &Probe, tcp: &Pose) -> Vector3<f64> {
    match probe.part.and_then(|i| world.parts[i].held) {
        Some((_, offset)) => (tcp * offset).translation.vector,
        None => tcp.translation.vector,
    }
}
