//! `payment-handler-without-idempotency-key`: an endpoint or RPC that charges, pays,
//! refunds or places an order, with no idempotency key and no de-duplication in sight.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::idempotency::dedup_evidence;
use crate::rules::reach::{self, EntryKind};

pub static META: RuleMeta = RuleMeta {
    id: "payment-handler-without-idempotency-key",
    category: "IDEMPOTENCY",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Payment or order endpoint/RPC that accepts no idempotency key",
    docs: Docs {
        what: "A request entry point (HTTP route, gRPC method, message listener) whose name says it moves money \
or places an order — `Charge`, `Pay`, `Payment`, `PlaceOrder`, `Checkout`, `Purchase`, `Refund`, `Payout`, \
`Withdraw`, `CreateOrder`, `Capture` (read-only names such as `get_`, `list_`, `find_` excluded) — in a file \
where neither the handler nor anything else shows de-duplication. De-duplication means one of: an idempotency key \
(`Idempotency-Key`, `idempotency_key`, `idempotencyKey`), a request/event/message id used by the handler \
(`request_id`, `event_id`, `event.id`, `message_id`), or a uniqueness guard (`get_or_create`, `ON CONFLICT`, \
`upsert`, `SETNX`, `unique`), or an explicit state guard that mentions `already` (\"already refunded\"). A key checked in another file (a middleware, the caller) is invisible here.",
        scenario: "A client times out waiting for the answer and retries; a load balancer or mesh retries on a \
reset; a user double-clicks; a message is redelivered.",
        impact: "The operation runs twice: a second charge, a second order, a second refund. Customers are billed \
twice and support has to reverse it by hand.",
        detection: "Duplicate orders or payments with the same customer, amount and a few seconds apart.",
        mitigation: "Accept an idempotency key from the caller (a header or a request field), store it with the \
result under a unique constraint, and return the stored result when the key is seen again.",
        fixes: &[
            (
                "python",
                "@app.post(\"/payments\")\ndef create_payment(body: PaymentIn, idempotency_key: str = Header(...)):\n    if (done := repo.find_by_key(idempotency_key)):\n        return done\n    ...",
            ),
            (
                "go",
                "// message ChargeRequest { string idempotency_key = 1; ... }\nif prev, ok := s.store.Get(ctx, req.IdempotencyKey); ok {\n    return prev, nil\n}",
            ),
            (
                "javascript",
                "const key = req.get('Idempotency-Key');\nconst prev = await db.payments.findOne({ where: { idempotencyKey: key } });\nif (prev) return res.json(prev);",
            ),
            (
                "typescript",
                "const key = req.header('Idempotency-Key');\nconst prev = await repo.findByIdempotencyKey(key);\nif (prev) return res.json(prev);",
            ),
            (
                "java",
                "@PostMapping(\"/payments\")\nPayment create(@RequestHeader(\"Idempotency-Key\") String key, @RequestBody PaymentRequest r) {\n    return payments.findByIdempotencyKey(key).orElseGet(() -> payments.charge(key, r));\n}",
            ),
        ],
        monitoring: "Alert on duplicate business operations (same customer, amount and item within minutes).",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/api.py",
            r#"from fastapi import FastAPI

app = FastAPI()

@app.post("/payments")
def create_payment(body: dict):
    ^ `create_payment` moves money or places an order
    return gateway.charge(body["amount"], body["card"])

@app.get("/payments/{pid}")
def get_payment(pid: str):
    return repo.get(pid)
"#
        ),
        case!(
            "app/safe.py",
            r#"from fastapi import FastAPI, Header

app = FastAPI()

@app.post("/payments")
def create_payment(body: dict, idempotency_key: str = Header(...)):
    return gateway.charge(body["amount"], idempotency_key)
"#
        ),
        case!(
            "src/checkout/main.go",
            r#"package main

import (
	"context"

	pb "example.com/shop/genproto"
)

type checkoutService struct{}

func (cs *checkoutService) PlaceOrder(ctx context.Context, req *pb.PlaceOrderRequest) (*pb.PlaceOrderResponse, error) {
                           ^ `PlaceOrder` moves money or places an order
	return &pb.PlaceOrderResponse{}, nil
}

func (cs *checkoutService) GetOrder(ctx context.Context, req *pb.GetOrderRequest) (*pb.Order, error) {
	return nil, nil
}
"#
        ),
        case!(
            "src/orders/main.go",
            r#"package main

import (
	"context"

	pb "example.com/shop/genproto"
)

type svc struct{}

func (s *svc) PlaceOrder(ctx context.Context, req *pb.PlaceOrderRequest) (*pb.PlaceOrderResponse, error) {
	if done, ok := s.byKey(req.IdempotencyKey); ok {
		return done, nil
	}
	return &pb.PlaceOrderResponse{}, nil
}
"#
        ),
        case!(
            "src/server.js",
            r#"const grpc = require('@grpc/grpc-js');
const charge = require('./charge');

class Server {
  static ChargeServiceHandler(call, callback) {
         ^ `charge` moves money or places an order
    callback(null, charge(call.request));
  }
  start() {
    this.server.addService(pkg.PaymentService.service, { charge: Server.ChargeServiceHandler.bind(this) });
  }
}
"#
        ),
        case!(
            "src/refunds.ts",
            r#"import express from 'express';
const app = express();
app.post('/refunds', async (req, res) => {
  const key = req.header('Idempotency-Key');
  res.json(await refund(req.body, key));
});
"#
        ),
        case!(
            "src/main/java/com/acme/PaymentController.java",
            r#"package com.acme;

import org.springframework.web.bind.annotation.*;

@RestController
class PaymentController {
    @PostMapping("/payments")
    Payment pay(@RequestBody PaymentRequest r) {
            ^ `pay` moves money or places an order
        return gateway.charge(r);
    }

    @GetMapping("/payments")
    java.util.List<Payment> listPayments() { return repo.all(); }
}
"#
        ),
        case!(
            "src/main/java/com/acme/RefundController.java",
            r#"package com.acme;

import org.springframework.web.bind.annotation.*;

@RestController
class RefundController {
    @PostMapping("/refunds")
    Refund refund(@RequestHeader("Idempotency-Key") String key, @RequestBody RefundRequest r) {
        return refunds.findByKey(key).orElseGet(() -> refunds.create(key, r));
    }
}
"#
        ),
    ],
};

/// Name words that say "this moves money or creates an order" on their own.
const ACTIONS: &[&str] = &[
    "charge",
    "pay",
    "refund",
    "withdraw",
    "capture",
    "purchase",
    "placeorder",
    "createorder",
    "buy",
];
/// Nouns that need a creating verb (`create_payment`, `process_payout`, `complete_checkout`).
const NOUNS: &[&str] = &[
    "payment",
    "payout",
    "order",
    "checkout",
    "transaction",
    "donation",
];
const VERBS: &[&str] = &[
    "create", "make", "process", "submit", "new", "place", "execute", "confirm", "retry",
    "complete", "send", "initiate", "post",
];
/// Words that make a name about settings or views of payments, not a payment.
const EXCLUDED: &[&str] = &[
    "method",
    "methods",
    "details",
    "account",
    "accounts",
    "settings",
    "period",
    "datatable",
    "status",
    "info",
    "link",
    "portal",
    "session",
    "sessions",
    "preview",
    "history",
    "report",
    "webhook",
    "page",
    "form",
    "estimate",
    "quote",
];
const READ_PREFIXES: &[&str] = &[
    "get",
    "list",
    "find",
    "fetch",
    "read",
    "show",
    "render",
    "view",
    "search",
    "lookup",
    "load",
    "count",
    "is",
    "has",
    "validate",
    "check",
    "preview",
    "estimate",
    "calculate",
    "quote",
    "delete",
    "cancel",
];

/// Whether a handler name says it moves money or places an order.
pub fn is_payment_name(name: &str) -> bool {
    let ws = crate::rules::webhook::name_words(name);
    let Some(first) = ws.first() else {
        return false;
    };
    if READ_PREFIXES.contains(&first.as_str()) || ws.iter().any(|w| EXCLUDED.contains(&w.as_str()))
    {
        return false;
    }
    let joined: String = ws.concat();
    let action = ws.iter().any(|w| ACTIONS.contains(&w.as_str()))
        || joined.contains("placeorder")
        || joined.contains("createorder");
    let noun = ws.iter().any(|w| NOUNS.contains(&w.trim_end_matches('s')));
    let verb = ws.iter().any(|w| VERBS.contains(&w.as_str()));
    action || (noun && verb)
}

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
        if !ACTIONS.iter().chain(NOUNS).any(|w| lower.contains(w)) {
            return;
        }
        if dedup_evidence(cx.src).is_some() {
            return;
        }
        let rp = cx.request_paths();
        let found: Vec<(Node<'_>, String)> = rp
            .entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Http | EntryKind::Rpc))
            .filter(|e| !e.name.is_empty() && is_payment_name(&e.name))
            // HTTP routes registered for GET are reads.
            .filter(|e| reach::http_method(e, cx).is_none_or(|m| m != "GET"))
            .map(|e| (e.func, e.name.clone()))
            .collect();
        for (func, name) in found {
            let at = func.field("name").unwrap_or(func);
            cx.hit(
                &META,
                at,
                name.clone(),
                format!("`{name}` moves money or places an order and accepts no idempotency key, and nothing in this file de-duplicates requests: a client or mesh retry runs it twice"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_names() {
        assert!(is_payment_name("PlaceOrder"));
        assert!(is_payment_name("create_payment"));
        assert!(is_payment_name("charge"));
        assert!(is_payment_name("ChargeServiceHandler"));
        assert!(!is_payment_name("GetPayment"));
        assert!(!is_payment_name("list_payments"));
        assert!(!is_payment_name("paypal_webhook_status"));
        assert!(!is_payment_name("display"));
        assert!(!is_payment_name("add_payment_method"));
        assert!(!is_payment_name("start_subscription_checkout"));
        assert!(!is_payment_name("set_payout_account"));
        assert!(is_payment_name("retry_payment"));
        assert!(is_payment_name("create_payment"));
        assert!(is_payment_name("refund"));
    }
}
