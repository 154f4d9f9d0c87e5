//! `pagerproof scaffold` end to end, over a fixture repository the test writes: each kind
//! must say things traceable to that repository (paths, lines, names), generated YAML and
//! JSON must parse, alert rules and every PromQL query must pass `promtool` (skipped with a
//! message where promtool is not installed; `scripts/setup-test-deps` installs it), and
//! SLOs must carry the fields the OpenSLO v1 spec requires.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use saphyr::{LoadableYamlNode, Yaml};

include!("../../../pagerproof_scaffold/fixtures/shop.rs");

/// Writes the fixture to `<tmp>/shop` and returns the repository root.
fn shop() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("shop");
    for (path, text) in SHOP {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    (dir, root)
}

/// The 1-based line of the first line of `path` in the fixture containing `needle`.
fn line_of(path: &str, needle: &str) -> usize {
    let text = SHOP
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no fixture file {path}"));
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not in {path}"))
}

fn at(path: &str, needle: &str) -> String {
    format!("{path}:{}", line_of(path, needle))
}

fn scaffold(root: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("pagerproof")
        .expect("binary")
        .arg("scaffold")
        .args(args)
        .arg(root)
        .output()
        .expect("run")
}

fn stdout_of(root: &Path, kind: &str) -> String {
    let out = scaffold(root, &[kind]);
    assert!(
        out.status.success(),
        "scaffold {kind} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

/// promtool, or `None` with a message (the test then skips its promtool part).
fn promtool() -> Option<&'static str> {
    let ok = Command::new("promtool")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "SKIPPED promtool checks: promtool is not installed (run scripts/setup-test-deps, Debian package `prometheus`)"
        );
    }
    ok.then_some("promtool")
}

fn promtool_check_rules(text: &str) {
    let Some(tool) = promtool() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("rules.yaml");
    std::fs::write(&f, text).expect("write");
    let out = Command::new(tool)
        .args(["check", "rules"])
        .arg(&f)
        .output()
        .expect("promtool");
    assert!(
        out.status.success(),
        "promtool check rules failed:\n{}\n{}\n--- file ---\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Checks PromQL queries with promtool by making each a recording rule.
fn promtool_check_queries(queries: &[String]) {
    assert!(!queries.is_empty(), "no queries to check");
    let mut rules = String::from("groups:\n  - name: queries\n    rules:\n");
    for (i, q) in queries.iter().enumerate() {
        rules.push_str(&format!(
            "      - record: pagerproof:query:{i}\n        expr: |-\n"
        ));
        for l in q.lines() {
            rules.push_str(&format!("          {l}\n"));
        }
    }
    promtool_check_rules(&rules);
}

fn yaml_docs(text: &str) -> Vec<Yaml<'_>> {
    Yaml::load_from_str(text).unwrap_or_else(|e| panic!("invalid YAML: {e}\n{text}"))
}

fn get<'a, 'i>(y: &'a Yaml<'i>, path: &[&str]) -> Option<&'a Yaml<'i>> {
    path.iter().try_fold(y, |cur, k| cur.as_mapping_get(k))
}

fn s<'a>(y: &'a Yaml<'_>, path: &[&str]) -> Option<&'a str> {
    get(y, path).and_then(|v| v.as_str())
}

#[test]
fn runbook_describes_each_service_from_the_repository() {
    let (_d, root) = shop();
    let rb = stdout_of(&root, "runbook");
    assert_contains(&rb, "# Runbook: shop");
    assert_contains(&rb, "## checkout");
    assert_contains(&rb, "## payments");
    // Endpoints with their registration lines.
    assert_contains(
        &rb,
        &format!(
            "| `POST /checkout` | `{}` |",
            at("services/checkout/main.go", "POST /checkout")
        ),
    );
    assert_contains(
        &rb,
        &format!(
            "gRPC service `PaymentService` (`{}`)",
            at(
                "services/payments/server.py",
                "add_PaymentServiceServicer_to_server"
            )
        ),
    );
    // Deploy and rollback from the manifests.
    assert_contains(
        &rb,
        "Deployment `checkout` in namespace `shop` at `deploy/k8s/checkout.yaml:1` (image registry.example.com/shop/checkout is built from services/checkout)",
    );
    assert_contains(&rb, "`kubectl rollout undo deployment/checkout -n shop`");
    assert_contains(&rb, "Replicas: 2.");
    assert_contains(&rb, "limits.memory=256Mi");
    // Dependencies: the address variable with its deployed value, where it is read.
    assert_contains(
        &rb,
        &format!(
            "| `PAYMENT_ADDR` | `payments:50051` (`{}`) | `{}` |",
            at("deploy/k8s/checkout.yaml", "name: PAYMENT_ADDR"),
            at("services/checkout/main.go", "PAYMENT_ADDR")
        ),
    );
    assert_contains(
        &rb,
        &format!(
            "| `redis $REDIS_HOST` | `{}` |",
            at("services/payments/server.py", "redis.Redis(")
        ),
    );
    // Kill switch, owners, secrets, and TODOs naming the findings that raised them.
    assert_contains(&rb, "environment variable `ENABLE_FRAUD_CHECK`");
    assert_contains(&rb, "Owners: @shop/checkout (CODEOWNERS).");
    assert_contains(&rb, "`DB_PASSWORD` from secret checkout-db/password");
    assert_contains(
        &rb,
        "(raised by `service-without-graceful-shutdown` at `services/checkout`)",
    );
    assert_contains(
        &rb,
        &format!(
            "`http-client-without-timeout` at `{}`",
            at("services/checkout/main.go", "http.Get(")
        ),
    );
    // A gap the deploy configuration shows: payments has no probes.
    assert_contains(&rb, "Health: liveness probe httpGet /healthz :8080");
    assert!(!rb.contains("/tmp/"), "no absolute paths in the runbook");
}

#[test]
fn alerts_use_the_metrics_the_service_exposes_and_pass_promtool() {
    let (_d, root) = shop();
    let text = stdout_of(&root, "alerts");
    let docs = yaml_docs(&text);
    let groups = get(&docs[0], &["groups"])
        .and_then(|g| g.as_vec())
        .expect("groups");
    let names: Vec<&str> = groups.iter().filter_map(|g| s(g, &["name"])).collect();
    assert_eq!(names, vec!["checkout", "payments"]);
    // checkout: its own CounterVec, errors by its `code` label, latency from its histogram.
    assert_contains(
        &text,
        "sum(rate(shop_http_requests_total{code=~\"5..\"}[5m]))",
    );
    assert_contains(
        &text,
        "histogram_quantile(0.99, sum by (le) (rate(shop_http_request_duration_seconds_bucket[5m]))) > 0.5",
    );
    assert_contains(
        &text,
        &format!(
            "metric names from the code: shop_http_requests_total (prometheus, {})",
            at("services/checkout/main.go", "prometheus.NewCounterVec")
        ),
    );
    // payments defines no metrics: conventional gRPC names, said to be assumed.
    assert_contains(
        &text,
        "grpc_server_handled_total{grpc_service=~\".*(PaymentService)\"",
    );
    assert_contains(&text, "ASSUMED names");
    assert_contains(&text, "PaymentsRequestMetricsAbsent");
    // OOM where a memory limit is set, citing it; a TODO where probes and limits are missing.
    assert_contains(&text, "CheckoutOOMKilled");
    assert_contains(
        &text,
        &format!(
            "limits.memory=256Mi at {}",
            at("deploy/k8s/checkout.yaml", "memory: 256Mi")
        ),
    );
    assert_contains(&text, "CheckoutProbeFailures");
    assert_contains(
        &text,
        "TODO: Deployment payments has no liveness or readiness probe",
    );
    assert_contains(&text, "TODO: no memory limit on Deployment payments");
    promtool_check_rules(&text);
}

/// The fields the OpenSLO v1 specification requires of `Service` and `SLO` objects.
fn validate_openslo(docs: &[Yaml<'_>]) -> Vec<String> {
    let mut services = Vec::new();
    let mut errors = Vec::new();
    let rfc1123 = |n: &str| {
        !n.is_empty()
            && n.len() <= 63
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !n.starts_with('-')
            && !n.ends_with('-')
    };
    for d in docs {
        let name = s(d, &["metadata", "name"]).unwrap_or("");
        if s(d, &["apiVersion"]) != Some("openslo/v1") {
            errors.push(format!("{name}: apiVersion is not openslo/v1"));
        }
        if !rfc1123(name) {
            errors.push(format!("metadata.name {name:?} is not an RFC 1123 label"));
        }
        match s(d, &["kind"]) {
            Some("Service") => services.push(name.to_string()),
            Some("SLO") => {
                let spec = |p: &[&str]| {
                    let mut v = vec!["spec"];
                    v.extend_from_slice(p);
                    get(d, &v).cloned()
                };
                match spec(&["budgetingMethod"])
                    .as_ref()
                    .and_then(|v| v.as_str().map(str::to_string))
                {
                    Some(m)
                        if ["Occurrences", "Timeslices", "RatioTimeslices"]
                            .contains(&m.as_str()) => {}
                    other => errors.push(format!("{name}: budgetingMethod {other:?}")),
                }
                let svc = spec(&["service"]).and_then(|v| v.as_str().map(str::to_string));
                if !svc.as_ref().is_some_and(|s| services.contains(s)) {
                    errors.push(format!(
                        "{name}: spec.service {svc:?} names no Service object"
                    ));
                }
                let tw = spec(&["timeWindow"]);
                let tw_items = tw.as_ref().and_then(|t| t.as_vec()).map(|v| v.len());
                if tw_items != Some(1) {
                    errors.push(format!("{name}: timeWindow must have exactly one item"));
                } else if let Some(w) = tw.as_ref().and_then(|t| t.as_vec()).and_then(|v| v.first())
                {
                    let dur = s(w, &["duration"]).unwrap_or("");
                    let ok = dur.len() >= 2
                        && dur[..dur.len() - 1].chars().all(|c| c.is_ascii_digit())
                        && "mhdwMQY".contains(&dur[dur.len() - 1..]);
                    if !ok {
                        errors.push(format!(
                            "{name}: duration {dur:?} is not a duration shorthand"
                        ));
                    }
                }
                let objectives = spec(&["objectives"]);
                let objs = objectives
                    .as_ref()
                    .and_then(|o| o.as_vec())
                    .cloned()
                    .unwrap_or_default();
                if objs.is_empty() {
                    errors.push(format!("{name}: no objectives"));
                }
                for o in &objs {
                    let t = get(o, &["target"]).and_then(|t| t.as_floating_point());
                    if !t.is_some_and(|t| (0.0..1.0).contains(&t)) {
                        errors.push(format!("{name}: objective target {t:?} not in [0, 1)"));
                    }
                }
                let Some(ratio) = spec(&["indicator", "spec", "ratioMetric"]) else {
                    errors.push(format!("{name}: no indicator.spec.ratioMetric"));
                    continue;
                };
                let has = |k: &str| get(&ratio, &[k]).is_some();
                if !(has("total") && (has("good") ^ has("bad"))) {
                    errors.push(format!(
                        "{name}: ratioMetric needs total and exactly one of good/bad"
                    ));
                }
                for k in ["good", "bad", "total"] {
                    if let Some(m) = get(&ratio, &[k]) {
                        if s(m, &["metricSource", "type"]) != Some("Prometheus") {
                            errors.push(format!("{name}: {k}.metricSource.type"));
                        }
                        if s(m, &["metricSource", "spec", "query"]).is_none_or(str::is_empty) {
                            errors.push(format!("{name}: {k} has no query"));
                        }
                    }
                }
            }
            other => errors.push(format!("{name}: unexpected kind {other:?}")),
        }
    }
    errors
}

fn slo_queries(docs: &[Yaml<'_>]) -> Vec<String> {
    let mut q = Vec::new();
    for d in docs {
        for k in ["good", "bad", "total"] {
            if let Some(v) = s(
                d,
                &[
                    "spec",
                    "indicator",
                    "spec",
                    "ratioMetric",
                    k,
                    "metricSource",
                    "spec",
                    "query",
                ],
            ) {
                q.push(v.to_string());
            }
        }
    }
    q
}

#[test]
fn slos_follow_openslo_and_use_the_detected_endpoints() {
    let (_d, root) = shop();
    let text = stdout_of(&root, "slo");
    let docs = yaml_docs(&text);
    let errors = validate_openslo(&docs);
    assert!(errors.is_empty(), "{}\n{text}", errors.join("\n"));
    let names: Vec<&str> = docs
        .iter()
        .filter_map(|d| s(d, &["metadata", "name"]))
        .collect();
    assert_eq!(
        names,
        vec![
            "checkout",
            "checkout-availability",
            "checkout-latency",
            "payments",
            "payments-availability",
            "payments-latency"
        ]
    );
    assert_contains(&text, "HTTP GET /orders/{id}, POST /checkout");
    assert_contains(&text, "serves gRPC PaymentService");
    assert_contains(&text, "sum(shop_http_requests_total{code=~\"5..\"})");
    assert_contains(
        &text,
        "sum(shop_http_request_duration_seconds_bucket{le=\"0.5\"})",
    );
    promtool_check_queries(&slo_queries(&docs));
}

#[test]
fn dashboard_is_a_grafana_model_with_promql_targets() {
    let (_d, root) = shop();
    let text = stdout_of(&root, "dashboard");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert!(v["schemaVersion"].as_u64().is_some_and(|n| n >= 36));
    assert_eq!(v["title"], "shop: services");
    assert!(
        v["uid"]
            .as_str()
            .is_some_and(|u| !u.is_empty() && u.len() <= 40)
    );
    let vars = v["templating"]["list"].as_array().expect("templating");
    assert!(
        vars.iter()
            .any(|t| t["type"] == "datasource" && t["name"] == "datasource")
    );
    let panels = v["panels"].as_array().expect("panels");
    let mut ids = std::collections::BTreeSet::new();
    let mut exprs = Vec::new();
    let mut rows = Vec::new();
    for p in panels {
        assert!(
            ids.insert(p["id"].as_u64().expect("id")),
            "duplicate panel id"
        );
        let g = &p["gridPos"];
        let (x, w) = (g["x"].as_u64().expect("x"), g["w"].as_u64().expect("w"));
        assert!(x + w <= 24 && g["h"].as_u64().is_some() && g["y"].as_u64().is_some());
        match p["type"].as_str() {
            Some("row") => rows.push(p["title"].as_str().unwrap_or("").to_string()),
            Some("timeseries") => {
                assert_eq!(p["datasource"]["uid"], "${datasource}");
                let targets = p["targets"].as_array().expect("targets");
                assert!(!targets.is_empty());
                for t in targets {
                    assert!(t["refId"].as_str().is_some_and(|r| !r.is_empty()));
                    let e = t["expr"].as_str().expect("expr");
                    assert!(!e.is_empty());
                    exprs.push(e.to_string());
                }
            }
            Some("text") => {}
            other => panic!("unexpected panel type {other:?}"),
        }
    }
    assert_eq!(
        rows,
        vec![
            "checkout (services/checkout)",
            "payments (services/payments)"
        ]
    );
    assert!(exprs.iter().any(|e| e.contains("shop_http_requests_total")));
    assert!(
        exprs.iter().any(|e| e.contains("shop_orders_placed_total")),
        "the code's other metrics get panels"
    );
    assert!(
        exprs
            .iter()
            .any(|e| e.contains("container=\"server\", pod=~\"checkout-.*\", namespace=\"shop\""))
    );
    promtool_check_queries(&exprs);
}

#[test]
fn adr_proposes_graceful_shutdown_with_the_repositorys_context() {
    let (_d, root) = shop();
    let text = stdout_of(&root, "adr");
    assert_contains(&text, "# ADR-0001: Graceful shutdown for every service");
    assert_contains(&text, "**Status**: Proposed");
    for section in [
        "## Context and Problem Statement",
        "## Decision Drivers",
        "## Considered Options",
        "## Decision Outcome",
        "## Consequences",
        "## Implementation Plan",
        "## Related Decisions",
        "## References",
    ] {
        assert_contains(&text, section);
    }
    assert_contains(
        &text,
        "`service-without-graceful-shutdown` at `services/checkout`",
    );
    assert_contains(&text, "@shop/checkout");
    assert_contains(
        &text,
        "terminationGracePeriodSeconds not set (Kubernetes default 30)",
    );
    assert_contains(&text, "- go: `ctx, stop := signal.NotifyContext");
    assert_contains(&text, "Candidate ADR: **A deadline on every network call**");
}

#[test]
fn rfc_proposes_deadlines_where_timeouts_are_missing() {
    let (_d, root) = shop();
    let text = stdout_of(&root, "rfc");
    assert_contains(&text, "# RFC-0001: A deadline on every network call");
    for section in [
        "## Summary",
        "## Motivation",
        "### Goals",
        "### Non-Goals",
        "## Proposal",
        "### Migration Strategy",
        "### Rollback Plan",
        "## Alternatives Considered",
        "## Impact Analysis",
        "## Risks and Mitigations",
        "## Success Metrics",
        "## Open Questions",
    ] {
        assert_contains(&text, section);
    }
    assert_contains(
        &text,
        &format!(
            "`http-client-without-timeout` at `{}`",
            at("services/payments/server.py", "requests.get(")
        ),
    );
    assert_contains(&text, "| `services/checkout` |");
    assert_contains(&text, "- python: pass `timeout=`");
}

#[test]
fn postmortem_is_seeded_with_the_predicted_failure_modes() {
    let (_d, root) = shop();
    let text = stdout_of(&root, "postmortem");
    assert_contains(&text, "# Postmortem: TODO incident title");
    assert_contains(&text, "## What could happen (from the review)");
    assert_contains(&text, "### 1. TIMEOUT (P1");
    assert_contains(
        &text,
        &format!(
            "`http-client-without-timeout` at `{}`",
            at("services/checkout/main.go", "http.Get(")
        ),
    );
    for section in [
        "## Timeline",
        "## Root Cause",
        "## Action Items",
        "**Prevent**",
        "**Detect**",
        "## Lessons Learned",
    ] {
        assert_contains(&text, section);
    }
}

#[test]
fn tech_eval_weighs_a_circuit_breaker_for_the_languages_in_use() {
    let (_d, root) = shop();
    let text = stdout_of(&root, "tech-eval");
    assert_contains(
        &text,
        "## Technology Evaluation: a circuit-breaker and retry library",
    );
    assert_contains(&text, "- go: github.com/sony/gobreaker");
    assert_contains(&text, "- python: pybreaker");
    for section in [
        "### Business Alignment",
        "### Technical Fit",
        "### Team Readiness",
        "### Operational Maturity",
        "## POC Plan",
        "### Success Criteria",
        "### Experiments",
        "### Deliverables",
    ] {
        assert_contains(&text, section);
    }
    assert_contains(&text, "1. **Wrap the call at `services/");
}

#[test]
fn output_is_written_only_where_asked_and_never_overwritten_without_force() {
    let (d, root) = shop();
    let out = d.path().join("runbook.md");
    let o = out.to_string_lossy().to_string();
    let first = scaffold(&root, &["runbook", "--output", &o]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        first.stdout.is_empty(),
        "nothing on stdout when --output is given"
    );
    let written = std::fs::read_to_string(&out).expect("written");
    assert!(written.starts_with("# Runbook: shop"));
    std::fs::write(&out, "keep me").expect("write");
    let second = scaffold(&root, &["runbook", "--output", &o]);
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep me");
    let forced = scaffold(&root, &["runbook", "--output", &o, "--force"]);
    assert!(forced.status.success());
    assert_eq!(std::fs::read_to_string(&out).expect("read"), written);
    // The reviewed repository is left untouched: only the asked-for file was written.
    assert!(!root.join("runbook.md").exists());
}

#[test]
fn component_selects_one_service_and_errors_name_the_choices() {
    let (_d, root) = shop();
    let out = scaffold(&root, &["alerts", "--component", "payments"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("- name: \"payments\""));
    assert!(!text.contains("- name: \"checkout\""));
    let bad = scaffold(&root, &["runbook", "--component", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no component `nope`") && err.contains("checkout") && err.contains("payments"),
        "{err}"
    );
    let kind = scaffold(&root, &["memo"]);
    assert_eq!(kind.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&kind.stderr)
            .contains("runbook, alerts, slo, dashboard, adr, rfc, postmortem, tech-eval")
    );
}

#[test]
fn scaffolds_are_deterministic() {
    let (_d, root) = shop();
    for kind in [
        "runbook",
        "alerts",
        "slo",
        "dashboard",
        "adr",
        "rfc",
        "postmortem",
        "tech-eval",
    ] {
        assert_eq!(
            stdout_of(&root, kind),
            stdout_of(&root, kind),
            "{kind} differs between runs"
        );
    }
}
