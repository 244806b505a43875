//! Timing: a body is run in batches sized to take about `target` each, several rounds, and the
//! median time per call is reported; the median shrugs off the odd round a busy machine slows.
//! Two bodies to be compared run in alternating batches, so both see the same machine load, and
//! their ratio is the median of the per-round ratios.

use std::time::{Duration, Instant};

/// Calls of `body` that take about `target`, from one timed call (which doubles as a warm-up).
fn batch_size(target: Duration, body: &mut impl FnMut(u64)) -> u64 {
    let start = Instant::now();
    body(0);
    let once = start.elapsed().as_secs_f64().max(1e-9);
    ((target.as_secs_f64() / once) as u64).clamp(1, 10_000_000)
}

/// Seconds per call over one batch; `first` numbers the calls (seeds, inputs).
fn time_batch(batch: u64, first: u64, body: &mut impl FnMut(u64)) -> f64 {
    let start = Instant::now();
    for i in 0..batch {
        body(first + i);
    }
    start.elapsed().as_secs_f64() / batch as f64
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The median of `rounds` batches, in seconds per call of `body`.
pub fn median_per_call(rounds: usize, target: Duration, mut body: impl FnMut(u64)) -> f64 {
    let batch = batch_size(target, &mut body);
    median((0..rounds.max(1)).map(|r| time_batch(batch, r as u64 * batch, &mut body)).collect())
}

/// Two bodies measured in alternating batches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paired {
    /// Median seconds per call of the first body.
    pub a: f64,
    /// Median seconds per call of the second body.
    pub b: f64,
    /// Median over the rounds of a / b.
    pub ratio: f64,
}

pub fn paired(rounds: usize, target: Duration, mut a: impl FnMut(u64), mut b: impl FnMut(u64)) -> Paired {
    let (batch_a, batch_b) = (batch_size(target, &mut a), batch_size(target, &mut b));
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for r in 0..rounds.max(1) as u64 {
        ta.push(time_batch(batch_a, r * batch_a, &mut a));
        tb.push(time_batch(batch_b, r * batch_b, &mut b));
    }
    let ratios = ta.iter().zip(&tb).map(|(x, y)| x / y).collect();
    Paired { a: median(ta), b: median(tb), ratio: median(ratios) }
}
