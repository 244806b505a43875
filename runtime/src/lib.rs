//! The Deft runtime: the ABI, module loading, values, the fault model, the safety monitor, traces,
//! the `Backend` trait and the built-in simulator.

pub mod abi;
pub mod backend;
pub mod batch;
pub mod episode;
pub mod fault;
pub mod format;
pub mod host;
pub mod module;
pub mod natives;
pub mod robot;
pub mod safety;
pub mod sim;
pub mod testing;
pub mod trace;
pub mod value;

pub use backend::{Backend, Command, ObjectKind, ObjectRef, Pose, Reply};
pub use fault::{Fault, FaultKind};
/// Re-exported so that natives outside this crate use the same geometry types.
pub use nalgebra;

#[cfg(test)]
mod tests;
