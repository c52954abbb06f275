//! `/facts`: the fact kinds in Chinese, each with how many records the caller
//! may read (kinds its role may not list are left out).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::kind::{self, KINDS, Narrow};
use crate::web::Shared;
use crate::web::shell::{Shell, SignedIn};
use domain::store::ListFilter;
use domain::{DomainError, DomainResult, Role};

pub struct KindLine {
    pub slug: &'static str,
    pub label: &'static str,
    pub count: u64,
    /// Also arrives as spreadsheets (`/imports`, same slug).
    pub importable: bool,
}

#[derive(askama::Template)]
#[template(path = "facts/index.html")]
struct IndexPage {
    shell: Shell,
    kinds: Vec<KindLine>,
    can_create: bool,
}

pub async fn page(State(console): State<Shared>, signed: SignedIn) -> Response {
    match lines(&console, &signed).await {
        Ok(kinds) => crate::web::html(
            StatusCode::OK,
            &IndexPage {
                can_create: may_create(signed.actor.role),
                shell: signed.shell,
                kinds,
            },
        ),
        Err(e) => signed.error(e),
    }
}

async fn lines(console: &Shared, signed: &SignedIn) -> DomainResult<Vec<KindLine>> {
    let mut lines = Vec::with_capacity(KINDS.len());
    for &(slug, label) in KINDS {
        let Some(kind) = kind::of(slug) else { continue };
        let counted = kind
            .list(
                &console.state.db,
                &signed.actor,
                ListFilter::default(),
                Narrow::default(),
                None,
                Some(1),
            )
            .await;
        match counted {
            Ok(page) => lines.push(KindLine {
                slug,
                label,
                count: page.total,
                importable: crate::imports::kinds::of(slug).is_some(),
            }),
            Err(DomainError::Forbidden(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(lines)
}

/// Who records facts through the console: supervisors and administrators.
/// (Agencies file their complaints and surveys on their own pages; vendors
/// record none.)
pub fn may_create(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Supervisor { .. })
}
