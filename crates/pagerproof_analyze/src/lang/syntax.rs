//! Small, language-aware helpers over tree-sitter nodes that rules share: the callee of a
//! call, its arguments and keyword arguments, the enclosing function, string values.
//! Rules stay short because the per-language shape of "a call" is written once here.

use tree_sitter::Node;

use super::Family;
use super::imports::unquote;
use crate::lang::NodeExt;

/// Node kinds that are calls, per family.
pub fn call_kinds(f: Family) -> &'static [&'static str] {
    match f {
        Family::Python => &["call"],
        Family::Go => &["call_expression"],
        Family::Js => &["call_expression", "new_expression"],
        Family::Java => &["method_invocation", "object_creation_expression"],
    }
}

/// Function-like node kinds, per family.
pub fn function_kinds(f: Family) -> &'static [&'static str] {
    match f {
        Family::Python => &["function_definition", "lambda"],
        Family::Go => &["function_declaration", "method_declaration", "func_literal"],
        Family::Js => &[
            "function_declaration",
            "function_expression",
            "arrow_function",
            "method_definition",
            "generator_function_declaration",
            "function",
        ],
        Family::Java => &[
            "method_declaration",
            "constructor_declaration",
            "lambda_expression",
        ],
    }
}

/// The callee of a call as written: `requests.get`, `http.Get`, `axios.create`,
/// `HttpClient.newHttpClient`, `new OkHttpClient` -> `OkHttpClient`.
pub fn callee<'a>(call: Node<'a>, src: &'a str) -> Option<Node<'a>> {
    match call.kind_name() {
        "call" | "call_expression" => call.field("function"),
        "new_expression" => call.field("constructor"),
        "object_creation_expression" => call.field("type"),
        "method_invocation" => call.field("name"),
        _ => {
            let _ = src;
            None
        }
    }
}

/// The dotted text of a callee, with whitespace, newlines and generic arguments removed:
/// `client\n  .get` -> `client.get`; Java `a.b().c` method invocations give `a.b().c`.
pub fn callee_text(call: Node<'_>, src: &str) -> String {
    let raw = match call.kind_name() {
        "method_invocation" => {
            let name = call.field("name").map(|n| text(n, src)).unwrap_or("");
            match call.field("object") {
                Some(o) => format!("{}.{}", text(o, src), name),
                None => name.to_string(),
            }
        }
        "object_creation_expression" => call
            .field("type")
            .map(|n| text(n, src))
            .unwrap_or("")
            .to_string(),
        _ => callee(call, src)
            .map(|n| text(n, src))
            .unwrap_or("")
            .to_string(),
    };
    let mut out = String::with_capacity(raw.len());
    let mut depth = 0i32;
    for ch in raw.chars() {
        match ch {
            '<' if !out.is_empty() => depth += 1,
            '>' if depth > 0 => depth -= 1,
            c if c.is_whitespace() => {}
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The last segment of a dotted callee (`self.session.get` -> `get`).
pub fn last_segment(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

/// The receiver part of a dotted callee (`self.session.get` -> `self.session`).
pub fn receiver(dotted: &str) -> Option<&str> {
    dotted.rsplit_once('.').map(|(r, _)| r)
}

pub fn text<'a>(n: Node<'_>, src: &'a str) -> &'a str {
    src.get(n.byte_range()).unwrap_or("")
}

/// The argument list node of a call.
pub fn arguments<'a>(call: Node<'a>) -> Option<Node<'a>> {
    call.field("arguments")
}

/// Positional arguments (named children of the argument list that are not keywords,
/// comments or spreads).
pub fn positional_args<'a>(call: Node<'a>) -> Vec<Node<'a>> {
    let Some(args) = arguments(call) else {
        return Vec::new();
    };
    let mut c = args.walk();
    args.named_children(&mut c)
        .filter(|n| {
            !matches!(
                n.kind_name(),
                "keyword_argument" | "comment" | "dictionary_splat" | "list_splat"
            )
        })
        .collect()
}

/// Python keyword argument `name=` value, if present.
pub fn kwarg<'a>(call: Node<'a>, src: &str, name: &str) -> Option<Node<'a>> {
    let args = arguments(call)?;
    let mut c = args.walk();
    args.named_children(&mut c)
        .filter(|n| n.kind_name() == "keyword_argument")
        .find_map(|kw| {
            let k = kw.field("name")?;
            (text(k, src) == name).then(|| kw.field("value")).flatten()
        })
}

/// Whether a Python call passes `**kwargs` (an unknown set of keywords).
pub fn has_kwargs_splat(call: Node<'_>) -> bool {
    let Some(args) = arguments(call) else {
        return false;
    };
    let mut c = args.walk();
    args.named_children(&mut c)
        .any(|n| n.kind_name() == "dictionary_splat")
}

/// Keys of a JS object literal (`{ timeout: 5, signal }` -> ["timeout", "signal"]), or
/// `None` when the object has a spread (unknown keys).
pub fn js_object_keys(obj: Node<'_>, src: &str) -> Option<Vec<String>> {
    if obj.kind_name() != "object" {
        return None;
    }
    let mut keys = Vec::new();
    let mut c = obj.walk();
    for p in obj.named_children(&mut c) {
        match p.kind_name() {
            "pair" => {
                if let Some(k) = p.field("key") {
                    keys.push(unquote(text(k, src)).to_string());
                }
            }
            "shorthand_property_identifier" => keys.push(text(p, src).to_string()),
            "method_definition" => {
                if let Some(k) = p.field("name") {
                    keys.push(text(k, src).to_string());
                }
            }
            "spread_element" => return None,
            _ => {}
        }
    }
    Some(keys)
}

/// The value of key `key` in a JS object literal.
pub fn js_object_value<'a>(obj: Node<'a>, src: &str, key: &str) -> Option<Node<'a>> {
    let mut c = obj.walk();
    obj.named_children(&mut c)
        .find_map(|p| match p.kind_name() {
            "pair" => {
                let k = p.field("key")?;
                (unquote(text(k, src)) == key)
                    .then(|| p.field("value"))
                    .flatten()
            }
            "shorthand_property_identifier" => (text(p, src) == key).then_some(p),
            _ => None,
        })
}

/// Keys of a Go composite literal (`http.Client{Timeout: t}` -> ["Timeout"]).
pub fn go_literal_keys(lit: Node<'_>, src: &str) -> Vec<String> {
    let Some(body) = lit.field("body") else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    let mut c = body.walk();
    for el in body.named_children(&mut c) {
        if el.kind_name() == "keyed_element"
            && let Some(k) = el.named_child(0)
        {
            keys.push(text(k, src).trim().to_string());
        }
    }
    keys
}

/// The value of `key` in a Go composite literal (`http.Server{Addr: addr}` -> `addr`),
/// looking through the `literal_element` wrapper.
pub fn go_literal_value<'a>(lit: Node<'a>, src: &str, key: &str) -> Option<Node<'a>> {
    let body = lit.field("body")?;
    let mut c = body.walk();
    body.named_children(&mut c).find_map(|el| {
        if el.kind_name() != "keyed_element" {
            return None;
        }
        let k = el.named_child(0)?;
        if text(k, src).trim() != key {
            return None;
        }
        let v = el.named_child(1)?;
        Some(if v.kind_name() == "literal_element" {
            v.named_child(0).unwrap_or(v)
        } else {
            v
        })
    })
}

/// Names a Go source declares with the type `ty` (`db *gorm.DB` in a struct, a parameter
/// or a `var`), read from the text: the identifier before the type, with blanks between.
pub fn go_names_declared_as<'s>(src: &'s str, ty: &str) -> Vec<&'s str> {
    let mut out = Vec::new();
    for (i, _) in src.match_indices(ty) {
        let before = src[..i].trim_end_matches([' ', '\t']);
        if before.len() == i {
            continue;
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |p| p + 1);
        let name = &before[start..];
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// The statements of a block, looking through Go's `statement_list` wrapper and
/// skipping comments.
pub fn block_statements(block: Node<'_>) -> Vec<Node<'_>> {
    let mut c = block.walk();
    let mut out = Vec::new();
    for ch in block.named_children(&mut c) {
        if ch.kind_name() == "statement_list" {
            let mut c2 = ch.walk();
            out.extend(
                ch.named_children(&mut c2)
                    .filter(|n| n.kind_name() != "comment"),
            );
        } else if ch.kind_name() != "comment" {
            out.push(ch);
        }
    }
    out
}

/// The closest ancestor of one of `kinds`.
pub fn ancestor<'a>(n: Node<'a>, kinds: &[&str]) -> Option<Node<'a>> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if kinds.contains(&p.kind_name()) {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

/// The enclosing function (or `None` at module level).
pub fn enclosing_function<'a>(n: Node<'a>, f: Family) -> Option<Node<'a>> {
    ancestor(n, function_kinds(f))
}

/// A string literal's content without quotes (Python prefixes like `f`, `r`, `b` removed),
/// or `None` when the node is not a plain string literal.
pub fn string_value<'a>(n: Node<'_>, src: &'a str) -> Option<&'a str> {
    match n.kind_name() {
        "string"
        | "interpreted_string_literal"
        | "raw_string_literal"
        | "string_literal"
        | "template_string" => {
            // Python strings with interpolation are not constants.
            let mut c = n.walk();
            if n.named_children(&mut c)
                .any(|ch| matches!(ch.kind_name(), "interpolation" | "template_substitution"))
            {
                return None;
            }
            let t = text(n, src);
            let t =
                t.trim_start_matches(|c: char| c.is_ascii_alphabetic() && c != '"' && c != '\'');
            let t = t
                .strip_prefix("\"\"\"")
                .and_then(|x| x.strip_suffix("\"\"\""))
                .unwrap_or(t);
            let t = t
                .strip_prefix("'''")
                .and_then(|x| x.strip_suffix("'''"))
                .unwrap_or(t);
            Some(unquote(t))
        }
        _ => None,
    }
}

/// Whether `n` is inside a node of one of `kinds`, stopping at a function boundary.
pub fn inside_within_function(n: Node<'_>, kinds: &[&str], f: Family) -> bool {
    let fk = function_kinds(f);
    let mut cur = n.parent();
    while let Some(p) = cur {
        if kinds.contains(&p.kind_name()) {
            return true;
        }
        if fk.contains(&p.kind_name()) {
            return false;
        }
        cur = p.parent();
    }
    false
}

/// Iterates all descendants of `n` in pre-order (the node itself included).
pub fn descendants<'a>(n: Node<'a>) -> impl Iterator<Item = Node<'a>> {
    let mut cursor = n.walk();
    let mut done = false;
    let mut started = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        if !started {
            started = true;
            return Some(cursor.node());
        }
        if cursor.goto_first_child() {
            return Some(cursor.node());
        }
        loop {
            if cursor.node() == n {
                done = true;
                return None;
            }
            if cursor.goto_next_sibling() {
                return Some(cursor.node());
            }
            if !cursor.goto_parent() {
                done = true;
                return None;
            }
        }
    })
}

/// Whether any descendant's text satisfies `pred` for nodes of `kind`.
pub fn any_descendant(n: Node<'_>, pred: impl Fn(Node<'_>) -> bool) -> bool {
    descendants(n).any(pred)
}
