//! Arm model tests: FK worked by hand from the DH tables, IK round trips and choice of solution for
//! every built-in model, the URDF importer against the DH model, and unreachable targets.

use super::ArmKinematics;
use super::{panda, pose_error, ur};
use crate::backend::Pose;
use crate::sim::rng::Rng;
use nalgebra::Vector3;
use std::f64::consts::{FRAC_PI_2, PI};

const UR5E_URDF: &str = include_str!("../../../../tests/fixtures/kinematics/ur5e.urdf");

fn arm(name: &str) -> ArmKinematics {
    ArmKinematics::builtin(name).unwrap_or_else(|| panic!("no model {name}"))
}

fn close(a: Vector3<f64>, b: [f64; 3]) {
    assert!((a - Vector3::from(b)).norm() < 1e-12, "{a:?} vs {b:?}");
}

/// Worked by hand from the DH table: at q = 0 each Rz is the identity, so the origin moves d1 up, a2
/// and a3 along x (both negative), then d4 along z3 = −y0 (Rx(π/2) of link 1 turned z into −y), d5
/// along z4 = −z0, d6 along z5 = −y0. The flange z axis ends along −y0.
#[test]
fn ur_fk_at_zero_matches_the_dh_table_by_hand() {
    for (name, dh) in [("ur5e", ur::UR5E), ("ur10e", ur::UR10E)] {
        let (d, a) = (dh.d, dh.a);
        let t = arm(name).fk(&[0.0; 6]);
        close(t.translation.vector, [a[1] + a[2], -(d[3] + d[5]), d[0] - d[4]]);
        close(t.rotation * Vector3::z(), [0.0, -1.0, 0.0]);
        close(t.rotation * Vector3::x(), [1.0, 0.0, 0.0]);
    }
}

/// Upright arm, q = (0, −90°, 0, −90°, 0, 0): a2 and a3 both go up, and so does d5; d4 and d6 go
/// along −y0. For the UR5e this is the familiar 1.0794 m "candle" height.
#[test]
fn ur_fk_upright_matches_the_dh_table_by_hand() {
    let q = [0.0, -FRAC_PI_2, 0.0, -FRAC_PI_2, 0.0, 0.0];
    let t = arm("ur5e").fk(&q);
    close(t.translation.vector, [0.0, -(0.1333 + 0.0996), 1.0794]);
    let d = ur::UR10E.d;
    let t = arm("ur10e").fk(&q);
    close(t.translation.vector, [0.0, -(d[3] + d[5]), d[0] + 0.6127 + 0.57155 + d[4]]);
}

/// Panda at q = 0, by hand from Franka's table: the arm stands straight up; the two ±0.0825 offsets
/// of joints 4 and 5 cancel; joint 7's frame is 0.088 out along x and turned by α7 = π/2 after
/// α6 = π/2, so the flange axis points down: z = 0.333 + 0.316 + 0.384 − 0.107 = 0.926.
#[test]
fn panda_fk_at_zero_matches_the_table_by_hand() {
    let t = arm("panda").fk(&[0.0; 7]);
    close(t.translation.vector, [0.088, 0.0, 0.926]);
    close(t.rotation * Vector3::z(), [0.0, 0.0, -1.0]);
    // The ready pose points the flange straight down too, in front of the base.
    let t = arm("panda").fk(&panda::READY);
    close(t.rotation * Vector3::z(), [0.0, 0.0, -1.0]);
    assert!(t.translation.vector.x > 0.25 && t.translation.vector.z > 0.4);
}

fn random_q(a: &ArmKinematics, rng: &mut Rng, margin: f64) -> Vec<f64> {
    (0..a.dof())
        .map(|i| {
            // Stay within ±π on the UR's ±2π joints, so that the sample is the configuration an
            // arm near home would actually have.
            let (lo, hi) = (a.lower[i].max(-PI), a.upper[i].min(PI));
            rng.uniform(lo + margin, hi - margin)
        })
        .collect()
}

/// FK∘IK round trips at random reachable poses, seeded from a configuration near the true one.
fn round_trips(name: &str, count: usize, margin: f64) -> usize {
    let a = arm(name);
    let mut rng = Rng::new(42);
    let mut solved = 0;
    for _ in 0..count {
        let q = random_q(&a, &mut rng, margin);
        let target = a.fk(&q);
        let mut seed = q.clone();
        for (i, v) in seed.iter_mut().enumerate() {
            *v = (*v + rng.uniform(-0.3, 0.3)).clamp(a.lower[i], a.upper[i]);
        }
        let Some(sol) = a.ik(&target, &seed) else { continue };
        let (dp, dr) = pose_error(&a.fk(&sol), &target);
        assert!(dp < 1e-7 && dr < 1e-6, "{name}: round trip error {dp} m, {dr} rad at q = {q:?}");
        assert!(a.within_limits(&sol), "{name}: solution outside the limits: {sol:?}");
        solved += 1;
    }
    solved
}

#[test]
fn ur5e_and_ur10e_ik_round_trip() {
    // Only poses at a wrist or shoulder singularity may be missed.
    assert!(round_trips("ur5e", 2000, 0.0) > 1950);
    assert!(round_trips("ur10e", 2000, 0.0) > 1950);
}

#[test]
fn panda_ik_round_trips() {
    // A seed 0.3 rad away from a reachable configuration must always be solved.
    assert_eq!(round_trips("panda", 500, 0.05), 500);
}

#[test]
fn ik_picks_the_configuration_it_started_from() {
    for (name, q) in [
        ("ur5e", vec![0.3, -1.2, 1.4, -1.8, -1.5, 0.2]),
        ("ur10e", vec![-0.4, -1.4, 1.6, -1.7, -1.5, 0.9]),
        ("panda", vec![0.2, -0.5, 0.1, -2.1, 0.05, 1.7, 0.6]),
    ] {
        let a = arm(name);
        let sol = a.ik(&a.fk(&q), &q).unwrap_or_else(|| panic!("{name}: reachable"));
        for i in 0..q.len() {
            assert!((sol[i] - q[i]).abs() < 1e-6, "{name} joint {i}: {} vs {}", sol[i], q[i]);
        }
    }
}

/// The Panda's redundancy is resolved toward the current configuration: a small move of the target
/// gives a small change of every joint, not a jump to another elbow angle.
#[test]
fn panda_ik_stays_near_the_current_configuration() {
    let a = arm("panda");
    let q = panda::READY.to_vec();
    let target = a.fk(&q) * Pose::translation(0.02, -0.01, 0.03);
    let sol = a.ik(&target, &q).unwrap_or_else(|| panic!("reachable"));
    let largest = sol.iter().zip(&q).map(|(s, c)| (s - c).abs()).fold(0.0, f64::max);
    assert!(largest < 0.15, "a 4 cm move turned a joint by {largest} rad: {sol:?}");
}

#[test]
fn ik_gives_up_outside_the_workspace() {
    let ur5e = arm("ur5e");
    let home = ur5e.default_home.clone();
    assert!(ur5e.ik(&Pose::translation(0.9, 0.1, 0.05), &home).is_none());
    // 1.1 m is beyond a UR5e but inside a UR10e's reach.
    let down = Pose::from_parts(
        nalgebra::Translation3::new(1.0, 0.1, 0.2),
        nalgebra::UnitQuaternion::from_axis_angle(&Vector3::x_axis(), PI),
    );
    assert!(ur5e.ik(&down, &home).is_none());
    assert!(arm("ur10e").ik(&down, &home).is_some());
    let p = arm("panda");
    assert!(p.ik(&Pose::translation(1.2, 0.0, 0.3), &panda::READY).is_none());
}

/// A planar two-link arm has one configuration per (x, y, heading): with the elbow limited to
/// [0.1, 3] rad, a pose made with the elbow at −0.8 rad is only reachable through that limit, and
/// the solver must say so rather than return the clamped near miss or the out-of-limit angle.
#[test]
fn a_pose_only_reachable_through_a_joint_limit_is_unreachable() {
    let urdf = r#"<robot name="planar">
      <link name="a"/><link name="b"/><link name="c"/><link name="tip"/>
      <joint name="shoulder" type="revolute"><parent link="a"/><child link="b"/>
        <axis xyz="0 0 1"/><limit lower="-3" upper="3" effort="1" velocity="1"/></joint>
      <joint name="elbow" type="revolute"><parent link="b"/><child link="c"/><origin xyz="0.4 0 0"/>
        <axis xyz="0 0 1"/><limit lower="0.1" upper="3" effort="1" velocity="1"/></joint>
      <joint name="end" type="fixed"><parent link="c"/><child link="tip"/><origin xyz="0.3 0 0"/></joint>
    </robot>"#;
    let a = ArmKinematics::from_urdf(urdf, "planar.urdf").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.dof(), 2);
    let inside = a.fk(&[0.4, 0.8]);
    let sol = a.ik(&inside, &[0.0, 1.5]).unwrap_or_else(|| panic!("reachable inside the limits"));
    assert!((sol[0] - 0.4).abs() < 1e-6 && (sol[1] - 0.8).abs() < 1e-6, "{sol:?}");
    let behind_the_stop = a.fk(&[0.4, -0.8]);
    assert_eq!(a.ik(&behind_the_stop, &[0.0, 1.5]), None);
    assert_eq!(a.ik(&behind_the_stop, &[0.4, 0.1]), None);
}

#[test]
fn urdf_ur5e_agrees_with_the_dh_model() {
    let urdf = ArmKinematics::from_urdf(UR5E_URDF, "ur5e.urdf").unwrap_or_else(|e| panic!("{e}"));
    let dh = arm("ur5e");
    assert_eq!(urdf.dof(), 6, "the side branch and the fixed flange joint add no joints");
    assert_eq!(urdf.upper[2], PI);
    assert!((urdf.max_speed[0] - PI).abs() < 1e-5, "velocity from the URDF: {}", urdf.max_speed[0]);
    let mut rng = Rng::new(7);
    for _ in 0..500 {
        let q = random_q(&dh, &mut rng, 0.0);
        let (dp, dr) = pose_error(&urdf.fk(&q), &dh.fk(&q));
        assert!(dp < 1e-9 && dr < 1e-9, "URDF and DH differ by {dp} m, {dr} rad at {q:?}");
    }
    // Its numeric IK lands on the pose too.
    let q = vec![0.3, -1.2, 1.4, -1.8, -1.5, 0.2];
    let sol = urdf.ik(&dh.fk(&q), &q).unwrap_or_else(|| panic!("reachable"));
    let (dp, _) = pose_error(&dh.fk(&sol), &dh.fk(&q));
    assert!(dp < 1e-7);
}

#[test]
fn bad_urdf_files_are_explained() {
    let err = |text: &str| ArmKinematics::from_urdf(text, "x.urdf").err().unwrap_or_default();
    assert!(err("<robot").contains("not a valid URDF"));
    let prismatic =
        UR5E_URDF.replacen(r#"name="elbow_joint" type="revolute""#, r#"name="elbow_joint" type="prismatic""#, 1);
    assert!(err(&prismatic).contains("elbow_joint"), "{}", err(&prismatic));
    let no_speed = UR5E_URDF.replacen(r#"effort="150" velocity="3.14159""#, r#"effort="150" velocity="0""#, 1);
    assert!(err(&no_speed).contains("velocity"), "{}", err(&no_speed));
    let inverted =
        UR5E_URDF.replacen(r#"lower="-3.141592653589793" upper="3.141592653589793""#, r#"lower="1" upper="-1""#, 1);
    assert!(err(&inverted).contains("lower < upper"), "{}", err(&inverted));
}

/// A far move (from home on the −x side to a pick above +x): the numeric solver of the UR5e-as-URDF
/// must find the analytic solver's choice, the least-travel configuration, not just any solution.
#[test]
fn numeric_ik_finds_the_least_travel_configuration_on_far_moves() {
    let urdf = ArmKinematics::from_urdf(UR5E_URDF, "ur5e.urdf").unwrap_or_else(|e| panic!("{e}"));
    let dh = arm("ur5e");
    let home = dh.default_home.clone();
    for z in [0.2, 0.25, 0.3] {
        let flange = Pose::from_parts(
            nalgebra::Translation3::new(0.4, -0.25, z),
            nalgebra::UnitQuaternion::from_axis_angle(&Vector3::x_axis(), PI),
        );
        let best = dh.ik(&flange, &home).unwrap_or_else(|| panic!("reachable"));
        let found = urdf.ik(&flange, &home).unwrap_or_else(|| panic!("reachable"));
        let (want, got) = (super::travel_cost(&best, &home), super::travel_cost(&found, &home));
        assert!(got <= want + 1e-6, "numeric {found:?} (cost {got}) vs analytic {best:?} (cost {want})");
    }
}
