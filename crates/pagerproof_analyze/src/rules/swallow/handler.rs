//! `error-swallowed`: an error handler that drops the error: it neither logs, re-raises,
//! returns, nor surfaces it.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, Requirement, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "error-swallowed",
    category: "SWALLOW",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Error handler that drops the error silently",
    docs: Docs {
        what: "A handler that catches an error and drops it: Python bare `except:` and `except Exception`/\
`BaseException` whose body only passes, continues, or returns a default without logging, re-raising or using the \
exception; Go `if err != nil { ... }` blocks that continue without a trace, return `nil`/zero values from a function \
that returns an `error` (the failure becomes a success), or return nothing from an HTTP handler (an empty 200) — a \
default answer from a function with no error result (`return false`) is taken as a deliberate fallback, except a \
bare `return nil` from a function returning a pointer after a failed `New...` constructor (the caller gets a nil \
dependency and no cause); \
JavaScript/TypeScript empty `catch {}` blocks and `.catch(() => {})`/`.catch(() => null)` callbacks; Java empty \
`catch` blocks or blocks that only return a default. Handlers of specific, expected exceptions used for control flow \
(`except KeyError:`, `ImportError`, `StopIteration`, `NumberFormatException` with a fallback, Go's \
`errors.Is(err, sql.ErrNoRows)`, Spring's `EmptyResultDataAccessException`) are not reported; neither are handlers \
that mention why in a comment or name the exception `ignored`/`expected`, Java predicates (`exists()`, `isX()`) \
answering `false`, returns of a caller-supplied `defaultValue`, zod/yup schema `.catch(...)` defaults, a `try` that \
holds one best-effort cleanup call (`unlinkSync`, `close`, `kill`) or a `.catch(() => {})` chained on one \
(`conn.close().catch(() => {})`), and browser code (served static assets, browser \
application packages). A lint pragma (`# pylint: disable=broad-except`) is not an explanation.",
        scenario: "A dependency, disk or parser fails in production.",
        impact: "The failure is invisible: the code continues with missing or default data, users get wrong answers \
or half-done work, and when someone finally notices there is no log line to start from.",
        detection: "Nothing: that is the problem. Users report wrong results; data inconsistencies are found later.",
        mitigation: "Log the error with context, and either re-raise/return it or make the fallback explicit and \
counted (a metric), so a silent failure becomes a visible one.",
        fixes: &[
            (
                "python",
                "try:\n    charge(order)\nexcept PaymentError:\n    log.exception(\"charge failed\", extra={\"order_id\": order.id})\n    raise",
            ),
            (
                "go",
                "if err != nil {\n    return nil, fmt.Errorf(\"load catalog: %w\", err)\n}",
            ),
            (
                "javascript",
                "try {\n  await save(doc);\n} catch (err) {\n  logger.error({ err, id: doc.id }, 'save failed');\n  throw err;\n}",
            ),
            (
                "typescript",
                "try {\n  await save(doc);\n} catch (err) {\n  logger.error({ err, id: doc.id }, 'save failed');\n  throw err;\n}",
            ),
            (
                "java",
                "} catch (IOException e) {\n    log.error(\"write failed for {}\", id, e);\n    throw new UncheckedIOException(e);\n}",
            ),
        ],
        monitoring: "Count handled-and-dropped errors with a metric per site (`errors_swallowed_total{site}`) and \
alert when it is non-zero for critical paths.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/worker.py",
            r#"import logging
log = logging.getLogger(__name__)

def run(jobs):
    for j in jobs:
        try:
            j.run()
        except:
        ^ bare `except:` drops the error
            pass
        try:
            j.cleanup()
        except Exception:
        ^ `except Exception` drops the error
            continue
        try:
            j.save()
        except Exception as e:
            log.exception("save failed")
        try:
            import ujson as json
        except ImportError:
            pass
        try:
            j.report()
        except Exception as e:
            errors.append(e)
        try:
            j.notify()
        except Exception:
            # notifications are best effort: the job already succeeded
            pass
        try:
            j.archive()
        except Exception:  # pylint: disable=broad-except
        ^ `except Exception` drops the error
            pass
"#
        ),
        case!(
            "svc/lookup.py",
            r#"def get(d, k):
    try:
        return d[k]
    except KeyError:
        return None

def value(s):
    try:
        return int(s)
    except Exception:
    ^ returns a default
        return 0
"#
        ),
        case!(
            "internal/telemetry/meter.go",
            r#"package telemetry

import (
	"context"
	"log"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

func meterProvider(ctx context.Context) *sdkmetric.MeterProvider {
	exp, err := otlpmetrichttp.New(ctx)
	if err != nil {
	   ^ returns `nil` after `otlpmetrichttp.New` fails: the caller gets a nil `*sdkmetric.MeterProvider`
		return nil
	}
	return sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp)))
}

// Logged: the operator sees why metrics are missing.
func loggedProvider(ctx context.Context) *sdkmetric.MeterProvider {
	exp, err := otlpmetrichttp.New(ctx)
	if err != nil {
		log.Printf("metrics disabled: %v", err)
		return nil
	}
	return sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp)))
}

// A lookup: nil means "not there", and the failing call builds nothing.
func cached(c *cache, key string) *entry {
	e, err := c.Fetch(key)
	if err != nil {
		return nil
	}
	return e
}

// Parsing input: no value is the answer.
func semver(s string) *version.Version {
	v, err := version.NewVersion(s)
	if err != nil {
		return nil
	}
	return v
}
"#
        ),
        case!(
            "internal/catalog/catalog.go",
            r#"package catalog

import (
	"database/sql"
	"errors"
	"log"
)

func load(db *sql.DB) ([]string, error) {
	rows, err := db.Query("SELECT name FROM products")
	if err != nil {
	   ^ returns without using the error
		return nil, nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
		                         ^ continues without using the error
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

func (s *server) product(w http.ResponseWriter, r *http.Request) {
	p, err := s.lookup(r.Context())
	if err != nil {
	   ^ returns without using the error
		return
	}
	render(w, p)
}

func isV2(s string) bool {
	v, err := version.NewVersion(s)
	if err != nil {
		return false
	}
	return v.Major() == 2
}

func mode() int {
	fi, err := os.Stat("/sys/fs/cgroup")
	if err != nil {
		return 0
	}
	return int(fi.Size())
}

func (ln listener) Accept() (c net.Conn, err error) {
	tc, err := ln.AcceptTCP()
	if err != nil {
		return
	}
	return tc, nil
}

func deny(err error) error {
	if authErr := check(); authErr != nil {
		return ErrPermissionDenied
	}
	return nil
}

func get(db *sql.DB, id int) (string, error) {
	var s string
	err := db.QueryRow("SELECT name FROM p WHERE id = $1", id).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if err := other(); err != nil {
		log.Printf("other: %v", err)
		return s, nil
	}
	return s, nil
}
"#
        ),
        case!(
            "src/server.ts",
            r#"export async function save(doc: Doc) {
  try {
    await db.put(doc);
  } catch (e) {}
    ^ empty `catch` drops the error
  try {
    await db.index(doc);
  } catch (e) {
    // best effort: the index is rebuilt nightly
  }
  await fetchThing().catch(() => {});
                     ^ `.catch` callback drops the error
  await client.close().catch(() => {});
  await sock.destroy().catch(() => {});
  await queue.close().catch(() => null);
                      ^ `.catch` callback drops the error silently and returns `null`
  const user = await findUser(id).catch(() => null);
                                  ^ `.catch` callback drops the error silently and returns `null`
  await fetchThing().catch((err) => logger.warn({ err }, 'thing failed'));
}
"#
        ),
        case!(
            "src/main/java/shop/Store.java",
            r#"package shop;

class Store {
    boolean ping() {
        try {
            return conn.isValid(1);
        } catch (Exception e) {
          ^ drops the error silently
        }
        return false;
    }
    int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
    void save() {
        try {
            conn.commit();
        } catch (Exception e) {
            log.error("commit failed", e);
            throw new RuntimeException(e);
        }
    }
}
"#
        ),
        // Deliberate by convention: a parameter named `ignored`/`expected`/`_`, Spring's
        // "no row" answer, a predicate that answers "no" when it cannot tell.
        case!(
            "src/main/java/shop/Catalog.java",
            r#"package shop;

class Catalog {
    void closeQuietly(Channel ch) {
        try {
            ch.close();
        } catch (Exception ignored) {
        }
    }
    Item find(long id) {
        try {
            return jdbc.queryForObject(SQL, mapper, id);
        } catch (EmptyResultDataAccessException e) {
            return null;
        }
    }
    boolean exists(Path p) {
        try {
            return store.stat(p) != null;
        } catch (IOException e) {
            return false;
        }
    }
    String attribute(String key, String defaultValue) {
        try {
            return attributes.get(key).toString();
        } catch (Exception e) {
            return defaultValue;
        }
    }
    Result login(Credentials c) {
        try {
            return Result.ok(auth.authenticate(c));
        } catch (BadCredentialsException e) {
            return Result.failed(401, "bad credentials");
        }
    }
    boolean publish(Item item) {
        try {
            bus.send(item);
            return true;
        } catch (IOException e) {
          ^ returns a default without logging
            return false;
        }
    }
}
"#
        ),
        case!(
            "src/api/params.ts",
            r#"import { z } from 'zod';
export const Page = z.object({
  page: z.coerce.number().min(1).optional().catch(() => undefined),
});
"#
        ),
        case!(
            "src/jobs/cleanup.ts",
            r#"export async function cleanup(dir: string) {
  try {
    await fs.rm(dir, { recursive: true });
  } catch (_ignored) {}
}
export function stop(pidFile: string, server: Server) {
  try {
    fs.unlinkSync(pidFile);
  } catch (e) {}
  try {
    server.shutdown();
    fs.unlinkSync(pidFile);
  } catch (e) {}
    ^ empty `catch` drops the error
}
"#
        ),
        // A browser application's package: its swallowed errors are users' problems.
        crate::rule::Case {
            files: &[
                (
                    "web/package.json",
                    r#"{"name": "web", "private": true,
 "dependencies": {"react": "^18.3.0"}, "devDependencies": {"vite": "^5.0.0"}}
"#,
                ),
                (
                    "web/src/storage.ts",
                    r#"export function readPrefs(): Prefs | null {
  try {
    return JSON.parse(localStorage.getItem('prefs') ?? 'null');
  } catch (e) {}
  return null;
}
"#,
                ),
            ],
        },
        case!(
            "tests/test_worker.py",
            "def test_x():\n    try:\n        f()\n    except:\n        pass\n"
        ),
        case!(
            "internal/store/store.go",
            "package store\n\nimport \"log\"\n\nfunc save(db DB) error {\n\tif err := db.Save(); err != nil {\n\t\treturn fmt.Errorf(\"save: %w\", err)\n\t}\n\tif err := db.Flush(); err != nil {\n\t\tlog.Printf(\"flush: %v\", err)\n\t}\n\treturn nil\n}\n"
        ),
        case!(
            "lib/ok.js",
            "try {\n  risky();\n} catch (err) {\n  logger.error({ err }, 'risky failed');\n  throw err;\n}\npromise.catch((err) => logger.warn(err));\n"
        ),
        case!(
            "src/main/java/a/Ok.java",
            "package a;\nclass Ok {\n    void f() {\n        try { g(); } catch (IOException e) { throw new UncheckedIOException(e); }\n    }\n}\n"
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
            Family::Js => &["catch_clause", "call_expression"],
            Family::Java => &["catch_clause"],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Go => go(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
        }
    }
}

/// Words in a callee that mean the error is reported somewhere.
pub fn is_reporting_call(callee: &str) -> bool {
    let c = callee.to_ascii_lowercase();
    [
        "log",
        "warn",
        "error",
        "exception",
        "print",
        "console",
        "sentry",
        "capture",
        "report",
        "fatal",
        "panic",
        "notify",
        "alert",
        "metric",
        "inc",
        "abort",
        "fail",
        "emit",
        "send_error",
        "reject",
        "die",
        "trace",
    ]
    .iter()
    .any(|w| c.contains(w))
}

/// Whether a block carries a comment that explains the choice (an intentional ignore).
fn has_comment(n: Node<'_>) -> bool {
    descendants(n).any(|d| d.kind_name() == "comment")
}

const PY_EXPECTED: &[&str] = &[
    "KeyError",
    "IndexError",
    "ImportError",
    "ModuleNotFoundError",
    "StopIteration",
    "StopAsyncIteration",
    "AttributeError",
    "FileNotFoundError",
    "NotImplementedError",
    "ValueError",
    "TypeError",
    "LookupError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "FileExistsError",
    "ProcessLookupError",
    "asyncio.CancelledError",
    "CancelledError",
    "KeyboardInterrupt",
    "GeneratorExit",
    "SystemExit",
    "OverflowError",
    "ZeroDivisionError",
    "json.JSONDecodeError",
    "JSONDecodeError",
];

fn python(clause: Node<'_>, cx: &mut Cx<'_>) {
    // The caught type: absent for a bare `except:`.
    let mut c = clause.walk();
    let children: Vec<Node<'_>> = clause.named_children(&mut c).collect();
    let body = children
        .iter()
        .rev()
        .find(|n| n.kind_name() == "block")
        .copied();
    let Some(body) = body else { return };
    let type_node = children
        .iter()
        .find(|n| n.kind_name() != "block" && n.kind_name() != "comment")
        .copied();
    let (type_text, alias) = match type_node {
        None => (String::new(), None),
        Some(t) if t.kind_name() == "as_pattern" => (
            t.named_child(0)
                .map(|x| cx.text(x).to_string())
                .unwrap_or_default(),
            t.field("alias").map(|a| cx.text(a).to_string()),
        ),
        Some(t) => (cx.text(t).to_string(), None),
    };
    let blind = type_text.is_empty()
        || type_text == "Exception"
        || type_text == "BaseException"
        || type_text == "(Exception)"
        || type_text == "(BaseException)";
    if !blind {
        let types: Vec<&str> = type_text
            .trim_matches(['(', ')'])
            .split(',')
            .map(str::trim)
            .collect();
        if types.iter().all(|t| PY_EXPECTED.contains(t)) || !types.contains(&"Exception") {
            return;
        }
    }
    if type_text.contains("BaseException") {
        return; // CANCEL's rule reports BaseException handlers that do not re-raise.
    }
    // tree-sitter-python puts a comment that opens the block (`except X:\n    # why`)
    // under the clause, not the block; a lint pragma alone says nothing about why.
    let explained = children.iter().any(|n| {
        n.kind_name() == "comment" && {
            let t = cx
                .text(*n)
                .trim_start_matches('#')
                .trim()
                .to_ascii_lowercase();
            !["pylint:", "noqa", "type:", "pragma", "nosec", "fmt:"]
                .iter()
                .any(|p| t.starts_with(p))
        }
    });
    if explained || has_comment(body) {
        return;
    }
    // Statements of the handler.
    let mut c2 = body.walk();
    let stmts: Vec<Node<'_>> = body.named_children(&mut c2).collect();
    let mut kind = "drops";
    for s in &stmts {
        match s.kind_name() {
            "pass_statement" => kind = "pass",
            "continue_statement" => kind = "continue",
            "break_statement" => kind = "break",
            "return_statement" => {
                kind = "return";
                // Returning the exception, or something built from it, surfaces it.
                if alias.as_ref().is_some_and(|a| mentions(cx, *s, a)) {
                    return;
                }
            }
            "expression_statement" => {
                let e = s.named_child(0);
                if e.is_some_and(|e| e.kind_name() == "ellipsis" || e.kind_name() == "string") {
                    continue;
                }
                return; // a call or an assignment: something is done about it
            }
            _ => return, // raise, if, assignments...: handled or too complex to call silent
        }
    }
    if alias
        .as_ref()
        .is_some_and(|a| stmts.iter().any(|s| mentions(cx, *s, a)))
    {
        return;
    }
    let what = if type_text.is_empty() {
        "bare `except:`".to_string()
    } else {
        format!("`except {type_text}`")
    };
    let (msg, conf) = match kind {
        "return" => (
            format!(
                "{what} returns a default without logging or re-raising: the failure is invisible"
            ),
            Confidence::Medium,
        ),
        "continue" | "break" => (
            format!("{what} drops the error and moves on without a log line"),
            Confidence::High,
        ),
        _ => (
            format!("{what} drops the error silently (`pass`)"),
            Confidence::High,
        ),
    };
    let subject = what.clone();
    cx.hit(&META, clause, subject, msg).confidence(conf);
}

/// Whether `n` mentions identifier `name`.
pub fn mentions(cx: &Cx<'_>, n: Node<'_>, name: &str) -> bool {
    descendants(n).any(|d| d.kind_name() == "identifier" && cx.text(d) == name)
}

/// The error variable, condition and block of a Go `if err != nil { ... }`. Only the plain
/// shape: `errors.Is` and `==` comparisons are control flow.
pub fn go_err_check<'t>(ifs: Node<'t>, cx: &Cx<'_>) -> Option<(String, Node<'t>, Node<'t>)> {
    let cond = ifs.field("condition")?;
    let ct = cx.text(cond).replace(' ', "");
    let errname = ct.strip_suffix("!=nil")?;
    if errname.is_empty()
        || !errname.chars().all(|c| c.is_alphanumeric() || c == '_')
        || !errname.to_ascii_lowercase().contains("err")
    {
        return None;
    }
    let block = ifs.field("consequence")?;
    Some((errname.to_string(), cond, block))
}

fn go(ifs: Node<'_>, cx: &mut Cx<'_>) {
    let Some((errname, cond, block)) = go_err_check(ifs, cx) else {
        return;
    };
    let errname = errname.as_str();
    if mentions(cx, block, errname) || has_comment(block) {
        return;
    }
    // Something reports or stops: a log call, panic, os.Exit, http.Error, t.Fatal.
    let reports = descendants(block).any(|d| {
        d.kind_name() == "call_expression" && {
            let (w, _) = cx.callee(d);
            is_reporting_call(&w) || w == "os.Exit" || w.ends_with("Error") || w.ends_with("Errorf")
        }
    });
    if reports {
        return;
    }
    let stmts = syntax::block_statements(block);
    let last = stmts.last().copied();
    let kind = match last.map(|s| s.kind_name()) {
        Some("return_statement") => "returns",
        Some("continue_statement") | Some("break_statement") => "continues",
        None => "ignores",
        _ => return, // assignments and other work: a fallback, not obviously silent
    };
    if kind == "returns"
        && let Some(ret) = last
        && !go_return_drops_error(ret, ifs, errname, cx)
    {
        return;
    }
    // At the `err != nil` position, where reviewers look.
    let at = descendants(cond)
        .find(|d| d.kind_name() == "binary_expression")
        .unwrap_or(cond);
    let nil_dependency = (kind == "returns")
        .then(|| go_nil_dependency(ifs, errname, cx))
        .flatten();
    let msg = match (kind, nil_dependency) {
        ("returns", Some((ctor, ty))) => format!(
            "`if {errname} != nil` returns `nil` after `{ctor}` fails: the caller gets a nil `{ty}` and the cause is neither logged nor returned"
        ),
        ("returns", None) => format!(
            "`if {errname} != nil` returns without using the error: the failure is neither logged nor returned"
        ),
        ("continues", _) => format!(
            "`if {errname} != nil` continues without using the error: the failure is skipped silently"
        ),
        _ => format!("`if {errname} != nil` has an empty body"),
    };
    cx.hit(&META, at, format!("{errname} != nil"), msg)
        .confidence(if kind == "returns" {
            Confidence::Medium
        } else {
            Confidence::High
        });
}

/// Whether `return ...` inside `if err != nil` drops the error. Dropped: `nil`/zero values
/// from a function that returns `error` (failure turned into success), and a bare return
/// from an HTTP handler (the client gets an empty 200). Not dropped: a bare return with
/// named results (they carry `err`), returning some error value (`ErrPermissionDenied`,
/// `status.Error(...)`), a fallback computed by a call, and a default answer from a
/// function that has no error result (`return false`, `return []string{}`): that is a
/// deliberate fallback far more often than a bug, so it is left to the reader.
fn go_return_drops_error(ret: Node<'_>, ifs: Node<'_>, errname: &str, cx: &Cx<'_>) -> bool {
    let func = syntax::enclosing_function(ifs, Family::Go);
    let result = func.and_then(|f| f.field("result"));
    let result_text = result.map(|r| cx.text(r)).unwrap_or("");
    let named_results = result.is_some_and(|r| {
        r.kind_name() == "parameter_list"
            && descendants(r)
                .any(|d| d.kind_name() == "parameter_declaration" && d.field("name").is_some())
    });
    let values: Vec<Node<'_>> = ret
        .named_child(0)
        .map(|list| {
            if list.kind_name() == "expression_list" {
                let mut c = list.walk();
                list.named_children(&mut c).collect()
            } else {
                vec![list]
            }
        })
        .unwrap_or_default();
    if values.is_empty() {
        let params = func
            .and_then(|f| f.field("parameters"))
            .map(|p| cx.text(p))
            .unwrap_or("");
        let handler = [
            "http.ResponseWriter",
            "*gin.Context",
            "echo.Context",
            "*fiber.Ctx",
        ]
        .iter()
        .any(|t| params.contains(t));
        return !named_results && result.is_none() && handler;
    }
    let zeroish = |v: Node<'_>| {
        let t = cx.text(v).trim();
        matches!(
            v.kind_name(),
            "nil"
                | "false"
                | "true"
                | "int_literal"
                | "float_literal"
                | "interpreted_string_literal"
                | "raw_string_literal"
        ) || (v.kind_name() == "composite_literal"
            && v.field("body").is_some_and(|b| b.named_child_count() == 0))
            || t == "nil"
            || t == "\"\""
    };
    for v in &values {
        let t = cx.text(*v);
        let looks_error = |s: &str| {
            let last = s.rsplit('.').next().unwrap_or(s);
            last.starts_with("Err")
                || last.starts_with("err")
                || last.ends_with("Err")
                || last.ends_with("Error")
        };
        if v.kind_name() == "call_expression" {
            return false; // a fallback or an error built by a call: something is done
        }
        if !zeroish(*v)
            && (looks_error(t) || !matches!(v.kind_name(), "identifier" | "selector_expression"))
        {
            // A non-zero, non-trivial value: an explicit error or a computed fallback.
            if looks_error(t) || v.kind_name() != "unary_expression" {
                return false;
            }
        }
        if looks_error(t) && t != errname {
            return false;
        }
    }
    // A constructor's failure handed on as a bare `nil` by a function that returns what it
    // builds and has no error result (`func newProvider() *Provider { exp, err :=
    // otlp.New(ctx); if err != nil { return nil } ... }`): nothing carries or logs the
    // cause, and the caller receives a nil dependency it will use.
    if values.len() == 1
        && cx.text(values[0]).trim() == "nil"
        && go_nil_dependency(ifs, errname, cx).is_some()
    {
        return true;
    }
    // Zero values where an error was expected: failure became success. Unless the failing
    // call only parsed input (then "no value" may be the intended answer).
    result_text.contains("error") && !failing_call_is_parse(ifs, errname, cx)
}

/// `(constructor, result type)` when `if err != nil` sits in a function that returns a
/// pointer and no error, and `err` came from a `New...` constructor that is not a parser:
/// a `return nil` there hands the caller a nil dependency with the cause dropped.
fn go_nil_dependency(ifs: Node<'_>, errname: &str, cx: &Cx<'_>) -> Option<(String, String)> {
    let result = syntax::enclosing_function(ifs, Family::Go)?.field("result")?;
    if result.kind_name() != "pointer_type" {
        return None;
    }
    let call = failing_call(ifs, errname, cx)?;
    let (written, _) = cx.callee(call);
    if !syntax::last_segment(&written).starts_with("New") || failing_call_is_parse(ifs, errname, cx)
    {
        return None;
    }
    Some((written, cx.text(result).to_string()))
}

/// The call that produced `errname`: in the `if` initializer, or the statement before.
fn failing_call<'t>(ifs: Node<'t>, errname: &str, cx: &Cx<'_>) -> Option<Node<'t>> {
    let producer = ifs.field("initializer").or_else(|| {
        let prev = ifs.prev_named_sibling()?;
        let left = prev.field("left")?;
        mentions(cx, left, errname).then_some(prev)
    })?;
    descendants(producer).find(|d| d.kind_name() == "call_expression")
}

/// Whether the call that produced `errname` (in the `if` initializer or the statement
/// before) parses or validates input rather than doing I/O.
pub fn failing_call_is_parse(ifs: Node<'_>, errname: &str, cx: &Cx<'_>) -> bool {
    let Some(call) = failing_call(ifs, errname, cx) else {
        return false;
    };
    let (w, r) = cx.callee(call);
    let name = syntax::last_segment(&w).to_ascii_lowercase();
    r.starts_with("strconv.")
        || r.starts_with("net/url.")
        || r.starts_with("regexp.")
        || r.starts_with("time.Parse")
        || r.starts_with("net.ParseIP")
        || [
            "parse",
            "version",
            "atoi",
            "validate",
            "convert",
            "decode",
            "unmarshal",
            "match",
            "compile",
            "lookup",
        ]
        .iter()
        .any(|k| name.contains(k))
}

/// Assets a web server hands to browsers (`static/`, `public/`): a browser's swallowed
/// error is not a service's pager risk. Framework route modules (`.tsx` loaders) run on
/// servers too, so the file's extension or imports do not decide; browser application
/// packages are dropped in aggregation (`Requirement::OutsideBrowserApp`).
fn in_browser_file(cx: &Cx<'_>) -> bool {
    let p = cx.path;
    ["static/", "public/", "client-only/"]
        .iter()
        .any(|d| p.starts_with(d) || p.contains(&format!("/{d}")))
}

/// `.catch(...)` on a validation schema (`z.string().optional().catch(() => undefined)`):
/// zod's default for invalid input, not a promise's rejection handler. Follows the call
/// chain down to its root name and asks the imports whether it is a schema library.
fn schema_catch(call: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut n = call;
    for _ in 0..64 {
        let next = match n.kind_name() {
            "call_expression" => n.field("function"),
            "member_expression" => n.field("object"),
            "identifier" => {
                let name = cx.text(n);
                let module = cx.imports().resolve(name);
                return ["zod", "yup", "valibot", "superstruct", "@sinclair/typebox"]
                    .iter()
                    .any(|m| module == *m || module.starts_with(&format!("{m}.")));
            }
            _ => None,
        };
        match next {
            Some(x) => n = x,
            None => return false,
        }
    }
    false
}

/// `try { fs.unlinkSync(pidFile) } catch {}`: the `try` holds one cleanup call (remove a
/// file, close, kill, clear a timer) whose failure means there was nothing to clean.
fn js_best_effort_cleanup(catch: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(block) = catch
        .parent()
        .filter(|t| t.kind_name() == "try_statement")
        .and_then(|t| t.field("body"))
    else {
        return false;
    };
    let mut c = block.walk();
    let stmts: Vec<Node<'_>> = block
        .named_children(&mut c)
        .filter(|n| n.kind_name() != "comment")
        .collect();
    let [stmt] = stmts.as_slice() else {
        return false;
    };
    let call = match stmt.kind_name() {
        "expression_statement" => stmt.named_child(0).map(|e| {
            if e.kind_name() == "await_expression" {
                e.named_child(0).unwrap_or(e)
            } else {
                e
            }
        }),
        _ => None,
    };
    let Some(call) = call.filter(|c| c.kind_name() == "call_expression") else {
        return false;
    };
    let (written, _) = cx.callee(call);
    js_cleanup_method(syntax::last_segment(&written))
}

/// Calls whose failure means there was nothing left to clean up (remove a file, close,
/// destroy, kill, clear a timer).
fn js_cleanup_method(name: &str) -> bool {
    matches!(
        name,
        "unlink"
            | "unlinkSync"
            | "rm"
            | "rmSync"
            | "rmdir"
            | "rmdirSync"
            | "close"
            | "closeSync"
            | "destroy"
            | "kill"
            | "removeListener"
            | "removeAllListeners"
            | "clearTimeout"
            | "clearInterval"
    )
}

/// A catch parameter named to say the error is dropped on purpose (`ignored`, `expected`:
/// the convention IDE inspections accept). A leading `_` alone only silences an
/// unused-variable lint and says nothing about intent.
fn named_as_ignored(name: &str) -> bool {
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    lower.starts_with("ignore") || lower.starts_with("expected") || lower == "unused"
}

fn js(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "catch_clause" {
        let Some(body) = node.field("body") else {
            return;
        };
        if body.named_child_count() > 0 {
            return; // anything in it (a comment explains, a call handles)
        }
        if node
            .field("parameter")
            .is_some_and(|p| named_as_ignored(cx.text(p)))
            || in_browser_file(cx)
            || js_best_effort_cleanup(node, cx)
        {
            return;
        }
        cx.hit(
            &META,
            node,
            "catch {}",
            "empty `catch` drops the error silently",
        )
        .requires(Requirement::OutsideBrowserApp);
        return;
    }
    // promise.catch(() => {}) / .catch(() => null) / .catch(noop)
    let (written, _) = cx.callee(node);
    if syntax::last_segment(&written) != "catch" || !written.contains('.') {
        return;
    }
    if schema_catch(node, cx) {
        return;
    }
    let args = syntax::positional_args(node);
    let Some(cb) = args.first() else { return };
    // `Some(None)`: silent with nothing returned; `Some(Some(v))`: silent, returns `v`.
    let silent: Option<Option<&str>> = match cb.kind_name() {
        "arrow_function" | "function_expression" | "function" => {
            let Some(body) = cb.field("body") else {
                return;
            };
            match body.kind_name() {
                "statement_block" => (body.named_child_count() == 0).then_some(None),
                "null" | "undefined" | "true" | "false" | "number" | "array" | "object" => {
                    Some(Some(cx.text(body)))
                }
                "identifier" if cx.text(body) == "undefined" => Some(Some("undefined")),
                _ => None,
            }
        }
        "identifier" if matches!(cx.text(*cb), "noop" | "_noop" | "ignore" | "nop") => Some(None),
        _ => None,
    };
    let Some(returned) = silent else { return };
    if in_browser_file(cx) {
        return;
    }
    // `conn.close().catch(() => {})`: best-effort cleanup, as in a `try` holding one
    // cleanup call.
    let cleanup = node
        .field("function")
        .and_then(|f| f.field("object"))
        .filter(|o| o.kind_name() == "call_expression")
        .is_some_and(|o| js_cleanup_method(syntax::last_segment(&cx.callee(o).0)));
    if returned.is_none() && cleanup {
        return;
    }
    let at = node
        .field("function")
        .and_then(|f| f.field("property"))
        .unwrap_or(node);
    match returned {
        None => {
            cx.hit(
                &META,
                at,
                ".catch",
                "`.catch` callback drops the error silently",
            )
            .requires(Requirement::OutsideBrowserApp);
        }
        // Often a deliberate "absent" answer (`findUser().catch(() => null)` then a 404),
        // but an outage then reads as "not found" and nobody hears of it.
        Some(v) => {
            let v: String = v.chars().take(20).collect();
            cx.hit(
                &META,
                at,
                ".catch",
                format!("`.catch` callback drops the error silently and returns `{v}`: an outage or a bug reads as an empty result, with nothing logged"),
            )
            .confidence(Confidence::Medium)
            .requires(Requirement::OutsideBrowserApp);
        }
    }
}

const JAVA_EXPECTED: &[&str] = &[
    "NumberFormatException",
    "InterruptedException",
    "NoSuchElementException",
    "IndexOutOfBoundsException",
    "ArrayIndexOutOfBoundsException",
    "ClassNotFoundException",
    "NoSuchMethodException",
    "NoSuchFieldException",
    "CloneNotSupportedException",
    "UnsupportedEncodingException",
    "DateTimeParseException",
    "ParseException",
    "IllegalArgumentException",
    "NullPointerException",
    // Spring's "no row" outcomes of `queryForObject`, and absent files or malformed
    // optional URLs: an expected answer, not a failure.
    "EmptyResultDataAccessException",
    "IncorrectResultSizeDataAccessException",
    "FileNotFoundException",
    "NoSuchFileException",
    "MalformedURLException",
];

/// Whether `ret` hands back what the method documents as its fallback: a parameter named
/// `default...`/`fallback...` (the caller chose the answer), any answer from `toString()`,
/// or an error response built by a call that says so (`failed(...)`, `error(...)`).
fn java_documented_fallback(ret: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(value) = ret.named_child(0) else {
        return false;
    };
    if value.kind_name() == "identifier" {
        let v = cx.text(value).to_ascii_lowercase();
        if v.starts_with("default") || v.starts_with("fallback") {
            return true;
        }
    }
    if let Some(method) = syntax::enclosing_function(ret, Family::Java)
        && method.kind_name() == "method_declaration"
        && method
            .field("name")
            .is_some_and(|n| cx.text(n) == "toString")
    {
        return true;
    }
    descendants(value)
        .filter(|d| d.kind_name() == "method_invocation")
        .filter_map(|d| d.field("name"))
        .any(|n| {
            let name = cx.text(n).to_ascii_lowercase();
            ["fail", "error", "unauthorized", "forbidden", "badrequest"]
                .iter()
                .any(|w| name.contains(w))
        })
}

/// Whether `ret` is `return false;` inside a boolean predicate method (`exists()`,
/// `isReadable()`): "no" is the predicate's documented answer when it cannot tell.
fn java_predicate_says_no(ret: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(value) = ret.named_child(0) else {
        return false;
    };
    if value.kind_name() != "false" {
        return false;
    }
    let Some(method) = syntax::enclosing_function(ret, Family::Java) else {
        return false;
    };
    if method.kind_name() != "method_declaration" {
        return false;
    }
    let returns_bool = method
        .field("type")
        .is_some_and(|t| matches!(cx.text(t), "boolean" | "Boolean"));
    let name = method.field("name").map(|n| cx.text(n)).unwrap_or("");
    let predicate = [
        "is", "has", "can", "exists", "contains", "supports", "matches",
    ]
    .iter()
    .any(|p| {
        name.strip_prefix(p).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
        })
    });
    returns_bool && predicate
}

fn java(clause: Node<'_>, cx: &mut Cx<'_>) {
    let Some(body) = clause.field("body") else {
        return;
    };
    let param = descendants(clause).find(|d| d.kind_name() == "catch_formal_parameter");
    let types = param
        .and_then(|p| descendants(p).find(|d| d.kind_name() == "catch_type"))
        .map(|t| cx.text(t).to_string())
        .unwrap_or_default();
    let name = param
        .and_then(|p| p.field("name"))
        .map(|n| cx.text(n).to_string())
        .unwrap_or_default();
    let expected = types
        .split('|')
        .map(str::trim)
        .all(|t| JAVA_EXPECTED.contains(&t));
    if expected || named_as_ignored(&name) {
        return;
    }
    let mut c = body.walk();
    let stmts: Vec<Node<'_>> = body.named_children(&mut c).collect();
    if stmts.iter().any(|s| s.kind_name().contains("comment")) {
        return;
    }
    if stmts.is_empty() {
        let at = clause;
        cx.hit(
            &META,
            at,
            format!("catch ({types})"),
            format!("empty `catch ({types})` drops the error silently"),
        );
        return;
    }
    if stmts.len() == 1
        && stmts[0].kind_name() == "return_statement"
        && !mentions(cx, stmts[0], &name)
        && !java_predicate_says_no(stmts[0], cx)
        && !java_documented_fallback(stmts[0], cx)
    {
        cx.hit(
            &META,
            clause,
            format!("catch ({types})"),
            format!(
                "`catch ({types})` returns a default without logging: the failure is invisible"
            ),
        )
        .confidence(Confidence::Medium);
    }
}
