//! `cancellation-swallowed`: Python handlers that catch `asyncio.CancelledError` or
//! `BaseException` (or a bare `except:` in a coroutine) and do not re-raise, loops that
//! ignore Ctrl-C, and JavaScript loops that carry on after an `AbortError`.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::cancel::{enclosing_loop, handler_leaves_anywhere};
use crate::rules::retry;

pub static META: RuleMeta = RuleMeta {
    id: "cancellation-swallowed",
    category: "CANCEL",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "javascript", "typescript"],
    summary: "Cancellation caught and not re-raised",
    docs: Docs {
        what: "Python handlers that catch cancellation and do not re-raise it: `except asyncio.CancelledError` \
(also `trio.Cancelled`), `except BaseException`, and a bare `except:` inside an `async def`. A handler inside a \
loop that goes round again makes the task impossible to stop (reported P1); elsewhere the coroutine returns as if \
it had finished, which breaks `asyncio.timeout`/`wait_for`/`TaskGroup` and shutdown (reported P2). \
`except KeyboardInterrupt` is reported only when it keeps a loop running (Ctrl-C is ignored): catching it to stop \
a server in `main` is a deliberate shutdown path and is not reported. Not reported: handlers that re-raise or exit, \
`except Exception` (it does not catch `CancelledError` since Python 3.8), functions that cancel a task themselves \
and then await it (`task.cancel(); try: await task; except CancelledError: pass` is the documented idiom), and \
`main` functions. JavaScript/TypeScript: a `catch` inside a loop that recognises an `AbortError` and neither \
throws, returns nor breaks, so the loop carries on after its signal was aborted.",
        scenario: "The service shuts down (SIGTERM cancels running tasks), a request times out \
(`asyncio.timeout` cancels the work), or a client disconnects.",
        impact: "The cancelled task keeps running or reports success: shutdown hangs until the orchestrator \
SIGKILLs the process (dropping in-flight work), timeouts stop working, and work for a departed client keeps \
consuming connections.",
        detection: "Pods that always take the full grace period to stop; tasks still running after their timeout; \
`Task was destroyed but it is pending` warnings; logs of work continuing after shutdown began.",
        mitigation: "Clean up, then re-raise the cancellation. Catch `Exception` (not `BaseException`) for \
ordinary errors. In JavaScript, rethrow or return when the signal is aborted.",
        fixes: &[
            (
                "python",
                "async def consume(queue):\n    while True:\n        try:\n            item = await queue.get()\n            await handle(item)\n        except asyncio.CancelledError:\n            await flush()\n            raise  # let the cancellation finish the task\n        except Exception:\n            log.exception(\"item failed\")",
            ),
            (
                "javascript",
                "for (const url of urls) {\n  try {\n    await fetch(url, { signal });\n  } catch (err) {\n    if (err.name === 'AbortError') throw err;\n    logger.warn({ err, url }, 'fetch failed');\n  }\n}",
            ),
            (
                "typescript",
                "for (const url of urls) {\n  try {\n    await fetch(url, { signal });\n  } catch (err) {\n    if ((err as Error).name === 'AbortError') throw err;\n    logger.warn({ err, url }, 'fetch failed');\n  }\n}",
            ),
        ],
        monitoring: "Measure shutdown duration per instance (SIGTERM to exit) and alert when it reaches the grace \
period; count tasks still running after cancellation.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/consumer.py",
            r#"import asyncio
import logging
log = logging.getLogger(__name__)

async def consume(queue):
    while True:
        try:
            item = await queue.get()
            await handle(item)
        except asyncio.CancelledError:
        ^ the loop keeps running after cancellation
            log.info("cancelled, continuing")
        except Exception:
            log.exception("failed")

async def fetch(client):
    try:
        return await client.get("/x")
    except asyncio.CancelledError:
    ^ returns as if it had finished
        return None

async def fetch_ok(client):
    try:
        return await client.get("/x")
    except asyncio.CancelledError:
        log.info("cancelled")
        raise

async def stop(task):
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass

async def guarded(client):
    try:
        return await client.get("/x")
    except:
    ^ bare `except:` in a coroutine
        log.warning("failed")

def poll(source):
    while True:
        try:
            source.step()
        except KeyboardInterrupt:
        ^ Ctrl-C is ignored
            continue
"#
        ),
        case!(
            "app/server.py",
            r#"import time
def serve(server):
    server.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop(0)

async def main():
    try:
        await run_forever()
    except asyncio.CancelledError:
        pass

def safe(f):
    try:
        return f()
    except Exception:
        return None
"#
        ),
        case!(
            "src/crawl.ts",
            r#"export async function crawl(urls: string[], signal: AbortSignal) {
  for (const url of urls) {
    try {
      await fetch(url, { signal });
    } catch (err) {
      ^ keeps going after an `AbortError`
      if ((err as Error).name === 'AbortError') {
        console.warn('aborted', url);
      }
    }
  }
}

export async function crawlOk(urls: string[], signal: AbortSignal) {
  for (const url of urls) {
    try {
      await fetch(url, { signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
    }
  }
}
"#
        ),
        case!(
            "src/ok.js",
            "async function crawl(urls, signal) {\n  for (const url of urls) {\n    try {\n      await fetch(url, { signal });\n    } catch (err) {\n      if (err.name === 'AbortError') return;\n      logger.warn({ err, url }, 'fetch failed');\n    }\n  }\n}\n"
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
            Family::Python => &["except_clause"],
            Family::Js => &["catch_clause"],
            _ => &[],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Js => js(node, cx),
            _ => {}
        }
    }
}

const CANCEL_TYPES: &[&str] = &[
    "asyncio.CancelledError",
    "CancelledError",
    "asyncio.exceptions.CancelledError",
    "trio.Cancelled",
    "BaseException",
];

fn python(clause: Node<'_>, cx: &mut Cx<'_>) {
    let mut c = clause.walk();
    let Some(block) = clause
        .named_children(&mut c)
        .filter(|n| n.kind_name() == "block")
        .last()
    else {
        return;
    };
    // `except*` groups are out of scope.
    if cx.text(clause).starts_with("except*") {
        return;
    }
    let types = retry::caught_types(clause, cx);
    let func = syntax::enclosing_function(clause, Family::Python);
    let Some(func) = func else { return };
    let fname = func.field("name").map(|n| cx.text(n)).unwrap_or("");
    let is_async = cx.text(func).starts_with("async");
    let bare = types.is_empty();
    let cancel: Vec<&str> = types
        .iter()
        .map(String::as_str)
        .filter(|t| CANCEL_TYPES.contains(t))
        .collect();
    let keyboard = types.iter().any(|t| t == "KeyboardInterrupt");
    let (raises, exits) = handler_leaves_anywhere(block, cx);
    if raises {
        return;
    }
    let in_loop = enclosing_loop(clause, cx).is_some();
    if cancel.is_empty() && !(bare && is_async) {
        // Setting a stop flag or shutting something down ends the loop another way.
        let stops = {
            let t = cx.text(block).to_ascii_lowercase();
            [
                "stop", "shutdown", "running", "quit", "exit", "cancel", "close",
            ]
            .iter()
            .any(|w| t.contains(w))
        };
        if keyboard && in_loop && !exits && !stops {
            cx.hit(
                &META,
                clause,
                "except KeyboardInterrupt",
                "`except KeyboardInterrupt` keeps the loop running: Ctrl-C is ignored and SIGINT cannot stop this process",
            )
            .severity(Severity::P2);
        }
        return;
    }
    if matches!(
        fname,
        "main" | "_main" | "async_main" | "amain" | "run_main"
    ) {
        return;
    }
    // Outside a coroutine, a `CancelledError` can only come out of `asyncio.run` or a
    // future's result: the top-level boundary, where stopping quietly is the point.
    if !is_async && !bare && cancel.iter().all(|t| *t != "BaseException") {
        return;
    }
    // `task.cancel()` then `await task` in a try: swallowing that cancellation is the idiom.
    if cx.text(func).contains(".cancel()") {
        return;
    }
    let what = if bare {
        "bare `except:` in a coroutine".to_string()
    } else {
        format!("`except {}`", types.join(", "))
    };
    let catches_asyncio = bare || cancel.iter().any(|t| *t != "BaseException") || is_async;
    if in_loop && !exits {
        let (sev, conf) = if catches_asyncio {
            (Severity::P1, Confidence::High)
        } else {
            (Severity::P2, Confidence::Medium)
        };
        let why = if catches_asyncio {
            "the loop keeps running after cancellation, so this task can never be stopped"
        } else {
            "the loop keeps running after KeyboardInterrupt/SystemExit"
        };
        cx.hit(
            &META,
            clause,
            what.clone(),
            format!("{what} does not re-raise: {why}"),
        )
        .severity(sev)
        .confidence(conf);
        return;
    }
    // Out of a loop, a handler that explains itself is a decision, not an accident.
    if syntax::descendants(block).any(|d| d.kind_name() == "comment")
        || clause
            .named_children(&mut clause.walk())
            .any(|d| d.kind_name() == "comment")
    {
        return;
    }
    let why = if catches_asyncio {
        "the cancelled coroutine returns as if it had finished, so timeouts and shutdown do not stop it"
    } else {
        "it also swallows KeyboardInterrupt and SystemExit"
    };
    cx.hit(
        &META,
        clause,
        what.clone(),
        format!("{what} does not re-raise: {why}"),
    )
    .severity(Severity::P2)
    .confidence(Confidence::Medium);
}

fn js(clause: Node<'_>, cx: &mut Cx<'_>) {
    let Some(body) = clause.field("body") else {
        return;
    };
    let t = cx.text(body);
    if !(t.contains("AbortError") || t.contains("ABORT_ERR")) {
        return;
    }
    if enclosing_loop(clause, cx).is_none() {
        return;
    }
    let (raises, exits) = handler_leaves_anywhere(body, cx);
    if raises || exits {
        return;
    }
    cx.hit(
        &META,
        clause,
        "AbortError",
        "`catch` keeps going after an `AbortError`: the loop carries on after its signal was aborted, so cancelling it does nothing",
    );
}
