//! Regions: a municipality and its districts, each with its scoring scheme and
//! the first month of its service year. Reference data every signed-in user may
//! read; only administrators change it.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use sea_orm::DatabaseTransaction;

use crate::access::{Policy, Scope};
use crate::error::{DomainError, DomainResult};
use crate::store::{self, TimeColumn};

use crate::store::Writable;

resource!(Regions => region, name: "Region",
    policy: Policy { everyone_reads: true, ..Policy::ADMIN_ONLY },
    region: Some(entities::region::Column::Id), vendor: None, agency: None, time: TimeColumn::None,
    scope: |m| Scope { region: Some(m.id), ..Scope::default() });

impl Writable for Regions {
    async fn check<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a mut entities::region::Model,
    ) -> DomainResult<()> {
        if let Some(parent) = row.parent_id {
            if parent == row.id {
                return Err(DomainError::bad(
                    "input.parentId",
                    "a region cannot be its own parent",
                ));
            }
            store::require::<Regions>(txn, "input.parentId", parent).await?;
            refuse_cycle(txn, row.id, parent).await?;
        }
        let scheme =
            crate::schemes::require_known(txn, "input.schemeCode", &row.scheme_code).await?;
        if scheme.service_year_first_month != row.service_year_start_month as u32 {
            return Err(DomainError::bad(
                "input.serviceYearStartMonth",
                format!(
                    "scheme {} runs its service year from month {}",
                    scheme.code, scheme.service_year_first_month
                ),
            ));
        }
        if let Some(code) = &row.terms_code {
            crate::contract_scope::require_terms(txn, "input.termsCode", code, None).await?;
        }
        Ok(())
    }
}

/// A region may not become its own ancestor: walking up from the new parent
/// must not reach it (nor loop, whatever the stored tree holds).
async fn refuse_cycle(txn: &DatabaseTransaction, region: i64, parent: i64) -> DomainResult<()> {
    let mut seen = std::collections::HashSet::new();
    let mut next = Some(parent);
    while let Some(id) = next {
        if id == region {
            return Err(DomainError::bad(
                "input.parentId",
                "a region cannot be its own ancestor",
            ));
        }
        if !seen.insert(id) {
            break;
        }
        next = store::require::<Regions>(txn, "input.parentId", id)
            .await?
            .parent_id;
    }
    Ok(())
}
