//! LOG-CONTEXT: `print` debugging in service code, and error logs that drop the error.
//! The helpers here recognise a logging call in every language (and its level) and the
//! values it writes; LOG-SENSITIVE uses them too.

pub mod error_dropped;
pub mod print_logging;

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::Cx;

/// The level of a logging call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    /// `print`, `console.log`, `fmt.Println`, `System.out.println`: stdout, no level.
    Print,
    Warn,
    Error,
    Fatal,
}

/// A recognised logging call.
#[derive(Clone, Debug)]
pub struct LogCall {
    pub level: Level,
    /// The callee as written (`logger.error`, `fmt.Printf`).
    pub name: String,
    /// Python `logger.exception`, `exc_info=`, Go `WithError`: the error is attached.
    pub attaches_error: bool,
}

fn level_of(method: &str) -> Option<Level> {
    let m = method.to_ascii_lowercase();
    // `infof`, `infow`, `infoln`, `errorf`, `warningf`, `debugContext`...
    let base = [
        "debug",
        "trace",
        "verbose",
        "silly",
        "info",
        "log",
        "notice",
        "print",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "fatal",
        "panic",
        "emerg",
        "alert",
    ]
    .into_iter()
    .find(|b| {
        m == *b
            || m.strip_prefix(b).is_some_and(|rest| {
                matches!(rest, "f" | "w" | "ln" | "s" | "context" | "ctx" | "fn")
            })
    })?;
    Some(match base {
        "debug" | "trace" | "verbose" | "silly" => Level::Debug,
        "info" | "log" | "notice" | "print" => Level::Info,
        "warn" | "warning" => Level::Warn,
        "error" | "exception" | "critical" => Level::Error,
        _ => Level::Fatal,
    })
}

/// Whether a receiver names a logger (`logger`, `log`, `self._log`, `LOGGER`, `zap.L()`).
pub fn is_logger_receiver(recv: &str) -> bool {
    let l = recv.to_ascii_lowercase();
    if l.starts_with("zap.") || l.contains("withfield") || l.contains("witherror") {
        return true;
    }
    // Any segment of the receiver made of logger words: `logger`, `self._log`, `LOGGER`,
    // `Loggers.CORE`, `req.log`, `sugar`; not `dialog` or `catalog`.
    recv.split(['.', '(', ')'])
        .filter(|s| !s.is_empty())
        .any(|seg| {
            let w = crate::rules::config::words(seg);
            w.iter().any(|x| {
                matches!(
                    x.as_str(),
                    "log"
                        | "logger"
                        | "loggers"
                        | "logging"
                        | "logs"
                        | "slog"
                        | "klog"
                        | "glog"
                        | "hclog"
                        | "zerolog"
                        | "zap"
                        | "sugar"
                        | "lg"
                )
            }) || seg == "l"
        })
}

/// Recognises a logging call.
pub fn log_call(call: Node<'_>, cx: &Cx<'_>) -> Option<LogCall> {
    // Java: decide on the method name before building the receiver chain's text.
    if call.kind_name() == "method_invocation" {
        let m = call.field("name").map(|n| cx.text(n))?;
        if !(m.starts_with("print") || level_of(m).is_some()) {
            return None;
        }
    } else if call.kind_name() == "object_creation_expression"
        || call.kind_name() == "new_expression"
    {
        return None;
    } else {
        // Decide on the last name of the callee before building its text.
        let f = call.field("function")?;
        let t = cx.text(f);
        let last = t.rsplit('.').next().unwrap_or(t).trim();
        if !(last.starts_with("print")
            || level_of(last).is_some()
            || matches!(last, "Msg" | "Msgf" | "Send"))
        {
            return None;
        }
    }
    let (w, r) = cx.callee(call);
    if w.is_empty() {
        return None;
    }
    let method = syntax::last_segment(&w);
    let recv = syntax::receiver(&w).unwrap_or("");
    let mk = |level, attaches| {
        Some(LogCall {
            level,
            name: w.clone(),
            attaches_error: attaches,
        })
    };
    match cx.family() {
        Family::Python => {
            if w == "print" {
                return mk(Level::Print, false);
            }
            if recv.is_empty() || !(is_logger_receiver(recv) || recv == "logging") {
                return None;
            }
            let level = level_of(method)?;
            let exc = method == "exception"
                || syntax::kwarg(call, cx.src, "exc_info").is_some_and(|v| cx.text(v) != "False")
                || syntax::kwarg(call, cx.src, "stack_info").is_some();
            mk(level, exc)
        }
        Family::Go => {
            if r.starts_with("fmt.Print") || w == "println" || w == "print" {
                return mk(Level::Print, false);
            }
            if r == "log.Print" || r == "log.Printf" || r == "log.Println" {
                return mk(Level::Print, false);
            }
            if r.starts_with("log.Fatal") || r.starts_with("log.Panic") {
                return mk(Level::Fatal, false);
            }
            if recv.is_empty() || !is_logger_receiver(recv) {
                return None;
            }
            // zerolog: log.Error().Err(err).Msg("x")
            if matches!(method, "Msg" | "Msgf" | "Send") {
                let l = recv.to_ascii_lowercase();
                let level = if l.contains(".error()") || l.contains(".err(") {
                    Level::Error
                } else if l.contains(".warn()") {
                    Level::Warn
                } else if l.contains(".fatal()") || l.contains(".panic()") {
                    Level::Fatal
                } else if l.contains(".debug()") || l.contains(".trace()") {
                    Level::Debug
                } else {
                    Level::Info
                };
                return mk(level, l.contains(".err("));
            }
            let level = level_of(method)?;
            mk(level, recv.contains("WithError") || recv.contains("Err("))
        }
        Family::Js => {
            if recv == "console" {
                let level = match method {
                    "error" => Level::Error,
                    "warn" => Level::Warn,
                    "debug" | "trace" => Level::Debug,
                    "log" | "info" => Level::Print,
                    _ => return None,
                };
                return mk(level, false);
            }
            if recv.is_empty() || !is_logger_receiver(recv) {
                return None;
            }
            mk(level_of(method)?, false)
        }
        Family::Java => {
            if w.starts_with("System.out.print") || w.starts_with("System.err.print") {
                return mk(Level::Print, false);
            }
            if method == "printStackTrace" {
                return mk(Level::Print, true);
            }
            if recv.is_empty() || !is_logger_receiver(recv) {
                return None;
            }
            mk(level_of(method)?, false)
        }
    }
}

/// The expressions whose values a logging call writes: its arguments, and inside them
/// f-string/template interpolations, `%`/`+` operands, `.format(...)`/`Sprintf`/
/// `String.format` arguments and `JSON.stringify`/`str()`/`String.valueOf` wrappers.
/// Each is paired with the key it is logged under, when there is one (a keyword
/// argument, an object key, a `"key", value` pair).
pub fn logged_values<'a>(call: Node<'a>, cx: &Cx<'_>) -> Vec<(Option<String>, Node<'a>)> {
    let mut out = Vec::new();
    let Some(args) = syntax::arguments(call) else {
        return out;
    };
    let mut c = args.walk();
    let list: Vec<Node<'a>> = args.named_children(&mut c).collect();
    let mut pending_key: Option<String> = None;
    for a in list {
        match a.kind_name() {
            "comment" => continue,
            "keyword_argument" => {
                if let (Some(k), Some(v)) = (a.field("name"), a.field("value")) {
                    let key = cx.text(k).to_string();
                    if !matches!(
                        key.as_str(),
                        "exc_info"
                            | "stack_info"
                            | "extra"
                            | "stacklevel"
                            | "file"
                            | "sep"
                            | "end"
                            | "flush"
                    ) {
                        expand(v, Some(key), cx, &mut out, 0);
                    } else if key == "extra" {
                        expand(v, None, cx, &mut out, 0);
                    }
                }
                pending_key = None;
            }
            _ => {
                // Go/slog-style `"key", value` pairs.
                if let Some(k) = pending_key.take() {
                    expand(a, Some(k), cx, &mut out, 0);
                    continue;
                }
                if let Some(s) = syntax::string_value(a, cx.src)
                    && is_key_like(s)
                    && matches!(cx.family(), Family::Go)
                {
                    pending_key = Some(s.to_string());
                    continue;
                }
                expand(a, None, cx, &mut out, 0);
            }
        }
    }
    out
}

fn is_key_like(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

fn expand<'a>(
    n: Node<'a>,
    key: Option<String>,
    cx: &Cx<'_>,
    out: &mut Vec<(Option<String>, Node<'a>)>,
    depth: u8,
) {
    if depth > 6 {
        return;
    }
    match n.kind_name() {
        "string" | "template_string" => {
            for d in descendants(n) {
                if matches!(d.kind_name(), "interpolation" | "template_substitution")
                    && let Some(e) = d.named_child(0)
                {
                    expand(e, None, cx, out, depth + 1);
                }
            }
        }
        "binary_expression" | "binary_operator" => {
            let op = n.field("operator").map(|o| cx.text(o)).unwrap_or("");
            if matches!(op, "+" | "%") {
                for side in ["left", "right"] {
                    if let Some(s) = n.field(side) {
                        expand(s, None, cx, out, depth + 1);
                    }
                }
            } else {
                out.push((key, n));
            }
        }
        "tuple" | "parenthesized_expression" | "expression_list" | "array" | "list" => {
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                expand(ch, None, cx, out, depth + 1);
            }
        }
        "object" | "dictionary" => {
            let mut c = n.walk();
            for p in n.named_children(&mut c) {
                match p.kind_name() {
                    "pair" => {
                        let k = p
                            .field("key")
                            .map(|k| crate::lang::imports::unquote(cx.text(k)).to_string());
                        if let Some(v) = p.field("value") {
                            expand(v, k, cx, out, depth + 1);
                        }
                    }
                    "shorthand_property_identifier" => {
                        out.push((Some(cx.text(p).to_string()), p));
                    }
                    _ => {}
                }
            }
        }
        "call" | "call_expression" | "method_invocation" => {
            let (w, _) = cx.callee(n);
            let last = syntax::last_segment(&w);
            let transparent = matches!(
                w.as_str(),
                "str"
                    | "repr"
                    | "JSON.stringify"
                    | "String.valueOf"
                    | "String.format"
                    | "fmt.Sprintf"
                    | "fmt.Sprint"
                    | "fmt.Sprintln"
                    | "util.inspect"
                    | "json.dumps"
                    | "Objects.toString"
            ) || last == "format"
                || last == "toString";
            if transparent {
                if (last == "format" || last == "toString")
                    && let Some(recv) = n
                        .field("function")
                        .and_then(|f| f.field("object"))
                        .or_else(|| n.field("object"))
                {
                    expand(recv, None, cx, out, depth + 1);
                }
                if let Some(args) = syntax::arguments(n) {
                    let mut c = args.walk();
                    for a in args.named_children(&mut c) {
                        expand(a, key.clone(), cx, out, depth + 1);
                    }
                }
            } else {
                out.push((key, n));
            }
        }
        "await" | "await_expression" => {
            if let Some(e) = n.named_child(0) {
                expand(e, key, cx, out, depth + 1);
            }
        }
        _ => out.push((key, n)),
    }
}

/// Whether a node mentions identifier `name`.
pub fn mentions(n: Node<'_>, name: &str, cx: &Cx<'_>) -> bool {
    descendants(n).any(|d| {
        matches!(
            d.kind_name(),
            "identifier" | "shorthand_property_identifier"
        ) && cx.text(d) == name
    })
}
