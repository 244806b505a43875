//! The Deft runtime: ABI, module loading, values, faults, safety monitor, trace, backends and the simulator.
