//! `print-logging-in-service`: `print`/`console.log`/`fmt.Println`/`System.out.println`
//! used as logging in service code. One finding per file, at the first call, with the
//! count, so a file full of prints is one thing to fix, not fifty.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::log_context::{Level, log_call};

pub static META: RuleMeta = RuleMeta {
    id: "print-logging-in-service",
    category: "LOG-CONTEXT",
    severity: Severity::P3,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "print/console.log used as logging in service code",
    docs: Docs {
        what: "Output written with `print`, `console.log`/`console.info`, `fmt.Print*`/`println`, \
`System.out.print*` or `printStackTrace()` in service code (not `System.err`, a deliberate fallback, nor lines \
marked `noqa`/`nolint`), reported once per file at the first call with the count. \
A file counts as service code when it serves requests (it imports Flask, FastAPI, Django, gRPC, Express, Fastify, \
Koa, `net/http`, or is a Spring/gRPC component) or when it already has a real logger (logging, structlog, loguru, \
slog, logrus, zap, zerolog, pino, winston, bunyan, SLF4J, Log4j) and prints beside it; in JavaScript, where \
`console` is many services' logging mechanism, only files that also have a real logger. Not reported: command-line \
tools (click, typer, fire, argparse without a server, cobra, urfave/cli, commander, yargs), `main` functions and \
`if __name__ == \"__main__\"` blocks (startup banners), prints under a debug or verbosity flag, \
`print(..., file=sys.stderr)`, browser code, tests, examples and scripts.",
        scenario: "Something goes wrong in production and someone searches the logs for what this code did.",
        impact: "Printed lines have no level, no timestamp in the service's format, no request id and no structure: \
they are dropped by log pipelines that parse JSON, cannot be filtered by severity, cannot be correlated with a request, \
and may be block-buffered and lost when the process is killed.",
        detection: "Incidents where the relevant lines are missing from the log search or cannot be tied to a request; \
stdout lines that the log collector marks as unparsed.",
        mitigation: "Replace the prints with the component's logger at the right level, with the request's context \
as fields.",
        fixes: &[
            (
                "python",
                "log = logging.getLogger(__name__)\nlog.info(\"rag call started\", extra={\"request_id\": rid})",
            ),
            (
                "go",
                "log.WithField(\"status\", res.StatusCode).Debug(\"assistant response received\")",
            ),
            (
                "javascript",
                "const logger = require('pino')();\nlogger.info({ orderId }, 'order placed');",
            ),
            (
                "typescript",
                "import pino from 'pino';\nconst logger = pino();\nlogger.info({ orderId }, 'order placed');",
            ),
            (
                "java",
                "private static final Logger log = LoggerFactory.getLogger(AdService.class);\nlog.info(\"ads requested for {}\", contextKeys);",
            ),
        ],
        monitoring: "Alert on the share of unparsed (non-structured) log lines per service.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/server.py",
            r#"from flask import Flask, request

app = Flask(__name__)

@app.route("/", methods=["POST"])
def talk():
    print("Beginning RAG call")
    ^ 3 `print` calls
    prompt = request.json["message"]
    print(prompt)
    print("done", file=sys.stderr)
    print("end")
    return "ok"

if __name__ == "__main__":
    print("listening on 8080")
    app.run()
"#
        ),
        // Terminal interaction in service code: a confirmation prompt and `--help` text.
        case!(
            "cmd/server/setup.go",
            r#"package main

import (
	"fmt"
	"log"
	"net/http"

	flag "github.com/spf13/pflag"
)

func flags() {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Println(fs.FlagUsages())
	}
}

func confirmReset() bool {
	var answer string
	fmt.Print("reset the database (y/n)? ")
	if _, err := fmt.Scanln(&answer); err != nil {
		log.Printf("read answer: %v", err)
	}
	return answer == "y"
}

func serve() { log.Fatal(http.ListenAndServe(":8080", nil)) }
"#
        ),
        // A Django management command: its output is the command's interface.
        case!(
            "shop/management/commands/reindex.py",
            r#"import logging
from django.core.management.base import BaseCommand

log = logging.getLogger(__name__)

class Command(BaseCommand):
    def handle(self, *args, **options):
        for n, item in enumerate(items()):
            reindex(item)
        print(f"reindexed {n} items")
"#
        ),
        case!(
            "app/cli.py",
            "import click\n\n@click.command()\ndef main():\n    print(\"hello\")\n"
        ),
        case!(
            "app/util.py",
            "def helper(x):\n    print(x)\n    return x\n"
        ),
        case!(
            "frontend/handlers.go",
            r#"package main

import (
	"fmt"
	"net/http"

	"github.com/sirupsen/logrus"
)

func assistant(w http.ResponseWriter, r *http.Request) {
	log := r.Context().Value("log").(logrus.FieldLogger)
	log.Debug("calling assistant")
	fmt.Printf("%+v\n", r.URL)
	^ 2 `fmt.Printf` calls
	fmt.Printf("%+v\n", r.Header)
	fmt.Fprintf(w, "ok")
}
"#
        ),
        case!(
            "cmd/tool/main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello\")\n}\n"
        ),
        case!(
            "src/server.js",
            r#"const express = require('express');
const pino = require('pino');
const logger = pino();
const app = express();
app.post('/charge', (req, res) => {
  console.log('charging');
  ^ 1 `console.log` call
  logger.info('charged');
  res.send('ok');
});
"#
        ),
        case!(
            "src/lib/math.ts",
            "export function add(a: number, b: number) {\n  console.log(a, b);\n  return a + b;\n}\n"
        ),
        case!(
            "src/main/java/shop/AdService.java",
            r#"package shop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class AdService {
    private static final Logger log = LoggerFactory.getLogger(AdService.class);
    void getAds() {
        System.out.println("getting ads");
        ^ 2 `print`-style calls
        try {
            load();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
"#
        ),
        case!(
            "src/main/java/shop/Tool.java",
            "package shop;\nclass Tool {\n    public static void main(String[] args) {\n        System.out.println(\"usage\");\n    }\n}\n"
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
            Family::Python => &["module"],
            Family::Go => &["source_file"],
            Family::Js | Family::Java => &["program"],
        }
    }

    fn check(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        if cx.family() == Family::Js && crate::rules::timeout::js_is_browser_file(cx) {
            return;
        }
        let may_print = match cx.family() {
            Family::Python => cx.src.contains("print("),
            Family::Go => cx.src.contains("fmt.Print") || cx.src.contains("print"),
            Family::Js => cx.src.contains("console."),
            Family::Java => cx.src.contains("System.out") || cx.src.contains("printStackTrace"),
        };
        if !may_print {
            return;
        }
        let (service, logger, cli) = classify(cx);
        if cli || !(service || logger) {
            return;
        }
        // In Node, `console` is the logging mechanism of many services (stdout is
        // collected); only a file that also has a real logger is mixing the two.
        if cx.family() == Family::Js && !logger {
            return;
        }
        let f = cx.family();
        let mut prints: Vec<(Node<'_>, String)> = Vec::new();
        for n in descendants(root) {
            if !syntax::call_kinds(f).contains(&cx.kind(n)) || !maybe_print(n, cx) {
                continue;
            }
            let Some(lc) = log_call(n, cx) else { continue };
            if lc.level != Level::Print
                || in_entry_point(n, cx)
                || debug_gated(n, cx)
                || talks_to_terminal(n, cx)
            {
                continue;
            }
            if f == Family::Python && syntax::kwarg(n, cx.src, "file").is_some() {
                continue;
            }
            if f == Family::Go && lc.name.starts_with("log.") {
                continue; // the standard logger is a logger
            }
            // Deliberate stderr fallbacks and lint-approved prints.
            if lc.name.starts_with("System.err") {
                continue;
            }
            let (line, _) = cx.pos(n);
            let line_text = cx.src.lines().nth(line as usize - 1).unwrap_or("");
            if line_text.contains("noqa")
                || line_text.contains("nolint")
                || line_text.contains("eslint-disable")
            {
                continue;
            }
            prints.push((n, lc.name));
        }
        let Some((first, name)) = prints.first().cloned() else {
            return;
        };
        let count = prints.len();
        let same = prints.iter().all(|(_, n)| *n == name);
        let what = if same {
            format!(
                "{count} `{name}` call{} in this file",
                if count == 1 { "" } else { "s" }
            )
        } else {
            format!("{count} `print`-style calls in this file (`{name}` first)")
        };
        let why = if logger {
            "the file has a logger, but these lines bypass it: no level, timestamp, structure or request context"
        } else {
            "this is service code: printed lines have no level, timestamp, structure or request context"
        };
        cx.hit(&META, first, name.clone(), format!("{what}: {why}"));
    }
}

/// (serves requests, has a real logger, is a command-line tool)
pub fn classify(cx: &Cx<'_>) -> (bool, bool, bool) {
    let imp = cx.imports();
    let has = |ms: &[&str]| ms.iter().any(|m| imp.has_module(m));
    let any_contains = |ms: &[&str]| ms.iter().any(|m| imp.any_module_contains(m));
    match cx.family() {
        Family::Python => {
            let service = has(&[
                "flask",
                "fastapi",
                "django",
                "starlette",
                "grpc",
                "sanic",
                "tornado",
                "bottle",
                "falcon",
                "aiohttp",
                "quart",
                "litestar",
            ]);
            let logger = has(&["logging", "structlog", "loguru"]);
            // Django management commands and migrations are run from a terminal: their
            // output is the command's interface, not the service's log.
            let terminal = cx.path.contains("/management/commands/")
                || cx.path.starts_with("management/commands/")
                || cx.path.contains("/migrations/")
                || cx.path.starts_with("migrations/");
            let cli = has(&["click", "typer", "fire", "docopt"])
                || terminal
                || (has(&["argparse"]) && !service)
                || cx.src.contains("sys.argv") && !service;
            (service, logger, cli)
        }
        Family::Go => {
            let service = has(&["net/http", "google.golang.org/grpc"])
                || any_contains(&[
                    "gin-gonic/gin",
                    "labstack/echo",
                    "gofiber/fiber",
                    "go-chi/chi",
                    "gorilla/mux",
                ]);
            let logger = has(&["log", "log/slog"])
                || any_contains(&[
                    "logrus",
                    "go.uber.org/zap",
                    "zerolog",
                    "klog",
                    "glog",
                    "hclog",
                    "go-kit/log",
                ]);
            let cli = any_contains(&[
                "spf13/cobra",
                "urfave/cli",
                "mitchellh/cli",
                "kingpin",
                "alecthomas/kong",
            ]);
            (service, logger, cli)
        }
        Family::Js => {
            let service = has(&[
                "express",
                "fastify",
                "koa",
                "@hapi/hapi",
                "@grpc/grpc-js",
                "grpc",
                "@nestjs/common",
                "http",
                "https",
            ]) && (cx.src.contains("listen(")
                || cx.src.contains(".get(")
                || cx.src.contains(".post(")
                || cx.src.contains("addService")
                || cx.src.contains("@Controller"));
            let logger = has(&[
                "pino",
                "winston",
                "bunyan",
                "log4js",
                "loglevel",
                "signale",
                "@nestjs/common",
            ]) && cx.src.contains("ogger");
            let cli = has(&["commander", "yargs", "meow", "cac", "inquirer"])
                || (cx.src.contains("process.argv") && !service);
            (service, logger, cli)
        }
        Family::Java => {
            let src = cx.src;
            let service = [
                "@RestController",
                "@Controller",
                "@Service",
                "@Component",
                "@Repository",
                "ImplBase",
                "@Path(",
                "HttpServlet",
            ]
            .iter()
            .any(|a| src.contains(a));
            let logger = has(&[
                "org.slf4j",
                "org.apache.logging.log4j",
                "org.apache.log4j",
                "java.util.logging",
                "org.apache.commons.logging",
            ]) || src.contains("@Slf4j")
                || src.contains("@Log4j");
            (service, logger, false)
        }
    }
}

/// Inside `main`, `if __name__ == "__main__"`, or a Java `static void main`.
fn in_entry_point(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let f = cx.family();
    let mut func = syntax::enclosing_function(n, f);
    while let Some(fun) = func {
        let name = fun.field("name").map(|x| cx.text(x)).unwrap_or("");
        if matches!(name, "main" | "init" | "_main") {
            return true;
        }
        func = syntax::enclosing_function(fun, f);
    }
    if f == Family::Python {
        let mut cur = n.parent();
        while let Some(p) = cur {
            if p.kind_name() == "if_statement"
                && p.field("condition")
                    .is_some_and(|c| cx.text(c).contains("__main__"))
            {
                return true;
            }
            cur = p.parent();
        }
    }
    false
}

/// Output for a person at a terminal: usage text (`--help`), or a prompt in a function
/// that reads the answer from standard input (`fmt.Scan`, `input()`, `readline`).
fn talks_to_terminal(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let call = cx.text(n);
    if call.contains("Usage") || call.contains("PrintDefaults") || call.contains("print_help") {
        return true;
    }
    let f = cx.family();
    let mut func = syntax::enclosing_function(n, f);
    while let Some(fun) = func {
        let body = cx.text(fun);
        if [
            "fmt.Scan",
            "os.Stdin",
            "sys.stdin",
            "= input(",
            "(input(",
            "getpass",
            "System.in",
        ]
        .iter()
        .any(|r| body.contains(r))
        {
            return true;
        }
        func = syntax::enclosing_function(fun, f);
    }
    false
}

/// Inside an `if` on a debug or verbosity flag (`if DEBUG:`, `if verbose {`): opt-in output.
fn debug_gated(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_name() == "if_statement"
            && let Some(c) = p.field("condition")
        {
            let t = cx.text(c).to_ascii_lowercase();
            if t.contains("debug") || t.contains("verbos") || t.contains("trace") {
                return true;
            }
        }
        if syntax::function_kinds(cx.family()).contains(&p.kind_name()) {
            return false;
        }
        cur = p.parent();
    }
    false
}

/// A cheap look at the callee's last name: could this call print?
fn maybe_print(call: Node<'_>, cx: &Cx<'_>) -> bool {
    let last = match call.kind_name() {
        "method_invocation" => call.field("name").map(|n| cx.text(n)),
        _ => call.field("function").map(|f| {
            let t = cx.text(f);
            t.rsplit('.').next().unwrap_or(t)
        }),
    }
    .unwrap_or("");
    last.starts_with("print")
        || last.starts_with("Print")
        || matches!(last, "log" | "info" | "debug" | "trace")
}
