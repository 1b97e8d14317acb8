use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Behavior metrics. `visits` holds one row per page load (touched by its own visitor only);
/// every other table is a per-day rollup that the in-memory aggregator adds to once a second,
/// so statistics never read raw events and their cost does not grow with traffic.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Visits::Table)
                    .col(uuid(Visits::Id).primary_key())
                    .col(uuid(Visits::VisitorId))
                    .col(string_len(Visits::Page, 200))
                    // Day of the first batch in the business time zone (YYYY-MM-DD): every
                    // rollup of this visit is filed under it.
                    .col(string_len(Visits::Day, 10))
                    .col(timestamp_with_time_zone(Visits::FirstSeenAt))
                    .col(timestamp_with_time_zone(Visits::LastSeenAt))
                    .col(integer(Visits::EngagedSeconds))
                    .col(text(Visits::Clicks))
                    .col(integer(Visits::ViewportWidth))
                    .col(integer(Visits::ViewportHeight))
                    .col(string_len(Visits::ViewportClass, 10))
                    .col(integer(Visits::VisitNumber))
                    .col(integer(Visits::LastSeq))
                    .col(string_len_null(Visits::LastField, 100))
                    .col(uuid_null(Visits::ApplicationId))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_visits_visitor", Visits::VisitorId),
            ("idx_visits_first_seen", Visits::FirstSeenAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Visits::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(VisitDaily::Table)
                    .col(string_len(VisitDaily::Page, 200))
                    .col(string_len(VisitDaily::Day, 10))
                    .col(big_integer(VisitDaily::Visits))
                    .col(big_integer(VisitDaily::EngagedSeconds))
                    .col(big_integer(VisitDaily::ReturningVisits))
                    .col(big_integer(VisitDaily::ConvertedVisits))
                    .primary_key(Index::create().col(VisitDaily::Page).col(VisitDaily::Day))
                    .to_owned(),
            )
            .await?;

        // How many visits of a day ended up in each engaged-time bucket: medians without
        // reading visits.
        manager
            .create_table(
                Table::create()
                    .table(EngagementBuckets::Table)
                    .col(string_len(EngagementBuckets::Page, 200))
                    .col(string_len(EngagementBuckets::Day, 10))
                    .col(integer(EngagementBuckets::Bucket))
                    .col(big_integer(EngagementBuckets::Visits))
                    .primary_key(
                        Index::create()
                            .col(EngagementBuckets::Page)
                            .col(EngagementBuckets::Day)
                            .col(EngagementBuckets::Bucket),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(HeatmapCells::Table)
                    .col(string_len(HeatmapCells::Page, 200))
                    .col(string_len(HeatmapCells::ViewportClass, 10))
                    .col(string_len(HeatmapCells::Day, 10))
                    .col(small_integer(HeatmapCells::X))
                    .col(integer(HeatmapCells::Y))
                    .col(big_integer(HeatmapCells::Count))
                    .primary_key(
                        Index::create()
                            .col(HeatmapCells::Page)
                            .col(HeatmapCells::ViewportClass)
                            .col(HeatmapCells::Day)
                            .col(HeatmapCells::X)
                            .col(HeatmapCells::Y),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClickDaily::Table)
                    .col(string_len(ClickDaily::Page, 200))
                    .col(string_len(ClickDaily::Day, 10))
                    .col(string_len(ClickDaily::Element, 100))
                    .col(big_integer(ClickDaily::Count))
                    .primary_key(
                        Index::create()
                            .col(ClickDaily::Page)
                            .col(ClickDaily::Day)
                            .col(ClickDaily::Element),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FieldDaily::Table)
                    .col(string_len(FieldDaily::Page, 200))
                    .col(string_len(FieldDaily::Day, 10))
                    .col(string_len(FieldDaily::Field, 100))
                    .col(big_integer(FieldDaily::Focuses))
                    .col(big_integer(FieldDaily::FocusedMs))
                    .col(big_integer(FieldDaily::Abandonments))
                    .primary_key(
                        Index::create()
                            .col(FieldDaily::Page)
                            .col(FieldDaily::Day)
                            .col(FieldDaily::Field),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
    VisitorId,
    Page,
    Day,
    FirstSeenAt,
    LastSeenAt,
    EngagedSeconds,
    Clicks,
    ViewportWidth,
    ViewportHeight,
    ViewportClass,
    VisitNumber,
    LastSeq,
    LastField,
    ApplicationId,
}

#[derive(DeriveIden)]
enum VisitDaily {
    Table,
    Page,
    Day,
    Visits,
    EngagedSeconds,
    ReturningVisits,
    ConvertedVisits,
}

#[derive(DeriveIden)]
enum EngagementBuckets {
    Table,
    Page,
    Day,
    Bucket,
    Visits,
}

#[derive(DeriveIden)]
enum HeatmapCells {
    Table,
    Page,
    ViewportClass,
    Day,
    X,
    Y,
    Count,
}

#[derive(DeriveIden)]
enum ClickDaily {
    Table,
    Page,
    Day,
    Element,
    Count,
}

#[derive(DeriveIden)]
enum FieldDaily {
    Table,
    Page,
    Day,
    Field,
    Focuses,
    FocusedMs,
    Abandonments,
}
