//! Approval on PostgreSQL: the backend-independent approval of [`crate::engine::approval`]
//! over a write transaction, through the [`Writes`] implementation below. Geometry goes into
//! PostGIS columns as WKB (`ST_GeomFromWKB($n, 4326)`).

use chrono::{DateTime, NaiveDate, Utc};
use geo_types::{Geometry, MultiPolygon};
use postgres::GenericClient;
use safeground_model::{ItemKind, Record, VictimPersonalData};

use super::{Doing, Pg, PostgresStore, audit};
use crate::engine::approval::approve_in;
use crate::engine::stored_record::StoredRecord;
use crate::engine::{NewVersion, Writes};
use crate::{
    Approval, ApproveOptions, HazardState, ItemVersion, ReportId, Result, StoreError, wkb_codec,
};

/// The geometry of a record as one PostGIS value: a hazard's polygon, the union (as a
/// collection of polygons) of an activity's released areas, or a location.
pub(crate) fn record_geometry(record: &Record) -> Option<Geometry<f64>> {
    match record {
        Record::Hazard(h) => h.geometry.clone().map(Geometry::MultiPolygon),
        Record::Activity(a) if !a.released_areas.is_empty() => {
            Some(Geometry::MultiPolygon(MultiPolygon(
                a.released_areas
                    .iter()
                    .flat_map(|r| r.geometry.0.iter().cloned())
                    .collect(),
            )))
        }
        Record::EoFind(e) => e.location.map(Geometry::Point),
        Record::Accident(a) => a.location.map(Geometry::Point),
        Record::RiskEducation(r) => r.location.map(Geometry::Point),
        _ => None,
    }
}

/// The WKB of `item_version.geom`: a hazard's polygons as stored apart from its record, else
/// the record's other geometry ([`record_geometry`]).
pub(crate) fn version_geom(record: &Record, stored: &StoredRecord) -> Result<Option<Vec<u8>>> {
    match &stored.geometry {
        Some(wkb) => Ok(Some(wkb.clone())),
        None => record_geometry(record)
            .map(|g| encode_geometry(&g))
            .transpose(),
    }
}

pub(crate) fn encode_geometry(g: &Geometry<f64>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    wkb::writer::write_geometry(&mut out, g, &wkb::writer::WriteOptions::default())
        .map_err(|e| StoreError::corrupt("geometry", format!("cannot encode WKB: {e}")))?;
    Ok(out)
}

impl PostgresStore {
    pub(crate) fn do_approve_report(
        &mut self,
        actor: &str,
        id: ReportId,
        options: &ApproveOptions,
    ) -> Result<Approval> {
        let mut tx = self.write_tx()?;
        let approval = approve_in(&mut Pg(&mut tx), actor, id, options)?;
        tx.commit()
            .doing(&format!("committing the approval of report {id}"))?;
        Ok(approval)
    }
}

impl<C: GenericClient> Writes for Pg<'_, C> {
    fn last_recorded_at(&mut self) -> Result<Option<DateTime<Utc>>> {
        self.0
            .query_one("SELECT max(recorded_at) FROM item_version", &[])
            .doing("reading the last approval time")?
            .try_get(0)
            .doing("reading the last approval time")
    }

    fn next_item_id(&mut self, kind: ItemKind) -> Result<String> {
        let prefix = kind.id_prefix();
        let n: i64 = self
            .0
            .query_one(
                "INSERT INTO id_counter (prefix, last) VALUES ($1, 1) \
                 ON CONFLICT (prefix) DO UPDATE SET last = id_counter.last + 1 RETURNING last",
                &[&prefix],
            )
            .doing("allocating an item id")?
            .get(0);
        Ok(format!("{prefix}-{n:06}"))
    }

    fn insert_item(
        &mut self,
        item: &str,
        kind: ItemKind,
        local_id: &str,
        report: ReportId,
        uuid: &str,
    ) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO item (id, kind, local_id, created_by_report, uuid) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[&item, &kind.code(), &local_id, &report, &uuid],
            )
            .doing(&format!("creating item {item}"))?;
        Ok(())
    }

    fn insert_version(&mut self, v: NewVersion<'_>) -> Result<i64> {
        let stored = StoredRecord::of(&v.record)?;
        let geom = version_geom(&v.record, &stored)?;
        let entry = i32::try_from(v.entry_index)
            .map_err(|_| StoreError::corrupt("report", "too many entries"))?;
        let id: i64 = self
            .0
            .query_one(
                "INSERT INTO item_version (id, item_id, report_id, entry_index, valid_from, \
                 recorded_at, record, geom) \
                 VALUES ((SELECT coalesce(max(id), 0) + 1 FROM item_version), $1, $2, $3, $4, \
                 $5, $6::text::jsonb, ST_GeomFromWKB($7, 4326)) RETURNING id",
                &[
                    &v.item,
                    &v.report,
                    &entry,
                    &super::clamp_date(v.valid_from),
                    &v.recorded_at,
                    &stored.json,
                    &geom,
                ],
            )
            .doing(&format!("writing a version of {}", v.item))?
            .get(0);
        Ok(id)
    }

    fn append_outbox(&mut self, item: &str, version: i64, revision: u32) -> Result<()> {
        // The largest seq plus 1, under the writer lock (see `crate::outbox`): gap-free.
        self.0
            .execute(
                "INSERT INTO outbox (seq, item_id, version_id, revision, operation) \
                 VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM outbox), $1, $2, $3::bigint, 'upsert')",
                &[&item, &version, &i64::from(revision)],
            )
            .doing(&format!("writing the outbox entry of {item}"))?;
        Ok(())
    }

    fn insert_link(&mut self, version: i64, from: &str, field: &str, to: &str) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO item_link (version_id, from_item, field, to_item) \
                 VALUES ($1, $2, $3, $4)",
                &[&version, &from, &field, &to],
            )
            .doing(&format!("linking {from} to {to}"))?;
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
        let data =
            serde_json::to_string(data).map_err(|e| StoreError::corrupt("personal data", e))?;
        self.0
            .execute(
                "INSERT INTO victim_personal_data (item_id, report_id, valid_from, \
                 recorded_at, data) VALUES ($1, $2, $3, $4, $5::text::jsonb)",
                &[
                    &item,
                    &report,
                    &super::clamp_date(valid_from),
                    &recorded_at,
                    &data,
                ],
            )
            .doing(&format!("writing personal data of {item}"))?;
        Ok(())
    }

    fn replace_hazard_current(
        &mut self,
        item: &str,
        current: Option<(&ItemVersion, HazardState)>,
    ) -> Result<()> {
        let doing = format!("writing the current state of {item}");
        self.0
            .execute("DELETE FROM hazard_current WHERE item_id = $1", &[&item])
            .doing(&doing)?;
        let Some((version, s)) = current else {
            return Ok(());
        };
        let (geometry, remaining) = wkb_codec::encode_state(&s)?;
        self.0
            .execute(
                "INSERT INTO hazard_current (item_id, class, status, admin_pcode, organisation, \
                 reported_m2, original_m2, cancelled_m2, reduced_m2, cleared_m2, remaining_m2, \
                 geometry, remaining, valid_from, recorded_at, name) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 ST_GeomFromWKB($12, 4326), ST_GeomFromWKB($13, 4326), $14, $15, $16)",
                &[
                    &s.item,
                    &s.class.code(),
                    &s.status.code(),
                    &s.admin_pcode,
                    &s.organisation,
                    &s.reported_m2,
                    &s.original_m2,
                    &s.cancelled_m2,
                    &s.reduced_m2,
                    &s.cleared_m2,
                    &s.remaining_m2,
                    &geometry,
                    &remaining,
                    &super::clamp_date(version.valid_from),
                    &version.recorded_at,
                    &s.name,
                ],
            )
            .doing(&doing)?;
        Ok(())
    }

    fn mark_approved(
        &mut self,
        id: ReportId,
        actor: &str,
        recorded_at: DateTime<Utc>,
        comment: Option<&str>,
    ) -> Result<()> {
        self.0
            .execute(
                "UPDATE report SET status = 'approved', revision = revision + 1, \
                 decided_by = $1, decided_at = $2, decision_comment = $3 WHERE id = $4",
                &[&actor, &recorded_at, &comment, &id],
            )
            .doing(&format!("approving report {id}"))?;
        Ok(())
    }

    fn audit(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        audit(self.0, actor, action, target, detail)
    }
}
