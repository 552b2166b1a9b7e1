//! Reports sent by the offline field app: a submission carries a client-made UUID, the report,
//! the version of the form rules it was filled with and its photos. It is stored once — the
//! same UUID sent again (a retry after a cut connection) answers the report already stored —
//! created and submitted for review with its files in one transaction. The HTTP handler
//! (`PUT /api/submissions/{uuid}`) and `safeground submit` (an exported outbox) share this code.

use safeground_library::FileKind;
use safeground_model::ItemKind;
use safeground_store::field::{FieldFile, FieldSubmission, SubmissionOutcome};
use safeground_store::{Backend, NewReport};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::api::{current_form_version, field_point};
use crate::auth::password::hex;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};

/// Largest file of a submission (a resized photo is ~100 KB; a scanned PDF a few MB).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest submission, files included.
pub const MAX_SUBMISSION_BYTES: usize = 25 * 1024 * 1024;

/// A file part received with a submission.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The part's name, which an attachment names.
    pub part: String,
    /// The file name the device gave.
    pub file_name: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    report: NewReport,
    #[serde(default)]
    form_version: String,
    #[serde(default)]
    accept_outside_programme_area: bool,
    #[serde(default)]
    attachments: Vec<AttachmentRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentRef {
    part: String,
    entry: usize,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    caption: Option<String>,
}

/// A submission read and checked, ready to store.
#[derive(Debug)]
pub struct Prepared {
    uuid: String,
    digest: String,
    form_version: String,
    accept_outside: bool,
    report: NewReport,
    files: Vec<FieldFile>,
}

impl Prepared {
    /// The report (for the geometry check before writing).
    pub fn report(&self) -> &NewReport {
        &self.report
    }

    /// Puts back the report after the geometry check.
    pub fn with_report(mut self, report: NewReport) -> Self {
        self.report = report;
        self
    }

    /// Number of files.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }
}

/// Checks that `uuid` is a UUID as the app writes it (36 characters, lowercase hex and hyphens).
pub fn check_uuid(uuid: &str) -> ApiResult<()> {
    let ok = uuid.len() == 36
        && uuid.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::field(
            "uuid",
            format!(
                "`{uuid}` is not a lowercase UUID (8-4-4-4-12 hex digits); the app makes one with crypto.randomUUID()"
            ),
        ))
    }
}

/// Reads a submission's JSON and its file parts: positions typed as lat/lon, UTM or MGRS are
/// converted to GeoJSON points, every file is named by one attachment and is a photo or a PDF.
/// The digest covers the JSON and the files, so that a retry is told from a different
/// submission under the same UUID.
pub fn prepare(uuid: &str, json: &[u8], uploads: Vec<Upload>) -> ApiResult<Prepared> {
    check_uuid(uuid)?;
    let mut value: Value = crate::json::parse(json)?;
    let mut hash = Sha256::new();
    hash.update(serde_json::to_vec(&value).map_err(ApiError::internal)?);
    let mut parts: Vec<_> = uploads.iter().collect();
    parts.sort_by(|a, b| a.part.cmp(&b.part));
    for u in parts {
        hash.update(u.part.as_bytes());
        hash.update([0]);
        hash.update(Sha256::digest(&u.bytes));
    }
    let digest = hex(&hash.finalize());
    convert_positions(&mut value)?;
    let bytes = serde_json::to_vec(&value).map_err(ApiError::internal)?;
    let body: Body = crate::json::parse(&bytes)
        .map_err(|e| e.map_fields(|f| f.strip_prefix("report.").unwrap_or(f).to_owned()))?;
    let files = files(&body, uploads)?;
    Ok(Prepared {
        uuid: uuid.to_owned(),
        digest,
        form_version: body.form_version,
        accept_outside: body.accept_outside_programme_area,
        report: body.report,
        files,
    })
}

/// The files of the attachments, each checked.
fn files(body: &Body, mut uploads: Vec<Upload>) -> ApiResult<Vec<FieldFile>> {
    let mut out = Vec::with_capacity(body.attachments.len());
    for (i, a) in body.attachments.iter().enumerate() {
        let field = format!("attachments[{i}]");
        let at = uploads
            .iter()
            .position(|u| u.part == a.part)
            .ok_or_else(|| {
                ApiError::field(
                    format!("{field}.part"),
                    format!(
                        "no file part named `{}` was sent; send each file as a part of that name",
                        a.part
                    ),
                )
            })?;
        let upload = uploads.swap_remove(at);
        if upload.bytes.len() > MAX_FILE_BYTES {
            return Err(ApiError::too_large(format!(
                "{field} ({}) has {} bytes; a file may have at most {MAX_FILE_BYTES} (resize the photo)",
                a.part,
                upload.bytes.len()
            )));
        }
        let kind = FileKind::sniff(&upload.bytes);
        let Some(kind @ (FileKind::Jpeg | FileKind::Png | FileKind::Webp | FileKind::Pdf)) = kind
        else {
            return Err(ApiError::field(
                field,
                format!(
                    "{} is not a photo or a PDF; attach JPEG, PNG, WebP or PDF files",
                    FileKind::describe_unknown(&upload.bytes)
                ),
            ));
        };
        let name = a
            .name
            .clone()
            .or(upload.file_name)
            .map(|n| file_name(&n))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("{}.{}", a.part, kind.extension()));
        out.push(FieldFile {
            part: a.part.clone(),
            entry: a.entry,
            name,
            media_type: kind.media_type().to_owned(),
            caption: a.caption.clone().filter(|c| !c.trim().is_empty()),
            bytes: upload.bytes,
        });
    }
    if let Some(extra) = uploads.first() {
        return Err(ApiError::field(
            "attachments",
            format!(
                "the file part `{}` is named by no attachment; list it in `attachments` with its entry",
                extra.part
            ),
        ));
    }
    Ok(out)
}

/// A device's file name without folders or control characters, at most 200 characters.
fn file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Replaces `{lat, lon}`, `{utm}` and `{mgrs}` objects among the records' fields by GeoJSON
/// points, naming the field when one cannot be converted.
fn convert_positions(submission: &mut Value) -> ApiResult<()> {
    let Some(entries) = submission
        .get_mut("report")
        .and_then(|r| r.get_mut("entries"))
        .and_then(Value::as_array_mut)
    else {
        return Ok(());
    };
    for (i, entry) in entries.iter_mut().enumerate() {
        let Some(record) = entry.get_mut("record").and_then(Value::as_object_mut) else {
            continue;
        };
        convert_in(record, &format!("entries[{i}].record."))?;
    }
    Ok(())
}

fn convert_in(record: &mut Map<String, Value>, prefix: &str) -> ApiResult<()> {
    for (key, value) in record.iter_mut() {
        let Some(obj) = value.as_object() else {
            continue;
        };
        let is_position = !obj.contains_key("type")
            && (obj.contains_key("utm")
                || obj.contains_key("mgrs")
                || (obj.contains_key("lat") && obj.contains_key("lon")));
        if is_position {
            let field = format!("{prefix}{key}");
            let point = field_point(value.clone(), &field)?;
            *value = serde_json::json!({"type": "Point", "coordinates": [point.x(), point.y()]});
        }
    }
    Ok(())
}

/// Stores a prepared submission for `who`: answers the report already stored under its UUID
/// (same content), refuses another content under a used UUID (409), else creates and submits
/// the report with its files. A refusal of the rules says when the form changed since the
/// entry was written.
pub fn store(s: &mut dyn Backend, who: &Principal, p: &Prepared) -> ApiResult<SubmissionOutcome> {
    who.require(Permission::WriteReports)?;
    if let Some((report, digest)) = s.field_submission(&p.uuid)? {
        return if digest == p.digest {
            Ok(SubmissionOutcome::AlreadyStored(report))
        } else {
            Err(ApiError::conflict(format!(
                "submission {} was already stored as report {report} with other content; \
                 a new entry needs a new UUID",
                p.uuid
            )))
        };
    }
    let mut report = p.report.clone();
    crate::api::own_organisation(who, &mut report)?;
    crate::api::fill_work_organisation(s, &mut report)?;
    let written = crate::api::within_programme_area(s, &report, p.accept_outside).and_then(|()| {
        let submission = FieldSubmission {
            uuid: &p.uuid,
            digest: &p.digest,
            form_version: &p.form_version,
            report: &report,
            files: &p.files,
        };
        s.submit_field(&who.username, &submission).map_err(|e| {
            ApiError::from(e).map_fields(|f| f.strip_prefix("reports[0].").unwrap_or(f).to_owned())
        })
    });
    written.map_err(|e| {
        let current = current_form_version();
        if e.status() == axum::http::StatusCode::UNPROCESSABLE_ENTITY
            && !p.form_version.is_empty()
            && p.form_version != current
        {
            e.with_detail(format!(
                "the forms changed since this entry was written (version {} → {current}); \
                 open the entry, fix the fields marked and send it again",
                p.form_version
            ))
        } else {
            e
        }
    })
}

/// Whether `who` may see the files of records of `kind` on an item's page: accident photos
/// may show where and whom; they are for writers and those with personal-data access.
pub fn may_see_item_files(who: &Principal, kind: ItemKind) -> bool {
    match kind {
        ItemKind::Accident | ItemKind::Victim => {
            who.can(Permission::WriteReports) || who.can(Permission::PersonalData)
        }
        _ => who.can(Permission::Read),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_checked() {
        assert!(check_uuid("0b6c4a2e-3f1d-4c8e-9a7b-5d2e1f0a9c3b").is_ok());
        assert!(check_uuid("0B6C4A2E-3F1D-4C8E-9A7B-5D2E1F0A9C3B").is_err());
        assert!(check_uuid("../../etc").is_err());
    }

    #[test]
    fn file_names_lose_folders() {
        assert_eq!(file_name("C:\\DCIM\\IMG_1.jpg"), "IMG_1.jpg");
        assert_eq!(file_name("/sdcard/a/b.png"), "b.png");
        assert_eq!(file_name("x\u{0}y.jpg"), "xy.jpg");
    }

    #[test]
    fn positions_become_points_and_bad_ones_name_the_field() {
        let mut v = serde_json::json!({"report": {"entries": [{"record": {"kind": "eo_find",
            "location": {"lat": 11.5, "lon": 104.9}}}]}});
        convert_positions(&mut v).expect("converted");
        assert_eq!(
            v["report"]["entries"][0]["record"]["location"],
            serde_json::json!({"type": "Point", "coordinates": [104.9, 11.5]})
        );
        let mut bad = serde_json::json!({"report": {"entries": [{"record": {"location": {"utm": "nonsense"}}}]}});
        let e = convert_positions(&mut bad).expect_err("bad utm");
        assert!(e.to_string().contains("entries[0].record.location"), "{e}");
    }
}
