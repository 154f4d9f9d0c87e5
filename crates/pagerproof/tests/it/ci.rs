//! End-to-end tests of the report formats and CI features of `pagerproof` over fixture
//! repositories written here: every format, the JSON and SARIF schemas, the `--fail-on` gate, configuration keys,
//! inline suppressions, the baseline and `--diff` (with git history made in the test).

use crate::common::*;
use serde_json::Value;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

fn root_str(d: &tempfile::TempDir) -> &str {
    d.path().to_str().expect("utf-8 temp path")
}

#[test]
fn json_follows_the_contract_schema() {
    let d = tmp();
    polyglot(d.path());
    let r = review_json(d.path(), &[]);
    validate("report.schema.json", &r).unwrap_or_else(|e| panic!("{e}"));
    let s = sites(&r);
    assert!(
        s.contains(&site("api/app.py", Some(5), "http-client-without-timeout")),
        "{s:?}"
    );
    assert!(
        s.contains(&site(
            "worker/main.go",
            Some(6),
            "http-client-without-timeout"
        )),
        "{s:?}"
    );
    assert!(
        !s.iter().any(|(p, l, _)| p == "api/app.py" && *l == Some(9)),
        "{s:?}"
    );
    // The component override made `api` a service: its missing health endpoint is a
    // component finding (line null, path the component).
    assert!(
        s.contains(&site("api", None, "service-without-health-endpoint")),
        "{s:?}"
    );
    assert_eq!(r["sections"].as_array().map(|a| a.len()), Some(10));
    // Sorted by severity, then path, then line.
    let keys: Vec<(String, String, u64)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn json_is_byte_identical_across_runs_but_for_elapsed_time() {
    let d = tmp();
    polyglot(d.path());
    let strip = |mut v: Value| {
        v["stats"]["elapsed_ms"] = Value::from(0);
        serde_json::to_string(&v).unwrap()
    };
    let a = strip(review_json(d.path(), &["-j", "1"]));
    let b = strip(review_json(d.path(), &["-j", "2"]));
    assert_eq!(a, b);
}

#[test]
fn sarif_validates_against_the_official_schema_and_github_needs() {
    let d = tmp();
    polyglot(d.path());
    let (code, out, err) = run(&["review", root_str(&d), "-f", "sarif"]);
    assert_eq!(code, 0, "{err}");
    let sarif: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    validate("sarif-schema-2.1.0.json", &sarif).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    // GitHub requires these on every rule.
    for r in rules {
        assert!(r["id"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                r[key]["text"].as_str().is_some_and(|s| !s.is_empty()),
                "rule {} has no {key}.text",
                r["id"]
            );
        }
    }
    let results = run0["results"].as_array().expect("results");
    let timeout = results
        .iter()
        .find(|r| {
            r["ruleId"] == "http-client-without-timeout"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "api/app.py"
        })
        .expect("the Python timeout result");
    assert_eq!(timeout["level"], "error");
    let region = &timeout["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 5);
    assert_eq!(region["startColumn"], 12);
    assert!(
        region["snippet"]["text"]
            .as_str()
            .unwrap()
            .contains("requests.get(url)")
    );
    assert!(timeout["partialFingerprints"]["primaryLocationLineHash"].is_string());
    let idx = timeout["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "http-client-without-timeout");
    assert!(
        rules[idx]["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("```python")
    );
    // A component finding is located at the component's marker file, with no region.
    let health = results
        .iter()
        .find(|r| r["ruleId"] == "service-without-health-endpoint")
        .expect("component result");
    let loc = &health["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "api/Dockerfile");
    assert!(loc.get("region").is_none());
}

#[test]
fn every_format_renders_its_shape() {
    let d = tmp();
    polyglot(d.path());
    let render = |f: &str| {
        let (code, out, err) = run(&["review", root_str(&d), "-f", f]);
        assert_eq!(code, 0, "{f}: {err}");
        out
    };
    let prr = render("prr");
    assert!(prr.contains("## P0 and P1 gaps"));
    assert!(prr.contains("**What is missing or unsafe**"));
    assert!(prr.contains("**Operational risk:**"));
    assert!(prr.contains("**Concrete fix:**"));
    assert!(prr.contains("**Severity:** P1"));
    assert!(prr.contains("`api/app.py:5`"));
    for n in 1..=10 {
        assert!(prr.contains(&format!("\n| {n} | ")), "section {n} missing");
    }
    let verdict = prr
        .split("## Final Verdict")
        .nth(1)
        .expect("final verdict last");
    let phrases = [
        "**Production-ready**",
        "**Production-ready with fixes**",
        "**Not production-ready**",
    ];
    assert_eq!(
        phrases.iter().filter(|p| verdict.contains(*p)).count(),
        1,
        "{verdict}"
    );

    let sre = render("sre");
    for h in [
        "## Operational Readiness Score",
        "## Production Risks",
        "## Missing Observability",
        "## Resource Concerns",
        "## Deployment Checklist",
        "**Scenario:**",
        "**Impact:**",
        "**Detection:**",
        "**Mitigation:**",
        "**Monitoring:**",
        "- [ ] ",
        "```python",
        "```go",
    ] {
        assert!(sre.contains(h), "sre lacks {h}");
    }
    assert!(sre.contains("/10**"));

    let staff = render("staff");
    for h in [
        "## Current reality, implied intent, production necessity",
        "## Assumptions",
        "## Strengths worth keeping",
        "## Risks: the top three ways this system fails",
        "Blast radius:",
        "## Missing artifacts",
        "## Highest-leverage next steps",
        "## Metrics to add",
        "## Alert examples",
        "alert: ApiDown",
        "## Rollout and deployment patterns",
        "## Candidate ADR / RFC topics",
    ] {
        assert!(staff.contains(h), "staff lacks {h}");
    }

    let md = render("markdown");
    assert!(md.contains("pagerproof:"));
    assert!(md.contains("| P1 | `api/app.py:5` |"), "{md}");
    let html = render("html");
    assert!(html.starts_with("<!doctype html>"));
}

#[test]
fn markdown_links_use_the_link_base() {
    let d = tmp();
    polyglot(d.path());
    let (_, out, _) = run(&[
        "review",
        root_str(&d),
        "-f",
        "markdown",
        "--link-base",
        "https://github.com/o/r/blob/abc",
    ]);
    assert!(
        out.contains("[`api/app.py:5`](https://github.com/o/r/blob/abc/api/app.py#L5)"),
        "{out}"
    );
}

#[test]
fn repository_text_is_escaped_in_html_and_markdown() {
    let d = tmp();
    write(
        d.path(),
        &[(
            "web/<img src=x onerror=alert(1)>.py",
            "import requests\n\ndef f(u):\n    return requests.get(u)  # </script><script>alert(2)</script>\n",
        )],
    );
    let (_, html, _) = run(&["review", root_str(&d), "-f", "html"]);
    assert!(!html.contains("<img src=x"), "raw tag from a file name");
    assert!(!html.contains("<script>alert(2)"), "raw script from code");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // Self-contained: no external resource of any kind.
    for bad in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(bad), "external reference {bad}");
    }
    assert!(html.contains("Content-Security-Policy"));
    // In Markdown, repository text appears only inside code spans (shown literally).
    for f in ["markdown", "prr", "sre", "staff"] {
        let (_, md, _) = run(&["review", root_str(&d), "-f", f]);
        let outside = outside_code(&md);
        assert!(!outside.contains("<img"), "{f}: {outside}");
        assert!(!outside.contains("<script"), "{f}: {outside}");
        assert!(
            md.contains("`web/<img src=x onerror=alert(1)>.py:4`"),
            "{f}"
        );
    }
}

/// Markdown text with fenced blocks and code spans removed.
fn outside_code(md: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                out.push_str(part);
            }
        }
        out.push('\n');
    }
    out
}

#[test]
fn fail_on_gates_the_exit_code() {
    let d = tmp();
    polyglot(d.path());
    let root = root_str(&d);
    let (code, out, err) = run(&["review", root, "-f", "json", "--fail-on", "P1"]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.is_empty(), "the report is still written");
    assert!(err.contains("at or above P1"), "{err}");
    assert_eq!(run(&["review", root, "-f", "json", "--fail-on", "P0"]).0, 0);
    assert_eq!(
        run(&["review", root, "-f", "json", "--fail-on", "never"]).0,
        0
    );
    let (code, _, err) = run(&["review", root, "--fail-on", "P7"]);
    assert_eq!(code, 2);
    assert!(err.contains("expected P0, P1, P2, P3 or never"), "{err}");
    // `review.fail_on` in the configuration is the default gate.
    write(
        d.path(),
        &[(
            "pagerproof.toml",
            "[review]\nfail_on = \"P1\"\n[[components]]\npath = \"api\"\nkind = \"service\"\n",
        )],
    );
    assert_eq!(run(&["review", root, "-f", "json"]).0, 1);
    assert_eq!(
        run(&["review", root, "-f", "json", "--fail-on", "never"]).0,
        0
    );
}

#[test]
fn output_file_is_written_for_every_format() {
    let d = tmp();
    polyglot(d.path());
    let out_dir = tmp();
    for f in [
        "terminal", "json", "prr", "sre", "staff", "sarif", "markdown", "html",
    ] {
        let path = out_dir.path().join(format!("r.{f}"));
        let (code, stdout, err) = run(&[
            "review",
            root_str(&d),
            "-f",
            f,
            "-o",
            path.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{f}: {err}");
        assert!(stdout.is_empty(), "{f} wrote to stdout");
        assert!(std::fs::metadata(&path).unwrap().len() > 100, "{f}");
    }
}

#[test]
fn every_configuration_key_takes_effect() {
    let d = tmp();
    polyglot(d.path());
    write(
        d.path(),
        &[
            (
                "legacy/old.py",
                "import requests\nrequests.get('http://x')\n",
            ),
            (
                "big/huge.py",
                &format!(
                    "import requests\nrequests.get('http://x')\n{}",
                    "# pad\n".repeat(400)
                ),
            ),
        ],
    );
    let base = review_json(d.path(), &[]);
    let s = sites(&base);
    assert!(s.contains(&site(
        "legacy/old.py",
        Some(2),
        "http-client-without-timeout"
    )));
    assert!(s.contains(&site("big/huge.py", Some(2), "http-client-without-timeout")));

    write(
        d.path(),
        &[(
            "pagerproof.toml",
            r#"[review]
exclude = ["legacy"]
max_file_size = 1000

[rules]
disable = ["error-swallowed"]

[rules.severity]
http-client-without-timeout = "P2"

[[components]]
path = "api"
name = "public-api"
kind = "service"

[[components]]
path = "worker"
enabled = false
"#,
        )],
    );
    let r = review_json(d.path(), &[]);
    let s = sites(&r);
    assert!(
        !s.iter().any(|(p, _, _)| p.starts_with("legacy/")),
        "review.exclude: {s:?}"
    );
    assert!(
        !s.iter().any(|(p, _, _)| p == "big/huge.py"),
        "review.max_file_size: {s:?}"
    );
    assert!(
        r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["path"] == "big/huge.py"),
        "a file over the size cap is listed as skipped"
    );
    assert!(
        !s.iter().any(|(_, _, rule)| rule == "error-swallowed"),
        "rules.disable: {s:?}"
    );
    let timeout = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "api/app.py" && f["line"] == 5)
        .expect("timeout finding");
    assert_eq!(timeout["severity"], "P2", "rules.severity");
    let comps: Vec<(&str, &str, &str)> = r["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap(),
                c["name"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        comps.contains(&("api", "public-api", "service")),
        "{comps:?}"
    );
    assert!(
        !comps.iter().any(|c| c.0 == "worker"),
        "components.enabled = false: {comps:?}"
    );
    // `rules.enable` turns preview rules on; `review.preview` runs them all: neither
    // may be rejected.
    // `review.file_budget_ms`: a file that takes longer is skipped with the reason.
    let slow: String = (0..20_000)
        .map(|i| format!("value_{i} = compute({i}, [x for x in range({i})])\n"))
        .collect();
    write(
        d.path(),
        &[
            ("slow/generated_by_hand.py", slow.as_str()),
            (
                "pagerproof.toml",
                "[review]\npreview = true\nfile_budget_ms = 1\n[rules]\nenable = [\"TIMEOUT\"]\n",
            ),
        ],
    );
    let r = review_json(d.path(), &[]);
    assert!(
        r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["path"] == "slow/generated_by_hand.py"
                && x["reason"].as_str().unwrap().contains("budget")),
        "{}",
        r["skipped"]
    );
}

#[test]
fn configuration_mistakes_are_rejected_with_a_clear_error() {
    let d = tmp();
    polyglot(d.path());
    let cases = [
        ("[review]\nexclud = []\n", "exclud"),
        (
            "[rules]\ndisable = [\"no-such-rule\"]\n",
            "no rule or category `no-such-rule`",
        ),
        (
            "[rules.severity]\nTIMOUT = \"P2\"\n",
            "no rule or category `TIMOUT`",
        ),
        (
            "[rules.severity]\nTIMEOUT = \"high\"\n",
            "expected one of P0",
        ),
        (
            "[[components]]\npath = \"nowhere\"\n",
            "`nowhere` is not a folder",
        ),
        ("[[components]]\npath = \"../etc\"\n", "without `..`"),
        ("[suppressions]\nallow_p0 = \"yes\"\n", "allow_p0"),
        ("[surprise]\nx = 1\n", "surprise"),
    ];
    for (text, expected) in cases {
        write(d.path(), &[("pagerproof.toml", text)]);
        let (code, _, err) = run(&["review", root_str(&d), "-f", "json"]);
        assert_eq!(code, 2, "{text}");
        assert!(err.contains(expected), "{text}: {err}");
    }
}

const SECRET_PY: &str = "import requests

STRIPE_KEY = \"sk_live_51H8XyZAbCdEfGhIjKlMnOpQrStUv\"  # pagerproof: ignore[hardcoded-secret] rotated test key, revoked


def probe(u):
    # pagerproof: ignore[http-client-without-timeout] health probe; the caller bounds it
    return requests.get(u)


def other(u):
    return requests.get(u)  # pagerproof: ignore[TIMEOUT]
";

#[test]
fn suppressions_need_a_reason_and_p0_needs_configuration() {
    let d = tmp();
    write(d.path(), &[("svc/app.py", SECRET_PY)]);
    let r = review_json(d.path(), &[]);
    let s = sites(&r);
    // Honoured: a reason, on the line above.
    assert!(
        !s.contains(&site("svc/app.py", Some(8), "http-client-without-timeout")),
        "{s:?}"
    );
    let sup = r["suppressed"].as_array().unwrap();
    assert!(sup.iter().any(|x| x["line"] == 8
        && x["rule"] == "http-client-without-timeout"
        && x["reason"] == "health probe; the caller bounds it"));
    // Not honoured: no reason. The finding stays, the comment is listed.
    assert!(
        s.contains(&site("svc/app.py", Some(12), "http-client-without-timeout")),
        "{s:?}"
    );
    let rej = r["rejected_suppressions"].as_array().unwrap();
    assert!(
        rej.iter().any(|x| x["line"] == 12
            && x["problem"]
                .as_str()
                .unwrap()
                .starts_with("no reason given")
            && x["findings"].as_array().unwrap().len() == 1),
        "{rej:?}"
    );
    // P0: refused by default, listed with why.
    assert!(
        s.contains(&site("svc/app.py", Some(3), "hardcoded-secret")),
        "{s:?}"
    );
    assert!(
        rej.iter().any(|x| x["line"] == 3
            && x["problem"]
                .as_str()
                .unwrap()
                .contains("suppressions.allow_p0")),
        "{rej:?}"
    );
    assert_eq!(r["verdict"], "Not production-ready");
    // The skipped list is for files, not suppressions.
    assert!(
        !r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["path"].as_str().unwrap().contains("app.py"))
    );
    // Every format lists them.
    for f in ["prr", "markdown", "terminal", "html", "sre", "staff"] {
        let (_, out, _) = run(&["review", root_str(&d), "-f", f]);
        assert!(
            out.contains("health probe; the caller bounds it"),
            "{f} lacks the suppression"
        );
        assert!(
            out.contains("not honoured"),
            "{f} lacks the rejected suppressions"
        );
    }
    let (_, sarif, _) = run(&["review", root_str(&d), "-f", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    validate("sarif-schema-2.1.0.json", &sarif).unwrap_or_else(|e| panic!("{e}"));
    let suppressed: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // With `suppressions.allow_p0 = true` the P0 suppression is honoured.
    write(
        d.path(),
        &[("pagerproof.toml", "[suppressions]\nallow_p0 = true\n")],
    );
    let r = review_json(d.path(), &[]);
    assert!(!sites(&r).contains(&site("svc/app.py", Some(3), "hardcoded-secret")));
    assert!(
        r["suppressed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["rule"] == "hardcoded-secret")
    );
    // The secret itself never appears in full.
    let (_, text, _) = run(&["review", root_str(&d), "-f", "prr"]);
    assert!(!text.contains("sk_live_51H8XyZAbCdEfGhIjKlMnOpQrStUv"));
}

#[test]
fn baseline_hides_known_findings_and_never_conflicts() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let d = tmp();
    polyglot(d.path());
    init_repo(d.path());
    let root = root_str(&d);
    let (code, _, err) = run(&["baseline", root]);
    assert_eq!(code, 0, "{err}");
    let file = d.path().join("pagerproof-baseline.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains("\"line\""),
        "no line numbers in the baseline"
    );
    let parsed: Value = serde_json::from_str(&text).unwrap();
    let entries = parsed["findings"].as_array().unwrap();
    for e in entries {
        let mut keys: Vec<&String> = e.as_object().unwrap().keys().collect();
        keys.sort();
        assert!(
            keys.iter()
                .all(|k| ["fingerprint", "path", "rule", "subject"].contains(&k.as_str())),
            "only stable fields (no lines, no timestamps): {keys:?}"
        );
    }
    assert_eq!(
        parsed.as_object().unwrap().len(),
        2,
        "version and findings only"
    );
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted");
    // Regenerating gives the same bytes.
    run(&["baseline", root]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-q", "-m", "baseline"]);

    // Lines move (two lines inserted on top) and one new gap appears.
    let moved =
        format!("import os\nimport sys\n{API_PY}\n\ndef more(u):\n    return requests.post(u)\n");
    write(d.path(), &[("api/app.py", &moved)]);
    let r = review_json(d.path(), &["--baseline", file.to_str().unwrap()]);
    let s = sites(&r);
    assert_eq!(
        s,
        vec![site("api/app.py", Some(22), "http-client-without-timeout")],
        "only the new finding"
    );
    let b = &r["baseline"];
    assert!(b["matched"].as_u64().unwrap() >= 4, "{b}");
    assert_eq!(b["stale"], 0);
    validate("report.schema.json", &r).unwrap_or_else(|e| panic!("{e}"));
    // The gate counts only what is reported.
    let (code, _, _) = run(&[
        "review",
        root,
        "--baseline",
        file.to_str().unwrap(),
        "--fail-on",
        "P1",
        "-f",
        "json",
    ]);
    assert_eq!(code, 1);
    let (code, _, _) = run(&[
        "review",
        root,
        "--baseline",
        file.to_str().unwrap(),
        "--fail-on",
        "P0",
        "-f",
        "json",
    ]);
    assert_eq!(code, 0);
    // Fixing a baselined finding makes its entry stale.
    write(
        d.path(),
        &[(
            "worker/main.go",
            &WORKER_GO.replace(
                "http.Get(\"http://example.com/\")",
                "client.Get(\"http://example.com/\")",
            ),
        )],
    );
    let r = review_json(d.path(), &["--baseline", file.to_str().unwrap()]);
    assert!(
        r["baseline"]["stale"].as_u64().unwrap() >= 1,
        "{}",
        r["baseline"]
    );
    // A missing or broken baseline is an error, not an empty baseline.
    let (code, _, err) = run(&["review", root, "--baseline", "/nonexistent/b.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read baseline"), "{err}");
    // `--output` writes elsewhere.
    let other = tmp();
    let out = other.path().join("b.json");
    assert_eq!(run(&["baseline", root, "-o", out.to_str().unwrap()]).0, 0);
    assert!(out.is_file());
}

#[test]
fn diff_reports_only_findings_on_changed_lines() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let d = tmp();
    polyglot(d.path());
    init_repo(d.path());
    let root = root_str(&d);
    // Nothing changed: nothing reported, the component findings included.
    let r = review_json(d.path(), &["--diff", "HEAD"]);
    assert!(sites(&r).is_empty(), "{:?}", sites(&r));
    assert_eq!(r["diff"]["changed_files"], 0);
    assert!(r["diff"]["hidden"].as_u64().unwrap() >= 4);

    // A committed change on a branch, an uncommitted edit, and an untracked file.
    git(d.path(), &["checkout", "-q", "-b", "feature"]);
    let edited = format!("{API_PY}\n\ndef more(u):\n    return requests.post(u)\n");
    write(d.path(), &[("api/app.py", &edited)]);
    git(d.path(), &["commit", "-q", "-am", "more"]);
    write(
        d.path(),
        &[(
            "worker/extra.go",
            "package main\n\nimport \"net/http\"\n\nfunc extra() {\n\t_, _ = http.Post(\"http://x\", \"a\", nil)\n}\n",
        )],
    );
    let r = review_json(d.path(), &["--diff", "main"]);
    let s = sites(&r);
    assert!(
        s.contains(&site("api/app.py", Some(20), "http-client-without-timeout")),
        "{s:?}"
    );
    assert!(
        s.iter()
            .any(|(p, l, _)| p == "worker/extra.go" && *l == Some(6)),
        "untracked file: {s:?}"
    );
    assert!(
        !s.contains(&site("api/app.py", Some(5), "http-client-without-timeout")),
        "unchanged line: {s:?}"
    );
    assert!(
        !s.contains(&site(
            "worker/main.go",
            Some(6),
            "http-client-without-timeout"
        )),
        "{s:?}"
    );
    // The api component changed, so its component finding is kept.
    assert!(
        s.contains(&site("api", None, "service-without-health-endpoint")),
        "{s:?}"
    );
    assert_eq!(r["diff"]["rev"], "main");
    assert_eq!(r["diff"]["changed_files"], 2);
    validate("report.schema.json", &r).unwrap_or_else(|e| panic!("{e}"));

    // Changes made on main after the branch point are not part of this change.
    git(d.path(), &["stash", "-u", "-q"]);
    git(d.path(), &["checkout", "-q", "main"]);
    write(
        d.path(),
        &[("worker/main.go", &WORKER_GO.replace("return", "panic(err)"))],
    );
    git(d.path(), &["commit", "-q", "-am", "main moves on"]);
    git(d.path(), &["checkout", "-q", "feature"]);
    let r = review_json(d.path(), &["--diff", "main"]);
    let s = sites(&r);
    assert!(!s.iter().any(|(p, _, _)| p.starts_with("worker/")), "{s:?}");
    assert!(
        s.contains(&site("api/app.py", Some(20), "http-client-without-timeout")),
        "{s:?}"
    );

    let (code, _, err) = run(&["review", root, "--diff", "no-such-rev"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a commit"), "{err}");
    let (code, _, _) = run(&["review", root, "--diff", "--output=x"]);
    assert_eq!(code, 2);
}

#[test]
fn diff_outside_a_git_repository_is_an_error() {
    let d = tmp();
    polyglot(d.path());
    let (code, _, err) = run(&["review", root_str(&d), "--diff", "HEAD"]);
    assert_eq!(code, 2);
    assert!(err.contains("--diff HEAD"), "{err}");
}

#[test]
fn a_clean_repository_meets_the_standards_and_an_empty_one_does_not_claim_it() {
    let d = tmp();
    write(
        d.path(),
        &[(
            "lib/client.py",
            "import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=5)\n",
        )],
    );
    // Repository hygiene (README, owners, ADRs: P3) does not stand in the way.
    let (code, prr, err) = run(&["review", root_str(&d), "-f", "prr", "--fail-on", "P2"]);
    assert_eq!(code, 0, "{err}");
    let verdict = prr.split("## Final Verdict").nth(1).unwrap();
    assert!(verdict.contains("**Production-ready**"), "{verdict}");
    assert!(verdict.contains("System meets production readiness standards."));
    assert!(
        prr.contains("| 4 | Failure Handling & Degradation | covered |"),
        "{prr}"
    );
    assert!(prr.contains("| 5 | Data Safety & Migration Readiness | not applicable |"));

    let empty = tmp();
    let (_, prr, _) = run(&["review", root_str(&empty), "-f", "prr"]);
    assert!(
        !prr.contains("System meets production readiness standards."),
        "{prr}"
    );
}
