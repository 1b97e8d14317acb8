use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

/// Statistics that read right (issue 13), two tables:
///
/// * `element_labels` — the owner's own name for an element or form field of a page (the
///   tracker counts clicks against stable ids such as `f-email`, fields by their `name`). A
///   row exists only where the owner changed the default, which comes from the public page
///   itself (the element's visible label in the reader's language).
/// * `visit_slots` — visits and their engaged seconds per quarter hour (UTC) of the visit's
///   start, like `order_slots` for orders: the 1-day chart is hourly in the business time zone
///   (every zone's hours start on a quarter hour), read from at most 96 rows a day. Filled by
///   the metrics aggregator; existing visits are counted in here once.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// Seconds per slot (as `order_slots`).
const SLOT: i32 = 900;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ElementLabels::Table)
                    .col(string_len(ElementLabels::Page, 200))
                    // ELEMENT (a click target's key) or FIELD (a form field's name).
                    .col(string_len(ElementLabels::Kind, 10))
                    .col(string_len(ElementLabels::Element, 100))
                    .col(string_len(ElementLabels::Label, 100))
                    .col(timestamp_with_time_zone(ElementLabels::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(ElementLabels::Page)
                            .col(ElementLabels::Kind)
                            .col(ElementLabels::Element),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VisitSlots::Table)
                    .col(string_len(VisitSlots::Page, 200))
                    .col(big_integer(VisitSlots::Slot))
                    .col(big_integer(VisitSlots::Visits))
                    .col(big_integer(VisitSlots::EngagedSeconds))
                    .primary_key(Index::create().col(VisitSlots::Page).col(VisitSlots::Slot))
                    .to_owned(),
            )
            .await?;
        let slot_of = match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                format!("floor(extract(epoch FROM first_seen_at) / {SLOT})::bigint")
            }
            _ => format!("CAST(strftime('%s', first_seen_at) AS INTEGER) / {SLOT}"),
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO visit_slots (page, slot, visits, engaged_seconds) \
                 SELECT page, {slot_of}, COUNT(*), SUM(engaged_seconds) FROM visits \
                 GROUP BY page, {slot_of}"
            ))
            .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[derive(DeriveIden)]
enum ElementLabels {
    Table,
    Page,
    Kind,
    Element,
    Label,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VisitSlots {
    Table,
    Page,
    Slot,
    Visits,
    EngagedSeconds,
}
