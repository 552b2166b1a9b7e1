//! Staged approval, for bulk imports: reports that only create items are submitted and approved
//! in memory, against the store's committed state, and their rows are written together when
//! the batch ends, a few multi-row statements instead of some twenty statements per report.
//!
//! The approval itself is [`super::approval::approve_in`], unchanged: [`Staged`] implements
//! [`Reads`] and [`Writes`] by answering from the staged rows for the items and reports created
//! in the batch, and from the store for everything else. That is exact because a staged report
//! creates items and never versions an existing one: an item either lives wholly in the staged
//! rows, or wholly in the store (only links to it and local ids can be in both, and those two
//! reads merge both sides). A report that updates an item is approved directly, after the
//! staged rows are written ([`Staged::flush`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use safeground_model::{ItemKind, VictimPersonalData};

use super::approval::approve_in;
use super::boundaries::Boundaries;
use super::stored_record::StoredRecord;
use super::{NewVersion, Reads, Writes, spatial_link};
use crate::{
    ApproveOptions, AsOf, HazardState, ImportBatch, ItemVersion, NewReport, Reconcile, Report,
    ReportId, ReportStatus, Result, ValidReport,
};

/// What a backend offers the staged approval besides [`Writes`].
pub(crate) trait BulkWrites: Writes {
    /// The last number handed out for an item-id prefix (0 when none yet).
    fn last_item_number(&mut self, prefix: &str) -> Result<i64>;
    /// The largest report id and the largest version id (0 when none yet).
    fn last_ids(&mut self) -> Result<(ReportId, i64)>;
    /// Writes the staged rows, in the order foreign keys need (reports, items, versions, ...).
    fn write_staged(&mut self, rows: &StagedRows) -> Result<()>;
    /// The items whose id or local id is one of `names`, as (id, kind code, local id), read at
    /// once; `None` when one query per reference costs as little (SQLite).
    fn items_named(&mut self, _names: &[&str]) -> Result<Option<Vec<(String, String, String)>>> {
        Ok(None)
    }
}

/// The store's items named by the references of a batch, read before it is staged.
#[derive(Default)]
struct Named {
    /// Every name asked for (found or not).
    names: HashSet<String>,
    /// Item id → kind.
    kinds: HashMap<String, ItemKind>,
    /// Local id → (item id, kind code).
    local_ids: HashMap<String, Vec<(String, String)>>,
}

/// A new item.
pub(crate) struct StagedItem {
    pub id: String,
    pub kind: ItemKind,
    pub local_id: String,
    pub report: ReportId,
    pub uuid: String,
}

/// A new outbox entry (its seq is given when written).
pub(crate) struct StagedOutbox {
    pub item: String,
    pub version: i64,
    pub revision: u32,
}

/// A new version.
pub(crate) struct StagedVersion {
    pub id: i64,
    pub entry_index: usize,
    pub version: ItemVersion,
    /// The record's stored form, written when the report was checked, if the record is the
    /// entry's unchanged (else the writer makes it: [`StagedVersion::stored`]).
    pub stored: Option<StoredRecord>,
}

impl StagedVersion {
    /// The record's stored form: the one written while checking, else made now.
    pub(crate) fn stored(&self) -> Result<Cow<'_, StoredRecord>> {
        match &self.stored {
            Some(stored) => Ok(Cow::Borrowed(stored)),
            None => StoredRecord::of(&self.version.record).map(Cow::Owned),
        }
    }
}

/// A new reference of a version.
pub(crate) struct StagedLink {
    pub version: i64,
    pub from: String,
    pub field: String,
    pub to: String,
}

/// A victim's personal data.
pub(crate) struct StagedPersonal {
    pub item: String,
    pub report: ReportId,
    pub valid_from: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub data: VictimPersonalData,
}

/// An audit line.
pub(crate) struct StagedAudit {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: Option<String>,
}

/// When a hazard's current state took effect: the valid and transaction times of its version.
pub(crate) struct Stamps {
    pub valid_from: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// Rows waiting to be written.
#[derive(Default)]
pub(crate) struct StagedRows {
    /// Reports with their final stamps (approved).
    pub reports: Vec<Report>,
    pub items: Vec<StagedItem>,
    pub versions: Vec<StagedVersion>,
    /// Outbox entries, in the order of their seqs.
    pub outbox: Vec<StagedOutbox>,
    pub links: Vec<StagedLink>,
    pub personal: Vec<StagedPersonal>,
    /// Replaced current states of hazards, in order (the last one of an item wins).
    pub hazards: Vec<(String, Option<(Stamps, HazardState)>)>,
    /// The last number handed out per item-id prefix.
    pub counters: Vec<(&'static str, i64)>,
    pub audit: Vec<StagedAudit>,
}

impl StagedRows {
    /// The current state to write for each hazard touched (the last one staged).
    pub(crate) fn current_hazards(&self) -> Vec<(&str, Option<&(Stamps, HazardState)>)> {
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (i, (item, _)) in self.hazards.iter().enumerate() {
            last.insert(item, i);
        }
        let mut out: Vec<_> = (self.hazards.iter().enumerate())
            .filter(|(i, (item, _))| last.get(item.as_str()) == Some(i))
            .map(|(_, (item, state))| (item.as_str(), state.as_ref()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The stored bodies of the staged reports, in order: an entry whose record became a
    /// staged version unchanged names that version ([`crate::engine::body`]).
    pub(crate) fn bodies(&self) -> Result<Vec<String>> {
        crate::engine::body::bodies_naming_versions(
            self.reports
                .iter()
                .map(|r| (r.id, r.content.entries.as_slice())),
            self.versions
                .iter()
                .map(|v| (v.id, v.version.report, v.entry_index, &v.version.record)),
        )
    }

    fn is_empty(&self) -> bool {
        self.reports.is_empty() && self.audit.is_empty() && self.hazards.is_empty()
    }
}

/// Where the staged rows stood before a report, to drop its rows when it fails.
struct Mark {
    reports: usize,
    items: usize,
    versions: usize,
    outbox: usize,
    links: usize,
    personal: usize,
    hazards: usize,
    audit: usize,
    counters: HashMap<&'static str, i64>,
    ids: Option<(ReportId, i64)>,
}

/// A write transaction seen through staged rows (see the module documentation).
pub(crate) struct Staged<'b, W: BulkWrites> {
    db: W,
    /// The report being approved, for the JSON of its records.
    approving: Option<&'b ValidReport>,
    rows: StagedRows,
    /// Item id → index in `rows.items`.
    items: HashMap<String, usize>,
    /// Local id → indices in `rows.items`.
    local_ids: HashMap<String, Vec<usize>>,
    /// Item id → indices in `rows.versions`.
    versions: HashMap<String, Vec<usize>>,
    /// Target item → indices in `rows.links`.
    links_to: HashMap<String, Vec<usize>>,
    /// Item-id prefix → last number handed out (store and staged).
    counters: HashMap<&'static str, i64>,
    /// Last report id and version id (store and staged), read when first needed.
    ids: Option<(ReportId, i64)>,
    /// The store's latest transaction time, read when first needed.
    store_last_recorded: Option<Option<DateTime<Utc>>>,
    /// The store's items named by the batch's references (until the first flush).
    named: Option<Named>,
    /// The admin boundaries, read when first needed, until an admin area is staged or rolled
    /// back.
    boundaries: Option<Arc<Boundaries>>,
}

impl<'b, W: BulkWrites> Staged<'b, W> {
    /// Stages over `db`, a write transaction.
    pub(crate) fn new(db: W) -> Self {
        Staged {
            db,
            rows: StagedRows::default(),
            items: HashMap::new(),
            local_ids: HashMap::new(),
            versions: HashMap::new(),
            links_to: HashMap::new(),
            counters: HashMap::new(),
            ids: None,
            store_last_recorded: None,
            named: None,
            approving: None,
            boundaries: None,
        }
    }

    /// Reads at once the store's items that `reports` refer to, so that resolving their
    /// references costs no query each (until the next flush).
    fn read_named(&mut self, reports: &[ValidReport]) -> Result<()> {
        let mut names: Vec<&str> = reports
            .iter()
            .flat_map(|r| &r.entries)
            .flat_map(|e| e.record.references().into_iter().map(|(_, name)| name))
            .collect();
        names.sort_unstable();
        names.dedup();
        if names.is_empty() {
            return Ok(());
        }
        let Some(rows) = self.db.items_named(&names)? else {
            return Ok(());
        };
        let mut named = Named {
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            ..Named::default()
        };
        for (id, kind, local_id) in rows {
            let parsed = kind
                .parse()
                .map_err(|e| crate::StoreError::corrupt(format!("item {id}"), e))?;
            named.kinds.insert(id.clone(), parsed);
            named
                .local_ids
                .entry(local_id)
                .or_default()
                .push((id, kind));
        }
        self.named = Some(named);
        Ok(())
    }

    /// The store's answer for a name read by [`Staged::read_named`], if it was.
    fn named(&self, name: &str) -> Option<&Named> {
        self.named.as_ref().filter(|n| n.names.contains(name))
    }

    /// The transaction, for writes that are not staged. Call [`Staged::flush`] first.
    pub(crate) fn db(&mut self) -> &mut W {
        &mut self.db
    }

    /// Writes the staged rows into the transaction and starts afresh (what is cached from
    /// the store is read again: direct writes may follow).
    pub(crate) fn flush(&mut self) -> Result<()> {
        if !self.rows.is_empty() {
            let mut counters: Vec<_> = self.counters.iter().map(|(p, n)| (*p, *n)).collect();
            counters.sort_unstable();
            self.rows.counters = counters;
            self.db.write_staged(&self.rows)?;
        }
        self.rows = StagedRows::default();
        self.items.clear();
        self.local_ids.clear();
        self.versions.clear();
        self.links_to.clear();
        self.counters.clear();
        self.ids = None;
        self.store_last_recorded = None;
        self.named = None;
        Ok(())
    }

    fn next_ids(&mut self) -> Result<&mut (ReportId, i64)> {
        if self.ids.is_none() {
            self.ids = Some(self.db.last_ids()?);
        }
        Ok(self.ids.get_or_insert((0, 0)))
    }

    fn mark(&self) -> Mark {
        Mark {
            reports: self.rows.reports.len(),
            items: self.rows.items.len(),
            versions: self.rows.versions.len(),
            outbox: self.rows.outbox.len(),
            links: self.rows.links.len(),
            personal: self.rows.personal.len(),
            hazards: self.rows.hazards.len(),
            audit: self.rows.audit.len(),
            counters: self.counters.clone(),
            ids: self.ids,
        }
    }

    /// Drops every row staged after `mark`.
    fn rollback(&mut self, mark: Mark) {
        for item in self.rows.items.drain(mark.items..) {
            self.items.remove(&item.id);
            if let Some(v) = self.local_ids.get_mut(&item.local_id) {
                v.pop();
            }
        }
        for v in self.rows.versions.drain(mark.versions..) {
            if let Some(list) = self.versions.get_mut(&v.version.item) {
                list.pop();
            }
        }
        for link in self.rows.links.drain(mark.links..) {
            if let Some(list) = self.links_to.get_mut(&link.to) {
                list.pop();
            }
        }
        self.rows.outbox.truncate(mark.outbox);
        self.rows.reports.truncate(mark.reports);
        self.rows.personal.truncate(mark.personal);
        self.rows.hazards.truncate(mark.hazards);
        self.rows.audit.truncate(mark.audit);
        self.counters = mark.counters;
        self.ids = mark.ids;
        self.boundaries = None;
    }

    fn staged_report(&mut self, id: ReportId) -> Option<&mut Report> {
        let first = self.rows.reports.first()?.id;
        let i = usize::try_from(id.checked_sub(first)?).ok()?;
        self.rows.reports.get_mut(i)
    }

    /// Submits `report` (as `insert_report` does), in the staged rows.
    fn submit(&mut self, actor: &str, report: &NewReport) -> Result<ReportId> {
        let ids = self.next_ids()?;
        ids.0 += 1;
        let id = ids.0;
        let now = Utc::now();
        self.rows.reports.push(Report {
            id,
            status: ReportStatus::Submitted,
            content: report.clone(),
            created_by: actor.to_owned(),
            created_at: now,
            submitted_by: Some(actor.to_owned()),
            submitted_at: Some(now),
            decided_by: None,
            decided_at: None,
            decision_comment: None,
            revision: 1,
        });
        let target = format!("report:{id}");
        self.audit(actor, "report.create", &target, Some(&report.title))?;
        self.audit(actor, "report.submit", &target, None)?;
        Ok(id)
    }

    /// Submits and approves one report in the staged rows; on failure nothing of it stays.
    fn approve_one(
        &mut self,
        actor: &str,
        report: &'b ValidReport,
        options: &ApproveOptions,
    ) -> Result<ReportId> {
        let mark = self.mark();
        self.approving = Some(report);
        let done = self
            .submit(actor, report)
            .and_then(|id| approve_in(self, actor, id, options).map(|_| id));
        self.approving = None;
        if done.is_err() {
            self.rollback(mark);
        }
        done
    }
}

/// True when approving `report` only creates items, so it can be staged.
fn creates_only(report: &NewReport) -> bool {
    report
        .entries
        .iter()
        .all(|e| matches!(e.reconcile, Reconcile::New))
}

/// Writes an import batch's reports: each one submitted and, for a migration, approved (the
/// caller validated them: [`ValidReport`]). Reports that only create items are staged and written together; any other report
/// goes through `direct`, which writes it in a savepoint of the transaction. Returns one result
/// per report; with `all_or_nothing`, the first failure is returned instead (the caller rolls
/// the transaction back).
pub(crate) fn import_reports<W: BulkWrites>(
    db: W,
    actor: &str,
    batch: &ImportBatch<'_>,
    catalogue: Option<&safeground_model::Catalogue>,
    direct: &mut dyn FnMut(&mut W, &ValidReport) -> Result<ReportId>,
) -> Result<Vec<Result<ReportId>>> {
    let mut staged = Staged::new(db);
    if batch.approve.is_some() {
        staged.read_named(batch.reports)?;
    }
    let today = Utc::now().date_naive();
    let mut results = Vec::with_capacity(batch.reports.len());
    for report in batch.reports {
        // The adopted reference catalogue: the import checked the built-in one only.
        let result = match crate::reference::check_report(catalogue, report) {
            Err(e) => Err(crate::StoreError::Invalid(e)),
            Ok(()) => match &batch.approve {
                Some(options) if creates_only(report) => report
                    .still_valid(today)
                    .map_err(crate::StoreError::Invalid)
                    .and_then(|()| staged.approve_one(actor, report, options)),
                _ => staged.flush().and_then(|()| direct(staged.db(), report)),
            },
        };
        match result {
            Err(e) if batch.all_or_nothing => return Err(e),
            other => results.push(other),
        }
    }
    staged.flush()?;
    Ok(results)
}

impl<W: BulkWrites> Reads for Staged<'_, W> {
    fn load_report(&mut self, id: ReportId) -> Result<Report> {
        match self.staged_report(id) {
            Some(r) => Ok(r.clone()),
            None => self.db.load_report(id),
        }
    }

    fn item_kind(&mut self, item: &str) -> Result<Option<ItemKind>> {
        if let Some(&i) = self.items.get(item) {
            return Ok(Some(self.rows.items[i].kind));
        }
        match self.named(item) {
            Some(named) => Ok(named.kinds.get(item).copied()),
            None => self.db.item_kind(item),
        }
    }

    fn items_with_local_id(&mut self, local_id: &str) -> Result<Vec<(String, String)>> {
        let mut found = match self.named(local_id) {
            Some(named) => named.local_ids.get(local_id).cloned().unwrap_or_default(),
            None => self.db.items_with_local_id(local_id)?,
        };
        if let Some(staged) = self.local_ids.get(local_id) {
            found.extend(staged.iter().map(|&i| {
                let item = &self.rows.items[i];
                (item.id.clone(), item.kind.code().to_owned())
            }));
        }
        found.truncate(2);
        Ok(found)
    }

    fn version_count(&mut self, item: &str) -> Result<u32> {
        if self.items.contains_key(item) {
            let n = self.versions.get(item).map_or(0, Vec::len);
            return Ok(u32::try_from(n).unwrap_or(u32::MAX));
        }
        self.db.version_count(item)
    }

    fn item_as_of(&mut self, item: &str, as_of: AsOf) -> Result<Option<ItemVersion>> {
        if !self.items.contains_key(item) {
            return self.db.item_as_of(item, as_of);
        }
        let versions = self.versions.get(item).map(Vec::as_slice).unwrap_or(&[]);
        Ok(versions
            .iter()
            .map(|&i| &self.rows.versions[i].version)
            .filter(|v| {
                v.valid_from <= as_of.date && as_of.known_at.is_none_or(|k| v.recorded_at <= k)
            })
            .max_by_key(|v| (v.valid_from, v.recorded_at))
            .cloned())
    }

    fn items_linking_to(&mut self, item: &str) -> Result<Vec<String>> {
        // Nothing in the store can refer to an item created in this batch.
        let mut found = if self.items.contains_key(item) {
            Vec::new()
        } else {
            self.db.items_linking_to(item)?
        };
        if let Some(links) = self.links_to.get(item) {
            found.extend(links.iter().map(|&i| self.rows.links[i].from.clone()));
        }
        found.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        found.dedup();
        Ok(found)
    }

    fn items_of_kind(&mut self, kind: ItemKind) -> Result<Vec<String>> {
        let mut found = self.db.items_of_kind(kind)?;
        found.extend(
            (self.rows.items.iter())
                .filter(|i| i.kind == kind)
                .map(|i| i.id.clone()),
        );
        found.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        found.dedup();
        Ok(found)
    }

    fn boundaries(&mut self) -> Result<Arc<Boundaries>> {
        if let Some(b) = &self.boundaries {
            return Ok(Arc::clone(b));
        }
        let b = Arc::new(Boundaries::load(self)?);
        self.boundaries = Some(Arc::clone(&b));
        Ok(b)
    }

    fn hazards_in_box(&mut self, bbox: [f64; 4]) -> Result<Vec<String>> {
        // The store's hazards as they were before this batch, and the ones it staged: the
        // caller reads each candidate's version, so a hazard that moved is judged where it is.
        let mut found = self.db.hazards_in_box(bbox)?;
        found.extend(
            (self.rows.hazards.iter())
                .filter(|(_, current)| {
                    let shape = current.as_ref().and_then(|(_, s)| s.geometry.as_ref());
                    shape
                        .and_then(|g| spatial_link::bbox([g]))
                        .is_some_and(|b| spatial_link::boxes_meet(b, bbox))
                })
                .map(|(item, _)| item.clone()),
        );
        found.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        found.dedup();
        Ok(found)
    }
}

impl<W: BulkWrites> Writes for Staged<'_, W> {
    fn last_recorded_at(&mut self) -> Result<Option<DateTime<Utc>>> {
        let store = match self.store_last_recorded {
            Some(t) => t,
            None => *self.store_last_recorded.insert(self.db.last_recorded_at()?),
        };
        let staged = self.rows.versions.last().map(|v| v.version.recorded_at);
        Ok(store.max(staged))
    }

    fn next_item_id(&mut self, kind: ItemKind) -> Result<String> {
        let prefix = kind.id_prefix();
        let last = match self.counters.get(prefix) {
            Some(&n) => n,
            None => self.db.last_item_number(prefix)?,
        };
        self.counters.insert(prefix, last + 1);
        Ok(format!("{prefix}-{:06}", last + 1))
    }

    fn insert_item(
        &mut self,
        item: &str,
        kind: ItemKind,
        local_id: &str,
        report: ReportId,
        uuid: &str,
    ) -> Result<()> {
        let i = self.rows.items.len();
        self.items.insert(item.to_owned(), i);
        self.local_ids
            .entry(local_id.to_owned())
            .or_default()
            .push(i);
        self.rows.items.push(StagedItem {
            id: item.to_owned(),
            kind,
            local_id: local_id.to_owned(),
            report,
            uuid: uuid.to_owned(),
        });
        Ok(())
    }

    fn insert_version(&mut self, v: NewVersion<'_>) -> Result<i64> {
        if matches!(v.record, safeground_model::Record::AdminArea(_)) {
            self.boundaries = None;
        }
        let ids = self.next_ids()?;
        ids.1 += 1;
        let id = ids.1;
        self.versions
            .entry(v.item.to_owned())
            .or_default()
            .push(self.rows.versions.len());
        let stored = self.approving.and_then(|r| {
            let entry = r.entries.get(v.entry_index)?;
            (entry.record == v.record)
                .then(|| r.stored_record(v.entry_index))
                .flatten()
                .cloned()
        });
        self.rows.versions.push(StagedVersion {
            id,
            entry_index: v.entry_index,
            version: ItemVersion {
                item: v.item.to_owned(),
                report: v.report,
                valid_from: v.valid_from,
                recorded_at: v.recorded_at,
                record: v.record,
            },
            stored,
        });
        Ok(id)
    }

    fn append_outbox(&mut self, item: &str, version: i64, revision: u32) -> Result<()> {
        self.rows.outbox.push(StagedOutbox {
            item: item.to_owned(),
            version,
            revision,
        });
        Ok(())
    }

    fn insert_link(&mut self, version: i64, from: &str, field: &str, to: &str) -> Result<()> {
        self.links_to
            .entry(to.to_owned())
            .or_default()
            .push(self.rows.links.len());
        self.rows.links.push(StagedLink {
            version,
            from: from.to_owned(),
            field: field.to_owned(),
            to: to.to_owned(),
        });
        Ok(())
    }

    fn insert_personal_data(
        &mut self,
        item: &str,
        report: ReportId,
        valid_from: NaiveDate,
        recorded_at: DateTime<Utc>,
        data: &VictimPersonalData,
    ) -> Result<()> {
        self.rows.personal.push(StagedPersonal {
            item: item.to_owned(),
            report,
            valid_from,
            recorded_at,
            data: data.clone(),
        });
        Ok(())
    }

    fn replace_hazard_current(
        &mut self,
        item: &str,
        current: Option<(&ItemVersion, HazardState)>,
    ) -> Result<()> {
        let current = current.map(|(v, s)| {
            let stamps = Stamps {
                valid_from: v.valid_from,
                recorded_at: v.recorded_at,
            };
            (stamps, s)
        });
        self.rows.hazards.push((item.to_owned(), current));
        Ok(())
    }

    fn mark_approved(
        &mut self,
        id: ReportId,
        actor: &str,
        recorded_at: DateTime<Utc>,
        comment: Option<&str>,
    ) -> Result<()> {
        let Some(report) = self.staged_report(id) else {
            return self.db.mark_approved(id, actor, recorded_at, comment);
        };
        report.status = ReportStatus::Approved;
        report.revision += 1;
        report.decided_by = Some(actor.to_owned());
        report.decided_at = Some(recorded_at);
        report.decision_comment = comment.map(str::to_owned);
        Ok(())
    }

    fn audit(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        let a = crate::audit::BoundedAudit::new(actor, action, target, detail);
        self.rows.audit.push(StagedAudit {
            at: Utc::now(),
            actor: a.actor.into_owned(),
            action: a.action.into_owned(),
            target: a.target.into_owned(),
            detail: a.detail.map(std::borrow::Cow::into_owned),
        });
        Ok(())
    }
}
