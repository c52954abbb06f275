//! The settlement statement of a contract term or service year (spec §5): the
//! amount due, the assessment penalty (the scheme's tiers), each breach penalty,
//! the instalments paid, what is deducted from the final payment (尾款) and what
//! the vendor owes beyond it. Exact to the fen; never a negative payment: a
//! total beyond the final payment is owed by the vendor (seed 000: 如尾款不足支付
//! 则由乙方另行支付甲方).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::contract_terms::PenaltyPayment;
use crate::shown::money_text;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatementError {
    #[error("{field}: {value} is negative")]
    Negative { field: String, value: Decimal },

    #[error("instalments_paid: {paid} exceeds the amount due {due}")]
    PaidBeyondDue { paid: Decimal, due: Decimal },
}

/// A breach penalty as charged, with what the statement calls it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachPenalty {
    /// E.g. `附件3 第6项 2024-03-05 系统宕机`.
    pub label: String,
    pub amount: Decimal,
}

/// What a statement is drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementInput {
    /// The contract amount, or the metered amount of a Songjiang year.
    pub amount_due: Decimal,
    /// The scheme's penalty on the year (tiers), 0 without one.
    pub assessment_penalty: Decimal,
    pub breach_penalties: Vec<BreachPenalty>,
    /// The instalments paid before the final payment (seed 002: the 70 %).
    pub instalments_paid: Decimal,
    /// The terms' rule for breach penalties.
    pub payment: PenaltyPayment,
}

/// The statement. Every amount is exact to the fen given amounts to the fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub amount_due: Decimal,
    pub assessment_penalty: Decimal,
    pub breach_penalties: Vec<BreachPenalty>,
    pub breach_total: Decimal,
    pub instalments_paid: Decimal,
    /// amount due − instalments paid, before any deduction.
    pub final_payment: Decimal,
    /// What the final payment is reduced by: the assessment penalty and, where the
    /// terms deduct them, the breach penalties — at most the final payment.
    pub deducted_from_final_payment: Decimal,
    /// What is still paid to the vendor: final payment − deducted, never below 0.
    pub final_payment_due: Decimal,
    /// What the deductions exceed the final payment by, owed by the vendor.
    pub owed_beyond_final_payment: Decimal,
    /// Breach penalties the terms leave to negotiation (seed 002 §13.3), settled
    /// outside the final payment; 0 where the terms deduct them.
    pub negotiated_breach_penalties: Decimal,
}

/// Draws the statement. Decision: the assessment penalty is a reduction of the
/// year's settlement (当年结算金额的5%), so it is always deducted from the final
/// payment; the breach penalties are deducted too unless the terms leave their
/// payment to negotiation.
pub fn statement(input: StatementInput) -> Result<Statement, StatementError> {
    not_negative("amount_due", input.amount_due)?;
    not_negative("assessment_penalty", input.assessment_penalty)?;
    not_negative("instalments_paid", input.instalments_paid)?;
    for (i, penalty) in input.breach_penalties.iter().enumerate() {
        not_negative(&format!("breach_penalties[{i}].amount"), penalty.amount)?;
    }
    if input.instalments_paid > input.amount_due {
        return Err(StatementError::PaidBeyondDue {
            paid: input.instalments_paid,
            due: input.amount_due,
        });
    }
    let breach_total: Decimal = input.breach_penalties.iter().map(|p| p.amount).sum();
    let (deductible_breaches, negotiated) = match input.payment {
        PenaltyPayment::DeductedFromFinalPayment => (breach_total, Decimal::ZERO),
        PenaltyPayment::Negotiated { .. } => (Decimal::ZERO, breach_total),
    };
    let final_payment = input.amount_due - input.instalments_paid;
    let to_deduct = input.assessment_penalty + deductible_breaches;
    let deducted = to_deduct.min(final_payment);
    Ok(Statement {
        amount_due: input.amount_due,
        assessment_penalty: input.assessment_penalty,
        breach_penalties: input.breach_penalties,
        breach_total,
        instalments_paid: input.instalments_paid,
        final_payment,
        deducted_from_final_payment: deducted,
        final_payment_due: final_payment - deducted,
        owed_beyond_final_payment: to_deduct - deducted,
        negotiated_breach_penalties: negotiated,
    })
}

impl Statement {
    /// The statement as users read it: a Chinese label and the amount in yuan
    /// with two decimals (`¥1,105,728.00`), one line per figure, each breach on
    /// its own line.
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut lines = vec![
            ("应付金额".to_owned(), money_text(self.amount_due)),
            ("考核扣款".to_owned(), money_text(self.assessment_penalty)),
        ];
        lines.extend(
            self.breach_penalties
                .iter()
                .map(|p| (format!("违约金：{}", p.label), money_text(p.amount))),
        );
        lines.extend([
            ("违约金合计".to_owned(), money_text(self.breach_total)),
            ("已付款项".to_owned(), money_text(self.instalments_paid)),
            ("尾款".to_owned(), money_text(self.final_payment)),
            (
                "从尾款中抵扣".to_owned(),
                money_text(self.deducted_from_final_payment),
            ),
            ("尾款实付".to_owned(), money_text(self.final_payment_due)),
            (
                "超出尾款部分（由乙方另行支付）".to_owned(),
                money_text(self.owed_beyond_final_payment),
            ),
        ]);
        if !self.negotiated_breach_penalties.is_zero() {
            lines.push((
                "违约金（由双方协商支付）".to_owned(),
                money_text(self.negotiated_breach_penalties),
            ));
        }
        lines
    }
}

fn not_negative(field: &str, value: Decimal) -> Result<(), StatementError> {
    if value < Decimal::ZERO {
        return Err(StatementError::Negative {
            field: field.to_owned(),
            value,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn penalty(label: &str, amount: Decimal) -> BreachPenalty {
        BreachPenalty {
            label: label.into(),
            amount,
        }
    }

    /// Seed 002's contract: 1,105,728 due, 70 % paid after signing: 774,009.60.
    fn lease(breaches: Vec<BreachPenalty>, payment: PenaltyPayment) -> StatementInput {
        StatementInput {
            amount_due: dec!(1105728),
            assessment_penalty: Decimal::ZERO,
            breach_penalties: breaches,
            instalments_paid: dec!(774009.60),
            payment,
        }
    }

    #[test]
    fn penalties_are_deducted_from_the_final_payment() {
        // Final payment 1,105,728 − 774,009.60 = 331,718.40. Breaches 55,286.40
        // (row 6) + 27,643.20 (row 5) = 82,929.60; paid 331,718.40 − 82,929.60 =
        // 248,788.80; nothing owed beyond.
        let s = statement(lease(
            vec![
                penalty("附件3 第6项", dec!(55286.40)),
                penalty("附件3 第5项", dec!(27643.20)),
            ],
            PenaltyPayment::DeductedFromFinalPayment,
        ))
        .expect("ok");
        assert_eq!(s.final_payment, dec!(331718.40));
        assert_eq!(s.breach_total, dec!(82929.60));
        assert_eq!(s.deducted_from_final_payment, dec!(82929.60));
        assert_eq!(s.final_payment_due, dec!(248788.80));
        assert_eq!(s.owed_beyond_final_payment, dec!(0));
    }

    #[test]
    fn a_shortfall_beyond_the_final_payment_is_owed_not_a_negative_payment() {
        // SLA major incidents: 合同金额 × 100 % = 1,105,728.00 against a final
        // payment of 331,718.40: all 331,718.40 deducted, 0.00 paid, and
        // 1,105,728 − 331,718.40 = 774,009.60 owed by the vendor.
        let s = statement(lease(
            vec![penalty("重大违约 B级2次", dec!(1105728.00))],
            PenaltyPayment::DeductedFromFinalPayment,
        ))
        .expect("ok");
        assert_eq!(s.deducted_from_final_payment, dec!(331718.40));
        assert_eq!(s.final_payment_due, dec!(0));
        assert_eq!(s.owed_beyond_final_payment, dec!(774009.60));
    }

    #[test]
    fn the_assessment_penalty_is_deducted_with_the_breaches() {
        // A Shanghai year settled at 1,000,000 with a total of 85: 5 % = 50,000;
        // 60 % paid = 600,000, final payment 400,000; one complaint letter
        // 100,000. Deducted 150,000, paid 250,000.
        let s = statement(StatementInput {
            amount_due: dec!(1000000),
            assessment_penalty: dec!(50000),
            breach_penalties: vec![penalty("项目违约条款 第1项", dec!(100000.00))],
            instalments_paid: dec!(600000),
            payment: PenaltyPayment::DeductedFromFinalPayment,
        })
        .expect("ok");
        assert_eq!(s.deducted_from_final_payment, dec!(150000));
        assert_eq!(s.final_payment_due, dec!(250000));
        assert_eq!(s.owed_beyond_final_payment, dec!(0));
    }

    #[test]
    fn negotiated_penalties_stay_outside_the_final_payment() {
        // Lease terms (§13.3): the 55,286.40 is settled as agreed; the final
        // payment 331,718.40 is paid whole.
        let s = statement(lease(
            vec![penalty("附件3 第6项", dec!(55286.40))],
            PenaltyPayment::Negotiated {
                annex_amounts_are_floors: true,
            },
        ))
        .expect("ok");
        assert_eq!(s.deducted_from_final_payment, dec!(0));
        assert_eq!(s.final_payment_due, dec!(331718.40));
        assert_eq!(s.negotiated_breach_penalties, dec!(55286.40));
    }

    #[test]
    fn the_statement_reads_in_yuan_with_two_decimals() {
        // The shortfall case: 331,718.40 deducted, 774,009.60 owed.
        let s = statement(lease(
            vec![penalty("重大违约 B级2次", dec!(1105728))],
            PenaltyPayment::DeductedFromFinalPayment,
        ))
        .expect("ok");
        let lines = s.lines();
        let line = |label: &str| {
            lines
                .iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(line("应付金额"), Some("¥1,105,728.00"));
        assert_eq!(line("违约金：重大违约 B级2次"), Some("¥1,105,728.00"));
        assert_eq!(line("尾款"), Some("¥331,718.40"));
        assert_eq!(line("从尾款中抵扣"), Some("¥331,718.40"));
        assert_eq!(line("尾款实付"), Some("¥0.00"));
        assert_eq!(line("超出尾款部分（由乙方另行支付）"), Some("¥774,009.60"));
        assert_eq!(line("违约金（由双方协商支付）"), None);
    }

    #[test]
    fn instalments_beyond_the_amount_due_are_refused() {
        let mut input = lease(vec![], PenaltyPayment::DeductedFromFinalPayment);
        input.instalments_paid = dec!(1105728.01);
        assert_eq!(
            statement(input).expect_err("overpaid").to_string(),
            "instalments_paid: 1105728.01 exceeds the amount due 1105728"
        );
    }

    #[test]
    fn a_negative_breach_penalty_is_refused_naming_it() {
        let input = lease(
            vec![penalty("a", dec!(1)), penalty("b", dec!(-1))],
            PenaltyPayment::DeductedFromFinalPayment,
        );
        assert_eq!(
            statement(input).expect_err("negative").to_string(),
            "breach_penalties[1].amount: -1 is negative"
        );
    }
}
