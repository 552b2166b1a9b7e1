//! Approval: reconciles a submitted report into item versions, links, personal data and
//! derived hazard state, all in one transaction.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use safeground_model::{ItemKind, Record};

use super::items::{hazard_version_and_state, item_as_of, item_kind, version_count};
use super::reports::{load_report, require_status};
use super::{SqliteStore, audit, fmt_date, fmt_time, parse_time};
use crate::{
    Approval, ApproveOptions, AsOf, HazardState, Reconcile, ReportId, ReportStatus, Result,
    StoreError, wkb_codec,
};

/// Transaction time of an approval: now, but strictly after every earlier approval, so that
/// transaction-time order is total even when the clock steps back.
fn approval_time(conn: &Connection) -> Result<DateTime<Utc>> {
    let last: Option<String> =
        conn.query_row("SELECT max(recorded_at) FROM item_version", [], |r| {
            r.get(0)
        })?;
    let now = Utc::now();
    match last {
        Some(last) => {
            let last = parse_time(&last)?;
            Ok(now.max(last + chrono::Duration::microseconds(1)))
        }
        None => Ok(now),
    }
}

fn next_item_id(conn: &Connection, kind: ItemKind) -> Result<String> {
    let prefix = kind.id_prefix();
    let n: i64 = conn.query_row(
        "INSERT INTO id_counter (prefix, last) VALUES (?1, 1) \
         ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last",
        [prefix],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}-{n:06}"))
}

/// An existing item known by the local id the field teams use (unique, or an error).
fn item_by_local_id(
    conn: &Connection,
    local_id: &str,
    entry: usize,
    field: &str,
) -> Result<Option<(String, ItemKind)>> {
    let mut stmt = conn.prepare_cached("SELECT id, kind FROM item WHERE local_id = ?1 LIMIT 2")?;
    let found = stmt
        .query_map([local_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    match found.as_slice() {
        [] => Ok(None),
        [(id, kind)] => Ok(Some((
            id.clone(),
            kind.parse()
                .map_err(|e| StoreError::corrupt(format!("item {id}"), e))?,
        ))),
        _ => Err(StoreError::Reconcile {
            entry,
            field: field.into(),
            message: format!(
                "local id `{local_id}` names several items ({}, {}, ...); link the entry to one \
                 item id explicitly",
                found[0].0, found[1].0
            ),
        }),
    }
}

/// The kind of item a reference field must point to, when the field names one.
fn expected_kind(field: &str) -> Option<ItemKind> {
    field.parse::<ItemKind>().ok()
}

/// Rebuilds the cached current state of one hazard from its versions.
pub(crate) fn refresh_hazard(conn: &Connection, item: &str) -> Result<()> {
    let existing: Option<i64> = conn
        .query_row(
            "SELECT rowid_key FROM hazard_current WHERE item_id = ?1",
            [item],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(key) = existing {
        conn.execute("DELETE FROM hazard_rtree WHERE id = ?1", [key])?;
        conn.execute("DELETE FROM hazard_current WHERE rowid_key = ?1", [key])?;
    }
    let Some((version, state)) = hazard_version_and_state(conn, item, AsOf::now())? else {
        return Ok(());
    };
    write_current(
        conn,
        &state,
        &fmt_date(version.valid_from),
        &fmt_time(version.recorded_at),
    )
}

fn write_current(
    conn: &Connection,
    s: &HazardState,
    valid_from: &str,
    recorded: &str,
) -> Result<()> {
    let geometry = s.geometry.as_ref().map(wkb_codec::encode).transpose()?;
    let remaining = s.remaining.as_ref().map(wkb_codec::encode).transpose()?;
    conn.execute(
        "INSERT INTO hazard_current (item_id, class, status, admin_pcode, organisation, \
         reported_m2, original_m2, cancelled_m2, reduced_m2, cleared_m2, remaining_m2, \
         geometry, remaining, valid_from, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            s.item,
            s.class.code(),
            s.status.code(),
            s.admin_pcode,
            s.organisation,
            s.reported_m2,
            s.original_m2,
            s.cancelled_m2,
            s.reduced_m2,
            s.cleared_m2,
            s.remaining_m2,
            geometry,
            remaining,
            valid_from,
            recorded,
        ],
    )?;
    let key = conn.last_insert_rowid();
    if let Some(g) = &s.geometry
        && let Some(rect) = geo_bbox(g)
    {
        conn.execute(
            "INSERT INTO hazard_rtree (id, minx, maxx, miny, maxy) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key, rect.0, rect.2, rect.1, rect.3],
        )?;
    }
    Ok(())
}

/// (min x, min y, max x, max y) of all coordinates.
fn geo_bbox(mp: &geo_types::MultiPolygon<f64>) -> Option<(f64, f64, f64, f64)> {
    let mut it =
        mp.0.iter()
            .flat_map(|p| p.exterior().0.iter())
            .filter(|c| c.x.is_finite() && c.y.is_finite());
    let first = it.next()?;
    Some(it.fold((first.x, first.y, first.x, first.y), |b, c| {
        (b.0.min(c.x), b.1.min(c.y), b.2.max(c.x), b.3.max(c.y))
    }))
}

impl SqliteStore {
    pub(crate) fn do_approve_report(
        &mut self,
        actor: &str,
        id: ReportId,
        options: &ApproveOptions,
    ) -> Result<Approval> {
        let tx = self.write_tx()?;
        let approval = approve_in(&tx, actor, id, options)?;
        tx.commit()?;
        Ok(approval)
    }
}

/// Approves a submitted report inside the caller's transaction.
pub(crate) fn approve_in(
    tx: &Connection,
    actor: &str,
    id: ReportId,
    options: &ApproveOptions,
) -> Result<Approval> {
    let report = load_report(tx, id)?;
    require_status(&report, ReportStatus::Submitted, "approval")?;
    let recorded_at = approval_time(tx)?;
    let recorded = fmt_time(recorded_at);
    let valid_from = fmt_date(report.content.date_of_information);

    // Pass 1: decide the target item of every entry.
    let mut targets = Vec::with_capacity(report.content.entries.len());
    let mut by_local_id: HashMap<&str, (String, ItemKind)> = HashMap::new();
    for (i, entry) in report.content.entries.iter().enumerate() {
        let kind = entry.record.kind();
        let target = match &entry.reconcile {
            Reconcile::New => {
                let item = next_item_id(tx, kind)?;
                tx.execute(
                    "INSERT INTO item (id, kind, local_id, created_by_report) \
                         VALUES (?1, ?2, ?3, ?4)",
                    params![item, kind.code(), entry.record.local_id(), id],
                )?;
                item
            }
            Reconcile::Update { item, base_version } => {
                // An item id, or the unique local id field teams know the item by.
                let (item, found) = match item_kind(tx, item)? {
                    Some(found) => (item.clone(), found),
                    None => item_by_local_id(tx, item, i, "reconcile.item")?.ok_or_else(|| {
                        StoreError::Reconcile {
                            entry: i,
                            field: "reconcile.item".into(),
                            message: format!("item {item} does not exist"),
                        }
                    })?,
                };
                if found != kind {
                    return Err(StoreError::Reconcile {
                        entry: i,
                        field: "reconcile.item".into(),
                        message: format!(
                            "{item} is a {}, but the entry is a {}",
                            found.label(),
                            kind.label()
                        ),
                    });
                }
                if let Some(base) = *base_version {
                    let current = version_count(tx, &item)?;
                    if current != base {
                        return Err(StoreError::Conflict {
                            entry: i,
                            item,
                            base,
                            current,
                        });
                    }
                }
                if let Some(current) = item_as_of(tx, &item, AsOf::now())?
                    && current.valid_from >= report.content.date_of_information
                    && !options.allow_backdated
                {
                    return Err(StoreError::StaleUpdate {
                        entry: i,
                        item,
                        current: current.valid_from.to_string(),
                        reported: report.content.date_of_information.to_string(),
                    });
                }
                item
            }
        };
        by_local_id.insert(entry.record.local_id(), (target.clone(), kind));
        targets.push(target);
    }

    // Pass 2: resolve references, write versions, links and personal data.
    let mut hazards: BTreeSet<String> = BTreeSet::new();
    for (i, entry) in report.content.entries.iter().enumerate() {
        let item = &targets[i];
        let mut record = entry.record.clone();
        let mut links = Vec::new();
        for (field, reference) in entry.record.references() {
            let resolved = match item_kind(tx, reference)? {
                Some(kind) => Some((reference.to_owned(), kind)),
                None => match by_local_id.get(reference) {
                    Some(found) => Some(found.clone()),
                    None => item_by_local_id(tx, reference, i, field)?,
                },
            };
            let Some((target, kind)) = resolved else {
                return Err(StoreError::Reconcile {
                    entry: i,
                    field: field.into(),
                    message: format!(
                        "refers to `{reference}`, which is neither an existing item nor an \
                             entry of this report; link it to an existing item first"
                    ),
                });
            };
            if let Some(expected) = expected_kind(field)
                && expected != kind
            {
                return Err(StoreError::Reconcile {
                    entry: i,
                    field: field.into(),
                    message: format!("{target} is a {}, not a {}", kind.label(), expected.label()),
                });
            }
            links.push((field, target));
        }
        let map: HashMap<&str, &str> = entry
            .record
            .references()
            .into_iter()
            .zip(links.iter())
            .map(|((_, from), (_, to))| (from, to.as_str()))
            .collect();
        record.map_references(&mut |r| map.get(r).map(|t| (*t).to_owned()));

        // Hazards touched: the hazard itself, and hazards an activity points to now or before.
        match &record {
            Record::Hazard(_) => {
                hazards.insert(item.clone());
            }
            Record::Activity(a) => {
                if let Some(h) = &a.hazard {
                    hazards.insert(h.clone());
                }
                if let Some(prev) = item_as_of(tx, item, AsOf::now())?
                    && let Record::Activity(p) = prev.record
                    && let Some(h) = p.hazard
                {
                    hazards.insert(h);
                }
            }
            _ => {}
        }

        let json = serde_json::to_string(&record).map_err(|e| StoreError::corrupt("record", e))?;
        tx.execute(
            "INSERT INTO item_version (item_id, report_id, entry_index, valid_from, \
                 recorded_at, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![item, id, i as i64, valid_from, recorded, json],
        )?;
        let version_id = tx.last_insert_rowid();
        for (field, target) in &links {
            tx.execute(
                "INSERT INTO item_link (version_id, from_item, field, to_item) \
                     VALUES (?1, ?2, ?3, ?4)",
                params![version_id, item, field, target],
            )?;
        }
        if let Some(personal) = &entry.personal_data {
            let data = serde_json::to_string(personal)
                .map_err(|e| StoreError::corrupt("personal data", e))?;
            tx.execute(
                "INSERT INTO victim_personal_data (item_id, report_id, valid_from, \
                     recorded_at, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![item, id, valid_from, recorded, data],
            )?;
        }
    }

    // Pass 3: derived state of every hazard touched.
    for hazard in &hazards {
        refresh_hazard(tx, hazard)?;
    }

    tx.execute(
            "UPDATE report SET status = 'approved', revision = revision + 1, decided_by = ?1, decided_at = ?2, \
             decision_comment = ?3 WHERE id = ?4",
            params![actor, recorded, options.comment, id],
        )?;
    audit(
        tx,
        actor,
        "report.approve",
        &format!("report:{id}"),
        Some(&targets.join(",")),
    )?;
    Ok(Approval {
        items: targets,
        hazards_recomputed: hazards.into_iter().collect(),
    })
}
