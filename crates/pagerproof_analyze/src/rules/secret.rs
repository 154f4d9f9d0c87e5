//! SECRET: `hardcoded-secret`: a credential written into the code.
//!
//! Three signals, strongest first: a known token format (AWS, GitHub, Slack, Stripe,
//! Google, OpenAI, Anthropic, GitLab, npm, PyPI, SendGrid keys; private-key blocks),
//! anywhere; a password inside a connection URL (`scheme://user:pass@host`); a
//! credential-looking value bound to a sensitive name (`password`, `secret`, `token`,
//! `api_key`, ...). Environment lookups and their defaults, placeholders, format
//! templates and obvious test values are not live secrets and are not reported. The
//! value is never shown: findings carry a short prefix and the length.

use std::sync::OnceLock;

use pagerproof_core::{Confidence, Severity};
use regex::Regex;
use tree_sitter::Node;

use crate::case;
use crate::files::Role;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, string_value};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "hardcoded-secret",
    category: "SECRET",
    severity: Severity::P0,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Credential hardcoded in source",
    docs: Docs {
        what: "A credential written into the code: a known token format anywhere (AWS access keys, GitHub, GitLab, \
Slack, Stripe live keys, Google API keys, OpenAI/Anthropic keys, npm/PyPI tokens, SendGrid keys, private-key \
blocks); a password inside a connection URL; or a high-entropy value bound to a sensitive name (`password`, \
`secret`, `token`, `api_key`, `private_key`, `credentials`), including the argument of a setter (`setPassword(\"...\")`) \
or of a builder method named after the credential (`DataSourceBuilder.create().password(\"...\")`). Not reported: environment lookups and their \
defaults, placeholders (`changeme`, `<token>`, `${VAR}`, `xxx`), format templates (`password=%s`), names of \
environment variables, values that are their own name (`LEAKED_TOKEN = \"leaked_token\"`), text with spaces or in another script (UI labels), counting sequences (`123456`, `abc123`), public Sentry DSNs, connection URLs to `localhost` or whose password repeats the user (`shop:shop@db`), and test values in test code. In tests, examples and scripts only known token formats are \
reported (a real key in a test is still a leaked key), one severity lower.",
        scenario: "The repository is cloned by a contractor, mirrored to a fork, leaked in a CI log, or made public.",
        impact: "Whoever reads it holds the credential: data exfiltration, fraudulent API usage billed to you, or \
lateral movement into production. Rotating it means a deploy of every service that embeds it.",
        detection: "Secret scanning alerts (GitHub, gitleaks), cloud provider leaked-key notifications, unexpected \
usage in the provider's audit log.",
        mitigation: "Revoke and rotate the credential now (it is in git history), load it at run time from the \
environment or a secret manager, and add a secret scanner to CI.",
        fixes: &[
            (
                "python",
                "import os\nSTRIPE_KEY = os.environ[\"STRIPE_KEY\"]  # fail fast if missing",
            ),
            (
                "go",
                "apiKey := os.Getenv(\"PAYMENT_API_KEY\")\nif apiKey == \"\" {\n    log.Fatal(\"PAYMENT_API_KEY is required\")\n}",
            ),
            (
                "javascript",
                "const apiKey = process.env.PAYMENT_API_KEY;\nif (!apiKey) throw new Error('PAYMENT_API_KEY is required');",
            ),
            (
                "typescript",
                "const apiKey = process.env.PAYMENT_API_KEY;\nif (!apiKey) throw new Error('PAYMENT_API_KEY is required');",
            ),
            (
                "java",
                "String apiKey = System.getenv(\"PAYMENT_API_KEY\");\nif (apiKey == null) throw new IllegalStateException(\"PAYMENT_API_KEY is required\");",
            ),
        ],
        monitoring: "Alert on any secret-scanner hit on the default branch; watch provider audit logs for use of \
the exposed key from unknown addresses.",
    },
    outside_production: Handling::Keep,
    cases: &[
        case!(
            "app/settings.py",
            r#"import os
AWS_ACCESS_KEY_ID = "AKIAQ7RZ3EXAMPLE5XWF"
                    ^ AWS access key
DB_PASSWORD = os.environ.get("DB_PASSWORD", "postgres")
API_TOKEN = "tok_9f8e7d6c5b4a3f2e1d0c9b8a"
            ^ `API_TOKEN`
PASSWORD_FIELD = "password"
password_hint = "Use at least 12 characters"
DATABASE_URL = "postgres://admin:Zx9!qLm2#vT4@db.internal:5432/app"
               ^ password in a connection URL
TEMPLATE = "host=%s user=%s password=%s"
client_secret = "<your-client-secret>"
"#
        ),
        case!(
            "cmd/api/main.go",
            r#"package main

const slackToken = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
                   ^ Slack token

var cfg = Config{Password: "s3cr3t-Pr0d-Passw0rd!"}
                           ^ `Password`

func dsn(pw string) string {
	return "user=app password=" + pw
}
"#
        ),
        case!(
            "src/config.ts",
            r#"export const config = {
  stripeKey: 'sk_live_51H8XyZAbCdEfGhIjKlMnOpQrStUv',
             ^ Stripe live key
  apiKey: process.env.API_KEY ?? '',
  authHeader: 'Authorization',
};
"#
        ),
        case!(
            "src/main/java/a/Conf.java",
            r#"package a;
class Conf {
    private static final String DB_PASSWORD = "Tr0ub4dor&3-prod";
                                              ^ `DB_PASSWORD`
    private static final String PASSWORD_PROPERTY = "db.password";
}
"#
        ),
        case!(
            "src/main/java/a/OrdersDb.java",
            r#"package a;
class OrdersDb {
    DataSource source() {
        return DataSourceBuilder.create()
            .url("jdbc:postgresql://db/orders")
            .username("orders")
            .password("Vq8#mZt2Lw9pRk4x")
                      ^ `password` is set to a hardcoded credential
            .build();
    }
    DataSource replica(String pw) {
        return DataSourceBuilder.create().username("orders").password(pw).build();
    }
    Check check() {
        return Rules.field("password").password("must not be blank").build();
    }
}
"#
        ),
        case!(
            "tests/test_login.py",
            r#"PASSWORD = "correct-horse-battery-staple"
def test_login():
    assert login("bob", PASSWORD)
"#
        ),
        case!(
            "tests/fixtures/keys.py",
            r#"KEY = "AKIAQ7RZ3EXAMPLE5XWF"
      ^ in test code
"#
        ),
        case!(
            "internal/db/db.go",
            "package db\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nconst passwordEnv = \"DB_PASSWORD\"\n\nfunc DSN() string {\n\treturn fmt.Sprintf(\"user=app password=%s host=db\", os.Getenv(passwordEnv))\n}\n"
        ),
        case!(
            "src/auth.js",
            "const TOKEN_HEADER = 'X-Auth-Token';\nconst password = process.env.DB_PASSWORD || '';\nmodule.exports = { secretName: 'projects/p/secrets/db-password/versions/latest' };\n"
        ),
        case!(
            "app/defaults.py",
            r#"import dj_database_url
DATABASES = {"default": dj_database_url.config(default="postgres://shop:shop@db:5432/shop")}
CACHE_URL = "redis://app:Zx9!qLm2@localhost:6379/0"
SAMPLE_URL = "arangodb://username:password@host:8529/db"
class Email:
    oauth2_leaked_token = "oauth2_leaked_token"
"#
        ),
        case!(
            "src/app/layout.tsx",
            "import * as Sentry from '@sentry/react';\nSentry.init({ dsn: 'https://3119a20edbb1d03021076301c21ea658@o4505046560538624.ingest.us.sentry.io/4510311296073728' });\nexport const labels = { authToken: '鉴权Token（可选）', accessToken: 'token_abc123' };\nexport const rules = [{ token: 'keyword.$2' }];\n"
        ),
        case!(
            "src/main/java/a/Env.java",
            "package a;\nclass Env {\n    String password = System.getenv(\"DB_PASSWORD\");\n    static final String TOKEN_PARAM = \"access_token\";\n}\n"
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
        let Some(value) = string_value(node, cx.src) else {
            return;
        };
        if (value.len() < 8 || value.len() > 4096) && !value.contains("PRIVATE KEY") {
            return;
        }
        // Python docstrings and f-string pieces are strings too; only whole literals count.
        // (Asked last: finding a node's parent walks down from the root.)
        if cx.family() == Family::Python
            && node
                .parent()
                .is_some_and(|p| p.kind_name() == "concatenated_string")
        {
            return;
        }
        check_value(node, value, cx);
    }
}

struct Format {
    name: &'static str,
    re: Regex,
}

/// Literal fragments one of the known formats needs: most strings contain none, and a
/// single Aho-Corasick pass rejects them before any regex runs.
fn format_prefilter() -> &'static aho_corasick::AhoCorasick {
    static P: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    P.get_or_init(|| {
        let needles = [
            "AKIA",
            "ASIA",
            "AGPA",
            "AIDA",
            "AROA",
            "ANPA",
            "ANVA",
            "AIPA",
            "ghp_",
            "gho_",
            "ghu_",
            "ghs_",
            "ghr_",
            "github_pat_",
            "glpat-",
            "xox",
            "_live_",
            "AIza",
            "sk-",
            "npm_",
            "pypi-",
            "SG.",
            "PRIVATE KEY",
        ];
        aho_corasick::AhoCorasick::new(needles).expect("static needles")
    })
}

fn formats() -> &'static [Format] {
    static F: OnceLock<Vec<Format>> = OnceLock::new();
    F.get_or_init(|| {
        let f = |name, pat: &str| Format {
            name,
            re: Regex::new(pat).expect("static regex"),
        };
        vec![
            f(
                "AWS access key",
                r"\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b",
            ),
            f(
                "GitHub token",
                r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{60,}",
            ),
            f("GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
            f("Slack token", r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
            f("Stripe live key", r"\b(sk|rk)_live_[A-Za-z0-9]{20,}"),
            f("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
            f("Anthropic API key", r"\bsk-ant-[A-Za-z0-9_-]{20,}"),
            f("OpenAI API key", r"\bsk-(proj-)?[A-Za-z0-9_-]{32,}"),
            f("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
            f("PyPI token", r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
            f(
                "SendGrid API key",
                r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b",
            ),
            f(
                "private key",
                r"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----",
            ),
        ]
    })
}

fn dsn_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        // One character of host is enough to confirm: a longer host part would swallow
        // the next URL on the line and hide its password from `scrub`.
        Regex::new(r"\b[a-z][a-z0-9+.-]{1,20}://([^:/@\s]+):([^@/\s]{3,})@[^\s/]")
            .expect("static regex")
    })
}

/// Redacts, in text about to be shown (a snippet line, a message), every value in a known
/// token format, every password inside a connection URL and every long high-entropy blob
/// (key material): the last line of defence when the rule is off, the file is not
/// production code, or the secret sits on a context line of another finding.
pub fn scrub(text: &str) -> std::borrow::Cow<'_, str> {
    static BLOB: OnceLock<Regex> = OnceLock::new();
    let blob =
        BLOB.get_or_init(|| Regex::new(r"[A-Za-z0-9+/_-]{40,}={0,2}").expect("static regex"));
    let mut found: Vec<String> = Vec::new();
    for f in formats() {
        if f.name == "private key" {
            continue; // the header is not the secret; the body is a blob
        }
        found.extend(f.re.find_iter(text).map(|m| m.as_str().to_string()));
    }
    found.extend(dsn_passwords(text).map(str::to_string));
    found.extend(
        blob.find_iter(text)
            .filter(|m| !is_file_path(m.as_str(), &text[m.end()..]))
            .map(|m| m.as_str())
            .filter(|b| entropy(b) >= 4.0)
            .map(str::to_string),
    );
    if found.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    // Longest first, so a value that contains another is replaced whole.
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    found.dedup();
    std::borrow::Cow::Owned(pagerproof_core::redact::redact_all(text, &found))
}

/// A blob that is a file path the report cites (`svc/src/main/java/a/OwnerResource` followed
/// by `.java:83`): folders and a file name with an extension, not key material.
fn is_file_path(blob: &str, after: &str) -> bool {
    // A folder or image path (`ai-ml/llm-serving/worker`, `PROJECT_ID/repo/web`): names in
    // one case between slashes, which no base64 encoder writes for 40 characters.
    let one_case = |seg: &str| {
        let other = |b: u8| b.is_ascii_digit() || b == b'-' || b == b'_';
        !seg.is_empty()
            && (seg.bytes().all(|b| b.is_ascii_lowercase() || other(b))
                || seg.bytes().all(|b| b.is_ascii_uppercase() || other(b)))
    };
    if blob.contains('/') && blob.split('/').all(one_case) {
        return true;
    }
    let Some(ext) = after.strip_prefix('.') else {
        return false;
    };
    let letters = ext.bytes().take_while(u8::is_ascii_alphabetic).count();
    blob.contains('/')
        && (1..=5).contains(&letters)
        && !ext
            .as_bytes()
            .get(letters)
            .is_some_and(u8::is_ascii_alphanumeric)
}

/// The known token formats, and passwords in connection URLs, present in `text`: what
/// [`scrub`] must leave none of (the fuzz target and the tests check it).
pub fn known_secrets_in(text: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = formats()
        .iter()
        .filter(|f| f.name != "private key")
        .flat_map(|f| {
            f.re.find_iter(text)
                .map(|m| (f.name, m.as_str().to_string()))
        })
        .collect();
    out.extend(
        dsn_passwords(text)
            .filter(|m| m.len() >= 4)
            .map(|m| ("connection URL password", m.to_string())),
    );
    out
}

/// Passwords of the connection URLs in `text`, overlapping ones included: the search
/// resumes right after each password, not after the whole match, because a URL's host can
/// run into the scheme of the next (`…@hostpostgres://user:pass@…`), found by fuzzing.
fn dsn_passwords(text: &str) -> impl Iterator<Item = &str> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        // Group 2 (the password) is not optional in the pattern.
        let m = dsn_re().captures_at(text, pos)?.get(2)?;
        pos = m.end();
        Some(m.as_str())
    })
}

/// Names that hold credentials (matched on the last identifier segment, case-insensitive).
/// The last part of a bound name (`self.api_key` -> `api_key`).
fn last_part(name: &str) -> &str {
    name.rsplit(['.', '>', ':', '[']).next().unwrap_or(name)
}

pub(crate) fn sensitive_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let last = last_part(&n).trim_matches(['\'', '"', ']', ' ']);
    const NOT: &[&str] = &[
        "_url",
        "_uri",
        "_path",
        "_file",
        "_name",
        "_header",
        "_field",
        "_type",
        "_length",
        "_len",
        "_env",
        "_var",
        "_endpoint",
        "_prefix",
        "_suffix",
        "_format",
        "_pattern",
        "_regex",
        "_label",
        "_placeholder",
        "_hint",
        "_message",
        "_msg",
        "_error",
        "_ttl",
        "_expiry",
        "_expires",
        "_timeout",
        "_id",
        "_mode",
        "_policy",
        "_provider",
        "_scope",
        "_method",
        "_algorithm",
        "_version",
        "_key_id",
        "_count",
        "_size",
        "_property",
        "_prop",
        "_setting",
        "_template",
        "_dir",
        "_location",
        "_param",
        "_attr",
        "_column",
        "_table",
        "_event",
        "_source",
        "_kind",
        "_class",
        "_ref",
        "_route",
        "_route_name",
        "_required",
        "_enabled",
        "_regexp",
    ];
    let snake = to_snake(last);
    // Flags about a credential, not the credential: `MYSQL_ALLOW_EMPTY_PASSWORD`,
    // `MYSQL_RANDOM_ROOT_PASSWORD`, `use_token`, `skip_password_check`.
    const FLAG_PREFIXES: &[&str] = &[
        "is_", "has_", "allow_", "random_", "use_", "skip_", "require_", "enable_", "disable_",
    ];
    let flag = FLAG_PREFIXES.iter().any(|p| snake.starts_with(p))
        || snake.contains("allow_empty")
        || snake.contains("random_root");
    if NOT.iter().any(|s| snake.ends_with(s)) || flag {
        return false;
    }
    const YES: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "access_key",
        "private_key",
        "credential",
        "auth_key",
        "client_secret",
        "signing_key",
        "encryption_key",
        "session_key",
        "master_key",
        "bearer",
        "webhook_secret",
        "passphrase",
        "secret_key",
        "conn_str",
        "connection_string",
        "dsn",
    ];
    YES.iter().any(|y| snake.contains(y))
}

fn to_snake(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            out.push(if c == '-' { '_' } else { c });
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// Placeholders, templates and values that are obviously not live credentials.
pub fn is_placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "replace",
        "example",
        "placeholder",
        "your",
        "xxxx",
        "****",
        "dummy",
        "sample",
        "todo",
        "fixme",
        "redacted",
        "insert",
        "secret-here",
        "test",
        "fake",
        "mock",
        "notasecret",
        "not-a-secret",
        "default",
        "none",
        "null",
        "undefined",
        "localhost",
    ];
    // Whole values that only name what belongs there (`user:password@host`).
    const NAMES: &[&str] = &[
        "password", "passwd", "pass", "pwd", "secret", "username", "user", "token", "apikey",
        "api_key",
    ];
    // Whole values that are switches, not credentials (`ALLOW_EMPTY_PASSWORD=true`).
    const SWITCHES: &[&str] = &["true", "false", "yes", "no", "on", "off"];
    WORDS.iter().any(|w| l.contains(w))
        || NAMES.contains(&l.as_str())
        || SWITCHES.contains(&l.as_str())
        || v.contains("${")
        || v.contains("{{")
        || v.contains("%s")
        || v.contains("%v")
        || v.contains("%(")
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('{') && v.ends_with('}'))
        || v.chars().all(|c| c == v.chars().next().unwrap_or('x'))
}

/// A connection URL's credentials are a local development default: the password repeats
/// the user name (`saleor:saleor@`), or the database is on the developer's machine.
fn is_dev_default(user: &str, pw: &str, host: &str) -> bool {
    pw.eq_ignore_ascii_case(user)
        || crate::extract::common::LOOPBACK_HOSTS.contains(&host.to_ascii_lowercase().as_str())
}

/// The value is its own name (`OAUTH2_LEAKED_TOKEN = "oauth2_leaked_token"`, an enum
/// member or an event name), compared on letters and digits only.
fn names_itself(name: &str, value: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (n, v) = (norm(last_part(name)), norm(value));
    !n.is_empty() && v == n
}

/// A Sentry DSN (`https://<public key>@o1.ingest.sentry.io/42`): public by design, shipped
/// in every browser and mobile bundle; only the legacy form with `:<secret>` is secret.
fn is_public_dsn(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once("://") else {
        return false;
    };
    let Some((key, host_path)) = rest.split_once('@') else {
        return false;
    };
    let (host, project) = host_path.split_once('/').unwrap_or((host_path, ""));
    matches!(scheme, "http" | "https")
        && !key.contains(':')
        && key.chars().all(|c| c.is_ascii_hexdigit())
        && host.to_ascii_lowercase().contains("sentry")
        && project
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / f64::from(n);
            -p * p.log2()
        })
        .sum()
}

/// Whether a value bound to a sensitive name looks like a real credential.
pub(crate) fn looks_like_credential(v: &str) -> bool {
    // Generated credentials are printable ASCII without spaces: a value with whitespace or
    // other scripts is text (a UI label, a message).
    if v.len() < 8 || !v.chars().all(|c| c.is_ascii_graphic()) || is_placeholder(v) {
        return false;
    }
    // Keyboard and counting sequences: no generator of secrets writes these (a value
    // in a known token format is judged by its format instead).
    let l = v.to_ascii_lowercase();
    if ["123456", "abc123", "xyz789", "qwerty"]
        .iter()
        .any(|w| l.contains(w))
    {
        return false;
    }
    // An environment variable name, a dotted property, a path or a URL without userinfo.
    if v.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        || v.starts_with('/')
        || v.starts_with("./")
        || v.contains("://") && !v.contains('@')
        || v.chars()
            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_' || c == '-')
            && v.contains(['.', '_', '-'])
    {
        return false;
    }
    // Words and identifiers (`ACL.UpsertTokens`, `x-auth-token`, `BearerToken`): a secret
    // has randomness, which in practice means digits mixed in, or a long random string.
    // A `$1` or `$name` part is a template or regex reference (`keyword.$2`).
    let wordlike = v.split(['.', '_', '-', ':', '/']).all(|part| {
        let part = part.strip_prefix('$').unwrap_or(part);
        part.chars().all(|c| c.is_ascii_alphabetic())
            || (v.contains('$') && part.chars().all(|c| c.is_ascii_digit()))
    });
    if wordlike {
        return false;
    }
    let has_digit = v.chars().any(|c| c.is_ascii_digit());
    if !has_digit && (v.len() < 20 || entropy(v) < 3.5) {
        return false;
    }
    let classes = [
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_digit()),
        v.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    classes >= 2 && entropy(v) >= 2.8
}

/// Builder methods whose name is the credential they set (`.password("...")`).
const BUILDER_METHODS: [&str; 9] = [
    "password",
    "passwd",
    "secret",
    "apiKey",
    "token",
    "accessToken",
    "clientSecret",
    "secretKey",
    "privateKey",
];

/// The name a literal is bound to: assignment target, keyword, object key, struct field,
/// variable, or the setter it is passed to (`setPassword("...")`).
fn binding_name<'a>(node: Node<'a>, cx: &Cx<'a>) -> Option<&'a str> {
    let mut cur = node;
    for _ in 0..4 {
        let p = cur.parent()?;
        match p.kind_name() {
            "expression_list" | "parenthesized_expression" | "literal_element" => {
                cur = p;
            }
            "assignment"
            | "assignment_statement"
            | "assignment_expression"
            | "augmented_assignment" => {
                return p.field("left").map(|l| cx.text(l));
            }
            "short_var_declaration" | "var_spec" | "const_spec" => {
                return p
                    .field("left")
                    .or_else(|| p.field("name"))
                    .map(|l| cx.text(l));
            }
            "keyword_argument" | "variable_declarator" => {
                return p.field("name").map(|l| cx.text(l));
            }
            "pair" => return p.field("key").map(|k| cx.text(k)),
            "keyed_element" => return p.named_child(0).map(|k| cx.text(k)),
            "argument_list" | "arguments" => {
                let call = p.parent()?;
                let (w, _) = cx.callee(call);
                let m = syntax::last_segment(&w);
                // `setPassword("...")`, `withToken("...")`: the setter names it. So does a
                // builder method named after the credential itself, on a receiver, with the
                // literal as its only argument (`DataSourceBuilder...password("...")`).
                let builder = BUILDER_METHODS.contains(&m)
                    && syntax::receiver(&w).is_some()
                    && syntax::positional_args(call).len() == 1;
                if builder {
                    // The method name alone: a fluent chain's text is not a name.
                    return call
                        .field("name")
                        .or_else(|| {
                            call.field("function")
                                .and_then(|f| f.field("property").or_else(|| f.field("attribute")))
                        })
                        .map(|n| cx.text(n));
                }
                return (m.starts_with("set") || m.starts_with("with"))
                    .then_some(m)
                    .map(|_| {
                        let t = cx.text(call);
                        &t[..t.find('(').unwrap_or(t.len())]
                    });
            }
            "default_parameter" | "typed_default_parameter" => {
                return p.field("name").map(|l| cx.text(l));
            }
            _ => return None,
        }
    }
    None
}

/// Inside an environment lookup (`os.getenv("X", "default")`, `process.env.X || "..."`):
/// the literal's enclosing expression (up to the statement) reads the environment.
fn in_env_lookup(node: Node<'_>, cx: &Cx<'_>) -> bool {
    const EXPR: &[&str] = &[
        "argument_list",
        "arguments",
        "call",
        "call_expression",
        "method_invocation",
        "binary_expression",
        "binary_operator",
        "boolean_operator",
        "conditional_expression",
        "ternary_expression",
        "parenthesized_expression",
        "keyword_argument",
        "subscript",
        "subscript_expression",
    ];
    let mut cur = node.parent();
    while let Some(p) = cur {
        if !EXPR.contains(&p.kind_name()) {
            return false;
        }
        let t = cx.text(p);
        if [
            "getenv",
            "environ",
            "process.env",
            "Getenv",
            "LookupEnv",
            "getProperty",
            "config.get",
            "settings.",
        ]
        .iter()
        .any(|w| t.contains(w))
        {
            return true;
        }
        cur = p.parent();
    }
    false
}

fn check_value(node: Node<'_>, value: &str, cx: &mut Cx<'_>) {
    let production = cx.role == Role::Production;
    // 1. Known formats: reported everywhere (lower outside production).
    let candidates = if format_prefilter().is_match(value) {
        formats()
    } else {
        &[]
    };
    for f in candidates {
        if let Some(m) = f.re.find(value) {
            let secret = m.as_str().to_string();
            if f.name != "private key" && is_placeholder(&secret) && !secret.starts_with("AKIA") {
                continue;
            }
            let sev = if production {
                Severity::P0
            } else {
                Severity::P2
            };
            let whr = if production {
                String::new()
            } else {
                format!(" (in {} code)", cx.role.as_str())
            };
            let shown = pagerproof_core::redact::redact(&secret);
            let secret_for_redaction = if f.name == "private key" {
                value.to_string()
            } else {
                secret.clone()
            };
            cx.hit(
                &META,
                node,
                f.name,
                format!("{} hardcoded: {shown}{whr}", f.name),
            )
            .severity(sev)
            .secret(secret_for_redaction);
            return;
        }
    }
    if !production {
        return;
    }
    // 2. Password in a connection URL (the regex needs `://` and `@`: test those first).
    if value.contains("://")
        && value.contains('@')
        && let Some(c) = dsn_re().captures(value)
    {
        let user = c.get(1).map(|m| m.as_str()).unwrap_or("");
        let pw = c.get(2).map(|m| m.as_str()).unwrap_or("");
        // The host starts at the regex's last character.
        let host = c
            .get(0)
            .and_then(|m| value.get(m.end() - 1..))
            .and_then(|h| h.split(['/', ':', '?', '#']).next())
            .unwrap_or("");
        if !is_placeholder(pw)
            && !pw.starts_with('$')
            && pw.len() >= 4
            && !is_dev_default(user, pw, host)
        {
            cx.hit(
                &META,
                node,
                "connection URL",
                format!(
                    "password in a connection URL: {}",
                    pagerproof_core::redact::redact(pw)
                ),
            )
            .secret(pw.to_string())
            .confidence(Confidence::High);
            return;
        }
    }
    // 3. A credential-looking value bound to a sensitive name. The value test is pure
    // and rejects most strings, so it runs before the name is looked up in the tree.
    if !looks_like_credential(value) {
        return;
    }
    let Some(name) = binding_name(node, cx) else {
        return;
    };
    if !sensitive_name(name) || in_env_lookup(node, cx) || names_itself(name, value) {
        return;
    }
    if is_public_dsn(value) {
        return;
    }
    let name = name.trim_matches(['"', '\'']).to_string();
    let shown = pagerproof_core::redact::redact(value);
    cx.hit(
        &META,
        node,
        name.clone(),
        format!("`{name}` is set to a hardcoded credential: {shown}"),
    )
    .secret(value.to_string())
    .confidence(Confidence::Medium);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_leaves_no_known_secret() {
        let t = "a postgres://u:Zx9!qLm2#vT4@db:5432\"postgres://u:Qq8!wEr5#tY6@db2 AKIAQ7RZ3ABCDEF5XWF9 \
                 xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx k=MIIEpAIBAAKCAQEAq9Xb2JkZ3Rhc2RmZ2hqa2w7cXdlcnR5";
        assert_eq!(known_secrets_in(t).len(), 4, "{:?}", known_secrets_in(t));
        let s = scrub(t);
        assert!(known_secrets_in(&s).is_empty(), "{s}");
        assert!(
            !s.contains("Qq8!wEr5") && !s.contains("q9Xb2JkZ3Rhc2RmZ2hqa2w7"),
            "{s}"
        );
    }

    #[test]
    fn cited_file_paths_are_not_blobs() {
        let t = "routes without auth: PUT /owners (spring-petclinic-customers-service/src/main/java/org/springframework/samples/petclinic/customers/web/OwnerResource.java:83)";
        assert_eq!(scrub(t), t);
        let d = "worker (ai-ml/llm-serving-gemma/inference-server/worker): no health endpoint";
        assert_eq!(scrub(d), d);
        let i =
            "`REGION-docker.pkg.dev/PROJECT_ID/hello-repo/webclient:latest` uses the :latest tag";
        assert_eq!(scrub(i), i);
        let key = "k=Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTBhYmNkZWZnaGlq/a9F3kL0pQ7sT2vX8zB1nM4cR6wE";
        assert_ne!(scrub(key), key);
    }

    #[test]
    fn urls_running_into_each_other_are_all_scrubbed() {
        // The first URL's host runs into the second's scheme (a fuzzing find).
        let t = "postgres://admin:Zx4!qLm2#vT4@dbhostpostgres://admin:Qq8!wEr5#tY6@db2";
        assert_eq!(known_secrets_in(t).len(), 2, "{:?}", known_secrets_in(t));
        let s = scrub(t);
        assert!(known_secrets_in(&s).is_empty(), "{s}");
        assert!(!s.contains("Qq8!wEr5") && !s.contains("Zx4!qLm2"), "{s}");
    }

    #[test]
    fn names() {
        assert!(sensitive_name("DB_PASSWORD"));
        assert!(sensitive_name("self.api_key"));
        assert!(sensitive_name("clientSecret"));
        assert!(!sensitive_name("password_hint"));
        assert!(!sensitive_name("TOKEN_URL"));
        assert!(!sensitive_name("aws_access_key_id"));
        assert!(!sensitive_name("sessionID"));
        assert!(!sensitive_name("MYSQL_ALLOW_EMPTY_PASSWORD"));
        assert!(!sensitive_name("MYSQL_RANDOM_ROOT_PASSWORD"));
        assert!(!sensitive_name("USE_TOKEN"));
        assert!(sensitive_name("MYSQL_ROOT_PASSWORD"));
        assert!(sensitive_name("refresh_token"));
        assert!(is_placeholder("true") && is_placeholder("Yes"));
    }

    #[test]
    fn values() {
        assert!(looks_like_credential("s3cr3t-Pr0d-Passw0rd!"));
        assert!(!looks_like_credential("password"));
        assert!(!looks_like_credential("DB_PASSWORD"));
        assert!(!looks_like_credential("db.password"));
        assert!(!looks_like_credential("<your-client-secret>"));
        assert!(!looks_like_credential("changeme123"));
        assert!(!looks_like_credential("ACL.UpsertTokens"));
        assert!(!looks_like_credential("ACLTokenSnapshot"));
        assert!(looks_like_credential("hunter2-Prod"));
        // Text in another script, a regex backreference, counting sequences.
        assert!(!looks_like_credential("鉴权Token（可选）"));
        assert!(!looks_like_credential("keyword.$2"));
        assert!(!looks_like_credential("polar123456789"));
        assert!(!looks_like_credential("token_abc123"));
        assert!(!looks_like_credential("token_xyz789"));
    }

    #[test]
    fn values_that_are_not_live_secrets() {
        assert!(names_itself("OAUTH2_LEAKED_TOKEN", "oauth2_leaked_token"));
        assert!(names_itself("self.refresh_token", "refresh-token"));
        assert!(!names_itself("API_TOKEN", "tok_9f8a7b6c5d4e"));
        assert!(is_public_dsn(
            "https://3119a20edbb1d03021076301c21ea658@o4505046560538624.ingest.us.sentry.io/4510311296073728"
        ));
        assert!(!is_public_dsn(
            "https://3119a20edbb1d03021076301c21ea658:9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c@sentry.io/42"
        ));
        assert!(!is_public_dsn("https://ghp_abc@github.com/org/repo"));
        assert!(is_dev_default("saleor", "saleor", "db"));
        assert!(is_dev_default("app", "Zx9!qLm2", "localhost"));
        assert!(!is_dev_default("app", "Zx9!qLm2", "db.internal"));
        assert!(is_placeholder("password"));
        assert!(!is_placeholder("Zx9!qLm2"));
        assert!(is_placeholder("true"));
        assert!(is_placeholder("Yes"));
        assert!(!is_placeholder("yes-Zx9!qLm2"));
    }
}
