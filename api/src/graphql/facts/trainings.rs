//! Trainings the vendor held (培训). I1 counts the valid ones in the service year:
//! a training is valid for I1 when it had at least 4 attendees and some evidence
//! (materials, notice, sign-in sheet or minutes).

use super::columns::{Between, Instant, Text, TextSet};

pub use domain::facts::trainings::Trainings;

db_enum!(
    /// What proves a training took place.
    TrainingEvidence { Materials => "MATERIALS", Notice => "NOTICE", SignIn => "SIGN_IN", Minutes => "MINUTES" }
);

fact_kind! {
    /// A training is valid for I1 with at least 4 attendees and some evidence.
    Trainings => Training, entity: training, page: TrainingPage,
    inputs: CreateTrainingInput, UpdateTrainingInput,
    query: TrainingQuery { training, trainings },
    mutation: TrainingMutation { create_training, update_training, delete_training },
    columns {
        title: Text<200>,
        held_at: Instant,
        attendees: Between<0, 100_000>,
        evidence: TextSet<TrainingEvidence>,
    }
    links {}
}
