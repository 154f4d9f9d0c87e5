//! SLO definitions in OpenSLO v1 (`openslo/v1`, https://github.com/OpenSLO/OpenSLO): one
//! `Service` object per service that serves requests, an availability SLO (bad/total
//! ratio over the service's request metrics), and a latency SLO (requests under 500 ms,
//! from its latency histogram) where one exists. A service with several gRPC services
//! gets one availability SLO per gRPC service when the metrics carry a `grpc_service`
//! label. The endpoints each SLO covers are listed in its description; targets are
//! starting points (99.9% / 99%, 28-day rolling window).

use std::fmt::Write as _;

use crate::alerts::{AVAILABILITY, strip_md, wrap};
use crate::context::{Ctx, Service};
use crate::md::{self, yq};
use crate::sli::{self, Sel, Sli, Source};
use crate::{Error, Kind};

/// Latency objective: share of requests faster than 500 ms.
const LATENCY_TARGET: f64 = 0.99;
/// OpenSLO caps descriptions at 1050 characters.
const MAX_DESCRIPTION: usize = 1050;

pub fn render(ctx: &Ctx<'_>) -> Result<String, Error> {
    let services = ctx.services();
    if services.is_empty() {
        return Err(Error::NothingToWrite {
            kind: Kind::Slo.name(),
            reason: "no component serves requests (no routes, gRPC services, health endpoints \
or Kubernetes Service found)"
                .to_string(),
        });
    }
    let shared = sli::shared_names(ctx);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Service level objectives for {} (OpenSLO v1).",
        ctx.repo
    );
    for l in wrap(&strip_md(&ctx.provenance()), 88) {
        let _ = writeln!(out, "# {l}");
    }
    let _ = writeln!(
        out,
        "# Targets are starting points: agree them with the people who depend on each service.\n\
# Queries marked ASSUMED use names the service does not expose yet (see `source`)."
    );
    for s in services {
        let sli = sli::for_service(ctx, s, &shared);
        service(&mut out, ctx, s, &sli);
    }
    Ok(out)
}

fn endpoints(s: &Service<'_>) -> String {
    let mut parts = Vec::new();
    let grpc = s.grpc_services();
    if !grpc.is_empty() {
        parts.push(format!("gRPC {}", grpc.join(", ")));
    }
    let routes: Vec<&str> = s
        .inv
        .routes
        .iter()
        .map(|r| r.name.as_str())
        .filter(|r| !crate::runbook::is_health_route(r) && !is_operational_route(r))
        .collect();
    if !routes.is_empty() {
        let shown: Vec<&str> = routes.iter().take(12).copied().collect();
        let more = if routes.len() > 12 {
            format!(" and {} more", routes.len() - 12)
        } else {
            String::new()
        };
        parts.push(format!("HTTP {}{more}", shown.join(", ")));
    }
    if parts.is_empty() {
        "every request it serves".to_string()
    } else {
        parts.join("; ")
    }
}

/// Routes for operators and crawlers, not users: scrape, profiling, robots, favicon.
fn is_operational_route(route: &str) -> bool {
    let path = route.split_once(' ').map(|(_, p)| p).unwrap_or(route);
    path == "/metrics"
        || path.starts_with("/debug/")
        || path == "/robots.txt"
        || path == "/favicon.ico"
}

fn service(out: &mut String, ctx: &Ctx<'_>, s: &Service<'_>, sli: &Sli) {
    let name = md::dns_label(s.name());
    let covered = endpoints(s);
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "apiVersion: openslo/v1");
    let _ = writeln!(out, "kind: Service");
    let _ = writeln!(out, "metadata:");
    let _ = writeln!(out, "  name: {name}");
    let _ = writeln!(out, "  displayName: {}", yq(s.name()));
    let _ = writeln!(out, "spec:");
    let desc = format!(
        "{} ({}) in {}; serves {covered}.",
        s.name(),
        s.comp.path,
        ctx.repo
    );
    let _ = writeln!(out, "  description: {}", yq(&clip(&desc)));

    let source = strip_md(&sli.why);
    // Availability: one SLO for the service, or one per gRPC service when the metric
    // carries the gRPC service name.
    let grpc = s.grpc_services();
    let per_grpc = grpc.len() > 1
        && sli.source == Source::Convention
        && sli.requests.name == "grpc_server_handled_total";
    match (&sli.errors, &sli.errors_todo) {
        (Some(errors), _) if per_grpc => {
            for g in grpc {
                let narrow = |sel: &Sel| -> Sel {
                    let mut n = sel.clone();
                    n.matchers.retain(|m| !m.starts_with("grpc_service"));
                    n.with(format!("grpc_service=~\".*{g}\""))
                };
                availability(
                    out,
                    &name,
                    &format!("{name}-{}-availability", md::dns_label(g)),
                    &format!("{} {g} availability", s.name()),
                    &format!("gRPC {g}"),
                    &narrow(errors),
                    &narrow(&sli.requests),
                    &source,
                );
            }
        }
        (Some(errors), _) => availability(
            out,
            &name,
            &format!("{name}-availability"),
            &format!("{} availability", s.name()),
            &covered,
            errors,
            &sli.requests,
            &source,
        ),
        (None, todo) => {
            let _ = writeln!(
                out,
                "# TODO: no availability SLO for {}: {}.",
                s.name(),
                todo.as_deref().unwrap_or("errors cannot be counted")
            );
        }
    }
    match &sli.latency {
        Some(lat) => {
            let good = lat.bucket.with(format!("le=\"{}\"", lat.threshold_le()));
            let total = lat.bucket.with("le=\"+Inf\"");
            let _ = writeln!(out, "---");
            let _ = writeln!(out, "apiVersion: openslo/v1");
            let _ = writeln!(out, "kind: SLO");
            let _ = writeln!(out, "metadata:");
            let _ = writeln!(out, "  name: {name}-latency");
            let _ = writeln!(
                out,
                "  displayName: {}",
                yq(&format!("{} latency", s.name()))
            );
            annotations(out, sli);
            let _ = writeln!(out, "spec:");
            let d = format!(
                "{:.0}% of requests to {} ({covered}) complete within 500ms.",
                LATENCY_TARGET * 100.0,
                s.name()
            );
            let _ = writeln!(out, "  description: {}", yq(&clip(&d)));
            let _ = writeln!(out, "  service: {name}");
            let _ = writeln!(out, "  indicator:");
            let _ = writeln!(out, "    metadata:");
            let _ = writeln!(out, "      name: {name}-requests-under-500ms");
            let _ = writeln!(out, "    spec:");
            let _ = writeln!(out, "      ratioMetric:");
            let _ = writeln!(out, "        counter: true");
            query(out, "good", &format!("sum({})", good.render()));
            query(out, "total", &format!("sum({})", total.render()));
            window_and_objective(out, LATENCY_TARGET, "Requests under 500ms");
        }
        None => {
            let _ = writeln!(
                out,
                "# TODO: no latency SLO for {}: {}.",
                s.name(),
                sli.latency_todo
                    .as_deref()
                    .unwrap_or("no latency histogram")
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn availability(
    out: &mut String,
    service: &str,
    slo_name: &str,
    display: &str,
    covered: &str,
    bad: &Sel,
    total: &Sel,
    source: &str,
) {
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "apiVersion: openslo/v1");
    let _ = writeln!(out, "kind: SLO");
    let _ = writeln!(out, "metadata:");
    let _ = writeln!(out, "  name: {}", md::dns_label(slo_name));
    let _ = writeln!(out, "  displayName: {}", yq(display));
    let _ = writeln!(out, "  annotations:");
    let _ = writeln!(out, "    pagerproof.dev/source: {}", yq(&clip(source)));
    let _ = writeln!(out, "spec:");
    let d = format!(
        "{:.1}% of requests ({covered}) succeed.",
        AVAILABILITY * 100.0
    );
    let _ = writeln!(out, "  description: {}", yq(&clip(&d)));
    let _ = writeln!(out, "  service: {service}");
    let _ = writeln!(out, "  indicator:");
    let _ = writeln!(out, "    metadata:");
    let _ = writeln!(out, "      name: {}-errors", md::dns_label(slo_name));
    let _ = writeln!(out, "    spec:");
    let _ = writeln!(out, "      ratioMetric:");
    let _ = writeln!(out, "        counter: true");
    query(out, "bad", &format!("sum({})", bad.render()));
    query(out, "total", &format!("sum({})", total.render()));
    window_and_objective(out, AVAILABILITY, "Successful requests");
}

fn annotations(out: &mut String, sli: &Sli) {
    let _ = writeln!(out, "  annotations:");
    let _ = writeln!(
        out,
        "    pagerproof.dev/source: {}",
        yq(&clip(&strip_md(&sli.why)))
    );
}

fn query(out: &mut String, which: &str, q: &str) {
    let _ = writeln!(out, "        {which}:");
    let _ = writeln!(out, "          metricSource:");
    let _ = writeln!(out, "            type: Prometheus");
    let _ = writeln!(out, "            spec:");
    let _ = writeln!(out, "              query: {}", md::ysq(q));
}

fn window_and_objective(out: &mut String, target: f64, display: &str) {
    let _ = writeln!(out, "  timeWindow:");
    let _ = writeln!(out, "    - duration: 28d");
    let _ = writeln!(out, "      isRolling: true");
    let _ = writeln!(out, "  budgetingMethod: Occurrences");
    let _ = writeln!(out, "  objectives:");
    let _ = writeln!(out, "    - displayName: {}", yq(display));
    let _ = writeln!(out, "      target: {target}");
}

fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_DESCRIPTION {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(MAX_DESCRIPTION - 1).collect();
        c.push('…');
        c
    }
}
