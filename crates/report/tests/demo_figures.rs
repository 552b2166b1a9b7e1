//! Every figure of every table, on the demo programme, equals an independent computation with
//! plain SQL over the SQLite file, for several selections.
#![allow(clippy::unwrap_used)]

mod common;

use common::check;
use safeground_report::{Cell, Report, ReportParams};
use safeground_store::AsOf;

#[test]
fn every_table_matches_sql_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = common::demo(dir.path(), 40, 7);
    let selections = [
        common::Selection {
            as_of: AsOf::date(common::d("2025-12-31")),
            from: None,
            to: None,
            admin: None,
            organisation: None,
            donor: None,
        },
        common::Selection {
            as_of: AsOf::date(common::d("2024-06-30")),
            from: Some("2021-01-01"),
            to: Some("2023-12-31"),
            admin: None,
            organisation: None,
            donor: None,
        },
        common::Selection {
            as_of: AsOf::date(common::d("2025-12-31")),
            from: Some("2019-01-01"),
            to: None,
            admin: Some("KH0"),
            organisation: None,
            donor: None,
        },
        common::Selection {
            as_of: AsOf::date(common::d("2025-12-31")),
            from: None,
            to: None,
            admin: None,
            organisation: Some("ORG-CMAC"),
            donor: None,
        },
        common::Selection {
            as_of: AsOf::date(common::d("2022-12-31")),
            from: Some("2020-01-01"),
            to: Some("2022-12-31"),
            admin: Some("KH13"),
            organisation: None,
            donor: None,
        },
        common::Selection {
            as_of: AsOf::date(common::d("2025-12-31")),
            from: Some("2018-01-01"),
            to: None,
            admin: None,
            organisation: None,
            donor: Some("ORG-DONOR-JP"),
        },
    ];
    for s in &selections {
        let params = ReportParams {
            from: s.from.map(common::d),
            to: s.to.map(common::d),
            admin_area: s.admin.map(str::to_owned),
            organisation: s.organisation.map(str::to_owned),
            donor: s.donor.map(str::to_owned),
            treaty_deadline: Some(common::d("2030-12-31")),
            ..ReportParams::as_of(s.as_of.date)
        };
        let report = Report::build(&store, &params).unwrap();
        let conn = common::sql(&path, &store, s);
        check::every_table(&report, &conn);
    }

    // The headline figures of the demo, for the record.
    let report = Report::build(&store, &ReportParams::as_of(common::d("2025-12-31"))).unwrap();
    let total = |id: &str, key: &str| report.table(id).unwrap().total_cell(key).cloned();
    let area = |c: Option<Cell>| c.and_then(|c| c.area()).unwrap_or(f64::NAN);
    let count = |c: Option<Cell>| c.and_then(|c| c.count()).unwrap_or(0);
    eprintln!(
        "demo (40 hazards, seed 7) as of 2025-12-31: cancelled {:.2} m², reduced {:.2} m², \
         cleared {:.2} m², released {:.2} m², remaining {:.2} m² in {} hazards, EO destroyed {}, \
         casualties {}, direct RE beneficiaries {}",
        area(total("land_release_by_admin_area", "cancelled_m2")),
        area(total("land_release_by_admin_area", "reduced_technical_m2"))
            + area(total(
                "land_release_by_admin_area",
                "reduced_non_technical_m2"
            )),
        area(total("land_release_by_admin_area", "cleared_m2")),
        area(total("land_release_by_admin_area", "released_m2")),
        area(total("remaining_by_class", "total_m2")),
        count(total("remaining_by_class", "total_hazards")),
        count(total("eo_destroyed", "quantity")),
        count(total("casualties", "total")),
        count(total("risk_education", "direct")),
    );
    let nonempty = report.tables.iter().filter(|t| !t.rows.is_empty()).count();
    assert!(nonempty >= 14, "the demo fills the tables: {nonempty}");
    assert!(count(total("victim_assistance", "services")) > 0);
    // A donor's share of the land released is part of it, not all nor nothing.
    let funded = Report::build(
        &store,
        &ReportParams {
            donor: Some("ORG-DONOR-JP".into()),
            ..ReportParams::as_of(common::d("2025-12-31"))
        },
    )
    .unwrap();
    let released = |r: &Report| {
        area(
            r.table("land_release_by_admin_area")
                .unwrap()
                .total_cell("released_m2")
                .cloned(),
        )
    };
    let share = released(&funded) / released(&report);
    assert!(share > 0.05 && share < 0.95, "donor share {share}");
}
