//! A Grafana dashboard (JSON model, schemaVersion 39) with one row per service: request
//! rate, error ratio and latency percentiles from the same metrics as the alerts and SLOs,
//! container CPU, memory against its limit and restarts where a Kubernetes workload runs
//! it, and the other metrics the code defines. Every panel's description says where its
//! metric names come from; a panel the review cannot fill is a text panel with the TODO.

use serde_json::{Value, json};

use crate::alerts::strip_md;
use crate::context::{Ctx, Service};
use crate::md;
use crate::sli::{self, PodSel, Sli};
use crate::{Error, Kind};

const SCHEMA_VERSION: u32 = 39;
const W: u32 = 8;
const H: u32 = 8;

struct Layout {
    next_id: u32,
    x: u32,
    y: u32,
    panels: Vec<Value>,
}

impl Layout {
    fn row(&mut self, title: &str) {
        if self.x > 0 {
            self.x = 0;
            self.y += H;
        }
        let id = self.id();
        self.panels.push(json!({
            "id": id,
            "type": "row",
            "title": title,
            "collapsed": false,
            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y},
            "panels": []
        }));
        self.y += 1;
    }

    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    fn place(&mut self) -> Value {
        if self.x + W > 24 {
            self.x = 0;
            self.y += H;
        }
        let g = json!({"h": H, "w": W, "x": self.x, "y": self.y});
        self.x += W;
        g
    }

    fn timeseries(
        &mut self,
        title: &str,
        description: &str,
        unit: &str,
        targets: &[(&str, String)],
    ) {
        let id = self.id();
        let grid = self.place();
        let targets: Vec<Value> = targets
            .iter()
            .enumerate()
            .map(|(i, (legend, expr))| {
                json!({
                    "refId": ref_id(i),
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "expr": expr,
                    "legendFormat": legend,
                    "range": true
                })
            })
            .collect();
        self.panels.push(json!({
            "id": id,
            "type": "timeseries",
            "title": title,
            "description": description,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": grid,
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {
                "legend": {"displayMode": "list", "placement": "bottom", "showLegend": true},
                "tooltip": {"mode": "multi", "sort": "desc"}
            },
            "targets": targets
        }));
    }

    fn text(&mut self, title: &str, content: &str) {
        let id = self.id();
        let grid = self.place();
        self.panels.push(json!({
            "id": id,
            "type": "text",
            "title": title,
            "gridPos": grid,
            "options": {"mode": "markdown", "content": content}
        }));
    }
}

fn ref_id(i: usize) -> String {
    let c = (b'A' + (i % 26) as u8) as char;
    c.to_string()
}

pub fn render(ctx: &Ctx<'_>) -> Result<String, Error> {
    let services = ctx.services();
    if services.is_empty() {
        return Err(Error::NothingToWrite {
            kind: Kind::Dashboard.name(),
            reason: "no component serves requests (no routes, gRPC services, health endpoints \
or Kubernetes Service found)"
                .to_string(),
        });
    }
    let shared = sli::shared_names(ctx);
    let mut l = Layout {
        next_id: 0,
        x: 0,
        y: 0,
        panels: Vec::new(),
    };
    for s in &services {
        let sli = sli::for_service(ctx, s, &shared);
        service(&mut l, s, &sli);
    }
    let title = match &ctx.selected {
        Some(_) => format!("{}: {}", ctx.repo, services[0].name()),
        None => format!("{}: services", ctx.repo),
    };
    let uid: String = format!("pp-{}", md::dns_label(&title))
        .chars()
        .take(40)
        .collect();
    let dash = json!({
        "title": title,
        "uid": uid.trim_end_matches('-'),
        "description": strip_md(&ctx.provenance()),
        "tags": ["pagerproof", "scaffold"],
        "timezone": "browser",
        "editable": true,
        "graphTooltip": 1,
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "refresh": "1m",
        "time": {"from": "now-6h", "to": "now"},
        "annotations": {"list": []},
        "templating": {"list": [{
            "name": "datasource",
            "label": "Prometheus",
            "type": "datasource",
            "query": "prometheus",
            "current": {},
            "hide": 0,
            "refresh": 1,
            "regex": "",
            "options": []
        }]},
        "panels": l.panels
    });
    let mut text = serde_json::to_string_pretty(&dash).unwrap_or_default();
    text.push('\n');
    Ok(text)
}

fn service(l: &mut Layout, s: &Service<'_>, sli: &Sli) {
    let name = s.name();
    l.row(&format!("{name} ({})", s.comp.path));
    let why = strip_md(&sli.why);
    l.timeseries(
        "Requests",
        &format!("Requests per second. Source: {why}."),
        "reqps",
        &[("requests/s", sli.request_rate("5m"))],
    );
    match sli.error_ratio("5m") {
        Some(e) => l.timeseries(
            "Error ratio",
            &format!(
                "Failed requests over all requests; the availability SLO allows 0.1%. Source: {why}."
            ),
            "percentunit",
            &[("errors", e)],
        ),
        None => l.text(
            "Error ratio",
            &format!(
                "**TODO**: errors cannot be counted for {name}: {}.",
                sli.errors_todo.as_deref().unwrap_or("no status label")
            ),
        ),
    }
    match &sli.latency {
        Some(lat) => l.timeseries(
            "Latency",
            &format!("Latency percentiles; the latency SLO asks 99% under 500ms. Source: {why}."),
            "s",
            &[
                ("p50", lat.quantile("0.5", "5m")),
                ("p90", lat.quantile("0.9", "5m")),
                ("p99", lat.quantile("0.99", "5m")),
            ],
        ),
        None => l.text(
            "Latency",
            &format!(
                "**TODO**: {}.",
                sli.latency_todo
                    .as_deref()
                    .unwrap_or("no latency histogram")
            ),
        ),
    }
    match PodSel::of(s) {
        Some(pod) => {
            let m = pod.matchers();
            let at = s.main_workload().map(|w| md::at(&w.at)).unwrap_or_default();
            let from = format!(
                "cAdvisor and kube-state-metrics for container {} of {} {} ({at}).",
                pod.container, pod.kind, pod.workload
            );
            l.timeseries(
                "CPU",
                &format!("CPU cores used per pod, against the limit. {from}"),
                "short",
                &[
                    (
                        "{{pod}}",
                        format!(
                            "sum by (pod) (rate(container_cpu_usage_seconds_total{{{m}}}[5m]))"
                        ),
                    ),
                    (
                        "limit",
                        format!("max(kube_pod_container_resource_limits{{resource=\"cpu\", {m}}})"),
                    ),
                ],
            );
            l.timeseries(
                "Memory",
                &format!("Working set per pod, against the limit (OOM kill above it). {from}"),
                "bytes",
                &[
                    (
                        "{{pod}}",
                        format!("max by (pod) (container_memory_working_set_bytes{{{m}}})"),
                    ),
                    (
                        "limit",
                        format!(
                            "max(kube_pod_container_resource_limits{{resource=\"memory\", {m}}})"
                        ),
                    ),
                ],
            );
            l.timeseries(
                "Restarts",
                &format!("Container restarts per pod over the last hour. {from}"),
                "short",
                &[(
                    "{{pod}}",
                    format!(
                        "sum by (pod) (increase(kube_pod_container_status_restarts_total{{{m}}}[1h]))"
                    ),
                )],
            );
        }
        None => l.text(
            "Saturation",
            &format!(
                "**TODO**: no Kubernetes workload found for {name}: add CPU, memory and restart \
panels for the platform that runs it."
            ),
        ),
    }
    for m in sli.others.iter().take(6) {
        let at = md::ats(&m.at, 1).replace('`', "");
        let (expr, unit, what) = match m.ty.as_str() {
            "counter" => (
                format!("sum(rate({}[5m]))", m.exposed),
                "short",
                "per second",
            ),
            "histogram" => (
                format!(
                    "histogram_quantile(0.99, sum by (le) (rate({}_bucket[5m])))",
                    m.exposed
                ),
                "short",
                "p99",
            ),
            _ => (format!("sum({})", m.exposed), "short", "current value"),
        };
        l.timeseries(
            &m.exposed,
            &format!(
                "{} {} defined by the code ({}, {at}), {what}.",
                m.ty, m.exposed, m.lib
            ),
            unit,
            &[(m.exposed.as_str(), expr)],
        );
    }
}
