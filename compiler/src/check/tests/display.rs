//! String interpolation prints a quantity in the unit it was written in, SI otherwise.

use super::*;
use crate::tir::{ExprKind, FmtPiece};

/// The (unit, scale) of every quantity interpolated by the `log` calls of skill `s`, in order.
fn shown_units(src: &str) -> Vec<(String, f64)> {
    let p = clean(src);
    let f = function(&p, "s");
    let mut out = Vec::new();
    crate::check::effects::walk_block(&f.body, &mut |e| {
        if let ExprKind::Format(pieces) = &e.kind {
            for piece in pieces {
                if let FmtPiece::Quantity { unit, scale, .. } = piece {
                    out.push((p.strings[unit.0 as usize].clone(), *scale));
                }
            }
        }
    });
    out
}

fn units(src: &str) -> Vec<String> {
    shown_units(src).into_iter().map(|(u, _)| u).collect()
}

#[test]
fn literals_locals_and_constants_keep_their_unit() {
    let src = "const GAP: Length = 0.27 mm\nskill s() {\n    let g = GAP\n    let t = 1.5 s\n    var speed = 120 mm/s\n    log(\"{0.27 mm} {g} {t} {speed} {GAP}\")\n}\n";
    let shown = shown_units(src);
    assert_eq!(units(src), ["mm", "mm", "s", "mm/s", "mm"]);
    assert!((shown[0].1 - 1e-3).abs() < 1e-15, "{shown:?}");
}

#[test]
fn parameters_and_fields_declared_in_a_unit() {
    let src = "struct Gap { nominal: [mm], measured: Length }\nskill s(d: Length = 5 cm, w: [um], z: Length) {\n    let g = Gap { nominal: 2 mm, measured: 3 mm }\n    log(\"{d} {w} {z} {g.nominal} {g.measured}\")\n}\n";
    assert_eq!(units(src), ["cm", "um", "m", "mm", "m"]);
}

#[test]
fn arithmetic_keeps_an_obvious_unit_and_drops_a_changed_dimension() {
    let src = "skill s(d: Length = 5 mm, t: Time = 2 s) {\n    log(\"{d * 2} {-d} {d + 1 m} {abs(d)} {d / t} {d * d} {d / 2}\")\n}\n";
    assert_eq!(units(src), ["mm", "mm", "mm", "mm", "m/s", "m^2", "mm"]);
}

#[test]
fn inspection_values_print_in_si() {
    let src = with_cell("skill s() {\n    let r = gripper.arm.tcp()\n    log(\"{distance(r, r)}\")\n}\n");
    assert_eq!(units(&src), ["m"]);
}
