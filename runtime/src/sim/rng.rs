//! The seeded random generator of an episode: SplitMix64.
//!
//! Written here instead of taken from a crate on purpose: traces must stay byte-identical for a given
//! seed across releases, so the stream may never change because a dependency was upgraded. SplitMix64
//! (Steele, Lea and Flood, 2014) is tiny, fast, passes BigCrush, and every output is pure integer
//! arithmetic, identical on every platform.

/// A SplitMix64 stream. Every draw an episode makes comes from one of these, seeded by the episode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// A second, independent stream from this one's current state and a salt, without drawing
    /// from this one: draws added to the simulator later come from such streams, so that they
    /// leave the main stream (and every trace recorded with it) as it was.
    pub fn derived(&self, salt: u64) -> Rng {
        let mut probe = self.clone();
        Rng::new(probe.next_u64() ^ salt)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits, so every value is an exact f64.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }

    /// Approximately standard normal: the Irwin–Hall sum of twelve uniforms minus six. Chosen over
    /// Box–Muller because it needs no `ln`/`cos`, whose last bit may differ between C libraries, so
    /// noise stays bit-identical on every platform. Its tails stop at ±6σ, which is fine for
    /// measurement noise.
    pub fn normal(&mut self) -> f64 {
        let mut sum = 0.0;
        for _ in 0..12 {
            sum += self.next_f64();
        }
        sum - 6.0
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn splitmix64_matches_the_reference_stream() {
        // First outputs of the reference implementation (Vigna, splitmix64.c) for seed 1234567.
        let mut rng = Rng::new(1_234_567);
        let expected: [u64; 5] = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for want in expected {
            assert_eq!(rng.next_u64(), want);
        }
    }

    #[test]
    fn uniform_and_normal_stay_in_range_and_center() {
        let mut rng = Rng::new(7);
        let mut mean = 0.0;
        for _ in 0..10_000 {
            let u = rng.next_f64();
            assert!((0.0..1.0).contains(&u));
            mean += rng.normal();
        }
        mean /= 10_000.0;
        assert!(mean.abs() < 0.05, "normal mean {mean}");
    }
}
