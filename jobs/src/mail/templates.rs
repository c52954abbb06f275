//! One template per notice kind, in Chinese: the subject names the region, the
//! vendor and what happened; the body states the reason, the basis, the
//! deadline and how to answer. Rendering is pure, so each template is tested
//! here and the caller only has to gather the facts.

use chrono::NaiveDate;
use entities::notice::NoticeKind;

/// The facts one notice's mail is rendered from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeMail {
    pub kind: NoticeKind,
    pub vendor_name: String,
    pub region_name: String,
    /// The assessment period of an assessment notice, `2025-03` or `2025`; it
    /// keeps one month's notice apart from the next in the vendor's inbox.
    /// `None` for security risks and manual notices.
    pub period: Option<String>,
    pub reason: String,
    /// One line per fact the notice rests on, as shown to the vendor.
    pub basis: Vec<String>,
    pub deadline: NaiveDate,
    pub notice_id: i64,
    /// `沪政云监〔2026〕第12号`.
    pub document_number: String,
    /// The notice's page: `{PUBLIC_URL}/notices/{id}`.
    pub link: String,
    /// The region's supervision contact; `None`: the mail names the region.
    pub contact: Option<String>,
}

/// The notice's page on the console: `{PUBLIC_URL}/notices/{id}`.
pub fn notice_link(public_url: &str, notice_id: i64) -> String {
    format!("{}/notices/{notice_id}", public_url.trim_end_matches('/'))
}

/// What a notice of `kind` is about, as its mail's subject says it
/// (`月度考核未达标`); the console names the kind with the same words.
pub fn topic(kind: NoticeKind) -> &'static str {
    Template::of(kind).topic
}

/// Whom to ask: the contact set on the region, else its supervision office.
pub fn contact_text(contact: Option<&str>, region_name: &str) -> String {
    match contact.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_owned(),
        None => format!("{region_name}政务云监管部门"),
    }
}

/// The subject and the plain-text body of a notice's mail.
pub fn render(notice: &NoticeMail) -> (String, String) {
    let template = Template::of(notice.kind);
    let subject = format!(
        "【整改通知】{}：{}{} {}",
        notice.region_name,
        notice.vendor_name,
        notice
            .period
            .as_deref()
            .map(|p| format!(" {p}"))
            .unwrap_or_default(),
        template.topic,
    );
    (subject, body(notice, &template.opening(notice)))
}

/// What differs between the kinds: the subject's topic and the opening line.
struct Template {
    topic: &'static str,
    opening: fn(region: &str, period: &str) -> String,
}

impl Template {
    fn of(kind: NoticeKind) -> Self {
        match kind {
            NoticeKind::MonthlyBelowPassMark => Self {
                topic: "月度考核未达标",
                opening: |region, period| {
                    format!(
                        "根据{region}政务云服务月度考核结果，贵单位{period}考核得分未达到合格标准。"
                    )
                },
            },
            NoticeKind::AnnualPenalty => Self {
                topic: "年度考核扣罚",
                opening: |region, period| {
                    format!(
                        "根据{region}政务云服务{period}考核结果，贵单位年度考核得分已达到扣罚标准。"
                    )
                },
            },
            NoticeKind::SecurityRiskOverdue => Self {
                topic: "安全风险逾期未整改",
                opening: |region, _| {
                    format!(
                        "经{region}政务云监管核查，贵单位负责整改的安全风险已超过规定期限仍未完成整改。"
                    )
                },
            },
            NoticeKind::Manual => Self {
                topic: "监管事项整改",
                opening: |region, _| {
                    format!("经{region}政务云监管检查，发现贵单位存在以下需要整改的问题。")
                },
            },
            NoticeKind::Breach => Self {
                topic: "违约整改",
                opening: |region, _| {
                    format!(
                        "经{region}政务云监管确认，贵单位存在合同约定的违约事件，将按合同条款计收违约金。"
                    )
                },
            },
            NoticeKind::ExitDutyOverdue => Self {
                topic: "退出义务逾期未履行",
                opening: |region, _| {
                    format!(
                        "经{region}政务云监管核查，贵单位在信息系统退出中的以下义务已超过合同约定期限仍未履行。"
                    )
                },
            },
        }
    }

    fn opening(&self, notice: &NoticeMail) -> String {
        let period = notice
            .period
            .as_deref()
            .map(period_text)
            .unwrap_or_default();
        (self.opening)(&notice.region_name, &period)
    }
}

fn body(notice: &NoticeMail, opening: &str) -> String {
    let basis = if notice.basis.is_empty() {
        "（无）".to_owned()
    } else {
        notice
            .basis
            .iter()
            .enumerate()
            .map(|(i, line)| format!("{}. {line}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "文号：{number}\n\n\
         {vendor}：\n\n\
         {opening}现将有关事项通知如下：\n\n\
         一、整改事由\n{reason}\n\n\
         二、依据\n{basis}\n\n\
         三、整改要求\n请于{deadline}前完成整改，并通过政务云监管平台提交整改情况说明（文号：{number}）。\
         逾期未完成整改的，将按考核办法的有关规定处理。\n\n\
         四、答复方式\n请登录政务云监管平台，打开本通知页面：\n{link}\n\
         先点击“确认收到”，再于{deadline}前点击“提交整改情况”，填写整改说明并上传相关附件（整改报告、截图等）。\n\n\
         五、联系人\n如有疑问，请联系{contact}。\n\n\
         特此通知。\n\n\
         {region}政务云监管平台\n\
         （本邮件由系统自动发送，请勿直接回复。）\n",
        number = notice.document_number,
        vendor = notice.vendor_name,
        reason = notice.reason,
        deadline = engine::date_text(notice.deadline),
        link = notice.link,
        contact = contact_text(notice.contact.as_deref(), &notice.region_name),
        region = notice.region_name,
    )
}

/// The facts of the mail that withdraws a superseded notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupersededMail {
    pub vendor_name: String,
    pub region_name: String,
    /// The assessment period, `2025-03` or `2025`.
    pub period: String,
    /// Why the notice no longer holds, one sentence.
    pub why: String,
    pub notice_id: i64,
    /// The withdrawn notice's number, `沪政云监〔2026〕第12号`.
    pub document_number: String,
    /// The withdrawn notice's page, where its closing is recorded.
    pub link: String,
}

/// The subject and body of the mail that withdraws a notice.
pub fn render_superseded(mail: &SupersededMail) -> (String, String) {
    let subject = format!(
        "【整改通知撤销】{}：{} {} 整改通知（{}）已撤销",
        mail.region_name, mail.vendor_name, mail.period, mail.document_number
    );
    let body = format!(
        "{vendor}：\n\n\
         {region}政务云服务{period}考核结果已更新：{why}。\n\
         原整改通知（{number}）所依据的考核结果不再成立，该通知已撤销，无需再按其整改。\n\
         通知页面：{link}\n\n\
         特此通知。\n\n\
         {region}政务云监管平台\n\
         （本邮件由系统自动发送，请勿直接回复。）\n",
        vendor = mail.vendor_name,
        region = mail.region_name,
        period = period_text(&mail.period),
        why = mail.why,
        number = mail.document_number,
        link = mail.link,
    );
    (subject, body)
}

/// What a step of a notice's lifecycle tells the other side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepMailKind {
    /// To the region's supervisors: the vendor submitted its rectification.
    Submitted,
    /// To the vendor: the supervisor accepted it, the notice is closed.
    Accepted,
    /// To the vendor: the supervisor sent it back.
    Reopened,
}

/// The facts of a lifecycle step's mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepMail {
    pub kind: StepMailKind,
    pub vendor_name: String,
    pub region_name: String,
    pub document_number: String,
    pub deadline: NaiveDate,
    /// The vendor's rectification as submitted.
    pub rectification: Option<String>,
    pub link: String,
    pub contact: Option<String>,
}

/// The subject and body of a lifecycle step's mail.
pub fn render_step(mail: &StepMail) -> (String, String) {
    let number = &mail.document_number;
    let link = &mail.link;
    let footer = format!(
        "{}政务云监管平台\n（本邮件由系统自动发送，请勿直接回复。）\n",
        mail.region_name
    );
    match mail.kind {
        StepMailKind::Submitted => (
            format!(
                "【整改情况待审核】{}：{} 已提交整改情况（{number}）",
                mail.region_name, mail.vendor_name
            ),
            format!(
                "{region}政务云监管人员：\n\n\
                 {vendor}已就整改通知（{number}）提交整改情况，请审核：\n\n\
                 {text}\n\n\
                 请登录政务云监管平台打开该通知，核实后点击“验收通过”或“退回重新整改”：\n{link}\n\n{footer}",
                region = mail.region_name,
                vendor = mail.vendor_name,
                text = mail.rectification.as_deref().unwrap_or("（无）"),
            ),
        ),
        StepMailKind::Accepted => (
            format!(
                "【整改通过】{}：{} 整改通知（{number}）已通过",
                mail.region_name, mail.vendor_name
            ),
            format!(
                "{vendor}：\n\n\
                 贵单位就整改通知（{number}）提交的整改情况已经{region}政务云监管部门审核通过，该通知已办结。\n\
                 通知详情：\n{link}\n\n{footer}",
                vendor = mail.vendor_name,
                region = mail.region_name,
            ),
        ),
        StepMailKind::Reopened => (
            format!(
                "【整改退回】{}：{} 整改通知（{number}）需重新整改",
                mail.region_name, mail.vendor_name
            ),
            format!(
                "{vendor}：\n\n\
                 贵单位就整改通知（{number}）提交的整改情况未通过{region}政务云监管部门审核，已退回。\n\
                 请登录政务云监管平台打开本通知页面：\n{link}\n\
                 点击“确认收到”后，于{deadline}前重新点击“提交整改情况”，填写整改说明并上传相关附件。\n\
                 如有疑问，请联系{contact}。\n\n{footer}",
                vendor = mail.vendor_name,
                region = mail.region_name,
                deadline = engine::date_text(mail.deadline),
                contact = contact_text(mail.contact.as_deref(), &mail.region_name),
            ),
        ),
    }
}

/// A dispute's page on the console: `{PUBLIC_URL}/disputes/{id}`.
pub fn dispute_link(public_url: &str, dispute_id: i64) -> String {
    format!("{}/disputes/{dispute_id}", public_url.trim_end_matches('/'))
}

/// What a dispute's mail tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DisputeMailKind {
    /// To the region's supervisors: a vendor disputed a deduction.
    Filed,
    /// To both sides: accepted, the fact's flag cleared (`cleared` says
    /// which, in Chinese), the month re-assessed as a draft.
    Accepted { cleared: &'static str },
    /// To both sides: rejected.
    Rejected,
}

/// The facts of a dispute's mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeMail {
    pub kind: DisputeMailKind,
    pub dispute_id: i64,
    pub vendor_name: String,
    pub region_name: String,
    /// `2026-10`.
    pub period: String,
    /// `C1 有责投诉 扣 5.00 分：投诉「…」`.
    pub deduction: String,
    pub reason: String,
    pub decision_reason: Option<String>,
    pub link: String,
}

/// The subject and body of a dispute's mail.
pub fn render_dispute(mail: &DisputeMail) -> (String, String) {
    let period = period_text(&mail.period);
    let footer = format!(
        "{}政务云监管平台\n（本邮件由系统自动发送，请勿直接回复。）\n",
        mail.region_name
    );
    let head = format!(
        "申诉编号：{id}\n云服务商：{vendor}\n考核月份：{period}\n申诉的扣分：{deduction}\n申诉理由：{reason}\n",
        id = mail.dispute_id,
        vendor = mail.vendor_name,
        deduction = mail.deduction,
        reason = mail.reason,
    );
    let (word, sentence, label) = match &mail.kind {
        DisputeMailKind::Filed => {
            return (
                format!(
                    "【考核申诉待处理】{}：{} 对{period}考核扣分提出申诉（申诉 #{}）",
                    mail.region_name, mail.vendor_name, mail.dispute_id
                ),
                format!(
                    "{region}政务云监管人员：\n\n{vendor}对{period}考核结果中的一项扣分提出申诉，请核实处理：\n\n{head}\n\
                     请登录政务云监管平台打开该申诉，选择“采纳”（取消服务商责任或取消确认，本月将重新考核）或“驳回”（须说明理由）：\n{link}\n\n{footer}",
                    region = mail.region_name,
                    vendor = mail.vendor_name,
                    link = mail.link,
                ),
            );
        }
        DisputeMailKind::Accepted { cleared } => (
            "已采纳",
            format!(
                "已经{region}政务云监管部门采纳：相关事实已{cleared}，不再计入考核。\n\
                 {period}考核已重新计算，新的考核结果为草稿，经监管部门发布后生效。",
                region = mail.region_name
            ),
            "处理意见",
        ),
        DisputeMailKind::Rejected => (
            "已驳回",
            format!(
                "经{}政务云监管部门核实，未予采纳，原考核结果不变。",
                mail.region_name
            ),
            "驳回理由",
        ),
    };
    (
        format!(
            "【考核申诉{word}】{}：{} {period}考核申诉（申诉 #{}）",
            mail.region_name, mail.vendor_name, mail.dispute_id
        ),
        format!(
            "{vendor}及{region}政务云监管人员：\n\n申诉 #{id} {sentence}\n\n{head}{label}：{decision}\n\n\
             申诉详情：\n{link}\n\n{footer}",
            vendor = mail.vendor_name,
            region = mail.region_name,
            id = mail.dispute_id,
            decision = mail.decision_reason.as_deref().unwrap_or("（未填写）"),
            link = mail.link,
        ),
    )
}

/// `2025-03` → `2025年3月`, `2025` → `2025年度`; anything else as given.
fn period_text(period: &str) -> String {
    match period.split_once('-') {
        Some((year, month)) => match month.parse::<u32>() {
            Ok(m) => format!("{year}年{m}月"),
            Err(_) => period.to_owned(),
        },
        None if period.len() == 4 && period.chars().all(|c| c.is_ascii_digit()) => {
            format!("{period}年度")
        }
        None => period.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use NoticeKind::{AnnualPenalty, Manual, MonthlyBelowPassMark, SecurityRiskOverdue};

    fn notice(kind: NoticeKind, period: Option<&str>) -> NoticeMail {
        NoticeMail {
            kind,
            vendor_name: "云端科技有限公司".to_owned(),
            region_name: "临江市".to_owned(),
            period: period.map(str::to_owned),
            reason: "月度考核得分 82.50 分，低于合格线 85.00 分".to_owned(),
            basis: vec![
                "A1 服务交付及时率 扣 2.00 分：工单「扩容申请」（2025-03-03 10:00 审批）未完成"
                    .to_owned(),
                "D1 服务可用性 扣 5.00 分：云服务 ECS 可用率 99.5 %".to_owned(),
            ],
            deadline: NaiveDate::from_ymd_opt(2025, 4, 30).unwrap(),
            notice_id: 17,
            document_number: "临江政云监〔2025〕第3号".to_owned(),
            link: notice_link("https://yun.example.gov.cn/", 17),
            contact: Some("张敏 021-12345678".to_owned()),
        }
    }

    #[test]
    fn body_carries_the_number_the_link_how_to_answer_by_when_and_whom_to_ask() {
        let (_, body) = render(&notice(MonthlyBelowPassMark, Some("2025-03")));
        for expected in [
            "文号：临江政云监〔2025〕第3号\n",
            // The trailing slash of PUBLIC_URL is not doubled.
            "https://yun.example.gov.cn/notices/17\n",
            "先点击“确认收到”，再于2025年4月30日前点击“提交整改情况”",
            "如有疑问，请联系张敏 021-12345678。",
        ] {
            assert!(body.contains(expected), "missing {expected:?} in\n{body}");
        }
        let mut n = notice(Manual, None);
        n.contact = None;
        assert!(
            render(&n)
                .1
                .contains("如有疑问，请联系临江市政务云监管部门。")
        );
    }

    #[test]
    fn step_mails_name_the_number_and_the_link() {
        let mail = StepMail {
            kind: StepMailKind::Submitted,
            vendor_name: "云端科技有限公司".to_owned(),
            region_name: "临江市".to_owned(),
            document_number: "临江政云监〔2025〕第3号".to_owned(),
            deadline: NaiveDate::from_ymd_opt(2025, 4, 30).unwrap(),
            rectification: Some("已扩容并补录工单".to_owned()),
            link: "http://127.0.0.1:8080/notices/17".to_owned(),
            contact: None,
        };
        let (subject, body) = render_step(&mail);
        assert_eq!(
            subject,
            "【整改情况待审核】临江市：云端科技有限公司 已提交整改情况（临江政云监〔2025〕第3号）"
        );
        assert!(
            body.contains("已扩容并补录工单") && body.contains("/notices/17"),
            "{body}"
        );
        let (subject, _) = render_step(&StepMail {
            kind: StepMailKind::Accepted,
            ..mail.clone()
        });
        assert!(subject.starts_with("【整改通过】"), "{subject}");
        let (_, body) = render_step(&StepMail {
            kind: StepMailKind::Reopened,
            ..mail
        });
        assert!(
            body.contains("于2025年4月30日前重新点击“提交整改情况”"),
            "{body}"
        );
        assert!(body.contains("请联系临江市政务云监管部门"), "{body}");
    }

    #[test]
    fn monthly_notice_names_the_month_in_subject_and_body() {
        let (subject, body) = render(&notice(MonthlyBelowPassMark, Some("2025-03")));
        assert_eq!(
            subject,
            "【整改通知】临江市：云端科技有限公司 2025-03 月度考核未达标"
        );
        assert!(
            body.contains("贵单位2025年3月考核得分未达到合格标准"),
            "{body}"
        );
    }

    #[test]
    fn annual_notice_names_the_year() {
        let (subject, body) = render(&notice(AnnualPenalty, Some("2025")));
        assert_eq!(
            subject,
            "【整改通知】临江市：云端科技有限公司 2025 年度考核扣罚"
        );
        assert!(body.contains("临江市政务云服务2025年度考核结果"), "{body}");
    }

    #[test]
    fn overdue_risk_notice_has_no_period() {
        let (subject, body) = render(&notice(SecurityRiskOverdue, None));
        assert_eq!(
            subject,
            "【整改通知】临江市：云端科技有限公司 安全风险逾期未整改"
        );
        assert!(
            body.contains("安全风险已超过规定期限仍未完成整改"),
            "{body}"
        );
    }

    #[test]
    fn manual_notice_uses_the_manual_wording() {
        let (manual, _) = render(&notice(Manual, None));
        assert_eq!(manual, "【整改通知】临江市：云端科技有限公司 监管事项整改");
    }

    #[test]
    fn body_lists_vendor_reason_numbered_basis_deadline_and_notice_number() {
        let (_, body) = render(&notice(MonthlyBelowPassMark, Some("2025-03")));
        for expected in [
            "云端科技有限公司：\n",
            "一、整改事由\n月度考核得分 82.50 分，低于合格线 85.00 分\n",
            "二、依据\n1. A1 服务交付及时率 扣 2.00 分：工单「扩容申请」（2025-03-03 10:00 审批）未完成\n2. D1 服务可用性 扣 5.00 分：云服务 ECS 可用率 99.5 %\n",
            "请于2025年4月30日前完成整改",
            "（文号：临江政云监〔2025〕第3号）",
            "特此通知。",
            "临江市政务云监管平台",
        ] {
            assert!(body.contains(expected), "missing {expected:?} in\n{body}");
        }
    }

    #[test]
    fn an_empty_basis_says_so() {
        let mut n = notice(Manual, None);
        n.basis.clear();
        assert!(render(&n).1.contains("二、依据\n（无）\n"));
    }

    #[test]
    fn dates_and_periods_read_the_chinese_way() {
        assert_eq!(
            engine::date_text(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            "2026年1月5日"
        );
        assert_eq!(period_text("2025-03"), "2025年3月");
        assert_eq!(period_text("2025"), "2025年度");
        assert_eq!(period_text("Q1"), "Q1");
    }

    #[test]
    fn dispute_mails_name_the_deduction_the_decision_and_the_link() {
        let mail = DisputeMail {
            kind: DisputeMailKind::Filed,
            dispute_id: 4,
            vendor_name: "华东云".into(),
            region_name: "上海市".into(),
            period: "2025-03".into(),
            deduction: "C1 有责投诉 扣 5.00 分：投诉「延误」".into(),
            reason: "该投诉系使用单位误报".into(),
            decision_reason: None,
            link: dispute_link("https://yun.example.gov.cn/", 4),
        };
        let (subject, body) = render_dispute(&mail);
        assert_eq!(
            subject,
            "【考核申诉待处理】上海市：华东云 对2025年3月考核扣分提出申诉（申诉 #4）"
        );
        for expected in [
            "申诉的扣分：C1 有责投诉 扣 5.00 分：投诉「延误」\n",
            "申诉理由：该投诉系使用单位误报\n",
            "https://yun.example.gov.cn/disputes/4\n",
        ] {
            assert!(body.contains(expected), "missing {expected:?} in\n{body}");
        }
        let accepted = DisputeMail {
            kind: DisputeMailKind::Accepted {
                cleared: "取消服务商责任",
            },
            ..mail.clone()
        };
        let (subject, body) = render_dispute(&accepted);
        assert!(subject.starts_with("【考核申诉已采纳】"), "{subject}");
        assert!(body.contains("相关事实已取消服务商责任"), "{body}");
        assert!(body.contains("处理意见：（未填写）"), "{body}");
        let rejected = DisputeMail {
            kind: DisputeMailKind::Rejected,
            decision_reason: Some("投诉经核实属实".into()),
            ..mail
        };
        let (subject, body) = render_dispute(&rejected);
        assert!(subject.starts_with("【考核申诉已驳回】"), "{subject}");
        assert!(body.contains("驳回理由：投诉经核实属实"), "{body}");
    }

    #[test]
    fn a_withdrawal_names_the_notice_by_its_number_and_links_its_page() {
        let mail = SupersededMail {
            vendor_name: "华东云".into(),
            region_name: "上海市".into(),
            period: "2025-03".into(),
            why: "重新考核后得分已达合格线".into(),
            notice_id: 17,
            document_number: "沪政云监〔2025〕第3号".into(),
            link: notice_link("https://yun.example.gov.cn", 17),
        };
        let (subject, body) = render_superseded(&mail);
        assert!(
            subject.contains("（沪政云监〔2025〕第3号）已撤销"),
            "{subject}"
        );
        assert!(
            body.contains("原整改通知（沪政云监〔2025〕第3号）"),
            "{body}"
        );
        assert!(
            body.contains("通知页面：https://yun.example.gov.cn/notices/17\n"),
            "{body}"
        );
        assert!(body.contains("2025年3月考核结果已更新"), "{body}");
    }
}
