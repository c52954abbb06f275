//! One request's share of the database pool.
//!
//! async-graphql resolves the root fields of a query, and the fields of each
//! object, concurrently; without a bound, one request of 800 aliased lists
//! would take every connection of the pool and make every other request wait.
//! So each GraphQL request gets a semaphore of `DB_CONNECTIONS_PER_REQUEST`
//! permits (default a quarter of the pool), and every database access made
//! on its behalf — the generic CRUD (`crud`), the batched nested loads
//! (`graphql::nested`, through [`spawn`]) and the resolvers that query
//! directly (dashboards, runs, notices, rules, previews, audit) — holds one
//! permit while it uses a connection (one statement, or one transaction).
//! A permit is never held while waiting for another one (nor for a DataLoader
//! result), so a request cannot wait on itself.
//!
//! The semaphore travels with the request as a tokio task-local: the
//! request's future runs inside [`Share::scope`], the root fields are polled
//! in that task, and the DataLoader's tasks are spawned with the same share.
//! Outside a request (scheduled jobs, the mail sender) nothing is limited.
//!
//! The share also tells a full pool from a database that is down: a request
//! that waited `DB_ACQUIRE_TIMEOUT_SECONDS` for a connection while the pool
//! had every connection open (all in use) gets `BUSY` (try again), not
//! `UNAVAILABLE` (see [`pool_is_full`] and `error::DomainError::from`).

use std::future::Future;
use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

tokio::task_local! {
    static SHARE: Share;
}

/// A request's permits and the pool they are a share of.
#[derive(Clone)]
pub struct Share {
    permits: Arc<Semaphore>,
    db: DatabaseConnection,
}

impl Share {
    /// `connections` (at least 1) of `db`'s pool, for one request.
    pub fn new(db: &DatabaseConnection, connections: u32) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(connections.max(1) as usize)),
            db: db.clone(),
        }
    }

    /// Runs `work` (a request) with this share in force.
    pub async fn scope<F: Future>(self, work: F) -> F::Output {
        SHARE.scope(self, work).await
    }
}

/// Waits for a connection's worth of the current request's share; hold the
/// result across one statement or transaction, and never across another
/// `permit()` or a DataLoader load. `None` outside a request: not limited.
pub async fn permit() -> Option<OwnedSemaphorePermit> {
    let permits = SHARE.try_with(|s| Arc::clone(&s.permits)).ok()?;
    permits.acquire_owned().await.ok()
}

/// `tokio::spawn` for the request's DataLoader: its batches run with the
/// request's share.
pub fn spawn<F>(work: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match SHARE.try_with(Share::clone) {
        Ok(share) => tokio::spawn(SHARE.scope(share, work)),
        Err(_) => tokio::spawn(work),
    }
}

/// Whether the current request's pool has every connection it may open open:
/// a connection then could not be had because they were all in use, not
/// because the database is unreachable (its connections would have failed
/// and closed, and new ones could not be opened). `false` outside a request.
pub fn pool_is_full() -> bool {
    SHARE
        .try_with(|s| {
            let (size, max) = match s.db.get_database_backend() {
                DbBackend::Sqlite => {
                    let pool = s.db.get_sqlite_connection_pool();
                    (pool.size(), pool.options().get_max_connections())
                }
                DbBackend::Postgres => {
                    let pool = s.db.get_postgres_connection_pool();
                    (pool.size(), pool.options().get_max_connections())
                }
                _ => return false,
            };
            size >= max
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The most permits held at once by `n` concurrent holders of one share,
    /// half of them on DataLoader-style spawned tasks.
    async fn most_held(connections: u32, n: usize) -> usize {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let work = {
            let (now, most) = (Arc::clone(&now), Arc::clone(&most));
            async move {
                let hold = |now: Arc<AtomicUsize>, most: Arc<AtomicUsize>| async move {
                    let _permit = permit().await;
                    let held = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(held, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                };
                let mut spawned = Vec::new();
                let mut joined = Vec::new();
                for i in 0..n {
                    let f = hold(Arc::clone(&now), Arc::clone(&most));
                    if i % 2 == 0 {
                        spawned.push(spawn(f));
                    } else {
                        joined.push(f);
                    }
                }
                futures_join(joined).await;
                for s in spawned {
                    s.await.unwrap();
                }
            }
        };
        Share::new(&db, connections).scope(work).await;
        most.load(Ordering::SeqCst)
    }

    /// Polls every future in this task (as async-graphql joins root fields).
    async fn futures_join<F: Future<Output = ()>>(futures: Vec<F>) {
        let mut futures: Vec<Option<std::pin::Pin<Box<F>>>> =
            futures.into_iter().map(|f| Some(Box::pin(f))).collect();
        std::future::poll_fn(|cx| {
            let mut pending = false;
            for slot in &mut futures {
                if let Some(f) = slot {
                    if f.as_mut().poll(cx).is_ready() {
                        *slot = None;
                    } else {
                        pending = true;
                    }
                }
            }
            if pending {
                std::task::Poll::Pending
            } else {
                std::task::Poll::Ready(())
            }
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_never_holds_more_than_its_share() {
        assert_eq!(most_held(2, 40).await, 2);
        assert_eq!(most_held(1, 10).await, 1);
    }

    #[tokio::test]
    async fn outside_a_request_nothing_is_limited() {
        assert!(permit().await.is_none());
        assert!(!pool_is_full());
    }
}
