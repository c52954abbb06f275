//! The breach register's own mail: the alert to the region's supervisors when
//! a confirmation gives the agency the right to terminate (附件1). The
//! vendor's rectification notice of a confirmed breach is a notice like any
//! other (`NoticeKind::Breach`, rendered by `templates`).

/// The facts of a termination-right alert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminationAlert {
    pub breach_id: i64,
    pub region_name: String,
    pub vendor_name: String,
    pub contract_id: i64,
    /// `A` or `B`: the level whose count reached the threshold.
    pub level: &'static str,
    pub a_level: u32,
    pub b_level: u32,
    pub a_level_needed: u32,
    pub b_level_needed: u32,
    /// `¥60,000.00`: the terms' major-incident penalty.
    pub penalty: String,
    /// `{PUBLIC_URL}/breaches/{id}`.
    pub link: String,
}

/// The breach's page on the console: `{PUBLIC_URL}/breaches/{id}`.
pub fn breach_link(public_url: &str, breach_id: i64) -> String {
    format!("{}/breaches/{breach_id}", public_url.trim_end_matches('/'))
}

/// Subject and body of the alert.
pub fn render_termination_alert(alert: &TerminationAlert) -> (String, String) {
    let subject = format!(
        "重大事件：使用单位有权解除合同 — {} {}",
        alert.region_name, alert.vendor_name
    );
    let body = format!(
        "{region}政务云监管平台：\n\n\
         违约记录 #{id} 已确认为{level}级重大事件。服务商{vendor}在合同 #{contract} 的合同期内\
         已确认 A 级重大事件 {a} 次（达到 {a_needed} 次即可解除合同）、B 级重大事件 {b} 次\
         （达到 {b_needed} 次即可解除合同）。\n\n\
         根据合同条款（附件1），使用单位有权解除合同，服务商应支付违约金 {penalty}。\n\n\
         违约记录：{link}\n\n\
         （本邮件由系统自动发送，请勿直接回复。）\n",
        region = alert.region_name,
        id = alert.breach_id,
        level = alert.level,
        vendor = alert.vendor_name,
        contract = alert.contract_id,
        a = alert.a_level,
        a_needed = alert.a_level_needed,
        b = alert.b_level,
        b_needed = alert.b_level_needed,
        penalty = alert.penalty,
        link = alert.link,
    );
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alert_names_the_right_the_count_and_the_penalty() {
        let alert = TerminationAlert {
            breach_id: 9,
            region_name: "北京市".into(),
            vendor_name: "云甲".into(),
            contract_id: 3,
            level: "B",
            a_level: 0,
            b_level: 2,
            a_level_needed: 1,
            b_level_needed: 2,
            penalty: "¥1,200,000.00".into(),
            link: breach_link("https://x.gov.cn/", 9),
        };
        let (subject, body) = render_termination_alert(&alert);
        assert!(subject.starts_with("重大事件：使用单位有权解除合同"));
        assert!(body.contains("B 级重大事件 2 次"));
        assert!(body.contains("违约金 ¥1,200,000.00"));
        assert!(body.contains("https://x.gov.cn/breaches/9\n"));
    }
}
