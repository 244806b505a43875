//! The trace on its own: same commands, same bytes; one line per event.

use crate::backend::{Command, ObjectKind, ObjectRef, Pose};
use crate::robot::Robot;
use crate::testing::FakeBackend;

fn run_sequence() -> Vec<u8> {
    let (backend, _) = FakeBackend::standard();
    let mut robot = Robot::new(Box::new(backend), true);
    let arm = ObjectRef { kind: ObjectKind::Arm, index: 0 };
    let gripper = ObjectRef { kind: ObjectKind::Gripper, index: 0 };
    let part = ObjectRef { kind: ObjectKind::Part, index: 0 };
    let rotated =
        Pose::new(nalgebra::Vector3::new(0.4, 0.2, 0.1), nalgebra::Vector3::new(std::f64::consts::PI, 0.0, 0.3));
    for command in [
        Command::MoveTo { arm, target: rotated, speed: 0.5 },
        Command::Grasp { gripper, part, force: 40.0 },
        Command::MoveLinear { arm, target: Pose::translation(0.4, 0.2, 0.3), speed: 0.25 },
        Command::MoveJoint { arm, q: vec![0.0, -1.57, 1.57, 0.0, 0.0, 0.0], speed: 2.0 },
        Command::Release { gripper },
    ] {
        let _ = robot.execute(command);
    }
    robot.log("done");
    robot.take_trace().map(|t| t.into_bytes()).unwrap_or_default()
}

#[test]
fn same_sequence_gives_identical_bytes() {
    let a = run_sequence();
    assert!(!a.is_empty());
    assert_eq!(a, run_sequence());
}

#[test]
fn events_carry_arm_state_and_results() {
    let text = String::from_utf8(run_sequence()).unwrap();
    let events: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 6);
    let seqs: Vec<u64> = events.iter().filter_map(|e| e["seq"].as_u64()).collect();
    assert_eq!(seqs, [0, 1, 2, 3, 4, 5]);
    assert_eq!(events[1]["command"], "grasp");
    assert_eq!(events[1]["args"]["part"], "housing");
    assert_eq!(events[1]["held"], "housing");
    assert_eq!(events[2]["held"], "housing", "moves of the arm report what its gripper holds");
    assert_eq!(events[3]["result"]["fault"]["kind"], "LimitExceeded");
    assert_eq!(events[4]["held"], serde_json::Value::Null);
    assert_eq!(events[5]["command"], "log");
    let rpy = &events[0]["args"]["target"]["rpy_rad"];
    assert!((rpy[2].as_f64().unwrap() - 0.3).abs() < 1e-9 || rpy[2].as_f64().is_some());
}

fn header() -> crate::trace::TraceHeader {
    let manifest = super::host::manifest();
    crate::trace::TraceHeader::new(&manifest, "main", 42, "cells/a.toml", "[cell]\nname = \"a\"\n")
}

#[test]
fn the_header_is_one_line_that_reads_back() {
    let line = header().to_line();
    assert!(line.starts_with(r#"{"event":"header","format":1,"source":null,"#), "{line}");
    assert!(line.ends_with("}\n") && line.matches('\n').count() == 1, "{line}");
    assert_eq!(crate::trace::TraceHeader::parse(line.trim_end()), Ok(header()));
}

#[test]
fn a_line_that_is_not_a_header_or_of_another_format_is_refused() {
    use crate::trace::TraceHeader;
    let event = String::from_utf8(run_sequence()).unwrap();
    let first = event.lines().next().unwrap();
    assert!(TraceHeader::parse(first).unwrap_err().contains("not a trace header"));
    let future = header().to_line().replace(r#""format":1"#, r#""format":9"#);
    assert_eq!(TraceHeader::parse(&future).unwrap_err(), "the trace has format 9; this deft reads format 1");
    let no_seed = header().to_line().replace(r#""seed":42,"#, "");
    assert!(TraceHeader::parse(&no_seed).unwrap_err().contains("missing field `seed`"));
}

#[test]
fn comparing_events_finds_the_first_differing_field_in_written_order() {
    use crate::trace::compare_events;
    let recorded = String::from_utf8(run_sequence()).unwrap();
    assert_eq!(compare_events(&recorded, &recorded), Ok(6));
    // Event 2 with both its time and its energy changed: time is written first, so it is reported.
    let mut lines: Vec<String> = recorded.lines().map(str::to_string).collect();
    let event: serde_json::Value = serde_json::from_str(&lines[2]).unwrap();
    let (t, e) = (event["t"].to_string(), event["energy_j"].to_string());
    lines[2] = lines[2].replacen(&format!("\"t\":{t}"), "\"t\":99.5", 1).replacen(
        &format!("\"energy_j\":{e}"),
        "\"energy_j\":-1.0",
        1,
    );
    let changed = lines.join("\n");
    let d = compare_events(&recorded, &changed).unwrap_err();
    assert_eq!((d.event, d.field.as_str(), d.actual.as_str()), (2, "t", "99.5"));
    assert_eq!(d.expected, t);
    assert_eq!(d.to_string(), format!("event 2, field `t`: expected {t}, actual 99.5"));
    // Nested fields are named by path.
    let nested = recorded.replacen(r#""part":"housing""#, r#""part":"cover""#, 1);
    let d = compare_events(&recorded, &nested).unwrap_err();
    assert_eq!((d.event, d.field.as_str()), (1, "args.part"));
    // A replay that stops early or runs on.
    let short: String = recorded.lines().take(4).map(|l| format!("{l}\n")).collect();
    let d = compare_events(&recorded, &short).unwrap_err();
    assert_eq!(d.to_string(), "event 4: expected a `release` event, actual none");
    let d = compare_events(&short, &recorded).unwrap_err();
    assert_eq!((d.event, d.expected.as_str()), (4, "none"));
}
