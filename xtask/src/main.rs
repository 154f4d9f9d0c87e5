//! Repository tasks: `cargo xtask examples [--check]` regenerates (or checks) the reviews
//! of the example repositories under `examples/` in every format, into `docs/examples/`.

mod examples;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("examples") => examples::run(args.iter().any(|a| a == "--check")),
        _ => Err(anyhow::anyhow!(
            "usage: cargo xtask examples [--check]   regenerate (or check) docs/examples/"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::from(1)
        }
    }
}
