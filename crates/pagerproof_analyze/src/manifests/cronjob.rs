//! Kubernetes CronJobs in YAML (plain manifests and Helm templates), read as text so
//! templates work too; the check itself is `rules/jobs/cronjob.rs`.

use crate::files::Role;
use crate::manifests::ManifestOutput;

pub fn analyze(path: &str, role: Role, text: &str) -> ManifestOutput {
    let _ = (path, role);
    let mut out = ManifestOutput::default();
    if text.contains("CronJob") {
        out.hits = crate::rules::jobs::cronjob::check(text);
    }
    out
}
