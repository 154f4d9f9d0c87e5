//! Signals: evidence that a file contributes to a component fact (a health route, a
//! SIGTERM handler, a metrics client). Code visitors and manifest readers emit them;
//! the facts module turns a component's signals into yes/no answers with evidence.

use serde::Serialize;

/// The kinds of evidence files contribute. `detail` on the signal says what exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum SignalKind {
    /// Serves HTTP (a framework app, a listener): detail names the framework.
    HttpServer,
    /// Serves gRPC.
    GrpcServer,
    /// A route is registered: detail is `METHOD /path` (method `*` when unknown; path `*`
    /// when the method is known but the path is not, e.g. a Django class-based view's
    /// `post`: `POST *`). `*` is "unknown", never a wildcard that matches a probe path.
    Route,
    /// A health/readiness endpoint or gRPC health service.
    Health,
    /// SIGTERM/SIGINT handled.
    SignalHandler,
    /// In-flight work is drained on shutdown (server.Shutdown, GracefulStop, close()).
    Drain,
    /// The framework or server drains on SIGTERM by itself (gunicorn, uvicorn, Spring
    /// `server.shutdown=graceful`, .NET Generic Host).
    FrameworkShutdown,
    Metrics,
    Tracing,
    StructuredLogs,
    RequestId,
    RateLimit,
    Auth,
    Resilience,
    AuditLog,
    /// An entry point that authenticates, moves money, administers or deletes accounts:
    /// detail says which (AUDIT-LOG applies to components that have one).
    SensitiveAction,
    FeatureFlag,
    /// A listening port: detail is the port number.
    Listen,
    /// An environment variable read: detail is its name.
    EnvRead,
    /// An outbound dependency (host, database, queue): detail is `kind target`, kind one of
    /// `http`, `grpc`, `postgres`, `mysql`, `redis`, `mongodb`, `amqp`, `kafka`, `nats`,
    /// `sqs`, `pubsub`...; target `host[:port]` from a literal (credentials and paths
    /// dropped) or `$NAME` when it comes from environment variable NAME.
    Outbound,
    /// A call to another service through a client library (detail `kind client`), for the
    /// RESILIENCE fact; `Outbound` is the dependency (host, DSN, queue) for the inventory.
    OutboundCall,
    /// A program entry point (main function, `__main__`, console script).
    EntryPoint,
    /// A machine-learning model loaded: detail is `loader target` (`torch.load
    /// models/model.pt`, `transformers.from_pretrained bert-base-uncased`); the target is
    /// `?` when it is not a literal.
    ModelLoad,
    /// A queue/stream consumer or background worker.
    Worker,
    /// An in-process scheduler (APScheduler, node-cron, @Scheduled).
    Scheduler,
    /// A command-line interface (argparse, click, cobra, commander).
    Cli,
    /// Not a fact: a metric the code defines, for the inventory. Detail is
    /// `name type library` (`orders_total counter prometheus`).
    MetricName,
    /// Not a fact: a gRPC service registered on a server, for the inventory. Detail is
    /// the service name (`CartService`, `Health`).
    GrpcService,
    /// A declared dependency, from a build file (emitted by the manifest readers): detail is
    /// `ecosystem name[ version]` (`maven org.springframework.boot:spring-boot-starter-actuator`,
    /// `maven org.springframework.boot:spring-boot-starter-parent 3.4.1`,
    /// `gradle io.micrometer:micrometer-registry-prometheus`, `npm express 4.19.2`,
    /// `pypi fastapi`, `go github.com/gin-gonic/gin v1.10.0`). Facts read it only where a dependency alone switches
    /// a capability on (Spring Boot auto-configuration); elsewhere code must use it.
    Dependency,
    /// A gRPC method this component serves: detail is `Service/Method` (service `*` when
    /// unknown). Kept apart from `Route`, which is HTTP only.
    RpcMethod,
    /// Not a fact: a Go function declared here returns an error (detail: its name), used
    /// to decide whether a dropped call result drops an error.
    FuncReturnsError,
    /// Not a fact: a Go function declared here (detail `name|kind`, kind `grpc` for a
    /// gRPC server method, `http` for an HTTP handler, `other`), for context tracing.
    GoFunc,
    /// Not a fact: a Go call passing a context (detail `caller|callee|status`, status
    /// `deadline`, `background`, `request` (`r.Context()`), `param` or `other`).
    GoCtxCall,
}

impl SignalKind {
    /// Whether a signal of this kind from a file outside production code (tests,
    /// examples, dev scripts) is read by aggregation. Only these are: whether a component
    /// serves (`aggregate::resolve_requirements`) and which Go functions return an error
    /// (a test file's helpers share the package). Every other reader keeps production
    /// files only, so the engine skips, in those files, extractors that emit nothing else.
    pub fn used_outside_production(self) -> bool {
        matches!(
            self,
            SignalKind::HttpServer
                | SignalKind::GrpcServer
                | SignalKind::Route
                | SignalKind::FuncReturnsError
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    pub line: u32,
    pub detail: String,
}
