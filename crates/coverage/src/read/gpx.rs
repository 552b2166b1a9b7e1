//! GPX 1.1 tracks: `trkpt` elements with `lat`/`lon` attributes, `<time>`, and optionally
//! `<course>`/`<heading>`, an element named `engaged` (in `<extensions>` or not) and an
//! accuracy element (`accuracy`, `hacc`, in metres). `<hdop>` is not a distance and is not
//! turned into an accuracy.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{RawTrack, parse_flag, parse_num, parse_opt, parse_time};
use crate::{CoverageError, Fix};

#[derive(Default)]
struct Point {
    lat: Option<String>,
    lon: Option<String>,
    time: Option<String>,
    heading: Option<String>,
    engaged: Option<String>,
    accuracy: Option<String>,
}

fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

fn start_point(e: &BytesStart) -> Point {
    let mut p = Point::default();
    for a in e.attributes().flatten() {
        let v = a.value.to_string();
        match a.key.local_name().as_ref() {
            "lat" => p.lat = Some(v),
            "lon" => p.lon = Some(v),
            _ => {}
        }
    }
    p
}

fn finish(p: Point, record: usize) -> Result<Fix, String> {
    let lat = p.lat.ok_or("trkpt without a lat attribute")?;
    let lon = p.lon.ok_or("trkpt without a lon attribute")?;
    let time = p.time.ok_or("trkpt without <time>")?;
    Ok(Fix {
        time: parse_time(&time)?,
        lat: parse_num("latitude", &lat)?,
        lon: parse_num("longitude", &lon)?,
        heading: parse_opt("heading", p.heading.as_deref().unwrap_or(""))?,
        engaged: parse_flag(p.engaged.as_deref().unwrap_or(""))?,
        accuracy_m: parse_opt("accuracy", p.accuracy.as_deref().unwrap_or(""))?,
        record,
    })
}

pub(super) fn read(bytes: &[u8]) -> Result<RawTrack, CoverageError> {
    let mut reader = Reader::from_reader(bytes);
    let mut track = RawTrack::default();
    let mut point: Option<Point> = None;
    let (mut seen_gpx, mut count) = (false, 0usize);
    let mut element = String::new();
    let mut text = String::new();
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let reason = format!("XML error at byte {}: {e}", reader.error_position());
                if !seen_gpx {
                    return Err(CoverageError::Unreadable {
                        format: "GPX",
                        reason,
                    });
                }
                track.unreadable.push((count + 1, reason));
                break;
            }
        };
        match event {
            Event::Empty(e) if e.local_name().as_ref() == "trkpt" => {
                // <trkpt .../>: a point without a time.
                count += 1;
                match finish(start_point(&e), count) {
                    Ok(f) => track.fixes.push(f),
                    Err(r) => track.unreadable.push((count, r)),
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "trkpt" => {
                count += 1;
                point = Some(start_point(&e));
            }
            Event::Start(e) => {
                if e.local_name().as_ref() == "gpx" {
                    seen_gpx = true;
                }
                element = local(&e);
                text.clear();
            }
            Event::Empty(e) if e.local_name().as_ref() == "gpx" => seen_gpx = true,
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c),
            Event::End(e) => {
                let name = e.local_name();
                if name.as_ref() == "trkpt" {
                    if let Some(p) = point.take() {
                        match finish(p, count) {
                            Ok(f) => track.fixes.push(f),
                            Err(r) => track.unreadable.push((count, r)),
                        }
                    }
                } else if let Some(p) = point.as_mut() {
                    let value = Some(text.trim().to_string());
                    match element.to_ascii_lowercase().as_str() {
                        "time" => p.time = value,
                        "course" | "heading" => p.heading = value,
                        "engaged" | "tool_engaged" | "working" => p.engaged = value,
                        "accuracy" | "accuracy_m" | "hacc" => p.accuracy = value,
                        _ => {}
                    }
                }
                element.clear();
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_gpx {
        return Err(CoverageError::NotATrack(
            "expected a GPX document (<gpx> root element)".into(),
        ));
    }
    Ok(track)
}
