//! A local model server for tests: `std::net::TcpListener` on 127.0.0.1, one thread, one
//! request per connection. It speaks the Anthropic Messages API (`…/v1/messages`) and the
//! OpenAI Chat Completions API (`…/chat/completions`), and injects faults on demand:
//! statuses with `Retry-After`, slow answers, connections cut before or during the answer,
//! malformed JSON, and tool calls. Every request is recorded for assertions.
//!
//! Used by this crate's tests and the binary's; nothing in the tool itself calls it.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{Value, json};

/// What the server does with the next request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A status, extra headers and a raw body.
    Raw {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// A successful answer in the API of the request, with this text.
    Text(String),
    /// A successful answer asking for one tool call.
    ToolCall { name: String, input: Value },
    /// The default answer: a short review citing the most severe finding of the evidence,
    /// its location, and one fingerprint that does not exist.
    Auto,
    /// Wait, then reply.
    Slow(Duration, Box<Reply>),
    /// Close the connection without answering.
    Cut,
    /// Send the headers and half the body, then close.
    CutMidBody,
}

impl Reply {
    pub fn status(status: u16, body: &str) -> Reply {
        Reply::Raw {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }
    pub fn with_retry_after(status: u16, seconds: &str) -> Reply {
        Reply::Raw {
            status,
            headers: vec![("Retry-After".into(), seconds.into())],
            body: r#"{"error":{"message":"rate limited"}}"#.into(),
        }
    }
    pub fn malformed() -> Reply {
        Reply::Raw {
            status: 200,
            headers: Vec::new(),
            body: r#"{"content": [{"type": "text", "text": "unterminated"#.into(),
        }
    }
}

/// One request the server saw.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at: std::time::Instant,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Reply>,
    seen: Vec<Recorded>,
}

pub struct MockServer {
    addr: std::net::SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts on a free port of 127.0.0.1. Replies follow `script`, then [`Reply::Auto`].
    pub fn start(script: Vec<Reply>) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            seen: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                // One thread per connection, so a slow answer does not hold up the next.
                let st = st.clone();
                std::thread::spawn(move || serve(stream, &st));
            }
        });
        Ok(MockServer {
            addr,
            state,
            stop,
            handle: Some(handle),
        })
    }

    /// `http://127.0.0.1:PORT` (use as base URL; add `/v1` for OpenAI-style paths).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state
            .lock()
            .map(|s| s.seen.clone())
            .unwrap_or_default()
    }

    pub fn push(&self, r: Reply) {
        if let Ok(mut s) = self.state.lock() {
            s.script.push_back(r);
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve(mut stream: TcpStream, state: &Arc<Mutex<State>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(req) = read_request(&mut stream) else {
        return;
    };
    let reply = {
        let Ok(mut s) = state.lock() else { return };
        s.seen.push(req.clone());
        s.script.pop_front().unwrap_or(Reply::Auto)
    };
    respond(&mut stream, &req, reply);
}

fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut tmp).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut tmp).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&tmp[..n]);
    }
    Some(Recorded {
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        at: std::time::Instant::now(),
    })
}

fn write_http(stream: &mut TcpStream, status: u16, headers: &[(String, String)], body: &str) {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}

fn is_anthropic(req: &Recorded) -> bool {
    req.path.ends_with("/messages")
}

fn respond(stream: &mut TcpStream, req: &Recorded, reply: Reply) {
    match reply {
        Reply::Raw {
            status,
            headers,
            body,
        } => write_http(stream, status, &headers, &body),
        Reply::Slow(d, inner) => {
            std::thread::sleep(d);
            respond(stream, req, *inner);
        }
        Reply::Cut => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Reply::CutMidBody => {
            let body = text_answer(req, "This answer is cut in the middle of a sentence and");
            let half = &body[..body.len() / 2];
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(half.as_bytes());
            let _ = stream.flush();
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Reply::Text(t) => write_http(stream, 200, &[], &text_answer(req, &t)),
        Reply::ToolCall { name, input } => {
            let body = if is_anthropic(req) {
                json!({"id": "msg_tool", "type": "message", "role": "assistant",
                       "content": [{"type": "text", "text": "Let me check."},
                                   {"type": "tool_use", "id": "toolu_1", "name": name, "input": input}],
                       "stop_reason": "tool_use", "usage": {"input_tokens": 100, "output_tokens": 20}})
            } else {
                json!({"id": "chatcmpl-tool", "object": "chat.completion",
                       "choices": [{"index": 0, "finish_reason": "tool_calls",
                                    "message": {"role": "assistant", "content": null,
                                                "tool_calls": [{"id": "call_1", "type": "function",
                                                                "function": {"name": name, "arguments": input.to_string()}}]}}],
                       "usage": {"prompt_tokens": 100, "completion_tokens": 20}})
            };
            write_http(stream, 200, &[], &body.to_string());
        }
        Reply::Auto => {
            let t = auto_text(req);
            write_http(stream, 200, &[], &text_answer(req, &t));
        }
    }
}

fn text_answer(req: &Recorded, text: &str) -> String {
    let model = req.json()["model"].as_str().unwrap_or("mock").to_string();
    if is_anthropic(req) {
        json!({"id": "msg_1", "type": "message", "role": "assistant", "model": model,
               "content": [{"type": "text", "text": text}],
               "stop_reason": "end_turn", "usage": {"input_tokens": 1200, "output_tokens": 180}})
        .to_string()
    } else {
        json!({"id": "chatcmpl-1", "object": "chat.completion", "model": model,
               "choices": [{"index": 0, "finish_reason": "stop",
                            "message": {"role": "assistant", "content": text}}],
               "usage": {"prompt_tokens": 1200, "completion_tokens": 180}})
        .to_string()
    }
}

/// The first finding of the evidence the request carries: (fingerprint, severity, path, line).
pub fn first_finding(req: &Recorded) -> Option<(String, String, String, u64)> {
    let v = req.json();
    let msgs = v["messages"].as_array()?;
    let user = msgs
        .iter()
        .find(|m| m["role"] == "user")
        .and_then(|m| m["content"].as_str())?;
    let start = user.find("```jsonl\n")? + 9;
    let end = start + user[start..].find("```")?;
    let f: Value = user[start..end]
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|f| f["line"].is_u64())?;
    Some((
        f["fingerprint"].as_str()?.to_string(),
        f["severity"].as_str()?.to_string(),
        f["path"].as_str()?.to_string(),
        f["line"].as_u64()?,
    ))
}

fn auto_text(req: &Recorded) -> String {
    match first_finding(req) {
        Some((fp, sev, path, line)) => format!(
            "# Verdict\n\nNot ready for the pager yet. The most severe gap is [F:{fp}:{sev}] at [{path}:{line}]: \
an outbound call with no deadline holds a worker for as long as the dependency hangs.\n\n\
## Top risks\n\n1. **Hung dependencies exhaust workers.** [F:{fp}] — one slow upstream stalls every request \
that reaches [{path}:{line}].\n2. **Invented for the test.** [F:ffffffffffffffff] in [src/made_up.go:12] \
does not exist and must be flagged.\n\n## Next steps\n\n- Put a deadline on the call at [{path}:{line}] \
and alert on p99 latency of the dependency.\n"
        ),
        None => "# Verdict\n\nNo findings were sent; nothing to narrate.\n".to_string(),
    }
}

/// `n` characters of a fixed pseudo-random mix of letters and digits (no placeholder words).
fn fill(seed: u64, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrsuvwxyz23456789";
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            A[(x % A.len() as u64) as usize] as char
        })
        .collect()
}

/// One planted secret of every kind the SECRET rule (`hardcoded-secret`) knows, in the
/// exact formats it matches: `(kind, value)`. The private-key value is a whole PEM block.
pub fn planted_secrets() -> Vec<(&'static str, String)> {
    vec![
        (
            "AWS access key",
            format!("AKIA{}", fill(1, 16).to_ascii_uppercase()),
        ),
        ("GitHub token", format!("ghp_{}", fill(2, 36))),
        (
            "GitHub fine-grained token",
            format!("github_pat_{}", fill(3, 82)),
        ),
        ("GitLab token", format!("glpat-{}", fill(4, 20))),
        (
            "Slack token",
            format!("xoxb-{}-{}", fill(5, 12), fill(6, 24)),
        ),
        ("Stripe live key", format!("sk_live_{}", fill(7, 24))),
        ("Google API key", format!("AIza{}", fill(8, 35))),
        ("Anthropic API key", format!("sk-ant-api03-{}", fill(9, 40))),
        ("OpenAI API key", format!("sk-proj-{}", fill(10, 40))),
        ("npm token", format!("npm_{}", fill(11, 36))),
        (
            "PyPI token",
            format!("pypi-AgEIcHlwaS5vcmc{}", fill(12, 60)),
        ),
        (
            "SendGrid API key",
            format!("SG.{}.{}", fill(13, 22), fill(14, 43)),
        ),
        (
            "private key",
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\\n{}\\n{}\\n-----END RSA PRIVATE KEY-----",
                fill(15, 64),
                fill(16, 64)
            ),
        ),
    ]
}

/// A file planting every secret kind (plus a connection-URL password and a value bound
/// to a credential name), and the raw values that must never leave the machine.
pub fn planted_python_module() -> (String, Vec<String>) {
    let mut src = String::from("import os\n\n");
    let mut values = Vec::new();
    for (i, (_, v)) in planted_secrets().into_iter().enumerate() {
        src.push_str(&format!("VALUE_{i} = \"{v}\"\n"));
        if v.starts_with("-----BEGIN") {
            // The body is what must not leak.
            values.extend(
                v.split("\\n")
                    .filter(|l| !l.starts_with("-----"))
                    .map(str::to_string),
            );
        } else {
            values.push(v);
        }
    }
    let pw = format!("Zx9{}", fill(17, 12));
    src.push_str(&format!(
        "DATABASE_URL = \"postgres://admin:{pw}@db.internal:5432/app\"\n"
    ));
    values.push(pw);
    let named = format!("Tr0{}&3", fill(18, 14));
    src.push_str(&format!("DB_PASSWORD = \"{named}\"\n"));
    values.push(named);
    src.push_str("\n\ndef fetch(url):\n    import requests\n    return requests.get(url)\n");
    (src, values)
}
