//! `inference-input-unbounded`: an inference endpoint that runs the model on request
//! input of any size.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use super::def_name;
use crate::extract::ml::{handler_kind, inference_call, ml_file, serving_file};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{Case, CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "inference-input-unbounded",
    category: "ML-INPUT",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python"],
    summary: "Inference endpoint without input size or shape limits",
    docs: Docs {
        what: "A FastAPI/Flask/Starlette/Quart/Sanic route, a BentoML API or a Ray Serve deployment that runs a model \
(`model(...)`, `.predict`, `.predict_proba`, `.generate`, `pipeline(...)`, `session.run`, a BentoML runner) on request \
input that nothing bounds: no pydantic constraint (`Field(max_length=...)`, `conlist`, `constr`, validators) on the \
request model, no `len(...)`/`.shape` check, no slicing or tokenizer truncation (`truncation=True`, `max_length=`), no \
Flask `MAX_CONTENT_LENGTH`, no BentoML `enforce_shape`/`max_batch_size`. Inputs that are only scalars are bounded. \
Request models imported from another file are not judged (no finding). TorchServe (default `max_request_size` of \
6.5 MB) and gRPC (4 MB default message limit) bound the payload by default and are not reported.",
        scenario: "A client sends a 50 MB JSON array, a 100 000-token prompt or a batch of 10 000 images, by mistake \
or on purpose.",
        impact: "One request takes the worker's CPU/GPU for minutes or allocates more memory than the container has: \
the process is OOM-killed and every request in flight on it fails; a few such requests take the whole service down.",
        detection: "Latency outliers correlated with payload size, OOM kills, GPU out-of-memory errors in logs.",
        mitigation: "Validate size and shape at the edge: bound list lengths and string lengths in the request model, \
reject oversized payloads with 413/422, truncate tokens, cap batch sizes.",
        fixes: &[(
            "python",
            "class PredictRequest(BaseModel):\n    texts: list[constr(max_length=2000)] = Field(..., min_length=1, max_length=32)\n\n@app.post(\"/predict\")\ndef predict(req: PredictRequest):\n    batch = tokenizer(req.texts, truncation=True, max_length=512, return_tensors=\"pt\")\n    return model(**batch).logits.tolist()",
        )],
        monitoring: "Request payload size and batch size histograms; inference latency by payload size; OOM kills.",
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
            Family::Python => &["function_definition"],
            _ => &[],
        }
    }
    fn check(&self, func: Node<'_>, cx: &mut Cx<'_>) {
        if !cx.file_flag("ml-serving-file", || ml_file(cx) && serving_file(cx)) {
            return;
        }
        let Some(kind) = handler_kind(cx, func) else {
            return;
        };
        if !matches!(kind, "HTTP route" | "BentoML API" | "Ray Serve deployment") {
            return;
        }
        let Some(body) = func.field("body") else {
            return;
        };
        let Some(call) = descendants(body).find(|d| inference_call(cx, *d)) else {
            return;
        };
        let body_text = cx.text(body);
        let params = params_of(cx, func);
        let reads_request = [
            "request.json",
            "request.get_json",
            "request.files",
            "request.data",
            "request.form",
            "request.body",
            "await request.",
        ]
        .iter()
        .any(|r| body_text.contains(r));
        if params.is_empty() && !reads_request {
            return;
        }
        if bounded(cx, func, body, &params, reads_request) {
            return;
        }
        let (w, _) = cx.callee(call);
        let name = def_name(cx, func);
        cx.hit(
            &META,
            call,
            format!("{w}()"),
            format!(
                "`{w}(...)` in {kind} `{name}` runs on request input with no size or shape limit: bound it (pydantic `max_length`, a length/shape check, tokenizer truncation, a batch cap)"
            ),
        );
    }
}

/// A handler parameter: name, annotation text, default text.
struct Param {
    ty: String,
    default: String,
}

fn params_of(cx: &Cx<'_>, func: Node<'_>) -> Vec<Param> {
    let Some(ps) = func.field("parameters") else {
        return Vec::new();
    };
    let mut c = ps.walk();
    ps.named_children(&mut c)
        .filter_map(|p| {
            let (name, ty, default) = match p.kind_name() {
                "identifier" => (cx.text(p), "", ""),
                "typed_parameter" => (
                    p.named_child(0).map(|n| cx.text(n)).unwrap_or(""),
                    p.field("type").map(|t| cx.text(t)).unwrap_or(""),
                    "",
                ),
                "default_parameter" | "typed_default_parameter" => (
                    p.field("name").map(|n| cx.text(n)).unwrap_or(""),
                    p.field("type").map(|t| cx.text(t)).unwrap_or(""),
                    p.field("value").map(|v| cx.text(v)).unwrap_or(""),
                ),
                _ => return None,
            };
            if matches!(
                name,
                "self" | "cls" | "ctx" | "context" | "background_tasks"
            ) || ty.ends_with("Request")
                || ty.contains("BackgroundTasks")
                || default.starts_with("Depends(")
                || default.starts_with("Security(")
                || (ty.is_empty() && default.is_empty() && name == "request")
            {
                return None;
            }
            Some(Param {
                ty: ty.to_string(),
                default: default.to_string(),
            })
        })
        .collect()
}

const SCALARS: &[&str] = &[
    "int",
    "float",
    "bool",
    "complex",
    "datetime",
    "date",
    "UUID",
    "uuid.UUID",
];

const UNBOUNDED: &[&str] = &[
    "str",
    "bytes",
    "list",
    "List",
    "dict",
    "Dict",
    "Any",
    "Sequence",
    "UploadFile",
    "Json",
    "tuple",
    "Tuple",
    "set",
    "Set",
    "np.ndarray",
    "numpy.ndarray",
    "Image",
    "PIL.Image.Image",
    "",
];

const CONSTRAINTS: &[&str] = &[
    "max_length",
    "max_items",
    "conlist",
    "constr",
    "conbytes",
    "MaxLen",
    "Len(",
    "le=",
    "lt=",
    "max_digits",
    "@validator",
    "@field_validator",
    "@model_validator",
    "@root_validator",
    "Shape(",
    "enforce_shape",
];

/// Whether something in the handler or its request types bounds the input.
fn bounded(cx: &Cx<'_>, func: Node<'_>, body: Node<'_>, params: &[Param], raw_body: bool) -> bool {
    // Explicit checks and truncation in the body.
    for d in descendants(body) {
        match d.kind_name() {
            "comparison_operator" => {
                let t = cx.text(d);
                if [
                    "len(",
                    ".shape",
                    ".size",
                    "numel",
                    "MAX",
                    "max_",
                    "content_length",
                    "nbytes",
                ]
                .iter()
                .any(|w| t.contains(w))
                {
                    return true;
                }
            }
            "slice" => return true,
            "keyword_argument" => {
                let k = d.field("name").map(|n| cx.text(n)).unwrap_or("");
                if k == "truncation" {
                    return true;
                }
                if k == "max_length"
                    && d.parent()
                        .and_then(|a| a.parent())
                        .is_some_and(|call| !inference_call(cx, call))
                {
                    return true;
                }
            }
            "call" => {
                let (w, _) = cx.callee(d);
                let last = syntax::last_segment(&w).trim_start_matches('_');
                if last.starts_with("validate")
                    || last.starts_with("check_")
                    || last.starts_with("ensure")
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    // Framework limits.
    if cx.src.contains("MAX_CONTENT_LENGTH") {
        return true;
    }
    if let Some(dd) = func
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")
    {
        let t = cx.text(dd);
        let head = &t[..t.find("def ").unwrap_or(t.len())];
        if ["enforce_shape=True", "max_batch_size", "Shape("]
            .iter()
            .any(|w| head.contains(w))
        {
            return true;
        }
        if let Some(i) = head.find("pydantic_model=") {
            let rest = &head[i + "pydantic_model=".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            return model_bounded(cx, &name).unwrap_or(true);
        }
    }
    // Request types; a raw request body read in the handler is unbounded.
    let mut any_unbounded = raw_body;
    for p in params {
        if CONSTRAINTS
            .iter()
            .any(|w| p.ty.contains(w) || p.default.contains(w))
        {
            continue;
        }
        let base =
            p.ty.split(['[', '|'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches("typing.")
                .trim_start_matches("Optional");
        if SCALARS.contains(&base) {
            continue;
        }
        if UNBOUNDED.contains(&base) {
            any_unbounded = true;
            continue;
        }
        match model_bounded(cx, base) {
            Some(true) => continue,
            Some(false) => any_unbounded = true,
            // A type defined elsewhere: not judged here.
            None => return true,
        }
    }
    !any_unbounded
}

/// Whether a pydantic model defined in this file bounds its fields; `None` when the
/// class is not defined here.
fn model_bounded(cx: &Cx<'_>, name: &str) -> Option<bool> {
    if name.is_empty() {
        return None;
    }
    let class = descendants(cx.root).find(|d| {
        d.kind_name() == "class_definition" && d.field("name").is_some_and(|n| cx.text(n) == name)
    })?;
    let text = match class
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")
    {
        Some(p) => cx.text(p),
        None => cx.text(class),
    };
    if CONSTRAINTS.iter().any(|w| text.contains(w)) {
        return Some(true);
    }
    // Only scalar fields.
    let body = class.field("body")?;
    let mut c = body.walk();
    let all_scalar = body.named_children(&mut c).all(|st| {
        let t = cx.text(st);
        match t.split_once(':') {
            Some((_, ty)) if !t.starts_with("def ") && !t.starts_with('@') => {
                let ty = ty.split('=').next().unwrap_or("").trim();
                SCALARS.contains(&ty)
            }
            _ => true,
        }
    });
    Some(all_scalar)
}

static CASES: &[Case] = &[
    crate::case!(
        "api/main.py",
        r#"import torch
from fastapi import FastAPI, Request
from pydantic import BaseModel

app = FastAPI()
model = torch.jit.load("model.pt")


class Req(BaseModel):
    values: list[float]


@app.post("/predict")
def predict(req: Req):
    return model(torch.tensor(req.values)).tolist()
           ^ `model(...)` in HTTP route `predict` runs on request input with no size or shape limit


@app.post("/raw")
async def raw(request: Request):
    body = await request.json()
    return model(torch.tensor(body["values"])).tolist()
           ^ `model(...)` in HTTP route `raw`
"#
    ),
    crate::case!(
        "web/app.py",
        r#"import joblib
from flask import Flask, request

app = Flask(__name__)
clf = joblib.load("clf.joblib")


@app.route("/predict", methods=["POST"])
def predict():
    rows = request.get_json()["rows"]
    return {"y": clf.predict(rows).tolist()}
                 ^ `clf.predict(...)` in HTTP route `predict`
"#
    ),
    crate::case!(
        "bento/service.py",
        r#"import bentoml
from bentoml.io import JSON

runner = bentoml.sklearn.get("iris:latest").to_runner()
svc = bentoml.Service("iris", runners=[runner])


@svc.api(input=JSON(), output=JSON())
def classify(payload):
    return runner.predict.run(payload["rows"])
           ^ `runner.predict.run(...)` in BentoML API `classify`
"#
    ),
    crate::case!(
        "api/good.py",
        r#"import onnxruntime as ort
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from transformers import AutoTokenizer, pipeline

app = FastAPI()
session = ort.InferenceSession("model.onnx")
tok = AutoTokenizer.from_pretrained("./tok")
summarizer = pipeline("summarization", model="./models/summarizer")


class Req(BaseModel):
    values: list[float] = Field(..., max_length=512)


class Scalar(BaseModel):
    age: int
    income: float


@app.post("/predict")
def predict(req: Req):
    return session.run(None, {"x": [req.values]})[0].tolist()


@app.post("/score")
def score(s: Scalar):
    return session.run(None, {"x": [[s.age, s.income]]})[0].tolist()


@app.post("/summarize")
def summarize(text: str):
    if len(text) > 20_000:
        raise HTTPException(413, "text too long")
    return summarizer(text)


@app.post("/encode")
def encode(text: str):
    batch = tok(text, truncation=True, max_length=512, return_tensors="np")
    return session.run(None, dict(batch))[0].tolist()
"#
    ),
    crate::case!(
        "web/good.py",
        r#"import joblib
from flask import Flask, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1 * 1024 * 1024
clf = joblib.load("clf.joblib")


@app.post("/predict")
def predict():
    return {"y": clf.predict(request.get_json()["rows"]).tolist()}
"#
    ),
    crate::case!(
        "bento/good.py",
        r#"import bentoml
import numpy as np
from bentoml.io import NumpyNdarray

runner = bentoml.sklearn.get("iris:latest").to_runner()
svc = bentoml.Service("iris", runners=[runner])


@svc.api(input=NumpyNdarray(shape=(-1, 4), enforce_shape=True), output=NumpyNdarray())
def classify(x: np.ndarray):
    return runner.predict.run(x)
"#
    ),
    crate::case!(
        "handler/handler.py",
        r#"import torch
from ts.torch_handler.base_handler import BaseHandler


class H(BaseHandler):
    def inference(self, data, *args, **kwargs):
        return self.model(data)
"#
    ),
    crate::case!(
        "api/imported.py",
        r#"from fastapi import FastAPI
from .schemas import PredictRequest
from .model import model

app = FastAPI()


@app.post("/predict")
def predict(req: PredictRequest):
    return model.predict(req.rows)
"#
    ),
];
