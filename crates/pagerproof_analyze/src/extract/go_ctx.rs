//! Go context flow inside a package: which functions are server entry points (gRPC
//! methods, HTTP handlers) and which calls pass which kind of context to which
//! same-package function. `grpc-call-without-deadline` uses it to follow a `ctx`
//! parameter back to where it came from, the way a reviewer traces it.

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, last_segment};
use crate::rule::{Cx, Extractor};
use crate::rules::timeout::go_deadline::{self, Ctx};
use crate::signals::SignalKind;

pub struct GoCtx;
pub static GO_CTX: GoCtx = GoCtx;

impl Extractor for GoCtx {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "go-context-flow"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Go => &[
                "function_declaration",
                "method_declaration",
                "call_expression",
            ],
            _ => &[],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if node.kind_name() == "call_expression" {
            call(node, cx);
        } else {
            func(node, cx);
        }
    }
}

/// The kind of a Go function: `grpc` (method taking `(ctx context.Context, req *pkg.T)` and
/// returning `(*pkg.U, error)`), `http` (takes an `http.ResponseWriter`), or `other`.
pub fn func_kind(f: Node<'_>, cx: &Cx<'_>) -> &'static str {
    let params = f.field("parameters").map(|p| cx.text(p)).unwrap_or("");
    let result = f.field("result").map(|r| cx.text(r)).unwrap_or("");
    if params.contains("http.ResponseWriter") {
        return "http";
    }
    let compact: String = params.chars().filter(|c| !c.is_whitespace()).collect();
    if f.kind_name() == "method_declaration"
        && compact.contains("context.Context,")
        && compact.matches(',').count() == 1
        && compact.contains('*')
        && result.contains("error")
        && result.contains('*')
    {
        return "grpc";
    }
    "other"
}

fn func(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(name) = node.field("name").map(|n| cx.text(n).to_string()) else {
        return;
    };
    let kind = func_kind(node, cx);
    cx.signal(SignalKind::GoFunc, node, format!("{name}|{kind}"));
}

/// The name of the named function (not literal) enclosing `n`.
pub fn enclosing_named(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let f = syntax::ancestor(n, &["function_declaration", "method_declaration"])?;
    f.field("name").map(|x| cx.text(x).to_string())
}

fn call(node: Node<'_>, cx: &mut Cx<'_>) {
    let args = syntax::positional_args(node);
    let Some(first) = args.first() else { return };
    let t = cx.text(*first);
    let ctxish = t.contains("ctx")
        || t.contains("Ctx")
        || t.ends_with(".Context()")
        || t.starts_with("context.");
    if !ctxish {
        return;
    }
    let (written, _) = cx.callee(node);
    // Calls into other packages are not part of this package's flow.
    if let Some(head) = written.split('.').next()
        && written.contains('.')
        && cx.imports().get(head).is_some()
    {
        return;
    }
    let Some(caller) = enclosing_named(node, cx) else {
        return;
    };
    let status = match go_deadline::classify(*first, cx) {
        Ctx::Deadline => "deadline",
        Ctx::Background => "background",
        Ctx::Inherited if t.ends_with(".Context()") => "request",
        Ctx::Inherited if first.kind_name() == "identifier" => "param",
        Ctx::Inherited => "other",
    };
    let callee = last_segment(&written).to_string();
    cx.signal(
        SignalKind::GoCtxCall,
        node,
        format!("{caller}|{callee}|{status}"),
    );
}
