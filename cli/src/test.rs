//! `deft test`: run every `test` block of programs on the simulator; statistical tests run many
//! seeded episodes and are judged on the lower 95% Wilson bound of their success rate.

use crate::run::{fail, load_module};
use crate::sim::{Replay, describe, load_cell, percent};
use deft_runtime::abi::ManifestTest;
use deft_runtime::batch::{self, BatchConfig, Summary};
use deft_runtime::episode::run_function;
use deft_runtime::host::EpisodeLimits;
use deft_runtime::module::LoadedModule;
use deft_runtime::natives::Natives;
use deft_runtime::sim::Simulator;
use deft_runtime::sim::cell::Cell;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct TestArgs {
    /// `.skill` files, folders holding a `main.skill`, or modules built with `deft build`.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Seed of plain tests, and base seed of statistical tests' episodes.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads for statistical tests (default: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Print one JSON object on stdout instead of one line per test.
    #[arg(long)]
    json: bool,
}

/// The verdict on one test.
struct Verdict {
    program: String,
    name: String,
    /// Plain tests keep their single episode in a one-episode summary.
    summary: Summary,
    statistical: bool,
    expect: Option<f64>,
    passed: bool,
    replay: Replay,
}

pub fn test(args: &TestArgs) -> u8 {
    let mut verdicts = Vec::new();
    let mut code = 0;
    for path in &args.paths {
        match test_program(path, args) {
            Ok(mut v) => verdicts.append(&mut v),
            Err(c) => code = code.max(c),
        }
    }
    let failed = verdicts.iter().filter(|v| !v.passed).count();
    if failed > 0 {
        code = code.max(1);
    }
    if args.json {
        let tests: Vec<_> = verdicts.iter().map(to_json).collect();
        println!("{}", json!({"passed": code == 0, "tests": tests}));
    } else {
        for v in &verdicts {
            print_verdict(v);
        }
        println!("{} passed, {failed} failed", verdicts.len() - failed);
    }
    code
}

fn test_program(path: &Path, args: &TestArgs) -> Result<Vec<Verdict>, u8> {
    let (module, dir) = load_module(path)?;
    let cell = load_cell(&dir, None)?;
    let natives = deft_stdlib::natives::natives();
    let program = crate::program::display(path);
    let mut verdicts = Vec::new();
    for test in &module.manifest().tests {
        let name = module.manifest().functions.get(test.func as usize).map_or("", |f| f.name.as_str());
        let replay = Replay::new(path, None, name);
        let summary =
            run_test(&module, &cell, &natives, test, args).map_err(|e| fail(crate::program::CliError::new(e)))?;
        let statistical = test.runs.is_some();
        // A statistical test without `expect` demands every episode; a plain one, its one episode.
        let passed = match test.expect_success {
            Some(p) if statistical => summary.lower >= p,
            _ => summary.successes == summary.runs,
        };
        let (name, expect) = (test.name.clone(), test.expect_success);
        verdicts.push(Verdict { program: program.clone(), name, summary, statistical, expect, passed, replay });
    }
    Ok(verdicts)
}

fn run_test(
    module: &LoadedModule,
    cell: &Cell,
    natives: &Natives,
    test: &ManifestTest,
    args: &TestArgs,
) -> Result<Summary, String> {
    let func = test.func as usize;
    match test.runs {
        Some(runs) => {
            let config = BatchConfig { runs, base_seed: args.seed, jobs: args.jobs };
            let results = batch::run_batch(module, cell, natives, func, &config, &|_| ()).map_err(|e| e.to_string())?;
            Ok(Summary::of(&results, args.seed))
        }
        None => {
            // A plain test is one episode with the seed itself, so `deft run --seed` replays it as is.
            let backend = Box::new(Simulator::new(cell, args.seed));
            let report = run_function(module, backend, natives, func, None, EpisodeLimits::default())
                .map_err(|e| e.to_string())?;
            let one = batch::EpisodeResult {
                seed: args.seed,
                fault: report.fault.map(Box::new),
                cycle_time_s: report.cycle_time_s,
                energy_j: report.energy_j,
            };
            Ok(Summary::of(&[one], args.seed))
        }
    }
}

fn print_verdict(v: &Verdict) {
    let s = &v.summary;
    let status = if v.passed { "ok  " } else { "FAIL" };
    let mut line = format!("{status} {} \"{}\"  {}/{}", v.program, v.name, s.successes, s.runs);
    if v.statistical {
        line.push_str(&format!("  rate {}  95% lower bound {}", percent(s.rate), percent(s.lower)));
        if let Some(p) = v.expect {
            line.push_str(&format!(" (needs >= {})", percent(p)));
        }
    }
    println!("{line}");
    if v.passed {
        return;
    }
    if v.statistical {
        for f in &s.faults {
            println!("       {} x {} in {}", f.count, f.kind, f.skill);
        }
        if s.first_failures.is_empty() {
            println!("       no episode failed: more runs would narrow the bound");
        }
    }
    for n in &s.first_failures {
        println!("       {}", describe(n));
        println!("         replay: {}", v.replay.command(n.seed));
    }
}

fn to_json(v: &Verdict) -> serde_json::Value {
    let s = &v.summary;
    let failures: Vec<_> = s
        .first_failures
        .iter()
        .map(|n| {
            let mut j = n.to_json();
            j["replay"] = serde_json::Value::from(v.replay.command(n.seed));
            j
        })
        .collect();
    let faults: Vec<_> = s.faults.iter().map(|f| json!({"skill": f.skill, "kind": f.kind, "count": f.count})).collect();
    json!({
        "program": v.program,
        "name": v.name,
        "kind": if v.statistical { "statistical" } else { "plain" },
        "passed": v.passed,
        "runs": s.runs,
        "successes": s.successes,
        "success_rate": s.rate,
        "wilson_95": {"lower": s.lower, "upper": s.upper},
        "expect_success": v.expect,
        "faults": faults,
        "first_failures": failures,
    })
}
