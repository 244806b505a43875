//! `deft sim`: run many randomized episodes of a skill on all cores and print their statistics; and
//! the pieces `deft test` shares with it (loading the cell, the progress bar, replay commands).

use crate::program::{self, CliError};
use crate::run::{fail, load_module};
use deft_runtime::batch::{self, BatchConfig, Distribution, Notable, Summary};
use deft_runtime::episode::runnable_index;
use deft_runtime::sim::cell::{Cell, parse_cell_with};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[derive(clap::Args)]
pub struct SimArgs {
    /// A `.skill` file, a folder holding `main.skill`, or a module built with `deft build`.
    path: PathBuf,
    /// How many episodes to run.
    #[arg(long)]
    runs: u64,
    /// Base seed; episode `i` runs with a seed derived from it and `i`.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: one per core). The result does not depend on it.
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// The skill to run (an exported skill without parameters, or `test::<name>`).
    #[arg(long, default_value = "main")]
    skill: String,
    /// The cell description; defaults to `cell.toml` beside the program.
    #[arg(long, value_name = "CELL.toml")]
    cell: Option<PathBuf>,
    /// Print the result as one JSON object on stdout (and no progress bar).
    #[arg(long)]
    json: bool,
}

pub fn sim(args: &SimArgs) -> u8 {
    let (module, dir) = match load_module(&args.path) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let cell = match load_cell(&dir, args.cell.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let function = match runnable_index(module.manifest(), &args.skill) {
        Ok(i) => i,
        Err(e) => return fail(CliError::new(e.to_string())),
    };
    let natives = deft_stdlib::natives::natives();
    let config = BatchConfig { runs: args.runs, base_seed: args.seed, jobs: args.jobs };
    let progress = Progress::new(args.runs, !args.json);
    let started = Instant::now();
    let results = match batch::run_batch(&module, &cell, &natives, function, &config, &|ok| progress.episode(ok)) {
        Ok(r) => r,
        Err(e) => {
            progress.finish();
            return fail(CliError::new(e.to_string()));
        }
    };
    progress.finish();
    let elapsed = started.elapsed().as_secs_f64();
    let summary = Summary::of(&results, args.seed);
    if args.json {
        let mut json = summary.to_json();
        json["skill"] = serde_json::Value::from(args.skill.as_str());
        println!("{json}");
    } else {
        print_summary(&summary, &Replay::new(&args.path, args.cell.as_deref(), &args.skill));
        // Wall-clock figures go to stderr: stdout stays the same for the same inputs.
        let per_s = if elapsed > 0.0 { args.runs as f64 / elapsed } else { 0.0 };
        eprintln!("{} episodes in {elapsed:.2} s ({per_s:.0} episodes/s)", args.runs);
    }
    0
}

/// Read and check the cell: `cell` if given, else `cell.toml` in `dir`. `Err` is the exit code.
pub fn load_cell(dir: &Path, cell: Option<&Path>) -> Result<Cell, u8> {
    let cell_path = cell.map(Path::to_path_buf).unwrap_or_else(|| dir.join("cell.toml"));
    let text = program::read(&cell_path)
        .map_err(|e| fail(e.help("pass a cell description with --cell, or put a cell.toml beside the program")))?;
    // Files the cell refers to (URDF arm models) are read here: the simulator does no IO.
    let read = |file: &str| std::fs::read_to_string(file).map_err(|e| e.to_string());
    parse_cell_with(&text, &program::display(&cell_path), &read).map_err(|e| fail(CliError::new(e.to_string())))
}

/// The `deft run` command that replays one episode of a batch.
pub struct Replay {
    prefix: String,
}

impl Replay {
    pub fn new(path: &Path, cell: Option<&Path>, skill: &str) -> Replay {
        let mut prefix = format!("deft run {} --skill {}", shell_quote(&program::display(path)), shell_quote(skill));
        if let Some(cell) = cell {
            prefix.push_str(&format!(" --cell {}", shell_quote(&program::display(cell))));
        }
        Replay { prefix }
    }

    pub fn command(&self, seed: u64) -> String {
        format!("{} --seed {seed}", self.prefix)
    }
}

/// Quote a word for a POSIX shell when it needs it (test names hold spaces).
fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A progress bar on stderr when it is a terminal: episodes, episodes per second, success so far.
struct Progress {
    bar: ProgressBar,
    done: AtomicU64,
    successes: AtomicU64,
}

/// Redrawing the message costs an allocation; every this many episodes is often enough to watch.
const MESSAGE_EVERY: u64 = 64;

impl Progress {
    fn new(runs: u64, wanted: bool) -> Progress {
        let bar = if wanted && std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(runs), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} episodes  {per_sec}  {msg}  eta {eta}")
            {
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress { bar, done: AtomicU64::new(0), successes: AtomicU64::new(0) }
    }

    fn episode(&self, ok: bool) {
        let successes = self.successes.fetch_add(u64::from(ok), Ordering::Relaxed) + u64::from(ok);
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if done.is_multiple_of(MESSAGE_EVERY) && !self.bar.is_hidden() {
            self.bar.set_position(done);
            self.bar.set_message(format!("success {:.2}%", 100.0 * successes as f64 / done as f64));
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

pub fn percent(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

fn print_summary(s: &Summary, replay: &Replay) {
    println!(
        "success:    {}/{} = {} (95% Wilson bounds {} .. {})",
        s.successes,
        s.runs,
        percent(s.rate),
        percent(s.lower),
        percent(s.upper)
    );
    if !s.faults.is_empty() {
        println!("faults:");
        for f in &s.faults {
            println!("  {:>8}  {} in {}", f.count, f.kind, f.skill);
        }
    }
    let dist = |name: &str, d: &Option<Distribution>, unit: &str| match d {
        Some(d) => println!(
            "{name} mean {:.3} {unit}, p50 {:.3}, p95 {:.3}, p99 {:.3}, max {:.3} (successful episodes)",
            d.mean, d.p50, d.p95, d.p99, d.max
        ),
        None => println!("{name} no successful episode"),
    };
    dist("cycle time:", &s.cycle_time_s, "s");
    dist("energy:    ", &s.energy_j, "J");
    if !s.worst.is_empty() {
        println!("worst episodes:");
        for n in &s.worst {
            println!("  {}", describe(n));
            println!("    {}", replay.command(n.seed));
        }
    }
}

/// One line about an episode: index, seed, and its fault or its cycle time.
pub fn describe(n: &Notable) -> String {
    match &n.fault {
        Some(f) => format!("episode {} (seed {}): failed: {}: {}", n.index, n.seed, f.kind, f.message),
        None => format!("episode {} (seed {}): success, cycle time {:.3} s", n.index, n.seed, n.cycle_time_s),
    }
}
