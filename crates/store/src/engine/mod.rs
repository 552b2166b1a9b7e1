//! Backend-independent workflow logic. Approval (reference resolution, conflicts, stale
//! updates, versions, links, derived hazard state) and the derivation of hazard state from
//! versions are written once here against two small traits that each backend implements over
//! its own transaction; SQLite and PostgreSQL therefore take the same decisions in the same
//! order, and only the SQL differs.

pub(crate) mod approval;
pub(crate) mod body;
pub(crate) mod boundaries;
pub(crate) mod items;
pub(crate) mod reports;
pub(crate) mod spatial_link;
pub(crate) mod staged;
pub(crate) mod stored_record;

pub(crate) use items::{hazard_state, linked_items, release_credits};

use chrono::{DateTime, NaiveDate, Utc};
use safeground_model::{ItemKind, Record, VictimPersonalData};

use crate::{AsOf, HazardState, ItemVersion, Report, ReportId, Result};

/// The reads that approval and hazard derivation need, inside the caller's connection or
/// transaction.
pub(crate) trait Reads {
    /// One report with its entries.
    fn load_report(&mut self, id: ReportId) -> Result<Report>;
    /// The kind of an item (None when there is no item with this id).
    fn item_kind(&mut self, item: &str) -> Result<Option<ItemKind>>;
    /// Up to two items (id, kind code) with this local id.
    fn items_with_local_id(&mut self, local_id: &str) -> Result<Vec<(String, String)>>;
    /// Number of versions of an item (0 when it does not exist).
    fn version_count(&mut self, item: &str) -> Result<u32>;
    /// The version of an item in force at `as_of`.
    fn item_as_of(&mut self, item: &str, as_of: AsOf) -> Result<Option<ItemVersion>>;
    /// Ids of the items any version of which refers to `item`, in id order (binary).
    fn items_linking_to(&mut self, item: &str) -> Result<Vec<String>>;
    /// Ids of the hazards whose current polygons' bounding box meets `bbox` (min x, min y,
    /// max x, max y), in id order (binary): the candidates of spatial linking.
    fn hazards_in_box(&mut self, bbox: [f64; 4]) -> Result<Vec<String>>;
    /// Ids of the items of a kind, in id order.
    fn items_of_kind(&mut self, kind: ItemKind) -> Result<Vec<String>>;
    /// The current admin boundaries (read each time; a batch keeps them while no admin area
    /// changes).
    fn boundaries(&mut self) -> Result<std::sync::Arc<boundaries::Boundaries>> {
        boundaries::Boundaries::load(self).map(std::sync::Arc::new)
    }
}

/// One new version of an item.
pub(crate) struct NewVersion<'a> {
    /// Item id.
    pub item: &'a str,
    /// The approved report.
    pub report: ReportId,
    /// 0-based entry index in the report.
    pub entry_index: usize,
    /// Valid time.
    pub valid_from: NaiveDate,
    /// Transaction time.
    pub recorded_at: DateTime<Utc>,
    /// The record with its references resolved to item ids.
    pub record: Record,
}

/// The writes of an approval, inside the caller's (write) transaction.
pub(crate) trait Writes: Reads {
    /// The latest transaction time of any version.
    fn last_recorded_at(&mut self) -> Result<Option<DateTime<Utc>>>;
    /// Allocates the next item id of a kind (`HAZ-000001`, ...).
    fn next_item_id(&mut self, kind: ItemKind) -> Result<String>;
    /// Creates an item with its global id (`uuid`, see [`crate::outbox`]).
    fn insert_item(
        &mut self,
        item: &str,
        kind: ItemKind,
        local_id: &str,
        report: ReportId,
        uuid: &str,
    ) -> Result<()>;
    /// Writes a version; returns its id.
    fn insert_version(&mut self, version: NewVersion<'_>) -> Result<i64>;
    /// Appends the outbox entry of a version just written (`revision`: the item's number of
    /// versions with it), with the next seq ([`crate::outbox`]).
    fn append_outbox(&mut self, item: &str, version: i64, revision: u32) -> Result<()>;
    /// Writes one reference of a version.
    fn insert_link(&mut self, version: i64, from: &str, field: &str, to: &str) -> Result<()>;
    /// Writes a victim's personal data (apart from the version).
    fn insert_personal_data(
        &mut self,
        item: &str,
        report: ReportId,
        valid_from: NaiveDate,
        recorded_at: DateTime<Utc>,
        data: &VictimPersonalData,
    ) -> Result<()>;
    /// Replaces the cached current state of a hazard (None: it has no version in force).
    fn replace_hazard_current(
        &mut self,
        item: &str,
        current: Option<(&ItemVersion, HazardState)>,
    ) -> Result<()>;
    /// Marks a report approved.
    fn mark_approved(
        &mut self,
        id: ReportId,
        actor: &str,
        recorded_at: DateTime<Utc>,
        comment: Option<&str>,
    ) -> Result<()>;
    /// Appends to the audit log.
    fn audit(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        detail: Option<&str>,
    ) -> Result<()>;
}
