//! Machine-learning serving: ML-MODEL-LOAD (a model loaded on every request; a model
//! pulled from a hub at run time without a pinned revision) and ML-INPUT (an inference
//! endpoint that accepts input of any size). The helpers that recognise loaders,
//! handlers and inference calls live in `extract/ml.rs`.

pub mod hub_revision;
pub mod input_limits;
pub mod per_request;

use tree_sitter::Node;

use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::Cx;

/// Whether a call inside `func` sits under a guard that makes it run once: `if model is
/// None:`, `if not self.loaded:`, `if key not in cache:`, `model = model or load()`, or is
/// stored into a cache (`cache[key] = load(...)`).
pub fn guarded(cx: &Cx<'_>, call: Node<'_>, func: Node<'_>) -> bool {
    let mut cur = call.parent();
    while let Some(p) = cur {
        if p == func {
            break;
        }
        match p.kind_name() {
            "if_statement" | "elif_clause" | "conditional_expression" => {
                let cond = p
                    .field("condition")
                    .map(|c| cx.text(c))
                    .unwrap_or_else(|| cx.text(p));
                let guards = [
                    "None",
                    "not ",
                    " in ",
                    "hasattr",
                    "getattr",
                    "initialized",
                    "loaded",
                    "cache",
                    "is_ready",
                ];
                if guards.iter().any(|g| cond.contains(g)) {
                    return true;
                }
            }
            "boolean_operator" if cx.text(p).contains(" or ") => return true,
            "assignment"
                if p.field("left")
                    .is_some_and(|l| l.kind_name() == "subscript") =>
            {
                return true;
            }
            _ => {}
        }
        cur = p.parent();
    }
    false
}

/// Whether a function's result is cached (`@lru_cache`, `@cache`, `@cached_property`,
/// Streamlit's `@st.cache_resource`).
pub fn cached(cx: &Cx<'_>, func: Node<'_>) -> bool {
    let Some(dd) = func
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")
    else {
        return false;
    };
    let mut c = dd.walk();
    dd.named_children(&mut c)
        .filter(|d| d.kind_name() == "decorator")
        .any(|d| {
            let t = cx.text(d);
            ["lru_cache", "cache", "cached", "memoize", "singleton"]
                .iter()
                .any(|w| t.contains(w))
        })
}

/// The nearest enclosing `def`.
pub fn enclosing_def<'t>(n: Node<'t>) -> Option<Node<'t>> {
    syntax::ancestor(n, &["function_definition"])
}

/// The name of a `def`.
pub fn def_name<'a>(cx: &Cx<'a>, func: Node<'_>) -> &'a str {
    func.field("name").map(|n| cx.text(n)).unwrap_or("")
}
