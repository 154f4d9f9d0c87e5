//! `docs/examples/scaffold/` holds what `pagerproof scaffold` writes for the example
//! repository: `examples/` at the workspace root when it exists, else the `shop` fixture
//! (`crates/pagerproof_scaffold/fixtures/shop.rs`). This test fails when they are stale.
//!
//! Regenerate with:
//!
//! ```text
//! UPDATE_SCAFFOLD_EXAMPLES=1 cargo test -p pagerproof --test scaffold_examples
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

include!("../../pagerproof_scaffold/fixtures/shop.rs");

const KINDS: &[(&str, &str)] = &[
    ("runbook", "runbook.md"),
    ("alerts", "alerts.yaml"),
    ("slo", "slo.yaml"),
    ("dashboard", "dashboard.json"),
    ("adr", "adr.md"),
    ("rfc", "rfc.md"),
    ("postmortem", "postmortem.md"),
    ("tech-eval", "tech-eval.md"),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The example repository, and a description of it for the README.
fn example_repo(tmp: &Path) -> (PathBuf, String) {
    let examples = workspace().join("examples");
    if examples.is_dir() {
        return (
            examples,
            "the example repository under `examples/`".to_string(),
        );
    }
    let root = tmp.join("shop");
    for (path, text) in SHOP {
        let p = root.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
    }
    (
        root,
        "the `shop` fixture (`crates/pagerproof_scaffold/fixtures/shop.rs`: a Go HTTP service with \
Prometheus metrics, a Python gRPC service without, Kubernetes manifests, skaffold, CODEOWNERS), \
because `examples/` does not exist yet"
            .to_string(),
    )
}

#[test]
fn committed_scaffold_examples_are_up_to_date() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (repo, described) = example_repo(tmp.path());
    let out_dir = workspace().join("docs/examples/scaffold");
    let update = std::env::var_os("UPDATE_SCAFFOLD_EXAMPLES").is_some();
    let mut stale = Vec::new();
    let mut readme = format!(
        "# Scaffold examples\n\nWhat `pagerproof scaffold KIND` writes for {described}. Generated; do not \
edit. Regenerate with:\n\n```sh\nUPDATE_SCAFFOLD_EXAMPLES=1 cargo test -p pagerproof --test scaffold_examples\n```\n\n\
| Kind | File |\n|---|---|\n"
    );
    for (kind, file) in KINDS {
        readme.push_str(&format!("| `{kind}` | [{file}]({file}) |\n"));
    }
    let mut expected: Vec<(String, String)> = vec![("README.md".to_string(), readme)];
    for (kind, file) in KINDS {
        let out = Command::cargo_bin("pagerproof")
            .expect("binary")
            .args(["scaffold", kind])
            .arg(&repo)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "scaffold {kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        expected.push((
            file.to_string(),
            String::from_utf8(out.stdout).expect("utf-8"),
        ));
    }
    for (file, text) in &expected {
        let path = out_dir.join(file);
        if update {
            std::fs::create_dir_all(&out_dir).expect("mkdir");
            std::fs::write(&path, text).expect("write");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "docs/examples/scaffold is out of date ({}); regenerate with \
UPDATE_SCAFFOLD_EXAMPLES=1 cargo test -p pagerproof --test scaffold_examples",
        stale.join(", ")
    );
}
