//! `llm-call-without-timeout`: language-model and embedding clients, and their calls,
//! with no timeout.

use pagerproof_core::{Confidence, Evidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, last_segment, receiver};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "llm-call-without-timeout",
    category: "TIMEOUT",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "javascript", "typescript"],
    summary: "Language-model or embedding call with no timeout",
    docs: Docs {
        what: "A LangChain chat model or embedding client (`ChatOpenAI`, `ChatAnthropic`, `ChatGoogleGenerativeAI`, \
`ChatVertexAI`, `ChatMistralAI`, `ChatGroq`, `ChatBedrock`, `OpenAIEmbeddings`, `GoogleGenerativeAIEmbeddings`, \
...) built without `timeout`/`request_timeout`, and the `invoke`/`stream`/`batch`/`predict`/`embed_*` calls made \
through it, and vector-store searches (`similarity_search`, `max_marginal_relevance_search`) on a store built in \
the file with such an embedding client (`embedding=`/`embedding_service=`), since each search embeds its query \
first. LangChain passes `timeout=None` to the provider SDK, which means no timeout at all. The providers' own \
SDK clients (`openai.OpenAI()`, `anthropic.Anthropic()`) default to a finite 10-minute timeout and are not \
reported here.",
        scenario: "The model provider is degraded (it happens several times a year for every provider) or a \
long generation stalls mid-stream.",
        impact: "Each request holding the call waits indefinitely; model calls are the slowest dependency a \
service has, so workers are exhausted quickly and the whole service stops answering.",
        detection: "Request latency on the model-backed endpoints climbs to the load balancer's limit; in-flight \
requests pile up while CPU is idle.",
        mitigation: "Give the client a timeout sized to the endpoint's latency budget, and a bounded number of \
retries; stream long generations and bound the total.",
        fixes: &[
            (
                "python",
                "llm = ChatGoogleGenerativeAI(model=\"gemini-1.5-flash\", timeout=30, max_retries=2)\nembeddings = OpenAIEmbeddings(request_timeout=10)",
            ),
            (
                "javascript",
                "const llm = new ChatOpenAI({ model: 'gpt-4o-mini', timeout: 30_000, maxRetries: 2 });",
            ),
            (
                "typescript",
                "const llm = new ChatOpenAI({ model: 'gpt-4o-mini', timeout: 30_000, maxRetries: 2 });",
            ),
        ],
        monitoring: "Latency histogram per model call (p50/p99) and provider error rates; alert on p99 above the \
endpoint budget.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/assistant.py",
            r#"from langchain_google_genai import ChatGoogleGenerativeAI, GoogleGenerativeAIEmbeddings
from langchain_openai import ChatOpenAI, OpenAIEmbeddings

store = make_store(embedding=GoogleGenerativeAIEmbeddings(model="models/embedding-001"))
                             ^ `GoogleGenerativeAIEmbeddings` without a timeout
emb = OpenAIEmbeddings(request_timeout=10)
bounded = make_store(embedding=emb)

def search(q):
    docs = store.similarity_search(q)
           ^ `similarity_search` embeds the query through `GoogleGenerativeAIEmbeddings`
    return docs + bounded.similarity_search(q)

def answer(q):
    llm = ChatGoogleGenerativeAI(model="gemini-1.5-flash")
          ^ `ChatGoogleGenerativeAI` without a timeout
    r = llm.invoke(q)
        ^ `invoke` on a model client built without a timeout
    ok = ChatOpenAI(model="gpt-4o", timeout=20)
    return ok.invoke(r.content)
"#
        ),
        case!(
            "svc/ok.py",
            r#"import openai
from langchain_anthropic import ChatAnthropic
client = openai.OpenAI()
llm = ChatAnthropic(model="claude-sonnet-4-5", default_request_timeout=30)
def f(q):
    return llm.invoke(q), client.chat.completions.create(model="x", messages=[])
"#
        ),
        case!(
            "src/chat.ts",
            r#"import { ChatOpenAI } from '@langchain/openai';
const llm = new ChatOpenAI({ model: 'gpt-4o-mini' });
            ^ `ChatOpenAI` without a timeout
const ok = new ChatOpenAI({ model: 'gpt-4o-mini', timeout: 30000 });
export const ask = (q: string) => ok.invoke(q);
"#
        ),
        case!(
            "src/ok_chat.js",
            "const { ChatAnthropic } = require('@langchain/anthropic');\nconst llm = new ChatAnthropic({ model: 'claude-sonnet-4-5', timeout: 30000 });\nmodule.exports = (q) => llm.invoke(q);\n"
        ),
    ],
};

pub struct Rule;
pub static RULE: Rule = Rule;

const MODEL_CLASSES: &[&str] = &[
    "ChatOpenAI",
    "AzureChatOpenAI",
    "ChatAnthropic",
    "ChatGoogleGenerativeAI",
    "ChatVertexAI",
    "ChatMistralAI",
    "ChatCohere",
    "ChatGroq",
    "ChatBedrock",
    "ChatBedrockConverse",
    "ChatFireworks",
    "ChatTogether",
    "ChatDeepSeek",
    "ChatXAI",
    "OpenAIEmbeddings",
    "AzureOpenAIEmbeddings",
    "GoogleGenerativeAIEmbeddings",
    "VertexAIEmbeddings",
    "CohereEmbeddings",
    "MistralAIEmbeddings",
    "BedrockEmbeddings",
    "VoyageAIEmbeddings",
];

const TIMEOUT_KEYS: &[&str] = &[
    "timeout",
    "request_timeout",
    "default_request_timeout",
    "timeout_seconds",
];
const CALLS: &[&str] = &[
    "invoke",
    "ainvoke",
    "stream",
    "astream",
    "batch",
    "abatch",
    "predict",
    "apredict",
    "generate",
    "agenerate",
    "embed_query",
    "embed_documents",
    "aembed_query",
    "aembed_documents",
    "call",
];

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call"],
            Family::Js => &["new_expression", "call_expression"],
            _ => &[],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        if let Some(class) = untimed_constructor(node, cx) {
            cx.hit(&META, node, class.clone(), format!("`{class}` without a timeout: LangChain passes `timeout=None` to the provider, so calls can hang forever"));
            return;
        }
        // Calls through a client built without a timeout in this file.
        if node.kind_name() == "new_expression" {
            return;
        }
        let (written, _) = cx.callee(node);
        let method = last_segment(&written);
        if VECTOR_SEARCHES.contains(&method) {
            vector_search(node, &written, cx);
            return;
        }
        if !CALLS.contains(&method) {
            return;
        }
        let Some(recv) = receiver(&written) else {
            return;
        };
        let built = cx
            .bindings()
            .nodes_for_receiver(cx.root, recv)
            .into_iter()
            .find(|v| untimed_constructor(*v, cx).is_some());
        if let Some(b) = built {
            let (line, _) = cx.pos(b);
            let path = cx.path.to_string();
            cx.hit(&META, node, method.to_string(), format!("`{method}` on a model client built without a timeout (line {line}): the request can hang forever"))
                .related(Evidence { path, line: Some(line), note: "client built here".into() });
        }
    }
}

/// Vector-store searches that embed their text query first (LangChain `VectorStore`).
const VECTOR_SEARCHES: &[&str] = &[
    "similarity_search",
    "asimilarity_search",
    "similarity_search_with_score",
    "asimilarity_search_with_score",
    "similarity_search_with_relevance_scores",
    "asimilarity_search_with_relevance_scores",
    "max_marginal_relevance_search",
    "amax_marginal_relevance_search",
];

/// Keyword arguments through which a vector store receives its embedding client.
const EMBEDDING_KWARGS: &[&str] = &[
    "embedding",
    "embeddings",
    "embedding_service",
    "embedding_function",
];

/// `store.similarity_search(q)` where `store` was built in this file with an embedding
/// client that has no timeout (`embedding=OpenAIEmbeddings()`, directly or through a
/// name): every search first embeds the query through that client.
fn vector_search(call: Node<'_>, written: &str, cx: &mut Cx<'_>) {
    let Some(recv) = receiver(written) else {
        return;
    };
    let found = cx
        .bindings()
        .nodes_for_receiver(cx.root, recv)
        .into_iter()
        .filter(|v| v.kind_name() == "call")
        .find_map(|v| {
            EMBEDDING_KWARGS
                .iter()
                .find_map(|k| kwarg(v, cx.src, k))
                .and_then(|e| untimed_embedding(e, cx))
        });
    let Some(emb) = found else { return };
    let class = untimed_constructor(emb, cx).unwrap_or_default();
    let method = last_segment(written).to_string();
    let (line, _) = cx.pos(emb);
    let path = cx.path.to_string();
    cx.hit(
        &META,
        call,
        method.clone(),
        format!(
            "`{method}` embeds the query through `{class}` built without a timeout (line {line}): the search can hang forever"
        ),
    )
    .related(Evidence {
        path,
        line: Some(line),
        note: "embedding client built here".into(),
    });
}

/// `v` itself, or the value a name `v` was bound to, when it builds a model client with
/// no timeout.
fn untimed_embedding<'t>(v: Node<'t>, cx: &Cx<'t>) -> Option<Node<'t>> {
    if untimed_constructor(v, cx).is_some() {
        return Some(v);
    }
    if v.kind_name() == "identifier" {
        return cx
            .bindings()
            .nodes(cx.root, cx.text(v))
            .into_iter()
            .find(|b| untimed_constructor(*b, cx).is_some());
    }
    None
}

/// The class name when `n` builds a model client with no timeout.
fn untimed_constructor(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    match n.kind_name() {
        "call" => {
            let (written, resolved) = cx.callee(n);
            let class = last_segment(&written);
            if !MODEL_CLASSES.contains(&class) || !resolved.starts_with("langchain") {
                return None;
            }
            if syntax::has_kwargs_splat(n)
                || TIMEOUT_KEYS
                    .iter()
                    .any(|k| kwarg(n, cx.src, k).is_some_and(|v| cx.text(v) != "None"))
            {
                return None;
            }
            Some(class.to_string())
        }
        "new_expression" => {
            let (written, resolved) = cx.callee(n);
            let class = last_segment(&written);
            if !MODEL_CLASSES.contains(&class) || !resolved.starts_with("@langchain") {
                return None;
            }
            let args = syntax::positional_args(n);
            match args.first() {
                None => Some(class.to_string()),
                Some(o) if o.kind_name() == "object" => {
                    let keys = syntax::js_object_keys(*o, cx.src)?;
                    (!keys.iter().any(|k| k == "timeout" || k == "signal"))
                        .then(|| class.to_string())
                }
                _ => None,
            }
        }
        _ => None,
    }
}
