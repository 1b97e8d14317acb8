use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

/// The ranked list at scale: its totals must not count a million rows, its search must not
/// read them, and a filter by priority or status must not walk past the other leads.
///
/// * `lead_counts` holds how many leads there are per (priority, status), kept right by the
///   database itself: triggers on `applications` for INSERT, DELETE and UPDATE (and TRUNCATE
///   on PostgreSQL), so every writer — intake, the pipeline, rescoring, the demo seeder, the
///   CLI, a statement typed into `psql` — keeps it exact without knowing it exists. The totals
///   of the unfiltered list and of every priority / status view are sums of a few of its rows,
///   read in the reader's snapshot, so they are as exact as `COUNT(*)`.
/// * Each key is striped over `shard` rows. On PostgreSQL a writer adds to the stripe of its
///   backend pid modulo [`SHARDS`] and a reader sums them: with one row per key, every order
///   would wait for the previous one's commit (its row lock) under concurrent intake; one
///   connection runs its transactions one after another anyway, so it never waits on its own
///   stripe, and a pool's connections, started together, mostly get consecutive pids. SQLite
///   has one writer at a time: one stripe, 0.
/// * PostgreSQL counts once per statement (transition tables), not once per row: a group
///   commit of many orders or a bulk load of a million costs one upsert per key, and no
///   counter row is rewritten a million times in one transaction. The upserts go in key
///   order, so two transactions never take two stripes in opposite orders (no deadlock).
/// * Priority and status get indexes in ranking order, `(priority, score, created_at, id)`
///   and the same for status (replacing their single-column indexes, so writes cost the same):
///   a filtered page walks its own view instead of skipping every other lead, however rare.
/// * Search (`search_text LIKE '%…%'`) gets a trigram GIN index on PostgreSQL, with priority
///   and status in the same index (`btree_gin`), so a search within a view reads only the
///   candidates of both. `pg_trgm` and `btree_gin` are trusted extensions since PostgreSQL 13:
///   the database owner may create them (README, "PostgreSQL"). SQLite has no such index: its
///   searches are bounded by the page size and the capped count (`server::leads::list`).
///
/// Runs in one transaction on both databases: the triggers lock `applications` against writes
/// before the backfill reads it, so no order falls between the two.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// Stripes per key on PostgreSQL. A reader sums at most 3 priorities × 4 statuses × this.
const SHARDS: i32 = 32;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new, column) in [
            (
                "idx_applications_priority",
                "idx_applications_priority_rank",
                Applications::Priority,
            ),
            (
                "idx_applications_status",
                "idx_applications_status_rank",
                Applications::Status,
            ),
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(old)
                        .table(Applications::Table)
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(new)
                        .table(Applications::Table)
                        .col(column)
                        .col(Applications::Score)
                        .col(Applications::CreatedAt)
                        .col(Applications::Id)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(LeadCounts::Table)
                    .col(string_len(LeadCounts::Priority, 10))
                    .col(string_len(LeadCounts::Status, 20))
                    .col(small_integer(LeadCounts::Shard))
                    .col(big_integer(LeadCounts::N))
                    .primary_key(
                        Index::create()
                            .col(LeadCounts::Priority)
                            .col(LeadCounts::Status)
                            .col(LeadCounts::Shard),
                    )
                    .to_owned(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres(),
            _ => sqlite(),
        };
        let db = manager.get_connection();
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        db.execute_unprepared(
            "INSERT INTO lead_counts (priority, status, shard, n) \
             SELECT priority, status, 0, COUNT(*) FROM applications GROUP BY priority, status",
        )
        .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

fn postgres() -> Vec<String> {
    // Every old row out, every new row in, per key; keys that net to zero are not written
    // (a status change touches two stripes, an edit of the text none).
    let apply = |moved: &str| {
        format!(
            "INSERT INTO lead_counts AS c (priority, status, shard, n) \
             SELECT priority, status, pg_backend_pid() % {SHARDS}, sum(delta) \
             FROM ({moved}) moved \
             GROUP BY priority, status HAVING sum(delta) <> 0 ORDER BY priority, status \
             ON CONFLICT (priority, status, shard) DO UPDATE SET n = c.n + excluded.n;"
        )
    };
    let inserted = "SELECT priority, status, 1 AS delta FROM new_rows";
    let deleted = "SELECT priority, status, -1 AS delta FROM old_rows";
    let updated = format!("{deleted} UNION ALL {inserted}");
    vec![
        "CREATE EXTENSION IF NOT EXISTS pg_trgm".into(),
        "CREATE EXTENSION IF NOT EXISTS btree_gin".into(),
        "CREATE INDEX idx_applications_search ON applications \
         USING gin (priority, status, search_text gin_trgm_ops)"
            .into(),
        // One function for the three statement triggers: each names only the transition
        // tables it has, and PL/pgSQL plans a branch's statement only when it runs.
        format!(
            "CREATE FUNCTION lead_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {}
    ELSIF TG_OP = 'DELETE' THEN
        {}
    ELSE
        {}
    END IF;
    RETURN NULL;
END
$fn$",
            apply(inserted),
            apply(deleted),
            apply(&updated)
        ),
        "CREATE TRIGGER lead_counts_insert AFTER INSERT ON applications \
         REFERENCING NEW TABLE AS new_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_apply()"
            .into(),
        "CREATE TRIGGER lead_counts_update AFTER UPDATE ON applications \
         REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_apply()"
            .into(),
        "CREATE TRIGGER lead_counts_delete AFTER DELETE ON applications \
         REFERENCING OLD TABLE AS old_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_apply()"
            .into(),
        "CREATE FUNCTION lead_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    DELETE FROM lead_counts;
    RETURN NULL;
END
$fn$"
            .into(),
        "CREATE TRIGGER lead_counts_truncate AFTER TRUNCATE ON applications \
         FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_clear()"
            .into(),
    ]
}

fn sqlite() -> Vec<String> {
    let add = |row: &str, delta: i32| {
        format!(
            "INSERT INTO lead_counts (priority, status, shard, n) \
             VALUES ({row}.priority, {row}.status, 0, {delta}) \
             ON CONFLICT (priority, status, shard) DO UPDATE SET n = n + excluded.n;"
        )
    };
    vec![
        format!(
            "CREATE TRIGGER lead_counts_insert AFTER INSERT ON applications BEGIN {} END",
            add("NEW", 1)
        ),
        format!(
            "CREATE TRIGGER lead_counts_delete AFTER DELETE ON applications BEGIN {} END",
            add("OLD", -1)
        ),
        format!(
            "CREATE TRIGGER lead_counts_update AFTER UPDATE OF priority, status ON applications \
             WHEN OLD.priority IS NOT NEW.priority OR OLD.status IS NOT NEW.status \
             BEGIN {} {} END",
            add("OLD", -1),
            add("NEW", 1)
        ),
    ]
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    Priority,
    Status,
    Score,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeadCounts {
    Table,
    Priority,
    Status,
    Shard,
    N,
}
