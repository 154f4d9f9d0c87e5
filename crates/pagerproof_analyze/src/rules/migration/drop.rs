//! `migration-drops-data`: a forward migration that drops a table or a column, or deletes
//! every row of a table.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use super::{Kind, report};
use crate::case;
use crate::lang::Family;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "migration-drops-data",
    category: "MIGRATION",
    severity: Severity::P0,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "javascript", "typescript", "sql"],
    summary: "Forward migration drops a table or column (or deletes all rows)",
    docs: Docs {
        what: "A forward (up) migration that destroys data: Alembic `op.drop_column`/`op.drop_table` (and \
`batch_op.drop_column`), Django `RemoveField`/`DeleteModel`, Knex/Sequelize/TypeORM `dropTable`/`dropColumn`/\
`removeColumn`, and in SQL migrations (Flyway, Liquibase SQL, golang-migrate, goose, dbmate, Prisma, raw SQL passed \
to `op.execute`/`queryRunner.query`/`knex.raw`) `DROP TABLE`, `ALTER TABLE ... DROP [COLUMN]`, `TRUNCATE` and \
`DELETE` without `WHERE`. Down/undo migrations are not judged, nor tables created in the same migration, nor a \
table dropped after its rows were copied into a replacement (`INSERT INTO new SELECT ... FROM old`, the SQLite \
rebuild pattern). Constraints, indexes and defaults are not data and are not reported.",
        scenario: "The migration runs during a deploy while instances of the previous release still serve \
traffic, or the release has to be rolled back afterwards.",
        impact: "The data is gone: a rollback of the code cannot bring it back, and the previous release's \
instances, still running during the rollout, fail on every query that touches the dropped column or table.",
        detection: "Errors such as `column ... does not exist` from old instances during the rollout; missing \
data discovered after a rollback.",
        mitigation: "Expand → migrate → contract: first ship code that no longer reads or writes the column, \
then drop it in a later release; take a backup (or rename to a `_deprecated` table) before dropping, and keep \
the drop out of the release that stops using it.",
        fixes: &[
            (
                "python",
                "# release N: stop reading/writing users.legacy_id (code only)\n# release N+1, once N is fully deployed:\ndef upgrade():\n    op.drop_column(\"users\", \"legacy_id\")",
            ),
            (
                "javascript",
                "// release N: the model stops using `legacy`; release N+1:\nexports.up = (knex) => knex.schema.alterTable('users', (t) => t.dropColumn('legacy'));",
            ),
            (
                "typescript",
                "// release N: the entity stops using `legacy`; release N+1:\nawait queryRunner.query(`ALTER TABLE \"user\" DROP COLUMN \"legacy\"`);",
            ),
            (
                "sql",
                "-- release N+1 only, after release N stopped using the column and a backup was taken:\nALTER TABLE users DROP COLUMN legacy_id;",
            ),
        ],
        monitoring: "Alert on database errors (undefined column/table) during rollouts; verify backups before \
contract migrations.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "alembic/versions/1a2b_drop_legacy.py",
            r#""""drop legacy columns"""
from alembic import op
import sqlalchemy as sa

revision = "1a2b"

def upgrade():
    op.drop_column("users", "legacy_id")
    ^ `op.drop_column` drops `users.legacy_id`
    op.drop_table("old_events")
    ^ `op.drop_table` drops `old_events`
    op.execute("DELETE FROM carts")
    ^ `DELETE without WHERE` deletes every row of `carts`
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_column("note")
        ^ `batch_op.drop_column` drops `orders.note`

def downgrade():
    op.add_column("users", sa.Column("legacy_id", sa.Integer()))
"#
        ),
        case!(
            "alembic/versions/3c4d_create.py",
            r#"from alembic import op
import sqlalchemy as sa

def upgrade():
    op.create_table("tmp", sa.Column("id", sa.Integer()))
    op.drop_column("tmp", "x")

def downgrade():
    op.drop_table("tmp")
"#
        ),
        // A folder of migrations: the ones that already ran are listed under the newest.
        crate::rule::Case {
            files: &[
                (
                    "billing/migrations/0007_drop_fax.py",
                    "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RemoveField(model_name=\"customer\", name=\"fax\"),\n    ]\n",
                ),
                (
                    "billing/migrations/0008_drop_pager.py",
                    "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RemoveField(model_name=\"customer\", name=\"pager\"),\n        ^ (and 1 more in this folder)\n    ]\n",
                ),
            ],
        },
        case!(
            "shop/migrations/0042_remove_legacy.py",
            r#"from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [("shop", "0041_auto")]
    operations = [
        migrations.RemoveField(model_name="order", name="legacy_total"),
        ^ `RemoveField` drops `order.legacy_total`
        migrations.DeleteModel(name="Coupon"),
        ^ `DeleteModel` drops `Coupon`
        migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),
    ]
"#
        ),
        case!(
            "db/migrations/20240101_drop_sessions.js",
            r#"exports.up = function (knex) {
  return knex.schema
    .alterTable('users', (t) => {
      t.dropColumn('legacy');
      ^ `dropColumn` drops `users.legacy`
    })
    .then(() => knex.schema.dropTable('sessions'));
                ^ `dropTable` drops `sessions`
};

exports.down = function (knex) {
  return knex.schema.dropTable('sessions_v2');
};
"#
        ),
        case!(
            "src/migrations/1700000000000-DropLegacy.ts",
            r#"import { MigrationInterface, QueryRunner } from "typeorm";

export class DropLegacy1700000000000 implements MigrationInterface {
    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "legacy"`);
              ^ `DROP COLUMN` drops `user.legacy`
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "user" ADD "legacy" character varying`);
    }
}
"#
        ),
        case!(
            "migrations/20240102_create.js",
            r#"exports.up = (knex) => knex.schema.createTable('events', (t) => { t.increments(); });
exports.down = (knex) => knex.schema.dropTable('events');
"#
        ),
        case!(
            "db/migrations/000012_drop_legacy.up.sql",
            r#"-- drop what nobody reads any more
ALTER TABLE users DROP COLUMN legacy_id;
^ `DROP COLUMN` drops `users.legacy_id`
ALTER TABLE users DROP CONSTRAINT users_legacy_fk;
DROP TABLE IF EXISTS audit_old;
^ `DROP TABLE` drops `audit_old`
"#
        ),
        case!(
            "db/migrations/000012_drop_legacy.down.sql",
            "ALTER TABLE users ADD COLUMN legacy_id int;\nDROP TABLE IF EXISTS audit_new;\n"
        ),
        case!("sql/cleanup.sql", "DROP TABLE scratch;\n"),
    ],
};

/// The finding message for a destructive operation.
pub fn message(kind: Kind, subject: &str, via: &str) -> String {
    match kind {
        Kind::DropData => format!(
            "`{via}` deletes every row of `{subject}` in a forward migration: the data cannot be restored by rolling back"
        ),
        _ => format!(
            "`{via}` drops `{subject}` in a forward migration: the data is gone for good, and instances still running the previous release fail when they touch it during the rollout"
        ),
    }
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
        report(
            cx,
            &META,
            &[Kind::DropTable, Kind::DropColumn, Kind::DropData],
            |o| message(o.kind, &o.subject, &o.via),
        );
    }
}
