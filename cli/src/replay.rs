//! `deft replay`: run the episode a trace recorded again (same module, skill, seed and cell) and
//! report whether the new trace is identical, or where it first diverges.

use crate::program::{self, CliError};
use crate::run::{fail, load_module};
use deft_runtime::episode;
use deft_runtime::sim::{Simulator, parse_cell};
use deft_runtime::trace::{TraceHeader, compare_events};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// A trace written by `deft run --trace`.
    trace: PathBuf,
    /// The module to replay: a `.so`, a `.skill` file or a program folder; defaults to the source
    /// recorded in the trace, compiled again.
    #[arg(long, value_name = "PATH")]
    module: Option<PathBuf>,
}

/// 0: identical; 1: the replay diverged or the module differs from the one traced; 2: usage, IO,
/// compile errors, or a module or cell the runtime refuses.
pub fn replay(args: &ReplayArgs) -> u8 {
    replay_inner(args).unwrap_or_else(|code| code)
}

fn replay_inner(args: &ReplayArgs) -> Result<u8, u8> {
    let text = program::read(&args.trace).map_err(fail)?;
    let (first, recorded) = text.split_once('\n').unwrap_or((&text, ""));
    let header = TraceHeader::parse(first)
        .map_err(|e| fail(CliError::new(format!("{} is not a replayable trace: {e}", args.trace.display()))))?;
    let module_path = match (&args.module, &header.source) {
        (Some(path), _) => path.clone(),
        (None, Some(source)) => PathBuf::from(source),
        (None, None) => {
            return Err(fail(
                CliError::new("the trace does not record the program's source")
                    .help("pass the module or its source with --module"),
            ));
        }
    };
    if !module_path.exists() {
        return Err(fail(
            CliError::new(format!("{} (recorded in the trace) does not exist", module_path.display()))
                .help("run deft replay from the folder deft run was run in, or pass --module"),
        ));
    }
    let (module, _) = load_module(&module_path)?;
    let manifest = module.manifest();
    let changed = manifest.source_hash != header.source_hash;
    if changed {
        println!(
            "source changed: {} has source hash {}, the trace was recorded with {}",
            module_path.display(),
            short(&manifest.source_hash),
            short(&header.source_hash)
        );
    }
    if manifest.compiler_version != header.compiler_version {
        println!(
            "note: recorded with compiler {}, replayed with {}",
            header.compiler_version, manifest.compiler_version
        );
    }
    let cell = parse_cell(&header.cell.text, &header.cell.path)
        .map_err(|e| fail(CliError::new(format!("the cell recorded in the trace: {e}"))))?;
    let backend = Box::new(Simulator::new(&cell, header.seed));
    let natives = deft_stdlib::natives::natives();
    let mut events = Vec::new();
    episode::run(&module, backend, &natives, &header.skill, Some(&mut events))
        .map_err(|e| fail(CliError::new(e.to_string())))?;
    let actual = String::from_utf8_lossy(&events);
    match compare_events(recorded, &actual) {
        Ok(n) => {
            println!("identical: {n} events");
            Ok(u8::from(changed))
        }
        Err(divergence) => {
            println!("diverged at {divergence}");
            Ok(1)
        }
    }
}

/// The first 12 hex digits of a hash: enough to tell two apart.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
