//! NMEA 0183 logs: RMC, GGA and GNS sentences (any talker), checksums verified.
//!
//! Sentences of one epoch (same time of day) are merged into one fix. RMC carries the date;
//! GGA/GNS fixes take the date of the last RMC (or of the next one, for those before the
//! first RMC; a log without RMC is dated 1970-01-01, which keeps its time differences
//! right). RMC status `V`, GGA quality 0 and GNS mode `N` are no fix: listed as
//! unreadable. HDOP is not a distance and is not turned into an accuracy.

use chrono::NaiveDate;

use super::RawTrack;
use crate::{CoverageError, Fix};

/// One sentence's contribution to a fix.
struct Part {
    tod: f64,
    date: Option<NaiveDate>,
    pos: (f64, f64),
    heading: Option<f64>,
}

/// A fix being assembled from the sentences of one epoch.
struct Pending {
    tod: f64,
    date: Option<NaiveDate>,
    lon: f64,
    lat: f64,
    heading: Option<f64>,
    record: usize,
}

pub(super) fn read(bytes: &[u8]) -> Result<RawTrack, CoverageError> {
    let text = String::from_utf8_lossy(bytes);
    let mut track = RawTrack::default();
    let mut pending: Vec<Pending> = Vec::new();
    let mut sentences = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let body = match checked_body(line) {
            Ok(b) => b,
            Err(reason) => {
                track.unreadable.push((line_no, reason));
                continue;
            }
        };
        sentences += 1;
        let fields: Vec<&str> = body.split(',').collect();
        let kind = fields[0].get(2..).unwrap_or("");
        let part = match kind {
            "RMC" => rmc(&fields),
            "GGA" => gga(&fields),
            "GNS" => gns(&fields),
            _ => continue,
        };
        match part {
            Ok(p) => merge(&mut pending, p, line_no),
            Err(reason) => track
                .unreadable
                .push((line_no, format!("{kind}: {reason}"))),
        }
    }
    if sentences == 0 && track.fixes.is_empty() && !track.unreadable.is_empty() {
        return Err(CoverageError::NotATrack(
            "expected NMEA 0183 sentences ($--RMC, $--GGA, $--GNS); no line was one".into(),
        ));
    }
    track.fixes = date_fixes(pending);
    Ok(track)
}

/// Verifies `$...*HH` and returns the text between `$` and `*`.
fn checked_body(line: &str) -> Result<&str, String> {
    let rest = line
        .strip_prefix('$')
        .or_else(|| line.strip_prefix('!'))
        .ok_or("not an NMEA sentence (no leading $)")?;
    let (body, sum) = rest.rsplit_once('*').ok_or("no checksum (*hh)")?;
    let want = u8::from_str_radix(sum.trim(), 16)
        .map_err(|_| format!("checksum {sum:?} is not two hex digits"))?;
    let got = body.bytes().fold(0u8, |a, b| a ^ b);
    if got != want {
        return Err(format!(
            "bad checksum: computed {got:02X}, sentence says {want:02X}"
        ));
    }
    if body.len() < 5 || !body.is_ascii() {
        return Err("too short for a sentence".into());
    }
    Ok(body)
}

fn field<'a>(f: &[&'a str], i: usize) -> &'a str {
    f.get(i).copied().unwrap_or("")
}

/// `hhmmss.ss` to seconds of the day.
fn time_of_day(s: &str) -> Result<f64, String> {
    let bad = || format!("time {s:?} is not hhmmss.ss");
    if s.len() < 6 || !s.is_char_boundary(2) || !s.is_char_boundary(4) {
        return Err(bad());
    }
    let h: f64 = s[..2].parse().map_err(|_| bad())?;
    let m: f64 = s[2..4].parse().map_err(|_| bad())?;
    let sec: f64 = s[4..].parse().map_err(|_| bad())?;
    if h >= 24.0 || m >= 60.0 || !(0.0..61.0).contains(&sec) {
        return Err(bad());
    }
    Ok(h * 3600.0 + m * 60.0 + sec)
}

/// `(d)ddmm.mmmm` + hemisphere to signed degrees.
fn angle(value: &str, hemi: &str, deg_digits: usize, pos: char, neg: char) -> Result<f64, String> {
    if value.is_empty() {
        return Err("empty position".into());
    }
    let bad = || format!("coordinate {value:?} is not (d)ddmm.mmmm");
    if value.len() < deg_digits + 2 || !value.is_char_boundary(deg_digits) {
        return Err(bad());
    }
    let d: f64 = value[..deg_digits].parse().map_err(|_| bad())?;
    let m: f64 = value[deg_digits..].parse().map_err(|_| bad())?;
    if !(0.0..60.0).contains(&m) {
        return Err(bad());
    }
    let v = d + m / 60.0;
    match hemi.chars().next() {
        Some(c) if c == pos => Ok(v),
        Some(c) if c == neg => Ok(-v),
        _ => Err(format!("hemisphere {hemi:?} is not {pos} or {neg}")),
    }
}

fn position(f: &[&str], at: usize) -> Result<(f64, f64), String> {
    let lat = angle(field(f, at), field(f, at + 1), 2, 'N', 'S')?;
    let lon = angle(field(f, at + 2), field(f, at + 3), 3, 'E', 'W')?;
    Ok((lon, lat))
}

/// `$--RMC,time,status,lat,N,lon,E,speed,course,ddmmyy,...`
fn rmc(f: &[&str]) -> Result<Part, String> {
    match field(f, 2) {
        "A" => {}
        "V" => return Err("status V (no valid fix)".into()),
        s => return Err(format!("status {s:?} is not A or V")),
    }
    let d = field(f, 9);
    let date = (d.len() == 6)
        .then(|| {
            let n = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u32>().ok());
            let (day, month, yy) = (n(0..2)?, n(2..4)?, n(4..6)?);
            let year = if yy < 80 { 2000 + yy } else { 1900 + yy };
            NaiveDate::from_ymd_opt(year as i32, month, day)
        })
        .flatten()
        .ok_or_else(|| format!("date {d:?} is not ddmmyy"))?;
    let course = field(f, 8);
    Ok(Part {
        tod: time_of_day(field(f, 1))?,
        date: Some(date),
        pos: position(f, 3)?,
        heading: if course.is_empty() {
            None
        } else {
            Some(
                course
                    .parse()
                    .map_err(|_| format!("course {course:?} is not a number"))?,
            )
        },
    })
}

/// `$--GGA,time,lat,N,lon,E,quality,sats,hdop,...`
fn gga(f: &[&str]) -> Result<Part, String> {
    match field(f, 6) {
        "0" => return Err("fix quality 0 (no fix)".into()),
        "" => return Err("empty fix quality".into()),
        _ => {}
    }
    Ok(Part {
        tod: time_of_day(field(f, 1))?,
        date: None,
        pos: position(f, 2)?,
        heading: None,
    })
}

/// `$--GNS,time,lat,N,lon,E,mode,sats,hdop,...`
fn gns(f: &[&str]) -> Result<Part, String> {
    let mode = field(f, 6);
    if mode.is_empty() || mode.chars().all(|c| c == 'N') {
        return Err(format!("mode {mode:?} (no fix)"));
    }
    Ok(Part {
        tod: time_of_day(field(f, 1))?,
        date: None,
        pos: position(f, 2)?,
        heading: None,
    })
}

fn merge(pending: &mut Vec<Pending>, p: Part, record: usize) {
    if let Some(last) = pending.last_mut()
        && last.tod == p.tod
    {
        last.date = last.date.or(p.date);
        last.heading = last.heading.or(p.heading);
        return;
    }
    pending.push(Pending {
        tod: p.tod,
        date: p.date,
        lon: p.pos.0,
        lat: p.pos.1,
        heading: p.heading,
        record,
    });
}

/// Gives each fix a date: its own (RMC), else the last one seen, else the first one ahead;
/// a time of day that falls back by more than 12 h without a new date is the next day.
fn date_fixes(pending: Vec<Pending>) -> Vec<Fix> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let first = pending.iter().find_map(|p| p.date).unwrap_or(epoch);
    let mut date = first;
    let mut last_tod: Option<f64> = None;
    pending
        .into_iter()
        .map(|p| {
            match p.date {
                Some(d) => date = d,
                None => {
                    if let Some(t) = last_tod
                        && p.tod < t - 43_200.0
                    {
                        date = date.succ_opt().unwrap_or(date);
                    }
                }
            }
            last_tod = Some(p.tod);
            let midnight = date
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .timestamp();
            Fix {
                time: midnight as f64 + p.tod,
                lon: p.lon,
                lat: p.lat,
                heading: p.heading,
                engaged: None,
                accuracy_m: None,
                record: p.record,
            }
        })
        .collect()
}
