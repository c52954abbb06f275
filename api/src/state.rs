//! What every request handler and resolver shares.

use sea_orm::DatabaseConnection;

use crate::auth::token::TokenKeys;

#[derive(Clone)]
pub struct AppState {
    /// The pool; every mutation runs in one transaction from it (`db::write_txn`).
    pub db: DatabaseConnection,
    /// Signs and checks JWTs with the configured (or per-start random) secret.
    pub keys: TokenKeys,
    /// Failed sign-ins per username and per address.
    pub throttle: std::sync::Arc<crate::auth::throttle::LoginThrottle>,
    /// This instance's metrics (one registry per application, served at `/metrics`).
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// This process's lease holder: manual runs take the same period leases
    /// as the scheduled ones.
    pub lease: jobs::leases::Lease,
    /// `PUBLIC_URL`: the notices' mail links to their page under it.
    pub public_url: String,
    /// `DISPUTE_WINDOW_WORKING_DAYS`: how long after publication a vendor
    /// may dispute a deduction.
    pub dispute_window_working_days: u32,
    /// Parsed monthly result documents (issue 17, item 2).
    pub results: std::sync::Arc<domain::result_cache::ResultCache>,
    /// Resolved monthly scorecards by query shape (issue 17, item 2).
    pub scorecards: std::sync::Arc<crate::graphql::scorecard_cache::ScorecardCache>,
    /// The users behind tokens, kept for half a second (issue 17).
    pub users: std::sync::Arc<crate::kept_rows::Users>,
    /// The vendors the dashboards name, kept for half a second (issue 17).
    pub vendors: std::sync::Arc<crate::kept_rows::Vendors>,
}

impl AppState {
    /// This instance may just have changed a user or a vendor.
    pub fn forget_kept_rows(&self) {
        self.users.forget_all();
        self.vendors.forget_all();
    }
}

impl AppState {
    /// What the platform's settings give a dispute.
    pub fn dispute_settings(&self) -> jobs::disputes::Settings<'_> {
        jobs::disputes::Settings {
            window_days: self.dispute_window_working_days,
            public_url: &self.public_url,
        }
    }
}

/// The address a request came from, for throttling and logs.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub std::net::IpAddr);
