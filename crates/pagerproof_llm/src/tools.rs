//! Read-only tools a persona may offer the model: read a file, search the tree, `git log`.
//!
//! Every call is checked against the persona's `tools`/`permission` (`allow`, `ask`,
//! `deny`; `ask` is refused unless the caller supplied an interactive approver), stays
//! inside the reviewed root (relative paths only, no `..`, no `.git/`, symlinks resolved
//! and refused when they lead outside), is bounded in size, is redacted, and is logged.
//! Nothing from the repository is executed: `git log` runs with argv we build, the
//! repository's own config neutralised (`-c core.fsmonitor=false -c core.hooksPath=/dev/null
//! -c core.pager=cat -c log.showSignature=false -c diff.external=`, `--no-pager`,
//! `--no-ext-diff --no-textconv`), no system config, no prompts, no optional locks.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::persona::{Action, Persona};
use crate::provider::{ToolCall, ToolSpec};
use crate::redact::Redactor;

/// Limits.
pub const MAX_CALLS: usize = 16;
pub const READ_MAX_LINES: usize = 300;
pub const READ_MAX_BYTES: usize = 48 * 1024;
pub const LINE_MAX_CHARS: usize = 400;
pub const SEARCH_MAX_MATCHES: usize = 60;
pub const SEARCH_MAX_FILES: usize = 5000;
pub const SEARCH_MAX_FILE_BYTES: u64 = 1024 * 1024;
pub const GIT_MAX_COMMITS: u64 = 30;
pub const GIT_MAX_BYTES: usize = 16 * 1024;
pub const GIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Total bytes of tool output sent over a whole review.
pub const TOTAL_MAX_BYTES: usize = 200 * 1024;

/// Folders never searched.
const SKIP_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "vendor",
    "target",
    "dist",
    "build",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".mypy_cache",
];

/// One logged tool call (in the report's `narrative.tool_calls`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolLog {
    pub tool: String,
    /// The call's arguments, in one line.
    pub input: String,
    /// `ok`, `refused` or `error`.
    pub outcome: String,
    /// Why it was refused or failed, or what was returned (`lines 1-80 of 120`).
    pub detail: String,
    /// Bytes returned to the model.
    pub bytes: usize,
}

/// Which permission key and default action each tool has.
struct Kind {
    name: &'static str,
    /// Key in `tools:` and `permission:` (agent-file names).
    key: &'static str,
    default: Action,
}

const KINDS: &[Kind] = &[
    Kind {
        name: "read_file",
        key: "read",
        default: Action::Allow,
    },
    Kind {
        name: "search",
        key: "grep",
        default: Action::Allow,
    },
    Kind {
        name: "git_log",
        key: "bash",
        default: Action::Ask,
    },
];

/// The tools offered for a persona (none unless it has `tools` or `permission`).
pub fn offered(p: &Persona) -> Vec<ToolSpec> {
    if !p.wants_tools() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for k in KINDS {
        if p.tools.get(k.key) == Some(&false) {
            continue;
        }
        let all_deny = p.permission.rules.iter().any(|(key, pats)| {
            key == k.key && !pats.is_empty() && pats.iter().all(|(_, a)| *a == Action::Deny)
        });
        if all_deny {
            continue;
        }
        out.push(spec(k.name));
    }
    out
}

fn spec(name: &str) -> ToolSpec {
    match name {
        "read_file" => ToolSpec {
            name: "read_file",
            description: "Read lines of a file of the reviewed repository (path relative to its root). At most 300 lines per call.",
            schema: json!({"type": "object", "properties": {
                "path": {"type": "string", "description": "Relative path, e.g. src/server.go"},
                "start_line": {"type": "integer", "description": "First line (1-based), default 1"},
                "end_line": {"type": "integer", "description": "Last line, default start_line+199"}
            }, "required": ["path"]}),
        },
        "search" => ToolSpec {
            name: "search",
            description: "Search the repository's text files for a regular expression (case-insensitive). Returns up to 60 matching lines as path:line: text.",
            schema: json!({"type": "object", "properties": {
                "pattern": {"type": "string", "description": "Regular expression (Rust syntax)"},
                "path": {"type": "string", "description": "Folder or file to search under, relative; default the whole repository"}
            }, "required": ["pattern"]}),
        },
        _ => ToolSpec {
            name: "git_log",
            description: "Recent commits (hash, date, author, subject) touching a path of the repository. At most 30.",
            schema: json!({"type": "object", "properties": {
                "path": {"type": "string", "description": "Relative path; default the whole repository"},
                "max_count": {"type": "integer", "description": "Number of commits, 1-30, default 15"}
            }}),
        },
    }
}

/// Executes tool calls for one review.
pub struct RepoTools<'a> {
    root: PathBuf,
    persona: &'a Persona,
    ask: Option<&'a dyn Fn(&str) -> bool>,
    redactor: &'a Redactor,
    pub log: Vec<ToolLog>,
    sent: usize,
}

impl<'a> RepoTools<'a> {
    /// `root` must exist; it is canonicalised here.
    pub fn new(
        root: &Path,
        persona: &'a Persona,
        ask: Option<&'a dyn Fn(&str) -> bool>,
        redactor: &'a Redactor,
    ) -> RepoTools<'a> {
        RepoTools {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            persona,
            ask,
            redactor,
            log: Vec::new(),
            sent: 0,
        }
    }

    /// Runs one call. Returns the text for the model and whether it is an error.
    pub fn call(&mut self, c: &ToolCall) -> (String, bool) {
        let input = one_line(&c.input);
        let kind = KINDS.iter().find(|k| k.name == c.name);
        let result = match kind {
            None => Err(Outcome::Error(format!("unknown tool `{}`", c.name))),
            Some(_) if self.log.len() >= MAX_CALLS => Err(Outcome::Refused(format!(
                "tool-call budget ({MAX_CALLS}) exhausted; write the review with the evidence you have"
            ))),
            Some(_) if self.sent >= TOTAL_MAX_BYTES => Err(Outcome::Refused(
                "tool output budget exhausted; write the review with the evidence you have".into(),
            )),
            Some(k) => self.run(k, &c.input),
        };
        let (text, outcome, detail, err) = match result {
            Ok((text, detail)) => (text, "ok", detail, false),
            Err(Outcome::Refused(why)) => (format!("refused: {why}"), "refused", why, true),
            Err(Outcome::Error(why)) => (format!("error: {why}"), "error", why, true),
        };
        let text = self.redactor.redact(&text).into_owned();
        self.sent += text.len();
        self.log.push(ToolLog {
            tool: c.name.clone(),
            input: self.redactor.redact(&input).into_owned(),
            outcome: outcome.to_string(),
            detail: self.redactor.redact(&detail).into_owned(),
            bytes: text.len(),
        });
        (text, err)
    }

    fn run(&self, k: &Kind, input: &Value) -> Result<(String, String), Outcome> {
        if self.persona.tools.get(k.key) == Some(&false) {
            return Err(Outcome::Refused(format!(
                "the persona turns `{}` off",
                k.key
            )));
        }
        match k.name {
            "read_file" => {
                let path =
                    str_arg(input, "path").ok_or(Outcome::Error("`path` is required".into()))?;
                self.permit(k, &path, &format!("read {path}"))?;
                let start = int_arg(input, "start_line").unwrap_or(1).max(1) as usize;
                let end = int_arg(input, "end_line")
                    .map(|e| e.max(1) as usize)
                    .unwrap_or(start + 199);
                read_file(&self.root, &path, start, end, self.redactor)
            }
            "search" => {
                let pattern = str_arg(input, "pattern")
                    .filter(|p| !p.is_empty())
                    .ok_or(Outcome::Error("`pattern` is required".into()))?;
                let under = str_arg(input, "path").unwrap_or_default();
                self.permit(k, &pattern, &format!("search for {pattern:?}"))?;
                // Files the persona may not read are not searched either.
                let persona = self.persona;
                let readable = |rel: &str| {
                    matches!(
                        persona
                            .permission
                            .decide("read", rel)
                            .unwrap_or(Action::Allow),
                        Action::Allow
                    )
                };
                search(&self.root, &under, &pattern, &readable, self.redactor)
            }
            _ => {
                let path = str_arg(input, "path").unwrap_or_else(|| ".".into());
                let n = int_arg(input, "max_count")
                    .unwrap_or(15)
                    .clamp(1, GIT_MAX_COMMITS as i64) as u64;
                let command = format!("git log -n {n} -- {path}");
                self.permit(k, &command, &format!("run `{command}`"))?;
                git_log(&self.root, &path, n)
            }
        }
    }

    /// Applies the permission rules; `ask` goes to the approver when there is one.
    fn permit(&self, k: &Kind, subject: &str, what: &str) -> Result<(), Outcome> {
        let action = self
            .persona
            .permission
            .decide(k.key, subject)
            .unwrap_or(k.default);
        match action {
            Action::Allow => Ok(()),
            Action::Deny => Err(Outcome::Refused(format!(
                "persona permission `{}` denies {what}",
                k.key
            ))),
            Action::Ask => match self.ask {
                Some(f) if f(what) => Ok(()),
                Some(_) => Err(Outcome::Refused(format!("the user declined to {what}"))),
                None => Err(Outcome::Refused(format!(
                    "persona permission `{}` is `ask` for {what}, and this run is not interactive",
                    k.key
                ))),
            },
        }
    }
}

enum Outcome {
    Refused(String),
    Error(String),
}

fn str_arg(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

fn int_arg(v: &Value, k: &str) -> Option<i64> {
    match v.get(k) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

fn one_line(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 300 {
        let mut cut = 300;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &s[..cut])
    } else {
        s
    }
}

/// Resolves a path the model gave to a path inside `root` (already canonical). Refuses
/// absolute paths, `..`, `.git`, and anything a symlink leads outside the root.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let rel = rel.trim();
    if rel.contains('\0') {
        return Err("path contains a NUL byte".into());
    }
    let p = Path::new(rel);
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') || rel.contains(":\\") {
        return Err(format!(
            "`{rel}`: absolute paths are refused; give a path relative to the repository root"
        ));
    }
    let mut clean = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => {
                if s == ".git" {
                    return Err(format!("`{rel}`: the .git folder is not readable"));
                }
                clean.push(s);
            }
            Component::CurDir => {}
            Component::ParentDir => {
                return Err(format!(
                    "`{rel}`: `..` is refused; stay inside the repository"
                ));
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("`{rel}`: absolute paths are refused"));
            }
        }
    }
    let joined = root.join(&clean);
    let canon = joined
        .canonicalize()
        .map_err(|_| format!("`{rel}`: no such file or folder in the repository"))?;
    if !canon.starts_with(root) {
        return Err(format!(
            "`{rel}`: leads outside the repository (symlink); refused"
        ));
    }
    Ok(canon)
}

fn clip_line(l: &str) -> String {
    if l.chars().count() > LINE_MAX_CHARS {
        let mut s: String = l.chars().take(LINE_MAX_CHARS).collect();
        s.push_str(" …");
        s
    } else {
        l.to_string()
    }
}

/// Reads at most [`READ_MAX_BYTES`] of a file as lossy UTF-8 lines, `None` for binary.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<Option<String>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    f.take(max_bytes)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf[..buf.len().min(8192)].contains(&0) {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

fn read_file(
    root: &Path,
    rel: &str,
    start: usize,
    end: usize,
    redactor: &Redactor,
) -> Result<(String, String), Outcome> {
    let path = resolve(root, rel).map_err(Outcome::Refused)?;
    if path.is_dir() {
        // A folder: list it (bounded) instead.
        let mut names: Vec<String> = std::fs::read_dir(&path)
            .map_err(|e| Outcome::Error(e.to_string()))?
            .filter_map(Result::ok)
            .map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    format!("{n}/")
                } else {
                    n
                }
            })
            .filter(|n| n != ".git/")
            .collect();
        names.sort();
        names.truncate(200);
        return Ok((
            format!("{rel} is a folder:\n{}", names.join("\n")),
            format!("listed folder ({} entries)", names.len()),
        ));
    }
    let text = read_text(&path, 16 * 1024 * 1024)
        .map_err(|e| Outcome::Error(format!("`{rel}`: {e}")))?
        .ok_or_else(|| Outcome::Error(format!("`{rel}` is a binary file")))?;
    // Redact the whole text before lines are cut, so no secret is split past recognition.
    let text = redactor.redact(&text);
    let lines: Vec<&str> = text.lines().collect();
    let total = lines.len();
    if start > total.max(1) {
        return Err(Outcome::Error(format!(
            "`{rel}` has {total} lines; start_line {start} is past the end"
        )));
    }
    let end = end.min(total).min(start + READ_MAX_LINES - 1).max(start);
    let mut out = format!("{rel} lines {start}-{end} of {total}:\n");
    for (i, l) in lines.iter().enumerate().take(end).skip(start - 1) {
        let line = format!("{:>5} | {}\n", i + 1, clip_line(l));
        if out.len() + line.len() > READ_MAX_BYTES {
            out.push_str("… (output limit reached)\n");
            break;
        }
        out.push_str(&line);
    }
    Ok((out, format!("lines {start}-{end} of {total}")))
}

fn search(
    root: &Path,
    under: &str,
    pattern: &str,
    readable: &dyn Fn(&str) -> bool,
    redactor: &Redactor,
) -> Result<(String, String), Outcome> {
    let re = regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .or_else(|_| {
            regex::RegexBuilder::new(&regex::escape(pattern))
                .case_insensitive(true)
                .build()
        })
        .map_err(|e| Outcome::Error(format!("bad pattern: {e}")))?;
    let start = if under.trim().is_empty() || under.trim() == "." {
        root.to_path_buf()
    } else {
        resolve(root, under).map_err(Outcome::Refused)?
    };
    let mut files = Vec::new();
    walk(root, &start, &mut files);
    let mut out = String::new();
    let mut matches = 0usize;
    let mut scanned = 0usize;
    'files: for (rel, path) in &files {
        if !readable(rel) {
            continue;
        }
        scanned += 1;
        let Ok(Some(raw)) = read_text(path, SEARCH_MAX_FILE_BYTES) else {
            continue;
        };
        if !raw.lines().any(|l| re.is_match(l)) {
            continue;
        }
        // Matches are reported from the redacted text (a key's body lines included).
        let text = redactor.redact(&raw);
        for (i, l) in text.lines().enumerate() {
            if re.is_match(l) {
                out.push_str(&format!("{rel}:{}: {}\n", i + 1, clip_line(l.trim())));
                matches += 1;
                if matches >= SEARCH_MAX_MATCHES {
                    out.push_str("… (match limit reached)\n");
                    break 'files;
                }
            }
        }
    }
    if matches == 0 {
        out = format!("no match for {pattern:?} in {scanned} files\n");
    }
    Ok((out, format!("{matches} matches in {scanned} files")))
}

/// Regular files under `dir` (no symlinks followed), sorted, bounded.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    if dir.is_file() {
        if let Ok(rel) = dir.strip_prefix(root) {
            out.push((rel.to_string_lossy().replace('\\', "/"), dir.to_path_buf()));
        }
        return;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for e in entries {
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            if ft.is_symlink() {
                continue;
            }
            if ft.is_dir() {
                if !SKIP_DIRS.contains(&name.as_str()) {
                    subdirs.push(e.path());
                }
            } else if ft.is_file() {
                if out.len() >= SEARCH_MAX_FILES {
                    return;
                }
                if let Ok(rel) = e.path().strip_prefix(root) {
                    out.push((rel.to_string_lossy().replace('\\', "/"), e.path()));
                }
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
}

/// The exact argv of `git log` (documented in docs/llm.md).
pub fn git_log_args(root: &Path, path: &str, n: u64) -> Vec<String> {
    let mut a: Vec<String> = [
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "core.pager=cat",
        "-c",
        "log.showSignature=false",
        "-c",
        "diff.external=",
        "-c",
        "core.untrackedCache=false",
        "--no-pager",
        "-C",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    a.push(root.to_string_lossy().into_owned());
    a.extend(
        [
            "log",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-decorate",
            "--date=short",
            "--format=%h %ad %an: %s",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    a.push(format!("--max-count={n}"));
    a.push("--".into());
    a.push(path.to_string());
    a
}

fn git_log(root: &Path, rel: &str, n: u64) -> Result<(String, String), Outcome> {
    let rel_clean = if rel.trim().is_empty() || rel.trim() == "." {
        ".".to_string()
    } else {
        let p = resolve(root, rel).map_err(Outcome::Refused)?;
        p.strip_prefix(root)
            .map(|r| r.to_string_lossy().into_owned())
            .unwrap_or_else(|_| ".".into())
    };
    let rel_clean = if rel_clean.is_empty() {
        ".".into()
    } else {
        rel_clean
    };
    let mut child = Command::new("git")
        .args(git_log_args(root, &rel_clean, n))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_PAGER", "cat")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_EXTERNAL_DIFF")
        .env_remove("GIT_CONFIG_PARAMETERS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Outcome::Error(format!("cannot run git: {e}")))?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or(Outcome::Error("no stdout".into()))?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stdout)
            .take(GIT_MAX_BYTES as u64)
            .read_to_end(&mut buf);
        // Drain the rest so git never blocks on a full pipe.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        buf
    });
    let deadline = Instant::now() + GIT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let buf = reader.join().unwrap_or_default();
    match status {
        None => Err(Outcome::Error("git log timed out".into())),
        Some(s) if !s.success() => Err(Outcome::Error(
            "git log failed (not a git repository, or git refused it)".into(),
        )),
        Some(_) => {
            let text = String::from_utf8_lossy(&buf).into_owned();
            let count = text.lines().count();
            Ok((
                if text.is_empty() {
                    format!("no commits touch {rel_clean}\n")
                } else {
                    text
                },
                format!("{count} commits"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persona;

    fn persona_with(front: &str) -> Persona {
        persona::parse(&format!("---\n{front}---\nReview.\n"), "t.md", "t")
    }

    #[test]
    fn paths_stay_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/a.go"), "package a\n").unwrap();
        assert!(resolve(&root, "src/a.go").is_ok());
        assert!(
            resolve(&root, "./src/../src/a.go")
                .unwrap_err()
                .contains("..")
        );
        assert!(
            resolve(&root, "/etc/passwd")
                .unwrap_err()
                .contains("absolute")
        );
        assert!(resolve(&root, ".git/config").unwrap_err().contains(".git"));
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
            std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
            let e = resolve(&root, "link/secret.txt").unwrap_err();
            assert!(e.contains("outside"), "{e}");
        }
    }

    #[test]
    fn permissions_and_ask() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "one\ntwo\n").unwrap();
        std::fs::write(dir.path().join(".env"), "X=1\n").unwrap();
        let p = persona_with(
            "permission:\n  read:\n    \"*\": allow\n    \"*.env\": deny\n  bash:\n    \"*\": ask\n",
        );
        let r = Redactor::new();
        let mut t = RepoTools::new(dir.path(), &p, None, &r);
        let call = |name: &str, input: Value| ToolCall {
            id: "1".into(),
            name: name.into(),
            input,
        };
        let (text, err) = t.call(&call("read_file", json!({"path": "a.txt"})));
        assert!(!err && text.contains("    2 | two"), "{text}");
        let (text, err) = t.call(&call("read_file", json!({"path": ".env"})));
        assert!(err && text.contains("denies"), "{text}");
        let (text, err) = t.call(&call("git_log", json!({})));
        assert!(err && text.contains("not interactive"), "{text}");
        let yes = |_: &str| true;
        let mut t2 = RepoTools::new(dir.path(), &p, Some(&yes), &r);
        let (text, _) = t2.call(&call("git_log", json!({})));
        assert!(!text.contains("not interactive"), "{text}");
        assert_eq!(t.log.len(), 3);
        assert_eq!(t.log[1].outcome, "refused");
    }

    #[test]
    fn tools_are_offered_only_when_the_persona_asks() {
        let plain = persona::parse("Review it.", "p.md", "p");
        assert!(offered(&plain).is_empty());
        let p = persona_with("tools:\n  bash: false\n");
        let names: Vec<_> = offered(&p).iter().map(|t| t.name).collect();
        assert_eq!(names, ["read_file", "search"]);
    }

    #[test]
    fn search_is_bounded_and_redacted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("k.py"),
            "KEY = \"AKIAQ7RZ3KPLM5XWFH2B\"\nprint(1)\n",
        )
        .unwrap();
        let p = persona_with("tools:\n  grep: true\n");
        let r = Redactor::new();
        let mut t = RepoTools::new(dir.path(), &p, None, &r);
        let (text, err) = t.call(&ToolCall {
            id: "1".into(),
            name: "search".into(),
            input: json!({"pattern": "key"}),
        });
        assert!(!err, "{text}");
        assert!(text.contains("k.py:1:"), "{text}");
        assert!(!text.contains("AKIAQ7RZ3KPLM5XWFH2B"), "{text}");
        // A key's body lines are redacted too, in searches and reads.
        std::fs::write(
            dir.path().join("id_rsa"),
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAq8Zt3XyLm2Np\n-----END RSA PRIVATE KEY-----\n",
        )
        .unwrap();
        let (text, _) = t.call(&ToolCall {
            id: "2".into(),
            name: "search".into(),
            input: json!({"pattern": "MIIEpA"}),
        });
        assert!(!text.contains("MIIEpAIBAAKCAQEAq8Zt3XyLm2Np"), "{text}");
        let (text, _) = t.call(&ToolCall {
            id: "3".into(),
            name: "read_file".into(),
            input: json!({"path": "id_rsa"}),
        });
        assert!(!text.contains("MIIEpAIBAAKCAQEAq8Zt3XyLm2Np"), "{text}");
        assert!(text.contains("[private key redacted]"), "{text}");
    }
}
