//! Arms from URDF files: the serial chain of revolute joints from the root link to the deepest
//! leaf, with the joint origins, axes, position limits and velocity limits the file gives.
//!
//! The text is handed in by the caller; nothing here reads files.

use super::chain::{Chain, ChainJoint};
use crate::backend::Pose;
use nalgebra::{Translation3, Unit, UnitQuaternion, Vector3};
use std::collections::HashMap;
use std::f64::consts::TAU;
use urdf_rs::{JointType, Robot};

/// A chain with its limits, as read from a URDF file.
#[derive(Clone, Debug, PartialEq)]
pub struct UrdfArm {
    pub chain: Chain,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub max_speed: Vec<f64>,
}

/// Parse a URDF document into the chain from its root link to the leaf with the most revolute
/// joints on the way (the first such leaf in file order when several tie), so that side branches
/// (a `base` frame, sensor links) are ignored. Fixed joints on the way are folded into the next
/// joint's origin or into the flange; any other joint type on the chain is an error.
pub fn parse(text: &str) -> Result<UrdfArm, String> {
    let robot = urdf_rs::read_from_string(text).map_err(|e| format!("not a valid URDF document: {e}"))?;
    let path = main_path(&robot)?;
    let mut joints = Vec::new();
    let (mut lower, mut upper, mut max_speed) = (Vec::new(), Vec::new(), Vec::new());
    let mut pending = Pose::identity();
    for &j in &path {
        let joint = &robot.joints[j];
        let name = &joint.name;
        let origin = pending * pose(&joint.origin.xyz.0, &joint.origin.rpy.0, name)?;
        let (lo, hi) = match joint.joint_type {
            JointType::Fixed => {
                pending = origin;
                continue;
            }
            JointType::Revolute => (joint.limit.lower, joint.limit.upper),
            // A joint without stops still has to stay within one turn either way of zero, so that
            // angles stay meaningful for the planner.
            JointType::Continuous => (-TAU, TAU),
            ref other => {
                return Err(format!(
                    "joint `{name}` is {other:?}; only revolute, continuous and fixed joints are supported"
                ));
            }
        };
        if joint.mimic.is_some() {
            return Err(format!("joint `{name}` mimics another joint; mimic joints are not supported"));
        }
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(format!("joint `{name}` needs limits with lower < upper, found [{lo}, {hi}]"));
        }
        let speed = joint.limit.velocity;
        if !(speed.is_finite() && speed > 0.0) {
            return Err(format!("joint `{name}` needs a positive `velocity` limit, found {speed}"));
        }
        let axis = Vector3::from(joint.axis.xyz.0);
        let axis = Unit::try_new(axis, 1e-9)
            .filter(|_| axis.iter().all(|v| v.is_finite()))
            .ok_or_else(|| format!("joint `{name}` has no usable axis"))?;
        joints.push(ChainJoint { origin, axis });
        lower.push(lo);
        upper.push(hi);
        max_speed.push(speed);
        pending = Pose::identity();
    }
    if joints.is_empty() {
        return Err("the URDF has no revolute joint between its root and its leaves".to_string());
    }
    Ok(UrdfArm { chain: Chain { joints, tip: pending }, lower, upper, max_speed })
}

/// A URDF origin: translation, then roll about x, pitch about y, yaw about z, fixed axes
/// (R = Rz(yaw) · Ry(pitch) · Rx(roll), the URDF convention).
fn pose(xyz: &[f64; 3], rpy: &[f64; 3], joint: &str) -> Result<Pose, String> {
    if xyz.iter().chain(rpy).any(|v| !v.is_finite()) {
        return Err(format!("joint `{joint}` has a non-finite origin"));
    }
    Ok(Pose::from_parts(
        Translation3::new(xyz[0], xyz[1], xyz[2]),
        UnitQuaternion::from_euler_angles(rpy[0], rpy[1], rpy[2]),
    ))
}

/// Indices of the joints from the root link to the chosen leaf.
fn main_path(robot: &Robot) -> Result<Vec<usize>, String> {
    let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut is_child: HashMap<&str, usize> = HashMap::new();
    for (i, j) in robot.joints.iter().enumerate() {
        children.entry(j.parent.link.as_str()).or_default().push(i);
        if is_child.insert(j.child.link.as_str(), i).is_some() {
            return Err(format!("link `{}` is the child of two joints; a URDF must be a tree", j.child.link));
        }
    }
    let roots: Vec<&str> = robot
        .links
        .iter()
        .map(|l| l.name.as_str())
        .filter(|l| !is_child.contains_key(l) && children.contains_key(l))
        .collect();
    let [root] = roots.as_slice() else {
        return Err(format!("a URDF arm needs exactly one root link with joints, found {}", roots.len()));
    };
    // Depth-first, iteratively (a file could nest deeply), keeping the best leaf path.
    let mut best: (usize, Vec<usize>) = (0, Vec::new());
    let mut stack: Vec<(&str, Vec<usize>)> = vec![(root, Vec::new())];
    let mut visited = 0usize;
    while let Some((link, path)) = stack.pop() {
        visited += 1;
        if visited > robot.joints.len() + 1 {
            return Err("the URDF's joints form a cycle".to_string());
        }
        match children.get(link) {
            Some(js) => {
                // Reversed, so that the first child in file order is explored first.
                for &j in js.iter().rev() {
                    let mut next = path.clone();
                    next.push(j);
                    stack.push((robot.joints[j].child.link.as_str(), next));
                }
            }
            None => {
                let movable = path
                    .iter()
                    .filter(|&&j| matches!(robot.joints[j].joint_type, JointType::Revolute | JointType::Continuous))
                    .count();
                if movable > best.0 {
                    best = (movable, path);
                }
            }
        }
    }
    Ok(best.1)
}
