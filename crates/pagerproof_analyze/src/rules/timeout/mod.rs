//! TIMEOUT: outbound calls and servers with no finite timeout.

pub mod db_client;
pub mod grpc;
pub mod http_client;
pub mod http_server;
pub mod inference_client;
pub mod llm_client;
pub mod socket_client;

use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::Cx;

/// Browser code (React/Vue/Svelte components, files that touch `window`/`document`): a
/// user's browser bounds its requests, and a service's timeouts are not at stake there.
pub fn js_is_browser_file(cx: &Cx<'_>) -> bool {
    let p = cx.path;
    p.ends_with(".jsx")
        || p.ends_with(".tsx")
        || p.contains("/public/")
        || p.contains("client-only/")
        || cx.imports().has_module("client-only")
        || p.contains("/static/")
        || p.starts_with("public/")
        || p.starts_with("static/")
        || cx.imports().has_module("react")
        || cx.imports().has_module("vue")
        || cx.imports().has_module("svelte")
        || cx.imports().has_module("@angular/core")
        || cx.src.contains("document.getElementById")
        || cx.src.contains("window.location")
}

/// Go context deadlines, traced inside the enclosing functions of a call.
pub mod go_deadline {
    use tree_sitter::Node;

    use super::*;
    use crate::lang::Family;

    /// What a context argument carries.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Ctx {
        /// Derived with `context.WithTimeout`/`WithDeadline` in an enclosing function.
        Deadline,
        /// `context.Background()`/`TODO()`: no deadline, no cancellation.
        Background,
        /// Handed in by the caller (a parameter, `r.Context()`); nothing here adds a deadline.
        Inherited,
    }

    fn is_deadline_call(cx: &Cx<'_>, n: Node<'_>) -> bool {
        if n.kind_name() != "call_expression" {
            return false;
        }
        let (_, r) = cx.callee(n);
        matches!(
            r.as_str(),
            "context.WithTimeout"
                | "context.WithDeadline"
                | "context.WithTimeoutCause"
                | "context.WithDeadlineCause"
        )
    }

    fn is_background(cx: &Cx<'_>, n: Node<'_>) -> bool {
        if n.kind_name() != "call_expression" {
            return false;
        }
        let (_, r) = cx.callee(n);
        matches!(r.as_str(), "context.Background" | "context.TODO")
    }

    /// The names a `WithTimeout`/`WithDeadline` result is bound to in `scope` (excluding `_`).
    fn deadline_names(cx: &Cx<'_>, scope: Node<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for n in syntax::descendants(scope) {
            if !matches!(
                n.kind_name(),
                "short_var_declaration" | "assignment_statement"
            ) {
                continue;
            }
            let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else {
                continue;
            };
            let Some(first_r) = r.named_child(0) else {
                continue;
            };
            if !is_deadline_call(cx, first_r) {
                continue;
            }
            if let Some(first_l) = l.named_child(0) {
                let name = cx.text(first_l);
                if name != "_" {
                    out.push(name.to_string());
                }
            }
        }
        out
    }

    /// For a call whose context comes from the caller (`Ctx::Inherited`): the condition
    /// that keeps its finding, that the context reaches the enclosing named function from a
    /// server entry point, a request or `Background()` with no deadline on the way
    /// (resolved across the package). `None` when the call is in no named function.
    pub fn inherited_without_deadline(
        call: Node<'_>,
        cx: &Cx<'_>,
    ) -> Option<crate::rule::Requirement> {
        let func = crate::extract::go_ctx::enclosing_named(call, cx)?;
        let dir = crate::files::parent_dir(cx.path).to_string();
        Some(crate::rule::Requirement::GoRequestCtxWithoutDeadline { dir, func })
    }

    /// Whether any enclosing function derives a deadline that it keeps (not `_, cancel :=`).
    pub fn function_derives_deadline(node: Node<'_>, cx: &Cx<'_>) -> bool {
        let mut f = syntax::enclosing_function(node, Family::Go);
        while let Some(func) = f {
            if !deadline_names(cx, func).is_empty() {
                return true;
            }
            f = syntax::enclosing_function(func, Family::Go);
        }
        false
    }

    /// Classifies the context passed as `arg` at a call inside some function.
    pub fn classify(arg: Node<'_>, cx: &Cx<'_>) -> Ctx {
        if is_background(cx, arg) {
            return Ctx::Background;
        }
        if is_deadline_call(cx, arg) {
            return Ctx::Deadline;
        }
        if arg.kind_name() == "identifier" {
            let name = cx.text(arg);
            let mut f = syntax::enclosing_function(arg, Family::Go);
            while let Some(func) = f {
                if deadline_names(cx, func).iter().any(|n| n == name) {
                    return Ctx::Deadline;
                }
                // `ctx := context.Background()` inside this function.
                let range = func.byte_range();
                if cx
                    .bindings()
                    .nodes(cx.root, name)
                    .iter()
                    .any(|v| range.contains(&v.start_byte()) && is_background(cx, *v))
                {
                    return Ctx::Background;
                }
                f = syntax::enclosing_function(func, Family::Go);
            }
        }
        Ctx::Inherited
    }
}
