//! Request paths inside one file: which functions handle a request (an HTTP route, an RPC
//! method, a view, a message listener) and which functions of the same file they call,
//! transitively. Rules that judge code by "does this run once per request?" (a collection
//! that grows, a fan-out, a body read into memory) ask here.
//!
//! The analysis is syntactic and per file, like a reviewer reading one file: handlers are
//! recognised by framework shapes (route decorators and registrations, handler
//! signatures, controller annotations, gRPC servicer classes), and calls are followed by
//! name to functions declared in the same file (`helper(x)`, `self.helper(x)`,
//! `this.helper(x)`, `s.helper(x)` on a Go receiver). Nested functions and closures are on
//! the path of the function that contains them.

use std::collections::BTreeSet;

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::imports::unquote;
use crate::lang::syntax::{self, descendants, text};
use crate::rule::Cx;

/// Every function-like node kind of every family (entries are one of these).
const FUNCTION_KINDS: &[&str] = &[
    "function_definition",
    "lambda",
    "function_declaration",
    "method_declaration",
    "func_literal",
    "function_expression",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "function",
    "constructor_declaration",
    "lambda_expression",
];

/// The node kind of a file's root, per family: rules that analyse a whole file at once
/// register for it and are called once per file.
pub fn root_kinds(f: Family) -> &'static [&'static str] {
    match f {
        Family::Python => &["module"],
        Family::Go => &["source_file"],
        Family::Js => &["program"],
        Family::Java => &["program"],
    }
}

/// Why a function is an entry point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// An HTTP route, view or controller method.
    Http,
    /// A gRPC method.
    Rpc,
    /// A message/queue listener (Kafka, SQS, Rabbit, Pub/Sub, NestJS event pattern).
    Message,
}

/// One entry point: the function node, its name (or `""`), and what serves it.
#[derive(Clone, Debug)]
pub struct Entry<'t> {
    pub func: Node<'t>,
    pub name: String,
    pub kind: EntryKind,
    /// The route path when the registration names one (`/webhooks/stripe`).
    pub route: Option<String>,
}

/// Entry points of a file and the functions they reach.
#[derive(Clone, Debug)]
pub struct RequestPaths<'t> {
    pub entries: Vec<Entry<'t>>,
    /// Byte ranges of every function on a request path (entries included).
    reach: Vec<std::ops::Range<usize>>,
}

/// A [`RequestPaths`] without tree nodes (byte ranges instead), so it can be cached on a
/// file's context and rebuilt for any rule.
#[derive(Clone, Debug, Default)]
pub struct Cached {
    entries: Vec<(std::ops::Range<usize>, String, EntryKind, Option<String>)>,
    reach: Vec<std::ops::Range<usize>>,
}

impl<'t> RequestPaths<'t> {
    pub fn to_cached(&self) -> Cached {
        Cached {
            entries: self
                .entries
                .iter()
                .map(|e| (e.func.byte_range(), e.name.clone(), e.kind, e.route.clone()))
                .collect(),
            reach: self.reach.clone(),
        }
    }

    pub fn from_cached(c: &Cached, root: Node<'t>) -> RequestPaths<'t> {
        let entries = c
            .entries
            .iter()
            .filter_map(|(r, name, kind, route)| {
                let mut n = root.descendant_for_byte_range(r.start, r.end)?;
                while n.byte_range() != *r || !n.is_named() {
                    n = n.parent()?;
                }
                // The outermost node with exactly this range that is a function.
                while let Some(p) = n.parent().filter(|p| p.byte_range() == *r) {
                    n = p;
                }
                let mut f = Some(n);
                while let Some(x) = f {
                    if FUNCTION_KINDS.contains(&x.kind_name()) {
                        break;
                    }
                    f = x.named_child(0).filter(|c| c.byte_range() == *r);
                }
                Some(Entry {
                    func: f.unwrap_or(n),
                    name: name.clone(),
                    kind: *kind,
                    route: route.clone(),
                })
            })
            .collect();
        RequestPaths {
            entries,
            reach: c.reach.clone(),
        }
    }

    pub fn collect(cx: &Cx<'t>) -> RequestPaths<'t> {
        let family = cx.family();
        if !may_serve(cx) {
            return RequestPaths {
                entries: Vec::new(),
                reach: Vec::new(),
            };
        }
        let sc = scan(cx);
        let funcs = &sc.funcs;
        let mut entries = Vec::new();
        match family {
            Family::Python => python_entries(cx, funcs, &mut entries),
            Family::Go => go_entries(cx, &sc, &mut entries),
            Family::Js => js_entries(cx, &sc, &mut entries),
            Family::Java => java_entries(cx, funcs, &mut entries),
        }
        entries.sort_by_key(|e| e.func.start_byte());
        entries.dedup_by_key(|e| e.func.start_byte());

        // Follow calls by name to functions of this file, to a fixpoint.
        let mut on: BTreeSet<usize> = BTreeSet::new();
        let mut queue: Vec<Node<'t>> = entries.iter().map(|e| e.func).collect();
        while let Some(f) = queue.pop() {
            if !on.insert(f.start_byte()) {
                continue;
            }
            for n in descendants(f) {
                if !syntax::call_kinds(family).contains(&cx.kind(n)) {
                    continue;
                }
                let Some(name) = local_callee(n, cx) else {
                    continue;
                };
                for g in funcs.iter().filter(|g| g.name == name) {
                    if !on.contains(&g.node.start_byte()) {
                        queue.push(g.node);
                    }
                }
            }
            // Functions passed by name as arguments (callbacks) are reached too.
        }
        let reach = funcs
            .iter()
            .map(|f| f.node)
            .chain(entries.iter().map(|e| e.func))
            .filter(|n| on.contains(&n.start_byte()))
            .map(|n| n.byte_range())
            .collect();
        RequestPaths { entries, reach }
    }

    /// Whether `node` runs on a request path: some enclosing function is a handler or is
    /// reached from one.
    pub fn contains(&self, node: Node<'_>) -> bool {
        let b = node.start_byte();
        self.reach.iter().any(|r| r.contains(&b))
    }

    /// The entry point whose body contains `node`, if `node` is directly inside one.
    pub fn entry_of(&self, node: Node<'_>) -> Option<&Entry<'t>> {
        let b = node.start_byte();
        self.entries
            .iter()
            .filter(|e| e.func.byte_range().contains(&b))
            .min_by_key(|e| e.func.byte_range().len())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A cheap text test: can this file declare a handler at all? (Every recogniser below
/// needs one of these tokens.)
fn may_serve(cx: &Cx<'_>) -> bool {
    let s = cx.src;
    let any = |ts: &[&str]| ts.iter().any(|t| s.contains(t));
    match cx.family() {
        Family::Python => any(&[
            "request",
            "route",
            ".get(",
            ".post(",
            ".put(",
            ".patch(",
            ".delete(",
            "Servicer",
            "View",
            "api_view",
            "subscribe",
            "listener",
            "consumer",
            "websocket",
            "view_config",
            "Resource",
            "Handler",
        ]),
        Family::Go => any(&[
            "ResponseWriter",
            "gin.",
            "echo.",
            "fiber.",
            "context.Context",
            "HandleFunc",
            "Handle(",
        ]),
        Family::Js => any(&[
            "req",
            "request",
            ".get(",
            ".post(",
            ".put(",
            ".patch(",
            ".delete(",
            "addService",
            "@Get",
            "@Post",
            "@Put",
            "@Patch",
            "@Delete",
            "Pattern",
            "callback",
            "route",
        ]),
        Family::Java => any(&[
            "Mapping", "@GET", "@POST", "@PUT", "@DELETE", "@PATCH", "ImplBase", "Servlet",
            "Listener", "Handler",
        ]),
    }
}

/// A function declared in the file, by the name calls would use.
pub struct Func<'t> {
    pub name: String,
    pub node: Node<'t>,
}

/// What one walk of a file collects for the entry-point recognisers.
struct Scan<'t> {
    funcs: Vec<Func<'t>>,
    /// Unnamed function literals (Go `func(...)`, JS arrow functions and expressions).
    anon: Vec<Node<'t>>,
    /// Calls (route registrations) and JS class methods (NestJS decorators).
    calls: Vec<Node<'t>>,
    methods: Vec<Node<'t>>,
}

/// Every named function of the file: Python `def`, Go functions and methods, JS function
/// declarations, methods and `const f = () => ...`, Java methods.
pub fn functions<'t>(cx: &Cx<'t>) -> Vec<Func<'t>> {
    scan(cx).funcs
}

fn scan<'t>(cx: &Cx<'t>) -> Scan<'t> {
    let mut out = Vec::new();
    let mut anon = Vec::new();
    let mut calls = Vec::new();
    let mut methods = Vec::new();
    let fam = cx.family();
    let nodes: Vec<Node<'t>> = match fam {
        Family::Python | Family::Java => statement_nodes(cx.root, fam),
        // The engine's pre-order list is the same sequence as a walk from the root.
        _ => match cx.preorder() {
            Some(all) => all.to_vec(),
            None => descendants(cx.root).collect(),
        },
    };
    for n in nodes {
        let kind = cx.kind(n);
        match (fam, kind) {
            (Family::Go, "func_literal")
            | (Family::Js, "arrow_function" | "function_expression" | "function") => anon.push(n),
            (Family::Go | Family::Js, "call_expression") => calls.push(n),
            (Family::Js, "method_definition") => methods.push(n),
            _ => {}
        }
        let name = match (cx.family(), kind) {
            (Family::Python, "function_definition")
            | (Family::Go, "function_declaration" | "method_declaration")
            | (Family::Js, "function_declaration" | "generator_function_declaration")
            | (Family::Js, "method_definition")
            | (Family::Java, "method_declaration" | "constructor_declaration") => {
                n.field("name").map(|x| cx.text(x))
            }
            (Family::Js, "arrow_function" | "function_expression" | "function") => n
                .parent()
                .filter(|p| p.kind_name() == "variable_declarator")
                .and_then(|p| p.field("name"))
                .map(|x| cx.text(x))
                .or_else(|| {
                    // `{ charge: async (call, cb) => ... }` and `exports.charge = ...`
                    let p = n.parent()?;
                    match p.kind_name() {
                        "pair" => p.field("key").map(|k| unquote(cx.text(k))),
                        "assignment_expression" => {
                            let l = p.field("left")?;
                            Some(syntax::last_segment(cx.text(l)))
                        }
                        _ => None,
                    }
                }),
            _ => None,
        };
        if let Some(name) = name
            && !name.is_empty()
        {
            out.push(Func {
                name: name.to_string(),
                node: n,
            });
        }
    }
    Scan {
        funcs: out,
        anon,
        calls,
        methods,
    }
}

/// Python and Java functions and methods are declared at statement level: walk only
/// statements and declarations (not expressions), which is most of the tree's nodes.
fn statement_nodes<'t>(root: Node<'t>, fam: Family) -> Vec<Node<'t>> {
    const PY: &[&str] = &[
        "module",
        "block",
        "class_definition",
        "decorated_definition",
        "function_definition",
        "if_statement",
        "elif_clause",
        "else_clause",
        "try_statement",
        "except_clause",
        "finally_clause",
        "with_statement",
        "for_statement",
        "while_statement",
        "match_statement",
        "case_clause",
    ];
    const JAVA: &[&str] = &[
        "program",
        "class_declaration",
        "class_body",
        "interface_declaration",
        "interface_body",
        "enum_declaration",
        "enum_body",
        "enum_body_declarations",
        "record_declaration",
        "annotation_type_declaration",
    ];
    let descend: &[&str] = if fam == Family::Python { PY } else { JAVA };
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        out.push(n);
        if descend.contains(&n.kind_name()) {
            let mut c = n.walk();
            let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    out
}

/// The name a call resolves to inside this file, when the call is local: `f(x)`,
/// `self.f(x)`, `this.f(x)`, `cls.f(x)`, Go `s.f(x)` on the receiver of the enclosing
/// method, Java `f(x)`/`this.f(x)`.
fn local_callee(call: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let written = syntax::callee_text(call, cx.src);
    if written.is_empty() || call.kind_name() == "new_expression" {
        return None;
    }
    if call.kind_name() == "object_creation_expression" {
        return None;
    }
    match written.rsplit_once('.') {
        None => Some(written),
        Some((recv, name)) => {
            let ok = matches!(recv, "self" | "this" | "cls")
                || (cx.family() == Family::Go
                    && go_receiver_name(call, cx).as_deref() == Some(recv));
            ok.then(|| name.to_string())
        }
    }
}

/// The receiver variable of the Go method enclosing `n` (`s` in `func (s *server) F()`).
fn go_receiver_name(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let m = syntax::ancestor(n, &["method_declaration"])?;
    let recv = m.field("receiver")?;
    let decl = recv.named_child(0)?;
    let name = decl.field("name")?;
    Some(cx.text(name).to_string())
}

/// Parameters of a function: (name, type text) pairs, `self` included.
pub fn params(func: Node<'_>, cx: &Cx<'_>) -> Vec<(String, String)> {
    let Some(ps) = func.field("parameters").or_else(|| func.field("parameter")) else {
        return Vec::new();
    };
    if ps.kind_name() == "identifier" {
        // JS `x => ...`
        return vec![(cx.text(ps).to_string(), String::new())];
    }
    let mut out = Vec::new();
    let mut c = ps.walk();
    for p in ps.named_children(&mut c) {
        match (cx.family(), p.kind_name()) {
            (Family::Python, "identifier") => out.push((cx.text(p).to_string(), String::new())),
            (Family::Python, "typed_parameter") => {
                let name = p.named_child(0).map(|n| cx.text(n)).unwrap_or("");
                let ty = p.field("type").map(|n| cx.text(n)).unwrap_or("");
                out.push((name.to_string(), ty.to_string()));
            }
            (Family::Python, "default_parameter" | "typed_default_parameter") => {
                let name = p.field("name").map(|n| cx.text(n)).unwrap_or("");
                let ty = p.field("type").map(|n| cx.text(n)).unwrap_or("");
                out.push((name.to_string(), ty.to_string()));
            }
            (Family::Go, "parameter_declaration" | "variadic_parameter_declaration") => {
                let ty = p.field("type").map(|n| cx.text(n)).unwrap_or("");
                let mut c2 = p.walk();
                let names: Vec<&str> = p
                    .children_by_field_name("name", &mut c2)
                    .map(|n| cx.text(n))
                    .collect();
                if names.is_empty() {
                    out.push((String::new(), ty.to_string()));
                }
                for n in names {
                    out.push((n.to_string(), ty.to_string()));
                }
            }
            (Family::Js, "identifier") => out.push((cx.text(p).to_string(), String::new())),
            (Family::Js, "required_parameter" | "optional_parameter") => {
                let name = p.field("pattern").map(|n| cx.text(n)).unwrap_or("");
                let ty = p
                    .field("type")
                    .map(|n| cx.text(n).trim_start_matches(':').trim())
                    .unwrap_or("");
                out.push((name.to_string(), ty.to_string()));
            }
            (Family::Js, "assignment_pattern") => {
                let name = p.field("left").map(|n| cx.text(n)).unwrap_or("");
                out.push((name.to_string(), String::new()));
            }
            (Family::Js, "object_pattern" | "array_pattern") => {
                out.push((cx.text(p).to_string(), String::new()))
            }
            (Family::Java, "formal_parameter" | "spread_parameter") => {
                let name = p.field("name").map(|n| cx.text(n)).unwrap_or("");
                let ty = p.field("type").map(|n| cx.text(n)).unwrap_or("");
                out.push((name.to_string(), ty.to_string()));
            }
            _ => {}
        }
    }
    out
}

const PY_ROUTE_METHODS: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "api_route",
    "websocket",
    "head",
    "options",
];

const PY_WEB_MODULES: &[&str] = &[
    "flask",
    "fastapi",
    "starlette",
    "django",
    "rest_framework",
    "aiohttp",
    "sanic",
    "tornado",
    "falcon",
    "pyramid",
    "quart",
    "litestar",
    "bottle",
    "ninja",
];

const PY_VIEW_BASES: &[&str] = &[
    "View",
    "APIView",
    "GenericAPIView",
    "ViewSet",
    "ModelViewSet",
    "GenericViewSet",
    "ReadOnlyModelViewSet",
    "MethodView",
    "HTTPEndpoint",
    "Resource",
    "RequestHandler",
    "HTTPMethodView",
    "TemplateView",
    "FormView",
    "CreateView",
    "UpdateView",
    "DeleteView",
    "ListView",
    "DetailView",
];

const PY_VIEW_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "list",
    "create",
    "retrieve",
    "update",
    "partial_update",
    "destroy",
    "perform_create",
    "perform_update",
    "perform_destroy",
    "form_valid",
    "on_get",
    "on_post",
    "on_put",
    "on_delete",
    "on_patch",
];

/// The route path in a decorator or registration call: its first string argument that
/// starts with `/`, or `path=`/`rule=` keyword.
fn route_arg(call: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    for a in syntax::positional_args(call) {
        if let Some(s) = syntax::string_value(a, cx.src) {
            if s.starts_with('/') || s.is_empty() {
                return Some(s.to_string());
            }
            return None;
        }
    }
    for k in ["path", "rule", "url"] {
        if let Some(v) = syntax::kwarg(call, cx.src, k)
            && let Some(s) = syntax::string_value(v, cx.src)
        {
            return Some(s.to_string());
        }
    }
    None
}

fn python_entries<'t>(cx: &Cx<'t>, funcs: &[Func<'t>], out: &mut Vec<Entry<'t>>) {
    let web = PY_WEB_MODULES.iter().any(|m| cx.imports().has_module(m));
    let views_file = {
        let p = cx.path;
        p.ends_with("views.py") || p.contains("/views/") || p.ends_with("api.py")
    };
    for f in funcs {
        let node = f.node;
        // Decorators.
        let mut is_entry: Option<(EntryKind, Option<String>)> = None;
        if let Some(dd) = node
            .parent()
            .filter(|p| p.kind_name() == "decorated_definition")
        {
            let mut c = dd.walk();
            for d in dd
                .named_children(&mut c)
                .filter(|d| d.kind_name() == "decorator")
            {
                let Some(expr) = d.named_child(0) else {
                    continue;
                };
                let (callee, call) = if expr.kind_name() == "call" {
                    (syntax::callee_text(expr, cx.src), Some(expr))
                } else {
                    (cx.text(expr).to_string(), None)
                };
                let last = syntax::last_segment(&callee);
                let has_recv = callee.contains('.');
                if has_recv && PY_ROUTE_METHODS.contains(&last) {
                    if let Some(call) = call {
                        let route = route_arg(call, cx);
                        // `@app.get("/x")`, `@router.post("")`; not `@cache.get(key)`.
                        if route.is_some() || last == "route" || last == "api_route" {
                            is_entry = Some((EntryKind::Http, route));
                        }
                    }
                } else if matches!(
                    last,
                    "api_view"
                        | "require_http_methods"
                        | "require_POST"
                        | "require_GET"
                        | "require_safe"
                        | "csrf_exempt"
                        | "view_config"
                        | "action"
                ) {
                    is_entry = Some((EntryKind::Http, None));
                } else if matches!(
                    last,
                    "subscribe" | "kafka_listener" | "sqs_listener" | "consumer"
                ) && has_recv
                {
                    is_entry = Some((EntryKind::Message, None));
                }
            }
        }
        // Methods of view classes and gRPC servicers.
        if is_entry.is_none()
            && let Some(class) = enclosing_class(node)
            && syntax::enclosing_function(node, Family::Python).is_none()
        {
            let bases = class
                .field("superclasses")
                .map(|b| cx.text(b))
                .unwrap_or("");
            let base_names: Vec<&str> = bases
                .trim_matches(|c| c == '(' || c == ')')
                .split(',')
                .map(|b| syntax::last_segment(b.trim()))
                .collect();
            let ps = params(node, cx);
            if base_names.iter().any(|b| b.ends_with("Servicer"))
                && ps.len() == 3
                && !f.name.starts_with('_')
            {
                is_entry = Some((EntryKind::Rpc, None));
            } else if base_names.iter().any(|b| {
                PY_VIEW_BASES.contains(b) || b.ends_with("ViewSet") || b.ends_with("APIView")
            }) && PY_VIEW_METHODS.contains(&f.name.as_str())
            {
                is_entry = Some((EntryKind::Http, None));
            }
        }
        // Django function views and `request`-first handlers in web modules.
        if is_entry.is_none() && web {
            let ps = params(node, cx);
            let first = ps
                .iter()
                .find(|(n, _)| n != "self" && n != "cls")
                .map(|(n, t)| (n.as_str(), t.as_str()));
            let top_level = syntax::enclosing_function(node, Family::Python).is_none();
            if let Some((name, ty)) = first
                && top_level
                && (name == "request" || name == "req")
                && (views_file || ty.ends_with("Request") || ty.ends_with("HttpRequest"))
                && enclosing_class(node).is_none()
            {
                is_entry = Some((EntryKind::Http, None));
            }
        }
        if let Some((kind, route)) = is_entry {
            out.push(Entry {
                func: node,
                name: f.name.clone(),
                kind,
                route,
            });
        }
    }
}

fn enclosing_class(n: Node<'_>) -> Option<Node<'_>> {
    let p = n.parent()?;
    let p = if p.kind_name() == "decorated_definition" {
        p.parent()?
    } else {
        p
    };
    // function_definition -> block -> class_definition
    if p.kind_name() == "block" {
        let c = p.parent()?;
        if c.kind_name() == "class_definition" {
            return Some(c);
        }
    }
    None
}

/// Go route registrations: `mux.HandleFunc("/x", h)`, `r.POST("/x", h)`, `r.Post("/x", h)`:
/// (handler name or func literal start byte, path).
fn go_routes<'t>(cx: &Cx<'t>, calls: &[Node<'t>]) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for &n in calls {
        let w = syntax::callee_text(n, cx.src);
        let m = syntax::last_segment(&w);
        if !matches!(
            m,
            "HandleFunc"
                | "Handle"
                | "GET"
                | "POST"
                | "PUT"
                | "PATCH"
                | "DELETE"
                | "Get"
                | "Post"
                | "Put"
                | "Patch"
                | "Delete"
                | "Any"
                | "Method"
                | "MethodFunc"
        ) {
            continue;
        }
        let args = syntax::positional_args(n);
        let Some(path) = args
            .iter()
            .find_map(|a| syntax::string_value(*a, cx.src))
            .filter(|p| p.starts_with('/') || p.contains(" /"))
        else {
            continue;
        };
        let path = path.rsplit(' ').next().unwrap_or(path).to_string();
        for a in args.iter().skip(1) {
            let a = if a.kind_name() == "call_expression" {
                // http.HandlerFunc(h), middleware(h)
                syntax::positional_args(*a).last().copied().unwrap_or(*a)
            } else {
                *a
            };
            match a.kind_name() {
                "func_literal" => out.push((String::new(), a.start_byte(), path.clone())),
                "identifier" | "selector_expression" => out.push((
                    syntax::last_segment(cx.text(a)).to_string(),
                    0,
                    path.clone(),
                )),
                _ => {}
            }
        }
    }
    out
}

fn go_entries<'t>(cx: &Cx<'t>, sc: &Scan<'t>, out: &mut Vec<Entry<'t>>) {
    let mut candidates: Vec<(Node<'t>, String)> =
        sc.funcs.iter().map(|f| (f.node, f.name.clone())).collect();
    candidates.extend(sc.anon.iter().map(|n| (*n, String::new())));
    let routes = go_routes(cx, &sc.calls);
    let route_of = |node: Node<'_>, name: &str| -> Option<String> {
        routes
            .iter()
            .find(|(n, b, _)| {
                (!name.is_empty() && n == name) || (*b != 0 && *b == node.start_byte())
            })
            .map(|(_, _, p)| p.clone())
    };
    for (node, name) in candidates {
        let ps = params(node, cx);
        let types: Vec<&str> = ps.iter().map(|(_, t)| t.as_str()).collect();
        let http = types.iter().any(|t| t.ends_with("ResponseWriter"))
            && types.iter().any(|t| t.ends_with("http.Request"))
            || types
                .iter()
                .any(|t| matches!(*t, "*gin.Context" | "echo.Context" | "*fiber.Ctx"));
        let route = route_of(node, &name);
        if http || route.is_some() {
            out.push(Entry {
                func: node,
                name,
                kind: EntryKind::Http,
                route,
            });
            continue;
        }
        // gRPC unary: method (ctx context.Context, req *pb.X) (*pb.Y, error)
        if node.kind_name() == "method_declaration" && types.len() == 2 {
            let result = node.field("result").map(|r| cx.text(r)).unwrap_or("");
            let exported = name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            if exported
                && types[0] == "context.Context"
                && types[1].starts_with('*')
                && types[1].contains('.')
                && result.contains("error")
                && result.contains('*')
                && result.contains('.')
            {
                out.push(Entry {
                    func: node,
                    name,
                    kind: EntryKind::Rpc,
                    route: None,
                });
            }
        }
    }
}

const JS_ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "head", "options",
];

fn js_entries<'t>(cx: &Cx<'t>, sc: &Scan<'t>, out: &mut Vec<Entry<'t>>) {
    let funcs = &sc.funcs;
    let is_func = |n: Node<'_>| {
        matches!(
            n.kind_name(),
            "arrow_function" | "function_expression" | "function"
        )
    };
    let by_name = |name: &str| -> Vec<Node<'t>> {
        funcs
            .iter()
            .filter(|f| f.name == name)
            .map(|f| f.node)
            .collect()
    };
    for &n in sc.calls.iter().chain(sc.methods.iter()) {
        match n.kind_name() {
            "call_expression" => {
                let callee = syntax::callee_text(n, cx.src);
                let Some((recv, method)) = callee.rsplit_once('.') else {
                    continue;
                };
                let args = syntax::positional_args(n);
                if JS_ROUTE_METHODS.contains(&method) || method == "use" {
                    // app.get('/x', mw, handler), router.route('/x').post(handler)
                    let path = args
                        .first()
                        .and_then(|a| syntax::string_value(*a, cx.src))
                        .filter(|s| s.starts_with('/') || s.starts_with('*'));
                    let chained_route = recv.contains(".route(");
                    let route = if chained_route {
                        recv.split(".route(")
                            .nth(1)
                            .map(|r| unquote(r.trim_end_matches(')')).to_string())
                    } else {
                        path.map(str::to_string)
                    };
                    if route.is_none() {
                        continue;
                    }
                    if method == "use" {
                        continue;
                    }
                    let handlers = if chained_route {
                        &args[..]
                    } else {
                        &args[1.min(args.len())..]
                    };
                    for a in handlers {
                        let targets: Vec<Node<'t>> = if is_func(*a) {
                            vec![*a]
                        } else if a.kind_name() == "identifier" {
                            by_name(cx.text(*a))
                        } else if a.kind_name() == "member_expression" {
                            by_name(syntax::last_segment(cx.text(*a)))
                        } else {
                            Vec::new()
                        };
                        for t in targets {
                            out.push(Entry {
                                func: t,
                                name: String::new(),
                                kind: EntryKind::Http,
                                route: route.clone(),
                            });
                        }
                    }
                } else if method == "addService" {
                    // grpc-js: server.addService(svc, { charge: chargeHandler, ... })
                    if let Some(obj) = args.get(1).filter(|o| o.kind_name() == "object") {
                        let mut c = obj.walk();
                        for p in obj.named_children(&mut c) {
                            let v = match p.kind_name() {
                                "pair" => p.field("value"),
                                "shorthand_property_identifier" => Some(p),
                                "method_definition" => Some(p),
                                _ => None,
                            };
                            let Some(v) = v else { continue };
                            let rpc = match p.kind_name() {
                                "pair" => p
                                    .field("key")
                                    .map(|k| unquote(cx.text(k)).to_string())
                                    .unwrap_or_default(),
                                "method_definition" => p
                                    .field("name")
                                    .map(|k| cx.text(k).to_string())
                                    .unwrap_or_default(),
                                _ => cx.text(p).to_string(),
                            };
                            // `Server.handler.bind(this)` names `handler`.
                            let v_text = cx.text(v);
                            let v_text = v_text.strip_suffix(".bind(this)").unwrap_or(v_text);
                            let targets: Vec<Node<'t>> =
                                if is_func(v) || v.kind_name() == "method_definition" {
                                    vec![v]
                                } else {
                                    by_name(syntax::last_segment(v_text))
                                };
                            for t in targets {
                                out.push(Entry {
                                    func: t,
                                    name: rpc.clone(),
                                    kind: EntryKind::Rpc,
                                    route: None,
                                });
                            }
                        }
                    }
                }
            }
            "method_definition" => {
                // NestJS: @Get(), @Post('x'), @MessagePattern(...)
                let decos = js_decorators(n, cx);
                let mut kind = None;
                let mut route = None;
                for d in &decos {
                    let name = d.split('(').next().unwrap_or("").trim_start_matches('@');
                    match name {
                        "Get" | "Post" | "Put" | "Patch" | "Delete" | "All" => {
                            kind = Some(EntryKind::Http);
                            route = d
                                .split_once('(')
                                .map(|(_, r)| unquote(r.trim_end_matches(')')).to_string());
                        }
                        "GrpcMethod" => kind = Some(EntryKind::Rpc),
                        "MessagePattern" | "EventPattern" | "Process" | "SqsMessageHandler" => {
                            kind = Some(EntryKind::Message)
                        }
                        _ => {}
                    }
                }
                if let Some(kind) = kind {
                    let name = n
                        .field("name")
                        .map(|x| cx.text(x).to_string())
                        .unwrap_or_default();
                    out.push(Entry {
                        func: n,
                        name,
                        kind,
                        route,
                    });
                }
            }
            _ => {}
        }
    }
    // `(req, res)` handlers, Next.js API routes and route handlers.
    let next_api = cx.path.contains("pages/api/")
        || cx.path.contains("/api/") && {
            let b = crate::files::base_name(cx.path);
            b.starts_with("route.")
        };
    for f in funcs
        .iter()
        .map(|f| (f.node, f.name.as_str()))
        .chain(sc.anon.iter().map(|n| (*n, "")))
    {
        let (node, name) = f;
        let ps = params(node, cx);
        let names: Vec<&str> = ps.iter().map(|(n, _)| n.as_str()).collect();
        let req_res = names.len() >= 2
            && matches!(names[0], "req" | "request")
            && matches!(names[1], "res" | "response" | "reply");
        // grpc-js unary handlers: (call, callback)
        let grpc = names.len() == 2 && names[0] == "call" && names[1] == "callback";
        if grpc {
            out.push(Entry {
                func: node,
                name: name.to_string(),
                kind: EntryKind::Rpc,
                route: None,
            });
            continue;
        }
        let typed_req = ps.first().is_some_and(|(_, t)| {
            matches!(t.as_str(), "Request" | "NextRequest" | "NextApiRequest")
        });
        let next_route = next_api
            && (matches!(
                name,
                "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "handler"
            ) || node.parent().is_some_and(|p| {
                p.kind_name() == "export_statement" && cx.text(p).starts_with("export default")
            }));
        if req_res || typed_req || next_route {
            out.push(Entry {
                func: node,
                name: name.to_string(),
                kind: EntryKind::Http,
                route: None,
            });
        }
    }
}

/// Decorator texts of a JS/TS class method (`@Post('x')`).
fn js_decorators(method: Node<'_>, cx: &Cx<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut c = method.walk();
    for ch in method.children(&mut c) {
        if ch.kind_name() == "decorator" {
            out.push(cx.text(ch).trim_start_matches('@').to_string());
        }
    }
    // Decorators can also precede the method as siblings in the class body.
    let mut prev = method.prev_sibling();
    while let Some(p) = prev {
        if p.kind_name() != "decorator" {
            break;
        }
        out.push(cx.text(p).trim_start_matches('@').to_string());
        prev = p.prev_sibling();
    }
    out
}

/// Annotation names on a Java declaration (`GetMapping`, `KafkaListener`).
pub fn java_annotations<'a>(decl: Node<'_>, cx: &Cx<'a>) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let mut c = decl.walk();
    let Some(mods) = decl.children(&mut c).find(|n| n.kind_name() == "modifiers") else {
        return out;
    };
    let mut c2 = mods.walk();
    for a in mods.named_children(&mut c2) {
        if matches!(a.kind_name(), "annotation" | "marker_annotation")
            && let Some(n) = a.field("name")
        {
            out.push((syntax::last_segment(cx.text(n)), cx.text(a)));
        }
    }
    out
}

fn java_entries<'t>(cx: &Cx<'t>, funcs: &[Func<'t>], out: &mut Vec<Entry<'t>>) {
    for f in funcs {
        let node = f.node;
        if node.kind_name() != "method_declaration" {
            continue;
        }
        let mut kind = None;
        let mut route = None;
        for (name, full) in java_annotations(node, cx) {
            match name {
                "GetMapping" | "PostMapping" | "PutMapping" | "DeleteMapping" | "PatchMapping"
                | "RequestMapping" | "GET" | "POST" | "PUT" | "DELETE" | "PATCH" => {
                    kind = Some(EntryKind::Http);
                    route = full
                        .split('"')
                        .nth(1)
                        .filter(|s| s.starts_with('/'))
                        .map(str::to_string);
                }
                "KafkaListener" | "RabbitListener" | "SqsListener" | "JmsListener"
                | "StreamListener" | "KafkaHandler" | "RabbitHandler" => {
                    kind = Some(EntryKind::Message)
                }
                _ => {}
            }
        }
        if kind.is_none()
            && let Some(class) = syntax::ancestor(node, &["class_declaration"])
        {
            let sup = class.field("superclass").map(|s| cx.text(s)).unwrap_or("");
            let ps = params(node, cx);
            if sup.ends_with("ImplBase") && ps.iter().any(|(_, t)| t.starts_with("StreamObserver"))
            {
                kind = Some(EntryKind::Rpc);
            } else if sup.contains("HttpServlet")
                && matches!(
                    f.name.as_str(),
                    "doGet" | "doPost" | "doPut" | "doDelete" | "service"
                )
            {
                kind = Some(EntryKind::Http);
            }
        }
        if let Some(kind) = kind {
            out.push(Entry {
                func: node,
                name: f.name.clone(),
                kind,
                route,
            });
        }
    }
}

/// Whether a Java class is a framework singleton (one instance serves every request):
/// Spring stereotypes and gRPC service implementations.
pub fn java_singleton_class(class: Node<'_>, cx: &Cx<'_>) -> bool {
    let annotated = java_annotations(class, cx).iter().any(|(n, _)| {
        matches!(
            *n,
            "RestController"
                | "Controller"
                | "Service"
                | "Component"
                | "Repository"
                | "Singleton"
                | "ApplicationScoped"
        )
    });
    let grpc = class
        .field("superclass")
        .is_some_and(|s| cx.text(s).ends_with("ImplBase"));
    annotated || grpc
}

/// Text helper for other rules: the source of a node (re-exported for brevity).
pub fn src<'a>(n: Node<'_>, cx: &Cx<'a>) -> &'a str {
    text(n, cx.src)
}

/// The HTTP method an entry is registered for, when the registration says it
/// (`@app.get`, `@app.route(methods=[...])` (Flask defaults to GET), `app.post(...)`,
/// `@GetMapping`, NestJS `@Get()`), upper-cased.
pub fn http_method(e: &Entry<'_>, cx: &Cx<'_>) -> Option<String> {
    const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];
    match cx.family() {
        Family::Python => {
            let dd = e
                .func
                .parent()
                .filter(|p| p.kind_name() == "decorated_definition")?;
            let mut c = dd.walk();
            for d in dd
                .named_children(&mut c)
                .filter(|d| d.kind_name() == "decorator")
            {
                let Some(call) = d.named_child(0).filter(|x| x.kind_name() == "call") else {
                    continue;
                };
                let callee = syntax::callee_text(call, cx.src);
                let last = syntax::last_segment(&callee);
                if VERBS.contains(&last) && callee.contains('.') {
                    return Some(last.to_ascii_uppercase());
                }
                if last == "route" {
                    let methods = syntax::kwarg(call, cx.src, "methods")
                        .map(|m| cx.text(m).to_ascii_uppercase())
                        .unwrap_or_else(|| "[\"GET\"]".to_string());
                    let only_get = !["POST", "PUT", "PATCH", "DELETE"]
                        .iter()
                        .any(|v| methods.contains(v));
                    return Some(if only_get {
                        "GET".into()
                    } else {
                        "POST".into()
                    });
                }
            }
            None
        }
        Family::Js => {
            if e.func.kind_name() == "method_definition" {
                for d in js_decorators(e.func, cx) {
                    let name = d.split('(').next().unwrap_or("").to_ascii_lowercase();
                    if VERBS.contains(&name.as_str()) {
                        return Some(name.to_ascii_uppercase());
                    }
                }
                return None;
            }
            let args = e.func.parent().filter(|p| p.kind_name() == "arguments")?;
            let call = args.parent()?;
            let callee = syntax::callee_text(call, cx.src);
            let last = syntax::last_segment(&callee);
            VERBS.contains(&last).then(|| last.to_ascii_uppercase())
        }
        Family::Java => {
            for (name, full) in java_annotations(e.func, cx) {
                match name {
                    "GetMapping" | "GET" => return Some("GET".into()),
                    "PostMapping" | "POST" => return Some("POST".into()),
                    "PutMapping" | "PUT" => return Some("PUT".into()),
                    "PatchMapping" | "PATCH" => return Some("PATCH".into()),
                    "DeleteMapping" | "DELETE" => return Some("DELETE".into()),
                    "RequestMapping" if full.contains("RequestMethod.GET") => {
                        return Some("GET".into());
                    }
                    _ => {}
                }
            }
            None
        }
        Family::Go => None,
    }
}
