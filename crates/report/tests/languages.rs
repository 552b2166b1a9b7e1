//! Every report language: each table's title, statement, columns and notes in the language,
//! the same figures as in English, the workbook's headers, and the language codes.
#![allow(clippy::unwrap_used)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::d;
use safeground_report::{Cell, Language, Report, ReportParams, to_json, write_xlsx};

/// Whether `text` has a letter of the script `l` is written in; None for Latin scripts.
fn in_script(l: Language, text: &str) -> Option<bool> {
    let block = match l {
        Language::Km => '\u{1780}'..='\u{17FF}',
        Language::Lo => '\u{0E80}'..='\u{0EFF}',
        Language::Th => '\u{0E00}'..='\u{0E7F}',
        Language::My => '\u{1000}'..='\u{109F}',
        Language::En | Language::Vi | Language::Az => return None,
    };
    Some(text.chars().any(|c| block.contains(&c)))
}

/// Strings the same as in English by design (a loan word).
const SAME_AS_ENGLISH: [(Language, &str); 1] = [(Language::Az, "Model")];

/// `text` is in `l`: in its script, or (Latin scripts) not the English text.
fn assert_translated(l: Language, text: &str, english: &str, what: &str) {
    assert!(!text.trim().is_empty(), "{}: {what} is empty", l.code());
    match in_script(l, text) {
        Some(ok) => assert!(ok, "{}: {what} {text:?} is not in its script", l.code()),
        None if SAME_AS_ENGLISH.contains(&(l, text)) => {}
        None => assert_ne!(text, english, "{}: {what} is the English text", l.code()),
    }
}

fn params(l: Language) -> ReportParams {
    ReportParams {
        treaty_deadline: Some(d("2030-12-31")),
        suppression_threshold: Some(3),
        language: l,
        ..ReportParams::as_of(d("2024-12-31"))
    }
}

#[test]
fn every_language_titles_every_table_column_and_note_with_the_english_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = common::demo(dir.path(), 12, 2);
    let en = Report::build(&store, &params(Language::En)).unwrap();
    for l in Language::ALL.into_iter().filter(|l| *l != Language::En) {
        let r = Report::build(&store, &params(l)).unwrap();
        assert_translated(l, &r.title, &en.title, "title");
        assert_eq!(to_json(&r)["language"], l.code());
        assert_eq!(r.tables.len(), en.tables.len());
        for (t, e) in r.tables.iter().zip(&en.tables) {
            assert_eq!(t.id, e.id);
            assert_translated(l, &t.title, &e.title, &t.id);
            assert_translated(l, &t.counts, &e.counts, &format!("{} statement", t.id));
            assert_eq!(t.columns.len(), e.columns.len(), "{}", t.id);
            for (c, ec) in t.columns.iter().zip(&e.columns) {
                assert_eq!((c.key.as_str(), c.kind), (ec.key.as_str(), ec.kind));
                assert_translated(
                    l,
                    &c.title,
                    &ec.title,
                    &format!("{} column {}", t.id, c.key),
                );
            }
            assert_eq!(t.notes.len(), e.notes.len(), "{}", t.id);
            for (n, en_note) in t.notes.iter().zip(&e.notes) {
                assert_translated(l, n, en_note, &format!("{} note", t.id));
            }
            // The figures do not depend on the language; only text cells are translated.
            assert_eq!(t.rows.len(), e.rows.len(), "{}", t.id);
            let rows = t
                .rows
                .iter()
                .chain(&t.total)
                .zip(e.rows.iter().chain(&e.total));
            for (row, en_row) in rows {
                for (cell, en_cell) in row.iter().zip(en_row) {
                    if !matches!(en_cell, Cell::Text(_)) {
                        assert_eq!(cell, en_cell, "{} {}", l.code(), t.id);
                    }
                }
            }
        }
        // Vocabulary values are translated too (here: the totals' label and the sexes).
        let casualties = r.table("risk_education").unwrap();
        if let Some(Cell::Text(total)) = casualties.total_cell("sex") {
            assert_translated(l, total, "Total", "risk education total");
        }
    }
}

#[test]
fn every_language_writes_a_workbook_with_its_headers() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = common::demo(dir.path(), 12, 2);
    let en = Report::build(&store, &params(Language::En)).unwrap();
    for l in Language::ALL {
        let r = Report::build(&store, &params(l)).unwrap();
        let path = dir.path().join(format!("report-{}.xlsx", l.code()));
        write_xlsx(&r, &path).unwrap();
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        for (t, e) in r.tables.iter().zip(&en.tables) {
            let sheet = book.worksheet_range(&t.id).unwrap();
            let text = |row: u32, col: u32| match sheet.get_value((row, col)) {
                Some(Data::String(s)) => s.clone(),
                other => panic!("{} {}: ({row}, {col}) is {other:?}", l.code(), t.id),
            };
            assert_eq!(text(0, 0), t.title);
            assert_eq!(text(3, 0), t.counts);
            for (i, (c, ec)) in t.columns.iter().zip(&e.columns).enumerate() {
                let header = text(4, u32::try_from(i).unwrap());
                assert_eq!(header, c.title, "{} {}", l.code(), t.id);
                if l != Language::En {
                    assert_translated(l, &header, &ec.title, &format!("{} header", t.id));
                }
            }
        }
        // The as-of line carries the day in the language's form.
        let first = book.worksheet_range(&r.tables[0].id).unwrap();
        let as_of = match first.get_value((2, 0)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("{}: as-of line is {other:?}", l.code()),
        };
        assert!(
            as_of.contains(&l.date(d("2024-12-31"))),
            "{}: {as_of}",
            l.code()
        );
    }
}

#[test]
fn language_codes_round_trip_and_unknown_codes_list_the_known_ones() {
    for l in Language::ALL {
        assert_eq!(Language::from_code(l.code()), Ok(l));
        assert_eq!(l.code().parse::<Language>(), Ok(l));
    }
    let err = Language::from_code("fr").unwrap_err();
    assert_eq!(
        err.to_string(),
        "language `fr` is not available; use en, km, lo, th, vi, my or az"
    );
    assert!(Language::from_code("EN").is_err());
    assert!(Language::from_code("").is_err());
}
