//! Trainings the vendor held (培训). I1 counts the valid ones in the service year:
//! a training is valid for I1 when it had at least 4 attendees and some evidence
//! (materials, notice, sign-in sheet or minutes).

use super::columns::{Between, Instant, Text, TextSet};

pub use domain::facts::trainings::Trainings;

db_enum!(
    /// What proves a training took place.
    TrainingEvidence { Materials => "MATERIALS" / "培训材料", Notice => "NOTICE" / "培训通知", SignIn => "SIGN_IN" / "签到表", Minutes => "MINUTES" / "会议纪要" }
);

fact_kind! {
    /// A training is valid for I1 with at least 4 attendees and some evidence.
    Trainings => Training, entity: training, page: TrainingPage,
    label: "培训", title: title,
    inputs: CreateTrainingInput, UpdateTrainingInput,
    query: TrainingQuery { training, trainings },
    mutation: TrainingMutation { create_training, update_training, delete_training },
    columns {
        #[label("培训主题")]
        title: Text<200>,
        #[label("培训时间")]
        held_at: Instant,
        #[label("参训人数")]
        attendees: Between<0, 100_000>,
        #[label("培训证明")]
        evidence: TextSet<TrainingEvidence>,
    }
    links {}
}
