//! `webhook-without-deduplication`: a webhook receiver that never looks at the delivery's
//! id, so a redelivered event is processed again.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::idempotency::dedup_evidence;
use crate::rules::reach;
use crate::rules::webhook::receivers;

pub static META: RuleMeta = RuleMeta {
    id: "webhook-without-deduplication",
    category: "IDEMPOTENCY",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Webhook receiver that does not de-duplicate redelivered events",
    docs: Docs {
        what: "A webhook receiver (see `webhook-without-signature-check` for how receivers are recognised) in a \
file where nothing de-duplicates deliveries: the event or delivery id is never read (`event.id`, `event[\"id\"]`, \
`event_id`, `X-GitHub-Delivery`, `svix-id`, `webhook-id`), no idempotency key is used, and there is no uniqueness \
guard (`get_or_create`, `ON CONFLICT`, `upsert`, `SETNX`, `unique`) or \"already processed\" check. Every sender \
(Stripe, GitHub, Shopify, Slack...) delivers at least once and retries on timeouts and non-2xx answers.",
        scenario: "The receiver is slow or fails after doing part of the work; the sender retries the same \
event, minutes or hours later, possibly several times. Events can also arrive out of order.",
        impact: "The side effects run again: a second fulfilment, a second email, a credit applied twice, \
counters incremented twice.",
        detection: "Duplicate side effects whose timestamps match the sender's retry schedule; the sender's \
dashboard shows several deliveries for one event.",
        mitigation: "Record each event id under a unique constraint before (or in the same transaction as) acting \
on it, and answer 2xx without acting when it was already recorded; make the handlers idempotent for the \
resources they touch.",
        fixes: &[
            (
                "python",
                "if ProcessedEvent.objects.filter(event_id=event[\"id\"]).exists():\n    return HttpResponse(status=200)\nwith transaction.atomic():\n    ProcessedEvent.objects.create(event_id=event[\"id\"])\n    handle(event)",
            ),
            (
                "go",
                "res, err := db.ExecContext(ctx, `INSERT INTO processed_events (id) VALUES ($1) ON CONFLICT DO NOTHING`, event.ID)\nif n, _ := res.RowsAffected(); n == 0 {\n    w.WriteHeader(http.StatusOK) // already processed\n    return\n}",
            ),
            (
                "javascript",
                "const fresh = await redis.set(`evt:${event.id}`, '1', { NX: true, EX: 86400 });\nif (!fresh) return res.sendStatus(200);",
            ),
            (
                "typescript",
                "const fresh = await redis.set(`evt:${event.id}`, '1', { NX: true, EX: 86400 });\nif (!fresh) return res.sendStatus(200);",
            ),
            (
                "java",
                "if (!processedEvents.insertIfAbsent(event.getId())) { return ResponseEntity.ok().build(); }",
            ),
        ],
        monitoring: "Count duplicate deliveries (events seen twice) per sender; alert when side effects repeat for \
one event id.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/hooks.py",
            r#"import stripe
from flask import Flask, request

app = Flask(__name__)

@app.post("/webhooks/stripe")
def stripe_webhook():
    ^ `stripe_webhook` receives webhooks (route `/webhooks/stripe`)
    event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"], SECRET)
    if event.type == "checkout.session.completed":
        fulfil(event.data.object)
    return "", 200
"#
        ),
        case!(
            "app/dedup.py",
            r#"import stripe
from flask import Flask, request

app = Flask(__name__)

@app.post("/webhooks/stripe")
def stripe_webhook():
    event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"], SECRET)
    if seen(event.id):
        return "", 200
    fulfil(event.data.object)
    return "", 200
"#
        ),
        case!(
            "cmd/hooks/main.go",
            r#"package main

import (
	"encoding/json"
	"net/http"
)

func handleWebhook(w http.ResponseWriter, r *http.Request) {
     ^ `handleWebhook` receives webhooks
	var ev Event
	json.NewDecoder(r.Body).Decode(&ev)
	apply(ev)
}
"#
        ),
        case!(
            "cmd/hooks2/main.go",
            r#"package main

import "net/http"

func handleWebhook(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-GitHub-Delivery")
	apply(id, r)
}
"#
        ),
        case!(
            "src/hooks.js",
            r#"const app = require('express')();
app.post('/hooks/shopify', (req, res) => {
                           ^ receives webhooks (route `/hooks/shopify`)
  createOrder(req.body);
  res.sendStatus(200);
});
"#
        ),
        case!(
            "src/hooks.ts",
            r#"import express from 'express';
const app = express();
app.post('/hooks/shopify', async (req, res) => {
  const fresh = await redis.set(`evt:${req.header('x-shopify-webhook-id')}`, '1', { NX: true });
  if (fresh) await createOrder(req.body);
  res.sendStatus(200);
});
"#
        ),
        case!(
            "src/main/java/com/acme/Hooks.java",
            r#"package com.acme;
import org.springframework.web.bind.annotation.*;
@RestController
class Hooks {
    @PostMapping("/webhooks/github")
    void onEvent(@RequestBody String body) { deploy(body); }
         ^ `onEvent` receives webhooks
}
"#
        ),
        case!(
            "src/main/java/com/acme/Hooks2.java",
            r#"package com.acme;
import org.springframework.web.bind.annotation.*;
@RestController
class Hooks2 {
    @PostMapping("/webhooks/github")
    void onEvent(@RequestHeader("X-GitHub-Delivery") String delivery, @RequestBody String body) { deploy(delivery, body); }
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
        if dedup_evidence(cx.src).is_some() {
            return;
        }
        let rp = cx.request_paths();
        let found: Vec<(Node<'_>, String, String)> = receivers(&rp, cx)
            .into_iter()
            .map(|(e, why)| (e.func, e.name.clone(), why))
            .collect();
        for (func, name, why) in found {
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
                    "{who} receives webhooks ({why}) and nothing in this file de-duplicates deliveries (no event/delivery id, idempotency key or uniqueness guard): a redelivered event is processed twice"
                ),
            );
        }
    }
}
