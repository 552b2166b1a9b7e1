//! Safeground's store: field reports go draft → submitted → approved | rejected; approval
//! reconciles a report into immutable, bitemporal item versions (valid time = date of
//! information, transaction time = approval time) in one transaction; the current state of
//! every item, including each hazard's remaining geometry and area, is derived from those
//! versions; an audit log records every action.
//!
//! [`ProgrammeStore`] is the contract; [`SqliteStore`] is the embedded default backend and
//! [`PostgresStore`] the PostgreSQL/PostGIS one. Both run the same backend-independent workflow
//! code (`engine`, [`land_release`]) and pass the same conformance suite.

mod account_requests;
mod accounts;
mod audit;
pub mod backup;
pub mod break_glass;
mod contract;
mod engine;
mod error;
pub mod evidence;
pub mod field;
pub mod hub;
pub mod hub_detector;
pub mod hub_training;
pub mod land_release;
pub mod library;
pub mod library_exchange;
mod lists;
mod location;
pub mod ordnance_pages;
pub mod outbox;
pub mod planning;
pub mod postgres;
pub mod programme_area;
pub mod reference;
mod sqlite;
pub mod training;
pub mod transfer;
mod validation;
mod wkb_codec;

pub use crate::postgres::PostgresStore;
pub use account_requests::{AccountAction, AccountRequest, AccountRequests};
pub use accounts::*;
pub use audit::{AuditPage, AuditQuery, bounded};
pub use break_glass::{BreakGlass, BreakGlassStore};
pub use contract::*;
pub use error::{Result, StoreError};
pub use evidence::EvidenceStore;
pub use field::FieldStore;
pub use hub::HubStore;
pub use hub_detector::HubDetectorStore;
pub use hub_training::HubTrainingStore;
pub use library::LibraryStore;
pub use library_exchange::LibraryExchangeStore;
pub use lists::records::{RecordListPage, RecordListQuery, is_field_name};
pub use lists::register::{RegisterPage, RegisterQuery, RegisterSort};
pub use location::{AnyStore, Backend, Location};
pub use ordnance_pages::OrdnancePageStore;
pub use outbox::{
    Cause, FederationStore, Node, OutboxEntry, PolicyAlignment, PolicyTerms, Withdrawal,
};
pub use planning::PlanningStore;
pub use programme_area::{OutsideProgrammeArea, ProgrammeArea};
pub use reference::ReferenceStore;
pub use sqlite::SqliteStore;
pub use training::TrainingStore;
pub use validation::{ValidReport, check_geometries, validate_report};

use safeground_model::{ItemKind, VictimPersonalData};

impl ProgrammeStore for SqliteStore {
    fn create_report(&mut self, actor: &str, report: &NewReport) -> Result<ReportId> {
        self.do_create_report(actor, report)
    }
    fn update_draft(&mut self, actor: &str, id: ReportId, report: &NewReport) -> Result<()> {
        self.do_update_draft(actor, id, report)
    }
    fn submit_report(&mut self, actor: &str, id: ReportId) -> Result<()> {
        self.do_submit_report(actor, id)
    }
    fn submit_batch(&mut self, actor: &str, reports: &[NewReport]) -> Result<Vec<ReportId>> {
        self.do_submit_batch(actor, reports)
    }
    fn import_batch(
        &mut self,
        actor: &str,
        batch: &ImportBatch<'_>,
    ) -> Result<Vec<Result<ReportId>>> {
        self.do_import_batch(actor, batch)
    }
    fn import_checkpoint(&self, key: &str) -> Result<Option<u64>> {
        self.do_import_checkpoint(key)
    }
    fn import_finished(&mut self, _records: usize) -> Result<()> {
        // Nothing to refresh: the store never runs `ANALYZE`, so SQLite plans by its fixed
        // rules, which do not depend on the tables' sizes.
        Ok(())
    }
    fn reconcile_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        reconcile: Reconcile,
    ) -> Result<()> {
        self.do_reconcile_entry(actor, id, entry, reconcile)
    }
    fn link_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        field: &str,
        target: &str,
    ) -> Result<()> {
        self.do_link_entry(actor, id, entry, field, target)
    }
    fn approve_report(
        &mut self,
        actor: &str,
        id: ReportId,
        options: &ApproveOptions,
    ) -> Result<Approval> {
        self.do_approve_report(actor, id, options)
    }
    fn reject_report(&mut self, actor: &str, id: ReportId, comment: &str) -> Result<()> {
        self.do_reject_report(actor, id, comment)
    }
    fn report(&self, id: ReportId) -> Result<Report> {
        sqlite::load_report(self.connection(), id)
    }
    fn list_reports(&self, filter: &ReportFilter) -> Result<Vec<ReportSummary>> {
        self.do_list_reports(filter)
    }
    fn reports_with_status(&self, status: ReportStatus) -> Result<Vec<ReportId>> {
        self.do_reports_with_status(status)
    }
    fn versions(&self, item: &str) -> Result<Vec<ItemVersion>> {
        sqlite::versions(self.connection(), item)
    }
    fn item_as_of(&self, item: &str, as_of: AsOf) -> Result<Option<ItemVersion>> {
        sqlite::item_as_of(self.connection(), item, as_of)
    }
    fn linked_items(&self, item: &str, as_of: AsOf) -> Result<Vec<(&'static str, ItemVersion)>> {
        sqlite::linked_items(self.connection(), item, as_of)
    }
    fn items_of_kind(&self, kind: ItemKind) -> Result<Vec<String>> {
        sqlite::items_of_kind(self.connection(), kind)
    }
    fn for_each_current(
        &self,
        kind: ItemKind,
        after: Option<&str>,
        f: &mut dyn FnMut(ItemVersion) -> Result<Flow>,
    ) -> Result<()> {
        self.do_for_each_current(kind, after, f)
    }
    fn for_each_hazard_state(
        &self,
        after: Option<&str>,
        f: &mut dyn FnMut(HazardState) -> Result<Flow>,
    ) -> Result<()> {
        self.do_for_each_hazard_state(after, f)
    }
    fn hazard_register(&self, query: &RegisterQuery) -> Result<RegisterPage> {
        self.do_hazard_register(query)
    }
    fn record_list(&self, query: &RecordListQuery) -> Result<RecordListPage> {
        self.do_record_list(query)
    }
    fn last_change(&self) -> Result<i64> {
        Ok(self.connection().query_row(
            "SELECT coalesce(max(id), 0) FROM item_version",
            [],
            |r| r.get(0),
        )?)
    }
    fn version_count(&self, item: &str) -> Result<u32> {
        sqlite::version_count(self.connection(), item)
    }
    fn victim_personal_data(
        &mut self,
        actor: &str,
        item: &str,
        as_of: AsOf,
    ) -> Result<Option<VictimPersonalData>> {
        self.do_victim_personal_data(actor, item, as_of)
    }
    fn hazard_state(&self, item: &str, as_of: AsOf) -> Result<Option<HazardState>> {
        sqlite::hazard_state(self.connection(), item, as_of)
    }
    fn release_credits(&self, hazard: &str, as_of: AsOf) -> Result<Vec<ReleaseCredit>> {
        sqlite::release_credits(self.connection(), hazard, as_of)
    }
    fn land_release_summary(&self, as_of: AsOf) -> Result<Vec<LandReleaseRow>> {
        self.do_land_release_summary(as_of)
    }
    fn audit_log(&self) -> Result<Vec<AuditEntry>> {
        self.do_audit_log()
    }
    fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage> {
        self.do_audit_page(query)
    }
    fn check_consistency(&self) -> Result<Vec<String>> {
        self.do_check_consistency()
    }
}

impl ProgrammeStore for PostgresStore {
    fn create_report(&mut self, actor: &str, report: &NewReport) -> Result<ReportId> {
        self.do_create_report(actor, report)
    }
    fn update_draft(&mut self, actor: &str, id: ReportId, report: &NewReport) -> Result<()> {
        self.do_update_draft(actor, id, report)
    }
    fn submit_report(&mut self, actor: &str, id: ReportId) -> Result<()> {
        self.do_submit_report(actor, id)
    }
    fn submit_batch(&mut self, actor: &str, reports: &[NewReport]) -> Result<Vec<ReportId>> {
        self.do_submit_batch(actor, reports)
    }
    fn import_batch(
        &mut self,
        actor: &str,
        batch: &ImportBatch<'_>,
    ) -> Result<Vec<Result<ReportId>>> {
        self.do_import_batch(actor, batch)
    }
    fn import_checkpoint(&self, key: &str) -> Result<Option<u64>> {
        self.do_import_checkpoint(key)
    }
    fn import_finished(&mut self, records: usize) -> Result<()> {
        self.do_import_finished(records)
    }
    fn reconcile_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        reconcile: Reconcile,
    ) -> Result<()> {
        self.do_reconcile_entry(actor, id, entry, reconcile)
    }
    fn link_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        field: &str,
        target: &str,
    ) -> Result<()> {
        self.do_link_entry(actor, id, entry, field, target)
    }
    fn approve_report(
        &mut self,
        actor: &str,
        id: ReportId,
        options: &ApproveOptions,
    ) -> Result<Approval> {
        self.do_approve_report(actor, id, options)
    }
    fn reject_report(&mut self, actor: &str, id: ReportId, comment: &str) -> Result<()> {
        self.do_reject_report(actor, id, comment)
    }
    fn report(&self, id: ReportId) -> Result<Report> {
        self.do_report(id)
    }
    fn list_reports(&self, filter: &ReportFilter) -> Result<Vec<ReportSummary>> {
        self.do_list_reports(filter)
    }
    fn reports_with_status(&self, status: ReportStatus) -> Result<Vec<ReportId>> {
        self.do_reports_with_status(status)
    }
    fn versions(&self, item: &str) -> Result<Vec<ItemVersion>> {
        self.do_versions(item)
    }
    fn item_as_of(&self, item: &str, as_of: AsOf) -> Result<Option<ItemVersion>> {
        self.do_item_as_of(item, as_of)
    }
    fn linked_items(&self, item: &str, as_of: AsOf) -> Result<Vec<(&'static str, ItemVersion)>> {
        self.do_linked_items(item, as_of)
    }
    fn items_of_kind(&self, kind: ItemKind) -> Result<Vec<String>> {
        self.do_items_of_kind(kind)
    }
    fn for_each_current(
        &self,
        kind: ItemKind,
        after: Option<&str>,
        f: &mut dyn FnMut(ItemVersion) -> Result<Flow>,
    ) -> Result<()> {
        self.do_for_each_current(kind, after, f)
    }
    fn for_each_hazard_state(
        &self,
        after: Option<&str>,
        f: &mut dyn FnMut(HazardState) -> Result<Flow>,
    ) -> Result<()> {
        self.do_for_each_hazard_state(after, f)
    }
    fn hazard_register(&self, query: &RegisterQuery) -> Result<RegisterPage> {
        self.do_hazard_register(query)
    }
    fn record_list(&self, query: &RecordListQuery) -> Result<RecordListPage> {
        self.do_record_list(query)
    }
    fn last_change(&self) -> Result<i64> {
        self.do_last_change()
    }
    fn version_count(&self, item: &str) -> Result<u32> {
        self.do_version_count(item)
    }
    fn victim_personal_data(
        &mut self,
        actor: &str,
        item: &str,
        as_of: AsOf,
    ) -> Result<Option<VictimPersonalData>> {
        self.do_victim_personal_data(actor, item, as_of)
    }
    fn hazard_state(&self, item: &str, as_of: AsOf) -> Result<Option<HazardState>> {
        self.do_hazard_state(item, as_of)
    }
    fn release_credits(&self, hazard: &str, as_of: AsOf) -> Result<Vec<ReleaseCredit>> {
        self.do_release_credits(hazard, as_of)
    }
    fn land_release_summary(&self, as_of: AsOf) -> Result<Vec<LandReleaseRow>> {
        self.do_land_release_summary(as_of)
    }
    fn audit_log(&self) -> Result<Vec<AuditEntry>> {
        self.do_audit_log()
    }
    fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage> {
        self.do_audit_page(query)
    }
    fn check_consistency(&self) -> Result<Vec<String>> {
        self.do_check_consistency()
    }
}
