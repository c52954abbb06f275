//! Stored results read without their documents, and the documents kept parsed
//! in memory per stored row (issue 17, item 2).
//!
//! A dashboard read picks the latest revision of each result in SQL and reads
//! only the columns it shows ([`ResultHead`]); the documents it needs come
//! from this cache, and those it does not hold from one `id IN (…)` query.
//! Parsing twelve scorecards per request was most of a ranking's cost.
//!
//! Only monthly documents are kept: once written they never change (a new run
//! writes a new revision, publishing changes other columns). An annual
//! document does change in place (closing a year's metering fills its penalty
//! amount, `metering::close`), so it is read and parsed every time. An entry
//! is used only for the row it was read from: the same id, revision and
//! creation time. The cache is the application's (one per database), never
//! shared by two databases, and it holds documents only: who may see which
//! row is decided by the query that chose the heads, before the cache is
//! asked.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use entities::assessment_run::RunKind;
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, Select,
};

use crate::assessments::StoredResult;
use crate::error::{DomainError, DomainResult};

/// A stored result without its document.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct ResultHead {
    pub id: i64,
    pub run_id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub kind: RunKind,
    pub period: String,
    pub revision: i32,
    /// Rounded to 4 decimals; the exact total is the document's.
    pub total: Decimal,
    pub passed: bool,
    pub published: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&entities::assessment_result::Model> for ResultHead {
    fn from(m: &entities::assessment_result::Model) -> Self {
        Self {
            id: m.id,
            run_id: m.run_id,
            region_id: m.region_id,
            vendor_id: m.vendor_id,
            kind: m.kind,
            period: m.period.clone(),
            revision: m.revision,
            total: m.total,
            passed: m.passed,
            published: m.published,
            published_at: m.published_at,
            created_at: m.created_at,
        }
    }
}

/// A query of results selecting every column but the document.
pub fn heads(
    query: Select<entities::assessment_result::Entity>,
) -> sea_orm::Selector<sea_orm::SelectModel<ResultHead>> {
    use entities::assessment_result::Column as C;
    query
        .select_only()
        .columns([
            C::Id,
            C::RunId,
            C::RegionId,
            C::VendorId,
            C::Kind,
            C::Period,
            C::Revision,
            C::Total,
            C::Passed,
            C::Published,
            C::PublishedAt,
            C::CreatedAt,
        ])
        .into_model::<ResultHead>()
}

/// The default bound on the documents kept: their stored text, summed. A
/// parsed scorecard takes a few times its text; 24 MiB of text is about two
/// provinces' years of monthly results.
pub const DEFAULT_CAPACITY_BYTES: usize = 24 * 1024 * 1024;

/// Parsed monthly documents by result id.
pub struct ResultCache {
    entries: Mutex<Entries>,
    capacity_bytes: usize,
}

#[derive(Default)]
struct Entries {
    by_id: HashMap<i64, Entry>,
    /// The summed document lengths of `by_id`.
    bytes: usize,
}

struct Entry {
    revision: i32,
    created_at: DateTime<Utc>,
    bytes: usize,
    stored: Arc<StoredResult>,
}

impl Default for ResultCache {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY_BYTES)
    }
}

impl ResultCache {
    pub fn new(capacity_bytes: usize) -> Self {
        Self {
            entries: Mutex::new(Entries::default()),
            capacity_bytes,
        }
    }

    /// The parsed document of each head, in order: the kept ones, and the
    /// others read in one query (none when all are kept).
    pub async fn documents(
        &self,
        db: &impl ConnectionTrait,
        heads: &[ResultHead],
    ) -> DomainResult<Vec<Arc<StoredResult>>> {
        let mut found: Vec<Option<Arc<StoredResult>>> = heads.iter().map(|h| self.get(h)).collect();
        let missing: Vec<i64> = heads
            .iter()
            .zip(&found)
            .filter(|(_, f)| f.is_none())
            .map(|(h, _)| h.id)
            .collect();
        if !missing.is_empty() {
            let mut read = read_documents(db, missing).await?;
            for (head, slot) in heads.iter().zip(found.iter_mut()) {
                if slot.is_some() {
                    continue;
                }
                let document = read.remove(&head.id).ok_or_else(|| {
                    DomainError::Internal(format!("result {} vanished while read", head.id).into())
                })?;
                let stored = Arc::new(StoredResult::parse(head.id, head.kind, &document)?);
                self.put(head, document.len(), stored.clone());
                *slot = Some(stored);
            }
        }
        Ok(found.into_iter().flatten().collect())
    }

    /// The parsed document of a row read whole: the kept one, or the row's
    /// own parsed (and kept).
    pub fn parsed(
        &self,
        row: &entities::assessment_result::Model,
    ) -> DomainResult<Arc<StoredResult>> {
        let head = ResultHead::from(row);
        if let Some(stored) = self.get(&head) {
            return Ok(stored);
        }
        let stored = Arc::new(StoredResult::of(row)?);
        self.put(&head, row.document.len(), stored.clone());
        Ok(stored)
    }

    /// The kept document of this very row, if any.
    fn get(&self, head: &ResultHead) -> Option<Arc<StoredResult>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .by_id
            .get(&head.id)
            .filter(|e| e.revision == head.revision && e.created_at == head.created_at)
            .map(|e| e.stored.clone())
    }

    /// Keeps a monthly document, making room by dropping others (which ones
    /// does not matter: a dropped one is read again when next asked for).
    fn put(&self, head: &ResultHead, bytes: usize, stored: Arc<StoredResult>) {
        if head.kind != RunKind::Monthly || bytes > self.capacity_bytes {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        while entries.bytes + bytes > self.capacity_bytes {
            let Some(&victim) = entries.by_id.keys().next() else {
                break;
            };
            if let Some(gone) = entries.by_id.remove(&victim) {
                entries.bytes -= gone.bytes;
            }
        }
        let entry = Entry {
            revision: head.revision,
            created_at: head.created_at,
            bytes,
            stored,
        };
        if let Some(replaced) = entries.by_id.insert(head.id, entry) {
            entries.bytes -= replaced.bytes;
        }
        entries.bytes += bytes;
    }

    /// How many documents are kept (for tests).
    pub fn len(&self) -> usize {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The documents of `ids`, in one query.
async fn read_documents(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> DomainResult<HashMap<i64, String>> {
    use entities::assessment_result::{Column as C, Entity};
    let rows: Vec<(i64, String)> = Entity::find()
        .select_only()
        .column(C::Id)
        .column(C::Document)
        .filter(C::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::{Month, Period, ScoreCard};

    fn head(id: i64, kind: RunKind, revision: i32) -> ResultHead {
        ResultHead {
            id,
            run_id: 1,
            region_id: 1,
            vendor_id: 1,
            kind,
            period: "2025-03".into(),
            revision,
            total: Decimal::ZERO,
            passed: true,
            published: false,
            published_at: None,
            created_at: DateTime::<Utc>::from_timestamp(1_740_000_000, 0).expect("time"),
        }
    }

    fn card(total: i64) -> Arc<StoredResult> {
        Arc::new(StoredResult::Monthly(ScoreCard {
            scheme_code: "sh-municipal".into(),
            scheme_version: 1,
            period: Period::Month(Month::new(2025, 3).expect("month")),
            total: Decimal::from(total),
            pass_mark: Decimal::from(80),
            passed: true,
            indicators: Vec::new(),
            warnings: Vec::new(),
        }))
    }

    #[test]
    fn a_kept_document_serves_only_its_own_row() {
        let cache = ResultCache::new(1000);
        cache.put(&head(7, RunKind::Monthly, 1), 10, card(90));
        assert_eq!(cache.get(&head(7, RunKind::Monthly, 1)), Some(card(90)));
        // Another revision under the same id (a reused id): not this document.
        assert_eq!(cache.get(&head(7, RunKind::Monthly, 2)), None);
        let mut later = head(7, RunKind::Monthly, 1);
        later.created_at += chrono::Duration::microseconds(1);
        assert_eq!(cache.get(&later), None);
    }

    #[test]
    fn annual_documents_are_not_kept_as_they_change_in_place() {
        let cache = ResultCache::new(1000);
        cache.put(&head(8, RunKind::Annual, 1), 10, card(90));
        assert!(cache.is_empty());
    }

    #[test]
    fn the_kept_text_stays_within_the_capacity() {
        // 3 documents of 400 bytes in 1000: the third drops one of the others.
        let cache = ResultCache::new(1000);
        for id in 1..=3 {
            cache.put(&head(id, RunKind::Monthly, 1), 400, card(90));
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&head(3, RunKind::Monthly, 1)).is_some());
        // A document larger than the whole capacity is not kept at all.
        cache.put(&head(4, RunKind::Monthly, 1), 1001, card(90));
        assert!(cache.get(&head(4, RunKind::Monthly, 1)).is_none());
    }
}
