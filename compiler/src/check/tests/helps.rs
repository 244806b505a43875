//! Targeted help texts: missing arguments, degrees versus radians, and a `fn` calling a skill.

use super::*;

#[test]
fn missing_argument_lists_parameters_with_types_and_defaults() {
    let d = error(&with_cell("skill s() {\n    driver.fasten(screws[0]) //~ E0301\n}\n"));
    assert_eq!(d.message, "missing argument `torque` in call to `fasten`");
    assert_eq!(d.help.as_deref(), Some("pass `torque`, by position or by name: `torque = <Torque>`"));
    assert_eq!(
        d.notes,
        ["the parameters are: fasten(driver: ScrewDriver, screw: Part, torque: Torque, angle: Angle = 720 deg)"]
    );
}

#[test]
fn bare_numbers_for_rpy_are_one_error_with_the_call_rewritten_in_degrees() {
    let d = error("fn r() -> Rot {\n    return rpy(180, 0, 90) //~ E0308\n}\n");
    assert_eq!(d.message, "mismatched dimensions: `rpy` takes angles, found bare numbers");
    assert_eq!(d.help.as_deref(), Some("write `rpy(180 deg, 0 deg, 90 deg)`"));
    assert_eq!(d.labels.len(), 3);
}

#[test]
fn small_fractional_bare_angles_read_as_radians() {
    let d = error("fn r() -> Rot {\n    return rpy(1.57, 0, -3.14) //~ E0308\n}\n");
    assert_eq!(d.help.as_deref(), Some("write `rpy(1.57 rad, 0 rad, -3.14 rad)`"));
}

#[test]
fn one_bare_angle_gets_a_unit_hint() {
    let d = error("fn r() -> Rot {\n    return rpy(0 deg, 0 deg, 180) //~ E0308\n}\n");
    assert_eq!(d.help.as_deref(), Some("write 180 deg"));
}

#[test]
fn fn_calling_a_skill_says_how_to_fix_it() {
    let d = error(&with_cell("fn busy() -> Bool {\n    return gripper.holding() //~ E0305\n}\n"));
    assert_eq!(d.message, "fn `busy` cannot call skill `holding`");
    assert_eq!(
        d.help.as_deref(),
        Some(
            "make `busy` a skill, `skill busy(...)`, or call `holding` in the skill that calls `busy` and pass the Bool in as a parameter"
        )
    );
    assert_eq!(d.labels[0].message, "a primitive: it talks to the hardware");
    let d = error(&with_cell("skill open() {\n    gripper.release()\n}\nfn f() {\n    open() //~ E0305\n}\n"));
    assert_eq!(d.help.as_deref(), Some("make `f` a skill, `skill f(...)`"));
    assert_eq!(d.labels[0].message, "a skill: it may command hardware");
}

#[test]
fn constant_calling_a_skill_is_named_as_a_constant() {
    let d = error(&with_cell("const BUSY: Bool = gripper.holding() //~ E0305\n"));
    assert_eq!(d.message, "constant `BUSY` cannot call skill `holding`");
}
