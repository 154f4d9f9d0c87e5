//! METRICS and TRACING evidence: the client libraries a service uses, matched on the
//! qualified name of a call, constructor, decorator, annotation, base class or injected
//! type (see `libraries.rs`, which visits the nodes). An import alone is not evidence,
//! nor is a stub like `initStats() { /* TODO */ }`: something must be called, built,
//! subclassed or injected.
//!
//! Metrics: prometheus_client (+ FastAPI/Flask/Starlette exporters, django-prometheus),
//! client_golang, prom-client (+ express-prom-bundle), Micrometer, Prometheus simpleclient,
//! Dropwizard Metrics, OpenTelemetry metrics, OpenCensus stats, StatsD/DogStatsD clients,
//! go-metrics, tally; built in: BentoML's `/metrics`, TorchServe, Dropwizard's admin.
//! Tracing: OpenTelemetry (SDK, API, instrumentations, exporters), Jaeger, Zipkin/Brave,
//! OpenTracing, OpenCensus trace, Datadog, New Relic, Elastic APM, X-Ray, Sleuth /
//! Micrometer Tracing, Instana, Honeycomb Beeline, SkyWalking, Lightstep. Tracing behind a flag (`if ENABLE_TRACING`) counts as present.

use crate::extract::common::Lib;
use crate::libs;

pub static METRICS: &[Lib] = libs![
    Python "prometheus_client" => Metrics "prometheus_client";
    Python "prometheus_fastapi_instrumentator" => Metrics "prometheus-fastapi-instrumentator";
    Python "prometheus_flask_exporter" => Metrics "prometheus-flask-exporter";
    Python "starlette_exporter" => Metrics "starlette-exporter";
    Python "starlette_prometheus" => Metrics "starlette-prometheus";
    Python "django_prometheus" => Metrics "django-prometheus";
    Python "aioprometheus" => Metrics "aioprometheus";
    Python "opentelemetry.metrics" => Metrics "OpenTelemetry metrics";
    Python "opentelemetry.sdk.metrics" => Metrics "OpenTelemetry metrics";
    Python "opentelemetry.exporter.prometheus" => Metrics "OpenTelemetry Prometheus exporter";
    Python "opentelemetry.exporter.otlp.proto.grpc.metric_exporter" => Metrics "OpenTelemetry OTLP metrics";
    Python "opentelemetry.exporter.otlp.proto.http.metric_exporter" => Metrics "OpenTelemetry OTLP metrics";
    Python "statsd" => Metrics "statsd";
    Python "datadog.statsd" => Metrics "DogStatsD";
    Python "datadog.dogstatsd" => Metrics "DogStatsD";
    Python "datadog.initialize" => Metrics "DogStatsD";
    Python "newrelic.agent" => Metrics "New Relic agent";
    Python "bentoml.Service" => Metrics "BentoML built-in /metrics";
    Python "bentoml.service" => Metrics "BentoML built-in /metrics";
    Python "bentoml.metrics" => Metrics "BentoML metrics";
    Python "ts.torch_handler" => Metrics "TorchServe built-in metrics";
    Python "ts.metrics" => Metrics "TorchServe metrics";
    Go "github.com/prometheus/client_golang" => Metrics "Prometheus client_golang";
    Go "go.opentelemetry.io/otel/metric" => Metrics "OpenTelemetry metrics";
    Go "go.opentelemetry.io/otel/sdk/metric" => Metrics "OpenTelemetry metrics";
    Go "go.opentelemetry.io/otel.Meter" => Metrics "OpenTelemetry metrics";
    Go "go.opentelemetry.io/otel.SetMeterProvider" => Metrics "OpenTelemetry metrics";
    Go "go.opentelemetry.io/otel.GetMeterProvider" => Metrics "OpenTelemetry metrics";
    Go "go.opentelemetry.io/otel/exporters/prometheus" => Metrics "OpenTelemetry Prometheus exporter";
    Go "go.opentelemetry.io/otel/exporters/otlp/otlpmetric" => Metrics "OpenTelemetry OTLP metrics";
    Go "go.opencensus.io/stats" => Metrics "OpenCensus stats";
    Go "github.com/DataDog/datadog-go" => Metrics "DogStatsD";
    Go "github.com/cactus/go-statsd-client" => Metrics "statsd";
    Go "gopkg.in/alexcesaro/statsd" => Metrics "statsd";
    Go "github.com/smira/go-statsd" => Metrics "statsd";
    Go "github.com/armon/go-metrics" => Metrics "go-metrics";
    Go "github.com/hashicorp/go-metrics" => Metrics "go-metrics";
    Go "github.com/rcrowley/go-metrics" => Metrics "go-metrics";
    Go "github.com/go-kit/kit/metrics" => Metrics "go-kit metrics";
    Go "github.com/VictoriaMetrics/metrics" => Metrics "VictoriaMetrics/metrics";
    Go "github.com/uber-go/tally" => Metrics "tally";
    Go "github.com/grpc-ecosystem/go-grpc-prometheus" => Metrics "go-grpc-prometheus";
    Go "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus" => Metrics "go-grpc-middleware prometheus";
    Go "github.com/slok/go-http-metrics" => Metrics "go-http-metrics";
    Go "expvar.New" => Metrics "expvar";
    Go "expvar.Publish" => Metrics "expvar";
    Js "prom-client" => Metrics "prom-client";
    Js "express-prom-bundle" => Metrics "express-prom-bundle";
    Js "prometheus-api-metrics" => Metrics "prometheus-api-metrics";
    Js "fastify-metrics" => Metrics "fastify-metrics";
    Js "@willsoto/nestjs-prometheus" => Metrics "nestjs-prometheus";
    Js "@opentelemetry/sdk-metrics" => Metrics "OpenTelemetry metrics";
    Js "@opentelemetry/api.metrics" => Metrics "OpenTelemetry metrics";
    Js "@opentelemetry/exporter-metrics-otlp-" => Metrics "OpenTelemetry OTLP metrics";
    Js "@opentelemetry/exporter-prometheus" => Metrics "OpenTelemetry Prometheus exporter";
    Js "hot-shots" => Metrics "hot-shots (StatsD)";
    Js "node-statsd" => Metrics "statsd";
    Js "statsd-client" => Metrics "statsd";
    Js "lynx" => Metrics "statsd";
    Js "newrelic" => Metrics "New Relic agent";
    Js "@instana/collector" => Metrics "Instana collector";
    Python "instana" => Metrics "Instana agent";
    Go "github.com/instana/go-sensor" => Metrics "Instana Go sensor";
    Java "io.micrometer.core" => Metrics "Micrometer";
    Java "io.micrometer.prometheus" => Metrics "Micrometer Prometheus";
    Java "io.micrometer.prometheusmetrics" => Metrics "Micrometer Prometheus";
    Java "io.prometheus.client" => Metrics "Prometheus simpleclient";
    Java "io.prometheus.metrics" => Metrics "Prometheus client";
    Java "com.codahale.metrics" => Metrics "Dropwizard Metrics";
    Java "io.dropwizard.metrics" => Metrics "Dropwizard Metrics";
    Java "io.dropwizard.Application" => Metrics "Dropwizard built-in metrics (admin /metrics)";
    Java "io.dropwizard.core.Application" => Metrics "Dropwizard built-in metrics (admin /metrics)";
    Java "io.opentelemetry.api.metrics" => Metrics "OpenTelemetry metrics";
    Java "io.opentelemetry.api.GlobalOpenTelemetry.getMeter" => Metrics "OpenTelemetry metrics";
    Java "io.opentelemetry.sdk.metrics" => Metrics "OpenTelemetry metrics";
    Java "com.timgroup.statsd" => Metrics "StatsD";
];

pub static TRACING: &[Lib] = libs![
    Python "opentelemetry.trace" => Tracing "OpenTelemetry";
    Python "opentelemetry.sdk.trace" => Tracing "OpenTelemetry";
    Python "opentelemetry.instrumentation" => Tracing "OpenTelemetry instrumentation";
    Python "opentelemetry.propagate" => Tracing "OpenTelemetry propagation";
    Python "opentelemetry.exporter.otlp.proto.grpc.trace_exporter" => Tracing "OpenTelemetry OTLP exporter";
    Python "opentelemetry.exporter.otlp.proto.http.trace_exporter" => Tracing "OpenTelemetry OTLP exporter";
    Python "opentelemetry.exporter.jaeger" => Tracing "OpenTelemetry Jaeger exporter";
    Python "opentelemetry.exporter.zipkin" => Tracing "OpenTelemetry Zipkin exporter";
    Python "opentelemetry.exporter.cloud_trace" => Tracing "OpenTelemetry Cloud Trace exporter";
    Python "ddtrace" => Tracing "Datadog ddtrace";
    Python "jaeger_client" => Tracing "Jaeger";
    Python "py_zipkin" => Tracing "Zipkin";
    Python "opencensus.trace" => Tracing "OpenCensus";
    Python "opencensus.ext" => Tracing "OpenCensus";
    Python "elasticapm" => Tracing "Elastic APM";
    Python "newrelic.agent" => Tracing "New Relic agent";
    Python "aws_xray_sdk" => Tracing "AWS X-Ray";
    Python "instana" => Tracing "Instana";
    Python "beeline" => Tracing "Honeycomb Beeline";
    Python "skywalking" => Tracing "Apache SkyWalking";
    Go "go.opentelemetry.io/otel.SetTracerProvider" => Tracing "OpenTelemetry";
    Go "go.opentelemetry.io/otel.Tracer" => Tracing "OpenTelemetry";
    Go "go.opentelemetry.io/otel.GetTracerProvider" => Tracing "OpenTelemetry";
    Go "go.opentelemetry.io/otel.SetTextMapPropagator" => Tracing "OpenTelemetry propagation";
    Go "go.opentelemetry.io/otel/trace" => Tracing "OpenTelemetry";
    Go "go.opentelemetry.io/otel/sdk/trace" => Tracing "OpenTelemetry";
    Go "go.opentelemetry.io/otel/exporters/otlp/otlptrace" => Tracing "OpenTelemetry OTLP exporter";
    Go "go.opentelemetry.io/otel/exporters/jaeger" => Tracing "OpenTelemetry Jaeger exporter";
    Go "go.opentelemetry.io/otel/exporters/zipkin" => Tracing "OpenTelemetry Zipkin exporter";
    Go "go.opentelemetry.io/otel/exporters/stdout/stdouttrace" => Tracing "OpenTelemetry";
    Go "go.opentelemetry.io/contrib/instrumentation" => Tracing "OpenTelemetry instrumentation";
    Go "github.com/GoogleCloudPlatform/opentelemetry-operations-go/exporter/trace" => Tracing "OpenTelemetry Cloud Trace exporter";
    Go "github.com/opentracing/opentracing-go" => Tracing "OpenTracing";
    Go "github.com/uber/jaeger-client-go" => Tracing "Jaeger";
    Go "github.com/openzipkin/zipkin-go" => Tracing "Zipkin";
    Go "go.opencensus.io/trace" => Tracing "OpenCensus";
    Go "go.opencensus.io/plugin" => Tracing "OpenCensus";
    Go "contrib.go.opencensus.io/exporter" => Tracing "OpenCensus exporter";
    Go "gopkg.in/DataDog/dd-trace-go.v1" => Tracing "Datadog dd-trace-go";
    Go "github.com/DataDog/dd-trace-go" => Tracing "Datadog dd-trace-go";
    Go "github.com/newrelic/go-agent" => Tracing "New Relic agent";
    Go "go.elastic.co/apm" => Tracing "Elastic APM";
    Go "github.com/aws/aws-xray-sdk-go" => Tracing "AWS X-Ray";
    Go "github.com/instana/go-sensor" => Tracing "Instana";
    Go "github.com/honeycombio/beeline-go" => Tracing "Honeycomb Beeline";
    Go "github.com/SkyAPM/go2sky" => Tracing "Apache SkyWalking";
    Go "github.com/lightstep/lightstep-tracer-go" => Tracing "Lightstep";
    Js "@opentelemetry/sdk-node" => Tracing "OpenTelemetry";
    Js "@opentelemetry/sdk-trace-" => Tracing "OpenTelemetry";
    Js "@opentelemetry/instrumentation" => Tracing "OpenTelemetry instrumentation";
    Js "@opentelemetry/instrumentation-" => Tracing "OpenTelemetry instrumentation";
    Js "@opentelemetry/auto-instrumentations-" => Tracing "OpenTelemetry instrumentation";
    Js "@opentelemetry/api.trace" => Tracing "OpenTelemetry";
    Js "@opentelemetry/api.propagation" => Tracing "OpenTelemetry propagation";
    Js "@opentelemetry/exporter-trace-" => Tracing "OpenTelemetry exporter";
    Js "@opentelemetry/exporter-otlp-" => Tracing "OpenTelemetry exporter";
    Js "@opentelemetry/exporter-jaeger" => Tracing "OpenTelemetry Jaeger exporter";
    Js "@opentelemetry/exporter-zipkin" => Tracing "OpenTelemetry Zipkin exporter";
    Js "@google-cloud/opentelemetry-cloud-trace-exporter" => Tracing "OpenTelemetry Cloud Trace exporter";
    Js "@google-cloud/trace-agent" => Tracing "Cloud Trace agent";
    Js "dd-trace" => Tracing "Datadog dd-trace";
    Js "jaeger-client" => Tracing "Jaeger";
    Js "zipkin" => Tracing "Zipkin";
    Js "elastic-apm-node" => Tracing "Elastic APM";
    Js "newrelic" => Tracing "New Relic agent";
    Js "aws-xray-sdk" => Tracing "AWS X-Ray";
    Js "aws-xray-sdk-core" => Tracing "AWS X-Ray";
    Js "opentracing" => Tracing "OpenTracing";
    Js "@instana/collector" => Tracing "Instana";
    Js "honeycomb-beeline" => Tracing "Honeycomb Beeline";
    Js "skywalking-backend-js" => Tracing "Apache SkyWalking";
    Js "lightstep-tracer" => Tracing "Lightstep";
    Java "io.opentelemetry.api.trace" => Tracing "OpenTelemetry";
    Java "io.opentelemetry.api.GlobalOpenTelemetry" => Tracing "OpenTelemetry";
    Java "io.opentelemetry.api.OpenTelemetry" => Tracing "OpenTelemetry";
    Java "io.opentelemetry.sdk.trace" => Tracing "OpenTelemetry";
    Java "io.opentelemetry.sdk.OpenTelemetrySdk" => Tracing "OpenTelemetry";
    Java "io.opentelemetry.instrumentation" => Tracing "OpenTelemetry instrumentation";
    Java "io.opentelemetry.extension.annotations" => Tracing "OpenTelemetry";
    Java "io.opentelemetry.exporter" => Tracing "OpenTelemetry exporter";
    Java "io.opentracing" => Tracing "OpenTracing";
    Java "io.jaegertracing" => Tracing "Jaeger";
    Java "brave" => Tracing "Brave (Zipkin)";
    Java "zipkin2" => Tracing "Zipkin";
    Java "io.micrometer.tracing" => Tracing "Micrometer Tracing";
    Java "org.springframework.cloud.sleuth" => Tracing "Spring Cloud Sleuth";
    Java "io.opencensus.trace" => Tracing "OpenCensus";
    Java "com.newrelic.api.agent" => Tracing "New Relic agent";
    Java "co.elastic.apm" => Tracing "Elastic APM";
    Java "com.amazonaws.xray" => Tracing "AWS X-Ray";
    Java "datadog.trace" => Tracing "Datadog";
    Java "com.instana.sdk" => Tracing "Instana";
    Java "org.apache.skywalking.apm.toolkit" => Tracing "Apache SkyWalking";
];

/// Modules loaded for their side effect (`require('newrelic')`, `import 'dd-trace/init'`):
/// loading them starts the agent.
pub static SIDE_EFFECT_AGENTS: &[(&str, &str)] = &[
    ("newrelic", "New Relic agent"),
    ("dd-trace/init", "Datadog dd-trace"),
    ("elastic-apm-node/start", "Elastic APM"),
    (
        "@opentelemetry/auto-instrumentations-node/register",
        "OpenTelemetry instrumentation",
    ),
];

/// Python modules whose import alone starts an agent (`import instana`,
/// `import ddtrace.auto`): the import statement is the evidence.
pub static PYTHON_SIDE_EFFECT_AGENTS: &[&str] = &["instana", "ddtrace.auto"];
