//! The host side of the ABI: the per-episode context that generated code receives as `*mut Ctx`,
//! and [`HOST`], the table of `extern "C"` functions it calls.
//!
//! Faults: a host function that returns a status raises by setting the pending fault and
//! returning nonzero. One that cannot return a status (`str_concat`, `record_get`, ...) defers:
//! it sets the pending fault and returns 0, and every status-returning function (`enter`,
//! `call_native`, `poll`, `list_set`, ...) reports a pending fault first, so a deferred fault
//! surfaces at the next checked step, and at the latest when the skill returns.
//!
//! Every host function catches panics (unwinding across `extern "C"` is undefined behaviour) and
//! turns them into a `Hardware` fault.

use crate::abi::{Ctx, Direct, Manifest, POLL_EVERY};
use crate::fault::{Fault, FaultKind};
use crate::format::{format_quantity, format_real};
use crate::natives::{NativeCx, NativeFn};
use crate::robot::Robot;
use crate::safety::{ActiveLimit, LimitKind};
use crate::value::{Heap, Value};

mod table;

pub use table::HOST;

/// Bounds that stop a runaway program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpisodeLimits {
    /// Nested calls deeper than this fail with `Stopped`.
    pub max_depth: usize,
    /// Loop back-edges (`poll` calls) beyond this fail with `Stopped`.
    pub max_polls: u64,
    /// Heap values beyond this fail with `Stopped` at the next call or back-edge: the heap never
    /// frees during an episode, so a loop that builds strings must not exhaust the machine.
    pub max_values: usize,
}

impl Default for EpisodeLimits {
    fn default() -> EpisodeLimits {
        EpisodeLimits { max_depth: 256, max_polls: 100_000_000, max_values: 10_000_000 }
    }
}

/// A function on the call stack, with the depths of the `within` and `limits` stacks when it
/// was entered: leaving it drops whatever it pushed, even on a fault path.
#[derive(Clone, Copy, Debug)]
struct Frame {
    func: u32,
    deadlines: usize,
    limits: usize,
}

/// Everything one running episode owns. Generated code sees it as `*mut Ctx`, and reads only its
/// first field (`repr(C)` keeps it first).
#[repr(C)]
pub struct Episode {
    /// The heap's `Direct` block, for generated code.
    direct: *mut Direct,
    heap: Heap,
    pending: Option<Fault>,
    stack: Vec<Frame>,
    /// Manifest functions: name and whether it is a skill (only skills appear in fault stacks).
    functions: Vec<(String, bool)>,
    natives: Vec<(NativeFn, usize)>,
    cell: Vec<u64>,
    strings: Vec<String>,
    /// Heap handles of the string constants, made on first use (0 = not yet).
    string_handles: Vec<u64>,
    robot: Robot,
    log: Vec<String>,
    /// Back-edges paid for so far: the ones taken, plus the fuel generated code has not used yet.
    polls: u64,
    limits: EpisodeLimits,
}

impl Episode {
    /// An episode of `manifest`'s module; `natives` are resolved in manifest order with arity.
    pub fn new(manifest: &Manifest, natives: Vec<(NativeFn, usize)>, robot: Robot, limits: EpisodeLimits) -> Episode {
        let heap = Heap::new();
        Episode {
            direct: heap.direct(),
            heap,
            pending: None,
            stack: Vec::new(),
            functions: manifest.functions.iter().map(|f| (f.name.clone(), f.kind == "skill")).collect(),
            natives,
            cell: Vec::new(),
            strings: manifest.strings.clone(),
            string_handles: vec![0; manifest.strings.len()],
            robot,
            log: Vec::new(),
            polls: 0,
            limits,
        }
    }

    pub fn heap(&self) -> &Heap {
        &self.heap
    }

    pub fn heap_mut(&mut self) -> &mut Heap {
        &mut self.heap
    }

    pub fn robot(&self) -> &Robot {
        &self.robot
    }

    pub fn robot_mut(&mut self) -> &mut Robot {
        &mut self.robot
    }

    /// Set the handles `cell_get` returns, in manifest order.
    pub fn bind_cell(&mut self, handles: Vec<u64>) {
        self.cell = handles;
    }

    pub fn pending(&self) -> Option<&Fault> {
        self.pending.as_ref()
    }

    pub fn take_pending(&mut self) -> Option<Fault> {
        self.pending.take()
    }

    pub fn log(&self) -> &[String] {
        &self.log
    }

    /// The skills on the call stack, outermost first.
    pub fn skill_stack(&self) -> Vec<String> {
        self.stack
            .iter()
            .filter_map(|f| self.functions.get(f.func as usize))
            .filter(|(_, is_skill)| *is_skill)
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// The pointer generated code receives.
    pub fn as_ctx(&mut self) -> *mut Ctx {
        (self as *mut Episode).cast::<Ctx>()
    }

    /// The episode's robot and log, when it is over.
    pub fn finish(self) -> (Robot, Vec<String>, Option<Fault>) {
        (self.robot, self.log, self.pending)
    }

    /// Make `fault` pending, with the current skill stack unless it already has one; the first
    /// pending fault wins, since a later one is usually its consequence. Returns the status 1.
    pub fn raise(&mut self, mut fault: Fault) -> u32 {
        if self.pending.is_none() {
            if fault.skills.is_empty() {
                fault.skills = self.skill_stack();
            }
            self.pending = Some(fault);
        }
        1
    }

    fn status(&self) -> Option<u32> {
        self.pending.is_some().then_some(1)
    }

    /// A `Stopped` fault once the heap holds more values than allowed.
    fn check_heap(&mut self) -> Option<u32> {
        (self.heap.len() > self.limits.max_values).then(|| {
            let msg = format!("stopped: the episode made more than {} values", self.limits.max_values);
            self.raise(Fault::new(FaultKind::Stopped, msg))
        })
    }

    fn enter(&mut self, func: u32) -> u32 {
        if let Some(s) = self.status() {
            return s;
        }
        if func as usize >= self.functions.len() {
            return self.raise(hardware(format!("enter of function {func}, which the manifest does not list")));
        }
        if let Some(s) = self.check_heap() {
            return s;
        }
        if self.stack.len() >= self.limits.max_depth {
            let msg = format!("recursion deeper than {}", self.limits.max_depth);
            return self.raise(Fault::new(FaultKind::Stopped, msg));
        }
        let frame = Frame { func, deadlines: self.robot.deadline_depth(), limits: self.robot.monitor().depth() };
        self.stack.push(frame);
        0
    }

    fn leave(&mut self) {
        if let Some(frame) = self.stack.pop() {
            self.robot.truncate_deadlines(frame.deadlines);
            self.robot.monitor_mut().truncate(frame.limits);
        }
    }

    fn call_native(&mut self, native: u32, args: *const u64, ret: *mut u64) -> u32 {
        if let Some(s) = self.status() {
            return s;
        }
        let Some(&(f, arity)) = self.natives.get(native as usize) else {
            return self.raise(hardware(format!("call of native {native}, which the manifest does not list")));
        };
        let args: &[u64] = if arity == 0 {
            &[]
        } else if args.is_null() {
            return self.raise(hardware("native called without its arguments".to_string()));
        } else {
            // SAFETY: generated code passes one slot per parameter of the native's key.
            unsafe { std::slice::from_raw_parts(args, arity) }
        };
        let mut cx = NativeCx::new(&mut self.heap, &mut self.robot, &mut self.log);
        match f(&mut cx, args) {
            Ok(v) => {
                if !ret.is_null() {
                    // SAFETY: `ret` points at the caller's result slot.
                    unsafe { ret.write(v) };
                }
                0
            }
            Err(fault) => self.raise(fault),
        }
    }

    fn raise_kind(&mut self, kind: u32, message: u64) -> u32 {
        let fault = match (FaultKind::from_index(kind), self.heap.str(message)) {
            (Some(kind), Ok(msg)) => Fault::new(kind, msg),
            (None, _) => hardware(format!("raise of unknown fault kind {kind}")),
            (_, Err(f)) => f,
        };
        self.raise(fault)
    }

    fn reraise(&mut self, fault: u64) -> u32 {
        let fault = match self.heap.fault(fault) {
            Ok(f) => f.clone(),
            Err(f) => f,
        };
        self.raise(fault)
    }

    fn take_fault(&mut self) -> u64 {
        let fault = self.pending.take().unwrap_or_else(|| {
            let mut f = hardware("a recover block was entered with no fault pending".to_string());
            f.skills = self.skill_stack();
            f
        });
        self.heap.alloc(Value::Fault(fault))
    }

    /// A back-edge that found no fuel left: every earlier back-edge paid for has been taken, so the
    /// count is exact when the limit is checked. Refills the fuel for the next `POLL_EVERY - 1`.
    fn poll(&mut self) -> u32 {
        if let Some(s) = self.status() {
            return s;
        }
        if let Some(s) = self.check_heap() {
            return s;
        }
        self.polls = self.polls - self.heap.fuel() + 1;
        self.heap.set_fuel(0);
        if self.polls > self.limits.max_polls {
            let msg = format!("stopped after {} loop iterations (a loop that never ends?)", self.limits.max_polls);
            return self.raise(Fault::new(FaultKind::Stopped, msg));
        }
        let fuel = (POLL_EVERY - 1).min(self.limits.max_polls - self.polls);
        self.heap.set_fuel(fuel);
        self.polls += fuel;
        0
    }

    fn set_poll_status(&mut self, status: u32) {
        self.heap.set_poll_status(status);
    }

    fn str_const(&mut self, id: u32) -> u64 {
        let i = id as usize;
        match self.string_handles.get(i) {
            Some(&0) => {
                let h = self.heap.alloc_str(self.strings[i].clone());
                self.string_handles[i] = h;
                h
            }
            Some(&h) => h,
            None => self.defer(hardware(format!("string constant {id}, which the manifest does not list"))),
        }
    }

    /// Raise a fault from a host function that has no status to return; returns the null handle.
    fn defer(&mut self, fault: Fault) -> u64 {
        self.raise(fault);
        0
    }

    /// A host function's result, or a deferred fault and the null handle.
    fn or_defer(&mut self, r: Result<u64, Fault>) -> u64 {
        r.unwrap_or_else(|f| self.defer(f))
    }

    fn str_concat(&mut self, a: u64, b: u64) -> u64 {
        let s = self.heap.str(a).and_then(|a| Ok(format!("{a}{}", self.heap.str(b)?)));
        let r = s.map(|s| self.heap.alloc_str(s));
        self.or_defer(r)
    }

    fn str_eq(&mut self, a: u64, b: u64) -> u64 {
        let r = self.heap.str(a).and_then(|a| Ok(u64::from(a == self.heap.str(b)?)));
        self.or_defer(r)
    }

    fn fmt_quantity(&mut self, v: f64, unit: u32, scale: f64) -> u64 {
        match self.strings.get(unit as usize) {
            Some(u) => {
                let s = format_quantity(v, u, scale);
                self.heap.alloc_str(s)
            }
            None => self.defer(hardware(format!("unit string {unit}, which the manifest does not list"))),
        }
    }

    fn list_push(&mut self, list: u64, v: u64) {
        if let Err(f) = self.heap.list_push(list, v) {
            self.defer(f);
        }
    }

    fn list_len(&mut self, list: u64) -> i64 {
        match self.heap.list(list) {
            Ok(l) => l.len() as i64,
            Err(f) => {
                self.defer(f);
                0
            }
        }
    }

    /// Generated code's inline list access failed its check: raise what went wrong.
    fn list_fault(&mut self, list: u64, index: i64) -> u32 {
        let fault = match self.heap.list(list).and_then(|l| checked_index(index, l.len())) {
            Err(f) => f,
            Ok(_) => hardware(format!("list handle {list} at index {index} failed its inline check while in bounds")),
        };
        self.raise(fault)
    }

    fn list_set(&mut self, list: u64, index: i64, v: u64, out: *mut u64) -> u32 {
        if let Some(s) = self.status() {
            return s;
        }
        let copy = self.heap.list(list).and_then(|l| {
            let i = checked_index(index, l.len())?;
            let mut copy = l.to_vec();
            copy[i] = v;
            Ok(copy)
        });
        match copy {
            Ok(copy) => {
                let h = self.heap.alloc(Value::List(copy));
                write_out(out, h)
            }
            Err(f) => self.raise(f),
        }
    }

    fn list_concat(&mut self, a: u64, b: u64) -> u64 {
        let joined = self.heap.list(a).and_then(|a| Ok([a, self.heap.list(b)?].concat()));
        let r = joined.map(|l| self.heap.alloc(Value::List(l)));
        self.or_defer(r)
    }

    fn record_get(&mut self, record: u64, index: u32) -> u64 {
        let r = self.heap.record(record).and_then(|r| {
            r.get(index as usize).copied().ok_or_else(|| hardware(format!("record field {index} out of range")))
        });
        self.or_defer(r)
    }

    fn record_set(&mut self, record: u64, index: u32, v: u64) {
        let r = self.heap.record_mut(record).and_then(|r| match r.get_mut(index as usize) {
            Some(slot) => {
                *slot = v;
                Ok(())
            }
            None => Err(hardware(format!("record field {index} out of range"))),
        });
        if let Err(f) = r {
            self.defer(f);
        }
    }

    fn cell_get(&mut self, index: u32) -> u64 {
        match self.cell.get(index as usize) {
            Some(&h) => h,
            None => self.defer(hardware(format!("cell entry {index}, which the manifest does not list"))),
        }
    }

    fn within_push(&mut self, seconds: f64) -> u32 {
        if let Some(s) = self.status() {
            return s;
        }
        if !(seconds >= 0.0 && seconds.is_finite()) {
            let msg = format!("within {} s: the time must be a finite, non-negative duration", format_real(seconds));
            return self.raise(Fault::new(FaultKind::Ensure, msg));
        }
        self.robot.push_deadline(seconds);
        0
    }

    fn limits_push(&mut self, kind: u32, value: f64) -> u32 {
        if let Some(s) = self.status() {
            return s;
        }
        let Some(kind) = LimitKind::from_index(kind) else {
            return self.raise(hardware(format!("limits of unknown kind {kind}")));
        };
        if !(value >= 0.0 && value.is_finite()) {
            let msg = format!("limits({kind:?} <= {}): a limit must be finite and not negative", format_real(value));
            return self.raise(Fault::new(FaultKind::Ensure, msg));
        }
        let skill = self.skill_stack().pop().unwrap_or_else(|| "(top level)".to_string());
        self.robot.monitor_mut().push(ActiveLimit { kind, value, skill });
        0
    }
}

fn hardware(message: String) -> Fault {
    Fault::new(FaultKind::Hardware, message)
}

fn checked_index(index: i64, len: usize) -> Result<usize, Fault> {
    usize::try_from(index)
        .ok()
        .filter(|i| *i < len)
        .ok_or_else(|| Fault::new(FaultKind::Ensure, format!("index {index} out of bounds for a list of length {len}")))
}

fn write_out(out: *mut u64, v: u64) -> u32 {
    if !out.is_null() {
        // SAFETY: `out` points at the caller's result slot.
        unsafe { out.write(v) };
    }
    0
}
