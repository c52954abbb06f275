//! The four parts' fields as the form prints them (seed 001 附件1-3). A form
//! arrives as JSON (camelCase keys), is read into its part's struct and
//! checked: a required field (marked * on the form) left empty, a choice not
//! on the form, or a list the form requires left empty is refused naming the
//! field (`form.contact.phone`) and, in Chinese, what is wrong.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};
use entities::work_order_part::PartKind;

/// The longest text of one field (characters).
pub const MAX_FIELD_CHARS: usize = 2000;

/// The choices the form offers.
pub const CLOUD_PLATFORMS: [&str; 8] = [
    "太极云",
    "金山云",
    "首信云",
    "浪潮云",
    "联通云",
    "电信云",
    "移动云",
    "优刻得",
];
pub const DEPLOYMENT_NODES: [&str; 2] = ["北京城市副中心节点", "北京市政务服务中心节点"];
pub const SYSTEM_TYPES: [&str; 7] = [
    "业务生产系统",
    "内部办公",
    "公众服务",
    "门户网站",
    "移动APP",
    "视频系统",
    "其他",
];
pub const GRADES: [&str; 4] = ["一级", "二级", "三级", "未定级"];
pub const NETWORKS: [&str; 3] = ["政务外网", "互联网", "政务外网及互联网"];
pub const INTERCONNECTIONS: [&str; 3] = ["与本单位其他系统连接", "与其他单位系统连接", "无互联"];
pub const NETWORK_NEEDS: [&str; 2] = ["横向系统", "纵向系统"];
pub const ZONES: [&str; 2] = ["互联网", "政务外网"];
pub const SECURITY_TESTS: [&str; 9] = [
    "安全风险评估",
    "脆弱性检测",
    "渗透测试",
    "漏洞扫描",
    "应用安全扫描",
    "代码审计",
    "病毒检测",
    "安全测评",
    "其他",
];
pub const TEST_STATES: [&str; 3] = ["已开展", "已计划开展", "未开展且近期无此计划"];
pub const HOST_TYPES: [&str; 2] = ["物理机", "虚拟机"];
pub const EXIT_TYPES: [&str; 2] = ["业务系统退出", "使用单位退出"];

/// A contact person: name, mobile and e-mail.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// 云计算资源需求: one network zone's row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ZoneResources {
    /// 网络区域: 互联网 or 政务外网.
    pub zone: String,
    /// 主机总数 (台).
    pub hosts: u32,
    /// CPU 总数 (核).
    pub cpu_cores: u32,
    /// 内存总数 (GB).
    pub memory_gb: u32,
    /// 存储总数 (TB).
    pub storage_tb: Decimal,
    pub note: String,
}

/// 服务资源需求: one service item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceItem {
    pub item: String,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
}

/// 第一部分：信息系统入云.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct OnboardingForm {
    /// *主管单位: the agency's parent body (上级委办局).
    pub parent_body: String,
    /// 单位地址邮编.
    pub address: String,
    /// *云平台（单选）.
    pub cloud_platform: String,
    /// *部署节点（单选）.
    pub deployment_node: String,
    /// 入云测试日期.
    pub test_on: Option<NaiveDate>,
    /// *联系人: name, mobile, e-mail.
    pub contact: Contact,
    /// 技术联系人 (optional).
    pub technical_contact: Option<Contact>,
    /// *前置审批情况.
    pub prior_approval: String,
    /// *功能描述.
    pub description: String,
    /// *系统类型.
    pub system_type: String,
    /// *信息系统定级情况 (等保).
    pub grade: String,
    /// *信息系统运行时间 (7*24 小时, 5*8 小时, …).
    pub running_time: String,
    /// *系统服务对象.
    pub service_targets: String,
    /// *系统服务范围.
    pub service_scope: String,
    /// *网络性质.
    pub network: String,
    /// *系统互联情况 (one or more).
    pub interconnections: Vec<String>,
    /// 涉及单位情况.
    pub interconnected_units: String,
    /// *网络需求.
    pub network_need: String,
    /// *云计算资源需求, per network zone.
    pub resources: Vec<ZoneResources>,
    /// 服务资源需求.
    pub services: Vec<ServiceItem>,
    /// 其他说明.
    pub note: String,
}

/// 系统安全性测试情况: one check and how far the agency is with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityTest {
    pub item: String,
    pub state: String,
}

/// 主机资源情况: one host.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Host {
    pub name: String,
    pub cpu_cores: u32,
    pub memory_gb: u32,
    pub storage_gb: u32,
    /// 物理机 or 虚拟机.
    pub host_type: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// 网络服务情况: one network service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkService {
    pub item: String,
    pub quantity: Decimal,
    pub unit: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// 第二部分：信息系统上线.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct GoLiveForm {
    /// *系统功能性测试情况: 计划在 … 上线运行.
    pub go_live_on: Option<NaiveDate>,
    /// *系统安全性测试情况.
    pub security_tests: Vec<SecurityTest>,
    /// *主机资源情况.
    pub hosts: Vec<Host>,
    /// *网络服务情况.
    pub network_services: Vec<NetworkService>,
    /// 其他安全保障服务情况.
    pub other_security: String,
}

/// 第三部分：云服务变更.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangeForm {
    /// 变更原因.
    pub reason: String,
    /// 云服务现状.
    pub current_service: String,
    /// 变更后云服务情况.
    pub target_service: String,
    /// 变更技术可行性.
    pub feasibility: String,
    /// 变更实施方案 (是否具有: the plan itself, or empty for 否).
    pub plan: String,
    /// 变更日期.
    pub change_on: Option<NaiveDate>,
    pub note: String,
}

/// 第四部分：信息系统退出. The erasure confirmations (数据清除情况) are the
/// exit's duties (`exit_duties`), confirmed by each party after approval.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ExitForm {
    /// 云服务退出类型.
    pub exit_type: String,
    /// 业务系统或使用单位退出情况.
    pub situation: String,
    /// 退出原因.
    pub reason: String,
    /// 退出资源.
    pub resources_released: String,
    /// 退出使用单位.
    pub exiting_agency: String,
    /// 退出日期.
    pub exit_on: Option<NaiveDate>,
}

/// One part's form, checked.
// A form lives for one request and is never kept in bulk: its size does not
// matter, and boxing part 1 would only add noise at every match.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartForm {
    Onboarding(OnboardingForm),
    GoLive(GoLiveForm),
    Change(ChangeForm),
    Exit(ExitForm),
}

impl PartForm {
    /// Reads `json` as the form of `part` and checks it.
    pub fn read(part: PartKind, json: &serde_json::Value) -> DomainResult<PartForm> {
        fn parse<T: serde::de::DeserializeOwned>(json: &serde_json::Value) -> DomainResult<T> {
            serde_json::from_value(json.clone())
                .map_err(|e| DomainError::bad("form", format!("表单内容无法读取：{e}")))
        }
        let form = match part {
            PartKind::Onboarding => PartForm::Onboarding(parse(json)?),
            PartKind::GoLive => PartForm::GoLive(parse(json)?),
            PartKind::Change => PartForm::Change(parse(json)?),
            PartKind::Exit => PartForm::Exit(parse(json)?),
        };
        form.check()?;
        Ok(form)
    }

    /// Reads a stored form (checked when it was submitted).
    pub fn stored(part: PartKind, text: &str) -> DomainResult<PartForm> {
        let json: serde_json::Value = serde_json::from_str(text).map_err(DomainError::internal)?;
        Self::read(part, &json)
    }

    /// The form as stored (JSON text).
    pub fn to_json(&self) -> DomainResult<String> {
        let text = match self {
            PartForm::Onboarding(f) => serde_json::to_string(f),
            PartForm::GoLive(f) => serde_json::to_string(f),
            PartForm::Change(f) => serde_json::to_string(f),
            PartForm::Exit(f) => serde_json::to_string(f),
        };
        text.map_err(DomainError::internal)
    }

    fn check(&self) -> DomainResult<()> {
        match self {
            PartForm::Onboarding(f) => f.check(),
            PartForm::GoLive(f) => f.check(),
            PartForm::Change(f) => f.check(),
            PartForm::Exit(f) => f.check(),
        }
    }
}

/// A required text: not blank, at most `MAX_FIELD_CHARS`, no NUL.
fn required(field: &str, label: &str, value: &str) -> DomainResult<()> {
    if value.trim().is_empty() {
        return Err(DomainError::bad(field, format!("{label}为必填项")));
    }
    optional(field, label, value)
}

fn optional(field: &str, label: &str, value: &str) -> DomainResult<()> {
    if value.contains('\0') || value.chars().count() > MAX_FIELD_CHARS {
        return Err(DomainError::bad(
            field,
            format!("{label}不能超过 {MAX_FIELD_CHARS} 字，且不能含控制字符"),
        ));
    }
    Ok(())
}

/// A required single choice among the form's boxes.
fn choice(field: &str, label: &str, value: &str, among: &[&str]) -> DomainResult<()> {
    required(field, label, value)?;
    if !among.contains(&value) {
        return Err(DomainError::bad(
            field,
            format!("{label}只能选择：{}", among.join("、")),
        ));
    }
    Ok(())
}

fn date(field: &str, label: &str, value: Option<NaiveDate>) -> DomainResult<NaiveDate> {
    value.ok_or_else(|| DomainError::bad(field, format!("{label}为必填项")))
}

fn not_empty<T>(field: &str, label: &str, rows: &[T]) -> DomainResult<()> {
    if rows.is_empty() {
        return Err(DomainError::bad(field, format!("{label}至少填写一行")));
    }
    Ok(())
}

fn not_negative(field: &str, label: &str, value: Decimal) -> DomainResult<()> {
    if value.is_sign_negative() {
        return Err(DomainError::bad(field, format!("{label}不能为负数")));
    }
    Ok(())
}

fn period(field: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> DomainResult<()> {
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(DomainError::bad(field, "截止日期不能早于起始日期"));
    }
    Ok(())
}

impl Contact {
    fn check(&self, at: &str, label: &str) -> DomainResult<()> {
        required(&format!("{at}.name"), &format!("{label}姓名"), &self.name)?;
        required(
            &format!("{at}.phone"),
            &format!("{label}手机号"),
            &self.phone,
        )?;
        required(
            &format!("{at}.email"),
            &format!("{label}电子邮箱"),
            &self.email,
        )?;
        if !self.email.contains('@') {
            return Err(DomainError::bad(
                format!("{at}.email"),
                format!("{label}电子邮箱格式不正确"),
            ));
        }
        Ok(())
    }
}

impl OnboardingForm {
    fn check(&self) -> DomainResult<()> {
        required("form.parentBody", "主管单位", &self.parent_body)?;
        optional("form.address", "单位地址邮编", &self.address)?;
        choice(
            "form.cloudPlatform",
            "云平台",
            &self.cloud_platform,
            &CLOUD_PLATFORMS,
        )?;
        choice(
            "form.deploymentNode",
            "部署节点",
            &self.deployment_node,
            &DEPLOYMENT_NODES,
        )?;
        self.contact.check("form.contact", "联系人")?;
        if let Some(tech) = &self.technical_contact {
            required("form.technicalContact.name", "技术联系人姓名", &tech.name)?;
        }
        required("form.priorApproval", "前置审批情况", &self.prior_approval)?;
        required("form.description", "功能描述", &self.description)?;
        choice(
            "form.systemType",
            "系统类型",
            &self.system_type,
            &SYSTEM_TYPES,
        )?;
        choice("form.grade", "信息系统定级情况", &self.grade, &GRADES)?;
        required("form.runningTime", "信息系统运行时间", &self.running_time)?;
        required("form.serviceTargets", "系统服务对象", &self.service_targets)?;
        required("form.serviceScope", "系统服务范围", &self.service_scope)?;
        choice("form.network", "网络性质", &self.network, &NETWORKS)?;
        not_empty(
            "form.interconnections",
            "系统互联情况",
            &self.interconnections,
        )?;
        for (i, link) in self.interconnections.iter().enumerate() {
            let field = format!("form.interconnections[{i}]");
            choice(&field, "系统互联情况", link, &INTERCONNECTIONS)?;
        }
        optional(
            "form.interconnectedUnits",
            "涉及单位情况",
            &self.interconnected_units,
        )?;
        choice(
            "form.networkNeed",
            "网络需求",
            &self.network_need,
            &NETWORK_NEEDS,
        )?;
        not_empty("form.resources", "云计算资源需求", &self.resources)?;
        for (i, zone) in self.resources.iter().enumerate() {
            let at = format!("form.resources[{i}]");
            choice(&format!("{at}.zone"), "网络区域", &zone.zone, &ZONES)?;
            if self.resources[..i].iter().any(|z| z.zone == zone.zone) {
                return Err(DomainError::bad(
                    format!("{at}.zone"),
                    format!("网络区域“{}”已填写过，请合并为一行", zone.zone),
                ));
            }
            not_negative(&format!("{at}.storageTb"), "存储总数", zone.storage_tb)?;
            optional(&format!("{at}.note"), "备注", &zone.note)?;
        }
        for (i, service) in self.services.iter().enumerate() {
            let at = format!("form.services[{i}]");
            required(&format!("{at}.item"), "服务项", &service.item)?;
            not_negative(&format!("{at}.quantity"), "数量", service.quantity)?;
        }
        optional("form.note", "其他说明", &self.note)
    }
}

impl GoLiveForm {
    fn check(&self) -> DomainResult<()> {
        date("form.goLiveOn", "计划上线日期", self.go_live_on)?;
        not_empty(
            "form.securityTests",
            "系统安全性测试情况",
            &self.security_tests,
        )?;
        for (i, test) in self.security_tests.iter().enumerate() {
            let at = format!("form.securityTests[{i}]");
            choice(
                &format!("{at}.item"),
                "安全检测内容",
                &test.item,
                &SECURITY_TESTS,
            )?;
            choice(
                &format!("{at}.state"),
                "使用单位开展情况",
                &test.state,
                &TEST_STATES,
            )?;
        }
        not_empty("form.hosts", "主机资源情况", &self.hosts)?;
        for (i, host) in self.hosts.iter().enumerate() {
            let at = format!("form.hosts[{i}]");
            required(&format!("{at}.name"), "主机名称", &host.name)?;
            choice(
                &format!("{at}.hostType"),
                "主机类型",
                &host.host_type,
                &HOST_TYPES,
            )?;
            period(&format!("{at}.to"), host.from, host.to)?;
        }
        not_empty(
            "form.networkServices",
            "网络服务情况",
            &self.network_services,
        )?;
        for (i, service) in self.network_services.iter().enumerate() {
            let at = format!("form.networkServices[{i}]");
            required(&format!("{at}.item"), "服务项", &service.item)?;
            not_negative(&format!("{at}.quantity"), "数量", service.quantity)?;
            period(&format!("{at}.to"), service.from, service.to)?;
        }
        optional(
            "form.otherSecurity",
            "其他安全保障服务情况",
            &self.other_security,
        )
    }
}

impl ChangeForm {
    fn check(&self) -> DomainResult<()> {
        required("form.reason", "变更原因", &self.reason)?;
        required("form.currentService", "云服务现状", &self.current_service)?;
        required(
            "form.targetService",
            "变更后云服务情况",
            &self.target_service,
        )?;
        optional("form.feasibility", "变更技术可行性", &self.feasibility)?;
        optional("form.plan", "变更实施方案", &self.plan)?;
        date("form.changeOn", "变更日期", self.change_on)?;
        optional("form.note", "其他说明", &self.note)
    }
}

impl ExitForm {
    fn check(&self) -> DomainResult<()> {
        choice(
            "form.exitType",
            "云服务退出类型",
            &self.exit_type,
            &EXIT_TYPES,
        )?;
        optional("form.situation", "退出情况", &self.situation)?;
        required("form.reason", "退出原因", &self.reason)?;
        required(
            "form.resourcesReleased",
            "退出资源",
            &self.resources_released,
        )?;
        optional("form.exitingAgency", "退出使用单位", &self.exiting_agency)?;
        date("form.exitOn", "退出日期", self.exit_on)?;
        Ok(())
    }

    /// 退出日期 (checked present).
    pub fn exit_on(&self) -> NaiveDate {
        self.exit_on.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(part: PartKind, json: serde_json::Value) -> (String, String) {
        match PartForm::read(part, &json) {
            Err(DomainError::BadInput { field, reason }) => (field, reason),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn an_empty_exit_form_names_its_first_required_field() {
        let (field, reason) = refusal(PartKind::Exit, serde_json::json!({}));
        assert_eq!(field, "form.exitType");
        assert_eq!(reason, "云服务退出类型为必填项");
    }

    #[test]
    fn a_choice_not_on_the_form_is_refused_with_the_choices() {
        let (field, reason) = refusal(
            PartKind::Exit,
            serde_json::json!({"exitType": "迁出", "reason": "r", "resourcesReleased": "x", "exitOn": "2026-10-20"}),
        );
        assert_eq!(field, "form.exitType");
        assert_eq!(reason, "云服务退出类型只能选择：业务系统退出、使用单位退出");
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let (field, _) = refusal(PartKind::Change, serde_json::json!({"colour": "red"}));
        assert_eq!(field, "form");
    }
}
