//! The metered settlement through GraphQL (issue 16 item 4; spec §6):
//! `meteredBill` (per vendor, agency, system and item, with the lines and
//! their flags; a vendor sees its own lines, an agency its own systems'),
//! `closeMetering` (a supervisor of the region, once: fixes each vendor's
//! metered amount and the pending annual penalty) and `setPurchaserCap` (an
//! administrator sets a municipal purchaser's 封顶价).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use engine::metering::MeteringState as EngineState;
use rust_decimal::Decimal;

use super::nested::id;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use domain::metering::{self, Bill};
use domain::period::local;

/// Whether a year's metering may still change.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MeteringState {
    /// 计量中: usage may still come in; the annual penalty amount is pending.
    Open,
    /// 已关闭: the amounts are fixed.
    Closed,
}

#[derive(SimpleObject)]
pub struct MeteredLine {
    pub system_id: ID,
    pub system_name: String,
    pub vendor_id: ID,
    pub vendor_name: String,
    pub agency_id: ID,
    pub agency_name: String,
    pub item_id: ID,
    pub item_code: String,
    pub item_name: String,
    pub unit: String,
    /// `YYYY-MM`.
    pub month: String,
    pub quantity: Decimal,
    /// 0 in a free test month.
    pub metered_quantity: Decimal,
    pub unit_price: Decimal,
    pub amount: Decimal,
    /// Why the line is not quantity × price (Chinese).
    pub flags: Vec<String>,
}

#[derive(SimpleObject)]
pub struct MeteredTotal {
    pub id: ID,
    pub name: String,
    pub amount: Decimal,
}

#[derive(SimpleObject)]
pub struct CappedItem {
    pub item_code: String,
    pub metered: Decimal,
    pub months_in_service: u32,
    /// The cap prorated to the months in service.
    pub cap: Option<Decimal>,
    pub payable: Decimal,
    pub free_beyond_cap: Decimal,
}

#[derive(SimpleObject)]
pub struct MeteredVendor {
    pub vendor_id: ID,
    pub name: String,
    pub metered: Decimal,
    /// After the purchaser's caps: the vendor's settlement amount.
    pub payable: Decimal,
    pub free_beyond_cap: Decimal,
    pub capped_items: Vec<CappedItem>,
    /// The amount the close fixed; null while open.
    pub fixed_amount: Option<Decimal>,
}

#[derive(SimpleObject)]
pub struct MeteredBill {
    pub region_id: ID,
    pub service_year: i32,
    /// `2025-07..2026-06`.
    pub period: String,
    pub state: MeteringState,
    pub closed_at: Option<DateTime<FixedOffset>>,
    /// Whether the region's purchaser has caps this year (a district: false).
    pub capped: bool,
    pub metered: Decimal,
    pub payable: Decimal,
    pub vendors: Vec<MeteredVendor>,
    pub agencies: Vec<MeteredTotal>,
    pub systems: Vec<MeteredTotal>,
    pub items: Vec<MeteredTotal>,
    pub lines: Vec<MeteredLine>,
    /// The lines with a flag.
    pub flagged: i32,
}

fn money(d: Decimal) -> Decimal {
    engine::two_dp(d)
}

fn total(t: metering::Total) -> MeteredTotal {
    MeteredTotal {
        id: id(t.id),
        name: t.name,
        amount: money(t.amount),
    }
}

impl From<Bill> for MeteredBill {
    fn from(b: Bill) -> Self {
        let lines: Vec<MeteredLine> = b
            .lines
            .into_iter()
            .map(|l| MeteredLine {
                system_id: id(l.system_id),
                system_name: l.system_name,
                vendor_id: id(l.vendor_id),
                vendor_name: l.vendor_name,
                agency_id: id(l.agency_id),
                agency_name: l.agency_name,
                item_id: id(l.item_id),
                item_code: l.item_code,
                item_name: l.item_name,
                unit: l.unit,
                month: l.month,
                quantity: l.quantity.normalize(),
                metered_quantity: l.metered_quantity.normalize(),
                unit_price: money(l.unit_price),
                amount: money(l.amount),
                flags: l.flags,
            })
            .collect();
        Self {
            region_id: id(b.region.id),
            service_year: b.start_year,
            period: b.year.to_string(),
            state: match b.state {
                EngineState::Open => MeteringState::Open,
                EngineState::Closed => MeteringState::Closed,
            },
            closed_at: b.closed_at.map(local),
            capped: b.capped,
            metered: money(b.metered),
            payable: money(b.payable),
            vendors: b
                .vendors
                .into_iter()
                .map(|v| MeteredVendor {
                    vendor_id: id(v.vendor_id),
                    name: v.name,
                    metered: money(v.metered),
                    payable: money(v.payable),
                    free_beyond_cap: money(v.free_beyond_cap),
                    capped_items: v
                        .capped
                        .into_iter()
                        .map(|c| CappedItem {
                            item_code: c.item,
                            metered: money(c.metered),
                            months_in_service: c.months_in_service,
                            cap: c.cap.map(money),
                            payable: money(c.payable),
                            free_beyond_cap: money(c.free_beyond_cap),
                        })
                        .collect(),
                    fixed_amount: v.fixed.map(money),
                })
                .collect(),
            agencies: b.agencies.into_iter().map(total).collect(),
            systems: b.systems.into_iter().map(total).collect(),
            items: b.items.into_iter().map(total).collect(),
            flagged: i32::try_from(lines.iter().filter(|l| !l.flags.is_empty()).count())
                .unwrap_or(i32::MAX),
            lines,
        }
    }
}

#[derive(SimpleObject)]
pub struct PurchaserCap {
    pub id: ID,
    pub region_id: ID,
    pub item_id: ID,
    pub service_year: i32,
    pub amount: Decimal,
}

#[derive(InputObject)]
pub struct SetPurchaserCapInput {
    pub region_id: ID,
    pub item_id: ID,
    /// The service period's start year.
    pub service_year: i32,
    /// The cap over a full period, yuan.
    pub amount: Decimal,
}

/// The bill as the console and GraphQL read it.
pub async fn read_bill(
    db: &sea_orm::DatabaseConnection,
    actor: &domain::Actor,
    region_id: i64,
    service_year: i32,
) -> DomainResult<Bill> {
    let reach = metering::reach(actor, region_id)?;
    let region =
        domain::store::get::<domain::reference::regions::Regions>(db, actor, region_id).await?;
    let _db = domain::db_share::permit().await;
    metering::bill(db, region, service_year, reach).await
}

#[derive(Default)]
pub struct MeteringQuery;

#[Object]
impl MeteringQuery {
    /// The region's metered bill of the service year starting in
    /// `serviceYear`: usage × the vendor's catalogue unit price per item and
    /// month, caps applied, per vendor, agency, system and item.
    async fn metered_bill(
        &self,
        ctx: &Context<'_>,
        region_id: ID,
        service_year: i32,
    ) -> async_graphql::Result<MeteredBill> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let region_id = crud::parse_id("regionId", &region_id)?;
            let bill = read_bill(&state.db, actor, region_id, service_year).await?;
            Ok::<_, DomainError>(MeteredBill::from(bill))
        }
        .await
        .gql()
    }
}

#[derive(Default)]
pub struct MeteringMutation;

#[Object]
impl MeteringMutation {
    /// Closes the year's metering (once; a second close is a conflict): each
    /// vendor's metered amount is fixed and the year's annual results get
    /// their pending penalty amount.
    async fn close_metering(
        &self,
        ctx: &Context<'_>,
        region_id: ID,
        service_year: i32,
    ) -> async_graphql::Result<MeteredBill> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let region_id = crud::parse_id("regionId", &region_id)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let bill = metering::close(
                &state.db,
                actor,
                &audit,
                region_id,
                service_year,
                Utc::now(),
            )
            .await?;
            Ok::<_, DomainError>(MeteredBill::from(bill))
        }
        .await
        .gql()
    }

    /// An administrator sets the municipal purchaser's cap of an item for a
    /// service period (replacing any earlier one).
    async fn set_purchaser_cap(
        &self,
        ctx: &Context<'_>,
        input: SetPurchaserCapInput,
    ) -> async_graphql::Result<PurchaserCap> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let cap = metering::caps::NewCap {
                region_id: crud::parse_id("input.regionId", &input.region_id)?,
                item_id: crud::parse_id("input.itemId", &input.item_id)?,
                service_year: input.service_year,
                amount: input.amount,
            };
            let audit = crate::graphql::audit::of(ctx, actor);
            let row = metering::caps::set_cap(&state.db, actor, &audit, cap).await?;
            Ok::<_, DomainError>(PurchaserCap {
                id: id(row.id),
                region_id: id(row.region_id),
                item_id: id(row.item_id),
                service_year: row.service_year,
                amount: money(row.amount),
            })
        }
        .await
        .gql()
    }
}
