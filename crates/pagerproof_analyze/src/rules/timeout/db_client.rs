//! `db-call-without-timeout`: database and cache calls that can block forever.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, kwarg, last_segment, receiver};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::timeout::go_deadline::{self, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "db-call-without-timeout",
    category: "TIMEOUT",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["go", "python", "javascript", "typescript"],
    summary: "Database or cache call that can block forever",
    docs: Docs {
        what: "Database and cache access with nothing to bound it: Go SQL calls (`database/sql`, pgx, sqlx: \
`Query`, `QueryRow`, `Exec`, `Begin`, pool constructors) given `context.Background()`/`TODO()`; Python \
`redis.Redis(...)`/`from_url` without `socket_timeout` (redis-py waits forever by default) and \
`psycopg2`/`psycopg` connections without `connect_timeout`; Node `pg` `Pool`/`Client` without \
`connectionTimeoutMillis`/`statement_timeout`/`query_timeout`; Go Elasticsearch/OpenSearch clients (`NewClient`, `NewDefaultClient`) whose config and `http.Transport` set no \
timeout, and in the same file the calls on them with no context or `context.Background()` (medium confidence); Go \
MongoDB collection operations (`Find`, `FindOne`, `InsertOne`, `UpdateMany`, ...) given `context.TODO()`/`Background()` on a \
handle declared `*mongo.Collection` or taken from `.Collection(...)`, when the file sets no client timeout (`SetTimeout`, \
`SetSocketTimeout`, `timeoutMS`): mongo-go-driver bounds neither by default (medium confidence, as the URI may carry one); Node `ioredis` clients without `commandTimeout` (options \
passed in a variable, and queue connections for BullMQ/Bull, whose blocking commands must not time out, are not judged). Clients with finite defaults (go-redis 3 s, pymongo, \
asyncpg 60 s connect) are not reported.",
        scenario: "The database fails over, a lock is held by a long migration, or the network drops packets \
mid-query.",
        impact: "Queries queue behind the stuck ones; the connection pool empties and every request that touches \
the database hangs: the service is down while the database may already be back.",
        detection: "Connection-pool wait time and in-use connections at the maximum; request latency pinned at \
the load balancer timeout.",
        mitigation: "Pass a context with a deadline to every query (Go), set socket/connect/statement timeouts \
on clients, and set `statement_timeout` on the database role.",
        fixes: &[
            (
                "go",
                "ctx, cancel := context.WithTimeout(ctx, 2*time.Second)\ndefer cancel()\nrows, err := pool.Query(ctx, query)",
            ),
            (
                "python",
                "r = redis.Redis(host=host, socket_timeout=2, socket_connect_timeout=2)\nconn = psycopg2.connect(dsn, connect_timeout=5, options=\"-c statement_timeout=5000\")",
            ),
            (
                "javascript",
                "const pool = new Pool({ connectionTimeoutMillis: 2000, statement_timeout: 5000, query_timeout: 6000 });",
            ),
            (
                "typescript",
                "const pool = new Pool({ connectionTimeoutMillis: 2000, statement_timeout: 5000, query_timeout: 6000 });",
            ),
        ],
        monitoring: "Pool saturation and wait time, query latency p99, and database lock waits.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "catalog/db.go",
            r#"package catalog

import (
	"context"
	"database/sql"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func load(db *sql.DB) error {
	pool, err := pgxpool.New(context.Background(), "postgres://db/app")
	             ^ `pgxpool.New` with `context.Background()`
	if err != nil {
		return err
	}
	rows, err := pool.Query(context.Background(), "SELECT 1")
	             ^ `Query` with `context.Background()`
	if err != nil {
		return err
	}
	defer rows.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, "UPDATE t SET x = 1")
	return err
}
"#
        ),
        case!(
            "orders/store.go",
            r#"package orders

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

type Store struct {
	orders *mongo.Collection
}

func (s *Store) Open(ctx context.Context) ([]bson.M, error) {
	var out []bson.M
	cur, err := s.orders.Find(ctx, bson.M{"open": true})
	if err != nil {
		return nil, err
	}
	return out, cur.All(ctx, &out)
}

func (s *Store) Close(id string) error {
	bg := context.TODO()
	_, err := s.orders.UpdateOne(bg, bson.M{"_id": id}, bson.M{"$set": bson.M{"open": false}})
	          ^ MongoDB `UpdateOne` with `bg` (a context without deadline) and no client timeout
	return err
}

func (s *Store) Add(doc bson.M) error {
	_, err := s.orders.InsertOne(context.Background(), doc)
	          ^ MongoDB `InsertOne` with `context.Background()`
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = s.orders.DeleteMany(ctx, bson.M{"stale": true})
	return err
}
"#
        ),
        // The client carries an operation timeout (CSOT): every call is bounded.
        case!(
            "orders/bounded.go",
            r#"package orders

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

func open(uri string) (*mongo.Collection, error) {
	c, err := mongo.Connect(context.TODO(), options.Client().ApplyURI(uri).SetTimeout(5*time.Second))
	if err != nil {
		return nil, err
	}
	return c.Database("app").Collection("orders"), nil
}

func count(coll *mongo.Collection) (int64, error) {
	return coll.CountDocuments(context.TODO(), bson.M{})
}
"#
        ),
        case!(
            "svc/cache.py",
            r#"import redis
import psycopg2

cache = redis.Redis(host="cache", port=6379)
        ^ `redis.Redis` without `socket_timeout`
ok = redis.Redis(host="cache", socket_timeout=2)
conn = psycopg2.connect("dbname=app host=db")
       ^ `psycopg2.connect` without `connect_timeout`
conn2 = psycopg2.connect("dbname=app host=db connect_timeout=5")
"#
        ),
        case!(
            "src/db.js",
            r#"const { Pool } = require('pg');
const pool = new Pool({ host: 'db' });
             ^ `pg` Pool without connection or statement timeouts
const ok = new Pool({ connectionTimeoutMillis: 2000, statement_timeout: 5000 });
"#
        ),
        case!(
            "src/cache.ts",
            r#"import Redis from 'ioredis';
export const cache = new Redis(process.env.REDIS_URL);
                     ^ `ioredis` client without `commandTimeout`
export const bounded = new Redis(process.env.REDIS_URL, { commandTimeout: 500 });
export const configured = new Redis(redisOptions);
export const queue = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
"#
        ),
        case!(
            "internal/cache/redis.go",
            r#"package cache

import (
	"context"

	"github.com/redis/go-redis/v9"
)

func get(c *redis.Client) string {
	return c.Get(context.Background(), "k").Val()
}
"#
        ),
        case!(
            "search/index.go",
            r#"package search

import (
	"context"
	"crypto/tls"
	"net/http"
	"time"

	"github.com/opensearch-project/opensearch-go/v2"
	"github.com/opensearch-project/opensearch-go/v2/opensearchapi"
)

func open(url string, skip bool) (*opensearch.Client, error) {
	conf := opensearch.Config{
		Addresses: []string{url},
		Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}},
	}
	return opensearch.NewClient(conf)
	       ^ `opensearch.NewClient` with no response timeout
}

func openBounded(url string) (*opensearch.Client, error) {
	return opensearch.NewClient(opensearch.Config{
		Addresses: []string{url},
		Transport: &http.Transport{ResponseHeaderTimeout: 3 * time.Second},
	})
}

func openDefault() (*opensearch.Client, error) {
	return opensearch.NewDefaultClient()
	       ^ `opensearch.NewDefaultClient` with no response timeout
}

type Repo struct {
	cl   *opensearch.Client
	name string
}

func (r *Repo) Reset(ctx context.Context) error {
	res, err := r.cl.Indices.Exists([]string{r.name})
	            ^ `r.cl.Indices.Exists` with no context
	if err != nil {
		return err
	}
	defer res.Body.Close()
	bg := context.Background()
	req := opensearchapi.IndicesDeleteRequest{Index: []string{r.name}}
	del, err := req.Do(bg, r.cl)
	            ^ `req.Do` with `context.Background()`
	if err != nil {
		return err
	}
	defer del.Body.Close()
	created, err := r.cl.Indices.Create(r.name, r.cl.Indices.Create.WithContext(ctx))
	if err != nil {
		return err
	}
	return created.Body.Close()
}
"#
        ),
        case!(
            "search/es.go",
            r#"package search

import (
	"net/http"

	"github.com/elastic/go-elasticsearch/v8"
)

func open(t http.RoundTripper) (*elasticsearch.Client, error) {
	return elasticsearch.NewClient(elasticsearch.Config{Transport: t})
}
"#
        ),
        case!(
            "svc/ok_cache.py",
            "import redis\ncache = redis.Redis.from_url(URL, socket_timeout=2, socket_connect_timeout=2)\n"
        ),
        case!(
            "src/ok_db.ts",
            "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 });\n"
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
            Family::Go => &["call_expression"],
            Family::Python => &["call"],
            Family::Js => &["new_expression"],
            Family::Java => &[],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Go => go(node, cx),
            Family::Python => python(node, cx),
            Family::Js => js(node, cx),
            Family::Java => {}
        }
    }
}

const GO_SQL_METHODS: &[&str] = &[
    "Query",
    "QueryRow",
    "Exec",
    "QueryContext",
    "QueryRowContext",
    "ExecContext",
    "Begin",
    "BeginTx",
    "SendBatch",
    "CopyFrom",
    "Select",
    "Get",
    "NamedExecContext",
    "PingContext",
    "Ping",
];

/// Whether a Go expression is a SQL handle built in this file (pgx, database/sql, sqlx).
fn go_is_sql_handle(recv: &str, cx: &Cx<'_>) -> bool {
    cx.bindings()
        .nodes_for_receiver(cx.root, recv)
        .iter()
        .any(|v| {
            v.kind_name() == "call_expression" && {
                let (_, r) = cx.callee(*v);
                r.starts_with("github.com/jackc/pgx")
                    || r == "database/sql.Open"
                    || r.starts_with("github.com/jmoiron/sqlx")
            }
        })
}

fn go(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(call);
    if go_search_client(call, &written, &resolved, cx) {
        return;
    }
    let args = syntax::positional_args(call);
    let Some(first) = args.first() else { return };
    let is_ctor = matches!(
        resolved.as_str(),
        "github.com/jackc/pgx/v5/pgxpool.New"
            | "github.com/jackc/pgx/v5/pgxpool.NewWithConfig"
            | "github.com/jackc/pgx/v4/pgxpool.Connect"
            | "github.com/jackc/pgx/v4/pgxpool.ConnectConfig"
            | "github.com/jackc/pgx/v5.Connect"
            | "github.com/jackc/pgx/v5.ConnectConfig"
            | "github.com/jackc/pgx/v4.Connect"
    );
    let method = last_segment(&written);
    if go_mongo_call(call, method, &written, *first, cx) {
        return;
    }
    let is_sql = !is_ctor
        && GO_SQL_METHODS.contains(&method)
        && receiver(&written).is_some_and(|r| go_is_sql_handle(r, cx));
    if !(is_ctor || is_sql) {
        return;
    }
    if go_deadline::classify(*first, cx) == Ctx::Background {
        let name = if is_ctor {
            resolved.rsplit('/').next().unwrap_or(&resolved).to_string()
        } else {
            method.to_string()
        };
        let ctx = cx.text(*first).to_string();
        cx.hit(&META, call, name.clone(), format!("`{name}` with `{ctx}`: no deadline and no cancellation, so a stuck database blocks it forever"));
    }
}

/// MongoDB collection operations (mongo-go-driver v1/v2). Neither version bounds an
/// operation by default: no client-level `Timeout` (CSOT) and no socket timeout, so with
/// `context.TODO()`/`Background()` a primary that stops answering holds the call forever.
const GO_MONGO_METHODS: &[&str] = &[
    "Find",
    "FindOne",
    "FindOneAndUpdate",
    "FindOneAndReplace",
    "FindOneAndDelete",
    "InsertOne",
    "InsertMany",
    "UpdateOne",
    "UpdateMany",
    "UpdateByID",
    "ReplaceOne",
    "DeleteOne",
    "DeleteMany",
    "Aggregate",
    "CountDocuments",
    "Distinct",
    "BulkWrite",
];

/// A MongoDB collection call given `context.TODO()`/`Background()` (directly or through
/// a variable bound to it in the function), on a handle the file declares as
/// `*mongo.Collection` or gets from `.Collection(...)`. Not judged when the file sets a
/// client timeout (`SetTimeout`, `SetSocketTimeout`, `timeoutMS`/`socketTimeoutMS` in
/// a literal URI); the URI may still carry one from the environment, hence medium
/// confidence. Returns whether the call was a MongoDB operation.
fn go_mongo_call(
    call: Node<'_>,
    method: &str,
    written: &str,
    ctx: Node<'_>,
    cx: &mut Cx<'_>,
) -> bool {
    if !GO_MONGO_METHODS.contains(&method) {
        return false;
    }
    let imports_mongo = cx.src.contains("\"go.mongodb.org/mongo-driver/mongo\"")
        || cx.src.contains("\"go.mongodb.org/mongo-driver/v2/mongo\"");
    let Some(recv) = receiver(written) else {
        return false;
    };
    if !imports_mongo {
        return false;
    }
    let field = recv.rsplit('.').next().unwrap_or(recv);
    let declared = syntax::go_names_declared_as(cx.src, "*mongo.Collection").contains(&field);
    let bound = cx
        .bindings()
        .nodes_for_receiver(cx.root, recv)
        .iter()
        .any(|v| {
            v.kind_name() == "call_expression" && last_segment(&cx.callee(*v).0) == "Collection"
        });
    if !(declared || bound) {
        return false;
    }
    let src = cx.src;
    if [
        "SetTimeout(",
        "SetSocketTimeout(",
        "timeoutMS",
        "socketTimeoutMS",
    ]
    .iter()
    .any(|k| src.contains(k))
    {
        return true;
    }
    if go_deadline::classify(ctx, cx) != Ctx::Background {
        return true;
    }
    let shown = if ctx.kind_name() == "identifier" {
        format!("`{}` (a context without deadline)", cx.text(ctx))
    } else {
        format!("`{}`", cx.text(ctx))
    };
    cx.hit(
        &META,
        call,
        format!("mongo {method}"),
        format!("MongoDB `{method}` with {shown} and no client timeout: the driver sets no operation or socket timeout by default, so a stuck primary blocks it forever"),
    )
    .confidence(Confidence::Medium);
    true
}

/// Elasticsearch and OpenSearch Go clients (`NewClient(cfg)`, `NewDefaultClient()`): both
/// send over `http.DefaultTransport` or the `Transport` given, neither sets a response
/// timeout, so a cluster that stops answering holds each request until its context ends.
/// The constructor is reported when the config sets no `*Timeout` anywhere and its
/// transport is absent or an `http.Transport` literal without one; a transport or config
/// built elsewhere is not judged, nor a file that derives deadlines (`context.WithTimeout`).
/// In a file with such a constructor, calls on the client that carry no context, or
/// `context.Background()`, are reported too. Returns whether the call was handled here.
fn go_search_client(call: Node<'_>, written: &str, resolved: &str, cx: &mut Cx<'_>) -> bool {
    match search_ctor_unbounded(call, written, resolved, cx) {
        Some(true) => {
            let ctor = last_segment(written);
            let pkg = receiver(written).unwrap_or(written).to_string();
            cx.hit(
                &META,
                call,
                format!("{pkg}.{ctor}"),
                format!("`{pkg}.{ctor}` with no response timeout on its transport: a cluster that stops answering holds every request forever"),
            );
            true
        }
        Some(false) => true,
        None => go_search_call(call, written, cx),
    }
}

const SEARCH_PATHS: &[&str] = &[
    "github.com/opensearch-project/opensearch-go",
    "github.com/elastic/go-elasticsearch",
];

/// `Some(unbounded)` when `call` constructs an Elasticsearch/OpenSearch client.
fn search_ctor_unbounded(
    call: Node<'_>,
    written: &str,
    resolved: &str,
    cx: &Cx<'_>,
) -> Option<bool> {
    let ctor = last_segment(written);
    if !matches!(ctor, "NewClient" | "NewDefaultClient") {
        return None;
    }
    let known = SEARCH_PATHS.iter().any(|p| resolved.starts_with(p))
        || (matches!(
            written,
            "opensearch.NewClient"
                | "opensearch.NewDefaultClient"
                | "elasticsearch.NewClient"
                | "elasticsearch.NewDefaultClient"
        ) && SEARCH_PATHS.iter().any(|p| cx.src.contains(p)));
    if !known {
        return None;
    }
    if cx.src.contains("context.WithTimeout") || cx.src.contains("context.WithDeadline") {
        return Some(false);
    }
    if ctor == "NewDefaultClient" {
        return Some(true);
    }
    let Some(arg) = syntax::positional_args(call).first().copied() else {
        return Some(false);
    };
    let lits: Vec<Node<'_>> = if arg.kind_name() == "composite_literal" {
        vec![arg]
    } else if arg.kind_name() == "identifier" {
        let name = cx.text(arg);
        // A field set after the literal (`cfg.Transport = t`) is not followed.
        if cx.src.contains(&format!("{name}.Transport")) {
            return Some(false);
        }
        cx.bindings().nodes(cx.root, name)
    } else {
        Vec::new()
    };
    let [lit] = lits.as_slice() else {
        return Some(false);
    };
    Some(
        lit.kind_name() == "composite_literal" && {
            let text = cx.text(*lit);
            let transport_known = match syntax::go_literal_value(*lit, cx.src, "Transport") {
                None => true,
                Some(v) => cx
                    .text(v)
                    .trim_start_matches('&')
                    .starts_with("http.Transport{"),
            };
            transport_known && !text.contains("Timeout")
        },
    )
}

/// API groups of the Elasticsearch/OpenSearch Go clients (`client.Indices.Create(...)`).
const SEARCH_API_GROUPS: &[&str] = &[
    "Indices", "Cat", "Cluster", "Nodes", "Snapshot", "Tasks", "Ingest",
];

/// A call on a search client built without a timeout in this file: `c.Info()`,
/// `c.Indices.Exists(..)` with no `WithContext(..)` option, or `req.Do(ctx, c)`, reported
/// when the context is missing or `context.Background()`.
fn go_search_call(call: Node<'_>, written: &str, cx: &mut Cx<'_>) -> bool {
    let unbounded_here = cx.file_flag("search-client-unbounded", || {
        SEARCH_PATHS.iter().any(|p| cx.src.contains(p))
            && syntax::descendants(cx.root).any(|n| {
                n.kind_name() == "call_expression" && {
                    let (w, r) = cx.callee(n);
                    search_ctor_unbounded(n, &w, &r, cx) == Some(true)
                }
            })
    });
    if !unbounded_here {
        return false;
    }
    let method = last_segment(written);
    let args = syntax::positional_args(call);
    let client = |path: &str| search_handles(cx, path);
    let ctx_arg = if method == "Do" {
        // `req.Do(ctx, client)`
        match args.as_slice() {
            [ctx, c] if client(cx.text(*c)) => Some(*ctx),
            _ => return false,
        }
    } else {
        let Some(recv) = receiver(written) else {
            return false;
        };
        let recv = match recv.rsplit_once('.') {
            Some((c, group)) if SEARCH_API_GROUPS.contains(&group) => c,
            _ if matches!(
                method,
                "Info"
                    | "Ping"
                    | "Search"
                    | "Index"
                    | "Bulk"
                    | "Get"
                    | "Delete"
                    | "Update"
                    | "Count"
            ) =>
            {
                recv
            }
            _ => return false,
        };
        if method.starts_with("With") || !client(recv) {
            return false;
        }
        // `client.Indices.Create(name, client.Indices.Create.WithContext(ctx))`
        args.iter().find_map(|a| {
            (a.kind_name() == "call_expression" && last_segment(&cx.callee(*a).0) == "WithContext")
                .then(|| syntax::positional_args(*a).first().copied())
                .flatten()
        })
    };
    let reason = match ctx_arg {
        None => "no context",
        Some(c) if go_deadline::classify(c, cx) == Ctx::Background => "`context.Background()`",
        Some(_) => return false,
    };
    let shown = written.to_string();
    cx.hit(
        &META,
        call,
        shown.clone(),
        format!("`{shown}` with {reason} on a search client that has no response timeout: a cluster that stops answering holds this call forever"),
    )
    .confidence(Confidence::Medium);
    true
}

/// Whether `path` (`client`, `r.client`) names a search client of this file: declared
/// `*opensearch.Client`/`*elasticsearch.Client`, or bound to a constructor call.
fn search_handles(cx: &Cx<'_>, path: &str) -> bool {
    let name = last_segment(path);
    if name.is_empty()
        || !path
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return false;
    }
    for ty in ["*opensearch.Client", "*elasticsearch.Client"] {
        for (i, _) in cx.src.match_indices(ty) {
            let before = cx.src[..i].trim_end_matches([' ', '\t']);
            if before.len() < i && before.ends_with(name) {
                let k = before.len() - name.len();
                if before[..k]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                {
                    return true;
                }
            }
        }
    }
    cx.bindings().nodes(cx.root, path).iter().any(|v| {
        v.kind_name() == "call_expression" && {
            let (w, _) = cx.callee(*v);
            matches!(last_segment(&w), "NewClient" | "NewDefaultClient")
        }
    })
}

fn python(call: Node<'_>, cx: &mut Cx<'_>) {
    let (_, resolved) = cx.callee(call);
    if syntax::has_kwargs_splat(call) {
        return;
    }
    match resolved.as_str() {
        "redis.Redis"
        | "redis.StrictRedis"
        | "redis.from_url"
        | "redis.Redis.from_url"
        | "redis.StrictRedis.from_url" => {
            let url_has = syntax::positional_args(call)
                .first()
                .is_some_and(|a| cx.text(*a).contains("socket_timeout"));
            if kwarg(call, cx.src, "socket_timeout").is_none() && !url_has {
                cx.hit(&META, call, resolved.clone(), format!("`{resolved}` without `socket_timeout`: redis-py waits forever on a stuck server"));
            }
        }
        "psycopg2.connect" | "psycopg.connect" => {
            let dsn_has = syntax::positional_args(call)
                .first()
                .is_some_and(|a| cx.text(*a).contains("connect_timeout"));
            if kwarg(call, cx.src, "connect_timeout").is_none() && !dsn_has {
                cx.hit(&META, call, resolved.clone(), format!("`{resolved}` without `connect_timeout`: connecting to an unreachable database blocks for minutes"))
                    .confidence(Confidence::Medium);
            }
        }
        _ => {}
    }
}

fn js(node: Node<'_>, cx: &mut Cx<'_>) {
    let (_, resolved) = cx.callee(node);
    if matches!(
        resolved.as_str(),
        "ioredis" | "ioredis.Redis" | "ioredis.default"
    ) && node.kind_name() == "new_expression"
    {
        return ioredis(node, cx);
    }
    if resolved != "pg.Pool" && resolved != "pg.Client" {
        return;
    }
    let args = syntax::positional_args(node);
    let keys = match args.first() {
        None => Vec::new(),
        Some(o) if o.kind_name() == "object" => match syntax::js_object_keys(*o, cx.src) {
            Some(k) => k,
            None => return,
        },
        Some(_) => return,
    };
    if keys.iter().any(|k| {
        matches!(
            k.as_str(),
            "connectionTimeoutMillis" | "statement_timeout" | "query_timeout" | "connectionString"
        )
    }) {
        return;
    }
    let what = if resolved == "pg.Pool" {
        "Pool"
    } else {
        "Client"
    };
    cx.hit(&META, node, format!("pg.{what}"), format!("`pg` {what} without connection or statement timeouts: node-postgres waits forever by default"));
}

/// `new Redis(...)` (ioredis) without `commandTimeout`: connecting is bounded (10 s), but a
/// command to a server that stops answering waits forever. Options passed as a variable
/// or with a spread are unknown and not reported.
fn ioredis(node: Node<'_>, cx: &mut Cx<'_>) {
    // A queue connection (BullMQ, Bull) runs blocking commands that must not time out;
    // BullMQ asks for `maxRetriesPerRequest: null` for that reason.
    if cx.src.contains("bullmq") || cx.src.contains("'bull'") || cx.src.contains("\"bull\"") {
        return;
    }
    for a in syntax::positional_args(node) {
        match a.kind_name() {
            "object" => match syntax::js_object_keys(a, cx.src) {
                Some(keys)
                    if keys
                        .iter()
                        .any(|k| k == "commandTimeout" || k == "maxRetriesPerRequest") =>
                {
                    return;
                }
                Some(_) => {}
                None => return,
            },
            // A URL or port in a variable is common; an options object in one cannot be
            // told apart, so a variable that does not name an address is not judged.
            "identifier" | "member_expression" | "call_expression" | "spread_element"
                if !["url", "port", "host"]
                    .iter()
                    .any(|w| cx.text(a).to_ascii_lowercase().contains(w)) =>
            {
                return;
            }
            _ => {}
        }
    }
    cx.hit(
        &META,
        node,
        "ioredis",
        "`ioredis` client without `commandTimeout`: a Redis server that stops answering holds every command forever",
    )
    .confidence(Confidence::Medium);
}
