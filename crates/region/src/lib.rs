//! The regional hub's figures (issue 24): for every national node (a country) the hub holds
//! records of, computed from the de-identified records it shares
//! ([`SharedRecord`](safeground_store::hub::SharedRecord)s), never from national databases:
//!
//! * **remaining contamination**: the national definition — each shared hazard's state derived
//!   by [`safeground_store::land_release::derive_hazard_state`] from its polygon (geodesic area)
//!   and the shared activities that name it; a hazard remains unless that state is closed or
//!   handed over;
//! * **land released** per year (of the activity's end date, else its start date) and method:
//!   the geodesic area of each released polygon of an activity that released land (not planned
//!   or aborted), the area written on the form where the polygon is empty;
//! * **EO destroyed** per year of the destroyed date (items, finds without one left out);
//! * **casualties** per year (of the accident's month), sex and age band, killed and injured,
//!   published with the reports' small-number suppression ([`SUPPRESS_BELOW`]);
//! * **risk-education beneficiaries** per year of the session, direct and indirect apart;
//! * **productivity**: m² released per working day by method and asset type (released area
//!   over the days from start to end date of the activities that released it);
//! * each node's latest `received_at` among those records;
//! * **training**, from each node's latest signed training summary (no names): participants
//!   per year, competency, sex and age band (suppressed like casualties), certificates issued
//!   per year and competency, certificates valid per competency, the summary's date.
//!
//! [`regional_figures`] reads the hub through [`HubStore`] one kind and node at a time; the
//! region's totals add the countries' raw counts before suppression. [`regional_report`] lays
//! the figures out as a report (a column per country and one for the region) for the XLSX and
//! PDF writers of `safeground-report` and `safeground-report-pdf`.

#![warn(missing_docs)]

mod activities;
mod error;
mod figures;
mod people;
mod publish;
mod read;
mod remaining;
mod report;
mod suppress;
mod training;

pub use error::RegionError;
pub use figures::{
    Beneficiaries, Casualties, CountryFigures, EoDestroyed, Figures, Productivity, RegionalFigures,
    Released,
};
pub use read::regional_figures;
pub use report::regional_report;
pub use safeground_io::quasi::SUPPRESS_BELOW;
pub use suppress::Published;
pub use training::{CertificatesIssued, Participants, Training, ValidCertificates};
