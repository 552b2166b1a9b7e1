//! Importing a file over HTTP: the same importer as `safeground import` (a ready mapping,
//! checks, local ids already present, suspected twins held for review, resumable batches); the
//! reports always wait for review, credited to the user's organisation. `dry_run=true` checks
//! without writing; `import_twins=true` writes the suspected twins too.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use safeground_import::{BuildOptions, ImportError, Job, Mapping, Outcome, Refusal, RunOptions};
use safeground_io::{ReadOptions, open_source};
use serde::Deserialize;
use serde_json::{Value, json};

use super::params::query;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Query of an import.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// Name of the uploaded file: its extension says the format (geojson, gpkg, zip, kml,
    /// kmz, csv, xlsx, json).
    filename: String,
    /// A ready mapping (`GET /api/import/mappings`); default `safeground-hazard`.
    mapping: Option<String>,
    /// GeoPackage table, sheet or KML folder.
    layer: Option<String>,
    /// Text encoding of a CSV that is not UTF-8.
    encoding: Option<String>,
    /// `true`: check every record and write nothing.
    dry_run: Option<bool>,
    /// Repair invalid polygons instead of refusing them.
    repair: Option<bool>,
    /// With `repair`: the largest change of a polygon's area a repair may make, in percent of
    /// the area as drawn (default 1); a larger change refuses the record with both areas.
    repair_max_area_change: Option<f64>,
    /// `true`: write the records held as suspected twins too (once reviewed).
    import_twins: Option<bool>,
    /// `true`: write records placed more than 1 km outside the programme area too (by default
    /// they are refused with the distance).
    accept_outside_programme_area: Option<bool>,
}

fn refusal_json(r: &Refusal) -> Value {
    json!({"record": r.record, "local_id": r.local_id, "field": r.field,
           "column": r.column, "reason": r.reason})
}

/// The longest accepted file name, in bytes (file systems take 255).
const MAX_FILE_NAME: usize = 200;

/// The uploaded file's name without any directory: 1 to 200 bytes, no control characters.
fn file_name(raw: &str) -> ApiResult<String> {
    let name = std::path::Path::new(raw)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::field("filename", "must name a file, e.g. hazards.gpkg"))?;
    if name.len() > MAX_FILE_NAME || name.chars().any(char::is_control) {
        return Err(ApiError::field(
            "filename",
            format!(
                "must be at most {MAX_FILE_NAME} bytes without control characters; shorten it, \
                 keeping the extension (e.g. hazards.gpkg)"
            ),
        ));
    }
    Ok(name)
}

/// The ready mappings.
#[utoipa::path(get, path = "/api/import/mappings", tag = "reports",
    responses((status = 200, description = "Name and description of each ready mapping",
               body = Vec<super::schemas::MappingInfo>)))]
pub async fn mappings(who: Principal) -> ApiResult<Response> {
    who.require(Permission::WriteReports)?;
    let list: Vec<super::schemas::MappingInfo> = Mapping::builtin_list()
        .into_iter()
        .map(|(name, description)| super::schemas::MappingInfo { name, description })
        .collect();
    Ok(axum::Json(list).into_response())
}

/// Imports a file (the request body) as submitted reports.
#[utoipa::path(post, path = "/api/import", tag = "reports", params(ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, description = "What was (or would be) imported, and each refused record",
               body = super::schemas::ImportResult),
              (status = 400, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)))]
pub async fn import(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> ApiResult<Response> {
    who.require(Permission::WriteReports)?;
    let params: ImportParams = query(q.as_deref())?;
    let (mut mapping, mapping_text) =
        Mapping::load_builtin(params.mapping.as_deref().unwrap_or("safeground-hazard"))
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let name = file_name(&params.filename)?;
    let dry_run = params.dry_run.unwrap_or(false);
    let repair_max_area_change_percent = match params.repair_max_area_change {
        None => safeground_geo::RepairOptions::default().max_area_change_percent,
        Some(p) if p >= 0.0 => p,
        Some(p) => {
            return Err(ApiError::bad_request(format!(
                "repair_max_area_change is a percentage of 0 or more, not {p}"
            )));
        }
    };
    let today = Utc::now().date_naive();
    let actor = who.username.clone();
    let organisation = who.organisation.clone();
    state
        .db
        .write(move |store| {
            let dir = tempfile::tempdir().map_err(ApiError::internal)?;
            let path = dir.path().join(&name);
            std::fs::write(&path, &body).map_err(ApiError::internal)?;
            let records = open_source(
                &path,
                &ReadOptions {
                    layer: params.layer,
                    encoding: params.encoding,
                },
            )
            .map_err(|e| {
                ApiError::bad_request(e.to_string().replace(&*dir.path().to_string_lossy(), ""))
            })?;
            let mapping_text =
                crate::federation::apply_adopted_codes(&*store, &mut mapping, mapping_text)
                    .map_err(ApiError::internal)?;
            let key = safeground_import::checkpoint_key(&body, &mapping_text);
            let build = BuildOptions {
                organisation: Some(organisation),
                default_date: today,
                today,
                repair: params.repair.unwrap_or(false),
                repair_max_area_change_percent,
                source_name: name.clone(),
            };
            let run = RunOptions {
                actor,
                approve_as_migration: false,
                strict: false,
                batch_size: safeground_import::DEFAULT_BATCH_SIZE,
                duplicate_tolerance_m: 1.0,
                keep_duplicates: params.import_twins.unwrap_or(false),
                accept_outside_programme_area: params
                    .accept_outside_programme_area
                    .unwrap_or(false),
            };
            let job = Job {
                records: &records,
                mapping: &mapping,
                key: &key,
                build: &build,
                run: &run,
                dry_run,
            };
            let Outcome { plan, written } =
                safeground_import::import(store, &job, &mut |_, _, _| {}).map_err(|e| match e {
                    ImportError::Store(e) => ApiError::from(e),
                    other => ApiError::bad_request(
                        other
                            .to_string()
                            .replace(&*dir.path().to_string_lossy(), ""),
                    ),
                })?;
            let refused: Vec<Value> = plan
                .refusals
                .iter()
                .chain(written.iter().flat_map(|w| &w.refusals))
                .map(refusal_json)
                .collect();
            let imported = written.as_ref().map_or(0, |w| w.reports);
            let twins: Vec<Value> = plan
                .twins
                .iter()
                .map(|t| {
                    let mut v = refusal_json(&t.record);
                    v["twin_of"] = json!(t.twin_of);
                    v
                })
                .collect();
            let held = plan.twins.iter().map(|t| &t.record);
            Ok(axum::Json(json!({
                "file": name,
                "mapping": mapping.name,
                "dry_run": dry_run,
                "records": plan.total,
                "resumed_from": plan.resumed_from,
                "would_import": plan.reports.len(),
                "imported": imported,
                "not_written": {
                    "refused": refused.len(),
                    "twins": twins.len(),
                    "already_present": plan.present.len(),
                    "skipped": plan.skipped,
                },
                "refused": refused,
                "twins": twins,
                "already_present": plan.present.iter().map(refusal_json).collect::<Vec<_>>(),
                "duplicates": held.chain(&plan.present).map(refusal_json).collect::<Vec<_>>(),
                "skipped": plan.skipped,
                "notes": plan.notes,
            }))
            .into_response())
        })
        .await
}
