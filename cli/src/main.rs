//! The `deft` command: check, build and run skills, and serve the language server.
//!
//! Exit codes are a contract: 0 success, 1 the program has errors or the skill failed, 2 usage, IO or
//! compile errors (`deft run`) — see `docs/cli.md`.

mod build;
mod check;
mod explain;
mod fmt;
mod program;
mod render;
mod replay;
mod run;
mod sim;
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "deft", version, about = "Compile, check and run Deft robot skills")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Rendered for a terminal.
    Human,
    /// A JSON array on stdout.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check programs for errors without running them.
    Check {
        /// `.skill` files, or folders holding a `main.skill`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Compile a program to a native skill module (a shared library).
    Build {
        /// A `.skill` file, or a folder holding a `main.skill`.
        path: PathBuf,
        /// Where to write the module.
        #[arg(short, long, value_name = "OUT.so")]
        output: PathBuf,
    },
    /// Run a skill on the built-in simulator.
    Run(run::RunArgs),
    /// Run a traced episode again and report the first divergence, or that it is identical.
    Replay(replay::ReplayArgs),
    /// Run every `test` of programs on the simulator; statistical tests judged on a 95% Wilson bound.
    Test(test::TestArgs),
    /// Run many randomized episodes of a skill on all cores and print their statistics.
    Sim(sim::SimArgs),
    /// Start the language server on stdin/stdout.
    Lsp,
    /// Explain a diagnostic code, with a wrong and a fixed example.
    Explain { code: String },
    /// Rewrite .skill files (or folders of them) in the canonical style; `--check` only lists them.
    Fmt {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap's own exit code for --help and --version is 0; everything else is a usage error.
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(2),
            };
        }
    };
    let code = match cli.command {
        Command::Check { paths, format } => check::check(&paths, format),
        Command::Build { path, output } => build::build(&path, &output),
        Command::Run(args) => run::run(&args),
        Command::Replay(args) => replay::replay(&args),
        Command::Test(args) => test::test(&args),
        Command::Sim(args) => sim::sim(&args),
        Command::Explain { code } => explain::explain(&code),
        Command::Fmt { paths, check } => fmt::fmt(&paths, check),
        Command::Lsp => match deft_lsp::serve_stdio() {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: the language server stopped: {e}");
                2
            }
        },
    };
    ExitCode::from(code)
}
