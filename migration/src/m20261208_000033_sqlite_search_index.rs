use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The orders' search text gets a substring index on SQLite too: an FTS5 table with the
/// trigram tokenizer (`leads::list::matches_search` asks it for the words of three characters
/// or more, then checks every word on the order itself, as before). Without it a search read
/// the list in ranking order until its page was full, so a word that matched little read the
/// whole table (0.1–0.3 s at 100,000 orders).
///
/// The index holds no copy of the text (`content=''`) and needs an integer key per order;
/// `applications` is keyed by a UUID and its own rowid is not stable (`VACUUM` may renumber
/// it), so `application_search_keys` hands each order a key of its own, never reused
/// (`AUTOINCREMENT`), as it is stored.
///
/// New orders are indexed apart from their writer, like PostgreSQL's pending list
/// (`leads::search_index`): the trigram index costs about 0.7 ms an order when written a
/// group at a time, about 30 µs in bulk. `application_search_state.indexed_through` is the
/// highest key indexed; a search reads the orders past it unindexed (the last seconds'
/// orders). Triggers keep the index in step with the orders it holds, whoever changes or
/// deletes them: an entry is taken out with FTS5's `'delete'` command and the text it was
/// made of (the trigger's `old` row), which SQLite has understood since FTS5 began, so older
/// tools (Debian 12's `sqlite3`, Python's module) can still write orders to the file.
/// PostgreSQL has its trigram GIN index since migration 12.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        for statement in [
            // No declared type: the key column stores the order's id exactly as `applications`
            // does, whatever the driver's encoding.
            "CREATE TABLE application_search_keys (\
                 key INTEGER PRIMARY KEY AUTOINCREMENT, \
                 application_id NOT NULL UNIQUE)",
            "CREATE TABLE application_search_state (\
                 id INTEGER PRIMARY KEY CHECK (id = 1), \
                 indexed_through INTEGER NOT NULL)",
            // Case-sensitive: the search text and the search are folded by the server
            // (`leads::text::fold`), so there is nothing left to fold.
            "CREATE VIRTUAL TABLE application_search USING fts5(\
                 search_text, content='', \
                 tokenize='trigram case_sensitive 1')",
            "INSERT INTO application_search_keys (application_id) SELECT id FROM applications",
            "INSERT INTO application_search (rowid, search_text) \
                 SELECT k.key, a.search_text FROM application_search_keys k \
                 JOIN applications a ON a.id = k.application_id",
            "INSERT INTO application_search_state (id, indexed_through) \
                 SELECT 1, COALESCE(max(key), 0) FROM application_search_keys",
            "CREATE TRIGGER application_search_insert AFTER INSERT ON applications BEGIN \
                 INSERT INTO application_search_keys (application_id) VALUES (new.id); \
             END",
            "CREATE TRIGGER application_search_update AFTER UPDATE OF search_text ON applications \
             WHEN old.search_text IS NOT new.search_text BEGIN \
                 INSERT INTO application_search (application_search, rowid, search_text) \
                     SELECT 'delete', k.key, old.search_text \
                     FROM application_search_keys k, application_search_state s \
                     WHERE k.application_id = old.id AND k.key <= s.indexed_through; \
                 INSERT INTO application_search (rowid, search_text) \
                     SELECT k.key, new.search_text \
                     FROM application_search_keys k, application_search_state s \
                     WHERE k.application_id = new.id AND k.key <= s.indexed_through; \
             END",
            "CREATE TRIGGER application_search_delete AFTER DELETE ON applications BEGIN \
                 INSERT INTO application_search (application_search, rowid, search_text) \
                     SELECT 'delete', k.key, old.search_text \
                     FROM application_search_keys k, application_search_state s \
                     WHERE k.application_id = old.id AND k.key <= s.indexed_through; \
                 DELETE FROM application_search_keys WHERE application_id = old.id; \
             END",
        ] {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
