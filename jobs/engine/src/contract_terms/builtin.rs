//! The built-in terms, copied from the seeds. Annexes 2 and 3 are the same in
//! the SLA (seed 000) and the lease contract (seed 002); their text is taken from
//! seed 002, whose extraction kept no stray spaces (seed 000's row 13 also misprints
//! 未 as 米).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{
    BreachRow, BreachTable, Charge, ContractTerms, MajorIncidentRule, PenaltyPayment,
    WorkOrderTerms,
};
use crate::work_order::{ExitTerms, PartDeadlines};

/// Annex 2 (严重违约行为表), coefficients in percent.
const SERIOUS: [(&str, u32); 12] = [
    (
        "所提供的云服务可用性低于99.99%，或数据可用性低于99.9999%，出现问题并造成重大损失的",
        200,
    ),
    (
        "因未做好系统和数据互备，由于另一家云服务商服务中断，而导致系统和数据无法正常应用的，但影响未达到B级及以上事故影响的",
        200,
    ),
    (
        "因所提供的安全服务出现故障，导致某系统网页被篡改，造成重大影响",
        600,
    ),
    (
        "因所提供的安全服务出现故障，导致某系统数据丢失，造成重大影响",
        600,
    ),
    (
        "因所提供的安全服务出现故障，导致某系统被入侵，造成重大影响",
        600,
    ),
    (
        "在云安全监管服务商已发出整改通知后未正确处置，出现问题并造成重大事故",
        200,
    ),
    ("平均响应时间大于15分钟且小于30分钟，造成重大事故", 200),
    (
        "运维需求平均响应时间大于30分钟且小于60分钟，造成重大事故",
        200,
    ),
    (
        "运维需求平均故障恢复时间大于30分钟且小于60分钟，造成重大影响",
        100,
    ),
    (
        "运维需求平均故障恢复时间大于60分钟且小于120分钟，造成重大影响",
        200,
    ),
    ("现场无人值守超过大于1小时且小于2小时，造成重大事故", 100),
    ("现场无人值守超过大于2小时且小于4小时，造成重大事故", 200),
];

/// Annex 3 (一般违约行为表), coefficients in percent.
const GENERAL: [(&str, u32); 13] = [
    (
        "所提供的云服务可用性达不到99.99%，或数据可用性低于99.9999%，出现问题但未造成重大损失的",
        50,
    ),
    (
        "所提供的云服务可用性达不到99.99%，或数据可用性低于99.9999%，且在服务期内接到用户投诉此类情况3次以上的",
        20,
    ),
    (
        "在运营期间，甲方对乙方实施月度考核，如乙方连续3次未能通过考核，经限期整改后仍不能达到甲方要求的",
        20,
    ),
    (
        "在运营期内，如乙方未能按照用户方的扩容需求，在7个自然日内完成云平台的资源扩容，且经管理单位书面通知仍未能限期满足用户需求的",
        20,
    ),
    (
        "因所提供的云服务或安全服务出现故障，造成某系统宕机2小时以上",
        30,
    ),
    (
        "因所提供的云服务或安全服务出现故障，造成某系统连续宕机3次以上或累计8小时以上",
        60,
    ),
    (
        "在云安全监管服务商已发出整改通知后未正确处置，出现问题的，未造成重大影响",
        50,
    ),
    (
        "运维需求平均响应时间大于15分钟且小于30分钟，出现问题但未造成重大影响",
        30,
    ),
    (
        "运维需求平均响应时间大于30分钟且小于60分钟，出现问题但未造成重大影响",
        50,
    ),
    (
        "运维需求平均故障恢复时间大于30分钟且小于60分钟，出现问题但未造成重大影响",
        30,
    ),
    (
        "运维需求平均故障恢复时间大于60分钟且小于120分钟，出现问题但未造成重大影响",
        50,
    ),
    (
        "现场无人值守超过大于1小时且小于2小时，出现问题但未造成重大影响",
        30,
    ),
    (
        "现场无人值守超过大于2小时且小于4小时，出现问题但未造成重大影响",
        50,
    ),
];

/// Seed 003 §1.2 项目违约条款, rows 1–7, amounts in 万元. Rows 8–10 (the annual
/// tiers, 5/10/15 % of the year's settlement) are the scheme's penalty tiers,
/// applied in the statement, so they are not breach rows here.
const PAAS: [(&str, u32, PerWhat); 7] = [
    ("使用单位来函投诉云服务问题", 10, PerWhat::Event),
    ("依据本招标要求未能履行的具体条款", 20, PerWhat::Item),
    ("服务故障导致的业务瘫痪未及时恢复", 50, PerWhat::Event),
    ("服务故障导致的业务数据丢失", 50, PerWhat::Event),
    ("服务的安全漏洞影响业务安全", 50, PerWhat::Event),
    ("因PaaS服务商责任导致的大面积业务瘫痪", 100, PerWhat::Event),
    (
        "因PaaS服务商责任导致的业务生产数据泄露",
        100,
        PerWhat::Event,
    ),
];

enum PerWhat {
    Event,
    Item,
}

/// 万元 → 元.
const TEN_THOUSAND: Decimal = dec!(10000);

/// Annex 1, §13.4 (1)–(3) of both Beijing documents.
const BEIJING_GROUNDS: [&str; 3] = [
    "多次在云综合监管服务商已发出整改通知后未正确处置，出现问题并造成B级及以上事故",
    "重大活动期间所承诺的骨干人员和管理人员未到场",
    "连续2个月所承诺的运维服务人员人数未达到合同要求",
];

fn coefficient_table(code: &str, name: &str, rows: &[(&str, u32)]) -> BreachTable {
    BreachTable {
        code: code.into(),
        name: name.into(),
        rows: (1..)
            .zip(rows)
            .map(|(number, &(description, percent))| BreachRow {
                number,
                description: description.into(),
                charge: Charge::MonthlyFeeCoefficient {
                    coefficient: (Decimal::from(percent) / Decimal::ONE_HUNDRED).normalize(),
                },
            })
            .collect(),
    }
}

fn beijing_tables() -> Vec<BreachTable> {
    vec![
        coefficient_table("serious", "附件2 严重违约行为表", &SERIOUS),
        coefficient_table("general", "附件3 一般违约行为表", &GENERAL),
    ]
}

/// The Beijing municipal SLA (seed 000): two B-level events give the right to
/// terminate, 违约金=合同金额*100% (annex 1's header); penalties deducted from
/// the final payment.
pub(super) fn bj_sla() -> ContractTerms {
    ContractTerms {
        code: "bj-sla".into(),
        version: 1,
        name: "北京市政务云服务等级协议（SLA）违约条款".into(),
        breach_tables: beijing_tables(),
        major_incidents: Some(MajorIncidentRule {
            a_level_count: 1,
            b_level_count: 2,
            penalty_rate: dec!(1),
        }),
        security_rectification_late_rate: None,
        termination_grounds: BEIJING_GROUNDS
            .iter()
            .map(|g| g.replace("合同要求", "协议要求"))
            .collect(),
        work_orders: Some(WorkOrderTerms {
            part_deadlines: PartDeadlines::beijing(),
            exit: ExitTerms::sla(),
        }),
        penalty_payment: PenaltyPayment::DeductedFromFinalPayment,
    }
}

/// The Beijing lease contract (seed 002 §13): three B-level events, 5 % of the
/// contract amount (§13.1–2); 5 % for security rectification late (§13.6);
/// payment negotiated with the annexes as floors (§13.3).
pub(super) fn bj_lease() -> ContractTerms {
    let mut grounds: Vec<String> = BEIJING_GROUNDS.iter().map(|g| (*g).to_owned()).collect();
    grounds.push("另一家云服务商提出“双活”需求，不给予配合".into());
    ContractTerms {
        code: "bj-lease".into(),
        version: 1,
        name: "北京市政务云租用项目合同 第十三条 违约责任".into(),
        breach_tables: beijing_tables(),
        major_incidents: Some(MajorIncidentRule {
            a_level_count: 1,
            b_level_count: 3,
            penalty_rate: dec!(0.05),
        }),
        security_rectification_late_rate: Some(dec!(0.05)),
        termination_grounds: grounds,
        penalty_payment: PenaltyPayment::Negotiated {
            annex_amounts_are_floors: true,
        },
        work_orders: Some(WorkOrderTerms {
            part_deadlines: PartDeadlines::beijing(),
            exit: ExitTerms::lease(),
        }),
    }
}

/// Shanghai municipal PaaS terms (seed 003 §1.2): fixed amounts; three failed
/// acceptances give the right to terminate (its 验收要求). Payment: the terms say
/// nothing, so the default applies (deducted from the final payment).
pub(super) fn sh_paas() -> ContractTerms {
    ContractTerms {
        code: "sh-paas".into(),
        version: 1,
        name: "上海市政务云PaaS服务项目违约条款".into(),
        breach_tables: vec![BreachTable {
            code: "paas".into(),
            name: "项目违约条款".into(),
            rows: (1..)
                .zip(&PAAS)
                .map(|(number, (description, wan, per))| {
                    let amount = Decimal::from(*wan) * TEN_THOUSAND;
                    BreachRow {
                        number,
                        description: (*description).into(),
                        charge: match per {
                            PerWhat::Event => Charge::FixedPerEvent { amount },
                            PerWhat::Item => Charge::FixedPerItem { amount },
                        },
                    }
                })
                .collect(),
        }],
        major_incidents: None,
        security_rectification_late_rate: None,
        termination_grounds: vec!["如本项目连续3次验收未通过，采购人有权解除项目".into()],
        penalty_payment: PenaltyPayment::DeductedFromFinalPayment,
        work_orders: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_annexes_have_12_serious_and_13_general_rows() {
        let sla = bj_sla();
        let counts: Vec<usize> = sla.breach_tables.iter().map(|t| t.rows.len()).collect();
        assert_eq!(counts, [12, 13]);
        // Annex 3 row 6: 60 %, row 3: 20 %; annex 2 row 3 (defacement): 600 %.
        let coefficient =
            |table: usize, number: usize| match &sla.breach_tables[table].rows[number - 1].charge {
                Charge::MonthlyFeeCoefficient { coefficient } => *coefficient,
                other => panic!("not a coefficient: {other:?}"),
            };
        assert_eq!(coefficient(1, 6), dec!(0.6));
        assert_eq!(coefficient(1, 3), dec!(0.2));
        assert_eq!(coefficient(0, 3), dec!(6));
    }

    #[test]
    fn shanghai_rows_are_fixed_amounts_in_yuan() {
        let paas = sh_paas();
        let rows = &paas.breach_tables[0].rows;
        assert_eq!(rows.len(), 7);
        // 10 万元/次 = 100,000 元 per event; 20 万元/项 = 200,000 元 per item.
        assert_eq!(
            rows[0].charge,
            Charge::FixedPerEvent {
                amount: dec!(100000)
            }
        );
        assert_eq!(
            rows[1].charge,
            Charge::FixedPerItem {
                amount: dec!(200000)
            }
        );
        assert_eq!(
            rows[6].charge,
            Charge::FixedPerEvent {
                amount: dec!(1000000)
            }
        );
    }
}
