//! Hostile and huge inputs. Every case is generated here, in memory or in a temporary
//! folder (nothing large is committed), and reviewed through the same pipeline as the
//! command line. For each: the review completes, a file that cannot be analysed is listed
//! in `skipped` with a reason, and the time spent on one file stays within its budget.
//!
//! Each case prints one line `HOSTILE | case | outcome | ms`, so
//! `cargo test -p pagerproof_analyze --test hostile -- --nocapture --test-threads 1 2>&1 | grep HOSTILE`
//! is the table of outcomes. The 200,000-file repository is `#[ignore]`d (see its test).

use std::path::Path;
use std::time::{Duration, Instant};

use pagerproof_analyze::files::{self, MAX_DATA_NESTING};
use pagerproof_analyze::fs::{FsSource, Listing, MemSource, Source};
use pagerproof_core::Report;
use pagerproof_core::config::Settings;

/// Per-file budget used by these tests (the default is 10 s).
const BUDGET_MS: u64 = 3_000;
/// Slack on top of a budget for a debug build on a shared, loaded machine. These bounds
/// catch hangs and runaway (quadratic) work, not speed: speed is measured by benchmarks
/// (docs/benchmarks.md), and each case prints its time on the HOSTILE line.
const SLACK: Duration = Duration::from_secs(60);
/// Nesting depth of the deep-nesting corpus.
const DEPTH: usize = 10_000;

fn settings() -> Settings {
    Settings {
        file_budget_ms: BUDGET_MS,
        ..Settings::default()
    }
}

/// What the review did with a file.
#[derive(Debug, PartialEq)]
enum Outcome {
    Analysed,
    Skipped(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Analysed => write!(f, "analysed"),
            Outcome::Skipped(r) => write!(f, "skipped: {r}"),
        }
    }
}

fn outcome(r: &Report, path: &str) -> Outcome {
    match r.skipped.iter().find(|s| s.path == path) {
        Some(s) => Outcome::Skipped(s.reason.clone()),
        None => Outcome::Analysed,
    }
}

fn log(case: &str, out: &Outcome, took: Duration) {
    eprintln!("HOSTILE | {case} | {out} | {} ms", took.as_millis());
}

/// Reviews one file alone, checks the review stayed within the budget, and returns what
/// happened to the file.
fn review_one(case: &str, path: &str, bytes: impl Into<Vec<u8>>, s: &Settings) -> Outcome {
    let bytes = bytes.into();
    let src = MemSource::new([(path.to_string(), bytes)]);
    let t = Instant::now();
    let r = pagerproof_analyze::review(&src, s);
    let took = t.elapsed();
    let out = outcome(&r, path);
    log(case, &out, took);
    let budget = Duration::from_millis(s.file_budget_ms);
    assert!(
        took < budget + SLACK,
        "{case}: took {took:?}, budget {budget:?}"
    );
    if out == Outcome::Analysed {
        assert!(r.stats.files >= 1, "{case}: neither analysed nor skipped");
    }
    assert_no_internal_error(case, &r);
    out
}

fn assert_no_internal_error(case: &str, r: &Report) {
    for s in &r.skipped {
        assert!(
            !s.reason.contains("internal error"),
            "{case}: a rule panicked: {} {}",
            s.path,
            s.reason
        );
    }
}

/// `open` and `close` each on their own line `n` times around `mid`: one level per
/// line, so the minified-file gate does not hide the nesting from the parser.
fn nest(open: &str, mid: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len() + 2) * n + mid.len());
    for _ in 0..n {
        s.push_str(open);
        s.push('\n');
    }
    s.push_str(mid);
    s.push('\n');
    for _ in 0..n {
        s.push_str(close);
        s.push('\n');
    }
    s
}

fn is_budget(o: &Outcome) -> bool {
    matches!(o, Outcome::Skipped(r) if r.contains("per-file budget"))
}

fn is_limited(o: &Outcome) -> bool {
    matches!(o, Outcome::Skipped(r) if r.contains("findings in this file are reported"))
}

// ---------------------------------------------------------------------------------------
// Deep nesting in every language.

fn deep_code_cases(n: usize) -> Vec<(String, &'static str, String)> {
    let k = if n >= 1000 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    };
    let cases: Vec<(&str, &str, String)> = vec![
        // Python
        (
            "python: 10k nested parentheses",
            "app/a.py",
            format!("x = {}", nest("(", "1", ")", n)),
        ),
        (
            "python: 10k nested lists",
            "app/b.py",
            format!("x = {}", nest("[", "1", "]", n)),
        ),
        (
            "python: 10k nested dicts",
            "app/c.py",
            format!("x = {}", nest("{'k':", "1", "}", n)),
        ),
        (
            "python: 10k nested calls",
            "app/d.py",
            format!("x = {}", nest("requests.get(", "'u'", ")", n)),
        ),
        (
            "python: 10k chained lambdas",
            "app/e.py",
            format!("f = {}", nest("lambda:", "1", "", n)),
        ),
        (
            "python: 10k nested subscripts",
            "app/f.py",
            format!("x = {}", nest("a[", "0", "]", n)),
        ),
        (
            // Blocks need one more column each: 1,900 levels is what fits in 2 MB.
            "python: 1,900 nested if-blocks (1-space indents, 1.8 MB)",
            "app/g.py",
            (0..1900)
                .map(|i| format!("{}if x:\n", " ".repeat(i)))
                .collect::<String>()
                + &" ".repeat(1900)
                + "pass\n",
        ),
        // Go
        (
            "go: 10k nested blocks",
            "svc/a.go",
            format!("package m\nfunc f() {{\n{}}}\n", nest("{", "", "}", n)),
        ),
        (
            "go: 10k nested parentheses",
            "svc/b.go",
            format!("package m\nvar x = {}", nest("(", "1", ")", n)),
        ),
        (
            "go: 10k nested calls",
            "svc/c.go",
            format!("package m\nvar x = {}", nest("http.Get(", "u", ")", n)),
        ),
        (
            "go: 10k nested ifs",
            "svc/d.go",
            format!("package m\nfunc f() {{\n{}}}\n", nest("if x {", "", "}", n)),
        ),
        (
            "go: 10k nested composite literals",
            "svc/e.go",
            format!("package m\nvar x = {}", nest("[]any{", "1", "}", n)),
        ),
        (
            "go: 10k nested func literals",
            "svc/f.go",
            format!(
                "package m\nvar x = {}",
                nest("func() any { return ", "1", "}()", n)
            ),
        ),
        // JavaScript
        (
            "javascript: 10k nested arrays",
            "web/a.js",
            format!("const x = {};", nest("[", "1", "]", n)),
        ),
        (
            "javascript: 10k nested objects",
            "web/b.js",
            format!("const x = {};", nest("{a:", "1", "}", n)),
        ),
        (
            "javascript: 10k nested calls",
            "web/c.js",
            format!("const x = {};", nest("fetch(", "u", ")", n)),
        ),
        (
            "javascript: 10k nested blocks",
            "web/d.js",
            format!("function f() {{\n{}}}\n", nest("{", "", "}", n)),
        ),
        (
            "javascript: 10k chained arrows",
            "web/e.js",
            format!("const f = {};", nest("() =>", "1", "", n)),
        ),
        (
            "javascript: 10k nested template literals",
            "web/f.js",
            format!("const x = {};", nest("`${", "1", "}`", n)),
        ),
        // TypeScript
        (
            "typescript: 10k nested generics",
            "web/a.ts",
            format!("let x: {} = null;", nest("A<", "B", ">", n)),
        ),
        (
            "typescript: 10k nested parentheses",
            "web/b.ts",
            format!("const x = {};", nest("(", "1", ")", n)),
        ),
        (
            "typescript: 10k nested type literals",
            "web/c.ts",
            format!("type T = {};", nest("{a:", "1", "}", n)),
        ),
        (
            "typescript: 10k nested calls",
            "web/d.ts",
            format!("const x = {};", nest("axios.get(", "u", ")", n)),
        ),
        // TSX
        (
            "tsx: 10k nested JSX elements",
            "web/a.tsx",
            format!("const x = {};", nest("<div>", "", "</div>", n)),
        ),
        (
            "tsx: 10k nested JSX expressions",
            "web/b.tsx",
            format!("const x = {};", nest("<a>{", "1", "}</a>", n)),
        ),
        // Java
        (
            "java: 10k nested blocks",
            "src/A.java",
            format!("class A {{ void f() {{\n{}}} }}\n", nest("{", "", "}", n)),
        ),
        (
            "java: 10k nested parentheses",
            "src/B.java",
            format!("class B {{ int x = {}; }}\n", nest("(", "1", ")", n)),
        ),
        (
            "java: 10k nested calls",
            "src/C.java",
            format!("class C {{ Object x = {}; }}\n", nest("f(", "1", ")", n)),
        ),
        (
            "java: 10k nested generics",
            "src/D.java",
            format!("class D {{ {} x; }}\n", nest("List<", "String", ">", n)),
        ),
        (
            "java: 10k nested anonymous classes",
            "src/E.java",
            format!(
                "class E {{ Object x = {}; }}\n",
                nest("new Object() { Object y = ", "null", "; }", n)
            ),
        ),
        (
            "java: 10k nested array initialisers",
            "src/F.java",
            format!("class F {{ Object[] x = {}; }}\n", nest("{", "1", "}", n)),
        ),
        (
            "java: 10k nested lambdas",
            "src/G.java",
            format!("class G {{ Object x = {}; }}\n", nest("a ->", "1", "", n)),
        ),
    ];
    cases
        .into_iter()
        .filter(|(c, _, _)| n == DEPTH || !c.contains("if-blocks"))
        .map(|(c, p, src)| (c.replace("10k", &k), p, src))
        .collect()
}

fn is_too_deep(o: &Outcome) -> bool {
    matches!(o, Outcome::Skipped(r) if r.starts_with("syntax tree nested deeper than"))
}

#[test]
fn deep_nesting_in_every_language_completes_within_budget() {
    for (case, path, src) in deep_code_cases(DEPTH) {
        let out = review_one(&case, path, src, &settings());
        // Parsed (tree-sitter is iterative), then refused before any rule runs, or
        // analysed when the construct adds few tree levels: never a crash, never a hang.
        assert!(
            out == Outcome::Analysed || is_too_deep(&out) || is_limited(&out),
            "{case}: unexpected {out}"
        );
    }
}

/// Just under the depth cap, rules run on the deep tree: the cost must stay within the
/// budget (analysed), or the budget must cut it.
#[test]
fn nesting_just_under_the_depth_cap_is_analysed_or_cut_by_the_budget() {
    for (case, path, src) in deep_code_cases(400) {
        let out = review_one(&case, path, src, &settings());
        assert!(
            out == Outcome::Analysed || is_too_deep(&out) || is_limited(&out) || is_budget(&out),
            "{case}: unexpected {out}"
        );
    }
}

#[test]
fn deep_yaml_and_json_are_gated_before_any_parser() {
    let compact = format!("{}x\n", "- ".repeat(DEPTH));
    let indented: String = (0..1400)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect::<String>()
        + &" ".repeat(1400)
        + "x\n";
    let flow = nest("[", "1", "]", DEPTH);
    let json = nest("[", "1", "]", DEPTH);
    let json_obj = nest("{\"a\":", "1", "}", DEPTH);
    for (case, path, src) in [
        ("yaml: 10k compact nested sequences", "k8s/a.yaml", compact),
        (
            "yaml: 1,400 indented nested mappings",
            "k8s/b.yaml",
            indented,
        ),
        (
            "yaml: 10k nested flow sequences",
            ".github/workflows/ci.yml",
            flow,
        ),
        ("json: 10k nested arrays", "config/a.json", json),
        (
            "json: 10k nested objects (package.json)",
            "web/package.json",
            json_obj,
        ),
    ] {
        let out = review_one(case, path, src, &settings());
        assert!(
            matches!(&out, Outcome::Skipped(r) if r.contains("nested deeper than")),
            "{case}: {out}"
        );
    }
}

/// What the gate admits, saphyr loads without overflowing even a 2 MB stack (the review's
/// workers have 16 MB). Past the gate it would: 700 levels overflow 2 MB, and a stack
/// overflow aborts the whole process.
#[test]
fn saphyr_loads_everything_the_nesting_gate_admits_on_a_small_stack() {
    use saphyr::LoadableYamlNode;
    let half = MAX_DATA_NESTING / 2;
    let docs = vec![
        format!("{}x\n", "- ".repeat(half)),
        (0..MAX_DATA_NESTING)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect::<String>()
            + &" ".repeat(MAX_DATA_NESTING)
            + "x\n",
        format!("{}{}\n", "[".repeat(250), "]".repeat(250)),
        (0..half)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect::<String>()
            + &" ".repeat(half)
            + &"[".repeat(half - 2)
            + &"]".repeat(half - 2)
            + "\n",
    ];
    for d in docs {
        assert!(
            files::nesting_beyond(d.as_bytes(), MAX_DATA_NESTING, true).is_none(),
            "the gate must admit this document"
        );
        let h = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let a = saphyr::MarkedYaml::load_from_str(&d).is_ok();
                let b = saphyr::Yaml::load_from_str(&d).is_ok();
                (a, b)
            })
            .unwrap();
        h.join().expect("saphyr must not panic");
    }
    // And what it refuses, it refuses.
    let deep = format!("{}x\n", "- ".repeat(700));
    assert!(files::nesting_beyond(deep.as_bytes(), MAX_DATA_NESTING, true).is_some());
}

// ---------------------------------------------------------------------------------------
// Long lines, minified and binary files.

#[test]
fn long_lines_minified_and_binary_files() {
    let s = settings();
    // One 1 MB line among 3,000 ordinary ones: not minified on average, so it is parsed.
    let mut long = String::new();
    for i in 0..3000 {
        long.push_str(&format!("x{i} = {i}\n"));
    }
    long.push_str(&format!("BLOB = \"{}\"\n", "a".repeat(1_000_000)));
    long.push_str("requests.get(url)\n");
    let out = review_one(
        "1 MB line inside a 3,000-line Python file",
        "app/long.py",
        long,
        &s,
    );
    assert!(out == Outcome::Analysed || is_budget(&out), "{out}");

    let mut one_line = String::from("var a=");
    while one_line.len() < 1_900_000 {
        one_line.push_str("function(b){return b+1},");
    }
    one_line.push_str("0;");
    let out = review_one(
        "1.9 MB single-line JavaScript",
        "web/app.js",
        one_line.clone(),
        &s,
    );
    assert_eq!(out, Outcome::Skipped("minified".into()));
    let out = review_one("*.min.js bundle", "web/vendor.min.js", "var a=1;\n", &s);
    assert_eq!(out, Outcome::Skipped("minified".into()));
    let out = review_one("*.bundle.js", "web/main.bundle.js", "var a=1;\n", &s);
    assert_eq!(out, Outcome::Skipped("minified".into()));
    // Minified CSS-in-JS / JSON on one line, as YAML: a single long line is fine for
    // data files (it is parsed, not gated).
    let out = review_one(
        "1.9 MB single-line JSON",
        "data/big.json",
        format!("[{}1]", "1,".repeat(950_000)),
        &s,
    );
    assert_eq!(out, Outcome::Analysed);

    // Binary: a NUL in the first 8 KiB.
    let mut bin: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    bin[10] = 0;
    for (case, path) in [
        ("binary named .py", "app/x.py"),
        ("binary named Dockerfile", "Dockerfile"),
        ("binary named .yaml", "k8s/x.yaml"),
        ("binary named package.json", "package.json"),
    ] {
        let out = review_one(case, path, bin.clone(), &s);
        assert_eq!(out, Outcome::Skipped("binary file".into()), "{case}");
    }
    // Binary without a NUL (random high bytes): decoded lossily and parsed as garbage.
    let no_nul: Vec<u8> = bin.iter().map(|b| b | 0x80).collect();
    for (case, path) in [
        ("random bytes without NUL as Go", "svc/x.go"),
        ("random bytes without NUL as TSX", "web/x.tsx"),
        ("random bytes without NUL as YAML", "k8s/r.yaml"),
    ] {
        let out = review_one(case, path, no_nul.clone(), &s);
        assert!(
            out == Outcome::Analysed || matches!(&out, Outcome::Skipped(r) if r == "minified"),
            "{case}: {out}"
        );
    }
    // 2 MB of newlines, and 2 MB of one repeated short line.
    let out = review_one("2 MB of newlines", "app/n.py", "\n".repeat(2_000_000), &s);
    assert!(out == Outcome::Analysed || is_budget(&out), "{out}");
    let out = review_one(
        "2 MB of `requests.get(u)` lines (capped findings)",
        "app/calls.py",
        "import requests\n".to_string() + &"requests.get(u)\n".repeat(120_000),
        &s,
    );
    assert!(is_limited(&out) || is_budget(&out), "{out}");
}

#[test]
fn findings_per_file_are_capped() {
    // Inside a function: one finding per call (at import time a call is two).
    let src = "import requests\ndef f(u):\n".to_string() + &"    requests.get(u)\n".repeat(5_000);
    let r = pagerproof_analyze::review(&MemSource::new([("app/calls.py", src)]), &settings());
    let n = r
        .findings
        .iter()
        .filter(|f| f.path == "app/calls.py")
        .count();
    assert!(
        n <= pagerproof_analyze::review::MAX_FINDINGS_PER_FILE,
        "{n}"
    );
    assert!(
        r.skipped
            .iter()
            .any(|s| s.path == "app/calls.py" && s.reason.contains("of 5000 findings")),
        "{:?}",
        r.skipped
    );
    // The first ones are kept: line 3, the first call, is reported.
    assert!(
        r.findings
            .iter()
            .any(|f| f.path == "app/calls.py" && f.line == Some(3))
    );
}

// ---------------------------------------------------------------------------------------
// Encodings, byte-order marks, line endings, empty files.

const PY_FINDING: &str = "import requests\n\ndef f(u):\n    return requests.get(u)\n";

fn finding_lines(r: &Report, path: &str) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = r
        .findings
        .iter()
        .filter(|f| f.path == path && f.rule == "http-client-without-timeout")
        .map(|f| (f.line.unwrap_or(0), f.column.unwrap_or(0)))
        .collect();
    v.sort();
    v
}

fn review_mem(files: Vec<(&str, Vec<u8>)>) -> Report {
    pagerproof_analyze::review(&MemSource::new(files), &settings())
}

#[test]
fn encodings_boms_and_line_endings() {
    let expected = vec![(4, 12)];
    let check = |case: &str, bytes: Vec<u8>| {
        let t = Instant::now();
        let r = review_mem(vec![("app/client.py", bytes)]);
        let out = outcome(&r, "app/client.py");
        log(case, &out, t.elapsed());
        assert_no_internal_error(case, &r);
        assert_eq!(out, Outcome::Analysed, "{case}");
        assert_eq!(finding_lines(&r, "app/client.py"), expected, "{case}");
    };
    check("UTF-8 (reference)", PY_FINDING.into());
    check(
        "UTF-8 with BOM",
        [b"\xef\xbb\xbf".as_slice(), PY_FINDING.as_bytes()].concat(),
    );
    check(
        "CRLF line endings",
        PY_FINDING.replace('\n', "\r\n").into_bytes(),
    );
    let utf16 = |big: bool| {
        let mut v: Vec<u8> = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in PY_FINDING.encode_utf16() {
            v.extend(if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        v
    };
    check(
        "UTF-16LE with BOM (re-encoded, then analysed)",
        utf16(false),
    );
    check("UTF-16BE with BOM (re-encoded, then analysed)", utf16(true));
    check(
        "Latin-1 comment (invalid UTF-8, decoded lossily)",
        PY_FINDING
            .replace("def f(u):", "def f(u):  # caf\u{1}")
            .into_bytes()
            .into_iter()
            .map(|b| if b == 1 { 0xe9 } else { b })
            .collect(),
    );
    check(
        "invalid UTF-8 inside a string on the flagged line's neighbour",
        PY_FINDING
            .replace("def f(u):", "def f(u):  # \u{feff}")
            .into_bytes()
            .into_iter()
            .chain(b"x = '\xff\xfe\xc3\x28'\n".iter().copied())
            .collect(),
    );

    // UTF-16 without a BOM is full of NULs: binary.
    let mut no_bom = Vec::new();
    for u in PY_FINDING.encode_utf16() {
        no_bom.extend(u.to_le_bytes());
    }
    let r = review_mem(vec![("app/client.py", no_bom)]);
    assert_eq!(
        outcome(&r, "app/client.py"),
        Outcome::Skipped("binary file".into())
    );
    log(
        "UTF-16 without BOM",
        &outcome(&r, "app/client.py"),
        Duration::ZERO,
    );

    // Lone CR (classic Mac): one long line to tree-sitter; analysed, no crash.
    let r = review_mem(vec![(
        "app/client.py",
        PY_FINDING.replace('\n', "\r").into_bytes(),
    )]);
    log(
        "lone CR line endings",
        &outcome(&r, "app/client.py"),
        Duration::ZERO,
    );
    assert_no_internal_error("lone CR", &r);
}

#[test]
fn latin1_lines_keep_positions() {
    // A Latin-1 byte before the finding: lossy decoding keeps one char per byte sequence
    // and the line numbers.
    let bytes = [b"# caf\xe9\n".as_slice(), PY_FINDING.as_bytes()].concat();
    let r = review_mem(vec![("app/client.py", bytes)]);
    assert_eq!(finding_lines(&r, "app/client.py"), vec![(5, 12)]);
}

#[test]
fn empty_and_bom_only_files_of_every_kind() {
    let paths = [
        "a.py",
        "a.go",
        "a.js",
        "a.ts",
        "a.tsx",
        "A.java",
        "Dockerfile",
        "k8s/a.yaml",
        "a.json",
        "package.json",
        "pyproject.toml",
        "go.mod",
        "requirements.txt",
        "README.md",
        ".env",
        "pom.xml",
        "build.gradle",
        "app.properties",
        "schema.sql",
        "package-lock.json",
        "pagerproof.toml",
        "docker-compose.yml",
        ".github/workflows/ci.yml",
        "Chart.yaml",
    ];
    for content in [&b""[..], b"\xef\xbb\xbf", b"\n", b"\r\n", b"   \t  "] {
        let files: Vec<(&str, Vec<u8>)> = paths.iter().map(|p| (*p, content.to_vec())).collect();
        let t = Instant::now();
        let r = review_mem(files);
        assert_no_internal_error("empty files", &r);
        for p in paths {
            let o = outcome(&r, p);
            assert_eq!(o, Outcome::Analysed, "{p} {content:?}");
        }
        log(
            &format!(
                "{} empty/blank files of every kind ({content:?})",
                paths.len()
            ),
            &Outcome::Analysed,
            t.elapsed(),
        );
    }
}

// ---------------------------------------------------------------------------------------
// The file system: files that vanish or lose permission mid-walk, special files,
// symbolic links, weird names.

/// Wraps the real file system and changes the tree between listing and reading, as a
/// concurrent `git checkout` or a cleanup job would.
struct MidWalk<F: Fn() + Sync> {
    inner: FsSource,
    after_list: F,
}

impl<F: Fn() + Sync> Source for MidWalk<F> {
    fn list(&self) -> Listing {
        let l = self.inner.list();
        (self.after_list)();
        l
    }
    fn read(&self, path: &str, limit: u64) -> std::io::Result<Vec<u8>> {
        self.inner.read(path, limit)
    }
    fn root_display(&self) -> String {
        self.inner.root_display()
    }
}

fn write(root: &Path, rel: &str, content: &[u8]) {
    let p = root.join(rel);
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(p, content).unwrap();
}

/// True when permission bits do not stop this process from reading (root, CAP_DAC_*).
fn permissions_do_not_apply(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(".probe");
    std::fs::write(&p, "x").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&p).is_ok();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::remove_file(&p).unwrap();
    readable
}

#[test]
fn files_that_vanish_change_or_lose_permission_mid_walk() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    for f in [
        "a/gone.py",
        "a/locked.py",
        "a/fifo.py",
        "a/link.py",
        "a/dir.py",
        "a/ok.py",
    ] {
        write(&root, f, PY_FINDING.as_bytes());
    }
    let privileged = permissions_do_not_apply(&root);
    let r2 = root.clone();
    let src = MidWalk {
        inner: FsSource::new(&root),
        after_list: move || {
            std::fs::remove_file(r2.join("a/gone.py")).unwrap();
            std::fs::set_permissions(r2.join("a/locked.py"), std::fs::Permissions::from_mode(0o0))
                .unwrap();
            std::fs::remove_file(r2.join("a/fifo.py")).unwrap();
            let ok = std::process::Command::new("mkfifo")
                .arg(r2.join("a/fifo.py"))
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "mkfifo");
            std::fs::remove_file(r2.join("a/link.py")).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", r2.join("a/link.py")).unwrap();
            std::fs::remove_file(r2.join("a/dir.py")).unwrap();
            std::fs::create_dir(r2.join("a/dir.py")).unwrap();
        },
    };
    let t = Instant::now();
    let r = pagerproof_analyze::review(&src, &settings());
    let took = t.elapsed();
    assert!(
        took < SLACK,
        "a named pipe must not block the read: {took:?}"
    );
    assert_no_internal_error("mid-walk", &r);
    let reason = |p: &str| outcome(&r, p);
    for (case, p, want) in [
        ("file deleted after listing", "a/gone.py", "cannot read"),
        (
            "file replaced by a named pipe after listing",
            "a/fifo.py",
            "not a regular file",
        ),
        (
            "file replaced by a symlink to /etc/passwd after listing",
            "a/link.py",
            "symbolic link",
        ),
        (
            "file replaced by a directory after listing",
            "a/dir.py",
            "not a regular file",
        ),
    ] {
        let o = reason(p);
        log(case, &o, took);
        assert!(
            matches!(&o, Outcome::Skipped(r) if r.contains(want)),
            "{case}: {o}"
        );
    }
    let o = reason("a/locked.py");
    if privileged {
        log(
            "file chmod 000 after listing (running as root: permissions do not stop reads, so it is analysed)",
            &o,
            took,
        );
        assert_eq!(o, Outcome::Analysed);
    } else {
        log("file chmod 000 after listing", &o, took);
        assert!(
            matches!(&o, Outcome::Skipped(r) if r.contains("cannot read")),
            "{o}"
        );
    }
    assert_eq!(reason("a/ok.py"), Outcome::Analysed);
    assert!(!r.findings.iter().any(|f| f.path == "a/link.py"));
    std::fs::set_permissions(
        root.join("a/locked.py"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
}

#[test]
fn unreadable_directory_and_special_files_while_listing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "open/a.py", PY_FINDING.as_bytes());
    write(root, "closed/b.py", PY_FINDING.as_bytes());
    write(root, "closed/c.py", PY_FINDING.as_bytes());
    let privileged = permissions_do_not_apply(root);
    std::fs::set_permissions(root.join("closed"), std::fs::Permissions::from_mode(0o0)).unwrap();
    let fifo_ok = std::process::Command::new("mkfifo")
        .arg(root.join("open/pipe.py"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(fifo_ok);
    let t = Instant::now();
    let r = pagerproof_analyze::review(&FsSource::new(root), &settings());
    let took = t.elapsed();
    std::fs::set_permissions(root.join("closed"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_no_internal_error("unreadable dir", &r);
    assert!(took < SLACK);
    assert_eq!(outcome(&r, "open/a.py"), Outcome::Analysed);
    // A named pipe is not a file: not listed, never opened.
    assert_eq!(outcome(&r, "open/pipe.py"), Outcome::Analysed);
    assert!(!r.findings.iter().any(|f| f.path == "open/pipe.py"));
    log(
        "named pipe in the tree (not listed, never opened)",
        &Outcome::Analysed,
        took,
    );
    if privileged {
        log(
            "directory chmod 000 before the walk (running as root: listed and analysed anyway)",
            &outcome(&r, "closed/b.py"),
            took,
        );
    } else {
        let o = outcome(&r, "closed");
        log("directory chmod 000 before the walk", &o, took);
        assert!(
            matches!(&o, Outcome::Skipped(r) if r.contains("cannot list")),
            "{o}"
        );
    }
}

#[test]
fn symlink_loops_and_links_outside_the_root() {
    let outside = tempfile::tempdir().unwrap();
    let secret = "AKIAQ7RZ3OUTSIDE5XWF";
    write(
        outside.path(),
        "creds.py",
        format!("KEY = \"{secret}\"\n").as_bytes(),
    );
    write(outside.path(), "deep/x.py", PY_FINDING.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "app/main.py", PY_FINDING.as_bytes());
    use std::os::unix::fs::symlink;
    symlink("loop_b", root.join("app/loop_a")).unwrap();
    symlink("loop_a", root.join("app/loop_b")).unwrap();
    symlink(".", root.join("app/self")).unwrap();
    symlink("..", root.join("app/parent")).unwrap();
    symlink("/", root.join("app/fs_root")).unwrap();
    symlink("/etc/passwd", root.join("app/passwd.py")).unwrap();
    symlink(outside.path().join("creds.py"), root.join("app/creds.py")).unwrap();
    symlink(outside.path(), root.join("outside_dir")).unwrap();
    symlink("does/not/exist", root.join("app/dangling.py")).unwrap();
    symlink("/dev/zero", root.join("app/zero.py")).unwrap();
    symlink("/dev/stdin", root.join("app/stdin.py")).unwrap();
    let t = Instant::now();
    let r = pagerproof_analyze::review(&FsSource::new(root), &settings());
    let took = t.elapsed();
    assert!(took < SLACK, "{took:?}");
    assert_no_internal_error("symlinks", &r);
    for p in [
        "app/loop_a",
        "app/loop_b",
        "app/self",
        "app/parent",
        "app/fs_root",
        "app/passwd.py",
        "app/creds.py",
        "outside_dir",
        "app/dangling.py",
        "app/zero.py",
        "app/stdin.py",
    ] {
        let o = outcome(&r, p);
        assert_eq!(
            o,
            Outcome::Skipped("symbolic link (not followed)".into()),
            "{p}"
        );
    }
    log(
        "symlink loops, links to /, .., /etc/passwd, /dev/zero, /dev/stdin, outside the root, dangling",
        &Outcome::Skipped("symbolic link (not followed)".into()),
        took,
    );
    assert_eq!(outcome(&r, "app/main.py"), Outcome::Analysed);
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        !json.contains(secret) && !json.contains("AKIAQ7"),
        "content outside the root was read"
    );
    assert!(
        r.findings
            .iter()
            .all(|f| !f.path.starts_with("outside_dir"))
    );
}

#[test]
fn hostile_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "app/\x1b[2Jclear.py", PY_FINDING.as_bytes());
    write(root, "app/new\nline.py", PY_FINDING.as_bytes());
    write(root, "app/\u{202e}yp.evil.py", PY_FINDING.as_bytes());
    write(root, "app/ok \u{e9}t\u{e9}.py", PY_FINDING.as_bytes());
    // Not valid UTF-8.
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"app/caf\xe9.py");
    std::fs::write(root.join(bad), PY_FINDING).unwrap();
    let r = pagerproof_analyze::review(&FsSource::new(root), &settings());
    assert_no_internal_error("names", &r);
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        !json.contains('\u{1b}') && !json.contains("\\u001b"),
        "raw escape in report"
    );
    assert!(!json.contains('\u{202e}'));
    assert!(
        r.skipped
            .iter()
            .any(|s| s.path == "app/\\u{1b}[2Jclear.py" && s.reason.contains("control characters"))
    );
    assert!(
        r.skipped
            .iter()
            .any(|s| s.path.contains("caf") && s.reason.contains("not valid UTF-8"))
    );
    assert_eq!(outcome(&r, "app/ok \u{e9}t\u{e9}.py"), Outcome::Analysed);
    for s in &r.skipped {
        log(
            &format!("file name {:?}", s.path),
            &Outcome::Skipped(s.reason.clone()),
            Duration::ZERO,
        );
    }
}

#[test]
fn terminal_escapes_in_code_never_reach_the_report() {
    let src = "import requests\n\x1b]52;c;ZWNobyBwd25lZA==\x07\nrequests.get(u)  # \x1b[8m hidden \u{202e}\n";
    let r = review_mem(vec![("app/x.py", src.as_bytes().to_vec())]);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "http-client-without-timeout")
        .expect("finding");
    let sn = &f.snippet.as_ref().unwrap().text;
    assert!(
        !sn.contains('\u{1b}') && !sn.contains('\u{7}') && !sn.contains('\u{202e}'),
        "{sn:?}"
    );
    assert!(sn.contains("\\u{1b}]52"), "{sn:?}");
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("\\u001b") && !json.contains("\\u0007"));
}

#[test]
fn sparse_huge_file_is_skipped_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "app/main.py", PY_FINDING.as_bytes());
    let f = std::fs::File::create(root.join("app/huge.py")).unwrap();
    f.set_len(64 * 1024 * 1024 * 1024).unwrap(); // 64 GB, sparse
    let t = Instant::now();
    let r = pagerproof_analyze::review(&FsSource::new(root), &settings());
    let took = t.elapsed();
    let o = outcome(&r, "app/huge.py");
    log("64 GB sparse file", &o, took);
    assert!(
        matches!(&o, Outcome::Skipped(r) if r.contains("larger than")),
        "{o}"
    );
    assert!(took < SLACK);
    // With the size cap lifted the file is read through a bounded reservation; we only
    // check the listing path here (reading 64 GB of zeros is the user's explicit choice).
}

#[test]
fn deep_directory_tree() {
    let dir = tempfile::tempdir().unwrap();
    let mut rel = String::new();
    for _ in 0..1000 {
        rel.push_str("d/");
    }
    write(dir.path(), &format!("{rel}deep.py"), PY_FINDING.as_bytes());
    let t = Instant::now();
    let r = pagerproof_analyze::review(&FsSource::new(dir.path()), &settings());
    let o = outcome(&r, &format!("{rel}deep.py"));
    log("file 1,000 directories deep", &o, t.elapsed());
    assert_eq!(o, Outcome::Analysed);
    assert_eq!(finding_lines(&r, &format!("{rel}deep.py")), vec![(4, 12)]);

    // Past PATH_MAX (4,096 bytes): built with relative steps, as `mkdir -p` cannot.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/main.py", PY_FINDING.as_bytes());
    let seg = "d".repeat(200);
    let script = format!(
        "cd '{}' && for i in $(seq 1 30); do mkdir {seg} && cd -P {seg} || exit 1; done && printf 'import requests\\nrequests.get(u)\\n' > deep.py",
        dir.path().display()
    );
    let ok = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "could not build the deep tree");
    let t = Instant::now();
    let r = pagerproof_analyze::review(&FsSource::new(dir.path()), &settings());
    let took = t.elapsed();
    assert_no_internal_error("path max", &r);
    let deep: Vec<_> = r.skipped.iter().filter(|s| s.path.len() > 4000).collect();
    let o = deep
        .first()
        .map(|s| Outcome::Skipped(s.reason.clone()))
        .unwrap_or(Outcome::Analysed);
    log("file 6,030 bytes deep (past PATH_MAX)", &o, took);
    assert_eq!(finding_lines(&r, "app/main.py"), vec![(4, 12)]);
    // Cleanup with relative steps too (tempdir's removal would hit the same limit).
    let _ = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cd '{}' && for i in $(seq 1 30); do cd -P {seg}; done; rm -f deep.py; for i in $(seq 1 30); do cd -P .. && rmdir {seg}; done",
            dir.path().display()
        ))
        .status();
}

// ---------------------------------------------------------------------------------------
// YAML bombs, multi-document streams, malformed Dockerfiles and manifests.

fn billion_laughs() -> String {
    let mut s = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    s
}

/// Peak resident memory of this process so far, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

#[test]
fn yaml_bombs_and_huge_streams() {
    let s = settings();
    let bomb = billion_laughs();
    let k8s_bomb = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  labels: &l0 {{a: b, c: d, e: f, g: h, i: j, k: l, m: n, o: p, q: r}}\nspec:\n{}  template:\n    spec:\n      containers: *l9\n",
        (1..10)
            .map(|i| format!(
                "  x{i}: &l{i} [*l{p},*l{p},*l{p},*l{p},*l{p},*l{p},*l{p},*l{p},*l{p},*l{p}]\n",
                p = i - 1
            ))
            .collect::<String>()
    );
    let multi = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n".repeat(30_000);
    let many_anchors: String = (0..50_000)
        .map(|i| format!("k{i}: &a{i} v\nr{i}: *a{i}\n"))
        .collect();
    let long_scalar = format!("key: \"{}\"\n", "x".repeat(1_900_000));
    let tabs = "a:\n\tb: c\n\t- d\n".repeat(20_000);
    let helm = "{{- if .Values.x }}\napiVersion: v1\nkind: {{ .Values.kind | default \"Pod\" }}\n{{- end }}\n".repeat(10_000);
    let undefined_alias = "a: *nope\nb: [*x, *y]\n".repeat(10_000);
    let merge_bomb: String = (0..2000)
        .map(|i| format!("m{i}: &m{i}\n  <<: *m{}\n  k{i}: v\n", i.max(1) - 1))
        .collect();
    let before = peak_rss_kib();
    for (case, path, src) in [
        ("YAML billion laughs", "k8s/bomb.yaml", bomb.clone()),
        (
            "YAML billion laughs in a Deployment",
            "deploy/app.yaml",
            k8s_bomb,
        ),
        (
            "YAML billion laughs as docker-compose.yml",
            "docker-compose.yml",
            bomb.clone(),
        ),
        (
            "YAML billion laughs as a GitHub workflow",
            ".github/workflows/ci.yml",
            bomb,
        ),
        (
            "YAML 30,000-document stream (1.6 MB)",
            "k8s/all.yaml",
            multi,
        ),
        (
            "YAML 50,000 anchors and aliases",
            "k8s/anchors.yaml",
            many_anchors,
        ),
        (
            "YAML 2,000 chained merge keys",
            "k8s/merge.yaml",
            merge_bomb,
        ),
        ("YAML 1.9 MB scalar", "k8s/long.yaml", long_scalar),
        ("YAML with tab indentation (invalid)", "k8s/tabs.yaml", tabs),
        ("Helm template (not YAML)", "chart/templates/x.yaml", helm),
        ("YAML undefined aliases", "k8s/undef.yaml", undefined_alias),
    ] {
        let out = review_one(case, path, src, &s);
        assert!(
            out == Outcome::Analysed || matches!(&out, Outcome::Skipped(_)),
            "{case}: {out}"
        );
    }
    let after = peak_rss_kib();
    eprintln!("HOSTILE | YAML cases: process peak RSS {before} KiB -> {after} KiB");
    // A bomb expanded in memory is gigabytes; the whole test process stays far below.
    assert!(after < 1_500_000, "peak RSS {after} KiB");
}

#[test]
fn malformed_dockerfiles_and_manifests() {
    let s = settings();
    let cont: String = "RUN echo a \\\n".repeat(60_000) + "  && true\n";
    let heredoc = "FROM alpine\nRUN <<EOF\necho never closed\n".repeat(1000);
    let nested_arg = format!(
        "FROM {}alpine{}\n",
        "${A:-".repeat(5_000),
        "}".repeat(5_000)
    );
    let cases: Vec<(&str, &str, String)> = vec![
        ("Dockerfile: 60,000 line continuations", "Dockerfile", cont),
        ("Dockerfile: unterminated heredocs", "svc/Dockerfile", heredoc),
        ("Dockerfile: 5,000 nested ${A:-...} in FROM", "a/Dockerfile", nested_arg),
        ("Dockerfile: broken JSON-form CMD", "b/Dockerfile", "FROM x\nCMD [\"a\", \"b\nENTRYPOINT [[[[\nHEALTHCHECK\nUSER\nEXPOSE abc -1 99999999999\n".into()),
        ("Dockerfile: only garbage", "c/Dockerfile", "}{][\x7f\\\\\\\n\\\n\\".repeat(50_000)),
        ("Dockerfile: FROM without image, 10k stages", "d/Dockerfile", "FROM\nFROM AS\nFROM a AS b\nCOPY --from=b\n".repeat(10_000)),
        ("Dockerfile: 1.9 MB RUN line", "e/Dockerfile", format!("FROM a\nRUN {}\n", "x ".repeat(950_000))),
        ("package.json: truncated", "web/package.json", "{\"name\": \"x\", \"scripts\": {\"start\": \"node".into()),
        ("package.json: wrong types", "web2/package.json", "{\"name\": 5, \"scripts\": [1,2], \"dependencies\": \"x\", \"main\": {}}".into()),
        ("package.json: 1.9 MB of keys", "web3/package.json", format!("{{{}\"z\":1}}", (0..80_000).map(|i| format!("\"k{i}\":{i},")).collect::<String>())),
        ("package.json: duplicate keys", "web4/package.json", "{\"scripts\":{\"start\":\"a\"},\"scripts\":{\"start\":\"b\"}}".into()),
        ("pyproject.toml: invalid", "py/pyproject.toml", "[project\nname = \"x\"\n[[[[\n= = =\n".into()),
        ("pyproject.toml: 10k nested arrays", "py2/pyproject.toml", format!("[project]\nx = {}{}\n", "[".repeat(10_000), "]".repeat(10_000))),
        ("pyproject.toml: 10k nested inline tables", "py3/pyproject.toml", format!("[project]\nx = {}1{}\n", "{a=".repeat(10_000), "}".repeat(10_000))),
        ("pyproject.toml: 100k dotted key", "py4/pyproject.toml", format!("{}= 1\n", "a.".repeat(100_000))),
        ("Cargo.toml: wrong types", "rs/Cargo.toml", "package = 5\n[dependencies]\nx = []\n".into()),
        ("go.mod: garbage", "go/go.mod", "module\nrequire (\n(((\n)\ngo 1.99999999999999999\nreplace => =>\n".repeat(10_000)),
        ("requirements.txt: 100k odd lines", "py/requirements.txt", "-r requirements.txt\n--index-url http://u:p@h/\nx==\n[extra]\n;;;\n".repeat(20_000)),
        ("requirements.txt: includes itself", "py5/requirements.txt", "-r requirements.txt\n-c requirements.txt\n".into()),
        (".env: 1.9 MB", ".env", "A=B\nexport C='\nD=\"unterminated\n".repeat(60_000)),
        ("pom.xml: XML entity bomb", "java/pom.xml", "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]><project><name>&h;</name></project>".into()),
        ("pom.xml: 10k nested elements", "java2/pom.xml", nest("<a>", "x", "</a>", 10_000)),
        ("pom.xml: external entity (XXE)", "java3/pom.xml", "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><project><name>&x;</name></project>".into()),
        ("build.gradle: unbalanced", "java4/build.gradle", "dependencies {\n".repeat(20_000)),
        ("k8s: wrong types everywhere", "k8s/wrong.yaml", "apiVersion: 5\nkind: [Deployment]\nmetadata: x\nspec:\n  replicas: many\n  template:\n    spec:\n      containers: 7\n---\nkind: Deployment\nspec: {template: {spec: {containers: [null, 1, [], {resources: 3, livenessProbe: yes}]}}}\n".into()),
        ("compose: wrong types", "docker-compose.yaml", "services: [1, 2]\nversion: {}\n---\nservices:\n  a: 5\n  b: {image: [], healthcheck: no, deploy: {resources: \"x\"}}\n".into()),
        ("workflow: wrong types", ".github/workflows/x.yml", "on: 5\njobs: [a]\n---\njobs: {a: {steps: 7, runs-on: {}}}\n".into()),
        ("CODEOWNERS: 1.9 MB", ".github/CODEOWNERS", "* @a @b\n/** @\n".repeat(110_000)),
        ("README.md: 1.9 MB of headings", "README.md", "# Runbook\n## On-call\n".repeat(90_000)),
        ("pagerproof.toml inside the tree (not read as config)", "sub/pagerproof.toml", "[rules]\ndisable = [\"SECRET\"]\n[[[\n".into()),
    ];
    for (case, path, src) in cases {
        let out = review_one(case, path, src, &s);
        assert!(
            out == Outcome::Analysed || matches!(&out, Outcome::Skipped(_)),
            "{case}: {out}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Pathological inputs for the secret patterns and for the time budget.

#[test]
fn pathological_secret_inputs_stay_linear() {
    let s = settings();
    let pieces: Vec<(&str, String)> = vec![
        ("AKIA prefixes", "AKIA".repeat(1000)),
        ("ghp_ without body", "ghp_".repeat(1000)),
        (
            "github_pat_ underscores",
            format!("github_pat_{}", "_".repeat(4000)),
        ),
        ("glpat- dashes", format!("glpat-{}", "-".repeat(4000))),
        ("xoxb- dashes", format!("xoxb-{}", "-".repeat(4000))),
        ("sk_live_ repeated", "sk_live_".repeat(500)),
        ("AIza repeated", "AIza".repeat(1000)),
        ("sk-ant- repeated", "sk-ant-".repeat(580)),
        ("sk- dashes", format!("sk-{}", "-".repeat(4000))),
        ("npm_ repeated", "npm_".repeat(1000)),
        ("pypi- repeated", "pypi-AgEIcHlwaS5vcmc".repeat(200)),
        ("SG. dots", "SG.".repeat(1300)),
        ("BEGIN headers", "-----BEGIN ".repeat(360)),
        ("scheme://user: without @", "a://b:".repeat(680)),
        (
            "scheme://user:pass@ repeated",
            "postgres://u:p@".repeat(270),
        ),
        (
            "high entropy near miss",
            (0..4000)
                .map(|i| (b'!' + (i * 7 % 90) as u8) as char)
                .collect(),
        ),
    ];
    let mut total = 0usize;
    for (case, v) in &pieces {
        // One literal per line, bound to a sensitive name, repeated to ~400 KB; blank
        // lines keep the average line short (else the file is gated as minified).
        let line = format!("PASSWORD = \"{v}\"\n{}", "\n".repeat(v.len() / 200));
        let n = 400_000 / line.len() + 1;
        let src = line.repeat(n);
        total += src.len();
        let out = review_one(
            &format!("secret regex: {case} x{n}"),
            "app/secrets.py",
            src,
            &s,
        );
        assert!(
            out == Outcome::Analysed || is_limited(&out),
            "{case}: {out}"
        );
    }
    // A private-key-bearing literal lifts the 4 KiB length cap: a 1.9 MB one.
    let big = format!(
        "KEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\n{}-----END RSA PRIVATE KEY-----\"\"\"\n",
        format!("{}\n", "QUJD".repeat(16)).repeat(29_000)
    );
    total += big.len();
    let out = review_one("1.9 MB private-key literal", "app/key.py", big, &s);
    assert_eq!(out, Outcome::Analysed);
    eprintln!("HOSTILE | secret regex corpus: {} KB", total / 1024);
}

/// A rule that costs as much as a pathological one: 20 ms at every call.
struct SlowRule;
/// A rule that panics on every string.
struct PanickyRule;

static TEST_META: pagerproof_analyze::rule::RuleMeta = pagerproof_analyze::rule::RuleMeta {
    id: "test-slow-rule",
    category: "TIMEOUT",
    severity: pagerproof_core::Severity::P2,
    confidence: pagerproof_core::Confidence::Low,
    preview: false,
    languages: &["javascript"],
    summary: "test",
    docs: pagerproof_analyze::rule::Docs {
        what: "",
        scenario: "",
        impact: "",
        detection: "",
        mitigation: "",
        fixes: &[],
        monitoring: "",
    },
    outside_production: pagerproof_analyze::rule::Handling::Keep,
    cases: &[],
};

impl pagerproof_analyze::rule::CodeRule for SlowRule {
    fn meta(&self) -> &'static pagerproof_analyze::rule::RuleMeta {
        &TEST_META
    }
    fn kinds(&self, _: pagerproof_analyze::lang::Family) -> &'static [&'static str] {
        &["call_expression"]
    }
    fn check(&self, _: tree_sitter::Node<'_>, _: &mut pagerproof_analyze::rule::Cx<'_>) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl pagerproof_analyze::rule::CodeRule for PanickyRule {
    fn meta(&self) -> &'static pagerproof_analyze::rule::RuleMeta {
        &TEST_META
    }
    fn kinds(&self, _: pagerproof_analyze::lang::Family) -> &'static [&'static str] {
        &["string"]
    }
    fn check(&self, n: tree_sitter::Node<'_>, cx: &mut pagerproof_analyze::rule::Cx<'_>) {
        let t = cx.text(n);
        let _ = &t[1..t.len() + 1]; // out of bounds: panics
    }
}

#[test]
fn budget_bounds_the_whole_file_analysis_not_just_the_parse() {
    use pagerproof_analyze::engine::Engine;
    use pagerproof_analyze::lang::Lang;
    // 1,000 calls, each costing a slow rule 20 ms: 20 s unbounded. The parse takes
    // milliseconds; the budget must stop the rules.
    let src = "fetch(u);\n".repeat(1000);
    static SLOW: SlowRule = SlowRule;
    let engine = Engine::new(vec![&SLOW], Vec::new());
    let t = Instant::now();
    let r = engine.analyze(
        "web/a.js",
        Lang::JavaScript,
        files::Role::Production,
        &src,
        Duration::from_millis(300),
    );
    let took = t.elapsed();
    let out = match &r {
        Ok(_) => Outcome::Analysed,
        Err(e) => Outcome::Skipped(e.clone()),
    };
    log(
        "1,000 calls x a 20 ms rule, 300 ms budget (rules, not parse)",
        &out,
        took,
    );
    assert_eq!(
        out,
        Outcome::Skipped("analysis exceeded the per-file budget of 300 ms".into())
    );
    // One rule call past the budget at most.
    assert!(
        took < Duration::from_millis(300 + 20) + SLACK / 6,
        "{took:?}"
    );
}

#[test]
fn a_panicking_rule_skips_the_file_and_names_the_rule() {
    use pagerproof_analyze::engine::Engine;
    use pagerproof_analyze::lang::Lang;
    static PANICKY: PanickyRule = PanickyRule;
    let engine = Engine::new(vec![&PANICKY], Vec::new());
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = engine.analyze(
        "web/a.js",
        Lang::JavaScript,
        files::Role::Production,
        "const a = 'x';\n",
        Duration::from_secs(5),
    );
    std::panic::set_hook(prev);
    let Err(reason) = r else {
        panic!("a panicking rule must skip the file")
    };
    log(
        "a rule that panics",
        &Outcome::Skipped(reason.clone()),
        Duration::ZERO,
    );
    assert!(
        reason.starts_with("internal error in rule test-slow-rule: "),
        "{reason}"
    );
}

#[test]
fn budget_cancels_a_slow_parse() {
    // 1.9 MB of TSX with unclosed tags: error recovery makes the parse itself slow.
    let mut src = String::new();
    while src.len() < 1_900_000 {
        src.push_str("<a b={<c d={(e) => <f>{g}</f>}>\n");
    }
    let s = Settings {
        file_budget_ms: 20,
        ..Settings::default()
    };
    let out = review_one("1.9 MB broken TSX, 20 ms budget", "web/broken.tsx", src, &s);
    assert!(
        matches!(&out, Outcome::Skipped(r) if r == "parse exceeded the per-file budget of 20 ms"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------
// Secrets never leak through excerpts.

#[test]
fn secrets_on_context_lines_and_key_blocks_are_redacted() {
    let key_body: Vec<String> = (0..6)
        .map(|i| format!("MIIEpAIBAAKCAQEA{i}q9Xb2JkZ3Rhc2RmZ2hqa2w7cXdlcnR5dWlvcGFzZGZnaGprbA"))
        .collect();
    let src = format!(
        "import requests\nSTRIPE = \"sk_live_{s1}\"\nrequests.get(u)\nKEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\"\"\"\nx = 1\nLONG = \"{pad}\" + \"ghp_{s2}\"\n",
        s1 = "4eC39HqLyjWDarjtT1zdp7dcZZ",
        body = key_body.join("\n"),
        pad = "y".repeat(270),
        s2 = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0",
    );
    // Secrets in test code are found only by known format; the rule off entirely:
    for disable in [false, true] {
        let mut s = settings();
        if disable {
            s.disabled = vec!["SECRET".into()];
        }
        let r = pagerproof_analyze::review(&MemSource::new([("app/x.py", src.clone())]), &s);
        let json = serde_json::to_string(&r).unwrap();
        for needle in [
            "4eC39HqLyjWDarjtT1zdp7dcZZ",
            "A1b2C3d4E5f6G7h8I9j0",
            "q9Xb2JkZ3Rhc2RmZ2hqa2w7",
        ] {
            assert!(
                !json.contains(needle),
                "rule disabled={disable}: {needle} leaked in {json}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Deterministic output across thread counts.

/// A multi-language repository with many findings: every fixture of every rule, copied
/// into several components.
pub fn fixture_repo() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for m in pagerproof_analyze::registry::all_rules() {
        for (ci, case) in m.cases.iter().enumerate() {
            for (p, src) in case.files {
                if *p == pagerproof_analyze::testing::EXPECT_FILE {
                    continue;
                }
                let (code, _) = pagerproof_analyze::testing::parse_markers(p, src);
                for comp in ["svc-a", "svc-b", "tools/svc-c"] {
                    files.push((format!("{comp}/{}/{ci}/{p}", m.id), code.clone()));
                }
            }
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

#[test]
fn same_json_on_one_and_many_threads() {
    let files = fixture_repo();
    assert!(files.len() > 100);
    let src = MemSource::new(files);
    let run = |threads: usize| {
        let s = Settings {
            threads,
            ..settings()
        };
        let mut r = pagerproof_analyze::review(&src, &s);
        r.stats.elapsed_ms = 0;
        serde_json::to_string_pretty(&r).unwrap()
    };
    let one = run(1);
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    let n = v["findings"].as_array().map(|a| a.len()).unwrap_or(0);
    assert!(n > 50, "the repository should have many findings, got {n}");
    for threads in [2, 4, 8, 1, 3] {
        assert!(one == run(threads), "output differs on {threads} threads");
    }
    eprintln!("HOSTILE | determinism: {n} findings identical on 1, 2, 3, 4, 8 threads");
}

// ---------------------------------------------------------------------------------------
// Fuzzing regressions: every input under tests/fuzz_regressions/ that once crashed a fuzz
// target (named `<target>-<hash>`) is reviewed as that target's file, with its checks.

fn target_path(target: &str) -> Option<&'static str> {
    Some(match target {
        "code_python" => "app/main.py",
        "code_go" => "svc/main.go",
        "code_javascript" => "web/server.js",
        "code_typescript" => "web/server.ts",
        "code_tsx" => "web/App.tsx",
        "code_java" => "src/main/java/a/App.java",
        "yaml" => "deploy/app.yaml",
        "dockerfile" => "svc/Dockerfile",
        "json" => "web/package.json",
        "toml" => "pyproject.toml",
        "text_manifests" => "requirements.txt",
        _ => return None,
    })
}

#[test]
fn fuzzing_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let target = name.rsplit_once('-').map(|(t, _)| t).unwrap_or("");
        let bytes = std::fs::read(&p).unwrap();
        let text = pagerproof_analyze::review::decode(&bytes);
        match target {
            "config" => {
                if let Err(e) = pagerproof_core::Config::parse(&text, "pagerproof.toml") {
                    assert!(!e.to_string().contains('\n'), "{name}: {e}");
                }
            }
            "suppress" => {
                let _ = pagerproof_analyze::suppress::scan(&text);
            }
            "secret_scrub" => {
                let once = pagerproof_analyze::rules::secret::scrub(&text).into_owned();
                let left = pagerproof_analyze::rules::secret::known_secrets_in(&once);
                assert!(left.is_empty(), "{name}: {left:?}");
            }
            t => {
                let path = target_path(t).unwrap_or_else(|| panic!("unknown target in {name}"));
                let out = review_one(
                    &format!("fuzz regression {name}"),
                    path,
                    bytes.clone(),
                    &settings(),
                );
                let r = pagerproof_analyze::review(&MemSource::new([(path, bytes)]), &settings());
                let lines = text.lines().count().max(1) as u32;
                for f in &r.findings {
                    assert!(
                        !f.message.contains('\n') && f.message.chars().count() <= 600,
                        "{name}: {}",
                        f.message
                    );
                    assert!(
                        !f.subject.contains('\n') && f.subject.chars().count() <= 300,
                        "{name}: {}",
                        f.subject
                    );
                    assert!(
                        f.line.is_none_or(|l| l >= 1 && l <= lines + 1),
                        "{name}: {f:?}"
                    );
                }
                let _ = out;
            }
        }
        n += 1;
    }
    assert!(n >= 2);
}

// ---------------------------------------------------------------------------------------
// A repository of 200,000 small files.

/// Writes the 200,000-file repository: 400 components (a package.json, a Dockerfile, a
/// go.mod, a pyproject) with 500 files each, in eight languages and formats, plus one flat
/// folder of 20,000 files.
pub fn write_200k_repo(root: &Path) -> usize {
    let mut n = 0;
    for c in 0..400 {
        let comp = format!("services/svc{c:03}");
        write(
            root,
            &format!("{comp}/package.json"),
            br#"{"name":"x","scripts":{"start":"node index.js"}}"#,
        );
        write(
            root,
            &format!("{comp}/Dockerfile"),
            b"FROM node:20\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
        );
        write(
            root,
            &format!("{comp}/go.mod"),
            b"module example.com/x\n\ngo 1.22\n",
        );
        write(
            root,
            &format!("{comp}/k8s.yaml"),
            b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n",
        );
        n += 4;
        for i in 0..450 {
            let (p, body): (String, String) = match i % 6 {
                0 => (
                    format!("{comp}/src/m{i}.py"),
                    format!(
                        "import requests\ndef f{i}(u):\n    return requests.get(u, timeout=3)\n"
                    ),
                ),
                1 => (
                    format!("{comp}/pkg/m{i}.go"),
                    format!("package pkg\n\nfunc F{i}() int {{ return {i} }}\n"),
                ),
                2 => (
                    format!("{comp}/web/m{i}.js"),
                    format!("export const v{i} = {i};\n"),
                ),
                3 => (
                    format!("{comp}/web/m{i}.ts"),
                    format!("export const v{i}: number = {i};\n"),
                ),
                4 => (
                    format!("{comp}/src/main/java/M{i}.java"),
                    format!("class M{i} {{ int v = {i}; }}\n"),
                ),
                _ => (format!("{comp}/conf/m{i}.yaml"), format!("k{i}: v\n")),
            };
            write(root, &p, body.as_bytes());
            n += 1;
        }
    }
    for i in 0..(200_000 - n) {
        write(
            root,
            &format!("flat/f{i}.py"),
            format!("X{i} = {i}\n").as_bytes(),
        );
    }
    200_000
}

/// Ignored: about 2 minutes in a debug build. Run it in release:
/// `cargo test --release -p pagerproof_analyze --test hostile -- --ignored two_hundred_thousand --nocapture`
/// (set `PAGERPROOF_200K_DIR=/some/dir` to keep the tree for `/usr/bin/time -v pagerproof review`).
#[test]
#[ignore]
fn two_hundred_thousand_files() {
    let keep = std::env::var_os("PAGERPROOF_200K_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let root = keep
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let t = Instant::now();
    if !root.join("flat").exists() {
        write_200k_repo(&root);
    }
    eprintln!("HOSTILE | 200k repository written in {:?}", t.elapsed());
    let before = peak_rss_kib();
    let t = Instant::now();
    let r = pagerproof_analyze::review(&FsSource::new(&root), &Settings::default());
    let took = t.elapsed();
    let after = peak_rss_kib();
    assert_no_internal_error("200k", &r);
    let analysed = r.stats.files;
    eprintln!(
        "HOSTILE | 200,000 files | {analysed} analysed, {} skipped, {} components, {} findings | {} ms | peak RSS {before} -> {after} KiB",
        r.skipped.len(),
        r.components.len(),
        r.findings.len(),
        took.as_millis()
    );
    assert!(analysed >= 199_000, "{analysed}");
    assert!(after < 2_000_000, "peak RSS {after} KiB");
}

#[test]
fn hostile_ignore_files() {
    use std::os::unix::fs::symlink;
    let mkfifo = |p: &Path| {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "mkfifo");
    };
    // Below the root: the folder is not descended, the rest is reviewed.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", b"*.log\nignored.py\n");
    for d in ["ok", "zero", "pipe", "big", "linked"] {
        write(root, &format!("{d}/main.py"), PY_FINDING.as_bytes());
        write(root, &format!("{d}/ignored.py"), PY_FINDING.as_bytes());
    }
    symlink("/dev/zero", root.join("zero/.gitignore")).unwrap();
    mkfifo(&root.join("pipe/.ignore"));
    let mut big = String::new();
    for i in 0..60_000 {
        big.push_str(&format!("gen{i}/**/*.tmp{i}\n"));
    }
    write(root, "big/.gitignore", big.as_bytes());
    symlink("../.gitignore", root.join("linked/.gitignore")).unwrap();
    let t = Instant::now();
    let r = pagerproof_analyze::review(&FsSource::new(root), &settings());
    let took = t.elapsed();
    assert_no_internal_error("ignore files", &r);
    assert!(took < SLACK, "{took:?}");
    for (case, d, want) in [
        (
            ".gitignore linked to /dev/zero in a folder",
            "zero",
            "its .gitignore is not a regular file inside the repository",
        ),
        (
            "named pipe as .ignore in a folder",
            "pipe",
            "its .ignore is not a regular file inside the repository",
        ),
        (
            "2 MB .gitignore (60,000 patterns) in a folder",
            "big",
            "its .gitignore is larger than 256 KB",
        ),
    ] {
        let o = outcome(&r, d);
        log(case, &o, took);
        assert!(
            matches!(&o, Outcome::Skipped(r) if r.contains(want)),
            "{case}: {o}"
        );
    }
    assert_eq!(outcome(&r, "ok/main.py"), Outcome::Analysed);
    assert_eq!(outcome(&r, "linked/main.py"), Outcome::Analysed);
    let listed = |p: &str| r.findings.iter().any(|f| f.path == p);
    assert!(listed("ok/main.py") && !listed("ok/ignored.py"));
    // A link to an ignore file inside the repository is honoured.
    assert!(listed("linked/main.py") && !listed("linked/ignored.py"));
    log(
        ".gitignore linked to another inside the repository (honoured)",
        &Outcome::Analysed,
        took,
    );

    // At the root: ignore files are turned off, everything is reviewed.
    for (case, make) in [
        (".gitignore at the root linked to /dev/zero", 0),
        ("named pipe as .gitignore at the root", 1),
        ("2 MB .gitignore at the root", 2),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "app/main.py", PY_FINDING.as_bytes());
        match make {
            0 => symlink("/dev/zero", root.join(".gitignore")).unwrap(),
            1 => mkfifo(&root.join(".gitignore")),
            _ => write(root, ".gitignore", big.as_bytes()),
        }
        let t = Instant::now();
        let r = pagerproof_analyze::review(&FsSource::new(root), &settings());
        let took = t.elapsed();
        let o = outcome(&r, ".gitignore");
        log(case, &o, took);
        assert!(took < SLACK, "{case}: {took:?}");
        assert!(
            matches!(&o, Outcome::Skipped(r) if r.contains("ignore files are not honoured")),
            "{case}: {o}"
        );
        assert_eq!(finding_lines(&r, "app/main.py"), vec![(4, 12)], "{case}");
    }
}
