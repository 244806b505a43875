//! Error recovery and the messages users see for common mistakes.

use super::{diagnostics, dump};
use crate::span::FileId;
use crate::syntax::ast::*;
use crate::syntax::parse;

fn bodies(module: &Module) -> Vec<Vec<String>> {
    module
        .items
        .iter()
        .filter_map(|i| match &i.kind {
            ItemKind::Fn(f) => Some(f.body.as_ref().map_or(Vec::new(), |b| b.stmts.iter().map(dump::stmt).collect())),
            _ => None,
        })
        .collect()
}

/// The one diagnostic of `source`, which must have exactly one.
fn single(source: &str) -> crate::diagnostic::Diagnostic {
    let mut diags = diagnostics(source);
    assert_eq!(diags.len(), 1, "expected one diagnostic for {source:?}, got {diags:#?}");
    diags.remove(0)
}

fn primary_text<'a>(source: &'a str, d: &crate::diagnostic::Diagnostic) -> &'a str {
    d.primary_span().map_or("", |s| &source[s.range()])
}

#[test]
fn three_mistakes_in_three_skills_give_three_diagnostics() {
    let src = "skill a() {\n    let x = 5 + * 2\n    go(x)\n}\n\n\
               skill b() {\n    if x = 3 { go(1) }\n    ok()\n}\n\n\
               skill c() {\n    f(1, , 2)\n    g()\n}\n\n\
               skill d() { fine() }\n";
    let (module, diags) = parse(FileId(0), src);
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0010", "E0012", "E0010"], "{diags:#?}");
    assert_eq!(diags[0].message, "expected expression, found '*'");
    assert_eq!(diags[2].message, "expected expression, found ','");
    assert_eq!(
        bodies(&module),
        [
            vec!["error", "(call go x)"],
            vec!["(if (== x 3) {(call go 1)})", "(call ok)"],
            vec!["(call f 1 error 2)", "(call g)"],
            vec!["(call fine)"],
        ]
    );
}

#[test]
fn missing_closing_brace_names_the_opening_one() {
    let src = "skill a() {\n    go()\n\nskill b() { ok() }\n";
    let (module, diags) = parse(FileId(0), src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "E0011");
    assert_eq!(diags[0].message, "expected '}', found 'skill'");
    let opener = diags[0].labels.iter().find(|l| !l.primary).map(|l| l.span.start);
    assert_eq!(opener, Some(10));
    assert_eq!(bodies(&module), [vec!["(call go)"], vec!["(call ok)"]]);

    let d = single("skill a() {\n    go()\n");
    assert_eq!(d.message, "expected '}', found end of file");
}

#[test]
fn assignment_in_a_condition_suggests_double_equals() {
    let d = single("skill a() {\n    while n = 3 { n = n + 1 }\n}\n");
    assert_eq!(d.code, "E0012");
    assert_eq!(d.help.as_deref(), Some("to compare, use '=='"));
    let d = single("skill a() {\n    ensure n = 3 else \"no\"\n}\n");
    assert_eq!(d.code, "E0012");
}

#[test]
fn unexpected_tokens_say_what_was_expected() {
    let src = "skill a() {\n    let x = \n}\n";
    let d = single(src);
    assert_eq!(d.message, "expected expression, found '}'");
    let d = single("skill a() {\n    let x\n}\n");
    assert_eq!(d.message, "expected '=', found end of line");
    let d = single("skill a() {\n    go() stop()\n}\n");
    assert_eq!(d.message, "expected end of line, found 'stop'");
    let d = single("struct S { a Int }\n");
    assert_eq!(d.message, "expected ':', found 'Int'");
    let d = single("skill s(a: 3) {}\n");
    assert_eq!(d.message, "expected type, found '3'");
    let d = single("let x = 3\nskill s() {}\n");
    assert_eq!(d.message, "expected an item, found 'let'");
    let d = single("skill s() {\n    ensure ok \"msg\"\n}\n");
    assert_eq!(d.message, "expected 'else', found string");
}

#[test]
fn unclosed_call_parenthesis_stops_at_the_line_end() {
    let src = "skill a() {\n    go(1, 2\n    stop()\n}\n";
    let (module, diags) = parse(FileId(0), src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "E0011");
    assert_eq!(diags[0].message, "expected ')', found 'stop'");
    assert_eq!(bodies(&module), [vec!["(call go 1 2)", "(call stop)"]]);
}

#[test]
fn lexical_mistakes_are_single_diagnostics() {
    let src = "skill a() {\n    log(\"never closed)\n    go()\n}\n";
    let d = single(src);
    assert_eq!(d.code, "E0002");
    let src = "skill a() {\n    go(@@)\n}\n";
    let d = single(src);
    assert_eq!((d.code, d.message.as_str()), ("E0001", "invalid character '@@'"));
    let d = single("skill a() {\n    log(\"a\\qb\")\n}\n");
    assert_eq!((d.code, d.message.as_str()), ("E0003", "unknown escape '\\q'"));
    let src = "skill a() {\n    log(\"a {x\")\n}\n";
    assert_eq!(single(src).code, "E0005");
    let src = "skill a() {\n    log(\"a {x +} b\")\n}\n";
    let d = single(src);
    assert_eq!(d.message, "expected expression, found end of file");
    assert_eq!(d.primary_span().map(|s| s.start), src.find("} b").map(|i| i as u32));
    assert_eq!(single("const N = 99999999999999999999\n").code, "E0004");
}

#[test]
fn foreign_operators_and_chained_comparisons() {
    let src = "skill a() {\n    if a && !b { go() }\n}\n";
    let diags = diagnostics(src);
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["E0019", "E0019"]);
    assert_eq!(diags[0].help.as_deref(), Some("Deft spells this operator 'and'"));
    let d = single("skill a() {\n    if 0 < x < 3 { go() }\n}\n");
    assert_eq!(d.code, "E0013");
    let src = "skill a() {\n    f() = 3\n}\n";
    let d = single(src);
    assert_eq!((d.code, primary_text(src, &d)), ("E0014", "f()"));
}

#[test]
fn item_level_mistakes() {
    let d = single("extern skill a() { go() }\n");
    assert_eq!(d.code, "E0016");
    let d = single("skill a() limits(speed < 3 mm/s) { go() }\n");
    assert_eq!(d.code, "E0018");
    let d = single("skill a() requires x requires y { go() }\n");
    assert_eq!(d.code, "E0017");
    let (module, diags) = parse(FileId(0), "skill 3() { go() }\nskill b() { ok() }\n");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(bodies(&module), [vec!["(call ok)"]]);
}

#[test]
fn an_unclosed_list_ends_before_a_brace_or_an_item() {
    let src = "skill a(x: Int {\n    go()\n}\nskill b() {}\n";
    let (module, diags) = parse(FileId(0), src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!((diags[0].code, diags[0].message.as_str()), ("E0011", "expected ')', found '{'"));
    assert_eq!(bodies(&module), [vec!["(call go)"], vec![]]);

    let (module, diags) = parse(FileId(0), "use std::motion::{pick, place\nskill b() {}\n");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].message, "expected '}', found 'skill'");
    assert_eq!(module.items.len(), 2);
}

#[test]
fn fixes_for_habits_from_other_languages() {
    let src = "skill a() {\n    log('hi')\n}\n";
    let (module, diags) = parse(FileId(0), src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!((diags[0].code, diags[0].help.as_deref()), ("E0007", Some("write \"hi\"")));
    assert_eq!(bodies(&module), [vec![r#"(call log (str "hi"))"#]]);

    let (module, diags) = parse(FileId(0), "skill a() {\n    go(speed: 3)\n}\n");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].message, "expected '=', found ':'");
    assert_eq!(diags[0].help.as_deref(), Some("a named argument is written 'speed = value'"));
    assert_eq!(bodies(&module), [vec!["(call go (= speed 3))"]]);
}

#[test]
fn a_bad_return_type_keeps_the_item() {
    let (module, diags) = parse(FileId(0), "fn a() -> { return }\n");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].message, "expected type, found '{'");
    assert_eq!(bodies(&module), [vec!["(return)"]]);
}

#[test]
fn a_missing_opening_brace_is_one_diagnostic() {
    let src = "skill a() {\n    if x\n        go()\n    }\n    stop()\n}\n\nskill b() { ok() }\n";
    let (module, diags) = parse(FileId(0), src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].message, "expected '{', found end of line");
    assert_eq!(bodies(&module), [vec!["error", "(call go)"], vec!["(call ok)"]]);
}
