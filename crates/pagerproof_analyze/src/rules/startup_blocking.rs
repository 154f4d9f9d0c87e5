//! STARTUP-BLOCKING: `network-call-at-import`: network I/O that runs when a module is
//! imported or a package initialised (Python module level, Go `init()` and package
//! variables, JavaScript top-level `await`, Java static initialisers).

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "network-call-at-import",
    category: "STARTUP-BLOCKING",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Network I/O at import or package initialisation",
    docs: Docs {
        what: "A network call that runs as a side effect of loading code: at Python module level (outside functions \
and outside `if __name__ == \"__main__\"`), in a Go `init()` function or a package-level `var` initialiser, as a \
JavaScript/TypeScript top-level `await`, or in a Java `static` initialiser or static field. Calls counted as network \
I/O: HTTP requests (requests, httpx, urllib, `http.Get`, `fetch`, axios, `HttpClient.send`), database and cache \
connections and pings (`psycopg2.connect`, `pymysql.connect`, `.ping()`, `db.Ping()`, `DriverManager.getConnection`, \
`mongoose.connect`), secret-manager reads (`access_secret_version`, `get_secret_value`, `AccessSecretVersion`), \
vector-store and AlloyDB engines (`AlloyDBEngine.from_instance`), and running an event loop at import \
(`asyncio.run`). Client constructors that connect lazily (`redis.Redis()`, `create_engine`, `sql.Open`, \
`MongoClient`) are not reported. Without a timeout the finding is P2; with one it is P3 (the import still depends on \
the network).",
        scenario: "The service starts (a deploy, a scale-out, a crash restart) while the dependency is slow or \
unreachable: a secret manager throttling, a database failing over, DNS not yet ready in a fresh pod.",
        impact: "The process hangs or crashes before it can serve or report health: every replica of a rollout \
crash-loops together, a partial outage of one dependency becomes a total outage of the service, and nothing can \
import the module (tests, CLIs, workers, migrations) without the network.",
        detection: "Pods stuck in CrashLoopBackOff or not becoming ready after a deploy; stack traces at import time \
in the logs; startup time that varies with a dependency's latency.",
        mitigation: "Move I/O into an explicit startup function (an app factory, `main`, a lifespan hook) with a \
timeout and a retry with backoff, and report readiness only when it succeeded; keep imports free of side effects.",
        fixes: &[
            (
                "python",
                "def create_app():\n    secret = client.access_secret_version(request=req, timeout=10)\n    app = Flask(__name__)\n    app.config[\"DB_PASSWORD\"] = secret.payload.data.decode()\n    return app",
            ),
            (
                "go",
                "func main() {\n    ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)\n    defer cancel()\n    if err := db.PingContext(ctx); err != nil {\n        log.Fatalf(\"database not reachable: %v\", err)\n    }\n}",
            ),
            (
                "javascript",
                "async function start() {\n  const config = await fetch(configUrl, { signal: AbortSignal.timeout(5000) }).then((r) => r.json());\n  app.listen(port);\n}\nstart();",
            ),
            (
                "typescript",
                "async function start(): Promise<void> {\n  const config = await fetch(configUrl, { signal: AbortSignal.timeout(5000) }).then((r) => r.json());\n  app.listen(port);\n}\nvoid start();",
            ),
            (
                "java",
                "@Bean\nDataSource dataSource(DataSourceProperties p) {\n    HikariDataSource ds = p.initializeDataSourceBuilder().type(HikariDataSource.class).build();\n    ds.setConnectionTimeout(5_000);\n    return ds; // connects on first use, not while the class loads\n}",
            ),
        ],
        monitoring: "Alert on readiness failures and crash loops right after deploys; record startup duration and \
the time spent waiting on each dependency.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/service.py",
            r#"import asyncio
import os
import redis
import requests
from google.cloud import secretmanager_v1

client = secretmanager_v1.SecretManagerServiceClient()
secret = client.access_secret_version(request={"name": os.environ["SECRET"]})
         ^ `client.access_secret_version` runs at import time
FLAGS = requests.get("https://flags.acme.io/v1/flags").json()
        ^ `requests.get` runs at import time, with no timeout
CONFIG = requests.get("https://flags.acme.io/v1/config", timeout=5).json()
         ^ `requests.get` runs at import time
r = redis.Redis(host=os.environ["REDIS_HOST"])
r.ping()
^ `r.ping` runs at import time

def handler():
    return requests.get("https://flags.acme.io", timeout=5)

if __name__ == "__main__":
    requests.get("https://flags.acme.io", timeout=5)
"#
        ),
        case!(
            "app/lazy.py",
            "import os\nimport redis\nfrom sqlalchemy import create_engine\n\nengine = create_engine(os.environ[\"DATABASE_URL\"])\ncache = redis.Redis.from_url(os.environ[\"REDIS_URL\"])\n"
        ),
        case!(
            "internal/store/store.go",
            r#"package store

import (
	"database/sql"
	"net/http"
)

var db *sql.DB

func init() {
	var err error
	db, err = sql.Open("postgres", "")
	if err != nil {
		panic(err)
	}
	if err := db.Ping(); err != nil {
	          ^ `db.Ping` runs in `init()`
		panic(err)
	}
	resp, _ := http.Get("https://flags.acme.io")
	           ^ `http.Get` runs in `init()`
	_ = resp
}

func Open() error { return db.Ping() }
"#
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nimport \"database/sql\"\n\nvar db, _ = sql.Open(\"postgres\", \"\")\n\nfunc init() {\n\tdb.SetMaxOpenConns(10)\n}\n"
        ),
        case!(
            "src/flags.mjs",
            r#"const res = await fetch('https://flags.acme.io/v1');
                  ^ `fetch` runs at import time
export const flags = await res.json();
export async function reload() {
  return fetch('https://flags.acme.io/v1', { signal: AbortSignal.timeout(1000) });
}
"#
        ),
        case!(
            "src/ok.ts",
            "export async function load() {\n  return await fetch('https://flags.acme.io/v1');\n}\n"
        ),
        case!(
            "src/main/java/shop/Db.java",
            r#"package shop;

import java.sql.Connection;
import java.sql.DriverManager;

class Db {
    static final Connection CONN;
    static {
        CONN = DriverManager.getConnection(System.getenv("DATABASE_URL"));
               ^ `DriverManager.getConnection` runs while the class loads
    }
    Connection open() throws Exception {
        return DriverManager.getConnection(System.getenv("DATABASE_URL"));
    }
}
"#
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    static final String URL = System.getenv(\"DATABASE_URL\");\n}\n"
        ),
    ],
};

pub struct Rule;
pub static RULE: Rule = Rule;

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call"],
            Family::Go => &["call_expression"],
            Family::Js => &["await_expression"],
            // Visited from the initialiser down, not from every call up.
            Family::Java => &["static_initializer", "field_declaration"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Go => go(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
        }
    }
}

const PY_HTTP: &[&str] = &[
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.head",
    "requests.request",
    "httpx.get",
    "httpx.post",
    "httpx.request",
    "urllib.request.urlopen",
    "urllib2.urlopen",
];

const PY_CONNECT: &[&str] = &[
    "psycopg2.connect",
    "psycopg.connect",
    "pymysql.connect",
    "MySQLdb.connect",
    "mysql.connector.connect",
    "cx_Oracle.connect",
    "oracledb.connect",
    "pyodbc.connect",
    "pymssql.connect",
    "socket.create_connection",
    "asyncio.run",
];

/// Method names that do network I/O whatever the client.
const IO_METHODS: &[&str] = &[
    "access_secret_version",
    "get_secret_value",
    "get_parameter",
    "get_parameters_by_path",
    "from_instance",
    "ping",
    "server_info",
    "run_until_complete",
    "AccessSecretVersion",
    "Ping",
    "PingContext",
];

/// Whether a Python call runs at import time: not in a function, not under
/// `if __name__ == "__main__"` or `if TYPE_CHECKING`.
fn py_module_level(n: Node<'_>, cx: &Cx<'_>) -> bool {
    if syntax::enclosing_function(n, Family::Python).is_some() {
        return false;
    }
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_name() == "if_statement"
            && let Some(c) = p.field("condition")
        {
            let t = cx.text(c);
            if t.contains("__main__") || t.contains("TYPE_CHECKING") {
                return false;
            }
        }
        cur = p.parent();
    }
    true
}

fn python(call: Node<'_>, cx: &mut Cx<'_>) {
    // Cheap test first (walking up to the module is not free): is this an I/O call at all?
    let (w, r) = cx.callee(call);
    let last = syntax::last_segment(&w);
    let is_http = PY_HTTP.contains(&r.as_str());
    let io = is_http
        || PY_CONNECT.contains(&r.as_str())
        || (IO_METHODS.contains(&last) && w.contains('.'));
    if !io {
        return;
    }
    // Alembic's `env.py` and migration files are run as scripts by the migration tool.
    let lower = cx.path.to_ascii_lowercase();
    if lower
        .split('/')
        .any(|d| d == "migrations" || d == "alembic")
        || cx.path.ends_with("__main__.py")
        || crate::files::base_name(cx.path).starts_with("manage")
        || !py_module_level(call, cx)
    {
        return;
    }
    // A script with an entry point but no guard is still a script.
    if r == "asyncio.run" && cx.src.contains("argparse") {
        return;
    }
    let timeout = kwarg(call, cx.src, "timeout").is_some();
    report(call, &w, is_http, timeout, "at import time", cx);
}

fn report(at: Node<'_>, name: &str, http: bool, timeout: bool, when: &str, cx: &mut Cx<'_>) {
    let (msg, sev) = if http && !timeout {
        (
            format!(
                "`{name}` runs {when}, with no timeout: a slow or unreachable dependency blocks startup and every import of this module"
            ),
            Severity::P2,
        )
    } else if timeout {
        (
            format!(
                "`{name}` runs {when}: startup and every import of this module depend on the network, even with a timeout"
            ),
            Severity::P3,
        )
    } else {
        (
            format!(
                "`{name}` runs {when}: a slow or unreachable dependency blocks or crashes startup before the service can report health"
            ),
            Severity::P2,
        )
    };
    cx.hit(&META, at, name.to_string(), msg).severity(sev);
}

/// Go: in `init()` or a package-level `var` initialiser.
fn go(call: Node<'_>, cx: &mut Cx<'_>) {
    let (w0, r0) = cx.callee(call);
    let last0 = syntax::last_segment(&w0);
    if !(r0.starts_with("net/http.")
        || r0.starts_with("net.Dial")
        || r0.ends_with("grpc.Dial")
        || r0.ends_with("grpc.DialContext")
        || IO_METHODS.contains(&last0))
    {
        return;
    }
    let func = syntax::enclosing_function(call, Family::Go);
    let when = match func {
        Some(f) => {
            let is_init = f.kind_name() == "function_declaration"
                && f.field("name").is_some_and(|n| cx.text(n) == "init")
                && syntax::enclosing_function(f, Family::Go).is_none();
            if !is_init {
                return;
            }
            "in `init()`"
        }
        None => {
            if syntax::ancestor(call, &["var_declaration"]).is_none() {
                return;
            }
            "while the package initialises"
        }
    };
    let (w, r) = cx.callee(call);
    let last = syntax::last_segment(&w);
    let is_http = matches!(
        r.as_str(),
        "net/http.Get" | "net/http.Post" | "net/http.Head" | "net/http.PostForm"
    ) || r.starts_with("net/http.DefaultClient.");
    let dial = matches!(r.as_str(), "net.Dial" | "net.DialTimeout")
        || (r.ends_with("grpc.Dial") || r.ends_with("grpc.DialContext"))
            && cx.text(call).contains("WithBlock");
    if !(is_http || dial || (IO_METHODS.contains(&last) && w.contains('.'))) {
        return;
    }
    let timeout = r == "net.DialTimeout" || last == "PingContext";
    report(call, &w, is_http, timeout, when, cx);
}

/// JavaScript/TypeScript: a top-level `await` of a network call.
fn js(aw: Node<'_>, cx: &mut Cx<'_>) {
    if syntax::enclosing_function(aw, Family::Js).is_some() {
        return;
    }
    let Some(call) = aw
        .named_child(0)
        .filter(|c| c.kind_name() == "call_expression")
    else {
        return;
    };
    let (w, r) = cx.callee(call);
    let last = syntax::last_segment(&w);
    let is_http = w == "fetch"
        || r == "node-fetch"
        || r.starts_with("axios")
        || r.starts_with("got")
        || r == "undici.request"
        || r == "undici.fetch";
    let connect = matches!(last, "connect" | "ping" | "$connect") && w.contains('.');
    if !(is_http || connect || IO_METHODS.contains(&last)) {
        return;
    }
    let timeout = positional_args(call).iter().any(|a| {
        a.kind_name() == "object"
            && syntax::js_object_keys(*a, cx.src)
                .is_some_and(|ks| ks.iter().any(|k| k == "signal" || k == "timeout"))
    });
    report(call, &w, is_http, timeout, "at import time", cx);
}

/// Java: a `static { }` block or a static field initialiser.
fn java(init: Node<'_>, cx: &mut Cx<'_>) {
    if init.kind_name() == "field_declaration"
        && !init
            .named_child(0)
            .filter(|m| m.kind_name() == "modifiers")
            .is_some_and(|m| cx.text(m).contains("static"))
    {
        return;
    }
    let calls: Vec<Node<'_>> = syntax::descendants(init)
        .filter(|d| d.kind_name() == "method_invocation")
        .filter(|d| {
            // Not inside a lambda or an anonymous class: those run later.
            !syntax::ancestor(
                *d,
                &[
                    "lambda_expression",
                    "class_body",
                    "static_initializer",
                    "field_declaration",
                ],
            )
            .is_some_and(|a| a.kind_name() == "lambda_expression" || a.kind_name() == "class_body")
        })
        .collect();
    for call in calls {
        java_call(call, cx);
    }
}

fn java_call(call: Node<'_>, cx: &mut Cx<'_>) {
    let chain = syntax::callee_text(call, cx.src);
    let last = syntax::last_segment(&chain);
    let io = chain == "DriverManager.getConnection"
        || matches!(last, "openStream" | "openConnection" | "send" | "ping")
            && !chain.starts_with("System.")
        || last.starts_with("getFor")
        || last.starts_with("postFor");
    if !io {
        return;
    }
    let name = if chain.len() > 60 {
        last.to_string()
    } else {
        chain.clone()
    };
    report(
        call,
        &name,
        !chain.starts_with("DriverManager"),
        false,
        "while the class loads",
        cx,
    );
}
