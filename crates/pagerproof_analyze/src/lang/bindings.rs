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

#[derive(Debug, Default, Clone)]
pub struct Bindings {
    map: HashMap<String, Vec<Range<usize>>>,
}

fn key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Bindings {
    pub fn collect(family: Family, root: Node<'_>, src: &str) -> Bindings {
        let mut b = Bindings::default();
        for n in descendants(root) {
            match (family, n.kind()) {
                (Family::Python, "assignment") => {
                    if let (Some(l), Some(r)) = (
                        n.child_by_field_name("left"),
                        n.child_by_field_name("right"),
                    ) {
                        b.add(text(l, src), r);
                    }
                }
                (Family::Python, "with_item") => {
                    // `with requests.Session() as s:`
                    if let Some(v) = n.child_by_field_name("value")
                        && v.kind() == "as_pattern"
                        && let (Some(val), Some(alias)) =
                            (v.named_child(0), v.child_by_field_name("alias"))
                    {
                        b.add(text(alias, src), val);
                    }
                }
                (Family::Go, "short_var_declaration" | "assignment_statement") => {
                    if let (Some(l), Some(r)) = (
                        n.child_by_field_name("left"),
                        n.child_by_field_name("right"),
                    ) {
                        let mut c1 = l.walk();
                        let mut c2 = r.walk();
                        let ls: Vec<Node<'_>> = l.named_children(&mut c1).collect();
                        let rs: Vec<Node<'_>> = r.named_children(&mut c2).collect();
                        if ls.len() == rs.len() {
                            for (a, v) in ls.iter().zip(rs) {
                                b.add(text(*a, src), v);
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
                    if let (Some(name), Some(v)) = (
                        n.child_by_field_name("name"),
                        n.child_by_field_name("value"),
                    ) {
                        let mut c = v.walk();
                        if let Some(first) = v.named_children(&mut c).next() {
                            b.add(text(name, src), first);
                        }
                    }
                }
                (Family::Go, "keyed_element") => {
                    // Struct fields set in a literal: `&server{client: &http.Client{}}` binds `.client`.
                    if let (Some(k), Some(v)) = (n.named_child(0), n.named_child(1)) {
                        let v = if v.kind() == "literal_element" {
                            v.named_child(0).unwrap_or(v)
                        } else {
                            v
                        };
                        let k = if k.kind() == "literal_element" {
                            k.named_child(0).unwrap_or(k)
                        } else {
                            k
                        };
                        b.add(&format!(".{}", text(k, src)), v);
                    }
                }
                (Family::Js, "variable_declarator") | (Family::Java, "variable_declarator") => {
                    if let (Some(name), Some(v)) = (
                        n.child_by_field_name("name"),
                        n.child_by_field_name("value"),
                    ) {
                        b.add(text(name, src), v);
                    }
                }
                (Family::Js, "assignment_expression") | (Family::Java, "assignment_expression") => {
                    if let (Some(l), Some(r)) = (
                        n.child_by_field_name("left"),
                        n.child_by_field_name("right"),
                    ) {
                        b.add(text(l, src), r);
                    }
                }
                (Family::Js, "public_field_definition") | (Family::Js, "field_definition") => {
                    if let (Some(name), Some(v)) = (
                        n.child_by_field_name("name")
                            .or_else(|| n.child_by_field_name("property")),
                        n.child_by_field_name("value"),
                    ) {
                        b.add(&format!("this.{}", text(name, src)), v);
                    }
                }
                _ => {}
            }
        }
        b
    }

    fn add(&mut self, target: &str, value: Node<'_>) {
        self.map
            .entry(key(target))
            .or_default()
            .push(value.byte_range());
    }

    /// The byte ranges of every expression assigned to `name` in the file.
    pub fn values(&self, name: &str) -> &[Range<usize>] {
        self.map.get(&key(name)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The expressions assigned to `name`, as nodes of `root`'s tree.
    pub fn nodes<'t>(&self, root: Node<'t>, name: &str) -> Vec<Node<'t>> {
        self.values(name)
            .iter()
            .filter_map(|r| root.descendant_for_byte_range(r.start, r.end))
            .collect()
    }

    /// Like [`Bindings::nodes`], also trying the attribute name alone for `self.x`/`this.x`
    /// receivers and the field form `.x` for Go struct literals (`s.client` -> `.client`).
    pub fn nodes_for_receiver<'t>(&self, root: Node<'t>, receiver: &str) -> Vec<Node<'t>> {
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
