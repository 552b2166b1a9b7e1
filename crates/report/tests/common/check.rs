//! Every table of a report checked against plain SQL over the store's file.
#![allow(clippy::unwrap_used, dead_code)]

use std::collections::BTreeMap;

use chrono::{Datelike, Days};
use rusqlite::Connection;
use safeground_model::{
    ActivityAtTimeOfAccident, AgeBand, AssetType, AssistanceType, ContaminationType,
    OrdnanceCategory, Sex,
};
use safeground_report::{Cell, Report, Table};

use super::{IN_PERIOD, IN_SELECTION, assert_maps, assert_row, query_map, sums, table_map, total};

const RELEASED: [&str; 5] = [
    "cancelled_m2",
    "reduced_technical_m2",
    "reduced_non_technical_m2",
    "cleared_m2",
    "released_m2",
];

const SQL_RELEASED: &str = "sum(CASE WHEN method = 'cancelled' THEN area ELSE 0 END), \
     sum(CASE WHEN method = 'reduced' AND technical THEN area ELSE 0 END), \
     sum(CASE WHEN method = 'reduced' AND NOT technical THEN area ELSE 0 END), \
     sum(CASE WHEN method = 'cleared' THEN area ELSE 0 END), sum(area)";

const SQL_TYPES: &str = "coalesce((SELECT group_concat(value, ',') FROM \
     (SELECT value FROM json_each(contamination) ORDER BY value)), '')";

fn code<T: std::str::FromStr>(label: &str, f: impl Fn(T) -> &'static str) -> String {
    label.parse::<T>().map(f).unwrap_or_default().to_owned()
}

fn table<'a>(r: &'a Report, id: &str) -> &'a Table {
    r.table(id).unwrap_or_else(|| panic!("no table {id}"))
}

/// Compares a table's rows and total with a SQL grouping.
fn compare(
    t: &Table,
    key: impl Fn(&dyn Fn(&str) -> String) -> String,
    nums: &[&str],
    want: &BTreeMap<String, Vec<f64>>,
) {
    let got = table_map(t, key, nums);
    assert_maps(&t.id, &got, want);
    assert_row(
        &format!("{} total", t.id),
        &total(t, nums),
        &sums(want, nums.len()),
    );
}

fn has(kind: &str) -> String {
    format!("EXISTS (SELECT 1 FROM json_each(contamination) WHERE value = '{kind}')")
}

/// Checks every figure of `r` against SQL on `conn` (set up by [`super::sql`] for the same
/// selection); `years` are the three years of the progress tables.
pub fn every_table(r: &Report, conn: &Connection) {
    let years = {
        let d = r.params.as_of.date;
        let last = if d.month() == 12 && d.day() == 31 {
            d.year()
        } else {
            d.year() - 1
        };
        [last - 2, last - 1, last]
    };
    // Land release.
    let release = |group: &str| {
        query_map(
            conn,
            &format!(
                "SELECT {group}, {SQL_RELEASED} FROM cr, p WHERE {IN_PERIOD} AND {IN_SELECTION} \
                 GROUP BY 1"
            ),
            1,
        )
    };
    compare(
        table(r, "land_release_by_admin_area"),
        |g| g("admin_pcode"),
        &RELEASED,
        &release("pcode"),
    );
    compare(
        table(r, "land_release_by_asset"),
        |g| code::<AssetType>(&g("asset"), AssetType::code),
        &RELEASED,
        &release("asset"),
    );
    compare(
        table(r, "land_release_by_contamination"),
        |g| {
            let mut codes: Vec<String> = g("contamination")
                .split(" + ")
                .map(|l| code::<ContaminationType>(l, ContaminationType::code))
                .filter(|c| !c.is_empty())
                .collect();
            codes.sort();
            codes.join(",")
        },
        &RELEASED,
        &release(SQL_TYPES),
    );
    compare(
        table(r, "land_release_by_year"),
        |g| g("year"),
        &RELEASED,
        &release("year"),
    );

    // Remaining by class.
    let remaining = "status NOT IN ('closed', 'handed_over')";
    let by_class = "sum(class IN ('sha', 'indication')), \
         sum(CASE WHEN class IN ('sha', 'indication') THEN remaining ELSE 0 END), \
         sum(class = 'cha'), sum(CASE WHEN class = 'cha' THEN remaining ELSE 0 END)";
    compare(
        table(r, "remaining_by_class"),
        |g| g("admin_pcode"),
        &[
            "sha_hazards",
            "sha_m2",
            "cha_hazards",
            "cha_m2",
            "other_hazards",
            "other_m2",
            "total_hazards",
            "total_m2",
        ],
        &query_map(
            conn,
            &format!(
                "SELECT pcode, {by_class}, \
                 sum(class IN ('ammunition_storage', 'eod_spot_task')), \
                 sum(CASE WHEN class IN ('ammunition_storage', 'eod_spot_task') \
                     THEN remaining ELSE 0 END), count(*), sum(remaining) \
                 FROM st, p WHERE {remaining} AND {IN_SELECTION} GROUP BY 1"
            ),
            1,
        ),
    );

    // Progress.
    let scalar = |sql: &str| -> f64 {
        conn.query_row(sql, [], |row| row.get::<_, Option<f64>>(0))
            .unwrap()
            .unwrap_or(0.0)
    };
    let rem = scalar(&format!(
        "SELECT sum(remaining) FROM st, p WHERE {remaining} AND {IN_SELECTION}"
    ));
    let released: Vec<f64> = years
        .iter()
        .map(|y| {
            scalar(&format!(
                "SELECT sum(area) FROM cr, p WHERE year = {y} AND {IN_SELECTION}"
            ))
        })
        .collect();
    let mean = released.iter().sum::<f64>() / 3.0;
    let progress = table(r, "progress");
    let area = |i: usize| super::num(progress.cell(i, "area_m2").unwrap());
    assert_row(
        "progress",
        &[area(0), area(1), area(2), area(3), area(4)],
        &[rem, released[0], released[1], released[2], mean],
    );
    let projected = progress.cell(5, "date").unwrap();
    if mean > 0.0 && rem > 1.0 {
        let days = (rem / mean * 365.25).ceil() as u64;
        let want = r
            .params
            .as_of
            .date
            .checked_add_days(Days::new(days))
            .unwrap();
        assert_eq!(projected, &Cell::Date(want), "projected completion");
    } else {
        assert_eq!(projected, &Cell::Empty);
    }

    // EO destroyed.
    let eo_in = "destroyed >= p.from_d AND destroyed <= p.to_d";
    compare(
        table(r, "eo_destroyed"),
        |g| {
            let model = g("model");
            format!(
                "{}|{}",
                code::<OrdnanceCategory>(&g("category"), OrdnanceCategory::code),
                if model == "Not recorded" { "" } else { &model }
            )
        },
        &["finds", "quantity"],
        &query_map(
            conn,
            &format!(
                "SELECT category, model, count(*), sum(quantity) FROM eo, p \
                 WHERE {eo_in} AND {IN_SELECTION} GROUP BY 1, 2"
            ),
            2,
        ),
    );

    // EO found: found in the period, or without a found date unless destroyed before it.
    let disposed = "destroyed IS NOT NULL OR coalesce(disposal, 'not_disposed') <> 'not_disposed'";
    compare(
        table(r, "eo_found"),
        |g| {
            let when = if g("found") == "Date unknown" {
                "unknown"
            } else {
                "period"
            };
            format!(
                "{}|{when}",
                code::<OrdnanceCategory>(&g("category"), OrdnanceCategory::code)
            )
        },
        &["finds", "quantity", "disposed", "not_disposed"],
        &query_map(
            conn,
            &format!(
                "SELECT category, CASE WHEN found IS NULL THEN 'unknown' ELSE 'period' END, \
                        count(*), sum(quantity), \
                        sum(CASE WHEN {disposed} THEN quantity ELSE 0 END), \
                        sum(CASE WHEN {disposed} THEN 0 ELSE quantity END) \
                 FROM efind, p \
                 WHERE (found BETWEEN p.from_d AND p.to_d \
                        OR (found IS NULL AND coalesce(destroyed >= p.from_d, 1))) \
                   AND {IN_SELECTION} GROUP BY 1, 2"
            ),
            2,
        ),
    );

    // Accidents with and without victim records (as published when no suppression is asked).
    if r.params.suppression_threshold.is_none() {
        compare(
            table(r, "accidents"),
            |g| {
                let year = g("year");
                if year == "Unknown" {
                    String::new()
                } else {
                    year
                }
            },
            &[
                "accidents",
                "with_victims",
                "without_victims",
                "killed",
                "injured",
            ],
            &query_map(
                conn,
                "SELECT coalesce(substr(date, 1, 4), ''), count(*), sum(killed + injured > 0), \
                        sum(killed + injured = 0), sum(killed), sum(injured) \
                 FROM (SELECT json_extract(a.record, '$.date') AS date, \
                              coalesce(json_extract(a.record, '$.admin_pcode'), '') AS pcode, \
                              (SELECT count(*) FROM cur v WHERE v.kind = 'victim' \
                                 AND json_extract(v.record, '$.accident') = a.item_id \
                                 AND json_extract(v.record, '$.outcome') = 'killed') AS killed, \
                              (SELECT count(*) FROM cur v WHERE v.kind = 'victim' \
                                 AND json_extract(v.record, '$.accident') = a.item_id \
                                 AND json_extract(v.record, '$.outcome') = 'injured') AS injured \
                       FROM cur a WHERE a.kind = 'accident'), p \
                 WHERE (date IS NULL OR date BETWEEN p.from_d AND p.to_d) \
                   AND substr(pcode, 1, length(p.prefix)) = p.prefix \
                 GROUP BY 1",
                1,
            ),
        );
    }

    // Casualties (figures as published when no suppression is asked).
    if r.params.suppression_threshold.is_none() {
        compare(
            table(r, "casualties"),
            |g| {
                let year = g("year");
                let age = match g("age_group").parse::<AgeBand>() {
                    Ok(b) => b.code().to_owned(),
                    Err(_) => "unknown".to_owned(),
                };
                [
                    if year == "Unknown" {
                        String::new()
                    } else {
                        year
                    },
                    code::<Sex>(&g("sex"), Sex::code),
                    age,
                    code::<OrdnanceCategory>(&g("device"), OrdnanceCategory::code),
                    code::<ActivityAtTimeOfAccident>(
                        &g("activity"),
                        ActivityAtTimeOfAccident::code,
                    ),
                ]
                .join("|")
            },
            &["killed", "injured", "total"],
            &query_map(
                conn,
                "SELECT coalesce(substr(json_extract(a.record, '$.date'), 1, 4), ''), \
                        json_extract(v.record, '$.sex'), \
                        CASE WHEN json_extract(v.record, '$.age_at_accident') IS NULL THEN 'unknown' \
                             WHEN json_extract(v.record, '$.age_at_accident') < 18 THEN 'child' \
                             ELSE 'adult' END, \
                        coalesce(json_extract(a.record, '$.device_category'), ''), \
                        coalesce(json_extract(v.record, '$.activity_at_time'), 'unknown'), \
                        sum(json_extract(v.record, '$.outcome') = 'killed'), \
                        sum(json_extract(v.record, '$.outcome') = 'injured'), count(*) \
                 FROM cur v LEFT JOIN cur a ON a.kind = 'accident' \
                      AND a.item_id = json_extract(v.record, '$.accident'), p \
                 WHERE v.kind = 'victim' \
                   AND CASE WHEN json_extract(a.record, '$.date') IS NULL THEN NOT p.period_set \
                       ELSE json_extract(a.record, '$.date') BETWEEN p.from_d AND p.to_d END \
                   AND substr(coalesce(json_extract(a.record, '$.admin_pcode'), ''), 1, \
                       length(p.prefix)) = p.prefix \
                 GROUP BY 1, 2, 3, 4, 5",
                5,
            ),
        );
    }

    // Risk education.
    compare(
        table(r, "risk_education"),
        |g| {
            format!(
                "{}|{}",
                code::<Sex>(&g("sex"), Sex::code),
                code::<AgeBand>(&g("age_band"), AgeBand::code)
            )
        },
        &["direct", "indirect"],
        &query_map(
            conn,
            "SELECT json_extract(b.value, '$.sex'), json_extract(b.value, '$.age_band'), \
                    sum(CASE WHEN json_extract(b.value, '$.reach') = 'direct' \
                        THEN json_extract(b.value, '$.count') ELSE 0 END), \
                    sum(CASE WHEN json_extract(b.value, '$.reach') = 'indirect' \
                        THEN json_extract(b.value, '$.count') ELSE 0 END) \
             FROM cur s, json_each(s.record, '$.beneficiaries.counts') b, p \
             WHERE s.kind = 'risk_education' \
               AND CASE WHEN json_extract(s.record, '$.date') IS NULL THEN NOT p.period_set \
                   ELSE json_extract(s.record, '$.date') BETWEEN p.from_d AND p.to_d END \
               AND substr(coalesce(json_extract(s.record, '$.admin_pcode'), ''), 1, \
                   length(p.prefix)) = p.prefix \
               AND (p.want_org IS NULL OR json_extract(s.record, '$.organisation') = p.want_org) \
               AND (p.want_donor IS NULL OR json_extract(s.record, '$.donor') = p.want_donor) \
             GROUP BY 1, 2",
            2,
        ),
    );

    // Victim assistance (no suppression in these reports).
    compare(
        table(r, "victim_assistance"),
        |g| code::<AssistanceType>(&g("service"), AssistanceType::code),
        &[
            "services",
            "persons",
            "female",
            "male",
            "sex_unknown",
            "children",
            "adults",
            "age_unknown",
        ],
        &query_map(
            conn,
            "SELECT json_extract(s.record, '$.service'), count(*), \
                    sum(json_extract(s.record, '$.persons')), \
                    sum(CASE WHEN json_extract(s.record, '$.sex') = 'female' \
                        THEN json_extract(s.record, '$.persons') ELSE 0 END), \
                    sum(CASE WHEN json_extract(s.record, '$.sex') = 'male' \
                        THEN json_extract(s.record, '$.persons') ELSE 0 END), \
                    sum(CASE WHEN json_extract(s.record, '$.sex') = 'unknown' \
                        THEN json_extract(s.record, '$.persons') ELSE 0 END), \
                    sum(CASE WHEN json_extract(s.record, '$.age') < 18 \
                        THEN json_extract(s.record, '$.persons') ELSE 0 END), \
                    sum(CASE WHEN json_extract(s.record, '$.age') >= 18 \
                        THEN json_extract(s.record, '$.persons') ELSE 0 END), \
                    sum(CASE WHEN json_extract(s.record, '$.age') IS NULL \
                        THEN json_extract(s.record, '$.persons') ELSE 0 END) \
             FROM cur s, p \
             WHERE s.kind = 'assistance' \
               AND CASE WHEN json_extract(s.record, '$.date') IS NULL THEN NOT p.period_set \
                   ELSE json_extract(s.record, '$.date') BETWEEN p.from_d AND p.to_d END \
               AND substr(coalesce(json_extract(s.record, '$.admin_pcode'), ''), 1, \
                   length(p.prefix)) = p.prefix \
               AND (p.want_org IS NULL OR json_extract(s.record, '$.organisation') = p.want_org) \
               AND (p.want_donor IS NULL OR json_extract(s.record, '$.donor') = p.want_donor) \
             GROUP BY 1",
            1,
        ),
    );

    // Treaty tables: remaining mined / CMR areas.
    let treaty_remaining = |kind: &str| {
        query_map(
            conn,
            &format!(
                "SELECT pcode, {by_class}, count(*), sum(remaining) FROM st, p \
                 WHERE {remaining} AND class IN ('sha', 'indication', 'cha') AND {} \
                 AND {IN_SELECTION} GROUP BY 1",
                has(kind)
            ),
            1,
        )
    };
    let c1 = [
        "sha_hazards",
        "sha_m2",
        "cha_hazards",
        "cha_m2",
        "total_areas",
        "total_m2",
    ];
    compare(
        table(r, "apmbc_form_c"),
        |g| g("admin_pcode"),
        &c1,
        &treaty_remaining("ap_mines"),
    );
    compare(
        table(r, "ccm_contaminated"),
        |g| g("admin_pcode"),
        &c1,
        &treaty_remaining("cmr"),
    );

    // Treaty tables: land released and EO destroyed.
    let treaty_released = |kind: &str, eo_sums: &str, n_eo: usize| {
        let land = query_map(
            conn,
            &format!(
                "SELECT pcode, sum(CASE WHEN method = 'cancelled' THEN area ELSE 0 END), \
                 sum(CASE WHEN method = 'reduced' THEN area ELSE 0 END), \
                 sum(CASE WHEN method = 'cleared' THEN area ELSE 0 END), sum(area) \
                 FROM cr, p WHERE {} AND {IN_PERIOD} AND {IN_SELECTION} GROUP BY 1",
                has(kind)
            ),
            1,
        );
        let eo = query_map(
            conn,
            &format!(
                "SELECT pcode, {eo_sums} FROM eo, p WHERE {} AND {eo_in} AND {IN_SELECTION} \
                 GROUP BY 1",
                has(kind)
            ),
            1,
        );
        let mut out: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for k in land.keys().chain(eo.keys()) {
            let mut v = land.get(k).cloned().unwrap_or(vec![0.0; 4]);
            v.extend(eo.get(k).cloned().unwrap_or(vec![0.0; n_eo]));
            out.insert(k.clone(), v);
        }
        out
    };
    compare(
        table(r, "apmbc_form_f_g"),
        |g| g("admin_pcode"),
        &[
            "cancelled_m2",
            "reduced_m2",
            "cleared_m2",
            "released_m2",
            "ap_mines_destroyed",
            "av_mines_destroyed",
            "other_eo_destroyed",
        ],
        &treaty_released(
            "ap_mines",
            "sum(CASE WHEN category = 'ap_mine' THEN quantity ELSE 0 END), \
             sum(CASE WHEN category = 'at_mine' THEN quantity ELSE 0 END), \
             sum(CASE WHEN category NOT IN ('ap_mine', 'at_mine') THEN quantity ELSE 0 END)",
            3,
        ),
    );
    compare(
        table(r, "ccm_clearance"),
        |g| g("admin_pcode"),
        &[
            "cancelled_m2",
            "reduced_m2",
            "cleared_m2",
            "released_m2",
            "submunitions_destroyed",
            "other_eo_destroyed",
        ],
        &treaty_released(
            "cmr",
            "sum(CASE WHEN category = 'submunition' THEN quantity ELSE 0 END), \
             sum(CASE WHEN category != 'submunition' THEN quantity ELSE 0 END)",
            2,
        ),
    );

    // Article 5: remaining mined areas and their release in the three years.
    let remaining_ap = treaty_remaining("ap_mines");
    let released_ap = query_map(
        conn,
        &format!(
            "SELECT pcode, sum(CASE WHEN year = {} THEN area ELSE 0 END), \
             sum(CASE WHEN year = {} THEN area ELSE 0 END), \
             sum(CASE WHEN year = {} THEN area ELSE 0 END) \
             FROM cr, p WHERE {} AND {IN_SELECTION} GROUP BY 1",
            years[0],
            years[1],
            years[2],
            has("ap_mines")
        ),
        1,
    );
    let mut want: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for k in remaining_ap.keys().chain(released_ap.keys()) {
        let c = remaining_ap.get(k).cloned().unwrap_or(vec![0.0; 6]);
        let y = released_ap.get(k).cloned().unwrap_or(vec![0.0; 3]);
        let mean = y.iter().sum::<f64>() / 3.0;
        let v = vec![c[0], c[1], c[2], c[3], c[5], y[0], y[1], y[2], mean];
        want.insert(k.clone(), v);
    }
    compare(
        table(r, "article5"),
        |g| g("admin_pcode"),
        &[
            "sha_hazards",
            "sha_m2",
            "cha_hazards",
            "cha_m2",
            "remaining_m2",
            "released_y1",
            "released_y2",
            "released_y3",
            "mean_annual_m2",
        ],
        &want,
    );
}
