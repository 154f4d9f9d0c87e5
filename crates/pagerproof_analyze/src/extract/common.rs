//! Helpers the fact extractors share: the name of a call without allocating, qualified
//! names through imports and bindings (Java wildcard imports included), route paths and
//! port numbers from literals, and library tables matched on qualified-name prefixes.
//!
//! Evidence must come from real use: a name counts only when it resolves through the
//! file's imports (or a binding to such a call), never because a word appears in a
//! comment or a string.

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, string_value};
use crate::rule::Cx;
use crate::signals::SignalKind;

/// Field names the hot helpers read. `child_by_field_name` looks the name up in the
/// grammar's field table on every call; ids are resolved once per language instead.
#[derive(Clone, Copy)]
pub enum F {
    Function,
    Object,
    Attribute,
    Field,
    Operand,
    Property,
    Name,
    Arguments,
    Constructor,
    Type,
}

const FIELD_NAMES: [&str; 10] = [
    "function",
    "object",
    "attribute",
    "field",
    "operand",
    "property",
    "name",
    "arguments",
    "constructor",
    "type",
];

/// The child of `n` in field `f` (same result as `child_by_field_name`).
pub fn field<'t>(cx: &Cx<'_>, n: Node<'t>, f: F) -> Option<Node<'t>> {
    static IDS: std::sync::OnceLock<Vec<[Option<std::num::NonZeroU16>; 10]>> =
        std::sync::OnceLock::new();
    let ids = IDS.get_or_init(|| {
        crate::lang::Lang::ALL
            .iter()
            .map(|l| {
                let g = l.grammar();
                FIELD_NAMES.map(|name| g.field_id_for_name(name))
            })
            .collect()
    });
    let id = ids.get(cx.lang as usize)?[f as usize]?;
    n.child_by_field_id(id.get())
}

/// The last name of a call's callee (`app.post(...)` -> `post`, `new grpc.Server()` ->
/// `Server`, `foo()` -> `foo`), without allocating.
pub fn call_name<'a>(cx: &Cx<'a>, call: Node<'_>) -> &'a str {
    let f = match call.kind_name() {
        "method_invocation" => return field(cx, call, F::Name).map_or("", |n| cx.text(n)),
        "object_creation_expression" => field(cx, call, F::Type),
        "new_expression" => field(cx, call, F::Constructor),
        _ => field(cx, call, F::Function),
    };
    let Some(f) = f else { return "" };
    last_name(cx, f)
}

fn last_name<'a>(cx: &Cx<'a>, f: Node<'_>) -> &'a str {
    match f.kind_name() {
        "attribute" => field(cx, f, F::Attribute).map_or("", |n| cx.text(n)),
        "selector_expression" => field(cx, f, F::Field).map_or("", |n| cx.text(n)),
        "member_expression" => field(cx, f, F::Property).map_or("", |n| cx.text(n)),
        "scoped_type_identifier" | "generic_type" => {
            let mut c = f.walk();
            let last = f
                .named_children(&mut c)
                .filter(|n| matches!(n.kind_name(), "type_identifier" | "scoped_type_identifier"))
                .last();
            last.map_or("", |n| last_name(cx, n))
        }
        _ => cx.text(f),
    }
}

/// The leftmost identifier of a callee chain (`a.b.c()` -> `a`, `x.y().z()` -> `x`).
pub fn head_name<'a>(cx: &Cx<'a>, call: Node<'_>) -> &'a str {
    let mut f = match call.kind_name() {
        "method_invocation" => match field(cx, call, F::Object) {
            Some(o) => o,
            None => return field(cx, call, F::Name).map_or("", |n| cx.text(n)),
        },
        "object_creation_expression" => match field(cx, call, F::Type) {
            Some(t) => t,
            None => return "",
        },
        "new_expression" => match field(cx, call, F::Constructor) {
            Some(t) => t,
            None => return "",
        },
        _ => match field(cx, call, F::Function) {
            Some(t) => t,
            None => return "",
        },
    };
    for _ in 0..32 {
        let next = match f.kind_name() {
            "attribute" | "member_expression" => field(cx, f, F::Object),
            "selector_expression" => field(cx, f, F::Operand),
            "call" | "call_expression" => field(cx, f, F::Function),
            "method_invocation" => field(cx, f, F::Object),
            "field_access" => field(cx, f, F::Object),
            "parenthesized_expression" | "await_expression" | "unary_expression" => {
                f.named_child(0)
            }
            "scoped_type_identifier" | "scoped_identifier" => f.named_child(0),
            "generic_type" => f.named_child(0),
            _ => None,
        };
        match next {
            Some(n) => f = n,
            None => break,
        }
    }
    cx.text(f)
}

/// The qualified name a call refers to: the callee resolved through the imports
/// (`rq.get` -> `requests.get`), through a JS `require('m')` head (`require('m').x` ->
/// `m.x`), or through Java wildcard imports for the classes in `JAVA_CLASSES`. `None` when
/// the head of the callee is a local name. Cheap for local calls: nothing is allocated
/// unless the head is imported.
pub fn qualified(cx: &Cx<'_>, call: Node<'_>) -> Option<String> {
    let head = head_name(cx, call);
    let imported = cx.imports().get(head).is_some();
    match cx.family() {
        Family::Js if !imported => {
            return if head == "require" {
                js_require_head(cx, call)
            } else {
                None
            };
        }
        Family::Java if !imported => {
            if !JAVA_CLASSES.iter().any(|(c, _)| *c == head) {
                return None;
            }
            let (written, _) = cx.callee(call);
            return java_resolve(cx, &written);
        }
        _ if !imported => return None,
        _ => {}
    }
    let (_, resolved) = cx.callee(call);
    Some(resolved)
}

/// Like [`qualified`], and also through a binding of the receiver to such a call
/// (`client = lib.Client()` ... `client.method()` -> `lib.Client().method`).
pub fn qualified_through_bindings(cx: &Cx<'_>, call: Node<'_>) -> Option<String> {
    qualified_depth(cx, call, 2)
}

fn qualified_depth(cx: &Cx<'_>, call: Node<'_>, depth: u8) -> Option<String> {
    if let Some(q) = qualified(cx, call) {
        return Some(q);
    }
    if depth == 0 {
        return None;
    }
    let (written, _) = cx.callee(call);
    let recv = syntax::receiver(&written)?;
    let method = syntax::last_segment(&written);
    for v in cx.bindings().nodes_for_receiver(cx.root, recv) {
        let v = strip_wrappers(v);
        if syntax::call_kinds(cx.family()).contains(&v.kind_name())
            && let Some(q) = qualified_depth(cx, v, depth - 1)
        {
            return Some(format!("{q}().{method}"));
        }
    }
    None
}

/// `await x`, `(x)`, `&x` -> `x`.
pub fn strip_wrappers(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..8 {
        match n.kind_name() {
            "await_expression" | "parenthesized_expression" | "await" => match n.named_child(0) {
                Some(c) => n = c,
                None => break,
            },
            "unary_expression" if n.field("operand").is_some() => match n.field("operand") {
                Some(c) => n = c,
                None => break,
            },
            _ => break,
        }
    }
    n
}

/// `require('m').a.b(...)` -> `m.a.b`.
fn js_require_head(cx: &Cx<'_>, call: Node<'_>) -> Option<String> {
    let f = match call.kind_name() {
        "new_expression" => call.field("constructor")?,
        _ => call.field("function")?,
    };
    let mut path = Vec::new();
    let mut cur = f;
    for _ in 0..16 {
        match cur.kind_name() {
            "member_expression" => {
                path.push(cx.text(cur.field("property")?));
                cur = cur.field("object")?;
            }
            "parenthesized_expression" => cur = cur.named_child(0)?,
            "call_expression" => {
                let func = cur.field("function")?;
                if cx.text(func) != "require" {
                    return None;
                }
                let arg = cur.field("arguments")?.named_child(0)?;
                let m = string_value(arg, cx.src)?;
                let m = m.strip_prefix("node:").unwrap_or(m);
                path.push(m);
                path.reverse();
                return Some(path.join("."));
            }
            _ => return None,
        }
    }
    None
}

/// Java classes commonly imported through wildcards (`import io.grpc.services.*;`), so
/// that `new HealthStatusManager()` resolves when its package is imported.
const JAVA_CLASSES: &[(&str, &str)] = &[
    ("HealthStatusManager", "io.grpc.services"),
    ("HealthStatusManager", "io.grpc.protobuf.services"),
    ("ServerBuilder", "io.grpc"),
    ("NettyServerBuilder", "io.grpc.netty"),
    ("NettyServerBuilder", "io.grpc.netty.shaded.io.grpc.netty"),
    ("Server", "io.grpc"),
    ("MeterRegistry", "io.micrometer.core.instrument"),
    ("Counter", "io.micrometer.core.instrument"),
    ("Timer", "io.micrometer.core.instrument"),
    ("Metrics", "io.micrometer.core.instrument"),
    ("GlobalOpenTelemetry", "io.opentelemetry.api"),
    ("Tracer", "io.opentelemetry.api.trace"),
    ("RateLimiter", "io.github.resilience4j.ratelimiter"),
    ("Bucket", "io.github.bucket4j"),
    ("Bandwidth", "io.github.bucket4j"),
    ("MDC", "org.slf4j"),
    ("ThreadContext", "org.apache.logging.log4j"),
];

/// Resolves a dotted Java name whose head is a class imported through a wildcard.
pub fn java_resolve(cx: &Cx<'_>, written: &str) -> Option<String> {
    let (head, rest) = match written.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (written, None),
    };
    let pkg = JAVA_CLASSES
        .iter()
        .filter(|(c, _)| *c == head)
        .find(|(_, p)| cx.imports().modules().iter().any(|m| m == p))?
        .1;
    Some(match rest {
        Some(r) => format!("{pkg}.{head}.{r}"),
        None => format!("{pkg}.{head}"),
    })
}

/// The qualified name of a Java type (`MeterRegistry` -> `io.micrometer...MeterRegistry`),
/// through single-type and known wildcard imports.
pub fn java_type(cx: &Cx<'_>, name: &str) -> Option<String> {
    let simple = name.split('<').next().unwrap_or(name).trim();
    if let Some(q) = cx.imports().get(simple) {
        return Some(q.to_string());
    }
    if let Some((head, _)) = simple.split_once('.')
        && let Some(q) = cx.imports().get(head)
    {
        return Some(format!("{q}{}", &simple[head.len()..]));
    }
    java_resolve(cx, simple)
}

/// Whether `name` is `prefix` or starts with it at a boundary (`.`, `/`, `(`).
pub fn has_prefix(name: &str, prefix: &str) -> bool {
    if prefix.ends_with(['.', '/', '-', '_']) {
        return name.starts_with(prefix);
    }
    name == prefix
        || (name.starts_with(prefix)
            && matches!(name.as_bytes().get(prefix.len()), Some(b'.' | b'/' | b'(')))
}

/// A row of a library table: a qualified-name prefix and what its use is evidence of.
pub struct Lib {
    pub family: Family,
    pub prefix: &'static str,
    pub kind: SignalKind,
    pub detail: &'static str,
}

/// Library table rows: `libs![Py "prefix" => Metrics "detail"; ...]`.
#[macro_export]
macro_rules! libs {
    ($($fam:ident $prefix:literal => $kind:ident $detail:literal;)*) => {
        &[$($crate::extract::common::Lib {
            family: $crate::lang::Family::$fam,
            prefix: $prefix,
            kind: $crate::signals::SignalKind::$kind,
            detail: $detail,
        },)*]
    };
}

/// The first row of `table` for this family whose prefix the qualified name has.
pub fn match_lib<'t>(table: &'t [Lib], family: Family, name: &str) -> Option<&'t Lib> {
    table
        .iter()
        .find(|l| l.family == family && has_prefix(name, l.prefix))
}

/// The string content of a literal, or of a concatenation whose literal parts are joined
/// (`baseUrl + "/_healthz"` -> `/_healthz`); `None` when no part is a literal.
pub fn literal_text(cx: &Cx<'_>, n: Node<'_>) -> Option<String> {
    match n.kind_name() {
        "binary_expression" | "binary_operator" => {
            let op = n.field("operator").map(|o| cx.text(o));
            if op != Some("+") {
                return None;
            }
            let l = n.field("left").and_then(|x| literal_text(cx, x));
            let r = n.field("right").and_then(|x| literal_text(cx, x));
            match (l, r) {
                (None, None) => None,
                (l, r) => Some(format!(
                    "{}{}",
                    l.unwrap_or_default(),
                    r.unwrap_or_default()
                )),
            }
        }
        "parenthesized_expression" => n.named_child(0).and_then(|c| literal_text(cx, c)),
        "concatenated_string" => {
            let mut c = n.walk();
            let parts: Vec<String> = n
                .named_children(&mut c)
                .filter_map(|p| string_value(p, cx.src).map(str::to_string))
                .collect();
            (!parts.is_empty()).then(|| parts.concat())
        }
        _ => string_value(n, cx.src).map(str::to_string),
    }
}

/// Normalises a route path: drops a trailing `$`/`^` of Django regexes, keeps `/`-led.
pub fn norm_path(p: &str) -> String {
    let p = p.trim().trim_start_matches('^').trim_end_matches('$');
    if p.is_empty() {
        "/".to_string()
    } else if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

/// Joins a route prefix and a path (`/api` + `/items` -> `/api/items`).
pub fn join_path(prefix: &str, p: &str) -> String {
    let a = prefix.trim_end_matches('/');
    let b = p.trim();
    if b.is_empty() || b == "/" {
        if a.is_empty() {
            "/".to_string()
        } else {
            norm_path(a)
        }
    } else if b.starts_with('/') {
        norm_path(&format!("{a}{b}"))
    } else {
        norm_path(&format!("{a}/{b}"))
    }
}

/// Whether a path serves health or readiness: a segment named health, healthz,
/// healthcheck, _health, ready, readyz, readiness, live, livez, liveness; or a short path
/// ending in `ping`/`status`.
pub fn is_health_path(path: &str) -> bool {
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.to_ascii_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect()
        })
        .collect();
    let health = [
        "health",
        "healthz",
        "healthcheck",
        "healthchecks",
        "ready",
        "readyz",
        "readiness",
        "live",
        "livez",
        "liveness",
        "alive",
    ];
    if segs.iter().any(|s| health.contains(&s.as_str())) {
        return true;
    }
    segs.len() <= 2
        && segs
            .last()
            .is_some_and(|s| s == "ping" || s == "status" || s == "heartbeat")
}

/// Whether `s`, reduced to lowercase letters and digits, contains one of `needles`
/// (given in that form). No allocation; names longer than 96 bytes never match.
pub fn norm_contains(s: &str, needles: &[&str]) -> bool {
    if s.len() > 96 {
        return false;
    }
    let mut buf = [0u8; 96];
    let mut n = 0;
    for b in s.bytes().filter(u8::is_ascii_alphanumeric) {
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    let hay = &buf[..n];
    needles
        .iter()
        .any(|k| hay.windows(k.len().max(1)).any(|w| w == k.as_bytes()))
}

/// Lowercase letters and digits only: `X-Request-ID` -> `xrequestid`.
pub fn norm_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A port number from an expression: an integer or string literal (`8080`, `":8080"`,
/// `"[::]:50051"`, `"0.0.0.0:80"`), a name bound to one in this file, or the default of an
/// environment read (`os.environ.get("PORT", "8080")`, `process.env.PORT || 3000`).
pub fn port_of(cx: &Cx<'_>, n: Node<'_>) -> Option<u16> {
    port_depth(cx, n, 3)
}

fn port_from_str(s: &str) -> Option<u16> {
    let s = s.trim();
    let tail = s.rsplit(':').next().unwrap_or(s);
    let tail = tail.trim_end_matches('/');
    let p: u32 = tail.parse().ok()?;
    (1..=65535).contains(&p).then_some(p as u16)
}

fn port_depth(cx: &Cx<'_>, n: Node<'_>, depth: u8) -> Option<u16> {
    match n.kind_name() {
        "integer" | "int_literal" | "number" | "decimal_integer_literal" => {
            port_from_str(cx.text(n))
        }
        "string"
        | "interpreted_string_literal"
        | "raw_string_literal"
        | "string_literal"
        | "template_string" => port_from_str(&literal_text(cx, n)?),
        "identifier" | "attribute" | "member_expression" | "selector_expression" if depth > 0 => {
            let name = cx.text(n);
            for v in cx.bindings().nodes_for_receiver(cx.root, name) {
                if let Some(p) = port_depth(cx, v, depth - 1) {
                    return Some(p);
                }
            }
            if cx.family() == Family::Go
                && let Some(v) = go_const(cx, name)
            {
                return port_depth(cx, v, depth - 1);
            }
            None
        }
        _ if depth > 0 => {
            // Env defaults, concatenations, `fmt.Sprintf(":%s", port)`, `a || 3000`.
            let mut c = n.walk();
            let kids: Vec<Node<'_>> = match n.kind_name() {
                "call" | "call_expression" | "method_invocation" => match syntax::arguments(n) {
                    Some(a) => a.named_children(&mut c).collect(),
                    None => Vec::new(),
                },
                "binary_expression"
                | "binary_operator"
                | "boolean_operator"
                | "parenthesized_expression"
                | "keyword_argument"
                | "conditional_expression"
                | "ternary_expression" => n.named_children(&mut c).collect(),
                _ => Vec::new(),
            };
            kids.into_iter()
                .rev()
                .find_map(|k| port_depth(cx, k, depth - 1))
        }
        _ => None,
    }
}

/// The value of a Go `const name = value` in this file.
pub fn go_const<'a>(cx: &Cx<'a>, name: &str) -> Option<Node<'a>> {
    syntax::descendants(cx.root)
        .filter(|d| d.kind_name() == "const_spec")
        .find(|d| d.field("name").is_some_and(|x| cx.text(x) == name))
        .and_then(|d| d.field("value"))
        .and_then(|v| v.named_child(0))
}

/// The call's argument nodes (positional and keyword), in order.
pub fn args<'a>(call: Node<'a>) -> Vec<Node<'a>> {
    let Some(a) = syntax::arguments(call) else {
        return Vec::new();
    };
    let mut c = a.walk();
    a.named_children(&mut c)
        .filter(|n| n.kind_name() != "comment")
        .collect()
}

/// A Python keyword argument's value text, or a JS object option's, normalised.
pub fn is_true(cx: &Cx<'_>, n: Option<Node<'_>>) -> bool {
    n.is_some_and(|v| matches!(cx.text(v), "True" | "true"))
}

/// Host names of this machine: a URL on one of them reaches the service itself or a local
/// sidecar, not another service, and credentials for it are a developer's.
pub const LOOPBACK_HOSTS: &[&str] = &["localhost", "127.0.0.1", "0.0.0.0", "[::1]"];

/// Words that start the name of an RPC or handler that changes state.
pub const STATE_VERBS: &[&str] = &[
    "create",
    "update",
    "delete",
    "remove",
    "set",
    "put",
    "add",
    "insert",
    "upsert",
    "save",
    "charge",
    "pay",
    "refund",
    "send",
    "place",
    "submit",
    "empty",
    "clear",
    "ship",
    "cancel",
    "register",
    "post",
    "write",
    "publish",
    "transfer",
    "purchase",
    "checkout",
    "approve",
    "reject",
    "reset",
    "patch",
    "modify",
    "edit",
    "upload",
    "import",
    "enqueue",
    "push",
    "mark",
    "assign",
    "revoke",
    "grant",
    "destroy",
    "drop",
    "purge",
    "book",
    "reserve",
    "order",
    "buy",
    "sell",
    "withdraw",
    "deposit",
    "apply",
    "change",
    "replace",
    "store",
    "commit",
    "execute",
    "run",
    "trigger",
    "start",
    "stop",
    "enable",
    "disable",
    "move",
    "rename",
    "archive",
    "restore",
    "link",
    "unlink",
    "subscribe",
    "unsubscribe",
    "invite",
    "accept",
    "decline",
    "confirm",
    "issue",
    "redeem",
    "credit",
    "debit",
    "capture",
    "void",
    "notify",
    "process",
    "complete",
    "close",
    "open",
    "lock",
    "unlock",
    "increment",
    "decrement",
    "record",
    "log",
    "track",
    "emit",
    "ingest",
    "batch",
];

/// The first word of a camelCase/PascalCase/snake_case name, lowercased.
pub fn first_word(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.char_indices() {
        if ch == '_' || ch == '-' {
            if out.is_empty() {
                continue;
            }
            break;
        }
        if i > 0 && ch.is_ascii_uppercase() && !out.is_empty() {
            break;
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// Whether an RPC method name changes state (`PlaceOrder`, `charge`, `EmptyCart`).
pub fn rpc_changes_state(method: &str) -> bool {
    let w = first_word(method);
    STATE_VERBS.contains(&w.as_str())
}

/// The enclosing class of a node and its name, for RPC service names.
pub fn enclosing_class<'a, 't>(cx: &Cx<'a>, n: Node<'t>) -> Option<(&'a str, Node<'t>)> {
    let kinds = ["class_definition", "class_declaration", "class"];
    let mut cur = n.parent();
    while let Some(p) = cur {
        if kinds.contains(&p.kind_name()) {
            let name = p.field("name").map_or("", |x| cx.text(x));
            return Some((name, p));
        }
        cur = p.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_paths() {
        assert_eq!(first_word("PlaceOrder"), "place");
        assert_eq!(first_word("charge"), "charge");
        assert_eq!(first_word("send_order"), "send");
        assert_eq!(first_word("getAds"), "get");
        assert!(rpc_changes_state("EmptyCart"));
        assert!(!rpc_changes_state("GetQuote"));
        assert!(!rpc_changes_state("ListRecommendations"));
        assert!(!rpc_changes_state("Convert"));
        assert!(is_health_path("/_healthz"));
        assert!(is_health_path("/api/health"));
        assert!(is_health_path("/ping"));
        assert!(!is_health_path("/orders/1/status"));
        assert!(!is_health_path("/healthy-recipes/list"));
        assert_eq!(join_path("/api/", "items"), "/api/items");
        assert_eq!(join_path("", ""), "/");
        assert_eq!(norm_path("^health/$"), "/health/");
        assert!(has_prefix("prometheus_client.Counter", "prometheus_client"));
        assert!(!has_prefix(
            "prometheus_client2.Counter",
            "prometheus_client"
        ));
        assert!(has_prefix("lib.Client().setup", "lib.Client"));
        assert_eq!(port_from_str("[::]:50051"), Some(50051));
        assert_eq!(port_from_str(":8080"), Some(8080));
        assert_eq!(port_from_str("0.0.0.0"), None);
    }
}
