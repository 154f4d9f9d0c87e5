//! `unbounded-function-cache`: `functools.cache` / `lru_cache(maxsize=None)` on a function
//! that request paths call with request-dependent arguments.

use pagerproof_core::{Confidence, Evidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "unbounded-function-cache",
    category: "UNBOUNDED",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python"],
    summary: "Unbounded memoisation (`functools.cache`, `lru_cache(maxsize=None)`) keyed by request data",
    docs: Docs {
        what: "A function memoised without a size bound — `@functools.cache`, `@cache`, `@lru_cache(maxsize=None)`, \
`@lru_cache(None)` — that a request path of the same file calls with a non-constant argument, so every distinct \
argument value adds an entry that is kept for the life of the process. Functions with no arguments (one entry) \
and caches that are only called with constants are not reported. `@lru_cache()` and `@lru_cache(maxsize=N)` are \
bounded (128 entries by default).",
        scenario: "Clients send many distinct values (ids, search terms, URLs, tokens) over days of uptime.",
        impact: "The cache holds every argument and every result forever: memory grows with the number of distinct \
requests until the worker is OOM-killed. On methods the cache also keeps every `self` alive.",
        detection: "Worker memory that grows steadily with uptime; `fn.cache_info().currsize` keeps increasing.",
        mitigation: "Give the cache a bound (`@lru_cache(maxsize=1024)`) or a TTL (`cachetools.TTLCache`), or cache \
in a shared store with expiry.",
        fixes: &[(
            "python",
            "from functools import lru_cache\n\n@lru_cache(maxsize=1024)  # was: @functools.cache\ndef price_for(sku: str) -> Decimal:\n    ...",
        )],
        monitoring: "Export `cache_info()` hits/misses/currsize as metrics; alert on process memory growth.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "api/views.py",
            r#"import functools
from functools import lru_cache, cache
from fastapi import FastAPI

app = FastAPI()

@functools.lru_cache(maxsize=None)
 ^ `lookup` is memoised with no size bound
def lookup(user_id):
    return db.get(user_id)

@cache
 ^ `render` is memoised with no size bound
def render(template, lang):
    return load(template, lang)

@lru_cache(maxsize=None)
def settings():
    return load_settings()

@lru_cache(maxsize=256)
def bounded(key):
    return key

@cache
def by_region(region):
    return region

@app.get("/users/{user_id}")
def get_user(user_id: str, lang: str = "en"):
    s = settings()
    by_region("eu")
    bounded(user_id)
    return render("user.html", lang), lookup(user_id)
"#
        ),
        case!(
            "api/jobs.py",
            r#"from functools import cache

@cache
def parse(path):
    return open(path).read()

def main():
    for p in ["a", "b"]:
        parse(p)
"#
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
            Family::Python => reach::root_kinds(f),
            _ => &[],
        }
    }

    fn check(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        if !cx.src.contains("cache") {
            return;
        }
        let mut cached = Vec::new();
        for dd in descendants(root).filter(|n| n.kind_name() == "decorated_definition") {
            let Some(def) = dd
                .field("definition")
                .filter(|d| d.kind_name() == "function_definition")
            else {
                continue;
            };
            let mut c = dd.walk();
            for d in dd
                .named_children(&mut c)
                .filter(|d| d.kind_name() == "decorator")
            {
                if unbounded_decorator(d, cx) {
                    cached.push((d, def));
                }
            }
        }
        if cached.is_empty() {
            return;
        }
        let rp = cx.request_paths();
        if rp.is_empty() {
            return;
        }
        for (deco, def) in cached {
            let Some(name) = def.field("name").map(|n| cx.text(n).to_string()) else {
                continue;
            };
            let ps = reach::params(def, cx);
            if ps.iter().all(|(p, _)| p == "self" || p == "cls") {
                continue;
            }
            // A call on a request path with a non-constant argument.
            let call = descendants(cx.root).find(|n| {
                n.kind_name() == "call"
                    && rp.contains(*n)
                    && {
                        let w = syntax::callee_text(*n, cx.src);
                        w == name || w == format!("self.{name}") || w == format!("cls.{name}")
                    }
                    && syntax::arguments(*n).is_some_and(|args| {
                        let mut c = args.walk();
                        args.named_children(&mut c).any(|a| {
                            let v = if a.kind_name() == "keyword_argument" {
                                a.field("value")
                            } else {
                                Some(a)
                            };
                            v.is_some_and(|v| {
                                syntax::string_value(v, cx.src).is_none()
                                    && !matches!(
                                        v.kind_name(),
                                        "integer" | "float" | "true" | "false" | "none"
                                    )
                            })
                        })
                    })
            });
            let Some(call) = call else { continue };
            let (line, _) = cx.pos(call);
            let path = cx.path.to_string();
            // Point at the decorator's expression (after the `@`).
            let at = deco.named_child(0).unwrap_or(deco);
            cx.hit(
                &META,
                at,
                name.clone(),
                format!(
                    "`{name}` is memoised with no size bound and called with request data (line {line}): every distinct argument stays in memory for the life of the process"
                ),
            )
            .related(Evidence {
                path,
                line: Some(line),
                note: "called on a request path".to_string(),
            });
        }
    }
}

/// `@cache`, `@functools.cache`, `@lru_cache(maxsize=None)`, `@lru_cache(None)`.
fn unbounded_decorator(d: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(expr) = d.named_child(0) else {
        return false;
    };
    match expr.kind_name() {
        "identifier" | "attribute" => {
            let r = cx.imports().resolve(cx.text(expr));
            r == "functools.cache"
        }
        "call" => {
            let (_, r) = cx.callee(expr);
            if r == "functools.cache" {
                return true;
            }
            if r != "functools.lru_cache" {
                return false;
            }
            let max = syntax::kwarg(expr, cx.src, "maxsize")
                .or_else(|| syntax::positional_args(expr).first().copied());
            max.is_some_and(|m| cx.text(m) == "None")
        }
        _ => false,
    }
}
