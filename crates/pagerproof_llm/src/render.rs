//! The narrative as a Markdown section, stored in `narrative.markdown` so every renderer
//! (terminal, markdown, prr, sre, staff, html) prints the same text beside the findings
//! through `pagerproof_core::narrative::markdown`.

use std::fmt::Write;

use crate::Narrative;

/// Heading of the section.
pub const TITLE: &str = "## Narrative review (language model)";

/// The section for a successful narration; `grounded` is the model's text with
/// unverified claims already marked.
pub fn markdown(n: &Narrative, grounded: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{TITLE}\n");
    let model = n.model.as_deref().unwrap_or("?");
    let provider = n.provider.as_deref().unwrap_or("?");
    let checked = n.claims.len();
    let _ = writeln!(
        o,
        "> Persona **{}**, model `{model}` ({provider}{}). Written by a language model from the \
deterministic findings; it adds judgement and replaces none of them. {checked} citation(s) checked, \
{} unverified{}.",
        n.persona.name,
        if n.cached { ", cached answer" } else { "" },
        n.unverified,
        if n.unverified > 0 {
            " (marked **[unverified: …]**)"
        } else {
            ""
        }
    );
    if !n.evidence.omitted.is_empty() {
        let parts: Vec<String> = n
            .evidence
            .omitted
            .iter()
            .map(|(s, c)| format!("{c} {s}"))
            .collect();
        let _ = writeln!(
            o,
            "> The evidence sent was trimmed to the token budget: {} finding(s) not sent.",
            parts.join(", ")
        );
    }
    o.push('\n');
    o.push_str(demote_headings(grounded.trim()).trim_end());
    o.push('\n');
    let bad: Vec<_> = n.claims.iter().filter(|c| !c.verified).collect();
    if !bad.is_empty() {
        let _ = writeln!(o, "\n#### Unverified claims\n");
        for c in bad {
            let _ = writeln!(
                o,
                "- `{}`: {}",
                c.cited.replace('`', "'"),
                c.reason.as_deref().unwrap_or("not found in the evidence")
            );
        }
    }
    if !n.tool_calls.is_empty() {
        let _ = writeln!(o, "\n#### Tool calls\n");
        for t in &n.tool_calls {
            let _ = writeln!(
                o,
                "- `{} {}`: {}, {}",
                t.tool,
                t.input.replace('`', "'"),
                t.outcome,
                t.detail
            );
        }
    }
    o
}

/// The section when no narration could be produced.
pub fn failed(error: &str) -> String {
    format!(
        "{TITLE}\n\n> Not available: {error}. The deterministic findings are complete without it.\n"
    )
}

/// Shifts the model's headings so the highest is level 3 (under our level-2 title),
/// outside code fences.
fn demote_headings(text: &str) -> String {
    let mut in_fence = false;
    let min = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                in_fence = !in_fence;
                return false;
            }
            !in_fence && heading_level(l).is_some()
        })
        .filter_map(heading_level)
        .min();
    let Some(min) = min else {
        return text.to_string();
    };
    let shift = 3usize.saturating_sub(min);
    if shift == 0 {
        return text.to_string();
    }
    let mut in_fence = false;
    let mut out = String::with_capacity(text.len() + 64);
    for l in text.split_inclusive('\n') {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if !in_fence && heading_level(l).is_some() {
            out.push_str(&"#".repeat(shift));
        }
        out.push_str(l);
    }
    out
}

fn heading_level(l: &str) -> Option<usize> {
    let n = l.chars().take_while(|c| *c == '#').count();
    (1..=6)
        .contains(&n)
        .then_some(n)
        .filter(|_| l[n..].starts_with(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_under_the_title() {
        assert_eq!(
            demote_headings("# A\ntext\n## B\n"),
            "### A\ntext\n#### B\n"
        );
        assert_eq!(demote_headings("### A\n"), "### A\n");
        assert_eq!(
            demote_headings("```\n# c\n```\n## B\n"),
            "```\n# c\n```\n### B\n"
        );
    }
}
