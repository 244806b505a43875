//! Arm models in cells and in the simulator: `model = "ur10e" | "panda" | { urdf = ... }`, URDF
//! files read through the caller, the checks against each arm's physical limits, and motions of
//! non-UR arms end to end.

use crate::backend::{Backend, Command, ObjectRef, Pose};
use crate::fault::FaultKind;
use crate::sim::cell::{ArmModel, Cell, CellError, parse_cell, parse_cell_with};
use crate::sim::{Simulator, arms::panda};
use nalgebra::{Translation3, UnitQuaternion, Vector3};
use std::f64::consts::PI;

const UR5E_URDF: &str = include_str!("../../../../tests/fixtures/kinematics/ur5e.urdf");

/// A cell with one arm of `model` (a TOML value) and `extra` after it; the arm's `model` is on line 6.
fn cell_text(model: &str, extra: &str) -> String {
    format!("[cell]\nname = \"c\"\n\n[[arm]]\nname = \"arm\"\nmodel = {model}\n{extra}")
}

/// Reads only `cells/arms/ur5e.urdf`, as a CLI reading files next to `cells/cell.toml` would.
fn reader(file: &str) -> Result<String, String> {
    if file == "cells/arms/ur5e.urdf" { Ok(UR5E_URDF.to_string()) } else { Err("no such file".to_string()) }
}

fn parse(model: &str, extra: &str) -> Result<Cell, CellError> {
    parse_cell_with(&cell_text(model, extra), "cells/cell.toml", &reader)
}

fn error(model: &str, extra: &str) -> CellError {
    match parse(model, extra) {
        Ok(_) => panic!("should fail: model = {model}\n{extra}"),
        Err(e) => e,
    }
}

#[test]
fn built_in_models_parse_with_their_own_defaults() {
    let c = parse("\"ur10e\"", "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.arms[0].model, ArmModel::Ur10e);
    assert_eq!(c.arms[0].home.len(), 6);
    assert!((c.arms[0].kinematics.reach - 1.3).abs() < 1e-12);
    let c = parse("\"panda\"", "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.arms[0].model, ArmModel::Panda);
    assert_eq!(c.arms[0].home, panda::READY.to_vec());
    let c = parse("\"panda\"", "home_deg = [0, -30, 0, -120, 0, 90, 45]\n").unwrap_or_else(|e| panic!("{e}"));
    assert!((c.arms[0].home[3] - (-120f64).to_radians()).abs() < 1e-12);
}

#[test]
fn a_urdf_model_is_read_relative_to_the_cell_file() {
    let c = parse("{ urdf = \"arms/ur5e.urdf\" }", "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.arms[0].model, ArmModel::Urdf("cells/arms/ur5e.urdf".to_string()));
    assert_eq!(c.arms[0].kinematics.dof(), 6);
    assert_eq!(c.arms[0].kinematics.model, "urdf arms/ur5e.urdf");
}

#[test]
fn model_errors_point_at_the_model_value() {
    let e = error("\"kuka\"", "");
    assert_eq!((e.line, e.column, e.key.as_str()), (6, 9, "arm.model"));
    assert!(e.message.contains("ur5e, ur10e, panda"), "{e}");
    let e = error("{ urdf = \"arms/missing.urdf\" }", "");
    assert_eq!((e.line, e.column, e.key.as_str()), (6, 9, "arm.model.urdf"));
    assert!(e.message.contains("cells/arms/missing.urdf") && e.message.contains("no such file"), "{e}");
    // Without a reader, a URDF cell is refused with a message, not a panic.
    let e = parse_cell(&cell_text("{ urdf = \"arms/ur5e.urdf\" }", ""), "cells/cell.toml").err();
    assert!(e.is_some_and(|e| e.message.contains("parse_cell_with")));
    let bad = |_: &str| Ok("<robot name=\"x\"><link name=\"a\"/></robot>".to_string());
    let e = parse_cell_with(&cell_text("{ urdf = \"x.urdf\" }", ""), "cell.toml", &bad).err();
    assert!(e.is_some_and(|e| e.line == 6 && e.message.contains("URDF `x.urdf`: a URDF arm needs exactly one root")));
}

#[test]
fn home_must_fit_the_model() {
    let e = error("\"panda\"", "home_deg = [0, -90, 90, -90, -90, 0]\n");
    assert_eq!((e.line, e.column, e.key.as_str()), (7, 12, "arm.home_deg"));
    assert!(e.message.contains("needs 7 angles, found 6"), "{e}");
    // Joint 4 of a Panda cannot straighten past −4°.
    let e = error("\"panda\"", "home_deg = [0, -45, 0, 10, 0, 90, 45]\n");
    assert_eq!((e.line, e.column), (7, 12));
    assert!(e.message.contains("joint 4") && e.message.contains("panda"), "{e}");
    let e = error("\"ur5e\"", "home_deg = [0, -90, 200, -90, -90, 0]\n");
    assert!(e.message.contains("joint 3 at 200.0°"), "{e}");
}

#[test]
fn a_tcp_speed_cap_above_the_arms_rating_is_an_error() {
    let e = error("\"ur5e\"", "\n[limits]\ntcp_speed_mm_s = 1500\n");
    assert_eq!((e.line, e.column, e.key.as_str()), (9, 18, "limits.tcp_speed_mm_s"));
    assert!(e.message.contains("ur5e is rated for 1000 mm/s"), "{e}");
    assert!(parse("\"ur5e\"", "\n[limits]\ntcp_speed_mm_s = 1000\n").is_ok());
    // The Panda is rated for 1.7 m/s; the cap only has to bind on the fastest arm of the cell.
    assert!(parse("\"panda\"", "\n[limits]\ntcp_speed_mm_s = 1500\n").is_ok());
    let two = "\n[[arm]]\nname = \"b\"\nmodel = \"panda\"\nbase = { xyz_mm = [1000, 0, 0] }\n\n[limits]\ntcp_speed_mm_s = 1500\n";
    assert!(parse("\"ur5e\"", two).is_ok());
    // A URDF arm publishes no TCP speed: nothing to compare with.
    assert!(parse("{ urdf = \"arms/ur5e.urdf\" }", "\n[limits]\ntcp_speed_mm_s = 3000\n").is_ok());
}

#[test]
fn every_tool_kind_has_its_tcp_offset() {
    let tools = "\n[[tool]]\nname = \"g\"\nkind = \"parallel_gripper\"\nmounted_on = \"arm\"\nmax_width_mm = 85\nmax_force_n = 140\n\
        \n[[tool]]\nname = \"cam\"\nkind = \"camera\"\nmounted_on = \"arm\"\ntcp_mm = 80\n";
    let c = parse("\"ur5e\"", tools).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.grippers[0].tcp, 0.15);
    assert!(matches!(c.cameras[0].mount, crate::sim::cell::CameraMount::Arm { tcp, .. } if (tcp - 0.08).abs() < 1e-12));
    let fixed = "\n[[tool]]\nname = \"cam\"\nkind = \"camera\"\npose = { xyz_mm = [0, 0, 900] }\ntcp_mm = 80\n";
    let e = error("\"ur5e\"", fixed);
    assert_eq!((e.line, e.column, e.key.as_str()), (12, 10, "tool.tcp_mm"));
}

// ---- Non-UR arms in the simulator --------------------------------------------------------------

fn down_at(x: f64, y: f64, z: f64) -> Pose {
    Pose::from_parts(Translation3::new(x, y, z), UnitQuaternion::identity())
}

fn sim(model: &str) -> (Simulator, ObjectRef) {
    sim_from(model, "")
}

fn sim_from(model: &str, home: &str) -> (Simulator, ObjectRef) {
    let extra = home.to_string()
        + "\n[[tool]]\nname = \"g\"\nkind = \"parallel_gripper\"\nmounted_on = \"arm\"\ntcp_mm = 100\nmax_width_mm = 80\nmax_force_n = 70\n";
    let cell = parse(model, &extra).unwrap_or_else(|e| panic!("{e}"));
    let sim = Simulator::new(&cell, 1);
    let arm = sim.object("arm").unwrap_or_else(|| panic!("no arm"));
    (sim, arm)
}

#[test]
fn a_panda_moves_to_poses_and_along_lines() {
    let (mut sim, arm) = sim("\"panda\"");
    let target = down_at(0.45, 0.1, 0.2);
    sim.execute(&Command::MoveTo { arm, target, speed: 0.5 }).unwrap_or_else(|f| panic!("{f:?}"));
    assert!((sim.tcp(arm).translation.vector - target.translation.vector).norm() < 1e-6);
    assert!(sim.tcp(arm).rotation.angle_to(&target.rotation) < 1e-6);
    assert_eq!(sim.joints(arm).len(), 7);
    let next = down_at(0.45, -0.15, 0.2);
    sim.execute(&Command::MoveLinear { arm, target: next, speed: 0.25 }).unwrap_or_else(|f| panic!("{f:?}"));
    assert!((sim.tcp(arm).translation.vector - next.translation.vector).norm() < 1e-6);
    // Panda joint speeds (2.175 rad/s on joint 1) time a joint move: 1 rad at full speed.
    let mut q = sim.joints(arm);
    let t0 = sim.now();
    q[0] += 1.0;
    sim.execute(&Command::MoveJoint { arm, q: q.clone(), speed: 1.0 }).unwrap_or_else(|f| panic!("{f:?}"));
    let want = crate::sim::profile::trapezoid_duration(1.0, 2.175, crate::sim::profile::JOINT_ACCELERATION);
    assert!((sim.now() - t0 - want).abs() < 1e-9, "{} vs {want}", sim.now() - t0);
}

#[test]
fn a_panda_refuses_what_it_cannot_do() {
    let (mut sim, arm) = sim("\"panda\"");
    let f = sim.execute(&Command::MoveTo { arm, target: down_at(1.2, 0.0, 0.1), speed: 0.5 });
    let f = f.err().unwrap_or_else(|| panic!("reached 1.2 m"));
    assert_eq!(f.kind, FaultKind::Unreachable);
    assert!(f.message.contains("arm `arm` (panda, reach 0.85 m)"), "{}", f.message);
    let six = vec![0.0; 6];
    let f = sim.execute(&Command::MoveJoint { arm, q: six, speed: 0.5 }).err().unwrap_or_else(|| panic!("6 angles"));
    assert!(f.message.contains("has 7 joints; move_joint got 6 angles"), "{}", f.message);
    let mut q = panda::READY.to_vec();
    q[5] = -0.5;
    let f = sim.execute(&Command::MoveJoint { arm, q, speed: 0.5 }).err().unwrap_or_else(|| panic!("past a stop"));
    assert_eq!(f.kind, FaultKind::LimitExceeded);
    assert!(f.message.contains("joint 6") && f.message.contains("[-1.0, 215.0] deg"), "{}", f.message);
}

#[test]
fn a_urdf_arm_moves_like_the_built_in_model_it_describes() {
    let home = "home_deg = [0, -90, 90, -90, -90, 0]\n";
    let (mut urdf, a) = sim_from("{ urdf = \"arms/ur5e.urdf\" }", home);
    let (mut dh, b) = sim_from("\"ur5e\"", home);
    assert!((urdf.tcp(a).translation.vector - dh.tcp(b).translation.vector).norm() < 1e-9);
    let turned = UnitQuaternion::from_axis_angle(&Vector3::z_axis(), PI / 6.0);
    let target = Pose::from_parts(Translation3::new(-0.45, -0.1, 0.2), turned);
    for (sim, arm) in [(&mut urdf, a), (&mut dh, b)] {
        sim.execute(&Command::MoveTo { arm, target, speed: 0.5 }).unwrap_or_else(|f| panic!("{f:?}"));
    }
    assert!((urdf.tcp(a).translation.vector - dh.tcp(b).translation.vector).norm() < 1e-6);
    let (qa, qb) = (urdf.joints(a), dh.joints(b));
    assert!(qa.iter().zip(&qb).all(|(x, y)| (x - y).abs() < 1e-5), "{qa:?} vs {qb:?}");
    assert!((urdf.now() - dh.now()).abs() < 1e-3 * dh.now().max(1.0));
}
