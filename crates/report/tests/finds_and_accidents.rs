//! Every EO find and every accident is counted: finds without a destroyed date (or without
//! any date) in the EO found table, accidents without victim records in the accidents table;
//! every table, the Article 7 forms included, says what it counts in JSON, CSV and XLSX.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;

use common::{approve, d};
use safeground_model::Record;
use safeground_report::{
    Cell, Language, Report, ReportParams, Table, to_json, write_csv, write_xlsx,
};
use safeground_store::{ReportEntry, SqliteStore};
use serde_json::{Value, json};

fn entry(record: Value) -> ReportEntry {
    ReportEntry::new(serde_json::from_value::<Record>(record).unwrap())
}

fn find(
    id: &str,
    category: &str,
    quantity: u32,
    dates: [Option<&str>; 2],
    disposal: Option<&str>,
) -> ReportEntry {
    entry(json!({
        "kind": "eo_find", "local_id": id, "category": category, "quantity": quantity,
        "found_date": dates[0], "destroyed_date": dates[1], "disposal": disposal,
    }))
}

fn accident(id: &str, date: Option<&str>, victims: &[&str]) -> Vec<ReportEntry> {
    let mut out = vec![entry(json!({
        "kind": "accident", "local_id": id, "date": date, "date_known": date.is_some(),
        "admin_pcode": "KH01", "device_category": "ap_mine",
    }))];
    for (i, outcome) in victims.iter().enumerate() {
        out.push(entry(json!({
            "kind": "victim", "local_id": format!("{id}-V{i}"), "accident": id,
            "sex": "male", "age_at_accident": 30, "outcome": outcome,
        })));
    }
    out
}

/// A programme whose EO finds mostly lack a destroyed date and whose accidents mostly lack
/// victim records, as real programmes' records often do.
fn programme(path: &std::path::Path) -> SqliteStore {
    let mut store = common::programme::base(path);
    approve(
        &mut store,
        "2024-12-31",
        vec![
            // Found in the period, not disposed of.
            find("EO-1", "ap_mine", 3, [Some("2024-03-01"), None], None),
            // Found and destroyed in the period.
            find(
                "EO-2",
                "uxo",
                5,
                [Some("2024-04-01"), Some("2024-04-02")],
                Some("destroyed_in_situ"),
            ),
            // Handed over: a disposal without a destroyed date.
            find(
                "EO-3",
                "ap_mine",
                2,
                [Some("2024-05-01"), None],
                Some("handed_over"),
            ),
            // Neither date: date unknown, whatever the period.
            find("EO-4", "at_mine", 1, [None, None], None),
            // Found before the period: left out.
            find("EO-5", "uxo", 7, [Some("2020-01-01"), None], None),
            // No found date, destroyed before the period: found before it, left out.
            find(
                "EO-6",
                "submunition",
                4,
                [None, Some("2019-05-01")],
                Some("destroyed_in_situ"),
            ),
            // No found date, destroyed in the period: date unknown, and destroyed.
            find(
                "EO-7",
                "submunition",
                6,
                [None, Some("2024-06-01")],
                Some("moved_and_destroyed"),
            ),
        ],
        false,
    );
    let mut entries = accident("ACC-1", Some("2024-06-01"), &[]);
    entries.extend(accident(
        "ACC-2",
        Some("2024-07-01"),
        &["killed", "injured"],
    ));
    entries.extend(accident("ACC-3", None, &[]));
    entries.extend(accident("ACC-4", Some("2020-01-01"), &[]));
    entries.extend(accident("ACC-5", Some("2023-02-01"), &[]));
    approve(&mut store, "2024-12-31", entries, false);
    store
}

fn params() -> ReportParams {
    ReportParams {
        from: Some(d("2024-01-01")),
        ..ReportParams::as_of(d("2024-12-31"))
    }
}

fn counts(t: &Table, row: usize, keys: &[&str]) -> Vec<u64> {
    keys.iter()
        .map(|k| t.cell(row, k).and_then(Cell::count).unwrap())
        .collect()
}

#[test]
fn eo_found_counts_finds_with_and_without_disposal_and_with_no_date() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(&dir.path().join("p.sqlite"));
    let r = Report::build(&store, &params()).unwrap();

    let destroyed = r.table("eo_destroyed").unwrap();
    assert_eq!(destroyed.total_cell("quantity"), Some(&Cell::Count(11)));

    let t = r.table("eo_found").unwrap();
    let keys = ["finds", "quantity", "disposed", "not_disposed"];
    let rows: Vec<(String, String, Vec<u64>)> = (0..t.rows.len())
        .map(|i| {
            let text = |k| t.cell(i, k).and_then(Cell::text).unwrap().to_owned();
            (text("category"), text("found"), counts(t, i, &keys))
        })
        .collect();
    let row = |c: &str, f: &str, n: [u64; 4]| (c.to_owned(), f.to_owned(), n.to_vec());
    assert_eq!(
        rows,
        [
            row("Anti-personnel mine", "In the period", [2, 5, 2, 3]),
            row("Anti-vehicle mine", "Date unknown", [1, 1, 0, 1]),
            row("Submunition (CMR)", "Date unknown", [1, 6, 6, 0]),
            row("Unexploded ordnance", "In the period", [1, 5, 5, 0]),
        ],
        "{:?}",
        t.rows
    );
    let total: Vec<u64> = keys
        .iter()
        .map(|k| t.total_cell(k).and_then(Cell::count).unwrap())
        .collect();
    assert_eq!(total, [5, 17, 13, 4]);
    assert!(
        t.counts.contains("found date in the period"),
        "{}",
        t.counts
    );
    assert!(t.counts.contains("Date unknown"), "{}", t.counts);

    // Without a period, the find of 2020 counts too, and the one destroyed in 2019.
    let all = Report::build(&store, &ReportParams::as_of(d("2024-12-31"))).unwrap();
    let t = all.table("eo_found").unwrap();
    assert_eq!(t.total_cell("quantity"), Some(&Cell::Count(28)));
}

#[test]
fn accidents_are_counted_with_and_without_recorded_victims() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(&dir.path().join("p.sqlite"));
    let r = Report::build(&store, &params()).unwrap();
    let t = r.table("accidents").unwrap();
    let keys = [
        "accidents",
        "with_victims",
        "without_victims",
        "killed",
        "injured",
    ];
    let years: Vec<&str> = (0..t.rows.len())
        .map(|i| t.cell(i, "year").and_then(Cell::text).unwrap())
        .collect();
    assert_eq!(years, ["2024", "Unknown"]);
    assert_eq!(counts(t, 0, &keys), [2, 1, 1, 1, 1]);
    assert_eq!(counts(t, 1, &keys), [1, 0, 1, 0, 0]);
    let total: Vec<u64> = keys
        .iter()
        .map(|k| t.total_cell(k).and_then(Cell::count).unwrap())
        .collect();
    assert_eq!(total, [3, 1, 2, 1, 1]);
    // The casualties table still counts only the victims.
    let c = r.table("casualties").unwrap();
    assert_eq!(c.total_cell("total"), Some(&Cell::Count(2)));

    // Suppressed like casualties: killed and injured are people, accidents are not.
    let suppressed = Report::build(
        &store,
        &ReportParams {
            suppression_threshold: Some(5),
            ..params()
        },
    )
    .unwrap();
    let t = suppressed.table("accidents").unwrap();
    assert_eq!(t.cell(0, "killed"), Some(&Cell::Suppressed("<5".into())));
    assert_eq!(t.cell(0, "accidents"), Some(&Cell::Count(2)));
    assert_eq!(t.total_cell("without_victims"), Some(&Cell::Count(2)));
}

#[test]
fn every_table_says_what_it_counts_in_json_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(&dir.path().join("p.sqlite"));
    let r = Report::build(&store, &params()).unwrap();
    let form = r.table("apmbc_form_f_g").unwrap();
    assert!(
        form.counts.contains("Form G: mines destroyed")
            && form.counts.contains("AP mine or AT mine")
            && form.counts.contains("destroyed date in the period"),
        "{}",
        form.counts
    );
    for t in &r.tables {
        assert!(!t.counts.is_empty(), "{} says what it counts", t.id);
    }

    let json = to_json(&r);
    for t in json["tables"].as_array().unwrap() {
        assert_eq!(
            t["counts"],
            r.table(t["id"].as_str().unwrap()).unwrap().counts
        );
    }
    let found = json["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "eo_found")
        .unwrap();
    assert_eq!(found["total"]["quantity"], 17);
    let accidents = json["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "accidents")
        .unwrap();
    assert_eq!(accidents["total"]["without_victims"], 2);

    // CSV: the statement is the last row, in the first cell.
    for id in ["eo_found", "accidents", "apmbc_form_f_g"] {
        let t = r.table(id).unwrap();
        let mut out = Vec::new();
        write_csv(t, &mut out).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let last = rows.last().unwrap();
        assert_eq!(&last[0], t.counts.as_str(), "{id}");
        assert!(last.iter().skip(1).all(str::is_empty));
        assert_eq!(
            rows.len(),
            t.rows.len() + 3,
            "{id}: titles, rows, total, statement"
        );
    }

    // XLSX: a sheet per table, each with its statement.
    let path = dir.path().join("r.xlsx");
    write_xlsx(&r, &path).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let book = read("xl/workbook.xml");
    assert!(book.contains("name=\"eo_found\"") && book.contains("name=\"accidents\""));
    let strings = read("xl/sharedStrings.xml");
    assert!(
        strings.contains(&form.counts),
        "Form F/G statement in the workbook"
    );
    assert!(strings.contains("EO finds with a found date in the period"));
    assert!(strings.contains("Accident records dated in the period"));
}

#[test]
fn khmer_statements() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(&dir.path().join("p.sqlite"));
    let r = Report::build(
        &store,
        &ReportParams {
            language: Language::Km,
            ..params()
        },
    )
    .unwrap();
    let khmer = |s: &str| s.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c));
    for t in &r.tables {
        assert!(khmer(&t.counts), "{}: {}", t.id, t.counts);
    }
    let t = r.table("eo_found").unwrap();
    assert_eq!(t.cell(1, "found"), Some(&Cell::Text("មិនដឹងកាលបរិច្ឆេទ".into())));
}
