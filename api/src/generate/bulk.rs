//! Batched loading: rows are buffered per table and written, on PostgreSQL,
//! with `COPY … FROM STDIN` (one COPY in flight while the next batch is
//! generated), on SQLite as multi-row INSERTs, many batches per transaction.

use sea_orm::sqlx::Executor;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    IntoActiveModel, Iterable, PrimaryKeyToColumn,
};
use tokio::task::JoinHandle;

use super::copy;

/// Bound parameters per INSERT. SQLite allows 32,766 (PostgreSQL 65,535); a
/// margin below keeps every batch legal on both.
const MAX_PARAMETERS: usize = 30_000;

/// Rows per transaction: large enough that commits cost nothing, small enough
/// that the SQLite WAL stays modest.
const ROWS_PER_TRANSACTION: u64 = 100_000;

/// Rows per COPY on PostgreSQL: a few MB of text, so the pipeline (generate
/// the next batch while the server ingests this one) has work on both sides.
const ROWS_PER_COPY: usize = 20_000;

/// The open write transaction and what has gone through it.
pub struct Writer<'a> {
    db: &'a DatabaseConnection,
    txn: Option<DatabaseTransaction>,
    in_txn: u64,
    /// The COPY under way on PostgreSQL (its own connection and transaction).
    copying: Option<JoinHandle<Result<(), DbErr>>>,
    /// Rows inserted, per table, in the order the tables were first written.
    pub inserted: Vec<(&'static str, u64)>,
}

impl<'a> Writer<'a> {
    pub async fn begin(db: &'a DatabaseConnection) -> Result<Self, DbErr> {
        Ok(Self {
            db,
            txn: Some(domain::db::write_txn(db).await?),
            in_txn: 0,
            copying: None,
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
        if self.copies() {
            return self.copy(table, &rows).await;
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

    /// PostgreSQL loads with COPY; SQLite with multi-row INSERTs.
    fn copies(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Postgres
    }

    /// Rows per write of a table with `columns` columns.
    fn rows_per_write(&self, columns: usize) -> usize {
        if self.copies() {
            ROWS_PER_COPY
        } else {
            MAX_PARAMETERS / columns.max(1)
        }
    }

    /// Starts the COPY of `rows` once the previous one has finished (so the
    /// ids the database assigns follow the order of the rows, as with INSERTs).
    /// Each COPY commits by itself: the rows it refers to are committed already.
    async fn copy<A: ActiveModelTrait>(&mut self, table: &str, rows: &[A]) -> Result<(), DbErr> {
        let data = copy::encode(rows)?;
        let statement = copy::statement::<A>(table);
        self.wait().await?;
        let pool = self.db.get_postgres_connection_pool().clone();
        let table = table.to_owned();
        self.copying = Some(tokio::spawn(async move {
            let failed = |e: sea_orm::sqlx::Error| DbErr::Custom(format!("COPY {table}: {e}"));
            let mut conn = pool.acquire().await.map_err(failed)?;
            let unchecked = skip_reference_checks(&mut conn).await;
            let mut copy_in = conn.copy_in_raw(&statement).await.map_err(failed)?;
            copy_in.send(data).await.map_err(failed)?;
            copy_in.finish().await.map_err(failed)?;
            if unchecked {
                (&mut *conn)
                    .execute("RESET session_replication_role")
                    .await
                    .map_err(failed)?;
            }
            Ok(())
        }));
        Ok(())
    }

    /// Waits for the COPY under way, if any.
    async fn wait(&mut self) -> Result<(), DbErr> {
        match self.copying.take() {
            Some(task) => task
                .await
                .map_err(|e| DbErr::Custom(format!("COPY task: {e}")))?,
            None => Ok(()),
        }
    }

    /// Commits what is pending (and starts over, so more can be written).
    pub async fn commit(&mut self) -> Result<(), DbErr> {
        self.wait().await?;
        if let Some(txn) = self.txn.take() {
            txn.commit().await?;
        }
        self.in_txn = 0;
        self.txn = Some(domain::db::write_txn(self.db).await?);
        Ok(())
    }

    pub async fn finish(mut self) -> Result<Vec<(&'static str, u64)>, DbErr> {
        self.wait().await?;
        if let Some(txn) = self.txn.take() {
            txn.commit().await?;
        }
        Ok(self.inserted)
    }
}

/// The foreign-key checks were three quarters of PostgreSQL's time in a
/// COPY (one lookup of the referenced row per row, issue 17's profile). The
/// generator's rows refer only to rows it wrote before, so on a connection
/// allowed to (a superuser's, as `pg_restore --disable-triggers` needs) the
/// COPY skips them; elsewhere the checks run and the load is slower. Whether
/// they were skipped is the answer.
async fn skip_reference_checks(conn: &mut sea_orm::sqlx::PgConnection) -> bool {
    conn.execute("SET session_replication_role = replica")
        .await
        .is_ok()
}

/// Rows of one table waiting for their INSERT.
pub struct Batch<A: ActiveModelTrait> {
    table: &'static str,
    rows: Vec<A>,
    columns: usize,
}

impl<A> Batch<A>
where
    A: ActiveModelTrait + Send,
{
    pub fn new(table: &'static str) -> Self {
        let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count();
        Self {
            table,
            rows: Vec::new(),
            columns,
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
        if self.rows.len() >= writer.rows_per_write(self.columns) {
            let rows = std::mem::take(&mut self.rows);
            writer.insert(self.table, rows).await?;
        }
        Ok(())
    }

    /// Writes what is left and waits until it is in the database (the caller
    /// may read the rows back next).
    pub async fn flush(&mut self, writer: &mut Writer<'_>) -> Result<(), DbErr> {
        let rows = std::mem::take(&mut self.rows);
        writer.insert(self.table, rows).await?;
        writer.wait().await
    }
}
