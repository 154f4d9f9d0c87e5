//! `migration-not-null-without-default`: a NOT NULL column added to an existing table
//! without a default, or NOT NULL set on an existing column.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use super::{Kind, report};
use crate::case;
use crate::lang::Family;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "migration-not-null-without-default",
    category: "MIGRATION",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "javascript", "typescript", "sql"],
    summary: "NOT NULL column added to an existing table without a default",
    docs: Docs {
        what: "A forward migration that adds a NOT NULL column to an existing table without a default, or makes an \
existing column NOT NULL: Alembic `op.add_column(t, sa.Column(..., nullable=False))` without `server_default` and \
`op.alter_column(..., nullable=False)` without `server_default`; Django `AddField` whose field has neither \
`null=True` nor `default`/`db_default`; Knex `.notNullable()` in `alterTable` without `.defaultTo()`; Sequelize \
`addColumn` with `allowNull: false` and no `defaultValue`; TypeORM `addColumn` with a `TableColumn` that is not \
nullable and has no default; SQL `ADD COLUMN ... NOT NULL` without `DEFAULT` and `ALTER COLUMN ... SET NOT NULL`. \
Tables created in the same migration, identity/serial columns and primary keys are not reported. A Python-side \
`default=` in SQLAlchemy does not help existing rows and does not count.",
        scenario: "The migration runs against a production table that already has rows, while the previous \
release is still inserting into it.",
        impact: "Adding the column fails outright on a non-empty table (the deploy stops half-way), or the database \
scans and locks the table to validate the constraint; once it succeeds, every insert of the previous release \
(which does not know the column) fails until the rollout completes.",
        detection: "Migration failures (`column contains null values`) in the deploy pipeline; insert errors \
(`null value in column violates not-null constraint`) from old instances during the rollout.",
        mitigation: "Add the column as nullable (or with a server default), ship code that writes it, backfill in \
batches, then add the NOT NULL constraint in a later migration (in PostgreSQL via a `CHECK ... NOT VALID` \
constraint validated separately).",
        fixes: &[
            (
                "python",
                "op.add_column(\"orders\", sa.Column(\"currency\", sa.Text(), nullable=False, server_default=\"EUR\"))\n# or: nullable=True now, backfill, then alter_column(nullable=False) in a later release",
            ),
            (
                "javascript",
                "await queryInterface.addColumn('orders', 'currency', { type: Sequelize.STRING, allowNull: false, defaultValue: 'EUR' });",
            ),
            (
                "typescript",
                "await knex.schema.alterTable('orders', (t) => { t.string('currency').notNullable().defaultTo('EUR'); });",
            ),
            (
                "sql",
                "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';\n-- or add it nullable, backfill in batches, then:\nALTER TABLE orders ADD CONSTRAINT currency_not_null CHECK (currency IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT currency_not_null;",
            ),
        ],
        monitoring: "Alert on failed migration steps and on not-null violations during rollouts.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "alembic/versions/aa11_currency.py",
            r#"from alembic import op
import sqlalchemy as sa

def upgrade():
    op.add_column("orders", sa.Column("currency", sa.String(3), nullable=False))
    ^ `op.add_column` adds `orders.currency` as NOT NULL
    op.add_column("orders", sa.Column("region", sa.String(3), nullable=False, server_default="eu"))
    op.alter_column("orders", "customer_id", nullable=False)
    ^ `op.alter_column` makes `orders.customer_id` NOT NULL
    op.create_table("coupons", sa.Column("id", sa.Integer(), primary_key=True))
    op.add_column("coupons", sa.Column("code", sa.Text(), nullable=False))

def downgrade():
    op.drop_column("orders", "currency")
"#
        ),
        case!(
            "alembic/versions/aa12_nullable.py",
            r#"from alembic import op
import sqlalchemy as sa

def upgrade():
    op.add_column("orders", sa.Column("coupon", sa.Text(), nullable=True))
    op.add_column("orders", sa.Column("paid", sa.Boolean(), nullable=False, server_default=sa.false()))

def downgrade():
    op.alter_column("orders", "coupon", nullable=False)
"#
        ),
        case!(
            "shop/migrations/0050_add_sku.py",
            r#"from django.db import migrations, models

class Migration(migrations.Migration):
    operations = [
        migrations.AddField(model_name="product", name="sku", field=models.CharField(max_length=32)),
        ^ `AddField` adds `product.sku` as NOT NULL
        migrations.AddField(model_name="product", name="gtin", field=models.CharField(max_length=14, default="")),
        migrations.AddField(model_name="product", name="note", field=models.TextField(null=True)),
    ]
"#
        ),
        case!(
            "migrations/20240401_currency.js",
            r#"exports.up = async function (knex) {
  await knex.schema.alterTable('orders', (t) => {
    t.string('currency', 3).notNullable();
    ^ `notNullable()` adds `orders.currency` as NOT NULL
    t.string('region', 3).notNullable().defaultTo('eu');
  });
  await knex.schema.createTable('coupons', (t) => {
    t.string('code').notNullable();
  });
};
exports.down = async function (knex) {
  await knex.schema.alterTable('orders', (t) => { t.dropColumn('currency'); });
};
"#
        ),
        case!(
            "migrations/20240402-flag.ts",
            r#"module.exports = {
  async up(queryInterface: any, Sequelize: any) {
    await queryInterface.addColumn('users', 'flag', { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false });
  },
  async down(queryInterface: any) {
    await queryInterface.removeColumn('users', 'flag');
  },
};
"#
        ),
        case!(
            "shop/migrations/0051_add_title.py",
            r#"from django.db import migrations, models

class Migration(migrations.Migration):
    operations = [
        migrations.AddField(model_name="product", name="title", field=models.CharField(max_length=32, blank=True)),
    ]
"#
        ),
        case!(
            "src/main/resources/db/migration/V12__currency.sql",
            r#"ALTER TABLE orders ADD COLUMN currency varchar(3) NOT NULL;
^ `ADD COLUMN ... NOT NULL` adds `orders.currency` as NOT NULL
ALTER TABLE orders ADD COLUMN region varchar(3) NOT NULL DEFAULT 'eu';
ALTER TABLE orders ADD COLUMN id2 bigserial NOT NULL;
"#
        ),
        case!(
            "src/main/resources/db/migration/V1__init.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY);\nALTER TABLE orders ADD COLUMN currency varchar(3) NOT NULL;\n"
        ),
    ],
};

pub fn message(subject: &str, via: &str, existing_column: bool) -> String {
    if existing_column {
        format!(
            "`{via}` makes `{subject}` NOT NULL on an existing table: the database checks every row while holding an exclusive lock on the table, and the migration fails if any row is still null"
        )
    } else {
        format!(
            "`{via}` adds `{subject}` as NOT NULL without a default: it fails on a table with rows (or locks it to rewrite), and inserts from the previous release fail during the rollout"
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
        report(cx, &META, &[Kind::NotNull], |o| {
            let existing = o.via.contains("alter_column") || o.via.contains("SET NOT NULL");
            message(&o.subject, &o.via, existing)
        });
    }
}
