//! The lists the UI pages through — the hazard register ([`register`]) and the records of any
//! kind ([`records`]) — answered in SQL by each backend: one statement builder, and a
//! [`Dialect`] per backend for what differs.

pub(crate) mod records;
pub(crate) mod register;

/// What differs between the backends' SQL for the lists.
pub(crate) struct Dialect {
    /// `FROM` clause giving the items `{items}` (aliased `i`) with their current version `v`.
    pub current: &'static str,
    /// The text of a top-level field of `v.record` named by the parameter `{p}` (the name as
    /// the backend's JSON functions take it, see `path`), empty when absent or null.
    pub field_text: &'static str,
    /// The number of that field when it is a number, else null.
    pub field_number: &'static str,
    /// `EXISTS` over the record's top-level fields other than `kind`, `geometry` and
    /// `released_areas` whose text contains the parameter `{q}`.
    pub any_field: &'static str,
    /// `{p}` for a field `name`, as the JSON functions take it.
    pub path: fn(&str) -> String,
    /// Text of the date of information (`v.valid_from`).
    pub date_text: &'static str,
    /// The version's record as text.
    pub record: &'static str,
    /// A hazard version's polygons kept out of its record, as WKB (else null).
    pub record_geometry: &'static str,
    /// A null geometry column.
    pub no_geometry: &'static str,
    /// Function giving the 1-based position of its second argument in its first (0: absent).
    pub position: &'static str,
    /// Collation that orders text bytewise, as Rust does.
    pub bytewise: &'static str,
    /// Parameter prefix (`?1` or `$1`).
    pub param: char,
    /// What makes a text parameter's type explicit (PostgreSQL cannot infer `$5 IS NULL`).
    pub text: &'static str,
}
