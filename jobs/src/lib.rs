//! The assessment engine (pure: facts in, explained scores out; no I/O, no clock)
//! and, later, the scheduled jobs that feed it from the database.

pub mod calendar;
pub mod engine;
pub mod fault_grading;
pub mod scheme;
