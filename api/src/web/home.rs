//! `/`: each role's home page. Supervisors and administrators land on the
//! assessment dashboard (`dashboard`), a vendor on its own scores (`vendor`),
//! an agency on its own filings (`agency`). Signed out, `/` sends to sign-in
//! (`shell::SignedIn`).

use axum::extract::{RawQuery, State};
use axum::response::Response;

use crate::web::shell::SignedIn;
use crate::web::{Shared, agency, dashboard, vendor};
use domain::actor::Role;

/// GET /: the signed-in user's home page.
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    RawQuery(query): RawQuery,
) -> Response {
    match signed.actor.role {
        Role::Admin | Role::Supervisor { .. } => dashboard::home(&console, signed, query).await,
        Role::Vendor { .. } => vendor::home(&console, signed).await,
        Role::Agency { .. } => agency::home(&console, signed, query).await,
    }
}
