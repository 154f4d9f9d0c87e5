//! Rule documentation, generated from each rule's metadata: `pagerproof explain RULE`
//! prints it and `cargo xtask docs` writes `docs/rules/` from the same function.

use std::fmt::Write;

use crate::rule::RuleMeta;
use crate::testing;

/// The full documentation of a rule, in Markdown, in the SRE review's risk format.
pub fn explain(m: &RuleMeta) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}: {}\n", m.id, m.summary);
    let _ = writeln!(
        o,
        "- **Category:** {}\n- **Default severity:** {} ({})\n- **Confidence:** {}\n- **Languages:** {}\n- **Outside production code:** {}{}\n",
        m.category,
        m.severity,
        m.severity.meaning(),
        m.confidence.as_str(),
        m.languages.join(", "),
        m.outside_production.describe(),
        if m.preview {
            "\n- **Preview:** off by default; enable with `--preview` or `rules.enable`"
        } else {
            ""
        }
    );
    let d = &m.docs;
    let _ = writeln!(o, "## What it detects\n\n{}\n", d.what);
    let _ = writeln!(o, "## Scenario\n\n{}\n", d.scenario);
    let _ = writeln!(o, "## Impact\n\n{}\n", d.impact);
    let _ = writeln!(o, "## Detection\n\n{}\n", d.detection);
    let _ = writeln!(o, "## Mitigation\n\n{}\n", d.mitigation);
    for (lang, code) in d.fixes {
        let _ = writeln!(o, "```{lang}\n{}\n```\n", code.trim_matches('\n'));
    }
    let _ = writeln!(o, "## Monitoring\n\n{}\n", d.monitoring);
    if let Some(example) = m.cases.iter().find(|c| testing::is_positive(c)) {
        let (path, src) = example
            .files
            .iter()
            .find(|(p, _)| *p != testing::EXPECT_FILE)
            .copied()
            .unwrap_or(("", ""));
        let (code, exp) = testing::parse_markers(path, src);
        let _ = writeln!(o, "## Example\n\n`{path}`:\n\n```\n{}```\n", code);
        for e in exp {
            let _ = writeln!(o, "- line {}, column {}: {}", e.line, e.column, e.message);
        }
    }
    o
}

/// One line per rule: id, category, severity, summary.
pub fn rules_table(rules: &[&RuleMeta]) -> String {
    let mut o = String::new();
    for m in rules {
        let _ = writeln!(
            o,
            "{:<44} {:<18} {}  {}{}",
            m.id,
            m.category,
            m.severity,
            m.summary,
            if m.preview { " (preview)" } else { "" }
        );
    }
    o
}
