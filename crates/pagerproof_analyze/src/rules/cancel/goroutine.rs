//! `goroutine-without-cancellation`: a goroutine whose loop runs forever, with no
//! `return` or `break` that a `ctx.Done()`, quit channel or closed input could reach.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::retry;

pub static META: RuleMeta = RuleMeta {
    id: "goroutine-without-cancellation",
    category: "CANCEL",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    // Preview until measured precise on more repositories: its first runs on real code
    // produced only false positives, fixed since, and nothing after the fixes.
    preview: true,
    languages: &["go"],
    summary: "Goroutine loops forever with no way to stop it",
    docs: Docs {
        what: "A goroutine (`go func() { ... }()`, or `go f()` / `go s.loop()` for a function declared in the same \
file) whose body runs an endless loop (`for { }`, `for range ticker.C`, `for range time.Tick(d)`) that contains no \
`return` and no `break` out of the loop: nothing, not `ctx.Done()`, a quit channel or a closed input, can ever end \
it. Reported P1 when a `context.Context` is in scope and unused by the loop, P2 otherwise. Loops with any exit path \
are not reported, whatever the condition.",
        scenario: "The service shuts down, the component that started the goroutine is closed or restarted, or (in \
a library) the caller's request ends.",
        impact: "The goroutine keeps running and holding what it references: shutdown cannot drain it, work continues \
against closed connections after `Close`, goroutines accumulate each time the component is re-created (a leak), and \
tests that start the component never finish cleanly.",
        detection: "`runtime.NumGoroutine()` or the `go_goroutines` metric growing over time; goroutine dumps showing \
many copies of the same loop; errors from work after shutdown began.",
        mitigation: "Give every long-lived goroutine a way out: select on `ctx.Done()` (or a quit channel) next to its \
work and return, stop tickers, and wait for it on shutdown (a `sync.WaitGroup` or `errgroup`).",
        fixes: &[(
            "go",
            "go func() {\n    t := time.NewTicker(30 * time.Second)\n    defer t.Stop()\n    for {\n        select {\n        case <-ctx.Done():\n            return\n        case <-t.C:\n            refresh(ctx)\n        }\n    }\n}()",
        )],
        monitoring: "Export `go_goroutines` and alert on sustained growth; measure shutdown duration against the \
termination grace period.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "internal/cache/cache.go",
            r#"package cache

import (
	"context"
	"time"
)

func Start(ctx context.Context, c *Cache) {
	go func() {
		for {
		^ loops forever and never checks `ctx.Done()`
			c.Refresh()
			time.Sleep(time.Minute)
		}
	}()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Minute):
				c.Refresh()
			}
		}
	}()
	go c.loop()
}

func (c *Cache) loop() {
	for range time.Tick(time.Second) {
	^ loops forever
		c.expire()
	}
}

func drain(in <-chan int) {
	go func() {
		for v := range in {
			_ = v
		}
	}()
	go func() {
		for {
			v, ok := <-in
			if !ok {
				return
			}
			_ = v
		}
	}()
}
"#
        ),
        case!(
            "cmd/server/main.go",
            "package main\n\nfunc main() {\n\tsigs := make(chan os.Signal, 1)\n\tgo func() {\n\t\tfor {\n\t\t\tsig := <-sigs\n\t\t\tlog.Printf(\"signal %v\", sig)\n\t\t}\n\t}()\n}\n"
        ),
        case!(
            "internal/cache/cache_test.go",
            "package cache\n\nfunc TestX(t *testing.T) {\n\tgo func() {\n\t\tfor {\n\t\t}\n\t}()\n}\n"
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
            Family::Go => &["go_statement"],
            _ => &[],
        }
    }

    fn check(&self, stmt: Node<'_>, cx: &mut Cx<'_>) {
        let Some(call) = stmt
            .named_child(0)
            .filter(|c| c.kind_name() == "call_expression")
        else {
            return;
        };
        // Goroutines started once by `main`/`init` live as long as the process by design.
        let mut outer = syntax::enclosing_function(stmt, Family::Go);
        while let Some(o) = outer {
            if o.kind_name() == "function_declaration"
                && o.field("name")
                    .is_some_and(|n| matches!(cx.text(n), "main" | "init"))
            {
                return;
            }
            outer = syntax::enclosing_function(o, Family::Go);
        }
        let Some(fun) = call.field("function") else {
            return;
        };
        let (body, params) = match fun.kind_name() {
            "func_literal" => (fun.field("body"), fun.field("parameters")),
            "identifier" | "selector_expression" => {
                let name = match fun.kind_name() {
                    "identifier" => cx.text(fun),
                    _ => fun.field("field").map(|f| cx.text(f)).unwrap_or(""),
                };
                match declared_function(cx, name, fun.kind_name() == "selector_expression") {
                    Some(d) => (d.field("body"), d.field("parameters")),
                    None => return,
                }
            }
            _ => return,
        };
        let Some(body) = body else { return };
        for lp in retry::local(body, Family::Go, false) {
            if lp.kind_name() != "for_statement" || !endless(lp, cx) || has_exit(lp, cx) {
                continue;
            }
            let ctx_name = context_in_scope(stmt, params, cx);
            let (msg, sev, conf) = match ctx_name {
                Some(n) => (
                    format!("goroutine loops forever and never checks `{n}.Done()`: no return or break can end it, so it outlives shutdown and its caller"),
                    Severity::P1,
                    Confidence::High,
                ),
                None => (
                    "goroutine loops forever with no return or break: nothing (no context, quit channel or closed input) can stop it".to_string(),
                    Severity::P2,
                    Confidence::Medium,
                ),
            };
            cx.hit(&META, lp, "for", msg).severity(sev).confidence(conf);
        }
    }
}

/// A function or method declared in this file.
fn declared_function<'a>(cx: &Cx<'a>, name: &str, method: bool) -> Option<Node<'a>> {
    let mut c = cx.root.walk();
    let kind = if method {
        "method_declaration"
    } else {
        "function_declaration"
    };
    cx.root
        .named_children(&mut c)
        .filter(|n| n.kind_name() == kind)
        .find(|n| n.field("name").is_some_and(|x| cx.text(x) == name))
}

/// `for {}` with no condition, or `for range` over a ticker / `time.Tick`.
fn endless(lp: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut c = lp.walk();
    let header: Vec<Node<'_>> = lp
        .named_children(&mut c)
        .filter(|n| n.kind_name() != "block" && n.kind_name() != "comment")
        .collect();
    match header.first() {
        None => true,
        Some(h) if h.kind_name() == "range_clause" => h.field("right").is_some_and(|r| {
            let t = cx.text(r);
            t.starts_with("time.Tick(")
                || (t.ends_with(".C") && t.to_ascii_lowercase().contains("tick"))
        }),
        Some(h) if h.kind_name() == "for_clause" => h.field("condition").is_none(),
        _ => false,
    }
}

/// Whether the loop can end: a `return`, a `goto`, or a `break` that leaves this loop (not
/// one that only leaves a `select` or `switch` inside it).
fn has_exit(lp: Node<'_>, cx: &Cx<'_>) -> bool {
    let label = lp
        .parent()
        .filter(|p| p.kind_name() == "labeled_statement")
        .and_then(|p| p.field("label"))
        .map(|l| cx.text(l).to_string());
    let fk = syntax::function_kinds(Family::Go);
    for n in descendants(lp).skip(1) {
        // Skip nested function literals.
        if syntax::ancestor(n, fk).is_some_and(|f| lp.byte_range().contains(&f.start_byte())) {
            continue;
        }
        match n.kind_name() {
            "return_statement" | "goto_statement" => return true,
            "call_expression" => {
                let (w, _) = cx.callee(n);
                if matches!(w.as_str(), "runtime.Goexit" | "os.Exit") {
                    return true;
                }
            }
            "break_statement" => {
                if let Some(l) = n.named_child(0) {
                    if label.as_deref() == Some(cx.text(l)) {
                        return true;
                    }
                    continue;
                }
                // Unlabelled: it leaves the innermost for/select/switch.
                let inner = syntax::ancestor(
                    n,
                    &[
                        "for_statement",
                        "select_statement",
                        "expression_switch_statement",
                        "type_switch_statement",
                    ],
                );
                if inner == Some(lp) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The name of a `context.Context` parameter of the goroutine's function or of the
/// function that starts it.
fn context_in_scope(stmt: Node<'_>, params: Option<Node<'_>>, cx: &Cx<'_>) -> Option<String> {
    let mut lists: Vec<Node<'_>> = params.into_iter().collect();
    let mut f = syntax::enclosing_function(stmt, Family::Go);
    while let Some(func) = f {
        if let Some(p) = func.field("parameters") {
            lists.push(p);
        }
        f = syntax::enclosing_function(func, Family::Go);
    }
    for l in lists {
        let mut c = l.walk();
        for p in l.named_children(&mut c) {
            let ty = p.field("type").map(|t| cx.text(t)).unwrap_or("");
            if ty == "context.Context"
                && let Some(n) = p.field("name")
            {
                return Some(cx.text(n).to_string());
            }
        }
    }
    None
}
