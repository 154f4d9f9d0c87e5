//! `error-becomes-empty-result`: a Go helper on a request path turns a failure into an
//! empty answer (`if err != nil { return []T{} }`) in a function that has no error result,
//! so the handler above it answers "nothing found" with success.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::swallow::handler::{failing_call_is_parse, go_err_check, mentions};

pub static META: RuleMeta = RuleMeta {
    id: "error-becomes-empty-result",
    category: "SWALLOW",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["go"],
    summary: "Failure on a request path returned as an empty result",
    docs: Docs {
        what: "A Go function that a request handler (HTTP route, gRPC method, listener) calls in the same file, \
has no `error` result, and answers an `if err != nil` with an empty value only: `return []T{}`, \
`return map[K]V{}`, `return &T{}` or `return nil` for a slice, map or pointer result, without logging, counting \
or wrapping the error. The caller cannot tell \"there is nothing\" from \"loading failed\", so the request succeeds \
with empty data. Not reported: blocks that log, use the error or carry a comment (a documented fallback), \
expected-error conditions (`errors.Is(err, ErrNotFound)`, `os.IsNotExist(err)` are not the plain `err != nil` \
shape), errors from parsing or validating input (`strconv`, `url.Parse`, `json.Unmarshal`), and functions off \
the request path. Functions that return an `error` are `error-swallowed`'s.",
        scenario: "The database, file or upstream the helper loads from fails or times out.",
        impact: "Users see an empty catalogue, an empty cart or no search results, with a 200/OK status: no error \
rate rises, no alert fires, and caches may store the empty answer.",
        detection: "Only from users, or from a drop in business metrics (orders, searches with results).",
        mitigation: "Return the error (add an `error` result) so the handler fails the request, or log and count \
the fallback so a failure is visible.",
        fixes: &[(
            "go",
            "func (p *catalog) products() ([]*pb.Product, error) {\n    if err := load(&p.data); err != nil {\n        return nil, fmt.Errorf(\"load catalog: %w\", err)\n    }\n    return p.data.Products, nil\n}",
        )],
        monitoring: "Count empty answers caused by errors (`fallback_total{site}`) and alert when non-zero; \
watch the share of empty responses per endpoint.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "internal/catalog/server.go",
            r#"package catalog

import (
	"context"
	"errors"
	"log"
	"os"
	"strconv"
)

type server struct{ items []Item }

func (s *server) List(ctx context.Context, req *pb.ListRequest) (*pb.ListResponse, error) {
	return &pb.ListResponse{Items: s.loadItems(), Tags: s.tags(), Prices: s.prices(req.Page)}, nil
}

func (s *server) Get(ctx context.Context, req *pb.GetRequest) (*pb.Item, error) {
	return s.find(req.Id), nil
}

func (s *server) loadItems() []Item {
	err := readItems(&s.items)
	if err != nil {
	   ^ `loadItems` returns an empty result when `readItems` fails
		return []Item{}
	}
	return s.items
}

func (s *server) tags() map[string]int {
	m, err := fetchTags()
	if err != nil {
		log.Printf("tags: %v", err)
		return map[string]int{}
	}
	return m
}

func (s *server) prices(page string) []int {
	n, err := strconv.Atoi(page)
	if err != nil {
		return nil
	}
	return s.pricesFrom(n)
}

func (s *server) find(id string) *Item {
	b, err := os.ReadFile(id)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		// Missing item files are normal while the importer runs.
		return nil
	}
	return decode(b)
}

func offline() []Item {
	err := readItems(nil)
	if err != nil {
		return []Item{}
	}
	return nil
}
"#
        ),
        case!(
            "internal/catalog/jobs.go",
            r#"package catalog

import "context"

type worker struct{}

func (w *worker) Sync(ctx context.Context, req *pb.SyncRequest) (*pb.SyncResponse, error) {
	items, err := w.fetch(ctx)
	if err != nil {
		return nil, err
	}
	return &pb.SyncResponse{Count: int32(len(items)), Names: w.names()}, nil
}

func (w *worker) names() []string {
	out, err := w.fetchNames()
	if err != nil {
		return fallbackNames
	}
	return out
}

func (w *worker) fetch(ctx context.Context) ([]Item, error) {
	return nil, nil
}
"#
        ),
    ],
};

pub struct Rule;
pub static RULE: Rule = Rule;

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Go => &["if_statement"],
            _ => &[],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        go(node, cx);
    }
}

fn go(ifs: Node<'_>, cx: &mut Cx<'_>) {
    let Some((errname, cond, block)) = go_err_check(ifs, cx) else {
        return;
    };
    let errname = errname.as_str();
    let stmts = syntax::block_statements(block);
    let [ret] = stmts.as_slice() else { return };
    if ret.kind_name() != "return_statement"
        || descendants(block).any(|d| d.kind_name() == "comment")
        || mentions(cx, block, errname)
    {
        return;
    }
    let Some(mut value) = ret.named_child(0) else {
        return;
    };
    if value.kind_name() == "expression_list" {
        if value.named_child_count() != 1 {
            return;
        }
        let Some(v) = value.named_child(0) else {
            return;
        };
        value = v;
    }
    if !empty_value(value, cx) {
        return;
    }
    let Some(func) = syntax::enclosing_function(ifs, Family::Go) else {
        return;
    };
    if !matches!(
        func.kind_name(),
        "function_declaration" | "method_declaration"
    ) {
        return;
    }
    let Some(result) = func.field("result") else {
        return;
    };
    // One collection or pointer result, no error result.
    let rt = cx.text(result).trim();
    if !(rt.starts_with("[]") || rt.starts_with("map[") || rt.starts_with('*')) {
        return;
    }
    if failing_call_is_parse(ifs, errname, cx) || !cx.request_paths().contains(func) {
        return;
    }
    let fname = func.field("name").map(|n| cx.text(n)).unwrap_or("");
    let producer = failing_call(ifs, errname, cx).unwrap_or_else(|| "the call".to_string());
    let msg = format!(
        "`{fname}` returns an empty result when `{producer}` fails, without logging or returning the error: its request handler answers with empty data as a success"
    );
    cx.hit(&META, cond, format!("{fname} {errname} != nil"), msg);
}

/// `nil`, or a composite literal with no elements (`[]T{}`, `map[K]V{}`), or `&T{}`.
fn empty_value(v: Node<'_>, cx: &Cx<'_>) -> bool {
    let v = if v.kind_name() == "unary_expression" && cx.text(v).starts_with('&') {
        match v.field("operand") {
            Some(o) => o,
            None => return false,
        }
    } else {
        v
    };
    match v.kind_name() {
        "nil" => true,
        "composite_literal" => v.field("body").is_some_and(|b| b.named_child_count() == 0),
        _ => false,
    }
}

/// The written callee of the call that produced `errname` (in the `if` initializer or
/// the statement before it).
fn failing_call(ifs: Node<'_>, errname: &str, cx: &Cx<'_>) -> Option<String> {
    let producer = ifs.field("initializer").or_else(|| {
        let prev = ifs.prev_named_sibling()?;
        let left = prev.field("left")?;
        mentions(cx, left, errname).then_some(prev)
    })?;
    let call = descendants(producer).find(|d| d.kind_name() == "call_expression")?;
    Some(cx.callee(call).0)
}
