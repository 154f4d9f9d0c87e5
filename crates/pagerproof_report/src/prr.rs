//! `--format prr`: the production-readiness review of
//! `seeds/production-readiness-review.md`. Every gap as *what is missing or unsafe* (with
//! its evidence, `path:line`) / *operational risk* / *concrete fix* / *severity*, P0 and P1
//! first; each of the document's ten sections marked covered, gaps or not applicable (with
//! why); and the *Final Verdict* in the document's exact words.

use std::fmt::Write;

use pagerproof_core::{Report, Severity, Verdict};

use crate::Options;
use crate::common::{
    self, Gap, code_span, counts_line, gaps, md_escape, md_inline, md_location, section_name,
    severity_meaning,
};

/// Sites listed under one gap before the rest are counted.
const MAX_SITES: usize = 25;

pub fn render(r: &Report, opts: &Options) -> String {
    let mut o = String::new();
    let all = gaps(&r.findings, opts);
    let _ = writeln!(o, "# Production-readiness review: {}\n", code_span(&r.root));
    let _ = writeln!(
        o,
        "> If it cannot be safely operated, it is not production-ready.\n"
    );
    let _ = writeln!(
        o,
        "**Verdict: {}** — {}.  \n**Operational Readiness Score: {:.1}/10** · {} · {} component(s) · {} file(s) reviewed by {} rule(s).\n",
        r.verdict,
        md_escape(&r.verdict_reason),
        r.score,
        counts_line(r),
        r.components.len(),
        r.stats.files,
        r.rules_run.len()
    );
    if let Some(note) = common::scope_note(r) {
        let _ = writeln!(o, "_{}_\n", note);
    }

    sections_table(&mut o, r, &all);

    let (urgent, rest): (Vec<&Gap<'_>>, Vec<&Gap<'_>>) =
        all.iter().partition(|g| g.severity <= Severity::P1);
    let _ = writeln!(o, "## P0 and P1 gaps\n");
    if urgent.is_empty() {
        let _ = writeln!(
            o,
            "None: no data-loss, security-breach, outage or stuck-system gap was found.\n"
        );
    }
    let mut n = 0;
    for g in &urgent {
        n += 1;
        gap(&mut o, n, g, opts);
    }
    let _ = writeln!(o, "## P2 and P3 gaps\n");
    if rest.is_empty() {
        let _ = writeln!(o, "None.\n");
    }
    for g in &rest {
        n += 1;
        gap(&mut o, n, g, opts);
    }

    suppressions(&mut o, r, opts);
    not_reviewed(&mut o, r);
    scoring(&mut o, r);

    let _ = writeln!(o, "## Final Verdict\n");
    let _ = writeln!(o, "**{}**\n", r.verdict);
    match r.verdict {
        Verdict::ProductionReady if !common::anything_checked(r) => {
            let _ = writeln!(
                o,
                "No section could be checked (see the reasons above), so this verdict only says that no gap was found, not that the system meets production readiness standards.\n"
            );
        }
        Verdict::ProductionReady => {
            let _ = writeln!(o, "System meets production readiness standards.\n");
            if !r.findings.is_empty() {
                let _ = writeln!(
                    o,
                    "The {} P2/P3 gap(s) above are recommendations: operational pain and hygiene, not launch blockers.",
                    r.findings.len()
                );
            }
        }
        _ => {
            let _ = writeln!(o, "{}.\n", capital(&md_escape(&r.verdict_reason)));
            let firsts: Vec<String> = urgent
                .iter()
                .enumerate()
                .take(8)
                .map(|(i, g)| {
                    format!(
                        "{}. [{}] {} — {} (gap {})",
                        i + 1,
                        g.severity,
                        md_escape(&g.title),
                        g.extent(),
                        i + 1
                    )
                })
                .collect();
            if !firsts.is_empty() {
                let _ = writeln!(o, "Fix first:\n");
                for f in firsts {
                    let _ = writeln!(o, "{f}");
                }
                if urgent.len() > 8 {
                    let _ = writeln!(
                        o,
                        "\n… and the other {} P0/P1 gaps above.",
                        urgent.len() - 8
                    );
                }
            }
        }
    }
    o
}

fn capital(s: &str) -> String {
    common::capitalise(s)
}

fn sections_table(o: &mut String, r: &Report, all: &[Gap<'_>]) {
    let _ = writeln!(o, "## Readiness by section\n");
    if r.sections.is_empty() {
        let _ = writeln!(o, "No section was assessed.\n");
        return;
    }
    let _ = writeln!(o, "| # | Section | Status | Findings | Score |");
    let _ = writeln!(o, "|---|---|---|---|---|");
    for s in &r.sections {
        let status = match s.status.as_str() {
            "gaps" => "**gaps**",
            "covered" => "covered",
            _ => "not applicable",
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {:.1} |",
            s.number,
            md_escape(&s.title),
            status,
            s.findings,
            s.score
        );
    }
    let _ = writeln!(o);
    for s in &r.sections {
        let status = match s.status.as_str() {
            "gaps" => "gaps",
            "covered" => "covered",
            _ => "not applicable",
        };
        let mut line = format!(
            "- **{} — {status}.** {}",
            md_escape(&section_name(s.number)),
            md_escape(&capital(&s.reason))
        );
        if s.status == "gaps" {
            let nums: Vec<String> = all
                .iter()
                .enumerate()
                .filter(|(_, g)| g.section() == Some(s.number))
                .map(|(i, g)| format!("{} ({})", i + 1, g.severity))
                .collect();
            let _ = write!(line, ". Gaps {}", nums.join(", "));
        }
        if !s.evidence.is_empty() {
            let ev: Vec<String> = s
                .evidence
                .iter()
                .take(6)
                .map(|e| {
                    let loc = md_location(&e.path, e.line, &Options::default());
                    if e.note.is_empty() {
                        loc
                    } else {
                        format!("{loc} {}", md_escape(&e.note))
                    }
                })
                .collect();
            let _ = write!(line, ". Evidence: {}", ev.join("; "));
        }
        let _ = writeln!(o, "{}", line.trim_end_matches('.').to_string() + ".");
    }
    let _ = writeln!(o);
}

fn gap(o: &mut String, n: usize, g: &Gap<'_>, opts: &Options) {
    let f = g.first();
    let _ = writeln!(
        o,
        "### {n}. [{}] {} — {}\n",
        g.severity,
        md_escape(&g.title),
        g.extent()
    );
    let _ = writeln!(
        o,
        "{} · rule {} · {} · confidence {}\n",
        g.section()
            .and_then(|n| {
                pagerproof_core::taxonomy::SECTIONS
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(k, t)| format!("Section {k}, {t}"))
            })
            .unwrap_or_else(|| "No section".to_string()),
        code_span(g.rule),
        g.category,
        f.confidence.as_str()
    );
    let _ = writeln!(o, "**What is missing or unsafe**\n");
    common::site_bullets(o, g, MAX_SITES, opts);
    let _ = writeln!(o);
    let risk = [f.scenario.trim(), f.impact.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(
        o,
        "**Operational risk:** {}\n",
        if risk.is_empty() {
            "see the rule's documentation (`pagerproof explain`).".to_string()
        } else {
            risk
        }
    );
    let _ = writeln!(o, "**Concrete fix:**");
    common::fix_text(o, g, opts);
    let _ = writeln!(o, "**Severity:** {}\n", severity_meaning(g.severity));
}

fn suppressions(o: &mut String, r: &Report, opts: &Options) {
    if r.suppressed.is_empty() && r.rejected_suppressions.is_empty() {
        return;
    }
    let _ = writeln!(o, "## Suppressed findings\n");
    if !r.suppressed.is_empty() {
        let _ = writeln!(
            o,
            "Silenced inline with `pagerproof: ignore[rule] reason`; each reason is the author's claim, worth re-checking in review:\n"
        );
        for s in &r.suppressed {
            let _ = writeln!(
                o,
                "- [{}] {} {} — {}",
                s.severity,
                md_location(&s.path, s.line, opts),
                code_span(&s.rule),
                md_inline(&s.reason)
            );
        }
        let _ = writeln!(o);
    }
    if !r.rejected_suppressions.is_empty() {
        let _ = writeln!(
            o,
            "Suppressions **not honoured** (their findings are still listed above):\n"
        );
        for s in &r.rejected_suppressions {
            let _ = writeln!(
                o,
                "- {} ignore[{}]: {}",
                md_location(&s.path, Some(s.line), opts),
                md_escape(&s.rules.join(", ")),
                md_inline(&s.problem)
            );
        }
        let _ = writeln!(o);
    }
}

fn not_reviewed(o: &mut String, r: &Report) {
    if r.not_analyzed.is_empty() && r.skipped.is_empty() && r.stats.parse_errors == 0 {
        return;
    }
    let _ = writeln!(o, "## What this review could not see\n");
    for n in &r.not_analyzed {
        let _ = writeln!(o, "- {}: {}", code_span(&n.path), md_escape(&n.what));
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(
            o,
            "- {} file(s) skipped (generated, minified, vendored, too large or unreadable), e.g. {}",
            r.skipped.len(),
            r.skipped
                .iter()
                .take(3)
                .map(|s| format!("{} ({})", code_span(&s.path), md_escape(&s.reason)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if r.stats.parse_errors > 0 {
        let _ = writeln!(
            o,
            "- {} file(s) had syntax errors and were analysed as far as they parse",
            r.stats.parse_errors
        );
    }
    let _ = writeln!(o);
}

fn scoring(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Score\n");
    let _ = writeln!(
        o,
        "{:.1}/10. Each category with findings has a penalty (weight by worst severity × (1 + log2 count), capped), taken from what the larger penalties left (policy: `docs/scoring.md`).\n",
        r.score
    );
    if r.deductions.is_empty() {
        let _ = writeln!(o, "No deductions.\n");
        return;
    }
    for d in common::deduction_lines(&r.deductions) {
        let _ = writeln!(o, "- {}", md_escape(&d));
    }
    let _ = writeln!(o);
    let mut comps: Vec<_> = r.components.iter().collect();
    comps.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.path.cmp(&b.path)));
    if !comps.is_empty() {
        let _ = writeln!(o, "| Component | Kind | Score | Findings |");
        let _ = writeln!(o, "|---|---|---|---|");
        for c in comps {
            let n = r.findings.iter().filter(|f| f.component == c.path).count();
            let _ = writeln!(
                o,
                "| {} | {} | {:.1} | {} |",
                code_span(&c.path).replace('|', "\\|"),
                md_escape(&c.kind),
                c.score,
                n
            );
        }
        let _ = writeln!(o);
    }
}
