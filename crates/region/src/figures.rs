//! The published shape of the regional figures (the dashboard's JSON) and the raw tally one
//! country's records add up to before publication.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use safeground_model::{AssetType, ReleaseMethod};
use serde::Serialize;
use utoipa::ToSchema;

use crate::Published;
use crate::training::Training;

/// The region's figures: a row per country and the region's totals.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RegionalFigures {
    /// When they were computed (RFC 3339).
    pub generated_at: DateTime<Utc>,
    /// Casualty counts from 1 to this − 1 are published as "<N"; "x" marks a withheld total.
    pub suppress_below: u64,
    /// One per registered node, by node id.
    pub countries: Vec<CountryFigures>,
    /// The region: the countries' figures added up (casualties suppressed on the sums).
    pub region: Figures,
}

/// One country's figures.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CountryFigures {
    /// Node id: the country's ISO 3166-1 alpha-3 code.
    pub node: String,
    /// The programme's name, from its node card.
    pub name: String,
    /// When the hub received the newest of the records these figures read (null: none).
    pub received_at: Option<DateTime<Utc>>,
    /// The figures.
    pub figures: Figures,
}

/// The figures of a country or of the region. Lists are sorted by their keys; a null year is
/// a record without the date that places it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ToSchema)]
pub struct Figures {
    /// Hazards not closed nor handed over.
    pub hazards_remaining: u64,
    /// Their remaining area, m² (0.01).
    pub remaining_m2: f64,
    /// Land released per year and method.
    pub released: Vec<Released>,
    /// EO items destroyed per year.
    pub eo_destroyed: Vec<EoDestroyed>,
    /// Casualties per year, sex and age band (suppressed).
    pub casualties: Vec<Casualties>,
    /// All casualties (killed and injured), suppressed as a total.
    pub casualties_total: Published,
    /// Risk-education beneficiaries per year.
    pub risk_education: Vec<Beneficiaries>,
    /// m² released per working day, by method and asset type.
    pub productivity: Vec<Productivity>,
    /// Training: participants (suppressed), certificates issued and valid, from the latest
    /// training summary.
    pub training: Training,
}

/// Land released in a year by a method.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Released {
    /// Year of the activity's end date (else its start date); null: neither is known.
    pub year: Option<i32>,
    /// cancelled, reduced or cleared.
    #[schema(value_type = String)]
    pub method: ReleaseMethod,
    /// Area, m² (0.01).
    pub m2: f64,
}

/// EO items destroyed in a year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EoDestroyed {
    /// Year of the destroyed date.
    pub year: i32,
    /// Items (the finds' quantities added up).
    pub items: u64,
}

/// Casualties of a year, sex and age band.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Casualties {
    /// Year of the accident; null: the accident's month is not known.
    pub year: Option<i32>,
    /// Sex code ("female", "male", "unknown"), or "withheld" where the node withheld it.
    pub sex: String,
    /// Age band ("0–4", "5–9", "10–17", "18+"), "unknown", or "withheld".
    pub age_band: String,
    /// Killed (suppressed).
    pub killed: Published,
    /// Injured (suppressed).
    pub injured: Published,
}

/// Risk-education beneficiaries of a year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Beneficiaries {
    /// Year of the session; null: no date.
    pub year: Option<i32>,
    /// Direct beneficiaries.
    pub direct: u64,
    /// Indirect beneficiaries (counted apart, never added to direct).
    pub indirect: u64,
}

/// Productivity of a method and asset type.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Productivity {
    /// cancelled, reduced or cleared.
    #[schema(value_type = String)]
    pub method: ReleaseMethod,
    /// Asset type code; null: not recorded.
    #[schema(value_type = Option<String>)]
    pub asset_type: Option<AssetType>,
    /// Area released, m² (0.01), by activities with a start and an end date.
    pub m2: f64,
    /// Their working days (end − start + 1, each activity once).
    pub days: u64,
    /// m² per day (0.01).
    pub m2_per_day: f64,
    /// Activities (each with its own m² per day).
    pub activities: usize,
    /// First quartile of the activities' m² per day (0.01).
    pub q1: f64,
    /// Median of the activities' m² per day (0.01).
    pub median: f64,
    /// Third quartile of the activities' m² per day (0.01).
    pub q3: f64,
}

/// Killed and injured of a (year, sex, age band).
pub(crate) type CasualtyKey = (Option<i32>, String, String);

/// One country's raw figures, before rounding and suppression.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    /// Hazards remaining.
    pub hazards_remaining: u64,
    /// Their remaining area, m².
    pub remaining_m2: f64,
    /// m² per (year, method).
    pub released: BTreeMap<(Option<i32>, ReleaseMethod), f64>,
    /// Items per year.
    pub eo_destroyed: BTreeMap<i32, u64>,
    /// [killed, injured] per key.
    pub casualties: BTreeMap<CasualtyKey, [u64; 2]>,
    /// [direct, indirect] per year.
    pub risk_education: BTreeMap<Option<i32>, [u64; 2]>,
    /// (m², days) per (method, asset type).
    pub productivity: BTreeMap<(ReleaseMethod, Option<AssetType>), (f64, u64)>,
    /// Each activity's m² per day, per (method, asset type).
    pub rates: BTreeMap<(ReleaseMethod, Option<AssetType>), Vec<f64>>,
    /// The newest record's arrival.
    pub received_at: Option<DateTime<Utc>>,
}

impl Tally {
    /// Notes a record received at `t`.
    pub fn received(&mut self, t: DateTime<Utc>) {
        self.received_at = self.received_at.max(Some(t));
    }
}
