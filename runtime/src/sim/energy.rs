//! The energy model: idle power over time, joint friction per radian travelled, and the work of
//! lifting the wrist and the held part. Documented in `docs/simulator.md`.

/// Power drawn by a powered arm standing still (brakes released, controller on), W. The UR5e data
/// sheet gives about 200 W typical with moderate settings; roughly half of that is drawn at rest.
pub const IDLE_POWER: f64 = 90.0;

/// Friction and drive losses per radian a joint turns, J/rad: larger for the big shoulder and elbow
/// drives than for the wrists. Joints past the sixth (a Panda's seventh) count as wrists.
pub const FRICTION_PER_RAD: [f64; 6] = [25.0, 25.0, 15.0, 5.0, 5.0, 5.0];

/// The share of the arm's mass (UR5e: 20.6 kg) lifted with the wrist, kg.
pub const ARM_LIFTED_MASS: f64 = 4.0;

pub const GRAVITY: f64 = 9.81;

/// Energy of one motion. `travel` is each joint's total |Δq| along the path (rad), `rise` the total
/// upward travel of the TCP (m; descents recover nothing), `payload` the held mass (kg).
pub fn motion_energy(duration: f64, travel: &[f64], rise: f64, payload: f64) -> f64 {
    let friction: f64 = travel
        .iter()
        .enumerate()
        .map(|(i, t)| t * FRICTION_PER_RAD.get(i).copied().unwrap_or(FRICTION_PER_RAD[5]))
        .sum();
    IDLE_POWER * duration + friction + GRAVITY * (ARM_LIFTED_MASS + payload) * rise
}

/// Energy of standing still for `duration` seconds.
pub fn idle_energy(duration: f64) -> f64 {
    IDLE_POWER * duration
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_adds_idle_friction_and_lifting() {
        let travel = [1.0, 0.5, 0.0, 0.0, 0.0, 2.0];
        let e = motion_energy(2.0, &travel, 0.1, 1.0);
        let want = 90.0 * 2.0 + (25.0 + 12.5 + 10.0) + 9.81 * 5.0 * 0.1;
        assert!((e - want).abs() < 1e-9);
        assert_eq!(idle_energy(0.5), 45.0);
        // A heavier payload costs more to lift.
        assert!(motion_energy(2.0, &travel, 0.1, 2.0) > e);
    }
}
