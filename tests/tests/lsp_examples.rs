//! The IDE API over the real examples: every name the checker resolved has a hover, and every
//! request answers (without panicking) at positions all over each example.

use deft_compiler::World;
use deft_compiler::analysis::Analysis;
use deft_tests::{examples, load};

#[test]
fn every_resolved_name_in_the_examples_has_a_hover_and_requests_answer_everywhere() {
    for dir in examples() {
        let sources = load(&dir.join("main.skill"));
        let main = sources.main();
        let a = Analysis::new(&sources);
        let text = a.text(main).to_string();
        let mut resolved = 0;
        for r in a.references().iter().filter(|r| r.span.file == main) {
            let hover = a.hover(main, r.span.start as usize);
            assert!(hover.is_some(), "{}: no hover at {:?}", dir.display(), &text[r.span.range()]);
            if r.definition.is_some() {
                assert!(a.definition(main, r.span.start as usize).is_some(), "{}: {:?}", dir.display(), r);
                resolved += 1;
            }
        }
        assert!(resolved > 0, "{}: the checker resolved names", dir.display());
        for offset in (0..=text.len()).step_by(7) {
            let _ = a.completions(main, offset);
            let _ = a.signature_help(main, offset);
            let _ = a.references_at(main, offset);
            let _ = a.prepare_rename(main, offset);
        }
        assert!(!a.semantic_tokens(main).is_empty());
        assert!(!a.document_symbols(main).is_empty());
    }
}
