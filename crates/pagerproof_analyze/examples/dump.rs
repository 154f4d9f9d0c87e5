//! Prints the tree-sitter tree of a file (a development aid): `cargo run --example dump FILE`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let src = std::fs::read_to_string(&path).unwrap_or_default();
    let Some(lang) = pagerproof_analyze::lang::Lang::from_path(&path) else {
        eprintln!("unknown language");
        std::process::exit(2);
    };
    match pagerproof_analyze::engine::parse(lang, &src, std::time::Duration::from_secs(5)) {
        Ok(t) => println!("{}", t.root_node().to_sexp()),
        Err(e) => eprintln!("{e}"),
    }
}
