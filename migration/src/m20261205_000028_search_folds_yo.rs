use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The admin's search folds `ё` into `е` (`leads::text::fold`), in what it looks for and in
/// the stored search text: "Федоров" finds "Фёдоров", as Russian writers use the two letters
/// for each other at will. Stored text written before is folded here, on both databases.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE applications SET search_text = replace(search_text, 'ё', 'е') \
                 WHERE search_text LIKE '%ё%'",
            )
            .await?;
        Ok(())
    }
}
