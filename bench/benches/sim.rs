//! `cargo bench -p deft-bench`: IK solves per second, and episodes per second of every example on
//! one core, compiled Deft (JIT) next to the same episode written directly in Rust.
//!
//! Method: each measurement runs its body in batches of about 0.2 s, 9 times, and reports the median
//! time per call (`deft_bench::measure`); Deft and its Rust twin alternate batches, and their ratio
//! is the median of the per-round ratios. Episodes cycle through seeds 0..64 so both versions see
//! the same randomisation. `DEFT_BENCH_QUICK=1` runs 3 short rounds (a smoke test).

use deft_bench::examples;
use deft_bench::measure::{median_per_call, paired};
use deft_runtime::Pose;
use deft_runtime::sim::Simulator;
use deft_runtime::sim::arms::ArmKinematics;
use std::hint::black_box;
use std::time::Duration;

const SEEDS: u64 = 64;

fn main() {
    if let Ok(spec) = std::env::var("DEFT_BENCH_COUNT") {
        count_only(&spec);
        return;
    }
    let quick = std::env::var_os("DEFT_BENCH_QUICK").is_some();
    let (rounds, target) = if quick { (3, Duration::from_millis(20)) } else { (9, Duration::from_millis(200)) };
    // `cargo bench -p deft-bench -- pick_place ik`: only what is named (cargo adds `--bench`).
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| name.contains(o.as_str()));
    println!("deft-bench: median of {rounds} rounds of ~{} ms each, one thread", target.as_millis());
    if wanted("ik") {
        ik(rounds, target);
    }
    episodes(rounds, target, &wanted);
}

/// A small deterministic generator (SplitMix64): the same poses on every machine.
fn splitmix(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Reachable targets: FK of random configurations inside the limits; IK starts from home.
fn ik(rounds: usize, target: Duration) {
    for model in ["ur5e", "panda"] {
        let Some(arm) = ArmKinematics::builtin(model) else {
            println!("ik {model}: no such built-in model");
            continue;
        };
        let mut state = 7;
        let poses: Vec<Pose> = (0..1024)
            .map(|_| {
                let q: Vec<f64> =
                    arm.lower.iter().zip(&arm.upper).map(|(lo, hi)| lo + (hi - lo) * splitmix(&mut state)).collect();
                arm.fk(&q)
            })
            .collect();
        let home = arm.default_home.clone();
        let solved = poses.iter().filter(|p| arm.ik(p, &home).is_some()).count();
        let t = median_per_call(rounds, target, |i| {
            black_box(arm.ik(black_box(&poses[(i % 1024) as usize]), &home));
        });
        println!(
            "ik {model}: {:.0} solves/s ({:.2} us/solve; {solved}/1024 random reachable poses solved from home)",
            1.0 / t,
            t * 1e6
        );
    }
}

fn episodes(rounds: usize, target: Duration, wanted: &dyn Fn(&str) -> bool) {
    let examples = match examples() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot compile the examples: {e}");
            std::process::exit(1);
        }
    };
    let natives = deft_stdlib::natives::natives();
    println!("{:<14} {:>12} {:>12} {:>12} {:>7}", "example", "deft ep/s", "deft us/ep", "rust us/ep", "ratio");
    for ex in examples.iter().filter(|e| wanted(&e.name)) {
        let deft = |i: u64| {
            black_box(ex.run(&natives, i % SEEDS).ok());
        };
        match ex.handwritten() {
            Some(twin) => {
                let rust = |i: u64| {
                    black_box(twin(Simulator::new(&ex.cell, i % SEEDS)));
                };
                let p = paired(rounds, target, deft, rust);
                println!(
                    "{:<14} {:>12.0} {:>12.1} {:>12.1} {:>7.3}",
                    ex.name,
                    1.0 / p.a,
                    p.a * 1e6,
                    p.b * 1e6,
                    p.ratio
                );
            }
            None => {
                let t = median_per_call(rounds, target, deft);
                println!("{:<14} {:>12.0} {:>12.1} {:>12} {:>7}", ex.name, 1.0 / t, t * 1e6, "-", "-");
            }
        }
    }
}

/// `DEFT_BENCH_COUNT=deft:pick_place:20` (or `rust:…`): run that many episodes (seeds 0..n) untimed,
/// for `valgrind --tool=callgrind`, whose instruction counts do not depend on the machine's load.
/// The difference between n and 0 episodes is the cost of n episodes without the JIT compile.
fn count_only(spec: &str) {
    let parts: Vec<&str> = spec.split(':').collect();
    let (Some(which), Some(name), Some(n)) = (parts.first(), parts.get(1), parts.get(2).and_then(|n| n.parse().ok()))
    else {
        eprintln!("DEFT_BENCH_COUNT is deft|rust:EXAMPLE:N, not {spec}");
        std::process::exit(2);
    };
    let dir = deft_tests::root().join("examples").join(name);
    let ex = match deft_bench::example(&dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let natives = deft_stdlib::natives::natives();
    for seed in 0..n {
        match (*which, ex.handwritten()) {
            ("rust", Some(twin)) => {
                black_box(twin(Simulator::new(&ex.cell, seed)));
            }
            _ => {
                black_box(ex.run(&natives, seed).ok());
            }
        }
    }
}
