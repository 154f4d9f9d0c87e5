//! The little git pagerproof needs, through the `git` command: which lines changed since a
//! revision (`--diff`), and where the review root sits in its repository (SARIF paths).
//!
//! The reviewed repository is untrusted, so git runs read-only and executes nothing of
//! the repository's: no hooks (diff, rev-parse, merge-base and ls-files run none), no
//! external diff or textconv driver (`--no-ext-diff --no-textconv`), no fsmonitor
//! (`core.fsmonitor=false`), no pager, no prompt, and no optional index refresh written
//! back (`GIT_OPTIONAL_LOCKS=0`).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use pagerproof_core::diff::Changes;

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "protocol.ext.allow=never",
            "-c",
            "core.quotepath=true",
            "-c",
            "color.ui=never",
        ])
        .args(args)
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_EXTERNAL_DIFF")
        .output()
        .context("cannot run git (is it installed?)")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Lines changed since `rev`: the diff of the working tree against the merge base of `rev`
/// and `HEAD` (so changes made on `rev`'s side after the branch point do not count), plus
/// untracked files as wholly new. Returns the changes and the base commit.
pub fn changes_since(root: &Path, rev: &str) -> Result<(Changes, String)> {
    if rev.starts_with('-') {
        bail!("--diff {rev}: a revision cannot start with '-'");
    }
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .with_context(|| {
        format!(
            "--diff {rev}: not a commit of the git repository at {}",
            root.display()
        )
    })?
    .trim()
    .to_string();
    let base = match git(root, &["merge-base", &commit, "HEAD"]) {
        Ok(b) if !b.trim().is_empty() => b.trim().to_string(),
        // No common history (or a shallow clone): compare with the revision itself.
        _ => commit.clone(),
    };
    let text = git(
        root,
        &[
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--relative",
            "--find-renames",
            &base,
            "--",
        ],
    )?;
    let mut changes = Changes::parse_unified0(&text);
    let untracked = git(root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    for p in untracked.split('\0').filter(|p| !p.is_empty()) {
        changes.add_whole(p);
    }
    Ok((changes, base))
}

/// The review root's path inside its git repository (`services/api/`), or empty when the
/// root is the repository's top level or not in a repository at all. Found by looking for
/// `.git` in the root's ancestors: no git process runs for a plain review.
pub fn prefix(root: &Path) -> String {
    let Ok(root) = std::fs::canonicalize(root) else {
        return String::new();
    };
    let Some(top) = root.ancestors().find(|a| a.join(".git").exists()) else {
        return String::new();
    };
    let Ok(rel) = root.strip_prefix(top) else {
        return String::new();
    };
    let mut out = String::new();
    for part in rel.components() {
        out.push_str(&part.as_os_str().to_string_lossy());
        out.push('/');
    }
    out
}
