//! Warnings (W0001 and W0003–W0006) and the noise rules: one mistake, one diagnostic.

use super::*;

#[test]
fn no_unused_warning_for_a_binding_whose_initializer_failed() {
    let src = with_cell(
        "skill s() {\n    let a = foo(2)\n    let b: Length = 3 N\n    let c = 3 mm + 2 N\n    let d = 4 mm\n}\n",
    );
    let found = codes(&src);
    assert_eq!(found, [("E0103", 10), ("E0308", 11), ("E0308", 12), ("W0001", 13)], "{found:?}");
}

#[test]
fn a_variable_read_as_a_unit_is_named_and_not_reported_unused() {
    let src = "fn pitch() -> Length {\n    let n = 3\n    let d = 20 mm * n\n    return d\n}\n";
    let found = codes(src);
    assert_eq!(found, [("E0105", 3)], "{found:?}");
    let (_, checked) = run(src);
    let d = &checked.diagnostics[0];
    assert_eq!(d.message, "`n` is a variable, not a unit");
    assert_eq!(
        d.help.as_deref(),
        Some("a number followed by names is one quantity; put the variable first: `n * 20 mm`")
    );
}

#[test]
fn common_unit_misspellings_get_the_deft_spelling() {
    let d = error("skill s() {\n    wait(2 sec) //~ E0105\n}\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `s`?"));
    let d = error("fn f() -> Length {\n    return 2 inch //~ E0105\n}\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `in`?"));
}

#[test]
fn retry_around_a_block_that_cannot_fail() {
    let src = "skill s() {\n    var n = 0\n    retry 3 {\n        n = n + 1\n    }\n    log(\"{n}\")\n}\n";
    let found = warnings(src);
    assert_eq!(found, [("W0003", 3, "`retry` around a block that cannot fail".to_string())]);
}

#[test]
fn retry_around_anything_that_may_fail_is_fine() {
    let cases = [
        "retry 2 {\n        gripper.release()\n    }",
        "retry 2 {\n        ensure n > 0 else \"no\"\n    }",
        "retry 2 {\n        if n > 3 {\n            fail \"too many\"\n        }\n    }",
        "retry 2 {\n        helper()\n    }",
        "retry 2 {\n        let x = xs[n]\n        log(\"{x}\")\n    }",
    ];
    for body in cases {
        let src = with_cell(&format!(
            "fn helper() -> Int {{\n    return 1\n}}\nskill s(xs: [Int]) {{\n    var n = 0\n    {body}\n    log(\"{{n}}\")\n}}\ntest \"t\" {{\n    s([1])\n}}\n"
        ));
        let found: Vec<_> = warnings(&src).into_iter().filter(|w| w.0 != "W0005").collect();
        assert!(found.is_empty(), "{body}: {found:?}");
    }
}

#[test]
fn code_after_return_or_fail_is_unreachable() {
    let src = "skill s(x: Int) -> Int {\n    if x > 2 {\n        fail \"big\"\n        log(\"never\")\n    }\n    return x\n    log(\"never\")\n    log(\"either\")\n}\n";
    let found = warnings(src);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&("W0004", 4, "unreachable code".to_string())), "{found:?}");
    assert!(found.contains(&("W0004", 7, "unreachable code".to_string())), "{found:?}");
    let (_, checked) = run(src);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "W0004" && d.help.as_deref().is_some_and(|h| h.contains("`return`")));
    let primary = d.and_then(Diagnostic::primary_span).map(|s| &src[s.range()]);
    assert_eq!(primary, Some("log(\"never\")\n    log(\"either\")"));
}

#[test]
fn code_after_a_conditional_return_is_reachable() {
    let src = "fn f(x: Int) -> Int {\n    if x > 2 {\n        return 1\n    }\n    return x\n}\n";
    assert_eq!(warnings(src), []);
}

#[test]
fn unused_cell_entries() {
    let src = "cell {\n    arm: Arm\n    spare: Part\n    gripper: Gripper\n}\nskill s() {\n    arm.move_linear(arm.tcp())\n}\ntest \"t\" {\n    gripper.release()\n}\n";
    let found = warnings(src);
    assert_eq!(found, [("W0005", 3, "cell entry `spare` is never used".to_string())]);
}

#[test]
fn no_unused_cell_warning_in_a_program_with_errors() {
    let src = "cell {\n    arm: Arm\n    spare: Part\n}\nskill s() {\n    arm.move_linaer(arm.tcp())\n}\n";
    assert_eq!(codes(src), [("E0103", 6)]);
}

#[test]
fn angle_literals_in_the_wrong_unit() {
    let src = "fn r() -> Rot {\n    return rpy(3.14 deg, 0 deg, 90 rad)\n}\n";
    let (_, checked) = run(src);
    let found: Vec<(&str, Option<&str>)> = checked.diagnostics.iter().map(|d| (d.code, d.help.as_deref())).collect();
    assert_eq!(
        found,
        [("W0006", Some("did you mean 3.14 rad (about 179.9 deg)?")), ("W0006", Some("did you mean 90 deg?"))]
    );
    assert_eq!(warnings("fn r() -> Rot {\n    return rpy(3 deg, 1.5 deg, 1.57 rad)\n}\n"), []);
}

#[test]
fn the_stdlib_is_not_warned_about() {
    // std::motion has `retry`-free code, but a sibling module with warnings does warn.
    let (_, checked) = run_modules(
        "use helpers::{h}\nskill s() {\n    h()\n}\n",
        &[("helpers", "pub skill h() {\n    let unused = 1\n    return\n    log(\"x\")\n}\n")],
    );
    let mut found: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    found.sort();
    assert_eq!(found, ["W0001", "W0004"]);
    // The language reference's example reaches std::motion's code and warns only about its own
    // cell entry `arm`, which nothing uses (the tools move it).
    let found: Vec<String> = warnings(LANGUAGE_EXAMPLE).into_iter().map(|(_, _, m)| m).collect();
    assert_eq!(found, ["cell entry `arm` is never used"]);
}
