//! FK of the built-in arms against an independent implementation: the fixtures in
//! tests/fixtures/kinematics/ were computed by scripts/fk_reference.py (numpy, from the published DH
//! tables, not from this code) at 1,000 random configurations per arm.

use super::ArmKinematics;
use nalgebra::Matrix3;
use serde_json::Value;

const UR5E: &str = include_str!("../../../../tests/fixtures/kinematics/ur5e.json");
const UR10E: &str = include_str!("../../../../tests/fixtures/kinematics/ur10e.json");
const PANDA: &str = include_str!("../../../../tests/fixtures/kinematics/panda.json");

/// Largest position (m) and rotation-matrix element differences over every sample of a fixture.
fn worst_deviation(model: &str, fixture: &str) -> (f64, f64, usize) {
    let arm = ArmKinematics::builtin(model).unwrap_or_else(|| panic!("no model {model}"));
    let data: Value = serde_json::from_str(fixture).unwrap_or_else(|e| panic!("{model} fixture: {e}"));
    assert_eq!(data["model"], model);
    let samples = data["samples"].as_array().unwrap_or_else(|| panic!("{model}: no samples"));
    let num = |v: &Value| v.as_f64().unwrap_or_else(|| panic!("{model}: not a number: {v}"));
    let (mut worst_p, mut worst_r) = (0.0_f64, 0.0_f64);
    for s in samples {
        let q: Vec<f64> = s["q"].as_array().map(|a| a.iter().map(num).collect()).unwrap_or_default();
        assert_eq!(q.len(), arm.dof(), "{model}: sample with {} joints", q.len());
        let t = arm.fk(&q);
        for i in 0..3 {
            worst_p = worst_p.max((t.translation.vector[i] - num(&s["position"][i])).abs());
        }
        let r: Matrix3<f64> = *t.rotation.to_rotation_matrix().matrix();
        for i in 0..3 {
            for j in 0..3 {
                worst_r = worst_r.max((r[(i, j)] - num(&s["rotation"][i][j])).abs());
            }
        }
    }
    (worst_p, worst_r, samples.len())
}

fn check(model: &str, fixture: &str) {
    let (p, r, n) = worst_deviation(model, fixture);
    assert_eq!(n, 1000, "{model}: the fixture should hold 1,000 configurations");
    assert!(p < 1e-9, "{model}: FK position differs from the reference by {p:e} m");
    assert!(r < 1e-9, "{model}: FK rotation differs from the reference by {r:e}");
}

#[test]
fn ur5e_fk_agrees_with_the_numpy_reference() {
    check("ur5e", UR5E);
}

#[test]
fn ur10e_fk_agrees_with_the_numpy_reference() {
    check("ur10e", UR10E);
}

#[test]
fn panda_fk_agrees_with_the_numpy_reference() {
    check("panda", PANDA);
}

/// The comparison can fail: the UR5e's FK is far from the UR10e's reference values.
#[test]
fn a_wrong_model_is_caught_by_the_reference() {
    let (p, _, _) = worst_deviation("ur5e", &UR10E.replace("\"model\":\"ur10e\"", "\"model\":\"ur5e\""));
    assert!(p > 0.1, "UR5e and UR10e should differ by decimetres, found {p}");
}
