//! `job-retries-without-cap`: a task or consumer configured to retry forever, with no
//! dead-letter path.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "job-retries-without-cap",
    category: "JOBS",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "javascript", "typescript", "java"],
    summary: "Background job or consumer that retries forever",
    docs: Docs {
        what: "A job or consumer whose retry policy has no cap: Celery `@task(max_retries=None)`, \
`retry_kwargs={\"max_retries\": None}` or `self.retry(..., max_retries=None)`; Dramatiq `@actor(max_retries=None)`; \
BullMQ jobs or queues with `attempts: Infinity`/`Number.MAX_SAFE_INTEGER`; Spring Kafka \
`new FixedBackOff(interval, FixedBackOff.UNLIMITED_ATTEMPTS)` or `Long.MAX_VALUE` attempts. The frameworks' \
defaults are finite (Celery 3 retries, Dramatiq 20, BullMQ 1 attempt) and are not reported; uncapped retries are \
always an explicit choice. Dead-letter queues configured outside the code (broker policies, Terraform) are not seen.",
        scenario: "A job hits a permanent error: a deleted record, a malformed payload, a rejected card, a bug.",
        impact: "It is retried forever: it burns worker capacity and downstream quota, fills logs, and for ordered \
consumers (a Kafka partition) blocks every message behind it — the consumer lag grows until someone intervenes.",
        detection: "The same job id failing again and again in logs; retry counters that never stop; consumer lag \
on one partition growing while others are fine.",
        mitigation: "Cap the retries with exponential backoff, then move the job to a dead-letter queue (or a \
failed-jobs table) with an alert, and make the failure visible to a human.",
        fixes: &[
            (
                "python",
                "@app.task(bind=True, autoretry_for=(TransientError,), max_retries=5, retry_backoff=True, retry_jitter=True)\ndef sync_invoice(self, invoice_id): ...",
            ),
            (
                "javascript",
                "await queue.add('sync', data, { attempts: 5, backoff: { type: 'exponential', delay: 1000 } });",
            ),
            (
                "typescript",
                "await queue.add('sync', data, { attempts: 5, backoff: { type: 'exponential', delay: 1000 } });",
            ),
            (
                "java",
                "DefaultErrorHandler handler = new DefaultErrorHandler(\n    new DeadLetterPublishingRecoverer(template), new FixedBackOff(1000L, 5L));",
            ),
        ],
        monitoring: "Alert on dead-letter queue depth and on the age of the oldest failed job; track retries per job type.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/tasks.py",
            r#"from celery import shared_task
import dramatiq

@shared_task(bind=True, autoretry_for=(Exception,), max_retries=None)
                                                    ^ `max_retries=None`
def sync_invoice(self, invoice_id):
    push(invoice_id)

@shared_task(bind=True, max_retries=5)
def send_mail(self, to):
    try:
        deliver(to)
    except IOError as exc:
        raise self.retry(exc=exc, countdown=60, max_retries=None)
                                                ^ `max_retries=None`

@dramatiq.actor(max_retries=20)
def resize(path):
    pass
"#
        ),
        case!(
            "app/ok_tasks.py",
            r#"from celery import shared_task

@shared_task(bind=True, autoretry_for=(IOError,), retry_backoff=True)
def ok(self, x):
    pass
"#
        ),
        case!(
            "src/jobs.js",
            r#"const { Queue } = require('bullmq');
const queue = new Queue('emails', { defaultJobOptions: { attempts: Infinity } });
                                                         ^ `attempts: Infinity`
async function enqueue(data) {
  await queue.add('send', data, { attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
}
module.exports = { enqueue };
"#
        ),
        case!(
            "src/jobs.ts",
            r#"import { Queue } from 'bullmq';
const queue = new Queue('emails');
export const enqueue = (data: object) => queue.add('send', data, { attempts: 3 });
"#
        ),
        case!(
            "src/main/java/com/acme/KafkaConfig.java",
            r#"package com.acme;

import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

class KafkaConfig {
    DefaultErrorHandler handler() {
        return new DefaultErrorHandler(new FixedBackOff(1000L, FixedBackOff.UNLIMITED_ATTEMPTS));
                                       ^ `FixedBackOff` with unlimited attempts
    }
    DefaultErrorHandler bounded() {
        return new DefaultErrorHandler(new FixedBackOff(1000L, 3L));
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Ok.java",
            r#"package com.acme;
import org.springframework.util.backoff.FixedBackOff;
class Ok { FixedBackOff b = new FixedBackOff(500L, 2L); }
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
        match f {
            Family::Python => &["keyword_argument"],
            Family::Js => &["pair"],
            Family::Java => &["object_creation_expression"],
            Family::Go => &[],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
            Family::Go => {}
        }
    }
}

fn python(kw: Node<'_>, cx: &mut Cx<'_>) {
    let (Some(k), Some(v)) = (kw.field("name"), kw.field("value")) else {
        return;
    };
    if cx.text(k) != "max_retries" || cx.text(v) != "None" {
        return;
    }
    // The call it belongs to: a task/actor decorator, `self.retry(...)`, or `retry_kwargs`.
    let Some(call) = syntax::ancestor(kw, &["call"]) else {
        return;
    };
    let callee = syntax::callee_text(call, cx.src);
    let last = syntax::last_segment(&callee);
    let in_decorator = syntax::ancestor(call, &["decorator"]).is_some();
    let is_task = in_decorator && matches!(last, "task" | "shared_task" | "actor");
    let is_retry = last == "retry";
    let in_kwargs = cx.text(call).contains("retry_kwargs") || callee == "dict";
    if !(is_task || is_retry || (in_decorator && in_kwargs)) {
        return;
    }
    if !(cx.imports().has_module("celery")
        || cx.imports().has_module("dramatiq")
        || is_retry && cx.src.contains("celery"))
    {
        return;
    }
    cx.hit(&META, kw, "max_retries=None", "`max_retries=None` retries this task forever: a permanent failure is never given up, keeps a worker busy and never reaches a dead-letter path");
}

fn js(pair: Node<'_>, cx: &mut Cx<'_>) {
    let (Some(k), Some(v)) = (pair.field("key"), pair.field("value")) else {
        return;
    };
    if cx.text(k) != "attempts" {
        return;
    }
    let val = cx.text(v);
    if !matches!(
        val,
        "Infinity" | "Number.MAX_SAFE_INTEGER" | "Number.MAX_VALUE" | "Number.POSITIVE_INFINITY"
    ) {
        return;
    }
    if !cx.imports().has_module("bullmq")
        && !cx.imports().has_module("bull")
        && !cx.imports().has_module("bee-queue")
    {
        return;
    }
    cx.hit(&META, pair, "attempts", format!("`attempts: {val}` retries the job forever: a permanent failure never reaches the failed set or a dead-letter path"));
}

fn java(n: Node<'_>, cx: &mut Cx<'_>) {
    let ty = n.field("type").map(|t| cx.text(t)).unwrap_or("");
    if ty != "FixedBackOff" {
        return;
    }
    let args = positional_args(n);
    let Some(attempts) = args.get(1) else { return };
    let t = cx.text(*attempts);
    if t.ends_with("UNLIMITED_ATTEMPTS") || t == "Long.MAX_VALUE" {
        cx.hit(&META, n, "FixedBackOff", "`FixedBackOff` with unlimited attempts: a poison message is retried forever and blocks its partition behind it; cap the attempts and publish to a dead-letter topic");
    }
    let _ = kwarg;
}
