//! Host functions called directly, as generated code would call them.

use crate::abi::{ABI_VERSION, Ctx, Manifest, ManifestFunction, ManifestNative};
use crate::fault::{Fault, FaultKind};
use crate::host::{Episode, EpisodeLimits, HOST};
use crate::natives::{NativeCx, NativeFn, real, slot};
use crate::robot::Robot;
use crate::testing::FakeBackend;
use crate::value::Value;

pub fn function(name: &str, kind: &str) -> ManifestFunction {
    ManifestFunction {
        name: name.to_string(),
        kind: kind.to_string(),
        symbol: format!("deft_{name}"),
        exported: true,
        params: Vec::new(),
        ret: "()".to_string(),
        effects: Vec::new(),
    }
}

/// A manifest with skills `assemble`, `fasten_all`, fn `helper`, skill `fasten_one`; strings
/// `"mm"`, `"boom"`; one native `test::wait(Time)`.
pub fn manifest() -> Manifest {
    Manifest {
        abi_version: ABI_VERSION,
        compiler_version: "test".to_string(),
        source_hash: String::new(),
        source_path: None,
        functions: vec![
            function("assemble", "skill"),
            function("fasten_all", "skill"),
            function("helper", "fn"),
            function("fasten_one", "skill"),
        ],
        natives: vec![ManifestNative { key: "test::wait(Time)".to_string(), skill: true, ret: "()".to_string() }],
        cell: Vec::new(),
        strings: vec!["mm".to_string(), "boom".to_string()],
        structs: Vec::new(),
        tests: Vec::new(),
    }
}

fn wait(cx: &mut NativeCx<'_>, args: &[u64]) -> Result<u64, Fault> {
    cx.execute(crate::backend::Command::Wait { seconds: real(args[0]) })?;
    Ok(0)
}

pub fn episode_with(limits: EpisodeLimits) -> Episode {
    let (backend, _) = FakeBackend::standard();
    let natives: Vec<(NativeFn, usize)> = vec![(wait, 1)];
    Episode::new(&manifest(), natives, Robot::new(Box::new(backend), false), limits)
}

pub fn episode() -> Episode {
    episode_with(EpisodeLimits::default())
}

fn text(ep: &Episode, h: u64) -> String {
    ep.heap().str(h).map(str::to_string).unwrap_or_else(|f| format!("<{f}>"))
}

#[test]
fn strings_concatenate_compare_and_format() {
    let mut ep = episode();
    let ctx: *mut Ctx = ep.as_ctx();
    unsafe {
        let mm = (HOST.str_const)(ctx, 0);
        assert_eq!((HOST.str_const)(ctx, 0), mm, "constants are made once");
        let n = (HOST.fmt_int)(ctx, -42);
        let joined = (HOST.str_concat)(ctx, n, mm);
        assert_eq!(text(&ep, joined), "-42mm");
        let again = (HOST.str_concat)(ctx, n, mm);
        assert_eq!((HOST.str_eq)(ctx, joined, again), 1);
        assert_eq!((HOST.str_eq)(ctx, joined, mm), 0);
        assert_eq!(text(&ep, (HOST.fmt_real)(ctx, 0.1 + 0.2)), "0.3");
        assert_eq!(text(&ep, (HOST.fmt_bool)(ctx, 1)), "true");
        assert_eq!(text(&ep, (HOST.fmt_quantity)(ctx, 0.00027, 0, 0.001)), "0.27 mm");
    }
    assert!(ep.pending().is_none());
}

#[test]
fn list_bounds_raise_an_ensure_fault() {
    let mut ep = episode();
    let ctx = ep.as_ctx();
    let mut out = 0u64;
    unsafe {
        let list = (HOST.list_new)(ctx, 3);
        for v in [10, 20, 30] {
            (HOST.list_push)(ctx, list, v);
        }
        assert_eq!((HOST.list_len)(ctx, list), 3);
        assert_eq!((HOST.list_set)(ctx, list, 2, 99, &mut out), 0);
        let copy = out;
        let both = (HOST.list_concat)(ctx, list, copy);
        assert_eq!((HOST.list_len)(ctx, both), 6);
        assert_eq!(ep.heap().list(copy).unwrap(), [10, 20, 99]);
        assert_eq!(ep.heap().list(list).unwrap(), [10, 20, 30], "list_set copies");
        assert_eq!((HOST.list_fault)(ctx, list, 5), 1);
    }
    let fault = ep.take_pending().unwrap();
    assert_eq!(fault.kind, FaultKind::Ensure);
    assert_eq!(fault.message, "index 5 out of bounds for a list of length 3");
    unsafe {
        let list = (HOST.list_new)(ctx, 0);
        assert_eq!((HOST.list_set)(ctx, list, -1, 0, &mut out), 1);
    }
    assert_eq!(ep.take_pending().unwrap().message, "index -1 out of bounds for a list of length 0");
    unsafe {
        let text = (HOST.fmt_int)(ctx, 7);
        assert_eq!((HOST.list_fault)(ctx, text, 0), 1);
    }
    let fault = ep.take_pending().unwrap();
    assert!(fault.message.contains("expected a list, found a String"), "{}", fault.message);
}

#[test]
fn records_are_zero_filled_and_settable() {
    let mut ep = episode();
    let ctx = ep.as_ctx();
    unsafe {
        let r = (HOST.record_new)(ctx, 2);
        assert_eq!((HOST.record_get)(ctx, r, 1), 0);
        (HOST.record_set)(ctx, r, 0, slot(2.5));
        assert_eq!(real((HOST.record_get)(ctx, r, 0)), 2.5);
        assert!(ep.pending().is_none());
        (HOST.record_get)(ctx, r, 7);
    }
    assert_eq!(ep.take_pending().unwrap().kind, FaultKind::Hardware);
}

#[test]
fn a_bad_handle_defers_a_fault_to_the_next_checked_step() {
    let mut ep = episode();
    let ctx = ep.as_ctx();
    unsafe {
        assert_eq!((HOST.str_concat)(ctx, 12345, 0), 0);
        assert_eq!((HOST.poll)(ctx), 1, "the deferred fault surfaces");
    }
    let fault = ep.take_pending().unwrap();
    assert_eq!(fault.kind, FaultKind::Hardware);
    assert!(fault.message.starts_with("invalid value handle 12345"), "{}", fault.message);
}

#[test]
fn raised_faults_record_the_skill_stack_outermost_first_without_fns() {
    let mut ep = episode();
    let ctx = ep.as_ctx();
    unsafe {
        assert_eq!((HOST.enter)(ctx, 0), 0);
        assert_eq!((HOST.enter)(ctx, 1), 0);
        assert_eq!((HOST.enter)(ctx, 2), 0);
        let msg = (HOST.str_const)(ctx, 1);
        assert_eq!((HOST.raise)(ctx, FaultKind::User as u32, msg), 1);
        (HOST.leave)(ctx);
        (HOST.leave)(ctx);
    }
    assert_eq!(ep.skill_stack(), vec!["assemble"]);
    unsafe {
        // `recover` takes the fault as a value; `fail e` raises it again with its original stack.
        let f = (HOST.take_fault)(ctx);
        assert!(ep.pending().is_none());
        match ep.heap().get(f) {
            Some(Value::Fault(fault)) => {
                assert_eq!(fault.kind, FaultKind::User);
                assert_eq!(fault.message, "boom");
                assert_eq!(fault.skills, vec!["assemble", "fasten_all"]);
            }
            other => panic!("not a fault: {other:?}"),
        }
        assert_eq!((HOST.enter)(ctx, 3), 0);
        assert_eq!((HOST.reraise)(ctx, f), 1);
        (HOST.leave)(ctx);
        (HOST.leave)(ctx);
    }
    assert_eq!(ep.take_pending().unwrap().skills, vec!["assemble", "fasten_all"]);
    assert!(ep.skill_stack().is_empty());
}

#[test]
fn native_faults_get_the_stack_and_unknown_kinds_are_hardware() {
    let mut ep = episode();
    let ctx = ep.as_ctx();
    let args = [slot(f64::NAN)];
    let mut ret = 0;
    unsafe {
        (HOST.enter)(ctx, 0);
        assert_eq!((HOST.call_native)(ctx, 0, args.as_ptr(), &mut ret), 1);
    }
    let fault = ep.take_pending().unwrap();
    assert_eq!(fault.kind, FaultKind::LimitExceeded, "a NaN wait is refused by the monitor");
    assert_eq!(fault.skills, vec!["assemble"]);
    unsafe {
        assert_eq!((HOST.call_native)(ctx, 9, args.as_ptr(), &mut ret), 1);
        assert_eq!(ep.take_pending().unwrap().kind, FaultKind::Hardware);
        let msg = (HOST.str_const)(ctx, 1);
        assert_eq!((HOST.raise)(ctx, 99, msg), 1);
        assert_eq!(ep.take_pending().unwrap().message, "raise of unknown fault kind 99");
        assert_eq!((HOST.div_zero)(ctx), 1);
        assert_eq!(ep.take_pending().unwrap().kind, FaultKind::Ensure);
    }
}

#[test]
fn recursion_is_bounded() {
    let mut ep = episode_with(EpisodeLimits { max_depth: 5, max_polls: 10, max_values: 1000 });
    let ctx = ep.as_ctx();
    unsafe {
        for _ in 0..5 {
            assert_eq!((HOST.enter)(ctx, 3), 0);
        }
        assert_eq!((HOST.enter)(ctx, 3), 1);
    }
    let fault = ep.take_pending().unwrap();
    assert_eq!(fault.kind, FaultKind::Stopped);
    assert_eq!(fault.message, "recursion deeper than 5");
    assert_eq!(fault.skills.len(), 5);
}

#[test]
fn a_runaway_loop_is_stopped() {
    let mut ep = episode_with(EpisodeLimits { max_depth: 5, max_polls: 10, max_values: 1000 });
    let ctx = ep.as_ctx();
    let statuses: Vec<u32> = (0..11).map(|_| unsafe { (HOST.poll)(ctx) }).collect();
    assert_eq!(statuses[..10], [0; 10]);
    assert_eq!(statuses[10], 1);
    assert_eq!(ep.take_pending().unwrap().kind, FaultKind::Stopped);
}

/// Generated code spends the fuel `poll` grants without calling it; the loop must still stop after
/// exactly `max_polls` back-edges, and `poll` must run at least once per `POLL_EVERY`.
#[test]
fn fuel_counts_back_edges_exactly() {
    let max = 3 * crate::abi::POLL_EVERY + 5;
    let mut ep = episode_with(EpisodeLimits { max_depth: 5, max_polls: max, max_values: 1000 });
    let ctx = ep.as_ctx();
    let direct = ep.heap().direct();
    let (mut edges, mut polls, mut longest, mut since) = (0u64, 0u64, 0u64, 0u64);
    loop {
        edges += 1;
        // SAFETY: `direct` belongs to the live episode; this stands in for generated code.
        let fuel = unsafe { (*direct).fuel };
        if fuel > 0 {
            unsafe { (*direct).fuel = fuel - 1 };
            since += 1;
            continue;
        }
        polls += 1;
        longest = longest.max(since);
        since = 0;
        if unsafe { (HOST.poll)(ctx) } != 0 {
            break;
        }
    }
    assert_eq!(edges, max + 1, "the back-edge after the last one allowed is stopped");
    assert!(longest < crate::abi::POLL_EVERY, "{longest} back-edges without a poll");
    assert_eq!(polls, 5, "one poll per POLL_EVERY back-edges, plus the one that stops");
    let fault = ep.take_pending().unwrap();
    assert_eq!(fault.message, format!("stopped after {max} loop iterations (a loop that never ends?)"));
}

/// `poll_preserving` is `poll` that reports through the `Direct` block; callable as a plain
/// function too, since it preserves more than the C ABI asks.
#[test]
fn poll_preserving_writes_its_status_to_the_direct_block() {
    let mut ep = episode_with(EpisodeLimits { max_depth: 5, max_polls: 2, max_values: 1000 });
    let ctx = ep.as_ctx();
    let statuses: Vec<u64> = (0..3)
        .map(|_| {
            unsafe { (HOST.poll_preserving)(ctx) };
            ep.heap().poll_status()
        })
        .collect();
    assert_eq!(statuses, [0, 0, 1]);
    assert_eq!(ep.take_pending().unwrap().kind, FaultKind::Stopped);
}

#[test]
fn within_deadline_raises_timeout() {
    let mut ep = episode();
    let ctx = ep.as_ctx();
    let mut ret = 0;
    unsafe {
        (HOST.enter)(ctx, 0);
        assert_eq!((HOST.within_push)(ctx, 4.0), 0);
        let three = [slot(3.0)];
        assert_eq!((HOST.call_native)(ctx, 0, three.as_ptr(), &mut ret), 0);
        let two = [slot(2.0)];
        assert_eq!((HOST.call_native)(ctx, 0, two.as_ptr(), &mut ret), 1);
    }
    let fault = ep.take_pending().unwrap();
    assert_eq!(fault.kind, FaultKind::Timeout);
    assert_eq!(fault.message, "within 4 s exceeded at t=5 s");
    assert_eq!(fault.skills, vec!["assemble"]);
    unsafe {
        (HOST.within_pop)(ctx);
        let one = [slot(1.0)];
        assert_eq!((HOST.call_native)(ctx, 0, one.as_ptr(), &mut ret), 0, "popped deadlines no longer apply");
    }
}

#[test]
fn leaving_a_skill_drops_its_deadlines_and_limits() {
    let mut ep = episode();
    let ctx = ep.as_ctx();
    unsafe {
        (HOST.enter)(ctx, 1);
        assert_eq!((HOST.limits_push)(ctx, 0, 0.25), 0);
        assert_eq!((HOST.within_push)(ctx, 1.0), 0);
        // A fault path: the generated code leaves without popping.
        (HOST.leave)(ctx);
    }
    assert_eq!(ep.robot().monitor().depth(), 0);
    assert_eq!(ep.robot().deadline_depth(), 0);
    unsafe {
        (HOST.enter)(ctx, 1);
        assert_eq!((HOST.limits_push)(ctx, 0, 0.25), 0);
    }
    assert_eq!(ep.robot().monitor().active()[0].skill, "fasten_all");
    unsafe {
        assert_eq!((HOST.limits_push)(ctx, 7, 1.0), 1);
    }
    assert_eq!(ep.take_pending().unwrap().kind, FaultKind::Hardware);
}

#[test]
fn the_host_table_matches_the_abi() {
    assert_eq!(HOST.abi_version, u64::from(ABI_VERSION));
    assert_eq!(std::mem::size_of::<crate::abi::HostApi>(), 8 * crate::abi::HOST_API_SLOTS.len());
}

#[test]
fn a_heap_that_grows_without_bound_is_stopped() {
    let mut ep = episode_with(EpisodeLimits { max_depth: 5, max_polls: 1000, max_values: 10 });
    let ctx = ep.as_ctx();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        unsafe {
            (HOST.fmt_int)(ctx, 1);
            statuses.push((HOST.poll)(ctx));
        }
    }
    assert_eq!(statuses[..10], [0; 10]);
    assert_eq!(statuses[10], 1);
    let fault = ep.take_pending().unwrap();
    assert_eq!(
        (fault.kind, fault.message.as_str()),
        (FaultKind::Stopped, "stopped: the episode made more than 10 values")
    );
}

fn panicking(_: &mut NativeCx<'_>, _: &[u64]) -> Result<u64, Fault> {
    panic!("a bug in a native")
}

#[test]
fn a_panicking_native_becomes_a_hardware_fault() {
    let (backend, _) = FakeBackend::standard();
    let natives: Vec<(NativeFn, usize)> = vec![(panicking, 0)];
    let robot = Robot::new(Box::new(backend), false);
    let mut ep = Episode::new(&manifest(), natives, robot, EpisodeLimits::default());
    let ctx = ep.as_ctx();
    let mut ret = 0;
    assert_eq!(unsafe { (HOST.call_native)(ctx, 0, std::ptr::null(), &mut ret) }, 1);
    let fault = ep.take_pending().unwrap();
    assert_eq!(fault.kind, FaultKind::Hardware);
    assert_eq!(fault.message, "internal runtime error in host function call_native: a bug in a native");
}
