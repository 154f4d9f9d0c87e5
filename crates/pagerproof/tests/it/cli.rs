//! End-to-end tests of the `pagerproof` command over small repositories written here.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("pagerproof").unwrap();
    c.env_remove("NO_COLOR");
    c
}

/// A small service with one P1 timeout gap and one P2 swallowed error.
fn service(root: &Path) {
    write(
        root,
        "api/app.py",
        "import requests\n\n\ndef fetch(url):\n    try:\n        return requests.get(url)\n    except Exception:\n        pass\n",
    );
    write(root, "api/requirements.txt", "requests==2.32.3\n");
    write(
        root,
        "api/Dockerfile",
        "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]\n",
    );
}

fn json_review(root: &Path, extra: &[&str]) -> serde_json::Value {
    let out = bin()
        .arg("review")
        .arg(root)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn terminal_report_points_at_path_line_column_without_color_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    service(dir.path());
    let out = bin().arg("review").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("api/app.py:6:16 TIMEOUT"), "{text}");
    assert!(text.contains("`requests.get` has no timeout"), "{text}");
    assert!(text.contains("api/app.py:7:5 SWALLOW"), "{text}");
    // Code excerpt with the flagged line marked.
    assert!(
        text.contains(">         return requests.get(url)"),
        "{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn json_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    service(dir.path());
    let v = json_review(dir.path(), &[]);
    assert_eq!(v["schema_version"], "1");
    assert_eq!(v["tool"]["name"], "pagerproof");
    assert!(
        [
            "Production-ready",
            "Production-ready with fixes",
            "Not production-ready"
        ]
        .contains(&v["verdict"].as_str().unwrap())
    );
    let score = v["score"].as_f64().unwrap();
    assert!((0.0..=10.0).contains(&score));
    let f = v["findings"].as_array().unwrap();
    let timeout = f
        .iter()
        .find(|f| f["category"] == "TIMEOUT")
        .expect("a TIMEOUT finding");
    assert_eq!(timeout["path"], "api/app.py");
    assert_eq!(timeout["line"], 6);
    assert_eq!(timeout["column"], 16);
    assert_eq!(timeout["component"], "api");
    assert_eq!(timeout["severity"], "P1");
    assert_eq!(timeout["rule"], "http-client-without-timeout");
    for k in [
        "fingerprint",
        "confidence",
        "subject",
        "message",
        "scenario",
        "impact",
        "detection",
        "mitigation",
        "monitoring",
    ] {
        assert!(
            timeout[k].as_str().is_some_and(|s| !s.is_empty()),
            "missing {k}"
        );
    }
    // Sorted by severity, then path, then line.
    let sev: Vec<&str> = f.iter().map(|x| x["severity"].as_str().unwrap()).collect();
    let mut sorted = sev.clone();
    sorted.sort();
    assert_eq!(sev, sorted);
    assert_eq!(v["components"][0]["path"], "api");
}

#[test]
fn output_is_deterministic_across_runs_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    service(dir.path());
    for i in 0..20 {
        write(
            dir.path(),
            &format!("svc{i}/main.go"),
            "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.Get(\"http://x\")\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
        );
    }
    let mut a = json_review(dir.path(), &["-j", "1"]);
    let mut b = json_review(dir.path(), &["-j", "4"]);
    a["stats"]["elapsed_ms"] = 0.into();
    b["stats"]["elapsed_ms"] = 0.into();
    assert_eq!(a, b);
}

#[test]
fn fail_on_gates_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    service(dir.path());
    bin().arg("review").arg(dir.path()).assert().code(0);
    bin()
        .arg("review")
        .arg(dir.path())
        .args(["--fail-on", "P1"])
        .assert()
        .code(1);
    bin()
        .arg("review")
        .arg(dir.path())
        .args(["--fail-on", "P0"])
        .assert()
        .code(0);
}

#[test]
fn usage_errors_exit_2_with_a_message_that_says_what_to_do() {
    bin()
        .args(["review", "/no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such directory"));
    let dir = tempfile::tempdir().unwrap();
    bin()
        .arg("review")
        .arg(dir.path())
        .args(["--format", "pdf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected one of"));
    bin()
        .arg("review")
        .arg(dir.path())
        .args(["--fail-on", "P9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected P0"));
    write(dir.path(), "pagerproof.toml", "[review]\nexclud = []\n");
    bin()
        .arg("review")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exclud"));
}

#[test]
fn paths_are_relative_to_the_root_given_not_an_enclosing_repository() {
    // The service sits under `tests/` of an enclosing git repository: reviewed as the
    // root, it is production code, and paths are relative to it.
    let outer = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outer.path().join(".git")).unwrap();
    write(outer.path(), ".gitignore", "tests/\n");
    let root = outer.path().join("tests/fixtures/svc");
    service(&root);
    let v = json_review(&root, &[]);
    let f = v["findings"].as_array().unwrap();
    assert!(
        f.iter()
            .any(|x| x["path"] == "api/app.py" && x["context"] == "production"),
        "{v}"
    );
}

#[test]
fn unreadable_and_binary_files_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    service(dir.path());
    std::fs::write(dir.path().join("api/blob.py"), b"\x00\x01\x02binary").unwrap();
    write(
        dir.path(),
        "web/app.min.js",
        &format!("var a={};", "x".repeat(50_000)),
    );
    let v = json_review(dir.path(), &[]);
    let skipped = v["skipped"].as_array().unwrap();
    let reason = |p: &str| {
        skipped
            .iter()
            .find(|s| s["path"] == p)
            .map(|s| s["reason"].as_str().unwrap().to_string())
    };
    assert_eq!(reason("api/blob.py").as_deref(), Some("binary file"));
    assert_eq!(reason("web/app.min.js").as_deref(), Some("minified"));
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "api/app.py")
    );
}

#[test]
fn explain_and_rules() {
    bin()
        .args(["explain", "http-client-without-timeout"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Scenario").and(predicate::str::contains("```python")));
    bin()
        .args(["explain", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pagerproof rules"));
    bin().arg("rules").assert().success().stdout(
        predicate::str::contains("http-client-without-timeout")
            .and(predicate::str::contains("TIMEOUT")),
    );
}

#[test]
fn secrets_are_never_printed_in_full() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "svc/settings.py",
        "AWS_KEY = \"AKIAQ7RZ3EXAMPLE5XWF\"\nDB_PASSWORD = \"Zx9!qLm2#vT4-prod\"\n",
    );
    for fmt in ["terminal", "json"] {
        let out = bin()
            .arg("review")
            .arg(dir.path())
            .args(["--format", fmt])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("SECRET"), "{text}");
        assert!(
            !text.contains("AKIAQ7RZ3EXAMPLE5XWF"),
            "{fmt} leaked the key"
        );
        assert!(
            !text.contains("Zx9!qLm2#vT4-prod"),
            "{fmt} leaked the password"
        );
    }
}
