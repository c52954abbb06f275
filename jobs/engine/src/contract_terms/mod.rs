//! Contract terms as data (spec §5): the breach tables a contract charges
//! (annexes 2 and 3 of the Beijing SLA and lease contract, the Shanghai PaaS
//! table), the major-incident rule of annex 1, the penalty for security
//! rectification not done in time, the grounds for termination and how penalties
//! are paid. Like a scheme, a terms document is versioned JSON an administrator
//! can post; it is refused unless [`ContractTerms::validate`] accepts it.
//!
//! The annual penalty tiers are not breach rows: they belong to the scheme and
//! are applied once, in the settlement statement.
//!
//! Three documents are built in: `bj-sla` (seed 000), `bj-lease` (seed 002) and
//! `sh-paas` (seed 003 §1.2).

mod builtin;
mod error;
mod validate;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use error::TermsError;

use crate::work_order::{ExitTerms, PartDeadlines};

/// A versioned contract-terms document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractTerms {
    /// Stable identifier, e.g. `bj-sla`.
    pub code: String,
    /// Version under its code, from 1; a change is a new version, so a charged
    /// breach can always name the terms it was charged under.
    pub version: u32,
    pub name: String,
    /// The breach tables, each with its own rows.
    pub breach_tables: Vec<BreachTable>,
    /// Annex 1's A- and B-level incidents; `None` where the terms have none
    /// (Shanghai PaaS).
    #[serde(default)]
    pub major_incidents: Option<MajorIncidentRule>,
    /// Rate of the contract amount due when security rectification is not done
    /// in time (seed 002 §13.6: 5 %); `None` where the terms say nothing.
    #[serde(default)]
    pub security_rectification_late_rate: Option<Decimal>,
    /// Further grounds on which the agency may terminate, as the terms word them.
    #[serde(default)]
    pub termination_grounds: Vec<String>,
    /// How penalties are paid.
    #[serde(default)]
    pub penalty_payment: PenaltyPayment,
    /// The unified work order's deadlines and the exit duties' days; `None`
    /// where the terms set none (Shanghai PaaS: the scheme's A1 days apply).
    #[serde(default)]
    pub work_orders: Option<WorkOrderTerms>,
}

/// What a contract's terms say of the unified work order (seed 001 arts.
/// 13–15) and of the exit (seed 000 数据可迁移性, seed 002 第十四条第2款).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkOrderTerms {
    /// Working days per part; a part without days is not assessed.
    pub part_deadlines: PartDeadlines,
    pub exit: ExitTerms,
}

/// A breach table: e.g. 附件2 严重违约行为表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreachTable {
    /// Stable identifier within the document, e.g. `serious`; a breach names its
    /// rows by this code and the row number.
    pub code: String,
    /// The table's title as the contract prints it, e.g. `附件2 严重违约行为表`.
    pub name: String,
    pub rows: Vec<BreachRow>,
}

/// One row of a breach table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreachRow {
    /// The row's number (序号) in its table.
    pub number: u32,
    pub description: String,
    pub charge: Charge,
}

/// What a row costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Charge {
    /// The system's monthly fee × `coefficient` (0.3 = 30 %; annexes 2–3:
    /// 违约金=信息系统云服务费/服务月数*系数).
    MonthlyFeeCoefficient { coefficient: Decimal },
    /// A fixed amount for each event (Shanghai PaaS: 10 万元/次).
    FixedPerEvent { amount: Decimal },
    /// A fixed amount for each item concerned (Shanghai PaaS: 20 万元/项).
    FixedPerItem { amount: Decimal },
}

/// Annex 1: one A-level event, or `b_level_count` B-level events within the
/// term, give the agency the right to terminate, and cost `penalty_rate` of the
/// contract amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MajorIncidentRule {
    /// A-level events that give the right (1 in every seed).
    pub a_level_count: u32,
    /// B-level events that give the right: 2 in the SLA, 3 in the lease.
    pub b_level_count: u32,
    /// Rate of the contract amount: 1 (100 %) in the SLA, 0.05 in the lease.
    pub penalty_rate: Decimal,
}

/// How penalties are paid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PenaltyPayment {
    /// Deducted from the final payment (尾款), what exceeds it paid by the vendor
    /// separately (seed 000: 违约金的支付从尾款中抵扣). Decision (spec §5): the
    /// default when the terms say nothing.
    #[default]
    DeductedFromFinalPayment,
    /// Settled as the parties agree (seed 002 §13.3: 违约金的支付由甲乙双方协商);
    /// with `annex_amounts_are_floors` an agreed amount may not be below the
    /// table's (应不低于附件2、3的规定).
    Negotiated { annex_amounts_are_floors: bool },
}

/// A row named by its table's code and its number, e.g. `general` row 5.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowRef {
    pub table: String,
    pub number: u32,
}

impl RowRef {
    pub fn new(table: &str, number: u32) -> Self {
        Self {
            table: table.to_owned(),
            number,
        }
    }
}

impl std::fmt::Display for RowRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} row {}", self.table, self.number)
    }
}

impl ContractTerms {
    /// The built-in terms: `bj-sla`, `bj-lease` and `sh-paas`, each version 1.
    pub fn builtin() -> Vec<ContractTerms> {
        vec![builtin::bj_sla(), builtin::bj_lease(), builtin::sh_paas()]
    }

    /// Parses a terms document and validates it.
    pub fn from_json(json: &str) -> Result<ContractTerms, TermsError> {
        let terms: ContractTerms =
            serde_json::from_str(json).map_err(|e| TermsError::Json(e.to_string()))?;
        terms.validate()?;
        Ok(terms)
    }

    /// The document as pretty-printed JSON ([`ContractTerms::from_json`] reads it
    /// back to equal terms).
    pub fn to_json(&self) -> Result<String, TermsError> {
        serde_json::to_string_pretty(self).map_err(|e| TermsError::Json(e.to_string()))
    }

    /// The row `at` names, with its table.
    pub fn row(&self, at: &RowRef) -> Option<(&BreachTable, &BreachRow)> {
        let table = self.breach_tables.iter().find(|t| t.code == at.table)?;
        let row = table.rows.iter().find(|r| r.number == at.number)?;
        Some((table, row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_terms_read_back_from_their_json() {
        for terms in ContractTerms::builtin() {
            let json = terms.to_json().expect("serialises");
            assert_eq!(ContractTerms::from_json(&json), Ok(terms));
        }
    }

    #[test]
    fn a_row_is_found_by_table_code_and_number() {
        let sla = builtin::bj_sla();
        let (table, row) = sla.row(&RowRef::new("general", 5)).expect("row 5");
        assert_eq!(table.name, "附件3 一般违约行为表");
        assert_eq!(
            row.description,
            "因所提供的云服务或安全服务出现故障，造成某系统宕机2小时以上"
        );
        assert_eq!(sla.row(&RowRef::new("general", 14)), None);
        assert_eq!(sla.row(&RowRef::new("annual", 1)), None);
    }
}
