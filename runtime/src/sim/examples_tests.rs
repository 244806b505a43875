//! The four `examples/` programs, replayed command by command on the simulator with their own
//! `cell.toml`, over many seeds: every pose they visit must be reachable and every grasp, place,
//! fastening and inspection must work as the README says. Each replay mirrors its `main.skill`
//! and `std::motion` (approach 50 mm above at 50 % joint speed, straight down at 250 mm/s).

use super::*;
use nalgebra::UnitQuaternion;

const APPROACH: f64 = 0.05;

fn load(source: &str, path: &str) -> Cell {
    match parse_cell(source, path) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

struct Run {
    sim: Simulator,
}

impl Run {
    fn obj(&self, name: &str) -> ObjectRef {
        self.sim.object(name).unwrap_or_else(|| panic!("no object {name}"))
    }
    fn group(&self, name: &str) -> Vec<ObjectRef> {
        self.sim.group(name).unwrap_or_else(|| panic!("no group {name}"))
    }
    fn ok(&mut self, c: Command) -> Reply {
        match self.sim.execute(&c) {
            Ok(r) => r,
            Err(f) => panic!("{c:?} failed: {f}"),
        }
    }
    fn approach(&mut self, arm: ObjectRef, target: Pose) {
        self.ok(Command::MoveTo { arm, target: above(target, APPROACH), speed: 0.5 });
        self.ok(Command::MoveLinear { arm, target, speed: 0.25 });
    }
    fn retreat(&mut self, arm: ObjectRef) {
        let target = above(self.sim.tcp(arm), APPROACH);
        self.ok(Command::MoveLinear { arm, target, speed: 0.25 });
    }
    fn pick(&mut self, gripper: ObjectRef, part: ObjectRef, force: f64) {
        let arm = self.sim.tool_arm(gripper).expect("gripper on an arm");
        self.approach(arm, self.sim.part_pose(part));
        self.ok(Command::Grasp { gripper, part, force });
        self.retreat(arm);
    }
    fn place(&mut self, gripper: ObjectRef, part: ObjectRef, at: Pose, tolerance: f64) {
        let arm = self.sim.tool_arm(gripper).expect("gripper on an arm");
        self.approach(arm, at);
        self.ok(Command::Release { gripper });
        self.retreat(arm);
        let error = (self.sim.part_pose(part).translation.vector - at.translation.vector).norm();
        assert!(error <= tolerance, "{} placed {error} m from its target", self.sim.object_name(part));
    }
    fn slot(&self, fixture: &str, name: &str) -> Pose {
        self.sim.slot(self.obj(fixture), name).unwrap_or_else(|| panic!("no slot {fixture}.{name}"))
    }
}

fn above(p: Pose, d: f64) -> Pose {
    Translation3::new(0.0, 0.0, d) * p
}

/// `p * pose(xyz(x, y, z), rpy(0, 0, 0))`.
fn offset_in(p: Pose, x: f64, y: f64, z: f64) -> Pose {
    p * Pose::from_parts(Translation3::new(x, y, z), UnitQuaternion::identity())
}

const SEEDS: [u64; 5] = [0, 1, 2, 3, 7];

#[test]
fn pick_place_example_runs() {
    let cell = load(include_str!("../../../examples/pick_place/cell.toml"), "pick_place/cell.toml");
    for seed in SEEDS {
        let mut r = Run { sim: Simulator::new(&cell, seed) };
        let (arm, gripper, block) = (r.obj("arm"), r.obj("gripper"), r.obj("block"));
        r.pick(gripper, block, 30.0);
        r.place(gripper, block, r.slot("out_jig", "base"), 0.001);
        r.ok(Command::MoveJoint { arm, q: cell::DEFAULT_HOME_DEG.map(f64::to_radians).to_vec(), speed: 0.5 });
    }
}

#[test]
fn motor_housing_example_runs() {
    let mut cell = load(include_str!("../../../examples/motor_housing/cell.toml"), "motor_housing/cell.toml");
    // The program retries cross-threaded screws; this replay does not, so it turns them off.
    cell.randomize.cross_thread = 0.0;
    for seed in SEEDS {
        let mut r = Run { sim: Simulator::new(&cell, seed) };
        let (gripper, driver, cam) = (r.obj("gripper"), r.obj("driver"), r.obj("top_cam"));
        let (housing, cover) = (r.obj("housing"), r.obj("cover"));
        // grip_for(housing): 0.45 kg · 9.81 · 4 = 17.7 N, clamped to 20 N.
        r.pick(gripper, housing, 20.0);
        r.place(gripper, housing, r.slot("jig", "base"), 0.001);
        r.pick(gripper, cover, 30.0);
        let on_housing = above(r.sim.part_pose(housing), r.sim.part_size(housing).z);
        r.place(gripper, cover, on_housing, 0.0002);
        let screws = r.group("screws");
        assert_eq!(screws.len(), 4);
        for (i, s) in screws.iter().enumerate() {
            let x = if i == 1 || i == 2 { -0.025 } else { 0.025 };
            let y = if i >= 2 { -0.018 } else { 0.018 };
            let hole = offset_in(r.sim.part_pose(cover), x, y, r.sim.part_size(cover).z);
            r.pick(gripper, *s, 20.0);
            r.place(gripper, *s, hole, 0.0005);
        }
        let screw_arm = r.sim.tool_arm(driver).expect("driver on an arm");
        for s in &screws {
            r.approach(screw_arm, r.sim.part_pose(*s));
            let t0 = r.sim.now();
            r.ok(Command::Fasten { driver, screw: *s, torque: 2.5, angle: 4.0 * std::f64::consts::PI });
            assert!(r.sim.now() - t0 < 4.0);
            r.retreat(screw_arm);
            assert!(r.sim.fastened(*s));
        }
        match r.ok(Command::Inspect { camera: cam, part: cover, feature: "gap".into() }) {
            Reply::Inspection { ok, .. } => assert!(ok),
            other => panic!("no inspection: {other:?}"),
        }
    }
}

#[test]
fn inspect_sort_example_runs() {
    let cell = load(include_str!("../../../examples/inspect_sort/cell.toml"), "inspect_sort/cell.toml");
    for seed in SEEDS {
        let mut r = Run { sim: Simulator::new(&cell, seed) };
        let (gripper, cam) = (r.obj("gripper"), r.obj("cam"));
        let (mut passed, mut rejected) = (0, 0);
        let mut rejects = Vec::new();
        for p in r.group("parts") {
            let Reply::Inspection { ok, .. } =
                r.ok(Command::Inspect { camera: cam, part: p, feature: "flatness".into() })
            else {
                panic!("no inspection")
            };
            r.pick(gripper, p, 25.0);
            if ok {
                r.place(gripper, p, r.slot("pass_tray", &format!("s{passed}")), 0.001);
                passed += 1;
            } else {
                rejects.push(r.sim.object_name(p));
                r.place(gripper, p, r.slot("reject_tray", &format!("s{rejected}")), 0.001);
                rejected += 1;
            }
        }
        assert_eq!(rejects, ["p3", "p6"]);
    }
}

#[test]
fn palletize_example_runs() {
    let cell = load(include_str!("../../../examples/palletize/cell.toml"), "palletize/cell.toml");
    for seed in SEEDS {
        let mut r = Run { sim: Simulator::new(&cell, seed) };
        let gripper = r.obj("gripper");
        let corner = r.slot("pallet", "corner");
        let mut places = Vec::new();
        for row in 0..2 {
            for column in 0..3 {
                places.push(offset_in(corner, column as f64 * 0.07, row as f64 * 0.06, 0.0));
            }
        }
        let boxes = r.group("boxes");
        assert!(boxes.len() <= places.len());
        for (b, at) in boxes.iter().zip(&places) {
            r.pick(gripper, *b, 40.0);
            // main.skill carries each box in 120 mm above its place, clear of the placed ones.
            let arm = r.sim.tool_arm(gripper).expect("gripper on an arm");
            r.ok(Command::MoveTo { arm, target: above(*at, 0.12), speed: 0.5 });
            r.place(gripper, *b, *at, 0.001);
            // On the pallet's top face, 100 mm up.
            assert!((r.sim.part_pose(*b).translation.vector.z - 0.1).abs() < 1e-6);
        }
    }
}
