//! The library-usage visitor: resolves each call, constructor, decorator, annotation, base
//! class and injected type once, matches the qualified name against the library tables
//! of `telemetry.rs` (METRICS, TRACING), `logging.rs` (STRUCTURED-LOGS, REQUEST-ID) and
//! `security.rs` (RATE-LIMIT, AUTH), then runs their special cases. One visitor for the
//! tables keeps the cost to one resolution per node.
//!
//! Evidence is use, not mention: the name must resolve through the file's imports (or a
//! binding to an imported constructor). Python configuration strings that name a class or
//! module (`"django_prometheus.middleware.PrometheusBeforeMiddleware"` in `MIDDLEWARE`,
//! `"pythonjsonlogger.jsonlogger.JsonFormatter"` in a logging dict) count as
//! configuration; prose never matches because the whole literal must be a dotted path.

use tree_sitter::Node;

use super::common::{self, Lib, java_type, match_lib, qualified};
use super::{logging, security, telemetry};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, string_value};
use crate::libs;
use crate::rule::{Cx, Extractor};

pub struct Libraries;
pub static LIBRARIES: Libraries = Libraries;

static HEALTH: &[Lib] = libs![
    Python "healthcheck.HealthCheck" => Health "py-healthcheck";
    Python "fastapi_health" => Health "fastapi-health";
    Python "flask_healthz" => Health "flask-healthz";
    Python "health_check" => Health "django-health-check";
];

fn tables() -> [&'static [Lib]; 7] {
    [
        telemetry::METRICS,
        telemetry::TRACING,
        logging::STRUCTURED,
        logging::REQUEST_ID,
        security::RATE_LIMIT,
        security::AUTH,
        HEALTH,
    ]
}

impl Extractor for Libraries {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "libraries"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &[
                "call",
                "decorator",
                "class_definition",
                "keyword_argument",
                "pair",
                "assignment",
                "attribute",
                "import_statement",
            ],
            Family::Go => &["call_expression", "composite_literal"],
            Family::Js => &[
                "call_expression",
                "new_expression",
                "decorator",
                "pair",
                "shorthand_property_identifier",
                "member_expression",
                "subscript_expression",
                "expression_statement",
                "import_statement",
            ],
            Family::Java => &[
                "method_invocation",
                "object_creation_expression",
                "annotation",
                "marker_annotation",
                "field_declaration",
                "formal_parameter",
                "local_variable_declaration",
                "class_declaration",
            ],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        for name in referenced(node, cx) {
            emit(cx, node, &name);
        }
        logging::special(node, cx);
        security::special(node, cx);
    }
}

/// The first segment of a qualified name or prefix (`prometheus_client`, `github`,
/// `@opentelemetry`, `io`).
fn root(name: &str) -> &str {
    name.split(['.', '/', '(']).next().unwrap_or(name)
}

/// Per family, the roots that some table row starts with: most calls of a file resolve to
/// modules no table mentions, and are dismissed with one hash lookup.
fn roots(fam: Family) -> &'static std::collections::HashSet<&'static str> {
    static ROOTS: std::sync::OnceLock<Vec<(Family, std::collections::HashSet<&'static str>)>> =
        std::sync::OnceLock::new();
    let all = ROOTS.get_or_init(|| {
        [Family::Python, Family::Go, Family::Js, Family::Java]
            .into_iter()
            .map(|f| {
                let set = tables()
                    .iter()
                    .flat_map(|t| t.iter())
                    .filter(|l| l.family == f)
                    .map(|l| root(l.prefix))
                    .collect();
                (f, set)
            })
            .collect()
    });
    // Every family is in the list.
    &all.iter().find(|(f, _)| *f == fam).unwrap_or(&all[0]).1
}

fn emit(cx: &mut Cx<'_>, node: Node<'_>, name: &str) {
    let fam = cx.family();
    if !roots(fam).contains(root(name)) {
        return;
    }
    for table in tables() {
        if let Some(l) = match_lib(table, fam, name) {
            cx.signal(l.kind, node, l.detail);
        }
    }
}

/// A dotted name resolved through the imports, if its head is imported.
fn resolve_imported(cx: &Cx<'_>, dotted: &str) -> Option<String> {
    let head = dotted.split('.').next().unwrap_or(dotted).trim();
    let m = cx.imports().get(head)?;
    if !roots(cx.family()).contains(root(m)) {
        return None;
    }
    let dotted: String = dotted.chars().filter(|c| !c.is_whitespace()).collect();
    Some(cx.imports().resolve(&dotted))
}

/// The qualified names a node refers to.
fn referenced(node: Node<'_>, cx: &Cx<'_>) -> Vec<String> {
    let fam = cx.family();
    match node.kind_name() {
        "call"
        | "call_expression"
        | "new_expression"
        | "method_invocation"
        | "object_creation_expression" => {
            // Dismiss calls into modules no table mentions before resolving anything.
            let head = common::head_name(cx, node);
            let worth = match cx.imports().get(head) {
                Some(m) => roots(fam).contains(root(m)),
                None => matches!(fam, Family::Js | Family::Java),
            };
            let mut v: Vec<String> = if worth {
                qualified(cx, node).into_iter().collect()
            } else {
                Vec::new()
            };
            if fam == Family::Python {
                v.extend(config_strings(node, cx).into_iter().map(|(_, s)| s));
            }
            // Middleware and handlers passed by name: `app.add_middleware(CorrelationIdMiddleware)`,
            // `r.Use(middleware.RequestID)`, `app.use(helmet)`.
            for a in common::args(node) {
                let a = if a.kind_name() == "keyword_argument" {
                    match a.field("value") {
                        Some(v) => v,
                        None => continue,
                    }
                } else {
                    a
                };
                if matches!(
                    a.kind_name(),
                    "identifier"
                        | "attribute"
                        | "selector_expression"
                        | "member_expression"
                        | "field_access"
                ) {
                    let q = if fam == Family::Java {
                        java_type(cx, cx.text(a))
                    } else {
                        resolve_imported(cx, cx.text(a))
                    };
                    v.extend(q);
                }
            }
            v
        }
        "composite_literal" => node
            .field("type")
            .and_then(|t| resolve_imported(cx, cx.text(t)))
            .into_iter()
            .collect(),
        "decorator" => {
            // Bare decorators (`@login_required`); decorator calls are visited as calls.
            let Some(inner) = node.named_child(0) else {
                return Vec::new();
            };
            match inner.kind_name() {
                "identifier" | "attribute" | "member_expression" => {
                    if fam == Family::Js {
                        cx.imports()
                            .get(cx.text(inner))
                            .map(str::to_string)
                            .into_iter()
                            .collect()
                    } else {
                        resolve_imported(cx, cx.text(inner)).into_iter().collect()
                    }
                }
                _ => Vec::new(),
            }
        }
        "class_definition" => {
            let Some(bases) = node.field("superclasses") else {
                return Vec::new();
            };
            let mut c = bases.walk();
            bases
                .named_children(&mut c)
                .filter(|b| matches!(b.kind_name(), "identifier" | "attribute"))
                .filter_map(|b| resolve_imported(cx, cx.text(b)))
                .collect()
        }
        "assignment" if fam == Family::Python => config_strings(node, cx)
            .into_iter()
            .map(|(_, s)| s)
            .collect(),
        "annotation" | "marker_annotation" => node
            .field("name")
            .and_then(|n| java_type(cx, cx.text(n)))
            .into_iter()
            .collect(),
        "field_declaration" | "formal_parameter" | "local_variable_declaration" => node
            .field("type")
            .and_then(|t| java_type(cx, cx.text(t)))
            .into_iter()
            .collect(),
        "class_declaration" if fam == Family::Java => {
            let mut out = Vec::new();
            for field in ["superclass", "interfaces"] {
                if let Some(s) = node.field(field) {
                    let t = cx.text(s);
                    let t = t
                        .trim_start_matches("extends")
                        .trim_start_matches("implements");
                    for part in t.split(',') {
                        if let Some(q) = java_type(cx, part.trim()) {
                            out.push(q);
                        }
                    }
                }
            }
            out
        }
        "expression_statement" if fam == Family::Js => {
            // `require('newrelic');`
            let Some(call) = node
                .named_child(0)
                .filter(|c| c.kind_name() == "call_expression")
            else {
                return Vec::new();
            };
            side_effect_module(cx, call).into_iter().collect()
        }
        "import_statement" if fam == Family::Python => {
            // `import instana`: importing the module starts the agent.
            let mut c = node.walk();
            node.children_by_field_name("name", &mut c)
                .map(|n| cx.text(n))
                .filter(|m| telemetry::PYTHON_SIDE_EFFECT_AGENTS.contains(m))
                .map(str::to_string)
                .collect()
        }
        "import_statement" if fam == Family::Js => {
            let mut c = node.walk();
            if node
                .named_children(&mut c)
                .any(|n| n.kind_name() == "import_clause")
            {
                return Vec::new();
            }
            node.field("source")
                .and_then(|s| string_value(s, cx.src))
                .filter(|m| telemetry::SIDE_EFFECT_AGENTS.iter().any(|(a, _)| a == m))
                .map(|m| m.split('/').next().unwrap_or(m).to_string())
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    }
}

/// `require('newrelic')` as a statement: the agent starts when the module loads.
fn side_effect_module(cx: &Cx<'_>, call: Node<'_>) -> Option<String> {
    let f = call.field("function")?;
    if cx.text(f) != "require" {
        return None;
    }
    let m = common::args(call)
        .first()
        .and_then(|a| string_value(*a, cx.src))?;
    telemetry::SIDE_EFFECT_AGENTS
        .iter()
        .any(|(a, _)| *a == m)
        .then(|| m.split('/').next().unwrap_or(m).to_string())
}

/// Python configuration strings that name a module or class: the strings inside a
/// settings assignment (`MIDDLEWARE = [...]`, `LOGGING = {...}`, `REST_FRAMEWORK = {...}`:
/// an UPPER_CASE target) or a `dictConfig(...)` call. A dotted path counts anywhere in
/// them; a bare module name only in `INSTALLED_APPS`/`MIDDLEWARE`.
fn config_strings(node: Node<'_>, cx: &Cx<'_>) -> Vec<(usize, String)> {
    let (scope, bare_ok) = match node.kind_name() {
        "assignment" => {
            let Some(left) = node.field("left") else {
                return Vec::new();
            };
            let target = cx.text(left);
            let settings = target.len() > 2
                && target
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit());
            if !settings {
                return Vec::new();
            }
            (
                node.field("right"),
                matches!(
                    target,
                    "INSTALLED_APPS" | "MIDDLEWARE" | "MIDDLEWARE_CLASSES"
                ),
            )
        }
        "call" if common::call_name(cx, node) == "dictConfig" => (syntax::arguments(node), false),
        _ => return Vec::new(),
    };
    let Some(scope) = scope else {
        return Vec::new();
    };
    syntax::descendants(scope)
        .filter(|d| d.kind_name() == "string")
        .filter_map(|d| {
            let s = string_value(d, cx.src)?;
            let shape = !s.is_empty()
                && s.len() <= 200
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
            (shape && (s.contains('.') || bare_ok)).then(|| (d.start_byte(), s.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::{self, *};

    fn lines(s: &[(SignalKind, u32, String)], k: SignalKind) -> Vec<u32> {
        let mut v: Vec<u32> = s.iter().filter(|x| x.0 == k).map(|x| x.1).collect();
        v.dedup();
        v
    }

    #[test]
    fn stubs_and_mentions_are_not_metrics() {
        let s = signals(
            "main.go",
            "package main\n// prometheus metrics TODO\nfunc initStats() {\n\t// TODO(arbrown) Implement OpenTelemetry stats\n}\nfunc main() { log.Info(\"Stats enabled, but temporarily unavailable\") }\n",
        );
        assert!(lines(&s, Metrics).is_empty());
        assert!(lines(&s, Tracing).is_empty());
    }

    #[test]
    fn go_prometheus_and_otel() {
        let s = signals(
            "main.go",
            "package main\nimport (\n\t\"github.com/prometheus/client_golang/prometheus/promauto\"\n\t\"github.com/prometheus/client_golang/prometheus\"\n\t\"go.opentelemetry.io/otel\"\n\tsdktrace \"go.opentelemetry.io/otel/sdk/trace\"\n)\nvar c = promauto.NewCounter(prometheus.CounterOpts{Name: \"x\"})\nfunc main() {\n\ttp := sdktrace.NewTracerProvider()\n\totel.SetTracerProvider(tp)\n}\n",
        );
        assert_eq!(lines(&s, Metrics), vec![8]);
        assert_eq!(lines(&s, Tracing), vec![10, 11]);
    }

    #[test]
    fn python_otel_behind_flag_and_django_settings() {
        let s = signals(
            "server.py",
            "import os\nfrom opentelemetry import trace\nfrom opentelemetry.sdk.trace import TracerProvider\nif os.environ.get('ENABLE_TRACING') == '1':\n    trace.set_tracer_provider(TracerProvider())\n",
        );
        assert_eq!(lines(&s, Tracing), vec![5]);
        let d = signals(
            "settings.py",
            "INSTALLED_APPS = ['django.contrib.admin', 'django_prometheus']\nMIDDLEWARE = ['log_request_id.middleware.RequestIDMiddleware']\nREST_FRAMEWORK = {'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.UserRateThrottle'], 'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated']}\nDOC = 'uses structlog'\n",
        );
        assert_eq!(lines(&d, Metrics), vec![1]);
        assert_eq!(lines(&d, RequestId), vec![2]);
        assert_eq!(lines(&d, RateLimit), vec![3]);
        assert_eq!(lines(&d, Auth), vec![3]);
        assert!(lines(&d, StructuredLogs).is_empty());
    }

    #[test]
    fn node_otel_and_agents() {
        let s = signals(
            "index.js",
            "const { GrpcInstrumentation } = require('@opentelemetry/instrumentation-grpc');\nconst { registerInstrumentations } = require('@opentelemetry/instrumentation');\nregisterInstrumentations({ instrumentations: [new GrpcInstrumentation()] });\nrequire('newrelic');\nrequire('@google-cloud/profiler').start({});\n",
        );
        assert_eq!(lines(&s, Tracing), vec![3, 4], "{s:?}");
        assert!(lines(&s, Metrics).contains(&4));
        let i = signals(
            "server.js",
            "const instana = require('@instana/collector');\ninstana({ tracing: { enabled: true } });\nconst express = require('express');\n",
        );
        assert_eq!(lines(&i, Tracing), vec![2], "{i:?}");
    }

    #[test]
    fn python_agents_started_by_import() {
        let s = signals(
            "payment.py",
            "import instana\nimport os\nimport ddtrace.auto\nimport ddtrace\nimport instanax\n",
        );
        assert_eq!(lines(&s, Tracing), vec![1, 3], "{s:?}");
        // An import of a library that needs a call to start is not evidence.
        let n = signals("app.py", "import beeline\nimport opentelemetry.trace\n");
        assert!(lines(&n, Tracing).is_empty(), "{n:?}");
    }

    #[test]
    fn go_and_java_instana() {
        let g = signals(
            "main.go",
            "package main\nimport instana \"github.com/instana/go-sensor\"\nfunc main() {\n\tc := instana.InitCollector(&instana.Options{Service: \"x\"})\n\t_ = c\n}\n",
        );
        assert_eq!(lines(&g, Tracing), vec![4], "{g:?}");
        let j = signals(
            "src/main/java/a/A.java",
            "package a;\nimport com.instana.sdk.support.SpanSupport;\nclass A {\n  void f() { SpanSupport.annotate(\"k\", \"v\"); }\n}\n",
        );
        assert_eq!(lines(&j, Tracing), vec![4], "{j:?}");
    }

    #[test]
    fn java_micrometer_injection() {
        let s = signals(
            "src/main/java/a/S.java",
            "package a;\nimport io.micrometer.core.instrument.MeterRegistry;\nimport org.apache.logging.log4j.LogManager;\nclass S {\n  private final MeterRegistry registry;\n  S(MeterRegistry r) { this.registry = r; }\n  void initStats() {\n    // TODO metrics\n  }\n}\n",
        );
        assert_eq!(lines(&s, Metrics), vec![5, 6]);
    }
}
