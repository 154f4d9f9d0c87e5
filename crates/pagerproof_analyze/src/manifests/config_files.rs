//! Configuration files that frameworks read, as evidence for component facts and for a
//! few DEBUG findings:
//!
//! - Spring Boot `application*.yml|yaml|properties` / `bootstrap*`: `server.shutdown=graceful`
//!   (FrameworkShutdown), actuator health/prometheus exposure (Health/Metrics), tracing
//!   settings (Tracing), `logging.structured.format.*` (StructuredLogs), `server.port`
//!   (Listen); `debug=true`, `server.error.include-stacktrace=always`, actuator exposing
//!   every endpoint, or a DEBUG/TRACE root level are DEBUG findings. Profile files for
//!   development or tests (`application-dev.yml`, `-local`, `-test`) give no signals and
//!   no findings.
//! - logback / log4j2 configuration: JSON encoders and layouts (StructuredLogs), and a
//!   root logger at DEBUG/TRACE in the shipped configuration.
//! - Procfile: gunicorn/uvicorn command lines (HttpServer, FrameworkShutdown, Listen).

use pagerproof_core::{Confidence, Severity};

use crate::case;
use crate::files;
use crate::manifests::yaml::{V, Y};
use crate::manifests::{ManifestOutput, dockerfile};
use crate::rule::{Docs, Handling, Hit, RuleMeta};
use crate::signals::{Signal, SignalKind};

fn is_spring_config(lower: &str) -> bool {
    (lower.starts_with("application") || lower.starts_with("bootstrap"))
        && (lower.ends_with(".yml") || lower.ends_with(".yaml") || lower.ends_with(".properties"))
}

/// A Spring profile for development or tests.
fn dev_profile(lower: &str) -> bool {
    let stem = lower.split('.').next().unwrap_or("");
    stem.split('-').skip(1).any(|p| {
        matches!(
            p,
            "dev" | "local" | "test" | "tests" | "development" | "debug" | "it" | "e2e" | "docker"
        )
    })
}

/// Spring YAML; `false` when the file is not a Spring config.
pub fn analyze_yaml(path: &str, lower: &str, docs: &[Y], out: &mut ManifestOutput) -> bool {
    if !is_spring_config(lower) {
        return false;
    }
    let mut flat = Vec::new();
    for d in docs {
        // A multi-document file may hold profile sections: skip dev/test ones.
        let profile = d
            .path(&["spring", "config", "activate", "on-profile"])
            .or_else(|| d.path(&["spring", "profiles"]))
            .map(Y::text)
            .unwrap_or("");
        if !profile.is_empty() && dev_profile(&format!("application-{profile}")) {
            continue;
        }
        flatten(d, String::new(), &mut flat);
    }
    spring(path, lower, &flat, out);
    true
}

fn flatten(y: &Y, prefix: String, out: &mut Vec<(String, String, u32, u32)>) {
    if let V::Map(m) = &y.v {
        {
            for e in m {
                let key = if prefix.is_empty() {
                    e.key.clone()
                } else {
                    format!("{prefix}.{}", e.key)
                };
                match &e.value.v {
                    V::Map(_) => flatten(&e.value, key, out),
                    V::Seq(items) => {
                        let joined: Vec<&str> = items.iter().map(Y::text).collect();
                        out.push((key, joined.join(","), e.line, e.col));
                    }
                    _ => out.push((key, e.value.text().to_string(), e.line, e.col)),
                }
            }
        }
    }
}

/// `application.properties`.
pub fn analyze_properties(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    if !is_spring_config(lower) {
        return;
    }
    let mut flat = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        if t.starts_with('#') || t.starts_with('!') || t.is_empty() {
            continue;
        }
        let Some(sep) = t.find(['=', ':']) else {
            continue;
        };
        let col = (l.len() - t.len()) as u32 + 1;
        flat.push((
            t[..sep].trim().to_string(),
            t[sep + 1..].trim().to_string(),
            i as u32 + 1,
            col,
        ));
    }
    spring(path, lower, &flat, out);
}

fn spring(path: &str, lower: &str, flat: &[(String, String, u32, u32)], out: &mut ManifestOutput) {
    if dev_profile(lower) || files::role_of(path) != files::Role::Production {
        return;
    }
    let sig = |out: &mut ManifestOutput, kind, line, detail: &str| {
        out.signals.push(Signal {
            kind,
            line,
            detail: detail.to_string(),
        })
    };
    for (key, value, line, col) in flat {
        let k = key.to_ascii_lowercase().replace(['_'], "-");
        let v = value.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
        let line = *line;
        match k.as_str() {
            "server.shutdown" if v == "graceful" => sig(
                out,
                SignalKind::FrameworkShutdown,
                line,
                "Spring server.shutdown=graceful",
            ),
            "server.port" | "management.server.port" => {
                if let Ok(p) = v.parse::<u16>() {
                    sig(out, SignalKind::Listen, line, &p.to_string());
                }
            }
            "management.endpoints.web.exposure.include" => {
                let items: Vec<&str> = v.split(',').map(str::trim).collect();
                if items.iter().any(|i| *i == "health" || *i == "*") {
                    sig(
                        out,
                        SignalKind::Health,
                        line,
                        "Spring actuator health endpoint",
                    );
                }
                if items.iter().any(|i| *i == "prometheus" || *i == "*") {
                    sig(
                        out,
                        SignalKind::Metrics,
                        line,
                        "Spring actuator prometheus endpoint",
                    );
                }
                if items.contains(&"*") {
                    out.hits.push(Hit::at(
                        &SPRING_DEBUG,
                        line,
                        *col,
                        key.clone(),
                        "actuator exposes every endpoint over HTTP (`*`): env, configprops and heapdump leak secrets",
                    ));
                }
            }
            _ if k.starts_with("management.endpoint.health.") => sig(
                out,
                SignalKind::Health,
                line,
                "Spring actuator health endpoint",
            ),
            _ if k.starts_with("management.prometheus.")
                || k.starts_with("management.metrics.export.prometheus") =>
            {
                sig(
                    out,
                    SignalKind::Metrics,
                    line,
                    "Spring actuator prometheus metrics",
                )
            }
            _ if k.starts_with("management.tracing.")
                || k.starts_with("management.zipkin.")
                || k.starts_with("management.otlp.tracing")
                || k.starts_with("spring.sleuth.") =>
            {
                sig(
                    out,
                    SignalKind::Tracing,
                    line,
                    "Spring tracing configuration",
                )
            }
            _ if k.starts_with("logging.structured.format.") => sig(
                out,
                SignalKind::StructuredLogs,
                line,
                "Spring structured logging",
            ),
            "debug" | "trace" if v == "true" => out.hits.push(Hit::at(
                &SPRING_DEBUG,
                line,
                *col,
                key.clone(),
                format!("`{key}=true` turns on Spring's {k} mode in the shipped configuration"),
            )),
            "server.error.include-stacktrace" if v == "always" => out.hits.push(Hit::at(
                &SPRING_DEBUG,
                line,
                *col,
                key.clone(),
                "`server.error.include-stacktrace=always` sends stack traces to clients",
            )),
            "logging.level.root" if v == "debug" || v == "trace" => {
                let mut h = Hit::at(
                    &LOG_LEVEL,
                    line,
                    *col,
                    key.clone(),
                    format!(
                        "root log level {} in the shipped configuration",
                        v.to_uppercase()
                    ),
                );
                h.site(key.clone());
                out.hits.push(h);
            }
            _ => {}
        }
    }
}

/// logback / log4j2 XML.
pub fn analyze_xml(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    let is_logback = lower.starts_with("logback");
    let is_log4j = lower.starts_with("log4j2");
    if !(is_logback || is_log4j) || files::role_of(path) != files::Role::Production {
        return;
    }
    if lower.contains("test") || lower.contains("dev") || lower.contains("local") {
        return;
    }
    const JSON: &[&str] = &[
        "<JsonLayout",
        "<JsonTemplateLayout",
        "<EcsLayout",
        "<GelfLayout",
        "LogstashEncoder",
        "LoggingEventCompositeJsonEncoder",
        "logback.classic.encoder.JsonEncoder",
        "JsonEncoder",
        "EcsEncoder",
        "logback.contrib.json",
    ];
    let mut in_comment = false;
    for (i, l) in text.lines().enumerate() {
        let line = i as u32 + 1;
        let t = l.trim();
        if in_comment {
            if t.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if t.starts_with("<!--") {
            in_comment = !t.contains("-->");
            continue;
        }
        if let Some(j) = JSON.iter().find(|j| t.contains(*j)) {
            out.signals.push(Signal {
                kind: SignalKind::StructuredLogs,
                line,
                detail: format!(
                    "{} {}",
                    if is_logback { "logback" } else { "log4j2" },
                    j.trim_start_matches('<')
                ),
            });
        }
        let root = t.starts_with("<Root") || t.starts_with("<root");
        if root {
            let level = ["level=\"", "level='"]
                .iter()
                .find_map(|p| t.find(p).map(|i| &t[i + p.len()..]))
                .and_then(|r| r.split(['"', '\'']).next())
                .unwrap_or("")
                .to_ascii_uppercase();
            if level == "DEBUG" || level == "TRACE" || level == "ALL" {
                let col = (l.len() - l.trim_start().len()) as u32 + 1;
                let mut h = Hit::at(
                    &LOG_LEVEL,
                    line,
                    col,
                    "root logger",
                    format!("root logger at {level} in the shipped logging configuration"),
                );
                h.site(format!("root {level}"));
                out.hits.push(h);
            }
        }
    }
}

/// Procfile, and a Jenkinsfile routed through text files.
pub fn analyze_text(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    if lower == "jenkinsfile" {
        super::ci::analyze_jenkinsfile(text, out);
        return;
    }
    if lower != "procfile" || files::role_of(path) != files::Role::Production {
        return;
    }
    for (i, l) in text.lines().enumerate() {
        if let Some((proc_type, cmd)) = l.split_once(':')
            && proc_type.trim() == "web"
        {
            dockerfile::server_signals(cmd, i as u32 + 1, &mut out.signals);
        }
    }
}

pub static SPRING_DEBUG: RuleMeta = RuleMeta {
    id: "spring-debug-settings",
    category: "DEBUG",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["properties", "yaml"],
    summary: "Spring Boot debug settings in the shipped configuration",
    docs: Docs {
        what: "Spring Boot settings meant for debugging in `application.properties`/`application.yml` (not in \
`-dev`/`-local`/`-test` profiles): `debug=true`/`trace=true`, `server.error.include-stacktrace=always` (stack \
traces in error responses), and `management.endpoints.web.exposure.include=*` (every actuator endpoint over HTTP, \
including `env`, `configprops` and `heapdump`).",
        scenario: "The service runs with the committed configuration and someone triggers an error or browses the \
actuator endpoints.",
        impact: "Stack traces reveal internals to attackers; `heapdump` and `env` hand out credentials held in \
memory or configuration; debug mode floods the logs.",
        detection: "Error responses contain `trace`; `/actuator/env` answers from outside.",
        mitigation: "Keep these in a development profile; expose only `health` (and `prometheus` on an internal \
port) in production.",
        fixes: &[(
            "properties",
            "server.error.include-stacktrace=never\nmanagement.endpoints.web.exposure.include=health,prometheus\nmanagement.server.port=8081",
        )],
        monitoring: "Alert on requests to actuator endpoints other than health/prometheus.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/src/main/resources/application.properties",
            "server.port=8080\ndebug=true\n^ `debug=true`\nserver.error.include-stacktrace=always\n^ stack traces\n"
        ),
        case!(
            "svc/src/main/resources/application-dev.properties",
            "debug=true\nserver.error.include-stacktrace=always\n"
        ),
        case!(
            "svc/src/main/resources/application.yml",
            "management:\n  endpoints:\n    web:\n      exposure:\n        include: \"*\"\n        ^ every endpoint\n"
        ),
        case!(
            "svc/src/main/resources/application.yaml",
            "server:\n  shutdown: graceful\nmanagement:\n  endpoints:\n    web:\n      exposure:\n        include: health,prometheus\n"
        ),
    ],
};

pub static LOG_LEVEL: RuleMeta = RuleMeta {
    id: "log-config-debug-level",
    category: "DEBUG",
    severity: Severity::P3,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["xml", "properties"],
    summary: "Root logger at DEBUG/TRACE in the shipped logging configuration",
    docs: Docs {
        what: "A logging configuration that ships with the service (logback, log4j2, Spring `logging.level.root`) \
sets the root logger to DEBUG, TRACE or ALL. Development, local and test configurations are not reported.",
        scenario: "The service runs in production under load.",
        impact: "Log volume and cost explode, latency rises with synchronous appenders, and libraries log \
request bodies, headers and credentials at DEBUG/TRACE.",
        detection: "Log ingestion volume far above peers; secrets found in logs.",
        mitigation: "Ship INFO (or WARN) as the root level and raise levels per logger at run time when \
debugging.",
        fixes: &[
            (
                "xml",
                "<Root level=\"INFO\">\n  <AppenderRef ref=\"STDOUT\"/>\n</Root>",
            ),
            ("properties", "logging.level.root=INFO"),
        ],
        monitoring: "Alert on log volume per service above its baseline.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/src/main/resources/log4j2.xml",
            "<Configuration>\n  <Loggers>\n    <Root level=\"TRACE\">\n    ^ root logger at TRACE\n      <AppenderRef ref=\"STDOUT\"/>\n    </Root>\n  </Loggers>\n</Configuration>\n"
        ),
        case!(
            "svc/src/main/resources/logback.xml",
            "<configuration>\n  <!--\n  <root level=\"DEBUG\"/>\n  -->\n  <root level=\"INFO\"/>\n</configuration>\n"
        ),
        case!(
            "svc/src/main/resources/application.properties",
            "logging.level.root=DEBUG\n^ root log level DEBUG\n"
        ),
        case!(
            "svc/src/main/resources/application.properties",
            "logging.level.root=INFO\nlogging.level.com.acme=DEBUG\n"
        ),
    ],
};

pub fn rules() -> Vec<&'static RuleMeta> {
    vec![&SPRING_DEBUG, &LOG_LEVEL]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifests::yaml;

    #[test]
    fn spring_signals() {
        let docs = yaml::load("server:\n  port: 8081\n  shutdown: graceful\nmanagement:\n  endpoint:\n    health:\n      probes:\n        enabled: true\n").unwrap();
        let mut out = ManifestOutput::default();
        assert!(analyze_yaml(
            "src/main/resources/application.yml",
            "application.yml",
            &docs,
            &mut out
        ));
        let kinds: Vec<_> = out.signals.iter().map(|s| (s.kind, s.line)).collect();
        assert!(kinds.contains(&(SignalKind::FrameworkShutdown, 3)));
        assert!(kinds.contains(&(SignalKind::Listen, 2)));
        assert!(kinds.contains(&(SignalKind::Health, 8)));
    }

    #[test]
    fn log4j_json_layout() {
        let mut out = ManifestOutput::default();
        analyze_xml(
            "src/main/resources/log4j2.xml",
            "log4j2.xml",
            "<Configuration>\n  <Console>\n    <JsonLayout compact=\"true\"/>\n  </Console>\n</Configuration>\n",
            &mut out,
        );
        assert_eq!(out.signals[0].kind, SignalKind::StructuredLogs);
        assert_eq!(out.signals[0].line, 3);
    }
}
