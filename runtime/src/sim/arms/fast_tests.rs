//! The fast kinematics the simulator runs at every path sample against the reference: one-pass
//! frames the same bit for bit, the rotation-matrix and closed forms and the stepped sines within
//! rounding, and the branch-and-bound IK choosing the solution the full enumeration chooses.

use super::ur::{UR_JOINT_LIMITS, UR5E, UR10E};
use super::ur_model::UrModel;
use super::{ArmKinematics, pose_error};
use crate::sim::rng::Rng;
use std::f64::consts::PI;

fn random_q(rng: &mut Rng, dof: usize) -> Vec<f64> {
    (0..dof).map(|_| rng.uniform(-PI, PI)).collect()
}

/// `frames_into` gives `joint_origins` and `fk` from one pass, bit for bit (the planner and the
/// collision check rely on it to keep `deft run` traces identical).
#[test]
fn one_pass_frames_are_joint_origins_and_fk_bit_for_bit() {
    let mut rng = Rng::new(1);
    for name in ["ur5e", "ur10e", "panda"] {
        let kin = ArmKinematics::builtin(name).unwrap_or_else(|| panic!("{name}"));
        for _ in 0..500 {
            let q = random_q(&mut rng, kin.dof());
            let mut origins = Vec::new();
            let flange = kin.frames_into(&q, &mut origins);
            assert_eq!(origins, kin.joint_origins(&q), "{name} {q:?}");
            assert_eq!(flange, kin.fk(&q), "{name} {q:?}");
        }
    }
}

/// The cached-link FK of `UrModel` is the DH table's, bit for bit.
#[test]
fn cached_links_give_the_dh_fk_bit_for_bit() {
    let mut rng = Rng::new(2);
    for dh in [UR5E, UR10E] {
        let model = UrModel::new(dh);
        for _ in 0..500 {
            let q: [f64; 6] = std::array::from_fn(|_| rng.uniform(-2.0 * PI, 2.0 * PI));
            assert_eq!(model.fk(&q), dh.fk(&q));
        }
    }
}

/// The rotation-matrix chain, the closed form and the stepped sines of a joint path agree with the
/// DH frames to 1e-12 m and rad.
#[test]
fn fast_forward_kinematics_agrees_with_the_dh_frames() {
    let mut rng = Rng::new(3);
    for dh in [UR5E, UR10E] {
        let model = UrModel::new(dh);
        for _ in 0..500 {
            let q: [f64; 6] = std::array::from_fn(|_| rng.uniform(-2.0 * PI, 2.0 * PI));
            let frames = dh.frames(&q);
            let trig = q.map(f64::sin_cos);
            let (mut origins, mut axes) = (Vec::new(), Vec::new());
            let chain = model.frames_trig(&trig, &mut origins, &mut axes);
            let (mut closed_origins, mut closed_axes) = (Vec::new(), Vec::new());
            let (r, p) =
                model.frames_closed(&trig, &mut closed_origins, &mut closed_axes).unwrap_or_else(|| panic!("a UR"));
            for (i, f) in frames.iter().enumerate() {
                assert!((origins[i].coords - f.translation.vector).norm() < 1e-12);
                assert!((closed_origins[i].coords - f.translation.vector).norm() < 1e-12);
                if i < 6 {
                    let z = f.rotation * nalgebra::Vector3::z();
                    assert!((axes[i] - z).norm() < 1e-12 && (closed_axes[i] - z).norm() < 1e-12, "axis {i}");
                }
            }
            let flange = frames[6];
            let (dp, dr) = pose_error(&chain, &flange);
            assert!(dp < 1e-12 && dr < 1e-7, "{dp} {dr}");
            assert!((r - flange.rotation.to_rotation_matrix().into_inner()).norm() < 1e-12);
            assert!((p - flange.translation.vector).norm() < 1e-12);
            let (fp, fz) = model.flange_trig(&trig);
            assert!((fp - p).norm() < 1e-12 && (fz - r.column(2)).norm() < 1e-12);
        }
    }
}

/// Along long joint paths, the stepped sines and cosines stay within 1e-12 of the flange computed
/// afresh at every sample.
#[test]
fn stepped_joint_paths_do_not_drift() {
    let mut rng = Rng::new(4);
    let kin = ArmKinematics::builtin("ur5e").unwrap_or_else(|| panic!("ur5e"));
    for _ in 0..20 {
        let (from, to) = (random_q(&mut rng, 6), random_q(&mut rng, 6));
        let n = 2000;
        let mut path = kin.joint_path(&from, &to, n);
        for k in 1..=n {
            let q: Vec<f64> = from.iter().zip(&to).map(|(a, b)| a + (b - a) * (k as f64 / n as f64)).collect();
            let (p, z) = path.flange(k);
            let exact = kin.fk(&q);
            assert!((p - exact.translation.vector).norm() < 1e-12, "sample {k}");
            assert!((z - exact.rotation * nalgebra::Vector3::z()).norm() < 1e-12, "sample {k}");
        }
    }
}

/// The branch-and-bound IK picks the solution the full enumeration of `UrDh::ik_where` picks
/// (to rounding), with and without a filter, from seeds near and far from the answer. Random
/// seeds far away make exact ties (the shoulder turning furthest in two solutions) now and then.
#[test]
fn branch_and_bound_ik_chooses_as_the_full_enumeration() {
    let mut rng = Rng::new(6);
    let (mut solved, mut filtered, mut ties) = (0, 0, 0);
    for dh in [UR5E, UR10E] {
        let model = UrModel::new(dh);
        for i in 0..2000 {
            let q: [f64; 6] = std::array::from_fn(|_| rng.uniform(-PI, PI));
            let target = dh.fk(&q);
            let current: [f64; 6] = if i % 2 == 0 {
                std::array::from_fn(|j| q[j] + rng.uniform(-0.05, 0.05))
            } else {
                std::array::from_fn(|_| rng.uniform(-PI, PI))
            };
            // A filter that refuses some solutions, and for some targets all of them.
            let elbow = |s: &[f64]| s[2] > 0.0 && s[0].abs() < 1.0;
            for accept in [&(|_: &[f64]| true) as &dyn Fn(&[f64]) -> bool, &elbow] {
                let full = dh.ik_where(&target, &current, &UR_JOINT_LIMITS, accept);
                let fast = model.ik_where(&target, &current, &UR_JOINT_LIMITS, accept);
                match (full, fast) {
                    (Some(a), Some(b)) if a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-9) => solved += 1,
                    (None, None) => filtered += 1,
                    // Two solutions as close as each other (a tie to rounding: the same joint
                    // travels furthest) may be chosen either way; anything else is a difference.
                    (Some(a), Some(b)) => {
                        let (ca, cb) = (super::travel_cost(&a, &current), super::travel_cost(&b, &current));
                        assert!((ca - cb).abs() < 1e-12, "{a:?} (cost {ca}) vs {b:?} (cost {cb})");
                        ties += 1;
                    }
                    (a, b) => panic!("{a:?} vs {b:?} for {q:?} from {current:?}"),
                }
            }
        }
    }
    assert!(solved > 5000 && filtered > 0 && ties < 20, "{solved} solved, {filtered} refused, {ties} ties");
}
