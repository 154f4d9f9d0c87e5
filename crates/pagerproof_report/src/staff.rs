//! `--format staff`: the staff engineer's review of `seeds/staff-engineer-review.md`, as a
//! narrative built only from evidence: current reality / implied intent / production
//! necessity, the assumptions made where information is missing, strengths worth keeping
//! (facts present), the top three ways the system fails and their blast radius, missing
//! artifacts, highest-leverage next steps, metrics to add, Prometheus alert examples for
//! the detected services, rollout patterns, and candidate ADR/RFC topics.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use pagerproof_core::taxonomy::{self, Scope};
use pagerproof_core::{Component, Report, Severity};

use crate::Options;
use crate::common::{
    self, Gap, code_span, component_categories, components_with, gaps, list_some, md_escape,
    md_location, plural, running,
};

pub fn render(r: &Report, opts: &Options) -> String {
    let mut o = String::new();
    let all = gaps(&r.findings, opts);
    let _ = writeln!(o, "# Staff engineer review: {}\n", code_span(&r.root));
    if let Some(note) = common::scope_note(r) {
        let _ = writeln!(o, "_{}_\n", note);
    }
    bottom_line(&mut o, r, &all);
    reality(&mut o, r, &all);
    assumptions(&mut o, r);
    strengths(&mut o, r, opts);
    failure_modes(&mut o, r, &all, opts);
    artifacts(&mut o, r);
    next_steps(&mut o, r, &all);
    metrics(&mut o, r, &all);
    alerts(&mut o, r);
    rollout(&mut o, r, &all);
    adrs(&mut o, r, &all);
    o
}

fn comp_list(cs: &[&Component]) -> Vec<String> {
    cs.iter().map(|c| code_span(&c.path)).collect()
}

fn bottom_line(o: &mut String, r: &Report, all: &[Gap<'_>]) {
    let _ = writeln!(o, "## Bottom line\n");
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &r.components {
        *kinds.entry(c.kind.as_str()).or_default() += 1;
    }
    let mut langs: BTreeSet<&str> = BTreeSet::new();
    for c in &r.components {
        langs.extend(c.languages.iter().map(String::as_str));
    }
    let shape = if r.components.is_empty() {
        "No deployable component was detected".to_string()
    } else {
        format!(
            "{} ({}){}",
            plural(r.components.len(), "component"),
            kinds
                .iter()
                .map(|(k, n)| format!("{n} {}", md_escape(k)))
                .collect::<Vec<_>>()
                .join(", "),
            if langs.is_empty() {
                String::new()
            } else {
                format!(" in {}", langs.into_iter().collect::<Vec<_>>().join(", "))
            }
        )
    };
    let urgent = all.iter().filter(|g| g.severity <= Severity::P1).count();
    let _ = writeln!(
        o,
        "{shape}. Verdict: **{}** ({}); operational readiness {:.1}/10. {} gap(s) found, {} of them P0/P1.{}\n",
        r.verdict,
        md_escape(&r.verdict_reason),
        r.score,
        all.len(),
        urgent,
        match all.first() {
            Some(g) if g.severity <= Severity::P1 => format!(
                " The first thing I would fix: {} ({}).",
                md_escape(&g.title),
                g.extent()
            ),
            _ => String::new(),
        }
    );
}

fn reality(o: &mut String, r: &Report, all: &[Gap<'_>]) {
    let _ = writeln!(
        o,
        "## Current reality, implied intent, production necessity\n"
    );
    let _ = writeln!(o, "**Current reality (what exists).**\n");
    if r.components.is_empty() {
        let _ = writeln!(
            o,
            "- No deployable unit: no Dockerfile and no build manifest with an entry point."
        );
    }
    for c in &r.components {
        let have: Vec<&str> = c
            .facts
            .iter()
            .filter(|(_, f)| f.present == Some(true))
            .map(|(k, _)| k.as_str())
            .collect();
        let lacks: Vec<&str> = c
            .facts
            .iter()
            .filter(|(_, f)| f.present == Some(false))
            .map(|(k, _)| k.as_str())
            .collect();
        let mut line = format!(
            "- {} — {} ({}){}, built from {}",
            code_span(&c.path),
            md_escape(&c.kind),
            md_escape(&c.kind_reason),
            if c.languages.is_empty() {
                String::new()
            } else {
                format!(", {}", md_escape(&c.languages.join("/")))
            },
            md_escape(&c.markers.join(", "))
        );
        if !have.is_empty() {
            let _ = write!(line, "; has {}", have.join(", "));
        }
        if !lacks.is_empty() {
            let _ = write!(line, "; lacks {}", lacks.join(", "));
        }
        let _ = writeln!(o, "{line}.");
    }
    let repo_have: Vec<&str> = r
        .repository
        .iter()
        .filter(|(_, f)| f.present == Some(true))
        .map(|(k, _)| k.as_str())
        .collect();
    let repo_lacks: Vec<&str> = r
        .repository
        .iter()
        .filter(|(_, f)| f.present == Some(false))
        .map(|(k, _)| k.as_str())
        .collect();
    if !repo_have.is_empty() || !repo_lacks.is_empty() {
        let _ = writeln!(
            o,
            "- Repository: {}{}.",
            if repo_have.is_empty() {
                String::new()
            } else {
                format!("has {}", repo_have.join(", "))
            },
            if repo_lacks.is_empty() {
                String::new()
            } else {
                format!(
                    "{}lacks {}",
                    if repo_have.is_empty() { "" } else { "; " },
                    repo_lacks.join(", ")
                )
            }
        );
    }

    let _ = writeln!(o, "\n**Implied intent (what the code suggests).**\n");
    let mut intent: Vec<String> = Vec::new();
    let docker: Vec<&Component> = r
        .components
        .iter()
        .filter(|c| {
            c.markers
                .iter()
                .any(|m| m.to_ascii_lowercase().starts_with("dockerfile"))
        })
        .collect();
    if !docker.is_empty() {
        intent.push(format!(
            "Runs as containers: {} of {} components {} a Dockerfile.",
            docker.len(),
            r.components.len(),
            if docker.len() == 1 { "has" } else { "have" }
        ));
    }
    let deployed: Vec<&Component> = r
        .components
        .iter()
        .filter(|c| !c.deployments.is_empty())
        .collect();
    let k8s = r.findings.iter().any(|f| f.category.starts_with("K8S-"));
    if !deployed.is_empty() {
        intent.push(format!(
            "Deployed by manifests in the repository for {} (e.g. {}).",
            list_some(&comp_list(&deployed), 6),
            code_span(&common::location(
                &deployed[0].deployments[0].path,
                deployed[0].deployments[0].line
            ))
        ));
    } else if k8s {
        intent.push("Deployed on Kubernetes (the review found Kubernetes manifests).".to_string());
    }
    for cat in [
        "HEALTH",
        "METRICS",
        "TRACING",
        "STRUCTURED-LOGS",
        "SHUTDOWN",
        "REQUEST-ID",
    ] {
        let have = components_with(r, cat, Some(true));
        let lack = components_with(r, cat, Some(false));
        if !have.is_empty() && !lack.is_empty() {
            intent.push(format!(
                "{cat} is meant to be standard ({} have it, e.g. {}) but is not applied everywhere: missing in {}.",
                have.len(),
                have[0]
                    .1
                    .evidence
                    .first()
                    .map(|e| code_span(&common::location(&e.path, e.line)))
                    .unwrap_or_else(|| code_span(&have[0].0.path)),
                list_some(
                    &lack.iter().map(|(c, _)| code_span(&c.path)).collect::<Vec<_>>(),
                    6
                )
            ));
        }
    }
    let services = r.components.iter().filter(|c| c.kind == "service").count();
    if services > 1 {
        intent.push(format!(
            "{services} separately deployable services: an architecture that assumes independent deploys and network calls between services, so every call needs a deadline and every service a health check."
        ));
    }
    if intent.is_empty() {
        intent.push("Nothing beyond the code itself: no container, deployment or instrumentation pattern stands out.".to_string());
    }
    for i in intent {
        let _ = writeln!(o, "- {i}");
    }

    let _ = writeln!(
        o,
        "\n**Production necessity (what would be required in practice).**\n"
    );
    let mut need: Vec<String> = Vec::new();
    for g in all.iter().filter(|g| g.severity <= Severity::P1).take(6) {
        need.push(format!(
            "{} ({}): {}.",
            md_escape(&g.title),
            g.extent(),
            severity_need(g.severity)
        ));
    }
    for (cat, what) in [
        ("HEALTH", "a health endpoint the orchestrator probes"),
        ("SHUTDOWN", "graceful shutdown on SIGTERM"),
        ("METRICS", "request rate, error and latency metrics"),
    ] {
        let lack = components_with(r, cat, Some(false));
        if !lack.is_empty()
            && !all
                .iter()
                .any(|g| g.category == cat && g.severity <= Severity::P1)
        {
            need.push(format!(
                "Every running component needs {what}; missing in {}.",
                list_some(
                    &lack
                        .iter()
                        .map(|(c, _)| code_span(&c.path))
                        .collect::<Vec<_>>(),
                    6
                )
            ));
        }
    }
    if need.is_empty() {
        need.push(if all.is_empty() {
            "Nothing found blocks production.".to_string()
        } else {
            "Nothing found blocks production; the P2/P3 gaps below reduce operational pain."
                .to_string()
        });
    }
    for n in need {
        let _ = writeln!(o, "- {n}");
    }
    let _ = writeln!(o);
}

fn severity_need(s: Severity) -> &'static str {
    match s {
        Severity::P0 => "must be fixed before any production data touches it",
        Severity::P1 => "must be fixed before taking the pager",
        _ => "should be fixed",
    }
}

fn assumptions(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Assumptions (where information is missing)\n");
    let mut a: Vec<String> = vec![
        "Traffic, user counts and SLAs are not in the repository: blast radius is stated in components and call sites, not users.".to_string(),
        "The call graph between components is not derived: a failing component is assumed to affect every caller.".to_string(),
    ];
    match r.repository.get("SLO").and_then(|f| f.present) {
        Some(true) => {}
        Some(false) => a.push("No SLO is defined: the alert examples assume 99.9 % availability and a 1 s p99 latency target.".to_string()),
        None => a.push("SLOs were not checked: the alert examples assume 99.9 % availability and a 1 s p99 latency target.".to_string()),
    }
    if !r.components.iter().any(|c| !c.deployments.is_empty())
        && !r.findings.iter().any(|f| f.category.starts_with("K8S-"))
    {
        a.push("How the components are deployed is not visible (no manifest was linked to a component): rollout advice assumes a rolling update behind a load balancer.".to_string());
    }
    if r.components.iter().any(|c| c.kind == "job") {
        a.push("Components classed as jobs were seen to have an entry point but no server; if one does serve requests, its health and tracing facts apply too (declare it in pagerproof.toml `[[components]] kind = \"service\"`).".to_string());
    }
    let mut undecided: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &r.components {
        for (k, f) in &c.facts {
            if f.present.is_none()
                && let Some(reason) = &f.reason
                && !reason.contains(" is a ")
            {
                undecided
                    .entry(format!("{k}: {reason}"))
                    .or_default()
                    .push(code_span(&c.path));
            }
        }
    }
    for (what, comps) in undecided {
        a.push(format!(
            "Undecided for {}: {}; treated as not applicable.",
            list_some(&comps, 5),
            md_escape(&what)
        ));
    }
    let unchecked: Vec<String> = r
        .sections
        .iter()
        .filter(|s| s.status == "not_applicable" && s.reason.starts_with("not checked"))
        .map(|s| md_escape(&common::section_name(s.number)))
        .collect();
    if !unchecked.is_empty() {
        a.push(format!(
            "Not checked by this run: {}. Silence there is not health.",
            unchecked.join("; ")
        ));
    }
    for x in a {
        let _ = writeln!(o, "- {x}");
    }
    let _ = writeln!(o);
}

fn strengths(o: &mut String, r: &Report, opts: &Options) {
    let _ = writeln!(o, "## Strengths worth keeping\n");
    let mut s: Vec<String> = Vec::new();
    for cat in component_categories() {
        let have = components_with(r, cat, Some(true));
        if have.is_empty() {
            continue;
        }
        let examples: Vec<String> = have
            .iter()
            .take(4)
            .map(|(c, f)| match f.evidence.first() {
                Some(e) => {
                    let note = if e.note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", md_escape(&e.note))
                    };
                    format!(
                        "{} at {}{note}",
                        code_span(&c.name),
                        md_location(&e.path, e.line, opts)
                    )
                }
                None => code_span(&c.name),
            })
            .collect();
        let what = taxonomy::category(cat)
            .map(|c| strength_name(c.name))
            .unwrap_or(cat);
        s.push(format!(
            "**{what}** in {} of {} components: {}{}.",
            have.len(),
            have.len() + components_with(r, cat, Some(false)).len(),
            examples.join("; "),
            if have.len() > 4 { "; …" } else { "" }
        ));
    }
    for (k, f) in &r.repository {
        if f.present == Some(true) {
            let at = f
                .evidence
                .first()
                .map(|e| format!(": {}", md_location(&e.path, e.line, opts)))
                .unwrap_or_default();
            s.push(format!("**{}** at repository level{at}.", strength_name(k)));
        }
    }
    // Categories whose rules ran over code and found nothing.
    let clean: Vec<&str> = [
        "SECRET",
        "TLS-OFF",
        "DEBUG",
        "LOG-SENSITIVE",
        "UNBOUNDED",
        "CANCEL",
    ]
    .into_iter()
    .filter(|c| {
        r.rules_run
            .iter()
            .any(|id| opts.rule(id).is_some_and(|ri| ri.category == *c))
            && !r.findings.iter().any(|f| f.category == *c)
    })
    .collect();
    if !clean.is_empty() && r.stats.files > 0 {
        s.push(format!(
            "No {} finding in {} files: the checks ran and found nothing (absence of evidence, not proof).",
            clean.join(", "),
            r.stats.files
        ));
    }
    if s.is_empty() {
        let _ = writeln!(
            o,
            "None could be established from evidence: no component showed a health endpoint, graceful shutdown, metrics, tracing or structured logs, and no repository artifact was found.\n"
        );
        return;
    }
    for x in s {
        let _ = writeln!(o, "- {x}");
    }
    let _ = writeln!(o);
}

fn strength_name(cat: &str) -> &str {
    match cat {
        "HEALTH" => "Health endpoints",
        "SHUTDOWN" => "Graceful shutdown",
        "METRICS" => "Metrics instrumentation",
        "TRACING" => "Distributed tracing",
        "STRUCTURED-LOGS" => "Structured logging",
        "REQUEST-ID" => "Request id propagation",
        "RATE-LIMIT" => "Rate limiting",
        "AUTH" => "Authentication",
        "RESILIENCE" => "Circuit breakers / fallbacks",
        "AUDIT-LOG" => "Audit logging",
        "RUNBOOK" => "Runbook",
        "ROLLBACK" => "Documented rollback",
        "ADR" => "Architecture decision records",
        "OWNERS" => "Stated owners",
        "SLO" => "SLO definitions",
        "ALERTS" => "Alert rules",
        "DASHBOARDS" => "Dashboards",
        "SECURITY-POLICY" => "Security policy",
        "README" => "README",
        "FEATURE-FLAGS" => "Feature flags / kill switches",
        other => other,
    }
}

fn failure_modes(o: &mut String, r: &Report, all: &[Gap<'_>], opts: &Options) {
    let _ = writeln!(o, "## Risks: the top three ways this system fails\n");
    if all.is_empty() {
        let _ = writeln!(
            o,
            "The rules that ran found no failure mode. That is not proof: see the assumptions above.\n"
        );
        return;
    }
    let total = r.components.len().max(1);
    for (i, g) in all.iter().take(3).enumerate() {
        let f = g.first();
        let comps: Vec<String> = g.components.iter().map(|c| code_span(c)).collect();
        let _ = writeln!(
            o,
            "{}. **[{}] {}** — {}.",
            i + 1,
            g.severity,
            md_escape(&g.title),
            g.extent()
        );
        let _ = writeln!(o, "   - How it fails: {}", f.scenario.trim());
        let _ = writeln!(
            o,
            "   - Blast radius: {} of {} component(s) ({}). {}",
            g.components.len(),
            total,
            list_some(&comps, 8),
            f.impact.trim()
        );
        let _ = writeln!(
            o,
            "   - Where it starts: {}{}",
            md_location(&f.path, f.line, opts),
            if g.findings.len() > 1 {
                format!(" and {} more", g.findings.len() - 1)
            } else {
                String::new()
            }
        );
        let _ = writeln!(
            o,
            "   - First mitigation: {}",
            first_sentence(&f.mitigation)
        );
    }
    if !r.suppressed.is_empty() || !r.rejected_suppressions.is_empty() {
        let _ = writeln!(
            o,
            "\nRisks accepted inline (each reason is the author's claim; re-check it):\n"
        );
        common::suppression_bullets(o, r, "", opts);
    }
    if all.len() > 3 {
        let _ = writeln!(o, "\nOther risks worth addressing:\n");
        for g in all.iter().skip(3).take(12) {
            let _ = writeln!(
                o,
                "- [{}] {} ({}), e.g. {}",
                g.severity,
                md_escape(&g.title),
                g.extent(),
                md_location(&g.first().path, g.first().line, opts)
            );
        }
        if all.len() > 15 {
            let _ = writeln!(
                o,
                "- … {} more in the production-readiness review (`--format prr`)",
                all.len() - 15
            );
        }
    }
    let _ = writeln!(o);
}

fn first_sentence(s: &str) -> String {
    let s = s.trim();
    match s.find(". ") {
        Some(i) => s[..=i].to_string(),
        None => s.to_string(),
    }
}

fn artifacts(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Missing artifacts\n");
    let mut lines = Vec::new();
    for c in taxonomy::repository_categories() {
        match r.repository.get(c.name).and_then(|f| f.present) {
            Some(false) => lines.push(format!(
                "- **{}**: {}.",
                strength_name(c.name),
                c.summary.trim_start_matches("no ").to_string() + " — missing"
            )),
            Some(true) => {}
            None => {}
        }
    }
    let checked = taxonomy::repository_categories().any(|c| r.repository.contains_key(c.name));
    if !checked {
        lines.push("- Runbooks, rollback procedure, ADRs, owners, SLOs, alert rules and dashboards were not checked by this run; from the code alone, none can be assumed to exist.".to_string());
    }
    let running = running(r);
    if !running.is_empty() && r.repository.get("DASHBOARDS").and_then(|f| f.present) != Some(true) {
        lines.push(format!(
            "- A dashboard per running component ({}) showing rate, errors, duration and saturation.",
            list_some(&comp_list(&running), 6)
        ));
    }
    if lines.is_empty() {
        lines.push("- None among the artifacts checked.".to_string());
    }
    for l in lines {
        let _ = writeln!(o, "{l}");
    }
    let _ = writeln!(o);
}

fn next_steps(o: &mut String, r: &Report, all: &[Gap<'_>]) {
    let _ = writeln!(o, "## Highest-leverage next steps\n");
    // Leverage: the points a category costs the repository score, then its severity.
    let points: BTreeMap<&str, f64> = r
        .deductions
        .iter()
        .map(|d| (d.category.as_str(), d.points))
        .collect();
    let mut cats: Vec<(&str, Severity, usize, BTreeSet<&str>, f64)> = Vec::new();
    for g in all {
        match cats.iter_mut().find(|c| c.0 == g.category) {
            Some(c) => {
                c.1 = c.1.min(g.severity);
                c.2 += g.findings.len();
                c.3.extend(g.components.iter().copied());
            }
            None => cats.push((
                g.category,
                g.severity,
                g.findings.len(),
                g.components.clone(),
                points.get(g.category).copied().unwrap_or(0.0),
            )),
        }
    }
    cats.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then(b.4.total_cmp(&a.4))
            .then(b.3.len().cmp(&a.3.len()))
            .then(a.0.cmp(b.0))
    });
    if cats.is_empty() {
        let _ = writeln!(
            o,
            "1. Keep this review in CI (`--fail-on P1`) so the state holds.\n"
        );
        return;
    }
    for (i, (cat, sev, n, comps, pts)) in cats.iter().take(6).enumerate() {
        let _ = writeln!(
            o,
            "{}. **{}** — [{}] {} in {} component(s); {} (worth {:.1} points of the score).",
            i + 1,
            step_for(cat),
            sev,
            plural(*n, "finding"),
            comps.len(),
            leverage_note(cat, comps.len()),
            pts
        );
    }
    let _ = writeln!(
        o,
        "{}. Gate pull requests on new P0/P1 findings (`pagerproof review --baseline pagerproof-baseline.json --fail-on P1`) so fixed gaps stay fixed.\n",
        cats.len().min(6) + 1
    );
}

fn step_for(cat: &str) -> String {
    match cat {
        "TIMEOUT" => "Put a deadline on every outbound call and server".to_string(),
        "RETRY" => {
            "Bound retries: cap, backoff with jitter, idempotent operations only".to_string()
        }
        "SWALLOW" => "Stop swallowing errors: log with context or propagate".to_string(),
        "SECRET" | "DOCKER-SECRETS" => {
            "Move secrets to a secret store and rotate the exposed ones".to_string()
        }
        "SHUTDOWN" | "CANCEL" | "FORCE-KILL" => {
            "Drain on SIGTERM in every running component".to_string()
        }
        "HEALTH" => "Add health endpoints and wire the probes to them".to_string(),
        "METRICS" | "TRACING" | "STRUCTURED-LOGS" | "REQUEST-ID" | "LOG-CONTEXT" => {
            format!("Close the {cat} gap with one shared instrumentation setup")
        }
        "TLS-OFF" => "Turn certificate verification back on".to_string(),
        "DEBUG" => "Turn debug features off in production builds".to_string(),
        other => match taxonomy::category(other) {
            Some(c) => format!("Fix: {}", c.summary),
            None => format!("Fix {other}"),
        },
    }
}

fn leverage_note(cat: &str, comps: usize) -> String {
    let shared = comps > 1;
    match (cat, shared) {
        ("TIMEOUT", true) => {
            "a shared client constructor with default timeouts fixes them together".to_string()
        }
        ("SHUTDOWN", true)
        | ("HEALTH", true)
        | ("METRICS", true)
        | ("TRACING", true)
        | ("STRUCTURED-LOGS", true)
        | ("REQUEST-ID", true) => {
            "one service template or bootstrap library makes it the default for every component"
                .to_string()
        }
        ("SWALLOW", _) => "a lint rule keeps new ones out".to_string(),
        (_, true) => "the same fix repeats across components: pave it once".to_string(),
        _ => "a local fix".to_string(),
    }
}

fn metrics(o: &mut String, r: &Report, all: &[Gap<'_>]) {
    let _ = writeln!(o, "## Metrics to add\n");
    let run = running(r);
    if run.is_empty() {
        let _ = writeln!(
            o,
            "No running component was detected, so no service metric applies.\n"
        );
        return;
    }
    let has = |cat: &str| all.iter().any(|g| g.category == cat);
    let _ = writeln!(
        o,
        "SLIs that answer \"is it healthy right now?\" for {}:\n",
        list_some(&comp_list(&run), 8)
    );
    let _ = writeln!(
        o,
        "- Request rate, error ratio and latency histogram (p50/p95/p99) per endpoint or RPC method, labelled by service."
    );
    if has("TIMEOUT") || has("RETRY") || has("RESILIENCE") {
        let _ = writeln!(
            o,
            "- Outbound call duration, errors and timeouts per dependency (the calls without deadlines above are where incidents will start)."
        );
        let _ = writeln!(
            o,
            "- Retry attempts per dependency, to see retry storms before they become outages."
        );
    }
    if r.components.iter().any(|c| c.kind == "job") || has("JOBS") {
        let _ = writeln!(
            o,
            "- For jobs and consumers: last success timestamp, failures, processing duration and backlog (queue depth / consumer lag)."
        );
    }
    if has("UNBOUNDED") || has("K8S-RESOURCES") {
        let _ = writeln!(
            o,
            "- Memory working set against the limit, and OOM-kill count, per container."
        );
    }
    if has("SWALLOW") {
        let _ = writeln!(
            o,
            "- A counter at each place an error is now swallowed, so dropped failures become visible."
        );
    }
    let _ = writeln!(
        o,
        "- Saturation: in-flight requests, connection-pool usage, CPU throttling.\n"
    );
}

/// A Prometheus-safe name from a component name.
fn prom_label(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if t.is_empty() {
        "component".to_string()
    } else {
        t
    }
}

fn alert_name(s: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if up {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            up = false;
        } else {
            up = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Component");
    }
    out
}

/// Prometheus alerting rules for the running components (validated by `promtool` in tests).
pub fn alert_rules(r: &Report) -> String {
    let mut y = String::from("groups:\n");
    let mut seen = BTreeSet::new();
    for c in running(r) {
        let label = prom_label(&c.name);
        let name = alert_name(&c.name);
        if !seen.insert(name.clone()) {
            continue;
        }
        let _ = writeln!(y, "  - name: {label}");
        let _ = writeln!(y, "    rules:");
        let _ = writeln!(y, "      - alert: {name}Down");
        let _ = writeln!(y, "        expr: up{{job=\"{label}\"}} == 0");
        let _ = writeln!(y, "        for: 5m");
        let _ = writeln!(y, "        labels:\n          severity: page");
        let _ = writeln!(
            y,
            "        annotations:\n          summary: \"{label}: no instance is being scraped successfully\""
        );
        if c.kind == "service" {
            let _ = writeln!(y, "      - alert: {name}HighErrorRatio");
            let _ = writeln!(
                y,
                "        expr: |\n          sum(rate(http_server_requests_total{{job=\"{label}\", code=~\"5..\"}}[5m]))\n            / sum(rate(http_server_requests_total{{job=\"{label}\"}}[5m])) > 0.01"
            );
            let _ = writeln!(y, "        for: 10m");
            let _ = writeln!(y, "        labels:\n          severity: page");
            let _ = writeln!(
                y,
                "        annotations:\n          summary: \"{label}: over 1% of requests fail (burns a 99.9% error budget 10x too fast)\""
            );
            let _ = writeln!(y, "      - alert: {name}HighLatencyP99");
            let _ = writeln!(
                y,
                "        expr: |\n          histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{{job=\"{label}\"}}[5m]))) > 1"
            );
            let _ = writeln!(y, "        for: 10m");
            let _ = writeln!(y, "        labels:\n          severity: ticket");
            let _ = writeln!(
                y,
                "        annotations:\n          summary: \"{label}: p99 latency above 1s for 10 minutes\""
            );
        } else {
            let _ = writeln!(y, "      - alert: {name}NotSucceeding");
            let _ = writeln!(
                y,
                "        expr: time() - max(job_last_success_timestamp_seconds{{job=\"{label}\"}}) > 3600"
            );
            let _ = writeln!(y, "        for: 5m");
            let _ = writeln!(y, "        labels:\n          severity: ticket");
            let _ = writeln!(
                y,
                "        annotations:\n          summary: \"{label}: no successful run in the last hour\""
            );
        }
    }
    y
}

fn alerts(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Alert examples\n");
    let run = running(r);
    if run.is_empty() {
        let _ = writeln!(
            o,
            "No running component was detected, so there is nothing to alert on.\n"
        );
        return;
    }
    let _ = writeln!(
        o,
        "Prometheus rules for the {} detected: page on symptoms users feel (down, errors), ticket on slow burn. Metric names assume `http_server_requests_total` and `http_server_request_duration_seconds` histograms labelled by `job`; rename them to what your instrumentation exports{}.\n",
        plural(run.len(), "running component"),
        if components_with(r, "METRICS", Some(false)).is_empty() {
            ""
        } else {
            " (components without metrics must export them first)"
        }
    );
    let _ = writeln!(o, "{}", common::code_block("yaml", &alert_rules(r)));
}

fn rollout(o: &mut String, r: &Report, all: &[Gap<'_>]) {
    let _ = writeln!(o, "## Rollout and deployment patterns\n");
    let mut p: Vec<String> = Vec::new();
    let no_health = components_with(r, "HEALTH", Some(false));
    if !no_health.is_empty() {
        p.push(format!(
            "Rolling updates are only as safe as readiness checks: {} cannot tell the orchestrator when it is ready, so a rollout sends traffic to instances that are still starting. Add health endpoints before relying on automated rollouts.",
            list_some(&no_health.iter().map(|(c, _)| code_span(&c.path)).collect::<Vec<_>>(), 6)
        ));
    }
    let no_drain = components_with(r, "SHUTDOWN", Some(false));
    if !no_drain.is_empty() {
        p.push(format!(
            "Every deploy restarts instances: {} drop in-flight work on SIGTERM. Drain first, then set a preStop delay and a termination grace period longer than the drain.",
            list_some(&no_drain.iter().map(|(c, _)| code_span(&c.path)).collect::<Vec<_>>(), 6)
        ));
    }
    let urgent = all.iter().filter(|g| g.severity <= Severity::P1).count();
    if urgent > 0 && !running(r).is_empty() {
        let trigger = if r.components.iter().any(|c| c.kind == "service") {
            "the error-ratio alert above as the automatic rollback trigger"
        } else {
            "failure and success-rate alerts as the automatic rollback trigger"
        };
        p.push(format!(
            "Ship the fixes for the {urgent} P0/P1 gap(s) behind a canary (one instance or 5 % of traffic, then 25 %, then all), with {trigger}."
        ));
    }
    if all
        .iter()
        .any(|g| matches!(g.category, "DOCKER-TAG" | "K8S-IMAGE-TAG"))
    {
        p.push("Pin images by tag or digest: a rollback must redeploy exactly the previous image, which `:latest` cannot promise.".to_string());
    }
    match r.repository.get("FEATURE-FLAGS").and_then(|f| f.present) {
        Some(false) => p.push("No kill switch was found: put risky features behind a flag that on-call can turn off without a deploy.".to_string()),
        Some(true) => p.push("Feature flags exist: use them for risky changes and give on-call a documented kill switch.".to_string()),
        None => {}
    }
    if r.sections
        .iter()
        .any(|s| s.number == 5 && s.status != "not_applicable")
    {
        p.push("Schema changes: expand → migrate → contract, each step its own deploy, so the previous release keeps working and rollback stays possible.".to_string());
    }
    match r.repository.get("ROLLBACK").and_then(|f| f.present) {
        Some(false) => p.push("No rollback procedure is written down: write it, and rehearse it before the first incident needs it.".to_string()),
        Some(true) => {}
        None => p.push("Rollback documentation was not checked: confirm a written, rehearsed rollback exists.".to_string()),
    }
    for x in p {
        let _ = writeln!(o, "- {x}");
    }
    let _ = writeln!(o);
}

fn adrs(o: &mut String, r: &Report, all: &[Gap<'_>]) {
    let _ = writeln!(o, "## Candidate ADR / RFC topics\n");
    const TOPICS: &[(&str, &[&str])] = &[
        (
            "ADR: timeout, retry and circuit-breaking policy for outbound calls",
            &["TIMEOUT", "RETRY", "RESILIENCE"],
        ),
        (
            "ADR: the shutdown contract (SIGTERM → stop accepting → drain → exit within the grace period)",
            &["SHUTDOWN", "CANCEL", "FORCE-KILL", "K8S-GRACE"],
        ),
        (
            "RFC: an observability baseline for every service (metrics, traces, structured logs, request ids)",
            &[
                "METRICS",
                "TRACING",
                "STRUCTURED-LOGS",
                "REQUEST-ID",
                "LOG-CONTEXT",
            ],
        ),
        (
            "ADR: error handling: where errors are logged, returned or counted",
            &["SWALLOW"],
        ),
        (
            "ADR: secrets and configuration management",
            &["SECRET", "DOCKER-SECRETS", "LOG-SENSITIVE", "CONFIG"],
        ),
        (
            "RFC: edge security: authentication, rate limits, webhook verification, audit trail",
            &["AUTH", "RATE-LIMIT", "WEBHOOK-SIG", "AUDIT-LOG", "TLS-OFF"],
        ),
        (
            "ADR: idempotency keys and at-least-once processing",
            &["IDEMPOTENCY", "JOBS"],
        ),
        (
            "ADR: schema change process (expand / migrate / contract)",
            &["MIGRATION"],
        ),
        (
            "ADR: workload hardening baseline (probes, resources, non-root, pinned images)",
            &[
                "K8S-PROBES",
                "K8S-RESOURCES",
                "K8S-SECURITY",
                "K8S-IMAGE-TAG",
                "K8S-REPLICAS",
                "DOCKER-USER",
                "DOCKER-TAG",
                "DOCKER-HEALTHCHECK",
            ],
        ),
        (
            "RFC: SLOs, alerting and on-call ownership",
            &[
                "SLO",
                "ALERTS",
                "DASHBOARDS",
                "RUNBOOK",
                "OWNERS",
                "ROLLBACK",
            ],
        ),
        (
            "ADR: supply chain and build reproducibility",
            &["DEPS-PINNING", "CI", "GHA"],
        ),
        (
            "ADR: model serving and cost guardrails",
            &["ML-MODEL-LOAD", "ML-INPUT", "COST"],
        ),
        ("ADR: debug and diagnostics in production", &["DEBUG"]),
    ];
    let mut any = false;
    for (topic, cats) in TOPICS {
        let hits: Vec<&Gap<'_>> = all.iter().filter(|g| cats.contains(&g.category)).collect();
        if hits.is_empty() {
            continue;
        }
        any = true;
        let n: usize = hits.iter().map(|g| g.findings.len()).sum();
        let comps: BTreeSet<&str> = hits
            .iter()
            .flat_map(|g| g.components.iter().copied())
            .collect();
        let present_cats: BTreeSet<&str> = hits.iter().map(|g| g.category).collect();
        let _ = writeln!(
            o,
            "- {topic} — motivated by {} ({}) in {} component(s).",
            plural(n, "finding"),
            present_cats.into_iter().collect::<Vec<_>>().join(", "),
            comps.len()
        );
    }
    if !any {
        let _ = writeln!(o, "- None forced by the findings.");
    }
    if r.repository.get("ADR").and_then(|f| f.present) == Some(false) {
        let _ = writeln!(
            o,
            "\nNo ADRs exist yet: start `docs/adr/` with the first of these, so the next engineer finds the decision and its alternatives."
        );
    }
    let accidental: Vec<&str> = all
        .iter()
        .filter(|g| {
            common::scope_of(g.category) == Some(Scope::Component) && g.components.len() > 1
        })
        .map(|g| g.category)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !accidental.is_empty() {
        let _ = writeln!(
            o,
            "\nLooks accidental rather than intentional: {} missing in several components at once, which suggests no shared service template rather than a decision per service.",
            accidental.join(", ")
        );
    }
    let _ = writeln!(o);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_names_are_safe() {
        assert_eq!(alert_name("cart-service"), "CartService");
        assert_eq!(alert_name("9lives"), "Component9lives");
        assert_eq!(prom_label("a\"b{c}"), "a_b_c_");
    }
}
