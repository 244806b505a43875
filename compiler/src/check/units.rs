//! Units of measure: each unit name's dimension and scale to SI, unit expressions (`N*m`, `m/s^2`),
//! and the unit a dimension is printed in.

use super::suggest;
use crate::syntax::ast::UnitExpr;
use crate::types::Dim;
use std::f64::consts::PI;

const FORCE: Dim = Dim { length: 1, mass: 1, time: -2, angle: 0 };
const TORQUE: Dim = Dim { length: 2, mass: 1, time: -2, angle: 0 };
const POWER: Dim = Dim { length: 2, mass: 1, time: -3, angle: 0 };
const SPEED: Dim = Dim { length: 1, mass: 0, time: -1, angle: 0 };
const ANGULAR_SPEED: Dim = Dim { length: 0, mass: 0, time: -1, angle: 1 };
const ACCELERATION: Dim = Dim { length: 1, mass: 0, time: -2, angle: 0 };

/// Every unit name with its dimension and the factor that turns a value in it into SI. The most
/// common spelling of a dimension comes first, because suggestions prefer earlier entries.
pub(crate) const UNITS: &[(&str, Dim, f64)] = &[
    ("mm", Dim::LENGTH, 1e-3),
    ("m", Dim::LENGTH, 1.0),
    ("cm", Dim::LENGTH, 1e-2),
    ("um", Dim::LENGTH, 1e-6),
    ("in", Dim::LENGTH, 0.0254),
    ("deg", Dim::ANGLE, PI / 180.0),
    ("rad", Dim::ANGLE, 1.0),
    ("s", Dim::TIME, 1.0),
    ("ms", Dim::TIME, 1e-3),
    ("min", Dim::TIME, 60.0),
    ("kg", Dim::MASS, 1.0),
    ("g", Dim::MASS, 1e-3),
    ("N", FORCE, 1.0),
    ("kN", FORCE, 1e3),
    ("Nm", TORQUE, 1.0),
    ("J", TORQUE, 1.0),
    ("kJ", TORQUE, 1e3),
    ("Wh", TORQUE, 3600.0),
    ("W", POWER, 1.0),
    ("kW", POWER, 1e3),
    ("rpm", ANGULAR_SPEED, 2.0 * PI / 60.0),
    ("%", Dim::NONE, 0.01),
];

/// The largest exponent a dimension may carry; beyond it a program is surely mistaken, and the
/// `i8` exponents of `Dim` stay far from overflow.
pub(crate) const MAX_EXPONENT: i32 = 32;

/// `a * b^sign` on dimensions, or `None` when an exponent would leave ±`MAX_EXPONENT`.
pub(crate) fn combine(a: Dim, b: Dim, sign: i32) -> Option<Dim> {
    let e = |x: i8, y: i8| {
        let v = i32::from(x) + sign * i32::from(y);
        (v.abs() <= MAX_EXPONENT).then_some(v as i8)
    };
    Some(Dim {
        length: e(a.length, b.length)?,
        mass: e(a.mass, b.mass)?,
        time: e(a.time, b.time)?,
        angle: e(a.angle, b.angle)?,
    })
}

/// A unit name the table does not know, with the closest known one.
#[derive(Debug, PartialEq)]
pub(crate) struct UnknownUnit {
    pub index: usize,
    pub suggestion: Option<&'static str>,
    /// The name is known but its power takes an exponent past `MAX_EXPONENT`.
    pub too_large: bool,
}

/// One unit name's dimension and scale.
pub(crate) fn unit(name: &str) -> Option<(Dim, f64)> {
    UNITS.iter().find(|(n, _, _)| *n == name).map(|(_, d, s)| (*d, *s))
}

/// The dimension and SI scale of a unit expression, or the first factor whose name is unknown.
pub(crate) fn resolve(expr: &UnitExpr) -> Result<(Dim, f64), UnknownUnit> {
    let mut dim = Dim::NONE;
    let mut scale = 1.0;
    for (index, factor) in expr.factors.iter().enumerate() {
        let Some((d, s)) = unit(&factor.name.name) else {
            let suggestion = suggest::closest(&factor.name.name, UNITS.iter().map(|(n, _, _)| *n));
            return Err(UnknownUnit { index, suggestion, too_large: false });
        };
        let power = factor.power;
        if power.unsigned_abs() > MAX_EXPONENT.unsigned_abs() {
            return Err(UnknownUnit { index, suggestion: None, too_large: true });
        }
        for _ in 0..power.abs() {
            dim = combine(dim, d, power.signum()).ok_or(UnknownUnit { index, suggestion: None, too_large: true })?;
        }
        scale *= s.powi(power);
    }
    Ok((dim, scale))
}

/// How a unit expression is written, for manifests and messages: `mm/s`, `N*m`, `m/s^2`.
pub(crate) fn spell(expr: &UnitExpr) -> String {
    let mut out = String::new();
    for (i, factor) in expr.factors.iter().enumerate() {
        let power = factor.power;
        if i > 0 {
            out.push(if power < 0 { '/' } else { '*' });
        } else if power < 0 {
            out.push_str("1/");
        }
        out.push_str(&factor.name.name);
        if power.unsigned_abs() != 1 {
            out.push_str(&format!("^{}", power.unsigned_abs()));
        }
    }
    out
}

/// The SI unit a value of a dimension is printed in by string interpolation (scale 1).
pub(crate) fn si_unit(dim: Dim) -> String {
    const NAMED: &[(Dim, &str)] = &[
        (Dim::LENGTH, "m"),
        (Dim::ANGLE, "rad"),
        (Dim::TIME, "s"),
        (Dim::MASS, "kg"),
        (FORCE, "N"),
        (TORQUE, "N*m"),
        (POWER, "W"),
        (SPEED, "m/s"),
        (ANGULAR_SPEED, "rad/s"),
        (ACCELERATION, "m/s^2"),
    ];
    if let Some((_, name)) = NAMED.iter().find(|(d, _)| *d == dim) {
        return name.to_string();
    }
    let text = format!("{}", crate::types::Ty::Quantity(dim));
    text.trim_start_matches('[').trim_end_matches(']').to_string()
}

/// The unit a suggestion writes a number of a dimension in (`did you mean 40 mm?`): the unit
/// automation engineers use day to day, or `None` when no single unit names the dimension.
pub(crate) fn everyday_unit(dim: Dim) -> Option<&'static str> {
    const EVERYDAY: &[(Dim, &str)] = &[
        (Dim::LENGTH, "mm"),
        (Dim::ANGLE, "deg"),
        (Dim::TIME, "s"),
        (Dim::MASS, "kg"),
        (FORCE, "N"),
        (TORQUE, "N*m"),
        (POWER, "W"),
        (SPEED, "mm/s"),
        (ANGULAR_SPEED, "deg/s"),
        (ACCELERATION, "mm/s^2"),
    ];
    EVERYDAY.iter().find(|(d, _)| *d == dim).map(|(_, u)| *u)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{FileId, Span};
    use crate::syntax::ast::{Ident, UnitFactor};

    fn expr(factors: &[(&str, i32)]) -> UnitExpr {
        let span = Span::new(FileId(0), 0..0);
        UnitExpr {
            factors: factors
                .iter()
                .map(|(n, p)| UnitFactor { name: Ident { name: n.to_string(), span }, power: *p })
                .collect(),
            span,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn simple_units_scale_to_si() {
        assert_eq!(resolve(&expr(&[("mm", 1)])), Ok((Dim::LENGTH, 1e-3)));
        let (d, s) = resolve(&expr(&[("deg", 1)])).unwrap_or_default();
        assert_eq!(d, Dim::ANGLE);
        assert!(close(s, PI / 180.0));
        let (d, s) = resolve(&expr(&[("rpm", 1)])).unwrap_or_default();
        assert_eq!(d, ANGULAR_SPEED);
        assert!(close(s, 2.0 * PI / 60.0));
        assert_eq!(resolve(&expr(&[("Wh", 1)])), Ok((TORQUE, 3600.0)));
        assert_eq!(resolve(&expr(&[("%", 1)])), Ok((Dim::NONE, 0.01)));
    }

    #[test]
    fn compound_units_combine_dimensions_and_scales() {
        let (d, s) = resolve(&expr(&[("mm", 1), ("s", -2)])).unwrap_or_default();
        assert_eq!(d, ACCELERATION);
        assert!(close(s, 1e-3));
        assert_eq!(resolve(&expr(&[("N", 1), ("m", 1)])), Ok((TORQUE, 1.0)));
        let (d, s) = resolve(&expr(&[("N", 1), ("mm", -1)])).unwrap_or_default();
        assert_eq!(d, Dim { length: 0, mass: 1, time: -2, angle: 0 });
        assert!(close(s, 1e3));
        let (d, s) = resolve(&expr(&[("deg", 1), ("s", -1)])).unwrap_or_default();
        assert_eq!(d, ANGULAR_SPEED);
        assert!(close(s, PI / 180.0));
    }

    #[test]
    fn unknown_unit_suggests_the_closest() {
        assert_eq!(
            resolve(&expr(&[("mn", 1)])),
            Err(UnknownUnit { index: 0, suggestion: Some("mm"), too_large: false })
        );
        assert_eq!(resolve(&expr(&[("N", 1), ("qqq", 1)])).map_err(|e| e.index), Err(1));
        assert!(resolve(&expr(&[("m", 30), ("m", 30)])).is_err_and(|e| e.too_large));
    }

    #[test]
    fn spelling_and_si_units() {
        assert_eq!(spell(&expr(&[("m", 1), ("s", -2)])), "m/s^2");
        assert_eq!(spell(&expr(&[("N", 1), ("m", 1)])), "N*m");
        assert_eq!(si_unit(Dim::LENGTH), "m");
        assert_eq!(si_unit(SPEED), "m/s");
        assert_eq!(si_unit(Dim { length: 0, mass: 1, time: -2, angle: 0 }), "kg/s^2");
    }
}
