//! Helm charts: templates rendered with the chart's own `values.yaml` defaults, as far as
//! that can be done soundly, then read as Kubernetes YAML with line numbers pointing back
//! into the template.
//!
//! The renderer is a subset of Go templates: `.Values`, `.Release`, `.Chart`, `$` and
//! template variables (`$x := ...`); `if`/`else if`/`else`/`with`/`range`/`end`; pipelines
//! with `default`, `quote`, `squote`, `toYaml`, `nindent`, `indent`, `upper`, `lower`,
//! `trim`, `trunc`, `trimSuffix`, `trimPrefix`, `replace`, `toString`, `int`, `b64enc`,
//! `printf`, `required`, `not`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `and`, `or`, `empty`,
//! `len`, `hasKey`, `contains`, `hasPrefix`, `hasSuffix`, `coalesce`, `ternary`. The cluster
//! is assumed recent: `.Capabilities.APIVersions.Has` is true and `semverCompare` against
//! `.Capabilities.KubeVersion` holds (this only chooses between API versions). Anything
//! else (`include`, `template`, `tpl`, `lookup`, ...) renders as an *unresolved* value: a
//! scalar placeholder, or, where it produces a block, a mapping marker that tells the checks
//! this mapping may hold keys pagerproof cannot see, so no absence is concluded from it. A
//! condition or loop that depends on an unresolved value makes the whole template not
//! analysed (listed in the report's `not_analyzed`), never guessed.

use crate::files;
use crate::manifests::yaml::{self, Entry, UNRESOLVED_KEY, UNRESOLVED_VALUE, V, Y};
use crate::manifests::{Artifact, ManifestOutput};

/// Whether a YAML file is a Helm template (under a `templates/` folder, with actions).
pub fn is_template(path: &str, text: &str) -> bool {
    (path.contains("/templates/") || path.starts_with("templates/")) && text.contains("{{")
}

pub fn is_chart_file(lower_name: &str) -> bool {
    matches!(
        lower_name,
        "chart.yaml" | "chart.yml" | "values.yaml" | "values.yml"
    )
}

/// Records `Chart.yaml` metadata or `values.yaml` defaults.
pub fn analyze_chart_file(lower_name: &str, docs: &[Y], out: &mut ManifestOutput) {
    let Some(d) = docs.first() else {
        return;
    };
    if lower_name.starts_with("chart.") {
        let s = |k: &str| d.get(k).map(Y::text).unwrap_or("").to_string();
        if d.get("name").is_some() {
            out.artifacts.push(Artifact::ProjectName(s("name")));
            out.artifacts.push(Artifact::HelmChart {
                name: s("name"),
                version: s("version"),
                app_version: s("appVersion"),
            });
        }
    } else {
        out.artifacts
            .push(Artifact::HelmValues(Box::new(d.clone())));
    }
}

/// The chart folder of a template path (`chart/templates/x.yaml` -> `chart`).
pub fn chart_dir(template_path: &str) -> &str {
    match template_path.rfind("/templates/") {
        Some(i) => &template_path[..i],
        None if template_path.starts_with("templates/") => ".",
        None => files::parent_dir(template_path),
    }
}

/// Chart context for rendering.
pub struct Chart<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub app_version: &'a str,
    pub values: Option<&'a Y>,
}

/// A rendered template: YAML documents with template line numbers, and what could not be
/// resolved inside it.
pub struct Rendered {
    pub docs: Vec<Y>,
    pub unresolved: usize,
}

/// Renders a template with the chart's defaults; `Err` says why it cannot be analysed.
pub fn render(text: &str, chart: &Chart<'_>) -> Result<Rendered, String> {
    let segs = lex(text)?;
    let (nodes, rest) = parse_nodes(&segs, 0, 0)?;
    if rest != segs.len() {
        return Err("unbalanced `{{ end }}`".to_string());
    }
    let root = chart.values.cloned().map(Val::Y).unwrap_or(Val::Null);
    let mut r = Renderer {
        chart,
        out: String::new(),
        map: Vec::new(),
        line_src: None,
        unresolved: 0,
        vars: Vec::new(),
        root: root.clone(),
        iterations: 0,
    };
    r.nodes(&nodes, &root)?;
    r.finish();
    let docs = yaml::load(&r.out)
        .map_err(|e| format!("rendered template is not YAML ({})", e.reason()))?;
    let map = r.map;
    let mut docs = docs;
    for d in docs.iter_mut() {
        d.remap_lines(&|l| map.get(l.saturating_sub(1) as usize).copied().unwrap_or(l));
    }
    Ok(Rendered {
        docs,
        unresolved: r.unresolved,
    })
}

/// Deepest nesting of `if`/`with`/`range` rendered (hostile templates).
const MAX_NESTING: usize = 64;
/// Longest expression evaluated, and deepest parenthesis nesting in it.
const MAX_EXPR: usize = 2048;
const MAX_PARENS: usize = 16;

#[derive(Debug, Clone)]
enum Seg {
    /// Literal text and the template line it starts on.
    Text(String, u32),
    /// An action's inner text and its line.
    Action(String, u32),
}

fn lex(text: &str) -> Result<Vec<Seg>, String> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    // Template line at `pos`.
    let mut line = 1u32;
    let mut trim_next = false;
    loop {
        let start = text[pos..].find("{{").map(|i| pos + i);
        let raw = &text[pos..start.unwrap_or(text.len())];
        let mut lit: &str = raw;
        let mut lit_line = line;
        if trim_next {
            let t = lit.trim_start();
            lit_line += lit[..lit.len() - t.len()].matches('\n').count() as u32;
            lit = t;
        }
        let Some(start) = start else {
            if !lit.is_empty() {
                out.push(Seg::Text(lit.to_string(), lit_line));
            }
            return Ok(out);
        };
        let after = &text[start + 2..];
        let trim_left = after.starts_with('-') && after[1..].starts_with([' ', '\t', '\n', '\r']);
        if trim_left {
            lit = lit.trim_end();
        }
        if !lit.is_empty() {
            out.push(Seg::Text(lit.to_string(), lit_line));
        }
        line += raw.matches('\n').count() as u32;
        let Some(end) = after.find("}}") else {
            return Err("unterminated `{{`".to_string());
        };
        let inner_raw = &after[..end];
        let trim_right = inner_raw.ends_with('-')
            && inner_raw[..inner_raw.len() - 1].ends_with([' ', '\t', '\n', '\r']);
        let mut inner = inner_raw;
        if trim_left {
            inner = &inner[1..];
        }
        if trim_right {
            inner = &inner[..inner.len() - 1];
        }
        let inner = inner.trim();
        if !(inner.starts_with("/*") && inner.ends_with("*/")) {
            out.push(Seg::Action(inner.to_string(), line));
        }
        line += inner_raw.matches('\n').count() as u32;
        trim_next = trim_right;
        pos = start + 2 + end + 2;
    }
}

#[derive(Debug)]
enum Node {
    Text(String, u32),
    Expr(String, u32),
    If {
        branches: Vec<(String, u32, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    With {
        expr: String,
        line: u32,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Range {
        /// `$k, $v :=` (key variable optional).
        vars: Option<(Option<String>, String)>,
        expr: String,
        line: u32,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    /// `$x := expr` or `$x = expr`.
    Assign(String, String),
}

fn keyword(a: &str) -> &str {
    a.split_whitespace().next().unwrap_or("")
}

/// Parses segments from `i` until an `end`/`else` at this level; returns the nodes and
/// the index of the terminating segment (or `segs.len()`).
fn parse_nodes(segs: &[Seg], mut i: usize, depth: usize) -> Result<(Vec<Node>, usize), String> {
    if depth > MAX_NESTING {
        return Err(format!(
            "control structures nested deeper than {MAX_NESTING}"
        ));
    }
    let d = depth + 1;
    let mut out = Vec::new();
    while i < segs.len() {
        match &segs[i] {
            Seg::Text(t, l) => {
                out.push(Node::Text(t.clone(), *l));
                i += 1;
            }
            Seg::Action(a, l) => match keyword(a) {
                "end" | "else" => return Ok((out, i)),
                "if" => {
                    let mut branches = Vec::new();
                    let mut cond = a[2..].trim().to_string();
                    let mut cline = *l;
                    let mut otherwise = Vec::new();
                    i += 1;
                    loop {
                        let (body, j) = parse_nodes(segs, i, d)?;
                        let Some(Seg::Action(term, tl)) = segs.get(j) else {
                            return Err("`if` without `end`".to_string());
                        };
                        branches.push((cond.clone(), cline, body));
                        i = j + 1;
                        if keyword(term) == "end" {
                            break;
                        }
                        let rest = term[4..].trim();
                        if let Some(c) = rest.strip_prefix("if ") {
                            cond = c.trim().to_string();
                            cline = *tl;
                            continue;
                        }
                        if !rest.is_empty() {
                            return Err(format!("unsupported `else {rest}`"));
                        }
                        let (body, j) = parse_nodes(segs, i, d)?;
                        match segs.get(j) {
                            Some(Seg::Action(t, _)) if keyword(t) == "end" => {}
                            _ => return Err("`else` without `end`".to_string()),
                        }
                        otherwise = body;
                        i = j + 1;
                        break;
                    }
                    out.push(Node::If {
                        branches,
                        otherwise,
                    });
                }
                "with" => {
                    let expr = a[4..].trim().to_string();
                    let (body, j) = parse_nodes(segs, i + 1, d)?;
                    let Some(Seg::Action(term, _)) = segs.get(j) else {
                        return Err("`with` without `end`".to_string());
                    };
                    let mut otherwise = Vec::new();
                    i = j + 1;
                    if keyword(term) == "else" {
                        if term.trim() != "else" {
                            return Err("unsupported `else with`".to_string());
                        }
                        let (b, k) = parse_nodes(segs, i, d)?;
                        otherwise = b;
                        i = k + 1;
                    }
                    out.push(Node::With {
                        expr,
                        line: *l,
                        body,
                        otherwise,
                    });
                }
                "range" => {
                    let spec = a[5..].trim();
                    let (vars, expr) = match spec.split_once(":=") {
                        Some((v, e)) => {
                            let names: Vec<String> =
                                v.split(',').map(|x| x.trim().to_string()).collect();
                            let vars = match names.as_slice() {
                                [v] => (None, v.clone()),
                                [k, v] => (Some(k.clone()), v.clone()),
                                _ => return Err(format!("line {l}: unsupported `range {spec}`")),
                            };
                            (Some(vars), e.trim().to_string())
                        }
                        None => (None, spec.to_string()),
                    };
                    let (body, j) = parse_nodes(segs, i + 1, d)?;
                    let Some(Seg::Action(term, _)) = segs.get(j) else {
                        return Err("`range` without `end`".to_string());
                    };
                    let mut otherwise = Vec::new();
                    i = j + 1;
                    if keyword(term) == "else" {
                        let (b, k) = parse_nodes(segs, i, d)?;
                        otherwise = b;
                        i = k + 1;
                    }
                    out.push(Node::Range {
                        vars,
                        expr,
                        line: *l,
                        body,
                        otherwise,
                    });
                }
                "define" | "block" => {
                    return Err(format!(
                        "line {l}: `{}` blocks are not rendered",
                        keyword(a)
                    ));
                }
                _ if a.starts_with('$') && (a.contains(":=") || a.contains(" = ")) => {
                    let (name, expr) = a
                        .split_once(":=")
                        .or_else(|| a.split_once(" = "))
                        .unwrap_or((a, ""));
                    out.push(Node::Assign(
                        name.trim().to_string(),
                        expr.trim().to_string(),
                    ));
                    i += 1;
                }
                _ => {
                    out.push(Node::Expr(a.clone(), *l));
                    i += 1;
                }
            },
        }
    }
    Ok((out, i))
}

/// A template value.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Y(Y),
    Str(String),
    Bool(bool),
    Int(i64),
    Null,
    Unknown,
}

impl Val {
    fn truthy(&self) -> Option<bool> {
        Some(match self {
            Val::Unknown => return None,
            Val::Null => false,
            Val::Bool(b) => *b,
            Val::Int(i) => *i != 0,
            Val::Str(s) => !s.is_empty(),
            Val::Y(y) => {
                if y.is_unresolved() {
                    return None;
                }
                match &y.v {
                    V::Null => false,
                    V::Map(m) => !m.is_empty(),
                    V::Seq(s) => !s.is_empty(),
                    V::Scalar(s) => !matches!(s.as_str(), "" | "false" | "0"),
                }
            }
        })
    }

    /// The value as text (scalars only).
    fn text(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Bool(b) => Some(b.to_string()),
            Val::Int(i) => Some(i.to_string()),
            Val::Null => Some(String::new()),
            Val::Y(y) => match &y.v {
                V::Scalar(s) => Some(s.clone()),
                V::Null => Some(String::new()),
                _ => None,
            },
            Val::Unknown => None,
        }
    }
}

struct Renderer<'a> {
    chart: &'a Chart<'a>,
    out: String,
    /// Template line of each finished output line.
    map: Vec<u32>,
    /// Template line of the output line being written.
    line_src: Option<u32>,
    unresolved: usize,
    /// Template variables in scope, innermost last.
    vars: Vec<(String, Val)>,
    /// `$`: the root context.
    root: Val,
    /// Loop iterations rendered so far (a bound against huge values files).
    iterations: usize,
}

impl Renderer<'_> {
    fn push(&mut self, s: &str, mut src_line: u32, advance: bool) {
        for ch in s.chars() {
            if ch == '\n' {
                self.map.push(self.line_src.unwrap_or(src_line));
                self.line_src = None;
                self.out.push('\n');
                if advance {
                    src_line += 1;
                }
                continue;
            }
            if self.line_src.is_none() {
                self.line_src = Some(src_line);
            }
            self.out.push(ch);
        }
    }

    fn finish(&mut self) {
        if !self.out.ends_with('\n') {
            self.push("\n", 0, false);
        }
    }

    fn nodes(&mut self, nodes: &[Node], dot: &Val) -> Result<(), String> {
        let scope = self.vars.len();
        let r = self.nodes_inner(nodes, dot);
        self.vars.truncate(scope);
        r
    }

    fn nodes_inner(&mut self, nodes: &[Node], dot: &Val) -> Result<(), String> {
        for n in nodes {
            match n {
                Node::Assign(name, expr) => {
                    let v = self.eval(expr, dot);
                    match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                        Some(slot) if !expr.is_empty() => slot.1 = v,
                        _ => self.vars.push((name.clone(), v)),
                    }
                }
                Node::Range {
                    vars,
                    expr,
                    line,
                    body,
                    otherwise,
                } => {
                    let items: Vec<(Val, Val)> = match self.eval(expr, dot) {
                        Val::Y(y) if y.is_unresolved() => {
                            return Err(format!(
                                "line {line}: `range {expr}` iterates over a value that cannot be resolved"
                            ));
                        }
                        Val::Y(y) => match &y.v {
                            V::Seq(items) => items
                                .iter()
                                .enumerate()
                                .map(|(i, it)| (Val::Int(i as i64), Val::Y(it.clone())))
                                .collect(),
                            V::Map(m) => {
                                let mut es: Vec<&Entry> = m.iter().collect();
                                es.sort_by(|a, b| a.key.cmp(&b.key));
                                es.into_iter()
                                    .map(|e| (Val::Str(e.key.clone()), Val::Y(e.value.clone())))
                                    .collect()
                            }
                            _ => Vec::new(),
                        },
                        Val::Null => Vec::new(),
                        Val::Int(n) => (0..n.clamp(0, 100))
                            .map(|i| (Val::Int(i), Val::Int(i)))
                            .collect(),
                        _ => {
                            return Err(format!(
                                "line {line}: `range {expr}` iterates over a value that cannot be resolved"
                            ));
                        }
                    };
                    if items.is_empty() {
                        self.nodes(otherwise, dot)?;
                    }
                    for (k, v) in items {
                        self.iterations += 1;
                        if self.iterations > 10_000 {
                            return Err("too many loop iterations".to_string());
                        }
                        let scope = self.vars.len();
                        if let Some((kname, vname)) = vars {
                            if let Some(kname) = kname {
                                self.vars.push((kname.clone(), k));
                            }
                            self.vars.push((vname.clone(), v.clone()));
                        }
                        let r = self.nodes(body, &v);
                        self.vars.truncate(scope);
                        r?;
                    }
                }
                Node::Text(t, l) => self.push(t, *l, true),
                Node::Expr(e, l) => {
                    let v = self.eval(e, dot);
                    self.emit(e, &v, *l);
                }
                Node::If {
                    branches,
                    otherwise,
                } => {
                    let mut done = false;
                    for (cond, line, body) in branches {
                        match self.eval(cond, dot).truthy() {
                            Some(true) => {
                                self.nodes(body, dot)?;
                                done = true;
                                break;
                            }
                            Some(false) => {}
                            None => {
                                return Err(format!(
                                    "line {line}: condition `{cond}` depends on a value that cannot be resolved from values.yaml"
                                ));
                            }
                        }
                    }
                    if !done {
                        self.nodes(otherwise, dot)?;
                    }
                }
                Node::With {
                    expr,
                    line,
                    body,
                    otherwise,
                } => {
                    let v = self.eval(expr, dot);
                    match v.truthy() {
                        Some(true) => self.nodes(body, &v)?,
                        Some(false) => self.nodes(otherwise, dot)?,
                        None => {
                            return Err(format!(
                                "line {line}: `with {expr}` depends on a value that cannot be resolved from values.yaml"
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes an expression's value; unknown values become placeholders that the checks
    /// recognise.
    fn emit(&mut self, expr: &str, v: &Val, line: u32) {
        let indent = nindent_of(expr);
        match v {
            Val::Unknown => {
                self.unresolved += 1;
                match indent {
                    Some((n, newline)) => {
                        let pad = " ".repeat(n);
                        let s = format!(
                            "{}{pad}{UNRESOLVED_KEY}: {UNRESOLVED_VALUE}",
                            if newline { "\n" } else { "" }
                        );
                        self.push(&s, line, false);
                    }
                    None => self.push(UNRESOLVED_VALUE, line, false),
                }
            }
            other => {
                let text = render_val(other, expr.contains("toYaml"));
                let text = match indent {
                    Some((n, newline)) => {
                        let pad = " ".repeat(n);
                        let body: Vec<String> = text.lines().map(|l| format!("{pad}{l}")).collect();
                        format!("{}{}", if newline { "\n" } else { "" }, body.join("\n"))
                    }
                    None => text,
                };
                self.push(&text, line, false);
            }
        }
    }

    fn eval(&self, expr: &str, dot: &Val) -> Val {
        let mut depth = 0usize;
        let mut max = 0usize;
        for c in expr.chars() {
            match c {
                '(' => {
                    depth += 1;
                    max = max.max(depth);
                }
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if expr.len() > MAX_EXPR || max > MAX_PARENS {
            return Val::Unknown;
        }
        let stages: Vec<&str> = split_pipeline(expr);
        let mut acc: Option<Val> = None;
        for st in stages {
            let toks = tokens(st);
            if toks.is_empty() {
                return Val::Unknown;
            }
            acc = Some(self.call(&toks, acc, dot));
        }
        acc.unwrap_or(Val::Unknown)
    }

    fn arg(&self, tok: &str, dot: &Val) -> Val {
        if let Some(inner) = tok.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            return self.eval(inner, dot);
        }
        if tok.starts_with('"') || tok.starts_with('`') {
            return Val::Str(tok.trim_matches(['"', '`']).to_string());
        }
        if let Ok(i) = tok.parse::<i64>() {
            return Val::Int(i);
        }
        match tok {
            "true" => return Val::Bool(true),
            "false" => return Val::Bool(false),
            "nil" => return Val::Null,
            "." => return dot.clone(),
            _ => {}
        }
        if tok == "$" {
            return self.root.clone();
        }
        if let Some(rest) = tok.strip_prefix('$')
            && !rest.starts_with('.')
        {
            let (name, path) = match rest.split_once('.') {
                Some((n, p)) => (format!("${n}"), p),
                None => (tok.to_string(), ""),
            };
            return match self.vars.iter().rev().find(|(n, _)| *n == name) {
                Some((_, v)) if path.is_empty() => v.clone(),
                Some((_, v)) => lookup(v, path),
                None => Val::Unknown,
            };
        }
        let path = if let Some(p) = tok.strip_prefix("$.") {
            p
        } else if let Some(p) = tok.strip_prefix('.') {
            // Relative to `.`: inside `with`, `.` is the value; at top, the root.
            if !p.starts_with("Values")
                && !p.starts_with("Release")
                && !p.starts_with("Chart")
                && !p.starts_with("Capabilities")
            {
                return lookup(dot, p);
            }
            p
        } else {
            return Val::Unknown;
        };
        let mut parts = path.splitn(2, '.');
        let head = parts.next().unwrap_or("");
        let rest = parts.next().unwrap_or("");
        match head {
            "Values" => match self.chart.values {
                Some(v) if rest.is_empty() => Val::Y(v.clone()),
                Some(v) => lookup(&Val::Y(v.clone()), rest),
                None => Val::Null,
            },
            "Chart" => match rest {
                "Name" => Val::Str(self.chart.name.to_string()),
                "Version" => Val::Str(self.chart.version.to_string()),
                "AppVersion" => Val::Str(self.chart.app_version.to_string()),
                _ => Val::Unknown,
            },
            "Capabilities" => match rest {
                "KubeVersion.Version" | "KubeVersion.GitVersion" => Val::Str("v1.31.0".to_string()),
                "KubeVersion.Major" => Val::Str("1".to_string()),
                "KubeVersion.Minor" => Val::Str("31".to_string()),
                _ => Val::Unknown,
            },
            "Release" => match rest {
                "Name" => Val::Str("release".to_string()),
                "Namespace" => Val::Str("default".to_string()),
                "Service" => Val::Str("Helm".to_string()),
                _ => Val::Unknown,
            },
            _ => Val::Unknown,
        }
    }

    fn call(&self, toks: &[String], piped: Option<Val>, dot: &Val) -> Val {
        let f = toks[0].as_str();
        let mut args: Vec<Val> = toks[1..].iter().map(|t| self.arg(t, dot)).collect();
        if let Some(p) = piped {
            args.push(p);
        }
        let text = |v: &Val| v.text();
        match f {
            "default" => {
                if args.len() < 2 {
                    return Val::Unknown;
                }
                let given = &args[args.len() - 1];
                match given.truthy() {
                    None => Val::Unknown,
                    Some(true) => given.clone(),
                    Some(false) => args[0].clone(),
                }
            }
            "quote" | "squote" => match args.last().and_then(text) {
                Some(s) => {
                    let q = if f == "quote" { '"' } else { '\'' };
                    Val::Str(format!("{q}{}{q}", s.replace(q, "")))
                }
                None => Val::Unknown,
            },
            "toYaml" | "toString" | "int" | "trim" | "upper" | "lower" | "b64enc" => {
                let Some(v) = args.last() else {
                    return Val::Unknown;
                };
                match f {
                    "toYaml" => v.clone(),
                    "b64enc" => match text(v) {
                        Some(_) => Val::Str("cGFnZXJwcm9vZg==".to_string()),
                        None => Val::Unknown,
                    },
                    _ => match text(v) {
                        Some(s) => Val::Str(match f {
                            "upper" => s.to_uppercase(),
                            "lower" => s.to_lowercase(),
                            "trim" => s.trim().to_string(),
                            _ => s,
                        }),
                        None => Val::Unknown,
                    },
                }
            }
            "nindent" | "indent" => args.last().cloned().unwrap_or(Val::Unknown),
            "required" => args.last().cloned().unwrap_or(Val::Unknown),
            "not" => match args.last().and_then(Val::truthy) {
                Some(b) => Val::Bool(!b),
                None => Val::Unknown,
            },
            "empty" => match args.last().and_then(Val::truthy) {
                Some(b) => Val::Bool(!b),
                None => Val::Unknown,
            },
            "and" | "or" => {
                let mut result = f == "and";
                for a in &args {
                    match a.truthy() {
                        None => return Val::Unknown,
                        Some(b) => {
                            if f == "and" {
                                result &= b;
                            } else {
                                result |= b;
                            }
                        }
                    }
                }
                Val::Bool(result)
            }
            "eq" | "ne" => {
                if args.len() != 2 {
                    return Val::Unknown;
                }
                match (text(&args[0]), text(&args[1])) {
                    (Some(a), Some(b)) => Val::Bool((a == b) == (f == "eq")),
                    _ => Val::Unknown,
                }
            }
            ".Capabilities.APIVersions.Has" => Val::Bool(true),
            "semverCompare" => {
                if toks.iter().any(|t| t.contains("Capabilities")) {
                    Val::Bool(true)
                } else {
                    Val::Unknown
                }
            }
            "lt" | "le" | "gt" | "ge" => {
                if args.len() != 2 {
                    return Val::Unknown;
                }
                let num = |v: &Val| text(v).and_then(|t| t.trim().parse::<f64>().ok());
                match (num(&args[0]), num(&args[1])) {
                    (Some(a), Some(b)) => Val::Bool(match f {
                        "lt" => a < b,
                        "le" => a <= b,
                        "gt" => a > b,
                        _ => a >= b,
                    }),
                    _ => Val::Unknown,
                }
            }
            "len" => match args.last() {
                Some(Val::Y(y)) => match &y.v {
                    V::Seq(s) => Val::Int(s.len() as i64),
                    V::Map(m) if !y.is_unresolved() => Val::Int(m.len() as i64),
                    V::Scalar(s) => Val::Int(s.chars().count() as i64),
                    V::Null => Val::Int(0),
                    _ => Val::Unknown,
                },
                Some(Val::Str(s)) => Val::Int(s.chars().count() as i64),
                Some(Val::Null) => Val::Int(0),
                _ => Val::Unknown,
            },
            "hasKey" => match (args.first(), args.get(1).and_then(text)) {
                (Some(Val::Y(y)), Some(k)) if y.is_map() && !y.is_unresolved() => {
                    Val::Bool(y.get(&k).is_some())
                }
                (Some(Val::Null), Some(_)) => Val::Bool(false),
                _ => Val::Unknown,
            },
            "contains" | "hasPrefix" | "hasSuffix" => {
                match (args.first().and_then(text), args.get(1).and_then(text)) {
                    (Some(needle), Some(hay)) => Val::Bool(match f {
                        "contains" => hay.contains(&needle),
                        "hasPrefix" => hay.starts_with(&needle),
                        _ => hay.ends_with(&needle),
                    }),
                    _ => Val::Unknown,
                }
            }
            "coalesce" => {
                for a in &args {
                    match a.truthy() {
                        None => return Val::Unknown,
                        Some(true) => return a.clone(),
                        Some(false) => {}
                    }
                }
                Val::Null
            }
            "ternary" => {
                if args.len() != 3 {
                    return Val::Unknown;
                }
                match args[2].truthy() {
                    Some(true) => args[0].clone(),
                    Some(false) => args[1].clone(),
                    None => Val::Unknown,
                }
            }
            "trunc" | "trimSuffix" | "trimPrefix" | "replace" => {
                let Some(s) = args.last().and_then(text) else {
                    return Val::Unknown;
                };
                let a0 = args.first().and_then(text).unwrap_or_default();
                Val::Str(match f {
                    "trunc" => s.chars().take(a0.parse().unwrap_or(usize::MAX)).collect(),
                    "trimSuffix" => s.strip_suffix(a0.as_str()).unwrap_or(&s).to_string(),
                    "trimPrefix" => s.strip_prefix(a0.as_str()).unwrap_or(&s).to_string(),
                    _ => {
                        let to = args.get(1).and_then(text).unwrap_or_default();
                        s.replace(a0.as_str(), &to)
                    }
                })
            }
            "int64" | "float64" | "toJson" => args.last().cloned().unwrap_or(Val::Unknown),
            "printf" => {
                let Some(fmt) = args.first().and_then(text) else {
                    return Val::Unknown;
                };
                let mut out = String::new();
                let mut rest = args[1..].iter();
                let mut chars = fmt.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '%' {
                        match chars.next() {
                            Some('%') => out.push('%'),
                            Some(_) => match rest.next().and_then(text) {
                                Some(s) => out.push_str(&s),
                                None => return Val::Unknown,
                            },
                            None => {}
                        }
                    } else {
                        out.push(c);
                    }
                }
                Val::Str(out)
            }
            _ if toks.len() == 1
                && args.len() <= 1
                && !f.chars().next().is_some_and(char::is_alphabetic) =>
            {
                // A bare value (`.Values.x`), possibly piped into nothing.
                self.arg(f, dot)
            }
            _ => Val::Unknown,
        }
    }
}

/// `| nindent N` / `| indent N` at the end of a pipeline: (N, whether a newline comes first).
fn nindent_of(expr: &str) -> Option<(usize, bool)> {
    let last = split_pipeline(expr).pop()?;
    let toks = tokens(last);
    match toks.first().map(String::as_str) {
        Some("nindent") => toks.get(1)?.parse().ok().map(|n| (n, true)),
        Some("indent") => toks.get(1)?.parse().ok().map(|n| (n, false)),
        _ => None,
    }
}

fn split_pipeline(expr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut start = 0;
    for (i, c) in expr.char_indices() {
        match c {
            '"' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => depth -= 1,
            '|' if !in_str && depth == 0 => {
                out.push(expr[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(expr[start..].trim());
    out
}

/// Splits a command into tokens (quoted strings and parenthesised groups kept whole).
fn tokens(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut in_str = false;
    for c in cmd.chars() {
        match c {
            '"' => {
                in_str = !in_str;
                cur.push(c);
            }
            '(' if !in_str => {
                depth += 1;
                cur.push(c);
            }
            ')' if !in_str => {
                depth -= 1;
                cur.push(c);
            }
            c if c.is_whitespace() && !in_str && depth == 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn lookup(v: &Val, path: &str) -> Val {
    let Val::Y(y) = v else {
        return if path.is_empty() {
            v.clone()
        } else {
            Val::Null
        };
    };
    let mut cur = y;
    for k in path.split('.').filter(|k| !k.is_empty()) {
        if cur.is_unresolved() {
            return Val::Unknown;
        }
        match cur.get(k) {
            Some(n) => cur = n,
            None => return Val::Null,
        }
    }
    Val::Y(cur.clone())
}

/// A value as template output: scalars as text, collections as block YAML.
fn render_val(v: &Val, _to_yaml: bool) -> String {
    match v {
        Val::Y(y) => match &y.v {
            V::Scalar(s) => s.clone(),
            V::Null => String::new(),
            _ => {
                let mut s = String::new();
                emit_yaml(y, 0, &mut s);
                s.trim_end().to_string()
            }
        },
        other => other.text().unwrap_or_default(),
    }
}

fn scalar_yaml(s: &str) -> String {
    if s.is_empty()
        || s.contains(": ")
        || s.contains(" #")
        || s.starts_with(['{', '[', '*', '&', '!', '|', '>', '\'', '"', '%', '@', '`'])
        || s.contains('\n')
    {
        format!("{s:?}")
    } else {
        s.to_string()
    }
}

fn emit_yaml(y: &Y, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match &y.v {
        V::Map(m) if m.is_empty() => out.push_str(&format!("{pad}{{}}\n")),
        V::Map(m) => {
            for Entry { key, value, .. } in m {
                match &value.v {
                    V::Map(inner) if !inner.is_empty() => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        emit_yaml(value, indent + 2, out);
                    }
                    V::Seq(items) if !items.is_empty() => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        emit_yaml(value, indent, out);
                    }
                    V::Map(_) => out.push_str(&format!("{pad}{key}: {{}}\n")),
                    V::Seq(_) => out.push_str(&format!("{pad}{key}: []\n")),
                    V::Null => out.push_str(&format!("{pad}{key}: null\n")),
                    V::Scalar(s) => out.push_str(&format!("{pad}{key}: {}\n", scalar_yaml(s))),
                }
            }
        }
        V::Seq(items) if items.is_empty() => out.push_str(&format!("{pad}[]\n")),
        V::Seq(items) => {
            for it in items {
                match &it.v {
                    V::Scalar(s) => out.push_str(&format!("{pad}- {}\n", scalar_yaml(s))),
                    V::Null => out.push_str(&format!("{pad}- null\n")),
                    _ => {
                        let mut inner = String::new();
                        emit_yaml(it, indent + 2, &mut inner);
                        let inner = inner.replacen(&format!("{pad}  "), &format!("{pad}- "), 1);
                        out.push_str(&inner);
                    }
                }
            }
        }
        V::Scalar(s) => out.push_str(&format!("{pad}{}\n", scalar_yaml(s))),
        V::Null => out.push_str(&format!("{pad}null\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: &str) -> (Y, String) {
        (yaml::load(values).unwrap().remove(0), String::new())
    }

    #[test]
    fn renders_values_conditions_and_blocks() {
        let (values, _) = chart(
            "enabled: true\nname: web\nres:\n  limits:\n    memory: 128Mi\nsec:\n  enable: false\n",
        );
        let c = Chart {
            name: "demo",
            version: "1.0.0",
            app_version: "2.0.0",
            values: Some(&values),
        };
        let t = "{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  template:\n    spec:\n      {{- if .Values.sec.enable }}\n      securityContext: {}\n      {{- end }}\n      containers:\n      - name: {{ .Values.name }}\n        image: \"repo/{{ .Values.name }}:{{ .Values.tag | default .Chart.AppVersion }}\"\n        resources:\n          {{- toYaml .Values.res | nindent 10 }}\n        {{- include \"probes\" . | nindent 8 }}\n{{- end }}\n";
        let r = render(t, &c).unwrap();
        let d = &r.docs[0];
        assert_eq!(d.entry("kind").unwrap().line, 3);
        let cont = &d
            .path(&["spec", "template", "spec", "containers"])
            .unwrap()
            .items()[0];
        assert_eq!(cont.get("image").unwrap().text(), "repo/web:2.0.0");
        assert_eq!(cont.entry("image").unwrap().line, 14);
        assert_eq!(
            cont.path(&["resources", "limits", "memory"])
                .unwrap()
                .text(),
            "128Mi"
        );
        assert!(cont.has_unknown_keys());
        assert!(
            d.path(&["spec", "template", "spec", "securityContext"])
                .is_none()
        );
        assert_eq!(r.unresolved, 1);
    }

    #[test]
    fn unresolvable_condition_is_refused() {
        let (values, _) = chart("a: 1\n");
        let c = Chart {
            name: "x",
            version: "",
            app_version: "",
            values: Some(&values),
        };
        assert!(render("{{ if include \"x\" . }}\na: 1\n{{ end }}\n", &c).is_err());
        assert!(render("{{ range include \"x\" . }}\n- a\n{{ end }}\n", &c).is_err());
    }

    #[test]
    fn hostile_nesting_is_refused() {
        let (values, _) = chart("a: 1\n");
        let c = Chart {
            name: "x",
            version: "",
            app_version: "",
            values: Some(&values),
        };
        let t = format!("{}x{}", "{{ if 1 }}".repeat(5000), "{{ end }}".repeat(5000));
        assert!(render(&t, &c).is_err());
        let e = format!(
            "a: {{{{ {}1{} }}}}\n",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        assert!(render(&e, &c).is_ok());
    }

    #[test]
    fn ranges_and_variables() {
        let (values, _) = chart("env:\n  B: \"2\"\n  A: \"1\"\nports: [80, 443]\nreplicas: 3\n");
        let c = Chart {
            name: "x",
            version: "",
            app_version: "",
            values: Some(&values),
        };
        let t = "{{- $name := \"web\" -}}\nname: {{ $name }}\nenv:\n{{- range $k, $v := .Values.env }}\n- name: {{ $k }}\n  value: {{ $v | quote }}\n{{- end }}\nports:\n{{- range .Values.ports }}\n- {{ . }}\n{{- end }}\n{{- if gt (int .Values.replicas) 1 }}\nha: true\n{{- end }}\n";
        let r = render(t, &c).unwrap();
        let d = &r.docs[0];
        assert_eq!(d.get("name").unwrap().text(), "web");
        let env = d.get("env").unwrap().items();
        assert_eq!(env[0].get("name").unwrap().text(), "A");
        assert_eq!(env[1].get("value").unwrap().text(), "2");
        assert_eq!(env[0].line, 5);
        assert_eq!(d.get("ports").unwrap().strings(), vec!["80", "443"]);
        assert_eq!(d.get("ha").unwrap().text(), "true");
    }
}
