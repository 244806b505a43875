//! 2-opt tour improvement over pseudo-random waypoints: the same algorithm as two_opt.skill,
//! written the way a Rust programmer would (Vec<f64>, usize indices), compiled with the harness.

/// The improved tour's length and the number of reversals it took.
pub fn two_opt(n: usize, seed: i64) -> (f64, u64) {
    let mut s = seed;
    let (mut xs, mut ys, mut tour) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        s = (s * 48271) % 2147483647;
        xs.push(s as f64 / 2147483647.0 * 1000.0);
        s = (s * 48271) % 2147483647;
        ys.push(s as f64 / 2147483647.0 * 1000.0);
        tour.push(i);
    }
    let mut improved = true;
    let mut swaps = 0;
    while improved {
        improved = false;
        for i in 0..n.saturating_sub(1) {
            for j in i + 2..n {
                let jn = if j + 1 == n { 0 } else { j + 1 };
                let (a, b, c, d) = (tour[i], tour[i + 1], tour[j], tour[jn]);
                let (acx, acy) = (xs[a] - xs[c], ys[a] - ys[c]);
                let (bdx, bdy) = (xs[b] - xs[d], ys[b] - ys[d]);
                let (abx, aby) = (xs[a] - xs[b], ys[a] - ys[b]);
                let (cdx, cdy) = (xs[c] - xs[d], ys[c] - ys[d]);
                let delta = (acx * acx + acy * acy).sqrt() + (bdx * bdx + bdy * bdy).sqrt()
                    - (abx * abx + aby * aby).sqrt()
                    - (cdx * cdx + cdy * cdy).sqrt();
                if delta < -0.000000001 {
                    tour[i + 1..=j].reverse();
                    improved = true;
                    swaps += 1;
                }
            }
        }
    }
    let mut length = 0.0;
    for k in 0..n {
        let kn = if k + 1 == n { 0 } else { k + 1 };
        let (dx, dy) = (xs[tour[k]] - xs[tour[kn]], ys[tour[k]] - ys[tour[kn]]);
        length += (dx * dx + dy * dy).sqrt();
    }
    (length, swaps)
}
