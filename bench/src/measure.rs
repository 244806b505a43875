//! Timing: a body is run in batches sized to take about `target` each, `rounds` times, and the
//! median time per call is reported; the median shrugs off the odd round a busy machine slows.

use std::time::{Duration, Instant};

/// The median of `rounds` batches, in seconds per call of `body`.
pub fn median_per_call(rounds: usize, target: Duration, mut body: impl FnMut(u64)) -> f64 {
    // Calibrate: one call (also a warm-up), then a batch size that takes about `target`.
    let start = Instant::now();
    body(0);
    let once = start.elapsed().as_secs_f64().max(1e-9);
    let batch = ((target.as_secs_f64() / once) as u64).clamp(1, 10_000_000);
    let mut per_call: Vec<f64> = (0..rounds.max(1))
        .map(|round| {
            let start = Instant::now();
            for i in 0..batch {
                body(round as u64 * batch + i);
            }
            start.elapsed().as_secs_f64() / batch as f64
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    per_call[per_call.len() / 2]
}
