//! Renders realistic reports in every language and checks the PDFs: no character without a
//! glyph, the script's Noto font embedded (`pdffonts`), the text extractable (`pdftotext`);
//! when `pdftoppm` (poppler-utils) is installed, writes every page as PNG under
//! `target/report-pdf/` for review.

use std::path::PathBuf;
use std::process::Command;

use safeground_report_pdf::{PdfError, render, render_pdf};
use serde_json::{Value, json};

/// Pages of the fixture: cover, the two charts, the three tables.
const EXPECTED_PAGES: usize = 3;

/// Battambang districts in English and Khmer, with made-up figures.
const DISTRICTS: [(&str, &str); 6] = [
    ("Samlout", "សំឡូត"),
    ("Kamrieng", "កំរៀង"),
    ("Phnom Proek", "ភ្នំព្រឹក"),
    ("Sampov Lun", "សំពៅលូន"),
    ("Rotonak Mondol", "រតនមណ្ឌល"),
    ("Bavel", "បវេល"),
];

fn t<'a>(km: bool, en: &'a str, kh: &'a str) -> &'a str {
    if km { kh } else { en }
}

/// A report language of the fixture: the texts that replace the English ones, the Noto font
/// its script needs and a label of the renderer's own that `pdftotext` must give back.
struct Lang {
    code: &'static str,
    title: &'static str,
    admin_area: &'static str,
    organisation: &'static str,
    table_titles: [&'static str; 3],
    admin_column: &'static str,
    total: &'static str,
    note: &'static str,
    districts: [&'static str; 6],
    /// The script's font (besides Noto Sans, which every report embeds).
    font: Option<&'static str>,
    /// The renderer's heading "Remaining contamination" in this language.
    remaining: &'static str,
}

const LANGS: [Lang; 5] = [
    Lang {
        code: "lo",
        title: "ບົດລາຍງານຄວາມໂປ່ງໃສຕາມມາດຕາ 7 — ແຂວງຊຽງຂວາງ",
        admin_area: "ຊຽງຂວາງ",
        organisation: "ອົງການຄຸ້ມຄອງລະບົບວຽກງານກຳຈັດລະເບີດບໍ່ທັນແຕກແຫ່ງຊາດ",
        table_titles: [
            "ການປົນເປື້ອນທີ່ຄົງເຫຼືອ ແຍກຕາມເຂດປົກຄອງ",
            "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ ແຍກຕາມເຂດປົກຄອງ",
            "ເປົ້າໝາຍ ແລະ ຜົນສຳເລັດປະຈຳປີ",
        ],
        admin_column: "ເຂດປົກຄອງ",
        total: "ລວມ",
        note: "ຈຳນວນທີ່ຕ່ຳກວ່າ 5 ຖືກປົກປິດ.",
        districts: ["ແປກ", "ຄູນ", "ໜອງແຮດ", "ຄຳ", "ພູກູດ", "ຜາໄຊ"],
        font: Some("NotoSansLao"),
        remaining: "ການປົນເປື້ອນທີ່ຄົງເຫຼືອ",
    },
    Lang {
        code: "th",
        title: "รายงานความโปร่งใสตามข้อ 7 — จังหวัดสระแก้ว",
        admin_area: "สระแก้ว",
        organisation: "ศูนย์ปฏิบัติการทุ่นระเบิดแห่งชาติ",
        table_titles: [
            "การปนเปื้อนคงเหลือจำแนกตามเขตการปกครอง",
            "พื้นที่ที่ได้รับการปลดปล่อยจำแนกตามเขตการปกครอง",
            "เป้าหมายและผลสำเร็จรายปี",
        ],
        admin_column: "เขตการปกครอง",
        total: "รวม",
        note: "จำนวนที่ต่ำกว่า 5 ถูกปกปิด",
        districts: [
            "อรัญประเทศ",
            "ตาพระยา",
            "คลองหาด",
            "โคกสูง",
            "วัฒนานคร",
            "เขาฉกรรจ์",
        ],
        font: Some("NotoSansThai"),
        remaining: "การปนเปื้อนคงเหลือ",
    },
    Lang {
        code: "vi",
        title: "Báo cáo minh bạch theo Điều 7 — tỉnh Quảng Trị",
        admin_area: "Quảng Trị",
        organisation: "Trung tâm Hành động bom mìn quốc gia Việt Nam",
        table_titles: [
            "Ô nhiễm còn lại theo đơn vị hành chính",
            "Diện tích đất được giải phóng theo đơn vị hành chính",
            "Mục tiêu và kết quả hằng năm",
        ],
        admin_column: "Đơn vị hành chính",
        total: "Tổng",
        note: "Các số nhỏ hơn 5 được ẩn.",
        districts: [
            "Gio Linh",
            "Vĩnh Linh",
            "Cam Lộ",
            "Hướng Hóa",
            "Đakrông",
            "Triệu Phong",
        ],
        font: None,
        remaining: "Ô nhiễm còn lại",
    },
    Lang {
        code: "my",
        title: "အပိုဒ် 7 ပွင့်လင်းမြင်သာမှု အစီရင်ခံစာ — ကရင်ပြည်နယ်",
        admin_area: "ကရင်ပြည်နယ်",
        organisation: "မြန်မာနိုင်ငံ မိုင်းဆိုင်ရာ လုပ်ငန်းအဖွဲ့",
        table_titles: [
            "အုပ်ချုပ်ရေးနယ်မြေအလိုက် ကျန်ရှိသော ညစ်ညမ်းမှု",
            "အုပ်ချုပ်ရေးနယ်မြေအလိုက် လွှတ်ပေးသည့်မြေ",
            "နှစ်စဉ် ပန်းတိုင်များနှင့် အောင်မြင်မှုများ",
        ],
        admin_column: "အုပ်ချုပ်ရေးနယ်မြေ",
        total: "စုစုပေါင်း",
        note: "5 ထက်နည်းသော အရေအတွက်များကို ဖုံးကွယ်ထားသည်။",
        districts: ["ဘားအံ", "မြဝတီ", "ကော့ကရိတ်", "လှိုင်းဘွဲ့", "သံတောင်ကြီး", "ကြာအင်းဆိပ်ကြီး"],
        font: Some("NotoSansMyanmar"),
        remaining: "ကျန်ရှိသော ညစ်ညမ်းမှု",
    },
    Lang {
        code: "az",
        title: "Maddə 7 şəffaflıq hesabatı — Ağdam rayonu",
        admin_area: "Ağdam",
        organisation: "Azərbaycan Respublikası Minatəmizləmə Agentliyi",
        table_titles: [
            "İnzibati ərazi üzrə qalan çirklənmə",
            "İnzibati ərazi üzrə azad edilmiş ərazi",
            "İllik hədəflər və nailiyyətlər",
        ],
        admin_column: "İnzibati ərazi",
        total: "Cəmi",
        note: "5-dən az saylar gizlədilir.",
        districts: [
            "Ağdam",
            "Füzuli",
            "Cəbrayıl",
            "Zəngilan",
            "Qubadlı",
            "Laçın",
        ],
        font: None,
        remaining: "Qalan çirklənmə",
    },
];

/// Every language's code, the Noto font its script needs and the "Remaining contamination"
/// heading.
fn all_languages() -> Vec<(&'static str, Option<&'static str>, &'static str)> {
    let mut all = vec![
        ("en", None, "Remaining contamination"),
        ("km", Some("NotoSansKhmer"), "ការបំពុលដែលនៅសល់"),
    ];
    all.extend(LANGS.iter().map(|l| (l.code, l.font, l.remaining)));
    all
}

/// The fixture in `code`: English or Khmer as written, the other languages as the English
/// report with their own title, parameters, table titles, admin names, totals and a note.
fn report_in(code: &str) -> Value {
    let mut report = report(code == "km");
    let Some(lang) = LANGS.iter().find(|l| l.code == code) else {
        return report;
    };
    report["language"] = json!(lang.code);
    report["title"] = json!(lang.title);
    report["parameters"]["admin_area"] = json!(lang.admin_area);
    report["parameters"]["organisation"] = json!(lang.organisation);
    let Some(tables) = report["tables"].as_array_mut() else {
        panic!("fixture has tables");
    };
    for (table, title) in tables.iter_mut().zip(lang.table_titles) {
        table["title"] = json!(title);
        table["columns"][0]["title"] = json!(lang.admin_column);
        if let Some(rows) = table["rows"].as_array_mut() {
            for (row, name) in rows.iter_mut().zip(lang.districts) {
                if row.get("admin").is_some() {
                    row["admin"] = json!(name);
                }
            }
        }
        if table["total"].is_object() {
            table["total"]["admin"] = json!(lang.total);
        }
        if let Some(notes) = table["notes"].as_array_mut() {
            notes.push(json!(lang.note));
        }
    }
    report
}

fn col(key: &str, title: &str, kind: &str) -> Value {
    json!({"key": key, "title": title, "kind": kind})
}

/// An irregular ring of `n` points around a centre, radius in metres.
fn ring(lon: f64, lat: f64, radius_m: f64, n: usize, seed: f64) -> Vec<[f64; 2]> {
    let dlat = radius_m / 111_195.0;
    let dlon = dlat / lat.to_radians().cos();
    let mut points: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = 0.7 + 0.3 * ((a * 3.0 + seed).sin() * 0.5 + 0.5);
            [lon + dlon * r * a.cos(), lat + dlat * r * a.sin()]
        })
        .collect();
    points.push(points[0]);
    points
}

fn hazard(id: &str, class: &str, geometry: Value, remaining_m2: f64) -> Value {
    json!({"type": "Feature", "geometry": geometry,
        "properties": {"id": id, "class": class, "remaining_m2": remaining_m2}})
}

fn map() -> Value {
    let spots: [(f64, f64, f64, &str); 9] = [
        (103.05, 13.02, 900.0, "sha"),
        (103.12, 13.21, 600.0, "sha"),
        (103.21, 13.08, 1200.0, "cha"),
        (103.29, 13.15, 450.0, "sha"),
        (103.33, 12.98, 700.0, "cha"),
        (103.18, 12.95, 300.0, "sha"),
        (103.09, 13.12, 800.0, "cha"),
        (103.26, 13.24, 500.0, "sha"),
        (103.22, 13.13, 25.0, "cha"),
    ];
    let mut features: Vec<Value> = spots
        .iter()
        .enumerate()
        .map(|(i, &(lon, lat, r, class))| {
            let geometry = if i == 2 {
                // A CHA with a hole (an already cleared patch).
                json!({"type": "Polygon", "coordinates": [
                    ring(lon, lat, r, 24, i as f64), ring(lon, lat, r * 0.35, 12, 0.0)]})
            } else {
                json!({"type": "Polygon", "coordinates": [ring(lon, lat, r, 18, i as f64)]})
            };
            let area = std::f64::consts::PI * r * r * 0.75;
            hazard(&format!("HZ-{:03}", i + 1), class, geometry, area.round())
        })
        .collect();
    features.push(hazard(
        "HZ-010",
        "sha",
        json!({"type": "MultiPolygon", "coordinates": [
            [ring(103.14, 13.04, 400.0, 14, 1.0)],
            [ring(103.155, 13.05, 250.0, 10, 2.0)]]}),
        690_000.0,
    ));
    json!({"type": "FeatureCollection", "features": features})
}

fn report(km: bool) -> Value {
    let names: Vec<&str> = DISTRICTS.iter().map(|(en, kh)| t(km, en, kh)).collect();
    let remaining_rows: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let i = i as i64;
            let sha_m2 = 1_250_000 + i * 731_555;
            let cha_m2 = 480_300 + (5 - i) * 212_345;
            let cha: Value = if i == 3 {
                json!("<5")
            } else {
                json!(5 + i * 3)
            };
            json!({"admin": name, "sha_n": 12 + i * 7, "sha_m2": sha_m2, "cha_n": cha,
                "cha_m2": cha_m2, "all_n": 17 + i * 10, "all_m2": sha_m2 + cha_m2})
        })
        .collect();
    let released_rows: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let i = i as f64;
            let (c, r, cl) = (820_000.0 - i * 90_000.0, 310_500.0 + i * 45_250.5, 150_000.0 + i * 61_000.0);
            json!({"admin": name, "cancelled": c, "reduced": r, "cleared": cl,
                "released": c + r + cl, "ap": 40 + i as i64 * 13, "av": i as i64, "eo": 210 - i as i64 * 17})
        })
        .collect();
    let m2 = t(km, "m²", "ម²");
    json!({
        "title": t(km, "Article 7 transparency report — Battambang province",
            "របាយការណ៍តម្លាភាពមាត្រា ៧ — ខេត្តបាត់ដំបង"),
        "language": t(km, "en", "km"),
        "parameters": {"as_of": "2025-12-31", "known_at": "2026-02-15T09:30:00Z",
            "from": "2025-01-01", "to": "2025-12-31",
            "admin_area": t(km, "Battambang", "បាត់ដំបង"),
            "organisation": t(km, "Cambodian Mine Action and Victim Assistance Authority",
                "អាជ្ញាធរកម្ពុជាសកម្មភាពកម្ចាត់មីន និងជំនួយជនរងគ្រោះ"),
            "treaty_deadline": "2025-12-31", "suppression_threshold": 5},
        "tables": [
            {"id": "remaining",
             "title": t(km, "Remaining contamination by admin area", "ការបំពុលដែលនៅសល់តាមតំបន់រដ្ឋបាល"),
             "columns": [
                col("admin", t(km, "Admin area", "តំបន់រដ្ឋបាល"), "text"),
                col("sha_n", t(km, "No. SHA", "ចំនួន SHA"), "count"),
                col("sha_m2", &format!("{} ({m2})", t(km, "Area SHA", "ផ្ទៃ SHA")), "area_m2"),
                col("cha_n", t(km, "No. CHA", "ចំនួន CHA"), "count"),
                col("cha_m2", &format!("{} ({m2})", t(km, "Area CHA", "ផ្ទៃ CHA")), "area_m2"),
                col("all_n", t(km, "Total areas", "ចំនួនសរុប"), "count"),
                col("all_m2", &format!("{} ({m2})", t(km, "Total area", "ផ្ទៃសរុប")), "area_m2")],
             "rows": remaining_rows,
             "total": {"admin": t(km, "Total", "សរុប"), "sha_n": 177, "sha_m2": 18_478_325,
                "cha_n": 93, "cha_m2": 6_067_983, "all_n": 267, "all_m2": 24_546_308},
             "notes": [t(km, "Counts below 5 are suppressed.", "ចំនួនតិចជាង ៥ ត្រូវបានលាក់។"),
                t(km, "Areas are as recorded in the national database on the known-at date.",
                  "ផ្ទៃដីគឺតាមការកត់ត្រាក្នុងមូលដ្ឋានទិន្នន័យជាតិ។")]},
            {"id": "released",
             "title": t(km, "Land released by admin area", "ការដោះលែងដីតាមតំបន់រដ្ឋបាល"),
             "counts": t(km, "Form F: land released in mined areas — release credits dated in the period; Form G: mines destroyed — EO finds of category AP mine or AT mine with a destroyed date in the period.",
                "ទម្រង់ F៖ ដីដែលបានដោះលែងក្នុងតំបន់មានមីន — ឥណទានដោះលែងដីដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ។ ទម្រង់ G៖ មីនដែលបានបំផ្លាញ។"),
             "columns": [
                col("admin", t(km, "Admin area", "តំបន់រដ្ឋបាល"), "text"),
                col("cancelled", &format!("{} ({m2})", t(km, "Cancelled (NTS)", "លុបចោលតាម NTS")), "area_m2"),
                col("reduced", &format!("{} ({m2})", t(km, "Reduced (TS)", "កាត់បន្ថយតាម TS")), "area_m2"),
                col("cleared", &format!("{} ({m2})", t(km, "Cleared", "បានបោសសម្អាត")), "area_m2"),
                col("released", &format!("{} ({m2})", t(km, "Total released", "សរុបបានដោះលែង")), "area_m2"),
                col("ap", t(km, "AP mines destroyed", "មីនប្រឆាំងមនុស្សបានបំផ្លាញ"), "count"),
                col("av", t(km, "AV mines destroyed", "មីនប្រឆាំងយានបានបំផ្លាញ"), "count"),
                col("eo", t(km, "Other EO destroyed", "គ្រាប់មិនទាន់ផ្ទុះផ្សេងទៀត"), "count")],
             "rows": released_rows,
             "total": {"admin": t(km, "Total", "សរុប"), "cancelled": 3_570_000.0,
                "reduced": 2_541_778.5, "cleared": 1_815_000.0, "released": 7_926_778.5,
                "ap": 435, "av": 15, "eo": 1005},
             "notes": []},
            {"id": "milestones",
             "title": t(km, "Annual milestones and achievements", "គោលដៅប្រចាំឆ្នាំ និងសមិទ្ធផល"),
             "columns": [
                col("year", t(km, "Year", "ឆ្នាំ"), "text"),
                col("planned", &format!("{} ({m2})", t(km, "Planned", "គោលដៅ")), "area_m2"),
                col("achieved", &format!("{} ({m2})", t(km, "Achieved", "សម្រេចបាន")), "area_m2"),
                col("pct", t(km, "% achieved", "% សម្រេចបាន"), "percent"),
                col("date", t(km, "Declared on", "ប្រកាសនៅថ្ងៃ"), "date")],
             "rows": [
                {"year": "2023", "planned": 9_000_000, "achieved": 8_312_456.4, "pct": 92.36, "date": "2024-03-01"},
                {"year": "2024", "planned": 8_500_000, "achieved": 8_790_001, "pct": 103.41, "date": null},
                {"year": "2025", "planned": 8_000_000, "achieved": 7_926_778.5, "pct": 99.08, "date": "2026-01-20"}],
             "total": null,
             "notes": [t(km, "Targets from the 2020 extension request.",
                "គោលដៅពីសំណើពន្យារពេលឆ្នាំ ២០២០។")]}
        ],
        "charts": [
            {"table": "remaining", "x": "admin", "series": ["sha_m2", "cha_m2"]},
            {"table": "released", "x": "admin", "series": ["cancelled", "reduced", "cleared"], "stacked": true}
        ],
        "map": map()
    })
}

/// Page objects in the PDF (`/Type/Page` or `/Type /Page`, not `/Pages`).
fn page_count(pdf: &[u8]) -> usize {
    let count = |needle: &[u8]| {
        pdf.windows(needle.len() + 1)
            .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
            .count()
    };
    count(b"/Type/Page") + count(b"/Type /Page")
}

fn render_fixture(km: bool) -> Vec<u8> {
    let pdf = render_pdf(&report(km)).expect("report renders");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    pdf
}

#[test]
fn english_report_has_cover_charts_and_tables() {
    let pdf = render_fixture(false);
    assert_eq!(page_count(&pdf), EXPECTED_PAGES);
}

#[test]
fn khmer_report_has_cover_charts_and_tables() {
    let pdf = render_fixture(true);
    assert_eq!(page_count(&pdf), EXPECTED_PAGES);
}

#[test]
fn same_json_gives_same_bytes() {
    for (code, _, _) in all_languages() {
        let once = render_pdf(&report_in(code)).expect("renders");
        assert_eq!(
            once,
            render_pdf(&report_in(code)).expect("renders"),
            "{code}"
        );
    }
}

/// Every language lays out on the same pages, and every character has a glyph in one of
/// the embedded fonts.
#[test]
fn every_language_renders_without_missing_glyphs() {
    for (code, _, _) in all_languages() {
        let rendered = render(&report_in(code)).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(page_count(&rendered.pdf), EXPECTED_PAGES, "{code}");
        assert_eq!(rendered.missing_glyphs, Vec::<char>::new(), "{code}");
    }
}

/// A character no embedded font has (Arabic, CJK) is reported, not silently drawn as a box.
#[test]
fn characters_without_a_glyph_are_reported() {
    let mut report = report_in("vi");
    report["tables"][0]["rows"][0]["admin"] = json!("قندهار 地雷");
    let rendered = render(&report).expect("renders");
    for c in ['ق', 'ن', 'د', 'ه', 'ا', 'ر', '地', '雷'] {
        assert!(
            rendered.missing_glyphs.contains(&c),
            "{c}: {:?}",
            rendered.missing_glyphs
        );
    }
    assert!(!rendered.missing_glyphs.contains(&' '));
    assert_eq!(page_count(&rendered.pdf), EXPECTED_PAGES);
}

/// Runs a poppler tool on `pdf`; None when it is not installed (an error when
/// `SAFEGROUND_REQUIRE_PDFTOPPM=1`).
fn poppler(tool: &str, args: &[&str], pdf: &std::path::Path, after: &[&str]) -> Option<String> {
    if Command::new(tool).arg("-v").output().is_err() {
        let reason = format!("{tool} not found (install poppler-utils)");
        if std::env::var("SAFEGROUND_REQUIRE_PDFTOPPM").as_deref() == Ok("1") {
            panic!("{reason}, but SAFEGROUND_REQUIRE_PDFTOPPM=1");
        }
        eprintln!("skipped: {reason}");
        return None;
    }
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(after)
        .output()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
    assert!(out.status.success(), "{tool} failed on {}", pdf.display());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Each language's PDF embeds Noto Sans and its script's Noto font, and gives back the
/// renderer's "Remaining contamination" heading and the title as text.
#[test]
fn every_language_embeds_its_font_and_round_trips_text() {
    let dir = tempfile_dir("fonts");
    let squash = |s: &str| {
        collapse_repeated_clusters(&s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
    };
    for (code, font, remaining) in all_languages() {
        let report = report_in(code);
        let path = dir.join(format!("report-{code}.pdf"));
        std::fs::write(&path, render_pdf(&report).expect("renders")).expect("write PDF");
        let Some(fonts) = poppler("pdffonts", &[], &path, &[]) else {
            return;
        };
        // Font names, "ABCDEF+NotoSansThai-Bold" for a subset, after two header lines.
        let embedded: Vec<&str> = fonts
            .lines()
            .skip(2)
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert!(
            embedded.iter().any(|f| f.contains("NotoSans-")),
            "{code}: no Noto Sans in {fonts}"
        );
        if let Some(font) = font {
            assert!(
                embedded.iter().any(|f| f.contains(font)),
                "{code}: no {font} in {fonts}"
            );
        }
        let others = [
            "NotoSansKhmer",
            "NotoSansLao",
            "NotoSansThai",
            "NotoSansMyanmar",
        ];
        for other in others.iter().filter(|o| Some(**o) != font) {
            assert!(
                !embedded.iter().any(|f| f.contains(other)),
                "{code}: {other} embedded but not needed: {fonts}"
            );
        }
        let Some(text) = poppler("pdftotext", &["-enc", "UTF-8"], &path, &["-"]) else {
            return;
        };
        let text = squash(&text);
        assert!(
            text.contains(&squash(remaining)),
            "{code}: no {remaining:?} in {text}"
        );
        let title = report["title"].as_str().unwrap_or_default();
        assert!(
            text.contains(&squash(title)),
            "{code}: no {title:?} in {text}"
        );
    }
}

/// Whether `c` is Thai, Lao, Myanmar or Khmer.
fn complex_script(c: char) -> bool {
    matches!(c, '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}')
}

/// `text` with each run of the same Thai, Lao, Myanmar or Khmer cluster (two to six
/// characters) kept once. typst writes a cluster whose glyphs do not map one to one to its
/// characters with `/ActualText`, and `pdftotext` gives such a cluster twice or three times
/// (typst#4225, typst#7610); what a PDF reader copies is right. Applied to both sides of a
/// comparison, it leaves the characters and their order to check.
fn collapse_repeated_clusters(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let repeated = (2..=6).rev().find(|&n| {
            i + 2 * n <= chars.len()
                && chars[i..i + n] == chars[i + n..i + 2 * n]
                && chars[i..i + n].iter().any(|c| complex_script(*c))
        });
        match repeated {
            // Drop this copy; the next one is compared again, so a triple becomes one.
            Some(n) => i += n,
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out.into_iter().collect()
}

#[test]
fn repeated_clusters_collapse() {
    assert_eq!(collapse_repeated_clusters("ณวันที่ที่"), "ณวันที่");
    assert_eq!(collapse_repeated_clusters("ភ្នំភ្នំភ្នំព្រឹព្រឹក"), "ភ្នំព្រឹក");
    assert_eq!(collapse_repeated_clusters("1,0001,000"), "1,0001,000");
    assert_eq!(collapse_repeated_clusters("ការបំពុល"), "ការបំពុល");
}

fn tempfile_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/report-pdf")
        .join(name);
    std::fs::create_dir_all(&dir).expect("create target/report-pdf");
    dir
}

#[test]
fn report_without_map_charts_or_tables_is_one_page() {
    let mut report = report(false);
    report["map"] = Value::Null;
    report["charts"] = json!([]);
    report["tables"] = json!([]);
    let pdf = render_pdf(&report).expect("renders");
    assert_eq!(page_count(&pdf), 1);
}

#[test]
fn markup_in_strings_is_plain_text() {
    let mut report = report(false);
    let markup = "#pagebreak() *bold* $x^2$ [x] <label> @ref // not a comment \\ `raw`";
    report["title"] = json!(markup);
    report["tables"][0]["rows"][0]["admin"] = json!(markup);
    report["tables"][0]["notes"][0] = json!("#pagebreak()");
    report["tables"][1]["counts"] = json!("#pagebreak() *counts*");
    let pdf = render_pdf(&report).expect("renders");
    assert_eq!(page_count(&pdf), EXPECTED_PAGES);
}

#[test]
fn inconsistent_reports_are_rejected() {
    let mut bad_date = report(false);
    bad_date["parameters"]["as_of"] = json!("31/12/2025");
    assert!(matches!(render_pdf(&bad_date), Err(PdfError::Invalid(_))));

    let mut bad_chart = report(false);
    bad_chart["charts"][0]["series"] = json!(["no_such_column"]);
    assert!(matches!(render_pdf(&bad_chart), Err(PdfError::Invalid(_))));

    let mut bad_language = report(false);
    bad_language["language"] = json!("fr");
    assert!(matches!(render_pdf(&bad_language), Err(PdfError::Shape(_))));

    assert!(matches!(render_pdf(&json!([])), Err(PdfError::Shape(_))));
}

/// Converts every language's PDF to PNGs (one per page) for review.
#[test]
fn pages_as_png_for_review() {
    let available = Command::new("pdftoppm").arg("-v").output().is_ok();
    if !available {
        let reason = "pdftoppm not found (install poppler-utils); PNG review pages not written";
        if std::env::var("SAFEGROUND_REQUIRE_PDFTOPPM").as_deref() == Ok("1") {
            panic!("{reason}, but SAFEGROUND_REQUIRE_PDFTOPPM=1");
        }
        eprintln!("skipped: {reason}");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/report-pdf");
    std::fs::create_dir_all(&dir).expect("create target/report-pdf");
    for (code, _, _) in all_languages() {
        let name = format!("report-{code}");
        let name = name.as_str();
        let pdf_path = dir.join(format!("{name}.pdf"));
        std::fs::write(&pdf_path, render_pdf(&report_in(code)).expect("renders"))
            .expect("write PDF");
        let status = Command::new("pdftoppm")
            .args(["-r", "110", "-png"])
            .arg(&pdf_path)
            .arg(dir.join(name))
            .status()
            .expect("run pdftoppm");
        assert!(
            status.success(),
            "pdftoppm failed on {}",
            pdf_path.display()
        );
        for page in 1..=EXPECTED_PAGES {
            let png = dir.join(format!("{name}-{page}.png"));
            assert!(png.exists(), "missing {}", png.display());
        }
    }
}
