//! All configuration, read once from the environment and validated at start.
//! A bad value stops the server with an error naming the variable, so a typo
//! never runs silently with a default.

use std::net::SocketAddr;
use std::path::PathBuf;

use thiserror::Error;

pub use domain::secret::Secret;

#[derive(Debug, Error, PartialEq)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

/// Where the first administrator comes from.
#[derive(Clone, Debug)]
pub struct AdminSeed {
    pub username: String,
    pub password: Option<Secret>,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// sea-orm connection URL; SQLite (embedded) or PostgreSQL.
    pub database_url: String,
    pub listen_addr: SocketAddr,
    /// `None` means: make a random one for this process (tokens die with it).
    pub jwt_secret: Option<Secret>,
    pub token_ttl_minutes: i64,
    pub admin: AdminSeed,
    pub demo_data: bool,
    pub mail: MailConfig,
    /// Cron expressions (Asia/Shanghai) of the scheduled runs; `None`: no
    /// scheduled jobs in this process (`SCHEDULER=0`).
    pub schedule: Option<jobs::scheduler::Schedule>,
    /// How long a run's lease lasts (`JOB_LEASE_SECONDS`), renewed while it
    /// runs: manual runs take leases too, also where no scheduled job runs.
    pub lease: std::time::Duration,
    pub http: HttpConfig,
    /// `DISPUTE_WINDOW_WORKING_DAYS`: how many working days after a monthly
    /// result is published its vendor may dispute a deduction (1–60, default 5).
    pub dispute_window_working_days: u32,
}

/// Limits and policies of the HTTP edge.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// `GRAPHQL_INTROSPECTION=0` hides the schema (production).
    pub introspection: bool,
    /// Origins allowed by CORS (`CORS_ORIGINS`, comma-separated); none by default.
    pub cors_origins: Vec<String>,
    /// A request taking longer is answered 408 (`REQUEST_TIMEOUT_SECONDS`).
    pub request_timeout_seconds: u64,
    /// `METRICS_TOKEN`: `/metrics` wants `Authorization: Bearer <token>`;
    /// unset, it is open (keep it to the internal network then).
    pub metrics_token: Option<Secret>,
    /// How long a shutdown waits for the requests (and the jobs) under way
    /// before it abandons them (`SHUTDOWN_GRACE_SECONDS`).
    pub shutdown_grace_seconds: u64,
    /// `TRUSTED_PROXY_HEADER` (e.g. `X-Forwarded-For`): the header the load
    /// balancer puts the client's address in; `None`: the socket's peer is the
    /// client and forwarded headers are ignored (see `client_addr`).
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
    /// The pool, and how much of it one request may hold.
    pub db: DbLimits,
    /// `PUBLIC_URL`: where users reach the server (e.g.
    /// `https://supervision.example.gov.cn`); when it is `https://…` the web
    /// console's session cookie is marked `Secure`.
    pub public_url: Option<String>,
    /// `ATTACHMENT_MAX_BYTES`: the largest file a rectification may carry
    /// (1 byte to 100 MiB, default 10 MiB); at most
    /// `domain::notice_attachments::MAX_FILES` files are sent at once.
    pub attachment_max_bytes: usize,
    /// `IMPORT_MAX_BYTES`: the largest spreadsheet (`.xlsx` or `.csv`) an
    /// import may upload (1 byte to 100 MiB, default 10 MiB).
    pub import_max_bytes: usize,
}

impl HttpConfig {
    /// The console's cookies go over TLS only (`PUBLIC_URL` is `https://…`).
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// The database pool and one request's share of it (`db_share`).
#[derive(Clone, Copy, Debug)]
pub struct DbLimits {
    /// `DB_POOL_SIZE`: the most connections the pool opens (1–1000, default 16).
    pub pool_size: u32,
    /// `DB_CONNECTIONS_PER_REQUEST`: the most of them one GraphQL request
    /// holds at once (1–pool size, default a quarter of the pool, at least 1).
    pub per_request: u32,
    /// `DB_ACQUIRE_TIMEOUT_SECONDS`: how long a statement waits for a free
    /// connection (1–60, default 5); then the request is answered `BUSY` if
    /// the pool is full, `UNAVAILABLE` if the database cannot be reached.
    pub acquire_timeout: std::time::Duration,
}

impl Default for DbLimits {
    fn default() -> Self {
        Self {
            pool_size: 16,
            per_request: 4,
            acquire_timeout: std::time::Duration::from_secs(5),
        }
    }
}

impl DbLimits {
    fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let number = |variable: &'static str,
                      range: std::ops::RangeInclusive<u32>,
                      default: u32| match get(variable) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    bad(
                        variable,
                        &format!(
                            "must be a whole number from {} to {}",
                            range.start(),
                            range.end()
                        ),
                    )
                }),
        };
        let pool_size = number("DB_POOL_SIZE", 1..=1000, 16)?;
        let per_request = number(
            "DB_CONNECTIONS_PER_REQUEST",
            1..=pool_size,
            (pool_size / 4).max(1),
        )?;
        let timeout = number("DB_ACQUIRE_TIMEOUT_SECONDS", 1..=60, 5)?;
        Ok(Self {
            pool_size,
            per_request,
            acquire_timeout: std::time::Duration::from_secs(u64::from(timeout)),
        })
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            introspection: true,
            cors_origins: Vec::new(),
            request_timeout_seconds: 30,
            metrics_token: None,
            shutdown_grace_seconds: 30,
            trusted_proxy_header: None,
            db: DbLimits::default(),
            public_url: None,
            attachment_max_bytes: domain::notice_attachments::DEFAULT_MAX_BYTES,
            import_max_bytes: DEFAULT_IMPORT_BYTES,
        }
    }
}

pub use jobs::mail::MailConfig;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/govcloud.db?mode=rwc";
const MIN_SECRET_BYTES: usize = 32;
/// The largest `ATTACHMENT_MAX_BYTES` accepted: the files live in the database.
const MAX_ATTACHMENT_BYTES: usize = 100 * 1024 * 1024;
/// The default `IMPORT_MAX_BYTES`: 10 MiB, some 100,000 rows of work orders.
const DEFAULT_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// A size limit in bytes from `variable` (1 byte to 100 MiB: the files live
/// in the database), `default` when unset.
fn max_bytes(
    get: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: usize,
) -> Result<usize, ConfigError> {
    match get(variable) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_ATTACHMENT_BYTES).contains(n))
            .ok_or_else(|| {
                bad(
                    variable,
                    "must be a whole number of bytes from 1 to 104857600 (100 MiB)",
                )
            }),
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads through `lookup` so tests can pass a map instead of the process env.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(bad(
                "DATABASE_URL",
                "must start with sqlite: or postgres://",
            ));
        }
        let listen_addr = get("LISTEN_ADDR")
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned())
            .parse()
            .map_err(|_| bad("LISTEN_ADDR", "must be host:port, e.g. 127.0.0.1:8080"))?;
        let jwt_secret = match get("JWT_SECRET") {
            Some(s) if s.len() < MIN_SECRET_BYTES => {
                return Err(bad(
                    "JWT_SECRET",
                    &format!("must be at least {MIN_SECRET_BYTES} bytes long"),
                ));
            }
            other => other.map(Secret::new),
        };
        let token_ttl_minutes = match get("TOKEN_TTL_MINUTES") {
            None => 8 * 60,
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|m| (1..=7 * 24 * 60).contains(m))
                .ok_or_else(|| {
                    bad(
                        "TOKEN_TTL_MINUTES",
                        "must be a whole number of minutes from 1 to 10080",
                    )
                })?,
        };
        let admin = AdminSeed {
            username: get("ADMIN_USERNAME").unwrap_or_else(|| "admin".to_owned()),
            password: get("ADMIN_PASSWORD").map(Secret::new),
        };
        let demo_data = match get("DEMO_DATA").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(_) => return Err(bad("DEMO_DATA", "must be 1 or 0")),
        };
        let smtp_url = get("SMTP_URL");
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(bad("SMTP_URL", "must start with smtp:// or smtps://"));
        }
        let poll_seconds = match get("MAIL_POLL_SECONDS") {
            None => 10,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=3600).contains(s))
                .ok_or_else(|| {
                    bad(
                        "MAIL_POLL_SECONDS",
                        "must be a whole number of seconds from 1 to 3600",
                    )
                })?,
        };
        let public_url = public_url(get("PUBLIC_URL"))?;
        let mail = MailConfig {
            public_url: public_url.clone(),
            smtp_url,
            mail_dir: get("MAIL_DIR").map_or_else(|| PathBuf::from("./data/mail"), PathBuf::from),
            from: get("MAIL_FROM").unwrap_or_else(|| "govcloud@localhost".to_owned()),
            poll_seconds,
            max_attempts: match get("MAIL_MAX_ATTEMPTS") {
                None => jobs::mail::sender::DEFAULT_MAX_ATTEMPTS,
                Some(v) => v
                    .parse::<i32>()
                    .ok()
                    .filter(|n| (1..=100).contains(n))
                    .ok_or_else(|| {
                        bad(
                            "MAIL_MAX_ATTEMPTS",
                            "must be a whole number of tries from 1 to 100",
                        )
                    })?,
            },
        };
        let lease_seconds = match get("JOB_LEASE_SECONDS") {
            None => jobs::scheduler::DEFAULT_LEASE_SECONDS,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| (2..=3600).contains(s))
                .ok_or_else(|| {
                    bad(
                        "JOB_LEASE_SECONDS",
                        "must be a whole number of seconds from 2 to 3600",
                    )
                })?,
        };
        let schedule = match get("SCHEDULER").as_deref() {
            Some("0") | Some("false") => None,
            None | Some("1") | Some("true") => {
                let default = jobs::scheduler::Schedule::default();
                let catch_up_months = match get("CATCH_UP_MONTHS") {
                    None => default.catch_up_months,
                    Some(v) => v
                        .parse::<u32>()
                        .ok()
                        .filter(|m| (1..=120).contains(m))
                        .ok_or_else(|| {
                            bad(
                                "CATCH_UP_MONTHS",
                                "must be a whole number of months from 1 to 120",
                            )
                        })?,
                };
                let schedule = jobs::scheduler::Schedule {
                    monthly_cron: get("MONTHLY_CRON").unwrap_or(default.monthly_cron),
                    annual_cron: get("ANNUAL_CRON").unwrap_or(default.annual_cron),
                    risk_cron: get("RISK_CHECK_CRON").unwrap_or(default.risk_cron),
                    catch_up_months,
                    public_url: mail.public_url.clone(),
                };
                schedule
                    .check()
                    .map_err(|(variable, reason)| bad(variable, &reason))?;
                Some(schedule)
            }
            Some(_) => return Err(bad("SCHEDULER", "must be 1 or 0")),
        };
        let introspection = match get("GRAPHQL_INTROSPECTION").as_deref() {
            None | Some("1") | Some("true") => true,
            Some("0") | Some("false") => false,
            Some(_) => return Err(bad("GRAPHQL_INTROSPECTION", "must be 1 or 0")),
        };
        let cors_origins = match get("CORS_ORIGINS") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(|o| o.trim().to_owned())
                .map(|o| {
                    let ok = (o.starts_with("http://") || o.starts_with("https://")) && o.parse::<axum::http::HeaderValue>().is_ok();
                    if ok { Ok(o) } else { Err(bad("CORS_ORIGINS", "must be comma-separated origins like https://supervision.example.gov.cn")) }
                })
                .collect::<Result<_, _>>()?,
        };
        let request_timeout_seconds = match get("REQUEST_TIMEOUT_SECONDS") {
            None => 30,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=600).contains(s))
                .ok_or_else(|| {
                    bad(
                        "REQUEST_TIMEOUT_SECONDS",
                        "must be a whole number of seconds from 1 to 600",
                    )
                })?,
        };
        let metrics_token = match get("METRICS_TOKEN") {
            Some(t) if t.len() < MIN_SECRET_BYTES / 2 => {
                return Err(bad(
                    "METRICS_TOKEN",
                    &format!("must be at least {} bytes long", MIN_SECRET_BYTES / 2),
                ));
            }
            other => other.map(Secret::new),
        };
        let shutdown_grace_seconds = match get("SHUTDOWN_GRACE_SECONDS") {
            None => 30,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=3600).contains(s))
                .ok_or_else(|| {
                    bad(
                        "SHUTDOWN_GRACE_SECONDS",
                        "must be a whole number of seconds from 1 to 3600",
                    )
                })?,
        };
        let trusted_proxy_header = get("TRUSTED_PROXY_HEADER")
            .map(|name| {
                axum::http::HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
                    bad(
                        "TRUSTED_PROXY_HEADER",
                        "must be a header name, e.g. X-Forwarded-For",
                    )
                })
            })
            .transpose()?;
        let attachment_max_bytes = max_bytes(
            &get,
            "ATTACHMENT_MAX_BYTES",
            domain::notice_attachments::DEFAULT_MAX_BYTES,
        )?;
        let import_max_bytes = max_bytes(&get, "IMPORT_MAX_BYTES", DEFAULT_IMPORT_BYTES)?;
        let dispute_window_working_days = match get("DISPUTE_WINDOW_WORKING_DAYS") {
            None => domain::disputes::DEFAULT_WINDOW_WORKING_DAYS,
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=60).contains(n))
                .ok_or_else(|| {
                    bad(
                        "DISPUTE_WINDOW_WORKING_DAYS",
                        "must be a whole number of working days from 1 to 60",
                    )
                })?,
        };
        let http = HttpConfig {
            attachment_max_bytes,
            import_max_bytes,
            public_url: Some(public_url.clone()),
            introspection,
            cors_origins,
            request_timeout_seconds,
            metrics_token,
            shutdown_grace_seconds,
            trusted_proxy_header,
            db: DbLimits::from_lookup(get)?,
        };
        Ok(Self {
            database_url,
            listen_addr,
            jwt_secret,
            token_ttl_minutes,
            admin,
            demo_data,
            mail,
            schedule,
            lease: std::time::Duration::from_secs(lease_seconds),
            http,
            dispute_window_working_days,
        })
    }

    /// The directory an SQLite URL points into, so it can be created before connecting.
    pub fn sqlite_dir(&self) -> Option<PathBuf> {
        domain::db::sqlite_dir(&self.database_url)
    }

    /// The pool as the database layer wants it.
    pub fn pool(&self) -> domain::db::Pool {
        domain::db::Pool {
            size: self.http.db.pool_size,
            acquire_timeout: self.http.db.acquire_timeout,
        }
    }
}

/// `PUBLIC_URL`: an absolute http(s) URL with a host and no query or fragment,
/// kept without its trailing slash; default `http://127.0.0.1:8080`.
fn public_url(value: Option<String>) -> Result<String, ConfigError> {
    let Some(value) = value else {
        return Ok(jobs::mail::DEFAULT_PUBLIC_URL.to_owned());
    };
    let value = value.trim().trim_end_matches('/').to_owned();
    let uri = value.parse::<axum::http::Uri>().ok();
    let ok = uri.as_ref().is_some_and(|u| {
        matches!(u.scheme_str(), Some("http" | "https"))
            && u.authority().is_some_and(|a| !a.host().is_empty())
            && u.query().is_none()
            && !value.contains('#')
    });
    if ok {
        Ok(value)
    } else {
        Err(bad(
            "PUBLIC_URL",
            "must be the http(s) address users reach the platform at, e.g. https://yun.example.gov.cn",
        ))
    }
}

fn bad(variable: &'static str, reason: &str) -> ConfigError {
    ConfigError {
        variable,
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_serve_embedded_sqlite_on_localhost() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.listen_addr.to_string(), "127.0.0.1:8080");
        assert!(c.jwt_secret.is_none());
        assert_eq!(c.sqlite_dir(), Some(PathBuf::from("./data")));
        assert!(c.http.trusted_proxy_header.is_none());
        assert_eq!(c.http.db.pool_size, 16);
        assert_eq!(c.http.db.per_request, 4);
        // 10 MiB each.
        assert_eq!(c.http.attachment_max_bytes, 10 * 1024 * 1024);
        assert_eq!(c.http.import_max_bytes, 10 * 1024 * 1024);
    }

    #[test]
    fn the_dispute_window_is_five_working_days_unless_set_from_1_to_60() {
        assert_eq!(config(&[]).unwrap().dispute_window_working_days, 5);
        let set = config(&[("DISPUTE_WINDOW_WORKING_DAYS", "10")]).unwrap();
        assert_eq!(set.dispute_window_working_days, 10);
        for bad in ["0", "61", "five"] {
            let err = config(&[("DISPUTE_WINDOW_WORKING_DAYS", bad)]).expect_err(bad);
            assert_eq!(err.variable, "DISPUTE_WINDOW_WORKING_DAYS");
        }
    }

    #[test]
    fn the_public_url_defaults_to_the_listen_address_and_loses_its_trailing_slash() {
        assert_eq!(
            config(&[]).unwrap().mail.public_url,
            "http://127.0.0.1:8080"
        );
        let c = config(&[("PUBLIC_URL", "https://yun.example.gov.cn/jg/")]).unwrap();
        assert_eq!(c.mail.public_url, "https://yun.example.gov.cn/jg");
        assert_eq!(
            c.schedule.map(|s| s.public_url),
            Some("https://yun.example.gov.cn/jg".to_owned())
        );
    }

    #[test]
    fn a_request_gets_a_quarter_of_the_pool_unless_told_otherwise() {
        let c = config(&[("DB_POOL_SIZE", "6")]).unwrap();
        assert_eq!((c.http.db.pool_size, c.http.db.per_request), (6, 1));
        let c = config(&[("DB_POOL_SIZE", "40"), ("DB_CONNECTIONS_PER_REQUEST", "2")]).unwrap();
        assert_eq!((c.http.db.pool_size, c.http.db.per_request), (40, 2));
        assert!(config(&[("DB_POOL_SIZE", "8"), ("DB_CONNECTIONS_PER_REQUEST", "9")]).is_err());
    }

    #[test]
    fn a_trusted_proxy_header_is_a_header_name() {
        let c = config(&[("TRUSTED_PROXY_HEADER", "X-Forwarded-For")]).expect("valid");
        assert_eq!(
            c.http.trusted_proxy_header.map(|h| h.to_string()),
            Some("x-forwarded-for".to_owned())
        );
    }

    #[test]
    fn each_bad_variable_is_named() {
        for (var, value) in [
            ("DATABASE_URL", "mysql://x"),
            ("LISTEN_ADDR", "nowhere"),
            ("JWT_SECRET", "too-short"),
            ("TOKEN_TTL_MINUTES", "0"),
            ("DEMO_DATA", "yes please"),
            ("SMTP_URL", "http://mail"),
            ("MAIL_POLL_SECONDS", "0"),
            ("SCHEDULER", "sometimes"),
            ("JOB_LEASE_SECONDS", "1"),
            ("GRAPHQL_INTROSPECTION", "maybe"),
            ("CORS_ORIGINS", "*"),
            ("REQUEST_TIMEOUT_SECONDS", "0"),
            ("METRICS_TOKEN", "short"),
            ("SHUTDOWN_GRACE_SECONDS", "0"),
            ("TRUSTED_PROXY_HEADER", "X Forwarded For"),
            ("DB_POOL_SIZE", "0"),
            ("DB_CONNECTIONS_PER_REQUEST", "17"),
            ("DB_ACQUIRE_TIMEOUT_SECONDS", "0"),
            ("PUBLIC_URL", "yun.example.gov.cn"),
            ("PUBLIC_URL", "ftp://yun.example.gov.cn"),
            ("PUBLIC_URL", "https://yun.example.gov.cn/?a=1"),
            ("ATTACHMENT_MAX_BYTES", "0"),
            ("IMPORT_MAX_BYTES", "104857601"),
        ] {
            let err = config(&[(var, value)]).expect_err(var);
            assert_eq!(err.variable, var);
        }
    }
}
