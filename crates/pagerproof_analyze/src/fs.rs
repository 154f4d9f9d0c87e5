//! All access to the reviewed repository goes through [`Source`]: listing and reading,
//! never writing or executing. Tests use [`MemSource`], the command line [`FsSource`]; the
//! seam is what makes "a review leaves the tree byte-identical" checkable.
//!
//! Listing honours `.gitignore`/`.ignore` files inside the root (never those of an
//! enclosing repository or the user's global excludes, so a review depends only on the
//! tree), prunes vendored and tool folders, and never follows symbolic links.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pagerproof_core::Skipped;

/// A file found by the listing: its path relative to the root (`/` separators) and size.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub path: String,
    pub size: u64,
}

/// The files of a repository, and the skips made while listing them.
#[derive(Debug, Default)]
pub struct Listing {
    pub entries: Vec<Entry>,
    pub skipped: Vec<Skipped>,
}

/// A read-only view of a repository.
pub trait Source: Sync {
    /// Every file under the root that the review may look at, sorted by path.
    fn list(&self) -> Listing;
    /// Reads at most `limit` bytes of a file.
    fn read(&self, path: &str, limit: u64) -> std::io::Result<Vec<u8>>;
    /// How the root is shown in reports.
    fn root_display(&self) -> String;
}

/// Folders pruned from every review, and the reason recorded for them.
pub fn pruned_dir_reason(name: &str) -> Option<&'static str> {
    Some(match name {
        ".git" | ".hg" | ".svn" => return None, // version control: not part of the tree, not worth a line
        "node_modules" | "bower_components" | "jspm_packages" => {
            "vendored dependencies (node_modules)"
        }
        "vendor" | "third_party" | "third-party" | "thirdparty" | "external" => {
            "vendored third-party code"
        }
        ".venv" | "venv" | "site-packages" | ".tox" | ".nox" | ".eggs" => {
            "Python virtual environment"
        }
        "__pycache__" | ".mypy_cache" | ".pytest_cache" | ".ruff_cache" => "tool cache",
        ".terraform" | ".gradle" | ".idea" | ".vscode" | ".next" | ".nuxt" | ".svelte-kit" => {
            "tool or build cache"
        }
        _ => return None,
    })
}

fn is_vcs_dir(name: &str) -> bool {
    matches!(name, ".git" | ".hg" | ".svn")
}

/// The real file system, rooted at a folder.
pub struct FsSource {
    root: PathBuf,
}

impl FsSource {
    pub fn new(root: impl Into<PathBuf>) -> FsSource {
        FsSource { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn rel(&self, p: &Path) -> Option<String> {
        rel_path(&self.root, p)
    }
}

impl Source for FsSource {
    fn list(&self) -> Listing {
        let entries = Mutex::new(Vec::new());
        let skipped = std::sync::Arc::new(Mutex::new(Vec::new()));
        let pruned = std::sync::Arc::clone(&skipped);
        let root = self.root.clone();
        // The `ignore` crate reads ignore files itself: whole, through links, compiling
        // every pattern. Refuse those that would hang or exhaust memory; at the root by
        // turning ignore files off, below it by not descending (said in `skipped`).
        let root_canon = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let root_ignore_problem = unsafe_ignore_file(&root_canon, &self.root);
        let honour_ignore_files = root_ignore_problem.is_none();
        if let Some((name, why)) = root_ignore_problem {
            lock(&skipped).push(Skipped {
                path: name.to_string(),
                reason: format!("{why}: ignore files are not honoured in this review"),
            });
        }
        let walker = ignore::WalkBuilder::new(&self.root)
            .hidden(false)
            .parents(false)
            .git_global(false)
            .git_ignore(honour_ignore_files)
            // A clone-local file, never committed; and `ignore` would follow a `.git`
            // file's `gitdir:` outside the root to read it.
            .git_exclude(false)
            .ignore(honour_ignore_files)
            .require_git(false)
            .follow_links(false)
            .filter_entry(move |e| {
                let name = e.file_name().to_string_lossy();
                if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) {
                    return true;
                }
                if is_vcs_dir(&name) {
                    return false;
                }
                if honour_ignore_files
                    && let Some((file, why)) = unsafe_ignore_file(&root_canon, e.path())
                {
                    if let Some(rel) = rel_path(&root, e.path()) {
                        lock(&pruned).push(Skipped {
                            path: rel,
                            reason: format!("folder not reviewed: its {file} is {why}"),
                        });
                    }
                    return false;
                }
                let Some(reason) = pruned_dir_reason(&name) else {
                    return true;
                };
                if let Some(rel) = rel_path(&root, e.path()) {
                    lock(&pruned).push(Skipped {
                        path: rel,
                        reason: reason.to_string(),
                    });
                }
                false
            })
            .build_parallel();
        walker.run(|| {
            Box::new(|res| {
                match res {
                    Ok(e) => {
                        let ft = e.file_type();
                        let Some(rel) = self.rel(e.path()) else {
                            return ignore::WalkState::Continue;
                        };
                        if rel.is_empty() {
                            return ignore::WalkState::Continue;
                        }
                        let utf8 = e
                            .path()
                            .strip_prefix(&self.root)
                            .is_ok_and(|r| r.to_str().is_some());
                        if !utf8 {
                            // Shown lossily, it could not be read back under that name.
                            lock(&skipped).push(Skipped {
                                path: rel,
                                reason: "file name is not valid UTF-8".into(),
                            });
                        } else if ft.is_some_and(|t| t.is_symlink()) {
                            lock(&skipped).push(Skipped {
                                path: rel,
                                reason: "symbolic link (not followed)".into(),
                            });
                        } else if ft.is_some_and(|t| t.is_file()) {
                            let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                            lock(&entries).push(Entry { path: rel, size });
                        }
                    }
                    Err(err) => {
                        let path = err_path(&err)
                            .and_then(|p| self.rel(&p))
                            .unwrap_or_else(|| ".".to_string());
                        lock(&skipped).push(Skipped {
                            path,
                            reason: format!("cannot list: {}", short_err(&err)),
                        });
                    }
                }
                ignore::WalkState::Continue
            })
        });
        let mut entries = entries.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut skipped = std::mem::take(&mut *lock(&skipped));
        entries.sort();
        skipped.sort();
        skipped.dedup();
        Listing { entries, skipped }
    }

    fn read(&self, path: &str, limit: u64) -> std::io::Result<Vec<u8>> {
        let full = self.root.join(path);
        // Never follow a link, even one created after the listing.
        let meta = std::fs::symlink_metadata(&full)?;
        if meta.file_type().is_symlink() {
            return Err(std::io::Error::other("symbolic link (not followed)"));
        }
        // A named pipe or device put where a file was listed would block the read forever.
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        let f = std::fs::File::open(&full)?;
        // The size is only a hint (a sparse file, a file growing under us): cap what is
        // reserved up front and let `take` bound what is read.
        let mut buf = Vec::with_capacity(meta.len().min(limit).min(READ_RESERVE) as usize);
        f.take(limit).read_to_end(&mut buf)?;
        Ok(buf)
    }

    fn root_display(&self) -> String {
        self.root.to_string_lossy().into_owned()
    }
}

/// Largest ignore file honoured: patterns compile to about 280 times their size in memory
/// (a 2 MB `.gitignore` of 60,000 patterns took 560 MB).
pub const MAX_IGNORE_FILE: u64 = 256 * 1024;

/// The ignore file in `dir` that must not be handed to the `ignore` crate, and why: a
/// link leaving the repository (to `/dev/zero`, which it would read until memory runs
/// out), a named pipe (which blocks forever), or one too large. Links inside the
/// repository to a small regular file are fine.
fn unsafe_ignore_file(root_canon: &Path, dir: &Path) -> Option<(&'static str, String)> {
    for name in [".gitignore", ".ignore"] {
        let p = dir.join(name);
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        let target = if meta.file_type().is_symlink() {
            std::fs::canonicalize(&p)
                .ok()
                .filter(|t| t.starts_with(root_canon))
                .and_then(|t| std::fs::metadata(t).ok())
        } else {
            Some(meta)
        };
        match target {
            Some(m) if m.is_file() && m.len() <= MAX_IGNORE_FILE => {}
            Some(m) if m.is_file() => {
                return Some((name, format!("larger than {} KB", MAX_IGNORE_FILE / 1024)));
            }
            _ => {
                return Some((name, "not a regular file inside the repository".to_string()));
            }
        }
    }
    None
}

/// Most bytes reserved before reading a file (it grows past this if the file does).
const READ_RESERVE: u64 = 16 * 1024 * 1024;

/// `p` relative to `root`, with `/` separators.
fn rel_path(root: &Path, p: &Path) -> Option<String> {
    let r = p.strip_prefix(root).ok()?;
    let mut out = String::new();
    for (i, c) in r.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    Some(out)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => err_path(err),
        ignore::Error::WithLineNumber { err, .. } => err_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn short_err(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } => short_err(err),
        ignore::Error::WithDepth { err, .. } => short_err(err),
        ignore::Error::Io(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// An in-memory repository, for tests and fixtures.
#[derive(Default)]
pub struct MemSource {
    files: Vec<(String, Vec<u8>)>,
}

impl MemSource {
    pub fn new<P: Into<String>, B: Into<Vec<u8>>>(
        files: impl IntoIterator<Item = (P, B)>,
    ) -> MemSource {
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(p, b)| (p.into(), b.into()))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        MemSource { files }
    }
}

impl Source for MemSource {
    fn list(&self) -> Listing {
        let mut listing = Listing::default();
        let mut pruned = std::collections::BTreeSet::new();
        'files: for (p, b) in &self.files {
            let parts: Vec<&str> = p.split('/').collect();
            for (i, seg) in parts[..parts.len().saturating_sub(1)].iter().enumerate() {
                if is_vcs_dir(seg) {
                    continue 'files;
                }
                if let Some(reason) = pruned_dir_reason(seg) {
                    pruned.insert((parts[..=i].join("/"), reason));
                    continue 'files;
                }
            }
            listing.entries.push(Entry {
                path: p.clone(),
                size: b.len() as u64,
            });
        }
        listing.skipped = pruned
            .into_iter()
            .map(|(path, reason)| Skipped {
                path,
                reason: reason.to_string(),
            })
            .collect();
        listing
    }

    fn read(&self, path: &str, limit: u64) -> std::io::Result<Vec<u8>> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b[..b.len().min(limit as usize)].to_vec())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }

    fn root_display(&self) -> String {
        ".".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fs_listing_honours_gitignore_and_prunes_vendor() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        std::fs::write(root.join(".gitignore"), "build/\n*.log\n").unwrap();
        std::fs::write(root.join("src/app.py"), "print(1)\n").unwrap();
        std::fs::write(root.join("debug.log"), "x").unwrap();
        std::fs::create_dir_all(root.join("build")).unwrap();
        std::fs::write(root.join("build/out.js"), "x").unwrap();
        std::fs::write(root.join("node_modules/x/index.js"), "x").unwrap();
        std::fs::write(root.join(".github/workflows/ci.yml"), "on: push\n").unwrap();
        let l = FsSource::new(root).list();
        let paths: Vec<_> = l.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![".github/workflows/ci.yml", ".gitignore", "src/app.py"]
        );
        assert!(
            l.skipped
                .iter()
                .any(|s| s.path == "node_modules" && s.reason.contains("vendored"))
        );
    }

    #[test]
    fn reads_only_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::write(root.join("f.py"), "x = 1\n").unwrap();
        std::os::unix::fs::symlink("f.py", root.join("l.py")).unwrap();
        let src = FsSource::new(root);
        assert_eq!(src.read("f.py", 3).unwrap(), b"x =");
        let err = |p: &str| src.read(p, 10).unwrap_err().to_string();
        assert_eq!(err("l.py"), "symbolic link (not followed)");
        assert_eq!(err("d"), "not a regular file");
        let l = src.list();
        assert!(
            l.skipped
                .iter()
                .any(|s| s.path == "l.py" && s.reason.contains("symbolic link"))
        );
    }

    #[test]
    fn mem_source_prunes_like_fs() {
        let m = MemSource::new([
            ("a/vendor/x.go", "package x"),
            ("a/main.go", "package main"),
        ]);
        let l = m.list();
        assert_eq!(l.entries.len(), 1);
        assert_eq!(l.skipped[0].path, "a/vendor");
    }
}
