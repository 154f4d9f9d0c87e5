//! `--format markdown`: a compact pull-request comment. Verdict, score and counts on top,
//! the most severe findings with `path:line` links (`--link-base`), and everything else in
//! collapsed `<details>` blocks: all findings, sections, suppressions. Repository text is
//! escaped so a file named `<script>` or a message with `|` cannot break the comment.

use std::fmt::Write;

use pagerproof_core::{Report, Severity};

use crate::Options;
use crate::common::{self, code_span, counts_line, md_cell, md_escape, md_location};

/// Findings shown before the collapsed list.
const TOP: usize = 10;
/// Findings in the collapsed list (GitHub comments are limited to 65 536 characters).
const MAX_ALL: usize = 200;

fn cell_location(path: &str, line: Option<u32>, opts: &Options) -> String {
    md_location(path, line, opts).replace('|', "\\|")
}

pub fn render(r: &Report, opts: &Options) -> String {
    let mut o = String::new();
    let icon = match r.verdict {
        pagerproof_core::Verdict::ProductionReady => "🟢",
        pagerproof_core::Verdict::ProductionReadyWithFixes => "🟡",
        pagerproof_core::Verdict::NotProductionReady => "🔴",
    };
    let _ = writeln!(
        o,
        "### {icon} pagerproof: {} · {:.1}/10\n",
        r.verdict, r.score
    );
    let _ = writeln!(
        o,
        "**{}** listed · {} · {}\n",
        common::plural(r.findings.len(), "finding"),
        counts_line(r),
        md_escape(&r.verdict_reason)
    );
    if let Some(note) = common::scope_note(r) {
        let _ = writeln!(o, "_{}_\n", note);
    }
    if r.findings.is_empty() {
        let _ = writeln!(o, "No findings to show.\n");
    } else {
        let _ = writeln!(o, "| Severity | Location | Finding | Rule |");
        let _ = writeln!(o, "|---|---|---|---|");
        for f in r.findings.iter().take(TOP) {
            row(&mut o, f, opts);
        }
        let _ = writeln!(o);
    }
    if r.findings.len() > TOP {
        let _ = writeln!(
            o,
            "<details><summary>All {} findings</summary>\n",
            r.findings.len()
        );
        let _ = writeln!(o, "| Severity | Location | Finding | Rule |");
        let _ = writeln!(o, "|---|---|---|---|");
        for f in r.findings.iter().take(MAX_ALL) {
            row(&mut o, f, opts);
        }
        if r.findings.len() > MAX_ALL {
            let _ = writeln!(
                o,
                "\n… {} more: see the full report (`--format html` or `--format sarif`).",
                r.findings.len() - MAX_ALL
            );
        }
        let _ = writeln!(o, "\n</details>\n");
    }
    if !r.sections.is_empty() {
        let _ = writeln!(o, "<details><summary>Readiness by section</summary>\n");
        let _ = writeln!(o, "| # | Section | Status | Findings | Score |");
        let _ = writeln!(o, "|---|---|---|---|---|");
        for s in &r.sections {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {:.1} |",
                s.number,
                md_escape(&s.title),
                s.status.replace('_', " "),
                s.findings,
                s.score
            );
        }
        let _ = writeln!(o, "\n</details>\n");
    }
    if !r.deductions.is_empty() {
        let _ = writeln!(o, "<details><summary>Score deductions</summary>\n");
        for d in common::deduction_lines(&r.deductions) {
            let _ = writeln!(o, "- {}", md_escape(&d));
        }
        let _ = writeln!(o, "\n</details>\n");
    }
    if !r.suppressed.is_empty() || !r.rejected_suppressions.is_empty() {
        let _ = writeln!(
            o,
            "<details><summary>Suppressions: {} honoured, {} not honoured</summary>\n",
            r.suppressed.len(),
            r.rejected_suppressions.len()
        );
        for s in &r.suppressed {
            let _ = writeln!(
                o,
                "- [{}] {} {} — {}",
                s.severity,
                md_location(&s.path, s.line, opts),
                code_span(&s.rule),
                common::md_inline(&s.reason)
            );
        }
        for s in &r.rejected_suppressions {
            let _ = writeln!(
                o,
                "- **not honoured** {} ignore[{}]: {}",
                md_location(&s.path, Some(s.line), opts),
                md_escape(&s.rules.join(", ")),
                common::md_inline(&s.problem)
            );
        }
        let _ = writeln!(o, "\n</details>\n");
    }
    let gate = r.count_at_or_above(Severity::P1);
    let _ = writeln!(
        o,
        "<sub>pagerproof {} · {} files · {} rules · {} P0/P1 finding(s) listed</sub>",
        md_escape(&r.tool.version),
        r.stats.files,
        r.rules_run.len(),
        gate
    );
    o
}

fn row(o: &mut String, f: &pagerproof_core::Finding, opts: &Options) {
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} |",
        f.severity,
        cell_location(&f.path, f.line, opts),
        md_cell(&f.message),
        code_span(&f.rule).replace('|', "\\|")
    );
}
