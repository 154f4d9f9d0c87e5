//! `retry-without-limit`: a retry that never gives up: a hand-written loop with no
//! attempt counter, deadline or stop condition, or a retry library configured (or left
//! at a default) that retries forever.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::retry::{self, Bound};

pub static META: RuleMeta = RuleMeta {
    id: "retry-without-limit",
    category: "RETRY",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Retry that never gives up: no attempt cap, deadline or stop condition",
    docs: Docs {
        what: "A retry with no end. Hand-written retry loops (`while True`, `for {}`, `while (true)`, `for (;;)`, \
`while not done`) that leave when the operation succeeds and go round again when it fails, with no attempt counter, \
deadline, clock check or cancellation check (`ctx.Done()`, a stop event, `isInterrupted()`). Retry libraries left \
unbounded: tenacity `@retry`/`Retrying` without `stop=` (or with `stop_never`), `backoff.on_exception`/`on_predicate` \
without `max_tries`/`max_time`, `retrying.retry` without a `stop_*` argument (all three retry forever by default); \
Go retry-go `Attempts(0)`/`UntilSucceeded()`, cenkalti/backoff `Retry` with a `ConstantBackOff`/`ZeroBackOff` or an \
exponential backoff whose `MaxElapsedTime` is 0 and no `WithMaxRetries`, k8s `wait.PollInfinite`; JS options \
`retries: Infinity`/`forever: true` (p-retry, async-retry, promise-retry, retry, axios-retry, cockatiel); Java Failsafe \
`withMaxRetries(-1)` without `withMaxDuration`, `maxAttempts(Integer.MAX_VALUE)`, Spring `AlwaysRetryPolicy`, \
guava-retrying `RetryerBuilder` without a stop strategy or with `neverStop()`. Finite library defaults are known \
and not reported (axios-retry 3, p-retry 10, resilience4j 3, Failsafe 2, Spring Retry 3, cenkalti/backoff 15 min). \
Loops over collections, worker loops (failure leaves, success goes round) and loops that read user input are not \
retry loops.",
        scenario: "A dependency goes down for longer than a blip: a database failover, an expired credential, a \
deleted queue, a permanently rejected request.",
        impact: "The retry never stops: the request, job or worker that owns it is stuck forever, holding its \
connection, lock or message; across replicas the retries add load to a dependency that is trying to recover, and a \
permanent error (bad input, revoked key) turns into an infinite loop that no alert distinguishes from progress.",
        detection: "Threads or tasks stuck in the same frame; log lines repeating the same failure every few \
seconds; queue consumers that stop acknowledging; a dependency's request rate that does not fall during its outage.",
        mitigation: "Cap every retry by attempts and total time, retry only errors that can succeed later, and then \
fail loudly (raise, dead-letter, return an error) so the caller decides.",
        fixes: &[
            (
                "python",
                "from tenacity import retry, stop_after_attempt, stop_after_delay, wait_exponential_jitter\n\n@retry(stop=(stop_after_attempt(5) | stop_after_delay(30)), wait=wait_exponential_jitter(1, 10))\ndef fetch():\n    ...",
            ),
            (
                "go",
                "b := backoff.WithContext(backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 5), ctx)\nerr := backoff.Retry(op, b)\n\n// retry-go\nerr := retry.Do(op, retry.Attempts(5), retry.Context(ctx))",
            ),
            (
                "javascript",
                "for (let attempt = 1; ; attempt++) {\n  try {\n    return await call();\n  } catch (err) {\n    if (attempt >= 5) throw err;\n    await sleep(Math.min(1000 * 2 ** attempt, 10000) * Math.random());\n  }\n}",
            ),
            (
                "typescript",
                "await pRetry(call, { retries: 5, maxRetryTime: 30_000 });",
            ),
            (
                "java",
                "RetryPolicy<Object> policy = RetryPolicy.builder()\n    .withMaxRetries(5)\n    .withMaxDuration(Duration.ofSeconds(30))\n    .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))\n    .build();",
            ),
        ],
        monitoring: "Count retries per dependency and outcome (`retries_total{dependency,outcome}`); alert when \
retries per request or the age of the oldest in-progress job climbs.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/sync.py",
            r#"import time
import requests
from tenacity import retry, stop_after_attempt, wait_exponential
import backoff

def fetch(url):
    while True:
    ^ `while True` retries `requests.get` with no attempt limit
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            time.sleep(2)

def fetch_capped(url):
    attempt = 0
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.RequestException:
            attempt += 1
            if attempt >= 5:
                raise
            time.sleep(2 ** attempt)

def worker(q):
    while True:
        try:
            job = q.get()
            job.run()
        except Exception:
            log.exception("job failed")

@retry
^ tenacity `@retry` without `stop=`
def load():
    pass

@retry(wait=wait_exponential(max=10))
^ tenacity `@retry` without `stop=`
def load2():
    pass

@retry(stop=stop_after_attempt(5), wait=wait_exponential(max=10))
def load3():
    pass

@backoff.on_exception(backoff.expo, requests.RequestException)
^ `backoff.on_exception` without `max_tries` or `max_time`
def load4():
    pass

@backoff.on_exception(backoff.expo, requests.RequestException, max_time=60)
def load5():
    pass
"#
        ),
        case!(
            "app/ask.py",
            r#"def ask():
    while True:
        try:
            return int(input("number? "))
        except ValueError:
            print("not a number")

def until_stopped(stop_event, client):
    while not stop_event.is_set():
        try:
            client.connect()
            break
        except OSError:
            stop_event.wait(1)
"#
        ),
        case!(
            "internal/sync/sync.go",
            r#"package sync

import (
	"context"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/cenkalti/backoff/v4"
)

func connect(addr string) *Conn {
	for {
	^ `for {}` retries `dial` with no attempt limit
		c, err := dial(addr)
		if err == nil {
			return c
		}
		time.Sleep(time.Second)
	}
}

func connectCtx(ctx context.Context, addr string) (*Conn, error) {
	for {
		c, err := dial(addr)
		if err == nil {
			return c, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func viaLibs(op func() error) {
	_ = retry.Do(op, retry.Attempts(0))
	                 ^ `retry.Attempts(0)` retries forever
	_ = retry.Do(op, retry.Attempts(5))
	_ = backoff.Retry(op, backoff.NewConstantBackOff(time.Second))
	                      ^ `ConstantBackOff` never gives up
	_ = backoff.Retry(op, backoff.WithMaxRetries(backoff.NewConstantBackOff(time.Second), 3))
	b := backoff.NewExponentialBackOff()
	b.MaxElapsedTime = 0
	_ = backoff.Retry(op, b)
	                      ^ `MaxElapsedTime` is 0
	_ = backoff.Retry(op, backoff.NewExponentialBackOff())
}

func serve(l Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			continue
		}
		go handle(c)
	}
}
"#
        ),
        case!(
            "src/poll.ts",
            r#"import pRetry from 'p-retry';

export async function load(url: string) {
  while (true) {
  ^ `while (true)` retries `fetch` with no attempt limit
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (err) {
      await sleep(1000);
    }
  }
}

export async function loadCapped(url: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(1000 * attempt);
    }
  }
}

export const forever = () => pRetry(() => call(), { forever: true });
                                                    ^ `forever: true`
export const bounded = () => pRetry(() => call(), { retries: 5 });
"#
        ),
        case!(
            "src/main/java/shop/Sync.java",
            r#"package shop;

import dev.failsafe.RetryPolicy;
import java.time.Duration;

class Sync {
    Conn connect() {
        while (true) {
        ^ `while (true)` retries `client.connect` with no attempt limit
            try {
                return client.connect();
            } catch (IOException e) {
                log.warn("connect failed", e);
                sleep(1000);
            }
        }
    }

    Conn connectCapped() throws IOException {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                return client.connect();
            } catch (IOException e) {
                sleep(1000L * attempt);
            }
        }
        throw new IOException("gave up");
    }

    RetryPolicy<Object> forever = RetryPolicy.builder().withMaxRetries(-1).withDelay(Duration.ofSeconds(1)).build();
                                                        ^ `withMaxRetries(-1)`
    RetryPolicy<Object> capped = RetryPolicy.builder().withMaxRetries(-1).withMaxDuration(Duration.ofMinutes(1)).build();
}
"#
        ),
        case!(
            "tests/test_sync.py",
            "def test_x():\n    while True:\n        try:\n            return f()\n        except OSError:\n            pass\n"
        ),
        case!(
            "internal/conn/conn.go",
            "package conn\n\nimport (\n\t\"context\"\n\t\"time\"\n)\n\nfunc dialRetry(ctx context.Context, addr string) (*Conn, error) {\n\tfor attempt := 0; attempt < 5; attempt++ {\n\t\tc, err := dial(addr)\n\t\tif err == nil {\n\t\t\treturn c, nil\n\t\t}\n\t\ttime.Sleep(time.Second)\n\t}\n\tfor {\n\t\tc, err := dial(addr)\n\t\tif err == nil {\n\t\t\treturn c, nil\n\t\t}\n\t\tif ctx.Err() != nil {\n\t\t\treturn nil, ctx.Err()\n\t\t}\n\t\ttime.Sleep(time.Second)\n\t}\n}\n"
        ),
        case!(
            "src/worker.js",
            "async function work(queue) {\n  while (true) {\n    try {\n      const job = await queue.next();\n      await job.run();\n    } catch (err) {\n      logger.error({ err }, 'job failed');\n    }\n  }\n}\nconst api = () => pRetry(call, { retries: 5 });\n"
        ),
        case!(
            "src/main/java/shop/Worker.java",
            "package shop;\nclass Worker {\n    void run() {\n        while (!stopped) {\n            try {\n                handle(queue.take());\n                break;\n            } catch (Exception e) {\n                log.error(\"failed\", e);\n            }\n        }\n    }\n}\n"
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
            Family::Python => &["while_statement", "for_statement", "call", "decorator"],
            Family::Go => &["for_statement", "call_expression"],
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
                "object_creation_expression",
                "annotation",
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
            Family::Go => go(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
        }
    }
}

fn check_loop(lp: Node<'_>, cx: &mut Cx<'_>) {
    let Some(rl) = retry::retry_loop(lp, cx) else {
        return;
    };
    if !matches!(rl.bound, Bound::Infinite | Bound::Flag(_)) || retry::has_cap(&rl, cx) {
        return;
    }
    let label = retry::loop_label(&rl, cx);
    let op = retry::first_op(&rl, cx)
        .map(|o| format!("`{o}`"))
        .unwrap_or_else(|| "its operation".to_string());
    let conf = if rl.bound == Bound::Infinite {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let tight = if retry::has_backoff(&rl, cx) {
        ""
    } else {
        ", and without waiting between attempts"
    };
    cx.hit(
        &META,
        lp,
        label.clone(),
        format!(
            "`{label}` retries {op} with no attempt limit, deadline or stop check{tight}: a dependency that stays down keeps it retrying forever"
        ),
    )
    .confidence(conf);
}

/// Python: tenacity / backoff / retrying used without a stop condition.
fn python(node: Node<'_>, cx: &mut Cx<'_>) {
    let (expr, at) = match node.kind_name() {
        "decorator" => {
            let Some(e) = node.named_child(0) else { return };
            if e.kind_name() == "call" {
                return; // the call itself is visited
            }
            (e, node)
        }
        _ => {
            let at = node
                .parent()
                .filter(|p| p.kind_name() == "decorator")
                .unwrap_or(node);
            (node, at)
        }
    };
    let lib = if expr.kind_name() == "call" {
        let (_, r) = cx.callee(expr);
        match r.as_str() {
            "tenacity.Retrying" | "tenacity.AsyncRetrying" => "tenacity.Retrying",
            _ => match retry::py_retry_library(expr, cx) {
                Some(l) => l,
                None => return,
            },
        }
    } else {
        match retry::py_retry_library(expr, cx) {
            Some(l) => l,
            None => return,
        }
    };
    if expr.kind_name() == "call" && syntax::has_kwargs_splat(expr) {
        return;
    }
    let kw = |name: &str| {
        if expr.kind_name() == "call" {
            kwarg(expr, cx.src, name)
        } else {
            None
        }
    };
    let msg = match lib {
        "tenacity.retry" | "tenacity.Retrying" => {
            let stop = kw("stop");
            let never = stop.is_some_and(|s| cx.text(s).ends_with("stop_never"));
            if stop.is_some() && !never {
                return;
            }
            let what = if lib == "tenacity.retry" {
                "tenacity `@retry`"
            } else {
                "tenacity `Retrying`"
            };
            if never {
                format!("{what} with `stop=stop_never` retries forever")
            } else {
                format!(
                    "{what} without `stop=`: tenacity retries forever by default, so a dependency that stays down is retried without end"
                )
            }
        }
        "backoff.on_exception" | "backoff.on_predicate" => {
            let tries = kw("max_tries");
            let time = kw("max_time");
            let none = |n: Option<Node<'_>>| n.is_none_or(|v| cx.text(v) == "None");
            if !(none(tries) && none(time)) {
                return;
            }
            format!(
                "`{lib}` without `max_tries` or `max_time`: the backoff library retries forever by default"
            )
        }
        "retrying.retry" => {
            if [
                "stop_max_attempt_number",
                "stop_max_delay",
                "stop_func",
                "stop",
            ]
            .iter()
            .any(|k| kw(k).is_some())
            {
                return;
            }
            "`retrying.retry` without `stop_max_attempt_number` or `stop_max_delay`: it retries forever by default"
                .to_string()
        }
        _ => return,
    };
    cx.hit(&META, at, lib.to_string(), msg);
}

/// What a Go backoff policy expression amounts to.
enum GoPolicy {
    Unbounded(&'static str),
    Bounded,
    Unknown,
}

fn go_backoff_policy(n: Node<'_>, cx: &Cx<'_>, depth: u8) -> GoPolicy {
    if depth > 3 {
        return GoPolicy::Unknown;
    }
    let n = if n.kind_name() == "unary_expression" {
        n.field("operand").unwrap_or(n)
    } else {
        n
    };
    match n.kind_name() {
        "call_expression" => {
            let (_, r) = cx.callee(n);
            let last = syntax::last_segment(&r);
            if !r.starts_with("github.com/cenkalti/backoff") {
                return GoPolicy::Unknown;
            }
            match last {
                "WithMaxRetries" | "WithContext" => GoPolicy::Bounded,
                "NewConstantBackOff" => GoPolicy::Unbounded(
                    "a `ConstantBackOff` never gives up: it has no elapsed-time limit",
                ),
                "NewExponentialBackOff" => {
                    if cx
                        .text(n)
                        .replace(' ', "")
                        .contains("WithMaxElapsedTime(0)")
                    {
                        GoPolicy::Unbounded(
                            "the exponential backoff's `MaxElapsedTime` is 0, which means never stop",
                        )
                    } else {
                        GoPolicy::Bounded
                    }
                }
                _ => GoPolicy::Unknown,
            }
        }
        "composite_literal" => {
            let t = n
                .field("type")
                .map(|t| cx.imports().resolve(cx.text(t)))
                .unwrap_or_default();
            if !t.starts_with("github.com/cenkalti/backoff") {
                return GoPolicy::Unknown;
            }
            match syntax::last_segment(&t) {
                "ConstantBackOff" => GoPolicy::Unbounded(
                    "a `ConstantBackOff` never gives up: it has no elapsed-time limit",
                ),
                "ZeroBackOff" => GoPolicy::Unbounded(
                    "a `ZeroBackOff` never gives up and does not wait between attempts",
                ),
                "ExponentialBackOff" => {
                    let keys = syntax::go_literal_keys(n, cx.src);
                    if keys.iter().any(|k| k == "MaxElapsedTime")
                        && cx.text(n).replace(' ', "").contains("MaxElapsedTime:0")
                    {
                        GoPolicy::Unbounded(
                            "the exponential backoff's `MaxElapsedTime` is 0, which means never stop",
                        )
                    } else {
                        GoPolicy::Bounded
                    }
                }
                _ => GoPolicy::Unknown,
            }
        }
        "identifier" => {
            let name = cx.text(n);
            let values = cx.bindings().nodes(cx.root, name);
            if values.is_empty() {
                return GoPolicy::Unknown;
            }
            // `b.MaxElapsedTime = 0` on an exponential backoff.
            let zeroed = format!("{name}.MaxElapsedTime=0");
            let src: String = cx.src.chars().filter(|c| *c != ' ').collect();
            if src.contains(&zeroed) {
                return GoPolicy::Unbounded(
                    "the exponential backoff's `MaxElapsedTime` is 0, which means never stop",
                );
            }
            let mut result = GoPolicy::Unknown;
            for v in values {
                match go_backoff_policy(v, cx, depth + 1) {
                    GoPolicy::Bounded => return GoPolicy::Bounded,
                    GoPolicy::Unbounded(m) => result = GoPolicy::Unbounded(m),
                    GoPolicy::Unknown => {}
                }
            }
            result
        }
        _ => GoPolicy::Unknown,
    }
}

fn go(call: Node<'_>, cx: &mut Cx<'_>) {
    let (w, r) = cx.callee(call);
    let last = syntax::last_segment(&r);
    let args = positional_args(call);
    if r.starts_with("github.com/avast/retry-go") {
        if last == "Attempts" && args.first().is_some_and(|a| cx.text(*a).trim() == "0") {
            cx.hit(
                &META,
                call,
                w.clone(),
                format!("`{w}(0)` retries forever: retry-go treats 0 attempts as unlimited"),
            );
        } else if last == "UntilSucceeded" {
            cx.hit(&META, call, w.clone(), format!("`{w}()` retries forever"));
        }
        return;
    }
    if r.starts_with("github.com/cenkalti/backoff")
        && matches!(
            last,
            "Retry"
                | "RetryNotify"
                | "RetryWithData"
                | "RetryNotifyWithData"
                | "RetryNotifyWithTimer"
        )
    {
        if r.contains("/v5") {
            let t: String = cx
                .text(call)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if t.contains("WithMaxElapsedTime(0)") && !t.contains("WithMaxTries(") {
                cx.hit(
                    &META,
                    call,
                    w.clone(),
                    format!("`{w}` with `WithMaxElapsedTime(0)` and no `WithMaxTries`: it retries forever"),
                );
            }
            return;
        }
        let Some(policy) = args.get(1) else { return };
        if let GoPolicy::Unbounded(why) = go_backoff_policy(*policy, cx, 0) {
            cx.hit(
                &META,
                *policy,
                w.clone(),
                format!("`{w}` retries forever: {why}; wrap it in `backoff.WithMaxRetries`"),
            );
        }
        return;
    }
    if matches!(
        r.as_str(),
        "k8s.io/apimachinery/pkg/util/wait.PollInfinite"
            | "k8s.io/apimachinery/pkg/util/wait.PollImmediateInfinite"
    ) {
        cx.hit(
            &META,
            call,
            w.clone(),
            format!("`{w}` polls until the condition holds, with no timeout"),
        );
    }
}

fn js(call: Node<'_>, cx: &mut Cx<'_>) {
    let (w, r) = cx.callee(call);
    let lw = w.to_ascii_lowercase();
    let lr = r.to_ascii_lowercase();
    if !(lw.contains("retry") || lr.contains("retry") || lr.starts_with("cockatiel")) {
        return;
    }
    for a in positional_args(call) {
        if a.kind_name() != "object" {
            continue;
        }
        if let Some(v) = syntax::js_object_value(a, cx.src, "forever")
            && cx.text(v) == "true"
        {
            let pair = v.parent().unwrap_or(v);
            cx.hit(
                &META,
                pair,
                w.clone(),
                format!("`{w}` with `forever: true` retries without end"),
            );
            return;
        }
        for key in ["retries", "maxAttempts", "maxRetries", "limit", "attempts"] {
            if let Some(v) = syntax::js_object_value(a, cx.src, key)
                && retry::is_infinite_number(cx.text(v))
            {
                let pair = v.parent().unwrap_or(v);
                cx.hit(
                    &META,
                    pair,
                    w.clone(),
                    format!("`{w}` with `{key}: {}` retries without end", cx.text(v)),
                );
                return;
            }
        }
    }
}

/// The outermost call of a Java fluent chain that `n` belongs to.
fn outer_chain<'a>(mut n: Node<'a>) -> Node<'a> {
    while let Some(p) = n.parent() {
        if p.kind_name() == "method_invocation" && p.field("object") == Some(n) {
            n = p;
        } else {
            break;
        }
    }
    n
}

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    match node.kind_name() {
        "object_creation_expression" => {
            let t = node.field("type").map(|t| cx.text(t)).unwrap_or("");
            if t == "AlwaysRetryPolicy" {
                cx.hit(
                    &META,
                    node,
                    "AlwaysRetryPolicy",
                    "`new AlwaysRetryPolicy()` retries forever",
                );
            }
        }
        "annotation" => {
            let name = node.field("name").map(|n| cx.text(n)).unwrap_or("");
            if name != "Retryable" {
                return;
            }
            let args: String = node
                .field("arguments")
                .map(|a| cx.text(a))
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if args.contains("maxAttempts=Integer.MAX_VALUE") {
                cx.hit(
                    &META,
                    node,
                    "@Retryable",
                    "`@Retryable(maxAttempts = Integer.MAX_VALUE)` retries forever",
                );
            }
        }
        "method_invocation" => {
            let name = node.field("name").map(|n| cx.text(n)).unwrap_or("");
            if !matches!(
                name,
                "withMaxRetries"
                    | "withMaxAttempts"
                    | "maxAttempts"
                    | "setMaxAttempts"
                    | "neverStop"
                    | "build"
            ) {
                return;
            }
            let arg = positional_args(node)
                .first()
                .map(|a| cx.text(*a).replace(' ', ""))
                .unwrap_or_default();
            let chain = cx.text(outer_chain(node));
            let at = node.field("name").unwrap_or(node);
            match name {
                "withMaxRetries" | "withMaxAttempts" if arg == "-1" => {
                    if chain.contains("withMaxDuration") {
                        return;
                    }
                    cx.hit(
                        &META,
                        at,
                        name.to_string(),
                        format!("`{name}(-1)` retries forever and no `withMaxDuration` bounds it"),
                    );
                }
                "maxAttempts" | "setMaxAttempts" | "withMaxRetries" | "withMaxAttempts"
                    if retry::is_infinite_number(&arg) =>
                {
                    if chain.contains("withMaxDuration") {
                        return;
                    }
                    cx.hit(
                        &META,
                        at,
                        name.to_string(),
                        format!("`{name}({arg})` retries forever in practice"),
                    );
                }
                "neverStop" => {
                    cx.hit(
                        &META,
                        node,
                        "StopStrategies.neverStop",
                        "`StopStrategies.neverStop()` retries forever",
                    );
                }
                "build" => {
                    let chain_text = syntax::callee_text(node, cx.src);
                    if outer_chain(node) == node
                        && chain_text.starts_with("RetryerBuilder.")
                        && !chain_text.contains("withStopStrategy")
                    {
                        cx.hit(
                            &META,
                            node,
                            "RetryerBuilder",
                            "`RetryerBuilder` without `withStopStrategy(...)`: guava-retrying never stops by default",
                        );
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}
