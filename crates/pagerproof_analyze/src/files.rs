//! What a file is (its kind, from its name) and what it is for (its role, from its path),
//! and the content gates that keep generated, minified and binary files out of analysis.
//!
//! Roles only look at the path *inside* the reviewed root: a service reviewed as the root
//! is production code wherever it sits on disk.

use crate::lang::Lang;

/// What a file is, decided from its name alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Code(Lang),
    Dockerfile,
    Yaml,
    Json,
    Toml,
    /// Markdown, reStructuredText, AsciiDoc: documentation read for repository artifacts.
    Doc,
    /// requirements*.txt, go.mod, CODEOWNERS, Procfile, .env and similar line formats.
    Text,
    Xml,
    Properties,
    Sql,
    Gradle,
    /// Lock files and checksum files: only their existence matters, never read.
    Lock,
    /// Machine-learning model weights (`.onnx`, `.safetensors`, `.pt`, ...): only their
    /// size matters (a memory limit below it cannot load them), never read.
    Model,
}

impl FileKind {
    /// Whether analysis needs the content (lock files only need to exist).
    pub fn needs_content(self) -> bool {
        !matches!(self, FileKind::Lock | FileKind::Model)
    }

    pub fn name(self) -> &'static str {
        match self {
            FileKind::Code(l) => l.name(),
            FileKind::Dockerfile => "dockerfile",
            FileKind::Yaml => "yaml",
            FileKind::Json => "json",
            FileKind::Toml => "toml",
            FileKind::Doc => "docs",
            FileKind::Text => "text",
            FileKind::Xml => "xml",
            FileKind::Properties => "properties",
            FileKind::Sql => "sql",
            FileKind::Gradle => "gradle",
            FileKind::Lock => "lockfile",
            FileKind::Model => "model",
        }
    }
}

const LOCK_FILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "bun.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "go.sum",
    "Cargo.lock",
    "gradle.lockfile",
    "composer.lock",
    "Gemfile.lock",
    "packages.lock.json",
    "requirements.lock",
];

/// The file's base name.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The folder of a path (`.` at the root).
pub fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => ".",
    }
}

/// Classifies a path, or `None` when nothing in pagerproof reads that kind of file.
pub fn classify(path: &str) -> Option<FileKind> {
    let name = base_name(path);
    let lower = name.to_ascii_lowercase();
    if LOCK_FILES.contains(&name) || lower.ends_with(".lock") && lower != "flake.lock" {
        return Some(FileKind::Lock);
    }
    // `Dockerfile.prod` is a Dockerfile; `dockerfile.js` (an editor's syntax definition) or
    // `dockerfile.md` is code or a document about Dockerfiles.
    let named_like_docker = lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
        || lower.starts_with("containerfile.");
    let other_format = lower.rsplit_once('.').is_some_and(|(_, e)| {
        Lang::from_path(path).is_some()
            || matches!(
                e,
                "md" | "markdown" | "rst" | "txt" | "json" | "yaml" | "yml" | "toml" | "xml" | "sh"
            )
    });
    if named_like_docker && (!other_format || lower.ends_with(".dockerfile")) {
        return Some(FileKind::Dockerfile);
    }
    if let Some(l) = Lang::from_path(path) {
        return Some(FileKind::Code(l));
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if is_model_file(path, &lower, ext) {
        return Some(FileKind::Model);
    }
    Some(match ext {
        "yaml" | "yml" => FileKind::Yaml,
        "json" => FileKind::Json,
        "toml" => FileKind::Toml,
        "md" | "markdown" | "rst" | "adoc" => FileKind::Doc,
        "xml" => FileKind::Xml,
        "properties" => FileKind::Properties,
        "sql" => FileKind::Sql,
        "gradle" | "kts" => FileKind::Gradle,
        "csproj" | "fsproj" => FileKind::Xml,
        "tf" => FileKind::Text,
        "env" => FileKind::Text,
        "txt" | "in" if lower.starts_with("requirements") || lower.starts_with("constraints") => {
            FileKind::Text
        }
        "txt" if lower.starts_with("readme") || lower.starts_with("runbook") => FileKind::Doc,
        _ => match lower.as_str() {
            "go.mod" | "codeowners" | "owners" | "procfile" | "pipfile" | ".env"
            | "maintainers" | "security" | "jenkinsfile" => FileKind::Text,
            "readme" | "runbook" => FileKind::Doc,
            _ if lower.starts_with(".env.") => FileKind::Text,
            _ => return None,
        },
    })
}

/// Model weight files, by extension (and a few well-known names).
fn is_model_file(path: &str, lower: &str, ext: &str) -> bool {
    let in_model_dir = path
        .to_ascii_lowercase()
        .split('/')
        .any(|d| d == "model" || d == "models" || d == "weights" || d == "checkpoints");
    matches!(
        ext,
        "onnx"
            | "pt"
            | "pth"
            | "safetensors"
            | "gguf"
            | "ckpt"
            | "h5"
            | "keras"
            | "joblib"
            | "tflite"
            | "mlmodel"
    ) || (ext == "pkl" || ext == "bin") && (in_model_dir || lower.contains("model"))
        || lower == "saved_model.pb"
}

/// What a file is for. Findings outside production code are dropped or lowered, per rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Production,
    Test,
    Example,
    /// Developer scripts and tooling (`scripts/`, `hack/`, `tools/`).
    Script,
    Docs,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Production => "production",
            Role::Test => "test",
            Role::Example => "example",
            Role::Script => "script",
            Role::Docs => "docs",
        }
    }
}

/// The role of a file, from its path relative to the reviewed root.
pub fn role_of(path: &str) -> Role {
    let name = base_name(path);
    let lower_name = name.to_ascii_lowercase();
    // JVM source roots: the folders below `src/<set>/<lang>/` are package names
    // (`com/example/demo`), not roles; the source set itself is (`main`, `test`).
    let segs: Vec<&str> = path.split('/').collect();
    let mut dir_end = segs.len().saturating_sub(1);
    if let Some(i) = segs
        .windows(3)
        .position(|w| w[0] == "src" && ["java", "kotlin", "scala", "groovy"].contains(&w[2]))
    {
        if segs[i + 1].to_ascii_lowercase().contains("test") {
            return Role::Test;
        }
        dir_end = dir_end.min(i + 2);
    }
    let dirs: Vec<String> = segs[..dir_end]
        .iter()
        .rev()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let has_dir = |set: &[&str]| dirs.iter().any(|d| set.contains(&d.as_str()));

    // Test files by name, per ecosystem.
    let stem = lower_name.split('.').next().unwrap_or("");
    let test_name = lower_name.ends_with("_test.go")
        || (lower_name.ends_with(".go") && stem.starts_with("test"))
        || (lower_name.ends_with(".py")
            && (stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest"))
        || lower_name.contains(".test.")
        || lower_name.contains(".spec.")
        || lower_name.contains("_spec.")
        || (lower_name.ends_with(".java")
            && (name.ends_with("Test.java")
                || name.ends_with("Tests.java")
                || name.ends_with("IT.java")));
    if test_name
        || has_dir(&[
            "test",
            "tests",
            "__tests__",
            "__test__",
            "testdata",
            "test-data",
            "testing",
            "fixtures",
            "__fixtures__",
            "__mocks__",
            "mocks",
            "mock",
            "fake",
            "fakes",
            "stubs",
            "e2e",
            "spec",
            "specs",
            "testutil",
            "testutils",
            "integration-tests",
            "integration_tests",
            "cypress",
            "playwright",
            "benchmarks",
            "bench",
            "mock",
            "fakes",
        ])
        // A top-level `t/` is the test tree of Perl-style projects (celery).
        || (segs.len() > 1 && segs[0] == "t")
        || dirs.iter().any(|d| {
            // `test-resources`, `test_fixtures`, `api-tests`; `api-spec` (contract-test
            // hooks next to an API description)
            d.starts_with("test-")
                || d.starts_with("test_")
                || d.ends_with("-tests")
                || d.ends_with("_tests")
                || d.ends_with("-spec")
                || d.ends_with("_spec")
                || d.ends_with("-specs")
                || d.ends_with("_specs")
        })
    {
        return Role::Test;
    }
    if lower_name.contains(".stories.")
        || lower_name.contains(".story.")
        || has_dir(&[
            "example",
            "examples",
            "sample",
            "samples",
            "demo",
            "demos",
            "tutorial",
            "tutorials",
            "playground",
        ])
    {
        return Role::Example;
    }
    if has_dir(&["docs", "doc", "documentation", "website"]) {
        return Role::Docs;
    }
    // Hidden folders hold tool configuration and linter fixtures (`.semgrep/`, `.github/`).
    if dirs.iter().any(|d| d.starts_with('.') && d.len() > 1)
        || has_dir(&[
            "scripts", "script", "hack", "tools", "tooling", "devtools", "dev", "contrib", "ci",
        ])
        || lower_name == "setup.py"
        || lower_name == "noxfile.py"
        || lower_name == "fabfile.py"
        || lower_name == "tasks.py" && dirs.is_empty()
    {
        return Role::Script;
    }
    Role::Production
}

/// Content gates: why a file's bytes should not be analysed, if they should not.
pub fn content_skip_reason(path: &str, kind: FileKind, bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Some("binary file".to_string());
    }
    if matches!(kind, FileKind::Yaml | FileKind::Json)
        && let Some(depth) = nesting_beyond(bytes, MAX_DATA_NESTING, kind == FileKind::Yaml)
    {
        return Some(format!(
            "nested deeper than {MAX_DATA_NESTING} levels (at least {depth}): not parsed, to keep the parser's stack bounded"
        ));
    }
    if let FileKind::Code(_) = kind {
        let n = base_name(path);
        if n.contains(".min.") || n.ends_with(".bundle.js") {
            return Some("minified".to_string());
        }
        if is_generated_name(path) {
            return Some("generated code (protobuf/gRPC stub)".to_string());
        }
        if let Some(marker) = generated_marker(head) {
            return Some(format!("generated code (marked \"{marker}\")"));
        }
        if is_minified(path, bytes) {
            return Some("minified".to_string());
        }
    }
    None
}

/// UTF-16 text with a byte-order mark, re-encoded as UTF-8 (invalid units replaced);
/// `None` for anything else.
pub fn utf16_to_utf8(bytes: &[u8]) -> Option<Vec<u8>> {
    let (little, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|c| {
        let pair = [c[0], c[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Some(text.into_bytes())
}

/// Deepest YAML/JSON nesting a reader is handed. saphyr's loader recurses once per level
/// (about 3-5 KB of stack each): 700 levels overflow a 2 MB thread stack, which aborts the
/// process (a stack overflow is not a panic and cannot be caught). Real manifests nest
/// fewer than 30 levels.
pub const MAX_DATA_NESTING: usize = 256;

/// An upper bound on the nesting depth of a YAML (`block` true) or JSON text, if it exceeds
/// `limit`.
///
/// YAML block nesting needs a deeper column per level (or a `- `/`? ` indicator, which also
/// moves the content right), so the column where a line's content starts bounds it; flow
/// collections (`[`, `{`) add their depth. Quotes are not tracked, so brackets inside
/// strings count too: the estimate errs towards skipping, with a reason, never towards a
/// crash.
pub fn nesting_beyond(bytes: &[u8], limit: usize, block: bool) -> Option<usize> {
    let mut flow = 0usize;
    let mut worst = 0usize;
    for line in bytes.split(|&b| b == b'\n') {
        let mut col = 0;
        while col < line.len() {
            match line[col] {
                b' ' | b'\t' => col += 1,
                b'-' | b'?' if matches!(line.get(col + 1), Some(b' ' | b'\t') | None) => col += 1,
                _ => break,
            }
        }
        let base = if block { col } else { 0 };
        worst = worst.max(base + flow);
        for &b in &line[col..] {
            match b {
                b'[' | b'{' => {
                    flow += 1;
                    worst = worst.max(base + flow);
                }
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        if worst > limit {
            return Some(worst);
        }
    }
    None
}

/// Generated-code file names: protobuf and gRPC stubs in every ecosystem.
pub fn is_generated_name(path: &str) -> bool {
    let n = base_name(path);
    n.ends_with(".pb.go")
        || n.ends_with("_pb2.py")
        || n.ends_with("_pb2_grpc.py")
        || n.ends_with("_pb2.pyi")
        || n.ends_with("_pb.js")
        || n.ends_with("_pb.d.ts")
        || n.ends_with("_grpc_pb.js")
        || n.ends_with(".pb.ts")
        || n.ends_with(".pb.gw.go")
        || n.ends_with("_gen.go") && n.starts_with("zz_")
        || path.contains("/genproto/")
        || path.starts_with("genproto/")
}

/// "Code generated ... DO NOT EDIT." (Go's convention) or `@generated` in the first 8 KiB,
/// before the first real code, as tools write them.
fn generated_marker(head: &[u8]) -> Option<&'static str> {
    // Only the comment header counts: a string literal that mentions the marker deep in a
    // file (a code generator's own template) must not hide the generator.
    let text = String::from_utf8_lossy(&head[..head.len().min(2048)]);
    for line in text.lines().take(30) {
        let t = line.trim_start();
        let is_comment =
            t.starts_with("//") || t.starts_with('#') || t.starts_with("/*") || t.starts_with('*');
        if !is_comment {
            continue;
        }
        if t.contains("Code generated") && t.contains("DO NOT EDIT") {
            return Some("Code generated … DO NOT EDIT");
        }
        if t.contains("@generated") {
            return Some("@generated");
        }
        if t.contains("Generated by the protocol buffer compiler") {
            return Some("Generated by the protocol buffer compiler");
        }
        if t.contains("DO NOT EDIT") && (t.contains("generated") || t.contains("Generated")) {
            return Some("generated, DO NOT EDIT");
        }
        // OpenAPI Generator's header: "NOTE: This class is auto generated by OpenAPI
        // Generator (https://openapi-generator.tech). Do not edit the class manually."
        if t.contains("generated by OpenAPI Generator") {
            return Some("generated by OpenAPI Generator");
        }
    }
    java_generated_annotation(&head[..head.len().min(8192)])
}

/// Java's fully qualified `@Generated` annotation on the top-level type, which code
/// generators write (gRPC, Kiota, OpenAPI, MapStruct) and people do not: looked for
/// between the imports and the first type declaration.
fn java_generated_annotation(head: &[u8]) -> Option<&'static str> {
    const ANNOTATIONS: &[&str] = &[
        "@javax.annotation.Generated(",
        "@jakarta.annotation.Generated(",
        "@javax.annotation.processing.Generated(",
    ];
    let text = String::from_utf8_lossy(head);
    for line in text.lines() {
        let t = line.trim_start();
        if ANNOTATIONS.iter().any(|a| t.starts_with(a)) {
            return Some("@Generated");
        }
        let declares_type = !t.starts_with('@')
            && !t.starts_with("//")
            && !t.starts_with('*')
            && !t.starts_with("/*")
            && t.split_whitespace()
                .any(|w| matches!(w, "class" | "interface" | "enum" | "record"));
        if declares_type {
            break;
        }
    }
    None
}

/// Minified JavaScript/CSS: very long lines on average, or a single giant line.
fn is_minified(path: &str, bytes: &[u8]) -> bool {
    let n = base_name(path);
    if n.contains(".min.") || n.ends_with(".bundle.js") {
        return true;
    }
    if bytes.len() < 4096 {
        return false;
    }
    // Indentation is not minification: deeply indented code has long lines of spaces.
    let (mut lines, mut content, mut longest) = (0usize, 0usize, 0usize);
    for l in bytes.split(|&b| b == b'\n') {
        lines += 1;
        longest = longest.max(l.len());
        content += l.len() - l.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    }
    let avg = content / lines.max(1);
    avg > 500 || (longest > 20_000 && lines < 50)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("src/x/Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(classify("Dockerfile.debug"), Some(FileKind::Dockerfile));
        assert_eq!(classify("api.dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(
            classify("vs/basic-languages/dockerfile.js"),
            Some(FileKind::Code(Lang::JavaScript))
        );
        assert_eq!(classify("docs/dockerfile.md"), Some(FileKind::Doc));
        assert_eq!(classify("k8s/app.yaml"), Some(FileKind::Yaml));
        assert_eq!(classify("package-lock.json"), Some(FileKind::Lock));
        assert_eq!(classify("go.sum"), Some(FileKind::Lock));
        assert_eq!(classify("requirements-dev.txt"), Some(FileKind::Text));
        assert_eq!(classify("notes.txt"), None);
        assert_eq!(classify(".github/CODEOWNERS"), Some(FileKind::Text));
        assert_eq!(classify("logo.png"), None);
        assert_eq!(classify("models/clf.joblib"), Some(FileKind::Model));
        assert_eq!(classify("pytorch_model.bin"), Some(FileKind::Model));
        assert_eq!(classify("src/cart/cart.csproj"), Some(FileKind::Xml));
        assert_eq!(classify("Jenkinsfile"), Some(FileKind::Text));
    }

    #[test]
    fn roles() {
        assert_eq!(role_of("src/app/main.go"), Role::Production);
        assert_eq!(role_of("src/app/main_test.go"), Role::Test);
        assert_eq!(role_of("tests/unit/test_api.py"), Role::Test);
        assert_eq!(role_of("t/unit/security/__init__.py"), Role::Test);
        assert_eq!(role_of("t.py"), Role::Production);
        assert_eq!(role_of("src/t/x.py"), Role::Production);
        assert_eq!(role_of("app/test_helpers.py"), Role::Test);
        assert_eq!(role_of("web/src/App.test.tsx"), Role::Test);
        assert_eq!(role_of("svc/src/test/java/a/FooTest.java"), Role::Test);
        assert_eq!(role_of("examples/basic/main.py"), Role::Example);
        assert_eq!(role_of("scripts/release.py"), Role::Script);
        assert_eq!(role_of("docs/conf.py"), Role::Docs);
        assert_eq!(role_of("latest.py"), Role::Production);
        assert_eq!(
            role_of("ledger/src/main/java/com/example/demo/App.java"),
            Role::Production
        );
        assert_eq!(
            role_of("ledger/src/integrationTest/java/com/acme/AppIT.java"),
            Role::Test
        );
        assert_eq!(
            role_of("examples/x/src/main/java/com/acme/App.java"),
            Role::Example
        );
        assert_eq!(role_of("contest/app.py"), Role::Production);
        assert_eq!(
            role_of("drivers/docker/test-resources/Dockerfile"),
            Role::Test
        );
        assert_eq!(role_of(".github/builder/Dockerfile"), Role::Script);
        assert_eq!(
            role_of("svc/src/main/java/com/example/demo/App.java"),
            Role::Production
        );
        assert_eq!(
            role_of("examples/svc/src/main/java/com/example/App.java"),
            Role::Example
        );
        assert_eq!(role_of(".semgrep/rules/requests.py"), Role::Script);
        assert_eq!(role_of("nomad/mock/node.go"), Role::Test);
        assert_eq!(role_of("api-spec/hooks.js"), Role::Test);
        assert_eq!(role_of("svc/contract_specs/hooks.js"), Role::Test);
        assert_eq!(role_of("svc/contract_spec/hooks.js"), Role::Test);
        assert_eq!(role_of("specimen/handler.js"), Role::Production);
        assert_eq!(role_of("inspect/handler.go"), Role::Production);
    }

    #[test]
    fn nesting_bound() {
        let lim = MAX_DATA_NESTING;
        let deep = |n: usize| format!("{}x\n", "- ".repeat(n));
        assert!(nesting_beyond(deep(lim / 2 - 1).as_bytes(), lim, true).is_none());
        assert!(nesting_beyond(deep(lim).as_bytes(), lim, true).is_some());
        let flow = format!("{}{}", "[".repeat(lim + 1), "]".repeat(lim + 1));
        assert!(nesting_beyond(flow.as_bytes(), lim, false).is_some());
        // JSON indentation does not count, YAML indentation does.
        let pretty: String = (0..100)
            .map(|i| format!("{}[\n", " ".repeat(i * 4)))
            .collect();
        assert!(nesting_beyond(pretty.as_bytes(), lim, false).is_none());
        assert!(nesting_beyond(pretty.as_bytes(), lim, true).is_some());
        let k8s = "apiVersion: v1\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          args: [\"a\", {b: [c]}]\n";
        assert!(nesting_beyond(k8s.as_bytes(), lim, true).is_none());
        // Closing brackets bring the depth back down.
        let wide = "[[1]]\n".repeat(10_000);
        assert!(nesting_beyond(wide.as_bytes(), lim, false).is_none());
    }

    #[test]
    fn utf16_with_bom_is_text() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in "é = 1\n".encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(utf16_to_utf8(&le).as_deref(), Some("é = 1\n".as_bytes()));
        assert_eq!(utf16_to_utf8(&be).as_deref(), Some("é = 1\n".as_bytes()));
        assert_eq!(utf16_to_utf8(b"x = 1"), None);
        // A lone surrogate and an odd trailing byte do not panic.
        assert!(utf16_to_utf8(&[0xFF, 0xFE, 0x00, 0xD8, 0x41]).is_some());
    }

    #[test]
    fn indentation_is_not_minification() {
        let deep: String = (0..1500)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect();
        assert_eq!(
            content_skip_reason("a.py", FileKind::Code(Lang::Python), deep.as_bytes()),
            None
        );
    }

    #[test]
    fn generated_and_minified() {
        assert!(
            content_skip_reason(
                "a.go",
                FileKind::Code(Lang::Go),
                b"// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n"
            )
            .is_some()
        );
        assert!(
            content_skip_reason(
                "a.go",
                FileKind::Code(Lang::Go),
                b"package x\nvar s = \"Code generated DO NOT EDIT\"\n"
            )
            .is_none()
        );
        assert!(content_skip_reason("demo_pb2.py", FileKind::Code(Lang::Python), b"x=1").is_some());
        assert!(
            content_skip_reason(
                "src/api/petsApi.ts",
                FileKind::Code(Lang::TypeScript),
                b"/**\n * Pets\n * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech).\n */\nexport class PetsApi {}\n"
            )
            .is_some()
        );
        assert!(
            content_skip_reason(
                "client/PetsClient.java",
                FileKind::Code(Lang::Java),
                b"package a;\n\nimport b.C;\n\n/** Root client. */\n@jakarta.annotation.Generated(\"com.example.gen\")\npublic class PetsClient {}\n"
            )
            .is_some()
        );
        // A hand-written class that mentions the annotation after its declaration.
        assert!(
            content_skip_reason(
                "svc/Gen.java",
                FileKind::Code(Lang::Java),
                b"package a;\n\npublic class Gen {\n  @javax.annotation.Generated(\"x\")\n  void f() {}\n}\n"
            )
            .is_none()
        );
        let min = format!("var a={};", "x".repeat(30_000));
        assert_eq!(
            content_skip_reason("app.js", FileKind::Code(Lang::JavaScript), min.as_bytes())
                .as_deref(),
            Some("minified")
        );
        assert_eq!(
            content_skip_reason("a.bin", FileKind::Json, b"ab\0cd").as_deref(),
            Some("binary file")
        );
    }
}
