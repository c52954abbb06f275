//! The breach register (违约记录), read-only: written when results are published
//! (three consecutive failed monthly assessments, Beijing general breach no. 3).

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, FixedOffset};

use super::nested::id;
use domain::period::local;

pub use domain::reference::breaches::Breaches;

#[derive(SimpleObject)]
pub struct Breach {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    /// e.g. THREE_CONSECUTIVE_FAILED_MONTHS.
    pub kind: String,
    /// The month the breach was completed in.
    pub period: String,
    pub basis: String,
    pub created_at: DateTime<FixedOffset>,
}

impl From<entities::breach::Model> for Breach {
    fn from(m: entities::breach::Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            kind: sea_orm::ActiveEnum::to_value(&m.kind),
            period: m.period,
            basis: m.basis,
            created_at: local(m.created_at),
        }
    }
}

crud_api!(@read resource: Breaches, object: Breach, page: BreachPage, query: BreachQuery { breach, breaches });
