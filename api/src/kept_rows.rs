//! Rows every request reads, kept for half a second (issue 17, items 2 and 5):
//! the user behind each token (disabled? password changed since the token
//! was issued?) and the vendors a dashboard names. A dashboard open all day
//! asks for the same few rows thousands of times a second; they were half of
//! a ranking's statements.
//!
//! A kept row answers for at most [`TTL`] after it was read, so a change made
//! through another instance (or the command line), such as a user disabled
//! or given a new password, holds here within that time: revocation reaches
//! every instance within a second. A write through this instance forgets
//! every kept row at once ([`KeptRows::forget_all`], called after any
//! mutation or console form), so here the change holds from the next request.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, Iterable, PrimaryKeyToColumn, QueryFilter,
};

/// How long a kept row answers: under the second within which a revocation
/// must reach every instance.
pub const TTL: Duration = Duration::from_millis(500);

/// Past this many kept rows, expired ones are dropped before another is kept
/// (a bound, whatever the number of users signing in).
const SWEEP_ABOVE: usize = 10_000;

/// Rows of one table by id, each with when it was read.
pub struct KeptRows<E: EntityTrait> {
    rows: Mutex<HashMap<i64, (E::Model, Instant)>>,
    id_of: fn(&E::Model) -> i64,
}

/// The users behind tokens.
pub type Users = KeptRows<entities::user::Entity>;
/// The vendors the dashboards name.
pub type Vendors = KeptRows<entities::vendor::Entity>;

impl Default for Users {
    fn default() -> Self {
        Self::new(|u| u.id)
    }
}

impl Default for Vendors {
    fn default() -> Self {
        Self::new(|v| v.id)
    }
}

impl<E: EntityTrait> KeptRows<E>
where
    E::Model: Clone,
{
    fn new(id_of: fn(&E::Model) -> i64) -> Self {
        Self {
            rows: Mutex::new(HashMap::new()),
            id_of,
        }
    }

    /// The row `id` as read at most [`TTL`] ago, or read now.
    pub async fn one(&self, db: &DatabaseConnection, id: i64) -> Result<Option<E::Model>, DbErr> {
        Ok(self.many(db, [id]).await?.remove(&id))
    }

    /// The rows of `ids` that exist, each as read at most [`TTL`] ago; those
    /// not kept are read in one statement.
    pub async fn many(
        &self,
        db: &DatabaseConnection,
        ids: impl IntoIterator<Item = i64>,
    ) -> Result<HashMap<i64, E::Model>, DbErr> {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        {
            let rows = self.rows.lock().unwrap_or_else(PoisonError::into_inner);
            for id in ids {
                match rows.get(&id).filter(|(_, read)| read.elapsed() < TTL) {
                    Some((row, _)) => {
                        found.insert(id, row.clone());
                    }
                    None => missing.push(id),
                }
            }
        }
        if missing.is_empty() {
            return Ok(found);
        }
        missing.sort_unstable();
        missing.dedup();
        // Stamped before the read: a row read while a write commits ages from
        // before the write, never after it.
        let asked = Instant::now();
        let Some(key) = E::PrimaryKey::iter().next() else {
            return Ok(found);
        };
        let read = E::find()
            .filter(key.into_column().is_in(missing))
            .all(db)
            .await?;
        let mut rows = self.rows.lock().unwrap_or_else(PoisonError::into_inner);
        if rows.len() >= SWEEP_ABOVE {
            rows.retain(|_, (_, at)| at.elapsed() < TTL);
        }
        for row in read {
            let id = (self.id_of)(&row);
            rows.insert(id, (row.clone(), asked));
            found.insert(id, row);
        }
        Ok(found)
    }

    /// Forgets every kept row: this instance may just have changed one.
    pub fn forget_all(&self) {
        self.rows
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}
