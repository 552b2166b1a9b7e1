//! Adding an orthophoto: the file is read and checked (a georeferenced GeoTIFF the server can
//! tile), stored once in the evidence folder under its SHA-256, and its metadata, footprint
//! and links written to the store.

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use safeground_model::Record;
use safeground_orthophoto::Orthophoto;
use safeground_store::evidence::{NewOrthophoto, Orthophoto as StoredOrthophoto};
use safeground_store::{AsOf, Backend};
use sha2::{Digest, Sha256};

use crate::auth::password::hex;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};

/// Sub-folder of the evidence folder holding the images.
const FOLDER: &str = "orthophotos";

/// What a user says about an orthophoto when adding it.
#[derive(Debug, Clone, Default)]
pub struct OrthophotoMeta {
    /// Display name (default: the file name).
    pub name: Option<String>,
    /// Local ids of the hazards it covers.
    pub hazards: Vec<String>,
    /// Local id of the activity (task) it documents.
    pub activity: Option<String>,
    /// The day it was flown.
    pub captured_on: Option<NaiveDate>,
    /// The file name the user gave (for the default name).
    pub file_name: String,
}

/// Checks the image at `src`, keeps it in `dir` (moved when `move_file`, else copied) and
/// records it as added by `who`. Nothing is kept when the image or its links are refused.
pub fn add(
    store: &mut dyn Backend,
    dir: &Path,
    who: &Principal,
    src: &Path,
    move_file: bool,
    meta: OrthophotoMeta,
) -> ApiResult<StoredOrthophoto> {
    who.require(Permission::WriteReports)?;
    let opened = Orthophoto::open(src).map_err(|e| ApiError::field("file", e.to_string()))?;
    let info = opened.info().clone();
    drop(opened);
    let (sha256, size) = digest(src)?;
    let file = format!("{FOLDER}/{sha256}.tif");
    let target = dir.join(&file);
    let created = !target.exists();
    if created {
        std::fs::create_dir_all(dir.join(FOLDER)).map_err(ApiError::internal)?;
        let partial = dir.join(FOLDER).join(format!("{sha256}.partial"));
        if move_file {
            std::fs::rename(src, &partial)
                .or_else(|_| std::fs::copy(src, &partial).map(|_| ()))
                .map_err(ApiError::internal)?;
        } else {
            std::fs::copy(src, &partial).map_err(ApiError::internal)?;
        }
        std::fs::rename(&partial, &target).map_err(ApiError::internal)?;
    }
    let name = meta
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(meta.file_name);
    let new = NewOrthophoto {
        name,
        file,
        sha256,
        size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
        width: info.width,
        height: info.height,
        bands: info.bands,
        epsg: info.epsg,
        geotransform: info.geotransform,
        footprint: info.footprint,
        resolution_m: info.resolution_m,
        captured_on: meta.captured_on,
        hazards: meta
            .hazards
            .iter()
            .map(|r| local_id(&*store, r))
            .collect::<ApiResult<_>>()?,
        activity: meta.activity.map(|r| local_id(&*store, &r)).transpose()?,
        organisation: Some(who.organisation.clone()),
    };
    match store.add_orthophoto(&who.username, &new) {
        Ok(id) => Ok(store.orthophoto(id)?),
        Err(e) => {
            if created {
                let _ = std::fs::remove_file(&target);
            }
            Err(e.into())
        }
    }
}

/// The local id of the hazard or activity `reference` names by item id; `reference` itself
/// otherwise (a local id, checked by the store), so that evidence names records one way.
fn local_id(store: &dyn Backend, reference: &str) -> ApiResult<String> {
    Ok(
        match store.item_as_of(reference, AsOf::now())?.map(|v| v.record) {
            Some(Record::Hazard(h)) => h.local_id,
            Some(Record::Activity(a)) => a.local_id,
            _ => reference.to_owned(),
        },
    )
}

/// SHA-256 (lowercase hex) and size of a file, read in blocks.
fn digest(path: &Path) -> ApiResult<(String, u64)> {
    let mut f = std::fs::File::open(path).map_err(ApiError::internal)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(ApiError::internal)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex(&hasher.finalize()), size))
}
