//! A serial chain of revolute joints, the form every non-UR arm is given in (the Panda's modified DH
//! table and URDF files both map onto it): forward kinematics and the geometric Jacobian.

use crate::backend::Pose;
use nalgebra::{Matrix6xX, Translation3, Unit, UnitQuaternion, Vector3};

/// One revolute joint: the fixed transform from the previous joint's frame (after its rotation) to
/// this joint's frame, and the axis it turns about in that frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainJoint {
    pub origin: Pose,
    pub axis: Unit<Vector3<f64>>,
}

/// Joints from the base outwards, then the fixed transform from the last joint to the flange.
#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    pub joints: Vec<ChainJoint>,
    pub tip: Pose,
}

impl Chain {
    /// A joint frame in Craig's modified DH convention: Rx(α) · Tx(a) · Rz(θ) · Tz(d). Rz and Tz
    /// commute, so the fixed part is Rx(α) · Tx(a) · Tz(d) and the axis is z.
    pub fn modified_dh(a: f64, d: f64, alpha: f64) -> ChainJoint {
        ChainJoint { origin: modified_dh_frame(a, d, alpha), axis: Vector3::z_axis() }
    }

    pub fn dof(&self) -> usize {
        self.joints.len()
    }

    /// The flange pose in the base frame. `q` must have one angle per joint.
    pub fn fk(&self, q: &[f64]) -> Pose {
        let mut t = Pose::identity();
        for (joint, angle) in self.joints.iter().zip(q) {
            t = t * joint.origin * UnitQuaternion::from_axis_angle(&joint.axis, *angle);
        }
        t * self.tip
    }

    /// The base frame, each joint's frame (before its rotation) and the flange.
    pub fn frames(&self, q: &[f64]) -> Vec<Pose> {
        let mut out = vec![Pose::identity()];
        let mut t = Pose::identity();
        for (joint, angle) in self.joints.iter().zip(q) {
            t *= joint.origin;
            out.push(t);
            t *= UnitQuaternion::from_axis_angle(&joint.axis, *angle);
        }
        out.push(t * self.tip);
        out
    }

    /// The origins of [`Chain::frames`] appended to `origins`, and the flange pose ([`Chain::fk`]),
    /// from one pass: the same products in the same order.
    pub fn frames_into(&self, q: &[f64], origins: &mut Vec<nalgebra::Point3<f64>>) -> Pose {
        let mut t = Pose::identity();
        origins.push(nalgebra::Point3::from(t.translation.vector));
        for (joint, angle) in self.joints.iter().zip(q) {
            t *= joint.origin;
            origins.push(nalgebra::Point3::from(t.translation.vector));
            t *= UnitQuaternion::from_axis_angle(&joint.axis, *angle);
        }
        let flange = t * self.tip;
        origins.push(nalgebra::Point3::from(flange.translation.vector));
        flange
    }

    /// The flange pose and the geometric Jacobian (rows: linear velocity, then angular velocity,
    /// both in the base frame; one column per joint).
    pub fn fk_jacobian(&self, q: &[f64]) -> (Pose, Matrix6xX<f64>) {
        let mut t = Pose::identity();
        let mut axes = Vec::with_capacity(self.joints.len());
        for (joint, angle) in self.joints.iter().zip(q) {
            t *= joint.origin;
            axes.push((t.translation.vector, t.rotation * joint.axis.into_inner()));
            t *= UnitQuaternion::from_axis_angle(&joint.axis, *angle);
        }
        let end = t * self.tip;
        let p = end.translation.vector;
        let mut jac = Matrix6xX::zeros(self.joints.len());
        for (i, (origin, axis)) in axes.iter().enumerate() {
            let v = axis.cross(&(p - origin));
            jac.fixed_view_mut::<3, 1>(0, i).copy_from(&v);
            jac.fixed_view_mut::<3, 1>(3, i).copy_from(axis);
        }
        (end, jac)
    }

    /// An upper bound on the distance from the base to the flange: the sum of the link offsets.
    pub fn reach_bound(&self) -> f64 {
        self.joints.iter().map(|j| j.origin.translation.vector.norm()).sum::<f64>() + self.tip.translation.vector.norm()
    }
}

/// Rx(α) · Tx(a) · Tz(d) as one transform.
pub fn modified_dh_frame(a: f64, d: f64, alpha: f64) -> Pose {
    let rx = UnitQuaternion::from_axis_angle(&Vector3::x_axis(), alpha);
    Pose::from_parts(Translation3::from(Vector3::new(a, 0.0, 0.0) + rx * Vector3::new(0.0, 0.0, d)), rx)
}
