//! `/admin/audit`: the audit trail, newest first, a page at a time, filtered
//! by who (username), what kind of record, region and Beijing dates (from and
//! to, both whole days). Each entry: its time in Beijing, its actor by
//! username and role, the operation and its record in Chinese, and the
//! change as fields before and after. Read through `domain::audit::list` with
//! the caller, as `auditEntries`: administrators read every entry, a region's
//! supervisor its region's only, anyone else is refused.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::edited::Edited;
use super::users;
use crate::graphql::facts::fields::Pick;
use crate::graphql::regions::Regions;
use crate::graphql::vendors::Vendors;
use crate::web::Shared;
use crate::web::facts::kind;
use crate::web::facts::pickers::Pickers;
use crate::web::format::local_time;
use crate::web::shell::{Shell, SignedIn, role_kind_name};
use domain::audit::{self, Filter};
use domain::period::shanghai;

/// The records an entry may be about that are not fact kinds, in Chinese.
const TARGETS: &[(&str, &str)] = &[
    ("User", "用户"),
    ("Region", "监管区域"),
    ("Vendor", "云服务商"),
    ("Agency", "使用单位"),
    ("InformationSystem", "信息系统"),
    ("Contract", "合同"),
    ("Scheme", "考核方案"),
    ("ContractTerms", "合同违约条款"),
    ("CalendarYear", "工作日历"),
    ("AssessmentRun", "考核计算"),
    ("Notice", "整改通知"),
];

/// The operations that are not a create, update or delete of a record.
const OPERATIONS: &[(&str, &str)] = &[
    ("login", "登录"),
    ("changePassword", "修改本人密码"),
    ("createScheme", "新增考核方案版本"),
    ("createContractTerms", "新增合同违约条款版本"),
    ("loadCalendarYear", "载入工作日历"),
    ("runMonthlyAssessment", "计算月度考核"),
    ("runAnnualAssessment", "计算年度考核"),
    ("publishAssessmentRun", "发布考核结果"),
    ("createNotice", "下发整改通知"),
    ("acknowledgeNotice", "确认收到整改通知"),
    ("submitRectification", "提交整改情况"),
    ("acceptRectification", "验收整改"),
    ("reopenNotice", "退回重新整改"),
];

/// The fields of the trail's rows that no form writes (the fact kinds' and
/// the administrator's forms name theirs).
const FIELDS: &[(&str, &str)] = &[
    ("passwordHash", "密码"),
    ("disabled", "已停用"),
    ("passwordChangedAt", "密码修改时间"),
    ("tokensValidAfter", "会话失效时间"),
    ("createdAt", "创建时间"),
    ("status", "状态"),
    ("year", "年度"),
    ("document", "文档"),
    ("version", "版本"),
];

/// Every kind of record a filter may pick: (target type, Chinese name).
fn target_kinds() -> Vec<(String, &'static str)> {
    let facts = kind::KINDS
        .iter()
        .filter_map(|(slug, label)| kind::of(slug).map(|k| (k.operation(""), *label)));
    TARGETS
        .iter()
        .map(|(t, label)| ((*t).to_owned(), *label))
        .chain(facts)
        .collect()
}

fn target_label(target: &str) -> String {
    target_kinds()
        .into_iter()
        .find(|(t, _)| t == target)
        .map_or_else(|| target.to_owned(), |(_, label)| label.to_owned())
}

/// The operation in Chinese: `updateUser` → `修改用户`.
fn operation_text(operation: &str, target: &str) -> String {
    if let Some((_, text)) = OPERATIONS.iter().find(|(op, _)| *op == operation) {
        return (*text).to_owned();
    }
    let verbs = [("create", "新建"), ("update", "修改"), ("delete", "删除")];
    verbs
        .iter()
        .find(|(verb, _)| operation.starts_with(verb))
        .map_or_else(
            || operation.to_owned(),
            |(_, text)| format!("{text}{}", target_label(target)),
        )
}

/// A field's name in Chinese: the fact kind's own label, else the common ones.
fn field_label(target: &str, key: &str) -> String {
    let fact_field = kind::KINDS
        .iter()
        .filter_map(|(slug, _)| kind::of(slug))
        .find(|k| k.operation("") == target)
        .and_then(|k| k.fields().iter().find(|f| f.key() == key).map(|f| f.label));
    let forms = [users::LABELS, Regions::LABELS, Vendors::LABELS, FIELDS];
    fact_field
        .or_else(|| {
            forms
                .iter()
                .flat_map(|labels| labels.iter())
                .find(|(k, _)| *k == key)
                .map(|(_, label)| *label)
        })
        .map_or_else(|| key.to_owned(), str::to_owned)
}

/// A value as read: references and roles by name, instants in Beijing
/// time, yes and no, empty.
fn value_text(key: &str, value: Option<&Value>, names: &Pickers) -> String {
    let pick = match key {
        "regionId" | "parentId" => Some(Pick::Region),
        "vendorId" => Some(Pick::Vendor),
        "agencyId" => Some(Pick::Agency),
        _ => None,
    };
    let named = pick
        .zip(value.and_then(Value::as_i64))
        .and_then(|(pick, id)| names.name(pick, id));
    if let Some(name) = named {
        return name.to_owned();
    }
    let role = (key == "role")
        .then(|| {
            value
                .and_then(Value::as_str)
                .and_then(domain::actor::RoleKind::parse)
        })
        .flatten();
    if let Some(role) = role {
        return role_kind_name(role).to_owned();
    }
    match value {
        None | Some(Value::Null) => "（空）".to_owned(),
        Some(Value::Bool(true)) => "是".to_owned(),
        Some(Value::Bool(false)) => "否".to_owned(),
        Some(Value::String(s)) if s == audit::REDACTION => "（已隐去）".to_owned(),
        Some(Value::String(s)) => match s.parse::<DateTime<Utc>>() {
            Ok(t) => local_time(t),
            Err(_) => s.clone(),
        },
        Some(other) => other.to_string(),
    }
}

/// One changed field: its name, before and after.
pub struct ChangeLine {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields of an entry's before and after. A whole row (a create or a
/// delete) shows the fields it has a value in; an update every changed one.
fn change_lines(
    target: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    names: &Pickers,
) -> Vec<ChangeLine> {
    let object = |v: Option<&Value>| v.and_then(Value::as_object).cloned().unwrap_or_default();
    let (before, after) = (object(before), object(after));
    let whole_row = before.is_empty() || after.is_empty();
    let mut keys: Vec<&String> = before.keys().collect();
    keys.extend(after.keys().filter(|k| !before.contains_key(*k)));
    let side = |row: &serde_json::Map<String, Value>, k: &str| {
        if row.is_empty() {
            String::new()
        } else {
            value_text(k, row.get(k), names)
        }
    };
    keys.into_iter()
        .filter(|k| k.as_str() != "id")
        .filter(|k| {
            !whole_row || !matches!(before.get(*k).or(after.get(*k)), None | Some(Value::Null))
        })
        .map(|k| ChangeLine {
            field: field_label(target, k),
            before: side(&before, k),
            after: side(&after, k),
        })
        .collect()
}

/// One entry as the page shows it.
pub struct EntryLine {
    pub at: String,
    pub who: String,
    pub operation: String,
    pub target: String,
    pub region: String,
    pub changes: Vec<ChangeLine>,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub offset: Option<i64>,
}

#[derive(askama::Template)]
#[template(path = "admin/audit.html")]
struct AuditPage<'a> {
    shell: Shell,
    /// The caller is an administrator (the page sits under 系统管理).
    admin: bool,
    query: &'a AuditQuery,
    kinds: Vec<(String, &'static str)>,
    regions: Vec<(String, String)>,
    error: Option<String>,
    entries: Vec<EntryLine>,
    total: u64,
    previous: Option<String>,
    next: Option<String>,
}

/// The start of a Beijing day as an instant.
fn day_start(date: NaiveDate) -> Option<DateTime<Utc>> {
    shanghai()
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

fn date_of(label: &str, text: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("{label}：“{t}”不是日期，请写成 2026-01-01 的形式"))
}

impl AuditQuery {
    /// The domain's filter: `from` at the start of its day, `to` up to the
    /// end of its day (Beijing time).
    fn filter(&self) -> Result<Filter, String> {
        let text = |v: &str| {
            let t = v.trim();
            (!t.is_empty()).then(|| t.to_owned())
        };
        let region = match text(&self.region) {
            Some(r) => Some(
                r.parse::<i64>()
                    .map_err(|_| "区域：请从列表中选择".to_owned())?,
            ),
            None => None,
        };
        let from = date_of("起始日期", &self.from)?.and_then(day_start);
        let to = date_of("截止日期", &self.to)?
            .and_then(|d| d.succ_opt())
            .and_then(day_start);
        Ok(Filter {
            username: text(&self.who),
            target_type: text(&self.kind),
            region_id: region,
            from,
            to,
            ..Filter::default()
        })
    }

    /// This query's address without its offset, ready for `offset=`.
    fn base(&self) -> String {
        let pairs = [
            ("who", &self.who),
            ("kind", &self.kind),
            ("region", &self.region),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if !v.is_empty() {
                out.append_pair(k, v);
            }
        }
        let query = out.finish();
        if query.is_empty() {
            "/admin/audit?".to_owned()
        } else {
            format!("/admin/audit?{query}&")
        }
    }
}

/// GET /admin/audit
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(query): Query<AuditQuery>,
) -> Response {
    let db = &console.state.db;
    let (filter, error) = match query.filter() {
        Ok(f) => (f, None),
        // A filter that cannot be read is said, and the trail shown unfiltered.
        Err(why) => (Filter::default(), Some(why)),
    };
    let offset = query.offset.filter(|o| *o >= 0);
    let listed = audit::list(db, &signed.actor, filter, offset, Some(super::PAGE)).await;
    let page = match listed {
        Ok(p) => p,
        Err(e) => return signed.error(e),
    };
    let names = match Pickers::load(db, &signed.actor).await {
        Ok(n) => n,
        Err(e) => return signed.error(e),
    };
    let entries = page
        .items
        .iter()
        .map(|e| {
            let role = domain::actor::RoleKind::parse(&e.role).map_or("", role_kind_name);
            EntryLine {
                at: local_time(e.at),
                who: format!("{}（{role}）", e.username),
                operation: operation_text(&e.operation, &e.target_type),
                target: match e.target_id {
                    Some(id) => format!("{} #{id}", target_label(&e.target_type)),
                    None => target_label(&e.target_type),
                },
                region: e
                    .region_id
                    .and_then(|r| names.name(Pick::Region, r))
                    .unwrap_or("—")
                    .to_owned(),
                changes: change_lines(&e.target_type, e.before.as_ref(), e.after.as_ref(), &names),
            }
        })
        .collect();
    let (previous, next) = super::pager(&query.base(), page.offset, page.total);
    let regions = names
        .of(Pick::Region)
        .iter()
        .map(|n| (n.id.to_string(), n.name.clone()))
        .collect();
    crate::web::html(
        super::status_of(error.is_some()),
        &AuditPage {
            admin: signed.actor.is_admin(),
            shell: signed.shell,
            query: &query,
            kinds: target_kinds(),
            regions,
            error,
            entries,
            total: page.total,
            previous,
            next,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_to_date_takes_in_its_whole_beijing_day() {
        let q = AuditQuery {
            from: "2026-03-01".into(),
            to: "2026-03-01".into(),
            ..AuditQuery::default()
        };
        let f = q.filter().expect("dates");
        // 2026-03-01 00:00 in Beijing is 2026-02-28 16:00Z; the day ends
        // 24 hours later, 2026-03-01 16:00Z (exclusive).
        assert_eq!(
            f.from.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-02-28T16:00:00+00:00")
        );
        assert_eq!(
            f.to.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-03-01T16:00:00+00:00")
        );
    }

    #[test]
    fn operations_read_in_chinese() {
        assert_eq!(operation_text("updateUser", "User"), "修改用户");
        assert_eq!(operation_text("createWorkOrder", "WorkOrder"), "新建工单");
        assert_eq!(
            operation_text("loadCalendarYear", "CalendarYear"),
            "载入工作日历"
        );
    }
}
