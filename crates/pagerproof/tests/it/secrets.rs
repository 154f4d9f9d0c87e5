//! Planted secrets of every kind the SECRET rule knows never appear in full in any output:
//! every `pagerproof_report::Format` (iterated through `Format::NAMES`, so formats added
//! later are covered without touching this test), with and without colour and excerpts,
//! the command's stdout, stderr and `-o` file, and error messages.

use std::path::Path;
use std::process::Command;

use pagerproof_analyze::fs::FsSource;
use pagerproof_core::config::Settings;
use pagerproof_report::{Format, Options};

/// A planted credential: what kind, the whole value as written, and the part of it that
/// must never be shown (the value minus any fixed, public prefix).
struct Planted {
    kind: &'static str,
    value: String,
    body: String,
    /// Expected as a hardcoded-secret finding (in production code).
    detected: bool,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, alphabet: &str, n: usize) -> String {
        let a: Vec<char> = alphabet.chars().collect();
        (0..n)
            .map(|_| a[(self.next() % a.len() as u64) as usize])
            .collect()
    }
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_NUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A random string that no placeholder filter would take for a dummy value.
fn fresh(r: &mut Rng, alphabet: &str, n: usize) -> String {
    loop {
        let s = r.pick(alphabet, n);
        let lower = s.to_ascii_lowercase();
        if !pagerproof_analyze::rules::secret::is_placeholder(&s)
            && !["test", "fake", "mock", "demo"]
                .iter()
                .any(|w| lower.contains(w))
        {
            return s;
        }
    }
}

fn planted() -> Vec<Planted> {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut v = Vec::new();
    let mut add = |kind, prefix: &str, body: String, suffix: &str, detected| {
        v.push(Planted {
            kind,
            value: format!("{prefix}{body}{suffix}"),
            body,
            detected,
        });
    };
    add(
        "AWS access key",
        "AKIA",
        fresh(&mut r, UPPER_NUM, 16),
        "",
        true,
    );
    add("GitHub token", "ghp_", fresh(&mut r, ALNUM, 36), "", true);
    add(
        "GitHub fine-grained token",
        "github_pat_",
        fresh(&mut r, ALNUM, 70),
        "",
        true,
    );
    add("GitLab token", "glpat-", fresh(&mut r, ALNUM, 20), "", true);
    add(
        "Slack token",
        "xoxb-",
        format!(
            "{}-{}-{}",
            r.pick("123456789", 11),
            r.pick("123456789", 12),
            fresh(&mut r, ALNUM, 24)
        ),
        "",
        true,
    );
    add(
        "Stripe live key",
        "sk_live_",
        fresh(&mut r, ALNUM, 24),
        "",
        true,
    );
    add("Google API key", "AIza", fresh(&mut r, ALNUM, 35), "", true);
    add(
        "OpenAI API key",
        "sk-proj-",
        fresh(&mut r, ALNUM, 48),
        "",
        true,
    );
    add(
        "Anthropic API key",
        "sk-ant-api03-",
        fresh(&mut r, ALNUM, 40),
        "",
        true,
    );
    add("npm token", "npm_", fresh(&mut r, ALNUM, 36), "", true);
    add(
        "PyPI token",
        "pypi-AgEIcHlwaS5vcmc",
        fresh(&mut r, URLSAFE, 60),
        "",
        true,
    );
    add(
        "SendGrid API key",
        "SG.",
        format!("{}.{}", fresh(&mut r, ALNUM, 22), fresh(&mut r, ALNUM, 43)),
        "",
        true,
    );
    add(
        "DSN password",
        "",
        format!("{}!{}", fresh(&mut r, ALNUM, 9), fresh(&mut r, ALNUM, 8)),
        "",
        true,
    );
    add(
        "name-bound password",
        "",
        format!("{}#{}", fresh(&mut r, ALNUM, 11), fresh(&mut r, ALNUM, 9)),
        "",
        true,
    );
    add(
        "name-bound token (Java setter)",
        "",
        format!("{}${}", fresh(&mut r, ALNUM, 12), fresh(&mut r, ALNUM, 10)),
        "",
        true,
    );
    let body: Vec<String> = (0..12).map(|_| fresh(&mut r, B64, 64)).collect();
    add("private key block", "", body.join("\n"), "", true);
    // Only in non-code files and test code (found by known format there, or not at all):
    add(
        "AWS key in .env",
        "AKIA",
        fresh(&mut r, UPPER_NUM, 16),
        "",
        false,
    );
    add(
        "password in a Kubernetes manifest",
        "",
        format!("{}%{}", fresh(&mut r, ALNUM, 10), fresh(&mut r, ALNUM, 10)),
        "",
        false,
    );
    add(
        "Stripe key in a test",
        "sk_live_",
        fresh(&mut r, ALNUM, 24),
        "",
        false,
    );
    v
}

fn find<'a>(p: &'a [Planted], kind: &str) -> &'a Planted {
    p.iter().find(|x| x.kind == kind).unwrap()
}

/// Writes the repository and returns (path, value) of each detectable secret's line.
fn write_repo(root: &Path, p: &[Planted]) {
    let w = |rel: &str, text: String| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let v = |k: &str| find(p, k).value.clone();
    w(
        "svc/app/settings.py",
        format!(
            "import requests\nAWS_ACCESS_KEY_ID = \"{}\"\nrequests.get(URL)\nGH = \"{}\"\nGH2 = \"{}\"\nDATABASE_URL = \"postgres://svc:{}@db.internal:5432/app\"\nDB_PASSWORD = \"{}\"\nrequests.post(URL)\nKEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\"\"\"\nrequests.get(URL2)\n",
            v("AWS access key"),
            v("GitHub token"),
            v("GitHub fine-grained token"),
            v("DSN password"),
            v("name-bound password"),
            v("private key block"),
        ),
    );
    w(
        "svc/api/main.go",
        format!(
            "package main\n\nimport \"net/http\"\n\nconst slackToken = \"{}\"\nconst stripeKey = \"{}\"\n\nfunc f() {{\n\thttp.Get(\"http://x\")\n\t_ = \"{}\"\n}}\n",
            v("Slack token"),
            v("Stripe live key"),
            v("Google API key"),
        ),
    );
    w(
        "web/src/config.js",
        format!(
            "const openai = '{}';\nfetch(url);\nconst anthropic = \"{}\";\nmodule.exports = {{ openai, anthropic }};\n",
            v("OpenAI API key"),
            v("Anthropic API key"),
        ),
    );
    w(
        "web/src/keys.ts",
        format!(
            "export const npm = \"{}\";\nexport const pypi = \"{}\";\nexport const sendgrid = `{}`;\n",
            v("npm token"),
            v("PyPI token"),
            v("SendGrid API key"),
        ),
    );
    w(
        "java/src/main/java/a/Keys.java",
        format!(
            "package a;\nclass Keys {{\n    static final String GITLAB = \"{}\";\n    void f(Client c) {{\n        c.setToken(\"{}\");\n    }}\n}}\n",
            v("GitLab token"),
            v("name-bound token (Java setter)"),
        ),
    );
    w(
        ".env",
        format!("AWS_ACCESS_KEY_ID={}\n", v("AWS key in .env")),
    );
    w(
        "deploy/k8s.yaml",
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n          env:\n            - name: DB_PASSWORD\n              value: \"{}\"\n",
            v("password in a Kubernetes manifest")
        ),
    );
    w(
        "svc/tests/test_pay.py",
        format!(
            "import requests\nKEY = \"{}\"\nrequests.get(u)\n",
            v("Stripe key in a test")
        ),
    );
    w(
        "svc/Dockerfile",
        "FROM python:3.12\nCMD [\"python\", \"app\"]\n".to_string(),
    );
}

/// Undoes the escaping a format may apply (JSON, HTML, SARIF), so a secret cannot hide
/// from the check behind `&#x2f;` or `\u002b`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '\\' && i + 1 < b.len() {
            if b[i + 1] == 'u' && i + 5 < b.len() {
                let hex: String = b[i + 2..i + 6].iter().collect();
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                    i += 6;
                    continue;
                }
            }
            if matches!(b[i + 1], '/' | '"' | '\\') {
                out.push(b[i + 1]);
                i += 2;
                continue;
            }
            if b[i + 1] == 'n' {
                out.push('\n');
                i += 2;
                continue;
            }
        }
        if b[i] == '&'
            && let Some(end) = b[i..].iter().take(10).position(|&c| c == ';')
        {
            let ent: String = b[i + 1..i + end].iter().collect();
            let c = match ent.as_str() {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            if let Some(c) = c {
                out.push(c);
                i += end + 1;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// No 12-character window of any secret's body appears in `text`.
fn assert_no_secret(what: &str, text: &str, planted: &[Planted]) {
    let text = unescape(text);
    let known = pagerproof_analyze::rules::secret::known_secrets_in(&text);
    assert!(known.is_empty(), "{what}: {known:?}");
    for p in planted {
        assert!(!text.contains(&p.value), "{what}: {} in full", p.kind);
        for line in p.body.lines() {
            let chars: Vec<char> = line.chars().collect();
            for w in chars.windows(12) {
                let w: String = w.iter().collect();
                assert!(
                    !text.contains(&w),
                    "{what}: part of the {} (`{w}`) is shown",
                    p.kind
                );
            }
        }
    }
}

fn formats() -> Vec<(&'static str, Format)> {
    let mut v: Vec<(&'static str, Format)> = Format::NAMES
        .iter()
        .filter_map(|n| Format::parse(n).map(|f| (*n, f)))
        .collect();
    v.dedup_by(|a, b| a.1 == b.1);
    assert!(v.len() == Format::NAMES.len(), "every format name parses");
    v
}

#[test]
fn every_format_redacts_every_kind_of_secret() {
    let planted = planted();
    let dir = tempfile::tempdir().unwrap();
    write_repo(dir.path(), &planted);
    let report = pagerproof_analyze::review(&FsSource::new(dir.path()), &Settings::default());

    // The test is not vacuous: each secret in production code is found where planted.
    for p in planted.iter().filter(|p| p.detected) {
        let first = p.value.lines().next().unwrap();
        let found = report.findings.iter().any(|f| {
            f.rule == "hardcoded-secret"
                && std::fs::read_to_string(dir.path().join(&f.path))
                    .ok()
                    .and_then(|t| {
                        t.lines()
                            .nth(f.line.unwrap_or(1) as usize - 1)
                            .map(str::to_string)
                    })
                    .is_some_and(|l| {
                        l.contains(first)
                            || (p.kind == "private key block" && l.contains("BEGIN RSA"))
                    })
        });
        assert!(found, "{} was not reported", p.kind);
    }
    // And other rules' excerpts show the secret lines as context.
    assert!(report.findings.iter().any(|f| {
        f.rule == "http-client-without-timeout"
            && f.snippet
                .as_ref()
                .is_some_and(|s| s.text.contains("AWS_ACCESS_KEY_ID"))
    }));

    for (name, f) in formats() {
        for color in [false, true] {
            for excerpts in [true, false] {
                let text = pagerproof_report::render(
                    &report,
                    f,
                    &Options {
                        color,
                        excerpts,
                        ..Default::default()
                    },
                );
                assert!(!text.is_empty(), "{name}");
                assert_no_secret(
                    &format!("{name} color={color} excerpts={excerpts}"),
                    &text,
                    &planted,
                );
            }
        }
    }
    // The report model itself, as a library caller would serialise it.
    assert_no_secret(
        "Report as JSON",
        &serde_json::to_string(&report).unwrap(),
        &planted,
    );
}

#[test]
fn the_command_never_prints_a_secret_on_stdout_stderr_or_to_a_file() {
    let planted = planted();
    let dir = tempfile::tempdir().unwrap();
    write_repo(dir.path(), &planted);
    let out_dir = tempfile::tempdir().unwrap();
    for (name, _) in formats() {
        let o = Command::new(env!("CARGO_BIN_EXE_pagerproof"))
            .args(["review", "--format", name, "--fail-on", "P0"])
            .arg(dir.path())
            .env("RUST_LOG", "trace")
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{name}: findings at P0 exist");
        assert_no_secret(
            &format!("{name} stdout"),
            &String::from_utf8_lossy(&o.stdout),
            &planted,
        );
        assert_no_secret(
            &format!("{name} stderr"),
            &String::from_utf8_lossy(&o.stderr),
            &planted,
        );
        let file = out_dir.path().join(format!("report.{name}"));
        let o = Command::new(env!("CARGO_BIN_EXE_pagerproof"))
            .args(["review", "--format", name, "-o"])
            .arg(&file)
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}");
        let text = std::fs::read_to_string(&file).unwrap();
        assert_no_secret(&format!("{name} -o file"), &text, &planted);
        assert_no_secret(
            &format!("{name} -o stderr"),
            &String::from_utf8_lossy(&o.stderr),
            &planted,
        );
    }
}

#[test]
fn a_malformed_config_holding_a_secret_is_not_echoed() {
    let planted = planted();
    let dir = tempfile::tempdir().unwrap();
    write_repo(dir.path(), &planted);
    let cfg = format!(
        "[llm]\napi_key = \"{}\"\ntoken = \"{}\"\n[rules]\ndisable = [\"{}\" \"{}\"]\n",
        find(&planted, "Anthropic API key").value,
        find(&planted, "name-bound password").value,
        find(&planted, "GitHub token").value,
        find(&planted, "DSN password").value,
    );
    let elsewhere = tempfile::tempdir().unwrap();
    for (case, place) in [("repository config", true), ("--config", false)] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pagerproof"));
        cmd.arg("review");
        if place {
            std::fs::write(dir.path().join("pagerproof.toml"), &cfg).unwrap();
        } else {
            let _ = std::fs::remove_file(dir.path().join("pagerproof.toml"));
            let p = elsewhere.path().join("pagerproof.toml");
            std::fs::write(&p, &cfg).unwrap();
            cmd.arg("--config").arg(&p);
        }
        let o = cmd.arg(dir.path()).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{case}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("pagerproof: error:"), "{case}: {err}");
        assert_no_secret(case, &err, &planted);
        assert_no_secret(case, &String::from_utf8_lossy(&o.stdout), &planted);
    }
}
