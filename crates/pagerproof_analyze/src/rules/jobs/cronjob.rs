//! `cronjob-allows-concurrent-runs`: a Kubernetes CronJob without `concurrencyPolicy:
//! Forbid` or `Replace`, so a slow run overlaps the next one. The check reads the YAML as
//! text, document by document (so it also works on Helm templates): `manifests/cronjob.rs`
//! calls it.

use pagerproof_core::{Confidence, Severity};

use crate::case;
use crate::rule::{Docs, Handling, Hit, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "cronjob-allows-concurrent-runs",
    category: "JOBS",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Kubernetes CronJob that lets runs overlap (concurrencyPolicy Allow)",
    docs: Docs {
        what: "A Kubernetes `CronJob` whose `spec.concurrencyPolicy` is absent (the default is `Allow`) or set to \
`Allow`. Read from Kubernetes YAML and Helm templates, document by document.",
        scenario: "One run takes longer than the schedule interval (a bigger backlog, a slow dependency, a lock \
wait), or the controller catches up on missed schedules after an outage.",
        impact: "A second run starts while the first is still going: both process the same rows, send the same \
emails, or contend for the same locks, and each slows the other down so the overlap compounds.",
        detection: "Several pods of the same CronJob running at once (`kubectl get pods -l job-name`); duplicate \
side effects with overlapping timestamps.",
        mitigation: "Set `concurrencyPolicy: Forbid` (skip a run while one is active) or `Replace`, bound each run \
with `activeDeadlineSeconds`, and set `startingDeadlineSeconds` so missed runs are not all started at once.",
        fixes: &[(
            "yaml",
            "spec:\n  schedule: \"*/15 * * * *\"\n  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 300\n  jobTemplate:\n    spec:\n      activeDeadlineSeconds: 840",
        )],
        monitoring: "Alert when more than one job of a CronJob is active, and on runs exceeding their interval.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "deploy/k8s/cron.yaml",
            r#"apiVersion: batch/v1
kind: CronJob
^ no `concurrencyPolicy`
metadata:
  name: nightly-report
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: acme/report:1.2.3
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: sync
spec:
  schedule: "*/5 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate: {}
---
apiVersion: batch/v1
kind: CronJob
^ `concurrencyPolicy: Allow`
metadata:
  name: cleanup
spec:
  concurrencyPolicy: Allow
  schedule: "0 * * * *"
"#
        ),
        case!(
            "deploy/k8s/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n"
        ),
    ],
};

/// Findings for every CronJob document of a YAML file.
pub fn check(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut doc_start = 0usize;
    let lines: Vec<&str> = text.lines().collect();
    let mut docs: Vec<(usize, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.trim_end() == "---" || l.starts_with("--- ") {
            docs.push((doc_start, i));
            doc_start = i + 1;
        }
    }
    docs.push((doc_start, lines.len()));
    for (a, b) in docs {
        let doc = &lines[a..b];
        let Some(kind_line) = doc.iter().position(|l| {
            let t = l.trim();
            t == "kind: CronJob" || t == "kind: \"CronJob\"" || t == "kind: 'CronJob'"
        }) else {
            continue;
        };
        let policy = doc.iter().find_map(|l| {
            let t = l.trim();
            t.strip_prefix("concurrencyPolicy:")
                .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        });
        let line = (a + kind_line + 1) as u32;
        let col = (doc[kind_line].len() - doc[kind_line].trim_start().len() + 1) as u32;
        let name = doc
            .iter()
            .skip_while(|l| !l.trim_start().starts_with("metadata:"))
            .find_map(|l| l.trim().strip_prefix("name:").map(|v| v.trim().to_string()))
            .unwrap_or_else(|| "CronJob".to_string());
        let label = if name.contains("{{") {
            "CronJob (templated name)".to_string()
        } else {
            format!("CronJob `{name}`")
        };
        let msg = match policy.as_deref() {
            None => format!(
                "{label} has no `concurrencyPolicy` (the default is `Allow`): a run that outlasts its interval overlaps the next one"
            ),
            Some("Allow") => format!(
                "{label} sets `concurrencyPolicy: Allow`: a run that outlasts its interval overlaps the next one"
            ),
            Some(_) => continue,
        };
        let mut h = Hit::at(&META, line, col, name.clone(), msg);
        h.site_text = format!("CronJob:{name}");
        out.push(h);
    }
    out
}
