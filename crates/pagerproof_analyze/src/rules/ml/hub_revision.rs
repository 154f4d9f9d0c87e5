//! `model-pulled-without-revision`: serving code that downloads a model from a hub at run
//! time without pinning the revision.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::extract::ml::{loader, serving_file};
use crate::lang::Family;
use crate::lang::syntax::{self, kwarg, string_value};
use crate::rule::{Case, CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "model-pulled-without-revision",
    category: "ML-MODEL-LOAD",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python"],
    summary: "Model pulled from a hub at run time without a pinned revision",
    docs: Docs {
        what: "In a file that serves models (Flask, FastAPI, Starlette, BentoML, TorchServe, gRPC, Ray Serve, \
Gradio), a Hugging Face Hub load (`from_pretrained`, `transformers.pipeline(model=...)`, `SentenceTransformer`, \
`CrossEncoder`, `hf_hub_download`, `snapshot_download`) of a hub id (`org/name`, or a canonical id such as \
`bert-base-uncased`) without `revision=` (or with `revision=\"main\"`), a `pipeline(task)` with no model (it downloads \
the task's default model), or `torch.hub.load(\"owner/repo\")` without a `:tag`. Local paths, `local_files_only=True` \
and ids held in variables are not reported; training scripts under `scripts/` are not either.",
        scenario: "The model's owner pushes a new version, deletes it, or the hub is unreachable when a pod starts.",
        impact: "Replicas started on different days serve different models, predictions change silently with no deploy, \
and a scale-up during a hub outage fails to start at all.",
        detection: "Prediction distributions that shift without a deploy; pods stuck at startup downloading; \
`OSError: We couldn't connect to 'https://huggingface.co'` in logs.",
        mitigation: "Pin `revision=` to a commit hash, or bake the model files into the image (or a volume) and load \
them from a local path with `local_files_only=True`.",
        fixes: &[(
            "python",
            "model = AutoModelForSequenceClassification.from_pretrained(\n    \"distilbert/distilbert-base-uncased-finetuned-sst-2-english\",\n    revision=\"714eb0fa89d2f80546fda750413ed43d93601a13\",\n)",
        )],
        monitoring: "Log the model id and revision at startup; alert on prediction-distribution drift.",
    },
    outside_production: Handling::Drop,
    cases: CASES,
};

/// First path segments of relative local model folders (`models/bert`).
const LOCAL_DIRS: &[&str] = &[
    "models",
    "model",
    "checkpoints",
    "checkpoint",
    "ckpt",
    "artifacts",
    "weights",
    "output",
    "outputs",
    "saved_models",
    "saved_model",
    "data",
    "tmp",
    "assets",
    "local",
    "pretrained",
    "cache",
    "resources",
    "app",
    "src",
    "opt",
    "mnt",
    "var",
    "home",
    "runs",
];

/// Canonical single-name hub ids (`bert-base-uncased`, `gpt2`).
const CANONICAL: &[&str] = &[
    "bert-",
    "distilbert-",
    "roberta-",
    "gpt2",
    "t5-",
    "albert-",
    "xlnet-",
    "xlm-",
    "bart-",
    "electra-",
    "deberta-",
    "distilgpt2",
    "openai-gpt",
];

/// Whether a literal names a hub model rather than a local path.
pub fn is_hub_id(s: &str) -> bool {
    if s.is_empty()
        || s.starts_with(['/', '.', '~', '$'])
        || s.contains('\\')
        || s.contains(':')
        || s.contains(char::is_whitespace)
    {
        return false;
    }
    let last = s.rsplit('/').next().unwrap_or(s);
    let ext = [
        ".pt",
        ".pth",
        ".bin",
        ".onnx",
        ".pkl",
        ".joblib",
        ".h5",
        ".safetensors",
        ".json",
        ".gguf",
        ".ckpt",
    ];
    if ext.iter().any(|e| last.ends_with(e)) {
        return false;
    }
    let segs: Vec<&str> = s.split('/').collect();
    match segs.len() {
        1 => CANONICAL.iter().any(|c| s.starts_with(c)),
        2 => !LOCAL_DIRS.contains(&segs[0].to_ascii_lowercase().as_str()),
        _ => false,
    }
}

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
        if !l.hub || !serving_file(cx) {
            return;
        }
        if let Some(v) = kwarg(node, cx.src, "local_files_only")
            && cx.text(v) == "True"
        {
            return;
        }
        if let Some(rev) = kwarg(node, cx.src, "revision") {
            let floating = string_value(rev, cx.src).is_some_and(|r| r == "main" || r == "master");
            if !floating {
                return;
            }
        }
        let call_text: String = syntax::callee_text(node, cx.src);
        if l.name == "torch.hub.load" {
            let Some(repo) = l.target.as_deref() else {
                return;
            };
            if kwarg(node, cx.src, "source").is_some_and(|s| cx.text(s).contains("local")) {
                return;
            }
            let pinned = repo
                .split_once(':')
                .is_some_and(|(_, t)| t != "main" && t != "master");
            if !pinned && repo.contains('/') && !repo.starts_with(['.', '/']) {
                cx.hit(
                    &META,
                    node,
                    l.name.clone(),
                    format!("`torch.hub.load(\"{repo}\")` pulls code and weights from GitHub at run time without a `:tag`: pin a release or bake the model into the image"),
                );
            }
            return;
        }
        match l.target.as_deref() {
            None if l.name == "transformers.pipeline" => {
                let task = syntax::positional_args(node)
                    .first()
                    .and_then(|a| string_value(*a, cx.src))
                    .map(str::to_string);
                if let Some(task) = task
                    && kwarg(node, cx.src, "model").is_none()
                {
                    cx.hit(
                        &META,
                        node,
                        l.name.clone(),
                        format!("`pipeline(\"{task}\")` without `model=` downloads the task's default model at run time: name the model and pin `revision=`"),
                    );
                }
            }
            Some(id) if is_hub_id(id) => {
                cx.hit(
                    &META,
                    node,
                    l.name.clone(),
                    format!("`{call_text}(\"{id}\")` pulls the model from the Hugging Face Hub at run time without a pinned `revision=`: a new upload changes predictions silently"),
                );
            }
            _ => {}
        }
    }
}

static CASES: &[Case] = &[
    crate::case!(
        "api/main.py",
        r#"from fastapi import FastAPI
from sentence_transformers import SentenceTransformer
from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

app = FastAPI()
tok = AutoTokenizer.from_pretrained("distilbert/distilbert-base-uncased")
      ^ pulls the model from the Hugging Face Hub at run time without a pinned `revision=`
model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", revision="main")
        ^ `AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")`
sentiment = pipeline("sentiment-analysis")
            ^ without `model=` downloads the task's default model
embedder = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")
           ^ pulls the model from the Hugging Face Hub
"#
    ),
    crate::case!(
        "handler/handler.py",
        r#"import torch
from ts.torch_handler.base_handler import BaseHandler


class H(BaseHandler):
    def initialize(self, ctx):
        self.model = torch.hub.load("pytorch/vision", "resnet50")
                     ^ `torch.hub.load("pytorch/vision")` pulls code and weights from GitHub
"#
    ),
    crate::case!(
        "api/pinned.py",
        r#"import os

import torch
from flask import Flask
from transformers import AutoModel, AutoTokenizer, pipeline

app = Flask(__name__)
REV = "714eb0fa89d2f80546fda750413ed43d93601a13"
tok = AutoTokenizer.from_pretrained("distilbert/distilbert-base-uncased", revision=REV)
model = AutoModel.from_pretrained("./models/encoder")
local = AutoModel.from_pretrained("models/encoder")
offline = AutoModel.from_pretrained("org/name", local_files_only=True)
dynamic = AutoModel.from_pretrained(os.environ["MODEL_ID"])
clf = pipeline("text-classification", model="org/clf", revision=REV)
vision = torch.hub.load("pytorch/vision:v0.17.0", "resnet50")
"#
    ),
    crate::case!(
        "training/train.py",
        "from transformers import AutoModel\nmodel = AutoModel.from_pretrained('bert-base-uncased')\n"
    ),
];

#[cfg(test)]
mod tests {
    use super::is_hub_id;

    #[test]
    fn hub_ids() {
        assert!(is_hub_id("meta-llama/Llama-3.1-8B"));
        assert!(is_hub_id("bert-base-uncased"));
        assert!(!is_hub_id("models/bert"));
        assert!(!is_hub_id("./encoder"));
        assert!(!is_hub_id("/opt/model"));
        assert!(!is_hub_id("my-model"));
        assert!(!is_hub_id("org/model.onnx"));
    }
}
