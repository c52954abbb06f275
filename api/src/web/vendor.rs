//! A vendor's home (issue 13, item 3): its own published results (each
//! linking to its scorecard at `/results/{id}`), the trend of its monthly
//! totals (`web::trend`), and its open notices with their deadlines.
//! Everything read through the store with the vendor itself.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;

use crate::error::DomainResult;
use crate::web::Shared;
use crate::web::format::{month_text, points_text};
use crate::web::notices::{self, NoticeLine};
use crate::web::shell::{Shell, SignedIn};
use crate::web::trend::{self, Trend};
use domain::actor::{Actor, Role};
use domain::assessments::{AssessmentResults, StoredResult};
use domain::page::MAX_LIMIT;
use domain::reference::regions::Regions;
use domain::store::{self, ListFilter};
use entities::assessment_run::RunKind;

/// A published result as the home page lists it.
pub struct ResultLine {
    pub id: i64,
    /// `2026年11月`, or `2025年` for an annual result.
    pub period: String,
    pub kind: &'static str,
    pub region: String,
    pub total: String,
    pub passed: bool,
}

#[derive(askama::Template)]
#[template(path = "vendor_home.html")]
struct VendorHome {
    shell: Shell,
    results: Vec<ResultLine>,
    trend: Trend,
    notices: Vec<NoticeLine>,
}

/// `/` for a vendor.
pub async fn home(console: &Shared, signed: SignedIn) -> Response {
    let Role::Vendor { vendor_id } = signed.actor.role else {
        return signed.error(crate::error::DomainError::forbidden("vendors only"));
    };
    match gather(console, &signed.actor, vendor_id).await {
        Ok((results, trend, notices)) => crate::web::html(
            StatusCode::OK,
            &VendorHome {
                shell: signed.shell.with_charts(),
                results,
                trend,
                notices,
            },
        ),
        Err(e) => signed.error(e),
    }
}

async fn gather(
    console: &Shared,
    actor: &Actor,
    vendor_id: i64,
) -> DomainResult<(Vec<ResultLine>, Trend, Vec<NoticeLine>)> {
    let results = published(console, actor).await?;
    let trend = trend::vendor_trend(console, actor, vendor_id, None).await?;
    let open = notices::open(notices::newest(console, actor).await?);
    let notices = notices::lines(console, actor, open).await?;
    Ok((results, trend, notices))
}

/// The vendor's published results, newest first (the store shows a vendor
/// only its published ones).
async fn published(console: &Shared, actor: &Actor) -> DomainResult<Vec<ResultLine>> {
    let db = &console.state.db;
    let rows = store::list::<AssessmentResults>(
        db,
        actor,
        ListFilter::default(),
        None,
        Some(MAX_LIMIT as i64),
    )
    .await?
    .items;
    let regions: HashMap<i64, String> = store::list::<Regions>(
        db,
        actor,
        ListFilter::default(),
        None,
        Some(MAX_LIMIT as i64),
    )
    .await?
    .items
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect();
    rows.into_iter()
        .map(|r| {
            let total = StoredResult::of(&r)?.total();
            Ok(ResultLine {
                id: r.id,
                period: match r.kind {
                    RunKind::Monthly => month_text(&r.period),
                    RunKind::Annual => format!("{} 服务年度", r.period),
                },
                kind: match r.kind {
                    RunKind::Monthly => "月度考核",
                    RunKind::Annual => "年度考核",
                },
                region: regions
                    .get(&r.region_id)
                    .cloned()
                    .unwrap_or_else(|| format!("区域 {}", r.region_id)),
                total: points_text(total),
                passed: r.passed,
            })
        })
        .collect()
}
