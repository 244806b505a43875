//! The cell description (`cell.toml`): its serde schema, and validation into a [`Cell`] in SI units.
//!
//! Parsing never panics: every problem becomes a [`CellError`] with the line and column of the
//! offending key or value. The schema is documented in `docs/cell.md`.

use crate::backend::{HardLimits, KeepOut, Pose};
use crate::sim::arms::{ArmKinematics, BUILTIN_MODELS};
use nalgebra::{Translation3, UnitQuaternion, Vector3};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

#[path = "cell_schema.rs"]
mod schema;
use schema::{RawArm, RawCell, RawFixture, RawLimits, RawModel, RawPart, RawPose, RawSlot, RawTool};

/// The home configuration of a UR arm that gives none: upright elbow, tool pointing down. Other
/// models have their own ([`ArmKinematics::default_home`]).
pub const DEFAULT_HOME_DEG: [f64; 6] = [0.0, -90.0, 90.0, -90.0, -90.0, 0.0];
/// Default TCP offsets along the flange z axis, mm.
const DEFAULT_GRIPPER_TCP_MM: f64 = 150.0;
const DEFAULT_DRIVER_TCP_MM: f64 = 180.0;
const DEFAULT_CAMERA_TCP_MM: f64 = 50.0;
/// Default spindle speed of a screwdriver and seating angle of a screw.
const DEFAULT_SPINDLE_RPM: f64 = 300.0;
const DEFAULT_SEAT_DEG: f64 = 540.0;
/// Default distance a camera sees parts at, mm.
const DEFAULT_CAMERA_RANGE_MM: f64 = 600.0;

/// A problem in a cell description, located in its source.
#[derive(Clone, Debug, PartialEq)]
pub struct CellError {
    pub path: String,
    /// 1-based line and column (in characters) of the offending key or value.
    pub line: usize,
    pub column: usize,
    /// The key the problem is about (`part.at`), or empty when the file does not parse as TOML.
    pub key: String,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
    }
}

impl std::error::Error for CellError {}

/// A validated cell: every name resolved, every quantity in SI units, every pose in the world frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub name: String,
    pub arms: Vec<ArmSpec>,
    pub grippers: Vec<GripperSpec>,
    pub drivers: Vec<DriverSpec>,
    pub cameras: Vec<CameraSpec>,
    pub fixtures: Vec<FixtureSpec>,
    pub parts: Vec<PartSpec>,
    pub signals: Vec<SignalSpec>,
    pub limits: HardLimits,
    pub keepouts: Vec<KeepOut>,
    pub randomize: Randomize,
}

/// What `model = ...` said: a built-in arm, or a URDF file (its path as resolved against the cell).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArmModel {
    Ur5e,
    Ur10e,
    Panda,
    Urdf(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ArmSpec {
    pub name: String,
    pub model: ArmModel,
    /// The model's kinematics, limits and speeds (shared: episodes clone cells).
    pub kinematics: Arc<ArmKinematics>,
    pub base: Pose,
    /// Start configuration, radians, one angle per joint.
    pub home: Vec<f64>,
    /// TCP offset along the flange z axis of the gripper or screwdriver it carries, m (0 without one).
    pub tcp: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GripperSpec {
    pub name: String,
    pub arm: usize,
    pub tcp: f64,
    pub max_width: f64,
    pub max_force: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DriverSpec {
    pub name: String,
    pub arm: usize,
    pub tcp: f64,
    pub max_torque: f64,
    /// Spindle speed, rad/s.
    pub spindle_speed: f64,
}

/// Where a camera is: on an arm's flange, or fixed in the world.
#[derive(Clone, Debug, PartialEq)]
pub enum CameraMount {
    Arm { arm: usize, tcp: f64 },
    Fixed(Pose),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CameraSpec {
    pub name: String,
    pub mount: CameraMount,
    /// Parts further than this from the camera cannot be inspected, m.
    pub range: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FixtureSpec {
    pub name: String,
    pub pose: Pose,
    /// Body box (x, y, z), m, its bottom face centred on `pose`; its top face is a support.
    pub size: Option<Vector3<f64>>,
    /// Slot name and pose relative to the fixture, sorted by name.
    pub slots: Vec<(String, Pose)>,
    /// The fit of each slot (same order as `slots`): `Some` for a bore that parts are inserted into.
    pub fits: Vec<Option<SlotFit>>,
}

/// A slot that is a bore: its pose is the seat at the bottom, its mouth `depth` above it. A part
/// whose axis is within `clearance` of the slot's enters it, and pushing it in takes a force that
/// grows linearly from 0 at the mouth to `press_force` at the seat (an interference fit); a part
/// further off lands on the rim. All SI: m, m, N.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlotFit {
    pub depth: f64,
    pub clearance: f64,
    pub press_force: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    pub name: String,
    pub nominal: f64,
    pub tolerance: f64,
    pub noise: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PartSpec {
    pub name: String,
    pub size: Vector3<f64>,
    pub mass: f64,
    /// The pose it starts at (before `[randomize]` jitter), world frame.
    pub pose: Pose,
    /// The fixture slot it starts in, as (fixture index, slot index).
    pub slot: Option<(usize, usize)>,
    pub group: Option<String>,
    pub screw: bool,
    /// Angle a screw turns before it seats, rad.
    pub seat_angle: f64,
    pub features: Vec<Feature>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SignalSpec {
    pub name: String,
    /// Time from a `set` to the input reading the new value, s.
    pub delay: f64,
    pub initial: bool,
}

/// Ranges the episode's seeded generator draws from at episode start (and during fastening).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Randomize {
    /// Each part's start x and y move by a uniform amount in ±this, m.
    pub part_xy: f64,
    /// Probability that a fastening cross-threads.
    pub cross_thread: f64,
    /// The episode's finger friction coefficient is uniform in [lo, hi].
    pub friction: [f64; 2],
    /// The episode's factor on every feature's `noise_mm` is uniform in [lo, hi].
    pub camera_noise: [f64; 2],
}

impl Default for Randomize {
    fn default() -> Randomize {
        let mu = crate::sim::world::FRICTION;
        Randomize { part_xy: 0.0, cross_thread: 0.0, friction: [mu, mu], camera_noise: [1.0, 1.0] }
    }
}

// ---- Parsing and validation --------------------------------------------------------------------

/// Parse and validate a cell description whose arms are all built-in; `path` only labels errors.
/// A cell with a URDF arm needs [`parse_cell_with`].
pub fn parse_cell(source: &str, path: &str) -> Result<Cell, CellError> {
    parse_cell_with(source, path, &|file: &str| {
        Err(format!("cannot read `{file}`: this caller reads no files (use parse_cell_with)"))
    })
}

/// Parse and validate a cell description. `read` returns the text of a file the cell refers to
/// (a URDF arm model), given its path joined to the cell file's folder; the simulator itself does
/// no IO, so the caller decides how files are read (or whether at all).
pub fn parse_cell_with(
    source: &str,
    path: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Cell, CellError> {
    let raw: RawCell = toml::from_str(source).map_err(|e| toml_error(source, path, &e))?;
    Validator { source, path, read, names: HashMap::new(), tooled: HashSet::new() }.cell(raw)
}

/// `relative` as seen from the folder of the file at `base` (paths are joined as text; nothing is
/// looked up). An absolute `relative` stays as it is.
pub fn resolve_relative(base: &str, relative: &str) -> String {
    let rel = std::path::Path::new(relative);
    match std::path::Path::new(base).parent() {
        Some(dir) if !rel.is_absolute() && !dir.as_os_str().is_empty() => dir.join(rel).to_string_lossy().into_owned(),
        _ => relative.to_string(),
    }
}

fn toml_error(source: &str, path: &str, error: &toml::de::Error) -> CellError {
    let (line, column) = error.span().map_or((1, 1), |span| line_col(source, span.start));
    // The key path is only printed, not exposed: print the error without its input to get it.
    let mut bare = error.clone();
    bare.set_input(None);
    let printed = bare.to_string();
    let mut key = printed
        .lines()
        .find_map(|l| l.strip_prefix("in `").and_then(|k| k.strip_suffix('`')))
        .unwrap_or_default()
        .to_string();
    let mut message = error.message().trim().to_string();
    // An unknown key is reported against its table; name the key itself.
    let unknown = message.strip_prefix("unknown field `").and_then(|m| m.split_once('`')).map(|(k, _)| k.to_string());
    if let Some(field) = unknown {
        key = if key.is_empty() { field } else { format!("{key}.{field}") };
    }
    if !key.is_empty() {
        message = format!("{message} (in `{key}`)");
    }
    CellError { path: path.to_string(), line, column, key, message }
}

/// 1-based line and character column of a byte offset.
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

struct Validator<'a> {
    source: &'a str,
    path: &'a str,
    read: &'a dyn Fn(&str) -> Result<String, String>,
    /// Every object name in the cell, unique across sections, with what declared it.
    names: HashMap<String, &'static str>,
    /// Arms that already carry a gripper or screwdriver.
    tooled: HashSet<usize>,
}

impl Validator<'_> {
    fn error(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> CellError {
        let (line, column) = line_col(self.source, span.start);
        CellError { path: self.path.to_string(), line, column, key: key.to_string(), message: message.into() }
    }

    fn declare(&mut self, name: &Spanned<String>, section: &'static str) -> Result<String, CellError> {
        let text = name.get_ref();
        if text.is_empty() {
            return Err(self.error(name.span(), &format!("{section}.name"), format!("a {section} needs a name")));
        }
        if let Some(previous) = self.names.get(text) {
            return Err(self.error(
                name.span(),
                &format!("{section}.name"),
                format!("duplicate name `{text}`: a {previous} already has it"),
            ));
        }
        self.names.insert(text.clone(), section);
        Ok(text.clone())
    }

    fn positive(&self, value: &Spanned<f64>, key: &str, what: &str) -> Result<f64, CellError> {
        let v = *value.get_ref();
        if !(v.is_finite() && v > 0.0) {
            return Err(self.error(value.span(), key, format!("{what} must be positive, found {v}")));
        }
        Ok(v)
    }

    fn non_negative(&self, value: &Spanned<f64>, key: &str, what: &str) -> Result<f64, CellError> {
        let v = *value.get_ref();
        if !(v.is_finite() && v >= 0.0) {
            return Err(self.error(value.span(), key, format!("{what} must not be negative, found {v}")));
        }
        Ok(v)
    }

    /// A pose from its raw form; every number must be finite (TOML allows `nan` and `inf`).
    fn pose(&self, raw: &RawPose, key: &str) -> Result<Pose, CellError> {
        let mut parts = [[0.0; 3]; 2];
        for (out, (value, unit)) in parts.iter_mut().zip([(&raw.xyz_mm, "xyz_mm"), (&raw.rpy_deg, "rpy_deg")]) {
            if let Some(v) = value {
                if v.get_ref().iter().any(|x| !x.is_finite()) {
                    return Err(self.error(
                        v.span(),
                        &format!("{key}.{unit}"),
                        format!("`{unit}` needs finite numbers"),
                    ));
                }
                *out = *v.get_ref();
            }
        }
        let [[x, y, z], [r, p, yaw]] = parts;
        Ok(Pose::from_parts(
            Translation3::new(x / 1000.0, y / 1000.0, z / 1000.0),
            UnitQuaternion::from_euler_angles(r.to_radians(), p.to_radians(), yaw.to_radians()),
        ))
    }

    /// An optional value that must not be negative; absent means 0.
    fn optional(&self, value: &Option<Spanned<f64>>, key: &str, what: &str) -> Result<f64, CellError> {
        value.as_ref().map_or(Ok(0.0), |v| self.non_negative(v, key, what))
    }

    fn cell(mut self, raw: RawCell) -> Result<Cell, CellError> {
        let mut arms = Vec::new();
        for a in &raw.arm {
            arms.push(self.arm(a)?);
        }
        let (mut grippers, mut drivers, mut cameras) = (Vec::new(), Vec::new(), Vec::new());
        for t in &raw.tool {
            self.tool(t, &mut arms, &mut grippers, &mut drivers, &mut cameras)?;
        }
        let mut fixtures = Vec::new();
        for f in &raw.fixture {
            fixtures.push(self.fixture(f)?);
        }
        let mut parts = Vec::new();
        let mut occupied: HashMap<(usize, usize), String> = HashMap::new();
        for p in &raw.part {
            parts.push(self.part(p, &fixtures, &mut occupied)?);
        }
        let mut signals = Vec::new();
        for s in &raw.signal {
            let name = self.declare(&s.name, "signal")?;
            let delay = self.optional(&s.delay_ms, "signal.delay_ms", "a signal delay")? / 1000.0;
            signals.push(SignalSpec { name, delay, initial: s.initial });
        }
        let limits = self.limits(&raw.limits, &arms)?;
        let mut keepouts = Vec::new();
        for k in &raw.keepout {
            let name = self.declare(&k.name, "keepout")?;
            let b = k.box_mm.get_ref();
            if (0..3).any(|i| !(b.min[i] < b.max[i] && b.min[i].is_finite() && b.max[i].is_finite())) {
                return Err(self.error(
                    k.box_mm.span(),
                    "keepout.box_mm",
                    "a keep-out box needs min < max on every axis",
                ));
            }
            keepouts.push(KeepOut { name, min: Vector3::from(b.min) / 1000.0, max: Vector3::from(b.max) / 1000.0 });
        }
        let r = &raw.randomize;
        let part_xy = self.optional(&r.part_xy_mm, "randomize.part_xy_mm", "part_xy_mm")? / 1000.0;
        let cross_thread = self.optional(&r.cross_thread, "randomize.cross_thread", "a probability")?;
        if let Some(c) = r.cross_thread.as_ref().filter(|_| cross_thread > 1.0) {
            return Err(self.error(c.span(), "randomize.cross_thread", "a probability must be at most 1"));
        }
        let defaults = Randomize::default();
        let friction = self.range(&r.friction, "friction", defaults.friction, (0.01, 2.0))?;
        let camera_noise = self.range(&r.camera_noise, "camera_noise", defaults.camera_noise, (0.0, 100.0))?;
        Ok(Cell {
            name: raw.cell.name,
            arms,
            grippers,
            drivers,
            cameras,
            fixtures,
            parts,
            signals,
            limits,
            keepouts,
            randomize: Randomize { part_xy, cross_thread, friction, camera_noise },
        })
    }

    /// A `[randomize]` range `[lo, hi]` with `bounds.0 <= lo <= hi <= bounds.1`; absent means `default`.
    fn range(
        &self,
        value: &Option<Spanned<[f64; 2]>>,
        key: &str,
        default: [f64; 2],
        bounds: (f64, f64),
    ) -> Result<[f64; 2], CellError> {
        let Some(v) = value else { return Ok(default) };
        let [lo, hi] = *v.get_ref();
        if !(lo.is_finite() && hi.is_finite() && bounds.0 <= lo && lo <= hi && hi <= bounds.1) {
            return Err(self.error(
                v.span(),
                &format!("randomize.{key}"),
                format!("`{key}` must be a range [lo, hi] with {} <= lo <= hi <= {}", bounds.0, bounds.1),
            ));
        }
        Ok([lo, hi])
    }

    fn arm(&mut self, a: &RawArm) -> Result<ArmSpec, CellError> {
        let name = self.declare(&a.name, "arm")?;
        let (model, kinematics) = self.model(a)?;
        let home = match &a.home_deg {
            Some(h) => {
                let deg = h.get_ref();
                if deg.len() != kinematics.dof() {
                    return Err(self.error(
                        h.span(),
                        "arm.home_deg",
                        format!(
                            "home_deg needs {} angles, found {} (a {} has {} joints)",
                            kinematics.dof(),
                            deg.len(),
                            kinematics.model,
                            kinematics.dof()
                        ),
                    ));
                }
                if deg.iter().any(|q| !q.is_finite()) {
                    return Err(self.error(h.span(), "arm.home_deg", "home_deg needs finite angles"));
                }
                let q: Vec<f64> = deg.iter().map(|d| d.to_radians()).collect();
                if let Some((i, v)) = kinematics.limit_violation(&q) {
                    return Err(self.error(
                        h.span(),
                        "arm.home_deg",
                        format!(
                            "home_deg: joint {} at {:.1}° is outside the {}'s limits [{:.1}°, {:.1}°]",
                            i + 1,
                            v.to_degrees(),
                            kinematics.model,
                            kinematics.lower[i].to_degrees(),
                            kinematics.upper[i].to_degrees()
                        ),
                    ));
                }
                q
            }
            None => kinematics.default_home.clone(),
        };
        let base = self.pose(&a.base, "arm.base")?;
        Ok(ArmSpec { name, model, kinematics: Arc::new(kinematics), base, home, tcp: 0.0 })
    }

    /// The arm model: a built-in name, or a URDF file read through the caller's `read`.
    fn model(&self, a: &RawArm) -> Result<(ArmModel, ArmKinematics), CellError> {
        let span = a.model.span();
        match a.model.get_ref() {
            RawModel::Builtin(name) => {
                let model = match name.as_str() {
                    "ur5e" => ArmModel::Ur5e,
                    "ur10e" => ArmModel::Ur10e,
                    "panda" => ArmModel::Panda,
                    other => {
                        return Err(self.error(
                            span,
                            "arm.model",
                            format!(
                                "unknown arm model `{other}`; the simulator knows: {}, or {{ urdf = \"FILE\" }}",
                                BUILTIN_MODELS.join(", ")
                            ),
                        ));
                    }
                };
                let kinematics = ArmKinematics::builtin(name)
                    .ok_or_else(|| self.error(span.clone(), "arm.model", format!("no built-in model `{name}`")))?;
                Ok((model, kinematics))
            }
            RawModel::Urdf(u) => {
                let file = resolve_relative(self.path, &u.urdf);
                let text = (self.read)(&file).map_err(|e| {
                    self.error(span.clone(), "arm.model.urdf", format!("cannot read URDF `{file}`: {e}"))
                })?;
                let kinematics = ArmKinematics::from_urdf(&text, &u.urdf)
                    .map_err(|e| self.error(span.clone(), "arm.model.urdf", format!("URDF `{file}`: {e}")))?;
                Ok((ArmModel::Urdf(file), kinematics))
            }
        }
    }

    fn mount(&self, t: &RawTool, arms: &[ArmSpec]) -> Result<Option<usize>, CellError> {
        let Some(on) = &t.mounted_on else { return Ok(None) };
        match arms.iter().position(|a| a.name == *on.get_ref()) {
            Some(i) => Ok(Some(i)),
            None => Err(self.error(
                on.span(),
                "tool.mounted_on",
                format!(
                    "tool `{}` is mounted on `{}`, which is not an arm of this cell",
                    t.name.get_ref(),
                    on.get_ref()
                ),
            )),
        }
    }

    /// Keys that belong to another kind of tool are errors, so that a wrong `kind` is caught.
    fn reject_foreign_keys(&self, t: &RawTool, kind: &str) -> Result<(), CellError> {
        let span = |o: &Option<Spanned<f64>>| o.as_ref().map(Spanned::span);
        let keys = [
            ("max_width_mm", span(&t.max_width_mm), "parallel_gripper"),
            ("max_force_n", span(&t.max_force_n), "parallel_gripper"),
            ("max_torque_nm", span(&t.max_torque_nm), "screwdriver"),
            ("speed_rpm", span(&t.speed_rpm), "screwdriver"),
            ("range_mm", span(&t.range_mm), "camera"),
        ];
        for (key, span, owner) in keys {
            if let Some(span) = span.filter(|_| owner != kind) {
                return Err(self.error(span, &format!("tool.{key}"), format!("`{key}` does not apply to a {kind}")));
            }
        }
        Ok(())
    }

    fn tool(
        &mut self,
        t: &RawTool,
        arms: &mut [ArmSpec],
        grippers: &mut Vec<GripperSpec>,
        drivers: &mut Vec<DriverSpec>,
        cameras: &mut Vec<CameraSpec>,
    ) -> Result<(), CellError> {
        let name = self.declare(&t.name, "tool")?;
        let kind = t.kind.get_ref().as_str();
        let mounted = self.mount(t, arms)?;
        if matches!(kind, "parallel_gripper" | "screwdriver")
            && let Some(arm) = mounted
            && !self.tooled.insert(arm)
        {
            return Err(self.error(
                t.name.span(),
                "tool.mounted_on",
                format!(
                    "arm `{}` already carries a gripper or screwdriver; mount `{name}` on its own arm",
                    arms[arm].name
                ),
            ));
        }
        let tcp = |default: f64| -> Result<f64, CellError> {
            match &t.tcp_mm {
                Some(v) => Ok(self.non_negative(v, "tool.tcp_mm", "tcp_mm")? / 1000.0),
                None => Ok(default / 1000.0),
            }
        };
        let needs_arm = |what: &str| -> Result<usize, CellError> {
            mounted.ok_or_else(|| {
                self.error(t.name.span(), "tool.mounted_on", format!("{what} `{name}` needs `mounted_on = \"ARM\"`"))
            })
        };
        let required = |o: &Option<Spanned<f64>>, key: &str| -> Result<f64, CellError> {
            match o {
                Some(v) => self.positive(v, &format!("tool.{key}"), key),
                None => Err(self.error(t.name.span(), &format!("tool.{key}"), format!("tool `{name}` needs `{key}`"))),
            }
        };
        match kind {
            "parallel_gripper" | "screwdriver" => {
                self.reject_foreign_keys(t, kind)?;
                let arm = needs_arm(if kind == "screwdriver" { "screwdriver" } else { "gripper" })?;
                if let Some(p) = &t.pose {
                    return Err(self.error(
                        p.span(),
                        "tool.pose",
                        format!("a {kind} is placed by `mounted_on`, not `pose`"),
                    ));
                }
                if kind == "parallel_gripper" {
                    let tcp = tcp(DEFAULT_GRIPPER_TCP_MM)?;
                    arms[arm].tcp = tcp;
                    let max_width = required(&t.max_width_mm, "max_width_mm")? / 1000.0;
                    let max_force = required(&t.max_force_n, "max_force_n")?;
                    grippers.push(GripperSpec { name, arm, tcp, max_width, max_force });
                } else {
                    let tcp = tcp(DEFAULT_DRIVER_TCP_MM)?;
                    arms[arm].tcp = tcp;
                    let rpm = match &t.speed_rpm {
                        Some(v) => self.positive(v, "tool.speed_rpm", "speed_rpm")?,
                        None => DEFAULT_SPINDLE_RPM,
                    };
                    let max_torque = required(&t.max_torque_nm, "max_torque_nm")?;
                    let spindle_speed = rpm * std::f64::consts::TAU / 60.0;
                    drivers.push(DriverSpec { name, arm, tcp, max_torque, spindle_speed });
                }
            }
            "camera" => {
                self.reject_foreign_keys(t, kind)?;
                let mount = match (mounted, &t.pose) {
                    (Some(arm), None) => CameraMount::Arm { arm, tcp: tcp(DEFAULT_CAMERA_TCP_MM)? },
                    (None, Some(p)) => {
                        // A fixed camera's pose is its optical frame: an offset on top would be ignored.
                        if let Some(v) = &t.tcp_mm {
                            return Err(self.error(
                                v.span(),
                                "tool.tcp_mm",
                                "`tcp_mm` is the offset from an arm's flange; a fixed camera is placed by `pose` alone",
                            ));
                        }
                        CameraMount::Fixed(self.pose(p.get_ref(), "tool.pose")?)
                    }
                    (Some(_), Some(p)) => {
                        return Err(self.error(
                            p.span(),
                            "tool.pose",
                            "a camera has either `mounted_on` or `pose`, not both",
                        ));
                    }
                    (None, None) => {
                        return Err(self.error(
                            t.name.span(),
                            "tool.pose",
                            format!("camera `{name}` needs `mounted_on` or `pose`"),
                        ));
                    }
                };
                let range = match &t.range_mm {
                    Some(v) => self.positive(v, "tool.range_mm", "range_mm")? / 1000.0,
                    None => DEFAULT_CAMERA_RANGE_MM / 1000.0,
                };
                cameras.push(CameraSpec { name, mount, range });
            }
            other => {
                return Err(self.error(
                    t.kind.span(),
                    "tool.kind",
                    format!("unknown tool kind `{other}`; expected parallel_gripper, screwdriver or camera"),
                ));
            }
        }
        Ok(())
    }

    fn fixture(&mut self, f: &RawFixture) -> Result<FixtureSpec, CellError> {
        let name = self.declare(&f.name, "fixture")?;
        let size = match &f.size_mm {
            Some(s) => {
                if s.get_ref().iter().any(|v| !(v.is_finite() && *v > 0.0)) {
                    return Err(self.error(s.span(), "fixture.size_mm", "fixture sizes must be positive"));
                }
                Some(Vector3::from(*s.get_ref()) / 1000.0)
            }
            None => None,
        };
        let (mut slots, mut fits) = (Vec::new(), Vec::new());
        for (n, s) in &f.slots {
            let key = format!("fixture.slots.{n}");
            let pose = RawPose { xyz_mm: s.xyz_mm.clone(), rpy_deg: s.rpy_deg.clone() };
            slots.push((n.clone(), self.pose(&pose, &key)?));
            fits.push(self.fit(s, &key)?);
        }
        Ok(FixtureSpec { name, pose: self.pose(&f.pose, "fixture.pose")?, size, slots, fits })
    }

    /// A slot's fit: present when it gives `depth_mm`; `clearance_mm` and `press_force_n` need it.
    fn fit(&self, s: &RawSlot, key: &str) -> Result<Option<SlotFit>, CellError> {
        let Some(depth) = &s.depth_mm else {
            let stray = [("clearance_mm", &s.clearance_mm), ("press_force_n", &s.press_force_n)];
            if let Some((name, Some(v))) = stray.into_iter().find(|(_, v)| v.is_some()) {
                return Err(self.error(
                    v.span(),
                    &format!("{key}.{name}"),
                    format!("`{name}` describes a bore: give the slot a `depth_mm` too"),
                ));
            }
            return Ok(None);
        };
        let depth = self.positive(depth, &format!("{key}.depth_mm"), "depth_mm")? / 1000.0;
        let clearance = self.optional(&s.clearance_mm, &format!("{key}.clearance_mm"), "clearance_mm")? / 1000.0;
        let press_force = self.optional(&s.press_force_n, &format!("{key}.press_force_n"), "press_force_n")?;
        Ok(Some(SlotFit { depth, clearance, press_force }))
    }

    fn part(
        &mut self,
        p: &RawPart,
        fixtures: &[FixtureSpec],
        occupied: &mut HashMap<(usize, usize), String>,
    ) -> Result<PartSpec, CellError> {
        let name = self.declare(&p.name, "part")?;
        if p.size_mm.get_ref().iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(self.error(p.size_mm.span(), "part.size_mm", format!("part `{name}` needs positive sizes")));
        }
        let mass = self.positive(&p.mass_kg, "part.mass_kg", "mass_kg")?;
        let (pose, slot) = match (&p.at, &p.pose) {
            (Some(at), None) => {
                let (fixture, slot) = self.resolve_slot(at, fixtures)?;
                if let Some(other) = occupied.insert((fixture, slot), name.clone()) {
                    return Err(self.error(
                        at.span(),
                        "part.at",
                        format!("part `{other}` already sits in slot `{}`", at.get_ref()),
                    ));
                }
                let f = &fixtures[fixture];
                (f.pose * f.slots[slot].1, Some((fixture, slot)))
            }
            (None, Some(pose)) => (self.pose(pose, "part.pose")?, None),
            (Some(at), Some(_)) => {
                return Err(self.error(
                    at.span(),
                    "part.at",
                    format!("part `{name}` has both `at` and `pose`; give one"),
                ));
            }
            (None, None) => {
                return Err(self.error(
                    p.name.span(),
                    "part.at",
                    format!("part `{name}` needs `at = \"FIXTURE.SLOT\"` or `pose = {{ xyz_mm = [..] }}`"),
                ));
            }
        };
        let screw = match &p.kind {
            None => false,
            Some(k) if k.get_ref() == "screw" => true,
            Some(k) => {
                return Err(self.error(
                    k.span(),
                    "part.kind",
                    format!("unknown part kind `{}`; expected screw", k.get_ref()),
                ));
            }
        };
        let seat_deg = match &p.seat_deg {
            Some(v) => self.positive(v, "part.seat_deg", "seat_deg")?,
            None => DEFAULT_SEAT_DEG,
        };
        let mut features = Vec::new();
        for (fname, f) in &p.features {
            let tolerance = self.non_negative(&f.tolerance_mm, "part.features.tolerance_mm", "a tolerance")?;
            let noise = self.optional(&f.noise_mm, "part.features.noise_mm", "noise")?;
            features.push(Feature {
                name: fname.clone(),
                nominal: f.nominal_mm / 1000.0,
                tolerance: tolerance / 1000.0,
                noise: noise / 1000.0,
            });
        }
        Ok(PartSpec {
            name,
            size: Vector3::from(*p.size_mm.get_ref()) / 1000.0,
            mass,
            pose,
            slot,
            group: p.group.clone(),
            screw,
            seat_angle: seat_deg.to_radians(),
            features,
        })
    }

    fn resolve_slot(&self, at: &Spanned<String>, fixtures: &[FixtureSpec]) -> Result<(usize, usize), CellError> {
        let text = at.get_ref();
        let Some((fixture_name, slot_name)) = text.split_once('.') else {
            return Err(self.error(
                at.span(),
                "part.at",
                format!("`at = \"{text}\"` must name a slot as FIXTURE.SLOT"),
            ));
        };
        let Some(fi) = fixtures.iter().position(|f| f.name == fixture_name) else {
            return Err(self.error(
                at.span(),
                "part.at",
                format!("no fixture `{fixture_name}` (fixtures must come before the parts in them)"),
            ));
        };
        let f = &fixtures[fi];
        match f.slots.iter().position(|(n, _)| n == slot_name) {
            Some(si) => Ok((fi, si)),
            None => {
                let known: Vec<&str> = f.slots.iter().map(|(n, _)| n.as_str()).collect();
                Err(self.error(
                    at.span(),
                    "part.at",
                    format!("fixture `{fixture_name}` has no slot `{slot_name}`; it has: {}", known.join(", ")),
                ))
            }
        }
    }

    /// The hard limits. A TCP speed cap above what the fastest arm of the cell is rated for is an
    /// error: it could never bind, so it is almost certainly a unit slip (URDF arms publish no TCP
    /// speed and are not counted).
    fn limits(&self, l: &RawLimits, arms: &[ArmSpec]) -> Result<HardLimits, CellError> {
        let get = |v: &Option<Spanned<f64>>, key: &str, scale: f64| -> Result<Option<f64>, CellError> {
            v.as_ref().map(|v| self.positive(v, &format!("limits.{key}"), key).map(|x| x * scale)).transpose()
        };
        let tcp_speed = get(&l.tcp_speed_mm_s, "tcp_speed_mm_s", 1e-3)?;
        let fastest = arms
            .iter()
            .filter_map(|a| a.kinematics.max_tcp_speed.map(|v| (v, &a.kinematics.model)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let (Some(cap), Some((rated, model)), Some(raw)) = (tcp_speed, fastest, &l.tcp_speed_mm_s)
            && cap > rated
        {
            return Err(self.error(
                raw.span(),
                "limits.tcp_speed_mm_s",
                format!(
                    "tcp_speed_mm_s = {} is above the arm's physical limit: the {} is rated for {:.0} mm/s",
                    raw.get_ref(),
                    model,
                    rated * 1000.0
                ),
            ));
        }
        Ok(HardLimits {
            tcp_speed,
            force: get(&l.force_n, "force_n", 1.0)?,
            acceleration: get(&l.acceleration_mm_s2, "acceleration_mm_s2", 1e-3)?,
        })
    }
}

#[cfg(test)]
#[path = "cell_tests.rs"]
mod tests;
