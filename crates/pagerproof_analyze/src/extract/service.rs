//! The service inventory's code signals: what a service exposes and what it reads and
//! calls, so runbooks, alert rules and SLOs can name real endpoints, variables and metrics
//! (`inventory.rs` gathers them per component).
//!
//! Emits only signals no fact or component kind is decided from: `Route` (`METHOD /path`),
//! `Listen` (a literal port), `EnvRead` (a variable name), `Outbound` (`kind target`),
//! `FeatureFlag` (`key sdk`), `MetricName` (`name type library`) and `GrpcService` (a
//! registered service). Everything is read from literals at the call site; a value the
//! code computes (`fmt.Sprintf(":%s", port)`) is left out rather than guessed. Where
//! another extractor emits the same kind at the same line, the inventory keeps one.

use tree_sitter::Node;

use crate::files::Role;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, last_segment, positional_args, string_value};
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Service;
pub static SERVICE: Service = Service;

impl Extractor for Service {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "service-inventory"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Go => &["call_expression"],
            Family::Python => &["call", "subscript", "comparison_operator"],
            Family::Js => &[
                "call_expression",
                "new_expression",
                "member_expression",
                "subscript_expression",
                "variable_declarator",
            ],
            Family::Java => &[
                "method_invocation",
                "object_creation_expression",
                "annotation",
                "marker_annotation",
                "class_declaration",
            ],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if cx.role != Role::Production {
            return;
        }
        match node.kind_name() {
            "call"
            | "call_expression"
            | "new_expression"
            | "method_invocation"
            | "object_creation_expression" => call(node, cx),
            "class_declaration" => java_grpc_impl(node, cx),
            _ => {}
        }
    }
}

fn call(node: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(node);
    if written.is_empty() {
        return;
    }
    let last = last_segment(&written).to_string();
    // Routes, ports, environment reads and outbound dependencies come from the facts
    // extractors (`http.rs`, `env.rs`); this one adds what only the inventory needs.
    grpc_service(node, cx, &written, &last);
    metric(node, cx, &resolved, &last);
    flag(node, cx, &last);
}

// ---------------------------------------------------------------- environment variables

/// `FOO_BAR`, `PORT`: the shape of an environment variable name.
pub fn is_env_name(s: &str) -> bool {
    s.len() >= 2
        && s.len() <= 80
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

// ---------------------------------------------------------------- ports

// ---------------------------------------------------------------- routes

// ---------------------------------------------------------------- gRPC services

fn grpc_service(node: Node<'_>, cx: &mut Cx<'_>, written: &str, last: &str) {
    let src = cx.src;
    let name = match cx.family() {
        // pb.RegisterCartServiceServer(srv, impl)
        Family::Go => last
            .strip_prefix("Register")
            .and_then(|s| s.strip_suffix("Server"))
            .filter(|s| !s.is_empty() && positional_args(node).len() >= 2)
            .map(str::to_string),
        // demo_pb2_grpc.add_CartServiceServicer_to_server(svc, server)
        Family::Python => last
            .strip_prefix("add_")
            .and_then(|s| s.strip_suffix("Servicer_to_server"))
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        // server.addService(proto.hipstershop.CartService.service, impl)
        Family::Js => (last == "addService")
            .then(|| positional_args(node).first().copied())
            .flatten()
            .map(|a| syntax::text(a, src))
            .and_then(|t| t.strip_suffix(".service"))
            .map(|t| last_segment(t).to_string()),
        // new HealthStatusManager() registers grpc.health.v1.Health.
        Family::Java => (node.kind_name() == "object_creation_expression"
            && last_segment(written) == "HealthStatusManager")
            .then(|| "Health".to_string()),
    };
    if let Some(n) = name.filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_')) {
        cx.signal(SignalKind::GrpcService, node, n);
    }
}

/// `class AdServiceImpl extends AdServiceGrpc.AdServiceImplBase` -> `AdService`.
fn java_grpc_impl(node: Node<'_>, cx: &mut Cx<'_>) {
    let src = cx.src;
    let Some(sup) = node.field("superclass") else {
        return;
    };
    let t = syntax::text(sup, src);
    let t = t.trim_start_matches("extends").trim();
    let base = last_segment(t);
    if let Some(name) = base.strip_suffix("ImplBase").filter(|n| !n.is_empty()) {
        let name = name.to_string();
        cx.signal(SignalKind::GrpcService, node, name);
    }
}

// ---------------------------------------------------------------- outbound dependencies

// ---------------------------------------------------------------- metrics

fn metric_type(ctor: &str) -> Option<&'static str> {
    let c = ctor.to_ascii_lowercase();
    let c = c.trim_start_matches("new");
    Some(if c.contains("updowncounter") {
        "gauge"
    } else if c.contains("counter") {
        "counter"
    } else if c.contains("histogram") || c.contains("timer") {
        "histogram"
    } else if c.contains("summary") || c.contains("distributionsummary") {
        "summary"
    } else if c.contains("gauge") {
        "gauge"
    } else {
        return None;
    })
}

fn is_metric_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '-'))
}

fn metric(node: Node<'_>, cx: &mut Cx<'_>, resolved: &str, last: &str) {
    let src = cx.src;
    let args = positional_args(node);
    let found: Option<(String, &str, &str)> = match cx.family() {
        Family::Go => {
            if (resolved.contains("prometheus/client_golang/prometheus")) && last.starts_with("New")
            {
                let ty = metric_type(last);
                let opts = args.first().copied();
                match (ty, opts) {
                    (Some(ty), Some(o)) if o.kind_name() == "composite_literal" => {
                        go_prom_name(o, src).map(|n| {
                            let labels = args.get(1).map(|l| string_list(*l, src));
                            (with_labels(n, labels), ty, "prometheus")
                        })
                    }
                    // NewCounterVec(opts, labels) where opts is a variable: unknown name.
                    _ => None,
                }
            } else if cx.imports().any_module_contains("go.opentelemetry.io/otel")
                && (last.starts_with("Int64") || last.starts_with("Float64"))
            {
                metric_type(last).and_then(|ty| {
                    args.first()
                        .and_then(|a| string_value(*a, src))
                        .filter(|n| is_metric_name(n))
                        .map(|n| (n.to_string(), ty, "opentelemetry"))
                })
            } else {
                None
            }
        }
        Family::Python => {
            let prom = resolved.starts_with("prometheus_client.");
            if prom {
                metric_type(last).and_then(|ty| {
                    args.first()
                        .and_then(|a| string_value(*a, src))
                        .filter(|n| is_metric_name(n))
                        .map(|n| {
                            let ns = kwarg(node, src, "namespace")
                                .and_then(|v| string_value(v, src))
                                .filter(|s| !s.is_empty());
                            let full = match ns {
                                Some(ns) => format!("{ns}_{n}"),
                                None => n.to_string(),
                            };
                            let labels = kwarg(node, src, "labelnames")
                                .or_else(|| args.get(2).copied())
                                .map(|l| string_list(l, src));
                            (with_labels(full, labels), ty, "prometheus_client")
                        })
                })
            } else if last.starts_with("create_")
                && cx.imports().any_module_contains("opentelemetry")
            {
                metric_type(last).and_then(|ty| {
                    args.first()
                        .and_then(|a| string_value(*a, src))
                        .filter(|n| is_metric_name(n))
                        .map(|n| (n.to_string(), ty, "opentelemetry"))
                })
            } else {
                None
            }
        }
        Family::Js => {
            if resolved.starts_with("prom-client.") && node.kind_name() == "new_expression" {
                metric_type(last).and_then(|ty| {
                    let obj = args.first().filter(|a| a.kind_name() == "object")?;
                    let name = syntax::js_object_value(*obj, src, "name")
                        .and_then(|v| string_value(v, src))
                        .filter(|n| is_metric_name(n))?;
                    let labels = syntax::js_object_value(*obj, src, "labelNames")
                        .map(|l| string_list(l, src));
                    Some((with_labels(name.to_string(), labels), ty, "prom-client"))
                })
            } else if last.starts_with("create")
                && cx.imports().any_module_contains("@opentelemetry")
            {
                metric_type(last).and_then(|ty| {
                    args.first()
                        .and_then(|a| string_value(*a, src))
                        .filter(|n| is_metric_name(n))
                        .map(|n| (n.to_string(), ty, "opentelemetry"))
                })
            } else {
                None
            }
        }
        Family::Java => {
            // Micrometer: Counter.builder("x"), Timer.builder("x"), registry.counter("x").
            let micrometer = cx.imports().any_module_contains("io.micrometer");
            let otel = cx.imports().any_module_contains("io.opentelemetry");
            let recv = syntax::receiver(resolved).unwrap_or("");
            let recv_last = last_segment(recv);
            let ty = if micrometer && last == "builder" {
                metric_type(recv_last)
            } else if (micrometer && matches!(last, "counter" | "timer" | "gauge" | "summary"))
                || (otel && last.ends_with("Builder"))
            {
                metric_type(last)
            } else {
                None
            };
            let lib = if micrometer {
                "micrometer"
            } else {
                "opentelemetry"
            };
            ty.and_then(|ty| {
                args.first()
                    .and_then(|a| string_value(*a, src))
                    .filter(|n| is_metric_name(n))
                    .map(|n| (n.to_string(), ty, lib))
            })
        }
    };
    if let Some((name, ty, lib)) = found {
        // `name labels` -> `name type library labels`.
        let detail = match name.split_once(' ') {
            Some((n, labels)) => format!("{n} {ty} {lib} {labels}"),
            None => format!("{name} {ty} {lib}"),
        };
        cx.signal(SignalKind::MetricName, node, detail);
    }
}

/// The string literals of a list (`[]string{"code", "method"}`, `["code"]`).
fn string_list(n: Node<'_>, src: &str) -> Vec<String> {
    syntax::descendants(n)
        .filter_map(|d| string_value(d, src))
        .filter(|s| is_metric_name(s))
        .map(str::to_string)
        .collect()
}

/// `name` followed by its label names, comma-separated, when there are any.
fn with_labels(name: String, labels: Option<Vec<String>>) -> String {
    match labels {
        Some(l) if !l.is_empty() => format!("{name} {}", l.join(",")),
        _ => name,
    }
}

/// `prometheus.CounterOpts{Namespace: "shop", Subsystem: "cart", Name: "adds_total"}`
/// -> `shop_cart_adds_total`; `None` when a part is not a literal.
fn go_prom_name(lit: Node<'_>, src: &str) -> Option<String> {
    let body = lit.field("body")?;
    let mut parts: [Option<String>; 3] = [None, None, None];
    let mut c = body.walk();
    for el in body.named_children(&mut c) {
        if el.kind_name() != "keyed_element" {
            continue;
        }
        let (Some(k), Some(v)) = (el.named_child(0), el.named_child(1)) else {
            continue;
        };
        let key = syntax::text(k, src).trim();
        let slot = match key {
            "Namespace" => 0,
            "Subsystem" => 1,
            "Name" => 2,
            _ => continue,
        };
        let v = syntax::descendants(v).find_map(|d| string_value(d, src))?;
        parts[slot] = Some(v.to_string());
    }
    let name = parts[2].clone()?;
    let full: Vec<String> = parts
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    let full = full.join("_");
    (is_metric_name(&name) && is_metric_name(&full)).then_some(full)
}

// ---------------------------------------------------------------- feature flags

/// Flag SDK modules: a flag-evaluation method is only believed in a file importing one.
const FLAG_MODULES: &[&str] = &[
    "launchdarkly",
    "ldclient",
    "unleash",
    "openfeature",
    "flagsmith",
    "growthbook",
    "splitio",
    "configcat",
    "flipt",
    "flagd",
    "posthog",
    "statsig",
    "optimizely",
];

const FLAG_METHODS: &[&str] = &[
    "variation",
    "boolVariation",
    "BoolVariation",
    "bool_variation",
    "stringVariation",
    "StringVariation",
    "isEnabled",
    "is_enabled",
    "IsEnabled",
    "getBooleanValue",
    "get_boolean_value",
    "BooleanValue",
    "getStringValue",
    "get_string_value",
    "hasFeature",
    "has_feature",
    "isOn",
    "is_on",
    "isFeatureEnabled",
    "feature_enabled",
    "getTreatment",
    "get_treatment",
    "checkGate",
    "check_gate",
    "getValue",
    "get_value",
];

fn flag(node: Node<'_>, cx: &mut Cx<'_>, last: &str) {
    if !FLAG_METHODS.contains(&last) {
        return;
    }
    let Some(sdk) = FLAG_MODULES
        .iter()
        .find(|m| {
            cx.imports()
                .modules()
                .iter()
                .any(|x| x.to_ascii_lowercase().contains(*m))
        })
        .copied()
    else {
        return;
    };
    let src = cx.src;
    let key = positional_args(node)
        .into_iter()
        .filter_map(|a| string_value(a, src))
        .find(|s| {
            !s.is_empty()
                && s.len() <= 100
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        });
    if let Some(k) = key {
        let k = k.to_string();
        cx.signal(SignalKind::FeatureFlag, node, format!("{k} {sdk}"));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::engine::Engine;
    use crate::lang::Lang;

    fn signals(path: &str, src: &str) -> Vec<(SignalKind, u32, String)> {
        let Some(lang) = Lang::from_path(path) else {
            panic!("no language for {path}");
        };
        let engine = Engine::new(Vec::new(), crate::registry::extractors());
        let out = engine
            .analyze(path, lang, Role::Production, src, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut v: Vec<_> = out
            .signals
            .into_iter()
            .map(|s| (s.kind, s.line, s.detail))
            .collect();
        v.sort();
        v
    }

    fn has(v: &[(SignalKind, u32, String)], kind: SignalKind, line: u32, detail: &str) -> bool {
        v.iter()
            .any(|(k, l, d)| *k == kind && *l == line && d == detail)
    }

    fn assert_has(v: &[(SignalKind, u32, String)], kind: SignalKind, line: u32, detail: &str) {
        assert!(
            has(v, kind, line, detail),
            "expected {kind:?} at line {line}: {detail:?}; got {v:#?}"
        );
    }

    #[test]
    fn go_service() {
        let src = r#"package main

import (
	"net"
	"net/http"
	"os"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	pb "example.com/shop/genproto"
)

var orders = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "shop", Name: "orders_total"}, []string{"code"})

func main() {
	port := os.Getenv("PORT")
	mustMapEnv(&addr, "CART_SERVICE_ADDR")
	conn, _ := grpc.NewClient(addr)
	r := mux.NewRouter()
	r.HandleFunc(base+"/cart", h).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/cart/checkout", h).Methods(http.MethodPost)
	r.HandleFunc("/_healthz", ok)
	http.Get("https://api.example.com/v1/rates")
	lis, _ := net.Listen("tcp", ":5050")
	srv := grpc.NewServer()
	pb.RegisterCheckoutServiceServer(srv, svc)
	os.Setenv("IGNORED_NAME", "x")
	http.ListenAndServe(":"+port, r)
}
"#;
        let v = signals("cmd/main.go", src);
        assert_has(
            &v,
            SignalKind::MetricName,
            14,
            "shop_orders_total counter prometheus code",
        );
        assert_has(&v, SignalKind::GrpcService, 27, "CheckoutService");
        assert!(!v.iter().any(|(_, _, d)| d == "IGNORED_NAME"), "{v:#?}");
        // The client call `http.Get` is not a route, and nothing else fired.
    }

    #[test]
    fn python_service() {
        let src = r#"import os
import grpc
import redis
from flask import Flask
from prometheus_client import Counter, Histogram
import demo_pb2_grpc

app = Flask(__name__)
REQS = Counter("requests", "Requests", namespace="email")
LAT = Histogram("send_seconds", "Latency")

@app.route("/orders", methods=["POST"])
def orders():
    if "DISABLE_PROFILER" in os.environ:
        pass
    cache = redis.Redis(host=os.environ["REDIS_HOST"])
    return os.environ.get("REGION", "eu")

@app.get("/healthz")
def health():
    return "ok"

def serve():
    channel = grpc.insecure_channel(os.getenv("CATALOG_ADDR", ""))
    demo_pb2_grpc.add_EmailServiceServicer_to_server(svc, server)
    server.add_insecure_port("[::]:8080")
    app.run(port=5000)
"#;
        let v = signals("svc/app.py", src);
        assert_has(
            &v,
            SignalKind::MetricName,
            9,
            "email_requests counter prometheus_client",
        );
        assert_has(
            &v,
            SignalKind::MetricName,
            10,
            "send_seconds histogram prometheus_client",
        );
        assert_has(&v, SignalKind::GrpcService, 25, "EmailService");
    }

    #[test]
    fn javascript_service() {
        let src = r#"const express = require('express');
const client = require('prom-client');
const grpc = require('@grpc/grpc-js');
const axios = require('axios');
const { DB_URL, API_KEY } = process.env;

const app = express();
const hits = new client.Counter({ name: 'checkout_hits_total', help: 'h' });
app.get('/items/:id', (req, res) => res.send(process.env.REGION));
app.post('/items', handler);
axios.get('/relative/not/a/route');
server.addService(proto.hipstershop.CurrencyService.service, impl);
const cart = new proto.hipstershop.CartService(process.env["CART_ADDR"], grpc.credentials.createInsecure());
app.listen(3000);
"#;
        let v = signals("server.js", src);
        assert_has(
            &v,
            SignalKind::MetricName,
            8,
            "checkout_hits_total counter prom-client",
        );
        assert_has(&v, SignalKind::GrpcService, 12, "CurrencyService");
    }

    #[test]
    fn java_service() {
        let src = r#"package shop;

import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.Counter;

@RestController
@RequestMapping("/api")
class Orders {
  @GetMapping("/orders/{id}")
  public String get() { return System.getenv().getOrDefault("PORT", "9555"); }
  @RequestMapping(value = "/orders", method = RequestMethod.POST)
  public void post() { Counter.builder("orders.created").register(registry); }
}

class AdServiceImpl extends hipstershop.AdServiceGrpc.AdServiceImplBase {
  void start() {
    ServerBuilder.forPort(9555).addService(new AdServiceImpl()).addService(new HealthStatusManager().getHealthService());
  }
}
"#;
        let v = signals("src/main/java/shop/Orders.java", src);
        assert_has(
            &v,
            SignalKind::MetricName,
            13,
            "orders.created counter micrometer",
        );
        assert_has(&v, SignalKind::GrpcService, 16, "AdService");
        assert_has(&v, SignalKind::GrpcService, 18, "Health");
    }

    #[test]
    fn flags_need_an_sdk_import() {
        let with = "import ldclient\n\ndef f(ctx):\n    return ldclient.get().variation(\"new-checkout\", ctx, False)\n";
        let v = signals("app/flags.py", with);
        assert_has(&v, SignalKind::FeatureFlag, 4, "new-checkout ldclient");
        let without = "def f(cfg):\n    return cfg.is_enabled(\"x\")\n";
        assert!(signals("app/other.py", without).is_empty());
    }
}
