//! Unit tests of the runtime core that cross modules: the safety monitor behind a robot, the host
//! functions called directly, episodes of hand-written "compiled" functions, and traces.

mod episode;
mod host;
mod module;
mod safety;
mod trace;
