//! Response cache: one JSON file per answer under the user's cache directory
//! (`$XDG_CACHE_HOME/pagerproof/llm`, else `~/.cache/pagerproof/llm`), keyed by a content
//! hash of everything that shapes the answer: the prompt version, the provider and
//! endpoint, the model, the persona's instructions and tools, and the evidence. A re-run
//! with the same inputs reads the answer back and sends nothing.
//!
//! Never inside the reviewed repository: a cache directory under the root is refused. No
//! API key is ever part of a key or an entry. Writes are atomic (temporary file + rename)
//! and, on Unix, readable by the user only.

use std::path::{Path, PathBuf};

use pagerproof_core::fingerprint::Fnv64;
use serde::{Deserialize, Serialize};

use crate::tools::ToolLog;

/// What is stored per answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
    pub provider: String,
    pub model: String,
    pub text: String,
    #[serde(default)]
    pub tool_calls: Vec<ToolLog>,
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    /// Seconds since the Unix epoch.
    #[serde(default)]
    pub created: u64,
}

/// The cache directory, or why there is none.
pub fn dir(
    xdg_cache_home: Option<&str>,
    home: Option<&str>,
    root: &Path,
) -> Result<PathBuf, String> {
    let base = match (xdg_cache_home, home) {
        (Some(x), _) if Path::new(x).is_absolute() => PathBuf::from(x),
        (_, Some(h)) if Path::new(h).is_absolute() => Path::new(h).join(".cache"),
        _ => return Err(
            "no cache directory (neither XDG_CACHE_HOME nor HOME is set); answers are not cached"
                .into(),
        ),
    };
    let d = base.join("pagerproof").join("llm");
    if let (Ok(r), Some(existing)) = (root.canonicalize(), nearest_existing(&d))
        && existing.starts_with(&r)
    {
        return Err(format!(
            "the cache directory {} is inside the reviewed repository; answers are not cached",
            d.display()
        ));
    }
    Ok(d)
}

/// Canonical form of the deepest existing ancestor (the cache directory may not exist yet).
fn nearest_existing(p: &Path) -> Option<PathBuf> {
    let mut cur = Some(p);
    while let Some(c) = cur {
        if let Ok(x) = c.canonicalize() {
            let rest = p.strip_prefix(c).ok()?;
            return Some(x.join(rest));
        }
        cur = c.parent();
    }
    None
}

/// A 128-bit content hash (two FNV-1a lanes with different seeds), hex.
pub fn key(parts: &[&str]) -> String {
    let mut a = Fnv64::default();
    let mut b = Fnv64::default();
    b.write(b"pagerproof-llm-cache/lane-2");
    for p in parts {
        a.field(p);
        b.field(p);
        b.write(&(p.len() as u64).to_le_bytes());
    }
    format!("{:016x}{:016x}", a.finish(), b.finish())
}

pub fn load(dir: &Path, key: &str) -> Option<Entry> {
    let text = std::fs::read_to_string(dir.join(format!("{key}.json"))).ok()?;
    let e: Entry = serde_json::from_str(&text).ok()?;
    (e.key == key).then_some(e)
}

pub fn store(dir: &Path, e: &Entry) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    let path = dir.join(format!("{}.json", e.key));
    let tmp = dir.join(format!(".{}.{}.tmp", e.key, std::process::id()));
    let text = serde_json::to_string_pretty(e).map_err(|err| err.to_string())?;
    write_private(&tmp, text.as_bytes())
        .map_err(|err| format!("cannot write {}: {err}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|err| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {err}", path.display())
    })
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_depends_on_every_part() {
        assert_ne!(key(&["a", "bc"]), key(&["ab", "c"]));
        assert_eq!(key(&["x", "y"]), key(&["x", "y"]));
        assert_eq!(key(&["x"]).len(), 32);
    }

    #[test]
    fn refuses_a_cache_inside_the_root() {
        let repo = tempfile::tempdir().unwrap();
        let inside = repo.path().join(".cache");
        let e = dir(Some(inside.to_str().unwrap()), None, repo.path()).unwrap_err();
        assert!(e.contains("inside the reviewed repository"), "{e}");
        let other = tempfile::tempdir().unwrap();
        let d = dir(Some(other.path().to_str().unwrap()), None, repo.path()).unwrap();
        assert!(d.ends_with("pagerproof/llm"));
        assert!(dir(Some("relative"), None, repo.path()).is_err());
    }

    #[test]
    fn round_trip() {
        let d = tempfile::tempdir().unwrap();
        let e = Entry {
            key: key(&["k"]),
            provider: "anthropic".into(),
            model: "m".into(),
            text: "t".into(),
            tool_calls: Vec::new(),
            input_tokens: 1,
            output_tokens: 2,
            created: 0,
        };
        store(d.path(), &e).unwrap();
        assert_eq!(load(d.path(), &e.key), Some(e));
        assert_eq!(load(d.path(), "nope"), None);
    }
}
