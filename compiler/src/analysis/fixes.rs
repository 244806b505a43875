//! Code actions: the edits that diagnostics already describe in their help, made applicable. A
//! `did you mean X?` replaces the primary span by `X`; a missing argument (E0301) is added by name.

use super::Analysis;
use super::complete::UNITS;
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};

/// One edit that fixes a diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub title: String,
    pub span: Span,
    pub replacement: String,
    /// The diagnostic it fixes.
    pub diagnostic: Diagnostic,
}

/// The replacements a `did you mean ...?` help proposes: `40 mm`; `2 rad` and `2 deg`; `pick`.
fn suggestions(help: &str) -> Vec<String> {
    let Some(rest) = help.strip_prefix("did you mean ") else { return Vec::new() };
    let Some(body) = rest.strip_suffix('?') else { return Vec::new() };
    let body = body.split(" (").next().unwrap_or(body);
    body.split(" or ").map(|s| s.trim().trim_matches('`').to_string()).filter(|s| !s.is_empty()).collect()
}

/// A value to start a missing argument of this type with: zero in an everyday unit, or nothing.
fn placeholder(ty: &str) -> &'static str {
    match ty {
        "Bool" => "false",
        "Int" => "0",
        "Real" => "0.0",
        "String" => "\"\"",
        _ => UNITS.iter().find(|(_, d)| *d == ty).map_or("", |(u, _)| match *u {
            "mm" => "0 mm",
            "deg" => "0 deg",
            "s" => "0 s",
            "kg" => "0 kg",
            "N" => "0 N",
            "N*m" => "0 N*m",
            "mm/s" => "0 mm/s",
            "deg/s" => "0 deg/s",
            "mm/s^2" => "0 mm/s^2",
            "J" => "0 J",
            "W" => "0 W",
            "%" => "0 %",
            _ => "",
        }),
    }
}

impl Analysis {
    /// The fixes for diagnostics of `file` whose primary span overlaps `start..end`.
    pub fn fixes(&self, file: FileId, start: usize, end: usize) -> Vec<Fix> {
        let mut out = Vec::new();
        for d in &self.diagnostics {
            let Some(span) = d.primary_span() else { continue };
            if span.file != file || (span.end as usize) < start || (span.start as usize) > end {
                continue;
            }
            if d.code == "E0301" {
                out.extend(self.missing_argument_fix(d, span));
                continue;
            }
            for s in d.help.as_deref().map(suggestions).unwrap_or_default() {
                out.push(Fix { title: format!("Replace with `{s}`"), span, replacement: s, diagnostic: d.clone() });
            }
        }
        out
    }

    /// E0301 labels the call; its help lists `name = <Type>` for each missing parameter.
    fn missing_argument_fix(&self, d: &Diagnostic, call: Span) -> Option<Fix> {
        let text = self.span_text(call);
        if !text.ends_with(')') {
            return None;
        }
        let help = d.help.as_deref()?;
        let wanted = help.rsplit_once(": `")?.1.strip_suffix('`')?;
        let args: Vec<String> = wanted
            .split(", ")
            .filter_map(|w| {
                let (name, ty) = w.split_once(" = ")?;
                Some(format!("{name} = {}", placeholder(ty.trim_matches(['<', '>']))))
            })
            .collect();
        if args.is_empty() {
            return None;
        }
        let inside = text[..text.len() - 1].trim_end();
        let empty = inside.ends_with('(');
        let insert = if empty { args.join(", ") } else { format!(", {}", args.join(", ")) };
        let at = call.start + inside.len() as u32;
        let span = Span { file: call.file, start: at, end: call.end - 1 };
        let title = format!(
            "Add {}",
            args.iter().map(|a| a.trim_end_matches(" = ").to_string()).collect::<Vec<_>>().join(", ")
        );
        Some(Fix { title, span, replacement: insert, diagnostic: d.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::suggestions;

    #[test]
    fn help_lines_give_replacements() {
        assert_eq!(suggestions("did you mean 40 mm?"), vec!["40 mm"]);
        assert_eq!(suggestions("did you mean 2 rad or 2 deg?"), vec!["2 rad", "2 deg"]);
        assert_eq!(suggestions("did you mean 2 rad (about 115 deg)?"), vec!["2 rad"]);
        assert_eq!(suggestions("did you mean `pick`?"), vec!["pick"]);
        assert!(suggestions("give every field").is_empty());
    }
}
