//! Import tables: which local name stands for which module or symbol, so a rule can ask
//! "is this call `requests.get`?" whatever the file named it (`import requests as rq`,
//! `from requests import get`, `const { get } = require('axios')`, `import pb "..."`).

use std::collections::HashMap;

use tree_sitter::Node;

use super::Lang;
use crate::lang::NodeExt;

#[derive(Debug, Default, Clone)]
pub struct Imports {
    /// Local name -> qualified name (`rq` -> `requests`, `get` -> `requests.get`,
    /// `http` -> `net/http`, `HttpClient` -> `java.net.http.HttpClient`).
    names: HashMap<String, String>,
    /// Every imported module path, for "does this file use X at all".
    modules: Vec<String>,
}

impl Imports {
    pub fn collect(lang: Lang, root: Node<'_>, src: &str) -> Imports {
        let mut imp = Imports::default();
        let text = |n: Node<'_>| src.get(n.byte_range()).unwrap_or("");
        match lang {
            Lang::Python => python(&mut imp, root, &text),
            Lang::Go => go(&mut imp, root, &text),
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js(&mut imp, root, &text, 0),
            Lang::Java => java(&mut imp, root, &text),
        }
        imp
    }

    /// The qualified name a local name stands for.
    pub fn get(&self, local: &str) -> Option<&str> {
        self.names.get(local).map(String::as_str)
    }

    /// Rewrites the head of a dotted name through the table: `rq.get` -> `requests.get`.
    /// Go uses `.` between package path and member too (`net/http.Get`).
    pub fn resolve(&self, dotted: &str) -> String {
        let (head, rest) = match dotted.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (dotted, None),
        };
        match (self.names.get(head), rest) {
            (Some(q), Some(r)) => format!("{q}.{r}"),
            (Some(q), None) => q.clone(),
            (None, _) => dotted.to_string(),
        }
    }

    /// Whether a module (or a module below it) is imported: `has_module("grpc")` is true
    /// for `import grpc` and for `from grpc import aio`.
    pub fn has_module(&self, module: &str) -> bool {
        self.modules.iter().any(|m| {
            m == module || m.starts_with(module) && m[module.len()..].starts_with(['.', '/'])
        })
    }

    /// Whether any import path contains `needle` (`genproto`, `_pb2`).
    pub fn any_module_contains(&self, needle: &str) -> bool {
        self.modules.iter().any(|m| m.contains(needle))
    }

    pub fn modules(&self) -> &[String] {
        &self.modules
    }

    fn add(&mut self, local: &str, qualified: &str) {
        if !local.is_empty() {
            self.names.insert(local.to_string(), qualified.to_string());
        }
    }
}

fn python<'t>(imp: &mut Imports, root: Node<'t>, text: &dyn Fn(Node<'t>) -> &'t str) {
    // Imports anywhere at module level or one level inside try/if blocks.
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        let mut c = n.walk();
        for child in n.named_children(&mut c) {
            match child.kind_name() {
                "import_statement" => {
                    let mut c2 = child.walk();
                    for name in child.children_by_field_name("name", &mut c2) {
                        match name.kind_name() {
                            "dotted_name" => {
                                let full = text(name);
                                imp.modules.push(full.to_string());
                                let head = full.split('.').next().unwrap_or(full);
                                imp.add(head, head);
                            }
                            "aliased_import" => {
                                if let (Some(m), Some(a)) =
                                    (name.field("name"), name.field("alias"))
                                {
                                    imp.modules.push(text(m).to_string());
                                    imp.add(text(a), text(m));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "import_from_statement" => {
                    let Some(m) = child.field("module_name") else {
                        continue;
                    };
                    let module = text(m).trim_start_matches('.');
                    imp.modules.push(module.to_string());
                    let mut c2 = child.walk();
                    for name in child.children_by_field_name("name", &mut c2) {
                        match name.kind_name() {
                            "dotted_name" => {
                                let n = text(name);
                                imp.add(n, &format!("{module}.{n}"));
                            }
                            "aliased_import" => {
                                if let (Some(nm), Some(a)) =
                                    (name.field("name"), name.field("alias"))
                                {
                                    imp.add(text(a), &format!("{module}.{}", text(nm)));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "if_statement" | "try_statement" | "block" | "else_clause" | "except_clause"
                | "elif_clause" => stack.push(child),
                _ => {}
            }
        }
    }
}

/// The package name Go gives an import path: its last element, skipping a `/vN` major
/// version suffix and a `.vN` gopkg.in suffix.
pub fn go_package_name(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or(path);
    let is_major =
        |s: &str| s.len() > 1 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit());
    let base = if is_major(last) {
        parts.next().unwrap_or(last)
    } else {
        last
    };
    let base = base.split('.').next().unwrap_or(base);
    let base = base.strip_prefix("go-").unwrap_or(base);
    // `github.com/opentracing/opentracing-go` is package `opentracing`;
    // `github.com/avast/retry-go` declares `package retry`.
    base.strip_suffix("-go").unwrap_or(base)
}

fn go<'t>(imp: &mut Imports, root: Node<'t>, text: &dyn Fn(Node<'t>) -> &'t str) {
    let mut owner_names: Vec<(&'t str, &'t str)> = Vec::new();
    let mut c = root.walk();
    for decl in root.named_children(&mut c) {
        if decl.kind_name() != "import_declaration" {
            continue;
        }
        let mut specs = Vec::new();
        let mut c2 = decl.walk();
        for ch in decl.named_children(&mut c2) {
            match ch.kind_name() {
                "import_spec" => specs.push(ch),
                "import_spec_list" => {
                    let mut c3 = ch.walk();
                    specs.extend(
                        ch.named_children(&mut c3)
                            .filter(|n| n.kind_name() == "import_spec"),
                    );
                }
                _ => {}
            }
        }
        for spec in specs {
            let Some(p) = spec.field("path") else {
                continue;
            };
            let path = text(p).trim_matches(|c| c == '"' || c == '`');
            imp.modules.push(path.to_string());
            match spec.field("name").map(text) {
                Some("_") | Some(".") => {}
                Some(alias) => imp.add(alias, path),
                None => {
                    imp.add(go_package_name(path), path);
                    if let Some(owner) = go_owner_package_name(path) {
                        owner_names.push((owner, path));
                    }
                }
            }
        }
    }
    // Bound only where no import claims the name: the real package name wins.
    for (owner, path) in owner_names {
        if !imp.names.contains_key(owner) {
            imp.add(owner, path);
        }
    }
}

/// A second guess at the package name of a `go-`/`-go` repository whose package is named
/// after its owner: `github.com/instana/go-sensor` declares `package instana`. Only for
/// such paths, and only an identifier-like owner.
fn go_owner_package_name(path: &str) -> Option<&str> {
    let mut parts = path.rsplit('/');
    let last = parts.next()?;
    if !(last.starts_with("go-") || last.ends_with("-go")) {
        return None;
    }
    let owner = parts.next()?;
    let ident = !owner.is_empty()
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !owner.starts_with(|c: char| c.is_ascii_digit());
    (ident && parts.next().is_some()).then_some(owner)
}

fn js<'t>(imp: &mut Imports, node: Node<'t>, text: &dyn Fn(Node<'t>) -> &'t str, depth: usize) {
    if depth > 3 {
        return;
    }
    let mut c = node.walk();
    for st in node.named_children(&mut c) {
        match st.kind_name() {
            "import_statement" => {
                let Some(srcn) = st.field("source") else {
                    continue;
                };
                let module = strip_node_prefix(unquote(text(srcn)));
                imp.modules.push(module.to_string());
                let mut c2 = st.walk();
                for clause in st
                    .named_children(&mut c2)
                    .filter(|n| n.kind_name() == "import_clause")
                {
                    let mut c3 = clause.walk();
                    for part in clause.named_children(&mut c3) {
                        match part.kind_name() {
                            "identifier" => imp.add(text(part), module),
                            "namespace_import" => {
                                let mut c4 = part.walk();
                                if let Some(id) = part
                                    .named_children(&mut c4)
                                    .find(|n| n.kind_name() == "identifier")
                                {
                                    imp.add(text(id), module);
                                }
                            }
                            "named_imports" => {
                                let mut c4 = part.walk();
                                for spec in part
                                    .named_children(&mut c4)
                                    .filter(|n| n.kind_name() == "import_specifier")
                                {
                                    let name = spec.field("name").map(text).unwrap_or("");
                                    let alias = spec.field("alias").map(text).unwrap_or(name);
                                    imp.add(alias, &format!("{module}.{name}"));
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c2 = st.walk();
                for d in st
                    .named_children(&mut c2)
                    .filter(|n| n.kind_name() == "variable_declarator")
                {
                    let (Some(name), Some(value)) = (d.field("name"), d.field("value")) else {
                        continue;
                    };
                    let Some(module) = require_target(value, text) else {
                        continue;
                    };
                    imp.modules.push(module.to_string());
                    match name.kind_name() {
                        "identifier" => imp.add(text(name), module),
                        "object_pattern" => {
                            let mut c3 = name.walk();
                            for prop in name.named_children(&mut c3) {
                                match prop.kind_name() {
                                    "shorthand_property_identifier_pattern" => {
                                        imp.add(text(prop), &format!("{module}.{}", text(prop)))
                                    }
                                    "pair_pattern" => {
                                        if let (Some(k), Some(v)) =
                                            (prop.field("key"), prop.field("value"))
                                        {
                                            imp.add(text(v), &format!("{module}.{}", text(k)));
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            "expression_statement" => {
                // A module wrapped in an immediately invoked function (`(function () {
                // var request = require('request'); ... }())`): its requires are the file's.
                if let Some(body) = iife_body(st) {
                    js(imp, body, text, depth + 1);
                    continue;
                }
                // `require('x').start()` style side-effect imports.
                if let Some(m) = first_require(st, text, 0) {
                    imp.modules.push(m.to_string());
                }
            }
            "export_statement" | "statement_block" | "if_statement" | "try_statement" => {
                js(imp, st, text, depth + 1)
            }
            _ => {}
        }
    }
}

/// The body of an immediately invoked function statement: `(function () { ... }())`,
/// `(function () { ... })()`, `(() => { ... })()`, `!function () { ... }()`.
fn iife_body(st: Node<'_>) -> Option<Node<'_>> {
    fn unwrap(mut n: Node<'_>) -> Node<'_> {
        for _ in 0..3 {
            match n.kind_name() {
                "parenthesized_expression" | "unary_expression" => match n.named_child(0) {
                    Some(c) => n = c,
                    None => break,
                },
                _ => break,
            }
        }
        n
    }
    let call = unwrap(st.named_child(0)?);
    if call.kind_name() != "call_expression" {
        return None;
    }
    let func = unwrap(call.field("function")?);
    if !matches!(
        func.kind_name(),
        "function_expression" | "function" | "arrow_function"
    ) {
        return None;
    }
    func.field("body")
        .filter(|b| b.kind_name() == "statement_block")
}

/// `require('m')`, `require('m').x`, `await import('m')` -> `m`.
fn require_target<'t>(value: Node<'t>, text: &dyn Fn(Node<'t>) -> &'t str) -> Option<&'t str> {
    let mut v = value;
    loop {
        match v.kind_name() {
            "await_expression" | "parenthesized_expression" => v = v.named_child(0)?,
            "member_expression" => v = v.field("object")?,
            "call_expression" => {
                let f = v.field("function")?;
                if text(f) == "require" || f.kind_name() == "import" {
                    let args = v.field("arguments")?;
                    let a = args.named_child(0)?;
                    if a.kind_name() == "string" {
                        return Some(strip_node_prefix(unquote(text(a))));
                    }
                }
                return None;
            }
            _ => return None,
        }
    }
}

fn first_require<'t>(
    n: Node<'t>,
    text: &dyn Fn(Node<'t>) -> &'t str,
    depth: usize,
) -> Option<&'t str> {
    if depth > 6 {
        return None;
    }
    if n.kind_name() == "call_expression"
        && let Some(m) = require_target(n, text)
    {
        return Some(m);
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        if let Some(m) = first_require(ch, text, depth + 1) {
            return Some(m);
        }
    }
    None
}

pub fn unquote(s: &str) -> &str {
    let s = s.trim();
    if s.len() >= 2 {
        let (a, b) = (s.as_bytes()[0], s.as_bytes()[s.len() - 1]);
        if a == b && matches!(a, b'"' | b'\'' | b'`') {
            return &s[1..s.len() - 1];
        }
    }
    s
}

fn strip_node_prefix(m: &str) -> &str {
    m.strip_prefix("node:").unwrap_or(m)
}

fn java<'t>(imp: &mut Imports, root: Node<'t>, text: &dyn Fn(Node<'t>) -> &'t str) {
    let mut c = root.walk();
    for decl in root.named_children(&mut c) {
        if decl.kind_name() != "import_declaration" {
            continue;
        }
        let full = text(decl)
            .trim_start_matches("import")
            .trim()
            .trim_start_matches("static ")
            .trim_end_matches(';')
            .trim()
            .to_string();
        if let Some(pkg) = full.strip_suffix(".*") {
            imp.modules.push(pkg.to_string());
        } else {
            let simple = full.rsplit('.').next().unwrap_or(&full).to_string();
            let pkg = full
                .rsplit_once('.')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default();
            imp.modules.push(pkg);
            imp.add(&simple, &full);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imports(lang: Lang, src: &str) -> Imports {
        let mut p = tree_sitter::Parser::new();
        p.set_language(lang.grammar()).unwrap();
        let tree = p.parse(src, None).unwrap();
        Imports::collect(lang, tree.root_node(), src)
    }

    #[test]
    fn python_aliases() {
        let i = imports(
            Lang::Python,
            "import requests as rq\nfrom httpx import Client as C, get\nimport urllib.request\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n",
        );
        assert_eq!(i.resolve("rq.get"), "requests.get");
        assert_eq!(i.resolve("C"), "httpx.Client");
        assert_eq!(i.resolve("get"), "httpx.get");
        assert_eq!(
            i.resolve("urllib.request.urlopen"),
            "urllib.request.urlopen"
        );
        assert!(i.has_module("urllib"));
        assert!(i.has_module("httpx"));
    }

    #[test]
    fn go_paths() {
        let i = imports(
            Lang::Go,
            "package main\nimport (\n\t\"net/http\"\n\tpb \"example.com/genproto\"\n\t\"github.com/redis/go-redis/v9\"\n\t_ \"net/http/pprof\"\n)\n",
        );
        assert_eq!(i.resolve("http.Get"), "net/http.Get");
        assert_eq!(
            i.resolve("pb.NewCartServiceClient"),
            "example.com/genproto.NewCartServiceClient"
        );
        assert_eq!(
            i.resolve("redis.NewClient"),
            "github.com/redis/go-redis/v9.NewClient"
        );
        assert!(i.has_module("net/http/pprof"));
        // A `go-`/`-go` repository may name its package after its owner.
        let o = imports(
            Lang::Go,
            "package main\nimport (\n\t\"github.com/instana/go-sensor\"\n\t\"github.com/avast/retry-go\"\n\t\"example.com/avast\"\n)\n",
        );
        assert_eq!(
            o.resolve("instana.InitCollector"),
            "github.com/instana/go-sensor.InitCollector"
        );
        assert_eq!(o.resolve("sensor.X"), "github.com/instana/go-sensor.X");
        assert_eq!(o.resolve("retry.Do"), "github.com/avast/retry-go.Do");
        // The owner guess never shadows a real import of that name.
        assert_eq!(o.resolve("avast.Y"), "example.com/avast.Y");
    }

    #[test]
    fn js_require_and_import() {
        let i = imports(
            Lang::TypeScript,
            "import axios from 'axios';\nimport * as http from 'node:http';\nimport { request as req } from 'undici';\nconst { get } = require('got');\nconst fetch2 = require('node-fetch');\n",
        );
        assert_eq!(i.resolve("axios.get"), "axios.get");
        assert_eq!(i.resolve("http.request"), "http.request");
        assert_eq!(i.resolve("req"), "undici.request");
        assert_eq!(i.resolve("get"), "got.get");
        assert_eq!(i.resolve("fetch2"), "node-fetch");
    }

    #[test]
    fn js_requires_inside_an_iife_module() {
        let i = imports(
            Lang::JavaScript,
            "(function () {\n  'use strict';\n  var express = require('express')\n    , client = require('request');\n}());\n",
        );
        assert_eq!(i.resolve("client.get"), "request.get");
        assert_eq!(i.resolve("express"), "express");
        let j = imports(
            Lang::JavaScript,
            "(() => {\n  const { get } = require('got');\n})();\n!function () { var h = require('https'); }();\n",
        );
        assert_eq!(j.resolve("get"), "got.get");
        assert_eq!(j.resolve("h.request"), "https.request");
        // A require inside a function that is only defined, not invoked, stays local.
        let k = imports(
            Lang::JavaScript,
            "function load() { var r = require('request'); return r; }\nsetup(function () { var s = require('got'); });\n",
        );
        assert_eq!(k.get("r"), None);
        assert_eq!(k.get("s"), None);
    }

    #[test]
    fn java_imports() {
        let i = imports(
            Lang::Java,
            "import java.net.http.HttpClient;\nimport okhttp3.*;\nclass A {}\n",
        );
        assert_eq!(
            i.resolve("HttpClient.newHttpClient"),
            "java.net.http.HttpClient.newHttpClient"
        );
        assert!(i.has_module("okhttp3"));
    }
}
