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

pub mod breaches;
pub mod mailer;
pub mod outbox;
pub mod sender;
pub mod templates;

pub use mailer::{MailError, Mailer, OutgoingMail, mask_address, mask_addresses_in};
pub use sender::{
    DeliveryReport, Sending, deliver_due, deliver_due_trying, spawn_sender, spawn_sender_until,
};
pub use templates::{NoticeMail, StepMail, StepMailKind, render, render_step};

use std::path::PathBuf;

/// Where notices are mailed: over SMTP when `SMTP_URL` is set, else written as
/// files under `MAIL_DIR` (so the default start needs no mail server).
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// e.g. `smtp://127.0.0.1:2525`.
    pub smtp_url: Option<String>,
    pub mail_dir: PathBuf,
    pub from: String,
    /// How often the sender job looks for messages due.
    pub poll_seconds: u64,
    /// `MAIL_MAX_ATTEMPTS`: a message is given up (FAILED) after this many failed tries.
    pub max_attempts: i32,
    /// `PUBLIC_URL`: where users reach the platform; a notice's mail links to
    /// `{public_url}/notices/{id}`.
    pub public_url: String,
}

/// `PUBLIC_URL` when unset.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

impl MailConfig {
    pub fn files(dir: impl Into<PathBuf>) -> Self {
        Self {
            smtp_url: None,
            mail_dir: dir.into(),
            from: "govcloud@localhost".to_owned(),
            poll_seconds: 10,
            max_attempts: sender::DEFAULT_MAX_ATTEMPTS,
            public_url: DEFAULT_PUBLIC_URL.to_owned(),
        }
    }
}
