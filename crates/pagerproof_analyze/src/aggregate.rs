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
        self.results
            .iter()
            .filter(move |r| components::owner(comps, &r.path) == comp)
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
    group_repeats(&mut pending);
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

/// Folds repeats of a grouped gap in one file into the first site, listing the others.
fn group_repeats(pending: &mut Vec<Pending>) {
    pending.sort_by(|a, b| {
        (
            &a.finding.path,
            a.finding.line,
            a.finding.column,
            &a.finding.rule,
        )
            .cmp(&(
                &b.finding.path,
                b.finding.line,
                b.finding.column,
                &b.finding.rule,
            ))
    });
    let mut first: std::collections::HashMap<(String, String, String), usize> =
        std::collections::HashMap::new();
    let mut keep = vec![true; pending.len()];
    for i in 0..pending.len() {
        let Some(g) = pending[i].group.clone() else {
            continue;
        };
        let key = (
            pending[i].finding.path.clone(),
            pending[i].finding.rule.clone(),
            g,
        );
        match first.get(&key) {
            None => {
                first.insert(key, i);
            }
            Some(&j) => {
                keep[i] = false;
                let ev = review::evidence(
                    &pending[i].finding.path,
                    pending[i].finding.line,
                    pending[i].finding.subject.clone(),
                );
                pending[j].finding.related.push(ev);
            }
        }
    }
    let mut i = 0;
    pending.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    for p in pending.iter_mut() {
        let n = p.finding.related.len();
        if p.group.is_some() && n > 0 {
            p.finding
                .message
                .push_str(&format!(" (and {n} more in this file)"));
        }
    }
}

/// Per Go package: function kinds and calls passing contexts between functions.
#[derive(Default)]
struct GoCtxFlow {
    /// (dir, function) -> kind (`grpc`, `http`, `other`).
    kinds: std::collections::HashMap<(String, String), String>,
    /// (dir, callee) -> [(caller, status)].
    callers: std::collections::HashMap<(String, String), Vec<(String, String)>>,
}

impl GoCtxFlow {
    fn build(results: &[FileResult]) -> GoCtxFlow {
        use crate::signals::SignalKind;
        let mut g = GoCtxFlow::default();
        // Tests call production functions with `context.TODO()`; they are not callers
        // that matter for production deadlines.
        for r in results
            .iter()
            .filter(|r| r.role == Some(crate::files::Role::Production))
        {
            let dir = crate::files::parent_dir(&r.path).to_string();
            for s in &r.signals {
                match s.kind {
                    SignalKind::GoFunc => {
                        if let Some((name, kind)) = s.detail.split_once('|') {
                            g.kinds
                                .insert((dir.clone(), name.to_string()), kind.to_string());
                        }
                    }
                    SignalKind::GoCtxCall => {
                        let mut it = s.detail.splitn(3, '|');
                        if let (Some(caller), Some(callee), Some(status)) =
                            (it.next(), it.next(), it.next())
                        {
                            g.callers
                                .entry((dir.clone(), callee.to_string()))
                                .or_default()
                                .push((caller.to_string(), status.to_string()));
                        }
                    }
                    _ => {}
                }
            }
        }
        g
    }

    /// Whether `func`'s context comes, through same-package callers, from a server entry
    /// point, a request or `Background()`, with no deadline on the way. A function with no
    /// caller in its package that is not an entry point (an exported client method) is
    /// its callers' responsibility: not reported.
    fn reaches_without_deadline(&self, dir: &str, func: &str) -> bool {
        let mut seen = HashSet::new();
        let mut stack = vec![(func.to_string(), 0u32)];
        while let Some((f, depth)) = stack.pop() {
            if depth > 12 || !seen.insert(f.clone()) {
                continue;
            }
            let key = (dir.to_string(), f.clone());
            if matches!(
                self.kinds.get(&key).map(String::as_str),
                Some("grpc") | Some("http")
            ) {
                return true;
            }
            for (caller, status) in self.callers.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                match status.as_str() {
                    "background" | "request" => return true,
                    "param" | "other" => stack.push((caller.clone(), depth + 1)),
                    _ => {}
                }
            }
        }
        false
    }
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
    let flow = GoCtxFlow::build(results);
    pending.retain(|p| match &p.requires {
        None => true,
        Some(Requirement::GoRequestCtxWithoutDeadline { dir, func }) => {
            flow.reaches_without_deadline(dir, func)
        }
        Some(Requirement::ComponentHasRule(rule)) => {
            present.contains(&(p.finding.component.clone(), rule.to_string()))
        }
        Some(Requirement::GoFuncReturnsError { dir, name }) => {
            go_error_funcs.contains(&(dir.clone(), name.clone()))
        }
    });
}
