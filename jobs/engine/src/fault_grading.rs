//! Six-level fault grading (故障定级) of the Shanghai assessment standard, annex 2,
//! E1 (spec section 3): the 27-row table, kept as data so a supervisor can be shown
//! exactly which row graded a fault.
//!
//! A fault is described by how many systems it hit (n, and the share s of all
//! systems on the platform), the most important class among them, whether they
//! were unusable or degraded, and how long it lasted. "Highest level wins"
//! (就高原则): of all matching rows the most severe (lowest level number) grades the
//! fault; among rows of that level the lowest row number is reported.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Importance class of an information system (A: major public welfare, e.g. 随申办;
/// B: public-facing, cross-agency or economically important; C: all others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SystemClass {
    A,
    B,
    C,
}

/// How badly the affected systems were hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Impact {
    /// 系统无法使用: functions unavailable, not reachable, crashed, severely slow.
    Unusable,
    /// 影响系统使用: partly unavailable, intermittent, noticeably slow.
    Degraded,
}

/// The facts grading needs about one fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultInput {
    /// n: the number of affected systems (at least 1).
    pub affected_systems: u32,
    /// The number of systems on the platform when the fault occurred (at least n).
    pub platform_systems: u32,
    /// The most important class among the affected systems; `None` if unknown, in
    /// which case only the scope rows apply.
    pub most_important_class: Option<SystemClass>,
    pub impact: Impact,
    /// Whole minutes from occurrence to recovery. The table's "超过30分钟" means
    /// strictly more than 30, so a caller holding seconds should round up
    /// (30 min 1 s is over 30 minutes).
    pub duration_minutes: i64,
}

/// The grading result: the level (1 most severe … 6 least) and the row that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    pub level: u8,
    pub row: u8,
    /// Which row matched and the facts it matched on, for the supervisor.
    pub explanation: String,
}

/// Inputs that cannot describe a fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GradingError {
    #[error("affected_systems is 0: a fault affects at least one system")]
    NoAffectedSystems,
    #[error("platform_systems is 0: the platform must have at least one system")]
    NoPlatformSystems,
    #[error("affected_systems ({affected}) exceeds platform_systems ({platform})")]
    MoreAffectedThanPlatform { affected: u32, platform: u32 },
    #[error("duration_minutes is negative ({0}): recovery cannot precede occurrence")]
    NegativeDuration(i64),
    /// Cannot happen with the built-in table (every valid input matches a row; a
    /// property test checks it), but the table is data, so it is not assumed.
    #[error("no row of the fault grading table matches {0:?}")]
    NoRowMatches(FaultInput),
}

/// A range of affected systems, by count n and share s (spec section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Scope {
    /// Every system on the platform (n = platform total).
    All,
    /// s ≥ 25 % and n > 50.
    S1,
    /// (5 % ≤ s < 25 % and n > 10) or (s ≥ 25 % and n ≤ 50). The source says
    /// "超过25%但系统数量不满50个"; the spec's Decision reads it as s ≥ 25 % and
    /// n ≤ 50 so that no fault falls between S1 and S2.
    S2,
    /// s < 5 % (any n ≥ 1).
    S3,
    /// s ≥ 5 % and n ≤ 10.
    S4,
    /// n > 1 and s < 5 %.
    S5,
    /// A single system (n = 1).
    One,
}

/// What a row requires of the affected systems: a scope, or a system of a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Condition {
    Scope(Scope),
    Class(SystemClass),
}

/// What a row requires of the duration, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DurationRule {
    Any,
    /// Strictly more than this many minutes (超过).
    Over(i64),
    /// This many minutes or fewer (不超过).
    AtMost(i64),
}

/// One row of the grading table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Row {
    pub number: u8,
    pub level: u8,
    pub condition: Condition,
    pub impact: Impact,
    pub duration: DurationRule,
}

const fn row(
    number: u8,
    level: u8,
    condition: Condition,
    impact: Impact,
    duration: DurationRule,
) -> Row {
    Row {
        number,
        level,
        condition,
        impact,
        duration,
    }
}

use Condition::{Class, Scope as In};
use DurationRule::{Any, AtMost, Over};
use Impact::{Degraded, Unusable};
use SystemClass::{A, B};

/// The 27 rows of 故障定级详表, in the source's order.
#[rustfmt::skip]
pub const ROWS: [Row; 27] = [
    row(1,  1, In(Scope::All), Unusable, Any),
    row(2,  1, In(Scope::S1),  Unusable, Over(30)),
    row(3,  1, Class(A),       Unusable, Over(30)),
    row(4,  2, In(Scope::S1),  Unusable, AtMost(30)),
    row(5,  2, Class(A),       Unusable, AtMost(30)),
    row(6,  2, In(Scope::S1),  Degraded, Over(60)),
    row(7,  2, In(Scope::S2),  Unusable, Over(60)),
    row(8,  2, Class(B),       Unusable, Over(60)),
    row(9,  2, Class(A),       Degraded, Over(60)),
    row(10, 3, In(Scope::S1),  Degraded, AtMost(60)),
    row(11, 3, In(Scope::S2),  Unusable, AtMost(60)),
    row(12, 3, Class(B),       Unusable, AtMost(60)),
    row(13, 3, Class(A),       Degraded, AtMost(60)),
    row(14, 3, In(Scope::S2),  Degraded, Over(120)),
    row(15, 3, In(Scope::S3),  Unusable, Over(120)),
    row(16, 3, In(Scope::S4),  Unusable, Over(120)),
    row(17, 3, Class(B),       Degraded, Over(120)),
    row(18, 4, In(Scope::S2),  Degraded, AtMost(120)),
    row(19, 4, In(Scope::S3),  Unusable, AtMost(120)),
    row(20, 4, In(Scope::S4),  Unusable, AtMost(120)),
    row(21, 4, Class(B),       Degraded, AtMost(120)),
    row(22, 4, In(Scope::S4),  Degraded, Over(240)),
    row(23, 4, In(Scope::S5),  Degraded, Over(240)),
    row(24, 5, In(Scope::S4),  Degraded, AtMost(240)),
    row(25, 5, In(Scope::S5),  Degraded, AtMost(240)),
    row(26, 5, In(Scope::One), Degraded, Over(360)),
    row(27, 6, In(Scope::One), Degraded, AtMost(360)),
];

/// Grades a fault: the most severe matching row of [`ROWS`], ties to the lowest row.
pub fn grade(input: &FaultInput) -> Result<Grade, GradingError> {
    let fault = Fault::new(input)?;
    let winner = ROWS
        .iter()
        .filter(|row| fault.matches(row))
        .min_by_key(|row| (row.level, row.number))
        .ok_or_else(|| GradingError::NoRowMatches(input.clone()))?;
    Ok(Grade {
        level: winner.level,
        row: winner.number,
        explanation: format!(
            "level {} ({}), row {winner}; fault: {fault}",
            winner.level,
            level_name(winner.level)
        ),
    })
}

/// A validated fault with its exact share.
struct Fault<'a> {
    input: &'a FaultInput,
    /// s = n / platform total, exact up to rust_decimal's 28 digits. It equals a
    /// threshold (5 % = 1/20, 25 % = 1/4) exactly when n / total does, and otherwise
    /// differs from it by at least 1 / (20 · total) ≫ the rounding error, so the
    /// comparisons below are exact.
    share: Decimal,
}

const FIVE_PERCENT: Decimal = dec!(0.05);
const TWENTY_FIVE_PERCENT: Decimal = dec!(0.25);

impl<'a> Fault<'a> {
    fn new(input: &'a FaultInput) -> Result<Self, GradingError> {
        let (n, total) = (input.affected_systems, input.platform_systems);
        if n == 0 {
            return Err(GradingError::NoAffectedSystems);
        }
        if total == 0 {
            return Err(GradingError::NoPlatformSystems);
        }
        if n > total {
            return Err(GradingError::MoreAffectedThanPlatform {
                affected: n,
                platform: total,
            });
        }
        if input.duration_minutes < 0 {
            return Err(GradingError::NegativeDuration(input.duration_minutes));
        }
        let share = Decimal::from(n)
            .checked_div(Decimal::from(total))
            .ok_or(GradingError::NoPlatformSystems)?;
        Ok(Self { input, share })
    }

    fn matches(&self, row: &Row) -> bool {
        self.meets(row.condition) && self.input.impact == row.impact && self.lasts(row.duration)
    }

    fn meets(&self, condition: Condition) -> bool {
        match condition {
            Condition::Scope(scope) => self.within(scope),
            Condition::Class(class) => self.input.most_important_class == Some(class),
        }
    }

    fn within(&self, scope: Scope) -> bool {
        let n = self.input.affected_systems;
        let s = self.share;
        match scope {
            Scope::All => n == self.input.platform_systems,
            Scope::S1 => s >= TWENTY_FIVE_PERCENT && n > 50,
            Scope::S2 => {
                (s >= FIVE_PERCENT && s < TWENTY_FIVE_PERCENT && n > 10)
                    || (s >= TWENTY_FIVE_PERCENT && n <= 50)
            }
            Scope::S3 => s < FIVE_PERCENT,
            Scope::S4 => s >= FIVE_PERCENT && n <= 10,
            Scope::S5 => n > 1 && s < FIVE_PERCENT,
            Scope::One => n == 1,
        }
    }

    fn lasts(&self, rule: DurationRule) -> bool {
        let minutes = self.input.duration_minutes;
        match rule {
            DurationRule::Any => true,
            DurationRule::Over(limit) => minutes > limit,
            DurationRule::AtMost(limit) => minutes <= limit,
        }
    }
}

impl fmt::Display for Fault<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = self.input;
        let percent = (self.share * dec!(100)).round_dp(2);
        write!(
            f,
            "{} of {} systems (s = {percent} %), ",
            input.affected_systems, input.platform_systems
        )?;
        match input.most_important_class {
            Some(class) => write!(f, "most important class {class:?}, ")?,
            None => write!(f, "class unknown, ")?,
        }
        write!(f, "{}, {} min", input.impact, input.duration_minutes)
    }
}

fn level_name(level: u8) -> &'static str {
    match level {
        1 => "一级故障",
        2 => "二级故障",
        3 => "三级故障",
        4 => "四级故障",
        5 => "五级故障",
        6 => "六级故障",
        _ => "未定义等级",
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}, {}, {}",
            self.number, self.condition, self.impact, self.duration
        )
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Scope(scope) => scope.fmt(f),
            Condition::Class(class) => write!(f, "class {class:?} system"),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scope::All => "ALL (every system on the platform)",
            Scope::S1 => "S1 (s ≥ 25 % and n > 50)",
            Scope::S2 => "S2 (5 % ≤ s < 25 % and n > 10, or s ≥ 25 % and n ≤ 50)",
            Scope::S3 => "S3 (s < 5 %)",
            Scope::S4 => "S4 (s ≥ 5 % and n ≤ 10)",
            Scope::S5 => "S5 (n > 1 and s < 5 %)",
            Scope::One => "ONE (a single system)",
        })
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::Unusable => "unusable (无法使用)",
            Impact::Degraded => "degraded (影响使用)",
        })
    }
}

impl fmt::Display for DurationRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationRule::Any => f.write_str("any duration"),
            DurationRule::Over(limit) => write!(f, "> {limit} min"),
            DurationRule::AtMost(limit) => write!(f, "≤ {limit} min"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fault(
        n: u32,
        total: u32,
        class: Option<SystemClass>,
        impact: Impact,
        minutes: i64,
    ) -> FaultInput {
        FaultInput {
            affected_systems: n,
            platform_systems: total,
            most_important_class: class,
            impact,
            duration_minutes: minutes,
        }
    }

    /// (level, row) of a valid fault.
    fn graded(
        n: u32,
        total: u32,
        class: Option<SystemClass>,
        impact: Impact,
        minutes: i64,
    ) -> (u8, u8) {
        let grade = grade(&fault(n, total, class, impact, minutes)).expect("valid fault");
        (grade.level, grade.row)
    }

    #[test]
    fn table_is_ordered_by_level_and_numbered_1_to_27() {
        for (index, row) in ROWS.iter().enumerate() {
            assert_eq!(usize::from(row.number), index + 1);
            assert!((1..=6).contains(&row.level));
        }
        assert!(ROWS.windows(2).all(|pair| pair[0].level <= pair[1].level));
    }

    /// One fault per row that is graded by exactly that row (platform of 100,
    /// 200 or 1000 systems; `None` = class unknown or C).
    #[test]
    #[rustfmt::skip]
    fn every_row_wins_for_its_own_fault() {
        let cases: [(u8, u8, FaultInput); 27] = [
            // all 100 systems down, even briefly; S1 row 4 (level 2) also matches
            (1,  1, fault(100, 100, None, Unusable, 5)),
            // 60 of 200 = 30 % ≥ 25 %, n > 50, 31 min
            (2,  1, fault(60, 200, None, Unusable, 31)),
            // one class-A system of 1000, 31 min; S3 row 19 (level 4) also matches
            (3,  1, fault(1, 1000, Some(A), Unusable, 31)),
            (4,  2, fault(60, 200, None, Unusable, 30)),
            (5,  2, fault(1, 1000, Some(A), Unusable, 30)),
            (6,  2, fault(60, 200, None, Degraded, 61)),
            // 12 of 100 = 12 %, n > 10: S2
            (7,  2, fault(12, 100, None, Unusable, 61)),
            (8,  2, fault(1, 1000, Some(B), Unusable, 61)),
            (9,  2, fault(1, 1000, Some(A), Degraded, 61)),
            (10, 3, fault(60, 200, None, Degraded, 60)),
            (11, 3, fault(12, 100, None, Unusable, 60)),
            (12, 3, fault(1, 1000, Some(B), Unusable, 60)),
            // ONE row 27 (level 6) also matches
            (13, 3, fault(1, 1000, Some(A), Degraded, 60)),
            (14, 3, fault(12, 100, None, Degraded, 121)),
            // 1 of 1000 = 0.1 % < 5 %: S3
            (15, 3, fault(1, 1000, None, Unusable, 121)),
            // 5 of 100 = 5 % exactly, n ≤ 10: S4
            (16, 3, fault(5, 100, None, Unusable, 121)),
            (17, 3, fault(1, 1000, Some(B), Degraded, 121)),
            (18, 4, fault(12, 100, None, Degraded, 120)),
            (19, 4, fault(1, 1000, None, Unusable, 120)),
            (20, 4, fault(5, 100, None, Unusable, 120)),
            (21, 4, fault(1, 1000, Some(B), Degraded, 120)),
            (22, 4, fault(5, 100, None, Degraded, 241)),
            // 2 of 1000: n > 1, s < 5 %: S5
            (23, 4, fault(2, 1000, None, Degraded, 241)),
            (24, 5, fault(5, 100, None, Degraded, 240)),
            (25, 5, fault(2, 1000, None, Degraded, 240)),
            (26, 5, fault(1, 1000, None, Degraded, 361)),
            // class C counts like an unknown class: only scope rows
            (27, 6, fault(1, 1000, Some(SystemClass::C), Degraded, 360)),
        ];
        for (row, level, input) in cases {
            let grade = grade(&input).expect("valid fault");
            assert_eq!((grade.level, grade.row), (level, row), "{input:?}: {}", grade.explanation);
        }
    }

    #[test]
    fn ties_go_to_the_lowest_row() {
        // S1 unusable 45 min (row 2) and class A unusable 45 min (row 3): both level 1.
        assert_eq!(graded(60, 200, Some(A), Unusable, 45), (1, 2));
        // 1 of 10 = 10 % ≥ 5 % and n ≤ 10 is S4 as well as ONE: degraded 300 min
        // matches row 22 (level 4) and row 26 (level 5): level 4 wins.
        assert_eq!(graded(1, 10, None, Degraded, 300), (4, 22));
    }

    #[test]
    fn duration_boundaries() {
        // 30 min is "not over 30": class A unusable → row 5; 31 → row 3.
        assert_eq!(graded(1, 1000, Some(A), Unusable, 30), (2, 5));
        assert_eq!(graded(1, 1000, Some(A), Unusable, 31), (1, 3));
        // S2 unusable: 60 → row 11, 61 → row 7.
        assert_eq!(graded(12, 100, None, Unusable, 60), (3, 11));
        assert_eq!(graded(12, 100, None, Unusable, 61), (2, 7));
        // S3 unusable: 120 → row 19, 121 → row 15.
        assert_eq!(graded(1, 1000, None, Unusable, 120), (4, 19));
        assert_eq!(graded(1, 1000, None, Unusable, 121), (3, 15));
        // S5 degraded: 240 → row 25, 241 → row 23.
        assert_eq!(graded(2, 1000, None, Degraded, 240), (5, 25));
        assert_eq!(graded(2, 1000, None, Degraded, 241), (4, 23));
        // ONE degraded: 360 → row 27, 361 → row 26.
        assert_eq!(graded(1, 1000, None, Degraded, 360), (6, 27));
        assert_eq!(graded(1, 1000, None, Degraded, 361), (5, 26));
        // Zero minutes is a valid duration.
        assert_eq!(graded(1, 1000, None, Degraded, 0), (6, 27));
    }

    #[test]
    fn five_percent_boundary() {
        // 11 of 220 = 5 % exactly and n > 10: S2, unusable 60 → row 11.
        assert_eq!(graded(11, 220, None, Unusable, 60), (3, 11));
        // 11 of 221 ≈ 4.98 %: S3 → row 19.
        assert_eq!(graded(11, 221, None, Unusable, 60), (4, 19));
        // 10 of 200 = 5 % and n ≤ 10: S4 → row 22 for degraded 241 min;
        // 10 of 201 < 5 %: S5 → row 23 (same level, different row).
        assert_eq!(graded(10, 200, None, Degraded, 241), (4, 22));
        assert_eq!(graded(10, 201, None, Degraded, 241), (4, 23));
        // 1 of 20 = 5 %: S4 (and ONE), degraded 300 → row 22 (> 240);
        // 1 of 21 < 5 %: only ONE → row 27 (≤ 360), two levels lower.
        assert_eq!(graded(1, 20, None, Degraded, 300), (4, 22));
        assert_eq!(graded(1, 21, None, Degraded, 300), (6, 27));
    }

    #[test]
    fn twenty_five_percent_boundary() {
        // 60 of 240 = 25 % exactly and n > 50: S1, unusable 10 → row 4.
        assert_eq!(graded(60, 240, None, Unusable, 10), (2, 4));
        // 60 of 241 ≈ 24.9 %, n > 10: S2 → row 11.
        assert_eq!(graded(60, 241, None, Unusable, 10), (3, 11));
        // Degraded 30 min: S1 → row 10, S2 → row 18.
        assert_eq!(graded(60, 240, None, Degraded, 30), (3, 10));
        assert_eq!(graded(60, 241, None, Degraded, 30), (4, 18));
    }

    #[test]
    fn ten_systems_boundary() {
        // 10 of 100 = 10 %, n ≤ 10: S4, unusable 60 → row 20.
        assert_eq!(graded(10, 100, None, Unusable, 60), (4, 20));
        // 11 of 100 = 11 %, n > 10: S2 → row 11.
        assert_eq!(graded(11, 100, None, Unusable, 60), (3, 11));
    }

    #[test]
    fn fifty_systems_boundary() {
        // 50 of 100 = 50 % ≥ 25 %, n ≤ 50: S2 (the spec's Decision), unusable 10 → row 11.
        assert_eq!(graded(50, 100, None, Unusable, 10), (3, 11));
        // 51 of 100, n > 50: S1 → row 4.
        assert_eq!(graded(51, 100, None, Unusable, 10), (2, 4));
        // A small platform hit at ≥ 25 % with few systems: 12 of 40 = 30 % → S2.
        assert_eq!(graded(12, 40, None, Degraded, 121), (3, 14));
    }

    #[test]
    fn all_systems_unusable_is_level_1_even_on_a_tiny_platform() {
        assert_eq!(graded(3, 3, None, Unusable, 1), (1, 1));
        // ALL has no degraded row: 3 of 3 degraded is S2 (≥ 25 %, n ≤ 50) → row 18.
        assert_eq!(graded(3, 3, None, Degraded, 1), (4, 18));
    }

    #[test]
    fn explanation_names_the_row_and_the_facts() {
        let grade = grade(&fault(12, 100, Some(B), Unusable, 75)).expect("valid fault");
        assert_eq!(
            grade.explanation,
            "level 2 (二级故障), row 7: S2 (5 % ≤ s < 25 % and n > 10, or s ≥ 25 % and n ≤ 50), \
             unusable (无法使用), > 60 min; fault: 12 of 100 systems (s = 12.00 %), \
             most important class B, unusable (无法使用), 75 min"
        );
    }

    #[test]
    fn invalid_inputs_are_refused() {
        assert_eq!(
            grade(&fault(0, 100, None, Unusable, 5)),
            Err(GradingError::NoAffectedSystems)
        );
        assert_eq!(
            grade(&fault(1, 0, None, Unusable, 5)),
            Err(GradingError::NoPlatformSystems)
        );
        assert_eq!(
            grade(&fault(101, 100, None, Unusable, 5)),
            Err(GradingError::MoreAffectedThanPlatform {
                affected: 101,
                platform: 100
            })
        );
        assert_eq!(
            grade(&fault(1, 100, None, Unusable, -1)),
            Err(GradingError::NegativeDuration(-1))
        );
    }

    #[test]
    fn enums_serialize_in_upper_case() {
        assert_eq!(
            serde_json::to_string(&Impact::Unusable).expect("json"),
            r#""UNUSABLE""#
        );
        assert_eq!(
            serde_json::to_string(&Impact::Degraded).expect("json"),
            r#""DEGRADED""#
        );
        assert_eq!(
            serde_json::to_string(&SystemClass::A).expect("json"),
            r#""A""#
        );
        let input: FaultInput = serde_json::from_str(
            r#"{"affected_systems":2,"platform_systems":9,"most_important_class":"B","impact":"DEGRADED","duration_minutes":3}"#,
        )
        .expect("json");
        assert_eq!(input, fault(2, 9, Some(B), Degraded, 3));
    }

    // --- properties --------------------------------------------------------

    fn class() -> impl Strategy<Value = Option<SystemClass>> {
        prop_oneof![
            Just(None),
            Just(Some(A)),
            Just(Some(B)),
            Just(Some(SystemClass::C))
        ]
    }

    fn impact() -> impl Strategy<Value = Impact> {
        prop_oneof![Just(Unusable), Just(Degraded)]
    }

    /// Valid faults, biased towards the interesting small counts and shares.
    fn valid_fault() -> impl Strategy<Value = FaultInput> {
        prop_oneof![1u32..=300, 1u32..=5000, 1u32..=u32::MAX]
            .prop_flat_map(|total| {
                let n = prop_oneof![1u32..=total.min(60), 1u32..=total];
                (n, Just(total), class(), impact(), 0i64..=1000)
            })
            .prop_map(|(n, total, class, impact, minutes)| fault(n, total, class, impact, minutes))
    }

    /// Scope membership by integer cross-multiplication, independent of Decimal.
    fn within_by_integers(scope: Scope, n: u32, total: u32) -> bool {
        let (n64, t64) = (u64::from(n), u64::from(total));
        let at_least = |percent: u64| n64 * 100 >= t64 * percent;
        match scope {
            Scope::All => n == total,
            Scope::S1 => at_least(25) && n > 50,
            Scope::S2 => (at_least(5) && !at_least(25) && n > 10) || (at_least(25) && n <= 50),
            Scope::S3 => !at_least(5),
            Scope::S4 => at_least(5) && n <= 10,
            Scope::S5 => n > 1 && !at_least(5),
            Scope::One => n == 1,
        }
    }

    proptest! {
        #[test]
        fn every_valid_fault_gets_a_level_1_to_6_from_a_matching_row(input in valid_fault()) {
            let grade = grade(&input).expect("every valid fault matches a row");
            prop_assert!((1..=6).contains(&grade.level));
            let row = ROWS[usize::from(grade.row) - 1];
            prop_assert_eq!(row.level, grade.level);
            let fault = Fault::new(&input).expect("valid");
            prop_assert!(fault.matches(&row));
            prop_assert!(ROWS.iter().filter(|r| fault.matches(r)).all(|r| (r.level, r.number) >= (row.level, row.number)));
        }

        #[test]
        fn decimal_share_agrees_with_integer_arithmetic(input in valid_fault()) {
            let fault = Fault::new(&input).expect("valid");
            for scope in [Scope::All, Scope::S1, Scope::S2, Scope::S3, Scope::S4, Scope::S5, Scope::One] {
                prop_assert_eq!(
                    fault.within(scope),
                    within_by_integers(scope, input.affected_systems, input.platform_systems),
                    "{:?}", scope
                );
            }
        }

        #[test]
        fn longer_never_less_severe(input in valid_fault(), extra in 0i64..=500) {
            let longer = FaultInput { duration_minutes: input.duration_minutes + extra, ..input.clone() };
            prop_assert!(grade(&longer).expect("valid").level <= grade(&input).expect("valid").level);
        }

        #[test]
        fn more_important_class_never_less_severe(input in valid_fault()) {
            let level = |class| grade(&FaultInput { most_important_class: class, ..input.clone() }).expect("valid").level;
            let (a, b, c, unknown) = (level(Some(A)), level(Some(B)), level(Some(SystemClass::C)), level(None));
            prop_assert!(a <= b && b <= c);
            prop_assert_eq!(c, unknown);
        }

        #[test]
        fn unusable_never_less_severe_than_degraded(input in valid_fault()) {
            let level = |impact| grade(&FaultInput { impact, ..input.clone() }).expect("valid").level;
            prop_assert!(level(Unusable) <= level(Degraded));
        }

        #[test]
        fn a_single_degraded_system_is_level_4_to_6(total in 1u32..=u32::MAX, minutes in 0i64..=1000) {
            // Without a class, one degraded system is ONE (rows 26/27), or S4 too
            // when it is ≥ 5 % of a platform of at most 20 systems (rows 22/24).
            let level = grade(&fault(1, total, None, Degraded, minutes)).expect("valid").level;
            prop_assert!((4..=6).contains(&level));
        }
    }
}
