//! IDEMPOTENCY: operations that must happen once but can be repeated by a retry: payment
//! API calls without an idempotency key, payment handlers that accept no key, webhook
//! receivers that do not de-duplicate deliveries.
//!
//! What counts as de-duplication is deliberately explicit (see [`dedup_evidence`]): an
//! idempotency key (`Idempotency-Key`, `idempotency_key`, `idempotencyKey`), a delivery
//! or event id used by the handler (`event.id`, `event["id"]`, `event_id`,
//! `X-GitHub-Delivery`, `svix-id`, `webhook-id`), a uniqueness guard (`get_or_create`,
//! `ON CONFLICT`, `upsert`, `SETNX`/`SET ... NX`, `unique`), or an explicit "already
//! processed/paid/refunded" check (the word `already`).

pub mod payment_call;
pub mod payment_handler;
pub mod webhook_dedup;

/// The first de-duplication token found in `text` (lower-cased search), if any.
pub fn dedup_evidence(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    const TOKENS: &[&str] = &[
        "idempot",
        "dedup",
        "de-dup",
        "event.id",
        "event[\"id\"]",
        "event['id']",
        "event_id",
        "eventid",
        "x-github-delivery",
        "delivery_id",
        "deliveryid",
        "svix-id",
        "webhook-id",
        "message_id",
        "messageid",
        "request_id",
        "requestid",
        "get_or_create",
        "on conflict",
        "onconflict",
        "upsert",
        "setnx",
        "\"nx\"",
        "'nx'",
        "nx: true",
        "already",
        "processed_events",
        "unique",
    ];
    TOKENS.iter().copied().find(|t| lower.contains(t))
}
