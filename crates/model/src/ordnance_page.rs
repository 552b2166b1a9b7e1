//! A page of the ordnance reference library (issue 25): what a deminer needs to recognise one
//! model of the catalogue — photos, dimensions, fuzing, identification features, hazards — and
//! render-safe notes that only EOD officers read. A regional hub writes the pages and publishes
//! them in its signed reference set; nodes read them.
//!
//! [`OrdnancePage::check`] names every broken rule by field (`dimensions.length_mm`,
//! `identification[2]`, `photos[0].sha256`), so that an editor can correct them all at once.

use serde::{Deserialize, Serialize};

use crate::{Catalogue, ValidationErrors};

/// The most photos a page holds.
pub const MAX_PAGE_PHOTOS: usize = 12;
/// The most identification features a page lists.
pub const MAX_IDENTIFICATION: usize = 20;
/// The longest summary, characters.
pub const MAX_SUMMARY_CHARS: usize = 2_000;
/// The longest fuzing, hazards or render-safe text, characters.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// The longest identification feature or photo caption, characters.
pub const MAX_LINE_CHARS: usize = 300;
/// The largest length, width, height or diameter, millimetres (a 2,000 lb bomb is 3.8 m).
pub const MAX_SIZE_MM: f64 = 10_000.0;
/// The largest weight, grams (10 t).
pub const MAX_WEIGHT_G: f64 = 10_000_000.0;
/// The media types of a page's photos.
pub const PHOTO_MEDIA_TYPES: [&str; 3] = ["image/png", "image/jpeg", "image/webp"];

/// Sizes and weights of a model; what is not known is left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimensions {
    /// Length, mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_mm: Option<f64>,
    /// Width, mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width_mm: Option<f64>,
    /// Height, mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_mm: Option<f64>,
    /// Diameter, mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diameter_mm: Option<f64>,
    /// Total weight, g.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<f64>,
    /// Weight of the main charge, g.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explosive_g: Option<f64>,
    /// The main charge's explosive ("TNT", "RDX/TNT").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explosive: Option<String>,
}

/// A photo (or drawing) of a page: a file of the hub's library folder, by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagePhoto {
    /// SHA-256 of the file, 64 lower-case hex digits.
    pub sha256: String,
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub media_type: String,
    /// What it shows.
    #[serde(default)]
    pub caption: String,
}

/// The reference page of one ordnance model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdnancePage {
    /// The model's designation in the catalogue in force ("PMN-2").
    pub model: String,
    /// What it is, in a few sentences.
    pub summary: String,
    /// Sizes and weights.
    #[serde(default)]
    pub dimensions: Dimensions,
    /// How it is fuzed and initiated.
    pub fuzing: String,
    /// Features that tell it apart, one per line.
    pub identification: Vec<String>,
    /// What makes it dangerous to people nearby.
    pub hazards: String,
    /// Render-safe notes, read only by EOD officers (and the hub's administrators).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_safe: Option<String>,
    /// Photos and drawings.
    #[serde(default)]
    pub photos: Vec<PagePhoto>,
}

/// Whether `s` is 64 lower-case hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn text(errors: &mut ValidationErrors, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.add(field, "is required");
    } else if value.chars().count() > max {
        errors.add(
            field,
            format!(
                "is {} characters long; keep it to {max}",
                value.chars().count()
            ),
        );
    }
}

fn number(errors: &mut ValidationErrors, field: &str, value: Option<f64>, max: f64, unit: &str) {
    let Some(v) = value else { return };
    if !v.is_finite() || v <= 0.0 {
        errors.add(
            field,
            format!("{v} is not a size: give a number above 0 (in {unit}), or leave it out"),
        );
    } else if v > max {
        errors.add(
            field,
            format!("{v} {unit} is implausible (at most {max} {unit}); check the unit"),
        );
    }
}

impl Dimensions {
    fn check(&self, errors: &mut ValidationErrors) {
        let sizes = [
            ("length_mm", self.length_mm),
            ("width_mm", self.width_mm),
            ("height_mm", self.height_mm),
            ("diameter_mm", self.diameter_mm),
        ];
        for (name, v) in sizes {
            number(errors, &format!("dimensions.{name}"), v, MAX_SIZE_MM, "mm");
        }
        number(
            errors,
            "dimensions.weight_g",
            self.weight_g,
            MAX_WEIGHT_G,
            "g",
        );
        number(
            errors,
            "dimensions.explosive_g",
            self.explosive_g,
            MAX_WEIGHT_G,
            "g",
        );
        if let (Some(e), Some(w)) = (self.explosive_g, self.weight_g)
            && e.is_finite()
            && w.is_finite()
            && e > w
        {
            errors.add(
                "dimensions.explosive_g",
                format!("{e} g of explosive is more than the whole weight ({w} g)"),
            );
        }
        if let Some(x) = &self.explosive {
            text(errors, "dimensions.explosive", x, MAX_LINE_CHARS);
        }
    }
}

impl OrdnancePage {
    /// The model's designation in `catalogue` (built-in or adopted; case, spaces, hyphens and
    /// other names ignored), if the catalogue knows it.
    pub fn designation(&self, catalogue: &Catalogue) -> Option<String> {
        catalogue.lookup(&self.model).map(|m| m.0.to_owned())
    }

    /// Checks the page: a model of `catalogue`, the summary, fuzing, hazards and at least one
    /// identification feature given and bounded, sizes and weights above 0 and plausible,
    /// render-safe notes not blank when given, at most [`MAX_PAGE_PHOTOS`] photos each with a
    /// SHA-256, an image media type and a bounded caption, no photo twice.
    pub fn check(&self, catalogue: &Catalogue) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.model.trim().is_empty() {
            errors.add("model", "is required");
        } else if self.designation(catalogue).is_none() {
            errors.add(
                "model",
                format!(
                    "`{}` is not in the ordnance catalogue in force; a page is written for a \
                     model of the catalogue (add the model to the hub's reference set first)",
                    self.model
                ),
            );
        }
        text(&mut errors, "summary", &self.summary, MAX_SUMMARY_CHARS);
        self.dimensions.check(&mut errors);
        text(&mut errors, "fuzing", &self.fuzing, MAX_TEXT_CHARS);
        if self.identification.is_empty() {
            errors.add(
                "identification",
                "give at least one feature that tells the model apart",
            );
        } else if self.identification.len() > MAX_IDENTIFICATION {
            errors.add(
                "identification",
                format!(
                    "{} features; keep the {MAX_IDENTIFICATION} most telling",
                    self.identification.len()
                ),
            );
        }
        for (i, f) in self.identification.iter().enumerate() {
            text(
                &mut errors,
                &format!("identification[{i}]"),
                f,
                MAX_LINE_CHARS,
            );
        }
        text(&mut errors, "hazards", &self.hazards, MAX_TEXT_CHARS);
        if let Some(r) = &self.render_safe {
            text(&mut errors, "render_safe", r, MAX_TEXT_CHARS);
        }
        if self.photos.len() > MAX_PAGE_PHOTOS {
            errors.add(
                "photos",
                format!(
                    "{} photos; a page holds at most {MAX_PAGE_PHOTOS}",
                    self.photos.len()
                ),
            );
        }
        for (i, p) in self.photos.iter().enumerate() {
            if !is_sha256(&p.sha256) {
                errors.add(
                    &format!("photos[{i}].sha256"),
                    format!("`{}` is not a SHA-256 (64 lower-case hex digits)", p.sha256),
                );
            } else if self.photos[..i].iter().any(|q| q.sha256 == p.sha256) {
                errors.add(
                    &format!("photos[{i}].sha256"),
                    "this photo is on the page already",
                );
            }
            if !PHOTO_MEDIA_TYPES.contains(&p.media_type.as_str()) {
                errors.add(
                    &format!("photos[{i}].media_type"),
                    format!(
                        "`{}` is not a photo's type; use one of {}",
                        p.media_type,
                        PHOTO_MEDIA_TYPES.join(", ")
                    ),
                );
            }
            if p.caption.chars().count() > MAX_LINE_CHARS {
                errors.add(
                    &format!("photos[{i}].caption"),
                    format!("is longer than {MAX_LINE_CHARS} characters"),
                );
            }
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogueEntry, OrdnanceCategory};

    fn page() -> OrdnancePage {
        OrdnancePage {
            model: "pmn 2".into(),
            summary: "Soviet circular blast anti-personnel mine.".into(),
            dimensions: Dimensions {
                diameter_mm: Some(121.0),
                height_mm: Some(54.0),
                weight_g: Some(420.0),
                explosive_g: Some(100.0),
                explosive: Some("TG-40".into()),
                ..Dimensions::default()
            },
            fuzing: "Integral pressure fuze with a pyrotechnic arming delay.".into(),
            identification: vec!["Black rubber cross on the pressure plate".into()],
            hazards: "Blast; about 10 kg of pressure initiates it.".into(),
            render_safe: Some("Destroy in situ by qualified EOD personnel.".into()),
            photos: vec![PagePhoto {
                sha256: "ab".repeat(32),
                media_type: "image/png".into(),
                caption: "Top view".into(),
            }],
        }
    }

    fn fields(e: ValidationErrors) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_good_page_passes_and_names_its_designation() {
        let c = Catalogue::default();
        page().check(&c).expect("valid");
        assert_eq!(page().designation(&c).as_deref(), Some("PMN-2"));
        let pfm = CatalogueEntry {
            model: "PFM-1".into(),
            category: OrdnanceCategory::ApMine,
            description: String::new(),
            aliases: vec!["butterfly mine".into()],
        };
        let mut p = page();
        p.model = "Butterfly Mine".into();
        assert!(p.check(&c).is_err(), "not in the built-in catalogue");
        let adopted = Catalogue::new(vec![pfm]).expect("catalogue");
        p.check(&adopted)
            .expect("valid under the adopted catalogue");
        assert_eq!(p.designation(&adopted).as_deref(), Some("PFM-1"));
    }

    #[test]
    fn every_broken_rule_is_named_by_its_field() {
        let mut p = page();
        p.model = "Mystery-9".into();
        p.summary = "  ".into();
        p.dimensions.length_mm = Some(-3.0);
        p.dimensions.width_mm = Some(f64::NAN);
        p.dimensions.height_mm = Some(50_000.0);
        p.dimensions.explosive_g = Some(500.0);
        p.fuzing = "x".repeat(MAX_TEXT_CHARS + 1);
        p.identification = vec!["ok".into(), String::new()];
        p.hazards = String::new();
        p.render_safe = Some(" ".into());
        p.photos.push(p.photos[0].clone());
        p.photos.push(PagePhoto {
            sha256: "XYZ".into(),
            media_type: "application/pdf".into(),
            caption: "c".repeat(MAX_LINE_CHARS + 1),
        });
        let e = p.check(&Catalogue::default()).expect_err("refused");
        assert!(e.to_string().contains("Mystery-9"), "{e}");
        assert_eq!(
            fields(e),
            [
                "model",
                "summary",
                "dimensions.length_mm",
                "dimensions.width_mm",
                "dimensions.height_mm",
                "dimensions.explosive_g",
                "fuzing",
                "identification[1]",
                "hazards",
                "render_safe",
                "photos[1].sha256",
                "photos[2].sha256",
                "photos[2].media_type",
                "photos[2].caption",
            ]
        );
        let mut p = page();
        p.identification.clear();
        p.photos = (0..=MAX_PAGE_PHOTOS)
            .map(|i| PagePhoto {
                sha256: format!("{i:064x}"),
                media_type: "image/jpeg".into(),
                caption: String::new(),
            })
            .collect();
        let e = p.check(&Catalogue::default()).expect_err("refused");
        assert_eq!(fields(e), ["identification", "photos"]);
    }

    #[test]
    fn a_stored_page_reads_back_and_refuses_unknown_fields() {
        let json = serde_json::to_string(&page()).expect("json");
        let back: OrdnancePage = serde_json::from_str(&json).expect("read");
        assert_eq!(back, page());
        let e = serde_json::from_str::<OrdnancePage>(
            r#"{"model":"PMN","summary":"s","fuzing":"f","identification":["i"],
                "hazards":"h","colour":"green"}"#,
        )
        .expect_err("unknown field");
        assert!(e.to_string().contains("colour"), "{e}");
        assert!(is_sha256(&"0f".repeat(32)) && !is_sha256(&"0F".repeat(32)));
    }
}
