#![recursion_limit = "256"]
//! The end-to-end harness: each test starts the real server on port 0 with its
//! own, freshly migrated database, and talks to it over HTTP.
//!
//! The database is SQLite (a temporary file) unless `TEST_DATABASE_URL` names a
//! PostgreSQL server, e.g. `postgres://postgres@127.0.0.1:5432/test`: then each
//! test gets its own database on that server. Either way it is a
//! [`TestDatabase`], dropped with the app.
//!
//! The jobs run when the test says so: the server's own mail sender looks only
//! once an hour, so [`TestApp::deliver_pending_mail`] is what delivers, and
//! [`TestApp::run_due_at`] runs the scheduled jobs as the cron would at an
//! instant. As in crates.io's test app, mail left undelivered when the app is
//! dropped fails the test, unless the test said it means to leave it
//! ([`TestApp::expect_undelivered_mail`]).

#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use api::config::{AdminSeed, Config, Secret};
use api::startup::Application;
use chrono::{DateTime, Utc};
use jobs::leases::Lease;
use jobs::mail::{DeliveryReport, Mailer};
use jobs::scheduler::DueRound;
use sea_orm::{ColumnTrait, Database, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Value, json};
pub use test_support::TestDatabase;

/// A console user over HTTP (sign-in form, session cookie, CSRF tokens).
pub mod console;

/// Mail as it arrived, decoded (the file mailer's `.eml` files, SMTP).
pub mod mail;

pub const ADMIN_USERNAME: &str = "admin";
pub const ADMIN_PASSWORD: &str = "Admin-pass-2026";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestApp {
    /// The configuration the server started with (to start another on the same database).
    pub config: Config,
    pub base: String,
    pub client: reqwest::Client,
    pub database_url: String,
    /// The test's own database, dropped with the app; `None` for a second
    /// server started on another app's database.
    database: Option<TestDatabase>,
    /// Set by `expect_undelivered_mail`: the test leaves mail in the outbox.
    undelivered_mail_expected: AtomicBool,
}

/// A GraphQL answer: `data` and `errors` as sent.
pub struct Answer(pub Value);

impl Answer {
    pub fn data(&self) -> &Value {
        &self.0["data"]
    }
    /// The data, failing the test with the errors if there are any.
    pub fn ok(&self) -> &Value {
        assert!(
            self.0.get("errors").is_none_or(Value::is_null),
            "unexpected errors: {}",
            self.0["errors"]
        );
        &self.0["data"]
    }
    pub fn error_codes(&self) -> Vec<String> {
        self.errors()
            .iter()
            .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
            .collect()
    }
    pub fn errors(&self) -> Vec<Value> {
        self.0["errors"].as_array().cloned().unwrap_or_default()
    }
    /// The one error's code and message, failing the test otherwise.
    pub fn error(&self) -> (String, String) {
        let errors = self.errors();
        assert!(!errors.is_empty(), "expected an error, got {}", self.0);
        let e = &errors[0];
        (
            e["extensions"]["code"].as_str().unwrap_or("").to_owned(),
            e["message"].as_str().unwrap_or("").to_owned(),
        )
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with the configuration adjusted first (e.g. an SMTP server).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let database = TestDatabase::create("e2e").await;
    let mut mail = api::config::MailConfig::files(
        std::env::temp_dir().join(format!("govcloud-e2e-mail-{}-{n}", std::process::id())),
    );
    // The server's own sender looks once at start and then hourly, so the
    // test's `deliver_pending_mail` is what delivers, when the test says.
    mail.poll_seconds = 3600;
    let mut config = Config {
        database_url: database.url().to_owned(),
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        jwt_secret: Some(Secret::new("e2e-secret-e2e-secret-e2e-secret-0123")),
        token_ttl_minutes: 60,
        admin: AdminSeed {
            username: ADMIN_USERNAME.into(),
            password: Some(Secret::new(ADMIN_PASSWORD)),
        },
        demo_data: false,
        mail,
        schedule: None,
        lease: std::time::Duration::from_secs(jobs::scheduler::DEFAULT_LEASE_SECONDS),
        http: api::config::HttpConfig::default(),
        dispute_window_working_days: domain::disputes::DEFAULT_WINDOW_WORKING_DAYS,
    };
    adjust(&mut config);
    spawn_with(config, Some(database)).await
}

/// Starts the server with a given configuration (e.g. `demo_data`). With
/// `database`, the app owns it: drops it when done and checks its outbox first;
/// without, it is another server on a database some other app owns.
pub async fn spawn_with(config: Config, database: Option<TestDatabase>) -> TestApp {
    let database_url = config.database_url.clone();
    let app = Application::build(config.clone())
        .await
        .expect("the server starts");
    let port = app.port();
    tokio::spawn(app.run());
    TestApp {
        config,
        base: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::new(),
        database_url,
        database,
        undelivered_mail_expected: AtomicBool::new(false),
    }
}

impl TestApp {
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Answer {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("the server answers");
        Answer(resp.json().await.expect("a JSON answer"))
    }

    /// The same request `n` times at once, each on its own task (real parallel
    /// requests, on as many connections).
    pub async fn gql_parallel(
        &self,
        n: usize,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Vec<Answer> {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..n {
            let request = reqwest::Client::new()
                .post(format!("{}/graphql", self.base))
                .bearer_auth(token)
                .json(&json!({ "query": query, "variables": variables }));
            tasks.spawn(async move {
                let resp = request.send().await.expect("the server answers");
                Answer(resp.json().await.expect("a JSON answer"))
            });
        }
        tasks.join_all().await
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let a = self
            .gql(None, "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }", json!({ "u": username, "p": password }))
            .await;
        a.ok()["login"]["token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    pub async fn admin(&self) -> String {
        self.login(ADMIN_USERNAME, ADMIN_PASSWORD).await
    }

    /// Runs a mutation or query that must succeed and returns its data.
    pub async fn must(&self, token: &str, query: &str, variables: Value) -> Value {
        self.gql(Some(token), query, variables).await.ok().clone()
    }

    /// Delivers every message of the outbox due now, as the server's sender
    /// would on its next round, through the mailer the server is configured
    /// with (SMTP or files), and says how many went and how many failed.
    pub async fn deliver_pending_mail(&self) -> DeliveryReport {
        let db = self.connect().await;
        let mailer = Mailer::from_config(&self.config.mail).expect("the configured mailer");
        let mut report = DeliveryReport::default();
        loop {
            let round = jobs::mail::deliver_due_trying(
                &db,
                &mailer,
                Utc::now(),
                jobs::mail::sender::BATCH,
                self.config.mail.max_attempts,
            )
            .await
            .expect("a mail round");
            report.sent += round.sent;
            report.failed += round.failed;
            // A short round took everything due (a failed message waits for
            // its retry, so it is not taken again).
            if round.sent + round.failed < jobs::mail::sender::BATCH as usize {
                break;
            }
        }
        let _ = db.close().await;
        report
    }

    /// One round of every scheduled job as the cron would run it at `now`
    /// (what `govcloud run-due --at` does), with the app's schedule (the
    /// default one when its scheduler is off).
    pub async fn run_due_at(&self, now: DateTime<Utc>) -> DueRound {
        let db = self.connect().await;
        let schedule = self.config.schedule.clone().unwrap_or_default();
        let lease = Lease {
            holder: "e2e-test".to_owned(),
            ttl: self.config.lease,
        };
        let round = jobs::scheduler::run_due(&db, &schedule, &lease, now)
            .await
            .expect("the scheduled jobs run");
        let _ = db.close().await;
        round
    }

    /// The test leaves mail undelivered on purpose (a server that stays down,
    /// messages given up): dropping the app does not fail it for that.
    pub fn expect_undelivered_mail(&self) {
        self.undelivered_mail_expected.store(true, Ordering::SeqCst);
    }

    async fn connect(&self) -> DatabaseConnection {
        Database::connect(&self.database_url)
            .await
            .expect("the test's database")
    }

    /// The outbox's messages not delivered (pending, being sent or given up),
    /// as "id → recipient (status)".
    async fn undelivered_mail(&self) -> Vec<String> {
        let db = self.connect().await;
        let rows = entities::outbox::Entity::find()
            .filter(entities::outbox::Column::Status.ne(entities::outbox::OutboxStatus::Sent))
            .all(&db)
            .await
            .expect("the outbox");
        let _ = db.close().await;
        rows.iter()
            .map(|r| format!("{} → {} ({})", r.id, r.recipient, r.status.as_str()))
            .collect()
    }
}

impl Drop for TestApp {
    /// Fails a test that leaves mail undelivered without saying so (as
    /// crates.io's test app does); its database is dropped after this.
    fn drop(&mut self) {
        if self.database.is_none()
            || std::thread::panicking()
            || self.undelivered_mail_expected.load(Ordering::SeqCst)
        {
            return;
        }
        let left = test_support::block_on_own_thread(|| self.undelivered_mail());
        assert!(
            left.is_empty(),
            "the test left {} message(s) in the outbox undelivered: {left:?}; \
             call `app.deliver_pending_mail().await` after what queues them, or \
             `app.expect_undelivered_mail()` if the test means to leave them",
            left.len()
        );
    }
}

/// The id field of a mutation's result.
pub fn id_of(v: &Value, field: &str) -> String {
    v[field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {field}: {v}"))
        .to_owned()
}
