//! PDF rendering of Safeground reports with typst.
//!
//! [`render_pdf`] takes a report as JSON (the shape `safeground-report` produces:
//! title, language, parameters, tables, charts, map) and lays it out on A4: a cover
//! page with the parameters and a map of the remaining contamination, a bar chart per
//! chart, then every table. English and Khmer are supported; the fonts (Noto Sans,
//! Noto Sans Khmer) are embedded in the binary and nothing is read from disk or the
//! network. The same JSON always gives the same bytes: the document date is the
//! report's as-of date.

mod input;
mod labels;
mod map;
mod view;
mod world;

use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst::foundations::{Datetime, Smart};
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

/// Renders a report given as JSON into PDF bytes.
pub fn render_pdf(report: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
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
    typst_pdf::pdf(&document?, &options).map_err(|e| PdfError::Export(messages(&e)))
}

fn messages(diagnostics: &EcoVec<SourceDiagnostic>) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
