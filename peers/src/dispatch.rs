//! Dispatch: what one call of a cheap Rust function costs from Deft code (a native, through the
//! runtime's natives table) and from Lua (a function registered through mlua). Both loops run a
//! million times with the call and a million times with an addition in its place; the difference
//! divided by a million is the cost of a call.

use crate::{Deft, LUA_NAME, median};
use deft_runtime::Fault;
use deft_runtime::natives::{NativeCx, NativeFn};
use std::time::Instant;

const DEFT: &str = include_str!("../programs/dispatch.skill");
const NATIVE: &str = include_str!("../programs/peers_native.skill");
const LUA: &str = include_str!("../programs/dispatch.lua");
const ITERATIONS: f64 = 1e6;

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

fn seconds(body: &mut dyn FnMut() -> Result<String, String>) -> Result<(f64, String), String> {
    let start = Instant::now();
    let out = body()?;
    Ok((start.elapsed().as_secs_f64(), out))
}

pub fn bench(rounds: usize) -> Result<(), String> {
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
    for (name, with, without) in [("Deft", dc, da), (LUA_NAME, lc, la)] {
        println!(
            "  {name:<8} loop with the call {:>7.2} ns/iteration, with an addition {:>6.2} ns: {:>6.2} ns per call",
            with / ITERATIONS * 1e9,
            without / ITERATIONS * 1e9,
            (with - without) / ITERATIONS * 1e9
        );
    }
    Ok(())
}
