//! pagerproof never executes anything from the repository it reviews and never writes
//! into it: a planted repository full of traps (git hooks and config, package-manager
//! scripts, build files) is byte-identical after reviews in every format, and no trap
//! fired. Also: the same JSON on 1 and N threads, the repository configuration stance
//! (`--no-repo-config`, limits a repository cannot lift, `llm.base_url` it cannot set),
//! and a hostile repository reviewed under a hard memory limit.

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pagerproof"))
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn script(root: &Path, rel: &str, text: &str) {
    write(root, rel, text);
    std::fs::set_permissions(root.join(rel), std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Everything observable about a tree except access times (reading a file may update
/// them): for each entry its type, mode, size, owner, modification and change times,
/// and its bytes or link target.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let meta = std::fs::symlink_metadata(&dir).unwrap();
        out.insert(dir.clone(), describe(&meta, String::new()));
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.file_type().is_dir() {
                stack.push(p);
            } else if m.file_type().is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.insert(p, describe(&m, format!("-> {}", t.display())));
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.insert(p, describe(&m, format!("{bytes:?}")));
            }
        }
    }
    out
}

fn describe(m: &std::fs::Metadata, content: String) -> String {
    format!(
        "{:?} mode={:o} size={} uid={} gid={} mtime={}.{} ctime={}.{} nlink={} {content}",
        m.file_type(),
        m.mode(),
        m.size(),
        m.uid(),
        m.gid(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
        m.nlink(),
    )
}

/// A repository whose every executable surface writes a marker into `markers` if run.
fn plant_traps(root: &Path, markers: &Path) {
    let m = markers.display();
    let trap = |name: &str| format!("#!/bin/sh\necho ran > {m}/{name}\n");
    // A real git repository when git is installed (so that any `git` call pagerproof
    // might make would see these hooks and config), else a plain folder.
    let has_git = Command::new("git")
        .args(["init", "-q"])
        .arg(root)
        .status()
        .is_ok_and(|s| s.success());
    std::fs::create_dir_all(root.join(".git/hooks")).unwrap();
    for hook in [
        "pre-commit",
        "post-checkout",
        "post-merge",
        "pre-push",
        "post-rewrite",
        "pre-auto-gc",
        "reference-transaction",
        "post-index-change",
        "fsmonitor-watchman",
        "pre-rebase",
        "post-commit",
        "prepare-commit-msg",
    ] {
        script(
            root,
            &format!(".git/hooks/{hook}"),
            &trap(&format!("hook-{hook}")),
        );
    }
    script(root, "trap-fsmonitor.sh", &trap("git-fsmonitor"));
    script(root, "trap-textconv.sh", &trap("git-textconv"));
    script(root, "trap-filter.sh", &trap("git-filter"));
    script(root, "trap-pager.sh", &trap("git-pager"));
    let mut cfg = std::fs::read_to_string(root.join(".git/config")).unwrap_or_default();
    cfg.push_str(&format!(
        "[core]\n\tfsmonitor = {r}/trap-fsmonitor.sh\n\tpager = {r}/trap-pager.sh\n\thooksPath = .git/hooks\n\
         [diff \"trap\"]\n\ttextconv = {r}/trap-textconv.sh\n[filter \"trap\"]\n\tclean = {r}/trap-filter.sh\n\tsmudge = {r}/trap-filter.sh\n\tprocess = {r}/trap-filter.sh\n\
         [alias]\n\tlog = !{r}/trap-pager.sh\n",
        r = root.display()
    ));
    write(root, ".git/config", &cfg);
    write(root, ".gitattributes", "* diff=trap filter=trap\n");
    write(
        root,
        ".gitmodules",
        &format!("[submodule \"x\"]\n\tpath = x\n\turl = ext::sh -c {m}/git-submodule\n"),
    );

    write(
        root,
        "Makefile",
        &format!("all:\n\techo ran > {m}/make\ninstall:\n\techo ran > {m}/make-install\n"),
    );
    write(
        root,
        "web/package.json",
        &format!(
            "{{\"name\":\"web\",\"scripts\":{{\"preinstall\":\"echo > {m}/npm-preinstall\",\"install\":\"echo > {m}/npm-install\",\"postinstall\":\"echo > {m}/npm-postinstall\",\"prepare\":\"echo > {m}/npm-prepare\",\"start\":\"echo > {m}/npm-start\",\"test\":\"echo > {m}/npm-test\"}}}}"
        ),
    );
    write(root, "web/.npmrc", &format!("script-shell={m}/npmrc\n"));
    write(
        root,
        "web/index.js",
        "const http = require('http');\nhttp.createServer(() => {}).listen(8080);\nfetch(url);\n",
    );
    write(
        root,
        "setup.py",
        &format!(
            "open('{m}/setup-py', 'w').write('ran')\nfrom setuptools import setup\nsetup(name='x')\n"
        ),
    );
    write(
        root,
        "conftest.py",
        &format!("open('{m}/conftest', 'w').write('ran')\n"),
    );
    write(
        root,
        "app/__init__.py",
        &format!("open('{m}/import', 'w').write('ran')\n"),
    );
    write(root, "app/main.py", "import requests\nrequests.get(URL)\n");
    write(
        root,
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"trap_backend\"\n[project]\nname = \"x\"\nscripts = { x = \"app.main:run\" }\n",
    );
    write(
        root,
        "trap_backend.py",
        &format!("open('{m}/build-backend', 'w').write('ran')\n"),
    );
    write(
        root,
        "tox.ini",
        &format!("[testenv]\ncommands = sh -c 'echo > {m}/tox'\n"),
    );
    write(
        root,
        "noxfile.py",
        &format!("open('{m}/nox', 'w').write('ran')\n"),
    );
    write(root, "go.mod", "module example.com/x\n\ngo 1.22\n");
    write(
        root,
        "svc/main.go",
        &format!(
            "//go:generate sh -c \"echo > {m}/go-generate\"\npackage main\n\nimport \"net/http\"\n\nfunc main() {{ http.ListenAndServe(\":8080\", nil) }}\n"
        ),
    );
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\nbuild = \"build.rs\"\n",
    );
    write(
        root,
        "build.rs",
        &format!("fn main() {{ std::fs::write(\"{m}/build-rs\", \"ran\").unwrap(); }}\n"),
    );
    script(root, "gradlew", &trap("gradlew"));
    script(root, "mvnw", &trap("mvnw"));
    write(
        root,
        "build.gradle",
        &format!("task x {{ exec {{ commandLine 'sh', '-c', 'echo > {m}/gradle' }} }}\n"),
    );
    write(
        root,
        "pom.xml",
        "<project><build><plugins><plugin><artifactId>exec-maven-plugin</artifactId></plugin></plugins></build></project>\n",
    );
    write(root, ".envrc", &format!("echo ran > {m}/direnv\n"));
    write(
        root,
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n- repo: local\n  hooks:\n  - id: x\n    entry: sh -c 'echo > {m}/pre-commit-framework'\n    language: system\n"
        ),
    );
    write(
        root,
        ".github/workflows/ci.yml",
        &format!(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo > {m}/workflow\n"
        ),
    );
    write(
        root,
        "Dockerfile",
        &format!(
            "FROM alpine\nRUN echo > {m}/docker-run\nHEALTHCHECK CMD sh -c 'echo > {m}/healthcheck'\n"
        ),
    );
    write(
        root,
        "docker-compose.yml",
        &format!("services:\n  a:\n    build: .\n    command: sh -c 'echo > {m}/compose'\n"),
    );
    script(root, "scripts/install.sh", &trap("script"));
    write(root, ".editorconfig", "root = true\n");
    write(root, ".env", "PORT=8080\n");
    std::os::unix::fs::symlink("app/main.py", root.join("link.py")).unwrap();
    let _ = has_git;
}

/// A folder of impostors for every tool a reviewer might be tempted to call: if
/// pagerproof ran any of them through `PATH`, a marker would appear.
fn fake_tools(bin: &Path, markers: &Path) {
    for tool in [
        "git",
        "npm",
        "npx",
        "yarn",
        "pnpm",
        "node",
        "pip",
        "pip3",
        "python",
        "python3",
        "poetry",
        "uv",
        "go",
        "make",
        "mvn",
        "gradle",
        "docker",
        "cargo",
        "rustc",
        "java",
        "javac",
        "direnv",
        "pre-commit",
        "tox",
        "nox",
        "helm",
        "kubectl",
    ] {
        script(
            bin,
            tool,
            &format!(
                "#!/bin/sh
echo \"$@\" > {}/path-{tool}\n",
                markers.display()
            ),
        );
    }
}

#[test]
fn a_review_runs_nothing_and_leaves_the_tree_byte_identical() {
    let repo = tempfile::tempdir().unwrap();
    let markers = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let fakes = tempfile::tempdir().unwrap();
    plant_traps(repo.path(), markers.path());
    fake_tools(fakes.path(), markers.path());
    let before = snapshot(repo.path());
    // Let any time-based change show up in mtimes.
    std::thread::sleep(std::time::Duration::from_millis(20));

    let mut runs = Vec::new();
    for name in pagerproof_report::Format::NAMES {
        runs.push(vec![
            "review".to_string(),
            "--format".into(),
            name.to_string(),
        ]);
        runs.push(vec![
            "review".to_string(),
            "--format".into(),
            name.to_string(),
            "-o".into(),
            out.path().join(format!("r.{name}")).display().to_string(),
        ]);
    }
    runs.push(vec![
        "review".into(),
        "--preview".into(),
        "-j".into(),
        "1".into(),
    ]);
    runs.push(vec!["review".into(), "--fail-on".into(), "P3".into()]);
    for args in &runs {
        let o = bin()
            .args(args)
            .arg(repo.path())
            .current_dir(repo.path())
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    fakes.path().display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .output()
            .unwrap();
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // The reviews ran inside the repository as working directory, too.
    let after = snapshot(repo.path());
    let fired: Vec<String> = std::fs::read_dir(markers.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(fired.is_empty(), "traps fired: {fired:?}");
    assert_eq!(before.len(), after.len(), "entries were added or removed");
    for (p, b) in &before {
        assert_eq!(Some(b), after.get(p), "{} changed", p.display());
    }
}

/// Only the binary crate touches processes (its exit code). Libraries never spawn one:
/// a future feature that shells out (`git log` for history) must be reviewed against
/// docs/security.md (hooks, `core.fsmonitor`, textconv, `ext::` URLs) and listed here.
#[test]
fn no_library_spawns_a_process() {
    // Both only on the user's explicit request, reviewed against docs/security.md:
    // `--diff REV` (git diff/merge-base/ls-files) and the `--llm` history tool (git log).
    const ALLOWED: &[&str] = &["pagerproof/src/git.rs", "pagerproof_llm/src/tools.rs"];
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut stack = vec![crates.to_path_buf()];
    let mut hits = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let s = p.to_string_lossy().to_string();
            if p.is_dir() {
                if !s.ends_with("/target") && !s.ends_with("/tests") && !s.ends_with("/examples") {
                    stack.push(p);
                }
                continue;
            }
            if !s.ends_with(".rs") || !s.contains("/src/") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for needle in [
                "Command::new",
                "process::Command",
                "libc::exec",
                "execvp",
                "posix_spawn",
                "std::os::unix::process",
            ] {
                if text.contains(needle) && !ALLOWED.iter().any(|a| s.ends_with(a)) {
                    hits.push(format!("{s}: {needle}"));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "process spawning in library code: {hits:?}"
    );
}

fn fixture_repo(root: &Path) {
    // Several components, every language, many findings.
    for comp in ["svc-a", "svc-b", "web", "tools/cli"] {
        write(
            root,
            &format!("{comp}/app.py"),
            "import requests, subprocess\nDB_PASSWORD = \"Zx9!qLm2#vT4pw\"\ndef f(u):\n    try:\n        return requests.get(u)\n    except Exception:\n        pass\napp.run(debug=True)\n",
        );
        write(
            root,
            &format!("{comp}/main.go"),
            "package main\n\nimport (\n\t\"crypto/tls\"\n\t\"net/http\"\n)\n\nfunc main() {\n\tc := &http.Client{}\n\tc.Get(\"http://x\")\n\t_ = &tls.Config{InsecureSkipVerify: true}\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
        );
        write(
            root,
            &format!("{comp}/index.js"),
            "const axios = require('axios');\naxios.get(url);\nfetch(url).catch(() => {});\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n",
        );
        write(
            root,
            &format!("{comp}/src/App.java"),
            "package a;\nclass App {\n  void f() {\n    try { new RestTemplate(); } catch (Exception e) { }\n  }\n}\n",
        );
        write(
            root,
            &format!("{comp}/web.ts"),
            "import axios from 'axios';\nexport const c = axios.create({});\nfetch(u);\n",
        );
        write(
            root,
            &format!("{comp}/Dockerfile"),
            "FROM python\nCMD [\"python\", \"app.py\"]\n",
        );
    }
}

#[test]
fn same_json_on_one_and_many_threads() {
    let repo = tempfile::tempdir().unwrap();
    fixture_repo(repo.path());
    let json = |threads: &str| {
        let o = bin()
            .args(["review", "--format", "json", "-j", threads])
            .arg(repo.path())
            .output()
            .unwrap();
        assert!(o.status.success());
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["stats"]["elapsed_ms"] = serde_json::Value::from(0);
        serde_json::to_string_pretty(&v).unwrap()
    };
    let one = json("1");
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert!(
        v["findings"].as_array().is_some_and(|a| a.len() >= 20),
        "{one}"
    );
    for t in ["8", "2", "0", "3"] {
        assert!(one == json(t), "-j {t} differs from -j 1");
    }
}

#[test]
fn repository_config_is_untrusted() {
    let repo = tempfile::tempdir().unwrap();
    fixture_repo(repo.path());
    write(
        repo.path(),
        "pagerproof.toml",
        "[review]\nmax_file_size = 100000000000\nfile_budget_ms = 99999999\n[rules]\ndisable = [\"SECRET\", \"TIMEOUT\"]\n[rules.severity]\nTLS-OFF = \"P3\"\n[llm]\nbase_url = \"https://attacker.example\"\n",
    );
    let run = |extra: &[&str]| {
        let o = bin()
            .args(["review", "--format", "json"])
            .args(extra)
            .arg(repo.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let rules: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap_or("").to_string())
            .collect();
        (rules, String::from_utf8_lossy(&o.stderr).into_owned())
    };
    // Honoured by default, and said so on stderr.
    let (rules, err) = run(&[]);
    assert!(!rules.iter().any(|r| r == "hardcoded-secret"), "{rules:?}");
    assert!(err.contains("disables SECRET, TIMEOUT"), "{err}");
    assert!(err.contains("llm.base_url ignored"), "{err}");
    assert!(
        err.contains("review.max_file_size 100000000000 capped"),
        "{err}"
    );
    assert!(
        err.contains("review.file_budget_ms 99999999 capped"),
        "{err}"
    );
    assert!(err.contains("--no-repo-config"), "{err}");
    // Ignored with --no-repo-config.
    let (rules, err) = run(&["--no-repo-config"]);
    assert!(rules.iter().any(|r| r == "hardcoded-secret"), "{rules:?}");
    assert!(
        rules.iter().any(|r| r == "http-client-without-timeout"),
        "{rules:?}"
    );
    assert!(err.is_empty(), "{err}");
    // A symbolic link as pagerproof.toml is not followed.
    std::fs::remove_file(repo.path().join("pagerproof.toml")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", repo.path().join("pagerproof.toml")).unwrap();
    let (rules, err) = run(&[]);
    assert!(rules.iter().any(|r| r == "hardcoded-secret"));
    assert!(err.contains("not a regular file"), "{err}");
    assert!(!err.contains("root:"), "{err}");
}

#[test]
fn hostile_repository_under_a_memory_limit() {
    // Bombs, deep nesting, big files and a lifted size cap, reviewed with the address
    // space capped at 2 GB: an unbounded expansion would abort the process.
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    let mut bomb = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    write(r, "k8s/bomb.yaml", &bomb);
    write(r, "docker-compose.yml", &bomb);
    write(r, "k8s/deep.yaml", &format!("{}x\n", "- ".repeat(100_000)));
    write(
        r,
        "web/deep.js",
        &format!("x = {}1{};\n", "[\n".repeat(50_000), "]\n".repeat(50_000)),
    );
    write(
        r,
        "web/package.json",
        &format!("{}{}", "[\n".repeat(100_000), "]\n".repeat(100_000)),
    );
    let mut big = String::new();
    while big.len() < 40_000_000 {
        big.push_str("requests.get(url)  # padding padding padding padding padding\n");
    }
    write(r, "app/huge.py", &big);
    write(
        r,
        "app/min.js",
        &format!("var a={};", "1,".repeat(10_000_000)),
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 2000000 && exec {} review --format json -j 2 --max-file-size 100000000 {}",
            env!("CARGO_BIN_EXE_pagerproof"),
            r.display()
        ))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{:?} {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let skipped = v["skipped"].as_array().unwrap();
    let reason = |p: &str| {
        skipped
            .iter()
            .find(|s| s["path"] == p)
            .and_then(|s| s["reason"].as_str())
            .unwrap_or("")
            .to_string()
    };
    assert!(reason("k8s/deep.yaml").contains("nested deeper"));
    assert!(reason("web/deep.js").contains("nested deeper"));
    assert!(reason("app/min.js").contains("minified"));
}

/// Repository text that would act on the reader of a report: terminal escapes, HTML, and
/// Markdown fences, in code excerpts and messages. No format passes an escape character
/// through, and an HTML format never passes markup through unescaped.
#[test]
fn hostile_text_in_every_format() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "svc/app.py",
        "import requests\n# \u{1b}]52;c;cHduZWQ=\u{7} \u{1b}[2J\n# ```\n# <img src=x onerror=alert(1)></script><script>alert(2)</script>\nrequests.get(\"http://x/<b>\")  # ``` [click](javascript:alert(3))\n",
    );
    let report = pagerproof_analyze::review(
        &pagerproof_analyze::fs::FsSource::new(repo.path()),
        &pagerproof_core::config::Settings::default(),
    );
    assert!(report.findings.iter().any(|f| f.path == "svc/app.py"));
    for name in pagerproof_report::Format::NAMES {
        let f = pagerproof_report::Format::parse(name).unwrap();
        for color in [false, true] {
            let text = pagerproof_report::render(
                &report,
                f,
                &pagerproof_report::Options {
                    color,
                    excerpts: true,
                    ..Default::default()
                },
            );
            // Our own colour codes (SGR: ESC [ digits ; m) are the only escapes allowed.
            let foreign = text.match_indices('\u{1b}').any(|(i, _)| {
                let rest = &text[i + 1..];
                let Some(body) = rest.strip_prefix('[') else {
                    return true;
                };
                let end = body.find(|c: char| !c.is_ascii_digit() && c != ';');
                end.is_none_or(|e| !body[e..].starts_with('m'))
            });
            assert!(
                !foreign && !text.contains('\u{7}'),
                "{name}: escape from the repository"
            );
            if !color {
                assert!(!text.contains('\u{1b}'), "{name}");
            }
            if name.contains("html") {
                assert!(
                    !text.contains("<img src=x") && !text.contains("<script>alert"),
                    "{name}: raw markup"
                );
            }
        }
    }
}

#[test]
fn repository_config_cannot_write_escapes_to_stderr() {
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), "app.py", "x = 1\n");
    for cfg in [
        "[rules]\ndisable = [\"\\u001b]52;c;cHduZWQ=\\u0007\\u001b[2J\"]\n",
        "[review]\n\"\\u001b[2Jx\" = 1\n",
    ] {
        write(repo.path(), "pagerproof.toml", cfg);
        let o = bin()
            .args(["review", "--format", "json"])
            .arg(repo.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.is_empty());
        assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    }
}
