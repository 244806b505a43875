//! The module manifest: what a compiled module says about itself, as the JSON that
//! `runtime::abi::Manifest` deserializes (same field names, same order of entries).

use crate::syntax::ast::FnKind;
use crate::tir;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub abi_version: u32,
    pub compiler_version: String,
    /// SHA-256 (hex) of the sources the module was compiled from, main module first.
    pub source_hash: String,
    /// The main source file as the compiler was given it (set by the CLI), for `deft replay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_path: Option<String>,
    /// Every compiled function; the position is the index `enter` receives.
    pub functions: Vec<ManifestFunction>,
    pub natives: Vec<ManifestNative>,
    pub cell: Vec<ManifestCellEntry>,
    pub strings: Vec<String>,
    pub structs: Vec<ManifestStruct>,
    pub tests: Vec<ManifestTest>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestFunction {
    pub name: String,
    /// `"skill"` or `"fn"`.
    pub kind: String,
    /// The exported symbol in a `.so`, and the key of the JIT's function table.
    pub symbol: String,
    pub exported: bool,
    pub params: Vec<ManifestParam>,
    /// The result type as the compiler prints it (`()` for none).
    pub ret: String,
    pub effects: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestParam {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestNative {
    pub key: String,
    pub skill: bool,
    pub ret: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestCellEntry {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestStruct {
    pub name: String,
    pub fields: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestTest {
    pub name: String,
    /// Index into `functions`.
    pub func: u32,
    pub runs: Option<u64>,
    pub expect_success: Option<f64>,
}

impl Manifest {
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings and numbers into a String cannot fail (serde_json
        // only fails on non-string map keys or a failing writer); NaN becomes `null`.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The exported symbol of function `index`: `deft_f{index}_{name}` with every character that is
/// not ASCII alphanumeric replaced by `_` (`std::motion::pick` → `deft_f3_std__motion__pick`).
pub fn symbol_name(index: usize, name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("deft_f{index}_{clean}")
}

/// The manifest of `program`, with functions, natives, cell, strings, structs and tests in the
/// program's order (the indices generated code uses).
pub fn manifest(program: &tir::Program, source_hash: &str) -> Manifest {
    let functions = program
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| ManifestFunction {
            name: f.name.clone(),
            kind: match f.kind {
                FnKind::Skill => "skill",
                FnKind::Fn => "fn",
            }
            .to_string(),
            symbol: symbol_name(i, &f.name),
            exported: f.exported,
            params: f
                .params
                .iter()
                .map(|p| ManifestParam { name: p.name.clone(), ty: p.ty.to_string(), unit: p.unit.clone() })
                .collect(),
            ret: f.ret.to_string(),
            effects: f.effects.clone(),
        })
        .collect();
    Manifest {
        abi_version: crate::codegen::abi::ABI_VERSION,
        compiler_version: crate::VERSION.to_string(),
        source_hash: source_hash.to_string(),
        source_path: None,
        functions,
        natives: program
            .natives
            .iter()
            .map(|n| ManifestNative { key: n.key.clone(), skill: n.skill, ret: n.ret.to_string() })
            .collect(),
        cell: program.cell.iter().map(|c| ManifestCellEntry { name: c.name.clone(), ty: c.ty.to_string() }).collect(),
        strings: program.strings.clone(),
        structs: program
            .structs
            .iter()
            .map(|s| ManifestStruct { name: s.name.clone(), fields: s.fields.iter().map(|(n, _)| n.clone()).collect() })
            .collect(),
        tests: program
            .tests
            .iter()
            .map(|t| ManifestTest {
                name: t.name.clone(),
                func: t.func.0,
                runs: t.runs,
                expect_success: t.expect_success,
            })
            .collect(),
    }
}
