//! Fault injection against a local server that speaks both APIs: rate limits with
//! `Retry-After`, server errors, slow answers, cut connections, malformed JSON, model
//! fallbacks, budgets, the cache, redaction of planted secrets and tool calls.

use std::path::Path;
use std::time::{Duration, Instant};

use pagerproof_analyze::fs::FsSource;
use pagerproof_core::Report;
use pagerproof_core::config::{LlmConfig, Settings};
use pagerproof_llm::client::{ApiKey, Policy};
use pagerproof_llm::testing::{MockServer, Reply, planted_python_module};
use pagerproof_llm::{LlmEnv, Narrative, Options, narrate};
use serde_json::json;

const KEY: &str = "sk-ant-api03-THIS-IS-THE-TEST-KEY-0123456789abcdef";

/// A small repository with a P1 (HTTP call without timeout) and whatever else the rules see.
fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("app")).unwrap();
    std::fs::write(
        d.path().join("app/client.py"),
        "import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n",
    )
    .unwrap();
    d
}

fn review(root: &Path) -> Report {
    let mut r = pagerproof_analyze::review(&FsSource::new(root), &Settings::default());
    r.root = root.to_string_lossy().into_owned();
    r
}

fn fast() -> Policy {
    Policy {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(800),
        max_retries: 3,
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(5),
    }
}

struct Setup {
    server: MockServer,
    cache: tempfile::TempDir,
}

impl Setup {
    fn new(script: Vec<Reply>) -> Setup {
        Setup {
            server: MockServer::start(script).unwrap(),
            cache: tempfile::tempdir().unwrap(),
        }
    }

    fn options(&self, provider: &str, model: Option<&str>) -> Options<'static> {
        let base = match provider {
            "openai" => format!("{}/v1", self.server.url()),
            _ => self.server.url(),
        };
        Options {
            config: LlmConfig {
                provider: Some(provider.into()),
                base_url: Some(base),
                model: model.map(str::to_string),
                ..LlmConfig::default()
            },
            config_from_repository: false,
            persona: None,
            env: LlmEnv {
                anthropic_key: ApiKey::new(KEY),
                xdg_cache_home: Some(self.cache.path().to_string_lossy().into_owned()),
                ..LlmEnv::default()
            },
            ask: None,
            policy: Some(fast()),
        }
    }
}

fn ok(n: &Narrative) {
    assert_eq!(n.status, "ok", "{:?} {:?}", n.error, n.attempts);
}

#[test]
fn anthropic_review_is_grounded_and_cached() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new(vec![]);
    let opts = s.options("anthropic", Some("anthropic/claude-sonnet-4-5"));
    let out = narrate(&report, root.path(), &opts);
    let n = &out.narrative;
    ok(n);
    let reqs = s.server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.path, "/v1/messages");
    assert_eq!(r.header("x-api-key"), Some(KEY));
    assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
    let body = r.json();
    // The provider prefix picks the provider and is not sent.
    assert_eq!(body["model"], "claude-sonnet-4-5");
    assert!(
        body["system"]
            .as_str()
            .unwrap()
            .contains("[F:0123456789abcdef]")
    );
    // The key is in the header only, never in the body.
    assert!(!r.body.contains(KEY));
    // The built-in staff persona offers its read-only tools.
    let tools: Vec<_> = body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tools, ["read_file", "search", "git_log"]);
    // Grounding: the real citation passes, the invented ones are marked.
    let f = &report.findings[0];
    assert!(
        n.claims
            .iter()
            .any(|c| c.verified && c.cited == format!("[F:{}:{}]", f.fingerprint, f.severity)),
        "{:#?}",
        n.claims
    );
    assert!(
        n.markdown
            .contains("[F:ffffffffffffffff] **[unverified: no finding"),
        "{}",
        n.markdown
    );
    assert!(
        n.markdown
            .contains("[src/made_up.go:12] **[unverified: no file"),
        "{}",
        n.markdown
    );
    assert_eq!(n.unverified, 2);
    assert!(
        n.markdown
            .starts_with("## Narrative review (language model)")
    );
    assert!(!n.cached);

    // Same inputs again: answered from the cache, no request.
    let again = narrate(&report, root.path(), &opts);
    ok(&again.narrative);
    assert!(again.narrative.cached);
    assert_eq!(again.narrative.text, n.text);
    assert_eq!(
        s.server.requests().len(),
        1,
        "a cached answer sends nothing"
    );
    // The cache lives under XDG_CACHE_HOME and holds no key.
    let dir = s.cache.path().join("pagerproof/llm");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(files.len(), 1);
    for f in files {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.contains(KEY));
    }
    assert!(!serde_json::to_string(n).unwrap().contains(KEY));
}

#[test]
fn openai_compatible_endpoint_without_key() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new(vec![]);
    let mut opts = s.options("openai", Some("llama3.1:8b"));
    opts.env.anthropic_key = None;
    let out = narrate(&report, root.path(), &opts);
    ok(&out.narrative);
    let r = &s.server.requests()[0];
    assert_eq!(r.path, "/v1/chat/completions");
    assert_eq!(r.header("authorization"), None);
    let body = r.json();
    assert_eq!(body["model"], "llama3.1:8b");
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["tools"][0]["type"], "function");
    assert_eq!(out.narrative.provider.as_deref(), Some("openai"));
    assert_eq!(out.narrative.unverified, 2);
}

#[test]
fn openai_key_is_sent_as_bearer() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new(vec![]);
    let mut opts = s.options("openai", Some("gpt-4o"));
    opts.env.openai_key = ApiKey::new("sk-proj-openai-test-key-abcdefghijklmnopqrstuvwxyz");
    ok(&narrate(&report, root.path(), &opts).narrative);
    let r = &s.server.requests()[0];
    assert_eq!(
        r.header("authorization"),
        Some("Bearer sk-proj-openai-test-key-abcdefghijklmnopqrstuvwxyz")
    );
}

#[test]
fn rate_limit_honours_retry_after() {
    let root = repo();
    let report = review(root.path());
    for provider in ["anthropic", "openai"] {
        let s = Setup::new(vec![Reply::with_retry_after(429, "1")]);
        let t0 = Instant::now();
        let out = narrate(&report, root.path(), &s.options(provider, Some("m1")));
        ok(&out.narrative);
        let reqs = s.server.requests();
        assert_eq!(reqs.len(), 2, "{provider}");
        let gap = reqs[1].at.duration_since(reqs[0].at);
        assert!(
            gap >= Duration::from_millis(1000),
            "{provider}: waited {gap:?}"
        );
        // Hang guards, not speed checks: the failure modes wait minutes.
        assert!(t0.elapsed() < Duration::from_secs(30));
        let a = &out.narrative.attempts;
        assert!(a[0].outcome.starts_with("HTTP 429"), "{a:?}");
        assert!(a[0].waited_ms.unwrap() >= 1000);
        assert_eq!(a[1].outcome, "ok");
    }
}

#[test]
fn server_errors_slow_answers_cuts_and_malformed_json_are_retried() {
    let root = repo();
    let report = review(root.path());
    for provider in ["anthropic", "openai"] {
        let s = Setup::new(vec![
            Reply::status(500, r#"{"error":{"message":"internal"}}"#),
            Reply::Slow(Duration::from_millis(2000), Box::new(Reply::Auto)),
            Reply::Cut,
        ]);
        let out = narrate(&report, root.path(), &s.options(provider, Some("m1")));
        ok(&out.narrative);
        let outcomes: Vec<&str> = out
            .narrative
            .attempts
            .iter()
            .map(|a| a.outcome.as_str())
            .collect();
        assert!(
            outcomes[0].starts_with("HTTP 500: internal"),
            "{outcomes:?}"
        );
        assert!(outcomes[1].contains("timed out"), "{outcomes:?}");
        assert!(
            outcomes[2].contains("connection") || outcomes[2].contains("HTTP"),
            "{outcomes:?}"
        );
        assert_eq!(outcomes[3], "ok", "{outcomes:?}");

        let s = Setup::new(vec![Reply::CutMidBody, Reply::malformed()]);
        let out = narrate(&report, root.path(), &s.options(provider, Some("m1")));
        ok(&out.narrative);
        let outcomes: Vec<&str> = out
            .narrative
            .attempts
            .iter()
            .map(|a| a.outcome.as_str())
            .collect();
        assert!(outcomes[0].contains("reading the answer"), "{outcomes:?}");
        assert!(outcomes[1].contains("malformed JSON"), "{outcomes:?}");
        assert_eq!(outcomes[2], "ok");
    }
}

#[test]
fn retries_are_bounded_then_the_fallback_model_answers() {
    let root = repo();
    let report = review(root.path());
    // Four 503s exhaust the primary (1 + 3 retries); the fallback answers.
    let s = Setup::new(vec![
        Reply::status(503, "{}"),
        Reply::status(503, "{}"),
        Reply::status(503, "{}"),
        Reply::status(503, "{}"),
    ]);
    let mut opts = s.options("anthropic", None);
    let persona = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        persona.path(),
        "---\nname: mine\nmodel: anthropic/primary-model\nfallbacks:\n  - anthropic/fallback-model\n  - openai/other-provider\n---\nReview it.\n",
    )
    .unwrap();
    opts.persona = Some(persona.path().to_string_lossy().into_owned());
    let out = narrate(&report, root.path(), &opts);
    ok(&out.narrative);
    let models: Vec<String> = s
        .server
        .requests()
        .iter()
        .map(|r| r.json()["model"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        models,
        [
            "primary-model",
            "primary-model",
            "primary-model",
            "primary-model",
            "fallback-model"
        ]
    );
    assert_eq!(out.narrative.model.as_deref(), Some("fallback-model"));
    assert!(
        out.narrative
            .warnings
            .iter()
            .any(|w| w.contains("openai/other-provider"))
    );
    // A persona without tools gets none.
    assert!(s.server.requests()[0].json().get("tools").is_none());

    // Re-run: the fallback's cached answer is used; the primary is not asked again.
    let again = narrate(&report, root.path(), &opts);
    assert!(again.narrative.cached);
    assert_eq!(s.server.requests().len(), 5);
}

#[test]
fn model_not_found_moves_to_the_fallback_without_retrying() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new(vec![Reply::status(
        404,
        r#"{"error":{"message":"model: nope not found"}}"#,
    )]);
    let mut opts = s.options("openai", None);
    let persona = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        persona.path(),
        "---\nmodel: nope\nfallbacks: [good]\n---\nReview it.\n",
    )
    .unwrap();
    opts.persona = Some(persona.path().to_string_lossy().into_owned());
    let out = narrate(&report, root.path(), &opts);
    ok(&out.narrative);
    assert_eq!(s.server.requests().len(), 2);
    assert!(out.narrative.attempts[0].outcome.contains("404"));
}

#[test]
fn bad_credentials_stop_at_once_with_a_clear_message() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new(vec![Reply::status(
        401,
        r#"{"error":{"message":"invalid x-api-key"}}"#,
    )]);
    let out = narrate(&report, root.path(), &s.options("anthropic", Some("m1")));
    let n = &out.narrative;
    assert_eq!(n.status, "failed");
    let e = n.error.as_deref().unwrap();
    assert!(
        e.contains("HTTP 401") && e.contains("ANTHROPIC_API_KEY"),
        "{e}"
    );
    assert!(!e.contains(KEY));
    assert_eq!(s.server.requests().len(), 1, "no retry on 401");
    assert!(n.markdown.contains("Not available"), "{}", n.markdown);
    assert!(out.notes.iter().any(|l| l.contains("narration failed")));
}

#[test]
fn exhausted_retries_fail_cleanly() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new((0..10).map(|_| Reply::status(502, "bad gateway")).collect());
    let out = narrate(&report, root.path(), &s.options("openai", Some("m1")));
    assert_eq!(out.narrative.status, "failed");
    assert_eq!(s.server.requests().len(), 4);
    assert!(out.narrative.error.as_deref().unwrap().contains("HTTP 502"));
}

#[test]
fn total_time_budget_is_enforced() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new(
        (0..10)
            .map(|_| {
                Reply::Slow(
                    Duration::from_millis(700),
                    Box::new(Reply::status(503, "{}")),
                )
            })
            .collect(),
    );
    let mut opts = s.options("anthropic", Some("m1"));
    opts.config.budget_seconds = Some(1);
    let mut p = fast();
    p.read_timeout = Duration::from_secs(5);
    p.backoff_base = Duration::from_millis(200);
    opts.policy = Some(p);
    let t0 = Instant::now();
    let out = narrate(&report, root.path(), &opts);
    assert_eq!(out.narrative.status, "failed");
    assert!(
        // Without the 1 s budget the 5 s read timeout would be reached.
        t0.elapsed() < Duration::from_millis(4500),
        "{:?}",
        t0.elapsed()
    );
}

#[test]
fn long_retry_after_moves_on_instead_of_waiting() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new(vec![Reply::with_retry_after(429, "3600")]);
    let mut opts = s.options("anthropic", None);
    let persona = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(persona.path(), "---\nmodel: a\nfallbacks: [b]\n---\nGo.\n").unwrap();
    opts.persona = Some(persona.path().to_string_lossy().into_owned());
    let t0 = Instant::now();
    let out = narrate(&report, root.path(), &opts);
    ok(&out.narrative);
    // Waiting would take an hour.
    assert!(t0.elapsed() < Duration::from_secs(30));
    assert_eq!(out.narrative.model.as_deref(), Some("b"));
}

#[test]
fn connection_refused_fails_fast() {
    let root = repo();
    let report = review(root.path());
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut opts = Setup::new(vec![]).options("openai", Some("m"));
    opts.config.base_url = Some(format!("http://127.0.0.1:{port}/v1"));
    let t0 = Instant::now();
    let out = narrate(&report, root.path(), &opts);
    assert_eq!(out.narrative.status, "failed");
    assert!(
        out.narrative
            .error
            .as_deref()
            .unwrap()
            .contains("connection refused")
    );
    // Four attempts through the 2 s connect timeout would take 8 s.
    assert!(t0.elapsed() < Duration::from_secs(6));
}

#[test]
fn token_budget_trims_the_least_severe_evidence_first() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("app")).unwrap();
    let mut src = String::from("import requests\n\n");
    for i in 0..60 {
        src.push_str(&format!("def f{i}(u):\n    return requests.get(u)\n\n"));
    }
    std::fs::write(d.path().join("app/client.py"), src).unwrap();
    let mut report = review(d.path());
    assert!(report.findings.len() >= 60);
    // Spread the severities so trimming order shows.
    for (i, f) in report.findings.iter_mut().enumerate() {
        f.severity = pagerproof_core::Severity::ALL[i % 4];
    }
    pagerproof_core::sort_findings(&mut report.findings);
    let s = Setup::new(vec![]);
    let mut opts = s.options("anthropic", Some("m"));
    opts.config.evidence_tokens = Some(3000);
    let out = narrate(&report, d.path(), &opts);
    ok(&out.narrative);
    let ev = &out.narrative.evidence;
    assert!(ev.findings_sent < ev.findings_total, "{ev:?}");
    assert!(ev.approx_tokens <= 3000, "{ev:?}");
    assert!(!ev.omitted.is_empty());
    // What was left out is the least severe.
    let worst_omitted = ev.omitted.keys().min().unwrap().clone();
    let body = s.server.requests()[0].body.clone();
    let sent_sevs: Vec<_> = report
        .findings
        .iter()
        .filter(|f| body.contains(&f.fingerprint))
        .map(|f| f.severity.as_str().to_string())
        .collect();
    assert!(
        sent_sevs.iter().all(|s| *s <= worst_omitted),
        "{sent_sevs:?} vs {worst_omitted}"
    );
    assert!(body.contains("were left out to fit the budget"));
    assert!(
        out.narrative
            .markdown
            .contains("trimmed to the token budget")
    );
}

#[test]
fn planted_secrets_never_leave_the_machine() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("app")).unwrap();
    let (src, values) = planted_python_module();
    std::fs::write(d.path().join("app/settings.py"), &src).unwrap();
    let mut values = values;
    let env_password = values[values.len() - 1].replace('&', "x");
    std::fs::write(
        d.path().join(".env"),
        format!("DB_PASSWORD={env_password}\n"),
    )
    .unwrap();
    values.push(env_password);
    let report = review(d.path());
    // The SECRET rule itself sees every planted kind (so the test plants real ones).
    let secret_lines: Vec<u32> = report
        .findings
        .iter()
        .filter(|f| f.category == "SECRET")
        .filter_map(|f| f.line)
        .collect();
    for (i, line) in src.lines().enumerate() {
        if line.starts_with("VALUE_")
            || line.starts_with("DATABASE_URL")
            || line.starts_with("DB_PASSWORD")
        {
            assert!(
                secret_lines.contains(&(i as u32 + 1)),
                "SECRET rule missed line {}: {line}",
                i + 1
            );
        }
    }
    // The model reads the file and searches for keys through its tools.
    let s = Setup::new(vec![
        Reply::ToolCall {
            name: "read_file".into(),
            input: json!({"path": "app/settings.py"}),
        },
        Reply::ToolCall {
            name: "search".into(),
            input: json!({"pattern": "AKIA|ghp_|sk-|PASSWORD|KEY"}),
        },
        Reply::ToolCall {
            name: "read_file".into(),
            input: json!({"path": ".env"}),
        },
    ]);
    let mut opts = s.options("anthropic", Some("m"));
    let key_in_repo = "sk-ant-api03-THIS-IS-THE-TEST-KEY-0123456789abcdef";
    std::fs::write(
        d.path().join("notes.txt"),
        format!("the key is {key_in_repo}\n"),
    )
    .unwrap();
    opts.env.openai_key = ApiKey::new("some-openai-key-value-987654321");
    let out = narrate(&report, d.path(), &opts);
    ok(&out.narrative);
    let reqs = s.server.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(out.narrative.tool_calls.len(), 3);
    assert!(
        out.narrative.tool_calls.iter().all(|t| t.outcome == "ok"),
        "{:?}",
        out.narrative.tool_calls
    );
    let narrative_json = serde_json::to_string(&out.narrative).unwrap();
    let cache_text: String = std::fs::read_dir(s.cache.path().join("pagerproof/llm"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    for r in &reqs {
        // The excerpts and tool results did carry the file.
        assert!(r.body.contains("settings.py"));
        for v in &values {
            assert!(!r.body.contains(v.as_str()), "secret {v} was sent");
        }
        assert!(!r.body.contains("some-openai-key-value-987654321"));
        assert!(!r.body.contains(KEY), "the API key was sent in a body");
    }
    for v in &values {
        assert!(!narrative_json.contains(v.as_str()));
        assert!(!cache_text.contains(v.as_str()));
    }
    // The last request carried the tool results (redacted).
    let last = reqs[3].body.clone();
    assert!(last.contains("tool_result"));
    assert!(last.contains("redacted"));
}

#[test]
fn tools_honour_permissions_and_stay_inside_the_root() {
    let root = repo();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("private.txt"), "outside data\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), root.path().join("escape")).unwrap();
    let report = review(root.path());
    let s = Setup::new(vec![
        Reply::ToolCall {
            name: "read_file".into(),
            input: json!({"path": "../etc/passwd"}),
        },
        Reply::ToolCall {
            name: "read_file".into(),
            input: json!({"path": "/etc/passwd"}),
        },
        Reply::ToolCall {
            name: "read_file".into(),
            input: json!({"path": "escape/private.txt"}),
        },
        Reply::ToolCall {
            name: "git_log".into(),
            input: json!({"path": "app"}),
        },
        Reply::ToolCall {
            name: "read_file".into(),
            input: json!({"path": "app/client.py", "start_line": 4, "end_line": 5}),
        },
    ]);
    let mut opts = s.options("openai", Some("m"));
    let persona = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        persona.path(),
        "---\nname: careful\npermission:\n  read: allow\n  bash:\n    \"*\": deny\n    \"git log *\": ask\n---\nReview.\n",
    )
    .unwrap();
    opts.persona = Some(persona.path().to_string_lossy().into_owned());
    let out = narrate(&report, root.path(), &opts);
    ok(&out.narrative);
    let log = &out.narrative.tool_calls;
    assert_eq!(log.len(), 5);
    assert!(
        log[0].outcome == "refused" && log[0].detail.contains(".."),
        "{log:?}"
    );
    assert!(
        log[1].outcome == "refused" && log[1].detail.contains("absolute"),
        "{log:?}"
    );
    #[cfg(unix)]
    assert!(
        log[2].outcome == "refused" && log[2].detail.contains("outside"),
        "{log:?}"
    );
    assert!(
        log[3].outcome == "refused" && log[3].detail.contains("not interactive"),
        "{log:?}"
    );
    assert_eq!(log[4].outcome, "ok");
    assert_eq!(log[4].detail, "lines 4-5 of 5");
    for r in s.server.requests() {
        assert!(!r.body.contains("outside data"));
    }
    assert!(out.narrative.markdown.contains("#### Tool calls"));
    assert!(
        out.narrative
            .markdown
            .contains("`git_log {\"path\":\"app\"}`: refused")
    );
}

#[test]
fn a_repository_config_cannot_redirect_the_api_key() {
    let root = repo();
    let report = review(root.path());
    let s = Setup::new(vec![]);
    let mut opts = s.options("anthropic", Some("m"));
    opts.config_from_repository = true;
    let out = narrate(&report, root.path(), &opts);
    ok(&out.narrative);
    assert_eq!(s.server.requests()[0].header("x-api-key"), None);
    assert!(
        out.narrative
            .warnings
            .iter()
            .any(|w| w.contains("ANTHROPIC_API_KEY is not sent"))
    );
    // Its persona must be a built-in or a file inside the repository.
    opts.config.persona = Some("/etc/hostname".into());
    let out = narrate(&report, root.path(), &opts);
    assert_eq!(out.narrative.status, "failed");
    assert!(out.narrative.error.as_deref().unwrap().contains("absolute"));
}

#[test]
fn tool_rounds_are_bounded() {
    let root = repo();
    let report = review(root.path());
    let call = || Reply::ToolCall {
        name: "search".into(),
        input: json!({"pattern": "requests"}),
    };
    let s = Setup::new((0..10).map(|_| call()).collect());
    let out = narrate(&report, root.path(), &s.options("anthropic", Some("m")));
    let reqs = s.server.requests();
    assert_eq!(reqs.len(), pagerproof_llm::MAX_TOOL_ROUNDS + 1);
    assert_eq!(
        out.narrative.tool_calls.len(),
        pagerproof_llm::MAX_TOOL_ROUNDS
    );
    assert!(
        reqs.last()
            .unwrap()
            .body
            .contains("That was the last round of tool calls")
    );
    assert!(!reqs[1].body.contains("That was the last round"));
}
