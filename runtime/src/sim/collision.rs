//! Collision checks of the simulator (parry3d): the arm's links, its tool and the part it holds,
//! against fixtures, resting parts, keep-out zones and the table, at every sample of a planned
//! motion; and the TCP acceleration along it, for the hold check of `World::slip`.
//! The model is documented in `docs/simulator.md` under "Collisions".
//!
//! parry3d has no release on the workspace's nalgebra 0.35, so the f64 build of parry 0.25 (on
//! nalgebra 0.34) is used; poses cross over in [`iso`], the only place the two versions meet.

use crate::backend::{KeepOut, Pose};
use crate::fault::{Fault, FaultKind};
use crate::sim::advance;
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

/// The radius of [`link_spec`], without building the name (it is needed at every sample).
fn link_radius(model: &str, i: usize) -> f64 {
    match LINKS.get(i) {
        Some((_, r)) if model.starts_with("ur") => *r,
        _ => OTHER_LINK_RADIUS,
    }
}

/// The capacity of the per-sample buffers (joint frames, axes, moving bodies): enough for the arms
/// the simulator knows, so they do not grow (and move) while a path is sampled.
const FEW: usize = 10;

/// The tool (gripper or screwdriver) as a capsule along the flange axis whose tip is the TCP, m:
/// the fingertips or bit that go down between neighbouring parts (screws 20 mm apart in a tray).
pub const TOOL_RADIUS: f64 = 0.01;

#[cfg(test)]
thread_local! {
    /// Tests set this to check every sample, to compare with conservative advancement.
    pub(crate) static DENSE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the sweep checks every sample (tests only).
fn dense() -> bool {
    #[cfg(test)]
    return DENSE.with(|d| d.get());
    #[cfg(not(test))]
    false
}

/// What a moving body hit.
#[derive(Clone, Debug, PartialEq)]
enum Obstacle {
    Fixture(usize),
    Part(usize),
    KeepOut(usize),
    Table,
}

/// A box in the world: its centre pose and half extents, with its world bounding box and its
/// parry shape and pose (made once per scene, not at every sample).
#[derive(Clone, Debug)]
struct Solid {
    what: Obstacle,
    lo: Vector3<f64>,
    hi: Vector3<f64>,
    shape: Cuboid,
    pose: pna::Isometry3<f64>,
}

impl Solid {
    fn new(what: Obstacle, center: Pose, half: Vector3<f64>) -> Solid {
        let r = center.rotation.to_rotation_matrix();
        let reach = r.matrix().abs() * half;
        let c = center.translation.vector;
        let shape = Cuboid::new(pna::Vector3::new(half.x, half.y, half.z));
        Solid { what, lo: c - reach, hi: c + reach, shape, pose: iso(&center) }
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
        let mut solids = Vec::with_capacity(cell.fixtures.len() + world.parts.len() + keepouts.len() + 1);
        let mut recesses = Vec::with_capacity(cell.fixtures.len());
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
        let mut origins = Vec::with_capacity(FEW);
        let (flange, tcp) = moving.frame.frames(q, &mut origins);
        let mut out = Vec::with_capacity(FEW);
        bodies(moving, cell, &origins, &flange, &tcp, &mut out);
        out.iter()
            .filter(|b| matches!(b.mover, Mover::Link(..)))
            .all(|b| self.hit(b, &tcp.translation.vector, None, cell, None).is_none())
    }

    /// How many samples ahead the next check of a joint-interpolated path must be
    /// (`advance::samples_ahead`), from each body's clearance: a lower bound on its signed
    /// distance (negative when overlapping) to every solid, exempt ones included (an exemption
    /// holds at one TCP position, not along the path). Boxes apart give the gap between them,
    /// which is cheap; only bodies whose boxes meet a solid's get parry's exact distance.
    /// `axes` are the joint axes at this sample (points on them, unit directions), world frame,
    /// where the arm model gives them.
    fn samples_ahead(
        &self,
        bodies: &[Body],
        bounds: &advance::TravelBounds,
        axes: advance::Axes,
        left: usize,
    ) -> usize {
        let mut ahead = left + 1;
        // The tool and held part (last) usually set the step: the links after them rarely need
        // their exact bound.
        for b in bodies.iter().rev() {
            let carried = match b.mover {
                Mover::Link(i) => advance::Carried::Link(i),
                Mover::Tool | Mover::Held => advance::Carried::Distal,
            };
            let mut clearance = f64::INFINITY;
            for s in &self.solids {
                let g = gap(&b.lo, &b.hi, &s.lo, &s.hi);
                if g < clearance {
                    clearance = if g > 0.0 { g } else { clearance.min(signed_distance(b, s)) };
                }
            }
            ahead = bounds.samples_ahead(carried, clearance, (&b.ends[..b.n_ends], b.radius), axes, left, ahead);
            if ahead == 1 {
                break;
            }
        }
        ahead
    }

    /// Whether a point's horizontal position is over a recessed slot of fixture `f`.
    fn over_recess(&self, f: usize, p: &Vector3<f64>) -> bool {
        self.recesses[f].iter().any(|(seat, clearance)| (seat.xy() - p.xy()).norm() <= clearance + REACH_TOLERANCE)
    }

    /// The first obstacle a body overlaps by more than [`CONTACT_TOLERANCE`], skipping the contact
    /// the process needs (see `exempt`).
    /// `near`, when given, lists (in order) the solids whose boxes meet the bounding box of all
    /// the moving bodies: the others cannot meet any one body (the broad phase of [`sweep`]).
    fn hit(
        &self,
        body: &Body,
        tcp: &Vector3<f64>,
        held_pose: Option<&Pose>,
        cell: &Cell,
        near: Option<&[usize]>,
    ) -> Option<&Obstacle> {
        let test = |s: &&Solid| {
            if !overlap(&body.lo, &body.hi, &s.lo, &s.hi) || self.exempt(body.mover, &s.what, tcp, held_pose, cell) {
                return false;
            }
            // Capsules and boxes are convex support maps, which parry (with `alloc`) always
            // supports: `Err(Unsupported)` cannot happen here.
            let contact = query::contact(&body.pose, body.shape.shape(), &s.pose, &s.shape, 0.0);
            matches!(contact, Ok(Some(c)) if c.dist < -CONTACT_TOLERANCE)
        };
        match near {
            Some(near) => near.iter().map(|&i| &self.solids[i]).find(test),
            None => self.solids.iter().find(test),
        }
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

/// The largest gap between two axis-aligned boxes along an axis: a lower bound on the distance
/// between anything inside them when positive.
fn gap(lo: &Vector3<f64>, hi: &Vector3<f64>, olo: &Vector3<f64>, ohi: &Vector3<f64>) -> f64 {
    (0..3).map(|i| (olo[i] - hi[i]).max(lo[i] - ohi[i])).fold(f64::NEG_INFINITY, f64::max)
}

/// A lower bound on the signed distance between a body and a solid: their distance when apart;
/// minus infinity when they touch or overlap (or parry cannot tell), which makes the sweep check
/// the next sample. The depth of an overlap would allow at most the tolerance's worth of travel,
/// less than a sample's, and costs parry's expanding polytope to find.
fn signed_distance(b: &Body, s: &Solid) -> f64 {
    match query::distance(&b.pose, b.shape.shape(), &s.pose, &s.shape) {
        Ok(d) if d > 0.0 => d,
        _ => f64::NEG_INFINITY,
    }
}

/// Whether two axis-aligned boxes meet.
fn overlap(lo: &Vector3<f64>, hi: &Vector3<f64>, olo: &Vector3<f64>, ohi: &Vector3<f64>) -> bool {
    !(0..3).any(|i| lo[i] > ohi[i] || hi[i] < olo[i])
}

/// The shape of a moving body, inline: no allocation per body and sample.
enum BodyShape {
    Capsule(Capsule),
    Cuboid(Cuboid),
}

impl BodyShape {
    fn shape(&self) -> &dyn Shape {
        match self {
            BodyShape::Capsule(c) => c,
            BodyShape::Cuboid(c) => c,
        }
    }
}

/// One moving body at one sample: its shape, pose and world bounding box, and its extreme points
/// (a capsule's segment ends, a box's centre) for the travel bound of `sim/advance.rs`.
struct Body {
    mover: Mover,
    shape: BodyShape,
    pose: pna::Isometry3<f64>,
    lo: Vector3<f64>,
    hi: Vector3<f64>,
    ends: [Point3<f64>; 2],
    n_ends: usize,
    /// How far the body's points are from its `ends`, for that bound: 0 for a capsule (its
    /// segment moves, its radius is fixed around it), the half diagonal of a box around its centre.
    radius: f64,
}

impl Body {
    fn capsule(mover: Mover, a: &Point3<f64>, b: &Point3<f64>, r: f64) -> Body {
        let lo = a.coords.inf(&b.coords).add_scalar(-r);
        let hi = a.coords.sup(&b.coords).add_scalar(r);
        let shape = BodyShape::Capsule(Capsule::new(ppoint(a), ppoint(b), r));
        let ends = [*a, *b];
        Body { mover, shape, pose: pna::Isometry3::identity(), lo, hi, ends, n_ends: 2, radius: 0.0 }
    }

    fn part(pose: &Pose, size: &Vector3<f64>) -> Body {
        let s = Solid::standing(Obstacle::Table, pose, size);
        let center = Point3::from((pose * Translation3::new(0.0, 0.0, size.z / 2.0)).translation.vector);
        let ends = [center; 2];
        let radius = size.norm() / 2.0;
        Body {
            mover: Mover::Held,
            shape: BodyShape::Cuboid(s.shape),
            pose: s.pose,
            lo: s.lo,
            hi: s.hi,
            ends,
            n_ends: 1,
            radius,
        }
    }
}

/// The moving bodies of an arm at one sample (its joint frame origins, flange and TCP, world
/// frame), into `out` (cleared first).
fn bodies(moving: &Moving, cell: &Cell, origins: &[Point3<f64>], flange: &Pose, tcp: &Pose, out: &mut Vec<Body>) {
    out.clear();
    let model = &moving.frame.kinematics.model;
    // The base link turns about its own axis only: it never moves, so it is not checked.
    for i in 1..origins.len().saturating_sub(1) {
        if (origins[i + 1] - origins[i]).norm() > 1e-9 {
            out.push(Body::capsule(Mover::Link(i), &origins[i], &origins[i + 1], link_radius(model, i)));
        }
    }
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
}

/// How far the tool and the held part reach beyond the flange, at most, m: the tool runs from the
/// flange to the TCP; the held part's box is at its offset from the TCP.
fn reach_beyond_flange(cell: &Cell, moving: &Moving) -> f64 {
    let held = moving.held.map_or(0.0, |(part, offset)| {
        let size = &cell.parts[part].size;
        offset.translation.vector.norm() + size.z.abs() / 2.0 + size.norm() / 2.0
    });
    moving.frame.tcp.abs() + held
}

/// When a profile with ramp share `ramp` (of its time) passes fraction `s` of its path, as a
/// fraction of its time: the inverse of the symmetric trapezoid (a triangle when `ramp` is 0.5).
pub fn time_fraction(s: f64, ramp: f64) -> f64 {
    let s = s.clamp(0.0, 1.0);
    if ramp <= 0.0 {
        return s;
    }
    // The cruise speed is 1 / (1 − ramp) of the mean; the ramps cover ramp / (2 (1 − ramp)) of
    // the path each. Written without divisions: this runs at every sample of every path.
    let keep = 1.0 - ramp;
    if 2.0 * keep * s <= ramp {
        (2.0 * ramp * s * keep).sqrt()
    } else if 2.0 * keep * (1.0 - s) >= ramp {
        s * keep + ramp / 2.0
    } else {
        1.0 - (2.0 * ramp * (1.0 - s) * keep).sqrt()
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

/// The scratch space of [`sweep`], kept by an episode so that checking a motion allocates nothing
/// (five buffers per motion were about 0.5 % of an episode).
#[derive(Default)]
pub struct SweepBuffers {
    out: Vec<Body>,
    origins: Vec<Point3<f64>>,
    axes: Vec<Vector3<f64>>,
    q: Vec<f64>,
    near: Vec<usize>,
}

/// A copy starts empty: the contents only ever matter within one [`sweep`].
impl Clone for SweepBuffers {
    fn clone(&self) -> SweepBuffers {
        SweepBuffers::default()
    }
}

impl std::fmt::Debug for SweepBuffers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SweepBuffers")
    }
}

/// Check every sample of `plan` for collisions, and find the peak TCP acceleration (with
/// gravity) along it. `start` is the episode clock when the motion starts.
pub fn sweep(
    cell: &Cell,
    scene: &Scene,
    moving: &Moving,
    plan: &Plan,
    start: f64,
    buffers: &mut SweepBuffers,
) -> Result<Option<Peak>, Fault> {
    let samples = &plan.samples;
    let n = samples.len();
    let per_sample = 1.0 / n.max(1) as f64;
    let time = |k: usize| start + plan.duration * time_fraction(k as f64 * per_sample, plan.ramp);
    let SweepBuffers { out, origins, axes, q, near } = buffers;
    // Room for a 7-joint arm's frames and bodies: no growth while sampling.
    origins.reserve(FEW);
    out.reserve(FEW);
    axes.reserve(FEW);
    q.reserve(FEW);
    near.reserve(scene.solids.len());
    // Conservative advancement (`sim/advance.rs`): the bounds are taken from the first sample's
    // frames.
    let mut bounds = None;
    let mut next = 0;
    while next < n {
        let k = next;
        origins.clear();
        axes.clear();
        samples.joints(k, q);
        let (flange, tcp) = moving.frame.frames_fast(q, origins, axes);
        bodies(moving, cell, origins, &flange, &tcp, out);
        // Broad phase: only the solids whose boxes meet the box around every body.
        let (mut lo, mut hi) = (Vector3::repeat(f64::INFINITY), Vector3::repeat(f64::NEG_INFINITY));
        for b in out.iter() {
            lo = lo.inf(&b.lo);
            hi = hi.sup(&b.hi);
        }
        near.clear();
        near.extend((0..scene.solids.len()).filter(|&i| overlap(&lo, &hi, &scene.solids[i].lo, &scene.solids[i].hi)));
        if !near.is_empty() {
            let held_pose = moving.held.map(|(_, offset)| tcp * offset);
            for body in out.iter() {
                if let Some(what) = scene.hit(body, &tcp.translation.vector, held_pose.as_ref(), cell, Some(near)) {
                    return Err(collision(cell, moving, body.mover, what, time(k + 1)));
                }
            }
        }
        let left = n - 1 - k;
        next = k + match &plan.joint_step {
            Some(_) if dense() => 1,
            Some(step) => {
                let bounds = bounds.get_or_insert_with(|| {
                    advance::TravelBounds::new(origins, reach_beyond_flange(cell, moving), step)
                });
                // A UR's joint `j` turns about `axes[j]` through `origins[j]`.
                let axes = (!axes.is_empty()).then_some((&origins[..], &axes[..]));
                scene.samples_ahead(out, bounds, axes, left)
            }
            // A line's samples are 5 mm apart and mostly near what the tool works on (clearance
            // about nil): skipping them saves less than the clearances cost.
            None => 1,
        };
    }
    let start_point = plan.start_tcp.translation.vector;
    let point = |k: usize| if k == 0 { start_point } else { samples.tcps[k - 1] };
    Ok(peak_acceleration(n, &point, &time).map(|(accel, k)| {
        let tcp = if k == 0 {
            plan.start_tcp
        } else {
            samples.joints(k - 1, q);
            moving.frame.tcp_pose_fresh(q)
        };
        Peak { accel, time: time(k), tcp }
    }))
}

/// The largest |a − g| along a track of TCP positions `point(k)` at times `time(k)`, k = 0..=n,
/// from second differences, and the `k` where it is.
fn peak_acceleration(
    n: usize,
    point: &dyn Fn(usize) -> Vector3<f64>,
    time: &dyn Fn(usize) -> f64,
) -> Option<(f64, usize)> {
    let gravity = Vector3::new(0.0, 0.0, -crate::sim::energy::GRAVITY);
    let mut best: Option<(f64, usize)> = None;
    if n < 2 {
        return None;
    }
    let (mut t0, mut t1) = (time(0), time(1));
    let (mut pa, mut pb) = (point(0), point(1));
    // 1 / (t1 − t0): the previous step's 1 / (t2 − t1). Two divisions per sample rather than nine
    // (one per coordinate of each vector quotient).
    let mut before = 1.0 / (t1 - t0);
    for k in 2..=n {
        let (t2, pc) = (time(k), point(k));
        let after = 1.0 / (t2 - t1);
        if t1 > t0 && t2 > t1 {
            let accel = ((pc - pb) * after - (pb - pa) * before) * (2.0 / (t2 - t0));
            // Squared, to take one square root per path instead of one per sample.
            let need = (accel - gravity).norm_squared();
            if best.is_none_or(|(b, _)| need > b) {
                best = Some((need, k - 1));
            }
        }
        (t0, t1, pa, pb, before) = (t1, t2, pb, pc, after);
    }
    best.map(|(need, k)| (need.sqrt(), k))
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
