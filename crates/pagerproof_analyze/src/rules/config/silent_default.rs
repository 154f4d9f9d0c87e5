//! `critical-setting-silent-default`: a secret or datastore location read from the
//! environment with a fallback (or, in Go, without any check), so a deployment that
//! forgets it starts anyway, on the wrong value, instead of failing at startup.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, positional_args, string_value};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::config::{self, Critical, EnvDefault};

pub static META: RuleMeta = RuleMeta {
    id: "critical-setting-silent-default",
    category: "CONFIG",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Secret or datastore setting falls back to a default instead of failing fast",
    docs: Docs {
        what: "A critical setting read with a silent fallback. Critical means, by name: a credential (`*_PASSWORD`, \
`*_SECRET`, `*_TOKEN`, `SECRET_KEY`, `API_KEY`, private/signing/encryption/access keys, JWT/HMAC keys, \
`CLIENT_SECRET`) or the location of a datastore or broker (`DATABASE_URL`, `*_DSN`, `REDIS_URL`, `DB_HOST`, \
`MONGODB_URI`, `BROKER_URL`, `KAFKA_BROKERS`, ...). Names ending in `_NAME`, `_ID`, `_PATH`, `_URL` of a non-datastore, \
`_TIMEOUT`, `_TTL` and the like are not critical, nor are variables a front-end build publishes \
(`NEXT_PUBLIC_*`, `VITE_*`, `REACT_APP_*`). Reported: Python `os.getenv`/`os.environ.get`/`environ.get`/\
decouple `config`/django-environ `env` with a literal default (or `os.getenv(...) or \"...\"`); JavaScript \
`process.env.X || '...'`/`?? '...'` and `const { X = '...' } = process.env`; Go `getEnv(\"X\", \"...\")`-style \
helpers, and `os.Getenv` of a signing/encryption/session key or `*_SECRET` whose result is never checked for \
emptiness (tokens and passwords are often optional, so an unchecked read of one is not reported); Java \
`getenv().getOrDefault`, `Optional.ofNullable(System.getenv(..)).orElse`, `getProperty(key, default)` and Spring \
`@Value(\"${key:default}\")`. A secret with a non-empty default is P1 (production can run on a value published in \
the source); an empty default is P2, and only for signing/encryption/session keys and `*_SECRET` (tokens, \
passwords and API keys are often optional). A datastore default is reported only when it silently works somewhere else \
(a SQLite file, an in-memory store, or a real host); `localhost` defaults fail loudly at the first connection and \
are not reported. Per-environment files (`settings/local.py`, `config.dev.js`), build-tool configuration \
(`vite.config.ts`) and mock packages are not reviewed.",
        scenario: "A deployment is created or migrated and one variable is missing or misspelled: a new region, a \
renamed secret in the secret manager, a Helm values file that lost a key.",
        impact: "The service starts and looks healthy, but signs sessions with a key published in the repository, \
calls a provider with an empty key, or writes orders into a local SQLite file that disappears with the container: \
security breach or silent data loss, discovered long after the deploy.",
        detection: "Often none until the damage is done: authentication failures from providers, data that is missing \
after a restart, tokens that validate in the wrong environment.",
        mitigation: "Read critical settings without a fallback and fail at startup when they are missing, with a \
message naming the variable; keep development defaults in a development-only file or `.env`.",
        fixes: &[
            (
                "python",
                "DATABASE_URL = os.environ[\"DATABASE_URL\"]  # KeyError at startup if missing\nSECRET_KEY = os.environ[\"SECRET_KEY\"]",
            ),
            (
                "go",
                "dsn, ok := os.LookupEnv(\"DATABASE_URL\")\nif !ok || dsn == \"\" {\n    log.Fatal(\"DATABASE_URL is required\")\n}",
            ),
            (
                "javascript",
                "const required = (k) => { const v = process.env[k]; if (!v) throw new Error(`${k} is required`); return v; };\nconst apiKey = required('PAYMENT_API_KEY');",
            ),
            (
                "typescript",
                "function required(k: string): string {\n  const v = process.env[k];\n  if (!v) throw new Error(`${k} is required`);\n  return v;\n}\nconst apiKey = required('PAYMENT_API_KEY');",
            ),
            (
                "java",
                "String dsn = Objects.requireNonNull(System.getenv(\"DATABASE_URL\"), \"DATABASE_URL is required\");\n// Spring: @Value(\"${db.password}\") with no default fails the context at startup",
            ),
        ],
        monitoring: "Log (without values) which critical settings came from where at startup; alert on provider \
authentication failures and on writes to unexpected datastores.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/settings.py",
            r#"import os

SECRET_KEY = os.getenv("SECRET_KEY", "dev-insecure-7f3a9c")
             ^ `SECRET_KEY` falls back to a hardcoded value
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///dev.db")
               ^ `DATABASE_URL` falls back to a local SQLite
REDIS_URL = os.getenv("REDIS_URL", "redis://localhost:6379/0")
STRIPE_API_KEY = os.getenv("STRIPE_API_KEY") or ""
WEBHOOK_SECRET = os.getenv("WEBHOOK_SECRET") or ""
                 ^ `WEBHOOK_SECRET` falls back to an empty value
LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
PORT = int(os.getenv("PORT", "8080"))
TOKEN = os.environ["API_TOKEN"]
SECRET_NAME = os.getenv("SECRET_NAME", "db-password")
"#
        ),
        case!(
            "app/settings/local.py",
            "import os\nSECRET_KEY = os.getenv(\"SECRET_KEY\", \"local-dev-key\")\n"
        ),
        case!(
            "src/config.ts",
            r#"export const config = {
  jwtSecret: process.env.JWT_SECRET || 'supersecret',
             ^ `JWT_SECRET` falls back to a hardcoded value
  apiKey: process.env.API_KEY ?? '',
  signingKey: process.env.SIGNING_KEY ?? '',
              ^ `SIGNING_KEY` falls back to an empty value
  port: process.env.PORT || 3000,
  mongoUri: process.env.MONGODB_URI || 'mongodb://mongo.prod.internal:27017/app',
            ^ `MONGODB_URI` falls back to `mongo.prod.internal`
  redisUrl: process.env.REDIS_URL || 'redis://localhost:6379',
};
const { SESSION_SECRET = 'keyboard cat' } = process.env;
        ^ `SESSION_SECRET` falls back to a hardcoded value
"#
        ),
        case!(
            "internal/config/config.go",
            r#"package config

import "os"

func getEnv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func Load() Config {
	secret := os.Getenv("JWT_SECRET")
	          ^ `JWT_SECRET` is read without a check
	key := os.Getenv("SESSION_KEY")
	if key == "" {
		panic("SESSION_KEY is required")
	}
	return Config{
		Secret:   secret,
		Key:      key,
		Password: getEnv("DB_PASSWORD", "postgres"),
		          ^ `DB_PASSWORD` falls back to a hardcoded value
		Addr:     getEnv("LISTEN_ADDR", ":8080"),
		Token:    os.Getenv("GITHUB_TOKEN"),
		Signing:  os.Getenv("WEBHOOK_SIGNING_SECRET"),
		          ^ `WEBHOOK_SIGNING_SECRET` is read without a check
	}
}
"#
        ),
        case!(
            "src/main/java/shop/Config.java",
            r#"package shop;

import org.springframework.beans.factory.annotation.Value;

class Config {
    @Value("${payment.api-key:test-key-123}")
    ^ `payment.api-key` falls back to a hardcoded value
    String apiKey;

    @Value("${db.password}")
    String dbPassword;

    String url = System.getenv().getOrDefault("DATABASE_URL", "jdbc:postgresql://db.staging.corp:5432/shop");
                 ^ `DATABASE_URL` falls back to `db.staging.corp`
    String region = System.getenv().getOrDefault("AWS_REGION", "eu-west-1");
}
"#
        ),
        case!(
            "tests/conftest.py",
            "import os\nSECRET_KEY = os.getenv(\"SECRET_KEY\", \"test\")\n"
        ),
        case!(
            "src/ok.js",
            "const port = process.env.PORT || 8080;\nconst level = process.env.LOG_LEVEL ?? 'info';\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nimport \"os\"\n\nfunc Port() string {\n\tif p := os.Getenv(\"PORT\"); p != \"\" {\n\t\treturn p\n\t}\n\treturn \"8080\"\n}\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    @Value(\"${server.port:8080}\")\n    int port;\n}\n"
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
            Family::Python => &["call", "boolean_operator"],
            Family::Js => &["binary_expression", "object_assignment_pattern"],
            Family::Go => &["call_expression"],
            Family::Java => &["method_invocation", "annotation"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if config::is_environment_file(cx.path)
            || config::is_tool_config(cx.path)
            || config::is_test_double(cx.path)
        {
            return;
        }
        match (cx.family(), node.kind_name()) {
            (Family::Js, "object_assignment_pattern") => js_destructuring(node, cx),
            (Family::Java, "annotation") => java_value(node, cx),
            (Family::Go, "call_expression") => {
                if let Some(e) = config::env_default(node, cx) {
                    report(e, cx);
                } else {
                    go_unchecked(node, cx);
                }
            }
            (Family::Python, "call") => {
                let Some(e) = config::env_default(node, cx) else {
                    return;
                };
                // `os.getenv("X") or "y"` is reported at the `or`.
                if let Some(p) = node.parent()
                    && p.kind_name() == "boolean_operator"
                    && cx.text(p).contains(" or ")
                    && config::env_default(p, cx).is_some_and(|e| e.default.is_some())
                {
                    return;
                }
                report(e, cx);
            }
            _ => {
                if let Some(e) = config::env_default(node, cx) {
                    report(e, cx);
                }
            }
        }
    }
}

/// The host of a URL or DSN default (`postgres://u:p@db.x:5432/app` -> `db.x`).
pub fn url_host(v: &str) -> Option<&str> {
    let rest = v.split_once("://")?.1;
    let rest = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let hostport = &rest[..end];
    let host = if hostport.starts_with('[') {
        hostport
            .split(']')
            .next()
            .map(|h| h.trim_start_matches('['))?
    } else {
        hostport.split([':', ',']).next()?
    };
    (!host.is_empty()).then_some(host)
}

pub fn is_local_host(h: &str) -> bool {
    let h = h.to_ascii_lowercase();
    h == "localhost"
        || h.starts_with("127.")
        || h == "0.0.0.0"
        || h == "::1"
        || h == "host.docker.internal"
        || h.ends_with(".localhost")
        || !h.contains('.') && !h.contains(':')
}

/// What a datastore default silently points at, when it works without the variable.
fn datastore_target(v: &str) -> Option<String> {
    let l = v.to_ascii_lowercase();
    if l.starts_with("sqlite") || l.contains(":memory:") || l.starts_with("file:") {
        return Some("a local SQLite or in-memory store".to_string());
    }
    let host = url_host(v).or_else(|| {
        // Bare `host[:port]`.
        (!v.contains("://") && !v.contains(' ')).then(|| v.split(':').next().unwrap_or(v))
    })?;
    if is_local_host(host) {
        return None;
    }
    Some(format!("`{host}`"))
}

fn report(e: EnvDefault<'_>, cx: &mut Cx<'_>) {
    let name = config::name_text(e.name, cx);
    let Some(kind) = config::critical(&name) else {
        return;
    };
    let Some(d) = e.default else { return };
    let value = string_value(d, cx.src)
        .map(str::to_string)
        .unwrap_or_else(|| cx.text(d).to_string());
    hit(e.at, &name, kind, &value, cx);
}

fn hit(at: Node<'_>, name: &str, kind: Critical, value: &str, cx: &mut Cx<'_>) {
    match kind {
        Critical::Secret => {
            if value.trim().is_empty() {
                // Passwords, tokens and API keys are often optional (no SMTP auth, anonymous
                // access); an empty default is only wrong for keys that sign or encrypt.
                if !config::required_secret(name) {
                    return;
                }
                cx.hit(
                    &META,
                    at,
                    name.to_string(),
                    format!("`{name}` falls back to an empty value: a deployment without it starts anyway and fails (or signs) with an empty secret instead of failing at startup"),
                )
                .confidence(Confidence::Medium);
            } else {
                let h = cx.hit(
                    &META,
                    at,
                    name.to_string(),
                    format!("`{name}` falls back to a hardcoded value: a deployment that forgets it runs with a secret anyone with the source knows, instead of failing at startup"),
                );
                h.severity(Severity::P1);
                if value.len() >= 4 {
                    h.secret(value.to_string());
                }
            }
        }
        Critical::Datastore => {
            let Some(target) = datastore_target(value) else {
                return;
            };
            let what = format!("falls back to {target}");
            let h = cx.hit(
                &META,
                at,
                name.to_string(),
                format!("`{name}` {what}: a deployment without it starts against the wrong datastore instead of failing at startup"),
            );
            if value.contains('@') {
                h.secret(value.to_string());
            }
        }
    }
}

/// `const { SESSION_SECRET = 'x' } = process.env`
fn js_destructuring(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(decl) = syntax::ancestor(node, &["variable_declarator"]) else {
        return;
    };
    let Some(v) = decl.field("value") else {
        return;
    };
    if cx.text(v).replace(' ', "") != "process.env" {
        return;
    }
    let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
        return;
    };
    if !config::is_literal(r) {
        return;
    }
    let name = cx.text(l).to_string();
    let Some(kind) = config::critical(&name) else {
        return;
    };
    let value = string_value(r, cx.src)
        .map(str::to_string)
        .unwrap_or_else(|| cx.text(r).to_string());
    hit(node, &name, kind, &value, cx);
}

/// Spring `@Value("${key:default}")`.
fn java_value(node: Node<'_>, cx: &mut Cx<'_>) {
    let name = node.field("name").map(|n| cx.text(n)).unwrap_or("");
    if name != "Value" {
        return;
    }
    let Some(arg) = node.field("arguments").and_then(|a| a.named_child(0)) else {
        return;
    };
    let Some(v) = string_value(arg, cx.src) else {
        return;
    };
    let Some(inner) = v.strip_prefix("${").and_then(|x| x.strip_suffix('}')) else {
        return;
    };
    let Some((key, default)) = inner.split_once(':') else {
        return;
    };
    let Some(kind) = config::critical(key) else {
        return;
    };
    let (key, default) = (key.to_string(), default.to_string());
    hit(node, &key, kind, &default, cx);
}

/// Go: `os.Getenv("A_SECRET")` whose result is never compared with `""` or measured.
fn go_unchecked(call: Node<'_>, cx: &mut Cx<'_>) {
    let (_, r) = cx.callee(call);
    if r != "os.Getenv" {
        return;
    }
    let Some(arg) = positional_args(call).first().copied() else {
        return;
    };
    let Some(name) = string_value(arg, cx.src) else {
        return;
    };
    if !config::required_secret(name) {
        return;
    }
    let name = name.to_string();
    let parent = call.parent();
    // `v := os.Getenv(..)` / `var v = os.Getenv(..)`: look for a check of `v`.
    let bound = parent.and_then(|p| match p.kind_name() {
        "expression_list" => p.parent().and_then(|d| {
            if matches!(
                d.kind_name(),
                "short_var_declaration" | "assignment_statement" | "var_spec"
            ) {
                d.field("left")
                    .or_else(|| d.field("name"))
                    .and_then(|l| l.named_child(0).or(Some(l)))
            } else {
                None
            }
        }),
        _ => None,
    });
    let checked_text = |v: &str| -> bool {
        let src: String = cx.src.chars().filter(|c| !c.is_whitespace()).collect();
        src.contains(&format!("{v}==\"\""))
            || src.contains(&format!("{v}!=\"\""))
            || src.contains(&format!("\"\"=={v}"))
            || src.contains(&format!("\"\"!={v}"))
            || src.contains(&format!("len({v})"))
    };
    if let Some(b) = bound {
        let v = cx.text(b).to_string();
        if v == "_" || checked_text(&v) {
            return;
        }
    } else if parent.is_some_and(|p| matches!(p.kind_name(), "binary_expression" | "if_statement"))
    {
        return; // compared in place
    }
    // A struct field that is validated elsewhere: `Token: os.Getenv(..)` then `cfg.Token == ""`.
    if let Some(p) = parent
        && p.kind_name() == "literal_element"
        && let Some(k) = p
            .parent()
            .filter(|kv| kv.kind_name() == "keyed_element")
            .and_then(|kv| kv.named_child(0))
    {
        let field = cx.text(k).to_string();
        if checked_text(&format!(".{field}")) {
            return;
        }
    }
    cx.hit(
        &META,
        call,
        name.clone(),
        format!("`{name}` is read without a check: when it is unset, `os.Getenv` returns \"\" and the service runs with an empty secret instead of failing at startup"),
    )
    .confidence(Confidence::Medium);
}
