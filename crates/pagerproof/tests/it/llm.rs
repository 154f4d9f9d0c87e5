//! `review --llm` end to end, against the local model server of `pagerproof_llm::testing`.

use assert_cmd::Command;
use pagerproof_llm::testing::{MockServer, Reply};
use serde_json::Value;

const KEY: &str = "sk-ant-api03-CLI-TEST-KEY-0123456789abcdefghij";

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

fn cmd(cache: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("pagerproof").unwrap();
    for v in [
        "PAGERPROOF_LLM_PROVIDER",
        "PAGERPROOF_LLM_BASE_URL",
        "PAGERPROOF_LLM_MODEL",
        "ANTHROPIC_API_KEY",
        "OPENAI_API_KEY",
    ] {
        c.env_remove(v);
    }
    c.env("XDG_CACHE_HOME", cache).env("NO_COLOR", "1");
    c
}

#[test]
fn narrative_sits_beside_the_findings_in_terminal_and_json() {
    let root = repo();
    let cache = tempfile::tempdir().unwrap();
    let server = MockServer::start(vec![]).unwrap();
    let with = |c: &mut Command| {
        c.env("PAGERPROOF_LLM_PROVIDER", "anthropic")
            .env("PAGERPROOF_LLM_BASE_URL", server.url())
            .env("PAGERPROOF_LLM_MODEL", "anthropic/claude-sonnet-4-5")
            .env("ANTHROPIC_API_KEY", KEY);
    };
    // Terminal.
    let mut c = cmd(cache.path());
    with(&mut c);
    let out = c
        .args(["review", "--llm", "--fail-on", "P1"])
        .arg(root.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "--fail-on still decides: {stderr}"
    );
    let findings_at = stdout.find("app/client.py:5:").expect("finding printed");
    let narrative_at = stdout
        .find("## Narrative review (language model)")
        .expect("narrative printed");
    assert!(findings_at < narrative_at);
    assert!(stdout.contains("**[unverified: no finding with this fingerprint"));
    assert!(!stdout.contains(KEY) && !stderr.contains(KEY));
    assert_eq!(server.requests().len(), 1);

    // JSON: the same findings, and the narrative in its own field (from the cache now).
    let mut c = cmd(cache.path());
    with(&mut c);
    let out = c
        .args(["review", "--llm", "--format", "json"])
        .arg(root.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = &v["narrative"];
    assert_eq!(n["schema"], "pagerproof.narrative/1");
    assert_eq!(n["status"], "ok");
    assert_eq!(n["cached"], true);
    assert_eq!(n["unverified"], 2);
    assert_eq!(n["persona"]["name"], "staff");
    assert!(
        n["markdown"]
            .as_str()
            .unwrap()
            .contains("[F:ffffffffffffffff]")
    );
    assert_eq!(server.requests().len(), 1, "the cache answered");

    let plain = cmd(cache.path())
        .args(["review", "--format", "json"])
        .arg(root.path())
        .output()
        .unwrap();
    let p: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(
        p["findings"], v["findings"],
        "--llm never changes the findings"
    );
    assert!(p.get("narrative").is_none());
    assert!(!String::from_utf8_lossy(&out.stdout).contains(KEY));

    // Every report format but SARIF carries it, after the findings (from the cache).
    for (format, heading) in [
        ("prr", "## Narrative review (language model)"),
        ("sre", "## Narrative review (language model)"),
        ("staff", "## Narrative review (language model)"),
        ("markdown", "## Narrative review (language model)"),
        ("html", "<h2>Narrative review (language model)</h2>"),
    ] {
        let mut c = cmd(cache.path());
        with(&mut c);
        let out = c
            .args(["review", "--llm", "--format", format])
            .arg(root.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let narrative_at = text
            .find(heading)
            .unwrap_or_else(|| panic!("{format}: {text}"));
        let finding_at = text
            .find("client.py")
            .unwrap_or_else(|| panic!("{format}: no finding: {text}"));
        assert!(finding_at < narrative_at, "{format}");
        assert!(!text.contains(KEY), "{format}");
    }
    assert_eq!(
        server.requests().len(),
        1,
        "the cache answered every format"
    );
}

#[test]
fn without_llm_nothing_is_sent() {
    let root = repo();
    let cache = tempfile::tempdir().unwrap();
    let server = MockServer::start(vec![]).unwrap();
    cmd(cache.path())
        .env("PAGERPROOF_LLM_PROVIDER", "anthropic")
        .env("PAGERPROOF_LLM_BASE_URL", server.url())
        .env("ANTHROPIC_API_KEY", KEY)
        .arg("review")
        .arg(root.path())
        .assert()
        .success();
    assert!(server.requests().is_empty());
}

#[test]
fn a_failing_provider_leaves_the_report_and_the_exit_code_alone() {
    let root = repo();
    let cache = tempfile::tempdir().unwrap();
    let server = MockServer::start(vec![Reply::status(
        401,
        r#"{"error":{"message":"invalid x-api-key"}}"#,
    )])
    .unwrap();
    let out = cmd(cache.path())
        .env("PAGERPROOF_LLM_PROVIDER", "anthropic")
        .env("PAGERPROOF_LLM_BASE_URL", server.url())
        .env("PAGERPROOF_LLM_MODEL", "m")
        .env("ANTHROPIC_API_KEY", KEY)
        .args(["review", "--llm", "--fail-on", "P0"])
        .arg(root.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("app/client.py:5:"));
    assert!(stdout.contains("> Not available: HTTP 401"), "{stdout}");
    assert!(stderr.contains("narration failed: HTTP 401"), "{stderr}");
    assert!(!stderr.contains(KEY));
}

#[test]
fn missing_key_is_explained_without_any_request() {
    let root = repo();
    let cache = tempfile::tempdir().unwrap();
    let out = cmd(cache.path())
        .args(["review", "--llm", "--persona", "sre"])
        .arg(root.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ANTHROPIC_API_KEY is not set"), "{stderr}");
}

#[test]
fn persona_requires_llm() {
    let cache = tempfile::tempdir().unwrap();
    cmd(cache.path())
        .args(["review", "--persona", "sre", "."])
        .assert()
        .code(2);
}
