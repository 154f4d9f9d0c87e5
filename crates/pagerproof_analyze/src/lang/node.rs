//! Cheap node kind and field lookups, for every node of the grammars the engine parses.
//!
//! `Node::kind()` measures a C string and checks it is UTF-8 on every call, and
//! `Node::child_by_field_name` scans the grammar's field names with `strncmp` before it
//! looks for the child: together they were a tenth of the time rules spent on a large Go
//! repository. [`NodeExt`] answers both from tables read once per grammar, keyed by the
//! node's language (the grammars of [`Lang::ALL`]; a node of another grammar, such as a
//! Dockerfile's, falls back to tree-sitter's own lookups).

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::Node;

use super::Lang;

struct Grammar {
    /// The grammar's `TSLanguage` address, what a node's `language()` points at.
    address: usize,
    lang: Lang,
    fields: HashMap<&'static str, u16, foldhash::fast::FixedState>,
}

fn grammars() -> &'static [Grammar] {
    static ALL: OnceLock<Vec<Grammar>> = OnceLock::new();
    ALL.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|&l| {
                let g = l.grammar();
                let fields = (1..=g.field_count() as u16)
                    .filter_map(|id| g.field_name_for_id(id).map(|name| (name, id)))
                    .collect();
                Grammar {
                    address: g.clone().into_raw() as usize,
                    lang: l,
                    fields,
                }
            })
            .collect()
    })
}

/// The table of a node's grammar, when it is one of [`Lang::ALL`].
#[inline]
fn grammar_of(n: &Node<'_>) -> Option<&'static Grammar> {
    let address = (*n.language()).clone().into_raw() as usize;
    grammars().iter().find(|g| g.address == address)
}

/// Fast equivalents of `Node::kind` and `Node::child_by_field_name`.
pub trait NodeExt<'t> {
    /// The node's kind name, as `Node::kind` returns it.
    fn kind_name(&self) -> &'t str;
    /// The child in field `name`, as `Node::child_by_field_name` returns it.
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

impl<'t> NodeExt<'t> for Node<'t> {
    #[inline]
    fn kind_name(&self) -> &'t str {
        match grammar_of(self) {
            Some(g) => g.lang.kind_of(*self),
            None => self.kind(),
        }
    }

    #[inline]
    fn field(&self, name: &str) -> Option<Node<'t>> {
        match grammar_of(self) {
            // A name the grammar does not have is no field of any of its nodes.
            Some(g) => g
                .fields
                .get(name)
                .and_then(|&id| self.child_by_field_id(id)),
            None => self.child_by_field_name(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node of a few files in each language: same kind and same field children as
    /// tree-sitter's own lookups, for every field name of the grammar and a name it lacks.
    #[test]
    fn same_answers_as_tree_sitter() {
        let srcs = [
            (
                Lang::Python,
                "import os\ndef f(x, *a, k=1):\n    return x.y(1, k=2) if x else None\nclass C(B):\n    async def g(self): await h()\n",
            ),
            (
                Lang::Go,
                "package p\nimport \"net/http\"\nfunc (s *S) f(ctx context.Context) error { c := &http.Client{}; _, err := c.Do(nil); return err }\n",
            ),
            (
                Lang::JavaScript,
                "const a = require('x'); a.get(`u${b}`, {t: 1}).catch(() => {}); <div/>\nclass K extends L { m() { try { f() } catch (e) {} } }\n",
            ),
            (
                Lang::TypeScript,
                "import {x} from 'y';\nexport async function f(a: number): Promise<void> { await fetch(u, { signal }); }\n",
            ),
            (
                Lang::Tsx,
                "export const C = (p: P) => <div onClick={() => go(p.id)}>{p.name}</div>;\n",
            ),
            (
                Lang::Java,
                "package a;\nclass S { @Autowired RestTemplate t; void f() { try { t.getForObject(u, String.class); } catch (Exception e) { } } }\n",
            ),
        ];
        for (lang, src) in srcs {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(lang.grammar()).expect("grammar");
            let tree = parser.parse(src, None).expect("parse");
            let g = lang.grammar();
            let names: Vec<&str> = (1..=g.field_count() as u16)
                .filter_map(|id| g.field_name_for_id(id))
                .chain(["no_such_field"])
                .collect();
            let mut stack = vec![tree.root_node()];
            let mut seen = 0;
            while let Some(n) = stack.pop() {
                seen += 1;
                assert_eq!(n.kind_name(), n.kind(), "{lang:?}");
                for name in &names {
                    assert_eq!(
                        n.field(name),
                        n.child_by_field_name(name),
                        "{lang:?} {} {name}",
                        n.kind()
                    );
                }
                let mut c = n.walk();
                stack.extend(n.children(&mut c));
            }
            assert!(seen > 20, "{lang:?}");
        }
    }
}
