//! WEBHOOK-SIG: webhook receivers that trust their sender.
//!
//! A webhook receiver is an HTTP entry point (see `rules/reach.rs`) whose route has a
//! `hook` segment (`/webhook`, `/webhooks/stripe`, `/hooks/github`), or whose handler name
//! says `webhook`, or whose route names a known sender and an event endpoint
//! (`/stripe/events`, `/slack/events`, `/paypal/ipn`). OAuth `callback` routes are not
//! webhooks.

pub mod timing;
pub mod unverified;

use crate::lang::NodeExt;
use crate::lang::syntax::descendants;
use crate::rule::Cx;
use crate::rules::reach::{self, Entry, EntryKind, RequestPaths};

const SENDERS: &[&str] = &[
    "stripe",
    "github",
    "gitlab",
    "slack",
    "twilio",
    "shopify",
    "paddle",
    "paypal",
    "sendgrid",
    "mailgun",
    "postmark",
    "plaid",
    "square",
    "lemonsqueezy",
    "clerk",
    "svix",
    "discord",
    "telegram",
    "zoom",
    "intercom",
    "hubspot",
    "docusign",
    "razorpay",
    "mollie",
    "adyen",
    "braintree",
    "checkout",
    "coinbase",
    "resend",
    "linear",
    "jira",
    "bitbucket",
];

/// First words of handler names that manage webhooks rather than receive them
/// (`list_webhook_endpoints`, `createWebhook`, `redeliver_webhook_event`).
const MANAGEMENT: &[&str] = &[
    "list",
    "get",
    "create",
    "update",
    "delete",
    "reset",
    "redeliver",
    "set",
    "remove",
    "register",
    "test",
    "send",
    "enable",
    "disable",
    "retry",
    "add",
    "patch",
    "put",
    "show",
    "view",
    "edit",
    "fetch",
    "find",
    "count",
    "new",
    "destroy",
    "index",
    "ping",
    "rotate",
    "trigger",
    "dispatch",
    "deliver",
    "schedule",
    "enqueue",
    "emit",
    "publish",
    "notify",
    "post",
    "build",
    "render",
];
/// First words that say "this handles an incoming delivery".
const RECEIVE: &[&str] = &[
    "handle", "receive", "process", "on", "ingest", "consume", "accept",
];

/// Lower-case words of an identifier (`handleStripeWebhook` -> handle, stripe, webhook).
pub fn name_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else if c.is_ascii_uppercase()
            && !cur.is_empty()
            && !cur.chars().last().is_some_and(|l| l.is_ascii_uppercase())
        {
            out.push(std::mem::take(&mut cur));
            cur.push(c.to_ascii_lowercase());
        } else {
            cur.push(c.to_ascii_lowercase());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Why an entry is a webhook receiver, or `None`.
pub fn webhook_reason(e: &Entry<'_>, cx: &Cx<'_>) -> Option<String> {
    if e.kind != EntryKind::Http {
        return None;
    }
    if reach::http_method(e, cx).is_some_and(|m| m != "POST" && m != "PUT") {
        return None;
    }
    let words = name_words(&e.name);
    if words
        .first()
        .is_some_and(|w| MANAGEMENT.contains(&w.as_str()))
    {
        return None;
    }
    if user_facing(e, cx) || delegates_request(e, cx) {
        return None;
    }
    if let Some(r) = &e.route {
        let lower = r.to_ascii_lowercase();
        let managed = [
            "endpoint",
            "subscription",
            "deliver",
            "setting",
            "config",
            "test",
        ]
        .iter()
        .any(|m| {
            lower
                .split("hook")
                .nth(1)
                .is_some_and(|after| after.contains(m))
        });
        if lower.contains("hook") && !managed {
            return Some(format!("route `{r}`"));
        }
        let sender = SENDERS.iter().any(|s| lower.contains(s));
        let events = ["event", "notify", "notification", "ipn", "inbound"]
            .iter()
            .any(|s| lower.contains(s));
        if sender && events {
            return Some(format!("route `{r}`"));
        }
    }
    let last = words.last().map(String::as_str).unwrap_or("");
    let hookish = words.iter().any(|w| w == "webhook" || w == "hook");
    let receiver_name = hookish
        && (words.first().is_some_and(|w| RECEIVE.contains(&w.as_str()))
            || matches!(
                last,
                "webhook" | "hook" | "handler" | "receiver" | "listener"
            ));
    if receiver_name {
        return Some(format!("handler `{}`", e.name));
    }
    None
}

/// A handler behind user authentication (an API for people, not for senders):
/// `Depends(get_current_user)`, `auth_subject`, `@login_required`, `@PreAuthorize`.
fn user_facing(e: &Entry<'_>, cx: &Cx<'_>) -> bool {
    let head_end = e
        .func
        .field("body")
        .map(|b| b.start_byte())
        .unwrap_or(e.func.end_byte());
    let start = e
        .func
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")
        .map(|p| p.start_byte())
        .unwrap_or(e.func.start_byte());
    let head = cx
        .src
        .get(start..head_end)
        .unwrap_or("")
        .to_ascii_lowercase();
    [
        "auth",
        "login_required",
        "current_user",
        "permission",
        "preauthorize",
        "secured",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// A handler that hands the whole request to code in another file (a plugin manager, a
/// dispatcher), which is where verification would happen.
fn delegates_request(e: &Entry<'_>, cx: &Cx<'_>) -> bool {
    let ps = reach::params(e.func, cx);
    let req: Vec<&str> = ps
        .iter()
        .filter(|(n, t)| {
            matches!(n.as_str(), "request" | "req" | "r" | "ctx" | "c")
                || t.ends_with("Request")
                || t.ends_with("http.Request")
        })
        .map(|(n, _)| n.as_str())
        .collect();
    if req.is_empty() {
        return false;
    }
    let local: Vec<String> = reach::functions(cx).into_iter().map(|f| f.name).collect();
    descendants(e.func).any(|n| {
        crate::lang::syntax::call_kinds(cx.family()).contains(&n.kind_name())
            && crate::lang::syntax::positional_args(n)
                .iter()
                .any(|a| req.contains(&cx.text(*a)))
            && {
                let callee = crate::lang::syntax::callee_text(n, cx.src);
                let last = crate::lang::syntax::last_segment(&callee);
                !local.iter().any(|l| l == last)
                    && !matches!(
                        last,
                        "loads" | "json" | "get_json" | "Decode" | "parse" | "Unmarshal"
                    )
            }
    })
}

/// The webhook receivers of a file.
pub fn receivers<'a, 't>(rp: &'a RequestPaths<'t>, cx: &Cx<'t>) -> Vec<(&'a Entry<'t>, String)> {
    rp.entries
        .iter()
        .filter_map(|e| webhook_reason(e, cx).map(|r| (e, r)))
        .collect()
}

/// Evidence in a file that incoming webhooks are authenticated: signature verification
/// helpers of the common senders, HMAC, Svix/Standard Webhooks, Slack/Twilio validators.
pub fn verifies(cx: &Cx<'_>) -> bool {
    let lower = cx.src.to_ascii_lowercase();
    const TOKENS: &[&str] = &[
        "signature",
        "construct_event",
        "constructevent",
        "hmac",
        "verify",
        "validatepayload",
        "validate_payload",
        "svix",
        "standardwebhooks",
        "requestvalidator",
        "validate_request",
        "validaterequest",
        "timingsafeequal",
        "compare_digest",
        "constanttimecompare",
        "messagedigest.isequal",
        "x-hub-signature",
        "x-gitlab-token",
        "authorization",
        "basicauth",
        "basic_auth",
        "webhook_secret",
        "webhooksecret",
        "signing_secret",
        "signingsecret",
        "verifier",
        "jwt",
    ];
    TOKENS.iter().any(|t| lower.contains(t))
}
