//! The HTTP client, built to pass our own review: connect and read timeouts; retries only
//! on retryable failures (429, 408, 5xx, 529, timeouts, cut connections, malformed
//! answers) with capped exponential backoff and full jitter, honouring `Retry-After`
//! (and `retry-after-ms`); the model fallback chain; a total time budget every wait and
//! request is clipped to; bounded response size. The API key lives in [`ApiKey`], whose
//! `Debug` never shows it, and no error message carries a header.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::provider::Provider;
use crate::redact::Redactor;

/// Largest response body read.
pub const MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

/// An API key. Never printed, serialised or written.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(s: &str) -> Option<ApiKey> {
        let s = s.trim();
        (!s.is_empty()).then(|| ApiKey(s.to_string()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(…)")
    }
}

/// Timeouts, retries and backoff.
#[derive(Clone, Debug)]
pub struct Policy {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Retries per model after the first attempt.
    pub max_retries: u32,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// A `Retry-After` longer than this moves on to the next model instead of waiting.
    pub max_retry_after: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(180),
            max_retries: 3,
            backoff_base: Duration::from_millis(1000),
            backoff_cap: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// One HTTP attempt (in the report's `narrative.attempts`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub model: String,
    /// `ok`, or what failed (`HTTP 429`, `timed out`, `malformed JSON`, ...).
    pub outcome: String,
    pub elapsed_ms: u64,
    /// How long the client waited before the next attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waited_ms: Option<u64>,
}

/// How a failed attempt is handled.
#[derive(Debug)]
enum Failure {
    /// Try again (same model) after a wait.
    Retry {
        what: String,
        retry_after: Option<Duration>,
    },
    /// This model cannot answer; try the next one.
    NextModel(String),
    /// Nothing will answer (bad key, unreachable host): stop.
    Fatal(String),
}

pub struct Client {
    agent: ureq::Agent,
    pub provider: Provider,
    pub url: String,
    key: Option<ApiKey>,
    policy: Policy,
    deadline: Instant,
    rng: u64,
    redactor: Redactor,
    pub attempts: Vec<Attempt>,
}

impl Client {
    pub fn new(
        provider: Provider,
        url: String,
        key: Option<ApiKey>,
        policy: Policy,
        deadline: Instant,
        redactor: Redactor,
    ) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(policy.connect_timeout))
            .timeout_recv_response(Some(policy.read_timeout))
            .timeout_recv_body(Some(policy.read_timeout))
            .user_agent(format!("pagerproof/{}", env!("CARGO_PKG_VERSION")))
            .max_redirects(0)
            .build();
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9, |d| d.as_nanos() as u64)
            ^ (u64::from(std::process::id()) << 32);
        Client {
            agent: ureq::Agent::new_with_config(config),
            provider,
            url,
            key,
            policy,
            deadline,
            rng: seed | 1,
            redactor,
            attempts: Vec::new(),
        }
    }

    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// xorshift64*: jitter only, no need for a crate.
    fn random_unit(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Exponential backoff with full jitter, capped.
    fn backoff(&mut self, retry: u32) -> Duration {
        let exp = self
            .policy
            .backoff_base
            .saturating_mul(1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX));
        let cap = exp.min(self.policy.backoff_cap);
        cap.mul_f64(0.5 + 0.5 * self.random_unit())
    }

    /// Sends a request built for each model of the chain from `start`, retrying and
    /// falling back. Returns the index of the model that answered and its JSON answer.
    pub fn send(
        &mut self,
        models: &[String],
        start: usize,
        body_for: &dyn Fn(&str) -> Value,
    ) -> Result<(usize, Value), String> {
        let mut last = String::from("no model to ask");
        for (i, model) in models.iter().enumerate().skip(start) {
            let mut body = body_for(model);
            self.redactor.redact_json(&mut body);
            let mut retry = 0u32;
            loop {
                if self.remaining().is_zero() {
                    return Err(format!("time budget exhausted ({last})"));
                }
                let t0 = Instant::now();
                let res = self.call_once(&body);
                let elapsed_ms = t0.elapsed().as_millis() as u64;
                match res {
                    Ok(v) => {
                        self.attempts.push(Attempt {
                            model: model.clone(),
                            outcome: "ok".into(),
                            elapsed_ms,
                            waited_ms: None,
                        });
                        return Ok((i, v));
                    }
                    Err(Failure::Fatal(what)) => {
                        self.attempts.push(Attempt {
                            model: model.clone(),
                            outcome: what.clone(),
                            elapsed_ms,
                            waited_ms: None,
                        });
                        return Err(what);
                    }
                    Err(Failure::NextModel(what)) => {
                        self.attempts.push(Attempt {
                            model: model.clone(),
                            outcome: what.clone(),
                            elapsed_ms,
                            waited_ms: None,
                        });
                        last = format!("{model}: {what}");
                        break;
                    }
                    Err(Failure::Retry { what, retry_after }) => {
                        last = format!("{model}: {what}");
                        let wait = match retry_after {
                            Some(ra) => {
                                ra + Duration::from_millis((self.random_unit() * 250.0) as u64)
                            }
                            None => self.backoff(retry),
                        };
                        let give_up = retry >= self.policy.max_retries
                            || retry_after.is_some_and(|ra| ra > self.policy.max_retry_after)
                            || wait >= self.remaining();
                        self.attempts.push(Attempt {
                            model: model.clone(),
                            outcome: what,
                            elapsed_ms,
                            waited_ms: (!give_up).then_some(wait.as_millis() as u64),
                        });
                        if give_up {
                            break;
                        }
                        std::thread::sleep(wait);
                        retry += 1;
                    }
                }
            }
        }
        Err(last)
    }

    fn call_once(&self, body: &Value) -> Result<Value, Failure> {
        let remaining = self.remaining();
        let mut req = self
            .agent
            .post(&self.url)
            .config()
            .timeout_global(Some(remaining))
            .build()
            .header("content-type", "application/json");
        match self.provider {
            Provider::Anthropic => {
                req = req.header("anthropic-version", "2023-06-01");
                if let Some(k) = &self.key {
                    req = req.header("x-api-key", k.expose());
                }
            }
            Provider::OpenAi => {
                if let Some(k) = &self.key {
                    req = req.header("authorization", &format!("Bearer {}", k.expose()));
                }
            }
        }
        let mut resp = req.send_json(body).map_err(|e| classify(&e, &self.url))?;
        let status = resp.status().as_u16();
        let header = |n: &str| {
            resp.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let retry_after = header("retry-after-ms")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|ms| Duration::from_secs_f64((ms / 1000.0).clamp(0.0, 86_400.0)))
            .or_else(|| {
                header("retry-after")
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .map(|s| Duration::from_secs_f64(s.clamp(0.0, 86_400.0)))
            });
        let text = resp
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(|e| match classify(&e, &self.url) {
                Failure::Retry { what, .. } => Failure::Retry {
                    what: format!("reading the answer: {what}"),
                    retry_after: None,
                },
                other => other,
            })?;
        let detail = || short(&self.redactor.redact(&api_error(&text)));
        match status {
            200..=299 => serde_json::from_str(&text).map_err(|e| Failure::Retry {
                what: format!("malformed JSON in the answer ({e})"),
                retry_after: None,
            }),
            408 | 409 | 429 | 500..=599 => Err(Failure::Retry {
                what: format!("HTTP {status}{}", detail()),
                retry_after,
            }),
            401 | 403 => Err(Failure::Fatal(format!(
                "HTTP {status}: the provider refused the credentials (check {}){}",
                self.provider.key_var(),
                detail()
            ))),
            _ => Err(Failure::NextModel(format!("HTTP {status}{}", detail()))),
        }
    }
}

/// The provider's error message, if the body has one.
fn api_error(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let msg = v["error"]["message"]
        .as_str()
        .or_else(|| v["error"].as_str())
        .or_else(|| v["message"].as_str());
    match msg {
        Some(m) => format!(": {m}"),
        None => String::new(),
    }
}

fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 200 {
        format!("{}…", one.chars().take(200).collect::<String>())
    } else {
        one
    }
}

/// Name resolution failures come back as I/O errors; no retry or fallback model helps.
fn is_resolution_failure(io: &std::io::Error) -> bool {
    let m = io.to_string();
    m.contains("lookup address") || m.contains("not known") || m.contains("No such host")
}

fn classify(e: &ureq::Error, url: &str) -> Failure {
    use ureq::Error as E;
    match e {
        E::Timeout(t) => Failure::Retry {
            what: format!("timed out ({t})"),
            retry_after: None,
        },
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => Failure::Fatal(format!(
            "connection refused by {url}; is the server running?"
        )),
        E::Io(io) if is_resolution_failure(io) => {
            Failure::Fatal(format!("cannot resolve the host of {url} ({io})"))
        }
        E::Io(io) => Failure::Retry {
            what: format!("connection error ({io})"),
            retry_after: None,
        },
        E::Protocol(p) => Failure::Retry {
            what: format!("malformed HTTP ({p})"),
            retry_after: None,
        },
        E::ConnectionFailed => Failure::Retry {
            what: "connection failed".into(),
            retry_after: None,
        },
        E::BodyExceedsLimit(n) => Failure::NextModel(format!("answer larger than {n} bytes")),
        E::HostNotFound => Failure::Fatal(format!("cannot resolve the host of {url}")),
        E::BadUri(u) => Failure::Fatal(format!("bad URL {u}")),
        other => Failure::Fatal(other.to_string()),
    }
}
