//! `debug-log-formatted-eagerly-in-loop`: a debug log whose message is formatted before the
//! call, inside a loop on a request path, so the formatting runs even with debug off.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "debug-log-formatted-eagerly-in-loop",
    category: "COST",
    severity: Severity::P3,
    confidence: Confidence::Medium,
    preview: true,
    languages: &["python", "go", "java"],
    summary: "Debug log formatted eagerly inside a loop on a request path",
    docs: Docs {
        what: "A debug-level log call inside a loop of a request handler (or a function it calls) whose message is \
built before the call — Python `logger.debug(f\"...\")`, `%`-formatting, `.format()`, `+` concatenation; Java \
`log.debug(\"...\" + x)` outside an `isDebugEnabled()` guard; Go `logger.Debug(fmt.Sprintf(...))` — so the \
string is formatted on every iteration even when debug logging is off. Lazy forms (`logger.debug(\"%s\", x)`, \
`log.debug(\"{}\", x)`, zap fields) are not reported. Preview: the cost matters only on hot paths, which a static \
read can only approximate.",
        scenario: "Traffic grows, or requests carry large collections, and the loop runs thousands of times per \
request.",
        impact: "CPU and allocations are spent formatting strings that are thrown away: higher latency and cost \
per request for no output; if debug is ever switched on in production, log volume (and the log bill) explodes.",
        detection: "Profiles showing string formatting under logging calls; CPU per request higher than the work \
explains.",
        mitigation: "Pass arguments to the logger and let it format lazily, or guard expensive messages with \
`isEnabledFor(DEBUG)`/`isDebugEnabled()`; log one summary line per request instead of one per item.",
        fixes: &[
            (
                "python",
                "for item in items:\n    logger.debug(\"pricing %s at %s\", item.sku, item.price)  # lazy",
            ),
            (
                "go",
                "logger.Debug(\"pricing item\", zap.String(\"sku\", it.Sku), zap.Int64(\"price\", it.Price))",
            ),
            (
                "java",
                "log.debug(\"pricing {} at {}\", item.getSku(), item.getPrice());",
            ),
        ],
        monitoring: "CPU per request and log bytes per request, per route.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "api/views.py",
            r#"import logging
from flask import Flask, request

app = Flask(__name__)
logger = logging.getLogger(__name__)

@app.post("/price")
def price():
    for item in request.get_json()["items"]:
        logger.debug(f"pricing {item}")
        ^ formatted before the call
        logger.debug("pricing %s", item)
    return "ok"
"#
        ),
        case!(
            "api/ok.py",
            r#"import logging
logger = logging.getLogger(__name__)
def batch(items):
    for item in items:
        logger.debug(f"pricing {item}")
"#
        ),
        case!(
            "internal/api/h.go",
            r#"package api

import (
	"fmt"
	"net/http"

	"go.uber.org/zap"
)

func handler(w http.ResponseWriter, r *http.Request) {
	for _, k := range r.URL.Query()["k"] {
		logger.Debug(fmt.Sprintf("key %s", k))
		^ formatted before the call
		logger.Debug("key", zap.String("k", k))
	}
}
"#
        ),
        case!(
            "internal/api/ok.go",
            r#"package api

import "fmt"

func work(keys []string) {
	for _, k := range keys {
		logger.Debug(fmt.Sprintf("key %s", k))
	}
}
"#
        ),
        case!(
            "src/main/java/com/acme/Api.java",
            r#"package com.acme;

import org.springframework.web.bind.annotation.*;

@RestController
class Api {
    @PostMapping("/p")
    void p(@RequestBody java.util.List<String> items) {
        for (String i : items) {
            log.debug("item " + i);
            ^ formatted before the call
            log.debug("item {}", i);
            if (log.isDebugEnabled()) { log.debug("guarded " + i); }
        }
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Batch.java",
            r#"package com.acme;
class Batch {
    void run(java.util.List<String> items) {
        for (String i : items) { log.debug("item " + i); }
    }
}
"#
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
            Family::Js => &[],
            _ => reach::root_kinds(f),
        }
    }

    fn check(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        if !cx.src.contains(".debug(") && !cx.src.contains(".Debug(") {
            return;
        }
        let rp = cx.request_paths();
        if rp.is_empty() {
            return;
        }
        let mut sites = Vec::new();
        for n in descendants(root) {
            if !syntax::call_kinds(cx.family()).contains(&n.kind_name()) || !rp.contains(n) {
                continue;
            }
            let w = syntax::callee_text(n, cx.src);
            let m = syntax::last_segment(&w);
            if !matches!(m, "debug" | "Debug" | "trace" | "Trace") {
                continue;
            }
            if !in_loop(n, cx.family()) || guarded(n, cx) {
                continue;
            }
            let Some(first) = positional_args(n).into_iter().next() else {
                continue;
            };
            if eager(first, cx) {
                sites.push((n, w));
            }
        }
        for (n, w) in sites {
            cx.hit(&META, n, w.clone(), format!("`{w}` message formatted before the call, inside a loop on a request path: the formatting runs on every iteration even with debug logging off"));
        }
    }
}

fn in_loop(n: Node<'_>, f: Family) -> bool {
    syntax::inside_within_function(
        n,
        &[
            "for_statement",
            "while_statement",
            "enhanced_for_statement",
            "for_in_statement",
            "do_statement",
        ],
        f,
    )
}

fn guarded(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_name() == "if_statement" {
            let cond = p.field("condition").map(|c| cx.text(c)).unwrap_or("");
            if cond.contains("isDebugEnabled")
                || cond.contains("isEnabledFor")
                || cond.contains("isTraceEnabled")
                || cond.contains("Enabled(")
            {
                return true;
            }
        }
        if syntax::function_kinds(cx.family()).contains(&p.kind_name()) {
            return false;
        }
        cur = p.parent();
    }
    false
}

fn eager(arg: Node<'_>, cx: &Cx<'_>) -> bool {
    match cx.family() {
        Family::Python => {
            (arg.kind_name() == "string"
                && descendants(arg).any(|d| d.kind_name() == "interpolation"))
                || (arg.kind_name() == "binary_operator" && {
                    let t = cx.text(arg);
                    t.contains('%') || t.contains('+')
                })
                || (arg.kind_name() == "call"
                    && syntax::callee_text(arg, cx.src).ends_with(".format"))
        }
        Family::Java => arg.kind_name() == "binary_expression" && cx.text(arg).contains('+'),
        Family::Go => {
            arg.kind_name() == "call_expression"
                && matches!(
                    syntax::callee_text(arg, cx.src).as_str(),
                    "fmt.Sprintf" | "fmt.Sprint" | "fmt.Sprintln"
                )
        }
        Family::Js => false,
    }
}
