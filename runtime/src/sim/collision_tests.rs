//! Tests of the collision and hold checks (`sim/collision.rs`, `World::slip`), the `[randomize]`
//! draws of friction and camera noise, and signal delays.

use super::*;
use nalgebra::UnitQuaternion;
use std::f64::consts::FRAC_PI_2;

/// One UR5e with a gripper at the origin (at home its forearm reaches toward −x at z = 0.59 m),
/// a jig with a plain slot and a bore, a tall post, and `extra` appended (more fixtures, keep-outs,
/// limits, `[randomize]`).
fn cell_with(extra: &str) -> Cell {
    let source = format!(
        r#"
[cell]
name = "collide"

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
pose = {{ xyz_mm = [400, -300, 0] }}
size_mm = [300, 200, 20]
slots = {{ a = {{ xyz_mm = [0, 0, 20] }}, bore = {{ xyz_mm = [100, 50, 8], depth_mm = 12, clearance_mm = 0.05 }} }}

[[part]]
name = "long"
size_mm = [120, 40, 30]
mass_kg = 0.2
at = "jig.a"

[[part]]
name = "post"
size_mm = [40, 40, 100]
mass_kg = 0.3
pose = {{ xyz_mm = [400, -100, 0] }}

[[part]]
name = "heavy"
size_mm = [60, 40, 40]
mass_kg = 1.0
pose = {{ xyz_mm = [250, -450, 0] }}

[[part]]
name = "bearing"
size_mm = [22, 22, 7]
mass_kg = 0.012
pose = {{ xyz_mm = [150, -450, 0] }}
{extra}
"#
    );
    match parse_cell(&source, "collide/cell.toml") {
        Ok(c) => c,
        Err(e) => panic!("test cell does not parse: {e}"),
    }
}

struct Run {
    sim: Simulator,
}

impl Run {
    fn new(cell: &Cell) -> Run {
        Run { sim: Simulator::new(cell, 0) }
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
    fn err(&mut self, c: Command) -> Fault {
        match self.sim.execute(&c) {
            Ok(r) => panic!("{c:?} should fail, gave {r:?}"),
            Err(f) => f,
        }
    }
    fn move_to(&mut self, target: Pose) {
        let arm = self.obj("arm");
        self.ok(Command::MoveTo { arm, target, speed: 0.5 });
    }
    fn line(&mut self, target: Pose) -> Result<Reply, Fault> {
        let arm = self.obj("arm");
        self.sim.execute(&Command::MoveLinear { arm, target, speed: 0.25 })
    }
    fn tcp(&self) -> Pose {
        self.sim.tcp(self.obj("arm"))
    }
    /// Approach a part from 50 mm above, grasp it and lift it 100 mm.
    fn pick(&mut self, part: &str, force: f64) {
        let p = self.obj(part);
        let at = self.sim.part_pose(p);
        self.move_to(above(at, 0.05));
        if let Err(f) = self.line(at) {
            panic!("approach to {part} failed: {f}");
        }
        let gripper = self.obj("gripper");
        self.ok(Command::Grasp { gripper, part: p, force });
        if let Err(f) = self.line(above(at, 0.1)) {
            panic!("lift of {part} failed: {f}");
        }
    }
}

fn above(p: Pose, d: f64) -> Pose {
    Translation3::new(0.0, 0.0, d) * p
}

fn at(x: f64, y: f64, z: f64) -> Pose {
    Pose::from_parts(Translation3::new(x, y, z), UnitQuaternion::identity())
}

/// The time in a collision message ("... at t=1.23 s").
fn time_in(message: &str) -> f64 {
    let t = message.split("at t=").nth(1).and_then(|r| r.split(' ').next()).and_then(|t| t.parse().ok());
    t.unwrap_or_else(|| panic!("no time in {message:?}"))
}

#[test]
fn an_arm_link_sweeping_into_a_fixture_collides_and_the_arm_stays() {
    let cell = cell_with(
        r#"
[[fixture]]
name = "pillar"
pose = { xyz_mm = [0, 400, 0] }
size_mm = [100, 100, 1000]
"#,
    );
    let mut r = Run::new(&cell);
    let arm = r.obj("arm");
    let home = r.sim.joints(arm);
    let mut toward = home.clone();
    toward[0] = -FRAC_PI_2;
    let f = r.err(Command::MoveJoint { arm, q: toward.clone(), speed: 0.5 });
    assert_eq!(f.kind, FaultKind::Collision);
    assert!(f.message.starts_with("arm `arm` link forearm hits fixture `pillar` at t="), "{}", f.message);
    // The forearm reaches the pillar late in the 90° turn (it spans 0.39 m at the start).
    let whole = profile::trapezoid_duration(FRAC_PI_2, std::f64::consts::PI * 0.5, 1.4);
    let t = time_in(&f.message);
    assert!(t > 0.5 * whole && t < whole, "hit at {t} s of a {whole} s move");
    assert_eq!((r.sim.joints(arm), r.sim.now()), (home.clone(), 0.0), "a refused move leaves the arm");
    // The same turn the other way passes nothing.
    let mut away = home;
    away[0] = FRAC_PI_2;
    r.ok(Command::MoveJoint { arm, q: away, speed: 0.5 });
    assert!((r.sim.now() - whole).abs() < 1e-9);
}

#[test]
fn a_held_part_entering_a_keepout_collides_though_the_tcp_stays_out() {
    // The part spans x ∈ [0.34, 0.46] around the TCP at x = 0.4; the zone starts at x = 0.435,
    // clear of the TCP and the 20 mm tool, and ends below the arm's wrist.
    let cell = cell_with(
        r#"
[[keepout]]
name = "chute"
box_mm = { min = [435, -150, 0], max = [600, -100, 160] }
"#,
    );
    let mut r = Run::new(&cell);
    r.pick("long", 30.0);
    let start = r.tcp();
    let f = match r.line(Translation3::new(0.0, 0.3, 0.0) * start) {
        Ok(_) => panic!("the part went through the keep-out"),
        Err(f) => f,
    };
    assert_eq!(f.kind, FaultKind::Collision);
    assert!(f.message.starts_with("held part `long` hits keep-out `chute` at t="), "{}", f.message);
    assert!(time_in(&f.message) > r.sim.now(), "{}", f.message);
    // With the zone 20 mm further out, the part's end (x = 0.46) passes it.
    let cell = cell_with(
        r#"
[[keepout]]
name = "chute"
box_mm = { min = [475, -150, 0], max = [600, -100, 160] }
"#,
    );
    let mut r = Run::new(&cell);
    r.pick("long", 30.0);
    r.line(Translation3::new(0.0, 0.3, 0.0) * start).unwrap_or_else(|f| panic!("clear line failed: {f}"));
}

#[test]
fn the_tool_sweeping_through_a_resting_part_collides() {
    let mut r = Run::new(&cell_with(""));
    r.move_to(at(0.4, -0.3, 0.1));
    r.line(at(0.4, -0.3, 0.05)).unwrap_or_else(|f| panic!("{f}"));
    // The post (40 mm, 100 mm tall) stands at y = -0.1 on the way to y = 0.
    let f = match r.line(at(0.4, 0.0, 0.05)) {
        Ok(_) => panic!("the tool went through the post"),
        Err(f) => f,
    };
    assert_eq!(f.kind, FaultKind::Collision);
    assert!(f.message.starts_with("tool `gripper` of arm `arm` hits part `post` at t="), "{}", f.message);
}

#[test]
fn a_held_part_pushed_into_a_fixture_collides_but_goes_into_a_bore() {
    let mut r = Run::new(&cell_with(""));
    r.pick("long", 30.0);
    let slot = r.sim.slot(r.obj("jig"), "a").unwrap_or_else(|| panic!("no slot"));
    // 10 mm into the jig's top where the slot is flat: a collision, named after the part.
    let f = match r.line(above(slot, -0.01)) {
        Ok(_) => panic!("the part went into the jig"),
        Err(f) => f,
    };
    assert_eq!(f.kind, FaultKind::Collision);
    assert!(f.message.starts_with("held part `long` hits fixture `jig`"), "{}", f.message);
    // Touching the slot is contact, not collision; so is a bearing going down a bore to its seat.
    r.line(slot).unwrap_or_else(|f| panic!("placing on the slot: {f}"));
    let gripper = r.obj("gripper");
    r.ok(Command::Release { gripper });
    r.line(above(slot, 0.1)).unwrap_or_else(|f| panic!("{f}"));
    r.pick("bearing", 20.0);
    let bore = r.sim.slot(r.obj("jig"), "bore").unwrap_or_else(|| panic!("no bore"));
    r.move_to(above(bore, 0.05));
    r.line(bore).unwrap_or_else(|f| panic!("into the bore: {f}"));
    // The same depth 20 mm beside the bore is inside the jig.
    r.line(above(bore, 0.05)).unwrap_or_else(|f| panic!("{f}"));
    r.line(Translation3::new(0.02, 0.0, 0.05) * bore).unwrap_or_else(|f| panic!("{f}"));
    let f = match r.line(Translation3::new(0.02, 0.0, 0.0) * bore) {
        Ok(_) => panic!("the bearing went into the jig beside the bore"),
        Err(f) => f,
    };
    assert!(f.message.starts_with("held part `bearing` hits fixture `jig`"), "{}", f.message);
}

#[test]
fn links_below_the_table_collide() {
    let mut r = Run::new(&cell_with(""));
    let arm = r.obj("arm");
    // Shoulder down 80° past horizontal: the upper arm points into the table.
    let f = r.err(Command::MoveJoint { arm, q: vec![0.0, 0.5, 0.0, -FRAC_PI_2, -FRAC_PI_2, 0.0], speed: 0.5 });
    assert_eq!(f.kind, FaultKind::Collision);
    assert!(f.message.contains("hits the table at t="), "{}", f.message);
}

#[test]
fn time_fraction_inverts_the_trapezoid() {
    // No ramp: time is path.
    assert_eq!(collision::time_fraction(0.3, 0.0), 0.3);
    // A triangle: half the path at half the time, a quarter of the path at √(1/8) of the time.
    assert!((collision::time_fraction(0.5, 0.5) - 0.5).abs() < 1e-12);
    assert!((collision::time_fraction(0.25, 0.5) - (0.125f64).sqrt()).abs() < 1e-12);
    // A trapezoid that ramps for 20 % of its time at each end: the cruise covers s ∈ [0.125, 0.875].
    let peak = 1.0 / 0.8;
    assert!((collision::time_fraction(0.125, 0.2) - 0.2).abs() < 1e-12);
    assert!((collision::time_fraction(0.5, 0.2) - (0.5 / peak + 0.1)).abs() < 1e-12);
    assert!((collision::time_fraction(1.0, 0.2) - 1.0).abs() < 1e-12);
}

/// Pick the 1 kg part with 25 N (the gripper's rule at μ = 0.4 asks 24.5 N) in an episode whose
/// friction is 0.2: the fingers hold 2 × 0.2 × 25 = 10 N, 9.81 N of it for the weight.
fn lift_heavy(limits: &str) -> Result<Reply, Fault> {
    let cell = cell_with(&format!("{limits}\n[randomize]\nfriction = [0.2, 0.2]\n"));
    let mut r = Run::new(&cell);
    let heavy = r.obj("heavy");
    let pose = r.sim.part_pose(heavy);
    r.move_to(above(pose, 0.05));
    r.line(pose).unwrap_or_else(|f| panic!("{f}"));
    let gripper = r.obj("gripper");
    r.ok(Command::Grasp { gripper, part: heavy, force: 25.0 });
    r.line(above(pose, 0.1))
}

#[test]
fn a_fast_lift_makes_a_weak_grip_slip_and_a_gentle_one_holds() {
    // 1.2 m/s² up needs 1 kg × 11.0 m/s² = 11.0 N > 10 N.
    let f = match lift_heavy("") {
        Ok(_) => panic!("a 10 N grip lifted 1 kg at 1.2 m/s²"),
        Err(f) => f,
    };
    assert_eq!(f.kind, FaultKind::Dropped);
    assert!(
        f.message.contains("part `heavy` slipped out of gripper `gripper`")
            && f.message
                .contains("1.00 kg at 11.0 m/s² (with gravity) needs 11.0 N of grip; 2 × μ 0.20 × 25.0 N holds 10.0 N"),
        "{}",
        f.message
    );
    // At 0.1 m/s² it needs 9.9 N: it holds.
    if let Err(f) = lift_heavy("[limits]\nacceleration_mm_s2 = 100\n") {
        panic!("a gentle lift dropped the part: {f}");
    }
}

#[test]
fn a_slipped_part_falls_and_is_no_longer_held() {
    let cell = cell_with("[randomize]\nfriction = [0.2, 0.2]\n");
    let mut r = Run::new(&cell);
    let (heavy, gripper) = (r.obj("heavy"), r.obj("gripper"));
    let pose = r.sim.part_pose(heavy);
    r.move_to(above(pose, 0.05));
    r.line(pose).unwrap_or_else(|f| panic!("{f}"));
    r.ok(Command::Grasp { gripper, part: heavy, force: 25.0 });
    assert!(r.line(above(pose, 0.1)).is_err());
    assert_eq!(r.sim.held(gripper), None);
    // It slipped within the first few mm of the lift: it lies on the table again.
    assert!(r.sim.part_pose(heavy).translation.vector.z.abs() < 1e-12);
    // The arm finished its move: the controller does not know the part is gone.
    assert!((r.tcp().translation.vector.z - 0.1).abs() < 1e-6);
}

#[test]
fn friction_and_camera_noise_are_drawn_per_episode_from_the_seed_only() {
    let cell = cell_with("[randomize]\nfriction = [0.3, 0.5]\ncamera_noise = [0.5, 2.0]\npart_xy_mm = 1\n");
    let plain = cell_with("[randomize]\npart_xy_mm = 1\n");
    let mut seen = Vec::new();
    for seed in 0..50 {
        let a = World::new(&cell, &mut Rng::new(seed));
        let b = World::new(&cell, &mut Rng::new(seed));
        assert_eq!(a, b, "same seed, same episode");
        assert!((0.3..=0.5).contains(&a.friction) && (0.5..=2.0).contains(&a.noise_scale));
        // The new draws come from a side stream: part jitter is as without them.
        let c = World::new(&plain, &mut Rng::new(seed));
        assert_eq!(a.parts, c.parts);
        assert_eq!((c.friction, c.noise_scale), (world::FRICTION, 1.0));
        seen.push(a.friction);
    }
    seen.sort_by(f64::total_cmp);
    seen.dedup();
    assert_eq!(seen.len(), 50, "every seed draws its own friction");
}

fn gap(extra: &str, seed: u64) -> f64 {
    let source = format!(
        r#"
[cell]
name = "cam"
[[tool]]
name = "cam"
kind = "camera"
pose = {{ xyz_mm = [0, 0, 300] }}
[[part]]
name = "p"
size_mm = [10, 10, 10]
mass_kg = 0.1
pose = {{ xyz_mm = [0, 0, 0] }}
features = {{ gap = {{ nominal_mm = 0.1, tolerance_mm = 1, noise_mm = 0.02 }} }}
{extra}
"#
    );
    let cell = parse_cell(&source, "cam.toml").unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Simulator::new(&cell, seed);
    let (camera, part) = (sim.object("cam"), sim.object("p"));
    let (Some(camera), Some(part)) = (camera, part) else { panic!("objects") };
    match sim.execute(&Command::Inspect { camera, part, feature: "gap".into() }) {
        Ok(Reply::Inspection { value, .. }) => value,
        other => panic!("{other:?}"),
    }
}

#[test]
fn camera_noise_scales_the_measurement_noise() {
    for seed in [1, 2, 3] {
        let plain = gap("", seed) - 0.0001;
        let doubled = gap("[randomize]\ncamera_noise = [2, 2]\n", seed) - 0.0001;
        assert!(plain.abs() > 0.0);
        assert!((doubled - 2.0 * plain).abs() < 1e-12, "seed {seed}: {doubled} vs 2 × {plain}");
    }
}

#[test]
fn randomize_ranges_are_validated_with_their_location() {
    let bad = |extra: &str| match parse_cell(&format!("[cell]\nname = \"c\"\n[randomize]\n{extra}\n"), "c.toml") {
        Ok(_) => panic!("{extra} accepted"),
        Err(e) => e,
    };
    let e = bad("friction = [0.5, 0.3]");
    assert_eq!((e.line, e.column, e.key.as_str()), (4, 12, "randomize.friction"));
    assert!(e.message.contains("range [lo, hi]"), "{}", e.message);
    assert_eq!(bad("camera_noise = [-1, 1]").key, "randomize.camera_noise");
    assert_eq!(bad("friction = [0, 0.5]").key, "randomize.friction");
    assert_eq!(bad("cross_thread = 1.5").key, "randomize.cross_thread");
}

#[test]
fn signals_follow_their_last_command_after_the_delay() {
    let source = "[cell]\nname = \"s\"\n[[signal]]\nname = \"valve\"\ndelay_ms = 250\n[[signal]]\nname = \"now\"\n";
    let cell = parse_cell(source, "s.toml").unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Simulator::new(&cell, 0);
    let (Some(valve), Some(instant)) = (sim.object("valve"), sim.object("now")) else { panic!("signals") };
    let run = |sim: &mut Simulator, c: Command| sim.execute(&c);
    // No delay: it reads on at once.
    assert!(run(&mut sim, Command::SetSignal { signal: instant, on: true }).is_ok());
    assert!(run(&mut sim, Command::WaitSignal { signal: instant, on: true, timeout: 0.0 }).is_ok());
    // On, then off at once: both arrive at 0.25 s, off last, so `on` is never read.
    assert!(run(&mut sim, Command::SetSignal { signal: valve, on: true }).is_ok());
    assert!(run(&mut sim, Command::SetSignal { signal: valve, on: false }).is_ok());
    let f = run(&mut sim, Command::WaitSignal { signal: valve, on: true, timeout: 1.0 });
    assert_eq!(f.map_err(|f| f.kind), Err(FaultKind::Timeout));
    assert!((sim.now() - 1.0).abs() < 1e-12);
    // On at 1.0 s arrives at 1.25 s; off at 1.1 s arrives at 1.35 s.
    assert!(run(&mut sim, Command::SetSignal { signal: valve, on: true }).is_ok());
    assert!(run(&mut sim, Command::Wait { seconds: 0.1 }).is_ok());
    assert!(run(&mut sim, Command::SetSignal { signal: valve, on: false }).is_ok());
    assert!(run(&mut sim, Command::WaitSignal { signal: valve, on: true, timeout: 1.0 }).is_ok());
    assert!((sim.now() - 1.25).abs() < 1e-12);
    assert!(run(&mut sim, Command::WaitSignal { signal: valve, on: false, timeout: 1.0 }).is_ok());
    assert!((sim.now() - 1.35).abs() < 1e-12);
    // A deadline just short of the change times out at the deadline.
    assert!(run(&mut sim, Command::SetSignal { signal: valve, on: true }).is_ok());
    let f = run(&mut sim, Command::WaitSignal { signal: valve, on: true, timeout: 0.2499 });
    assert_eq!(f.map_err(|f| f.kind), Err(FaultKind::Timeout));
    assert!(run(&mut sim, Command::WaitSignal { signal: valve, on: true, timeout: 0.001 }).is_ok());
}

#[test]
fn move_to_prefers_a_clear_elbow_up_solution() {
    // From the UR's home (facing −x), the closest IK solution for a target low at +x folds the
    // upper arm down through the table; `move_to` takes the closest one that is clear instead.
    let cell = cell_with("");
    let mut r = Run::new(&cell);
    let arm = r.obj("arm");
    let target = at(0.4, -0.2, 0.07);
    let kinematics = cell.arms[0].kinematics.clone();
    let frame = motion::ArmFrame {
        name: "arm",
        kinematics: &kinematics,
        base: cell.arms[0].base,
        tcp: cell.arms[0].tcp,
        memo: None,
    };
    let flange = frame.flange_target(&target);
    let closest = frame.kinematics.ik(&flange, &r.sim.joints(arm)).unwrap_or_else(|| panic!("reachable"));
    let elbow = |q: &[f64]| frame.kinematics.joint_origins(q)[2];
    assert!(elbow(&closest).z < 0.0, "the closest solution has its elbow under the table");
    assert!(!collision::elbow_up(&frame, &closest));
    r.move_to(target);
    let q = r.sim.joints(arm);
    assert!(collision::elbow_up(&frame, &q) && elbow(&q).z > 0.3, "elbow at {:?}", elbow(&q));
    assert!((r.tcp().translation.vector - target.translation.vector).norm() < 1e-6);
}
