//! A4 with a date (issue 10, item 8): a delivery without a work order records the
//! instant it was rectified (`rectified_at`, nullable) instead of a yes/no flag,
//! so that re-running an earlier month after a later rectification gives the
//! same result as before (spec §1, A4 Decision).
//!
//! **Old rows.** The flag said only *whether*, never *when*. A row flagged
//! rectified gets `rectified_at = occurred_at`: rectified in the month it
//! occurred. That is exactly how the old engine scored such a row in every month
//! (charged in its own month, never again), so every month re-run after this
//! migration gives what the old code computed from the same rows. A row not
//! flagged gets `NULL` (still open). A supervisor who knows the real instant
//! can set it with `updateUnticketedDelivery`.
//!
//! `down` restores the flag as `rectified_at IS NOT NULL` (the instants are lost).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_facts::UnticketedDeliveries;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Delivery {
    RectifiedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UnticketedDeliveries::Table)
                    .add_column(timestamp_with_time_zone_null(Delivery::RectifiedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(UnticketedDeliveries::Table)
                    .value(
                        Delivery::RectifiedAt,
                        Expr::col(UnticketedDeliveries::OccurredAt),
                    )
                    .and_where(Expr::col(UnticketedDeliveries::Rectified).eq(true))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(UnticketedDeliveries::Table)
                    .drop_column(UnticketedDeliveries::Rectified)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UnticketedDeliveries::Table)
                    .add_column(boolean(UnticketedDeliveries::Rectified).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(UnticketedDeliveries::Table)
                    .value(UnticketedDeliveries::Rectified, true)
                    .and_where(Expr::col(Delivery::RectifiedAt).is_not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(UnticketedDeliveries::Table)
                    .drop_column(Delivery::RectifiedAt)
                    .to_owned(),
            )
            .await
    }
}
