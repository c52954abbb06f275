//! The database restarted under load: a private PostgreSQL cluster (never the
//! shared server other tests use) is restarted while clients create notices
//! (a notice and its outbox row in one transaction) and read. Requests caught
//! by the outage fail with UNAVAILABLE, the server keeps answering, requests
//! succeed again within seconds, and the database holds exactly the notices
//! whose creation answered success, each with its outbox row.
//!
//! Runs in both lanes (its cluster is its own, whatever `TEST_DATABASE_URL`
//! says) and fails, rather than skips, without PostgreSQL 15's server binaries.
//!
//! The other failures of issue 6 are shown elsewhere: the SMTP server down for
//! a while in `mail::a_down_smtp_server_loses_nothing_and_doubles_nothing`; the
//! server killed during a monthly run in `api/tests/killed_run.rs`; two
//! instances racing for one scheduled run in `api/tests/two_processes.rs` (two
//! real processes) and `schedule::two_instances_racing_run_each_region_once`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use e2e::spawn_app_with;
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

// ---------------------------------------------------------------------------
// A private PostgreSQL cluster

/// A PostgreSQL 15 cluster in a temporary directory on a free port, stopped
/// and deleted on drop (also when the test fails).
struct PrivatePg {
    dir: PathBuf,
    port: u16,
}

impl PrivatePg {
    async fn start() -> Self {
        assert!(
            Path::new(PG_BIN).join("initdb").exists(),
            "the database-restart test needs PostgreSQL 15's server binaries in {PG_BIN} \
             (apt-get install postgresql-15)"
        );
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("govcloud-pg-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = Self { dir, port };
        pg.chown(&pg.dir).await;
        // initdb costs seconds; a cluster made once is copied (cp -a keeps owner and modes).
        let template = template().await;
        run("cp", &["-a", &path(&template), &path(&pg.data())]).await;
        pg.pg_ctl(&["start"]).await;
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    async fn chown(&self, dir: &Path) {
        if running_as_root().await {
            run("chown", &["-R", "postgres:postgres", &path(dir)]).await;
        }
    }

    /// `pg_ctl <action>` on this cluster, waiting until it is done.
    async fn pg_ctl(&self, action: &[&str]) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            path(&self.dir)
        );
        let data = path(&self.data());
        let log = path(&self.dir.join("postgres.log"));
        let mut args = vec!["-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options];
        args.extend_from_slice(action);
        as_postgres(&Path::new(PG_BIN).join("pg_ctl"), &args).await;
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let pg_ctl = path(&Path::new(PG_BIN).join("pg_ctl"));
        let data = path(&self.data());
        let args = ["-D", data.as_str(), "-m", "immediate", "-w", "stop"];
        let _ = if is_root_sync() {
            std::process::Command::new("runuser")
                .args(["-u", "postgres", "--", &pg_ctl])
                .args(args)
                .output()
        } else {
            std::process::Command::new(&pg_ctl).args(args).output()
        };
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A freshly initialised cluster kept in the temp directory for later runs;
/// made under a unique name and renamed into place, so concurrent test runs
/// do not trip over each other.
async fn template() -> PathBuf {
    let template = std::env::temp_dir().join("govcloud-pg15-template");
    if template.join("PG_VERSION").exists() {
        return template;
    }
    let making = std::env::temp_dir().join(format!("govcloud-pg15-making-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&making);
    std::fs::create_dir_all(&making).unwrap();
    if running_as_root().await {
        run("chown", &["postgres:postgres", &path(&making)]).await;
    }
    let initdb = Path::new(PG_BIN).join("initdb");
    as_postgres(
        &initdb,
        &[
            "-D",
            &path(&making),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        ],
    )
    .await;
    if std::fs::rename(&making, &template).is_err() {
        // Another run made it first.
        let _ = std::fs::remove_dir_all(&making);
    }
    assert!(template.join("PG_VERSION").exists());
    template
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

fn is_root_sync() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

async fn running_as_root() -> bool {
    tokio::task::spawn_blocking(is_root_sync).await.unwrap()
}

async fn run(program: &str, args: &[&str]) {
    let out = tokio::process::Command::new(program)
        .args(args)
        .output()
        .await
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// PostgreSQL's tools refuse to run as root: as root, run them as `postgres`.
async fn as_postgres(program: &Path, args: &[&str]) {
    let program = path(program);
    if running_as_root().await {
        let mut all = vec!["-u", "postgres", "--", program.as_str()];
        all.extend_from_slice(args);
        run("runuser", &all).await;
    } else {
        run(&program, args).await;
    }
}

// ---------------------------------------------------------------------------
// The load

#[derive(Debug)]
struct Attempt {
    reason: String,
    started: Instant,
    took: Duration,
    /// `Ok` or the error's (code, message).
    outcome: Result<(), (String, String)>,
}

/// Creates notices `load-<worker>-<n>` and reads the count, until `stop`.
async fn load(
    client: reqwest::Client,
    base: String,
    token: String,
    input: Value,
    worker: usize,
    stop: Arc<AtomicBool>,
) -> Vec<Attempt> {
    let mut attempts = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let reason = format!("load-{worker}-{n}");
        let mut i = input.clone();
        i["reason"] = json!(reason);
        let started = Instant::now();
        let mutation = post(
            &client,
            &base,
            &token,
            json!({"query": "mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id } }",
                   "variables": { "i": i }}),
        )
        .await;
        attempts.push(Attempt {
            reason,
            started,
            took: started.elapsed(),
            outcome: mutation,
        });
        let started = Instant::now();
        let read = post(
            &client,
            &base,
            &token,
            json!({"query": "{ notices { total } }"}),
        )
        .await;
        attempts.push(Attempt {
            reason: String::new(),
            started,
            took: started.elapsed(),
            outcome: read,
        });
    }
    attempts
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    body: Value,
) -> Result<(), (String, String)> {
    let resp = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&body)
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .map_err(|e| ("TRANSPORT".to_owned(), e.to_string()))?;
    let status = resp.status();
    let answer: Value = resp
        .json()
        .await
        .map_err(|e| (format!("HTTP {status}"), e.to_string()))?;
    match answer["errors"].as_array() {
        Some(errors) if !errors.is_empty() => Err((
            errors[0]["extensions"]["code"]
                .as_str()
                .unwrap_or("")
                .to_owned(),
            errors[0]["message"].as_str().unwrap_or("").to_owned(),
        )),
        _ => Ok(()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_under_load_fails_cleanly_and_recovers_without_half_writes() {
    let pg = PrivatePg::start().await;
    let admin = Database::connect(pg.url("postgres")).await.unwrap();
    admin
        .execute_unprepared("CREATE DATABASE govcloud")
        .await
        .unwrap();
    drop(admin);
    let url = pg.url("govcloud");
    let app = spawn_app_with(|c| {
        c.database_url = url.clone();
        // A hung request would be answered 408 after this; none may be.
        c.http.request_timeout_seconds = 15;
        // Shorter than the 2-s outage: a request that starts during it cannot
        // wait the database back up, so the outage is always noticed.
        c.http.db.acquire_timeout = Duration::from_secs(1);
    })
    .await;
    let w = crate::world::build(&app).await;
    // One contact on side one's vendor: one outbox row per notice.
    let input = json!({"regionId": w.one.region, "vendorId": w.one.vendor, "basis": ["load"]});
    let notices_before = count_notices(&url).await;

    const WORKERS: usize = 4;
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..WORKERS)
        .map(|n| {
            tokio::spawn(load(
                app.client.clone(),
                app.base.clone(),
                w.admin.clone(),
                input.clone(),
                n,
                stop.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let down = Instant::now();
    pg.pg_ctl(&["-m", "fast", "stop"]).await;
    // The process answers while its database is down.
    let health = app
        .client
        .get(format!("{}/healthz", app.base))
        .timeout(Duration::from_secs(1))
        .send()
        .await
        .expect("/healthz answers during the outage");
    assert_eq!(health.status(), reqwest::StatusCode::OK);
    tokio::time::sleep(Duration::from_secs(2)).await;
    pg.pg_ctl(&["start"]).await;
    let up = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::SeqCst);
    let mut attempts = Vec::new();
    for worker in workers {
        attempts.extend(worker.await.unwrap());
    }

    // Every answer is a success or a clean UNAVAILABLE, none took near the
    // request timeout, and no connection was dropped.
    let failed: Vec<&Attempt> = attempts.iter().filter(|a| a.outcome.is_err()).collect();
    for a in &failed {
        let (code, message) = a.outcome.as_ref().unwrap_err();
        assert_eq!(
            (code.as_str(), message.as_str()),
            (
                "UNAVAILABLE",
                "the service is temporarily unavailable; try again shortly"
            ),
            "{a:?}"
        );
    }
    for a in &attempts {
        // The pool waits 1 s at most for a connection; a request makes a few tries.
        assert!(a.took < Duration::from_secs(12), "{a:?}");
    }
    // The outage was noticed: a request inside a statement at the stop, or
    // one that started during the outage and waited for a connection in vain.
    assert!(!failed.is_empty(), "no request noticed the restart");
    let ok_before = attempts
        .iter()
        .filter(|a| a.outcome.is_ok() && a.started < down)
        .count();
    assert!(ok_before > 0, "the load worked before the restart");
    // Recovered within seconds: everything started 2 s after the database was
    // back succeeded, and there was some of it.
    let late: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| a.started > up + Duration::from_secs(2))
        .collect();
    assert!(!late.is_empty(), "load after the restart");
    for a in &late {
        assert!(a.outcome.is_ok(), "after recovery: {a:?}");
    }

    // The database: exactly the notices that answered success, each whole.
    let db = Database::connect(&url).await.unwrap();
    let created: HashSet<&str> = attempts
        .iter()
        .filter(|a| !a.reason.is_empty() && a.outcome.is_ok())
        .map(|a| a.reason.as_str())
        .collect();
    let refused: HashSet<&str> = attempts
        .iter()
        .filter(|a| !a.reason.is_empty() && a.outcome.is_err())
        .map(|a| a.reason.as_str())
        .collect();
    let stored = entities::notice::Entity::find()
        .filter(entities::notice::Column::Reason.starts_with("load-"))
        .all(&db)
        .await
        .unwrap();
    let stored_reasons: HashSet<&str> = stored.iter().map(|n| n.reason.as_str()).collect();
    assert_eq!(stored.len(), stored_reasons.len(), "no notice twice");
    assert_eq!(stored_reasons, created, "stored = answered success");
    assert!(stored_reasons.is_disjoint(&refused));
    assert_eq!(
        count_notices(&url).await,
        notices_before + created.len(),
        "no other notice appeared"
    );
    let mut outbox_per_notice: HashMap<i64, usize> = HashMap::new();
    for row in entities::outbox::Entity::find().all(&db).await.unwrap() {
        if let Some(notice_id) = row.notice_id {
            *outbox_per_notice.entry(notice_id).or_default() += 1;
        }
    }
    for notice in &stored {
        assert_eq!(
            outbox_per_notice.get(&notice.id),
            Some(&1),
            "notice {} ({}) has its one outbox row (one vendor contact)",
            notice.id,
            notice.reason
        );
    }
    // Every created notice's mail goes (to files); none is left behind.
    app.deliver_pending_mail().await;
    drop(db);
    drop(app);
    drop(pg);
}

async fn count_notices(url: &str) -> usize {
    let db = Database::connect(url).await.unwrap();
    entities::notice::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .len()
}
