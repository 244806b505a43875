//! The output buffer: lines, indentation, blank lines, and comments flushed by position.
//!
//! Comments are flushed only at line starts (before an item, a statement, a list element or a
//! closer), so a comment can never swallow the code after it. A comment that sat inside code printed
//! on one line is flushed at the next such point: a trailing one goes to the end of the line just
//! finished, an own-line one onto its own line.

use super::WIDTH;
use super::trivia::Trivia;

pub(super) struct Printer<'t, 's> {
    pub trivia: &'t Trivia<'s>,
    /// The next comment not yet printed.
    next: usize,
    lines: Vec<String>,
    line: String,
    indent: usize,
    /// A blank line goes before the next line that gets content.
    pending_blank: bool,
    /// Nothing was printed since an opening line (`{`, `(`, `[`): no blank line may follow.
    just_opened: bool,
    /// The last finished line ends with a comment.
    last_has_comment: bool,
    /// Print everything on one line and ignore comments (to measure what a node's flat form is).
    pub flat: bool,
    /// Columns that follow the node being printed on its line (` {` after a condition, `,` after a
    /// list element), so that the line it ends stays within [`WIDTH`].
    pub reserve: usize,
}

impl<'t, 's> Printer<'t, 's> {
    pub fn new(trivia: &'t Trivia<'s>) -> Self {
        Printer {
            trivia,
            next: 0,
            lines: Vec::new(),
            line: String::new(),
            indent: 0,
            pending_blank: false,
            just_opened: false,
            last_has_comment: false,
            flat: false,
            reserve: 0,
        }
    }

    /// A printer that renders on one line, for measuring.
    pub fn measuring(&self) -> Printer<'t, 's> {
        let mut p = Printer::new(self.trivia);
        p.next = self.trivia.comments.len();
        p.flat = true;
        p
    }

    /// Whatever `print` writes, on one line.
    pub fn flat_text(&self, print: impl FnOnce(&mut Printer<'t, 's>)) -> String {
        let mut p = self.measuring();
        print(&mut p);
        p.line
    }

    /// Whether `width` more columns fit on the current line.
    pub fn fits(&self, width: usize) -> bool {
        self.column() + width + self.reserve <= WIDTH
    }

    /// Print with `reserve` columns kept free after what `print` writes.
    pub fn reserving(&mut self, reserve: usize, print: impl FnOnce(&mut Self)) {
        let saved = std::mem::replace(&mut self.reserve, reserve);
        print(self);
        self.reserve = saved;
    }

    pub fn column(&self) -> usize {
        if self.line.is_empty() { self.indent * 4 } else { self.line.chars().count() }
    }

    pub fn write(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.line.is_empty() {
            if self.pending_blank && !self.lines.is_empty() {
                self.lines.push(String::new());
            }
            self.pending_blank = false;
            self.just_opened = false;
            self.line.push_str(&" ".repeat(self.indent * 4));
        }
        self.line.push_str(text);
    }

    /// End the current line (nothing happens on an empty one).
    pub fn newline(&mut self) {
        if self.flat {
            self.write(" ");
            return;
        }
        if !self.line.is_empty() {
            self.lines.push(self.line.trim_end().to_string());
            self.line.clear();
            self.last_has_comment = false;
        }
    }

    /// Write `text` (ending in an opener), end the line and indent what follows.
    pub fn open(&mut self, text: &str) {
        self.write(text);
        self.newline();
        self.indent += 1;
        self.just_opened = true;
    }

    /// Undo an `open`: the closer goes on its own line, with no blank line before it.
    pub fn close(&mut self, text: &str) {
        self.newline();
        self.indent = self.indent.saturating_sub(1);
        self.pending_blank = false;
        self.write(text);
    }

    /// Ask for a blank line before the next content (ignored straight after an opener).
    pub fn blank(&mut self) {
        if !self.just_opened && !self.flat {
            self.pending_blank = true;
        }
    }

    /// A blank line before the node at `pos` if the source had one there.
    pub fn source_blank(&mut self, pos: usize) {
        if self.trivia.blank_before(pos) {
            self.blank();
        }
    }

    /// Whether a comment not yet printed lies in `start..end`: such a node is not printed flat.
    pub fn comment_within(&self, start: usize, end: usize) -> bool {
        self.trivia.comments[self.next..].iter().take_while(|c| c.start < end).any(|c| c.start >= start)
    }

    /// Print every comment that starts before `pos`. Returns whether one went on its own line.
    /// `force_blank` puts a blank line before the first own-line one.
    pub fn comments_before(&mut self, pos: usize, force_blank: bool) -> bool {
        let mut own_line = false;
        // Mid-line, a comment would swallow the rest of the line: wait for the next line start.
        if !self.line.is_empty() || self.flat {
            return false;
        }
        while let Some(c) = self.trivia.comments.get(self.next) {
            if c.start >= pos {
                break;
            }
            self.next += 1;
            if c.trailing
                && !self.last_has_comment
                && let Some(last) = self.lines.last_mut()
                && !last.is_empty()
            {
                last.push(' ');
                last.push_str(&c.text);
                self.last_has_comment = true;
                continue;
            }
            if c.blank_before || (force_blank && !own_line) {
                self.blank();
            }
            self.write(&c.text);
            self.newline();
            self.last_has_comment = true;
            own_line = true;
        }
        own_line
    }

    /// Print the remaining comments and return the text.
    pub fn finish(mut self) -> String {
        self.newline();
        self.comments_before(usize::MAX, false);
        self.newline();
        let mut out = self.lines.join("\n");
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
}
