//! Checks over facts and across files: a missing component fact becomes a finding, and
//! manifests are cross-checked against the code of the component they deploy.

use std::collections::BTreeMap;

use pagerproof_core::config::Settings;
use pagerproof_core::{Component, Confidence, Fact, NotAnalyzed};

use crate::aggregate::Inputs;
use crate::components::ComponentInfo;
use crate::review::{Pending, finish_hit};
use crate::rule::Hit;
use crate::rules::component;

/// Findings for every fact that is `false`: one per category, `line` null, `path` the
/// component's root.
pub fn missing_fact_findings(
    c: &ComponentInfo,
    facts: &BTreeMap<String, Fact>,
    settings: &Settings,
) -> Vec<Pending> {
    let mut out = Vec::new();
    for (cat, fact) in facts {
        if fact.present != Some(false) {
            continue;
        }
        let Some(meta) = component::rule_for(cat) else {
            continue;
        };
        if !crate::review::enabled(settings, meta) {
            continue;
        }
        let reason = fact.reason.clone().unwrap_or_default();
        let mut h = Hit::at(
            meta,
            0,
            0,
            c.name.clone(),
            format!("{} ({}): {}", c.name, c.path, reason),
        );
        h.confidence = Some(Confidence::Medium);
        h.site_text = format!("{cat}:{}", c.path);
        let lang = c.languages.first().map(String::as_str).unwrap_or("");
        if let Some(mut p) = finish_hit(
            h,
            &c.path,
            crate::files::Role::Production,
            lang,
            &[],
            settings,
        ) {
            p.finding.path = c.path.clone();
            out.push(p);
        }
    }
    out
}

/// What cross-file checks produce.
#[derive(Default)]
pub struct Cross {
    pub findings: Vec<Pending>,
    pub not_analyzed: Vec<NotAnalyzed>,
}

/// Checks that need several files: manifests against code, images against components
/// (see `manifests::cross`). Also links each workload to the component that builds its
/// image, in `Component.deployments`.
pub fn cross_checks(inputs: &Inputs<'_>, components: &mut [Component]) -> Cross {
    // Untrusted content (templates, manifests) flows through here: a bug must not abort
    // the review.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::manifests::cross::run(inputs, components)
    }));
    match run {
        Ok(out) => Cross {
            findings: out.findings,
            not_analyzed: out.not_analyzed,
        },
        Err(p) => Cross {
            findings: Vec::new(),
            not_analyzed: vec![NotAnalyzed {
                path: ".".to_string(),
                what: format!(
                    "cross-file checks (manifests against code) stopped on an internal error: {}",
                    crate::engine::panic_message(&p)
                ),
            }],
        },
    }
}
