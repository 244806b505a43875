//! Collision checks of the simulator (parry3d): the arm's links, its tool and the part it holds,
//! against fixtures, resting parts, keep-out zones and the table, at every sample of a planned
//! motion; and the TCP acceleration along it, for the hold check of `World::slip`.
//! The model is documented in `docs/simulator.md` under "Collisions".
//!
//! parry3d has no release on the workspace's nalgebra 0.35, so the f64 build of parry 0.25 (on
//! nalgebra 0.34) is used; poses cross over in [`iso`], the only place the two versions meet.

use crate::backend::{KeepOut, Pose};
use crate::fault::{Fault, FaultKind};
use crate::sim::cell::Cell;
use crate::sim::motion::{ArmFrame, Plan};
use crate::sim::world::{REACH_TOLERANCE, World};
use nalgebra::{Point3, Translation3, UnitQuaternion, Vector3};
use parry3d_f64::na as pna;
use parry3d_f64::query;
use parry3d_f64::shape::{Capsule, Cuboid, Shape};

/// Bodies may overlap this much before it counts as a collision, m: surfaces that touch (a part
/// on its slot, the tool tip on the table) and the contact of a guarded move (at most 150 N at
/// 0.2 N/µm, 0.75 mm) are contact, not collision.
pub const CONTACT_TOLERANCE: f64 = 0.001;

/// The links of an arm as capsules between consecutive joint frame origins (the UR DH frames:
/// base → shoulder → elbow → wrist 1 → wrist 2 → wrist 3 → flange), with their radii, m. The
/// radii are those of the UR5e's joint housings; the DH segments run within the published
/// shoulder and elbow offsets (≤ 0.14 m) of the real links, so this is an approximation.
pub const LINKS: [(&str, f64); 6] =
    [("base", 0.075), ("upper_arm", 0.06), ("forearm", 0.05), ("wrist1", 0.045), ("wrist2", 0.045), ("wrist3", 0.045)];

/// The radius of the links of other arm models (the Panda's are about 0.12 m across; URDF arms
/// give no geometry the simulator reads), m.
pub const OTHER_LINK_RADIUS: f64 = 0.06;

/// The name and radius of link `i` (from joint frame `i` to `i + 1`) of an arm model: the UR
/// names and radii of [`LINKS`] for the UR e-series, `link{i + 1}` otherwise.
fn link_spec(model: &str, i: usize) -> (String, f64) {
    match LINKS.get(i) {
        Some((name, r)) if model.starts_with("ur") => (name.to_string(), *r),
        _ => (format!("link{}", i + 1), OTHER_LINK_RADIUS),
    }
}

/// The tool (gripper or screwdriver) as a capsule along the flange axis whose tip is the TCP, m:
/// the fingertips or bit that go down between neighbouring parts (screws 20 mm apart in a tray).
pub const TOOL_RADIUS: f64 = 0.01;

/// What a moving body hit.
#[derive(Clone, Debug, PartialEq)]
enum Obstacle {
    Fixture(usize),
    Part(usize),
    KeepOut(usize),
    Table,
}

/// A box in the world: its centre pose and half extents, with its world bounding box.
#[derive(Clone, Debug)]
struct Solid {
    what: Obstacle,
    center: Pose,
    half: Vector3<f64>,
    lo: Vector3<f64>,
    hi: Vector3<f64>,
}

impl Solid {
    fn new(what: Obstacle, center: Pose, half: Vector3<f64>) -> Solid {
        let r = center.rotation.to_rotation_matrix();
        let reach = r.matrix().abs() * half;
        let c = center.translation.vector;
        Solid { what, center, half, lo: c - reach, hi: c + reach }
    }

    /// A box whose bottom-face centre is at `pose` (the convention of parts and fixtures).
    fn standing(what: Obstacle, pose: &Pose, size: &Vector3<f64>) -> Solid {
        Solid::new(what, pose * Translation3::new(0.0, 0.0, size.z / 2.0), size / 2.0)
    }
}

/// What moves with the arm at one sample.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mover {
    Link(usize),
    Tool,
    Held,
}

/// The arm being moved, as the collision check needs it.
#[derive(Clone, Copy, Debug)]
pub struct Moving<'a> {
    pub frame: ArmFrame<'a>,
    pub arm: usize,
    /// The tool on the arm (gripper or screwdriver), by name, when it has one.
    pub tool: Option<&'a str>,
    /// The part its gripper holds, and the part's pose relative to the TCP.
    pub held: Option<(usize, Pose)>,
}

/// The parry pose of an isometry (nalgebra 0.35 → parry's 0.34).
fn iso(p: &Pose) -> pna::Isometry3<f64> {
    let t = p.translation.vector;
    let q = p.rotation.quaternion();
    pna::Isometry3::from_parts(
        pna::Translation3::new(t.x, t.y, t.z),
        pna::UnitQuaternion::new_unchecked(pna::Quaternion::new(q.w, q.i, q.j, q.k)),
    )
}

fn ppoint(p: &Point3<f64>) -> pna::Point3<f64> {
    pna::Point3::new(p.x, p.y, p.z)
}

/// The origins of the arm's joint frames at `q` from its base to its flange (for a UR, its DH
/// frames 0–6), world frame, and the flange pose.
fn joint_origins(frame: &ArmFrame, q: &[f64]) -> (Vec<Point3<f64>>, Pose) {
    let origins = frame.kinematics.joint_origins(q).iter().map(|p| frame.base * p).collect();
    (origins, frame.base * frame.kinematics.fk(q))
}

/// Whether a UR arm at `q` has its elbow above the line from its shoulder to its wrist (in its
/// base frame), as table-top cells are taught; other models always pass. The simulator prefers
/// such configurations: from the UR's home, which faces −x, the closest solution for a target at
/// +x is otherwise often the one that folds the upper arm down through the table.
pub fn elbow_up(frame: &ArmFrame, q: &[f64]) -> bool {
    if !frame.kinematics.model.starts_with("ur") {
        return true;
    }
    let o = frame.kinematics.joint_origins(q);
    let (Some(shoulder), Some(elbow), Some(wrist)) = (o.get(1), o.get(2), o.get(3)) else { return true };
    let line = wrist - shoulder;
    let t = if line.norm_squared() > 0.0 { (elbow - shoulder).dot(&line) / line.norm_squared() } else { 0.0 };
    (elbow - (shoulder + line * t)).z >= 0.0
}

/// Everything a moving arm can hit: fixture bodies, parts at rest, keep-outs and the table.
#[derive(Clone, Debug)]
pub struct Scene {
    solids: Vec<Solid>,
    /// For each fixture, the horizontal positions of its recessed slots (a bore, or a pocket below
    /// its top face) with their clearances: a part or tool going into one does not hit the fixture.
    recesses: Vec<Vec<(Vector3<f64>, f64)>>,
    /// Every part's pose (held parts included, unused for them), for the tool's exemption.
    parts: Vec<Pose>,
}

impl Scene {
    pub fn new(cell: &Cell, world: &World, keepouts: &[KeepOut]) -> Scene {
        let mut solids = Vec::new();
        let mut recesses = Vec::new();
        for (fi, f) in cell.fixtures.iter().enumerate() {
            let mut holes = Vec::new();
            if let Some(size) = f.size {
                solids.push(Solid::standing(Obstacle::Fixture(fi), &f.pose, &size));
                let top = (f.pose * Point3::new(0.0, 0.0, size.z)).z;
                for ((_, slot), fit) in f.slots.iter().zip(&f.fits) {
                    let seat = (f.pose * slot).translation.vector;
                    if seat.z < top - CONTACT_TOLERANCE {
                        holes.push((seat, fit.map_or(0.0, |f| f.clearance)));
                    }
                }
            }
            recesses.push(holes);
        }
        for (pi, p) in world.parts.iter().enumerate() {
            if p.held.is_none() {
                solids.push(Solid::standing(Obstacle::Part(pi), &p.pose, &cell.parts[pi].size));
            }
        }
        for (ki, k) in keepouts.iter().enumerate() {
            let center = Pose::from_parts(Translation3::from((k.min + k.max) / 2.0), UnitQuaternion::identity());
            solids.push(Solid::new(Obstacle::KeepOut(ki), center, (k.max - k.min) / 2.0));
        }
        let table = Pose::from_parts(Translation3::new(0.0, 0.0, -0.5), UnitQuaternion::identity());
        solids.push(Solid::new(Obstacle::Table, table, Vector3::new(100.0, 100.0, 0.5)));
        Scene { solids, recesses, parts: world.parts.iter().map(|p| p.pose).collect() }
    }

    /// Whether the arm's links are clear of everything at `q` (its tool and held part are not
    /// looked at: every IK solution of a target puts them in the same place).
    pub fn links_clear(&self, cell: &Cell, moving: &Moving, q: &[f64]) -> bool {
        let (tcp, bodies) = bodies(moving, cell, q);
        bodies
            .iter()
            .filter(|b| matches!(b.mover, Mover::Link(..)))
            .all(|b| self.hit(b, &tcp.translation.vector, None, cell).is_none())
    }

    /// Whether a point's horizontal position is over a recessed slot of fixture `f`.
    fn over_recess(&self, f: usize, p: &Vector3<f64>) -> bool {
        self.recesses[f].iter().any(|(seat, clearance)| (seat.xy() - p.xy()).norm() <= clearance + REACH_TOLERANCE)
    }

    /// The first obstacle a body overlaps by more than [`CONTACT_TOLERANCE`], skipping the contact
    /// the process needs (see `exempt`).
    fn hit(&self, body: &Body, tcp: &Vector3<f64>, held_pose: Option<&Pose>, cell: &Cell) -> Option<&Obstacle> {
        self.solids
            .iter()
            .find(|s| {
                let apart = (0..3).any(|i| body.lo[i] > s.hi[i] || body.hi[i] < s.lo[i]);
                if apart || self.exempt(body.mover, &s.what, tcp, held_pose, cell) {
                    return false;
                }
                let cuboid = Cuboid::new(pna::Vector3::new(s.half.x, s.half.y, s.half.z));
                // Capsules and boxes are convex support maps, which parry (with `alloc`) always
                // supports: `Err(Unsupported)` cannot happen here.
                let contact = query::contact(&body.pose, body.shape.as_ref(), &iso(&s.center), &cuboid, 0.0);
                matches!(contact, Ok(Some(c)) if c.dist < -CONTACT_TOLERANCE)
            })
            .map(|s| &s.what)
    }

    /// Contact the process needs: the tool straddling (or driving) a resting part whose footprint
    /// the TCP is over, within the approach tolerance; the tool and held part going into a recessed
    /// slot of a fixture.
    fn exempt(&self, mover: Mover, what: &Obstacle, tcp: &Vector3<f64>, held: Option<&Pose>, cell: &Cell) -> bool {
        match (mover, what) {
            (Mover::Tool, Obstacle::Part(p)) => self.parts.get(*p).is_some_and(|pose| {
                let local = pose.inverse_transform_point(&Point3::from(*tcp));
                let size = &cell.parts[*p].size;
                local.x.abs() <= size.x / 2.0 + REACH_TOLERANCE && local.y.abs() <= size.y / 2.0 + REACH_TOLERANCE
            }),
            (Mover::Tool, Obstacle::Fixture(f)) => self.over_recess(*f, tcp),
            (Mover::Held, Obstacle::Fixture(f)) => held.is_some_and(|h| self.over_recess(*f, &h.translation.vector)),
            _ => false,
        }
    }
}

/// One moving body at one sample: its shape, pose and world bounding box.
struct Body {
    mover: Mover,
    shape: Box<dyn Shape>,
    pose: pna::Isometry3<f64>,
    lo: Vector3<f64>,
    hi: Vector3<f64>,
}

impl Body {
    fn capsule(mover: Mover, a: &Point3<f64>, b: &Point3<f64>, r: f64) -> Body {
        let lo = a.coords.inf(&b.coords).add_scalar(-r);
        let hi = a.coords.sup(&b.coords).add_scalar(r);
        Body { mover, shape: Box::new(Capsule::new(ppoint(a), ppoint(b), r)), pose: pna::Isometry3::identity(), lo, hi }
    }

    fn part(pose: &Pose, size: &Vector3<f64>) -> Body {
        let s = Solid::standing(Obstacle::Table, pose, size);
        let shape = Box::new(Cuboid::new(pna::Vector3::new(s.half.x, s.half.y, s.half.z)));
        Body { mover: Mover::Held, shape, pose: iso(&s.center), lo: s.lo, hi: s.hi }
    }
}

/// The TCP pose (target convention) and the moving bodies of an arm at `q`.
fn bodies(moving: &Moving, cell: &Cell, q: &[f64]) -> (Pose, Vec<Body>) {
    let (origins, flange) = joint_origins(&moving.frame, q);
    // The base link turns about its own axis only: it never moves, so it is not checked.
    let mut out: Vec<Body> = (1..origins.len().saturating_sub(1))
        .filter(|&i| (origins[i + 1] - origins[i]).norm() > 1e-9)
        .map(|i| {
            let radius = link_spec(&moving.frame.kinematics.model, i).1;
            Body::capsule(Mover::Link(i), &origins[i], &origins[i + 1], radius)
        })
        .collect();
    let tcp = moving.frame.tcp_pose(q);
    // The held part before the tool: when both hit something, the part is what the user moved there.
    if let Some((part, offset)) = moving.held {
        out.push(Body::part(&(tcp * offset), &cell.parts[part].size));
    }
    if moving.tool.is_some() && moving.frame.tcp > TOOL_RADIUS {
        // The tip of the capsule is the TCP: a tool touching what it works on is contact.
        let tip = flange * Point3::new(0.0, 0.0, moving.frame.tcp - TOOL_RADIUS);
        let wrist = Point3::from(flange.translation.vector);
        out.push(Body::capsule(Mover::Tool, &wrist, &tip, TOOL_RADIUS));
    }
    (tcp, out)
}

/// When a profile with ramp share `ramp` (of its time) passes fraction `s` of its path, as a
/// fraction of its time: the inverse of the symmetric trapezoid (a triangle when `ramp` is 0.5).
pub fn time_fraction(s: f64, ramp: f64) -> f64 {
    let s = s.clamp(0.0, 1.0);
    if ramp <= 0.0 {
        return s;
    }
    let peak = 1.0 / (1.0 - ramp);
    let ramp_path = peak * ramp / 2.0;
    if s <= ramp_path {
        (2.0 * ramp * s / peak).sqrt()
    } else if s <= 1.0 - ramp_path {
        s / peak + ramp / 2.0
    } else {
        1.0 - (2.0 * ramp * (1.0 - s) / peak).sqrt()
    }
}

/// What a sweep found besides collisions: the peak TCP acceleration and where it occurred.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Peak {
    /// The largest |a − g| along the path (the force per kg a grip must supply), m/s².
    pub accel: f64,
    /// Time of the peak, s (episode clock), and the TCP pose there.
    pub time: f64,
    pub tcp: Pose,
}

/// Check every sample of `plan` for collisions, and find the peak TCP acceleration (with
/// gravity) along it. `start` is the episode clock when the motion starts; `from` its joints.
pub fn sweep(
    cell: &Cell,
    scene: &Scene,
    moving: &Moving,
    from: &[f64],
    plan: &Plan,
    start: f64,
) -> Result<Option<Peak>, Fault> {
    let n = plan.path.len();
    let time = |k: usize| start + plan.duration * time_fraction(k as f64 / n.max(1) as f64, plan.ramp);
    let mut track: Vec<(f64, Pose)> = Vec::with_capacity(n + 1);
    track.push((start, moving.frame.tcp_pose(from)));
    for (k, q) in plan.path.iter().enumerate() {
        let (tcp, bodies) = bodies(moving, cell, q);
        let held_pose = moving.held.map(|(_, offset)| tcp * offset);
        for body in &bodies {
            if let Some(what) = scene.hit(body, &tcp.translation.vector, held_pose.as_ref(), cell) {
                return Err(collision(cell, moving, body.mover, what, time(k + 1)));
            }
        }
        track.push((time(k + 1), tcp));
    }
    Ok(peak_acceleration(&track))
}

/// The largest |a − g| along a track of (time, TCP pose), from second differences.
fn peak_acceleration(track: &[(f64, Pose)]) -> Option<Peak> {
    let gravity = Vector3::new(0.0, 0.0, -crate::sim::energy::GRAVITY);
    let mut best: Option<Peak> = None;
    for w in track.windows(3) {
        let [(t0, a), (t1, b), (t2, c)] = [w[0], w[1], w[2]];
        if !(t1 > t0 && t2 > t1) {
            continue;
        }
        let (pa, pb, pc) = (a.translation.vector, b.translation.vector, c.translation.vector);
        let accel = 2.0 * ((pc - pb) / (t2 - t1) - (pb - pa) / (t1 - t0)) / (t2 - t0);
        let need = (accel - gravity).norm();
        if best.is_none_or(|p| need > p.accel) {
            best = Some(Peak { accel: need, time: t1, tcp: b });
        }
    }
    best
}

fn collision(cell: &Cell, moving: &Moving, mover: Mover, what: &Obstacle, t: f64) -> Fault {
    let arm = moving.frame.name;
    let who = match mover {
        Mover::Link(i) => format!("arm `{arm}` link {}", link_spec(&moving.frame.kinematics.model, i).0),
        Mover::Tool => format!("tool `{}` of arm `{arm}`", moving.tool.unwrap_or("tool")),
        Mover::Held => {
            let part = moving.held.map_or("?", |(p, _)| cell.parts[p].name.as_str());
            format!("held part `{part}`")
        }
    };
    let other = match what {
        Obstacle::Fixture(f) => format!("fixture `{}`", cell.fixtures[*f].name),
        Obstacle::Part(p) => format!("part `{}`", cell.parts[*p].name),
        Obstacle::KeepOut(k) => format!("keep-out `{}`", cell.keepouts.get(*k).map_or("?", |k| k.name.as_str())),
        Obstacle::Table => "the table".to_string(),
    };
    Fault::new(FaultKind::Collision, format!("{who} hits {other} at t={t:.2} s"))
}
