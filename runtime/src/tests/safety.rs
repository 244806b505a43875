//! The safety monitor behind a robot: refused commands never reach the backend.

use crate::backend::{Command, HardLimits, KeepOut, ObjectKind, ObjectRef, Pose};
use crate::fault::FaultKind;
use crate::robot::Robot;
use crate::safety::{ActiveLimit, LimitKind};
use crate::testing::{CommandLog, FakeBackend};
use nalgebra::Vector3;

const ARM: ObjectRef = ObjectRef { kind: ObjectKind::Arm, index: 0 };
const GRIPPER: ObjectRef = ObjectRef { kind: ObjectKind::Gripper, index: 0 };
const PART: ObjectRef = ObjectRef { kind: ObjectKind::Part, index: 0 };

fn operator_zone() -> KeepOut {
    KeepOut { name: "operator".to_string(), min: Vector3::new(-0.8, 0.6, 0.0), max: Vector3::new(0.8, 1.4, 2.0) }
}

/// A robot over the standard fake cell with a 1000 mm/s, 150 N envelope and one keep-out zone.
fn robot() -> (Robot, CommandLog) {
    let (mut backend, log) = FakeBackend::standard();
    backend.limits = HardLimits { tcp_speed: Some(1.0), force: Some(150.0), acceleration: None };
    backend.keepouts = vec![operator_zone()];
    (Robot::new(Box::new(backend), true), log)
}

fn linear(x: f64, y: f64, z: f64, speed: f64) -> Command {
    Command::MoveLinear { arm: ARM, target: Pose::translation(x, y, z), speed }
}

fn executed(log: &CommandLog) -> Vec<Command> {
    log.lock().map(|l| l.clone()).unwrap_or_default()
}

#[test]
fn admits_a_command_inside_the_envelope() {
    let (mut robot, log) = robot();
    robot.execute(linear(0.3, 0.0, 0.2, 0.25)).unwrap();
    assert_eq!(executed(&log), vec![linear(0.3, 0.0, 0.2, 0.25)]);
    assert_eq!(robot.commands(), 1);
}

#[test]
fn refuses_over_speed_naming_the_skill_limits() {
    let (mut robot, log) = robot();
    robot.monitor_mut().push(ActiveLimit { kind: LimitKind::Speed, value: 0.25, skill: "fasten_all".to_string() });
    let fault = robot.execute(linear(0.3, 0.0, 0.2, 0.3)).unwrap_err();
    assert_eq!(fault.kind, FaultKind::LimitExceeded);
    assert_eq!(fault.message, "move_linear at 300 mm/s exceeds the limit of 250 mm/s (limits of skill fasten_all)");
    assert!(executed(&log).is_empty());
    assert_eq!(robot.commands(), 0);
}

#[test]
fn the_hard_limit_binds_when_tighter_than_a_skill_limit() {
    let (mut robot, log) = robot();
    robot.monitor_mut().push(ActiveLimit { kind: LimitKind::Speed, value: 2.0, skill: "fast".to_string() });
    let fault = robot.execute(linear(0.3, 0.0, 0.2, 1.5)).unwrap_err();
    assert_eq!(fault.message, "move_linear at 1500 mm/s exceeds the limit of 1000 mm/s (cell hard limit)");
    assert!(executed(&log).is_empty());
}

#[test]
fn refuses_over_force() {
    let (mut robot, log) = robot();
    let grasp = |force| Command::Grasp { gripper: GRIPPER, part: PART, force };
    let fault = robot.execute(grasp(160.0)).unwrap_err();
    assert_eq!(fault.kind, FaultKind::LimitExceeded);
    assert_eq!(fault.message, "grasp at 160 N exceeds the limit of 150 N (cell hard limit)");
    robot.monitor_mut().push(ActiveLimit { kind: LimitKind::Force, value: 30.0, skill: "gentle".to_string() });
    let fault = robot.execute(grasp(40.0)).unwrap_err();
    assert_eq!(fault.message, "grasp at 40 N exceeds the limit of 30 N (limits of skill gentle)");
    assert!(executed(&log).is_empty());
    robot.monitor_mut().pop();
    robot.execute(grasp(40.0)).unwrap();
    assert_eq!(executed(&log).len(), 1);
}

#[test]
fn refuses_targets_inside_a_keep_out_zone() {
    let (mut robot, log) = robot();
    let fault = robot.execute(linear(0.0, 1.0, 0.5, 0.1)).unwrap_err();
    assert_eq!(fault.kind, FaultKind::LimitExceeded);
    assert_eq!(fault.message, "move_linear target (0, 1000, 500) mm is inside keep-out zone operator");
    let to = Command::MoveTo { arm: ARM, target: Pose::translation(0.5, 0.7, 1.0), speed: 0.5 };
    let fault = robot.execute(to).unwrap_err();
    assert!(fault.message.starts_with("move_to target (500, 700, 1000) mm is inside keep-out zone operator"));
    assert!(executed(&log).is_empty());
}

#[test]
fn refuses_a_straight_path_through_a_zone_but_lets_an_arm_leave_one() {
    let (mut backend, log) = FakeBackend::standard();
    backend.keepouts = vec![operator_zone()];
    backend.tcps.insert(ARM, Pose::translation(0.0, 1.0, 0.5));
    let mut robot = Robot::new(Box::new(backend), false);
    robot.execute(linear(0.0, 0.3, 0.5, 0.5)).unwrap();
    robot.execute(linear(-1.0, 0.3, 0.5, 0.5)).unwrap();
    let fault = robot.execute(linear(1.0, 1.0, 0.5, 0.5)).unwrap_err();
    assert_eq!(
        fault.message,
        "move_linear from (-1000, 300, 500) to (1000, 1000, 500) mm crosses keep-out zone operator"
    );
    assert_eq!(executed(&log).len(), 2);
}

#[test]
fn refuses_non_finite_and_out_of_range_values() {
    let (mut robot, log) = robot();
    assert!(robot.execute(linear(f64::NAN, 0.0, 0.0, 0.1)).is_err());
    assert!(robot.execute(linear(0.0, 0.0, 0.0, f64::NAN)).is_err());
    assert!(robot.execute(linear(0.0, 0.0, 0.0, -0.1)).is_err());
    assert!(robot.execute(Command::MoveJoint { arm: ARM, q: vec![0.0; 6], speed: 1.5 }).is_err());
    assert!(robot.execute(Command::MoveJoint { arm: ARM, q: vec![f64::INFINITY; 6], speed: 0.5 }).is_err());
    assert!(robot.execute(Command::Wait { seconds: f64::NAN }).is_err());
    assert!(executed(&log).is_empty());
}

/// A small deterministic generator (xorshift64*), so the property test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }
}

#[test]
fn nothing_outside_the_envelope_ever_reaches_the_backend() {
    let zone = operator_zone();
    let inside = |p: &Vector3<f64>| (0..3).all(|i| p[i] >= zone.min[i] && p[i] <= zone.max[i]);
    let mut refused = 0;
    for seed in 1..=3000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let (mut robot, log) = robot();
        let mut speed_limit = 1.0_f64;
        let mut force_limit = 150.0_f64;
        let mut seen = 0;
        for _ in 0..8 {
            match rng.next() % 5 {
                0 => {
                    let v = rng.range(0.05, 1.5);
                    speed_limit = speed_limit.min(v);
                    robot.monitor_mut().push(ActiveLimit { kind: LimitKind::Speed, value: v, skill: "s".into() });
                }
                1 => {
                    let v = rng.range(5.0, 200.0);
                    force_limit = force_limit.min(v);
                    robot.monitor_mut().push(ActiveLimit { kind: LimitKind::Force, value: v, skill: "s".into() });
                }
                2 => {
                    let f = rng.range(0.0, 250.0);
                    refused +=
                        usize::from(robot.execute(Command::Grasp { gripper: GRIPPER, part: PART, force: f }).is_err());
                }
                3 => {
                    let t = Pose::translation(rng.range(-1.5, 1.5), rng.range(-0.5, 2.0), rng.range(0.0, 1.0));
                    let c = Command::MoveTo { arm: ARM, target: t, speed: rng.range(-0.2, 1.2) };
                    refused += usize::from(robot.execute(c).is_err());
                }
                _ => {
                    let (x, y, z) = (rng.range(-1.5, 1.5), rng.range(-0.5, 2.0), rng.range(0.0, 1.0));
                    refused += usize::from(robot.execute(linear(x, y, z, rng.range(0.0, 2.0))).is_err());
                }
            }
            // Whatever reached the backend in this step must satisfy the envelope of this step.
            let Some(command) = executed(&log).into_iter().nth(seen) else { continue };
            seen += 1;
            match command {
                Command::MoveLinear { target, speed, .. } => {
                    assert!(speed > 0.0 && speed <= speed_limit, "seed {seed}: speed {speed} over {speed_limit}");
                    assert!(!inside(&target.translation.vector), "seed {seed}: target in the zone");
                }
                Command::MoveTo { target, speed, .. } => {
                    assert!(speed > 0.0 && speed <= 1.0, "seed {seed}: ratio {speed}");
                    assert!(!inside(&target.translation.vector), "seed {seed}: target in the zone");
                }
                Command::Grasp { force, .. } => assert!(force <= force_limit, "seed {seed}: force {force}"),
                other => panic!("unexpected command {other:?}"),
            }
        }
    }
    // The generator must actually exercise refusals, or the test proves nothing.
    assert!(refused > 1000, "only {refused} refusals");
}

#[test]
fn guarded_moves_are_checked_for_speed_force_and_keepouts() {
    let (mut robot, log) = robot();
    let guarded = |z: f64, speed: f64, max_force: f64| Command::MoveUntilContact {
        arm: ARM,
        target: Pose::translation(0.3, 0.0, z),
        speed,
        max_force,
    };
    robot.execute(guarded(0.1, 0.01, 120.0)).unwrap();
    let refused = [
        (guarded(0.1, 1.5, 50.0), "exceeds the limit of 1000 mm/s"),
        (guarded(0.1, 0.01, 200.0), "move_until_contact at 200 N exceeds the limit of 150 N"),
        (guarded(0.1, 0.01, 0.0), "the force must be positive"),
        (guarded(0.1, -0.01, 50.0), "the speed must be positive"),
        (guarded(f64::NAN, 0.01, 50.0), "not a finite number"),
    ];
    for (command, why) in refused {
        let fault = robot.execute(command.clone()).expect_err("refused");
        assert_eq!(fault.kind, FaultKind::LimitExceeded);
        assert!(fault.message.contains(why), "{command:?}: {}", fault.message);
    }
    let into_zone =
        Command::MoveUntilContact { arm: ARM, target: Pose::translation(0.0, 1.0, 0.5), speed: 0.01, max_force: 50.0 };
    assert!(robot.execute(into_zone).unwrap_err().message.contains("inside keep-out zone operator"));
    // A skill's force limit narrows the threshold too.
    robot.monitor_mut().push(ActiveLimit { kind: LimitKind::Force, value: 80.0, skill: "press".to_string() });
    let fault = robot.execute(guarded(0.1, 0.01, 100.0)).unwrap_err();
    assert!(fault.message.contains("limits of skill press"), "{}", fault.message);
    assert_eq!(executed(&log), vec![guarded(0.1, 0.01, 120.0)]);
}
