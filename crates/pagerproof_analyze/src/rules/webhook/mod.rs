//! WEBHOOK-SIG: webhook receivers that trust their sender.
//!
//! A webhook receiver is an HTTP entry point (see `rules/reach.rs`) whose route has a
//! `hook` segment (`/webhook`, `/webhooks/stripe`, `/hooks/github`), or whose handler name
//! says `webhook`, or whose route names a known sender and an event endpoint
//! (`/stripe/events`, `/slack/events`, `/paypal/ipn`). OAuth `callback` routes are not
//! webhooks.

pub mod timing;
pub mod unverified;

use crate::rule::Cx;
use crate::rules::reach::{Entry, EntryKind, RequestPaths};

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

/// Why an entry is a webhook receiver, or `None`.
pub fn webhook_reason(e: &Entry<'_>) -> Option<String> {
    if e.kind != EntryKind::Http {
        return None;
    }
    let name = e.name.to_ascii_lowercase();
    if let Some(r) = &e.route {
        let lower = r.to_ascii_lowercase();
        if lower.contains("hook") {
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
    if name.contains("webhook") || name.ends_with("_hook") || name.ends_with("hook_handler") {
        return Some(format!("handler `{}`", e.name));
    }
    None
}

/// The webhook receivers of a file.
pub fn receivers<'a, 't>(rp: &'a RequestPaths<'t>) -> Vec<(&'a Entry<'t>, String)> {
    rp.entries
        .iter()
        .filter_map(|e| webhook_reason(e).map(|r| (e, r)))
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
