//! The Deft runtime: the ABI, module loading, values, the fault model, the safety monitor, traces,
//! the `Backend` trait and the built-in simulator.

pub mod abi;
pub mod backend;
pub mod fault;

pub use backend::{Backend, Command, ObjectKind, ObjectRef, Pose, Reply};
pub use fault::{Fault, FaultKind};
