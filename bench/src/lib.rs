//! The benchmark harness of `cargo bench -p deft-bench`: the examples compiled with the JIT, their
//! hand-written Rust twins, and a timer that reports the median of repeated runs.

pub mod handwritten;
pub mod measure;

use deft_runtime::episode::{self, RunReport};
use deft_runtime::module::LoadedModule;
use deft_runtime::natives::Natives;
use deft_runtime::sim::{Simulator, cell::Cell, parse_cell};
use std::path::PathBuf;

/// An example compiled once with the JIT, with its cell.
pub struct Example {
    pub name: String,
    pub module: LoadedModule,
    pub cell: Cell,
}

/// Every example under `examples/`, compiled with the JIT the way `deft run` does.
pub fn examples() -> Result<Vec<Example>, String> {
    deft_tests::examples().into_iter().map(|dir| example(&dir)).collect()
}

pub fn example(dir: &std::path::Path) -> Result<Example, String> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let sources = deft_tests::load(&dir.join("main.skill"));
    let checked = deft_compiler::check::check(&sources);
    let program = checked.program.ok_or_else(|| format!("{name} does not check"))?;
    let manifest = deft_compiler::manifest::manifest(&program, &deft_compiler::source_hash(&sources));
    let jit = deft_compiler::codegen::jit(&program, &manifest).map_err(|e| e.to_string())?;
    let module = deft_tests::jit_module(jit)?;
    let cell_path: PathBuf = dir.join("cell.toml");
    let text = std::fs::read_to_string(&cell_path).map_err(|e| format!("{}: {e}", cell_path.display()))?;
    let cell = parse_cell(&text, &cell_path.to_string_lossy()).map_err(|e| e.to_string())?;
    Ok(Example { name, module, cell })
}

impl Example {
    /// One episode of `main` with `seed`, no trace: what a batch runner does per episode.
    pub fn run(&self, natives: &Natives, seed: u64) -> Result<RunReport, String> {
        let backend = Box::new(Simulator::new(&self.cell, seed));
        episode::run(&self.module, backend, natives, "main", None).map_err(|e| e.to_string())
    }

    /// The same episode written by hand in Rust, for the examples that have one.
    pub fn handwritten(&self) -> Option<fn(Simulator) -> handwritten::Episode> {
        match self.name.as_str() {
            "pick_place" => Some(handwritten::pick_place),
            "motor_housing" => Some(handwritten::motor_housing),
            "palletize" => Some(handwritten::palletize),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
