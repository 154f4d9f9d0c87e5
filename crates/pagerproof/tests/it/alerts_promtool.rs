//! The Prometheus alert examples of `--format staff` pass `promtool check rules`. Skips
//! with a message when promtool is not installed (`scripts/setup-test-deps`).

use std::process::Command;

use crate::common::*;

#[test]
fn staff_alert_examples_are_valid_prometheus_rules() {
    if Command::new("promtool").arg("--version").output().is_err() {
        eprintln!("skipped: promtool is not installed (scripts/setup-test-deps installs it)");
        return;
    }
    let repo = tempfile::tempdir().expect("tempdir");
    polyglot(repo.path());
    // A job too, so both alert shapes are checked.
    write(
        repo.path(),
        &[(
            "pagerproof.toml",
            "[[components]]\npath = \"api\"\nkind = \"service\"\n[[components]]\npath = \"worker\"\nname = \"nightly-export\"\nkind = \"job\"\n",
        )],
    );
    let (code, staff, err) = run(&["review", repo.path().to_str().unwrap(), "-f", "staff"]);
    assert_eq!(code, 0, "{err}");
    let block = staff
        .split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("\n```").next())
        .expect("a yaml block of alert rules");
    assert!(block.contains("alert: ApiHighErrorRatio"), "{block}");
    assert!(
        block.contains("alert: NightlyExportNotSucceeding"),
        "{block}"
    );
    let file = repo.path().join("rules.yml");
    std::fs::write(&file, block).unwrap();
    let out = Command::new("promtool")
        .args(["check", "rules"])
        .arg(&file)
        .output()
        .expect("promtool runs");
    assert!(
        out.status.success(),
        "promtool: {}{}\n{block}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
