//! Deepest syntax tree per language over a folder (a measuring aid):
//! `cargo run --release -p pagerproof_analyze --example depth -- DIR`.
use pagerproof_analyze::fs::{FsSource, Source};
use pagerproof_analyze::lang::Lang;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let src = FsSource::new(&dir);
    let mut worst: std::collections::BTreeMap<&str, Vec<(u32, String)>> = Default::default();
    for e in src.list().entries {
        let Some(lang) = Lang::from_path(&e.path) else {
            continue;
        };
        if e.size > 2 << 20 {
            continue;
        }
        let Ok(b) = src.read(&e.path, 2 << 20) else {
            continue;
        };
        if pagerproof_analyze::files::content_skip_reason(
            &e.path,
            pagerproof_analyze::files::FileKind::Code(lang),
            &b,
        )
        .is_some()
        {
            continue;
        }
        let text = String::from_utf8_lossy(&b);
        let Ok(tree) =
            pagerproof_analyze::engine::parse(lang, &text, std::time::Duration::from_secs(10))
        else {
            continue;
        };
        let mut c = tree.walk();
        let mut max = 0;
        'w: loop {
            max = max.max(c.depth());
            if c.goto_first_child() {
                continue;
            }
            loop {
                if c.goto_next_sibling() {
                    break;
                }
                if !c.goto_parent() {
                    break 'w;
                }
            }
        }
        let v = worst.entry(lang.name()).or_default();
        v.push((max, e.path.clone()));
    }
    for (l, mut v) in worst {
        v.sort();
        let n = v.len();
        let p99 = v[(n * 99 / 100).min(n - 1)].0;
        println!(
            "{l}: {n} files, p99 depth {p99}, max {:?}",
            v.iter().rev().take(3).collect::<Vec<_>>()
        );
    }
}
