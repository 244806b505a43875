//! The source hash recorded in a module's manifest: which sources a module was built from.

use crate::world::World;
use sha2::{Digest, Sha256};

/// SHA-256 (hex) over every file of the world, in file order: path, a NUL, text, a NUL.
pub fn source_hash(world: &dyn World) -> String {
    let mut hasher = Sha256::new();
    for file in world.files() {
        hasher.update(world.path(file).as_bytes());
        hasher.update([0]);
        hasher.update(world.source(file).as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
