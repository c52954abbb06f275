//! What a fact's references are picked from, by name: the regions, vendors,
//! agencies and systems the caller may read, through the store (a supervisor
//! is offered its own region and that region's agencies and systems). Lists
//! also name a record's vendor or system from these.

use sea_orm::DatabaseConnection;

use crate::graphql::facts::fields::Pick;
use domain::page::MAX_LIMIT;
use domain::reference::{
    agencies::Agencies, regions::Regions, systems::InformationSystems, vendors::Vendors,
};
use domain::store::{self, ListFilter, Resource};
use domain::{Actor, DomainError, DomainResult, Role};

/// A row offered by name.
pub struct Named {
    pub id: i64,
    pub name: String,
}

#[derive(Default)]
pub struct Pickers {
    regions: Vec<Named>,
    vendors: Vec<Named>,
    agencies: Vec<Named>,
    systems: Vec<Named>,
}

impl Pickers {
    pub async fn load(db: &DatabaseConnection, actor: &Actor) -> DomainResult<Self> {
        let own = ListFilter {
            region_id: match actor.role {
                Role::Supervisor { region_id } => Some(region_id),
                _ => None,
            },
            ..ListFilter::default()
        };
        Ok(Self {
            regions: names::<Regions>(db, actor, own.clone(), |r| &r.name).await?,
            vendors: names::<Vendors>(db, actor, ListFilter::default(), |v| &v.name).await?,
            agencies: names::<Agencies>(db, actor, own.clone(), |a| &a.name).await?,
            systems: names::<InformationSystems>(db, actor, own, |s| &s.name).await?,
        })
    }

    pub fn of(&self, pick: Pick) -> &[Named] {
        match pick {
            Pick::Region => &self.regions,
            Pick::Vendor => &self.vendors,
            Pick::Agency => &self.agencies,
            Pick::System => &self.systems,
            Pick::Unnamed => &[],
        }
    }

    /// The name of a row; `None` when the caller may not read it.
    pub fn name(&self, pick: Pick, id: i64) -> Option<&str> {
        self.of(pick)
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.name.as_str())
    }
}

/// The rows of a resource the caller may list, by name; none when its role
/// may not list them (a vendor, the agencies).
async fn names<R: Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
    name: impl Fn(&R::Model) -> &String,
) -> DomainResult<Vec<Named>> {
    match store::list::<R>(db, actor, filter, None, Some(MAX_LIMIT as i64)).await {
        Ok(page) => Ok(page
            .items
            .iter()
            .map(|row| Named {
                id: R::id(row),
                name: name(row).clone(),
            })
            .collect()),
        Err(DomainError::Forbidden(_)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}
