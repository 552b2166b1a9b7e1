//! The regional demo hub's ordnance reference pages (`safeground demo --regional`): common
//! models of the region with public, recognition-level facts (dimensions, fuzing, features,
//! hazards) and a schematic drawing of each, rendered to PNG here (nothing is downloaded).
//! The render-safe notes are deliberately generic: the demo carries no real procedure.

use safeground_model::{Dimensions, OrdnancePage};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform};

/// The render-safe note of every demo page.
pub const RENDER_SAFE: &str = "Do not attempt render-safe procedures: mark the item, keep \
     people away and have it destroyed in situ by qualified EOD personnel following the \
     national SOP. (Demonstration text: no real procedure is given here.)";

/// A demo page and its drawings (caption, PNG bytes), to add as photos.
#[derive(Debug, Clone)]
pub struct DemoPage {
    /// The page, without photos.
    pub page: OrdnancePage,
    /// Schematic drawings: caption and PNG bytes.
    pub drawings: Vec<(String, Vec<u8>)>,
}

/// What a drawing shows, sized in millimetres.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// A round mine seen from above: diameter, and a cross on the pressure cover.
    Disc { diameter: f32, cross: bool },
    /// A sphere with fluted ridges.
    Sphere { diameter: f32 },
    /// A small cylinder with a ribbon (DPICM grenade), side view.
    Grenade { diameter: f32, length: f32 },
    /// A butterfly-shaped scatterable mine from above.
    Butterfly { length: f32, width: f32 },
    /// A curved rectangular directional mine, front view, with legs.
    Directional { width: f32, height: f32 },
    /// A mortar bomb, side view: body and fins.
    Mortar { diameter: f32, length: f32 },
}

#[allow(clippy::too_many_arguments)]
fn page(
    model: &str,
    summary: &str,
    d: [Option<f64>; 6],
    explosive: &str,
    fuzing: &str,
    identification: &[&str],
    hazards: &str,
) -> OrdnancePage {
    OrdnancePage {
        model: model.into(),
        summary: summary.into(),
        dimensions: Dimensions {
            length_mm: d[0],
            width_mm: d[1],
            height_mm: d[2],
            diameter_mm: d[3],
            weight_g: d[4],
            explosive_g: d[5],
            explosive: Some(explosive.into()),
        },
        fuzing: fuzing.into(),
        identification: identification.iter().map(|s| (*s).to_owned()).collect(),
        hazards: hazards.into(),
        render_safe: Some(RENDER_SAFE.into()),
        photos: Vec::new(),
    }
}

/// The demo pages with their drawings: PMN, PMN-2, Type 72A, OZM-4, TM-62, BLU-26, M42, 82mm
/// mortar (built-in models) and PFM-1, MON-50 (the regional demo's reference models).
pub fn pages() -> Result<Vec<DemoPage>, String> {
    let n = None;
    let list = [
        (
            page(
                "PMN",
                "Soviet cylindrical blast anti-personnel mine, widely laid in Cambodia, Laos, \
                 Viet Nam and the Caucasus; one of the most common AP mines met in the region.",
                [n, n, Some(56.0), Some(112.0), Some(550.0), Some(240.0)],
                "TNT",
                "Integral mechanical pressure fuze with a delayed arming mechanism; initiated \
                 by pressure on the rubber cover.",
                &[
                    "Brown or black phenolic (Bakelite) body",
                    "Black rubber pressure cover held by a metal band",
                    "Safety-pin and arming-plug housing on the side",
                ],
                "Blast: a large charge for an AP mine, causing traumatic amputation and \
                 often death. Decades-old items may be more sensitive than when laid.",
            ),
            Shape::Disc {
                diameter: 112.0,
                cross: false,
            },
        ),
        (
            page(
                "PMN-2",
                "Soviet circular blast anti-personnel mine with a blast-resistant fuze, laid \
                 in the region from the 1980s.",
                [n, n, Some(54.0), Some(121.0), Some(420.0), Some(100.0)],
                "TG-40 (RDX/TNT)",
                "Integral mechanical pressure fuze with a pneumatic arming delay; initiated \
                 by pressure on the cross-shaped cover.",
                &[
                    "Green or black plastic body",
                    "Black rubber pressure cover with a raised cross",
                    "Arming plug on the side",
                ],
                "Blast; resists overpressure, so explosive clearance methods may not \
                 initiate it.",
            ),
            Shape::Disc {
                diameter: 121.0,
                cross: true,
            },
        ),
        (
            page(
                "Type 72A",
                "Chinese minimum-metal blast anti-personnel mine, small and light, laid in \
                 large numbers along borders.",
                [n, n, Some(38.0), Some(78.0), Some(140.0), Some(51.0)],
                "TNT",
                "Integral mechanical pressure fuze; a few kilograms on the pressure plate \
                 initiate it.",
                &[
                    "Small green plastic cylinder",
                    "Ribbed pressure plate on top",
                    "Very little metal: weak metal-detector signal",
                ],
                "Blast; hard to detect because of its minimum metal content, so lanes must \
                 be checked with sensitive detectors or other methods.",
            ),
            Shape::Disc {
                diameter: 78.0,
                cross: false,
            },
        ),
        (
            page(
                "OZM-4",
                "Soviet bounding fragmentation anti-personnel mine: a charge throws the body \
                 up before it bursts.",
                [n, n, Some(125.0), Some(91.0), Some(5_000.0), Some(170.0)],
                "TNT",
                "Mechanical fuze on top, worked by a tripwire or by pressure; it fires a \
                 propelling charge that launches the body.",
                &[
                    "Cast-iron cylindrical body with a grooved surface",
                    "Fuze screwed into the top",
                    "Often set on or beside a stake with tripwires",
                ],
                "Fragmentation burst about a metre above the ground, lethal over some 25 m; \
                 tripwires may be hidden in the vegetation.",
            ),
            Shape::Disc {
                diameter: 91.0,
                cross: false,
            },
        ),
        (
            page(
                "TM-62",
                "Soviet circular blast anti-vehicle mine family (TM-62M metal-cased, TM-62P \
                 plastic), common on roads and tracks.",
                [n, n, Some(128.0), Some(320.0), Some(9_500.0), Some(7_500.0)],
                "TNT",
                "Central pressure fuze (several hundred kilograms); some variants take tilt \
                 or magnetic-influence fuzes, and anti-handling devices may be fitted.",
                &[
                    "Large round metal or plastic case",
                    "Fuze well in the centre of the top",
                    "Carrying handle or lugs on the side",
                ],
                "Massive blast destroying vehicles; a person may initiate a mine with a \
                 sensitive or influence fuze, and anti-handling devices kill whoever moves it.",
            ),
            Shape::Disc {
                diameter: 320.0,
                cross: false,
            },
        ),
        (
            page(
                "BLU-26",
                "US spherical fragmentation cluster submunition ('guava') dropped in large \
                 numbers over Laos, Cambodia and Viet Nam; a large share failed to function.",
                [n, n, n, Some(65.0), Some(430.0), Some(85.0)],
                "Cyclotol",
                "Spin-armed impact fuze (with air-burst and delay variants) armed by the \
                 submunition's rotation after release.",
                &[
                    "Baseball-sized steel sphere",
                    "Raised curved flutes on the surface",
                    "Two hemispheres joined at the equator",
                ],
                "Fragmentation from hundreds of steel balls, lethal over tens of metres. A \
                 failed submunition may function when moved or struck.",
            ),
            Shape::Sphere { diameter: 65.0 },
        ),
        (
            page(
                "M42",
                "US dual-purpose improved conventional munition (DPICM) grenade carried by \
                 artillery projectiles.",
                [Some(83.0), n, n, Some(39.0), Some(213.0), Some(30.0)],
                "Composition A5",
                "Ribbon-stabilised point-detonating fuze armed by the ribbon's spin during \
                 descent.",
                &[
                    "Small olive-drab steel cylinder",
                    "Nylon ribbon or its loop on top",
                    "Shaped-charge cone at the base",
                ],
                "Shaped charge penetrating armour and a fragmenting body. Once armed, the \
                 fuze is very sensitive: do not touch or move.",
            ),
            Shape::Grenade {
                diameter: 39.0,
                length: 83.0,
            },
        ),
        (
            page(
                "82mm mortar",
                "82 mm high-explosive mortar bomb (Soviet and Chinese patterns), among the \
                 most common items of UXO in former battle areas.",
                [Some(330.0), n, n, Some(82.0), Some(3_100.0), Some(400.0)],
                "TNT",
                "Point-detonating nose fuze, armed by set-back and air flow on firing; \
                 unfired bombs have unarmed fuzes.",
                &[
                    "Tear-drop body with a nose fuze",
                    "Tail boom with fins and propellant increments",
                    "Driving bands cast into the body",
                ],
                "Fragmentation lethal over some 20 m. A fired bomb that did not function may \
                 have an armed fuze.",
            ),
            Shape::Mortar {
                diameter: 82.0,
                length: 330.0,
            },
        ),
        (
            page(
                "PFM-1",
                "Soviet scatterable blast anti-personnel mine ('butterfly mine'), delivered \
                 by aircraft, rocket or mine-laying helicopter.",
                [
                    Some(120.0),
                    Some(61.0),
                    Some(20.0),
                    n,
                    Some(75.0),
                    Some(37.0),
                ],
                "VS-6D (liquid)",
                "Integral mechanical fuze initiated by cumulative pressure on the soft wing; \
                 it arms shortly after dispersal.",
                &[
                    "Green, brown or sand plastic body with one long wing",
                    "Shaped like a butterfly or a toy",
                    "Liquid explosive in the wing",
                ],
                "Blast; repeated handling or pressure can initiate it, and its toy-like shape \
                 attracts children.",
            ),
            Shape::Butterfly {
                length: 120.0,
                width: 61.0,
            },
        ),
        (
            page(
                "MON-50",
                "Soviet directional fragmentation anti-personnel mine, the pattern of the US \
                 M18A1 Claymore.",
                [n, Some(226.0), Some(155.0), n, Some(2_000.0), Some(700.0)],
                "PVV-5A plastic explosive",
                "Detonator well for a tripwire-operated mechanical fuze or command \
                 initiation by wire.",
                &[
                    "Curved rectangular plastic case",
                    "Folding legs underneath",
                    "Detonator wells on the top",
                ],
                "Directional fragments lethal out to 50 m in a 54° arc in front; tripwires \
                 may be hidden in the vegetation around it.",
            ),
            Shape::Directional {
                width: 226.0,
                height: 155.0,
            },
        ),
    ];
    list.into_iter()
        .map(|(page, shape)| {
            let png = draw(shape).map_err(|e| format!("drawing {}: {e}", page.model))?;
            let caption = format!("Schematic drawing of the {} (not to scale)", page.model);
            Ok(DemoPage {
                page,
                drawings: vec![(caption, png)],
            })
        })
        .collect()
}

const W: f32 = 480.0;
const H: f32 = 320.0;

fn paint(r: u8, g: u8, b: u8) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(Color::from_rgba8(r, g, b, 255));
    p.anti_alias = true;
    p
}

/// Renders a schematic drawing of `shape` to PNG: the outline in the item's usual colour on a
/// light background, scaled to fit.
fn draw(shape: Shape) -> Result<Vec<u8>, String> {
    let mut px = Pixmap::new(W as u32, H as u32).ok_or("no pixmap")?;
    px.fill(Color::from_rgba8(244, 241, 232, 255));
    let line = Stroke {
        width: 3.0,
        ..Stroke::default()
    };
    let dark = paint(40, 40, 40);
    let body = paint(86, 107, 62);
    let (cx, cy) = (W / 2.0, H / 2.0);
    let mut fill = |path: Option<tiny_skia::Path>, colour: &Paint| -> Result<(), String> {
        let path = path.ok_or("empty path")?;
        px.fill_path(
            &path,
            colour,
            FillRule::Winding,
            Transform::identity(),
            None,
        );
        px.stroke_path(&path, &dark, &line, Transform::identity(), None);
        Ok(())
    };
    match shape {
        Shape::Disc { diameter, cross } => {
            let r = 45.0 + 95.0 * (diameter / 320.0).min(1.0);
            fill(PathBuilder::from_circle(cx, cy, r), &paint(70, 60, 50))?;
            fill(
                PathBuilder::from_circle(cx, cy, r * 0.7),
                &paint(30, 30, 30),
            )?;
            if cross {
                let arm = r * 0.55;
                let w = r * 0.15;
                fill(
                    Rect::from_xywh(cx - arm, cy - w / 2.0, 2.0 * arm, w)
                        .map(PathBuilder::from_rect),
                    &paint(60, 60, 60),
                )?;
                fill(
                    Rect::from_xywh(cx - w / 2.0, cy - arm, w, 2.0 * arm)
                        .map(PathBuilder::from_rect),
                    &paint(60, 60, 60),
                )?;
            }
            fill(
                Rect::from_xywh(cx + r - 4.0, cy - 10.0, 28.0, 20.0).map(PathBuilder::from_rect),
                &paint(150, 150, 150),
            )?;
        }
        Shape::Sphere { diameter } => {
            let r = 100.0 * (diameter / 65.0);
            fill(PathBuilder::from_circle(cx, cy, r), &paint(120, 120, 110))?;
            for k in -2..=2 {
                let mut b = PathBuilder::new();
                let x = cx + k as f32 * r * 0.35;
                b.move_to(x - r * 0.2, cy - r * 0.9);
                b.quad_to(x + r * 0.25, cy, x - r * 0.2, cy + r * 0.9);
                let path = b.finish().ok_or("empty path")?;
                px.stroke_path(&path, &dark, &line, Transform::identity(), None);
            }
        }
        Shape::Grenade { diameter, length } => {
            let (w, h) = (diameter * 2.2, length * 2.2);
            fill(
                Rect::from_xywh(cx - w / 2.0, cy - h / 2.0 + 20.0, w, h)
                    .map(PathBuilder::from_rect),
                &body,
            )?;
            let mut b = PathBuilder::new();
            b.move_to(cx, cy - h / 2.0 + 20.0);
            b.cubic_to(
                cx + 60.0,
                cy - h / 2.0 - 40.0,
                cx - 60.0,
                cy - h / 2.0 - 60.0,
                cx + 10.0,
                cy - h / 2.0 - 90.0,
            );
            let ribbon = b.finish().ok_or("empty path")?;
            let wide = Stroke {
                width: 8.0,
                ..Stroke::default()
            };
            px.stroke_path(
                &ribbon,
                &paint(230, 230, 220),
                &wide,
                Transform::identity(),
                None,
            );
        }
        Shape::Butterfly { length, width } => {
            let (l, w) = (length * 2.8, width * 2.8);
            let mut b = PathBuilder::new();
            b.move_to(cx - l / 2.0, cy - w / 4.0);
            b.line_to(cx - l / 2.0 + l * 0.3, cy - w / 2.0);
            b.quad_to(cx + l / 2.0, cy - w / 2.0, cx + l / 2.0, cy);
            b.quad_to(
                cx + l / 2.0,
                cy + w / 2.0,
                cx - l / 2.0 + l * 0.3,
                cy + w / 2.0,
            );
            b.line_to(cx - l / 2.0, cy + w / 4.0);
            b.close();
            fill(b.finish(), &body)?;
            fill(
                PathBuilder::from_circle(cx - l * 0.3, cy, w * 0.22),
                &paint(60, 75, 45),
            )?;
        }
        Shape::Directional { width, height } => {
            let (w, h) = (width * 1.6, height * 1.2);
            let mut b = PathBuilder::new();
            b.move_to(cx - w / 2.0, cy - h / 2.0);
            b.quad_to(cx, cy - h / 2.0 - 30.0, cx + w / 2.0, cy - h / 2.0);
            b.line_to(cx + w / 2.0, cy + h / 2.0);
            b.quad_to(cx, cy + h / 2.0 - 30.0, cx - w / 2.0, cy + h / 2.0);
            b.close();
            fill(b.finish(), &body)?;
            for x in [cx - w * 0.35, cx + w * 0.35] {
                let mut leg = PathBuilder::new();
                leg.move_to(x, cy + h / 2.0 - 10.0);
                leg.line_to(x + (x - cx) * 0.2, H - 12.0);
                let path = leg.finish().ok_or("empty path")?;
                px.stroke_path(&path, &dark, &line, Transform::identity(), None);
            }
        }
        Shape::Mortar { diameter, length } => {
            let (l, r) = (length * 1.2, diameter * 1.2 / 2.0);
            let left = cx - l / 2.0;
            let mut b = PathBuilder::new();
            b.move_to(left, cy);
            b.quad_to(left + l * 0.15, cy - r, left + l * 0.4, cy - r);
            b.quad_to(left + l * 0.6, cy - r, left + l * 0.75, cy - r * 0.3);
            b.line_to(left + l * 0.75, cy + r * 0.3);
            b.quad_to(left + l * 0.6, cy + r, left + l * 0.4, cy + r);
            b.quad_to(left + l * 0.15, cy + r, left, cy);
            b.close();
            fill(b.finish(), &body)?;
            fill(
                Rect::from_xywh(left + l * 0.75, cy - r * 0.2, l * 0.2, r * 0.4)
                    .map(PathBuilder::from_rect),
                &paint(110, 110, 100),
            )?;
            for dy in [-1.0, 1.0] {
                let mut fin = PathBuilder::new();
                fin.move_to(left + l * 0.85, cy + dy * r * 0.2);
                fin.line_to(left + l, cy + dy * r * 0.8);
                fin.line_to(left + l, cy + dy * r * 0.2);
                fin.close();
                fill(fin.finish(), &paint(110, 110, 100))?;
            }
        }
    }
    px.encode_png().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeground_model::Catalogue;

    #[test]
    fn every_demo_page_is_valid_and_has_a_png_drawing() {
        let regional = Catalogue::new(
            ["PFM-1", "MON-50"]
                .map(|m| safeground_model::CatalogueEntry {
                    model: m.into(),
                    category: safeground_model::OrdnanceCategory::ApMine,
                    description: String::new(),
                    aliases: Vec::new(),
                })
                .to_vec(),
        )
        .expect("catalogue");
        let pages = pages().expect("pages");
        assert_eq!(pages.len(), 10);
        for p in &pages {
            p.page
                .check(&regional)
                .unwrap_or_else(|e| panic!("{}: {e}", p.page.model));
            let (_, png) = &p.drawings[0];
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", p.page.model);
            assert!(png.len() > 1_000 && png.len() < 200_000, "{}", png.len());
        }
        assert!(
            pages
                .iter()
                .all(|p| p.page.render_safe.as_deref() == Some(RENDER_SAFE))
        );
        let mut drawings: Vec<_> = pages.iter().map(|p| &p.drawings[0].1).collect();
        drawings.sort();
        drawings.dedup();
        assert_eq!(
            drawings.len(),
            pages.len(),
            "each model has its own drawing"
        );
    }
}
