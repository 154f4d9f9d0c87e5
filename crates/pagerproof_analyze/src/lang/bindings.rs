//! Bindings: which names in a file were assigned from which expression, so a rule can
//! follow a client from where it is built to where it is used (`s = requests.Session()`
//! … `s.get(url)`; `client := &http.Client{}`; `const api = axios.create({...})`;
//! `self.session = ...`). Keys are the assigned target as written, whitespace removed
//! (`s`, `self.session`, `this.client`). Flow-insensitive on purpose: one file, every
//! assignment, which is what a reviewer reading the file does too.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use super::Family;
use super::syntax::{descendants, text};
use crate::lang::NodeExt;

/// The assigned expressions are kept as nodes of the file's tree (`'t`), so looking them
/// up does not search the tree again.
#[derive(Debug, Default, Clone)]
pub struct Bindings<'t> {
    map: HashMap<String, Vec<Node<'t>>>,
}

fn key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl<'t> Bindings<'t> {
    pub fn collect(family: Family, root: Node<'t>, src: &str) -> Bindings<'t> {
        Bindings::collect_from(family, descendants(root), src)
    }

    /// Every node kind `collect_from` looks at, per family: the engine drops the other
    /// nodes by kind id before calling it (keep in step with the match below).
    pub fn kinds(family: Family) -> &'static [&'static str] {
        match family {
            Family::Python => &["assignment", "with_item"],
            Family::Go => &[
                "short_var_declaration",
                "assignment_statement",
                "var_spec",
                "keyed_element",
            ],
            Family::Js => &[
                "variable_declarator",
                "assignment_expression",
                "public_field_definition",
                "field_definition",
            ],
            Family::Java => &["variable_declarator", "assignment_expression"],
        }
    }

    /// Like [`Bindings::collect`], over the nodes of a tree in pre-order (the engine
    /// already holds them, which saves a second walk of the tree).
    pub fn collect_from(
        family: Family,
        nodes: impl IntoIterator<Item = Node<'t>>,
        src: &str,
    ) -> Bindings<'t> {
        let mut b = Bindings::default();
        for n in nodes {
            match (family, n.kind_name()) {
                (Family::Python, "assignment") => {
                    if let (Some(l), Some(r)) = (n.field("left"), n.field("right")) {
                        b.add(text(l, src), r);
                    }
                }
                (Family::Python, "with_item") => {
                    // `with requests.Session() as s:`
                    if let Some(v) = n.field("value")
                        && v.kind_name() == "as_pattern"
                        && let (Some(val), Some(alias)) = (v.named_child(0), v.field("alias"))
                    {
                        b.add(text(alias, src), val);
                    }
                }
                (Family::Go, "short_var_declaration" | "assignment_statement") => {
                    if let (Some(l), Some(r)) = (n.field("left"), n.field("right")) {
                        let mut c1 = l.walk();
                        let mut c2 = r.walk();
                        let ls: Vec<Node<'_>> = l.named_children(&mut c1).collect();
                        let rs: Vec<Node<'_>> = r.named_children(&mut c2).collect();
                        if ls.len() == rs.len() {
                            for (a, v) in ls.iter().zip(rs) {
                                b.add(text(*a, src), v);
                                // `svc.client = pb.NewFooClient(conn)` also binds the field
                                // form `.client`, as a struct literal does: methods reach the
                                // field through their own receiver name (`s.client.Get(...)`).
                                if a.kind_name() == "selector_expression"
                                    && let Some(f) = a.field("field")
                                {
                                    b.add(&format!(".{}", text(f, src)), v);
                                }
                            }
                        } else if rs.len() == 1 {
                            // `x, err := f()`: the first name is the value.
                            if let Some(a) = ls.first() {
                                b.add(text(*a, src), rs[0]);
                            }
                        }
                    }
                }
                (Family::Go, "var_spec") => {
                    if let (Some(name), Some(v)) = (n.field("name"), n.field("value")) {
                        let mut c = v.walk();
                        if let Some(first) = v.named_children(&mut c).next() {
                            b.add(text(name, src), first);
                        }
                    }
                }
                (Family::Go, "keyed_element") => {
                    // Struct fields set in a literal: `&server{client: &http.Client{}}` binds `.client`.
                    if let (Some(k), Some(v)) = (n.named_child(0), n.named_child(1)) {
                        let v = if v.kind_name() == "literal_element" {
                            v.named_child(0).unwrap_or(v)
                        } else {
                            v
                        };
                        let k = if k.kind_name() == "literal_element" {
                            k.named_child(0).unwrap_or(k)
                        } else {
                            k
                        };
                        b.add(&format!(".{}", text(k, src)), v);
                    }
                }
                (Family::Js, "variable_declarator") | (Family::Java, "variable_declarator") => {
                    if let (Some(name), Some(v)) = (n.field("name"), n.field("value")) {
                        b.add(text(name, src), v);
                    }
                }
                (Family::Js, "assignment_expression") | (Family::Java, "assignment_expression") => {
                    if let (Some(l), Some(r)) = (n.field("left"), n.field("right")) {
                        b.add(text(l, src), r);
                    }
                }
                (Family::Js, "public_field_definition") | (Family::Js, "field_definition") => {
                    if let (Some(name), Some(v)) = (
                        n.field("name").or_else(|| n.field("property")),
                        n.field("value"),
                    ) {
                        b.add(&format!("this.{}", text(name, src)), v);
                    }
                }
                _ => {}
            }
        }
        b
    }

    fn add(&mut self, target: &str, value: Node<'t>) {
        self.map.entry(key(target)).or_default().push(value);
    }

    /// The byte ranges of every expression assigned to `name` in the file.
    pub fn values(&self, name: &str) -> Vec<Range<usize>> {
        self.map
            .get(&key(name))
            .map(|v| v.iter().map(|n| n.byte_range()).collect())
            .unwrap_or_default()
    }

    /// The expressions assigned to `name`, as nodes of `root`'s tree: for each, the
    /// smallest node spanning its byte range (what `root.descendant_for_byte_range` finds,
    /// searched from the expression itself, which lies on that search's path when the
    /// range is not empty).
    pub fn nodes(&self, root: Node<'t>, name: &str) -> Vec<Node<'t>> {
        let Some(values) = self.map.get(&key(name)) else {
            return Vec::new();
        };
        values
            .iter()
            .filter_map(|v| {
                let (start, end) = (v.start_byte(), v.end_byte());
                if start < end {
                    v.descendant_for_byte_range(start, end)
                } else {
                    root.descendant_for_byte_range(start, end)
                }
            })
            .collect()
    }

    /// Like [`Bindings::nodes`], also trying the attribute name alone for `self.x`/`this.x`
    /// receivers and the field form `.x` for Go struct literals (`s.client` -> `.client`).
    pub fn nodes_for_receiver(&self, root: Node<'t>, receiver: &str) -> Vec<Node<'t>> {
        let mut out = self.nodes(root, receiver);
        if out.is_empty()
            && let Some((_, field)) = receiver.rsplit_once('.')
        {
            out = self.nodes(root, &format!(".{field}"));
            if out.is_empty() {
                for prefix in ["self.", "this.", "cls."] {
                    out.extend(self.nodes(root, &format!("{prefix}{field}")));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::lang::Lang;

    /// `nodes` finds, from each stored expression, the node a search from the root finds.
    #[test]
    fn nodes_match_a_search_from_the_root() {
        let cases = [
            (
                Lang::Python,
                "s = requests.Session()\nwith httpx.Client() as c:\n    x = (c)\nself.s = s\n",
                &["s", "c", "x", "self.s"][..],
            ),
            (
                Lang::Go,
                "package p\nvar v = (f())\nfunc g() {\n\tc, err := pb.NewFooClient(conn)\n\t_ = &srv{client: &http.Client{}}\n}\n",
                &["v", "c", ".client"][..],
            ),
            (
                Lang::JavaScript,
                "const a = axios.create({});\nclass K { c = new Client(); }\nthis.x = (a);\n",
                &["a", "this.c", "this.x"][..],
            ),
            (
                Lang::Java,
                "class A { void f() { Stub s = FooGrpc.newBlockingStub(ch); s = other; } }\n",
                &["s"][..],
            ),
        ];
        for (lang, src, names) in cases {
            let Ok(tree) = crate::engine::parse(lang, src, Duration::from_secs(5)) else {
                panic!("{lang:?} does not parse");
            };
            let root = tree.root_node();
            let b = Bindings::collect(lang.family(), root, src);
            for name in names {
                let from_root: Vec<Node<'_>> = b
                    .values(name)
                    .iter()
                    .filter_map(|r| root.descendant_for_byte_range(r.start, r.end))
                    .collect();
                assert!(!from_root.is_empty(), "{lang:?}: no binding for {name}");
                assert_eq!(b.nodes(root, name), from_root, "{lang:?}: {name}");
            }
        }
    }
}
