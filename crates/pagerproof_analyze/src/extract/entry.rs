//! Entry points and declarations other analyses need: `func main` in Go `package main`,
//! Python `if __name__ == "__main__"`, Java `static void main`; and Go functions that
//! return an `error` (for `error-discarded` across the files of a package).

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::rule::{Cx, Extractor};
use crate::signals::SignalKind;

pub struct Entry;
pub static ENTRY: Entry = Entry;

impl Extractor for Entry {
    fn name(&self) -> &'static str {
        "entry-points"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Go => &["function_declaration", "method_declaration"],
            Family::Python => &["if_statement"],
            Family::Java => &["method_declaration"],
            Family::Js => &[],
        }
    }

    fn visit(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Go => go(node, cx),
            Family::Python => python(node, cx),
            Family::Java => java(node, cx),
            Family::Js => {}
        }
    }
}

fn go(node: Node<'_>, cx: &mut Cx<'_>) {
    let name = node.field("name").map(|n| cx.text(n)).unwrap_or("");
    if node.kind_name() == "function_declaration"
        && name == "main"
        && go_package(cx) == Some("main")
    {
        cx.signal(SignalKind::EntryPoint, node, "func main");
    }
    if let Some(result) = node.field("result") {
        let t = cx.text(result);
        let last = t
            .trim_end_matches(')')
            .rsplit([',', '('])
            .next()
            .unwrap_or("")
            .trim();
        if last == "error" || last.ends_with(" error") {
            cx.signal(SignalKind::FuncReturnsError, node, name.to_string());
        }
    }
}

/// The Go package clause of the file.
pub fn go_package<'a>(cx: &Cx<'a>) -> Option<&'a str> {
    let mut c = cx.root.walk();
    let clause = cx
        .root
        .named_children(&mut c)
        .find(|n| n.kind_name() == "package_clause")?;
    clause.named_child(0).map(|n| cx.text(n))
}

fn python(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.parent().is_some_and(|p| p.kind_name() == "module")
        && let Some(cond) = node.field("condition")
    {
        let t: String = cx
            .text(cond)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if t == "__name__=='__main__'"
            || t == "__name__==\"__main__\""
            || t == "'__main__'==__name__"
            || t == "\"__main__\"==__name__"
        {
            cx.signal(SignalKind::EntryPoint, node, "if __name__ == \"__main__\"");
        }
    }
}

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    let name = node.field("name").map(|n| cx.text(n)).unwrap_or("");
    if name != "main" {
        return;
    }
    let head = cx.text(node);
    let head = &head[..head.find('{').unwrap_or(head.len())];
    if head.contains("static") && head.contains("void") && head.contains("String") {
        cx.signal(SignalKind::EntryPoint, node, "static void main");
    }
}
