//! The Franka Emika Panda: 7 revolute joints in Craig's modified DH convention, its joint limits and
//! maximum joint speeds, from Franka's documentation ("Robot and interface specifications",
//! frankaemika.github.io/docs/control_parameters.html).

use super::chain::{Chain, modified_dh_frame};
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};

/// (a, d, α) per joint, metres and radians, as in Franka's table: frame i is
/// Rx(α_i) · Tx(a_i) · Rz(θ_i) · Tz(d_i) of frame i − 1.
pub const DH: [(f64, f64, f64); 7] = [
    (0.0, 0.333, 0.0),
    (0.0, 0.0, -FRAC_PI_2),
    (0.0, 0.316, FRAC_PI_2),
    (0.0825, 0.0, FRAC_PI_2),
    (-0.0825, 0.384, -FRAC_PI_2),
    (0.0, 0.0, FRAC_PI_2),
    (0.088, 0.0, FRAC_PI_2),
];

/// The flange: d = 0.107 m along joint 7's axis, no turn.
pub const FLANGE_D: f64 = 0.107;

/// Joint position limits, rad (Franka's q_min and q_max).
pub const LOWER: [f64; 7] = [-2.8973, -1.7628, -2.8973, -3.0718, -2.8973, -0.0175, -2.8973];
pub const UPPER: [f64; 7] = [2.8973, 1.7628, 2.8973, -0.0698, 2.8973, 3.7525, 2.8973];

/// Maximum joint speeds, rad/s (Franka's q̇_max).
pub const MAX_JOINT_SPEED: [f64; 7] = [2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61];

/// Maximum Cartesian translation speed of the flange, m/s (Franka's ṗ_max = 1.7 m/s).
pub const MAX_TCP_SPEED: f64 = 1.7;

/// Published reach, m (Panda data sheet: 855 mm).
pub const REACH: f64 = 0.855;

/// Franka's "ready" configuration: elbow up, flange pointing down.
pub const READY: [f64; 7] = [0.0, -FRAC_PI_4, 0.0, -3.0 * FRAC_PI_4, 0.0, FRAC_PI_2, FRAC_PI_4];

pub fn chain() -> Chain {
    Chain {
        joints: DH.iter().map(|&(a, d, alpha)| Chain::modified_dh(a, d, alpha)).collect(),
        tip: modified_dh_frame(0.0, FLANGE_D, 0.0),
    }
}
