//! `users.tokens_valid_after`: set when a user is disabled. A token carries the
//! value it was issued under, so tokens issued before a disable stay dead when
//! the user is enabled again (only a new sign-in gives a working token).
//! Null for a user never disabled: tokens issued before this migration keep
//! working.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_reference_data::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(
                        TokensValidAfter::TokensValidAfter,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(TokensValidAfter::TokensValidAfter)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum TokensValidAfter {
    TokensValidAfter,
}
