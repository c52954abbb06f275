//! `/admin/calendar`: the working-day calendar years the engine counts A1's
//! deadlines with (built in and loaded), and the form that loads or replaces
//! one year — the input of `loadCalendarYear` (the year, its public holidays
//! and its make-up working days), stored by `domain::calendar::store_year`.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use engine::calendar::{CalendarError, YearCalendar};
use serde::Deserialize;

use super::{admin_form, admin_only, explain};
use crate::web::Shared;
use crate::web::format::date_text;
use crate::web::shell::{Shell, SignedIn};
use domain::DomainError;

/// One loaded year as the page lists it.
pub struct YearLine {
    pub year: i32,
    pub holidays: String,
    pub holiday_count: usize,
    pub makeup: String,
}

#[derive(askama::Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    shell: Shell,
    years: Vec<YearLine>,
    written: Written,
    error: Option<String>,
    loaded: Option<String>,
}

/// What the form posts (and shows again when refused).
#[derive(Deserialize, Default)]
pub struct Written {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub holidays: String,
    #[serde(default, rename = "makeupWorkdays")]
    pub makeup_workdays: String,
}

#[derive(Deserialize)]
pub struct Loaded {
    loaded: Option<String>,
}

fn dates_text(dates: &[NaiveDate]) -> String {
    if dates.is_empty() {
        return "—".to_owned();
    }
    dates
        .iter()
        .map(|d| date_text(*d))
        .collect::<Vec<_>>()
        .join("、")
}

async fn render(
    console: &Shared,
    signed: SignedIn,
    written: Written,
    error: Option<String>,
    loaded: Option<String>,
) -> Response {
    let calendar = match domain::calendar::load(&console.state.db).await {
        Ok(c) => c,
        Err(e) => return signed.error(e),
    };
    let mut years: Vec<i32> = calendar.years().collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    let years = years
        .into_iter()
        .filter_map(|y| calendar.year(y))
        .map(|y| YearLine {
            year: y.year,
            holidays: dates_text(&y.holidays),
            holiday_count: y.holidays.len(),
            makeup: dates_text(&y.makeup_workdays),
        })
        .collect();
    crate::web::html(
        super::status_of(error.is_some()),
        &CalendarPage {
            shell: signed.shell,
            years,
            written,
            error,
            loaded,
        },
    )
}

/// GET /admin/calendar
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(loaded): Query<Loaded>,
) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    let loaded = loaded
        .loaded
        .filter(|y| y.chars().all(|c| c.is_ascii_digit()));
    render(&console, signed, Written::default(), None, loaded).await
}

/// The dates of a list as written: `2026-01-01`, parted by spaces, lines,
/// commas or 、; the first one that is not a date is refused by its place.
fn dates(label: &str, text: &str) -> Result<Vec<NaiveDate>, String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|t| !t.is_empty())
        .enumerate()
        .map(|(i, t)| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
                format!(
                    "{label}（第 {} 项）：“{t}”不是日期，请写成 2026-01-01 的形式",
                    i + 1
                )
            })
        })
        .collect()
}

/// The year the form stands for, or why it cannot be read.
fn year_of(w: &Written) -> Result<YearCalendar, String> {
    let year = w
        .year
        .trim()
        .parse::<i32>()
        .map_err(|_| "年度：请填写四位数的年份，如 2027".to_owned())?;
    Ok(YearCalendar {
        year,
        holidays: dates("节假日", &w.holidays)?,
        makeup_workdays: dates("调休上班日", &w.makeup_workdays)?,
    })
}

/// The engine's reason for refusing a year, in Chinese, naming the list and
/// the date's place in it.
pub fn refusal_text(e: &CalendarError) -> String {
    let list = |field: &str| match field {
        "holidays" => "节假日",
        _ => "调休上班日",
    };
    match e {
        CalendarError::DateOutsideYear {
            field,
            index,
            date,
            year,
        } => format!(
            "{}（第 {} 项）：{} 不在 {year} 年内",
            list(field),
            index + 1,
            date_text(*date)
        ),
        CalendarError::DuplicateDate {
            field,
            index,
            first_index,
            date,
        } => format!(
            "{}（第 {} 项）：{} 重复（与第 {} 项相同）",
            list(field),
            index + 1,
            date_text(*date),
            first_index + 1
        ),
        CalendarError::HolidayAndMakeupWorkday { index, date, .. } => format!(
            "调休上班日（第 {} 项）：{} 同时列为节假日，一天不能既放假又上班",
            index + 1,
            date_text(*date)
        ),
        CalendarError::MakeupWorkdayNotWeekend { index, date, .. } => format!(
            "调休上班日（第 {} 项）：{} 本是工作日，调休上班日须为周六或周日",
            index + 1,
            date_text(*date)
        ),
        CalendarError::YearNotLoaded(_) | CalendarError::DateOutOfRange(_) => {
            "年度：日期超出可处理的范围".to_owned()
        }
    }
}

/// POST /admin/calendar: loads (or replaces) the year.
pub async fn load(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(written): Form<Written>,
) -> Response {
    if let Err(refused) = admin_form(&console, &signed, &written.csrf) {
        return refused;
    }
    let year = match year_of(&written) {
        Ok(y) => y,
        Err(why) => return render(&console, signed, written, Some(why), None).await,
    };
    // The engine's own check, which `store_year` makes again: its typed
    // reason is told in Chinese here.
    if let Err(e) = year.validate() {
        let why = refusal_text(&e);
        return render(&console, signed, written, Some(why), None).await;
    }
    let number = year.year;
    let audit = signed.audit("loadCalendarYear");
    match domain::calendar::store_year(&console.state.db, &signed.actor, &audit, year).await {
        Ok(_) => Redirect::to(&format!("/admin/calendar?loaded={number}")).into_response(),
        Err(e @ DomainError::BadInput { .. }) => {
            let why = explain(&e, &[("year", "年度")]);
            render(&console, signed, written, why, None).await
        }
        Err(e) => signed.error(e),
    }
}
