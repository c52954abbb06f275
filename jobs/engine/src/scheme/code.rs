//! The fixed set of indicators the engine knows how to compute. A scheme chooses
//! among them; it cannot invent one, because each needs code that reads its facts.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// An indicator of the Shanghai standard (annex 2), by its code there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IndicatorCode {
    A1,
    A2,
    A3,
    A4,
    B1,
    C1,
    D1,
    E1,
    E2,
    E3,
    E4,
    F1,
    F2,
    G1,
    H1,
    I1,
    J1,
    J2,
}

/// An indicator's name as the annex writes it, with an English gloss for readers
/// who do not read Chinese. Borrowed from the code when the engine names it;
/// owned when read back from a stored result (as it was written then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorName {
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl IndicatorCode {
    pub const ALL: [IndicatorCode; 18] = [
        Self::A1,
        Self::A2,
        Self::A3,
        Self::A4,
        Self::B1,
        Self::C1,
        Self::D1,
        Self::E1,
        Self::E2,
        Self::E3,
        Self::E4,
        Self::F1,
        Self::F2,
        Self::G1,
        Self::H1,
        Self::I1,
        Self::J1,
        Self::J2,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::A1 => "A1",
            Self::A2 => "A2",
            Self::A3 => "A3",
            Self::A4 => "A4",
            Self::B1 => "B1",
            Self::C1 => "C1",
            Self::D1 => "D1",
            Self::E1 => "E1",
            Self::E2 => "E2",
            Self::E3 => "E3",
            Self::E4 => "E4",
            Self::F1 => "F1",
            Self::F2 => "F2",
            Self::G1 => "G1",
            Self::H1 => "H1",
            Self::I1 => "I1",
            Self::J1 => "J1",
            Self::J2 => "J2",
        }
    }

    /// The code written exactly as in the annex ("A1"), or `None`.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.as_str() == code)
    }

    pub fn name(self) -> IndicatorName {
        let (zh, en) = match self {
            Self::A1 => ("服务交付及时率", "delivery on time"),
            Self::A2 => ("服务发放准确率", "provisioning accuracy"),
            Self::A3 => ("服务任务完成及时性", "tasks on schedule"),
            Self::A4 => ("资源交付流程合规性", "delivery process compliance"),
            Self::B1 => ("驻场人员出勤率", "on-site attendance"),
            Self::C1 => ("有责投诉", "liable complaints"),
            Self::D1 => ("服务可用性", "availability"),
            Self::E1 => ("故障发生数", "faults"),
            Self::E2 => ("故障及时恢复数", "timely recovery"),
            Self::E3 => ("故障及时上报数", "timely fault reporting"),
            Self::E4 => ("故障上报准确数", "accurate fault reporting"),
            Self::F1 => ("变更成功数", "changes succeed"),
            Self::F2 => ("变更及时上报数", "changes reported in time"),
            Self::G1 => ("制度执行有效性", "rule compliance"),
            Self::H1 => ("云服务满意率", "satisfaction"),
            Self::I1 => ("年有效培训次数", "valid trainings"),
            Self::J1 => ("安全风险及时整改数", "security risks fixed in time"),
            Self::J2 => ("安全责任事故数", "security-liability accidents"),
        };
        IndicatorName {
            zh: Cow::Borrowed(zh),
            en: Cow::Borrowed(en),
        }
    }
}

impl fmt::Display for IndicatorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_from_its_text() {
        for code in IndicatorCode::ALL {
            assert_eq!(IndicatorCode::parse(code.as_str()), Some(code));
        }
    }

    #[test]
    fn codes_are_case_sensitive_and_closed() {
        assert_eq!(IndicatorCode::parse("a1"), None);
        assert_eq!(IndicatorCode::parse("Z9"), None);
    }
}
