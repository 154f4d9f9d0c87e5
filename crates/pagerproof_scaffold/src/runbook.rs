//! The runbook: per component that runs, what it is, how it is deployed and rolled back,
//! its endpoints and health checks, dependencies, configuration, kill switches, how to
//! inspect stuck work, observability and owners, then every finding of the component.
//! Each fact cites where it was seen; each gap is a TODO naming the finding that raised it
//! or saying what the review could not find.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pagerproof_core::inventory::{Item, Workload};
use pagerproof_core::{Finding, Severity};

use crate::context::{Ctx, Service, is_service};
use crate::md::{self, at, ats, cell, todo_from, todo_unknown};
use crate::sli;
use crate::{Error, Kind};

/// Suffixes of environment variables that hold a dependency's address.
const ADDRESS_SUFFIXES: &[&str] = &[
    "_ADDR",
    "_ADDRESS",
    "_HOST",
    "_HOSTNAME",
    "_URL",
    "_URI",
    "_ENDPOINT",
    "_DSN",
    "_SERVER",
    "_SERVERS",
    "_BROKERS",
    "_BROKER",
];

/// Outbound kinds that are queues or streams (where work can get stuck).
const QUEUE_KINDS: &[&str] = &[
    "kafka",
    "rabbitmq",
    "sqs",
    "pubsub",
    "nats",
    "celery broker",
];

pub fn is_health_route(route: &str) -> bool {
    let path = route.split_once(' ').map(|(_, p)| p).unwrap_or(route);
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        last.as_str(),
        "health"
            | "healthz"
            | "_healthz"
            | "healthcheck"
            | "health-check"
            | "ready"
            | "readyz"
            | "live"
            | "livez"
            | "ping"
    )
}

pub fn render(ctx: &Ctx<'_>) -> Result<String, Error> {
    if ctx.runnable.is_empty() {
        return Err(Error::NothingToWrite {
            kind: Kind::Runbook.name(),
            reason:
                "no component that runs (service, job, CLI or anything with a workload) was found"
                    .to_string(),
        });
    }
    let mut out = String::new();
    let _ = writeln!(out, "# Runbook: {}\n", ctx.repo);
    let _ = writeln!(out, "{}\n", ctx.provenance());
    let _ = writeln!(
        out,
        "Every statement below cites the file and line it comes from. Every **TODO** names the \
finding that raised it (rule id and site) or says what the review could not find. Read it once \
end to end before you are on call for it, and fix what it gets wrong.\n"
    );
    let _ = writeln!(out, "## Components\n");
    let _ = writeln!(
        out,
        "| Component | Path | Kind | Languages | Owners | Worst finding |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for s in &ctx.runnable {
        let owners = if s.inv.owners.is_empty() {
            "TODO".to_string()
        } else {
            s.inv.owners.join(" ")
        };
        let kind = if s.comp.kind != "service" && is_service(s.comp, &s.inv) {
            format!("{} (serves requests)", s.comp.kind)
        } else {
            s.comp.kind.clone()
        };
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {} | {} |",
            s.name(),
            anchor(s.name()),
            s.comp.path,
            kind,
            if s.comp.languages.is_empty() {
                "-".to_string()
            } else {
                s.comp.languages.join(", ")
            },
            cell(&owners),
            s.worst().map(|w| w.as_str()).unwrap_or("none")
        );
    }
    out.push('\n');
    repository_section(&mut out, ctx);
    for s in &ctx.runnable {
        component(&mut out, ctx, s);
    }
    Ok(out)
}

fn anchor(name: &str) -> String {
    name.to_ascii_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

fn repository_section(out: &mut String, ctx: &Ctx<'_>) {
    let inv = &ctx.inventory;
    let _ = writeln!(out, "## Repository-wide\n");
    if inv.deploy_files.is_empty() {
        let _ = writeln!(
            out,
            "- Deploy tooling: {}",
            todo_unknown(
                "say how this repository is deployed",
                "no skaffold, Helm, kustomize, compose or deploy workflow file was found"
            )
        );
    } else {
        for d in &inv.deploy_files {
            let _ = writeln!(
                out,
                "- Deploy tooling: {} ({})",
                d.name,
                ats(&d.evidence, 4)
            );
        }
    }
    for m in &inv.mesh {
        let _ = writeln!(
            out,
            "- Service mesh: {} ({}): request metrics and traffic policy may come from the mesh.",
            m.name,
            ats(&m.evidence, 2)
        );
    }
    for d in &inv.documents {
        let _ = writeln!(out, "- Existing {}: {}", d.name, ats(&d.evidence, 4));
    }
    let repo_findings: Vec<&Finding> = ctx
        .findings
        .iter()
        .copied()
        .filter(|f| f.component == ".")
        .filter(|f| {
            matches!(
                f.category.as_str(),
                "RUNBOOK" | "ROLLBACK" | "OWNERS" | "ALERTS" | "SLO" | "DASHBOARDS"
            )
        })
        .collect();
    for f in repo_findings {
        let _ = writeln!(out, "- {}", todo_from(&f.message, &[f]));
    }
    if inv.owners.is_empty() {
        let owner_findings = ctx.in_categories(&["OWNERS"]);
        let _ = writeln!(
            out,
            "- Owners: {}",
            if owner_findings.is_empty() {
                todo_unknown(
                    "name the owning team and its escalation path",
                    "no CODEOWNERS file was found",
                )
            } else {
                todo_from("name the owning team", &owner_findings)
            }
        );
    }
    out.push('\n');
}

fn component(out: &mut String, ctx: &Ctx<'_>, s: &Service<'_>) {
    let name = s.name();
    let _ = writeln!(out, "## {name}\n");
    what_it_is(out, s);
    deployment(out, ctx, s);
    rollback(out, ctx, s);
    endpoints(out, s);
    dependencies(out, s);
    configuration(out, s);
    flags(out, ctx, s);
    stuck_work(out, s);
    observability(out, ctx, s);
    gaps(out, s);
}

fn what_it_is(out: &mut String, s: &Service<'_>) {
    let c = s.comp;
    let _ = writeln!(out, "### What it is\n");
    let langs = if c.languages.is_empty() {
        "no language pagerproof parses".to_string()
    } else {
        c.languages.join(", ")
    };
    let serves_requests = is_service(c, &s.inv);
    if c.kind != "service" && serves_requests {
        let _ = writeln!(
            out,
            "- Serves requests, in `{}` ({}). The review classified it as {} **{}** ({}), but its \
inventory shows HTTP routes, gRPC services or a Kubernetes Service in front of it, so this runbook treats it as a service.",
            c.path,
            langs,
            article(&c.kind),
            c.kind,
            c.kind_reason
        );
    } else {
        let _ = writeln!(
            out,
            "- {} **{}** in `{}` ({}): {}.",
            capitalise(article(&c.kind)),
            c.kind,
            c.path,
            langs,
            c.kind_reason
        );
    }
    let mut serves = Vec::new();
    if !s.inv.routes.is_empty() {
        let n = s.inv.routes.len();
        serves.push(format!("{n} HTTP route{}", if n == 1 { "" } else { "s" }));
    }
    let grpc = s.grpc_services();
    if !grpc.is_empty() {
        serves.push(format!("gRPC {}", grpc.join(", ")));
    }
    if !serves.is_empty() {
        let _ = writeln!(out, "- Serves {} (see Endpoints).", serves.join(" and "));
    }
    if !c.markers.is_empty() {
        let _ = writeln!(out, "- Built from: {}.", c.markers.join(", "));
    }
    for e in s.inv.entry_points.iter().take(3) {
        let _ = writeln!(out, "- Entry point: {} ({}).", e.name, ats(&e.evidence, 2));
    }
    if s.inv.owners.is_empty() {
        let _ = writeln!(
            out,
            "- Owners: {}",
            todo_unknown(
                &format!("name the team that owns {}", c.name),
                "no CODEOWNERS rule covers this folder"
            )
        );
    } else {
        let _ = writeln!(out, "- Owners: {} (CODEOWNERS).", s.inv.owners.join(", "));
    }
    let _ = writeln!(
        out,
        "- {}",
        todo_unknown(
            "one sentence on what users lose when this is down",
            "a review of code cannot know the business impact"
        )
    );
    out.push('\n');
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn workload_line(w: &Workload) -> String {
    let ns = w
        .namespace
        .as_ref()
        .map(|n| format!(" in namespace `{n}`"))
        .unwrap_or_default();
    format!(
        "{} `{}`{ns} at `{}` ({})",
        if w.platform == "compose" {
            "compose service".to_string()
        } else {
            w.kind.clone()
        },
        w.name,
        at(&w.at),
        w.linked_by
    )
}

fn deployment(out: &mut String, ctx: &Ctx<'_>, s: &Service<'_>) {
    let _ = writeln!(out, "### How it is deployed\n");
    let k8s = s.k8s_workloads();
    let compose: Vec<&Workload> = s
        .inv
        .workloads
        .iter()
        .filter(|w| w.platform == "compose")
        .collect();
    if k8s.is_empty() && compose.is_empty() {
        let _ = writeln!(
            out,
            "- {}\n",
            todo_unknown(
                &format!("describe how {} is deployed and by whom", s.name()),
                "no Kubernetes workload or compose service was linked to it: none builds its folder \
or is named after it"
            )
        );
        return;
    }
    for (w, copies) in &k8s {
        let _ = writeln!(out, "- {}.", workload_line(w));
        if !copies.is_empty() {
            let also: Vec<String> = copies.iter().map(|c| format!("`{}`", at(&c.at))).collect();
            let _ = writeln!(
                out,
                "  - Also declared at {} (keep them in step).",
                also.join(", ")
            );
        }
        if !w.images.is_empty() {
            let _ = writeln!(out, "  - Image: {}.", quoted(&w.images));
        }
        let replicas = w
            .replicas
            .clone()
            .unwrap_or_else(|| "not set (Kubernetes runs 1)".to_string());
        let _ = writeln!(out, "  - Replicas: {replicas}.");
        if let Some(st) = &w.strategy {
            let _ = writeln!(out, "  - Rollout strategy: {st}.");
        }
        if let Some(t) = &w.schedule {
            let _ = writeln!(out, "  - Schedule: `{t}`.");
        }
        if !w.resources.is_empty() {
            let r: Vec<String> = w.resources.iter().map(|i| i.name.clone()).collect();
            let _ = writeln!(out, "  - Resources: {}.", r.join(", "));
        } else {
            let _ = writeln!(
                out,
                "  - Resources: {}",
                todo_from(
                    "no requests or limits: set them so the scheduler and the OOM killer behave predictably",
                    &s.in_categories(&["K8S-RESOURCES"])
                )
            );
        }
        if let Some(g) = &w.termination_grace_period {
            let _ = writeln!(out, "  - terminationGracePeriodSeconds: {g}.");
        }
        for r in &w.related {
            let _ = writeln!(out, "  - {} ({}).", r.name, ats(&r.evidence, 1));
        }
        if !w
            .related
            .iter()
            .any(|r| r.name.starts_with("PodDisruptionBudget"))
        {
            let pdb = s.in_categories(&["K8S-REPLICAS"]);
            let _ = writeln!(
                out,
                "  - {}",
                todo_from(
                    "no PodDisruptionBudget selects these pods: a node drain can take every replica at once",
                    &pdb
                )
            );
        }
    }
    for w in compose {
        let _ = writeln!(out, "- {}.", workload_line(w));
        if !w.images.is_empty() {
            let _ = writeln!(out, "  - Image: {}.", quoted(&w.images));
        }
    }
    let tools: Vec<&str> = ctx
        .inventory
        .deploy_files
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let mut how = Vec::new();
    if tools.contains(&"skaffold") {
        how.push(
            "`skaffold run` builds the images and applies the manifests (skaffold.yaml)"
                .to_string(),
        );
    }
    if let Some((w, _)) = k8s.first() {
        how.push(format!(
            "`kubectl apply -f {}` applies the workload alone",
            w.at.path
        ));
    }
    if tools.contains(&"helm chart") {
        let chart = ctx
            .inventory
            .deploy_files
            .iter()
            .find(|d| d.name == "helm chart")
            .and_then(|d| d.evidence.first())
            .map(|e| {
                e.path
                    .trim_end_matches("Chart.yaml")
                    .trim_end_matches('/')
                    .to_string()
            })
            .unwrap_or_default();
        how.push(format!(
            "`helm upgrade --install <release> {chart}` deploys the chart"
        ));
    }
    if !how.is_empty() {
        let _ = writeln!(
            out,
            "- Commands seen in the repository's tooling: {}.",
            how.join("; ")
        );
    }
    let _ = writeln!(
        out,
        "- {}\n",
        todo_unknown(
            "state which of these production uses, and the pipeline that runs it",
            "several deploy paths may exist; the review cannot tell which one is live"
        )
    );
}

fn quoted(v: &[String]) -> String {
    v.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn rollback(out: &mut String, ctx: &Ctx<'_>, s: &Service<'_>) {
    let _ = writeln!(out, "### How to roll back\n");
    let k8s = s.k8s_workloads();
    let mut any = false;
    for (w, _) in &k8s {
        let ns = w
            .namespace
            .as_ref()
            .map(|n| format!(" -n {n}"))
            .unwrap_or_default();
        let kind = w.kind.to_ascii_lowercase();
        match w.kind.as_str() {
            "Deployment" | "StatefulSet" | "DaemonSet" => {
                any = true;
                let _ = writeln!(
                    out,
                    "1. See what changed: `kubectl rollout history {kind}/{}{ns}`.",
                    w.name
                );
                let _ = writeln!(
                    out,
                    "2. Roll back to the previous revision: `kubectl rollout undo {kind}/{}{ns}` \
(or `--to-revision=N`).",
                    w.name
                );
                let _ = writeln!(
                    out,
                    "3. Watch it finish: `kubectl rollout status {kind}/{}{ns} --timeout=5m`; the \
readiness probe decides when new pods take traffic.",
                    w.name
                );
                let _ = writeln!(
                    out,
                    "4. Then make the manifest at `{}` match what runs, or the next apply undoes the \
rollback.",
                    w.at.path
                );
            }
            "CronJob" => {
                any = true;
                let _ = writeln!(
                    out,
                    "- Suspend the schedule while you roll back: `kubectl patch cronjob/{}{ns} -p \
'{{\"spec\":{{\"suspend\":true}}}}'`, then apply the previous image tag.",
                    w.name
                );
            }
            _ => {}
        }
    }
    if ctx
        .inventory
        .deploy_files
        .iter()
        .any(|d| d.name == "helm chart")
    {
        any = true;
        let _ = writeln!(
            out,
            "- Helm: `helm history <release>` then `helm rollback <release> <revision>`."
        );
    }
    if s.inv.workloads.iter().any(|w| w.platform == "compose") {
        any = true;
        let _ = writeln!(
            out,
            "- Compose: pin the previous image tag and run `docker compose up -d --no-deps <service>`."
        );
    }
    if !any {
        let rb = ctx.in_categories(&["ROLLBACK"]);
        let _ = writeln!(
            out,
            "- {}",
            if rb.is_empty() {
                todo_unknown(
                    "write the rollback procedure",
                    "no deploy configuration was found to derive it from",
                )
            } else {
                todo_from("write the rollback procedure", &rb)
            }
        );
    }
    let shutdown = s.in_categories(&["SHUTDOWN", "K8S-GRACE"]);
    if !shutdown.is_empty() {
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                "a rollout or rollback kills pods with requests in flight until graceful shutdown exists; \
expect a burst of errors during either",
                &shutdown
            )
        );
    }
    let migrations = s.in_categories(&["MIGRATION"]);
    if !migrations.is_empty() {
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                "schema migrations ship with this component: say whether a rollback needs a down migration first",
                &migrations
            )
        );
    }
    let images: Vec<&String> = s
        .inv
        .workloads
        .iter()
        .flat_map(|w| w.images.iter())
        .collect();
    let mutable = images
        .iter()
        .filter(|i| !i.contains('@') && (i.ends_with(":latest") || !tag_of(i)))
        .count();
    if mutable > 0 && mutable == images.len() {
        let tags = s.in_categories(&["K8S-IMAGE-TAG"]);
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                "the image is referenced without a fixed tag or digest, so \"the previous version\" \
is not well defined; deploy immutable tags",
                &tags
            )
        );
    }
    out.push('\n');
}

/// Whether an image reference carries a tag (`repo:tag`, not a registry port).
fn tag_of(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    last.contains(':')
}

fn endpoints(out: &mut String, s: &Service<'_>) {
    let _ = writeln!(out, "### Endpoints and health checks\n");
    let serves = is_service(s.comp, &s.inv);
    if !s.inv.routes.is_empty() {
        let _ = writeln!(out, "| HTTP route | Where |");
        let _ = writeln!(out, "|---|---|");
        const MAX_ROUTES: usize = 60;
        for r in s.inv.routes.iter().take(MAX_ROUTES) {
            let _ = writeln!(out, "| `{}` | {} |", cell(&r.name), ats(&r.evidence, 2));
        }
        if s.inv.routes.len() > MAX_ROUTES {
            let _ = writeln!(
                out,
                "\nand {} more: the `inventory` of `pagerproof review --format json` lists them all.",
                s.inv.routes.len() - MAX_ROUTES
            );
        }
        out.push('\n');
    }
    for g in &s.inv.grpc_services {
        let _ = writeln!(
            out,
            "- gRPC service `{}` ({}).",
            g.name,
            ats(&g.evidence, 2)
        );
    }
    if !s.inv.ports.is_empty() {
        let p: Vec<String> = s
            .inv
            .ports
            .iter()
            .map(|i| format!("{} ({})", i.name, ats(&i.evidence, 2)))
            .collect();
        let _ = writeln!(out, "- Ports: {}.", p.join("; "));
    }
    if s.inv.health.is_empty() {
        if serves {
            let _ = writeln!(
                out,
                "- Health: {}",
                todo_from(
                    "no health or readiness endpoint found in the code: add one that checks what the service needs to serve",
                    &s.in_categories(&["HEALTH", "K8S-PROBES"])
                )
            );
        } else {
            let _ = writeln!(
                out,
                "- Health: none found; it serves no requests, so watch its completions and failures instead."
            );
        }
    } else {
        for h in &s.inv.health {
            let _ = writeln!(out, "- Health: {} ({}).", h.name, ats(&h.evidence, 2));
        }
    }
    let probe_gaps = s.in_categories(&["K8S-PROBES"]);
    let unprobed: Vec<&Workload> = s
        .k8s_workloads()
        .into_iter()
        .map(|(w, _)| w)
        .filter(|w| w.probes.is_empty() && !matches!(w.kind.as_str(), "Job" | "CronJob"))
        .collect();
    for w in &unprobed {
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                &format!(
                    "{} `{}` (`{}`) has no readiness or liveness probe: Kubernetes sends it traffic \
before it can serve and never restarts it when it wedges",
                    w.kind,
                    w.name,
                    at(&w.at)
                ),
                &probe_gaps
            )
        );
    }
    if unprobed.is_empty() && !probe_gaps.is_empty() {
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                "some containers have no readiness or liveness probe",
                &probe_gaps
            )
        );
    }
    if !serves && s.inv.routes.is_empty() {
        let _ = writeln!(out, "- No HTTP routes or gRPC services found.");
    }
    out.push('\n');
}

/// Variables that hold this component's own address, not a dependency's.
const SELF_PREFIXES: &[&str] = &[
    "LISTEN",
    "BIND",
    "BASE_",
    "PUBLIC_",
    "SITE_",
    "APP_",
    "ROOT_",
    "EXTERNAL_",
    "CALLBACK_",
    "REDIRECT_",
    "SELF_",
    "SERVER_",
    "STATIC_",
    "MEDIA_",
    "ASSETS_",
    "CDN_",
    "DASHBOARD_",
    "STOREFRONT_",
    "HOMEPAGE_",
    "WEBSITE_",
    "LOGIN_",
    "LOGOUT_",
];

fn is_address(name: &str) -> bool {
    ADDRESS_SUFFIXES.iter().any(|s| name.ends_with(s))
        && !SELF_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Values workloads set for a variable, each with where it is set (identical values
/// from several manifests are one entry).
fn deployed_values(s: &Service<'_>, name: &str) -> Vec<String> {
    let mut by_value: Vec<(String, Vec<pagerproof_core::Evidence>)> = Vec::new();
    for w in &s.inv.workloads {
        for e in w.env.iter().filter(|e| e.name == name) {
            let val = match &e.value {
                Some(x) => format!("`{}`", cell(x)),
                None => e.source.clone(),
            };
            match by_value.iter_mut().find(|(v, _)| *v == val) {
                Some((_, ev)) => ev.push(e.at.clone()),
                None => by_value.push((val, vec![e.at.clone()])),
            }
        }
    }
    by_value
        .into_iter()
        .map(|(v, ev)| format!("{v} ({})", ats(&ev, 1)))
        .collect()
}

/// Evidence outside deploy manifests: code reads and Dockerfile `ENV`.
fn read_sites(i: &Item) -> Vec<pagerproof_core::Evidence> {
    i.evidence
        .iter()
        .filter(|e| !e.path.ends_with(".yaml") && !e.path.ends_with(".yml"))
        .cloned()
        .collect()
}

fn dependencies(out: &mut String, s: &Service<'_>) {
    let _ = writeln!(out, "### Dependencies\n");
    let mut rows = 0;
    if !s.inv.outbound.is_empty() {
        let _ = writeln!(out, "| Dependency (from code) | Where |");
        let _ = writeln!(out, "|---|---|");
        for o in &s.inv.outbound {
            let _ = writeln!(out, "| `{}` | {} |", cell(&o.name), ats(&o.evidence, 3));
            rows += 1;
        }
        out.push('\n');
    }
    let addresses: Vec<&Item> = s
        .inv
        .env_vars
        .iter()
        .filter(|i| is_address(&i.name))
        .collect();
    if !addresses.is_empty() {
        let _ = writeln!(out, "| Address variable | Deployed value | Read at |");
        let _ = writeln!(out, "|---|---|---|");
        for a in &addresses {
            let vals = deployed_values(s, &a.name);
            let code = read_sites(a);
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                a.name,
                if vals.is_empty() {
                    "not set by any manifest found".to_string()
                } else {
                    vals.join("<br>")
                },
                if code.is_empty() {
                    "-".to_string()
                } else {
                    ats(&code, 2)
                }
            );
            rows += 1;
        }
        out.push('\n');
    }
    if rows == 0 {
        let _ = writeln!(
            out,
            "- {}",
            todo_unknown(
                "list what this component calls (services, databases, queues, third-party APIs)",
                "no outbound client or address variable was found in its code or configuration"
            )
        );
    }
    let timeouts = s.in_categories(&["TIMEOUT"]);
    if !timeouts.is_empty() {
        let _ = writeln!(
            out,
            "- When a dependency hangs, these calls wait without a deadline and hold the request \
(and its worker) with them:"
        );
        for f in timeouts.iter().take(8) {
            let _ = writeln!(out, "  - {} — {}", md::cite(f), f.message);
        }
        if timeouts.len() > 8 {
            let _ = writeln!(out, "  - and {} more (see Known gaps).", timeouts.len() - 8);
        }
    }
    let resilience = s.in_categories(&["RESILIENCE", "RETRY"]);
    if !resilience.is_empty() {
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                "decide what this component does when a dependency is down (fail fast, fall back, retry with a budget)",
                &resilience
            )
        );
    }
    out.push('\n');
}

fn configuration(out: &mut String, s: &Service<'_>) {
    let _ = writeln!(out, "### Configuration and environment\n");
    let vars: Vec<&Item> = s
        .inv
        .env_vars
        .iter()
        .filter(|i| !is_address(&i.name))
        .collect();
    if vars.is_empty() && s.inv.env_vars.is_empty() {
        let _ = writeln!(
            out,
            "- {}\n",
            todo_unknown(
                "list the configuration this component needs",
                "no environment variable read or set was found"
            )
        );
    } else if !vars.is_empty() {
        let _ = writeln!(out, "| Variable | Deployed value | Read at (code, image) |");
        let _ = writeln!(out, "|---|---|---|");
        const MAX_ROWS: usize = 80;
        let total = vars.len();
        for v in vars.into_iter().take(MAX_ROWS) {
            let vals = deployed_values(s, &v.name);
            let reads = read_sites(v);
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                v.name,
                if vals.is_empty() {
                    "-".to_string()
                } else {
                    vals.join("<br>")
                },
                if reads.is_empty() {
                    "-".to_string()
                } else {
                    ats(&reads, 3)
                }
            );
        }
        if total > MAX_ROWS {
            let _ = writeln!(
                out,
                "\nand {} more: the `inventory` of `pagerproof review --format json` lists them all.",
                total - MAX_ROWS
            );
        }
        out.push('\n');
    }
    let secrets: Vec<String> = s
        .inv
        .workloads
        .iter()
        .flat_map(|w| w.env.iter())
        .filter(|e| e.source.starts_with("secret") || e.source == "hidden")
        .map(|e| {
            if e.source == "hidden" {
                format!(
                    "`{}` is set to a literal at `{}`, not copied here because its name or value suggests a \
credential; if it is one, move it to a Secret",
                    e.name,
                    at(&e.at)
                )
            } else {
                format!("`{}` from {} (`{}`)", e.name, e.source, at(&e.at))
            }
        })
        .collect();
    for sec in secrets.iter().take(10) {
        let _ = writeln!(out, "- Secret: {sec}.");
    }
    let cfg = s.in_categories(&["CONFIG", "SECRET"]);
    if !cfg.is_empty() {
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                "configuration the review flagged (hard-coded values, secrets in code, silent defaults)",
                &cfg
            )
        );
    }
    out.push('\n');
}

fn flags(out: &mut String, ctx: &Ctx<'_>, s: &Service<'_>) {
    let _ = writeln!(out, "### Kill switches and feature flags\n");
    if s.inv.feature_flags.is_empty() {
        let ff = ctx.in_categories(&["FEATURE-FLAGS"]);
        let _ = writeln!(
            out,
            "- {}\n",
            if ff.is_empty() {
                todo_unknown(
                    "name the switch that turns the riskiest feature off without a deploy",
                    "no flag SDK call and no ENABLE_*/DISABLE_* variable was found",
                )
            } else {
                todo_from("add a kill switch for the riskiest feature", &ff)
            }
        );
        return;
    }
    for f in &s.inv.feature_flags {
        let how = if let Some(var) = f.name.strip_prefix("env ") {
            let vals = deployed_values(s, var);
            if vals.is_empty() {
                format!("environment variable `{var}`; changing it means a restart")
            } else {
                format!(
                    "environment variable `{var}` (deployed: {}); changing it means a restart",
                    vals.join(", ")
                )
            }
        } else {
            format!(
                "flag `{}` (changes at run time through the flag service)",
                f.name
            )
        };
        let reads = read_sites(f);
        let ev = if reads.is_empty() {
            f.evidence.clone()
        } else {
            reads
        };
        let _ = writeln!(out, "- {how} — {}.", ats(&ev, 2));
    }
    let _ = writeln!(
        out,
        "- {}\n",
        todo_unknown(
            "say which of these is the kill switch for an incident, and who may flip it",
            "the review sees switches, not their intent"
        )
    );
}

fn stuck_work(out: &mut String, s: &Service<'_>) {
    let _ = writeln!(out, "### Inspecting stuck work\n");
    let queues: Vec<&Item> = s
        .inv
        .outbound
        .iter()
        .filter(|o| QUEUE_KINDS.iter().any(|q| o.name.starts_with(q)))
        .collect();
    let jobs = s.in_categories(&["JOBS"]);
    if let Some(w) = s.main_workload() {
        let ns = w
            .namespace
            .as_ref()
            .map(|n| format!(" -n {n}"))
            .unwrap_or_default();
        let kind = w.kind.to_ascii_lowercase();
        let _ = writeln!(
            out,
            "- Pods and their state: `kubectl get pods{ns} -o wide` (look for {} pods not Ready, \
restarts, Pending).",
            w.name
        );
        let _ = writeln!(
            out,
            "- Why a pod restarted (OOMKilled, failed probes): `kubectl describe pod <pod>{ns}` and \
`kubectl get events{ns} --sort-by=.lastTimestamp`."
        );
        let _ = writeln!(
            out,
            "- Recent logs of every pod: `kubectl logs {kind}/{}{ns} --all-containers --since=15m`.",
            w.name
        );
    }
    if queues.is_empty() && jobs.is_empty() {
        let _ = writeln!(
            out,
            "- No queue, consumer or scheduler was found in this component: stuck work here means \
stuck requests."
        );
    }
    for q in &queues {
        let _ = writeln!(
            out,
            "- {}",
            todo_unknown(
                &format!(
                    "write how to see the backlog and consumer lag of `{}` ({}) and how to replay or drop a poison message",
                    q.name,
                    ats(&q.evidence, 1)
                ),
                "the review found the client, not the operational procedure"
            )
        );
    }
    if !jobs.is_empty() {
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                "jobs that are not restart-safe: say how to find and re-run a half-done job",
                &jobs
            )
        );
    }
    let timeouts = s.in_categories(&["TIMEOUT"]);
    if !timeouts.is_empty() {
        let _ = writeln!(
            out,
            "- Requests get stuck first at calls without a deadline ({} site{}, listed under \
Dependencies); a thread or goroutine dump shows them parked in network reads.",
            timeouts.len(),
            if timeouts.len() == 1 { "" } else { "s" }
        );
    }
    let cancel = s.in_categories(&["CANCEL", "UNBOUNDED"]);
    if !cancel.is_empty() {
        let _ = writeln!(
            out,
            "- {}",
            todo_from(
                "work that ignores cancellation or grows without bound piles up here",
                &cancel
            )
        );
    }
    out.push('\n');
}

fn observability(out: &mut String, ctx: &Ctx<'_>, s: &Service<'_>) {
    let _ = writeln!(out, "### Observability\n");
    let defined = !s.inv.metrics.is_empty();
    for (cat, what) in [
        ("METRICS", "Metrics"),
        ("TRACING", "Tracing"),
        ("STRUCTURED-LOGS", "Structured logs"),
        ("REQUEST-ID", "Request ids"),
    ] {
        let Some(f) = s.fact(cat) else {
            continue;
        };
        match f.present {
            Some(true) => {
                let _ = writeln!(out, "- {what}: yes ({}).", ats(&f.evidence, 2));
            }
            Some(false) if cat == "METRICS" && defined => {
                let _ = writeln!(
                    out,
                    "- Metrics: the code defines the metrics listed below, although the review's \
METRICS check reported none ({}); trust the definitions, they carry file and line.",
                    s.in_categories(&[cat])
                        .first()
                        .map(|f| md::cite(f))
                        .unwrap_or_else(|| "no finding".to_string())
                );
            }
            Some(false) => {
                let _ = writeln!(
                    out,
                    "- {what}: {}",
                    todo_from(
                        f.reason.as_deref().unwrap_or("missing"),
                        &s.in_categories(&[cat])
                    )
                );
            }
            None => {}
        }
    }
    if !s.inv.metrics.is_empty() {
        let m: Vec<String> = s
            .inv
            .metrics
            .iter()
            .take(10)
            .map(|i| {
                let mut p = i.name.split_whitespace();
                let n = p.next().unwrap_or("");
                let t = p.next().unwrap_or("");
                format!("`{n}` ({t}, {})", ats(&i.evidence, 1))
            })
            .collect();
        let _ = writeln!(out, "- Metrics the code defines: {}.", m.join("; "));
    }
    if is_service(s.comp, &s.inv) {
        let shared = sli::shared_names(ctx);
        let sli = sli::for_service(ctx, s, &shared);
        let _ = writeln!(
            out,
            "- Request, error and latency alerts use {} (`pagerproof scaffold alerts --component {}`).",
            sli.why,
            s.name()
        );
    }
    out.push('\n');
}

fn gaps(out: &mut String, s: &Service<'_>) {
    let _ = writeln!(out, "### Known gaps from the review\n");
    if s.findings.is_empty() {
        let _ = writeln!(out, "None: the review found nothing in this component.\n");
        return;
    }
    let mut by_sev: BTreeMap<Severity, Vec<&Finding>> = BTreeMap::new();
    for f in &s.findings {
        by_sev.entry(f.severity).or_default().push(f);
    }
    let mut shown = 0;
    for (sev, fs) in by_sev {
        for f in fs {
            if shown >= 30 {
                break;
            }
            let _ = writeln!(
                out,
                "- [ ] **{sev}** {} — {}",
                md::cite(f),
                f.message.replace('\n', " ")
            );
            shown += 1;
        }
    }
    if s.findings.len() > shown {
        let _ = writeln!(
            out,
            "- and {} more: `pagerproof review` lists them all.",
            s.findings.len() - shown
        );
    }
    out.push('\n');
}
