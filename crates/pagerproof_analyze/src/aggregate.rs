//! Aggregation: from per-file results to the report. Components are detected, findings
//! attributed to them, component and repository facts answered, cross-file checks run,
//! deferred conditions resolved, fingerprints assigned, suppressions applied, and the
//! score and verdict computed by the one scoring policy.

use std::collections::{BTreeMap, HashSet};

use pagerproof_core::config::Settings;
use pagerproof_core::{
    Component, Finding, RejectedSuppression, Skipped, Suppressed, sort_findings,
};

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
    resolve_requirements(&mut pending, &results, &comps);
    group_repeats(&mut pending, &results);
    review::assign_fingerprints(&mut pending);

    // Inline suppressions.
    let by_path: BTreeMap<&str, &FileResult> =
        results.iter().map(|r| (r.path.as_str(), r)).collect();
    let applied = apply_suppressions(
        pending.into_iter().map(|p| p.finding).collect(),
        &by_path,
        settings.allow_p0_suppressions,
    );
    let mut findings = applied.findings;
    let mut suppressed = applied.suppressed;
    sort_findings(&mut findings);
    suppressed.sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));

    let mut report = review::new_report(root);
    report.stats = review::stats(&results);
    report.components = components_out;
    report.findings = findings;
    report.repository = repo_facts;
    report.suppressed = suppressed;
    report.rejected_suppressions = applied.rejected;
    report.not_analyzed = cross.not_analyzed;
    report.rules_run = registry::all_rules()
        .iter()
        .filter(|m| review::enabled(settings, m))
        .map(|m| m.id.to_string())
        .collect();
    let seen = scoring::Seen::collect(&inputs);
    scoring::apply(&mut report, &seen);
    report
}

/// What inline suppressions did to the findings.
pub struct Applied {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    pub rejected: Vec<RejectedSuppression>,
}

/// Applies inline suppressions. A suppression silences the findings it covers when it
/// gives a reason, and for a P0 finding only when `allow_p0`. Every suppression that is
/// not honoured (no reason; P0 refused) is listed in `rejected`, with the findings it
/// aimed at, which stay reported.
pub fn apply_suppressions(
    pending: Vec<Finding>,
    by_path: &BTreeMap<&str, &FileResult>,
    allow_p0: bool,
) -> Applied {
    let mut out = Applied {
        findings: Vec::new(),
        suppressed: Vec::new(),
        rejected: Vec::new(),
    };
    // (path, comment line) -> problem and the fingerprints it aimed at.
    let mut refused: BTreeMap<(String, u32), (String, Vec<String>)> = BTreeMap::new();
    for f in pending {
        let sups: Vec<_> = by_path
            .get(f.path.as_str())
            .map(|r| {
                r.suppressions
                    .iter()
                    .filter(|s| s.covers(&f.rule, &f.category, f.line))
                    .collect()
            })
            .unwrap_or_default();
        let honoured = sups
            .iter()
            .find(|s| s.has_reason() && (f.severity != pagerproof_core::Severity::P0 || allow_p0));
        match honoured {
            Some(s) => out.suppressed.push(Suppressed {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.clone(),
                category: f.category.clone(),
                severity: f.severity,
                path: f.path.clone(),
                line: f.line,
                reason: s.reason.clone(),
                at: review::evidence(&f.path, Some(s.line), "pagerproof: ignore"),
            }),
            None => {
                for s in sups {
                    let problem = if !s.has_reason() {
                        "no reason given: write `pagerproof: ignore[rule] why it is safe`"
                    } else {
                        "P0 findings cannot be suppressed inline unless `suppressions.allow_p0 = true` in pagerproof.toml"
                    };
                    let e = refused
                        .entry((f.path.clone(), s.line))
                        .or_insert_with(|| (problem.to_string(), Vec::new()));
                    e.1.push(f.fingerprint.clone());
                }
                out.findings.push(f);
            }
        }
    }
    // Suppressions without a reason are listed even when they cover nothing.
    for (path, r) in by_path {
        for s in &r.suppressions {
            let key = (path.to_string(), s.line);
            if !s.has_reason() && !refused.contains_key(&key) {
                refused.insert(
                    key,
                    (
                        "no reason given: write `pagerproof: ignore[rule] why it is safe`"
                            .to_string(),
                        Vec::new(),
                    ),
                );
            }
        }
    }
    for ((path, line), (problem, mut fps)) in refused {
        let Some(s) = by_path
            .get(path.as_str())
            .and_then(|r| r.suppressions.iter().find(|s| s.line == line))
        else {
            continue;
        };
        fps.sort();
        fps.dedup();
        out.rejected.push(RejectedSuppression {
            path,
            line,
            rules: s.targets.clone(),
            reason: s.reason.clone(),
            problem,
            findings: fps,
        });
    }
    out.rejected.sort();
    out
}

/// How many of the newest migrations of a numbered set count as recent (not yet applied
/// everywhere); older ones are history.
const RECENT_MIGRATIONS: usize = 3;

/// Folds repeats of a grouped gap into one finding, listing the other sites: per file
/// (kept at the first site), or per folder (kept at the last file in path order, the
/// newest of a folder of migrations). Folder groups of a numbered migration set
/// (`0042_x.py`, `20240101_x/`) only stand alone for the set's newest migrations: a drop
/// in migration 12 of 200 was applied long ago and nobody can act on it, so the gap in
/// older migrations is reported once for the whole repository, as a habit.
fn group_repeats(pending: &mut Vec<Pending>, results: &[FileResult]) {
    let historical = historical_migrations(pending, results);
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
    let scope = |p: &Pending| {
        if p.group_folder && historical.contains(&p.finding.path) {
            HISTORY.to_string()
        } else if p.group_folder {
            migration_set(&p.finding.path).to_string()
        } else {
            p.finding.path.clone()
        }
    };
    // Which index represents each group: the first site of a file group; for a folder
    // group, every site of the folder's last file is kept and the first of them carries
    // the others as related evidence.
    let mut keeper: std::collections::HashMap<(String, String, String), usize> =
        std::collections::HashMap::new();
    let mut last_file: std::collections::HashMap<(String, String, String), String> =
        std::collections::HashMap::new();
    for (i, p) in pending.iter().enumerate() {
        let Some(g) = p.group.clone() else { continue };
        let key = (scope(p), p.finding.rule.clone(), g);
        if p.group_folder {
            let newer = last_file.get(&key).is_none_or(|f| *f < p.finding.path);
            if newer {
                last_file.insert(key.clone(), p.finding.path.clone());
                keeper.insert(key, i);
            }
        } else {
            keeper.entry(key).or_insert(i);
        }
    }
    let mut keep = vec![true; pending.len()];
    let mut related: Vec<Vec<pagerproof_core::Evidence>> = vec![Vec::new(); pending.len()];
    for (i, p) in pending.iter().enumerate() {
        let Some(g) = p.group.clone() else { continue };
        let key = (scope(p), p.finding.rule.clone(), g);
        let k = keeper[&key];
        let kept_file =
            p.group_folder && key.0 != HISTORY && last_file.get(&key) == Some(&p.finding.path);
        if k != i && !kept_file {
            keep[i] = false;
            related[k].push(review::evidence(
                &p.finding.path,
                p.finding.line,
                p.finding.subject.clone(),
            ));
        }
    }
    for (i, p) in pending.iter_mut().enumerate() {
        if p.group_folder && historical.contains(&p.finding.path) {
            // Not actionable as a change; kept as evidence of a habit.
            p.finding.confidence = pagerproof_core::Confidence::Low;
        }
        let n = related[i].len();
        if n > 0 {
            p.finding.related.append(&mut related[i]);
            let whr = if p.group_folder && historical.contains(&p.finding.path) {
                "in older migrations, most likely applied long ago"
            } else if p.group_folder {
                "in this folder"
            } else {
                "in this file"
            };
            p.finding
                .message
                .push_str(&format!(" (and {n} more {whr})"));
        }
    }
    let mut i = 0;
    pending.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// The scope of the one finding that stands for a gap in old migrations of any set.
const HISTORY: &str = "\u{0}history";

/// Paths of the folder-grouped findings that sit in an old migration: a numbered set
/// (every entry of the set that starts with a digit, in path order) where the finding's
/// entry is not among the newest [`RECENT_MIGRATIONS`].
fn historical_migrations(
    pending: &[Pending],
    results: &[FileResult],
) -> std::collections::BTreeSet<String> {
    use std::collections::{BTreeMap, BTreeSet};
    let entry = |set: &str, path: &str| -> Option<String> {
        let rest = path.strip_prefix(set)?.strip_prefix('/')?;
        let e = rest.split('/').next()?;
        e.starts_with(|c: char| c.is_ascii_digit())
            .then(|| e.to_string())
    };
    let sets: BTreeSet<&str> = pending
        .iter()
        .filter(|p| p.group_folder)
        .map(|p| migration_set(&p.finding.path))
        .collect();
    let mut entries: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for r in results {
        let set = migration_set(&r.path);
        if sets.contains(set)
            && let Some(e) = entry(set, &r.path)
        {
            entries.entry(set).or_default().insert(e);
        }
    }
    let mut out = BTreeSet::new();
    for p in pending.iter().filter(|p| p.group_folder) {
        let set = migration_set(&p.finding.path);
        let (Some(e), Some(all)) = (entry(set, &p.finding.path), entries.get(set)) else {
            continue;
        };
        let newer =
            all.range::<String, _>((std::ops::Bound::Excluded(&e), std::ops::Bound::Unbounded));
        if newer.count() >= RECENT_MIGRATIONS {
            out.insert(p.finding.path.clone());
        }
    }
    out
}

/// The folder that holds a set of migrations: the nearest ancestor named like a
/// migrations folder (`migrations/`, `versions/`, `migrate/`...), so tools that put each
/// migration in its own folder (Prisma `migrations/2024_x/migration.sql`) group as one
/// set; else the file's folder.
fn migration_set(path: &str) -> &str {
    const NAMES: &[&str] = &[
        "migrations",
        "migration",
        "migrate",
        "versions",
        "db_migrations",
        "flyway",
        "liquibase",
        "changelog",
        "changelogs",
    ];
    let mut end = None;
    let mut pos = 0;
    for seg in path.split('/') {
        let seg_end = pos + seg.len();
        if NAMES.contains(&seg.to_ascii_lowercase().as_str()) && seg_end < path.len() {
            end = Some(seg_end);
        }
        pos = seg_end + 1;
    }
    match end {
        Some(e) => &path[..e],
        None => crate::files::parent_dir(path),
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
fn resolve_requirements(
    pending: &mut Vec<Pending>,
    results: &[FileResult],
    comps: &[ComponentInfo],
) {
    use crate::signals::SignalKind;
    let serving: HashSet<String> = results
        .iter()
        .filter(|r| {
            r.signals.iter().any(|s| {
                matches!(
                    s.kind,
                    SignalKind::HttpServer | SignalKind::GrpcServer | SignalKind::Route
                )
            })
        })
        .map(|r| components::owner(comps, &r.path).to_string())
        .collect();
    // Components whose image (or Procfile, gunicorn.conf.py) starts a Python app server.
    let app_servers: HashSet<String> = results
        .iter()
        .filter(|r| {
            r.artifacts.iter().any(|a| {
                matches!(a, crate::manifests::Artifact::Image(i)
                    if crate::manifests::dockerfile::runs_python_app_server(&i.command))
            }) || r.signals.iter().any(|s| {
                s.kind == SignalKind::HttpServer
                    && ["gunicorn", "uvicorn", "hypercorn", "granian"].contains(&s.detail.as_str())
            })
        })
        .map(|r| components::owner(comps, &r.path).to_string())
        .collect();
    let present: HashSet<(String, String)> = pending
        .iter()
        .map(|p| (p.finding.component.clone(), p.finding.rule.clone()))
        .collect();
    let subjects: HashSet<(String, String, String)> = pending
        .iter()
        .filter(|p| p.requires.is_none())
        .map(|p| {
            (
                p.finding.component.clone(),
                p.finding.rule.clone(),
                p.finding.subject.clone(),
            )
        })
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
    // Every `package.json` folder, and whether it builds a browser application: the
    // innermost one decides for a file.
    let packages: Vec<(&str, bool)> = results
        .iter()
        .filter(|r| crate::files::base_name(&r.path) == "package.json")
        .map(|r| {
            let browser = r
                .artifacts
                .iter()
                .any(|a| matches!(a, crate::manifests::Artifact::BrowserApp));
            (crate::files::parent_dir(&r.path), browser)
        })
        .collect();
    let in_browser_app = |path: &str| {
        packages
            .iter()
            .filter(|(dir, _)| components::contains(dir, path))
            .max_by_key(|(dir, _)| if *dir == "." { 0 } else { dir.len() + 1 })
            .is_some_and(|(_, browser)| *browser)
    };
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
        Some(Requirement::FileAbsent(path)) => !results.iter().any(|r| &r.path == path),
        Some(Requirement::ComponentServes) => serving.contains(&p.finding.component),
        Some(Requirement::OutsideBrowserApp) => !in_browser_app(&p.finding.path),
        Some(Requirement::NoPythonAppServer) => !app_servers.contains(&p.finding.component),
        Some(Requirement::ComponentHasSubject { rule, subject }) => subjects.contains(&(
            p.finding.component.clone(),
            rule.to_string(),
            subject.to_string(),
        )),
    });
}

#[cfg(test)]
mod tests {
    use pagerproof_core::config::Settings;

    use crate::fs::MemSource;

    fn review(files: &[(&str, &str)], settings: &Settings) -> pagerproof_core::Report {
        crate::review(&MemSource::new(files.iter().copied()), settings)
    }

    #[test]
    fn migration_sets() {
        assert_eq!(
            super::migration_set("prisma/migrations/2024_a/migration.sql"),
            "prisma/migrations"
        );
        assert_eq!(
            super::migration_set("app/migrations/0001_x.py"),
            "app/migrations"
        );
        assert_eq!(super::migration_set("db/schema/001.sql"), "db/schema");
    }

    #[test]
    fn old_migrations_fold_into_one_finding() {
        let drop = |f: &str| {
            format!(
                "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RemoveField(model_name=\"customer\", name=\"{f}\"),\n    ]\n"
            )
        };
        let keep = "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n";
        let (a, b, c, d) = (drop("fax"), drop("pager"), drop("telex"), drop("fax2"));
        let files = [
            ("shop/migrations/__init__.py", ""),
            ("shop/migrations/0001_initial.py", keep),
            ("shop/migrations/0002_drop_fax.py", a.as_str()),
            ("shop/migrations/0003_x.py", keep),
            ("shop/migrations/0004_x.py", keep),
            ("shop/migrations/0005_x.py", keep),
            ("shop/migrations/0006_drop_pager.py", b.as_str()),
            ("shop/migrations/0007_x.py", keep),
            ("shop/migrations/0008_x.py", keep),
            ("shop/migrations/0009_x.py", keep),
            ("shop/migrations/0010_drop_telex.py", c.as_str()),
            ("billing/migrations/0001_drop_fax2.py", d.as_str()),
        ];
        let r = review(&files, &Settings::default());
        let drops: Vec<(&str, String)> = r
            .findings
            .iter()
            .filter(|f| f.rule == "migration-drops-data")
            .map(|f| (f.path.as_str(), format!("{:?}", f.confidence)))
            .collect();
        // The newest migrations stand alone; 0002 and 0006 (history) are one finding.
        assert_eq!(
            drops,
            vec![
                ("billing/migrations/0001_drop_fax2.py", "High".to_string()),
                ("shop/migrations/0006_drop_pager.py", "Low".to_string()),
                ("shop/migrations/0010_drop_telex.py", "High".to_string()),
            ]
        );
        let old = r
            .findings
            .iter()
            .find(|f| f.path == "shop/migrations/0006_drop_pager.py");
        assert!(old.is_some_and(|f| f.message.contains("(and 1 more in older migrations")));
    }

    #[test]
    fn suppressions_are_honoured_with_a_reason_and_listed_without_one() {
        let src = "import requests\n\
                   a = requests.get(u)  # pagerproof: ignore[TIMEOUT] bounded by the caller's deadline\n\
                   b = requests.get(u)  # pagerproof: ignore[TIMEOUT]\n\
                   # pagerproof: ignore[error-swallowed]\n\
                   c = 1\n\
                   KEY = \"sk_live_51H8XyZAbCdEfGhIjKlMnOpQrStUv\"  # pagerproof: ignore[SECRET] rotated\n";
        let r = review(&[("app/x.py", src)], &Settings::default());
        // Other rules (STARTUP-BLOCKING: a call at import time) may fire on the same lines;
        // the suppression names TIMEOUT only.
        let lines: Vec<Option<u32>> = r
            .findings
            .iter()
            .filter(|f| f.category == "TIMEOUT" || f.category == "SECRET")
            .map(|f| f.line)
            .collect();
        assert!(!lines.contains(&Some(2)), "honoured: {lines:?}");
        assert!(lines.contains(&Some(3)), "no reason: still reported");
        assert!(lines.contains(&Some(6)), "P0 refused by default");
        assert_eq!(r.suppressed.len(), 1);
        assert_eq!(r.suppressed[0].reason, "bounded by the caller's deadline");
        let rej: Vec<(u32, &str, usize)> = r
            .rejected_suppressions
            .iter()
            .map(|s| (s.line, s.problem.as_str(), s.findings.len()))
            .collect();
        assert_eq!(rej.len(), 3, "{rej:?}");
        assert!(rej[0].0 == 3 && rej[0].1.starts_with("no reason") && rej[0].2 == 1);
        // Covers nothing and gives no reason: still listed, so it gets fixed.
        assert!(rej[1].0 == 4 && rej[1].1.starts_with("no reason") && rej[1].2 == 0);
        assert!(rej[2].0 == 6 && rej[2].1.contains("allow_p0") && rej[2].2 == 1);
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);

        let allow = Settings {
            allow_p0_suppressions: true,
            ..Settings::default()
        };
        let r = review(&[("app/x.py", src)], &allow);
        assert!(!r.findings.iter().any(|f| f.line == Some(6)));
        assert_eq!(r.suppressed.len(), 2);
    }
}
