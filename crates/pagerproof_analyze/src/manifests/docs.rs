//! Evidence for the repository categories (RUNBOOK, ROLLBACK, ADR, OWNERS, SLO, ALERTS,
//! DASHBOARDS, SECURITY-POLICY, README, FEATURE-FLAGS), found by content: Markdown
//! headings and the commands in documentation, CODEOWNERS/OWNERS files, Prometheus rule
//! files, Alertmanager configuration, OpenSLO/Sloth/Pyrra specs, Grafana and Datadog
//! dashboards, Backstage catalog owners, and the Terraform resources that define alerts,
//! SLOs and dashboards. Each piece of evidence is an `Artifact::RepoEvidence`; `repo.rs`
//! turns them into repository facts.

use regex::Regex;
use std::sync::OnceLock;

use crate::files;
use crate::manifests::yaml::{V, Y};
use crate::manifests::{Artifact, ManifestOutput};

fn ev(
    out: &mut ManifestOutput,
    category: &'static str,
    line: Option<u32>,
    note: impl Into<String>,
) {
    out.artifacts.push(Artifact::RepoEvidence {
        category,
        line,
        note: note.into(),
    });
}

/// Headings of a Markdown/RST/AsciiDoc document: (line, lower-cased text).
pub fn headings(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut fence = false;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let h = if let Some(rest) = t.strip_prefix('#') {
            // Markdown `#`s (not a `#!` shebang or `#tag`).
            let r = rest.trim_start_matches('#');
            r.starts_with(' ').then(|| r.trim())
        } else if let Some(rest) = t.strip_prefix('=') {
            // AsciiDoc `== Title`.
            let r = rest.trim_start_matches('=');
            r.starts_with(' ').then(|| r.trim())
        } else if t.starts_with("<h") && t.len() > 3 && t.as_bytes()[2].is_ascii_digit() {
            Some(t)
        } else {
            // Setext / RST underline on the next line.
            lines.get(i + 1).and_then(|n| {
                let n = n.trim();
                (!t.is_empty()
                    && n.len() >= 3
                    && n.chars().all(|c| matches!(c, '=' | '-' | '~' | '^'))
                    && !t.starts_with(['-', '*', '|', '>']))
                .then_some(t)
            })
        };
        if let Some(h) = h {
            let h = h
                .trim_matches(['*', '_', '`', ' '])
                .trim_end_matches('#')
                .trim()
                .to_ascii_lowercase();
            if !h.is_empty() {
                out.push((i as u32 + 1, h));
            }
        }
    }
    out
}

/// Whether a heading mentions one of `words`: phrases (with a space) and long words as
/// substrings or word prefixes (`deploy` finds "deployment"), short words (4 letters or
/// fewer: `run`, `slo`, `helm`) only as whole words.
fn any_word(h: &str, words: &[&str]) -> bool {
    let tokens: Vec<&str> = h
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|t| !t.is_empty())
        .collect();
    words.iter().any(|w| {
        if w.contains(' ') {
            h.contains(w)
        } else if w.len() <= 4 {
            tokens
                .iter()
                .any(|t| t == w || t.strip_suffix('s') == Some(w))
        } else {
            tokens.iter().any(|t| t.starts_with(w)) || h.contains(w)
        }
    })
}

fn deploy_cmd_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"\b(kubectl\s+(apply|create|rollout)|helm\s+(install|upgrade)|terraform\s+apply|gcloud\s+(run|app|functions)\s+deploy|skaffold\s+(run|deploy)|fly\s+deploy|serverless\s+deploy|cdk\s+deploy|sam\s+deploy|kustomize\s+build|argocd\s+app|docker\s+push|heroku\s+|az\s+\w+\s+(up|deploy|create)|eb\s+deploy|ansible-playbook|nomad\s+(job\s+)?run|flyctl\s+deploy|vercel\s+(--prod|deploy)|netlify\s+deploy)",
        )
        .expect("static regex")
    })
}

fn run_cmd_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"\b(docker(-|\s+)compose\s+up|docker\s+run|npm\s+(run\s+)?(start|dev)|yarn\s+(start|dev)|pnpm\s+(start|dev)|go\s+run|python3?\s+(-m\s+)?\S+(\.py)?|flask\s+run|uvicorn\s+\S|gunicorn\s+\S|make\s+(run|dev|start|up)|cargo\s+run|mvnw?\s+\S*spring-boot:run|gradlew?\s+\S*(bootRun|run)\b|dotnet\s+run|skaffold\s+dev|tilt\s+up|bin/\S+)",
        )
        .expect("static regex")
    })
}

fn setup_cmd_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"\b(git\s+clone|pip3?\s+install|poetry\s+install|uv\s+(sync|pip\s+install)|npm\s+(install|ci)|yarn\s+install|pnpm\s+install|go\s+(mod\s+download|build|install)|make\s+(install|setup|build|deps)|cargo\s+build|mvnw?\s+\S*(install|package)|gradlew?\s+\S*build|dotnet\s+(restore|build)|brew\s+install|apt(-get)?\s+install|docker\s+build|bundle\s+install)",
        )
        .expect("static regex")
    })
}

fn slo_pct_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\b9\d(\.\d+)?\s?%").expect("static regex"))
}

/// Markdown, reStructuredText, AsciiDoc and plain-text READMEs.
pub fn analyze_doc(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    let dir = files::parent_dir(path);
    let stem = lower.split('.').next().unwrap_or("");
    let is_readme = stem == "readme";
    let root_readme = is_readme && dir == ".";
    let lower_path = path.to_ascii_lowercase();
    let hs = headings(text);

    if root_readme {
        ev(out, "README", None, "README at the repository root");
    }
    // Where README topics may be documented: READMEs and the documentation folder.
    let doc_topics = is_readme
        || stem == "contributing"
        || lower_path.starts_with("docs/")
        || lower_path.starts_with("doc/")
        || [
            "install",
            "deploy",
            "setup",
            "getting",
            "usage",
            "development",
            "operations",
        ]
        .iter()
        .any(|w| stem.contains(w));
    if doc_topics {
        readme_topics(text, &hs, out);
    }

    // SECURITY.md
    if stem == "security" && text.trim().len() >= 40 {
        ev(
            out,
            "SECURITY-POLICY",
            None,
            format!("{path}: security policy"),
        );
    }
    // Ownership.
    if stem == "maintainers" || stem == "codeowners" || stem == "owners" {
        ev(out, "OWNERS", None, format!("{path}: maintainers list"));
    }
    // Runbooks and playbooks by name or folder.
    let runbook_path = ["runbook", "playbook", "on-call", "oncall"]
        .iter()
        .any(|w| lower_path.contains(w));
    if runbook_path {
        ev(out, "RUNBOOK", None, format!("{path}: runbook"));
    }
    // ADRs by folder or by Nygard/MADR shape.
    let adr_dir = [
        "/adr/",
        "/adrs/",
        "/decisions/",
        "decision-records",
        "/architecture-decisions",
    ]
    .iter()
    .any(|w| format!("/{lower_path}").contains(w));
    let has = |w: &[&str]| hs.iter().any(|(_, h)| any_word(h, w));
    let adr_shape = has(&["context"])
        && has(&["decision"])
        && (has(&["status"]) || has(&["consequences"]) || has(&["decision outcome"]));
    if adr_shape || adr_dir && stem.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        ev(
            out,
            "ADR",
            None,
            format!("{path}: architecture decision record"),
        );
    }

    for (line, h) in &hs {
        let line = Some(*line);
        if any_word(
            h,
            &[
                "runbook",
                "playbook",
                "on-call",
                "oncall",
                "on call",
                "incident response",
                "incident management",
                "escalation policy",
                "escalation path",
                "operational procedure",
                "operations manual",
            ],
        ) {
            ev(out, "RUNBOOK", line, format!("{path}: \"{h}\""));
        }
        if any_word(
            h,
            &[
                "rollback",
                "roll back",
                "rolling back",
                "roll-back",
                "revert a release",
                "reverting a release",
                "downgrad",
            ],
        ) {
            ev(out, "ROLLBACK", line, format!("{path}: \"{h}\""));
        }
        if any_word(
            h,
            &[
                "maintainer",
                "code owner",
                "codeowner",
                "ownership",
                "owners",
            ],
        ) {
            ev(out, "OWNERS", line, format!("{path}: \"{h}\""));
        }
        if any_word(
            h,
            &[
                "security polic",
                "reporting security",
                "report a vulnerab",
                "reporting a vulnerab",
                "security issue",
                "vulnerability disclosure",
                "reporting vulnerab",
            ],
        ) {
            ev(out, "SECURITY-POLICY", line, format!("{path}: \"{h}\""));
        }
        if any_word(
            h,
            &[
                "kill switch",
                "kill-switch",
                "killswitch",
                "feature flag",
                "feature toggle",
                "feature-flag",
            ],
        ) {
            ev(out, "FEATURE-FLAGS", line, format!("{path}: \"{h}\""));
        }
        if any_word(
            h,
            &["slo", "service level objective", "sli", "error budget"],
        ) && slo_pct_re().is_match(text)
        {
            ev(out, "SLO", line, format!("{path}: \"{h}\""));
        }
    }
    // Rollback commands in documentation.
    for (i, l) in text.lines().enumerate() {
        let t = l.to_ascii_lowercase();
        if t.contains("kubectl rollout undo")
            || t.contains("helm rollback")
            || t.contains("argocd app rollback")
        {
            ev(
                out,
                "ROLLBACK",
                Some(i as u32 + 1),
                format!("{path}: rollback command"),
            );
            break;
        }
    }
}

fn readme_topics(text: &str, hs: &[(u32, String)], out: &mut ManifestOutput) {
    let mut seen = [false; 3];
    for (line, h) in hs {
        let topics = [
            (
                0,
                &[
                    "install",
                    "setup",
                    "set up",
                    "getting started",
                    "prerequisite",
                    "requirements",
                    "quickstart",
                    "quick start",
                    "building",
                    "build from source",
                    "development",
                ][..],
            ),
            (
                1,
                &[
                    "run",
                    "usage",
                    "quickstart",
                    "quick start",
                    "getting started",
                    "local development",
                    "start the",
                    "how to use",
                    "develop",
                ][..],
            ),
            (
                2,
                &[
                    "deploy",
                    "production",
                    "release",
                    "kubernetes",
                    "helm",
                    "cloud run",
                    "install on",
                    "hosting",
                ][..],
            ),
        ];
        for (i, words) in topics {
            if !seen[i] && any_word(h, words) {
                seen[i] = true;
                ev(
                    out,
                    "README",
                    Some(*line),
                    format!("{}: \"{h}\"", ["setup", "run", "deploy"][i]),
                );
            }
        }
    }
    // Prose that links to instructions kept elsewhere ("see the docs for installation and
    // deployment").
    for (i, l) in text.lines().enumerate() {
        let low = l.to_ascii_lowercase();
        if !(low.contains("](") || low.contains("http")) {
            continue;
        }
        let words: [&[&str]; 3] = [
            &["install", "setup", "set up", "getting started"],
            &[
                "local development",
                "run ",
                "running",
                "development guide",
                "quickstart",
            ],
            &["deploy", "production"],
        ];
        for (k, ws) in words.iter().enumerate() {
            if !seen[k] && ws.iter().any(|w| low.contains(w)) {
                seen[k] = true;
                ev(
                    out,
                    "README",
                    Some(i as u32 + 1),
                    format!("{}: links to instructions", ["setup", "run", "deploy"][k]),
                );
            }
        }
    }
    for (i, l) in text.lines().enumerate() {
        for (k, re) in [(0, setup_cmd_re()), (1, run_cmd_re()), (2, deploy_cmd_re())] {
            if !seen[k] && re.is_match(l) {
                seen[k] = true;
                ev(
                    out,
                    "README",
                    Some(i as u32 + 1),
                    format!(
                        "{}: `{}`",
                        ["setup", "run", "deploy"][k],
                        l.trim().chars().take(60).collect::<String>()
                    ),
                );
            }
        }
    }
}

/// CODEOWNERS, OWNERS, MAINTAINERS, SECURITY (no extension), Terraform.
pub fn analyze_text(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    match lower {
        "codeowners" => {
            let rule = text.lines().position(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#') && t.split_whitespace().count() >= 2
            });
            if let Some(i) = rule {
                ev(
                    out,
                    "OWNERS",
                    Some(i as u32 + 1),
                    format!("{path}: code owners"),
                );
            }
        }
        "owners" | "maintainers"
            if text.lines().any(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            }) =>
        {
            ev(out, "OWNERS", None, format!("{path}: owners file"));
        }
        "security" if text.trim().len() >= 40 => {
            ev(
                out,
                "SECURITY-POLICY",
                None,
                format!("{path}: security policy"),
            );
        }
        _ if lower.ends_with(".tf") => terraform(path, text, out),
        _ => {}
    }
}

fn terraform(path: &str, text: &str, out: &mut ManifestOutput) {
    const RES: &[(&str, &str)] = &[
        ("google_monitoring_alert_policy", "ALERTS"),
        ("aws_cloudwatch_metric_alarm", "ALERTS"),
        ("aws_cloudwatch_composite_alarm", "ALERTS"),
        ("datadog_monitor", "ALERTS"),
        ("newrelic_alert_policy", "ALERTS"),
        ("newrelic_nrql_alert_condition", "ALERTS"),
        ("grafana_rule_group", "ALERTS"),
        ("azurerm_monitor_metric_alert", "ALERTS"),
        ("azurerm_monitor_scheduled_query_rules_alert", "ALERTS"),
        ("google_monitoring_slo", "SLO"),
        ("datadog_service_level_objective", "SLO"),
        ("newrelic_service_level", "SLO"),
        ("google_monitoring_dashboard", "DASHBOARDS"),
        ("aws_cloudwatch_dashboard", "DASHBOARDS"),
        ("datadog_dashboard", "DASHBOARDS"),
        ("grafana_dashboard", "DASHBOARDS"),
        ("newrelic_one_dashboard", "DASHBOARDS"),
        ("azurerm_portal_dashboard", "DASHBOARDS"),
    ];
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        if !t.starts_with("resource") {
            continue;
        }
        if let Some((res, cat)) = RES.iter().find(|(r, _)| t.contains(&format!("\"{r}\""))) {
            ev(
                out,
                cat,
                Some(i as u32 + 1),
                format!("{path}: Terraform `{res}`"),
            );
        }
    }
}

/// Grafana/Datadog dashboards, Datadog monitors, flagd flag files.
pub fn analyze_json(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    if lower == "package.json"
        || lower.ends_with("lock.json")
        || !text.trim_start().starts_with('{')
    {
        return;
    }
    // Cheap prefilter before parsing.
    let interesting = text.contains("\"panels\"")
        || text.contains("\"widgets\"")
        || text.contains("\"flags\"")
        || text.contains("alert");
    if !interesting {
        return;
    }
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let d = v.get("dashboard").unwrap_or(&v);
    if d.get("panels").is_some_and(|p| p.is_array())
        && (d.get("title").is_some() || d.get("schemaVersion").is_some())
    {
        ev(
            out,
            "DASHBOARDS",
            None,
            format!("{path}: Grafana dashboard"),
        );
    } else if d.get("widgets").is_some_and(|w| w.is_array())
        && (d.get("layout_type").is_some() || d.get("title").is_some() || d.get("start").is_some())
    {
        ev(
            out,
            "DASHBOARDS",
            None,
            format!("{path}: dashboard definition"),
        );
    }
    if v.get("type")
        .and_then(|t| t.as_str())
        .is_some_and(|t| t.ends_with("alert"))
        && v.get("query").is_some()
    {
        ev(out, "ALERTS", None, format!("{path}: Datadog monitor"));
    }
    if let Some(flags) = v.get("flags").and_then(|f| f.as_object())
        && flags
            .values()
            .any(|f| f.get("defaultVariant").is_some() || f.get("variants").is_some())
    {
        ev(
            out,
            "FEATURE-FLAGS",
            None,
            format!("{path}: flagd flag definitions"),
        );
    }
}

/// Prometheus rules, Alertmanager, SLO specs, Grafana provisioning, Backstage owners.
pub fn analyze_yaml(path: &str, lower: &str, docs: &[Y], out: &mut ManifestOutput) {
    let _ = lower;
    for d in docs {
        let kind = d.get("kind").map(Y::text).unwrap_or("");
        let api = d.get("apiVersion").map(Y::text).unwrap_or("");
        // Prometheus rule groups (plain file or PrometheusRule CRD).
        let groups = if kind == "PrometheusRule" {
            d.path(&["spec", "groups"])
        } else {
            d.get("groups")
        };
        if let Some(g) = groups {
            let mut alerts = 0;
            let mut first = None;
            let mut runbook = None;
            for grp in g.items() {
                for r in grp.get("rules").map(Y::items).unwrap_or(&[]) {
                    if let Some(a) = r.entry("alert") {
                        alerts += 1;
                        first.get_or_insert(a.line);
                        if let Some(u) = r
                            .path(&["annotations", "runbook_url"])
                            .or_else(|| r.path(&["annotations", "runbook"]))
                        {
                            runbook.get_or_insert(u.line);
                        }
                    }
                }
            }
            if alerts > 0 {
                ev(
                    out,
                    "ALERTS",
                    first,
                    format!("{path}: {alerts} alert rule(s)"),
                );
            }
            if let Some(l) = runbook {
                ev(
                    out,
                    "RUNBOOK",
                    Some(l),
                    format!("{path}: alerts link runbooks"),
                );
            }
        }
        // Alertmanager configuration.
        if d.get("route").is_some_and(Y::is_map) && d.get("receivers").is_some() {
            ev(
                out,
                "ALERTS",
                d.entry("route").map(|e| e.line),
                format!("{path}: Alertmanager configuration"),
            );
        }
        if kind == "AlertmanagerConfig" {
            ev(
                out,
                "ALERTS",
                d.entry("kind").map(|e| e.line),
                format!("{path}: AlertmanagerConfig"),
            );
        }
        // SLO specifications.
        let slo = api.starts_with("openslo/")
            || api.starts_with("pyrra.dev/")
            || kind == "PrometheusServiceLevel"
            || kind == "ServiceLevelObjective"
            || d.get("version").map(Y::text) == Some("prometheus/v1") && d.get("slos").is_some()
            || api.starts_with("sloth.slok.dev/")
            || api.starts_with("n9/");
        if slo {
            ev(
                out,
                "SLO",
                d.entry("kind").or(d.entry("slos")).map(|e| e.line),
                format!("{path}: SLO specification"),
            );
        }
        // Dashboards in Kubernetes.
        if kind == "GrafanaDashboard" {
            ev(
                out,
                "DASHBOARDS",
                d.entry("kind").map(|e| e.line),
                format!("{path}: GrafanaDashboard"),
            );
        }
        if kind == "ConfigMap"
            && d.path(&["metadata", "labels"]).is_some_and(|l| {
                l.entries()
                    .iter()
                    .any(|e| e.key.contains("grafana_dashboard"))
            })
        {
            ev(
                out,
                "DASHBOARDS",
                d.entry("kind").map(|e| e.line),
                format!("{path}: Grafana dashboard ConfigMap"),
            );
        }
        // Backstage catalog owner.
        if api.starts_with("backstage.io/")
            && let Some(o) = d
                .path(&["spec", "owner"])
                .and_then(|o| o.as_str().map(|_| o))
        {
            ev(
                out,
                "OWNERS",
                Some(o.line),
                format!("{path}: Backstage owner `{}`", o.text()),
            );
        }
        // Kubernetes-style OWNERS files written as YAML.
        if (lower == "owners.yaml" || lower == "owners.yml")
            && (d.get("approvers").is_some() || d.get("reviewers").is_some())
        {
            ev(out, "OWNERS", None, format!("{path}: OWNERS"));
        }
        let _ = V::Null;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_headings() {
        let h = headings(
            "# Title\n\nSetup\n=====\n```\n# not a heading\n```\n## Deploying to GKE ##\n#!shebang\n",
        );
        assert_eq!(
            h,
            vec![
                (1, "title".to_string()),
                (3, "setup".to_string()),
                (8, "deploying to gke".to_string())
            ]
        );
    }
}
