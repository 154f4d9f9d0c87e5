//! `error-discarded`: an error value thrown away without being looked at: Go errors
//! assigned to `_` or never checked, row iteration without `rows.Err()`, servers started
//! in a goroutine whose error is lost, and Node callbacks that ignore their `err`.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::files;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants, last_segment};
use crate::rule::{CodeRule, Cx, Docs, Handling, Requirement, RuleMeta};
use crate::rules::swallow::handler::mentions;

pub static META: RuleMeta = RuleMeta {
    id: "error-discarded",
    category: "SWALLOW",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["go", "javascript", "typescript"],
    summary: "Error value discarded without being checked",
    docs: Docs {
        what: "An error that is never looked at. Go: the error result of an I/O, network, database or same-package \
call assigned to `_` (`x, _ := f()`, `_ = f()`), including message settlement on AMQP/Service Bus receivers \
(`_ = r.RejectMessage(ctx, m, nil)`, `AcceptMessage`, `ReleaseMessage`, `CompleteMessage`...: medium confidence); a \
server started with `go srv.Serve(l)` or as a bare statement (`http.ListenAndServe(addr, h)`, `srv.ListenAndServe()`, \
gin's `router.Run(addr)`, echo's `e.Start(addr)`) whose error is lost; a `for rows.Next()` loop (database rows, or a \
MongoDB cursor from `Find`/`Aggregate`/`Watch` iterated with `cur.Next(ctx)`) with no `rows.Err()` check after the \
loop; a gorm call used as a statement (`db.Create(&x)`, `db.AutoMigrate(&T{})`) on a handle the file declares as `*gorm.DB` or opens with `gorm.Open`: gorm reports failures only through the returned value, so the statement drops them; a gorm result kept in a variable whose `.Error` the function never reads. Node: a callback whose `err` parameter is never read, and \
`server.bindAsync`/`fs` callbacks that declare no parameters at all. Conventional Go ignores that reviewers accept \
are not reported: `defer x.Close()`, writes and flushes to streams, `fmt.Print*`, parsing/formatting calls whose zero \
value is the intended fallback (`strconv`, `time.Parse`, `json.Marshal`), yes/no queries (`IsRunning`), \
best-effort cleanup discarded on purpose (`_ = os.Remove(tmp)`, `_ = srv.Shutdown()`), and errors that cannot \
happen (`strings.Builder`, `bytes.Buffer` writes). Same-package functions are reported only when their \
declaration in the package returns an `error`.",
        scenario: "The call fails in production: a write hits a full disk, a query is cancelled mid-stream, a port is \
already taken.",
        impact: "The program goes on as if it had succeeded: truncated data is served as complete, a server that \
never started sits idle while the process looks healthy, a failed side effect is never retried.",
        detection: "None from the code; downstream symptoms (missing rows, idle instances) show up later.",
        mitigation: "Check every error: return it, log it with context, or make the fallback explicit and counted.",
        fixes: &[
            (
                "go",
                "recs, err := fe.getRecommendations(ctx, id)\nif err != nil {\n    log.WithError(err).Warn(\"recommendations unavailable\")\n}\n\nfor rows.Next() { /* ... */ }\nif err := rows.Err(); err != nil {\n    return fmt.Errorf(\"iterate products: %w\", err)\n}\n\ngo func() {\n    if err := srv.Serve(l); err != nil && !errors.Is(err, grpc.ErrServerStopped) {\n        log.Fatalf(\"serve: %v\", err)\n    }\n}()",
            ),
            (
                "javascript",
                "server.bindAsync(addr, creds, (err, port) => {\n  if (err) {\n    logger.error({ err }, 'bind failed');\n    process.exit(1);\n  }\n  server.start();\n});",
            ),
            (
                "typescript",
                "server.bindAsync(addr, creds, (err, port) => {\n  if (err) {\n    logger.error({ err }, 'bind failed');\n    process.exit(1);\n  }\n});",
            ),
        ],
        monitoring: "Count failures of each such call (`errors_total{op}`) once they are checked; alert on a \
server process that is up but serves no traffic.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "frontend/handlers.go",
            r#"package main

import (
	"net/http"
	"os"
)

func (fe *frontend) getRecs(id string) ([]string, error) { return nil, nil }

func (fe *frontend) orderHandler(w http.ResponseWriter, r *http.Request) {
	recs, _ := fe.getRecs("1")
	^ error result of `fe.getRecs` is discarded
	_ = os.MkdirAll("/var/lib/app", 0o755)
	^ error result of `os.MkdirAll` is discarded
	_ = os.Remove("/tmp/x")
	n, _ := w.Write([]byte("ok"))
	_, _ = recs, n
	defer r.Body.Close()
	_ = fe.render(w)
}

func (fe *frontend) render(w http.ResponseWriter) int { return 0 }
"#
        ),
        case!(
            "catalog/loader.go",
            r#"package catalog

import (
	"database/sql"
	"net"

	"google.golang.org/grpc"
)

func load(db *sql.DB) ([]string, error) {
	rows, err := db.Query("SELECT name FROM p")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
	^ `rows.Next()` loop without a `rows.Err()` check
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func serve(srv *grpc.Server, l net.Listener) {
	go srv.Serve(l)
	^ error of `srv.Serve` is lost
	select {}
}

func loadOK(db *sql.DB) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	return rows.Err()
}
"#
        ),
        case!(
            "server.js",
            r#"const grpc = require('@grpc/grpc-js');
const fs = require('fs');
server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), function () {
                                                                           ^ ignores the error
  server.start();
});
fs.readFile('x.json', (err, data) => {
                       ^ never reads `err`
  use(data);
});
fs.readFile('y.json', (err, data) => {
  if (err) throw err;
  use(data);
});
"#
        ),
        case!(
            "store/seed.go",
            r#"package store

import (
	"sync"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

type Widget struct{ ID string }

type Store struct {
	conn  *gorm.DB
	cache sync.Map
}

func (s *Store) Seed(ws []Widget) error {
	s.conn.AutoMigrate(&Widget{})
	^ error of `s.conn.AutoMigrate` is never checked
	for _, w := range ws {
		s.conn.Where("id = ?", w.ID).FirstOrCreate(&w)
		^ error of `s.conn.FirstOrCreate` is never checked
		s.cache.Delete(w.ID)
	}
	if err := s.conn.Create(&Widget{ID: "x"}).Error; err != nil {
		return err
	}
	found := s.conn.Where("id = ?", "z").Limit(1).Find(&Widget{})
	^ `found.Error` is never read
	if found.RowsAffected > 0 {
		return nil
	}
	checked := s.conn.First(&Widget{})
	if checked.Error != nil {
		return checked.Error
	}
	return nil
}

func (s *Store) Query() *gorm.DB {
	q := s.conn.Find(&[]Widget{})
	return q
}

func open(dsn string) *gorm.DB {
	db, _ := gorm.Open(postgres.Open(dsn), &gorm.Config{})
	db.Save(&Widget{ID: "y"})
	^ error of `db.Save` is never checked
	return db
}
"#
        ),
        case!(
            "orders/worker.go",
            r#"package orders

import (
	"context"
	"log"
	"net/http"

	"github.com/Azure/go-amqp"
	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

func consume(ctx context.Context, rcv *amqp.Receiver, save func([]byte) error) {
	for {
		m, err := rcv.Receive(ctx, nil)
		if err != nil {
			return
		}
		if save(m.GetData()) != nil {
			_ = rcv.ReleaseMessage(ctx, m)
			^ if settling fails the message stays locked
			continue
		}
		_ = rcv.AcceptMessage(ctx, m)
		^ error result of `rcv.AcceptMessage` is discarded
	}
}

func list(ctx context.Context, coll *mongo.Collection) ([]bson.M, error) {
	cur, err := coll.Find(ctx, bson.M{"open": true})
	if err != nil {
		return nil, err
	}
	if err := cur.Err(); err != nil {
		return nil, err
	}
	var out []bson.M
	for cur.Next(ctx) {
	^ checked only before the loop
		var doc bson.M
		if err := cur.Decode(&doc); err != nil {
			return nil, err
		}
		out = append(out, doc)
	}
	return out, nil
}

func serve(h http.Handler) {
	api := gin.New()
	go func() {
		http.ListenAndServe(":9090", h)
		^ error of `http.ListenAndServe` is never checked
	}()
	api.Run(":8080")
	^ error of `api.Run` is never checked
	log.Print("stopped")
}
"#
        ),
        case!(
            "orders/worker_ok.go",
            r#"package orders

import (
	"context"
	"log"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

type task struct{}

func (t *task) Run(n int) {}

func listAll(ctx context.Context, coll *mongo.Collection) ([]bson.M, error) {
	cur, err := coll.Find(ctx, bson.M{})
	if err != nil {
		return nil, err
	}
	defer cur.Close(ctx)
	var out []bson.M
	for cur.Next(ctx) {
		var doc bson.M
		if err := cur.Decode(&doc); err != nil {
			return nil, err
		}
		out = append(out, doc)
	}
	return out, cur.Err()
}

func start(h http.Handler, mu *sync.Mutex) {
	web := gin.Default()
	go func() {
		log.Fatal(http.ListenAndServe(":9090", h))
	}()
	t := &task{}
	t.Run(3)
	_ = mu.TryLock()
	if err := web.Run(":8080"); err != nil {
		log.Fatal(err)
	}
}
"#
        ),
        case!(
            "store/kv.go",
            "package store\n\ntype KV struct{ m map[string]string }\n\nfunc (k *KV) Delete(key string) { delete(k.m, key) }\n\nfunc use(k *KV) { k.Delete(\"a\") }\n"
        ),
        case!(
            "internal/x/x_test.go",
            "package x\nimport \"os\"\nfunc TestX() { _ = os.Remove(\"a\") }\n"
        ),
        case!(
            "lib/io.js",
            "const fs = require('fs');\nfs.readFile('a', (err, data) => {\n  if (err) { logger.error(err); return; }\n  use(data);\n});\nserver.bindAsync(addr, creds, (err, port) => {\n  if (err) throw err;\n  server.start();\n});\n"
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
            Family::Go => &[
                "short_var_declaration",
                "assignment_statement",
                "go_statement",
                "for_statement",
                "expression_statement",
            ],
            Family::Js => &["call_expression"],
            _ => &[],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Go => go(node, cx),
            Family::Js => js(node, cx),
            _ => {}
        }
    }
}

/// Package-qualified functions whose error result matters (I/O, network, database,
/// encoding). Resolved names, as `Imports::resolve` gives them.
const GO_ERROR_FUNCS: &[&str] = &[
    "os.Remove",
    "os.RemoveAll",
    "os.Rename",
    "os.Mkdir",
    "os.MkdirAll",
    "os.WriteFile",
    "os.Chmod",
    "os.Chown",
    "os.Setenv",
    "os.Symlink",
    "os.Link",
    "os.Truncate",
    "os.ReadFile",
    "os.Open",
    "os.Create",
    "os.OpenFile",
    "io/ioutil.WriteFile",
    "io/ioutil.ReadFile",
    "io/ioutil.ReadAll",
    "io.ReadAll",
    "io.Copy",
    "io.CopyN",
    "io.ReadFull",
    "encoding/json.Unmarshal",
    "encoding/json.Marshal",
    "encoding/json.MarshalIndent",
    "encoding/xml.Unmarshal",
    "encoding/xml.Marshal",
    "net.Dial",
    "net.Listen",
    "net/http.NewRequest",
    "net/http.NewRequestWithContext",
    "net/http.Get",
    "net/http.Post",
    "net/url.Parse",
    "time.Parse",
    "time.LoadLocation",
    "strconv.Atoi",
    "strconv.ParseInt",
    "strconv.ParseUint",
    "strconv.ParseFloat",
    "strconv.ParseBool",
];

/// Method names whose error result matters whatever the receiver (database and I/O).
const GO_ERROR_METHODS: &[&str] = &[
    "Exec",
    "ExecContext",
    "Query",
    "QueryContext",
    "Commit",
    "Scan",
    "Sync",
    "Flush",
    "Publish",
    "Send",
    "SendMsg",
    "Set",
    "Del",
    "Ack",
    "Nack",
    "Decode",
    "Unmarshal",
    "WriteFile",
    "Shutdown",
    "Serve",
    "ListenAndServe",
    "Start",
];

/// Message settlement methods of AMQP 1.0 and Azure Service Bus receivers: each sends a
/// disposition to the broker and can fail.
const GO_SETTLE_METHODS: &[&str] = &[
    "AcceptMessage",
    "RejectMessage",
    "ReleaseMessage",
    "ModifyMessage",
    "CompleteMessage",
    "AbandonMessage",
    "DeadLetterMessage",
    "DeferMessage",
];

fn go(node: Node<'_>, cx: &mut Cx<'_>) {
    match node.kind_name() {
        "short_var_declaration" | "assignment_statement" => {
            go_blank(node, cx);
            go_gorm_kept(node, cx);
        }
        "go_statement" => go_serve(node, cx),
        "for_statement" => go_rows(node, cx),
        "expression_statement" => {
            go_gorm_statement(node, cx);
            go_serve_statement(node, cx);
        }
        _ => {}
    }
}

/// gorm methods that run a statement against the database; each returns a `*gorm.DB`
/// whose `.Error` (or, for `AutoMigrate`, an `error`) is the only report of a failure.
const GORM_FINISHERS: &[&str] = &[
    "AutoMigrate",
    "Create",
    "CreateInBatches",
    "Save",
    "Delete",
    "Update",
    "Updates",
    "UpdateColumn",
    "UpdateColumns",
    "Exec",
    "First",
    "Find",
    "Take",
    "Last",
    "FirstOrCreate",
    "Pluck",
    "Count",
    "Scan",
];

/// `r := db.Where(..).Find(&x)` whose `r.Error` the function never reads (only
/// `r.RowsAffected`, say): a failed query looks like an empty result.
fn go_gorm_kept(node: Node<'_>, cx: &mut Cx<'_>) {
    let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
        return;
    };
    if l.named_child_count() != 1 || r.named_child_count() != 1 {
        return;
    }
    let (Some(var), Some(call)) = (l.named_child(0), r.named_child(0)) else {
        return;
    };
    if var.kind_name() != "identifier" || call.kind_name() != "call_expression" {
        return;
    }
    let name = cx.text(var);
    if name == "_" {
        return;
    }
    let Some(shown) = gorm_call(call, cx) else {
        return;
    };
    let func = syntax::enclosing_function(node, Family::Go).unwrap_or(cx.root);
    let body = cx.text(func);
    // Read in any way other than a field access (returned, passed on): not judged.
    let used_whole = body.match_indices(name).any(|(i, _)| {
        let after = &body[i + name.len()..];
        let before = body[..i].chars().next_back();
        before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
            && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
            && !after.trim_start().starts_with(":=")
            && !after.trim_start().starts_with('=')
    });
    if used_whole || body.contains(&format!("{name}.Error")) {
        return;
    }
    cx.hit(
        &META,
        node,
        shown.clone(),
        format!("result of `{shown}` is kept in `{name}` but `{name}.Error` is never read: a failed query looks like an empty result"),
    )
    .group(shown);
}

/// `root.Method` when `call` is a gorm finisher on a handle the file declares `*gorm.DB`
/// or opens with `gorm.Open`, in a file that imports gorm.
fn gorm_call(call: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let imports_gorm = cx.file_flag("imports-gorm", || {
        cx.src.contains("\"gorm.io/gorm\"") || cx.src.contains("\"github.com/jinzhu/gorm\"")
    });
    if !imports_gorm {
        return None;
    }
    let (written, _) = cx.callee(call);
    let method = last_segment(&written);
    if !GORM_FINISHERS.contains(&method) {
        return None;
    }
    let root = go_chain_root(call, cx)?;
    let handle = last_segment(root);
    let declared = syntax::go_names_declared_as(cx.src, "*gorm.DB").contains(&handle);
    let opened = || {
        cx.bindings().nodes(cx.root, root).iter().any(|v| {
            v.kind_name() == "call_expression" && {
                let (_, r) = cx.callee(*v);
                r.starts_with("gorm.io/gorm.") || r.starts_with("github.com/jinzhu/gorm.")
            }
        })
    };
    (declared || opened()).then(|| format!("{root}.{method}"))
}

/// `db.Create(&x)` as a statement, `db` a gorm handle: the result, and with it the error,
/// is dropped. The handle must be declared `*gorm.DB` in the file or bound to `gorm.Open`
/// (a map or cache with a `Delete` method is not a gorm handle).
fn go_gorm_statement(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(call) = node.named_child(0) else {
        return;
    };
    if call.kind_name() != "call_expression" {
        return;
    }
    let Some(shown) = gorm_call(call, cx) else {
        return;
    };
    cx.hit(
        &META,
        node,
        shown.clone(),
        format!("error of `{shown}` is never checked: gorm reports a failed statement only through its result, which this statement drops"),
    )
    .group(shown);
}

/// The innermost operand of a Go call chain (`db` in `db.Where(..).Find(&x)`, `r.db` in
/// `r.db.Create(x)`), when it is a name or a field path.
fn go_chain_root<'a>(call: Node<'_>, cx: &Cx<'a>) -> Option<&'a str> {
    let mut cur = call;
    loop {
        match cur.kind_name() {
            "call_expression" => cur = cur.field("function")?,
            "selector_expression" => {
                let operand = cur.field("operand")?;
                if operand.kind_name() == "call_expression" {
                    cur = operand;
                } else {
                    let t = cx.text(operand);
                    return t
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                        .then_some(t);
                }
            }
            _ => return None,
        }
    }
}

fn go_blank(node: Node<'_>, cx: &mut Cx<'_>) {
    let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
        return;
    };
    let mut c1 = l.walk();
    let ls: Vec<Node<'_>> = l.named_children(&mut c1).collect();
    let mut c2 = r.walk();
    let rs: Vec<Node<'_>> = r.named_children(&mut c2).collect();
    if rs.len() != 1 || ls.last().is_none_or(|n| cx.text(*n) != "_") {
        return;
    }
    let call = rs[0];
    if call.kind_name() != "call_expression" {
        return;
    }
    // `_, _ = a, b` and similar are not error drops.
    let (written, resolved) = cx.callee(call);
    let name = last_segment(&written).to_string();
    let receiver = syntax::receiver(&written).unwrap_or("");
    // Conventional ignores: writes and flushes to streams, closing, parsing input where
    // the zero value is the intended fallback, yes/no queries.
    let lower = name.to_ascii_lowercase();
    if resolved.starts_with("fmt.")
        || receiver == "w"
        || receiver.contains("Builder")
        || receiver.ends_with("buf")
        || resolved.starts_with("strings.")
        || resolved.starts_with("bytes.")
        || resolved.starts_with("strconv.")
        || resolved.starts_with("time.Parse")
        || resolved.starts_with("encoding/json.Marshal")
        || matches!(
            name.as_str(),
            "Write" | "WriteString" | "Flush" | "Close" | "Encode" | "Sync"
        )
        || ["parse", "marshal", "atoi", "format"]
            .iter()
            .any(|k| lower.contains(k))
        || lower.starts_with("is")
        || lower.starts_with("has")
    {
        return;
    }
    // `_ = f()` discards the only result on purpose; best-effort cleanup is the common,
    // accepted case. Reported only when the value is kept (`x, _ := f()`: the zero value
    // is then used as if the call had worked) or the discarded call is not cleanup.
    let explicit_discard = ls.len() == 1;
    let cleanup = [
        "remove",
        "delete",
        "cleanup",
        "clean",
        "shutdown",
        "stop",
        "kill",
        "deregister",
        "unregister",
        "release",
        "unlock",
        "cancel",
        "destroy",
        "terminate",
        "unmount",
        "purge",
        "reset",
        "abort",
        "rollback",
    ]
    .iter()
    .any(|k| lower.contains(k));
    // Message-broker settlement (AMQP, Service Bus): a failed accept/reject/release
    // leaves the message locked and redelivered later; it is not cleanup.
    let settle = GO_SETTLE_METHODS.contains(&name.as_str());
    if explicit_discard && cleanup && !settle {
        return;
    }
    let subject = written.clone();
    if GO_ERROR_FUNCS.contains(&resolved.as_str()) {
        let conf = Confidence::High;
        cx.hit(
            &META,
            node,
            subject,
            format!("error result of `{written}` is discarded with `_`"),
        )
        .confidence(conf)
        .group(written.clone());
        return;
    }
    // A package-qualified call we do not know: leave it.
    if cx.imports().get(receiver).is_some() {
        return;
    }
    if receiver.is_empty()
        || !written.contains('.')
        || receiver
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        // Same-package function or method: report if the package declares it returning error.
        let dir = files::parent_dir(cx.path).to_string();
        let known_method =
            (GO_ERROR_METHODS.contains(&name.as_str()) || settle) && !receiver.is_empty();
        let message = if settle {
            format!(
                "error result of `{written}` is discarded with `_`: if settling fails the message stays locked and comes back later, with nothing logged"
            )
        } else {
            format!("error result of `{written}` is discarded with `_`")
        };
        let h = cx.hit(&META, node, subject, message);
        h.group(written.clone());
        if settle {
            h.confidence(Confidence::Medium);
        }
        if !known_method {
            h.requires(Requirement::GoFuncReturnsError { dir, name });
        }
    }
}

fn go_serve(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(call) = descendants(node).find(|d| d.kind_name() == "call_expression") else {
        return;
    };
    if call.parent() != Some(node) {
        return;
    }
    let (written, _) = cx.callee(call);
    let m = last_segment(&written);
    if matches!(
        m,
        "Serve" | "ListenAndServe" | "ListenAndServeTLS" | "ServeTLS"
    ) && written.contains('.')
    {
        cx.hit(&META, node, written.clone(), format!("error of `{written}` is lost: if the server fails to start the process keeps running and serves nothing"));
    }
}

/// `http.ListenAndServe(addr, h)`, `srv.ListenAndServe()`, gin's `router.Run(addr)` or
/// echo's `e.Start(addr)` used as a statement: if the server cannot start (port taken,
/// bad certificate) the error is dropped and the caller goes on, usually out of `main`
/// with exit status 0 and nothing logged.
fn go_serve_statement(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(call) = node.named_child(0) else {
        return;
    };
    if call.kind_name() != "call_expression" {
        return;
    }
    let (written, resolved) = cx.callee(call);
    let method = last_segment(&written);
    let recv = syntax::receiver(&written).unwrap_or("");
    let simple_recv = !recv.is_empty() && recv.chars().all(|c| c.is_alphanumeric() || c == '_');
    let server = matches!(
        resolved.as_str(),
        "net/http.ListenAndServe"
            | "net/http.ListenAndServeTLS"
            | "net/http.Serve"
            | "net/http.ServeTLS"
    ) || (matches!(
        method,
        "ListenAndServe" | "ListenAndServeTLS" | "Serve" | "ServeTLS"
    ) && simple_recv
        && cx.imports().get(recv).is_none())
        || (simple_recv
            && match method {
                "Run" | "RunTLS" => {
                    crate::rules::timeout::http_server::go_web_engine(recv, cx) == Some("gin")
                }
                "Start" | "StartTLS" => {
                    crate::rules::timeout::http_server::go_web_engine(recv, cx) == Some("echo")
                }
                _ => false,
            });
    if !server {
        return;
    }
    let why = if matches!(method, "Serve" | "ServeTLS") {
        "if serving fails (listener closed, accept or certificate error)"
    } else {
        "if the server cannot start (port in use, bad certificate)"
    };
    cx.hit(
        &META,
        node,
        written.clone(),
        format!("error of `{written}` is never checked: {why} the failure is dropped and nothing is logged"),
    );
}

fn go_rows(node: Node<'_>, cx: &mut Cx<'_>) {
    // `for rows.Next() {`: the condition is a call to `.Next()` on some iterator.
    let Some(cond) = node.named_child(0) else {
        return;
    };
    if cond.kind_name() != "call_expression" {
        return;
    }
    let (written, _) = cx.callee(cond);
    let Some(recv) = written.strip_suffix(".Next") else {
        return;
    };
    if recv.is_empty() || !recv.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return;
    }
    // Only database-like iterators: bound from a Query call, or a MongoDB cursor
    // (`Find`/`Aggregate`/`Watch`, iterated with `cursor.Next(ctx)`).
    let takes_ctx = cond
        .field("arguments")
        .is_some_and(|a| a.named_child_count() > 0);
    let from_query = cx.bindings().nodes(cx.root, recv).iter().any(|v| {
        v.kind_name() == "call_expression" && {
            let (w, _) = cx.callee(*v);
            match last_segment(&w) {
                "Query" | "QueryContext" | "QueryRows" | "Rows" => true,
                "Find" | "Aggregate" | "Watch" => takes_ctx,
                _ => false,
            }
        }
    });
    if !from_query {
        return;
    }
    // `Err()` reports what stopped the loop, so only a check after the loop counts.
    let func = syntax::enclosing_function(node, Family::Go).unwrap_or(cx.root);
    let needle = format!("{recv}.Err()");
    let from = node.start_byte().max(func.start_byte());
    let after = cx.src.get(from..func.end_byte()).unwrap_or("");
    if after.contains(&needle) {
        return;
    }
    let only_before = cx.text(func).contains(&needle);
    let note = if only_before {
        format!(
            " (`{recv}.Err()` is checked only before the loop, when nothing can have failed yet)"
        )
    } else {
        String::new()
    };
    cx.hit(&META, node, format!("{recv}.Next"), format!("`{recv}.Next()` loop without a `{recv}.Err()` check: a failure mid-iteration looks like the end of the results{note}"));
}

fn js(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(call);
    let args = syntax::positional_args(call);
    let Some(cb) = args.last() else { return };
    if !matches!(
        cb.kind_name(),
        "arrow_function" | "function_expression" | "function"
    ) {
        return;
    }
    let params: Vec<Node<'_>> = cb
        .field("parameters")
        .map(|p| {
            let mut c = p.walk();
            p.named_children(&mut c)
                .filter(|n| n.kind_name() != "comment")
                .collect()
        })
        .or_else(|| cb.field("parameter").map(|p| vec![p]))
        .unwrap_or_default();
    let Some(body) = cb.field("body") else {
        return;
    };
    let method = last_segment(&written);
    // Known error-first APIs where a callback with no parameters drops the error.
    let error_first_api =
        method == "bindAsync" || resolved.starts_with("fs.") && !resolved.contains("Sync");
    if params.is_empty() {
        if error_first_api {
            cx.hit(&META, *cb, format!("{method} callback"), format!("`{method}` callback ignores the error: a failure is dropped and execution continues"));
        }
        return;
    }
    let first = params[0];
    let pname = match first.kind_name() {
        "identifier" => cx.text(first),
        "required_parameter" | "optional_parameter" => {
            first.field("pattern").map(|p| cx.text(p)).unwrap_or("")
        }
        _ => return,
    };
    if !matches!(pname, "err" | "error" | "er" | "e") || (pname == "e" && !error_first_api) {
        return;
    }
    if mentions(cx, body, pname) {
        return;
    }
    if body.kind_name() == "statement_block" && body.named_child_count() == 0 {
        return; // an empty callback is a different smell, reported elsewhere if at all
    }
    cx.hit(
        &META,
        first,
        format!("{method} callback"),
        format!("callback of `{method}` never reads `{pname}`: the error is dropped"),
    );
}
