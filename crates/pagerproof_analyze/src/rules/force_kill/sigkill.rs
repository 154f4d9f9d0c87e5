//! `forced-kill`: SIGKILL, `Process.Kill`, `destroyForcibly()`, `kill -9` and
//! `Thread.stop()` used without first asking politely (SIGTERM, `terminate()`,
//! `destroy()`, interruption).

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, positional_args, string_value};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "forced-kill",
    category: "FORCE-KILL",
    severity: Severity::P2,
    confidence: Confidence::High,
    // Preview until measured precise on more repositories: its first runs on real code
    // produced only false positives, fixed since, and nothing after the fixes.
    preview: true,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Process or thread killed without a graceful attempt first",
    docs: Docs {
        what: "A hard kill with no graceful attempt in the same function: Python `os.kill(pid, signal.SIGKILL)`/\
`os.killpg(..., SIGKILL)`, `Popen.kill()`; Go `syscall.Kill(pid, syscall.SIGKILL)`, `cmd.Process.Kill()`; Node \
`process.kill(pid, 'SIGKILL')`, `child.kill('SIGKILL')`; Java `destroyForcibly()`, `Thread.stop()`, \
`Runtime.halt()`; and `kill -9`/`pkill -9`/`killall -9` command lines handed to a shell or `exec`. Not reported when \
the same function first sends SIGTERM/SIGINT, calls `terminate()`/`destroy()`/`interrupt()`, or waits with a \
timeout: escalating after a grace period is the right pattern. Nor inside functions whose name says the hard kill \
is their job (`killProcessTree`, `force_stop`, `cleanOrphans`): they are the escalation step of a caller.",
        scenario: "A child process, worker or thread needs to stop: a timeout, a cancelled job, a shutdown.",
        impact: "The target gets no chance to clean up: open transactions and files are left half-written, locks \
and temporary resources leak, in-flight work is lost without a trace, and a killed worker's job is neither finished \
nor released. `Thread.stop()` can leave shared objects in an inconsistent state.",
        detection: "Corrupted or partial output files, stale lock files, orphaned temporary resources and jobs stuck \
'in progress' after kills.",
        mitigation: "Send SIGTERM (or `terminate()`/`destroy()`/interrupt) first, wait with a timeout, and only then \
escalate to SIGKILL; make the target handle SIGTERM.",
        fixes: &[
            (
                "python",
                "proc.terminate()\ntry:\n    proc.wait(timeout=10)\nexcept subprocess.TimeoutExpired:\n    proc.kill()",
            ),
            (
                "go",
                "_ = cmd.Process.Signal(syscall.SIGTERM)\nselect {\ncase <-done:\ncase <-time.After(10 * time.Second):\n    _ = cmd.Process.Kill()\n}",
            ),
            (
                "javascript",
                "child.kill('SIGTERM');\nconst t = setTimeout(() => child.kill('SIGKILL'), 10_000);\nchild.on('exit', () => clearTimeout(t));",
            ),
            (
                "typescript",
                "child.kill('SIGTERM');\nconst t = setTimeout(() => child.kill('SIGKILL'), 10_000);\nchild.on('exit', () => clearTimeout(t));",
            ),
            (
                "java",
                "process.destroy();\nif (!process.waitFor(10, TimeUnit.SECONDS)) {\n    process.destroyForcibly();\n}",
            ),
        ],
        monitoring: "Count forced kills per reason and alert on a rising rate; watch for stale locks and partial \
outputs after them.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/runner.py",
            r#"import os
import signal
import subprocess

def stop(pid):
    os.kill(pid, signal.SIGKILL)
    ^ `os.kill(..., SIGKILL)`

def stop_proc(proc):
    proc.kill()
    ^ `proc.kill()` sends SIGKILL

def stop_gracefully(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()

def nuke(name):
    subprocess.run(["pkill", "-9", name], check=False)
                    ^ `pkill -9`
"#
        ),
        case!(
            "internal/runner/runner.go",
            r#"package runner

import (
	"os/exec"
	"syscall"
	"time"
)

func stop(cmd *exec.Cmd) {
	cmd.Process.Kill()
	^ `cmd.Process.Kill()` sends SIGKILL
}

func stopGracefully(cmd *exec.Cmd, done chan struct{}) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
	}
}

func halt(pid int) {
	syscall.Kill(pid, syscall.SIGKILL)
	^ `syscall.Kill(..., SIGKILL)`
}
"#
        ),
        case!(
            "src/worker.ts",
            r#"import { execSync } from 'child_process';

export function stop(child: ChildProcess) {
  child.kill('SIGKILL');
  ^ `child.kill('SIGKILL')`
}

export function nuke(pid: number) {
  execSync(`kill -9 ${pid}`);
           ^ `kill -9`
}

export function stopGracefully(child: ChildProcess) {
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 10000);
}
"#
        ),
        case!(
            "src/main/java/shop/Runner.java",
            r#"package shop;

class Runner {
    void stop(Process p) {
        p.destroyForcibly();
        ^ `p.destroyForcibly()`
    }

    void stopThread(Thread worker) {
        worker.stop();
        ^ `worker.stop()`
    }

    void stopGracefully(Process p) throws Exception {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}
"#
        ),
        case!(
            "app/ok.py",
            "import subprocess\n\ndef stop(proc):\n    proc.terminate()\n    proc.wait(timeout=5)\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nimport \"syscall\"\n\nfunc stop(pid int) {\n\tsyscall.Kill(pid, syscall.SIGTERM)\n}\n"
        ),
        case!("src/ok.js", "function stop(child) {\n  child.kill();\n}\n"),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    void stop(Server s) { s.stop(); }\n}\n"
        ),
        case!(
            "scripts/cleanup.py",
            "import os, signal\nos.kill(1234, signal.SIGKILL)\n"
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
            Family::Python => &["call", "string"],
            Family::Go => &[
                "call_expression",
                "interpreted_string_literal",
                "raw_string_literal",
            ],
            Family::Js => &["call_expression", "string", "template_string"],
            Family::Java => &["method_invocation", "string_literal"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if syntax::call_kinds(cx.family()).contains(&node.kind_name()) {
            call(node, cx);
        } else {
            shell(node, cx);
        }
    }
}

/// Whether the enclosing function tries a graceful stop (or waits with a timeout) too.
fn graceful_first(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut scopes = Vec::new();
    let mut f = syntax::enclosing_function(n, cx.family());
    while let Some(func) = f {
        // A function whose job is the hard kill (`killProcessTree`, `force_stop`,
        // `cleanOrphans`) is the escalation step; its callers decide when to use it.
        let name = func
            .field("name")
            .map(|x| cx.text(x).to_ascii_lowercase())
            .unwrap_or_default();
        if [
            "kill", "destroy", "force", "orphan", "clean", "reap", "terminat", "abort",
        ]
        .iter()
        .any(|k| name.contains(k))
        {
            return true;
        }
        scopes.push(cx.text(func));
        f = syntax::enclosing_function(func, cx.family());
    }
    scopes.iter().any(|scope| graceful_text(scope))
}

fn graceful_text(scope: &str) -> bool {
    let lower = scope.to_ascii_lowercase();
    // A kill after a timeout already gave the target its chance.
    if lower.contains("timed out") || lower.contains("timeout") {
        return true;
    }
    [
        "SIGTERM",
        "SIGINT",
        "terminate(",
        ".destroy()",
        "interrupt(",
        "os.Interrupt",
        "waitFor(",
        "timeout=",
        "Shutdown(",
        "shutdown(",
        "time.After",
        "setTimeout",
        "SIGQUIT",
        "SIGHUP",
    ]
    .iter()
    .any(|k| scope.contains(k))
}

fn is_sigkill(a: &str) -> bool {
    matches!(
        a.trim(),
        "signal.SIGKILL"
            | "SIGKILL"
            | "9"
            | "syscall.SIGKILL"
            | "unix.SIGKILL"
            | "'SIGKILL'"
            | "\"SIGKILL\""
            | "os.Kill"
            | "signal.Signals.SIGKILL"
    )
}

fn call(call: Node<'_>, cx: &mut Cx<'_>) {
    if call.kind_name() == "method_invocation"
        && !call
            .field("name")
            .is_some_and(|n| matches!(cx.text(n), "destroyForcibly" | "stop" | "halt"))
    {
        return;
    }
    let (w, r) = cx.callee(call);
    let last = syntax::last_segment(&w);
    let recv = syntax::receiver(&w).unwrap_or("");
    let args = positional_args(call);
    let arg_text = |i: usize| args.get(i).map(|a| cx.text(*a)).unwrap_or("");
    let hit: Option<String> = match cx.family() {
        Family::Python => {
            if matches!(r.as_str(), "os.kill" | "os.killpg") && is_sigkill(arg_text(1)) {
                Some(format!("`{r}(..., SIGKILL)`"))
            } else if last == "kill" && args.is_empty() && process_like(recv) {
                Some(format!("`{w}()` sends SIGKILL"))
            } else if r == "ctypes.pythonapi.PyThreadState_SetAsyncExc" {
                Some("`PyThreadState_SetAsyncExc` kills a thread from outside".to_string())
            } else {
                None
            }
        }
        Family::Go => {
            if matches!(r.as_str(), "syscall.Kill" | "golang.org/x/sys/unix.Kill")
                && is_sigkill(arg_text(1))
            {
                Some(format!("`{w}(..., SIGKILL)`"))
            } else if last == "Kill"
                && args.is_empty()
                && (recv.ends_with("Process") || process_like(recv))
            {
                Some(format!("`{w}()` sends SIGKILL"))
            } else if last == "Signal" && is_sigkill(arg_text(0)) && recv.ends_with("Process") {
                Some(format!("`{w}(SIGKILL)`"))
            } else {
                None
            }
        }
        Family::Js => {
            if w == "process.kill" && is_sigkill(arg_text(1)) {
                Some("`process.kill(..., 'SIGKILL')`".to_string())
            } else if last == "kill" && is_sigkill(arg_text(0)) && recv != "process" {
                Some(format!("`{w}('SIGKILL')`"))
            } else {
                None
            }
        }
        Family::Java => {
            if last == "destroyForcibly" {
                Some(format!("`{w}()`"))
            } else if last == "stop"
                && args.is_empty()
                && recv.to_ascii_lowercase().contains("thread")
                || (last == "stop" && args.is_empty() && recv == "worker")
            {
                Some(format!("`{w}()` (Thread.stop)"))
            } else if w == "Runtime.getRuntime().halt" {
                Some("`Runtime.getRuntime().halt()`".to_string())
            } else {
                None
            }
        }
    };
    let Some(what) = hit else { return };
    if graceful_first(call, cx) {
        return;
    }
    cx.hit(
        &META,
        call,
        w.clone(),
        format!("{what} with no graceful stop first: the target cannot clean up, finish or release its work"),
    );
}

fn process_like(recv: &str) -> bool {
    let l = recv.to_ascii_lowercase();
    let last = l.rsplit('.').next().unwrap_or(&l);
    matches!(
        last,
        "proc" | "process" | "p" | "child" | "popen" | "subproc" | "subprocess" | "worker_process"
    ) || last.ends_with("process")
        || last.ends_with("proc")
}

/// `kill -9` command lines in strings handed to a shell or exec.
fn shell(lit: Node<'_>, cx: &mut Cx<'_>) {
    let text = match string_value(lit, cx.src) {
        Some(v) => v.to_string(),
        None => cx.text(lit).to_string(),
    };
    // A list form: ["pkill", "-9", name] -> the first element.
    let own = text.trim_matches(['`', '"', '\'', ' ']);
    let joined = if let Some(p) = lit
        .parent()
        .filter(|p| {
            matches!(
                p.kind_name(),
                "list" | "array" | "argument_list" | "arguments"
            )
        })
        .filter(|_| matches!(own, "kill" | "pkill" | "killall"))
    {
        let mut c = p.walk();
        let parts: Vec<String> = p
            .named_children(&mut c)
            .map(|e| {
                string_value(e, cx.src)
                    .map(str::to_string)
                    .unwrap_or_default()
            })
            .collect();
        if p.named_child(0) != Some(lit) {
            return;
        }
        parts.join(" ")
    } else {
        text
    };
    let j = joined.trim_start_matches(['`', '"', '\'', ' ']);
    let cmd = [
        "kill -9",
        "kill -KILL",
        "kill -s KILL",
        "pkill -9",
        "pkill -KILL",
        "killall -9",
        "killall -KILL",
    ]
    .iter()
    .find(|k| j.starts_with(*k) || j.contains(&format!("; {k}")) || j.contains(&format!("&& {k}")));
    let Some(cmd) = cmd else { return };
    // Only strings that reach a shell or exec call.
    let Some(c) = syntax::ancestor(lit, syntax::call_kinds(cx.family())) else {
        return;
    };
    let (w, _) = cx.callee(c);
    let l = w.to_ascii_lowercase();
    if ![
        "exec",
        "system",
        "run",
        "popen",
        "call",
        "spawn",
        "command",
        "check_output",
        "shell",
    ]
    .iter()
    .any(|k| l.contains(k))
    {
        return;
    }
    if graceful_first(lit, cx) {
        return;
    }
    cx.hit(
        &META,
        lit,
        cmd.to_string(),
        format!("`{cmd}` sends SIGKILL with no graceful stop first: the target cannot clean up, finish or release its work"),
    );
}
