//! Motion timing: trapezoidal velocity profiles, for joint moves (all joints synchronized) and for
//! straight-line TCP moves.

/// Joint acceleration, rad/s²: the URScript `movej` default (1.4 rad/s²), the same on every joint.
pub const JOINT_ACCELERATION: f64 = 1.4;

/// TCP acceleration along a straight line, m/s²: the URScript `movel` default (1.2 m/s²). A lower
/// `[limits] acceleration_mm_s2` in the cell replaces it.
pub const LINEAR_ACCELERATION: f64 = 1.2;

/// Time to travel `distance` from rest to rest with speed at most `v_max` and acceleration
/// `accel`: a trapezoid when there is room to reach `v_max` (distance ≥ v²/a), else a triangle.
pub fn trapezoid_duration(distance: f64, v_max: f64, accel: f64) -> f64 {
    let distance = distance.abs();
    if distance == 0.0 {
        return 0.0;
    }
    if distance >= v_max * v_max / accel { distance / v_max + v_max / accel } else { 2.0 * (distance / accel).sqrt() }
}

/// Duration of a synchronized joint move: every joint runs its own trapezoid at `speed_ratio` of
/// its maximum speed (`max_speed`, one per joint); the slowest sets the time, and the others are
/// slowed to finish with it.
pub fn joint_move_duration(from: &[f64], to: &[f64], max_speed: &[f64], speed_ratio: f64) -> f64 {
    from.iter()
        .zip(to)
        .zip(max_speed)
        .map(|((a, b), v)| trapezoid_duration(b - a, v * speed_ratio, JOINT_ACCELERATION))
        .fold(0.0, f64::max)
}

/// Duration of a straight-line move of `length` at TCP speed `speed`, stretched when the joints
/// cannot keep up: `joint_time` is the least time the sampled joint path needs at full joint speed
/// (the sum over path segments of the slowest joint's travel / speed).
pub fn linear_move_duration(length: f64, speed: f64, accel: f64, joint_time: f64) -> f64 {
    trapezoid_duration(length, speed, accel).max(joint_time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn short_moves_are_triangles() {
        // 0.5 rad at π rad/s never reaches full speed (needs π²/1.4 ≈ 7 rad): t = 2·√(d/a).
        let t = trapezoid_duration(0.5, PI, JOINT_ACCELERATION);
        assert!((t - 2.0 * (0.5f64 / 1.4).sqrt()).abs() < 1e-12);
        assert!((t - 1.195_228_609_334_393_5).abs() < 1e-12);
    }

    #[test]
    fn long_moves_are_trapezoids() {
        // 1 m at 0.25 m/s with 1.2 m/s²: cruise 1/0.25 = 4 s plus 0.25/1.2 s for the ramps.
        let t = trapezoid_duration(1.0, 0.25, 1.2);
        assert!((t - (4.0 + 0.25 / 1.2)).abs() < 1e-12);
        // At the boundary both formulas agree: d = v²/a.
        let d = 0.25 * 0.25 / 1.2;
        assert!((trapezoid_duration(d, 0.25, 1.2) - 2.0 * (d / 1.2f64).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn the_slowest_joint_sets_a_joint_move() {
        let from = [0.0; 6];
        let to = [0.1, -2.0, 0.3, 0.0, 0.0, 0.0];
        // Joint 2 travels 2 rad at 10 % speed (0.314 rad/s): a trapezoid of 2/0.314 + 0.314/1.4 s.
        let v = PI * 0.1;
        let want = 2.0 / v + v / JOINT_ACCELERATION;
        let speeds = [PI; 6];
        assert!((joint_move_duration(&from, &to, &speeds, 0.1) - want).abs() < 1e-12);
        assert_eq!(joint_move_duration(&from, &from, &speeds, 0.5), 0.0);
    }

    #[test]
    fn joints_stretch_a_linear_move() {
        assert!((linear_move_duration(0.1, 0.25, 1.2, 0.0) - (0.4 + 0.25 / 1.2)).abs() < 1e-12);
        assert_eq!(linear_move_duration(0.1, 0.25, 1.2, 3.0), 3.0);
    }
}
