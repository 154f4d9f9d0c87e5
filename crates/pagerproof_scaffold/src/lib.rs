//! What a staff engineer writes after a production-readiness review: runbooks, Prometheus
//! alerting rules, SLOs (OpenSLO), a Grafana dashboard, and ADR, RFC, postmortem and
//! technology-evaluation documents, each prefilled from the review of one repository.
//!
//! A scaffold is only as good as its facts, so every line that states something about the
//! repository cites where it was seen (`path:line`), and every gap is a `TODO` naming the
//! finding that raised it (rule id and site) or saying what could not be found and why.
//! Nothing is invented: a metric name the code does not define is marked as assumed, with
//! the convention it follows.
//!
//! The input is a [`Report`] (with its `inventory`, see `pagerproof_core::inventory`) and
//! a few facts the caller knows ([`Input`]); the output is text. This crate reads no files
//! and prints nothing: the binary decides where the text goes.

mod alerts;
mod context;
mod dashboard;
mod docs;
mod md;
mod runbook;
mod sli;
mod slo;

use pagerproof_core::Report;

pub use context::{Service, is_service};

/// The documents `pagerproof scaffold` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Runbook,
    Alerts,
    Slo,
    Dashboard,
    Adr,
    Rfc,
    Postmortem,
    TechEval,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Runbook,
        Kind::Alerts,
        Kind::Slo,
        Kind::Dashboard,
        Kind::Adr,
        Kind::Rfc,
        Kind::Postmortem,
        Kind::TechEval,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Runbook => "runbook",
            Kind::Alerts => "alerts",
            Kind::Slo => "slo",
            Kind::Dashboard => "dashboard",
            Kind::Adr => "adr",
            Kind::Rfc => "rfc",
            Kind::Postmortem => "postmortem",
            Kind::TechEval => "tech-eval",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s.trim())
    }

    /// A file name for the document (`runbook.md`, `alerts.yaml`, ...).
    pub fn file_name(self) -> String {
        let ext = match self {
            Kind::Alerts | Kind::Slo => "yaml",
            Kind::Dashboard => "json",
            _ => "md",
        };
        format!("{}.{ext}", self.name())
    }
}

/// What a scaffold is written from: the review, and what only the caller knows.
pub struct Input<'a> {
    pub report: &'a Report,
    /// The repository's name, for titles (the reviewed folder's name).
    pub repository: String,
    /// Only this component (its name or path); `None` for all.
    pub component: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    #[error("no component `{name}`; components: {}", known.join(", "))]
    UnknownComponent { name: String, known: Vec<String> },
    #[error("{kind}: {reason}")]
    NothingToWrite { kind: &'static str, reason: String },
}

/// Writes one scaffold.
pub fn render(kind: Kind, input: &Input<'_>) -> Result<String, Error> {
    let ctx = context::Ctx::new(input)?;
    match kind {
        Kind::Runbook => runbook::render(&ctx),
        Kind::Alerts => alerts::render(&ctx),
        Kind::Slo => slo::render(&ctx),
        Kind::Dashboard => dashboard::render(&ctx),
        Kind::Adr => Ok(docs::adr(&ctx)),
        Kind::Rfc => Ok(docs::rfc(&ctx)),
        Kind::Postmortem => Ok(docs::postmortem(&ctx)),
        Kind::TechEval => Ok(docs::tech_eval(&ctx)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.name()), Some(k));
        }
        assert_eq!(Kind::TechEval.file_name(), "tech-eval.md");
        assert_eq!(Kind::parse("nope"), None);
    }
}

#[cfg(test)]
mod render_tests {
    use super::*;

    /// A review with one library and no inventory (an old JSON report, or a repository
    /// with nothing that runs).
    fn report() -> Report {
        let v = serde_json::json!({
            "schema_version": "1",
            "tool": {"name": "pagerproof", "version": "0"},
            "root": "x",
            "verdict": "Production-ready",
            "score": 10.0,
            "components": [{
                "name": "lib", "path": "lib", "kind": "library", "languages": ["python"],
                "score": 10.0, "facts": {}
            }],
            "findings": [],
            "skipped": [],
            "stats": {"files": 1, "bytes": 1, "elapsed_ms": 0}
        });
        match serde_json::from_value(v) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn nothing_to_write_is_an_error_not_an_empty_document() {
        let r = report();
        let input = Input {
            report: &r,
            repository: "x".into(),
            component: None,
        };
        for k in [Kind::Runbook, Kind::Alerts, Kind::Slo, Kind::Dashboard] {
            assert!(
                matches!(render(k, &input), Err(Error::NothingToWrite { .. })),
                "{k:?}"
            );
        }
        // Documents still render, with a TODO instead of an invented topic.
        let adr = render(Kind::Adr, &input).unwrap_or_default();
        assert!(adr.contains("The review found no gap that motivates an ADR"));
    }

    #[test]
    fn unknown_components_list_the_known_ones() {
        let r = report();
        let input = Input {
            report: &r,
            repository: "x".into(),
            component: Some("nope".into()),
        };
        assert_eq!(
            render(Kind::Runbook, &input),
            Err(Error::UnknownComponent {
                name: "nope".into(),
                known: vec!["lib".into()]
            })
        );
    }
}
