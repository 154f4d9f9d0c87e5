//! `inference-call-without-timeout`: a remote model-server call that can wait forever.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::extract::common::{call_name, qualified_through_bindings};
use crate::lang::Family;
use crate::lang::syntax::kwarg;
use crate::rule::{Case, CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "inference-call-without-timeout",
    category: "TIMEOUT",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python"],
    summary: "Remote inference call with no timeout",
    docs: Docs {
        what: "A Triton Inference Server gRPC client call (`tritonclient.grpc` / `tritonclient.grpc.aio` \
`InferenceServerClient.infer`/`async_infer`) without `client_timeout=`: the gRPC client sets no deadline, so the call \
waits as long as the model server does. Not reported, because they have finite defaults: `tritonclient.http` \
(60 s network timeout), SageMaker `invoke_endpoint` (botocore's 60 s read timeout), Vertex AI `Endpoint.predict` (GAPIC \
default). Plain HTTP calls to TorchServe/KServe endpoints are covered by `http-client-without-timeout`, gRPC stubs by \
`grpc-call-without-deadline`.",
        scenario: "The model server is saturated, a GPU hangs, or a model stalls on an adversarial input.",
        impact: "Every request that reaches the call waits forever, holding a worker and the caller's request; workers \
run out and the service stops answering while the model server recovers.",
        detection: "Inference latency without bound, growing in-flight requests, upstream timeouts while this \
service's CPU is idle.",
        mitigation: "Set `client_timeout=` on every inference call, a little under the caller's own deadline, and \
handle the timeout (fallback or error).",
        fixes: &[(
            "python",
            "result = client.infer(\"resnet\", inputs, outputs=outputs, client_timeout=2.0)",
        )],
        monitoring: "Client-side inference latency p99 and DEADLINE_EXCEEDED rate per model.",
    },
    outside_production: Handling::Lower,
    cases: CASES,
};

pub struct Rule;
pub static RULE: Rule = Rule;

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call"],
            _ => &[],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if !matches!(call_name(cx, node), "infer" | "async_infer") {
            return;
        }
        let Some(q) = qualified_through_bindings(cx, node) else {
            return;
        };
        let triton_grpc = q.starts_with("tritonclient.grpc.InferenceServerClient().")
            || q.starts_with("tritonclient.grpc.aio.InferenceServerClient().");
        if !triton_grpc {
            return;
        }
        let method = q.rsplit('.').next().unwrap_or("");
        if !matches!(method, "infer" | "async_infer") {
            return;
        }
        if kwarg(node, cx.src, "client_timeout").is_some()
            || crate::lang::syntax::has_kwargs_splat(node)
        {
            return;
        }
        cx.hit(
            &META,
            node,
            format!("InferenceServerClient.{method}"),
            format!("Triton gRPC `{method}` without `client_timeout=`: the call has no deadline and waits as long as the model server does"),
        );
    }
}

static CASES: &[Case] = &[
    crate::case!(
        "api/client.py",
        r#"import tritonclient.grpc as grpcclient

client = grpcclient.InferenceServerClient(url="triton:8001")


def classify(inputs):
    return client.infer("resnet", inputs)
           ^ Triton gRPC `infer` without `client_timeout=`


def classify_bounded(inputs):
    return client.infer("resnet", inputs, client_timeout=2.0)
"#
    ),
    crate::case!(
        "api/http_client.py",
        r#"import tritonclient.http as httpclient

client = httpclient.InferenceServerClient(url="triton:8000")


def classify(inputs):
    return client.infer("resnet", inputs)
"#
    ),
];
