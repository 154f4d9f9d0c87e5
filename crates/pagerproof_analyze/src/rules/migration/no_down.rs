//! `migration-without-down`: a migration with no way back: an empty or missing
//! `downgrade()`/`down`, Django `RunPython`/`RunSQL` without a reverse, a golang-migrate
//! `.up.sql` without its `.down.sql`, a goose/sql-migrate/dbmate file with no `Down`
//! section.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use super::{Kind, report};
use crate::case;
use crate::lang::Family;
use crate::rule::{Case, CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "migration-without-down",
    category: "MIGRATION",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "javascript", "typescript", "sql"],
    summary: "Migration with no down/reverse path",
    docs: Docs {
        what: "A migration that cannot be reversed with the tool that applies it: Alembic files whose `downgrade()` \
is missing or only `pass`/a docstring; Django `RunPython` without `reverse_code` and `RunSQL` without \
`reverse_sql` (schema operations are reversed by Django itself); Knex/Sequelize/TypeORM/umzug migrations with no \
`down` or an empty one; golang-migrate `NNN_name.up.sql` without the matching `NNN_name.down.sql`; goose, \
sql-migrate and dbmate files with no (or an empty) `Down` section. Tools that have no down migrations by design \
(Flyway community, Prisma) are not reported.",
        scenario: "A release goes wrong after its migration ran, and on-call needs to roll back.",
        impact: "The code can be rolled back but the schema cannot: the previous release runs against a schema it \
does not know, or the rollback waits for someone to write and test a reverse migration during the incident.",
        detection: "Rollbacks that need manual database work; `downgrade` commands that do nothing.",
        mitigation: "Write the reverse migration with the forward one and test both in CI (upgrade → downgrade → \
upgrade); where a change is truly irreversible, say so explicitly (raise in `downgrade`) and make the release \
plan not depend on rolling it back.",
        fixes: &[
            (
                "python",
                "def downgrade():\n    op.drop_column(\"orders\", \"currency\")\n\n# Django\nmigrations.RunPython(forwards, reverse_code=backwards)  # or migrations.RunPython.noop",
            ),
            (
                "javascript",
                "exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('currency'));",
            ),
            (
                "typescript",
                "public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE \"order\" DROP COLUMN \"currency\"`);\n}",
            ),
            (
                "sql",
                "-- 000013_add_currency.down.sql\nALTER TABLE orders DROP COLUMN currency;",
            ),
        ],
        monitoring: "Run upgrade → downgrade → upgrade of every migration in CI and fail the build on errors.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "alembic/versions/bb22_add.py",
            r#"from alembic import op
import sqlalchemy as sa

def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))

def downgrade():
    ^ `downgrade()` is empty
    pass
"#
        ),
        case!(
            "alembic/versions/cc33_add.py",
            r#"from alembic import op
import sqlalchemy as sa

def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))

def downgrade():
    op.drop_column("orders", "note")
"#
        ),
        case!(
            "shop/migrations/0051_backfill.py",
            r#"from django.db import migrations

def forwards(apps, schema_editor):
    pass

class Migration(migrations.Migration):
    operations = [
        migrations.RunPython(forwards),
        ^ `RunPython` without `reverse_code`
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunSQL("CREATE INDEX x ON y (z)", reverse_sql="DROP INDEX x"),
    ]
"#
        ),
        case!(
            "migrations/20240501_add_note.js",
            r#"exports.up = function (knex) {
  return knex.schema.alterTable('orders', (t) => { t.text('note'); });
};
exports.down = function () {};
               ^ `down` is empty
"#
        ),
        case!(
            "src/migrations/1700000000002-Note.ts",
            r#"import { MigrationInterface, QueryRunner } from "typeorm";
export class Note1700000000002 implements MigrationInterface {
    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "order" ADD "note" text`);
    }
    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "order" DROP COLUMN "note"`);
    }
}
"#
        ),
        case!(
            "db/migrations/000013_add_currency.up.sql",
            "ALTER TABLE orders ADD COLUMN currency text;\n^ has no `000013_add_currency.down.sql`\n"
        ),
        case!(
            "db/migrations/00014_note.sql",
            "-- +goose Up\nALTER TABLE orders ADD COLUMN note text;\n^ no `Down` section\n"
        ),
        Case {
            files: &[
                (
                    "db/migrations/000015_tags.up.sql",
                    "CREATE TABLE tags (id bigint PRIMARY KEY);\n",
                ),
                ("db/migrations/000015_tags.down.sql", "DROP TABLE tags;\n"),
            ],
        },
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
            Family::Python | Family::Js => reach::root_kinds(f),
            _ => &[],
        }
    }

    fn check(&self, _root: Node<'_>, cx: &mut Cx<'_>) {
        report(cx, &META, &[Kind::NoDown], |o| message(&o.via));
    }
}

/// The finding message: `what` says what is missing.
pub fn message(what: &str) -> String {
    format!(
        "{what}: this migration cannot be rolled back, so a failed release cannot return the schema to what the previous release expects"
    )
}
