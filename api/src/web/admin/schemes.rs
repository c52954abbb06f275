//! `/admin/schemes`: the scoring scheme versions (built in and added), one
//! version's scorecards read as a table (indicators by their Chinese names,
//! points with two decimals, parameters by name), and a new version from its
//! JSON document, pasted or uploaded, added as `createScheme` does
//! (`domain::schemes::create`). A document the engine refuses is shown again
//! with the engine's reason in Chinese, naming the document's field
//! (`monthly.indicators[3].code`).

use std::collections::HashMap;

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use engine::scheme::{
    IndicatorCode, IndicatorParams, PartialSteps, Scheme, SchemeError, Scorecard, ScorecardKind,
};
use rust_decimal::Decimal;

use super::{Cell, Control, FormPage, TablePage, admin_form, admin_only, explain};
use crate::web::Shared;
use crate::web::format::{local_time, points_text};
use crate::web::shell::{Shell, SignedIn};
use domain::page::MAX_LIMIT;
use domain::reference::regions::Regions;
use domain::store::{self, ListFilter};
use domain::{DomainError, DomainResult};

/// The regions assessed by each scheme code, by name.
async fn regions_by_scheme(
    console: &Shared,
    signed: &SignedIn,
) -> DomainResult<HashMap<String, Vec<String>>> {
    let regions = store::list::<Regions>(
        &console.state.db,
        &signed.actor,
        ListFilter::default(),
        None,
        Some(MAX_LIMIT as i64),
    )
    .await?;
    let mut by_code: HashMap<String, Vec<String>> = HashMap::new();
    for r in regions.items {
        by_code.entry(r.scheme_code).or_default().push(r.name);
    }
    Ok(by_code)
}

/// GET /admin/schemes
pub async fn list(State(console): State<Shared>, signed: SignedIn) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    let db = &console.state.db;
    let read = async {
        Ok::<_, DomainError>((
            domain::schemes::all(db).await?,
            domain::schemes::added_at(db).await?,
            regions_by_scheme(&console, &signed).await?,
        ))
    }
    .await;
    let (schemes, added, regions) = match read {
        Ok(read) => read,
        Err(e) => return signed.error(e),
    };
    let latest: HashMap<&str, u32> = schemes.iter().fold(HashMap::new(), |mut m, s| {
        let v = m.entry(s.code.as_str()).or_insert(s.version);
        *v = (*v).max(s.version);
        m
    });
    let rows = schemes
        .iter()
        .map(|s| {
            let since = added
                .get(&(s.code.clone(), s.version))
                .map_or_else(|| "内置".to_owned(), |t| local_time(*t));
            let current = latest.get(s.code.as_str()) == Some(&s.version);
            vec![
                Cell::link(&s.name, format!("/admin/schemes/{}/{}", s.code, s.version)),
                Cell::text(&s.code),
                Cell::text(format!(
                    "v{}{}",
                    s.version,
                    if current { "（现行）" } else { "" }
                )),
                Cell::text(
                    regions
                        .get(&s.code)
                        .map_or_else(|| "—".to_owned(), |names| names.join("、")),
                ),
                Cell::text(since),
            ]
        })
        .collect::<Vec<_>>();
    let total = rows.len() as u64;
    crate::web::html(
        StatusCode::OK,
        &TablePage {
            shell: signed.shell,
            title: "考核方案",
            new: Some(("/admin/schemes/new", "新增方案版本")),
            headers: &["名称", "编码", "版本", "适用区域", "生效自"],
            rows,
            total,
            previous: None,
            next: None,
        },
    )
}

/// One indicator of a scorecard as the page lists it.
pub struct IndicatorLine {
    pub code: String,
    pub name: String,
    pub weight: String,
    pub params: Vec<(&'static str, String)>,
}

/// One scorecard as the page shows it.
pub struct CardView {
    pub title: &'static str,
    pub pass_mark: String,
    pub indicators: Vec<IndicatorLine>,
    pub total: String,
}

#[derive(askama::Template)]
#[template(path = "admin/scheme.html")]
struct SchemePage {
    shell: Shell,
    scheme: Scheme,
    cards: Vec<CardView>,
    /// Lines on how the year is formed and what it costs.
    rules: Vec<String>,
    document: String,
}

/// A parameter's name and its value as read.
fn params(p: &IndicatorParams) -> Vec<(&'static str, String)> {
    let points = |v: &[Decimal]| {
        v.iter()
            .map(|d| points_text(*d))
            .collect::<Vec<_>>()
            .join("、")
    };
    let counts = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join("、");
    let percent = engine::shown::percent_text;
    [
        p.deduction.map(|d| ("每次扣分", points_text(d))),
        p.deduction_by_level
            .as_deref()
            .map(|v| ("按等级扣分（1 级起）", points(v))),
        p.working_days.map(|d| ("时限（工作日）", d.to_string())),
        p.lead_time_hours
            .map(|h| ("提前报备（小时）", h.to_string())),
        p.limit_minutes_by_level
            .as_deref()
            .map(|v| ("按等级时限（分钟，1 级起）", counts(v))),
        p.threshold.map(|t| ("达标线", percent(t))),
        p.step.map(|s| ("每档", percent(s))),
        p.step_share.map(|s| ("每档扣减分值比例", percent(s))),
        p.required.map(|r| ("要求次数", r.to_string())),
        p.min_attendees.map(|m| ("最少参训人数", m.to_string())),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn card(title: &'static str, card: &Scorecard) -> CardView {
    let indicators = card
        .indicators
        .iter()
        .map(|i| IndicatorLine {
            name: IndicatorCode::parse(&i.code)
                .map_or_else(|| i.code.clone(), |c| c.name().zh.into_owned()),
            code: i.code.clone(),
            weight: points_text(i.weight),
            params: params(&i.params),
        })
        .collect();
    CardView {
        title,
        pass_mark: points_text(card.pass_mark),
        indicators,
        total: points_text(card.indicators.iter().map(|i| i.weight).sum()),
    }
}

/// How the year's total is formed and what a low one costs, in words.
fn rules(s: &Scheme) -> Vec<String> {
    let percent = engine::shown::percent_text;
    let mut lines = vec![format!(
        "服务年度自每年 {} 月开始。",
        s.service_year_first_month
    )];
    lines.push(match &s.blend {
        Some(b) => format!(
            "年度总分 = 月度得分平均值 × {} + 年度考核得分 × {}。",
            percent(b.monthly_share),
            percent(b.annual_share)
        ),
        None => "年度总分即年度考核得分。".to_owned(),
    });
    for tier in &s.penalty_tiers {
        lines.push(format!(
            "年度总分低于 {} 分：扣减结算金额的 {}。",
            points_text(tier.below),
            percent(tier.rate)
        ));
    }
    lines.push(match s.partial_steps {
        PartialSteps::Proportional => "不足一档的部分按比例扣分。".to_owned(),
        PartialSteps::PerStartedStep => "不足一档的部分按整档扣分。".to_owned(),
    });
    lines
}

/// GET /admin/schemes/{code}/{version}
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path((code, version)): Path<(String, u32)>,
) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    let found = domain::schemes::find(&console.state.db, &code, Some(version)).await;
    let scheme = match found {
        Ok(Some(s)) => s,
        Ok(None) => return signed.error(DomainError::not_found(format!("scheme {code}"))),
        Err(e) => return signed.error(e),
    };
    let cards = [ScorecardKind::Monthly, ScorecardKind::Annual]
        .into_iter()
        .filter_map(|kind| {
            let title = match kind {
                ScorecardKind::Monthly => "月度考核",
                ScorecardKind::Annual => "年度考核",
            };
            scheme.scorecard(kind).map(|c| card(title, c))
        })
        .collect();
    let document = scheme.to_json().unwrap_or_default();
    crate::web::html(
        StatusCode::OK,
        &SchemePage {
            shell: signed.shell,
            rules: rules(&scheme),
            cards,
            document,
            scheme,
        },
    )
}

fn new_form(shell: Shell, document: &str, error: Option<String>) -> FormPage {
    FormPage {
        shell,
        section: ("/admin/schemes", "考核方案"),
        title: "新增方案版本".to_owned(),
        action: "/admin/schemes/new".to_owned(),
        controls: vec![
            Control::text("document", "方案文档（JSON）", document)
                .of_kind("textarea")
                .hint("粘贴方案文档；可从现有版本页面复制后修改编码或提高版本号"),
            Control::text("file", "或上传文件", "")
                .of_kind("file")
                .hint("选择了文件时以文件内容为准"),
        ],
        error,
        saved: false,
        multipart: true,
    }
}

/// GET /admin/schemes/new
pub async fn new(signed: SignedIn) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    new_form(signed.shell, "", None).answer(false)
}

/// What the form posted: its token and the document (the file's, if one
/// was chosen, else the pasted text).
#[derive(Default)]
struct Posted {
    csrf: String,
    document: String,
    /// Why the document could not be read (a file that is not text).
    unreadable: Option<String>,
}

async fn posted(mut multipart: Multipart) -> Posted {
    let mut out = Posted::default();
    let mut pasted = String::new();
    let mut file: Option<Vec<u8>> = None;
    while let Ok(Some(part)) = multipart.next_field().await {
        let name = part.name().unwrap_or_default().to_owned();
        let Ok(bytes) = part.bytes().await else {
            out.unreadable = Some("上传未完成，请重试".to_owned());
            break;
        };
        match name.as_str() {
            "csrf" => out.csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "document" => pasted = String::from_utf8_lossy(&bytes).into_owned(),
            "file" if !bytes.is_empty() => file = Some(bytes.to_vec()),
            _ => {}
        }
    }
    out.document = match file {
        Some(bytes) => String::from_utf8(bytes).unwrap_or_else(|_| {
            out.unreadable = Some("上传的文件不是 UTF-8 编码的 JSON 文本".to_owned());
            String::new()
        }),
        None => pasted,
    };
    out
}

/// POST /admin/schemes/new (multipart: the pasted text and a file)
pub async fn create(
    State(console): State<Shared>,
    signed: SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // A body that is not this form's carries no token of ours.
    let Ok(multipart) = multipart else {
        return crate::web::errors::csrf_refused(&signed.nonce);
    };
    let form = posted(multipart).await;
    if let Err(refused) = admin_form(&console, &signed, &form.csrf) {
        return refused;
    }
    let text = form.document.trim();
    let refusal = if let Some(why) = form.unreadable {
        Some(format!("方案文档：{why}"))
    } else if text.is_empty() {
        Some("方案文档：必填".to_owned())
    } else if let Err(e) = Scheme::from_json(text) {
        // The engine's own check, which `schemes::create` makes again: its
        // typed reason is told in Chinese here.
        Some(refusal_text(&e))
    } else {
        let audit = signed.audit("createScheme");
        match domain::schemes::create(&console.state.db, &signed.actor, &audit, text).await {
            Ok(s) => {
                return Redirect::to(&format!("/admin/schemes/{}/{}", s.code, s.version))
                    .into_response();
            }
            Err(e) => match explain(&e, &[("version", "版本号（version）")]) {
                Some(reason) => Some(reason),
                None => return signed.error(e),
            },
        }
    };
    new_form(signed.shell, &form.document, refusal).answer(true)
}

/// The engine's reason for refusing a document, in Chinese, naming the
/// field by its path in the document.
pub fn refusal_text(e: &SchemeError) -> String {
    use SchemeError as E;
    let at = |path: &str| format!("字段 {path}");
    match e {
        E::Json(message) => json_text(message),
        E::Empty { path } => format!("{}：不能为空", at(path)),
        E::OutOfRange { path, value, range } => {
            format!("{}：{value} 超出允许范围 {range}", at(path))
        }
        E::Negative { path, value } => format!("{}：{value} 不能为负数", at(path)),
        E::UnknownIndicator { path, code } => format!(
            "{}：没有指标“{code}”（可用：A1–A4、B1、C1、D1、E1–E4、F1、F2、G1、H1、I1、J1、J2）",
            at(path)
        ),
        E::DuplicateIndicator { path, code, first } => {
            format!("{}：指标 {code} 重复（已在 {first} 列出）", at(path))
        }
        E::WeightsNotHundred { path, sum } => format!(
            "{}：各指标分值合计 {}，应为 100.00",
            at(path),
            points_text(*sum)
        ),
        E::ParamNotApplicable {
            path,
            code,
            allowed,
        } => format!("{}：不是指标 {code} 的参数（可用：{allowed}）", at(path)),
        E::LevelCount {
            path,
            code,
            expected,
            got,
        } => format!(
            "{}：指标 {code} 须按等级给出 {expected} 个值，实际为 {got} 个",
            at(path)
        ),
        E::TiersNotDescending {
            path,
            value,
            previous,
        } => format!(
            "{}：{value} 不低于上一档的 {previous}；罚则各档须按分数线从高到低排列",
            at(path)
        ),
        E::TierRatesNotAscending {
            path,
            value,
            previous,
        } => format!(
            "{}：{value} 不高于上一档的 {previous}；分数越低，扣罚比例不得更少",
            at(path)
        ),
        E::BlendSharesNotOne { sum } => {
            format!("{}：月度占比与年度占比之和为 {sum}，应为 1", at("blend"))
        }
        E::BlendWithoutMonthly => format!(
            "{}：按月度结果折算年度总分，须有月度考核表（monthly）",
            at("blend")
        ),
    }
}

/// A document that is not JSON of the scheme's shape, told by serde's
/// message: the field it names and where in the text.
fn json_text(message: &str) -> String {
    let (what, place) = match message.rsplit_once(" at line ") {
        Some((what, place)) => (what, Some(place)),
        None => (message, None),
    };
    let quoted = |prefix: &str| {
        what.strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let reason = if let Some(f) = quoted("missing field `") {
        format!("字段 {f}：缺少此必填字段")
    } else if let Some(f) = quoted("unknown field `") {
        format!("字段 {f}：不是方案文档的字段")
    } else if let Some(v) = quoted("unknown variant `") {
        format!("取值 {v} 不在允许的取值之内")
    } else if what.starts_with("invalid type") || what.starts_with("invalid value") {
        "有字段的类型或取值不对（如数字写成了文字）".to_owned()
    } else {
        "不是有效的 JSON 文本".to_owned()
    };
    let place = place
        .and_then(|p| p.split_once(" column "))
        .map(|(line, column)| format!("（第 {line} 行第 {column} 列）"))
        .unwrap_or_default();
    format!("方案文档{place}：{reason}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shape_error_names_the_field_and_the_place() {
        assert_eq!(
            json_text("missing field `annual` at line 5 column 1"),
            "方案文档（第 5 行第 1 列）：字段 annual：缺少此必填字段"
        );
        assert_eq!(
            json_text(
                "unknown field `wieght`, expected one of `code`, `weight` at line 3 column 20"
            ),
            "方案文档（第 3 行第 20 列）：字段 wieght：不是方案文档的字段"
        );
        assert_eq!(
            json_text("expected value at line 1 column 1"),
            "方案文档（第 1 行第 1 列）：不是有效的 JSON 文本"
        );
    }
}
