//! STRUCTURED-LOGS and REQUEST-ID evidence.
//!
//! Structured logging: structlog, python-json-logger, json-log-formatter, ecs-logging,
//! Cloud Logging's structured handler, loguru with `serialize=True`, a `logging.Formatter`
//! subclass that emits `json.dumps`, logging config naming a JSON formatter; zap,
//! zerolog, logrus with `JSONFormatter`, `slog.NewJSONHandler`, hclog, go-kit JSON/logfmt
//! loggers, klog's `InfoS`/`ErrorS`; pino
//! (and fastify's built-in pino logger), bunyan, winston with `format.json()`/`logstash()`;
//! logstash-logback-encoder, ECS logging, log4j2 JSON template layout. Plain `logging`,
//! `print`, `console.log`, `fmt.Println`, logrus with its text formatter and slog's text
//! handler are not structured.
//!
//! Request ids: request-id middleware (asgi-correlation-id, django-guid,
//! django-log-request-id, chi/echo/gin/fiber RequestID, express-request-id, cls-rtracer),
//! a context value keyed by a request-id type (`context.WithValue(ctx, ctxKeyRequestID{},
//! id)`), request-id keys used in code (`"X-Request-ID"` read or set, a `request_id` log
//! field, `bind(request_id=...)`, `MDC.put("requestId", ...)`), and trace ids written into
//! log records by an instrumentation (OpenTelemetry logging/pino/winston). A `trace_id`
//! key alone is not: it is as often span-context plumbing as a log field. A word inside a
//! longer string (a log message) does not count.

use tree_sitter::Node;

use crate::extract::common::{self, Lib, norm_key, qualified};
use crate::lang::NodeExt;

use crate::lang::Family;
use crate::lang::syntax::{self, string_value};
use crate::libs;
use crate::rule::Cx;
use crate::signals::SignalKind;

pub static STRUCTURED: &[Lib] = libs![
    Python "structlog" => StructuredLogs "structlog";
    Python "pythonjsonlogger" => StructuredLogs "python-json-logger";
    Python "json_log_formatter" => StructuredLogs "json-log-formatter";
    Python "ecs_logging" => StructuredLogs "ecs-logging";
    Python "google.cloud.logging.Client" => StructuredLogs "Cloud Logging handler";
    Python "google.cloud.logging.handlers.StructuredLogHandler" => StructuredLogs "Cloud Logging structured handler";
    Python "google.cloud.logging_v2.handlers.StructuredLogHandler" => StructuredLogs "Cloud Logging structured handler";
    Python "logstash_formatter" => StructuredLogs "logstash formatter";
    Go "go.uber.org/zap" => StructuredLogs "zap";
    Go "github.com/blendle/zapdriver" => StructuredLogs "zap (zapdriver)";
    Go "github.com/rs/zerolog" => StructuredLogs "zerolog";
    Go "github.com/sirupsen/logrus.JSONFormatter" => StructuredLogs "logrus JSONFormatter";
    Go "log/slog.NewJSONHandler" => StructuredLogs "slog JSONHandler";
    Go "github.com/go-kit/log.NewJSONLogger" => StructuredLogs "go-kit JSON logger";
    Go "github.com/go-kit/kit/log.NewJSONLogger" => StructuredLogs "go-kit JSON logger";
    Go "github.com/apex/log/handlers/json" => StructuredLogs "apex/log JSON handler";
    Go "go.elastic.co/ecszap" => StructuredLogs "ecszap";
    Go "go.elastic.co/ecslogrus" => StructuredLogs "ecslogrus";
    Go "cloud.google.com/go/logging" => StructuredLogs "Cloud Logging client";
    Go "github.com/hashicorp/go-hclog" => StructuredLogs "hclog (key-value, JSON option)";
    Go "github.com/go-kit/log.NewLogfmtLogger" => StructuredLogs "go-kit logfmt logger";
    Go "github.com/go-kit/kit/log.NewLogfmtLogger" => StructuredLogs "go-kit logfmt logger";
    Go "k8s.io/klog/v2.InfoS" => StructuredLogs "klog structured (InfoS)";
    Go "k8s.io/klog/v2.ErrorS" => StructuredLogs "klog structured (ErrorS)";
    Js "pino" => StructuredLogs "pino";
    Js "pino-http" => StructuredLogs "pino-http";
    Js "express-pino-logger" => StructuredLogs "pino";
    Js "nestjs-pino" => StructuredLogs "nestjs-pino";
    Js "bunyan" => StructuredLogs "bunyan";
    Js "winston.format.json" => StructuredLogs "winston JSON format";
    Js "winston.format.logstash" => StructuredLogs "winston logstash format";
    Js "@google-cloud/logging-winston" => StructuredLogs "Cloud Logging winston transport";
    Js "@google-cloud/logging-bunyan" => StructuredLogs "Cloud Logging bunyan stream";
    Js "@elastic/ecs-pino-format" => StructuredLogs "ECS pino format";
    Js "@elastic/ecs-winston-format" => StructuredLogs "ECS winston format";
    Java "net.logstash.logback" => StructuredLogs "logstash-logback-encoder";
    Java "co.elastic.logging" => StructuredLogs "ECS logging";
    Java "org.apache.logging.log4j.layout.template.json" => StructuredLogs "log4j2 JSON template layout";
];

pub static REQUEST_ID: &[Lib] = libs![
    Python "asgi_correlation_id" => RequestId "asgi-correlation-id";
    Python "django_guid" => RequestId "django-guid";
    Python "log_request_id" => RequestId "django-log-request-id";
    Python "flask_request_id_header" => RequestId "flask-request-id-header";
    Python "flask_log_request_id" => RequestId "flask-log-request-id";
    Python "starlette_context.plugins.RequestIdPlugin" => RequestId "starlette-context RequestIdPlugin";
    Python "starlette_context.plugins.CorrelationIdPlugin" => RequestId "starlette-context CorrelationIdPlugin";
    Python "opentelemetry.instrumentation.logging" => RequestId "trace ids in log records (LoggingInstrumentor)";
    Go "github.com/go-chi/chi/middleware.RequestID" => RequestId "chi RequestID middleware";
    Go "github.com/go-chi/chi/v5/middleware.RequestID" => RequestId "chi RequestID middleware";
    Go "github.com/labstack/echo/v4/middleware.RequestID" => RequestId "echo RequestID middleware";
    Go "github.com/labstack/echo/middleware.RequestID" => RequestId "echo RequestID middleware";
    Go "github.com/gin-contrib/requestid" => RequestId "gin-contrib/requestid";
    Go "github.com/gofiber/fiber/v2/middleware/requestid" => RequestId "fiber requestid middleware";
    Go "github.com/gofiber/fiber/v3/middleware/requestid" => RequestId "fiber requestid middleware";
    Js "express-request-id" => RequestId "express-request-id";
    Js "cls-rtracer" => RequestId "cls-rtracer";
    Js "express-correlation-id" => RequestId "express-correlation-id";
    Js "correlation-id" => RequestId "correlation-id";
    Js "@opentelemetry/instrumentation-pino" => RequestId "trace ids in pino logs";
    Js "@opentelemetry/instrumentation-winston" => RequestId "trace ids in winston logs";
];

/// Keys that name a request or correlation id, normalised (lowercase alphanumerics).
const REQUEST_ID_KEYS: &[&str] = &[
    "requestid",
    "xrequestid",
    "reqid",
    "httpreqid",
    "correlationid",
    "xcorrelationid",
    "genreqid",
    "requestidheader",
];

/// Whether `s`, normalised, equals one of the keys (no allocation).
fn is_request_id_key(s: &str) -> bool {
    if s.len() < 5 || s.len() > 40 {
        return false;
    }
    REQUEST_ID_KEYS.iter().any(|k| {
        let mut it = s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase());
        k.bytes().all(|b| it.next() == Some(b)) && it.next().is_none()
    })
}

/// Special cases beyond the tables; called for every node `libraries.rs` visits.
pub fn special(node: Node<'_>, cx: &mut Cx<'_>) {
    match (cx.family(), node.kind_name()) {
        (Family::Python, "class_definition") => py_json_formatter(node, cx),
        (Family::Python, "call") => {
            py_loguru(node, cx);
            string_args(node, cx);
        }
        (Family::Python, "keyword_argument") => {
            if let Some(n) = node.field("name")
                && is_request_id_key(cx.text(n))
            {
                cx.signal(SignalKind::RequestId, node, format!("{}=", cx.text(n)));
            }
        }
        (Family::Python | Family::Js, "pair") => {
            if let Some(k) = node.field("key") {
                let key = string_value(k, cx.src).unwrap_or_else(|| cx.text(k));
                if is_request_id_key(key) {
                    cx.signal(SignalKind::RequestId, node, format!("key {key:?}"));
                }
            }
        }
        (Family::Js, "shorthand_property_identifier") if is_request_id_key(cx.text(node)) => {
            cx.signal(
                SignalKind::RequestId,
                node,
                format!("key {}", cx.text(node)),
            );
        }
        (Family::Js, "call_expression") => {
            js_fastify_logger(node, cx);
            js_winston_json(node, cx);
            string_args(node, cx);
        }
        (Family::Go, "call_expression") => {
            go_context_value(node, cx);
            string_args(node, cx);
        }
        (Family::Go, "composite_literal") => go_map_keys(node, cx),
        (Family::Java, "method_invocation") => string_args(node, cx),
        _ => {}
    }
}

/// A request-id key passed as a call argument: `r.Header.Get("X-Request-ID")`,
/// `MDC.put("requestId", id)`, `log.WithField("request_id", id)`, `ContextVar("request_id")`.
fn string_args(call: Node<'_>, cx: &mut Cx<'_>) {
    let name = common::call_name(cx, call);
    // The first argument of a print or log call is its message, not a key.
    // Lower-cased on the stack: every call of the file comes through here.
    let mut buf = [0u8; 32];
    let heap;
    let lower = match buf.get_mut(..name.len()) {
        Some(b) => {
            b.copy_from_slice(name.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).unwrap_or("")
        }
        None => {
            heap = name.to_ascii_lowercase();
            heap.as_str()
        }
    };
    let message_sink = matches!(
        lower.trim_end_matches('f'),
        "print"
            | "println"
            | "sprint"
            | "info"
            | "debug"
            | "warn"
            | "warning"
            | "error"
            | "log"
            | "fatal"
            | "trace"
            | "critical"
            | "exception"
    );
    for (i, a) in common::args(call).into_iter().enumerate() {
        if i == 0 && message_sink {
            continue;
        }
        if let Some(s) = string_value(a, cx.src)
            && is_request_id_key(s)
        {
            cx.signal(SignalKind::RequestId, a, format!("{name}({s:?})"));
            return;
        }
    }
}

/// `context.WithValue(ctx, ctxKeyRequestID{}, id)`.
fn go_context_value(call: Node<'_>, cx: &mut Cx<'_>) {
    if common::call_name(cx, call) != "WithValue" {
        return;
    }
    let (_, resolved) = cx.callee(call);
    if resolved != "context.WithValue" {
        return;
    }
    let a = common::args(call);
    if let Some(k) = a.get(1) {
        let key = norm_key(cx.text(*k));
        if ["requestid", "correlationid", "reqid", "traceid"]
            .iter()
            .any(|n| key.contains(n))
        {
            cx.signal(
                SignalKind::RequestId,
                call,
                format!("context.WithValue({})", cx.text(*k)),
            );
        }
    }
}

/// Map literal keys: `logrus.Fields{"http.req.id": id}`.
fn go_map_keys(lit: Node<'_>, cx: &mut Cx<'_>) {
    let Some(body) = lit.field("body") else {
        return;
    };
    let mut c = body.walk();
    for el in body.named_children(&mut c) {
        if el.kind_name() != "keyed_element" {
            continue;
        }
        let Some(k) = el.named_child(0) else { continue };
        let k = if k.kind_name() == "literal_element" {
            k.named_child(0).unwrap_or(k)
        } else {
            k
        };
        if let Some(s) = string_value(k, cx.src)
            && is_request_id_key(s)
        {
            cx.signal(SignalKind::RequestId, el, format!("log field {s:?}"));
            return;
        }
    }
}

/// `class F(logging.Formatter)` whose body calls `json.dumps`.
fn py_json_formatter(class: Node<'_>, cx: &mut Cx<'_>) {
    let Some(bases) = class.field("superclasses") else {
        return;
    };
    let formatter = cx
        .imports()
        .resolve(cx.text(bases).trim_matches(['(', ')']).trim());
    if formatter != "logging.Formatter" {
        return;
    }
    let Some(body) = class.field("body") else {
        return;
    };
    let dumps = syntax::descendants(body).any(|d| {
        d.kind_name() == "call"
            && matches!(
                qualified(cx, d).as_deref(),
                Some("json.dumps" | "orjson.dumps" | "ujson.dumps")
            )
    });
    if dumps {
        cx.signal(
            SignalKind::StructuredLogs,
            class,
            "logging.Formatter subclass emitting JSON",
        );
    }
}

/// loguru `logger.add(sink, serialize=True)`.
fn py_loguru(call: Node<'_>, cx: &mut Cx<'_>) {
    if common::call_name(cx, call) != "add" {
        return;
    }
    if qualified(cx, call).as_deref() == Some("loguru.logger.add")
        && common::is_true(cx, syntax::kwarg(call, cx.src, "serialize"))
    {
        cx.signal(SignalKind::StructuredLogs, call, "loguru serialize=True");
    }
}

/// `fastify({ logger: true })`: fastify logs JSON through pino.
fn js_fastify_logger(call: Node<'_>, cx: &mut Cx<'_>) {
    if !matches!(
        common::call_name(cx, call),
        "fastify" | "Fastify" | "default" | "require"
    ) && !cx.text(call).starts_with("require(")
    {
        return;
    }
    let q = qualified(cx, call).unwrap_or_default();
    if !matches!(
        q.as_str(),
        "fastify" | "fastify.fastify" | "fastify.default"
    ) {
        return;
    }
    if let Some(obj) = common::args(call)
        .first()
        .filter(|o| o.kind_name() == "object")
        && let Some(v) = syntax::js_object_value(*obj, cx.src, "logger")
        && !matches!(cx.text(v), "false" | "undefined" | "null")
    {
        cx.signal(
            SignalKind::StructuredLogs,
            call,
            "fastify logger (pino JSON)",
        );
    }
}

/// `json()` from `const { combine, json } = winston.format`.
fn js_winston_json(call: Node<'_>, cx: &mut Cx<'_>) {
    if !matches!(common::call_name(cx, call), "json" | "logstash")
        || !cx.imports().has_module("winston")
    {
        return;
    }
    let Some(f) = call
        .field("function")
        .filter(|f| f.kind_name() == "identifier")
    else {
        return;
    };
    let name = cx.text(f);
    if !matches!(name, "json" | "logstash") {
        return;
    }
    let destructured = syntax::descendants(cx.root).any(|d| {
        d.kind_name() == "variable_declarator"
            && d.field("value")
                .is_some_and(|v| cx.text(v) == "winston.format")
            && d.field("name").is_some_and(|n| {
                n.kind_name() == "object_pattern"
                    && syntax::descendants(n).any(|x| {
                        x.kind_name() == "shorthand_property_identifier_pattern"
                            && cx.text(x) == name
                    })
            })
    });
    if destructured {
        cx.signal(
            SignalKind::StructuredLogs,
            call,
            format!("winston {name} format"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::*;

    fn kinds(
        s: &[(crate::signals::SignalKind, u32, String)],
        k: crate::signals::SignalKind,
    ) -> Vec<u32> {
        s.iter().filter(|x| x.0 == k).map(|x| x.1).collect()
    }

    #[test]
    fn go_logrus_json_and_request_id() {
        let s = signals(
            "main.go",
            "package main\nimport (\n\t\"context\"\n\t\"github.com/sirupsen/logrus\"\n)\nfunc main() {\n\tlog := logrus.New()\n\tlog.Formatter = &logrus.JSONFormatter{}\n\tctx = context.WithValue(ctx, ctxKeyRequestID{}, id)\n\tl := log.WithFields(logrus.Fields{\"http.req.id\": id})\n\tlog.Info(\"request id missing\")\n}\n",
        );
        assert_eq!(kinds(&s, StructuredLogs), vec![8]);
        assert_eq!(kinds(&s, RequestId), vec![9, 10]);
    }

    #[test]
    fn go_text_logrus_is_not_structured() {
        let s = signals(
            "main.go",
            "package main\nimport (\n\t\"fmt\"\n\t\"github.com/sirupsen/logrus\"\n\t\"github.com/google/uuid\"\n)\nfunc main() {\n\tlog := logrus.New()\n\tlog.Formatter = &logrus.TextFormatter{}\n\tfmt.Println(\"x\")\n\torderID := uuid.New()\n}\n",
        );
        assert!(kinds(&s, StructuredLogs).is_empty(), "{s:?}");
        assert!(kinds(&s, RequestId).is_empty(), "{s:?}");
    }

    #[test]
    fn python_json_logger_subclass_and_keys() {
        let s = signals(
            "logger.py",
            "import logging, json\nfrom pythonjsonlogger import jsonlogger\nclass F(jsonlogger.JsonFormatter):\n    pass\nclass G(logging.Formatter):\n    def format(self, r):\n        return json.dumps({'m': r.msg})\nlog = logging.getLogger(__name__)\nlog.info('x', extra={'request_id': rid})\nprint('request_id')\n",
        );
        assert_eq!(kinds(&s, StructuredLogs), vec![3, 5]);
        assert_eq!(kinds(&s, RequestId), vec![9]);
    }

    #[test]
    fn node_pino_winston_and_plain() {
        let s = signals(
            "logger.js",
            "const pino = require('pino');\nmodule.exports = pino({ name: 'x' });\n",
        );
        assert_eq!(kinds(&s, StructuredLogs), vec![2]);
        let w = signals(
            "log.js",
            "const winston = require('winston');\nconst { combine, timestamp, json } = winston.format;\nconst l = winston.createLogger({ format: combine(timestamp(), json()) });\n",
        );
        assert_eq!(kinds(&w, StructuredLogs), vec![3]);
        let c = signals(
            "a.js",
            "console.log(JSON.stringify({a: 1}));\nconst winston = 1;\n",
        );
        assert!(kinds(&c, StructuredLogs).is_empty());
    }
}
