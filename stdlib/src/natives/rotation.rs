//! The natives of `std::geometry`: what needs quaternions (the angle between two rotations, and
//! interpolation of poses); the rest of that module is written in Deft.

use super::Entry;
use super::geometry::{Result, new_pose};
use deft_runtime::nalgebra::{Translation3, UnitQuaternion};
use deft_runtime::natives::{NativeCx, real, slot};
use deft_runtime::{Fault, FaultKind, Pose};

pub(super) const NATIVES: &[Entry] = &[
    ("angle_between(Rot,Rot)", angle_between_rots),
    ("angle_between(Pose,Pose)", angle_between_poses),
    ("interpolate(Pose,Pose,Real)", interpolate),
];

/// The angle of the shortest rotation from `a` to `b`, in [0, π].
fn angle(a: &UnitQuaternion<f64>, b: &UnitQuaternion<f64>) -> f64 {
    a.angle_to(b)
}

fn angle_between_rots(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    Ok(slot(angle(&heap.rot(a[0])?, &heap.rot(a[1])?)))
}

fn angle_between_poses(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    Ok(slot(angle(&heap.pose(a[0])?.rotation, &heap.pose(a[1])?.rotation)))
}

/// The pose the fraction `t` of the way from `a` to `b`: the position on the straight line, the
/// rotation by slerp along the shorter arc. `None` for `t` outside [0, 1]: past its ends a slerp
/// does not extrapolate a turn the way a user would expect.
pub(super) fn lerp_pose(p: &Pose, q: &Pose, t: f64) -> Option<Pose> {
    if !(0.0..=1.0).contains(&t) {
        return None;
    }
    let position = p.translation.vector + (q.translation.vector - p.translation.vector) * t;
    // Half-turn apart, slerp has no unique path; take the end nearer to `t` rather than fail.
    let rotation = p.rotation.try_slerp(&q.rotation, t, 1e-9).unwrap_or(if t < 0.5 { p.rotation } else { q.rotation });
    Some(Pose::from_parts(Translation3::from(position), rotation))
}

fn interpolate(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let (p, q, t) = (heap.pose(a[0])?, heap.pose(a[1])?, real(a[2]));
    match lerp_pose(&p, &q, t) {
        Some(r) => new_pose(cx, r),
        None => Err(Fault::new(
            FaultKind::Ensure,
            format!("interpolate(a, b, {}): the fraction must lie in [0, 1]", deft_runtime::format::format_real(t)),
        )),
    }
}
