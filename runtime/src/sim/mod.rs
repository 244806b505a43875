//! The built-in kinematic, discrete-event simulator: a [`crate::Backend`] for tests, `deft run` and
//! randomized episodes. Deterministic: the same cell, seed and commands give the same state, times
//! and energies, bit for bit. The models are documented in `docs/simulator.md`.

pub mod advance;
pub mod arms;
pub mod cell;
pub mod collision;
pub mod contact;
pub mod energy;
pub mod motion;
pub mod profile;
pub mod rng;
pub mod world;

#[cfg(test)]
mod advance_tests;
#[cfg(test)]
mod collision_prop_tests;
#[cfg(test)]
mod collision_tests;
#[cfg(test)]
mod contact_tests;
#[cfg(test)]
mod examples_tests;
#[cfg(test)]
mod tests;

use crate::backend::{Backend, Command, HardLimits, KeepOut, ObjectKind, ObjectRef, Pose, Reply};
use crate::fault::{Fault, FaultKind};
use crate::sim::cell::{CameraMount, Cell};
use crate::sim::motion::{ArmFrame, Plan, TcpMemo};
use crate::sim::rng::Rng;
use crate::sim::world::{Fasten, Outcome, World};
use nalgebra::{Point3, Translation3, Vector3};
use std::sync::Arc;

pub use cell::{CellError, parse_cell, parse_cell_with};

/// One episode of the simulated cell.
#[derive(Clone, Debug)]
pub struct Simulator {
    /// Shared by every episode of a batch: copying it took about 0.5 % of an episode.
    cell: Arc<Cell>,
    /// Joint angles of each arm, rad.
    q: Vec<Vec<f64>>,
    world: World,
    rng: Rng,
    clock: f64,
    energy: f64,
    /// Each arm's last TCP pose (see [`TcpMemo`]).
    tcp_memo: Vec<TcpMemo>,
    sweep_buffers: collision::SweepBuffers,
}

impl Simulator {
    /// A fresh episode: arms at home, parts where the cell puts them plus the seeded jitter.
    pub fn new(cell: &Cell, seed: u64) -> Simulator {
        Simulator::with_shared(Arc::new(cell.clone()), seed)
    }

    /// [`Simulator::new`] on a cell shared with other episodes (a batch's).
    pub fn with_shared(cell: Arc<Cell>, seed: u64) -> Simulator {
        let mut rng = Rng::new(seed);
        let world = World::new(&cell, &mut rng);
        let q = cell.arms.iter().map(|a| a.home.clone()).collect();
        let tcp_memo = vec![TcpMemo::default(); cell.arms.len()];
        Simulator {
            cell,
            q,
            world,
            rng,
            clock: 0.0,
            energy: 0.0,
            tcp_memo,
            sweep_buffers: collision::SweepBuffers::default(),
        }
    }

    pub fn cell(&self) -> &Cell {
        &self.cell
    }

    /// Whether a screw part has been fastened.
    pub fn fastened(&self, part: ObjectRef) -> bool {
        self.index(part, ObjectKind::Part).is_some_and(|i| self.world.parts[i].fastened)
    }

    fn index(&self, r: ObjectRef, kind: ObjectKind) -> Option<usize> {
        let len = match kind {
            ObjectKind::Arm => self.cell.arms.len(),
            ObjectKind::Gripper => self.cell.grippers.len(),
            ObjectKind::ScrewDriver => self.cell.drivers.len(),
            ObjectKind::Camera => self.cell.cameras.len(),
            ObjectKind::Fixture => self.cell.fixtures.len(),
            ObjectKind::Part => self.cell.parts.len(),
            ObjectKind::Signal => self.cell.signals.len(),
        };
        (r.kind == kind && (r.index as usize) < len).then_some(r.index as usize)
    }

    /// The index of `r` as a `kind`, or a `Hardware` fault: the runtime handed over a reference
    /// that is not in this cell, which is a bug upstream, never a panic here.
    fn expect(&self, r: ObjectRef, kind: ObjectKind) -> Result<usize, Fault> {
        self.index(r, kind).ok_or_else(|| {
            Fault::new(
                FaultKind::Hardware,
                format!(
                    "{} #{} is not a {} of cell `{}`",
                    r.kind.type_name(),
                    r.index,
                    kind.type_name(),
                    self.cell.name
                ),
            )
        })
    }

    fn frame(&self, arm: usize) -> ArmFrame<'_> {
        let a = &self.cell.arms[arm];
        ArmFrame { name: &a.name, kinematics: &a.kinematics, base: a.base, tcp: a.tcp, memo: self.tcp_memo.get(arm) }
    }

    fn arm_tcp(&self, arm: usize) -> Pose {
        self.frame(arm).tcp_pose(&self.q[arm])
    }

    fn gripper_tcp(&self, gripper: usize) -> Pose {
        self.arm_tcp(self.cell.grippers[gripper].arm)
    }

    fn payload(&self, arm: usize) -> f64 {
        (0..self.cell.grippers.len())
            .filter(|&g| self.cell.grippers[g].arm == arm)
            .filter_map(|g| self.world.holding[g])
            .map(|p| self.cell.parts[p].mass)
            .sum()
    }

    /// Carry out a planned motion: first its collision check along the whole path (a collision
    /// refuses it: the arm stays, no time passes), then the move, then the hold check (a part that
    /// slips falls where the acceleration peaked, and the move fails with `Dropped`). `scene` is the
    /// cell as it stands, when the planner has already built it.
    fn apply(&mut self, arm: usize, plan: Plan, scene: Option<collision::Scene>) -> Result<Reply, Fault> {
        let mut buffers = std::mem::take(&mut self.sweep_buffers);
        let (moving, gripper) = self.moving(arm);
        let scene = scene.unwrap_or_else(|| collision::Scene::new(&self.cell, &self.world, &self.cell.keepouts));
        let peak = collision::sweep(&self.cell, &scene, &moving, &plan, self.clock, &mut buffers);
        self.sweep_buffers = buffers;
        let peak = peak?;
        self.energy += energy::motion_energy(plan.duration, &plan.travel, plan.rise, self.payload(arm));
        self.clock += plan.duration;
        self.q[arm] = plan.end;
        if let (Some(g), Some(peak)) = (gripper, peak) {
            self.world.slip(&self.cell, g, peak.accel, peak.time, &peak.tcp)?;
        }
        Ok(Reply::Done)
    }

    /// An arm as the collision model sees it, and its gripper.
    fn moving(&self, arm: usize) -> (collision::Moving<'_>, Option<usize>) {
        let gripper = (0..self.cell.grippers.len()).find(|&g| self.cell.grippers[g].arm == arm);
        let tool = gripper
            .map(|g| self.cell.grippers[g].name.as_str())
            .or_else(|| self.cell.drivers.iter().find(|d| d.arm == arm).map(|d| d.name.as_str()));
        let held =
            gripper.and_then(|g| self.world.holding[g]).and_then(|p| self.world.parts[p].held.map(|(_, o)| (p, o)));
        (collision::Moving { frame: self.frame(arm), arm, tool, held }, gripper)
    }

    fn finish(&mut self, outcome: Outcome) -> Result<Reply, Fault> {
        self.clock += outcome.duration;
        self.energy += energy::idle_energy(outcome.duration);
        outcome.result
    }

    fn camera_position(&self, camera: usize) -> Point3<f64> {
        match &self.cell.cameras[camera].mount {
            CameraMount::Fixed(pose) => Point3::from(pose.translation.vector),
            CameraMount::Arm { arm, tcp } => {
                let a = &self.cell.arms[*arm];
                let p = a.base * a.kinematics.fk(&self.q[*arm]) * Translation3::new(0.0, 0.0, *tcp);
                Point3::from(p.translation.vector)
            }
        }
    }

    /// A straight move that stops where the contact force reaches `max_force` (`sim/contact.rs`).
    /// The contact is found along the line first; the move to that point is then planned and timed
    /// like `move_linear`, so reach, singularities and keep-outs are checked as for any line.
    fn guarded_move(&mut self, arm: usize, target: &Pose, speed: f64, max_force: f64) -> Result<Reply, Fault> {
        if !(speed > 0.0 && speed <= contact::MAX_SPEED) {
            return Err(Fault::new(
                FaultKind::LimitExceeded,
                format!(
                    "guarded move at {:.0} mm/s: the force controller takes (0, {:.0}] mm/s",
                    speed * 1000.0,
                    contact::MAX_SPEED * 1000.0
                ),
            ));
        }
        if !(max_force.is_finite() && max_force > 0.0) {
            return Err(Fault::new(FaultKind::LimitExceeded, format!("guarded move up to {max_force} N")));
        }
        let held = (0..self.cell.grippers.len())
            .filter(|&g| self.cell.grippers[g].arm == arm)
            .find_map(|g| self.world.holding[g]);
        let half_width = held.map_or(0.0, |p| self.cell.parts[p].size.x.max(self.cell.parts[p].size.y) / 2.0);
        let probe = contact::Probe { part: held, half_width };
        let start = self.arm_tcp(arm);
        let from = contact::probe_point(&self.world, &probe, &start);
        let delta = target.translation.vector - start.translation.vector;
        let stop = contact::guarded_stop(&self.cell, &self.world, &probe, &from, &delta, max_force);
        let rotation = start.rotation.try_slerp(&target.rotation, stop.fraction, 1e-12).unwrap_or(target.rotation);
        let end = Pose::from_parts(Translation3::from(start.translation.vector + delta * stop.fraction), rotation);
        let accel = self.linear_acceleration();
        let plan = motion::linear_move(&self.frame(arm), &self.cell.keepouts, &self.q[arm], &end, speed, accel)?;
        self.apply(arm, plan, None)?;
        Ok(Reply::Contact { force: stop.force, travel: delta.norm() * stop.fraction, touched: stop.touched })
    }

    fn linear_acceleration(&self) -> f64 {
        self.cell.limits.acceleration.map_or(profile::LINEAR_ACCELERATION, |a| a.min(profile::LINEAR_ACCELERATION))
    }
}

impl Backend for Simulator {
    fn execute(&mut self, command: &Command) -> Result<Reply, Fault> {
        match command {
            Command::MoveJoint { arm, q, speed } => {
                let a = self.expect(*arm, ObjectKind::Arm)?;
                // The joint count is checked by the planner against the arm's model.
                let plan = motion::joint_move(&self.frame(a), &self.cell.keepouts, &self.q[a], q, *speed)?;
                self.apply(a, plan, None)
            }
            Command::MoveTo { arm, target, speed } => {
                let a = self.expect(*arm, ObjectKind::Arm)?;
                let scene = collision::Scene::new(&self.cell, &self.world, &self.cell.keepouts);
                let (moving, _) = self.moving(a);
                let clear =
                    |q: &[f64]| collision::elbow_up(&moving.frame, q) && scene.links_clear(&self.cell, &moving, q);
                let plan = motion::move_to(&self.frame(a), &self.cell.keepouts, &self.q[a], target, *speed, &clear)?;
                self.apply(a, plan, Some(scene))
            }
            Command::MoveLinear { arm, target, speed } => {
                let a = self.expect(*arm, ObjectKind::Arm)?;
                let accel = self.linear_acceleration();
                let plan = motion::linear_move(&self.frame(a), &self.cell.keepouts, &self.q[a], target, *speed, accel)?;
                self.apply(a, plan, None)
            }
            Command::MoveUntilContact { arm, target, speed, max_force } => {
                let a = self.expect(*arm, ObjectKind::Arm)?;
                self.guarded_move(a, target, *speed, *max_force)
            }
            Command::Grasp { gripper, part, force } => {
                let g = self.expect(*gripper, ObjectKind::Gripper)?;
                let p = self.expect(*part, ObjectKind::Part)?;
                let tcp = self.gripper_tcp(g);
                let outcome = self.world.grasp(&self.cell, g, p, *force, &tcp);
                self.finish(outcome)
            }
            Command::Release { gripper } => {
                let g = self.expect(*gripper, ObjectKind::Gripper)?;
                let tcp = self.gripper_tcp(g);
                let outcome = self.world.release(&self.cell, g, &tcp);
                self.finish(outcome)
            }
            Command::Fasten { driver, screw, torque, angle } => {
                let d = self.expect(*driver, ObjectKind::ScrewDriver)?;
                let s = self.expect(*screw, ObjectKind::Part)?;
                let tcp = self.arm_tcp(self.cell.drivers[d].arm);
                let request = Fasten { driver: d, screw: s, torque: *torque, angle: *angle };
                let outcome = self.world.fasten(&self.cell, &request, &tcp, &mut self.rng);
                self.finish(outcome)
            }
            Command::Inspect { camera, part, feature } => {
                let c = self.expect(*camera, ObjectKind::Camera)?;
                let p = self.expect(*part, ObjectKind::Part)?;
                let distance = (self.part_pose(*part).translation.vector - self.camera_position(c).coords).norm();
                let outcome = self.world.inspect(&self.cell, c, p, feature, distance, &mut self.rng);
                self.finish(outcome)
            }
            Command::Wait { seconds } => {
                if !(seconds.is_finite() && *seconds >= 0.0) {
                    return Err(Fault::new(FaultKind::LimitExceeded, format!("cannot wait {seconds} s")));
                }
                self.finish(Outcome { duration: *seconds, result: Ok(Reply::Done) })
            }
            Command::SetSignal { signal, on } => {
                let s = self.expect(*signal, ObjectKind::Signal)?;
                self.world.set_signal(&self.cell, s, *on, self.clock);
                Ok(Reply::Done)
            }
            Command::WaitSignal { signal, on, timeout } => {
                let s = self.expect(*signal, ObjectKind::Signal)?;
                if !(timeout.is_finite() && *timeout >= 0.0) {
                    return Err(Fault::new(FaultKind::LimitExceeded, format!("cannot wait {timeout} s for a signal")));
                }
                let outcome = self.world.wait_signal(&self.cell, s, *on, *timeout, self.clock);
                self.finish(outcome)
            }
        }
    }

    fn now(&self) -> f64 {
        self.clock
    }

    fn energy(&self) -> f64 {
        self.energy
    }

    fn object(&self, name: &str) -> Option<ObjectRef> {
        let c = &self.cell;
        let find = |kind: ObjectKind, names: Vec<&str>| {
            names.iter().position(|n| *n == name).map(|i| ObjectRef { kind, index: i as u32 })
        };
        find(ObjectKind::Arm, c.arms.iter().map(|a| a.name.as_str()).collect())
            .or_else(|| find(ObjectKind::Gripper, c.grippers.iter().map(|a| a.name.as_str()).collect()))
            .or_else(|| find(ObjectKind::ScrewDriver, c.drivers.iter().map(|a| a.name.as_str()).collect()))
            .or_else(|| find(ObjectKind::Camera, c.cameras.iter().map(|a| a.name.as_str()).collect()))
            .or_else(|| find(ObjectKind::Fixture, c.fixtures.iter().map(|a| a.name.as_str()).collect()))
            .or_else(|| find(ObjectKind::Part, c.parts.iter().map(|a| a.name.as_str()).collect()))
            .or_else(|| find(ObjectKind::Signal, c.signals.iter().map(|a| a.name.as_str()).collect()))
    }

    fn group(&self, name: &str) -> Option<Vec<ObjectRef>> {
        let members: Vec<ObjectRef> = (0..self.cell.parts.len())
            .filter(|&i| self.cell.parts[i].group.as_deref() == Some(name))
            .map(|i| ObjectRef { kind: ObjectKind::Part, index: i as u32 })
            .collect();
        (!members.is_empty()).then_some(members)
    }

    fn object_name(&self, object: ObjectRef) -> String {
        let c = &self.cell;
        let i = object.index as usize;
        let name = match object.kind {
            ObjectKind::Arm => c.arms.get(i).map(|x| &x.name),
            ObjectKind::Gripper => c.grippers.get(i).map(|x| &x.name),
            ObjectKind::ScrewDriver => c.drivers.get(i).map(|x| &x.name),
            ObjectKind::Camera => c.cameras.get(i).map(|x| &x.name),
            ObjectKind::Fixture => c.fixtures.get(i).map(|x| &x.name),
            ObjectKind::Part => c.parts.get(i).map(|x| &x.name),
            ObjectKind::Signal => c.signals.get(i).map(|x| &x.name),
        };
        name.cloned().unwrap_or_else(|| format!("{}#{}", object.kind.type_name(), object.index))
    }

    fn hard_limits(&self) -> HardLimits {
        self.cell.limits
    }

    fn keepouts(&self) -> Vec<KeepOut> {
        self.cell.keepouts.clone()
    }

    fn tcp(&self, arm: ObjectRef) -> Pose {
        self.index(arm, ObjectKind::Arm).map_or(Pose::identity(), |a| self.arm_tcp(a))
    }

    fn joints(&self, arm: ObjectRef) -> Vec<f64> {
        self.index(arm, ObjectKind::Arm).map_or(Vec::new(), |a| self.q[a].to_vec())
    }

    fn tool_arm(&self, tool: ObjectRef) -> Option<ObjectRef> {
        let i = tool.index as usize;
        let arm = match tool.kind {
            ObjectKind::Gripper => self.cell.grippers.get(i).map(|g| g.arm),
            ObjectKind::ScrewDriver => self.cell.drivers.get(i).map(|d| d.arm),
            ObjectKind::Camera => self.cell.cameras.get(i).and_then(|c| match c.mount {
                CameraMount::Arm { arm, .. } => Some(arm),
                CameraMount::Fixed(_) => None,
            }),
            _ => None,
        };
        arm.map(|a| ObjectRef { kind: ObjectKind::Arm, index: a as u32 })
    }

    fn held(&self, gripper: ObjectRef) -> Option<ObjectRef> {
        let g = self.index(gripper, ObjectKind::Gripper)?;
        self.world.holding[g].map(|p| ObjectRef { kind: ObjectKind::Part, index: p as u32 })
    }

    fn part_pose(&self, part: ObjectRef) -> Pose {
        self.index(part, ObjectKind::Part)
            .map_or(Pose::identity(), |p| self.world.part_pose(p, |g| self.gripper_tcp(g)))
    }

    fn part_size(&self, part: ObjectRef) -> Vector3<f64> {
        self.index(part, ObjectKind::Part).map_or(Vector3::zeros(), |p| self.cell.parts[p].size)
    }

    fn part_mass(&self, part: ObjectRef) -> f64 {
        self.index(part, ObjectKind::Part).map_or(0.0, |p| self.cell.parts[p].mass)
    }

    fn fixture_frame(&self, fixture: ObjectRef) -> Pose {
        self.index(fixture, ObjectKind::Fixture).map_or(Pose::identity(), |f| self.cell.fixtures[f].pose)
    }

    fn slot(&self, fixture: ObjectRef, name: &str) -> Option<Pose> {
        let f = &self.cell.fixtures[self.index(fixture, ObjectKind::Fixture)?];
        f.slots.iter().find(|(n, _)| n == name).map(|(_, s)| f.pose * s)
    }

    fn slot_names(&self, fixture: ObjectRef) -> Vec<String> {
        self.index(fixture, ObjectKind::Fixture)
            .map_or_else(Vec::new, |f| self.cell.fixtures[f].slots.iter().map(|(n, _)| n.clone()).collect())
    }

    fn arm_base(&self, arm: ObjectRef) -> Pose {
        self.index(arm, ObjectKind::Arm).map_or(Pose::identity(), |a| self.cell.arms[a].base)
    }
}
