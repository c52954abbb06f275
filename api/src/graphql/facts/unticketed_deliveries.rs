//! Resources delivered without a work order (无工单交付). A4 deducts each one in
//! the month it occurred, and again in each later month at whose end it was
//! still not rectified (`rectifiedAt` null or after that month).

use super::columns::{Flag, Instant, Nullable, Text};

pub use domain::facts::unticketed_deliveries::UnticketedDeliveries;

fact_kind! {
    UnticketedDeliveries => UnticketedDelivery, entity: unticketed_delivery, page: UnticketedDeliveryPage,
    label: "无工单交付", title: description,
    inputs: CreateUnticketedDeliveryInput, UpdateUnticketedDeliveryInput,
    query: UnticketedDeliveryQuery { unticketed_delivery, unticketed_deliveries },
    mutation: UnticketedDeliveryMutation { create_unticketed_delivery, update_unticketed_delivery, delete_unticketed_delivery },
    columns {
        #[label("情况说明")]
        description: Text<2000>,
        #[label("发生时间")]
        occurred_at: Instant,
        /// When it was rectified; null: not (yet). A4 counts it again in each month
        /// after the one it occurred in, at whose end it was still not rectified.
        #[label("整改完成时间")]
        #[create(doc = "When it was rectified; omit or null while it is not.")]
        #[update(doc = "`null` clears it (not rectified after all).")]
        rectified_at: Nullable<Instant>,
        #[label("已确认")]
        confirmed: Flag,
        #[label("服务商责任")]
        vendor_liable: Flag,
    }
    links {}
}
