//! sea-orm entities of the data model (docs/data-model.md): one module per table,
//! named in the singular; `prelude` re-exports the entity types.

pub mod prelude;

pub mod agency;
pub mod assessment_result;
pub mod assessment_run;
pub mod attendance;
pub mod audit_entry;
pub mod breach;
pub mod calendar_year;
pub mod catalogue_item;
pub mod catalogue_price;
pub mod change;
pub mod complaint;
pub mod contract;
pub mod contract_contact;
pub mod contract_instalment;
pub mod contract_line;
pub mod contract_supplement;
pub mod contract_system;
pub mod contract_terms;
pub mod dispute;
pub mod dispute_attachment;
pub mod fact_import;
pub mod fault;
pub mod import_batch;
pub mod information_system;
pub mod job_lease;
pub mod notice;
pub mod notice_attachment;
pub mod notice_number;
pub mod outage;
pub mod outbox;
pub mod outbox_attempt;
pub mod region;
pub mod scheme;
pub mod security_accident;
pub mod security_risk;
pub mod service_task;
pub mod survey_response;
pub mod training;
pub mod unticketed_delivery;
pub mod user;
pub mod vendor;
pub mod violation;
pub mod work_order;
