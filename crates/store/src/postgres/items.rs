//! Reading items on PostgreSQL: versions, "as of" reads, derived hazard state, land-release
//! summary, audit log.

use std::collections::BTreeMap;

use postgres::{GenericClient, Row};
use safeground_model::{ItemKind, VictimPersonalData};

use super::{Doing, Pg, PostgresStore, as_of_bounds, audit};
use crate::engine::items::accumulate;
use crate::engine::{self, Reads, stored_record};
use crate::{
    AsOf, HazardState, ItemVersion, LandReleaseRow, ReleaseCredit, Report, ReportId, Result,
    StoreError,
};

/// A hazard version's polygons as WKB (kept out of its record: see
/// [`crate::engine::stored_record`]); null for other kinds. A macro, so that
/// [`VERSION_COLUMNS`] can be one literal.
macro_rules! hazard_geometry {
    () => {
        "CASE WHEN record->>'kind' = 'hazard' THEN ST_AsBinary(geom) END"
    };
}
pub(crate) use hazard_geometry;

pub(crate) const VERSION_COLUMNS: &str = concat!(
    "item_id, report_id, valid_from, recorded_at, record::text, ",
    hazard_geometry!()
);

/// Decodes a row of [`VERSION_COLUMNS`] (starting at column 0).
pub(crate) fn decode_version(row: &Row) -> Result<ItemVersion> {
    let get = |e| StoreError::postgres("reading an item version", e);
    let item: String = row.try_get(0).map_err(get)?;
    let record: String = row.try_get(4).map_err(get)?;
    let geometry: Option<Vec<u8>> = row.try_get(5).map_err(get)?;
    Ok(ItemVersion {
        record: stored_record::load(&record, geometry.as_deref(), &format!("version of {item}"))?,
        report: row.try_get(1).map_err(get)?,
        valid_from: row.try_get(2).map_err(get)?,
        recorded_at: row.try_get(3).map_err(get)?,
        item,
    })
}

pub(crate) fn versions<C: GenericClient>(c: &mut C, item: &str) -> Result<Vec<ItemVersion>> {
    c.query(
        &format!(
            "SELECT {VERSION_COLUMNS} FROM item_version WHERE item_id = $1 \
             ORDER BY valid_from, recorded_at"
        ),
        &[&item],
    )
    .doing(&format!("reading the versions of {item}"))?
    .iter()
    .map(decode_version)
    .collect()
}

pub(crate) fn item_as_of<C: GenericClient>(
    c: &mut C,
    item: &str,
    as_of: AsOf,
) -> Result<Option<ItemVersion>> {
    let (date, known) = as_of_bounds(as_of);
    c.query_opt(
        &format!(
            "SELECT {VERSION_COLUMNS} FROM item_version \
             WHERE item_id = $1 AND valid_from <= $2 \
             AND ($3::timestamptz IS NULL OR recorded_at <= $3) \
             ORDER BY valid_from DESC, recorded_at DESC LIMIT 1"
        ),
        &[&item, &date, &known],
    )
    .doing(&format!("reading {item}"))?
    .as_ref()
    .map(decode_version)
    .transpose()
}

pub(crate) fn version_count<C: GenericClient>(c: &mut C, item: &str) -> Result<u32> {
    let n: i64 = c
        .query_one(
            "SELECT count(*) FROM item_version WHERE item_id = $1",
            &[&item],
        )
        .doing(&format!("counting the versions of {item}"))?
        .get(0);
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(crate) fn items_of_kind<C: GenericClient>(c: &mut C, kind: ItemKind) -> Result<Vec<String>> {
    c.query(
        "SELECT id FROM item WHERE kind = $1 ORDER BY id",
        &[&kind.code()],
    )
    .doing("listing items")?
    .iter()
    .map(|r| r.try_get(0).doing("listing items"))
    .collect()
}

impl<C: GenericClient> Reads for Pg<'_, C> {
    fn load_report(&mut self, id: ReportId) -> Result<Report> {
        super::reports::load_report(self.0, id)
    }

    fn item_kind(&mut self, item: &str) -> Result<Option<ItemKind>> {
        let kind: Option<String> = self
            .0
            .query_opt("SELECT kind FROM item WHERE id = $1", &[&item])
            .doing(&format!("looking up {item}"))?
            .map(|r| r.try_get(0))
            .transpose()
            .doing(&format!("looking up {item}"))?;
        kind.map(|k| {
            k.parse::<ItemKind>()
                .map_err(|e| StoreError::corrupt(format!("item {item}"), e))
        })
        .transpose()
    }

    fn items_with_local_id(&mut self, local_id: &str) -> Result<Vec<(String, String)>> {
        let doing = format!("looking up local id {local_id}");
        self.0
            .query(
                "SELECT id, kind FROM item WHERE local_id = $1 LIMIT 2",
                &[&local_id],
            )
            .doing(&doing)?
            .iter()
            .map(|r| Ok((r.try_get(0).doing(&doing)?, r.try_get(1).doing(&doing)?)))
            .collect()
    }

    fn version_count(&mut self, item: &str) -> Result<u32> {
        version_count(self.0, item)
    }

    fn item_as_of(&mut self, item: &str, as_of: AsOf) -> Result<Option<ItemVersion>> {
        item_as_of(self.0, item, as_of)
    }

    fn items_linking_to(&mut self, item: &str) -> Result<Vec<String>> {
        let doing = format!("reading the links to {item}");
        self.0
            .query(
                "SELECT DISTINCT from_item FROM item_link WHERE to_item = $1 ORDER BY from_item",
                &[&item],
            )
            .doing(&doing)?
            .iter()
            .map(|r| r.try_get(0).doing(&doing))
            .collect()
    }

    fn items_of_kind(&mut self, kind: ItemKind) -> Result<Vec<String>> {
        items_of_kind(self.0, kind)
    }

    fn hazards_in_box(&mut self, [min_x, min_y, max_x, max_y]: [f64; 4]) -> Result<Vec<String>> {
        let doing = "finding the hazards near a released area";
        self.0
            .query(
                "SELECT item_id FROM hazard_current \
                 WHERE geometry && ST_MakeEnvelope($1, $2, $3, $4, 4326) \
                 ORDER BY item_id COLLATE \"C\"",
                &[&min_x, &min_y, &max_x, &max_y],
            )
            .doing(doing)?
            .iter()
            .map(|r| r.try_get(0).doing(doing))
            .collect()
    }
}

impl PostgresStore {
    pub(crate) fn do_versions(&self, item: &str) -> Result<Vec<ItemVersion>> {
        versions(&mut *self.client()?, item)
    }

    pub(crate) fn do_item_as_of(&self, item: &str, as_of: AsOf) -> Result<Option<ItemVersion>> {
        item_as_of(&mut *self.client()?, item, as_of)
    }

    pub(crate) fn do_linked_items(
        &self,
        item: &str,
        as_of: AsOf,
    ) -> Result<Vec<(&'static str, ItemVersion)>> {
        engine::linked_items(&mut Pg(&mut *self.client()?), item, as_of)
    }

    pub(crate) fn do_items_of_kind(&self, kind: ItemKind) -> Result<Vec<String>> {
        items_of_kind(&mut *self.client()?, kind)
    }

    pub(crate) fn do_version_count(&self, item: &str) -> Result<u32> {
        version_count(&mut *self.client()?, item)
    }

    pub(crate) fn do_last_change(&self) -> Result<i64> {
        self.client()?
            .query_one("SELECT coalesce(max(id), 0)::bigint FROM item_version", &[])
            .doing("reading the last change")?
            .try_get(0)
            .doing("reading the last change")
    }

    pub(crate) fn do_hazard_state(&self, item: &str, as_of: AsOf) -> Result<Option<HazardState>> {
        engine::hazard_state(&mut Pg(&mut *self.client()?), item, as_of)
    }

    pub(crate) fn do_release_credits(
        &self,
        hazard: &str,
        as_of: AsOf,
    ) -> Result<Vec<ReleaseCredit>> {
        engine::release_credits(&mut Pg(&mut *self.client()?), hazard, as_of)
    }

    pub(crate) fn do_victim_personal_data(
        &mut self,
        actor: &str,
        item: &str,
        as_of: AsOf,
    ) -> Result<Option<VictimPersonalData>> {
        let (date, known) = as_of_bounds(as_of);
        let doing = format!("reading the personal data of {item}");
        let mut tx = self.write_tx()?;
        let data: Option<String> = tx
            .query_opt(
                "SELECT data::text FROM victim_personal_data \
                 WHERE item_id = $1 AND valid_from <= $2 \
                 AND ($3::timestamptz IS NULL OR recorded_at <= $3) \
                 ORDER BY valid_from DESC, recorded_at DESC LIMIT 1",
                &[&item, &date, &known],
            )
            .doing(&doing)?
            .map(|r| r.try_get(0))
            .transpose()
            .doing(&doing)?;
        let grant = super::break_glass::grant_detail(&mut tx, actor, chrono::Utc::now())?;
        audit(&mut tx, actor, "personal_data.read", item, grant.as_deref())?;
        tx.commit().doing(&doing)?;
        data.map(|d| {
            serde_json::from_str(&d)
                .map_err(|e| StoreError::corrupt(format!("personal data of {item}"), e))
        })
        .transpose()
    }

    pub(crate) fn do_land_release_summary(&self, as_of: AsOf) -> Result<Vec<LandReleaseRow>> {
        let mut rows = BTreeMap::new();
        if as_of == AsOf::now() {
            // Current state: read the derived cache kept up to date by every approval.
            for s in self.current_hazards()? {
                accumulate(&mut rows, &s);
            }
        } else {
            for item in self.do_items_of_kind(ItemKind::Hazard)? {
                if let Some(s) = self.do_hazard_state(&item, as_of)? {
                    accumulate(&mut rows, &s);
                }
            }
        }
        Ok(rows.into_values().collect())
    }

    /// The derived current state of every hazard, from the cache kept by approvals.
    pub fn current_hazards(&self) -> Result<Vec<HazardState>> {
        let mut out = Vec::new();
        self.do_for_each_hazard_state(None, &mut |s| {
            out.push(s);
            Ok(crate::Flow::Continue)
        })?;
        Ok(out)
    }
}
