//! The breach register (违约记录, issue 15 item 4): a breach becomes an event
//! (when, which contract and system, what happened, the evidence, the rows of
//! the contract terms it matches and the one it is charged at, the penalty),
//! proposed by detection from the facts or recorded by a supervisor,
//! confirmed or dismissed with a reason, answered by the vendor.
//!
//! The rows written before this migration (three consecutive failed monthly
//! assessments, recorded at publication with no amount and in every region)
//! stay as proposals for a supervisor to confirm or dismiss. The unique index
//! per (region, vendor, kind, month) goes: a month may hold several events.
//! Detection deduplicates by the fact it was proposed from (`source_ref`,
//! e.g. `outage:12`). Added columns carry no foreign key (SQLite cannot add
//! one to an existing table).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{index, unique_index};
use crate::m20261123_000004_runs_notices::Breaches;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Breach {
    ContractId,
    SystemId,
    OccurredAt,
    Description,
    Evidence,
    SourceRef,
    Status,
    Source,
    IncidentLevel,
    MatchedRows,
    ChargedTable,
    ChargedRow,
    Penalty,
    TermsCode,
    TermsVersion,
    RecordedBy,
    DecidedBy,
    DecidedAt,
    DecisionReason,
    VendorAnswer,
    VendorAnswerReason,
    AnsweredAt,
    NoticeId,
    RectificationDue,
}

const OLD_UNIQUE: &str = "uq_breaches__region_id__vendor_id__kind__period";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(OLD_UNIQUE)
                    .table(Breaches::Table)
                    .to_owned(),
            )
            .await?;
        use Breach as B;
        let columns = [
            big_integer_null(B::ContractId),
            big_integer_null(B::SystemId),
            timestamp_with_time_zone_null(B::OccurredAt),
            text(B::Description).default("").to_owned(),
            text_null(B::Evidence),
            string_null(B::SourceRef),
            string(B::Status).default("PROPOSED").to_owned(),
            string(B::Source).default("DETECTED").to_owned(),
            string_null(B::IncidentLevel),
            text(B::MatchedRows).default("[]").to_owned(),
            string_null(B::ChargedTable),
            integer_null(B::ChargedRow),
            decimal_len_null(B::Penalty, 18, 2),
            string_null(B::TermsCode),
            integer_null(B::TermsVersion),
            big_integer_null(B::RecordedBy),
            big_integer_null(B::DecidedBy),
            timestamp_with_time_zone_null(B::DecidedAt),
            text_null(B::DecisionReason),
            string_null(B::VendorAnswer),
            text_null(B::VendorAnswerReason),
            timestamp_with_time_zone_null(B::AnsweredAt),
            big_integer_null(B::NoticeId),
            date_null(B::RectificationDue),
        ];
        // One column per statement: SQLite alters one at a time.
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Breaches::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // The rows before this migration: the basis was their only description.
        manager
            .get_connection()
            .execute_unprepared("UPDATE breaches SET description = basis")
            .await?;
        manager
            .create_index(unique_index(
                Breaches::Table,
                (Breaches::Kind, B::SourceRef),
            ))
            .await?;
        manager
            .create_index(index(
                Breaches::Table,
                (Breaches::RegionId, Breaches::Period),
            ))
            .await?;
        manager
            .create_index(index(Breaches::Table, (B::ContractId, B::Status)))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Breach as B;
        for name in [
            "idx_breaches_contract_id_status",
            "idx_breaches_region_id_period",
            "uq_breaches__kind__source_ref",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Breaches::Table).to_owned())
                .await?;
        }
        for column in [
            B::RectificationDue,
            B::NoticeId,
            B::AnsweredAt,
            B::VendorAnswerReason,
            B::VendorAnswer,
            B::DecisionReason,
            B::DecidedAt,
            B::DecidedBy,
            B::RecordedBy,
            B::TermsVersion,
            B::TermsCode,
            B::Penalty,
            B::ChargedRow,
            B::ChargedTable,
            B::MatchedRows,
            B::IncidentLevel,
            B::Source,
            B::Status,
            B::SourceRef,
            B::Evidence,
            B::Description,
            B::OccurredAt,
            B::SystemId,
            B::ContractId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Breaches::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
