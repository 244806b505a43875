//! The hand-written episodes are the same episodes as the compiled examples: same commands, so the
//! same cycle time, energy and command count, bit for bit, over many seeds.

use super::*;

fn check_twin(name: &str) {
    let dir = deft_tests::root().join("examples").join(name);
    let example = example(&dir).unwrap();
    let twin = example.handwritten().unwrap();
    let natives = deft_stdlib::natives::natives();
    for seed in 0..12 {
        let deft = example.run(&natives, seed).unwrap();
        let rust = twin(Simulator::new(&example.cell, seed));
        assert_eq!(
            deft.fault.is_some(),
            rust.fault.is_some(),
            "{name} seed {seed}: {:?} vs {:?}",
            deft.fault,
            rust.fault
        );
        assert_eq!(deft.commands, rust.commands, "{name} seed {seed}: command count");
        assert_eq!(deft.cycle_time_s.to_bits(), rust.cycle_time_s.to_bits(), "{name} seed {seed}: cycle time");
        assert_eq!(deft.energy_j.to_bits(), rust.energy_j.to_bits(), "{name} seed {seed}: energy");
    }
}

#[test]
fn pick_place_twin_issues_the_same_commands() {
    check_twin("pick_place");
}

#[test]
fn motor_housing_twin_issues_the_same_commands() {
    check_twin("motor_housing");
}

#[test]
fn palletize_twin_issues_the_same_commands() {
    check_twin("palletize");
}

#[test]
fn the_median_is_of_the_rounds() {
    let mut calls = 0u64;
    let t = measure::median_per_call(3, std::time::Duration::from_millis(5), |_| calls += 1);
    assert!(t > 0.0 && t < 1e-3, "{t}");
    assert!(calls >= 4, "one calibration call and three rounds: {calls}");
}
