//! `retry-non-idempotent-call`: a retry around an operation that is not safe to repeat
//! (an HTTP POST/PATCH, a payment, an email or SMS) with no idempotency key, or a retry
//! policy told to retry non-idempotent HTTP methods.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, positional_args, string_value};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::retry;

pub static META: RuleMeta = RuleMeta {
    id: "retry-non-idempotent-call",
    category: "RETRY",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Non-idempotent call (POST, payment, email) retried without an idempotency key",
    docs: Docs {
        what: "An operation that is not safe to repeat, inside a retry: HTTP POST/PATCH calls (requests, httpx, \
sessions and clients, Go `http.Post`/`NewRequest(\"POST\")`, axios/got/fetch with `method: 'POST'`, Spring \
`postForObject`/`exchange(POST)`/`WebClient.post()`, `HttpRequest...POST`), payment calls (charge, refund, payout, \
payment intent) and message sends (email, SMS), when the retry is a hand-written retry loop, a retry decorator \
(tenacity, backoff, retrying, Spring `@Retryable`), or a function handed to a retry helper (p-retry, async-retry, \
retry-go, cenkalti/backoff, resilience4j `Retry.decorate*`, Failsafe, `RetryTemplate`), and nothing in the \
function mentions an idempotency key or de-duplication. Also retry policies configured to retry every method: \
urllib3 `Retry(allowed_methods=None)` or a method list with POST/PATCH, axios-retry `retryCondition` that retries \
any request (`() => true`, `isRetryableError`, `isNetworkError`).",
        scenario: "The first attempt reaches the server and is processed, but the response is lost: a timeout, a \
reset connection, a 502 from a proxy after the upstream committed.",
        impact: "The retry repeats the side effect: the customer is charged twice, the order is created twice, the \
email or SMS is sent twice. Money and trust are lost, and support has to reconcile by hand.",
        detection: "Duplicate charges or records with the same payload seconds apart; customer complaints; \
reconciliation mismatches with the payment provider.",
        mitigation: "Send an idempotency key that stays the same across attempts (Stripe `idempotency_key`, an \
`Idempotency-Key` header, a client-generated request id the server de-duplicates on), or retry only idempotent \
methods and connection errors that happened before the request was sent.",
        fixes: &[
            (
                "python",
                "key = str(uuid.uuid4())  # one key for every attempt of this charge\n\n@retry(stop=stop_after_attempt(3), wait=wait_exponential_jitter(1, 5))\ndef charge(order):\n    return stripe.PaymentIntent.create(amount=order.total, currency=\"eur\", idempotency_key=key)",
            ),
            (
                "go",
                "key := uuid.NewString()\nerr := retry.Do(func() error {\n    req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))\n    req.Header.Set(\"Idempotency-Key\", key)\n    _, err := client.Do(req)\n    return err\n}, retry.Attempts(3))",
            ),
            (
                "javascript",
                "const key = crypto.randomUUID();\nawait pRetry(() => api.post('/charges', body, { headers: { 'Idempotency-Key': key } }), { retries: 3 });",
            ),
            (
                "typescript",
                "const key = crypto.randomUUID();\nawait pRetry(() => api.post('/charges', body, { headers: { 'Idempotency-Key': key } }), { retries: 3 });",
            ),
            (
                "java",
                "String key = UUID.randomUUID().toString();\nretryTemplate.execute(ctx -> {\n    HttpHeaders h = new HttpHeaders();\n    h.set(\"Idempotency-Key\", key);\n    return rest.postForObject(url, new HttpEntity<>(body, h), Charge.class);\n});",
            ),
        ],
        monitoring: "Track duplicate side effects (same idempotency key or payload within a window) and alert on \
any; count retries of non-idempotent operations separately.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/billing.py",
            r#"import time
import requests
import stripe
from tenacity import retry, stop_after_attempt, wait_exponential
from urllib3.util.retry import Retry

@retry(stop=stop_after_attempt(3), wait=wait_exponential())
def charge(order):
    return stripe.Charge.create(amount=order.total, currency="eur", source=order.token)
           ^ `stripe.Charge.create` is retried
@retry(stop=stop_after_attempt(3), wait=wait_exponential())
def charge_safely(order, key):
    return stripe.Charge.create(amount=order.total, currency="eur", idempotency_key=key)

def notify(url, payload):
    for attempt in range(3):
        try:
            return requests.post(url, json=payload, timeout=5)
                   ^ `requests.post` is retried
        except requests.Timeout:
            time.sleep(attempt)

def read(url):
    for attempt in range(3):
        try:
            return requests.get(url, timeout=5)
        except requests.Timeout:
            time.sleep(attempt)

retries = Retry(total=3, allowed_methods=None, backoff_factor=0.5)
                         ^ `allowed_methods=None` retries every HTTP method
safe = Retry(total=3, backoff_factor=0.5)
"#
        ),
        case!(
            "internal/notify/notify.go",
            r#"package notify

import (
	"bytes"
	"net/http"

	"github.com/avast/retry-go/v4"
)

func send(url string, body []byte) error {
	return retry.Do(func() error {
		_, err := http.Post(url, "application/json", bytes.NewReader(body))
		          ^ `http.Post` is retried
		return err
	}, retry.Attempts(3))
}

func fetch(url string) error {
	return retry.Do(func() error {
		_, err := http.Get(url)
		return err
	}, retry.Attempts(3))
}
"#
        ),
        case!(
            "src/pay.ts",
            r#"import axios from 'axios';
import axiosRetry from 'axios-retry';
import pRetry from 'p-retry';

axiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay, retryCondition: () => true });
                                                                         ^ `retryCondition` retries every request
axiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

export const pay = (body: object) =>
  pRetry(() => axios.post('/payments', body, { timeout: 5000 }), { retries: 3 });
               ^ `axios.post` is retried
export const payOnce = (body: object, key: string) =>
  pRetry(() => axios.post('/payments', body, { timeout: 5000, headers: { 'Idempotency-Key': key } }), { retries: 3 });
"#
        ),
        case!(
            "src/main/java/shop/Mailer.java",
            r#"package shop;

import org.springframework.retry.annotation.Retryable;

class Mailer {
    @Retryable(maxAttempts = 3)
    void welcome(User u) {
        mailClient.sendEmail(u.getAddress(), "welcome");
        ^ `mailClient.sendEmail` is retried
    }

    @Retryable(maxAttempts = 3)
    Profile load(String id) {
        return rest.getForObject("/profiles/" + id, Profile.class);
    }
}
"#
        ),
        case!(
            "app/ok.py",
            "import requests\nfrom tenacity import retry, stop_after_attempt, wait_fixed\n\n@retry(stop=stop_after_attempt(3), wait=wait_fixed(1))\ndef load(url):\n    return requests.get(url, timeout=5)\n\n@retry(stop=stop_after_attempt(3), wait=wait_fixed(1))\ndef notify(url, body, key):\n    return requests.post(url, json=body, headers={\"Idempotency-Key\": key}, timeout=5)\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/avast/retry-go/v4\"\n)\n\nfunc get(url string) error {\n\treturn retry.Do(func() error {\n\t\t_, err := http.Get(url)\n\t\treturn err\n\t})\n}\n"
        ),
        case!(
            "src/ok.js",
            "const pRetry = require('p-retry');\nconst load = () => pRetry(() => axios.get('/items', { timeout: 1000 }), { retries: 3 });\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    @Retryable(maxAttempts = 3)\n    Profile load(String id) {\n        return rest.getForObject(\"/profiles/\" + id, Profile.class);\n    }\n}\n"
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
            Family::Python => &[
                "while_statement",
                "for_statement",
                "function_definition",
                "call",
            ],
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
                "method_declaration",
                "method_invocation",
            ],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        let f = cx.family();
        if retry::loop_kinds(f).contains(&node.kind_name()) {
            if let Some(rl) = retry::retry_loop(node, cx) {
                let (line, _) = cx.pos(node);
                let label = retry::loop_label(&rl, cx);
                scan_scope(
                    rl.attempt,
                    node,
                    &format!("the `{label}` loop at line {line}"),
                    cx,
                );
            }
            return;
        }
        if node.kind_name() != "function_definition"
            && node.kind_name() != "method_declaration"
            && !retry::imports_retry_library(cx)
        {
            return;
        }
        match (f, node.kind_name()) {
            (Family::Python, "function_definition") => {
                if let Some((_, lib)) = retry::py_decorated_retry(node, cx)
                    && let Some(body) = node.field("body")
                {
                    scan_scope(body, node, &format!("`@{lib}`"), cx);
                }
            }
            (Family::Python, "call") => python_policy(node, cx),
            (Family::Go, "call_expression") => {
                let (w, r) = cx.callee(node);
                let is_retry = (r.starts_with("github.com/avast/retry-go")
                    || r.starts_with("github.com/sethvargo/go-retry"))
                    && syntax::last_segment(&r) == "Do"
                    || r.starts_with("github.com/cenkalti/backoff")
                        && syntax::last_segment(&r).starts_with("Retry");
                if is_retry {
                    for a in positional_args(node) {
                        if a.kind_name() == "func_literal"
                            && let Some(b) = a.field("body")
                        {
                            scan_scope(b, node, &format!("`{w}`"), cx);
                        }
                    }
                }
            }
            (Family::Js, "call_expression") => {
                let (w, r) = cx.callee(node);
                if r == "axios-retry" {
                    axios_retry_condition(node, cx);
                    return;
                }
                let lw = w.to_ascii_lowercase();
                let is_retry = matches!(
                    r.as_str(),
                    "p-retry" | "async-retry" | "promise-retry" | "retry"
                ) || (lw.ends_with("retry") && !lw.contains('.'));
                if is_retry
                    && let Some(fun) = positional_args(node).into_iter().find(|a| {
                        matches!(
                            a.kind_name(),
                            "arrow_function" | "function_expression" | "function"
                        )
                    })
                    && let Some(b) = fun.field("body")
                {
                    scan_scope(b, node, &format!("`{w}`"), cx);
                }
            }
            (Family::Java, "method_declaration") => {
                let head = node
                    .named_child(0)
                    .filter(|m| m.kind_name() == "modifiers")
                    .map(|m| cx.text(m))
                    .unwrap_or("");
                if head.contains("@Retryable")
                    && let Some(b) = node.field("body")
                {
                    scan_scope(b, node, "`@Retryable`", cx);
                }
            }
            (Family::Java, "method_invocation") => {
                let method = node.field("name").map(|n| cx.text(n)).unwrap_or("");
                if !(method.starts_with("decorate")
                    || method.starts_with("execute")
                    || matches!(method, "get" | "run" | "getAsync" | "runAsync"))
                {
                    return;
                }
                let chain = syntax::callee_text(node, cx.src);
                let name = syntax::last_segment(&chain);
                let is_retry = chain.starts_with("Retry.decorate")
                    || chain.starts_with("Retry.execute")
                    || (chain.starts_with("Failsafe.with(")
                        && matches!(name, "get" | "run" | "getAsync" | "runAsync"))
                    || (name == "execute" && chain.to_ascii_lowercase().contains("retrytemplate"));
                if is_retry {
                    for a in positional_args(node) {
                        if a.kind_name() == "lambda_expression"
                            && let Some(b) = a.field("body")
                        {
                            scan_scope(b, node, &format!("`{name}`"), cx);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The enclosing function of a scope mentions an idempotency key or de-duplication.
fn mentions_idempotency(owner: Node<'_>, cx: &Cx<'_>) -> bool {
    let f = syntax::enclosing_function(owner, cx.family());
    let mut texts = vec![cx.text(owner)];
    if let Some(f) = f {
        texts.push(cx.text(f));
        if let Some(p) = f
            .parent()
            .filter(|p| p.kind_name() == "decorated_definition")
        {
            texts.push(cx.text(p));
        }
    }
    texts.iter().any(|t| {
        let l = t.to_ascii_lowercase();
        l.contains("idempot") || l.contains("dedup") || l.contains("request_id_header")
    })
}

/// Reports the first non-idempotent call inside a retried scope.
fn scan_scope(scope: Node<'_>, owner: Node<'_>, by: &str, cx: &mut Cx<'_>) {
    let f = cx.family();
    let call = std::iter::once(scope)
        .chain(retry::local(scope, f, true))
        .filter(|d| syntax::call_kinds(f).contains(&d.kind_name()))
        .find_map(|d| non_idempotent(d, cx).map(|what| (d, what)));
    let Some((call, (name, kind))) = call else {
        return;
    };
    if mentions_idempotency(owner, cx) || mentions_idempotency(call, cx) {
        return;
    }
    let (what, conf) = match kind {
        Kind::Http => (
            "a timeout after the server acted repeats the write",
            Confidence::Medium,
        ),
        Kind::Payment => (
            "a timeout after the provider charged repeats the payment",
            Confidence::High,
        ),
        Kind::Message => (
            "a timeout after the message left sends it again",
            Confidence::Medium,
        ),
    };
    cx.hit(
        &META,
        call,
        name.clone(),
        format!("`{name}` is retried by {by} without an idempotency key: {what}"),
    )
    .confidence(conf);
}

#[derive(Clone, Copy)]
enum Kind {
    Http,
    Payment,
    Message,
}

fn client_like(recv: &str) -> bool {
    let l = recv.to_ascii_lowercase();
    [
        "session", "client", "http", "api", "requests", "httpx", "axios", "rest", "got",
    ]
    .iter()
    .any(|k| l.contains(k))
}

/// Whether a call is a non-idempotent operation; its name as written and its kind.
fn non_idempotent(call: Node<'_>, cx: &Cx<'_>) -> Option<(String, Kind)> {
    let (w, r) = cx.callee(call);
    if w.is_empty() {
        return None;
    }
    let last = syntax::last_segment(&w);
    let lower_last = last.to_ascii_lowercase();
    let recv = syntax::receiver(&w).unwrap_or("");
    let args = positional_args(call);
    let first_str = args.first().and_then(|a| string_value(*a, cx.src));
    let is_write_method = |m: &str| matches!(m.to_ascii_uppercase().as_str(), "POST" | "PATCH");
    // Payments and messages, by name.
    let reads = [
        "get", "list", "retrieve", "fetch", "find", "read", "load", "search",
    ];
    if !reads.iter().any(|p| lower_last.starts_with(p)) {
        let lw = w.to_ascii_lowercase().replace('_', "");
        if lw.contains("charge") && !lw.contains("recharge") && !lw.contains("discharge")
            || lw.contains("refund")
            || lw.contains("payout")
            || lw.contains("paymentintent")
            || lw.contains("payments.create")
        {
            return Some((w, Kind::Payment));
        }
        if [
            "sendmail",
            "sendemail",
            "sendsms",
            "sendtext",
            "messages.create",
        ]
        .iter()
        .any(|k| lw.contains(k))
        {
            return Some((w, Kind::Message));
        }
    }
    match cx.family() {
        Family::Python => {
            if matches!(
                r.as_str(),
                "requests.post" | "requests.patch" | "httpx.post" | "httpx.patch"
            ) {
                return Some((r, Kind::Http));
            }
            if matches!(last, "post" | "patch") && client_like(recv) {
                return Some((w, Kind::Http));
            }
            if last == "request"
                && (r.starts_with("requests.") || r.starts_with("httpx.") || client_like(recv))
                && first_str.is_some_and(is_write_method)
            {
                return Some((w, Kind::Http));
            }
        }
        Family::Go => {
            if matches!(r.as_str(), "net/http.Post" | "net/http.PostForm") {
                return Some((w, Kind::Http));
            }
            if matches!(last, "Post" | "PostForm") && client_like(recv) {
                return Some((w, Kind::Http));
            }
            if matches!(
                r.as_str(),
                "net/http.NewRequest" | "net/http.NewRequestWithContext"
            ) {
                let m = if r.ends_with("WithContext") {
                    args.get(1)
                } else {
                    args.first()
                };
                let mt = m.map(|m| cx.text(*m)).unwrap_or("");
                if matches!(
                    mt,
                    "\"POST\"" | "\"PATCH\"" | "http.MethodPost" | "http.MethodPatch"
                ) {
                    return Some((w, Kind::Http));
                }
            }
        }
        Family::Js => {
            if matches!(last, "post" | "patch")
                && (r.starts_with("axios") || r.starts_with("got") || client_like(recv))
            {
                return Some((w, Kind::Http));
            }
            if w == "fetch"
                && let Some(init) = args.get(1)
                && init.kind_name() == "object"
                && let Some(m) = syntax::js_object_value(*init, cx.src, "method")
                && string_value(m, cx.src).is_some_and(is_write_method)
            {
                return Some((w, Kind::Http));
            }
        }
        Family::Java => {
            if matches!(last, "postForObject" | "postForEntity" | "postForLocation") {
                return Some((w, Kind::Http));
            }
            if last == "exchange"
                && args
                    .iter()
                    .any(|a| matches!(cx.text(*a), "HttpMethod.POST" | "HttpMethod.PATCH"))
            {
                return Some((w, Kind::Http));
            }
            if (last == "post" && args.is_empty() && client_like(recv))
                || (last == "POST" && w.contains("HttpRequest"))
            {
                return Some((w, Kind::Http));
            }
        }
    }
    None
}

/// urllib3 `Retry(allowed_methods=None)` (or `method_whitelist`), or a method list with
/// POST/PATCH.
fn python_policy(call: Node<'_>, cx: &mut Cx<'_>) {
    let (_, r) = cx.callee(call);
    if !matches!(
        r.as_str(),
        "urllib3.util.retry.Retry"
            | "urllib3.Retry"
            | "urllib3.util.Retry"
            | "requests.packages.urllib3.util.retry.Retry"
    ) {
        return;
    }
    for key in ["allowed_methods", "method_whitelist"] {
        let Some(v) = kwarg(call, cx.src, key) else {
            continue;
        };
        let t = cx.text(v);
        if t == "None" || t == "False" {
            cx.hit(
                &META,
                v.parent().unwrap_or(v),
                key.to_string(),
                format!("`{key}={t}` retries every HTTP method, POST and PATCH included: a retried write can be applied twice"),
            );
        } else if t.contains("\"POST\"")
            || t.contains("'POST'")
            || t.contains("\"PATCH\"")
            || t.contains("'PATCH'")
        {
            cx.hit(
                &META,
                v.parent().unwrap_or(v),
                key.to_string(),
                format!("`{key}` includes POST/PATCH: a retried write can be applied twice"),
            );
        }
    }
}

/// axios-retry `retryCondition` that retries any request, not only idempotent ones.
fn axios_retry_condition(call: Node<'_>, cx: &mut Cx<'_>) {
    let Some(opts) = positional_args(call).get(1).copied() else {
        return;
    };
    if opts.kind_name() != "object" {
        return;
    }
    let Some(v) = syntax::js_object_value(opts, cx.src, "retryCondition") else {
        return;
    };
    let t: String = cx.text(v).chars().filter(|c| !c.is_whitespace()).collect();
    let any = t.ends_with("=>true")
        || t.ends_with("isRetryableError")
        || t.ends_with("isNetworkError")
        || t.contains("=>{returntrue;}")
        || t.contains("=>{returntrue}");
    if any && !t.to_ascii_lowercase().contains("method") {
        cx.hit(
            &META,
            v.parent().unwrap_or(v),
            "retryCondition",
            "`retryCondition` retries every request, POST and PATCH included: a retried write can be applied twice",
        );
    }
}
