//! Approval: reconciles a submitted report into item versions, links, personal data and
//! derived hazard state. Runs inside the caller's transaction; the backend commits.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use safeground_model::{ItemKind, Record};

use super::items::hazard_version_and_state;
use super::reports::require_status;
use super::{NewVersion, Writes, boundaries, spatial_link};
use crate::{
    Approval, ApproveOptions, AsOf, Reconcile, Report, ReportEntry, ReportId, ReportStatus, Result,
    StoreError,
};

/// Transaction time of an approval: now (to the microsecond, as stored), but strictly after
/// every earlier approval, so that transaction-time order is total even when the clock steps
/// back.
fn approval_time<W: Writes>(db: &mut W) -> Result<DateTime<Utc>> {
    let now = Utc::now().trunc_subsecs(6);
    Ok(match db.last_recorded_at()? {
        Some(last) => now.max(last + chrono::Duration::microseconds(1)),
        None => now,
    })
}

/// An existing item known by the local id the field teams use (unique, or an error).
fn item_by_local_id<W: Writes>(
    db: &mut W,
    local_id: &str,
    entry: usize,
    field: &str,
) -> Result<Option<(String, ItemKind)>> {
    let found = db.items_with_local_id(local_id)?;
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

/// The kind of item a reference field must point to, when the field names one (a donor is an
/// organisation).
fn expected_kind(field: &str) -> Option<ItemKind> {
    match field {
        "donor" => Some(ItemKind::Organisation),
        _ => field.parse::<ItemKind>().ok(),
    }
}

/// Rebuilds the cached current state of one hazard from its versions.
pub(crate) fn refresh_hazard<W: Writes>(db: &mut W, item: &str) -> Result<()> {
    let current = hazard_version_and_state(db, item, AsOf::now())?;
    match current {
        Some((version, state)) => db.replace_hazard_current(item, Some((&version, state))),
        None => db.replace_hazard_current(item, None),
    }
}

/// Decides the item every entry becomes: a new item id, or the existing item it updates
/// (checked for kind, concurrent edits and stale dates).
fn targets<W: Writes>(
    db: &mut W,
    report: &crate::Report,
    options: &ApproveOptions,
) -> Result<Vec<(String, ItemKind)>> {
    let mut targets = Vec::with_capacity(report.content.entries.len());
    for (i, entry) in report.content.entries.iter().enumerate() {
        let kind = entry.record.kind();
        let target = match &entry.reconcile {
            Reconcile::New => {
                let item = db.next_item_id(kind)?;
                let uuid = crate::outbox::new_uuid()?;
                db.insert_item(&item, kind, entry.record.local_id(), report.id, &uuid)?;
                item
            }
            Reconcile::Update { item, base_version } => {
                // An item id, or the unique local id field teams know the item by.
                let (item, found) = match db.item_kind(item)? {
                    Some(found) => (item.clone(), found),
                    None => item_by_local_id(db, item, i, "reconcile.item")?.ok_or_else(|| {
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
                    let current = db.version_count(&item)?;
                    if current != base {
                        return Err(StoreError::Conflict {
                            entry: i,
                            item,
                            base,
                            current,
                        });
                    }
                }
                if let Some(current) = db.item_as_of(&item, AsOf::now())?
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
        targets.push((target, kind));
    }
    Ok(targets)
}

/// Four-eyes approval: refuses `actor` if they created or submitted the report.
fn second_approver(report: &Report, actor: &str) -> Result<()> {
    let own = |u: &str| u.eq_ignore_ascii_case(actor);
    if own(&report.created_by) || report.submitted_by.as_deref().is_some_and(own) {
        return Err(StoreError::SecondApproverNeeded {
            report: report.id,
            actor: actor.to_owned(),
            created_by: report.created_by.clone(),
            submitted_by: report.submitted_by.clone(),
        });
    }
    Ok(())
}

/// Approves a submitted report inside the caller's transaction.
pub(crate) fn approve_in<W: Writes>(
    db: &mut W,
    actor: &str,
    id: ReportId,
    options: &ApproveOptions,
) -> Result<Approval> {
    let report = db.load_report(id)?;
    require_status(&report, ReportStatus::Submitted, "approval")?;
    if options.four_eyes {
        second_approver(&report, actor)?;
    }
    let recorded_at = approval_time(db)?;
    let valid_from = report.content.date_of_information;

    // Pass 1: decide the target item of every entry.
    let targets = targets(db, &report, options)?;
    let by_local_id: HashMap<String, (String, ItemKind)> = report
        .content
        .entries
        .iter()
        .zip(&targets)
        .map(|(e, t)| (e.record.local_id().to_owned(), t.clone()))
        .collect();

    // Pass 2: resolve references, write versions, links and personal data. Each entry's record
    // moves into its version: the loaded report is not needed after this.
    let mut hazards: BTreeSet<String> = BTreeSet::new();
    let mut known_boundaries = None;
    for (i, entry) in report.content.entries.into_iter().enumerate() {
        let item = &targets[i].0;
        let ReportEntry {
            mut record,
            personal_data,
            reconcile,
            ..
        } = entry;
        if let Record::Activity(activity) = &mut record {
            let own: Vec<String> = hazards.iter().cloned().collect();
            spatial_link::link_released_land(db, activity, &own)?;
        }
        if boundaries::lacks_admin_area(&record) {
            let known = match &known_boundaries {
                Some(b) => Arc::clone(b),
                None => Arc::clone(known_boundaries.insert(db.boundaries()?)),
            };
            // A hazard's interior point costs more than the rest of its approval: computed
            // only when there is a boundary to look it up in.
            if !known.is_empty()
                && let Some(place) = boundaries::place_of_unassigned(&record)
                && let Some(pcode) = known.area_at(place)
            {
                boundaries::assign(&mut record, pcode);
            }
        }
        let references: Vec<(&'static str, String)> = (record.references().into_iter())
            .map(|(field, reference)| (field, reference.to_owned()))
            .collect();
        let mut links = Vec::new();
        for (field, reference) in &references {
            let (field, reference) = (*field, reference.as_str());
            let resolved = match db.item_kind(reference)? {
                Some(kind) => Some((reference.to_owned(), kind)),
                None => match by_local_id.get(reference) {
                    Some(found) => Some(found.clone()),
                    None => item_by_local_id(db, reference, i, field)?,
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
                    message: format!(
                        "{target} is a {} item; this field must refer to an item of kind {}",
                        kind.label().to_lowercase(),
                        expected.label().to_lowercase()
                    ),
                });
            }
            links.push((field, target));
        }
        let map: HashMap<&str, &str> = (references.iter())
            .zip(links.iter())
            .map(|((_, from), (_, to))| (from.as_str(), to.as_str()))
            .collect();
        record.map_references(&mut |r| map.get(r).map(|t| (*t).to_owned()));

        // Hazards touched: the hazard itself, and hazards an activity points to now or before.
        match &record {
            Record::Hazard(_) => {
                hazards.insert(item.clone());
            }
            Record::Activity(a) => {
                hazards.extend(a.hazard.iter().chain(&a.hazards).cloned());
                if let Some(prev) = db.item_as_of(item, AsOf::now())?
                    && let Record::Activity(p) = prev.record
                {
                    hazards.extend(p.hazard.into_iter().chain(p.hazards));
                }
            }
            _ => {}
        }

        // An item created by this report has no version yet: no query on the import's path.
        let revision = match reconcile {
            Reconcile::New => 1,
            Reconcile::Update { .. } => db.version_count(item)? + 1,
        };
        let version_id = db.insert_version(NewVersion {
            item,
            report: id,
            entry_index: i,
            valid_from,
            recorded_at,
            record,
        })?;
        db.append_outbox(item, version_id, revision)?;
        for (field, target) in &links {
            db.insert_link(version_id, item, field, target)?;
        }
        if let Some(personal) = &personal_data {
            db.insert_personal_data(item, id, valid_from, recorded_at, personal)?;
        }
    }

    // Pass 3: derived state of every hazard touched.
    for hazard in &hazards {
        refresh_hazard(db, hazard)?;
    }

    db.mark_approved(id, actor, recorded_at, options.comment.as_deref())?;
    let items: Vec<String> = targets.into_iter().map(|(t, _)| t).collect();
    db.audit(
        actor,
        "report.approve",
        &format!("report:{id}"),
        Some(&items.join(",")),
    )?;
    Ok(Approval {
        items,
        hazards_recomputed: hazards.into_iter().collect(),
    })
}
