//! Which kinds of fact a scheme's scorecard reads, so that a caller loads only
//! those: Shanghai's annual scorecard (H1, I1, J1, J2) reads four small kinds,
//! not the year's work orders, outages and changes.

use std::collections::BTreeSet;

use super::{IndicatorCode, Scheme, ScorecardKind};
use crate::facts::FactKind;

impl Scheme {
    /// The kinds of fact the indicators of the `kind` scorecard read: the
    /// engine scores that scorecard the same from these kinds alone (the
    /// property `a_scorecard_reads_only_the_kinds_its_scheme_names`). An entry
    /// whose code is unknown adds nothing: such a scheme is refused before
    /// anything is scored.
    pub fn fact_kinds(&self, kind: ScorecardKind) -> BTreeSet<FactKind> {
        self.scorecard(kind)
            .into_iter()
            .flat_map(|card| &card.indicators)
            .filter_map(|spec| IndicatorCode::parse(&spec.code))
            .map(crate::indicators::reads)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FactKind::*;

    fn builtin(code: &str) -> Scheme {
        Scheme::builtin()
            .into_iter()
            .find(|s| s.code == code)
            .expect("built in")
    }

    #[test]
    fn the_municipal_annual_scorecard_reads_four_kinds() {
        // H1 survey responses, I1 trainings, J1 security risks, J2 accidents (spec §2).
        assert_eq!(
            builtin("sh-municipal").fact_kinds(ScorecardKind::Annual),
            BTreeSet::from([Training, SecurityRisk, SecurityAccident, SurveyResponse])
        );
    }

    #[test]
    fn the_municipal_monthly_scorecard_reads_nine_kinds() {
        // A1 A2 work orders, A3 tasks, A4 deliveries, B1 attendance, C1 complaints,
        // D1 outages, E1–E4 faults, F1 F2 changes, G1 violations (spec §1): the
        // annual kinds are not among them.
        assert_eq!(
            builtin("sh-municipal").fact_kinds(ScorecardKind::Monthly),
            BTreeSet::from([
                WorkOrder,
                UnticketedDelivery,
                ServiceTask,
                Attendance,
                Complaint,
                Outage,
                Fault,
                Change,
                Violation
            ])
        );
    }

    #[test]
    fn the_songjiang_scorecard_reads_five_kinds() {
        // A3 tasks, C1 complaints, E1 E4 faults, J2 accidents, H1 responses (spec §4);
        // it has no monthly scorecard, so nothing is read for a month.
        let songjiang = builtin("sh-songjiang");
        assert_eq!(
            songjiang.fact_kinds(ScorecardKind::Annual),
            BTreeSet::from([
                ServiceTask,
                Complaint,
                Fault,
                SecurityAccident,
                SurveyResponse
            ])
        );
        assert!(songjiang.fact_kinds(ScorecardKind::Monthly).is_empty());
    }
}
