//! `llm-call-without-token-limit`: a language-model call (or client) with no limit on the
//! tokens it may generate.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants, kwarg, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "llm-call-without-token-limit",
    category: "COST",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Language-model call without a limit on generated tokens",
    docs: Docs {
        what: "A paid language-model call that sets no cap on output tokens: OpenAI `chat.completions.create` \
without `max_tokens`/`max_completion_tokens` and `responses.create` without `max_output_tokens` (Python and Node, \
`**kwargs`/spread excluded); LangChain `ChatOpenAI`/`AzureChatOpenAI` without `max_tokens`/`maxTokens` and \
`ChatGoogleGenerativeAI`/`ChatVertexAI` without `max_output_tokens`, `init_chat_model` without `max_tokens` \
(unless the model is Anthropic's); Google GenAI `generate_content` without a \
`max_output_tokens` in its config; Go `openai.ChatCompletionRequest{}`/`openai.ChatCompletionNewParams{}` \
without `MaxTokens`/`MaxCompletionTokens`; Java `ChatCompletionCreateParams.builder()` chains without \
`maxTokens`/`maxCompletionTokens`. Anthropic's API requires `max_tokens`, and LangChain's `ChatAnthropic` has a \
default, so they are never reported.",
        scenario: "A prompt (or a prompt injection, or a model regression) makes the model ramble, loop or emit \
a huge answer; traffic grows.",
        impact: "Each call is billed for every token up to the model's maximum and takes correspondingly longer: \
cost per request becomes unbounded and latency spikes hold workers; a loop or an abusive client multiplies the \
bill with no ceiling.",
        detection: "Provider bills and token-usage dashboards rising faster than traffic; long-tail latency on \
model-backed endpoints.",
        mitigation: "Set an output-token limit sized to the use case on every call (or on the client), and track \
token usage per request and per user against a budget.",
        fixes: &[
            (
                "python",
                "client.chat.completions.create(model=\"gpt-4o-mini\", messages=msgs, max_completion_tokens=512)\nllm = ChatGoogleGenerativeAI(model=\"gemini-1.5-flash\", max_output_tokens=512, timeout=30)",
            ),
            (
                "go",
                "resp, err := client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{\n    Model: openai.GPT4oMini, Messages: msgs, MaxCompletionTokens: 512,\n})",
            ),
            (
                "javascript",
                "await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 512 });",
            ),
            (
                "typescript",
                "await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 512 });",
            ),
            (
                "java",
                "ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()\n    .model(ChatModel.GPT_4O_MINI).addUserMessage(q).maxCompletionTokens(512).build();",
            ),
        ],
        monitoring: "Export input/output tokens per call and per route; alert on cost per request and daily spend \
above budget.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/assistant.py",
            r#"from openai import OpenAI
from langchain_google_genai import ChatGoogleGenerativeAI
from langchain_anthropic import ChatAnthropic
from langchain.chat_models import init_chat_model

client = OpenAI()
agent_llm = init_chat_model(model="openai:gpt-4o-mini", temperature=0)
            ^ `init_chat_model` without `max_tokens`
bounded_llm = init_chat_model(model="openai:gpt-4o-mini", max_tokens=512)
llm = ChatGoogleGenerativeAI(model="gemini-1.5-flash")
      ^ `ChatGoogleGenerativeAI` without `max_output_tokens`
claude = ChatAnthropic(model="claude-sonnet-4-5")

def answer(q):
    r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}])
        ^ `chat.completions.create` without `max_tokens`
    ok = client.chat.completions.create(model="gpt-4o-mini", messages=[], max_completion_tokens=256)
    return r, ok
"#
        ),
        case!(
            "svc/ok.py",
            r#"from openai import OpenAI
client = OpenAI()
def f(q, **kw):
    return client.chat.completions.create(model="x", messages=[], **kw), client.responses.create(model="x", input=q, max_output_tokens=100)
"#
        ),
        case!(
            "internal/llm/llm.go",
            r#"package llm

import (
	"context"

	openai "github.com/sashabaranov/go-openai"
)

func Ask(ctx context.Context, c *openai.Client, q string) {
	c.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: openai.GPT4oMini})
	                            ^ `openai.ChatCompletionRequest` without `MaxTokens`
	c.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: openai.GPT4oMini, MaxTokens: 256})
}
"#
        ),
        case!(
            "internal/llm/ok.go",
            r#"package llm

import openai "github.com/sashabaranov/go-openai"

var req = openai.ChatCompletionRequest{Model: openai.GPT4oMini, MaxCompletionTokens: 128}
"#
        ),
        case!(
            "src/chat.js",
            r#"const OpenAI = require('openai');
const openai = new OpenAI();
async function chat(messages) {
  const a = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
                  ^ `chat.completions.create` without `max_tokens`
  const b = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 300 });
  return [a, b];
}
module.exports = { chat };
"#
        ),
        case!(
            "src/chat.ts",
            r#"import { ChatOpenAI } from '@langchain/openai';
export const model = new ChatOpenAI({ model: 'gpt-4o-mini', maxTokens: 512, timeout: 30000 });
"#
        ),
        case!(
            "src/main/java/com/acme/Chat.java",
            r#"package com.acme;

import com.openai.models.chat.completions.ChatCompletionCreateParams;

class Chat {
    Object ask(String q) {
        ChatCompletionCreateParams p = ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(q).build();
                                       ^ `ChatCompletionCreateParams` built without `maxTokens`
        ChatCompletionCreateParams ok = ChatCompletionCreateParams.builder().model("gpt-4o-mini").maxCompletionTokens(100).build();
        return p;
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Ok.java",
            r#"package com.acme;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
class Ok { Object p = ChatCompletionCreateParams.builder().model("m").maxTokens(64L).build(); }
"#
        ),
    ],
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
            Family::Go => &["composite_literal"],
            Family::Js => &["call_expression", "new_expression"],
            Family::Java => &["method_invocation"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        let relevant = cx.file_flag("llm-sdk", || {
            let imp = cx.imports();
            [
                "openai",
                "langchain",
                "google.genai",
                "google.generativeai",
                "com.openai",
            ]
            .iter()
            .any(|m| imp.any_module_contains(m))
        });
        if !relevant {
            return;
        }
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Go => go(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
        }
    }
}

const PY_CLASSES: &[(&str, &[&str], &str)] = &[
    (
        "ChatOpenAI",
        &["max_tokens", "max_completion_tokens"],
        "max_tokens",
    ),
    (
        "AzureChatOpenAI",
        &["max_tokens", "max_completion_tokens"],
        "max_tokens",
    ),
    (
        "ChatGoogleGenerativeAI",
        &["max_output_tokens", "max_tokens"],
        "max_output_tokens",
    ),
    (
        "ChatVertexAI",
        &["max_output_tokens", "max_tokens"],
        "max_output_tokens",
    ),
    ("ChatMistralAI", &["max_tokens"], "max_tokens"),
    ("ChatGroq", &["max_tokens"], "max_tokens"),
];

fn python(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(call);
    if syntax::has_kwargs_splat(call) {
        return;
    }
    let has = |keys: &[&str]| {
        keys.iter()
            .any(|k| kwarg(call, cx.src, k).is_some_and(|v| cx.text(v) != "None"))
    };
    let class = syntax::last_segment(&written);
    if let Some((_, keys, shown)) = PY_CLASSES.iter().find(|(c, _, _)| *c == class)
        && resolved.starts_with("langchain")
    {
        if !has(keys) {
            cx.hit(&META, call, class.to_string(), format!("`{class}` without `{shown}`: every call may generate up to the model's maximum output, billed per token"));
        }
        return;
    }
    // LangChain's provider-agnostic constructor; Anthropic models get a default limit.
    if resolved.ends_with("init_chat_model") && resolved.starts_with("langchain") {
        let model = kwarg(call, cx.src, "model")
            .or_else(|| positional_args(call).first().copied())
            .map(|m| cx.text(m).to_ascii_lowercase())
            .unwrap_or_default();
        let anthropic = model.contains("anthropic") || model.contains("claude");
        if !anthropic && !has(&["max_tokens", "max_output_tokens", "max_completion_tokens"]) {
            cx.hit(&META, call, "init_chat_model", "`init_chat_model` without `max_tokens`: every call may generate up to the model's maximum output, billed per token");
        }
        return;
    }
    let uses_openai = cx.imports().has_module("openai");
    if uses_openai && written.ends_with("chat.completions.create") {
        if !has(&["max_tokens", "max_completion_tokens"]) {
            cx.hit(&META, call, "chat.completions.create", "`chat.completions.create` without `max_tokens`/`max_completion_tokens`: the output, and the bill, are bounded only by the model's maximum");
        }
        return;
    }
    if uses_openai && written.ends_with("responses.create") {
        if !has(&["max_output_tokens"]) {
            cx.hit(&META, call, "responses.create", "`responses.create` without `max_output_tokens`: the output, and the bill, are bounded only by the model's maximum");
        }
        return;
    }
    if (cx.imports().has_module("google.genai") || cx.imports().has_module("google.generativeai"))
        && syntax::last_segment(&written) == "generate_content"
    {
        let cfg =
            kwarg(call, cx.src, "config").or_else(|| kwarg(call, cx.src, "generation_config"));
        let bounded = cfg.is_some_and(|c| {
            let t = cx.text(c);
            t.contains("max_output_tokens") || !matches!(c.kind_name(), "call" | "dictionary")
        });
        if !bounded && !cx.src.contains("max_output_tokens") {
            cx.hit(&META, call, "generate_content", "`generate_content` without `max_output_tokens`: the output, and the bill, are bounded only by the model's maximum");
        }
    }
}

fn go(lit: Node<'_>, cx: &mut Cx<'_>) {
    let Some(t) = lit.field("type") else {
        return;
    };
    let resolved = cx.imports().resolve(cx.text(t));
    let openai = resolved.contains("go-openai") || resolved.contains("openai/openai-go");
    let name = syntax::last_segment(&resolved);
    if !openai
        || !matches!(
            name,
            "ChatCompletionRequest" | "ChatCompletionNewParams" | "CompletionRequest"
        )
    {
        return;
    }
    let keys = syntax::go_literal_keys(lit, cx.src);
    if keys
        .iter()
        .any(|k| matches!(k.as_str(), "MaxTokens" | "MaxCompletionTokens"))
    {
        return;
    }
    cx.hit(&META, lit, name.to_string(), format!("`openai.{name}` without `MaxTokens`/`MaxCompletionTokens`: the output, and the bill, are bounded only by the model's maximum"));
}

fn js(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(call);
    let args = positional_args(call);
    let keys_of = |o: Option<&Node<'_>>| -> Option<Vec<String>> {
        let o = o?;
        if o.kind_name() != "object" {
            return None;
        }
        syntax::js_object_keys(*o, cx.src)
    };
    if call.kind_name() == "new_expression" {
        let class = syntax::last_segment(&written);
        if !resolved.starts_with("@langchain") {
            return;
        }
        let wanted: &[&str] = match class {
            "ChatOpenAI" | "AzureChatOpenAI" | "ChatMistralAI" | "ChatGroq" => {
                &["maxTokens", "maxCompletionTokens"]
            }
            "ChatGoogleGenerativeAI" | "ChatVertexAI" => &["maxOutputTokens", "maxTokens"],
            _ => return,
        };
        let keys = match args.first() {
            None => Some(Vec::new()),
            Some(_) => keys_of(args.first()),
        };
        if let Some(keys) = keys
            && !keys.iter().any(|k| wanted.contains(&k.as_str()))
        {
            cx.hit(&META, call, class.to_string(), format!("`{class}` without `{}`: every call may generate up to the model's maximum output, billed per token", wanted[0]));
        }
        return;
    }
    if !cx.imports().has_module("openai") {
        return;
    }
    let (what, wanted): (&str, &[&str]) = if written.ends_with("chat.completions.create") {
        (
            "chat.completions.create",
            &["max_tokens", "max_completion_tokens"],
        )
    } else if written.ends_with("responses.create") {
        ("responses.create", &["max_output_tokens"])
    } else {
        return;
    };
    if let Some(keys) = keys_of(args.first())
        && !keys.iter().any(|k| wanted.contains(&k.as_str()))
    {
        cx.hit(&META, call, what, format!("`{what}` without `{}`: the output, and the bill, are bounded only by the model's maximum", wanted[0]));
    }
}

fn java(call: Node<'_>, cx: &mut Cx<'_>) {
    // Only the outermost `.build()` of a `ChatCompletionCreateParams.builder()` chain.
    let chain = syntax::callee_text(call, cx.src);
    if !chain.starts_with("ChatCompletionCreateParams.builder()") || !chain.ends_with(".build") {
        return;
    }
    if call
        .parent()
        .is_some_and(|p| p.kind_name() == "method_invocation" && p.field("object") == Some(call))
    {
        return;
    }
    if chain.contains(".maxTokens(") || chain.contains(".maxCompletionTokens(") {
        return;
    }
    let _ = descendants;
    cx.hit(&META, call, "ChatCompletionCreateParams", "`ChatCompletionCreateParams` built without `maxTokens`/`maxCompletionTokens`: the output, and the bill, are bounded only by the model's maximum");
}
