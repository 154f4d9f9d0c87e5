//! `webhook-without-signature-check`: a webhook receiver whose file shows no signature
//! verification or sender authentication.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;
use crate::rules::webhook::{receivers, verifies};

pub static META: RuleMeta = RuleMeta {
    id: "webhook-without-signature-check",
    category: "WEBHOOK-SIG",
    severity: Severity::P0,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Webhook receiver that does not verify the sender's signature",
    docs: Docs {
        what: "An HTTP handler that receives webhooks — its route has a `hook` segment (`/webhook`, \
`/webhooks/stripe`, `/hooks/github`), or its name says `webhook`, or its route names a known sender and an event \
endpoint (`/stripe/events`, `/slack/events`, `/paypal/ipn`) — in a file with no sign of authenticating the \
sender: no Stripe `Webhook.construct_event`/`stripe.webhooks.constructEvent`/`webhook.ConstructEvent`, no \
GitHub `X-Hub-Signature-256` check or `github.ValidatePayload`, no Slack signing-secret or Twilio \
`RequestValidator`, no Svix/Standard Webhooks verification, no HMAC, no `verify`/`signature` helper, and no \
`Authorization` check. Verification done in another file (a middleware, a dependency) is invisible here, which is \
why the confidence is medium: a `pagerproof: ignore` with the reason documents it.",
        scenario: "Someone finds the endpoint (they are easy to guess, and often listed in public docs) and posts \
a forged event: `payment_intent.succeeded`, `invoice.paid`, a `push` to the main branch.",
        impact: "The service acts on events nobody sent: orders marked paid without payment, accounts upgraded, \
deployments triggered, data overwritten. A security breach with direct financial impact.",
        detection: "Webhook events whose ids do not exist at the sender; state changes without a matching \
record in the sender's dashboard.",
        mitigation: "Verify the signature on the raw body with the sender's library and the endpoint's secret \
before parsing or acting, reject on failure, and reject stale timestamps.",
        fixes: &[
            (
                "python",
                "payload = request.get_data()\nsig = request.headers.get(\"Stripe-Signature\")\ntry:\n    event = stripe.Webhook.construct_event(payload, sig, endpoint_secret)\nexcept (ValueError, stripe.error.SignatureVerificationError):\n    abort(400)",
            ),
            (
                "go",
                "payload, err := github.ValidatePayload(r, []byte(secret)) // X-Hub-Signature-256\nif err != nil {\n    http.Error(w, \"bad signature\", http.StatusUnauthorized)\n    return\n}",
            ),
            (
                "javascript",
                "app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {\n  let event;\n  try {\n    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret);\n  } catch (err) {\n    return res.status(400).send(`Webhook Error: ${err.message}`);\n  }\n  // ...\n});",
            ),
            (
                "typescript",
                "const event = stripe.webhooks.constructEvent(rawBody, req.headers['stripe-signature'] as string, endpointSecret);",
            ),
            (
                "java",
                "Event event = Webhook.constructEvent(payload, request.getHeader(\"Stripe-Signature\"), endpointSecret);",
            ),
        ],
        monitoring: "Count signature-verification failures per sender and alert on spikes; alert on events \
that reference unknown objects.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/payments.py",
            r#"import json
import stripe
from flask import Flask, request

app = Flask(__name__)

@app.route("/webhooks/stripe", methods=["POST"])
def stripe_webhook():
    ^ `stripe_webhook` receives webhooks (route `/webhooks/stripe`)
    event = json.loads(request.data)
    if event["type"] == "payment_intent.succeeded":
        mark_paid(event["data"]["object"]["id"])
    return "", 200
"#
        ),
        case!(
            "app/verified.py",
            r#"import stripe
from flask import Flask, request

app = Flask(__name__)

@app.route("/webhooks/stripe", methods=["POST"])
def stripe_webhook():
    event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"], SECRET)
    return "", 200

@app.route("/auth/callback")
def oauth_callback():
    return "ok"
"#
        ),
        case!(
            "cmd/hooks/main.go",
            r#"package main

import (
	"encoding/json"
	"net/http"
)

func handleGithub(w http.ResponseWriter, r *http.Request) {
     ^ `handleGithub` receives webhooks (route `/hooks/github`)
	var ev map[string]any
	json.NewDecoder(r.Body).Decode(&ev)
}

func main() {
	http.HandleFunc("/hooks/github", handleGithub)
	http.ListenAndServe(":8080", nil)
}
"#
        ),
        case!(
            "cmd/ok/main.go",
            r#"package main

import (
	"net/http"

	"github.com/google/go-github/v60/github"
)

func handleGithub(w http.ResponseWriter, r *http.Request) {
	payload, err := github.ValidatePayload(r, secret)
	_, _ = payload, err
}

func main() {
	http.HandleFunc("/hooks/github", handleGithub)
}
"#
        ),
        case!(
            "src/webhooks.js",
            r#"const express = require('express');
const app = express();

app.post('/api/webhook', express.json(), async (req, res) => {
                                         ^ receives webhooks (route `/api/webhook`)
  const event = req.body;
  if (event.type === 'checkout.session.completed') await fulfil(event.data.object);
  res.sendStatus(200);
});
"#
        ),
        case!(
            "src/hooks.ts",
            r#"import express from 'express';
import Stripe from 'stripe';
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, secret);
  res.json({ received: event.id });
});
"#
        ),
        case!(
            "src/main/java/com/acme/WebhookController.java",
            r#"package com.acme;

import org.springframework.web.bind.annotation.*;

@RestController
public class WebhookController {
    @PostMapping("/webhooks/paypal")
    public void receive(@RequestBody String body) {
                ^ `receive` receives webhooks (route `/webhooks/paypal`)
        handle(body);
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/StripeController.java",
            r#"package com.acme;

import com.stripe.net.Webhook;
import org.springframework.web.bind.annotation.*;

@RestController
public class StripeController {
    @PostMapping("/webhooks/stripe")
    public void receive(@RequestBody String body, @RequestHeader("Stripe-Signature") String sig) throws Exception {
        Webhook.constructEvent(body, sig, secret);
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
        let lower = cx.src.to_ascii_lowercase();
        if !lower.contains("hook") && !lower.contains("event") && !lower.contains("ipn") {
            return;
        }
        if verifies(cx) {
            return;
        }
        let rp = cx.request_paths();
        let found: Vec<(Node<'_>, String, String)> = receivers(&rp, cx)
            .into_iter()
            .map(|(e, why)| (e.func, e.name.clone(), why))
            .collect();
        for (func, name, why) in found {
            // Point at the function's name, or its start.
            let at = func.field("name").unwrap_or(func);
            let who = if name.is_empty() {
                "This handler".to_string()
            } else {
                format!("`{name}`")
            };
            cx.hit(
                &META,
                at,
                if name.is_empty() { why.clone() } else { name.clone() },
                format!(
                    "{who} receives webhooks ({why}) and nothing in this file verifies a signature or authenticates the sender: anyone who finds the URL can forge events"
                ),
            );
        }
    }
}
