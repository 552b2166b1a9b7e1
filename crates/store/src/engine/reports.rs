//! Pure report-workflow helpers shared by the backends: status checks and entry edits.

use safeground_model::{FieldError, Record, ValidationErrors};

use crate::{Report, ReportEntry, ReportStatus, Result, StoreError};

/// Fails with [`StoreError::WrongStatus`] unless the report has the status the action needs.
pub(crate) fn require_status(
    report: &Report,
    needed: ReportStatus,
    action: &'static str,
) -> Result<()> {
    if report.status == needed {
        Ok(())
    } else {
        Err(StoreError::WrongStatus {
            id: report.id,
            status: report.status.to_string(),
            action,
            needed: needed.code(),
        })
    }
}

/// One entry of a report, or a reconcile error naming the valid range.
pub(crate) fn entry_mut(report: &mut Report, entry: usize) -> Result<&mut ReportEntry> {
    let n = report.content.entries.len();
    report
        .content
        .entries
        .get_mut(entry)
        .ok_or_else(|| StoreError::Reconcile {
            entry,
            field: "entry".into(),
            message: format!("report {} has {n} entries (0-based index)", report.id),
        })
}

/// Sets the reference `field` of a record to `target` by editing its JSON form.
pub(crate) fn set_reference(
    record: &Record,
    entry: usize,
    field: &str,
    target: &str,
) -> Result<Record> {
    let known = record.references();
    let mut value = serde_json::to_value(record).map_err(|e| StoreError::corrupt("record", e))?;
    let obj = value.as_object_mut().ok_or_else(|| StoreError::Reconcile {
        entry,
        field: field.into(),
        message: "record is not an object".into(),
    })?;
    let is_ref_field = known.iter().any(|(f, _)| *f == field)
        || matches!(obj.get(field), Some(serde_json::Value::Null));
    if !is_ref_field || field == "kind" || field == "local_id" {
        return Err(StoreError::Reconcile {
            entry,
            field: field.into(),
            message: format!(
                "a {} has no link field `{field}`",
                record.kind().label().to_lowercase()
            ),
        });
    }
    obj.insert(
        field.to_owned(),
        serde_json::Value::String(target.to_owned()),
    );
    serde_json::from_value(value).map_err(|e| StoreError::Reconcile {
        entry,
        field: field.into(),
        message: format!("`{field}` cannot hold an item reference: {e}"),
    })
}

/// Validates every report of a batch, with the reference catalogue the programme adopted;
/// errors are prefixed with `reports[i].`.
pub(crate) fn validate_batch(
    reports: &[crate::NewReport],
    today: chrono::NaiveDate,
    catalogue: Option<&safeground_model::Catalogue>,
) -> Result<()> {
    for (i, r) in reports.iter().enumerate() {
        let checked = crate::validate_report(r, today)
            .and_then(|()| crate::reference::check_report(catalogue, r));
        checked.map_err(|e| {
            StoreError::Invalid(ValidationErrors(
                e.0.into_iter()
                    .map(|fe| FieldError {
                        field: format!("reports[{i}].{}", fe.field),
                        message: fe.message,
                    })
                    .collect(),
            ))
        })?;
    }
    Ok(())
}
