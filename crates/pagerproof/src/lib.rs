//! What the command shares with the repository's tooling (`cargo xtask examples`): the
//! bridge from the rule registry to the renderers' rule documentation.

use pagerproof_core::Fix;
use pagerproof_report::RuleInfo;

/// Every rule's documentation, for renderers (SARIF `rules[]`, risk titles). The report
/// crate does not depend on the analysis crate, so the binary hands this in.
pub fn rule_infos() -> Vec<RuleInfo> {
    pagerproof_analyze::registry::all_rules()
        .iter()
        .map(|m| RuleInfo {
            id: m.id.to_string(),
            category: m.category.to_string(),
            severity: Some(m.severity),
            confidence: Some(m.confidence),
            summary: m.summary.to_string(),
            what: m.docs.what.to_string(),
            scenario: m.docs.scenario.to_string(),
            impact: m.docs.impact.to_string(),
            detection: m.docs.detection.to_string(),
            mitigation: m.docs.mitigation.to_string(),
            monitoring: m.docs.monitoring.to_string(),
            fixes: m
                .docs
                .fixes
                .iter()
                .map(|(l, c)| Fix {
                    language: l.to_string(),
                    code: c.trim_matches('\n').to_string(),
                })
                .collect(),
            languages: m.languages.iter().map(|s| s.to_string()).collect(),
            preview: m.preview,
        })
        .collect()
}
