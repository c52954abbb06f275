//! Batched loading: rows are buffered per table and written as multi-row
//! INSERTs, many batches per transaction.

use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    Iterable, PrimaryKeyToColumn,
};

/// Bound parameters per INSERT. SQLite allows 32,766 (PostgreSQL 65,535); a
/// margin below keeps every batch legal on both.
const MAX_PARAMETERS: usize = 30_000;

/// Rows per transaction: large enough that commits cost nothing, small enough
/// that the SQLite WAL stays modest.
const ROWS_PER_TRANSACTION: u64 = 100_000;

/// The open write transaction and what has gone through it.
pub struct Writer<'a> {
    db: &'a DatabaseConnection,
    txn: Option<DatabaseTransaction>,
    in_txn: u64,
    /// Rows inserted, per table, in the order the tables were first written.
    pub inserted: Vec<(&'static str, u64)>,
}

impl<'a> Writer<'a> {
    pub async fn begin(db: &'a DatabaseConnection) -> Result<Self, DbErr> {
        Ok(Self {
            db,
            txn: Some(domain::db::write_txn(db).await?),
            in_txn: 0,
            inserted: Vec::new(),
        })
    }

    /// The transaction, for reading back ids of rows written through it.
    pub fn txn(&self) -> Result<&DatabaseTransaction, DbErr> {
        self.txn
            .as_ref()
            .ok_or_else(|| DbErr::Custom("the writer is finished".into()))
    }

    async fn insert<A>(&mut self, table: &'static str, rows: Vec<A>) -> Result<(), DbErr>
    where
        A: ActiveModelTrait + Send,
    {
        let n = rows.len() as u64;
        // Recorded even when empty, so the report names every table.
        match self.inserted.iter_mut().find(|(t, _)| *t == table) {
            Some((_, count)) => *count += n,
            None => self.inserted.push((table, n)),
        }
        if n == 0 {
            return Ok(());
        }
        <A::Entity as EntityTrait>::insert_many(rows)
            .exec_without_returning(self.txn()?)
            .await?;
        self.in_txn += n;
        if self.in_txn >= ROWS_PER_TRANSACTION {
            self.commit().await?;
        }
        Ok(())
    }

    /// Commits what is pending (and starts over, so more can be written).
    pub async fn commit(&mut self) -> Result<(), DbErr> {
        if let Some(txn) = self.txn.take() {
            txn.commit().await?;
        }
        self.in_txn = 0;
        self.txn = Some(domain::db::write_txn(self.db).await?);
        Ok(())
    }

    pub async fn finish(mut self) -> Result<Vec<(&'static str, u64)>, DbErr> {
        if let Some(txn) = self.txn.take() {
            txn.commit().await?;
        }
        Ok(self.inserted)
    }
}

/// Rows of one table waiting for their INSERT.
pub struct Batch<A: ActiveModelTrait> {
    table: &'static str,
    rows: Vec<A>,
    per_insert: usize,
}

impl<A> Batch<A>
where
    A: ActiveModelTrait + Send,
{
    pub fn new(table: &'static str) -> Self {
        let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count();
        let per_insert = MAX_PARAMETERS / columns.max(1);
        Self {
            table,
            rows: Vec::with_capacity(per_insert),
            per_insert,
        }
    }

    /// Adds a row (its id left to the database), writing the batch when full.
    pub async fn push<M>(&mut self, writer: &mut Writer<'_>, model: M) -> Result<(), DbErr>
    where
        M: IntoActiveModel<A>,
    {
        let mut row = model.into_active_model().reset_all();
        for key in <<A::Entity as EntityTrait>::PrimaryKey as Iterable>::iter() {
            row.not_set(key.into_column());
        }
        self.rows.push(row);
        if self.rows.len() >= self.per_insert {
            self.flush(writer).await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self, writer: &mut Writer<'_>) -> Result<(), DbErr> {
        let rows = std::mem::replace(&mut self.rows, Vec::with_capacity(self.per_insert));
        writer.insert(self.table, rows).await
    }
}
