//! Arm models: the kinematics, joint limits and speeds of the built-in UR5e, UR10e and Franka Panda,
//! and of any serial arm described by a URDF file, behind one type, [`ArmKinematics`].
//!
//! All poses here are of the flange in the arm's base frame; tool offsets and the world frame are
//! the simulator's business. Joint configurations are slices with one angle per joint, radians.

pub mod chain;
pub mod ik;
pub mod panda;
pub mod trig;
pub mod ur;
pub mod ur_model;
pub mod urdf;

#[cfg(test)]
mod cell_tests;
#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod reference_tests;
#[cfg(test)]
mod tests;

use crate::backend::Pose;
use chain::Chain;
use ik::Bounds;
use nalgebra::{Matrix3, Point3, Vector3};

/// The names `model = "..."` accepts in a cell.
pub const BUILTIN_MODELS: [&str; 3] = ["ur5e", "ur10e", "panda"];

/// How a model solves its kinematics.
#[derive(Clone, Debug, PartialEq)]
enum Solver {
    /// A UR arm: its own DH product and the analytic eight-solution IK.
    Ur(Box<ur_model::UrModel>),
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
            solver: Solver::Ur(Box::new(ur_model::UrModel::new(dh))),
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
            Solver::Ur(ur) => ur.fk(&six(q)),
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
            Solver::Ur(ur) => ur.dh.frames(&six(q)).iter().map(|t| Point3::from(t.translation.vector)).collect(),
            Solver::Chain(chain) => {
                let mut full = q.to_vec();
                full.resize(chain.dof(), 0.0);
                chain.frames(&full).iter().map(|t| Point3::from(t.translation.vector)).collect()
            }
        }
    }

    /// [`ArmKinematics::joint_origins`] appended to `origins`, and [`ArmKinematics::fk`], from one
    /// pass along the chain; the same values bit for bit (`tests.rs` checks it).
    pub fn frames_into(&self, q: &[f64], origins: &mut Vec<Point3<f64>>) -> Pose {
        match &self.solver {
            Solver::Ur(ur) => ur.frames_into(&six(q), origins),
            Solver::Chain(chain) => {
                let mut full = q.to_vec();
                full.resize(chain.dof(), 0.0);
                chain.frames_into(&full, origins)
            }
        }
    }

    /// [`ArmKinematics::frames_into`] by a faster route for a UR (rotation matrices, one
    /// `sin_cos` per joint; the same up to rounding), exactly it for other arms. A UR also gives
    /// the axis of each joint (appended to `axes`: joint `i` turns about it through origin `i`);
    /// other arms leave `axes` as it is.
    ///
    /// The flange comes as a rotation matrix and a position, base frame.
    pub fn frames_fast(
        &self,
        q: &[f64],
        origins: &mut Vec<Point3<f64>>,
        axes: &mut Vec<Vector3<f64>>,
    ) -> (Matrix3<f64>, Vector3<f64>) {
        let flange = match &self.solver {
            Solver::Ur(ur) => {
                let trig = six(q).map(trig::sin_cos);
                if let Some(flange) = ur.frames_closed(&trig, origins, axes) {
                    return flange;
                }
                ur.frames_trig(&trig, origins, axes)
            }
            Solver::Chain(_) => self.frames_into(q, origins),
        };
        (*flange.rotation.to_rotation_matrix().matrix(), flange.translation.vector)
    }

    /// The flange position and z axis at `q`, base frame: by the route of
    /// [`ArmKinematics::frames_fast`].
    pub fn flange_fast(&self, q: &[f64]) -> (Vector3<f64>, Vector3<f64>) {
        match &self.solver {
            Solver::Ur(ur) => ur.flange_trig(&six(q).map(trig::sin_cos)),
            Solver::Chain(_) => {
                let t = self.fk(q);
                (t.translation.vector, t.rotation * Vector3::z())
            }
        }
    }

    /// The frames along a joint-interpolated path from `from` to `to` in `n` steps, for
    /// [`JointPath::frames`].
    pub fn joint_path<'a>(&'a self, from: &'a [f64], to: &'a [f64], n: usize) -> JointPath<'a> {
        let n = n.max(1);
        let (ends, mut from6, mut to6) = ((from, to), six(from), six(to));
        let sums = matches!(&self.solver, Solver::Ur(ur) if ur.closed());
        if sums {
            // The closed form needs θ2 + θ3 and θ2 + θ3 + θ4: those are stepped instead of θ3, θ4.
            for q in [&mut from6, &mut to6] {
                (q[2], q[3]) = (q[1] + q[2], q[1] + q[2] + q[3]);
            }
        }
        let step = std::array::from_fn(|i| trig::sin_cos((to6[i] - from6[i]) / n as f64));
        JointPath {
            kin: self,
            ends,
            from: from6,
            to: to6,
            n,
            step,
            trig: [(0.0, 1.0); 6],
            fresh: None,
            q: Vec::new(),
            sums,
        }
    }

    /// Whether [`ArmKinematics::ik`]'s solutions put the flange at the target to rounding (a UR's
    /// analytic IK), rather than within a numeric solver's tolerance.
    pub fn exact_ik(&self) -> bool {
        matches!(self.solver, Solver::Ur(_))
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

    /// [`ArmKinematics::ik`] written into `out` (`false` and `out` unspecified when there is no
    /// solution): a UR's solution without an allocation, for the many samples of a straight line.
    pub fn ik_into(&self, target: &Pose, current: &[f64], out: &mut Vec<f64>) -> bool {
        if current.len() != self.dof() {
            return false;
        }
        let q = match &self.solver {
            Solver::Ur(ur) => {
                let Some(q) = ur.ik_where(target, &six(current), &six(&self.upper), &|_| true) else { return false };
                q
            }
            Solver::Chain(_) => {
                let Some(q) = self.ik(target, current) else { return false };
                *out = q;
                return true;
            }
        };
        out.clear();
        out.extend_from_slice(&q);
        true
    }

    /// As [`ArmKinematics::ik`], among the solutions `accept` takes: the closest acceptable one of
    /// a UR's eight; the numeric solution of other arms when it is acceptable.
    pub fn ik_where(&self, target: &Pose, current: &[f64], accept: &dyn Fn(&[f64]) -> bool) -> Option<Vec<f64>> {
        if current.len() != self.dof() {
            return None;
        }
        match &self.solver {
            Solver::Ur(ur) => {
                let limits: [f64; 6] = six(&self.upper);
                ur.ik_where(target, &six(current), &limits, accept).map(|q| q.to_vec())
            }
            Solver::Chain(chain) => {
                ik::solve(chain, Bounds { lower: &self.lower, upper: &self.upper }, target, current)
                    .filter(|q| accept(q))
            }
        }
    }
}

/// The frames of an arm at the samples of a joint-interpolated path (see
/// [`ArmKinematics::joint_path`]). A UR's are computed from sines and cosines stepped from sample
/// to sample (one rotation per joint: (θ + δ) from θ and δ), taken afresh every [`RESEED`]
/// samples so that rounding cannot build up; other arms use their chain FK at each sample.
pub struct JointPath<'a> {
    kin: &'a ArmKinematics,
    ends: (&'a [f64], &'a [f64]),
    /// The joints of the sample, for arms other than a UR.
    q: Vec<f64>,
    /// The first six joints of the ends (a UR has six).
    from: [f64; 6],
    to: [f64; 6],
    n: usize,
    /// (sin δ, cos δ) of each joint's step.
    step: [(f64, f64); 6],
    /// (sin θ, cos θ) of each joint at the last sample given.
    trig: [(f64, f64); 6],
    /// The sample `trig` is for.
    fresh: Option<usize>,
    /// Whether the angles stepped are θ1, θ2, θ2 + θ3, θ2 + θ3 + θ4, θ5, θ6, for a UR's closed
    /// form, rather than the joints.
    sums: bool,
}

/// How many samples a stepped sine and cosine goes before it is computed afresh.
const RESEED: usize = 64;

impl JointPath<'_> {
    /// The flange position and z axis (base frame) at sample `k` (0 < `k` ≤ n): at `k / n` of
    /// the way, as `motion::joint_move` interpolates the joints.
    pub fn flange(&mut self, k: usize) -> (Vector3<f64>, Vector3<f64>) {
        let Solver::Ur(ur) = &self.kin.solver else {
            let s = k as f64 / self.n as f64;
            self.q.clear();
            self.q.extend(self.ends.0.iter().zip(self.ends.1).map(|(a, b)| a + (b - a) * s));
            return self.kin.flange_fast(&self.q);
        };
        let stepped = self.fresh == Some(k.wrapping_sub(1)) && !k.is_multiple_of(RESEED) && k != self.n;
        if stepped {
            for ((s, c), (sd, cd)) in self.trig.iter_mut().zip(&self.step) {
                (*s, *c) = (*s * cd + *c * sd, *c * cd - *s * sd);
            }
        } else {
            for (i, t) in self.trig.iter_mut().enumerate() {
                let (a, b) = (self.from[i], self.to[i]);
                *t = trig::sin_cos(a + (b - a) * k as f64 / self.n as f64);
            }
        }
        self.fresh = Some(k);
        if self.sums { ur.flange_sums(&self.trig) } else { ur.flange_trig(&self.trig) }
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
