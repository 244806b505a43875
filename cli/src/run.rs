//! `deft run`: run a skill of a program (compiled in memory with the JIT) or of a built module on the
//! built-in simulator, and print a summary.

use crate::build::compile;
use crate::program::{self, CliError, report};
use deft_runtime::episode::{self, RunReport};
use deft_runtime::module::LoadedModule;
use deft_runtime::sim::Simulator;
use deft_runtime::sim::cell::parse_cell_with;
use deft_runtime::trace::TraceHeader;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct RunArgs {
    /// A `.skill` file, a folder holding `main.skill`, or a module built with `deft build`.
    path: PathBuf,
    /// The cell description; defaults to `cell.toml` beside the program.
    #[arg(long, value_name = "CELL.toml")]
    cell: Option<PathBuf>,
    /// The skill to run.
    #[arg(long, default_value = "main")]
    skill: String,
    /// Seed of the episode's random generator.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write a JSON Lines trace, one event per command.
    #[arg(long, value_name = "FILE.jsonl")]
    trace: Option<PathBuf>,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &RunArgs) -> u8 {
    match run_inner(args) {
        Ok(report) => {
            if args.json {
                println!("{}", report.to_json());
            } else {
                print_summary(&report);
            }
            u8::from(report.fault.is_some())
        }
        Err(code) => code,
    }
}

/// Load a module built with `deft build` (a `.so`), or compile a program with the JIT; with the
/// folder the program lives in. `Err` is the exit code, the error already printed.
pub fn load_module(path: &Path) -> Result<(LoadedModule, PathBuf), u8> {
    if path.extension().is_some_and(|e| e == "so") {
        let module = LoadedModule::open(path).map_err(|e| fail(CliError::new(e.to_string())))?;
        Ok((module, path.parent().map(Path::to_path_buf).unwrap_or_default()))
    } else {
        let compiled = compile(path, 2)?;
        let jit = deft_compiler::codegen::jit(&compiled.program, &compiled.manifest).map_err(|e| {
            eprintln!("{e}");
            2u8
        })?;
        let module = jit_module(jit).map_err(|e| fail(CliError::new(e)))?;
        Ok((module, compiled.dir))
    }
}

fn run_inner(args: &RunArgs) -> Result<RunReport, u8> {
    let (module, dir) = load_module(&args.path)?;
    let cell_path = args.cell.clone().unwrap_or_else(|| dir.join("cell.toml"));
    let cell_text = program::read(&cell_path)
        .map_err(|e| fail(e.help("pass a cell description with --cell, or put a cell.toml beside the program")))?;
    // Files the cell refers to (URDF arm models) are read here: the simulator does no IO.
    let read = |file: &str| std::fs::read_to_string(file).map_err(|e| e.to_string());
    let cell = parse_cell_with(&cell_text, &program::display(&cell_path), &read)
        .map_err(|e| fail(CliError::new(e.to_string())))?;
    let backend = Box::new(Simulator::new(&cell, args.seed));
    let natives = deft_stdlib::natives::natives();
    let mut trace_file = match &args.trace {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| fail(CliError::new(format!("cannot create {}: {e}", path.display()))))?,
        )),
        None => None,
    };
    if let Some(w) = trace_file.as_mut() {
        use std::io::Write;
        let header =
            TraceHeader::new(module.manifest(), &args.skill, args.seed, &program::display(&cell_path), &cell_text);
        w.write_all(header.to_line().as_bytes())
            .map_err(|e| fail(CliError::new(format!("cannot write the trace: {e}"))))?;
    }
    let trace = trace_file.as_mut().map(|w| w as &mut dyn std::io::Write);
    let report =
        episode::run(&module, backend, &natives, &args.skill, trace).map_err(|e| fail(CliError::new(e.to_string())))?;
    if let Some(mut w) = trace_file {
        use std::io::Write;
        w.flush().map_err(|e| fail(CliError::new(format!("cannot write the trace: {e}"))))?;
    }
    Ok(report)
}

pub fn fail(e: CliError) -> u8 {
    report(e);
    2
}

fn print_summary(report: &RunReport) {
    for line in &report.log {
        println!("log: {line}");
    }
    match &report.fault {
        None => println!("success"),
        Some(f) => {
            println!("failed: {}: {}", f.kind, f.message);
            if !f.skills.is_empty() {
                println!("  skill stack (outermost first): {}", f.skills.join(" > "));
            }
        }
    }
    println!("cycle time: {:.3} s", report.cycle_time_s);
    println!("energy:     {:.1} J", report.energy_j);
    println!("commands:   {}", report.commands);
}

/// Wrap a JIT module as a runtime module; the JIT memory lives as long as the module.
fn jit_module(jit: deft_compiler::codegen::JitModule) -> Result<LoadedModule, String> {
    let manifest = jit.manifest_json().to_string();
    let symbols: std::collections::HashMap<String, usize> =
        jit.symbols().into_iter().filter_map(|s| jit.function(&s).map(|p| (s, p as usize))).collect();
    let lookup = |s: &str| symbols.get(s).map(|p| *p as *const u8);
    // SAFETY: the pointers belong to `jit`, which the module keeps alive for as long as it exists.
    unsafe { LoadedModule::from_parts(&manifest, &lookup, Box::new(jit)) }.map_err(|e| e.to_string())
}
