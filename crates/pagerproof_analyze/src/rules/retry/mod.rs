//! RETRY: retries with no cap, no backoff, or around operations that are not safe to
//! repeat. The hand-written retry loop is recognised here once for every language and
//! shared by the three rules; library policies (tenacity, backoff, axios-retry,
//! cenkalti/backoff, retry-go, Failsafe, ...) are read by each rule.
//!
//! A loop is a *retry loop* when its body runs an operation in a `try` (or checks an
//! `err`), leaves the loop when the operation succeeds (`break`/`return`), and goes
//! round again when it fails. Worker loops (failure leaves, success goes round) and
//! loops over alternatives (`for host in hosts`) are not retry loops.

pub mod backoff;
pub mod limit;
pub mod non_idempotent;

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::Cx;

/// How a loop is bounded by its own header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bound {
    /// `while True`, `for {}`, `for (;;)`, `itertools.count()`.
    Infinite,
    /// `while not done`: bounded only by a flag the body sets.
    Flag(String),
    /// A counted loop (`for attempt in range(3)`, `for i := 0; i < n; i++`).
    Counted(String),
    /// Some other condition (`while attempts < MAX`, `while time.time() < deadline`).
    Condition,
}

/// A retry loop: the loop, how its header bounds it, and the attempted operation (the
/// `try` body, or the Go statements before the error check).
#[derive(Clone, Debug)]
pub struct RetryLoop<'a> {
    pub lp: Node<'a>,
    pub bound: Bound,
    pub body: Node<'a>,
    /// The node holding the attempted operation (a try block, or the loop body in Go).
    pub attempt: Node<'a>,
}

/// Node kinds of loops, per family.
pub fn loop_kinds(f: Family) -> &'static [&'static str] {
    match f {
        Family::Python => &["while_statement", "for_statement"],
        Family::Go => &["for_statement"],
        Family::Js => &["while_statement", "for_statement", "do_statement"],
        Family::Java => &["while_statement", "for_statement", "do_statement"],
    }
}

/// Descendants of `n` that belong to the same function, not entering nested functions
/// (and not nested loops when `enter_loops` is false). `n` itself is not included.
pub fn local<'a>(n: Node<'a>, f: Family, enter_loops: bool) -> Vec<Node<'a>> {
    let fk = syntax::function_kinds(f);
    let lk = loop_kinds(f);
    let mut out = Vec::new();
    let mut stack: Vec<Node<'a>> = Vec::new();
    let mut c = n.walk();
    stack.extend(n.named_children(&mut c));
    while let Some(x) = stack.pop() {
        if fk.contains(&x.kind_name()) || (x.kind_name() == "class_definition") {
            continue;
        }
        out.push(x);
        if !enter_loops && (lk.contains(&x.kind_name()) || is_other_loop(x.kind_name())) {
            continue;
        }
        let mut c2 = x.walk();
        stack.extend(x.named_children(&mut c2));
    }
    out.sort_by_key(|x| x.start_byte());
    out
}

fn is_other_loop(kind: &str) -> bool {
    matches!(
        kind,
        "for_in_statement" | "enhanced_for_statement" | "while_statement" | "do_statement"
    )
}

/// The loop body node.
fn loop_body(lp: Node<'_>) -> Option<Node<'_>> {
    lp.field("body")
}

fn strip_parens<'a>(mut n: Node<'a>) -> Node<'a> {
    while n.kind_name() == "parenthesized_expression" {
        match n.named_child(0) {
            Some(c) => n = c,
            None => break,
        }
    }
    n
}

/// How the header of a loop bounds it; `None` for loops over collections.
pub fn bound(lp: Node<'_>, cx: &Cx<'_>) -> Option<Bound> {
    let flag_of = |cond: Node<'_>| -> Option<Bound> {
        let c = strip_parens(cond);
        match c.kind_name() {
            "true" => Some(Bound::Infinite),
            "integer" | "number" | "decimal_integer_literal" if cx.text(c) == "1" => {
                Some(Bound::Infinite)
            }
            "identifier" | "attribute" | "member_expression" | "field_access" => {
                Some(Bound::Flag(cx.text(c).to_string()))
            }
            "not_operator" | "unary_expression" => {
                let arg = c
                    .field("argument")
                    .or_else(|| c.field("operand"))
                    .map(strip_parens)?;
                let t = cx.text(c);
                if !(t.starts_with('!') || t.starts_with("not")) {
                    return Some(Bound::Condition);
                }
                match arg.kind_name() {
                    "identifier" | "attribute" | "member_expression" | "field_access" => {
                        Some(Bound::Flag(cx.text(arg).to_string()))
                    }
                    _ => Some(Bound::Condition),
                }
            }
            _ => Some(Bound::Condition),
        }
    };
    match (cx.family(), lp.kind_name()) {
        (_, "while_statement") | (_, "do_statement") => {
            let cond = lp.field("condition")?;
            flag_of(cond)
        }
        (Family::Python, "for_statement") => {
            let right = lp.field("right")?;
            if right.kind_name() != "call" {
                return None;
            }
            let (_, r) = cx.callee(right);
            match r.as_str() {
                "range" | "xrange" => {
                    let var = lp
                        .field("left")
                        .map(|l| cx.text(l).to_string())
                        .unwrap_or_default();
                    Some(Bound::Counted(var))
                }
                "itertools.count" => Some(Bound::Infinite),
                _ => None,
            }
        }
        (Family::Go, "for_statement") => {
            let mut c = lp.walk();
            let header: Vec<Node<'_>> = lp
                .named_children(&mut c)
                .filter(|n| n.kind_name() != "block" && n.kind_name() != "comment")
                .collect();
            match header.first() {
                None => Some(Bound::Infinite),
                Some(h) if h.kind_name() == "range_clause" => None,
                Some(h) if h.kind_name() == "for_clause" => {
                    if h.field("condition").is_none() {
                        return Some(Bound::Infinite);
                    }
                    let var = h
                        .field("initializer")
                        .and_then(|i| i.field("left"))
                        .map(|l| cx.text(l).to_string())
                        .unwrap_or_default();
                    Some(Bound::Counted(var))
                }
                Some(h) => flag_of(*h),
            }
        }
        (Family::Js | Family::Java, "for_statement") => {
            let cond = lp.field("condition");
            match cond {
                None => Some(Bound::Infinite),
                Some(c) if c.kind_name() == "empty_statement" => Some(Bound::Infinite),
                Some(c) if cx.text(c).trim().trim_end_matches(';').trim().is_empty() => {
                    Some(Bound::Infinite)
                }
                Some(_) => {
                    let init = lp.field("initializer").or_else(|| lp.field("init"));
                    let var = init
                        .and_then(|i| {
                            descendants(i).find(|d| d.kind_name() == "variable_declarator")
                        })
                        .and_then(|d| d.field("name"))
                        .map(|n| cx.text(n).to_string())
                        .unwrap_or_default();
                    Some(Bound::Counted(var))
                }
            }
        }
        _ => None,
    }
}

fn is_exit(kind: &str) -> bool {
    matches!(kind, "break_statement" | "return_statement")
}

/// Whether `block` leaves the loop on some path: a `break` or `return` in the same
/// function and loop, or (for a flag loop) an assignment to the flag.
fn exits_loop(block: Node<'_>, cx: &Cx<'_>, flag: Option<&str>) -> bool {
    local(block, cx.family(), false).into_iter().any(|n| {
        is_exit(n.kind_name())
            || flag.is_some_and(|f| {
                matches!(n.kind_name(), "assignment" | "assignment_expression")
                    && n.field("left")
                        .is_some_and(|l| cx.text(l).replace(' ', "") == f.replace(' ', ""))
            })
            || (n.kind_name() == "assignment_statement"
                && flag.is_some_and(|f| n.field("left").is_some_and(|l| cx.text(l).trim() == f)))
    })
}

/// The statements of a block (Python `block`, JS/Java blocks, Go blocks).
fn stmts(block: Node<'_>) -> Vec<Node<'_>> {
    syntax::block_statements(block)
}

/// Whether a handler block ends by leaving (raise/throw/return/break) on its last
/// top-level statement.
fn handler_leaves(block: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(last) = stmts(block).into_iter().last() else {
        return false;
    };
    match last.kind_name() {
        "raise_statement" | "throw_statement" | "return_statement" | "break_statement" => true,
        "expression_statement" => {
            let t = cx.text(last);
            t.starts_with("sys.exit") || t.starts_with("os._exit") || t.starts_with("System.exit")
        }
        _ => false,
    }
}

/// Python exception types that mean "the input was wrong", not "the dependency failed":
/// a loop that catches only these is re-reading input, not retrying an operation.
const PY_VALUE_ERRORS: &[&str] = &[
    "ValueError",
    "KeyError",
    "TypeError",
    "IndexError",
    "AttributeError",
    "StopIteration",
    "json.JSONDecodeError",
    "JSONDecodeError",
    "UnicodeDecodeError",
    "AssertionError",
    "ZeroDivisionError",
    "KeyboardInterrupt",
    "EOFError",
    "StopAsyncIteration",
    "asyncio.CancelledError",
    "CancelledError",
    "GeneratorExit",
    "asyncio.QueueEmpty",
    "queue.Empty",
    "Empty",
    "FileExistsError",
    "FileNotFoundError",
];

const JAVA_VALUE_ERRORS: &[&str] = &[
    "NumberFormatException",
    "IllegalArgumentException",
    "ParseException",
    "DateTimeParseException",
    "InputMismatchException",
    "InterruptedException",
    "NoSuchElementException",
    "ClassCastException",
    "FileNotFoundException",
    "NoSuchFileException",
];

/// The exception types an `except` / `catch` clause names (empty for a bare `except:`
/// or a JS `catch`).
pub fn caught_types(clause: Node<'_>, cx: &Cx<'_>) -> Vec<String> {
    match cx.family() {
        Family::Python => {
            let mut c = clause.walk();
            let t = clause
                .named_children(&mut c)
                .find(|n| n.kind_name() != "block" && n.kind_name() != "comment");
            let Some(t) = t else { return Vec::new() };
            let t = if t.kind_name() == "as_pattern" {
                t.named_child(0).unwrap_or(t)
            } else {
                t
            };
            cx.text(t)
                .trim_matches(['(', ')'])
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        }
        Family::Java => descendants(clause)
            .find(|d| d.kind_name() == "catch_type")
            .map(|t| {
                cx.text(t)
                    .split('|')
                    .map(|s| s.trim().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn only_value_errors(types: &[String], f: Family) -> bool {
    let list = match f {
        Family::Python => PY_VALUE_ERRORS,
        Family::Java => JAVA_VALUE_ERRORS,
        _ => return false,
    };
    !types.is_empty() && types.iter().all(|t| list.contains(&t.as_str()))
}

/// Handler clauses of a try statement, with their blocks.
fn handlers<'a>(t: Node<'a>, f: Family) -> Vec<(Node<'a>, Node<'a>)> {
    let mut c = t.walk();
    t.named_children(&mut c)
        .filter(|n| matches!(n.kind_name(), "except_clause" | "catch_clause"))
        .filter_map(|h| {
            let body = match f {
                Family::Python => {
                    let mut c2 = h.walk();
                    h.named_children(&mut c2)
                        .filter(|n| n.kind_name() == "block")
                        .last()
                }
                _ => h.field("body"),
            }?;
            Some((h, body))
        })
        .collect()
}

/// Calls that read from a person (a prompt loop, not a retry).
fn is_interactive(n: Node<'_>, cx: &Cx<'_>) -> bool {
    local(n, cx.family(), true).into_iter().any(|d| {
        syntax::call_kinds(cx.family()).contains(&d.kind_name()) && {
            let (w, _) = cx.callee(d);
            let last = syntax::last_segment(&w);
            matches!(
                last,
                "input"
                    | "getpass"
                    | "prompt"
                    | "readline"
                    | "nextLine"
                    | "nextInt"
                    | "question"
                    | "Ask"
                    | "AskSecret"
                    | "Prompt"
                    | "ReadPassword"
                    | "confirm"
                    | "getkey"
                    | "getch"
                    | "getstr"
                    | "get_wch"
                    | "read_key"
            ) || w.starts_with("Scanner")
        }
    })
}

fn has_call(n: Node<'_>, cx: &Cx<'_>) -> bool {
    local(n, cx.family(), true)
        .into_iter()
        .any(|d| syntax::call_kinds(cx.family()).contains(&d.kind_name()))
}

/// Whether the loop variable of a counted loop is handed to a call in the attempt: the
/// loop is then trying alternatives (ports, hosts, formats), not retrying.
fn var_passed_to_call(attempt: Node<'_>, var: &str, cx: &Cx<'_>) -> bool {
    if var.is_empty() || var == "_" {
        return false;
    }
    local(attempt, cx.family(), true).into_iter().any(|d| {
        syntax::call_kinds(cx.family()).contains(&d.kind_name())
            && syntax::arguments(d).is_some_and(|args| {
                descendants(args).any(|a| a.kind_name() == "identifier" && cx.text(a) == var)
            })
            && {
                let (w, _) = cx.callee(d);
                let l = w.to_ascii_lowercase();
                !is_log_callee(&w) && !l.contains("sleep") && !l.contains("delay")
            }
    })
}

/// Callees that only log (their arguments do not make the loop iterate alternatives).
pub fn is_log_callee(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    l.contains("log") || l.starts_with("print") || l.starts_with("console.") || l.contains("fmt.")
}

/// Recognises a retry loop.
pub fn retry_loop<'a>(lp: Node<'a>, cx: &Cx<'_>) -> Option<RetryLoop<'a>> {
    let b = bound(lp, cx)?;
    let body = loop_body(lp)?;
    let flag = match &b {
        Bound::Flag(f) => Some(f.as_str()),
        _ => None,
    };
    let f = cx.family();
    let attempt = if f == Family::Go {
        go_attempt(body, cx, flag)?
    } else {
        try_attempt(body, cx, flag)?
    };
    if is_interactive(attempt, cx) || !has_call(attempt, cx) {
        return None;
    }
    if let Bound::Counted(v) = &b
        && var_passed_to_call(attempt, v, cx)
    {
        return None;
    }
    if matches!(b, Bound::Counted(_)) && iterates_collection(lp, cx) {
        return None;
    }
    if pulls_next_item(attempt, cx) || (f != Family::Go && tries_alternatives(body, attempt, cx)) {
        return None;
    }
    Some(RetryLoop {
        lp,
        bound: b,
        body,
        attempt,
    })
}

/// A counted loop whose condition runs over a collection (`i < servers.size()`,
/// `i < len(hosts)`): it tries each element once, it does not retry.
fn iterates_collection(lp: Node<'_>, cx: &Cx<'_>) -> bool {
    let cond = match cx.family() {
        Family::Go => {
            let mut c = lp.walk();
            lp.named_children(&mut c)
                .find(|n| n.kind_name() == "for_clause")
                .and_then(|fc| fc.field("condition"))
        }
        Family::Python => lp.field("right"),
        _ => lp.field("condition"),
    };
    let Some(cond) = cond else { return false };
    let t = cx.text(cond);
    t.contains(".size()") || t.contains(".length") || t.contains("len(") || t.contains(".Count")
}

/// The attempt pulls a new item each time round (`iter.Next()`, `stream.Recv()`,
/// `queue.poll()`, `listener.Accept()`): a consumer or iterator loop, not a retry.
fn pulls_next_item(attempt: Node<'_>, cx: &Cx<'_>) -> bool {
    std::iter::once(attempt)
        .chain(local(attempt, cx.family(), false))
        .any(|d| {
            syntax::call_kinds(cx.family()).contains(&d.kind_name()) && {
                let (w, _) = cx.callee(d);
                let last = syntax::last_segment(&w).to_ascii_lowercase();
                matches!(
                    last.as_str(),
                    "next"
                        | "recv"
                        | "receive"
                        | "accept"
                        | "read"
                        | "readmessage"
                        | "readstring"
                        | "readbytes"
                        | "pop"
                        | "dequeue"
                        | "poll"
                        | "take"
                        | "get_nowait"
                        | "getnowait"
                        | "consume"
                        | "fetchmessage"
                        | "nextmessage"
                        | "receive_messages"
                        | "receivemessage"
                        | "xread"
                        | "blpop"
                        | "brpop"
                )
            }
        })
}

/// Something outside the attempt (a handler, the code after the `try`) re-assigns a name
/// the attempt reads: the loop fails over to another host, path or input, it does not
/// repeat the same operation.
fn tries_alternatives(body: Node<'_>, attempt: Node<'_>, cx: &Cx<'_>) -> bool {
    let range = attempt.byte_range();
    let assigned: Vec<String> = local(body, cx.family(), false)
        .into_iter()
        .filter(|n| !range.contains(&n.start_byte()))
        .filter(|n| matches!(n.kind_name(), "assignment" | "assignment_expression"))
        .filter_map(|n| n.field("left"))
        .filter_map(|l| match l.kind_name() {
            "identifier" | "attribute" | "member_expression" | "field_access" => Some(l),
            // `groups[:] = groups[:-1]`, `hosts[i] = ...`: the collection changes.
            "subscript" | "subscript_expression" | "array_access" => l
                .field("value")
                .or_else(|| l.field("object"))
                .or_else(|| l.field("array")),
            _ => None,
        })
        .map(|l| cx.text(l).to_string())
        .collect();
    if assigned.is_empty() {
        return false;
    }
    local(attempt, cx.family(), true).into_iter().any(|d| {
        matches!(
            d.kind_name(),
            "identifier" | "attribute" | "member_expression" | "field_access"
        ) && assigned.iter().any(|a| a == cx.text(d))
            && !d.parent().is_some_and(|p| {
                matches!(p.kind_name(), "assignment" | "assignment_expression")
                    && p.field("left") == Some(d)
            })
    })
}

/// Python, JS, Java: a `try` at the top of the loop body whose success leaves the loop
/// and one of whose handlers goes round again.
fn try_attempt<'a>(body: Node<'a>, cx: &Cx<'_>, flag: Option<&str>) -> Option<Node<'a>> {
    let f = cx.family();
    let top = stmts(body);
    for (i, st) in top.iter().enumerate() {
        // A try directly in the loop, or inside a `with`/`async with` wrapper.
        let t = if st.kind_name() == "try_statement" {
            *st
        } else if st.kind_name() == "with_statement" {
            let Some(b) = st.field("body") else {
                continue;
            };
            match stmts(b)
                .into_iter()
                .find(|s| s.kind_name() == "try_statement")
            {
                Some(t) => t,
                None => continue,
            }
        } else {
            continue;
        };
        let Some(tbody) = t.field("body") else {
            continue;
        };
        let mut c = t.walk();
        let else_exits = t
            .named_children(&mut c)
            .filter(|n| n.kind_name() == "else_clause")
            .any(|e| exits_loop(e, cx, flag));
        let after_exits = top[i + 1..]
            .iter()
            .any(|s| is_exit(s.kind_name()) || (flag.is_some() && exits_loop(*s, cx, flag)));
        let success_exits = exits_loop(tbody, cx, flag) || else_exits || after_exits;
        if !success_exits {
            continue;
        }
        let hs = handlers(t, f);
        let goes_round = hs.iter().any(|(h, hb)| {
            !handler_leaves(*hb, cx) && !only_value_errors(&caught_types(*h, cx), f)
        });
        if goes_round {
            return Some(tbody);
        }
    }
    None
}

fn err_check<'a>(ifs: Node<'a>, cx: &Cx<'_>) -> Option<(bool, Node<'a>)> {
    let cond = ifs.field("condition")?;
    let t: String = cx
        .text(cond)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (name, ok) = if let Some(n) = t.strip_suffix("!=nil") {
        (n, false)
    } else if let Some(n) = t.strip_suffix("==nil") {
        (n, true)
    } else {
        return None;
    };
    if name.is_empty()
        || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
        || !(name.to_ascii_lowercase().contains("err") || name == "e")
    {
        return None;
    }
    Some((ok, ifs.field("consequence")?))
}

/// Go: `if err == nil { break }` (or `return`), or `if err != nil { ...; continue }`
/// followed by a `break`/`return` in the loop body.
fn go_attempt<'a>(body: Node<'a>, cx: &Cx<'_>, flag: Option<&str>) -> Option<Node<'a>> {
    let top = stmts(body);
    for (i, st) in top.iter().enumerate() {
        if st.kind_name() != "if_statement" {
            continue;
        }
        let Some((is_ok_branch, cons)) = err_check(*st, cx) else {
            continue;
        };
        if is_ok_branch {
            if exits_loop(cons, cx, flag) {
                return Some(body);
            }
            continue;
        }
        // Failure branch: it must go round (no exit) and success must leave afterwards.
        let fails_out = local(cons, Family::Go, false)
            .into_iter()
            .any(|n| is_exit(n.kind_name()) || is_process_exit(n, cx));
        if fails_out {
            continue;
        }
        let after = &top[i + 1..];
        let success_exits = after
            .iter()
            .any(|s| is_exit(s.kind_name()) || (flag.is_some() && exits_loop(*s, cx, flag)));
        if success_exits {
            return Some(body);
        }
    }
    None
}

fn is_process_exit(n: Node<'_>, cx: &Cx<'_>) -> bool {
    n.kind_name() == "call_expression" && {
        let (w, _) = cx.callee(n);
        w == "os.Exit" || w.ends_with("Fatal") || w.ends_with("Fatalf") || w == "panic"
    }
}

/// Words that, in a comparison or condition inside the loop, mean the loop counts its
/// attempts, watches a deadline, or can be stopped.
const CAP_WORDS: &[&str] = &[
    "attempt",
    "retr",
    "tries",
    "tried",
    "count",
    "max",
    "limit",
    "deadline",
    "elapsed",
    "timeout",
    "budget",
    "remaining",
    "left",
    "until",
    "expire",
    "stop",
    "shutdown",
    "closed",
    "cancel",
    "running",
    "alive",
    "quit",
    "terminat",
    "exhaust",
    "giveup",
    "give_up",
];

/// Calls that read a clock or a cancellation state.
const CLOCK_OR_CANCEL: &[&str] = &[
    "time.time",
    "time.monotonic",
    "time.perf_counter",
    "datetime.now",
    "datetime.utcnow",
    "loop.time",
    "time.Since",
    "time.Until",
    "time.Now",
    "Date.now",
    "performance.now",
    "System.currentTimeMillis",
    "System.nanoTime",
    "Instant.now",
    "Thread.interrupted",
];

const CANCEL_CALL_SUFFIXES: &[&str] = &[
    ".Err",
    ".Done",
    ".is_set",
    ".isSet",
    ".isInterrupted",
    ".throwIfAborted",
    ".is_shutting_down",
    ".isShutdown",
    ".isCancelled",
    ".cancelled",
];

fn comparison_operands<'a>(n: Node<'a>, cx: &Cx<'_>) -> Option<Vec<Node<'a>>> {
    match n.kind_name() {
        "comparison_operator" => {
            let mut c = n.walk();
            Some(n.named_children(&mut c).collect())
        }
        "binary_expression" => {
            let op = n.field("operator").map(|o| cx.text(o))?;
            if matches!(op, "<" | "<=" | ">" | ">=" | "==" | "!=" | "===" | "!==") {
                Some(
                    [n.field("left"), n.field("right")]
                        .into_iter()
                        .flatten()
                        .collect(),
                )
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Names incremented or decremented in the loop (`attempt += 1`, `i++`, `n--`).
fn counters(body: Node<'_>, cx: &Cx<'_>) -> Vec<String> {
    local(body, cx.family(), true)
        .into_iter()
        .filter_map(|n| match n.kind_name() {
            "augmented_assignment" | "augmented_assignment_expression" => {
                n.field("left").map(|l| cx.text(l).to_string())
            }
            "inc_statement" | "dec_statement" => n.named_child(0).map(|l| cx.text(l).to_string()),
            "update_expression" => n.field("argument").map(|l| cx.text(l).to_string()),
            _ => None,
        })
        .collect()
}

/// Whether anything in the loop caps it: a comparison on an attempt counter or a
/// deadline, a clock read, or a cancellation check (a context, an event, a stop flag).
pub fn has_cap(rl: &RetryLoop<'_>, cx: &Cx<'_>) -> bool {
    if let Bound::Flag(f) = &rl.bound {
        let l = f.to_ascii_lowercase();
        if CAP_WORDS.iter().any(|w| l.contains(w)) {
            return true;
        }
    }
    let ctrs = counters(rl.body, cx);
    let nodes = local(rl.body, cx.family(), true);
    for n in &nodes {
        if let Some(ops) = comparison_operands(*n, cx) {
            for o in ops {
                let t = cx.text(o).to_ascii_lowercase();
                if CAP_WORDS.iter().any(|w| t.contains(w))
                    || ctrs.iter().any(|c| cx.text(o).contains(c.as_str()))
                {
                    return true;
                }
            }
        }
        if syntax::call_kinds(cx.family()).contains(&n.kind_name()) {
            let (w, r) = cx.callee(*n);
            if CLOCK_OR_CANCEL
                .iter()
                .any(|c| w == *c || r == *c || r.ends_with(c))
                || CANCEL_CALL_SUFFIXES.iter().any(|s| w.ends_with(s))
            {
                return true;
            }
        }
        // Go: a receive on a stop channel (`case <-s.shutdownCh:`, `<-done`).
        if n.kind_name() == "unary_expression" && cx.text(*n).starts_with("<-") {
            let t = cx.text(*n).to_ascii_lowercase();
            if [
                "shutdown", "stop", "quit", "done", "exit", "clos", "cancel", "term", "die",
            ]
            .iter()
            .any(|w| t.contains(w))
            {
                return true;
            }
        }
        // A condition on a stop flag: `if self._stopping: break`, `if (signal.aborted)`.
        if n.kind_name() == "if_statement"
            && let Some(c) = n.field("condition")
        {
            let t = cx.text(c).to_ascii_lowercase();
            if CAP_WORDS.iter().any(|w| t.contains(w)) || t.contains("aborted") {
                return true;
            }
        }
    }
    false
}

/// Whether the loop waits between attempts: a sleep, a backoff or delay call, a timer
/// (`setTimeout` inside a promise), or a Go channel receive (`<-time.After(d)`).
pub fn has_backoff(rl: &RetryLoop<'_>, cx: &Cx<'_>) -> bool {
    let f = cx.family();
    descendants(rl.body).any(|n| {
        if syntax::call_kinds(f).contains(&n.kind_name()) {
            let (w, _) = cx.callee(n);
            let l = w.to_ascii_lowercase();
            return [
                "sleep",
                "backoff",
                "delay",
                "wait",
                "settimeout",
                "jitter",
                "pause",
                "throttle",
                "after",
                "park",
                "ratelimit",
                "limiter",
                "tick",
                "poll",
            ]
            .iter()
            .any(|k| l.contains(k));
        }
        f == Family::Go && n.kind_name() == "unary_expression" && cx.text(n).starts_with("<-")
    })
}

/// A short name of the loop for messages: `while True`, `for {}`, `for (;;)`.
pub fn loop_label(rl: &RetryLoop<'_>, cx: &Cx<'_>) -> String {
    let head = cx.text(rl.lp);
    let end = match cx.family() {
        Family::Python => head.find(':'),
        _ => head.find('{'),
    }
    .unwrap_or(head.len().min(40));
    let h: String = head[..end].split_whitespace().collect::<Vec<_>>().join(" ");
    let h = h.trim().to_string();
    if h.chars().count() > 48 {
        let s: String = h.chars().take(45).collect();
        format!("{s}...")
    } else if cx.family() == Family::Go && h == "for" {
        "for {}".to_string()
    } else if rl.lp.kind_name() == "do_statement" {
        "do { } while".to_string()
    } else {
        h
    }
}

/// The Python retry library a decorator (or decorator call) resolves to:
/// `tenacity.retry`, `backoff.on_exception`, `backoff.on_predicate`, `retrying.retry`.
pub fn py_retry_library(expr: Node<'_>, cx: &Cx<'_>) -> Option<&'static str> {
    let name = match expr.kind_name() {
        "call" => cx.callee(expr).1,
        "identifier" | "attribute" => cx.imports().resolve(cx.text(expr)),
        _ => return None,
    };
    match name.as_str() {
        "tenacity.retry" => Some("tenacity.retry"),
        "backoff.on_exception" => Some("backoff.on_exception"),
        "backoff.on_predicate" => Some("backoff.on_predicate"),
        "retrying.retry" => Some("retrying.retry"),
        _ => None,
    }
}

/// The retry decorator of a Python function definition, if it has one.
pub fn py_decorated_retry<'a>(func: Node<'a>, cx: &Cx<'_>) -> Option<(Node<'a>, &'static str)> {
    let parent = func
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")?;
    let mut c = parent.walk();
    parent
        .named_children(&mut c)
        .filter(|n| n.kind_name() == "decorator")
        .find_map(|d| {
            let e = d.named_child(0)?;
            py_retry_library(e, cx).map(|l| (d, l))
        })
}

/// The first call in the attempted operation that is not logging or sleeping, as
/// written (`requests.get`, `client.Do`), for messages.
pub fn first_op(rl: &RetryLoop<'_>, cx: &Cx<'_>) -> Option<String> {
    local(rl.attempt, cx.family(), true)
        .into_iter()
        .filter(|d| syntax::call_kinds(cx.family()).contains(&d.kind_name()))
        .map(|d| cx.callee(d).0)
        .find(|w| {
            let l = w.to_ascii_lowercase();
            !w.is_empty()
                && !w.contains('(')
                && !is_log_callee(w)
                && !l.contains("sleep")
                && !l.ends_with("errorf")
                && !l.ends_with(".errors.new")
                && w != "errors.New"
                && w.len() <= 60
        })
}

/// Whether a node is a JS/Java/Go numeric "infinity" (`Infinity`, `Number.MAX_SAFE_INTEGER`,
/// `Integer.MAX_VALUE`, `math.MaxInt`).
pub fn is_infinite_number(t: &str) -> bool {
    matches!(
        t.trim(),
        "Infinity"
            | "Number.POSITIVE_INFINITY"
            | "Number.MAX_SAFE_INTEGER"
            | "Number.MAX_VALUE"
            | "Integer.MAX_VALUE"
            | "Long.MAX_VALUE"
            | "math.MaxInt"
            | "math.MaxInt32"
            | "math.MaxInt64"
            | "math.MaxUint"
            | "float('inf')"
            | "float(\"inf\")"
            | "math.inf"
    )
}

/// Whether `retry-without-limit` reports this loop (no header bound and nothing in the
/// body caps it).
pub fn is_unbounded(rl: &RetryLoop<'_>, cx: &Cx<'_>) -> bool {
    matches!(rl.bound, Bound::Infinite | Bound::Flag(_)) && !has_cap(rl, cx)
}

/// Whether the file imports a retry library at all (a cheap, cached gate for the rules
/// that read library policies on every call).
pub fn imports_retry_library(cx: &Cx<'_>) -> bool {
    // Asked at every call by several rules: answered once per file.
    cx.file_flag("imports_retry_library", || imports_retry_library_scan(cx))
}

fn imports_retry_library_scan(cx: &Cx<'_>) -> bool {
    let imp = cx.imports();
    imp.modules().iter().any(|l| {
        l.contains("retry")
            || l.contains("Retry")
            || l.contains("retries")
            || l == "tenacity"
            || l.starts_with("tenacity.")
            || l == "backoff"
            || l.starts_with("github.com/cenkalti/backoff")
            || l == "cockatiel"
            || l.starts_with("dev.failsafe")
            || l.starts_with("net.jodah.failsafe")
            || l.starts_with("io.github.resilience4j")
            || l.starts_with("k8s.io/apimachinery/pkg/util/wait")
            || l.starts_with("urllib3")
            || l.starts_with("requests")
    })
}
