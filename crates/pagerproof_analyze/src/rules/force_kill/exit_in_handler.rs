//! `process-exit-in-request-handler`: a request handler that ends the whole process
//! (`os._exit`, `sys.exit`, `process.exit`, `os.Exit`, `log.Fatal`, `System.exit`).

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::force_kill::enclosing_handler;

pub static META: RuleMeta = RuleMeta {
    id: "process-exit-in-request-handler",
    category: "FORCE-KILL",
    // P1, not the category's P2: any client that reaches this path takes the instance down
    // with every request in flight on it; repeated, it is an outage (and a denial of service).
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Request handler exits the whole process",
    docs: Docs {
        what: "A call that ends the process, inside a request handler: Python `os._exit`, `sys.exit`, `exit`, \
`os.abort` in a route-decorated function, a Django-style view (`def view(request, ...)`) or a gRPC servicer method; \
Go `os.Exit`, `log.Fatal*`, and any logger's `Fatal*` in an `http.HandlerFunc`-shaped function, a gin/echo/fiber \
handler or a gRPC method; Node `process.exit`/`process.abort` in a `(req, res)`, `(request, reply)`, `(ctx, next)` \
or `(call, callback)` handler; Java `System.exit`, `Runtime.exit`/`halt` in a Spring/JAX-RS endpoint, a servlet \
`doGet`/`doPost` or a gRPC method. Startup code (`main`, initialisation) is not reported: failing fast there is \
right.",
        scenario: "A request hits the failure path: a dependency error, an unexpected input, a bug.",
        impact: "The process dies with every in-flight request on it, skipping shutdown hooks, buffered logs and \
connection cleanup; any client that can trigger the path can crash every instance in turn, and the orchestrator's \
restarts turn it into a crash loop.",
        detection: "Container restarts and exit codes correlated with specific requests; 502/503 bursts for \
unrelated requests on the same instance; logs that end abruptly.",
        mitigation: "Return an error response (500, or a gRPC status) and log the error; if the process really is \
unrecoverable, mark it unhealthy and let the orchestrator drain and replace it.",
        fixes: &[
            (
                "python",
                "@app.post(\"/charge\")\ndef charge():\n    try:\n        ...\n    except GatewayError:\n        log.exception(\"charge failed\")\n        abort(502)",
            ),
            (
                "go",
                "if err != nil {\n    log.Printf(\"charge: %v\", err)\n    http.Error(w, \"upstream failed\", http.StatusBadGateway)\n    return\n}",
            ),
            (
                "javascript",
                "app.post('/charge', async (req, res, next) => {\n  try { res.json(await charge(req.body)); } catch (err) { next(err); }\n});",
            ),
            (
                "typescript",
                "app.post('/charge', async (req, res, next) => {\n  try { res.json(await charge(req.body)); } catch (err) { next(err); }\n});",
            ),
            (
                "java",
                "@PostMapping(\"/charge\")\nResponseEntity<?> charge(@RequestBody ChargeRequest r) {\n    try { return ResponseEntity.ok(service.charge(r)); }\n    catch (GatewayException e) { log.error(\"charge failed\", e); return ResponseEntity.status(502).build(); }\n}",
            ),
        ],
        monitoring: "Alert on container restarts and non-zero exit codes; correlate restarts with request logs.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/views.py",
            r#"import os
import sys
from flask import Flask
app = Flask(__name__)

@app.route("/charge", methods=["POST"])
def charge():
    if not gateway.ready():
        os._exit(1)
        ^ `os._exit` in an HTTP route handler
    return "ok"

class Payments:
    def Charge(self, request, context):
        sys.exit(1)
        ^ `sys.exit` in a gRPC handler

def main():
    if not config_ok():
        sys.exit(2)
"#
        ),
        case!(
            "internal/api/api.go",
            r#"package api

import (
	"log"
	"net/http"
	"os"
)

func charge(w http.ResponseWriter, r *http.Request) {
	if err := gateway.Charge(r.Context()); err != nil {
		log.Fatalf("charge: %v", err)
		^ `log.Fatalf` in an HTTP handler
	}
}

func (s *server) PlaceOrder(ctx context.Context, req *pb.PlaceOrderRequest) (*pb.PlaceOrderResponse, error) {
	os.Exit(1)
	^ `os.Exit` in a gRPC handler
	return nil, nil
}

func Start() {
	if err := listen(); err != nil {
		log.Fatal(err)
	}
}
"#
        ),
        case!(
            "src/server.js",
            r#"app.post('/charge', (req, res) => {
  if (!req.body) process.exit(1);
                 ^ `process.exit` in a request handler
  res.send('ok');
});
server.listen(port, (err) => {
  if (err) process.exit(1);
});
"#
        ),
        case!(
            "src/main/java/shop/PayController.java",
            r#"package shop;

class PayController {
    @PostMapping("/pay")
    String pay() {
        System.exit(1);
        ^ `System.exit` in an HTTP endpoint
        return "ok";
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
"#
        ),
        case!(
            "app/ok.py",
            "import sys\n\ndef main():\n    sys.exit(run())\n\nif __name__ == \"__main__\":\n    main()\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package main\n\nimport \"log\"\n\nfunc main() {\n\tif err := run(); err != nil {\n\t\tlog.Fatal(err)\n\t}\n}\n"
        ),
        case!(
            "src/ok.ts",
            "process.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n});\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    public static void main(String[] args) { System.exit(1); }\n}\n"
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
            Family::Python => &["call"],
            Family::Go => &["call_expression"],
            Family::Js => &["call_expression"],
            Family::Java => &["method_invocation"],
        }
    }

    fn check(&self, call: Node<'_>, cx: &mut Cx<'_>) {
        if call.kind_name() == "method_invocation"
            && !call
                .field("name")
                .is_some_and(|n| matches!(cx.text(n), "exit" | "halt"))
        {
            return;
        }
        let (w, r) = cx.callee(call);
        let exits = match cx.family() {
            Family::Python => matches!(
                r.as_str(),
                "os._exit" | "sys.exit" | "exit" | "quit" | "os.abort"
            ),
            Family::Go => {
                let last = syntax::last_segment(&w);
                r == "os.Exit"
                    || r.starts_with("log.Fatal")
                    || (matches!(last, "Fatal" | "Fatalf" | "Fatalln" | "Fatalw")
                        && crate::rules::log_context::is_logger_receiver(
                            syntax::receiver(&w).unwrap_or(""),
                        ))
            }
            Family::Js => matches!(w.as_str(), "process.exit" | "process.abort"),
            Family::Java => {
                w == "System.exit"
                    || w == "Runtime.getRuntime().exit"
                    || w == "Runtime.getRuntime().halt"
            }
        };
        if !exits {
            return;
        }
        let Some((_, what)) = enclosing_handler(call, cx) else {
            return;
        };
        let name = w.clone();
        cx.hit(
            &META,
            call,
            name.clone(),
            format!("`{name}` in {what}: one request on this path kills the whole process and every request in flight on it"),
        );
    }
}
