//! What a program does when it does not serve requests, for the component kind: queue
//! consumers and workers (`Worker`), in-process schedulers (`Scheduler`), command-line
//! interfaces (`Cli`), and Node entry points (`require.main === module`).
//!
//! - Workers: Celery tasks and apps, RQ, dramatiq, Kafka/AMQP/Pub/Sub/SQS/NATS consumers
//!   (kafka-python, confluent-kafka, aiokafka, pika, sarama, kafka-go, amqp091, kafkajs,
//!   amqplib, BullMQ, sqs-consumer), Spring `@KafkaListener`/`@RabbitListener`/
//!   `@SqsListener`/`@JmsListener`; and load generators (a locust `HttpUser`), which send
//!   requests and serve none.
//! - Schedulers: APScheduler, `schedule`, node-cron, node-schedule, `cron`, robfig/cron,
//!   gocron, Spring `@Scheduled`, Quartz.
//! - CLIs: argparse, click, typer, fire, docopt; cobra, urfave/cli; commander, yargs;
//!   picocli, JCommander.

use tree_sitter::Node;

use super::common::{Lib, match_lib, qualified};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::libs;
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Workload;
pub static WORKLOAD: Workload = Workload;

static TABLE: &[Lib] = libs![
    Python "celery.Celery" => Worker "Celery app";
    Python "celery.shared_task" => Worker "Celery task";
    Python "rq.Worker" => Worker "RQ worker";
    Python "dramatiq.actor" => Worker "dramatiq actor";
    Python "kafka.KafkaConsumer" => Worker "Kafka consumer";
    Python "confluent_kafka.Consumer" => Worker "Kafka consumer";
    Python "aiokafka.AIOKafkaConsumer" => Worker "Kafka consumer";
    Python "faust.App" => Worker "faust stream processor";
    Python "google.cloud.pubsub_v1.SubscriberClient" => Worker "Pub/Sub subscriber";
    Python "arq.worker" => Worker "arq worker";
    Python "apscheduler.schedulers" => Scheduler "APScheduler";
    Python "schedule.every" => Scheduler "schedule";
    Python "argparse.ArgumentParser" => Cli "argparse";
    Python "click.command" => Cli "click";
    Python "click.group" => Cli "click";
    Python "typer.Typer" => Cli "typer";
    Python "typer.run" => Cli "typer";
    Python "fire.Fire" => Cli "fire";
    Python "docopt.docopt" => Cli "docopt";
    Go "github.com/IBM/sarama.NewConsumerGroup" => Worker "Kafka consumer group";
    Go "github.com/Shopify/sarama.NewConsumerGroup" => Worker "Kafka consumer group";
    Go "github.com/Shopify/sarama.NewConsumer" => Worker "Kafka consumer";
    Go "github.com/segmentio/kafka-go.NewReader" => Worker "Kafka reader";
    Go "github.com/confluentinc/confluent-kafka-go/kafka.NewConsumer" => Worker "Kafka consumer";
    Go "github.com/confluentinc/confluent-kafka-go/v2/kafka.NewConsumer" => Worker "Kafka consumer";
    Go "github.com/hibiken/asynq.NewServer" => Worker "asynq worker";
    Go "go.temporal.io/sdk/worker.New" => Worker "Temporal worker";
    Go "github.com/robfig/cron" => Scheduler "robfig/cron";
    Go "github.com/go-co-op/gocron" => Scheduler "gocron";
    Go "github.com/spf13/cobra.Command" => Cli "cobra";
    Go "github.com/urfave/cli" => Cli "urfave/cli";
    Js "bullmq.Worker" => Worker "BullMQ worker";
    Js "sqs-consumer.Consumer.create" => Worker "SQS consumer";
    Js "node-cron.schedule" => Scheduler "node-cron";
    Js "node-schedule.scheduleJob" => Scheduler "node-schedule";
    Js "cron.CronJob" => Scheduler "cron";
    Js "commander" => Cli "commander";
    Js "yargs" => Cli "yargs";
    Java "org.springframework.kafka.annotation.KafkaListener" => Worker "@KafkaListener";
    Java "org.springframework.amqp.rabbit.annotation.RabbitListener" => Worker "@RabbitListener";
    Java "io.awspring.cloud.sqs.annotation.SqsListener" => Worker "@SqsListener";
    Java "org.springframework.jms.annotation.JmsListener" => Worker "@JmsListener";
    Java "org.apache.kafka.clients.consumer.KafkaConsumer" => Worker "Kafka consumer";
    Java "org.springframework.scheduling.annotation.Scheduled" => Scheduler "@Scheduled";
    Java "org.quartz" => Scheduler "Quartz";
    Java "picocli.CommandLine" => Cli "picocli";
    Java "com.beust.jcommander" => Cli "JCommander";
];

impl Extractor for Workload {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "workloads"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call", "decorator", "class_definition"],
            Family::Go => &["call_expression", "composite_literal"],
            Family::Js => &["call_expression", "new_expression", "if_statement"],
            Family::Java => &[
                "annotation",
                "marker_annotation",
                "object_creation_expression",
            ],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        let fam = cx.family();
        let name = match node.kind_name() {
            "class_definition" => {
                locust(node, cx);
                return;
            }
            "if_statement" => {
                // `if (require.main === module)`.
                if let Some(c) = node.field("condition") {
                    let t: String = cx.text(c).chars().filter(|c| !c.is_whitespace()).collect();
                    if t.contains("require.main===module") || t.contains("module===require.main") {
                        cx.signal(SignalKind::EntryPoint, node, "require.main === module");
                    }
                }
                return;
            }
            "decorator" => node.named_child(0).and_then(|d| {
                if d.kind_name() == "call" {
                    None // visited as a call
                } else {
                    let t = cx.text(d);
                    let head = t.split('.').next().unwrap_or(t);
                    if cx.imports().get(head).is_some() {
                        Some(cx.imports().resolve(t))
                    } else {
                        // `@app.task` with `app = Celery(...)`.
                        let (recv, method) = t.rsplit_once('.').unwrap_or(("", t));
                        cx.bindings()
                            .nodes_for_receiver(cx.root, recv)
                            .into_iter()
                            .filter(|v| v.kind_name() == "call")
                            .find_map(|v| qualified(cx, v))
                            .map(|q| format!("{q}().{method}"))
                    }
                }
            }),
            "composite_literal" => node.field("type").and_then(|t| {
                let t = cx.text(t).trim_start_matches('&');
                let head = t.split('.').next().unwrap_or(t);
                cx.imports().get(head).map(|_| cx.imports().resolve(t))
            }),
            "annotation" | "marker_annotation" => node
                .field("name")
                .and_then(|n| super::common::java_type(cx, cx.text(n))),
            _ => {
                let head = super::common::head_name(cx, node);
                match cx.imports().get(head) {
                    Some(m) if table_root(m) => qualified(cx, node),
                    // JS `require('m').x()`.
                    None if fam == Family::Js && head == "require" => qualified(cx, node),
                    _ => None,
                }
            }
        };
        let Some(name) = name else { return };
        // Celery tasks: `@app.task` on an app built by `Celery(...)`.
        if fam == Family::Python && name.ends_with("Celery().task") {
            cx.signal(SignalKind::Worker, node, "Celery task");
            return;
        }
        if let Some(l) = match_lib(TABLE, fam, &name) {
            cx.signal(l.kind, node, l.detail);
        }
    }
}

/// Whether a module's top level appears in the table.
fn table_root(module: &str) -> bool {
    // Borrowed, not allocated: this runs for every call into an imported module.
    fn root(s: &str) -> &str {
        s.split(['.', '/']).next().unwrap_or("")
    }
    let r = root(module);
    TABLE.iter().any(|l| root(l.prefix) == r)
}

/// A locust user class: a load-generating client.
fn locust(class: Node<'_>, cx: &mut Cx<'_>) {
    let Some(bases) = class.field("superclasses") else {
        return;
    };
    let mut c = bases.walk();
    let is_user = bases.named_children(&mut c).any(|b| {
        let q = cx.imports().resolve(cx.text(b));
        q.starts_with("locust.")
            && (q.ends_with("User") || q.ends_with("TaskSet") || q.ends_with("HttpLocust"))
    });
    if is_user {
        cx.signal(
            SignalKind::Worker,
            class,
            "locust load generator (a client: it sends requests and serves none)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::*;

    #[test]
    fn workers_and_clis() {
        let s = signals(
            "locustfile.py",
            "from locust import FastHttpUser, TaskSet\nclass U(FastHttpUser):\n    pass\n",
        );
        assert!(s.iter().any(|x| x.0 == Worker && x.1 == 2));
        let c = signals(
            "worker/tasks.py",
            "from celery import Celery\nimport argparse\napp = Celery('t')\n@app.task\ndef f():\n    pass\np = argparse.ArgumentParser()\n",
        );
        assert!(c.contains(&(Worker, 3, "Celery app".into())));
        assert!(c.contains(&(Worker, 4, "Celery task".into())), "{c:?}");
        assert!(c.contains(&(Cli, 7, "argparse".into())));
        let g = signals(
            "main.go",
            "package main\nimport \"github.com/spf13/cobra\"\nvar root = &cobra.Command{Use: \"x\"}\n",
        );
        assert!(g.contains(&(Cli, 3, "cobra".into())), "{g:?}");
    }
}
