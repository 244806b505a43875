//! The token pre-pass and list recovery: which line breaks end a statement, the nesting bound, and
//! where a mistake inside a list is reported.

use super::{diagnostics, dump, parse_clean};
use crate::span::FileId;
use crate::syntax::ast::*;
use crate::syntax::parse;

fn skill_bodies(module: &Module) -> Vec<Vec<String>> {
    module
        .items
        .iter()
        .filter_map(|i| match &i.kind {
            ItemKind::Fn(f) => Some(f.body.as_ref().map_or(Vec::new(), |b| b.stmts.iter().map(dump::stmt).collect())),
            _ => None,
        })
        .collect()
}

#[test]
fn clauses_and_the_body_may_start_on_the_next_lines() {
    let module = parse_clean("skill a(x: Int)\n    requires x > 0\n    ensures true\n{\n    go(x)\n}\n");
    let ItemKind::Fn(f) = &module.items[0].kind else { panic!("not a skill") };
    assert_eq!(f.requires.as_ref().map(dump::expr).as_deref(), Some("(> x 0)"));
    assert_eq!(skill_bodies(&module), [vec!["(call go x)"]]);
}

#[test]
fn a_missing_name_inside_a_call_is_reported_where_it_is_missing() {
    let src = "skill a() {\n    f(p., b)\n    g()\n}\n";
    let (module, diags) = parse(FileId(0), src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].message, "expected name, found ','");
    assert_eq!(skill_bodies(&module), [vec!["(call f error b)", "(call g)"]]);
}

#[test]
fn nesting_too_deep_is_one_diagnostic() {
    let src = format!("fn f() -> Length {{\n    return {}1 mm{}\n}}\n", "(".repeat(70), ")".repeat(70));
    let codes: Vec<&str> = diagnostics(&src).iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0006"]);
}

#[test]
fn a_stray_line_of_dashes_between_items_is_one_mistake() {
    let src = format!("{}\nskill a() {{ go() }}\n", "-".repeat(90));
    let (module, diags) = parse(FileId(0), &src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].message, "expected an item, found '-'");
    assert_eq!(skill_bodies(&module), [vec!["(call go)"]]);
}

#[test]
fn an_item_keyword_ends_a_half_written_header() {
    let (module, diags) = parse(FileId(0), "skill a(\n\nskill b() { ok() }\n");
    let found: Vec<(&str, &str)> = diags.iter().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(found, [("E0010", "expected '{', found end of line"), ("E0011", "expected ')', found 'skill'")]);
    assert_eq!(skill_bodies(&module), [vec![], vec!["(call ok)"]]);
}
