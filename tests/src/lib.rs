//! Shared helpers for the integration tests: locating the workspace, the `deft` binary, examples and
//! cases, and loading programs the way the CLI does.

use deft_compiler::SourceSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (the folder holding the top `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The `deft` binary, built once per test process with the same profile as the tests.
pub fn deft_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "deft", "--bin", "deft"])
            .current_dir(root())
            .status()
            .expect("cargo build -p deft runs");
        assert!(status.success(), "building the deft binary failed");
        // Tests run from target/<profile>/deps/; the binary sits in target/<profile>/.
        let exe = std::env::current_exe().expect("test executable path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
        profile_dir.join(format!("deft{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

/// Run `deft` with arguments from the workspace root; returns (exit code, stdout, stderr).
pub fn deft(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(deft_bin()).args(args).current_dir(root()).env("NO_COLOR", "1").output().expect("deft runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every example folder (holding a `main.skill`), sorted.
pub fn examples() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("main.skill").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// Every `.skill` file under a folder, recursively, sorted.
pub fn skill_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "skill") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A generated program of about `lines` lines for the benchmarks: a cell, then blocks of a struct,
/// a pure fn with quantity arithmetic and a skill calling the stdlib (block `i` targets
/// `above(i mm)`), ending in `skill main`.
pub fn generated_program(lines: usize) -> String {
    let mut s = String::from(
        "use std::motion::{pick, place}\n\ncell {\n    arm: Arm\n    gripper: Gripper\n    jig: Fixture\n    housing: Part\n}\n\n",
    );
    let mut i = 0;
    while s.lines().count() < lines {
        s.push_str(&format!(
            "/// Settings of block {i}.\nstruct Grip{i} {{ width: Length, force: Force }}\n\n\
             /// Grip for block {i}.\nfn grip_{i}(p: Part, extra: Length = 2 mm) -> Grip{i} {{\n    let w = p.size.y + extra\n    \
             let f = clamp(p.mass * 9.81 m/s^2 * 4.0, 20 N, 120 N)\n    let g = Grip{i} {{ width: w, force: f }}\n    \
             return g\n}}\n\n/// Move block {i}.\nskill move_{i}(speed: Speed = 250 mm/s) {{\n    let g = grip_{i}(housing)\n    \
             let target = jig.slot(\"base\").above({i} mm)\n    gripper.pick(housing, force = g.force)\n    \
             gripper.place(housing, target, tolerance = 0.5 mm)\n    arm.move_linear(arm.tcp().above(10 mm), speed = speed)\n}}\n\n"
        ));
        i += 1;
    }
    s.push_str("skill main() {\n    move_0()\n}\n");
    s
}

/// `text` as the main module at `path`, with the stdlib.
pub fn with_stdlib(path: &str, text: &str) -> SourceSet {
    let mut set = SourceSet::new();
    set.add_main(path, text);
    for (module, file, source) in deft_stdlib::SOURCES {
        set.add(module, file, source);
    }
    set
}

/// A program as the CLI loads it: `main` as the main module, sibling `.skill` files as modules, and
/// the stdlib. Paths are relative to the workspace root so diagnostics are stable.
pub fn load(main: &Path) -> SourceSet {
    let rel = |p: &Path| p.strip_prefix(root()).unwrap_or(p).to_string_lossy().replace('\\', "/");
    let mut sources = SourceSet::new();
    sources.add_main(&rel(main), &std::fs::read_to_string(main).expect("source readable"));
    if main.file_name().is_some_and(|n| n == "main.skill")
        && let Some(dir) = main.parent()
    {
        let mut siblings: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "skill") && p.as_path() != main)
            .collect();
        siblings.sort();
        for s in siblings {
            let stem = s.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            sources.add(&stem, &rel(&s), &std::fs::read_to_string(&s).expect("source readable"));
        }
    }
    for (module, file, text) in deft_stdlib::SOURCES {
        sources.add(module, file, text);
    }
    sources
}

/// Compile a checked program with the JIT and run its `main` skill on the simulator with the cell at
/// `cell` and `seed`; optionally write a trace.
pub fn run_jit_traced(
    sources: &SourceSet,
    program: deft_compiler::tir::Program,
    cell: &Path,
    seed: u64,
    trace: Option<&mut dyn std::io::Write>,
) -> Result<deft_runtime::episode::RunReport, String> {
    let manifest = deft_compiler::manifest::manifest(&program, &deft_compiler::source_hash(sources));
    let jit = deft_compiler::codegen::jit(&program, &manifest).map_err(|e| e.to_string())?;
    let module = jit_module(jit)?;
    run_module(&module, cell, seed, trace)
}

pub fn run_jit(
    sources: &SourceSet,
    program: deft_compiler::tir::Program,
    cell: &Path,
    seed: u64,
) -> Result<deft_runtime::episode::RunReport, String> {
    run_jit_traced(sources, program, cell, seed, None)
}

/// Wrap a JIT module as a runtime module; the JIT memory lives as long as the module.
pub fn jit_module(jit: deft_compiler::codegen::JitModule) -> Result<deft_runtime::module::LoadedModule, String> {
    let manifest = jit.manifest_json().to_string();
    let symbols: std::collections::HashMap<String, usize> =
        jit.symbols().into_iter().filter_map(|s| jit.function(&s).map(|p| (s, p as usize))).collect();
    let lookup = |s: &str| symbols.get(s).map(|p| *p as *const u8);
    // SAFETY: the pointers belong to `jit`, which the module keeps alive.
    unsafe { deft_runtime::module::LoadedModule::from_parts(&manifest, &lookup, Box::new(jit)) }
        .map_err(|e| e.to_string())
}

/// Run `main` of a loaded module on the simulator.
pub fn run_module(
    module: &deft_runtime::module::LoadedModule,
    cell: &Path,
    seed: u64,
    trace: Option<&mut dyn std::io::Write>,
) -> Result<deft_runtime::episode::RunReport, String> {
    let text = std::fs::read_to_string(cell).map_err(|e| format!("{}: {e}", cell.display()))?;
    let cell = deft_runtime::sim::parse_cell(&text, &cell.to_string_lossy()).map_err(|e| e.to_string())?;
    let backend = Box::new(deft_runtime::sim::Simulator::new(&cell, seed));
    deft_runtime::episode::run(module, backend, &deft_stdlib::natives::natives(), "main", trace)
        .map_err(|e| e.to_string())
}
