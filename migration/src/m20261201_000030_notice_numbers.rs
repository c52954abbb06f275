//! Document numbers for notices (issue 13, item 4): `沪政云监〔2026〕第12号`,
//! numbered per region and year of issue (Asia/Shanghai).
//!
//! - `regions.notice_prefix` (e.g. `沪政云监`; null: derived from the region's
//!   name, `上海市` → `上海政云监`) and `regions.contact` (the supervision
//!   contact named in the notices' mail; null: the mail names the region);
//! - `users.email` (null: the user gets no mail; supervisors with one are
//!   mailed when a vendor submits a rectification);
//! - `notices.doc_year`, `notices.doc_seq`, `notices.document_number`, unique
//!   per (region, year, seq);
//! - `notice_numbers`: the last number given per region and year, bumped in the
//!   notice's own transaction (the row lock orders concurrent issuers).
//!
//! Existing notices are numbered here by region, year and id.

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::unique_index;
use crate::m20261123_000001_reference_data::{Regions, Users};
use crate::m20261123_000004_runs_notices::Notices;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Region {
    NoticePrefix,
    Contact,
}

#[derive(DeriveIden, Clone, Copy)]
enum User {
    Email,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notice {
    DocYear,
    DocSeq,
    DocumentNumber,
}

#[derive(DeriveIden, Clone, Copy)]
enum NoticeNumbers {
    Table,
    RegionId,
    Year,
    LastSeq,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Regions::Table,
            [
                string_null(Region::NoticePrefix),
                text_null(Region::Contact),
            ],
        )
        .await?;
        add_columns(manager, Users::Table, [string_null(User::Email)]).await?;
        add_columns(
            manager,
            Notices::Table,
            [
                integer(Notice::DocYear).default(0).to_owned(),
                integer(Notice::DocSeq).default(0).to_owned(),
                string(Notice::DocumentNumber).default("").to_owned(),
            ],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoticeNumbers::Table)
                    .col(big_integer(NoticeNumbers::RegionId))
                    .col(integer(NoticeNumbers::Year))
                    .col(integer(NoticeNumbers::LastSeq))
                    .primary_key(
                        Index::create()
                            .col(NoticeNumbers::RegionId)
                            .col(NoticeNumbers::Year),
                    )
                    .to_owned(),
            )
            .await?;
        backfill(manager).await?;
        manager
            .create_index(unique_index(
                Notices::Table,
                (Notices::RegionId, Notice::DocYear, Notice::DocSeq),
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_notices__region_id__doc_year__doc_seq")
                    .table(Notices::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(NoticeNumbers::Table).to_owned())
            .await?;
        drop_columns(
            manager,
            Notices::Table,
            [
                Notice::DocumentNumber.into_iden(),
                Notice::DocSeq.into_iden(),
                Notice::DocYear.into_iden(),
            ],
        )
        .await?;
        drop_columns(manager, Users::Table, [User::Email.into_iden()]).await?;
        drop_columns(
            manager,
            Regions::Table,
            [
                Region::Contact.into_iden(),
                Region::NoticePrefix.into_iden(),
            ],
        )
        .await?;
        Ok(())
    }
}

async fn add_columns<const N: usize>(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + Clone,
    columns: [ColumnDef; N],
) -> Result<(), DbErr> {
    for mut column in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(table.clone())
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn drop_columns<const N: usize>(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + Clone,
    columns: [DynIden; N],
) -> Result<(), DbErr> {
    for column in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(table.clone())
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

/// Numbers the existing notices 1, 2, … per region and local year of issue,
/// in id order, and leaves each counter at the last number given.
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let regions = db
        .query_all(
            &Query::select()
                .columns([Alias::new("id"), Alias::new("name")])
                .from(Regions::Table)
                .to_owned(),
        )
        .await?;
    let mut names = std::collections::HashMap::new();
    for row in regions {
        let id: i64 = row.try_get("", "id")?;
        let name: String = row.try_get("", "name")?;
        names.insert(id, name);
    }
    let rows = db
        .query_all(
            &Query::select()
                .columns([
                    Alias::new("id"),
                    Alias::new("region_id"),
                    Alias::new("created_at"),
                ])
                .from(Notices::Table)
                .order_by(Alias::new("id"), Order::Asc)
                .to_owned(),
        )
        .await?;
    let shanghai = FixedOffset::east_opt(8 * 3600)
        .ok_or_else(|| DbErr::Custom("+08:00 is not an offset".into()))?;
    let mut last: std::collections::BTreeMap<(i64, i32), i32> = Default::default();
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let region_id: i64 = row.try_get("", "region_id")?;
        let created_at: DateTime<Utc> = row.try_get("", "created_at")?;
        let year = created_at.with_timezone(&shanghai).year();
        let seq = last.entry((region_id, year)).or_insert(0);
        *seq += 1;
        let prefix = default_prefix(names.get(&region_id).map_or("", String::as_str));
        db.execute(
            &Query::update()
                .table(Notices::Table)
                .value(Notice::DocYear, year)
                .value(Notice::DocSeq, *seq)
                .value(
                    Notice::DocumentNumber,
                    format!("{prefix}〔{year}〕第{seq}号"),
                )
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned(),
        )
        .await?;
    }
    for ((region_id, year), seq) in last {
        db.execute(
            &Query::insert()
                .into_table(NoticeNumbers::Table)
                .columns([
                    NoticeNumbers::RegionId,
                    NoticeNumbers::Year,
                    NoticeNumbers::LastSeq,
                ])
                .values_panic([region_id.into(), year.into(), seq.into()])
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

/// The prefix as the platform derives it at this migration (kept here, frozen:
/// `entities::region::Model::notice_prefix` is the living rule).
fn default_prefix(name: &str) -> String {
    let base = name
        .strip_suffix(['市', '区', '县', '省'])
        .filter(|b| !b.is_empty())
        .unwrap_or(name);
    format!("{base}政云监")
}
