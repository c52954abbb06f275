//! The dashboard's forms: run a month (`POST /runs/monthly`), run a service
//! year (`POST /runs/annual`), publish a run (`POST /runs/{id}/publish`). Each
//! checks the CSRF token, then calls what the GraphQL mutations
//! `runMonthlyAssessment`, `runAnnualAssessment` and `publishAssessmentRun`
//! call (`jobs::runs::run_for`, `jobs::publishing::publish_for`: the same
//! access check, lease and audit entry, named by the mutation), and sends the
//! browser back to the dashboard with a line saying what was done. A refusal
//! is a page saying why in Chinese, with the way back.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use crate::error::DomainError;
use crate::web::dashboard::href;
use crate::web::shell::{Shell, SignedIn};
use crate::web::{Shared, html};
use jobs::error::JobResult;
use jobs::runs::Target;

/// The run forms: the region, the dashboard's month, and for the annual run
/// the service year.
#[derive(Deserialize)]
pub struct RunForm {
    pub csrf: String,
    pub region: i64,
    pub month: String,
    pub year: Option<i32>,
}

#[derive(askama::Template)]
#[template(path = "refusal.html")]
struct RefusalPage {
    shell: Shell,
    title: &'static str,
    reason: String,
    back: String,
}

/// A kind of run asked for by a form: the mutation it is audited as, the
/// `done` line of the dashboard, the title of a refusal.
struct Asked {
    operation: &'static str,
    done: &'static str,
    refused: &'static str,
}

const MONTHLY: Asked = Asked {
    operation: "runMonthlyAssessment",
    done: "monthly",
    refused: "无法运行月度考核",
};

const ANNUAL: Asked = Asked {
    operation: "runAnnualAssessment",
    done: "annual",
    refused: "无法运行年度考核",
};

/// POST /runs/monthly: runs the region's month as `runMonthlyAssessment`.
pub async fn monthly(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<RunForm>,
) -> Response {
    let target = Target::month(&form.month);
    run(&console, signed, form, target, MONTHLY).await
}

/// POST /runs/annual: runs the service year as `runAnnualAssessment`.
pub async fn annual(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<RunForm>,
) -> Response {
    let target = Target::service_year(form.year.unwrap_or_default());
    run(&console, signed, form, target, ANNUAL).await
}

async fn run(
    console: &Shared,
    signed: SignedIn,
    form: RunForm,
    target: JobResult<Target>,
    asked: Asked,
) -> Response {
    if let Err(refused) = signed.check_csrf(console, &form.csrf) {
        return refused;
    }
    let state = &console.state;
    let back = href(form.region, &form.month);
    let audit = signed.audit(asked.operation);
    let ran = match target {
        Ok(target) => {
            jobs::runs::run_for(
                &state.db,
                &state.lease,
                &*state.metrics,
                &signed.actor,
                form.region,
                target,
                &audit,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match ran {
        Ok(_) => Redirect::to(&format!("{back}&done={}", asked.done)).into_response(),
        Err(e) => refusal(signed, asked.refused, e.into(), back),
    }
}

/// POST /runs/{id}/publish: publishes the run as `publishAssessmentRun`.
pub async fn publish(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(run_id): Path<i64>,
    Form(form): Form<RunForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let state = &console.state;
    let back = href(form.region, &form.month);
    let audit = signed.audit("publishAssessmentRun");
    let published = jobs::publishing::publish_for(
        &state.db,
        &signed.actor,
        &audit,
        run_id,
        &state.public_url,
        Utc::now(),
    )
    .await;
    match published {
        Ok(_) => Redirect::to(&format!("{back}&done=published")).into_response(),
        Err(e) => refusal(signed, "无法发布考核结果", e.into(), back),
    }
}

/// The refusal page: why, in Chinese, and the way back to the dashboard.
/// What is not the caller's fault (the database, a bug) is the error page.
fn refusal(signed: SignedIn, title: &'static str, e: DomainError, back: String) -> Response {
    let Some((status, reason)) = refused(&e) else {
        return signed.error(e);
    };
    let page = RefusalPage {
        shell: signed.shell,
        title,
        reason,
        back,
    };
    html(status, &page)
}

/// A refused run or publication said in Chinese: the jobs' own Chinese
/// reasons (a month not yet ended, a run under way, a newer version already
/// published) are shown as they are; the others are named here.
fn refused(e: &DomainError) -> Option<(StatusCode, String)> {
    Some(match e {
        DomainError::Forbidden(_) => (
            StatusCode::FORBIDDEN,
            "只有本区域的监管人员（或系统管理员）可以运行和发布考核。".to_owned(),
        ),
        DomainError::NotFound(_) => (
            StatusCode::NOT_FOUND,
            "未找到该考核运行或区域，可能已被删除，或不属于您监管的区域。".to_owned(),
        ),
        DomainError::Conflict(reason) => (StatusCode::CONFLICT, reason.clone()),
        DomainError::BadInput { field, reason } => {
            (StatusCode::UNPROCESSABLE_ENTITY, bad_input(field, reason))
        }
        _ => return None,
    })
}

fn bad_input(field: &str, reason: &str) -> String {
    let chinese = reason
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    match field {
        // The jobs' reasons for periods and superseded runs are Chinese already.
        _ if chinese => format!("{reason}。"),
        "runId" if reason.contains("only a succeeded run") => {
            "只有运行成功（状态为“已完成”）的考核才能发布；失败或仍在进行中的运行不能发布，请重新运行。"
                .to_owned()
        }
        "period" => "月份应为“年-月”，例如 2025-03。".to_owned(),
        "serviceYear" => "服务年度应为 2000 至 2100 年之间的年份。".to_owned(),
        "regionId" | "region" => "该区域的考核方案无法使用，请联系系统管理员。".to_owned(),
        _ => "请求的内容不正确，考核未运行。".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_run_is_refused_in_chinese() {
        let e = DomainError::bad(
            "runId",
            "run 5 is FAILED; only a succeeded run is published",
        );
        let (status, text) = refused(&e).expect("a refusal");
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.starts_with("只有运行成功"), "{text}");
    }

    #[test]
    fn the_jobs_chinese_reasons_are_kept() {
        let e = DomainError::bad(
            "period",
            "2099年1月 尚未结束，2099-02-01 00:00（北京时间）起方可考核",
        );
        let (_, text) = refused(&e).expect("a refusal");
        assert!(text.contains("尚未结束"), "{text}");
    }
}
