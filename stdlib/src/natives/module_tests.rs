//! The natives added for `std::geometry`, `std::fasten`, `std::motion::insert` and `raise`: pure
//! ones against the fake cell, the ones that need a backend's reply against the simulator.

use super::tests::Fixture;
use deft_runtime::nalgebra::{Translation3, UnitQuaternion};
use deft_runtime::natives::{real, slot};
use deft_runtime::sim::{Simulator, parse_cell};
use deft_runtime::value::Value;
use deft_runtime::{FaultKind, Pose};
use std::f64::consts::PI;

const CELL: &str = r#"
[cell]
name = "natives-cell"

[[arm]]
name = "arm"
model = "ur5e"

[[arm]]
name = "screw_arm"
model = "ur5e"
base = { xyz_mm = [1000, 0, 0], rpy_deg = [0, 0, 180] }

[[tool]]
name = "gripper"
kind = "parallel_gripper"
mounted_on = "arm"
max_width_mm = 85
max_force_n = 140

[[tool]]
name = "driver"
kind = "screwdriver"
mounted_on = "screw_arm"
max_torque_nm = 4

[[part]]
name = "s1"
kind = "screw"
size_mm = [6, 6, 10]
mass_kg = 0.003
pose = { xyz_mm = [600, 0, 40] }
seat_deg = 450

[limits]
force_n = 150
"#;

fn simulated() -> Fixture {
    let cell = parse_cell(CELL, "natives/cell.toml").unwrap_or_else(|e| panic!("{e}"));
    Fixture::over(Box::new(Simulator::new(&cell, 1)), Default::default())
}

#[test]
fn a_guarded_move_returns_a_contact_record() {
    let mut fx = simulated();
    let arm = fx.object("arm");
    let start = fx.pose(Pose::translation(0.3, 0.0, 0.1));
    fx.call_in("std::prelude", "move_to(Arm,Pose,Real)", &[arm, start, slot(0.5)]).unwrap();
    // Down onto the table (z = 0) with the bare tool: stops 0.1 m down, plus the compression.
    let below = fx.pose(Pose::translation(0.3, 0.0, -0.01));
    let key = "move_until_contact(Arm,Pose,Speed,Force)";
    let c = fx.call_in("std::prelude", key, &[arm, below, slot(0.05), slot(40.0)]).unwrap();
    let record = fx.heap.record(c).unwrap().to_vec();
    assert!((real(record[0]) - 40.0).abs() < 1e-3, "force {}", real(record[0]));
    assert!((real(record[1]) - 0.1).abs() < 1e-3, "travel {}", real(record[1]));
    assert_eq!(record[2], 1, "touched");
    // The monitor holds the threshold to the cell's 150 N.
    let err = fx.call_in("std::prelude", key, &[arm, below, slot(0.05), slot(200.0)]).unwrap_err();
    assert_eq!(err.kind, FaultKind::LimitExceeded);
}

#[test]
fn a_guarded_move_on_a_backend_without_contact_sensing_is_a_hardware_fault() {
    let mut fx = Fixture::new();
    let arm = fx.object("arm");
    let target = fx.pose(Pose::translation(0.3, 0.0, 0.1));
    let key = "move_until_contact(Arm,Pose,Speed,Force)";
    let err = fx.call_in("std::prelude", key, &[arm, target, slot(0.01), slot(20.0)]).unwrap_err();
    assert_eq!(err.kind, FaultKind::Hardware);
}

#[test]
fn fasten_angle_reports_the_seating_angle() {
    let mut fx = simulated();
    let (screw_arm, driver, s1) = (fx.object("screw_arm"), fx.object("driver"), fx.object("s1"));
    let at = fx.robot.backend().part_pose(fx.robot.backend().object("s1").unwrap());
    // Above the screw, then straight down: a joint move onto it would sweep the bit into its head.
    let above = fx.pose(Translation3::new(0.0, 0.0, 0.05) * at);
    fx.call_in("std::prelude", "move_to(Arm,Pose,Real)", &[screw_arm, above, slot(0.5)]).unwrap();
    let target = fx.pose(at);
    fx.call_in("std::prelude", "move_linear(Arm,Pose,Speed)", &[screw_arm, target, slot(0.25)]).unwrap();
    let key = "fasten_angle(ScrewDriver,Part,Torque,Angle)";
    let turned = fx.call_in("std::fasten", key, &[driver, s1, slot(2.0), slot(4.0 * PI)]).unwrap();
    assert!((real(turned) - 450f64.to_radians()).abs() < 1e-12, "turned {}", real(turned));
    let err = fx.call_in("std::fasten", key, &[driver, s1, slot(2.0), slot(4.0 * PI)]).unwrap_err();
    assert_eq!(err.kind, FaultKind::FastenFailed, "{}", err.message);
}

#[test]
fn raise_fails_with_the_kind_given() {
    let mut fx = Fixture::new();
    let msg = fx.heap.alloc_str("bearing hit the rim");
    let err = fx.call_in("std::prelude", "raise(FaultKind,String)", &[FaultKind::Collision as u64, msg]).unwrap_err();
    assert_eq!((err.kind, err.message.as_str()), (FaultKind::Collision, "bearing hit the rim"));
    let err = fx.call_in("std::prelude", "raise(FaultKind,String)", &[99, msg]).unwrap_err();
    assert_eq!(err.kind, FaultKind::User);
}

fn turned_z(deg: f64, x: f64) -> Pose {
    Pose::from_parts(Translation3::new(x, 0.0, 0.0), UnitQuaternion::from_euler_angles(0.0, 0.0, deg.to_radians()))
}

#[test]
fn angle_between_rotations_and_poses() {
    let mut fx = Fixture::new();
    let (a, b) = (fx.pose(turned_z(10.0, 0.0)), fx.pose(turned_z(-20.0, 0.5)));
    let angle = real(fx.call_in("std::geometry", "angle_between(Pose,Pose)", &[a, b]).unwrap());
    assert!((angle - 30f64.to_radians()).abs() < 1e-12, "{angle}");
    let (r, q) = (
        fx.heap.alloc(Value::Rot(UnitQuaternion::from_euler_angles(PI, 0.0, 0.0))),
        fx.heap.alloc(Value::Rot(UnitQuaternion::identity())),
    );
    let angle = real(fx.call_in("std::geometry", "angle_between(Rot,Rot)", &[r, q]).unwrap());
    assert!((angle - PI).abs() < 1e-12, "{angle}");
}

#[test]
fn interpolate_moves_straight_and_turns_the_short_way() {
    let mut fx = Fixture::new();
    let (a, b) = (fx.pose(turned_z(0.0, 0.0)), fx.pose(turned_z(90.0, 0.4)));
    let key = "interpolate(Pose,Pose,Real)";
    let quarter = fx.call_in("std::geometry", key, &[a, b, slot(0.25)]).unwrap();
    let quarter = fx.heap.pose(quarter).unwrap();
    assert!((quarter.translation.vector.x - 0.1).abs() < 1e-12);
    assert!((quarter.rotation.angle() - 22.5f64.to_radians()).abs() < 1e-12);
    let end = fx.call_in("std::geometry", key, &[a, b, slot(1.0)]).unwrap();
    assert!(fx.heap.pose(end).unwrap().rotation.angle_to(&turned_z(90.0, 0.0).rotation) < 1e-12);
    // 350° is 10° the other way round.
    let (c, d) = (fx.pose(turned_z(0.0, 0.0)), fx.pose(turned_z(350.0, 0.0)));
    let mid = fx.call_in("std::geometry", key, &[c, d, slot(0.5)]).unwrap();
    assert!(fx.heap.pose(mid).unwrap().rotation.angle_to(&turned_z(-5.0, 0.0).rotation) < 1e-12);
    let err = fx.call_in("std::geometry", key, &[a, b, slot(1.5)]).unwrap_err();
    assert_eq!(err.kind, FaultKind::Ensure);
    assert!(err.message.contains("must lie in [0, 1]"), "{}", err.message);
}
