//! `outbound-fan-out-per-request`: a request handler that makes one outbound call per
//! element of a collection the caller sends, with no cap on its size.

use std::collections::BTreeSet;

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "outbound-fan-out-per-request",
    category: "COST",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "One outbound call per item of a caller-controlled list, with no cap",
    docs: Docs {
        what: "A request handler (route, view, RPC method) that loops over a collection taken from the request — a \
parameter of the handler or a value decoded from it (`body[\"ids\"]`, `req.body.items`, `req.Items`, \
`request.getIds()`) — and makes an outbound call (HTTP client, gRPC stub, SDK client, `fetch`/`axios`) for each \
element, when nothing in the handler bounds the collection's size (a `len(...)`/`.length`/`.size()` check, a \
slice such as `[:50]`/`.slice(0, 50)`, `limit`). `Promise.all(items.map(...))` and a goroutine per item are \
reported as unbounded concurrency too. Schema-level limits declared elsewhere (pydantic `max_length`, \
`@Size(max=...)` on the DTO) are not seen, which is why the confidence is medium.",
        scenario: "A client (or an attacker, or a buggy integration) sends a request with thousands of ids.",
        impact: "One request turns into thousands of outbound calls: the handler holds a worker for minutes, the \
dependency is flooded (and may rate-limit the whole service), paid APIs bill per call, and with parallel \
fan-out the process can exhaust sockets or memory.",
        detection: "A few requests dominating outbound call volume; latency outliers on one route that scale with \
the request size.",
        mitigation: "Validate the size of request collections (reject above a limit with 400/413), batch the \
calls (one call with many ids), and cap concurrency (a semaphore, `p-limit`, `errgroup.SetLimit`).",
        fixes: &[
            (
                "python",
                "MAX_IDS = 100\nif len(body[\"ids\"]) > MAX_IDS:\n    raise HTTPException(413, f\"at most {MAX_IDS} ids\")\nprices = pricing.get_many(body[\"ids\"])  # one batched call",
            ),
            (
                "go",
                "if len(req.Items) > maxItems {\n    return nil, status.Errorf(codes.InvalidArgument, \"at most %d items\", maxItems)\n}\ng, ctx := errgroup.WithContext(ctx)\ng.SetLimit(8)",
            ),
            (
                "javascript",
                "if (req.body.ids.length > 100) return res.status(413).end();\nconst limit = pLimit(8);\nawait Promise.all(req.body.ids.map((id) => limit(() => fetchItem(id))));",
            ),
            (
                "typescript",
                "if (ids.length > 100) return res.status(413).end();\nconst limit = pLimit(8);\nawait Promise.all(ids.map((id) => limit(() => fetchItem(id))));",
            ),
            (
                "java",
                "if (request.getIds().size() > 100) throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE);\nList<Item> items = catalogClient.getMany(request.getIds());",
            ),
        ],
        monitoring: "Track outbound calls per inbound request (a histogram) and alert on the tail.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "api/prices.py",
            r#"import requests
from flask import Flask, request

app = Flask(__name__)

@app.post("/prices")
def prices():
    body = request.get_json()
    out = []
    for sku in body["skus"]:
    ^ one outbound call per element of `body["skus"]`
        out.append(requests.get(f"https://pricing/{sku}", timeout=2).json())
    return {"prices": out}

@app.post("/bounded")
def bounded():
    body = request.get_json()
    if len(body["skus"]) > 50:
        return "too many", 413
    return [requests.get(f"https://pricing/{s}", timeout=2).json() for s in body["skus"]]
"#
        ),
        case!(
            "api/local.py",
            r#"from flask import Flask, request
app = Flask(__name__)

@app.post("/sum")
def total():
    return {"sum": sum(x * 2 for x in request.get_json()["values"])}
"#
        ),
        case!(
            "internal/cart/server.go",
            r#"package cart

import (
	"context"

	pb "example.com/shop/genproto"
)

type server struct{ catalog pb.CatalogClient }

func (s *server) Quote(ctx context.Context, req *pb.QuoteRequest) (*pb.QuoteResponse, error) {
	for _, item := range req.Items {
	^ one outbound call per element of `req.Items`
		go func(id string) {
			s.catalog.GetProduct(ctx, &pb.GetProductRequest{Id: id})
		}(item.Id)
	}
	return &pb.QuoteResponse{}, nil
}

func (s *server) Check(ctx context.Context, req *pb.CheckRequest) (*pb.CheckResponse, error) {
	if len(req.Items) > 20 {
		return nil, errTooMany
	}
	for _, item := range req.Items {
		s.catalog.GetProduct(ctx, &pb.GetProductRequest{Id: item.Id})
	}
	return &pb.CheckResponse{}, nil
}
"#
        ),
        case!(
            "internal/cart/ok.go",
            r#"package cart

import (
	"context"

	pb "example.com/shop/genproto"
)

func (s *server) Total(ctx context.Context, req *pb.TotalRequest) (*pb.TotalResponse, error) {
	sum := 0
	for _, item := range req.Items {
		sum += int(item.Quantity)
	}
	return &pb.TotalResponse{Sum: int32(sum)}, nil
}
"#
        ),
        case!(
            "src/routes.js",
            r#"const express = require('express');
const app = express();
app.post('/enrich', async (req, res) => {
  const results = await Promise.all(req.body.urls.map((u) => fetch(u)));
                                    ^ one outbound call per element of `req.body.urls`
  res.json(results.length);
});
app.post('/few', async (req, res) => {
  const urls = req.body.urls.slice(0, 10);
  res.json(await Promise.all(urls.map((u) => fetch(u))));
});
"#
        ),
        case!(
            "src/ok.ts",
            r#"import express from 'express';
const app = express();
app.post('/names', (req, res) => {
  res.json(req.body.users.map((u: { name: string }) => u.name.toUpperCase()));
});
"#
        ),
        case!(
            "src/main/java/com/acme/QuoteController.java",
            r#"package com.acme;

import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

@RestController
class QuoteController {
    private final RestTemplate restTemplate = new RestTemplate();

    @PostMapping("/quotes")
    java.util.List<Object> quotes(@RequestBody QuoteRequest request) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        for (String id : request.getIds()) {
        ^ one outbound call per element of `request.getIds()`
            out.add(restTemplate.getForObject("http://catalog/items/" + id, Object.class));
        }
        return out;
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Ok.java",
            r#"package com.acme;
import org.springframework.web.bind.annotation.*;
@RestController
class Ok {
    @PostMapping("/n")
    int n(@RequestBody QuoteRequest request) {
        int n = 0;
        for (String id : request.getIds()) { n += id.length(); }
        return n;
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
        reach::root_kinds(f)
    }

    fn check(&self, _root: Node<'_>, cx: &mut Cx<'_>) {
        let rp = cx.request_paths();
        let mut found: Vec<(Node<'_>, String, bool)> = Vec::new();
        for e in &rp.entries {
            let derived = request_names(e.func, cx);
            if derived.is_empty() {
                continue;
            }
            let func_text = cx.text(e.func);
            if !(func_text.contains("for")
                || func_text.contains(".map(")
                || func_text.contains(".forEach("))
            {
                continue;
            }
            for n in descendants(e.func) {
                let Some((iter, body, parallel)) = loop_parts(n, cx) else {
                    continue;
                };
                let iter_text = cx.text(iter).trim().to_string();
                let root = root_ident(&iter_text);
                if !derived.contains(&root)
                    || bounded(func_text, &iter_text, &root)
                    || capped_locals(e.func, cx).contains(&root)
                {
                    continue;
                }
                if !descendants(body).any(|c| is_outbound(c, cx)) {
                    continue;
                }
                // Nested loops inside a reported one are the same fan-out.
                if found
                    .iter()
                    .any(|(f, _, _)| f.byte_range().contains(&n.start_byte()))
                {
                    continue;
                }
                let go_per_item = descendants(body).any(|c| c.kind_name() == "go_statement");
                found.push((n, iter_text, parallel || go_per_item));
            }
        }
        for (n, iter, parallel) in found {
            let how = if parallel {
                "all at once, with no concurrency cap"
            } else {
                "one after the other"
            };
            cx.hit(
                &META,
                n,
                iter.clone(),
                format!("one outbound call per element of `{iter}`, which the caller controls, {how}, and nothing bounds its size: a single request can trigger thousands of calls"),
            );
        }
    }
}

/// Names that hold request data in a handler: its parameters (minus framework plumbing)
/// and locals assigned from expressions that use them.
fn request_names(func: Node<'_>, cx: &Cx<'_>) -> BTreeSet<String> {
    const PLUMBING: &[&str] = &[
        "self", "cls", "this", "ctx", "context", "w", "res", "response", "reply", "next",
        "callback", "cb", "info", "session", "db", "s", "h",
    ];
    let mut names: BTreeSet<String> = reach::params(func, cx)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| !n.is_empty() && !PLUMBING.contains(&n.as_str()))
        .collect();
    // Python/Flask: the global `request`.
    if cx.family() == Family::Python && cx.imports().resolve("request").ends_with(".request") {
        names.insert("request".to_string());
    }
    // Locals that are the request data itself or a part of it: `body = request.get_json()`,
    // `ids = body["ids"]`, `items := req.Items`, `data = json.loads(request.data)`. Results
    // of other calls that merely take the request as an argument (queries, services) are
    // server-side data, not caller-sized.
    for _ in 0..2 {
        for n in descendants(func) {
            let (l, r) = match n.kind_name() {
                "assignment" | "assignment_expression" | "short_var_declaration" => {
                    (n.field("left"), n.field("right"))
                }
                "variable_declarator" => (n.field("name"), n.field("value")),
                _ => continue,
            };
            let (Some(l), Some(r)) = (l, r) else { continue };
            let rt = cx.text(r).trim();
            let rt = rt
                .strip_prefix("await ")
                .unwrap_or(rt)
                .trim_start_matches('(');
            let direct = names.contains(&root_ident(rt));
            let parsed = ["json.loads(", "JSON.parse(", "json.Unmarshal("]
                .iter()
                .any(|p| {
                    rt.strip_prefix(p)
                        .is_some_and(|a| names.contains(&root_ident(a)))
                });
            if direct || parsed {
                for part in cx.text(l).split(',') {
                    let p = part.trim();
                    if !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_') {
                        names.insert(p.to_string());
                    }
                }
            }
        }
    }
    names
}

fn root_ident(expr: &str) -> String {
    expr.trim_start_matches(['*', '&', '('])
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("")
        .to_string()
}

/// Locals assigned from a slice or a limit (`urls = req.body.urls.slice(0, 10)`).
fn capped_locals(func: Node<'_>, cx: &Cx<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for n in descendants(func) {
        let (l, r) = match n.kind_name() {
            "assignment" | "assignment_expression" | "short_var_declaration" => {
                (n.field("left"), n.field("right"))
            }
            "variable_declarator" => (n.field("name"), n.field("value")),
            _ => continue,
        };
        let (Some(l), Some(r)) = (l, r) else { continue };
        let rt = cx.text(r);
        if rt.contains(".slice(")
            || rt.contains("[:")
            || rt.contains(".limit(")
            || rt.contains("islice")
            || rt.contains(".take(")
        {
            out.insert(cx.text(l).trim().to_string());
        }
    }
    out
}

/// Whether the handler bounds the collection before looping over it.
fn bounded(func_text: &str, iter: &str, root: &str) -> bool {
    let compact: String = func_text.chars().filter(|c| !c.is_whitespace()).collect();
    let it: String = iter.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains(&format!("len({it})"))
        || compact.contains(&format!("{it}.length"))
        || compact.contains(&format!("{it}.size()"))
        || compact.contains(&format!("len({root}"))
        || it.contains("[:")
        || it.contains(".slice(")
        || it.contains(".limit(")
        || it.contains("islice")
        || it.contains(".take(")
        || compact.to_ascii_lowercase().contains("max_items")
}

/// A loop (or parallel map) at `n`: (iterable, body, parallel).
fn loop_parts<'t>(n: Node<'t>, cx: &Cx<'t>) -> Option<(Node<'t>, Node<'t>, bool)> {
    match (cx.family(), n.kind_name()) {
        (Family::Python, "for_statement") => Some((n.field("right")?, n.field("body")?, false)),
        (Family::Python, "list_comprehension" | "generator_expression" | "set_comprehension") => {
            let clause = descendants(n).find(|d| d.kind_name() == "for_in_clause")?;
            let parallel = n.parent().and_then(|p| p.parent()).is_some_and(|g| {
                g.kind_name() == "call" && syntax::callee_text(g, cx.src).ends_with("gather")
            }) || n.parent().is_some_and(|p| p.kind_name() == "list_splat");
            Some((clause.field("right")?, n.field("body")?, parallel))
        }
        (Family::Go, "for_statement") => {
            let rc = descendants(n).find(|d| d.kind_name() == "range_clause")?;
            Some((rc.field("right")?, n.field("body")?, false))
        }
        (Family::Js, "for_in_statement") => Some((n.field("right")?, n.field("body")?, false)),
        (Family::Js, "call_expression") => {
            let f = n.field("function")?;
            if f.kind_name() != "member_expression" {
                return None;
            }
            let m = cx.text(f.field("property")?);
            if !matches!(m, "map" | "forEach" | "flatMap") {
                return None;
            }
            let cb = syntax::positional_args(n).into_iter().next()?;
            let parallel = m == "map"
                && n.parent().and_then(|a| a.parent()).is_some_and(|p| {
                    p.kind_name() == "call_expression" && {
                        let c = syntax::callee_text(p, cx.src);
                        c == "Promise.all" || c == "Promise.allSettled"
                    }
                });
            Some((f.field("object")?, cb, parallel))
        }
        (Family::Java, "enhanced_for_statement") => {
            Some((n.field("value")?, n.field("body")?, false))
        }
        _ => None,
    }
}

/// An outbound network call: HTTP clients, gRPC stubs and SDK clients.
fn is_outbound(n: Node<'_>, cx: &Cx<'_>) -> bool {
    if !syntax::call_kinds(cx.family()).contains(&n.kind_name()) {
        return false;
    }
    let (w, r) = cx.callee(n);
    let lower = w.to_ascii_lowercase();
    let r_lower = r.to_ascii_lowercase();
    // A receiver that is a variable or field (`client.get`, `self.stub.Get`), not a class
    // (`OAuth2Client.model_validate`).
    let is_var = syntax::receiver(&w)
        .and_then(|x| x.chars().next())
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let recv = if is_var {
        syntax::receiver(&lower).unwrap_or("")
    } else {
        ""
    };
    match cx.family() {
        Family::Python => {
            r_lower.starts_with("requests.")
                || r_lower.starts_with("httpx.")
                || r_lower.starts_with("urllib.request.")
                || recv.contains("client")
                || recv.contains("stub")
                || recv.ends_with("session") && !recv.contains("db")
        }
        Family::Go => {
            // Methods that take the request context are I/O (RPC stubs, DB, SDK clients).
            let ctx_first = syntax::positional_args(n)
                .first()
                .is_some_and(|a| matches!(cx.text(*a), "ctx" | "context"));
            matches!(
                r.as_str(),
                "net/http.Get" | "net/http.Post" | "net/http.Head" | "net/http.PostForm"
            ) || r.starts_with("net/http.DefaultClient.")
                || recv.contains("client")
                || (w.ends_with(".Do") && recv.contains("http"))
                || (ctx_first && !recv.is_empty())
        }
        Family::Js => {
            lower == "fetch"
                || r_lower.starts_with("axios")
                || r_lower.starts_with("got")
                || r_lower.starts_with("node-fetch")
                || recv.contains("client")
                || recv.contains("stub")
                || recv == "axios"
        }
        Family::Java => {
            recv.contains("resttemplate")
                || recv.contains("webclient")
                || recv.contains("httpclient")
                || recv.contains("client")
                || recv.contains("stub")
        }
    }
}
