//! Component facts: yes/no questions about a deployable unit (HEALTH, SHUTDOWN, METRICS,
//! ...), each answered from the signals its files emitted, with evidence. Facts that do
//! not apply to a component's kind (a library needs no health endpoint) are `null` with
//! the reason. Checks turn `false` facts into findings; scoring never looks at signals.
//!
//! Applicability by kind (`components.rs`):
//! - `service`: every question.
//! - `job` (worker, consumer, scheduler, load generator, batch program in an image):
//!   SHUTDOWN, METRICS, TRACING, STRUCTURED-LOGS. It serves no requests, so HEALTH,
//!   REQUEST-ID, RATE-LIMIT and AUTH are `null` with that reason.
//! - `cli`, `library`, `infrastructure`, `unknown`: nothing runs long enough to observe;
//!   every question is `null`.
//!
//! SHUTDOWN: a framework that drains on SIGTERM by itself (gunicorn, uvicorn, aiohttp's
//! `run_app`, Spring Boot with `server.shutdown=graceful`, the .NET Generic Host) counts;
//! otherwise a service needs a SIGTERM handler *and* a drain (Go `Server.Shutdown` /
//! `GracefulStop`, grpcio `server.stop(grace)`, Node `server.close`/`tryShutdown`, grpc-java
//! `server.shutdown()` from a JVM shutdown hook), and a job needs a SIGTERM handler or a
//! worker framework that shuts down warm on SIGTERM (Celery, RQ, dramatiq). Go, Node and
//! plain Python servers get no drain by default.
//!
//! RATE-LIMIT applies to services with state-changing endpoints: HTTP routes with POST,
//! PUT, PATCH or DELETE, or gRPC methods whose name starts with a verb that changes state
//! (create, update, delete, charge, send, place, add, empty, ship, ...).
//!
//! Spring Boot: a starter in the build file switches HEALTH (actuator), METRICS
//! (`micrometer-registry-*`), TRACING (`micrometer-tracing-bridge-*`, Sleuth, Zipkin,
//! OpenTelemetry starter) and AUTH (`spring-boot-starter-security`) on by itself. For a
//! Spring Boot service with no evidence in code these facts are read from the
//! `Dependency` signals of the manifest readers, and are `null` (unknown, not `false`)
//! when no dependency of the component was read.
//!
//! AUTH, precision first (a false P0 is costly):
//! - gRPC-only state-changing endpoints: `null`, authentication of internal gRPC
//!   services usually comes from the service mesh (mTLS) or a gateway, not from code;
//! - HTTP state-changing routes and no authentication in code: `false` only when one of
//!   them is a PUT, PATCH or DELETE, or its path administers identities or settings
//!   (`admin`, `users`, `accounts`, `roles`, `permissions`, `settings`, `keys`, ...);
//!   login, signup, token and webhook routes are excluded (they come before
//!   authentication, or are verified by signature). Otherwise (anonymous form posts such
//!   as `POST /cart`) `null`: whether they need authentication is a product decision.

use std::collections::BTreeMap;

use pagerproof_core::{Evidence, Fact};

use crate::aggregate::Inputs;
use crate::components::ComponentInfo;
use crate::extract::common::rpc_changes_state;
use crate::signals::{Signal, SignalKind};

/// Evidence of one signal kind in a component's production files. Files that make the
/// component what it is (they start a server, register routes, hold the entry point) come
/// first, so that a dev client beside the server is not quoted as its evidence.
pub fn evidence_of(inputs: &Inputs<'_>, comp: &ComponentInfo, kind: SignalKind) -> Vec<Evidence> {
    let core: std::collections::BTreeSet<&str> = inputs
        .files_of(&comp.path)
        .filter(|r| {
            r.signals.iter().any(|s| {
                matches!(
                    s.kind,
                    SignalKind::HttpServer
                        | SignalKind::GrpcServer
                        | SignalKind::Route
                        | SignalKind::RpcMethod
                        | SignalKind::EntryPoint
                        | SignalKind::Worker
                        | SignalKind::Scheduler
                        | SignalKind::Listen
                )
            })
        })
        .map(|r| r.path.as_str())
        .collect();
    let mut ev: Vec<(bool, Evidence)> = signals_of(inputs, comp, kind)
        .into_iter()
        .map(|(path, s)| {
            (
                !core.contains(path),
                Evidence {
                    path: path.to_string(),
                    line: Some(s.line),
                    note: s.detail.clone(),
                },
            )
        })
        .collect();
    ev.sort();
    ev.dedup();
    ev.truncate(8);
    ev.into_iter().map(|(_, e)| e).collect()
}

/// Every signal of one kind in a component's production files, with the file's path.
fn signals_of<'a>(
    inputs: &Inputs<'a>,
    comp: &ComponentInfo,
    kind: SignalKind,
) -> Vec<(&'a str, &'a Signal)> {
    let mut v: Vec<(&'a str, &'a Signal)> = inputs
        .files_of(&comp.path)
        .filter(|r| r.role == Some(crate::files::Role::Production))
        .filter(|r| {
            !matches!(r.kind, Some(crate::files::FileKind::Code(_)))
                || crate::components::in_scope(&comp.path, &r.path)
        })
        .flat_map(|r| {
            r.signals
                .iter()
                .filter(move |s| s.kind == kind)
                .map(move |s| (r.path.as_str(), s))
        })
        .collect();
    v.sort();
    v
}

/// Spring Boot starters that switch a capability on by auto-configuration: declaring the
/// dependency is enough. (artifact prefix, signal kind it stands for.)
const SPRING_STARTERS: &[(&str, SignalKind)] = &[
    ("spring-boot-starter-actuator", SignalKind::Health),
    ("micrometer-registry-", SignalKind::Metrics),
    ("micrometer-tracing-bridge-", SignalKind::Tracing),
    ("spring-cloud-starter-sleuth", SignalKind::Tracing),
    ("spring-boot-starter-zipkin", SignalKind::Tracing),
    ("opentelemetry-spring-boot-starter", SignalKind::Tracing),
    ("spring-boot-starter-security", SignalKind::Auth),
    (
        "spring-boot-starter-oauth2-resource-server",
        SignalKind::Auth,
    ),
];

/// For a Spring Boot service, what its build file says about `kind`: `Some(evidence)` when
/// a starter provides it, `Some(empty)` when dependencies were read and none does, `None`
/// when no dependency of the component was read (the answer is then unknown, not `false`).
fn spring_dependencies(
    inputs: &Inputs<'_>,
    comp: &ComponentInfo,
    kind: SignalKind,
) -> Option<Vec<Evidence>> {
    let deps = signals_of(inputs, comp, SignalKind::Dependency);
    if deps.is_empty() {
        return None;
    }
    let ev: Vec<Evidence> = deps
        .into_iter()
        .filter(|(_, s)| {
            let artifact = s.detail.rsplit([':', ' ']).next().unwrap_or("");
            SPRING_STARTERS
                .iter()
                .any(|(p, k)| *k == kind && artifact.starts_with(p))
        })
        .map(|(path, s)| Evidence {
            path: path.to_string(),
            line: Some(s.line),
            note: format!("{} (Spring Boot auto-configuration)", s.detail),
        })
        .collect();
    Some(ev)
}

/// Answers every component category for one component.
pub fn compute(comp: &ComponentInfo, inputs: &Inputs<'_>) -> BTreeMap<String, Fact> {
    let mut out = BTreeMap::new();
    let service = comp.kind == "service";
    let runs = matches!(comp.kind.as_str(), "service" | "job");
    let spring = service
        && signals_of(inputs, comp, SignalKind::HttpServer)
            .iter()
            .any(|(_, s)| s.detail.starts_with("spring"));
    let ask = |kind: SignalKind, applies: bool, why_not: &str, missing: &str| -> Fact {
        if !applies {
            return Fact::not_applicable(why_not);
        }
        let ev = evidence_of(inputs, comp, kind);
        if !ev.is_empty() {
            return Fact::yes(ev);
        }
        let starter = SPRING_STARTERS.iter().any(|(_, k)| *k == kind);
        if spring && starter {
            return match spring_dependencies(inputs, comp, kind) {
                Some(ev) if !ev.is_empty() => Fact::yes(ev),
                Some(_) => Fact::no(missing),
                None => Fact::not_applicable(
                    "Spring Boot service: this comes from starters in the build file (actuator, micrometer registries and tracing bridges, security), and no dependency of it was read",
                ),
            };
        }
        Fact::no(missing)
    };
    let article = if comp.kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let not_service = format!(
        "{} is {article} {} ({}), not a service",
        comp.name, comp.kind, comp.kind_reason
    );
    let not_running = format!(
        "{} is {article} {} ({}): nothing runs long enough to observe",
        comp.name, comp.kind, comp.kind_reason
    );

    out.insert(
        "HEALTH".to_string(),
        ask(
            SignalKind::Health,
            service,
            &not_service,
            "no health or readiness endpoint found",
        ),
    );
    let shutdown = if !runs {
        Fact::not_applicable(&not_running)
    } else {
        shutdown_fact(comp, inputs, service)
    };
    out.insert("SHUTDOWN".to_string(), shutdown);
    out.insert(
        "METRICS".to_string(),
        ask(
            SignalKind::Metrics,
            runs,
            &not_running,
            "no metrics instrumentation found",
        ),
    );
    out.insert(
        "TRACING".to_string(),
        ask(
            SignalKind::Tracing,
            runs,
            &not_running,
            "no distributed tracing found",
        ),
    );
    out.insert(
        "STRUCTURED-LOGS".to_string(),
        ask(
            SignalKind::StructuredLogs,
            runs,
            &not_running,
            "no structured (JSON / key-value) logging found",
        ),
    );
    for (category, fact) in resilience_and_audit(comp, inputs) {
        out.insert(category, fact);
    }
    out.insert(
        "REQUEST-ID".to_string(),
        ask(
            SignalKind::RequestId,
            service,
            &not_service,
            "no request or correlation id found",
        ),
    );
    let endpoints = if service {
        state_changing(inputs, comp)
    } else {
        Vec::new()
    };
    out.insert(
        "RATE-LIMIT".to_string(),
        if service {
            rate_limit_fact(comp, inputs, &endpoints)
        } else {
            Fact::not_applicable(&not_service)
        },
    );
    out.insert(
        "AUTH".to_string(),
        if service {
            auth_fact(comp, inputs, &endpoints)
        } else {
            Fact::not_applicable(&not_service)
        },
    );
    out
}

/// RESILIENCE and AUDIT-LOG. RESILIENCE applies to running components (services, jobs)
/// that call other services (`Outbound` signals); AUDIT-LOG to running components with
/// sensitive entry points (`SensitiveAction`: authentication, payments, administration,
/// account deletion).
pub fn resilience_and_audit(comp: &ComponentInfo, inputs: &Inputs<'_>) -> [(String, Fact); 2] {
    // Components whose kind could not be told from their code (an image whose entry point
    // is not recognised) still run the code they contain.
    let runs = !matches!(comp.kind.as_str(), "library" | "cli" | "browser-app");
    let not_running = format!(
        "{} is a {} ({}): it runs no long-lived calls to protect",
        comp.name, comp.kind, comp.kind_reason
    );
    // The example named in the reason: prefer a file outside dot-folders (`.semgrep/`).
    let first = |ev: &[Evidence]| {
        ev.iter()
            .find(|e| !e.path.split('/').any(|s| s.starts_with('.') && s.len() > 1))
            .or_else(|| ev.first())
            .map(|e| format!("{}:{} ({})", e.path, e.line.unwrap_or(0), e.note))
            .unwrap_or_default()
    };
    let resilience = if !runs {
        Fact::not_applicable(&not_running)
    } else {
        let mut outbound = evidence_outside_dot_folders(inputs, comp, SignalKind::OutboundCall);
        outbound.extend(evidence_outside_dot_folders(
            inputs,
            comp,
            SignalKind::Outbound,
        ));
        // A call to the same host (a health probe of itself, a local sidecar) is not a
        // dependency that can fail apart from the service.
        outbound.retain(|e| {
            !crate::extract::common::LOOPBACK_HOSTS
                .iter()
                .any(|h| e.note.contains(h))
        });
        outbound.sort();
        if outbound.is_empty() {
            Fact::not_applicable("no outbound calls to other services found")
        } else {
            let ev = evidence_of(inputs, comp, SignalKind::Resilience);
            if ev.is_empty() {
                Fact::no(format!(
                    "calls other services (e.g. {}) with no circuit breaker, bulkhead or fallback library",
                    first(&outbound)
                ))
            } else {
                Fact::yes(ev)
            }
        }
    };
    let audit = if !runs {
        Fact::not_applicable(&not_running)
    } else {
        let sensitive = evidence_outside_dot_folders(inputs, comp, SignalKind::SensitiveAction);
        if sensitive.is_empty() {
            Fact::not_applicable(
                "no sensitive actions (authentication, payments, administration, account deletion) found",
            )
        } else {
            let ev = evidence_of(inputs, comp, SignalKind::AuditLog);
            if ev.is_empty() {
                Fact::no(format!(
                    "has sensitive actions (e.g. {}) and writes no audit trail",
                    first(&sensitive)
                ))
            } else {
                Fact::yes(ev)
            }
        }
    };
    [
        ("RESILIENCE".to_string(), resilience),
        ("AUDIT-LOG".to_string(), audit),
    ]
}

/// Like [`evidence_of`], leaving out files in dot-folders (`.semgrep/`, `.github/`), which
/// hold tool fixtures and scripts rather than the component's own code.
fn evidence_outside_dot_folders(
    inputs: &Inputs<'_>,
    comp: &ComponentInfo,
    kind: SignalKind,
) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = inputs
        .files_of(&comp.path)
        .filter(|r| r.role == Some(crate::files::Role::Production))
        .filter(|r| !r.path.split('/').any(|s| s.starts_with('.') && s.len() > 1))
        .flat_map(|r| {
            r.signals
                .iter()
                .filter(move |s| s.kind == kind)
                .map(move |s| Evidence {
                    path: r.path.clone(),
                    line: Some(s.line),
                    note: s.detail.clone(),
                })
        })
        .collect();
    ev.sort();
    ev.dedup();
    ev.truncate(8);
    ev
}

fn shutdown_fact(comp: &ComponentInfo, inputs: &Inputs<'_>, service: bool) -> Fact {
    let framework = evidence_of(inputs, comp, SignalKind::FrameworkShutdown);
    if !framework.is_empty() {
        return Fact::yes(framework);
    }
    let handler = evidence_of(inputs, comp, SignalKind::SignalHandler);
    let drain = evidence_of(inputs, comp, SignalKind::Drain);
    let spring = service
        && signals_of(inputs, comp, SignalKind::HttpServer)
            .iter()
            .any(|(_, s)| s.detail.starts_with("spring"));
    if spring {
        // Spring Boot drains by default from 3.4 (`server.shutdown=graceful` before).
        // The component's build file, else a parent build file (a multi-module project
        // declares the Spring Boot parent or plugin once, at its root).
        let mut deps = signals_of(inputs, comp, SignalKind::Dependency);
        deps.extend(
            inputs
                .results
                .iter()
                .filter(|r| {
                    matches!(
                        crate::files::base_name(&r.path),
                        "pom.xml" | "build.gradle" | "build.gradle.kts"
                    ) && {
                        let dir = crate::files::parent_dir(&r.path);
                        dir != comp.path && crate::components::contains(dir, &comp.path)
                    }
                })
                .flat_map(|r| {
                    r.signals
                        .iter()
                        .filter(|s| s.kind == SignalKind::Dependency)
                        .map(move |s| (r.path.as_str(), s))
                }),
        );
        let boot = deps.iter().find_map(|(path, s)| {
            let (name, version) = s.detail.rsplit_once(' ')?;
            if !name.contains("org.springframework.boot") {
                return None;
            }
            let mut parts = version.trim_start_matches('v').split('.');
            let major: u32 = parts.next()?.parse().ok()?;
            let minor: u32 = parts.next()?.parse().ok()?;
            Some((path, s, (major, minor)))
        });
        match boot {
            Some((path, s, v)) if v >= (3, 4) => {
                return Fact::yes(vec![Evidence {
                    path: path.to_string(),
                    line: Some(s.line),
                    note: format!(
                        "{} (Spring Boot 3.4+ drains on SIGTERM by default)",
                        s.detail
                    ),
                }]);
            }
            None if handler.is_empty() => {
                return Fact::not_applicable(
                    "Spring Boot service: it drains on SIGTERM by default from Boot 3.4 (or with `server.shutdown=graceful`), and neither its version nor its configuration was read",
                );
            }
            _ => {}
        }
    }
    match (handler.is_empty(), drain.is_empty()) {
        (false, false) => {
            let mut ev = handler;
            ev.extend(drain);
            ev.sort();
            Fact::yes(ev)
        }
        (false, true) if !service => Fact::yes(handler),
        (true, _) if !service && !managed_workers(inputs, comp).is_empty() => {
            Fact::yes(managed_workers(inputs, comp))
        }
        _ if spring => Fact::no(
            "no SIGTERM drain: Spring Boot drains only with `server.shutdown=graceful` (the default from Boot 3.4)",
        ),
        (false, true) => Fact::no("SIGTERM is handled but in-flight requests are not drained"),
        (true, false) => Fact::no(format!(
            "a drain exists ({}) but nothing runs it on SIGTERM",
            at(&drain[0])
        )),
        (true, true) if !service => {
            Fact::no("no SIGTERM handling: work in progress is cut off when the process is stopped")
        }
        (true, true) => Fact::no(
            "no SIGTERM handling and no server drain (the server's default is to exit at once)",
        ),
    }
}

/// Worker frameworks that stop taking work and finish running tasks on SIGTERM by
/// themselves (Celery's warm shutdown, RQ, dramatiq).
fn managed_workers(inputs: &Inputs<'_>, comp: &ComponentInfo) -> Vec<Evidence> {
    evidence_of(inputs, comp, SignalKind::Worker)
        .into_iter()
        .filter(|e| {
            e.note.starts_with("Celery")
                || e.note.starts_with("RQ")
                || e.note.starts_with("dramatiq")
        })
        .map(|mut e| {
            e.note = format!("{} (warm shutdown on SIGTERM)", e.note);
            e
        })
        .collect()
}

fn at(e: &Evidence) -> String {
    match e.line {
        Some(l) => format!("{}:{}", e.path, l),
        None => e.path.clone(),
    }
}

/// A state-changing endpoint: an HTTP route with POST/PUT/PATCH/DELETE or a gRPC method
/// whose name changes state.
struct Endpoint {
    path: String,
    line: u32,
    /// `POST /cart` or `CheckoutService/PlaceOrder`.
    label: String,
    method: String,
    route: String,
    rpc: bool,
}

impl Endpoint {
    fn cite(&self) -> String {
        format!("{} ({}:{})", self.label, self.path, self.line)
    }
}

fn state_changing(inputs: &Inputs<'_>, comp: &ComponentInfo) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for (path, s) in signals_of(inputs, comp, SignalKind::Route) {
        let (method, route) = s.detail.split_once(' ').unwrap_or(("*", s.detail.as_str()));
        if matches!(method, "POST" | "PUT" | "PATCH" | "DELETE") {
            out.push(Endpoint {
                path: path.to_string(),
                line: s.line,
                label: s.detail.clone(),
                method: method.to_string(),
                route: route.to_string(),
                rpc: false,
            });
        }
    }
    let grpc = !signals_of(inputs, comp, SignalKind::GrpcServer).is_empty();
    if grpc {
        for (path, s) in signals_of(inputs, comp, SignalKind::RpcMethod) {
            let method = s.detail.rsplit('/').next().unwrap_or("");
            if rpc_changes_state(method) {
                out.push(Endpoint {
                    path: path.to_string(),
                    line: s.line,
                    label: s.detail.clone(),
                    method: "RPC".to_string(),
                    route: s.detail.clone(),
                    rpc: true,
                });
            }
        }
    }
    out
}

fn cite_list(eps: &[&Endpoint]) -> String {
    let mut v: Vec<String> = eps.iter().take(3).map(|e| e.cite()).collect();
    if eps.len() > 3 {
        v.push(format!("and {} more", eps.len() - 3));
    }
    v.join(", ")
}

fn rate_limit_fact(comp: &ComponentInfo, inputs: &Inputs<'_>, eps: &[Endpoint]) -> Fact {
    if eps.is_empty() {
        return Fact::not_applicable("no state-changing endpoints found");
    }
    let ev = evidence_of(inputs, comp, SignalKind::RateLimit);
    if !ev.is_empty() {
        return Fact::yes(ev);
    }
    let all: Vec<&Endpoint> = eps.iter().collect();
    Fact::no(format!(
        "state-changing endpoints without rate limiting: {}",
        cite_list(&all)
    ))
}

/// Path segments of routes that come before authentication or verify by signature.
const PRE_AUTH: &[&str] = &[
    "login",
    "logout",
    "signin",
    "signout",
    "signup",
    "register",
    "token",
    "tokens",
    "oauth",
    "oauth2",
    "callback",
    "auth",
    "authenticate",
    "webhook",
    "webhooks",
    "hooks",
    "forgot",
    "reset",
    "session",
    "sessions",
    "verify",
];

/// Path segments of routes that administer identities, permissions or settings.
const SENSITIVE: &[&str] = &[
    "admin",
    "users",
    "user",
    "accounts",
    "account",
    "roles",
    "role",
    "permissions",
    "settings",
    "config",
    "configuration",
    "keys",
    "apikeys",
    "members",
    "tenants",
    "password",
    "passwords",
    "credentials",
    "secrets",
];

fn segments(route: &str) -> Vec<String> {
    route
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.to_ascii_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect()
        })
        .collect()
}

fn auth_fact(comp: &ComponentInfo, inputs: &Inputs<'_>, eps: &[Endpoint]) -> Fact {
    let ev = evidence_of(inputs, comp, SignalKind::Auth);
    if !ev.is_empty() {
        return Fact::yes(ev);
    }
    let spring = signals_of(inputs, comp, SignalKind::HttpServer)
        .iter()
        .any(|(_, s)| s.detail.starts_with("spring"));
    if spring {
        match spring_dependencies(inputs, comp, SignalKind::Auth) {
            Some(ev) if !ev.is_empty() => return Fact::yes(ev),
            Some(_) => {}
            None => {
                return Fact::not_applicable(
                    "Spring Boot service: spring-boot-starter-security secures every endpoint from the build file, and no dependency of it was read",
                );
            }
        }
    }
    let http: Vec<&Endpoint> = eps
        .iter()
        .filter(|e| !e.rpc)
        .filter(|e| {
            !segments(&e.route)
                .iter()
                .any(|s| PRE_AUTH.contains(&s.as_str()))
        })
        .collect();
    if http.is_empty() {
        if eps.iter().any(|e| e.rpc) {
            return Fact::not_applicable(
                "internal gRPC service: authentication usually comes from the service mesh (mTLS) or a gateway, which code does not show",
            );
        }
        return Fact::not_applicable("no state-changing HTTP endpoints found");
    }
    let sensitive: Vec<&Endpoint> = http
        .iter()
        .copied()
        .filter(|e| {
            matches!(e.method.as_str(), "PUT" | "PATCH" | "DELETE")
                || segments(&e.route)
                    .iter()
                    .any(|s| SENSITIVE.contains(&s.as_str()))
        })
        .collect();
    if sensitive.is_empty() {
        return Fact::not_applicable(format!(
            "only POST routes on non-administrative paths ({}): whether they need authentication is a product decision the code does not show",
            cite_list(&http)
        ));
    }
    Fact::no(format!(
        "routes that change or delete data have no authentication in code: {}",
        cite_list(&sensitive)
    ))
}

#[cfg(test)]
mod tests {
    use pagerproof_core::config::Settings;
    use pagerproof_core::{Fact, Report};

    use crate::fs::MemSource;

    pub fn review(files: &[(&str, &str)]) -> Report {
        let src = MemSource::new(
            files
                .iter()
                .map(|(p, s)| (p.to_string(), s.as_bytes().to_vec())),
        );
        crate::review::review(&src, &Settings::default())
    }

    fn fact<'r>(r: &'r Report, comp: &str, cat: &str) -> &'r Fact {
        let c = r
            .components
            .iter()
            .find(|c| c.path == comp)
            .unwrap_or_else(|| panic!("no component {comp}: {:?}", r.components));
        &c.facts[cat]
    }

    fn cites(f: &Fact, path: &str, line: u32) -> bool {
        f.evidence
            .iter()
            .any(|e| e.path == path && e.line == Some(line))
    }

    #[test]
    fn go_grpc_service_facts_with_evidence() {
        let r = review(&[
            ("svc/Dockerfile", "FROM golang:1.22\n"),
            (
                "svc/main.go",
                "package main\n\nimport (\n\t\"context\"\n\t\"net\"\n\n\t\"github.com/sirupsen/logrus\"\n\t\"google.golang.org/grpc\"\n\t\"google.golang.org/grpc/health\"\n\tpb \"example.com/svc/genproto\"\n\thealthpb \"google.golang.org/grpc/health/grpc_health_v1\"\n)\n\ntype server struct {\n\tpb.UnimplementedShippingServiceServer\n}\n\nfunc main() {\n\tlog := logrus.New()\n\tlog.Formatter = &logrus.JSONFormatter{}\n\tlis, _ := net.Listen(\"tcp\", \":50051\")\n\tsrv := grpc.NewServer()\n\tpb.RegisterShippingServiceServer(srv, &server{})\n\thealthpb.RegisterHealthServer(srv, health.NewServer())\n\tsrv.Serve(lis)\n}\n\nfunc (s *server) ShipOrder(ctx context.Context, in *pb.ShipOrderRequest) (*pb.ShipOrderResponse, error) {\n\treturn nil, nil\n}\n\nfunc initStats() {\n\t// TODO implement stats\n}\n",
            ),
        ]);
        let c = r.components.iter().find(|c| c.path == "svc").unwrap();
        assert_eq!(c.kind, "service", "{}", c.kind_reason);
        let h = fact(&r, "svc", "HEALTH");
        assert_eq!(h.present, Some(true));
        assert!(cites(h, "svc/main.go", 24), "{h:?}");
        assert!(cites(fact(&r, "svc", "STRUCTURED-LOGS"), "svc/main.go", 20));
        assert_eq!(fact(&r, "svc", "SHUTDOWN").present, Some(false));
        assert_eq!(fact(&r, "svc", "METRICS").present, Some(false));
        assert_eq!(fact(&r, "svc", "TRACING").present, Some(false));
        let rl = fact(&r, "svc", "RATE-LIMIT");
        assert_eq!(rl.present, Some(false));
        assert!(
            rl.reason
                .as_deref()
                .unwrap_or("")
                .contains("ShippingService/ShipOrder (svc/main.go:28)"),
            "{rl:?}"
        );
        let a = fact(&r, "svc", "AUTH");
        assert_eq!(a.present, None);
        assert!(a.reason.as_deref().unwrap_or("").contains("service mesh"));
    }

    #[test]
    fn a_service_in_a_language_not_read_is_not_judged() {
        // A Rust service: Cargo declares a binary, but no code of it is read, so nothing
        // about its health, shutdown or telemetry is known (not "missing").
        let r = review(&[
            (
                "shipping/Dockerfile",
                "FROM rust:1.80\nCMD [\"/app/shipping\"]\n",
            ),
            (
                "shipping/Cargo.toml",
                "[package]\nname = \"shipping\"\nversion = \"0.1.0\"\n\n[[bin]]\nname = \"shipping\"\npath = \"src/main.rs\"\n\n[dependencies]\nactix-web = \"4\"\n",
            ),
            ("shipping/src/main.rs", "fn main() {}\n"),
        ]);
        let c = r.components.iter().find(|c| c.path == "shipping").unwrap();
        assert_eq!(c.kind, "infrastructure", "{}", c.kind_reason);
        for cat in [
            "SHUTDOWN",
            "METRICS",
            "TRACING",
            "STRUCTURED-LOGS",
            "HEALTH",
        ] {
            assert_eq!(fact(&r, "shipping", cat).present, None, "{cat}");
        }
    }

    #[test]
    fn fastify_cli_service() {
        // fastify-cli loads plugins that import nothing of fastify; it serves them and
        // closes the server on SIGTERM.
        let r = review(&[
            (
                "orders/Dockerfile",
                "FROM node:22-alpine\nCMD [\"npm\", \"start\"]\n",
            ),
            (
                "orders/package.json",
                "{\n  \"name\": \"orders\",\n  \"main\": \"app.js\",\n  \"scripts\": {\n    \"start\": \"fastify start -l info app.js\"\n  },\n  \"dependencies\": { \"fastify\": \"^5.0.0\", \"fastify-cli\": \"^7.0.0\" }\n}\n",
            ),
            (
                "orders/routes/root.js",
                "'use strict'\nmodule.exports = async function (fastify, opts) {\n  fastify.post('/', async (request, reply) => { reply.code(201) })\n  fastify.get('/health', async () => ({ status: 'ok' }))\n}\n",
            ),
        ]);
        let c = r.components.iter().find(|c| c.path == "orders").unwrap();
        assert_eq!(c.kind, "service", "{}", c.kind_reason);
        assert!(cites(
            fact(&r, "orders", "HEALTH"),
            "orders/routes/root.js",
            4
        ));
        let sd = fact(&r, "orders", "SHUTDOWN");
        assert_eq!(sd.present, Some(true), "{sd:?}");
        assert!(cites(sd, "orders/package.json", 5), "{sd:?}");
        assert!(cites(
            fact(&r, "orders", "STRUCTURED-LOGS"),
            "orders/package.json",
            5
        ));
    }

    #[test]
    fn load_generator_is_a_job() {
        let r = review(&[
            ("loadgen/Dockerfile", "FROM python:3.12\n"),
            (
                "loadgen/locustfile.py",
                "from locust import FastHttpUser, task\n\nclass U(FastHttpUser):\n    @task\n    def t(self):\n        self.client.post('/cart', {'a': 1})\n",
            ),
        ]);
        let c = r.components.iter().find(|c| c.path == "loadgen").unwrap();
        assert_eq!(c.kind, "job");
        for cat in ["HEALTH", "RATE-LIMIT", "REQUEST-ID", "AUTH"] {
            let f = fact(&r, "loadgen", cat);
            assert_eq!(f.present, None, "{cat}");
            assert!(
                f.reason.as_deref().unwrap_or("").contains("locust"),
                "{f:?}"
            );
        }
        assert_eq!(fact(&r, "loadgen", "METRICS").present, Some(false));
        assert_eq!(fact(&r, "loadgen", "TRACING").present, Some(false));
        assert_eq!(fact(&r, "loadgen", "STRUCTURED-LOGS").present, Some(false));
    }

    #[test]
    fn calls_to_localhost_are_not_dependencies() {
        let r = review(&[
            (
                "probe/Dockerfile",
                "FROM python:3.12\nCMD [\"python\", \"main.py\"]\n",
            ),
            (
                "probe/main.py",
                "import requests\n\nif __name__ == '__main__':\n    requests.get('http://localhost:8000/health', timeout=2)\n",
            ),
            (
                "probe/status.py",
                "from urllib.request import Request, urlopen\n\nurl = f\"http://localhost:8000{PATH}/status/\"\nwith urlopen(Request(url), timeout=5) as r:\n    assert r.status == 200\n",
            ),
        ]);
        let f = fact(&r, "probe", "RESILIENCE");
        assert_eq!(f.present, None, "{f:?}");
    }

    #[test]
    fn browser_application_is_not_a_cli() {
        let r = review(&[
            (
                "web/package.json",
                "{\n  \"name\": \"web\",\n  \"private\": true,\n  \"scripts\": { \"start\": \"vite\", \"build\": \"vite build\" },\n  \"dependencies\": { \"react\": \"^18.2.0\", \"react-dom\": \"^18.2.0\" },\n  \"devDependencies\": { \"vite\": \"^5.0.0\" }\n}\n",
            ),
            (
                "web/src/main.tsx",
                "import { createRoot } from 'react-dom/client';\nimport App from './App';\ncreateRoot(document.getElementById('root')!).render(<App />);\n",
            ),
            (
                "api/package.json",
                "{\n  \"name\": \"api\",\n  \"main\": \"server.js\",\n  \"dependencies\": { \"express\": \"^4.19.0\" }\n}\n",
            ),
            (
                "api/server.js",
                "const express = require('express');\nconst app = express();\napp.get('/orders', (req, res) => res.json([]));\napp.listen(8080);\n",
            ),
        ]);
        let web = r.components.iter().find(|c| c.path == "web").unwrap();
        assert_eq!(web.kind, "browser-app", "{}", web.kind_reason);
        assert_eq!(fact(&r, "web", "RESILIENCE").present, None);
        let api = r.components.iter().find(|c| c.path == "api").unwrap();
        assert_eq!(api.kind, "service", "{}", api.kind_reason);
    }

    #[test]
    fn flask_auth_policy() {
        let r = review(&[
            ("api/Dockerfile", "FROM python:3.12\n"),
            (
                "api/app.py",
                "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/users/<id>', methods=['DELETE'])\ndef d(id):\n    pass\n\n@app.post('/login')\ndef login():\n    pass\n",
            ),
            ("shop/Dockerfile", "FROM python:3.12\n"),
            (
                "shop/app.py",
                "from flask import Flask\napp = Flask(__name__)\n\n@app.post('/cart')\ndef add():\n    pass\n",
            ),
            ("secured/Dockerfile", "FROM python:3.12\n"),
            (
                "secured/app.py",
                "from flask import Flask\nfrom flask_login import login_required\napp = Flask(__name__)\n\n@app.route('/users/<id>', methods=['DELETE'])\n@login_required\ndef d(id):\n    pass\n",
            ),
        ]);
        let a = fact(&r, "api", "AUTH");
        assert_eq!(a.present, Some(false));
        assert!(
            a.reason
                .as_deref()
                .unwrap_or("")
                .contains("DELETE /users/<id> (api/app.py:4)"),
            "{a:?}"
        );
        assert_eq!(fact(&r, "shop", "AUTH").present, None);
        let s = fact(&r, "secured", "AUTH");
        assert_eq!(s.present, Some(true));
        assert!(cites(s, "secured/app.py", 6), "{s:?}");
    }

    /// Spring Boot facts come from starters when the build file was read, and are unknown
    /// when it was not.
    #[test]
    fn spring_boot_starters() {
        use crate::aggregate::Inputs;
        use crate::components::ComponentInfo;
        use crate::files::{FileKind, Role};
        use crate::lang::Lang;
        use crate::review::FileResult;
        use crate::signals::{Signal, SignalKind};

        let sig = |kind, line, detail: &str| Signal {
            kind,
            line,
            detail: detail.to_string(),
        };
        let code = || FileResult {
            path: "svc/src/main/java/a/App.java".into(),
            kind: Some(FileKind::Code(Lang::Java)),
            role: Some(Role::Production),
            signals: vec![sig(SignalKind::HttpServer, 5, "spring-boot")],
            ..FileResult::default()
        };
        let pom = |deps: &[&str]| FileResult {
            path: "svc/pom.xml".into(),
            kind: Some(FileKind::Xml),
            role: Some(Role::Production),
            signals: deps
                .iter()
                .enumerate()
                .map(|(i, d)| sig(SignalKind::Dependency, 10 + i as u32, d))
                .collect(),
            ..FileResult::default()
        };
        let comp = ComponentInfo {
            path: "svc".into(),
            name: "svc".into(),
            kind: "service".into(),
            kind_reason: "serves HTTP (spring-boot)".into(),
            markers: vec!["pom.xml".into()],
            languages: vec!["java".into()],
        };
        let settings = Settings::default();
        let facts_for = |results: &[FileResult]| {
            let comps = [comp.clone()];
            let inputs = Inputs {
                results,
                components: &comps,
                settings: &settings,
            };
            super::compute(&comp, &inputs)
        };
        let with = facts_for(&[
            code(),
            pom(&[
                "maven org.springframework.boot:spring-boot-starter-web",
                "maven org.springframework.boot:spring-boot-starter-actuator",
                "maven io.micrometer:micrometer-registry-prometheus",
            ]),
        ]);
        assert_eq!(with["HEALTH"].present, Some(true));
        assert!(cites(&with["HEALTH"], "svc/pom.xml", 11));
        assert_eq!(with["METRICS"].present, Some(true));
        assert_eq!(with["TRACING"].present, Some(false));
        // The Boot version decides whether it drains by default: unknown here.
        assert_eq!(with["SHUTDOWN"].present, None);
        let boot32 = facts_for(&[
            code(),
            pom(&["maven org.springframework.boot:spring-boot-starter-parent 3.2.0"]),
        ]);
        assert_eq!(boot32["SHUTDOWN"].present, Some(false));
        // A multi-module project: the Boot parent is declared in the root build file.
        let mut root = pom(&["maven org.springframework.boot:spring-boot-starter-parent 3.4.1"]);
        root.path = "pom.xml".into();
        let inherited = facts_for(&[
            code(),
            pom(&["maven org.springframework.boot:spring-boot-starter-web"]),
            root,
        ]);
        assert_eq!(inherited["SHUTDOWN"].present, Some(true));
        assert!(cites(&inherited["SHUTDOWN"], "pom.xml", 10));
        let boot34 = facts_for(&[
            code(),
            pom(&["maven org.springframework.boot:spring-boot-starter-parent 3.4.1"]),
        ]);
        assert_eq!(boot34["SHUTDOWN"].present, Some(true));
        assert!(cites(&boot34["SHUTDOWN"], "svc/pom.xml", 10));
        let without = facts_for(&[
            code(),
            pom(&["maven org.springframework.boot:spring-boot-starter-web"]),
        ]);
        assert_eq!(without["HEALTH"].present, Some(false));
        let unread = facts_for(&[code(), pom(&[])]);
        assert_eq!(unread["HEALTH"].present, None);
        assert_eq!(unread["AUTH"].present, None);
        assert_eq!(unread["SHUTDOWN"].present, None);
    }

    #[test]
    fn shutdown_variants() {
        let r = review(&[
            ("a/Dockerfile", "FROM node:20\n"),
            (
                "a/server.js",
                "const express = require('express');\nconst app = express();\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\n",
            ),
            ("b/Dockerfile", "FROM python:3.12\n"),
            (
                "b/main.py",
                "import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\nif __name__ == '__main__':\n    uvicorn.run(app, port=8000)\n",
            ),
            ("c/Dockerfile", "FROM python:3.12\n"),
            (
                "c/server.py",
                "import grpc, time\nserver = grpc.server(None)\nserver.start()\ntry:\n    time.sleep(10)\nexcept KeyboardInterrupt:\n    server.stop(0)\n",
            ),
        ]);
        let a = fact(&r, "a", "SHUTDOWN");
        assert_eq!(a.present, Some(true));
        assert!(cites(a, "a/server.js", 4));
        assert!(cites(fact(&r, "b", "SHUTDOWN"), "b/main.py", 5));
        assert_eq!(fact(&r, "c", "SHUTDOWN").present, Some(false));
    }
}
