//! `grpc-call-without-deadline` and `grpc-channel-without-default-deadline`: gRPC calls
//! that can wait forever, and the channels they go through.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, last_segment, receiver};
use crate::rule::{CodeRule, Cx, Docs, Handling, Requirement, RuleMeta};
use crate::rules::timeout::go_deadline::{self, Ctx};

pub static CALL: RuleMeta = RuleMeta {
    id: "grpc-call-without-deadline",
    category: "TIMEOUT",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "gRPC call with no deadline",
    docs: Docs {
        what: "A gRPC client call with no deadline: Python stub calls without `timeout=`; Go calls on a generated \
client whose context is `context.Background()`/`TODO()` or comes from the caller with no `context.WithTimeout` on the \
way (a `context.WithTimeout` whose context is thrown away, `_, cancel := ...`, is not a deadline); Node \
`@grpc/grpc-js` client calls without a `deadline` option; Java blocking/future stub calls without \
`withDeadlineAfter`. gRPC has no default deadline in any language: without one a call waits as long as the server \
does. Calls whose context comes from the caller are reported with medium confidence: the caller may set one.",
        scenario: "A downstream service is overloaded or wedged and stops answering, or a network partition \
drops packets silently.",
        impact: "Every request that reaches this call waits forever, holding its goroutine/thread, connection \
and the caller's request. Fan-out multiplies it: one slow backend stalls every page that touches it.",
        detection: "Client-side latency of the RPC grows without bound; in-flight RPC counts climb; upstream \
requests time out while this service's own CPU is idle.",
        mitigation: "Give every outbound RPC a deadline derived from the incoming request's remaining budget, \
and a default on the channel (an interceptor) so new call sites inherit one.",
        fixes: &[
            (
                "python",
                "response = stub.ListProducts(request, timeout=2.0)",
            ),
            (
                "go",
                "ctx, cancel := context.WithTimeout(ctx, 2*time.Second)\ndefer cancel()\nresp, err := client.GetCart(ctx, req)",
            ),
            (
                "javascript",
                "const deadline = new Date(Date.now() + 2000);\nclient.getCart(req, new grpc.Metadata(), { deadline }, callback);",
            ),
            (
                "typescript",
                "const deadline = new Date(Date.now() + 2000);\nclient.getCart(req, new grpc.Metadata(), { deadline }, callback);",
            ),
            (
                "java",
                "AdResponse r = blockingStub.withDeadlineAfter(2, TimeUnit.SECONDS).getAds(request);",
            ),
        ],
        monitoring: "Alert on client-side RPC latency p99 per method (`grpc_client_handling_seconds`) and on \
DEADLINE_EXCEEDED/UNAVAILABLE rates.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/reco.py",
            r#"import grpc
import demo_pb2_grpc

channel = grpc.insecure_channel('catalog:3550')
stub = demo_pb2_grpc.ProductCatalogServiceStub(channel)

def handler(req):
    cat = stub.ListProducts(req)
          ^ `ListProducts` has no `timeout=`
    ok = stub.ListProducts(req, timeout=2)
    return cat, ok
"#
        ),
        case!(
            "svc/ok.py",
            r#"import grpc
import demo_pb2_grpc
channel = grpc.insecure_channel('catalog:3550')
stub = demo_pb2_grpc.CatalogStub(channel)
def h(req):
    return stub.Get(req, timeout=1.5)
"#
        ),
        case!(
            "frontend/rpc.go",
            r#"package main

import (
	"context"
	"net/http"
	"time"

	pb "example.com/shop/genproto"
	"google.golang.org/grpc"
)

type fe struct{ conn *grpc.ClientConn }

func (f *fe) cart(ctx context.Context, id string) error {
	_, err := pb.NewCartServiceClient(f.conn).GetCart(ctx, &pb.GetCartRequest{UserId: id})
	          ^ ctx comes from the caller
	return err
}

func (f *fe) cartHandler(w http.ResponseWriter, r *http.Request) {
	if err := f.cart(r.Context(), "u1"); err != nil {
		http.Error(w, err.Error(), 500)
	}
}

// An exported client method: its callers, in other packages, own the deadline.
func (f *fe) Ping(ctx context.Context) error {
	_, err := pb.NewCartServiceClient(f.conn).Ping(ctx, &pb.Empty{})
	return err
}

func (f *fe) ads(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := pb.NewAdServiceClient(f.conn).GetAds(ctx, &pb.AdRequest{})
	return err
}

func (f *fe) convert() error {
	_, err := pb.NewCurrencyServiceClient(f.conn).Convert(context.TODO(), &pb.ConvertRequest{})
	          ^ `context.TODO()`
	return err
}

func dial(ctx context.Context, addr string) *grpc.ClientConn {
	_, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, _ := grpc.NewClient(addr)
	return conn
}
"#
        ),
        case!(
            "server.js",
            r#"const grpc = require('@grpc/grpc-js');
const proto = require('./proto');
const client = new proto.shop.CurrencyService('localhost:7000', grpc.credentials.createInsecure());
client.convert({ amount: 1 }, (err, res) => {});
^ `convert` has no deadline
client.getSupportedCurrencies({}, new grpc.Metadata(), { deadline: Date.now() + 1000 }, (err, res) => {});
"#
        ),
        case!(
            "src/main/java/shop/AdClient.java",
            r#"package shop;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;

class AdClient {
    void run() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("ads", 9555).usePlaintext().build();
        AdServiceGrpc.AdServiceBlockingStub stub = AdServiceGrpc.newBlockingStub(channel);
        stub.getAds(req);
        ^ `getAds` has no deadline
        stub.withDeadlineAfter(2, TimeUnit.SECONDS).getAds(req);
    }
}
"#
        ),
        case!(
            "orders/main.go",
            r#"package main

import (
	"context"
	"time"

	pb "example.com/shop/genproto"
	"google.golang.org/grpc"
)

type orders struct {
	stock pb.StockServiceClient
	cache *lru
}

func main() {
	conn, _ := grpc.NewClient("stock:50051")
	svc := new(orders)
	svc.stock = pb.NewStockServiceClient(conn)
	svc.cache = newLRU(128)
	svc.refresh()
	svc.refreshBounded()
}

// The field was set through `svc`, the call goes through `o`: same field.
func (o *orders) refresh() {
	o.stock.Reserve(context.Background(), &pb.ReserveRequest{})
	^ `context.Background()`
	o.cache.Get(context.Background(), "warm")
}

func (o *orders) refreshBounded() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	o.stock.Reserve(ctx, &pb.ReserveRequest{})
}
"#
        ),
        case!(
            "web/gateways/inventory.ts",
            r#"import { ChannelCredentials } from '@grpc/grpc-js';
import { InventoryClient } from '../gen/inventory';

const inventory = new InventoryClient(process.env.INVENTORY_ADDR ?? '', ChannelCredentials.createInsecure());

export function reserve(sku: string, count: number) {
  return new Promise((resolve, reject) =>
    inventory.reserve({ sku, count }, (err, res) => (err ? reject(err) : resolve(res)))
    ^ `reserve` has no deadline
  );
}
"#
        ),
        case!(
            "web/gateways/stock.ts",
            r#"import { ChannelCredentials, Metadata } from '@grpc/grpc-js';
import { StockClient } from '../gen/stock';

const stock = new StockClient('stock:50051', ChannelCredentials.createSsl());

export const level = (sku: string) =>
  new Promise((resolve, reject) =>
    stock.level({ sku }, new Metadata(), { deadline: Date.now() + 800 }, (e, r) => (e ? reject(e) : resolve(r)))
  );

// Not gRPC: a constructor that takes no channel credentials.
const cache = new LruClient('cache:11211', { ttl: 60 });
export const warm = () => cache.get({ key: 'k' }, () => {});
"#
        ),
        case!(
            "tests/test_client.py",
            "import grpc\nimport x_pb2_grpc\nstub = x_pb2_grpc.AStub(grpc.insecure_channel('a'))\nstub.Get(1)\n"
        ),
        case!(
            "cart/client.go",
            "package cart\n\nimport (\n\t\"context\"\n\t\"time\"\n\n\tpb \"example.com/genproto\"\n)\n\nfunc get(conn Conn) error {\n\tctx, cancel := context.WithTimeout(context.Background(), time.Second)\n\tdefer cancel()\n\t_, err := pb.NewCartServiceClient(conn).GetCart(ctx, &pb.GetCartRequest{})\n\treturn err\n}\n"
        ),
        case!(
            "client.js",
            "const grpc = require('@grpc/grpc-js');\nconst c = new proto.Cart('cart:7070', grpc.credentials.createInsecure());\nconst deadline = new Date(Date.now() + 1000);\nc.getCart({}, new grpc.Metadata(), { deadline }, (e, r) => {});\n"
        ),
        case!(
            "src/main/java/a/Ok.java",
            "package a;\nclass Ok {\n    void f() {\n        var s = CartGrpc.newBlockingStub(ch);\n        s.withDeadlineAfter(1, TimeUnit.SECONDS).getCart(r);\n    }\n}\n"
        ),
    ],
};

pub static CHANNEL: RuleMeta = RuleMeta {
    id: "grpc-channel-without-default-deadline",
    category: "TIMEOUT",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "gRPC channel with no default deadline, used by calls that set none",
    docs: Docs {
        what: "A gRPC channel or connection (`grpc.insecure_channel`, `grpc.NewClient`/`Dial`, `new \
Service(addr, credentials)`, `ManagedChannelBuilder...build()`) created with no interceptor that could apply a \
default deadline, in a component where at least one gRPC call sets no deadline (`grpc-call-without-deadline`). The \
channel is where a default belongs, so every call site, present and future, inherits one. Not reported when the \
component's calls all carry deadlines.",
        scenario: "A new call site is added through this channel without a deadline; or an existing one keeps \
its missing deadline.",
        impact: "As for the calls: a slow backend holds callers forever. The channel is the one place a default \
fixes all of them.",
        detection: "In-flight RPCs on this channel grow without bound when the backend stalls.",
        mitigation: "Add a client interceptor that applies a default deadline when the caller set none.",
        fixes: &[
            (
                "go",
                "conn, err := grpc.NewClient(addr,\n    grpc.WithTransportCredentials(creds),\n    grpc.WithUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {\n        if _, ok := ctx.Deadline(); !ok {\n            var cancel context.CancelFunc\n            ctx, cancel = context.WithTimeout(ctx, 5*time.Second)\n            defer cancel()\n        }\n        return invoker(ctx, method, req, reply, cc, opts...)\n    }))",
            ),
            (
                "python",
                "channel = grpc.intercept_channel(grpc.insecure_channel(addr), DefaultDeadlineInterceptor(5.0))",
            ),
            (
                "java",
                "ManagedChannel ch = ManagedChannelBuilder.forTarget(target)\n    .intercept(new DefaultDeadlineInterceptor(Duration.ofSeconds(5)))\n    .build();",
            ),
            (
                "javascript",
                "const client = new proto.Service(addr, creds, { interceptors: [defaultDeadline(5000)] });",
            ),
        ],
        monitoring: "RPC latency and DEADLINE_EXCEEDED per method on this channel.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/reco.py",
            r#"import grpc
import demo_pb2_grpc
channel = grpc.insecure_channel('catalog:3550')
          ^ gRPC channel without a default deadline
stub = demo_pb2_grpc.CatalogStub(channel)
def h(req):
    return stub.Get(req)
"#
        ),
        case!(
            "svc/ok.py",
            r#"import grpc
import demo_pb2_grpc
channel = grpc.insecure_channel('catalog:3550')
stub = demo_pb2_grpc.CatalogStub(channel)
def h(req):
    return stub.Get(req, timeout=2)
"#
        ),
        case!(
            "cmd/api/main.go",
            r#"package main

import (
	"context"
	"google.golang.org/grpc"
	pb "example.com/api/genproto"
)

func main() {
	conn, _ := grpc.NewClient("cart:7070")
	           ^ gRPC channel without a default deadline
	pb.NewCartServiceClient(conn).GetCart(context.Background(), &pb.GetCartRequest{})
}
"#
        ),
        case!(
            "cmd/api2/main.go",
            r#"package main

import "google.golang.org/grpc"

func main() {
	conn, _ := grpc.NewClient("cart:7070", grpc.WithUnaryInterceptor(deadline))
	_ = conn
}
"#
        ),
        case!(
            "index.js",
            r#"const grpc = require('@grpc/grpc-js');
const proto = require('./proto');
const c = new proto.shop.Cart('cart:7070', grpc.credentials.createInsecure());
          ^ gRPC channel without a default deadline
c.getCart({}, (e, r) => {});
"#
        ),
        case!(
            "src/main/java/a/A.java",
            r#"package a;
import io.grpc.ManagedChannelBuilder;
class A {
    void f() {
        var ch = ManagedChannelBuilder.forTarget("x").build();
                 ^ gRPC channel without a default deadline
        var s = CartGrpc.newBlockingStub(ch);
        s.getCart(r);
    }
}
"#
        ),
        case!(
            "ok.js",
            "const grpc = require('@grpc/grpc-js');\nconst c = new proto.Cart('cart:7070', grpc.credentials.createInsecure());\nc.getCart({}, new grpc.Metadata(), { deadline: Date.now() + 1000 }, (e, r) => {});\n"
        ),
        case!(
            "web/rpc/ledger.ts",
            r#"import { ChannelCredentials } from '@grpc/grpc-js';
import { LedgerClient } from '../gen/ledger';
const ledger = new LedgerClient(process.env.LEDGER_ADDR ?? '', ChannelCredentials.createInsecure());
               ^ gRPC channel without a default deadline
export const post = (entry: object) => new Promise((ok, ko) => ledger.post(entry, (e, r) => (e ? ko(e) : ok(r))));
"#
        ),
        case!(
            "web/rpc/quota.ts",
            r#"import { ChannelCredentials, Metadata } from '@grpc/grpc-js';
import { QuotaClient } from '../gen/quota';
const quota = new QuotaClient('quota:50051', ChannelCredentials.createInsecure());
export const take = () => new Promise((ok, ko) => quota.take({}, new Metadata(), { deadline: Date.now() + 300 }, (e, r) => (e ? ko(e) : ok(r))));
"#
        ),
        case!(
            "src/main/java/a/Ok.java",
            "package a;\nclass Ok {\n    void f() {\n        var ch = ManagedChannelBuilder.forTarget(\"x\").build();\n        CartGrpc.newBlockingStub(ch).withDeadlineAfter(1, TimeUnit.SECONDS).getCart(r);\n    }\n}\n"
        ),
    ],
};

pub struct CallRule;
pub static CALL_RULE: CallRule = CallRule;
pub struct ChannelRule;
pub static CHANNEL_RULE: ChannelRule = ChannelRule;

impl CodeRule for CallRule {
    fn meta(&self) -> &'static RuleMeta {
        &CALL
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        syntax::call_kinds(f)
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => py_call(node, cx),
            Family::Go => go_call(node, cx),
            Family::Js => js_call(node, cx),
            Family::Java => java_call(node, cx),
        }
    }
}

impl CodeRule for ChannelRule {
    fn meta(&self) -> &'static RuleMeta {
        &CHANNEL
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        syntax::call_kinds(f)
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if is_channel_constructor(node, cx) {
            cx.hit(
                &CHANNEL,
                node,
                "gRPC channel",
                "gRPC channel without a default deadline, and calls through it set none",
            )
            .requires(Requirement::ComponentHasRule(CALL.id));
        }
    }
}

/// Channel constructors with no interceptor that could add a default deadline.
fn is_channel_constructor(node: Node<'_>, cx: &Cx<'_>) -> bool {
    let args_text = node.field("arguments").map(|a| cx.text(a)).unwrap_or("");
    let (written, resolved) = cx.callee(node);
    match cx.family() {
        Family::Python => {
            matches!(
                resolved.as_str(),
                "grpc.insecure_channel"
                    | "grpc.secure_channel"
                    | "grpc.aio.insecure_channel"
                    | "grpc.aio.secure_channel"
            ) && kwarg(node, cx.src, "interceptors").is_none()
                && !node
                    .parent()
                    .is_some_and(|p| cx.text(p).contains("intercept_channel"))
        }
        Family::Go => {
            matches!(
                resolved.as_str(),
                "google.golang.org/grpc.NewClient"
                    | "google.golang.org/grpc.Dial"
                    | "google.golang.org/grpc.DialContext"
            ) && !args_text.contains("Interceptor")
        }
        Family::Js => {
            node.kind_name() == "new_expression"
                && js_grpc_credentials(args_text)
                && !args_text.contains("interceptors")
                && {
                    let _ = written;
                    true
                }
        }
        Family::Java => {
            if node.parent().is_some_and(|p| {
                p.kind_name() == "method_invocation" && p.field("object") == Some(node)
            }) {
                return false;
            }
            let chain = syntax::callee_text(node, cx.src);
            (chain.starts_with("ManagedChannelBuilder.for")
                || chain.starts_with("NettyChannelBuilder.for"))
                && chain.ends_with(".build")
                && !chain.contains(".intercept(")
        }
    }
}

fn py_call(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, _) = cx.callee(call);
    let Some(recv) = receiver(&written) else {
        return;
    };
    let method = last_segment(&written);
    if !method.starts_with(|c: char| c.is_ascii_uppercase()) {
        return; // generated stub methods are CamelCase RPC names
    }
    let is_stub = cx
        .bindings()
        .nodes_for_receiver(cx.root, recv)
        .iter()
        .any(|v| {
            v.kind_name() == "call"
                && last_segment(&syntax::callee_text(*v, cx.src)).ends_with("Stub")
        });
    if !is_stub || kwarg(call, cx.src, "timeout").is_some() || syntax::has_kwargs_splat(call) {
        return;
    }
    cx.hit(
        &CALL,
        call,
        method.to_string(),
        format!("gRPC call `{method}` has no `timeout=`: it waits as long as the server does"),
    );
}

/// `pb.NewFooClient(conn)`: a generated gRPC client constructor (takes a connection, not a
/// context, which tells it apart from cloud SDK `NewClient(ctx)` constructors).
fn go_is_stub_constructor(n: Node<'_>, cx: &Cx<'_>) -> bool {
    if n.kind_name() != "call_expression" {
        return false;
    }
    // Cheap test first: the callee's last name is `New…Client`, so its text holds both
    // words (most calls are dismissed here, before building the callee strings).
    let f = n.field("function").map_or("", |f| cx.text(f));
    if !(f.contains("New") && f.contains("Client")) {
        return false;
    }
    let (written, _) = cx.callee(n);
    let name = last_segment(&written);
    let Some(mid) = name
        .strip_prefix("New")
        .and_then(|r| r.strip_suffix("Client"))
    else {
        return false;
    };
    if mid.is_empty() {
        return false;
    }
    let args = syntax::positional_args(n);
    args.len() == 1
        && !cx.text(args[0]).to_ascii_lowercase().contains("ctx")
        && !cx.text(args[0]).contains("context.")
}

fn go_call(call: Node<'_>, cx: &mut Cx<'_>) {
    // A stub constructor's name holds `New` and `Client` (`go_is_stub_constructor`): a
    // file with neither word has no stub, and its calls need no binding lookups.
    if !cx.file_flag("go_grpc_stub_words", || {
        cx.src.contains("New") && cx.src.contains("Client")
    }) {
        return;
    }
    let Some(f) = call.field("function") else {
        return;
    };
    if f.kind_name() != "selector_expression" {
        return;
    }
    let Some(operand) = f.field("operand") else {
        return;
    };
    let method = f.field("field").map(|n| cx.text(n)).unwrap_or("");
    let is_client = go_is_stub_constructor(operand, cx) || {
        let recv = cx.text(operand);
        cx.bindings()
            .nodes_for_receiver(cx.root, recv)
            .iter()
            .any(|v| go_is_stub_constructor(*v, cx))
    };
    if !is_client {
        return;
    }
    let args = syntax::positional_args(call);
    let Some(ctx_arg) = args.first() else { return };
    let subject = method.to_string();
    match go_deadline::classify(*ctx_arg, cx) {
        Ctx::Deadline => {}
        Ctx::Background => {
            let t = cx.text(*ctx_arg).to_string();
            cx.hit(
                &CALL,
                call,
                subject,
                format!("gRPC call `{method}` with `{t}`: no deadline and no cancellation"),
            );
        }
        Ctx::Inherited => {
            if go_deadline::function_derives_deadline(call, cx) {
                return;
            }
            let Some(kept_if) = go_deadline::inherited_without_deadline(call, cx) else {
                return;
            };
            cx.hit(
                &CALL,
                call,
                subject,
                format!("gRPC call `{method}`: ctx comes from the caller and nothing on this path sets a deadline"),
            )
            .confidence(Confidence::Medium)
            .requires(kept_if);
        }
    }
}

/// Constructor arguments that carry `@grpc/grpc-js` channel credentials: the
/// `grpc.credentials.createInsecure()` namespace, or the `ChannelCredentials` class that
/// generated TypeScript clients (ts-proto, grpc-tools) are built with.
fn js_grpc_credentials(args: &str) -> bool {
    args.contains("credentials.") || args.contains("ChannelCredentials.create")
}

fn js_is_client(n: Node<'_>, cx: &Cx<'_>) -> bool {
    n.kind_name() == "new_expression"
        && n.field("arguments")
            .is_some_and(|a| js_grpc_credentials(cx.text(a)))
}

fn js_call(call: Node<'_>, cx: &mut Cx<'_>) {
    if call.kind_name() != "call_expression" {
        return;
    }
    let (written, _) = cx.callee(call);
    let Some(recv) = receiver(&written) else {
        return;
    };
    let method = last_segment(&written);
    if matches!(
        method,
        "close" | "waitForReady" | "getChannel" | "on" | "once"
    ) {
        return;
    }
    let is_client = cx
        .bindings()
        .nodes_for_receiver(cx.root, recv)
        .iter()
        .any(|v| js_is_client(*v, cx));
    if !is_client {
        return;
    }
    let args = syntax::positional_args(call);
    let has_deadline = args.iter().any(|a| {
        a.kind_name() == "object"
            && syntax::js_object_keys(*a, cx.src)
                .is_none_or(|ks| ks.iter().any(|k| k == "deadline"))
    });
    if !has_deadline {
        cx.hit(
            &CALL,
            call,
            method.to_string(),
            format!(
                "gRPC call `{method}` has no deadline option: it waits as long as the server does"
            ),
        );
    }
}

fn java_call(call: Node<'_>, cx: &mut Cx<'_>) {
    if call.kind_name() != "method_invocation" {
        return;
    }
    let Some(obj) = call.field("object") else {
        return;
    };
    let method = call.field("name").map(|n| cx.text(n)).unwrap_or("");
    if method.starts_with("with") {
        return;
    }
    let obj_text = cx.text(obj);
    if obj_text.contains("withDeadline") {
        return;
    }
    let is_stub = obj.kind_name() == "identifier"
        && cx.bindings().nodes(cx.root, obj_text).iter().any(|v| {
            let t = cx.text(*v);
            t.contains("Grpc.new") && t.contains("Stub(") && !t.contains("withDeadline")
        });
    if is_stub {
        cx.hit(
            &CALL,
            call,
            method.to_string(),
            format!("gRPC call `{method}` has no deadline (`withDeadlineAfter`)"),
        );
    }
}
