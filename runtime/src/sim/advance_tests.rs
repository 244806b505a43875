//! Tests of conservative advancement (`advance.rs`): the travel bounds hold for real arm motion,
//! and a sweep that skips samples finds exactly what checking every sample finds, on random moves
//! among fixtures, a part and a keep-out.

use super::advance::{Carried, TravelBounds};
use super::collision::{CONTACT_TOLERANCE, DENSE};
use super::*;
use crate::sim::arms::ArmKinematics;
use nalgebra::{Point3, UnitQuaternion};
use std::f64::consts::PI;

const CELL: &str = r#"
[cell]
name = "advance"

[[arm]]
name = "arm"
model = "ur5e"

[[tool]]
name = "gripper"
kind = "parallel_gripper"
mounted_on = "arm"
tcp_mm = 150
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

[[fixture]]
name = "post"
pose = { xyz_mm = [-350, 250, 0] }
size_mm = [60, 60, 500]

[[part]]
name = "block"
size_mm = [60, 40, 30]
mass_kg = 0.2
at = "jig.a"

[[keepout]]
name = "zone"
box_mm = { min = [150, 350, 0], max = [700, 800, 700] }
"#;

fn cell() -> Cell {
    parse_cell(CELL, "advance/cell.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// The joint origins and the tool tip of a UR5e with a 150 mm tool at `q`, base frame.
fn points(kin: &ArmKinematics, q: &[f64]) -> Vec<Point3<f64>> {
    let mut origins = Vec::new();
    let flange = kin.frames_into(q, &mut origins);
    origins.push(flange * Point3::new(0.0, 0.0, 0.15));
    origins
}

/// For random joint paths and clearances, no point of any body moves further than the clearance
/// plus the contact tolerance before the sample `samples_ahead` says to check next: the bound is
/// sound, with and without the joint axes.
#[test]
fn no_body_travels_further_than_its_clearance_before_the_next_check() {
    let kin = ArmKinematics::builtin("ur5e").unwrap_or_else(|| panic!("ur5e"));
    let mut rng = Rng::new(11);
    let (mut skipped, mut checked) = (0, 0);
    for _ in 0..400 {
        let q0: Vec<f64> = (0..6).map(|_| rng.uniform(-PI, PI)).collect();
        let step: Vec<f64> = (0..6).map(|_| rng.uniform(-0.02, 0.02)).collect();
        let clearance = rng.uniform(0.0, 0.3);
        let (mut origins, mut axes) = (Vec::new(), Vec::new());
        kin.frames_fast(&q0, &mut origins, &mut axes);
        let bounds = TravelBounds::new(&origins, 0.15, &step);
        let start = points(&kin, &q0);
        for with_axes in [false, true] {
            let axes = with_axes.then_some((&origins[..], &axes[..]));
            for link in 1..6 {
                let ends = [origins[link], origins[link + 1]];
                let m = bounds.samples_ahead(Carried::Link(link), clearance, (&ends, 0.0), axes, 200, 201);
                for j in 1..m.min(200) {
                    let q: Vec<f64> = q0.iter().zip(&step).map(|(a, d)| a + d * j as f64).collect();
                    let now = points(&kin, &q);
                    for p in [link, link + 1] {
                        let moved = (now[p] - start[p]).norm();
                        assert!(moved <= clearance + CONTACT_TOLERANCE, "link {link} moved {moved} in {j} samples");
                    }
                }
                (skipped, checked) = (skipped + m - 1, checked + 1);
            }
            let tool = [origins[6], start[7]];
            let m = bounds.samples_ahead(Carried::Distal, clearance, (&tool, 0.0), axes, 200, 201);
            for j in 1..m.min(200) {
                let q: Vec<f64> = q0.iter().zip(&step).map(|(a, d)| a + d * j as f64).collect();
                let moved = (points(&kin, &q)[7] - start[7]).norm();
                assert!(moved <= clearance + CONTACT_TOLERANCE, "the tool tip moved {moved} in {j} samples");
            }
        }
    }
    // The bound must also let samples go, or it proves nothing.
    assert!(skipped > 10 * checked, "{skipped} samples skipped over {checked} checks");
}

/// A random move: joints by up to ±90° each (most), or a TCP target over the fixtures.
fn random_command(rng: &mut Rng, arm: ObjectRef, q: &[f64]) -> Command {
    match rng.next_u64() % 4 {
        0 => {
            let (x, y, z) = (rng.uniform(-0.6, 0.75), rng.uniform(-0.6, 0.6), rng.uniform(-0.02, 0.45));
            let target = Pose::from_parts(
                Translation3::new(x, y, z),
                UnitQuaternion::from_euler_angles(0.0, 0.0, rng.uniform(-PI, PI)),
            );
            Command::MoveTo { arm, target, speed: rng.uniform(0.2, 1.0) }
        }
        _ => {
            let q = q.iter().map(|v| v + rng.uniform(-PI / 2.0, PI / 2.0)).collect();
            Command::MoveJoint { arm, q, speed: rng.uniform(0.2, 1.0) }
        }
    }
}

/// Runs random moves (first picking the block up for odd seeds), returning every command's result
/// and the state after it, as text with every number in full.
fn episode(cell: &Cell, seed: u64, dense: bool) -> Vec<String> {
    DENSE.with(|d| d.set(dense));
    let mut sim = Simulator::new(cell, seed);
    let (Some(arm), Some(gripper), Some(part)) = (sim.object("arm"), sim.object("gripper"), sim.object("block")) else {
        panic!("objects")
    };
    let mut log = Vec::new();
    if seed % 2 == 1 {
        let at = sim.part_pose(part);
        let up = Translation3::new(0.0, 0.0, 0.1) * at;
        for c in [
            Command::MoveTo { arm, target: up, speed: 0.5 },
            Command::MoveLinear { arm, target: at, speed: 0.25 },
            Command::Grasp { gripper, part, force: 60.0 },
            Command::MoveLinear { arm, target: up, speed: 0.25 },
        ] {
            log.push(format!("{:?}", sim.execute(&c)));
        }
    }
    let mut rng = Rng::new(seed ^ 0xADA_0CE);
    for _ in 0..30 {
        let command = random_command(&mut rng, arm, &sim.joints(arm));
        let result = sim.execute(&command);
        log.push(format!("{result:?} {:?} {:?} {} {}", sim.joints(arm), sim.held(gripper), sim.now(), sim.energy()));
    }
    DENSE.with(|d| d.set(false));
    log
}

/// Skipping the samples that cannot collide changes nothing: every result (the same collisions,
/// named and timed the same), joint angle, time and energy is the same as with every sample
/// checked.
#[test]
fn advancing_finds_exactly_the_collisions_of_checking_every_sample() {
    let cell = cell();
    let (mut collisions, mut moves) = (0, 0);
    for seed in 0..16 {
        let (every, advancing) = (episode(&cell, seed, true), episode(&cell, seed, false));
        assert_eq!(every, advancing, "seed {seed}");
        collisions += every.iter().filter(|l| l.contains("Collision")).count();
        moves += every.iter().filter(|l| l.starts_with("Ok(")).count();
    }
    assert!(collisions > 40 && moves > 150, "{collisions} collisions, {moves} moves");
}

/// The fast frames the sweep checks (closed form, base as a matrix) put the joint origins, flange
/// and TCP where the exact frames do, for the cell's base and a turned and moved one; and joint
/// `j` does turn about the axis they give through origin `j` (what the tight bound assumes).
#[test]
fn fast_frames_put_the_bodies_where_the_exact_frames_do() {
    let cell = cell();
    let arm = &cell.arms[0];
    let frame =
        motion::ArmFrame { name: &arm.name, kinematics: &arm.kinematics, base: arm.base, tcp: arm.tcp, memo: None };
    let turned =
        Pose::from_parts(Translation3::new(0.3, -0.2, 0.05), UnitQuaternion::from_euler_angles(0.1, -0.2, 0.7));
    let mut rng = Rng::new(5);
    for base in [frame.base, turned] {
        let frame = motion::ArmFrame { base, ..frame };
        for _ in 0..200 {
            let q: Vec<f64> = (0..6).map(|_| rng.uniform(-PI, PI)).collect();
            let (mut exact, mut fast, mut axes) = (Vec::new(), Vec::new(), Vec::new());
            let (flange, tcp) = frame.frames(&q, &mut exact);
            let (fast_flange, fast_tcp) = frame.frames_fast(&q, &mut fast, &mut axes);
            for (a, b) in exact.iter().zip(&fast) {
                assert!((a - b).norm() < 1e-12, "{a} vs {b}");
            }
            for (a, b) in [(flange, fast_flange), (tcp, fast_tcp)] {
                let (dp, dr) = crate::sim::arms::pose_error(&a, &b);
                assert!(dp < 1e-12 && dr < 1e-7, "{dp} {dr}");
            }
            // Joint j turns about axes[j] through origin j: turning it a little moves origin j + 1
            // at right angles to that axis.
            for j in 0..6 {
                let mut turned_q = q.clone();
                turned_q[j] += 1e-6;
                let mut moved = Vec::new();
                frame.frames(&turned_q, &mut moved);
                let d = moved[6] - exact[6];
                assert!(d.dot(&axes[j]).abs() < 1e-9, "joint {j}: the flange moved along the axis");
                let lever = exact[6] - exact[j];
                let expected = axes[j].cross(&lever) * 1e-6;
                assert!((d - expected).norm() < 1e-9, "joint {j}: {d} vs {expected}");
            }
        }
    }
}

#[test]
fn chain_bounds_are_the_sums_of_the_links_from_each_joint() {
    // The bounds are built with running sums: they must be the direct sums, bit for bit.
    let mut rng = Rng::new(3);
    for _ in 0..50 {
        let origins: Vec<Point3<f64>> = (0..7)
            .map(|_| Point3::new(rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5), rng.uniform(0.0, 1.0)))
            .collect();
        let step: Vec<f64> = (0..6).map(|_| rng.uniform(-0.02, 0.02)).collect();
        let bounds = TravelBounds::new(&origins, 0.15, &step);
        let segments: Vec<f64> = origins.windows(2).map(|w| (w[1] - w[0]).norm()).collect();
        let direct = |reach: &dyn Fn(usize) -> f64| {
            step.iter().enumerate().map(|(j, s)| s.abs() * reach(j)).sum::<f64>() * (1.0 + 1e-6)
        };
        for i in 0..6 {
            let want = direct(&|j| if j <= i { segments[j..=i].iter().sum() } else { 0.0 });
            assert_eq!(bounds.per_sample(Carried::Link(i)).to_bits(), want.to_bits(), "link {i}");
        }
        let want = direct(&|j| segments.iter().skip(j).sum::<f64>() + 0.15);
        assert_eq!(bounds.per_sample(Carried::Distal).to_bits(), want.to_bits());
    }
}
