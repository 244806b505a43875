//! The contact model end to end: guarded moves of a held bearing into a bore with a press fit,
//! misaligned, obstructed, in free air, and the fastening angle reply.

use super::contact::STIFFNESS;
use super::*;
use nalgebra::Translation3;

const CELL: &str = r#"
[cell]
name = "press-cell"

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
name = "tray"
pose = { xyz_mm = [400, -200, 0] }
slots = { a = { xyz_mm = [0, 0, 20] }, b = { xyz_mm = [60, 0, 20] } }

[[fixture]]
name = "press"
pose = { xyz_mm = [400, 200, 0] }
size_mm = [120, 120, 40]
slots = { bore = { xyz_mm = [0, 0, 28], depth_mm = 12, clearance_mm = 0.05, press_force_n = 60 }, flat = { xyz_mm = [40, 40, 40] } }

[[part]]
name = "bearing"
size_mm = [22, 22, 7]
mass_kg = 0.012
at = "tray.a"

[[part]]
name = "spare"
size_mm = [22, 22, 7]
mass_kg = 0.012
at = "tray.b"
"#;

struct Press {
    sim: Simulator,
    /// When the last guarded move started, s.
    started: f64,
}

impl Press {
    fn new() -> Press {
        let cell = parse_cell(CELL, "press/cell.toml").unwrap_or_else(|e| panic!("cell: {e}"));
        Press { sim: Simulator::new(&cell, 3), started: 0.0 }
    }
    fn obj(&self, name: &str) -> ObjectRef {
        self.sim.object(name).unwrap_or_else(|| panic!("no object {name}"))
    }
    fn ok(&mut self, c: Command) -> Reply {
        match self.sim.execute(&c) {
            Ok(r) => r,
            Err(f) => panic!("{c:?} failed: {f}"),
        }
    }
    fn seat(&self) -> Pose {
        self.sim.slot(self.obj("press"), "bore").unwrap_or_else(|| panic!("no bore"))
    }
    fn pick(&mut self, part: &str) {
        let (arm, gripper, p) = (self.obj("arm"), self.obj("gripper"), self.obj(part));
        let at = self.sim.part_pose(p);
        self.ok(Command::MoveTo { arm, target: above(at, 0.05), speed: 0.5 });
        self.ok(Command::MoveLinear { arm, target: at, speed: 0.25 });
        self.ok(Command::Grasp { gripper, part: p, force: 30.0 });
        self.ok(Command::MoveLinear { arm, target: above(at, 0.05), speed: 0.25 });
    }
    /// Hover 20 mm above the bore's mouth, offset sideways by `dx`, then press down to 2 mm below
    /// the seat with a guarded move.
    fn press(&mut self, dx: f64, max_force: f64) -> (f64, f64, bool) {
        let arm = self.obj("arm");
        let seat = Translation3::new(dx, 0.0, 0.0) * self.seat();
        self.ok(Command::MoveTo { arm, target: above(seat, 0.032), speed: 0.5 });
        self.started = self.sim.now();
        match self.ok(Command::MoveUntilContact { arm, target: above(seat, -0.002), speed: 0.01, max_force }) {
            Reply::Contact { force, travel, touched } => (force, travel, touched),
            other => panic!("a guarded move replied {other:?}"),
        }
    }
    fn bearing_z(&self) -> f64 {
        self.sim.part_pose(self.obj("bearing")).translation.vector.z
    }
}

fn above(p: Pose, d: f64) -> Pose {
    Translation3::new(0.0, 0.0, d) * p
}

#[test]
fn an_aligned_bearing_is_pressed_to_the_seat_and_stays_there_when_released() {
    let mut e = Press::new();
    e.pick("bearing");
    let (force, travel, touched) = e.press(0.0, 100.0);
    assert!(touched);
    assert!((force - 100.0).abs() < 1e-3, "force {force}");
    // The press fit takes 60 N at the seat; the other 40 N compress the rigid stop.
    let overtravel = 40.0 / STIFFNESS;
    assert!((travel - (0.032 + overtravel)).abs() < 1e-6, "travel {travel}");
    assert!((e.bearing_z() - (0.028 - overtravel)).abs() < 1e-6, "bearing at {}", e.bearing_z());
    // 32 mm at 10 mm/s takes a little over 3.2 s.
    let took = e.sim.now() - e.started;
    assert!(took > 3.2 && took < 3.6, "took {took}");
    let (gripper, bearing, press) = (e.obj("gripper"), e.obj("bearing"), e.obj("press"));
    e.ok(Command::Release { gripper });
    assert!((e.sim.part_pose(bearing).translation.vector - e.seat().translation.vector).norm() < 1e-9);
    assert_eq!(e.sim.world.parts[bearing.index as usize].slot, Some((press.index as usize, 0)));
}

#[test]
fn a_threshold_below_the_press_force_stops_the_bearing_part_way_in() {
    let mut e = Press::new();
    e.pick("bearing");
    let (force, _, touched) = e.press(0.0, 30.0);
    assert!(touched && (force - 30.0).abs() < 1e-3);
    // 30 N of a 60 N fit over 12 mm: half way, 6 mm into the bore.
    assert!((e.bearing_z() - 0.034).abs() < 1e-6, "bearing at {}", e.bearing_z());
}

#[test]
fn a_misaligned_bearing_lands_on_the_rim_of_the_bore() {
    let mut e = Press::new();
    e.pick("bearing");
    let (force, travel, touched) = e.press(0.001, 100.0);
    assert!(touched && (force - 100.0).abs() < 1e-3);
    // The mouth is 12 mm above the seat: contact after 20 mm, plus 0.5 mm of compression.
    assert!((travel - (0.020 + 100.0 / STIFFNESS)).abs() < 1e-6, "travel {travel}");
    // Within the clearance it goes in.
    let mut e = Press::new();
    e.pick("bearing");
    let (_, travel, _) = e.press(0.00004, 100.0);
    assert!(travel > 0.032, "travel {travel}");
}

#[test]
fn an_occupied_bore_stops_the_next_part_on_the_occupant() {
    let mut e = Press::new();
    e.pick("bearing");
    e.press(0.0, 100.0);
    let gripper = e.obj("gripper");
    e.ok(Command::Release { gripper });
    let arm = e.obj("arm");
    let up = above(e.sim.tcp(arm), 0.05);
    e.ok(Command::MoveLinear { arm, target: up, speed: 0.25 });
    e.pick("spare");
    let (_, _, touched) = e.press(0.0, 50.0);
    assert!(touched);
    // The bearing's top is 7 mm above the seat.
    let spare = e.sim.part_pose(e.obj("spare")).translation.vector.z;
    assert!((spare - (0.028 + 0.007 - 50.0 / STIFFNESS)).abs() < 1e-6, "spare at {spare}");
}

#[test]
fn a_guarded_move_in_free_air_reaches_its_target_and_says_so() {
    let mut e = Press::new();
    let arm = e.obj("arm");
    let start = Pose::translation(0.3, 0.0, 0.3);
    e.ok(Command::MoveTo { arm, target: start, speed: 0.5 });
    let target = above(start, -0.05);
    match e.ok(Command::MoveUntilContact { arm, target, speed: 0.05, max_force: 20.0 }) {
        Reply::Contact { force, travel, touched } => {
            assert!(!touched);
            assert_eq!(force, 0.0);
            assert!((travel - 0.05).abs() < 1e-9);
        }
        other => panic!("{other:?}"),
    }
    assert!((e.sim.tcp(arm).translation.vector - target.translation.vector).norm() < 1e-6);
    // The bare tool tip touches the table at z = 0.
    let (force, travel) = match e.ok(Command::MoveUntilContact {
        arm,
        target: Pose::translation(0.3, 0.0, -0.01),
        speed: 0.05,
        max_force: 20.0,
    }) {
        Reply::Contact { force, travel, .. } => (force, travel),
        other => panic!("{other:?}"),
    };
    assert!((force - 20.0).abs() < 1e-3 && (travel - (0.25 + 20.0 / STIFFNESS)).abs() < 1e-6, "{force} {travel}");
}

#[test]
fn guarded_moves_refuse_fast_or_forceless_commands_without_moving() {
    let mut e = Press::new();
    let arm = e.obj("arm");
    let before = e.sim.tcp(arm);
    let target = above(before, -0.05);
    for (speed, max_force) in [(0.2, 20.0), (0.0, 20.0), (0.05, 0.0), (0.05, f64::NAN)] {
        let c = Command::MoveUntilContact { arm, target, speed, max_force };
        match e.sim.execute(&c) {
            Err(f) => assert_eq!(f.kind, FaultKind::LimitExceeded, "{c:?}"),
            Ok(r) => panic!("{c:?} gave {r:?}"),
        }
    }
    assert_eq!(e.sim.tcp(arm), before);
    assert_eq!(e.sim.now(), 0.0);
}

#[test]
fn bore_keys_are_validated() {
    let bad = CELL.replace("depth_mm = 12, clearance_mm", "clearance_mm");
    let e = parse_cell(&bad, "c.toml").err().unwrap_or_else(|| panic!("accepted a clearance without a depth"));
    assert_eq!(e.key, "fixture.slots.bore.clearance_mm");
    let bad = CELL.replace("depth_mm = 12", "depth_mm = -1");
    let e = parse_cell(&bad, "c.toml").err().unwrap_or_else(|| panic!("accepted a negative depth"));
    assert_eq!(e.key, "fixture.slots.bore.depth_mm");
    let cell = parse_cell(CELL, "c.toml").unwrap_or_else(|e| panic!("{e}"));
    let press = &cell.fixtures[1];
    let fit = press.fits[0].unwrap_or_else(|| panic!("the bore has no fit"));
    assert_eq!((fit.depth, fit.clearance, fit.press_force), (0.012, 0.00005, 60.0));
    assert_eq!(press.fits[1], None);
}
