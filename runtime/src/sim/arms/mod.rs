//! Arm models: the kinematics, joint limits and speeds of the built-in UR5e, UR10e and Franka Panda,
//! and of any serial arm described by a URDF file, behind one type, [`ArmKinematics`].
//!
//! All poses here are of the flange in the arm's base frame; tool offsets and the world frame are
//! the simulator's business. Joint configurations are slices with one angle per joint, radians.

pub mod chain;
pub mod ik;
pub mod panda;
pub mod ur;
pub mod urdf;

#[cfg(test)]
mod cell_tests;
#[cfg(test)]
mod reference_tests;
#[cfg(test)]
mod tests;

use crate::backend::Pose;
use chain::Chain;
use ik::Bounds;
use nalgebra::Point3;

/// The names `model = "..."` accepts in a cell.
pub const BUILTIN_MODELS: [&str; 3] = ["ur5e", "ur10e", "panda"];

/// How a model solves its kinematics.
#[derive(Clone, Debug, PartialEq)]
enum Solver {
    /// A UR arm: its own DH product and the analytic eight-solution IK.
    Ur(ur::UrDh),
    /// Any other serial chain: chain FK and the numeric IK of `ik.rs`.
    Chain(Chain),
}

/// One arm model.
#[derive(Clone, Debug, PartialEq)]
pub struct ArmKinematics {
    /// The name messages use: `ur5e`, `panda`, or `urdf arms/my_arm.urdf`.
    pub model: String,
    /// Joint position limits, rad, one per joint.
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Maximum joint speeds, rad/s.
    pub max_speed: Vec<f64>,
    /// Reach from the base, m: published for built-in arms, the sum of the link offsets for URDF arms.
    pub reach: f64,
    /// The rated maximum TCP speed, m/s, where the maker publishes one (not for URDF arms).
    pub max_tcp_speed: Option<f64>,
    /// The start configuration when a cell gives no `home_deg`, rad.
    pub default_home: Vec<f64>,
    solver: Solver,
}

impl ArmKinematics {
    /// A built-in model by its cell name (`ur5e`, `ur10e`, `panda`).
    pub fn builtin(name: &str) -> Option<ArmKinematics> {
        let ur_home = [0.0, -90.0, 90.0, -90.0, -90.0, 0.0].map(f64::to_radians).to_vec();
        let ur = |dh, speed: [f64; 6], reach| ArmKinematics {
            model: name.to_string(),
            lower: ur::UR_JOINT_LIMITS.map(|l| -l).to_vec(),
            upper: ur::UR_JOINT_LIMITS.to_vec(),
            max_speed: speed.to_vec(),
            reach,
            max_tcp_speed: Some(ur::UR_MAX_TCP_SPEED),
            default_home: ur_home.clone(),
            solver: Solver::Ur(dh),
        };
        match name {
            "ur5e" => Some(ur(ur::UR5E, ur::UR5E_MAX_JOINT_SPEED, ur::UR5E_REACH)),
            "ur10e" => Some(ur(ur::UR10E, ur::UR10E_MAX_JOINT_SPEED, ur::UR10E_REACH)),
            "panda" => Some(ArmKinematics {
                model: name.to_string(),
                lower: panda::LOWER.to_vec(),
                upper: panda::UPPER.to_vec(),
                max_speed: panda::MAX_JOINT_SPEED.to_vec(),
                reach: panda::REACH,
                max_tcp_speed: Some(panda::MAX_TCP_SPEED),
                default_home: panda::READY.to_vec(),
                solver: Solver::Chain(panda::chain()),
            }),
            _ => None,
        }
    }

    /// An arm from the text of a URDF file; `label` names it in messages (usually its path). Its
    /// default home is every joint at 0, or at the nearer limit when 0 is outside one.
    pub fn from_urdf(text: &str, label: &str) -> Result<ArmKinematics, String> {
        let arm = urdf::parse(text)?;
        let default_home = arm.lower.iter().zip(&arm.upper).map(|(lo, hi)| 0.0_f64.clamp(*lo, *hi)).collect();
        Ok(ArmKinematics {
            model: format!("urdf {label}"),
            reach: arm.chain.reach_bound(),
            lower: arm.lower,
            upper: arm.upper,
            max_speed: arm.max_speed,
            max_tcp_speed: None,
            default_home,
            solver: Solver::Chain(arm.chain),
        })
    }

    /// Number of joints.
    pub fn dof(&self) -> usize {
        self.lower.len()
    }

    /// Forward kinematics: the flange pose in the base frame. Joints missing from a short `q` count
    /// as 0 and extra ones are ignored (callers check lengths; this must not panic).
    pub fn fk(&self, q: &[f64]) -> Pose {
        match &self.solver {
            Solver::Ur(dh) => dh.fk(&six(q)),
            Solver::Chain(chain) => {
                let mut full = q.to_vec();
                full.resize(chain.dof(), 0.0);
                chain.fk(&full)
            }
        }
    }

    /// The origin of every joint frame from the base to the flange, in the base frame: the points
    /// the links run between (for collision bodies). A UR gives its seven DH frame origins; a chain
    /// gives the base, each joint and the flange.
    pub fn joint_origins(&self, q: &[f64]) -> Vec<Point3<f64>> {
        match &self.solver {
            Solver::Ur(dh) => dh.frames(&six(q)).iter().map(|t| Point3::from(t.translation.vector)).collect(),
            Solver::Chain(chain) => {
                let mut full = q.to_vec();
                full.resize(chain.dof(), 0.0);
                chain.frames(&full).iter().map(|t| Point3::from(t.translation.vector)).collect()
            }
        }
    }

    /// Whether `q` has one finite angle per joint, each inside its limits.
    pub fn within_limits(&self, q: &[f64]) -> bool {
        self.limit_violation(q).is_none() && q.len() == self.dof()
    }

    /// The first joint (0-based) outside its limits, with its angle.
    pub fn limit_violation(&self, q: &[f64]) -> Option<(usize, f64)> {
        q.iter()
            .enumerate()
            .find(|(i, v)| {
                !(v.is_finite()
                    && **v >= self.lower.get(*i).copied().unwrap_or(0.0) - 1e-9
                    && **v <= self.upper.get(*i).copied().unwrap_or(0.0) + 1e-9)
            })
            .map(|(i, v)| (i, *v))
    }

    /// The inverse-kinematics solution for a flange pose that is inside the joint limits and closest
    /// to `current`, or `None` when the pose cannot be reached (or only through a joint limit).
    pub fn ik(&self, target: &Pose, current: &[f64]) -> Option<Vec<f64>> {
        self.ik_where(target, current, &|_| true)
    }

    /// As [`ArmKinematics::ik`], among the solutions `accept` takes: the closest acceptable one of
    /// a UR's eight; the numeric solution of other arms when it is acceptable.
    pub fn ik_where(&self, target: &Pose, current: &[f64], accept: &dyn Fn(&[f64]) -> bool) -> Option<Vec<f64>> {
        if current.len() != self.dof() {
            return None;
        }
        match &self.solver {
            Solver::Ur(dh) => {
                let limits: [f64; 6] = six(&self.upper);
                dh.ik_where(target, &six(current), &limits, accept).map(|q| q.to_vec())
            }
            Solver::Chain(chain) => {
                ik::solve(chain, Bounds { lower: &self.lower, upper: &self.upper }, target, current)
                    .filter(|q| accept(q))
            }
        }
    }
}

/// The first six values of `q`, zero-padded.
fn six(q: &[f64]) -> [f64; 6] {
    let mut out = [0.0; 6];
    for (o, v) in out.iter_mut().zip(q) {
        *o = *v;
    }
    out
}

/// Position and orientation error between two poses: metres, and radians.
pub fn pose_error(a: &Pose, b: &Pose) -> (f64, f64) {
    ((a.translation.vector - b.translation.vector).norm(), a.rotation.angle_to(&b.rotation))
}

/// How far a solution is from the current configuration: the largest joint travel sets the move
/// time, so it decides; the sum breaks ties.
pub fn travel_cost(q: &[f64], current: &[f64]) -> f64 {
    let d = q.iter().zip(current).map(|(a, b)| (a - b).abs());
    d.clone().fold(0.0, f64::max) + 1e-3 * d.sum::<f64>()
}
