//! The entity types under short names, e.g. `Region` for `region::Entity`.

pub use super::agency::Entity as Agency;
pub use super::attendance::Entity as Attendance;
pub use super::audit_entry::Entity as AuditEntry;
pub use super::change::Entity as Change;
pub use super::complaint::Entity as Complaint;
pub use super::contract::Entity as Contract;
pub use super::fault::Entity as Fault;
pub use super::information_system::Entity as InformationSystem;
pub use super::outage::Entity as Outage;
pub use super::region::Entity as Region;
pub use super::security_accident::Entity as SecurityAccident;
pub use super::security_risk::Entity as SecurityRisk;
pub use super::service_task::Entity as ServiceTask;
pub use super::survey_response::Entity as SurveyResponse;
pub use super::training::Entity as Training;
pub use super::unticketed_delivery::Entity as UnticketedDelivery;
pub use super::user::Entity as User;
pub use super::vendor::Entity as Vendor;
pub use super::violation::Entity as Violation;
pub use super::work_order::Entity as WorkOrder;
