//! Helpers for CLI tests: fixture repositories written by the test, git history made in
//! the test, the binary under test, and JSON Schema validation (boon).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The workspace root (for `schema/`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// Writes files (path, content) under `root`.
pub fn write(root: &Path, files: &[(&str, &str)]) {
    for (p, c) in files {
        let path = root.join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, c).expect("write");
    }
}

/// A small polyglot repository: a Python API (declared a service in pagerproof.toml) and
/// a Go CLI, with one timeout gap each and one swallowed error each.
pub const API_PY: &str = "import requests


def fetch(url):
    return requests.get(url)


def fetch_ok(url):
    return requests.get(url, timeout=5)


def load():
    try:
        return open(\"x\").read()
    except Exception:
        pass
";

pub const WORKER_GO: &str = "package main

import \"net/http\"

func main() {
\tresp, err := http.Get(\"http://example.com/\")
\tif err != nil {
\t\treturn
\t}
\t_ = resp
}
";

pub fn polyglot(root: &Path) {
    write(
        root,
        &[
            ("api/app.py", API_PY),
            (
                "api/Dockerfile",
                "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"app.py\"]\n",
            ),
            ("api/requirements.txt", "requests==2.32.3\n"),
            ("worker/main.go", WORKER_GO),
            ("worker/go.mod", "module example.com/worker\n\ngo 1.22\n"),
            (
                "pagerproof.toml",
                "[[components]]\npath = \"api\"\nkind = \"service\"\n",
            ),
        ],
    );
}

/// Runs git in `dir` with a fixed identity, failing the test on error.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=pagerproof test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn has_git() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

/// `git init` and a first commit of everything in `dir`.
pub fn init_repo(dir: &Path) {
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "initial"]);
}

pub fn pagerproof() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pagerproof"))
}

/// Runs `pagerproof ARGS`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = pagerproof().args(args).output().expect("pagerproof runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `pagerproof review ROOT --format json ARGS` as JSON (exit code 0 or 1 accepted).
pub fn review_json(root: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["review", root.to_str().expect("utf-8 path"), "-f", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    serde_json::from_str(&out).expect("JSON report")
}

/// Validates an instance against a schema file of `schema/`; returns the error text.
pub fn validate(schema_file: &str, instance: &Value) -> Result<(), String> {
    let path = workspace().join("schema").join(schema_file);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file"))
        .expect("schema JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let url = format!("file://{}", path.display());
    compiler
        .add_resource(&url, schema)
        .map_err(|e| format!("{e:#}"))?;
    let idx = compiler
        .compile(&url, &mut schemas)
        .map_err(|e| format!("{e:#}"))?;
    schemas
        .validate(instance, idx)
        .map_err(|e| format!("{e:#}"))
}

/// Findings of a JSON report as (path, line, rule).
pub fn sites(report: &Value) -> Vec<(String, Option<u64>, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64(),
                f["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

pub fn site(path: &str, line: Option<u64>, rule: &str) -> (String, Option<u64>, String) {
    (path.to_string(), line, rule.to_string())
}
