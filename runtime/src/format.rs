//! How the runtime prints numbers: in string interpolation, fault messages and the run report.
//!
//! The rule: round to 6 significant digits, then print the shortest decimal that reads back as
//! the rounded value (`0.27`, `1.5`, `50`); magnitudes below 1e-4 or from 1e15 up use exponent
//! form (`1e-9`, `2.5e15`). Negative zero prints as `0`. So `0.1 + 0.2` prints `0.3`, and a
//! length of 0.00027 m shown in mm prints `0.27`, whatever noise the arithmetic left behind.

/// A real number by the rule above.
pub fn format_real(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".to_string() } else { "-inf".to_string() };
    }
    // `{:.5e}` rounds to 6 significant digits; parsing it back gives the rounded f64, whose
    // shortest round-trip form `{}` then prints.
    let rounded: f64 = format!("{v:.5e}").parse().unwrap_or(v);
    if rounded == 0.0 {
        return "0".to_string();
    }
    let magnitude = rounded.abs();
    if !(1e-4..1e15).contains(&magnitude) { format!("{rounded:e}") } else { format!("{rounded}") }
}

/// A quantity in a display unit: `value / scale`, a space, the unit (`0.27 mm`).
pub fn format_quantity(value: f64, unit: &str, scale: f64) -> String {
    format!("{} {unit}", format_real(value / scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_six_significant_digits() {
        assert_eq!(format_real(0.1 + 0.2), "0.3");
        assert_eq!(format_real(0.27), "0.27");
        assert_eq!(format_real(1.5), "1.5");
        assert_eq!(format_real(50.0), "50");
        assert_eq!(format_real(-2.0), "-2");
        assert_eq!(format_real(std::f64::consts::PI), "3.14159");
        assert_eq!(format_real(123456789.0), "123457000");
    }

    #[test]
    fn small_and_huge_use_exponents() {
        assert_eq!(format_real(1e-9), "1e-9");
        assert_eq!(format_real(1.5e-7), "1.5e-7");
        assert_eq!(format_real(0.001), "0.001");
        assert_eq!(format_real(2.5e15), "2.5e15");
    }

    #[test]
    fn special_values() {
        assert_eq!(format_real(-0.0), "0");
        assert_eq!(format_real(f64::NAN), "NaN");
        assert_eq!(format_real(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn quantities_divide_by_their_scale() {
        assert_eq!(format_quantity(0.00027, "mm", 0.001), "0.27 mm");
        assert_eq!(format_quantity(0.25, "m/s", 1.0), "0.25 m/s");
    }
}
