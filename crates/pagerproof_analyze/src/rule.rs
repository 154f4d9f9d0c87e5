//! What a rule is: its metadata and documentation ([`RuleMeta`]), its fixtures
//! ([`Case`]), and for code rules the node kinds it visits and its check ([`CodeRule`]).
//!
//! A rule's documentation lives in its `RuleMeta`, in the SRE document's risk format
//! (what / scenario / impact / detection / mitigation with a fix per language /
//! monitoring). `pagerproof explain` prints it, `docs/rules/` is generated from it, and
//! every finding carries its text. Fixtures live beside it: a test runs every case of
//! every rule and checks each expected finding by line, column and message.

use pagerproof_core::{Confidence, Evidence, Severity};
use tree_sitter::Node;

use crate::files::Role;
use crate::lang::{Family, Lang};
use crate::signals::{Signal, SignalKind};

/// What happens to a rule's findings outside production code (tests, examples, dev
/// scripts, documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handling {
    /// Not reported.
    Drop,
    /// Reported one severity lower, marked with its context.
    Lower,
    /// Reported as in production (the rule decides itself).
    Keep,
}

impl Handling {
    pub fn describe(self) -> &'static str {
        match self {
            Handling::Drop => "not reported in tests, examples, dev scripts and documentation",
            Handling::Lower => {
                "reported one severity lower in tests, examples, dev scripts and documentation"
            }
            Handling::Keep => {
                "reported everywhere; the rule itself tells test values from live ones"
            }
        }
    }
}

/// A rule's documentation, in the risk format of `seeds/sre-deployment-review.md`.
#[derive(Debug)]
pub struct Docs {
    /// What the rule detects, what it knows counts as safe, and what it does not look at.
    pub what: &'static str,
    /// When this will happen.
    pub scenario: &'static str,
    /// What breaks and for whom.
    pub impact: &'static str,
    /// How you would know it is happening.
    pub detection: &'static str,
    /// How to fix it, in prose; `fixes` has code.
    pub mitigation: &'static str,
    /// Fix examples: (language name as in `Lang::name`, or `yaml`/`dockerfile`..., code).
    pub fixes: &'static [(&'static str, &'static str)],
    /// What to alert on.
    pub monitoring: &'static str,
}

/// A fixture: one or more files (path, source) reviewed together. Expected findings of
/// the rule are marked in the source by a line of the form `^ message text` placed just
/// under the flagged line, with the caret in the flagged column. Marker lines are removed
/// before the review, so they need not be valid code. A case with no marker expects no
/// finding of the rule.
#[derive(Debug)]
pub struct Case {
    pub files: &'static [(&'static str, &'static str)],
}

/// A single-file fixture: `case!("app/client.py", "source")`.
#[macro_export]
macro_rules! case {
    ($path:expr, $src:expr) => {
        $crate::rule::Case {
            files: &[($path, $src)],
        }
    };
}

/// Static metadata of a rule: the one source of its id, category, defaults and docs.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id named after the gap (`http-client-without-timeout`). Never renamed.
    pub id: &'static str,
    /// A taxonomy category (`spec/taxonomy.md`).
    pub category: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Off by default until it is precise enough (`--preview` or `rules.enable` turn it on).
    pub preview: bool,
    /// The languages or file kinds it covers, for docs (`python`, `go`, `dockerfile`, ...).
    pub languages: &'static [&'static str],
    /// One line, shown in `pagerproof rules`.
    pub summary: &'static str,
    pub docs: Docs,
    pub outside_production: Handling,
    pub cases: &'static [Case],
}

impl RuleMeta {
    /// The fix example for a language, or the first one.
    pub fn fix_for(&self, language: &str) -> Option<(&'static str, &'static str)> {
        self.docs
            .fixes
            .iter()
            .find(|(l, _)| *l == language)
            .or_else(|| self.docs.fixes.first())
            .copied()
    }
}

/// A code rule: the node kinds it wants, per language family, and a check called on each
/// such node. The engine parses a file once and walks it once, dispatching by kind.
pub trait CodeRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Node kinds (tree-sitter names) to visit in this language family; empty = none.
    fn kinds(&self, family: Family) -> &'static [&'static str];
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>);
}

/// A fact extractor: like a code rule, but it only emits signals (evidence for component
/// facts: a health route, a SIGTERM handler, a metrics client), never findings.
pub trait Extractor: Send + Sync {
    fn name(&self) -> &'static str;
    fn kinds(&self, family: Family) -> &'static [&'static str];
    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>);
    /// Whether it runs on files outside production code. `false` only for an extractor
    /// that emits no kind for which [`SignalKind::used_outside_production`] holds (the
    /// engine checks this in debug builds).
    fn outside_production(&self) -> bool {
        true
    }
}

/// A raw finding, before the engine adds component, docs, snippet and fingerprint.
#[derive(Clone, Debug)]
pub struct Hit {
    pub rule: &'static RuleMeta,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub subject: String,
    pub message: String,
    pub severity: Option<Severity>,
    pub confidence: Option<Confidence>,
    /// Text that identifies the site for the fingerprint (normalised later).
    pub site_text: String,
    /// Values to redact from snippets and messages (secrets).
    pub secrets: Vec<String>,
    pub related: Vec<Evidence>,
    /// The hit is kept only if the condition holds after every file was analysed.
    pub requires: Option<Requirement>,
    /// Repeats of the same gap in one file (same rule and key) are reported once, the
    /// other sites listed as related evidence: thirty `_ = server.Register(...)` lines
    /// are one decision, not thirty findings.
    pub group: Option<String>,
    /// Group across the files of one folder instead of one file, keeping the last site
    /// in path order (the newest of a folder of migrations).
    pub group_folder: bool,
}

/// A condition on the whole review that a deferred hit needs (resolved in aggregation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// Another finding of this rule exists in the same component.
    ComponentHasRule(&'static str),
    /// A function of this name, declared in the same folder (a Go package), returns an
    /// error (signal `FuncReturnsError`).
    GoFuncReturnsError { dir: String, name: String },
    /// Function `func` (in the Go package at `dir`) receives its context from a server
    /// entry point (gRPC method, HTTP handler) or a `Background()`/request context through
    /// same-package callers, with no deadline added on the way.
    GoRequestCtxWithoutDeadline { dir: String, func: String },
    /// No file with this path exists in the review (a migration's missing `.down.sql`).
    FileAbsent(String),
    /// The component serves HTTP or gRPC (a file of it emitted `HttpServer`, `GrpcServer`
    /// or `Route` signals).
    ComponentServes,
    /// The file is not below a `package.json` that builds a browser application
    /// (`Artifact::BrowserApp`): a browser's `fetch` is not a server's pager risk.
    OutsideBrowserApp,
    /// The component's image or Procfile starts no Python application server (gunicorn,
    /// uvicorn, hypercorn, granian, uWSGI, waitress: an `HttpServer` signal with that
    /// detail): a development server under `if __name__ == "__main__"` is then what runs.
    NoPythonAppServer,
    /// Another finding of `rule` with this exact `subject` exists in the same component
    /// (an injected Spring `RestTemplate` call, kept when the component's only way of
    /// building one is a `new RestTemplate()` without timeouts).
    ComponentHasSubject {
        rule: &'static str,
        subject: &'static str,
    },
}

impl Hit {
    /// A hit at a 1-based line and column (manifests and text formats use this).
    pub fn at(
        rule: &'static RuleMeta,
        line: u32,
        column: u32,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Hit {
        Hit {
            rule,
            line,
            column,
            end_line: line,
            end_column: column,
            subject: subject.into(),
            message: message.into(),
            severity: None,
            confidence: None,
            site_text: String::new(),
            secrets: Vec::new(),
            related: Vec::new(),
            requires: None,
            group: None,
            group_folder: false,
        }
    }

    pub fn severity(&mut self, s: Severity) -> &mut Hit {
        self.severity = Some(s);
        self
    }

    pub fn confidence(&mut self, c: Confidence) -> &mut Hit {
        self.confidence = Some(c);
        self
    }

    pub fn secret(&mut self, value: impl Into<String>) -> &mut Hit {
        self.secrets.push(value.into());
        self
    }

    pub fn site(&mut self, text: impl Into<String>) -> &mut Hit {
        self.site_text = text.into();
        self
    }

    pub fn requires(&mut self, r: Requirement) -> &mut Hit {
        self.requires = Some(r);
        self
    }

    pub fn group(&mut self, key: impl Into<String>) -> &mut Hit {
        self.group = Some(key.into());
        self
    }

    /// Like [`Hit::group`], across a folder: one finding per folder, at its last file.
    pub fn group_in_folder(&mut self, key: impl Into<String>) -> &mut Hit {
        self.group = Some(key.into());
        self.group_folder = true;
        self
    }

    pub fn related(&mut self, e: Evidence) -> &mut Hit {
        self.related.push(e);
        self
    }
}

/// How many callees `Cx::callee` remembers.
const CALLEE_MEMO: usize = 4;

/// Per-file context handed to code rules: the source, helpers to read nodes, and the
/// sinks for hits and signals.
pub struct Cx<'a> {
    pub path: &'a str,
    pub lang: Lang,
    pub role: Role,
    pub src: &'a str,
    pub root: Node<'a>,
    pub(crate) hits: Vec<Hit>,
    pub(crate) signals: Vec<Signal>,
    /// Lazily computed import table (alias -> module), per language.
    imports: std::cell::OnceCell<crate::lang::Imports>,
    /// Collected up front (not lazily) so that `Cx` stays covariant in `'a`.
    bindings: crate::lang::Bindings<'a>,
    /// The file's nodes in pre-order, when the engine has them (empty otherwise).
    preorder: &'a [Node<'a>],
    /// The last callees computed (a few, most recent first): the engine calls every rule
    /// interested in a node one after the other, and most of them start by asking for the
    /// callee; some ask about another call on the way (a receiver's constructor), which
    /// would evict a single remembered entry.
    last_callee: std::cell::RefCell<Vec<(usize, (String, String))>>,
    request_paths: std::cell::OnceCell<crate::rules::reach::Cached>,
    /// Per-file yes/no answers rules compute once (`file_flag`).
    flags: std::cell::RefCell<Vec<(&'static str, bool)>>,
    /// Hits past [`Cx::HIT_LIMIT`]: counted, written to `spare`, not kept.
    dropped: usize,
    spare: Option<Hit>,
}

impl<'a> Cx<'a> {
    pub fn new(path: &'a str, lang: Lang, role: Role, src: &'a str, root: Node<'a>) -> Cx<'a> {
        let bindings = crate::lang::Bindings::collect(lang.family(), root, src);
        Cx::with_bindings(path, lang, role, src, root, bindings)
    }

    /// Like [`Cx::new`], given the tree's nodes in pre-order (the engine has them), which
    /// saves walking the whole tree again to collect the bindings; `binding_kind` tells
    /// (by kind id, cheaply) which nodes may be bindings (`Bindings::kinds`). Rules can
    /// read the list back with [`Cx::preorder`].
    pub fn with_nodes(
        path: &'a str,
        lang: Lang,
        role: Role,
        src: &'a str,
        root: Node<'a>,
        nodes: &'a [Node<'a>],
        binding_kind: impl Fn(&Node<'a>) -> bool,
    ) -> Cx<'a> {
        let bindings = crate::lang::Bindings::collect_from(
            lang.family(),
            nodes.iter().copied().filter(|n| binding_kind(n)),
            src,
        );
        let mut cx = Cx::with_bindings(path, lang, role, src, root, bindings);
        cx.preorder = nodes;
        cx
    }

    /// Every node of the file in pre-order, when the engine built the list (`None` for a
    /// `Cx::new`): iterating it is cheaper than walking the tree with a cursor again.
    pub fn preorder(&self) -> Option<&'a [Node<'a>]> {
        (!self.preorder.is_empty()).then_some(self.preorder)
    }

    /// A node's kind name, by table (see [`Lang::kind_of`]): same as `n.kind()`, cheaper.
    #[inline]
    pub fn kind<'t>(&self, n: Node<'t>) -> &'t str {
        self.lang.kind_of(n)
    }

    fn with_bindings(
        path: &'a str,
        lang: Lang,
        role: Role,
        src: &'a str,
        root: Node<'a>,
        bindings: crate::lang::Bindings<'a>,
    ) -> Cx<'a> {
        Cx {
            path,
            lang,
            role,
            src,
            root,
            hits: Vec::new(),
            signals: Vec::new(),
            imports: std::cell::OnceCell::new(),
            bindings,
            preorder: &[],
            last_callee: std::cell::RefCell::new(Vec::with_capacity(CALLEE_MEMO)),
            request_paths: std::cell::OnceCell::new(),
            flags: std::cell::RefCell::new(Vec::new()),
            dropped: 0,
            spare: None,
        }
    }

    /// Most hits one file keeps (a degenerate file would otherwise hold one per node).
    pub const HIT_LIMIT: usize = 5_000;

    /// Hits past the limit, not kept.
    pub fn dropped_hits(&self) -> usize {
        self.dropped
    }

    pub fn family(&self) -> Family {
        self.lang.family()
    }

    /// The source text of a node ("" if its range is not valid UTF-8 boundaries).
    pub fn text(&self, n: Node<'_>) -> &'a str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a node's start.
    pub fn pos(&self, n: Node<'_>) -> (u32, u32) {
        let p = n.start_position();
        (p.row as u32 + 1, self.column_of(n.start_byte(), p.column))
    }

    fn column_of(&self, byte: usize, byte_col: usize) -> u32 {
        let line_start = byte.saturating_sub(byte_col);
        let chars = self
            .src
            .get(line_start..byte)
            .map(|s| s.chars().count())
            .unwrap_or(byte_col);
        chars as u32 + 1
    }

    /// Imports of this file (alias -> fully qualified module or symbol).
    pub fn imports(&self) -> &crate::lang::Imports {
        self.imports
            .get_or_init(|| crate::lang::Imports::collect(self.lang, self.root, self.src))
    }

    /// Assignments of this file (name -> assigned expressions).
    pub fn bindings(&self) -> &crate::lang::Bindings<'a> {
        &self.bindings
    }

    /// The request handlers of this file and the functions they reach (computed once per
    /// file; see `rules/reach.rs`). A copy, so rules can keep it while recording hits.
    pub fn request_paths(&self) -> crate::rules::reach::RequestPaths<'a> {
        let cached = self
            .request_paths
            .get_or_init(|| crate::rules::reach::RequestPaths::collect(self).to_cached());
        crate::rules::reach::RequestPaths::from_cached(cached, self.root)
    }

    /// A yes/no question about the whole file, answered once and remembered under `key`
    /// (rules and extractors visit many nodes per file; a file-wide scan per node would be
    /// quadratic).
    pub fn file_flag(&self, key: &'static str, compute: impl FnOnce() -> bool) -> bool {
        if let Some((_, v)) = self.flags.borrow().iter().find(|(k, _)| *k == key) {
            return *v;
        }
        let v = compute();
        self.flags.borrow_mut().push((key, v));
        v
    }

    /// The callee of a call as written (`rq.get`), and resolved through the imports
    /// (`requests.get`).
    pub fn callee(&self, call: Node<'_>) -> (String, String) {
        let id = call.id();
        if let Some((_, v)) = self.last_callee.borrow().iter().find(|(i, _)| *i == id) {
            return v.clone();
        }
        let written = crate::lang::syntax::callee_text(call, self.src);
        let resolved = self.imports().resolve(&written);
        let mut memo = self.last_callee.borrow_mut();
        if memo.len() >= CALLEE_MEMO {
            memo.pop();
        }
        memo.insert(0, (id, (written.clone(), resolved.clone())));
        (written, resolved)
    }

    /// Records a finding of `rule` at `node`.
    pub fn hit(
        &mut self,
        rule: &'static RuleMeta,
        node: Node<'_>,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Hit {
        let (line, column) = self.pos(node);
        let end = node.end_position();
        let end_column = self.column_of(node.end_byte(), end.column);
        let text = self.text(node);
        let site: String = text.chars().take(240).collect();
        let mut h = Hit::at(rule, line, column, subject, message);
        h.end_line = end.row as u32 + 1;
        h.end_column = end_column;
        h.site_text = site;
        if self.hits.len() >= Self::HIT_LIMIT {
            self.dropped += 1;
            return self.spare.insert(h);
        }
        self.hits.push(h);
        // Just pushed, so the vector is not empty.
        let last = self.hits.len() - 1;
        &mut self.hits[last]
    }

    /// Records a signal (evidence for a component fact) at `node`.
    pub fn signal(&mut self, kind: SignalKind, node: Node<'_>, detail: impl Into<String>) {
        let (line, _) = self.pos(node);
        self.signals.push(Signal {
            kind,
            line,
            detail: detail.into(),
        });
    }

    pub fn into_parts(self) -> (Vec<Hit>, Vec<Signal>) {
        (self.hits, self.signals)
    }
}
