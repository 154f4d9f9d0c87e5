//! `in-process-scheduler-in-service`: a scheduler started inside a service process, so
//! every replica runs every scheduled job.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, Requirement, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "in-process-scheduler-in-service",
    category: "JOBS",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "In-process scheduler inside a service that may run several replicas",
    docs: Docs {
        what: "A scheduler started inside a process that also serves requests: Python APScheduler \
`BackgroundScheduler`/`AsyncIOScheduler` and `schedule.every(...)`, Node `node-cron` `cron.schedule` and \
`node-schedule` `scheduleJob`, Go `robfig/cron` `cron.New()` and `gocron`, Spring `@Scheduled` methods. A file \
that itself serves HTTP (routes, an app or server) is enough; otherwise the finding is kept only when the \
component serves HTTP or gRPC somewhere. Schedulers with a distributed lock in the same file (ShedLock \
`@SchedulerLock`, a Redis/DB lock, leader election) are not reported. A service known to run one replica is safe \
today and still breaks the day it is scaled out.",
        scenario: "The service is scaled to several replicas (for availability, or by an autoscaler), or a \
rolling deploy briefly runs old and new pods side by side.",
        impact: "Every replica runs every job: reports sent N times, invoices generated twice, cleanup jobs racing \
each other and deadlocking. Nothing fails loudly; users see duplicates.",
        detection: "Duplicate emails or records with timestamps a few milliseconds apart, one per pod.",
        mitigation: "Run scheduled work in one place: a Kubernetes CronJob or a dedicated single-replica worker, \
or guard each run with a distributed lock / leader election (ShedLock, a Postgres advisory lock, a Redis lock \
with expiry).",
        fixes: &[
            (
                "python",
                "# k8s CronJob running `python -m app.jobs.nightly_report` (concurrencyPolicy: Forbid)\n# instead of BackgroundScheduler().add_job(...) inside the web app",
            ),
            (
                "go",
                "// a separate cmd/scheduler binary with replicas: 1, or a CronJob; or guard each run:\nif ok, _ := lock.TryAcquire(ctx, \"nightly-report\", 10*time.Minute); !ok { return }",
            ),
            (
                "javascript",
                "// move the job to a CronJob, or take a lock per run:\nconst got = await redis.set('lock:nightly', id, { NX: true, PX: 600_000 });\nif (!got) return;",
            ),
            (
                "typescript",
                "const got = await redis.set('lock:nightly', id, { NX: true, PX: 600_000 });\nif (!got) return;",
            ),
            (
                "java",
                "@Scheduled(cron = \"0 0 2 * * *\")\n@SchedulerLock(name = \"nightlyReport\", lockAtMostFor = \"PT30M\")\npublic void nightlyReport() { ... }",
            ),
        ],
        monitoring: "Count job runs per schedule tick (should be 1); alert on duplicates.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/main.py",
            r#"from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

app = Flask(__name__)
scheduler = BackgroundScheduler()
            ^ `BackgroundScheduler` runs inside a process that serves requests
scheduler.add_job(send_reports, "cron", hour=2)
scheduler.start()

@app.get("/health")
def health():
    return "ok"
"#
        ),
        case!(
            "jobs/runner.py",
            r#"from apscheduler.schedulers.blocking import BlockingScheduler
sched = BlockingScheduler()
sched.add_job(sync, "interval", minutes=5)
sched.start()
"#
        ),
        case!(
            "cmd/api/main.go",
            r#"package main

import (
	"net/http"

	"github.com/robfig/cron/v3"
)

func main() {
	c := cron.New()
	     ^ `cron.New` runs inside a process that serves requests
	c.AddFunc("@daily", cleanup)
	c.Start()
	http.HandleFunc("/", index)
	http.ListenAndServe(":8080", nil)
}
"#
        ),
        case!(
            "cmd/worker/main.go",
            r#"package main

import "github.com/robfig/cron/v3"

func main() {
	c := cron.New()
	c.AddFunc("@daily", cleanup)
	c.Run()
}
"#
        ),
        case!(
            "src/server.js",
            r#"const express = require('express');
const cron = require('node-cron');
const app = express();
cron.schedule('0 2 * * *', sendDigest);
^ `cron.schedule` runs inside a process that serves requests
app.listen(3000);
"#
        ),
        case!(
            "src/locked.ts",
            r#"import express from 'express';
import cron from 'node-cron';
const app = express();
cron.schedule('*/5 * * * *', async () => {
  const got = await redis.set('lock:sync', '1', { NX: true, PX: 60000 });
  if (got) await sync();
});
app.listen(3000);
"#
        ),
        case!(
            "src/main/java/com/acme/ReportController.java",
            r#"package com.acme;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.*;

@RestController
class ReportController {
    @Scheduled(cron = "0 0 2 * * *")
    ^ `@Scheduled` runs inside a process that serves requests
    void nightly() { reports.sendAll(); }

    @GetMapping("/reports")
    String list() { return "[]"; }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Locked.java",
            r#"package com.acme;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.*;

@RestController
class Locked {
    @Scheduled(cron = "0 0 2 * * *")
    @SchedulerLock(name = "nightly")
    void nightly() { }

    @GetMapping("/x")
    String x() { return ""; }
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

    fn check(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        let imp = cx.imports();
        let maybe = match cx.family() {
            Family::Python => imp.has_module("apscheduler") || imp.has_module("schedule"),
            Family::Go => imp.any_module_contains("cron"),
            Family::Js => imp.any_module_contains("cron") || imp.any_module_contains("schedule"),
            Family::Java => cx.src.contains("@Scheduled"),
        };
        if !maybe {
            return;
        }
        let mut sites: Vec<(Node<'_>, String)> = Vec::new();
        for n in descendants(root) {
            if let Some(what) = scheduler(n, cx) {
                sites.push((n, what));
            }
        }
        if sites.is_empty() || locked(cx) {
            return;
        }
        let serves_here = !cx.request_paths().is_empty() || serves_http(cx);
        for (n, what) in sites {
            let h = cx.hit(
                &META,
                n,
                what.clone(),
                format!("`{what}` runs inside a process that serves requests: every replica runs every scheduled job, so scaling out (or a rolling deploy) duplicates the work"),
            );
            if !serves_here {
                h.requires(Requirement::ComponentServes);
            }
        }
    }
}

/// A scheduler constructed or registered at `n`.
fn scheduler(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    match (cx.family(), n.kind_name()) {
        (Family::Python, "call") => {
            let (_, r) = cx.callee(n);
            let last = syntax::last_segment(&r);
            if r.starts_with("apscheduler")
                && matches!(
                    last,
                    "BackgroundScheduler"
                        | "AsyncIOScheduler"
                        | "GeventScheduler"
                        | "TornadoScheduler"
                )
            {
                return Some(last.to_string());
            }
            if r == "schedule.every" {
                return Some("schedule.every".to_string());
            }
            None
        }
        (Family::Go, "call_expression") => {
            let (_, r) = cx.callee(n);
            if (r.starts_with("github.com/robfig/cron") && r.ends_with(".New"))
                || (r.contains("gocron")
                    && (r.ends_with(".NewScheduler") || r.ends_with(".NewScheduler")))
            {
                let pkg = if r.contains("gocron") {
                    "gocron.NewScheduler"
                } else {
                    "cron.New"
                };
                return Some(pkg.to_string());
            }
            None
        }
        (Family::Js, "call_expression") => {
            let (_, r) = cx.callee(n);
            match r.as_str() {
                "node-cron.schedule" | "node-schedule.scheduleJob" | "cron.CronJob.from" => {
                    Some(if r.starts_with("node-cron") {
                        "cron.schedule".to_string()
                    } else {
                        r.clone()
                    })
                }
                _ => None,
            }
        }
        (Family::Js, "new_expression") => {
            let (_, r) = cx.callee(n);
            (r == "cron.CronJob").then(|| "new CronJob".to_string())
        }
        (Family::Java, "marker_annotation" | "annotation") => {
            let name = n.field("name").map(|x| cx.text(x)).unwrap_or("");
            (name == "Scheduled").then(|| "@Scheduled".to_string())
        }
        _ => None,
    }
}

/// A distributed lock or leader election in the same file.
fn locked(cx: &Cx<'_>) -> bool {
    let l = cx.src.to_ascii_lowercase();
    [
        "schedulerlock",
        "shedlock",
        "advisory_lock",
        "advisory lock",
        "leader",
        "nx: true",
        "\"nx\"",
        "'nx'",
        "redlock",
        "setnx",
        "acquire_lock",
        "distributed_lock",
        "lock:",
    ]
    .iter()
    .any(|t| l.contains(t))
}

/// The file starts a server or builds a web app.
fn serves_http(cx: &Cx<'_>) -> bool {
    let s = cx.src;
    [
        "ListenAndServe",
        "app.listen(",
        ".listen(",
        "Flask(",
        "FastAPI(",
        "express()",
        "gin.Default()",
        "gin.New()",
        "echo.New()",
        "fiber.New(",
        "uvicorn.run(",
        "@RestController",
        "@Controller",
        "grpc.NewServer(",
        "grpc.server(",
    ]
    .iter()
    .any(|t| s.contains(t))
}
