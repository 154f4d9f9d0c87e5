//! `collection-grows-per-request`: a collection that lives as long as the process (a
//! module-level dict/list/set, a JS module-level Map/object/array, a Go package-level map
//! or slice, a Java static field or a field of a singleton controller/service) that request
//! handlers add to, while nothing in the file ever removes from it or bounds it.

use pagerproof_core::{Confidence, Evidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants, string_value};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach::{self, RequestPaths};

pub static META: RuleMeta = RuleMeta {
    id: "collection-grows-per-request",
    category: "UNBOUNDED",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Process-lifetime collection grown on request paths with no eviction or bound",
    docs: Docs {
        what: "A collection that lives as long as the process and is added to on a request path, with nothing in \
the same file that ever removes entries or checks its size. Process-lifetime collections are module-level \
`dict`/`list`/`set`/`defaultdict`/`OrderedDict`/`Counter`/`deque` (without `maxlen`) in Python; module-level \
objects, arrays, `Map`s and `Set`s in JavaScript/TypeScript; package-level maps, slices and `sync.Map`s in Go; \
`static` collection fields in Java, and collection fields of Spring singletons (`@RestController`, `@Service`, \
`@Component`) and gRPC service implementations. Request paths are route handlers, views, controller methods, gRPC \
methods and message listeners, and the functions of the same file they call. Growth is `x[k] = v` with a \
non-constant key, `append`/`add`/`push`/`set`/`put`/`computeIfAbsent`/`Store`/`append(x, ...)`. Any removal \
(`pop`, `del`, `delete`, `clear`, `remove`, `shift`, `splice`, reassignment), a size check (`len(x) >`, \
`x.size()`), `removeEldestEntry`, or a bounded type (`deque(maxlen=...)`, `cachetools`, Caffeine) counts as a \
bound. Collections that are only filled at import time (registries) are not reported.",
        scenario: "The service runs for days under normal traffic; every request with a new key (a user id, a \
session, a URL) adds an entry that is never removed.",
        impact: "Memory grows with traffic until the container hits its limit and is OOM-killed, dropping every \
in-flight request; after the restart the growth starts again, so the service restarts on a schedule set by \
its traffic. Per-process state is also invisible to the other replicas.",
        detection: "Resident memory that climbs steadily between deploys and never plateaus; periodic OOM kills \
(`OOMKilled` in `kubectl describe pod`) that correlate with uptime, not with load peaks.",
        mitigation: "Bound it: use an LRU/TTL cache with a maximum size (`cachetools.TTLCache`, `lru-cache`, \
Caffeine, `hashicorp/golang-lru`), evict on a schedule, or move the state out of the process (Redis, the \
database) where it is shared by replicas and survives restarts.",
        fixes: &[
            (
                "python",
                "from cachetools import TTLCache\n_sessions = TTLCache(maxsize=10_000, ttl=3600)  # was: _sessions = {}",
            ),
            (
                "go",
                "import lru \"github.com/hashicorp/golang-lru/v2\"\nvar cache, _ = lru.New[string, Item](10_000) // was: var cache = map[string]Item{}",
            ),
            (
                "javascript",
                "const { LRUCache } = require('lru-cache');\nconst sessions = new LRUCache({ max: 10_000, ttl: 3_600_000 }); // was: new Map()",
            ),
            (
                "typescript",
                "import { LRUCache } from 'lru-cache';\nconst sessions = new LRUCache<string, Session>({ max: 10_000, ttl: 3_600_000 });",
            ),
            (
                "java",
                "private final Cache<String, Quote> quotes = Caffeine.newBuilder()\n    .maximumSize(10_000)\n    .expireAfterWrite(Duration.ofHours(1))\n    .build(); // was: new ConcurrentHashMap<>()",
            ),
        ],
        monitoring: "Alert on container memory above 80% of its limit for 30 minutes and on any OOMKilled \
restart; export the collection's size as a gauge.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/server.py",
            r#"from flask import Flask, request
from collections import deque

app = Flask(__name__)
_sessions = {}
^ `_sessions` is a module-level dict
_history = []
^ `_history` is a module-level list
_recent = deque(maxlen=100)
_routes = {}
_seen = set()

def remember(user, data):
    _sessions[user] = data

@app.route("/login", methods=["POST"])
def login():
    body = request.get_json()
    remember(body["user"], body)
    _history.append(body)
    _recent.append(body)
    _routes["login"] = 1
    _seen.add(body["user"])
    return "ok"

@app.route("/logout", methods=["POST"])
def logout():
    _seen.discard(request.get_json()["user"])
    return "ok"

def register(name, fn):
    _routes[name] = fn
"#
        ),
        case!(
            "app/local.py",
            r#"from fastapi import FastAPI
app = FastAPI()
cache = {}

@app.get("/items/{item_id}")
def read(item_id: str):
    cache = {}
    cache[item_id] = 1
    return cache
"#
        ),
        case!(
            "cmd/api/main.go",
            r#"package main

import (
	"net/http"
	"sync"
)

var (
	mu     sync.Mutex
	visits = map[string]int{}
	^ `visits` is a package-level map
	hits   []string
	^ `hits` is a package-level slice
	seen   = make(map[string]bool)
)

func track(id string) {
	mu.Lock()
	visits[id]++
	seen[id] = true
	mu.Unlock()
}

func handler(w http.ResponseWriter, r *http.Request) {
	track(r.URL.Query().Get("id"))
	hits = append(hits, r.URL.Path)
}

func reset() {
	delete(seen, "x")
}
"#
        ),
        case!(
            "internal/api/store.go",
            r#"package api

import "net/http"

var cache = map[string]string{}
var names = []string{"a", "b"}

func get(w http.ResponseWriter, r *http.Request) {
	cache := map[string]string{}
	cache[r.URL.Path] = "x"
	_ = names[0]
}

func put(w http.ResponseWriter, r *http.Request) {
	if len(cache) > 1000 {
		return
	}
	cache[r.URL.Path] = "y"
}
"#
        ),
        case!(
            "src/lookup.js",
            r#"const express = require('express');
const app = express();
const table = new Map([['a', 1]]);
const registry = {};
registry.plugins = [];
function register(name, fn) { registry[name] = fn; }
app.get('/v/:k', (req, res) => res.json(table.get(req.params.k)));
module.exports = { register };
"#
        ),
        case!(
            "src/server.js",
            r#"const express = require('express');
const app = express();
const carts = new Map();
      ^ `carts` is a module-level Map
const events = [];
const queue = [];

app.post('/cart/:id', (req, res) => {
  carts.set(req.params.id, req.body);
  events.push(req.body);
  queue.push(req.body);
  res.sendStatus(204);
});

setInterval(() => { if (events.length > 1000) events.splice(0, 500); }, 1000);
function drain() { return queue.shift(); }
module.exports = { app, drain };
"#
        ),
        case!(
            "src/routes.ts",
            r#"import { Router } from 'express';
const router = Router();
const byUser: Record<string, string[]> = {};
      ^ `byUser` is a module-level object
const config = { mode: 'x' };
router.get('/u/:id', (req, res) => {
  byUser[req.params.id] = [];
  const local: string[] = [];
  local.push('x');
  res.json(config);
});
export default router;
"#
        ),
        case!(
            "src/main/java/com/acme/QuoteController.java",
            r#"package com.acme;

import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.bind.annotation.*;

@RestController
public class QuoteController {
    private final Map<String, Quote> quotes = new ConcurrentHashMap<>();
                                     ^ `quotes` is a Map field of a singleton
    private static final List<String> AUDIT = new ArrayList<>();
                                      ^ `AUDIT` is a static List
    private final Set<String> seen = new HashSet<>();

    @PostMapping("/quotes")
    public Quote create(@RequestBody Quote q) {
        quotes.put(q.id(), q);
        AUDIT.add(q.id());
        seen.add(q.id());
        return q;
    }

    @DeleteMapping("/seen")
    public void clear() {
        seen.clear();
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Registry.java",
            r#"package com.acme;
import java.util.*;
public class Registry {
    private static final Map<String, Handler> HANDLERS = new HashMap<>();
    static void register(String n, Handler h) { HANDLERS.put(n, h); }
}
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
        reach::root_kinds(f)
    }

    fn check(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        let candidates = match cx.family() {
            Family::Python => python_decls(root, cx),
            Family::Go => go_decls(root, cx),
            Family::Js => js_decls(root, cx),
            Family::Java => java_decls(root, cx),
        };
        if candidates.is_empty() {
            return;
        }
        let rp = cx.request_paths();
        if rp.is_empty() {
            return;
        }
        // One walk: the nodes that can grow or bound a collection.
        let relevant: Vec<Node<'_>> = descendants(cx.root)
            .filter(|n| {
                matches!(
                    n.kind_name(),
                    "assignment"
                        | "augmented_assignment"
                        | "call"
                        | "delete_statement"
                        | "assignment_statement"
                        | "inc_statement"
                        | "dec_statement"
                        | "call_expression"
                        | "assignment_expression"
                        | "augmented_assignment_expression"
                        | "unary_expression"
                        | "member_expression"
                        | "method_invocation"
                        | "method_declaration"
                )
            })
            .collect();
        for d in candidates {
            let (growth, bounded) = scan(&d, cx, &rp, &relevant);
            if bounded || growth.is_empty() {
                continue;
            }
            let (first_line, first_fn) = growth[0].clone();
            let where_ = if first_fn.is_empty() {
                format!("line {first_line}")
            } else {
                format!("line {first_line} in `{first_fn}`")
            };
            let more = if growth.len() > 1 {
                format!(" and {} more place(s)", growth.len() - 1)
            } else {
                String::new()
            };
            let msg = format!(
                "`{}` is {} that grows on a request path ({where_}{more}) and nothing removes entries or bounds its size: memory grows with traffic until the process is OOM-killed",
                d.name, d.what
            );
            let path = cx.path.to_string();
            let h = cx.hit(&META, d.at, d.name.clone(), msg);
            for (line, func) in &growth {
                h.related(Evidence {
                    path: path.clone(),
                    line: Some(*line),
                    note: if func.is_empty() {
                        "grows here".to_string()
                    } else {
                        format!("grows here, in `{func}`")
                    },
                });
            }
        }
    }
}

/// A process-lifetime collection declaration.
struct Decl<'t> {
    name: String,
    /// Also matched as `self.x`/`this.x`/`Class.x` in Java.
    what: String,
    at: Node<'t>,
}

fn python_decls<'t>(root: Node<'t>, cx: &Cx<'t>) -> Vec<Decl<'t>> {
    let mut out = Vec::new();
    let mut c = root.walk();
    for st in root.named_children(&mut c) {
        if st.kind_name() != "expression_statement" {
            continue;
        }
        let Some(a) = st.named_child(0).filter(|a| a.kind_name() == "assignment") else {
            continue;
        };
        let (Some(l), Some(r)) = (a.field("left"), a.field("right")) else {
            continue;
        };
        if l.kind_name() != "identifier" {
            continue;
        }
        let name = cx.text(l);
        if name.starts_with("__") {
            continue;
        }
        let what = match r.kind_name() {
            "dictionary" => Some("a module-level dict"),
            "list" => Some("a module-level list"),
            "set" => Some("a module-level set"),
            "call" => {
                let (_, resolved) = cx.callee(r);
                match resolved.as_str() {
                    "dict" => Some("a module-level dict"),
                    "list" => Some("a module-level list"),
                    "set" => Some("a module-level set"),
                    "collections.defaultdict" | "defaultdict" => Some("a module-level defaultdict"),
                    "collections.OrderedDict" | "OrderedDict" => Some("a module-level OrderedDict"),
                    "collections.Counter" | "Counter" => Some("a module-level Counter"),
                    "collections.deque" | "deque" => {
                        let bounded = syntax::kwarg(r, cx.src, "maxlen").is_some()
                            || syntax::positional_args(r).len() >= 2;
                        (!bounded).then_some("a module-level deque without `maxlen`")
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(what) = what {
            out.push(Decl {
                name: name.to_string(),
                what: what.to_string(),
                at: l,
            });
        }
    }
    out
}

fn go_decls<'t>(root: Node<'t>, cx: &Cx<'t>) -> Vec<Decl<'t>> {
    let mut out = Vec::new();
    let mut c = root.walk();
    for decl in root.named_children(&mut c) {
        if decl.kind_name() != "var_declaration" {
            continue;
        }
        let specs: Vec<Node<'t>> = descendants(decl)
            .filter(|n| n.kind_name() == "var_spec")
            .collect();
        for spec in specs {
            let ty = spec.field("type");
            let value = spec.field("value").and_then(|v| v.named_child(0));
            let kind_of = |t: &str| -> Option<&'static str> {
                let t = t.trim();
                if t.starts_with("map[") {
                    Some("a package-level map")
                } else if t.starts_with("[]") {
                    Some("a package-level slice")
                } else if t == "sync.Map" {
                    Some("a package-level sync.Map")
                } else {
                    None
                }
            };
            let what = match value {
                Some(v) if v.kind_name() == "composite_literal" => {
                    v.field("type").and_then(|t| kind_of(cx.text(t)))
                }
                Some(v) if v.kind_name() == "call_expression" => {
                    let f = v.field("function").map(|f| cx.text(f));
                    if f == Some("make") {
                        syntax::positional_args(v)
                            .first()
                            .and_then(|t| kind_of(cx.text(*t)))
                    } else {
                        None
                    }
                }
                Some(_) => None,
                None => ty.and_then(|t| kind_of(cx.text(t))),
            };
            let Some(what) = what else { continue };
            let mut c2 = spec.walk();
            for name in spec.children_by_field_name("name", &mut c2) {
                let n = cx.text(name);
                if n == "_" {
                    continue;
                }
                out.push(Decl {
                    name: n.to_string(),
                    what: what.to_string(),
                    at: name,
                });
            }
        }
    }
    out
}

fn js_decls<'t>(root: Node<'t>, cx: &Cx<'t>) -> Vec<Decl<'t>> {
    let mut out = Vec::new();
    let mut c = root.walk();
    let mut stmts: Vec<Node<'t>> = Vec::new();
    for st in root.named_children(&mut c) {
        if st.kind_name() == "export_statement" {
            if let Some(d) = st.field("declaration") {
                stmts.push(d);
            }
        } else {
            stmts.push(st);
        }
    }
    for st in stmts {
        if !matches!(
            st.kind_name(),
            "lexical_declaration" | "variable_declaration"
        ) {
            continue;
        }
        let mut c2 = st.walk();
        for d in st.named_children(&mut c2) {
            if d.kind_name() != "variable_declarator" {
                continue;
            }
            let (Some(name), Some(v)) = (d.field("name"), d.field("value")) else {
                continue;
            };
            if name.kind_name() != "identifier" {
                continue;
            }
            let v = if matches!(v.kind_name(), "as_expression" | "satisfies_expression") {
                v.named_child(0).unwrap_or(v)
            } else {
                v
            };
            let what = match v.kind_name() {
                "object" => Some("a module-level object"),
                "array" => Some("a module-level array"),
                "new_expression" => {
                    let ctor = v.field("constructor").map(|c| cx.text(c)).unwrap_or("");
                    match ctor {
                        "Map" => Some("a module-level Map"),
                        "Set" => Some("a module-level Set"),
                        "Array" => Some("a module-level array"),
                        _ => None,
                    }
                }
                "call_expression" if syntax::callee_text(v, cx.src) == "Object.create" => {
                    Some("a module-level object")
                }
                _ => None,
            };
            if let Some(what) = what {
                out.push(Decl {
                    name: cx.text(name).to_string(),
                    what: what.to_string(),
                    at: name,
                });
            }
        }
    }
    out
}

const JAVA_COLLECTIONS: &[&str] = &[
    "Map",
    "HashMap",
    "ConcurrentHashMap",
    "ConcurrentMap",
    "LinkedHashMap",
    "TreeMap",
    "ConcurrentSkipListMap",
    "List",
    "ArrayList",
    "LinkedList",
    "CopyOnWriteArrayList",
    "Set",
    "HashSet",
    "LinkedHashSet",
    "TreeSet",
    "ConcurrentSkipListSet",
    "Queue",
    "Deque",
    "ArrayDeque",
    "ConcurrentLinkedQueue",
    "ConcurrentLinkedDeque",
    "Collection",
    "Multimap",
];

fn java_decls<'t>(root: Node<'t>, cx: &Cx<'t>) -> Vec<Decl<'t>> {
    let mut out = Vec::new();
    for f in descendants(root).filter(|n| n.kind_name() == "field_declaration") {
        let Some(ty) = f.field("type") else {
            continue;
        };
        let base = cx.text(ty).split('<').next().unwrap_or("").trim();
        let base = syntax::last_segment(base);
        if !JAVA_COLLECTIONS.contains(&base) {
            continue;
        }
        let mods = {
            let mut c = f.walk();
            f.children(&mut c)
                .find(|n| n.kind_name() == "modifiers")
                .map(|m| cx.text(m))
                .unwrap_or("")
        };
        let is_static = mods.split_whitespace().any(|w| w == "static");
        let singleton = syntax::ancestor(f, &["class_declaration"])
            .is_some_and(|c| reach::java_singleton_class(c, cx));
        if !is_static && !singleton {
            continue;
        }
        let mut c = f.walk();
        for d in f.children_by_field_name("declarator", &mut c) {
            let (Some(name), Some(v)) = (d.field("name"), d.field("value")) else {
                continue;
            };
            let vt = cx.text(v);
            let growable = v.kind_name() == "object_creation_expression"
                || vt.starts_with("Collections.synchronized")
                || vt.starts_with("Maps.new")
                || vt.starts_with("Lists.new")
                || vt.starts_with("Sets.new");
            if !growable {
                continue;
            }
            let what = if is_static {
                format!("a static {base}")
            } else {
                format!("a {base} field of a singleton")
            };
            out.push(Decl {
                name: cx.text(name).to_string(),
                what,
                at: name,
            });
        }
    }
    out
}

/// Growth sites on request paths (line, function name) and whether anything bounds the
/// collection.
fn scan(
    d: &Decl<'_>,
    cx: &Cx<'_>,
    rp: &RequestPaths<'_>,
    relevant: &[Node<'_>],
) -> (Vec<(u32, String)>, bool) {
    let mut growth = Vec::new();
    let mut bounded = false;
    let mut constant_key_only = true;
    let fam = cx.family();
    let name = d.name.as_str();
    let is_target = |n: Node<'_>| -> bool {
        let t = cx.text(n);
        t == name
            || matches!(fam, Family::Java | Family::Js)
                && (t.strip_prefix("this.") == Some(name)
                    || t.rsplit_once('.').is_some_and(|(c, f)| {
                        f == name && c.chars().next().is_some_and(|x| x.is_ascii_uppercase())
                    }))
    };
    for &n in relevant {
        if n.start_byte() == d.at.start_byte() || !cx.text(n).contains(name) {
            continue;
        }
        let g = match fam {
            Family::Python => python_site(n, cx, &is_target),
            Family::Go => go_site(n, cx, &is_target),
            Family::Js => js_site(n, cx, &is_target),
            Family::Java => java_site(n, cx, &is_target),
        };
        match g {
            Site::None => {}
            Site::Bound => bounded = true,
            Site::Grow { constant_key } => {
                if !rp.contains(n) || shadowed(n, name, cx) {
                    continue;
                }
                if !constant_key {
                    constant_key_only = false;
                }
                let func = syntax::enclosing_function(n, fam)
                    .and_then(|f| f.field("name"))
                    .map(|f| cx.text(f).to_string())
                    .unwrap_or_default();
                let (line, _) = cx.pos(n);
                if !growth.iter().any(|(l, _)| *l == line) {
                    growth.push((line, func));
                }
            }
        }
    }
    if constant_key_only {
        growth.clear();
    }
    (growth, bounded)
}

enum Site {
    None,
    Grow { constant_key: bool },
    Bound,
}

fn is_constant(n: Node<'_>, cx: &Cx<'_>) -> bool {
    string_value(n, cx.src).is_some()
        || matches!(
            n.kind_name(),
            "integer" | "int_literal" | "number" | "decimal_integer_literal" | "true" | "false"
        )
        || (n.kind_name() == "identifier"
            && cx
                .text(n)
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
}

fn python_site(n: Node<'_>, cx: &Cx<'_>, is_target: &dyn Fn(Node<'_>) -> bool) -> Site {
    match n.kind_name() {
        "assignment" | "augmented_assignment" => {
            let Some(l) = n.field("left") else {
                return Site::None;
            };
            if l.kind_name() == "subscript"
                && let Some(v) = l.field("value")
                && is_target(v)
            {
                let key = l.field("subscript");
                return Site::Grow {
                    constant_key: key.is_some_and(|k| is_constant(k, cx)),
                };
            }
            // Reassignment inside a function with `global x` resets it.
            if is_target(l)
                && let Some(func) = syntax::enclosing_function(n, Family::Python)
                && declares_global(func, cx.text(l), cx)
            {
                return Site::Bound;
            }
            Site::None
        }
        "call" => {
            let Some(f) = n.field("function") else {
                return Site::None;
            };
            if f.kind_name() == "identifier" && cx.text(f) == "len" {
                if syntax::positional_args(n)
                    .first()
                    .is_some_and(|a| is_target(*a))
                {
                    return Site::Bound;
                }
                return Site::None;
            }
            if f.kind_name() != "attribute" {
                return Site::None;
            }
            let (Some(obj), Some(attr)) = (f.field("object"), f.field("attribute")) else {
                return Site::None;
            };
            let method = cx.text(attr);
            let direct = is_target(obj);
            let nested =
                obj.kind_name() == "subscript" && obj.field("value").is_some_and(is_target);
            if !direct && !nested {
                return Site::None;
            }
            match method {
                "append" | "add" | "extend" | "insert" | "appendleft" | "extendleft"
                | "setdefault" | "update" => Site::Grow {
                    constant_key: method == "setdefault"
                        && syntax::positional_args(n)
                            .first()
                            .is_some_and(|a| is_constant(*a, cx)),
                },
                "pop" | "popitem" | "clear" | "remove" | "discard" | "popleft" | "__delitem__"
                    if direct =>
                {
                    Site::Bound
                }
                _ => Site::None,
            }
        }
        "delete_statement" => {
            if descendants(n)
                .any(|s| s.kind_name() == "subscript" && s.field("value").is_some_and(is_target))
            {
                Site::Bound
            } else {
                Site::None
            }
        }
        _ => Site::None,
    }
}

fn go_site(n: Node<'_>, cx: &Cx<'_>, is_target: &dyn Fn(Node<'_>) -> bool) -> Site {
    match n.kind_name() {
        "assignment_statement" | "inc_statement" | "dec_statement" => {
            let left = n.field("left").or_else(|| n.named_child(0));
            let Some(left) = left else { return Site::None };
            let lefts: Vec<Node<'_>> = if left.kind_name() == "expression_list" {
                let mut c = left.walk();
                left.named_children(&mut c).collect()
            } else {
                vec![left]
            };
            for l in lefts {
                if l.kind_name() == "index_expression" && l.field("operand").is_some_and(is_target)
                {
                    let key = l.field("index");
                    return Site::Grow {
                        constant_key: key.is_some_and(|k| is_constant(k, cx)),
                    };
                }
                if is_target(l) {
                    let right = n.field("right").and_then(|r| r.named_child(0));
                    let appends = right.is_some_and(|r| {
                        r.kind_name() == "call_expression"
                            && r.field("function").is_some_and(|f| cx.text(f) == "append")
                            && syntax::positional_args(r)
                                .first()
                                .is_some_and(|a| is_target(*a))
                    });
                    return if appends {
                        Site::Grow {
                            constant_key: false,
                        }
                    } else {
                        Site::Bound
                    };
                }
            }
            Site::None
        }
        "call_expression" => {
            let Some(f) = n.field("function") else {
                return Site::None;
            };
            let args = syntax::positional_args(n);
            match f.kind_name() {
                "identifier" => {
                    let fname = cx.text(f);
                    if (fname == "delete" || fname == "len" || fname == "clear")
                        && args.first().is_some_and(|a| is_target(*a))
                    {
                        return Site::Bound;
                    }
                    Site::None
                }
                "selector_expression" => {
                    let (Some(op), Some(field)) = (f.field("operand"), f.field("field")) else {
                        return Site::None;
                    };
                    if !is_target(op) {
                        return Site::None;
                    }
                    match cx.text(field) {
                        "Store" | "LoadOrStore" | "Swap" => Site::Grow {
                            constant_key: args.first().is_some_and(|a| is_constant(*a, cx)),
                        },
                        "Delete" | "LoadAndDelete" | "CompareAndDelete" | "Clear" => Site::Bound,
                        _ => Site::None,
                    }
                }
                _ => Site::None,
            }
        }
        _ => Site::None,
    }
}

fn js_site(n: Node<'_>, cx: &Cx<'_>, is_target: &dyn Fn(Node<'_>) -> bool) -> Site {
    match n.kind_name() {
        "assignment_expression" | "augmented_assignment_expression" => {
            let Some(l) = n.field("left") else {
                return Site::None;
            };
            if l.kind_name() == "subscript_expression" && l.field("object").is_some_and(is_target) {
                let key = l.field("index");
                return Site::Grow {
                    constant_key: key.is_some_and(|k| is_constant(k, cx)),
                };
            }
            if is_target(l) {
                return Site::Bound;
            }
            // `x.length = 0`
            if l.kind_name() == "member_expression"
                && l.field("object").is_some_and(is_target)
                && l.field("property").is_some_and(|p| cx.text(p) == "length")
            {
                return Site::Bound;
            }
            Site::None
        }
        "unary_expression" => {
            if cx.text(n).starts_with("delete")
                && n.field("argument").is_some_and(|a| {
                    matches!(a.kind_name(), "subscript_expression" | "member_expression")
                        && a.field("object").is_some_and(is_target)
                })
            {
                Site::Bound
            } else {
                Site::None
            }
        }
        "member_expression" => {
            // `x.size > N`, `x.length >= N`
            let (Some(o), Some(p)) = (n.field("object"), n.field("property")) else {
                return Site::None;
            };
            if is_target(o)
                && matches!(cx.text(p), "size" | "length")
                && n.parent().is_some_and(|b| {
                    b.kind_name() == "binary_expression"
                        && b.field("operator").is_some_and(|op| {
                            matches!(cx.text(op), ">" | ">=" | "<" | "<=" | "===" | "==")
                        })
                })
            {
                Site::Bound
            } else {
                Site::None
            }
        }
        "call_expression" => {
            let Some(f) = n.field("function") else {
                return Site::None;
            };
            if f.kind_name() != "member_expression" {
                return Site::None;
            }
            let (Some(o), Some(p)) = (f.field("object"), f.field("property")) else {
                return Site::None;
            };
            if !is_target(o) {
                return Site::None;
            }
            let args = syntax::positional_args(n);
            match cx.text(p) {
                "push" | "unshift" => Site::Grow {
                    constant_key: false,
                },
                "set" | "add" => Site::Grow {
                    constant_key: args.first().is_some_and(|a| is_constant(*a, cx)),
                },
                "delete" | "clear" | "shift" | "pop" | "splice" => Site::Bound,
                _ => Site::None,
            }
        }
        _ => Site::None,
    }
}

fn java_site(n: Node<'_>, cx: &Cx<'_>, is_target: &dyn Fn(Node<'_>) -> bool) -> Site {
    match n.kind_name() {
        "method_invocation" => {
            let Some(name) = n.field("name") else {
                return Site::None;
            };
            let m = cx.text(name);
            if m == "removeEldestEntry" {
                return Site::Bound;
            }
            let Some(obj) = n.field("object") else {
                return Site::None;
            };
            // `x.keySet().removeIf(...)`, `x.entrySet().retainAll(...)`
            let direct = is_target(obj);
            let view = obj.kind_name() == "method_invocation"
                && obj.field("object").is_some_and(is_target);
            if !direct && !view {
                return Site::None;
            }
            let args = syntax::positional_args(n);
            match m {
                "put" | "putIfAbsent" | "computeIfAbsent" | "compute" | "merge" | "add"
                | "addAll" | "offer" | "push" | "addFirst" | "addLast" | "putAll"
                    if direct =>
                {
                    Site::Grow {
                        constant_key: matches!(
                            m,
                            "put" | "putIfAbsent" | "computeIfAbsent" | "compute" | "merge"
                        ) && args.first().is_some_and(|a| is_constant(*a, cx)),
                    }
                }
                "remove" | "clear" | "poll" | "pop" | "removeIf" | "retainAll" | "removeAll"
                | "pollFirst" | "pollLast" | "removeFirst" | "removeLast" | "size"
                | "invalidate" | "invalidateAll" => Site::Bound,
                _ => Site::None,
            }
        }
        "assignment_expression" => {
            if n.field("left").is_some_and(is_target) {
                Site::Bound
            } else {
                Site::None
            }
        }
        "method_declaration" => {
            if n.field("name")
                .is_some_and(|x| cx.text(x) == "removeEldestEntry")
            {
                Site::Bound
            } else {
                Site::None
            }
        }
        _ => Site::None,
    }
}

/// Whether `name` at `n` refers to a local of the enclosing function (a parameter or a
/// local assignment without `global`), not the process-lifetime collection.
fn shadowed(n: Node<'_>, name: &str, cx: &Cx<'_>) -> bool {
    let fam = cx.family();
    let mut f = syntax::enclosing_function(n, fam);
    while let Some(func) = f {
        if reach::params(func, cx).iter().any(|(p, _)| p == name) {
            return true;
        }
        let Some(body) = func.field("body") else {
            return false;
        };
        let declares = descendants(body).any(|d| match (fam, d.kind_name()) {
            (Family::Python, "assignment") => {
                d.field("left").is_some_and(|l| cx.text(l) == name)
                    && syntax::enclosing_function(d, fam) == Some(func)
            }
            (Family::Go, "short_var_declaration") => d
                .field("left")
                .is_some_and(|l| cx.text(l).split(',').any(|x| x.trim() == name)),
            (Family::Go, "var_spec") => d.field("name").is_some_and(|l| cx.text(l) == name),
            (Family::Js | Family::Java, "variable_declarator") => {
                d.field("name").is_some_and(|l| cx.text(l) == name)
            }
            _ => false,
        });
        if declares {
            return !(fam == Family::Python && declares_global(func, name, cx));
        }
        f = syntax::enclosing_function(func, fam);
    }
    false
}

/// Whether a Python function declares `global name`.
fn declares_global(func: Node<'_>, name: &str, cx: &Cx<'_>) -> bool {
    descendants(func).any(|g| {
        g.kind_name() == "global_statement"
            && cx
                .text(g)
                .trim_start_matches("global")
                .split(',')
                .any(|x| x.trim() == name)
    })
}
