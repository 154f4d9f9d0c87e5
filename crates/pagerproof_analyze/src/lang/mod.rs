//! The languages table: one row per language, and the only place that knows file
//! extensions, grammars and comment syntax. Adding a language is a grammar dependency,
//! a row here and a helpers module under `lang/`.

use std::sync::OnceLock;

pub mod bindings;
pub mod imports;
pub mod node;
pub mod syntax;

pub use bindings::Bindings;
pub use imports::Imports;
pub use node::NodeExt;

/// A language parsed with tree-sitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Python,
    Go,
    JavaScript,
    TypeScript,
    Tsx,
    Java,
}

/// Languages that share node kinds (JavaScript, TypeScript and TSX), so rules are written
/// once per family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Python,
    Go,
    Js,
    Java,
}

struct Row {
    lang: Lang,
    name: &'static str,
    family: Family,
    extensions: &'static [&'static str],
    line_comment: &'static str,
}

static TABLE: &[Row] = &[
    Row {
        lang: Lang::Python,
        name: "python",
        family: Family::Python,
        extensions: &["py", "pyw"],
        line_comment: "#",
    },
    Row {
        lang: Lang::Go,
        name: "go",
        family: Family::Go,
        extensions: &["go"],
        line_comment: "//",
    },
    Row {
        lang: Lang::JavaScript,
        name: "javascript",
        family: Family::Js,
        extensions: &["js", "mjs", "cjs", "jsx"],
        line_comment: "//",
    },
    Row {
        lang: Lang::TypeScript,
        name: "typescript",
        family: Family::Js,
        extensions: &["ts", "mts", "cts"],
        line_comment: "//",
    },
    Row {
        lang: Lang::Tsx,
        name: "typescript",
        family: Family::Js,
        extensions: &["tsx"],
        line_comment: "//",
    },
    Row {
        lang: Lang::Java,
        name: "java",
        family: Family::Java,
        extensions: &["java"],
        line_comment: "//",
    },
];

impl Lang {
    pub const ALL: [Lang; 6] = [
        Lang::Python,
        Lang::Go,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Tsx,
        Lang::Java,
    ];

    fn row(self) -> &'static Row {
        // The table has one row per variant, in order.
        &TABLE[self as usize]
    }

    /// The name used in reports (`python`, `go`, `javascript`, `typescript`, `java`).
    pub fn name(self) -> &'static str {
        self.row().name
    }

    pub fn family(self) -> Family {
        self.row().family
    }

    pub fn line_comment(self) -> &'static str {
        self.row().line_comment
    }

    pub fn from_extension(ext: &str) -> Option<Lang> {
        let ext = ext.to_ascii_lowercase();
        TABLE
            .iter()
            .find(|r| r.extensions.contains(&ext.as_str()))
            .map(|r| r.lang)
    }

    pub fn from_path(path: &str) -> Option<Lang> {
        let name = path.rsplit('/').next().unwrap_or(path);
        // `.d.ts` declaration files carry no behaviour.
        if name.ends_with(".d.ts") {
            return None;
        }
        let ext = name.rsplit_once('.')?.1;
        Lang::from_extension(ext)
    }

    /// The tree-sitter grammar, loaded once.
    pub fn grammar(self) -> &'static tree_sitter::Language {
        static GRAMMARS: OnceLock<Vec<tree_sitter::Language>> = OnceLock::new();
        let all = GRAMMARS.get_or_init(|| {
            Lang::ALL
                .iter()
                .map(|l| match l {
                    Lang::Python => tree_sitter_python::LANGUAGE.into(),
                    Lang::Go => tree_sitter_go::LANGUAGE.into(),
                    Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
                    Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
                    Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
                    Lang::Java => tree_sitter_java::LANGUAGE.into(),
                })
                .collect()
        });
        &all[self as usize]
    }

    /// Node kind names by kind id, read once from the grammar. `Node::kind()` measures the
    /// C string and checks its UTF-8 on every call; hot loops index this table instead
    /// (same names: an id's name is what `kind()` returns for a node with that id).
    pub fn kind_names(self) -> &'static [&'static str] {
        static NAMES: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
        let all = NAMES.get_or_init(|| {
            Lang::ALL
                .iter()
                .map(|l| {
                    let g = l.grammar();
                    (0..g.node_kind_count() as u16)
                        .map(|id| g.node_kind_for_id(id).unwrap_or(""))
                        .collect()
                })
                .collect()
        });
        &all[self as usize]
    }

    /// The kind name of a node of this language's tree, without `Node::kind()`'s cost.
    #[inline]
    pub fn kind_of<'t>(self, n: tree_sitter::Node<'t>) -> &'t str {
        match self.kind_names().get(n.kind_id() as usize) {
            Some(k) if !k.is_empty() => k,
            _ => n.kind(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_of_is_kind() {
        let srcs = [
            (
                Lang::Python,
                "import os\ndef f(x):\n    return x.y(1, k=2) if x else None\n",
            ),
            (
                Lang::Go,
                "package p\nfunc f() { c := &http.Client{}; _ = c.Do(nil) }\n",
            ),
            (
                Lang::JavaScript,
                "const a = require('x'); a.get(`u${b}`, {t: 1}); <div/>\n",
            ),
            (
                Lang::TypeScript,
                "let a: number = f<T>(1) as number; class K { x = 1 }\n",
            ),
            (Lang::Tsx, "const e = <A b={1}>t</A>;\n"),
            (Lang::Java, "class A { void f() { new B().c(\"s\"); } }\n"),
        ];
        for (lang, src) in srcs {
            let mut p = tree_sitter::Parser::new();
            p.set_language(lang.grammar()).expect("grammar loads");
            let tree = p.parse(src, None).expect("parses");
            let mut nodes = vec![tree.root_node()];
            while let Some(n) = nodes.pop() {
                assert_eq!(lang.kind_of(n), n.kind(), "{lang:?}");
                let mut c = n.walk();
                nodes.extend(n.children(&mut c));
            }
        }
    }

    #[test]
    fn table_rows_match_variants() {
        for (i, l) in Lang::ALL.iter().enumerate() {
            assert_eq!(*l as usize, i);
            assert_eq!(TABLE[i].lang, *l);
        }
    }

    #[test]
    fn extensions() {
        assert_eq!(Lang::from_path("a/b/c.py"), Some(Lang::Python));
        assert_eq!(Lang::from_path("web/App.TSX"), Some(Lang::Tsx));
        assert_eq!(Lang::from_path("types/index.d.ts"), None);
        assert_eq!(Lang::from_path("Makefile"), None);
    }

    #[test]
    fn every_grammar_loads() {
        for l in Lang::ALL {
            let mut p = tree_sitter::Parser::new();
            p.set_language(l.grammar()).expect("grammar ABI supported");
        }
    }
}
