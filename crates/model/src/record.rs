//! Records of every kind, and what kind of item each becomes.

use serde::{Deserialize, Serialize};

use crate::{
    Accident, Activity, AdminArea, Assistance, EoFind, Hazard, Organisation, QaVisit,
    RiskEducationSession, Team, ValidationContext, ValidationErrors, Victim,
};

crate::vocab::vocabulary! {
    /// The kinds of item the store keeps (reference §2.18), with the prefix of their ids.
    ItemKind, "item kind" {
        /// Organisation.
        Organisation => "organisation", "Organisation", ["org"];
        /// Team.
        Team => "team", "Team", [];
        /// Admin area.
        AdminArea => "admin_area", "Admin area", ["adm", "admin"];
        /// Hazard.
        Hazard => "hazard", "Hazard", ["haz"];
        /// Activity.
        Activity => "activity", "Activity", ["act"];
        /// EO find.
        EoFind => "eo_find", "EO find", ["eo", "device"];
        /// Accident.
        Accident => "accident", "Accident", ["acc"];
        /// Victim.
        Victim => "victim", "Victim", ["vic", "casualty"];
        /// Risk education session.
        RiskEducation => "risk_education", "Risk education session", ["re", "eore", "education"];
        /// QA visit.
        QaVisit => "qa_visit", "QA visit", ["qa", "qm"];
        /// Victim-assistance service.
        Assistance => "assistance", "Victim assistance", ["va", "victim_assistance_service"];
    }
}

impl ItemKind {
    /// Prefix of item ids ("HAZ" in "HAZ-000123").
    pub fn id_prefix(self) -> &'static str {
        match self {
            ItemKind::Organisation => "ORG",
            ItemKind::Team => "TEAM",
            ItemKind::AdminArea => "ADM",
            ItemKind::Hazard => "HAZ",
            ItemKind::Activity => "ACT",
            ItemKind::EoFind => "EO",
            ItemKind::Accident => "ACC",
            ItemKind::Victim => "VIC",
            ItemKind::RiskEducation => "RE",
            ItemKind::QaVisit => "QA",
            ItemKind::Assistance => "VA",
        }
    }
}

/// One record of any kind; JSON carries a `"kind"` tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)]
pub enum Record {
    /// An organisation.
    Organisation(Organisation),
    /// A team.
    Team(Team),
    /// An admin area.
    AdminArea(AdminArea),
    /// A hazard.
    Hazard(Hazard),
    /// An activity.
    Activity(Activity),
    /// EO found.
    EoFind(EoFind),
    /// An accident.
    Accident(Accident),
    /// A victim (without personal data).
    Victim(Victim),
    /// A risk-education session.
    RiskEducation(RiskEducationSession),
    /// A QA/QC visit.
    QaVisit(QaVisit),
    /// A victim-assistance service delivered.
    Assistance(Assistance),
}

/// Reference fields of a record, as (field, slot).
macro_rules! refs {
    ($($field:literal => $slot:expr),* $(,)?) => {
        vec![$(($field, $slot)),*]
    };
}

impl Record {
    /// The kind of item this record becomes.
    pub fn kind(&self) -> ItemKind {
        match self {
            Record::Organisation(_) => ItemKind::Organisation,
            Record::Team(_) => ItemKind::Team,
            Record::AdminArea(_) => ItemKind::AdminArea,
            Record::Hazard(_) => ItemKind::Hazard,
            Record::Activity(_) => ItemKind::Activity,
            Record::EoFind(_) => ItemKind::EoFind,
            Record::Accident(_) => ItemKind::Accident,
            Record::Victim(_) => ItemKind::Victim,
            Record::RiskEducation(_) => ItemKind::RiskEducation,
            Record::QaVisit(_) => ItemKind::QaVisit,
            Record::Assistance(_) => ItemKind::Assistance,
        }
    }

    /// The local id (an admin area's P-code).
    pub fn local_id(&self) -> &str {
        match self {
            Record::Organisation(r) => &r.local_id,
            Record::Team(r) => &r.local_id,
            Record::AdminArea(r) => &r.pcode,
            Record::Hazard(r) => &r.local_id,
            Record::Activity(r) => &r.local_id,
            Record::EoFind(r) => &r.local_id,
            Record::Accident(r) => &r.local_id,
            Record::Victim(r) => &r.local_id,
            Record::RiskEducation(r) => &r.local_id,
            Record::QaVisit(r) => &r.local_id,
            Record::Assistance(r) => &r.local_id,
        }
    }

    fn slots(&mut self) -> Vec<(&'static str, &mut Option<String>)> {
        match self {
            Record::Organisation(_) | Record::AdminArea(_) => Vec::new(),
            Record::Team(_) => Vec::new(),
            Record::Hazard(r) => refs!["organisation" => &mut r.organisation],
            Record::Activity(r) => refs![
                "organisation" => &mut r.organisation,
                "team" => &mut r.team,
                "donor" => &mut r.donor,
                "hazard" => &mut r.hazard,
            ],
            Record::EoFind(r) => refs!["activity" => &mut r.activity, "hazard" => &mut r.hazard],
            Record::Accident(r) => refs!["hazard" => &mut r.hazard],
            Record::Victim(r) => refs!["accident" => &mut r.accident],
            Record::RiskEducation(r) => refs![
                "organisation" => &mut r.organisation,
                "donor" => &mut r.donor,
            ],
            Record::QaVisit(r) => refs![
                "activity" => &mut r.activity,
                "organisation" => &mut r.organisation,
            ],
            Record::Assistance(r) => refs![
                "victim" => &mut r.victim,
                "organisation" => &mut r.organisation,
                "donor" => &mut r.donor,
            ],
        }
    }

    /// Every reference this record makes to another item: (field, reference).
    pub fn references(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        match self {
            Record::Team(t) => out.push(("organisation", t.organisation.as_str())),
            Record::Organisation(_) | Record::AdminArea(_) => {}
            Record::Hazard(r) => out.extend(r.organisation.as_deref().map(|v| ("organisation", v))),
            Record::Activity(r) => {
                out.extend(r.organisation.as_deref().map(|v| ("organisation", v)));
                out.extend(r.team.as_deref().map(|v| ("team", v)));
                out.extend(r.donor.as_deref().map(|v| ("donor", v)));
                out.extend(r.hazard.as_deref().map(|v| ("hazard", v)));
                out.extend(r.hazards.iter().map(|v| ("hazard", v.as_str())));
            }
            Record::EoFind(r) => {
                out.extend(r.activity.as_deref().map(|v| ("activity", v)));
                out.extend(r.hazard.as_deref().map(|v| ("hazard", v)));
            }
            Record::Accident(r) => out.extend(r.hazard.as_deref().map(|v| ("hazard", v))),
            Record::Victim(r) => out.extend(r.accident.as_deref().map(|v| ("accident", v))),
            Record::RiskEducation(r) => {
                out.extend(r.organisation.as_deref().map(|v| ("organisation", v)));
                out.extend(r.donor.as_deref().map(|v| ("donor", v)));
            }
            Record::QaVisit(r) => {
                out.extend(r.activity.as_deref().map(|v| ("activity", v)));
                out.extend(r.organisation.as_deref().map(|v| ("organisation", v)));
            }
            Record::Assistance(r) => {
                out.extend(r.victim.as_deref().map(|v| ("victim", v)));
                out.extend(r.organisation.as_deref().map(|v| ("organisation", v)));
                out.extend(r.donor.as_deref().map(|v| ("donor", v)));
            }
        }
        out
    }

    /// Replaces every reference for which `resolve` returns a new value.
    pub fn map_references(&mut self, resolve: &mut dyn FnMut(&str) -> Option<String>) {
        if let Record::Team(t) = self {
            if let Some(new) = resolve(&t.organisation) {
                t.organisation = new;
            }
            return;
        }
        for (_, slot) in self.slots() {
            if let Some(current) = slot.as_deref()
                && let Some(new) = resolve(current)
            {
                *slot = Some(new);
            }
        }
        if let Record::Activity(a) = self {
            for h in &mut a.hazards {
                if let Some(new) = resolve(h) {
                    *h = new;
                }
            }
        }
    }

    /// Checks every field rule of reference §6 that needs no database.
    pub fn validate(&self, ctx: &ValidationContext) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        match self {
            Record::Organisation(r) => r.check(&mut e),
            Record::Team(r) => r.check(&mut e),
            Record::AdminArea(r) => r.check(&mut e),
            Record::Hazard(r) => r.check(ctx, &mut e),
            Record::Activity(r) => r.check(ctx, &mut e),
            Record::EoFind(r) => r.check(ctx, &mut e),
            Record::Accident(r) => r.check(ctx, &mut e),
            Record::Victim(r) => r.check(ctx, &mut e),
            Record::RiskEducation(r) => r.check(ctx, &mut e),
            Record::QaVisit(r) => r.check(ctx, &mut e),
            Record::Assistance(r) => r.check(ctx, &mut e),
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{self, all_records, ctx};

    #[test]
    fn every_kind_round_trips_through_json_with_its_kind_tag() {
        for (r, kind) in all_records().into_iter().zip(ItemKind::ALL) {
            assert_eq!(r.kind(), *kind);
            let json = serde_json::to_value(&r).expect("serialise");
            assert_eq!(json["kind"], kind.code(), "{json}");
            let back: Record = serde_json::from_value(json.clone()).expect("deserialise");
            assert_eq!(back, r, "{json}");
            let text = serde_json::to_string_pretty(&r).expect("text");
            assert_eq!(serde_json::from_str::<Record>(&text).ok(), Some(r));
        }
    }

    #[test]
    fn json_shape_is_flat_with_geojson_geometry() {
        let json = serde_json::to_value(Record::Hazard(fixtures::hazard())).expect("json");
        assert_eq!(json["class"], "cha");
        assert_eq!(json["status"], "worked_on");
        assert_eq!(json["geometry"]["type"], "MultiPolygon");
        assert_eq!(json["geometry"]["coordinates"][0][0][0][0], 103.2);
        assert_eq!(json["evidence"][1], "accident");
        let json = serde_json::to_value(Record::EoFind(fixtures::eo_find())).expect("json");
        assert_eq!(json["location"]["type"], "Point");
        assert_eq!(json["location"]["coordinates"][1], 13.105);
        let json = serde_json::to_value(Record::Organisation(fixtures::organisation()));
        assert_eq!(
            json.expect("json")["organisation_type"],
            "international_ngo"
        );
    }

    #[test]
    fn minimal_json_uses_defaults_and_accepts_a_polygon() {
        let r: Record = serde_json::from_str(
            r#"{"kind":"hazard","local_id":"H9","name":"X","class":"sha","status":"open",
                "geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}}"#,
        )
        .expect("minimal hazard");
        let Record::Hazard(h) = &r else {
            panic!("not a hazard: {r:?}")
        };
        assert!(h.evidence.is_empty() && h.status_change.is_none());
        assert_eq!(h.geometry.as_ref().map(|g| g.0.len()), Some(1));
        assert_eq!(r.validate(&ctx()), Ok(()));
        let r: Record = serde_json::from_str(
            r#"{"kind":"accident","local_id":"A","date":null,"date_known":false}"#,
        )
        .expect("minimal accident");
        assert_eq!(r.validate(&ctx()), Ok(()));
    }

    #[test]
    fn bad_json_is_refused_with_a_clear_error() {
        let err = |s: &str| {
            serde_json::from_str::<Record>(s)
                .expect_err("must fail")
                .to_string()
        };
        assert!(err(r#"{"kind":"minefield"}"#).contains("unknown variant"));
        let e = err(r#"{"kind":"hazard","local_id":"H","name":"X","class":"BHA","status":"open"}"#);
        assert!(e.contains("`BHA` is not a known hazard class"), "{e}");
        // Codes, labels and synonyms are read in any case; the code is what is written.
        let r: Record = serde_json::from_str(
            r#"{"kind":"hazard","local_id":"H","name":"X","class":"Confirmed hazardous area","status":"OPEN"}"#,
        )
        .expect("label and upper case");
        assert_eq!(serde_json::to_value(&r).expect("json")["class"], "cha");
        let e = err(
            r#"{"kind":"eo_find","local_id":"E","category":"ap_mine","quantity":1,
                "location":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}}"#,
        );
        assert!(e.contains("expected a GeoJSON Point"), "{e}");
        let e = err(
            r#"{"kind":"victim","local_id":"V","sex":"male","outcome":"killed","age_at_accident":300}"#,
        );
        assert!(e.contains("300"), "{e}");
    }

    #[test]
    fn local_id_is_the_pcode_for_admin_areas() {
        let ids: Vec<String> = all_records()
            .iter()
            .map(|r| r.local_id().to_owned())
            .collect();
        assert_eq!(
            ids,
            [
                "ORG-HALO", "T1", "KH0201", "H1", "A1", "EO1", "ACC1", "V1", "RE1", "QA1", "VA1"
            ]
        );
    }

    #[test]
    fn references_name_their_field() {
        let refs: Vec<Vec<(&str, String)>> = all_records()
            .iter()
            .map(|r| {
                r.references()
                    .into_iter()
                    .map(|(f, v)| (f, v.to_owned()))
                    .collect()
            })
            .collect();
        let s = |v: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            v.iter().map(|(f, x)| (*f, (*x).to_owned())).collect()
        };
        assert_eq!(refs[0], s(&[]));
        assert_eq!(refs[1], s(&[("organisation", "ORG-HALO")]));
        assert_eq!(refs[2], s(&[]));
        assert_eq!(refs[3], s(&[("organisation", "ORG-HALO")]));
        assert_eq!(
            refs[4],
            s(&[
                ("organisation", "ORG-HALO"),
                ("team", "T1"),
                ("donor", "ORG-DONOR"),
                ("hazard", "H1")
            ])
        );
        assert_eq!(refs[5], s(&[("activity", "A1"), ("hazard", "H1")]));
        assert_eq!(refs[6], s(&[("hazard", "H1")]));
        assert_eq!(refs[7], s(&[("accident", "ACC1")]));
        assert_eq!(refs[8], s(&[("organisation", "ORG-HALO")]));
        assert_eq!(
            refs[9],
            s(&[("activity", "A1"), ("organisation", "ORG-CMAA")])
        );
        assert_eq!(
            refs[10],
            s(&[
                ("victim", "V1"),
                ("organisation", "ORG-HALO"),
                ("donor", "ORG-DONOR")
            ])
        );
    }

    #[test]
    fn map_references_replaces_only_what_resolves() {
        let mut resolve = |r: &str| match r {
            "H1" => Some("HAZ-000012".to_owned()),
            "ORG-HALO" => Some("ORG-000001".to_owned()),
            "A1" => Some("ACT-000007".to_owned()),
            _ => None,
        };
        let mut a = Record::Activity(fixtures::activity());
        a.map_references(&mut resolve);
        assert_eq!(
            a.references(),
            [
                ("organisation", "ORG-000001"),
                ("team", "T1"),
                ("donor", "ORG-DONOR"),
                ("hazard", "HAZ-000012")
            ]
        );
        let mut t = Record::Team(fixtures::team());
        t.map_references(&mut resolve);
        assert_eq!(t.references(), [("organisation", "ORG-000001")]);
        let mut q = Record::QaVisit(fixtures::qa_visit());
        q.map_references(&mut resolve);
        assert_eq!(
            q.references(),
            [("activity", "ACT-000007"), ("organisation", "ORG-CMAA")]
        );
        let mut o = Record::Organisation(fixtures::organisation());
        let before = o.clone();
        o.map_references(&mut |_| Some("X".into()));
        assert_eq!(o, before, "an organisation references nothing");
        // Every reference is offered to `resolve`, and only references are changed.
        for mut r in all_records() {
            let n = r.references().len();
            let mut seen = 0;
            r.map_references(&mut |_| {
                seen += 1;
                Some("NEW".into())
            });
            assert_eq!(seen, n, "{:?}", r.kind());
            assert!(r.references().iter().all(|(_, v)| *v == "NEW"));
        }
    }

    #[test]
    fn item_kinds() {
        let prefixes: Vec<&str> = ItemKind::ALL.iter().map(|k| k.id_prefix()).collect();
        assert_eq!(
            prefixes,
            [
                "ORG", "TEAM", "ADM", "HAZ", "ACT", "EO", "ACC", "VIC", "RE", "QA", "VA"
            ]
        );
        assert_eq!("Hazard".parse::<ItemKind>(), Ok(ItemKind::Hazard));
        assert_eq!("HAZ".parse::<ItemKind>(), Ok(ItemKind::Hazard));
        assert_eq!("eo find".parse::<ItemKind>(), Ok(ItemKind::EoFind));
        assert_eq!("EORE".parse::<ItemKind>(), Ok(ItemKind::RiskEducation));
        let err = "land".parse::<ItemKind>().expect_err("unknown");
        assert!(
            err.to_string().contains("organisation, team, admin_area"),
            "{err}"
        );
    }

    #[test]
    fn valid_fixtures_pass_and_errors_display_one_line_each() {
        for r in all_records() {
            assert_eq!(r.validate(&ctx()), Ok(()), "{:?}", r.kind());
        }
        let mut h = fixtures::hazard();
        h.local_id = " ".into();
        h.name = String::new();
        let e = Record::Hazard(h).validate(&ctx()).expect_err("invalid");
        assert_eq!(e.to_string(), "local_id: is required\nname: is required");
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json[0]["field"], "local_id");
    }
}
