//! Repository artifacts (taxonomy "repository categories"): runbook, rollback procedure,
//! ADRs, owners, SLOs, alert rules, dashboards, security policy, README, feature flags,
//! and CI. Detected by content (headings, commands, file formats; see
//! `manifests/docs.rs`), not only by file name. Each becomes a `Report.repository` fact with
//! its evidence; a missing one becomes a finding with `path: "."` and no line.
//!
//! The operational categories (RUNBOOK, ROLLBACK, SLO, ALERTS, DASHBOARDS, FEATURE-FLAGS)
//! only apply to a repository that deploys something (a service or job component, or a
//! workload manifest); for a library or a CLI they are `null` with the reason.

use std::collections::BTreeMap;

use pagerproof_core::{Confidence, Evidence, Fact, Severity};

use crate::aggregate::Inputs;
use crate::files::Role;
use crate::manifests::Artifact;
use crate::manifests::ci;
use crate::review::{Pending, finish_hit};
use crate::rule::{Case, Docs, Handling, Hit, RuleMeta};
use crate::signals::SignalKind;

macro_rules! repo_rule {
    ($name:ident, $id:literal, $cat:literal, $sev:ident, $summary:literal, $docs:expr, $cases:expr) => {
        pub static $name: RuleMeta = RuleMeta {
            id: $id,
            category: $cat,
            severity: Severity::$sev,
            confidence: Confidence::Medium,
            preview: false,
            languages: &["docs"],
            summary: $summary,
            docs: $docs,
            outside_production: Handling::Keep,
            cases: $cases,
        };
    };
}

const SVC: (&str, &str) = (
    "svc/Dockerfile",
    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
);

repo_rule!(
    RUNBOOK,
    "repository-without-runbook",
    "RUNBOOK",
    P2,
    "No runbook or operational playbook",
    Docs {
        what: "A repository that deploys a service or job with no runbook: no document named or headed runbook, \
playbook, on-call, incident response or escalation policy, no `runbooks/` folder, and no alert rule linking one \
(`runbook_url`). Libraries and CLIs are not asked.",
        scenario: "An alert fires at 3 AM and the on-call engineer is not the author.",
        impact: "Diagnosis starts from zero: time to mitigate grows from minutes to hours, and the fix depends on \
reaching the one person who knows the system.",
        detection: "Long time-to-mitigate in incident reviews; the same questions asked at every incident.",
        mitigation: "Write a runbook per alert and per service: what it means, how to check, how to mitigate \
(restart, scale, roll back, fail over), whom to escalate to; link it from the alert.",
        fixes: &[(
            "markdown",
            "# Runbook: checkout service\n## Alert: HighErrorRate\n- Check: dashboard X, `kubectl logs -l app=checkout`\n- Mitigate: roll back (`kubectl rollout undo deploy/checkout`), scale up\n- Escalate: #payments-oncall",
        )],
        monitoring: "Every alert carries a `runbook_url` annotation; review runbooks after each incident.",
    },
    &[
        Case {
            files: &[
                ("README.md", "# Shop\n\nRun it with `make run`.\n"),
                SVC,
                ("EXPECT", ". | no runbook")
            ],
        },
        Case {
            files: &[
                (
                    "docs/operations.md",
                    "# Operations\n\n## On-call playbook\n\nCheck the dashboard first.\n"
                ),
                SVC,
            ],
        },
    ]
);

repo_rule!(
    ROLLBACK,
    "repository-without-rollback-procedure",
    "ROLLBACK",
    P2,
    "No documented rollback procedure",
    Docs {
        what: "A repository that deploys a service or job with no documented way back: no heading about \
rollback/rolling back/reverting a release, and no `kubectl rollout undo`, `helm rollback` or `argocd app rollback` in \
its documentation.",
        scenario: "A release breaks production.",
        impact: "The team improvises a rollback under pressure: it takes longer, and may fail on migrations or \
config that cannot simply be reverted.",
        detection: "Incidents where mitigation waits for a forward fix.",
        mitigation: "Document (and rehearse) the rollback: the command, how to verify it, and which changes \
(migrations, flags) need special handling.",
        fixes: &[(
            "markdown",
            "## Rollback\n\n```sh\nhelm rollback shop 0   # previous release\nkubectl rollout status deploy/checkout\n```\nMigrations are expand/contract: the previous version runs on the new schema.",
        )],
        monitoring: "Track time from detection to rollback in incident reviews.",
    },
    &[
        Case {
            files: &[
                (
                    "README.md",
                    "# Shop\n\n## Deploy\n\n`kubectl apply -k k8s/`\n"
                ),
                SVC,
                ("EXPECT", ". | rollback")
            ],
        },
        Case {
            files: &[
                (
                    "README.md",
                    "# Shop\n\n## Rolling back a release\n\nUse `helm rollback shop`.\n"
                ),
                SVC
            ],
        },
    ]
);

repo_rule!(
    ADR,
    "repository-without-adrs",
    "ADR",
    P3,
    "No architecture decision records",
    Docs {
        what: "No architecture decision records: no `adr/`/`decisions/` folder of numbered documents, and no \
document shaped like one (Context, Decision and Status/Consequences headings, Nygard or MADR style).",
        scenario: "A new engineer (or the on-call) needs to know why the system is built this way before changing \
it.",
        impact: "Decisions are re-litigated or silently reversed; constraints that mattered (consistency, \
compliance, cost) are lost with the people who knew them.",
        detection: "Recurring design debates; regressions that undo an earlier deliberate choice.",
        mitigation: "Record significant decisions as short ADRs in the repository (`docs/adr/0001-*.md`).",
        fixes: &[(
            "markdown",
            "# 0001. Use PostgreSQL for orders\n## Status\nAccepted\n## Context\n...\n## Decision\n...\n## Consequences\n...",
        )],
        monitoring: "Review ADRs when architecture changes land.",
    },
    &[
        Case {
            files: &[
                ("README.md", "# Tool\n\nA library.\n"),
                ("EXPECT", ". | architecture decision")
            ],
        },
        Case {
            files: &[(
                "docs/adr/0001-use-postgres.md",
                "# 1. Use PostgreSQL\n\n## Status\n\nAccepted\n\n## Context\n\nWe need transactions.\n\n## Decision\n\nPostgreSQL.\n"
            ),],
        },
    ]
);

repo_rule!(
    OWNERS,
    "repository-without-owners",
    "OWNERS",
    P3,
    "No CODEOWNERS or stated owner",
    Docs {
        what: "No statement of who owns the code: no CODEOWNERS (root, `.github/`, `docs/`) with at least one rule, \
no OWNERS/MAINTAINERS file, no Backstage `spec.owner`, and no Maintainers/Owners section in the documentation.",
        scenario: "Something breaks, or a risky change needs review.",
        impact: "Nobody is paged or asked; reviews go to whoever is around; incidents wait for someone to figure \
out who knows the code.",
        detection: "Unassigned incidents and pull requests.",
        mitigation: "Add a CODEOWNERS file mapping paths to teams, and require code-owner review.",
        fixes: &[(
            "text",
            "# .github/CODEOWNERS\n*               @acme/platform\n/src/payments/  @acme/payments"
        )],
        monitoring: "Branch protection requiring code-owner review.",
    },
    &[
        Case {
            files: &[("README.md", "# Tool\n"), ("EXPECT", ". | no CODEOWNERS")],
        },
        Case {
            files: &[
                ("README.md", "# Tool\n"),
                (".github/CODEOWNERS", "# owners\n* @acme/platform\n")
            ],
        },
    ]
);

repo_rule!(
    SLO,
    "repository-without-slos",
    "SLO",
    P2,
    "No SLO / SLI definitions",
    Docs {
        what: "A repository that deploys a service with no service level objectives: no OpenSLO, Sloth, Pyrra or \
Nobl9 specification, no Terraform SLO resource (`google_monitoring_slo`, `datadog_service_level_objective`), and no \
document section about SLOs/SLIs/error budgets that states a target (99.x%).",
        scenario: "Latency or errors degrade slowly, or a release trades reliability for features.",
        impact: "Nobody can say whether the service is healthy enough, alerting is either noisy or blind, and \
reliability work is never prioritised against features.",
        detection: "Arguments about whether an incident \"counts\"; alerts on causes instead of user impact.",
        mitigation: "Define SLIs (availability, latency) and targets per user-facing service, as code, and alert \
on error-budget burn.",
        fixes: &[(
            "yaml",
            "apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: checkout-availability }\nspec:\n  service: checkout\n  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.999",
        )],
        monitoring: "Multi-window burn-rate alerts on each SLO.",
    },
    &[
        Case {
            files: &[("README.md", "# Shop\n"), SVC, ("EXPECT", ". | no SLO")],
        },
        Case {
            files: &[
                (
                    "docs/slo.md",
                    "# Service level objectives\n\nCheckout availability: 99.9% over 30 days.\n"
                ),
                SVC
            ],
        },
    ]
);

repo_rule!(
    ALERTS,
    "repository-without-alerts",
    "ALERTS",
    P2,
    "No alert rules",
    Docs {
        what: "A repository that deploys a service with no alerting as code: no Prometheus rule file or \
PrometheusRule with `alert:` rules, no Alertmanager configuration, no Datadog monitor JSON, and no Terraform alert \
resource (`google_monitoring_alert_policy`, `aws_cloudwatch_metric_alarm`, `datadog_monitor`, ...). Alerts kept only \
in a vendor UI are invisible here and reported too.",
        scenario: "The service starts failing outside office hours.",
        impact: "Nobody is paged: users notice first, and the outage lasts until someone looks.",
        detection: "Incidents reported by users or other teams.",
        mitigation: "Define alerts as code next to the service, on user-facing symptoms (error rate, latency, \
saturation), each with a runbook link.",
        fixes: &[(
            "yaml",
            "groups:\n- name: checkout\n  rules:\n  - alert: CheckoutHighErrorRate\n    expr: sum(rate(http_requests_total{job=\"checkout\",code=~\"5..\"}[5m])) / sum(rate(http_requests_total{job=\"checkout\"}[5m])) > 0.02\n    for: 10m\n    annotations:\n      runbook_url: https://runbooks/checkout#errors",
        )],
        monitoring: "Test alert rules in CI (`promtool test rules`).",
    },
    &[
        Case {
            files: &[
                ("README.md", "# Shop\n"),
                SVC,
                ("EXPECT", ". | no alert rules")
            ],
        },
        Case {
            files: &[
                ("README.md", "# Shop\n"),
                (
                    "monitoring/alerts.yaml",
                    "groups:\n- name: shop\n  rules:\n  - alert: HighErrors\n    expr: up == 0\n"
                ),
                SVC,
            ],
        },
    ]
);

repo_rule!(
    DASHBOARDS,
    "repository-without-dashboards",
    "DASHBOARDS",
    P3,
    "No dashboards",
    Docs {
        what: "A repository that deploys a service with no dashboard as code: no Grafana dashboard JSON (with \
`panels`), GrafanaDashboard resource or dashboard ConfigMap, Datadog/CloudWatch dashboard JSON, or Terraform \
dashboard resource.",
        scenario: "An incident starts and on-call needs to see what changed.",
        impact: "Everyone builds ad-hoc queries under pressure; dashboards that live only in a UI drift and are \
lost.",
        detection: "Slow diagnosis in incident timelines.",
        mitigation: "Keep a dashboard per service in the repository (RED metrics, saturation, dependencies) and \
provision it automatically.",
        fixes: &[(
            "json",
            "{ \"title\": \"checkout\", \"schemaVersion\": 39, \"panels\": [ { \"type\": \"timeseries\", \"title\": \"Error rate\" } ] }",
        )],
        monitoring: "Link dashboards from alerts and runbooks.",
    },
    &[
        Case {
            files: &[
                ("README.md", "# Shop\n"),
                SVC,
                ("EXPECT", ". | no dashboards")
            ],
        },
        Case {
            files: &[
                ("README.md", "# Shop\n"),
                (
                    "dashboards/shop.json",
                    "{ \"title\": \"Shop\", \"schemaVersion\": 39, \"panels\": [] }"
                ),
                SVC,
            ],
        },
    ]
);

repo_rule!(
    SECURITY_POLICY,
    "repository-without-security-policy",
    "SECURITY-POLICY",
    P3,
    "No vulnerability reporting path",
    Docs {
        what: "No SECURITY.md (root, `.github/`, `docs/`) and no documentation section on reporting security \
issues or vulnerabilities.",
        scenario: "Someone finds a vulnerability in the project.",
        impact: "They report it in a public issue (disclosing it to attackers first) or not at all.",
        detection: "Security issues filed publicly.",
        mitigation: "Add SECURITY.md with a private reporting channel (email, GitHub private vulnerability \
reporting) and expected response times.",
        fixes: &[(
            "markdown",
            "# Security policy\n\nReport vulnerabilities privately to security@example.com or via GitHub's \"Report a vulnerability\". We answer within 3 working days.",
        )],
        monitoring: "Track time to acknowledge security reports.",
    },
    &[
        Case {
            files: &[("README.md", "# Tool\n"), ("EXPECT", ". | no SECURITY.md")],
        },
        Case {
            files: &[(
                ".github/SECURITY.md",
                "# Security\n\nPlease report vulnerabilities to security@example.com, not in public issues.\n",
            )],
        },
    ]
);

repo_rule!(
    README,
    "repository-without-readme-instructions",
    "README",
    P3,
    "No README with setup, run and deploy instructions",
    Docs {
        what: "No README at the repository root, or neither the README nor the documentation folder explains how to \
set up, run and (for a repository that deploys something) deploy: found from headings (Installation, Getting \
started, Usage, Deployment, ...) and from the commands shown (`pip install`, `docker compose up`, `kubectl apply`, \
`helm install`, ...).",
        scenario: "A new engineer joins, or on-call must redeploy a service they have never touched.",
        impact: "Setup knowledge lives in people's heads; emergency deploys are done from memory and go wrong.",
        detection: "Onboarding takes days; deploys only one person can do.",
        mitigation: "Document prerequisites, setup, running locally and deploying, with copy-pasteable commands.",
        fixes: &[(
            "markdown",
            "## Setup\n`make deps`\n## Run locally\n`docker compose up`\n## Deploy\n`helm upgrade --install shop ./chart -f values-prod.yaml`",
        )],
        monitoring: "Have a new team member follow the README as part of onboarding; fix what fails.",
    },
    &[
        Case {
            files: &[
                ("docs/notes.md", "# Notes\n"),
                SVC,
                ("EXPECT", ". | no README")
            ],
        },
        Case {
            files: &[
                (
                    "README.md",
                    "# Shop\n\n## Getting started\n\n`pip install -r requirements.txt`\n\n## Usage\n\n`make run`\n\n## Deployment\n\n`kubectl apply -f k8s/`\n"
                ),
                SVC,
            ],
        },
    ]
);

repo_rule!(
    FEATURE_FLAGS,
    "repository-without-feature-flags",
    "FEATURE-FLAGS",
    P3,
    "No kill switch / feature flag mechanism",
    Docs {
        what: "A repository that deploys a service with no way to turn features off without a deploy: no feature \
flag library among its dependencies (LaunchDarkly, Unleash, Flagsmith, OpenFeature, GrowthBook, ConfigCat, Split, \
Flipt, Statsig, Togglz, FF4J), no flagd flag file, no flag evaluation found in code, and no documented kill switch.",
        scenario: "A new feature misbehaves in production (load, data corruption, cost).",
        impact: "The only way to stop it is a rollback or a hotfix deploy, which takes far longer than flipping a \
switch and rolls back unrelated changes too.",
        detection: "Incidents mitigated by rollbacks of whole releases.",
        mitigation: "Put risky features and expensive dependencies behind flags or kill switches readable at run \
time, and document them.",
        fixes: &[(
            "python",
            "from openfeature import api\nclient = api.get_client()\nif client.get_boolean_value(\"new-checkout\", False):\n    ...",
        )],
        monitoring: "Audit flag changes; alert on flags left on for months.",
    },
    &[
        Case {
            files: &[
                ("README.md", "# Shop\n"),
                SVC,
                ("EXPECT", ". | no feature flag")
            ],
        },
        Case {
            files: &[
                (
                    "README.md",
                    "# Shop\n\n## Kill switches\n\nSet `DISABLE_RECS=1` to turn recommendations off.\n"
                ),
                SVC
            ],
        },
    ]
);

/// Repository rules.
pub fn rules() -> Vec<&'static RuleMeta> {
    vec![
        &RUNBOOK,
        &ROLLBACK,
        &ADR,
        &OWNERS,
        &SLO,
        &ALERTS,
        &DASHBOARDS,
        &SECURITY_POLICY,
        &README,
        &FEATURE_FLAGS,
    ]
}

/// Repository facts and the findings for those that are missing.
pub fn review(inputs: &Inputs<'_>) -> (BTreeMap<String, Fact>, Vec<Pending>) {
    // Nothing to review (an empty folder): no artifact can be asked of it.
    if inputs.results.iter().all(|r| r.skipped.is_some()) {
        let facts = pagerproof_core::taxonomy::repository_categories()
            .map(|c| {
                (
                    c.name.to_string(),
                    Fact::not_applicable("the repository has no files pagerproof reads"),
                )
            })
            .collect();
        return (facts, Vec::new());
    }
    let mut ev: BTreeMap<&str, Vec<Evidence>> = BTreeMap::new();
    let mut ci_files: Vec<(&str, &ci::CiInfo)> = Vec::new();
    let mut workloads = false;
    let mut image_tests: Vec<Evidence> = Vec::new();
    for r in inputs.results {
        for a in &r.artifacts {
            match a {
                Artifact::Image(i) => {
                    if let Some(l) = i.test_line {
                        image_tests.push(Evidence {
                            path: r.path.clone(),
                            line: Some(l),
                            note: "tests run in the image build".to_string(),
                        });
                    }
                }
                Artifact::RepoEvidence {
                    category,
                    line,
                    note,
                } => ev.entry(category).or_default().push(Evidence {
                    path: r.path.clone(),
                    line: *line,
                    note: note.clone(),
                }),
                Artifact::Ci(c) => ci_files.push((&r.path, c)),
                Artifact::K8s(o) if o.is_workload() => workloads = true,
                Artifact::Compose(_) | Artifact::HelmTemplate(_) => workloads = true,
                _ => {}
            }
        }
        if r.role == Some(Role::Production) {
            for s in r
                .signals
                .iter()
                .filter(|s| s.kind == SignalKind::FeatureFlag)
            {
                ev.entry("FEATURE-FLAGS").or_default().push(Evidence {
                    path: r.path.clone(),
                    line: Some(s.line),
                    note: s.detail.clone(),
                });
            }
        }
    }
    for v in ev.values_mut() {
        v.sort();
        v.dedup();
    }
    let deploys = workloads
        || inputs
            .components
            .iter()
            .any(|c| c.kind == "service" || c.kind == "job");
    let not_deployed =
        "the repository deploys no service or job (no service/job component, no workload manifest)";

    let mut facts = BTreeMap::new();
    let mut missing: Vec<(&'static RuleMeta, String)> = Vec::new();
    let plain = |cat: &str, ev: &BTreeMap<&str, Vec<Evidence>>| -> Option<Vec<Evidence>> {
        ev.get(cat).filter(|v| !v.is_empty()).map(|v| {
            let mut v = v.clone();
            v.truncate(8);
            v
        })
    };
    let table: [(&'static RuleMeta, bool, &str); 9] = [
        (
            &RUNBOOK,
            true,
            "no runbook, playbook or on-call document, and no alert links one",
        ),
        (
            &ROLLBACK,
            true,
            "no documented rollback procedure (no rollback section, no `helm rollback` / `kubectl rollout undo` in the docs)",
        ),
        (
            &ADR,
            false,
            "no architecture decision records (no adr/ or decisions/ folder, no Context/Decision documents)",
        ),
        (
            &OWNERS,
            false,
            "no CODEOWNERS, OWNERS or MAINTAINERS file and no ownership section",
        ),
        (
            &SLO,
            true,
            "no SLO or SLI definitions (no OpenSLO/Sloth/Pyrra spec, no SLO section with a target)",
        ),
        (
            &ALERTS,
            true,
            "no alert rules (no Prometheus rules, Alertmanager config or alert policies as code)",
        ),
        (
            &DASHBOARDS,
            true,
            "no dashboards as code (no Grafana/Datadog dashboard definitions)",
        ),
        (
            &SECURITY_POLICY,
            false,
            "no SECURITY.md or vulnerability reporting section",
        ),
        (
            &FEATURE_FLAGS,
            true,
            "no feature flag library, flag file or documented kill switch",
        ),
    ];
    for (meta, operational, why) in table {
        let cat = meta.category;
        let f = if operational && !deploys {
            Fact::not_applicable(not_deployed)
        } else if let Some(e) = plain(cat, &ev) {
            Fact::yes(e)
        } else {
            missing.push((meta, why.to_string()));
            Fact::no(why)
        };
        facts.insert(cat.to_string(), f);
    }

    // README: a root README, and setup/run(/deploy) instructions in READMEs or docs.
    let readme_ev = ev.get("README").cloned().unwrap_or_default();
    let has_root = readme_ev.iter().any(|e| e.line.is_none());
    let topic = |t: &str| readme_ev.iter().any(|e| e.note.starts_with(t));
    let mut lacking: Vec<&str> = Vec::new();
    for t in ["setup", "run", "deploy"] {
        if (t != "deploy" || deploys) && !topic(t) {
            lacking.push(t);
        }
    }
    let readme = if !has_root {
        let why = "no README at the repository root".to_string();
        missing.push((&README, why.clone()));
        Fact::no(why)
    } else if !lacking.is_empty() {
        let why = format!(
            "the README and docs/ give no {} instructions",
            lacking.join(", ")
        );
        missing.push((&README, why.clone()));
        Fact::no(why)
    } else {
        let mut e = readme_ev;
        // The root README first, then the rest of the documentation.
        e.sort_by(|a, b| {
            (a.path.contains('/'), &a.path, a.line).cmp(&(b.path.contains('/'), &b.path, b.line))
        });
        e.truncate(8);
        Fact::yes(e)
    };
    facts.insert("README".to_string(), readme);

    // CI.
    let has_components = !inputs.components.is_empty();
    let ci = if ci_files.is_empty() {
        if has_components {
            missing.push((
                &ci::NO_CI,
                "no CI configuration in the repository".to_string(),
            ));
            Fact::no("no CI configuration")
        } else {
            Fact::not_applicable("nothing to build: no component found")
        }
    } else {
        let tests: Vec<Evidence> = ci_files
            .iter()
            .flat_map(|(p, c)| {
                c.tests.iter().map(move |(l, cmd)| Evidence {
                    path: p.to_string(),
                    line: Some(*l),
                    note: cmd.clone(),
                })
            })
            .take(8)
            .collect();
        if tests.is_empty() && !image_tests.is_empty() {
            Fact::yes(image_tests)
        } else if tests.is_empty() && ci_files.iter().any(|(_, c)| c.opaque) {
            Fact::not_applicable(
                "CI delegates to templates, reusable workflows or child pipelines pagerproof cannot read; whether they run tests is unknown",
            )
        } else if tests.is_empty() {
            let names: Vec<&str> = ci_files.iter().map(|(p, _)| *p).take(3).collect();
            let why = format!("CI ({}) runs no tests", names.join(", "));
            missing.push((&ci::NO_TESTS, why.clone()));
            Fact::no(why)
        } else {
            Fact::yes(tests)
        }
    };
    facts.insert("CI".to_string(), ci);

    let mut findings = Vec::new();
    for (meta, why) in missing {
        if !crate::review::enabled(inputs.settings, meta) {
            continue;
        }
        let mut h = Hit::at(meta, 0, 0, meta.category, why);
        h.site(format!("repository:{}", meta.category));
        if let Some(p) = finish_hit(h, ".", Role::Production, "", &[], inputs.settings) {
            findings.push(p);
        }
    }
    (facts, findings)
}
