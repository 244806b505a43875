//! "Did you mean" suggestions: the closest candidate name by edit distance.

/// Edit distance over chars, counting an adjacent transposition (`widht`) as one edit.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a plausible typo. Ties go to the
/// candidate of the same length (a mistyped letter is likelier than a missing one), then to the
/// earlier candidate, so callers list the most common names first.
pub(crate) fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, usize, &'a str)> = None;
    for cand in candidates {
        if cand == name {
            continue;
        }
        let d = edit_distance(&name.to_lowercase(), &cand.to_lowercase()).min(edit_distance(name, cand));
        if d > limit {
            continue;
        }
        let len_diff = name.chars().count().abs_diff(cand.chars().count());
        if best.is_none_or(|(bd, bl, _)| (d, len_diff) < (bd, bl)) {
            best = Some((d, len_diff, cand));
        }
    }
    best.map(|(_, _, c)| c)
}

/// Like [`closest`], for a short list of likely candidates: a candidate that starts with the
/// name, or is within half the name's length in edits, is accepted.
pub(crate) fn closest_loose<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 2).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| {
            let d = if name.len() >= 3 && c.starts_with(name) { 0 } else { edit_distance(name, c) };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("mn", "mm"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("widht", "width"), 1);
    }

    #[test]
    fn closest_prefers_same_length() {
        assert_eq!(closest("mn", ["m", "min", "mm"]), Some("mm"));
        assert_eq!(closest("Lenght", ["Length", "Angle"]), Some("Length"));
        assert_eq!(closest("xyzzy", ["Length", "Angle"]), None);
        assert_eq!(closest_loose("move_lin", ["move_to", "move_linear"]), Some("move_linear"));
        assert_eq!(closest_loose("grab", ["grasp", "release"]), Some("grasp"));
    }
}
