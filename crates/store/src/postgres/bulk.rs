//! Staged rows ([`crate::engine::staged`]) written on PostgreSQL: one `INSERT … SELECT FROM
//! unnest(…)` per table, its columns sent as arrays, so a batch of reports costs a handful of
//! round trips whatever its size.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::GenericClient;

use super::approval::version_geom;
use super::{Doing, Pg, clamp_date};
use crate::engine::staged::{BulkWrites, StagedRows};
use crate::{ReportId, Result, StoreError, wkb_codec};

fn json<T: serde::Serialize>(value: &T, what: &str) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt(what, e))
}

fn int(n: usize, what: &str) -> Result<i32> {
    i32::try_from(n).map_err(|_| StoreError::corrupt(what, "number too large"))
}

impl<C: GenericClient> BulkWrites for Pg<'_, C> {
    fn last_item_number(&mut self, prefix: &str) -> Result<i64> {
        let last: Option<i64> = self
            .0
            .query_opt("SELECT last FROM id_counter WHERE prefix = $1", &[&prefix])
            .doing("reading an item-id counter")?
            .map(|r| r.get(0));
        Ok(last.unwrap_or(0))
    }

    fn last_ids(&mut self) -> Result<(ReportId, i64)> {
        let row = self
            .0
            .query_one(
                "SELECT (SELECT coalesce(max(id), 0) FROM report), \
                 (SELECT coalesce(max(id), 0) FROM item_version)",
                &[],
            )
            .doing("reading the last report and version ids")?;
        Ok((row.get(0), row.get(1)))
    }

    fn items_named(&mut self, names: &[&str]) -> Result<Option<Vec<(String, String, String)>>> {
        let doing = "reading the items an import batch refers to";
        let rows = self
            .0
            .query(
                // One index probe per name and column, whatever the table's size: the plain
                // `id = ANY($1) OR local_id = ANY($1)` was planned as a sequential scan of the
                // whole table while it held fewer than ~200,000 items, and so took 3 → 30 ms a
                // batch as an import grew it.
                "SELECT DISTINCT i.id, i.kind, i.local_id FROM unnest($1::text[]) AS n(name) \
                 CROSS JOIN LATERAL (SELECT id, kind, local_id FROM item WHERE id = n.name \
                 UNION ALL SELECT id, kind, local_id FROM item WHERE local_id = n.name) AS i",
                &[&names],
            )
            .doing(doing)?;
        let found = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect::<std::result::Result<_, postgres::Error>>()
            .doing(doing)?;
        Ok(Some(found))
    }

    fn write_staged(&mut self, rows: &StagedRows) -> Result<()> {
        let c = &mut *self.0;
        let doing = |table: &str| format!("writing the staged rows of {table}");

        let r = &rows.reports;
        let bodies = rows.bodies()?;
        c.execute(
            "INSERT INTO report (id, organisation, title, source, date_of_information, status, \
             body, created_by, created_at, submitted_by, submitted_at, decided_by, decided_at, \
             decision_comment, revision) \
             SELECT id, org, title, src, doi, status, body::jsonb, cby, cat, sby, sat, dby, dat, \
             dc, rev FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::date[], \
             $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], \
             $11::timestamptz[], $12::text[], $13::timestamptz[], $14::text[], $15::bigint[]) \
             AS t(id, org, title, src, doi, status, body, cby, cat, sby, sat, dby, dat, dc, rev)",
            &[
                &r.iter().map(|x| x.id).collect::<Vec<_>>(),
                &r.iter()
                    .map(|x| x.content.organisation.as_deref())
                    .collect::<Vec<_>>(),
                &r.iter()
                    .map(|x| x.content.title.as_str())
                    .collect::<Vec<_>>(),
                &r.iter()
                    .map(|x| x.content.source.as_deref())
                    .collect::<Vec<_>>(),
                &(r.iter())
                    .map(|x| clamp_date(x.content.date_of_information))
                    .collect::<Vec<_>>(),
                &r.iter().map(|x| x.status.code()).collect::<Vec<_>>(),
                &bodies,
                &r.iter().map(|x| x.created_by.as_str()).collect::<Vec<_>>(),
                &r.iter().map(|x| x.created_at).collect::<Vec<_>>(),
                &r.iter()
                    .map(|x| x.submitted_by.as_deref())
                    .collect::<Vec<_>>(),
                &r.iter().map(|x| x.submitted_at).collect::<Vec<_>>(),
                &r.iter()
                    .map(|x| x.decided_by.as_deref())
                    .collect::<Vec<_>>(),
                &r.iter().map(|x| x.decided_at).collect::<Vec<_>>(),
                &r.iter()
                    .map(|x| x.decision_comment.as_deref())
                    .collect::<Vec<_>>(),
                &r.iter().map(|x| x.revision).collect::<Vec<_>>(),
            ],
        )
        .doing(&doing("report"))?;

        let (mut ids, mut indices, mut data) = (Vec::new(), Vec::new(), Vec::new());
        for report in r {
            for (index, json) in crate::engine::body::personal_rows(&report.content.entries)? {
                ids.push(report.id);
                indices.push(index);
                data.push(json);
            }
        }
        if !ids.is_empty() {
            c.execute(
                "INSERT INTO report_personal_data (report_id, entry_index, data) \
                 SELECT r, i::integer, d::jsonb FROM unnest($1::bigint[], $2::bigint[], \
                 $3::text[]) AS t(r, i, d)",
                &[&ids, &indices, &data],
            )
            .doing(&doing("report_personal_data"))?;
        }

        let i = &rows.items;
        c.execute(
            "INSERT INTO item (id, kind, local_id, created_by_report, uuid) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])",
            &[
                &i.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
                &i.iter().map(|x| x.kind.code()).collect::<Vec<_>>(),
                &i.iter().map(|x| x.local_id.as_str()).collect::<Vec<_>>(),
                &i.iter().map(|x| x.report).collect::<Vec<_>>(),
                &i.iter().map(|x| x.uuid.as_str()).collect::<Vec<_>>(),
            ],
        )
        .doing(&doing("item"))?;

        let v = &rows.versions;
        let mut records = Vec::with_capacity(v.len());
        let mut geometry = Vec::with_capacity(v.len());
        let mut entries = Vec::with_capacity(v.len());
        for x in v {
            let stored = x.stored()?;
            geometry.push(version_geom(&x.version.record, &stored)?);
            records.push(stored.json.clone());
            entries.push(int(x.entry_index, "report entry index")?);
        }
        c.execute(
            "INSERT INTO item_version (id, item_id, report_id, entry_index, valid_from, \
             recorded_at, record, geom) \
             SELECT id, item, report, entry, vf, ra, rec::jsonb, ST_GeomFromWKB(g, 4326) \
             FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::int[], $5::date[], \
             $6::timestamptz[], $7::text[], $8::bytea[]) \
             AS t(id, item, report, entry, vf, ra, rec, g)",
            &[
                &v.iter().map(|x| x.id).collect::<Vec<_>>(),
                &v.iter()
                    .map(|x| x.version.item.as_str())
                    .collect::<Vec<_>>(),
                &v.iter().map(|x| x.version.report).collect::<Vec<_>>(),
                &entries,
                &(v.iter())
                    .map(|x| clamp_date(x.version.valid_from))
                    .collect::<Vec<_>>(),
                &v.iter().map(|x| x.version.recorded_at).collect::<Vec<_>>(),
                &records,
                &geometry,
            ],
        )
        .doing(&doing("item_version"))?;

        if !rows.outbox.is_empty() {
            // Seqs follow the largest one in their staged order, under the writer lock.
            let o = &rows.outbox;
            c.execute(
                "INSERT INTO outbox (seq, item_id, version_id, revision, operation) \
                 SELECT (SELECT coalesce(max(seq), 0) FROM outbox) + n, item, version, \
                 revision, 'upsert' FROM unnest($1::text[], $2::bigint[], $3::bigint[]) \
                 WITH ORDINALITY AS t(item, version, revision, n)",
                &[
                    &o.iter().map(|x| x.item.as_str()).collect::<Vec<_>>(),
                    &o.iter().map(|x| x.version).collect::<Vec<_>>(),
                    &o.iter().map(|x| i64::from(x.revision)).collect::<Vec<_>>(),
                ],
            )
            .doing(&doing("outbox"))?;
        }

        if !rows.links.is_empty() {
            let l = &rows.links;
            c.execute(
                "INSERT INTO item_link (version_id, from_item, field, to_item) \
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])",
                &[
                    &l.iter().map(|x| x.version).collect::<Vec<_>>(),
                    &l.iter().map(|x| x.from.as_str()).collect::<Vec<_>>(),
                    &l.iter().map(|x| x.field.as_str()).collect::<Vec<_>>(),
                    &l.iter().map(|x| x.to.as_str()).collect::<Vec<_>>(),
                ],
            )
            .doing(&doing("item_link"))?;
        }

        if !rows.personal.is_empty() {
            let p = &rows.personal;
            let mut data = Vec::with_capacity(p.len());
            for x in p {
                data.push(json(&x.data, "personal data")?);
            }
            c.execute(
                "INSERT INTO victim_personal_data (item_id, report_id, valid_from, recorded_at, \
                 data) SELECT item, report, vf, ra, d::jsonb FROM unnest($1::text[], \
                 $2::bigint[], $3::date[], $4::timestamptz[], $5::text[]) \
                 AS t(item, report, vf, ra, d)",
                &[
                    &p.iter().map(|x| x.item.as_str()).collect::<Vec<_>>(),
                    &p.iter().map(|x| x.report).collect::<Vec<_>>(),
                    &p.iter()
                        .map(|x| clamp_date(x.valid_from))
                        .collect::<Vec<_>>(),
                    &p.iter().map(|x| x.recorded_at).collect::<Vec<_>>(),
                    &data,
                ],
            )
            .doing(&doing("victim_personal_data"))?;
        }

        write_hazards(c, rows)?;

        let (prefixes, last): (Vec<&str>, Vec<i64>) = rows.counters.iter().copied().unzip();
        c.execute(
            "INSERT INTO id_counter (prefix, last) SELECT * FROM unnest($1::text[], $2::bigint[]) \
             ON CONFLICT (prefix) DO UPDATE SET last = excluded.last",
            &[&prefixes, &last],
        )
        .doing(&doing("id_counter"))?;

        let a = &rows.audit;
        c.execute(
            "INSERT INTO audit (at, actor, action, target, detail) \
             SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], \
             $5::text[])",
            &[
                &a.iter().map(|x| x.at).collect::<Vec<DateTime<Utc>>>(),
                &a.iter().map(|x| x.actor.as_str()).collect::<Vec<_>>(),
                &a.iter().map(|x| x.action.as_str()).collect::<Vec<_>>(),
                &a.iter().map(|x| x.target.as_str()).collect::<Vec<_>>(),
                &a.iter().map(|x| x.detail.as_deref()).collect::<Vec<_>>(),
            ],
        )
        .doing(&doing("audit"))?;
        Ok(())
    }
}

/// Replaces the current state of every hazard touched.
fn write_hazards<C: GenericClient>(c: &mut C, rows: &StagedRows) -> Result<()> {
    let doing = "writing the staged current states of hazards";
    let current = rows.current_hazards();
    let touched: Vec<&str> = current.iter().map(|(item, _)| *item).collect();
    c.execute(
        "DELETE FROM hazard_current WHERE item_id = ANY($1::text[])",
        &[&touched],
    )
    .doing(doing)?;
    let states: Vec<_> = current.iter().filter_map(|(_, s)| *s).collect();
    let mut geometry = Vec::with_capacity(states.len());
    let mut remaining = Vec::with_capacity(states.len());
    for (_, s) in &states {
        let (g, r) = wkb_codec::encode_state(s)?;
        geometry.push(g);
        remaining.push(r);
    }
    let valid_from: Vec<NaiveDate> = states
        .iter()
        .map(|(v, _)| clamp_date(v.valid_from))
        .collect();
    c.execute(
        "INSERT INTO hazard_current (item_id, class, status, admin_pcode, organisation, \
         reported_m2, original_m2, cancelled_m2, reduced_m2, cleared_m2, remaining_m2, \
         geometry, remaining, valid_from, recorded_at, name) \
         SELECT item, class, status, admin, org, reported, original, cancelled, reduced, \
         cleared, rest, ST_GeomFromWKB(g, 4326), ST_GeomFromWKB(r, 4326), vf, ra, name \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], \
         $12::bytea[], $13::bytea[], $14::date[], $15::timestamptz[], $16::text[]) \
         AS t(item, class, status, admin, org, reported, original, cancelled, reduced, cleared, \
         rest, g, r, vf, ra, name)",
        &[
            &states
                .iter()
                .map(|(_, s)| s.item.as_str())
                .collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.class.code())
                .collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.status.code())
                .collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.admin_pcode.as_deref())
                .collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.organisation.as_deref())
                .collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.reported_m2)
                .collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.original_m2)
                .collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.cancelled_m2)
                .collect::<Vec<_>>(),
            &states.iter().map(|(_, s)| s.reduced_m2).collect::<Vec<_>>(),
            &states.iter().map(|(_, s)| s.cleared_m2).collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.remaining_m2)
                .collect::<Vec<_>>(),
            &geometry,
            &remaining,
            &valid_from,
            &states
                .iter()
                .map(|(v, _)| v.recorded_at)
                .collect::<Vec<_>>(),
            &states
                .iter()
                .map(|(_, s)| s.name.as_str())
                .collect::<Vec<_>>(),
        ],
    )
    .doing(doing)?;
    Ok(())
}
