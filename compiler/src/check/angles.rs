//! Degrees versus radians, the unit mistake robot programmers make most: bare numbers where
//! angles belong (`rpy(180, 0, 90)`, one E0308 for the whole call with the call rewritten), and
//! angle literals whose number suits the other unit (`3.14 deg`, `90 rad`: W0006).

use super::Checker;
use super::func::FnCx;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast;
use crate::types::{Dim, Ty};
use std::f64::consts::{PI, TAU};

/// The value of a number literal, possibly negated, as written in an argument.
pub(super) fn bare_number(e: &ast::Expr) -> Option<f64> {
    match &e.kind {
        ast::ExprKind::Int(v) => Some(*v as f64),
        ast::ExprKind::Real(v) => Some(*v),
        ast::ExprKind::Unary { op: ast::UnaryOp::Neg, expr } => bare_number(expr).map(|v| -v),
        _ => None,
    }
}

/// Which unit bare angle numbers were most likely meant in: radians when every one is a small
/// fraction (`1.57`), degrees otherwise (`180`, `90`, `0`).
pub(super) fn likely_angle_unit(values: &[f64]) -> &'static str {
    let nonzero: Vec<f64> = values.iter().copied().filter(|v| *v != 0.0).collect();
    let radians = !nonzero.is_empty() && nonzero.iter().all(|v| v.abs() <= TAU && v.fract() != 0.0);
    if radians { "rad" } else { "deg" }
}

/// The help for one bare number where an angle belongs.
pub(super) fn bare_angle_help(number: &str, value: f64) -> String {
    if value == 0.0 || value.abs() > TAU || value.fract() == 0.0 && value.abs() > 3.0 {
        format!("write {number} deg")
    } else {
        format!("write {number} rad or {number} deg")
    }
}

/// Whether a value is a multiple of π/12 up to 2π (to 0.3%): what a radian angle written with
/// a few decimals looks like (`3.14`, `1.57`, `0.785`, `6.28`).
fn looks_like_radians(value: f64) -> bool {
    if !(0.2..=TAU * 1.01).contains(&value.abs()) {
        return false;
    }
    let k = (value.abs() / (PI / 12.0)).round();
    k >= 1.0 && ((value.abs() - k * PI / 12.0) / value.abs()).abs() < 0.003
}

/// The angles people write in degrees (`90 rad` surely meant `90 deg`).
const DEGREE_ANGLES: &[f64] = &[15.0, 30.0, 45.0, 60.0, 90.0, 120.0, 135.0, 180.0, 270.0, 360.0];

impl Checker<'_> {
    /// One E0308 for a call that passes two or more bare numbers where angles belong; returns
    /// the indices into `args` it covered, which the caller lowers without reporting again.
    pub(super) fn bare_angle_args(
        &mut self,
        name: &ast::Ident,
        params: &[super::ParamSig],
        args: &[ast::Arg],
    ) -> Vec<usize> {
        let mut next = 0;
        let mut found: Vec<(usize, f64)> = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            let index = match &arg.name {
                Some(n) => params.iter().position(|p| p.name == n.name),
                None => {
                    next += 1;
                    Some(next - 1)
                }
            };
            let is_angle = index.and_then(|k| params.get(k)).is_some_and(|p| p.ty == Ty::Quantity(Dim::ANGLE));
            if let (true, Some(v)) = (is_angle, bare_number(&arg.value)) {
                found.push((i, v));
            }
        }
        if found.len() < 2 {
            return Vec::new();
        }
        let unit = likely_angle_unit(&found.iter().map(|(_, v)| *v).collect::<Vec<_>>());
        let rewritten: Vec<String> = args
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let text = self.text(a.value.span);
                let value =
                    if found.iter().any(|(k, _)| *k == i) { format!("{text} {unit}") } else { text.to_string() };
                match &a.name {
                    Some(n) => format!("{} = {value}", n.name),
                    None => value,
                }
            })
            .collect();
        let mut d = Diagnostic::error(
            "E0308",
            format!("mismatched dimensions: `{}` takes angles, found bare numbers", name.name),
        );
        for (k, (i, _)) in found.iter().enumerate() {
            let label = if k == 0 { "a number, not an Angle" } else { "and here" };
            d = if k == 0 { d.at(args[*i].value.span, label) } else { d.with(args[*i].value.span, label) };
        }
        d = d
            .help(format!("write `{}({})`", name.name, rewritten.join(", ")))
            .note("an angle needs its unit, `deg` or `rad`: Deft never guesses which");
        self.emit(d);
        found.into_iter().map(|(i, _)| i).collect()
    }

    /// W0006 for an angle literal whose number suits the other unit.
    pub(super) fn check_angle_literal(&mut self, cx: &FnCx, value: f64, text: &str, unit: &ast::UnitExpr, span: Span) {
        let [factor] = unit.factors.as_slice() else { return };
        if factor.power != 1 || !self.warns_in(cx.module) {
            return;
        }
        let written = value.abs();
        let d = match factor.name.name.as_str() {
            "deg" if text.contains('.') && looks_like_radians(written) => {
                let degrees = (written.to_degrees() * 10.0).round() / 10.0;
                Diagnostic::warning("W0006", format!("`{text} deg` looks like an angle in radians"))
                    .at(span, format!("{text} rad would be about {degrees} deg"))
                    .help(format!("did you mean {text} rad (about {degrees} deg)?"))
            }
            "rad" if !text.contains('.') && DEGREE_ANGLES.contains(&written) => {
                Diagnostic::warning("W0006", format!("`{text} rad` looks like an angle in degrees"))
                    .at(span, format!("{text} rad is {:.1} turns", written / TAU))
                    .help(format!("did you mean {text} deg?"))
            }
            _ => return,
        };
        self.emit(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(clippy::approx_constant, reason = "rounded radians as people type them are the input under test")]
    fn radian_looking_numbers() {
        for v in [3.14, 1.57, 0.785, 6.28, 1.5708, 3.1416, 0.524, 1.047] {
            assert!(looks_like_radians(v), "{v}");
        }
        for v in [0.1, 2.5, 3.0, 10.0, 45.0, 1.6, 0.8] {
            assert!(!looks_like_radians(v), "{v}");
        }
    }

    #[test]
    #[expect(clippy::approx_constant, reason = "rounded radians as people type them are the input under test")]
    fn the_unit_bare_angles_were_meant_in() {
        assert_eq!(likely_angle_unit(&[180.0, 0.0, 90.0]), "deg");
        assert_eq!(likely_angle_unit(&[0.0, 0.0]), "deg");
        assert_eq!(likely_angle_unit(&[1.57, 0.0, 3.14]), "rad");
        assert_eq!(likely_angle_unit(&[1.57, 45.0]), "deg");
        assert_eq!(bare_angle_help("180", 180.0), "write 180 deg");
        assert_eq!(bare_angle_help("2.0", 2.0), "write 2.0 rad or 2.0 deg");
    }
}
