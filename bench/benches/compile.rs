//! `cargo bench -p deft-bench --bench compile`: how long `deft check` and `deft build` take on a
//! generated 10,000-line program (structs, pure fns with quantity arithmetic, skills calling the
//! stdlib). Aims from issue 6: check under 100 ms, build under 1 s. Figures in docs/performance.md.
//!
//! Reports the median of several runs of: `check::check`; check + manifest + `codegen::object` (the
//! `deft build` path up to the object file); and, separately, `cc -shared` linking that object.

use deft_compiler::SourceSet;
use deft_tests::{generated_program, with_stdlib};
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn time(runs: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<Duration, String> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        samples.push(start.elapsed());
    }
    Ok(median(samples))
}

/// Check, then generate the object file: what `deft build` does before it calls the linker.
fn build(set: &SourceSet) -> Result<Vec<u8>, String> {
    let checked = deft_compiler::check::check(set);
    let program = checked.program.ok_or("the generated program does not check")?;
    let manifest = deft_compiler::manifest::manifest(&program, &deft_compiler::source_hash(set));
    deft_compiler::codegen::object(&program, &manifest).map_err(|e| e.to_string())
}

fn main() {
    let quick = std::env::var_os("DEFT_BENCH_QUICK").is_some();
    let runs = if quick { 3 } else { 11 };
    let text = generated_program(10_000);
    let set = with_stdlib("bench/main.skill", &text);
    let checked = deft_compiler::check::check(&set);
    if let Some(d) = checked.diagnostics.iter().find(|d| d.is_error()) {
        eprintln!("the generated program does not check: {d:?}");
        std::process::exit(1);
    }
    println!("compile: {} lines, {} KB, median of {runs} runs", text.lines().count(), text.len() / 1024);
    let check = time(runs, || {
        let checked = deft_compiler::check::check(&set);
        if checked.program.is_some() { Ok(()) } else { Err("no program".into()) }
    });
    let mut object = Vec::new();
    let build = time(runs, || {
        object = build(&set)?;
        Ok(())
    });
    match (check, build) {
        (Ok(c), Ok(b)) => {
            println!("check::check:                    {:>8.1} ms (aim < 100 ms)", c.as_secs_f64() * 1e3);
            println!(
                "check + codegen::object:         {:>8.1} ms (aim < 1 s), object {} KB",
                b.as_secs_f64() * 1e3,
                object.len() / 1024
            );
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("compile bench failed: {e}");
            std::process::exit(1);
        }
    }
    link(&object, runs);
}

/// `cc -shared` of the object, timed alone (the linker is outside the compiler).
fn link(object: &[u8], runs: usize) {
    let dir = std::env::temp_dir().join(format!("deft-compile-bench-{}", std::process::id()));
    let obj = dir.join("main.o");
    let lib = dir.join("libmain.so");
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&obj, object)) {
        eprintln!("cannot write the object: {e}");
        return;
    }
    let linked = time(runs, || {
        let status = Command::new("cc").arg("-shared").arg("-o").arg(&lib).arg(&obj).status();
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("cc -shared failed: {s}")),
            Err(e) => Err(format!("cannot run cc: {e}")),
        }
    });
    match linked {
        Ok(l) => println!("cc -shared (link alone):         {:>8.1} ms", l.as_secs_f64() * 1e3),
        Err(e) => eprintln!("{e}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
