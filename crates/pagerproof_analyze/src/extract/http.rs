//! HTTP servers, their routes, health routes and listening ports.
//!
//! - Python: Flask (`Flask()`, `@app.route`, `@bp.get`, `add_url_rule`), FastAPI/Starlette
//!   (`FastAPI()`, `APIRouter(prefix=)`, `@app.post`, `api_route`, `Route(...)`), Django
//!   (`urls.py` `path`/`re_path`, class-based views' `post`/`put`/`delete`, DRF mutating
//!   viewsets, `request.method == "POST"`), aiohttp (`web.Application`, `add_get`,
//!   `@routes.post`, `web.run_app`), Quart, Sanic, Bottle, BentoML (`@svc.api`,
//!   `@bentoml.api`: POST routes; built-in `/livez` `/readyz`), TorchServe handlers
//!   (built-in `/ping`), uvicorn/gunicorn settings in code (`uvicorn.run`, `gunicorn.conf.py`).
//! - Go: net/http (`HandleFunc`, `Handle`, Go 1.22 `"POST /x"` patterns, `http.Server{}`,
//!   `ListenAndServe`, `net.Listen`), gorilla/mux (`.Methods(...)`), gin, echo, chi
//!   (`r.Route` prefixes), fiber, httprouter (with `Group` prefixes).
//! - Node: Express (`app.get`, `app.route(p).post`), Fastify (`route({method, url})`),
//!   Koa routers, hapi, NestJS (`@Controller` + `@Post`), `http.createServer`, `listen`.
//! - Java: Spring MVC/WebFlux annotations (`@RestController`, `@RequestMapping` prefix +
//!   `@PostMapping`), JAX-RS (`@Path` + `@POST`), Micronaut, Dropwizard (`Application`,
//!   health checks), Javalin, `com.sun.net.httpserver`.
//!
//! A route is a `Route` signal `METHOD /path`; a route whose path is a health path is also
//! a `Health` signal. HTTP clients share method names (`client.get("/x")`), so a Python
//! route needs a decorator or a receiver bound to a server object, and a Go/Node route a
//! file that imports a router framework and a receiver that is not an imported client.

use tree_sitter::Node;

use super::common::{
    self, args, call_name, head_name, is_health_path, join_path, literal_text, norm_path, port_of,
    qualified,
};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, string_value};
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Http;
pub static HTTP: Http = Http;

impl Extractor for Http {
    fn name(&self) -> &'static str {
        "http-servers"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &[
                "call",
                "decorator",
                "assignment",
                "function_definition",
                "comparison_operator",
            ],
            Family::Go => &["call_expression", "composite_literal"],
            Family::Js => &["call_expression", "new_expression"],
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
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Go => go(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
        }
    }
}

/// Records a route and, for a health path, a health endpoint.
fn route(cx: &mut Cx<'_>, at: Node<'_>, method: &str, path: &str) {
    let path = if path == "*" {
        path.to_string()
    } else {
        norm_path(path)
    };
    let detail = format!("{method} {path}");
    if path != "*" && is_health_path(&path) {
        cx.signal(SignalKind::Health, at, detail.clone());
    }
    cx.signal(SignalKind::Route, at, detail);
}

const HTTP_VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

// ---------------------------------------------------------------- Python

const PY_SERVERS: &[(&str, &str)] = &[
    ("flask.Flask", "flask"),
    ("quart.Quart", "quart"),
    ("fastapi.FastAPI", "fastapi"),
    ("starlette.applications.Starlette", "starlette"),
    ("sanic.Sanic", "sanic"),
    ("aiohttp.web.Application", "aiohttp"),
    ("aiohttp.web_app.Application", "aiohttp"),
    ("bottle.Bottle", "bottle"),
    ("falcon.App", "falcon"),
    ("falcon.API", "falcon"),
    ("falcon.asgi.App", "falcon"),
    ("litestar.Litestar", "litestar"),
    ("tornado.web.Application", "tornado"),
    ("django.core.wsgi.get_wsgi_application", "django"),
    ("django.core.asgi.get_asgi_application", "django"),
    ("uvicorn.run", "uvicorn"),
    ("hypercorn.asyncio.serve", "hypercorn"),
    ("waitress.serve", "waitress"),
    ("bentoml.Service", "bentoml"),
    ("bentoml.service", "bentoml"),
    ("http.server.HTTPServer", "http.server"),
    ("http.server.ThreadingHTTPServer", "http.server"),
    ("wsgiref.simple_server.make_server", "wsgiref"),
    ("gevent.pywsgi.WSGIServer", "gevent"),
    ("cherrypy.quickstart", "cherrypy"),
];

/// Router objects and the keyword that carries their prefix.
const PY_ROUTERS: &[(&str, &str)] = &[
    ("flask.Flask", ""),
    ("flask.Blueprint", "url_prefix"),
    ("quart.Quart", ""),
    ("quart.Blueprint", "url_prefix"),
    ("fastapi.FastAPI", "root_path"),
    ("fastapi.APIRouter", "prefix"),
    ("fastapi.routing.APIRouter", "prefix"),
    ("sanic.Sanic", ""),
    ("sanic.Blueprint", "url_prefix"),
    ("aiohttp.web.Application", ""),
    ("aiohttp.web.RouteTableDef", ""),
    ("bottle.Bottle", ""),
    ("litestar.Router", "path"),
    ("bentoml.Service", ""),
];

/// Top-level modules whose calls `py_call` resolves.
const PY_WEB_ROOTS: &[&str] = &[
    "flask",
    "quart",
    "fastapi",
    "starlette",
    "sanic",
    "aiohttp",
    "bottle",
    "falcon",
    "litestar",
    "tornado",
    "django",
    "uvicorn",
    "hypercorn",
    "waitress",
    "bentoml",
    "http",
    "wsgiref",
    "gevent",
    "cherrypy",
];

const PY_WEB_MODULES: &[&str] = &[
    "flask",
    "quart",
    "fastapi",
    "starlette",
    "sanic",
    "aiohttp",
    "bottle",
    "litestar",
    "django",
    "rest_framework",
    "bentoml",
    "falcon",
    "tornado",
];

fn py_web_file(cx: &Cx<'_>) -> bool {
    cx.file_flag("py-web-file", || {
        PY_WEB_MODULES.iter().any(|m| cx.imports().has_module(m))
    })
}

/// Whether the receiver of a route call is a router/app object, and its prefix.
fn py_router(cx: &Cx<'_>, recv: &str) -> Option<String> {
    if recv.ends_with(".router") {
        // aiohttp `app.router.add_get(...)`.
        return Some(String::new());
    }
    for v in cx.bindings().nodes_for_receiver(cx.root, recv) {
        if v.kind_name() != "call" {
            continue;
        }
        let Some(q) = qualified(cx, v) else { continue };
        if let Some((_, kw)) = PY_ROUTERS.iter().find(|(p, _)| q == *p) {
            let prefix = if kw.is_empty() {
                String::new()
            } else {
                kwarg(v, cx.src, kw)
                    .and_then(|x| literal_text(cx, x))
                    .unwrap_or_default()
            };
            return Some(prefix);
        }
    }
    None
}

fn py_methods_kwarg(cx: &Cx<'_>, call: Node<'_>) -> Option<Vec<String>> {
    let v = kwarg(call, cx.src, "methods")?;
    let mut c = v.walk();
    let out: Vec<String> = v
        .named_children(&mut c)
        .filter_map(|s| string_value(s, cx.src))
        .map(|s| s.to_ascii_uppercase())
        .collect();
    (!out.is_empty()).then_some(out)
}

fn python(node: Node<'_>, cx: &mut Cx<'_>) {
    match node.kind_name() {
        "call" => {
            // Decorator calls are handled with their decorator.
            py_call(node, cx)
        }
        "decorator" => py_decorator(node, cx),
        "assignment" => py_assignment(node, cx),
        "function_definition" => py_view_method(node, cx),
        "comparison_operator" => py_method_check(node, cx),
        _ => {}
    }
}

fn py_call(call: Node<'_>, cx: &mut Cx<'_>) {
    py_call_in(call, cx, false);
}

/// `@app.post("/x")`: the route call of a decorator (visited here, so that plain calls
/// named `get`/`post` never need to look at their parent).
fn py_decorator(dec: Node<'_>, cx: &mut Cx<'_>) {
    if let Some(call) = dec.named_child(0).filter(|c| c.kind_name() == "call") {
        py_call_in(call, cx, true);
    }
}

fn py_call_in(call: Node<'_>, cx: &mut Cx<'_>, in_decorator: bool) {
    let name = call_name(cx, call);
    // Only calls into web modules are resolved (most calls of a file are not).
    let module = cx.imports().get(head_name(cx, call));
    let web_module = module.is_some_and(|m| {
        let root = m.split('.').next().unwrap_or(m);
        PY_WEB_ROOTS.contains(&root)
    });
    let q = if web_module {
        qualified(cx, call)
    } else {
        None
    };
    // Servers.
    if let Some(q) = &q
        && let Some((_, fw)) = PY_SERVERS.iter().find(|(p, _)| q == *p)
    {
        cx.signal(SignalKind::HttpServer, call, *fw);
        match *fw {
            // An ASGI app runs only under an ASGI server, and every one of them (uvicorn,
            // hypercorn, granian, daphne) finishes in-flight requests on SIGTERM.
            "fastapi" | "starlette" | "quart" => cx.signal(
                SignalKind::FrameworkShutdown,
                call,
                format!("{fw} is an ASGI app: its server (uvicorn, hypercorn, ...) finishes in-flight requests on SIGTERM"),
            ),
            "uvicorn" | "waitress" => {
                let port = kwarg(call, cx.src, "port")
                    .and_then(|p| port_of(cx, p))
                    .or((*fw == "uvicorn").then_some(8000));
                if let Some(p) = port {
                    cx.signal(SignalKind::Listen, call, p.to_string());
                }
            }
            "http.server" | "wsgiref" | "gevent" => {
                if let Some(a) = args(call).first()
                    && let Some(p) = port_of(cx, *a)
                {
                    cx.signal(SignalKind::Listen, call, p.to_string());
                }
            }
            "bentoml" => {
                cx.signal(
                    SignalKind::Health,
                    call,
                    "BentoML built-in /livez and /readyz",
                );
            }
            _ => {}
        }
        return;
    }
    let head_imported = q.is_some();
    let _ = module;
    let maybe_route = matches!(
        name,
        "run"
            | "route"
            | "api_route"
            | "websocket"
            | "add_url_rule"
            | "add_api_route"
            | "add_route"
            | "api"
            | "view"
    ) || HTTP_VERBS.contains(&name)
        || name
            .strip_prefix("add_")
            .is_some_and(|v| HTTP_VERBS.contains(&v));
    if !head_imported && !maybe_route {
        return;
    }
    let resolved = q.clone().unwrap_or_default();
    // aiohttp `web.run_app(app, port=...)`.
    if resolved == "aiohttp.web.run_app" {
        cx.signal(SignalKind::HttpServer, call, "aiohttp");
        let port = kwarg(call, cx.src, "port")
            .and_then(|p| port_of(cx, p))
            .unwrap_or(8080);
        cx.signal(SignalKind::Listen, call, port.to_string());
        return;
    }
    // Django URLconf entries.
    if matches!(
        resolved.as_str(),
        "django.urls.path" | "django.urls.re_path" | "django.conf.urls.url"
    ) {
        if let Some(p) = args(call).first().and_then(|a| literal_text(cx, *a)) {
            route(cx, call, "*", &p);
        }
        return;
    }
    if resolved == "django.urls.include" || resolved == "django.conf.urls.include" {
        if let Some(m) = args(call).first().and_then(|a| literal_text(cx, *a))
            && m.starts_with("health_check")
        {
            cx.signal(SignalKind::Health, call, "django-health-check URLs");
        }
        return;
    }
    // Starlette `Route("/x", endpoint, methods=[...])`.
    if matches!(
        resolved.as_str(),
        "starlette.routing.Route" | "starlette.routing.WebSocketRoute"
    ) {
        if let Some(p) = args(call).first().and_then(|a| literal_text(cx, *a)) {
            let methods = py_methods_kwarg(cx, call).unwrap_or_else(|| vec!["GET".into()]);
            for m in methods {
                route(cx, call, &m, &p);
            }
        }
        return;
    }
    // aiohttp `web.get("/x", h)` inside `add_routes([...])`.
    if let Some(verb) = resolved.strip_prefix("aiohttp.web.")
        && HTTP_VERBS.contains(&verb)
    {
        if let Some(p) = args(call).first().and_then(|a| literal_text(cx, *a)) {
            route(cx, call, &verb.to_ascii_uppercase(), &p);
        }
        return;
    }
    if !maybe_route {
        return;
    }
    let (written, _) = cx.callee(call);
    // `app.run(port=...)` on a Flask app.
    let recv = syntax::receiver(&written).unwrap_or("");
    let head = written.split('.').next().unwrap_or("");
    let client_head = cx.imports().get(head).is_some_and(|m| {
        [
            "requests",
            "httpx",
            "urllib",
            "urllib3",
            "aiohttp.ClientSession",
            "locust",
        ]
        .iter()
        .any(|c| common::has_prefix(m, c))
    });
    if name == "run" && !recv.is_empty() && !client_head {
        if let Some(prefix) = py_router(cx, recv) {
            let _ = prefix;
            let port = kwarg(call, cx.src, "port")
                .and_then(|p| port_of(cx, p))
                .unwrap_or(5000);
            cx.signal(SignalKind::Listen, call, port.to_string());
        }
        return;
    }
    // Routes on app/router objects. Decorator routes come through `py_decorator`; among
    // plain calls only registration methods (`add_url_rule`, `add_get`, ...) are routes.
    let decorator_style = HTTP_VERBS.contains(&name)
        || matches!(name, "route" | "api_route" | "websocket" | "api" | "view");
    if decorator_style && !in_decorator {
        return;
    }
    let verb = name.to_ascii_lowercase();
    let route_name = HTTP_VERBS.contains(&verb.as_str())
        || matches!(
            name,
            "route"
                | "api_route"
                | "websocket"
                | "add_url_rule"
                | "add_api_route"
                | "add_route"
                | "api"
                | "view"
        )
        || name
            .strip_prefix("add_")
            .is_some_and(|v| HTTP_VERBS.contains(&v));
    if !route_name || recv.is_empty() || client_head {
        return;
    }
    let router = py_router(cx, recv);
    let accepted = router.is_some() || (in_decorator && (py_web_file(cx) || name == "route"));
    if !accepted {
        return;
    }
    let prefix = router.unwrap_or_default();
    // BentoML `@svc.api(input=..., output=...)`: POST /<function name>.
    if name == "api" {
        if in_decorator
            && let Some(f) = decorated_function(call)
            && let Some(n) = f.field("name")
        {
            let path = kwarg(call, cx.src, "route")
                .and_then(|r| literal_text(cx, r))
                .unwrap_or_else(|| cx.text(n).to_string());
            route(cx, call, "POST", &path);
        }
        return;
    }
    let a = args(call);
    let positional: Vec<Node<'_>> = a
        .iter()
        .copied()
        .filter(|n| n.kind_name() != "keyword_argument")
        .collect();
    let (method_list, path_node): (Vec<String>, Option<Node<'_>>) = match name {
        "add_route" if positional.len() >= 2 => {
            // aiohttp `add_route("POST", "/x", h)`.
            let m = string_value(positional[0], cx.src)
                .map(|s| s.to_ascii_uppercase())
                .unwrap_or_else(|| "*".into());
            (vec![m], positional.get(1).copied())
        }
        "route" | "api_route" | "add_url_rule" | "add_api_route" | "add_route" => (
            py_methods_kwarg(cx, call).unwrap_or_else(|| vec!["GET".into()]),
            positional
                .first()
                .copied()
                .or_else(|| kwarg(call, cx.src, "path"))
                .or_else(|| kwarg(call, cx.src, "rule")),
        ),
        "websocket" => (vec!["GET".into()], positional.first().copied()),
        "view" => (vec!["*".into()], positional.first().copied()),
        _ => {
            let v = verb
                .strip_prefix("add_")
                .unwrap_or(&verb)
                .to_ascii_uppercase();
            (
                vec![v],
                positional
                    .first()
                    .copied()
                    .or_else(|| kwarg(call, cx.src, "path")),
            )
        }
    };
    let Some(path) = path_node.and_then(|p| literal_text(cx, p)) else {
        return;
    };
    if !(path.is_empty() || path.starts_with('/') || path.starts_with('{')) {
        return;
    }
    let full = join_path(&prefix, &path);
    for m in method_list {
        route(cx, call, &m, &full);
    }
}

/// The function a decorator call decorates.
pub fn decorated_function(call: Node<'_>) -> Option<Node<'_>> {
    let dec = call.parent().filter(|p| p.kind_name() == "decorator")?;
    let dd = dec
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")?;
    dd.field("definition")
        .filter(|d| d.kind_name() == "function_definition")
}

/// gunicorn settings in code (`gunicorn.conf.py`: `bind = "0.0.0.0:8000"`) and Django
/// `urlpatterns`.
fn py_assignment(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(left) = node.field("left") else {
        return;
    };
    let target = cx.text(left);
    let base = cx.path.rsplit('/').next().unwrap_or(cx.path);
    let gunicorn_conf = base.starts_with("gunicorn") && base.ends_with(".py");
    if !(target == "urlpatterns" || (gunicorn_conf && target == "bind")) {
        return;
    }
    let at_module = node
        .parent()
        .and_then(|p| p.parent())
        .is_some_and(|g| g.kind_name() == "module");
    if !at_module {
        return;
    }
    if gunicorn_conf && target == "bind" {
        cx.signal(SignalKind::HttpServer, node, "gunicorn");
        cx.signal(
            SignalKind::FrameworkShutdown,
            node,
            "gunicorn finishes in-flight requests on SIGTERM (graceful_timeout)",
        );
        if let Some(v) = node.field("right") {
            let ports: Vec<u16> = if v.kind_name() == "list" {
                let mut c = v.walk();
                v.named_children(&mut c)
                    .filter_map(|x| port_of(cx, x))
                    .collect()
            } else {
                port_of(cx, v).into_iter().collect()
            };
            for p in ports {
                cx.signal(SignalKind::Listen, node, p.to_string());
            }
        }
    }
    if target == "urlpatterns" && cx.imports().has_module("django") {
        cx.signal(SignalKind::HttpServer, node, "django");
    }
}

/// Django class-based views and DRF viewsets: the HTTP methods they implement change
/// state (`def post(self, request)`), path unknown here (`POST *`).
fn py_view_method(node: Node<'_>, cx: &mut Cx<'_>) {
    if !(cx.imports().has_module("django") || cx.imports().has_module("rest_framework")) {
        return;
    }
    let Some(name) = node.field("name").map(|n| cx.text(n)) else {
        return;
    };
    let method = match name {
        "post" | "put" | "patch" | "delete" => name.to_ascii_uppercase(),
        "create" | "perform_create" => "POST".to_string(),
        "update" | "perform_update" | "partial_update" => "PUT".to_string(),
        "destroy" | "perform_destroy" => "DELETE".to_string(),
        _ => return,
    };
    let Some((_, class)) = common::enclosing_class(cx, node) else {
        return;
    };
    let bases = class
        .field("superclasses")
        .map(|b| cx.text(b))
        .unwrap_or("");
    if bases.contains("View") || bases.contains("ViewSet") || bases.contains("APIView") {
        route(cx, node, &method, "*");
    }
}

/// `if request.method == "POST":` in a Django/Flask view.
fn py_method_check(node: Node<'_>, cx: &mut Cx<'_>) {
    let t = cx.text(node);
    if !t.starts_with("request.method") || !py_web_file(cx) {
        return;
    }
    let mut c = node.walk();
    for s in node.named_children(&mut c) {
        if let Some(v) = string_value(s, cx.src) {
            let m = v.to_ascii_uppercase();
            if matches!(m.as_str(), "POST" | "PUT" | "PATCH" | "DELETE") {
                route(cx, node, &m, "*");
            }
        }
    }
}

// ---------------------------------------------------------------- Go

const GO_ROUTERS: &[&str] = &[
    "net/http",
    "github.com/gorilla/mux",
    "github.com/gin-gonic/gin",
    "github.com/labstack/echo",
    "github.com/go-chi/chi",
    "github.com/gofiber/fiber",
    "github.com/julienschmidt/httprouter",
    "github.com/gorilla/handlers",
];

fn go_router_file(cx: &Cx<'_>) -> bool {
    cx.file_flag("go-router-file", || {
        cx.imports()
            .modules()
            .iter()
            .any(|m| GO_ROUTERS.iter().any(|r| common::has_prefix(m, r)))
    })
}

const GO_SERVERS: &[(&str, &str)] = &[
    ("net/http.ListenAndServe", "net/http"),
    ("net/http.ListenAndServeTLS", "net/http"),
    ("net/http.Serve", "net/http"),
    ("net/http.ServeTLS", "net/http"),
    ("github.com/gin-gonic/gin.Default", "gin"),
    ("github.com/gin-gonic/gin.New", "gin"),
    ("github.com/labstack/echo.New", "echo"),
    ("github.com/labstack/echo/v4.New", "echo"),
    ("github.com/gofiber/fiber.New", "fiber"),
    ("github.com/gofiber/fiber/v2.New", "fiber"),
    ("github.com/gofiber/fiber/v3.New", "fiber"),
    ("github.com/go-chi/chi.NewRouter", "chi"),
    ("github.com/go-chi/chi/v5.NewRouter", "chi"),
    ("github.com/julienschmidt/httprouter.New", "httprouter"),
    ("github.com/valyala/fasthttp.ListenAndServe", "fasthttp"),
];

fn go(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "composite_literal" {
        let Some(t) = node.field("type") else {
            return;
        };
        if cx.text(t).ends_with("Server") && cx.imports().resolve(cx.text(t)) == "net/http.Server" {
            cx.signal(SignalKind::HttpServer, node, "net/http");
            if let Some(addr) = syntax::go_literal_value(node, cx.src, "Addr")
                && let Some(p) = port_of(cx, addr)
            {
                cx.signal(SignalKind::Listen, node, p.to_string());
            }
        }
        return;
    }
    let name = call_name(cx, node);
    let head_imported = cx.imports().get(head_name(cx, node)).is_some();
    let method_like = matches!(
        name,
        "HandleFunc"
            | "Handle"
            | "HandlerFunc"
            | "Handler"
            | "GET"
            | "POST"
            | "PUT"
            | "PATCH"
            | "DELETE"
            | "HEAD"
            | "OPTIONS"
            | "Get"
            | "Post"
            | "Put"
            | "Patch"
            | "Delete"
            | "Head"
            | "Options"
            | "Any"
            | "All"
            | "Run"
            | "Start"
            | "Listen"
            | "StartTLS"
            | "RunTLS"
    );
    if !head_imported && !method_like {
        return;
    }
    let (written, resolved) = cx.callee(node);
    if let Some((_, fw)) = GO_SERVERS.iter().find(|(p, _)| resolved == *p) {
        cx.signal(SignalKind::HttpServer, node, *fw);
        if name.starts_with("ListenAndServe")
            && let Some(a) = args(node).first()
            && let Some(p) = port_of(cx, *a)
        {
            cx.signal(SignalKind::Listen, node, p.to_string());
        }
        return;
    }
    if resolved == "net.Listen" {
        if let Some(a) = args(node).get(1)
            && let Some(p) = port_of(cx, *a)
        {
            cx.signal(SignalKind::Listen, node, p.to_string());
        }
        return;
    }
    // Health libraries.
    if common::has_prefix(&resolved, "github.com/heptiolabs/healthcheck")
        || common::has_prefix(&resolved, "github.com/hellofresh/health-go")
        || common::has_prefix(&resolved, "github.com/alexliesenfeld/health")
    {
        cx.signal(SignalKind::Health, node, "health-check library");
        return;
    }
    let Some(recv) = syntax::receiver(&written) else {
        return;
    };
    if !go_router_file(cx) {
        return;
    }
    // A receiver that is an imported package (`http.Get`) is a client call, except
    // net/http's own `http.HandleFunc`/`http.Handle`.
    let recv_is_pkg = cx.imports().get(recv).is_some();
    // Listening on a framework app: gin `r.Run(":8080")`, echo `e.Start`, fiber `app.Listen`.
    if !recv_is_pkg && matches!(name, "Run" | "Start" | "Listen" | "StartTLS" | "RunTLS") {
        if go_bound_to_framework(cx, recv) {
            let port = args(node)
                .first()
                .and_then(|a| port_of(cx, *a))
                .or((name == "Run").then_some(8080));
            if let Some(p) = port {
                cx.signal(SignalKind::Listen, node, p.to_string());
            }
        }
        return;
    }
    let a = args(node);
    match name {
        "HandleFunc" | "Handle" => {
            if recv_is_pkg && resolved != "net/http.HandleFunc" && resolved != "net/http.Handle" {
                return;
            }
            let Some(p) = a.first().and_then(|x| literal_text(cx, *x)) else {
                return;
            };
            // Go 1.22 patterns: "POST /items/{id}", "GET example.com/x".
            let (m, p) = match p.split_once(' ') {
                Some((m, rest)) if m.chars().all(|c| c.is_ascii_uppercase()) => {
                    (m.to_string(), rest.trim().to_string())
                }
                _ => (gorilla_methods(cx, node).unwrap_or_else(|| "*".into()), p),
            };
            let p = match p.find('/') {
                Some(i) => p[i..].to_string(),
                None => return,
            };
            let full = join_path(&go_prefix(cx, node, recv), &p);
            for m in m.split(',') {
                route(cx, node, m, &full);
            }
        }
        "HandlerFunc" | "Handler" => {
            // gorilla `r.Path("/x").Methods("POST").HandlerFunc(h)`.
            if let Some(p) = gorilla_chain_path(cx, node) {
                let m = gorilla_methods_in_chain(cx, node).unwrap_or_else(|| "*".into());
                for m in m.split(',') {
                    route(cx, node, m, &p);
                }
            }
        }
        _ => {
            if recv_is_pkg {
                return;
            }
            let verb = match name {
                "GET" | "Get" => "GET",
                "POST" | "Post" => "POST",
                "PUT" | "Put" => "PUT",
                "PATCH" | "Patch" => "PATCH",
                "DELETE" | "Delete" => "DELETE",
                "HEAD" | "Head" => "HEAD",
                "OPTIONS" | "Options" => "OPTIONS",
                "Any" | "All" => "*",
                _ => return,
            };
            if a.len() < 2 {
                return;
            }
            let Some(p) = literal_text(cx, a[0]) else {
                return;
            };
            if !(p.is_empty() || p.starts_with('/')) {
                return;
            }
            let full = join_path(&go_prefix(cx, node, recv), &p);
            route(cx, node, verb, &full);
        }
    }
}

fn go_bound_to_framework(cx: &Cx<'_>, recv: &str) -> bool {
    cx.bindings()
        .nodes_for_receiver(cx.root, recv)
        .iter()
        .any(|v| {
            v.kind_name() == "call_expression"
                && GO_SERVERS
                    .iter()
                    .any(|(p, _)| cx.imports().resolve(&syntax::callee_text(*v, cx.src)) == *p)
        })
}

/// The route prefix of a Go receiver: `v1 := r.Group("/v1")`, or a chi `r.Route("/x",
/// func(r chi.Router) {...})` around the call.
fn go_prefix(cx: &Cx<'_>, call: Node<'_>, recv: &str) -> String {
    let mut prefix = String::new();
    // Bound to a Group call.
    for v in cx.bindings().nodes_for_receiver(cx.root, recv) {
        if v.kind_name() == "call_expression"
            && matches!(call_name(cx, v), "Group" | "Route" | "PathPrefix")
            && let Some(p) = args(v).first().and_then(|a| literal_text(cx, *a))
        {
            let (w, _) = cx.callee(v);
            let outer = syntax::receiver(&w).unwrap_or("");
            let up = if outer != recv && !outer.is_empty() {
                go_prefix(cx, v, outer)
            } else {
                String::new()
            };
            prefix = join_path(&up, &p);
            break;
        }
    }
    // Inside `r.Route("/x", func(r chi.Router) {...})`.
    let mut cur = call.parent();
    let mut outer = String::new();
    while let Some(p) = cur {
        if p.kind_name() == "func_literal"
            && let Some(call_args) = p.parent()
            && call_args.kind_name() == "argument_list"
            && let Some(rc) = call_args.parent()
            && rc.kind_name() == "call_expression"
            && call_name(cx, rc) == "Route"
            && let Some(pp) = args(rc).first().and_then(|a| literal_text(cx, *a))
        {
            outer = join_path(&pp, &outer);
        }
        cur = p.parent();
    }
    if outer.is_empty() || outer == "/" {
        prefix
    } else {
        join_path(&outer, &prefix)
    }
}

/// gorilla `.Methods("GET", http.MethodPost)` called on the result of this call.
fn gorilla_methods(cx: &Cx<'_>, call: Node<'_>) -> Option<String> {
    let sel = call
        .parent()
        .filter(|p| p.kind_name() == "selector_expression")?;
    let outer = sel
        .parent()
        .filter(|p| p.kind_name() == "call_expression")?;
    if call_name(cx, outer) != "Methods" {
        return None;
    }
    methods_of(cx, outer)
}

fn methods_of(cx: &Cx<'_>, methods_call: Node<'_>) -> Option<String> {
    let ms: Vec<String> = args(methods_call)
        .iter()
        .filter_map(|a| {
            let t = literal_text(cx, *a).unwrap_or_else(|| {
                let s = cx.text(*a);
                s.rsplit('.')
                    .next()
                    .unwrap_or(s)
                    .trim_start_matches("Method")
                    .to_string()
            });
            let t = t.to_ascii_uppercase();
            HTTP_VERBS
                .contains(&t.to_ascii_lowercase().as_str())
                .then_some(t)
        })
        .collect();
    (!ms.is_empty()).then(|| ms.join(","))
}

/// `r.Path("/x")` (or `PathPrefix`) somewhere in the receiver chain of a call.
fn gorilla_chain_path(cx: &Cx<'_>, call: Node<'_>) -> Option<String> {
    let mut cur = call.field("function")?;
    for _ in 0..8 {
        let operand = cur.field("operand")?;
        if operand.kind_name() != "call_expression" {
            return None;
        }
        if matches!(call_name(cx, operand), "Path" | "PathPrefix") {
            return args(operand).first().and_then(|a| literal_text(cx, *a));
        }
        cur = operand.field("function")?;
    }
    None
}

fn gorilla_methods_in_chain(cx: &Cx<'_>, call: Node<'_>) -> Option<String> {
    let mut cur = call.field("function")?;
    for _ in 0..8 {
        let operand = cur.field("operand")?;
        if operand.kind_name() != "call_expression" {
            return None;
        }
        if call_name(cx, operand) == "Methods" {
            return methods_of(cx, operand);
        }
        cur = operand.field("function")?;
    }
    None
}

// ---------------------------------------------------------------- Node

const JS_SERVERS: &[(&str, &str)] = &[
    ("express", "express"),
    ("fastify", "fastify"),
    ("fastify.fastify", "fastify"),
    ("fastify.default", "fastify"),
    ("koa", "koa"),
    ("http.createServer", "node http"),
    ("https.createServer", "node https"),
    ("http2.createServer", "node http2"),
    ("http2.createSecureServer", "node http2"),
    ("@nestjs/core.NestFactory.create", "nestjs"),
    ("@hapi/hapi.server", "hapi"),
    ("@hapi/hapi.Server", "hapi"),
    ("restify.createServer", "restify"),
    ("hono.Hono", "hono"),
    ("polka", "polka"),
];

const JS_ROUTER_MODULES: &[&str] = &[
    "express",
    "fastify",
    "koa-router",
    "@koa/router",
    "koa",
    "restify",
    "hono",
    "polka",
    "@hapi/hapi",
    "router",
    "express-promise-router",
    "fastify-plugin",
];

const JS_CLIENTS: &[&str] = &[
    "axios",
    "got",
    "superagent",
    "supertest",
    "node-fetch",
    "undici",
    "request",
    "needle",
    "ky",
    "cross-fetch",
];

fn js_router_file(cx: &Cx<'_>) -> bool {
    js_router_import(cx) || js_fastify_plugin_file(cx)
}

fn js_router_import(cx: &Cx<'_>) -> bool {
    cx.file_flag("js-router-file", || {
        JS_ROUTER_MODULES.iter().any(|m| {
            cx.imports().has_module(m)
                || cx.src.contains(&format!("require('{m}')"))
                || cx.src.contains(&format!("require(\"{m}\")"))
        })
    })
}

fn js(node: Node<'_>, cx: &mut Cx<'_>) {
    let q = qualified(cx, node);
    if let Some(q) = &q
        && let Some((_, fw)) = JS_SERVERS.iter().find(|(p, _)| q == *p)
    {
        cx.signal(SignalKind::HttpServer, node, *fw);
        return;
    }
    if let Some(q) = &q {
        let nest_verb = q.strip_prefix("@nestjs/common.").and_then(|d| match d {
            "Get" => Some("GET"),
            "Post" => Some("POST"),
            "Put" => Some("PUT"),
            "Patch" => Some("PATCH"),
            "Delete" => Some("DELETE"),
            "Head" => Some("HEAD"),
            "Options" => Some("OPTIONS"),
            "All" => Some("*"),
            _ => None,
        });
        if let Some(verb) = nest_verb {
            if node.parent().is_some_and(|p| p.kind_name() == "decorator") {
                let p = args(node)
                    .first()
                    .and_then(|a| literal_text(cx, *a))
                    .unwrap_or_default();
                let prefix = nest_controller_prefix(cx, node).unwrap_or_default();
                route(cx, node, verb, &join_path(&prefix, &p));
            }
            return;
        }
        if q == "@nestjs/common.Controller" {
            cx.signal(SignalKind::HttpServer, node, "nestjs");
            return;
        }
        if q.starts_with("@nestjs/terminus.") || q.starts_with("@godaddy/terminus.") {
            cx.signal(SignalKind::Health, node, "terminus health checks");
            return;
        }
        if q.starts_with("lightship.") || q == "express-healthcheck" {
            cx.signal(SignalKind::Health, node, "health-check library");
            return;
        }
    }
    if node.kind_name() != "call_expression" {
        return;
    }
    let name = call_name(cx, node);
    if !(matches!(name, "listen" | "route" | "all") || HTTP_VERBS.contains(&name)) {
        return;
    }
    let (written, _) = cx.callee(node);
    let Some(recv) = syntax::receiver(&written) else {
        return;
    };
    if !js_router_file(cx)
        || cx.file_flag("js-browser-file", || {
            crate::rules::timeout::js_is_browser_file(cx)
        })
    {
        return;
    }
    if let Some(m) = cx.imports().get(head_name(cx, node))
        && JS_CLIENTS.iter().any(|c| common::has_prefix(m, c))
    {
        return;
    }
    let a = args(node);
    match name {
        "listen" => {
            let port = a.first().and_then(|x| {
                if x.kind_name() == "object" {
                    syntax::js_object_value(*x, cx.src, "port").and_then(|v| port_of(cx, v))
                } else {
                    port_of(cx, *x)
                }
            });
            if let Some(p) = port {
                cx.signal(SignalKind::Listen, node, p.to_string());
            }
        }
        "route" => {
            // fastify/hapi `route({ method: 'POST', url: '/x' })`.
            if let Some(obj) = a.first().filter(|x| x.kind_name() == "object") {
                let path = syntax::js_object_value(*obj, cx.src, "url")
                    .or_else(|| syntax::js_object_value(*obj, cx.src, "path"))
                    .and_then(|v| literal_text(cx, v));
                let methods: Vec<String> = syntax::js_object_value(*obj, cx.src, "method")
                    .map(|v| {
                        if v.kind_name() == "array" {
                            let mut c = v.walk();
                            v.named_children(&mut c)
                                .filter_map(|s| string_value(s, cx.src))
                                .map(|s| s.to_ascii_uppercase())
                                .collect()
                        } else {
                            string_value(v, cx.src)
                                .map(|s| vec![s.to_ascii_uppercase()])
                                .unwrap_or_default()
                        }
                    })
                    .unwrap_or_default();
                if let Some(p) = path {
                    let methods = if methods.is_empty() {
                        vec!["*".to_string()]
                    } else {
                        methods
                    };
                    for m in methods {
                        route(cx, node, &m, &p);
                    }
                }
            }
        }
        _ => {
            let verb = name.to_ascii_lowercase();
            if !(HTTP_VERBS.contains(&verb.as_str()) || verb == "all") {
                return;
            }
            if name.chars().any(|c| c.is_ascii_uppercase()) {
                return;
            }
            let method = if verb == "all" {
                "*".to_string()
            } else {
                verb.to_ascii_uppercase()
            };
            // `app.route('/x').post(h)`.
            let func = node.field("function");
            let obj = func.and_then(|f| f.field("object"));
            if let Some(o) = obj
                && o.kind_name() == "call_expression"
                && call_name(cx, o) == "route"
            {
                if let Some(p) = args(o).first().and_then(|x| literal_text(cx, *x)) {
                    route(cx, node, &method, &p);
                }
                return;
            }
            if a.len() < 2 {
                return;
            }
            let Some(p) = literal_text(cx, a[0]) else {
                return;
            };
            if !p.starts_with('/') {
                return;
            }
            // A fastify plugin (`module.exports = async function (fastify, opts) {...}`,
            // loaded by fastify-cli or `register`): its routes are what the server serves.
            if recv == "fastify" && !js_router_import(cx) {
                cx.signal(SignalKind::HttpServer, node, "fastify");
            }
            route(cx, node, &method, &p);
        }
    }
}

/// A fastify plugin file: a function whose first parameter is the `fastify` instance
/// (`module.exports = async function (fastify, opts)`, `export default async (fastify) =>`).
/// fastify-cli and `@fastify/autoload` load such files with no import of fastify.
fn js_fastify_plugin_file(cx: &Cx<'_>) -> bool {
    cx.file_flag("js-fastify-plugin", || {
        [
            "function (fastify",
            "function(fastify",
            "async (fastify",
            "(fastify) =>",
            "(fastify, opts",
            "(fastify, options",
            "(fastify: FastifyInstance",
        ]
        .iter()
        .any(|p| cx.src.contains(p))
    })
}

/// The path of the `@Controller('x')` decorating the class around a NestJS method.
fn nest_controller_prefix(cx: &Cx<'_>, node: Node<'_>) -> Option<String> {
    let (_, class) = common::enclosing_class(cx, node)?;
    // Decorators are children of the class, or of an enclosing export statement.
    let holders = [Some(class), class.parent()];
    for h in holders.into_iter().flatten() {
        let mut c = h.walk();
        for d in h
            .named_children(&mut c)
            .filter(|d| d.kind_name() == "decorator")
        {
            let Some(call) = d
                .named_child(0)
                .filter(|x| x.kind_name() == "call_expression")
            else {
                continue;
            };
            if call_name(cx, call) != "Controller" {
                continue;
            }
            let first = args(call).first().copied();
            return Some(match first {
                Some(o) if o.kind_name() == "object" => syntax::js_object_value(o, cx.src, "path")
                    .and_then(|v| literal_text(cx, v))
                    .unwrap_or_default(),
                Some(s) => literal_text(cx, s).unwrap_or_default(),
                None => String::new(),
            });
        }
    }
    None
}

// ---------------------------------------------------------------- Java

const JAVA_WEB_PACKAGES: &[&str] = &[
    "org.springframework.web.bind.annotation",
    "javax.ws.rs",
    "jakarta.ws.rs",
    "io.micronaut.http.annotation",
];

fn java_annotation_package(cx: &Cx<'_>, name: &str) -> Option<String> {
    if let Some(q) = common::java_type(cx, name) {
        return q.rsplit_once('.').map(|(p, _)| p.to_string());
    }
    JAVA_WEB_PACKAGES
        .iter()
        .find(|p| cx.imports().modules().iter().any(|m| m == *p))
        .map(|p| p.to_string())
}

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    match node.kind_name() {
        "annotation" | "marker_annotation" => java_annotation(node, cx),
        "class_declaration" => java_class(node, cx),
        _ => java_call(node, cx),
    }
}

fn java_annotation(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(name_node) = node.field("name") else {
        return;
    };
    let name = cx.text(name_node);
    let simple = name.rsplit('.').next().unwrap_or(name);
    let verb = match simple {
        "GetMapping" | "GET" | "Get" => "GET",
        "PostMapping" | "POST" | "Post" => "POST",
        "PutMapping" | "PUT" | "Put" => "PUT",
        "PatchMapping" | "PATCH" | "Patch" => "PATCH",
        "DeleteMapping" | "DELETE" | "Delete" => "DELETE",
        "RequestMapping" => "*",
        "RestController" | "Controller" | "Path" => "",
        _ => {
            spring_application(node, cx, simple);
            return;
        }
    };
    let Some(pkg) = java_annotation_package(cx, simple) else {
        return;
    };
    if !JAVA_WEB_PACKAGES.contains(&pkg.as_str())
        && pkg != "org.springframework.stereotype"
        && pkg != "io.micronaut.http.annotation"
    {
        return;
    }
    // Where the annotation sits: a method or a class.
    let Some(mods) = node.parent().filter(|p| p.kind_name() == "modifiers") else {
        return;
    };
    let Some(owner) = mods.parent() else { return };
    match owner.kind_name() {
        "class_declaration" | "interface_declaration" => {
            if matches!(simple, "RestController" | "Controller") {
                let fw = if pkg.starts_with("io.micronaut") {
                    "micronaut"
                } else {
                    "spring-web"
                };
                cx.signal(SignalKind::HttpServer, node, fw);
            } else if simple == "Path" {
                cx.signal(SignalKind::HttpServer, node, "jax-rs");
            }
        }
        "method_declaration" => {
            if simple == "Path" || simple == "RestController" || simple == "Controller" {
                return;
            }
            let jaxrs = pkg.ends_with(".ws.rs");
            let (methods, path) = if jaxrs {
                // `@POST` with an optional `@Path("x")` on the method.
                let p = annotation_value_on(cx, mods, "Path").unwrap_or_default();
                (vec![verb.to_string()], p)
            } else {
                let p = annotation_path(cx, node).unwrap_or_default();
                let ms = if verb == "*" {
                    request_mapping_methods(cx, node).unwrap_or_else(|| vec!["*".into()])
                } else {
                    vec![verb.to_string()]
                };
                (ms, p)
            };
            let prefix = class_prefix(cx, owner, jaxrs).unwrap_or_default();
            let full = join_path(&prefix, &path);
            for m in methods {
                route(cx, node, &m, &full);
            }
        }
        _ => {}
    }
}

/// The path of a Spring/Micronaut mapping annotation: `("/x")`, `(value = "/x")`,
/// `(path = {"/x"})`.
fn annotation_path(cx: &Cx<'_>, ann: Node<'_>) -> Option<String> {
    let a = ann.field("arguments")?;
    let mut c = a.walk();
    for arg in a.named_children(&mut c) {
        match arg.kind_name() {
            "element_value_pair" => {
                let k = arg.field("key").map(|k| cx.text(k));
                if matches!(k, Some("value" | "path" | "uri")) {
                    return arg.field("value").and_then(|v| first_string(cx, v));
                }
            }
            _ => return first_string(cx, arg),
        }
    }
    None
}

fn first_string(cx: &Cx<'_>, n: Node<'_>) -> Option<String> {
    if let Some(s) = literal_text(cx, n) {
        return Some(s);
    }
    syntax::descendants(n).find_map(|d| literal_text(cx, d))
}

fn request_mapping_methods(cx: &Cx<'_>, ann: Node<'_>) -> Option<Vec<String>> {
    let a = ann.field("arguments")?;
    let mut c = a.walk();
    let pair = a.named_children(&mut c).find(|p| {
        p.kind_name() == "element_value_pair"
            && p.field("key").is_some_and(|k| cx.text(k) == "method")
    })?;
    let v = pair.field("value")?;
    let out: Vec<String> = HTTP_VERBS
        .iter()
        .map(|m| m.to_ascii_uppercase())
        .filter(|m| {
            cx.text(v)
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w == m)
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

fn annotation_value_on(cx: &Cx<'_>, mods: Node<'_>, name: &str) -> Option<String> {
    let mut c = mods.walk();
    let ann = mods.named_children(&mut c).find(|a| {
        matches!(a.kind_name(), "annotation" | "marker_annotation")
            && a.field("name")
                .is_some_and(|n| cx.text(n).rsplit('.').next() == Some(name))
    })?;
    annotation_path(cx, ann)
}

/// The class-level `@RequestMapping("/api")` (Spring), `@Controller("/api")` (Micronaut)
/// or `@Path("/api")` (JAX-RS) of the class declaring a method.
fn class_prefix(cx: &Cx<'_>, method: Node<'_>, jaxrs: bool) -> Option<String> {
    let body = method.parent()?;
    let class = body.parent()?;
    let mut c = class.walk();
    let mods = class
        .named_children(&mut c)
        .find(|n| n.kind_name() == "modifiers")?;
    if jaxrs {
        return annotation_value_on(cx, mods, "Path");
    }
    annotation_value_on(cx, mods, "RequestMapping").or_else(|| {
        let mut c2 = mods.walk();
        mods.named_children(&mut c2)
            .find(|a| {
                a.kind_name() == "annotation"
                    && a.field("name").is_some_and(|n| cx.text(n) == "Controller")
                    && cx.imports().has_module("io.micronaut.http.annotation")
            })
            .and_then(|a| annotation_path(cx, a))
    })
}

/// Spring Boot applications serve HTTP unless the code says otherwise (a
/// `CommandLineRunner`/`ApplicationRunner`, Spring Batch, `WebApplicationType.NONE`);
/// Spring Cloud's config, discovery and admin servers always do.
fn spring_application(node: Node<'_>, cx: &mut Cx<'_>, simple: &str) {
    let Some(q) = common::java_type(cx, simple) else {
        return;
    };
    let detail = match q.as_str() {
        "org.springframework.boot.autoconfigure.SpringBootApplication" => {
            let batch = [
                "CommandLineRunner",
                "ApplicationRunner",
                "EnableBatchProcessing",
                "WebApplicationType.NONE",
            ]
            .iter()
            .any(|w| cx.src.contains(w));
            if batch {
                return;
            }
            "spring-boot"
        }
        "org.springframework.cloud.config.server.EnableConfigServer" => {
            "spring-cloud-config-server"
        }
        "org.springframework.cloud.netflix.eureka.server.EnableEurekaServer" => "eureka-server",
        "de.codecentric.boot.admin.server.config.EnableAdminServer" => "spring-boot-admin",
        _ => return,
    };
    cx.signal(SignalKind::HttpServer, node, detail);
}

/// Dropwizard applications and health checks, Spring actuator health indicators.
fn java_class(node: Node<'_>, cx: &mut Cx<'_>) {
    let sup = node
        .field("superclass")
        .map(|s| cx.text(s).trim_start_matches("extends").trim().to_string())
        .unwrap_or_default();
    let ifaces = node
        .field("interfaces")
        .map(|s| cx.text(s).to_string())
        .unwrap_or_default();
    let sup_q = common::java_type(cx, &sup).unwrap_or_default();
    if sup_q.starts_with("io.dropwizard") && sup.starts_with("Application") {
        cx.signal(SignalKind::HttpServer, node, "dropwizard");
    }
    if sup_q == "com.codahale.metrics.health.HealthCheck"
        || sup_q.starts_with("org.springframework.boot.actuate.health.")
    {
        cx.signal(SignalKind::Health, node, format!("{sup} subclass"));
    }
    for iface in ifaces
        .trim_start_matches("implements")
        .split(',')
        .map(|s| s.trim())
    {
        let q = common::java_type(cx, iface).unwrap_or_default();
        if q.starts_with("org.springframework.boot.actuate.health.") {
            cx.signal(SignalKind::Health, node, format!("actuator {iface}"));
        }
    }
}

fn java_call(node: Node<'_>, cx: &mut Cx<'_>) {
    let name = call_name(cx, node);
    let q = qualified(cx, node).unwrap_or_default();
    if q.starts_with("io.javalin.Javalin.create") {
        cx.signal(SignalKind::HttpServer, node, "javalin");
        return;
    }
    if q.starts_with("com.sun.net.httpserver.HttpServer.create") {
        cx.signal(SignalKind::HttpServer, node, "com.sun.net.httpserver");
        if let Some(a) = args(node).first()
            && let Some(p) = syntax::descendants(*a).find_map(|d| {
                matches!(d.kind_name(), "decimal_integer_literal")
                    .then(|| port_of(cx, d))
                    .flatten()
            })
        {
            cx.signal(SignalKind::Listen, node, p.to_string());
        }
        return;
    }
    if name == "register" && cx.text(node).contains("healthChecks()") {
        cx.signal(
            SignalKind::Health,
            node,
            "Dropwizard healthChecks().register",
        );
        return;
    }
    if name == "createContext"
        && cx.imports().has_module("com.sun.net.httpserver")
        && let Some(p) = args(node).first().and_then(|a| literal_text(cx, *a))
    {
        route(cx, node, "*", &p);
        return;
    }
    // Javalin `app.post("/x", ctx -> ...)`.
    if cx.imports().has_module("io.javalin") {
        let verb = name.to_ascii_lowercase();
        if HTTP_VERBS.contains(&verb.as_str())
            && let Some(p) = args(node).first().and_then(|a| literal_text(cx, *a))
            && p.starts_with('/')
        {
            route(cx, node, &verb.to_ascii_uppercase(), &p);
        }
        if name == "start"
            && let Some(p) = args(node).first().and_then(|a| port_of(cx, *a))
        {
            cx.signal(SignalKind::Listen, node, p.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::*;

    #[test]
    fn flask_routes() {
        let s = signals(
            "app.py",
            "from flask import Flask, Blueprint\napp = Flask(__name__)\nbp = Blueprint('x', __name__, url_prefix='/api')\n@app.route('/healthz')\ndef h():\n    return 'ok'\n@bp.route('/cart', methods=['POST', 'DELETE'])\ndef c():\n    pass\n@app.get('/items')\ndef i():\n    pass\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8080)\n",
        );
        assert!(s.contains(&(HttpServer, 2, "flask".into())));
        assert!(s.contains(&(Route, 4, "GET /healthz".into())));
        assert!(s.contains(&(Health, 4, "GET /healthz".into())));
        assert!(s.contains(&(Route, 7, "POST /api/cart".into())));
        assert!(s.contains(&(Route, 7, "DELETE /api/cart".into())));
        assert!(s.contains(&(Route, 10, "GET /items".into())));
        assert!(s.contains(&(Listen, 14, "8080".into())));
    }

    #[test]
    fn locust_client_calls_are_not_routes() {
        let s = signals(
            "locustfile.py",
            "from locust import HttpUser, task\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.post('/cart', {'a': 1})\n",
        );
        assert!(!s.iter().any(|x| x.0 == Route), "{s:?}");
    }

    #[test]
    fn fastapi_router_prefix_and_uvicorn() {
        let s = signals(
            "main.py",
            "import uvicorn\nfrom fastapi import FastAPI, APIRouter\napp = FastAPI()\nr = APIRouter(prefix='/v1')\n@r.post('/orders')\nasync def o():\n    pass\n@app.get('/livez')\nasync def l():\n    pass\nuvicorn.run(app, host='0.0.0.0', port=9000)\n",
        );
        assert!(s.contains(&(HttpServer, 3, "fastapi".into())));
        assert!(s.contains(&(Route, 5, "POST /v1/orders".into())));
        assert!(s.contains(&(Health, 8, "GET /livez".into())));
        assert!(s.contains(&(Listen, 11, "9000".into())));
        assert!(
            s.iter().any(|x| x.0 == FrameworkShutdown && x.1 == 3),
            "an ASGI app drains under its server: {s:?}"
        );
    }

    #[test]
    fn go_gorilla_and_gin() {
        let s = signals(
            "main.go",
            "package main\nimport (\n\t\"net/http\"\n\t\"github.com/gorilla/mux\"\n)\nconst port = \"8080\"\nfunc main() {\n\tr := mux.NewRouter()\n\tr.HandleFunc(base+\"/cart\", h).Methods(http.MethodPost)\n\tr.HandleFunc(base+\"/_healthz\", func(w http.ResponseWriter, _ *http.Request) {})\n\thttp.ListenAndServe(\":\"+port, r)\n}\n",
        );
        assert!(s.contains(&(Route, 9, "POST /cart".into())), "{s:?}");
        assert!(s.contains(&(Health, 10, "* /_healthz".into())));
        assert!(s.contains(&(HttpServer, 11, "net/http".into())));
        assert!(s.contains(&(Listen, 11, "8080".into())));
        let g = signals(
            "main.go",
            "package main\nimport \"github.com/gin-gonic/gin\"\nfunc main() {\n\tr := gin.Default()\n\tv1 := r.Group(\"/v1\")\n\tv1.POST(\"/orders\", h)\n\tr.GET(\"/health\", h)\n\tr.Run()\n}\n",
        );
        assert!(g.contains(&(HttpServer, 4, "gin".into())));
        assert!(g.contains(&(Route, 6, "POST /v1/orders".into())), "{g:?}");
        assert!(g.contains(&(Health, 7, "GET /health".into())));
        assert!(g.contains(&(Listen, 8, "8080".into())));
    }

    #[test]
    fn go_122_patterns_and_chi() {
        let s = signals(
            "main.go",
            "package main\nimport (\n\t\"net/http\"\n\t\"github.com/go-chi/chi/v5\"\n)\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"POST /items/{id}\", h)\n\tr := chi.NewRouter()\n\tr.Route(\"/api\", func(r chi.Router) {\n\t\tr.Delete(\"/x\", h)\n\t})\n\tresp, _ := http.Get(\"/x\")\n}\n",
        );
        assert!(s.contains(&(Route, 8, "POST /items/{id}".into())), "{s:?}");
        assert!(s.contains(&(Route, 11, "DELETE /api/x".into())), "{s:?}");
        assert!(!s.iter().any(|x| x.1 == 13), "{s:?}");
    }

    #[test]
    fn express_and_nest() {
        let s = signals(
            "server.js",
            "const express = require('express');\nconst axios = require('axios');\nconst app = express();\napp.post('/orders', (req, res) => {});\napp.route('/x').delete(h);\naxios.get('/remote', {});\napp.listen(process.env.PORT || 3000);\n",
        );
        assert!(s.contains(&(HttpServer, 3, "express".into())));
        assert!(s.contains(&(Route, 4, "POST /orders".into())));
        assert!(s.contains(&(Route, 5, "DELETE /x".into())));
        assert!(!s.iter().any(|x| x.1 == 6));
        assert!(s.contains(&(Listen, 7, "3000".into())));
        let n = signals(
            "cats.controller.ts",
            "import { Controller, Get, Post } from '@nestjs/common';\n@Controller('cats')\nexport class CatsController {\n  @Post(':id')\n  create() {}\n  @Get('health')\n  h() {}\n}\n",
        );
        assert!(n.contains(&(Route, 4, "POST /cats/:id".into())), "{n:?}");
        assert!(n.contains(&(Health, 6, "GET /cats/health".into())));
        // A fastify-cli plugin: no import of fastify, the instance is the parameter.
        let f = signals(
            "routes/root.js",
            "'use strict'\n\nmodule.exports = async function (fastify, opts) {\n  fastify.post('/', async function (request, reply) {\n    reply.code(201)\n  })\n  fastify.get('/health', async () => ({ status: 'ok' }))\n}\n",
        );
        assert!(f.contains(&(HttpServer, 4, "fastify".into())), "{f:?}");
        assert!(f.contains(&(Route, 4, "POST /".into())), "{f:?}");
        assert!(f.contains(&(Health, 7, "GET /health".into())), "{f:?}");
        // A client library's `get` on a variable named otherwise is not a route.
        let c = signals(
            "lib/cache.js",
            "module.exports = async function (cache, opts) {\n  cache.get('/x', () => {})\n}\n",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn spring_boot_applications() {
        let s = signals(
            "svc/src/main/java/a/App.java",
            "package a;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\nimport org.springframework.cloud.config.server.EnableConfigServer;\n@SpringBootApplication\n@EnableConfigServer\npublic class App {}\n",
        );
        assert!(s.contains(&(HttpServer, 4, "spring-boot".into())), "{s:?}");
        assert!(s.contains(&(HttpServer, 5, "spring-cloud-config-server".into())));
        let b = signals(
            "svc/src/main/java/a/Batch.java",
            "package a;\nimport org.springframework.boot.CommandLineRunner;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n@SpringBootApplication\npublic class Batch implements CommandLineRunner {}\n",
        );
        assert!(!b.iter().any(|x| x.0 == HttpServer), "{b:?}");
    }

    #[test]
    fn spring_and_jaxrs() {
        let s = signals(
            "src/main/java/a/OrderController.java",
            "package a;\nimport org.springframework.web.bind.annotation.*;\n@RestController\n@RequestMapping(\"/api\")\npublic class OrderController {\n  @PostMapping(\"/orders\")\n  public void create() {}\n  @GetMapping(value = \"/health\")\n  public String h() { return \"ok\"; }\n  @RequestMapping(path = \"/x\", method = RequestMethod.DELETE)\n  public void d() {}\n}\n",
        );
        assert!(s.contains(&(HttpServer, 3, "spring-web".into())), "{s:?}");
        assert!(s.contains(&(Route, 6, "POST /api/orders".into())), "{s:?}");
        assert!(s.contains(&(Health, 8, "GET /api/health".into())));
        assert!(s.contains(&(Route, 10, "DELETE /api/x".into())), "{s:?}");
        let j = signals(
            "src/main/java/a/R.java",
            "package a;\nimport javax.ws.rs.*;\n@Path(\"/items\")\npublic class R {\n  @POST\n  public void add() {}\n}\n",
        );
        assert!(j.contains(&(Route, 5, "POST /items".into())), "{j:?}");
    }
}
