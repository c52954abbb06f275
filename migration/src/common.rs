//! Helpers shared by the migrations: named foreign keys and indexes.

use sea_orm_migration::prelude::*;

/// A foreign key `fk_<table>_<column>` from `table.column` to `target.id`.
///
/// Deleting a referenced row is refused. This is `ON DELETE NO ACTION` rather
/// than `RESTRICT`. The constraints are not deferrable, so on both backends the
/// delete is refused at the end of the statement, the same as `RESTRICT`. The
/// error code is what differs. SQLite reports a `RESTRICT` violation as
/// `SQLITE_CONSTRAINT_TRIGGER` (1811), which sea-orm's `DbErr::sql_err()` does
/// not classify. It reports a `NO ACTION` violation as
/// `SQLITE_CONSTRAINT_FOREIGNKEY` (787), which sea-orm classifies as
/// `SqlErr::ForeignKeyConstraintViolation`, as it does PostgreSQL's 23503.
pub fn fk(
    table: impl IntoIden,
    column: impl IntoIden,
    target: impl IntoIden,
) -> ForeignKeyCreateStatement {
    let (table, column) = (table.into_iden(), column.into_iden());
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::NoAction)
        .to_owned()
}

/// An index `idx_<table>_<columns…>` on `table (columns…)`.
pub fn index(table: impl IntoIden, columns: impl IdenList) -> IndexCreateStatement {
    named_index("idx", "_", table.into_iden(), columns)
}

/// A unique index `uq_<table>__<column>__<column>…` on `table (columns…)`. The
/// double underscores let the API name the columns of a violated constraint
/// (PostgreSQL reports only the constraint's name).
pub fn unique_index(table: impl IntoIden, columns: impl IdenList) -> IndexCreateStatement {
    named_index("uq", "__", table.into_iden(), columns)
        .unique()
        .to_owned()
}

fn named_index(
    prefix: &str,
    separator: &str,
    table: DynIden,
    columns: impl IdenList,
) -> IndexCreateStatement {
    let columns: Vec<DynIden> = IdenList::into_iter(columns).collect();
    let names: Vec<String> = columns.iter().map(ToString::to_string).collect();
    let mut index = Index::create();
    index
        .name(format!(
            "{prefix}_{table}{separator}{}",
            names.join(separator)
        ))
        .table(table);
    for column in columns {
        index.col(column);
    }
    index
}
