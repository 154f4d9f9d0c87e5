//! The user's four seed documents load as personas. They live in `../shared/spec/seeds`
//! next to the workspace (as in CI); a clone without that folder skips this test and says so.

use std::path::PathBuf;

use pagerproof_llm::persona;
use pagerproof_llm::provider::Provider;

/// `<workspace>/../shared/spec/seeds`; `PAGERPROOF_SEEDS_DIR` overrides it (a worktree
/// whose parent has no `shared/`).
fn seeds_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("PAGERPROOF_SEEDS_DIR") {
        return PathBuf::from(d);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join("../shared/spec/seeds")
}

#[test]
fn all_four_seed_documents_load_as_personas() {
    let dir = seeds_dir();
    if !dir.is_dir() {
        println!(
            "skipped: {} does not exist (only CI and the team's machines have ../shared)",
            dir.display()
        );
        return;
    }
    let names = [
        "staff-engineer-agent.md",
        "production-readiness-review.md",
        "sre-deployment-review.md",
        "staff-engineer-review.md",
    ];
    for n in names {
        let path = dir.join(n);
        let p = persona::load_file(&path).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert!(!p.instructions.is_empty(), "{n}: no instructions");
        if n == "staff-engineer-agent.md" {
            // Front matter that is not valid YAML is read as far as it can be.
            assert_eq!(p.name, "staff-engineer");
            let m = p.model.as_ref().expect("model");
            assert_eq!(m.provider, Some(Provider::Anthropic));
            assert_eq!(m.name, "claude-sonnet-4-5");
            assert_eq!(p.fallbacks[0].name, "claude-haiku-4-5");
            assert_eq!(p.tools.get("write"), Some(&true));
            assert_eq!(
                p.permission.decide("bash", "git log -n 5 -- ."),
                Some(persona::Action::Allow)
            );
            assert_eq!(
                p.permission.decide("bash", "rm -rf /"),
                Some(persona::Action::Ask)
            );
            assert!(
                p.description.starts_with("Use this agent"),
                "{}",
                p.description
            );
            assert!(
                p.warnings.iter().any(|w| w.contains("`description`")),
                "the skipped part is named: {:?}",
                p.warnings
            );
            assert!(p.instructions.starts_with("# Staff Engineer"));
        } else {
            // No front matter: defaults, named after the file.
            assert_eq!(p.name, n.trim_end_matches(".md"));
            assert!(p.model.is_none() && p.fallbacks.is_empty());
            assert!(!p.wants_tools());
            assert!(p.warnings.is_empty(), "{n}: {:?}", p.warnings);
        }
        println!(
            "{n}: persona `{}` ({} warning(s))",
            p.name,
            p.warnings.len()
        );
    }
}
