//! The service inventory's code signals: what a service exposes and what it reads and
//! calls, so runbooks, alert rules and SLOs can name real endpoints, variables and metrics
//! (`inventory.rs` gathers them per component).
//!
//! Emits only signals no fact or component kind is decided from: `Route` (`METHOD /path`),
//! `Listen` (a literal port), `EnvRead` (a variable name), `Outbound` (`kind target`),
//! `FeatureFlag` (`key sdk`), `MetricName` (`name type library`) and `GrpcService` (a
//! registered service). Everything is read from literals at the call site; a value the
//! code computes (`fmt.Sprintf(":%s", port)`) is left out rather than guessed. Where
//! another extractor emits the same kind at the same line, the inventory keeps one.

use tree_sitter::Node;

use crate::files::Role;
use crate::lang::Family;
use crate::lang::imports::unquote;
use crate::lang::syntax::{self, kwarg, last_segment, positional_args, string_value};
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Service;
pub static SERVICE: Service = Service;

impl Extractor for Service {
    fn name(&self) -> &'static str {
        "service-inventory"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Go => &["call_expression"],
            Family::Python => &["call", "subscript", "comparison_operator"],
            Family::Js => &[
                "call_expression",
                "new_expression",
                "member_expression",
                "subscript_expression",
                "variable_declarator",
            ],
            Family::Java => &[
                "method_invocation",
                "object_creation_expression",
                "annotation",
                "marker_annotation",
                "class_declaration",
            ],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if cx.role != Role::Production {
            return;
        }
        match node.kind() {
            "call"
            | "call_expression"
            | "new_expression"
            | "method_invocation"
            | "object_creation_expression" => call(node, cx),
            "subscript" | "comparison_operator" => python_environ(node, cx),
            "member_expression" | "subscript_expression" | "variable_declarator" => {
                js_process_env(node, cx)
            }
            "annotation" | "marker_annotation" => java_route(node, cx),
            "class_declaration" => java_grpc_impl(node, cx),
            _ => {}
        }
    }
}

fn call(node: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(node);
    if written.is_empty() {
        return;
    }
    let last = last_segment(&written).to_string();
    env_read(node, cx, &written, &last);
    listen(node, cx, &resolved, &last);
    route(node, cx, &resolved, &last);
    grpc_service(node, cx, &written, &last);
    outbound(node, cx, &resolved, &last);
    metric(node, cx, &resolved, &last);
    flag(node, cx, &last);
}

// ---------------------------------------------------------------- environment variables

/// `FOO_BAR`, `PORT`: the shape of an environment variable name.
pub fn is_env_name(s: &str) -> bool {
    s.len() >= 2
        && s.len() <= 80
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Any call whose callee mentions `env` (`os.Getenv`, `os.environ.get`, `getenv`,
/// `System.getenv().getOrDefault`, a project's `mustMapEnv(&x, "NAME")`) and passes a
/// literal that looks like a variable name reads that variable.
fn env_read(node: Node<'_>, cx: &mut Cx<'_>, written: &str, last: &str) {
    let lower = written.to_ascii_lowercase();
    let last_lower = last.to_ascii_lowercase();
    if !lower.contains("env")
        || ["set", "unset", "put", "clear", "delete", "remove"]
            .iter()
            .any(|p| last_lower.starts_with(p))
    {
        return;
    }
    let src = cx.src;
    if let Some(name) = positional_args(node)
        .into_iter()
        .filter_map(|a| string_value(a, src))
        .find(|s| is_env_name(s))
    {
        cx.signal(SignalKind::EnvRead, node, name.to_string());
    }
}

/// `os.environ["NAME"]` and `"NAME" in os.environ`.
fn python_environ(node: Node<'_>, cx: &mut Cx<'_>) {
    let src = cx.src;
    let is_environ = |n: Node<'_>| {
        let t = syntax::text(n, src);
        t == "environ" || t.ends_with(".environ")
    };
    let name = match node.kind() {
        "subscript" => {
            let (Some(v), Some(k)) = (
                node.child_by_field_name("value"),
                node.child_by_field_name("subscript"),
            ) else {
                return;
            };
            if !is_environ(v) {
                return;
            }
            string_value(k, src)
        }
        _ => {
            let (Some(l), Some(r)) = (node.named_child(0), node.named_child(1)) else {
                return;
            };
            let op_in = (0..node.child_count())
                .filter_map(|i| node.child(i))
                .any(|c| !c.is_named() && c.kind() == "in");
            if !op_in || !is_environ(r) {
                return;
            }
            string_value(l, src)
        }
    };
    if let Some(n) = name.filter(|n| is_env_name(n)) {
        cx.signal(SignalKind::EnvRead, node, n.to_string());
    }
}

/// `process.env.NAME`, `process.env["NAME"]`, `const { A, B } = process.env`.
fn js_process_env(node: Node<'_>, cx: &mut Cx<'_>) {
    let src = cx.src;
    let is_env = |n: Node<'_>| syntax::text(n, src) == "process.env";
    match node.kind() {
        "member_expression" => {
            if let (Some(o), Some(p)) = (
                node.child_by_field_name("object"),
                node.child_by_field_name("property"),
            ) && is_env(o)
            {
                let name = syntax::text(p, src).to_string();
                cx.signal(SignalKind::EnvRead, node, name);
            }
        }
        "subscript_expression" => {
            if let (Some(o), Some(i)) = (
                node.child_by_field_name("object"),
                node.child_by_field_name("index"),
            ) && is_env(o)
                && let Some(name) = string_value(i, src)
            {
                cx.signal(SignalKind::EnvRead, node, name.to_string());
            }
        }
        _ => {
            let (Some(name), Some(value)) = (
                node.child_by_field_name("name"),
                node.child_by_field_name("value"),
            ) else {
                return;
            };
            if name.kind() != "object_pattern" || !is_env(value) {
                return;
            }
            let mut c = name.walk();
            let keys: Vec<(Node<'_>, String)> = name
                .named_children(&mut c)
                .filter_map(|p| match p.kind() {
                    "shorthand_property_identifier_pattern" => {
                        Some((p, syntax::text(p, src).to_string()))
                    }
                    "pair_pattern" | "object_assignment_pattern" => {
                        let k = p
                            .child_by_field_name("key")
                            .or_else(|| p.child_by_field_name("left"))?;
                        Some((p, unquote(syntax::text(k, src)).to_string()))
                    }
                    _ => None,
                })
                .collect();
            for (n, k) in keys {
                cx.signal(SignalKind::EnvRead, n, k);
            }
        }
    }
}

// ---------------------------------------------------------------- ports

fn port_of_int(s: &str) -> Option<u16> {
    s.trim().parse::<u16>().ok().filter(|p| *p > 0)
}

/// `":8080"`, `"0.0.0.0:8080"`, `"[::]:50051"` -> 8080 / 50051.
fn port_of_addr(s: &str) -> Option<u16> {
    let (_, p) = s.rsplit_once(':')?;
    port_of_int(p)
}

fn listen(node: Node<'_>, cx: &mut Cx<'_>, resolved: &str, last: &str) {
    let src = cx.src;
    let args = positional_args(node);
    let lit_port = |n: Node<'_>| -> Option<u16> {
        match n.kind() {
            "integer" | "int_literal" | "number" | "decimal_integer_literal" => {
                port_of_int(syntax::text(n, src))
            }
            _ => string_value(n, src).and_then(port_of_addr),
        }
    };
    let port = match cx.family() {
        Family::Go => match resolved {
            "net.Listen" | "net/http.ListenAndServe" | "net/http.ListenAndServeTLS" => {
                let i = usize::from(resolved == "net.Listen");
                args.get(i).and_then(|a| lit_port(*a))
            }
            _ => None,
        },
        Family::Python => match last {
            "run" | "run_app" => kwarg(node, src, "port").and_then(lit_port),
            "add_insecure_port" | "add_secure_port" => args.first().and_then(|a| lit_port(*a)),
            _ => None,
        },
        Family::Js => match last {
            "listen" => args.first().and_then(|a| {
                if a.kind() == "object" {
                    syntax::js_object_value(*a, src, "port").and_then(lit_port)
                } else {
                    lit_port(*a)
                }
            }),
            "bindAsync" | "bind" => args.first().and_then(|a| lit_port(*a)),
            _ => None,
        },
        Family::Java => match last {
            "forPort" => args.first().and_then(|a| lit_port(*a)),
            _ => None,
        },
    };
    if let Some(p) = port {
        cx.signal(SignalKind::Listen, node, p.to_string());
    }
}

// ---------------------------------------------------------------- routes

const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// A route path from a literal (`"/cart"`) or a concatenation ending in one
/// (`baseUrl + "/cart"` -> `/cart`).
fn path_arg(n: Node<'_>, src: &str) -> Option<String> {
    if let Some(s) = string_value(n, src) {
        return Some(s.to_string());
    }
    if n.kind() == "binary_expression" || n.kind() == "binary_operator" {
        let right = n.child_by_field_name("right")?;
        let s = string_value(right, src)?;
        return s.starts_with('/').then(|| s.to_string());
    }
    None
}

fn emit_route(cx: &mut Cx<'_>, node: Node<'_>, methods: &[String], path: &str) {
    let path = path.trim();
    if !path.starts_with('/') || path.len() > 200 || path.contains(char::is_whitespace) {
        return;
    }
    let mut ms: Vec<String> = methods
        .iter()
        .map(|m| m.to_ascii_uppercase())
        .filter(|m| m == "*" || HTTP_METHODS.contains(&m.as_str()))
        .collect();
    // HEAD beside GET adds nothing to an inventory.
    if ms.iter().any(|m| m == "GET") {
        ms.retain(|m| m != "HEAD");
    }
    ms.dedup();
    if ms.is_empty() {
        ms.push("*".to_string());
    }
    for m in ms {
        cx.signal(SignalKind::Route, node, format!("{m} {path}"));
    }
}

fn route(node: Node<'_>, cx: &mut Cx<'_>, resolved: &str, last: &str) {
    match cx.family() {
        Family::Go => go_route(node, cx, resolved, last),
        Family::Python => python_route(node, cx, resolved, last),
        Family::Js => js_route(node, cx, resolved, last),
        Family::Java => {}
    }
}

fn go_route(node: Node<'_>, cx: &mut Cx<'_>, resolved: &str, last: &str) {
    const REGISTER: &[&str] = &[
        "HandleFunc",
        "Handle",
        "GET",
        "POST",
        "PUT",
        "DELETE",
        "PATCH",
        "HEAD",
        "OPTIONS",
        "Any",
        "Get",
        "Post",
        "Put",
        "Delete",
        "Patch",
        "Head",
        "Options",
    ];
    if !REGISTER.contains(&last) {
        return;
    }
    // `http.Get(url)` and friends are clients, not routes.
    if resolved.starts_with("net/http.") && !matches!(last, "HandleFunc" | "Handle") {
        return;
    }
    let args = positional_args(node);
    if args.len() < 2 {
        return;
    }
    let src = cx.src;
    let Some(raw) = path_arg(args[0], src) else {
        return;
    };
    // Go 1.22 patterns: "GET /items/{id}".
    let (mut methods, path) = match raw.split_once(' ') {
        Some((m, p)) if HTTP_METHODS.contains(&m) => (vec![m.to_string()], p.to_string()),
        _ => (Vec::new(), raw.clone()),
    };
    if methods.is_empty() {
        if matches!(last, "HandleFunc" | "Handle") {
            methods = gorilla_methods(node, src);
        } else if last != "Any" {
            methods.push(last.to_ascii_uppercase());
        }
    }
    emit_route(cx, node, &methods, &path);
}

/// `r.HandleFunc(...).Methods(http.MethodGet, "POST")` -> GET, POST.
fn gorilla_methods(call: Node<'_>, src: &str) -> Vec<String> {
    let Some(sel) = call.parent() else {
        return Vec::new();
    };
    if sel.kind() != "selector_expression"
        || sel
            .child_by_field_name("field")
            .map(|f| syntax::text(f, src))
            != Some("Methods")
    {
        return Vec::new();
    }
    let Some(outer) = sel.parent().filter(|p| p.kind() == "call_expression") else {
        return Vec::new();
    };
    positional_args(outer)
        .into_iter()
        .filter_map(|a| {
            let t = string_value(a, src)
                .map(str::to_string)
                .unwrap_or_else(|| syntax::text(a, src).to_string());
            let t = t.rsplit('.').next().unwrap_or(&t).to_string();
            let m = t.strip_prefix("Method").unwrap_or(&t).to_ascii_uppercase();
            HTTP_METHODS.contains(&m.as_str()).then_some(m)
        })
        .collect()
}

fn python_route(node: Node<'_>, cx: &mut Cx<'_>, resolved: &str, last: &str) {
    let src = cx.src;
    let args = positional_args(node);
    let in_decorator = node.parent().is_some_and(|p| p.kind() == "decorator");
    if in_decorator {
        let verbs = [
            "get",
            "post",
            "put",
            "delete",
            "patch",
            "head",
            "options",
            "route",
            "api_route",
        ];
        if !verbs.contains(&last) {
            return;
        }
        let Some(path) = args.first().and_then(|a| string_value(*a, src)) else {
            return;
        };
        let methods: Vec<String> = if matches!(last, "route" | "api_route") {
            match kwarg(node, src, "methods") {
                Some(list) => syntax::descendants(list)
                    .filter_map(|n| string_value(n, src))
                    .map(str::to_string)
                    .collect(),
                // Flask and FastAPI default to GET.
                None => vec!["GET".to_string()],
            }
        } else {
            vec![last.to_string()]
        };
        let path = path.to_string();
        emit_route(cx, node, &methods, &path);
        return;
    }
    if last == "add_url_rule"
        && let Some(path) = args.first().and_then(|a| string_value(*a, src))
    {
        let path = path.to_string();
        emit_route(cx, node, &["*".to_string()], &path);
        return;
    }
    if (resolved == "django.urls.path" || resolved == "django.urls.re_path")
        && let Some(path) = args.first().and_then(|a| string_value(*a, src))
    {
        let p = format!(
            "/{}",
            path.trim_start_matches('^')
                .trim_end_matches('$')
                .trim_start_matches('/')
        );
        emit_route(cx, node, &["*".to_string()], &p);
    }
}

const JS_SERVER_MODULES: &[&str] = &[
    "express",
    "fastify",
    "koa-router",
    "@koa/router",
    "restify",
    "@hapi/hapi",
    "hono",
    "polka",
    "router",
];

const JS_CLIENT_MODULES: &[&str] = &[
    "axios",
    "got",
    "superagent",
    "node-fetch",
    "ky",
    "http",
    "https",
    "request",
    "supertest",
];

fn js_route(node: Node<'_>, cx: &mut Cx<'_>, resolved: &str, last: &str) {
    if node.kind() != "call_expression" {
        return;
    }
    let verbs = [
        "get", "post", "put", "delete", "patch", "head", "options", "all",
    ];
    if !verbs.contains(&last) {
        return;
    }
    let head = resolved.split('.').next().unwrap_or("");
    if JS_CLIENT_MODULES.contains(&head) {
        return;
    }
    let receiver = syntax::receiver(resolved).unwrap_or("");
    let server_file = JS_SERVER_MODULES.iter().any(|m| cx.imports().has_module(m));
    let server_name = matches!(receiver, "app" | "router" | "server" | "fastify" | "api");
    if !(server_file || server_name) {
        return;
    }
    let args = positional_args(node);
    if args.len() < 2 {
        return;
    }
    let src = cx.src;
    let Some(path) = args.first().and_then(|a| string_value(*a, src)) else {
        return;
    };
    let handler_like = args[1..].iter().any(|a| {
        matches!(
            a.kind(),
            "arrow_function" | "function_expression" | "function" | "identifier"
        ) || a.kind() == "member_expression"
    });
    if !handler_like {
        return;
    }
    let m = if last == "all" { "*" } else { last };
    let path = path.to_string();
    emit_route(cx, node, &[m.to_string()], &path);
}

/// Spring `@GetMapping("/x")` / `@RequestMapping(value = "/x", method = POST)` and
/// JAX-RS `@Path("/x")` on a method, prefixed by the class's `@RequestMapping`/`@Path`.
fn java_route(node: Node<'_>, cx: &mut Cx<'_>) {
    let src = cx.src;
    let name = node
        .child_by_field_name("name")
        .map(|n| syntax::text(n, src))
        .unwrap_or("");
    let name = last_segment(name);
    let spring = match name {
        "GetMapping" => Some("GET"),
        "PostMapping" => Some("POST"),
        "PutMapping" => Some("PUT"),
        "DeleteMapping" => Some("DELETE"),
        "PatchMapping" => Some("PATCH"),
        "RequestMapping" => Some("*"),
        _ => None,
    };
    if spring.is_none() && name != "Path" {
        return;
    }
    let Some(method_decl) = node
        .parent()
        .filter(|p| p.kind() == "modifiers")
        .and_then(|m| m.parent())
        .filter(|d| d.kind() == "method_declaration")
    else {
        return;
    };
    let path = annotation_path(node, src).unwrap_or_default();
    let mut method = spring.unwrap_or("*").to_string();
    if name == "RequestMapping" {
        if let Some(m) = annotation_value(node, src, "method") {
            let m = m.rsplit('.').next().unwrap_or(&m).to_ascii_uppercase();
            if HTTP_METHODS.contains(&m.as_str()) {
                method = m;
            }
        }
    } else if name == "Path" {
        // JAX-RS: the verb is a marker annotation beside it.
        if let Some(mods) = node.parent() {
            let mut c = mods.walk();
            for a in mods.named_children(&mut c) {
                let n = a
                    .child_by_field_name("name")
                    .map(|n| syntax::text(n, src))
                    .unwrap_or("");
                if HTTP_METHODS.contains(&n) {
                    method = n.to_string();
                }
            }
        }
    }
    let prefix = syntax::ancestor(method_decl, &["class_declaration"])
        .and_then(|class| class.child_by_field_name("body").map(|_| class))
        .and_then(|class| {
            let mut c = class.walk();
            let mods = class
                .named_children(&mut c)
                .find(|n| n.kind() == "modifiers")?;
            let mut c2 = mods.walk();
            let ann = mods.named_children(&mut c2).find(|a| {
                let n = a
                    .child_by_field_name("name")
                    .map(|n| syntax::text(n, src))
                    .unwrap_or("");
                matches!(last_segment(n), "RequestMapping" | "Path")
            })?;
            annotation_path(ann, src)
        })
        .unwrap_or_default();
    let full = join_paths(&prefix, &path);
    emit_route(cx, node, &[method], &full);
}

fn join_paths(prefix: &str, path: &str) -> String {
    let p = prefix.trim_end_matches('/');
    let q = path.trim_start_matches('/');
    let mut s = format!("{p}/{q}");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if s.len() > 1 && s.ends_with('/') && !path.ends_with('/') {
        s.pop();
    }
    s
}

/// The path of a mapping annotation: its first string, or `value =`/`path =`.
fn annotation_path(ann: Node<'_>, src: &str) -> Option<String> {
    let args = ann.child_by_field_name("arguments")?;
    let mut c = args.walk();
    for a in args.named_children(&mut c) {
        match a.kind() {
            "element_value_pair" => {
                let k = a
                    .child_by_field_name("key")
                    .map(|k| syntax::text(k, src))
                    .unwrap_or("");
                if matches!(k, "value" | "path")
                    && let Some(v) = a.child_by_field_name("value")
                {
                    return first_string(v, src);
                }
            }
            _ => {
                if let Some(s) = first_string(a, src) {
                    return Some(s);
                }
            }
        }
    }
    None
}

fn annotation_value(ann: Node<'_>, src: &str, key: &str) -> Option<String> {
    let args = ann.child_by_field_name("arguments")?;
    let mut c = args.walk();
    args.named_children(&mut c)
        .filter(|a| a.kind() == "element_value_pair")
        .find_map(|a| {
            let k = a.child_by_field_name("key")?;
            (syntax::text(k, src) == key)
                .then(|| a.child_by_field_name("value"))
                .flatten()
                .map(|v| syntax::text(v, src).to_string())
        })
}

fn first_string(n: Node<'_>, src: &str) -> Option<String> {
    syntax::descendants(n)
        .find_map(|d| string_value(d, src))
        .map(str::to_string)
}

// ---------------------------------------------------------------- gRPC services

fn grpc_service(node: Node<'_>, cx: &mut Cx<'_>, written: &str, last: &str) {
    let src = cx.src;
    let name = match cx.family() {
        // pb.RegisterCartServiceServer(srv, impl)
        Family::Go => last
            .strip_prefix("Register")
            .and_then(|s| s.strip_suffix("Server"))
            .filter(|s| !s.is_empty() && positional_args(node).len() >= 2)
            .map(str::to_string),
        // demo_pb2_grpc.add_CartServiceServicer_to_server(svc, server)
        Family::Python => last
            .strip_prefix("add_")
            .and_then(|s| s.strip_suffix("Servicer_to_server"))
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        // server.addService(proto.hipstershop.CartService.service, impl)
        Family::Js => (last == "addService")
            .then(|| positional_args(node).first().copied())
            .flatten()
            .map(|a| syntax::text(a, src))
            .and_then(|t| t.strip_suffix(".service"))
            .map(|t| last_segment(t).to_string()),
        // new HealthStatusManager() registers grpc.health.v1.Health.
        Family::Java => (node.kind() == "object_creation_expression"
            && last_segment(written) == "HealthStatusManager")
            .then(|| "Health".to_string()),
    };
    if let Some(n) = name.filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_')) {
        cx.signal(SignalKind::GrpcService, node, n);
    }
}

/// `class AdServiceImpl extends AdServiceGrpc.AdServiceImplBase` -> `AdService`.
fn java_grpc_impl(node: Node<'_>, cx: &mut Cx<'_>) {
    let src = cx.src;
    let Some(sup) = node.child_by_field_name("superclass") else {
        return;
    };
    let t = syntax::text(sup, src);
    let t = t.trim_start_matches("extends").trim();
    let base = last_segment(t);
    if let Some(name) = base.strip_suffix("ImplBase").filter(|n| !n.is_empty()) {
        let name = name.to_string();
        cx.signal(SignalKind::GrpcService, node, name);
    }
}

// ---------------------------------------------------------------- outbound dependencies

/// Datastores, queues and cloud services recognised by the client constructor, as
/// (resolved callee prefix or exact name, kind). Matching is on the resolved callee, so
/// an alias or a `from x import y` does not hide it.
const CLIENTS: &[(&str, &str)] = &[
    // Go
    ("github.com/jackc/pgx/v5.Connect", "postgres"),
    ("github.com/jackc/pgx/v5/pgxpool.New", "postgres"),
    ("github.com/jackc/pgx/v4.Connect", "postgres"),
    ("github.com/jackc/pgx/v4/pgxpool.Connect", "postgres"),
    ("github.com/redis/go-redis/v9.NewClient", "redis"),
    ("github.com/redis/go-redis/v9.NewClusterClient", "redis"),
    ("github.com/go-redis/redis/v8.NewClient", "redis"),
    ("github.com/go-redis/redis.NewClient", "redis"),
    ("github.com/gomodule/redigo/redis.Dial", "redis"),
    ("go.mongodb.org/mongo-driver/mongo.Connect", "mongodb"),
    ("github.com/segmentio/kafka-go.NewReader", "kafka"),
    ("github.com/segmentio/kafka-go.NewWriter", "kafka"),
    ("github.com/IBM/sarama.NewSyncProducer", "kafka"),
    ("github.com/IBM/sarama.NewConsumerGroup", "kafka"),
    ("github.com/Shopify/sarama.NewSyncProducer", "kafka"),
    ("github.com/Shopify/sarama.NewConsumerGroup", "kafka"),
    ("github.com/rabbitmq/amqp091-go.Dial", "rabbitmq"),
    ("github.com/streadway/amqp.Dial", "rabbitmq"),
    ("github.com/nats-io/nats.go.Connect", "nats"),
    ("cloud.google.com/go/spanner.NewClient", "spanner"),
    ("cloud.google.com/go/pubsub.NewClient", "pubsub"),
    ("cloud.google.com/go/firestore.NewClient", "firestore"),
    ("cloud.google.com/go/storage.NewClient", "gcs"),
    ("cloud.google.com/go/bigquery.NewClient", "bigquery"),
    (
        "github.com/aws/aws-sdk-go-v2/service/sqs.NewFromConfig",
        "sqs",
    ),
    (
        "github.com/aws/aws-sdk-go-v2/service/s3.NewFromConfig",
        "s3",
    ),
    (
        "github.com/aws/aws-sdk-go-v2/service/dynamodb.NewFromConfig",
        "dynamodb",
    ),
    // Python
    ("psycopg2.connect", "postgres"),
    ("psycopg.connect", "postgres"),
    ("psycopg_pool.ConnectionPool", "postgres"),
    ("asyncpg.connect", "postgres"),
    ("asyncpg.create_pool", "postgres"),
    ("pymysql.connect", "mysql"),
    ("MySQLdb.connect", "mysql"),
    ("mysql.connector.connect", "mysql"),
    ("redis.Redis", "redis"),
    ("redis.StrictRedis", "redis"),
    ("redis.from_url", "redis"),
    ("redis.asyncio.Redis", "redis"),
    ("redis.asyncio.from_url", "redis"),
    ("pymongo.MongoClient", "mongodb"),
    ("motor.motor_asyncio.AsyncIOMotorClient", "mongodb"),
    ("kafka.KafkaProducer", "kafka"),
    ("kafka.KafkaConsumer", "kafka"),
    ("confluent_kafka.Producer", "kafka"),
    ("confluent_kafka.Consumer", "kafka"),
    ("aiokafka.AIOKafkaProducer", "kafka"),
    ("aiokafka.AIOKafkaConsumer", "kafka"),
    ("pika.BlockingConnection", "rabbitmq"),
    ("aio_pika.connect_robust", "rabbitmq"),
    ("celery.Celery", "celery broker"),
    ("google.cloud.pubsub_v1.PublisherClient", "pubsub"),
    ("google.cloud.pubsub_v1.SubscriberClient", "pubsub"),
    ("google.cloud.spanner.Client", "spanner"),
    ("google.cloud.storage.Client", "gcs"),
    ("google.cloud.firestore.Client", "firestore"),
    ("google.cloud.bigquery.Client", "bigquery"),
    (
        "google.cloud.secretmanager.SecretManagerServiceClient",
        "secret-manager",
    ),
    ("elasticsearch.Elasticsearch", "elasticsearch"),
    ("openai.OpenAI", "openai"),
    ("openai.AsyncOpenAI", "openai"),
    ("anthropic.Anthropic", "anthropic"),
    ("anthropic.AsyncAnthropic", "anthropic"),
    ("langchain_google_genai.ChatGoogleGenerativeAI", "gemini"),
    (
        "langchain_google_genai.GoogleGenerativeAIEmbeddings",
        "gemini embeddings",
    ),
    ("langchain_openai.ChatOpenAI", "openai"),
    (
        "langchain_google_alloydb_pg.AlloyDBEngine.from_instance",
        "alloydb",
    ),
    ("sqlalchemy.create_engine", "sql"),
    ("sqlalchemy.ext.asyncio.create_async_engine", "sql"),
    ("boto3.client", "aws"),
    ("boto3.resource", "aws"),
    // JavaScript
    ("pg.Pool", "postgres"),
    ("pg.Client", "postgres"),
    ("mysql.createConnection", "mysql"),
    ("mysql.createPool", "mysql"),
    ("mysql2.createConnection", "mysql"),
    ("mysql2.createPool", "mysql"),
    ("mysql2/promise.createPool", "mysql"),
    ("ioredis", "redis"),
    ("redis.createClient", "redis"),
    ("mongoose.connect", "mongodb"),
    ("mongodb.MongoClient", "mongodb"),
    ("kafkajs.Kafka", "kafka"),
    ("amqplib.connect", "rabbitmq"),
    ("@google-cloud/pubsub.PubSub", "pubsub"),
    ("@google-cloud/storage.Storage", "gcs"),
    ("@aws-sdk/client-sqs.SQSClient", "sqs"),
    ("@aws-sdk/client-s3.S3Client", "s3"),
    ("@aws-sdk/client-dynamodb.DynamoDBClient", "dynamodb"),
    ("openai", "openai"),
    ("openai.OpenAI", "openai"),
    ("@anthropic-ai/sdk", "anthropic"),
    // Java
    ("DriverManager.getConnection", "sql"),
    ("java.sql.DriverManager.getConnection", "sql"),
    ("redis.clients.jedis.JedisPool", "redis"),
    ("redis.clients.jedis.Jedis", "redis"),
    ("com.mongodb.client.MongoClients.create", "mongodb"),
    ("org.apache.kafka.clients.producer.KafkaProducer", "kafka"),
    ("org.apache.kafka.clients.consumer.KafkaConsumer", "kafka"),
];

/// HTTP client calls whose first argument (or second, for `NewRequest`) is the URL.
const HTTP_CLIENTS: &[(&str, usize)] = &[
    ("requests.get", 0),
    ("requests.post", 0),
    ("requests.put", 0),
    ("requests.patch", 0),
    ("requests.delete", 0),
    ("requests.head", 0),
    ("requests.request", 1),
    ("httpx.get", 0),
    ("httpx.post", 0),
    ("httpx.put", 0),
    ("httpx.delete", 0),
    ("httpx.Client", 0),
    ("httpx.AsyncClient", 0),
    ("urllib.request.urlopen", 0),
    ("urllib.request.Request", 0),
    ("net/http.Get", 0),
    ("net/http.Post", 0),
    ("net/http.Head", 0),
    ("net/http.PostForm", 0),
    ("net/http.NewRequest", 1),
    ("net/http.NewRequestWithContext", 2),
    ("fetch", 0),
    ("axios", 0),
    ("axios.get", 0),
    ("axios.post", 0),
    ("axios.put", 0),
    ("axios.patch", 0),
    ("axios.delete", 0),
    ("got", 0),
    ("got.get", 0),
    ("got.post", 0),
    ("URI.create", 0),
    ("java.net.URI.create", 0),
];

/// The host of an absolute http(s) URL literal, without credentials.
fn url_host(s: &str) -> Option<String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.trim();
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then(|| host.to_string())
}

/// Whether an address expression points at this host.
fn is_loopback(target: &str) -> bool {
    ["localhost", "127.0.0.1", "[::]", "0.0.0.0", "[::1]"]
        .iter()
        .any(|h| target.contains(h))
}

/// A short, single-line rendering of an argument expression (`svc.cartSvcAddr`).
fn short_expr(n: Node<'_>, src: &str) -> Option<String> {
    if let Some(s) = string_value(n, src) {
        // An address literal; a URL with credentials is reduced to its host.
        if s.contains("://") {
            return url_host(s).or_else(|| Some("(literal URL)".to_string()));
        }
        return (!s.is_empty() && s.len() <= 120 && !s.contains('@')).then(|| s.to_string());
    }
    let t: String = syntax::text(n, src).split_whitespace().collect();
    (!t.is_empty() && t.len() <= 60).then_some(t)
}

fn outbound(node: Node<'_>, cx: &mut Cx<'_>, resolved: &str, last: &str) {
    let src = cx.src;
    let args = positional_args(node);
    // gRPC channels.
    let grpc_target = match cx.family() {
        Family::Go => match resolved {
            "google.golang.org/grpc.Dial" | "google.golang.org/grpc.NewClient" => {
                args.first().copied()
            }
            "google.golang.org/grpc.DialContext" => args.get(1).copied(),
            _ => None,
        },
        Family::Python => match resolved {
            "grpc.insecure_channel"
            | "grpc.secure_channel"
            | "grpc.aio.insecure_channel"
            | "grpc.aio.secure_channel" => args.first().copied(),
            _ => None,
        },
        Family::Java => match last {
            "forTarget" | "forAddress"
                if resolved.contains("ChannelBuilder") || resolved.contains("Channel") =>
            {
                args.first().copied()
            }
            _ => None,
        },
        Family::Js => {
            // new proto.hipstershop.CartService(addr, grpc.credentials.createInsecure())
            (node.kind() == "new_expression"
                && args.len() >= 2
                && syntax::text(args[1], src).contains("credentials.create"))
            .then(|| args[0])
        }
    };
    if let Some(t) = grpc_target {
        let target = if cx.family() == Family::Java && last == "forAddress" && args.len() >= 2 {
            match (short_expr(args[0], src), short_expr(args[1], src)) {
                (Some(h), Some(p)) => Some(format!("{h}:{p}")),
                _ => None,
            }
        } else {
            short_expr(t, src)
        };
        // A channel to this process itself (a health client, a smoke test) is not a
        // dependency.
        if target.as_deref().is_some_and(is_loopback) {
            return;
        }
        let detail = match target {
            Some(t) => format!("grpc {t}"),
            None => "grpc".to_string(),
        };
        cx.signal(SignalKind::Outbound, node, detail);
        return;
    }
    // Datastores, queues, cloud and model APIs.
    if let Some((_, kind)) = CLIENTS
        .iter()
        .find(|(name, _)| resolved == *name || resolved.ends_with(&format!(".{name}")))
    {
        let mut detail = kind.to_string();
        // boto3.client("sqs"), sql.Open("postgres", ...) name the service in a literal.
        if *kind == "aws"
            && let Some(s) = args.first().and_then(|a| string_value(*a, src))
        {
            detail = format!("aws {s}");
        }
        cx.signal(SignalKind::Outbound, node, detail);
        return;
    }
    if resolved == "database/sql.Open"
        && let Some(driver) = args.first().and_then(|a| string_value(*a, src))
    {
        let d = match driver {
            "postgres" | "pgx" => "postgres",
            "mysql" => "mysql",
            "sqlite3" | "sqlite" => "sqlite",
            "sqlserver" | "mssql" => "sqlserver",
            other => other,
        };
        let d = d.to_string();
        cx.signal(SignalKind::Outbound, node, d);
        return;
    }
    // HTTP calls to a literal URL.
    if let Some((_, i)) = HTTP_CLIENTS.iter().find(|(n, _)| resolved == *n)
        && let Some(host) = args
            .get(*i)
            .and_then(|a| string_value(*a, src))
            .and_then(url_host)
    {
        cx.signal(SignalKind::Outbound, node, format!("http {host}"));
        return;
    }
    // axios.create({ baseURL: "https://api.example.com" })
    if resolved == "axios.create"
        && let Some(obj) = args.first()
        && let Some(host) = syntax::js_object_value(*obj, src, "baseURL")
            .and_then(|v| string_value(v, src))
            .and_then(url_host)
    {
        cx.signal(SignalKind::Outbound, node, format!("http {host}"));
    }
}

// ---------------------------------------------------------------- metrics

fn metric_type(ctor: &str) -> Option<&'static str> {
    let c = ctor.to_ascii_lowercase();
    let c = c.trim_start_matches("new");
    Some(if c.contains("updowncounter") {
        "gauge"
    } else if c.contains("counter") {
        "counter"
    } else if c.contains("histogram") || c.contains("timer") {
        "histogram"
    } else if c.contains("summary") || c.contains("distributionsummary") {
        "summary"
    } else if c.contains("gauge") {
        "gauge"
    } else {
        return None;
    })
}

fn is_metric_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '-'))
}

fn metric(node: Node<'_>, cx: &mut Cx<'_>, resolved: &str, last: &str) {
    let src = cx.src;
    let args = positional_args(node);
    let found: Option<(String, &str, &str)> = match cx.family() {
        Family::Go => {
            if (resolved.contains("prometheus/client_golang/prometheus")) && last.starts_with("New")
            {
                let ty = metric_type(last);
                let opts = args.first().copied();
                match (ty, opts) {
                    (Some(ty), Some(o)) if o.kind() == "composite_literal" => go_prom_name(o, src)
                        .map(|n| {
                            let labels = args.get(1).map(|l| string_list(*l, src));
                            (with_labels(n, labels), ty, "prometheus")
                        }),
                    // NewCounterVec(opts, labels) where opts is a variable: unknown name.
                    _ => None,
                }
            } else if cx.imports().any_module_contains("go.opentelemetry.io/otel")
                && (last.starts_with("Int64") || last.starts_with("Float64"))
            {
                metric_type(last).and_then(|ty| {
                    args.first()
                        .and_then(|a| string_value(*a, src))
                        .filter(|n| is_metric_name(n))
                        .map(|n| (n.to_string(), ty, "opentelemetry"))
                })
            } else {
                None
            }
        }
        Family::Python => {
            let prom = resolved.starts_with("prometheus_client.");
            if prom {
                metric_type(last).and_then(|ty| {
                    args.first()
                        .and_then(|a| string_value(*a, src))
                        .filter(|n| is_metric_name(n))
                        .map(|n| {
                            let ns = kwarg(node, src, "namespace")
                                .and_then(|v| string_value(v, src))
                                .filter(|s| !s.is_empty());
                            let full = match ns {
                                Some(ns) => format!("{ns}_{n}"),
                                None => n.to_string(),
                            };
                            let labels = kwarg(node, src, "labelnames")
                                .or_else(|| args.get(2).copied())
                                .map(|l| string_list(l, src));
                            (with_labels(full, labels), ty, "prometheus_client")
                        })
                })
            } else if last.starts_with("create_")
                && cx.imports().any_module_contains("opentelemetry")
            {
                metric_type(last).and_then(|ty| {
                    args.first()
                        .and_then(|a| string_value(*a, src))
                        .filter(|n| is_metric_name(n))
                        .map(|n| (n.to_string(), ty, "opentelemetry"))
                })
            } else {
                None
            }
        }
        Family::Js => {
            if resolved.starts_with("prom-client.") && node.kind() == "new_expression" {
                metric_type(last).and_then(|ty| {
                    let obj = args.first().filter(|a| a.kind() == "object")?;
                    let name = syntax::js_object_value(*obj, src, "name")
                        .and_then(|v| string_value(v, src))
                        .filter(|n| is_metric_name(n))?;
                    let labels = syntax::js_object_value(*obj, src, "labelNames")
                        .map(|l| string_list(l, src));
                    Some((with_labels(name.to_string(), labels), ty, "prom-client"))
                })
            } else if last.starts_with("create")
                && cx.imports().any_module_contains("@opentelemetry")
            {
                metric_type(last).and_then(|ty| {
                    args.first()
                        .and_then(|a| string_value(*a, src))
                        .filter(|n| is_metric_name(n))
                        .map(|n| (n.to_string(), ty, "opentelemetry"))
                })
            } else {
                None
            }
        }
        Family::Java => {
            // Micrometer: Counter.builder("x"), Timer.builder("x"), registry.counter("x").
            let micrometer = cx.imports().any_module_contains("io.micrometer");
            let otel = cx.imports().any_module_contains("io.opentelemetry");
            let recv = syntax::receiver(resolved).unwrap_or("");
            let recv_last = last_segment(recv);
            let ty = if micrometer && last == "builder" {
                metric_type(recv_last)
            } else if (micrometer && matches!(last, "counter" | "timer" | "gauge" | "summary"))
                || (otel && last.ends_with("Builder"))
            {
                metric_type(last)
            } else {
                None
            };
            let lib = if micrometer {
                "micrometer"
            } else {
                "opentelemetry"
            };
            ty.and_then(|ty| {
                args.first()
                    .and_then(|a| string_value(*a, src))
                    .filter(|n| is_metric_name(n))
                    .map(|n| (n.to_string(), ty, lib))
            })
        }
    };
    if let Some((name, ty, lib)) = found {
        // `name labels` -> `name type library labels`.
        let detail = match name.split_once(' ') {
            Some((n, labels)) => format!("{n} {ty} {lib} {labels}"),
            None => format!("{name} {ty} {lib}"),
        };
        cx.signal(SignalKind::MetricName, node, detail);
    }
}

/// The string literals of a list (`[]string{"code", "method"}`, `["code"]`).
fn string_list(n: Node<'_>, src: &str) -> Vec<String> {
    syntax::descendants(n)
        .filter_map(|d| string_value(d, src))
        .filter(|s| is_metric_name(s))
        .map(str::to_string)
        .collect()
}

/// `name` followed by its label names, comma-separated, when there are any.
fn with_labels(name: String, labels: Option<Vec<String>>) -> String {
    match labels {
        Some(l) if !l.is_empty() => format!("{name} {}", l.join(",")),
        _ => name,
    }
}

/// `prometheus.CounterOpts{Namespace: "shop", Subsystem: "cart", Name: "adds_total"}`
/// -> `shop_cart_adds_total`; `None` when a part is not a literal.
fn go_prom_name(lit: Node<'_>, src: &str) -> Option<String> {
    let body = lit.child_by_field_name("body")?;
    let mut parts: [Option<String>; 3] = [None, None, None];
    let mut c = body.walk();
    for el in body.named_children(&mut c) {
        if el.kind() != "keyed_element" {
            continue;
        }
        let (Some(k), Some(v)) = (el.named_child(0), el.named_child(1)) else {
            continue;
        };
        let key = syntax::text(k, src).trim();
        let slot = match key {
            "Namespace" => 0,
            "Subsystem" => 1,
            "Name" => 2,
            _ => continue,
        };
        let v = syntax::descendants(v).find_map(|d| string_value(d, src))?;
        parts[slot] = Some(v.to_string());
    }
    let name = parts[2].clone()?;
    let full: Vec<String> = parts
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    let full = full.join("_");
    (is_metric_name(&name) && is_metric_name(&full)).then_some(full)
}

// ---------------------------------------------------------------- feature flags

/// Flag SDK modules: a flag-evaluation method is only believed in a file importing one.
const FLAG_MODULES: &[&str] = &[
    "launchdarkly",
    "ldclient",
    "unleash",
    "openfeature",
    "flagsmith",
    "growthbook",
    "splitio",
    "configcat",
    "flipt",
    "flagd",
    "posthog",
    "statsig",
    "optimizely",
];

const FLAG_METHODS: &[&str] = &[
    "variation",
    "boolVariation",
    "BoolVariation",
    "bool_variation",
    "stringVariation",
    "StringVariation",
    "isEnabled",
    "is_enabled",
    "IsEnabled",
    "getBooleanValue",
    "get_boolean_value",
    "BooleanValue",
    "getStringValue",
    "get_string_value",
    "hasFeature",
    "has_feature",
    "isOn",
    "is_on",
    "isFeatureEnabled",
    "feature_enabled",
    "getTreatment",
    "get_treatment",
    "checkGate",
    "check_gate",
    "getValue",
    "get_value",
];

fn flag(node: Node<'_>, cx: &mut Cx<'_>, last: &str) {
    if !FLAG_METHODS.contains(&last) {
        return;
    }
    let Some(sdk) = FLAG_MODULES
        .iter()
        .find(|m| {
            cx.imports()
                .modules()
                .iter()
                .any(|x| x.to_ascii_lowercase().contains(*m))
        })
        .copied()
    else {
        return;
    };
    let src = cx.src;
    let key = positional_args(node)
        .into_iter()
        .filter_map(|a| string_value(a, src))
        .find(|s| {
            !s.is_empty()
                && s.len() <= 100
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        });
    if let Some(k) = key {
        let k = k.to_string();
        cx.signal(SignalKind::FeatureFlag, node, format!("{k} {sdk}"));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::engine::Engine;
    use crate::lang::Lang;

    fn signals(path: &str, src: &str) -> Vec<(SignalKind, u32, String)> {
        let Some(lang) = Lang::from_path(path) else {
            panic!("no language for {path}");
        };
        let engine = Engine::new(Vec::new(), vec![&SERVICE]);
        let out = engine
            .analyze(path, lang, Role::Production, src, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut v: Vec<_> = out
            .signals
            .into_iter()
            .map(|s| (s.kind, s.line, s.detail))
            .collect();
        v.sort();
        v
    }

    fn has(v: &[(SignalKind, u32, String)], kind: SignalKind, line: u32, detail: &str) -> bool {
        v.iter()
            .any(|(k, l, d)| *k == kind && *l == line && d == detail)
    }

    fn assert_has(v: &[(SignalKind, u32, String)], kind: SignalKind, line: u32, detail: &str) {
        assert!(
            has(v, kind, line, detail),
            "expected {kind:?} at line {line}: {detail:?}; got {v:#?}"
        );
    }

    #[test]
    fn go_service() {
        let src = r#"package main

import (
	"net"
	"net/http"
	"os"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	pb "example.com/shop/genproto"
)

var orders = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "shop", Name: "orders_total"}, []string{"code"})

func main() {
	port := os.Getenv("PORT")
	mustMapEnv(&addr, "CART_SERVICE_ADDR")
	conn, _ := grpc.NewClient(addr)
	r := mux.NewRouter()
	r.HandleFunc(base+"/cart", h).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/cart/checkout", h).Methods(http.MethodPost)
	r.HandleFunc("/_healthz", ok)
	http.Get("https://api.example.com/v1/rates")
	lis, _ := net.Listen("tcp", ":5050")
	srv := grpc.NewServer()
	pb.RegisterCheckoutServiceServer(srv, svc)
	os.Setenv("IGNORED_NAME", "x")
	http.ListenAndServe(":"+port, r)
}
"#;
        let v = signals("cmd/main.go", src);
        assert_has(
            &v,
            SignalKind::MetricName,
            14,
            "shop_orders_total counter prometheus code",
        );
        assert_has(&v, SignalKind::EnvRead, 17, "PORT");
        assert_has(&v, SignalKind::EnvRead, 18, "CART_SERVICE_ADDR");
        assert_has(&v, SignalKind::Outbound, 19, "grpc addr");
        assert_has(&v, SignalKind::Route, 21, "GET /cart");
        assert!(!has(&v, SignalKind::Route, 21, "HEAD /cart"));
        assert_has(&v, SignalKind::Route, 22, "POST /cart/checkout");
        assert_has(&v, SignalKind::Route, 23, "* /_healthz");
        assert_has(&v, SignalKind::Outbound, 24, "http api.example.com");
        assert_has(&v, SignalKind::Listen, 25, "5050");
        assert_has(&v, SignalKind::GrpcService, 27, "CheckoutService");
        assert!(!v.iter().any(|(_, _, d)| d == "IGNORED_NAME"), "{v:#?}");
        // The client call `http.Get` is not a route, and nothing else fired.
        assert_eq!(
            v.iter().filter(|(k, _, _)| *k == SignalKind::Route).count(),
            3
        );
    }

    #[test]
    fn python_service() {
        let src = r#"import os
import grpc
import redis
from flask import Flask
from prometheus_client import Counter, Histogram
import demo_pb2_grpc

app = Flask(__name__)
REQS = Counter("requests", "Requests", namespace="email")
LAT = Histogram("send_seconds", "Latency")

@app.route("/orders", methods=["POST"])
def orders():
    if "DISABLE_PROFILER" in os.environ:
        pass
    cache = redis.Redis(host=os.environ["REDIS_HOST"])
    return os.environ.get("REGION", "eu")

@app.get("/healthz")
def health():
    return "ok"

def serve():
    channel = grpc.insecure_channel(os.getenv("CATALOG_ADDR", ""))
    demo_pb2_grpc.add_EmailServiceServicer_to_server(svc, server)
    server.add_insecure_port("[::]:8080")
    app.run(port=5000)
"#;
        let v = signals("svc/app.py", src);
        assert_has(
            &v,
            SignalKind::MetricName,
            9,
            "email_requests counter prometheus_client",
        );
        assert_has(
            &v,
            SignalKind::MetricName,
            10,
            "send_seconds histogram prometheus_client",
        );
        assert_has(&v, SignalKind::Route, 12, "POST /orders");
        assert_has(&v, SignalKind::EnvRead, 14, "DISABLE_PROFILER");
        assert_has(&v, SignalKind::Outbound, 16, "redis");
        assert_has(&v, SignalKind::EnvRead, 16, "REDIS_HOST");
        assert_has(&v, SignalKind::EnvRead, 17, "REGION");
        assert_has(&v, SignalKind::Route, 19, "GET /healthz");
        assert_has(
            &v,
            SignalKind::Outbound,
            24,
            "grpc os.getenv(\"CATALOG_ADDR\",\"\")",
        );
        assert_has(&v, SignalKind::EnvRead, 24, "CATALOG_ADDR");
        assert_has(&v, SignalKind::GrpcService, 25, "EmailService");
        assert_has(&v, SignalKind::Listen, 26, "8080");
        assert_has(&v, SignalKind::Listen, 27, "5000");
    }

    #[test]
    fn javascript_service() {
        let src = r#"const express = require('express');
const client = require('prom-client');
const grpc = require('@grpc/grpc-js');
const axios = require('axios');
const { DB_URL, API_KEY } = process.env;

const app = express();
const hits = new client.Counter({ name: 'checkout_hits_total', help: 'h' });
app.get('/items/:id', (req, res) => res.send(process.env.REGION));
app.post('/items', handler);
axios.get('/relative/not/a/route');
server.addService(proto.hipstershop.CurrencyService.service, impl);
const cart = new proto.hipstershop.CartService(process.env["CART_ADDR"], grpc.credentials.createInsecure());
app.listen(3000);
"#;
        let v = signals("server.js", src);
        assert_has(&v, SignalKind::EnvRead, 5, "DB_URL");
        assert_has(&v, SignalKind::EnvRead, 5, "API_KEY");
        assert_has(
            &v,
            SignalKind::MetricName,
            8,
            "checkout_hits_total counter prom-client",
        );
        assert_has(&v, SignalKind::Route, 9, "GET /items/:id");
        assert_has(&v, SignalKind::EnvRead, 9, "REGION");
        assert_has(&v, SignalKind::Route, 10, "POST /items");
        assert!(
            !v.iter()
                .any(|(k, l, _)| *k == SignalKind::Route && *l == 11)
        );
        assert_has(&v, SignalKind::GrpcService, 12, "CurrencyService");
        assert_has(
            &v,
            SignalKind::Outbound,
            13,
            "grpc process.env[\"CART_ADDR\"]",
        );
        assert_has(&v, SignalKind::EnvRead, 13, "CART_ADDR");
        assert_has(&v, SignalKind::Listen, 14, "3000");
    }

    #[test]
    fn java_service() {
        let src = r#"package shop;

import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.Counter;

@RestController
@RequestMapping("/api")
class Orders {
  @GetMapping("/orders/{id}")
  public String get() { return System.getenv().getOrDefault("PORT", "9555"); }
  @RequestMapping(value = "/orders", method = RequestMethod.POST)
  public void post() { Counter.builder("orders.created").register(registry); }
}

class AdServiceImpl extends hipstershop.AdServiceGrpc.AdServiceImplBase {
  void start() {
    ServerBuilder.forPort(9555).addService(new AdServiceImpl()).addService(new HealthStatusManager().getHealthService());
  }
}
"#;
        let v = signals("src/main/java/shop/Orders.java", src);
        assert_has(&v, SignalKind::Route, 10, "GET /api/orders/{id}");
        assert_has(&v, SignalKind::EnvRead, 11, "PORT");
        assert_has(&v, SignalKind::Route, 12, "POST /api/orders");
        assert_has(
            &v,
            SignalKind::MetricName,
            13,
            "orders.created counter micrometer",
        );
        assert_has(&v, SignalKind::GrpcService, 16, "AdService");
        assert_has(&v, SignalKind::Listen, 18, "9555");
        assert_has(&v, SignalKind::GrpcService, 18, "Health");
    }

    #[test]
    fn flags_need_an_sdk_import() {
        let with = "import ldclient\n\ndef f(ctx):\n    return ldclient.get().variation(\"new-checkout\", ctx, False)\n";
        let v = signals("app/flags.py", with);
        assert_has(&v, SignalKind::FeatureFlag, 4, "new-checkout ldclient");
        let without = "def f(cfg):\n    return cfg.is_enabled(\"x\")\n";
        assert!(signals("app/other.py", without).is_empty());
    }

    #[test]
    fn channels_to_this_host_are_not_dependencies() {
        let src = "import grpc\n\ndef probe(port):\n    return grpc.insecure_channel('localhost:' + port)\n";
        assert!(signals("svc/client.py", src).is_empty());
    }

    #[test]
    fn urls_never_carry_credentials() {
        assert_eq!(
            url_host("https://user:pw@db.example.com:5432/x"),
            Some("db.example.com:5432".to_string())
        );
        assert_eq!(url_host("ftp://x"), None);
    }
}
