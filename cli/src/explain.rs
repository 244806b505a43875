//! `deft explain CODE`: print the long explanation of a diagnostic code from `docs/diagnostics.md`.

use deft_compiler::explain;

/// Print the section for `code` on stdout (exit 0); for an unknown code, name the nearest codes on
/// stderr (exit 2, a usage error).
pub fn explain(code: &str) -> u8 {
    if let Some(text) = explain::explain(code) {
        println!("{text}");
        return 0;
    }
    let near = explain::nearest_codes(code, 3);
    eprintln!("error: no diagnostic code `{code}`; the nearest codes are {}", near.join(", "));
    eprintln!("  = help: every code is listed in docs/diagnostics.md");
    2
}
