//! The published monthly totals a blending scheme's year mixes in (spec §2:
//! the mean of the months of the service year that have a published result).
//! Read for every vendor of a region in one statement, and only the exact
//! total of each stored scorecard is parsed: the annual run needs no more.

use std::collections::HashMap;

use engine::{Month, ServiceYear};
use entities::assessment_result::{Column as C, Entity as Results};
use entities::assessment_run::RunKind;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use crate::error::{JobError, JobResult};

/// What the blend reads of a stored monthly scorecard: its exact total (the
/// row's `total` column is rounded to four places for sorting).
#[derive(Deserialize)]
struct Total {
    total: Decimal,
}

/// Each of `vendors`' published monthly totals in the region's service year,
/// in month order; a vendor without any has an empty list.
pub async fn published_totals(
    conn: &impl ConnectionTrait,
    region_id: i64,
    vendors: &[i64],
    service_year: ServiceYear,
) -> JobResult<HashMap<i64, Vec<(Month, Decimal)>>> {
    let months: HashMap<String, Month> =
        service_year.months().map(|m| (m.to_string(), m)).collect();
    let rows: Vec<(i64, i64, String, String)> = Results::find()
        .select_only()
        .columns([C::Id, C::VendorId, C::Period, C::Document])
        .filter(C::RegionId.eq(region_id))
        .filter(C::VendorId.is_in(vendors.iter().copied()))
        .filter(C::Kind.eq(RunKind::Monthly))
        .filter(C::Period.is_in(months.keys().cloned()))
        .filter(C::Published.eq(true))
        // A later revision replaces an earlier one of the month below.
        .order_by_asc(C::Revision)
        .into_tuple()
        .all(conn)
        .await?;
    let mut latest: HashMap<i64, std::collections::BTreeMap<Month, Decimal>> =
        vendors.iter().map(|&v| (v, Default::default())).collect();
    for (id, vendor, period, document) in rows {
        let (Some(month), Some(totals)) = (months.get(&period), latest.get_mut(&vendor)) else {
            continue;
        };
        totals.insert(*month, total_of(id, &document)?);
    }
    Ok(latest
        .into_iter()
        .map(|(vendor, totals)| (vendor, totals.into_iter().collect()))
        .collect())
}

/// The exact total of a stored monthly result; a document that does not
/// parse is an internal error naming the result, never a default.
fn total_of(id: i64, document: &str) -> JobResult<Decimal> {
    serde_json::from_str::<Total>(document)
        .map(|t| t.total)
        .map_err(|e| {
            JobError::Internal(
                format!("result {id}: its monthly document does not parse: {e}").into(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_total_is_read_exactly_from_a_stored_scorecard() {
        // The lifecycle's March: 88.37598566 exactly, where the column holds 88.3760.
        let document = r#"{"scheme_code":"sh-municipal","indicators":[{"code":"A1","total":"1"}],
            "total":"88.37598566","pass_mark":"90","passed":false,"warnings":[]}"#;
        assert_eq!(total_of(7, document).expect("parses"), dec!(88.37598566));
    }

    #[test]
    fn a_document_without_a_total_is_an_internal_error() {
        let err = total_of(7, r#"{"scheme_code":"x"}"#).expect_err("no total");
        assert!(err.to_string().contains("result 7"), "{err}");
    }
}
