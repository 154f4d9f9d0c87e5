//! `retry-without-backoff`: retries that go again immediately, with no wait (and no
//! growing, jittered wait) between attempts.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::retry;

pub static META: RuleMeta = RuleMeta {
    id: "retry-without-backoff",
    category: "RETRY",
    // P2, not the category's P1: the retries are capped (an uncapped loop is reported by
    // `retry-without-limit`), so the harm is added load during an incident, not a stuck system.
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Retry with no wait between attempts",
    docs: Docs {
        what: "A retry that fires its attempts back to back. Hand-written retry loops (bounded or not) with no \
sleep, delay, backoff, timer or Go channel wait anywhere in the loop; tenacity `@retry` with a `stop=` but no `wait=` \
(tenacity waits 0 s by default); `retrying.retry` with no `wait_*` argument; axios-retry without `retryDelay` \
(it retries immediately by default); Failsafe `RetryPolicy` builders with no `withDelay`/`withBackoff`/`withJitter`; \
guava-retrying `RetryerBuilder` without `withWaitStrategy`. Loops that retry forever are reported once, by \
`retry-without-limit`. Libraries that back off by default (backoff, p-retry, async-retry, retry-go, \
cenkalti/backoff, resilience4j, Spring Retry) are not reported.",
        scenario: "A dependency slows down or starts failing under load, or restarts.",
        impact: "Every caller immediately multiplies its load on the struggling dependency by the number of attempts \
(a retry storm), which keeps it down longer; the attempts all land inside the same outage window, so the retry \
rarely helps, and synchronized clients hammer it in lock-step when it comes back.",
        detection: "Request rate to a dependency spikes by the retry factor exactly when its error rate rises; bursts \
of identical failures milliseconds apart in the logs.",
        mitigation: "Wait between attempts with exponential backoff and jitter (and cap the total time), so retries \
spread out and give the dependency room to recover.",
        fixes: &[
            (
                "python",
                "@retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(initial=0.5, max=10))\ndef call():\n    ...",
            ),
            (
                "go",
                "for attempt := 0; attempt < 5; attempt++ {\n    if err = call(ctx); err == nil {\n        return nil\n    }\n    d := time.Duration(1<<attempt) * 100 * time.Millisecond\n    select {\n    case <-ctx.Done():\n        return ctx.Err()\n    case <-time.After(d/2 + time.Duration(rand.Int63n(int64(d/2)))):\n    }\n}",
            ),
            (
                "javascript",
                "axiosRetry(client, { retries: 3, retryDelay: axiosRetry.exponentialDelay });",
            ),
            (
                "typescript",
                "axiosRetry(client, { retries: 3, retryDelay: axiosRetry.exponentialDelay });",
            ),
            (
                "java",
                "RetryPolicy.builder()\n    .withMaxRetries(3)\n    .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))\n    .withJitter(0.25)\n    .build();",
            ),
        ],
        monitoring: "Graph attempts per logical request per dependency; alert when it approaches the retry cap \
across many callers at once (a retry storm).",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/client.py",
            r#"import time
import requests
from tenacity import retry, stop_after_attempt, wait_random_exponential

def get(url):
    for attempt in range(3):
    ^ retries `requests.get` without waiting
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            log.warning("attempt %d failed", attempt)
    raise RuntimeError("unreachable")

def get_with_sleep(url):
    for attempt in range(3):
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(2 ** attempt)

def bind(sock):
    for port in range(8000, 8010):
        try:
            sock.bind(("", port))
            return port
        except OSError:
            continue

@retry(stop=stop_after_attempt(3))
^ tenacity `@retry` without `wait=`
def load():
    pass

@retry(stop=stop_after_attempt(3), wait=wait_random_exponential(max=5))
def load2():
    pass
"#
        ),
        case!(
            "internal/client/client.go",
            r#"package client

import "time"

func get(c *Client) (*Resp, error) {
	var err error
	for i := 0; i < 3; i++ {
	^ retries `c.Get` without waiting
		r, e := c.Get("/x")
		if e == nil {
			return r, nil
		}
		err = e
	}
	return nil, err
}

func getSlow(c *Client) (*Resp, error) {
	var err error
	for i := 0; i < 3; i++ {
		r, e := c.Get("/x")
		if e == nil {
			return r, nil
		}
		err = e
		time.Sleep(time.Duration(i) * time.Second)
	}
	return nil, err
}
"#
        ),
        case!(
            "src/client.js",
            r#"const axios = require('axios');
const axiosRetry = require('axios-retry');

axiosRetry(axios, { retries: 3 });
^ `axiosRetry` without `retryDelay`
axiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

async function save(doc) {
  for (let i = 0; i < 3; i++) {
    try {
      return await db.put(doc);
    } catch (err) {
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
  }
}
"#
        ),
        case!(
            "src/main/java/shop/Client.java",
            r#"package shop;

import dev.failsafe.RetryPolicy;
import java.time.Duration;

class Client {
    RetryPolicy<Object> p = RetryPolicy.builder().withMaxRetries(3).build();
                                                                    ^ `RetryPolicy` without a delay
    RetryPolicy<Object> q = RetryPolicy.builder().withMaxRetries(3).withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2)).build();

    Resp get() throws IOException {
        for (int i = 0; i < 3; i++) {
        ^ retries `http.get` without waiting
            try {
                return http.get("/x");
            } catch (IOException e) {
                log.warn("retrying", e);
            }
        }
        throw new IOException("gave up");
    }
}
"#
        ),
        case!(
            "app/ok.py",
            "import time\nfrom tenacity import retry, stop_after_attempt, wait_fixed\n\n@retry(stop=stop_after_attempt(3), wait=wait_fixed(1))\ndef load():\n    pass\n\ndef get(url):\n    for attempt in range(3):\n        try:\n            return requests.get(url, timeout=5)\n        except requests.ConnectionError:\n            time.sleep(1)\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nimport \"time\"\n\nfunc get(c *Client) error {\n\tvar err error\n\tfor i := 0; i < 3; i++ {\n\t\tif err = c.Ping(); err == nil {\n\t\t\treturn nil\n\t\t}\n\t\tselect {\n\t\tcase <-time.After(time.Second):\n\t\t}\n\t}\n\treturn err\n}\n"
        ),
        case!(
            "src/ok.js",
            "const axiosRetry = require('axios-retry');\naxiosRetry(client, { retries: 3, retryDelay: axiosRetry.exponentialDelay });\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    Object p = RetryPolicy.builder().withMaxRetries(3).withDelay(Duration.ofSeconds(1)).build();\n}\n"
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
            Family::Python => &["while_statement", "for_statement", "call"],
            Family::Go => &["for_statement"],
            Family::Js => &[
                "while_statement",
                "for_statement",
                "do_statement",
                "call_expression",
            ],
            Family::Java => &[
                "while_statement",
                "for_statement",
                "do_statement",
                "method_invocation",
            ],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if retry::loop_kinds(cx.family()).contains(&node.kind_name()) {
            check_loop(node, cx);
            return;
        }
        if !retry::imports_retry_library(cx) {
            return;
        }
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
            Family::Go => {}
        }
    }
}

fn check_loop(lp: Node<'_>, cx: &mut Cx<'_>) {
    let Some(rl) = retry::retry_loop(lp, cx) else {
        return;
    };
    if retry::is_unbounded(&rl, cx) || retry::has_backoff(&rl, cx) {
        return;
    }
    let label = retry::loop_label(&rl, cx);
    let op = retry::first_op(&rl, cx)
        .map(|o| format!("`{o}`"))
        .unwrap_or_else(|| "its operation".to_string());
    cx.hit(
        &META,
        lp,
        label.clone(),
        format!(
            "`{label}` retries {op} without waiting between attempts: every failure is repeated at once, adding load to a dependency that is already failing"
        ),
    );
}

fn python(call: Node<'_>, cx: &mut Cx<'_>) {
    let (_, r) = cx.callee(call);
    if syntax::has_kwargs_splat(call) {
        return;
    }
    let at = call
        .parent()
        .filter(|p| p.kind_name() == "decorator")
        .unwrap_or(call);
    match r.as_str() {
        "tenacity.retry" | "tenacity.Retrying" | "tenacity.AsyncRetrying" => {
            // Without `stop=` it is `retry-without-limit`'s finding.
            let Some(stop) = kwarg(call, cx.src, "stop") else {
                return;
            };
            if cx.text(stop).ends_with("stop_never") || kwarg(call, cx.src, "wait").is_some() {
                return;
            }
            let what = if r == "tenacity.retry" {
                "tenacity `@retry`"
            } else {
                "tenacity `Retrying`"
            };
            cx.hit(
                &META,
                at,
                r.clone(),
                format!("{what} without `wait=`: tenacity retries immediately by default"),
            );
        }
        "retrying.retry" => {
            let Some(args) = syntax::arguments(call) else {
                return;
            };
            let text = cx.text(args);
            let has_stop = text.contains("stop_");
            if !has_stop || text.contains("wait_") {
                return;
            }
            cx.hit(
                &META,
                at,
                r.clone(),
                "`retrying.retry` without a `wait_*` argument: it retries immediately by default",
            );
        }
        _ => {}
    }
}

fn js(call: Node<'_>, cx: &mut Cx<'_>) {
    let (w, r) = cx.callee(call);
    if r != "axios-retry" && r != "axios-retry.default" {
        return;
    }
    let Some(opts) = positional_args(call).get(1).copied() else {
        cx.hit(
            &META,
            call,
            w.clone(),
            format!("`{w}` without `retryDelay`: axios-retry retries immediately by default"),
        );
        return;
    };
    let Some(keys) = syntax::js_object_keys(opts, cx.src) else {
        return;
    };
    if keys.iter().any(|k| k == "retryDelay") {
        return;
    }
    if let Some(v) = syntax::js_object_value(opts, cx.src, "retries")
        && cx.text(v) == "0"
    {
        return;
    }
    cx.hit(
        &META,
        call,
        w.clone(),
        format!("`{w}` without `retryDelay`: axios-retry retries immediately by default"),
    );
}

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    // Only the outermost `.build()` of a chain.
    let name = node.field("name").map(|n| cx.text(n)).unwrap_or("");
    if name != "build"
        || node.parent().is_some_and(|p| {
            p.kind_name() == "method_invocation" && p.field("object") == Some(node)
        })
    {
        return;
    }
    let chain = syntax::callee_text(node, cx.src);
    let at = node.field("name").unwrap_or(node);
    if chain.starts_with("RetryPolicy.builder()")
        && !["withDelay", "withBackoff", "withJitter", "withDelayFn"]
            .iter()
            .any(|k| chain.contains(k))
    {
        cx.hit(
            &META,
            at,
            "RetryPolicy",
            "`RetryPolicy` without a delay: Failsafe retries immediately unless `withDelay`/`withBackoff` is set",
        );
    } else if chain.starts_with("RetryerBuilder.")
        && chain.contains("withStopStrategy")
        && !chain.contains("withWaitStrategy")
    {
        cx.hit(
            &META,
            at,
            "RetryerBuilder",
            "`RetryerBuilder` without `withWaitStrategy`: guava-retrying retries immediately by default",
        );
    }
}
