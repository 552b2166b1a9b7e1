//! Each reader against a fake georeferenced image, with the records it must drop and the files
//! it must refuse.

use safeground_detection::{
    DetectionError, DetectionFormat, Detections, ImageGeoreference, ReadOptions, read_detections,
};

/// 4000 × 3000 px, north-up, 1e-6 degree pixels, top-left corner at (103.2, 13.1).
struct Affine;

impl ImageGeoreference for Affine {
    fn size(&self) -> (u32, u32) {
        (4000, 3000)
    }
    fn pixel_to_wgs84(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        Some((103.2 + px * 1e-6, 13.1 - py * 1e-6))
    }
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn opts<'a>(classes: Option<&'a [String]>) -> ReadOptions<'a> {
    ReadOptions {
        model: Some("mine-yolo"),
        model_version: Some("3.1"),
        classes,
        image: Some(&Affine),
        min_confidence: 0.0,
    }
}

fn read(bytes: &str, f: Option<DetectionFormat>, o: &ReadOptions) -> Detections {
    read_detections(bytes.as_bytes(), f, o).unwrap_or_else(|e| panic!("{e}"))
}

fn reasons(d: &Detections) -> Vec<(usize, &str)> {
    d.dropped
        .iter()
        .map(|x| (x.record, x.reason.as_str()))
        .collect()
}

const GEOJSON: &str = r#"{"type":"FeatureCollection","model":"thermal-net","model_version":"0.9","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[103.2001,13.0999]},"properties":{"class":"PMN-2","confidence":0.91}},
 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[103.2,13.0],[103.2002,13.0],[103.2002,13.0002],[103.2,13.0002],[103.2,13.0]]]},"properties":{"label":"UXO","score":0.5}},
 {"type":"Feature","geometry":null,"properties":{"class":"UXO","confidence":0.7}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[103.2,13.1]},"properties":{"confidence":0.7}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[103.2,13.1]},"properties":{"name":"UXO","probability":1.7e300}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[500000.0,1450000.0]},"properties":{"category":"UXO","confidence":0.6}},
 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[103.2,13.1],[103.3,13.1]]},"properties":{"class":"UXO","confidence":0.6}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[103.2,13.1]},"properties":{"class":7,"confidence":0.05}}
]}"#;

#[test]
fn geojson_points_polygons_and_drops() {
    let no_model = ReadOptions::default();
    let d = read(GEOJSON, None, &no_model);
    assert_eq!(d.format, DetectionFormat::GeoJson);
    assert_eq!(
        (d.model.as_str(), d.model_version.as_str()),
        ("thermal-net", "0.9")
    );
    assert_eq!(d.items.len(), 3);
    let (p, poly) = (&d.items[0], &d.items[1]);
    assert_eq!(
        (p.class.as_str(), p.confidence, p.lon, p.lat, p.record),
        ("PMN-2", 0.91, 103.2001, 13.0999, 1)
    );
    assert!(p.footprint.is_none() && p.pixel_bbox.is_none());
    // The polygon's location is its centroid.
    assert_eq!((poly.class.as_str(), poly.record), ("UXO", 2));
    assert!(near(poly.lon, 103.2001) && near(poly.lat, 13.0001) && poly.footprint.is_some());
    // A numeric class is kept as text.
    assert_eq!((d.items[2].class.as_str(), d.items[2].record), ("7", 8));
    let r = reasons(&d);
    assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [3, 4, 5, 6, 7]);
    assert_eq!(r[0].1, "no geometry");
    assert!(r[1].1.starts_with("no class"), "{}", r[1].1);
    assert!(r[2].1.contains("outside 0..1"), "{}", r[2].1);
    assert!(r[3].1.contains("not WGS84"), "{}", r[3].1);
    assert!(r[4].1.contains("LineString not supported"), "{}", r[4].1);

    // The options win over the file, and the minimum confidence drops record 8.
    let o = ReadOptions {
        min_confidence: 0.1,
        ..opts(None)
    };
    let d = read(GEOJSON, Some(DetectionFormat::GeoJson), &o);
    assert_eq!(
        (d.model.as_str(), d.model_version.as_str()),
        ("mine-yolo", "3.1")
    );
    assert_eq!(d.items.len(), 2);
    assert!(reasons(&d).contains(&(8, "confidence 0.05 below the minimum 0.1")));
}

#[test]
fn geojson_without_model_is_refused() {
    let file = GEOJSON.replace(r#""model":"thermal-net","model_version":"0.9","#, "");
    let err = read_detections(file.as_bytes(), None, &ReadOptions::default());
    assert_eq!(err, Err(DetectionError::NoModel));
    let msg = DetectionError::NoModel.to_string();
    assert_eq!(msg, "name the model: --model NAME --model-version V");
    // Model named but no version: still refused.
    let o = ReadOptions {
        model: Some("m"),
        ..Default::default()
    };
    assert_eq!(
        read_detections(file.as_bytes(), None, &o),
        Err(DetectionError::NoModel)
    );
}

#[test]
fn geojson_with_feature_models_that_disagree_is_refused() {
    let file = r#"{"type":"FeatureCollection","features":[
     {"type":"Feature","geometry":{"type":"Point","coordinates":[103.2,13.1]},"properties":{"class":"a","confidence":0.5,"model":"x","version":"1"}},
     {"type":"Feature","geometry":{"type":"Point","coordinates":[103.2,13.1]},"properties":{"class":"a","confidence":0.5,"model":"y","version":"1"}}]}"#;
    let err = read_detections(file.as_bytes(), None, &ReadOptions::default());
    assert!(
        matches!(&err, Err(DetectionError::Format(m)) if m.contains("mixes model")),
        "{err:?}"
    );
    // Named on the command line, the file's own names do not matter.
    assert_eq!(read(file, None, &opts(None)).items.len(), 2);
}

#[test]
fn percent_confidences_are_refused_with_a_hint() {
    let geo = r#"{"type":"FeatureCollection","features":[
     {"type":"Feature","geometry":{"type":"Point","coordinates":[103.2,13.1]},"properties":{"class":"a","confidence":0.5}},
     {"type":"Feature","geometry":{"type":"Point","coordinates":[103.2,13.1]},"properties":{"class":"a","confidence":87}}]}"#;
    let err = read_detections(geo.as_bytes(), None, &opts(None));
    assert_eq!(
        err,
        Err(DetectionError::Percent {
            record: 2,
            value: 87.0
        })
    );
    let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("divide by 100"), "{msg}");

    let yolo = "0 0.5 0.5 0.1 0.1 91\n0 0.5 0.5 0.1 0.1 45.5\n";
    let err = read_detections(yolo.as_bytes(), None, &opts(None));
    assert_eq!(
        err,
        Err(DetectionError::Percent {
            record: 1,
            value: 91.0
        })
    );

    let coco = r#"[{"image_id":1,"category_id":0,"bbox":[10,10,5,5],"score":55}]"#;
    let err = read_detections(coco.as_bytes(), None, &opts(None));
    assert!(
        matches!(err, Err(DetectionError::Percent { record: 1, .. })),
        "{err:?}"
    );
}

#[test]
fn coco_results_array_georeferenced() {
    let classes = ["PMN-2".to_string(), "UXO".to_string()];
    let file = r#"[
      {"image_id":7,"category_id":1,"bbox":[100,200,50,40],"score":0.8},
      {"image_id":7,"category_id":0,"bbox":[3990,10,40,40],"score":0.6},
      {"image_id":7,"category_id":5,"bbox":[10,10,5,5],"score":0.6},
      {"image_id":7,"category_id":0,"bbox":[10,10,5],"score":0.6},
      {"image_id":7,"category_id":0,"bbox":[5000,4000,5,5],"score":0.6}]"#;
    let d = read(file, None, &opts(Some(&classes)));
    assert_eq!(d.format, DetectionFormat::Coco);
    assert_eq!(d.items.len(), 1);
    let x = &d.items[0];
    assert_eq!((x.class.as_str(), x.confidence, x.record), ("UXO", 0.8, 1));
    assert_eq!(x.pixel_bbox, Some([100.0, 200.0, 50.0, 40.0]));
    // Centre (125, 220) px.
    assert!(near(x.lon, 103.2 + 125e-6) && near(x.lat, 13.1 - 220e-6));
    let fp = x
        .footprint
        .as_ref()
        .map(|p| p.exterior().0.clone())
        .unwrap_or_default();
    assert_eq!(fp.len(), 5);
    assert!(near(fp[0].x, 103.2001) && near(fp[0].y, 13.0998));
    assert!(near(fp[2].x, 103.2 + 150e-6) && near(fp[2].y, 13.1 - 240e-6));
    let r = reasons(&d);
    assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [2, 3, 4, 5]);
    assert!(r[0].1.contains("its centre lies outside"), "{}", r[0].1);
    assert!(r[1].1.contains("unknown class id 5"), "{}", r[1].1);
    assert!(r[2].1.contains("not [x, y, w, h]"), "{}", r[2].1);
    assert!(r[3].1.contains("whole box lies outside"), "{}", r[3].1);

    // Without names the category id is the class.
    assert_eq!(read(file, None, &opts(None)).items[0].class, "1");
}

const DATASET: &str = r#"{"images":[{"id":1,"file_name":"a.jpg","width":640,"height":480},
  {"id":2,"file_name":"ortho.tif","width":4000,"height":3000}],
 "categories":[{"id":1,"name":"PMN-2"},{"id":2,"name":"UXO"}],
 "info":{"model":"coco-det","model_version":"2"},
 "annotations":[
  {"id":1,"image_id":1,"category_id":1,"bbox":[1,1,2,2],"score":0.9},
  {"id":2,"image_id":2,"category_id":2,"bbox":[0,0,20,20],"score":0.7},
  {"id":3,"image_id":2,"category_id":9,"bbox":[0,0,20,20],"score":0.7}]}"#;

#[test]
fn coco_dataset_picks_the_image_of_the_orthophoto_size() {
    let d = read(
        DATASET,
        None,
        &ReadOptions {
            model: None,
            model_version: None,
            ..opts(None)
        },
    );
    assert_eq!(
        (d.model.as_str(), d.model_version.as_str()),
        ("coco-det", "2")
    );
    assert_eq!(d.items.len(), 1);
    assert_eq!((d.items[0].class.as_str(), d.items[0].record), ("UXO", 2));
    let r = reasons(&d);
    assert_eq!(r[0], (1, "on image 1, not the orthophoto (image 2)"));
    assert!(r[1].1.contains("unknown category id 9"), "{}", r[1].1);

    // Two images of the orthophoto's size: which one cannot be told.
    let same = DATASET.replace(
        r#""width":640,"height":480"#,
        r#""width":4000,"height":3000"#,
    );
    let err = read_detections(same.as_bytes(), None, &opts(None));
    assert!(
        matches!(&err, Err(DetectionError::Image(m)) if m.contains("ambiguous")),
        "{err:?}"
    );

    // None of its size: the sizes are listed.
    let none = DATASET.replace(
        r#""width":4000,"height":3000"#,
        r#""width":4001,"height":3000"#,
    );
    let err = read_detections(none.as_bytes(), None, &opts(None));
    assert!(
        matches!(&err, Err(DetectionError::Image(m)) if m.contains("640×480")),
        "{err:?}"
    );

    // A results array over several images cannot be placed either.
    let multi = r#"[{"image_id":1,"category_id":0,"bbox":[1,1,2,2],"score":0.5},
                    {"image_id":2,"category_id":0,"bbox":[1,1,2,2],"score":0.5}]"#;
    let err = read_detections(multi.as_bytes(), None, &opts(None));
    assert!(
        matches!(&err, Err(DetectionError::Image(m)) if m.contains("2 images")),
        "{err:?}"
    );
}

#[test]
fn coco_without_scores_or_image_is_refused() {
    let truth = DATASET.replace(r#","score":0.7}"#, "}");
    let err = read_detections(truth.as_bytes(), None, &opts(None));
    assert!(
        matches!(err, Err(DetectionError::NoConfidence { record: 2, .. })),
        "{err:?}"
    );
    let no_image = ReadOptions {
        image: None,
        ..opts(None)
    };
    let err = read_detections(DATASET.as_bytes(), None, &no_image);
    assert_eq!(err, Err(DetectionError::NoImage));
    assert_eq!(
        DetectionError::NoImage.to_string(),
        "COCO/YOLO are in pixels: name the orthophoto they were run on"
    );
}

#[test]
fn yolo_lines() {
    let classes = ["PMN-2".to_string(), "UXO".to_string()];
    let file = "# model output\n\
                1 0.25 0.5 0.01 0.02 0.88\n\
                0 0.5 0.5 0.01 0.01\u{20}0.4\n\
                \n\
                0 0.5 abc 0.01 0.01 0.4\n\
                3 0.5 0.5 0.01 0.01 0.4\n\
                0 1.2 0.5 0.01 0.01 0.4\n\
                0 0.5 0.5 0.01 0.01 NaN\n\
                0 0.5 0.5 0.01 0.01 0.4 7\n";
    let d = read(file, None, &opts(Some(&classes)));
    assert_eq!(d.format, DetectionFormat::Yolo);
    assert_eq!(d.items.len(), 2);
    let x = &d.items[0];
    assert_eq!((x.class.as_str(), x.confidence, x.record), ("UXO", 0.88, 2));
    // cx 0.25 × 4000 = 1000 px, cy 0.5 × 3000 = 1500 px; box 40 × 60 px.
    assert!(near(x.lon, 103.201) && near(x.lat, 13.0985));
    let b = x.pixel_bbox.unwrap_or_default();
    assert!(near(b[0], 980.0) && near(b[1], 1470.0) && near(b[2], 40.0) && near(b[3], 60.0));
    let r = reasons(&d);
    assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [5, 6, 7, 8, 9]);
    assert_eq!(r[0].1, "line 5: `abc` is not a number");
    assert!(
        r[1].1.starts_with("line 6: unknown class id 3"),
        "{}",
        r[1].1
    );
    assert!(r[2].1.starts_with("line 7: box centre"), "{}", r[2].1);
    assert!(r[3].1.contains("not a number"), "{}", r[3].1);
    assert!(
        r[4].1
            .starts_with("line 9: expected `class cx cy w h conf`, got 7 fields"),
        "{}",
        r[4].1
    );

    // Without names the id is the class.
    assert_eq!(
        read(file, Some(DetectionFormat::Yolo), &opts(None)).items[0].class,
        "1"
    );
}

#[test]
fn yolo_without_confidence_names_the_line() {
    let file = "0 0.5 0.5 0.1 0.1 0.9\n\n1 0.5 0.5 0.1 0.1\n";
    let err = read_detections(file.as_bytes(), None, &opts(None));
    assert!(
        matches!(err, Err(DetectionError::NoConfidence { record: 3, .. })),
        "{err:?}"
    );
    let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.starts_with("record 3: no confidence"), "{msg}");
    let err = read_detections(b"0 0.5 0.5 0.1 0.1 0.9", None, &ReadOptions::default());
    assert_eq!(err, Err(DetectionError::NoImage));
}

#[test]
fn format_names_and_bad_files() {
    assert_eq!(
        "COCO".parse::<DetectionFormat>().ok(),
        Some(DetectionFormat::Coco)
    );
    assert_eq!(
        "geojson".parse::<DetectionFormat>().ok(),
        Some(DetectionFormat::GeoJson)
    );
    assert_eq!(
        "yolo".parse::<DetectionFormat>().ok(),
        Some(DetectionFormat::Yolo)
    );
    assert!("kml".parse::<DetectionFormat>().is_err());
    assert!(matches!(
        read_detections(b"  \n", None, &opts(None)),
        Err(DetectionError::Format(_))
    ));
    assert!(matches!(
        read_detections(b"{\"a\":1}", None, &opts(None)),
        Err(DetectionError::Format(_))
    ));
    assert!(matches!(
        read_detections(b"{oops", None, &opts(None)),
        Err(DetectionError::Format(_))
    ));
    assert!(matches!(
        read_detections(
            b"{\"annotations\":[]}",
            Some(DetectionFormat::Yolo),
            &opts(None)
        ),
        Err(DetectionError::Format(_))
    ));
    let projected = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},"features":[]}"#;
    let err = read_detections(projected.as_bytes(), None, &opts(None));
    assert!(
        matches!(&err, Err(DetectionError::Format(m)) if m.contains("32648")),
        "{err:?}"
    );
}

#[test]
fn detections_serialise_with_geojson_footprints() {
    let file = r#"[{"image_id":7,"category_id":1,"bbox":[100,200,50,40],"score":0.8}]"#;
    let d = read(file, None, &opts(None));
    let json = serde_json::to_value(&d).unwrap_or_default();
    assert_eq!(json["format"], "coco");
    assert_eq!(json["items"][0]["footprint"]["type"], "Polygon");
    let back: Detections = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, d);
}
