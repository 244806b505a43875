//! Dispatch: what one call of a cheap Rust function costs from Deft code (a native, through the
//! runtime's natives table) and from Lua (a function registered through mlua). Both loops run a
//! million times with the call and a million times with an addition in its place; the difference
//! divided by a million is the cost of a call. Then py_trees (from PyPI, in the interpreter named by
//! `DEFT_PEERS_PYTHON`, which run.sh points at its venv) ticks a sequence making as many calls of the
//! Python twin of `bump`, as a subprocess timed inside Python.

use crate::{Deft, LUA_NAME, median};
use deft_runtime::Fault;
use deft_runtime::natives::{NativeCx, NativeFn};
use std::collections::HashMap;
use std::process::Command;
use std::time::Instant;

const DEFT: &str = include_str!("../programs/dispatch.skill");
const NATIVE: &str = include_str!("../programs/peers_native.skill");
const LUA: &str = include_str!("../programs/dispatch.lua");
const ITERATIONS: f64 = 1e6;
const PY_TREES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/programs/dispatch_py_trees.py");
/// A sequence of this many children, ticked `ITERATIONS / CHILDREN` times: a million calls.
const CHILDREN: usize = 1000;

/// The function both languages call.
#[inline(never)]
fn bump(x: f64) -> f64 {
    x + 1.0
}

/// `std::peers::bump(Real)`: a `Real` arrives and leaves as its f64 bits.
fn bump_native(_cx: &mut NativeCx<'_>, a: &[u64]) -> Result<u64, Fault> {
    let x = a.first().map_or(0.0, |b| f64::from_bits(*b));
    Ok(bump(x).to_bits())
}

/// What dispatch_py_trees.py measured: its py_trees version and, by case, ns per call.
struct PyTrees {
    version: String,
    ns: HashMap<String, f64>,
}

/// Runs dispatch_py_trees.py with `ticks` ticks of the sequence, `rounds` rounds.
fn py_trees(ticks: usize, rounds: usize) -> Result<PyTrees, String> {
    let python = std::env::var("DEFT_PEERS_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let out = Command::new(&python)
        .args([PY_TREES, &CHILDREN.to_string(), &ticks.to_string(), &rounds.to_string()])
        .output()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    if !out.status.success() {
        // Most likely py_trees is not installed in that interpreter: run.sh makes a venv with it.
        return Err(format!(
            "{python} {PY_TREES} failed (DEFT_PEERS_PYTHON should name a python with py_trees; peers/run.sh \
             makes one): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let version = lines.next().and_then(|l| l.strip_prefix("py_trees ")).ok_or("no py_trees version printed")?;
    let calls = (CHILDREN * ticks) as f64;
    let mut ns = HashMap::new();
    for line in lines {
        let mut it = line.split_whitespace();
        let (Some(name), Some(time), Some(sum)) = (it.next(), it.next(), it.next()) else {
            return Err(format!("unexpected line from {PY_TREES}: `{line}`"));
        };
        let parsed = time.parse::<f64>().ok().zip(sum.parse::<f64>().ok());
        match parsed {
            // The script checks the sum too; checked again so a changed script cannot skip it.
            Some((t, s)) if s == calls => ns.insert(name.to_string(), t),
            _ => return Err(format!("{name}: `{line}`, expected a sum of {calls}")),
        };
    }
    Ok(PyTrees { version: version.to_string(), ns })
}

fn seconds(body: &mut dyn FnMut() -> Result<String, String>) -> Result<(f64, String), String> {
    let start = Instant::now();
    let out = body()?;
    Ok((start.elapsed().as_secs_f64(), out))
}

pub fn bench(rounds: usize, quick: bool) -> Result<(), String> {
    let mut natives = deft_stdlib::natives::natives();
    let native: NativeFn = bump_native;
    natives.register("std::peers::bump(Real)", native);
    let deft = Deft::new(DEFT, &[("std::peers", "std/peers.skill", NATIVE)], natives)?;
    let lua = mlua::Lua::new();
    let f = lua.create_function(|_, x: f64| Ok(bump(x))).map_err(|e| e.to_string())?;
    lua.globals().set("bump", f).map_err(|e| e.to_string())?;
    lua.load(LUA).set_name("dispatch.lua").exec().map_err(|e| e.to_string())?;
    let calls: mlua::Function = lua.globals().get("calls").map_err(|e| e.to_string())?;
    let adds: mlua::Function = lua.globals().get("adds").map_err(|e| e.to_string())?;
    let lua_run = |f: &mlua::Function| f.call::<f64>(1_000_000).map(|r| format!("{r}")).map_err(|e| e.to_string());

    let mut bodies: [Box<dyn FnMut() -> Result<String, String>>; 4] = [
        Box::new(|| deft.run("with_calls")),
        Box::new(|| deft.run("without_calls")),
        Box::new(|| lua_run(&calls)),
        Box::new(|| lua_run(&adds)),
    ];
    let mut times: [Vec<f64>; 4] = Default::default();
    let mut results: [String; 4] = Default::default();
    for _ in 0..rounds {
        for ((body, t), r) in bodies.iter_mut().zip(&mut times).zip(&mut results) {
            let (secs, out) = seconds(body.as_mut())?;
            t.push(secs);
            *r = out;
        }
    }
    println!("dispatch, 1,000,000 iterations, median of {rounds} rounds (results {results:?}):");
    let [dc, da, lc, la] = times.map(median);
    let row = |name: &str, with: f64, without: f64| {
        println!(
            "  {name:<8} loop with the call {with:>7.2} ns/iteration, with an addition {without:>6.2} ns: \
             {:>6.2} ns per call",
            with - without
        );
    };
    let ns = |secs: f64| secs / ITERATIONS * 1e9;
    row("Deft", ns(dc), ns(da));
    row(LUA_NAME, ns(lc), ns(la));

    // py_trees is about a thousand times slower, so fewer rounds: three take about a minute. The
    // quick smoke test ticks a tenth as often (three rounds still, or the bare CPython loops are noise).
    let ticks = if quick { 100 } else { 1_000_000 / CHILDREN };
    let py_rounds = 3;
    let py = py_trees(ticks, py_rounds)?;
    let get = |name: &str| py.ns.get(name).copied().ok_or_else(|| format!("{PY_TREES} did not measure `{name}`"));
    let (calls, adds) = (get("python_calls")?, get("python_adds")?);
    row("CPython", calls, adds);
    let (deft_iter, deft_call, lua_call) = (ns(dc), ns(dc - da), ns(lc - la));
    println!(
        "  CPython call / Deft call = {:.1}, / {LUA_NAME} call = {:.2}",
        (calls - adds) / deft_call,
        (calls - adds) / lua_call
    );
    println!(
        "py_trees {} (CPython), a Sequence of {CHILDREN} children ticked {ticks} times, median of {py_rounds}, \
         ns per child tick (one call each):",
        py.version
    );
    for (name, what) in [
        ("tick_once", "root.tick_once(), memory=False"),
        ("tick_once_memory", "root.tick_once(), memory=True"),
        ("tree_tick", "BehaviourTree.tick(), memory=False"),
    ] {
        let t = get(name)?;
        println!(
            "  {what:<36} {t:>8.1} ns   /Deft loop with the call = {:.0}, /Deft call = {:.0}, \
             /{LUA_NAME} call = {:.0}",
            t / deft_iter,
            t / deft_call,
            t / lua_call
        );
    }
    Ok(())
}
