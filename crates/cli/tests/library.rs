//! `safeground library`: documents and links added from files, versions, duplicates and
//! damaged files refused with nothing stored, search in Lao and Azerbaijani (typed without
//! its letters ə, ı), and the index rebuilt from the database after it was deleted.

mod common;

use common::{ok, s, safeground};
use safeground_library::samples;

#[test]
fn documents_are_added_versioned_searched_and_reindexed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    let lao = dir.path().join("nra-sop.docx");
    std::fs::write(&lao, samples::docx(&["ການເກັບກູ້ລະເບີດບໍ່ທັນແຕກຢູ່ແຂວງຊຽງຂວາງ"])).expect("write");
    let out = ok(&[
        "library",
        "add",
        s(&db),
        s(&lao),
        "--title",
        "NRA standing operating procedure",
        "--language",
        "lo",
        "--doc-type",
        "sop",
        "--access",
        "regional",
        "--country",
        "lao",
        "--imas-topic",
        "09.10",
    ]);
    assert!(out.contains("added document 1"), "{out}");
    let az = dir.path().join("anama.docx");
    std::fs::write(
        &az,
        samples::docx(&["Ağdam rayonunda minalardan təmizləmə işləri"]),
    )
    .expect("write");
    ok(&[
        "library",
        "add",
        s(&db),
        s(&az),
        "--title",
        "ANAMA lessons learned",
        "--language",
        "az",
        "--doc-type",
        "lessons_learned",
        "--country",
        "AZE",
    ]);
    ok(&[
        "library",
        "add",
        s(&db),
        "--link",
        "https://video.example.org/mre-lo",
        "--title",
        "Risk education video",
        "--language",
        "lo",
        "--doc-type",
        "risk_education_material",
    ]);

    // The same file again, a damaged PDF, a bad description: refused, nothing stored.
    let again = safeground(&[
        "library",
        "add",
        s(&db),
        s(&lao),
        "--title",
        "Copy",
        "--language",
        "lo",
        "--doc-type",
        "sop",
    ]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("document 1 version 1"), "{err}");
    let broken = dir.path().join("broken.pdf");
    let pdf = samples::pdf(&["Half a file"]);
    std::fs::write(&broken, &pdf[..pdf.len() / 2]).expect("write");
    let damaged = safeground(&["library", "version", s(&db), "1", s(&broken)]);
    assert!(String::from_utf8_lossy(&damaged.stderr).contains("damaged"));
    let bad = safeground(&[
        "library",
        "add",
        s(&db),
        s(&broken),
        "--title",
        "x",
        "--language",
        "fr",
        "--doc-type",
        "sop",
    ]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown language `fr`"));
    let list = ok(&["library", "list", s(&db)]);
    assert!(list.contains("3 document(s)"), "{list}");

    // A new version; searches find words inside unspaced Lao and unaccented Azerbaijani.
    let v2 = dir.path().join("nra-sop-2.docx");
    std::fs::write(&v2, samples::docx(&["ລະເບີດ ບໍ່ທັນແຕກ ສະບັບທີ 2 ແຂວງຊຽງຂວາງ"])).expect("write");
    let out = ok(&[
        "library",
        "version",
        s(&db),
        "1",
        s(&v2),
        "--note",
        "second edition",
    ]);
    assert!(out.contains("version 2"), "{out}");
    let found = ok(&["library", "search", s(&db), "ຊຽງຂວາງ"]);
    assert!(
        found.contains("document:1") && found.contains("[ຊຽງຂວາງ]"),
        "{found}"
    );
    let found = ok(&["library", "search", s(&db), "temizleme"]);
    assert!(
        found.contains("document:2") && found.contains("1 match(es)"),
        "{found}"
    );

    // The index is derived data: deleted, it is rebuilt from the database.
    std::fs::remove_dir_all(dir.path().join("p.library").join("search-index")).expect("rm");
    let out = ok(&["library", "reindex", s(&db)]);
    assert!(out.contains("3 entries"), "{out}");
    let found = ok(&["library", "search", s(&db), "agdam", "--language", "az"]);
    assert!(found.contains("document:2"), "{found}");
}

#[test]
fn the_demo_ships_a_library_in_the_seven_languages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite");
    let out = ok(&["demo", "--db", s(&db), "--hazards", "20", "--no-serve"]);
    assert!(out.contains("Library: 9 documents"), "{out}");
    let list = ok(&["library", "list", s(&db)]);
    for language in ["en", "km", "lo", "th", "my", "vi", "az"] {
        assert!(
            list.contains(&format!("  {language}  ")),
            "{language}: {list}"
        );
    }
    assert!(
        list.contains("v2  Cambodian Mine Action Standard"),
        "{list}"
    );
    // Words inside unspaced Thai and Burmese text; the hazards are searched too.
    let found = ok(&["library", "search", s(&db), "ระเบิด"]);
    assert!(found.contains("document:4"), "{found}");
    let found = ok(&["library", "search", s(&db), "မိုင်း"]);
    assert!(found.contains("document:6"), "{found}");
    let found = ok(&[
        "library",
        "search",
        s(&db),
        "HAZ-000001",
        "--kind",
        "hazard",
    ]);
    assert!(found.contains("HAZ-000001"), "{found}");
    // Building the demo again replaces the library too.
    ok(&["demo", "--db", s(&db), "--hazards", "20", "--no-serve"]);
    assert!(ok(&["library", "list", s(&db)]).contains("9 document(s)"));
}

#[test]
fn backups_carry_the_library_files_and_restores_bring_them_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    let file = dir.path().join("sop.docx");
    std::fs::write(&file, samples::docx(&["ការបោសសម្អាតមីននៅខេត្តបាត់ដំបង"])).expect("write");
    ok(&[
        "library",
        "add",
        s(&db),
        s(&file),
        "--title",
        "SOP",
        "--language",
        "km",
        "--doc-type",
        "sop",
    ]);
    let backup = dir.path().join("backup.sqlite");
    let out = ok(&["backup", s(&db), s(&backup)]);
    assert!(out.contains("library: 1 file(s)"), "{out}");
    let restored = dir.path().join("restored.sqlite");
    let out = ok(&["restore", s(&backup), s(&restored)]);
    assert!(out.contains("library: 1 file(s)"), "{out}");
    let objects = |root: &std::path::Path| -> Vec<Vec<u8>> {
        let mut found = Vec::new();
        for d in std::fs::read_dir(root.join("objects")).expect("objects") {
            for f in std::fs::read_dir(d.expect("dir").path()).expect("dir") {
                found.push(std::fs::read(f.expect("file").path()).expect("read"));
            }
        }
        found
    };
    assert_eq!(
        objects(&dir.path().join("restored.library")),
        objects(&dir.path().join("p.library"))
    );
    let found = ok(&["library", "search", s(&restored), "មីន"]);
    assert!(found.contains("document:1"), "{found}");

    // A library file lost from the folder fails the backup loudly (the database part is done).
    std::fs::remove_dir_all(dir.path().join("p.library").join("objects")).expect("rm");
    let lost = safeground(&["backup", s(&db), s(&dir.path().join("b2.sqlite"))]);
    assert!(!lost.status.success());
    assert!(String::from_utf8_lossy(&lost.stderr).contains("1 library file(s)"));
}
