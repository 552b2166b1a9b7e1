//! Evidence through the HTTP API: orthophotos and their raster tiles, detections triaged by
//! people (a confirmation is an EO find in a report submitted for approval), detector metrics,
//! and machine tracks measured as processed area (never as cleared).

mod common;

use axum::http::Method;
use common::{Fixture, tile_of};
use serde_json::Value;

/// Decodes a PNG: (width, height, RGBA bytes).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("unexpected colour type {other:?}"),
    };
    (info.width, info.height, rgba)
}

#[tokio::test]
async fn orthophotos_are_listed_tiled_and_bad_files_refused() {
    let f = Fixture::new();
    f.add_evidence();
    let list = f
        .get("/api/orthophotos", Some("viewer"))
        .await
        .expect(200)
        .json();
    let o = &list[0];
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let epsg = o["epsg"].as_u64().expect("epsg");
    assert!((32601..=32660).contains(&epsg), "a UTM zone: {epsg}");
    assert_eq!(o["footprint"]["type"], "Polygon");
    let bbox: Vec<f64> = serde_json::from_value(o["bbox"].clone()).expect("bbox");
    let (lon, lat) = ((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);
    let id = o["id"].as_i64().expect("id");
    let maxzoom = u8::try_from(o["maxzoom"].as_u64().expect("maxzoom")).expect("zoom");
    let minzoom = u8::try_from(o["minzoom"].as_u64().expect("minzoom")).expect("zoom");
    assert!(minzoom <= 16 && maxzoom >= 18, "{minzoom}–{maxzoom}");
    // A tile at the image's centre is drawn from it: 256 px, opaque where the image is.
    for z in [16, 18] {
        let (x, y) = tile_of(lon, lat, z);
        let reply = f
            .get(
                &format!("/api/orthophotos/{id}/tiles/{z}/{x}/{y}"),
                Some("viewer"),
            )
            .await
            .expect(200);
        assert_eq!(reply.header("content-type").as_deref(), Some("image/png"));
        let (w, h, rgba) = decode_png(&reply.bytes);
        assert_eq!((w, h), (256, 256));
        let n = f64::from(1u32 << z);
        let px = (((lon + 180.0) / 360.0 * n).fract() * 256.0) as usize;
        let lat_r = lat.to_radians();
        let py = (((1.0 - (lat_r.tan() + 1.0 / lat_r.cos()).ln() / std::f64::consts::PI) / 2.0 * n)
            .fract()
            * 256.0) as usize;
        assert_eq!(
            rgba[(py * 256 + px) * 4 + 3],
            255,
            "z{z}: the centre is drawn"
        );
    }
    // Far from the image: nothing to draw.
    let (x, y) = tile_of(lon + 1.0, lat, 18);
    f.get(
        &format!("/api/orthophotos/{id}/tiles/18/{x}/{y}"),
        Some("viewer"),
    )
    .await
    .expect(204);
    f.get("/api/orthophotos/999/tiles/18/1/1", Some("viewer"))
        .await
        .expect(404);
    f.get(
        &format!("/api/orthophotos/{id}/tiles/3/9/1"),
        Some("viewer"),
    )
    .await
    .expect(404);
    // A file that is not a GeoTIFF is refused on `file`; nothing is kept.
    let folder = f.path.with_extension("evidence").join("orthophotos");
    let files = || std::fs::read_dir(&folder).expect("folder").count();
    assert_eq!(files(), 1);
    let reply = f
        .raw(
            Method::POST,
            "/api/orthophotos?name=Not%20a%20picture",
            Some("approver"),
            &[("content-type", "image/tiff")],
            b"II*\0 this is no TIFF".to_vec(),
        )
        .await
        .expect(422);
    assert_eq!(
        reply.json()["errors"][0]["field"],
        "file",
        "{:?}",
        reply.json()
    );
    assert_eq!(files(), 1);
    // The same GeoTIFF again is a second orthophoto over the same stored file; a hazard that
    // does not exist is refused.
    let tif = std::fs::read(
        std::fs::read_dir(&folder)
            .expect("folder")
            .next()
            .expect("a file")
            .expect("entry")
            .path(),
    )
    .expect("bytes");
    let reply = f
        .raw(
            Method::POST,
            "/api/orthophotos?name=Again&hazards=NO-SUCH-HAZARD",
            Some("approver"),
            &[("content-type", "image/tiff")],
            tif.clone(),
        )
        .await
        .expect(422);
    assert_eq!(reply.json()["errors"][0]["field"], "hazards[0]");
    // A hazard named by its item id is kept by its local id, as the demo's are.
    let hazard = &f
        .get("/api/hazards?limit=1", Some("viewer"))
        .await
        .expect(200)
        .json()["hazards"][0];
    let (item, local) = (
        hazard["id"].as_str().expect("id"),
        hazard["local_id"].as_str().expect("local id"),
    );
    assert_ne!(item, local);
    let added = f
        .raw(
            Method::POST,
            &format!("/api/orthophotos?name=Again&captured_on=2026-11-30&hazards={item}"),
            Some("approver"),
            &[("content-type", "image/tiff")],
            tif.clone(),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(added["hazards"], serde_json::json!([local]));
    let demo_hazards = o["hazards"].as_array().expect("hazards");
    assert!(!demo_hazards.is_empty());
    for h in demo_hazards {
        let found = f
            .get(
                &format!("/api/hazards?q={}", h.as_str().expect("id")),
                Some("viewer"),
            )
            .await
            .expect(200)
            .json();
        assert_eq!(
            found["hazards"][0]["local_id"], *h,
            "the demo names {h} by local id"
        );
    }
    assert_eq!(added["name"], "Again");
    assert_eq!(added["sha256"], o["sha256"]);
    assert_eq!(files(), 1, "stored once under its SHA-256");
    assert!(
        o.get("datum_shift").is_none(),
        "WGS 84 / UTM needs no datum shift"
    );
    // An image on Indian 1975 (Thailand's legacy datum) says which fixed shift placed it.
    let legacy = tempfile::NamedTempFile::new().expect("temp");
    let grey = vec![128u8; 32 * 32 * 3];
    safeground_orthophoto::write_geotiff(
        legacy.path(),
        32,
        32,
        &grey,
        24047,
        [700_000.0, 0.5, 0.0, 1_500_000.0, 0.0, -0.5],
    )
    .expect("write");
    let shifted = f
        .raw(
            Method::POST,
            "/api/orthophotos?name=Indian%201975",
            Some("approver"),
            &[("content-type", "image/tiff")],
            std::fs::read(legacy.path()).expect("bytes"),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(shifted["epsg"], 24047);
    assert_eq!(shifted["datum_shift"], "210,814,289,0,0,0,0");
    f.raw(Method::POST, "/api/orthophotos", Some("viewer"), &[], tif)
        .await
        .expect(403);
}

#[tokio::test]
async fn detections_are_triaged_by_people_and_measured() {
    let f = Fixture::new();
    let demo = f.add_evidence();
    let pending = f
        .get("/api/detections?verdict=pending", Some("reviewer"))
        .await
        .expect(200)
        .json();
    let items = pending["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), demo.detections - demo.verdicts);
    let confidences: Vec<f64> = items
        .iter()
        .map(|d| d["confidence"].as_f64().expect("c"))
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] >= w[1]),
        "most confident first"
    );
    let first = items[0]["id"].as_i64().expect("id");
    // The chip: a square PNG around it.
    let chip = f
        .get(&format!("/api/detections/{first}/chip"), Some("reviewer"))
        .await
        .expect(200);
    let (w, h, _) = decode_png(&chip.bytes);
    assert_eq!((w, h), (256, 256));
    // Only reviewers and approvers judge; a confirmation names the category.
    let verdict = |v: Value| v;
    f.post(
        &format!("/api/detections/{first}/verdict"),
        Some("halo-entry"),
        &verdict(serde_json::json!({"verdict": "false_positive"})),
    )
    .await
    .expect(403);
    let reply = f
        .post(
            &format!("/api/detections/{first}/verdict"),
            Some("reviewer"),
            &serde_json::json!({"verdict": "confirmed"}),
        )
        .await
        .expect(422);
    assert_eq!(reply.json()["errors"][0]["field"], "category");
    f.post(
        &format!("/api/detections/{first}/verdict"),
        Some("reviewer"),
        &serde_json::json!({"verdict": "confirmed", "eo_find": "NO-SUCH-FIND"}),
    )
    .await
    .expect(422);
    // Confirmed: an EO find at the detection, in a report submitted for approval.
    let judged = f
        .post(
            &format!("/api/detections/{first}/verdict"),
            Some("reviewer"),
            &serde_json::json!({"verdict": "confirmed", "category": "ap_mine", "quantity": 2, "note": "PMN-2 seen"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(judged["verdict"], "confirmed");
    assert_eq!(judged["verdict_by"], "reviewer");
    let report = judged["report"].as_i64().expect("a report");
    let r = f
        .get(&format!("/api/reports/{report}"), Some("approver"))
        .await
        .expect(200)
        .json();
    assert_eq!(r["status"], "submitted");
    let find = &r["entries"][0]["record"];
    assert_eq!(find["kind"], "eo_find");
    assert_eq!(find["category"], "ap_mine");
    assert_eq!(find["quantity"], 2);
    assert_eq!(find["local_id"], judged["eo_find"]);
    let at = &find["location"]["coordinates"];
    assert!((at[0].as_f64().expect("lon") - items[0]["lon"].as_f64().expect("lon")).abs() < 1e-9);
    // A detection is judged once.
    f.post(
        &format!("/api/detections/{first}/verdict"),
        Some("approver"),
        &serde_json::json!({"verdict": "false_positive"}),
    )
    .await
    .expect(409);
    let second = items[1]["id"].as_i64().expect("id");
    f.post(
        &format!("/api/detections/{second}/verdict"),
        Some("reviewer"),
        &serde_json::json!({"verdict": "false_positive", "note": "a stone"}),
    )
    .await
    .expect(200);
    // The metrics count them: precision is confirmed / (confirmed + false positives).
    let all = f
        .get("/api/detections?limit=1000", Some("viewer"))
        .await
        .expect(200)
        .json();
    let count = |v: &str| {
        all["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|d| d["verdict"] == v)
            .count()
    };
    let metrics = f
        .get("/api/detections/metrics", Some("viewer"))
        .await
        .expect(200)
        .json();
    let star = metrics["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["class"] == "*")
        .expect("an all-classes row")
        .clone();
    assert_eq!(star["confirmed"].as_u64(), Some(count("confirmed") as u64));
    assert_eq!(
        star["false_positive"].as_u64(),
        Some(count("false_positive") as u64)
    );
    let expected =
        count("confirmed") as f64 / (count("confirmed") + count("false_positive")) as f64;
    assert!((star["precision"].as_f64().expect("precision") - expected).abs() < 1e-12);
    assert!(
        star["finds_in_footprint"].as_u64().expect("finds")
            >= star["finds_matched"].as_u64().expect("matched")
    );
    assert_eq!(star["calibration"].as_array().map(Vec::len), Some(10));
}

#[tokio::test]
async fn detector_output_is_georeferenced_and_bad_records_left_out() {
    let f = Fixture::new();
    f.add_evidence();
    let o = f
        .get("/api/orthophotos", Some("viewer"))
        .await
        .expect(200)
        .json()[0]
        .clone();
    let id = o["id"].as_i64().expect("id");
    // YOLO in the image's pixels: one kept, one outside the image, one malformed line.
    let yolo = "0 0.5 0.5 0.01 0.01 0.77\n1 1.7 0.5 0.01 0.01 0.66\n0 0.5 nonsense\n";
    let reply = f
        .raw(
            Method::POST,
            &format!("/api/detections?orthophoto={id}&format=yolo&model=thermal-net&model_version=2.1&classes=mine,uxo&file_name=run.txt"),
            Some("approver"),
            &[],
            yolo.as_bytes().to_vec(),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(reply["run"]["count"], 1, "{reply}");
    assert_eq!(reply["run"]["model"], "thermal-net");
    let dropped: Vec<u64> = reply["dropped"]
        .as_array()
        .expect("dropped")
        .iter()
        .map(|d| d["record"].as_u64().expect("record"))
        .collect();
    assert_eq!(dropped, [2, 3], "{reply}");
    // The kept one is at the image's centre.
    let listed = f
        .get("/api/detections?model=thermal-net", Some("viewer"))
        .await
        .expect(200)
        .json();
    let d = &listed["items"][0];
    let bbox: Vec<f64> = serde_json::from_value(o["bbox"].clone()).expect("bbox");
    assert!(d["lon"].as_f64().expect("lon") > bbox[0] && d["lon"].as_f64().expect("lon") < bbox[2]);
    assert!(d["lat"].as_f64().expect("lat") > bbox[1] && d["lat"].as_f64().expect("lat") < bbox[3]);
    assert_eq!(d["class"], "mine");
    // Pixels without the image they are in, or a detector's output without confidences: refused
    // whole, nothing stored.
    f.raw(
        Method::POST,
        "/api/detections?format=yolo&model=m&model_version=1",
        Some("approver"),
        &[],
        yolo.as_bytes().to_vec(),
    )
    .await
    .expect(422);
    f.raw(
        Method::POST,
        &format!("/api/detections?orthophoto={id}&format=yolo&model=m&model_version=1"),
        Some("approver"),
        &[],
        b"0 0.5 0.5 0.01 0.01\n".to_vec(),
    )
    .await
    .expect(422);
    let runs_of_m = f
        .get("/api/detections?model=m", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(runs_of_m["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_track_is_processed_area_with_bad_fixes_counted() {
    let f = Fixture::new();
    f.add_evidence();
    let tracks = f
        .get("/api/tracks", Some("viewer"))
        .await
        .expect(200)
        .json();
    let demo = &tracks[0];
    assert!(demo["coverage_pct"].as_f64().expect("coverage") > 90.0);
    assert_eq!(demo["dropped"]["zero_zero"], 1);
    let id = demo["id"].as_i64().expect("id");
    let map = f
        .get(&format!("/api/tracks/{id}"), Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(map["task"]["type"], "MultiPolygon");
    assert_eq!(map["line"]["type"], "MultiLineString");
    // Beside the processed area, what the approved report says was cleared.
    let cleared = map["activity_cleared_m2"]
        .as_f64()
        .expect("the activity's cleared area");
    assert!(cleared > 0.0, "{cleared}");
    assert!(matches!(map["gaps"]["type"].as_str(), Some("MultiPolygon")));
    // A straight 10 m pass of a 1.5 m tool inside the task: 15 m² processed, and a fix at 0,0,
    // one back in time and an unreadable line are named, not used.
    let task: geo_types::MultiPolygon<f64> = {
        let g: geojson::Geometry = serde_json::from_value(map["task"].clone()).expect("geojson");
        geo_types::MultiPolygon::try_from(g.value).expect("multipolygon")
    };
    let p = geo::InteriorPoint::interior_point(&task).expect("inside");
    let east = |m: f64| p.x() + m / (111_320.0 * p.y().to_radians().cos());
    let mut csv = String::from("time,lat,lon,engaged\n");
    for i in 0..=20 {
        csv += &format!(
            "2026-11-30T08:00:{i:02}Z,{},{},1\n",
            p.y(),
            east(-5.0 + f64::from(i) * 0.5)
        );
        if i == 10 {
            csv += &format!(
                "2026-11-30T08:00:10Z,0,0,1\n2026-11-30T07:59:00Z,{},{},1\nnot,a,fix,at all\n",
                p.y(),
                east(0.0)
            );
        }
    }
    let activity = demo["activity"].as_str().expect("activity");
    let reply = f
        .raw(
            Method::POST,
            &format!("/api/tracks?activity={activity}&machine=Robot%20R2&kind=robot&working_width_m=1.5&file_name=r2.csv"),
            Some("approver"),
            &[],
            csv.into_bytes(),
        )
        .await
        .expect(201)
        .json();
    let t = &reply["track"];
    assert_eq!(t["fixes_used"], 21, "{reply}");
    assert_eq!(t["dropped"]["zero_zero"], 1, "{reply}");
    assert_eq!(t["dropped"]["time_backwards"], 1, "{reply}");
    // Line 15: the header, 11 fixes, the two bad ones, then it.
    assert_eq!(reply["unreadable"][0]["record"], 15, "{reply}");
    let processed =
        t["processed_m2"].as_f64().expect("m2") + t["processed_outside_m2"].as_f64().expect("m2");
    assert!((processed - 15.0).abs() < 0.15, "10 m × 1.5 m: {processed}");
    // Refusals name the field.
    for (query, field) in [
        ("activity=NO-SUCH&machine=M&working_width_m=1.5", "activity"),
        (
            &format!("activity={activity}&machine=M&working_width_m=0") as &str,
            "working_width_m",
        ),
        (
            &format!("activity={activity}&machine=M&working_width_m=1&kind=drone"),
            "kind",
        ),
    ] {
        let r = f
            .raw(
                Method::POST,
                &format!("/api/tracks?{query}"),
                Some("approver"),
                &[],
                b"time,lat,lon\n".to_vec(),
            )
            .await
            .expect(422);
        assert_eq!(r.json()["errors"][0]["field"], field);
    }
    f.raw(
        Method::POST,
        &format!("/api/tracks?activity={activity}&machine=M&working_width_m=1"),
        Some("viewer"),
        &[],
        Vec::new(),
    )
    .await
    .expect(403);
}
