//! The one scoring policy: per component, per section of the production-readiness review,
//! and for the repository. Every point lost is a [`Deduction`] in the report, and
//! `docs/scoring.md` says the same as this comment.
//!
//! **Penalty of a category.** Within a scope (a component, a section, the repository),
//! each category with findings has a penalty
//! `min(cap(s), weight(s) × (1 + log2(count)))`, where `s` is the most severe finding of
//! the category in scope:
//!
//! | severity | weight | cap |
//! |---|---|---|
//! | P0 | 2.0 | 3.0 |
//! | P1 | 0.8 | 2.0 |
//! | P2 | 0.35 | 1.0 |
//! | P3 | 0.1 | 0.3 |
//!
//! A single P0 costs as much as the worst P1 category. The logarithm and the cap mean one
//! noisy category (forty swallowed errors) cannot sink a score alone: no category takes
//! more than 30 % of a score, and breadth of gaps counts more than repetition.
//!
//! **Score.** `10 × Π (1 − penalty/10)` over the categories in scope, rounded to one
//! decimal. Each penalty is taken from what the larger penalties left, so a score never
//! hits zero only because many categories have one small finding each, and two weak
//! repositories can still be told apart. The deductions list each category's `points`
//! (largest penalty first): they add up to `10 − score`.
//!
//! **Monotone.** A new finding raises a category's count or severity, or adds a category;
//! each only raises a penalty, and each penalty only lowers the product. So no finding ever
//! raises a score (a property test checks it).
//!
//! **Verdict** (driven by P0/P1, not by the score):
//! - any P0 finding → *Not production-ready*;
//! - P1 findings in three or more categories → *Not production-ready* (several
//!   independent ways to an outage);
//! - P1 findings of one category in three or more components → *Not production-ready*
//!   (the same outage risk everywhere: a systemic gap, not a fix);
//! - any other P1 finding → *Production-ready with fixes*;
//! - otherwise → *Production-ready* ("System meets production readiness standards."),
//!   P2/P3 findings being recommendations.
//!
//! **Sections.** Each of the document's ten sections gets the score of the findings of its
//! categories (`taxonomy`), and a status: `gaps` when it has findings; `not_applicable`
//! when what the review saw makes it moot ([`Seen`], e.g. no migrations → section 5) or no
//! rule of the section ran; `covered` otherwise, with the evidence of what was found
//! in place.

use std::collections::{BTreeMap, BTreeSet};

use pagerproof_core::taxonomy::{self, SECTIONS};
use pagerproof_core::{
    Component, Deduction, Evidence, Finding, Report, Section, Severity, Verdict,
};

use crate::aggregate::Inputs;
use crate::files::{self, FileKind, Role};
use crate::signals::SignalKind;

pub fn weight(s: Severity) -> f64 {
    match s {
        Severity::P0 => 2.0,
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

/// A category's penalty: `min(cap, weight × (1 + log2 count))`, to two decimals.
pub fn penalty(severity: Severity, count: u32) -> f64 {
    let raw = weight(severity) * (1.0 + f64::from(count.max(1)).log2());
    round2(raw.min(cap(severity)))
}

/// Deductions for a set of findings, one per category, largest penalty first. Each
/// deduction's `points` is what it takes from what the larger penalties left.
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
            let p = penalty(sev, count);
            Deduction {
                category: cat.to_string(),
                severity: sev,
                count,
                points: 0.0,
                note: if raw > cap(sev) {
                    format!("{count} {sev} findings, capped at {}", cap(sev))
                } else {
                    format!("{count} finding(s), worst {sev}")
                },
                penalty: p,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.penalty
            .total_cmp(&a.penalty)
            .then_with(|| a.severity.cmp(&b.severity))
            .then_with(|| a.category.cmp(&b.category))
    });
    let mut left = 10.0;
    for d in out.iter_mut() {
        let lost = left * d.penalty / 10.0;
        d.points = round2(lost);
        left -= lost;
    }
    out
}

/// The score the deductions leave: `10 × Π (1 − penalty/10)`, to one decimal.
pub fn score_of(deductions: &[Deduction]) -> f64 {
    let kept: f64 = deductions
        .iter()
        .map(|d| (1.0 - d.penalty / 10.0).max(0.0))
        .product();
    (10.0 * kept * 10.0).round() / 10.0
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
    let p0_cats: BTreeSet<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::P0)
        .map(|f| f.category.as_str())
        .collect();
    let p1_cats: BTreeSet<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::P1)
        .map(|f| f.category.as_str())
        .collect();
    let p1 = findings
        .iter()
        .filter(|f| f.severity == Severity::P1)
        .count();
    let list = |s: &BTreeSet<&str>| s.iter().copied().collect::<Vec<_>>().join(", ");
    // The same P1 gap in three or more deployable components is systemic, not a fix.
    let mut spread: std::collections::BTreeMap<&str, BTreeSet<&str>> =
        std::collections::BTreeMap::new();
    for f in findings
        .iter()
        .filter(|f| f.severity == Severity::P1 && f.component != ".")
    {
        spread
            .entry(f.category.as_str())
            .or_default()
            .insert(f.component.as_str());
    }
    let systemic: Vec<(&str, usize)> = spread
        .iter()
        .filter(|(_, c)| c.len() >= 3)
        .map(|(k, c)| (*k, c.len()))
        .collect();
    if p0 > 0 {
        (
            Verdict::NotProductionReady,
            format!(
                "{p0} P0 finding(s) ({}): data loss or security breach risk",
                list(&p0_cats)
            ),
        )
    } else if p1_cats.len() >= 3 {
        (
            Verdict::NotProductionReady,
            format!(
                "no P0, but {p1} P1 findings in {} categories ({}): several independent ways to an outage",
                p1_cats.len(),
                list(&p1_cats)
            ),
        )
    } else if !systemic.is_empty() {
        let what: Vec<String> = systemic
            .iter()
            .map(|(c, n)| format!("{c} in {n} components"))
            .collect();
        (
            Verdict::NotProductionReady,
            format!(
                "no P0, but {p1} P1 findings and the same outage risk across components ({}): a systemic gap, not a fix",
                what.join(", ")
            ),
        )
    } else if p1 > 0 {
        (
            Verdict::ProductionReadyWithFixes,
            format!(
                "no P0; {p1} P1 finding(s) in {} to fix before launch",
                list(&p1_cats)
            ),
        )
    } else {
        (Verdict::ProductionReady, "no P0 or P1 findings".to_string())
    }
}

/// Fills scores, deductions, sections and the verdict of a report.
pub fn apply(report: &mut Report, seen: &Seen) {
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
    report.sections = sections(report, seen);
}

/// What the review saw that decides whether a section applies: kinds of components,
/// migrations, consumers and schedulers, state-changing entry points.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    /// Files analysed, and how many of them were source code.
    pub files: u64,
    pub code_files: u64,
    /// Schema migrations (files under a migrations folder, Flyway/golang-migrate names,
    /// Liquibase changelogs).
    pub migrations: Vec<Evidence>,
    /// Queue/stream consumers, workers and in-process schedulers (signals).
    pub workers: Vec<Evidence>,
    /// Entry points that change state: POST/PUT/PATCH/DELETE routes, gRPC servers.
    pub state_changing: Vec<Evidence>,
    /// Services whose routes the review could not enumerate (no route signal at all).
    pub services_without_routes: Vec<String>,
}

impl Seen {
    /// Collects what the sections need from the analysed files.
    pub fn collect(inputs: &Inputs<'_>) -> Seen {
        let mut seen = Seen::default();
        let mut routed: BTreeSet<String> = BTreeSet::new();
        for r in inputs.results {
            if r.skipped.is_some() {
                continue;
            }
            seen.files += 1;
            if matches!(r.kind, Some(FileKind::Code(_))) {
                seen.code_files += 1;
            }
            if r.role != Some(Role::Production) {
                continue;
            }
            if is_migration(&r.path, r.kind) {
                seen.migrations.push(Evidence {
                    path: r.path.clone(),
                    line: None,
                    note: "schema migration".to_string(),
                });
            }
            let owner = crate::components::owner(inputs.components, &r.path);
            for s in &r.signals {
                let ev = || Evidence {
                    path: r.path.clone(),
                    line: Some(s.line),
                    note: s.detail.clone(),
                };
                match s.kind {
                    SignalKind::Worker | SignalKind::Scheduler => seen.workers.push(ev()),
                    SignalKind::GrpcServer => seen.state_changing.push(ev()),
                    SignalKind::Route => {
                        routed.insert(owner.to_string());
                        let method = s.detail.split_whitespace().next().unwrap_or("*");
                        if matches!(
                            method.to_ascii_uppercase().as_str(),
                            "POST" | "PUT" | "PATCH" | "DELETE" | "*" | "ANY"
                        ) {
                            seen.state_changing.push(ev());
                        }
                    }
                    _ => {}
                }
            }
        }
        for c in inputs.components {
            if c.kind == "service" && !routed.contains(&c.path) {
                seen.services_without_routes.push(c.path.clone());
            }
        }
        for v in [
            &mut seen.migrations,
            &mut seen.workers,
            &mut seen.state_changing,
        ] {
            v.sort();
            v.dedup();
        }
        seen
    }
}

/// Whether a path is a schema migration: a file under a `migrations`/`migrate`/`alembic`
/// folder (Django, Alembic, Rails, Prisma, Knex...), a Flyway (`V1__init.sql`) or
/// golang-migrate (`1_init.up.sql`) file, or a Liquibase changelog.
pub fn is_migration(path: &str, kind: Option<FileKind>) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = files::base_name(&lower);
    let in_folder = lower.split('/').rev().skip(1).any(|d| {
        matches!(
            d,
            "migrations" | "migration" | "migrate" | "alembic" | "flyway" | "liquibase"
        )
    });
    let code_or_sql = matches!(
        kind,
        Some(FileKind::Code(_)) | Some(FileKind::Sql) | Some(FileKind::Xml) | Some(FileKind::Yaml)
    );
    if in_folder && code_or_sql && !name.starts_with("__init__") && name != "env.py" {
        return true;
    }
    let flyway = name.starts_with('v')
        && name.contains("__")
        && name.ends_with(".sql")
        && name[1..].starts_with(|c: char| c.is_ascii_digit());
    let up_down = name.ends_with(".up.sql") || name.ends_with(".down.sql");
    let liquibase = name.contains("changelog")
        && matches!(
            kind,
            Some(FileKind::Xml) | Some(FileKind::Yaml) | Some(FileKind::Json)
        );
    flyway || up_down || liquibase
}

/// Whether a section applies to what the review saw, and why (or why not).
#[derive(Clone, Debug)]
pub struct Applies {
    pub applies: bool,
    pub reason: String,
    pub evidence: Vec<Evidence>,
}

fn yes(reason: impl Into<String>, evidence: Vec<Evidence>) -> Applies {
    Applies {
        applies: true,
        reason: reason.into(),
        evidence,
    }
}

fn no(reason: impl Into<String>) -> Applies {
    Applies {
        applies: false,
        reason: reason.into(),
        evidence: Vec::new(),
    }
}

fn names(components: &[Component], kinds: &[&str]) -> Vec<String> {
    components
        .iter()
        .filter(|c| kinds.contains(&c.kind.as_str()))
        .map(|c| c.path.clone())
        .collect()
}

fn sample(v: &[Evidence]) -> Vec<Evidence> {
    v.iter().take(5).cloned().collect()
}

fn listed(v: &[String]) -> String {
    let mut s = v.iter().take(6).cloned().collect::<Vec<_>>().join(", ");
    if v.len() > 6 {
        s.push_str(&format!(" and {} more", v.len() - 6));
    }
    s
}

/// Applicability of a section (1–10) to the repository, from what the review saw. A
/// section with findings applies whatever this says (the findings show it does).
pub fn applicability(number: u8, seen: &Seen, components: &[Component]) -> Applies {
    let running = names(components, &["service", "job"]);
    let deployable = names(components, &["service", "job", "infrastructure"]);
    let services = names(components, &["service"]);
    let jobs = names(components, &["job"]);
    match number {
        1 | 10 if deployable.is_empty() => no(if components.is_empty() {
            "no deployable component found (no Dockerfile, and no build manifest with an entry point)"
                .to_string()
        } else {
            format!(
                "nothing is deployed from this repository: its components are {}",
                kinds_of(components)
            )
        }),
        1 | 10 => yes(format!("deployable: {}", listed(&deployable)), Vec::new()),
        2 | 9 if seen.files == 0 => no("no file was analysed"),
        2 | 9 => yes(format!("{} files analysed", seen.files), Vec::new()),
        3 | 8 if running.is_empty() => no(format!(
            "nothing runs long enough to observe or shut down: {}",
            if components.is_empty() {
                "no deployable component found".to_string()
            } else {
                format!("components are {}", kinds_of(components))
            }
        )),
        3 | 8 => yes(
            format!("services and jobs: {}", listed(&running)),
            Vec::new(),
        ),
        4 if seen.code_files == 0 => no("no source code was analysed"),
        4 => yes(
            format!("{} source files analysed", seen.code_files),
            Vec::new(),
        ),
        5 if seen.migrations.is_empty() => no(
            "no schema migrations in the repository (looked for migrations/, alembic/, db/migrate/, \
             Flyway V*__*.sql, *.up.sql/*.down.sql and Liquibase changelogs); if a database \
             schema is managed elsewhere, review it there",
        ),
        5 => yes(
            format!("{} migration file(s)", seen.migrations.len()),
            sample(&seen.migrations),
        ),
        6 if !seen.state_changing.is_empty() => yes(
            format!(
                "{} state-changing entry point(s) (POST/PUT/PATCH/DELETE routes, gRPC services)",
                seen.state_changing.len()
            ),
            sample(&seen.state_changing),
        ),
        6 if !seen.workers.is_empty() => {
            yes("message consumers or workers found", sample(&seen.workers))
        }
        6 if !seen.services_without_routes.is_empty() => yes(
            format!(
                "services whose routes could not be enumerated, so state-changing requests are assumed: {}",
                listed(&seen.services_without_routes)
            ),
            Vec::new(),
        ),
        6 if !jobs.is_empty() => yes(
            format!(
                "jobs that may repeat side effects when re-run: {}",
                listed(&jobs)
            ),
            Vec::new(),
        ),
        6 => no(if services.is_empty() {
            "no service, job or message consumer: nothing receives requests or events".to_string()
        } else {
            "every route found is read-only (GET/HEAD), and no consumer or gRPC service was found"
                .to_string()
        }),
        7 if !seen.workers.is_empty() => yes(
            "background workers, consumers or schedulers found",
            sample(&seen.workers),
        ),
        7 if !jobs.is_empty() => yes(format!("jobs: {}", listed(&jobs)), Vec::new()),
        7 => no("no background job, queue consumer or scheduler found"),
        _ => yes("", Vec::new()),
    }
}

fn kinds_of(components: &[Component]) -> String {
    let mut by_kind: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in components {
        by_kind
            .entry(c.kind.as_str())
            .or_default()
            .push(c.path.as_str());
    }
    by_kind
        .iter()
        .map(|(k, v)| format!("{k} ({})", v.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The ten sections, each covered / gaps / not applicable, with its score.
pub fn sections(report: &Report, seen: &Seen) -> Vec<Section> {
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
                .filter(|f| section_of(&f.category) == Some(number))
                .collect();
            let d = deductions(fs.iter().copied());
            let ran: Vec<&String> = report
                .rules_run
                .iter()
                .filter(|r| rule_category(r).is_some_and(|c| section_of(c) == Some(number)))
                .collect();
            // A component or repository rule checks something only where its fact was
            // answered (a health check on no service checked nothing).
            let rules: Vec<String> = ran
                .iter()
                .filter(|r| rule_answered(report, r))
                .map(|r| r.to_string())
                .collect();
            let applies = applicability(number, seen, &report.components);
            let (status, reason, evidence) = if !fs.is_empty() {
                let mut by_sev = [0u32; 4];
                for f in &fs {
                    by_sev[f.severity as usize] += 1;
                }
                let counts: Vec<String> = Severity::ALL
                    .iter()
                    .filter(|s| by_sev[**s as usize] > 0)
                    .map(|s| format!("{} {s}", by_sev[*s as usize]))
                    .collect();
                (
                    "gaps",
                    format!("{} finding(s): {}", fs.len(), counts.join(", ")),
                    applies.evidence,
                )
            } else if !applies.applies {
                ("not_applicable", applies.reason, Vec::new())
            } else if rules.is_empty() {
                let why = if ran.is_empty() {
                    "not checked: no rule of this section ran (none exists yet or all are disabled)"
                        .to_string()
                } else {
                    format!(
                        "not checked: its checks ({}) had nothing here to apply to",
                        ran.iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                ("not_applicable", why, Vec::new())
            } else {
                let ev = present_evidence(report, &cats);
                let mut shown: Vec<&str> = rules.iter().take(6).map(String::as_str).collect();
                if rules.len() > 6 {
                    shown.push("…");
                }
                let mut what = format!("no gap found by {}", shown.join(", "));
                if !ev.is_empty() {
                    what.push_str(&format!(
                        "; in place: {}",
                        present_categories(report, &cats).join(", ")
                    ));
                }
                ("covered", what, ev)
            };
            Section {
                number,
                title: title.to_string(),
                status: status.to_string(),
                reason,
                score: score_of(&d),
                categories: cats,
                findings: fs.len() as u32,
                rules,
                evidence,
                deductions: d,
            }
        })
        .collect()
}

/// The section of a category (categories unknown to the taxonomy belong to none).
pub fn section_of(category: &str) -> Option<u8> {
    taxonomy::category(category).map(|c| c.section)
}

/// Categories of a section that some component or the repository has (`present: true`).
fn present_categories(report: &Report, cats: &[String]) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for c in &report.components {
        for (k, f) in &c.facts {
            if f.present == Some(true) && cats.contains(k) {
                out.insert(k.clone());
            }
        }
    }
    for (k, f) in &report.repository {
        if f.present == Some(true) && cats.contains(k) {
            out.insert(k.clone());
        }
    }
    out.into_iter().collect()
}

/// Evidence of the section's capabilities in place (first piece per fact, at most ten).
fn present_evidence(report: &Report, cats: &[String]) -> Vec<Evidence> {
    let mut out = Vec::new();
    let facts = report
        .components
        .iter()
        .flat_map(|c| c.facts.iter())
        .chain(report.repository.iter());
    for (k, f) in facts {
        if f.present == Some(true)
            && cats.contains(k)
            && let Some(e) = f.evidence.first()
        {
            let mut e = e.clone();
            if e.note.is_empty() {
                e.note = k.clone();
            } else {
                e.note = format!("{k}: {}", e.note);
            }
            out.push(e);
        }
    }
    out.sort();
    out.dedup();
    out.truncate(10);
    out
}

/// Whether a rule that ran actually checked something: call-site and manifest rules read
/// every file; a component or repository rule only where its fact was answered.
fn rule_answered(report: &Report, id: &str) -> bool {
    let Some(cat) = rule_category(id) else {
        return true;
    };
    match taxonomy::category(cat).map(|c| c.scope) {
        Some(taxonomy::Scope::Component) => report
            .components
            .iter()
            .any(|c| c.facts.get(cat).is_some_and(|f| f.present.is_some())),
        Some(taxonomy::Scope::Repository) => report
            .repository
            .get(cat)
            .is_some_and(|f| f.present.is_some()),
        _ => true,
    }
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
    use proptest::prelude::*;

    fn f(cat: &str, sev: Severity) -> Finding {
        fc(cat, sev, ".")
    }

    fn fc(cat: &str, sev: Severity, component: &str) -> Finding {
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
            component: component.into(),
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

    fn component(path: &str, kind: &str) -> Component {
        Component {
            name: path.into(),
            path: path.into(),
            kind: kind.into(),
            kind_reason: String::new(),
            languages: vec![],
            score: 10.0,
            facts: BTreeMap::new(),
            markers: vec![],
            deployments: vec![],
            deductions: vec![],
        }
    }

    #[test]
    fn one_noisy_category_costs_at_most_its_cap() {
        let mut fs = vec![f("SWALLOW", Severity::P2)];
        let mut last = score_of(&deductions(&fs));
        for _ in 0..100 {
            fs.push(f("SWALLOW", Severity::P2));
            let s = score_of(&deductions(&fs));
            assert!(s <= last);
            last = s;
        }
        assert_eq!(last, 9.0);
        fs.push(f("TIMEOUT", Severity::P1));
        assert!(score_of(&deductions(&fs)) < last);
    }

    #[test]
    fn points_add_up_to_what_the_score_lost() {
        let fs = vec![
            f("TIMEOUT", Severity::P1),
            f("TIMEOUT", Severity::P1),
            f("SHUTDOWN", Severity::P1),
            f("SECRET", Severity::P0),
            f("README", Severity::P3),
        ];
        let d = deductions(&fs);
        // One P0 secret (2.0) weighs more than two P1 timeouts (0.8 × 2 = 1.6), which
        // take their share of what is left.
        assert_eq!((d[0].category.as_str(), d[0].points), ("SECRET", 2.0));
        assert_eq!(d[1].category, "TIMEOUT");
        assert_eq!(d[1].points, round2(8.0 * 0.16));
        let lost: f64 = d.iter().map(|d| d.points).sum();
        let s = score_of(&d);
        assert!((10.0 - s - lost).abs() < 0.06, "{s} {lost}");
        // Many small categories never reach zero.
        let many: Vec<Finding> = taxonomy::CATEGORIES
            .iter()
            .map(|c| f(c.name, Severity::P1))
            .collect();
        assert!(score_of(&deductions(&many)) > 0.0);
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
        // One category, but in three services: systemic.
        let spread: Vec<Finding> = ["a", "b", "c"]
            .iter()
            .map(|c| {
                let mut x = f("TIMEOUT", Severity::P1);
                x.component = c.to_string();
                x
            })
            .collect();
        assert_eq!(verdict(&spread).0, Verdict::NotProductionReady);
        assert_eq!(verdict(&spread[..2]).0, Verdict::ProductionReadyWithFixes);
    }

    #[test]
    fn migrations_are_recognised_by_path() {
        use crate::lang::Lang;
        let py = Some(FileKind::Code(Lang::Python));
        let sql = Some(FileKind::Sql);
        assert!(is_migration("app/migrations/0001_initial.py", py));
        assert!(!is_migration("app/migrations/__init__.py", py));
        assert!(is_migration("alembic/versions/abc_add.py", py));
        assert!(is_migration("db/V2__add_orders.sql", sql));
        assert!(is_migration("db/3_orders.up.sql", sql));
        assert!(!is_migration("db/queries.sql", sql));
        assert!(!is_migration("app/models.py", py));
        assert!(is_migration(
            "src/main/resources/db/changelog/db.changelog-master.yaml",
            Some(FileKind::Yaml)
        ));
    }

    #[test]
    fn sections_apply_from_what_was_seen() {
        let lib = [component("lib", "library")];
        let seen = Seen {
            files: 3,
            code_files: 3,
            ..Seen::default()
        };
        assert!(!applicability(5, &seen, &lib).applies);
        assert!(!applicability(7, &seen, &lib).applies);
        assert!(!applicability(3, &seen, &lib).applies);
        assert!(applicability(2, &seen, &lib).applies);
        let svc = [component("api", "service")];
        let seen_svc = Seen {
            services_without_routes: vec!["api".into()],
            ..seen.clone()
        };
        let a = applicability(6, &seen_svc, &svc);
        assert!(a.applies && a.reason.contains("api"), "{}", a.reason);
        let read_only = Seen {
            files: 3,
            code_files: 3,
            ..Seen::default()
        };
        assert!(!applicability(6, &read_only, &svc).applies);
    }

    const CATS: &[&str] = &["TIMEOUT", "SWALLOW", "SECRET", "HEALTH", "README", "JOBS"];
    const COMPS: &[&str] = &[".", "a", "b"];

    fn arb_finding() -> impl Strategy<Value = Finding> {
        (0..CATS.len(), 0..4usize, 0..COMPS.len())
            .prop_map(|(c, s, k)| fc(CATS[c], Severity::ALL[s], COMPS[k]))
    }

    fn all_scores(findings: &[Finding]) -> (Vec<f64>, Verdict) {
        let mut report = crate::review::new_report(".".into());
        report.components = COMPS.iter().map(|p| component(p, "service")).collect();
        report.findings = findings.to_vec();
        apply(&mut report, &Seen::default());
        let mut v = vec![report.score];
        v.extend(report.components.iter().map(|c| c.score));
        v.extend(report.sections.iter().map(|s| s.score));
        (v, report.verdict)
    }

    fn rank(v: Verdict) -> u8 {
        match v {
            Verdict::ProductionReady => 0,
            Verdict::ProductionReadyWithFixes => 1,
            Verdict::NotProductionReady => 2,
        }
    }

    proptest! {
        /// Adding a finding never raises any score (repository, component, section) and
        /// never improves the verdict.
        #[test]
        fn adding_a_finding_never_raises_a_score(
            base in proptest::collection::vec(arb_finding(), 0..40),
            extra in arb_finding(),
        ) {
            let (before, v0) = all_scores(&base);
            let mut more = base.clone();
            more.push(extra);
            let (after, v1) = all_scores(&more);
            for (b, a) in before.iter().zip(&after) {
                prop_assert!(a <= b, "score rose from {b} to {a}");
            }
            prop_assert!(rank(v1) >= rank(v0));
        }
    }
}
