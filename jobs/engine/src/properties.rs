//! Properties that hold for any facts: scores stay within their weights, totals
//! add up, a counted fault, complaint or violation never helps, and a disputed
//! fact (not confirmed, or not the vendor's) never changes anything.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::facts::*;
use super::testing::*;
use super::{Period, ScoreCard, assess_scorecard};
use crate::calendar::WorkCalendar;
use crate::scheme::{Scheme, ScorecardKind};

/// Facts fall between 2025-06-01 and 2025-12-31 (Shanghai), around the periods
/// assessed below (October 2025, service years 2025 and 2025-07..2026-06).
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..214 * 24 * 60).prop_map(|minutes| at("2025-06-01 00:00") + TimeDelta::minutes(minutes))
}

fn later(base: DateTime<Utc>) -> impl Strategy<Value = Option<DateTime<Utc>>> {
    proptest::option::of(0i64..20 * 24 * 60)
        .prop_map(move |m| m.map(|m| base + TimeDelta::minutes(m)))
}

/// Both flags of an event: mostly counted, sometimes disputed.
fn flags() -> impl Strategy<Value = (bool, bool)> {
    (prop::bool::weighted(0.8), prop::bool::weighted(0.8))
}

fn fault_strategy() -> impl Strategy<Value = Fault> {
    (any::<i64>(), flags(), 1u8..=6, instant(), any::<bool>()).prop_flat_map(
        |(id, (confirmed, vendor_liable), level, occurred_at, misreported)| {
            (later(occurred_at), later(occurred_at)).prop_map(move |(reported_at, recovered_at)| {
                Fault {
                    id,
                    title: String::new(),
                    confirmed,
                    vendor_liable,
                    level,
                    occurred_at,
                    reported_at,
                    recovered_at,
                    misreported,
                }
            })
        },
    )
}

fn complaint_strategy() -> impl Strategy<Value = Complaint> {
    (any::<i64>(), flags(), instant()).prop_map(|(id, (confirmed, vendor_liable), received_at)| {
        Complaint {
            id,
            title: String::new(),
            confirmed,
            vendor_liable,
            received_at,
        }
    })
}

fn violation_strategy() -> impl Strategy<Value = Violation> {
    (any::<i64>(), flags(), instant()).prop_map(|(id, (confirmed, vendor_liable), occurred_at)| {
        Violation {
            id,
            title: String::new(),
            confirmed,
            vendor_liable,
            occurred_at,
        }
    })
}

fn work_order_strategy() -> impl Strategy<Value = WorkOrder> {
    (any::<i64>(), flags(), instant(), any::<bool>()).prop_flat_map(
        |(id, (confirmed, vendor_liable), approved_at, provisioned_differently)| {
            later(approved_at).prop_map(move |completed_at| WorkOrder {
                id,
                title: String::new(),
                confirmed,
                vendor_liable,
                approved_at,
                completed_at,
                provisioned_differently,
            })
        },
    )
}

fn task_strategy() -> impl Strategy<Value = ServiceTask> {
    (any::<i64>(), flags(), instant()).prop_flat_map(
        |(id, (confirmed, vendor_liable), planned_at)| {
            later(planned_at - TimeDelta::days(5)).prop_map(move |finished_at| ServiceTask {
                id,
                title: String::new(),
                confirmed,
                vendor_liable,
                planned_at,
                finished_at,
            })
        },
    )
}

fn delivery_strategy() -> impl Strategy<Value = UnticketedDelivery> {
    (
        any::<i64>(),
        flags(),
        instant(),
        proptest::option::of(0i64..200 * 24),
    )
        .prop_map(
            |(id, (confirmed, vendor_liable), occurred_at, rectified_after)| UnticketedDelivery {
                id,
                title: String::new(),
                confirmed,
                vendor_liable,
                occurred_at,
                rectified_at: rectified_after.map(|h| occurred_at + TimeDelta::hours(h)),
            },
        )
}

fn outage_strategy() -> impl Strategy<Value = Outage> {
    (
        any::<i64>(),
        flags(),
        prop::sample::select(vec!["ECS", "RDS"]),
        instant(),
    )
        .prop_flat_map(|(id, (confirmed, vendor_liable), service, started_at)| {
            later(started_at).prop_map(move |ended_at| Outage {
                id,
                title: String::new(),
                confirmed,
                vendor_liable,
                service: service.into(),
                started_at,
                ended_at,
            })
        })
}

fn change_strategy() -> impl Strategy<Value = Change> {
    let outcome = prop::sample::select(vec![
        ChangeOutcome::Succeeded,
        ChangeOutcome::Failed,
        ChangeOutcome::RolledBack,
    ]);
    (any::<i64>(), flags(), instant(), any::<bool>(), outcome).prop_flat_map(
        |(id, (confirmed, vendor_liable), planned_at, emergency, outcome)| {
            (later(planned_at - TimeDelta::days(6)), later(planned_at)).prop_map(
                move |(submitted_at, executed_at)| Change {
                    id,
                    title: String::new(),
                    confirmed,
                    vendor_liable,
                    submitted_at,
                    planned_at,
                    executed_at,
                    emergency,
                    outcome,
                },
            )
        },
    )
}

fn attendance_strategy() -> impl Strategy<Value = Attendance> {
    (any::<i64>(), 6u32..=12, 0u32..=400, 0u32..=400).prop_map(|(id, m, required, actual)| {
        attendance(
            id,
            month(2025, m),
            Decimal::from(required),
            Decimal::from(actual),
        )
    })
}

fn training_strategy() -> impl Strategy<Value = Training> {
    (any::<i64>(), instant(), 0u32..8, any::<bool>()).prop_map(
        |(id, held_at, attendees, evidence)| Training {
            id,
            title: String::new(),
            held_at,
            attendees,
            evidence: if evidence {
                vec!["minutes".into()]
            } else {
                vec![]
            },
        },
    )
}

fn risk_strategy() -> impl Strategy<Value = SecurityRisk> {
    (any::<i64>(), flags(), instant(), 0i64..60).prop_flat_map(
        |(id, (confirmed, vendor_liable), found_at, days)| {
            later(found_at).prop_map(move |rectified_at| SecurityRisk {
                id,
                title: String::new(),
                confirmed,
                vendor_liable,
                found_at,
                deadline: (found_at + TimeDelta::days(days)).date_naive(),
                rectified_at,
            })
        },
    )
}

fn accident_strategy() -> impl Strategy<Value = SecurityAccident> {
    (any::<i64>(), flags(), instant(), 1u8..=5).prop_map(
        |(id, (confirmed, vendor_liable), occurred_at, level)| SecurityAccident {
            id,
            title: String::new(),
            confirmed,
            vendor_liable,
            occurred_at,
            level,
        },
    )
}

fn survey_strategy() -> impl Strategy<Value = SurveyResponse> {
    (any::<i64>(), prop::array::uniform9(0u8..=4), 0u8..=4).prop_map(|(id, first, overall)| {
        let mut answers = [0; 10];
        answers[..9].copy_from_slice(&first);
        answers[9] = overall * 2;
        survey(id, answers)
    })
}

fn facts_strategy() -> impl Strategy<Value = VendorFacts> {
    let events = (
        prop::collection::vec(work_order_strategy(), 0..6),
        prop::collection::vec(delivery_strategy(), 0..4),
        prop::collection::vec(task_strategy(), 0..4),
        prop::collection::vec(complaint_strategy(), 0..4),
        prop::collection::vec(outage_strategy(), 0..4),
        prop::collection::vec(fault_strategy(), 0..6),
        prop::collection::vec(change_strategy(), 0..5),
        prop::collection::vec(violation_strategy(), 0..5),
    );
    let records = (
        prop::collection::vec(attendance_strategy(), 0..3),
        prop::collection::vec(training_strategy(), 0..25),
        prop::collection::vec(risk_strategy(), 0..4),
        prop::collection::vec(accident_strategy(), 0..4),
        prop::collection::vec(survey_strategy(), 0..4),
    );
    (events, records).prop_map(
        |(
            (
                work_orders,
                unticketed_deliveries,
                service_tasks,
                complaints,
                outages,
                faults,
                changes,
                violations,
            ),
            (attendance, trainings, security_risks, security_accidents, survey_responses),
        )| VendorFacts {
            work_orders,
            unticketed_deliveries,
            service_tasks,
            attendance,
            complaints,
            outages,
            faults,
            changes,
            violations,
            trainings,
            security_risks,
            security_accidents,
            survey_responses,
        },
    )
}

/// Every scorecard the built-in schemes produce around 2025.
fn scorecards(facts: &VendorFacts) -> Vec<ScoreCard> {
    let calendar = WorkCalendar::builtin();
    let runs: [(Scheme, Period); 3] = [
        (municipal(), in_month(2025, 10)),
        (municipal(), service_year(1, 2025)),
        (songjiang(), service_year(7, 2025)),
    ];
    runs.iter()
        .map(|(scheme, period)| {
            assess_scorecard(scheme, &calendar, facts, *period).expect("assessable")
        })
        .collect()
}

/// The facts of `kinds` only: every other kind's list emptied, as a caller
/// that loads only those kinds passes them.
fn only(facts: &VendorFacts, kinds: &std::collections::BTreeSet<FactKind>) -> VendorFacts {
    let mut kept = VendorFacts::default();
    macro_rules! keep {
        ($($kind:ident => $field:ident),*) => {
            $(if kinds.contains(&FactKind::$kind) {
                kept.$field = facts.$field.clone();
            })*
        };
    }
    keep!(WorkOrder => work_orders, UnticketedDelivery => unticketed_deliveries,
        ServiceTask => service_tasks, Attendance => attendance, Complaint => complaints,
        Outage => outages, Fault => faults, Change => changes, Violation => violations,
        Training => trainings, SecurityRisk => security_risks,
        SecurityAccident => security_accidents, SurveyResponse => survey_responses);
    kept
}

/// An event that adds only something the vendor is liable for.
#[derive(Debug, Clone)]
enum Liable {
    Fault(Fault),
    Complaint(Complaint),
    Violation(Violation),
}

fn liable_strategy() -> impl Strategy<Value = Liable> {
    prop_oneof![
        fault_strategy().prop_map(|f| Liable::Fault(Fault {
            confirmed: true,
            vendor_liable: true,
            ..f
        })),
        complaint_strategy().prop_map(|c| Liable::Complaint(Complaint {
            confirmed: true,
            vendor_liable: true,
            ..c
        })),
        violation_strategy().prop_map(|v| Liable::Violation(Violation {
            confirmed: true,
            vendor_liable: true,
            ..v
        })),
    ]
}

/// The flags of a disputed fact: unconfirmed, not liable, or both.
fn disputed_flags() -> impl Strategy<Value = (bool, bool)> {
    prop::sample::select(vec![(false, true), (true, false), (false, false)])
}

/// Adds a copy of the first fact of kind `which` of `template` (if any), with
/// disputed flags.
fn add_disputed(
    facts: &mut VendorFacts,
    which: usize,
    (confirmed, vendor_liable): (bool, bool),
    template: &VendorFacts,
) {
    macro_rules! push_first {
        ($field:ident) => {
            if let Some(mut fact) = template.$field.first().cloned() {
                fact.confirmed = confirmed;
                fact.vendor_liable = vendor_liable;
                facts.$field.push(fact);
            }
        };
    }
    match which % 10 {
        0 => push_first!(work_orders),
        1 => push_first!(unticketed_deliveries),
        2 => push_first!(service_tasks),
        3 => push_first!(complaints),
        4 => push_first!(outages),
        5 => push_first!(faults),
        6 => push_first!(changes),
        7 => push_first!(violations),
        8 => push_first!(security_risks),
        _ => push_first!(security_accidents),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_indicator_stays_within_zero_and_its_weight(facts in facts_strategy()) {
        for card in scorecards(&facts) {
            for i in &card.indicators {
                prop_assert!(i.score >= Decimal::ZERO && i.score <= i.weight, "{} {}: {}", card.period, i.code, i.score);
            }
        }
    }

    #[test]
    fn the_total_is_the_sum_of_the_indicators(facts in facts_strategy()) {
        for card in scorecards(&facts) {
            let sum: Decimal = card.indicators.iter().map(|i| i.score).sum();
            prop_assert_eq!(card.total, sum);
        }
    }

    #[test]
    fn a_liable_fault_complaint_or_violation_never_raises_a_score(facts in facts_strategy(), extra in liable_strategy()) {
        let mut more = facts.clone();
        match extra {
            Liable::Fault(f) => more.faults.push(f),
            Liable::Complaint(c) => more.complaints.push(c),
            Liable::Violation(v) => more.violations.push(v),
        }
        for (before, after) in scorecards(&facts).iter().zip(scorecards(&more).iter()) {
            for (b, a) in before.indicators.iter().zip(&after.indicators) {
                prop_assert!(a.score <= b.score, "{} {}: {} → {}", before.period, b.code, b.score, a.score);
            }
        }
    }

    #[test]
    fn a_scorecard_reads_only_the_kinds_its_scheme_names(facts in facts_strategy()) {
        let calendar = WorkCalendar::builtin();
        for (scheme, period, kind) in [
            (municipal(), in_month(2025, 10), ScorecardKind::Monthly),
            (municipal(), service_year(1, 2025), ScorecardKind::Annual),
            (songjiang(), service_year(7, 2025), ScorecardKind::Annual),
        ] {
            let all = assess_scorecard(&scheme, &calendar, &facts, period).expect("assessable");
            let kinds = scheme.fact_kinds(kind);
            let read = assess_scorecard(&scheme, &calendar, &only(&facts, &kinds), period).expect("assessable");
            prop_assert_eq!(all, read, "{} {:?}", scheme.code, kind);
        }
    }

    #[test]
    fn a_disputed_fact_never_changes_a_scorecard(
        facts in facts_strategy(),
        template in facts_strategy(),
        which in 0usize..10,
        flags in disputed_flags(),
    ) {
        let mut more = facts.clone();
        add_disputed(&mut more, which, flags, &template);
        prop_assert_eq!(scorecards(&facts), scorecards(&more));
    }
}
