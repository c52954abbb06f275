//! An agency's pages: its own filings (issue 13, item 5).

use axum::http::StatusCode;
use axum::response::Response;

use crate::web::Shared;
use crate::web::shell::{Shell, SignedIn};
use domain::store::{self, ListFilter};

#[derive(askama::Template)]
#[template(path = "agency_home.html")]
struct AgencyHome {
    shell: Shell,
    complaints: u64,
}

/// `/` for an agency.
pub async fn home(console: &Shared, signed: SignedIn) -> Response {
    let complaints = store::list::<domain::facts::complaints::Complaints>(
        &console.state.db,
        &signed.actor,
        ListFilter::default(),
        None,
        Some(1),
    )
    .await;
    match complaints {
        Ok(page) => crate::web::html(
            StatusCode::OK,
            &AgencyHome {
                shell: signed.shell,
                complaints: page.total,
            },
        ),
        Err(e) => signed.error(e),
    }
}
