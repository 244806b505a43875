//! Sine and cosine together for the angles of the kinematics hot paths (a few turns at most), in
//! plain arithmetic: the argument reduced by π/2 in two parts (Cody–Waite), then the minimax
//! polynomials of fdlibm's `__kernel_sin` and `__kernel_cos` on [−π/4, π/4]. Within about an ulp
//! of the C library's `sincos` (the tests check 4e-16), several times as fast (no rounding-mode
//! save and restore, no path for huge arguments), and the same bits on every machine (no fused
//! multiply-adds). Arguments beyond a million radians go to the C library.

#![expect(clippy::excessive_precision, reason = "fdlibm's constants, digit for digit as published")]

/// The first 33 bits of π/2, and the rest: `n · PIO2_HI` is exact for |n| < 2^20.
const PIO2_HI: f64 = 1.570_796_326_734_125_614_17;
const PIO2_LO: f64 = 6.077_100_506_506_192_249_32e-11;
const TWO_OVER_PI: f64 = std::f64::consts::FRAC_2_PI;
/// Adding and subtracting 1.5 · 2^52 rounds to the nearest integer (ties to even) for |v| < 2^51,
/// without the library call `f64::round` is on a baseline x86-64 target.
const ROUND: f64 = 6_755_399_441_055_744.0;

const S1: f64 = -1.666_666_666_666_663_243_48e-01;
const S2: f64 = 8.333_333_333_322_489_461_24e-03;
const S3: f64 = -1.984_126_982_985_794_931_34e-04;
const S4: f64 = 2.755_731_370_707_006_767_89e-06;
const S5: f64 = -2.505_076_025_340_686_341_95e-08;
const S6: f64 = 1.589_690_995_211_550_102_21e-10;

const C1: f64 = 4.166_666_666_666_660_190_37e-02;
const C2: f64 = -1.388_888_888_887_410_957_49e-03;
const C3: f64 = 2.480_158_728_947_672_941_78e-05;
const C4: f64 = -2.755_731_435_139_066_330_35e-07;
const C5: f64 = 2.087_572_321_298_174_827_90e-09;
const C6: f64 = -1.135_964_755_778_819_482_65e-11;

/// (sin x, cos x).
pub fn sin_cos(x: f64) -> (f64, f64) {
    if x.is_nan() || x.abs() >= 1e6 {
        return x.sin_cos();
    }
    let n = (x * TWO_OVER_PI + ROUND) - ROUND;
    let r = (x - n * PIO2_HI) - n * PIO2_LO;
    let (s, c) = (kernel_sin(r), kernel_cos(r));
    match (n as i64) & 3 {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

fn kernel_sin(x: f64) -> f64 {
    let z = x * x;
    let w = z * z;
    let r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    x + z * x * (S1 + z * r)
}

fn kernel_cos(x: f64) -> f64 {
    let z = x * x;
    let w = z * z;
    let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + z * r)
}

#[cfg(test)]
mod tests {
    use super::sin_cos;
    use crate::sim::rng::Rng;

    #[test]
    fn sin_cos_agrees_with_the_c_library_to_an_ulp_or_so() {
        let mut rng = Rng::new(7);
        let mut worst = 0.0_f64;
        for i in 0..200_000 {
            // Joint angles (a few turns), plus the quadrant boundaries exactly.
            let x = if i < 64 { (i as f64 - 32.0) * std::f64::consts::FRAC_PI_4 } else { rng.uniform(-20.0, 20.0) };
            let (s, c) = sin_cos(x);
            let (s0, c0) = x.sin_cos();
            worst = worst.max((s - s0).abs()).max((c - c0).abs());
        }
        assert!(worst <= 4e-16, "worst difference {worst:e}");
    }

    #[test]
    fn sin_cos_of_non_finite_and_huge_angles_is_the_c_librarys() {
        for x in [f64::NAN, f64::INFINITY, -f64::INFINITY, 1e7, -3e12] {
            let (s, c) = sin_cos(x);
            let (s0, c0) = x.sin_cos();
            assert!(s.to_bits() == s0.to_bits() || (s.is_nan() && s0.is_nan()), "{x}");
            assert!(c.to_bits() == c0.to_bits() || (c.is_nan() && c0.is_nan()), "{x}");
        }
    }
}
