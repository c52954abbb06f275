//! The home page, one per role: the page shell (who is signed in, the role,
//! sign-out) and a short summary read through the domain store with the
//! signed-in `Actor`, so a page shows exactly what GraphQL would show the same
//! user. Signed out, `/` sends to the sign-in page.

use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;

use crate::error::{DomainError, DomainResult};
use crate::state::AppState;
use crate::web::csp::Nonce;
use crate::web::session::{SESSION_COOKIE, cookie};
use crate::web::{Shared, assets, errors};
use domain::actor::{Actor, Role};
use domain::store::{self, ListFilter};
use entities::assessment_run::{RunKind, RunStatus};

/// How many runs the supervisors' summary lists.
const LATEST_RUNS: i64 = 5;

/// A run as the summary shows it.
pub struct RunLine {
    pub period: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub started_at: String,
}

/// What the home page says under the header, by role.
pub enum Summary {
    /// Administrators (every region) and supervisors (their own): the
    /// regions and the latest runs.
    Supervision {
        regions: Vec<String>,
        runs: Vec<RunLine>,
    },
    /// A vendor: its published results, and the latest one's score.
    Vendor {
        published: u64,
        latest: Option<(String, String)>,
    },
    /// An agency: the complaints it has filed.
    Agency { complaints: u64 },
}

#[derive(askama::Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    nonce: &'a str,
    htmx: &'a str,
    stylesheet: &'a str,
    csrf: &'a str,
    username: &'a str,
    role: &'static str,
    summary: Summary,
}

/// GET /: the signed-in user's home page, or the way to sign in.
pub async fn page(
    State(console): State<Shared>,
    Extension(nonce): Extension<Nonce>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = cookie(&headers, SESSION_COOKIE) else {
        return Redirect::to("/login").into_response();
    };
    let actor = match crate::session::actor_from_token(&console.state, token).await {
        Ok(Some(actor)) => actor,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(e) => return errors::of_domain(e, &nonce),
    };
    match render(&console.state, &actor, &nonce, &console.csrf.token(token)).await {
        Ok(response) => response,
        Err(e) => errors::of_domain(e, &nonce),
    }
}

async fn render(
    state: &AppState,
    actor: &Actor,
    nonce: &Nonce,
    csrf: &str,
) -> DomainResult<Response> {
    let user = entities::user::Entity::find_by_id(actor.user_id)
        .one(&state.db)
        .await?
        .ok_or(DomainError::Unauthenticated)?;
    let summary = summary(state, actor).await?;
    let page = HomePage {
        nonce: nonce.as_str(),
        htmx: assets::HTMX,
        stylesheet: assets::STYLESHEET,
        csrf,
        username: &user.username,
        role: role_name(actor.role),
        summary,
    };
    Ok(crate::web::html(StatusCode::OK, &page))
}

async fn summary(state: &AppState, actor: &Actor) -> DomainResult<Summary> {
    let db = &state.db;
    Ok(match actor.role {
        Role::Admin | Role::Supervisor { .. } => {
            // Everyone may read every region; a supervisor's page names its own.
            let own = ListFilter {
                region_id: match actor.role {
                    Role::Supervisor { region_id } => Some(region_id),
                    _ => None,
                },
                ..ListFilter::default()
            };
            let regions =
                store::list::<domain::reference::regions::Regions>(db, actor, own, None, None)
                    .await?;
            let runs =
                newest::<domain::assessments::AssessmentRuns>(db, actor, Some(LATEST_RUNS)).await?;
            Summary::Supervision {
                regions: regions.items.into_iter().map(|r| r.name).collect(),
                runs: runs
                    .items
                    .into_iter()
                    .map(|r| RunLine {
                        period: r.period,
                        kind: run_kind(r.kind),
                        status: run_status(r.status),
                        started_at: local_time(r.started_at),
                    })
                    .collect(),
            }
        }
        Role::Vendor { .. } => {
            let results =
                newest::<domain::assessments::AssessmentResults>(db, actor, Some(1)).await?;
            Summary::Vendor {
                published: results.total,
                latest: results
                    .items
                    .into_iter()
                    .next()
                    .map(|r| (r.period, engine::points_text(r.total))),
            }
        }
        Role::Agency { .. } => {
            let complaints =
                newest::<domain::facts::complaints::Complaints>(db, actor, Some(1)).await?;
            Summary::Agency {
                complaints: complaints.total,
            }
        }
    })
}

/// The first `limit` rows of what `actor` may see of `R` (newest first where
/// `R` is ordered so).
async fn newest<R: store::Resource>(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    limit: Option<i64>,
) -> DomainResult<domain::page::Page<R::Model>> {
    store::list::<R>(db, actor, ListFilter::default(), None, limit).await
}

/// The role as its users call it.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "系统管理员",
        Role::Supervisor { .. } => "监管人员",
        Role::Vendor { .. } => "云服务商",
        Role::Agency { .. } => "使用单位",
    }
}

fn run_kind(kind: RunKind) -> &'static str {
    match kind {
        RunKind::Monthly => "月度考核",
        RunKind::Annual => "年度考核",
    }
}

fn run_status(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Running => "进行中",
        RunStatus::Succeeded => "已完成",
        RunStatus::Failed => "失败",
    }
}

/// An instant in Beijing time: `2026年11月1日 08:00`.
pub fn local_time(t: DateTime<Utc>) -> String {
    let local = domain::period::local(t);
    format!(
        "{} {}",
        engine::date_text(local.date_naive()),
        local.format("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal::Decimal;

    #[test]
    fn times_are_local_and_numbers_have_two_decimals() {
        let t = Utc
            .with_ymd_and_hms(2026, 10, 31, 16, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(local_time(t), "2026年11月1日 00:00");
        assert_eq!(engine::points_text(Decimal::new(955, 1)), "95.50");
        assert_eq!(engine::points_text(Decimal::new(100, 0)), "100.00");
        assert_eq!(engine::points_text(Decimal::new(12345, 3)), "12.35");
    }
}
