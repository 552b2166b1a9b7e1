//! Victims' personal data are stored apart from the report body, on every backend and every
//! write path (draft, edit, submission, approval, import).

#[macro_use]
mod common;

use chrono::NaiveDate;
use safeground_model::{Accident, CasualtyOutcome, Record, Sex, Victim, VictimPersonalData};
use safeground_store::transfer::{Dump, Value};
use safeground_store::{
    ApproveOptions, ImportBatch, NewReport, ProgrammeStore, ReportEntry, SqliteStore, ValidReport,
};

backends!(report_bodies_never_hold_personal_data);

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn accident_with_victim(n: u32) -> NewReport {
    let accident = Accident {
        local_id: format!("ACC{n}"),
        date: Some(d("2024-02-01")),
        date_known: true,
        admin_pcode: Some("KH02".into()),
        device_category: None,
        location: None,
        description: None,
        hazard: None,
    };
    let victim = Victim {
        local_id: format!("VIC{n}"),
        accident: Some(format!("ACC{n}")),
        sex: Sex::Female,
        age_at_accident: Some(34),
        outcome: CasualtyOutcome::Injured,
        activity_at_time: None,
        deminer: false,
    };
    let mut victim = ReportEntry::new(Record::Victim(victim));
    victim.personal_data = Some(VictimPersonalData {
        full_name: format!("Sok Chenda {n}"),
        address: Some("Ou Chrov village".into()),
        contact: Some("+855 12 345 678".into()),
        date_of_birth: Some(d("1990-01-01")),
    });
    NewReport {
        organisation: None,
        title: format!("accident {n}"),
        source: None,
        date_of_information: d("2024-02-05"),
        entries: vec![ReportEntry::new(Record::Accident(accident)), victim],
    }
}

/// Every `report.body` and every `report_personal_data.data`, as stored.
fn stored<S: Dump>(store: &S) -> (Vec<String>, Vec<String>) {
    let (mut bodies, mut apart) = (Vec::new(), Vec::new());
    store
        .dump(&mut |table, row| {
            let json = |v: &Value| match v {
                Value::Json(s) => s.clone(),
                other => panic!("not JSON: {other:?}"),
            };
            match table.name {
                "report" => bodies.push(json(&row[6])),
                "report_personal_data" => apart.push(json(&row[2])),
                _ => {}
            }
            Ok(())
        })
        .expect("dump");
    (bodies, apart)
}

fn assert_apart<S: Dump>(store: &S, reports: usize) {
    let (bodies, apart) = stored(store);
    assert_eq!(bodies.len(), reports);
    for body in &bodies {
        for value in [
            "Sok Chenda",
            "Ou Chrov",
            "+855",
            "1990-01-01",
            "personal_data",
        ] {
            assert!(!body.contains(value), "`{value}` in a report body: {body}");
        }
    }
    assert_eq!(apart.len(), reports, "one row of personal data per victim");
    assert!(apart.iter().all(|p| p.contains("Ou Chrov village")));
}

fn report_bodies_never_hold_personal_data<S: ProgrammeStore + Dump>(mut store: S) {
    let id = store
        .create_report("officer", &accident_with_victim(1))
        .expect("draft");
    assert_apart(&store, 1);
    let mut edited = accident_with_victim(1);
    edited.title = "accident 1, corrected".into();
    store.update_draft("officer", id, &edited).expect("edit");
    store.submit_report("officer", id).expect("submit");
    store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve");
    assert_apart(&store, 1);
    let read = store.report(id).expect("read");
    assert_eq!(
        read.content.entries[1].personal_data, edited.entries[1].personal_data,
        "read back whole"
    );
    assert_eq!(read.content.entries[0].personal_data, None);

    store
        .submit_batch("officer", &[accident_with_victim(2)])
        .expect("batch");
    assert_apart(&store, 2);
    let today = chrono::Utc::now().date_naive();
    let reports: Vec<ValidReport> = (3..5)
        .map(|n| ValidReport::check(accident_with_victim(n), today).expect("valid"))
        .collect();
    let written = store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &reports,
                approve: Some(ApproveOptions {
                    comment: Some("migration".into()),
                    allow_backdated: true,
                    four_eyes: false,
                }),
                checkpoint: None,
                all_or_nothing: true,
            },
        )
        .expect("import");
    assert_apart(&store, 4);
    let imported = written[1].as_ref().expect("written");
    let back = store.report(*imported).expect("read");
    assert_eq!(
        back.content.entries[1]
            .personal_data
            .as_ref()
            .map(|p| p.full_name.as_str()),
        Some("Sok Chenda 4")
    );
}
