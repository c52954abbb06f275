//! The audit trail: every successful mutation writes one entry saying who (user,
//! role), what (operation, target), when, from where, and the changed fields
//! before and after, in the same transaction as the change. A refused mutation
//! rolls back and leaves no entry; an entry that cannot be written rolls the
//! change back. Entries are only inserted: the API reads them (`auditEntries`)
//! and has no mutation that changes or deletes them.
//!
//! A mutation gets its write transaction from [`Audit::begin`]; the transaction
//! refuses to commit until an entry is recorded, so a code path that forgets the
//! audit fails instead of writing unaudited changes.

use std::ops::Deref;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::access::{self, AgencyAccess, ListScope, Policy, Scope, SupervisorAccess};
use crate::actor::{Actor, Role, RoleKind};
use crate::db;
use crate::error::{DomainError, DomainResult, camel_case};
use crate::page::{self, Page};

/// Columns whose values never enter the trail (a hash is still a secret: it can
/// be attacked offline). The entry keeps the fact that they changed.
const REDACTED: &[&str] = &["password_hash"];
pub const REDACTION: &str = "[redacted]";

/// Who is changing something and from where, for one mutation.
#[derive(Clone, Debug)]
pub struct Audit {
    /// The GraphQL mutation field, e.g. `createWorkOrder`.
    operation: String,
    user_id: i64,
    role: RoleKind,
    client_addr: Option<String>,
    request_id: Option<String>,
}

impl Audit {
    /// The caller of an operation: `operation` names it as the edge does (the
    /// GraphQL mutation field, e.g. `createWorkOrder`); the address and request
    /// id, when there is a request, join the trail to the logs.
    pub fn by(
        operation: impl Into<String>,
        user_id: i64,
        role: RoleKind,
        client_addr: Option<String>,
        request_id: Option<String>,
    ) -> Self {
        Self {
            operation: operation.into(),
            user_id,
            role,
            client_addr,
            request_id,
        }
    }

    /// `by` for a signed-in actor.
    pub fn of_actor(
        operation: impl Into<String>,
        actor: &Actor,
        client_addr: Option<String>,
        request_id: Option<String>,
    ) -> Self {
        Self::by(
            operation,
            actor.user_id,
            role_kind(actor.role),
            client_addr,
            request_id,
        )
    }

    /// Opens the mutation's write transaction (`db::write_txn`). The username is
    /// read inside it, before the change (a user may delete itself).
    pub async fn begin(&self, db: &DatabaseConnection) -> DomainResult<AuditedTxn<'_>> {
        let txn = db::write_txn(db).await?;
        let username = entities::user::Entity::find_by_id(self.user_id)
            .one(&txn)
            .await?
            .map(|u| u.username)
            .ok_or_else(|| {
                DomainError::Internal(format!("audit: no user {}", self.user_id).into())
            })?;
        Ok(AuditedTxn {
            txn,
            audit: self,
            username,
            recorded: false,
        })
    }
}

pub fn role_kind(role: Role) -> RoleKind {
    match role {
        Role::Admin => RoleKind::Admin,
        Role::Supervisor { .. } => RoleKind::Supervisor,
        Role::Vendor { .. } => RoleKind::Vendor,
        Role::Agency { .. } => RoleKind::Agency,
    }
}

/// A write transaction that commits only with its audit entry.
pub struct AuditedTxn<'a> {
    txn: DatabaseTransaction,
    audit: &'a Audit,
    username: String,
    recorded: bool,
}

impl Deref for AuditedTxn<'_> {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl AuditedTxn<'_> {
    /// Writes the entry in this transaction; returns its id.
    pub async fn record(&mut self, change: Change) -> DomainResult<i64> {
        let a = self.audit;
        let entry = entities::audit_entry::ActiveModel {
            at: Set(Utc::now()),
            user_id: Set(a.user_id),
            username: Set(self.username.clone()),
            role: Set(a.role.as_str().to_owned()),
            region_id: Set(change.scope.region),
            vendor_id: Set(change.scope.vendor),
            operation: Set(a.operation.clone()),
            target_type: Set(change.target_type),
            target_id: Set(change.target_id),
            client_addr: Set(a.client_addr.clone()),
            request_id: Set(a.request_id.clone()),
            before: Set(change.before),
            after: Set(change.after),
            ..Default::default()
        }
        .insert(&self.txn)
        .await?;
        self.recorded = true;
        Ok(entry.id)
    }

    /// Commits the change and its entry together; without an entry nothing is
    /// committed (the transaction rolls back when dropped).
    pub async fn commit(self) -> DomainResult<()> {
        if !self.recorded {
            return Err(DomainError::Internal(
                format!("{} recorded no audit entry", self.audit.operation).into(),
            ));
        }
        Ok(self.txn.commit().await?)
    }

    /// Records the creation of a rule document that belongs to no region (a
    /// scheme or contract-terms version: only administrators see the entry),
    /// then commits.
    pub async fn commit_rule_created(
        mut self,
        target_type: &str,
        id: i64,
        row: &impl Serialize,
    ) -> DomainResult<()> {
        let change = Change::on(target_type, Some(id), Scope::default()).created(row)?;
        self.record(change).await?;
        self.commit().await
    }
}

/// Completes the entry of an operation that was recorded when it started and
/// ends later (an assessment run): its `after` becomes the row as it ended, so
/// one operation keeps one entry, and one cut off keeps the entry it started with.
pub async fn complete(
    conn: &impl sea_orm::ConnectionTrait,
    entry_id: i64,
    row: &impl Serialize,
) -> DomainResult<()> {
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    entities::audit_entry::Entity::update_many()
        .col_expr(
            entities::audit_entry::Column::After,
            Expr::value(full(row)?),
        )
        .filter(entities::audit_entry::Column::Id.eq(entry_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// What a mutation changed: the target and, for supervisors' reading, its scope.
#[derive(Debug)]
pub struct Change {
    target_type: String,
    target_id: Option<i64>,
    scope: Scope,
    before: Option<Value>,
    after: Option<Value>,
}

impl Change {
    /// A change of `target_type` `target_id` with nothing before or after yet.
    pub fn on(target_type: &str, target_id: Option<i64>, scope: Scope) -> Self {
        Self {
            target_type: target_type.to_owned(),
            target_id,
            scope,
            before: None,
            after: None,
        }
    }

    /// A new row: the whole row after.
    pub fn created(self, row: &impl Serialize) -> DomainResult<Self> {
        Ok(self.with_after(full(row)?))
    }

    /// A removed row: the whole row before.
    pub fn deleted(self, row: &impl Serialize) -> DomainResult<Self> {
        Ok(self.with_before(full(row)?))
    }

    /// A changed row: only the fields that changed, before and after.
    pub fn updated(self, before: &impl Serialize, after: &impl Serialize) -> DomainResult<Self> {
        let (before, after) = changed_fields(to_object(before)?, to_object(after)?);
        Ok(self.with_before(before).with_after(after))
    }

    /// A row replaced by another (a new id): both whole rows.
    pub fn replaced(self, before: &impl Serialize, after: &impl Serialize) -> DomainResult<Self> {
        Ok(self.with_before(full(before)?).with_after(full(after)?))
    }

    pub fn with_before(mut self, value: Value) -> Self {
        self.before = Some(value);
        self
    }

    pub fn with_after(mut self, value: Value) -> Self {
        self.after = Some(value);
        self
    }

    /// One more field in `after` (what was written beside the row, e.g. a
    /// submission's attachments).
    pub fn with_after_field(mut self, key: &str, value: Value) -> Self {
        let mut after = match self.after.take() {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        after.insert(key.to_owned(), value);
        self.after = Some(Value::Object(after));
        self
    }
}

fn to_object(row: &impl Serialize) -> DomainResult<Map<String, Value>> {
    match serde_json::to_value(row).map_err(DomainError::internal)? {
        Value::Object(map) => Ok(map),
        other => Err(DomainError::Internal(
            format!("audit: a row serialised to {other}, not an object").into(),
        )),
    }
}

/// The row as stored in the trail: secrets redacted, keys named as in the API.
fn full(row: &impl Serialize) -> DomainResult<Value> {
    Ok(shown(to_object(row)?))
}

/// The fields whose values differ, as (before, after). Compared before
/// redaction, so a new password shows as a changed, redacted hash.
fn changed_fields(before: Map<String, Value>, mut after: Map<String, Value>) -> (Value, Value) {
    let mut old = Map::new();
    let mut new = Map::new();
    for (key, was) in before {
        let now = after.remove(&key).unwrap_or(Value::Null);
        if was != now {
            old.insert(key.clone(), was);
            new.insert(key, now);
        }
    }
    (shown(old), shown(new))
}

fn shown(row: Map<String, Value>) -> Value {
    Value::Object(
        row.into_iter()
            .map(|(key, value)| {
                let value = if REDACTED.contains(&key.as_str()) {
                    Value::from(REDACTION)
                } else {
                    value
                };
                (camel_case(&key), value)
            })
            .collect(),
    )
}

/// Administrators read every entry, supervisors their region's; vendors and
/// agencies none.
const POLICY: Policy = Policy {
    everyone_reads: false,
    supervisor: SupervisorAccess::Region,
    vendor_reads_own: false,
    agency: AgencyAccess::None,
};

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub user_id: Option<i64>,
    /// Entries of the user of this name (as it was when the entry was written).
    pub username: Option<String>,
    /// Entries whose target is in this region (narrows a supervisor's own
    /// region to nothing else).
    pub region_id: Option<i64>,
    pub operation: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<i64>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Up to this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
}

/// A page of the entries the actor may read, newest first.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: Filter,
    offset: Option<i64>,
    limit: Option<i64>,
) -> DomainResult<Page<entities::audit_entry::Model>> {
    use entities::audit_entry::{Column as C, Entity};
    let (offset, limit) = page::paging(offset, limit)?;
    let mut query = match access::list_scope(actor, &POLICY) {
        ListScope::All => Entity::find(),
        ListScope::Region(region_id) => Entity::find().filter(C::RegionId.eq(region_id)),
        ListScope::Vendor(_) | ListScope::Agency(_) | ListScope::Denied => {
            return Err(DomainError::forbidden(
                "your role may not read the audit trail",
            ));
        }
    };
    if let Some(v) = filter.user_id {
        query = query.filter(C::UserId.eq(v));
    }
    if let Some(v) = filter.username {
        query = query.filter(C::Username.eq(v));
    }
    if let Some(v) = filter.region_id {
        query = query.filter(C::RegionId.eq(v));
    }
    if let Some(v) = filter.operation {
        query = query.filter(C::Operation.eq(v));
    }
    if let Some(v) = filter.target_type {
        query = query.filter(C::TargetType.eq(v));
    }
    if let Some(v) = filter.target_id {
        query = query.filter(C::TargetId.eq(v));
    }
    if let Some(v) = filter.from {
        query = query.filter(C::At.gte(v));
    }
    if let Some(v) = filter.to {
        query = query.filter(C::At.lt(v));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(C::At)
        .order_by_desc(C::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok(Page {
        items,
        total,
        offset,
        limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use migration::MigratorTrait;
    use serde_json::json;

    /// A code path that forgets its entry cannot commit: the change goes too.
    #[tokio::test]
    async fn a_transaction_without_its_entry_does_not_commit() {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("sqlite");
        migration::Migrator::up(&db, None)
            .await
            .expect("migrations");
        let now = Utc::now();
        let user = entities::user::ActiveModel {
            username: Set("admin".to_owned()),
            password_hash: Set("-".to_owned()),
            role: Set("ADMIN".to_owned()),
            region_id: Set(None),
            vendor_id: Set(None),
            agency_id: Set(None),
            disabled: Set(false),
            created_at: Set(now),
            password_changed_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("user");
        let audit = Audit {
            operation: "createVendor".to_owned(),
            user_id: user.id,
            role: RoleKind::Admin,
            client_addr: None,
            request_id: None,
        };
        let txn = audit.begin(&db).await.expect("txn");
        entities::vendor::ActiveModel {
            code: Set("V1".to_owned()),
            name: Set("v".to_owned()),
            contact_emails: Set(json!([])),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await
        .expect("vendor");
        assert!(txn.commit().await.is_err());
        let vendors = entities::vendor::Entity::find().count(&db).await;
        // The vendor was rolled back with the transaction.
        assert_eq!(vendors.ok(), Some(0));
    }

    #[test]
    fn an_update_keeps_only_the_changed_fields_and_redacts_hashes() {
        let before =
            json!({"id": 7, "password_hash": "$argon2id$old", "disabled": false, "region_id": 1});
        let after =
            json!({"id": 7, "password_hash": "$argon2id$new", "disabled": true, "region_id": 1});
        let (old, new) = changed_fields(
            before.as_object().cloned().unwrap_or_default(),
            after.as_object().cloned().unwrap_or_default(),
        );
        assert_eq!(old, json!({"passwordHash": REDACTION, "disabled": false}));
        assert_eq!(new, json!({"passwordHash": REDACTION, "disabled": true}));
    }

    #[test]
    fn a_whole_row_is_redacted_too() {
        let row = json!({"username": "u", "password_hash": "$argon2id$x"});
        assert_eq!(
            full(&row).ok(),
            Some(json!({"username": "u", "passwordHash": REDACTION}))
        );
    }
}
