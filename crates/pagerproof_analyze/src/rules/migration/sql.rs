//! A small SQL statement reader for migrations: splits a script into statements (comments,
//! quoted strings and dollar-quoted bodies respected), notes which direction each belongs
//! to (goose/sql-migrate/dbmate `Up`/`Down` sections), and classifies the statements that
//! matter to a rolling deploy: drops, renames, type changes, NOT NULL additions, creates
//! and data updates. Not a SQL parser: keywords in order, which is what migration files
//! contain.

use super::Kind;

/// One statement of a script.
#[derive(Clone, Debug)]
pub struct Statement {
    /// 1-based line and column of its first character.
    pub line: u32,
    pub column: u32,
    /// Upper-cased, whitespace collapsed, identifier quotes removed.
    pub norm: String,
    /// Whether it belongs to a `Down` section.
    pub down: bool,
}

/// A classified operation of a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlOp {
    pub kind: Kind,
    pub line: u32,
    pub column: u32,
    /// What it touches (`orders`, `orders.legacy_id`).
    pub subject: String,
    /// The SQL form (`DROP COLUMN`, `RENAME COLUMN`, `ALTER COLUMN ... TYPE`).
    pub via: String,
}

/// Whether a script has direction sections and whether it has a non-empty `Down` one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sections {
    pub has_markers: bool,
    pub has_down_marker: bool,
    pub down_statements: usize,
}

fn direction_marker(comment: &str) -> Option<bool> {
    let c = comment.trim().to_ascii_lowercase();
    let c = c.trim_start_matches('-').trim();
    match c {
        "+goose up" | "+migrate up" | "migrate:up" => Some(false),
        "+goose down" | "+migrate down" | "migrate:down" => Some(true),
        _ => None,
    }
}

/// Splits `text` into statements.
pub fn statements(text: &str) -> (Vec<Statement>, Sections) {
    let mut out = Vec::new();
    let mut sections = Sections::default();
    let b = text.as_bytes();
    let mut i = 0usize;
    let (mut line, mut col) = (1u32, 1u32);
    let mut cur = String::new();
    let mut start: Option<(u32, u32)> = None;
    let mut down = false;
    let push =
        |cur: &mut String, start: &mut Option<(u32, u32)>, down: bool, out: &mut Vec<Statement>| {
            let norm = normalise(cur);
            if let Some((l, c)) = start.take()
                && !norm.is_empty()
            {
                out.push(Statement {
                    line: l,
                    column: c,
                    norm,
                    down,
                });
            }
            cur.clear();
        };
    while i < b.len() {
        let ch = b[i];
        // Line comments (and direction markers).
        if ch == b'-' && b.get(i + 1) == Some(&b'-') {
            let end = text[i..].find('\n').map(|e| i + e).unwrap_or(b.len());
            if let Some(d) = direction_marker(&text[i..end]) {
                push(&mut cur, &mut start, down, &mut out);
                sections.has_markers = true;
                if d {
                    sections.has_down_marker = true;
                }
                down = d;
            }
            col += text[i..end].chars().count() as u32;
            i = end;
            continue;
        }
        if ch == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = text[i + 2..]
                .find("*/")
                .map(|e| i + 2 + e + 2)
                .unwrap_or(b.len());
            for c in text[i..end].chars() {
                if c == '\n' {
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
            }
            cur.push(' ');
            i = end;
            continue;
        }
        // Quoted strings and dollar quotes: copied, `;` inside does not split.
        let quote_end = match ch {
            b'\'' | b'"' | b'`' => {
                let mut j = i + 1;
                while j < b.len() {
                    if b[j] == ch {
                        if b.get(j + 1) == Some(&ch) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j += 1;
                }
                Some((j + 1).min(b.len()))
            }
            b'$' => {
                // $tag$ ... $tag$
                let tag_end = text[i + 1..].find('$').map(|e| i + 1 + e).filter(|&e| {
                    text[i + 1..e]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_')
                });
                tag_end.map(|te| {
                    let tag = &text[i..=te];
                    text[te + 1..]
                        .find(tag)
                        .map(|e| te + 1 + e + tag.len())
                        .unwrap_or(b.len())
                })
            }
            _ => None,
        };
        if let Some(end) = quote_end {
            if start.is_none() {
                start = Some((line, col));
            }
            let piece = &text[i..end];
            for c in piece.chars() {
                if c == '\n' {
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
            }
            cur.push_str(piece);
            i = end;
            continue;
        }
        if ch == b';' {
            push(&mut cur, &mut start, down, &mut out);
            i += 1;
            col += 1;
            continue;
        }
        // One UTF-8 character.
        let c = text[i..].chars().next().unwrap_or(' ');
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            if start.is_none() && !c.is_whitespace() {
                start = Some((line, col));
            }
            col += 1;
        }
        cur.push(c);
        i += c.len_utf8();
    }
    push(&mut cur, &mut start, down, &mut out);
    sections.down_statements = out.iter().filter(|s| s.down).count();
    (out, sections)
}

/// Upper-cases keywords outside string literals, collapses whitespace and drops
/// identifier quotes.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_str = false;
    let mut last_space = true;
    for c in s.chars() {
        if c == '\'' {
            in_str = !in_str;
            out.push(c);
            last_space = false;
            continue;
        }
        if in_str {
            out.push(c);
            continue;
        }
        match c {
            '"' | '`' | '[' | ']' => {}
            c if c.is_whitespace() => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            c => {
                out.extend(c.to_uppercase());
                last_space = false;
            }
        }
    }
    out.trim().to_string()
}

fn words(s: &str) -> Vec<&str> {
    s.split(' ').filter(|w| !w.is_empty()).collect()
}

fn ident(w: &str) -> String {
    w.trim_matches(|c: char| c == '(' || c == ')' || c == ',')
        .to_ascii_lowercase()
}

/// Splits `a, b (x, y), c` at top-level commas.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut last = 0;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => depth -= 1,
            ',' if !in_str && depth == 0 => {
                out.push(s[last..i].trim());
                last = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[last..].trim());
    out
}

const NOT_COLUMN: &[&str] = &[
    "CONSTRAINT",
    "INDEX",
    "KEY",
    "PRIMARY",
    "FOREIGN",
    "DEFAULT",
    "NOT",
    "CHECK",
    "PARTITION",
    "UNIQUE",
    "TRIGGER",
    "EXPRESSION",
    "IDENTITY",
    "ROW",
    "POLICY",
    "SYSTEM",
];

/// Tables a statement creates (`CREATE TABLE [IF NOT EXISTS] t`).
pub fn created_table(st: &Statement) -> Option<String> {
    let w = words(&st.norm);
    let mut i = 0;
    if w.first() != Some(&"CREATE") {
        return None;
    }
    i += 1;
    while i < w.len() && matches!(w[i], "TEMP" | "TEMPORARY" | "UNLOGGED" | "GLOBAL" | "LOCAL") {
        i += 1;
    }
    if w.get(i) != Some(&"TABLE") {
        return None;
    }
    i += 1;
    if w.get(i..i + 3) == Some(&["IF", "NOT", "EXISTS"]) {
        i += 3;
    }
    w.get(i).map(|t| ident(t.split('(').next().unwrap_or(t)))
}

/// Tables whose rows a statement copies out (`INSERT INTO x SELECT ... FROM t`): a table
/// rebuild, so dropping `t` afterwards keeps its data.
fn copied_from(st: &Statement) -> Option<String> {
    let n = &st.norm;
    if !n.starts_with("INSERT INTO") || !n.contains(" SELECT ") {
        return None;
    }
    let after = n.rsplit(" FROM ").next()?;
    after.split(' ').next().map(ident)
}

/// Classifies every statement of a script (both directions; callers filter `down`).
pub fn classify(stmts: &[Statement]) -> Vec<(SqlOp, bool)> {
    let created: Vec<String> = stmts
        .iter()
        .filter(|s| !s.down)
        .filter_map(created_table)
        .collect();
    let copied: Vec<String> = stmts
        .iter()
        .filter(|s| !s.down)
        .filter_map(copied_from)
        .collect();
    let mut out = Vec::new();
    for st in stmts {
        for op in classify_one(st) {
            let table = op.subject.split('.').next().unwrap_or("").to_string();
            let fresh = created.contains(&table);
            let skip = match op.kind {
                Kind::DropTable => fresh || copied.contains(&table),
                Kind::DropColumn | Kind::NotNull | Kind::TypeChange | Kind::Rename => fresh,
                _ => false,
            };
            if !skip {
                out.push((op, st.down));
            }
        }
    }
    out
}

fn op(st: &Statement, kind: Kind, subject: String, via: &str) -> SqlOp {
    SqlOp {
        kind,
        line: st.line,
        column: st.column,
        subject,
        via: via.to_string(),
    }
}

fn classify_one(st: &Statement) -> Vec<SqlOp> {
    let n = st.norm.as_str();
    let w = words(n);
    let mut out = Vec::new();
    match w.as_slice() {
        ["DROP", "TABLE", rest @ ..] => {
            let rest = if rest.starts_with(&["IF", "EXISTS"]) {
                &rest[2..]
            } else {
                rest
            };
            for t in rest
                .iter()
                .take_while(|t| !matches!(**t, "CASCADE" | "RESTRICT"))
            {
                let t = ident(t);
                if !t.is_empty() {
                    out.push(op(st, Kind::DropTable, t, "DROP TABLE"));
                }
            }
        }
        ["TRUNCATE", rest @ ..] => {
            let rest = if rest.first() == Some(&"TABLE") {
                &rest[1..]
            } else {
                rest
            };
            if let Some(t) = rest.first() {
                out.push(op(st, Kind::DropData, ident(t), "TRUNCATE"));
            }
        }
        ["DELETE", "FROM", t, rest @ ..] if !rest.contains(&"WHERE") => {
            out.push(op(st, Kind::DropData, ident(t), "DELETE without WHERE"));
        }
        ["RENAME", "TABLE", a, ..] => out.push(op(st, Kind::Rename, ident(a), "RENAME TABLE")),
        ["EXEC", "SP_RENAME", a, ..] | ["SP_RENAME", a, ..] => out.push(op(
            st,
            Kind::Rename,
            ident(a).trim_matches('\'').to_string(),
            "sp_rename",
        )),
        ["UPDATE", t, "SET", ..] => {
            out.push(op(st, Kind::Update, ident(t), "UPDATE"));
        }
        ["ALTER", "TABLE", ..] => {
            let mut i = 2;
            while i < w.len() && matches!(w[i], "IF" | "EXISTS" | "ONLY") {
                i += 1;
            }
            let Some(table) = w.get(i).map(|t| ident(t)) else {
                return out;
            };
            // The actions, after the table name.
            let prefix_len: usize = w[..=i].iter().map(|x| x.len() + 1).sum();
            let actions = n.get(prefix_len..).unwrap_or("");
            for a in split_top(actions) {
                out.extend(alter_action(st, &table, a));
            }
        }
        _ => {}
    }
    out
}

fn alter_action(st: &Statement, table: &str, a: &str) -> Option<SqlOp> {
    let w = words(a);
    let col_at = |i: usize| -> (usize, String) {
        let mut i = i;
        if w.get(i) == Some(&"COLUMN") {
            i += 1;
        }
        if w.get(i..i + 2) == Some(&["IF", "EXISTS"])
            || w.get(i..i + 3) == Some(&["IF", "NOT", "EXISTS"])
        {
            i += if w.get(i + 1) == Some(&"NOT") { 3 } else { 2 };
        }
        (i, w.get(i).map(|c| ident(c)).unwrap_or_default())
    };
    match w.first().copied()? {
        "DROP" => {
            if w.get(1).is_some_and(|x| NOT_COLUMN.contains(x)) {
                return None;
            }
            let (_, c) = col_at(1);
            (!c.is_empty()).then(|| op(st, Kind::DropColumn, format!("{table}.{c}"), "DROP COLUMN"))
        }
        "RENAME" => match w.get(1).copied() {
            Some("CONSTRAINT" | "INDEX" | "KEY") => None,
            Some("TO" | "AS") => Some(op(st, Kind::Rename, table.to_string(), "RENAME TO")),
            _ => {
                let (_, c) = col_at(1);
                Some(op(
                    st,
                    Kind::Rename,
                    format!("{table}.{c}"),
                    "RENAME COLUMN",
                ))
            }
        },
        "ALTER" | "MODIFY" | "CHANGE" => {
            let (i, c) = col_at(1);
            let rest = &w[(i + 1).min(w.len())..];
            let first = w[0];
            if first == "CHANGE" {
                let new = rest.first().map(|x| ident(x)).unwrap_or_default();
                if !new.is_empty() && new != c {
                    return Some(op(
                        st,
                        Kind::Rename,
                        format!("{table}.{c}"),
                        "CHANGE COLUMN",
                    ));
                }
                return Some(op(
                    st,
                    Kind::TypeChange,
                    format!("{table}.{c}"),
                    "CHANGE COLUMN",
                ));
            }
            if first == "MODIFY" {
                return Some(op(
                    st,
                    Kind::TypeChange,
                    format!("{table}.{c}"),
                    "MODIFY COLUMN",
                ));
            }
            match rest {
                ["TYPE", ..] | ["SET", "DATA", "TYPE", ..] => Some(op(
                    st,
                    Kind::TypeChange,
                    format!("{table}.{c}"),
                    "ALTER COLUMN ... TYPE",
                )),
                ["SET", "NOT", "NULL", ..] => Some(op(
                    st,
                    Kind::NotNull,
                    format!("{table}.{c}"),
                    "SET NOT NULL",
                )),
                _ => None,
            }
        }
        "ADD" => {
            if w.get(1).is_some_and(|x| {
                matches!(
                    *x,
                    "CONSTRAINT"
                        | "PRIMARY"
                        | "FOREIGN"
                        | "UNIQUE"
                        | "INDEX"
                        | "KEY"
                        | "CHECK"
                        | "PARTITION"
                )
            }) {
                return None;
            }
            let (_, c) = col_at(1);
            let upper = a;
            if upper.contains("NOT NULL")
                && !upper.contains("DEFAULT")
                && !upper.contains("GENERATED")
                && !upper.contains("PRIMARY KEY")
                && !upper.contains("SERIAL")
                && !upper.contains("AUTO_INCREMENT")
                && !upper.contains("IDENTITY")
            {
                Some(op(
                    st,
                    Kind::NotNull,
                    format!("{table}.{c}"),
                    "ADD COLUMN ... NOT NULL",
                ))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Operations of an SQL string embedded in code (`op.execute("...")`), up direction.
pub fn embedded(sql: &str) -> Vec<SqlOp> {
    let (stmts, _) = statements(sql);
    classify(&stmts).into_iter().map(|(o, _)| o).collect()
}

/// Whether a statement changes a table's schema (for backfill detection).
pub fn is_schema_change(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::DropColumn | Kind::NotNull | Kind::TypeChange | Kind::Rename | Kind::AddColumn
    )
}

/// `ALTER TABLE t ADD [COLUMN] ...` (any column addition), for backfill detection.
pub fn adds_column(st: &Statement) -> Option<String> {
    let w = words(&st.norm);
    if w.len() > 4 && w[0] == "ALTER" && w[1] == "TABLE" && w.contains(&"ADD") {
        let mut i = 2;
        while i < w.len() && matches!(w[i], "IF" | "EXISTS" | "ONLY") {
            i += 1;
        }
        return w.get(i).map(|t| ident(t));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(sql: &str) -> Vec<(Kind, String, u32, bool)> {
        let (st, _) = statements(sql);
        classify(&st)
            .into_iter()
            .map(|(o, d)| (o.kind, o.subject, o.line, d))
            .collect()
    }

    #[test]
    fn statements_and_sections() {
        let sql = "-- +goose Up\nALTER TABLE \"users\" DROP COLUMN legacy;\n/* c; */\nCREATE FUNCTION f() AS $$ select 1; $$;\n-- +goose Down\nALTER TABLE users ADD COLUMN legacy text;\n";
        let (st, sec) = statements(sql);
        assert_eq!(st.len(), 3);
        assert_eq!(st[0].line, 2);
        assert!(sec.has_down_marker);
        assert_eq!(sec.down_statements, 1);
        assert_eq!(
            ops(sql),
            vec![(Kind::DropColumn, "users.legacy".to_string(), 2, false)]
        );
    }

    #[test]
    fn classifies_alter_actions() {
        let got = ops(
            "ALTER TABLE orders RENAME COLUMN a TO b, ALTER COLUMN c TYPE bigint, ADD COLUMN d int NOT NULL, ADD COLUMN e int NOT NULL DEFAULT 0, DROP CONSTRAINT x;\nALTER TABLE t ALTER COLUMN z SET NOT NULL;\nDROP TABLE IF EXISTS old_stuff CASCADE;\nUPDATE orders SET d = 1;",
        );
        let kinds: Vec<(Kind, &str)> = got.iter().map(|(k, s, _, _)| (*k, s.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::Rename, "orders.a"),
                (Kind::TypeChange, "orders.c"),
                (Kind::NotNull, "orders.d"),
                (Kind::NotNull, "t.z"),
                (Kind::DropTable, "old_stuff"),
                (Kind::Update, "orders"),
            ]
        );
    }

    #[test]
    fn rebuilds_and_fresh_tables_are_not_destructive() {
        let sql = "CREATE TABLE new_t (id int NOT NULL);\nINSERT INTO new_t SELECT id FROM t;\nDROP TABLE t;\nALTER TABLE new_t RENAME TO t;\nCREATE TABLE x (a int);\nALTER TABLE x ADD COLUMN b int NOT NULL;";
        assert!(ops(sql).is_empty(), "{:?}", ops(sql));
    }
}
