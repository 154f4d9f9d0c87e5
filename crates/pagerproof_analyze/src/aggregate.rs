//! Aggregation: from per-file results to the report. Components are detected, findings
//! attributed to them, component and repository facts answered, cross-file checks run,
//! deferred conditions resolved, fingerprints assigned, suppressions applied, and the
//! score and verdict computed by the one scoring policy.

use std::collections::{BTreeMap, HashSet};

use pagerproof_core::config::Settings;
use pagerproof_core::{Component, Skipped, Suppressed, sort_findings};

use crate::components::{self, ComponentInfo};
use crate::review::{self, FileResult, Pending};
use crate::rule::Requirement;
use crate::{checks, facts, registry, repo, scoring};

/// Everything aggregation and the cross-file checks can see.
pub struct Inputs<'a> {
    pub results: &'a [FileResult],
    pub components: &'a [ComponentInfo],
    pub settings: &'a Settings,
}

impl<'a> Inputs<'a> {
    /// The files a component owns (innermost component wins).
    pub fn files_of<'s>(&'s self, comp: &'s str) -> impl Iterator<Item = &'a FileResult> + 's {
        let comps = self.components;
        // The prefix test first: `owner` scans every component, and this runs once per
        // component (components x files x components on a 200,000-file monorepo).
        self.results.iter().filter(move |r| {
            components::contains(comp, &r.path) && components::owner(comps, &r.path) == comp
        })
    }
}

pub fn aggregate(
    root: String,
    mut results: Vec<FileResult>,
    settings: &Settings,
    skipped: &mut Vec<Skipped>,
) -> pagerproof_core::Report {
    results.sort_by(|a, b| a.path.cmp(&b.path));
    for r in &results {
        if let Some(reason) = &r.skipped {
            skipped.push(Skipped {
                path: r.path.clone(),
                reason: reason.clone(),
            });
        }
    }
    let comps = components::detect(&results, &settings.components);
    let inputs = Inputs {
        results: &results,
        components: &comps,
        settings,
    };

    let mut pending: Vec<Pending> = results
        .iter()
        .flat_map(|r| r.findings.iter().cloned())
        .collect();

    // Component facts, and the findings for facts that are missing.
    let mut components_out: Vec<Component> = Vec::new();
    for c in &comps {
        let fs = facts::compute(c, &inputs);
        pending.extend(checks::missing_fact_findings(c, &fs, settings));
        components_out.push(Component {
            name: c.name.clone(),
            path: c.path.clone(),
            kind: c.kind.clone(),
            kind_reason: c.kind_reason.clone(),
            languages: c.languages.clone(),
            score: 10.0,
            facts: fs,
            markers: c.markers.clone(),
            deployments: Vec::new(),
            deductions: Vec::new(),
        });
    }

    // Cross-file checks (manifests against code) and repository artifacts.
    let cross = checks::cross_checks(&inputs, &mut components_out);
    pending.extend(cross.findings);
    let (repo_facts, repo_findings) = repo::review(&inputs);
    pending.extend(repo_findings);

    for p in pending.iter_mut() {
        p.finding.component = components::owner(&comps, &p.finding.path).to_string();
    }
    resolve_requirements(&mut pending, &results);
    review::assign_fingerprints(&mut pending);

    // Inline suppressions.
    let mut suppressed = Vec::new();
    let by_path: BTreeMap<&str, &FileResult> =
        results.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut findings = Vec::new();
    for p in pending {
        let f = p.finding;
        let sup = by_path.get(f.path.as_str()).and_then(|r| {
            r.suppressions
                .iter()
                .find(|s| s.covers(&f.rule, &f.category, f.line) && s.has_reason())
        });
        match sup {
            Some(s)
                if f.severity != pagerproof_core::Severity::P0
                    || settings.allow_p0_suppressions =>
            {
                suppressed.push(Suppressed {
                    fingerprint: f.fingerprint.clone(),
                    rule: f.rule.clone(),
                    category: f.category.clone(),
                    severity: f.severity,
                    path: f.path.clone(),
                    line: f.line,
                    reason: s.reason.clone(),
                    at: review::evidence(&f.path, Some(s.line), "pagerproof: ignore"),
                });
            }
            _ => findings.push(f),
        }
    }
    for r in &results {
        for s in r.suppressions.iter().filter(|s| !s.has_reason()) {
            skipped.push(Skipped {
                path: format!("{}:{}", r.path, s.line),
                reason: "suppression without a reason is not honoured (write `pagerproof: ignore[rule] why`)".to_string(),
            });
        }
    }
    sort_findings(&mut findings);
    suppressed.sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));

    let mut report = review::new_report(root);
    report.stats = review::stats(&results);
    report.components = components_out;
    report.findings = findings;
    report.repository = repo_facts;
    report.suppressed = suppressed;
    report.not_analyzed = cross.not_analyzed;
    report.rules_run = registry::all_rules()
        .iter()
        .filter(|m| review::enabled(settings, m))
        .map(|m| m.id.to_string())
        .collect();
    scoring::apply(&mut report);
    report
}

/// Drops deferred hits whose condition does not hold over the whole review.
fn resolve_requirements(pending: &mut Vec<Pending>, results: &[FileResult]) {
    let present: HashSet<(String, String)> = pending
        .iter()
        .map(|p| (p.finding.component.clone(), p.finding.rule.clone()))
        .collect();
    let go_error_funcs: HashSet<(String, String)> = results
        .iter()
        .flat_map(|r| {
            let dir = crate::files::parent_dir(&r.path).to_string();
            r.signals
                .iter()
                .filter(|s| s.kind == crate::signals::SignalKind::FuncReturnsError)
                .map(move |s| (dir.clone(), s.detail.clone()))
        })
        .collect();
    pending.retain(|p| match &p.requires {
        None => true,
        Some(Requirement::ComponentHasRule(rule)) => {
            present.contains(&(p.finding.component.clone(), rule.to_string()))
        }
        Some(Requirement::GoFuncReturnsError { dir, name }) => {
            go_error_funcs.contains(&(dir.clone(), name.clone()))
        }
    });
}
