use sea_orm_migration::{prelude::*, schema::*};

/// The business's own page: one row of settings the owner edits (name, logo, contacts, policy,
/// consent wording, colour); the consent each order was sent with; a "from" price on services.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BusinessSettings::Table)
                    // Always 1: there is one business.
                    .col(integer(BusinessSettings::Id).primary_key())
                    .col(text_null(BusinessSettings::Name))
                    .col(text_null(BusinessSettings::About))
                    .col(text_null(BusinessSettings::Phone))
                    .col(text_null(BusinessSettings::Email))
                    .col(text_null(BusinessSettings::Telegram))
                    .col(text_null(BusinessSettings::Whatsapp))
                    .col(text_null(BusinessSettings::Address))
                    .col(text_null(BusinessSettings::PolicyText))
                    .col(text_null(BusinessSettings::PolicyUrl))
                    .col(text_null(BusinessSettings::ConsentText))
                    // Bumped whenever the consent wording changes; orders keep the one they saw.
                    .col(integer(BusinessSettings::ConsentVersion).default(0))
                    .col(text_null(BusinessSettings::PrimaryColor))
                    .col(string_len(BusinessSettings::Currency, 3).default("RUB"))
                    .col(text_null(BusinessSettings::LogoUrl))
                    .col(blob_null(BusinessSettings::LogoData))
                    .col(text_null(BusinessSettings::LogoContentType))
                    .col(integer(BusinessSettings::LogoVersion).default(0))
                    .col(timestamp_with_time_zone_null(BusinessSettings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // One ALTER per column: SQLite adds a single column per statement.
        for column in [
            timestamp_with_time_zone_null(Applications::ConsentAt),
            integer_null(Applications::ConsentVersion),
            text_null(Applications::ConsentText),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Applications::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Services::Table)
                    .add_column(big_integer_null(Services::PriceFrom))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum BusinessSettings {
    Table,
    Id,
    Name,
    About,
    Phone,
    Email,
    Telegram,
    Whatsapp,
    Address,
    PolicyText,
    PolicyUrl,
    ConsentText,
    ConsentVersion,
    PrimaryColor,
    Currency,
    LogoUrl,
    LogoData,
    LogoContentType,
    LogoVersion,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    ConsentAt,
    ConsentVersion,
    ConsentText,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    PriceFrom,
}
