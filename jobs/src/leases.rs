//! Leases in the database, so that of several server processes on one database
//! only one runs a given job: a process runs it only while it holds the lease.
//! Taking a lease is one atomic statement (an insert, or an update of an
//! expired lease), safe on PostgreSQL and SQLite alike.
//!
//! A lease is short and renewed while its job runs (see `scheduler`), so that a
//! process that died holding one (killed, power lost) blocks nobody for longer
//! than one lease: an expired lease means its holder stopped renewing it.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::JobResult;
use entities::job_lease::{ActiveModel, Column, Entity};

/// Who this process is in the leases table and how long its leases last
/// (`JOB_LEASE_SECONDS`); shared by the scheduled jobs and manual runs.
#[derive(Clone, Debug)]
pub struct Lease {
    pub holder: String,
    pub ttl: std::time::Duration,
}

impl Lease {
    /// A new holder name for this process, with `ttl`.
    pub fn for_this_process(ttl: std::time::Duration) -> Self {
        Self {
            holder: holder_name(),
            ttl,
        }
    }
}

/// Runs `job` while holding the lease `name`, renewing it every third of its
/// lifetime, and gives it back after. `None` when another holder has it.
/// Dropping the future (a request cut off) stops the renewal: the lease then
/// expires, and whoever takes it next closes what was left running.
pub async fn hold<T>(
    db: &sea_orm::DatabaseConnection,
    name: &str,
    lease: &Lease,
    job: impl Future<Output = JobResult<T>>,
) -> JobResult<Option<T>> {
    let ttl = lease.ttl;
    let span = Duration::from_std(ttl).unwrap_or(Duration::seconds(60));
    if !acquire(db, name, &lease.holder, Utc::now(), span).await? {
        return Ok(None);
    }
    let renewing = {
        let (db, name, holder) = (db.clone(), name.to_owned(), lease.holder.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(ttl / 3).await;
                match renew(&db, &name, &holder, Utc::now(), span).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(lease = name, "lease lost while running"),
                    Err(e) => tracing::warn!(lease = name, error = %e, "cannot renew lease"),
                }
            }
        })
    };
    // Stops the renewal however `job` ends (also if it panics or is dropped).
    struct Abort(tokio::task::JoinHandle<()>);
    impl Drop for Abort {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let renewing = Abort(renewing);
    let result = job.await;
    drop(renewing);
    if let Err(e) = release(db, name, &lease.holder).await {
        tracing::warn!(lease = name, error = %e, "cannot release lease; it will expire");
    }
    result.map(Some)
}

/// This process's name in the leases table.
pub fn holder_name() -> String {
    use rand::Rng;
    format!(
        "pid{}-{:08x}",
        std::process::id(),
        rand::rng().random::<u32>()
    )
}

/// Takes the lease `name` for `ttl` if it is free or expired; true when taken.
pub async fn acquire(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> JobResult<bool> {
    let inserted = Entity::insert(ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        expires_at: Set(now + ttl),
    })
    .on_conflict(OnConflict::column(Column::Name).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    if inserted == 1 {
        return Ok(true);
    }
    let taken_over = Entity::update_many()
        .col_expr(Column::Holder, Expr::value(holder))
        .col_expr(Column::ExpiresAt, Expr::value(now + ttl))
        .filter(Column::Name.eq(name))
        .filter(Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    Ok(taken_over.rows_affected == 1)
}

/// Extends a lease this holder still holds; false when it has lost it (it
/// expired and another holder took it over).
pub async fn renew(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> JobResult<bool> {
    let renewed = Entity::update_many()
        .col_expr(Column::ExpiresAt, Expr::value(now + ttl))
        .filter(Column::Name.eq(name))
        .filter(Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(renewed.rows_affected == 1)
}

/// Gives a lease back (only if this holder still holds it).
pub async fn release(db: &impl ConnectionTrait, name: &str, holder: &str) -> JobResult<()> {
    Entity::delete_many()
        .filter(Column::Name.eq(name))
        .filter(Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db() -> sea_orm::DatabaseConnection {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("sqlite");
        use migration::MigratorTrait;
        migration::Migrator::up(&db, None)
            .await
            .expect("migrations");
        db
    }

    #[tokio::test]
    async fn a_held_lease_is_refused_until_it_expires() {
        let db = db().await;
        let t0 = Utc::now();
        assert!(
            acquire(&db, "monthly:1:2025-03", "a", t0, Duration::minutes(30))
                .await
                .expect("a")
        );
        assert!(
            !acquire(&db, "monthly:1:2025-03", "b", t0, Duration::minutes(30))
                .await
                .expect("b")
        );
        // 31 minutes later the lease of "a" has run out.
        assert!(
            acquire(
                &db,
                "monthly:1:2025-03",
                "b",
                t0 + Duration::minutes(31),
                Duration::minutes(30)
            )
            .await
            .expect("b later")
        );
    }

    #[tokio::test]
    async fn only_the_holder_renews_or_releases() {
        let db = db().await;
        let t0 = Utc::now();
        let ttl = Duration::seconds(60);
        assert!(acquire(&db, "l", "a", t0, ttl).await.expect("a"));
        assert!(!renew(&db, "l", "b", t0, ttl).await.expect("b renews"));
        release(&db, "l", "b").await.expect("b releases");
        // Still held by "a", renewed to t0 + 50 s + 60 s.
        assert!(
            renew(&db, "l", "a", t0 + Duration::seconds(50), ttl)
                .await
                .expect("a renews")
        );
        assert!(
            !acquire(&db, "l", "b", t0 + Duration::seconds(100), ttl)
                .await
                .expect("b")
        );
        release(&db, "l", "a").await.expect("a releases");
        assert!(
            acquire(&db, "l", "b", t0 + Duration::seconds(100), ttl)
                .await
                .expect("b free")
        );
    }
}
