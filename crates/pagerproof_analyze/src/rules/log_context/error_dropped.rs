//! `error-log-without-error`: an error handler that logs a message but not the error it
//! caught, and does not propagate it: the log says something failed, never what or why.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::log_context::{Level, log_call, mentions};
use crate::rules::retry;

pub static META: RuleMeta = RuleMeta {
    id: "error-log-without-error",
    category: "LOG-CONTEXT",
    severity: Severity::P3,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Error handler logs a message but drops the error",
    docs: Docs {
        what: "A warning/error/fatal log call (or a print) directly inside an error handler that does not include \
the caught error: Python `except Exception:` logging without the exception, `exc_info=` or `logger.exception`; \
Go `if err != nil { log.Printf(\"failed\") }`; JavaScript `catch (err) { logger.error('failed') }`; Java \
`catch (Exception e) { log.error(\"failed\") }`. Only broad handlers are judged in Python and Java (`Exception`, \
`BaseException`, bare `except`, `Throwable`, `RuntimeException`): a specific exception type already says what \
failed. Not reported: handlers that propagate the error, use it anywhere (to build a message, to wrap it), report \
it another way (Sentry `capture_exception`, `traceback.print_exc()`, `printStackTrace()`) or explain themselves in \
a comment; parameters named `_e`, `ignored` or `unused`; failures of a parse, decode or optional import (the \
message names the bad value); Go warnings (mostly expected conditions) and Go messages that carry other context.",
        scenario: "The operation fails in production and someone has to find out why.",
        impact: "The log says that something failed, but not the exception type, message, cause or stack trace: the \
investigation starts from nothing, and different failures (a timeout, a bug, bad input) look identical.",
        detection: "Log lines like \"failed to process\" with no detail during an incident; repeated reproductions \
needed to learn the cause.",
        mitigation: "Log the error itself, with its stack trace where the language has one, and the identifiers of \
what was being done.",
        fixes: &[
            (
                "python",
                "except PaymentError:\n    log.exception(\"charge failed\", extra={\"order_id\": order.id})",
            ),
            (
                "go",
                "if err != nil {\n    log.Printf(\"load catalog %s: %v\", path, err)\n    return\n}",
            ),
            (
                "javascript",
                "} catch (err) {\n  logger.error({ err, orderId }, 'charge failed');\n}",
            ),
            (
                "typescript",
                "} catch (err) {\n  logger.error({ err, orderId }, 'charge failed');\n}",
            ),
            (
                "java",
                "} catch (IOException e) {\n    log.error(\"write failed for {}\", id, e); // the exception last: SLF4J logs its stack trace\n}",
            ),
        ],
        monitoring: "Track error-level log volume per site; review sites that log without exception details.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/worker.py",
            r#"import logging
log = logging.getLogger(__name__)

def run(job):
    try:
        job.run()
    except Exception as e:
        log.error("job failed")
        ^ `log.error` in an `except` handler does not log the exception
    try:
        job.save()
    except Exception:
        log.warning("save failed for %s", job.id)
        ^ `log.warning` in an `except` handler does not log the exception
    try:
        job.close()
    except Exception as e:
        log.error("close failed: %s", e)
    try:
        job.flush()
    except Exception:
        log.exception("flush failed")
    try:
        job.send()
    except Exception:
        log.error("send failed", exc_info=True)
    try:
        job.ack()
    except Exception:
        log.error("ack failed")
        raise
"#
        ),
        case!(
            "internal/store/store.go",
            r#"package store

import "log"

func save(db DB) {
	if err := db.Save(); err != nil {
		log.Printf("save failed")
		^ `log.Printf` in an `if err != nil` block does not log the error
		return
	}
	if err := db.Flush(); err != nil {
		log.Printf("flush failed: %v", err)
		return
	}
	if err := db.Close(); err != nil {
		log.Println("close failed")
		return err
	}
}
"#
        ),
        case!(
            "src/charge.ts",
            r#"export async function charge(order: Order) {
  try {
    await gateway.charge(order);
  } catch (err) {
    logger.error('charge failed');
    ^ `logger.error` in a `catch` block does not log the error
  }
  try {
    await gateway.refund(order);
  } catch (err) {
    logger.error({ err }, 'refund failed');
  }
}
"#
        ),
        case!(
            "src/main/java/shop/Store.java",
            r#"package shop;

class Store {
    void save() {
        try {
            conn.commit();
        } catch (Exception e) {
            log.error("commit failed");
            ^ `log.error` in a `catch` block does not log the error
        }
        try {
            conn.close();
        } catch (SQLException e) {
            log.warn("close failed", e);
        }
    }
}
"#
        ),
        case!(
            "app/ok.py",
            "import logging\nlog = logging.getLogger(__name__)\n\ndef f():\n    try:\n        g()\n    except KeyError:\n        log.info(\"no key\")\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nimport \"log\"\n\nfunc f() error {\n\tif err := g(); err != nil {\n\t\tlog.Printf(\"g: %v\", err)\n\t}\n\treturn nil\n}\n"
        ),
        case!(
            "src/ok.js",
            "try {\n  risky();\n} catch (err) {\n  console.error('risky failed', err);\n}\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    void f() {\n        try { g(); } catch (Exception e) { log.error(\"g failed\", e); }\n    }\n}\n"
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
            Family::Go => &["if_statement"],
            Family::Js | Family::Java => &["catch_clause"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        let f = cx.family();
        if f == Family::Js && crate::rules::timeout::js_is_browser_file(cx) {
            return;
        }
        // The handler block and the name of the error in it.
        let (block, err_name, what): (Node<'_>, Option<String>, &str) = match f {
            Family::Python => {
                let mut c = node.walk();
                let Some(b) = node
                    .named_children(&mut c)
                    .filter(|n| n.kind_name() == "block")
                    .last()
                else {
                    return;
                };
                // Only broad handlers: a specific exception type already says what failed.
                let types = retry::caught_types(node, cx);
                if !types.is_empty()
                    && !types
                        .iter()
                        .any(|t| t == "Exception" || t == "BaseException")
                {
                    return;
                }
                let alias = descendants(node)
                    .find(|d| d.kind_name() == "as_pattern_target")
                    .map(|a| cx.text(a).to_string());
                (b, alias, "an `except` handler")
            }
            Family::Go => {
                let Some(cond) = node.field("condition") else {
                    return;
                };
                let t: String = cx
                    .text(cond)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let Some(name) = t.strip_suffix("!=nil") else {
                    return;
                };
                if name.is_empty()
                    || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
                    || !name.to_ascii_lowercase().contains("err")
                {
                    return;
                }
                let Some(b) = node.field("consequence") else {
                    return;
                };
                (b, Some(name.to_string()), "an `if err != nil` block")
            }
            Family::Js | Family::Java => {
                let Some(b) = node.field("body") else {
                    return;
                };
                let name = match f {
                    Family::Js => node.field("parameter").map(|p| cx.text(p).to_string()),
                    _ => descendants(node)
                        .find(|d| d.kind_name() == "catch_formal_parameter")
                        .and_then(|p| p.field("name"))
                        .map(|n| cx.text(n).to_string()),
                };
                if f == Family::Java {
                    let types = retry::caught_types(node, cx);
                    if !types.iter().any(|t| {
                        matches!(t.as_str(), "Exception" | "Throwable" | "RuntimeException")
                    }) {
                        return;
                    }
                }
                // `catch (_e)`, `catch (Exception ignored)`: deliberately unused.
                if name.as_deref().is_some_and(|n| {
                    n.starts_with('_')
                        || n.starts_with("ignore")
                        || n == "unused"
                        || n == "expected"
                }) {
                    return;
                }
                (b, name, "a `catch` block")
            }
        };
        // A handler that explains itself in a comment made a decision.
        if descendants(node).any(|d| d.kind_name().contains("comment")) {
            return;
        }
        // Parsing failures: the message names the bad value, the error adds little.
        if parses(node, cx) {
            return;
        }
        // The error is used in the handler (to build a message, to wrap it): not dropped.
        let used_elsewhere = |call: Node<'_>| {
            err_name.as_ref().is_some_and(|e| {
                descendants(block).any(|d| {
                    matches!(
                        d.kind_name(),
                        "identifier" | "shorthand_property_identifier"
                    ) && cx.text(d) == e
                        && !call.byte_range().contains(&d.start_byte())
                })
            })
        };
        let stmts = retry::local(block, f, false);
        // The error propagates, or is reported some other way.
        let propagates = stmts.iter().any(|s| match s.kind_name() {
            "raise_statement" | "throw_statement" => true,
            "return_statement" => err_name.as_ref().is_some_and(|e| mentions(*s, e, cx)),
            _ => false,
        });
        if propagates {
            return;
        }
        let reported_otherwise = stmts.iter().any(|s| {
            syntax::call_kinds(f).contains(&s.kind_name()) && {
                let (w, _) = cx.callee(*s);
                let l = w.to_ascii_lowercase();
                l.contains("capture_exception")
                    || l.contains("captureexception")
                    || l.contains("print_exc")
                    || l.contains("format_exc")
                    || l.contains("printstacktrace")
                    || l.contains("sentry")
                    || l.contains("report")
            }
        });
        if reported_otherwise {
            return;
        }
        // The first warning-or-worse log call, directly in the handler, that does not carry
        // the error (a log under a nested `if err == ErrX` already knows which error it is).
        for st in syntax::block_statements(block) {
            if st.kind_name() != "expression_statement" {
                continue;
            }
            let Some(s) = st.named_child(0) else { continue };
            if !syntax::call_kinds(f).contains(&s.kind_name()) {
                continue;
            }
            let Some(lc) = log_call(s, cx) else { continue };
            if lc.level < Level::Warn && lc.level != Level::Print {
                continue;
            }
            // Go warnings in `if err != nil` are mostly expected conditions the message names.
            if f == Family::Go && lc.level == Level::Warn {
                continue;
            }
            if lc.level == Level::Print && f != Family::Go {
                continue;
            }
            if lc.attaches_error {
                return;
            }
            // The call (with its receiver chain: `log.WithError(err).Error(..)`) carries it.
            let carries = err_name.as_ref().is_some_and(|e| mentions(s, e, cx));
            if carries || used_elsewhere(s) {
                return;
            }
            // Go: a message with structured context (`"remote_addr", addr`) says what failed;
            // only a bare message drops everything.
            if f == Family::Go
                && syntax::arguments(s).is_some_and(|a| {
                    descendants(a).any(|d| {
                        matches!(
                            d.kind_name(),
                            "identifier" | "selector_expression" | "call_expression"
                        )
                    })
                })
            {
                continue;
            }
            let name = lc.name.clone();
            let noun = if f == Family::Python {
                "exception"
            } else {
                "error"
            };
            cx.hit(
                &META,
                s,
                name.clone(),
                format!("`{name}` in {what} does not log the {noun}: the message says something failed, not what or why"),
            );
            return;
        }
    }
}

/// Whether the failing operation is a parse or decode of a value (`Integer.parseInt`,
/// `strconv.ParseBool`, `json.Unmarshal`, `JacksonUtils.toObj`, `int(...)`).
fn parses(handler: Node<'_>, cx: &Cx<'_>) -> bool {
    let f = cx.family();
    // The operation: a try body, or the Go statements that produced `err`.
    let scope: Vec<Node<'_>> = match f {
        Family::Go => {
            let mut v: Vec<Node<'_>> = handler.field("initializer").into_iter().collect();
            if let Some(prev) = handler.prev_named_sibling() {
                v.push(prev);
            }
            v
        }
        _ => handler
            .parent()
            .and_then(|t| t.field("body"))
            .into_iter()
            .collect(),
    };
    scope.iter().any(|sc| {
        descendants(*sc).any(|d| {
            syntax::call_kinds(f).contains(&d.kind_name()) && {
                let (w, _) = cx.callee(d);
                let last = syntax::last_segment(&w).to_ascii_lowercase();
                last.starts_with("parse")
                    || last.starts_with("unmarshal")
                    || last.starts_with("decode")
                    || last.starts_with("atoi")
                    || last.starts_with("newversion")
                    || last == "toobj"
                    || last == "fromjson"
                    || last == "readvalue"
                    || last == "valueof"
                    || last == "loads"
                    || last == "json"
                    || w == "require"
                    || w == "__import__"
                    || w == "importlib.import_module"
                    || (f == Family::Python && matches!(w.as_str(), "int" | "float" | "Decimal"))
            }
        })
    })
}
