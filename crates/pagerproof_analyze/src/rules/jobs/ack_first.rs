//! `message-acked-before-processing`: a consumer that acknowledges a message (or lets the
//! client commit offsets on a timer) before the work on it is done.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, block_statements, kwarg, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "message-acked-before-processing",
    category: "JOBS",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Message acknowledged (or offset auto-committed) before it is processed",
    docs: Docs {
        what: "A consumer that gives up a message before finishing the work on it: a callback whose first statement \
acknowledges the message (`message.ack()`, `m.Ack()`, `consumer.ack()`, `channel.basic_ack(...)`, \
`sqs.delete_message(...)`) followed by the processing; RabbitMQ consumers with `auto_ack=True` (pika) or \
`noAck: true` (amqplib); Kafka consumers that enable auto-commit explicitly (`enable_auto_commit=True`, \
`'enable.auto.commit': True`, `ENABLE_AUTO_COMMIT_CONFIG, \"true\"`). Auto-commit left at its default is not \
reported. Celery's default early acknowledgement (`acks_late=False`) is not reported either: it is the \
framework's documented default, and the trade-off (duplicates vs. losses) is a per-task decision.",
        scenario: "The consumer crashes, is OOM-killed or is redeployed while it is processing a message it \
already acknowledged (or whose offset the client already committed).",
        impact: "The broker considers the message done: it is never redelivered, and the work (an order, a \
payment capture, an email) is silently lost. Nothing errors; the data is just missing.",
        detection: "Gaps between what producers sent and what consumers completed; reconciliation mismatches after \
deploys or crashes.",
        mitigation: "Acknowledge (or commit the offset) after the work is done and durable, and make the handler \
idempotent so the redeliveries this allows are harmless.",
        fixes: &[
            (
                "python",
                "def callback(message):\n    process(message.data)\n    message.ack()  # only after the work is durable",
            ),
            (
                "go",
                "err := sub.Receive(ctx, func(ctx context.Context, m *pubsub.Message) {\n    if err := process(ctx, m.Data); err != nil {\n        m.Nack()\n        return\n    }\n    m.Ack()\n})",
            ),
            (
                "javascript",
                "subscription.on('message', async (message) => {\n  await process(message.data);\n  message.ack();\n});",
            ),
            (
                "typescript",
                "channel.consume(queue, async (msg) => {\n  await process(msg!.content);\n  channel.ack(msg!);\n}, { noAck: false });",
            ),
            (
                "java",
                "props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, \"false\");\n// commit after processing:\nconsumer.commitSync();",
            ),
        ],
        monitoring: "Compare produced vs. completed counts per message type; alert on consumer restarts during \
processing.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/consumer.py",
            r#"import pika
from kafka import KafkaConsumer
from google.cloud import pubsub_v1

def callback(message):
    message.ack()
    ^ acknowledged before it is processed
    process(message.data)
    save(message.attributes)

def good(message):
    process(message.data)
    message.ack()

channel.basic_consume(queue="jobs", on_message_callback=handle, auto_ack=True)
                                                                ^ `auto_ack=True`
consumer = KafkaConsumer("orders", enable_auto_commit=True)
                                   ^ `enable_auto_commit=True`
"#
        ),
        case!(
            "svc/ok.py",
            r#"from kafka import KafkaConsumer
consumer = KafkaConsumer("orders", enable_auto_commit=False)
def cb(message):
    message.ack()
"#
        ),
        case!(
            "worker/main.go",
            r#"package main

import (
	"context"

	"cloud.google.com/go/pubsub"
)

func run(ctx context.Context, sub *pubsub.Subscription) error {
	return sub.Receive(ctx, func(ctx context.Context, m *pubsub.Message) {
		m.Ack()
		^ acknowledged before it is processed
		handle(ctx, m.Data)
	})
}

func good(ctx context.Context, sub *pubsub.Subscription) error {
	return sub.Receive(ctx, func(ctx context.Context, m *pubsub.Message) {
		handle(ctx, m.Data)
		m.Ack()
	})
}
"#
        ),
        case!(
            "worker/ok.go",
            r#"package main

import (
	"context"

	"cloud.google.com/go/pubsub"
)

func good(ctx context.Context, sub *pubsub.Subscription) error {
	return sub.Receive(ctx, func(ctx context.Context, m *pubsub.Message) {
		if err := handle(ctx, m.Data); err != nil {
			m.Nack()
			return
		}
		m.Ack()
	})
}
"#
        ),
        case!(
            "src/worker.js",
            r#"const amqp = require('amqplib');
async function start(channel) {
  await channel.consume('jobs', async (msg) => {
    await work(msg.content);
    channel.ack(msg);
  });
  await channel.consume('audit', onAudit, { noAck: true });
                                            ^ `noAck: true`
  subscription.on('message', (message) => {
    message.ack();
    ^ acknowledged before it is processed
    work(message.data);
  });
}
module.exports = { start };
"#
        ),
        case!(
            "src/worker.ts",
            r#"export function listen(subscription: any) {
  subscription.on('message', async (message: any) => {
    await work(message.data);
    message.ack();
  });
}
"#
        ),
        case!(
            "src/main/java/com/acme/Consumer.java",
            r#"package com.acme;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

class Consumer {
    Properties props() {
        Properties p = new Properties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        ^ auto-commits offsets
        p.put("enable.auto.commit", "false");
        return p;
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Ok.java",
            r#"package com.acme;
import java.util.Properties;
class Ok { void f(Properties p) { p.put("enable.auto.commit", "false"); } }
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
            Family::Python => &["function_definition", "lambda", "keyword_argument", "pair"],
            Family::Go => &["func_literal", "function_declaration"],
            Family::Js => &["arrow_function", "function_expression", "pair"],
            Family::Java => &["method_invocation", "lambda_expression"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        let relevant = cx.file_flag("messaging", || {
            let s = cx.src;
            [
                "ack",
                "Ack",
                "delete_message",
                "deleteMessage",
                "auto_commit",
                "AUTO_COMMIT",
                "auto.commit",
                "noAck",
            ]
            .iter()
            .any(|t| s.contains(t))
        });
        if !relevant {
            return;
        }
        match node.kind_name() {
            "keyword_argument" => python_kwarg(node, cx),
            "pair" => pair(node, cx),
            "method_invocation" => java_config(node, cx),
            _ => ack_first(node, cx),
        }
    }
}

/// Calls that acknowledge or delete the message being processed.
fn is_ack(stmt: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let call = match stmt.kind_name() {
        "expression_statement" => stmt.named_child(0)?,
        "call" | "call_expression" | "method_invocation" => stmt,
        _ => return None,
    };
    let call = if call.kind_name() == "await_expression" || call.kind_name() == "await" {
        call.named_child(0)?
    } else {
        call
    };
    if !syntax::call_kinds(cx.family()).contains(&call.kind_name()) {
        return None;
    }
    let w = syntax::callee_text(call, cx.src);
    let last = syntax::last_segment(&w);
    matches!(
        last,
        "ack" | "Ack" | "basic_ack" | "acknowledge" | "delete_message" | "deleteMessage"
    )
    .then(|| w.clone())
}

fn ack_first(func: Node<'_>, cx: &mut Cx<'_>) {
    let Some(body) = func.field("body") else {
        return;
    };
    let stmts = block_statements(body);
    if stmts.len() < 2 {
        return;
    }
    let Some(ack) = is_ack(stmts[0], cx) else {
        return;
    };
    // The acknowledged message must be this callback's own parameter (`message.ack()`,
    // `ch.basic_ack(...)`, `channel.ack(msg)`), not a wrapper's field.
    let params: Vec<String> = crate::rules::reach::params(func, cx)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let head = ack.split('.').next().unwrap_or("");
    let first_arg = crate::lang::syntax::descendants(stmts[0])
        .find(|d| syntax::call_kinds(cx.family()).contains(&d.kind_name()))
        .and_then(|c| positional_args(c).first().map(|a| cx.text(*a).to_string()))
        .unwrap_or_default();
    if !params.iter().any(|p| p == head || *p == first_arg) {
        return;
    }
    // The rest must do work (a call), not just log or return.
    let does_work = stmts[1..].iter().any(|s| {
        crate::lang::syntax::descendants(*s).any(|d| {
            syntax::call_kinds(cx.family()).contains(&d.kind_name()) && {
                let w = syntax::callee_text(d, cx.src).to_ascii_lowercase();
                !(w.contains("log")
                    || w.contains("print")
                    || w.starts_with("console.")
                    || w.contains("metric"))
            }
        })
    });
    if !does_work {
        return;
    }
    cx.hit(&META, stmts[0], ack.clone(), format!("`{ack}()` acknowledged before it is processed: if the process dies during the work that follows, the message is never redelivered and the work is lost"));
}

fn python_kwarg(kw: Node<'_>, cx: &mut Cx<'_>) {
    let (Some(k), Some(v)) = (kw.field("name"), kw.field("value")) else {
        return;
    };
    let (k, v) = (cx.text(k), cx.text(v));
    if v != "True" {
        return;
    }
    match k {
        "auto_ack" | "no_ack"
            if cx.imports().has_module("pika") || cx.src.contains("basic_consume") =>
        {
            cx.hit(&META, kw, k.to_string(), format!("`{k}=True` acknowledges every message on delivery, before the callback runs: a crash during processing loses the message"));
        }
        "enable_auto_commit"
            if cx.imports().has_module("kafka") || cx.imports().has_module("aiokafka") =>
        {
            cx.hit(&META, kw, k.to_string(), "`enable_auto_commit=True` commits offsets on a timer, whether or not the polled messages were processed: a crash loses the in-flight ones");
        }
        _ => {}
    }
}

fn pair(p: Node<'_>, cx: &mut Cx<'_>) {
    let (Some(k), Some(v)) = (p.field("key"), p.field("value")) else {
        return;
    };
    let key = crate::lang::imports::unquote(cx.text(k));
    let val = cx.text(v);
    if !matches!(val, "true" | "True" | "'true'" | "\"true\"") {
        return;
    }
    match key {
        "noAck" if cx.imports().has_module("amqplib") || cx.src.contains(".consume(") => {
            cx.hit(&META, p, "noAck", "`noAck: true` acknowledges every message on delivery, before the handler runs: a crash during processing loses the message");
        }
        "enable.auto.commit" => {
            cx.hit(&META, p, "enable.auto.commit", "`enable.auto.commit` on commits offsets on a timer, whether or not the polled messages were processed: a crash loses the in-flight ones");
        }
        _ => {}
    }
}

fn java_config(call: Node<'_>, cx: &mut Cx<'_>) {
    let w = syntax::callee_text(call, cx.src);
    if !matches!(syntax::last_segment(&w), "put" | "setProperty") {
        return;
    }
    let args = positional_args(call);
    let (Some(k), Some(v)) = (args.first(), args.get(1)) else {
        return;
    };
    let kt = cx.text(*k);
    let is_key = kt.ends_with("ENABLE_AUTO_COMMIT_CONFIG")
        || syntax::string_value(*k, cx.src) == Some("enable.auto.commit");
    let on = matches!(cx.text(*v), "true" | "\"true\"" | "Boolean.TRUE");
    if is_key && on {
        cx.hit(&META, call, "enable.auto.commit", "Kafka consumer auto-commits offsets on a timer, whether or not the polled records were processed: a crash loses the in-flight ones (commit after processing instead)");
    }
    let _ = kwarg;
}
