//! The stored JSON form of a report's entries (`report.body`).
//!
//! An entry holds its record, except in a report written by a bulk import and approved with
//! it: there each entry whose record became a version unchanged names that version
//! (`{"version": 42, "reconcile": ...}`) and the record is kept once, in `item_version`.
//! Versions are never changed or deleted, so reading the body back gives the report as it was
//! submitted. Bodies written before this form, and every other body, hold their records.
//!
//! A body never holds victims' personal data: they are written apart, one row per entry in
//! `report_personal_data` ([`personal_rows`]), and put back into the entries when a report is
//! read ([`with_personal`]). Bodies of schema 5 and before held them; the upgrade moves them.

use std::collections::HashMap;

use safeground_model::{Record, VictimPersonalData};
use serde::{Deserialize, Serialize};

use crate::{Reconcile, ReportEntry, ReportId, Result, StoreError};

/// One stored entry, as written.
#[derive(Serialize)]
struct EntryOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<&'a Record>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<i64>,
    reconcile: &'a Reconcile,
}

/// One stored entry, as read.
#[derive(Deserialize)]
struct EntryIn {
    record: Option<Record>,
    version: Option<i64>,
    #[serde(default)]
    reconcile: Reconcile,
    #[serde(default)]
    personal_data: Option<VictimPersonalData>,
}

/// The stored form of `entries`, each record in full (personal data left out).
pub(crate) fn to_json(entries: &[ReportEntry]) -> Result<String> {
    to_json_naming_versions(entries, |_| None)
}

/// The rows of `report_personal_data` for `entries`: (entry index, the personal data as JSON).
pub(crate) fn personal_rows(entries: &[ReportEntry]) -> Result<Vec<(i64, String)>> {
    (entries.iter().enumerate())
        .filter_map(|(i, e)| e.personal_data.as_ref().map(|p| (i, p)))
        .map(|(i, p)| {
            let json =
                serde_json::to_string(p).map_err(|e| StoreError::corrupt("personal data", e))?;
            Ok((i64::try_from(i).unwrap_or(i64::MAX), json))
        })
        .collect()
}

/// `entries` with the personal data stored apart for them, `(entry index, JSON)`.
pub(crate) fn with_personal(
    id: ReportId,
    mut entries: Vec<ReportEntry>,
    rows: Vec<(i64, String)>,
) -> Result<Vec<ReportEntry>> {
    for (index, json) in rows {
        let entry = usize::try_from(index)
            .ok()
            .and_then(|i| entries.get_mut(i))
            .ok_or_else(|| {
                StoreError::corrupt(
                    format!("report {id} personal data"),
                    format!("entry {index} does not exist"),
                )
            })?;
        entry.personal_data = Some(
            serde_json::from_str(&json)
                .map_err(|e| StoreError::corrupt(format!("report {id} personal data"), e))?,
        );
    }
    Ok(entries)
}

/// The stored form of `entries`; entry `i` names version `version_of(i)` instead of holding
/// its record when there is one (the caller gives only versions whose record is the entry's).
pub(crate) fn to_json_naming_versions(
    entries: &[ReportEntry],
    version_of: impl Fn(usize) -> Option<i64>,
) -> Result<String> {
    let out: Vec<EntryOut<'_>> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let version = version_of(i);
            EntryOut {
                record: version.is_none().then_some(&e.record),
                version,
                reconcile: &e.reconcile,
            }
        })
        .collect();
    serde_json::to_string(&out).map_err(|e| StoreError::corrupt("report body", e))
}

/// The stored bodies of reports `(id, entries)` whose entries became the versions
/// `(id, report, entry index, record)`: an entry names its version when the version's
/// record is the entry's record unchanged.
pub(crate) fn bodies_naming_versions<'a>(
    reports: impl Iterator<Item = (ReportId, &'a [ReportEntry])>,
    versions: impl Iterator<Item = (i64, ReportId, usize, &'a Record)>,
) -> Result<Vec<String>> {
    let made: HashMap<(ReportId, usize), (i64, &Record)> = versions
        .map(|(id, report, entry, record)| ((report, entry), (id, record)))
        .collect();
    reports
        .map(|(id, entries)| {
            to_json_naming_versions(entries, |i| {
                made.get(&(id, i))
                    .filter(|(_, record)| **record == entries[i].record)
                    .map(|(version, _)| *version)
            })
        })
        .collect()
}

/// Reads a stored body of report `id`, taking the record of an entry that names a version
/// from `version_record` (personal data only from a body of schema 5 or before).
pub(crate) fn from_json(
    id: ReportId,
    body: &str,
    mut version_record: impl FnMut(i64) -> Result<Record>,
) -> Result<Vec<ReportEntry>> {
    let stored: Vec<EntryIn> = serde_json::from_str(body)
        .map_err(|e| StoreError::corrupt(format!("report {id} body"), e))?;
    stored
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let record = match (e.record, e.version) {
                (Some(record), _) => record,
                (None, Some(version)) => version_record(version)?,
                (None, None) => {
                    return Err(StoreError::corrupt(
                        format!("report {id} body"),
                        format!("entry {i} has neither a record nor a version"),
                    ));
                }
            };
            Ok(ReportEntry {
                record,
                reconcile: e.reconcile,
                personal_data: e.personal_data,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn organisation(name: &str) -> Record {
        serde_json::from_value(serde_json::json!({
            "kind": "organisation", "local_id": "ORG-1", "name": name, "acronym": "O",
            "organisation_type": "national_ngo"
        }))
        .unwrap()
    }

    #[test]
    fn an_entry_names_its_version_only_when_the_version_kept_its_record() {
        let entries = vec![
            ReportEntry::new(organisation("kept")),
            ReportEntry::new(organisation("changed on approval")),
            ReportEntry::new(organisation("no version")),
        ];
        let (kept, changed) = (organisation("kept"), organisation("renamed"));
        let bodies = bodies_naming_versions(
            std::iter::once((7, entries.as_slice())),
            [(40, 7, 0, &kept), (41, 7, 1, &changed), (42, 8, 2, &kept)].into_iter(),
        )
        .unwrap();
        let stored: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
        assert_eq!(stored[0]["version"], 40);
        assert!(stored[0].get("record").is_none(), "{stored}");
        assert_eq!(stored[1]["record"]["name"], "changed on approval");
        assert_eq!(stored[2]["record"]["name"], "no version");
        assert!(stored[1].get("version").is_none() && stored[2].get("version").is_none());

        let mut asked = Vec::new();
        let back = from_json(7, &bodies[0], |v| {
            asked.push(v);
            Ok(kept.clone())
        })
        .unwrap();
        assert_eq!(back, entries);
        assert_eq!(asked, [40]);
    }

    #[test]
    fn bodies_with_every_record_read_as_before_and_broken_ones_are_named() {
        let entries = vec![ReportEntry::new(organisation("a"))];
        let old = to_json(&entries).unwrap();
        let back = from_json(1, &old, |_| unreachable!("no version named")).unwrap();
        assert_eq!(back, entries);
        let err = from_json(
            3,
            r#"[{"reconcile": {"action": "new"}}]"#,
            |_| unreachable!(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("report 3 body") && err.contains("entry 0"),
            "{err}"
        );
    }
}
