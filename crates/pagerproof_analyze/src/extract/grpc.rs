//! gRPC servers, the methods they serve, the standard health service, listening ports.
//!
//! - Python grpcio: `grpc.server(...)`/`grpc.aio.server(...)`, `add_XServicer_to_server`,
//!   `health_pb2_grpc.add_HealthServicer_to_server` / `grpc_health.v1.health.HealthServicer`,
//!   `add_insecure_port`/`add_secure_port`; methods of `XServicer` subclasses.
//! - Go grpc-go: `grpc.NewServer`, `pb.RegisterXServer`, `healthpb.RegisterHealthServer` /
//!   `health.NewServer()`; methods `(ctx context.Context, req *pb.XRequest) (*pb.Y, error)`
//!   on a type (the service name comes from an embedded `pb.UnimplementedXServer`).
//! - Node @grpc/grpc-js: `new grpc.Server()`, `addService(pkg.X.service, {method: h})`
//!   (a `Health.service` registration is the health service), `bindAsync(addr)`,
//!   `grpc-health-check`.
//! - Java grpc-java: `ServerBuilder.forPort`, `NettyServerBuilder`, `HealthStatusManager`,
//!   methods of `XGrpc.XImplBase` subclasses; `@GrpcService` (grpc-spring-boot-starter).
//!
//! Methods are `RpcMethod` signals `Service/Method`, from which facts decide whether a
//! service has state-changing endpoints.

use tree_sitter::Node;

use super::common::{self, args, call_name, literal_text, port_of, qualified};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Grpc;
pub static GRPC: Grpc = Grpc;

impl Extractor for Grpc {
    fn name(&self) -> &'static str {
        "grpc-servers"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call", "class_definition"],
            Family::Go => &["call_expression", "method_declaration"],
            Family::Js => &["call_expression", "new_expression"],
            Family::Java => &[
                "method_invocation",
                "object_creation_expression",
                "class_declaration",
                "marker_annotation",
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

/// Health-service methods are not endpoints of the service itself.
fn is_health_method(m: &str) -> bool {
    matches!(m, "Check" | "Watch" | "check" | "watch" | "List" | "list")
}

// ---------------------------------------------------------------- Python

fn python(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "class_definition" {
        py_servicer(node, cx);
        return;
    }
    let name = call_name(cx, node);
    let relevant = matches!(
        name,
        "server" | "HealthServicer" | "add_insecure_port" | "add_secure_port"
    ) || (name.starts_with("add_") && name.ends_with("_to_server"));
    if !relevant {
        return;
    }
    let q = qualified(cx, node).unwrap_or_default();
    match q.as_str() {
        "grpc.server" | "grpc.aio.server" => {
            cx.signal(SignalKind::GrpcServer, node, "grpcio");
            return;
        }
        "grpc_health.v1.health.HealthServicer" | "grpc_health.v1.health.aio.HealthServicer" => {
            cx.signal(SignalKind::Health, node, "grpc.health.v1 HealthServicer");
            return;
        }
        _ => {}
    }
    if let Some(svc) = name
        .strip_prefix("add_")
        .and_then(|s| s.strip_suffix("Servicer_to_server"))
        && !q.is_empty()
    {
        if svc == "Health" {
            cx.signal(
                SignalKind::Health,
                node,
                "grpc.health.v1 add_HealthServicer_to_server",
            );
        } else {
            cx.signal(SignalKind::GrpcServer, node, format!("grpcio {svc}"));
        }
        return;
    }
    if matches!(name, "add_insecure_port" | "add_secure_port")
        && let Some(a) = args(node).first()
        && let Some(p) = port_of(cx, *a)
    {
        cx.signal(SignalKind::Listen, node, p.to_string());
    }
}

/// Methods of a `...Servicer` subclass (directly, or through a base class in this file).
fn py_servicer(class: Node<'_>, cx: &mut Cx<'_>) {
    let Some(service) = py_servicer_name(cx, class, 3) else {
        return;
    };
    let Some(body) = class.field("body") else {
        return;
    };
    let mut c = body.walk();
    for st in body.named_children(&mut c) {
        let f = if st.kind_name() == "decorated_definition" {
            st.field("definition")
        } else {
            Some(st)
        };
        let Some(f) = f.filter(|f| f.kind_name() == "function_definition") else {
            continue;
        };
        let Some(n) = f.field("name") else {
            continue;
        };
        let m = cx.text(n);
        if m.starts_with('_') || is_health_method(m) {
            continue;
        }
        // gRPC methods take (self, request, context); helpers and static methods do not.
        let Some(params) = f.field("parameters") else {
            continue;
        };
        let mut pc = params.walk();
        let names: Vec<&str> = params.named_children(&mut pc).map(|p| cx.text(p)).collect();
        if names.len() != 3 || names[0] != "self" {
            continue;
        }
        cx.signal(SignalKind::RpcMethod, f, format!("{service}/{m}"));
    }
}

fn py_servicer_name(cx: &Cx<'_>, class: Node<'_>, depth: u8) -> Option<String> {
    let bases = class.field("superclasses")?;
    let mut c = bases.walk();
    for b in bases.named_children(&mut c) {
        let t = cx.text(b);
        let last = t.rsplit('.').next().unwrap_or(t);
        if let Some(svc) = last.strip_suffix("Servicer")
            && !svc.is_empty()
            && svc != "Health"
        {
            return Some(svc.to_string());
        }
        // A base class defined in this file (only in files that use gRPC).
        if depth > 0 && b.kind_name() == "identifier" && cx.imports().has_module("grpc") {
            let base = syntax::descendants(cx.root).find(|d| {
                d.kind_name() == "class_definition"
                    && d.field("name").is_some_and(|n| cx.text(n) == t)
            });
            if let Some(base) = base
                && let Some(s) = py_servicer_name(cx, base, depth - 1)
            {
                return Some(s);
            }
        }
    }
    None
}

// ---------------------------------------------------------------- Go

fn go(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "method_declaration" {
        go_method(node, cx);
        return;
    }
    let name = call_name(cx, node);
    if !(name == "NewServer" || name.starts_with("Register")) {
        return;
    }
    let (_, resolved) = cx.callee(node);
    if resolved == "google.golang.org/grpc.NewServer" {
        cx.signal(SignalKind::GrpcServer, node, "grpc-go");
        return;
    }
    if resolved == "google.golang.org/grpc/health.NewServer" {
        cx.signal(SignalKind::Health, node, "grpc health.NewServer");
        return;
    }
    if let Some(svc) = name
        .strip_prefix("Register")
        .and_then(|s| s.strip_suffix("Server"))
        && !svc.is_empty()
        && resolved.contains('/')
        && args(node).len() == 2
    {
        if svc == "Health" {
            cx.signal(
                SignalKind::Health,
                node,
                "grpc_health_v1.RegisterHealthServer",
            );
        } else {
            cx.signal(SignalKind::GrpcServer, node, format!("grpc-go {svc}"));
        }
    }
}

/// `func (s *svc) PlaceOrder(ctx context.Context, req *pb.PlaceOrderRequest) (*pb.X, error)`
/// or a streaming `func (s *svc) M(req *pb.X, stream pb.Svc_MServer) error`.
fn go_method(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(name) = node.field("name").map(|n| cx.text(n)) else {
        return;
    };
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) || is_health_method(name) {
        return;
    }
    let Some(params) = node.field("parameters") else {
        return;
    };
    let mut c = params.walk();
    let types: Vec<String> = params
        .named_children(&mut c)
        .filter(|p| p.kind_name() == "parameter_declaration")
        .filter_map(|p| p.field("type").map(|t| cx.text(t).to_string()))
        .collect();
    let imported_ptr = |t: &str| {
        t.strip_prefix('*')
            .and_then(|x| x.split_once('.'))
            .is_some_and(|(pkg, _)| cx.imports().get(pkg).is_some())
    };
    let unary =
        types.len() == 2 && types[0].ends_with("context.Context") && imported_ptr(&types[1]);
    let streaming = types.len() == 2
        && imported_ptr(&types[0])
        && types[1].ends_with(&format!("_{name}Server"));
    let bidi = types.len() == 1 && types[0].ends_with(&format!("_{name}Server"));
    if !(unary || streaming || bidi) {
        return;
    }
    let result = node.field("result").map(|r| cx.text(r)).unwrap_or("");
    if !result.contains("error") {
        return;
    }
    let service = go_receiver_service(cx, node).unwrap_or_else(|| "*".to_string());
    cx.signal(SignalKind::RpcMethod, node, format!("{service}/{name}"));
}

/// The gRPC service a Go receiver type implements, from its embedded
/// `pb.UnimplementedXServer`.
fn go_receiver_service(cx: &Cx<'_>, method: Node<'_>) -> Option<String> {
    let recv = method.field("receiver")?;
    let t = syntax::descendants(recv)
        .find(|d| d.kind_name() == "type_identifier")
        .map(|d| cx.text(d))?;
    let spec = syntax::descendants(cx.root).find(|d| {
        d.kind_name() == "type_spec" && d.field("name").is_some_and(|n| cx.text(n) == t)
    })?;
    let body = cx.text(spec);
    let i = body.find("Unimplemented")?;
    let rest = &body[i + "Unimplemented".len()..];
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(rest.len());
    rest[..end].strip_suffix("Server").map(str::to_string)
}

// ---------------------------------------------------------------- Node

fn js(node: Node<'_>, cx: &mut Cx<'_>) {
    let q = qualified(cx, node).unwrap_or_default();
    if node.kind_name() == "new_expression" {
        if matches!(q.as_str(), "@grpc/grpc-js.Server" | "grpc.Server") {
            cx.signal(SignalKind::GrpcServer, node, "@grpc/grpc-js");
        } else if q.starts_with("grpc-health-check.") {
            cx.signal(SignalKind::Health, node, "grpc-health-check");
        }
        return;
    }
    if !(cx.imports().has_module("@grpc/grpc-js") || cx.imports().has_module("grpc")) {
        return;
    }
    let name = call_name(cx, node);
    let a = args(node);
    match name {
        "addService" if a.len() == 2 => {
            let def = cx.text(a[0]);
            let svc = def
                .trim_end_matches(".service")
                .rsplit('.')
                .next()
                .unwrap_or("")
                .to_string();
            if svc == "Health" || def.to_ascii_lowercase().contains("health") {
                cx.signal(SignalKind::Health, node, "grpc.health.v1 handlers");
                return;
            }
            cx.signal(SignalKind::GrpcServer, node, format!("@grpc/grpc-js {svc}"));
            if let Some(keys) = syntax::js_object_keys(a[1], cx.src) {
                let svc = if svc.is_empty() { "*".to_string() } else { svc };
                for k in keys {
                    cx.signal(SignalKind::RpcMethod, node, format!("{svc}/{k}"));
                }
            }
        }
        "bindAsync" | "bind" => {
            if let Some(p) = a.first().and_then(|x| port_of(cx, *x)) {
                cx.signal(SignalKind::Listen, node, p.to_string());
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- Java

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    match node.kind_name() {
        "class_declaration" => java_impl_base(node, cx),
        "marker_annotation" => {
            let n = node.field("name").map(|n| cx.text(n)).unwrap_or("");
            if n == "GrpcService" && common::java_type(cx, n).is_some_and(|q| q.contains("grpc")) {
                cx.signal(SignalKind::GrpcServer, node, "grpc-spring-boot-starter");
            }
        }
        _ => {
            let q = qualified(cx, node).unwrap_or_default();
            let name = call_name(cx, node);
            if (q.starts_with("io.grpc.ServerBuilder.")
                || q.starts_with("io.grpc.netty.NettyServerBuilder.")
                || q.starts_with("io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.")
                || q.starts_with("io.grpc.Grpc.newServerBuilderForPort"))
                && matches!(name, "forPort" | "forAddress" | "newServerBuilderForPort")
            {
                cx.signal(SignalKind::GrpcServer, node, "grpc-java");
                if let Some(p) = args(node).first().and_then(|a| port_of(cx, *a)) {
                    cx.signal(SignalKind::Listen, node, p.to_string());
                }
            } else if q.starts_with("io.grpc.services.HealthStatusManager")
                || q.starts_with("io.grpc.protobuf.services.HealthStatusManager")
            {
                cx.signal(SignalKind::Health, node, "grpc HealthStatusManager");
            }
        }
    }
}

/// Methods of `class X extends XGrpc.XImplBase`.
fn java_impl_base(class: Node<'_>, cx: &mut Cx<'_>) {
    let Some(sup) = class.field("superclass") else {
        return;
    };
    let t = cx.text(sup).trim_start_matches("extends").trim();
    let last = t.rsplit('.').next().unwrap_or(t);
    let Some(svc) = last.strip_suffix("ImplBase") else {
        return;
    };
    if svc.is_empty() || svc == "Health" {
        return;
    }
    let Some(body) = class.field("body") else {
        return;
    };
    let mut c = body.walk();
    for m in body
        .named_children(&mut c)
        .filter(|m| m.kind_name() == "method_declaration")
    {
        let Some(n) = m.field("name").map(|n| cx.text(n)) else {
            continue;
        };
        let params = m.field("parameters").map(|p| cx.text(p)).unwrap_or("");
        if params.contains("StreamObserver") && !is_health_method(n) {
            cx.signal(SignalKind::RpcMethod, m, format!("{svc}/{n}"));
        }
    }
    let _ = literal_text;
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::*;

    #[test]
    fn python_grpc() {
        let s = signals(
            "email_server.py",
            "import os\nimport grpc\nfrom concurrent import futures\nimport demo_pb2_grpc\nfrom grpc_health.v1 import health_pb2_grpc\nclass Base(demo_pb2_grpc.EmailServiceServicer):\n    def Check(self, request, context):\n        pass\nclass Dummy(Base):\n    def SendOrderConfirmation(self, request, context):\n        pass\ndef start():\n    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))\n    demo_pb2_grpc.add_EmailServiceServicer_to_server(Dummy(), server)\n    health_pb2_grpc.add_HealthServicer_to_server(Dummy(), server)\n    port = os.environ.get('PORT', '8080')\n    server.add_insecure_port('[::]:' + port)\n",
        );
        assert!(s.contains(&(GrpcServer, 13, "grpcio".into())), "{s:?}");
        assert!(s.contains(&(RpcMethod, 10, "EmailService/SendOrderConfirmation".into())));
        assert!(s.contains(&(
            Health,
            15,
            "grpc.health.v1 add_HealthServicer_to_server".into()
        )));
        assert!(s.contains(&(Listen, 17, "8080".into())), "{s:?}");
        assert!(!s.iter().any(|x| x.0 == RpcMethod && x.2.ends_with("Check")));
    }

    #[test]
    fn go_grpc() {
        let s = signals(
            "main.go",
            "package main\nimport (\n\t\"context\"\n\t\"google.golang.org/grpc\"\n\t\"google.golang.org/grpc/health\"\n\tpb \"example.com/genproto\"\n\thealthpb \"google.golang.org/grpc/health/grpc_health_v1\"\n)\ntype checkout struct {\n\tpb.UnimplementedCheckoutServiceServer\n}\nfunc main() {\n\tsrv := grpc.NewServer()\n\tpb.RegisterCheckoutServiceServer(srv, &checkout{})\n\thealthpb.RegisterHealthServer(srv, health.NewServer())\n}\nfunc (c *checkout) PlaceOrder(ctx context.Context, req *pb.PlaceOrderRequest) (*pb.PlaceOrderResponse, error) {\n\treturn nil, nil\n}\nfunc (c *checkout) helper(ctx context.Context) error { return nil }\n",
        );
        assert!(s.contains(&(GrpcServer, 13, "grpc-go".into())));
        assert!(s.contains(&(Health, 15, "grpc health.NewServer".into())));
        assert!(s.contains(&(Health, 15, "grpc_health_v1.RegisterHealthServer".into())));
        assert!(
            s.contains(&(RpcMethod, 17, "CheckoutService/PlaceOrder".into())),
            "{s:?}"
        );
        assert_eq!(s.iter().filter(|x| x.0 == RpcMethod).count(), 1);
    }

    #[test]
    fn node_grpc() {
        let s = signals(
            "server.js",
            "const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\nserver.addService(shop.PaymentService.service, { charge: h });\nserver.addService(healthProto.Health.service, { check });\nserver.bindAsync(`[::]:${PORT}`, grpc.ServerCredentials.createInsecure(), () => {});\nserver.bindAsync('0.0.0.0:50051', creds, cb);\n",
        );
        assert!(s.contains(&(GrpcServer, 2, "@grpc/grpc-js".into())));
        assert!(s.contains(&(RpcMethod, 3, "PaymentService/charge".into())));
        assert!(s.contains(&(Health, 4, "grpc.health.v1 handlers".into())));
        assert!(s.contains(&(Listen, 6, "50051".into())));
    }

    #[test]
    fn java_grpc() {
        let s = signals(
            "src/main/java/h/AdService.java",
            "package h;\nimport io.grpc.Server;\nimport io.grpc.ServerBuilder;\nimport io.grpc.services.*;\npublic final class AdService {\n  void start() {\n    int port = Integer.parseInt(System.getenv().getOrDefault(\"PORT\", \"9555\"));\n    HealthStatusManager m = new HealthStatusManager();\n    server = ServerBuilder.forPort(port).addService(new Impl()).build().start();\n  }\n  static class Impl extends h.AdServiceGrpc.AdServiceImplBase {\n    @Override\n    public void getAds(AdRequest req, StreamObserver<AdResponse> o) {}\n  }\n}\n",
        );
        assert!(
            s.contains(&(Health, 8, "grpc HealthStatusManager".into())),
            "{s:?}"
        );
        assert!(s.contains(&(GrpcServer, 9, "grpc-java".into())), "{s:?}");
        assert!(s.contains(&(Listen, 9, "9555".into())), "{s:?}");
        assert!(
            s.contains(&(RpcMethod, 12, "AdService/getAds".into())),
            "{s:?}"
        );
        // The protobuf-services package, also through a wildcard, on a field assigned later.
        let p = signals(
            "src/main/java/h/Ads.java",
            "package h;\nimport io.grpc.*;\nimport io.grpc.protobuf.services.*;\nclass Ads {\n  private HealthStatusManager health;\n  void start() {\n    health = new HealthStatusManager();\n  }\n}\n",
        );
        assert!(
            p.contains(&(Health, 7, "grpc HealthStatusManager".into())),
            "{p:?}"
        );
    }
}
