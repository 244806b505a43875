//! Unit tests of the IDE API on small programs; `$0` in a source marks the cursor.

use super::*;
use crate::world::SourceSet;

const STD: &[(&str, &str, &str)] = &[
    ("std::prelude", "<std>/prelude.skill", include_str!("../../../stdlib/std/prelude.skill")),
    ("std::motion", "<std>/motion.skill", include_str!("../../../stdlib/std/motion.skill")),
    ("std::math", "<std>/math.skill", include_str!("../../../stdlib/std/math.skill")),
    ("std::geometry", "<std>/geometry.skill", include_str!("../../../stdlib/std/geometry.skill")),
];

/// An analysis of `main` (with `$0` removed) and the cursor offset.
fn analyse(main: &str) -> (Analysis, FileId, usize) {
    analyse_with(main, &[])
}

fn analyse_with(main: &str, siblings: &[(&str, &str)]) -> (Analysis, FileId, usize) {
    let offset = main.find("$0").unwrap_or(0);
    let text = main.replace("$0", "");
    let mut sources = SourceSet::new();
    let file = sources.add_main("dir/main.skill", &text);
    for (module, text) in siblings {
        sources.add(module, &format!("dir/{module}.skill"), text);
    }
    for (module, path, text) in STD {
        sources.add(module, path, text);
    }
    (Analysis::new(&sources), file, offset)
}

fn texts(a: &Analysis, spans: &[Span]) -> Vec<String> {
    spans.iter().map(|s| format!("{}@{}", a.span_text(*s), s.start)).collect()
}

const PROGRAM: &str = "use std::motion::{pick}

cell {
    /// The gripper on the arm.
    gripper: Gripper
    housing: Part
}

/// How far to go.
const CLEARANCE: Length = 50 mm

struct Grip { width: Length, force: Force }

/// Grip settings for a part.
fn grip_for(p: Part, extra: Length = 2 mm) -> Grip {
    let w = p.size.y + extra
    return Grip { width: w, force: 20 N }
}

/// Pick the housing.
skill take() {
    let g = grip_for(housing, extra = CLEARANCE)
    gripper.pick(housing, force = g.force)
}
";

fn at(src: &str, needle: &str, nth: usize) -> String {
    let mut from = 0;
    for _ in 0..nth {
        from = src[from..].find(needle).map_or(0, |i| from + i + 1);
    }
    let i = from + src[from..].find(needle).unwrap_or(0);
    format!("{}$0{}", &src[..i + 1], &src[i + 1..])
}

#[test]
fn the_program_checks() {
    let (a, _, _) = analyse(PROGRAM);
    let errors: Vec<_> = a.diagnostics().iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn hover_shows_local_types_with_units() {
    let (a, f, o) = analyse(&at(PROGRAM, "w, force", 0));
    let h = a.hover(f, o).expect("hover on w");
    assert!(h.markdown.contains("let w: Length"), "{}", h.markdown);
}

#[test]
fn hover_shows_constant_value_and_doc() {
    let (a, f, o) = analyse(&at(PROGRAM, "CLEARANCE)", 0));
    let h = a.hover(f, o).expect("hover on CLEARANCE");
    assert!(h.markdown.contains("const CLEARANCE: Length = 50 mm"), "{}", h.markdown);
    assert!(h.markdown.contains("How far to go."), "{}", h.markdown);
}

#[test]
fn hover_shows_signature_docs_and_effects_of_skills() {
    let (a, f, o) = analyse(&at(PROGRAM, "take()", 0));
    let h = a.hover(f, o).expect("hover on take");
    assert!(h.markdown.contains("skill take()"), "{}", h.markdown);
    assert!(h.markdown.contains("Pick the housing."), "{}", h.markdown);
    assert!(h.markdown.contains("commands: `gripper`"), "{}", h.markdown);
}

#[test]
fn hover_shows_stdlib_docs_and_cell_entry_docs() {
    let (a, f, o) = analyse(&at(PROGRAM, "pick(housing", 0));
    let h = a.hover(f, o).expect("hover on pick");
    assert!(h.markdown.contains("skill pick(gripper: Gripper"), "{}", h.markdown);
    assert!(h.markdown.contains("Approach a part"), "{}", h.markdown);
    let (a, f, o) = analyse(&at(PROGRAM, "gripper.pick", 0));
    let h = a.hover(f, o).expect("hover on gripper");
    assert!(h.markdown.contains("cell gripper: Gripper"), "{}", h.markdown);
    assert!(h.markdown.contains("The gripper on the arm."), "{}", h.markdown);
}

#[test]
fn definition_of_locals_fields_params_and_stdlib_items() {
    let (a, f, o) = analyse(&at(PROGRAM, "w, force", 0));
    let d = a.definition(f, o).expect("definition of w");
    assert_eq!(a.span_text(d), "w");
    assert_eq!(a.text(f)[..d.start as usize].rsplit('\n').next(), Some("    let "));

    let (a, f, o) = analyse(&at(PROGRAM, "force)", 0));
    let d = a.definition(f, o).expect("definition of g.force");
    assert_eq!((a.span_text(d), d.start as usize), ("force", a.text(f).find("force: Force").unwrap_or(0)));

    let (a, f, o) = analyse(&at(PROGRAM, "extra = CLEARANCE", 0));
    let d = a.definition(f, o).expect("definition of the named argument");
    assert_eq!((a.span_text(d), d.start as usize), ("extra", a.text(f).find("extra: Length").unwrap_or(0)));

    let (a, f, o) = analyse(&at(PROGRAM, "pick(housing", 0));
    let d = a.definition(f, o).expect("definition of pick");
    assert_eq!(a.path(d.file), "<std>/motion.skill");
    assert_eq!(a.span_text(d), "pick");
}

#[test]
fn references_cover_declaration_and_uses_across_files() {
    let (a, f, o) = analyse(&at(PROGRAM, "Grip {", 0));
    let refs = texts(&a, &a.references_at(f, o));
    assert_eq!(refs.len(), 3, "struct decl, return type, literal: {refs:?}");
    let sibling = "pub fn double(x: Length) -> Length {\n    return x * 2\n}\n";
    let main = "use helpers::{double}\nfn f() -> Length {\n    return double(1 mm) + double(2 mm)\n}\n";
    let (a, f, _) = analyse_with(main, &[("helpers", sibling)]);
    let o = main.find("double(1").unwrap_or(0);
    let refs = a.references_at(f, o);
    let files: std::collections::HashSet<_> = refs.iter().map(|s| s.file).collect();
    assert_eq!(refs.len(), 4, "{:?}", texts(&a, &refs));
    assert_eq!(files.len(), 2);
}

#[test]
fn rename_edits_every_use_and_refuses_stdlib_items() {
    let (a, f, o) = analyse(&at(PROGRAM, "extra: Length", 0));
    let spans = a.rename(f, o, "margin").expect("param renames");
    assert_eq!(spans.len(), 3, "decl, use, named arg: {:?}", texts(&a, &spans));
    let (a, f, o) = analyse(&at(PROGRAM, "width: Length", 0));
    assert_eq!(a.rename(f, o, "span").map(|s| s.len()), Ok(2));
    let (a, f, o) = analyse(&at(PROGRAM, "pick(housing", 0));
    let err = a.rename(f, o, "grab").expect_err("stdlib refused");
    assert!(err.contains("standard library"), "{err}");
    let (a, f, o) = analyse(&at(PROGRAM, "take()", 0));
    assert!(a.rename(f, o, "let").is_err());
    assert!(a.rename(f, o, "1x").is_err());
    assert_eq!(a.rename(f, o, "fetch").map(|s| s.len()), Ok(1));
}

fn labels(c: &[Completion]) -> Vec<&str> {
    c.iter().map(|c| c.label.as_str()).collect()
}

#[test]
fn completes_units_after_a_number() {
    let (a, f, o) = analyse("fn f() -> Length {\n    return 50 m$0\n}\n");
    let c = a.completions(f, o);
    assert!(c.iter().all(|c| c.kind == CompletionKind::Unit));
    for u in ["mm", "m", "mm/s", "N", "%"] {
        assert!(labels(&c).contains(&u), "{u} in {:?}", labels(&c));
    }
}

#[test]
fn every_offered_unit_is_accepted_by_the_checker() {
    for (unit, dim) in complete::UNITS {
        let (a, _, _) = analyse(&format!("fn f() -> {dim} {{\n    return 3 {unit}\n}}\n"));
        let errors: Vec<_> = a.diagnostics().iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{unit}: {errors:?}");
    }
}

#[test]
fn completes_locals_params_items_cell_entries_and_keywords() {
    let src = PROGRAM.replace(
        "    gripper.pick(housing, force = g.force)\n",
        "    gripper.pick(housing, force = g.force)\n    $0\n",
    );
    let (a, f, o) = analyse(&src);
    let c = a.completions(f, o);
    let l = labels(&c);
    for want in
        ["g", "gripper", "housing", "grip_for", "CLEARANCE", "Grip", "pick", "take", "let", "retry", "move_linear"]
    {
        assert!(l.contains(&want), "{want} in {l:?}");
    }
    assert!(!l.contains(&"w"), "w is local to grip_for");
}

#[test]
fn completes_fields_and_ufcs_methods_after_a_dot() {
    let src = PROGRAM.replace(
        "    gripper.pick(housing, force = g.force)\n",
        "    gripper.pick(housing, force = g.force)\n    g.$0\n",
    );
    let (a, f, o) = analyse(&src);
    let l: Vec<String> = a.completions(f, o).into_iter().map(|c| c.label).collect();
    assert!(l.contains(&"width".to_string()) && l.contains(&"force".to_string()), "{l:?}");
    let src = PROGRAM.replace(
        "    gripper.pick(housing, force = g.force)\n",
        "    gripper.pick(housing, force = g.force)\n    gripper.$0\n",
    );
    let (a, f, o) = analyse(&src);
    let l: Vec<String> = a.completions(f, o).into_iter().map(|c| c.label).collect();
    for want in ["pick", "grasp", "release", "holding", "place"] {
        assert!(l.contains(&want.to_string()), "{want} in {l:?}");
    }
    assert!(!l.contains(&"move_linear".to_string()), "move_linear takes an Arm: {l:?}");
}

#[test]
fn completes_named_arguments_inside_a_call() {
    let src = PROGRAM.replace("    gripper.pick(housing, force = g.force)\n", "    gripper.pick(housing, $0)\n");
    let (a, f, o) = analyse(&src);
    let c = a.completions(f, o);
    let named: Vec<_> = c.iter().filter(|c| c.kind == CompletionKind::NamedArg).map(|c| c.label.as_str()).collect();
    assert_eq!(named, vec!["part =", "force ="]);
}

#[test]
fn signature_help_tracks_the_active_parameter() {
    let src = PROGRAM.replace("grip_for(housing, extra = CLEARANCE)", "grip_for(housing, $0");
    let (a, f, o) = analyse(&src);
    let s = a.signature_help(f, o).expect("signature help");
    assert_eq!(s.label, "fn grip_for(p: Part, extra: Length = 2 mm)");
    assert_eq!(s.active, 1);
    assert_eq!(s.doc.as_deref(), Some("Grip settings for a part."));
    let src = PROGRAM.replace("gripper.pick(housing, force = g.force)", "gripper.pick($0");
    let (a, f, o) = analyse(&src);
    let s = a.signature_help(f, o).expect("method signature help");
    assert_eq!((s.params[s.active].as_str()), "part: Part");
}

#[test]
fn symbols_outline_and_workspace_search() {
    let (a, f, _) = analyse(PROGRAM);
    let names: Vec<_> = a.document_symbols(f).iter().map(|s| (s.name.clone(), s.kind)).collect();
    assert!(names.contains(&("take".to_string(), SymbolKind::Skill)));
    assert!(names.contains(&("width".to_string(), SymbolKind::Field)));
    assert!(names.contains(&("gripper".to_string(), SymbolKind::Cell)));
    let found: Vec<_> = a.workspace_symbols("grip").iter().map(|s| s.name.clone()).collect();
    assert!(found.contains(&"grip_for".to_string()) && found.contains(&"Grip".to_string()), "{found:?}");
    assert!(!found.iter().any(|n| n == "pick"), "stdlib items stay out: {found:?}");
}

#[test]
fn semantic_tokens_mark_quantities_and_units() {
    let (a, f, _) = analyse(PROGRAM);
    let toks = a.semantic_tokens(f);
    let kind_of = |needle: &str| {
        let start = a.text(f).find(needle).unwrap_or(0) as u32;
        toks.iter().find(|t| t.span.start == start).map(|t| t.kind)
    };
    assert_eq!(kind_of("50 mm"), Some(TokenKind::Quantity));
    assert_eq!(kind_of("mm\n"), Some(TokenKind::Unit));
    assert_eq!(kind_of("skill take"), Some(TokenKind::Keyword));
    assert_eq!(kind_of("grip_for("), Some(TokenKind::Function));
    assert_eq!(kind_of("/// How"), Some(TokenKind::Comment));
    assert_eq!(kind_of("Length = 50"), Some(TokenKind::Type));
}

#[test]
fn inlay_hints_show_inferred_let_types() {
    let (a, f, _) = analyse(PROGRAM);
    let hints: Vec<_> = a
        .inlay_hints(f)
        .into_iter()
        .map(|h| (a.text(f)[..h.offset].rsplit(' ').next().map(str::to_string), h.label))
        .collect();
    assert!(hints.contains(&(Some("w".to_string()), ": Length".to_string())), "{hints:?}");
    assert!(hints.contains(&(Some("g".to_string()), ": Grip".to_string())), "{hints:?}");
}

#[test]
fn fixes_replace_units_and_add_missing_arguments() {
    let src = "fn f() -> Length {\n    return 1 mm + 40 N\n}\n";
    let (a, f, _) = analyse(src);
    let fixes = a.fixes(f, 0, src.len());
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    assert_eq!((a.span_text(fixes[0].span), fixes[0].replacement.as_str()), ("40 N", "40 mm"));

    let src = "fn g(a: Length, b: Force) -> Length {\n    return a\n}\nfn f() -> Length {\n    return g(1 mm)\n}\n";
    let (a, f, _) = analyse(src);
    let fixes = a.fixes(f, 0, src.len());
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    let mut fixed = src.to_string();
    fixed.replace_range(fixes[0].span.range(), &fixes[0].replacement);
    assert!(fixed.contains("g(1 mm, b = 0 N)"), "{fixed}");
}

#[test]
fn half_typed_and_garbage_sources_still_answer() {
    let sources = [
        "skill s() {\n    let x = 5 mm\n    x.\n}\n",
        "fn f(a: Length) -> Length {\n    return a +",
        "\u{0}\u{1}ÿ{{{((( \"abc",
        "struct { : }\n cell { x: }\n fn (",
        "let let let 1 mm mm mm . . .",
    ];
    for src in sources {
        let (a, f, _) = analyse(src);
        for o in 0..=src.len() {
            let _ = a.hover(f, o);
            let _ = a.completions(f, o);
            let _ = a.signature_help(f, o);
            let _ = a.definition(f, o);
            let _ = a.rename(f, o, "y");
        }
        let _ = (a.semantic_tokens(f), a.inlay_hints(f), a.fixes(f, 0, src.len()), a.document_symbols(f));
    }
    let (a, f, o) = analyse("skill s() {\n    let x = 5 mm\n    x.$0\n}\n");
    let l: Vec<String> = a.completions(f, o).into_iter().map(|c| c.label).collect();
    assert!(!l.contains(&"x".to_string()), "after a dot, members only: {l:?}");
}

#[test]
fn enums_variants_and_type_names_navigate() {
    let src = "enum Verdict { Pass, Rework(Length) }\n\nfn judge(gap: Length) -> Verdict {\n    if gap < 1 mm {\n        return Verdict::Pass\n    }\n    return Verdict::Rework(gap)\n}\n\nfn cost(v: Verdict) -> Int {\n    return match v {\n        Verdict::Pass => 0,\n        Verdict::Rework(d) => 1,\n    }\n}\n";
    let (a, f, _) = analyse(src);
    let errors: Vec<_> = a.diagnostics().iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let rework = src.find("Rework(gap)").unwrap_or(0) + 1;
    let d = a.definition(f, rework).expect("variant definition");
    assert_eq!(d.start as usize, src.find("Rework(Length)").unwrap_or(0));
    let refs = a.references_at(f, src.find("Verdict {").unwrap_or(0));
    assert_eq!(refs.len(), 7, "decl, two types, four paths: {:?}", texts(&a, &refs));
    let h = a.hover(f, src.find("-> Verdict").unwrap_or(0) + 4).expect("hover on a type name");
    assert!(h.markdown.contains("enum Verdict { Pass, Rework(Length) }"), "{}", h.markdown);
}

#[test]
fn hover_on_a_quantity_literal_names_its_dimension() {
    let (a, f, o) = analyse("fn f() -> Speed {\n    return 25$00 mm/s\n}\n");
    let h = a.hover(f, o).expect("hover on the literal");
    assert!(h.markdown.contains("250 mm/s: Speed"), "{}", h.markdown);
}
