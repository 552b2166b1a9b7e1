//! Everything a report reads, as of its point in both times and inside its selection.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use safeground_model::{
    Accident, Activity, Assistance, CasualtyOutcome, ContaminationType, DisposalMethod, EoFind,
    ItemKind, OrdnanceCategory, Record, ReleaseMethod, RiskEducationSession, Victim,
};
use safeground_store::evidence::TrackSummary;
use safeground_store::{EvidenceStore, HazardState, ProgrammeStore};

use crate::outside::{ReleasedOutsideHazards, linked_hazards};
use crate::tracks::TrackRow;
use crate::{ReportError, ReportParams};

/// A hazard in the selected admin area, with its derived state and credits.
pub(crate) struct HazardData {
    /// Derived state at the as-of point.
    pub state: HazardState,
    /// Contamination types of the hazard's version in force.
    pub contamination: Vec<ContaminationType>,
    /// Whether the hazard belongs to the selected organisation (or none is selected).
    pub selected: bool,
    /// Credits of the released polygons made by the selected organisation, all dates.
    pub credits: Vec<Credit>,
}

impl HazardData {
    /// Whether the hazard counts in remaining figures: selected and not closed.
    pub fn is_remaining(&self) -> bool {
        self.selected && !self.state.status.is_closed()
    }

    /// Whether the hazard's contamination includes `c`.
    pub fn has(&self, c: ContaminationType) -> bool {
        self.contamination.contains(&c)
    }

    /// Admin P-code ("" when none).
    pub fn pcode(&self) -> &str {
        self.state.admin_pcode.as_deref().unwrap_or("")
    }
}

/// The area one released polygon was credited with (store's `release_credits`), with the
/// released area's technical-asset flag.
pub(crate) struct Credit {
    /// Date of information of the activity version.
    pub valid_from: NaiveDate,
    /// Method.
    pub method: ReleaseMethod,
    /// Asset, when recorded.
    pub asset: Option<safeground_model::AssetType>,
    /// Reduced with a technical asset.
    pub technical: bool,
    /// Area credited, m².
    pub area_m2: f64,
}

/// EO destroyed in the period and selection.
pub(crate) struct Destroyed {
    /// Category.
    pub category: OrdnanceCategory,
    /// Model.
    pub model: Option<String>,
    /// Quantity.
    pub quantity: u32,
    /// Admin P-code of the hazard (or activity) where it was found ("" when none).
    pub pcode: String,
    /// Contamination types of that hazard.
    pub contamination: Vec<ContaminationType>,
}

/// An EO find counted in the EO found table.
pub(crate) struct Found {
    /// Category.
    pub category: OrdnanceCategory,
    /// Quantity.
    pub quantity: u32,
    /// Whether a disposal is recorded: a destroyed date, or a disposal method other than
    /// "not yet disposed".
    pub disposed: bool,
    /// False: found in the period; true: no found date (and not destroyed before the period).
    pub date_unknown: bool,
}

impl Found {
    /// The find in the EO found table of `p`, if it belongs there: found in the period, or
    /// without a found date unless its destroyed date shows it was found before the period.
    fn of(e: &EoFind, p: &ReportParams) -> Option<Found> {
        let date_unknown = match e.found_date {
            Some(d) if p.in_period(d) => false,
            Some(_) => return None,
            None if e
                .destroyed_date
                .is_some_and(|d| p.from.is_some_and(|from| d < from)) =>
            {
                return None;
            }
            None => true,
        };
        Some(Found {
            category: e.category,
            quantity: e.quantity,
            disposed: e.destroyed_date.is_some()
                || e.disposal.is_some_and(|m| m != DisposalMethod::NotDisposed),
            date_unknown,
        })
    }
}

/// An accident in the period (or without a date) and the victims recorded for it.
pub(crate) struct AccidentData {
    /// Date of the accident (None: not recorded).
    pub date: Option<NaiveDate>,
    /// Victims recorded as killed.
    pub killed: u64,
    /// Victims recorded as injured.
    pub injured: u64,
}

/// A victim joined to their accident.
pub(crate) struct Casualty {
    /// The victim.
    pub victim: Victim,
    /// Date of the accident.
    pub date: Option<NaiveDate>,
    /// Device category of the accident.
    pub device: Option<OrdnanceCategory>,
}

/// What a report reads.
pub(crate) struct Snapshot {
    /// Admin area names by P-code.
    pub admin_names: BTreeMap<String, String>,
    /// Hazards in the selected admin area, in id order.
    pub hazards: Vec<HazardData>,
    /// EO destroyed in the period and selection, in id order.
    pub destroyed: Vec<Destroyed>,
    /// EO found in the period (or without a found date) and selection, in id order.
    pub found: Vec<Found>,
    /// Casualties in the period and admin area, in id order.
    pub casualties: Vec<Casualty>,
    /// Accidents in the period (or without a date) and admin area, in id order.
    pub accidents: Vec<AccidentData>,
    /// Risk-education sessions in the period and selection, in id order.
    pub sessions: Vec<RiskEducationSession>,
    /// Victim-assistance services in the period and selection, in id order.
    pub services: Vec<Assistance>,
    /// Land released outside recorded hazards by activities dated in the period and selection.
    pub outside: ReleasedOutsideHazards,
    /// Machine and robot tracks of the activities dated in the period and selection.
    pub tracks: Vec<TrackRow>,
}

impl Snapshot {
    /// Name of an admin area ("" when unknown).
    pub fn admin_name(&self, pcode: &str) -> String {
        self.admin_names.get(pcode).cloned().unwrap_or_default()
    }
}

/// Admin area, contamination and organisation of a hazard's version in force.
struct HazardInfo {
    admin: Option<String>,
    contamination: Vec<ContaminationType>,
    organisation: Option<String>,
    geometry: Option<MultiPolygon<f64>>,
}

/// Reads records of one kind in force at the as-of point, in id order.
fn each<S: ProgrammeStore + ?Sized>(
    store: &S,
    p: &ReportParams,
    kind: ItemKind,
    f: &mut dyn FnMut(String, Record) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    for id in store.items_of_kind(kind)? {
        if let Some(v) = store.item_as_of(&id, p.as_of)? {
            f(id, v.record)?;
        }
    }
    Ok(())
}

/// Activities read once each.
struct Activities(BTreeMap<String, Option<Activity>>);

impl Activities {
    fn get<S: ProgrammeStore + ?Sized>(
        &mut self,
        store: &S,
        p: &ReportParams,
        id: &str,
    ) -> Result<Option<&Activity>, ReportError> {
        if !self.0.contains_key(id) {
            let activity = match store.item_as_of(id, p.as_of)? {
                Some(v) => match v.record {
                    Record::Activity(a) => Some(a),
                    _ => None,
                },
                None => None,
            };
            self.0.insert(id.to_owned(), activity);
        }
        Ok(self.0.get(id).and_then(Option::as_ref))
    }
}

/// The item id of the organisation (`what`: "organisation" or "donor") with this item id or
/// local id.
fn resolve_organisation<S: ProgrammeStore + ?Sized>(
    store: &S,
    wanted: &str,
    what: &str,
) -> Result<String, ReportError> {
    let ids = store.items_of_kind(ItemKind::Organisation)?;
    if ids.iter().any(|i| i == wanted) {
        return Ok(wanted.to_owned());
    }
    for id in &ids {
        if store
            .versions(id)?
            .iter()
            .any(|v| v.record.local_id() == wanted)
        {
            return Ok(id.clone());
        }
    }
    Err(ReportError::Parameters(format!(
        "no {what} has the id or local id `{wanted}`: give an organisation's item id or \
         local id (safeground items --kind organisation lists them)"
    )))
}

/// Reads the snapshot of a report.
pub(crate) fn load<S: ProgrammeStore + EvidenceStore + ?Sized>(
    store: &S,
    p: &ReportParams,
) -> Result<Snapshot, ReportError> {
    let organisation = p
        .organisation
        .as_deref()
        .map(|o| resolve_organisation(store, o, "organisation"))
        .transpose()?;
    let org_ok = |o: Option<&str>| organisation.as_deref().is_none_or(|want| o == Some(want));
    let donor = p
        .donor
        .as_deref()
        .map(|o| resolve_organisation(store, o, "donor"))
        .transpose()?;
    let donor_ok = |d: Option<&str>| donor.as_deref().is_none_or(|want| d == Some(want));
    // Without a period, records without a date count; with one, only dated records in it.
    let period_set = p.from.is_some() || p.to.is_some();
    let dated_ok = |d: Option<NaiveDate>| d.map_or(!period_set, |d| p.in_period(d));

    let mut admin_names = BTreeMap::new();
    each(store, p, ItemKind::AdminArea, &mut |_, r| {
        if let Record::AdminArea(a) = r {
            admin_names.insert(a.pcode, a.name);
        }
        Ok(())
    })?;

    let mut activities = Activities(BTreeMap::new());
    let mut info = BTreeMap::new();
    let mut hazards = Vec::new();
    each(store, p, ItemKind::Hazard, &mut |id, r| {
        let Record::Hazard(h) = r else {
            return Ok(());
        };
        info.insert(
            id.clone(),
            HazardInfo {
                admin: h.admin_pcode.clone(),
                contamination: h.contamination.clone(),
                organisation: h.organisation.clone(),
                geometry: h.geometry.clone(),
            },
        );
        if !p.in_admin_area(h.admin_pcode.as_deref()) {
            return Ok(());
        }
        let Some(state) = store.hazard_state(&id, p.as_of)? else {
            return Ok(());
        };
        // The k-th credit of an activity is its k-th released area (the store credits every
        // released area of an activity that released land, in order).
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut credits = Vec::new();
        for c in store.release_credits(&id, p.as_of)? {
            let k = seen.entry(c.activity.clone()).or_insert(0);
            let activity = activities.get(store, p, &c.activity)?.ok_or_else(|| {
                ReportError::Inconsistent(format!(
                    "{id} is credited by {} which does not exist",
                    c.activity
                ))
            })?;
            let released = activity.released_areas.get(*k).ok_or_else(|| {
                ReportError::Inconsistent(format!(
                    "{} has more credits than released areas",
                    c.activity
                ))
            })?;
            *k += 1;
            let org = activity
                .organisation
                .as_deref()
                .or(h.organisation.as_deref());
            if org_ok(org) && donor_ok(activity.donor.as_deref()) {
                credits.push(Credit {
                    valid_from: c.valid_from,
                    method: c.method,
                    asset: c.asset_type,
                    technical: released.technical_asset_used,
                    area_m2: c.area_m2,
                });
            }
        }
        hazards.push(HazardData {
            selected: org_ok(h.organisation.as_deref()),
            contamination: h.contamination,
            state,
            credits,
        });
        Ok(())
    })?;

    // Land released outside the hazards each activity is linked to, and the tracks of
    // machines and robots that worked on them (those stored by the known-at time).
    let mut tracked: BTreeMap<String, Vec<TrackSummary>> = BTreeMap::new();
    for t in store.tracks(None)? {
        if p.as_of.known_at.is_none_or(|k| t.added_at <= k) {
            tracked.entry(t.activity.clone()).or_default().push(t);
        }
    }
    let mut outside = ReleasedOutsideHazards::default();
    let mut tracks = Vec::new();
    for id in store.items_of_kind(ItemKind::Activity)? {
        let Some(v) = store.item_as_of(&id, p.as_of)? else {
            continue;
        };
        let Record::Activity(a) = &v.record else {
            continue;
        };
        let its_tracks = tracked.remove(&a.local_id);
        if (a.released_areas.is_empty() && its_tracks.is_none()) || !p.in_period(v.valid_from) {
            continue;
        }
        let linked: Vec<&HazardInfo> = linked_hazards(a).filter_map(|h| info.get(h)).collect();
        let first = linked.first();
        let pcode = a
            .admin_pcode
            .as_deref()
            .or(first.and_then(|h| h.admin.as_deref()));
        let org = a
            .organisation
            .as_deref()
            .or(first.and_then(|h| h.organisation.as_deref()));
        if !(p.in_admin_area(pcode) && org_ok(org) && donor_ok(a.donor.as_deref())) {
            continue;
        }
        tracks.extend(
            its_tracks
                .into_iter()
                .flatten()
                .map(|t| TrackRow::new(a, t)),
        );
        if a.released_areas.is_empty() {
            continue;
        }
        let shapes: Vec<&MultiPolygon<f64>> =
            linked.iter().filter_map(|h| h.geometry.as_ref()).collect();
        outside.add(a, &shapes)?;
    }

    let mut destroyed = Vec::new();
    let mut found = Vec::new();
    each(store, p, ItemKind::EoFind, &mut |_, r| {
        let Record::EoFind(e) = r else {
            return Ok(());
        };
        let is_destroyed = e.destroyed_date.is_some_and(|d| p.in_period(d));
        let is_found = Found::of(&e, p);
        if !is_destroyed && is_found.is_none() {
            return Ok(());
        }
        let activity = match e.activity.as_deref() {
            Some(a) => activities.get(store, p, a)?.cloned(),
            None => None,
        };
        let hazard = e
            .hazard
            .as_deref()
            .or(activity.as_ref().and_then(|a| a.hazard.as_deref()))
            .and_then(|h| info.get(h));
        let pcode = hazard
            .and_then(|h| h.admin.clone())
            .or(activity.as_ref().and_then(|a| a.admin_pcode.clone()));
        let org = activity
            .as_ref()
            .and_then(|a| a.organisation.clone())
            .or(hazard.and_then(|h| h.organisation.clone()));
        let funded = activity.as_ref().and_then(|a| a.donor.as_deref());
        if !(p.in_admin_area(pcode.as_deref()) && org_ok(org.as_deref()) && donor_ok(funded)) {
            return Ok(());
        }
        found.extend(is_found);
        if is_destroyed {
            destroyed.push(Destroyed {
                category: e.category,
                model: e.model,
                quantity: e.quantity,
                pcode: pcode.unwrap_or_default(),
                contamination: hazard.map(|h| h.contamination.clone()).unwrap_or_default(),
            });
        }
        Ok(())
    })?;

    let mut accidents: BTreeMap<String, Option<Accident>> = BTreeMap::new();
    let mut casualties = Vec::new();
    // Killed and injured recorded for each accident, whatever the victims' selection.
    let mut outcomes: BTreeMap<String, [u64; 2]> = BTreeMap::new();
    each(store, p, ItemKind::Victim, &mut |_, r| {
        let Record::Victim(victim) = r else {
            return Ok(());
        };
        if let Some(a) = victim.accident.as_deref() {
            let counts = outcomes.entry(a.to_owned()).or_default();
            match victim.outcome {
                CasualtyOutcome::Killed => counts[0] += 1,
                CasualtyOutcome::Injured => counts[1] += 1,
            }
        }
        let accident = match victim.accident.as_deref() {
            Some(a) => {
                if !accidents.contains_key(a) {
                    let acc = match store.item_as_of(a, p.as_of)?.map(|v| v.record) {
                        Some(Record::Accident(acc)) => Some(acc),
                        _ => None,
                    };
                    accidents.insert(a.to_owned(), acc);
                }
                accidents.get(a).and_then(Option::as_ref)
            }
            None => None,
        };
        let date = accident.and_then(|a| a.date);
        let pcode = accident.and_then(|a| a.admin_pcode.as_deref());
        if dated_ok(date) && p.in_admin_area(pcode) {
            casualties.push(Casualty {
                device: accident.and_then(|a| a.device_category),
                date,
                victim,
            });
        }
        Ok(())
    })?;

    // Accidents dated in the period, and undated ones whatever the period (shown apart).
    let mut accident_rows = Vec::new();
    each(store, p, ItemKind::Accident, &mut |id, r| {
        if let Record::Accident(a) = r
            && a.date.is_none_or(|d| p.in_period(d))
            && p.in_admin_area(a.admin_pcode.as_deref())
        {
            let [killed, injured] = outcomes.get(&id).copied().unwrap_or_default();
            accident_rows.push(AccidentData {
                date: a.date,
                killed,
                injured,
            });
        }
        Ok(())
    })?;

    let mut sessions = Vec::new();
    each(store, p, ItemKind::RiskEducation, &mut |_, r| {
        if let Record::RiskEducation(s) = r
            && dated_ok(s.date)
            && p.in_admin_area(s.admin_pcode.as_deref())
            && org_ok(s.organisation.as_deref())
            && donor_ok(s.donor.as_deref())
        {
            sessions.push(s);
        }
        Ok(())
    })?;

    let mut services = Vec::new();
    each(store, p, ItemKind::Assistance, &mut |_, r| {
        if let Record::Assistance(a) = r
            && dated_ok(a.date)
            && p.in_admin_area(a.admin_pcode.as_deref())
            && org_ok(a.organisation.as_deref())
            && donor_ok(a.donor.as_deref())
        {
            services.push(a);
        }
        Ok(())
    })?;

    Ok(Snapshot {
        admin_names,
        hazards,
        destroyed,
        found,
        casualties,
        accidents: accident_rows,
        sessions,
        services,
        outside,
        tracks,
    })
}
