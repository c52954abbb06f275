//! E-mail for rectification notices (整改通知).
//!
//! A notice's messages are rendered from one template per notice kind
//! ([`templates`]) and written to the persistent outbox in the notice's own
//! transaction ([`outbox::enqueue`]), so a notice never exists without its
//! mail and mail never goes out for a notice that was rolled back. The sender
//! job ([`sender`]) delivers due messages through a [`Mailer`] backend (SMTP,
//! files, or memory for tests), retries with backoff, and records every try.
//!
//! Recipients are masked ([`mask_address`]) wherever they are logged.

pub mod mailer;
pub mod outbox;
pub mod sender;
pub mod templates;

pub use mailer::{MailError, Mailer, OutgoingMail, mask_address, mask_addresses_in};
pub use sender::{
    DeliveryReport, Sending, deliver_due, deliver_due_trying, spawn_sender, spawn_sender_until,
};
pub use templates::{NoticeMail, render};
