use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

/// The name sort without regard to case or to ё and е: `sort_name` ("surname name
/// patronymic", migration 20) compared as stored put "Ёлкин" before "Абрамов" and "абрамов"
/// after "Яковлева" (capitals come before small letters, and Ё before every other Cyrillic
/// letter, in code point order).
///
/// The column becomes a plain one that the server writes with each order
/// (`LeadText::sort_name`, folded in Rust, as it already writes `search_text`), and this
/// migration folds every stored row once: the capitals of [`FOLDS`] small and `ё` as `е`,
/// exactly `server::leads::text::sort_fold`, which folds a cursor's key the same way (the
/// server's API tests check the two agree, letter by letter, on both databases). Written out
/// as a table because neither database lower-cases as Rust does: SQLite's `lower()` folds ASCII
/// alone, PostgreSQL's follows the database's locale.
///
/// Not a generated column: PostgreSQL's `translate` over this table costs about 10–20 µs a
/// row, which every order's INSERT (and every UPDATE of an order) would pay; Rust folds the
/// name in well under a microsecond.
///
/// On PostgreSQL the column also compares as `"C"`, code point by code point, whatever the
/// database's default collation: as SQLite (`BINARY`) and Rust compare, rather than by a
/// locale (`en_US.UTF-8` ignores spaces, so "абрамова вера" would sort before "абрамов
/// борис"), whose rules also change with the C library under a built index. It has no
/// default there, so a writer that forgot it fails; SQLite cannot add a NOT NULL column
/// without one (`''`).
#[derive(DeriveMigrationName)]
pub struct Migration;

/// Ranges of capitals and the small letter of the first of each (`leads::text::SORT_FOLDS`).
const FOLDS: [(char, char, char); 5] = [
    ('A', 'Z', 'a'),
    ('À', 'Ö', 'à'),
    ('Ø', 'Þ', 'ø'),
    ('Ѐ', 'Џ', 'ѐ'),
    ('А', 'Я', 'а'),
];

/// Every character the fold changes, and what it becomes (Ё and ё both е).
fn pairs() -> Vec<(char, char)> {
    let mut pairs: Vec<(char, char)> = FOLDS
        .iter()
        .flat_map(|&(first, last, small)| {
            (first..=last).filter_map(move |capital| {
                let offset = u32::from(capital) - u32::from(first);
                char::from_u32(u32::from(small) + offset).map(|small| (capital, small))
            })
        })
        .map(|(capital, small)| (capital, if small == 'ё' { 'е' } else { small }))
        .collect();
    pairs.push(('ё', 'е'));
    pairs
}

const NAME: &str = "surname || ' ' || name || COALESCE(' ' || patronymic, '')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let (column, folded) = match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                let (from, to): (String, String) = pairs().into_iter().unzip();
                (
                    "sort_name TEXT COLLATE \"C\" NOT NULL DEFAULT ''",
                    format!("translate({NAME}, '{from}', '{to}')"),
                )
            }
            _ => (
                "sort_name TEXT NOT NULL DEFAULT ''",
                pairs()
                    .into_iter()
                    .fold(format!("({NAME})"), |text, (capital, small)| {
                        format!("replace({text}, '{capital}', '{small}')")
                    }),
            ),
        };
        let mut statements = vec![
            "DROP INDEX idx_applications_name".to_owned(),
            "ALTER TABLE applications DROP COLUMN sort_name".to_owned(),
            format!("ALTER TABLE applications ADD COLUMN {column}"),
            format!("UPDATE applications SET sort_name = {folded}"),
            "CREATE INDEX idx_applications_name ON applications (sort_name, created_at, id)"
                .to_owned(),
        ];
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            statements
                .push("ALTER TABLE applications ALTER COLUMN sort_name DROP DEFAULT".to_owned());
        }
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
