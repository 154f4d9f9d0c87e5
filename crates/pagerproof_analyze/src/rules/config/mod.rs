//! CONFIG: environment-specific values written into code, and critical settings read
//! with a silent default. The helpers here recognise environment lookups with their
//! defaults in every language, and classify setting names as critical.

pub mod hardcoded_host;
pub mod silent_default;

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, positional_args, string_value};
use crate::rule::Cx;

/// Splits an identifier or setting name into lowercase words: `DATABASE_URL`,
/// `databaseUrl`, `db.password`, `x-api-key` -> `[database, url]`, ...
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Why a setting is critical.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Critical {
    /// A credential: password, secret, token, API/signing/encryption key.
    Secret,
    /// Where a datastore or broker lives: `DATABASE_URL`, `REDIS_HOST`, `*_DSN`.
    Datastore,
}

const NOT_A_VALUE: &[&str] = &[
    "name",
    "id",
    "path",
    "file",
    "dir",
    "url",
    "uri",
    "header",
    "type",
    "ttl",
    "expiry",
    "expires",
    "expire",
    "timeout",
    "length",
    "len",
    "algorithm",
    "alg",
    "enabled",
    "enable",
    "prefix",
    "suffix",
    "field",
    "env",
    "var",
    "version",
    "count",
    "size",
    "lifetime",
    "age",
    "mode",
    "provider",
    "location",
    "format",
    "policy",
    "required",
    "hint",
    "label",
    "endpoint",
    "issuer",
    "audience",
    "scope",
    "scopes",
    "min",
    "max",
    "rotation",
    "reset",
    "cookie",
    "validity",
    "hash",
    "pattern",
    "regex",
    "template",
    "message",
    "msg",
    "limit",
];

/// Classifies a setting name (an environment variable or a property key).
pub fn critical(name: &str) -> Option<Critical> {
    // Variables a front-end build publishes to every browser are public by definition.
    let upper = name.to_ascii_uppercase();
    if [
        "NEXT_PUBLIC_",
        "VITE_",
        "REACT_APP_",
        "PUBLIC_",
        "EXPO_PUBLIC_",
        "NUXT_PUBLIC_",
        "GATSBY_",
        "VUE_APP_",
    ]
    .iter()
    .any(|p| upper.starts_with(p))
    {
        return None;
    }
    let w = words(name);
    let last = w.last()?.as_str();
    let has = |x: &str| w.iter().any(|y| y == x);
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    // Datastore locators first: `DATABASE_URL` ends in `url` but is critical.
    const STORES: &[&str] = &[
        "database",
        "db",
        "postgres",
        "postgresql",
        "pg",
        "mysql",
        "mariadb",
        "redis",
        "mongo",
        "mongodb",
        "amqp",
        "rabbit",
        "rabbitmq",
        "broker",
        "kafka",
        "elasticsearch",
        "cassandra",
        "memcached",
        "sqlalchemy",
        "nats",
        "celery",
        "clickhouse",
    ];
    const LOCATORS: &[&str] = &[
        "url",
        "uri",
        "dsn",
        "host",
        "hosts",
        "addr",
        "address",
        "servers",
        "brokers",
        "connection",
        "conn",
        "nodes",
    ];
    if last == "dsn" || (LOCATORS.contains(&last) && w.iter().any(|x| STORES.contains(&x.as_str())))
    {
        return Some(Critical::Datastore);
    }
    if NOT_A_VALUE.contains(&last) {
        return None;
    }
    if matches!(
        last,
        "password" | "passwd" | "secret" | "token" | "passphrase" | "credentials"
    ) || has("apikey")
        || pair("api", "key")
        || pair("secret", "key")
        || pair("private", "key")
        || pair("signing", "key")
        || pair("encryption", "key")
        || pair("access", "key")
        || pair("master", "key")
        || pair("client", "secret")
        || (has("jwt") && matches!(last, "key" | "secret"))
        || (has("hmac") && matches!(last, "key" | "secret"))
    {
        return Some(Critical::Secret);
    }
    None
}

/// An environment or configuration lookup with a fallback value.
#[derive(Clone, Copy, Debug)]
pub struct EnvDefault<'a> {
    /// The node to report at (the lookup expression).
    pub at: Node<'a>,
    /// The setting's name node (a string literal).
    pub name: Node<'a>,
    /// The fallback value (a literal), or `None` when the lookup has no fallback.
    pub default: Option<Node<'a>>,
}

/// A literal a setting can default to (string, number, boolean).
pub fn is_literal(n: Node<'_>) -> bool {
    matches!(
        n.kind_name(),
        "string"
            | "interpreted_string_literal"
            | "raw_string_literal"
            | "string_literal"
            | "template_string"
            | "integer"
            | "number"
            | "int_literal"
            | "decimal_integer_literal"
    )
}

fn is_py_env_get(cx: &Cx<'_>, call: Node<'_>) -> bool {
    let (w, r) = cx.callee(call);
    matches!(
        r.as_str(),
        "os.getenv" | "os.environ.get" | "os.environ.setdefault" | "decouple.config"
    ) || w == "environ.get"
        || ((w == "env" || w.starts_with("env.")) && cx.imports().has_module("environ"))
}

/// Recognises a lookup with a fallback at `node` (a call, a `or`/`||`/`??` expression, a
/// destructuring default, a Java annotation value). Only literal fallbacks count.
pub fn env_default<'a>(node: Node<'a>, cx: &Cx<'_>) -> Option<EnvDefault<'a>> {
    match (cx.family(), node.kind_name()) {
        (Family::Python, "call") => {
            if !is_py_env_get(cx, node) {
                return None;
            }
            let args = positional_args(node);
            let name = *args.first()?;
            string_value(name, cx.src)?;
            let default = args
                .get(1)
                .copied()
                .or_else(|| kwarg(node, cx.src, "default"));
            Some(EnvDefault {
                at: node,
                name,
                default: default.filter(|d| is_literal(*d)),
            })
        }
        (Family::Python, "boolean_operator") => {
            // os.getenv("X") or "fallback"
            let (l, r) = (node.field("left")?, node.field("right")?);
            if !cx.text(node).contains(" or ") || l.kind_name() != "call" || !is_py_env_get(cx, l) {
                return None;
            }
            let name = *positional_args(l).first()?;
            string_value(name, cx.src)?;
            Some(EnvDefault {
                at: node,
                name,
                default: Some(r).filter(|d| is_literal(*d)),
            })
        }
        (Family::Js, "binary_expression") => {
            let op = node.field("operator").map(|o| cx.text(o))?;
            if op != "||" && op != "??" {
                return None;
            }
            let (l, r) = (node.field("left")?, node.field("right")?);
            let name = js_env_name(l, cx)?;
            Some(EnvDefault {
                at: node,
                name,
                default: Some(r).filter(|d| is_literal(*d)),
            })
        }
        (Family::Go, "call_expression") => {
            // getEnv("X", "fallback") style helpers.
            let (w, _) = cx.callee(node);
            let last = syntax::last_segment(&w).to_ascii_lowercase();
            let helper = last.contains("env")
                && (last.contains("default")
                    || last.contains("or")
                    || last.contains("fallback")
                    || last == "getenv"
                    || last == "env")
                && !last.starts_with("must")
                && w != "os.Getenv"
                && w != "os.LookupEnv";
            if !helper {
                return None;
            }
            let args = positional_args(node);
            if args.len() != 2 {
                return None;
            }
            string_value(args[0], cx.src)?;
            Some(EnvDefault {
                at: node,
                name: args[0],
                default: Some(args[1]).filter(|d| is_literal(*d)),
            })
        }
        (Family::Java, "method_invocation") => {
            let m = node.field("name").map(|n| cx.text(n))?;
            if !matches!(m, "getOrDefault" | "getProperty" | "orElse") {
                return None;
            }
            let chain = syntax::callee_text(node, cx.src);
            let args = positional_args(node);
            if (chain.ends_with("getenv().getOrDefault")
                || chain.ends_with(".getProperty")
                || chain.ends_with("System.getProperty"))
                && args.len() == 2
            {
                string_value(args[0], cx.src)?;
                return Some(EnvDefault {
                    at: node,
                    name: args[0],
                    default: Some(args[1]).filter(|d| is_literal(*d)),
                });
            }
            // Optional.ofNullable(System.getenv("X")).orElse("fallback")
            if chain.starts_with("Optional.ofNullable(System.getenv(") && chain.ends_with(".orElse")
            {
                let inner = syntax::descendants(node).find(|d| {
                    d.kind_name() == "method_invocation"
                        && syntax::callee_text(*d, cx.src) == "System.getenv"
                })?;
                let name = *positional_args(inner).first()?;
                string_value(name, cx.src)?;
                return Some(EnvDefault {
                    at: node,
                    name,
                    default: args.first().copied().filter(|d| is_literal(*d)),
                });
            }
            None
        }
        _ => None,
    }
}

/// `process.env.X` / `process.env["X"]` -> the node naming X.
pub fn js_env_name<'a>(n: Node<'a>, cx: &Cx<'_>) -> Option<Node<'a>> {
    match n.kind_name() {
        "member_expression" => {
            let obj = n.field("object")?;
            if cx.text(obj).replace(' ', "") != "process.env" {
                return None;
            }
            n.field("property")
        }
        "subscript_expression" => {
            let obj = n.field("object")?;
            if cx.text(obj).replace(' ', "") != "process.env" {
                return None;
            }
            n.field("index")
        }
        _ => None,
    }
}

/// The text of a setting-name node (identifier or string literal).
pub fn name_text(n: Node<'_>, cx: &Cx<'_>) -> String {
    string_value(n, cx.src)
        .map(str::to_string)
        .unwrap_or_else(|| cx.text(n).to_string())
}

/// A secret that has no meaningful empty value: a signing, encryption or session key.
/// Tokens and passwords are often optional (anonymous access) and are not included.
pub fn required_secret(name: &str) -> bool {
    let w = words(name);
    let last = w.last().map(String::as_str).unwrap_or("");
    critical(name) == Some(Critical::Secret)
        && (last == "secret"
            || (matches!(last, "key")
                && w.iter().any(|x| {
                    matches!(
                        x.as_str(),
                        "jwt"
                            | "hmac"
                            | "signing"
                            | "encryption"
                            | "private"
                            | "secret"
                            | "session"
                    )
                })))
}

/// Build and tool configuration (`vite.config.ts`, `webpack.config.js`, `jest.config.js`):
/// read by developer tools, not by the running service.
pub fn is_tool_config(path: &str) -> bool {
    let name = crate::files::base_name(path).to_ascii_lowercase();
    let parts: Vec<&str> = name.split('.').collect();
    (parts.len() >= 3 && parts[parts.len() - 2] == "config")
        || name.starts_with("gulpfile")
        || name.starts_with("gruntfile")
}

/// Mock, fake and stub packages: test doubles, whatever their folder's role.
pub fn is_test_double(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.split('/').rev().skip(1).any(|d| {
        matches!(
            d,
            "mock" | "mocks" | "fake" | "fakes" | "stub" | "stubs" | "testutil" | "testhelpers"
        )
    }) || {
        let name = crate::files::base_name(&lower);
        name.starts_with("mock_") || name.starts_with("mock.") || name.starts_with("fake_")
    }
}

/// Files that are per-environment configuration by design (`settings/local.py`,
/// `config/development.js`): values there are meant to be environment-specific.
pub fn is_environment_file(path: &str) -> bool {
    let name = crate::files::base_name(path).to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("");
    let env_words = [
        "local",
        "dev",
        "development",
        "test",
        "testing",
        "staging",
        "stage",
        "prod",
        "production",
        "sandbox",
        "ci",
        "e2e",
        "demo",
        "docker",
        "compose",
    ];
    stem.split(['_', '-']).any(|p| env_words.contains(&p))
        || name.contains(".local.")
        || name.contains(".dev.")
        || name.contains(".development.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(words("DATABASE_URL"), ["database", "url"]);
        assert_eq!(words("jwtSecretKey"), ["jwt", "secret", "key"]);
        assert_eq!(critical("DATABASE_URL"), Some(Critical::Datastore));
        assert_eq!(critical("REDIS_HOST"), Some(Critical::Datastore));
        assert_eq!(critical("SENTRY_DSN"), Some(Critical::Datastore));
        assert_eq!(critical("STRIPE_API_KEY"), Some(Critical::Secret));
        assert_eq!(critical("SECRET_KEY"), Some(Critical::Secret));
        assert_eq!(critical("db.password"), Some(Critical::Secret));
        assert_eq!(critical("SECRET_NAME"), None);
        assert_eq!(critical("TOKEN_URL"), None);
        assert_eq!(critical("MAX_TOKENS"), None);
        assert_eq!(critical("PASSWORD_RESET_TIMEOUT"), None);
        assert_eq!(critical("PORT"), None);
        assert_eq!(critical("LOG_LEVEL"), None);
        assert_eq!(critical("HOST"), None);
    }
}
