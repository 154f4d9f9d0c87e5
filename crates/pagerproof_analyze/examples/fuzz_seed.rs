//! Writes a starting corpus for every fuzz target (`fuzz/`) from the rules' own fixtures
//! (real code in every language) and a few hand-written manifests:
//! `cargo run -p pagerproof_analyze --example fuzz_seed -- fuzz/corpus`.
//! The corpus folders are not committed (see fuzz/.gitignore).
use std::path::Path;

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new("fuzz").join("corpus"));
    let mut n = 0;
    let mut put = |target: &str, name: &str, bytes: &[u8]| {
        let d = root.join(target);
        std::fs::create_dir_all(&d).expect("corpus folder");
        std::fs::write(d.join(name), bytes).expect("seed file");
        n += 1;
    };
    for m in pagerproof_analyze::registry::all_rules() {
        for (ci, case) in m.cases.iter().enumerate() {
            for (fi, (path, src)) in case.files.iter().enumerate() {
                let (code, _) = pagerproof_analyze::testing::parse_markers(path, src);
                let target = match pagerproof_analyze::files::classify(path) {
                    Some(pagerproof_analyze::files::FileKind::Code(l)) => match l.name() {
                        "python" => "code_python",
                        "go" => "code_go",
                        "javascript" => "code_javascript",
                        "java" => "code_java",
                        _ if path.ends_with(".tsx") => "code_tsx",
                        _ => "code_typescript",
                    },
                    Some(pagerproof_analyze::files::FileKind::Dockerfile) => "dockerfile",
                    Some(pagerproof_analyze::files::FileKind::Yaml) => "yaml",
                    Some(pagerproof_analyze::files::FileKind::Json) => "json",
                    Some(pagerproof_analyze::files::FileKind::Toml) => "toml",
                    Some(_) => "text_manifests",
                    None => continue,
                };
                let name = format!("{}-{ci}-{fi}", m.id);
                put(target, &name, code.as_bytes());
                put("suppress", &name, code.as_bytes());
                put("secret_scrub", &name, code.as_bytes());
            }
        }
    }
    put("yaml", "k8s", b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels: &l {app: api}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: *l}\n    spec:\n      containers:\n        - name: api\n          image: api:1.2\n          resources: {limits: {memory: 256Mi}}\n          livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n---\nkind: Service\n");
    put("yaml", "compose", b"services:\n  web:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n    <<: *defaults\n");
    put("dockerfile", "multi", b"# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nARG X=${Y:-z}\nRUN --mount=type=cache,target=/root/.cache go build -o /app ./...\nRUN <<EOF\necho hi\nEOF\nFROM gcr.io/distroless/base\nCOPY --from=build /app /app\nUSER nonroot\nHEALTHCHECK CMD [\"/app\", \"health\"]\nENTRYPOINT [\"/app\"]\n");
    put("json", "package", br#"{"name":"web","scripts":{"start":"node server.js","test":"jest"},"dependencies":{"express":"^4.19.0"}}"#);
    put("toml", "pyproject", b"[project]\nname = \"x\"\ndependencies = [\"requests>=2\"]\n[project.scripts]\nx = \"x.main:run\"\n");
    put(
        "text_manifests",
        "gomod",
        b"module example.com/x\n\ngo 1.22\n\nrequire (\n\tgoogle.golang.org/grpc v1.64.0\n)\n",
    );
    put(
        "text_manifests",
        "requirements",
        b"requests==2.32.0\n-r base.txt\nflask[async]>=3 ; python_version >= '3.9'\n",
    );
    put("config", "full", b"[review]\nexclude = [\"legacy/**\", \"gen\"]\nmax_file_size = 1000000\nfail_on = \"P1\"\n[rules]\ndisable = [\"DEBUG\"]\nenable = [\"x\"]\n[rules.severity]\nTIMEOUT = \"P2\"\n[[components]]\npath = \"svc\"\nkind = \"service\"\n[suppressions]\nallow_p0 = false\n[llm]\nprovider = \"anthropic\"\n");
    put("suppress", "marker", b"x = 1  # pagerproof: ignore[hardcoded-secret, TIMEOUT] rotated weekly\n// pagerproof: ignore[]\n/* pagerproof: ignore[a] -- b */\n");
    println!("wrote {n} seeds under {}", root.display());
}
