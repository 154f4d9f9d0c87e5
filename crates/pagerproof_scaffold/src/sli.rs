//! Which metrics measure a service's requests, errors and latency, and why.
//!
//! In order of preference:
//! 1. **App**: metrics the service's code defines (inventory `metrics`), with the names
//!    its client library actually exposes (`prometheus_client` adds `_total`, Micrometer
//!    turns dots into underscores and timers into `_seconds`), and the status label its
//!    definition declares.
//! 2. **Mesh**: Istio's standard `istio_requests_total` / `istio_request_duration_milliseconds`
//!    when the repository configures Istio and the code defines no request metrics.
//! 3. **Convention**: the conventional names of the service's protocol (gRPC:
//!    `grpc_server_handled_total` from the Prometheus gRPC interceptors; HTTP:
//!    `http_requests_total`), said to be assumed: they exist only once the service is
//!    instrumented that way.

use std::collections::BTreeMap;

use pagerproof_core::Evidence;
use pagerproof_core::inventory::Item;

use crate::context::{Ctx, Service};
use crate::md;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    App,
    Mesh,
    Convention,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::App => "code",
            Source::Mesh => "mesh",
            Source::Convention => "convention",
        }
    }
}

/// A series selector: a metric name and label matchers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sel {
    pub name: String,
    pub matchers: Vec<String>,
}

impl Sel {
    fn new(name: &str) -> Sel {
        Sel {
            name: name.to_string(),
            matchers: Vec::new(),
        }
    }

    pub fn with(&self, m: impl Into<String>) -> Sel {
        let mut s = self.clone();
        s.matchers.push(m.into());
        s
    }

    pub fn render(&self) -> String {
        if self.matchers.is_empty() {
            self.name.clone()
        } else {
            format!("{}{{{}}}", self.name, self.matchers.join(", "))
        }
    }
}

/// A latency histogram: its `_bucket` series and the unit of `le`.
#[derive(Clone, Debug)]
pub struct Latency {
    pub bucket: Sel,
    pub seconds: bool,
}

impl Latency {
    /// The default latency objective's bucket bound: 500 ms.
    pub fn threshold_le(&self) -> &'static str {
        if self.seconds { "0.5" } else { "500" }
    }

    /// `histogram_quantile(q, ...)`, in seconds.
    pub fn quantile(&self, q: &str, w: &str) -> String {
        let inner = format!(
            "histogram_quantile({q}, sum by (le) (rate({}[{w}])))",
            self.bucket.render()
        );
        if self.seconds {
            inner
        } else {
            format!("{inner} / 1000")
        }
    }
}

/// A metric the code defines, as the client library exposes it.
#[derive(Clone, Debug)]
pub struct AppMetric {
    /// The series name to query (histograms: without `_bucket`).
    pub exposed: String,
    pub ty: String,
    pub lib: String,
    pub labels: Vec<String>,
    pub at: Vec<Evidence>,
}

/// How a service's requests, errors and latency are measured.
#[derive(Clone, Debug)]
pub struct Sli {
    pub source: Source,
    /// Where the names come from, in a sentence, with citations.
    pub why: String,
    pub requests: Sel,
    pub errors: Option<Sel>,
    /// Why errors cannot be counted, when they cannot.
    pub errors_todo: Option<String>,
    pub latency: Option<Latency>,
    pub latency_todo: Option<String>,
    /// Metrics the code defines that are not requests/latency (for dashboards).
    pub others: Vec<AppMetric>,
}

impl Sli {
    pub fn request_rate(&self, w: &str) -> String {
        format!("sum(rate({}[{w}]))", self.requests.render())
    }

    pub fn error_rate(&self, w: &str) -> Option<String> {
        self.errors
            .as_ref()
            .map(|e| format!("sum(rate({}[{w}]))", e.render()))
    }

    /// Errors over requests, 0..1.
    pub fn error_ratio(&self, w: &str) -> Option<String> {
        self.error_rate(w)
            .map(|e| format!("{e}\n/\n{}", self.request_rate(w)))
    }
}

fn parse_metric(i: &Item) -> Option<AppMetric> {
    let mut parts = i.name.split_whitespace();
    let name = parts.next()?;
    let ty = parts.next()?.to_string();
    let lib = parts.next().unwrap_or("").to_string();
    let labels: Vec<String> = parts
        .next()
        .map(|l| l.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    // Prometheus names are `[a-zA-Z_:][a-zA-Z0-9_:]*`; Micrometer and OpenTelemetry names
    // are translated (dots become underscores), anything else invalid is replaced too.
    let n: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == ':' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let exposed = match (ty.as_str(), lib.as_str()) {
        ("counter", "prometheus_client" | "micrometer" | "opentelemetry") => {
            if n.ends_with("_total") {
                n
            } else {
                format!("{n}_total")
            }
        }
        ("histogram", "micrometer") => format!("{n}_seconds"),
        _ => n,
    };
    Some(AppMetric {
        exposed,
        ty,
        lib,
        labels,
        at: i.evidence.clone(),
    })
}

fn contains_any(s: &str, words: &[&str]) -> bool {
    let l = s.to_ascii_lowercase();
    words.iter().any(|w| l.contains(w))
}

/// The error matcher for a status label, if the label is one we know.
fn error_matcher(labels: &[String]) -> Option<(String, String)> {
    for l in labels {
        let m = match l.as_str() {
            "code"
            | "status"
            | "status_code"
            | "http_status"
            | "response_code"
            | "statusCode"
            | "http_status_code"
            | "http_response_status_code" => format!("{l}=~\"5..\""),
            "grpc_code" | "grpc_status" | "rpc_grpc_status_code" => {
                format!("{l}=~\"{GRPC_SERVER_ERRORS}\"")
            }
            "outcome" => format!("{l}=\"SERVER_ERROR\""),
            _ => continue,
        };
        return Some((l.clone(), m));
    }
    None
}

/// gRPC codes that mean the server failed (not the caller).
pub const GRPC_SERVER_ERRORS: &str =
    "Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss";
/// The same codes as numbers, as Istio's `grpc_response_status` reports them.
const GRPC_SERVER_ERROR_NUMBERS: &str = "2|4|12|13|14|15";

/// Metric names defined by more than one component (they need a `job` matcher).
pub fn shared_names(ctx: &Ctx<'_>) -> Vec<String> {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &ctx.inventory.components {
        for m in c.metrics.iter().filter_map(parse_metric) {
            seen.entry(m.exposed).or_default().push(c.component.clone());
        }
    }
    seen.into_iter()
        .filter(|(_, v)| {
            let mut v = v.clone();
            v.dedup();
            v.len() > 1
        })
        .map(|(k, _)| k)
        .collect()
}

pub fn for_service(ctx: &Ctx<'_>, s: &Service<'_>, shared: &[String]) -> Sli {
    let metrics: Vec<AppMetric> = s.inv.metrics.iter().filter_map(parse_metric).collect();
    let job = format!("job=\"{}\"", md::pq(s.name()));
    let scoped = |name: &str| {
        let sel = Sel::new(name);
        if shared.iter().any(|n| n == name) {
            sel.with(job.clone())
        } else {
            sel
        }
    };
    let counter = metrics.iter().find(|m| {
        m.ty == "counter"
            && contains_any(
                &m.exposed,
                &["request", "rpc", "handled", "calls", "http", "grpc", "hits"],
            )
            && !contains_any(&m.exposed, &["error", "fail"])
    });
    let histogram = metrics.iter().find(|m| {
        m.ty == "histogram"
            && contains_any(
                &m.exposed,
                &["duration", "latency", "seconds", "request", "rpc", "time"],
            )
    });
    let error_counter = metrics
        .iter()
        .find(|m| m.ty == "counter" && contains_any(&m.exposed, &["error", "fail"]));
    if let Some(req_metric) = counter.or(histogram) {
        let requests = if counter.is_some() {
            scoped(&req_metric.exposed)
        } else {
            scoped(&format!("{}_count", req_metric.exposed))
        };
        let used: Vec<&str> = [counter, histogram, error_counter]
            .into_iter()
            .flatten()
            .map(|m| m.exposed.as_str())
            .collect();
        let mut why = format!(
            "metric names from the code: `{}` ({}, {})",
            requests.name,
            req_metric.lib,
            md::ats(&req_metric.at, 1)
        );
        let (errors, errors_todo) = match error_matcher(&req_metric.labels) {
            Some((label, m)) => {
                why.push_str(&format!("; errors by its `{label}` label"));
                (Some(requests.with(m)), None)
            }
            None => match error_counter {
                Some(e) => {
                    why.push_str(&format!(
                        "; errors from `{}` ({})",
                        e.exposed,
                        md::ats(&e.at, 1)
                    ));
                    (Some(scoped(&e.exposed)), None)
                }
                None => (
                    None,
                    Some(format!(
                        "`{}` declares no status label the review could read (labels: {}); add one \
(`code`, `grpc_code`) or an error counter, then count errors with it",
                        requests.name,
                        if req_metric.labels.is_empty() {
                            "none".to_string()
                        } else {
                            req_metric.labels.join(", ")
                        }
                    )),
                ),
            },
        };
        let (latency, latency_todo) = match histogram {
            Some(h) => {
                why.push_str(&format!(
                    "; latency from `{}_bucket` ({})",
                    h.exposed,
                    md::ats(&h.at, 1)
                ));
                (
                    Some(Latency {
                        bucket: scoped(&format!("{}_bucket", h.exposed)),
                        seconds: true,
                    }),
                    None,
                )
            }
            None => (
                None,
                Some(format!(
                    "the code defines no latency histogram for {}; add one (e.g. `*_request_duration_seconds`)",
                    s.name()
                )),
            ),
        };
        let others = metrics
            .iter()
            .filter(|m| !used.contains(&m.exposed.as_str()))
            .cloned()
            .collect();
        return Sli {
            source: Source::App,
            why,
            requests,
            errors,
            errors_todo,
            latency,
            latency_todo,
            others,
        };
    }
    let others: Vec<AppMetric> = metrics;
    let grpc = s.grpc_services();
    let metrics_gap = s
        .in_categories(&["METRICS"])
        .first()
        .map(|f| format!("; the review found {}", md::cite(f)))
        .unwrap_or_default();
    // What is known about the code's own metrics.
    let none_in_code = if s.comp.languages.is_empty() {
        "pagerproof does not parse this component's code, so metrics it may define are unknown"
    } else {
        "the code defines no request metrics"
    };

    if let Some(istio) = ctx.inventory.mesh.iter().find(|m| m.name == "istio") {
        let workload = s
            .main_workload()
            .map(|w| w.name.clone())
            .unwrap_or_else(|| s.name().to_string());
        let mut base = Sel::new("istio_requests_total")
            .with("reporter=\"destination\"")
            .with(format!("destination_workload=\"{}\"", md::pq(&workload)));
        if let Some(ns) = s.main_workload().and_then(|w| w.namespace.clone()) {
            base = base.with(format!(
                "destination_workload_namespace=\"{}\"",
                md::pq(&ns)
            ));
        }
        let errors = if grpc.is_empty() {
            base.with("response_code=~\"5..\"")
        } else {
            base.with(format!(
                "grpc_response_status=~\"{GRPC_SERVER_ERROR_NUMBERS}\""
            ))
        };
        let mut bucket = Sel::new("istio_request_duration_milliseconds_bucket")
            .with("reporter=\"destination\"")
            .with(format!("destination_workload=\"{}\"", md::pq(&workload)));
        if let Some(ns) = s.main_workload().and_then(|w| w.namespace.clone()) {
            bucket = bucket.with(format!(
                "destination_workload_namespace=\"{}\"",
                md::pq(&ns)
            ));
        }
        return Sli {
            source: Source::Mesh,
            why: format!(
                "Istio's standard metrics: {none_in_code}{metrics_gap}, and the repository configures \
Istio ({}); they exist only where the Istio sidecar runs beside `{workload}`",
                md::ats(&istio.evidence, 1)
            ),
            requests: base,
            errors: Some(errors),
            errors_todo: None,
            latency: Some(Latency {
                bucket,
                seconds: false,
            }),
            latency_todo: None,
            others,
        };
    }

    if !grpc.is_empty() {
        let re = format!(".*({})", grpc.join("|"));
        let base = Sel::new("grpc_server_handled_total").with(format!("grpc_service=~\"{re}\""));
        return Sli {
            source: Source::Convention,
            why: format!(
                "ASSUMED names: {none_in_code}{metrics_gap}. These are the \
conventional names of the Prometheus gRPC server interceptors (go-grpc-middleware, py-grpc-prometheus, \
java-grpc-prometheus) for the gRPC services it registers ({}); they will not exist until the service \
is instrumented that way",
                grpc.join(", ")
            ),
            errors: Some(base.with(format!("grpc_code=~\"{GRPC_SERVER_ERRORS}\""))),
            requests: base,
            errors_todo: None,
            latency: Some(Latency {
                bucket: Sel::new("grpc_server_handling_seconds_bucket")
                    .with(format!("grpc_service=~\"{re}\"")),
                seconds: true,
            }),
            latency_todo: None,
            others,
        };
    }
    let base = Sel::new("http_requests_total").with(job.clone());
    Sli {
        source: Source::Convention,
        why: format!(
            "ASSUMED names: {none_in_code}{metrics_gap}. These are the conventional \
Prometheus HTTP server names (`http_requests_total` with a `code` label, \
`http_request_duration_seconds`), scraped under job `{}`; they will not exist until the service is \
instrumented that way",
            s.name()
        ),
        errors: Some(base.with("code=~\"5..\"")),
        requests: base,
        errors_todo: None,
        latency: Some(Latency {
            bucket: Sel::new("http_request_duration_seconds_bucket").with(job),
            seconds: true,
        }),
        latency_todo: None,
        others,
    }
}

/// Kubernetes selectors for a service's containers (cAdvisor / kube-state-metrics).
pub struct PodSel {
    pub workload: String,
    pub kind: String,
    pub container: String,
    pub namespace: Option<String>,
}

impl PodSel {
    pub fn of(s: &Service<'_>) -> Option<PodSel> {
        let w = s.main_workload()?;
        let container = w
            .containers
            .first()
            .cloned()
            .unwrap_or_else(|| w.name.clone());
        Some(PodSel {
            workload: w.name.clone(),
            kind: w.kind.clone(),
            container,
            namespace: w.namespace.clone(),
        })
    }

    /// `container="c", pod=~"w-.*"` (and the namespace when the manifest sets one).
    pub fn matchers(&self) -> String {
        let mut m = format!(
            "container=\"{}\", pod=~\"{}-.*\"",
            md::pq(&self.container),
            md::pq_re(&self.workload)
        );
        if let Some(ns) = &self.namespace {
            m.push_str(&format!(", namespace=\"{}\"", md::pq(ns)));
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(name: &str) -> AppMetric {
        let item = Item {
            name: name.to_string(),
            evidence: Vec::new(),
        };
        parse_metric(&item).unwrap_or_else(|| panic!("unparsed {name}"))
    }

    #[test]
    fn names_are_those_the_client_library_exposes() {
        assert_eq!(
            metric("requests counter prometheus_client").exposed,
            "requests_total"
        );
        assert_eq!(
            metric("requests_total counter prometheus_client").exposed,
            "requests_total"
        );
        assert_eq!(
            metric("shop_requests counter prometheus").exposed,
            "shop_requests"
        );
        assert_eq!(
            metric("http.server.requests histogram micrometer").exposed,
            "http_server_requests_seconds"
        );
        assert_eq!(
            metric("orders.created counter micrometer").exposed,
            "orders_created_total"
        );
        assert_eq!(
            metric("rpc.duration histogram opentelemetry").exposed,
            "rpc_duration"
        );
        let m = metric("shop_http_requests_total counter prometheus route,code");
        assert_eq!(m.labels, vec!["route", "code"]);
    }

    #[test]
    fn status_labels_become_error_matchers() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            error_matcher(&l(&["route", "code"])).map(|m| m.1),
            Some("code=~\"5..\"".to_string())
        );
        assert_eq!(
            error_matcher(&l(&["grpc_code"])).map(|m| m.1),
            Some(format!("grpc_code=~\"{GRPC_SERVER_ERRORS}\""))
        );
        assert_eq!(
            error_matcher(&l(&["outcome"])).map(|m| m.1),
            Some("outcome=\"SERVER_ERROR\"".to_string())
        );
        assert_eq!(error_matcher(&l(&["route"])), None);
    }

    #[test]
    fn selectors_and_quantiles_render() {
        let s = Sel::new("x").with("a=\"b\"");
        assert_eq!(s.render(), "x{a=\"b\"}");
        let ms = Latency {
            bucket: Sel::new("lat_bucket"),
            seconds: false,
        };
        assert_eq!(ms.threshold_le(), "500");
        assert_eq!(
            ms.quantile("0.99", "5m"),
            "histogram_quantile(0.99, sum by (le) (rate(lat_bucket[5m]))) / 1000"
        );
    }
}
