//! Environment reads (`EnvRead`, detail the variable name) and outbound dependencies
//! (`Outbound`, detail `kind target`), for the cross-checks between code and manifests.
//!
//! Environment: `os.environ[...]`, `os.environ.get`, `os.getenv`, `"X" in os.environ`;
//! `os.Getenv`, `os.LookupEnv`; `process.env.X`, `process.env['X']`,
//! `const { X } = process.env`; `System.getenv("X")` (and `.getOrDefault`). A local
//! helper whose name says it reads the environment (`mustMapEnv(&addr, "CART_ADDR")`,
//! `getEnv("PORT")`) counts as a read of the variable-like literal it passes.
//!
//! Outbound: URL/DSN literals (`http`, `https`, `grpc`, `postgres`, `mysql`, `redis`,
//! `mongodb`, `amqp`, `kafka`, `nats`) passed to a call or assigned (credentials, paths and
//! queries dropped), and clients built from a literal or an environment variable
//! (`grpc.insecure_channel(addr)`, `grpc.NewClient(addr)`, `redis.Redis(host=...)`,
//! `KafkaConsumer(bootstrap_servers=...)`, ...).

use tree_sitter::Node;

use super::common::{args, call_name, qualified};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, string_value};
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Env;
pub static ENV: Env = Env;

impl Extractor for Env {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "environment-and-dependencies"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call", "subscript", "comparison_operator", "string"],
            Family::Go => &[
                "call_expression",
                "interpreted_string_literal",
                "raw_string_literal",
            ],
            Family::Js => &[
                "member_expression",
                "subscript_expression",
                "variable_declarator",
                "call_expression",
                "new_expression",
                "string",
                "template_string",
            ],
            Family::Java => &[
                "method_invocation",
                "object_creation_expression",
                "string_literal",
            ],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match node.kind_name() {
            "string"
            | "interpreted_string_literal"
            | "raw_string_literal"
            | "template_string"
            | "string_literal" => url_literal(node, cx),
            _ => {
                if let Some(name) = env_name(cx, node) {
                    cx.signal(SignalKind::EnvRead, node, name);
                    return;
                }
                if cx.family() == Family::Js && node.kind_name() == "variable_declarator" {
                    js_destructure(node, cx);
                    return;
                }
                if syntax::call_kinds(cx.family()).contains(&node.kind_name()) {
                    env_wrapper(node, cx);
                    client(node, cx);
                }
            }
        }
    }
}

/// The variable an environment read names, if `n` is one.
pub fn env_name(cx: &Cx<'_>, n: Node<'_>) -> Option<String> {
    let lit = |x: Node<'_>| string_value(x, cx.src).map(str::to_string);
    match (cx.family(), n.kind_name()) {
        (Family::Python, "call") => {
            if !matches!(
                call_name(cx, n),
                "getenv" | "get" | "setdefault" | "__getitem__"
            ) {
                return None;
            }
            let q = qualified(cx, n)?;
            if matches!(
                q.as_str(),
                "os.getenv" | "os.environ.get" | "os.environ.setdefault"
            ) || (q == "os.environ.__getitem__")
            {
                return args(n).first().and_then(|a| lit(*a));
            }
            None
        }
        (Family::Python, "subscript") => {
            let v = n.field("value")?;
            let q = cx.imports().resolve(cx.text(v));
            if q == "os.environ" {
                return n.field("subscript").and_then(lit);
            }
            None
        }
        (Family::Python, "comparison_operator") => {
            // `"X" in os.environ`
            let t = cx.text(n);
            if !t.ends_with("os.environ") || !t.contains(" in ") {
                return None;
            }
            n.named_child(0).and_then(lit)
        }
        (Family::Go, "call_expression") => {
            if !matches!(call_name(cx, n), "Getenv" | "LookupEnv") {
                return None;
            }
            let (_, r) = cx.callee(n);
            if matches!(r.as_str(), "os.Getenv" | "os.LookupEnv") {
                return args(n).first().and_then(|a| lit(*a));
            }
            None
        }
        (Family::Js, "member_expression") => {
            let o = n.field("object")?;
            if cx.text(o) != "process.env" {
                return None;
            }
            n.field("property").map(|p| cx.text(p).to_string())
        }
        (Family::Js, "subscript_expression") => {
            let o = n.field("object")?;
            if cx.text(o) != "process.env" {
                return None;
            }
            n.field("index").and_then(lit)
        }
        (Family::Java, "method_invocation") => {
            if !matches!(call_name(cx, n), "getenv" | "getOrDefault" | "get") {
                return None;
            }
            let (w, _) = cx.callee(n);
            if w == "System.getenv"
                || w.ends_with("System.getenv().getOrDefault")
                || w.ends_with("System.getenv().get")
            {
                return args(n).first().and_then(|a| lit(*a));
            }
            None
        }
        _ => None,
    }
}

/// `const { PORT, HOST } = process.env`.
fn js_destructure(decl: Node<'_>, cx: &mut Cx<'_>) {
    let (Some(name), Some(value)) = (decl.field("name"), decl.field("value")) else {
        return;
    };
    if cx.text(value) != "process.env" || name.kind_name() != "object_pattern" {
        return;
    }
    let mut c = name.walk();
    let names: Vec<String> = name
        .named_children(&mut c)
        .filter_map(|p| match p.kind_name() {
            "shorthand_property_identifier_pattern" => Some(cx.text(p).to_string()),
            "pair_pattern" => p.field("key").map(|k| cx.text(k).to_string()),
            "object_assignment_pattern" => p.field("left").map(|k| cx.text(k).to_string()),
            _ => None,
        })
        .collect();
    for n in names {
        cx.signal(SignalKind::EnvRead, decl, n);
    }
}

fn looks_like_env_name(s: &str) -> bool {
    s.len() >= 2
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `mustMapEnv(&x, "CART_SERVICE_ADDR")`, `getEnv("PORT")`: a local helper whose name
/// says it reads the environment, called with a variable-like literal.
fn env_wrapper(call: Node<'_>, cx: &mut Cx<'_>) {
    let callee = call_name(cx, call);
    let lower = callee.to_ascii_lowercase();
    // Writers (`os.Setenv`, `unsetenv`, `putenv`) set the environment, they do not read it.
    let writes = ["setenv", "unsetenv", "putenv", "clearenv"]
        .iter()
        .any(|w| lower.ends_with(w));
    if callee.is_empty() || !lower.contains("env") || writes || cx.imports().get(callee).is_some() {
        return;
    }
    let a = args(call);
    let Some(name) = a
        .iter()
        .filter_map(|x| string_value(*x, cx.src))
        .find(|s| looks_like_env_name(s))
    else {
        return;
    };
    cx.signal(SignalKind::EnvRead, call, name.to_string());
}

const SCHEMES: &[(&str, &str)] = &[
    ("http", "http"),
    ("https", "http"),
    ("grpc", "grpc"),
    ("grpcs", "grpc"),
    ("postgres", "postgres"),
    ("postgresql", "postgres"),
    ("mysql", "mysql"),
    ("redis", "redis"),
    ("rediss", "redis"),
    ("mongodb", "mongodb"),
    ("mongodb+srv", "mongodb"),
    ("amqp", "amqp"),
    ("amqps", "amqp"),
    ("kafka", "kafka"),
    ("nats", "nats"),
];

/// `scheme://user:pass@host:port/path?q` -> (`kind`, `host:port`), credentials dropped.
pub fn parse_url(s: &str) -> Option<(&'static str, String)> {
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let kind = SCHEMES.iter().find(|(sc, _)| *sc == scheme)?.1;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.is_empty() || host.contains(['{', '$', '%', '<', ' ']) {
        return None;
    }
    Some((kind, host.to_string()))
}

fn url_literal(node: Node<'_>, cx: &mut Cx<'_>) {
    if !cx.text(node).contains("://") {
        return;
    }
    let Some(s) = string_value(node, cx.src) else {
        return;
    };
    if !s.contains("://") || s.len() > 300 {
        return;
    }
    let Some((kind, host)) = parse_url(s) else {
        return;
    };
    // Only literals a program uses: call arguments, assignments, keyword values.
    let used = node.parent().is_some_and(|p| {
        matches!(
            p.kind_name(),
            "argument_list"
                | "arguments"
                | "assignment"
                | "keyword_argument"
                | "pair"
                | "variable_declarator"
                | "expression_list"
                | "const_spec"
                | "var_spec"
                | "short_var_declaration"
                | "literal_element"
                | "binary_operator"
                | "binary_expression"
                | "element_value_pair"
        )
    });
    // Documentation links and schema ids are not dependencies.
    let doc = [
        "github.com",
        "example.com",
        "example.org",
        "www.w3.org",
        "schemas.",
        "googleapis.com/auth",
    ]
    .iter()
    .any(|d| host.contains(d) || s.contains(d));
    if used && !doc {
        cx.signal(SignalKind::Outbound, node, format!("{kind} {host}"));
    }
}

/// Client constructors: (qualified name, kind, where the target is: positional index or
/// keyword).
const CLIENTS: &[(Family, &str, &str, Target)] = &[
    (
        Family::Python,
        "grpc.insecure_channel",
        "grpc",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "grpc.secure_channel",
        "grpc",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "grpc.aio.insecure_channel",
        "grpc",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "grpc.aio.secure_channel",
        "grpc",
        Target::Arg(0),
    ),
    (Family::Python, "redis.Redis", "redis", Target::Kw("host")),
    (
        Family::Python,
        "redis.StrictRedis",
        "redis",
        Target::Kw("host"),
    ),
    (Family::Python, "redis.from_url", "redis", Target::Arg(0)),
    (
        Family::Python,
        "redis.Redis.from_url",
        "redis",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "psycopg2.connect",
        "postgres",
        Target::Kw("host"),
    ),
    (
        Family::Python,
        "psycopg.connect",
        "postgres",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "asyncpg.connect",
        "postgres",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "asyncpg.create_pool",
        "postgres",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "sqlalchemy.create_engine",
        "sql",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "pymongo.MongoClient",
        "mongodb",
        Target::Arg(0),
    ),
    (
        Family::Python,
        "kafka.KafkaConsumer",
        "kafka",
        Target::Kw("bootstrap_servers"),
    ),
    (
        Family::Python,
        "kafka.KafkaProducer",
        "kafka",
        Target::Kw("bootstrap_servers"),
    ),
    (
        Family::Python,
        "pika.ConnectionParameters",
        "amqp",
        Target::Kw("host"),
    ),
    (Family::Python, "pika.URLParameters", "amqp", Target::Arg(0)),
    (
        Family::Go,
        "google.golang.org/grpc.NewClient",
        "grpc",
        Target::Arg(0),
    ),
    (
        Family::Go,
        "google.golang.org/grpc.Dial",
        "grpc",
        Target::Arg(0),
    ),
    (
        Family::Go,
        "google.golang.org/grpc.DialContext",
        "grpc",
        Target::Arg(1),
    ),
    (Family::Go, "database/sql.Open", "sql", Target::Arg(1)),
    (
        Family::Go,
        "github.com/jackc/pgx/v5/pgxpool.New",
        "postgres",
        Target::Arg(1),
    ),
    (
        Family::Go,
        "github.com/jackc/pgx/v4/pgxpool.Connect",
        "postgres",
        Target::Arg(1),
    ),
    (
        Family::Go,
        "github.com/jackc/pgx/v5.Connect",
        "postgres",
        Target::Arg(1),
    ),
    (Family::Js, "ioredis", "redis", Target::Arg(0)),
    (Family::Js, "redis.createClient", "redis", Target::Arg(0)),
    (Family::Js, "mongoose.connect", "mongodb", Target::Arg(0)),
    (Family::Js, "amqplib.connect", "amqp", Target::Arg(0)),
    (
        Family::Java,
        "io.grpc.ManagedChannelBuilder.forTarget",
        "grpc",
        Target::Arg(0),
    ),
    (
        Family::Java,
        "io.grpc.ManagedChannelBuilder.forAddress",
        "grpc",
        Target::Arg(0),
    ),
];

#[derive(Clone, Copy)]
enum Target {
    Arg(usize),
    Kw(&'static str),
}

fn client(call: Node<'_>, cx: &mut Cx<'_>) {
    let name = call_name(cx, call);
    if !CLIENTS
        .iter()
        .any(|(_, p, _, _)| p.rsplit(['.', '/']).next() == Some(name))
    {
        return;
    }
    let Some(q) = qualified(cx, call) else { return };
    let fam = cx.family();
    let Some((_, _, kind, target)) = CLIENTS.iter().find(|(f, p, _, _)| *f == fam && q == *p)
    else {
        return;
    };
    let node = match target {
        Target::Arg(i) => args(call)
            .into_iter()
            .filter(|a| a.kind_name() != "keyword_argument")
            .nth(*i),
        Target::Kw(k) => kwarg(call, cx.src, k),
    };
    let Some(node) = node else { return };
    if let Some(t) = target_of(cx, node, 3) {
        cx.signal(SignalKind::Outbound, call, format!("{kind} {t}"));
    }
}

/// A client target: a literal host/URL, or `$NAME` when it comes from the environment.
fn target_of(cx: &Cx<'_>, n: Node<'_>, depth: u8) -> Option<String> {
    if let Some(s) = string_value(n, cx.src) {
        if s.is_empty() {
            return None;
        }
        return Some(match parse_url(s) {
            Some((_, host)) => host,
            None if !s.contains('@') && !s.contains(' ') => s.to_string(),
            None => return None,
        });
    }
    if let Some(e) = env_name(cx, n) {
        return Some(format!("${e}"));
    }
    if depth == 0 {
        return None;
    }
    match n.kind_name() {
        "identifier" | "attribute" | "selector_expression" | "member_expression" => {
            for v in cx.bindings().nodes_for_receiver(cx.root, cx.text(n)) {
                if let Some(t) = target_of(cx, v, depth - 1) {
                    return Some(t);
                }
            }
            None
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::*;

    #[test]
    fn env_reads() {
        let s = signals(
            "app.py",
            "import os\nA = os.environ['A']\nB = os.environ.get('B', 'x')\nC = os.getenv('C')\nif 'D' in os.environ:\n    pass\nch = grpc.insecure_channel(B)\n",
        );
        let env: Vec<_> = s
            .iter()
            .filter(|x| x.0 == EnvRead)
            .map(|x| (x.1, x.2.as_str()))
            .collect();
        assert_eq!(env, vec![(2, "A"), (3, "B"), (4, "C"), (5, "D")]);
        let g = signals(
            "main.go",
            "package main\nimport \"os\"\nfunc mustMapEnv(t *string, k string) { *t = os.Getenv(k) }\nfunc main() {\n\tmustMapEnv(&x, \"CART_ADDR\")\n\tp := os.Getenv(\"PORT\")\n}\n",
        );
        let env: Vec<_> = g
            .iter()
            .filter(|x| x.0 == EnvRead)
            .map(|x| (x.1, x.2.as_str()))
            .collect();
        assert_eq!(env, vec![(5, "CART_ADDR"), (6, "PORT")]);
        let j = signals(
            "a.js",
            "const { PORT, HOST } = process.env;\nconst k = process.env.KEY;\nconst m = process.env['MODE'];\n",
        );
        let env: Vec<_> = j
            .iter()
            .filter(|x| x.0 == EnvRead)
            .map(|x| (x.1, x.2.as_str()))
            .collect();
        assert_eq!(env, vec![(1, "HOST"), (1, "PORT"), (2, "KEY"), (3, "MODE")]);
    }

    #[test]
    fn outbound() {
        let s = signals(
            "app.py",
            "import os, grpc, redis\naddr = os.environ.get('CATALOG_ADDR', '')\nch = grpc.insecure_channel(addr)\nr = redis.Redis(host='cache.internal', port=6379)\nDSN = 'postgres://user:secret@db.internal:5432/app'\n\"\"\"See https://github.com/x/y\"\"\"\n",
        );
        let out: Vec<_> = s
            .iter()
            .filter(|x| x.0 == Outbound)
            .map(|x| (x.1, x.2.as_str()))
            .collect();
        assert_eq!(
            out,
            vec![
                (3, "grpc $CATALOG_ADDR"),
                (4, "redis cache.internal"),
                (5, "postgres db.internal:5432")
            ]
        );
    }
}
