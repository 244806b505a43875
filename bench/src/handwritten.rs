//! The examples' episodes written directly in Rust against the simulator API, command for command
//! as their `main.skill` and `std::motion` issue them: the floor a compiled Deft episode is
//! measured against. No safety monitor, no value heap, no trace: only the simulator's own work and
//! the same queries and checks the programs make (`holding()`, `distance`, `within`, `retry`).

use deft_runtime::backend::{Backend, Command, ObjectRef, Pose, Reply};
use deft_runtime::fault::{Fault, FaultKind};
use deft_runtime::nalgebra::{Translation3, UnitQuaternion, Vector3};
use deft_runtime::sim::Simulator;

/// `std::motion::APPROACH`: 50 mm.
const APPROACH: f64 = 0.05;
/// `move_to`'s default speed: 50 % of the joint speeds.
const JOINT_SPEED: f64 = 0.5;
/// `move_linear`'s default speed: 250 mm/s.
const LINEAR_SPEED: f64 = 0.25;

/// What an episode ended with, as `deft run` reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Episode {
    pub fault: Option<Fault>,
    pub cycle_time_s: f64,
    pub energy_j: f64,
    pub commands: u64,
}

/// The simulator and the number of commands it executed.
struct Run {
    sim: Simulator,
    commands: u64,
}

fn missing(what: &str) -> Fault {
    Fault::new(FaultKind::Hardware, format!("the cell has no {what}"))
}

impl Run {
    fn obj(&self, name: &str) -> Result<ObjectRef, Fault> {
        self.sim.object(name).ok_or_else(|| missing(name))
    }

    fn exec(&mut self, c: Command) -> Result<Reply, Fault> {
        self.commands += 1;
        self.sim.execute(&c)
    }

    fn arm_of(&self, tool: ObjectRef) -> Result<ObjectRef, Fault> {
        self.sim.tool_arm(tool).ok_or_else(|| missing("arm for a tool"))
    }

    /// `std::motion::approach`.
    fn approach(&mut self, arm: ObjectRef, target: Pose) -> Result<(), Fault> {
        self.exec(Command::MoveTo { arm, target: above(target, APPROACH), speed: JOINT_SPEED })?;
        self.exec(Command::MoveLinear { arm, target, speed: LINEAR_SPEED })?;
        Ok(())
    }

    /// `std::motion::retreat`.
    fn retreat(&mut self, arm: ObjectRef) -> Result<(), Fault> {
        let target = above(self.sim.tcp(arm), APPROACH);
        self.exec(Command::MoveLinear { arm, target, speed: LINEAR_SPEED })?;
        Ok(())
    }

    fn holding(&self, gripper: ObjectRef) -> bool {
        self.sim.held(gripper).is_some()
    }

    /// `std::motion::pick`.
    fn pick(&mut self, gripper: ObjectRef, part: ObjectRef, force: f64) -> Result<(), Fault> {
        if self.holding(gripper) {
            return Err(Fault::new(FaultKind::Ensure, "requires not gripper.holding()"));
        }
        let arm = self.arm_of(gripper)?;
        self.approach(arm, self.sim.part_pose(part))?;
        self.exec(Command::Grasp { gripper, part, force })?;
        self.retreat(arm)
    }

    /// `std::motion::place`.
    fn place(&mut self, gripper: ObjectRef, part: ObjectRef, at: Pose, tolerance: f64) -> Result<(), Fault> {
        if !self.holding(gripper) {
            return Err(Fault::new(FaultKind::Ensure, "requires gripper.holding()"));
        }
        let arm = self.arm_of(gripper)?;
        self.approach(arm, at)?;
        self.exec(Command::Release { gripper })?;
        self.retreat(arm)?;
        let error = (self.sim.part_pose(part).translation.vector - at.translation.vector).norm();
        if error > tolerance {
            return Err(Fault::new(FaultKind::Ensure, format!("placed {error} m from its target")));
        }
        Ok(())
    }

    fn slot(&self, fixture: &str, name: &str) -> Result<Pose, Fault> {
        self.sim.slot(self.obj(fixture)?, name).ok_or_else(|| missing(name))
    }

    fn finish(self, result: Result<(), Fault>) -> Episode {
        Episode {
            fault: result.err(),
            cycle_time_s: self.sim.now(),
            energy_j: self.sim.energy(),
            commands: self.commands,
        }
    }
}

/// `p.above(d)`: moved up in the world frame, rotation kept.
fn above(mut p: Pose, d: f64) -> Pose {
    p.translation.vector += Vector3::new(0.0, 0.0, d);
    p
}

/// `examples/pick_place`: `main()`.
pub fn pick_place(sim: Simulator) -> Episode {
    let mut r = Run { sim, commands: 0 };
    let result = pick_place_main(&mut r);
    r.finish(result)
}

fn pick_place_main(r: &mut Run) -> Result<(), Fault> {
    let (arm, gripper, block) = (r.obj("arm")?, r.obj("gripper")?, r.obj("block")?);
    if r.holding(gripper) {
        return Err(Fault::new(FaultKind::Ensure, "requires not gripper.holding()"));
    }
    r.pick(gripper, block, 30.0)?;
    let slot = r.slot("out_jig", "base")?;
    r.place(gripper, block, slot, 0.001)?;
    let home = [0.0, -90.0, 90.0, -90.0, -90.0, 0.0].map(f64::to_radians).to_vec();
    r.exec(Command::MoveJoint { arm, q: home, speed: JOINT_SPEED })?;
    Ok(())
}

/// `examples/motor_housing`: `main()`, i.e. `assemble()`.
pub fn motor_housing(sim: Simulator) -> Episode {
    let mut r = Run { sim, commands: 0 };
    let result = assemble(&mut r);
    r.finish(result)
}

/// Screw hole `i` on top of a cover lying at `cover`, as the program's `hole` computes it.
fn hole(cover: Pose, thickness: f64, i: usize) -> Pose {
    // `25 mm` is compiled as 25 × 1e-3, which is not the literal 0.018 for 18 mm: written the same way.
    let (hole_x, hole_y) = (25.0 * 1e-3, 18.0 * 1e-3);
    let x = if i == 1 || i == 2 { -hole_x } else { hole_x };
    let y = if i >= 2 { -hole_y } else { hole_y };
    cover * Pose::from_parts(Translation3::new(x, y, thickness), UnitQuaternion::identity())
}

fn assemble(r: &mut Run) -> Result<(), Fault> {
    let (gripper, driver, cam) = (r.obj("gripper")?, r.obj("driver")?, r.obj("top_cam")?);
    let (housing, cover) = (r.obj("housing")?, r.obj("cover")?);
    let screws = r.sim.group("screws").ok_or_else(|| missing("screws"))?;
    if r.holding(gripper) {
        return Err(Fault::new(FaultKind::Ensure, "requires not gripper.holding()"));
    }
    let grip = (r.sim.part_mass(housing) * 9.81 * 4.0).clamp(20.0, 120.0);
    r.pick(gripper, housing, grip)?;
    let base = r.slot("jig", "base")?;
    r.place(gripper, housing, base, 0.001)?;
    r.pick(gripper, cover, 30.0)?;
    let on_housing = above(r.sim.part_pose(housing), r.sim.part_size(housing).z);
    r.place(gripper, cover, on_housing, 0.0002)?;
    // set_screws
    if r.holding(gripper) {
        return Err(Fault::new(FaultKind::Ensure, "requires not gripper.holding()"));
    }
    for (i, s) in screws.iter().enumerate() {
        r.pick(gripper, *s, 20.0)?;
        let at = hole(r.sim.part_pose(cover), r.sim.part_size(cover).z, i);
        r.place(gripper, *s, at, 0.0005)?;
    }
    // fasten_all: `retry 2 { drive(s) }`, so up to three attempts each.
    for s in &screws {
        let mut attempt = 0;
        while let Err(fault) = drive(r, driver, *s) {
            attempt += 1;
            if attempt > 2 {
                return Err(fault);
            }
        }
    }
    match r.exec(Command::Inspect { camera: cam, part: cover, feature: "gap".to_string() })? {
        Reply::Inspection { ok: true, .. } => Ok(()),
        _ => Err(Fault::new(FaultKind::Ensure, "cover gap out of tolerance")),
    }
}

/// `drive(s)`: approach the screw, fasten it within 4 s, back off.
fn drive(r: &mut Run, driver: ObjectRef, screw: ObjectRef) -> Result<(), Fault> {
    let arm = r.arm_of(driver)?;
    r.approach(arm, r.sim.part_pose(screw))?;
    let deadline = r.sim.now() + 4.0;
    r.exec(Command::Fasten { driver, screw, torque: 2.5, angle: 720f64.to_radians() })?;
    if r.sim.now() > deadline {
        return Err(Fault::new(FaultKind::Timeout, "within 4 s exceeded"));
    }
    r.retreat(arm)
}

/// `examples/palletize`: `main()`.
pub fn palletize(sim: Simulator) -> Episode {
    let mut r = Run { sim, commands: 0 };
    let result = palletize_main(&mut r);
    r.finish(result)
}

fn palletize_main(r: &mut Run) -> Result<(), Fault> {
    let gripper = r.obj("gripper")?;
    let boxes = r.sim.group("boxes").ok_or_else(|| missing("boxes"))?;
    if r.holding(gripper) {
        return Err(Fault::new(FaultKind::Ensure, "requires not gripper.holding()"));
    }
    // grid(pallet.slot("corner"), 2, 3), the pitches scaled as the compiler scales `70 mm`.
    let corner = r.slot("pallet", "corner")?;
    let (pitch_x, pitch_y, clearance) = (70.0 * 1e-3, 60.0 * 1e-3, 120.0 * 1e-3);
    let mut places = Vec::new();
    for row in 0..2 {
        for column in 0..3 {
            let offset = Translation3::new(f64::from(column) * pitch_x, f64::from(row) * pitch_y, 0.0 * 1e-3);
            places.push(corner * Pose::from_parts(offset, UnitQuaternion::identity()));
        }
    }
    if boxes.len() > places.len() {
        return Err(Fault::new(FaultKind::Ensure, "the boxes do not fit"));
    }
    let arm = r.arm_of(gripper)?;
    for (b, at) in boxes.iter().zip(&places) {
        r.pick(gripper, *b, 40.0)?;
        r.exec(Command::MoveTo { arm, target: above(*at, clearance), speed: JOINT_SPEED })?;
        r.place(gripper, *b, *at, 0.001)?;
    }
    Ok(())
}
