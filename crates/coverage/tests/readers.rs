//! Track readers: each format, malformed records with their numbers, NMEA checksums, CSV
//! times, and the bad-fix filter on a read track.

use safeground_coverage::{CleanOptions, CoverageError, TrackFormat, clean, read_track};

/// An NMEA sentence with its checksum.
fn nmea(body: &str) -> String {
    let sum = body.bytes().fold(0u8, |a, b| a ^ b);
    format!("${body}*{sum:02X}")
}

#[test]
fn csv_with_aliases_epoch_and_iso_times() {
    let text = "Timestamp;Latitude;Lng;Course;Tool;HAcc\n\
        1700000000;12.0;105.0;90;1;0.02\n\
        2023-11-14T22:13:21Z;12.00001;105.00001;;off;\n\
        2023-11-14 22:13:22.5;12.00002;105.00002;;;\n\
        garbage;12;105;;;\n\
        1700000004;north;105;;;\n\
        1700000005;12.0;105.0;;maybe;\n";
    let t = read_track(text.as_bytes(), None).expect("csv");
    assert_eq!(t.fixes.len(), 3);
    let f = &t.fixes[0];
    assert_eq!((f.time, f.lat, f.lon), (1_700_000_000.0, 12.0, 105.0));
    assert_eq!(
        (f.heading, f.engaged, f.accuracy_m),
        (Some(90.0), Some(true), Some(0.02))
    );
    assert_eq!((f.record, t.fixes[1].record), (2, 3));
    assert_eq!(t.fixes[1].time, 1_700_000_001.0);
    assert_eq!(t.fixes[1].engaged, Some(false));
    assert_eq!(t.fixes[2].time, 1_700_000_002.5);
    assert_eq!(t.fixes[2].engaged, None);
    let lines: Vec<usize> = t.unreadable.iter().map(|u| u.0).collect();
    assert_eq!(lines, vec![5, 6, 7]);
    assert!(t.unreadable[0].1.contains("garbage"), "{:?}", t.unreadable);
    assert!(t.unreadable[1].1.contains("latitude"), "{:?}", t.unreadable);
    assert!(t.unreadable[2].1.contains("maybe"), "{:?}", t.unreadable);
}

#[test]
fn csv_without_a_time_column_names_what_it_expected() {
    let err = read_track(b"lat,lon\n1,2\n", Some(TrackFormat::Csv)).expect_err("no time");
    assert!(err.to_string().contains("time"), "{err}");
}

#[test]
fn gpx_points_with_extensions_and_malformed_points() {
    let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><trkseg>
  <trkpt lat="12.0" lon="105.0"><time>2023-11-14T22:13:20Z</time><hdop>0.8</hdop>
   <extensions><sg:engaged xmlns:sg="urn:x">true</sg:engaged></extensions></trkpt>
  <trkpt lat="12.00001" lon="105.00001"><time>2023-11-14T22:13:21.5Z</time></trkpt>
  <trkpt lat="x" lon="105.0"><time>2023-11-14T22:13:22Z</time></trkpt>
  <trkpt lat="12.0" lon="105.0"></trkpt>
  <trkpt lat="12.0" lon="105.0"/>
 </trkseg></trk>
</gpx>"#;
    let t = read_track(text.as_bytes(), None).expect("gpx");
    assert_eq!(t.fixes.len(), 2);
    assert_eq!(t.fixes[0].engaged, Some(true));
    assert_eq!(t.fixes[0].accuracy_m, None);
    assert_eq!(t.fixes[0].time, 1_700_000_000.0);
    assert_eq!(t.fixes[1].time, 1_700_000_001.5);
    assert_eq!(t.fixes[1].record, 2);
    let recs: Vec<usize> = t.unreadable.iter().map(|u| u.0).collect();
    assert_eq!(recs, vec![3, 4, 5], "{:?}", t.unreadable);
    assert!(t.unreadable[1].1.contains("<time>"));
}

#[test]
fn gpx_that_breaks_midway_keeps_what_was_read() {
    let text = "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"><time>1970-01-01T00:00:01Z</time></trkpt><trkpt lat=\"1\" lon=\"2\"><time></trkpt>";
    let t = read_track(text.as_bytes(), Some(TrackFormat::Gpx)).expect("partial gpx");
    assert_eq!(t.fixes.len(), 1);
    assert!(!t.unreadable.is_empty());
    assert!(matches!(
        read_track(b"<kml/>", Some(TrackFormat::Gpx)),
        Err(CoverageError::NotATrack(_))
    ));
}

#[test]
fn nmea_merges_epochs_verifies_checksums_and_lists_no_fix() {
    let lines = [
        nmea("GPGGA,221320.00,1200.0000,N,10500.0000,E,4,12,0.8,10.0,M,0.0,M,,"),
        nmea("GPRMC,221320.00,A,1200.0000,N,10500.0000,E,0.5,90.0,141123,,,A"),
        nmea("GPGSV,3,1,12"),
        nmea("GNGGA,221321.00,1200.0006,N,10500.0006,E,1,12,0.8,10.0,M,0.0,M,,"),
        "$GPRMC,221322.00,A,1200.0012,N,10500.0012,E,0.5,90.0,141123,,,A*00".to_string(),
        nmea("GPRMC,221323.00,V,,,,,,,141123,,,N"),
        nmea("GPGGA,221324.00,1200.0012,N,10500.0012,E,0,00,,,M,,M,,"),
        nmea("GNGNS,221325.00,1200.0018,S,10500.0018,W,RR,12,0.8,10.0,0.0,,"),
        "junk".to_string(),
    ];
    let t = read_track(lines.join("\r\n").as_bytes(), None).expect("nmea");
    assert_eq!(t.fixes.len(), 3, "{:?}", t);
    let f = &t.fixes[0];
    assert_eq!(
        (f.time, f.lat, f.lon, f.heading),
        (1_699_999_999.0 + 1.0, 12.0, 105.0, Some(90.0))
    );
    assert_eq!(f.record, 1);
    assert_eq!(t.fixes[1].time, 1_700_000_001.0);
    assert!((t.fixes[1].lat - (12.0 + 0.0006 / 60.0)).abs() < 1e-12);
    assert!(t.fixes[2].lat < 0.0 && t.fixes[2].lon < 0.0);
    let recs: Vec<usize> = t.unreadable.iter().map(|u| u.0).collect();
    assert_eq!(recs, vec![5, 6, 7, 9], "{:?}", t.unreadable);
    assert!(t.unreadable[0].1.contains("checksum"));
    assert!(t.unreadable[1].1.contains("V"));
    assert!(t.unreadable[2].1.contains("quality 0"));
}

#[test]
fn clean_counts_on_a_read_track() {
    let text = "time,lat,lon,accuracy\n\
        0,12.0,105.0,0.5\n\
        1,0,0,0.5\n\
        2,12.000005,105.0,12\n\
        3,12.00001,105.0,0.5\n\
        2,12.00001,105.0,0.5\n\
        3,12.00002,105.0,0.5\n\
        4,12.1,105.0,0.5\n\
        5,12.00002,105.0,0.5\n";
    let t = read_track(text.as_bytes(), None).expect("csv");
    let c = clean(t.fixes, &CleanOptions::default());
    let d = c.dropped;
    assert_eq!(
        (
            d.zero_zero,
            d.poor_accuracy,
            d.time_backwards,
            d.duplicate_time,
            d.speed_jump,
            d.out_of_range
        ),
        (1, 1, 1, 1, 1, 0)
    );
    let recs: Vec<usize> = c.fixes.iter().map(|f| f.record).collect();
    assert_eq!(recs, vec![2, 5, 9]);
    let json = serde_json::to_string(&d).expect("json");
    assert!(json.contains("\"speed_jump\":1"));
}

#[test]
fn not_a_track() {
    let err = read_track(b"PK\x03\x04 binary", None).expect_err("zip");
    assert!(err.to_string().contains("expected GPX"), "{err}");
}
