//! The one scoring policy: per component, per section of the production-readiness review,
//! and for the repository. Every point lost is a [`Deduction`] in the report.
//!
//! **Score.** Start at 10. Each category with findings deducts
//! `weight(severity) × (1 + log2(count))`, capped at `cap(severity)`, where severity is the
//! most severe finding of that category in scope:
//!
//! | severity | weight | cap |
//! |---|---|---|
//! | P0 | 1.5 | 3.0 |
//! | P1 | 0.8 | 2.0 |
//! | P2 | 0.35 | 1.0 |
//! | P3 | 0.1 | 0.3 |
//!
//! The logarithm and the cap mean one noisy category (forty swallowed errors) cannot sink
//! a score alone: breadth of gaps matters more than repetition. The score is floored at 0
//! and rounded to one decimal. It is monotone: a new finding raises a count or a severity,
//! and both only raise a deduction.
//!
//! **Verdict** (driven by P0/P1, not by the score):
//! - any P0 finding → *Not production-ready*;
//! - P1 findings in three or more categories → *Not production-ready* (several
//!   independent ways to an outage);
//! - any other P1 finding → *Production-ready with fixes*;
//! - otherwise → *Production-ready* ("System meets production readiness standards."),
//!   P2/P3 findings being recommendations.

use std::collections::BTreeMap;

use pagerproof_core::taxonomy::{self, SECTIONS};
use pagerproof_core::{Deduction, Finding, Report, Section, Severity, Verdict};

pub fn weight(s: Severity) -> f64 {
    match s {
        Severity::P0 => 1.5,
        Severity::P1 => 0.8,
        Severity::P2 => 0.35,
        Severity::P3 => 0.1,
    }
}

pub fn cap(s: Severity) -> f64 {
    match s {
        Severity::P0 => 3.0,
        Severity::P1 => 2.0,
        Severity::P2 => 1.0,
        Severity::P3 => 0.3,
    }
}

/// Deductions for a set of findings, one per category, sorted by points lost.
pub fn deductions<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Deduction> {
    let mut by_cat: BTreeMap<&str, (Severity, u32)> = BTreeMap::new();
    for f in findings {
        let e = by_cat
            .entry(f.category.as_str())
            .or_insert((Severity::P3, 0));
        e.0 = e.0.min(f.severity);
        e.1 += 1;
    }
    let mut out: Vec<Deduction> = by_cat
        .into_iter()
        .map(|(cat, (sev, count))| {
            let raw = weight(sev) * (1.0 + f64::from(count).log2());
            let points = round2(raw.min(cap(sev)));
            Deduction {
                category: cat.to_string(),
                severity: sev,
                count,
                points,
                note: if raw > cap(sev) {
                    format!("capped at {}", cap(sev))
                } else {
                    String::new()
                },
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.points
            .total_cmp(&a.points)
            .then_with(|| a.category.cmp(&b.category))
    });
    out
}

pub fn score_of(deductions: &[Deduction]) -> f64 {
    let lost: f64 = deductions.iter().map(|d| d.points).sum();
    ((10.0 - lost).max(0.0) * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The verdict and its reason.
pub fn verdict(findings: &[Finding]) -> (Verdict, String) {
    let p0 = findings
        .iter()
        .filter(|f| f.severity == Severity::P0)
        .count();
    let mut p1_cats: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::P1)
        .map(|f| f.category.as_str())
        .collect();
    p1_cats.sort();
    p1_cats.dedup();
    let p1 = findings
        .iter()
        .filter(|f| f.severity == Severity::P1)
        .count();
    if p0 > 0 {
        (
            Verdict::NotProductionReady,
            format!("{p0} P0 finding(s): data loss or security breach risk"),
        )
    } else if p1_cats.len() >= 3 {
        (
            Verdict::NotProductionReady,
            format!(
                "P1 findings in {} categories ({}): several independent ways to an outage",
                p1_cats.len(),
                p1_cats.join(", ")
            ),
        )
    } else if p1 > 0 {
        (
            Verdict::ProductionReadyWithFixes,
            format!(
                "no P0; {p1} P1 finding(s) in {} to fix before launch",
                p1_cats.join(", ")
            ),
        )
    } else {
        (Verdict::ProductionReady, "no P0 or P1 findings".to_string())
    }
}

/// Fills scores, deductions, sections and the verdict of a report.
pub fn apply(report: &mut Report) {
    for c in report.components.iter_mut() {
        let d = deductions(report.findings.iter().filter(|f| f.component == c.path));
        c.score = score_of(&d);
        c.deductions = d;
    }
    report.deductions = deductions(&report.findings);
    report.score = score_of(&report.deductions);
    let (v, why) = verdict(&report.findings);
    report.verdict = v;
    report.verdict_reason = why;
    report.sections = sections(report);
}

/// The ten sections, each covered / gaps / not applicable.
pub fn sections(report: &Report) -> Vec<Section> {
    SECTIONS
        .iter()
        .map(|&(number, title)| {
            let cats: Vec<String> = taxonomy::CATEGORIES
                .iter()
                .filter(|c| c.section == number)
                .map(|c| c.name.to_string())
                .collect();
            let fs: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| cats.contains(&f.category))
                .collect();
            let d = deductions(fs.iter().copied());
            let checked = cats.iter().any(|c| {
                report
                    .rules_run
                    .iter()
                    .any(|r| rule_category(r) == Some(c.as_str()))
            });
            let (status, reason) = if !fs.is_empty() {
                ("gaps", String::new())
            } else if checked {
                ("covered", String::new())
            } else {
                ("not_applicable", "no check of this section ran".to_string())
            };
            Section {
                number,
                title: title.to_string(),
                status: status.to_string(),
                reason,
                score: score_of(&d),
                categories: cats,
                findings: fs.len() as u32,
            }
        })
        .collect()
}

fn rule_category(id: &str) -> Option<&'static str> {
    crate::registry::all_rules()
        .iter()
        .find(|m| m.id == id)
        .map(|m| m.category)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(cat: &str, sev: Severity) -> Finding {
        Finding {
            fingerprint: String::new(),
            rule: "r".into(),
            category: cat.into(),
            severity: sev,
            confidence: pagerproof_core::Confidence::High,
            path: "a".into(),
            line: Some(1),
            column: Some(1),
            end_line: None,
            end_column: None,
            component: ".".into(),
            subject: String::new(),
            message: String::new(),
            scenario: String::new(),
            impact: String::new(),
            detection: String::new(),
            mitigation: String::new(),
            monitoring: String::new(),
            fix: None,
            snippet: None,
            context: "production".into(),
            related: vec![],
        }
    }

    #[test]
    fn monotone_and_capped() {
        let mut fs = vec![f("SWALLOW", Severity::P2)];
        let mut last = score_of(&deductions(&fs));
        for _ in 0..100 {
            fs.push(f("SWALLOW", Severity::P2));
            let s = score_of(&deductions(&fs));
            assert!(s <= last);
            last = s;
        }
        // One noisy P2 category costs at most its cap.
        assert_eq!(last, 9.0);
        fs.push(f("TIMEOUT", Severity::P1));
        assert!(score_of(&deductions(&fs)) < last);
    }

    #[test]
    fn verdict_rules() {
        assert_eq!(verdict(&[]).0, Verdict::ProductionReady);
        assert_eq!(
            verdict(&[f("DEBUG", Severity::P1)]).0,
            Verdict::ProductionReadyWithFixes
        );
        assert_eq!(
            verdict(&[f("SECRET", Severity::P0)]).0,
            Verdict::NotProductionReady
        );
        let three = [
            f("A", Severity::P1),
            f("B", Severity::P1),
            f("C", Severity::P1),
        ];
        assert_eq!(verdict(&three).0, Verdict::NotProductionReady);
    }
}
