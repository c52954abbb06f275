//! The supervisors' home: the assessment dashboard of a region and month
//! (issue 13, item 2), the clerk's month end. A supervisor sees its own
//! region, an administrator picks one by name; the month defaults to the
//! latest one run for the region, else last month. The page shows the ranking
//! (drafts flagged), its bar chart with the pass mark (a region whose scheme
//! has only an annual scorecard, Songjiang's, ranks the month's service year
//! and has no monthly runs), the region's open and
//! overdue notices, the month's runs, the service year's annual results, and
//! the forms that run and publish (`web::runs`), each with a confirmation
//! saying what it will do.
//!
//! Every read is the domain's, with the caller as actor: the ranking and the
//! notice counts are `domain::dashboards` (as GraphQL's `ranking` and
//! `noticeCounts`), runs and results come through the store.

use axum::http::StatusCode;
use axum::response::Response;
use engine::scheme::Scheme;
use engine::{Month, ServiceYear, percent_text};
use entities::assessment_run::{RunKind, RunStatus, RunTrigger};

use crate::error::{DomainError, DomainResult};
use crate::web::Shared;
use crate::web::charts::{Chart, Series};
use crate::web::format::{local_time, month_text, points_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::{Actor, Role};
use domain::assessments::{AssessmentResults, AssessmentRuns};
use domain::period::Period;
use domain::reference::regions::Regions;
use domain::store::{self, ListFilter};

/// A region in the administrator's picker.
pub struct RegionOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// A vendor's line in the ranking.
pub struct RankRow {
    pub rank: String,
    pub vendor: String,
    pub total: String,
    pub passed: &'static str,
    pub state: String,
    pub result_href: String,
    pub trend_href: String,
}

/// A run as the page lists it, with its publish form when it can be published.
pub struct RunLine {
    pub id: i64,
    pub period: String,
    pub kind: &'static str,
    pub trigger: &'static str,
    pub status: &'static str,
    pub started_at: String,
    pub finished_at: String,
    pub warnings: Vec<String>,
    pub failed: bool,
    /// The confirmation of its publish form; `None`: not publishable (not
    /// succeeded, or already published).
    pub publish_confirm: Option<String>,
    /// Its results are the published ones.
    pub published: bool,
}

/// A vendor's annual result of the service year.
pub struct AnnualRow {
    pub vendor: String,
    pub total: String,
    pub passed: &'static str,
    pub state: String,
    pub result_href: String,
}

#[derive(askama::Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    shell: Shell,
    /// The administrator's picker; empty for a supervisor.
    regions: Vec<RegionOption>,
    region_id: i64,
    region_name: String,
    /// `YYYY-MM` (the month picker's value) and as shown.
    month: String,
    month_label: String,
    service_year: i32,
    /// The scheme has no monthly scorecard: the ranking is the service year's.
    annual_only: bool,
    flash: Option<String>,
    /// Published or draft, of what the ranking shows.
    showing: &'static str,
    rows: Vec<RankRow>,
    chart: String,
    pass_mark: String,
    /// The month's ranking as `.xlsx` and as a print page, for filing.
    export_href: String,
    print_href: String,
    /// The service year's annual results as `.xlsx` and as a print page.
    annual_export_href: String,
    annual_print_href: String,
    open_notices: i64,
    overdue_notices: i64,
    runs: Vec<RunLine>,
    annual: Vec<AnnualRow>,
    annual_runs: Vec<RunLine>,
    confirm_monthly: String,
    confirm_annual: String,
}

/// What the address asks for: `?region=ID&month=YYYY-MM&done=…`.
#[derive(Default)]
pub struct Asked {
    pub region: Option<i64>,
    pub month: Option<Month>,
    pub done: Option<String>,
}

impl Asked {
    pub fn parse(query: Option<&str>) -> Self {
        let mut asked = Self::default();
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            match key.as_ref() {
                "region" => asked.region = value.parse().ok(),
                "month" => asked.month = month_of(&value),
                "done" => asked.done = Some(value.into_owned()),
                _ => {}
            }
        }
        asked
    }
}

/// `2025-03` as a month; anything else is no month (the page falls back to its default).
pub fn month_of(text: &str) -> Option<Month> {
    match Period::parse(text) {
        Ok(Period::Month { year, month }) => Month::new(year, month).ok(),
        _ => None,
    }
}

/// The dashboard's address for a region and month.
pub fn href(region_id: i64, month: &str) -> String {
    format!("/?region={region_id}&month={month}")
}

/// `/` for supervisors and administrators.
pub async fn home(console: &Shared, signed: SignedIn, query: Option<String>) -> Response {
    let asked = Asked::parse(query.as_deref());
    let nonce = signed.nonce.clone();
    let shell = signed.shell.with_charts();
    match page(console, &signed.actor, asked, shell).await {
        Ok(Ok(page)) => crate::web::html(StatusCode::OK, &page),
        Ok(Err(empty)) => crate::web::html(StatusCode::OK, &empty),
        Err(e) => crate::web::errors::of_domain(e, &nonce),
    }
}

/// An administrator's first visit, before any region exists.
#[derive(askama::Template)]
#[template(path = "dashboard_empty.html")]
struct NoRegions {
    shell: Shell,
}

async fn page(
    console: &Shared,
    actor: &Actor,
    asked: Asked,
    shell: Shell,
) -> DomainResult<Result<DashboardPage, NoRegions>> {
    let db = &console.state.db;
    let Some((region, regions)) = region(console, actor, asked.region).await? else {
        let shell = Shell {
            charts: false,
            ..shell
        };
        return Ok(Err(NoRegions { shell }));
    };
    let scheme = domain::schemes::require_known(db, "region", &region.scheme_code).await?;
    let annual_only = scheme.monthly.is_none();
    let month = match asked.month {
        Some(m) => m,
        None => default_month(console, actor, region.id, &scheme).await?,
    };
    let period = month.to_string();
    let month_label = month_text(&period);
    let service_year = ServiceYear::containing(scheme.service_year_first_month, month)
        .map_err(|e| DomainError::bad("month", e.to_string()))?
        .first_month()
        .year();
    let pass_mark = pass_mark(&scheme);
    let ranking = if annual_only {
        domain::dashboards::annual_ranking(
            db,
            &console.state.results,
            actor,
            region.id,
            service_year,
        )
        .await?
    } else {
        domain::dashboards::ranking(db, &console.state.results, actor, region.id, &period).await?
    };
    let names = domain::dashboards::vendors(db, ranking.iter().map(|r| r.result.vendor_id)).await?;
    let name = |id: i64| {
        names
            .get(&id)
            .map_or_else(|| format!("#{id}"), |v| v.name.clone())
    };
    let chart = Chart::scores(
        "bar",
        ranking.iter().map(|r| name(r.result.vendor_id)).collect(),
        vec![Series {
            name: "总分".into(),
            data: ranking
                .iter()
                .map(|r| Some(engine::two_dp(r.total)))
                .collect(),
        }],
    )
    .with_pass_line(pass_mark, format!("合格线 {} 分", points_text(pass_mark)));
    let showing = showing(ranking.iter().map(|r| r.result.published));
    let rows = ranking
        .iter()
        .map(|r| RankRow {
            rank: r.rank.map_or_else(String::new, |n| n.to_string()),
            vendor: name(r.result.vendor_id),
            total: points_text(r.total),
            passed: passed_text(r.result.passed),
            state: state_text(r.result.published, r.result.revision),
            result_href: format!("/results/{}", r.result.id),
            trend_href: format!("/vendors/{}/trend?region={}", r.result.vendor_id, region.id),
        })
        .collect();
    let (open_notices, overdue_notices) = notices(console, actor, region.id).await?;
    let runs = runs(
        console,
        actor,
        region.id,
        Period::Month {
            year: month.year(),
            month: month.month(),
        },
    )
    .await?;
    let (monthly_runs, _): (Vec<_>, Vec<_>) = runs
        .into_iter()
        .partition(|r| r.kind == RunKind::Monthly && r.period == period);
    let year_runs = runs_of_year(console, actor, region.id, service_year).await?;
    let annual = annual(console, actor, region.id, service_year).await?;
    let published = published_runs(
        console,
        actor,
        region.id,
        [
            Period::Month {
                year: month.year(),
                month: month.month(),
            },
            Period::Year(service_year),
        ],
    )
    .await?;
    let line = |r: entities::assessment_run::Model| {
        let is_published = published.contains(&r.id);
        run_line(r, &region.name, pass_mark, is_published)
    };
    use crate::web::exports::{annual as annual_export, ranking as ranking_export};
    Ok(Ok(DashboardPage {
        export_href: ranking_export::xlsx_href(region.id, &period),
        print_href: ranking_export::print_href(region.id, &period),
        annual_export_href: annual_export::xlsx_href(region.id, service_year),
        annual_print_href: annual_export::print_href(region.id, service_year),
        shell,
        regions,
        region_id: region.id,
        confirm_monthly: confirm_monthly(&region.name, &month_label),
        confirm_annual: confirm_annual(&region.name, service_year, &scheme),
        flash: asked.done.as_deref().and_then(flash),
        region_name: region.name.clone(),
        month: period,
        month_label,
        service_year,
        annual_only,
        showing,
        rows,
        chart: chart.attribute(),
        pass_mark: points_text(pass_mark),

        open_notices,
        overdue_notices,
        runs: monthly_runs.into_iter().map(line).collect(),
        annual,
        annual_runs: year_runs.into_iter().map(line).collect(),
    }))
}

/// The region shown and, for an administrator, the picker: a supervisor's own
/// region whatever the address asks; an administrator's asked one, else the
/// first by name; `None` before any region exists.
async fn region(
    console: &Shared,
    actor: &Actor,
    asked: Option<i64>,
) -> DomainResult<Option<(entities::region::Model, Vec<RegionOption>)>> {
    let db = &console.state.db;
    if let Role::Supervisor { region_id } = actor.role {
        return Ok(Some((
            store::get::<Regions>(db, actor, region_id).await?,
            Vec::new(),
        )));
    }
    let mut all = store::list::<Regions>(db, actor, ListFilter::default(), None, Some(500))
        .await?
        .items;
    all.sort_by(|a, b| a.name.cmp(&b.name));
    let Some(chosen) = asked
        .and_then(|id| all.iter().find(|r| r.id == id))
        .or_else(|| all.first())
        .cloned()
    else {
        return Ok(None);
    };
    let options = all
        .into_iter()
        .map(|r| RegionOption {
            selected: r.id == chosen.id,
            id: r.id,
            name: r.name,
        })
        .collect();
    Ok(Some((chosen, options)))
}

/// The latest month run for the region (for an annual-only scheme: the last
/// month of the latest service year run), else last month (Beijing time).
async fn default_month(
    console: &Shared,
    actor: &Actor,
    region_id: i64,
    scheme: &Scheme,
) -> DomainResult<Month> {
    let filter = ListFilter {
        region_id: Some(region_id),
        ..ListFilter::default()
    };
    let runs =
        store::list::<AssessmentRuns>(&console.state.db, actor, filter, None, Some(500)).await?;
    let first_month = scheme.service_year_first_month;
    let latest = runs
        .items
        .iter()
        .filter_map(|r| match (r.kind, scheme.monthly.is_some()) {
            (RunKind::Monthly, true) => month_of(&r.period),
            (RunKind::Annual, false) => last_month_of_year(first_month, &r.period),
            _ => None,
        })
        .max();
    Ok(latest.unwrap_or_else(|| last_month(chrono::Utc::now())))
}

/// The last month of the service year `2025` (June 2026 for a July year).
fn last_month_of_year(first_month: u32, year: &str) -> Option<Month> {
    let year = ServiceYear::new(first_month, year.parse().ok()?).ok()?;
    year.months().last()
}

fn last_month(now: chrono::DateTime<chrono::Utc>) -> Month {
    let this = Month::of(now);
    Month::of(engine::Period::Month(this).start() - chrono::Duration::days(1))
}

/// The pass mark the engine applies to the region's months (its annual one
/// for a scheme without a monthly scorecard).
fn pass_mark(scheme: &Scheme) -> rust_decimal::Decimal {
    scheme
        .monthly
        .as_ref()
        .map_or(scheme.annual.pass_mark, |card| card.pass_mark)
}

/// Whether the ranking shows published results, drafts, or both.
fn showing(published: impl Iterator<Item = bool>) -> &'static str {
    let (mut yes, mut no) = (0, 0);
    for p in published {
        if p { yes += 1 } else { no += 1 }
    }
    match (yes, no) {
        (0, 0) => "本月尚无考核结果",
        (_, 0) => "已发布的结果（服务商可见）",
        (0, _) => "草稿（尚未发布，服务商不可见）",
        _ => "部分为草稿：标为草稿的结果尚未发布",
    }
}

pub fn passed_text(passed: bool) -> &'static str {
    if passed { "达标" } else { "未达标" }
}

pub fn state_text(published: bool, revision: i32) -> String {
    if published {
        format!("已发布（第 {revision} 版）")
    } else {
        format!("草稿（第 {revision} 版）")
    }
}

async fn notices(console: &Shared, actor: &Actor, region_id: i64) -> DomainResult<(i64, i64)> {
    let counts =
        domain::dashboards::notice_counts(&console.state.db, actor, Some(region_id)).await?;
    Ok(counts
        .iter()
        .fold((0, 0), |(o, d), c| (o + c.open, d + c.overdue)))
}

async fn runs(
    console: &Shared,
    actor: &Actor,
    region_id: i64,
    period: Period,
) -> DomainResult<Vec<entities::assessment_run::Model>> {
    let filter = ListFilter {
        region_id: Some(region_id),
        period: Some(period),
        ..ListFilter::default()
    };
    Ok(
        store::list::<AssessmentRuns>(&console.state.db, actor, filter, None, Some(500))
            .await?
            .items,
    )
}

/// The annual runs of the service year starting in `year`.
async fn runs_of_year(
    console: &Shared,
    actor: &Actor,
    region_id: i64,
    year: i32,
) -> DomainResult<Vec<entities::assessment_run::Model>> {
    let runs = runs(console, actor, region_id, Period::Year(year)).await?;
    let period = year.to_string();
    Ok(runs
        .into_iter()
        .filter(|r| r.kind == RunKind::Annual && r.period == period)
        .collect())
}

/// The latest annual result of each vendor for the service year.
async fn annual(
    console: &Shared,
    actor: &Actor,
    region_id: i64,
    year: i32,
) -> DomainResult<Vec<AnnualRow>> {
    let db = &console.state.db;
    let filter = ListFilter {
        region_id: Some(region_id),
        period: Some(Period::Year(year)),
        ..ListFilter::default()
    };
    let period = year.to_string();
    let results = store::list::<AssessmentResults>(db, actor, filter, None, Some(500))
        .await?
        .items
        .into_iter()
        .filter(|r| r.kind == RunKind::Annual && r.period == period)
        .collect::<Vec<_>>();
    let names = domain::dashboards::vendors(db, results.iter().map(|r| r.vendor_id)).await?;
    results
        .into_iter()
        .map(|r| {
            let total = domain::assessments::StoredResult::of(&r)?.total();
            Ok(AnnualRow {
                vendor: names
                    .get(&r.vendor_id)
                    .map_or_else(|| format!("#{}", r.vendor_id), |v| v.name.clone()),
                total: points_text(total),
                passed: passed_text(r.passed),
                state: state_text(r.published, r.revision),
                result_href: format!("/results/{}", r.id),
            })
        })
        .collect()
}

/// The runs whose results are published, of the region's `periods`: their
/// publish button gives way to a word saying so.
async fn published_runs(
    console: &Shared,
    actor: &Actor,
    region_id: i64,
    periods: [Period; 2],
) -> DomainResult<std::collections::HashSet<i64>> {
    let mut published = std::collections::HashSet::new();
    for period in periods {
        let filter = ListFilter {
            region_id: Some(region_id),
            period: Some(period),
            ..ListFilter::default()
        };
        let results = store::list::<AssessmentResults>(
            &console.state.db,
            actor,
            filter,
            None,
            Some(domain::page::MAX_LIMIT as i64),
        )
        .await?;
        published.extend(
            results
                .items
                .iter()
                .filter(|r| r.published)
                .map(|r| r.run_id),
        );
    }
    Ok(published)
}

fn run_line(
    r: entities::assessment_run::Model,
    region_name: &str,
    pass_mark: rust_decimal::Decimal,
    published: bool,
) -> RunLine {
    let period = match r.kind {
        RunKind::Monthly => month_text(&r.period),
        RunKind::Annual => format!("{} 服务年度", r.period),
    };
    let warnings = serde_json::from_str::<Vec<String>>(&r.warnings).unwrap_or_default();
    let publish_confirm = (r.status == RunStatus::Succeeded && !published)
        .then(|| confirm_publish(region_name, &period, r.id, r.kind, pass_mark));
    RunLine {
        id: r.id,
        kind: run_kind(r.kind),
        trigger: trigger_text(r.trigger),
        status: run_status(r.status),
        started_at: local_time(r.started_at),
        finished_at: r.finished_at.map(local_time).unwrap_or_default(),
        warnings: warnings.into_iter().chain(r.error).collect(),
        failed: r.status == RunStatus::Failed,
        period,
        publish_confirm,
        published,
    }
}

fn confirm_monthly(region: &str, month: &str) -> String {
    format!(
        "将对{region}{month}运行月度考核：按目前记录的事实为每家签约服务商重新计算得分，\
         生成一个新的草稿版本。草稿服务商看不到，已发布的结果不变，发布后才生效。确定运行吗？"
    )
}

fn confirm_annual(region: &str, year: i32, scheme: &Scheme) -> String {
    let how = match &scheme.blend {
        Some(b) => format!(
            "已发布的月度得分平均值 × {} + 年度指标得分 × {}",
            percent_text(b.monthly_share),
            percent_text(b.annual_share)
        ),
        None => "年度指标得分".to_owned(),
    };
    format!(
        "将对{region} {year} 服务年度运行年度考核：得分 = {how}，并按扣罚档次计算结算扣款，\
         生成一个新的草稿版本（服务商看不到，发布后才生效）。服务年度须已结束。确定运行吗？"
    )
}

/// What publishing does (`jobs::publishing`): the results become what vendors
/// see, replacing an earlier published version; each failing result gets a
/// rectification notice mailed to the vendor's contacts; notices of an earlier
/// version that no longer hold are closed, with a mail.
fn confirm_publish(
    region: &str,
    period: &str,
    run_id: i64,
    kind: RunKind,
    pass_mark: rust_decimal::Decimal,
) -> String {
    let notices = match kind {
        RunKind::Monthly => format!(
            "得分低于合格线 {} 分的服务商将收到整改通知，通知邮件发送至其联系人邮箱；\
             连续三个月未达标的记为违约",
            points_text(pass_mark)
        ),
        RunKind::Annual => "年度得分落入扣罚档次的服务商将收到年度扣罚整改通知，\
             通知邮件发送至其联系人邮箱"
            .to_owned(),
    };
    format!(
        "将发布{region}{period}的考核结果（运行 #{run_id}）：各服务商即可查看自己的得分，\
         取代此前发布的版本；{notices}；此前版本的整改通知如已不再成立，将被撤销并邮件告知。\
         发布后不能撤回。确定发布吗？"
    )
}

/// The line shown after a run or publication (`?done=…`, set by `web::runs`).
fn flash(done: &str) -> Option<String> {
    let text = match done {
        "monthly" => "月度考核已运行，结果为新的草稿版本：核对排名和得分后，可在下方发布。",
        "annual" => "年度考核已运行，结果为新的草稿版本：核对后，可在年度考核一栏发布。",
        "published" => {
            "考核结果已发布：服务商现在可以查看；未达标的服务商已收到整改通知，通知邮件已排队发送。"
        }
        _ => return None,
    };
    Some(text.to_owned())
}

pub fn run_kind(kind: RunKind) -> &'static str {
    match kind {
        RunKind::Monthly => "月度考核",
        RunKind::Annual => "年度考核",
    }
}

pub fn run_status(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Running => "进行中",
        RunStatus::Succeeded => "已完成",
        RunStatus::Failed => "失败",
    }
}

fn trigger_text(trigger: RunTrigger) -> &'static str {
    match trigger {
        RunTrigger::Schedule => "定时",
        RunTrigger::CatchUp => "补运行",
        RunTrigger::Manual => "手动",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn last_month_is_beijing_time() {
        // 2026-02-28 17:00 UTC is 1 March 01:00 in Beijing: last month is February.
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 2, 28, 17, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(last_month(t).to_string(), "2026-02");
    }

    #[test]
    fn the_address_names_region_and_month() {
        let asked = Asked::parse(Some("region=3&month=2025-03&done=published"));
        assert_eq!(asked.region, Some(3));
        assert_eq!(
            asked.month.map(|m| m.to_string()).as_deref(),
            Some("2025-03")
        );
        assert!(Asked::parse(Some("month=March")).month.is_none());
    }
}
