//! `model-loaded-per-request`: a model loaded inside a request handler instead of once at
//! startup.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use super::{cached, def_name, enclosing_def, guarded};
use crate::extract::ml::{handler_kind, loader};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::{Case, CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "model-loaded-per-request",
    category: "ML-MODEL-LOAD",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python"],
    summary: "Model loaded on every request instead of once at startup",
    docs: Docs {
        what: "A model loader (`torch.load`, `from_pretrained`, `transformers.pipeline`, `joblib.load`, `pickle.load` \
of a model, `onnxruntime.InferenceSession`, Keras `load_model`, `SentenceTransformer(...)`, ...) called inside a request \
handler: a Flask/FastAPI/Starlette/Quart/Sanic route, a BentoML API, a TorchServe `handle`/`preprocess`/`inference`/\
`postprocess` method, a gRPC servicer method or a Ray Serve `__call__`; or inside a helper of the same file that such a \
handler calls. Not reported: loads at module level, in TorchServe's `initialize`, in startup hooks, under a guard that \
makes them run once (`if model is None:`, `if key not in cache:`), stored into a cache, or in an `lru_cache`d function.",
        scenario: "Traffic rises, or a client retries a slow prediction.",
        impact: "Every request reads hundreds of megabytes from disk (or downloads them) and rebuilds the model: \
latency goes from milliseconds to seconds, memory spikes with concurrent requests until the container is OOM-killed, \
and the service falls over under a load it should handle easily.",
        detection: "p99 latency of the inference endpoint in seconds, memory climbing with concurrency, OOM kills, \
disk or network read throughput proportional to request rate.",
        mitigation: "Load the model once when the process starts (module level, a FastAPI lifespan/startup hook, \
TorchServe's `initialize`, a BentoML runner) and reuse it for every request.",
        fixes: &[(
            "python",
            "# load once, at startup\nmodel = torch.load(\"models/model.pt\", map_location=\"cpu\")\nmodel.eval()\n\n@app.post(\"/predict\")\ndef predict(req: PredictRequest):\n    with torch.no_grad():\n        return {\"y\": model(torch.tensor(req.x)).tolist()}",
        )],
        monitoring: "Inference latency percentiles, process RSS, model-load count per minute (should be zero after \
startup).",
    },
    outside_production: Handling::Drop,
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
        let Some(l) = loader(cx, node) else { return };
        let Some(func) = enclosing_def(node) else {
            return;
        };
        if guarded(cx, node, func) || cached(cx, func) {
            return;
        }
        if let Some(kind) = handler_kind(cx, func) {
            let name = def_name(cx, func);
            cx.hit(
                &META,
                node,
                l.name.clone(),
                format!(
                    "`{}` runs on every request in {kind} `{name}`: load the model once at startup",
                    l.name
                ),
            );
            return;
        }
        // One hop: a helper of this file called from a handler.
        let helper = def_name(cx, func);
        if helper.is_empty() || helper == "__init__" || helper == "initialize" {
            return;
        }
        let caller = syntax::descendants(cx.root).find_map(|d| {
            if d.kind_name() != "call" {
                return None;
            }
            let (w, _) = cx.callee(d);
            let target = w.strip_prefix("self.").unwrap_or(&w);
            if target != helper {
                return None;
            }
            let f = enclosing_def(d)?;
            if f == func || guarded(cx, d, f) {
                return None;
            }
            handler_kind(cx, f).map(|k| (k, def_name(cx, f), cx.pos(d).0))
        });
        if let Some((kind, h, line)) = caller {
            cx.hit(
                &META,
                node,
                l.name.clone(),
                format!(
                    "`{}` in `{helper}()` runs on every request: {kind} `{h}` calls it (line {line}); load the model once at startup",
                    l.name
                ),
            );
        }
    }
}

static CASES: &[Case] = &[
    crate::case!(
        "api/main.py",
        r#"import torch
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Req(BaseModel):
    x: list[float] = Field(max_length=64)


@app.post("/predict")
def predict(req: Req):
    model = torch.load("models/model.pt")
            ^ `torch.load` runs on every request in HTTP route `predict`
    return {"y": model(torch.tensor(req.x)).tolist()}
"#
    ),
    crate::case!(
        "web/app.py",
        r#"from flask import Flask, request
from transformers import pipeline

app = Flask(__name__)


def get_classifier():
    return pipeline("sentiment-analysis", model="distilbert-base-uncased-finetuned-sst-2-english", revision="714eb0f")
           ^ `transformers.pipeline` in `get_classifier()` runs on every request: HTTP route `classify` calls it


@app.post("/classify")
def classify():
    clf = get_classifier()
    return clf(request.json["text"][:512])
"#
    ),
    crate::case!(
        "bento/service.py",
        r#"import bentoml
import joblib
from bentoml.io import NumpyNdarray

svc = bentoml.Service("iris")


@svc.api(input=NumpyNdarray(shape=(-1, 4), enforce_shape=True), output=NumpyNdarray())
def classify(x):
    model = joblib.load("model.joblib")
            ^ `joblib.load` runs on every request in BentoML API `classify`
    return model.predict(x)
"#
    ),
    crate::case!(
        "handler/onnx_handler.py",
        r#"import onnxruntime as ort
from ts.torch_handler.base_handler import BaseHandler


class OnnxHandler(BaseHandler):
    def handle(self, data, context):
        session = ort.InferenceSession("model.onnx")
                  ^ `onnxruntime.InferenceSession` runs on every request in TorchServe handler `handle`
        return session.run(None, {"input": data})
"#
    ),
    crate::case!(
        "api/good.py",
        r#"import functools

import joblib
import torch
from fastapi import FastAPI
from transformers import AutoModel

app = FastAPI()
model = torch.load("models/model.pt")
_cache = {}


@functools.lru_cache(maxsize=1)
def get_encoder():
    return AutoModel.from_pretrained("./models/encoder")


@app.post("/predict")
def predict(x: list[float]):
    enc = get_encoder()
    if "clf" not in _cache:
        _cache["clf"] = joblib.load("clf.joblib")
    return model(torch.tensor(x[:64])).tolist()
"#
    ),
    crate::case!(
        "handler/good_handler.py",
        r#"import onnxruntime as ort
from ts.torch_handler.base_handler import BaseHandler


class OnnxHandler(BaseHandler):
    def initialize(self, context):
        self.session = ort.InferenceSession("model.onnx")

    def handle(self, data, context):
        if self.session is None:
            self.session = ort.InferenceSession("model.onnx")
        return self.session.run(None, {"input": data})
"#
    ),
    crate::case!(
        "web/good.py",
        r#"import bentoml
import joblib
from flask import Flask, request
from transformers import pipeline

app = Flask(__name__)
classifier = pipeline("sentiment-analysis", model="./models/sst2")
runner = bentoml.sklearn.get("iris:latest").to_runner()
svc = bentoml.Service("iris", runners=[runner])
clf = None


@app.post("/classify")
def classify():
    global clf
    if clf is None:
        clf = joblib.load("clf.joblib")
    return classifier(request.json["text"][:512])


@svc.api(input=bentoml.io.JSON(), output=bentoml.io.JSON())
def predict(payload):
    return runner.predict.run(payload["rows"][:32])
"#
    ),
    crate::case!(
        "scripts/train.py",
        "import torch\nfrom flask import Flask\napp = Flask(__name__)\n@app.post('/x')\ndef x():\n    return torch.load('m.pt')\n"
    ),
];
