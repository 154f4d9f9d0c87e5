//! Graceful shutdown: SIGTERM handlers (`SignalHandler`, emitted only when SIGTERM is among
//! the signals: `SIGINT`/`KeyboardInterrupt` or `SIGUSR1` alone are not shutdown), drains of
//! in-flight work (`Drain`), and servers that drain on SIGTERM by themselves
//! (`FrameworkShutdown`).
//!
//! - Python: `signal.signal(signal.SIGTERM, h)`, `loop.add_signal_handler(SIGTERM, ...)`;
//!   drains: grpc `server.stop(grace)` with a non-zero grace, `HTTPServer.shutdown()`,
//!   aiohttp `runner.cleanup()`; framework: `uvicorn.run`/`uvicorn.Server`, aiohttp
//!   `web.run_app` (both handle SIGTERM and finish in-flight requests), `gunicorn.conf.py`.
//! - Go: `signal.Notify(ch, ...)`/`signal.NotifyContext(ctx, ...)` with `syscall.SIGTERM` (or
//!   no signal list: every signal); drains: `Shutdown(ctx)` on an `http.Server`, echo or
//!   fiber app (not on tracer/meter providers), `GracefulStop()`.
//! - Node: `process.on('SIGTERM')`; drains: `server.close()`, grpc-js `tryShutdown`,
//!   fastify/Nest `app.close()`, http-terminator, stoppable; both: `@godaddy/terminus`,
//!   `close-with-grace`, lightship, Nest `app.enableShutdownHooks()`.
//! - Java: `Runtime.getRuntime().addShutdownHook(...)` (the JVM runs it on SIGTERM); drains:
//!   grpc `server.shutdown()`, Netty event loops' `shutdownGracefully()` (an executor's
//!   `shutdown()` is not a server drain). Spring Boot's
//!   `server.shutdown=graceful` is read from configuration by the manifest readers.
//!
//! Go, Node and plain Python servers do not drain on SIGTERM by default; gunicorn,
//! uvicorn, aiohttp's `run_app`, Spring Boot with `server.shutdown=graceful` and the .NET
//! Generic Host do.

use tree_sitter::Node;

use super::common::{self, args, call_name, qualified};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Shutdown;
pub static SHUTDOWN: Shutdown = Shutdown;

impl Extractor for Shutdown {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "graceful-shutdown"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call", "expression_statement"],
            Family::Go => &["call_expression"],
            Family::Js => &["call_expression"],
            Family::Java => &["method_invocation"],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Go => go(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
        }
    }
}

/// Whether an expression names SIGTERM (`signal.SIGTERM`, `syscall.SIGTERM`, `'SIGTERM'`,
/// `signal.Signals.SIGTERM`, `unix.SIGTERM`), or is a loop variable over such a list.
fn names_sigterm(cx: &Cx<'_>, n: Node<'_>) -> bool {
    if syntax::descendants(n).any(|d| {
        matches!(
            d.kind_name(),
            "identifier"
                | "field_identifier"
                | "property_identifier"
                | "string_content"
                | "string_fragment"
                | "interpreted_string_literal_content"
        ) && cx.text(d) == "SIGTERM"
    }) {
        return true;
    }
    if n.kind_name() == "identifier" {
        // `for sig in (signal.SIGTERM, signal.SIGINT): loop.add_signal_handler(sig, ...)`.
        let name = cx.text(n);
        let mut cur = n.parent();
        while let Some(p) = cur {
            if matches!(
                p.kind_name(),
                "for_statement" | "for_in_statement" | "for_of_statement"
            ) && p.field("left").is_some_and(|l| cx.text(l) == name)
                && p.field("right")
                    .is_some_and(|r| cx.text(r).contains("SIGTERM"))
            {
                return true;
            }
            cur = p.parent();
        }
        // A name bound to a list of signals.
        return cx
            .bindings()
            .nodes(cx.root, name)
            .iter()
            .any(|v| cx.text(*v).contains("SIGTERM"));
    }
    false
}

// ---------------------------------------------------------------- Python

fn python(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "expression_statement" {
        // `server.should_exit = True` is uvicorn's drain, not ours: nothing to do here.
        return;
    }
    let name = call_name(cx, node);
    if !matches!(
        name,
        "signal"
            | "run"
            | "Server"
            | "run_app"
            | "add_signal_handler"
            | "stop"
            | "cleanup"
            | "shutdown"
    ) {
        return;
    }
    let q = qualified(cx, node).unwrap_or_default();
    let a = args(node);
    match q.as_str() {
        "signal.signal" => {
            if a.first().is_some_and(|s| names_sigterm(cx, *s)) {
                cx.signal(SignalKind::SignalHandler, node, "signal.signal(SIGTERM)");
            }
            return;
        }
        "uvicorn.run" | "uvicorn.Server" => {
            cx.signal(
                SignalKind::FrameworkShutdown,
                node,
                "uvicorn finishes in-flight requests on SIGTERM",
            );
            return;
        }
        "aiohttp.web.run_app" => {
            cx.signal(
                SignalKind::FrameworkShutdown,
                node,
                "aiohttp web.run_app shuts down gracefully on SIGTERM",
            );
            return;
        }
        _ => {}
    }
    match name {
        "add_signal_handler" if a.first().is_some_and(|s| names_sigterm(cx, *s)) => {
            cx.signal(
                SignalKind::SignalHandler,
                node,
                "loop.add_signal_handler(SIGTERM)",
            );
        }
        "stop" => {
            // grpc `server.stop(grace)`: 0 or None cancels in-flight RPCs at once.
            let (written, _) = cx.callee(node);
            let recv = syntax::receiver(&written).unwrap_or("");
            let grpc_server = cx
                .bindings()
                .nodes_for_receiver(cx.root, recv)
                .iter()
                .any(|v| {
                    v.kind_name() == "call"
                        && matches!(
                            qualified(cx, *v).as_deref(),
                            Some("grpc.server" | "grpc.aio.server")
                        )
                })
                || (cx.imports().has_module("grpc")
                    && recv.to_ascii_lowercase().contains("server"));
            let grace = a
                .first()
                .map(|g| cx.text(*g))
                .or_else(|| syntax::kwarg(node, cx.src, "grace").map(|g| cx.text(g)));
            if grpc_server
                && let Some(g) = grace
                && !matches!(g, "0" | "None" | "0.0")
            {
                cx.signal(SignalKind::Drain, node, "grpc server.stop(grace)");
            }
        }
        "cleanup" | "shutdown" => {
            let (written, _) = cx.callee(node);
            let recv = syntax::receiver(&written)
                .unwrap_or("")
                .to_ascii_lowercase();
            if (recv.contains("runner") && cx.imports().has_module("aiohttp"))
                || (name == "shutdown"
                    && recv.contains("server")
                    && (cx.imports().has_module("http.server")
                        || cx.imports().has_module("socketserver")))
            {
                cx.signal(SignalKind::Drain, node, format!("{written}()"));
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- Go

fn go(node: Node<'_>, cx: &mut Cx<'_>) {
    if !matches!(
        call_name(cx, node),
        "Notify"
            | "NotifyContext"
            | "GracefulStop"
            | "Shutdown"
            | "ShutdownWithContext"
            | "ShutdownWithTimeout"
    ) {
        return;
    }
    let (written, resolved) = cx.callee(node);
    let a = args(node);
    match resolved.as_str() {
        "os/signal.Notify" | "os/signal.NotifyContext" => {
            let sigs = &a[1.min(a.len())..];
            let all = sigs.is_empty();
            if all
                || sigs
                    .iter()
                    .any(|s| names_sigterm(cx, *s) || go_shutdown_list(cx, *s))
            {
                let what = if resolved.ends_with("NotifyContext") {
                    "signal.NotifyContext"
                } else {
                    "signal.Notify"
                };
                let detail = if all {
                    format!("{what}(all signals)")
                } else {
                    format!("{what}(SIGTERM)")
                };
                cx.signal(SignalKind::SignalHandler, node, detail);
            }
            return;
        }
        _ => {}
    }
    let name = call_name(cx, node);
    let recv = syntax::receiver(&written).unwrap_or("");
    if recv.is_empty() || cx.imports().get(recv).is_some() {
        return;
    }
    let delay = if go_sleeps_before(cx, node) {
        GO_DELAYED_DRAIN
    } else {
        ""
    };
    match name {
        "GracefulStop" => cx.signal(SignalKind::Drain, node, format!("{written}(){delay}")),
        "Shutdown" | "ShutdownWithContext" | "ShutdownWithTimeout" if go_is_server(cx, recv) => {
            cx.signal(SignalKind::Drain, node, format!("{written}(ctx){delay}"));
        }
        _ => {}
    }
}

/// Suffix of a Go drain's detail when the shutdown path first sleeps: the process keeps
/// serving while the endpoint is removed, like a `preStop` sleep (read by the
/// grace-period check).
pub const GO_DELAYED_DRAIN: &str = " after time.Sleep";

/// Whether the function that drains calls `time.Sleep` before the drain.
fn go_sleeps_before(cx: &Cx<'_>, drain: Node<'_>) -> bool {
    let Some(func) = syntax::enclosing_function(drain, Family::Go) else {
        return false;
    };
    syntax::descendants(func).any(|d| {
        d.kind_name() == "call_expression"
            && d.start_byte() < drain.start_byte()
            && cx.callee(d).1 == "time.Sleep"
    })
}

/// Whether a Go signal argument is a list spread from elsewhere (`shutdownSignals...`): a
/// package-level variable of a sibling file (often split by build tags, `signal_posix.go`)
/// that this file cannot see. Its name says what it holds; reload/user lists do not count.
fn go_shutdown_list(cx: &Cx<'_>, n: Node<'_>) -> bool {
    if n.kind_name() != "variadic_argument" {
        return false;
    }
    let Some(inner) = n.named_child(0) else {
        return false;
    };
    if inner.kind_name() != "identifier" {
        return false;
    }
    let name = cx.text(inner);
    let bound = cx.bindings().nodes(cx.root, name);
    if !bound.is_empty() {
        // Bound in this file: what it holds decides.
        return bound.iter().any(|v| cx.text(*v).contains("SIGTERM"));
    }
    let l = name.to_ascii_lowercase();
    ["shutdown", "term", "stop", "exit", "quit"]
        .iter()
        .any(|w| l.contains(w))
        && !["hup", "reload", "usr"].iter().any(|w| l.contains(w))
}

/// Whether a Go receiver is an HTTP server or framework app (not a tracer provider).
fn go_is_server(cx: &Cx<'_>, recv: &str) -> bool {
    let vals = cx.bindings().nodes_for_receiver(cx.root, recv);
    for v in &vals {
        let t = cx.text(*v);
        if t.contains("http.Server") || t.contains("echo.New") || t.contains("fiber.New") {
            return true;
        }
        if t.contains("Provider") || t.contains("Exporter") || t.contains("otel") {
            return false;
        }
    }
    let lower = recv.to_ascii_lowercase();
    let last = lower.rsplit('.').next().unwrap_or(&lower);
    (last.contains("srv") || last.contains("server") || last == "app" || last == "e")
        && !last.contains("tracer")
        && !last.contains("provider")
}

// ---------------------------------------------------------------- Node

fn js(node: Node<'_>, cx: &mut Cx<'_>) {
    let name = call_name(cx, node);
    let interesting = matches!(
        name,
        "on" | "once"
            | "addListener"
            | "prependListener"
            | "enableShutdownHooks"
            | "tryShutdown"
            | "close"
            | "terminate"
            | "stop"
            | "createTerminus"
            | "createHttpTerminator"
            | "createLightship"
            | "stoppable"
    ) || cx.imports().get(common::head_name(cx, node)).is_some();
    if !interesting {
        return;
    }
    let (written, _) = cx.callee(node);
    let a = args(node);
    if matches!(name, "on" | "once" | "addListener" | "prependListener")
        && written.starts_with("process.")
    {
        if a.first().is_some_and(|s| names_sigterm(cx, *s)) {
            cx.signal(
                SignalKind::SignalHandler,
                node,
                format!("{written}('SIGTERM')"),
            );
        }
        return;
    }
    if let Some(q) = qualified(cx, node) {
        if q.starts_with("@godaddy/terminus.createTerminus")
            || q == "close-with-grace"
            || q.starts_with("lightship.createLightship")
        {
            let lib = q.split('.').next().unwrap_or("");
            cx.signal(
                SignalKind::SignalHandler,
                node,
                format!("{lib} handles SIGTERM"),
            );
            cx.signal(SignalKind::Drain, node, format!("{lib} closes the server"));
            return;
        }
        if q.starts_with("http-terminator.createHttpTerminator") {
            cx.signal(SignalKind::Drain, node, "http-terminator");
            return;
        }
        if q == "stoppable" || q == "stoppable.default" {
            cx.signal(SignalKind::Drain, node, "stoppable server (graceful stop)");
            return;
        }
    }
    let recv = syntax::receiver(&written).unwrap_or("");
    let lower = recv.to_ascii_lowercase();
    let last = lower.rsplit('.').next().unwrap_or(&lower);
    match name {
        "enableShutdownHooks" => {
            cx.signal(
                SignalKind::SignalHandler,
                node,
                "Nest enableShutdownHooks (SIGTERM)",
            );
            cx.signal(SignalKind::Drain, node, "Nest app.close on shutdown");
        }
        "tryShutdown" => cx.signal(SignalKind::Drain, node, format!("{written}()")),
        "close" | "terminate" | "stop" => {
            let serverish = last.contains("server")
                || last == "app"
                || last.contains("fastify")
                || last.contains("terminator")
                || js_bound_to_listen(cx, recv);
            if serverish && !last.contains("db") && !last.contains("client") {
                cx.signal(SignalKind::Drain, node, format!("{written}()"));
            }
        }
        _ => {}
    }
}

fn js_bound_to_listen(cx: &Cx<'_>, recv: &str) -> bool {
    cx.bindings()
        .nodes_for_receiver(cx.root, recv)
        .iter()
        .any(|v| {
            let t = cx.text(*v);
            t.contains(".listen(") || t.contains("createServer(")
        })
}

// ---------------------------------------------------------------- Java

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    let name = call_name(cx, node);
    if !matches!(name, "addShutdownHook" | "shutdown" | "shutdownGracefully") {
        return;
    }
    let (written, _) = cx.callee(node);
    match name {
        "addShutdownHook" if written.contains("Runtime") => {
            cx.signal(
                SignalKind::SignalHandler,
                node,
                "JVM shutdown hook (runs on SIGTERM)",
            );
        }
        // A server's `shutdown()` stops accepting and lets calls finish (`awaitTermination`
        // only waits); an executor's `shutdown()` is not a server drain.
        "shutdown" | "shutdownGracefully" => {
            let recv = syntax::receiver(&written)
                .unwrap_or("")
                .to_ascii_lowercase();
            let last = recv.rsplit('.').next().unwrap_or(&recv);
            let server = (last.contains("server") || last.contains("srv"))
                && (cx.imports().has_module("io.grpc") || cx.imports().has_module("io.netty"))
                || (name == "shutdownGracefully"
                    && (last.contains("boss")
                        || last.contains("worker")
                        || last.contains("group")));
            if server {
                cx.signal(SignalKind::Drain, node, format!("{written}()"));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::*;

    #[test]
    fn go_signals() {
        let s = signals(
            "main.go",
            "package main\nimport (\n\t\"os\"\n\t\"os/signal\"\n\t\"syscall\"\n\t\"net/http\"\n)\nfunc main() {\n\tsigs := make(chan os.Signal, 1)\n\tsignal.Notify(sigs, syscall.SIGUSR1, syscall.SIGUSR2)\n\tsignal.Notify(sigs, os.Interrupt)\n\tctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)\n\tsrv := &http.Server{Addr: \":8080\"}\n\tsrv.Shutdown(ctx)\n\ttp.Shutdown(ctx)\n\tgs.GracefulStop()\n}\n",
        );
        let got: Vec<_> = s
            .iter()
            .filter(|x| matches!(x.0, SignalHandler | Drain))
            .collect();
        assert_eq!(
            got,
            vec![
                &(
                    SignalHandler,
                    12,
                    "signal.NotifyContext(SIGTERM)".to_string()
                ),
                &(Drain, 14, "srv.Shutdown(ctx)".to_string()),
                &(Drain, 16, "gs.GracefulStop()".to_string()),
            ]
        );
    }

    #[test]
    fn go_drain_after_sleep() {
        let s = signals(
            "main.go",
            "package main\nimport (\n\t\"net/http\"\n\t\"time\"\n)\nfunc stop(srv *http.Server, server *http.Server) {\n\tserver.Shutdown(ctx)\n\ttime.Sleep(3 * time.Second)\n\tsrv.Shutdown(ctx)\n}\n",
        );
        let got: Vec<_> = s.iter().filter(|x| x.0 == Drain).collect();
        assert_eq!(
            got,
            vec![
                &(Drain, 7, "server.Shutdown(ctx)".to_string()),
                &(Drain, 9, "srv.Shutdown(ctx) after time.Sleep".to_string()),
            ]
        );
    }

    #[test]
    fn go_signal_list_from_sibling_file() {
        let s = signals(
            "pkg/signals/signal.go",
            "package signals\nimport (\n\t\"os\"\n\t\"os/signal\"\n)\nfunc Setup() {\n\tc := make(chan os.Signal, 2)\n\tsignal.Notify(c, shutdownSignals...)\n\tr := make(chan os.Signal, 1)\n\tsignal.Notify(r, reloadSignals...)\n\tlocal := []os.Signal{os.Interrupt}\n\tsignal.Notify(r, local...)\n}\n",
        );
        let got: Vec<_> = s.iter().filter(|x| x.0 == SignalHandler).collect();
        assert_eq!(
            got,
            vec![&(SignalHandler, 8, "signal.Notify(SIGTERM)".to_string())]
        );
    }

    #[test]
    fn python_signals() {
        let s = signals(
            "server.py",
            "import signal\nimport grpc\nserver = grpc.server(None)\ndef h(*_):\n    server.stop(30)\nsignal.signal(signal.SIGTERM, h)\nsignal.signal(signal.SIGINT, h)\ntry:\n    pass\nexcept KeyboardInterrupt:\n    server.stop(0)\n",
        );
        let got: Vec<_> = s
            .iter()
            .filter(|x| matches!(x.0, SignalHandler | Drain))
            .collect();
        assert_eq!(
            got,
            vec![
                &(SignalHandler, 6, "signal.signal(SIGTERM)".to_string()),
                &(Drain, 5, "grpc server.stop(grace)".to_string()),
            ]
        );
    }

    #[test]
    fn node_and_java_signals() {
        let s = signals(
            "server.js",
            "const http = require('http');\nconst server = app.listen(3000);\nprocess.on('SIGINT', () => {});\nprocess.on('SIGTERM', () => { server.close(() => process.exit(0)); });\n",
        );
        let got: Vec<_> = s
            .iter()
            .filter(|x| matches!(x.0, SignalHandler | Drain))
            .collect();
        assert_eq!(
            got,
            vec![
                &(SignalHandler, 4, "process.on('SIGTERM')".to_string()),
                &(Drain, 4, "server.close()".to_string()),
            ]
        );
        let st = signals(
            "server.ts",
            "import stoppable from 'stoppable';\nconst server = stoppable(app.listen(3000), 10000);\n",
        );
        assert!(
            st.contains(&(Drain, 2, "stoppable server (graceful stop)".into())),
            "{st:?}"
        );
        let j = signals(
            "src/main/java/A.java",
            "import io.grpc.Server;\nclass A {\n  void start() {\n    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop()));\n  }\n  void stop() { server.shutdown(); }\n}\n",
        );
        assert!(j.contains(&(
            SignalHandler,
            4,
            "JVM shutdown hook (runs on SIGTERM)".into()
        )));
        assert!(j.contains(&(Drain, 6, "server.shutdown()".into())));
    }
}
