//! What a contract covers and which terms govern it (issue 15 item 2): its
//! agency (使用单位, of the contract's region), the information systems it
//! covers (the vendor's, in that region and agency) with each one's share of
//! the amount, its contacts (联系人), and the terms it names (which must
//! exist). Written inside the signing's audited transaction, or replaced by an
//! administrator later (`set`), audited alike.

use std::collections::HashMap;

use engine::contract_terms::ContractTerms;
use entities::contract_contact::{self, ContactParty};
use entities::{contract, contract_system};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

use crate::actor::Actor;
use crate::audit::{Audit, AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::reference::agencies::Agencies;
use crate::reference::contracts::Contracts;
use crate::reference::systems::InformationSystems;
use crate::store::{self, Resource};

/// A system the contract covers, as entered.
pub struct SystemInput {
    pub system_id: i64,
    /// Its share of the amount; `None`: the unshared rest split evenly.
    pub share: Option<Decimal>,
}

/// A contact, as entered.
pub struct ContactInput {
    pub party: ContactParty,
    pub role: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Agency, systems, contacts and terms of a contract, as entered.
#[derive(Default)]
pub struct ScopeInput {
    pub agency_id: Option<i64>,
    pub systems: Vec<SystemInput>,
    pub contacts: Vec<ContactInput>,
    pub terms_code: Option<String>,
    pub terms_version: Option<i32>,
}

/// The most systems or contacts one contract lists.
pub const MAX_PARTS: usize = 200;

/// Terms that must exist: the given version, else the latest of the code.
pub async fn require_terms(
    conn: &impl ConnectionTrait,
    field: &str,
    code: &str,
    version: Option<i32>,
) -> DomainResult<ContractTerms> {
    let wanted = version.map(|v| v.max(0) as u32);
    crate::contract_terms::resolve(conn, code, wanted)
        .await?
        .ok_or_else(|| match version {
            Some(v) => DomainError::bad(field, format!("no contract terms {code} version {v}")),
            None => DomainError::bad(field, format!("no contract terms with code {code}")),
        })
}

/// Checks the head of a contract (its agency in its region, its terms) and
/// writes its systems and contacts, in the caller's transaction.
pub async fn apply(
    txn: &mut AuditedTxn<'_>,
    contract: &contract::Model,
    systems: Vec<SystemInput>,
    contacts: Vec<ContactInput>,
) -> DomainResult<()> {
    if systems.len() > MAX_PARTS || contacts.len() > MAX_PARTS {
        return Err(DomainError::bad(
            "input.systems",
            format!("at most {MAX_PARTS} systems and {MAX_PARTS} contacts"),
        ));
    }
    if let Some(agency) = contract.agency_id {
        store::require_in_region::<Agencies>(txn, "input.agencyId", agency, contract.region_id)
            .await?;
    }
    match (&contract.terms_code, contract.terms_version) {
        (Some(code), version) => {
            require_terms(&**txn, "input.termsCode", code, version).await?;
        }
        (None, Some(_)) => {
            return Err(DomainError::bad(
                "input.termsVersion",
                "a terms version needs its termsCode",
            ));
        }
        (None, None) => {}
    }
    check_systems(txn, contract, &systems).await?;
    for system in systems {
        add_system(txn, contract, system).await?;
    }
    for (i, contact) in contacts.into_iter().enumerate() {
        add_contact(txn, contract, i, contact).await?;
    }
    Ok(())
}

/// Each system is the vendor's, in the contract's region (and agency, when it
/// names one), listed once; the shares together stay within the amount.
async fn check_systems(
    txn: &DatabaseTransaction,
    contract: &contract::Model,
    systems: &[SystemInput],
) -> DomainResult<()> {
    let amount = engine::two_dp(contract.settlement_amount);
    let mut seen = std::collections::HashSet::new();
    let mut together = Decimal::ZERO;
    for (i, input) in systems.iter().enumerate() {
        let field = format!("input.systems[{i}].systemId");
        let system = store::require_in_region::<InformationSystems>(
            txn,
            &field,
            input.system_id,
            contract.region_id,
        )
        .await?;
        if system.vendor_id != contract.vendor_id {
            return Err(DomainError::bad(
                field,
                format!(
                    "system {} is not served by the contract's vendor",
                    system.id
                ),
            ));
        }
        if contract.agency_id.is_some_and(|a| a != system.agency_id) {
            return Err(DomainError::bad(
                field,
                format!("system {} is not of the contract's agency", system.id),
            ));
        }
        if !seen.insert(system.id) {
            return Err(DomainError::bad(
                field,
                format!("system {} is listed twice", system.id),
            ));
        }
        if let Some(share) = input.share {
            let share_field = format!("input.systems[{i}].share");
            let share = crate::validate::money(&share_field, share)?;
            together += share;
            if together > amount {
                return Err(DomainError::bad(
                    share_field,
                    format!(
                        "the shares would total {}, above the contract amount {amount}",
                        engine::two_dp(together)
                    ),
                ));
            }
        }
    }
    Ok(())
}

async fn add_system(
    txn: &mut AuditedTxn<'_>,
    contract: &contract::Model,
    input: SystemInput,
) -> DomainResult<()> {
    let row = contract_system::Model {
        id: 0,
        contract_id: contract.id,
        system_id: input.system_id,
        share: input.share,
    };
    let mut active = row.into_active_model().reset_all();
    active.not_set(contract_system::Column::Id);
    let saved = active.insert(&**txn).await?;
    let change =
        Change::on("ContractSystem", Some(saved.id), Contracts::scope(contract)).created(&saved)?;
    txn.record(change).await?;
    Ok(())
}

async fn add_contact(
    txn: &mut AuditedTxn<'_>,
    contract: &contract::Model,
    i: usize,
    input: ContactInput,
) -> DomainResult<()> {
    let field = |name: &str| format!("input.contacts[{i}].{name}");
    let optional = |name: &str, value: Option<String>| -> DomainResult<Option<String>> {
        match value.filter(|v| !v.trim().is_empty()) {
            Some(v) => crate::validate::text(&field(name), v, 200).map(Some),
            None => Ok(None),
        }
    };
    let email = match optional("email", input.email)? {
        Some(e) => Some(crate::validate::email(&field("email"), &e)?),
        None => None,
    };
    let row = contract_contact::Model {
        id: 0,
        contract_id: contract.id,
        position: i as i32 + 1,
        party: input.party,
        role: crate::validate::text(&field("role"), input.role, 100)?,
        name: crate::validate::text(&field("name"), input.name, 100)?,
        phone: optional("phone", input.phone)?,
        email,
    };
    let mut active = row.into_active_model().reset_all();
    active.not_set(contract_contact::Column::Id);
    let saved = active.insert(&**txn).await?;
    let change = Change::on(
        "ContractContact",
        Some(saved.id),
        Contracts::scope(contract),
    )
    .created(&saved)?;
    txn.record(change).await?;
    Ok(())
}

/// Replaces the agency, terms, systems and contacts of an existing contract
/// (administrators only), in one audited transaction.
pub async fn set(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    contract_id: i64,
    input: ScopeInput,
) -> DomainResult<contract::Model> {
    actor.require_admin()?;
    let before = store::get::<Contracts>(db, actor, contract_id).await?;
    let mut after = before.clone();
    after.agency_id = input.agency_id;
    after.terms_code = input.terms_code.map(|c| c.trim().to_owned());
    after.terms_version = input.terms_version;
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let saved = after
        .clone()
        .into_active_model()
        .reset_all()
        .update(&*txn)
        .await?;
    let change = Change::on(Contracts::NAME, Some(saved.id), Contracts::scope(&saved))
        .updated(&before, &saved)?;
    txn.record(change).await?;
    remove_parts(&mut txn, &saved).await?;
    apply(&mut txn, &saved, input.systems, input.contacts).await?;
    txn.commit().await?;
    Ok(saved)
}

async fn remove_parts(txn: &mut AuditedTxn<'_>, contract: &contract::Model) -> DomainResult<()> {
    let systems = systems_of(&**txn, vec![contract.id]).await?;
    for old in systems.into_values().flatten() {
        contract_system::Entity::delete_by_id(old.id)
            .exec(&**txn)
            .await?;
        let change =
            Change::on("ContractSystem", Some(old.id), Contracts::scope(contract)).deleted(&old)?;
        txn.record(change).await?;
    }
    let contacts = contacts_of(&**txn, vec![contract.id]).await?;
    for old in contacts.into_values().flatten() {
        contract_contact::Entity::delete_by_id(old.id)
            .exec(&**txn)
            .await?;
        let change = Change::on("ContractContact", Some(old.id), Contracts::scope(contract))
            .deleted(&old)?;
        txn.record(change).await?;
    }
    Ok(())
}

/// The systems of several contracts, in one query, grouped by contract. No
/// access check: the caller has read the contracts.
pub async fn systems_of(
    conn: &impl ConnectionTrait,
    contract_ids: Vec<i64>,
) -> DomainResult<HashMap<i64, Vec<contract_system::Model>>> {
    use contract_system::Column as S;
    let rows = contract_system::Entity::find()
        .filter(S::ContractId.is_in(contract_ids))
        .order_by_asc(S::Id)
        .all(conn)
        .await?;
    Ok(group(rows, |r| r.contract_id))
}

/// The contacts of several contracts, in one query, grouped by contract in
/// their order. No access check: the caller has read the contracts.
pub async fn contacts_of(
    conn: &impl ConnectionTrait,
    contract_ids: Vec<i64>,
) -> DomainResult<HashMap<i64, Vec<contract_contact::Model>>> {
    use contract_contact::Column as C;
    let rows = contract_contact::Entity::find()
        .filter(C::ContractId.is_in(contract_ids))
        .order_by_asc(C::Position)
        .all(conn)
        .await?;
    Ok(group(rows, |r| r.contract_id))
}

/// Rows grouped by a key, each group in the rows' order.
pub fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}
