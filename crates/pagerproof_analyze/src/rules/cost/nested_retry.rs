//! `nested-retry-layers`: a retrying function that calls another retrying function, so
//! the attempts multiply.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "nested-retry-layers",
    category: "COST",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript"],
    summary: "Retry layer around a function that retries itself: attempts multiply",
    docs: Docs {
        what: "A function that retries (Python `@tenacity.retry`/`@retry`, `@backoff.on_exception`, \
`@backoff.on_predicate`, `@retrying.retry`; Node `p-retry`/`async-retry`/`promise-retry` around a callback; Go \
`retry.Do` (retry-go) and `backoff.Retry` (cenkalti/backoff)) whose retried code calls another function of the \
same file that also retries. Retry layers in other files, and client libraries' built-in retries, are not seen.",
        scenario: "The dependency behind the inner call slows down or fails for a minute.",
        impact: "Attempts multiply: 3 outer × 3 inner = 9 calls per request, 27 with a third layer. The retry \
storm hits the dependency exactly when it is weakest, keeps it down longer, and multiplies latency and \
per-call costs for callers.",
        detection: "Outbound call volume to a dependency that jumps by a multiple during its incidents; request \
latency that reaches several times the inner retry budget.",
        mitigation: "Retry at one layer only — usually the outermost, with the whole budget — and make inner \
functions fail fast; share a retry budget or use a circuit breaker.",
        fixes: &[
            (
                "python",
                "# keep one layer: retry the operation, not each step\n@retry(stop=stop_after_attempt(3), wait=wait_exponential_jitter())\ndef sync_order(order_id):\n    fetch_order(order_id)   # no @retry here\n    push_order(order_id)",
            ),
            (
                "go",
                "// retry once, at the operation level\nerr := retry.Do(func() error { return syncOrder(ctx, id) }, retry.Attempts(3))\n// syncOrder calls fetchOrder and pushOrder, which do not retry",
            ),
            (
                "javascript",
                "await pRetry(() => syncOrder(id), { retries: 3 }); // syncOrder's helpers do not retry",
            ),
            (
                "typescript",
                "await pRetry(() => syncOrder(id), { retries: 3 }); // syncOrder's helpers do not retry",
            ),
        ],
        monitoring: "Count attempts per logical operation; alert when the ratio of attempts to operations rises.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/sync.py",
            r#"from tenacity import retry, stop_after_attempt
import backoff

@retry(stop=stop_after_attempt(3))
def fetch_order(order_id):
    return client.get(order_id)

@backoff.on_exception(backoff.expo, IOError, max_tries=5)
def sync(order_id):
    order = fetch_order(order_id)
            ^ `sync` retries around `fetch_order`, which retries itself
    return push(order)

def plain(order_id):
    return fetch_order(order_id)
"#
        ),
        case!(
            "svc/ok.py",
            r#"from tenacity import retry

@retry
def sync(order_id):
    return fetch(order_id)

def fetch(order_id):
    return client.get(order_id)
"#
        ),
        case!(
            "internal/sync/sync.go",
            r#"package sync

import "github.com/avast/retry-go/v4"

func fetch(id string) error {
	return retry.Do(func() error { return get(id) }, retry.Attempts(3))
}

func Sync(id string) error {
	return retry.Do(func() error {
		return fetch(id)
		       ^ retries around `fetch`, which retries itself
	}, retry.Attempts(5))
}
"#
        ),
        case!(
            "internal/sync/ok.go",
            r#"package sync

import "github.com/avast/retry-go/v4"

func Once(id string) error {
	return retry.Do(func() error { return get(id) }, retry.Attempts(3))
}
"#
        ),
        case!(
            "src/sync.js",
            r#"const pRetry = require('p-retry');
async function fetchOrder(id) {
  return pRetry(() => client.get(id), { retries: 3 });
}
async function sync(id) {
  return pRetry(() => fetchOrder(id), { retries: 5 });
                      ^ retries around `fetchOrder`, which retries itself
}
module.exports = { sync };
"#
        ),
        case!(
            "src/ok.ts",
            r#"import pRetry from 'p-retry';
export async function sync(id: string) {
  return pRetry(() => fetchOrder(id), { retries: 5 });
}
async function fetchOrder(id: string) { return client.get(id); }
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
            Family::Java => &[],
            _ => reach::root_kinds(f),
        }
    }

    fn check(&self, _root: Node<'_>, cx: &mut Cx<'_>) {
        let imp = cx.imports();
        let uses = [
            "tenacity",
            "backoff",
            "retrying",
            "retry-go",
            "cenkalti/backoff",
            "p-retry",
            "async-retry",
            "promise-retry",
        ]
        .iter()
        .any(|m| imp.any_module_contains(m))
            || (cx.family() == Family::Python && cx.src.contains("@retry"));
        if !uses {
            return;
        }
        let funcs = reach::functions(cx);
        // Retrying scopes: (scope node whose calls are retried, enclosing function name).
        let mut scopes: Vec<(Node<'_>, String)> = Vec::new();
        for f in &funcs {
            if cx.family() == Family::Python {
                if python_retry_decorated(f.node, cx) {
                    scopes.push((f.node, f.name.clone()));
                }
                continue;
            }
        }
        if cx.family() != Family::Python {
            for n in descendants(cx.root) {
                if let Some(cb) = retry_callback(n, cx) {
                    let owner = syntax::enclosing_function(n, cx.family())
                        .and_then(|f| funcs.iter().find(|x| x.node == f).map(|x| x.name.clone()))
                        .unwrap_or_default();
                    scopes.push((cb, owner));
                }
            }
        }
        if scopes.is_empty() {
            return;
        }
        let retrying: Vec<String> = scopes
            .iter()
            .map(|(_, n)| n.clone())
            .filter(|n| !n.is_empty())
            .collect();
        let mut hits: Vec<(Node<'_>, String, String)> = Vec::new();
        for (scope, owner) in &scopes {
            for c in descendants(*scope) {
                if !syntax::call_kinds(cx.family()).contains(&c.kind_name()) {
                    continue;
                }
                let w = syntax::callee_text(c, cx.src);
                let name = syntax::last_segment(&w);
                let local = !w.contains('.') || w.starts_with("self.") || w.starts_with("this.");
                if !local || name == owner || !retrying.iter().any(|r| r == name) {
                    continue;
                }
                if hits
                    .iter()
                    .any(|(h, _, _)| h.start_byte() == c.start_byte())
                {
                    continue;
                }
                hits.push((c, owner.clone(), name.to_string()));
            }
        }
        for (c, owner, inner) in hits {
            let who = if owner.is_empty() {
                "This code".to_string()
            } else {
                format!("`{owner}`")
            };
            cx.hit(&META, c, inner.clone(), format!("{who} retries around `{inner}`, which retries itself: the attempts multiply and a failing dependency receives a retry storm"));
        }
    }
}

fn python_retry_decorated(func: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(dd) = func
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")
    else {
        return false;
    };
    let mut c = dd.walk();
    dd.named_children(&mut c)
        .filter(|d| d.kind_name() == "decorator")
        .any(|d| {
            let Some(e) = d.named_child(0) else {
                return false;
            };
            let callee = if e.kind_name() == "call" {
                syntax::callee_text(e, cx.src)
            } else {
                cx.text(e).to_string()
            };
            let r = cx.imports().resolve(&callee);
            r.starts_with("tenacity.")
                || r.starts_with("backoff.on_")
                || r.starts_with("retrying.")
                || r == "retry"
                || r.ends_with(".retry") && (r.starts_with("tenacity") || r.starts_with("retry"))
        })
}

/// The callback a retry helper runs: `retry.Do(func() error {...})`, `backoff.Retry(op, b)`,
/// `pRetry(() => ...)`, `retry(async () => ...)`.
fn retry_callback<'t>(n: Node<'t>, cx: &Cx<'t>) -> Option<Node<'t>> {
    if n.kind_name() != "call_expression" {
        return None;
    }
    let (w, r) = cx.callee(n);
    let is_retry = match cx.family() {
        Family::Go => {
            // retry-go's package is `retry` although its path ends in `retry-go`.
            let retry_go = cx.imports().any_module_contains("retry-go");
            (retry_go && (w == "retry.Do" || r.contains("retry-go") && r.ends_with(".Do")))
                || (r.contains("cenkalti/backoff") && r.ends_with(".Retry"))
        }
        Family::Js => matches!(
            r.as_str(),
            "p-retry" | "async-retry" | "promise-retry" | "p-retry.default"
        ),
        _ => false,
    };
    if !is_retry {
        return None;
    }
    syntax::positional_args(n).into_iter().next()
}
