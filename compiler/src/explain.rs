//! Long explanations of diagnostic codes (`deft explain E0308`), taken from `docs/diagnostics.md`.
//!
//! The page is embedded at compile time so that the explanation shipped with a compiler is the one
//! written for its codes; `tests/tests/explain.rs` checks that every code has a section whose
//! examples really produce it.

/// The whole page, one `## CODE: title` section per code.
const PAGE: &str = include_str!("../../docs/diagnostics.md");

/// The section of `docs/diagnostics.md` for `code` (from its `## E0308: ...` heading up to the next
/// heading), or `None` when the code is not documented. The code is matched case-insensitively.
pub fn explain(code: &str) -> Option<&'static str> {
    let code = code.trim();
    sections().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|(_, text)| text)
}

/// Every documented code, in the order of the page.
pub fn codes() -> Vec<&'static str> {
    sections().map(|(c, _)| c).collect()
}

/// Up to `n` documented codes closest to `code`, for a "did you mean" message: the same kind (error
/// or warning) first, then fewest differing characters, then the nearest number, so `E0310`
/// suggests `E0300` before `E0410`, and `W0010` a warning.
pub fn nearest_codes(code: &str, n: usize) -> Vec<&'static str> {
    let wanted = code.trim().to_ascii_uppercase();
    let number = |c: &str| c.get(1..).and_then(|d| d.parse::<i64>().ok());
    let wanted_number = number(&wanted);
    let kind = wanted.get(..1).unwrap_or_default().to_string();
    let mut ranked: Vec<(bool, usize, i64, &'static str)> = codes()
        .into_iter()
        .map(|c| {
            let gap = match (wanted_number, number(c)) {
                (Some(a), Some(b)) => (a - b).abs(),
                _ => i64::MAX,
            };
            (!c.starts_with(&kind), edit_distance(&wanted, c), gap, c)
        })
        .collect();
    ranked.sort();
    ranked.into_iter().take(n).map(|(_, _, _, c)| c).collect()
}

/// `(code, section)` for each `## CODE: title` heading of the page.
fn sections() -> impl Iterator<Item = (&'static str, &'static str)> {
    let starts: Vec<usize> = line_starts(PAGE).filter(|&i| PAGE[i..].starts_with("## ")).collect();
    let ends: Vec<usize> = starts.iter().skip(1).copied().chain(std::iter::once(PAGE.len())).collect();
    starts.into_iter().zip(ends).filter_map(|(start, end)| {
        let text = PAGE[start..end].trim_end();
        let code = text["## ".len()..].split(':').next()?.trim();
        is_code(code).then_some((code, text))
    })
}

/// Byte offsets of the starts of lines outside fenced code blocks, so a `## ` inside an example
/// cannot start a section.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut in_fence = false;
    let mut offset = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len();
        if line.starts_with("```") {
            in_fence = !in_fence;
            return None;
        }
        (!in_fence).then_some(start)
    })
}

/// `E0308` or `W0001`: a letter and four digits.
fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5 && matches!(b[0], b'E' | b'W') && b[1..].iter().all(u8::is_ascii_digit)
}

/// Levenshtein distance over bytes; codes are short ASCII strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_a_code_with_its_own_section_only() {
        let text = explain("E0308").unwrap_or_default();
        assert!(text.starts_with("## E0308: mismatched dimensions"), "{text}");
        assert!(!text.contains("## E0400"), "the section runs into the next one");
        assert_eq!(explain("e0308"), explain("E0308"));
    }

    #[test]
    fn unknown_codes_have_no_section_but_near_ones() {
        assert_eq!(explain("E9999"), None);
        assert_eq!(explain("E03"), None);
        assert_eq!(nearest_codes("E0310", 1), vec!["E0300"]);
        let near = nearest_codes("W0010", 3);
        assert!(near.len() == 3 && near.iter().all(|c| c.starts_with('W')), "{near:?}");
    }

    #[test]
    fn headings_inside_examples_do_not_start_sections() {
        assert!(codes().iter().all(|c| is_code(c)));
        assert!(codes().contains(&"E0001") && codes().contains(&"W0001"));
    }
}
