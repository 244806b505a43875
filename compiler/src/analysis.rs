//! The IDE API: what the language server asks of the compiler. Plain functions over a `World`, so they
//! can be tested without an editor.

use crate::diagnostic::Diagnostic;
use crate::world::World;

/// Every diagnostic of the program: syntax, names, types and units.
pub fn diagnostics(world: &dyn World) -> Vec<Diagnostic> {
    crate::check::check(world).diagnostics
}
