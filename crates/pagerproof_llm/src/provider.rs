//! The two wire formats: the Anthropic Messages API and the OpenAI Chat Completions API
//! (which Ollama, vLLM and the llama.cpp server also speak). Request bodies are built here
//! and responses are read into one provider-neutral [`Turn`]. No I/O.

use serde::Serialize;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Anthropic,
    #[serde(rename = "openai")]
    OpenAi,
}

impl Provider {
    pub fn parse(s: &str) -> Option<Provider> {
        match s.trim().to_ascii_lowercase().as_str() {
            "anthropic" => Some(Provider::Anthropic),
            "openai" => Some(Provider::OpenAi),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Anthropic => "anthropic",
            Provider::OpenAi => "openai",
        }
    }
    pub fn default_base_url(self) -> &'static str {
        match self {
            Provider::Anthropic => "https://api.anthropic.com",
            Provider::OpenAi => "https://api.openai.com/v1",
        }
    }
    /// The model used when nothing names one (only for the providers' own endpoints).
    pub fn default_model(self) -> &'static str {
        match self {
            Provider::Anthropic => "claude-sonnet-4-5",
            Provider::OpenAi => "gpt-4o",
        }
    }
    /// The environment variable the API key is read from.
    pub fn key_var(self) -> &'static str {
        match self {
            Provider::Anthropic => "ANTHROPIC_API_KEY",
            Provider::OpenAi => "OPENAI_API_KEY",
        }
    }
    /// The full URL of the endpoint under a base URL.
    pub fn endpoint(self, base: &str) -> String {
        let b = base.trim_end_matches('/');
        match self {
            Provider::Anthropic => {
                if b.ends_with("/messages") {
                    b.to_string()
                } else if b.ends_with("/v1") {
                    format!("{b}/messages")
                } else {
                    format!("{b}/v1/messages")
                }
            }
            Provider::OpenAi => {
                if b.ends_with("/chat/completions") {
                    b.to_string()
                } else {
                    format!("{b}/chat/completions")
                }
            }
        }
    }
}

/// A model name, with the provider its prefix named (`anthropic/claude-sonnet-4-5`). Only
/// `anthropic/` and `openai/` are prefixes; any other slash is part of the name
/// (`meta-llama/Llama-3.1-8B` on vLLM).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ModelRef {
    pub provider: Option<Provider>,
    pub name: String,
}

impl ModelRef {
    pub fn parse(s: &str) -> ModelRef {
        let s = s.trim();
        if let Some((p, rest)) = s.split_once('/')
            && let Some(provider) = Provider::parse(p)
            && !rest.is_empty()
        {
            return ModelRef {
                provider: Some(provider),
                name: rest.to_string(),
            };
        }
        ModelRef {
            provider: None,
            name: s.to_string(),
        }
    }
}

/// A tool the model may call.
pub struct ToolSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub schema: Value,
}

/// A tool call the model asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub input: Value,
}

/// One answer of the model, whatever the provider.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Turn {
    pub text: String,
    pub tool_calls: Vec<ToolCall>,
    /// `end_turn`, `stop`, `max_tokens`, `length`, `tool_use`, `tool_calls`, ...
    pub stop: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl Turn {
    /// Whether the answer was cut by the output-token limit.
    pub fn truncated(&self) -> bool {
        self.stop == "max_tokens" || self.stop == "length"
    }
}

/// The request body for one call.
pub fn request_body(
    provider: Provider,
    model: &str,
    system: &str,
    messages: &[Value],
    tools: &[ToolSpec],
    max_tokens: u32,
) -> Value {
    match provider {
        Provider::Anthropic => {
            let mut b = json!({
                "model": model,
                "max_tokens": max_tokens,
                "system": system,
                "messages": messages,
            });
            if !tools.is_empty() {
                b["tools"] = tools
                    .iter()
                    .map(|t| {
                        json!({"name": t.name, "description": t.description, "input_schema": t.schema})
                    })
                    .collect();
            }
            b
        }
        Provider::OpenAi => {
            let mut all = vec![json!({"role": "system", "content": system})];
            all.extend(messages.iter().cloned());
            let mut b = json!({
                "model": model,
                "max_tokens": max_tokens,
                "messages": all,
                "stream": false,
            });
            if !tools.is_empty() {
                b["tools"] = tools
                    .iter()
                    .map(|t| {
                        json!({"type": "function", "function": {
                            "name": t.name, "description": t.description, "parameters": t.schema}})
                    })
                    .collect();
            }
            b
        }
    }
}

/// The first user message.
pub fn user_message(text: &str) -> Value {
    json!({"role": "user", "content": text})
}

/// Reads a response body. `Err` names what is missing (the client treats it as a malformed
/// answer).
pub fn parse_response(provider: Provider, v: &Value) -> Result<Turn, String> {
    match provider {
        Provider::Anthropic => {
            let content = v
                .get("content")
                .and_then(Value::as_array)
                .ok_or("no `content` array in the Anthropic response")?;
            let mut turn = Turn::default();
            for block in content {
                match block.get("type").and_then(Value::as_str) {
                    Some("text") => {
                        if let Some(t) = block.get("text").and_then(Value::as_str) {
                            turn.text.push_str(t);
                        }
                    }
                    Some("tool_use") => turn.tool_calls.push(ToolCall {
                        id: block
                            .get("id")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        name: block
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        input: block.get("input").cloned().unwrap_or(Value::Null),
                    }),
                    _ => {}
                }
            }
            turn.stop = v
                .get("stop_reason")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            turn.input_tokens = v["usage"]["input_tokens"].as_u64().unwrap_or(0);
            turn.output_tokens = v["usage"]["output_tokens"].as_u64().unwrap_or(0);
            Ok(turn)
        }
        Provider::OpenAi => {
            let choice = v
                .get("choices")
                .and_then(Value::as_array)
                .and_then(|c| c.first())
                .ok_or("no `choices` in the Chat Completions response")?;
            let msg = choice
                .get("message")
                .ok_or("no `message` in the first choice")?;
            let mut turn = Turn {
                text: msg
                    .get("content")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                ..Turn::default()
            };
            if let Some(calls) = msg.get("tool_calls").and_then(Value::as_array) {
                for c in calls {
                    let f = &c["function"];
                    // `arguments` is a JSON string; some servers send an object.
                    let input = match f.get("arguments") {
                        Some(Value::String(s)) => {
                            serde_json::from_str(s).unwrap_or(Value::String(s.clone()))
                        }
                        Some(other) => other.clone(),
                        None => Value::Null,
                    };
                    turn.tool_calls.push(ToolCall {
                        id: c
                            .get("id")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        name: f
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        input,
                    });
                }
            }
            turn.stop = choice
                .get("finish_reason")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            turn.input_tokens = v["usage"]["prompt_tokens"].as_u64().unwrap_or(0);
            turn.output_tokens = v["usage"]["completion_tokens"].as_u64().unwrap_or(0);
            Ok(turn)
        }
    }
}

/// The assistant message to append to the transcript after a tool-calling answer.
pub fn assistant_message(provider: Provider, raw: &Value) -> Value {
    match provider {
        Provider::Anthropic => json!({"role": "assistant", "content": raw["content"].clone()}),
        Provider::OpenAi => {
            let mut m = raw["choices"][0]["message"].clone();
            if !m.is_object() {
                m = json!({});
            }
            m["role"] = json!("assistant");
            if m.get("content").is_none() {
                m["content"] = Value::Null;
            }
            m
        }
    }
}

/// The messages carrying tool results back: `(call id, text, is_error)`, then `note` (an
/// instruction to the model) when given.
pub fn tool_result_messages(
    provider: Provider,
    results: &[(String, String, bool)],
    note: Option<&str>,
) -> Vec<Value> {
    match provider {
        Provider::Anthropic => {
            let mut content: Vec<Value> = results
                .iter()
                .map(|(id, text, err)| {
                    json!({"type": "tool_result", "tool_use_id": id, "content": text, "is_error": err})
                })
                .collect();
            if let Some(n) = note {
                content.push(json!({"type": "text", "text": n}));
            }
            vec![json!({"role": "user", "content": content})]
        }
        Provider::OpenAi => {
            let mut out: Vec<Value> = results
                .iter()
                .map(|(id, text, _)| json!({"role": "tool", "tool_call_id": id, "content": text}))
                .collect();
            if let Some(n) = note {
                out.push(json!({"role": "user", "content": n}));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_accept_bases_with_or_without_version() {
        let a = Provider::Anthropic;
        assert_eq!(
            a.endpoint("https://api.anthropic.com"),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(a.endpoint("http://h/v1/"), "http://h/v1/messages");
        let o = Provider::OpenAi;
        assert_eq!(
            o.endpoint("http://localhost:11434/v1"),
            "http://localhost:11434/v1/chat/completions"
        );
        assert_eq!(
            o.endpoint("http://h/v1/chat/completions"),
            "http://h/v1/chat/completions"
        );
    }

    #[test]
    fn reads_both_formats() {
        let a = json!({"content": [{"type": "text", "text": "hi"}, {"type": "tool_use", "id": "t1", "name": "read_file", "input": {"path": "a"}}], "stop_reason": "tool_use", "usage": {"input_tokens": 5, "output_tokens": 7}});
        let t = parse_response(Provider::Anthropic, &a).unwrap();
        assert_eq!(t.text, "hi");
        assert_eq!(t.tool_calls[0].input["path"], "a");
        assert_eq!(t.output_tokens, 7);
        let o = json!({"choices": [{"message": {"content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "search", "arguments": "{\"pattern\":\"x\"}"}}]}, "finish_reason": "tool_calls"}], "usage": {"prompt_tokens": 3, "completion_tokens": 4}});
        let t = parse_response(Provider::OpenAi, &o).unwrap();
        assert_eq!(t.tool_calls[0].name, "search");
        assert_eq!(t.tool_calls[0].input["pattern"], "x");
        assert!(parse_response(Provider::OpenAi, &json!({"error": "x"})).is_err());
    }
}
