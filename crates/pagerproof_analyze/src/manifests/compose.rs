//! docker-compose files: every service is recorded (with its build context, so images can
//! be linked to components), and credentials written into `environment` are reported
//! here. Healthcheck, restart policy and memory limits are decided in `cross.rs`: they only
//! matter when compose is how the application is deployed (no Kubernetes workload or Helm
//! chart in the repository) and the file is not a development override, and a healthcheck
//! may come from the image's own `HEALTHCHECK`.

use pagerproof_core::{Confidence, Severity};

use crate::case;
use crate::files;
use crate::manifests::yaml::Y;
use crate::manifests::{Artifact, ManifestOutput};
use crate::rule::{Case, Docs, Handling, Hit, RuleMeta};
use crate::rules::secret;

/// One compose service.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub name: String,
    pub line: u32,
    pub col: u32,
    pub image: Option<String>,
    /// Build context, as a repository path.
    pub build_context: Option<String>,
    pub dockerfile: Option<String>,
    /// `Some(true)` a healthcheck is defined, `Some(false)` it is disabled.
    pub healthcheck: Option<bool>,
    pub restart: Option<String>,
    pub memory_limit: bool,
    /// The file is a development variant (`docker-compose.dev.yml`, `.override`, or in a
    /// `.devcontainer/`, `dev/`, `test*/`, `e2e/`, `examples/` folder).
    pub dev_file: bool,
    /// The file looks like a production deployment: its name or folder says so
    /// (`prod`, `production`, `deploy`), or some service in it sets a restart policy or
    /// `deploy:` settings (its author thought about how it runs, not just how it starts).
    pub deployment_file: bool,
}

/// Whether a file name is a compose file name.
pub fn is_compose_name(lower: &str) -> bool {
    let stem = lower.trim_end_matches(".yaml").trim_end_matches(".yml");
    stem == "docker-compose"
        || stem == "compose"
        || stem.starts_with("docker-compose.")
        || stem.starts_with("docker-compose-")
        || stem.starts_with("compose.")
}

const DEV_WORDS: &[&str] = &[
    "dev",
    "devcontainer",
    "local",
    "override",
    "test",
    "tests",
    "testing",
    "ci",
    "debug",
    "example",
    "examples",
    "e2e",
    "demo",
    "sample",
    "samples",
    "playground",
    "sandbox",
    "development",
    "worktree",
    "integration",
];

fn tokens(path: &str) -> Vec<String> {
    path.to_ascii_lowercase()
        .split(['/', '-', '_', '.'])
        .map(str::to_string)
        .collect()
}

/// A development, test or example compose file (by the words in its path), or one
/// outside production code.
fn is_dev_file(path: &str) -> bool {
    tokens(path).iter().any(|t| DEV_WORDS.contains(&t.as_str()))
        || crate::files::role_of(path) != crate::files::Role::Production
}

/// A compose file whose name or folder says it deploys.
fn is_deployment_path(path: &str) -> bool {
    tokens(path).iter().any(|t| {
        matches!(
            t.as_str(),
            "prod" | "production" | "deploy" | "deployment" | "release" | "stack" | "swarm"
        )
    })
}

/// Reads a compose file; `false` when the YAML is not one.
pub fn analyze(path: &str, lower: &str, docs: &[Y], text: &str, out: &mut ManifestOutput) -> bool {
    let Some(doc) = docs.first() else {
        return false;
    };
    let Some(services) = doc.get("services").filter(|s| s.is_map()) else {
        return false;
    };
    let looks_compose = services
        .entries()
        .iter()
        .all(|e| e.value.get("image").is_some() || e.value.get("build").is_some());
    if !(is_compose_name(lower) || looks_compose && doc.get("apiVersion").is_none()) {
        return false;
    }
    let dir = files::parent_dir(path);
    let dev_file = is_dev_file(path);
    let deployment_file = is_deployment_path(path)
        || services
            .entries()
            .iter()
            .any(|e| e.value.get("restart").is_some() || e.value.get("deploy").is_some());
    for e in services.entries() {
        let s = &e.value;
        let (ctx, dockerfile) = match s.get("build") {
            Some(b) if b.as_str().is_some() => (Some(join(dir, b.text())), None),
            Some(b) => (
                b.get("context")
                    .map(|c| join(dir, c.text()))
                    .or(Some(dir.to_string())),
                b.get("dockerfile").map(|d| d.text().to_string()),
            ),
            None => (None, None),
        };
        let healthcheck = s.get("healthcheck").map(|h| {
            h.get("disable").and_then(Y::as_bool) != Some(true)
                && !h
                    .get("test")
                    .map(|t| {
                        t.strings()
                            .first()
                            .is_some_and(|f| f.eq_ignore_ascii_case("NONE"))
                    })
                    .unwrap_or(false)
        });
        let memory_limit = s.get("mem_limit").is_some()
            || s.path(&["deploy", "resources", "limits", "memory"])
                .is_some();
        let restart = s.get("restart").map(|r| r.text().to_string()).or_else(|| {
            s.path(&["deploy", "restart_policy", "condition"])
                .map(|c| c.text().to_string())
        });
        let svc = Service {
            name: e.key.clone(),
            line: e.line,
            col: e.col,
            image: s.get("image").map(|i| i.text().to_string()),
            build_context: ctx.clone(),
            dockerfile: dockerfile.clone(),
            healthcheck,
            restart,
            memory_limit,
            dev_file,
            deployment_file,
        };
        if let Some(c) = &ctx {
            out.artifacts.push(Artifact::Build {
                image: svc.image.clone().unwrap_or_else(|| e.key.clone()),
                context: c.clone(),
                dockerfile: dockerfile.unwrap_or_else(|| "Dockerfile".to_string()),
                line: e.line,
            });
        }
        environment_secrets(s, &svc, out);
        out.artifacts.push(Artifact::Compose(Box::new(svc)));
    }
    out.artifacts.push(Artifact::Source(text.to_string()));
    true
}

/// `dir` + relative path, normalised (`./`, `..`).
pub fn join(dir: &str, rel: &str) -> String {
    let rel = rel.trim();
    let mut parts: Vec<&str> = if dir == "." || rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            x => parts.push(x),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

fn environment_secrets(s: &Y, svc: &Service, out: &mut ManifestOutput) {
    let Some(env) = s.get("environment") else {
        return;
    };
    let mut pairs: Vec<(String, String, u32, u32)> = Vec::new();
    for e in env.entries() {
        pairs.push((e.key.clone(), e.value.text().to_string(), e.line, e.col));
    }
    for i in env.items() {
        if let Some((k, v)) = i.text().split_once('=') {
            pairs.push((k.to_string(), v.to_string(), i.line, i.col));
        }
    }
    for (name, value, line, col) in pairs {
        let v = value.trim().trim_matches(['"', '\'']);
        let lv = v.to_ascii_lowercase();
        if v.is_empty()
            || v.contains('$')
            || v.len() < 4
            || secret::is_placeholder(v)
            || ["insecure", "changeit", "secret123", "password123"]
                .iter()
                .any(|w| lv.contains(w))
            || !secret::sensitive_name(&name)
        {
            continue;
        }
        let strong = secret::looks_like_credential(v);
        if !strong && svc.dev_file {
            continue;
        }
        let mut h = Hit::at(
            &SECRET_ENV,
            line,
            col,
            name.clone(),
            format!(
                "compose service `{}` sets `{name}` to a literal value{}",
                svc.name,
                if strong {
                    ""
                } else {
                    " (a default credential)"
                }
            ),
        );
        h.secret(v.to_string());
        h.site(format!("{} {name}", svc.name));
        // Variants of one stack in one folder repeat the service: one finding.
        h.group_in_folder(format!("{} {name}", svc.name));
        match (strong, svc.dev_file) {
            (true, false) => {}
            (true, true) => {
                h.severity(Severity::P2);
            }
            _ => {
                h.severity(Severity::P2).confidence(Confidence::Medium);
            }
        }
        out.hits.push(h);
    }
}

pub static SECRET_ENV: RuleMeta = RuleMeta {
    id: "compose-secret-in-environment",
    category: "SECRET",
    severity: Severity::P0,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Credential written into a compose service's environment",
    docs: Docs {
        what: "A docker-compose service whose `environment` gives a secret-named variable (`*_PASSWORD`, `*_TOKEN`, \
`*_SECRET`, `API_KEY`, ...) a literal value. `${VAR}` interpolation, empty values and placeholders are not reported, \
and the value is never printed. Weak default passwords (`postgres`) are reported only in files that are not \
development variants (`docker-compose.dev.yml`, `.override`, `.local`, ...); credential-looking values in those are \
P2.",
        scenario: "The repository is cloned, forked or leaked; the compose file is reused for a shared or \
production environment.",
        impact: "The credential is readable by everyone with access to the repository and its history; rotating it \
requires rewriting history or accepting it stays exposed.",
        detection: "Secret scanners (gitleaks, GitHub secret scanning) report the file.",
        mitigation: "Reference variables from an untracked `.env` file or compose `secrets:`, and rotate the \
committed value.",
        fixes: &[(
            "yaml",
            "services:\n  api:\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt   # not committed",
        )],
        monitoring: "Run a secret scanner in CI and alert on new findings.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "docker-compose.yml",
            r#"services:
  api:
    build: ./api
    environment:
      - DATABASE_URL=postgres://db/app
      - DB_PASSWORD=Pr0d-Passw0rd-7741!
        ^ `DB_PASSWORD`
      - DB_ALLOW_BLANK_PASSWORD=true
      - DB_GENERATE_ADMIN_PASSWORD=yes
  db:
    image: postgres:16.3
    environment:
      POSTGRES_PASSWORD: postgres
      ^ a default credential
"#
        ),
        case!(
            "docker-compose.dev.yml",
            "services:\n  db:\n    image: postgres:16.3\n    environment:\n      POSTGRES_PASSWORD: postgres\n      API_TOKEN: ${API_TOKEN}\n"
        ),
    ],
};

pub static HEALTHCHECK: RuleMeta = RuleMeta {
    id: "compose-service-without-healthcheck",
    category: "DOCKER-HEALTHCHECK",
    severity: Severity::P3,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["yaml"],
    summary: "Compose service with no healthcheck (compose is the deployment)",
    docs: Docs {
        what: "A service of a compose file that deploys the application (the repository has no Kubernetes workload \
or Helm chart; the file is not a development variant; its name or folder says production/deploy, or some service in \
it already sets a restart policy or `deploy:` settings) with no `healthcheck:` and no `HEALTHCHECK` in the image it \
builds. Services from third-party images are included: their health gates `depends_on: condition: \
service_healthy`.",
        scenario: "The process hangs or loses a dependency without exiting.",
        impact: "Compose (and `depends_on`) treats the container as healthy: dependants start against a broken \
service and nothing restarts it.",
        detection: "`docker compose ps` shows the service up with no health status while requests fail.",
        mitigation: "Add a `healthcheck` calling the service's health endpoint, and make dependants wait for \
`service_healthy`.",
        fixes: &[(
            "yaml",
            "healthcheck:\n  test: [\"CMD\", \"wget\", \"-qO-\", \"http://127.0.0.1:8080/healthz\"]\n  interval: 15s\n  timeout: 3s\n  retries: 3",
        )],
        monitoring: "Alert on containers reported unhealthy.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "compose.yaml",
            "services:\n  api:\n  ^ `api` has no healthcheck\n    image: ghcr.io/acme/api:1.2.0\n    restart: unless-stopped\n    mem_limit: 512m\n  web:\n    image: ghcr.io/acme/web:1.2.0\n    restart: always\n    mem_limit: 256m\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n"
        ),
        Case {
            files: &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    build: ./api\n    restart: always\n    mem_limit: 512m\n",
                ),
                (
                    "api/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1\nCMD [\"python\", \"app.py\"]\n",
                ),
            ],
        },
    ],
};

pub static RESTART: RuleMeta = RuleMeta {
    id: "compose-service-without-restart-policy",
    category: "K8S-REPLICAS",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["yaml"],
    summary: "Compose service with no restart policy (compose is the deployment)",
    docs: Docs {
        what: "A long-running service of a compose file that deploys the application (no Kubernetes workload or \
Helm chart in the repository, not a development variant, and the file is a deployment: named or placed as one, or \
other services in it set restart or `deploy:` settings) with no `restart:` (or `deploy.restart_policy`); an \
explicit `restart: \"no\"` is taken as intentional. Compose has no replicas: the restart policy is its only recovery.",
        scenario: "The process crashes (an uncaught exception, an OOM kill) or the host reboots.",
        impact: "The service stays down until someone notices and restarts it by hand.",
        detection: "`docker compose ps` shows the service exited.",
        mitigation: "Set `restart: unless-stopped` (or `always`) on every long-running service.",
        fixes: &[("yaml", "services:\n  api:\n    restart: unless-stopped")],
        monitoring: "Alert on exited containers and on restart loops.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "docker-compose.yml",
            "services:\n  worker:\n  ^ `worker` has no restart policy\n    image: ghcr.io/acme/worker:1.0.0\n    mem_limit: 256m\n    healthcheck: { test: [\"CMD\", \"true\"] }\n  api:\n    image: ghcr.io/acme/api:1.0.0\n    restart: unless-stopped\n    mem_limit: 256m\n    healthcheck: { test: [\"CMD\", \"true\"] }\n"
        ),
        case!(
            "docker-compose.override.yml",
            "services:\n  worker:\n    image: ghcr.io/acme/worker:1.0.0\n"
        ),
        case!(
            "docker-compose.yml",
            "# local dependencies for development\nservices:\n  db:\n    image: postgres:16.3\n  cache:\n    image: redis:7.2.5\n"
        ),
    ],
};

pub static MEMORY: RuleMeta = RuleMeta {
    id: "compose-service-without-memory-limit",
    category: "K8S-RESOURCES",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["yaml"],
    summary: "Compose service with no memory limit (compose is the deployment)",
    docs: Docs {
        what: "A service of a compose file that deploys the application (no Kubernetes workload or Helm chart in \
the repository, not a development variant, and the file is a deployment: named or placed as one, or other services \
in it set restart or `deploy:` settings) with neither `mem_limit` nor `deploy.resources.limits.memory`.",
        scenario: "A leak or a burst of large requests in one service on a host shared by all services.",
        impact: "The host runs out of memory and the kernel OOM-kills whichever process it picks, often the \
database or another service.",
        detection: "Host memory pressure and OOM kills in the kernel log.",
        mitigation: "Give every service a memory limit sized from observed usage.",
        fixes: &[(
            "yaml",
            "services:\n  api:\n    deploy:\n      resources:\n        limits:\n          memory: 512M",
        )],
        monitoring: "Alert on container memory near its limit and on OOM kills.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "docker-compose.yml",
            "services:\n  api:\n  ^ `api` has no memory limit\n    image: ghcr.io/acme/api:1.0.0\n    restart: always\n    healthcheck: { test: [\"CMD\", \"true\"] }\n  web:\n    image: ghcr.io/acme/web:1.0.0\n    restart: always\n    healthcheck: { test: [\"CMD\", \"true\"] }\n    deploy:\n      resources:\n        limits:\n          memory: 256M\n"
        ),
        Case {
            files: &[
                (
                    "docker-compose.yml",
                    "services:\n  api:\n    image: ghcr.io/acme/api:1.0.0\n",
                ),
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.0.0\n",
                ),
            ],
        },
    ],
};

pub fn rules() -> Vec<&'static RuleMeta> {
    vec![&SECRET_ENV, &HEALTHCHECK, &RESTART, &MEMORY]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(join("deploy", "../api"), "api");
        assert_eq!(join(".", "./api"), "api");
        assert_eq!(join("a/b", "."), "a/b");
        assert!(is_compose_name("docker-compose.prod.yml"));
        assert!(is_compose_name("compose.yaml"));
        assert!(!is_compose_name("composer.yaml"));
    }
}
