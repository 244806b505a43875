//! The registry of native functions: the Rust implementations behind `extern` items, looked up by
//! the key the checker prints (`std::prelude::move_linear(Arm,Pose,Speed)`).
//!
//! A native receives its arguments as ABI slots (f64 as bits, handles into the heap) and returns
//! one slot (0 for `()`), or a plain [`Fault`]; the runtime adds the skill stack.

use crate::backend::{Command, Reply};
use crate::fault::Fault;
use crate::robot::Robot;
use crate::value::Heap;
use std::collections::BTreeMap;

pub type NativeFn = fn(&mut NativeCx<'_>, &[u64]) -> Result<u64, Fault>;

/// Natives by key.
#[derive(Clone, Debug, Default)]
pub struct Natives {
    map: BTreeMap<String, NativeFn>,
}

impl Natives {
    pub fn new() -> Natives {
        Natives::default()
    }

    /// Register (or replace) the native for `key`.
    pub fn register(&mut self, key: &str, f: NativeFn) {
        self.map.insert(key.to_string(), f);
    }

    pub fn get(&self, key: &str) -> Option<NativeFn> {
        self.map.get(key).copied()
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

/// How many parameters a key declares: `m::f(A,[B],C)` has 3, `m::f()` has 0. `None` when the
/// key has no parameter list.
pub fn key_arity(key: &str) -> Option<usize> {
    let open = key.find('(')?;
    let inner = key.get(open + 1..)?.strip_suffix(')')?;
    if inner.trim().is_empty() {
        return Some(0);
    }
    let mut depth = 0i32;
    let mut count = 1;
    for c in inner.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ',' if depth == 0 => count += 1,
            _ => {}
        }
    }
    Some(count)
}

/// What a native may touch: the episode's heap, its robot and its log.
pub struct NativeCx<'a> {
    heap: &'a mut Heap,
    robot: &'a mut Robot,
    log: &'a mut Vec<String>,
}

impl<'a> NativeCx<'a> {
    pub fn new(heap: &'a mut Heap, robot: &'a mut Robot, log: &'a mut Vec<String>) -> NativeCx<'a> {
        NativeCx { heap, robot, log }
    }

    pub fn heap(&mut self) -> &mut Heap {
        self.heap
    }

    pub fn robot(&mut self) -> &mut Robot {
        self.robot
    }

    /// Both at once, for natives that read a handle and query the backend.
    pub fn parts(&mut self) -> (&mut Heap, &mut Robot) {
        (self.heap, self.robot)
    }

    /// Send a command through the safety monitor to the backend.
    pub fn execute(&mut self, command: Command) -> Result<Reply, Fault> {
        self.robot.execute(command)
    }

    /// Append a line to the run's log and trace.
    pub fn log(&mut self, msg: &str) {
        self.robot.log(msg);
        self.log.push(msg.to_string());
    }
}

/// The f64 in an ABI slot.
pub fn real(slot: u64) -> f64 {
    f64::from_bits(slot)
}

/// An f64 as an ABI slot.
pub fn slot(v: f64) -> u64 {
    v.to_bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arity_counts_top_level_parameters() {
        assert_eq!(key_arity("std::prelude::move_linear(Arm,Pose,Speed)"), Some(3));
        assert_eq!(key_arity("std::prelude::move_joint(Arm,[Angle],Real)"), Some(3));
        assert_eq!(key_arity("m::f([[kg/s^2]],Int)"), Some(2));
        assert_eq!(key_arity("m::f()"), Some(0));
        assert_eq!(key_arity("m::f"), None);
    }
}
