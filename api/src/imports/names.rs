//! A spreadsheet names regions, vendors, agencies and systems as people do,
//! by name; this turns a name into its id. Only the rows the importer may
//! read are known (through the store): a supervisor finds the agencies and
//! systems of its own region, and an agency or system is looked up in the
//! row's region, so two regions' "信息中心" are told apart. A name that two
//! rows share is refused rather than guessed.

use std::collections::HashMap;

use sea_orm::DatabaseConnection;

use crate::graphql::facts::fields::Pick;
use domain::page::MAX_LIMIT;
use domain::reference::{
    agencies::Agencies, regions::Regions, systems::InformationSystems, vendors::Vendors,
};
use domain::store::{self, ListFilter, Resource};
use domain::{Actor, DomainError, DomainResult};

/// Names by what they name: `(region, name)`; region 0 for regions and vendors.
#[derive(Default)]
pub struct Names {
    ids: HashMap<(Pick, i64, String), Vec<i64>>,
}

impl Names {
    pub async fn load(db: &DatabaseConnection, actor: &Actor) -> DomainResult<Self> {
        let mut names = Self::default();
        names
            .add::<Regions>(db, actor, Pick::Region, |r| (0, &r.name))
            .await?;
        names
            .add::<Vendors>(db, actor, Pick::Vendor, |v| (0, &v.name))
            .await?;
        names
            .add::<Agencies>(db, actor, Pick::Agency, |a| (a.region_id, &a.name))
            .await?;
        names
            .add::<InformationSystems>(db, actor, Pick::System, |s| (s.region_id, &s.name))
            .await?;
        Ok(names)
    }

    /// Every row of `R` the actor may list, a page at a time; none when its
    /// role may not list them.
    async fn add<R: Resource>(
        &mut self,
        db: &DatabaseConnection,
        actor: &Actor,
        pick: Pick,
        key: impl Fn(&R::Model) -> (i64, &String),
    ) -> DomainResult<()> {
        let mut offset = 0;
        loop {
            let page = match store::list::<R>(
                db,
                actor,
                ListFilter::default(),
                Some(offset),
                Some(MAX_LIMIT as i64),
            )
            .await
            {
                Ok(page) => page,
                Err(DomainError::Forbidden(_)) => return Ok(()),
                Err(e) => return Err(e),
            };
            for row in &page.items {
                let (region, name) = key(row);
                self.ids
                    .entry((pick, region, name.trim().to_owned()))
                    .or_default()
                    .push(R::id(row));
            }
            offset += page.items.len() as i64;
            if page.items.is_empty() || offset as u64 >= page.total {
                return Ok(());
            }
        }
    }

    /// The id named `name`; agencies and systems in `region`. The reason in
    /// Chinese when there is none or more than one.
    pub fn id(&self, pick: Pick, region: Option<i64>, name: &str) -> Result<i64, String> {
        let region = match pick {
            Pick::Agency | Pick::System => match region {
                Some(r) => r,
                None => return Err("请先填写有效的监管区域".to_owned()),
            },
            _ => 0,
        };
        match self
            .ids
            .get(&(pick, region, name.to_owned()))
            .map(Vec::as_slice)
        {
            Some([id]) => Ok(*id),
            Some([_, _, ..]) => Err(format!("有多个名为“{name}”的{}，无法确定", what(pick))),
            _ => Err(format!("未找到名为“{name}”的{}", what(pick))),
        }
    }
}

fn what(pick: Pick) -> &'static str {
    match pick {
        Pick::Region => "监管区域",
        Pick::Vendor => "云服务商",
        Pick::Agency => "使用单位",
        Pick::System => "信息系统",
        Pick::Unnamed => "记录",
    }
}
