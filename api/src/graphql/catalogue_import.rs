//! `importCataloguePrices(rows, dryRun)`: catalogue prices as a spreadsheet's
//! rows (administrators), previewed or written all together
//! (`domain::catalogue::import`); the console's `/admin/catalogue` takes the
//! same rows from an `.xlsx` or `.csv`.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};

use crate::error::GqlResult;
use crate::graphql::crud;
use domain::catalogue::import::{self, Outcome, PriceRow};

/// A row as a file holds it: text cells, dates `YYYY-MM-DD`.
#[derive(InputObject)]
pub struct CataloguePriceRowInput {
    /// The item's 编号 (e.g. `1001`): an existing item, else a new one.
    pub code: String,
    pub category: String,
    pub sub_category: String,
    pub item: String,
    /// 计价单位, e.g. `1 GB`.
    pub unit: String,
    /// 报价单位; omitted: 元/月.
    #[graphql(default)]
    pub price_unit: String,
    /// The vendor's name as registered.
    pub vendor: String,
    pub unit_price: String,
    pub valid_from: String,
    pub valid_to: String,
}

impl From<CataloguePriceRowInput> for PriceRow {
    fn from(r: CataloguePriceRowInput) -> Self {
        Self {
            code: r.code,
            category: r.category,
            sub_category: r.sub_category,
            item: r.item,
            unit: r.unit,
            price_unit: r.price_unit,
            vendor: r.vendor,
            unit_price: r.unit_price,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PriceRowStatus {
    /// A new price (written, or to be written on confirm).
    Added,
    /// The same price is there already: skipped.
    AlreadyThere,
    Refused,
}

/// What became of one row (the first row is 1).
#[derive(SimpleObject)]
pub struct PriceRowOutcome {
    pub row: i32,
    pub status: PriceRowStatus,
    /// The row added its item to the catalogue too.
    pub new_item: bool,
    /// The refused field (`unitPrice`) and its column (`单价`).
    pub field: Option<String>,
    pub column: Option<String>,
    pub reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct CatalogueImport {
    /// Whether anything was written: not on a dry run, nor when a row is
    /// refused (all or nothing), nor when every row was there already.
    pub written: bool,
    pub added: i32,
    pub already_there: i32,
    pub refused: i32,
    pub rows: Vec<PriceRowOutcome>,
}

/// The outcomes as the API and the console report them.
pub fn report(outcomes: Vec<Outcome>, dry_run: bool) -> CatalogueImport {
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count() as i32;
    let added = count(|o| matches!(o, Outcome::Added { .. }));
    let already_there = count(|o| matches!(o, Outcome::AlreadyThere));
    let refused = count(|o| matches!(o, Outcome::Refused { .. }));
    let rows = outcomes
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let mut row = PriceRowOutcome {
                row: i as i32 + 1,
                status: PriceRowStatus::Added,
                new_item: false,
                field: None,
                column: None,
                reason: None,
            };
            match o {
                Outcome::Added { new_item } => row.new_item = new_item,
                Outcome::AlreadyThere => row.status = PriceRowStatus::AlreadyThere,
                Outcome::Refused { column, reason } => {
                    row.status = PriceRowStatus::Refused;
                    row.field = Some(column.key().to_owned());
                    row.column = Some(column.label().to_owned());
                    row.reason = Some(reason);
                }
            }
            row
        })
        .collect();
    CatalogueImport {
        written: !dry_run && refused == 0 && added > 0,
        added,
        already_there,
        refused,
        rows,
    }
}

#[derive(Default)]
pub struct CatalogueImportMutation;

#[Object]
impl CatalogueImportMutation {
    /// Imports catalogue prices (administrators): `dryRun` previews; else
    /// every row is written in one transaction, or none when a row is
    /// refused. A price already there is skipped, so importing the same rows
    /// twice adds nothing.
    async fn import_catalogue_prices(
        &self,
        ctx: &Context<'_>,
        rows: Vec<CataloguePriceRowInput>,
        dry_run: bool,
    ) -> async_graphql::Result<CatalogueImport> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let rows = rows.into_iter().map(PriceRow::from).collect();
            let outcomes = import::import(&state.db, actor, &audit, rows, dry_run).await?;
            Ok::<_, domain::DomainError>(report(outcomes, dry_run))
        }
        .await
        .gql()
    }
}
