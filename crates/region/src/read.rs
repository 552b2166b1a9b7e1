//! Reading the hub: every registered node's shared records, one kind at a time, into its tally.

use chrono::{DateTime, Utc};
use safeground_model::{Activity, EoFind, Hazard, ItemKind, RiskEducationSession};
use safeground_store::hub::SharedRecord;
use safeground_store::{Flow, HubStore, HubTrainingStore};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::figures::{CountryFigures, RegionalFigures, Tally};
use crate::people::{AccidentYears, add_eo_find, add_session};
use crate::remaining::Links;
use crate::{RegionError, SUPPRESS_BELOW, activities, publish, training};

/// The figures of every node registered at the hub (of those in `only`, when given), by node
/// id, and of the region they make up, computed at `now`.
pub fn regional_figures<S: HubStore + HubTrainingStore + ?Sized>(
    store: &S,
    only: Option<&[String]>,
    now: DateTime<Utc>,
) -> Result<RegionalFigures, RegionError> {
    let nodes = store.hub_nodes()?;
    let mut countries = Vec::new();
    let mut tallies = Vec::new();
    let mut trainings = Vec::new();
    for node in nodes
        .into_iter()
        .filter(|n| only.is_none_or(|o| o.contains(&n.node)))
    {
        let tally = tally(store, &node.node)?;
        let trained = training::tally(store, &node.node)?;
        let mut figures = publish::country(&tally, SUPPRESS_BELOW);
        figures.training = training::country(&trained, SUPPRESS_BELOW);
        trainings.push(trained);
        countries.push(CountryFigures {
            figures,
            received_at: tally.received_at,
            node: node.node,
            name: node.name,
        });
        tallies.push(tally);
    }
    let all: Vec<&Tally> = tallies.iter().collect();
    let mut region = publish::region(&all, SUPPRESS_BELOW);
    region.training = training::region(&trainings.iter().collect::<Vec<_>>(), SUPPRESS_BELOW);
    Ok(RegionalFigures {
        generated_at: now,
        suppress_below: SUPPRESS_BELOW,
        region,
        countries,
    })
}

/// Reads one node's records into its tally.
fn tally<S: HubStore + ?Sized>(store: &S, node: &str) -> Result<Tally, RegionError> {
    let mut t = Tally::default();
    let mut links = Links::default();
    each(
        store,
        ItemKind::Activity,
        node,
        &mut |t, r| {
            let a: Activity = model(r)?;
            activities::add_activity(t, &a);
            links.add(&a, r.received_at);
            Ok(())
        },
        &mut t,
    )?;
    each(
        store,
        ItemKind::Hazard,
        node,
        &mut |t, r| {
            let h: Hazard = model(r)?;
            let id = r.record.get("id").and_then(Value::as_str);
            links.add_hazard(t, &r.item, id, &h)?;
            Ok(())
        },
        &mut t,
    )?;
    drop(links);
    each(
        store,
        ItemKind::EoFind,
        node,
        &mut |t, r| {
            add_eo_find(t, &model::<EoFind>(r)?);
            Ok(())
        },
        &mut t,
    )?;
    each(
        store,
        ItemKind::RiskEducation,
        node,
        &mut |t, r| {
            add_session(t, &model::<RiskEducationSession>(r)?);
            Ok(())
        },
        &mut t,
    )?;
    let mut years = AccidentYears::default();
    each(
        store,
        ItemKind::Accident,
        node,
        &mut |_, r| {
            years.add(&r.record);
            Ok(())
        },
        &mut t,
    )?;
    each(
        store,
        ItemKind::Victim,
        node,
        &mut |t, r| {
            years.add_victim(t, &r.record);
            Ok(())
        },
        &mut t,
    )?;
    Ok(t)
}

/// Gives each shared record of `kind` of `node` to `f` with the tally, noting its arrival.
fn each<S: HubStore + ?Sized>(
    store: &S,
    kind: ItemKind,
    node: &str,
    f: &mut dyn FnMut(&mut Tally, &SharedRecord) -> Result<(), RegionError>,
    t: &mut Tally,
) -> Result<(), RegionError> {
    let mut failed = None;
    store.for_each_shared_record(kind, Some(node), &mut |r| {
        t.received(r.received_at);
        match f(t, &r) {
            Ok(()) => Ok(Flow::Continue),
            Err(RegionError::Store(e)) => Err(e),
            Err(e) => {
                failed = Some(e);
                Ok(Flow::Stop)
            }
        }
    })?;
    failed.map_or(Ok(()), Err)
}

/// A shared record as its model type (the fields it does not share take their defaults).
fn model<T: DeserializeOwned>(r: &SharedRecord) -> Result<T, RegionError> {
    T::deserialize(&r.record).map_err(|e| RegionError::Record {
        node: r.node.clone(),
        item: r.item.clone(),
        kind: r.kind,
        message: e.to_string(),
    })
}
