#![recursion_limit = "256"]
//! The end-to-end harness: each test starts the real server on port 0 with its
//! own, freshly migrated database, and talks to it over HTTP.
//!
//! The database is SQLite (a temporary file) unless `TEST_DATABASE_URL` names a
//! PostgreSQL server, e.g. `postgres://postgres@127.0.0.1:5432/test`: then each
//! test gets its own database on that server, created here and dropped when done.

#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use api::config::{AdminSeed, Config, Secret};
use api::startup::Application;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

pub const ADMIN_USERNAME: &str = "admin";
pub const ADMIN_PASSWORD: &str = "Admin-pass-2026";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestApp {
    /// The configuration the server started with (to start another on the same database).
    pub config: Config,
    pub base: String,
    pub client: reqwest::Client,
    pub database_url: String,
    cleanup: Option<(String, String)>,
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
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (database_url, cleanup) = match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            let name = format!("e2e_{stamp}_{}_{n}", std::process::id());
            let admin = Database::connect(&server)
                .await
                .unwrap_or_else(|e| panic!("TEST_DATABASE_URL {server} is not reachable: {e}"));
            drop_stale_databases(&admin, stamp).await;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let base = server.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap();
            (format!("{base}/{name}"), Some((server, name)))
        }
        Ok(other) if !other.is_empty() => {
            panic!("TEST_DATABASE_URL must be a postgres:// URL, got {other}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!(
                "govcloud-e2e-{}-{stamp}-{n}.db",
                std::process::id()
            ));
            (format!("sqlite://{}?mode=rwc", path.display()), None)
        }
    };
    let config = Config {
        database_url: database_url.clone(),
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        jwt_secret: Some(Secret::new("e2e-secret-e2e-secret-e2e-secret-0123")),
        token_ttl_minutes: 60,
        admin: AdminSeed {
            username: ADMIN_USERNAME.into(),
            password: Some(Secret::new(ADMIN_PASSWORD)),
        },
        demo_data: false,
        mail: api::config::MailConfig::files(std::env::temp_dir().join(format!(
            "govcloud-e2e-mail-{}-{stamp}-{n}",
            std::process::id()
        ))),
        schedule: None,
        lease: std::time::Duration::from_secs(jobs::scheduler::DEFAULT_LEASE_SECONDS),
        http: api::config::HttpConfig::default(),
    };
    let mut config = config;
    adjust(&mut config);
    spawn_with(config, cleanup).await
}

/// Databases of earlier runs whose test panicked before `finish` (older than an
/// hour, so a concurrent run's databases are left alone).
async fn drop_stale_databases(admin: &sea_orm::DatabaseConnection, now: u64) {
    use sea_orm::{DbBackend, Statement};
    let Ok(rows) = admin
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT datname FROM pg_database WHERE datname LIKE 'e2e\\_%'",
        ))
        .await
    else {
        return;
    };
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let stamp: Option<u64> = name.split('_').nth(1).and_then(|s| s.parse().ok());
        if stamp.is_some_and(|s| s + 3600 < now) {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

/// Starts the server with a given configuration (e.g. `demo_data`).
pub async fn spawn_with(config: Config, cleanup: Option<(String, String)>) -> TestApp {
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
        cleanup,
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

    /// Drops the PostgreSQL database of this test (SQLite files are left in the temp dir).
    pub async fn finish(mut self) {
        if let Some((server, name)) = self.cleanup.take()
            && let Ok(admin) = Database::connect(&server).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

/// The id field of a mutation's result.
pub fn id_of(v: &Value, field: &str) -> String {
    v[field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {field}: {v}"))
        .to_owned()
}
