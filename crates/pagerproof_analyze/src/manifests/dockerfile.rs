//! Dockerfiles (and Containerfiles), parsed with tree-sitter-containerfile.
//!
//! Per file: DOCKER-USER (the final stage runs as root), DOCKER-TAG (a `FROM` image that
//! is untagged, `:latest` or a floating tag), DOCKER-SECRETS (credentials in `ENV`/`ARG`,
//! key and credential files copied into the image). DOCKER-HEALTHCHECK needs to know
//! whether an orchestrator probes the image, so the reader only records an [`ImageInfo`]
//! artifact and `cross.rs` decides. Signals: `Listen` for `EXPOSE`, and `HttpServer` +
//! `FrameworkShutdown` for gunicorn/uvicorn/hypercorn command lines (they drain on SIGTERM).
//!
//! Multi-stage builds: only the final stage ships, so only its user matters; it inherits
//! the user of the stage it is built `FROM`. `FROM <earlier stage>` and `FROM scratch` are
//! not images and are never reported; an image named through a build argument cannot be
//! decided and is listed as not analysed.

use std::cell::RefCell;

use pagerproof_core::{Confidence, Severity};
use tree_sitter::{Node, Parser, Tree};

use crate::case;
use crate::files;
use crate::lang::NodeExt;
use crate::manifests::{Artifact, ManifestOutput};
use crate::rule::{Docs, Handling, Hit, RuleMeta};
use crate::rules::secret;
use crate::signals::{Signal, SignalKind};

pub static USER: RuleMeta = RuleMeta {
    id: "dockerfile-runs-as-root",
    category: "DOCKER-USER",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["dockerfile"],
    summary: "Container image runs as root",
    docs: Docs {
        what: "The final stage of a Dockerfile sets no `USER` (and its base image runs as root), or its last \
`USER` is `root`/`0`. Only the final stage ships, so `USER` lines in build stages do not count, but a final stage \
built `FROM` an earlier stage inherits that stage's user. Base images known to run as non-root (distroless \
`:nonroot`/`:debug-nonroot`, Chainguard, Bitnami, `*-unprivileged`/`*-rootless` images) are not reported, nor are official images that \
set a non-root user themselves (grafana, prometheus, elasticsearch, jenkins, ...) or whose entrypoint steps down to \
one (postgres, mysql, redis, mongo, rabbitmq, vault, consul: unless the final stage replaces the `ENTRYPOINT`). The \
finding points at the `USER` line when there is one, otherwise at the final `FROM`. A `USER` given through a build \
argument that cannot be resolved is not reported. Dev-only Dockerfiles (`Dockerfile.debug`, `.dev`) are reported \
as hygiene (P3).",
        scenario: "An attacker gets code execution in the container (a deserialisation bug, an RCE in a \
dependency), or a container escape vulnerability is published.",
        impact: "The process is root inside the container: it can rewrite the application, read every mounted \
secret, and a kernel or runtime escape lands as root on the node. Orchestrators that enforce `runAsNonRoot` refuse \
to start the image.",
        detection: "`docker inspect --format '{{.Config.User}}' IMAGE` prints nothing or `root`; `ps` in the \
container shows uid 0.",
        mitigation: "Create an unprivileged user in the final stage and switch to it with `USER`, or use a \
non-root base (`gcr.io/distroless/static:nonroot`). Make files the app must write owned by that user.",
        fixes: &[(
            "dockerfile",
            "FROM gcr.io/distroless/static:nonroot\nCOPY --from=builder /app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n\n# Debian/Alpine based:\nRUN addgroup -S app && adduser -S -G app app\nUSER app",
        )],
        monitoring: "Admission policy (Pod Security `restricted`, Kyverno/Gatekeeper) rejecting pods whose \
containers can run as uid 0.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "svc/Dockerfile",
            r#"FROM golang:1.22@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS build
USER nobody
RUN go build -o /app .
FROM gcr.io/distroless/static:latest
^ final stage (FROM gcr.io/distroless/static:latest) sets no USER
COPY --from=build /app /app
ENTRYPOINT ["/app"]
"#
        ),
        case!(
            "api/Dockerfile",
            "FROM python:3.12-slim\nRUN useradd app\nUSER app\nCOPY . /srv\nUSER root\n^ `USER root`\nCMD [\"python\", \"app.py\"]\n"
        ),
        case!(
            "base/Dockerfile",
            "FROM node:20-alpine AS base\nUSER 0:0\nFROM base\n^ inherits root\nCMD [\"node\", \"index.js\"]\n"
        ),
        crate::rule::Case {
            files: &[
                (
                    "web/Dockerfile",
                    "FROM nginx:1.27.0\n^ force a non-root user\nCOPY site /usr/share/nginx/html\n",
                ),
                (
                    "k8s/web.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 101\n      containers:\n      - name: web\n        image: web:1.0.0\n",
                ),
            ],
        },
        case!(
            "ok/Dockerfile",
            "FROM python:3.12-slim AS build\nRUN pip wheel .\nFROM python:3.12-slim\nRUN useradd -u 10001 app\nUSER 10001\nCMD [\"python\", \"-m\", \"app\"]\n"
        ),
        case!(
            "ok2/Dockerfile",
            "FROM gcr.io/distroless/static:nonroot\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"
        ),
        case!(
            "ok3/Dockerfile",
            "FROM alpine:3.20 AS base\nRUN adduser -D app\nUSER app\nFROM base\nCMD [\"/bin/app\"]\n"
        ),
        case!(
            "db/Dockerfile",
            "FROM postgres:16.3\nCOPY init.sql /docker-entrypoint-initdb.d/\n"
        ),
        case!(
            "db2/Dockerfile",
            "FROM postgres:16.3\n^ sets no USER\nENTRYPOINT [\"postgres\"]\n"
        ),
        case!(
            "ok4/Dockerfile",
            "ARG APP_USER\nFROM alpine:3.20\nUSER ${APP_USER}\nCMD [\"/bin/app\"]\n"
        ),
    ],
};

pub static TAG: RuleMeta = RuleMeta {
    id: "dockerfile-base-image-unpinned",
    category: "DOCKER-TAG",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["dockerfile"],
    summary: "FROM image untagged, :latest or a floating tag",
    docs: Docs {
        what: "A `FROM` line whose image has no tag (implicitly `:latest`), the `:latest` tag, or a tag that only \
names a moving channel (`alpine`, `slim`, `lts`, `stable`, `edge`, ...). One finding per `FROM`. A digest \
(`@sha256:...`) pins the image whatever the tag says. `FROM scratch` and `FROM <earlier stage>` are not images and \
are never reported. An image given through a build argument (`FROM ${BASE}`) cannot be decided from the file and \
is listed under `not_analyzed` instead.",
        scenario: "The upstream image is re-pushed (a new major version, a distro upgrade, a compromised tag) \
between two builds of the same commit.",
        impact: "The same source builds a different image: a rebuild for a one-line hotfix can pull a new runtime \
or libc and break in production, and nobody can reproduce the old image. A hijacked tag ships straight into the \
build.",
        detection: "Image digests differ between builds of the same commit; regressions appear right after a \
rebuild with no code change.",
        mitigation: "Pin a specific version tag and its digest, and let a bot (Renovate, Dependabot) propose \
updates as reviewed pull requests.",
        fixes: &[("dockerfile", "FROM python:3.12.4-slim@sha256:<digest>")],
        monitoring: "Record the base image digest of every build (SBOM, provenance) and alert when a release \
changes it without a reviewed bump.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "svc/Dockerfile",
            r#"FROM golang:1.22.5@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS builder
RUN go build -o /app .
FROM builder AS test
RUN go test ./...
FROM gcr.io/distroless/static
     ^ `gcr.io/distroless/static` has no tag
COPY --from=builder /app /app
"#
        ),
        case!(
            "web/Dockerfile",
            "FROM node:latest AS deps\n     ^ `node:latest`\nRUN npm ci\nFROM --platform=$BUILDPLATFORM redis:alpine\n                               ^ floating tag `alpine`\n"
        ),
        case!(
            "ok/Dockerfile",
            "ARG BASE=python:3.12\nFROM ${BASE} AS base\nFROM base\nFROM scratch\nCOPY --from=base /x /x\nFROM python:3.12.4-slim\nFROM nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\nFROM registry.local:5000/team/app:1.2.3\n"
        ),
    ],
};

pub static SECRETS: RuleMeta = RuleMeta {
    id: "dockerfile-secret-baked-in",
    category: "DOCKER-SECRETS",
    severity: Severity::P0,
    confidence: Confidence::High,
    preview: false,
    languages: &["dockerfile"],
    summary: "Credential or key file baked into the image",
    docs: Docs {
        what: "A credential stored in an image: `ENV`/`ARG` whose name says it holds a secret (`*_PASSWORD`, \
`*_TOKEN`, `*_SECRET`, `API_KEY`, ...) given a literal value, or `COPY`/`ADD` of a file that holds keys or \
credentials (`.env`, `id_rsa`, private-key `*.pem`/`*.key`, `*.p12`, `credentials.json`, service-account keys, \
`.netrc`, `.pgpass`, `.git-credentials`). Values read from the build (`$VAR`), empty values and placeholders are not \
reported; the value is never printed. Copies from another stage (`COPY --from=`) are not files of the context. \
Secrets in the final stage ship with the image (P0); in a build stage they stay in the repository and the build \
cache (P1).",
        scenario: "The image is pushed to a registry, pulled to laptops and CI runners, or made public by mistake.",
        impact: "Anyone who can pull the image reads the credential: `docker history` shows ENV/ARG values and every \
layer keeps copied files even if a later step deletes them. Rotating it means rebuilding every image that has it.",
        detection: "`docker history --no-trunc IMAGE`, `docker inspect` (Env), or a secret scanner over image \
layers (trivy, ggshield) shows the value.",
        mitigation: "Pass secrets at run time (orchestrator secrets, a secret manager) and at build time with \
BuildKit secret mounts, and exclude key files with `.dockerignore`. Rotate any credential that was baked in.",
        fixes: &[(
            "dockerfile",
            "# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npm_token \\\n    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n# and at run time: env from a Kubernetes Secret, not ENV in the image",
        )],
        monitoring: "Scan pushed images for secrets in CI and in the registry; alert on any hit.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "svc/Dockerfile",
            r#"FROM python:3.12-slim
ENV APP_ENV=production DB_PASSWORD=Sup3r-S3cret-Passw0rd
                       ^ `DB_PASSWORD` is set to a literal value
ARG NPM_TOKEN=npm_4f9aZ0b2c3d4e5f6g7h8i9j0kLmNoPqRsTuV
    ^ `NPM_TOKEN`
COPY id_rsa /root/.ssh/id_rsa
     ^ `id_rsa`
COPY .env ./
     ^ `.env`
"#
        ),
        case!(
            "ok/Dockerfile",
            r#"FROM python:3.12-slim
ARG NPM_TOKEN
ENV DB_PASSWORD_FILE=/run/secrets/db_password API_TOKEN=$API_TOKEN SECRET_KEY=""
COPY .env.example ./
COPY --from=build /app/.env /app/
COPY certs/ca.pem /etc/ssl/certs/
"#
        ),
    ],
};

pub static HEALTHCHECK: RuleMeta = RuleMeta {
    id: "dockerfile-without-healthcheck",
    category: "DOCKER-HEALTHCHECK",
    severity: Severity::P3,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["dockerfile"],
    summary: "Image has no HEALTHCHECK and no orchestrator probe covers it",
    docs: Docs {
        what: "A Dockerfile with no `HEALTHCHECK` (or `HEALTHCHECK NONE`) whose image no orchestrator checks: no \
Kubernetes workload that runs the image (linked by skaffold artifacts, the image name or the component folder) has \
a readiness or liveness probe, and no compose service built from it has a `healthcheck:`. When a probe covers the \
image, a HEALTHCHECK adds nothing (Kubernetes ignores it), so nothing is reported. Dev-only Dockerfiles \
(`Dockerfile.debug`, `.dev`) are not asked for one. The finding is file-level (no line).",
        scenario: "The container runs under plain Docker, compose or a platform that relies on the image's health \
status, and the process hangs or loses a dependency without exiting.",
        impact: "The container stays `running` and keeps receiving traffic while failing every request; restart \
policies never trigger because nothing marks it unhealthy.",
        detection: "`docker ps` shows the container up with no health status while its requests fail.",
        mitigation: "Add a `HEALTHCHECK` that calls the service's health endpoint with a short timeout, or run the \
image only under an orchestrator probe.",
        fixes: &[(
            "dockerfile",
            "HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \\\n  CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1",
        )],
        monitoring: "Alert on containers reported `unhealthy` and on restarts triggered by health status.",
    },
    outside_production: Handling::Drop,
    cases: &[
        crate::rule::Case {
            files: &[
                (
                    "worker/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"python\", \"worker.py\"]\n",
                ),
                ("EXPECT", "worker/Dockerfile | no HEALTHCHECK"),
            ],
        },
        crate::rule::Case {
            files: &[
                (
                    "api/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nEXPOSE 8080\nCMD [\"python\", \"app.py\"]\n",
                ),
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api\n        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: 8080\n",
                ),
            ],
        },
        crate::rule::Case {
            files: &[
                (
                    "Dockerfile",
                    "FROM golang:1.22.5 AS build\nRUN go build -o /shop .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /shop /shop\nENTRYPOINT [\"/shop\"]\n",
                ),
                ("go.mod", "module github.com/acme/shop\n\ngo 1.22\n"),
                (
                    "deploy/shop.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: shop\n        image: ghcr.io/acme/shop:1.2.0\n        livenessProbe:\n          httpGet: { path: /healthz, port: 8080 }\n",
                ),
            ],
        },
        crate::rule::Case {
            files: &[
                (
                    "src/web/Dockerfile",
                    "FROM node:20.15.0-alpine\nUSER node\nCMD [\"node\", \"server.js\"]\n",
                ),
                (
                    "skaffold.yaml",
                    "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n  - image: storefront\n    context: src/web\n",
                ),
                (
                    "k8s/web.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: storefront\n        readinessProbe:\n          tcpSocket: { port: 3000 }\n",
                ),
            ],
        },
        case!(
            "ok/Dockerfile",
            "FROM python:3.12.4-slim\nUSER 1000\nHEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1\nCMD [\"python\", \"app.py\"]\n"
        ),
    ],
};

pub fn rules() -> Vec<&'static RuleMeta> {
    vec![&USER, &TAG, &SECRETS, &HEALTHCHECK]
}

/// What cross-file checks need to know about an image.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageInfo {
    /// `Dockerfile.debug`, `.dev`, ...: used for development only.
    pub dev_only: bool,
    /// Line of a `HEALTHCHECK` that is not `NONE`.
    pub healthcheck: Option<u32>,
    /// Line of the final stage's `FROM`.
    pub final_from: u32,
    /// Ports the image `EXPOSE`s.
    pub exposes: Vec<u16>,
    /// The command line of the final stage (ENTRYPOINT then CMD, as written).
    pub command: String,
    /// Line of that ENTRYPOINT (or CMD): `Listen` signals from it are real listens, those
    /// from `EXPOSE` only declarations.
    pub command_line: u32,
    /// The final stage runs as root: where and why (DOCKER-USER, reported by `cross.rs`).
    pub root_user: Option<RootUser>,
    /// A `RUN` that runs tests (a CI that builds the image runs them).
    pub test_line: Option<u32>,
}

/// A DOCKER-USER finding, decided per file and reported across files.
#[derive(Clone, Debug, PartialEq)]
pub struct RootUser {
    pub line: u32,
    pub col: u32,
    pub subject: String,
    pub message: String,
    pub site: String,
}

/// Whether a Dockerfile name marks a development-only image.
pub fn is_dev_only(path: &str) -> bool {
    let lower = files::base_name(path).to_ascii_lowercase();
    [".debug", ".dev", ".local", ".test", ".ci", ".devcontainer"]
        .iter()
        .any(|s| lower.ends_with(s))
        || lower.starts_with("dev.")
        || lower.starts_with("debug.")
        || path.contains(".devcontainer/")
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn parse(text: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&tree_sitter_containerfile::LANGUAGE.into())
                .ok()?;
            *slot = Some(p);
        }
        slot.as_mut()?.parse(text, None)
    })
}

/// One build stage.
#[derive(Debug, Default)]
struct Stage {
    line: u32,
    col: u32,
    image: String,
    alias: Option<String>,
    /// The earlier stage this one is built from.
    parent: Option<usize>,
    /// The last `USER` of the stage: line, column, value.
    user: Option<(u32, u32, String)>,
    /// `ENV`/`ARG` values seen in the stage, to resolve `USER $X`.
    vars: Vec<(String, String)>,
    /// `HEALTHCHECK` line (`Some(0)` for `HEALTHCHECK NONE`).
    healthcheck: Option<u32>,
    exposes: Vec<u16>,
    entrypoint: Option<(u32, String)>,
    cmd: Option<(u32, String)>,
}

pub fn analyze(path: &str, text: &str, out: &mut ManifestOutput) {
    let Some(tree) = parse(text) else {
        out.skipped = Some("Dockerfile could not be parsed".to_string());
        return;
    };
    let root = tree.root_node();
    let dev_only = is_dev_only(path);
    let src = text.as_bytes();
    let t = |n: Node<'_>| n.utf8_text(src).unwrap_or("");
    let pos = |n: Node<'_>| {
        let p = n.start_position();
        (p.row as u32 + 1, p.column as u32 + 1)
    };

    let mut global_args: Vec<(String, String)> = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut test_line: Option<u32> = None;
    // Secret hits are recorded with their stage, to set severity once the final stage is known.
    let mut secret_hits: Vec<(usize, Hit)> = Vec::new();

    let mut cursor = root.walk();
    for ins in root.named_children(&mut cursor) {
        let kind = ins.kind_name();
        let (line, col) = pos(ins);
        match kind {
            "from_instruction" => {
                let spec = named_child(ins, "image_spec");
                let image = spec.map(t).unwrap_or("").to_string();
                let alias = ins.field("as").map(|a| t(a).to_string());
                let parent = stages.iter().position(|s| {
                    s.alias
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&image))
                });
                // `FROM` col: the image itself, for the tag rule; the instruction for USER.
                let (iline, icol) = spec.map(pos).unwrap_or((line, col));
                if parent.is_none() {
                    check_tag(path, &image, iline, icol, &global_args, out);
                }
                stages.push(Stage {
                    line,
                    col,
                    image,
                    alias,
                    parent,
                    ..Stage::default()
                });
            }
            "arg_instruction" => {
                let mut c = ins.walk();
                for pair in ins
                    .named_children(&mut c)
                    .filter(|n| n.kind_name() == "arg_pair")
                {
                    let name = pair.field("name").map(t).unwrap_or("");
                    let value = pair.field("default").map(|v| unquote(t(v)));
                    if let Some(v) = &value {
                        if stages.is_empty() {
                            global_args.push((name.to_string(), v.clone()));
                        } else if let Some(s) = stages.last_mut() {
                            s.vars.push((name.to_string(), v.clone()));
                        }
                        let (pl, pc) = pos(pair);
                        if let Some(h) = secret_var(name, v, pl, pc, "ARG") {
                            secret_hits.push((stages.len().saturating_sub(1), h));
                        }
                    }
                }
            }
            "env_instruction" => {
                let mut c = ins.walk();
                for pair in ins
                    .named_children(&mut c)
                    .filter(|n| n.kind_name() == "env_pair")
                {
                    let name = pair.field("name").map(t).unwrap_or("");
                    let value = pair
                        .field("value")
                        .map(|v| unquote(t(v)))
                        .unwrap_or_default();
                    if let Some(s) = stages.last_mut() {
                        s.vars.push((name.to_string(), value.clone()));
                    }
                    let (pl, pc) = pos(pair);
                    if let Some(h) = secret_var(name, &value, pl, pc, "ENV") {
                        secret_hits.push((stages.len().saturating_sub(1), h));
                    }
                }
            }
            "user_instruction" => {
                let value = t(ins)
                    .trim_start()
                    .get(4..)
                    .unwrap_or("")
                    .trim()
                    .to_string();
                if let Some(s) = stages.last_mut() {
                    s.user = Some((line, col, value));
                }
            }
            "copy_instruction" | "add_instruction" => {
                let from_stage = params(ins, src).iter().any(|(n, _)| n == "from");
                if from_stage {
                    continue;
                }
                for (name, pl, pc) in sources(ins, src) {
                    if let Some(what) = secret_file(&name) {
                        let verb = if kind == "copy_instruction" {
                            "COPY"
                        } else {
                            "ADD"
                        };
                        let mut h = Hit::at(
                            &SECRETS,
                            pl.max(line),
                            if pl > 0 { pc } else { col },
                            name.clone(),
                            format!("{verb} of `{name}` ({what}) bakes it into an image layer"),
                        );
                        h.site(format!("{verb} {name}"));
                        secret_hits.push((stages.len().saturating_sub(1), h));
                    }
                }
            }
            "expose_instruction" => {
                let mut c = ins.walk();
                for p in ins
                    .named_children(&mut c)
                    .filter(|n| n.kind_name() == "expose_port")
                {
                    let raw = t(p);
                    let num = raw.split(['/', '-']).next().unwrap_or("");
                    if let Ok(port) = num.parse::<u16>() {
                        if let Some(s) = stages.last_mut() {
                            s.exposes.push(port);
                        }
                        out.signals.push(Signal {
                            kind: SignalKind::Listen,
                            line,
                            detail: port.to_string(),
                        });
                    }
                }
            }
            "healthcheck_instruction" => {
                let body = t(ins).get(11..).unwrap_or("").trim();
                if let Some(s) = stages.last_mut() {
                    s.healthcheck = Some(if body.eq_ignore_ascii_case("none") || body.is_empty() {
                        0
                    } else {
                        line
                    });
                }
            }
            "run_instruction" if test_line.is_none() && super::ci::runs_tests(t(ins)) => {
                test_line = Some(line);
            }
            "entrypoint_instruction" => {
                if let Some(s) = stages.last_mut() {
                    s.entrypoint = Some((line, command_text(ins, src)));
                    // An ENTRYPOINT resets an inherited CMD.
                    s.cmd = None;
                }
            }
            "cmd_instruction" => {
                if let Some(s) = stages.last_mut() {
                    s.cmd = Some((line, command_text(ins, src)));
                }
            }
            _ => {}
        }
    }

    let Some(last) = stages.len().checked_sub(1) else {
        // An empty or comment-only file has nothing to review; anything else without a
        // FROM is not a Dockerfile we understand (a template, a fragment), said as such.
        if src.split(|b| *b == b'\n').any(|l| {
            let l = l.trim_ascii();
            let l = l.strip_prefix(b"\xef\xbb\xbf").unwrap_or(l);
            !l.is_empty() && !l.starts_with(b"#")
        }) {
            out.skipped = Some("Dockerfile has no FROM instruction".to_string());
        }
        return;
    };
    // What the final image inherits from the stages it is built on.
    let chain = stages_leading_to(&stages, last);
    let first = |f: &dyn Fn(&Stage) -> bool| chain.iter().map(|&i| &stages[i]).find(|s| f(s));
    let healthcheck = first(&|s| s.healthcheck.is_some())
        .and_then(|s| s.healthcheck)
        .filter(|&l| l > 0);
    let exposes: Vec<u16> = chain
        .iter()
        .flat_map(|&i| stages[i].exposes.iter().copied())
        .collect();
    let entrypoint = first(&|s| s.entrypoint.is_some()).and_then(|s| s.entrypoint.clone());
    let cmd = first(&|s| s.cmd.is_some()).and_then(|s| s.cmd.clone());
    let cmd_line = entrypoint
        .as_ref()
        .or(cmd.as_ref())
        .map(|(l, _)| *l)
        .unwrap_or(0);
    let info = ImageInfo {
        dev_only,
        healthcheck,
        final_from: stages[last].line,
        exposes,
        command: format!(
            "{} {}",
            entrypoint.map(|e| e.1).unwrap_or_default(),
            cmd.map(|c| c.1).unwrap_or_default()
        )
        .trim()
        .to_string(),
        command_line: cmd_line,
        root_user: check_user(&stages, last),
        test_line,
    };

    for (stage, mut h) in secret_hits {
        if stage != last && !stages_leading_to(&stages, last).contains(&stage) {
            h.severity(Severity::P1);
            h.message.push_str(&format!(
                " (build stage `{}`: not shipped, but committed and cached)",
                stages[stage].alias.as_deref().unwrap_or("unnamed")
            ));
        }
        if dev_only {
            h.severity(Severity::P2);
        }
        out.hits.push(h);
    }

    if !info.command.is_empty() {
        server_signals(&info.command, cmd_line, &mut out.signals);
    }
    if dev_only {
        for h in out.hits.iter_mut() {
            if h.rule.id != SECRETS.id {
                h.severity(Severity::P3);
                h.message.push_str(" (dev-only Dockerfile)");
            }
        }
    }
    if info.root_user.is_some() {
        out.artifacts.push(Artifact::Source(text.to_string()));
    }
    out.artifacts.push(Artifact::Image(Box::new(info)));
}

/// The stages the final stage is built on (itself included).
fn stages_leading_to(stages: &[Stage], last: usize) -> Vec<usize> {
    let mut out = vec![last];
    let mut cur = last;
    while let Some(p) = stages[cur].parent {
        if out.contains(&p) {
            break;
        }
        out.push(p);
        cur = p;
    }
    out
}

fn named_child<'a>(n: Node<'a>, kind: &str) -> Option<Node<'a>> {
    let mut c = n.walk();
    n.named_children(&mut c).find(|x| x.kind_name() == kind)
}

/// `--name=value` options of an instruction.
fn params(ins: Node<'_>, src: &[u8]) -> Vec<(String, String)> {
    let mut c = ins.walk();
    ins.named_children(&mut c)
        .filter(|n| n.kind_name() == "param")
        .map(|p| {
            let text = p.utf8_text(src).unwrap_or("").trim_start_matches('-');
            let (name, value) = text.split_once('=').unwrap_or((text, ""));
            (name.to_string(), value.to_string())
        })
        .collect()
}

/// The source paths of a COPY/ADD (every path but the last), with their positions.
fn sources(ins: Node<'_>, src: &[u8]) -> Vec<(String, u32, u32)> {
    let mut c = ins.walk();
    let kids: Vec<Node<'_>> = ins.named_children(&mut c).collect();
    let mut paths: Vec<(String, u32, u32)> = Vec::new();
    for k in &kids {
        let p = k.start_position();
        let at = (p.row as u32 + 1, p.column as u32 + 1);
        match k.kind_name() {
            "path" => paths.push((k.utf8_text(src).unwrap_or("").to_string(), at.0, at.1)),
            "json_string_array" => {
                let mut c2 = k.walk();
                for s in k
                    .named_children(&mut c2)
                    .filter(|n| n.kind_name() == "json_string")
                {
                    let p = s.start_position();
                    paths.push((
                        unquote(s.utf8_text(src).unwrap_or("")),
                        p.row as u32 + 1,
                        p.column as u32 + 1,
                    ));
                }
            }
            _ => {}
        }
    }
    paths.pop();
    paths
}

/// ENTRYPOINT/CMD as one command line (JSON arrays joined by spaces).
fn command_text(ins: Node<'_>, src: &[u8]) -> String {
    if let Some(arr) = named_child(ins, "json_string_array") {
        let mut c = arr.walk();
        return arr
            .named_children(&mut c)
            .filter(|n| n.kind_name() == "json_string")
            .map(|s| unquote(s.utf8_text(src).unwrap_or("")))
            .collect::<Vec<_>>()
            .join(" ");
    }
    named_child(ins, "shell_command")
        .and_then(|n| n.utf8_text(src).ok())
        .unwrap_or("")
        .replace("\\\n", " ")
}

pub(crate) fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')))
    {
        s[1..s.len() - 1].to_string()
    } else {
        s.to_string()
    }
}

/// An image reference split into its parts.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    pub name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

/// Splits `registry:5000/ns/app:1.2@sha256:...`.
pub fn parse_image(image: &str) -> ImageRef<'_> {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
    match rest[slash..].rfind(':') {
        Some(i) => ImageRef {
            name: &rest[..slash + i],
            tag: Some(&rest[slash + i + 1..]),
            digest,
        },
        None => ImageRef {
            name: rest,
            tag: None,
            digest,
        },
    }
}

/// Tags that name a moving channel rather than a version.
const FLOATING_WORDS: &[&str] = &[
    "latest", "stable", "lts", "current", "edge", "mainline", "alpine", "slim", "nightly",
    "rolling", "master", "main", "develop", "dev", "beta", "canary", "next", "release",
];

/// How an image reference is pinned: `None` when it is pinned well enough, otherwise a
/// short description of the problem.
pub fn pinning_problem(image: &str) -> Option<String> {
    let r = parse_image(image);
    if r.digest.is_some() {
        return None;
    }
    match r.tag {
        None => Some(format!("`{}` has no tag (implicitly :latest)", r.name)),
        Some("latest") => Some(format!("`{image}` uses the :latest tag")),
        Some(tag) => {
            let floating = tag
                .split(['-', '_'])
                .all(|w| FLOATING_WORDS.contains(&w.to_ascii_lowercase().as_str()))
                && !tag.chars().any(|c| c.is_ascii_digit());
            floating.then(|| format!("`{image}` uses the floating tag `{tag}`"))
        }
    }
}

fn check_tag(
    path: &str,
    image: &str,
    line: u32,
    col: u32,
    _args: &[(String, String)],
    out: &mut ManifestOutput,
) {
    if image.is_empty() || image.eq_ignore_ascii_case("scratch") {
        return;
    }
    if image.contains('$') {
        out.artifacts.push(Artifact::NotAnalyzed {
            what: format!(
                "{path}:{line}: `FROM {image}` takes its image from a build argument; whether it is pinned cannot be decided from the file"
            ),
        });
        return;
    }
    if let Some(problem) = pinning_problem(image) {
        let mut h = Hit::at(
            &TAG,
            line,
            col,
            image.to_string(),
            format!("{problem}: rebuilds can pull a different image"),
        );
        h.site(format!("FROM {image}"));
        if !problem.contains("no tag") && !problem.contains(":latest") {
            h.severity(Severity::P3);
        }
        out.hits.push(h);
    }
}

/// Official images whose own `USER` is non-root, or whose entrypoint steps down to an
/// unprivileged user before starting the server (unless the final stage replaces the
/// `ENTRYPOINT`).
const STEP_DOWN_IMAGES: &[(&str, bool)] = &[
    // (image name, needs the image's own entrypoint)
    ("postgres", true),
    ("mysql", true),
    ("mariadb", true),
    ("redis", true),
    ("mongo", true),
    ("rabbitmq", true),
    ("hashicorp/vault", true),
    ("hashicorp/consul", true),
    ("memcached", false),
    ("elasticsearch", false),
    ("docker.elastic.co/elasticsearch/elasticsearch", false),
    ("docker.elastic.co/kibana/kibana", false),
    ("grafana/grafana", false),
    ("grafana/grafana-oss", false),
    ("jenkins/jenkins", false),
    ("sonarqube", false),
    ("quay.io/keycloak/keycloak", false),
];

/// Whether the base image runs its server as a non-root user by itself.
fn base_steps_down(image: &str, entrypoint_replaced: bool) -> bool {
    let l = image.to_ascii_lowercase();
    let name = parse_image(&l).name.to_string();
    let name = name
        .trim_start_matches("docker.io/")
        .trim_start_matches("library/")
        .to_string();
    let name = name.as_str();
    STEP_DOWN_IMAGES
        .iter()
        .any(|(n, needs_entry)| name == *n && !(*needs_entry && entrypoint_replaced))
        || name.starts_with("prom/")
        || name.starts_with("quay.io/prometheus/")
}

/// Base images known to run as a non-root user by default.
fn base_is_non_root(image: &str) -> bool {
    let l = image.to_ascii_lowercase();
    let r = parse_image(&l);
    let tag = r.tag.unwrap_or("");
    tag.contains("nonroot")
        || r.name.starts_with("cgr.dev/chainguard/") && !tag.contains("dev")
        || r.name.contains("bitnami/")
        || r.name.contains("unprivileged")
        || r.name.contains("rootless")
        || tag.contains("rootless")
        || r.name.contains("nonroot")
}

fn is_root_user(u: &str) -> bool {
    let user = u.split(':').next().unwrap_or("").trim();
    user == "root" || user == "0"
}

fn resolve_user(value: &str, stage: &Stage, globals: &[(String, String)]) -> Option<String> {
    if !value.contains('$') {
        return Some(value.to_string());
    }
    let name = value
        .trim_start_matches('$')
        .trim_start_matches('{')
        .split(['}', ':'])
        .next()
        .unwrap_or("");
    stage
        .vars
        .iter()
        .chain(globals.iter())
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty() && !v.contains('$'))
}

/// The root-user finding of the final stage, if any (decided here, reported by
/// `cross.rs`, which knows whether the orchestrator forces a non-root user).
fn check_user(stages: &[Stage], last: usize) -> Option<RootUser> {
    // Walk from the final stage to the stage that sets a USER (or to the base image).
    let mut cur = last;
    let mut seen = Vec::new();
    loop {
        let s = &stages[cur];
        if let Some((line, col, value)) = &s.user {
            let Some(resolved) = resolve_user(value, s, &[]) else {
                return None; // `USER $X` we cannot resolve: undecidable.
            };
            if is_root_user(&resolved) {
                let inherited = cur != last;
                return Some(RootUser {
                    line: if inherited { stages[last].line } else { *line },
                    col: if inherited { stages[last].col } else { *col },
                    subject: "USER".to_string(),
                    message: if inherited {
                        format!(
                            "final stage inherits root (`USER {value}` in stage `{}` at line {line}): the container runs as root",
                            s.alias.as_deref().unwrap_or("?")
                        )
                    } else {
                        format!(
                            "`USER {value}` is the last user of the final stage: the container runs as root"
                        )
                    },
                    site: format!("USER {value}"),
                });
            }
            return None;
        }
        match s.parent {
            Some(p) if !seen.contains(&p) => {
                seen.push(cur);
                cur = p;
            }
            _ => break,
        }
    }
    let base = &stages[cur].image;
    let entrypoint_replaced = stages_leading_to(stages, last)
        .iter()
        .any(|&i| stages[i].entrypoint.is_some());
    if base_is_non_root(base) || base.contains('$') || base_steps_down(base, entrypoint_replaced) {
        return None;
    }
    let f = &stages[last];
    Some(RootUser {
        line: f.line,
        col: f.col,
        subject: "final stage".to_string(),
        message: format!(
            "final stage (FROM {}) sets no USER: the container runs as root",
            short_digest(&f.image)
        ),
        site: format!("FROM {}", f.image),
    })
}

/// `image@sha256:0123456789abcdef...` shortened for messages.
pub fn short_digest(image: &str) -> String {
    match image.split_once("@sha256:") {
        Some((name, d)) if d.len() > 12 => format!("{name}@sha256:{}…", &d[..12]),
        _ => image.to_string(),
    }
}

/// A secret-named ENV/ARG with a literal value.
fn secret_var(name: &str, value: &str, line: u32, col: u32, verb: &str) -> Option<Hit> {
    let v = value.trim();
    if v.is_empty()
        || v.contains('$')
        || secret::is_placeholder(v)
        || !secret::sensitive_name(name)
        || v.len() < 4
    {
        return None;
    }
    let strong = secret::looks_like_credential(v);
    let mut h = Hit::at(
        &SECRETS,
        line,
        col,
        name.to_string(),
        if strong {
            format!(
                "{verb} `{name}` is set to a literal value in the image (visible in `docker history`)"
            )
        } else {
            format!(
                "{verb} `{name}` is set to a literal value in the image: a default credential ships with it"
            )
        },
    );
    h.secret(v.to_string());
    h.site(format!("{verb} {name}"));
    if !strong {
        h.severity(Severity::P2);
        h.confidence(Confidence::Medium);
    }
    Some(h)
}

/// Whether a copied source path is a key or credential file, and what kind.
pub fn secret_file(src: &str) -> Option<&'static str> {
    if src.contains('$') || src.contains('*') && !src.ends_with(".pem") && !src.ends_with(".key") {
        return None;
    }
    let name = files::base_name(src.trim_end_matches('/')).to_ascii_lowercase();
    if name == ".env"
        || name.starts_with(".env.")
            && ![
                "example", "sample", "template", "dist", "defaults", "test", "ci", "schema",
            ]
            .iter()
            .any(|s| name.ends_with(s))
    {
        return Some("environment file");
    }
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(&name.as_str()) {
        return Some("SSH private key");
    }
    if [
        ".netrc",
        ".pgpass",
        ".git-credentials",
        "credentials",
        "credentials.json",
        ".dockercfg",
        "kubeconfig",
        ".htpasswd",
    ]
    .contains(&name.as_str())
        || name.starts_with("service-account") && name.ends_with(".json")
        || name.starts_with("serviceaccount") && name.ends_with(".json")
    {
        return Some("credentials file");
    }
    if name.ends_with(".p12") || name.ends_with(".pfx") {
        return Some("key store");
    }
    if name.ends_with(".key") || name.ends_with(".pem") {
        let cert_like = [
            "cert", "crt", "ca.", "ca-", "-ca", "_ca", "chain", "bundle", "root", "pub", "public",
        ]
        .iter()
        .any(|w| name.contains(w));
        let key_like = name.contains("key") || name.contains("private") || name.contains("priv");
        if name.ends_with(".key") && !name.contains("pub") || key_like && !cert_like {
            return Some("private key");
        }
    }
    None
}

/// Whether a command line starts a Python application server (gunicorn, uvicorn, hypercorn,
/// granian, uWSGI, waitress, mod_wsgi): the app is served by it, so a development
/// `app.run()` under `if __name__ == "__main__"` is not what runs in the image.
pub fn runs_python_app_server(command: &str) -> bool {
    const SERVERS: [&str; 7] = [
        "gunicorn",
        "uvicorn",
        "hypercorn",
        "granian",
        "uwsgi",
        "waitress-serve",
        "mod_wsgi-express",
    ];
    command.split_whitespace().any(|w| {
        let w = w.trim_matches(['"', '\'', '[', ']', ',']);
        SERVERS.contains(&w.rsplit('/').next().unwrap_or(w))
    }) || command.contains("fastapi run")
}

/// gunicorn / uvicorn / hypercorn in a command line: a server that drains on SIGTERM.
pub fn server_signals(command: &str, line: u32, signals: &mut Vec<Signal>) {
    let words: Vec<&str> = command.split_whitespace().collect();
    let server = words.iter().find_map(|w| {
        let base = w.rsplit('/').next().unwrap_or(w);
        ["gunicorn", "uvicorn", "hypercorn", "granian"]
            .into_iter()
            .find(|s| base == *s)
    });
    let fastapi_run = words
        .windows(2)
        .any(|w| w[0].ends_with("fastapi") && w[1] == "run");
    let Some(server) = server.or(fastapi_run.then_some("uvicorn")) else {
        return;
    };
    signals.push(Signal {
        kind: SignalKind::HttpServer,
        line,
        detail: server.to_string(),
    });
    signals.push(Signal {
        kind: SignalKind::FrameworkShutdown,
        line,
        detail: format!("{server} drains in-flight requests on SIGTERM"),
    });
    // The port it binds.
    for (i, w) in words.iter().enumerate() {
        let val = if let Some(v) = w
            .strip_prefix("--bind=")
            .or_else(|| w.strip_prefix("--port="))
        {
            Some(v)
        } else if matches!(*w, "--bind" | "-b" | "--port") {
            words.get(i + 1).copied()
        } else {
            None
        };
        if let Some(v) = val {
            let port = v.trim_matches(['"', '\'']).rsplit(':').next().unwrap_or("");
            if let Ok(p) = port.parse::<u16>() {
                signals.push(Signal {
                    kind: SignalKind::Listen,
                    line,
                    detail: p.to_string(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_refs() {
        assert_eq!(
            parse_image("registry:5000/a/b:1.2@sha256:ab"),
            ImageRef {
                name: "registry:5000/a/b",
                tag: Some("1.2"),
                digest: Some("sha256:ab")
            }
        );
        assert_eq!(parse_image("frontend").tag, None);
        assert!(pinning_problem("redis:alpine").is_some());
        assert!(pinning_problem("redis:7.2-alpine").is_none());
        assert!(pinning_problem("debian:bookworm").is_none());
        assert!(pinning_problem("busybox:1.38.0@sha256:fd").is_none());
        assert!(pinning_problem("busybox@sha256:fd").is_none());
    }

    #[test]
    fn secret_files() {
        assert_eq!(secret_file(".env"), Some("environment file"));
        assert_eq!(
            secret_file("config/.env.production"),
            Some("environment file")
        );
        assert_eq!(secret_file(".env.example"), None);
        assert_eq!(secret_file("tls/server.key"), Some("private key"));
        assert_eq!(secret_file("certs/ca.pem"), None);
        assert_eq!(secret_file("certs/cert.pem"), None);
        assert_eq!(secret_file("private-key.pem"), Some("private key"));
        assert_eq!(secret_file("."), None);
    }

    #[test]
    fn python_app_servers() {
        assert!(runs_python_app_server("uwsgi --ini service.ini"));
        assert!(runs_python_app_server(
            "/usr/local/bin/gunicorn -b :8000 app:app"
        ));
        assert!(runs_python_app_server(
            "waitress-serve --port=8080 shop:app"
        ));
        assert!(!runs_python_app_server("python uwsgi_helper.py"));
        assert!(!runs_python_app_server("python app.py"));
    }

    #[test]
    fn gunicorn_signals() {
        let mut s = Vec::new();
        server_signals("gunicorn -b 0.0.0.0:8080 app:app", 7, &mut s);
        assert!(s.iter().any(|x| x.kind == SignalKind::FrameworkShutdown));
        assert!(
            s.iter()
                .any(|x| x.kind == SignalKind::Listen && x.detail == "8080")
        );
    }
}
