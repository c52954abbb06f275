//! D1 availability of each cloud service over the period.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::counting::failure_seconds;
use crate::error::EngineError;
use crate::facts::{Fact, Outage, attributable};
use crate::period::Period;
use crate::rate::shortfall;
use crate::result::Findings;
use crate::scheme::Threshold;
use crate::shown::{local_time_text, percent_text, title_text};

use super::Context;

/// D1: per service, availability = (seconds in period − failure seconds) /
/// seconds in period, failure seconds as [`failure_seconds`] counts them; each
/// service below the threshold is one deduction, and the deductions of all
/// services add up before the cap (spec Decision).
pub fn availability(
    rule: &Threshold,
    weight: Decimal,
    ctx: &Context<'_>,
) -> Result<Findings, EngineError> {
    let mut by_service: BTreeMap<&str, Vec<&Outage>> = BTreeMap::new();
    for outage in attributable(&ctx.facts.outages) {
        check_order(outage, ctx.period)?;
        if overlaps(outage, ctx.period) {
            by_service.entry(&outage.service).or_default().push(outage);
        }
    }
    let seconds = ctx.period.seconds();
    let mut findings = Findings::default();
    for (service, outages) in by_service {
        let down = failure_seconds(outages.iter().copied(), ctx.period);
        let rate = Decimal::from(seconds - down) / Decimal::from(seconds);
        if let Some(short) = shortfall(rate, rule, weight, ctx.partial_steps) {
            findings.deduct(
                short.points,
                format!(
                    "云服务 {service} 中断{}共 {down} 秒（本期 {seconds} 秒），可用率 {}，{}",
                    cited(&outages),
                    percent_text(rate),
                    short.explain(rule, weight)
                ),
                outages.iter().map(|o| o.fact_ref()).collect(),
            );
        }
    }
    Ok(findings)
}

/// The most outages a reason names; the others are counted ("等 7 次").
const CITED: usize = 3;

/// "「中断1」（2025-11-05 10:00 起）、「中断2」（…起）等 7 次".
fn cited(outages: &[&Outage]) -> String {
    let named: Vec<String> = outages
        .iter()
        .take(CITED)
        .map(|o| {
            format!(
                "{}（{} 起）",
                title_text(&o.title),
                local_time_text(o.started_at)
            )
        })
        .collect();
    let more = if outages.len() > CITED {
        format!("等 {} 次", outages.len())
    } else {
        String::new()
    };
    format!("{}{more}", named.join("、"))
}

fn overlaps(outage: &Outage, period: &Period) -> bool {
    outage.started_at < period.end() && outage.ended_at.is_none_or(|end| end > period.start())
}

/// An outage that ends before it starts is invalid input when either end falls in
/// the period (elsewhere it cannot affect this period's score).
fn check_order(outage: &Outage, period: &Period) -> Result<(), EngineError> {
    match outage.ended_at {
        Some(end)
            if end < outage.started_at
                && (period.contains(end) || period.contains(outage.started_at)) =>
        {
            Err(EngineError::InvalidFact {
                fact: outage.fact_ref(),
                reason: "ends before it starts".into(),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::facts::{Outage, VendorFacts};
    use crate::scheme::IndicatorCode::D1;
    use crate::testing::*;

    fn outages(o: Vec<Outage>) -> VendorFacts {
        VendorFacts {
            outages: o,
            ..VendorFacts::default()
        }
    }

    // November 2025 has 30 × 86,400 = 2,592,000 s; 0.01 % of it is 259.2 s.

    #[test]
    fn d1_one_service_below_99_99_percent() {
        // 1,296 s down: (2,592,000 − 1,296) / 2,592,000 = 99.95 %:
        // (99.99 − 99.95) / 0.01 = 4 steps × 1 % × 10 = 0.4 → 9.6.
        let facts = outages(vec![outage(
            1,
            "ECS",
            "2025-11-05 10:00:00",
            Some("2025-11-05 10:21:36"),
        )]);
        let r = score(D1, &facts, in_month(2025, 11));
        assert_eq!(r.score, dec!(9.6));
        assert_eq!(
            r.deductions[0].reason,
            "云服务 ECS 中断「中断1」（2025-11-05 10:00 起）共 1296 秒（本期 2592000 秒），可用率 99.95 %，低于 99.99 % 共 4 档（每档 0.01 %），每档扣权重 10.00 分的 1 %：扣 0.40 分"
        );
    }

    #[test]
    fn d1_deductions_of_several_services_add_up() {
        // ECS 1,296 s → 99.95 % → −0.4; RDS 2,592 s → 99.9 % → 9 steps → −0.9;
        // OSS 200 s → 99.9923 % ≥ 99.99 % → nothing. 10 − 0.4 − 0.9 = 8.7.
        let facts = outages(vec![
            outage(1, "ECS", "2025-11-05 10:00:00", Some("2025-11-05 10:21:36")),
            outage(2, "RDS", "2025-11-06 10:00:00", Some("2025-11-06 10:43:12")),
            outage(3, "OSS", "2025-11-07 10:00:00", Some("2025-11-07 10:03:20")),
        ]);
        let r = score(D1, &facts, in_month(2025, 11));
        assert_eq!(points(&r), [dec!(0.4), dec!(0.9)]);
        assert_eq!(r.score, dec!(8.7));
    }

    #[test]
    fn d1_caps_at_zero_after_summing_services() {
        // ECS 25,920 s → 99 % → 99 steps → −9.9; RDS 1,296 s → −0.4.
        // 10.3 > 10 → 0, 0.3 capped.
        let facts = outages(vec![
            outage(1, "ECS", "2025-11-05 00:00", Some("2025-11-05 07:12")),
            outage(2, "RDS", "2025-11-05 10:00:00", Some("2025-11-05 10:21:36")),
        ]);
        let r = score(D1, &facts, in_month(2025, 11));
        assert_eq!(
            (r.score, r.deducted, r.capped),
            (dec!(0), dec!(10.3), dec!(0.3))
        );
    }

    #[test]
    fn d1_outage_across_month_boundary_is_split() {
        // 2025-10-31 20:16:48 → 2025-11-01 00:21:36.
        // October (2,678,400 s): 13,392 s → 99.5 % → 49 steps × 0.1 = 4.9 → 5.1.
        // November: 1,296 s → 99.95 % → 0.4 → 9.6.
        let facts = outages(vec![outage(
            1,
            "ECS",
            "2025-10-31 20:16:48",
            Some("2025-11-01 00:21:36"),
        )]);
        assert_eq!(score(D1, &facts, in_month(2025, 10)).score, dec!(5.1));
        assert_eq!(score(D1, &facts, in_month(2025, 11)).score, dec!(9.6));
    }

    #[test]
    fn d1_ongoing_outage_counts_to_the_end_of_the_period() {
        // From 2025-11-30 23:38:24 to 24:00: 1,296 s → −0.4 → 9.6.
        let facts = outages(vec![outage(1, "ECS", "2025-11-30 23:38:24", None)]);
        assert_eq!(score(D1, &facts, in_month(2025, 11)).score, dec!(9.6));
    }

    #[test]
    fn d1_non_liable_or_unconfirmed_outage_is_exempt() {
        let mut a = outage(1, "ECS", "2025-11-05 00:00", Some("2025-11-05 07:12"));
        a.vendor_liable = false;
        let mut b = outage(2, "ECS", "2025-11-05 00:00", Some("2025-11-05 07:12"));
        b.confirmed = false;
        assert_eq!(
            score(D1, &outages(vec![a, b]), in_month(2025, 11)).score,
            dec!(10)
        );
    }

    #[test]
    fn d1_outage_ending_before_it_starts_is_refused() {
        let facts = outages(vec![outage(
            4,
            "ECS",
            "2025-11-05 10:00",
            Some("2025-11-05 09:00"),
        )]);
        let err = try_score(D1, &facts, in_month(2025, 11)).expect_err("invalid");
        assert_eq!(err.to_string(), "outage 4: ends before it starts");
    }
}
