//! PDF rendering of Safeground reports with typst.
//!
//! [`render_pdf`] takes a report as JSON (the shape `safeground-report` produces:
//! title, language, parameters, tables, charts, map) and lays it out on A4: a cover
//! page with the parameters and a map of the remaining contamination, a bar chart per
//! chart, then every table. English, Khmer, Lao, Thai, Vietnamese, Burmese and
//! Azerbaijani are supported; the fonts (Noto Sans, Noto Sans Khmer, Lao, Thai and
//! Myanmar) are embedded in the binary and nothing is read from disk or the network.
//! The same JSON always gives the same bytes: the document date is the report's as-of
//! date. [`render`] also says which characters no embedded font could draw (typst draws
//! them as empty boxes, "tofu", without a warning).

mod input;
mod labels;
mod map;
mod view;
mod world;

use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst::foundations::{Datetime, Smart};
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::input::Report;
use crate::view::View;
use crate::world::ReportWorld;

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The JSON does not have the report shape.
    #[error("report JSON does not have the expected shape: {0}")]
    Shape(#[from] serde_json::Error),
    /// The JSON has the right shape but inconsistent content.
    #[error("invalid report: {0}")]
    Invalid(String),
    /// typst could not lay out the report.
    #[error("typst layout failed: {0}")]
    Compile(String),
    /// typst could not write the PDF.
    #[error("PDF export failed: {0}")]
    Export(String),
}

/// A rendered report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Characters that no embedded font has a glyph for, each once, in order of first use;
    /// the PDF shows them as empty boxes.
    pub missing_glyphs: Vec<char>,
}

/// Renders a report given as JSON into PDF bytes.
pub fn render_pdf(report: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
    render(report).map(|r| r.pdf)
}

/// Renders a report given as JSON into PDF bytes and lists the characters it could not draw.
pub fn render(report: &serde_json::Value) -> Result<Rendered, PdfError> {
    let report = Report::from_json(report)?;
    let as_of = report.as_of()?;
    let date = Datetime::from_ymd(as_of.year, as_of.month, as_of.day)
        .ok_or_else(|| PdfError::Invalid(format!("as-of date {:?} out of range", as_of)))?;
    let mut view = View::new(&report)?;
    let svg = view
        .map
        .as_mut()
        .map(|m| std::mem::take(&mut m.svg))
        .unwrap_or_default();
    let data = serde_json::to_vec(&view)?;
    let world = ReportWorld::new(data, svg, date)?;

    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| PdfError::Compile(messages(&e)));
    // Keep typst's memoisation cache bounded in a long-running server.
    typst::comemo::evict(10);
    let options = PdfOptions {
        creator: Smart::Custom(Some("Safeground".into())),
        timestamp: Some(Timestamp::new_utc(date)),
        ..PdfOptions::default()
    };
    let document = document?;
    let mut missing_glyphs = Vec::new();
    for page in document.pages() {
        tofu(&page.frame, &mut missing_glyphs);
    }
    let pdf = typst_pdf::pdf(&document, &options).map_err(|e| PdfError::Export(messages(&e)))?;
    Ok(Rendered {
        pdf,
        missing_glyphs,
    })
}

/// Adds to `out` the characters of `frame` drawn with glyph 0 (`.notdef`, the box typst
/// draws when no font in the list has the character).
fn tofu(frame: &Frame, out: &mut Vec<char>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => tofu(&group.frame, out),
            FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    let chars = text.text.get(glyph.range()).unwrap_or_default().chars();
                    for c in chars.filter(|c| !c.is_whitespace()) {
                        if !out.contains(&c) {
                            out.push(c);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn messages(diagnostics: &EcoVec<SourceDiagnostic>) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
