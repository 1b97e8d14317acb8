use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The page's built-in consent wording now names the business as the operator of the data
/// (when it has a name), so on an install using that wording the wording changed: its version
/// goes up once, and orders from before and after this release tell the two wordings apart.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE business_settings SET consent_version = consent_version + 1 \
                 WHERE consent_text IS NULL AND name IS NOT NULL",
            )
            .await?;
        Ok(())
    }
}
