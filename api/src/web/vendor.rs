//! A vendor's pages: its own published scores (issue 13, item 3).

use axum::http::StatusCode;
use axum::response::Response;

use crate::error::DomainResult;
use crate::web::Shared;
use crate::web::format::{month_text, points_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::Actor;
use domain::store::{self, ListFilter};

#[derive(askama::Template)]
#[template(path = "vendor_home.html")]
struct VendorHome {
    shell: Shell,
    published: u64,
    /// The latest published result: its month and total.
    latest: Option<(String, String)>,
}

/// `/` for a vendor.
pub async fn home(console: &Shared, signed: SignedIn) -> Response {
    match published(console, &signed.actor).await {
        Ok((published, latest)) => crate::web::html(
            StatusCode::OK,
            &VendorHome {
                shell: signed.shell,
                published,
                latest,
            },
        ),
        Err(e) => signed.error(e),
    }
}

async fn published(
    console: &Shared,
    actor: &Actor,
) -> DomainResult<(u64, Option<(String, String)>)> {
    let results = store::list::<domain::assessments::AssessmentResults>(
        &console.state.db,
        actor,
        ListFilter::default(),
        None,
        Some(1),
    )
    .await?;
    let latest = results
        .items
        .into_iter()
        .next()
        .map(|r| (month_text(&r.period), points_text(r.total)));
    Ok((results.total, latest))
}
