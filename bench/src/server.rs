//! The system under test: a fresh database, the generator, and `govcloud serve`
//! as a child process whose peak resident memory the kernel keeps for us.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::args::Backend;
use crate::error::{Result, failed, io};

pub const ADMIN_PASSWORD: &str = "Bench-admin-2026";
/// The generator's default password for its vendor and supervisor accounts.
pub const USER_PASSWORD: &str = "Bench-pass-2026";
const PG_DATABASE: &str = "govcloud_bench";

/// `govcloud` sits next to this binary (both built by one `cargo build --release`).
pub fn govcloud() -> Result<PathBuf> {
    let exe = std::env::current_exe().map_err(io("current executable"))?;
    let path = exe.with_file_name("govcloud");
    if path.exists() {
        Ok(path)
    } else {
        Err(failed(format!(
            "{} not found: build it with `cargo build --release -p api -p bench`",
            path.display()
        )))
    }
}

/// An empty database for one size, and its URL.
pub async fn fresh_database(backend: Backend, postgres: &str, work: &Path) -> Result<String> {
    match backend {
        Backend::Sqlite => {
            std::fs::create_dir_all(work).map_err(io(work.display().to_string()))?;
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(work.join(format!("bench.sqlite{suffix}")));
            }
            Ok(format!(
                "sqlite://{}?mode=rwc",
                work.join("bench.sqlite").display()
            ))
        }
        Backend::Postgres => {
            let admin = format!("{postgres}/postgres");
            psql(
                &admin,
                &format!("DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"),
            )
            .await?;
            psql(&admin, &format!("CREATE DATABASE {PG_DATABASE}")).await?;
            Ok(format!("{postgres}/{PG_DATABASE}"))
        }
    }
}

pub async fn psql(url: &str, sql: &str) -> Result<String> {
    let out = Command::new("psql")
        .args([url, "-qtAc", sql])
        .output()
        .await
        .map_err(io("psql (PostgreSQL's client)"))?;
    if !out.status.success() {
        return Err(failed(format!(
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Fills the database; returns the generator's elapsed time and its report.
pub async fn generate(database_url: &str, scale: &str, seed: u64) -> Result<(Duration, String)> {
    let started = Instant::now();
    let out = Command::new(govcloud()?)
        .args(["generate", "--scale", scale, "--seed", &seed.to_string()])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .map_err(io("govcloud generate"))?;
    if !out.status.success() {
        return Err(failed(format!(
            "govcloud generate failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok((
        started.elapsed(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(database_url: &str, port: u16, work: &Path) -> Result<Self> {
        Self::start_with(database_url, port, work, &[]).await
    }

    /// `start` with more environment (`SCHEDULER=1` to run the scheduled jobs).
    pub async fn start_with(
        database_url: &str,
        port: u16,
        work: &Path,
        env: &[(&str, &str)],
    ) -> Result<Self> {
        let log = std::fs::File::create(work.join("server.log")).map_err(io("server log"))?;
        let child = Command::new(govcloud()?)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("JWT_SECRET", "bench-secret-bench-secret-bench-secret-0123")
            .env("SCHEDULER", "0")
            .env("MAIL_DIR", work.join("mail"))
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(io("govcloud serve"))?;
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        server.wait_ready().await?;
        Ok(server)
    }

    async fn wait_ready(&self) -> Result<()> {
        let client = reqwest::Client::new();
        for _ in 0..600 {
            let probe = client.get(format!("{}/readyz", self.base)).send().await;
            if probe.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(failed("the server did not become ready within 60 s"))
    }

    /// The most resident memory the server has had since it started (VmHWM).
    pub fn peak_memory_mib(&self) -> Result<f64> {
        let pid = self
            .child
            .id()
            .ok_or_else(|| failed("the server has exited"))?;
        peak_memory_of(pid)
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

pub fn peak_memory_of(pid: u32) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(io(format!("/proc/{pid}/status")))?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| failed("no VmHWM in /proc status"))?;
    Ok(kib / 1024.0)
}

/// A port nobody listens on now.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(io("free port"))?;
    Ok(listener.local_addr().map_err(io("free port"))?.port())
}
