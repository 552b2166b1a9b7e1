//! Track readers: GPX 1.1, NMEA 0183 and CSV, with format sniffing.

mod csv;
mod gpx;
mod nmea;

use chrono::{DateTime, NaiveDateTime};

use crate::{CoverageError, Fix};

/// A track file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackFormat {
    /// GPX 1.1 (`trkpt` elements).
    Gpx,
    /// NMEA 0183 sentences (RMC, GGA, GNS), one a line.
    Nmea,
    /// CSV with a header row naming time, lat and lon columns.
    Csv,
}

/// Fixes read from a file, and the records that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawTrack {
    /// Fixes in file order.
    pub fixes: Vec<Fix>,
    /// `(record, reason)` for each record that could not be read: 1-based line (CSV, NMEA)
    /// or point (GPX) number.
    pub unreadable: Vec<(usize, String)>,
    /// The format read (given, or sniffed from the first bytes).
    pub format: Option<TrackFormat>,
}

const EXPECTED: &str = "expected GPX 1.1 (<gpx> with <trkpt>), NMEA 0183 ($--RMC/$--GGA/$--GNS sentences) or CSV with a header naming time, lat and lon columns";

/// Reads a track; `format` `None` sniffs it from the first bytes.
pub fn read_track(bytes: &[u8], format: Option<TrackFormat>) -> Result<RawTrack, CoverageError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let format = match format {
        Some(f) => f,
        None => sniff(bytes).ok_or_else(|| CoverageError::NotATrack(EXPECTED.into()))?,
    };
    let read = match format {
        TrackFormat::Gpx => gpx::read(bytes),
        TrackFormat::Nmea => nmea::read(bytes),
        TrackFormat::Csv => csv::read(bytes),
    }?;
    Ok(RawTrack {
        format: Some(format),
        ..read
    })
}

/// Guesses the format from the first non-blank bytes.
fn sniff(bytes: &[u8]) -> Option<TrackFormat> {
    let head = &bytes[..bytes.len().min(4096)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if head.starts_with(b"<") {
        let text = String::from_utf8_lossy(head);
        return text.contains("<gpx").then_some(TrackFormat::Gpx);
    }
    if head.starts_with(b"$") || head.starts_with(b"!") {
        return Some(TrackFormat::Nmea);
    }
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let line = String::from_utf8_lossy(first_line).to_ascii_lowercase();
    let names: Vec<&str> = line
        .split([',', ';', '\t'])
        .map(|s| s.trim().trim_matches('"'))
        .collect();
    let has = |aliases: &[&str]| names.iter().any(|n| aliases.contains(n));
    (has(csv::LAT) && has(csv::LON)).then_some(TrackFormat::Csv)
}

/// Parses a time: epoch seconds (a number; above 1e11 it is taken as milliseconds), RFC
/// 3339 / ISO 8601 with an offset or `Z`, or an ISO 8601 date-time without one (taken as UTC).
pub(crate) fn parse_time(s: &str) -> Result<f64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty time".into());
    }
    if let Ok(v) = s.parse::<f64>() {
        if !v.is_finite() {
            return Err(format!("time {s:?} is not a number of seconds"));
        }
        return Ok(if v.abs() > 1e11 { v / 1000.0 } else { v });
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(seconds(t.timestamp(), t.timestamp_subsec_nanos()));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f%#z",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            let t = t.and_utc();
            return Ok(seconds(t.timestamp(), t.timestamp_subsec_nanos()));
        }
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Ok(seconds(t.timestamp(), t.timestamp_subsec_nanos()));
    }
    Err(format!(
        "time {s:?} is neither ISO 8601 / RFC 3339 nor epoch seconds"
    ))
}

fn seconds(secs: i64, nanos: u32) -> f64 {
    secs as f64 + f64::from(nanos) * 1e-9
}

/// Parses an engaged flag: 1/0, true/false, yes/no, on/off, y/n, t/f; empty is `None`.
pub(crate) fn parse_flag(s: &str) -> Result<Option<bool>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "1" | "true" | "yes" | "on" | "y" | "t" => Ok(Some(true)),
        "0" | "false" | "no" | "off" | "n" | "f" => Ok(Some(false)),
        other => Err(format!(
            "engaged value {other:?} is not 1/0, true/false, yes/no or on/off"
        )),
    }
}

/// Parses a number that must be present and finite.
pub(crate) fn parse_num(what: &str, s: &str) -> Result<f64, String> {
    let s = s.trim();
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ if s.is_empty() => Err(format!("empty {what}")),
        _ => Err(format!("{what} {s:?} is not a number")),
    }
}

/// Parses an optional number (empty is `None`).
pub(crate) fn parse_opt(what: &str, s: &str) -> Result<Option<f64>, String> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse_num(what, s).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_accepted_form() {
        let want = 1_700_000_000.5;
        for s in [
            "1700000000.5",
            "1700000000500",
            "2023-11-14T22:13:20.5Z",
            "2023-11-14T23:13:20.5+01:00",
            "2023-11-14T22:13:20.5",
            "2023-11-14 22:13:20.5",
        ] {
            assert_eq!(parse_time(s), Ok(want), "{s}");
        }
        assert!(parse_time("yesterday").is_err());
        assert!(parse_time("").is_err());
    }

    #[test]
    fn sniffs_each_format() {
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<gpx>"),
            Some(TrackFormat::Gpx)
        );
        assert_eq!(sniff(b"\n$GPRMC,..."), Some(TrackFormat::Nmea));
        assert_eq!(sniff(b"Time;Latitude;Longitude\n"), Some(TrackFormat::Csv));
        assert_eq!(sniff(b"<kml>"), None);
        assert_eq!(sniff(b"a,b,c\n1,2,3"), None);
        assert!(matches!(
            read_track(b"hello", None),
            Err(CoverageError::NotATrack(_))
        ));
    }
}
