//! `interrupt-swallowed`: a Java handler that catches `InterruptedException` and goes on
//! without restoring the interrupt flag or rethrowing.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::cancel::{enclosing_loop, handler_leaves_anywhere};
use crate::rules::retry;

pub static META: RuleMeta = RuleMeta {
    id: "interrupt-swallowed",
    category: "CANCEL",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["java"],
    summary: "InterruptedException caught without restoring the interrupt",
    docs: Docs {
        what: "A `catch` of `InterruptedException` (or of `Exception`/`Throwable` around `Thread.sleep`, \
`TimeUnit.sleep`, `await`, `take` or `join`) whose body neither calls `Thread.currentThread().interrupt()`, nor \
throws, nor returns or breaks out: the thread carries on as if nobody had asked it to stop, and the interrupt flag \
is cleared. Inside a loop the thread can never be stopped (P1); elsewhere the caller loses the interrupt (P2). \
Handlers that return or break are not reported: leaving is a way of honouring the interrupt; neither is a \
thread's `run()` (or a work loop wrapped in the try) whose last statement is the try: the thread ends when \
interrupted.",
        scenario: "The application shuts down: the executor is shut down with `shutdownNow()`, Spring closes its \
context, or a request times out and its worker thread is interrupted.",
        impact: "The worker keeps running: shutdown waits for it until the orchestrator kills the JVM (in-flight \
work lost), thread pools never drain, and cancelled requests keep holding connections and locks.",
        detection: "Shutdown that always takes the full grace period; `awaitTermination` timing out; thread dumps \
at shutdown showing workers still in their loops.",
        mitigation: "Restore the flag with `Thread.currentThread().interrupt()` and stop (return, break, or throw), \
or declare `throws InterruptedException` and let it propagate.",
        fixes: &[(
            "java",
            "try {\n    Thread.sleep(backoffMs);\n} catch (InterruptedException e) {\n    Thread.currentThread().interrupt();\n    return; // or throw new CancellationException()\n}",
        )],
        monitoring: "Measure shutdown time per instance and alert when it reaches the termination grace period; \
log executors that fail `awaitTermination`.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "src/main/java/shop/Poller.java",
            r#"package shop;

class Poller implements Runnable {
    public void run() {
        while (true) {
            poll();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
              ^ `catch (InterruptedException)` neither restores the interrupt
                log.warn("interrupted", e);
            }
        }
    }

    void pause() {
        try {
            Thread.sleep(100);
        } catch (Exception e) {
          ^ loses the interrupt
        }
    }

    void ok() throws Exception {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            queue.take();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        while (true) {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void parse(String s) {
        try {
            Integer.parseInt(s);
        } catch (Exception e) {
            log.warn("bad number", e);
        }
    }
}
"#
        ),
        case!(
            "src/test/java/shop/PollerTest.java",
            "package shop;\nclass PollerTest {\n    void t() {\n        try { Thread.sleep(1); } catch (InterruptedException e) { }\n    }\n}\n"
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
            Family::Java => &["catch_clause"],
            _ => &[],
        }
    }

    fn check(&self, clause: Node<'_>, cx: &mut Cx<'_>) {
        if cx.family() != Family::Java {
            return;
        }
        let Some(body) = clause.field("body") else {
            return;
        };
        let types = retry::caught_types(clause, cx);
        let direct = types
            .iter()
            .any(|t| t == "InterruptedException" || t == "java.lang.InterruptedException");
        let broad = types.iter().any(|t| t == "Exception" || t == "Throwable");
        if !direct && !broad {
            return;
        }
        let try_body = clause
            .parent()
            .filter(|p| {
                p.kind_name() == "try_statement" || p.kind_name() == "try_with_resources_statement"
            })
            .and_then(|p| p.field("body"));
        if !direct {
            // An earlier `catch (InterruptedException ...)` of the same try takes it first.
            let mut sib = clause.prev_named_sibling();
            while let Some(sb) = sib {
                if sb.kind_name() == "catch_clause"
                    && retry::caught_types(sb, cx)
                        .iter()
                        .any(|t| t.ends_with("InterruptedException"))
                {
                    return;
                }
                sib = sb.prev_named_sibling();
            }
            // A broad catch only matters when the try blocks on something interruptible.
            let Some(tb) = try_body else { return };
            let blocks = descendants(tb).any(|d| {
                d.kind_name() == "method_invocation" && !caught_inside(d, tb, cx) && {
                    let c = syntax::callee_text(d, cx.src);
                    let last = syntax::last_segment(&c);
                    c == "Thread.sleep"
                        || (last == "sleep" && c.starts_with("TimeUnit."))
                        || (matches!(last, "await" | "take" | "join")
                            && syntax::positional_args(d).len() <= 2)
                }
            });
            if !blocks {
                return;
            }
        }
        let interrupts = descendants(body).any(|d| {
            d.kind_name() == "method_invocation"
                && d.field("name").is_some_and(|n| cx.text(n) == "interrupt")
        });
        let (raises, exits) = handler_leaves_anywhere(body, cx);
        if interrupts || raises || exits {
            return;
        }
        // A thread's work loop that ends when interrupted: the try (around `run()`'s body or
        // around the loop itself) is the method's last statement, so the thread stops, which
        // is what the interrupt asked for.
        if enclosing_loop(clause, cx).is_none()
            && let Some(method) = syntax::enclosing_function(clause, Family::Java)
            && (method
                .field("name")
                .is_some_and(|n| matches!(cx.text(n), "run" | "call"))
                || try_body.is_some_and(|tb| {
                    descendants(tb).any(|d| {
                        matches!(
                            d.kind_name(),
                            "while_statement" | "for_statement" | "do_statement"
                        )
                    })
                }))
            && let Some(try_stmt) = clause.parent()
            && method
                .field("body")
                .and_then(|b| syntax::block_statements(b).into_iter().last())
                == Some(try_stmt)
        {
            return;
        }
        let what = format!("catch ({})", types.join(" | "));
        let at = clause;
        if enclosing_loop(clause, cx).is_some_and(|lp| loop_never_ends(lp, cx)) {
            cx.hit(
                &META,
                at,
                what.clone(),
                format!("`{what}` neither restores the interrupt nor leaves the loop: this thread can never be stopped by interruption"),
            );
        } else {
            cx.hit(
                &META,
                at,
                what.clone(),
                format!("`{what}` loses the interrupt: the flag is cleared and the caller carries on as if no one had asked the thread to stop"),
            )
            .severity(Severity::P2)
            .confidence(Confidence::Medium);
        }
    }
}

/// An endless loop (`while (true)`, `for (;;)`) with no `break`/`return` and no stop flag in
/// its condition: interruption was the only way to end it.
fn loop_never_ends(lp: Node<'_>, cx: &Cx<'_>) -> bool {
    if !matches!(retry::bound(lp, cx), Some(retry::Bound::Infinite)) {
        return false;
    }
    let Some(body) = lp.field("body") else {
        return false;
    };
    !retry::local(body, Family::Java, false)
        .into_iter()
        .any(|n| {
            matches!(
                n.kind_name(),
                "break_statement" | "return_statement" | "throw_statement"
            )
        })
}

/// Whether a call inside `outer` sits in a nested `try` that catches interruption itself.
fn caught_inside(call: Node<'_>, outer: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut cur = call.parent();
    while let Some(p) = cur {
        if p == outer {
            return false;
        }
        if p.kind_name() == "try_statement" || p.kind_name() == "try_with_resources_statement" {
            let mut c = p.walk();
            let catches = p.named_children(&mut c).any(|h| {
                h.kind_name() == "catch_clause"
                    && retry::caught_types(h, cx).iter().any(|t| {
                        t.ends_with("InterruptedException") || t == "Exception" || t == "Throwable"
                    })
            });
            if catches {
                return true;
            }
        }
        cur = p.parent();
    }
    false
}
