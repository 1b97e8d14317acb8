use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The pipeline statistics' speed to lead is the median of the latest 1,000 first responses:
/// this index finds them without reading the orders nobody has answered yet. Partial, so an
/// order enters it only when it is first answered: a new order's INSERT (intake's hot path)
/// does not touch it.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_applications_first_response ON applications (first_response_at) \
                 WHERE first_response_at IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX idx_applications_first_response")
            .await?;
        Ok(())
    }
}
