//! CSV tracks: a header row naming the columns (case-insensitive, with aliases), comma,
//! semicolon or tab separated.

use super::{RawTrack, parse_flag, parse_num, parse_opt, parse_time};
use crate::{CoverageError, Fix};

pub(super) const TIME: &[&str] = &["time", "timestamp", "datetime", "date_time", "utc"];
pub(super) const LAT: &[&str] = &["lat", "latitude"];
pub(super) const LON: &[&str] = &["lon", "lng", "long", "longitude"];
const HEADING: &[&str] = &["heading", "course", "bearing"];
const ENGAGED: &[&str] = &["engaged", "tool", "tool_engaged", "working"];
const ACCURACY: &[&str] = &["accuracy", "accuracy_m", "hacc"];

struct Columns {
    time: usize,
    lat: usize,
    lon: usize,
    heading: Option<usize>,
    engaged: Option<usize>,
    accuracy: Option<usize>,
}

fn find(names: &[String], aliases: &[&str]) -> Option<usize> {
    names.iter().position(|n| aliases.contains(&n.as_str()))
}

fn columns(header: &csv::StringRecord) -> Result<Columns, CoverageError> {
    let names: Vec<String> = header
        .iter()
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    let need = |aliases: &[&str]| {
        find(&names, aliases).ok_or_else(|| CoverageError::Unreadable {
            format: "CSV",
            reason: format!(
                "the header has no {} column (found: {})",
                aliases.join("|"),
                names.join(", ")
            ),
        })
    };
    Ok(Columns {
        time: need(TIME)?,
        lat: need(LAT)?,
        lon: need(LON)?,
        heading: find(&names, HEADING),
        engaged: find(&names, ENGAGED),
        accuracy: find(&names, ACCURACY),
    })
}

/// The separator: whichever of `,` `;` tab occurs most in the header line.
fn delimiter(bytes: &[u8]) -> u8 {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or(bytes);
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',')
}

pub(super) fn read(bytes: &[u8]) -> Result<RawTrack, CoverageError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = reader.headers().map_err(|e| CoverageError::Unreadable {
        format: "CSV",
        reason: format!("header row: {e}"),
    })?;
    let cols = columns(header)?;
    let mut track = RawTrack::default();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                track.unreadable.push((line, format!("not CSV: {e}")));
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        match fix(&record, &cols, line) {
            Ok(f) => track.fixes.push(f),
            Err(reason) => track.unreadable.push((line, reason)),
        }
    }
    Ok(track)
}

fn fix(r: &csv::StringRecord, c: &Columns, line: usize) -> Result<Fix, String> {
    let get = |i: usize| r.get(i).unwrap_or("");
    let field = |i: Option<usize>| i.map_or("", get);
    if r.len() <= c.time.max(c.lat).max(c.lon) {
        return Err(format!("{} fields, the header has more", r.len()));
    }
    Ok(Fix {
        time: parse_time(get(c.time))?,
        lat: parse_num("latitude", get(c.lat))?,
        lon: parse_num("longitude", get(c.lon))?,
        heading: parse_opt("heading", field(c.heading))?,
        engaged: parse_flag(field(c.engaged))?,
        accuracy_m: parse_opt("accuracy", field(c.accuracy))?,
        record: line,
    })
}
