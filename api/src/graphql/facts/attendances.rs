//! On-site staff attendance (驻场人员出勤), one record per vendor, region and month.
//! B1 scores actual hours / required hours; a month without a record scores in
//! full with a warning.

use super::columns::{Hours, MonthText, PositiveHours};

pub use domain::facts::attendances::Attendances;

fact_kind! {
    Attendances => Attendance, entity: attendance, page: AttendancePage,
    label: "驻场人员出勤", title: period,
    inputs: CreateAttendanceInput, UpdateAttendanceInput,
    query: AttendanceQuery { attendance, attendances },
    mutation: AttendanceMutation { create_attendance, update_attendance, delete_attendance },
    columns {
        /// The month, `YYYY-MM`.
        #[label("月份")]
        period: MonthText,
        /// Hours all on-site staff were required to be present in the month.
        #[label("应出勤工时")]
        required_hours: PositiveHours,
        #[label("实际出勤工时")]
        actual_hours: Hours,
    }
    links {}
}
