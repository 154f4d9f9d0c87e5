//! SQL files: only migrations are read (files in `migrations/`, `db/migrate`, `flyway`,
//! `liquibase` folders, `*.up.sql`/`*.down.sql`, Flyway `V1__x.sql`). Each forward
//! statement is classified (`rules/migration/sql.rs`) and reported by the MIGRATION rule
//! of its kind; a golang-migrate `.up.sql` whose `.down.sql` is absent and a
//! goose/sql-migrate/dbmate file without a `Down` section are reported as irreversible.

use crate::files::Role;
use crate::manifests::ManifestOutput;
use crate::rule::{Hit, Requirement};
use crate::rules::migration::{
    self, Kind, backfill, drop, no_down, not_null, rename, sql, type_change,
};

pub fn analyze(path: &str, role: Role, text: &str) -> ManifestOutput {
    let mut out = ManifestOutput::default();
    let _ = role;
    if !migration::is_migration_path(path) || migration::is_down_file(path) {
        return out;
    }
    let (stmts, sections) = sql::statements(text);
    let ops = sql::classify(&stmts);
    let mut altered: Vec<String> = stmts
        .iter()
        .filter(|s| !s.down)
        .filter_map(sql::adds_column)
        .collect();
    for (o, down) in &ops {
        if *down {
            continue;
        }
        let table = o.subject.split('.').next().unwrap_or("").to_string();
        let (meta, msg) = match o.kind {
            Kind::DropTable | Kind::DropColumn | Kind::DropData => {
                (&drop::META, drop::message(o.kind, &o.subject, &o.via))
            }
            Kind::Rename => (&rename::META, rename::message(&o.subject, &o.via)),
            Kind::TypeChange => (&type_change::META, type_change::message(&o.subject, &o.via)),
            Kind::NotNull => (
                &not_null::META,
                not_null::message(&o.subject, &o.via, o.via.contains("SET NOT NULL")),
            ),
            _ => continue,
        };
        if sql::is_schema_change(o.kind) {
            altered.push(table);
        }
        let mut h = Hit::at(meta, o.line, o.column, o.subject.clone(), msg);
        h.site_text = format!("{}:{}", o.via, o.subject);
        h.group_in_folder(meta.id);
        out.hits.push(h);
    }
    for (o, down) in &ops {
        if *down || o.kind != Kind::Update || !altered.contains(&o.subject) {
            continue;
        }
        let mut h = Hit::at(
            &backfill::META,
            o.line,
            o.column,
            o.subject.clone(),
            backfill::message(&o.subject),
        );
        h.site_text = format!("UPDATE:{}", o.subject);
        h.group_in_folder(backfill::META.id);
        out.hits.push(h);
    }
    // Irreversible: golang-migrate pairs and section-based tools.
    let name = crate::files::base_name(path);
    let first = stmts
        .iter()
        .find(|s| !s.down)
        .map(|s| (s.line, s.column))
        .unwrap_or((1, 1));
    if let Some(stem) = name.strip_suffix(".up.sql") {
        let down_name = format!("{stem}.down.sql");
        let dir = crate::files::parent_dir(path);
        let down_path = if dir == "." {
            down_name.clone()
        } else {
            format!("{dir}/{down_name}")
        };
        let mut h = Hit::at(
            &no_down::META,
            first.0,
            first.1,
            name.to_string(),
            no_down::message(&format!("`{name}` has no `{down_name}`")),
        );
        h.site_text = format!("no-down:{name}");
        h.requires = Some(Requirement::FileAbsent(down_path));
        h.group_in_folder(no_down::META.id);
        out.hits.push(h);
    } else if sections.has_markers && (!sections.has_down_marker || sections.down_statements == 0) {
        let what = if sections.has_down_marker {
            "the `Down` section is empty"
        } else {
            "there is no `Down` section"
        };
        let mut h = Hit::at(
            &no_down::META,
            first.0,
            first.1,
            name.to_string(),
            no_down::message(what),
        );
        h.site_text = format!("no-down:{name}");
        h.group_in_folder(no_down::META.id);
        out.hits.push(h);
    }
    out
}
