//! `http-server-without-timeouts`: an HTTP server that never times out a slow client.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, last_segment, receiver};
use crate::rule::{CodeRule, Cx, Docs, Handling, Requirement, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "http-server-without-timeouts",
    category: "TIMEOUT",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["go", "python"],
    summary: "HTTP server with no read/header timeout",
    docs: Docs {
        what: "An HTTP server that waits forever for a slow client: Go `http.ListenAndServe`/`ListenAndServeTLS` \
(which cannot take timeouts) and `http.Server{}` literals without `ReadHeaderTimeout` or `ReadTimeout`; the \
framework shortcuts that start such a server for you: gin's `Run`/`RunTLS` on an engine from `gin.Default()`/`gin.New()` \
(they call `http.ListenAndServe`) and echo's `Start`/`StartTLS` on an `echo.New()` instance (its `e.Server` has no \
timeouts unless the file sets `e.Server.ReadTimeout`/`ReadHeaderTimeout`); Python \
Flask's `app.run()` (the Werkzeug development server, which has no request timeouts) in production code; under \
`if __name__ == \"__main__\"` it is not reported when the component's Dockerfile or Procfile serves the app with \
gunicorn, uvicorn, hypercorn, granian, uWSGI or waitress (the guarded call is then a local-run convenience). Node's \
`http` server (60 s header / 300 s request defaults since Node 18), Tomcat, Jetty, Kestrel, gunicorn and uvicorn \
have finite defaults and are not reported.",
        scenario: "Clients on a slow network, or a deliberate Slowloris attack, open connections and send headers \
one byte at a time.",
        impact: "Each connection holds a goroutine/thread and a file descriptor forever; the server runs out of \
them and stops accepting requests. It is an outage a single client can cause.",
        detection: "Open connections and goroutines grow while request throughput does not; file-descriptor \
exhaustion errors (`too many open files`).",
        mitigation: "Construct the server explicitly with read-header, read, write and idle timeouts; serve \
Python apps with gunicorn/uvicorn rather than the development server.",
        fixes: &[
            (
                "go",
                "srv := &http.Server{\n    Addr:              addr,\n    Handler:           handler,\n    ReadHeaderTimeout: 5 * time.Second,\n    ReadTimeout:       30 * time.Second,\n    WriteTimeout:      30 * time.Second,\n    IdleTimeout:       120 * time.Second,\n}\nlog.Fatal(srv.ListenAndServe())",
            ),
            (
                "python",
                "# Procfile / Dockerfile CMD\ngunicorn --bind 0.0.0.0:8080 --workers 4 --timeout 30 app:app",
            ),
        ],
        monitoring: "Alert on open connections / goroutines growing without request growth and on file-descriptor \
usage near the limit.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "cmd/web/main.go",
            r#"package main

import (
	"net/http"
	"time"
)

func main() {
	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second}
	go srv.ListenAndServe()
	bad := &http.Server{Addr: ":9090"}
	       ^ `http.Server` without `ReadHeaderTimeout`
	go bad.ListenAndServe()
	http.ListenAndServe(":8081", nil)
	^ `http.ListenAndServe` cannot set timeouts
}
"#
        ),
        case!(
            "app.py",
            r#"from flask import Flask
app = Flask(__name__)

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
    ^ Flask development server
"#
        ),
        // The image serves the module with uWSGI: the guarded `app.run` never runs there.
        crate::rule::Case {
            files: &[
                (
                    "orders/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCOPY . /srv\nCMD [\"uwsgi\", \"--ini\", \"orders.ini\"]\n",
                ),
                (
                    "orders/orders.py",
                    r#"from flask import Flask
api = Flask(__name__)

@api.get("/orders")
def orders():
    return "[]"

if __name__ == "__main__":
    api.run(host="0.0.0.0", port=9000)
"#,
                ),
            ],
        },
        // A Procfile that starts gunicorn does the same.
        crate::rule::Case {
            files: &[
                (
                    "billing/Procfile",
                    "web: gunicorn --bind 0.0.0.0:$PORT billing:app\n",
                ),
                (
                    "billing/billing.py",
                    "from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(port=5001)\n",
                ),
            ],
        },
        // The image runs the module itself: the development server is what serves.
        crate::rule::Case {
            files: &[
                (
                    "quotes/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCOPY . /srv\nCMD [\"python\", \"quotes.py\"]\n",
                ),
                (
                    "quotes/quotes.py",
                    r#"from flask import Flask
web = Flask(__name__)

if __name__ == "__main__":
    web.run(host="0.0.0.0", port=7000)
    ^ Flask development server
"#,
                ),
            ],
        },
        // Outside the `__main__` guard the call runs on import, under any server.
        crate::rule::Case {
            files: &[
                (
                    "tags/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCOPY . /srv\nCMD [\"uwsgi\", \"--http\", \":8080\", \"--wsgi-file\", \"tags.py\"]\n",
                ),
                (
                    "tags/tags.py",
                    "from flask import Flask\nsite = Flask(__name__)\nsite.run(port=8080)\n^ Flask development server\n",
                ),
            ],
        },
        case!(
            "scripts/dev_server.py",
            "from flask import Flask\napp = Flask(__name__)\napp.run()\n"
        ),
        case!(
            "svc/wsgi.py",
            "from flask import Flask\napp = Flask(__name__)\n"
        ),
        case!(
            "cmd/api/main.go",
            r#"package main

import (
	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

func main() {
	engine := gin.New()
	engine.GET("/ping", func(c *gin.Context) { c.String(200, "pong") })
	go engine.RunTLS(":8443", "cert.pem", "key.pem")
	   ^ gin's `engine.RunTLS` starts `http.ListenAndServe`
	api := echo.New()
	go api.Start(":9000")
	   ^ echo's `api.Start` serves with `e.Server`
	web := gin.Default()
	if err := web.Run(":8080"); err != nil {
	          ^ gin's `web.Run` starts `http.ListenAndServe`
		panic(err)
	}
}
"#
        ),
        // Served through an explicit http.Server with timeouts; echo's server configured
        // before Start; a `Run` method on something that is not a gin engine.
        case!(
            "cmd/api2/main.go",
            r#"package main

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

type job struct{}

func (j *job) Run(addr string) error { return nil }

func main() {
	router := gin.Default()
	srv := &http.Server{Addr: ":8080", Handler: router, ReadHeaderTimeout: 5 * time.Second}
	go srv.ListenAndServe()
	e := echo.New()
	e.Server.ReadHeaderTimeout = 5 * time.Second
	go e.Start(":9000")
	j := &job{}
	_ = j.Run(":1")
}
"#
        ),
        case!(
            "cmd/ok/main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\nfunc main() {\n\tsrv := &http.Server{Addr: \":80\", ReadHeaderTimeout: 5 * time.Second}\n\t_ = srv.ListenAndServe()\n}\n"
        ),
    ],
};

pub struct Rule;
pub static RULE: Rule = Rule;

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Go => &["call_expression", "composite_literal"],
            Family::Python => &["call"],
            _ => &[],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Go => go(node, cx),
            Family::Python => python(node, cx),
            _ => {}
        }
    }
}

fn go(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "composite_literal" {
        let Some(t) = node.field("type") else {
            return;
        };
        if cx.imports().resolve(cx.text(t)) != "net/http.Server" {
            return;
        }
        let keys = syntax::go_literal_keys(node, cx.src);
        if keys
            .iter()
            .any(|k| k == "ReadHeaderTimeout" || k == "ReadTimeout")
        {
            return;
        }
        // Fields may be set after construction: `srv.ReadHeaderTimeout = ...`.
        if cx.src.contains(".ReadHeaderTimeout =") || cx.src.contains(".ReadTimeout =") {
            return;
        }
        let at = node
            .parent()
            .filter(|p| p.kind_name() == "unary_expression")
            .unwrap_or(node);
        cx.hit(&META, at, "http.Server{}", "`http.Server` without `ReadHeaderTimeout` or `ReadTimeout`: slow clients hold connections forever");
        return;
    }
    let (written, resolved) = cx.callee(node);
    if let Some(framework) = go_framework_server(&written, cx) {
        cx.hit(
            &META,
            node,
            written.clone(),
            if framework == "gin" {
                format!("gin's `{written}` starts `http.ListenAndServe` with no read or header timeout: slow clients hold connections forever (serve the engine through an `http.Server` with ReadHeaderTimeout)")
            } else {
                format!("echo's `{written}` serves with `e.Server`, which has no read or header timeout: slow clients hold connections forever (set `e.Server.ReadHeaderTimeout` before starting)")
            },
        );
        return;
    }
    if matches!(
        resolved.as_str(),
        "net/http.ListenAndServe" | "net/http.ListenAndServeTLS"
    ) {
        let name = resolved.trim_start_matches("net/");
        cx.hit(
            &META,
            node,
            name.to_string(),
            format!("`{name}` cannot set timeouts: slow clients hold connections forever (build an `http.Server` with ReadHeaderTimeout)"),
        );
    }
}

/// `engine.Run(addr)` on a gin engine or `e.Start(addr)` on an echo instance bound in
/// this file: both wrap a bare `http.Server` with no timeouts. Returns the framework.
fn go_framework_server(written: &str, cx: &Cx<'_>) -> Option<&'static str> {
    let recv = receiver(written)?;
    if !recv.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let framework = match last_segment(written) {
        "Run" | "RunTLS" => "gin",
        "Start" | "StartTLS" => {
            // echo exposes its server: timeouts set on it before Start count.
            if cx.src.contains(".ReadHeaderTimeout =") || cx.src.contains(".ReadTimeout =") {
                return None;
            }
            "echo"
        }
        _ => return None,
    };
    (go_web_engine(recv, cx) == Some(framework)).then_some(framework)
}

/// `"gin"` when `recv` is bound in this file to `gin.Default()`/`gin.New()`, `"echo"`
/// when bound to `echo.New()`.
pub(crate) fn go_web_engine(recv: &str, cx: &Cx<'_>) -> Option<&'static str> {
    cx.bindings().nodes(cx.root, recv).iter().find_map(|v| {
        if v.kind_name() != "call_expression" {
            return None;
        }
        let (_, r) = cx.callee(*v);
        match r.as_str() {
            "github.com/gin-gonic/gin.Default" | "github.com/gin-gonic/gin.New" => Some("gin"),
            "github.com/labstack/echo/v4.New" | "github.com/labstack/echo.New" => Some("echo"),
            _ => None,
        }
    })
}

fn python(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, _) = cx.callee(call);
    if last_segment(&written) != "run" {
        return;
    }
    let Some(recv) = receiver(&written) else {
        return;
    };
    let is_flask = cx.bindings().nodes(cx.root, recv).iter().any(|v| {
        v.kind_name() == "call"
            && cx.imports().resolve(&syntax::callee_text(*v, cx.src)) == "flask.Flask"
    });
    if !is_flask {
        return;
    }
    let _ = kwarg;
    let guarded = in_main_guard(call, cx);
    let hit = cx.hit(&META, call, "Flask.run", "Flask development server (`app.run`) in production code: no request timeouts, one process; serve with gunicorn or uvicorn");
    if guarded {
        hit.requires(Requirement::NoPythonAppServer);
    }
}

/// Under `if __name__ == "__main__":` (at any depth).
fn in_main_guard(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_name() == "if_statement"
            && p.field("condition").is_some_and(|c| {
                let t = cx.text(c);
                t.contains("__name__") && t.contains("__main__")
            })
        {
            return true;
        }
        cur = p.parent();
    }
    false
}
