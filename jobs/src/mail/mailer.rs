//! Where messages go: one enum over the backends, chosen once from the
//! configuration. SMTP when `SMTP_URL` is set; files under `MAIL_DIR` otherwise,
//! so the default start works without a mail server; memory for unit tests.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use thiserror::Error;

use super::MailConfig;

#[derive(Debug, Error)]
pub enum MailError {
    #[error("MAIL_FROM {0:?} is not an e-mail address")]
    BadSender(String),
    /// Holds the masked address: this text is logged and stored.
    #[error("recipient {0} is not an e-mail address")]
    BadRecipient(String),
    /// The URL itself is left out: it may carry a password.
    #[error("SMTP_URL is not usable: {0}")]
    BadUrl(#[source] lettre::transport::smtp::Error),
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP delivery failed: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("cannot write {path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// One message as the outbox holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMail {
    pub outbox_id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

impl From<&entities::outbox::Model> for OutgoingMail {
    fn from(row: &entities::outbox::Model) -> Self {
        Self {
            outbox_id: row.id,
            recipient: row.recipient.clone(),
            subject: row.subject.clone(),
            body: row.body.clone(),
        }
    }
}

/// The `Message-ID` of an outbox row. It depends on the row only, so should a
/// message ever be delivered twice (see `sender`), the copies are recognisable.
pub fn message_id(outbox_id: i64) -> String {
    format!("<outbox-{outbox_id}@govcloud.local>")
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// One `<outbox id>.eml` per message; a retry overwrites the same file.
    Files { dir: PathBuf, from: Mailbox },
    /// Keeps what was sent, for unit tests.
    Memory {
        sent: Arc<Mutex<Vec<OutgoingMail>>>,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    /// Names the backend only: the SMTP transport holds credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer::{}", self.backend())
    }
}

impl Mailer {
    pub fn from_config(config: &MailConfig) -> Result<Self, MailError> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|_| MailError::BadSender(config.from.clone()))?;
        match &config.smtp_url {
            // `smtp://host:port` is plain SMTP; `?tls=required` or `smtps://` add TLS.
            Some(url) => Ok(Self::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(MailError::BadUrl)?
                    .build(),
                from,
            }),
            None => {
                // Created now so that an unwritable MAIL_DIR stops the start-up.
                std::fs::create_dir_all(&config.mail_dir).map_err(|source| MailError::File {
                    path: config.mail_dir.clone(),
                    source,
                })?;
                Ok(Self::Files {
                    dir: config.mail_dir.clone(),
                    from,
                })
            }
        }
    }

    pub fn memory() -> Self {
        Self::Memory {
            sent: Arc::default(),
            // A literal that is known to be valid.
            from: Mailbox::new(
                None,
                lettre::Address::new_dangerous("govcloud", "localhost"),
            ),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Self::Smtp { .. } => "smtp",
            Self::Files { .. } => "files",
            Self::Memory { .. } => "memory",
        }
    }

    /// What the memory backend holds (always empty for the others).
    pub fn sent(&self) -> Vec<OutgoingMail> {
        match self {
            Self::Memory { sent, .. } => {
                sent.lock().unwrap_or_else(PoisonError::into_inner).clone()
            }
            _ => Vec::new(),
        }
    }

    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build(self.from(), mail)?;
        match self {
            Self::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
            Self::Files { dir, .. } => write_eml(dir, mail.outbox_id, &message.formatted()).await?,
            Self::Memory { sent, .. } => sent
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(mail.clone()),
        }
        Ok(())
    }

    fn from(&self) -> &Mailbox {
        match self {
            Self::Smtp { from, .. } | Self::Files { from, .. } | Self::Memory { from, .. } => from,
        }
    }
}

fn build(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .recipient
        .trim()
        .parse()
        .map_err(|_| MailError::BadRecipient(mask_address(&mail.recipient)))?;
    Ok(Message::builder()
        .message_id(Some(message_id(mail.outbox_id)))
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())?)
}

/// Written beside and renamed into place, so a reader never sees half a file
/// and a retry replaces the earlier copy instead of adding a second one.
async fn write_eml(dir: &Path, outbox_id: i64, bytes: &[u8]) -> Result<(), MailError> {
    let path = dir.join(format!("{outbox_id}.eml"));
    let partial = dir.join(format!("{outbox_id}.eml.partial"));
    let failed = |source| MailError::File {
        path: path.clone(),
        source,
    };
    tokio::fs::create_dir_all(dir).await.map_err(failed)?;
    tokio::fs::write(&partial, bytes).await.map_err(failed)?;
    tokio::fs::rename(&partial, &path).await.map_err(failed)
}

/// `o.wang@v.example.cn` → `o***@v.example.cn`: enough to tell contacts apart
/// in a log, not enough to harvest them.
pub fn mask_address(address: &str) -> String {
    match address.trim().rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// Masks every address inside a text, e.g. an SMTP server's reply that echoes
/// the recipient, before the text is logged.
pub fn mask_addresses_in(text: &str) -> String {
    let is_local = |c: char| c.is_ascii_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let before = &rest[..at];
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_local(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        out.push_str(&before[..start]);
        if let Some(first) = before[start..].chars().next() {
            out.push(first);
            out.push_str("***");
        }
        out.push('@');
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn mail(id: i64, recipient: &str) -> OutgoingMail {
        OutgoingMail {
            outbox_id: id,
            recipient: recipient.to_owned(),
            subject: "【整改通知】测试".to_owned(),
            body: "请于2025年4月30日前完成整改。".to_owned(),
        }
    }

    #[test]
    fn addresses_are_masked_to_first_letter_and_domain() {
        for (address, masked) in [
            ("o.wang@v.example.cn", "o***@v.example.cn"),
            (" li@x.cn ", "l***@x.cn"),
            ("王五@例子.中国", "王***@例子.中国"),
            ("not-an-address", "***"),
        ] {
            assert_eq!(mask_address(address), masked, "{address}");
        }
    }

    #[test]
    fn addresses_inside_a_text_are_masked() {
        let reply = "permanent error (550): 5.1.1 <o.wang@v.example.cn>: unknown, cc li@x.cn";
        assert_eq!(
            mask_addresses_in(reply),
            "permanent error (550): 5.1.1 <o***@v.example.cn>: unknown, cc l***@x.cn"
        );
    }

    #[test]
    fn every_message_carries_the_stable_message_id() {
        let from: Mailbox = "govcloud@localhost".parse().unwrap();
        let raw =
            String::from_utf8(build(&from, &mail(42, "o@v.cn")).unwrap().formatted()).unwrap();
        assert!(
            raw.contains("Message-ID: <outbox-42@govcloud.local>"),
            "{raw}"
        );
        assert!(raw.contains("charset=utf-8"), "{raw}");
    }

    #[test]
    fn a_bad_recipient_is_an_error_naming_it_masked() {
        let from: Mailbox = "govcloud@localhost".parse().unwrap();
        let err = build(&from, &mail(1, "owang-at-v.cn")).unwrap_err();
        assert_eq!(err.to_string(), "recipient *** is not an e-mail address");
    }

    #[test]
    fn plain_smtp_urls_build_a_transport_and_other_schemes_do_not() {
        let mut config = MailConfig::files(std::env::temp_dir());
        config.smtp_url = Some("smtp://127.0.0.1:2525".to_owned());
        assert_eq!(Mailer::from_config(&config).unwrap().backend(), "smtp");
        config.smtp_url = Some("smtp://127.0.0.1:2525?tls=sometimes".to_owned());
        assert!(matches!(
            Mailer::from_config(&config),
            Err(MailError::BadUrl(_))
        ));
    }

    #[tokio::test]
    async fn the_files_backend_writes_one_file_per_message_even_when_retried() {
        let dir = std::env::temp_dir().join(format!("govcloud-mailer-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mailer = Mailer::from_config(&MailConfig::files(&dir)).unwrap();
        mailer.send(&mail(7, "o@v.cn")).await.unwrap();
        mailer.send(&mail(7, "o@v.cn")).await.unwrap();
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        // Two tries of message 7: still one file.
        assert_eq!(names, ["7.eml"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn the_memory_backend_keeps_what_was_sent() {
        let mailer = Mailer::memory();
        mailer.send(&mail(1, "o@v.cn")).await.unwrap();
        assert_eq!(mailer.sent(), [mail(1, "o@v.cn")]);
    }
}
