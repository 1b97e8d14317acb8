use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(uuid(Applications::Id).primary_key())
                    .col(string_len(Applications::Name, 100))
                    .col(string_len(Applications::Surname, 100))
                    .col(string_len_null(Applications::Patronymic, 100))
                    .col(string_len(Applications::Email, 255))
                    .col(string_len_null(Applications::Phone, 20))
                    .col(uuid_null(Applications::ServiceId))
                    // The name the visitor chose, kept when the service is renamed or deleted.
                    .col(string_len_null(Applications::ServiceName, 255))
                    .col(text_null(Applications::BusinessInfo))
                    .col(string_len_null(Applications::BusinessNiche, 100))
                    .col(string_len_null(Applications::CompanySize, 50))
                    .col(string_len_null(Applications::Budget, 100))
                    .col(string_len_null(Applications::Deadline, 100))
                    .col(string_len_null(Applications::ConvenientTime, 100))
                    .col(string_len_null(Applications::PreferredContactMethod, 50))
                    .col(text_null(Applications::AdditionalComments))
                    .col(integer(Applications::Score))
                    .col(integer(Applications::ScoreBudget))
                    .col(integer(Applications::ScoreCompanySize))
                    .col(integer(Applications::ScoreUrgency))
                    .col(string_len(Applications::Priority, 10))
                    .col(string_len(Applications::Status, 20))
                    .col(text_null(Applications::LostReason))
                    .col(timestamp_with_time_zone_null(Applications::FirstResponseAt))
                    .col(uuid_null(Applications::VisitId))
                    // Same visit + same content: the duplicate guard's fingerprint, and its
                    // per-minute key that lets the database refuse concurrent double submits.
                    .col(string_len_null(Applications::Fingerprint, 64))
                    .col(string_len_null(Applications::DedupKey, 80).unique_key())
                    // Lower-cased (Unicode-aware, in Rust) searchable text: SQLite's LOWER()
                    // only folds ASCII, so case-insensitive Cyrillic search needs this.
                    .col(text(Applications::SearchText))
                    .col(timestamp_with_time_zone(Applications::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_service")
                            .from(Applications::Table, Applications::ServiceId)
                            .to(Services::Table, Services::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // The ranked list: score desc, newest first, id — one index serves the keyset walk.
        for (name, columns) in [
            (
                "idx_applications_rank",
                vec![
                    Applications::Score,
                    Applications::CreatedAt,
                    Applications::Id,
                ],
            ),
            ("idx_applications_status", vec![Applications::Status]),
            ("idx_applications_priority", vec![Applications::Priority]),
            ("idx_applications_service", vec![Applications::ServiceId]),
            ("idx_applications_created", vec![Applications::CreatedAt]),
            ("idx_applications_visit", vec![Applications::VisitId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Applications::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    Name,
    Surname,
    Patronymic,
    Email,
    Phone,
    ServiceId,
    ServiceName,
    BusinessInfo,
    BusinessNiche,
    CompanySize,
    Budget,
    Deadline,
    ConvenientTime,
    PreferredContactMethod,
    AdditionalComments,
    Score,
    ScoreBudget,
    ScoreCompanySize,
    ScoreUrgency,
    Priority,
    Status,
    LostReason,
    FirstResponseAt,
    VisitId,
    Fingerprint,
    DedupKey,
    SearchText,
    CreatedAt,
}
