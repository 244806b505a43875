//! A property test of the collision check: random sequences of moves (seeded, so every run is the
//! same) never leave a held part inside a fixture or the table, and never let the arm, its tool or
//! its part pass through a keep-out without a `Collision`. The oracle is independent of parry:
//! points sampled on the link axes and in the part's box, tested against the boxes directly.

use super::*;
use crate::sim::arms::ArmKinematics;
use nalgebra::{Point3, UnitQuaternion, Vector3};
use std::f64::consts::PI;

const CELL: &str = r#"
[cell]
name = "prop"

[[arm]]
name = "arm"
model = "ur5e"

[[tool]]
name = "gripper"
kind = "parallel_gripper"
mounted_on = "arm"
max_width_mm = 85
max_force_n = 140

[[fixture]]
name = "jig"
pose = { xyz_mm = [400, -300, 0] }
size_mm = [300, 200, 20]
slots = { a = { xyz_mm = [0, 0, 20] } }

[[fixture]]
name = "tower"
pose = { xyz_mm = [450, 150, 0], rpy_deg = [0, 0, 30] }
size_mm = [100, 100, 300]

[[part]]
name = "long"
size_mm = [120, 40, 30]
mass_kg = 0.2
at = "jig.a"

[[keepout]]
name = "zone"
box_mm = { min = [150, 350, 0], max = [700, 800, 700] }
"#;

/// A box in the world by its bottom-face centre and size (the convention of parts and fixtures).
struct BoxAt {
    pose: Pose,
    size: Vector3<f64>,
}

impl BoxAt {
    /// Whether `p` is inside the box by more than `margin` on every side.
    fn contains(&self, p: &Point3<f64>, margin: f64) -> bool {
        let l = self.pose.inverse_transform_point(p);
        l.x.abs() < self.size.x / 2.0 - margin
            && l.y.abs() < self.size.y / 2.0 - margin
            && l.z > margin
            && l.z < self.size.z - margin
    }

    /// Its corners, edge midpoints, face centres and centre, pulled in by `inset`.
    fn points(&self, inset: f64) -> Vec<Point3<f64>> {
        let h = (self.size / 2.0).add_scalar(-inset);
        let mut out = Vec::new();
        for i in [-1.0, 0.0, 1.0] {
            for j in [-1.0, 0.0, 1.0] {
                for k in [-1.0, 0.0, 1.0] {
                    out.push(self.pose * Point3::new(i * h.x, j * h.y, self.size.z / 2.0 + k * h.z));
                }
            }
        }
        out
    }
}

fn keepout_box(k: &KeepOut) -> BoxAt {
    let mut bottom = (k.min + k.max) / 2.0;
    bottom.z = k.min.z;
    BoxAt { pose: Pose::translation(bottom.x, bottom.y, bottom.z), size: k.max - k.min }
}

/// Points on the axes of the arm's links (shoulder onwards) and of its tool capsule, every 2 cm.
fn arm_points(kin: &ArmKinematics, q: &[f64], tcp_mm: f64) -> Vec<Point3<f64>> {
    let mut axes: Vec<Point3<f64>> = kin.joint_origins(q).into_iter().skip(1).collect();
    let flange = kin.fk(q);
    axes.push(flange * Point3::new(0.0, 0.0, tcp_mm - collision::TOOL_RADIUS));
    let mut out = Vec::new();
    for w in axes.windows(2) {
        let n = ((w[1] - w[0]).norm() / 0.02).ceil().max(1.0) as usize;
        out.extend((0..=n).map(|i| w[0] + (w[1] - w[0]) * (i as f64 / n as f64)));
    }
    out
}

struct Oracle {
    kin: ArmKinematics,
    tcp: f64,
    fixtures: Vec<(String, BoxAt)>,
    keepouts: Vec<(String, BoxAt)>,
}

impl Oracle {
    fn new(cell: &Cell) -> Oracle {
        let fixtures = cell
            .fixtures
            .iter()
            .filter_map(|f| f.size.map(|size| (f.name.clone(), BoxAt { pose: f.pose, size })))
            .collect();
        let keepouts = cell.keepouts.iter().map(|k| (k.name.clone(), keepout_box(k))).collect();
        let kin = ArmKinematics::builtin("ur5e").unwrap_or_else(|| panic!("ur5e is built in"));
        Oracle { kin, tcp: cell.arms[0].tcp, fixtures, keepouts }
    }

    /// A keep-out the arm's links or tool are inside by more than 1 mm at `q`.
    fn arm_in_keepout(&self, q: &[f64]) -> Option<&str> {
        let points = arm_points(&self.kin, q, self.tcp);
        self.keepouts.iter().find(|(_, b)| points.iter().any(|p| b.contains(p, 0.001))).map(|(n, _)| n.as_str())
    }

    /// A fixture, keep-out or the table the held part is inside by more than 2 mm.
    fn part_inside(&self, part: &BoxAt) -> Option<String> {
        let points = part.points(0.002);
        if points.iter().any(|p| p.z < -0.002) {
            return Some("the table".into());
        }
        self.fixtures
            .iter()
            .chain(&self.keepouts)
            .find(|(_, b)| points.iter().any(|p| b.contains(p, 0.0)))
            .map(|(n, _)| n.clone())
    }
}

fn pick(sim: &mut Simulator, arm: ObjectRef, gripper: ObjectRef, part: ObjectRef) {
    let at = sim.part_pose(part);
    let up = Translation3::new(0.0, 0.0, 0.1) * at;
    let steps = [
        Command::MoveTo { arm, target: up, speed: 0.5 },
        Command::MoveLinear { arm, target: at, speed: 0.25 },
        Command::Grasp { gripper, part, force: 30.0 },
        Command::MoveLinear { arm, target: up, speed: 0.25 },
    ];
    for c in steps {
        if let Err(f) = sim.execute(&c) {
            panic!("{c:?}: {f}");
        }
    }
}

/// A random command: a joint move by up to ±60° per joint, or a TCP target (tool down, any yaw)
/// reached by `move_to` or a straight line, over the fixtures, the keep-out and the table.
fn random_command(rng: &mut Rng, arm: ObjectRef, q: &[f64]) -> Command {
    match rng.next_u64() % 3 {
        0 => {
            let q = q.iter().map(|v| v + rng.uniform(-PI / 3.0, PI / 3.0)).collect();
            Command::MoveJoint { arm, q, speed: rng.uniform(0.2, 1.0) }
        }
        1 => Command::MoveTo { arm, target: random_pose(rng), speed: rng.uniform(0.2, 1.0) },
        _ => Command::MoveLinear { arm, target: random_pose(rng), speed: rng.uniform(0.05, 0.5) },
    }
}

/// A TCP target with the tool down and any yaw, over the fixtures, the keep-out and the table.
fn random_pose(rng: &mut Rng) -> Pose {
    let (x, y, z) = (rng.uniform(0.15, 0.75), rng.uniform(-0.6, 0.6), rng.uniform(-0.02, 0.45));
    Pose::from_parts(Translation3::new(x, y, z), UnitQuaternion::from_euler_angles(0.0, 0.0, rng.uniform(-PI, PI)))
}

#[test]
fn random_moves_never_leave_a_held_part_in_a_fixture_or_pass_a_keepout_unnoticed() {
    let cell = parse_cell(CELL, "prop/cell.toml").unwrap_or_else(|e| panic!("{e}"));
    let oracle = Oracle::new(&cell);
    let (mut moved, mut collided) = (0, 0);
    for seed in 0..12u64 {
        let mut sim = Simulator::new(&cell, seed);
        let (Some(arm), Some(gripper), Some(part)) = (sim.object("arm"), sim.object("gripper"), sim.object("long"))
        else {
            panic!("objects")
        };
        pick(&mut sim, arm, gripper, part);
        let mut rng = Rng::new(seed ^ 0xC011_1DE5);
        for step in 0..25 {
            let before = sim.joints(arm);
            let command = random_command(&mut rng, arm, &before);
            let result = sim.execute(&command);
            let after = sim.joints(arm);
            let context = format!("seed {seed} step {step}: {command:?} gave {result:?}");
            match &result {
                Ok(_) => {
                    moved += 1;
                    // Along a joint-interpolated path (every 0.5° of the widest joint), no link or
                    // tool axis point may be inside the keep-out: between the check's own samples
                    // no point moves more than 9 mm, less than any capsule's radius + 1 mm.
                    let widest = before.iter().zip(&after).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
                    let joint_path = !matches!(command, Command::MoveLinear { .. });
                    let n = if joint_path { ((widest / 0.5f64.to_radians()).ceil() as usize).max(1) } else { 1 };
                    for k in 0..=n {
                        let s = k as f64 / n as f64;
                        let q: Vec<f64> = before.iter().zip(&after).map(|(a, b)| a + (b - a) * s).collect();
                        let q = if joint_path { q } else { after.clone() };
                        if let Some(zone) = oracle.arm_in_keepout(&q) {
                            panic!("{context}: the arm passed through keep-out `{zone}` at s = {s:.3}");
                        }
                    }
                    if sim.held(gripper).is_some() {
                        let held = BoxAt { pose: sim.part_pose(part), size: cell.parts[0].size };
                        if let Some(what) = oracle.part_inside(&held) {
                            panic!("{context}: the held part ended inside {what}");
                        }
                    }
                }
                Err(f) if f.kind == FaultKind::Collision => {
                    collided += 1;
                    assert_eq!(before, after, "{context}: a refused move moved the arm");
                }
                Err(f) => assert!(
                    matches!(f.kind, FaultKind::Unreachable | FaultKind::LimitExceeded),
                    "{context}: unexpected fault"
                ),
            }
        }
    }
    // The sequences must exercise both outcomes, or the property says nothing.
    assert!(moved > 80 && collided > 50, "{moved} moves done, {collided} refused for collisions");
}
