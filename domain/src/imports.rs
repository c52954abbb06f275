//! Facts imported in bulk (issue 14, item 1): the rows of a spreadsheet, each
//! carrying the source's own ticket number (外部编号), written all or nothing.
//!
//! Every row goes through what `store::create` does to one fact — the access
//! check, `validate::plausible_times`, the kind's `Writable::check`, the insert
//! and its audit entry — inside one transaction, each row in its own savepoint
//! so that one refused row does not hide the next one's reason (PostgreSQL
//! aborts a transaction at its first failed statement). A preview runs exactly
//! the same writes and rolls them back: what it promises is what a commit does.
//!
//! A row's external id is remembered per region and kind (`fact_imports`); a
//! row whose id is already there is skipped and reported, so importing the
//! same file twice adds nothing. Deleting a fact through the store frees its
//! id (`store::delete`).
//!
//! Importing is the supervision team's: administrators, and supervisors into
//! their own region. An uploaded file waits for its commit as a pending batch
//! (`keep`, `pending`, `forget`), visible to its uploader only.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set, TransactionTrait,
};

use crate::access;
use crate::actor::{Actor, Role};
use crate::audit::{Audit, Change};
use crate::error::{DomainError, DomainResult};
use crate::store::Writable;
use entities::{fact_import, import_batch};

/// The longest external id kept (characters).
pub const MAX_EXTERNAL_ID_CHARS: usize = 100;

/// How many external ids one lookup asks for (SQLite's bound parameters).
const LOOKUP_CHUNK: usize = 500;

/// One row as the edge read it.
pub struct Candidate<M> {
    /// The source's own number for the row.
    pub external_id: String,
    /// The region the row names, when the edge could read it (even if the rest
    /// of the row was refused: a row already imported is skipped all the same).
    pub region_id: Option<i64>,
    /// The fact to write; `None` when the edge refused the row (the edge keeps
    /// its reasons).
    pub fact: Option<M>,
}

/// What became of a row.
#[derive(Debug)]
pub enum Outcome {
    /// New: written (its id) or, in a preview, to be written (`None`).
    New { fact_id: Option<i64> },
    /// Its external id was imported before in its region: skipped.
    AlreadyImported { fact_id: i64 },
    /// The same external id and region as an earlier row of the file (its index).
    Repeated { first: usize },
    /// Refused by the domain: the field and reason, or no right to the region.
    Refused(DomainError),
    /// Refused by the edge (it could not read the row).
    Unread,
}

impl Outcome {
    /// The row stops the whole import.
    pub fn blocks(&self) -> bool {
        matches!(
            self,
            Self::Repeated { .. } | Self::Refused(_) | Self::Unread
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Check every row and write nothing.
    Preview,
    /// Write every new row, or none if any row is refused.
    Commit,
}

/// Every row's outcome, in the file's order, and whether anything was written.
#[derive(Debug)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    pub written: bool,
}

/// Policy: importing is the supervision team's (the console and GraphQL both
/// come through here).
pub fn require_importer(actor: &Actor) -> DomainResult<()> {
    match actor.role {
        Role::Admin | Role::Supervisor { .. } => Ok(()),
        Role::Vendor { .. } | Role::Agency { .. } => Err(DomainError::forbidden(
            "importing facts is the supervision team's",
        )),
    }
}

/// Whether the actor writes facts of `R` in `region`: only then is it told
/// whether an external id is already there (it says nothing of other regions).
fn may_import_into<R: Writable>(actor: &Actor, region: i64) -> bool {
    let scope = access::Scope {
        region: Some(region),
        ..access::Scope::default()
    };
    access::can_modify(actor, &R::POLICY, scope)
}

/// The external id as kept: trimmed, not empty, at most `MAX_EXTERNAL_ID_CHARS`.
pub fn external_id(text: &str) -> DomainResult<String> {
    crate::validate::text("externalId", text.to_owned(), MAX_EXTERNAL_ID_CHARS)
}

/// Imports `candidates` as facts of `R`, audited as `audit`'s operation: in
/// a preview nothing is written; a commit writes every new row, or nothing
/// when any row is refused (`Outcome::blocks`).
///
/// A row goes without a savepoint of its own: the kind's checks only read,
/// so a refusal leaves the transaction as it was. Only an insert the
/// database itself refuses (a unique column no check looks at, a race)
/// breaks it — PostgreSQL aborts a transaction at its first failed
/// statement — and then the whole import is done again with a savepoint per
/// row, so every row after it is still checked.
pub async fn import<R: Writable>(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    candidates: Vec<Candidate<R::Model>>,
    mode: Mode,
) -> DomainResult<Report> {
    require_importer(actor)?;
    let _db = crate::db_share::permit().await;
    match attempt::<R>(db, actor, audit, &candidates, mode, Savepoints::None).await? {
        Some(report) => Ok(report),
        None => attempt::<R>(db, actor, audit, &candidates, mode, Savepoints::EachRow)
            .await?
            .ok_or_else(|| DomainError::Internal("an import's savepoint did not hold".into())),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Savepoints {
    None,
    EachRow,
}

/// Why a row was not written.
enum Unwritten {
    /// Refused by a rule (the transaction is as it was).
    Refused(DomainError),
    /// A statement failed: without a savepoint, the transaction is broken.
    Failed(DomainError),
}

/// One pass over the rows in one transaction; `None` when a statement failed
/// with no savepoint to roll back to (the caller goes again with them).
async fn attempt<R: Writable>(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    candidates: &[Candidate<R::Model>],
    mode: Mode,
    savepoints: Savepoints,
) -> DomainResult<Option<Report>> {
    let mut txn = audit.begin(db).await?;
    let known = imported::<R>(&txn, actor, candidates).await?;
    let mut first_of: HashMap<(Option<i64>, String), usize> = HashMap::new();
    let mut outcomes = Vec::with_capacity(candidates.len());
    for (index, candidate) in candidates.iter().enumerate() {
        let region = candidate
            .fact
            .as_ref()
            .and_then(|f| R::scope(f).region)
            .or(candidate.region_id);
        let ext = match external_id(&candidate.external_id) {
            Ok(ext) => ext,
            Err(e) => {
                outcomes.push(Outcome::Refused(e));
                continue;
            }
        };
        let key = (region, ext.clone());
        let outcome = if let Some(fact_id) = region.and_then(|r| known.get(&(r, ext.clone()))) {
            Outcome::AlreadyImported { fact_id: *fact_id }
        } else if let Some(first) = first_of.get(&key) {
            Outcome::Repeated { first: *first }
        } else {
            first_of.insert(key, index);
            let Some(fact) = candidate.fact.clone() else {
                outcomes.push(Outcome::Unread);
                continue;
            };
            match write_one::<R>(&txn, actor, &ext, fact, savepoints).await {
                Ok(saved) => {
                    let fact_id = R::id(&saved);
                    // A preview is rolled back: its entries would be too.
                    if mode == Mode::Commit {
                        let change =
                            Change::on(R::NAME, Some(fact_id), R::scope(&saved)).created(&saved)?;
                        txn.record(change).await?;
                    }
                    Outcome::New {
                        fact_id: Some(fact_id),
                    }
                }
                Err(Unwritten::Refused(e)) => Outcome::Refused(e),
                Err(Unwritten::Failed(_)) if savepoints == Savepoints::None => return Ok(None),
                Err(Unwritten::Failed(e)) => match e {
                    DomainError::BadInput { .. } | DomainError::Forbidden(_) => Outcome::Refused(e),
                    other => return Err(other),
                },
            }
        };
        outcomes.push(outcome);
    }
    let new = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::New { .. }))
        .count();
    let written = mode == Mode::Commit && new > 0 && !outcomes.iter().any(Outcome::blocks);
    if written {
        txn.commit().await?;
    } else {
        // Dropped: rolled back. The ids of a preview's rows were never real.
        drop(txn);
        for outcome in &mut outcomes {
            if let Outcome::New { fact_id } = outcome {
                *fact_id = None;
            }
        }
    }
    Ok(Some(Report { outcomes, written }))
}

/// One row: what `store::create` checks, the insert, and its external id;
/// with a savepoint, a failed insert is rolled back to it.
async fn write_one<R: Writable>(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    external_id: &str,
    mut row: R::Model,
    savepoints: Savepoints,
) -> Result<R::Model, Unwritten> {
    let scope = R::scope(&row);
    if !access::can_create(actor, &R::POLICY, scope) {
        return Err(Unwritten::Refused(DomainError::forbidden(format!(
            "you may not create this {} in its region",
            R::NAME
        ))));
    }
    crate::validate::plausible_times(&row).map_err(Unwritten::Refused)?;
    R::check(txn, &mut row).await.map_err(|e| match e {
        e @ (DomainError::BadInput { .. } | DomainError::Forbidden(_)) => Unwritten::Refused(e),
        // The database failed under a read: the transaction is not to be trusted.
        other => Unwritten::Failed(other),
    })?;
    let failed = |e: sea_orm::DbErr| Unwritten::Failed(e.into());
    let savepoint = match savepoints {
        Savepoints::EachRow => Some(txn.begin().await.map_err(failed)?),
        Savepoints::None => None,
    };
    let inserted = insert::<R>(savepoint.as_ref().unwrap_or(txn), scope, external_id, row).await;
    match (inserted, savepoint) {
        (Ok(saved), Some(savepoint)) => {
            savepoint.commit().await.map_err(failed)?;
            Ok(saved)
        }
        (Ok(saved), None) => Ok(saved),
        (Err(e), Some(savepoint)) => {
            savepoint.rollback().await.map_err(failed)?;
            Err(Unwritten::Failed(e))
        }
        (Err(e), None) => Err(Unwritten::Failed(e)),
    }
}

/// The fact and its external id.
async fn insert<R: Writable>(
    conn: &sea_orm::DatabaseTransaction,
    scope: access::Scope,
    external_id: &str,
    row: R::Model,
) -> DomainResult<R::Model> {
    let mut active = row.into_active_model().reset_all();
    active.not_set(R::ID);
    let saved = active.insert(conn).await?;
    fact_import::ActiveModel {
        region_id: Set(scope.region.unwrap_or_default()),
        kind: Set(R::NAME.to_owned()),
        external_id: Set(external_id.to_owned()),
        fact_id: Set(R::id(&saved)),
        imported_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(saved)
}

/// The facts already imported under the candidates' external ids, by region
/// and id, in the regions the actor imports into.
async fn imported<R: Writable>(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    candidates: &[Candidate<R::Model>],
) -> DomainResult<HashMap<(i64, String), i64>> {
    let mut regions: Vec<i64> = candidates
        .iter()
        .filter_map(|c| {
            c.fact
                .as_ref()
                .and_then(|f| R::scope(f).region)
                .or(c.region_id)
        })
        .filter(|r| may_import_into::<R>(actor, *r))
        .collect();
    regions.sort_unstable();
    regions.dedup();
    let ids: Vec<&str> = candidates.iter().map(|c| c.external_id.trim()).collect();
    let mut known = HashMap::new();
    if regions.is_empty() {
        return Ok(known);
    }
    for chunk in ids.chunks(LOOKUP_CHUNK) {
        let rows = fact_import::Entity::find()
            .filter(fact_import::Column::Kind.eq(R::NAME))
            .filter(fact_import::Column::RegionId.is_in(regions.clone()))
            .filter(fact_import::Column::ExternalId.is_in(chunk.iter().copied()))
            .all(txn)
            .await?;
        known.extend(
            rows.into_iter()
                .map(|r| ((r.region_id, r.external_id), r.fact_id)),
        );
    }
    Ok(known)
}

/// Frees the external id of a deleted fact (called by `store::delete` in the
/// delete's transaction); nothing for facts that were not imported.
pub async fn forget_fact(
    conn: &impl sea_orm::ConnectionTrait,
    kind: &str,
    fact_id: i64,
) -> DomainResult<()> {
    fact_import::Entity::delete_many()
        .filter(fact_import::Column::Kind.eq(kind))
        .filter(fact_import::Column::FactId.eq(fact_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// An uploaded file waiting for its commit.
pub struct Pending {
    pub id: i64,
    /// The kind's address in the console (`work-orders`).
    pub kind: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Keeps an upload until its commit; the uploader's earlier pending upload,
/// if any, is dropped (one each, so abandoned previews do not pile up). Not
/// audited: nothing of the business changes until the commit, which is.
pub async fn keep(
    db: &DatabaseConnection,
    actor: &Actor,
    kind: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> DomainResult<i64> {
    require_importer(actor)?;
    let _db = crate::db_share::permit().await;
    let txn = crate::db::write_txn(db).await?;
    import_batch::Entity::delete_many()
        .filter(import_batch::Column::UploadedBy.eq(actor.user_id))
        .exec(&txn)
        .await?;
    let kept = import_batch::ActiveModel {
        kind: Set(kind.to_owned()),
        file_name: Set(file_name.chars().take(200).collect()),
        bytes: Set(bytes),
        uploaded_by: Set(actor.user_id),
        uploaded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(kept.id)
}

/// The actor's own pending upload `id`; anyone else's answers as missing.
pub async fn pending(db: &DatabaseConnection, actor: &Actor, id: i64) -> DomainResult<Pending> {
    require_importer(actor)?;
    let _db = crate::db_share::permit().await;
    import_batch::Entity::find_by_id(id)
        .filter(import_batch::Column::UploadedBy.eq(actor.user_id))
        .one(db)
        .await?
        .map(|b| Pending {
            id: b.id,
            kind: b.kind,
            file_name: b.file_name,
            bytes: b.bytes,
        })
        .ok_or_else(|| DomainError::not_found(format!("import batch {id}")))
}

/// Drops a pending upload once committed.
pub async fn forget(db: &DatabaseConnection, actor: &Actor, id: i64) -> DomainResult<()> {
    let _db = crate::db_share::permit().await;
    import_batch::Entity::delete_many()
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::UploadedBy.eq(actor.user_id))
        .exec(db)
        .await?;
    Ok(())
}
