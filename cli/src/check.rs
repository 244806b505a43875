//! `deft check`: report every diagnostic of one or more programs.

use crate::program::{self, report};
use crate::{Format, render};
use std::path::PathBuf;

pub fn check(paths: &[PathBuf], format: Format) -> u8 {
    let mut any_error = false;
    let mut json = Vec::new();
    for path in paths {
        let program = match program::load(path) {
            Ok(p) => p,
            Err(e) => {
                report(e);
                return 2;
            }
        };
        let checked = deft_compiler::check::check(&program.sources);
        any_error |= checked.diagnostics.iter().any(|d| d.is_error());
        match format {
            Format::Human => {
                eprint!("{}", render::human(&program.sources, &checked.diagnostics, render::stderr_color()))
            }
            Format::Json => json.extend(
                render::json(&program.sources, &checked.diagnostics)
                    .into_iter()
                    .map(|d| serde_json::to_value(d).unwrap_or_default()),
            ),
        }
    }
    if format == Format::Json {
        println!("{}", serde_json::Value::Array(json));
    }
    u8::from(any_error)
}
