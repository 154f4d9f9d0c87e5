//! FORCE-KILL: ending processes and threads the hard way: exiting the whole process from
//! a request handler, SIGKILL and forced destruction without a graceful attempt first,
//! `Thread.stop()`.

pub mod exit_in_handler;
pub mod sigkill;

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::Cx;

/// The request handler enclosing `n`, if any, with a short description for messages.
pub fn enclosing_handler<'a>(n: Node<'a>, cx: &Cx<'_>) -> Option<(Node<'a>, &'static str)> {
    let f = cx.family();
    let mut cur = syntax::enclosing_function(n, f);
    while let Some(func) = cur {
        if let Some(what) = handler_kind(func, cx) {
            return Some((func, what));
        }
        cur = syntax::enclosing_function(func, f);
    }
    None
}

fn params_text(func: Node<'_>, cx: &Cx<'_>) -> String {
    func.field("parameters")
        .or_else(|| func.field("parameter"))
        .map(|p| cx.text(p))
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn handler_kind(func: Node<'_>, cx: &Cx<'_>) -> Option<&'static str> {
    let p = params_text(func, cx);
    match cx.family() {
        Family::Python => {
            if let Some(dec) = func
                .parent()
                .filter(|x| x.kind_name() == "decorated_definition")
            {
                let mut c = dec.walk();
                for d in dec
                    .named_children(&mut c)
                    .filter(|d| d.kind_name() == "decorator")
                {
                    let t = cx.text(d);
                    let route = [
                        ".route(",
                        ".get(",
                        ".post(",
                        ".put(",
                        ".delete(",
                        ".patch(",
                        ".websocket(",
                        "api_view",
                        "@action(",
                    ]
                    .iter()
                    .any(|k| t.contains(k));
                    if route {
                        return Some("an HTTP route handler");
                    }
                }
            }
            let p = p.trim_start_matches('(');
            if p.starts_with("self,request,context") {
                return Some("a gRPC handler");
            }
            if p.starts_with("request,") || p == "request)" || p.starts_with("request:") {
                return Some("a view function");
            }
            None
        }
        Family::Go => {
            if p.contains("http.ResponseWriter") && p.contains("*http.Request") {
                return Some("an HTTP handler");
            }
            if p.contains("*gin.Context") || p.contains("echo.Context") || p.contains("*fiber.Ctx")
            {
                return Some("an HTTP handler");
            }
            // gRPC: a method taking (ctx context.Context, req *pb.XRequest) and returning an error.
            let first = p.trim_start_matches('(').split(',').next().unwrap_or("");
            if func.kind_name() == "method_declaration" && first.ends_with("context.Context") {
                let result = func.field("result").map(|r| cx.text(r)).unwrap_or("");
                let second = p.split(',').nth(1).unwrap_or("").trim_end_matches(')');
                if result.ends_with("error)") && second.ends_with("Request") && second.contains('*')
                {
                    return Some("a gRPC handler");
                }
            }
            None
        }
        Family::Js => {
            let p = p.trim_start_matches('(').trim_end_matches(')');
            let names: Vec<&str> = p
                .split(',')
                .map(|x| x.split(':').next().unwrap_or(x))
                .collect();
            let shape = matches!(
                names.as_slice(),
                ["req", "res", ..]
                    | ["request", "response", ..]
                    | ["request", "reply", ..]
                    | ["ctx", "next"]
                    | ["call", "callback"]
            );
            shape.then_some("a request handler")
        }
        Family::Java => {
            let head = func
                .named_child(0)
                .filter(|m| m.kind_name() == "modifiers")
                .map(|m| cx.text(m))
                .unwrap_or("");
            let mapped = [
                "@GetMapping",
                "@PostMapping",
                "@PutMapping",
                "@DeleteMapping",
                "@PatchMapping",
                "@RequestMapping",
                "@GET",
                "@POST",
                "@PUT",
                "@DELETE",
                "@Path(",
            ]
            .iter()
            .any(|a| head.contains(a));
            if mapped {
                return Some("an HTTP endpoint");
            }
            let name = func.field("name").map(|n| cx.text(n)).unwrap_or("");
            if matches!(name, "doGet" | "doPost" | "doPut" | "doDelete")
                && p.contains("HttpServletRequest")
            {
                return Some("a servlet handler");
            }
            if p.contains("StreamObserver<") {
                return Some("a gRPC handler");
            }
            None
        }
    }
}
