//! `hardcoded-environment-host`: a URL, DSN or host of a specific environment (a private
//! IP, an internal DNS name, a `prod`/`staging` host) written into code.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, string_value};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::config::{self, silent_default::url_host};

pub static META: RuleMeta = RuleMeta {
    id: "hardcoded-environment-host",
    category: "CONFIG",
    severity: Severity::P2,
    confidence: Confidence::High,
    // Preview until measured precise on more repositories: its first runs on real code
    // produced only false positives, fixed since, and nothing after the fixes.
    preview: true,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Environment-specific host, URL or DSN hardcoded in code",
    docs: Docs {
        what: "A string literal naming a host of one particular environment, where configuration is expected: a URL \
or DSN (`http(s)`, `postgres`, `mysql`, `mongodb`, `redis`, `amqp`, `kafka`, `nats`, `grpc`, `jdbc:...`) or a \
`host`/`hostname`/`Addr` value whose host is a private IPv4 address (10/8, 172.16/12, 192.168/16), an internal DNS \
name (`.internal`, `.corp`, `.lan`, `.intranet`, `.svc`, `.cluster.local`), or a name with an environment \
label in its subdomain part (`prod`, `production`, `staging`, `stg`, `preprod`, `uat`). Service-discovery names \
(`.consul`) are the same in every environment and are not reported. Not reported: `localhost` and \
loopback addresses, `host.docker.internal`, cloud metadata endpoints, documentation domains (`example.com`, `.test`), \
public SaaS endpoints (`https://api.stripe.com` is the same in every environment), defaults of environment lookups \
(`critical-setting-silent-default` reads those), docstrings and log messages, tests, examples, scripts, and \
per-environment files (`settings/production.py`, `config.staging.js`) whose purpose is to hold such values.",
        scenario: "The service is deployed to another environment (staging, a new region, a customer's cluster), \
the database fails over to a new address, or an internal DNS name is retired.",
        impact: "Staging talks to production (or the reverse: production to a staging database), changing an address \
needs a code change and a release during an incident, and the same image cannot be promoted across environments.",
        detection: "Traffic from one environment reaching another's dependencies; connection errors to a retired \
address after an infrastructure change; a config change that requires a deploy.",
        mitigation: "Read the address from configuration (environment variables, a config file per environment, \
service discovery) and fail at startup when it is missing.",
        fixes: &[
            (
                "python",
                "PAYMENTS_URL = os.environ[\"PAYMENTS_URL\"]\nr = redis.Redis.from_url(os.environ[\"REDIS_URL\"])",
            ),
            (
                "go",
                "addr := os.Getenv(\"PAYMENTS_ADDR\")\nif addr == \"\" {\n    log.Fatal(\"PAYMENTS_ADDR is required\")\n}",
            ),
            (
                "javascript",
                "const paymentsUrl = process.env.PAYMENTS_URL;\nif (!paymentsUrl) throw new Error('PAYMENTS_URL is required');",
            ),
            (
                "typescript",
                "const paymentsUrl = process.env.PAYMENTS_URL;\nif (!paymentsUrl) throw new Error('PAYMENTS_URL is required');",
            ),
            (
                "java",
                "// application.yml: spring.datasource.url: ${DATABASE_URL}\n@Value(\"${spring.datasource.url}\") String url;",
            ),
        ],
        monitoring: "Tag outbound connections with the target environment and alert on cross-environment traffic.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/clients.py",
            r#"import os
import redis
import requests

PAYMENTS = "http://payments.internal:8080/v1"
           ^ `payments.internal`
DB_URL = "postgres://app@db.prod.example.net:5432/app"
         ^ `db.prod.example.net`
cache = redis.Redis(host="10.0.3.4", port=6379)
                         ^ `10.0.3.4`
STRIPE = "https://api.stripe.com/v1"
LOCAL = os.getenv("DB_URL", "postgres://db.prod.internal/app")
DEV = "http://localhost:8000"

def doc():
    """Calls http://billing.internal/v1 for invoices."""
    log.info("retrying http://billing.internal")
"#
        ),
        case!(
            "app/settings/production.py",
            "DATABASE_URL = \"postgres://db.prod.internal:5432/app\"\n"
        ),
        case!(
            "internal/clients/clients.go",
            r#"package clients

import "github.com/redis/go-redis/v9"

var rdb = redis.NewClient(&redis.Options{Addr: "192.168.10.5:6379"})
                                               ^ `192.168.10.5`
const api = "https://orders.staging.acme.io/api"
            ^ `orders.staging.acme.io`
const docs = "https://example.com/api"
"#
        ),
        case!(
            "src/client.ts",
            r#"const base = 'http://inventory.default.svc.cluster.local:8080';
             ^ `inventory.default.svc.cluster.local`
const pub = 'https://api.github.com';
const meta = 'http://169.254.169.254/latest/meta-data/';
"#
        ),
        case!(
            "src/main/java/shop/Db.java",
            r#"package shop;
class Db {
    static final String URL = "jdbc:postgresql://10.20.0.7:5432/shop";
                              ^ `10.20.0.7`
    static final String API = "https://api.twilio.com";
}
"#
        ),
        case!(
            "tests/test_clients.py",
            "URL = \"http://payments.internal:8080\"\n"
        ),
        case!(
            "src/ok.js",
            "const url = process.env.ORDERS_URL || 'http://localhost:3000';\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nconst health = \"http://127.0.0.1:8080/healthz\"\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    String url = \"https://hooks.slack.com/services\";\n}\n"
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
            Family::Python => &["string"],
            Family::Go => &["interpreted_string_literal", "raw_string_literal"],
            Family::Js => &["string", "template_string"],
            Family::Java => &["string_literal"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if config::is_environment_file(cx.path)
            || config::is_tool_config(cx.path)
            || config::is_test_double(cx.path)
        {
            return;
        }
        let Some(v) = string_value(node, cx.src) else {
            return;
        };
        if v.len() < 4 || v.len() > 300 || v.contains(char::is_whitespace) {
            return;
        }
        let host = if v.contains("://") {
            let scheme = v.split("://").next().unwrap_or("").to_ascii_lowercase();
            let scheme = scheme.strip_prefix("jdbc:").unwrap_or(&scheme).to_string();
            if !SCHEMES.contains(&scheme.as_str()) {
                return;
            }
            match url_host(v) {
                Some(h) => h,
                None => return,
            }
        } else {
            let h = v
                .rsplit_once(':')
                .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
                .map(|(h, _)| h)
                .unwrap_or(v);
            // Only a host-looking value is worth looking at its context.
            if environment_specific(h).is_none() || !host_slot(node, cx) {
                return;
            }
            h
        };
        let Some(conf) = environment_specific(host) else {
            return;
        };
        if ignored_context(node, cx) {
            return;
        }
        let host = host.to_string();
        cx.hit(
            &META,
            node,
            host.clone(),
            format!("`{host}` is an address of one environment written into the code: read it from configuration so the same build runs everywhere"),
        )
        .confidence(conf);
    }
}

const SCHEMES: &[&str] = &[
    "http",
    "https",
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "kafka",
    "nats",
    "grpc",
    "grpcs",
    "ws",
    "wss",
    "tcp",
    "sqlserver",
    "clickhouse",
    "cassandra",
    "memcached",
    "ldap",
    "ldaps",
    "smtp",
    "smtps",
    "oracle",
    "elasticsearch",
];

/// Whether a string literal is the value of a host slot: a `host=`/`hostname=` keyword,
/// a `host:`/`Addr:` key, or a `setHost(...)` argument.
fn host_slot(node: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(p) = node.parent() else {
        return false;
    };
    let key = match p.kind_name() {
        "keyword_argument" => p.field("name").map(|n| cx.text(n)),
        "pair" => p.field("key").map(|n| cx.text(n)),
        "literal_element" => p
            .parent()
            .filter(|kv| kv.kind_name() == "keyed_element")
            .and_then(|kv| kv.named_child(0))
            .map(|n| cx.text(n)),
        "argument_list" => p
            .parent()
            .filter(|m| m.kind_name() == "method_invocation")
            .and_then(|m| m.field("name"))
            .map(|n| cx.text(n)),
        _ => None,
    };
    let Some(k) = key else { return false };
    let k = k.trim_matches(['"', '\'']).to_ascii_lowercase();
    matches!(
        k.as_str(),
        "host"
            | "hostname"
            | "addr"
            | "address"
            | "server"
            | "sethost"
            | "sethostname"
            | "endpoint"
    )
}

/// How sure we are that a host belongs to one environment, or `None`.
fn environment_specific(host: &str) -> Option<Confidence> {
    let h = host.to_ascii_lowercase();
    if silent_local(&h) {
        return None;
    }
    if let Some(ip) = parse_ipv4(&h) {
        let private = ip[0] == 10
            || (ip[0] == 172 && (16..=31).contains(&ip[1]))
            || (ip[0] == 192 && ip[1] == 168);
        return private.then_some(Confidence::High);
    }
    for s in [".internal", ".corp", ".lan", ".intranet", ".intra"] {
        if h.ends_with(s) {
            return Some(Confidence::High);
        }
    }
    for s in [".svc", ".cluster.local", ".local"] {
        if h.ends_with(s) {
            return Some(Confidence::Medium);
        }
    }
    // An environment label in the subdomain part (`db.prod.acme.io`, `orders-staging.acme.io`);
    // the registrable domain itself (`lr-in-prod.com`) is a company's name, not an environment.
    if h.contains('*') {
        return None;
    }
    let labels: Vec<&str> = h.split('.').collect();
    if labels.len() >= 3 {
        let sub = &labels[..labels.len() - 2];
        if sub.iter().flat_map(|l| l.split('-')).any(|l| {
            matches!(
                l,
                "prod" | "production" | "staging" | "stg" | "preprod" | "uat"
            )
        }) {
            return Some(Confidence::Medium);
        }
    }
    None
}

fn silent_local(h: &str) -> bool {
    h == "localhost"
        || h.starts_with("127.")
        || h == "0.0.0.0"
        || h == "host.docker.internal"
        || h == "metadata.google.internal"
        || h == "169.254.169.254"
        || h.ends_with(".localhost")
        || h.ends_with("example.com")
        || h.ends_with("example.org")
        || h.ends_with("example.net") && !h.contains("prod")
        || h.ends_with(".example")
        || h.ends_with(".test")
        || h.ends_with(".invalid")
}

fn parse_ipv4(h: &str) -> Option<[u8; 4]> {
    let parts: Vec<&str> = h.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        out[i] = p.parse().ok()?;
    }
    Some(out)
}

/// Docstrings, log and error messages, and environment-lookup defaults.
fn ignored_context(node: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(p) = node.parent() else {
        return false;
    };
    if p.kind_name() == "expression_statement" {
        return true; // a docstring or a bare string
    }
    // The default of an environment lookup.
    let mut cur = Some(p);
    for _ in 0..3 {
        let Some(c) = cur else { break };
        if let Some(e) = config::env_default(c, cx)
            && e.default
                .is_some_and(|d| d.byte_range().contains(&node.start_byte()))
        {
            return true;
        }
        cur = c.parent();
    }
    // An argument of a log call or an exception.
    if let Some(call) = syntax::ancestor(node, syntax::call_kinds(cx.family())) {
        let (w, _) = cx.callee(call);
        let l = w.to_ascii_lowercase();
        if crate::rules::retry::is_log_callee(&w)
            || l.ends_with("error")
            || l.ends_with("exception")
            || l.ends_with("errorf")
            || l.contains("warn")
        {
            return true;
        }
    }
    false
}
