//! Redaction of everything sent to a model. The report itself never carries a secret in
//! full, but code excerpts and tool results are read from disk, so every string that
//! leaves the machine goes through [`Redactor::redact`] first.
//!
//! It knows every kind of secret the SECRET rule (`hardcoded-secret`) reports: known token
//! formats (AWS, GitHub, GitLab, Slack, Stripe, Google, Anthropic, OpenAI, npm, PyPI,
//! SendGrid), private-key blocks, passwords inside connection URLs, and values bound to
//! credential names (`password = "..."`, `API_TOKEN: ...`, `PASSWORD=...` in env files),
//! plus JWTs, `Authorization: Bearer` headers and any literal value the caller adds (the
//! API keys in the environment). It errs on the side of hiding too much.

use std::borrow::Cow;
use std::sync::OnceLock;

use pagerproof_core::redact::redact as shown;
use regex::{Captures, Regex};

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

struct Patterns {
    /// Whole match is the secret.
    tokens: Vec<Regex>,
    private_key: Regex,
    private_key_end: Regex,
    /// Group 2 is the password.
    dsn: Regex,
    /// Group `v` is the value.
    named_quoted: Regex,
    named_bare: Regex,
    bearer: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        tokens: [
            r"\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b",
            r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b",
            r"\bgithub_pat_[A-Za-z0-9_]{40,}",
            r"\bglpat-[A-Za-z0-9_-]{20,}",
            r"\bxox[baprs]-[A-Za-z0-9-]{10,}",
            r"\b(sk|rk)_(live|test)_[A-Za-z0-9]{16,}",
            r"\bAIza[0-9A-Za-z_-]{35}",
            r"\bsk-ant-[A-Za-z0-9_-]{20,}",
            r"\bsk-(proj-)?[A-Za-z0-9_-]{32,}",
            r"\bnpm_[A-Za-z0-9]{30,}",
            r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
            r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
        ]
        .iter()
        .map(|p| re(p))
        .collect(),
        private_key: re(r"-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----"),
        private_key_end: re(r"-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----"),
        dsn: re(r"(\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^:/@\s]+:)([^@/\s]{3,})(@)"),
        named_quoted: re(
            r#"(?i)(?P<k>[a-z0-9_.$-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth[_-]?key|signing[_-]?key|encryption[_-]?key|session[_-]?key|master[_-]?key|passphrase|dsn|conn(?:ection)?[_-]?str(?:ing)?)[a-z0-9_]*["']?\s*(?::=|=>|[:=])\s*(?:[a-z_]+\s*\(\s*)?)(?P<q>["'`])(?P<v>[^"'`\r\n]{4,})["'`]"#,
        ),
        named_bare: re(
            r"(?im)(?P<k>\b(?:export\s+)?[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|passphrase|dsn)[a-z0-9_.-]*\s*[:=]\s*)(?P<v>[^\s\x22'#(){}\[\]$<>]{6,})[ \t]*(?:#.*)?$",
        ),
        bearer: re(r"(?i)(\b(?:bearer|basic)\s+)([A-Za-z0-9._~+/=-]{12,})"),
    })
}

/// Private-key blocks: from the BEGIN marker through the END marker when it follows within
/// 16 KB, else through the run of base64, whitespace, quotes and `\n` escapes after it.
fn redact_private_keys(text: &str) -> String {
    let p = patterns();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(m) = p.private_key.find_at(text, pos) {
        out.push_str(&text[pos..m.start()]);
        let mut window_end = (m.end() + 16 * 1024).min(text.len());
        while !text.is_char_boundary(window_end) {
            window_end -= 1;
        }
        let end = match p.private_key_end.find(&text[m.end()..window_end]) {
            Some(e) => m.end() + e.end(),
            None => {
                m.end()
                    + text[m.end()..]
                        .find(|c: char| {
                            !(c.is_ascii_alphanumeric() || "+/=\"' \t\r\n\\,".contains(c))
                        })
                        .unwrap_or(text.len() - m.end())
            }
        };
        out.push_str("[private key redacted]");
        // Keep the line count, so line numbers after the block stay right.
        for _ in 0..text[m.end()..end].matches('\n').count() {
            out.push('\n');
        }
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Values that are clearly not secrets (so a placeholder is left readable).
fn placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    [
        "changeme",
        "change_me",
        "example",
        "placeholder",
        "your",
        "xxxx",
        "****",
        "redacted",
        "<",
        "${",
        "{{",
        "%s",
        "%v",
        "%(",
        "os.environ",
        "getenv",
        "process.env",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Redacts secrets from text. Cheap to clone; holds extra literal values to hide.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    literals: Vec<String>,
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Also hide this exact value wherever it appears (an API key, a token).
    pub fn add_literal(&mut self, v: &str) {
        if v.len() >= 6 && !self.literals.iter().any(|x| x == v) {
            self.literals.push(v.to_string());
        }
    }

    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let p = patterns();
        let mut out: Cow<'a, str> = Cow::Borrowed(text);
        for lit in &self.literals {
            if out.contains(lit.as_str()) {
                out = Cow::Owned(out.replace(lit.as_str(), &shown(lit)));
            }
        }
        let apply = |out: Cow<'a, str>, r: &Regex, f: &dyn Fn(&Captures<'_>) -> String| {
            if r.is_match(&out) {
                Cow::Owned(r.replace_all(&out, |c: &Captures<'_>| f(c)).into_owned())
            } else {
                out
            }
        };
        if p.private_key.is_match(&out) {
            out = Cow::Owned(redact_private_keys(&out));
        }
        for t in &p.tokens {
            out = apply(out, t, &|c| shown(&c[0]));
        }
        out = apply(out, &p.dsn, &|c| {
            format!("{}{}{}", &c[1], shown(&c[2]), &c[3])
        });
        out = apply(out, &p.named_quoted, &|c| {
            let v = &c["v"];
            if placeholder(v) || v.contains("redacted, ") {
                c[0].to_string()
            } else {
                format!("{}{}{}{}", &c["k"], &c["q"], shown(v), &c["q"])
            }
        });
        out = apply(out, &p.named_bare, &|c| {
            let v = &c["v"];
            let plain_value = v.chars().all(|ch| ch.is_ascii_digit())
                || ["true", "false", "null", "none", "yes", "no"]
                    .contains(&v.to_ascii_lowercase().as_str());
            if plain_value || placeholder(v) || v.contains("redacted,") {
                c[0].to_string()
            } else {
                format!("{}{}", &c["k"], shown(v))
            }
        });
        out = apply(out, &p.bearer, &|c| {
            let v = &c[2];
            // A credential has digits or is long; `Basic authentication` is prose.
            let credential = v.chars().any(|ch| ch.is_ascii_digit()) || v.len() >= 24;
            if !credential || placeholder(v) || v.contains("redacted") {
                c[0].to_string()
            } else {
                format!("{}{}", &c[1], shown(v))
            }
        });
        out
    }

    /// Redacts every string inside a JSON value, in place.
    pub fn redact_json(&self, v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let Cow::Owned(r) = self.redact(s) {
                    *s = r;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| self.redact_json(x)),
            serde_json::Value::Object(m) => m.values_mut().for_each(|x| self.redact_json(x)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::planted_secrets;

    #[test]
    fn every_token_format_is_hidden() {
        let r = Redactor::new();
        for (kind, s) in planted_secrets() {
            let text = format!("const k = \"{s}\";");
            let out = r.redact(&text);
            assert!(!out.contains(&s), "{kind} survived: {out}");
            // Only a short prefix and the length remain.
            assert!(out.contains("redacted"), "{kind}: {out}");
        }
    }

    #[test]
    fn private_key_dsn_and_named_values_are_hidden() {
        let r = Redactor::new();
        let key = "KEY = \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEAq8Zt3\\nXy9Lm2Np4Rs6Tu8Vw0\\n-----END RSA PRIVATE KEY-----\"\nnext_line()";
        let out = r.redact(key);
        assert!(!out.contains("MIIEpAIBAAKCAQEAq8Zt3"), "{out}");
        assert!(out.contains("next_line()"), "{out}");
        let dsn = r.redact(r#"URL = "postgres://admin:Zx9!qLm2#vT4@db.internal:5432/app""#);
        assert!(!dsn.contains("Zx9!qLm2#vT4"), "{dsn}");
        assert!(dsn.contains("postgres://admin:"), "{dsn}");
        for line in [
            r#"var cfg = Config{Password: "s3cr3t-Pr0d-Passw0rd!"}"#,
            r#"private static final String DB_PASSWORD = "Tr0ub4dor&3-prod";"#,
            r#"API_TOKEN = "tok_9f8e7d6c5b4a3f2e1d0c9b8a""#,
            "DB_PASSWORD=Tr0ub4dor3prod",
            "  client_secret: 9f8e7d6c5b4a3f2e1d0c",
            "Authorization: Bearer abcdef0123456789abcdef",
        ] {
            let out = r.redact(line);
            for secret in [
                "s3cr3t-Pr0d-Passw0rd!",
                "Tr0ub4dor&3-prod",
                "tok_9f8e7d6c5b4a3f2e1d0c9b8a",
                "Tr0ub4dor3prod",
                "9f8e7d6c5b4a3f2e1d0c",
                "abcdef0123456789abcdef",
            ] {
                assert!(!out.contains(secret), "{line} -> {out}");
            }
        }
    }

    #[test]
    fn a_pem_file_keeps_its_line_count() {
        let r = Redactor::new();
        let text = "a\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\nb\n";
        let out = r.redact(text);
        assert!(!out.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "{out}");
        assert!(!out.contains("BKcwggSjAgEAAoIBAQC7"), "{out}");
        assert_eq!(out.lines().count(), text.lines().count());
        assert_eq!(out.lines().last(), Some("b"));
    }

    #[test]
    fn placeholders_and_code_stay_readable() {
        let r = Redactor::new();
        for line in [
            r#"password = os.environ.get("DB_PASSWORD", "")"#,
            r#"client_secret = "<your-client-secret>""#,
            "resp, err := http.Get(url)",
            r#"TEMPLATE = "host=%s user=%s password=%s""#,
            "Use Basic authentication over TLS only.",
            "max_tokens: 4096",
            "  token_limit: 100000",
        ] {
            assert_eq!(r.redact(line), line);
        }
    }

    #[test]
    fn literals_and_json_strings() {
        let mut r = Redactor::new();
        r.add_literal("my-very-private-api-key-123");
        let mut v = serde_json::json!({"a": ["x my-very-private-api-key-123 y"], "b": 1});
        r.redact_json(&mut v);
        assert!(!v.to_string().contains("my-very-private-api-key-123"));
    }
}
