//! Types of the checked program, including quantities with their physical dimension.

use std::fmt;

/// Exponents of the base dimensions. Angle is a base dimension of its own, so `1 rad + 1 m` and
/// `sin(2.0)` are errors. All quantities are f64 in SI at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Dim {
    pub length: i8,
    pub mass: i8,
    pub time: i8,
    pub angle: i8,
}

impl Dim {
    pub const NONE: Dim = Dim { length: 0, mass: 0, time: 0, angle: 0 };
    pub const LENGTH: Dim = Dim { length: 1, ..Dim::NONE };
    pub const MASS: Dim = Dim { mass: 1, ..Dim::NONE };
    pub const TIME: Dim = Dim { time: 1, ..Dim::NONE };
    pub const ANGLE: Dim = Dim { angle: 1, ..Dim::NONE };

    #[expect(
        clippy::should_implement_trait,
        reason = "dimension algebra reads better as named methods than as operators on a type that is not a number"
    )]
    pub fn mul(self, o: Dim) -> Dim {
        Dim {
            length: self.length + o.length,
            mass: self.mass + o.mass,
            time: self.time + o.time,
            angle: self.angle + o.angle,
        }
    }

    #[expect(clippy::should_implement_trait, reason = "see `mul`")]
    pub fn div(self, o: Dim) -> Dim {
        self.mul(o.pow(-1))
    }

    pub fn pow(self, n: i8) -> Dim {
        Dim { length: self.length * n, mass: self.mass * n, time: self.time * n, angle: self.angle * n }
    }

    /// Half of every exponent, or `None` when one is odd (`sqrt` of a Length is not a quantity).
    pub fn sqrt(self) -> Option<Dim> {
        let half = |e: i8| (e % 2 == 0).then_some(e / 2);
        Some(Dim {
            length: half(self.length)?,
            mass: half(self.mass)?,
            time: half(self.time)?,
            angle: half(self.angle)?,
        })
    }

    pub fn is_none(self) -> bool {
        self == Dim::NONE
    }
}

/// Opaque run-time handles: cell objects and geometry values owned by the runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandleKind {
    Arm,
    Gripper,
    ScrewDriver,
    Camera,
    Fixture,
    Part,
    Signal,
    Vec3,
    Rot,
    Pose,
    Fault,
}

impl HandleKind {
    pub const ALL: [HandleKind; 11] = [
        HandleKind::Arm,
        HandleKind::Gripper,
        HandleKind::ScrewDriver,
        HandleKind::Camera,
        HandleKind::Fixture,
        HandleKind::Part,
        HandleKind::Signal,
        HandleKind::Vec3,
        HandleKind::Rot,
        HandleKind::Pose,
        HandleKind::Fault,
    ];

    pub fn name(self) -> &'static str {
        match self {
            HandleKind::Arm => "Arm",
            HandleKind::Gripper => "Gripper",
            HandleKind::ScrewDriver => "ScrewDriver",
            HandleKind::Camera => "Camera",
            HandleKind::Fixture => "Fixture",
            HandleKind::Part => "Part",
            HandleKind::Signal => "Signal",
            HandleKind::Vec3 => "Vec3",
            HandleKind::Rot => "Rot",
            HandleKind::Pose => "Pose",
            HandleKind::Fault => "Fault",
        }
    }

    /// Cell handles can appear in a `cell { }` block and are bound to the cell description.
    pub fn is_cell_object(self) -> bool {
        !matches!(self, HandleKind::Vec3 | HandleKind::Rot | HandleKind::Pose | HandleKind::Fault)
    }
}

/// Index into `tir::Program::structs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StructId(pub u32);

/// Index into `tir::Program::enums`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnumId(pub u32);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// The type of an expression that already had an error; it unifies with everything so that
    /// one mistake gives one diagnostic.
    Error,
    /// No value: the result of a skill without `-> T`.
    Unit,
    Bool,
    Int,
    /// A dimensionless f64; `Ratio` (`%`) is the same type.
    Real,
    /// A quantity with a non-trivial dimension.
    Quantity(Dim),
    Str,
    List(Box<Ty>),
    Optional(Box<Ty>),
    Struct(StructId, String),
    Enum(EnumId, String),
    /// The built-in closed enum of fault kinds, as its ordinal.
    FaultKind,
    Handle(HandleKind),
}

/// How a value of a type is held in generated code and across the ABI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repr {
    /// No value.
    Void,
    /// i64: Int, Bool (0 or 1), handles, strings, lists, records, enums.
    I64,
    /// f64: Real and every quantity, in SI.
    F64,
}

impl Ty {
    /// A quantity type, collapsing the dimensionless case to `Real`.
    pub fn quantity(dim: Dim) -> Ty {
        if dim.is_none() { Ty::Real } else { Ty::Quantity(dim) }
    }

    pub fn repr(&self) -> Repr {
        match self {
            Ty::Unit => Repr::Void,
            Ty::Real | Ty::Quantity(_) => Repr::F64,
            _ => Repr::I64,
        }
    }

    /// The dimension of a numeric type: `Real` is dimensionless; others have none.
    pub fn dim(&self) -> Option<Dim> {
        match self {
            Ty::Real => Some(Dim::NONE),
            Ty::Quantity(d) => Some(*d),
            _ => None,
        }
    }
}

/// Named quantity types and the dimension each stands for. The first name for a dimension is the
/// one printed; `Torque` and `Energy` share N*m = J, and print as `Torque`.
pub const QUANTITY_NAMES: &[(&str, Dim)] = &[
    ("Length", Dim::LENGTH),
    ("Angle", Dim::ANGLE),
    ("Time", Dim::TIME),
    ("Mass", Dim::MASS),
    ("Force", Dim { length: 1, mass: 1, time: -2, angle: 0 }),
    ("Torque", Dim { length: 2, mass: 1, time: -2, angle: 0 }),
    ("Energy", Dim { length: 2, mass: 1, time: -2, angle: 0 }),
    ("Speed", Dim { length: 1, mass: 0, time: -1, angle: 0 }),
    ("AngularSpeed", Dim { length: 0, mass: 0, time: -1, angle: 1 }),
    ("Acceleration", Dim { length: 1, mass: 0, time: -2, angle: 0 }),
    ("Power", Dim { length: 2, mass: 1, time: -3, angle: 0 }),
];

impl fmt::Display for Dim {
    /// A named type when the dimension has one (`Length`), else a bracketed SI unit (`[N/mm]` is
    /// printed `[kg/s^2]`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((name, _)) = QUANTITY_NAMES.iter().find(|(_, d)| d == self) {
            return f.write_str(name);
        }
        if self.is_none() {
            return f.write_str("Real");
        }
        let parts = [("m", self.length), ("kg", self.mass), ("s", self.time), ("rad", self.angle)];
        let num: Vec<String> = parts
            .iter()
            .filter(|(_, e)| *e > 0)
            .map(|(u, e)| if *e == 1 { u.to_string() } else { format!("{u}^{e}") })
            .collect();
        let den: Vec<String> = parts
            .iter()
            .filter(|(_, e)| *e < 0)
            .map(|(u, e)| if *e == -1 { u.to_string() } else { format!("{u}^{}", -e) })
            .collect();
        let num = if num.is_empty() { "1".to_string() } else { num.join("*") };
        if den.is_empty() { write!(f, "[{num}]") } else { write!(f, "[{num}/{}]", den.join("/")) }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Error => f.write_str("{error}"),
            Ty::Unit => f.write_str("()"),
            Ty::Bool => f.write_str("Bool"),
            Ty::Int => f.write_str("Int"),
            Ty::Real => f.write_str("Real"),
            Ty::Quantity(d) => write!(f, "{d}"),
            Ty::Str => f.write_str("String"),
            Ty::List(t) => write!(f, "[{t}]"),
            Ty::Optional(t) => write!(f, "{t}?"),
            Ty::Struct(_, name) | Ty::Enum(_, name) => f.write_str(name),
            Ty::FaultKind => f.write_str("FaultKind"),
            Ty::Handle(h) => f.write_str(h.name()),
        }
    }
}

/// The closed set of fault kinds, in ABI order (the ordinal is what crosses the ABI; the runtime
/// has the same list and a test checks that they agree).
pub const FAULT_KINDS: [&str; 12] = [
    "Unreachable",
    "Collision",
    "LimitExceeded",
    "GraspFailed",
    "Dropped",
    "FastenFailed",
    "InspectionFailed",
    "Timeout",
    "Ensure",
    "Hardware",
    "Stopped",
    "User",
];
