//! The fact pages (issue 13, item 2): every fact kind listed with filters and
//! written through forms, for supervisors (their region) and administrators;
//! vendors and agencies read what the store lets them read, never a form.
//!
//! `index` (`/facts`: the kinds with counts), `list` (`/facts/{kind}`: a
//! kind's records, filtered and paged), `form` (`/facts/{kind}/new` and
//! `/facts/{kind}/{id}`: a record, edited by who may write it), `pickers`
//! (regions, vendors, agencies and systems by name), `show` (a field's value
//! as people read it). What a kind's fields are, in Chinese, is the kind's own
//! declaration (`graphql::facts::fields::Described`); `kind` turns a kind's
//! slug into its store and inputs. Writes go through `graphql::crud::create`
//! and `update` with the mutation's own name in the audit trail, so a form and
//! a mutation write the same row the same way.

pub mod form;
pub mod index;
pub mod kind;
pub mod list;
pub mod pickers;
pub mod show;

pub use kind::KINDS;

/// The page of a fact, e.g. a deduction's fact on a scorecard:
/// `/facts/work-orders/12`.
pub fn fact_url(kind: engine::facts::FactKind, id: i64) -> String {
    format!("/facts/{}/{id}", kind::slug_of(kind))
}

/// The kind as its users call it (`工单`), from its declaration.
pub fn kind_label(kind: engine::facts::FactKind) -> &'static str {
    let slug = kind::slug_of(kind);
    KINDS
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or(slug, |(_, label)| label)
}
