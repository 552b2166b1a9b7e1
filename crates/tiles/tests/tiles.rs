//! Tiles decoded with geozero's protobuf types and an independent command-stream decoder:
//! feature selection, buffer, properties, ids, winding, generalisation, clipping, errors.

mod support;

use geo_types::{Coord, Geometry, LineString, Point, Polygon};
use geozero::mvt::tile::GeomType;
use geozero::mvt::tile::Value;
use safeground_tiles::{LayerIndex, PropertyValue, TileError, TileFeature, encode_tile};
use support::{at, count, decode_geometry, geometries, layer, square, tile, tile_of, twice_area};

/// Tile z14 over Phnom Penh and its zoom.
const Z: u8 = 14;
fn home() -> (u32, u32) {
    tile_of(Z, Coord { x: 104.9, y: 11.55 })
}

fn feature(id: u64, geometry: impl Into<Geometry<f64>>) -> TileFeature {
    TileFeature {
        id,
        geometry: geometry.into(),
        properties: vec![],
    }
}

#[test]
fn polygon_inside_a_tile_is_only_there() {
    let (x, y) = home();
    let index = LayerIndex::new(
        "h",
        vec![feature(
            1,
            square(Z, x, y, (1000.0, 1000.0), (2000.0, 2000.0)),
        )],
    );
    assert_eq!(count(&tile(&[&index], Z, x, y), "h"), 1);
    for (dx, dy) in [(-1i64, 0i64), (1, 0), (0, -1), (0, 1), (1, 1)] {
        let (nx, ny) = ((i64::from(x) + dx) as u32, (i64::from(y) + dy) as u32);
        assert_eq!(
            count(&tile(&[&index], Z, nx, ny), "h"),
            0,
            "neighbour {dx},{dy}"
        );
    }
    // Its geometry in tile coordinates: the square itself, snapped.
    let t = tile(&[&index], Z, x, y);
    let g = geometries(layer(&t, "h").expect("layer"));
    assert_eq!(g[0].0, GeomType::Polygon);
    let mut xs: Vec<i64> = g[0].1[0].coords.iter().map(|c| c.0).collect();
    xs.sort_unstable();
    xs.dedup();
    assert_eq!(xs, vec![1000, 2000]);
}

#[test]
fn polygon_over_a_tile_corner_is_in_all_four_tiles() {
    let (x, y) = home();
    let index = LayerIndex::new(
        "h",
        vec![feature(
            9,
            square(Z, x, y, (3900.0, 3900.0), (4300.0, 4300.0)),
        )],
    );
    for (tx, ty) in [(x, y), (x + 1, y), (x, y + 1), (x + 1, y + 1)] {
        let t = tile(&[&index], Z, tx, ty);
        assert_eq!(count(&t, "h"), 1, "tile {tx}/{ty}");
        assert_eq!(layer(&t, "h").expect("layer").features[0].id, Some(9));
    }
    assert_eq!(count(&tile(&[&index], Z, x + 2, y), "h"), 0);
}

#[test]
fn point_in_the_buffer_is_in_both_neighbours() {
    let (x, y) = home();
    // 40 units east of the east edge: inside tile x + 1, within the 64-unit buffer of tile x.
    let p = Point(at(Z, x, y, 4136.0, 2000.0));
    // 100 units east: outside the buffer of tile x.
    let q = Point(at(Z, x, y, 4196.0, 3000.0));
    let index = LayerIndex::new("p", vec![feature(1, p), feature(2, q)]);
    let west = tile(&[&index], Z, x, y);
    let east = tile(&[&index], Z, x + 1, y);
    assert_eq!(count(&west, "p"), 1);
    assert_eq!(count(&east, "p"), 2);
    let in_west = decode_geometry(&layer(&west, "p").expect("layer").features[0].geometry);
    assert_eq!(in_west[0].coords, vec![(4136, 2000)]);
    let in_east = decode_geometry(&layer(&east, "p").expect("layer").features[0].geometry);
    assert_eq!(in_east[0].coords, vec![(40, 2000)]);
}

#[test]
fn far_features_are_in_no_tile_and_empty_layers_are_omitted() {
    let (x, y) = home();
    let far = LayerIndex::new("far", vec![feature(1, Point::new(-70.0, -30.0))]);
    let near = LayerIndex::new("near", vec![feature(2, Point(at(Z, x, y, 10.0, 10.0)))]);
    assert!(encode_tile(&[&far], Z, x, y).expect("in range").is_empty());
    let t = tile(&[&far, &near], Z, x, y);
    assert_eq!(t.layers.len(), 1);
    assert_eq!(t.layers[0].name, "near");
    assert_eq!(t.layers[0].version, 2);
    assert_eq!(t.layers[0].extent, Some(4096));
    let empty = LayerIndex::new("empty", vec![]);
    assert!(
        encode_tile(&[&empty], 0, 0, 0)
            .expect("in range")
            .is_empty()
    );
    assert!(encode_tile(&[], 3, 1, 1).expect("in range").is_empty());
}

#[test]
fn properties_and_ids_round_trip() {
    let (x, y) = home();
    let props = |i: i64| {
        vec![
            (
                "status",
                PropertyValue::String(if i % 2 == 0 { "suspected" } else { "confirmed" }.into()),
            ),
            ("ref", PropertyValue::String(format!("HA-{i:04} ក្រចេះ"))),
            ("area_ha", PropertyValue::Double(1.5 * i as f64)),
            ("devices", PropertyValue::Int(-i)),
            ("marked", PropertyValue::Bool(i % 3 == 0)),
        ]
    };
    let features = (1..=5)
        .map(|i| TileFeature {
            id: 1_000_000_000_000 + i as u64,
            geometry: Point(at(Z, x, y, 100.0 * i as f64, 200.0)).into(),
            properties: props(i),
        })
        .collect();
    let index = LayerIndex::new("hazards", features);
    let t = tile(&[&index], Z, x, y);
    let l = layer(&t, "hazards").expect("layer");
    assert_eq!(l.features.len(), 5);
    // Keys and repeated values are stored once.
    assert_eq!(
        l.keys,
        vec!["status", "ref", "area_ha", "devices", "marked"]
    );
    let statuses = l
        .values
        .iter()
        .filter(|v| v.string_value.as_deref() == Some("suspected"))
        .count();
    assert_eq!(statuses, 1);
    for (f, i) in l.features.iter().zip(1i64..) {
        assert_eq!(f.id, Some(1_000_000_000_000 + i as u64));
        let decoded: Vec<(&str, &Value)> = f
            .tags
            .chunks(2)
            .map(|kv| (l.keys[kv[0] as usize].as_str(), &l.values[kv[1] as usize]))
            .collect();
        let want = props(i);
        assert_eq!(decoded.len(), want.len());
        for ((key, value), (want_key, want_value)) in decoded.into_iter().zip(want) {
            assert_eq!(key, want_key);
            match want_value {
                PropertyValue::String(s) => {
                    assert_eq!(value.string_value.as_deref(), Some(s.as_str()))
                }
                PropertyValue::Double(d) => assert_eq!(value.double_value, Some(d)),
                PropertyValue::Int(n) => assert_eq!(value.sint_value, Some(n)),
                PropertyValue::Bool(b) => assert_eq!(value.bool_value, Some(b)),
            }
        }
    }
}

/// A lon/lat polygon with two holes, wound like GeoJSON (exterior CCW, holes CW in lon/lat),
/// in tile coordinates of tile z/x/y.
fn holed(z: u8, x: u32, y: u32, reverse_holes: bool) -> Polygon<f64> {
    let outer = square(z, x, y, (500.0, 500.0), (3600.0, 3600.0));
    let mut holes: Vec<LineString<f64>> = [
        ((800.0, 800.0), (1500.0, 1500.0)),
        ((2500.0, 2500.0), (3400.0, 3400.0)),
    ]
    .into_iter()
    .map(|(a, b)| {
        let mut ring = square(z, x, y, a, b).exterior().clone();
        ring.0.reverse();
        ring
    })
    .collect();
    if reverse_holes {
        holes.iter_mut().for_each(|h| h.0.reverse());
    }
    Polygon::new(outer.exterior().clone(), holes)
}

/// Exterior rings have positive, holes negative area; returns (exteriors, holes).
fn check_winding(t: &geozero::mvt::Tile, name: &str) -> (usize, usize) {
    let (mut exteriors, mut holes) = (0, 0);
    for (kind, parts) in geometries(layer(t, name).expect("layer")) {
        assert_eq!(kind, GeomType::Polygon);
        assert!(
            twice_area(&parts[0].coords) > 0,
            "first ring must be an exterior"
        );
        for part in &parts {
            assert!(part.closed, "rings end with ClosePath");
            assert!(part.coords.len() >= 3);
            let a = twice_area(&part.coords);
            assert_ne!(a, 0);
            if a > 0 { exteriors += 1 } else { holes += 1 }
        }
    }
    (exteriors, holes)
}

#[test]
fn exterior_rings_are_clockwise_and_holes_opposite() {
    let (x, y) = home();
    for reverse_holes in [false, true] {
        // The same polygon, once wound either way, at three zooms: whole, clipped into pieces.
        let mut p = holed(Z, x, y, reverse_holes);
        let index = LayerIndex::new("h", vec![feature(1, p.clone())]);
        assert_eq!(check_winding(&tile(&[&index], Z, x, y), "h"), (1, 2));
        p.exterior_mut(|e| e.0.reverse());
        let index = LayerIndex::new("h", vec![feature(1, p)]);
        assert_eq!(check_winding(&tile(&[&index], Z, x, y), "h"), (1, 2));
        // At z15 tile 2x/2y cuts the exterior and holds the first hole whole: clipped by
        // i_overlay, which may return holes wound either way.
        assert_eq!(
            check_winding(&tile(&[&index], Z + 1, 2 * x, 2 * y), "h"),
            (1, 1)
        );
        // At z16 tile 4x+1/4y+1 cuts through the first hole, which becomes a notch.
        let (exteriors, holes) = check_winding(&tile(&[&index], Z + 2, 4 * x + 1, 4 * y + 1), "h");
        assert_eq!((exteriors, holes), (1, 0));
    }
}

#[test]
fn tiny_polygon_is_a_square_at_low_zoom_and_itself_at_high_zoom() {
    // About 15 m across: a tenth of a z6 pixel (153 m), 27 z14 pixels.
    let c = Coord { x: 104.9, y: 11.55 };
    let d = 0.00014;
    let tiny = Polygon::new(
        LineString::from(vec![
            (c.x, c.y),
            (c.x + d, c.y),
            (c.x + d, c.y + d),
            (c.x, c.y + d),
            (c.x, c.y),
        ]),
        vec![],
    );
    // And a line as long as the polygon is wide.
    let short = LineString::from(vec![(c.x, c.y), (c.x + d, c.y + d)]);
    let index = LayerIndex::new("h", vec![feature(1, tiny), feature(2, short)]);
    // Below the detail zoom the polygon is one screen-pixel square (it is the only tiny
    // polygon of its tile), the line is dropped.
    for z in [0u8, 2, 6, 7, 8] {
        let (x, y) = tile_of(z, c);
        let t = tile(&[&index], z, x, y);
        let l = layer(&t, "h").expect("layer");
        assert_eq!(l.features.len(), 1, "z{z}");
        assert_eq!(l.features[0].id, Some(1), "z{z}");
        let g = geometries(l);
        assert_eq!(twice_area(&g[0].1[0].coords), 2 * 16 * 16, "z{z}");
    }
    for z in [12u8, 14, 18, 22] {
        let (x, y) = tile_of(z, c);
        assert_eq!(count(&tile(&[&index], z, x, y), "h"), 2, "z{z}");
    }
}

#[test]
fn a_national_programme_of_small_hazards_shows_at_z0_to_z2() {
    // Demo-like: 3,000 hazards of 1–4 ha spread over Cambodia (102.5–107.5° E, 10.5–14.5° N),
    // about 75 km² in all, far less than one z1 screen pixel (about 6,000 km²).
    let features: Vec<TileFeature> = (0..3000u32)
        .map(|k| {
            let lon = 102.5 + f64::from(k % 60) * 5.0 / 60.0;
            let lat = 10.5 + f64::from(k / 60) * 4.0 / 50.0;
            let d = 0.001 * (1.0 + f64::from(k % 4) * 0.33);
            feature(
                u64::from(k) + 1,
                Polygon::new(
                    LineString::from(vec![
                        (lon, lat),
                        (lon + d, lat),
                        (lon + d, lat + d),
                        (lon, lat + d),
                        (lon, lat),
                    ]),
                    vec![],
                ),
            )
        })
        .collect();
    let index = LayerIndex::new("hazards", features);
    let c = Coord { x: 105.0, y: 12.5 };
    for z in 0u8..=5 {
        let (x, y) = tile_of(z, c);
        let t = tile(&[&index], z, x, y);
        let found = layer(&t, "hazards").map_or(0, |l| l.features.len());
        assert!(found >= 1, "z{z}/{x}/{y}: no hazard drawn");
        for (kind, _) in geometries(layer(&t, "hazards").expect("layer")) {
            assert_eq!(kind, GeomType::Polygon, "z{z}");
        }
    }
}

#[test]
fn index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<LayerIndex>();
    let (x, y) = home();
    let index = std::sync::Arc::new(LayerIndex::new(
        "p",
        vec![feature(1, Point(at(Z, x, y, 5.0, 5.0)))],
    ));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let index = index.clone();
            std::thread::spawn(move || encode_tile(&[&index], Z, x, y).map(|b| b.len()))
        })
        .collect();
    for h in handles {
        assert!(h.join().expect("thread").expect("tile") > 0);
    }
}

#[test]
fn out_of_range_tiles_are_errors() {
    let index = LayerIndex::new("h", vec![]);
    assert!(matches!(
        encode_tile(&[&index], 23, 0, 0),
        Err(TileError::ZoomOutOfRange { z: 23, .. })
    ));
    assert!(matches!(
        encode_tile(&[&index], 2, 4, 0),
        Err(TileError::TileOutOfRange { .. })
    ));
    assert!(matches!(
        encode_tile(&[&index], 2, 0, 4),
        Err(TileError::TileOutOfRange { .. })
    ));
    assert!(matches!(
        encode_tile(&[&index], 0, 1, 0),
        Err(TileError::TileOutOfRange { .. })
    ));
    let message = encode_tile(&[&index], 2, 0, 9)
        .expect_err("out of range")
        .to_string();
    assert!(message.contains("2/0/9"), "{message}");
    assert!(encode_tile(&[&index], 22, (1 << 22) - 1, (1 << 22) - 1).is_ok());
    assert!(encode_tile(&[&index], 0, 0, 0).is_ok());
}

#[test]
fn tiny_polygons_become_one_square_per_pixel_of_area_below_the_detail_zoom() {
    let z = 8;
    let (x, y) = tile_of(z, Coord { x: 104.9, y: 11.55 });
    // 64 polygons of a little over a quarter of a 16 × 16 screen pixel, and one large one.
    let mut features: Vec<TileFeature> = (0..64u32)
        .map(|k| {
            let (px, py) = (
                f64::from(100 + 400 * (k % 8)),
                f64::from(100 + 400 * (k / 8)),
            );
            feature(
                u64::from(k) + 1,
                square(z, x, y, (px, py), (px + 8.1, py + 8.1)),
            )
        })
        .collect();
    features.push(feature(
        1000,
        square(z, x, y, (3500.0, 3500.0), (3700.0, 3700.0)),
    ));
    let index = LayerIndex::new("h", features);
    let t = tile(&[&index], z, x, y);
    let l = layer(&t, "h").expect("layer");
    let ids: Vec<u64> = l.features.iter().map(|f| f.id.unwrap_or(0)).collect();
    // 64 quarters make 16 pixels: every fourth tiny polygon stands for itself and three others.
    assert_eq!(ids.len(), 17, "{ids:?}");
    assert_eq!(&ids[..3], &[4, 8, 12]);
    assert_eq!(ids[16], 1000);
    for (kind, rings) in geometries(l).iter().take(16) {
        assert_eq!(*kind, GeomType::Polygon);
        assert_eq!(twice_area(&rings[0].coords), 2 * 16 * 16);
    }
    // From the detail zoom on, each is itself again.
    let z = safeground_tiles::DETAIL_ZOOM;
    let (x12, y12) = tile_of(z, Coord { x: 104.9, y: 11.55 });
    let near = tile(&[&index], z, x12, y12);
    assert!(
        count(&near, "h") <= 1,
        "one tile at z12 holds at most one of them"
    );
    let total: usize = (0..16u32)
        .flat_map(|dx| (0..16u32).map(move |dy| (dx, dy)))
        .map(|(dx, dy)| count(&tile(&[&index], z, x * 16 + dx, y * 16 + dy), "h"))
        .sum();
    assert!(total >= 65, "every polygon is written at z12: {total}");
}

#[test]
fn grouped_layers_keep_a_tiny_square_and_a_point_of_every_group() {
    // Hazards and finds of two countries 2 km apart, all in one z3 pixel (19.6 km): ungrouped,
    // one square names only the last country and one point only the first; grouped, each
    // country keeps its own square and point.
    let small = |lon: f64, lat: f64| {
        Polygon::new(
            LineString::from(vec![
                (lon, lat),
                (lon + 0.001, lat),
                (lon + 0.001, lat + 0.001),
                (lon, lat),
            ]),
            vec![],
        )
    };
    let node = |n: &str| vec![("node", PropertyValue::String(n.into()))];
    let features = || {
        let mut f = Vec::new();
        for (i, (n, lon, lat)) in [
            ("KHM", 103.05, 14.30),
            ("KHM", 103.07, 14.31),
            ("LAO", 103.09, 14.32),
        ]
        .into_iter()
        .enumerate()
        {
            f.push(TileFeature {
                id: i as u64,
                geometry: small(lon, lat).into(),
                properties: node(n),
            });
            f.push(TileFeature {
                id: 10 + i as u64,
                geometry: Point::new(lon + 0.0005, lat + 0.0005).into(),
                properties: node(n),
            });
        }
        f
    };
    let (x, y) = tile_of(3, Coord { x: 103.0, y: 14.3 });
    let nodes_of = |index: &LayerIndex| {
        let t = tile(&[index], 3, x, y);
        let l = layer(&t, "h").expect("layer");
        let mut found: Vec<(String, GeomType)> = l
            .features
            .iter()
            .map(|f| {
                let v = &l.values[f.tags[1] as usize];
                (v.string_value.clone().unwrap_or_default(), f.r#type())
            })
            .collect();
        found.sort_by_key(|(n, g)| (n.clone(), *g as i32));
        found
    };
    let plain = nodes_of(&LayerIndex::new("h", features()));
    assert_eq!(
        plain,
        vec![
            ("KHM".into(), GeomType::Point),
            ("LAO".into(), GeomType::Polygon)
        ]
    );
    let grouped = nodes_of(&LayerIndex::grouped("h", features(), "node"));
    assert_eq!(
        grouped,
        vec![
            ("KHM".into(), GeomType::Point),
            ("KHM".into(), GeomType::Polygon),
            ("LAO".into(), GeomType::Point),
            ("LAO".into(), GeomType::Polygon),
        ]
    );
}
