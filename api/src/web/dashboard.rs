//! The supervisors' home: the assessment dashboard of a region and month
//! (issue 13, item 2). Administrators see every region, a supervisor its own.

use axum::http::StatusCode;
use axum::response::Response;

use crate::error::DomainResult;
use crate::web::Shared;
use crate::web::format::{local_time, month_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::{Actor, Role};
use domain::store::{self, ListFilter};
use entities::assessment_run::{RunKind, RunStatus};

/// How many runs the page lists.
const LATEST_RUNS: i64 = 5;

/// A run as the page shows it.
pub struct RunLine {
    pub period: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub started_at: String,
}

#[derive(askama::Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    shell: Shell,
    regions: Vec<String>,
    runs: Vec<RunLine>,
}

/// `/` for supervisors and administrators.
pub async fn home(console: &Shared, signed: SignedIn, _query: Option<String>) -> Response {
    match render(console, &signed.actor).await {
        Ok((regions, runs)) => crate::web::html(
            StatusCode::OK,
            &DashboardPage {
                shell: signed.shell,
                regions,
                runs,
            },
        ),
        Err(e) => signed.error(e),
    }
}

async fn render(console: &Shared, actor: &Actor) -> DomainResult<(Vec<String>, Vec<RunLine>)> {
    let db = &console.state.db;
    // Everyone may read every region; a supervisor's page names its own.
    let own = ListFilter {
        region_id: match actor.role {
            Role::Supervisor { region_id } => Some(region_id),
            _ => None,
        },
        ..ListFilter::default()
    };
    let regions =
        store::list::<domain::reference::regions::Regions>(db, actor, own, None, None).await?;
    let runs = store::list::<domain::assessments::AssessmentRuns>(
        db,
        actor,
        ListFilter::default(),
        None,
        Some(LATEST_RUNS),
    )
    .await?;
    Ok((
        regions.items.into_iter().map(|r| r.name).collect(),
        runs.items
            .into_iter()
            .map(|r| RunLine {
                period: month_text(&r.period),
                kind: run_kind(r.kind),
                status: run_status(r.status),
                started_at: local_time(r.started_at),
            })
            .collect(),
    ))
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
