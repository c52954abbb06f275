//! What a breach costs under its contract terms (spec §5).
//!
//! - a row of a breach table: the system's monthly fee × the row's coefficient,
//!   or the row's fixed amount (per event, or per item concerned);
//! - one event matching several rows is charged once, at its heaviest row
//!   (择其重者), heaviest by amount;
//! - major incidents: the A-level event, or the N-th B-level event within the
//!   term, gives the agency the right to terminate and costs the terms' rate ×
//!   the contract amount;
//! - security rectification not done in time: the terms' rate × the contract
//!   amount.
//!
//! Amounts are kept exact and rounded half-up to the fen once, when charged.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::contract_terms::{Charge, ContractTerms, MajorIncidentRule, PenaltyPayment, RowRef};
use crate::rounding::round_half_up_2dp;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BreachError {
    #[error("rows: an event must match at least one row")]
    NoRows,

    #[error("rows: {0} is not a row of terms {1}")]
    UnknownRow(RowRef, String),

    #[error("{field}: {value} is negative")]
    Negative { field: &'static str, value: Decimal },

    #[error("service_months: must be 1 or more")]
    NoServiceMonths,

    #[error("items: a row charged per item needs 1 or more items")]
    NoItems,

    #[error(
        "agreed_amount: {agreed} is below {floor}, the amount of {row}; the terms make the annex amounts floors"
    )]
    BelowFloor {
        agreed: Decimal,
        floor: Decimal,
        row: RowRef,
    },

    #[error("agreed_amount: terms {0} deduct the annex amounts; there is nothing to negotiate")]
    NotNegotiable(String),
}

/// A system's monthly fee: its share of the contract amount / service months
/// (spec §5; one system: the whole amount). Exact, not rounded: only the
/// penalty it leads to is.
pub fn monthly_fee(system_amount: Decimal, service_months: u32) -> Result<Decimal, BreachError> {
    not_negative("system_amount", system_amount)?;
    if service_months == 0 {
        return Err(BreachError::NoServiceMonths);
    }
    Ok(system_amount / Decimal::from(service_months))
}

/// How an event was charged: the row it was charged at and the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCharge {
    /// The heaviest of the rows the event matched.
    pub row: RowRef,
    pub basis: ChargeBasis,
    /// Half-up to the fen.
    pub amount: Decimal,
}

/// The arithmetic behind an [`EventCharge`], to be shown with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChargeBasis {
    MonthlyFee {
        monthly_fee: Decimal,
        coefficient: Decimal,
    },
    PerEvent {
        amount: Decimal,
    },
    PerItem {
        amount: Decimal,
        items: u32,
    },
}

/// Charges one event that matched `rows`, once, at the heaviest of them.
/// `items` counts the items concerned for rows charged per item (ignored by the
/// others). Of rows costing the same, the first listed is named.
pub fn charge_event(
    terms: &ContractTerms,
    rows: &[RowRef],
    monthly_fee: Decimal,
    items: u32,
) -> Result<EventCharge, BreachError> {
    not_negative("monthly_fee", monthly_fee)?;
    let mut heaviest: Option<EventCharge> = None;
    for at in rows {
        let (_, row) = terms
            .row(at)
            .ok_or_else(|| BreachError::UnknownRow(at.clone(), terms.code.clone()))?;
        let charge = charge_row(at, &row.charge, monthly_fee, items)?;
        if heaviest.as_ref().is_none_or(|h| charge.amount > h.amount) {
            heaviest = Some(charge);
        }
    }
    heaviest.ok_or(BreachError::NoRows)
}

fn charge_row(
    at: &RowRef,
    charge: &Charge,
    monthly_fee: Decimal,
    items: u32,
) -> Result<EventCharge, BreachError> {
    let (basis, exact) = match *charge {
        Charge::MonthlyFeeCoefficient { coefficient } => (
            ChargeBasis::MonthlyFee {
                monthly_fee,
                coefficient,
            },
            monthly_fee * coefficient,
        ),
        Charge::FixedPerEvent { amount } => (ChargeBasis::PerEvent { amount }, amount),
        Charge::FixedPerItem { amount } => {
            if items == 0 {
                return Err(BreachError::NoItems);
            }
            (
                ChargeBasis::PerItem { amount, items },
                amount * Decimal::from(items),
            )
        }
    };
    Ok(EventCharge {
        row: at.clone(),
        basis,
        amount: round_half_up_2dp(exact),
    })
}

/// The amount the parties agreed for a charged event, where the terms leave
/// payment to negotiation (seed 002 §13.3); with the annexes as floors it may
/// not be below the table's amount.
pub fn agreed_amount(
    terms: &ContractTerms,
    charged: &EventCharge,
    agreed: Decimal,
) -> Result<Decimal, BreachError> {
    not_negative("agreed_amount", agreed)?;
    match terms.penalty_payment {
        PenaltyPayment::DeductedFromFinalPayment => {
            Err(BreachError::NotNegotiable(terms.code.clone()))
        }
        PenaltyPayment::Negotiated {
            annex_amounts_are_floors: true,
        } if agreed < charged.amount => Err(BreachError::BelowFloor {
            agreed,
            floor: charged.amount,
            row: charged.row.clone(),
        }),
        PenaltyPayment::Negotiated { .. } => Ok(round_half_up_2dp(agreed)),
    }
}

/// A major incident's level (annex 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentLevel {
    A,
    B,
}

/// What the major incidents of a term amount to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorIncidents {
    /// Which count gave the agency the right to terminate; `None`: no right yet.
    pub termination_right: Option<IncidentLevel>,
    /// rate × contract amount, half-up to the fen, once the right is given; 0
    /// before.
    pub penalty: Decimal,
}

impl MajorIncidentRule {
    /// Whether the event that brings `level`'s count within the term to `count`
    /// is the one that gives the right (the A-level event, the N-th B-level):
    /// true exactly once, so an alert goes out once.
    pub fn reached_by(&self, level: IncidentLevel, count: u32) -> bool {
        count == self.threshold(level)
    }

    fn threshold(&self, level: IncidentLevel) -> u32 {
        match level {
            IncidentLevel::A => self.a_level_count,
            IncidentLevel::B => self.b_level_count,
        }
    }

    /// The termination right and penalty of a term with `a_level` A-level and
    /// `b_level` B-level events confirmed. Decision: the penalty is due once per
    /// term, however many events beyond the threshold follow — the right to
    /// terminate it accompanies is given once. The A level is named first.
    pub fn assess(
        &self,
        a_level: u32,
        b_level: u32,
        contract_amount: Decimal,
    ) -> Result<MajorIncidents, BreachError> {
        not_negative("contract_amount", contract_amount)?;
        let termination_right = if a_level >= self.a_level_count {
            Some(IncidentLevel::A)
        } else if b_level >= self.b_level_count {
            Some(IncidentLevel::B)
        } else {
            None
        };
        let penalty = match termination_right {
            Some(_) => round_half_up_2dp(contract_amount * self.penalty_rate),
            None => Decimal::ZERO,
        };
        Ok(MajorIncidents {
            termination_right,
            penalty,
        })
    }
}

/// Security rectification not done in time (seed 002 §13.6): rate × contract
/// amount, half-up to the fen; `None` where the terms set no such penalty.
pub fn security_rectification_penalty(
    terms: &ContractTerms,
    contract_amount: Decimal,
) -> Result<Option<Decimal>, BreachError> {
    not_negative("contract_amount", contract_amount)?;
    Ok(terms
        .security_rectification_late_rate
        .map(|rate| round_half_up_2dp(contract_amount * rate)))
}

fn not_negative(field: &'static str, value: Decimal) -> Result<(), BreachError> {
    if value < Decimal::ZERO {
        return Err(BreachError::Negative { field, value });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn terms(code: &str) -> ContractTerms {
        ContractTerms::builtin()
            .into_iter()
            .find(|t| t.code == code)
            .expect("built in")
    }

    /// Seed 002's contract: 1,105,728 元 over 12 service months, one system.
    fn lease_monthly_fee() -> Decimal {
        // 1,105,728 / 12 = 92,144 exactly.
        monthly_fee(dec!(1105728), 12).expect("fee")
    }

    fn general(number: u32) -> RowRef {
        RowRef::new("general", number)
    }

    #[test]
    fn the_monthly_fee_is_the_systems_amount_over_the_service_months() {
        assert_eq!(lease_monthly_fee(), dec!(92144));
        // 100 / 3 = 33.333…: kept exact, not rounded to 33.33.
        assert_eq!(monthly_fee(dec!(100), 3).expect("fee") * dec!(3), dec!(100));
        assert_eq!(monthly_fee(dec!(100), 0), Err(BreachError::NoServiceMonths));
    }

    #[test]
    fn a_coefficient_row_costs_the_monthly_fee_times_its_coefficient() {
        // Annex 3 row 5 (down 2 h or more): 92,144 × 30 % = 27,643.20.
        let charged =
            charge_event(&terms("bj-lease"), &[general(5)], lease_monthly_fee(), 1).expect("ok");
        assert_eq!(charged.amount, dec!(27643.20));
        assert_eq!(
            charged.basis,
            ChargeBasis::MonthlyFee {
                monthly_fee: dec!(92144),
                coefficient: dec!(0.3)
            }
        );
    }

    #[test]
    fn one_event_matching_several_rows_is_charged_once_at_the_heaviest() {
        // Rows 5 (30 %) and 6 (60 %): 92,144 × 60 % = 55,286.40, once — not
        // 27,643.20 + 55,286.40 = 82,929.60.
        let charged = charge_event(
            &terms("bj-sla"),
            &[general(5), general(6)],
            lease_monthly_fee(),
            1,
        )
        .expect("ok");
        assert_eq!((charged.row, charged.amount), (general(6), dec!(55286.40)));
    }

    #[test]
    fn the_heaviest_row_is_chosen_across_tables() {
        // General row 6 (60 %) vs serious row 9 (100 %): 92,144 × 100 % = 92,144.00.
        let serious_9 = RowRef::new("serious", 9);
        let charged = charge_event(
            &terms("bj-sla"),
            &[general(6), serious_9.clone()],
            lease_monthly_fee(),
            1,
        )
        .expect("ok");
        assert_eq!((charged.row, charged.amount), (serious_9, dec!(92144.00)));
    }

    #[test]
    fn a_penalty_rounds_half_up_to_the_fen() {
        // Monthly fee 100 / 3 = 33.333…; × 30 % = 9.999… → 10.00; 0.05 × 20 % =
        // 0.01 exactly; 0.025 × 20 % = 0.005 → 0.01 (half-up, not to even).
        let sla = terms("bj-sla");
        let third = monthly_fee(dec!(100), 3).expect("fee");
        let amount = |fee| {
            charge_event(&sla, &[general(3)], fee, 1)
                .expect("ok")
                .amount
        };
        assert_eq!(
            charge_event(&sla, &[general(5)], third, 1)
                .expect("ok")
                .amount,
            dec!(10.00)
        );
        assert_eq!(amount(dec!(0.05)), dec!(0.01));
        assert_eq!(amount(dec!(0.025)), dec!(0.01));
    }

    #[test]
    fn a_shanghai_complaint_letter_costs_a_fixed_100000() {
        // Row 1, 10 万元/次: 100,000.00 whatever the monthly fee.
        let charged = charge_event(
            &terms("sh-paas"),
            &[RowRef::new("paas", 1)],
            dec!(12345.67),
            1,
        )
        .expect("ok");
        assert_eq!(charged.amount, dec!(100000.00));
    }

    #[test]
    fn a_per_item_row_costs_its_amount_for_each_item() {
        // Row 2, 20 万元/项, three unmet tender clauses: 3 × 200,000 = 600,000.00.
        let paas = terms("sh-paas");
        let unmet = [RowRef::new("paas", 2)];
        let charged = charge_event(&paas, &unmet, Decimal::ZERO, 3).expect("ok");
        assert_eq!(charged.amount, dec!(600000.00));
        assert_eq!(
            charge_event(&paas, &unmet, Decimal::ZERO, 0),
            Err(BreachError::NoItems)
        );
        // The same three items beside a large-scale outage (100 万元/次):
        // 600,000 < 1,000,000, so the outage's row is charged, once.
        let charged = charge_event(
            &paas,
            &[RowRef::new("paas", 2), RowRef::new("paas", 6)],
            Decimal::ZERO,
            3,
        )
        .expect("ok");
        assert_eq!(charged.amount, dec!(1000000.00));
    }

    #[test]
    fn an_event_must_match_known_rows() {
        let sla = terms("bj-sla");
        assert_eq!(
            charge_event(&sla, &[], dec!(1), 1),
            Err(BreachError::NoRows)
        );
        assert_eq!(
            charge_event(&sla, &[general(14)], dec!(1), 1)
                .expect_err("row 14")
                .to_string(),
            "rows: general row 14 is not a row of terms bj-sla"
        );
    }

    #[test]
    fn the_b_level_count_gives_the_right_at_n_2_under_the_sla() {
        // N = 2, 合同金额 × 100 %: 1,105,728 × 1 = 1,105,728.00.
        let rule = terms("bj-sla").major_incidents.expect("annex 1");
        let one = rule.assess(0, 1, dec!(1105728)).expect("ok");
        assert_eq!((one.termination_right, one.penalty), (None, dec!(0)));
        let two = rule.assess(0, 2, dec!(1105728)).expect("ok");
        assert_eq!(
            (two.termination_right, two.penalty),
            (Some(IncidentLevel::B), dec!(1105728.00))
        );
        assert!(!rule.reached_by(IncidentLevel::B, 1));
        assert!(rule.reached_by(IncidentLevel::B, 2));
        // The third B-level event gives no second alert, and no second penalty.
        assert!(!rule.reached_by(IncidentLevel::B, 3));
        assert_eq!(
            rule.assess(0, 3, dec!(1105728)).expect("ok").penalty,
            dec!(1105728.00)
        );
    }

    #[test]
    fn the_b_level_count_gives_the_right_at_n_3_under_the_lease() {
        // N = 3, 5 % of the contract amount: 1,105,728 × 0.05 = 55,286.40.
        let rule = terms("bj-lease").major_incidents.expect("annex 1");
        let two = rule.assess(0, 2, dec!(1105728)).expect("ok");
        assert_eq!((two.termination_right, two.penalty), (None, dec!(0)));
        assert!(!rule.reached_by(IncidentLevel::B, 2));
        let three = rule.assess(0, 3, dec!(1105728)).expect("ok");
        assert_eq!(
            (three.termination_right, three.penalty),
            (Some(IncidentLevel::B), dec!(55286.40))
        );
        assert!(rule.reached_by(IncidentLevel::B, 3));
    }

    #[test]
    fn one_a_level_event_gives_the_right() {
        // Lease: 1 A-level event, 5 % of 1,105,728 = 55,286.40, named as A even
        // with B-level events below N beside it.
        let rule = terms("bj-lease").major_incidents.expect("annex 1");
        assert!(rule.reached_by(IncidentLevel::A, 1));
        let outcome = rule.assess(1, 1, dec!(1105728)).expect("ok");
        assert_eq!(
            (outcome.termination_right, outcome.penalty),
            (Some(IncidentLevel::A), dec!(55286.40))
        );
    }

    #[test]
    fn security_rectification_late_costs_5_percent_of_the_contract_under_the_lease() {
        // 1,105,728 × 5 % = 55,286.40; the SLA sets no such penalty.
        assert_eq!(
            security_rectification_penalty(&terms("bj-lease"), dec!(1105728)),
            Ok(Some(dec!(55286.40)))
        );
        assert_eq!(
            security_rectification_penalty(&terms("bj-sla"), dec!(1105728)),
            Ok(None)
        );
    }

    #[test]
    fn a_negotiated_amount_may_not_be_below_the_annex_under_the_lease() {
        // Row 5: floor 27,643.20; 30,000 is accepted, 27,000 refused.
        let lease = terms("bj-lease");
        let charged = charge_event(&lease, &[general(5)], lease_monthly_fee(), 1).expect("ok");
        assert_eq!(
            agreed_amount(&lease, &charged, dec!(30000)),
            Ok(dec!(30000))
        );
        assert_eq!(
            agreed_amount(&lease, &charged, dec!(27000)),
            Err(BreachError::BelowFloor {
                agreed: dec!(27000),
                floor: dec!(27643.20),
                row: general(5),
            })
        );
        // The SLA deducts the annex amount: nothing to agree.
        assert_eq!(
            agreed_amount(&terms("bj-sla"), &charged, dec!(30000)),
            Err(BreachError::NotNegotiable("bj-sla".into()))
        );
    }

    #[test]
    fn negative_inputs_are_refused_naming_the_field() {
        assert_eq!(
            charge_event(&terms("bj-sla"), &[general(5)], dec!(-1), 1)
                .expect_err("negative")
                .to_string(),
            "monthly_fee: -1 is negative"
        );
    }
}
