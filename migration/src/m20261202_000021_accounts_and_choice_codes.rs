use sea_orm_migration::{prelude::*, schema::*};

/// Invitations of further admins, and the choice fields of orders as codes.
///
/// * `admin_invitations`: an admin invites someone by e-mail; the invitee redeems the one-time
///   code (only its SHA-256 is stored) before `expires_at` and sets their own password.
///   `used_at` is set in the same transaction that creates their account, so a code works once.
/// * The public form used to send its choices (budget, company size, deadline, contact method)
///   as Russian band texts; it sends codes now, shown in each reader's language. Rows holding
///   exactly one of those texts get its code (they score the same: the scorer reads a code as
///   its band). Any other text was typed by another client and stays as it is.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// (column, the form's old text, its code). Frozen here: the server's table of codes
/// (`server/src/leads/choices.rs`) may grow, this history may not.
const BANDS: &[(Applications, &str, &str)] = &[
    (Applications::Budget, "до 500 тыс. ₽", "budget_under_500k"),
    (Applications::Budget, "500 тыс. – 1 млн ₽", "budget_500k_1m"),
    (Applications::Budget, "1–5 млн ₽", "budget_1m_5m"),
    (Applications::Budget, "от 5 млн ₽", "budget_5m_plus"),
    (Applications::CompanySize, "до 50", "size_under_50"),
    (Applications::CompanySize, "50–100", "size_50_100"),
    (Applications::CompanySize, "100–500", "size_100_500"),
    (Applications::CompanySize, "500+", "size_500_plus"),
    (Applications::Deadline, "1 неделя", "deadline_1_week"),
    (Applications::Deadline, "1 месяц", "deadline_1_month"),
    (Applications::Deadline, "2–3 месяца", "deadline_2_3_months"),
    (
        Applications::Deadline,
        "3 месяца и более",
        "deadline_3_months_plus",
    ),
    (
        Applications::PreferredContactMethod,
        "Телефон",
        "contact_phone",
    ),
    (
        Applications::PreferredContactMethod,
        "Email",
        "contact_email",
    ),
    (
        Applications::PreferredContactMethod,
        "Telegram",
        "contact_telegram",
    ),
    (
        Applications::PreferredContactMethod,
        "WhatsApp",
        "contact_whatsapp",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdminInvitations::Table)
                    .col(uuid(AdminInvitations::Id).primary_key())
                    .col(string_len(AdminInvitations::Email, 255))
                    .col(string_len_uniq(AdminInvitations::CodeHash, 64))
                    .col(uuid_null(AdminInvitations::CreatedBy))
                    .col(timestamp_with_time_zone(AdminInvitations::CreatedAt))
                    .col(timestamp_with_time_zone(AdminInvitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AdminInvitations::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdminInvitations::Table, AdminInvitations::CreatedBy)
                            .to(Admins::Table, Admins::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (column, text, code) in BANDS {
            manager
                .exec_stmt(
                    Query::update()
                        .table(Applications::Table)
                        .value(*column, *code)
                        .and_where(Expr::col(*column).eq(*text))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AdminInvitations {
    Table,
    Id,
    Email,
    CodeHash,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Applications {
    Table,
    Budget,
    CompanySize,
    Deadline,
    PreferredContactMethod,
}
