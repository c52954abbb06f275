//! The checks a terms document must pass. Each refusal names the path of the
//! offending field.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{
    BreachRow, BreachTable, Charge, ContractTerms, MajorIncidentRule, TermsError, WorkOrderTerms,
};
use crate::work_order::Part;

/// The annexes' coefficients run from 20 % to 600 %; a document outside that
/// range is more likely a slip (30 typed for 0.3) than a contract.
const COEFFICIENT_RANGE: (Decimal, Decimal) = (dec!(0.2), dec!(6));

impl ContractTerms {
    /// Accepts the terms or says precisely what is wrong with them.
    pub fn validate(&self) -> Result<(), TermsError> {
        not_empty(&self.code, "code")?;
        not_empty(&self.name, "name")?;
        if self.version == 0 {
            return Err(out_of_range("version", 0, "1 or more"));
        }
        if self.breach_tables.is_empty() {
            return Err(TermsError::Empty {
                path: "breach_tables".into(),
            });
        }
        let mut codes = BTreeMap::new();
        for (i, table) in self.breach_tables.iter().enumerate() {
            let path = format!("breach_tables[{i}]");
            table.validate(&path)?;
            unique(&mut codes, &table.code, format!("{path}.code"))?;
        }
        if let Some(rule) = &self.major_incidents {
            rule.validate()?;
        }
        if let Some(rate) = self.security_rectification_late_rate {
            rate_of_contract(rate, "security_rectification_late_rate")?;
        }
        for (i, ground) in self.termination_grounds.iter().enumerate() {
            not_empty(ground, &format!("termination_grounds[{i}]"))?;
        }
        if let Some(work_orders) = &self.work_orders {
            work_orders.validate()?;
        }
        Ok(())
    }
}

impl WorkOrderTerms {
    /// A part's days and the migration days are 1 or more: 0 is a slip (an
    /// unset deadline is written as null, not 0).
    fn validate(&self) -> Result<(), TermsError> {
        for part in Part::ALL {
            if self.part_deadlines.working_days(part) == Some(0) {
                let path = format!("work_orders.part_deadlines.{}", part_key(part));
                return Err(out_of_range(&path, 0, "1 or more, or null"));
            }
        }
        if self.exit.migration_days == 0 {
            return Err(out_of_range(
                "work_orders.exit.migration_days",
                0,
                "1 or more",
            ));
        }
        Ok(())
    }
}

/// The part's key in the terms document.
fn part_key(part: Part) -> &'static str {
    match part {
        Part::Onboarding => "onboarding",
        Part::GoLive => "go_live",
        Part::Change => "change",
        Part::Exit => "exit",
    }
}

impl BreachTable {
    fn validate(&self, path: &str) -> Result<(), TermsError> {
        not_empty(&self.code, &format!("{path}.code"))?;
        not_empty(&self.name, &format!("{path}.name"))?;
        if self.rows.is_empty() {
            return Err(TermsError::Empty {
                path: format!("{path}.rows"),
            });
        }
        let mut numbers = BTreeMap::new();
        for (i, row) in self.rows.iter().enumerate() {
            let path = format!("{path}.rows[{i}]");
            row.validate(&path)?;
            unique(&mut numbers, &row.number, format!("{path}.number"))?;
        }
        Ok(())
    }
}

impl BreachRow {
    fn validate(&self, path: &str) -> Result<(), TermsError> {
        if self.number == 0 {
            return Err(out_of_range(&format!("{path}.number"), 0, "1 or more"));
        }
        not_empty(&self.description, &format!("{path}.description"))?;
        match self.charge {
            Charge::MonthlyFeeCoefficient { coefficient } => {
                let (low, high) = COEFFICIENT_RANGE;
                if coefficient < low || coefficient > high {
                    return Err(out_of_range(
                        &format!("{path}.charge.coefficient"),
                        coefficient,
                        "[0.2, 6] (20 %–600 % of the monthly fee)",
                    ));
                }
            }
            Charge::FixedPerEvent { amount } | Charge::FixedPerItem { amount } => {
                if amount <= Decimal::ZERO || amount.normalize().scale() > 2 {
                    return Err(out_of_range(
                        &format!("{path}.charge.amount"),
                        amount,
                        "above 0, to the fen",
                    ));
                }
            }
        }
        Ok(())
    }
}

impl MajorIncidentRule {
    fn validate(&self) -> Result<(), TermsError> {
        if self.a_level_count == 0 {
            return Err(out_of_range(
                "major_incidents.a_level_count",
                0,
                "1 or more",
            ));
        }
        if self.b_level_count == 0 {
            return Err(out_of_range(
                "major_incidents.b_level_count",
                0,
                "1 or more",
            ));
        }
        rate_of_contract(self.penalty_rate, "major_incidents.penalty_rate")
    }
}

/// A rate of the contract amount: above 0, at most the whole amount (the SLA's
/// 100 %).
fn rate_of_contract(rate: Decimal, path: &str) -> Result<(), TermsError> {
    if rate <= Decimal::ZERO || rate > Decimal::ONE {
        return Err(out_of_range(path, rate, "(0, 1]"));
    }
    Ok(())
}

fn unique<K: Ord + Clone + ToString>(
    seen: &mut BTreeMap<K, String>,
    key: &K,
    path: String,
) -> Result<(), TermsError> {
    if let Some(first) = seen.get(key) {
        return Err(TermsError::Duplicate {
            path,
            value: key.to_string(),
            first: first.clone(),
        });
    }
    seen.insert(key.clone(), path);
    Ok(())
}

fn not_empty(value: &str, path: &str) -> Result<(), TermsError> {
    if value.trim().is_empty() {
        return Err(TermsError::Empty { path: path.into() });
    }
    Ok(())
}

fn out_of_range(path: &str, value: impl ToString, range: &'static str) -> TermsError {
    TermsError::OutOfRange {
        path: path.into(),
        value: value.to_string(),
        range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract_terms::builtin;

    fn refusal(terms: &ContractTerms) -> TermsError {
        terms.validate().expect_err("the terms must be refused")
    }

    #[test]
    fn builtin_terms_are_valid() {
        for terms in ContractTerms::builtin() {
            assert_eq!(terms.validate(), Ok(()), "{}", terms.code);
        }
    }

    #[test]
    fn beijing_terms_carry_the_work_order_days_and_shanghai_none() {
        // Seed 001 arts. 13–15: part 1 3 working days, part 2 1, parts 3–4
        // none; migration help 45 days in the SLA (seed 000), 10 in the lease
        // (seed 002 第十四条第2款).
        let sla = builtin::bj_sla().work_orders.expect("bj-sla has them");
        let lease = builtin::bj_lease().work_orders.expect("bj-lease has them");
        assert_eq!(sla.part_deadlines.working_days(Part::Onboarding), Some(3));
        assert_eq!(sla.part_deadlines.working_days(Part::GoLive), Some(1));
        assert_eq!(sla.part_deadlines.working_days(Part::Change), None);
        assert_eq!(lease.part_deadlines.working_days(Part::Exit), None);
        assert_eq!(sla.exit.migration_days, 45);
        assert_eq!(lease.exit.migration_days, 10);
        assert_eq!(builtin::sh_paas().work_orders, None);
    }

    #[test]
    fn refuses_zero_work_order_days() {
        let mut terms = builtin::bj_lease();
        let mut days = terms.work_orders.expect("bj-lease has them");
        days.part_deadlines.go_live = Some(0);
        terms.work_orders = Some(days);
        assert!(matches!(
            refusal(&terms),
            TermsError::OutOfRange { path, .. } if path == "work_orders.part_deadlines.go_live"
        ));
        days.part_deadlines.go_live = Some(1);
        days.exit.migration_days = 0;
        terms.work_orders = Some(days);
        assert!(matches!(
            refusal(&terms),
            TermsError::OutOfRange { path, .. } if path == "work_orders.exit.migration_days"
        ));
    }

    #[test]
    fn refuses_a_coefficient_outside_20_to_600_percent() {
        let mut terms = builtin::bj_sla();
        // 30 typed for 30 % (0.3): 3,000 % of the monthly fee.
        terms.breach_tables[1].rows[4].charge = Charge::MonthlyFeeCoefficient {
            coefficient: dec!(30),
        };
        let err = refusal(&terms);
        assert_eq!(
            err.to_string(),
            "breach_tables[1].rows[4].charge.coefficient: 30 is outside [0.2, 6] (20 %–600 % of the monthly fee)"
        );
    }

    #[test]
    fn refuses_a_fixed_amount_of_zero_or_below_the_fen() {
        let mut terms = builtin::sh_paas();
        terms.breach_tables[0].rows[0].charge = Charge::FixedPerEvent { amount: dec!(0) };
        assert!(matches!(
            refusal(&terms),
            TermsError::OutOfRange { path, .. } if path == "breach_tables[0].rows[0].charge.amount"
        ));
        terms.breach_tables[0].rows[0].charge = Charge::FixedPerEvent {
            amount: dec!(100.001),
        };
        assert!(matches!(
            refusal(&terms),
            TermsError::OutOfRange { path, .. } if path == "breach_tables[0].rows[0].charge.amount"
        ));
    }

    #[test]
    fn refuses_a_row_number_used_twice_in_a_table() {
        let mut terms = builtin::bj_lease();
        terms.breach_tables[0].rows[1].number = 1;
        assert_eq!(
            refusal(&terms),
            TermsError::Duplicate {
                path: "breach_tables[0].rows[1].number".into(),
                value: "1".into(),
                first: "breach_tables[0].rows[0].number".into(),
            }
        );
    }

    #[test]
    fn refuses_a_table_code_used_twice() {
        let mut terms = builtin::bj_lease();
        terms.breach_tables[1].code = "serious".into();
        assert_eq!(
            refusal(&terms),
            TermsError::Duplicate {
                path: "breach_tables[1].code".into(),
                value: "serious".into(),
                first: "breach_tables[0].code".into(),
            }
        );
    }

    #[test]
    fn refuses_a_b_level_count_of_zero() {
        let mut terms = builtin::bj_sla();
        if let Some(rule) = terms.major_incidents.as_mut() {
            rule.b_level_count = 0;
        }
        assert_eq!(
            refusal(&terms).to_string(),
            "major_incidents.b_level_count: 0 is outside 1 or more"
        );
    }

    #[test]
    fn refuses_a_rate_of_the_contract_above_100_percent() {
        let mut terms = builtin::bj_lease();
        // 5 typed for 5 % (0.05).
        terms.security_rectification_late_rate = Some(dec!(5));
        assert_eq!(
            refusal(&terms).to_string(),
            "security_rectification_late_rate: 5 is outside (0, 1]"
        );
    }

    #[test]
    fn refuses_an_empty_description_and_an_empty_ground() {
        let mut terms = builtin::bj_sla();
        terms.breach_tables[0].rows[2].description = "  ".into();
        assert_eq!(
            refusal(&terms).to_string(),
            "breach_tables[0].rows[2].description: must not be empty"
        );
        let mut terms = builtin::sh_paas();
        terms.termination_grounds.push(String::new());
        assert_eq!(
            refusal(&terms).to_string(),
            "termination_grounds[1]: must not be empty"
        );
    }

    #[test]
    fn refuses_unknown_fields_naming_them() {
        let json = builtin::sh_paas().to_json().expect("json").replacen(
            "\"version\"",
            "\"penalty_tiers\": [],\n  \"version\"",
            1,
        );
        let err = ContractTerms::from_json(&json).expect_err("unknown field");
        assert!(err.to_string().contains("penalty_tiers"), "{err}");
    }
}
