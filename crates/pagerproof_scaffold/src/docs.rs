//! ADR, RFC, postmortem and technology-evaluation documents, in the structure of the
//! staff-engineer templates (`seeds/staff-engineer-agent.md`), prefilled with the
//! repository's components and the review's findings.
//!
//! Topics come from the findings: the RFC takes the cross-cutting change with the widest
//! reach (timeouts and deadlines when TIMEOUT findings span components), the ADR the most
//! pressing remaining decision (graceful shutdown when SHUTDOWN gaps exist, ...), the
//! technology evaluation a library that closes the largest gap (a circuit breaker when
//! calls to dependencies are unprotected), and the postmortem is a pre-mortem: the top
//! failure modes the review predicts, as "what could happen", with their sites. What only
//! people know (dates, deciders, costs, targets) stays a TODO.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pagerproof_core::{Finding, Severity};

use crate::context::Ctx;
use crate::md::{self, cite, site};

/// A decision the review can motivate: which findings raise it, and the options.
struct Topic {
    id: &'static str,
    title: &'static str,
    categories: &'static [&'static str],
    problem: &'static str,
    drivers: &'static [(&'static str, &'static str)],
    options: &'static [Opt],
    /// Index into `options` of the proposed choice.
    chosen: usize,
    why: &'static str,
    positive: &'static [&'static str],
    negative: &'static [&'static str],
    mitigations: &'static [(&'static str, &'static str)],
    metrics: &'static [(&'static str, &'static str)],
    /// Per-language implementation hint.
    how: &'static [(&'static str, &'static str)],
}

struct Opt {
    name: &'static str,
    description: &'static str,
    pros: &'static [&'static str],
    cons: &'static [&'static str],
    risk: &'static str,
}

const TOPICS: &[Topic] = &[
    Topic {
        id: "timeouts",
        title: "A deadline on every network call",
        categories: &["TIMEOUT"],
        problem: "Outbound calls (HTTP, gRPC, databases, model APIs) and servers run without a finite \
timeout. When a dependency hangs instead of failing, every request that reaches it waits forever, \
workers fill up, and the outage spreads to every caller.",
        drivers: &[
            (
                "Reliability",
                "a slow dependency must degrade one feature, not the whole system",
            ),
            (
                "Debuggability",
                "a call that fails after its deadline leaves an error to read; a hung call leaves nothing",
            ),
            (
                "Consistency",
                "one rule for every language and client, checked in CI",
            ),
        ],
        options: &[
            Opt {
                name: "Deadline propagation with per-call budgets",
                description: "Every inbound request gets a deadline; outbound calls derive theirs from it \
(Go `context.WithTimeout`, gRPC deadlines, `timeout=` on Python clients, `AbortSignal.timeout` in Node). \
Clients are constructed once with a default timeout so new call sites inherit it.",
                pros: &[
                    "Bounded latency end to end",
                    "Failures surface as errors at the right place",
                    "Works without new infrastructure",
                ],
                cons: &[
                    "Touches every call site",
                    "Budgets need tuning per dependency",
                ],
                risk: "Low",
            },
            Opt {
                name: "Timeouts in the service mesh or load balancer only",
                description: "Set request timeouts in the mesh (e.g. Istio VirtualService `timeout`) and leave code unchanged.",
                pros: &["No code change", "Central configuration"],
                cons: &[
                    "Database, queue and third-party calls bypass the mesh",
                    "The caller's thread still waits until the proxy gives up",
                    "No deadline propagation",
                ],
                risk: "Medium",
            },
            Opt {
                name: "Client defaults only",
                description: "Configure default timeouts on shared HTTP/gRPC client constructors, no per-request deadlines.",
                pros: &[
                    "Small change",
                    "Catches new call sites that use the shared client",
                ],
                cons: &[
                    "Call chains can still exceed the caller's budget",
                    "Ad hoc clients stay unbounded",
                ],
                risk: "Medium",
            },
        ],
        chosen: 0,
        why: "It is the only option that bounds every kind of call the review found (HTTP, gRPC, database, model APIs) \
and lets a caller's deadline cut work short downstream.",
        positive: &[
            "Hung dependencies turn into fast, visible errors",
            "Worker pools stop filling up during partial outages",
            "Latency objectives become enforceable",
        ],
        negative: &[
            "Requests that used to succeed slowly now fail",
            "Budgets must be maintained as dependencies change",
        ],
        mitigations: &[
            (
                "Spurious failures",
                "start with generous budgets from observed p99 latency and tighten them",
            ),
            (
                "Regression",
                "keep `pagerproof review --fail-on P1` in CI so new calls without timeouts fail the build",
            ),
        ],
        metrics: &[
            ("TIMEOUT findings", "0 in production code"),
            (
                "p99 latency under dependency failure",
                "bounded by the caller's budget (TODO: value)",
            ),
        ],
        how: &[
            (
                "go",
                "derive a `context.WithTimeout` per call from the request context; `grpc.WithDefaultCallOptions` is not a deadline: set one on the context",
            ),
            (
                "python",
                "pass `timeout=` on every requests/httpx call and gRPC stub call; give clients a default",
            ),
            (
                "javascript",
                "`fetch(url, { signal: AbortSignal.timeout(ms) })`; axios/got `timeout`; gRPC `deadline` option",
            ),
            (
                "typescript",
                "`fetch(url, { signal: AbortSignal.timeout(ms) })`; axios/got `timeout`; gRPC `deadline` option",
            ),
            (
                "java",
                "`withDeadlineAfter` on gRPC stubs; connect/read timeouts on HTTP clients",
            ),
        ],
    },
    Topic {
        id: "graceful-shutdown",
        title: "Graceful shutdown for every service",
        categories: &["SHUTDOWN", "K8S-GRACE", "FORCE-KILL", "CANCEL"],
        problem: "Services exit on SIGTERM without draining: every deploy, rollback, scale-in or node \
drain kills requests in flight. Callers see errors on every release, and work in progress is lost.",
        drivers: &[
            (
                "Safe deploys",
                "a rollout or rollback must not produce errors by itself",
            ),
            (
                "Data integrity",
                "work in flight finishes or is handed back, never half-done",
            ),
            (
                "Operability",
                "the same shutdown contract in every language",
            ),
        ],
        options: &[
            Opt {
                name: "Handle SIGTERM and drain in every service",
                description: "On SIGTERM: fail readiness, stop accepting, finish in-flight requests within a \
deadline shorter than `terminationGracePeriodSeconds`, close clients, exit 0. A short `preStop` sleep lets \
endpoints update before the listener closes.",
                pros: &[
                    "No errors during rollouts",
                    "Works with any orchestrator",
                    "Testable locally with `kill -TERM`",
                ],
                cons: &["Code in every service", "Long requests need a cut-off"],
                risk: "Low",
            },
            Opt {
                name: "Kubernetes-only: preStop sleep and a longer grace period",
                description: "Add `preStop: sleep` and raise `terminationGracePeriodSeconds`, leave the code as is.",
                pros: &["No code change"],
                cons: &[
                    "The process still dies mid-request when SIGTERM arrives",
                    "Hides the problem rather than fixing it",
                ],
                risk: "Medium",
            },
            Opt {
                name: "Rely on client retries",
                description: "Accept dropped requests and let callers retry.",
                pros: &["Nothing to build"],
                cons: &[
                    "Unsafe for non-idempotent operations",
                    "Retries multiply load during deploys",
                ],
                risk: "High",
            },
        ],
        chosen: 0,
        why: "Only draining in the process itself removes the errors every rollout causes today; the preStop \
sleep from option 2 is kept as a complement.",
        positive: &[
            "Deploys and rollbacks stop producing errors",
            "Autoscaling in is safe",
            "Clean exits make crash signals meaningful",
        ],
        negative: &[
            "Pods take longer to terminate",
            "Each language needs its own implementation",
        ],
        mitigations: &[
            (
                "Slow terminations",
                "cap the drain at a deadline below the grace period",
            ),
            (
                "Drift",
                "keep the SHUTDOWN check in CI (`pagerproof review`)",
            ),
        ],
        metrics: &[
            (
                "5xx/UNAVAILABLE during a rollout",
                "0 (TODO: measure the current baseline)",
            ),
            ("SHUTDOWN findings", "0"),
        ],
        how: &[
            (
                "go",
                "`ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)`; on `<-ctx.Done()` call `srv.Shutdown(drainCtx)` / `grpcServer.GracefulStop()`",
            ),
            (
                "python",
                "gRPC: `server.stop(grace)` from a SIGTERM handler; HTTP: run under gunicorn/uvicorn, which drain on SIGTERM",
            ),
            (
                "javascript",
                "`process.on('SIGTERM', () => server.close(...))`; gRPC: `server.tryShutdown(cb)`",
            ),
            (
                "typescript",
                "`process.on('SIGTERM', () => server.close(...))`; gRPC: `server.tryShutdown(cb)`",
            ),
            (
                "java",
                "Spring: `server.shutdown=graceful`; gRPC: a shutdown hook calling `server.shutdown().awaitTermination(...)`",
            ),
        ],
    },
    Topic {
        id: "observability",
        title: "One observability baseline: metrics, traces and structured logs",
        categories: &[
            "METRICS",
            "TRACING",
            "STRUCTURED-LOGS",
            "REQUEST-ID",
            "LOG-CONTEXT",
        ],
        problem: "Services do not all expose request metrics, traces or structured logs with a correlation id. \
During an incident nobody can answer \"is it healthy right now?\" or follow one request across services.",
        drivers: &[
            (
                "Detection",
                "alerts and SLOs need request, error and latency metrics from every service",
            ),
            (
                "Diagnosis",
                "one trace id across services and in every log line",
            ),
            ("Cost", "one instrumentation stack, not one per team"),
        ],
        options: &[
            Opt {
                name: "OpenTelemetry SDKs in every service",
                description: "OpenTelemetry for metrics and traces (server and client interceptors), JSON logs carrying the trace id.",
                pros: &[
                    "Vendor-neutral",
                    "RED metrics and traces from the same interceptors",
                    "Works in every language found here",
                ],
                cons: &["An SDK per language to keep current", "A collector to run"],
                risk: "Low",
            },
            Opt {
                name: "Service mesh telemetry only",
                description: "Take request metrics and spans from the mesh sidecars.",
                pros: &["No code change for RED metrics"],
                cons: &[
                    "No business metrics, no in-process spans",
                    "Logs still unstructured",
                ],
                risk: "Medium",
            },
            Opt {
                name: "Per-language Prometheus clients and ad hoc logging",
                description: "Each team instruments with its language's Prometheus client.",
                pros: &["Simple, well known"],
                cons: &["Names and labels drift between services", "No tracing"],
                risk: "Medium",
            },
        ],
        chosen: 0,
        why: "It covers all three signals in every language the repository uses and keeps names consistent, which the alerts and SLOs depend on.",
        positive: &[
            "Every service answers the same health questions",
            "Traces connect the call chain",
        ],
        negative: &[
            "Collector to operate",
            "Instrumentation overhead to measure",
        ],
        mitigations: &[(
            "Overhead",
            "sample traces; keep metric label cardinality bounded",
        )],
        metrics: &[
            ("Services exposing RED metrics", "all"),
            ("Log lines with a trace id", "TODO: target"),
        ],
        how: &[
            (
                "go",
                "`otelgrpc`/`otelhttp` handlers; `slog` JSON handler with the trace id",
            ),
            (
                "python",
                "`opentelemetry-instrumentation-grpc`/`-flask`; `python-json-logger`",
            ),
            (
                "javascript",
                "`@opentelemetry/sdk-node` with auto-instrumentations; pino",
            ),
            (
                "typescript",
                "`@opentelemetry/sdk-node` with auto-instrumentations; pino",
            ),
            ("java", "the OpenTelemetry Java agent; Logback JSON encoder"),
        ],
    },
    Topic {
        id: "health",
        title: "A health and readiness contract",
        categories: &["HEALTH", "K8S-PROBES"],
        problem: "Some services expose no health or readiness check, or run without probes: the orchestrator \
sends traffic to pods that cannot serve it and never restarts a wedged process.",
        drivers: &[
            ("Availability", "traffic only reaches pods that can serve"),
            ("Self-healing", "wedged processes restart"),
        ],
        options: &[
            Opt {
                name: "Separate liveness and readiness endpoints in every service",
                description: "Liveness: the process can make progress. Readiness: it can serve (dependencies it needs are reachable). gRPC services implement grpc.health.v1.",
                pros: &["Standard, understood by every orchestrator"],
                cons: &["Readiness checks of dependencies can cascade if done naively"],
                risk: "Low",
            },
            Opt {
                name: "TCP probes only",
                description: "Probe the listening port.",
                pros: &["No code"],
                cons: &["A deadlocked process still passes"],
                risk: "Medium",
            },
        ],
        chosen: 0,
        why: "It is the only option that detects a process that listens but cannot serve.",
        positive: &["Bad rollouts stop at the first unready pod"],
        negative: &["Probes need tuning to avoid restart storms"],
        mitigations: &[(
            "Restart storms",
            "liveness checks only the process itself; dependencies belong in readiness",
        )],
        metrics: &[("Workloads with readiness and liveness probes", "all")],
        how: &[
            (
                "go",
                "`grpc_health_v1` server or an HTTP `/healthz` and `/readyz`",
            ),
            (
                "python",
                "`grpc_health.v1.health` servicer or a Flask/FastAPI route",
            ),
            ("javascript", "`grpc-health-check` or an Express route"),
            (
                "java",
                "Spring Boot Actuator health groups or `HealthStatusManager`",
            ),
        ],
    },
    Topic {
        id: "resilience",
        title: "Circuit breakers and retry budgets for unstable dependencies",
        categories: &["RESILIENCE", "RETRY"],
        problem: "Calls to dependencies have no circuit breaker, bulkhead or bounded retry: a failing dependency \
is hammered by retries and drags its callers down with it.",
        drivers: &[
            (
                "Blast radius",
                "one failing dependency must not take its callers down",
            ),
            ("Load", "retries must not multiply traffic during an outage"),
        ],
        options: &[
            Opt {
                name: "A resilience library in each service",
                description: "Circuit breaker and retry with backoff and a budget around each dependency client.",
                pros: &["Fine-grained, per dependency", "Fallbacks possible"],
                cons: &["Code in every service"],
                risk: "Low",
            },
            Opt {
                name: "Mesh-level outlier detection and retries",
                description: "Istio/Linkerd outlier detection and retry policies.",
                pros: &["No code"],
                cons: &["No fallbacks", "Only for traffic through the mesh"],
                risk: "Medium",
            },
        ],
        chosen: 0,
        why: "Fallbacks and per-dependency budgets need the code.",
        positive: &["Failures stay contained"],
        negative: &["Another library per language"],
        mitigations: &[(
            "Misconfiguration",
            "start with conservative thresholds and alert on breaker state",
        )],
        metrics: &[("Dependencies behind a breaker", "all external ones")],
        how: &[
            ("go", "`sony/gobreaker` or `failsafe-go`"),
            ("python", "`pybreaker`, `tenacity` for bounded retries"),
            ("javascript", "`opossum` or `cockatiel`"),
            ("java", "Resilience4j"),
        ],
    },
    Topic {
        id: "secrets",
        title: "Secrets come from a secret store, never from code or images",
        categories: &["SECRET", "DOCKER-SECRETS", "LOG-SENSITIVE"],
        problem: "Credentials are in the repository, images or logs: anyone with read access holds production access, and rotating them means a code change.",
        drivers: &[
            ("Security", "no credential in code, images or logs"),
            ("Rotation", "rotate without a deploy"),
        ],
        options: &[
            Opt {
                name: "A secret manager injected at run time",
                description: "Kubernetes Secrets backed by a cloud secret manager or Vault, mounted or injected as environment.",
                pros: &["Rotation without code change", "Audit trail"],
                cons: &["Another system to run"],
                risk: "Low",
            },
            Opt {
                name: "Encrypted secrets in the repository",
                description: "SOPS or sealed-secrets.",
                pros: &["GitOps-friendly"],
                cons: &["Rotation still needs a commit"],
                risk: "Medium",
            },
        ],
        chosen: 0,
        why: "It removes credentials from every artifact the review can see.",
        positive: &["Leaked repositories stop leaking access"],
        negative: &["Local development needs a secret source"],
        mitigations: &[(
            "Leaked history",
            "rotate every credential the review found; history rewriting is not enough",
        )],
        metrics: &[("SECRET findings", "0")],
        how: &[],
    },
    Topic {
        id: "workload-resources",
        title: "Resource requests, limits and disruption budgets for every workload",
        categories: &["K8S-RESOURCES", "K8S-REPLICAS"],
        problem: "Workloads run without requests/limits or with a single replica and no disruption budget: noisy neighbours, OOM kills and node drains take services down.",
        drivers: &[
            ("Availability", "survive a node drain"),
            ("Predictability", "capacity planning from declared requests"),
        ],
        options: &[
            Opt {
                name: "Requests, limits, ≥2 replicas and a PodDisruptionBudget per service",
                description: "Declared in the manifests, reviewed in CI.",
                pros: &["Predictable scheduling", "Safe drains"],
                cons: &["More capacity"],
                risk: "Low",
            },
            Opt {
                name: "Namespace LimitRanges and defaults",
                description: "Cluster-level defaults.",
                pros: &["One place"],
                cons: &["Defaults fit nobody"],
                risk: "Medium",
            },
        ],
        chosen: 0,
        why: "Per-workload values match each service's real needs.",
        positive: &["Node drains stop causing outages"],
        negative: &["Values must follow real usage"],
        mitigations: &[(
            "Wrong limits",
            "set from observed usage with headroom; alert on memory near limit",
        )],
        metrics: &[("Workloads with limits and a PDB", "all")],
        how: &[],
    },
    Topic {
        id: "error-handling",
        title: "Errors are handled or propagated, never dropped",
        categories: &["SWALLOW"],
        problem: "Errors are swallowed (empty handlers, discarded return values): failures look like successes, data is silently lost and incidents start without a trace.",
        drivers: &[
            ("Correctness", "a failure is visible where it happens"),
            ("Diagnosis", "every dropped error is a log line or a metric"),
        ],
        options: &[
            Opt {
                name: "Handle, wrap and propagate; log once at the boundary",
                description: "Lint rules plus review: no empty handler, no discarded error without a comment.",
                pros: &["Failures become visible"],
                cons: &["Touches many sites"],
                risk: "Low",
            },
            Opt {
                name: "Log everywhere",
                description: "Log each error where it is caught.",
                pros: &["Quick"],
                cons: &["Duplicate, noisy logs"],
                risk: "Medium",
            },
        ],
        chosen: 0,
        why: "It fixes correctness, not only visibility.",
        positive: &["Silent failures disappear"],
        negative: &["Some flows need explicit fallbacks"],
        mitigations: &[("Noise", "count expected errors as metrics, not logs")],
        metrics: &[("SWALLOW findings", "0")],
        how: &[],
    },
];

fn weight(s: Severity) -> usize {
    match s {
        Severity::P0 => 8,
        Severity::P1 => 4,
        Severity::P2 => 2,
        Severity::P3 => 1,
    }
}

struct Scored<'t, 'a> {
    topic: &'t Topic,
    findings: Vec<&'a Finding>,
    components: Vec<String>,
    score: usize,
}

fn scored<'a>(ctx: &Ctx<'a>) -> Vec<Scored<'static, 'a>> {
    let mut v: Vec<Scored<'static, 'a>> = TOPICS
        .iter()
        .map(|t| {
            let findings = ctx.in_categories(t.categories);
            let components = ctx.components_with(t.categories);
            let score = findings.iter().map(|f| weight(f.severity)).sum::<usize>()
                * components.len().max(1);
            Scored {
                topic: t,
                findings,
                components,
                score,
            }
        })
        .filter(|s| !s.findings.is_empty())
        .collect();
    v.sort_by(|a, b| b.score.cmp(&a.score).then(a.topic.id.cmp(b.topic.id)));
    v
}

/// The RFC's topic: timeouts when they span components or are many, else the top topic.
fn rfc_topic<'a>(all: &'a [Scored<'static, 'a>]) -> Option<&'a Scored<'static, 'a>> {
    all.iter()
        .find(|s| s.topic.id == "timeouts" && (s.components.len() >= 2 || s.findings.len() >= 3))
        .or_else(|| all.first())
}

/// The ADR's topic: graceful shutdown when SHUTDOWN gaps exist, else the top topic the RFC
/// did not take.
fn adr_topic<'a>(all: &'a [Scored<'static, 'a>]) -> Option<&'a Scored<'static, 'a>> {
    let rfc = rfc_topic(all).map(|s| s.topic.id);
    all.iter()
        .find(|s| s.topic.id == "graceful-shutdown")
        .or_else(|| all.iter().find(|s| Some(s.topic.id) != rfc))
        .or_else(|| all.first())
}

fn languages(ctx: &Ctx<'_>, comps: &[String]) -> Vec<String> {
    let mut l: Vec<String> = ctx
        .report
        .components
        .iter()
        .filter(|c| comps.is_empty() || comps.contains(&c.path))
        .flat_map(|c| c.languages.iter().cloned())
        .collect();
    l.sort();
    l.dedup();
    l
}

fn header_scope(ctx: &Ctx<'_>) -> String {
    match &ctx.selected {
        Some(p) => format!("component `{p}` of `{}`", ctx.repo),
        None => format!("`{}`", ctx.repo),
    }
}

/// The affected components, each with its first few findings.
fn affected(out: &mut String, ctx: &Ctx<'_>, s: &Scored<'_, '_>, per: usize) {
    let mut by: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &s.findings {
        by.entry(f.component.as_str()).or_default().push(f);
    }
    for (comp, fs) in by {
        let name = ctx
            .report
            .components
            .iter()
            .find(|c| c.path == comp)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| "repository".to_string());
        let _ = writeln!(out, "- **{name}** (`{comp}`): {} finding(s)", fs.len());
        for f in fs.iter().take(per) {
            let _ = writeln!(out, "  - {} — {}", cite(f), f.message);
        }
        if fs.len() > per {
            let _ = writeln!(out, "  - and {} more", fs.len() - per);
        }
    }
}

/// Deployment facts that bear on the decision (grace periods for shutdown, probes for
/// health, resources and replicas for workload sizing).
fn deploy_context(out: &mut String, ctx: &Ctx<'_>, s: &Scored<'_, '_>) {
    let mut lines = Vec::new();
    for svc in ctx
        .runnable
        .iter()
        .filter(|r| s.components.contains(&r.comp.path))
    {
        for (w, _) in svc.k8s_workloads() {
            let fact = match s.topic.id {
                "graceful-shutdown" => Some(match &w.termination_grace_period {
                    Some(g) => format!(
                        "terminationGracePeriodSeconds {g}: the drain must finish well within it"
                    ),
                    None => {
                        "terminationGracePeriodSeconds not set (Kubernetes default 30)".to_string()
                    }
                }),
                "health" => Some(if w.probes.is_empty() {
                    "no probes".to_string()
                } else {
                    w.probes
                        .iter()
                        .map(|p| format!("{} {}", p.kind, p.check))
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
                "workload-resources" => Some(format!(
                    "replicas {}; {}",
                    w.replicas.as_deref().unwrap_or("not set"),
                    if w.resources.is_empty() {
                        "no requests or limits".to_string()
                    } else {
                        w.resources
                            .iter()
                            .map(|r| r.name.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                )),
                _ => None,
            };
            if let Some(f) = fact {
                lines.push(format!(
                    "- {} `{}` (`{}`): {f}",
                    w.kind,
                    w.name,
                    md::at(&w.at)
                ));
            }
        }
    }
    if !lines.is_empty() {
        let _ = writeln!(out, "\n**Deployment facts** (from the manifests):\n");
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
    }
}

fn others(out: &mut String, all: &[Scored<'_, '_>], skip: &str, what: &str) {
    let rest: Vec<&Scored<'_, '_>> = all.iter().filter(|s| s.topic.id != skip).collect();
    if rest.is_empty() {
        let _ = writeln!(out, "- No other candidate {what} from this review.");
        return;
    }
    for s in rest {
        let _ = writeln!(
            out,
            "- Candidate {what}: **{}** — {} finding(s) in {} component(s) ({}).",
            s.topic.title,
            s.findings.len(),
            s.components.len(),
            s.topic.categories.join(", ")
        );
    }
}

fn how_for(out: &mut String, t: &Topic, langs: &[String]) {
    for l in langs {
        if let Some((_, h)) = t.how.iter().find(|(k, _)| k == l) {
            let _ = writeln!(out, "- {l}: {h}");
        }
    }
}

fn rules_of(s: &Scored<'_, '_>) -> Vec<String> {
    let mut r: Vec<String> = s.findings.iter().map(|f| f.rule.clone()).collect();
    r.sort();
    r.dedup();
    r
}

fn owners(ctx: &Ctx<'_>) -> String {
    let mut o: Vec<String> = ctx
        .runnable
        .iter()
        .flat_map(|s| s.inv.owners.iter().cloned())
        .collect();
    o.sort();
    o.dedup();
    if o.is_empty() {
        "TODO (no CODEOWNERS found)".to_string()
    } else {
        format!("TODO — owners per CODEOWNERS: {}", o.join(", "))
    }
}

fn no_topic(kind: &str, ctx: &Ctx<'_>) -> String {
    format!(
        "# {kind}: {}\n\n{}\n\nThe review found no gap that motivates {} {kind} (no finding in the \
categories it draws topics from). **TODO**: pick a topic; `pagerproof review` lists what was checked.\n",
        ctx.repo,
        ctx.provenance(),
        if kind.starts_with(['A', 'E', 'I', 'O', 'U', 'R']) {
            "an"
        } else {
            "a"
        }
    )
}

pub fn adr(ctx: &Ctx<'_>) -> String {
    let all = scored(ctx);
    let Some(s) = adr_topic(&all) else {
        return no_topic("ADR", ctx);
    };
    let t = s.topic;
    let langs = languages(ctx, &s.components);
    let mut out = String::new();
    let _ = writeln!(out, "# ADR-0001: {}\n", t.title);
    let _ = writeln!(out, "**Status**: Proposed");
    let _ = writeln!(out, "**Date**: YYYY-MM-DD (TODO)");
    let _ = writeln!(out, "**Deciders**: {}", owners(ctx));
    let _ = writeln!(
        out,
        "**Technical Story**: TODO link — raised by the pagerproof review of {} (rules: {})\n",
        header_scope(ctx),
        rules_of(s).join(", ")
    );
    let _ = writeln!(out, "---\n");
    let _ = writeln!(out, "{}\n", ctx.provenance());
    let _ = writeln!(out, "## Context and Problem Statement\n");
    let _ = writeln!(out, "{}\n", t.problem);
    let _ = writeln!(
        out,
        "**Current state** (from the review): {} finding(s) in {} of {} component(s) that run, \
languages {}:\n",
        s.findings.len(),
        s.components.len(),
        ctx.runnable.len(),
        if langs.is_empty() {
            "-".to_string()
        } else {
            langs.join(", ")
        }
    );
    affected(&mut out, ctx, s, 3);
    deploy_context(&mut out, ctx, s);
    let _ = writeln!(
        out,
        "\n**Constraints**: TODO (time, people, platform). **Business driver**: TODO (what an outage of \
these services costs).\n"
    );
    let _ = writeln!(out, "## Decision Drivers\n");
    for (k, v) in t.drivers {
        let _ = writeln!(out, "- **{k}**: {v}");
    }
    out.push('\n');
    let _ = writeln!(out, "## Considered Options\n");
    for (i, o) in t.options.iter().enumerate() {
        let _ = writeln!(out, "### Option {}: {}\n", i + 1, o.name);
        let _ = writeln!(out, "**Description**: {}\n", o.description);
        let _ = writeln!(out, "**Pros**:");
        for p in o.pros {
            let _ = writeln!(out, "- ✅ {p}");
        }
        let _ = writeln!(out, "\n**Cons**:");
        for c in o.cons {
            let _ = writeln!(out, "- ❌ {c}");
        }
        let _ = writeln!(
            out,
            "\n**Cost**: TODO\n**Timeline**: TODO\n**Risk Level**: {}\n",
            o.risk
        );
    }
    let chosen = &t.options[t.chosen.min(t.options.len() - 1)];
    let _ = writeln!(out, "## Decision Outcome\n");
    let _ = writeln!(
        out,
        "**Chosen option** (proposed, to be confirmed by the deciders): **Option {} — {}**\n",
        t.chosen + 1,
        chosen.name
    );
    let _ = writeln!(out, "**Justification**: {}\n", t.why);
    if !langs.is_empty() {
        let _ = writeln!(out, "**Technical details per language found here**:\n");
        how_for(&mut out, t, &langs);
        out.push('\n');
    }
    let _ = writeln!(out, "## Consequences\n");
    let _ = writeln!(out, "### Positive Consequences");
    for p in t.positive {
        let _ = writeln!(out, "- ✅ {p}");
    }
    let _ = writeln!(out, "\n### Negative Consequences");
    for n in t.negative {
        let _ = writeln!(out, "- ⚠️ {n}");
    }
    let _ = writeln!(out, "\n### Mitigation Strategies");
    for (k, v) in t.mitigations {
        let _ = writeln!(out, "- **{k}**: {v}");
    }
    let _ = writeln!(out, "\n## Implementation Plan\n");
    let _ = writeln!(
        out,
        "### Phase 1: the components the review flagged (TODO: timeline)"
    );
    for c in &s.components {
        let n = s.findings.iter().filter(|f| &f.component == c).count();
        let _ = writeln!(out, "- [ ] `{c}`: fix the {n} finding(s) listed above");
    }
    let _ = writeln!(out, "\n### Phase 2: keep it fixed (TODO: timeline)");
    let _ = writeln!(
        out,
        "- [ ] Run `pagerproof review --fail-on P1` in CI so the gap cannot come back\n\
- [ ] Add the alerts from `pagerproof scaffold alerts` that watch for it\n"
    );
    let _ = writeln!(out, "### Success Metrics");
    for (k, v) in t.metrics {
        let _ = writeln!(out, "- **{k}**: {v}");
    }
    let _ = writeln!(out, "\n## Related Decisions\n");
    others(&mut out, &all, t.id, "ADR");
    let _ = writeln!(out, "\n## References\n");
    for r in rules_of(s) {
        let _ = writeln!(
            out,
            "- `pagerproof explain {r}`: the risk, scenario and fix for each finding above"
        );
    }
    out
}

pub fn rfc(ctx: &Ctx<'_>) -> String {
    let all = scored(ctx);
    let Some(s) = rfc_topic(&all) else {
        return no_topic("RFC", ctx);
    };
    let t = s.topic;
    let langs = languages(ctx, &s.components);
    let chosen = &t.options[t.chosen.min(t.options.len() - 1)];
    let mut out = String::new();
    let _ = writeln!(out, "# RFC-0001: {}\n", t.title);
    let _ = writeln!(out, "**Author**: TODO");
    let _ = writeln!(out, "**Date**: YYYY-MM-DD (TODO)");
    let _ = writeln!(out, "**Status**: Draft");
    let _ = writeln!(out, "**Reviewers**: {}", owners(ctx));
    let _ = writeln!(out, "**Discussion**: TODO link\n");
    let _ = writeln!(out, "---\n");
    let _ = writeln!(out, "{}\n", ctx.provenance());
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(
        out,
        "This RFC proposes **{}** across {}. The review found {} site(s) in {} component(s) that need it. \
{}\n",
        chosen.name.to_ascii_lowercase(),
        header_scope(ctx),
        s.findings.len(),
        s.components.len(),
        t.why
    );
    let _ = writeln!(out, "## Motivation\n");
    let _ = writeln!(out, "### Problem Statement\n");
    let _ = writeln!(out, "{}\n", t.problem);
    affected(&mut out, ctx, s, 4);
    let _ = writeln!(out, "\n### Goals\n");
    for (k, v) in t.metrics {
        let _ = writeln!(out, "- **{k}**: {v}");
    }
    for (k, v) in t.drivers {
        let _ = writeln!(out, "- **{k}**: {v}");
    }
    let _ = writeln!(out, "\n### Non-Goals\n");
    let _ = writeln!(
        out,
        "- Fixing the review's other findings (see Related work)\n- TODO: anything else out of scope\n"
    );
    let _ = writeln!(out, "## Proposal\n");
    let _ = writeln!(out, "### High-Level Design\n");
    let _ = writeln!(out, "{}\n", chosen.description);
    let _ = writeln!(out, "### Detailed Design\n");
    if langs.is_empty() {
        let _ = writeln!(out, "- TODO: per-language design\n");
    } else {
        how_for(&mut out, t, &langs);
        out.push('\n');
    }
    let _ = writeln!(out, "### Migration Strategy\n");
    let mut comps: Vec<(String, usize)> = s
        .components
        .iter()
        .map(|c| {
            (
                c.clone(),
                s.findings.iter().filter(|f| &f.component == c).count(),
            )
        })
        .collect();
    comps.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let _ = writeln!(
        out,
        "#### Phase 1: the most affected components (TODO: weeks)"
    );
    for (c, n) in comps.iter().take(3) {
        let _ = writeln!(out, "- [ ] `{c}` ({n} site(s))");
    }
    if comps.len() > 3 {
        let _ = writeln!(out, "\n#### Phase 2: the rest (TODO: weeks)");
        for (c, n) in comps.iter().skip(3) {
            let _ = writeln!(out, "- [ ] `{c}` ({n} site(s))");
        }
    }
    let _ = writeln!(
        out,
        "\n#### Phase 3: enforcement\n- [ ] `pagerproof review --fail-on P1` in CI\n"
    );
    let _ = writeln!(out, "### Rollback Plan\n");
    let _ = writeln!(
        out,
        "Each change is per call site and per service: revert the service's deploy (see its runbook, \
`pagerproof scaffold runbook --component NAME`). TODO: flag or configuration that disables the new behaviour \
without a deploy.\n"
    );
    let _ = writeln!(out, "## Alternatives Considered\n");
    for (i, o) in t.options.iter().enumerate() {
        if i == t.chosen {
            continue;
        }
        let _ = writeln!(out, "### Alternative: {}\n", o.name);
        let _ = writeln!(out, "{}\n", o.description);
        let _ = writeln!(out, "**Pros**:");
        for p in o.pros {
            let _ = writeln!(out, "- ✅ {p}");
        }
        let _ = writeln!(out, "\n**Cons**:");
        for c in o.cons {
            let _ = writeln!(out, "- ❌ {c}");
        }
        let _ = writeln!(out, "\n**Why Not Chosen**: {}\n", t.why);
    }
    let _ = writeln!(out, "## Impact Analysis\n");
    let _ = writeln!(out, "### Engineering Impact\n");
    let _ = writeln!(out, "| Component | Sites | Owners |");
    let _ = writeln!(out, "|---|---|---|");
    for (c, n) in &comps {
        let o = ctx
            .runnable
            .iter()
            .find(|r| &r.comp.path == c)
            .map(|r| r.inv.owners.join(" "))
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| "TODO".to_string());
        let _ = writeln!(out, "| `{c}` | {n} | {} |", md::cell(&o));
    }
    let _ = writeln!(out, "\n**Total Effort**: TODO engineer-weeks\n");
    let _ = writeln!(out, "### Operational Impact\n");
    let _ = writeln!(
        out,
        "- [ ] Alerts and dashboards watching the change (`pagerproof scaffold alerts`, `pagerproof scaffold dashboard`)\n"
    );
    let _ = writeln!(out, "## Risks and Mitigations\n");
    let _ = writeln!(out, "| Risk | Likelihood | Impact | Mitigation |");
    let _ = writeln!(out, "|---|---|---|---|");
    for (k, v) in t.mitigations {
        let _ = writeln!(out, "| {k} | TODO | TODO | {} |", md::cell(v));
    }
    let _ = writeln!(out, "\n## Success Metrics\n");
    for (k, v) in t.metrics {
        let _ = writeln!(out, "- **{k}**: {v}");
    }
    let _ = writeln!(out, "\n## Open Questions\n");
    let _ = writeln!(
        out,
        "- [ ] **Q: What budget does each dependency get?**\n  - A: TODO\n- [ ] **Q: Who owns the rollout per component?**\n  - A: TODO\n"
    );
    let _ = writeln!(out, "## Related work\n");
    others(&mut out, &all, t.id, "RFC/ADR");
    let _ = writeln!(out, "\n## References\n");
    for r in rules_of(s) {
        let _ = writeln!(out, "- `pagerproof explain {r}`");
    }
    out
}

pub fn postmortem(ctx: &Ctx<'_>) -> String {
    // Failure modes: the review's categories ranked by severity, then reach.
    let mut by_cat: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &ctx.findings {
        by_cat.entry(f.category.as_str()).or_default().push(f);
    }
    let mut modes: Vec<(&str, Vec<&Finding>)> = by_cat.into_iter().collect();
    modes.sort_by(|a, b| {
        let sa = a.1.iter().map(|f| f.severity).min();
        let sb = b.1.iter().map(|f| f.severity).min();
        sa.cmp(&sb)
            .then(b.1.len().cmp(&a.1.len()))
            .then(a.0.cmp(b.0))
    });
    let mut out = String::new();
    let _ = writeln!(out, "# Postmortem: TODO incident title\n");
    let _ = writeln!(
        out,
        "> A pre-mortem template for {}: fill it in after an incident. The \"What could happen\" \
section lists the failure modes the review predicts, most severe first, with the code that would cause \
them, so the first responder knows where to look.\n",
        header_scope(ctx)
    );
    let _ = writeln!(out, "**Date**: YYYY-MM-DD");
    let _ = writeln!(out, "**Duration**: TODO start – end (UTC)");
    let _ = writeln!(out, "**Severity**: P0/P1/P2");
    let _ = writeln!(out, "**Customer Impact**: TODO");
    let _ = writeln!(out, "**Responders**: TODO (owners: {})\n", owners(ctx));
    let _ = writeln!(out, "{}\n", ctx.provenance());
    let _ = writeln!(out, "## Summary\n\nTODO: 2-3 sentences.\n");
    let _ = writeln!(out, "## What could happen (from the review)\n");
    if modes.is_empty() {
        let _ = writeln!(
            out,
            "The review found no failure mode to seed this section.\n"
        );
    }
    for (i, (cat, fs)) in modes.iter().take(6).enumerate() {
        let Some(first) = representative(fs) else {
            continue;
        };
        let worst = fs.iter().map(|f| f.severity).min().unwrap_or(Severity::P3);
        let mut comps: Vec<&str> = fs.iter().map(|f| f.component.as_str()).collect();
        comps.sort();
        comps.dedup();
        let _ = writeln!(
            out,
            "### {}. {cat} ({worst}, {} site(s) in {} component(s))\n",
            i + 1,
            fs.len(),
            comps.len()
        );
        let _ = writeln!(out, "- **Scenario**: {}", first.scenario);
        let _ = writeln!(out, "- **Impact**: {}", first.impact);
        let _ = writeln!(out, "- **How you would notice**: {}", first.detection);
        let _ = writeln!(out, "- **Where**:");
        for f in fs.iter().take(4) {
            let _ = writeln!(out, "  - {} — {}", cite(f), f.message);
        }
        if fs.len() > 4 {
            let _ = writeln!(out, "  - and {} more", fs.len() - 4);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Timeline\n\nAll times in UTC.\n");
    let _ = writeln!(
        out,
        "- **HH:MM** - TODO: first signal (which alert? see `pagerproof scaffold alerts`)\n\
- **HH:MM** - TODO: incident declared\n- **HH:MM** - TODO: mitigation (rollback? see the runbook)\n\
- **HH:MM** - TODO: resolved\n"
    );
    let _ = writeln!(out, "## Root Cause\n");
    let _ = writeln!(
        out,
        "**What Happened**: TODO — if it matches a failure mode above, cite it.\n\n**Why It Happened**: TODO \
(code, process, or monitoring gap?)\n"
    );
    let _ = writeln!(out, "## Impact\n");
    let _ = writeln!(
        out,
        "**Customer Impact**:\n- TODO users affected\n- TODO error rate\n\n**Business Impact**:\n- TODO\n\n\
**Internal Impact**:\n- TODO engineer-hours; on-call paged?\n"
    );
    let _ = writeln!(out, "## What Went Well\n\n- ✅ TODO\n");
    let _ = writeln!(out, "## What Went Poorly\n\n- ❌ TODO\n");
    let _ = writeln!(out, "## Action Items\n");
    let _ = writeln!(out, "**Prevent** (from the review; keep those that apply):");
    for (cat, fs) in modes.iter().take(6) {
        if let Some(f) = representative(fs) {
            let _ = writeln!(
                out,
                "- [ ] {cat}: {} ({} site(s), e.g. `{}`) - **Owner**: TODO - **Due**: TODO",
                one_line(&f.mitigation),
                fs.len(),
                site(f)
            );
        }
    }
    let _ = writeln!(out, "\n**Detect**:");
    for (cat, fs) in modes.iter().take(4) {
        if let Some(f) = representative(fs) {
            let _ = writeln!(
                out,
                "- [ ] {cat}: {} - **Owner**: TODO - **Due**: TODO",
                one_line(&f.monitoring)
            );
        }
    }
    let _ = writeln!(
        out,
        "\n**Respond**:\n- [ ] Update the runbook (`pagerproof scaffold runbook`) with what was learned - **Owner**: TODO - **Due**: TODO\n"
    );
    let _ = writeln!(
        out,
        "**Process**:\n- [ ] TODO - **Owner**: TODO - **Due**: TODO\n"
    );
    let _ = writeln!(out, "## Lessons Learned\n\nTODO\n");
    let _ = writeln!(
        out,
        "## Appendix\n\n- Incident doc: TODO\n- Monitoring dashboard: TODO (`pagerproof scaffold dashboard`)\n\
- Relevant logs: TODO\n- Slack thread: TODO"
    );
    out
}

/// The finding of the category's most frequent rule (its most severe, first site): its
/// scenario speaks for the category better than whichever site sorts first.
fn representative<'a>(fs: &[&'a Finding]) -> Option<&'a Finding> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in fs {
        *counts.entry(f.rule.as_str()).or_default() += 1;
    }
    let rule = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(r, _)| *r)?;
    fs.iter().copied().find(|f| f.rule == rule)
}

fn one_line(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.find(". ") {
        Some(i) if i > 20 => t[..=i].to_string(),
        _ => t,
    }
}

/// Candidate libraries for an evaluation, per language.
fn candidates(topic: &str, lang: &str) -> &'static [&'static str] {
    match (topic, lang) {
        ("resilience", "go") => &[
            "github.com/sony/gobreaker",
            "github.com/failsafe-go/failsafe-go",
        ],
        ("resilience", "python") => &[
            "pybreaker",
            "tenacity (retries with backoff and stop conditions)",
        ],
        ("resilience", "java") => &["Resilience4j", "Failsafe (dev.failsafe)"],
        ("resilience", "javascript" | "typescript") => &["opossum", "cockatiel"],
        ("observability", "go") => &[
            "go.opentelemetry.io/otel with otelgrpc/otelhttp",
            "prometheus/client_golang",
        ],
        ("observability", "python") => &[
            "opentelemetry-sdk with opentelemetry-instrumentation-*",
            "prometheus_client",
        ],
        ("observability", "java") => &["OpenTelemetry Java agent", "Micrometer"],
        ("observability", "javascript" | "typescript") => {
            &["@opentelemetry/sdk-node", "prom-client"]
        }
        _ => &[],
    }
}

pub fn tech_eval(ctx: &Ctx<'_>) -> String {
    let resilience_cats = ["RESILIENCE", "TIMEOUT", "RETRY"];
    let obs_cats = ["METRICS", "TRACING", "STRUCTURED-LOGS"];
    let res = ctx.in_categories(&resilience_cats);
    let obs = ctx.in_categories(&obs_cats);
    let (topic, title, goal, findings, comps) = if !res.is_empty() {
        (
            "resilience",
            "a circuit-breaker and retry library",
            "Protect callers from failing or hanging dependencies: breakers that open on errors and timeouts, \
bounded retries with backoff, and a fallback where one exists.",
            res,
            ctx.components_with(&resilience_cats),
        )
    } else if !obs.is_empty() {
        (
            "observability",
            "an instrumentation stack (OpenTelemetry)",
            "Give every service request metrics, traces and structured logs with one library per language.",
            obs,
            ctx.components_with(&obs_cats),
        )
    } else {
        return no_topic("Technology Evaluation", ctx);
    };
    let langs = languages(ctx, &comps);
    let mut out = String::new();
    let _ = writeln!(out, "## Technology Evaluation: {title}\n");
    let _ = writeln!(out, "{}\n", ctx.provenance());
    let _ = writeln!(
        out,
        "**Why now**: {goal} The review of {} found:\n",
        header_scope(ctx)
    );
    let mut by_cat: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &findings {
        by_cat.entry(f.category.as_str()).or_default().push(f);
    }
    for (cat, fs) in &by_cat {
        let mut cs: Vec<&str> = fs.iter().map(|f| f.component.as_str()).collect();
        cs.sort();
        cs.dedup();
        let _ = writeln!(
            out,
            "- **{cat}**: {} site(s) in {} component(s), e.g. {}",
            fs.len(),
            cs.len(),
            fs.iter()
                .take(2)
                .map(|f| cite(f))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let _ = writeln!(
        out,
        "\n**Candidates** (per language used by the affected components):\n"
    );
    let mut any = false;
    for l in &langs {
        let c = candidates(topic, l);
        if !c.is_empty() {
            any = true;
            let _ = writeln!(out, "- {l}: {}", c.join("; "));
        }
    }
    if topic == "resilience" && ctx.inventory.mesh.iter().any(|m| m.name == "istio") {
        any = true;
        let _ = writeln!(
            out,
            "- mesh: Istio `DestinationRule` outlier detection and connection-pool limits (the repository \
configures Istio: {}); no fallbacks, only for traffic through the sidecar",
            md::ats(
                &ctx.inventory
                    .mesh
                    .iter()
                    .flat_map(|m| m.evidence.clone())
                    .collect::<Vec<_>>(),
                1
            )
        );
    }
    if !any {
        let _ = writeln!(out, "- TODO: candidates for {}", langs.join(", "));
    }
    let _ = writeln!(out, "\n### Business Alignment");
    let _ = writeln!(
        out,
        "- [ ] Solves a real problem (not just \"shiny new tech\"): the findings above"
    );
    let _ = writeln!(out, "- [ ] Aligns with company technical strategy: TODO");
    let _ = writeln!(out, "- [ ] Has executive/stakeholder buy-in: TODO");
    let _ = writeln!(out, "- [ ] ROI justifiable (cost vs. benefit): TODO\n");
    let _ = writeln!(out, "### Technical Fit");
    let _ = writeln!(
        out,
        "- [ ] Integrates with existing stack: {} (TODO: check each candidate)",
        if langs.is_empty() {
            "-".to_string()
        } else {
            langs.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "- [ ] Performance meets requirements: TODO (overhead per call)"
    );
    let _ = writeln!(out, "- [ ] Scalability proven at our scale: TODO");
    let _ = writeln!(out, "- [ ] Security and compliance requirements met: TODO");
    let _ = writeln!(out, "- [ ] Licensing compatible with our use case: TODO\n");
    let _ = writeln!(out, "### Team Readiness");
    let _ = writeln!(out, "- [ ] Team has expertise or can learn quickly: TODO");
    let _ = writeln!(out, "- [ ] Good documentation and learning resources: TODO");
    let _ = writeln!(out, "- [ ] Active community and support: TODO");
    let _ = writeln!(out, "- [ ] Hiring market for this skill: TODO\n");
    let _ = writeln!(out, "### Operational Maturity");
    let _ = writeln!(out, "- [ ] Production-ready (not alpha/beta): TODO");
    let _ = writeln!(
        out,
        "- [ ] Monitoring and observability support: TODO (does it export breaker state / retry counts?)"
    );
    let _ = writeln!(out, "- [ ] Proven at similar scale/use case: TODO");
    let _ = writeln!(out, "- [ ] Upgrade path and backward compatibility: TODO");
    let _ = writeln!(out, "- [ ] Vendor stability and longevity: TODO\n");
    let _ = writeln!(out, "## POC Plan: {title}\n");
    let _ = writeln!(out, "**Goal**: {goal}");
    let _ = writeln!(out, "**Timeline**: TODO (2-4 weeks typically)");
    let _ = writeln!(out, "**Team**: {}\n", owners(ctx));
    let _ = writeln!(out, "### Success Criteria");
    // The experiment wraps an outbound call: a server-side timeout finding is not one.
    let first = findings
        .iter()
        .copied()
        .find(|f| !f.rule.contains("server"))
        .or_else(|| findings.first().copied());
    if topic == "resilience" {
        let _ = writeln!(
            out,
            "- [ ] With the dependency made to hang, callers fail within their budget instead of waiting (TODO: budget)"
        );
        let _ = writeln!(
            out,
            "- [ ] With the dependency down, the breaker opens and load on it drops"
        );
        let _ = writeln!(out, "- [ ] Overhead per call below TODO µs at p99\n");
    } else {
        let _ = writeln!(
            out,
            "- [ ] Request, error and latency metrics from one service in Prometheus"
        );
        let _ = writeln!(out, "- [ ] One trace across two services");
        let _ = writeln!(out, "- [ ] Overhead below TODO% CPU\n");
    }
    let _ = writeln!(out, "### Experiments");
    if let Some(f) = first {
        let _ = writeln!(
            out,
            "1. **Wrap the call at `{}`** ({})\n   - **Hypothesis**: the library bounds the failure this finding describes\n   \
- **Method**: fault injection (hang, error, slow) against a staging copy\n   - **Metrics**: caller latency, error rate, breaker state",
            site(f),
            f.rule
        );
    }
    let _ = writeln!(
        out,
        "2. **Load test with the dependency degraded**\n   - **Hypothesis**: TODO\n   - **Method**: TODO\n   - **Metrics**: TODO\n"
    );
    let _ = writeln!(out, "### Deliverables");
    let _ = writeln!(out, "- [ ] Working prototype");
    let _ = writeln!(out, "- [ ] Performance benchmarks");
    let _ = writeln!(out, "- [ ] Cost analysis");
    let _ = writeln!(out, "- [ ] Technical writeup");
    let _ = writeln!(
        out,
        "- [ ] Go/no-go recommendation (then an ADR: `pagerproof scaffold adr`)"
    );
    out
}
