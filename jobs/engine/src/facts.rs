//! The facts the engine scores, one struct per kind, as the API loads them for one
//! vendor. Instants are UTC; the engine reads them in Shanghai time.
//!
//! Event facts carry `confirmed` and `vendor_liable`: only a fact that is both
//! counts (spec §0), so a dispute that flips either flag and a re-run changes the
//! score. Attendance, trainings and survey responses are records, not events, and
//! carry neither flag.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::period::Month;

/// A work order of the cloud-management platform (A1, A2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrder {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub approved_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Provisioned differently from what was approved (A2).
    pub provisioned_differently: bool,
}

/// A resource delivered without a work order (A4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnticketedDelivery {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub occurred_at: DateTime<Utc>,
    /// When it was rectified; `None`: not (yet). An instant rather than a flag,
    /// so that re-running an earlier month after the rectification gives the
    /// same result as before (spec §1, A4 Decision).
    pub rectified_at: Option<DateTime<Utc>>,
}

/// A planned service task (A3). `vendor_liable`: the vendor is fully or mainly
/// liable for it being late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceTask {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    /// The deadline: finished at or before it is on schedule.
    pub planned_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// On-site staff hours of one month (B1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub id: i64,
    pub period: Month,
    pub required_hours: Decimal,
    pub actual_hours: Decimal,
}

/// A liable complaint (C1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub received_at: DateTime<Utc>,
}

/// A period during which one cloud service failed (D1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outage {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    /// The cloud service, e.g. "ECS"; availability is computed per service.
    pub service: String,
    pub started_at: DateTime<Utc>,
    /// `None`: still ongoing; it counts to the end of the period.
    pub ended_at: Option<DateTime<Utc>>,
}

/// A fault, already graded to a level 1 (most severe) … 6 (E1–E4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub level: u8,
    pub occurred_at: DateTime<Utc>,
    pub reported_at: Option<DateTime<Utc>>,
    pub recovered_at: Option<DateTime<Utc>>,
    /// Misreported or concealed (E4).
    pub misreported: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOutcome {
    Succeeded,
    Failed,
    /// Rolled back successfully according to its plan (not deducted, F1).
    RolledBack,
}

/// A change to the production environment (F1, F2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    /// When the change plan was reported; `None`: never reported.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The planned execution.
    pub planned_at: DateTime<Utc>,
    pub executed_at: Option<DateTime<Utc>>,
    pub emergency: bool,
    pub outcome: ChangeOutcome,
}

/// A confirmed violation of the cloud management rules (G1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub occurred_at: DateTime<Utc>,
}

/// A training for the agencies using the cloud (I1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub held_at: DateTime<Utc>,
    pub attendees: u32,
    /// References to materials, notice, sign-in sheet or minutes; empty: none.
    pub evidence: Vec<String>,
}

/// A security risk to rectify by a deadline (J1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityRisk {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub found_at: DateTime<Utc>,
    /// Rectify by the end (24:00 Shanghai) of this day.
    pub deadline: NaiveDate,
    pub rectified_at: Option<DateTime<Utc>>,
}

/// A security-liability accident, level 1 (most severe) … 5 (J2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityAccident {
    pub id: i64,
    /// Its own title (or description), to cite it in reasons.
    #[serde(default)]
    pub title: String,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub occurred_at: DateTime<Utc>,
    pub level: u8,
}

/// One satisfaction questionnaire (H1): Q1–Q9 answered 4/3/2/1/0, Q10 8/6/4/2/0.
/// Responses carry no date: the caller passes those of the survey of the service
/// year being assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResponse {
    pub id: i64,
    pub answers: [u8; 10],
}

/// Everything known about one vendor. The caller may pass more than the period
/// needs (e.g. a few months around it); the engine selects what counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorFacts {
    pub work_orders: Vec<WorkOrder>,
    pub unticketed_deliveries: Vec<UnticketedDelivery>,
    pub service_tasks: Vec<ServiceTask>,
    pub attendance: Vec<Attendance>,
    pub complaints: Vec<Complaint>,
    pub outages: Vec<Outage>,
    pub faults: Vec<Fault>,
    pub changes: Vec<Change>,
    pub violations: Vec<Violation>,
    pub trainings: Vec<Training>,
    pub security_risks: Vec<SecurityRisk>,
    pub security_accidents: Vec<SecurityAccident>,
    pub survey_responses: Vec<SurveyResponse>,
}

impl VendorFacts {
    /// Adds `other`'s facts to these, kind by kind (two loads of disjoint
    /// kinds become one vendor's facts).
    pub fn absorb(&mut self, other: VendorFacts) {
        let VendorFacts {
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
        } = other;
        self.work_orders.extend(work_orders);
        self.unticketed_deliveries.extend(unticketed_deliveries);
        self.service_tasks.extend(service_tasks);
        self.attendance.extend(attendance);
        self.complaints.extend(complaints);
        self.outages.extend(outages);
        self.faults.extend(faults);
        self.changes.extend(changes);
        self.violations.extend(violations);
        self.trainings.extend(trainings);
        self.security_risks.extend(security_risks);
        self.security_accidents.extend(security_accidents);
        self.survey_responses.extend(survey_responses);
    }
}

/// The kind of a fact, to point a deduction at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    WorkOrder,
    UnticketedDelivery,
    ServiceTask,
    Attendance,
    Complaint,
    Outage,
    Fault,
    Change,
    Violation,
    Training,
    SecurityRisk,
    SecurityAccident,
    SurveyResponse,
}

impl FactKind {
    /// The kind's name as stored in a result and shown with a deduction's fact
    /// (`work_order`, `fault`): the name of its list in the API, in snake case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WorkOrder => "work_order",
            Self::UnticketedDelivery => "unticketed_delivery",
            Self::ServiceTask => "service_task",
            Self::Attendance => "attendance",
            Self::Complaint => "complaint",
            Self::Outage => "outage",
            Self::Fault => "fault",
            Self::Change => "change",
            Self::Violation => "violation",
            Self::Training => "training",
            Self::SecurityRisk => "security_risk",
            Self::SecurityAccident => "security_accident",
            Self::SurveyResponse => "survey_response",
        }
    }
}

/// A fact a deduction is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FactRef {
    pub kind: FactKind,
    pub id: i64,
}

/// A fact that can be pointed at.
pub trait Fact {
    const KIND: FactKind;
    fn id(&self) -> i64;
    fn fact_ref(&self) -> FactRef {
        FactRef {
            kind: Self::KIND,
            id: self.id(),
        }
    }
}

/// An event fact: it counts only when confirmed and attributable to the vendor.
pub trait Event: Fact {
    fn confirmed(&self) -> bool;
    fn vendor_liable(&self) -> bool;
    fn counts(&self) -> bool {
        self.confirmed() && self.vendor_liable()
    }
}

macro_rules! facts {
    (events: $($event:ident),*; records: $($record:ident),*) => {
        $(
            impl Fact for $event {
                const KIND: FactKind = FactKind::$event;
                fn id(&self) -> i64 { self.id }
            }
            impl Event for $event {
                fn confirmed(&self) -> bool { self.confirmed }
                fn vendor_liable(&self) -> bool { self.vendor_liable }
            }
        )*
        $(
            impl Fact for $record {
                const KIND: FactKind = FactKind::$record;
                fn id(&self) -> i64 { self.id }
            }
        )*
    };
}

facts! {
    events: WorkOrder, UnticketedDelivery, ServiceTask, Complaint, Outage, Fault, Change,
        Violation, SecurityRisk, SecurityAccident;
    records: Attendance, Training, SurveyResponse
}

/// The event facts of a slice that count: confirmed and attributable to the vendor.
pub fn attributable<E: Event>(facts: &[E]) -> impl Iterator<Item = &E> {
    facts.iter().filter(|fact| fact.counts())
}

impl std::fmt::Display for FactKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FactKind::WorkOrder => "work order",
            FactKind::UnticketedDelivery => "delivery without work order",
            FactKind::ServiceTask => "service task",
            FactKind::Attendance => "attendance record",
            FactKind::Complaint => "complaint",
            FactKind::Outage => "outage",
            FactKind::Fault => "fault",
            FactKind::Change => "change",
            FactKind::Violation => "violation",
            FactKind::Training => "training",
            FactKind::SecurityRisk => "security risk",
            FactKind::SecurityAccident => "security accident",
            FactKind::SurveyResponse => "survey response",
        })
    }
}

impl std::fmt::Display for FactRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::FactKind;

    /// A stored result names its facts by serde's names; the API shows them
    /// by `as_str`: the two must agree, kind by kind.
    #[test]
    fn a_kinds_shown_name_is_its_stored_name() {
        use FactKind::*;
        for kind in [
            WorkOrder,
            UnticketedDelivery,
            ServiceTask,
            Attendance,
            Complaint,
            Outage,
            Fault,
            Change,
            Violation,
            Training,
            SecurityRisk,
            SecurityAccident,
            SurveyResponse,
        ] {
            let stored = serde_json::to_value(kind).expect("serialises");
            assert_eq!(stored.as_str(), Some(kind.as_str()), "{kind:?}");
        }
    }
}
