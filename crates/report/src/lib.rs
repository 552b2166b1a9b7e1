//! Safeground's report engine (reference §4): for a period, an admin area, an organisation, a
//! donor and an as-of point in both times, the land released (by admin area, asset,
//! contamination type and year, and outside recorded hazards), machine and robot tracks beside
//! the area cleared, the contamination remaining by class, progress against a deadline with a
//! projected completion date, EO destroyed and found (with and without disposal), casualties
//! with small-number suppression, accidents with and without recorded victims, risk
//! education beneficiaries, victim-assistance services, and the APMBC Article 7 (Forms C,
//! F/G), CCM Article 7 and APMBC Article 5 extension-request tables.
//!
//! [`Report::build`] reads a [`ProgrammeStore`](safeground_store::ProgrammeStore) only through
//! its bitemporal reads (and the tracks stored by the known-at time), so a report for a past
//! as-of point gives the same figures however many reports are approved later; [`to_json`],
//! [`write_csv`] and [`write_xlsx`] write it with deterministic bytes.

#![warn(missing_docs)]

mod assistance;
mod counts;
mod csv_out;
mod eo;
mod error;
mod forecast;
mod i18n;
mod json;
mod land;
mod lang;
mod outside;
mod params;
mod people;
mod progress;
mod remaining;
mod report;
mod snapshot;
mod suppress;
mod table;
mod tracks;
mod treaty;
mod xlsx;

pub use csv_out::write_csv;
pub use error::ReportError;
pub use forecast::{CompletionForecast, FORECAST_TABLE, ForecastRow};
pub use json::to_json;
pub use outside::{OUTSIDE_TOLERANCE_M2, OutsideByMethod, ReleasedOutsideHazards, linked_hazards};
pub use params::{Language, ReportParams, UnknownLanguage};
pub use report::{Chart, Report};
pub use suppress::WITHHELD;
pub use table::{Cell, Column, ColumnKind, Row, Table};
pub use tracks::{TRACKS_TABLE, cleared_by_report_m2};
pub use xlsx::write_xlsx;
