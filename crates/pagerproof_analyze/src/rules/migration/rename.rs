//! `migration-renames-in-place`: a forward migration that renames a column or table the
//! running release still uses.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use super::{Kind, report};
use crate::case;
use crate::lang::Family;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "migration-renames-in-place",
    category: "MIGRATION",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "javascript", "typescript", "sql"],
    summary: "Forward migration renames a column or table in place",
    docs: Docs {
        what: "A forward migration that renames a column or a table in one step: Alembic \
`op.alter_column(..., new_column_name=...)`/`op.rename_table`, Django `RenameField`/`RenameModel`, \
Knex/Sequelize/TypeORM `renameColumn`/`renameTable`, and SQL `ALTER TABLE ... RENAME [COLUMN]`, `RENAME TABLE`, \
MySQL `CHANGE COLUMN old new`, `sp_rename`. Renames of tables created in the same migration (a rebuild) are not \
reported, nor renames of indexes and constraints.",
        scenario: "The migration runs at the start of a rolling deploy: for minutes, instances of the previous \
release keep serving with queries that use the old name.",
        impact: "Every query of the previous release that names the column or table fails until the rollout \
completes; a rollback of the code then fails the other way round. Errors for a share of traffic for the whole \
deploy, or a full outage if the rollout stalls.",
        detection: "`column does not exist` / `relation does not exist` errors from the old version during rollouts.",
        mitigation: "Expand and contract: add the new column, write both, backfill, switch reads, stop writing \
the old one, and drop it in a later release (or use a view/generated column to serve both names meanwhile).",
        fixes: &[
            (
                "python",
                "# release N\nop.add_column(\"users\", sa.Column(\"email_address\", sa.Text(), nullable=True))\n# code writes both columns; backfill; release N+1 reads the new one;\n# release N+2: op.drop_column(\"users\", \"email\")",
            ),
            (
                "javascript",
                "exports.up = (knex) => knex.schema.alterTable('users', (t) => { t.text('email_address'); });\n// dual-write and backfill, then drop `email` in a later release",
            ),
            (
                "typescript",
                "await queryRunner.query(`ALTER TABLE \"user\" ADD \"email_address\" text`);\n// dual-write and backfill, then drop the old column in a later release",
            ),
            (
                "sql",
                "ALTER TABLE users ADD COLUMN email_address text;\n-- backfill in batches, dual-write from the code, drop `email` in a later release",
            ),
        ],
        monitoring: "Alert on database errors per release version during rollouts.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "migrations/versions/5e6f_rename.py",
            r#"from alembic import op

def upgrade():
    op.alter_column("users", "email", new_column_name="email_address")
    ^ `op.alter_column` renames `users.email`
    op.rename_table("item", "product")
    ^ `op.rename_table` renames `item`

def downgrade():
    op.alter_column("users", "email_address", new_column_name="email")
"#
        ),
        case!(
            "migrations/versions/7a8b_ok.py",
            r#"from alembic import op
import sqlalchemy as sa

def upgrade():
    op.add_column("users", sa.Column("email_address", sa.Text(), nullable=True))

def downgrade():
    op.alter_column("users", "email_address", new_column_name="email")
"#
        ),
        case!(
            "billing/migrations/0007_rename.py",
            r#"from django.db import migrations

class Migration(migrations.Migration):
    operations = [
        migrations.RenameField(model_name="invoice", old_name="total", new_name="amount"),
        ^ `RenameField` renames `invoice.total`
    ]
"#
        ),
        case!(
            "migrations/20240201-rename.js",
            r#"module.exports = {
  up: async (queryInterface) => {
    await queryInterface.renameColumn('users', 'email', 'emailAddress');
          ^ `renameColumn` renames `users.email`
  },
  down: async (queryInterface) => {
    await queryInterface.renameColumn('users', 'emailAddress', 'email');
  },
};
"#
        ),
        case!(
            "src/migrations/1700000000001-Add.ts",
            r#"import { MigrationInterface, QueryRunner } from "typeorm";
export class Add1700000000001 implements MigrationInterface {
    async up(q: QueryRunner) { await q.query(`ALTER TABLE "user" ADD "nick" text`); }
    async down(q: QueryRunner) { await q.query(`ALTER TABLE "user" RENAME COLUMN "nick" TO "old"`); }
}
"#
        ),
        case!(
            "db/migration/V7__rename_email.sql",
            r#"ALTER TABLE users
^ `RENAME COLUMN` renames `users.email`
    RENAME COLUMN email TO email_address;
ALTER INDEX users_email_idx RENAME TO users_email_address_idx;
"#
        ),
        case!(
            "prisma/migrations/20240101000000_redefine/migration.sql",
            r#"CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);
INSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
"#
        ),
    ],
};

pub fn message(subject: &str, via: &str) -> String {
    format!(
        "`{via}` renames `{subject}` in place: instances still running the previous release use the old name and fail for the whole rollout (add the new name, dual-write, drop the old one later)"
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
        report(cx, &META, &[Kind::Rename], |o| message(&o.subject, &o.via));
    }
}
