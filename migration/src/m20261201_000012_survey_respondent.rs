//! Satisfaction surveys as seed 003's questionnaire has them (issue 10, item 10):
//! the respondent (您的姓名, 所在单位, 联系电话), the surveying body and surveyor
//! (调查机构, 调查人员), the date (年 月 日) and the suggestions (意见和建议).
//!
//! A respondent answers once per vendor and service year: the unique index on
//! (vendor, service year, agency, respondent name) holds it even against two
//! requests at once (the API checks first, to name the earlier response).
//!
//! Old rows get `NULL` in every new column: they were recorded before the
//! questionnaire's fields were kept (NULLs never collide in the index). The API
//! requires the respondent, the surveying body, the surveyor and the date on
//! every new response.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_facts::SurveyResponses;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Survey {
    VendorId,
    AgencyId,
    RespondentName,
    RespondentUnit,
    RespondentPhone,
    SurveyingBody,
    Surveyor,
    SurveyedOn,
    Suggestions,
}

/// The name `common::unique_index` would give the index.
const INDEX: &str = "uq_survey_responses__vendor_id__service_year__agency_id__respondent_name";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns = [
            string_null(Survey::RespondentName),
            string_null(Survey::RespondentUnit),
            string_null(Survey::RespondentPhone),
            string_null(Survey::SurveyingBody),
            string_null(Survey::Surveyor),
            date_null(Survey::SurveyedOn),
            text_null(Survey::Suggestions),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(SurveyResponses::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Named as `common::unique_index` names its indexes (so the API names the
        // fields of a violation); built by hand since it takes at most three columns.
        let index = Index::create()
            .name(INDEX)
            .table(SurveyResponses::Table)
            .col(Survey::VendorId)
            .col(SurveyResponses::ServiceYear)
            .col(Survey::AgencyId)
            .col(Survey::RespondentName)
            .unique()
            .to_owned();
        manager.create_index(index).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(SurveyResponses::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Survey::Suggestions,
            Survey::SurveyedOn,
            Survey::Surveyor,
            Survey::SurveyingBody,
            Survey::RespondentPhone,
            Survey::RespondentUnit,
            Survey::RespondentName,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(SurveyResponses::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
