//! `payment-call-without-idempotency-key`: a Stripe call that moves money (payment
//! intent, charge, refund, transfer, payout) made without an idempotency key.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "payment-call-without-idempotency-key",
    category: "IDEMPOTENCY",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Stripe call that moves money made without an idempotency key",
    docs: Docs {
        what: "A Stripe API call that creates a payment, charge, refund, transfer or payout without an idempotency \
key: Python `stripe.PaymentIntent.create`/`Charge.create`/`Refund.create`/`Transfer.create`/`Payout.create` (and \
`client.payment_intents.create` on a `StripeClient`) without `idempotency_key`; Node \
`stripe.paymentIntents.create`/`charges.create`/`refunds.create`/`transfers.create`/`payouts.create` without an \
options object carrying `idempotencyKey`; Go `paymentintent.New`/`charge.New`/`refund.New`/`transfer.New`/\
`payout.New` in a function that never sets `IdempotencyKey`; Java `PaymentIntent.create(params)` and friends \
without `RequestOptions`. The SDKs' own network retries reuse a key they generate, but that does not cover a \
retry of the surrounding request or job, which is what this rule is about.",
        scenario: "The call succeeds at Stripe but the response is lost (a timeout, a deploy, a crashed worker), \
and the caller — a client retry, a queue redelivery, a job re-run, a double click — runs it again.",
        impact: "The customer is charged twice (or refunded twice, or paid out twice). Money moves that must be \
reversed by hand, support tickets and chargebacks.",
        detection: "Duplicate payments for one order in the Stripe dashboard; refunds for duplicate charges.",
        mitigation: "Derive an idempotency key from the business operation (order id + attempt purpose), pass it \
on every money-moving call, and persist it so retries reuse it.",
        fixes: &[
            (
                "python",
                "stripe.PaymentIntent.create(\n    amount=order.total, currency=\"eur\", customer=customer_id,\n    idempotency_key=f\"order-{order.id}-charge\",\n)",
            ),
            (
                "go",
                "params := &stripe.PaymentIntentParams{Amount: stripe.Int64(total), Currency: stripe.String(\"eur\")}\nparams.SetIdempotencyKey(\"order-\" + orderID + \"-charge\")\npi, err := paymentintent.New(params)",
            ),
            (
                "javascript",
                "await stripe.paymentIntents.create(\n  { amount: total, currency: 'eur' },\n  { idempotencyKey: `order-${order.id}-charge` },\n);",
            ),
            (
                "typescript",
                "await stripe.paymentIntents.create(\n  { amount: total, currency: 'eur' },\n  { idempotencyKey: `order-${order.id}-charge` },\n);",
            ),
            (
                "java",
                "RequestOptions options = RequestOptions.builder().setIdempotencyKey(\"order-\" + orderId + \"-charge\").build();\nPaymentIntent pi = PaymentIntent.create(params, options);",
            ),
        ],
        monitoring: "Alert on more than one successful payment per order; reconcile payments against orders daily.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/billing.py",
            r#"import stripe

def charge(order):
    stripe.PaymentIntent.create(amount=order.total, currency="eur")
    ^ `stripe.PaymentIntent.create` without an idempotency key
    stripe.Refund.create(payment_intent=order.pi, idempotency_key=f"refund-{order.id}")
    stripe.Customer.create(email=order.email)
"#
        ),
        case!(
            "app/ok.py",
            r#"import stripe

def charge(order, **opts):
    stripe.Charge.create(amount=order.total, **opts)
    return stripe.Transfer.create(amount=1, destination="acct", idempotency_key=order.key)
"#
        ),
        case!(
            "internal/pay/pay.go",
            r#"package pay

import (
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/paymentintent"
	"github.com/stripe/stripe-go/v76/refund"
)

func Charge(total int64) error {
	_, err := paymentintent.New(&stripe.PaymentIntentParams{Amount: stripe.Int64(total)})
	          ^ `paymentintent.New` without an idempotency key
	return err
}

func Refund(pi, key string) error {
	params := &stripe.RefundParams{PaymentIntent: stripe.String(pi)}
	params.SetIdempotencyKey(key)
	_, err := refund.New(params)
	return err
}
"#
        ),
        case!(
            "internal/pay/ok.go",
            r#"package pay

import (
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/customer"
	"github.com/stripe/stripe-go/v76/payout"
)

func Payout(amount int64, key string) error {
	params := &stripe.PayoutParams{Amount: stripe.Int64(amount)}
	params.IdempotencyKey = stripe.String(key)
	_, err := payout.New(params)
	_, _ = customer.New(&stripe.CustomerParams{})
	return err
}
"#
        ),
        case!(
            "src/pay.js",
            r#"const stripe = require('stripe')(process.env.STRIPE_KEY);
async function pay(order) {
  await stripe.paymentIntents.create({ amount: order.total, currency: 'eur' });
        ^ `stripe.paymentIntents.create` without an idempotency key
  await stripe.refunds.create({ payment_intent: order.pi }, { idempotencyKey: `r-${order.id}` });
  await stripe.customers.create({ email: order.email });
}
module.exports = { pay };
"#
        ),
        case!(
            "src/pay.ts",
            r#"import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_KEY!);
export async function pay(order: { id: string; total: number }, opts: Stripe.RequestOptions) {
  await stripe.charges.create({ amount: order.total, currency: 'eur' }, opts);
}
"#
        ),
        case!(
            "src/main/java/com/acme/Billing.java",
            r#"package com.acme;

import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;

class Billing {
    void charge(PaymentIntentCreateParams params) throws Exception {
        PaymentIntent.create(params);
        ^ `PaymentIntent.create` without an idempotency key
        Refund.create(refundParams, RequestOptions.builder().setIdempotencyKey("r-1").build());
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Ok.java",
            r#"package com.acme;
import com.stripe.model.Customer;
class Ok {
    void make(CustomerCreateParams p) throws Exception { Customer.create(p); }
}
"#
        ),
    ],
};

const PY_CLASSES: &[&str] = &["PaymentIntent", "Charge", "Refund", "Transfer", "Payout"];
const PY_SERVICES: &[&str] = &[
    "payment_intents",
    "charges",
    "refunds",
    "transfers",
    "payouts",
];
const JS_RESOURCES: &[&str] = &[
    "paymentIntents",
    "charges",
    "refunds",
    "transfers",
    "payouts",
];
const GO_PACKAGES: &[&str] = &["paymentintent", "charge", "refund", "transfer", "payout"];

pub struct Rule;
pub static RULE: Rule = Rule;

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call"],
            Family::Go | Family::Js => &["call_expression"],
            Family::Java => &["method_invocation"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        let stripe = match cx.family() {
            Family::Python => cx.imports().has_module("stripe"),
            Family::Go => cx.imports().any_module_contains("stripe-go"),
            Family::Java => cx.imports().any_module_contains("com.stripe"),
            // `require('stripe')(key)` is not an import binding: checked on matching calls.
            Family::Js => true,
        };
        if !stripe {
            return;
        }
        let (written, resolved) = cx.callee(node);
        let name = match cx.family() {
            Family::Python => python(node, cx, &written, &resolved),
            Family::Js => js(node, cx, &written),
            Family::Go => go(node, cx, &resolved),
            Family::Java => java(node, cx, &written),
        };
        if let Some(name) = name {
            cx.hit(
                &META,
                node,
                name.clone(),
                format!("`{name}` without an idempotency key: if the response is lost and the request or job is retried, the money moves twice"),
            );
        }
    }
}

fn python(call: Node<'_>, cx: &Cx<'_>, written: &str, resolved: &str) -> Option<String> {
    let parts: Vec<&str> = resolved.split('.').collect();
    let money = match parts.as_slice() {
        ["stripe", class, "create"] => PY_CLASSES.contains(class),
        [.., service, "create"] if cx.imports().has_module("stripe") => {
            PY_SERVICES.contains(service)
        }
        _ => false,
    };
    if !money || syntax::has_kwargs_splat(call) {
        return None;
    }
    if kwarg(call, cx.src, "idempotency_key").is_some() {
        return None;
    }
    if kwarg(call, cx.src, "options")
        .is_some_and(|o| cx.text(o).contains("idempotency_key") || o.kind_name() != "dictionary")
    {
        return None;
    }
    Some(if resolved.starts_with("stripe.") {
        resolved.to_string()
    } else {
        written.to_string()
    })
}

fn js(call: Node<'_>, cx: &Cx<'_>, written: &str) -> Option<String> {
    let mut it = written.rsplit('.');
    let (m, resource) = (it.next()?, it.next()?);
    if m != "create" || !JS_RESOURCES.contains(&resource) {
        return None;
    }
    let uses_stripe = cx.imports().has_module("stripe")
        || cx.src.contains("require('stripe')")
        || cx.src.contains("require(\"stripe\")");
    if !uses_stripe {
        return None;
    }
    let args = positional_args(call);
    match args.get(1) {
        None => Some(format!("stripe.{resource}.create")),
        Some(o) if o.kind_name() == "object" => {
            let keys = syntax::js_object_keys(*o, cx.src)?;
            (!keys.iter().any(|k| k == "idempotencyKey"))
                .then(|| format!("stripe.{resource}.create"))
        }
        Some(_) => None,
    }
}

fn go(call: Node<'_>, cx: &Cx<'_>, resolved: &str) -> Option<String> {
    if !resolved.contains("stripe-go") {
        return None;
    }
    let mut it = resolved.rsplit('.');
    let (func, pkg_path) = (it.next()?, it.next()?);
    let pkg = pkg_path.rsplit('/').next()?;
    if func != "New" || !GO_PACKAGES.contains(&pkg) {
        return None;
    }
    let scope = syntax::enclosing_function(call, Family::Go)
        .map(|f| cx.text(f))
        .unwrap_or(cx.src);
    (!scope.contains("IdempotencyKey")).then(|| format!("{pkg}.New"))
}

fn java(call: Node<'_>, cx: &Cx<'_>, written: &str) -> Option<String> {
    let (class, m) = written.rsplit_once('.')?;
    if m != "create" || !PY_CLASSES.contains(&class) {
        return None;
    }
    if !cx
        .imports()
        .get(class)
        .is_some_and(|q| q.starts_with("com.stripe"))
    {
        return None;
    }
    (positional_args(call).len() == 1).then(|| format!("{class}.create"))
}
