//! `unbounded-work-queue`: an in-process queue or executor with no capacity that request
//! paths put work into.

use pagerproof_core::{Confidence, Evidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "unbounded-work-queue",
    category: "UNBOUNDED",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "java"],
    summary: "In-process work queue with no capacity, fed by request handlers",
    docs: Docs {
        what: "An in-process queue created without a capacity that a request path of the same file puts work into: \
Python `queue.Queue()`/`LifoQueue()`/`PriorityQueue()` without `maxsize` (or `maxsize=0`), `queue.SimpleQueue()`, \
`asyncio.Queue()`, `multiprocessing.Queue()`; Java `new LinkedBlockingQueue<>()`/`LinkedBlockingDeque`/\
`ConcurrentLinkedQueue`/`LinkedTransferQueue`/`PriorityBlockingQueue` without a capacity, and \
`Executors.newFixedThreadPool`/`newSingleThreadExecutor` (their task queue is an unbounded \
`LinkedBlockingQueue`) that request paths `submit`/`execute` to. Queues filled only by startup code or background \
loops are not reported.",
        scenario: "Requests arrive faster than the consumer drains the queue: a traffic peak, a slow downstream, \
a stuck worker thread.",
        impact: "Nothing pushes back on producers: the backlog grows in memory until the process is OOM-killed, and \
every queued item is lost with it. Latency of queued work grows without limit long before that.",
        detection: "Queue depth (if exported) rising without bound; memory growth during load peaks that does not \
recede; work completed minutes after the request that asked for it.",
        mitigation: "Give the queue a capacity and decide what happens when it is full: block with a timeout, reject \
with 429/503, or drop with a metric. For executors, build a `ThreadPoolExecutor` with a bounded \
`ArrayBlockingQueue` and a rejection policy. Durable work belongs in a real broker.",
        fixes: &[
            (
                "python",
                "jobs = queue.Queue(maxsize=1000)\n...\ntry:\n    jobs.put(item, timeout=0.1)\nexcept queue.Full:\n    return Response(\"busy\", status=503)",
            ),
            (
                "java",
                "ExecutorService pool = new ThreadPoolExecutor(8, 8, 0L, TimeUnit.MILLISECONDS,\n    new ArrayBlockingQueue<>(1_000), new ThreadPoolExecutor.AbortPolicy());",
            ),
        ],
        monitoring: "Export the queue depth as a gauge and alert when it stays above a fraction of its capacity; \
count rejected items.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/app.py",
            r#"import asyncio
import queue
from fastapi import FastAPI

app = FastAPI()
jobs = queue.Queue()
       ^ `queue.Queue()` has no `maxsize`
events = asyncio.Queue(maxsize=100)
audit = queue.SimpleQueue()

@app.post("/jobs")
async def submit(payload: dict):
    jobs.put(payload)
    await events.put(payload)
    return {"queued": True}

def boot():
    audit.put("started")
"#
        ),
        case!(
            "svc/worker.py",
            r#"import queue
q = queue.Queue()
def main():
    q.put(1)
"#
        ),
        case!(
            "src/main/java/com/acme/Ingest.java",
            r#"package com.acme;

import java.util.concurrent.*;
import org.springframework.web.bind.annotation.*;

@RestController
class Ingest {
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
                                                ^ `LinkedBlockingQueue` has no capacity
    private final BlockingQueue<Event> bounded = new LinkedBlockingQueue<>(1000);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
                                         ^ `Executors.newFixedThreadPool`

    @PostMapping("/events")
    void ingest(@RequestBody Event e) {
        events.offer(e);
        bounded.offer(e);
        pool.submit(() -> handle(e));
    }

    void handle(Event e) {}
}
"#
        ),
        case!(
            "src/main/java/com/acme/Boot.java",
            r#"package com.acme;
import java.util.concurrent.*;
class Boot {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    void start() { pool.submit(() -> {}); }
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
        match f {
            Family::Python | Family::Java => reach::root_kinds(f),
            _ => &[],
        }
    }

    fn check(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        if !cx.src.contains("Queue") && !cx.src.contains("Executors.") {
            return;
        }
        // (constructor node, bound name, what, put methods)
        let mut queues: Vec<(Node<'_>, String, String, &'static [&'static str])> = Vec::new();
        for n in descendants(root) {
            let Some((what, puts)) = unbounded_ctor(n, cx) else {
                continue;
            };
            let Some(target) = bound_name(n, cx) else {
                continue;
            };
            queues.push((n, target, what, puts));
        }
        if queues.is_empty() {
            return;
        }
        let rp = cx.request_paths();
        if rp.is_empty() {
            return;
        }
        for (ctor, target, what, puts) in queues {
            let field = target.rsplit('.').next().unwrap_or(&target).to_string();
            let put = descendants(cx.root).find(|n| {
                if !syntax::call_kinds(cx.family()).contains(&n.kind_name()) || !rp.contains(*n) {
                    return false;
                }
                let w = syntax::callee_text(*n, cx.src);
                let Some((recv, m)) = w.rsplit_once('.') else {
                    return false;
                };
                puts.contains(&m)
                    && (recv == target
                        || recv == field
                        || recv.strip_prefix("self.") == Some(field.as_str())
                        || recv.strip_prefix("this.") == Some(field.as_str()))
            });
            let Some(put) = put else { continue };
            let (line, _) = cx.pos(put);
            let path = cx.path.to_string();
            let msg = format!(
                "{what}, and a request path adds work to it (line {line}): under load the backlog grows in memory until the process is OOM-killed"
            );
            cx.hit(&META, ctor, field.clone(), msg).related(Evidence {
                path,
                line: Some(line),
                note: "work added on a request path".to_string(),
            });
        }
    }
}

const PY_PUTS: &[&str] = &["put", "put_nowait"];
const JAVA_QUEUE_PUTS: &[&str] = &[
    "put",
    "offer",
    "add",
    "addLast",
    "addFirst",
    "offerLast",
    "transfer",
];
const JAVA_POOL_PUTS: &[&str] = &["submit", "execute", "invokeAll"];

fn unbounded_ctor(n: Node<'_>, cx: &Cx<'_>) -> Option<(String, &'static [&'static str])> {
    match (cx.family(), n.kind_name()) {
        (Family::Python, "call") => {
            let (_, r) = cx.callee(n);
            let class = match r.as_str() {
                "queue.Queue"
                | "queue.LifoQueue"
                | "queue.PriorityQueue"
                | "asyncio.Queue"
                | "asyncio.LifoQueue"
                | "asyncio.PriorityQueue"
                | "multiprocessing.Queue"
                | "queue.SimpleQueue"
                | "multiprocessing.SimpleQueue" => r.clone(),
                _ => return None,
            };
            if !class.ends_with("SimpleQueue") {
                let max = syntax::kwarg(n, cx.src, "maxsize")
                    .or_else(|| syntax::positional_args(n).first().copied());
                if let Some(m) = max {
                    let t = cx.text(m).trim();
                    if !(t == "0" || t.starts_with('-')) {
                        return None;
                    }
                }
            }
            Some((format!("`{class}()` has no `maxsize`"), PY_PUTS))
        }
        (Family::Java, "object_creation_expression") => {
            let ty = n.field("type").map(|t| cx.text(t)).unwrap_or("");
            let base = ty.split('<').next().unwrap_or("").trim();
            let args = n
                .field("arguments")
                .map(|a| a.named_child_count())
                .unwrap_or(0);
            let unbounded = match base {
                "LinkedBlockingQueue" | "LinkedBlockingDeque" => args == 0,
                "ConcurrentLinkedQueue" | "ConcurrentLinkedDeque" | "LinkedTransferQueue" => true,
                "PriorityBlockingQueue" => true,
                _ => false,
            };
            unbounded.then(|| (format!("`{base}` has no capacity"), JAVA_QUEUE_PUTS))
        }
        (Family::Java, "method_invocation") => {
            let w = syntax::callee_text(n, cx.src);
            match w.as_str() {
                "Executors.newFixedThreadPool" | "Executors.newSingleThreadExecutor" => Some((
                    format!("`{w}` queues tasks in an unbounded `LinkedBlockingQueue`"),
                    JAVA_POOL_PUTS,
                )),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The name the constructed queue is stored in: `jobs`, `self.jobs`, a Java field or local.
fn bound_name(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let p = n.parent()?;
    match p.kind_name() {
        "assignment" => {
            let l = p.field("left")?;
            (p.field("right") == Some(n)).then(|| cx.text(l).to_string())
        }
        "variable_declarator" => p.field("name").map(|x| cx.text(x).to_string()),
        "assignment_expression" => p.field("left").map(|x| cx.text(x).to_string()),
        _ => None,
    }
}
