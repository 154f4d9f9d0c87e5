//! DEBUG: debug modes and debugging aids left on in production code.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::files;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::imports::unquote;
use crate::lang::syntax::{self, descendants, kwarg, last_segment, receiver};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static MODE: RuleMeta = RuleMeta {
    id: "debug-mode-enabled",
    category: "DEBUG",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript"],
    summary: "Framework debug mode switched on in production code",
    docs: Docs {
        what: "A web framework's debug mode hardcoded on: Flask `app.run(debug=True)`, `app.debug = True`, \
`app.config[\"DEBUG\"] = True`; FastAPI/Starlette `debug=True`; Django `DEBUG = True` in a settings module that is \
not a local/dev/test one; Gin `gin.SetMode(gin.DebugMode)`; Express `errorhandler()` middleware installed without \
an environment check. A debug flag read from the environment is not reported.",
        scenario: "The service runs in production with the flag as committed.",
        impact: "Flask/Werkzeug's debugger allows remote code execution from the error page; Django and Express \
show stack traces, settings and environment to anyone who triggers an error; debug modes also disable \
production safeguards and slow the service.",
        detection: "Error pages with stack traces visible from outside; security scanners flag the debugger.",
        mitigation: "Read the flag from configuration, default it to off, and fail startup if it is on in \
production.",
        fixes: &[
            (
                "python",
                "app.run(host=\"0.0.0.0\", port=port, debug=os.environ.get(\"FLASK_DEBUG\") == \"1\")\n# Django: DEBUG = os.environ.get(\"DJANGO_DEBUG\") == \"1\"",
            ),
            ("go", "gin.SetMode(gin.ReleaseMode)"),
            (
                "javascript",
                "if (process.env.NODE_ENV === 'development') app.use(errorhandler());",
            ),
            (
                "typescript",
                "if (process.env.NODE_ENV === 'development') app.use(errorhandler());",
            ),
        ],
        monitoring: "Alert on responses containing stack traces (a WAF or synthetic check can match them).",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app.py",
            r#"from flask import Flask
app = Flask(__name__)
app.config["DEBUG"] = True
^ `app.config["DEBUG"] = True`
if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
                            ^ `debug=True`
"#
        ),
        case!(
            "shop/settings.py",
            "import os\nDEBUG = True\n^ Django `DEBUG = True`\nALLOWED_HOSTS = ['*']\n"
        ),
        case!("shop/settings/local.py", "DEBUG = True\n"),
        case!(
            "svc/app.py",
            r#"import os
from fastapi import FastAPI
app = FastAPI(debug=os.getenv("DEBUG") == "1")
"#
        ),
        case!(
            "main.go",
            r#"package main

import "github.com/gin-gonic/gin"

func main() {
	gin.SetMode(gin.DebugMode)
	^ `gin.SetMode(gin.DebugMode)`
	gin.SetMode(gin.ReleaseMode)
}
"#
        ),
        case!(
            "server.js",
            r#"const errorhandler = require('errorhandler');
app.use(errorhandler());
        ^ `errorhandler()`
if (process.env.NODE_ENV === 'development') {
  app.use(errorhandler());
}
"#
        ),
        case!(
            "cmd/ok/main.go",
            "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() { gin.SetMode(gin.ReleaseMode) }\n"
        ),
        case!(
            "ok.ts",
            "import errorhandler from 'errorhandler';\nif (process.env.NODE_ENV !== 'production') {\n  app.use(errorhandler());\n}\n"
        ),
    ],
};

pub static EXPOSED: RuleMeta = RuleMeta {
    id: "debug-feature-exposed",
    category: "DEBUG",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Debugging aid reachable in production (gRPC reflection, pprof, stack traces to clients)",
    docs: Docs {
        what: "A debugging aid switched on unconditionally in production code: gRPC server reflection (Go \
`reflection.Register`, Python `enable_server_reflection`, Java `ProtoReflectionService`, Node `ReflectionService`), \
Go's `net/http/pprof` imported for its side effect (it registers `/debug/pprof` on the default mux), and error \
details with stack traces written to clients (Go `%+v` of an error in an HTTP handler, Node `err.stack` in a \
response, Python `traceback.format_exc()` returned from a handler), and routes whose own comment says they exist \
for debugging (`// debug only`, `# for debugging`) registered unconditionally (Express-style `app.get('/path', ...)`, \
Flask/FastAPI route decorators, Go `HandleFunc`/router methods). Guarded by a flag or environment check, they are \
not reported.",
        scenario: "Anyone who can reach the port explores the service or triggers an error.",
        impact: "Reflection hands out the full API schema, pprof exposes heap contents and lets callers burn CPU, \
stack traces reveal code paths, library versions and internal hosts: reconnaissance for an attacker and, for pprof, \
a denial-of-service lever.",
        detection: "External scans find `/debug/pprof` or reflection answering; error pages show stack frames.",
        mitigation: "Enable these aids only behind a flag or on an internal admin port; return generic errors to \
clients and log the details server-side.",
        fixes: &[
            (
                "go",
                "if os.Getenv(\"ENABLE_REFLECTION\") == \"1\" {\n    reflection.Register(srv)\n}\n// errors: log the details, send a generic message\nlog.WithError(err).Error(\"request failed\")\nhttp.Error(w, \"internal error\", http.StatusInternalServerError)",
            ),
            (
                "python",
                "if os.environ.get(\"ENABLE_REFLECTION\") == \"1\":\n    reflection.enable_server_reflection(SERVICE_NAMES, server)",
            ),
            (
                "javascript",
                "res.status(500).json({ error: 'internal error', requestId });\nlogger.error({ err, requestId }, 'request failed');",
            ),
            (
                "java",
                "if (Boolean.getBoolean(\"grpc.reflection\")) builder.addService(ProtoReflectionService.newInstance());",
            ),
        ],
        monitoring: "External checks that `/debug/pprof` and reflection do not answer on public ports.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "cmd/ship/main.go",
            r#"package main

import (
	"fmt"
	"net/http"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/reflection"
)

func main() {
	srv := grpc.NewServer()
	reflection.Register(srv)
	^ gRPC server reflection
	if os.Getenv("DEBUG") == "1" {
		reflection.Register(srv)
	}
}

func renderError(w http.ResponseWriter, err error) {
	msg := fmt.Sprintf("%+v", err)
	       ^ stack trace
	w.Write([]byte(msg))
}
"#
        ),
        case!(
            "cmd/api/main.go",
            r#"package main

import (
	"net/http"
	_ "net/http/pprof"
	^ `net/http/pprof`
)

func main() { http.ListenAndServe(":8080", nil) }
"#
        ),
        case!(
            "routes.js",
            r#"app.use((err, req, res, next) => {
  res.status(500).send(err.stack);
                       ^ `err.stack`
});
app.use((err, req, res, next) => {
  res.status(500).send('internal error');
});
"#
        ),
        case!(
            "svc/server.py",
            r#"from grpc_reflection.v1alpha import reflection
reflection.enable_server_reflection(names, server)
^ gRPC server reflection
"#
        ),
        case!(
            "src/main/java/a/Main.java",
            r#"package a;
import io.grpc.protobuf.services.ProtoReflectionService;
class Main {
    void start() {
        ServerBuilder.forPort(1).addService(ProtoReflectionService.newInstance()).build();
                                            ^ gRPC server reflection
    }
}
"#
        ),
        case!(
            "accounts/server.js",
            r#"const express = require('express');
const app = express();

// dump every account, for debugging only
app.get('/accounts', (req, res) => res.json(store.all()));
^ route `/accounts` is commented as a debugging aid

// list accounts of one team
app.get('/teams/:id/accounts', (req, res) => res.json(store.team(req.params.id)));

// debug-only: session dump
if (process.env.ENABLE_DEBUG_ROUTES === '1') {
  app.get('/sessions', (req, res) => res.json(sessions));
}
// TODO: this is hard to debug
app.post('/transfer', (req, res) => res.send('ok'));
"#
        ),
        case!(
            "inventory/app.py",
            r#"from flask import Flask
app = Flask(__name__)

# for debugging: shows the raw cache
@app.route("/cache")
^ route `/cache` is commented as a debugging aid
def cache():
    return {}

# stock levels
@app.route("/stock")
def stock():
    return {}
"#
        ),
        case!(
            "cmd/relay/main.go",
            r#"package main

import "net/http"

func main() {
	// debug endpoint: prints the routing table
	http.HandleFunc("/routes", dumpRoutes)
	^ route `/routes` is commented as a debugging aid
	// serves the relay
	http.HandleFunc("/relay", relay)
	http.ListenAndServe(":8080", nil)
}
"#
        ),
        case!(
            "svc/ok.py",
            "import traceback, logging\ndef handler():\n    logging.error(traceback.format_exc())\n    return {'error': 'internal'}\n"
        ),
        case!(
            "cmd/ok/main.go",
            "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc h(w http.ResponseWriter, err error) {\n\tlog.Printf(\"%+v\", err)\n\thttp.Error(w, fmt.Sprintf(\"failed: %v\", err), 500)\n}\n"
        ),
        case!(
            "ok.js",
            "app.use((err, req, res, next) => {\n  logger.error(err.stack);\n  res.status(500).json({ error: 'internal' });\n});\n"
        ),
        case!(
            "src/main/java/a/Ok.java",
            "package a;\nclass Ok {\n    void start() {\n        if (Boolean.getBoolean(\"reflection\")) { b.addService(ProtoReflectionService.newInstance()); }\n    }\n}\n"
        ),
    ],
};

pub struct ModeRule;
pub static MODE_RULE: ModeRule = ModeRule;
pub struct ExposedRule;
pub static EXPOSED_RULE: ExposedRule = ExposedRule;

impl CodeRule for ModeRule {
    fn meta(&self) -> &'static RuleMeta {
        &MODE
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call", "assignment"],
            Family::Go => &["call_expression"],
            Family::Js => &["call_expression"],
            Family::Java => &[],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => mode_python(node, cx),
            Family::Go => {
                let (_, r) = cx.callee(node);
                if r == "github.com/gin-gonic/gin.SetMode"
                    && syntax::positional_args(node)
                        .first()
                        .is_some_and(|a| cx.text(*a).ends_with("DebugMode"))
                {
                    cx.hit(
                        &MODE,
                        node,
                        "gin.SetMode",
                        "`gin.SetMode(gin.DebugMode)` hardcodes Gin's debug mode",
                    );
                }
            }
            Family::Js => {
                let (_, r) = cx.callee(node);
                if r == "errorhandler" && !guarded(node, cx) {
                    cx.hit(&MODE, node, "errorhandler", "`errorhandler()` middleware sends stack traces to clients; it is meant for development only");
                }
            }
            Family::Java => {}
        }
    }
}

/// Inside an `if` whose condition mentions an environment, debug flag or mode.
fn guarded(node: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut cur = node.parent();
    while let Some(p) = cur {
        if matches!(p.kind_name(), "if_statement" | "if_expression")
            && let Some(c) = p.field("condition")
        {
            let t = cx.text(c).to_ascii_lowercase();
            if [
                "env",
                "debug",
                "development",
                "dev",
                "flag",
                "enable",
                "getboolean",
            ]
            .iter()
            .any(|w| t.contains(w))
            {
                return true;
            }
        }
        cur = p.parent();
    }
    false
}

fn mode_python(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "assignment" {
        let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
            return;
        };
        if cx.text(r) != "True" || guarded(node, cx) {
            return;
        }
        let lt = cx.text(l).replace(' ', "");
        if lt == "DEBUG"
            && node
                .parent()
                .and_then(|p| p.parent())
                .is_some_and(|g| g.kind_name() == "module")
        {
            let name = files::base_name(cx.path);
            let dev_settings = ["local", "dev", "test", "develop"]
                .iter()
                .any(|w| name.contains(w))
                || cx.path.contains("/dev/");
            let is_settings = cx.path.contains("settings")
                || cx.src.contains("INSTALLED_APPS")
                || cx.src.contains("ALLOWED_HOSTS");
            if is_settings && !dev_settings {
                cx.hit(&MODE, node, "DEBUG", "Django `DEBUG = True` in a production settings module: error pages show code, settings and environment");
            }
        } else if lt.ends_with(".debug")
            || lt.ends_with("config[\"DEBUG\"]")
            || lt.ends_with("config['DEBUG']")
        {
            cx.hit(
                &MODE,
                node,
                lt.clone(),
                format!("`{lt} = True` hardcodes the framework's debug mode"),
            );
        }
        return;
    }
    let Some(d) = kwarg(node, cx.src, "debug") else {
        return;
    };
    if cx.text(d) != "True" || guarded(node, cx) {
        return;
    }
    let (written, resolved) = cx.callee(node);
    let is_app_run = last_segment(&written) == "run" && receiver(&written).is_some();
    let is_ctor = matches!(
        resolved.as_str(),
        "fastapi.FastAPI"
            | "starlette.applications.Starlette"
            | "flask.Flask"
            | "starlette.Starlette"
    );
    if is_app_run || is_ctor {
        let at = d.parent().unwrap_or(d);
        cx.hit(
            &MODE,
            at,
            "debug=True",
            format!(
                "`debug=True` on `{written}`: the framework's debugger and stack traces are on"
            ),
        );
    }
}

impl CodeRule for ExposedRule {
    fn meta(&self) -> &'static RuleMeta {
        &EXPOSED
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call"],
            Family::Go => &["call_expression", "import_spec"],
            Family::Js => &["call_expression", "new_expression"],
            Family::Java => &["method_invocation"],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Go => exposed_go(node, cx),
            Family::Python => {
                let (_, r) = cx.callee(node);
                debug_only_route(node, cx);
                if r.ends_with("reflection.enable_server_reflection") && !guarded(node, cx) {
                    cx.hit(&EXPOSED, node, "grpc reflection", "gRPC server reflection enabled unconditionally: the full API schema is served to any client");
                } else if r == "traceback.format_exc"
                    && syntax::ancestor(node, &["return_statement"]).is_some()
                {
                    cx.hit(
                        &EXPOSED,
                        node,
                        "traceback.format_exc",
                        "stack trace returned to the caller: internals leak to clients",
                    );
                }
            }
            Family::Js => {
                if node.kind_name() == "new_expression" {
                    let c = node.field("constructor").map(|c| cx.text(c)).unwrap_or("");
                    if c.ends_with("ReflectionService") && !guarded(node, cx) {
                        cx.hit(
                            &EXPOSED,
                            node,
                            "grpc reflection",
                            "gRPC server reflection enabled unconditionally",
                        );
                    }
                    return;
                }
                debug_only_route(node, cx);
                let (w, _) = cx.callee(node);
                if matches!(last_segment(&w), "send" | "json" | "end" | "write")
                    && let Some(args) = syntax::arguments(node)
                    && descendants(args).any(|d| {
                        d.kind_name() == "member_expression" && cx.text(d).ends_with(".stack")
                    })
                {
                    let at = descendants(args)
                        .find(|d| {
                            d.kind_name() == "member_expression" && cx.text(*d).ends_with(".stack")
                        })
                        .unwrap_or(node);
                    cx.hit(
                        &EXPOSED,
                        at,
                        "err.stack",
                        "`err.stack` sent in a response: stack traces leak to clients",
                    );
                }
            }
            Family::Java => {
                let t = syntax::callee_text(node, cx.src);
                if t == "ProtoReflectionService.newInstance" && !guarded(node, cx) {
                    cx.hit(
                        &EXPOSED,
                        node,
                        "grpc reflection",
                        "gRPC server reflection enabled unconditionally",
                    );
                }
            }
        }
    }
}

/// A route registration (`app.get('/path', h)`, `@app.route("/path")`,
/// `http.HandleFunc("/path", h)`) whose comment on the line just above says it is a
/// debugging aid, registered outside any condition.
fn debug_only_route(call: Node<'_>, cx: &mut Cx<'_>) {
    const METHODS: [&str; 14] = [
        "get",
        "post",
        "put",
        "delete",
        "patch",
        "all",
        "route",
        "api_route",
        "HandleFunc",
        "Handle",
        "GET",
        "POST",
        "Get",
        "Post",
    ];
    let (written, _) = cx.callee(call);
    if receiver(&written).is_none() || !METHODS.contains(&last_segment(&written)) {
        return;
    }
    let Some(path) = syntax::positional_args(call)
        .first()
        .and_then(|a| syntax::string_value(*a, cx.src))
        .filter(|p| p.starts_with('/'))
    else {
        return;
    };
    // The statement (or decorated definition) the call heads.
    let mut stmt = call;
    while let Some(p) = stmt.parent() {
        if matches!(
            p.kind_name(),
            "expression_statement" | "decorator" | "decorated_definition"
        ) {
            stmt = p;
            if p.kind_name() == "decorated_definition" || p.kind_name() == "expression_statement" {
                break;
            }
        } else if stmt == call && p.kind_name() == "await_expression" {
            stmt = p;
        } else {
            break;
        }
    }
    if stmt == call || guarded(stmt, cx) {
        return;
    }
    // A Go block's leading comment sits before its `statement_list`, not inside it.
    let before = stmt.prev_named_sibling().or_else(|| {
        stmt.parent()
            .filter(|p| p.kind_name() == "statement_list")
            .and_then(|p| p.prev_named_sibling())
    });
    let Some(comment) = before.filter(|c| {
        c.kind_name() == "comment" && c.end_position().row + 1 == stmt.start_position().row
    }) else {
        return;
    };
    let text = cx.text(comment).to_ascii_lowercase();
    let debug_aid = [
        "for debugging",
        "debugging only",
        "debug only",
        "debug-only",
        "debug endpoint",
        "debug route",
        "debugging purposes",
        "debug purposes",
    ]
    .iter()
    .any(|w| text.contains(w));
    if !debug_aid {
        return;
    }
    let note: String = cx
        .text(comment)
        .trim_start_matches(['/', '#', '*', ' '])
        .trim_end_matches(['*', '/', ' '])
        .chars()
        .take(60)
        .collect();
    let at = if stmt.kind_name() == "decorated_definition" {
        stmt.named_child(0).unwrap_or(call)
    } else {
        call
    };
    cx.hit(
        &EXPOSED,
        at,
        format!("debug route {path}"),
        format!("route `{path}` is commented as a debugging aid (\"{note}\") but is registered unconditionally in production code"),
    );
}

fn exposed_go(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "import_spec" {
        let path = node
            .field("path")
            .map(|p| unquote(cx.text(p)))
            .unwrap_or("");
        let name = node.field("name").map(|n| cx.text(n)).unwrap_or("");
        if path == "net/http/pprof" && name == "_" {
            cx.hit(&EXPOSED, node, "net/http/pprof", "`net/http/pprof` registers /debug/pprof on the default mux: heap dumps and CPU profiles for anyone who can reach it");
        }
        return;
    }
    debug_only_route(node, cx);
    let (_, r) = cx.callee(node);
    if r == "google.golang.org/grpc/reflection.Register" && !guarded(node, cx) {
        cx.hit(&EXPOSED, node, "reflection.Register", "gRPC server reflection enabled unconditionally: the full API schema is served to any client");
        return;
    }
    // fmt.Sprintf("%+v", err) inside an HTTP handler: pkg/errors stack traces to clients.
    if matches!(r.as_str(), "fmt.Sprintf" | "fmt.Fprintf") {
        let args = syntax::positional_args(node);
        let fmt_idx = if r == "fmt.Fprintf" { 1 } else { 0 };
        let Some(f) = args.get(fmt_idx) else { return };
        if !cx.text(*f).contains("%+v")
            || !args
                .iter()
                .skip(fmt_idx + 1)
                .any(|a| cx.text(*a).to_ascii_lowercase().contains("err"))
        {
            return;
        }
        let Some(func) = syntax::enclosing_function(node, Family::Go) else {
            return;
        };
        let params = func.field("parameters").map(|p| cx.text(p)).unwrap_or("");
        if params.contains("http.ResponseWriter") {
            cx.hit(
                &EXPOSED,
                node,
                "%+v",
                "error formatted with `%+v` in an HTTP handler: stack traces reach the client",
            );
        }
    }
}
