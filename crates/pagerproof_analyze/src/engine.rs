//! The code engine: parse each file once with tree-sitter, walk its tree once, and at
//! each node call only the rules that asked for that node kind (a table indexed by the
//! grammar's kind id, built once per language). A parse that exceeds the per-file time
//! budget is cancelled and the file reported as skipped.
//!
//! One time budget covers the whole file: the parse is cancelled when it runs out, and the
//! walk checks the clock after every node a rule looked at (so the overrun is at most one
//! rule call, however slow a rule is on a pathological tree) and every 1024 nodes
//! otherwise. A file over budget is reported as skipped, never half-analysed.
//!
//! A tree deeper than [`MAX_TREE_DEPTH`] is skipped before any rule runs: tree-sitter's
//! `Node::parent` walks down from the root, so every rule that looks at a node's
//! ancestors pays the depth at each node, and a deeply nested file (10,000 nested
//! brackets) turns seconds of parsing into minutes of rules.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use tree_sitter::{Node, Parser, Tree};

use crate::files::Role;
use crate::lang::Lang;
use crate::rule::{CodeRule, Cx, Extractor, Handling, Hit};
use crate::signals::Signal;
use crate::timings::{self, Phase};

/// Per-language dispatch: node kind id -> indexes of the rules that visit it.
struct Table {
    by_kind: Vec<Vec<u16>>,
    /// The same, for files outside production code (tests, examples, dev scripts): the
    /// rules whose findings would be dropped there ([`Handling::Drop`]) and the extractors
    /// whose signals nobody reads there ([`Extractor::outside_production`]) are left out,
    /// so a repository's tests (half of the Go code of some) cost little more than a parse.
    by_kind_outside: Vec<Vec<u16>>,
    /// Kind ids `Bindings::collect_from` looks at (`Bindings::kinds`): the other nodes
    /// are skipped without asking their kind name.
    binding_kinds: Vec<bool>,
}

pub struct Engine {
    rules: Vec<&'static dyn CodeRule>,
    extractors: Vec<&'static dyn Extractor>,
    tables: Vec<Table>,
}

/// Table entries at or above this index are extractors.
const EXTRACTOR_BASE: u16 = 0x8000;

/// What the engine found in one file.
pub struct CodeOutput {
    pub hits: Vec<Hit>,
    pub signals: Vec<Signal>,
    pub has_error: bool,
    /// Hits past `Cx::HIT_LIMIT`, counted but not kept.
    pub dropped: usize,
}

thread_local! {
    static PARSERS: RefCell<Vec<Option<Parser>>> = RefCell::new((0..Lang::ALL.len()).map(|_| None).collect());
}

impl Engine {
    /// Builds the dispatch tables for the given (enabled) rules and the fact extractors.
    pub fn new(
        rules: Vec<&'static dyn CodeRule>,
        extractors: Vec<&'static dyn Extractor>,
    ) -> Engine {
        let tables = Lang::ALL
            .iter()
            .map(|&lang| {
                let grammar = lang.grammar();
                let count = grammar.node_kind_count();
                let mut by_kind: Vec<Vec<u16>> = vec![Vec::new(); count];
                let wanted = rules
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (i as u16, r.kinds(lang.family())))
                    .chain(
                        extractors
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (EXTRACTOR_BASE + i as u16, e.kinds(lang.family()))),
                    );
                for (ri, kinds) in wanted {
                    if kinds.is_empty() {
                        continue;
                    }
                    // A kind name can map to several ids (aliases): register them all.
                    for (id, slot) in by_kind.iter_mut().enumerate() {
                        let id = id as u16;
                        if !grammar.node_kind_is_named(id) {
                            continue;
                        }
                        if let Some(name) = grammar.node_kind_for_id(id)
                            && kinds.contains(&name)
                        {
                            slot.push(ri);
                        }
                    }
                }
                let by_kind_outside = by_kind
                    .iter()
                    .map(|slot| {
                        slot.iter()
                            .copied()
                            .filter(|&ri| match ri.checked_sub(EXTRACTOR_BASE) {
                                Some(e) => extractors[e as usize].outside_production(),
                                None => {
                                    rules[ri as usize].meta().outside_production != Handling::Drop
                                }
                            })
                            .collect()
                    })
                    .collect();
                let binding_names = crate::lang::Bindings::kinds(lang.family());
                let binding_kinds = (0..count as u16)
                    .map(|id| {
                        grammar
                            .node_kind_for_id(id)
                            .is_some_and(|name| binding_names.contains(&name))
                    })
                    .collect();
                Table {
                    by_kind,
                    by_kind_outside,
                    binding_kinds,
                }
            })
            .collect();
        Engine {
            rules,
            extractors,
            tables,
        }
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Parses `src` and runs every rule over it. `Err` carries the reason the file was
    /// skipped (time budget exceeded, parser failure, a rule panicked).
    pub fn analyze(
        &self,
        path: &str,
        lang: Lang,
        role: Role,
        src: &str,
        budget: Duration,
    ) -> Result<CodeOutput, String> {
        let timing = timings::enabled();
        let parse_start = timing.then(Instant::now);
        let start = Instant::now();
        let tree = parse(lang, src, budget)?;
        if let Some(t) = parse_start {
            timings::add(Phase::Parse, t.elapsed().as_nanos() as u64);
        }
        let table = &self.tables[lang as usize];
        let root = tree.root_node();
        let walk_start = Instant::now();
        // One cursor walk gathers the nodes in pre-order; rules are dispatched from this
        // list, and helpers that need the whole tree (bindings) reuse it instead of
        // walking the tree again.
        let nodes = preorder(root, MAX_TREE_DEPTH).map_err(|depth| {
            format!(
                "syntax tree nested deeper than {MAX_TREE_DEPTH} levels (at least {depth}): not analysed, rules would take quadratic time"
            )
        })?;
        let mut cx = Cx::with_nodes(path, lang, role, src, root, &nodes, |n| {
            table
                .binding_kinds
                .get(n.kind_id() as usize)
                .copied()
                .unwrap_or(false)
        });
        let by_kind = if role == Role::Production {
            &table.by_kind
        } else {
            &table.by_kind_outside
        };
        let current = std::cell::Cell::new(u16::MAX);
        // Per rule then per extractor: (nanoseconds, calls), only when timing.
        let mut spent: Vec<(u64, u64)> = if timing {
            vec![(0, 0); self.rules.len() + self.extractors.len()]
        } else {
            Vec::new()
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for (i, &node) in nodes.iter().enumerate() {
                let mut ran = false;
                if let Some(rules) = by_kind.get(node.kind_id() as usize) {
                    for &ri in rules {
                        current.set(ri);
                        ran = true;
                        let t = timing.then(Instant::now);
                        let slot = if ri >= EXTRACTOR_BASE {
                            let i = (ri - EXTRACTOR_BASE) as usize;
                            let e = self.extractors[i];
                            #[cfg(debug_assertions)]
                            let before = cx.signals.len();
                            e.visit(node, &mut cx);
                            #[cfg(debug_assertions)]
                            debug_assert!(
                                e.outside_production()
                                    || cx.signals[before..]
                                        .iter()
                                        .all(|s| !s.kind.used_outside_production()),
                                "extractor {} emits a signal read outside production code: it must run there",
                                e.name()
                            );
                            self.rules.len() + i
                        } else {
                            self.rules[ri as usize].check(node, &mut cx);
                            ri as usize
                        };
                        if let (Some(t), Some(s)) = (t, spent.get_mut(slot)) {
                            s.0 += t.elapsed().as_nanos() as u64;
                            s.1 += 1;
                        }
                    }
                }
                // A rule call can cost as much as the file (a scan of the source, a walk
                // of the subtree): look at the clock after each one, not only every
                // thousand nodes, so one slow rule on a huge tree cannot run away.
                if (ran || (i + 1).is_multiple_of(1024)) && start.elapsed() > budget {
                    return Err(format!(
                        "analysis exceeded the per-file budget of {} ms",
                        budget.as_millis()
                    ));
                }
            }
            Ok(())
        }));
        if timing {
            self.record_timings(walk_start.elapsed().as_nanos() as u64, &spent);
        }
        match outcome {
            Ok(Ok(())) => {
                let has_error = tree.root_node().has_error();
                let dropped = cx.dropped_hits();
                let (hits, signals) = cx.into_parts();
                Ok(CodeOutput {
                    hits,
                    signals,
                    has_error,
                    dropped,
                })
            }
            Ok(Err(reason)) => Err(reason),
            Err(panic) => {
                let ri = current.get();
                let name = if ri >= EXTRACTOR_BASE {
                    self.extractors
                        .get((ri - EXTRACTOR_BASE) as usize)
                        .map(|e| e.name())
                } else {
                    self.rules.get(ri as usize).map(|r| r.meta().id)
                };
                Err(format!(
                    "internal error in rule {}: {}",
                    name.unwrap_or("?"),
                    panic_message(&panic)
                ))
            }
        }
    }
}

impl Engine {
    /// Adds one file's walk and per-rule times to the process-wide accounting.
    fn record_timings(&self, walk_ns: u64, spent: &[(u64, u64)]) {
        let rules_ns: u64 = spent.iter().map(|s| s.0).sum();
        timings::add(Phase::Walk, walk_ns.saturating_sub(rules_ns));
        timings::add(Phase::Rules, rules_ns);
        let names = self
            .rules
            .iter()
            .map(|r| r.meta().id)
            .chain(self.extractors.iter().map(|e| e.name()));
        timings::add_rules(
            names
                .zip(spent)
                .filter(|(_, s)| s.1 > 0)
                .map(|(name, s)| (name, s.0, s.1)),
        );
    }
}

/// Deepest syntax tree the rules run on. Real code stays under 100 levels (p99 25-40 on
/// five corpora); the deepest file seen, a generated TypeScript SDK of 1.9 MB, has 615.
pub const MAX_TREE_DEPTH: u32 = 2_000;

/// Every node of the tree under `root` (itself included), in pre-order; `Err(depth)` when
/// the tree is nested deeper than `limit` (the walk stops there).
fn preorder(root: Node<'_>, limit: u32) -> Result<Vec<Node<'_>>, u32> {
    let mut out = Vec::with_capacity(root.descendant_count());
    let mut cursor = root.walk();
    // The depth is counted here: `TreeCursor::depth` walks the cursor's stack each time.
    let mut depth = 0u32;
    loop {
        if depth > limit {
            return Err(depth);
        }
        out.push(cursor.node());
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return Ok(out);
            }
            depth -= 1;
        }
    }
}

/// Parses with this thread's parser for the language, cancelling past `budget`.
pub fn parse(lang: Lang, src: &str, budget: Duration) -> Result<Tree, String> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang as usize];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(lang.grammar())
                .map_err(|e| format!("grammar not loadable: {e}"))?;
            *slot = Some(p);
        }
        let Some(parser) = slot.as_mut() else {
            return Err("no parser".to_string());
        };
        let start = Instant::now();
        let mut progress = |_: &tree_sitter::ParseState| {
            if start.elapsed() > budget {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let bytes = src.as_bytes();
        let mut input =
            |offset: usize, _: tree_sitter::Point| -> &[u8] { bytes.get(offset..).unwrap_or(&[]) };
        let tree = parser.parse_with_options(
            &mut input,
            None,
            Some(tree_sitter::ParseOptions::new().progress_callback(&mut progress)),
        );
        match tree {
            Some(t) => Ok(t),
            None => {
                parser.reset();
                if start.elapsed() > budget {
                    Err(format!(
                        "parse exceeded the per-file budget of {} ms",
                        budget.as_millis()
                    ))
                } else {
                    Err("parser gave up".to_string())
                }
            }
        }
    })
}

pub fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use pagerproof_core::{Confidence, Severity};

    use super::*;
    use crate::lang::Family;
    use crate::rule::{Docs, RuleMeta};
    use crate::signals::SignalKind;

    const fn meta(id: &'static str, outside_production: Handling) -> RuleMeta {
        RuleMeta {
            id,
            category: "TIMEOUT",
            severity: Severity::P2,
            confidence: Confidence::High,
            preview: false,
            languages: &["python"],
            summary: "",
            docs: Docs {
                what: "",
                scenario: "",
                impact: "",
                detection: "",
                mitigation: "",
                fixes: &[],
                monitoring: "",
            },
            outside_production,
            cases: &[],
        }
    }

    static DROP_META: RuleMeta = meta("test-drop", Handling::Drop);
    static KEEP_META: RuleMeta = meta("test-keep", Handling::Keep);

    /// Counts its calls (one counter per test rule, so tests do not share them).
    struct Counting(&'static RuleMeta, &'static AtomicUsize);

    impl CodeRule for Counting {
        fn meta(&self) -> &'static RuleMeta {
            self.0
        }
        fn kinds(&self, _: Family) -> &'static [&'static str] {
            &["call"]
        }
        fn check(&self, _: Node<'_>, _: &mut Cx<'_>) {
            self.1.fetch_add(1, Ordering::Relaxed);
        }
    }

    struct Emitting(bool, SignalKind);

    impl Extractor for Emitting {
        fn name(&self) -> &'static str {
            "test-extractor"
        }
        fn kinds(&self, _: Family) -> &'static [&'static str] {
            &["call"]
        }
        fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
            cx.signal(self.1, node, "x");
        }
        fn outside_production(&self) -> bool {
            self.0
        }
    }

    static DROPPED: AtomicUsize = AtomicUsize::new(0);
    static KEPT: AtomicUsize = AtomicUsize::new(0);
    static DROP_RULE: Counting = Counting(&DROP_META, &DROPPED);
    static KEEP_RULE: Counting = Counting(&KEEP_META, &KEPT);
    static PRODUCTION_ONLY: Emitting = Emitting(false, SignalKind::Metrics);
    static EVERYWHERE: Emitting = Emitting(true, SignalKind::HttpServer);

    #[test]
    fn files_outside_production_skip_dropped_rules_and_unread_extractors() {
        let engine = Engine::new(
            vec![&DROP_RULE, &KEEP_RULE],
            vec![&PRODUCTION_ONLY, &EVERYWHERE],
        );
        let src = "import requests\nrequests.get(u)\nrequests.post(u)\n";
        let run = |role| {
            engine
                .analyze("app/x.py", Lang::Python, role, src, Duration::from_secs(10))
                .map(|o| o.signals.iter().map(|s| s.kind).collect::<Vec<_>>())
        };
        let prod = run(Role::Production);
        assert_eq!(
            prod,
            Ok(vec![
                SignalKind::Metrics,
                SignalKind::HttpServer,
                SignalKind::Metrics,
                SignalKind::HttpServer
            ])
        );
        assert_eq!(
            (
                DROPPED.load(Ordering::Relaxed),
                KEPT.load(Ordering::Relaxed)
            ),
            (2, 2)
        );
        let test = run(Role::Test);
        assert_eq!(
            test,
            Ok(vec![SignalKind::HttpServer, SignalKind::HttpServer])
        );
        assert_eq!(
            (
                DROPPED.load(Ordering::Relaxed),
                KEPT.load(Ordering::Relaxed)
            ),
            (2, 4),
            "the Drop rule does not run on a test file, the Keep rule does"
        );
    }

    #[test]
    #[cfg(debug_assertions)]
    fn an_extractor_skipped_outside_production_must_not_emit_signals_read_there() {
        static WRONG: Emitting = Emitting(false, SignalKind::Route);
        let engine = Engine::new(Vec::new(), vec![&WRONG]);
        let out = engine.analyze(
            "app/x.py",
            Lang::Python,
            Role::Production,
            "f()\n",
            Duration::from_secs(10),
        );
        let err = out.err().unwrap_or_default();
        assert!(
            err.contains("emits a signal read outside production code"),
            "{err}"
        );
    }
}
