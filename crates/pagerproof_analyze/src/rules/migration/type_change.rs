//! `migration-changes-column-type`: a forward migration that changes a column's type in
//! place.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use super::{Kind, report};
use crate::case;
use crate::lang::Family;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "migration-changes-column-type",
    category: "MIGRATION",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "javascript", "typescript", "sql"],
    summary: "Forward migration changes a column's type in place",
    docs: Docs {
        what: "A forward migration that changes the type of an existing column: Alembic `op.alter_column(..., \
type_=...)`, Sequelize/TypeORM `changeColumn`, Knex `.alter()`, and SQL `ALTER COLUMN ... [SET DATA] TYPE`, MySQL \
`MODIFY COLUMN`/`CHANGE COLUMN`. Django `AlterField` is not reported: the previous type is in another file. Some \
changes are cheap (widening a `varchar` in PostgreSQL), which is why the confidence is medium.",
        scenario: "The migration runs on a large production table during a deploy.",
        impact: "Most type changes rewrite the whole table under an exclusive lock: reads and writes to it block \
for the duration (minutes to hours on big tables), which is an outage of everything that touches it. Values that \
do not convert fail the migration half-way, and the previous release may not read the new type.",
        detection: "Lock waits and statement timeouts on the table while the migration runs; a deploy stuck on \
its migration step.",
        mitigation: "Add a new column of the new type, backfill it in batches, switch the code to it, then drop \
the old one; or check that the specific change is metadata-only on your database version, and set a \
`lock_timeout` so the migration fails fast instead of blocking traffic.",
        fixes: &[
            (
                "python",
                "op.add_column(\"orders\", sa.Column(\"total_cents\", sa.BigInteger(), nullable=True))\n# backfill in batches, switch reads, drop the old column in a later release",
            ),
            (
                "javascript",
                "await queryInterface.addColumn('orders', 'totalCents', { type: Sequelize.BIGINT, allowNull: true });\n// backfill in batches, switch reads, remove the old column later",
            ),
            (
                "typescript",
                "await queryRunner.query(`SET lock_timeout = '5s'`);\nawait queryRunner.query(`ALTER TABLE \"order\" ADD \"total_cents\" bigint`);",
            ),
            (
                "sql",
                "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN total_cents bigint;  -- backfill in batches, then switch",
            ),
        ],
        monitoring: "Alert on lock waits and on migration steps exceeding their expected duration.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "alembic/versions/9c0d_type.py",
            r#"from alembic import op
import sqlalchemy as sa

def upgrade():
    op.alter_column("orders", "total", type_=sa.Numeric(12, 2), existing_type=sa.Integer())
    ^ `op.alter_column` changes the type of `orders.total`
    op.alter_column("orders", "note", existing_type=sa.Text(), nullable=True)

def downgrade():
    op.alter_column("orders", "total", type_=sa.Integer())
"#
        ),
        case!(
            "alembic/versions/9c0e_ok.py",
            r#"from alembic import op

def upgrade():
    op.alter_column("orders", "note", nullable=True)

def downgrade():
    op.alter_column("orders", "note", nullable=False)
"#
        ),
        case!(
            "migrations/20240301-change.js",
            r#"module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.changeColumn('orders', 'total', { type: Sequelize.DECIMAL(12, 2) });
          ^ `changeColumn` changes the type of `orders.total`
  },
  async down(queryInterface, Sequelize) {
    await queryInterface.changeColumn('orders', 'total', { type: Sequelize.INTEGER });
  },
};
"#
        ),
        case!(
            "migrations/20240302-add.ts",
            r#"import { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => { t.text('note'); });
}
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => { t.dropColumn('note'); });
}
"#
        ),
        case!(
            "db/migrations/202403010000_total.sql",
            r#"-- migrate:up
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
^ `ALTER COLUMN ... TYPE` changes the type of `orders.total`

-- migrate:down
ALTER TABLE orders ALTER COLUMN total TYPE integer;
"#
        ),
        case!(
            "db/migrations/202403020000_add.sql",
            "-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\n-- migrate:down\nALTER TABLE orders DROP COLUMN note;\n"
        ),
    ],
};

pub fn message(subject: &str, via: &str) -> String {
    format!(
        "`{via}` changes the type of `{subject}` in place: most type changes rewrite the table under an exclusive lock, blocking its reads and writes for the duration"
    )
}

pub struct Rule;
pub static RULE: Rule = Rule;

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python | Family::Js => reach::root_kinds(f),
            _ => &[],
        }
    }

    fn check(&self, _root: Node<'_>, cx: &mut Cx<'_>) {
        report(cx, &META, &[Kind::TypeChange], |o| {
            message(&o.subject, &o.via)
        });
    }
}
