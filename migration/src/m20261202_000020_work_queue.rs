use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

/// The orders list as a work queue (issue 13):
///
/// * **Status history** (`lead_history`): every move of a lead in the pipeline — from, to, when
///   and who (an admin by e-mail, a Telegram user, or the system) — deleted with its lead.
/// * **Notes** (`lead_notes`): text an admin keeps on a lead, with its author and time.
/// * **Spam**: a status, `SPAM`, so the counts the database keeps per (priority, status)
///   (`lead_counts`, migration 12) stay exact without a new trigger; the list, the CSV and the
///   conversion figures leave that status out. `order_slots` (orders per quarter hour,
///   migration 14) no longer counts spam: its triggers are rewritten here to count only rows
///   whose status is not `SPAM`, and a move into or out of spam is an order out or in.
///   `spam_contacts` holds the e-mail and phone digits of every spam-marked lead: a new order
///   from one of them is stored as spam at once (see `server::leads::intake`).
/// * **Unread**: `opened_at`, stamped when an admin first opens the card; orders already
///   stored count as read (the backfill), so only new ones are unread. A partial index holds
///   just the unread ones for the count in the admin's tab title.
/// * **Sorting** at scale: generated columns give every sort its own key and index, so each
///   is a keyset walk like the ranked list (`server::leads::list`): `queue_rank` (open orders
///   first, spam last), `status_rank` (pipeline order), `sort_name` ("surname name
///   patronymic", the order the list and the card both show) and `request_number` (the last
///   eight hex digits of the id: the number the visitor is shown after sending, found by the
///   search). PostgreSQL stores them; SQLite computes them (VIRTUAL) and indexes them.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();

        manager
            .create_table(
                Table::create()
                    .table(LeadHistory::Table)
                    .col(uuid(LeadHistory::Id).primary_key())
                    .col(uuid(LeadHistory::LeadId))
                    .col(string_len_null(LeadHistory::FromStatus, 20))
                    .col(string_len(LeadHistory::ToStatus, 20))
                    .col(string_len(LeadHistory::ActorKind, 20))
                    .col(string_len_null(LeadHistory::ActorId, 64))
                    .col(string_len(LeadHistory::ActorName, 255))
                    .col(timestamp_with_time_zone(LeadHistory::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lead_history_lead")
                            .from(LeadHistory::Table, LeadHistory::LeadId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lead_history_lead")
                    .table(LeadHistory::Table)
                    .col(LeadHistory::LeadId)
                    .col(LeadHistory::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LeadNotes::Table)
                    .col(uuid(LeadNotes::Id).primary_key())
                    .col(uuid(LeadNotes::LeadId))
                    .col(uuid_null(LeadNotes::AuthorId))
                    .col(string_len(LeadNotes::AuthorEmail, 255))
                    .col(text(LeadNotes::Body))
                    .col(timestamp_with_time_zone(LeadNotes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lead_notes_lead")
                            .from(LeadNotes::Table, LeadNotes::LeadId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lead_notes_lead")
                    .table(LeadNotes::Table)
                    .col(LeadNotes::LeadId)
                    .col(LeadNotes::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpamContacts::Table)
                    .col(string_len(SpamContacts::Contact, 300))
                    .col(uuid(SpamContacts::LeadId))
                    .primary_key(
                        Index::create()
                            .col(SpamContacts::Contact)
                            .col(SpamContacts::LeadId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_spam_contacts_lead")
                            .from(SpamContacts::Table, SpamContacts::LeadId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_spam_contacts_lead")
                    .table(SpamContacts::Table)
                    .col(SpamContacts::LeadId)
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .add_column(timestamp_with_time_zone_null(Applications::OpenedAt))
                    .to_owned(),
            )
            .await?;
        // What is stored already has been seen: only orders from now on are unread.
        db.execute_unprepared("UPDATE applications SET opened_at = created_at")
            .await?;

        let (stored, request_number) = match backend {
            DatabaseBackend::Postgres => ("STORED", "right(id::text, 8)"),
            // A UUID is 16 bytes in SQLite; its last four are the last eight hex digits.
            _ => (
                "VIRTUAL",
                "CASE typeof(id) WHEN 'blob' THEN lower(hex(substr(id, 13, 4))) \
                 ELSE lower(substr(id, -8)) END",
            ),
        };
        let generated = [
            (
                "queue_rank",
                "SMALLINT",
                "CASE WHEN status IN ('NEW', 'IN_PROGRESS') THEN 2 \
                 WHEN status = 'SPAM' THEN 0 ELSE 1 END"
                    .to_owned(),
            ),
            (
                "status_rank",
                "SMALLINT",
                "CASE status WHEN 'NEW' THEN 4 WHEN 'IN_PROGRESS' THEN 3 WHEN 'WON' THEN 2 \
                 WHEN 'LOST' THEN 1 ELSE 0 END"
                    .to_owned(),
            ),
            (
                "sort_name",
                "TEXT",
                "surname || ' ' || name || COALESCE(' ' || patronymic, '')".to_owned(),
            ),
            ("request_number", "TEXT", request_number.to_owned()),
        ];
        for (column, kind, expression) in generated {
            db.execute_unprepared(&format!(
                "ALTER TABLE applications ADD COLUMN {column} {kind} \
                 GENERATED ALWAYS AS ({expression}) {stored}"
            ))
            .await?;
        }

        for (name, columns) in [
            (
                "idx_applications_queue",
                "queue_rank, score, created_at, id",
            ),
            (
                "idx_applications_priority_queue",
                "priority, queue_rank, score, created_at, id",
            ),
            (
                "idx_applications_status_order",
                "status_rank, score, created_at, id",
            ),
            ("idx_applications_name", "sort_name, created_at, id"),
            ("idx_applications_request_number", "request_number"),
            // Replaces the single-column one: the date sort's keyset is (created_at, id).
            ("idx_applications_created_id", "created_at, id"),
        ] {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON applications ({columns})"))
                .await?;
        }
        db.execute_unprepared("DROP INDEX idx_applications_created")
            .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_applications_unread ON applications (created_at) \
             WHERE opened_at IS NULL AND status <> 'SPAM'",
        )
        .await?;

        let slots = match backend {
            DatabaseBackend::Postgres => order_slots_postgres(),
            _ => order_slots_sqlite(),
        };
        for statement in slots {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// Seconds per slot (as in migration 14).
const SLOT: i32 = 900;
/// Stripes per quarter hour on PostgreSQL (as in migration 14).
const SHARDS: i32 = 8;

/// Migration 14's function, counting only rows that are not spam.
fn order_slots_postgres() -> Vec<String> {
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
    let inserted = "SELECT created_at, 1 AS delta FROM new_rows WHERE status <> 'SPAM'";
    let deleted = "SELECT created_at, -1 AS delta FROM old_rows WHERE status <> 'SPAM'";
    let updated = format!("{deleted} UNION ALL {inserted}");
    vec![format!(
        "CREATE OR REPLACE FUNCTION order_slots_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
    )]
}

/// Migration 14's triggers, counting only rows that are not spam.
fn order_slots_sqlite() -> Vec<String> {
    let add = |row: &str, delta: i32| {
        format!(
            "INSERT INTO order_slots (slot, shard, n) \
             SELECT CAST(strftime('%s', {row}.created_at) AS INTEGER) / {SLOT}, 0, {delta} \
             WHERE {row}.status <> 'SPAM' \
             ON CONFLICT (slot, shard) DO UPDATE SET n = n + excluded.n;"
        )
    };
    vec![
        "DROP TRIGGER order_slots_insert".into(),
        "DROP TRIGGER order_slots_delete".into(),
        "DROP TRIGGER order_slots_update".into(),
        format!(
            "CREATE TRIGGER order_slots_insert AFTER INSERT ON applications BEGIN {} END",
            add("NEW", 1)
        ),
        format!(
            "CREATE TRIGGER order_slots_delete AFTER DELETE ON applications BEGIN {} END",
            add("OLD", -1)
        ),
        format!(
            "CREATE TRIGGER order_slots_update AFTER UPDATE OF created_at, status ON applications \
             WHEN OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status \
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
    OpenedAt,
}

#[derive(DeriveIden)]
enum LeadHistory {
    Table,
    Id,
    LeadId,
    FromStatus,
    ToStatus,
    ActorKind,
    ActorId,
    ActorName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeadNotes {
    Table,
    Id,
    LeadId,
    AuthorId,
    AuthorEmail,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SpamContacts {
    Table,
    Contact,
    LeadId,
}
