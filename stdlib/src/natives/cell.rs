//! Natives that command or query the cell: motion, tools, signals, time, the log, and the
//! properties of cell objects.

use super::Entry;
use deft_runtime::backend::{Command, ObjectKind, Reply};
use deft_runtime::natives::{NativeCx, real, slot};
use deft_runtime::value::Value;
use deft_runtime::{Fault, FaultKind};

pub(super) const NATIVES: &[Entry] = &[
    ("move_joint(Arm,[Angle],Real)", move_joint),
    ("move_to(Arm,Pose,Real)", move_to),
    ("move_linear(Arm,Pose,Speed)", move_linear),
    ("move_until_contact(Arm,Pose,Speed,Force)", move_until_contact),
    ("tcp(Arm)", tcp),
    ("joints(Arm)", joints),
    ("grasp(Gripper,Part,Force)", grasp),
    ("release(Gripper)", release),
    ("holding(Gripper)", holding),
    ("held(Gripper)", held),
    ("fasten(ScrewDriver,Part,Torque,Angle)", fasten),
    ("inspect(Camera,Part,String)", inspect),
    ("arm(Gripper)", arm_of_gripper),
    ("arm(ScrewDriver)", arm_of_driver),
    ("wait(Time)", wait),
    ("set(Signal,Bool)", set),
    ("wait_for(Signal,Bool,Time)", wait_for),
    ("log(String)", log),
    ("pose(Part)", part_pose),
    ("size(Part)", size),
    ("mass(Part)", mass),
    ("name(Part)", name),
    ("slot(Fixture,String)", fixture_slot),
    ("frame(Fixture)", frame),
    ("base(Arm)", base),
];

/// The natives of `std::fasten`.
pub(super) const FASTEN_NATIVES: &[Entry] = &[("fasten_angle(ScrewDriver,Part,Torque,Angle)", fasten_angle)];

type Result = std::result::Result<u64, Fault>;

fn done(cx: &mut NativeCx<'_>, command: Command) -> Result {
    cx.execute(command)?;
    Ok(0)
}

fn move_joint(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let arm = heap.object_of(a[0], ObjectKind::Arm)?;
    let q = heap.list(a[1])?.iter().map(|v| real(*v)).collect();
    done(cx, Command::MoveJoint { arm, q, speed: real(a[2]) })
}

fn move_to(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let (arm, target) = (heap.object_of(a[0], ObjectKind::Arm)?, heap.pose(a[1])?);
    done(cx, Command::MoveTo { arm, target, speed: real(a[2]) })
}

fn move_linear(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let (arm, target) = (heap.object_of(a[0], ObjectKind::Arm)?, heap.pose(a[1])?);
    done(cx, Command::MoveLinear { arm, target, speed: real(a[2]) })
}

/// The result is a record of the prelude's `Contact`: `force` (N), `travel` (m), `touched` (0/1).
fn move_until_contact(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let (arm, target) = (heap.object_of(a[0], ObjectKind::Arm)?, heap.pose(a[1])?);
    match cx.execute(Command::MoveUntilContact { arm, target, speed: real(a[2]), max_force: real(a[3]) })? {
        Reply::Contact { force, travel, touched } => {
            Ok(cx.heap().alloc(Value::Record(vec![slot(force), slot(travel), u64::from(touched)])))
        }
        other => Err(Fault::new(FaultKind::Hardware, format!("the arm answered a guarded move with {other:?}"))),
    }
}

fn tcp(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let pose = robot.backend().tcp(heap.object_of(a[0], ObjectKind::Arm)?);
    Ok(heap.alloc(Value::Pose(pose)))
}

fn joints(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let q = robot.backend().joints(heap.object_of(a[0], ObjectKind::Arm)?);
    Ok(heap.alloc(Value::List(q.into_iter().map(slot).collect())))
}

fn grasp(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let (gripper, part) = (heap.object_of(a[0], ObjectKind::Gripper)?, heap.object_of(a[1], ObjectKind::Part)?);
    done(cx, Command::Grasp { gripper, part, force: real(a[2]) })
}

fn release(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let gripper = cx.heap().object_of(a[0], ObjectKind::Gripper)?;
    done(cx, Command::Release { gripper })
}

fn holding(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    Ok(u64::from(robot.backend().held(heap.object_of(a[0], ObjectKind::Gripper)?).is_some()))
}

fn held(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let gripper = heap.object_of(a[0], ObjectKind::Gripper)?;
    match robot.backend().held(gripper) {
        Some(part) => Ok(heap.object_handle(part)),
        None => {
            let name = robot.backend().object_name(gripper);
            Err(Fault::new(FaultKind::GraspFailed, format!("gripper {name} holds no part")))
        }
    }
}

fn fasten(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let (driver, screw) = (heap.object_of(a[0], ObjectKind::ScrewDriver)?, heap.object_of(a[1], ObjectKind::Part)?);
    done(cx, Command::Fasten { driver, screw, torque: real(a[2]), angle: real(a[3]) })
}

/// Like `fasten`, and gives the angle the screw turned before it seated.
fn fasten_angle(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let (driver, screw) = (heap.object_of(a[0], ObjectKind::ScrewDriver)?, heap.object_of(a[1], ObjectKind::Part)?);
    match cx.execute(Command::Fasten { driver, screw, torque: real(a[2]), angle: real(a[3]) })? {
        Reply::Fastened { angle } => Ok(slot(angle)),
        other => {
            Err(Fault::new(FaultKind::Hardware, format!("the screwdriver reported no angle (it answered {other:?})")))
        }
    }
}

/// The result is a record of the prelude's `Inspection`: `value` (f64 bits, metres), `ok` (0/1).
fn inspect(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let heap = cx.heap();
    let camera = heap.object_of(a[0], ObjectKind::Camera)?;
    let part = heap.object_of(a[1], ObjectKind::Part)?;
    let feature = heap.str(a[2])?.to_string();
    match cx.execute(Command::Inspect { camera, part, feature })? {
        Reply::Inspection { value, ok } => Ok(cx.heap().alloc(Value::Record(vec![slot(value), u64::from(ok)]))),
        _ => Err(Fault::new(FaultKind::Hardware, "the camera returned no measurement")),
    }
}

fn tool_arm(cx: &mut NativeCx<'_>, tool: u64, kind: ObjectKind) -> Result {
    let (heap, robot) = cx.parts();
    let tool = heap.object_of(tool, kind)?;
    match robot.backend().tool_arm(tool) {
        Some(arm) => Ok(heap.object_handle(arm)),
        None => {
            let name = robot.backend().object_name(tool);
            Err(Fault::new(FaultKind::Hardware, format!("{name} is not mounted on an arm")))
        }
    }
}

fn arm_of_gripper(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    tool_arm(cx, a[0], ObjectKind::Gripper)
}

fn arm_of_driver(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    tool_arm(cx, a[0], ObjectKind::ScrewDriver)
}

fn wait(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let seconds = real(a[0]);
    if seconds < 0.0 {
        let msg = format!("wait({} s): the time must not be negative", deft_runtime::format::format_real(seconds));
        return Err(Fault::new(FaultKind::Ensure, msg));
    }
    done(cx, Command::Wait { seconds })
}

fn set(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let signal = cx.heap().object_of(a[0], ObjectKind::Signal)?;
    done(cx, Command::SetSignal { signal, on: a[1] != 0 })
}

fn wait_for(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let signal = cx.heap().object_of(a[0], ObjectKind::Signal)?;
    done(cx, Command::WaitSignal { signal, on: a[1] != 0, timeout: real(a[2]) })
}

fn log(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let msg = cx.heap().str(a[0])?.to_string();
    cx.log(&msg);
    Ok(0)
}

fn part_pose(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let pose = robot.backend().part_pose(heap.object_of(a[0], ObjectKind::Part)?);
    Ok(heap.alloc(Value::Pose(pose)))
}

fn size(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let size = robot.backend().part_size(heap.object_of(a[0], ObjectKind::Part)?);
    Ok(heap.alloc(Value::Vec3(size)))
}

fn mass(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    Ok(slot(robot.backend().part_mass(heap.object_of(a[0], ObjectKind::Part)?)))
}

fn name(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let name = robot.backend().object_name(heap.object_of(a[0], ObjectKind::Part)?);
    Ok(heap.alloc_str(name))
}

fn fixture_slot(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let fixture = heap.object_of(a[0], ObjectKind::Fixture)?;
    let slot_name = heap.str(a[1])?;
    if let Some(pose) = robot.backend().slot(fixture, slot_name) {
        return Ok(heap.alloc(Value::Pose(pose)));
    }
    let fixture_name = robot.backend().object_name(fixture);
    let names = robot.backend().slot_names(fixture);
    let mut msg = format!("fixture {fixture_name} has no slot \"{slot_name}\"");
    // A backend that cannot list the slots gives no names; then the message just ends.
    if !names.is_empty() {
        msg.push_str(&format!("; it has: {}", names.join(", ")));
    }
    Err(Fault::new(FaultKind::User, msg))
}

fn frame(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let pose = robot.backend().fixture_frame(heap.object_of(a[0], ObjectKind::Fixture)?);
    Ok(heap.alloc(Value::Pose(pose)))
}

fn base(cx: &mut NativeCx<'_>, a: &[u64]) -> Result {
    let (heap, robot) = cx.parts();
    let pose = robot.backend().arm_base(heap.object_of(a[0], ObjectKind::Arm)?);
    Ok(heap.alloc(Value::Pose(pose)))
}
