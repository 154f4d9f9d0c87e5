//! Prometheus alerting rules, one group per service: error-budget burn (fast: page; slow:
//! ticket) and p99 latency on the service's request metrics (see `sli`), and, for what the
//! deploy configuration shows, restarts and OOM kills where a memory limit is set, memory
//! near that limit, CPU throttling under a CPU limit, probe failures where probes exist and
//! unavailable replicas. Gaps the review found (no probes, no limits, no metrics, calls
//! without timeouts, no graceful shutdown) are comments naming the finding.
//!
//! `promtool check rules` accepts the output (tested where promtool is installed).

use std::fmt::Write as _;

use crate::context::{Ctx, Service};
use crate::md::{self, yq};
use crate::sli::{self, PodSel, Source};
use crate::{Error, Kind};

/// The availability objective the burn-rate alerts assume (also the SLO scaffold's).
pub const AVAILABILITY: f64 = 0.999;

/// The error budget, `1 - AVAILABILITY`, printed without float noise (`0.001`).
fn budget() -> String {
    let b = ((1.0 - AVAILABILITY) * 1e6).round() / 1e6;
    format!("{b}")
}

struct Rule {
    comments: Vec<String>,
    alert: String,
    expr: String,
    for_: &'static str,
    severity: &'static str,
    summary: String,
    description: String,
    source: Option<String>,
}

pub fn render(ctx: &Ctx<'_>) -> Result<String, Error> {
    let services = ctx.services();
    if services.is_empty() {
        return Err(Error::NothingToWrite {
            kind: Kind::Alerts.name(),
            reason: "no component serves requests (no routes, gRPC services, health endpoints \
or Kubernetes Service found)"
                .to_string(),
        });
    }
    let shared = sli::shared_names(ctx);
    let mut out = String::new();
    let _ = writeln!(out, "# Prometheus alerting rules for {}.", ctx.repo);
    for l in wrap(&strip_md(&ctx.provenance()), 88) {
        let _ = writeln!(out, "# {l}");
    }
    let _ = writeln!(
        out,
        "# Thresholds are starting points; metric names marked ASSUMED do not exist until the\n\
# service is instrumented (see each group's `source` annotation). Kubernetes alerts use\n\
# cAdvisor, kube-state-metrics and kubelet prober metrics.\n\
# Check with: promtool check rules <this file>\n\
groups:"
    );
    for s in services {
        group(&mut out, ctx, s, &shared);
    }
    Ok(out)
}

fn group(out: &mut String, ctx: &Ctx<'_>, s: &Service<'_>, shared: &[String]) {
    let sli = sli::for_service(ctx, s, shared);
    let name = s.name();
    let alert = md::camel(name);
    let mut rules: Vec<Rule> = Vec::new();
    let runbook = format!(
        "the `{name}` section of the runbook (pagerproof scaffold runbook --component {name})"
    );
    let budget = budget();
    let mut request_comments = vec![format!("Requests: {}.", strip_md(&sli.why))];
    if let Some(f) = s.in_categories(&["SHUTDOWN"]).first() {
        request_comments.push(format!(
            "Expect errors during every rollout until graceful shutdown exists ({} at {}).",
            f.rule,
            md::site(f)
        ));
    }
    match (sli.error_ratio("5m"), sli.error_ratio("1h")) {
        (Some(short), Some(long)) => {
            rules.push(Rule {
                comments: request_comments.clone(),
                alert: format!("{alert}ErrorBudgetFastBurn"),
                expr: format!(
                    "(\n{}\n) > (14.4 * {budget})\nand\n(\n{}\n) > (14.4 * {budget})",
                    indent(&long, 2),
                    indent(&short, 2)
                ),
                for_: "2m",
                severity: "page",
                summary: format!(
                    "{name} is spending its {:.1}% availability error budget 14x too fast",
                    AVAILABILITY * 100.0
                ),
                description: format!(
                    "Over the last hour more than {:.1}% of {name}'s requests failed; at this rate \
the 28-day error budget is gone in 2 days. Error ratio (1h): {{{{ $value | humanizePercentage }}}}. \
See {runbook}.",
                    14.4 * (1.0 - AVAILABILITY) * 100.0
                ),
                source: Some(sli.why.clone()),
            });
            if let (Some(s6h), Some(s30m)) = (sli.error_ratio("6h"), sli.error_ratio("30m")) {
                rules.push(Rule {
                    comments: Vec::new(),
                    alert: format!("{alert}ErrorBudgetSlowBurn"),
                    expr: format!(
                        "(\n{}\n) > (6 * {budget})\nand\n(\n{}\n) > (6 * {budget})",
                        indent(&s6h, 2),
                        indent(&s30m, 2)
                    ),
                    for_: "15m",
                    severity: "ticket",
                    summary: format!("{name} is spending its error budget 6x too fast"),
                    description: format!(
                        "Over 6 hours more than {:.1}% of {name}'s requests failed. See {runbook}.",
                        6.0 * (1.0 - AVAILABILITY) * 100.0
                    ),
                    source: Some(sli.why.clone()),
                });
            }
        }
        _ => {
            for c in &request_comments {
                comment(note_only(&mut rules), c);
            }
            let todo = sli
                .errors_todo
                .clone()
                .unwrap_or_else(|| "errors cannot be counted".to_string());
            comment(
                note_only(&mut rules),
                &format!("TODO: no error-rate alert for {name}: {todo}."),
            );
        }
    }
    match &sli.latency {
        Some(lat) => {
            let mut comments = Vec::new();
            let timeouts = s.in_categories(&["TIMEOUT"]);
            if !timeouts.is_empty() {
                let sites: Vec<String> = timeouts
                    .iter()
                    .take(3)
                    .map(|f| format!("{} at {}", f.rule, md::site(f)))
                    .collect();
                comments.push(format!(
                    "Calls without a timeout can hold requests until the client gives up: {}{}.",
                    sites.join("; "),
                    if timeouts.len() > 3 {
                        format!(" and {} more", timeouts.len() - 3)
                    } else {
                        String::new()
                    }
                ));
            }
            rules.push(Rule {
                comments,
                alert: format!("{alert}HighLatencyP99"),
                expr: format!("{} > 0.5", lat.quantile("0.99", "5m")),
                for_: "10m",
                severity: "ticket",
                summary: format!("{name} p99 latency is above 500ms"),
                description: format!(
                    "p99 latency of {name} has been {{{{ $value | humanizeDuration }}}} for 10 minutes \
(objective: 500ms; adjust to the service's real budget). See {runbook}."
                ),
                source: Some(sli.why.clone()),
            });
        }
        None => {
            let todo = sli.latency_todo.clone().unwrap_or_default();
            comment(
                note_only(&mut rules),
                &format!("TODO: no latency alert for {name}: {todo}."),
            );
        }
    }
    if sli.source != Source::App {
        rules.push(Rule {
            comments: vec![format!(
                "Fires while the request metric is missing: until it exists, the alerts above \
cannot fire ({} names).",
                sli.source.name()
            )],
            alert: format!("{alert}RequestMetricsAbsent"),
            expr: format!("absent({})", sli.requests.render()),
            for_: "1h",
            severity: "ticket",
            summary: format!("No request metrics for {name}: its alerts are blind"),
            description: format!(
                "`{}` has not been scraped for an hour. Instrument {name} or fix the scrape \
configuration. See {runbook}.",
                sli.requests.name
            ),
            source: Some(sli.why.clone()),
        });
    }
    kubernetes(&mut rules, s, &alert, &runbook);

    let _ = writeln!(out, "  - name: {}", yq(name));
    let _ = writeln!(out, "    rules:");
    for r in &rules {
        for c in &r.comments {
            for l in wrap(c, 84) {
                let _ = writeln!(out, "      # {l}");
            }
        }
        if r.alert.is_empty() {
            continue;
        }
        let _ = writeln!(out, "      - alert: {}", r.alert);
        let _ = writeln!(out, "        expr: |-");
        for l in r.expr.lines() {
            let _ = writeln!(out, "          {l}");
        }
        let _ = writeln!(out, "        for: {}", r.for_);
        let _ = writeln!(out, "        labels:");
        let _ = writeln!(out, "          severity: {}", r.severity);
        let _ = writeln!(out, "          service: {}", yq(name));
        let _ = writeln!(out, "        annotations:");
        let _ = writeln!(out, "          summary: {}", yq(&r.summary));
        let _ = writeln!(
            out,
            "          description: {}",
            yq(&strip_md(&r.description))
        );
        if let Some(src) = &r.source {
            let _ = writeln!(out, "          source: {}", yq(&strip_md(src)));
        }
    }
    if rules.iter().all(|r| r.alert.is_empty()) {
        // A group needs at least one rule; keep the group valid with a metric-presence rule.
        let _ = writeln!(out, "      - alert: {alert}RequestMetricsAbsent");
        let _ = writeln!(out, "        expr: absent({})", sli.requests.render());
        let _ = writeln!(out, "        for: 1h");
        let _ = writeln!(out, "        labels:\n          severity: ticket");
    }
}

/// A comment-only entry (no alert), for TODOs between rules.
fn note_only(rules: &mut Vec<Rule>) -> &mut Rule {
    rules.push(Rule {
        comments: Vec::new(),
        alert: String::new(),
        expr: String::new(),
        for_: "",
        severity: "",
        summary: String::new(),
        description: String::new(),
        source: None,
    });
    let i = rules.len() - 1;
    &mut rules[i]
}

fn comment(r: &mut Rule, text: &str) {
    r.comments.push(text.to_string());
}

fn kubernetes(rules: &mut Vec<Rule>, s: &Service<'_>, alert: &str, runbook: &str) {
    let name = s.name();
    let Some(pod) = PodSel::of(s) else {
        let r = note_only(rules);
        comment(
            r,
            &format!(
                "TODO: no Kubernetes workload found for {name}, so no restart, memory, CPU or \
probe alerts: add them for the platform that runs it."
            ),
        );
        return;
    };
    let Some(w) = s.main_workload() else {
        return;
    };
    let m = pod.matchers();
    let resources = |key: &str| {
        w.resources
            .iter()
            .find(|i| i.name.starts_with(key))
            .map(|i| {
                format!(
                    "{} at {}",
                    i.name,
                    i.evidence.first().map(md::at).unwrap_or_default()
                )
            })
    };
    let resource_findings = s.in_categories(&["K8S-RESOURCES"]);
    let workload_at = md::at(&w.at);

    rules.push(Rule {
        comments: vec![format!(
            "Kubernetes: {} {} ({workload_at}), container `{}`.",
            w.kind, w.name, pod.container
        )],
        alert: format!("{alert}Restarting"),
        expr: format!("increase(kube_pod_container_status_restarts_total{{{m}}}[15m]) > 3"),
        for_: "5m",
        severity: "page",
        summary: format!("{name} containers keep restarting"),
        description: format!(
            "Pod {{{{ $labels.pod }}}} restarted more than 3 times in 15 minutes. See {runbook}."
        ),
        source: None,
    });
    match resources("limits.memory") {
        Some(limit) => {
            let mut comments = vec![format!("Memory limit {limit}.")];
            if let Some(f) = resource_findings.first() {
                comments.push(format!(
                    "The review flagged resources: {} at {}.",
                    f.rule,
                    md::site(f)
                ));
            }
            rules.push(Rule {
                comments,
                alert: format!("{alert}OOMKilled"),
                expr: format!(
                    "increase(kube_pod_container_status_restarts_total{{{m}}}[15m]) > 0\n\
and on (namespace, pod, container)\n\
kube_pod_container_status_last_terminated_reason{{reason=\"OOMKilled\", {m}}} == 1"
                ),
                for_: "0m",
                severity: "page",
                summary: format!("{name} was OOM-killed"),
                description: format!(
                    "Container {} in {{{{ $labels.pod }}}} was killed for exceeding its memory limit \
({limit}). See {runbook}.",
                    pod.container
                ),
                source: None,
            });
            rules.push(Rule {
                comments: Vec::new(),
                alert: format!("{alert}MemoryNearLimit"),
                expr: format!(
                    "max by (namespace, pod) (container_memory_working_set_bytes{{{m}}})\n/\n\
max by (namespace, pod) (kube_pod_container_resource_limits{{resource=\"memory\", {m}}})\n> 0.9"
                ),
                for_: "15m",
                severity: "ticket",
                summary: format!("{name} uses more than 90% of its memory limit"),
                description: format!(
                    "{{{{ $labels.pod }}}} is at {{{{ $value | humanizePercentage }}}} of its memory \
limit ({limit}); the next spike is an OOM kill. See {runbook}."
                ),
                source: None,
            });
        }
        None => {
            let r = note_only(rules);
            comment(
                r,
                &strip_md(&md::todo_from(
                    &format!(
                        "no memory limit on {} {}, so no OOM alert; set one and alert on it",
                        w.kind, w.name
                    ),
                    &resource_findings,
                )),
            );
        }
    }
    if let Some(limit) = resources("limits.cpu") {
        rules.push(Rule {
            comments: vec![format!("CPU limit {limit}.")],
            alert: format!("{alert}CPUThrottled"),
            expr: format!(
                "sum by (namespace, pod) (rate(container_cpu_cfs_throttled_periods_total{{{m}}}[5m]))\n/\n\
sum by (namespace, pod) (rate(container_cpu_cfs_periods_total{{{m}}}[5m]))\n> 0.25"
            ),
            for_: "15m",
            severity: "ticket",
            summary: format!("{name} is CPU-throttled"),
            description: format!(
                "{{{{ $labels.pod }}}} is throttled in {{{{ $value | humanizePercentage }}}} of CPU \
periods under its limit ({limit}): latency rises before anything fails. See {runbook}."
            ),
            source: None,
        });
    }
    if w.probes.is_empty() {
        let gaps = s.in_categories(&["K8S-PROBES", "HEALTH"]);
        let r = note_only(rules);
        comment(
            r,
            &strip_md(&md::todo_from(
                &format!(
                    "{} {} has no liveness or readiness probe, so nothing to alert on; add probes",
                    w.kind, w.name
                ),
                &gaps,
            )),
        );
    } else {
        let probes: Vec<String> = w
            .probes
            .iter()
            .map(|p| format!("{} {} ({})", p.kind, p.check, md::at(&p.at)))
            .collect();
        rules.push(Rule {
            comments: vec![format!(
                "Probes: {}. prober_probe_total comes from the kubelet's /metrics/probes endpoint.",
                probes.join("; ")
            )],
            alert: format!("{alert}ProbeFailures"),
            expr: format!(
                "sum by (namespace, pod, probe_type) (increase(prober_probe_total{{result=\"failed\", {m}}}[5m])) > 3"
            ),
            for_: "10m",
            severity: "ticket",
            summary: format!("{name} is failing its {{{{ $labels.probe_type }}}} probe"),
            description: format!(
                "{{{{ $labels.pod }}}} failed its {{{{ $labels.probe_type }}}} probe more than 3 times \
in 5 minutes for 10 minutes. See {runbook}."
            ),
            source: None,
        });
    }
    let ns = pod
        .namespace
        .as_ref()
        .map(|n| format!(", namespace=\"{}\"", md::pq(n)))
        .unwrap_or_default();
    let wname = md::pq(&w.name);
    let replicas = match pod.kind.as_str() {
        "Deployment" => Some(format!(
            "kube_deployment_status_replicas_available{{deployment=\"{wname}\"{ns}}}\n<\n\
kube_deployment_spec_replicas{{deployment=\"{wname}\"{ns}}}"
        )),
        "StatefulSet" => Some(format!(
            "kube_statefulset_status_replicas_ready{{statefulset=\"{wname}\"{ns}}}\n<\n\
kube_statefulset_replicas{{statefulset=\"{wname}\"{ns}}}"
        )),
        _ => None,
    };
    if let Some(expr) = replicas {
        let declared = w
            .replicas
            .as_ref()
            .map(|r| format!("{r} declared"))
            .unwrap_or_else(|| "replicas not set: Kubernetes defaults to 1".to_string());
        rules.push(Rule {
            comments: vec![format!("Replicas: {declared} ({workload_at}).")],
            alert: format!("{alert}ReplicasUnavailable"),
            expr,
            for_: "10m",
            severity: "ticket",
            summary: format!("{name} has fewer available replicas than desired"),
            description: format!(
                "{} {} has had unavailable replicas for 10 minutes (a stuck rollout, failing \
readiness, or no capacity). See {runbook}.",
                w.kind, w.name
            ),
            source: None,
        });
    }
}

fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    s.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Removes Markdown emphasis and code marks (annotations and comments are plain text).
pub fn strip_md(s: &str) -> String {
    s.replace("**", "").replace('`', "")
}

/// Wraps text at about `width` columns, on spaces.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in s.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}
