//! Deft against its peers on one compute-heavy pure program (2-opt over 200 waypoints, see
//! programs/): Deft compiled with the JIT, the same Lua file in LuaJIT or Lua 5.4 (whichever this
//! build links through mlua), CPython as a subprocess timed inside Python, and Rust. Every version's
//! result is printed and compared, then the in-process ones are timed in alternating batches so all
//! see the same machine load; the figures are medians and the ratios medians of per-round ratios.

mod dispatch;
#[path = "../programs/two_opt.rs"]
mod two_opt;

use deft_runtime::episode;
use deft_runtime::module::LoadedModule;
use deft_runtime::natives::Natives;
use deft_runtime::sim::{Simulator, cell::Cell, parse_cell};
use std::hint::black_box;
use std::process::{Command, ExitCode};
use std::time::Instant;

const N: usize = 200;
const SEED: i64 = 7;
const DEFT: &str = include_str!("../programs/two_opt.skill");
const LUA: &str = include_str!("../programs/two_opt.lua");
const CELL: &str = include_str!("../../examples/pick_place/cell.toml");

#[cfg(feature = "luajit")]
pub(crate) const LUA_NAME: &str = "LuaJIT";
#[cfg(not(feature = "luajit"))]
pub(crate) const LUA_NAME: &str = "Lua 5.4";

/// The Deft program compiled with the JIT, as `deft run` does.
pub(crate) struct Deft {
    module: LoadedModule,
    cell: Cell,
    natives: Natives,
}

impl Deft {
    /// `main` checked with the stdlib and `extra` (module, path, source) files, compiled with the JIT.
    pub(crate) fn new(main: &str, extra: &[(&str, &str, &str)], natives: Natives) -> Result<Deft, String> {
        let mut sources = deft_compiler::SourceSet::new();
        sources.add_main("peers/programs/main.skill", main);
        for (module, path, source) in deft_stdlib::SOURCES.iter().chain(extra) {
            sources.add(module, path, source);
        }
        let checked = deft_compiler::check::check(&sources);
        let program =
            checked.program.ok_or_else(|| format!("the Deft program does not check: {:?}", checked.diagnostics))?;
        let manifest = deft_compiler::manifest::manifest(&program, &deft_compiler::source_hash(&sources));
        let jit = deft_compiler::codegen::jit(&program, &manifest).map_err(|e| e.to_string())?;
        let module = deft_tests::jit_module(jit)?;
        let cell = parse_cell(CELL, "examples/pick_place/cell.toml").map_err(|e| e.to_string())?;
        Ok(Deft { module, cell, natives })
    }

    /// One episode of `skill`; returns what it logged.
    pub(crate) fn run(&self, skill: &str) -> Result<String, String> {
        let backend = Box::new(Simulator::new(&self.cell, 0));
        let report = episode::run(&self.module, backend, &self.natives, skill, None).map_err(|e| e.to_string())?;
        report.log.into_iter().next().ok_or_else(|| format!("`{skill}` logged nothing"))
    }
}

/// The Lua state (which must outlive the function) and its `two_opt`.
fn lua() -> Result<(mlua::Lua, mlua::Function), String> {
    let lua = mlua::Lua::new();
    lua.load(LUA).set_name("two_opt.lua").exec().map_err(|e| e.to_string())?;
    let f = lua.globals().get::<mlua::Function>("two_opt").map_err(|e| e.to_string())?;
    Ok((lua, f))
}

/// CPython: (result line, median seconds per call) from `python3 programs/two_opt.py`.
fn python(runs: usize) -> Result<(String, f64), String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/programs/two_opt.py");
    let out = Command::new("python3")
        .args([script, &N.to_string(), &SEED.to_string(), &runs.to_string()])
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let result = lines.next().ok_or("python3 printed nothing")?.to_string();
    let secs = lines.next().and_then(|l| l.trim().parse().ok()).ok_or("python3 printed no time")?;
    Ok((result, secs))
}

pub(crate) fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Seconds per call of `body` over a batch of `batch` calls.
fn per_call(batch: usize, body: &mut dyn FnMut() -> Result<(), String>) -> Result<f64, String> {
    let start = Instant::now();
    for _ in 0..batch {
        body()?;
    }
    Ok(start.elapsed().as_secs_f64() / batch as f64)
}

/// (length, swaps) from a line `length swaps`.
fn parse(line: &str) -> Option<(f64, u64)> {
    let mut it = line.split_whitespace();
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

/// Same swaps, and lengths equal to the precision the line was printed with (Deft's log keeps 6
/// significant digits).
fn same(reference: (f64, u64), line: &str) -> bool {
    parse(line).is_some_and(|(len, swaps)| swaps == reference.1 && (len - reference.0).abs() <= reference.0 * 1e-5)
}

fn main() -> ExitCode {
    match bench() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("peers: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench() -> Result<(), String> {
    let quick = std::env::var_os("DEFT_BENCH_QUICK").is_some();
    let rounds = if quick { 3 } else { 9 };
    let deft = Deft::new(DEFT, &[], deft_stdlib::natives::natives())?;
    let (lua_state, lua_fn) = lua()?;
    let version: String = lua_state.globals().get("_VERSION").map_err(|e| e.to_string())?;
    let jit: Option<String> = lua_state.load("return jit and jit.version").eval().map_err(|e| e.to_string())?;
    println!("Lua: {version} {}", jit.unwrap_or_default());

    let rust = two_opt::two_opt(N, SEED);
    let deft_line = deft.run("main")?;
    let (lua_len, lua_swaps): (f64, u64) = lua_fn.call((N, SEED)).map_err(|e| e.to_string())?;
    let (py_line, py_secs) = python(if quick { 3 } else { 15 })?;
    println!("2-opt over {N} waypoints, seed {SEED}: results");
    println!("  Rust:    {:.9} {}", rust.0, rust.1);
    println!("  Deft:    {deft_line}");
    println!("  {LUA_NAME:<8} {lua_len:.9} {lua_swaps}");
    println!("  CPython: {py_line}");
    let lua_line = format!("{lua_len:.9} {lua_swaps}");
    for (name, line) in [("Deft", &deft_line), (LUA_NAME, &lua_line), ("CPython", &py_line)] {
        if !same(rust, line) {
            return Err(format!("{name} computed `{line}`, Rust `{:.9} {}`", rust.0, rust.1));
        }
    }

    // Batches of about 0.1 s each, sized from one call; the three alternate within every round.
    let mut deft_body = || deft.run("main").map(|l| drop(black_box(l)));
    let mut idle_body = || deft.run("idle").map(|l| drop(black_box(l)));
    let mut lua_body = || {
        lua_fn
            .call::<(f64, u64)>((black_box(N), SEED))
            .map(|r| {
                black_box(r);
            })
            .map_err(|e| e.to_string())
    };
    let mut rust_body = || {
        black_box(two_opt::two_opt(black_box(N), SEED));
        Ok(())
    };
    let target = if quick { 0.02 } else { 0.1 };
    let batch = |body: &mut dyn FnMut() -> Result<(), String>| -> Result<usize, String> {
        let once = per_call(1, body)?.max(1e-9);
        Ok(((target / once) as usize).clamp(1, 1_000_000))
    };
    let sizes = [batch(&mut deft_body)?, batch(&mut idle_body)?, batch(&mut lua_body)?, batch(&mut rust_body)?];
    let mut times: [Vec<f64>; 4] = Default::default();
    let (mut vs_lua, mut vs_rust) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let d = per_call(sizes[0], &mut deft_body)?;
        let i = per_call(sizes[1], &mut idle_body)?;
        let l = per_call(sizes[2], &mut lua_body)?;
        let r = per_call(sizes[3], &mut rust_body)?;
        vs_lua.push(d / l);
        vs_rust.push(d / r);
        for (t, x) in times.iter_mut().zip([d, i, l, r]) {
            t.push(x);
        }
    }
    let [d, i, l, r] = times.map(median);
    println!("median of {rounds} rounds (batches of ~{:.0} ms), ms per call:", target * 1e3);
    println!("  Deft episode (JIT)   {:>9.3} ms", d * 1e3);
    println!("  Deft empty episode   {:>9.3} ms  (overhead included above)", i * 1e3);
    println!("  {LUA_NAME:<20} {:>9.3} ms   Deft/{LUA_NAME} = {:.2}", l * 1e3, median(vs_lua));
    println!("  Rust                 {:>9.3} ms   Deft/Rust = {:.2}", r * 1e3, median(vs_rust));
    println!("  CPython (median of its own runs) {:>9.3} ms   CPython/Deft = {:.1}", py_secs * 1e3, py_secs / d);
    dispatch::bench(rounds, quick)
}
