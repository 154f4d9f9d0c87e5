//! Outbound HTTP and gRPC clients (a stand-in until the framework extractors emit
//! `Outbound` for every dependency): `requests`/`httpx`/`aiohttp`, gRPC channels, Go
//! `net/http` clients and `grpc.Dial`/`NewClient`, Node `fetch`/axios/got and gRPC clients,
//! Java `RestTemplate`/`WebClient`/`HttpClient`/`ManagedChannelBuilder`/OkHttp/Feign.
//! One `Outbound` signal per file, at the first client, detail `"http <callee>"` or
//! `"grpc <callee>"`. RESILIENCE only applies to components that have one.

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{Cx, Extractor};
use crate::rules::reach;
use crate::signals::SignalKind;

pub struct Outbound;
pub static OUTBOUND: Outbound = Outbound;

impl Extractor for Outbound {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "outbound-clients"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        reach::root_kinds(f)
    }

    fn visit(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        // A client script beside a server (`email_client.py`, `AdServiceClient.java` with its
        // own `main`) is a developer tool, not a dependency of the service.
        let name = crate::files::base_name(cx.path).to_ascii_lowercase();
        let own_main = cx.src.contains("__main__")
            || cx.src.contains("func main(")
            || cx.src.contains("static void main(");
        if name.contains("client") && own_main {
            return;
        }
        // Browser code calls the service's own API, not a dependency.
        let lower_path = cx.path.to_ascii_lowercase();
        let browser_dir = [
            "frontend/",
            "client/",
            "web/",
            "ui/",
            "webapp/",
            "www/",
            "static/",
            "public/",
        ]
        .iter()
        .any(|d| lower_path.starts_with(d) || lower_path.contains(&format!("/{d}")));
        if cx.family() == Family::Js && browser_dir {
            return;
        }
        let imp = cx.imports();
        let any_mod = |ms: &[&str]| ms.iter().any(|m| imp.has_module(m));
        let maybe = match cx.family() {
            Family::Python => {
                any_mod(&["requests", "httpx", "aiohttp", "grpc", "urllib", "urllib3"])
            }
            Family::Go => any_mod(&["net/http", "google.golang.org/grpc"]),
            Family::Js => {
                any_mod(&["axios", "got", "node-fetch", "undici", "@grpc/grpc-js"])
                    || cx.src.contains("fetch(")
            }
            Family::Java => [
                "RestTemplate",
                "WebClient",
                "HttpClient",
                "ChannelBuilder",
                "OkHttp",
                "RestClient",
            ]
            .iter()
            .any(|t| cx.src.contains(t)),
        };
        if !maybe {
            return;
        }
        let hit = descendants(root).find_map(|n| {
            client(n, cx)
                .filter(|_| !local_target(n, cx))
                .map(|d| (n, d))
        });
        if let Some((n, detail)) = hit {
            cx.signal(SignalKind::OutboundCall, n, detail);
        }
    }
}

/// A call whose first argument is a literal URL on this host (`http://localhost:8000/health`,
/// a health probe of itself or a local sidecar): not a dependency that fails apart from it.
fn local_target(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let local = |t: &str| {
        crate::extract::common::LOOPBACK_HOSTS
            .iter()
            .any(|h| t.contains(&format!("://{h}")))
    };
    let Some(mut a) = syntax::positional_args(n).first().copied() else {
        return false;
    };
    // `urlopen(Request(url, ...))`: the URL is the request's.
    if syntax::call_kinds(cx.family()).contains(&a.kind_name())
        && let Some(inner) = syntax::positional_args(a).first().copied()
    {
        a = inner;
    }
    if local(cx.text(a)) {
        return true;
    }
    // A variable every assignment of which is a local URL.
    if a.kind_name() == "identifier" {
        let values = cx.bindings().values(cx.text(a));
        return !values.is_empty()
            && values
                .iter()
                .all(|r| cx.src.get(r.clone()).is_some_and(local));
    }
    false
}

fn client(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    if !syntax::call_kinds(cx.family()).contains(&n.kind_name())
        && n.kind_name() != "composite_literal"
    {
        return None;
    }
    let (w, r) = cx.callee(n);
    match cx.family() {
        Family::Python => {
            const HTTP: &[&str] = &[
                "requests.get",
                "requests.post",
                "requests.put",
                "requests.patch",
                "requests.delete",
                "requests.head",
                "requests.request",
                "requests.Session",
                "requests.session",
                "httpx.get",
                "httpx.post",
                "httpx.put",
                "httpx.patch",
                "httpx.delete",
                "httpx.request",
                "httpx.Client",
                "httpx.AsyncClient",
                "aiohttp.ClientSession",
                "urllib.request.urlopen",
                "urllib3.PoolManager",
            ];
            if HTTP.contains(&r.as_str()) {
                return Some(format!("http {r}"));
            }
            if r.starts_with("grpc.") && r.ends_with("_channel") {
                return Some(format!("grpc {r}"));
            }
            None
        }
        Family::Go => {
            if n.kind_name() == "composite_literal" {
                let t = n.field("type").map(|t| cx.imports().resolve(cx.text(t)))?;
                return (t == "net/http.Client").then(|| "http http.Client".to_string());
            }
            match r.as_str() {
                "net/http.Get"
                | "net/http.Post"
                | "net/http.NewRequest"
                | "net/http.NewRequestWithContext" => {
                    Some(format!("http {}", r.trim_start_matches("net/")))
                }
                "google.golang.org/grpc.Dial"
                | "google.golang.org/grpc.DialContext"
                | "google.golang.org/grpc.NewClient" => Some(format!(
                    "grpc {}",
                    r.trim_start_matches("google.golang.org/")
                )),
                _ => None,
            }
        }
        Family::Js => {
            if crate::rules::timeout::js_is_browser_file(cx) {
                return None;
            }
            if w == "fetch"
                || r.starts_with("axios")
                || r == "got"
                || r.starts_with("got.")
                || r == "node-fetch"
            {
                return Some(format!("http {w}"));
            }
            if r.starts_with("@grpc/grpc-js") && (w.ends_with("Client") || r.ends_with("Client")) {
                return Some(format!("grpc {w}"));
            }
            None
        }
        Family::Java => {
            let t = w.as_str();
            if matches!(t, "RestTemplate" | "OkHttpClient" | "RestTemplateBuilder")
                || t.starts_with("WebClient.")
                || t.starts_with("HttpClient.new")
                || t.starts_with("RestClient.")
            {
                return Some(format!("http {t}"));
            }
            if t.starts_with("ManagedChannelBuilder.for")
                || t.starts_with("NettyChannelBuilder.for")
            {
                return Some(format!("grpc {t}"));
            }
            None
        }
    }
}
