//! `request-logged-whole`: a whole request body, header map or request message written
//! to logs, with whatever the client sent in it.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::log_context::{log_call, logged_values};
use crate::rules::log_sensitive::{enclosing_names, sensitive_context};

pub static META: RuleMeta = RuleMeta {
    id: "request-logged-whole",
    category: "LOG-SENSITIVE",
    // P1 by default: what a body holds depends on the endpoint. Raised to P0 when the
    // handler takes payments or credentials.
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Whole request body, headers or request message written to logs",
    docs: Docs {
        what: "A logging call that writes a whole request: Flask/Django/FastAPI `request.json`, `get_json()`, \
`request.data`, `request.form`, `request.body`, `request.POST`, `request.headers`, `request.META`; Express/Koa \
`req.body`, `req.headers`, `ctx.request.body`, Lambda `event.body`; Go `r.Header`, `r.Form`, `r.PostForm`; and the \
request message of an RPC or controller (a gRPC servicer's `request`, Node `call.request`, a Go `*pb.XRequest` \
parameter, a Spring `@RequestBody` parameter) when the handler's name says it deals with payments, credentials, \
accounts, orders or personal data. Reported P0 when the handler is about payments or credentials (card numbers, \
passwords), P1 otherwise. Logging selected fields is not reported here (`secret-logged` and `personal-data-logged` \
judge fields).",
        scenario: "A client sends what the endpoint is for: a card number, a password, an address, a token in a \
header.",
        impact: "Every field of every request, present and future, lands in the logs: card data (a PCI breach), \
passwords and bearer tokens (account takeover for anyone with log access), personal data beyond retention rules.",
        detection: "Secret and PII scanners over log storage; a security review of log samples.",
        mitigation: "Log identifiers and the few fields needed to debug (an order id, a user id, sizes and types), \
never the body or the header map; add logger-level redaction for sensitive paths as a safety net.",
        fixes: &[
            (
                "python",
                "log.info(\"charge requested\", extra={\"order_id\": request.order_id, \"amount\": request.amount.units})",
            ),
            (
                "go",
                "log.WithField(\"order_id\", req.OrderId).Info(\"charge requested\")",
            ),
            (
                "javascript",
                "logger.info({ orderId: call.request.order_id, currency: call.request.amount.currency_code }, 'charge requested');",
            ),
            (
                "typescript",
                "logger.info({ orderId: req.body.orderId }, 'charge requested');",
            ),
            (
                "java",
                "log.info(\"charge requested for order {}\", body.getOrderId());",
            ),
        ],
        monitoring: "Scan log storage for card-number, token and email patterns; alert on hits from new sources.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/views.py",
            r#"import logging
from flask import Flask, request
log = logging.getLogger(__name__)

@app.post("/signup")
def signup():
    log.info("signup %s", request.json)
                          ^ `request.json`
    log.info("signup for %s", request.json["username"])
    return "ok"
"#
        ),
        case!(
            "app/servicer.py",
            r#"import logging
logger = logging.getLogger(__name__)

class PaymentServicer:
    def Charge(self, request, context):
        logger.info("charge %s", request)
                                 ^ `request`
    def GetProduct(self, request, context):
        logger.info("get %s", request)
"#
        ),
        case!(
            "src/payment.js",
            r#"class Server {
  static ChargeServiceHandler(call, callback) {
    logger.info(`Charge invoked with request ${JSON.stringify(call.request)}`);
                                                              ^ `call.request`
  }
}
app.post('/login', (req, res) => {
  console.log(req.body);
              ^ `req.body`
  console.log(req.body.username);
});
"#
        ),
        case!(
            "internal/api/api.go",
            r#"package api

import (
	"log"
	"net/http"
)

func login(w http.ResponseWriter, r *http.Request) {
	log.Printf("headers: %v", r.Header)
	                          ^ `r.Header`
	log.Printf("path: %s", r.URL.Path)
}

func (s *server) Charge(ctx context.Context, req *pb.ChargeRequest) (*pb.ChargeResponse, error) {
	log.Printf("charge: %+v", req)
	                          ^ `req`
	return nil, nil
}
"#
        ),
        case!(
            "src/main/java/shop/PayController.java",
            r#"package shop;

class PayController {
    @PostMapping("/pay")
    Receipt pay(@RequestBody PaymentRequest body) {
        log.info("pay {}", body);
                           ^ `body`
        log.info("pay order {}", body.getOrderId());
        return null;
    }
}
"#
        ),
        case!(
            "app/ok.py",
            "import logging\nfrom flask import request\nlog = logging.getLogger(__name__)\nlog.info(\"path %s\", request.path)\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nfunc (s *server) GetProduct(ctx context.Context, req *pb.GetProductRequest) (*pb.Product, error) {\n\tlog.Printf(\"get %v\", req)\n\treturn nil, nil\n}\n"
        ),
        case!(
            "src/ok.js",
            "app.get('/items', (req, res) => {\n  logger.info({ query: req.query.page }, 'list');\n});\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    Item get(@RequestBody ItemQuery q) { log.info(\"get {}\", q); return null; }\n}\n"
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
        syntax::call_kinds(f)
    }

    fn check(&self, call: Node<'_>, cx: &mut Cx<'_>) {
        if call.kind_name() == "new_expression" || call.kind_name() == "object_creation_expression"
        {
            return;
        }
        let Some(lc) = log_call(call, cx) else { return };
        if !crate::rules::log_sensitive::judged(&lc, cx) {
            return;
        }
        for (_, v) in logged_values(call, cx) {
            let Some(what) = whole_request(v, cx) else {
                continue;
            };
            let names = enclosing_names(call, cx);
            let critical = names.iter().any(|n| payment_or_credentials(n))
                || payment_or_credentials(crate::files::base_name(cx.path));
            let sev = if critical { Severity::P0 } else { Severity::P1 };
            let why = if critical {
                "this handler takes payments or credentials, so card numbers, passwords or tokens end up in the logs"
            } else {
                "every field the client sends (passwords, tokens, personal data) ends up in the logs"
            };
            cx.hit(
                &META,
                v,
                what.clone(),
                format!("`{}` writes the whole `{what}`: {why}", lc.name),
            )
            .severity(sev);
            return;
        }
    }
}

fn payment_or_credentials(n: &str) -> bool {
    let l = n.to_ascii_lowercase();
    [
        "charge",
        "pay",
        "card",
        "login",
        "signin",
        "password",
        "credential",
    ]
    .iter()
    .any(|k| l.contains(k))
}

const WHOLE: &[&str] = &[
    // Python
    "request.json",
    "request.get_json()",
    "request.data",
    "request.form",
    "request.body",
    "request.POST",
    "request.headers",
    "request.META",
    "request.values",
    "self.request.data",
    "self.request.body",
    "request.json()",
    "request.body()",
    "request.form()",
    // JavaScript
    "req.body",
    "req.headers",
    "ctx.request.body",
    "ctx.request.headers",
    "ctx.headers",
    "event.body",
    "event.headers",
    // Go
    "r.Header",
    "req.Header",
    "r.Form",
    "r.PostForm",
];

/// Whether a logged value is a whole request; its text for the message.
fn whole_request(v: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let t: String = cx.text(v).chars().filter(|c| !c.is_whitespace()).collect();
    if WHOLE.contains(&t.as_str()) {
        // `request.data` etc. only mean the HTTP request in files that handle one.
        return Some(t);
    }
    // The request message of a handler whose name says it is sensitive.
    let candidate = match cx.family() {
        Family::Js => t == "call.request",
        Family::Python => t == "request",
        Family::Go | Family::Java => v.kind_name() == "identifier",
    };
    if !candidate {
        return None;
    }
    let names = enclosing_names(v, cx);
    let sensitive = names.iter().any(|n| sensitive_context(n));
    if !sensitive {
        return None;
    }
    match cx.family() {
        Family::Js if t == "call.request" => Some(t),
        Family::Python if t == "request" => {
            let func = syntax::enclosing_function(v, Family::Python)?;
            let params = func.field("parameters").map(|p| cx.text(p))?;
            let p: String = params.chars().filter(|c| !c.is_whitespace()).collect();
            (p.starts_with("(self,request,context")).then_some(t)
        }
        Family::Go if v.kind_name() == "identifier" => {
            let func = syntax::enclosing_function(v, Family::Go)?;
            let params = func.field("parameters")?;
            let mut c = params.walk();
            let found = params.named_children(&mut c).any(|p| {
                p.field("name").is_some_and(|n| cx.text(n) == t)
                    && p.field("type").is_some_and(|ty| {
                        let ty = cx.text(ty);
                        ty.starts_with('*') && ty.ends_with("Request")
                    })
            });
            found.then_some(t)
        }
        Family::Java if v.kind_name() == "identifier" => {
            let func = syntax::enclosing_function(v, Family::Java)?;
            let params = func.field("parameters")?;
            let mut c = params.walk();
            let found = params.named_children(&mut c).any(|p| {
                cx.text(p).contains("@RequestBody")
                    && p.field("name").is_some_and(|n| cx.text(n) == t)
            });
            found.then_some(t)
        }
        _ => None,
    }
}
