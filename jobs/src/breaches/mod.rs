//! Breach proposals from the facts (spec §5): the daily job and the pass after
//! each publication look at every contract governed by contract terms (its
//! own, else its region's: `domain::charging::governing_terms`) and propose
//! the breaches the facts suffice for — rows 5 and 6 from outages
//! ([`outages`]), row 2 from availability and complaints ([`availability`]),
//! row 3 from an unmet rectification deadline ([`rectification`]). A region
//! without terms (Shanghai, Songjiang unless given some) gets none.
//!
//! Only PROPOSED rows are written: a supervisor confirms or dismisses them in
//! the register. Each proposal names its fact in `source_ref` (`outage:12`,
//! `availability:7:2024-03`, `notice:9`), unique per kind, so running twice
//! proposes nothing new and a dismissed proposal is never proposed again.
//!
//! **Bounded:** only contracts whose term (or service year, for a contract
//! entered without dates) ended at most [`LOOK_BACK_DAYS`] ago — the current
//! term and the previous one, whose last facts may be entered late — and
//! within each only the facts of that term, read through the indexes on
//! (region, instant) of the fact tables.

mod availability;
mod outages;
mod rectification;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use engine::breach_detection::GENERAL;
use engine::contract_terms::{ContractTerms, RowRef};
use engine::{Period, ServiceYear};
use entities::breach::{self, BreachKind, BreachSource, BreachStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::error::{JobError, JobResult};

/// How long after its end a contract term's facts are still looked at.
pub const LOOK_BACK_DAYS: i64 = 400;

/// A contract under terms, with the window of its term.
pub(crate) struct Governed {
    pub contract: entities::contract::Model,
    pub terms: ContractTerms,
    /// First instant of the term (00:00 local of its first day).
    pub from: DateTime<Utc>,
    /// First instant after the term.
    pub to: DateTime<Utc>,
    /// The systems the contract lists (none: all the vendor's in the region).
    pub systems: Vec<i64>,
}

impl Governed {
    /// Whether the terms have row `number` of the general table (附件3): the
    /// Shanghai PaaS terms do not, and get no proposal from that rule.
    pub fn has_row(&self, number: u32) -> bool {
        self.terms.row(&RowRef::new(GENERAL, number)).is_some()
    }

    pub fn covers(&self, system_id: i64) -> bool {
        self.systems.is_empty() || self.systems.contains(&system_id)
    }

    /// The system an event of the whole contract falls on: the contract's
    /// only system, else none (charged on an even share of the amount).
    pub fn only_system(&self) -> Option<i64> {
        match self.systems.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Until when facts are read: the term's end, or now if earlier.
    pub fn until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.to.min(now)
    }
}

/// One breach the facts show, before it is charged and written.
pub(crate) struct Proposal {
    pub kind: BreachKind,
    pub source_ref: String,
    pub system_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    /// The local month (`2024-03`).
    pub period: String,
    pub description: String,
    pub basis: String,
    pub rows: Vec<RowRef>,
    pub rectification_due: Option<NaiveDate>,
}

/// The daily job: proposals in every region, as at `now`. Returns how many
/// were written.
pub async fn detect_breaches(db: &DatabaseConnection, now: DateTime<Utc>) -> JobResult<usize> {
    detect(db, None, now).await
}

/// The pass after a publication: proposals in the run's region.
pub async fn detect_in_region(
    db: &DatabaseConnection,
    region_id: i64,
    now: DateTime<Utc>,
) -> JobResult<usize> {
    detect(db, Some(region_id), now).await
}

async fn detect(
    db: &DatabaseConnection,
    region_id: Option<i64>,
    now: DateTime<Utc>,
) -> JobResult<usize> {
    let mut written = 0;
    for g in governed(db, region_id, now).await? {
        let mut found = outages::proposals(db, &g).await?;
        found.extend(availability::proposals(db, &g, now).await?);
        found.extend(rectification::proposals(db, &g, now).await?);
        for p in found {
            if propose(db, &g, p, now).await? {
                written += 1;
            }
        }
    }
    Ok(written)
}

/// The contracts under terms whose term has begun and ended at most
/// [`LOOK_BACK_DAYS`] before `now`.
async fn governed(
    db: &DatabaseConnection,
    region_id: Option<i64>,
    now: DateTime<Utc>,
) -> JobResult<Vec<Governed>> {
    use entities::contract::Column as C;
    let mut query = entities::contract::Entity::find();
    if let Some(id) = region_id {
        query = query.filter(C::RegionId.eq(id));
    }
    let oldest = now - Duration::days(LOOK_BACK_DAYS);
    let mut found = Vec::new();
    for contract in query.all(db).await? {
        let Some((from, to)) = term_window(db, &contract).await? else {
            continue;
        };
        if from > now || to < oldest {
            continue;
        }
        let Some(terms) = domain::charging::governing_terms(db, &contract).await? else {
            continue;
        };
        let systems = entities::contract_system::Entity::find()
            .filter(entities::contract_system::Column::ContractId.eq(contract.id))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.system_id)
            .collect();
        found.push(Governed {
            contract,
            terms,
            from,
            to,
            systems,
        });
    }
    Ok(found)
}

/// The term as instants: its first day to the day after its last; a contract
/// entered without dates covers its region's service year.
async fn term_window(
    db: &DatabaseConnection,
    contract: &entities::contract::Model,
) -> JobResult<Option<(DateTime<Utc>, DateTime<Utc>)>> {
    if let (Some(start), Some(end)) = (contract.term_start, contract.term_end) {
        return Ok(Some((
            local_midnight(start),
            local_midnight(end + Duration::days(1)),
        )));
    }
    let Some(region) = entities::region::Entity::find_by_id(contract.region_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Ok(year) = ServiceYear::new(
        region.service_year_start_month as u32,
        contract.service_year,
    ) else {
        return Ok(None);
    };
    let period = Period::ServiceYear(year);
    Ok(Some((period.start(), period.end())))
}

/// 00:00 in Shanghai of `day`.
pub(crate) fn local_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - Duration::hours(8)
}

/// The system's name for a description: 「name」, or the contract's systems.
pub(crate) async fn system_text(
    db: &DatabaseConnection,
    system_id: Option<i64>,
) -> JobResult<String> {
    let Some(id) = system_id else {
        return Ok("合同覆盖的系统".to_owned());
    };
    let name = entities::information_system::Entity::find_by_id(id)
        .one(db)
        .await?
        .map_or_else(|| format!("#{id}"), |s| s.name);
    Ok(format!("系统「{name}」"))
}

/// The rows as the basis names them: `附件3 一般违约行为表 第5行（…）`.
pub(crate) fn rows_text(terms: &ContractTerms, rows: &[RowRef]) -> String {
    rows.iter()
        .filter_map(|at| terms.row(at))
        .map(|(table, row)| format!("{} 第{}行（{}）", table.name, row.number, row.description))
        .collect::<Vec<_>>()
        .join("；")
}

/// Writes the proposal unless its fact already has one (of any status: a
/// dismissed one is never proposed again); true when written.
async fn propose(
    db: &DatabaseConnection,
    g: &Governed,
    p: Proposal,
    now: DateTime<Utc>,
) -> JobResult<bool> {
    if exists(db, p.kind, &p.source_ref).await? {
        return Ok(false);
    }
    let charge =
        domain::charging::charge(db, &g.terms, &g.contract, p.system_id, &p.rows, 1).await?;
    let matched = serde_json::to_string(&p.rows).map_err(|e| JobError::Internal(Box::new(e)))?;
    let basis = format!("{}。依据：{}", p.basis, rows_text(&g.terms, &p.rows));
    let row = breach::ActiveModel {
        region_id: Set(g.contract.region_id),
        vendor_id: Set(g.contract.vendor_id),
        kind: Set(p.kind),
        period: Set(p.period),
        basis: Set(basis),
        created_at: Set(now),
        contract_id: Set(Some(g.contract.id)),
        system_id: Set(p.system_id),
        occurred_at: Set(Some(p.occurred_at)),
        description: Set(p.description),
        source_ref: Set(Some(p.source_ref.clone())),
        status: Set(BreachStatus::Proposed),
        source: Set(BreachSource::Detected),
        matched_rows: Set(matched),
        charged_table: Set(Some(charge.row.table.clone())),
        charged_row: Set(Some(charge.row.number as i32)),
        penalty: Set(Some(charge.amount)),
        terms_code: Set(Some(g.terms.code.clone())),
        terms_version: Set(Some(g.terms.version as i32)),
        rectification_due: Set(p.rectification_due),
        ..Default::default()
    };
    let _db = domain::db_share::permit().await;
    let txn = domain::db::write_txn(db).await?;
    match row.insert(&txn).await {
        Ok(_) => {
            txn.commit().await?;
            Ok(true)
        }
        // Another process proposed it between the look and the write: the
        // unique (kind, source_ref) keeps one.
        Err(e) => {
            txn.rollback().await?;
            if exists(db, p.kind, &p.source_ref).await? {
                Ok(false)
            } else {
                Err(e.into())
            }
        }
    }
}

async fn exists(db: &DatabaseConnection, kind: BreachKind, source_ref: &str) -> JobResult<bool> {
    use breach::Column as B;
    Ok(breach::Entity::find()
        .filter(B::Kind.eq(kind))
        .filter(B::SourceRef.eq(source_ref))
        .one(db)
        .await?
        .is_some())
}
