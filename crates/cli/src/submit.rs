//! `safeground submit`: stores the unsent entries a field device exported (the app's outbox
//! file), for a device that cannot reach the server. Each entry keeps the UUID the device gave
//! it, so an entry already sent — by the device, or by an earlier run — is stored once.

use std::io::Write;

use anyhow::{Context, bail};
use base64::Engine;
use safeground_server::auth::Principal;
use safeground_server::field::{self, Upload};
use safeground_store::Location;
use safeground_store::field::SubmissionOutcome;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Export {
    version: u32,
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    uuid: String,
    submission: serde_json::Value,
    #[serde(default)]
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    part: String,
    name: Option<String>,
    data_base64: String,
}

/// Whether a JSON file is an outbox export of the field app.
pub fn is_outbox(value: &Value) -> bool {
    value.get("format").and_then(Value::as_str) == Some("safeground-outbox")
}

/// Submits an outbox export as `user`: one line per entry; false when any was refused (those
/// stay in the file to fix on the device and send again).
pub fn run(db: &Location, export: Value, user: &str, out: &mut dyn Write) -> anyhow::Result<bool> {
    let export: Export = serde_json::from_value(export)
        .context("the file says it is an outbox export but is malformed")?;
    if export.version != 1 {
        bail!(
            "this outbox export is version {}; this Safeground reads version 1 (update it)",
            export.version
        );
    }
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    let account = store.account(user)?.with_context(|| {
        format!("no user `{user}`: an outbox is submitted as a report writer, give --actor USER")
    })?;
    let who = Principal::of_account(store.as_ref(), account)?;
    let (mut stored, mut again, mut refused) = (0, 0, 0);
    for (i, entry) in export.entries.into_iter().enumerate() {
        let uuid = entry.uuid.clone();
        match submit_one(&mut store, &who, entry) {
            Ok(SubmissionOutcome::Created(id)) => {
                stored += 1;
                writeln!(out, "{uuid}\treport {id}\tstored and submitted")?;
            }
            Ok(SubmissionOutcome::AlreadyStored(id)) => {
                again += 1;
                writeln!(out, "{uuid}\treport {id}\talready stored")?;
            }
            Err(e) => {
                refused += 1;
                writeln!(out, "{uuid}\tentries[{i}]\trefused: {e}")?;
            }
        }
    }
    writeln!(
        out,
        "{stored} stored, {again} already stored, {refused} refused"
    )?;
    Ok(refused == 0)
}

fn submit_one(
    store: &mut safeground_store::AnyStore,
    who: &Principal,
    entry: Entry,
) -> anyhow::Result<SubmissionOutcome> {
    let mut uploads = Vec::with_capacity(entry.files.len());
    for f in entry.files {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(f.data_base64.trim())
            .with_context(|| format!("file `{}` is not valid base64", f.part))?;
        uploads.push(Upload {
            part: f.part,
            file_name: f.name,
            bytes,
        });
    }
    let json = serde_json::to_vec(&entry.submission)?;
    let prepared = field::prepare(&entry.uuid, &json, uploads)?;
    safeground_store::check_geometries(prepared.report())
        .map_err(safeground_store::StoreError::Invalid)?;
    Ok(field::store(store.as_mut(), who, &prepared)?)
}
