//! Machine-learning serving: which calls load a model (`ModelLoad` signals, detail
//! `loader target`, for the memory-limit cross-check), which functions serve requests,
//! and which calls run inference. The ML rules (`rules/ml/`) share these helpers.
//!
//! Loaders: `torch.load`/`torch.jit.load`/`torch.hub.load`, `from_pretrained` of
//! transformers/diffusers/peft/optimum, `transformers.pipeline`, sentence-transformers,
//! `hf_hub_download`/`snapshot_download`, `joblib.load`, `pickle.load` of a model,
//! `onnxruntime.InferenceSession`, Keras/TensorFlow `load_model`/`saved_model.load`,
//! XGBoost/LightGBM boosters, MLflow `load_model`, spaCy, Whisper, Ultralytics YOLO,
//! llama.cpp, vLLM.
//!
//! Request handlers: functions decorated as routes (Flask, FastAPI, Starlette, Quart,
//! Sanic, aiohttp `RouteTableDef`), BentoML APIs (`@svc.api`, `@bentoml.api`), TorchServe
//! handler methods (`handle`, `preprocess`, `inference`, `postprocess` of a `BaseHandler`
//! subclass; `initialize` runs once at startup), gRPC servicer methods, Ray Serve
//! deployments' `__call__`.

use tree_sitter::Node;

use super::common::{self, args, call_name, qualified};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, string_value};
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Ml;
pub static ML: Ml = Ml;

impl Extractor for Ml {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "model-loads"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call"],
            _ => &[],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if let Some(l) = loader(cx, node) {
            let target = l.target.clone().unwrap_or_else(|| "?".to_string());
            cx.signal(SignalKind::ModelLoad, node, format!("{} {target}", l.name));
        }
    }
}

/// A model-loading call.
#[derive(Debug, Clone)]
pub struct Loader {
    /// `torch.load`, `transformers.from_pretrained`, `joblib.load`, ...
    pub name: String,
    /// The model file or hub id when it is a literal.
    pub target: Option<String>,
    /// The call can download from a model hub at run time (Hugging Face, torch.hub).
    pub hub: bool,
}

const ML_MODULES: &[&str] = &[
    "torch",
    "transformers",
    "sklearn",
    "onnxruntime",
    "tensorflow",
    "keras",
    "tf_keras",
    "joblib",
    "sentence_transformers",
    "xgboost",
    "lightgbm",
    "diffusers",
    "spacy",
    "bentoml",
    "ts",
    "mlflow",
    "catboost",
    "whisper",
    "ultralytics",
];

/// Whether the file uses a machine-learning framework.
pub fn ml_file(cx: &Cx<'_>) -> bool {
    ML_MODULES.iter().any(|m| cx.imports().has_module(m))
}

const LOADERS: &[(&str, &str)] = &[
    ("torch.load", "torch.load"),
    ("torch.jit.load", "torch.jit.load"),
    ("torch.export.load", "torch.export.load"),
    ("joblib.load", "joblib.load"),
    ("sklearn.externals.joblib.load", "joblib.load"),
    (
        "onnxruntime.InferenceSession",
        "onnxruntime.InferenceSession",
    ),
    ("tensorflow.keras.models.load_model", "keras load_model"),
    ("tensorflow.keras.saving.load_model", "keras load_model"),
    ("keras.models.load_model", "keras load_model"),
    ("keras.saving.load_model", "keras load_model"),
    ("tf_keras.models.load_model", "keras load_model"),
    ("tensorflow.saved_model.load", "tf.saved_model.load"),
    ("xgboost.Booster", "xgboost.Booster"),
    ("lightgbm.Booster", "lightgbm.Booster"),
    ("catboost.CatBoostClassifier", "catboost"),
    ("spacy.load", "spacy.load"),
    ("whisper.load_model", "whisper.load_model"),
    ("ultralytics.YOLO", "ultralytics.YOLO"),
    ("fasttext.load_model", "fasttext.load_model"),
    ("tensorflow_hub.load", "tensorflow_hub.load"),
    ("llama_cpp.Llama", "llama_cpp.Llama"),
    ("vllm.LLM", "vllm.LLM"),
];

const HUB_LOADERS: &[(&str, &str)] = &[
    ("transformers.pipeline", "transformers.pipeline"),
    (
        "sentence_transformers.SentenceTransformer",
        "SentenceTransformer",
    ),
    ("sentence_transformers.CrossEncoder", "CrossEncoder"),
    ("huggingface_hub.hf_hub_download", "hf_hub_download"),
    ("huggingface_hub.snapshot_download", "snapshot_download"),
    ("torch.hub.load", "torch.hub.load"),
];

const PRETRAINED_MODULES: &[&str] = &[
    "transformers",
    "diffusers",
    "peft",
    "optimum",
    "sentence_transformers",
    "timm",
];

/// The model-loading call `call` is, if any.
pub fn loader(cx: &Cx<'_>, call: Node<'_>) -> Option<Loader> {
    if call.kind_name() != "call" {
        return None;
    }
    let name = call_name(cx, call);
    const NAMES: &[&str] = &[
        "load",
        "loads",
        "from_pretrained",
        "pipeline",
        "SentenceTransformer",
        "CrossEncoder",
        "hf_hub_download",
        "snapshot_download",
        "InferenceSession",
        "load_model",
        "Booster",
        "CatBoostClassifier",
        "YOLO",
        "Llama",
        "LLM",
    ];
    if !NAMES.contains(&name) {
        return None;
    }
    let q = qualified(cx, call)?;
    let first = args(call)
        .into_iter()
        .find(|a| a.kind_name() != "keyword_argument");
    let lit = |n: Option<Node<'_>>| n.and_then(|x| string_value(x, cx.src)).map(str::to_string);
    if name == "from_pretrained" {
        let root = q.split('.').next().unwrap_or("");
        if !PRETRAINED_MODULES.contains(&root) {
            return None;
        }
        let target = lit(first.or_else(|| kwarg(call, cx.src, "pretrained_model_name_or_path")));
        return Some(Loader {
            name: format!("{root}.from_pretrained"),
            target,
            hub: true,
        });
    }
    if let Some((_, label)) = HUB_LOADERS.iter().find(|(p, _)| q == *p) {
        let target = match *label {
            "transformers.pipeline" => lit(kwarg(call, cx.src, "model")),
            "hf_hub_download" | "snapshot_download" => {
                lit(first.or_else(|| kwarg(call, cx.src, "repo_id")))
            }
            "torch.hub.load" => lit(first.or_else(|| kwarg(call, cx.src, "repo_or_dir"))),
            _ => lit(first.or_else(|| kwarg(call, cx.src, "model_name_or_path"))),
        };
        return Some(Loader {
            name: label.to_string(),
            target,
            hub: true,
        });
    }
    if let Some((_, label)) = LOADERS.iter().find(|(p, _)| q == *p) {
        let target = lit(first.or_else(|| kwarg(call, cx.src, "model_file")))
            .or_else(|| lit(kwarg(call, cx.src, "path_or_bytes")))
            .or_else(|| lit(kwarg(call, cx.src, "model_path")));
        return Some(Loader {
            name: label.to_string(),
            target,
            hub: false,
        });
    }
    if q.starts_with("mlflow.") && name == "load_model" {
        return Some(Loader {
            name: "mlflow load_model".to_string(),
            target: lit(first),
            hub: false,
        });
    }
    if q.starts_with("bentoml.") && name == "load_model" {
        return Some(Loader {
            name: "bentoml load_model".to_string(),
            target: lit(first),
            hub: false,
        });
    }
    if matches!(
        q.as_str(),
        "pickle.load" | "pickle.loads" | "cloudpickle.load" | "dill.load"
    ) && pickled_model(cx, call)
    {
        return Some(Loader {
            name: q.clone(),
            target: None,
            hub: false,
        });
    }
    None
}

/// `pickle.load` of a model: assigned to a model-like name, or in a file that uses an ML
/// framework.
fn pickled_model(cx: &Cx<'_>, call: Node<'_>) -> bool {
    let assigned = call
        .parent()
        .filter(|p| p.kind_name() == "assignment")
        .and_then(|p| p.field("left"))
        .map(|l| cx.text(l).to_ascii_lowercase())
        .unwrap_or_default();
    let modelish = [
        "model",
        "clf",
        "classifier",
        "regressor",
        "estimator",
        "pipeline",
        "vectorizer",
        "encoder",
        "scaler",
        "booster",
    ]
    .iter()
    .any(|w| assigned.contains(w));
    let data = [
        "config", "cfg", "label", "vocab", "meta", "setting", "state", "cache",
    ]
    .iter()
    .any(|w| assigned.contains(w));
    modelish || (ml_file(cx) && !data)
}

/// What kind of request handler a function is, if it is one.
pub fn handler_kind(cx: &Cx<'_>, func: Node<'_>) -> Option<&'static str> {
    if func.kind_name() != "function_definition" {
        return None;
    }
    let fname = func.field("name").map(|n| cx.text(n)).unwrap_or("");
    if let Some(dd) = func
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")
    {
        let mut c = dd.walk();
        for d in dd
            .named_children(&mut c)
            .filter(|d| d.kind_name() == "decorator")
        {
            let Some(inner) = d.named_child(0) else {
                continue;
            };
            let call = if inner.kind_name() == "call" {
                Some(inner)
            } else {
                None
            };
            let text = match call {
                Some(c) => syntax::callee_text(c, cx.src),
                None => cx.text(inner).to_string(),
            };
            let last = syntax::last_segment(&text);
            let q = cx.imports().resolve(&text);
            if q == "bentoml.api" || (last == "api" && bentoml_service(cx, &text)) {
                return Some("BentoML API");
            }
            if call.is_some()
                && matches!(
                    last,
                    "get"
                        | "post"
                        | "put"
                        | "patch"
                        | "delete"
                        | "route"
                        | "api_route"
                        | "websocket"
                )
                && web_file(cx)
            {
                return Some("HTTP route");
            }
        }
    }
    let (class_name, class) = common::enclosing_class(cx, func)?;
    let bases = class
        .field("superclasses")
        .map(|b| cx.text(b))
        .unwrap_or("");
    if bases.contains("BaseHandler")
        || bases.contains("VisionHandler")
        || bases.contains("TextHandler")
        || bases.contains("ImageClassifier")
    {
        return matches!(fname, "handle" | "preprocess" | "inference" | "postprocess")
            .then_some("TorchServe handler");
    }
    if bases.contains("Servicer") {
        let params = func.field("parameters").map(|p| cx.text(p)).unwrap_or("");
        if params.contains("request") || params.split(',').count() == 3 {
            return Some("gRPC method");
        }
    }
    if fname == "__call__" {
        let decorated = class
            .parent()
            .filter(|p| p.kind_name() == "decorated_definition")
            .map(|p| cx.text(p))
            .unwrap_or("");
        if decorated.contains("serve.deployment") {
            return Some("Ray Serve deployment");
        }
    }
    let _ = class_name;
    None
}

fn bentoml_service(cx: &Cx<'_>, decorator: &str) -> bool {
    let recv = syntax::receiver(decorator).unwrap_or("");
    cx.bindings()
        .nodes(cx.root, recv)
        .iter()
        .any(|v| v.kind_name() == "call" && qualified(cx, *v).as_deref() == Some("bentoml.Service"))
}

/// Whether the file uses a Python web or serving framework.
pub fn web_file(cx: &Cx<'_>) -> bool {
    [
        "flask",
        "fastapi",
        "starlette",
        "quart",
        "sanic",
        "aiohttp",
        "bentoml",
        "litestar",
        "ray",
    ]
    .iter()
    .any(|m| cx.imports().has_module(m))
}

/// Whether the file serves models (a web/serving framework, TorchServe or gRPC).
pub fn serving_file(cx: &Cx<'_>) -> bool {
    web_file(cx)
        || cx.imports().has_module("ts")
        || cx.imports().has_module("grpc")
        || cx.imports().has_module("gradio")
        || cx.imports().has_module("litserve")
}

/// Names that usually hold a model.
fn modelish(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let last = n.rsplit('.').next().unwrap_or(&n);
    [
        "model",
        "clf",
        "classifier",
        "regressor",
        "estimator",
        "pipe",
        "pipeline",
        "net",
        "generator",
        "llm",
        "session",
        "sess",
        "runner",
        "predictor",
        "detector",
        "nlp",
        "encoder",
        "embedder",
        "tagger",
        "recognizer",
        "translator",
        "summarizer",
    ]
    .iter()
    .any(|w| last == *w || last.ends_with(&format!("_{w}")) || last.starts_with(&format!("{w}_")))
        || last.ends_with("model")
}

/// Whether `call` runs inference: `model.predict(x)`, `pipe(text)`, `session.run(...)`,
/// `model.generate(...)`, `runner.predict.run(x)`, `model(x)` on a loaded model.
pub fn inference_call(cx: &Cx<'_>, call: Node<'_>) -> bool {
    if call.kind_name() != "call" {
        return false;
    }
    let (written, _) = cx.callee(call);
    let name = syntax::last_segment(&written);
    let recv = syntax::receiver(&written).unwrap_or("");
    let bound_to_loader = |n: &str| {
        !n.is_empty()
            && cx
                .bindings()
                .nodes_for_receiver(cx.root, n)
                .iter()
                .any(|v| loader(cx, *v).is_some())
    };
    match name {
        "predict" | "predict_proba" | "predict_log_proba" | "decision_function" | "generate"
        | "infer" | "transcribe" | "async_run" => {
            modelish(recv) || bound_to_loader(recv) || recv.contains("runner")
        }
        "run" => {
            (recv.ends_with("session") || recv.ends_with("sess") || recv.contains("runner"))
                || bound_to_loader(recv)
                || recv.ends_with(".predict")
        }
        "forward" | "encode" => bound_to_loader(recv) || modelish(recv),
        _ => {
            // `model(x)`, `self.pipe(text)`.
            call.field("function").is_some_and(|f| {
                matches!(f.kind_name(), "identifier" | "attribute")
                    && (bound_to_loader(&written) || (modelish(&written) && ml_file(cx)))
                    && !written.contains("Model(")
            }) && written
                .rsplit('.')
                .next()
                .is_some_and(|w| !w.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::*;

    #[test]
    fn model_loads() {
        let s = signals(
            "app.py",
            "import torch, joblib, pickle\nimport onnxruntime as ort\nfrom transformers import AutoModel, pipeline\nm = torch.load('models/model.pt')\nc = joblib.load(path)\ns = ort.InferenceSession('model.onnx')\nb = AutoModel.from_pretrained('bert-base-uncased')\np = pipeline('sentiment-analysis')\nconfig = pickle.load(f)\nd = {'torch.load': 1}\n",
        );
        let got: Vec<_> = s
            .iter()
            .filter(|x| x.0 == ModelLoad)
            .map(|x| (x.1, x.2.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "torch.load models/model.pt"),
                (5, "joblib.load ?"),
                (6, "onnxruntime.InferenceSession model.onnx"),
                (7, "transformers.from_pretrained bert-base-uncased"),
                (8, "transformers.pipeline ?"),
            ]
        );
    }
}
