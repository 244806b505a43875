//! The UR5e's DH table under its old names, for code written before arm models existed. Kinematics
//! of any arm (UR5e, UR10e, Panda, URDF) live in `sim/arms/`; take an arm's
//! [`ArmKinematics`](crate::sim::arms::ArmKinematics) from its `ArmSpec`.

use crate::sim::arms::ur::UR5E;

/// Standard DH parameters of the UR5e (metres and radians).
pub const D: [f64; 6] = UR5E.d;
pub const A: [f64; 6] = UR5E.a;
pub const ALPHA: [f64; 6] = UR5E.alpha;
