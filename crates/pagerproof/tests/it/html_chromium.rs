//! The HTML report rendered in headless Chromium: a screenshot that is not blank, and the
//! DOM after the page's script ran (every finding row present, filters wired). Skips with
//! a message when Chromium is not installed (`scripts/setup-test-deps` installs it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PAGERPROOF_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs headless Chromium with a fresh profile and no network-facing background work;
/// kills it after a minute. Returns stdout.
fn headless(bin: &Path, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    loop {
        match child.try_wait().expect("wait") {
            Some(_) => break,
            None if start.elapsed() > Duration::from_secs(90) => {
                let _ = child.kill();
                panic!("chromium did not finish in 90 s");
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    let out = child.wait_with_output().expect("output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn screenshot(bin: &Path, profile: &Path, url: &str, png: &Path) -> Vec<u8> {
    headless(
        bin,
        profile,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,1600".to_string(),
            "--virtual-time-budget=3000".to_string(),
            url.to_string(),
        ],
    );
    std::fs::read(png).unwrap_or_default()
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        eprintln!(
            "skipped: Chromium is not installed (scripts/setup-test-deps installs it; or set PAGERPROOF_CHROMIUM)"
        );
        return;
    };
    let repo = tempfile::tempdir().expect("tempdir");
    polyglot(repo.path());
    let out = tempfile::tempdir().expect("tempdir");
    let html = out.path().join("report.html");
    let (code, _, err) = run(&[
        "review",
        repo.path().to_str().unwrap(),
        "-f",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let report = review_json(repo.path(), &[]);
    let findings = report["findings"].as_array().unwrap().len();
    assert!(findings >= 4);
    let url = format!("file://{}", html.display());

    // The DOM after the script ran: every row, the filters, the ready mark.
    let profile = out.path().join("profile-dom");
    let dom = headless(
        &bin,
        &profile,
        &[
            "--virtual-time-budget=3000".to_string(),
            "--dump-dom".to_string(),
            url.clone(),
        ],
    );
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script did not run:\n{}",
        &dom[..dom.len().min(2000)]
    );
    assert_eq!(dom.matches("<tr class=\"finding\"").count(), findings);
    assert!(dom.contains("function applyFilters"));
    assert!(dom.contains("id=\"f-text\""));
    assert!(dom.contains("id=\"chart-components\"") && dom.contains("id=\"chart-sections\""));
    assert!(dom.contains(&format!("{findings} shown")));

    // A screenshot that is not blank: much larger than one of an empty page.
    let png = screenshot(
        &bin,
        &out.path().join("profile-a"),
        &url,
        &out.path().join("report.png"),
    );
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG ({} bytes)",
        png.len()
    );
    let blank_html = out.path().join("blank.html");
    std::fs::write(&blank_html, "<!doctype html><title>blank</title>").unwrap();
    let blank = screenshot(
        &bin,
        &out.path().join("profile-b"),
        &format!("file://{}", blank_html.display()),
        &out.path().join("blank.png"),
    );
    assert!(blank.starts_with(b"\x89PNG"), "blank screenshot failed");
    assert!(
        png.len() > 4 * blank.len(),
        "the screenshot looks blank: {} bytes against {} for an empty page",
        png.len(),
        blank.len()
    );
}
