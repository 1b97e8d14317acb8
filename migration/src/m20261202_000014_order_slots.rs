use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

/// How many orders arrived in each quarter of an hour (UTC), for the statistics' orders per
/// day: reading the timestamps of every order of the last 30 days grew with the orders (a
/// million rows at scale); a day is now the sum of its 96 quarters, whatever the business time
/// zone (every zone's days start on a quarter hour).
///
/// Kept right by the database itself, like `lead_counts`: triggers on `applications` for
/// INSERT, DELETE and UPDATE (and TRUNCATE on PostgreSQL), so every writer — intake, the demo
/// seeder moving its orders back in time, a statement typed into `psql` — keeps it exact.
/// PostgreSQL counts once per statement (transition tables) into the stripe of its backend
/// pid, so concurrent group commits never wait on one row; SQLite has one writer, one stripe.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// Stripes per quarter hour on PostgreSQL.
const SHARDS: i32 = 8;
/// Seconds per slot.
const SLOT: i32 = 900;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrderSlots::Table)
                    .col(big_integer(OrderSlots::Slot))
                    .col(small_integer(OrderSlots::Shard))
                    .col(big_integer(OrderSlots::N))
                    .primary_key(Index::create().col(OrderSlots::Slot).col(OrderSlots::Shard))
                    .to_owned(),
            )
            .await?;
        let (statements, slot_of) = match manager.get_database_backend() {
            DatabaseBackend::Postgres => (
                postgres(),
                format!("floor(extract(epoch FROM created_at) / {SLOT})::bigint"),
            ),
            _ => (
                sqlite(),
                format!("CAST(strftime('%s', created_at) AS INTEGER) / {SLOT}"),
            ),
        };
        let db = manager.get_connection();
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        db.execute_unprepared(&format!(
            "INSERT INTO order_slots (slot, shard, n) \
             SELECT {slot_of}, 0, COUNT(*) FROM applications GROUP BY {slot_of}"
        ))
        .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

fn postgres() -> Vec<String> {
    // Every old row out, every new row in, per slot; slots that net to zero are not written
    // (a status change moves no order in time). In slot order: no two transactions take two
    // rows in opposite orders.
    let apply = |moved: &str| {
        format!(
            "INSERT INTO order_slots AS s (slot, shard, n) \
             SELECT slot, pg_backend_pid() % {SHARDS}, sum(delta) \
             FROM (SELECT floor(extract(epoch FROM created_at) / {SLOT})::bigint AS slot, delta \
                   FROM ({moved}) rows) moved \
             GROUP BY slot HAVING sum(delta) <> 0 ORDER BY slot \
             ON CONFLICT (slot, shard) DO UPDATE SET n = s.n + excluded.n;"
        )
    };
    let inserted = "SELECT created_at, 1 AS delta FROM new_rows";
    let deleted = "SELECT created_at, -1 AS delta FROM old_rows";
    let updated = format!("{deleted} UNION ALL {inserted}");
    vec![
        format!(
            "CREATE FUNCTION order_slots_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
        "CREATE TRIGGER order_slots_insert AFTER INSERT ON applications \
         REFERENCING NEW TABLE AS new_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION order_slots_apply()"
            .into(),
        "CREATE TRIGGER order_slots_update AFTER UPDATE ON applications \
         REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION order_slots_apply()"
            .into(),
        "CREATE TRIGGER order_slots_delete AFTER DELETE ON applications \
         REFERENCING OLD TABLE AS old_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION order_slots_apply()"
            .into(),
        "CREATE FUNCTION order_slots_clear() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    DELETE FROM order_slots;
    RETURN NULL;
END
$fn$"
            .into(),
        "CREATE TRIGGER order_slots_truncate AFTER TRUNCATE ON applications \
         FOR EACH STATEMENT EXECUTE FUNCTION order_slots_clear()"
            .into(),
    ]
}

fn sqlite() -> Vec<String> {
    let add = |row: &str, delta: i32| {
        format!(
            "INSERT INTO order_slots (slot, shard, n) \
             VALUES (CAST(strftime('%s', {row}.created_at) AS INTEGER) / {SLOT}, 0, {delta}) \
             ON CONFLICT (slot, shard) DO UPDATE SET n = n + excluded.n;"
        )
    };
    vec![
        format!(
            "CREATE TRIGGER order_slots_insert AFTER INSERT ON applications BEGIN {} END",
            add("NEW", 1)
        ),
        format!(
            "CREATE TRIGGER order_slots_delete AFTER DELETE ON applications BEGIN {} END",
            add("OLD", -1)
        ),
        format!(
            "CREATE TRIGGER order_slots_update AFTER UPDATE OF created_at ON applications \
             WHEN OLD.created_at IS NOT NEW.created_at BEGIN {} {} END",
            add("OLD", -1),
            add("NEW", 1)
        ),
    ]
}

#[derive(DeriveIden)]
enum OrderSlots {
    Table,
    Slot,
    Shard,
    N,
}
