//! `migration-backfill-in-schema-change`: a data backfill in the same migration (and
//! transaction) as a schema change of the table it updates.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use super::{Kind, report};
use crate::case;
use crate::lang::Family;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "migration-backfill-in-schema-change",
    category: "MIGRATION",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "javascript", "typescript", "sql"],
    summary: "Data backfill in the same migration as a schema change of its table",
    docs: Docs {
        what: "A migration that changes a table's schema and updates its rows in the same unit: an `UPDATE` of a \
table (in SQL, `op.execute`, `knex.raw`, `queryRunner.query`, Knex `knex('t').update()`, Sequelize `bulkUpdate`) \
in the same migration as an `ALTER TABLE` of that table; Django `RunPython` in a migration that also has schema \
operations and is not `atomic = False` (Django runs the whole migration in one transaction on PostgreSQL).",
        scenario: "The migration runs in production on a table with millions of rows.",
        impact: "The exclusive lock taken by the schema change is held until the transaction commits, i.e. for \
the whole backfill: every read and write of the table blocks for minutes, and the deploy's migration step may time \
out and roll everything back, after having blocked traffic. A failure half-way also discards the schema change.",
        detection: "Lock waits and request timeouts on the table during deploys; long-running migration steps.",
        mitigation: "Split it: one migration for the schema change (nullable column, no default rewrite), the \
backfill as its own migration or job in batches with commits in between, then the constraint in a third step.",
        fixes: &[
            (
                "python",
                "# 0052_add_currency.py: AddField(null=True)\n# 0053_backfill_currency.py (atomic = False): RunPython in batches\n# 0054_currency_not_null.py: AlterField(null=False)",
            ),
            (
                "javascript",
                "// 20240601_add_currency.js: add the column only\n// 20240602_backfill_currency.js: exports.config = { transaction: false }; update in batches of 10k",
            ),
            (
                "typescript",
                "// migration 1: ALTER TABLE ... ADD COLUMN (nullable)\n// migration 2 (transaction = false): UPDATE ... WHERE id BETWEEN $1 AND $2, batch by batch",
            ),
            (
                "sql",
                "-- V20__add_currency.sql\nALTER TABLE orders ADD COLUMN currency text;\n-- V21__backfill_currency.sql (run in batches, outside the DDL transaction)\nUPDATE orders SET currency = 'EUR' WHERE currency IS NULL AND id BETWEEN 1 AND 100000;",
            ),
        ],
        monitoring: "Alert on lock wait time and on migration duration per deploy.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "alembic/versions/dd44_currency.py",
            r#"from alembic import op
import sqlalchemy as sa

def upgrade():
    op.add_column("orders", sa.Column("currency", sa.Text(), nullable=True))
    op.execute("UPDATE orders SET currency = 'EUR'")
    ^ backfills `orders` in the same migration
    op.execute("UPDATE settings SET v = 1")

def downgrade():
    op.drop_column("orders", "currency")
"#
        ),
        case!(
            "shop/migrations/0052_currency.py",
            r#"from django.db import migrations, models

def fill(apps, schema_editor):
    Order = apps.get_model("shop", "Order")
    Order.objects.update(currency="EUR")

def other(apps, schema_editor):
    Setting = apps.get_model("shop", "Setting")
    Setting.objects.create(key="x")

class Migration(migrations.Migration):
    operations = [
        migrations.RunPython(other, migrations.RunPython.noop),
        migrations.AddField(model_name="order", name="currency", field=models.TextField(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        ^ `RunPython` in the same migration as schema operations
    ]
"#
        ),
        case!(
            "shop/migrations/0053_fill.py",
            r#"from django.db import migrations

def fill(apps, schema_editor):
    pass

class Migration(migrations.Migration):
    atomic = False
    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
"#
        ),
        case!(
            "migrations/20240601_currency.js",
            r#"exports.up = async (knex) => {
  await knex.schema.alterTable('orders', (t) => { t.text('currency'); });
  await knex('orders').update({ currency: 'EUR' });
        ^ backfills `orders` in the same migration
};
exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('currency'));
"#
        ),
        case!(
            "migrations/20240602_fill.ts",
            r#"import { Knex } from 'knex';
export async function up(knex: Knex) {
  await knex('orders').update({ currency: 'EUR' });
}
export async function down() { return; }
"#
        ),
        case!(
            "db/migration/V20__currency.sql",
            r#"ALTER TABLE orders ADD COLUMN currency text;
UPDATE orders SET currency = 'EUR';
^ backfills `orders` in the same migration
"#
        ),
        case!(
            "db/migration/V21__fill.sql",
            "UPDATE orders SET currency = 'EUR' WHERE currency IS NULL;\n"
        ),
    ],
};

pub fn message(subject: &str) -> String {
    if subject == "RunPython" {
        "`RunPython` in the same migration as schema operations: Django runs them in one transaction, so the schema change's table locks are held for the whole data migration".to_string()
    } else {
        format!(
            "Migration backfills `{subject}` in the same migration as a schema change of it: the ALTER's exclusive lock is held for the whole UPDATE where the migration runs in one transaction"
        )
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
        report(cx, &META, &[Kind::Backfill], |o| message(&o.subject));
    }
}
