//! Helpers shared by the migrations: named foreign keys and indexes.

use sea_orm_migration::prelude::*;

/// A foreign key `fk_<table>_<column>` from `table.column` to `target.id`.
/// Deleting a referenced row is refused (`ON DELETE RESTRICT`).
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
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// An index `idx_<table>_<columns…>` on `table (columns…)`.
pub fn index(table: impl IntoIden, columns: impl IdenList) -> IndexCreateStatement {
    named_index("idx", table.into_iden(), columns)
}

/// A unique index `uq_<table>_<columns…>` on `table (columns…)`.
pub fn unique_index(table: impl IntoIden, columns: impl IdenList) -> IndexCreateStatement {
    named_index("uq", table.into_iden(), columns)
        .unique()
        .to_owned()
}

fn named_index(prefix: &str, table: DynIden, columns: impl IdenList) -> IndexCreateStatement {
    let columns: Vec<DynIden> = IdenList::into_iter(columns).collect();
    let names: Vec<String> = columns.iter().map(ToString::to_string).collect();
    let mut index = Index::create();
    index
        .name(format!("{prefix}_{table}_{}", names.join("_")))
        .table(table);
    for column in columns {
        index.col(column);
    }
    index
}
