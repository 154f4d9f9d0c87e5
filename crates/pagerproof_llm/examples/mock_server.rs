//! Runs the test suite's local model server so `pagerproof review --llm` can be tried
//! without a provider:
//!
//! ```sh
//! cargo run -p pagerproof_llm --example mock_server -- 60 [requests.json] &
//! # serves for 60 s, prints its URL; writes the requests it saw to requests.json at the end
//! PAGERPROOF_LLM_PROVIDER=anthropic PAGERPROOF_LLM_BASE_URL=http://127.0.0.1:PORT \
//!   PAGERPROOF_LLM_MODEL=mock ANTHROPIC_API_KEY=dummy pagerproof review --llm .
//! ```
//!
//! It answers both APIs with a short review citing the most severe finding (and one
//! invented citation, to show grounding). It listens on 127.0.0.1 only and stops by itself.

fn main() {
    let secs: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(60)
        .min(3600);
    let server = match pagerproof_llm::testing::MockServer::start(Vec::new()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mock_server: {e}");
            std::process::exit(2);
        }
    };
    println!("{}", server.url());
    std::thread::sleep(std::time::Duration::from_secs(secs));
    let seen = server.requests();
    eprintln!("mock_server: served {} request(s)", seen.len());
    if let Some(path) = std::env::args().nth(2) {
        let dump: Vec<serde_json::Value> = seen
            .iter()
            .map(|r| serde_json::json!({"path": r.path, "body": r.json()}))
            .collect();
        let text = serde_json::to_string_pretty(&dump).unwrap_or_default();
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("mock_server: cannot write {path}: {e}");
        }
    }
}
