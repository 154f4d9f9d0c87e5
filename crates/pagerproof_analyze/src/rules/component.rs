//! Component rules: one per component category. They fire when the component's fact
//! (see `facts.rs`) is `false`; their findings have `line: null` and the component's
//! root as `path`. Facts that do not apply to a component (a library needs no health
//! endpoint) are `null` and produce nothing.

use pagerproof_core::{Confidence, Severity};

use crate::rule::{Case, Docs, Handling, RuleMeta};
use crate::rules::component_cases as cases;

macro_rules! component_rule {
    ($name:ident, $id:literal, $cat:literal, $sev:ident, $summary:literal, $docs:expr, $cases:expr) => {
        pub static $name: RuleMeta = RuleMeta {
            id: $id,
            category: $cat,
            severity: Severity::$sev,
            confidence: Confidence::Medium,
            preview: false,
            languages: &["python", "go", "javascript", "typescript", "java"],
            summary: $summary,
            docs: $docs,
            outside_production: Handling::Drop,
            cases: $cases,
        };
    };
}

component_rule!(
    HEALTH,
    "service-without-health-endpoint",
    "HEALTH",
    P1,
    "Service exposes no health or readiness endpoint",
    Docs {
        what: "A service (it serves HTTP or gRPC) with no health or readiness endpoint: no route whose path has a \
`health`, `healthz`, `ready`, `readyz`, `live`, `livez` segment (or a short `/ping`, `/status`), no gRPC health service \
(`grpc_health_v1.RegisterHealthServer`/`health.NewServer`, `add_HealthServicer_to_server`, `HealthStatusManager`, \
`grpc.health.v1` handlers registered with `addService`), no health library (terminus, lightship, django-health-check, \
heptiolabs/healthcheck, Dropwizard health checks, actuator `HealthIndicator`s, Spring Boot actuator from the build \
file). Built-in endpoints count: BentoML's `/livez` `/readyz`. Libraries, CLIs, workers, batch jobs and load \
generators are not asked for one.",
        scenario: "An instance deadlocks, loses its database connection or fails to warm up, but its process stays up.",
        impact: "The load balancer and the orchestrator keep sending it traffic: a share of requests fails until a human \
notices. Rolling deploys cannot tell a broken new version from a healthy one.",
        detection: "Error rate rises on a subset of instances while their processes look alive; deploys report success \
while errors climb.",
        mitigation: "Expose a cheap liveness endpoint and a readiness endpoint that checks critical dependencies, and \
point the orchestrator's probes at them.",
        fixes: &[
            (
                "go",
                "mux.HandleFunc(\"/healthz\", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })\n// gRPC: healthpb.RegisterHealthServer(srv, health.NewServer())"
            ),
            (
                "python",
                "@app.get(\"/healthz\")\ndef healthz():\n    return {\"status\": \"ok\"}"
            ),
            (
                "javascript",
                "app.get('/healthz', (req, res) => res.status(200).send('ok'));"
            ),
            (
                "java",
                "// Spring Boot: add spring-boot-starter-actuator; probes at /actuator/health/liveness and /readiness\nmanagement.endpoint.health.probes.enabled=true"
            ),
        ],
        monitoring: "Alert on probe failure rate per instance and on the number of ready replicas below the desired count.",
    },
    cases::HEALTH
);

component_rule!(
    SHUTDOWN,
    "service-without-graceful-shutdown",
    "SHUTDOWN",
    P1,
    "No graceful shutdown on SIGTERM",
    Docs {
        what: "A service or worker that does not shut down gracefully: nothing handles SIGTERM and drains in-flight \
work (Go `signal.Notify` + `Server.Shutdown`/`GracefulStop`; Python signal handlers or a server that drains — \
gunicorn, uvicorn; Node `process.on('SIGTERM')` + `server.close()`; Java shutdown hooks, Spring \
`server.shutdown=graceful`). Only SIGTERM counts: a handler for SIGINT/`KeyboardInterrupt` or SIGUSR1 alone is not \
shutdown, nor is grpcio `server.stop(0)`. Framework defaults count only where they are real: gunicorn, uvicorn, \
aiohttp's `web.run_app`, Spring Boot with `server.shutdown=graceful` (the default from Boot 3.4), the .NET Generic \
Host, and for workers Celery/RQ/dramatiq warm shutdown; Go, Node and plain Python servers (Flask's `app.run`, grpcio, \
`http.ListenAndServe`, Express) do not. A worker needs a SIGTERM handler; a service needs a handler and a drain.",
        scenario: "Every deploy, scale-in or node drain sends SIGTERM to running instances.",
        impact: "In-flight requests are cut mid-way (502s for users), background work is lost half-done, and \
connections to databases and brokers are dropped without cleanup. Every deploy becomes a small outage.",
        detection: "Error spikes (5xx, connection resets) exactly at deploy times; half-processed jobs after restarts.",
        mitigation: "On SIGTERM: stop accepting new work, fail readiness, finish or cancel in-flight requests within \
the grace period, close connections, then exit.",
        fixes: &[
            (
                "go",
                "ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)\ndefer stop()\ngo func() { _ = srv.ListenAndServe() }()\n<-ctx.Done()\nshutdownCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)\ndefer cancel()\n_ = srv.Shutdown(shutdownCtx) // grpcServer.GracefulStop() for gRPC"
            ),
            (
                "python",
                "import signal\n\ndef handle_sigterm(signum, frame):\n    server.stop(grace=25)  # grpc; or run under gunicorn/uvicorn, which drain on SIGTERM\n\nsignal.signal(signal.SIGTERM, handle_sigterm)"
            ),
            (
                "javascript",
                "process.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n  setTimeout(() => process.exit(1), 25_000).unref();\n});"
            ),
            (
                "java",
                "# application.properties\nserver.shutdown=graceful\nspring.lifecycle.timeout-per-shutdown-phase=25s"
            ),
        ],
        monitoring: "Alert on 5xx/connection-reset spikes that coincide with rollouts; track requests aborted at shutdown.",
    },
    cases::SHUTDOWN
);

component_rule!(
    METRICS,
    "service-without-metrics",
    "METRICS",
    P2,
    "No metrics instrumentation",
    Docs {
        what: "A service or job with no metrics instrumentation: no Prometheus client (prometheus_client, client_golang, \
prom-client, simpleclient, exporters for FastAPI/Flask/Django/Express), OpenTelemetry metrics, OpenCensus stats, \
StatsD/DogStatsD, Micrometer, Dropwizard Metrics or Spring actuator metrics; built-in metrics of BentoML, TorchServe \
and Dropwizard count. Evidence is a call, a constructor, a middleware or an injected registry: an import alone, a \
comment, or a stub such as `initStats() { /* TODO */ }` is not metrics. The production-readiness review asks for \
request latency percentiles, error rate, retry counts and queue depth at minimum.",
        scenario: "Latency creeps up or errors start, at 3 AM, and on-call opens a dashboard.",
        impact: "There is nothing to look at: detection depends on users complaining, and diagnosis on guessing.",
        detection: "You find out from users or from downstream teams.",
        mitigation: "Instrument the server (request count, latency histogram, errors by status) and key dependencies, \
with a standard client, and expose it for scraping.",
        fixes: &[
            (
                "go",
                "import \"github.com/prometheus/client_golang/prometheus/promhttp\"\nmux.Handle(\"/metrics\", promhttp.Handler())"
            ),
            (
                "python",
                "from prometheus_client import start_http_server, Histogram\nREQUEST_SECONDS = Histogram(\"request_seconds\", \"Request latency\", [\"route\"])\nstart_http_server(9000)"
            ),
            (
                "javascript",
                "const client = require('prom-client');\nclient.collectDefaultMetrics();\napp.get('/metrics', async (_, res) => res.type(client.register.contentType).send(await client.register.metrics()));"
            ),
            (
                "java",
                "// spring-boot-starter-actuator + micrometer-registry-prometheus\nmanagement.endpoints.web.exposure.include=health,prometheus"
            ),
        ],
        monitoring: "Once present: alert on error-rate and latency SLO burn, saturation and queue depth.",
    },
    cases::METRICS
);

component_rule!(
    TRACING,
    "service-without-tracing",
    "TRACING",
    P2,
    "No distributed tracing",
    Docs {
        what: "A service or job with no distributed tracing: no OpenTelemetry (SDK, API, instrumentations, exporters, \
propagators), Jaeger, Zipkin/Brave, OpenTracing, OpenCensus, Datadog, New Relic, Elastic APM, X-Ray, Sleuth or \
Micrometer Tracing. Optional tracing behind a flag (`if ENABLE_TRACING`) counts as present; an empty \
`initTracing()` or a log line saying tracing is on does not.",
        scenario: "A request that crosses several services is slow or fails somewhere along the way.",
        impact: "Nobody can tell which hop is slow: incidents spanning services take hours to localise.",
        detection: "Latency is visible at the edge but cannot be attributed to a service or dependency.",
        mitigation: "Instrument inbound and outbound calls with OpenTelemetry and propagate W3C trace context.",
        fixes: &[
            (
                "go",
                "handler = otelhttp.NewHandler(mux, \"server\")\nconn, _ := grpc.NewClient(addr, grpc.WithStatsHandler(otelgrpc.NewClientHandler()))"
            ),
            (
                "python",
                "from opentelemetry.instrumentation.flask import FlaskInstrumentor\nFlaskInstrumentor().instrument_app(app)"
            ),
            (
                "javascript",
                "const { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();"
            ),
            (
                "java",
                "// run with the OpenTelemetry Java agent: -javaagent:opentelemetry-javaagent.jar"
            ),
        ],
        monitoring: "Trace-derived latency per hop; alert on error spans from dependencies.",
    },
    cases::TRACING
);

component_rule!(
    LOGS,
    "service-without-structured-logging",
    "STRUCTURED-LOGS",
    P2,
    "No structured logging",
    Docs {
        what: "A service or job that logs only free text (print, console.log, fmt.Println, `logging` with default \
formatters, logrus's text formatter, slog's text handler, winston without a JSON format): no JSON or key-value logging \
(structlog, python-json-logger, a `logging.Formatter` emitting `json.dumps`, loguru `serialize=True`, Cloud Logging \
handlers, zap, zerolog, logrus `JSONFormatter`, slog `JSONHandler`, pino and fastify's logger, bunyan, winston \
`format.json()`, logstash-logback-encoder, ECS logging, logback/log4j2 JSON encoders and layouts from configuration).",
        scenario: "During an incident on-call searches logs for one user's failing requests.",
        impact: "Free text cannot be filtered by field: finding the relevant lines means grepping across instances, and \
log-based alerts are brittle.",
        detection: "Log queries rely on substring matches; dashboards cannot be built from logs.",
        mitigation: "Log JSON with stable field names (level, message, request id, route, latency, error).",
        fixes: &[
            (
                "go",
                "logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))"
            ),
            (
                "python",
                "import structlog\nstructlog.configure(processors=[structlog.processors.JSONRenderer()])"
            ),
            ("javascript", "const logger = require('pino')();"),
            (
                "java",
                "<!-- logback.xml --><encoder class=\"net.logstash.logback.encoder.LogstashEncoder\"/>"
            ),
        ],
        monitoring: "Log-based error rate per route; alert on new error signatures.",
    },
    cases::LOGS
);

component_rule!(
    REQUEST_ID,
    "service-without-request-id",
    "REQUEST-ID",
    P3,
    "No request or correlation id",
    Docs {
        what: "A service that neither reads nor generates a request/correlation id to tie its log lines to one request: \
no request-id middleware (asgi-correlation-id, django-guid, chi/echo/gin/fiber RequestID, express-request-id, \
cls-rtracer), no `X-Request-ID`/`X-Correlation-ID` header read or set, no request-id or trace-id field in log records \
(`log.WithField(\"request_id\", ...)`, `MDC.put(\"requestId\", ...)`, `bind(request_id=...)`), no context value keyed \
by a request-id type. W3C trace context that is propagated but never logged does not count. Not asked of workers and \
load generators.",
        scenario: "One request fails among thousands per second.",
        impact: "Its log lines cannot be told apart from the others, here or in the services it called.",
        detection: "Incident timelines are reconstructed by timestamps alone.",
        mitigation: "Accept or generate a request id at the edge, put it in every log line and pass it downstream.",
        fixes: &[
            (
                "go",
                "func withRequestID(next http.Handler) http.Handler {\n    return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n        id := r.Header.Get(\"X-Request-ID\")\n        if id == \"\" { id = uuid.NewString() }\n        ctx := context.WithValue(r.Context(), ctxKeyRequestID{}, id)\n        next.ServeHTTP(w, r.WithContext(ctx))\n    })\n}"
            ),
            (
                "python",
                "# asgi-correlation-id\napp.add_middleware(CorrelationIdMiddleware)"
            ),
            ("javascript", "app.use(require('express-request-id')());"),
        ],
        monitoring: "Share of log lines carrying a request id.",
    },
    cases::REQUEST_ID
);

component_rule!(
    RATE_LIMIT,
    "endpoints-without-rate-limit",
    "RATE-LIMIT",
    P2,
    "State-changing endpoints without rate limiting",
    Docs {
        what: "A service with state-changing endpoints (POST/PUT/PATCH/DELETE routes, or gRPC methods whose name starts \
with a verb that changes state: create, update, delete, set, add, charge, send, place, empty, ship, ...) and no rate \
limiting in its code (express-rate-limit, rate-limiter-flexible, @nestjs/throttler, slowapi, flask-limiter, \
asgi-ratelimit, django-ratelimit, DRF throttling, golang.org/x/time/rate, tollbooth, httprate, echo/fiber limiters, \
resilience4j RateLimiter, Bucket4j, Guava RateLimiter). A service whose endpoints only read is `null`. A limit \
enforced at a gateway or mesh is invisible here: say so with a suppression.",
        scenario: "A misbehaving client, a retry storm or an abuser sends a burst of writes.",
        impact: "The service and its database take the full burst: degraded service for everyone, or abuse (spam, card \
testing) at the service's expense.",
        detection: "Request rate per client spikes; write latency and database load follow.",
        mitigation: "Rate-limit state-changing endpoints per client or per key, at the service or at a gateway you can \
point to.",
        fixes: &[
            (
                "javascript",
                "const rateLimit = require('express-rate-limit');\napp.use('/api/', rateLimit({ windowMs: 60_000, max: 100 }));"
            ),
            (
                "python",
                "from slowapi import Limiter\nlimiter = Limiter(key_func=get_remote_address)\n@app.post(\"/orders\")\n@limiter.limit(\"10/minute\")\ndef create_order(request: Request): ..."
            ),
            (
                "go",
                "limiter := rate.NewLimiter(rate.Limit(100), 200)\nif !limiter.Allow() { http.Error(w, \"slow down\", http.StatusTooManyRequests); return }"
            ),
        ],
        monitoring: "Requests per client; 429 rate; alert on a single client's share of traffic.",
    },
    cases::RATE_LIMIT
);

component_rule!(
    AUTH,
    "endpoints-without-auth",
    "AUTH",
    P0,
    "State-changing endpoints without authentication",
    Docs {
        what: "A service exposing HTTP routes that change or delete data with no authentication or authorization in its \
code (auth middleware, JWT/OAuth/OIDC libraries, Spring Security, passport, `login_required`, DRF permission classes, \
`Depends(get_current_user)`, code reading the `Authorization` header). Precision first: the fact is `false` only when \
one such route is a PUT, PATCH or DELETE, or its path administers identities or settings (`admin`, `users`, \
`accounts`, `roles`, `permissions`, `settings`, `keys`, ...); login, signup, token and webhook routes are excluded. \
Services whose only writes are anonymous POST forms (`POST /cart`) are `null`: whether they need authentication is a \
product decision. Internal gRPC services, whose authentication usually comes from the mesh (mTLS) or a gateway, are \
`null` too.",
        scenario: "Anyone who can reach the endpoint calls it.",
        impact: "Data can be changed or destroyed by unauthenticated callers: a security breach.",
        detection: "Writes from unknown clients; audit trails with no user.",
        mitigation: "Authenticate every state-changing endpoint and authorize the action at the service.",
        fixes: &[
            (
                "python",
                "@app.post(\"/orders\")\ndef create(order: Order, user: User = Depends(current_user)): ..."
            ),
            (
                "javascript",
                "app.use('/api', requireAuth); // e.g. passport, express-jwt"
            ),
        ],
        monitoring: "Alert on writes without an authenticated principal.",
    },
    cases::AUTH
);

component_rule!(
    RESILIENCE,
    "dependencies-without-circuit-breaker",
    "RESILIENCE",
    P3,
    "Outbound dependencies without circuit breaker or fallback",
    Docs {
        what: "A running component (service or job) that calls other services — an HTTP client or gRPC channel in \
its code (`requests`/`httpx`/`aiohttp`, `grpc.*_channel`, Go `net/http` and `grpc.NewClient`, `fetch`/axios/got, \
`RestTemplate`/`WebClient`/`HttpClient`/`ManagedChannelBuilder`) — with no circuit breaker, bulkhead or fallback \
library anywhere in it: pybreaker, circuitbreaker, aiobreaker; sony/gobreaker, hystrix-go, go-resiliency, \
failsafe-go; opossum, cockatiel, mollitia; resilience4j, Hystrix, Failsafe, Spring Cloud CircuitBreaker, Sentinel. \
Components without outbound calls, libraries and CLIs are not asked. A mesh-level breaker (Istio \
`outlierDetection`) is not seen from the code: say so with a suppression.",
        scenario: "A dependency fails hard or becomes slow for minutes.",
        impact: "Every request keeps trying it, stacking up latency and load on a dependency that needs relief; there is \
no degraded mode.",
        detection: "Error rate to one dependency tracks this service's error rate one-for-one.",
        mitigation: "Wrap unstable dependencies in a circuit breaker with a fallback (cached or default response).",
        fixes: &[
            (
                "java",
                "CircuitBreaker cb = CircuitBreaker.ofDefaults(\"catalog\");\nSupplier<List<Product>> guarded = CircuitBreaker.decorateSupplier(cb, catalog::list);"
            ),
            (
                "go",
                "cb := gobreaker.NewCircuitBreaker(gobreaker.Settings{Name: \"catalog\"})\nres, err := cb.Execute(func() (any, error) { return client.List(ctx, req) })"
            ),
            (
                "python",
                "breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)\n\n@breaker\ndef list_items():\n    return requests.get(CATALOG_URL, timeout=2).json()"
            ),
            (
                "javascript",
                "const breaker = new CircuitBreaker(() => axios.get(url, { timeout: 2000 }), { errorThresholdPercentage: 50, resetTimeout: 30000 });\nbreaker.fallback(() => cachedPrices);"
            ),
            (
                "typescript",
                "const breaker = new CircuitBreaker(() => axios.get(url, { timeout: 2000 }), { errorThresholdPercentage: 50, resetTimeout: 30000 });\nbreaker.fallback(() => cachedPrices);"
            ),
        ],
        monitoring: "Breaker state changes; alert when a breaker stays open.",
    },
    &[
        Case {
            files: &[
                (
                    "svc/app.py",
                    "import requests\n\ndef main():\n    requests.get(\"http://inventory/items\", timeout=2)\n\nif __name__ == \"__main__\":\n    main()\n",
                ),
                ("svc/Dockerfile", "FROM python:3.12-slim\n"),
                ("EXPECT", "svc | calls other services"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/app.py",
                    "import pybreaker\nimport requests\n\nbreaker = pybreaker.CircuitBreaker(fail_max=5)\n\n@breaker\ndef items():\n    return requests.get(\"http://inventory/items\", timeout=2)\n\nif __name__ == \"__main__\":\n    items()\n",
                ),
                ("svc/Dockerfile", "FROM python:3.12-slim\n"),
            ],
        },
        Case {
            files: &[
                (
                    "lib/client.py",
                    "import requests\n\ndef items():\n    return requests.get(\"http://inventory/items\", timeout=2)\n",
                ),
                ("lib/pyproject.toml", "[project]\nname = \"client\"\n"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/main.go",
                    "package main\n\nimport (\n\t\"context\"\n\n\t\"google.golang.org/grpc\"\n)\n\nfunc main() {\n\tconn, _ := grpc.NewClient(\"catalog:3550\")\n\t_ = conn\n\t_ = context.Background()\n}\n",
                ),
                ("svc/Dockerfile", "FROM golang:1.22\n"),
                ("EXPECT", "svc | calls other services"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/main.go",
                    "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/sony/gobreaker\"\n)\n\nvar cb = gobreaker.NewCircuitBreaker(gobreaker.Settings{Name: \"catalog\"})\n\nfunc main() {\n\tcb.Execute(func() (any, error) { return http.Get(\"http://catalog/items\") })\n}\n",
                ),
                ("svc/Dockerfile", "FROM golang:1.22\n"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/server.js",
                    "const axios = require('axios');\nasync function prices() {\n  return axios.get('http://pricing/prices', { timeout: 2000 });\n}\nmodule.exports = { prices };\n",
                ),
                ("svc/Dockerfile", "FROM node:20-slim\n"),
                ("EXPECT", "svc | calls other services"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/server.ts",
                    "import CircuitBreaker from 'opossum';\nimport axios from 'axios';\nconst breaker = new CircuitBreaker(() => axios.get('http://pricing/prices', { timeout: 2000 }));\nexport const prices = () => breaker.fire();\n",
                ),
                ("svc/Dockerfile", "FROM node:20-slim\n"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/src/main/java/com/acme/App.java",
                    "package com.acme;\n\nimport org.springframework.web.client.RestTemplate;\n\npublic class App {\n    public static void main(String[] args) {\n        new RestTemplate().getForObject(\"http://catalog/items\", String.class);\n    }\n}\n",
                ),
                ("svc/Dockerfile", "FROM eclipse-temurin:21\n"),
                ("EXPECT", "svc | calls other services"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/src/main/java/com/acme/App.java",
                    "package com.acme;\n\nimport io.github.resilience4j.circuitbreaker.CircuitBreaker;\nimport org.springframework.web.client.RestTemplate;\n\npublic class App {\n    public static void main(String[] args) {\n        CircuitBreaker cb = CircuitBreaker.ofDefaults(\"catalog\");\n        cb.executeSupplier(() -> new RestTemplate().getForObject(\"http://catalog/items\", String.class));\n    }\n}\n",
                ),
                ("svc/Dockerfile", "FROM eclipse-temurin:21\n"),
            ],
        },
    ]
);

component_rule!(
    AUDIT,
    "sensitive-actions-without-audit-log",
    "AUDIT-LOG",
    P3,
    "Sensitive actions without an audit trail",
    Docs {
        what: "A running component with sensitive entry points — routes or RPCs that authenticate (`login`, \
`logout`, `signup`, `password`, `mfa`, `impersonate`), move money (`charge`, `refund`, `payout`, `create_payment`, \
`PlaceOrder`), administer (`/admin` routes; `role`, `permission`, `grant`, `revoke`, `ban`, `suspend`) or delete \
accounts, users, customers, members, organisations or tenants — that writes no audit trail anywhere: no audit \
library (django-auditlog, django-simple-history, django-reversion, Hibernate Envers, JaVers, Spring Boot \
`AuditEvent`), no audit logger (`getLogger(\"audit\")`), no call, class or annotation whose name says audit \
(`audit_log.info`, `AuditLog.objects.create`, `auditService.record`, `@Audited`). Components without sensitive \
entry points are not asked.",
        scenario: "Someone asks who refunded an order, deleted an account or changed a role.",
        impact: "Nobody can answer: incidents and disputes cannot be reconstructed; compliance reviews fail.",
        detection: "Post-incident reviews have gaps around privileged actions.",
        mitigation: "Record who did what to which object and when, for every sensitive action, to an append-only store.",
        fixes: &[
            (
                "python",
                "audit = structlog.get_logger(\"audit\")\naudit.info(\"refund\", actor=user.id, order=order.id, amount=amount)"
            ),
            (
                "go",
                "auditLog.Record(ctx, audit.Event{Actor: userID, Action: \"account.delete\", Target: accountID, At: time.Now()})"
            ),
            (
                "javascript",
                "await auditLog.record({ actor: req.user.id, action: 'role.grant', target: req.params.id, at: new Date() });"
            ),
            (
                "typescript",
                "await auditLog.record({ actor: req.user.id, action: 'role.grant', target: req.params.id, at: new Date() });"
            ),
            (
                "java",
                "auditEventRepository.add(new AuditEvent(principal.getName(), \"REFUND\", Map.of(\"order\", orderId)));"
            ),
        ],
        monitoring: "Volume of audit events per action type; alert on privileged actions outside business hours.",
    },
    &[
        Case {
            files: &[
                (
                    "svc/app.py",
                    "from flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post(\"/login\")\ndef login():\n    return check(request.form)\n\nif __name__ == \"__main__\":\n    app.run()\n",
                ),
                ("svc/Dockerfile", "FROM python:3.12-slim\n"),
                ("EXPECT", "svc | writes no audit trail"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/app.py",
                    "import logging\nfrom flask import Flask, request\n\napp = Flask(__name__)\naudit = logging.getLogger(\"audit\")\n\n@app.post(\"/login\")\ndef login():\n    audit.info(\"login\", extra={\"user\": request.form[\"user\"]})\n    return \"ok\"\n\nif __name__ == \"__main__\":\n    app.run()\n",
                ),
                ("svc/Dockerfile", "FROM python:3.12-slim\n"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/main.go",
                    "package main\n\nimport \"net/http\"\n\nfunc deleteAccount(w http.ResponseWriter, r *http.Request) {}\n\nfunc main() {\n\thttp.HandleFunc(\"/accounts/delete\", deleteAccount)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
                ),
                ("svc/Dockerfile", "FROM golang:1.22\n"),
                ("EXPECT", "svc | writes no audit trail"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/main.go",
                    "package main\n\nimport \"net/http\"\n\nfunc deleteAccount(w http.ResponseWriter, r *http.Request) {\n\tauditLog.Record(r.Context(), \"account.delete\")\n}\n\nfunc main() {\n\thttp.HandleFunc(\"/accounts/delete\", deleteAccount)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
                ),
                ("svc/Dockerfile", "FROM golang:1.22\n"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/server.js",
                    "const express = require('express');\nconst app = express();\napp.post('/admin/users/:id/roles', (req, res) => { grant(req.params.id, req.body.role); res.sendStatus(204); });\napp.listen(3000);\n",
                ),
                ("svc/Dockerfile", "FROM node:20-slim\n"),
                ("EXPECT", "svc | writes no audit trail"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/server.ts",
                    "import express from 'express';\nconst app = express();\napp.get('/products', (req, res) => { res.json([]); });\napp.listen(3000);\n",
                ),
                ("svc/Dockerfile", "FROM node:20-slim\n"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/src/main/java/com/acme/PaymentController.java",
                    "package com.acme;\n\nimport org.springframework.web.bind.annotation.*;\n\n@RestController\npublic class PaymentController {\n    @PostMapping(\"/refunds\")\n    public void refund(@RequestBody String id) { gateway.refund(id); }\n\n    public static void main(String[] args) {}\n}\n",
                ),
                ("svc/Dockerfile", "FROM eclipse-temurin:21\n"),
                ("EXPECT", "svc | writes no audit trail"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/src/main/java/com/acme/PaymentController.java",
                    "package com.acme;\n\nimport org.springframework.boot.actuate.audit.AuditEvent;\nimport org.springframework.web.bind.annotation.*;\n\n@RestController\npublic class PaymentController {\n    @PostMapping(\"/refunds\")\n    public void refund(@RequestBody String id) { events.add(new AuditEvent(\"ops\", \"refund\")); gateway.refund(id); }\n\n    public static void main(String[] args) {}\n}\n",
                ),
                ("svc/Dockerfile", "FROM eclipse-temurin:21\n"),
            ],
        },
    ]
);

/// Every component rule, in taxonomy order.
pub static ALL: &[&RuleMeta] = &[
    &HEALTH,
    &SHUTDOWN,
    &METRICS,
    &TRACING,
    &LOGS,
    &REQUEST_ID,
    &RATE_LIMIT,
    &AUTH,
    &RESILIENCE,
    &AUDIT,
];

/// The rule that reports a missing fact of `category`.
pub fn rule_for(category: &str) -> Option<&'static RuleMeta> {
    ALL.iter().copied().find(|m| m.category == category)
}
