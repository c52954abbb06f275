//! Notice mail end to end: notices and their outbox rows are written the way
//! the notice code writes them (one transaction), then delivered to a real SMTP
//! server (Python's aiosmtpd, started here) or to files, and what arrived is
//! read back and counted.
//!
//! Every time here is in 2099: the app's own background sender runs on the
//! real clock, so it never finds these rows due and only the explicit
//! `deliver_due` calls below move them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub(crate) use e2e::mail::Arrived;
use e2e::spawn_app;
use entities::notice::NoticeKind;
use entities::outbox::OutboxStatus;
use entities::{outbox as outbox_row, outbox_attempt, region, vendor};
use jobs::mail::outbox;
use jobs::mail::sender::{DeliveryReport, deliver_due};
use jobs::mail::templates::NoticeMail;
use jobs::mail::{Mailer, render};
use sea_orm::prelude::{ChronoDate, DateTimeUtc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Database, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

/// 2099-01-01 00:00:00 UTC.
fn t0() -> DateTimeUtc {
    DateTimeUtc::from_timestamp(4_070_908_800, 0).unwrap()
}

fn later(seconds: u64) -> DateTimeUtc {
    t0() + Duration::from_secs(seconds)
}

const BATCH: u64 = 50;

/// With `MAIL_MAX_ATTEMPTS` 3 and the SMTP server down, a mail fails at t0, is
/// retried 30 s later (the first backoff) and again 60 s after that (the
/// second backoff, doubled): its third failure gives it up as FAILED, after which it is never
/// tried again; `/metrics` counts it and the region's supervisors see it on
/// the notice.
#[tokio::test]
async fn mail_that_cannot_be_delivered_is_given_up_after_the_configured_tries() {
    use jobs::mail::sender::deliver_due_trying;
    let app = spawn_app().await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let mut smtp = SmtpServer::start(scratch_dir("smtp-gone")).await;
    let mailer = smtp.mailer();
    smtp.stop();
    // Given up on purpose: the one message stays FAILED.
    app.expect_undelivered_mail();
    let world = Seed::new(&db, &["o.wang@v1.example.cn"]).await;
    world
        .notice_with_mail(&db, NoticeKind::Manual, None, t0())
        .await;
    let failed_once = DeliveryReport { sent: 0, failed: 1 };
    // A second after each retry time: a round's clock runs on while it works.
    for at in [t0(), later(31), later(31 + 61)] {
        assert_eq!(
            deliver_due_trying(&db, &mailer, at, BATCH, 3)
                .await
                .unwrap(),
            failed_once,
            "{at}"
        );
    }
    assert_eq!(
        deliver_due_trying(&db, &mailer, later(86_400), BATCH, 3)
            .await
            .unwrap(),
        DeliveryReport::default(),
        "given up: never tried again"
    );
    let rows = outbox_rows(&db).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].status, rows[0].attempts),
        (OutboxStatus::Failed, 3)
    );

    let metrics = reqwest::get(format!("{}/metrics", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.lines().any(|l| l == "govcloud_outbox_given_up 1"),
        "{metrics}"
    );
    let notice = rows[0].notice_id.unwrap().to_string();
    let admin = app.admin().await;
    let seen = app
        .must(
            &admin,
            "query($id: ID!) { notice(id: $id) { undeliveredMails { recipient attempts lastError } } }",
            serde_json::json!({"id": notice}),
        )
        .await;
    let mails = &seen["notice"]["undeliveredMails"];
    assert_eq!(mails[0]["recipient"], "o.wang@v1.example.cn");
    assert_eq!(mails[0]["attempts"], 3);
    assert!(
        mails[0]["lastError"]
            .as_str()
            .unwrap()
            .starts_with("SMTP delivery failed"),
        "{mails}"
    );
}

#[tokio::test]
async fn notices_are_delivered_over_smtp_once() {
    let app = spawn_app().await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let smtp = SmtpServer::start(scratch_dir("smtp-once")).await;
    let mailer = smtp.mailer();
    let world = Seed::new(&db, &["o.wang@v1.example.cn", "li.na@v1.example.cn"]).await;

    world
        .notice_with_mail(&db, NoticeKind::MonthlyBelowPassMark, Some("2099-01"), t0())
        .await;
    world
        .notice_with_mail(&db, NoticeKind::SecurityRiskOverdue, None, t0())
        .await;
    let first = deliver_due(&db, &mailer, t0(), BATCH).await.unwrap();
    let second = deliver_due(&db, &mailer, later(3600), BATCH).await.unwrap();

    // 2 notices × 2 contacts = 4 messages, all sent in the first round.
    assert_eq!(first, DeliveryReport { sent: 4, failed: 0 });
    // Nothing is due any more, an hour later or ever.
    assert_eq!(second, DeliveryReport::default());
    let rows = outbox_rows(&db).await;
    assert_eq!(rows.len(), 4);
    for row in &rows {
        assert_eq!(
            (row.status, row.attempts, row.sent_at.is_some()),
            (OutboxStatus::Sent, 1, true)
        );
        assert_eq!(
            attempt_errors(&db, row.id).await,
            [None],
            "one successful try for {}",
            row.id
        );
    }
    assert_each_arrived_once(&smtp.arrived(), &rows);
}

#[tokio::test]
async fn a_down_smtp_server_loses_nothing_and_doubles_nothing() {
    let app = spawn_app().await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let mut smtp = SmtpServer::start(scratch_dir("smtp-down")).await;
    let mailer = smtp.mailer();
    let world = Seed::new(&db, &["o.wang@v1.example.cn"]).await;

    // One notice to the one contact goes through while the server is up.
    world
        .notice_with_mail(&db, NoticeKind::MonthlyBelowPassMark, Some("2099-01"), t0())
        .await;
    assert_eq!(
        deliver_due(&db, &mailer, t0(), BATCH).await.unwrap(),
        DeliveryReport { sent: 1, failed: 0 }
    );

    // The server goes away; two more notices are written a minute later.
    smtp.stop();
    world
        .notice_with_mail(&db, NoticeKind::Manual, None, later(60))
        .await;
    world
        .notice_with_mail(&db, NoticeKind::SecurityRiskOverdue, None, later(60))
        .await;
    let refused = deliver_due(&db, &mailer, later(60), BATCH).await.unwrap();
    let too_early = deliver_due(&db, &mailer, later(60), BATCH).await.unwrap();

    // Both new messages fail once and wait for their first retry, 30 s later.
    assert_eq!(refused, DeliveryReport { sent: 0, failed: 2 });
    assert_eq!(too_early, DeliveryReport::default());
    let waiting: Vec<_> = outbox_rows(&db)
        .await
        .into_iter()
        .filter(|r| r.status == OutboxStatus::Pending)
        .collect();
    assert_eq!(waiting.len(), 2);
    for row in &waiting {
        assert_eq!(row.attempts, 1);
        assert!(
            row.next_attempt_at >= later(90),
            "retry at {} for {}",
            row.next_attempt_at,
            row.id
        );
        let errors = attempt_errors(&db, row.id).await;
        assert_eq!(errors.len(), 1);
        let error = errors[0].clone().expect("the failed try's error");
        assert!(error.starts_with("SMTP delivery failed"), "{error}");
        assert_eq!(row.last_error.as_deref(), Some(error.as_str()));
    }
    assert_eq!(smtp.arrived().len(), 1);

    // Back on the same port and maildir, 31 s after the failure: the two go.
    smtp.restart().await;
    let resumed = deliver_due(&db, &mailer, later(60 + 31), BATCH)
        .await
        .unwrap();
    let after = deliver_due(&db, &mailer, later(7200), BATCH).await.unwrap();

    assert_eq!(resumed, DeliveryReport { sent: 2, failed: 0 });
    assert_eq!(after, DeliveryReport::default());
    let rows = outbox_rows(&db).await;
    assert!(rows.iter().all(|r| r.status == OutboxStatus::Sent));
    for row in &waiting {
        // The refused try, then the one that went through.
        let errors = attempt_errors(&db, row.id).await;
        assert_eq!(
            errors.iter().map(Option::is_some).collect::<Vec<_>>(),
            [true, false]
        );
    }
    // 1 before the outage + 2 after it = 3, each exactly once.
    assert_each_arrived_once(&smtp.arrived(), &rows);
}

#[tokio::test]
async fn without_smtp_url_messages_are_files() {
    let app = spawn_app().await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let dir = scratch_dir("files");
    let mailer = Mailer::from_config(&api::config::MailConfig::files(&dir)).unwrap();
    let world = Seed::new(&db, &["o.wang@v1.example.cn"]).await;

    let (subject, body) = world
        .notice_with_mail(&db, NoticeKind::AnnualPenalty, Some("2098"), t0())
        .await;
    let report = deliver_due(&db, &mailer, t0(), BATCH).await.unwrap();

    // One notice to one contact: one file, named by its outbox id.
    assert_eq!(report, DeliveryReport { sent: 1, failed: 0 });
    let rows = outbox_rows(&db).await;
    let path = dir.join(format!("{}.eml", rows[0].id));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let mail = Arrived::parse(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        mail.message_id,
        format!("<outbox-{}@govcloud.local>", rows[0].id)
    );
    assert_eq!(mail.subject, subject);
    assert!(subject.contains("年度考核扣罚"), "{subject}");
    assert_eq!(mail.body.trim_end(), body.trim_end());
    drop(db);
}

// ---------------------------------------------------------------------------
// Seeding and reading back

/// A region and a vendor with the given contacts.
struct Seed {
    region: region::Model,
    vendor: vendor::Model,
    contacts: Vec<String>,
}

impl Seed {
    async fn new(db: &DatabaseConnection, contacts: &[&str]) -> Self {
        let region = region::ActiveModel {
            code: Set("MAIL-R".into()),
            name: Set("临江市".into()),
            parent_id: Set(None),
            scheme_code: Set("sh-municipal".into()),
            service_year_start_month: Set(1),
            created_at: Set(t0()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let vendor = vendor::ActiveModel {
            code: Set("MAIL-V".into()),
            name: Set("云端科技有限公司".into()),
            contact_emails: Set(serde_json::json!(contacts)),
            created_at: Set(t0()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let contacts = contacts.iter().map(|c| (*c).to_owned()).collect();
        Self {
            region,
            vendor,
            contacts,
        }
    }

    /// A notice and its mail in one transaction, as the notice code does it.
    /// Returns the rendered subject and body.
    async fn notice_with_mail(
        &self,
        db: &DatabaseConnection,
        kind: NoticeKind,
        period: Option<&str>,
        now: DateTimeUtc,
    ) -> (String, String) {
        let deadline = ChronoDate::from_ymd_opt(2099, 3, 31).unwrap();
        let basis = vec!["A1 工单及时处理：扣 2 分".to_owned()];
        let txn = domain::db::write_txn(db).await.unwrap();
        let saved = domain::notices::insert(
            &txn,
            &domain::notices::NewNotice {
                region_id: self.region.id,
                vendor_id: self.vendor.id,
                kind,
                period: period.map(str::to_owned),
                reason: "考核得分低于合格线".into(),
                basis: basis.clone(),
                result_id: None,
                risk_id: None,
                deadline: Some(deadline),
                created_by: None,
            },
            now,
        )
        .await
        .unwrap();
        let (subject, body) = render(&NoticeMail {
            kind,
            vendor_name: self.vendor.name.clone(),
            region_name: self.region.name.clone(),
            period: period.map(str::to_owned),
            reason: saved.reason.clone(),
            basis,
            deadline,
            notice_id: saved.id,
            document_number: saved.document_number.clone(),
            link: jobs::mail::templates::notice_link(jobs::mail::DEFAULT_PUBLIC_URL, saved.id),
            contact: None,
        });
        let queued = outbox::enqueue(&txn, saved.id, &self.contacts, &subject, &body, now)
            .await
            .unwrap();
        assert_eq!(queued, self.contacts.len());
        txn.commit().await.unwrap();
        (subject, body)
    }
}

async fn outbox_rows(db: &DatabaseConnection) -> Vec<outbox_row::Model> {
    outbox_row::Entity::find()
        .order_by_asc(outbox_row::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// The error of each try, oldest first (`None` = the try that succeeded).
async fn attempt_errors(db: &DatabaseConnection, outbox_id: i64) -> Vec<Option<String>> {
    outbox_attempt::Entity::find()
        .filter(outbox_attempt::Column::OutboxId.eq(outbox_id))
        .order_by_asc(outbox_attempt::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.error)
        .collect()
}

/// Exactly one message arrived per outbox row — matched on the row's
/// Message-ID — to the row's recipient with the row's subject, and no other.
fn assert_each_arrived_once(arrived: &[Arrived], rows: &[outbox_row::Model]) {
    let mut by_id: HashMap<&str, Vec<&Arrived>> = HashMap::new();
    for mail in arrived {
        by_id
            .entry(mail.message_id.as_str())
            .or_default()
            .push(mail);
    }
    assert_eq!(arrived.len(), rows.len(), "arrived: {:?}", by_id.keys());
    for row in rows {
        let id = format!("<outbox-{}@govcloud.local>", row.id);
        let copies = by_id.get(id.as_str()).map_or(0, Vec::len);
        assert_eq!(copies, 1, "{id} arrived {copies} times");
        let mail = by_id[id.as_str()][0];
        assert_eq!(mail.envelope_to, row.recipient);
        assert_eq!(mail.subject, row.subject);
    }
}

pub(crate) fn scratch_dir(name: &str) -> PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "govcloud-mail-{name}-{}-{stamp}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------
// A real SMTP server: aiosmtpd writing every message into a maildir

pub(crate) struct SmtpServer {
    pub(crate) port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl SmtpServer {
    /// Starts aiosmtpd on a free port, delivering into `<dir>/maildir`.
    pub(crate) async fn start(dir: PathBuf) -> Self {
        require_aiosmtpd();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = Self {
            port,
            dir,
            child: None,
        };
        server.restart().await;
        server
    }

    fn mailer(&self) -> Mailer {
        let mut config = api::config::MailConfig::files(self.dir.join("unused"));
        config.smtp_url = Some(format!("smtp://127.0.0.1:{}", self.port));
        Mailer::from_config(&config).unwrap()
    }

    /// (Re)starts the server on the same port and maildir and waits until it
    /// accepts connections.
    async fn restart(&mut self) {
        let log = std::fs::File::create(self.dir.join("aiosmtpd.log")).unwrap();
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{}", self.port),
            ])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("python3 starts");
        self.child = Some(child);
        self.wait_until_listening().await;
    }

    async fn wait_until_listening(&mut self) {
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                let log =
                    std::fs::read_to_string(self.dir.join("aiosmtpd.log")).unwrap_or_default();
                panic!("aiosmtpd exited with {status}:\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not listen on port {} within 10 s", self.port);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn maildir(&self) -> PathBuf {
        self.dir.join("maildir")
    }

    /// Every message in the maildir, read or not.
    pub(crate) fn arrived(&self) -> Vec<Arrived> {
        ["new", "cur"]
            .iter()
            .flat_map(|sub| {
                std::fs::read_dir(self.maildir().join(sub))
                    .into_iter()
                    .flatten()
            })
            .map(|entry| Arrived::parse(&std::fs::read_to_string(entry.unwrap().path()).unwrap()))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Fails, never skips, when the server the tests need is missing.
fn require_aiosmtpd() {
    let found = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "the mail tests need Python's aiosmtpd: pip install aiosmtpd==1.4.6"
    );
}
