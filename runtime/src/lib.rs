//! The Deft runtime: the ABI, module loading, values, the fault model, the safety monitor, traces,
//! the `Backend` trait and the built-in simulator.

pub mod abi;
