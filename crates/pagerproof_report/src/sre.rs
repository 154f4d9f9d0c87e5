//! `--format sre`: the SRE deployment review of `seeds/sre-deployment-review.md`.
//! Operational Readiness Score with its justification (every deduction), Production
//! Risks (severity, title, where, scenario, impact, detection, mitigation with a fix in the
//! site's language, monitoring), Missing Observability, Resource Concerns, and a
//! Deployment Checklist derived from the findings and the facts.

use std::collections::BTreeSet;
use std::fmt::Write;

use pagerproof_core::{Report, Severity};

use crate::Options;
use crate::common::{
    self, Gap, code_span, component_categories, components_with, counts_line, fact_mark, gaps,
    list_some, md_escape, md_location, plural,
};

const MAX_SITES: usize = 12;

/// Categories about memory, CPU, disk, connections and spend.
const RESOURCE: &[&str] = &[
    "UNBOUNDED",
    "K8S-RESOURCES",
    "COST",
    "ML-MODEL-LOAD",
    "ML-INPUT",
    "K8S-REPLICAS",
    "TIMEOUT",
    "RETRY",
];

pub fn render(r: &Report, opts: &Options) -> String {
    let mut o = String::new();
    let all = gaps(&r.findings, opts);
    let _ = writeln!(o, "# SRE deployment review: {}\n", code_span(&r.root));
    if let Some(note) = common::scope_note(r) {
        let _ = writeln!(o, "_{}_\n", note);
    }
    score(&mut o, r);
    risks(&mut o, &all, opts);
    observability(&mut o, r, &all, opts);
    resources(&mut o, r, &all, opts);
    checklist(&mut o, r, &all, opts);
    o
}

fn score(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Operational Readiness Score\n");
    let _ = writeln!(
        o,
        "**{:.1}/10** — {}: {}. Findings: {}.\n",
        r.score,
        r.verdict,
        md_escape(&r.verdict_reason),
        counts_line(r)
    );
    if r.deductions.is_empty() {
        let _ = writeln!(
            o,
            "Nothing was deducted: the {} rule(s) that ran over {} file(s) found no gap.\n",
            r.rules_run.len(),
            r.stats.files
        );
    } else {
        let _ = writeln!(
            o,
            "Justification: from 10, each category's penalty is taken from what the larger ones left (`docs/scoring.md`):\n"
        );
        for d in common::deduction_lines(&r.deductions) {
            let _ = writeln!(o, "- {}", md_escape(&d));
        }
        let _ = writeln!(o);
    }
    let holds: Vec<String> = component_categories()
        .into_iter()
        .filter_map(|cat| {
            let have = components_with(r, cat, Some(true));
            let applicable = have.len() + components_with(r, cat, Some(false)).len();
            (!have.is_empty()).then(|| format!("{cat} in {}/{applicable}", have.len()))
        })
        .collect();
    if !holds.is_empty() {
        let _ = writeln!(
            o,
            "What holds up (components with the capability / components it applies to): {}.\n",
            holds.join(", ")
        );
    }
}

fn risks(o: &mut String, all: &[Gap<'_>], opts: &Options) {
    let _ = writeln!(o, "## Production Risks\n");
    if all.is_empty() {
        let _ = writeln!(o, "No risk found by the rules that ran.\n");
        return;
    }
    for g in all {
        let f = g.first();
        let _ = writeln!(
            o,
            "### [{}] {} ({})\n",
            g.severity,
            md_escape(&g.title),
            g.extent()
        );
        let _ = writeln!(o, "**Where:**\n");
        common::site_bullets(o, g, MAX_SITES, opts);
        let _ = writeln!(o);
        let _ = writeln!(o, "**Scenario:** {}\n", f.scenario.trim());
        let _ = writeln!(o, "**Impact:** {}\n", f.impact.trim());
        let _ = writeln!(o, "**Detection:** {}\n", f.detection.trim());
        let _ = write!(o, "**Mitigation:** ");
        common::fix_text(o, g, opts);
        let _ = writeln!(o, "**Monitoring:** {}\n", f.monitoring.trim());
    }
}

fn observability(o: &mut String, r: &Report, all: &[Gap<'_>], opts: &Options) {
    let _ = writeln!(o, "## Missing Observability\n");
    let cats = [
        "METRICS",
        "TRACING",
        "STRUCTURED-LOGS",
        "REQUEST-ID",
        "HEALTH",
    ];
    let comps: Vec<_> = r
        .components
        .iter()
        .filter(|c| cats.iter().any(|k| c.facts.contains_key(*k)))
        .collect();
    if comps.is_empty() {
        let _ = writeln!(
            o,
            "No deployable component was found, so no component was asked for metrics, tracing or logs.\n"
        );
    } else {
        let _ = writeln!(
            o,
            "| Component | Kind | Metrics | Tracing | Structured logs | Request id | Health |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|---|---|");
        for c in &comps {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                code_span(&c.path).replace('|', "\\|"),
                md_escape(&c.kind),
                fact_mark(c.facts.get("METRICS")),
                fact_mark(c.facts.get("TRACING")),
                fact_mark(c.facts.get("STRUCTURED-LOGS")),
                fact_mark(c.facts.get("REQUEST-ID")),
                fact_mark(c.facts.get("HEALTH")),
            );
        }
        let _ = writeln!(
            o,
            "\n_yes_: found (evidence in the JSON report); **no**: looked for and not found; n/a: does not apply to the component's kind.\n"
        );
    }
    let mut adds: Vec<String> = Vec::new();
    let missing = |cat: &str| -> Vec<String> {
        components_with(r, cat, Some(false))
            .iter()
            .map(|(c, _)| code_span(&c.path))
            .collect()
    };
    let m = missing("METRICS");
    if !m.is_empty() {
        adds.push(format!(
            "Metrics in {}: request rate, errors and duration histograms (p50/p95/p99) per endpoint, outbound call latency and errors per dependency, retry counts, queue depth for consumers.",
            list_some(&m, 8)
        ));
    }
    let t = missing("TRACING");
    if !t.is_empty() {
        adds.push(format!(
            "Distributed tracing in {}: spans for incoming requests and every outbound call, with context propagated through clients and async work.",
            list_some(&t, 8)
        ));
    }
    let l = missing("STRUCTURED-LOGS");
    if !l.is_empty() {
        adds.push(format!(
            "Structured (JSON or key-value) logs in {}: level, message, service, request id and error fields, so logs can be queried during an incident.",
            list_some(&l, 8)
        ));
    }
    let q = missing("REQUEST-ID");
    if !q.is_empty() {
        adds.push(format!(
            "Request or correlation ids in {}: accept or mint one per request, log it, pass it downstream.",
            list_some(&q, 8)
        ));
    }
    for (cat, what) in [
        (
            "SLO",
            "SLO/SLI definitions: without them nobody can say whether the system is healthy right now",
        ),
        (
            "ALERTS",
            "alert rules: nothing pages a human when the service breaks",
        ),
        (
            "DASHBOARDS",
            "dashboards: the first place to look during an incident",
        ),
    ] {
        if r.repository.get(cat).and_then(|f| f.present) == Some(false) {
            adds.push(format!("No {what}."));
        }
    }
    for g in all {
        if matches!(g.category, "SWALLOW" | "LOG-CONTEXT") {
            adds.push(format!(
                "{} ({}, rule {}): these failures never reach logs or metrics; log them with context or count them. First: {}.",
                md_escape(&g.title),
                g.extent(),
                code_span(g.rule),
                md_location(&g.first().path, g.first().line, opts)
            ));
        }
    }
    if adds.is_empty() {
        let _ = writeln!(
            o,
            "Nothing missing among what was checked (metrics, tracing, structured logs, request ids, health; SLOs, alerts, dashboards where checked).\n"
        );
    } else {
        let _ = writeln!(o, "What to add:\n");
        for a in adds {
            let _ = writeln!(o, "- {a}");
        }
        let _ = writeln!(o);
    }
}

fn resources(o: &mut String, r: &Report, all: &[Gap<'_>], opts: &Options) {
    let _ = writeln!(o, "## Resource Concerns\n");
    let mut any = false;
    for cat in RESOURCE {
        let gs: Vec<&Gap<'_>> = all.iter().filter(|g| g.category == *cat).collect();
        let Some(first) = gs.first() else {
            continue;
        };
        any = true;
        let why = match *cat {
            "TIMEOUT" => {
                "every request stuck on a call or connection without a deadline keeps its thread or goroutine, socket and buffers; when a dependency (or, for a server, a client) stalls, they pile up until memory, file descriptors or pool slots run out"
            }
            "RETRY" => "retries multiply the load on a dependency that is already failing",
            "UNBOUNDED" => "memory grows with traffic until the process is OOM-killed",
            "K8S-RESOURCES" => {
                "without requests the scheduler overcommits nodes; without a memory limit one pod can starve its neighbours"
            }
            "K8S-REPLICAS" => {
                "a single replica or no disruption budget means node drains and deploys take the service down"
            }
            "COST" => "spend grows with traffic without a ceiling",
            "ML-MODEL-LOAD" => "loading a model per request costs memory and seconds each time",
            "ML-INPUT" => "unbounded inputs make inference memory and latency unbounded",
            _ => "",
        };
        let sites: usize = gs.iter().map(|g| g.findings.len()).sum();
        let comps: BTreeSet<&str> = gs
            .iter()
            .flat_map(|g| g.components.iter().copied())
            .collect();
        let rules: Vec<String> = gs.iter().map(|g| code_span(g.rule)).collect();
        let worst = gs.iter().map(|g| g.severity).min().unwrap_or(Severity::P3);
        let _ = writeln!(
            o,
            "- **[{worst}] {cat}** — {} in {} component(s) ({}): {why}. First: {}.",
            plural(sites, "site"),
            comps.len(),
            rules.join(", "),
            md_location(&first.first().path, first.first().line, opts)
        );
    }
    let unseen: Vec<&str> = ["UNBOUNDED", "K8S-RESOURCES", "COST"]
        .into_iter()
        .filter(|c| !all.iter().any(|g| g.category == *c))
        .collect();
    if !any {
        let _ = writeln!(
            o,
            "No memory, CPU, connection or spend gap was found by the rules that ran."
        );
    }
    if !unseen.is_empty() {
        let _ = writeln!(
            o,
            "\nNo finding in {}. This is a static review: it reads code and manifests, not load, so size memory and CPU from a load test at 10× expected traffic.",
            unseen.join(", ")
        );
    }
    let running = r
        .components
        .iter()
        .filter(|c| c.kind == "service" || c.kind == "job")
        .count();
    if running > 0 {
        let _ = writeln!(
            o,
            "\n{} of the {} component(s) run continuously (service or job): each needs memory and CPU requests and limits sized from that test.",
            running,
            r.components.len()
        );
    }
    let _ = writeln!(o);
}

fn checklist(o: &mut String, r: &Report, all: &[Gap<'_>], opts: &Options) {
    let _ = writeln!(o, "## Deployment Checklist\n");
    let mut items: Vec<String> = Vec::new();
    for g in all.iter().filter(|g| g.severity <= Severity::P1) {
        items.push(format!(
            "[{}] Resolved: {} — {} (rule {}, first at {})",
            g.severity,
            md_escape(&g.title),
            g.extent(),
            code_span(g.rule),
            md_location(&g.first().path, g.first().line, opts)
        ));
    }
    for (c, f) in components_with(r, "HEALTH", Some(true)) {
        let at = f
            .evidence
            .first()
            .map(|e| {
                let note = if e.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", md_escape(&e.note))
                };
                format!("{}{note}", md_location(&e.path, e.line, opts))
            })
            .unwrap_or_default();
        items.push(format!(
            "{}: the readiness and liveness probes point at the health endpoint at {at}, and it checks critical dependencies only",
            code_span(&c.path)
        ));
    }
    for (c, f) in components_with(r, "SHUTDOWN", Some(true)) {
        let at = f
            .evidence
            .first()
            .map(|e| md_location(&e.path, e.line, opts))
            .unwrap_or_default();
        items.push(format!(
            "{}: the termination grace period is longer than the drain started at {at}",
            code_span(&c.path)
        ));
    }
    let listed = |cat: &str| {
        all.iter()
            .any(|g| g.category == cat && g.severity <= Severity::P1)
    };
    let no_health: Vec<String> = components_with(r, "HEALTH", Some(false))
        .iter()
        .map(|(c, _)| code_span(&c.path))
        .collect();
    if !no_health.is_empty() && !listed("HEALTH") {
        items.push(format!(
            "Health endpoints exist and probes use them in {}",
            list_some(&no_health, 8)
        ));
    }
    let no_drain: Vec<String> = components_with(r, "SHUTDOWN", Some(false))
        .iter()
        .map(|(c, _)| code_span(&c.path))
        .collect();
    if !no_drain.is_empty() && !listed("SHUTDOWN") {
        items.push(format!(
            "SIGTERM drains in-flight work before exit in {}",
            list_some(&no_drain, 8)
        ));
    }
    for (cat, present, missing) in [
        (
            "ROLLBACK",
            "The documented rollback procedure has been rehearsed",
            "A rollback procedure is written down and rehearsed",
        ),
        (
            "RUNBOOK",
            "The runbook covers this release's failure modes",
            "A runbook exists for the on-call engineer (rollback, kill switch, stuck work, owner)",
        ),
        (
            "OWNERS",
            "The stated owners are on the on-call rotation",
            "An owning team is named (CODEOWNERS or equivalent)",
        ),
        (
            "ALERTS",
            "Alert rules fire in staging before production",
            "Alerts exist for error rate, latency and saturation",
        ),
    ] {
        match r.repository.get(cat).and_then(|f| f.present) {
            Some(true) => {
                let at = r
                    .repository
                    .get(cat)
                    .and_then(common::fact_evidence)
                    .map(|l| format!(" ({})", code_span(&l)))
                    .unwrap_or_default();
                items.push(format!("{present}{at}"));
            }
            Some(false) => items.push(missing.to_string()),
            None => {}
        }
    }
    let mut sup = String::new();
    common::suppression_bullets(&mut sup, r, "  ", opts);
    if !sup.is_empty() {
        items.push(format!(
            "The inline suppressions still hold ({} honoured), and those not honoured ({}) are fixed:\n{}",
            r.suppressed.len(),
            r.rejected_suppressions.len(),
            sup.trim_end()
        ));
    }
    let p2 = all.iter().filter(|g| g.severity >= Severity::P2).count();
    if p2 > 0 {
        items.push(format!(
            "The {} P2/P3 risk(s) above are triaged: fixed, ticketed, or accepted with a reason",
            p2
        ));
    }
    if items.is_empty() {
        items.push("Nothing was derived from the findings and facts; verify rollback, alerting and ownership by hand".to_string());
    }
    for i in items {
        let _ = writeln!(o, "- [ ] {i}");
    }
    let _ = writeln!(o);
}
