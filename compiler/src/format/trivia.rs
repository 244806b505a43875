//! What the AST does not hold: comments, and where the source left blank lines.
//!
//! A comment is *trailing* when code precedes it on its line (it stays at the end of a line) and
//! *own-line* otherwise (it stays on a line of its own, before the next node that starts after it).

use crate::syntax::{Token, lex};
use std::ops::Range;

#[derive(Debug)]
pub(super) struct Comment {
    pub start: usize,
    /// The comment as written, trailing blanks removed.
    pub text: String,
    pub trailing: bool,
    /// Whether a blank line separates it from the token before it.
    pub blank_before: bool,
}

pub(super) struct Trivia<'s> {
    pub src: &'s str,
    /// Every token except line breaks, comments included, in source order.
    tokens: Vec<(Token, Range<usize>)>,
    pub comments: Vec<Comment>,
}

impl<'s> Trivia<'s> {
    pub fn new(src: &'s str) -> Trivia<'s> {
        let tokens: Vec<(Token, Range<usize>)> = lex(src).into_iter().filter(|(t, _)| *t != Token::Newline).collect();
        let mut trivia = Trivia { src, tokens, comments: Vec::new() };
        let mut comments = Vec::new();
        for (tok, r) in &trivia.tokens {
            if *tok != Token::Comment {
                continue;
            }
            let line_start = src[..r.start].rfind('\n').map_or(0, |i| i + 1);
            comments.push(Comment {
                start: r.start,
                text: src[r.clone()].trim_end().to_string(),
                trailing: !src[line_start..r.start].trim().is_empty(),
                blank_before: trivia.blank_before(r.start),
            });
        }
        trivia.comments = comments;
        trivia
    }

    /// Whether at least one blank line lies between `pos` (the start of a token) and the token before it.
    pub fn blank_before(&self, pos: usize) -> bool {
        let idx = self.tokens.partition_point(|(_, r)| r.end <= pos);
        let Some((_, prev)) = idx.checked_sub(1).and_then(|i| self.tokens.get(i)) else { return false };
        self.src.get(prev.end..pos).is_some_and(|gap| gap.matches('\n').count() >= 2)
    }

    /// The text of the first token of kind `want` inside `span` (a literal whose span parentheses may
    /// have widened), or the whole span's text if there is none.
    pub fn token_text(&self, span: Range<usize>, want: impl Fn(Token) -> bool) -> &'s str {
        let from = self.tokens.partition_point(|(_, r)| r.start < span.start);
        self.tokens[from..]
            .iter()
            .take_while(|(_, r)| r.end <= span.end)
            .find(|(t, _)| want(*t))
            .map_or_else(|| self.src.get(span).unwrap_or(""), |(_, r)| &self.src[r.clone()])
    }

    /// The tokens inside `span` (comments excluded) joined without blanks: how a unit is printed.
    pub fn compact(&self, span: Range<usize>) -> String {
        let from = self.tokens.partition_point(|(_, r)| r.start < span.start);
        self.tokens[from..]
            .iter()
            .take_while(|(_, r)| r.end <= span.end)
            .filter(|(t, _)| *t != Token::Comment)
            .map(|(_, r)| &self.src[r.clone()])
            .collect()
    }

    /// The start of the token that closes the bracket opening at or after `from` (for the `)` of a
    /// parameter list, which the AST does not record).
    pub fn closing_after(&self, from: usize, open: Token, close: Token) -> Option<usize> {
        let start = self.tokens.partition_point(|(_, r)| r.start < from);
        let mut depth = 0usize;
        for (tok, r) in &self.tokens[start..] {
            if *tok == open {
                depth += 1;
            } else if *tok == close {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(r.start);
                }
            }
        }
        None
    }
}
