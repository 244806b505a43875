//! The raw serde schema of `cell.toml`: what the file may say, before names are resolved and units
//! converted. Spans are kept on the values a validation error may point at.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCell {
    pub(super) cell: RawHeader,
    #[serde(default)]
    pub(super) arm: Vec<RawArm>,
    #[serde(default)]
    pub(super) tool: Vec<RawTool>,
    #[serde(default)]
    pub(super) fixture: Vec<RawFixture>,
    #[serde(default)]
    pub(super) part: Vec<RawPart>,
    #[serde(default)]
    pub(super) signal: Vec<RawSignal>,
    #[serde(default)]
    pub(super) limits: RawLimits,
    #[serde(default)]
    pub(super) keepout: Vec<RawKeepout>,
    #[serde(default)]
    pub(super) randomize: RawRandomize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub(super) name: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPose {
    pub(super) xyz_mm: Option<Spanned<[f64; 3]>>,
    pub(super) rpy_deg: Option<Spanned<[f64; 3]>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArm {
    pub(super) name: Spanned<String>,
    pub(super) model: Spanned<RawModel>,
    #[serde(default)]
    pub(super) base: RawPose,
    pub(super) home_deg: Option<Spanned<Vec<f64>>>,
}

/// `model = "ur5e"` or `model = { urdf = "arms/my_arm.urdf" }`. No `Spanned` inside: an untagged
/// enum buffers its input and loses the spans; the span of the whole value is kept outside.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawModel {
    Builtin(String),
    Urdf(RawUrdfModel),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUrdfModel {
    pub(super) urdf: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTool {
    pub(super) name: Spanned<String>,
    pub(super) kind: Spanned<String>,
    pub(super) mounted_on: Option<Spanned<String>>,
    pub(super) pose: Option<Spanned<RawPose>>,
    pub(super) tcp_mm: Option<Spanned<f64>>,
    pub(super) max_width_mm: Option<Spanned<f64>>,
    pub(super) max_force_n: Option<Spanned<f64>>,
    pub(super) max_torque_nm: Option<Spanned<f64>>,
    pub(super) speed_rpm: Option<Spanned<f64>>,
    pub(super) range_mm: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFixture {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) pose: RawPose,
    pub(super) size_mm: Option<Spanned<[f64; 3]>>,
    #[serde(default)]
    pub(super) slots: BTreeMap<String, RawSlot>,
}

/// A fixture slot: a pose, and for a bore or socket that parts are inserted into, its fit.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSlot {
    pub(super) xyz_mm: Option<Spanned<[f64; 3]>>,
    pub(super) rpy_deg: Option<Spanned<[f64; 3]>>,
    pub(super) depth_mm: Option<Spanned<f64>>,
    pub(super) clearance_mm: Option<Spanned<f64>>,
    pub(super) press_force_n: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeature {
    pub(super) nominal_mm: f64,
    pub(super) tolerance_mm: Spanned<f64>,
    pub(super) noise_mm: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPart {
    pub(super) name: Spanned<String>,
    pub(super) size_mm: Spanned<[f64; 3]>,
    pub(super) mass_kg: Spanned<f64>,
    pub(super) at: Option<Spanned<String>>,
    pub(super) pose: Option<RawPose>,
    pub(super) group: Option<String>,
    pub(super) kind: Option<Spanned<String>>,
    pub(super) seat_deg: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) features: BTreeMap<String, RawFeature>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSignal {
    pub(super) name: Spanned<String>,
    pub(super) delay_ms: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) initial: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLimits {
    pub(super) tcp_speed_mm_s: Option<Spanned<f64>>,
    pub(super) force_n: Option<Spanned<f64>>,
    pub(super) acceleration_mm_s2: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKeepout {
    pub(super) name: Spanned<String>,
    pub(super) box_mm: Spanned<RawBox>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBox {
    pub(super) min: [f64; 3],
    pub(super) max: [f64; 3],
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRandomize {
    pub(super) part_xy_mm: Option<Spanned<f64>>,
    pub(super) cross_thread: Option<Spanned<f64>>,
    pub(super) friction: Option<Spanned<[f64; 2]>>,
    pub(super) camera_noise: Option<Spanned<[f64; 2]>>,
}
