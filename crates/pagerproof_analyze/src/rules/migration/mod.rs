//! MIGRATION: schema migrations that are unsafe during a rolling deploy or a rollback.
//!
//! One shared reader turns a migration file into operations, and each rule of this folder
//! reports one kind of them:
//! - Alembic (`def upgrade()`/`def downgrade()`, `op.*` and `batch_op.*` calls, SQL passed
//!   to `op.execute`), Django (`operations = [...]` of a `Migration` class),
//! - Knex, Sequelize/umzug, TypeORM and MikroORM migrations (`up`/`down` functions or
//!   methods, schema-builder calls, SQL passed to `raw`/`query`/`addSql`),
//! - SQL files in migration folders (Flyway, Liquibase formatted SQL, golang-migrate,
//!   goose, sql-migrate, dbmate, Prisma), read by `manifests/sql.rs`.
//!
//! Only the forward direction is judged: dropping a table in a `down` is expected.

pub mod backfill;
pub mod drop;
pub mod no_down;
pub mod not_null;
pub mod rename;
pub mod sql;
pub mod type_change;

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::imports::unquote;
use crate::lang::syntax::{self, descendants, kwarg, positional_args, string_value};
use crate::rule::{Cx, RuleMeta};

/// What a migration operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    DropTable,
    DropColumn,
    /// TRUNCATE, DELETE without WHERE.
    DropData,
    Rename,
    TypeChange,
    /// A NOT NULL column added without a default, or NOT NULL set on an existing column.
    NotNull,
    /// A data update (UPDATE).
    Update,
    /// A column added (any), for backfill detection.
    AddColumn,
    /// No usable down/reverse migration.
    NoDown,
    /// A data backfill in the same migration as a schema change of that table.
    Backfill,
}

/// Whether a path is inside a migrations folder or named like a migration file.
pub fn is_migration_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = crate::files::base_name(&lower);
    let dirs: Vec<&str> = lower.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    dirs.iter().any(|d| {
        matches!(
            *d,
            "migrations"
                | "migration"
                | "migrate"
                | "flyway"
                | "liquibase"
                | "changelog"
                | "changelogs"
        ) || (*d == "versions" && lower.contains("alembic"))
            || d.ends_with("_migrations")
            || d.ends_with("-migrations")
    }) || name.ends_with(".up.sql")
        || name.ends_with(".down.sql")
        || is_flyway_name(name)
        || (lower.contains("alembic") && dirs.last() == Some(&"versions"))
}

/// `V1__init.sql`, `V2_1__x.sql`, `U3__undo.sql`, `R__views.sql`.
fn is_flyway_name(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix('v')
        .or_else(|| name.strip_prefix('u'))
        .or_else(|| name.strip_prefix('r'))
    else {
        return false;
    };
    rest.contains("__")
        && rest.split("__").next().is_some_and(|v| {
            v.chars()
                .all(|c| c.is_ascii_digit() || c == '_' || c == '.')
        })
}

/// Whether an SQL migration file is a down/undo script.
pub fn is_down_file(path: &str) -> bool {
    let name = crate::files::base_name(path).to_ascii_lowercase();
    name.ends_with(".down.sql")
        || name == "down.sql"
        || (name.starts_with('u') && is_flyway_name(&name))
        || name.contains("rollback")
        || name.ends_with("_down.sql")
        || name.ends_with("-down.sql")
}

/// A migration operation found in code, at a node.
#[derive(Clone, Debug)]
pub struct Op<'t> {
    pub kind: Kind,
    pub node: Node<'t>,
    pub subject: String,
    /// The call or SQL form (`op.drop_column`, `RemoveField`, `DROP COLUMN`).
    pub via: String,
}

/// The operations of a code migration file (Python or JavaScript/TypeScript), forward
/// direction, plus `NoDown` and `Backfill` derived ones.
pub fn code_ops<'t>(cx: &Cx<'t>) -> Vec<Op<'t>> {
    if !is_migration_path(cx.path) {
        return Vec::new();
    }
    match cx.family() {
        Family::Python => {
            if cx.src.contains("def upgrade") && cx.src.contains("alembic") {
                alembic(cx)
            } else if cx.src.contains("class Migration") && cx.src.contains("operations") {
                django(cx)
            } else {
                Vec::new()
            }
        }
        Family::Js => js(cx),
        _ => Vec::new(),
    }
}

/// The operations of a file without tree nodes, remembered per thread for the file being
/// analysed so the six migration rules read it once.
type OpRecord = (Kind, std::ops::Range<usize>, String, String);
/// (path, source address, source length, operations).
type Memo = Option<(String, usize, usize, Vec<OpRecord>)>;

thread_local! {
    static LAST: std::cell::RefCell<Memo> =
        const { std::cell::RefCell::new(None) };
}

fn cached_ops<'t>(cx: &Cx<'t>) -> Vec<Op<'t>> {
    let key = (cx.path.to_string(), cx.src.as_ptr() as usize, cx.src.len());
    let hit = LAST.with(|l| {
        l.borrow().as_ref().and_then(|(p, ptr, len, ops)| {
            ((p, *ptr, *len) == (&key.0, key.1, key.2)).then(|| ops.clone())
        })
    });
    let records = match hit {
        Some(r) => r,
        None => {
            let ops = code_ops(cx);
            let r: Vec<OpRecord> = ops
                .iter()
                .map(|o| {
                    (
                        o.kind,
                        o.node.byte_range(),
                        o.subject.clone(),
                        o.via.clone(),
                    )
                })
                .collect();
            LAST.with(|l| *l.borrow_mut() = Some((key.0, key.1, key.2, r.clone())));
            r
        }
    };
    records
        .into_iter()
        .filter_map(|(kind, range, subject, via)| {
            let mut n = cx.root.descendant_for_byte_range(range.start, range.end)?;
            while n.byte_range() != range {
                n = n.parent()?;
            }
            Some(Op {
                kind,
                node: n,
                subject,
                via,
            })
        })
        .collect()
}

/// Reports the operations of `kinds` with `message` for each.
pub fn report(
    cx: &mut Cx<'_>,
    meta: &'static RuleMeta,
    kinds: &[Kind],
    message: impl Fn(&Op<'_>) -> String,
) {
    if !is_migration_path(cx.path) {
        return;
    }
    let ops = cached_ops(cx);
    for o in ops.iter().filter(|o| kinds.contains(&o.kind)) {
        let msg = message(o);
        // One finding per folder of migrations, at the newest: the older ones already ran.
        cx.hit(meta, o.node, o.subject.clone(), msg)
            .group_in_folder(meta.id);
    }
}

fn top_function<'t>(root: Node<'t>, cx: &Cx<'t>, name: &str) -> Option<Node<'t>> {
    let mut c = root.walk();
    root.named_children(&mut c).find_map(|n| {
        let f = if n.kind_name() == "decorated_definition" {
            n.field("definition")?
        } else {
            n
        };
        (f.kind_name() == "function_definition"
            && f.field("name").is_some_and(|x| cx.text(x) == name))
        .then_some(f)
    })
}

/// Whether a function body does nothing: `pass`, a docstring, `...`, comments.
fn py_body_empty(func: Node<'_>, cx: &Cx<'_>) -> bool {
    let Some(body) = func.field("body") else {
        return true;
    };
    syntax::block_statements(body)
        .iter()
        .all(|s| match s.kind_name() {
            "pass_statement" => true,
            "expression_statement" => s
                .named_child(0)
                .is_some_and(|e| e.kind_name() == "string" || cx.text(e) == "..."),
            _ => false,
        })
}

fn str_arg(n: Option<Node<'_>>, cx: &Cx<'_>) -> String {
    n.and_then(|a| string_value(a, cx.src))
        .unwrap_or("?")
        .to_string()
}

/// SQL operations of a string (or `text("...")`, f-strings excluded) passed to a call.
fn sql_of<'t>(arg: Node<'t>, cx: &Cx<'t>) -> Vec<sql::SqlOp> {
    let s = match arg.kind_name() {
        "call" | "call_expression" => positional_args(arg).first().and_then(|a| sql_text(*a, cx)),
        _ => sql_text(arg, cx),
    };
    s.map(|s| sql::embedded(&s)).unwrap_or_default()
}

/// The text of a string literal, also Python implicit concatenation and JS templates
/// without substitutions.
fn sql_text(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    if n.kind_name() == "concatenated_string" {
        let mut c = n.walk();
        let parts: Vec<String> = n
            .named_children(&mut c)
            .filter_map(|p| string_value(p, cx.src).map(str::to_string))
            .collect();
        return Some(parts.join(""));
    }
    if n.kind_name() == "template_string" {
        // Substitutions become placeholders: the statement shape is what matters.
        let t = cx.text(n);
        return Some(t.trim_matches('`').to_string());
    }
    string_value(n, cx.src).map(str::to_string)
}

fn push_sql<'t>(out: &mut Vec<Op<'t>>, at: Node<'t>, arg: Node<'t>, cx: &Cx<'t>) {
    for s in sql_of(arg, cx) {
        out.push(Op {
            kind: s.kind,
            node: at,
            subject: s.subject,
            via: s.via,
        });
    }
}

fn alembic<'t>(cx: &Cx<'t>) -> Vec<Op<'t>> {
    let mut out = Vec::new();
    let Some(up) = top_function(cx.root, cx, "upgrade") else {
        return out;
    };
    // `with op.batch_alter_table("t") as batch_op:` aliases.
    let mut batch: Vec<(String, String)> = Vec::new();
    for n in descendants(up) {
        if n.kind_name() == "with_item"
            && let Some(v) = n.field("value")
            && v.kind_name() == "as_pattern"
            && let (Some(call), Some(alias)) = (v.named_child(0), v.field("alias"))
            && call.kind_name() == "call"
            && syntax::last_segment(&syntax::callee_text(call, cx.src)) == "batch_alter_table"
        {
            let table = str_arg(
                positional_args(call)
                    .first()
                    .copied()
                    .or_else(|| kwarg(call, cx.src, "table_name")),
                cx,
            );
            batch.push((cx.text(alias).trim().to_string(), table));
        }
    }
    let created: Vec<String> = descendants(up)
        .filter(|n| n.kind_name() == "call" && syntax::callee_text(*n, cx.src) == "op.create_table")
        .map(|n| str_arg(positional_args(n).first().copied(), cx))
        .collect();
    let mut schema_tables: Vec<String> = Vec::new();
    let mut updates: Vec<(Node<'t>, String)> = Vec::new();
    for n in descendants(up) {
        if n.kind_name() != "call" {
            continue;
        }
        let w = syntax::callee_text(n, cx.src);
        let Some((recv, m)) = w.rsplit_once('.') else {
            continue;
        };
        let batch_table = batch
            .iter()
            .find(|(a, _)| a == recv)
            .map(|(_, t)| t.clone());
        if recv != "op" && batch_table.is_none() && m != "execute" {
            continue;
        }
        let args = positional_args(n);
        // In batch mode the table is implicit and arguments shift left by one.
        let (table, rest): (String, &[Node<'t>]) = match &batch_table {
            Some(t) => (t.clone(), &args[..]),
            None => (
                str_arg(args.first().copied(), cx),
                args.get(1..).unwrap_or(&[]),
            ),
        };
        let col = || {
            let c = str_arg(
                rest.first()
                    .copied()
                    .or_else(|| kwarg(n, cx.src, "column_name")),
                cx,
            );
            format!("{table}.{c}")
        };
        let via = format!("{recv}.{m}");
        match m {
            "drop_column" => {
                schema_tables.push(table.clone());
                if !created.contains(&table) {
                    out.push(Op {
                        kind: Kind::DropColumn,
                        node: n,
                        subject: col(),
                        via,
                    });
                }
            }
            "drop_table" if recv == "op" => out.push(Op {
                kind: Kind::DropTable,
                node: n,
                subject: table.clone(),
                via,
            }),
            "rename_table" if recv == "op" => out.push(Op {
                kind: Kind::Rename,
                node: n,
                subject: table.clone(),
                via,
            }),
            "alter_column" => {
                schema_tables.push(table.clone());
                if created.contains(&table) {
                    continue;
                }
                if kwarg(n, cx.src, "new_column_name").is_some() {
                    out.push(Op {
                        kind: Kind::Rename,
                        node: n,
                        subject: col(),
                        via: via.clone(),
                    });
                }
                if kwarg(n, cx.src, "type_").is_some() {
                    out.push(Op {
                        kind: Kind::TypeChange,
                        node: n,
                        subject: col(),
                        via: via.clone(),
                    });
                }
                if kwarg(n, cx.src, "nullable").is_some_and(|v| cx.text(v) == "False")
                    && kwarg(n, cx.src, "server_default").is_none()
                {
                    out.push(Op {
                        kind: Kind::NotNull,
                        node: n,
                        subject: col(),
                        via,
                    });
                }
            }
            "add_column" => {
                schema_tables.push(table.clone());
                if created.contains(&table) {
                    continue;
                }
                let Some(column) = rest.first().filter(|c| c.kind_name() == "call") else {
                    continue;
                };
                let not_null =
                    kwarg(*column, cx.src, "nullable").is_some_and(|v| cx.text(v) == "False");
                let safe = kwarg(*column, cx.src, "server_default").is_some()
                    || kwarg(*column, cx.src, "primary_key").is_some_and(|v| cx.text(v) == "True")
                    || kwarg(*column, cx.src, "autoincrement")
                        .is_some_and(|v| cx.text(v) == "True")
                    || syntax::has_kwargs_splat(*column);
                if not_null && !safe {
                    let c = str_arg(positional_args(*column).first().copied(), cx);
                    out.push(Op {
                        kind: Kind::NotNull,
                        node: n,
                        subject: format!("{table}.{c}"),
                        via,
                    });
                }
            }
            "execute" => {
                if let Some(a) = args.first() {
                    let before = out.len();
                    push_sql(&mut out, n, *a, cx);
                    for o in out.drain(before..).collect::<Vec<_>>() {
                        match o.kind {
                            Kind::Update => updates.push((o.node, o.subject)),
                            k if sql::is_schema_change(k) => {
                                schema_tables
                                    .push(o.subject.split('.').next().unwrap_or("").to_string());
                                out.push(o);
                            }
                            _ => out.push(o),
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (node, table) in updates {
        if schema_tables.contains(&table) {
            out.push(Op {
                kind: Kind::Backfill,
                node,
                subject: table,
                via: "UPDATE".to_string(),
            });
        }
    }
    match top_function(cx.root, cx, "downgrade") {
        None => out.push(Op {
            kind: Kind::NoDown,
            node: up.field("name").unwrap_or(up),
            subject: "downgrade".to_string(),
            via: "there is no `downgrade()`".to_string(),
        }),
        Some(d) if py_body_empty(d, cx) => out.push(Op {
            kind: Kind::NoDown,
            node: d.field("name").unwrap_or(d),
            subject: "downgrade".to_string(),
            via: "`downgrade()` is empty".to_string(),
        }),
        _ => {}
    }
    out
}

const DJANGO_SCHEMA_OPS: &[&str] = &[
    "AddField",
    "AlterField",
    "RemoveField",
    "RenameField",
    "AlterUniqueTogether",
    "AddIndex",
    "AddConstraint",
];

fn django<'t>(cx: &Cx<'t>) -> Vec<Op<'t>> {
    let mut out = Vec::new();
    let Some(list) = descendants(cx.root).find(|n| {
        n.kind_name() == "assignment" && n.field("left").is_some_and(|l| cx.text(l) == "operations")
    }) else {
        return out;
    };
    let Some(list) = list.field("right").filter(|r| r.kind_name() == "list") else {
        return out;
    };
    let atomic_off = cx.src.contains("atomic = False");
    let mut c = list.walk();
    let ops: Vec<Node<'t>> = list
        .named_children(&mut c)
        .filter(|n| n.kind_name() == "call")
        .collect();
    let name_of = |n: Node<'_>| syntax::last_segment(&syntax::callee_text(n, cx.src)).to_string();
    let kw = |n: Node<'t>, k: &str, pos: usize| -> String {
        str_arg(
            kwarg(n, cx.src, k).or_else(|| positional_args(n).get(pos).copied()),
            cx,
        )
    };
    let created: Vec<String> = ops
        .iter()
        .filter(|n| name_of(**n) == "CreateModel")
        .map(|n| kw(*n, "name", 0).to_ascii_lowercase())
        .collect();
    let schema_models: Vec<String> = ops
        .iter()
        .filter(|n| DJANGO_SCHEMA_OPS.contains(&name_of(**n).as_str()))
        .map(|n| kw(*n, "model_name", 0).to_ascii_lowercase())
        .collect();
    for n in ops.iter().copied() {
        let name = name_of(n);
        let via = name.clone();
        match name.as_str() {
            "RemoveField" => out.push(Op {
                kind: Kind::DropColumn,
                node: n,
                subject: format!("{}.{}", kw(n, "model_name", 0), kw(n, "name", 1)),
                via,
            }),
            "DeleteModel" => out.push(Op {
                kind: Kind::DropTable,
                node: n,
                subject: kw(n, "name", 0),
                via,
            }),
            "RenameField" => out.push(Op {
                kind: Kind::Rename,
                node: n,
                subject: format!("{}.{}", kw(n, "model_name", 0), kw(n, "old_name", 1)),
                via,
            }),
            "RenameModel" => out.push(Op {
                kind: Kind::Rename,
                node: n,
                subject: kw(n, "old_name", 0),
                via,
            }),
            "AddField" => {
                let model = kw(n, "model_name", 0);
                if created.contains(&model.to_ascii_lowercase()) {
                    continue;
                }
                let Some(field) =
                    kwarg(n, cx.src, "field").or_else(|| positional_args(n).get(2).copied())
                else {
                    continue;
                };
                if field.kind_name() != "call" {
                    continue;
                }
                let ftype = syntax::last_segment(&syntax::callee_text(field, cx.src)).to_string();
                let nullable = kwarg(field, cx.src, "null").is_some_and(|v| cx.text(v) == "True");
                let defaulted = kwarg(field, cx.src, "default").is_some()
                    || kwarg(field, cx.src, "db_default").is_some()
                    || syntax::has_kwargs_splat(field);
                // Django fills existing rows with '' for blank string fields.
                let blank_string = kwarg(field, cx.src, "blank")
                    .is_some_and(|v| cx.text(v) == "True")
                    && [
                        "Char",
                        "Text",
                        "Slug",
                        "Email",
                        "URL",
                        "Country",
                        "Phone",
                        "IPAddress",
                    ]
                    .iter()
                    .any(|k| ftype.contains(k));
                let exempt = blank_string
                    || matches!(
                        ftype.as_str(),
                        "ManyToManyField"
                            | "AutoField"
                            | "BigAutoField"
                            | "SmallAutoField"
                            | "GenericRelation"
                    );
                if !nullable && !defaulted && !exempt {
                    out.push(Op {
                        kind: Kind::NotNull,
                        node: n,
                        subject: format!("{model}.{}", kw(n, "name", 1)),
                        via,
                    });
                }
            }
            "RunPython" => {
                let reverse =
                    kwarg(n, cx.src, "reverse_code").or_else(|| positional_args(n).get(1).copied());
                if reverse.is_none_or(|r| cx.text(r) == "None") {
                    out.push(Op {
                        kind: Kind::NoDown,
                        node: n,
                        subject: "RunPython".to_string(),
                        via: "`RunPython` without `reverse_code`".to_string(),
                    });
                }
                if !schema_models.is_empty() && !atomic_off && runs_on_models(n, &schema_models, cx)
                {
                    out.push(Op {
                        kind: Kind::Backfill,
                        node: n,
                        subject: "RunPython".to_string(),
                        via,
                    });
                }
            }
            "RunSQL" => {
                let reverse =
                    kwarg(n, cx.src, "reverse_sql").or_else(|| positional_args(n).get(1).copied());
                if reverse.is_none_or(|r| cx.text(r) == "None") {
                    out.push(Op {
                        kind: Kind::NoDown,
                        node: n,
                        subject: "RunSQL".to_string(),
                        via: "`RunSQL` without `reverse_sql`".to_string(),
                    });
                }
                if let Some(sql) =
                    kwarg(n, cx.src, "sql").or_else(|| positional_args(n).first().copied())
                {
                    push_sql(&mut out, n, sql, cx);
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether the function a `RunPython` runs (when declared in this file) touches one of
/// `models` through `apps.get_model(...)`; unknown functions count as touching them.
fn runs_on_models(run: Node<'_>, models: &[String], cx: &Cx<'_>) -> bool {
    let Some(code) = kwarg(run, cx.src, "code").or_else(|| positional_args(run).first().copied())
    else {
        return true;
    };
    let name = cx.text(code);
    let Some(func) = top_function(cx.root, cx, name) else {
        return true;
    };
    let used: Vec<String> = descendants(func)
        .filter(|n| {
            n.kind_name() == "call"
                && syntax::last_segment(&syntax::callee_text(*n, cx.src)) == "get_model"
        })
        .filter_map(|n| {
            let args = positional_args(n);
            let last = args.last()?;
            let s = string_value(*last, cx.src)?;
            Some(s.rsplit('.').next().unwrap_or(s).to_ascii_lowercase())
        })
        .collect();
    (used.is_empty() && cx.text(func).contains("objects"))
        || used.iter().any(|m| models.contains(m))
}

/// The `up` and `down` functions of a JS migration: `exports.up = ...`, `export async
/// function up`, `up: async () => {}`, `async up(queryRunner) {}`.
fn js_direction<'t>(cx: &Cx<'t>, name: &str) -> Option<Node<'t>> {
    for n in descendants(cx.root) {
        let f = match n.kind_name() {
            "function_declaration" | "method_definition" => n
                .field("name")
                .is_some_and(|x| cx.text(x) == name)
                .then_some(n),
            "assignment_expression" => {
                let l = n.field("left").map(|l| cx.text(l)).unwrap_or("");
                if l == format!("exports.{name}") || l == format!("module.exports.{name}") {
                    n.field("right")
                } else {
                    None
                }
            }
            "pair" => n
                .field("key")
                .is_some_and(|k| unquote(cx.text(k)) == name)
                .then(|| n.field("value"))
                .flatten(),
            "variable_declarator" => n
                .field("name")
                .is_some_and(|x| cx.text(x) == name)
                .then(|| n.field("value"))
                .flatten(),
            _ => None,
        };
        if let Some(f) = f
            && matches!(
                f.kind_name(),
                "function_declaration"
                    | "method_definition"
                    | "arrow_function"
                    | "function_expression"
                    | "function"
            )
        {
            return Some(f);
        }
    }
    None
}

/// A `down` that does nothing: empty, comments only, or only calls its own callback
/// parameter (db-migrate's `exports.down = (db, cb) => { cb(); }`).
fn js_body_empty(f: Node<'_>, cx: &Cx<'_>) -> bool {
    let params: Vec<String> = crate::rules::reach::params(f, cx)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    match f.field("body") {
        Some(b) if b.kind_name() == "statement_block" => {
            let mut c = b.walk();
            b.named_children(&mut c).all(|s| {
                s.kind_name() == "comment"
                    || (s.kind_name() == "expression_statement"
                        && s.named_child(0).is_some_and(|e| {
                            e.kind_name() == "call_expression"
                                && e.field("function")
                                    .is_some_and(|fun| params.iter().any(|p| p == cx.text(fun)))
                                && syntax::positional_args(e).is_empty()
                        }))
                    || (s.kind_name() == "return_statement" && s.named_child_count() == 0)
            })
        }
        Some(_) => false,
        None => true,
    }
}

const JS_SQL_CALLS: &[&str] = &[
    "raw",
    "query",
    "addSql",
    "schema.raw",
    "runSql",
    "executeSql",
];

fn js<'t>(cx: &Cx<'t>) -> Vec<Op<'t>> {
    let mut out = Vec::new();
    let Some(up) = js_direction(cx, "up") else {
        return out;
    };
    let mut schema_tables: Vec<String> = Vec::new();
    let mut updates: Vec<(Node<'t>, String)> = Vec::new();
    let created: Vec<String> = descendants(up)
        .filter(|n| {
            n.kind_name() == "call_expression"
                && matches!(
                    syntax::last_segment(&syntax::callee_text(*n, cx.src)),
                    "createTable" | "createTableIfNotExists"
                )
        })
        .filter_map(|n| {
            positional_args(n)
                .first()
                .and_then(|a| string_value(*a, cx.src))
                .map(str::to_string)
        })
        .collect();
    for n in descendants(up) {
        if n.kind_name() != "call_expression" {
            continue;
        }
        let w = syntax::callee_text(n, cx.src);
        let m = syntax::last_segment(&w);
        let args = positional_args(n);
        let s = |i: usize| {
            args.get(i)
                .and_then(|a| string_value(*a, cx.src))
                .unwrap_or("?")
                .to_string()
        };
        // The table of a knex table-builder callback: `knex.schema.alterTable('t', (t) => ...)`.
        let builder = || -> Option<(String, bool)> {
            let mut cur = n.parent();
            while let Some(p) = cur {
                if p.kind_name() == "call_expression" {
                    let pm = syntax::last_segment(&syntax::callee_text(p, cx.src)).to_string();
                    if matches!(
                        pm.as_str(),
                        "alterTable" | "table" | "createTable" | "createTableIfNotExists"
                    ) {
                        let t = positional_args(p)
                            .first()
                            .and_then(|a| string_value(*a, cx.src))
                            .unwrap_or("?")
                            .to_string();
                        return Some((t, pm.starts_with("create")));
                    }
                }
                cur = p.parent();
            }
            None
        };
        let via = m.to_string();
        match m {
            "dropTable" | "dropTableIfExists" => {
                let t = s(0);
                if !created.contains(&t) {
                    out.push(Op {
                        kind: Kind::DropTable,
                        node: n,
                        subject: t,
                        via,
                    });
                }
            }
            "dropColumn" | "dropColumns" | "removeColumn" => {
                // knex: table.dropColumn('c') inside alterTable('t'); others: (table, column)
                let (table, column) = match builder() {
                    Some((t, _)) => (t, s(0)),
                    None => {
                        let c = args.get(1).map(|a| {
                            string_value(*a, cx.src)
                                .map(str::to_string)
                                .unwrap_or_else(|| {
                                    js_column_name(*a, cx).unwrap_or_else(|| "?".into())
                                })
                        });
                        (s(0), c.unwrap_or_else(|| "?".into()))
                    }
                };
                schema_tables.push(table.clone());
                if !created.contains(&table) {
                    out.push(Op {
                        kind: Kind::DropColumn,
                        node: n,
                        subject: format!("{table}.{column}"),
                        via,
                    });
                }
            }
            "renameColumn" | "renameTable" => {
                let subject = match builder() {
                    Some((t, _)) => format!("{t}.{}", s(0)),
                    None if m == "renameColumn" => format!("{}.{}", s(0), s(1)),
                    None => s(0),
                };
                schema_tables.push(subject.split('.').next().unwrap_or("").to_string());
                out.push(Op {
                    kind: Kind::Rename,
                    node: n,
                    subject,
                    via,
                });
            }
            "changeColumn" => {
                let subject = format!("{}.{}", s(0), s(1));
                schema_tables.push(s(0));
                out.push(Op {
                    kind: Kind::TypeChange,
                    node: n,
                    subject,
                    via,
                });
            }
            "alter" if args.is_empty() => {
                // knex: t.integer('c').alter()
                if let Some((t, false)) = builder() {
                    let col = js_chain_column(n, cx).unwrap_or_else(|| "?".into());
                    schema_tables.push(t.clone());
                    out.push(Op {
                        kind: Kind::TypeChange,
                        node: n,
                        subject: format!("{t}.{col}"),
                        via: "alter()".into(),
                    });
                }
            }
            "notNullable" => {
                // knex: t.string('c').notNullable() in alterTable, without defaultTo/alter
                let chain = js_chain_root(n);
                let chain_text = cx.text(chain);
                if let Some((t, false)) = builder()
                    && !chain_text.contains(".defaultTo(")
                    && !chain_text.contains(".alter(")
                    && !chain_text.contains("increments(")
                {
                    let col = js_chain_column(n, cx).unwrap_or_else(|| "?".into());
                    schema_tables.push(t.clone());
                    out.push(Op {
                        kind: Kind::NotNull,
                        node: n,
                        subject: format!("{t}.{col}"),
                        via: "notNullable()".into(),
                    });
                }
            }
            "addColumn" => {
                let (table, column) = (s(0), s(1));
                schema_tables.push(table.clone());
                if created.contains(&table) {
                    continue;
                }
                // Sequelize: addColumn('t', 'c', { allowNull: false }); TypeORM: addColumn('t', new TableColumn({...}))
                let opts = args.get(2).copied().or_else(|| {
                    args.get(1).and_then(|a| {
                        (a.kind_name() == "new_expression")
                            .then(|| positional_args(*a).first().copied())
                            .flatten()
                    })
                });
                let Some(opts) = opts.filter(|o| o.kind_name() == "object") else {
                    continue;
                };
                let Some(keys) = syntax::js_object_keys(opts, cx.src) else {
                    continue;
                };
                let val = |k: &str| syntax::js_object_value(opts, cx.src, k).map(|v| cx.text(v));
                let typeorm = args
                    .get(1)
                    .is_some_and(|a| a.kind_name() == "new_expression");
                let not_null = if typeorm {
                    val("isNullable") != Some("true")
                        && !keys.iter().any(|k| k == "isPrimary" || k == "isGenerated")
                } else {
                    val("allowNull") == Some("false")
                };
                let defaulted = keys
                    .iter()
                    .any(|k| k == "defaultValue" || k == "default" || k == "autoIncrement");
                if not_null && !defaulted {
                    let column = if typeorm {
                        val("name")
                            .map(|v| unquote(v).to_string())
                            .unwrap_or(column)
                    } else {
                        column
                    };
                    out.push(Op {
                        kind: Kind::NotNull,
                        node: n,
                        subject: format!("{table}.{column}"),
                        via,
                    });
                }
            }
            "bulkUpdate" => updates.push((n, s(0))),
            "update" => {
                // knex('t').update({...}) / knex.table('t').update(...)
                let recv = syntax::receiver(&w).unwrap_or("");
                if recv.starts_with("knex(") || recv.contains(".table(") || recv.starts_with("trx(")
                {
                    let t = recv
                        .split('(')
                        .nth(1)
                        .map(|x| unquote(x.split(')').next().unwrap_or("")).to_string())
                        .unwrap_or_default();
                    updates.push((n, t));
                }
            }
            _ if JS_SQL_CALLS.contains(&m) => {
                if let Some(a) = args.first() {
                    let before = out.len();
                    push_sql(&mut out, n, *a, cx);
                    for o in out.drain(before..).collect::<Vec<_>>() {
                        match o.kind {
                            Kind::Update => updates.push((o.node, o.subject)),
                            k => {
                                if sql::is_schema_change(k) {
                                    schema_tables.push(
                                        o.subject.split('.').next().unwrap_or("").to_string(),
                                    );
                                }
                                out.push(o);
                            }
                        }
                    }
                }
            }
            "addSql" => {}
            _ => {}
        }
        // knex: any builder call in alterTable('t') is a schema change of t.
        if matches!(m, "alterTable" | "table") {
            schema_tables.push(s(0));
        }
    }
    for (node, table) in updates {
        if schema_tables.iter().any(|t| t.eq_ignore_ascii_case(&table)) {
            out.push(Op {
                kind: Kind::Backfill,
                node,
                subject: table,
                via: "UPDATE".into(),
            });
        }
    }
    let is_migration_module = cx.src.contains("knex")
        || cx.src.contains("queryInterface")
        || cx.src.contains("QueryRunner")
        || cx.src.contains("MigrationInterface")
        || cx.src.contains("Migration")
        || cx.src.contains("runSql");
    if is_migration_module {
        match js_direction(cx, "down") {
            None => out.push(Op {
                kind: Kind::NoDown,
                node: up.field("name").unwrap_or(up),
                subject: "down".into(),
                via: "there is no `down`".into(),
            }),
            Some(d) if js_body_empty(d, cx) => out.push(Op {
                kind: Kind::NoDown,
                node: d.field("name").unwrap_or(d),
                subject: "down".into(),
                via: "`down` is empty".into(),
            }),
            _ => {}
        }
    }
    out
}

/// The first call of a method chain (`t.string('c')` in `t.string('c').notNullable()`).
fn js_chain_root(n: Node<'_>) -> Node<'_> {
    let mut cur = n;
    while let Some(p) = cur.parent() {
        if matches!(p.kind_name(), "member_expression" | "call_expression") {
            cur = p;
        } else {
            break;
        }
    }
    cur
}

/// The column named by the first string argument in a knex builder chain.
fn js_chain_column(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let root = js_chain_root(n);
    descendants(root)
        .filter(|d| d.kind_name() == "call_expression")
        .filter_map(|d| {
            positional_args(d)
                .first()
                .and_then(|a| string_value(*a, cx.src))
                .map(str::to_string)
        })
        .last()
}

/// A TypeORM `new TableColumn({ name: 'c' })` argument's column name.
fn js_column_name(n: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let obj = positional_args(n)
        .first()
        .copied()
        .filter(|o| o.kind_name() == "object")?;
    syntax::js_object_value(obj, cx.src, "name")
        .and_then(|v| string_value(v, cx.src))
        .map(str::to_string)
}
