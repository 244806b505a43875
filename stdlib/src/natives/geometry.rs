//! Pure natives: geometry values, trigonometry on angles, and the fields of `Fault` values.

use super::Entry;
use deft_runtime::format::format_real;
use deft_runtime::nalgebra::{Translation3, UnitQuaternion, Vector3};
use deft_runtime::natives::{NativeCx, real, slot};
use deft_runtime::value::Value;
use deft_runtime::{Fault, FaultKind, Pose};

pub(super) const NATIVES: &[Entry] = &[
    ("kind(Fault)", kind),
    ("message(Fault)", message),
    ("skill(Fault)", skill),
    ("raise(FaultKind,String)", raise),
    ("xyz(Length,Length,Length)", xyz),
    ("rpy(Angle,Angle,Angle)", rpy),
    ("pose(Vec3,Rot)", pose),
    ("x(Vec3)", x),
    ("y(Vec3)", y),
    ("z(Vec3)", z),
    ("position(Pose)", position),
    ("rotation(Pose)", rotation),
    ("above(Pose,Length)", above),
    ("offset(Pose,Length,Length,Length)", offset),
    ("distance(Pose,Pose)", distance),
    ("inverse(Pose)", inverse),
    ("compose(Pose,Pose)", compose),
    ("sin(Angle)", sin),
    ("cos(Angle)", cos),
    ("tan(Angle)", tan),
    ("asin(Real)", asin),
    ("acos(Real)", acos),
    // Not declared in the prelude: the checker's built-in `atan2` lowers to this key, since
    // Cranelift has no instruction for it. `y` and `x` may have any (equal) dimension.
    ("atan2(Real,Real)", atan2),
    // Not declared either: the checker's built-in name `world` lowers to this key.
    ("world()", world),
];

pub(super) type Result = std::result::Result<u64, Fault>;

fn kind(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(cx.heap().fault(a[0])?.kind as u64)
}

fn message(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let msg = cx.heap().fault(a[0])?.message.clone();
    Ok(cx.heap().alloc_str(msg))
}

/// The innermost skill on the stack when the fault was raised; empty outside any skill.
fn skill(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let name = cx.heap().fault(a[0])?.skills.last().cloned().unwrap_or_default();
    Ok(cx.heap().alloc_str(name))
}

/// Fail with a fault of the kind given; an ordinal that names no kind is a `User` fault.
fn raise(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let kind = u32::try_from(a[0]).ok().and_then(FaultKind::from_index).unwrap_or(FaultKind::User);
    Err(Fault::new(kind, cx.heap().str(a[1])?.to_string()))
}

pub(super) fn new_pose(cx: &mut NativeCx<'_>, p: Pose) -> Result {
    Ok(cx.heap().alloc(Value::Pose(p)))
}

fn xyz(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(cx.heap().alloc(Value::Vec3(Vector3::new(real(a[0]), real(a[1]), real(a[2])))))
}

/// Roll, pitch, yaw about the fixed x, y and z axes, applied in that order.
fn rpy(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let r = UnitQuaternion::from_euler_angles(real(a[0]), real(a[1]), real(a[2]));
    Ok(cx.heap().alloc(Value::Rot(r)))
}

fn pose(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let p = Pose::from_parts(Translation3::from(heap.vec3(a[0])?), heap.rot(a[1])?);
    new_pose(cx, p)
}

fn x(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(slot(cx.heap().vec3(a[0])?.x))
}

fn y(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(slot(cx.heap().vec3(a[0])?.y))
}

fn z(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(slot(cx.heap().vec3(a[0])?.z))
}

fn position(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let v = cx.heap().pose(a[0])?.translation.vector;
    Ok(cx.heap().alloc(Value::Vec3(v)))
}

fn rotation(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let r = cx.heap().pose(a[0])?.rotation;
    Ok(cx.heap().alloc(Value::Rot(r)))
}

/// Moved by a world-frame offset; the rotation is kept.
fn shifted(cx: &mut NativeCx<'_>, p: u64, by: Vector3<f64>) -> Result {
    let mut p = cx.heap().pose(p)?;
    p.translation.vector += by;
    new_pose(cx, p)
}

fn above(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    shifted(cx, a[0], Vector3::new(0.0, 0.0, real(a[1])))
}

fn offset(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    shifted(cx, a[0], Vector3::new(real(a[1]), real(a[2]), real(a[3])))
}

fn distance(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let (p, q) = (heap.pose(a[0])?, heap.pose(a[1])?);
    Ok(slot((p.translation.vector - q.translation.vector).norm()))
}

/// The world frame: the identity pose every cell position is given in.
fn world(cx: &mut NativeCx<'_>, _: &[u64]) -> Result {
    new_pose(cx, Pose::identity())
}

fn inverse(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let p = cx.heap().pose(a[0])?.inverse();
    new_pose(cx, p)
}

fn compose(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let p = heap.pose(a[0])? * heap.pose(a[1])?;
    new_pose(cx, p)
}

fn sin(_: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(slot(real(a[0]).sin()))
}

fn cos(_: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(slot(real(a[0]).cos()))
}

fn tan(_: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(slot(real(a[0]).tan()))
}

/// An arc function's argument outside [-1, 1] is a failed check rather than a NaN that would
/// travel on into a motion command.
fn arc(name: &str, v: f64, f: fn(f64) -> f64) -> Result {
    if (-1.0..=1.0).contains(&v) {
        Ok(slot(f(v)))
    } else {
        Err(Fault::new(
            FaultKind::Ensure,
            format!("{name}({}) is undefined: the value must lie in [-1, 1]", format_real(v)),
        ))
    }
}

fn asin(_: &mut NativeCx<'_>, a: &[u64]) -> Result {
    arc("asin", real(a[0]), f64::asin)
}

fn acos(_: &mut NativeCx<'_>, a: &[u64]) -> Result {
    arc("acos", real(a[0]), f64::acos)
}

fn atan2(_: &mut NativeCx<'_>, a: &[u64]) -> Result {
    Ok(slot(real(a[0]).atan2(real(a[1]))))
}
