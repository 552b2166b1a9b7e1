//! The treaty tables: APMBC Article 7 Form C (mined areas) and Forms F/G (land released and
//! mines destroyed), CCM Article 7 Form F (contaminated areas and clearance), laid out as the
//! recommended Article 5 tables C-1 and F-1 (reference §4.1, §4.2).

use std::collections::{BTreeMap, BTreeSet};

use safeground_model::{ContaminationType, OrdnanceCategory};

use crate::i18n;
use crate::land::{Released, admin_cells};
use crate::lang::{Tr, tr};
use crate::progress::is_sha_or_cha;
use crate::remaining::{ByClass, sha_cha_columns};
use crate::snapshot::{Destroyed, Snapshot};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

/// The note that says what a mined area is.
pub(crate) fn mined_area_note(l: Language) -> String {
    l.pick(
        tr! {
            en: "Mined areas: SHA and CHA (indications count as SHA) whose contamination includes \
         anti-personnel mines; ammunition storage and EOD spot tasks are not mined areas.",
            km: "តំបន់មានមីន៖ តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ (ការចង្អុលបង្ហាញរាប់ជាតំបន់សង្ស័យ) \
         ដែលការបំពុលរួមមានមីនប្រឆាំងមនុស្ស។ ឃ្លាំងគ្រាប់រំសេវ និងភារកិច្ច EOD មិនមែនជាតំបន់មានមីនទេ។",
            lo: "ພື້ນທີ່ມີລະເບີດຝັງດິນ: SHA ແລະ CHA (ຂໍ້ບົ່ງຊີ້ນັບເປັນ SHA) ທີ່ການປົນເປື້ອນລວມມີລະເບີດຝັງດິນຕ້ານບຸກຄົນ; ບ່ອນເກັບມ້ຽນລູກປືນ ແລະ ວຽກ EOD ແບບຈຸດ ບໍ່ແມ່ນພື້ນທີ່ມີລະເບີດຝັງດິນ.",
            th: "พื้นที่ทุ่นระเบิด: SHA และ CHA (ข้อบ่งชี้นับเป็น SHA) ที่การปนเปื้อนรวมถึงทุ่นระเบิดสังหารบุคคล คลังเก็บกระสุนและงาน EOD เฉพาะจุดไม่ใช่พื้นที่ทุ่นระเบิด",
            vi: "Khu vực có mìn: SHA và CHA (dấu hiệu được tính là SHA) có ô nhiễm gồm mìn sát thương; kho đạn dược và nhiệm vụ EOD điểm không phải khu vực có mìn.",
            my: "မြေမြှုပ်မိုင်းရှိဧရိယာများ- လူသတ်မြေမြှုပ်မိုင်း ပါဝင်သော ညစ်ညမ်းမှုရှိသည့် SHA နှင့် CHA များ (ညွှန်ပြချက်များကို SHA အဖြစ် ရေတွက်သည်)၊ ခဲယမ်းမီးကျောက်သိုလှောင်ရုံများနှင့် EOD နေရာတစ်ခုတည်း လုပ်ငန်းများသည် မြေမြှုပ်မိုင်းရှိဧရိယာ မဟုတ်ပါ။",
            az: "Minalanmış ərazilər: çirklənməsinə piyada əleyhinə minalar daxil olan SHA və CHA (əlamətlər SHA kimi sayılır); sursat anbarları və nöqtəvi EOD tapşırıqları minalanmış ərazi deyil.",
        },
    )
    .to_owned()
}

fn cmr_note(l: Language) -> String {
    l.pick(
        tr! {
            en: "Cluster munition contaminated areas: SHA and CHA (indications count as SHA) whose \
         contamination includes cluster munition remnants.",
            km: "តំបន់បំពុលដោយគ្រាប់បែកចង្កោម៖ តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ (ការចង្អុលបង្ហាញរាប់ជាតំបន់សង្ស័យ) \
         ដែលការបំពុលរួមមានសំណល់គ្រាប់បែកចង្កោម។",
            lo: "ພື້ນທີ່ປົນເປື້ອນລະເບີດຫວ່ານ: SHA ແລະ CHA (ຂໍ້ບົ່ງຊີ້ນັບເປັນ SHA) ທີ່ການປົນເປື້ອນລວມມີລູກລະເບີດຫວ່ານທີ່ຍັງເຫຼືອ.",
            th: "พื้นที่ปนเปื้อนอาวุธพวง: SHA และ CHA (ข้อบ่งชี้นับเป็น SHA) ที่การปนเปื้อนรวมถึงเศษตกค้างจากอาวุธพวง",
            vi: "Khu vực ô nhiễm bom chùm: SHA và CHA (dấu hiệu được tính là SHA) có ô nhiễm gồm tàn dư bom chùm.",
            my: "စုပြုံဗုံးညစ်ညမ်းသောဧရိယာများ- စုပြုံဗုံးအကြွင်းအကျန်များ ပါဝင်သော ညစ်ညမ်းမှုရှိသည့် SHA နှင့် CHA များ (ညွှန်ပြချက်များကို SHA အဖြစ် ရေတွက်သည်)။",
            az: "Kaset sursatı ilə çirklənmiş ərazilər: çirklənməsinə kaset sursatı qalıqları daxil olan SHA və CHA (əlamətlər SHA kimi sayılır).",
        },
    )
    .to_owned()
}

/// Remaining areas of the hazards contaminated by `kind`, per admin area (Table C-1 layout).
fn contaminated(
    id: &str,
    title: &str,
    snap: &Snapshot,
    p: &ReportParams,
    kind: ContaminationType,
    with_types: bool,
) -> Table {
    let l = p.language;
    let mut columns = i18n::admin_columns(l);
    columns.extend(sha_cha_columns(l));
    columns.extend([
        Column::new(
            "total_areas",
            l.pick(tr! {
                en: "Total areas (number)",
                km: "តំបន់សរុប (ចំនួន)",
                lo: "ພື້ນທີ່ທັງໝົດ (ຈຳນວນ)",
                th: "พื้นที่ทั้งหมด (จำนวน)",
                vi: "Tổng số khu vực (số lượng)",
                my: "ဧရိယာ စုစုပေါင်း (အရေအတွက်)",
                az: "Cəmi ərazilər (say)",
            }),
            ColumnKind::Count,
        ),
        Column::new(
            "total_m2",
            l.pick(tr! {
                en: "Total area (m²)",
                km: "ផ្ទៃដីសរុប (ម²)",
                lo: "ເນື້ອທີ່ທັງໝົດ (ມ²)",
                th: "พื้นที่รวม (ตร.ม.)",
                vi: "Tổng diện tích (m²)",
                my: "စုစုပေါင်း ဧရိယာ (စ.မ)",
                az: "Cəmi sahə (m²)",
            }),
            ColumnKind::AreaM2,
        ),
    ]);
    if with_types {
        columns.push(Column::new(
            "contamination",
            l.pick(tr! {
                en: "Contamination type",
                km: "ប្រភេទការបំពុល",
                lo: "ປະເພດການປົນເປື້ອນ",
                th: "ประเภทการปนเปื้อน",
                vi: "Loại ô nhiễm",
                my: "ညစ်ညမ်းမှုအမျိုးအစား",
                az: "Çirklənmə növü",
            }),
            ColumnKind::Text,
        ));
    }
    let mut t = Table::new(id, title, columns);
    let mut rows: BTreeMap<&str, (ByClass, BTreeSet<String>)> = BTreeMap::new();
    for h in snap
        .hazards
        .iter()
        .filter(|h| h.has(kind) && is_sha_or_cha(h) && h.is_remaining())
    {
        let row = rows.entry(h.pcode()).or_default();
        row.0.add(&h.state);
        row.1.insert(i18n::contamination(l, &h.contamination));
    }
    let cells = |c: &ByClass| {
        let mut v = c.sha_cha_cells();
        v.push(Cell::Count(c.sha + c.cha));
        v.push(Cell::Area(c.sha_m2 + c.cha_m2));
        v
    };
    let mut total = ByClass::default();
    for (pcode, (c, types)) in &rows {
        total.plus(c);
        let mut row = admin_cells(snap, pcode, l);
        row.extend(cells(c));
        if with_types {
            row.push(Cell::Text(
                types.iter().cloned().collect::<Vec<_>>().join("; "),
            ));
        }
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(cells(&total));
    if with_types {
        total_row.push(Cell::Empty);
    }
    t.total = Some(total_row);
    t.notes = vec![crate::remaining::remaining_note(l), i18n::admin_note(l)];
    t
}

/// [apmbc_form_c]
pub(crate) fn apmbc_form_c(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = contaminated(
        "apmbc_form_c",
        l.pick(
            tr! {
                en: "APMBC Article 7 Form C: mined areas known or suspected to contain anti-personnel mines",
                km: "អនុសញ្ញាអូតាវ៉ា មាត្រា ៧ ទម្រង់ C៖ តំបន់ដែលដឹង ឬសង្ស័យថាមានមីនប្រឆាំងមនុស្ស",
                lo: "ແບບຟອມ C ມາດຕາ 7 ຂອງ APMBC: ພື້ນທີ່ມີລະເບີດຝັງດິນທີ່ຮູ້ ຫຼື ສົງໃສວ່າມີລະເບີດຝັງດິນຕ້ານບຸກຄົນ",
                th: "แบบฟอร์ม C ข้อ 7 ของ APMBC: พื้นที่ทุ่นระเบิดที่ทราบหรือสงสัยว่ามีทุ่นระเบิดสังหารบุคคล",
                vi: "Mẫu C Điều 7 APMBC: khu vực có mìn đã biết hoặc nghi ngờ có mìn sát thương",
                my: "APMBC အပိုဒ် 7 ပုံစံ C- လူသတ်မြေမြှုပ်မိုင်း ရှိကြောင်း သိရှိသော သို့မဟုတ် သံသယရှိသော မြေမြှုပ်မိုင်းရှိဧရိယာများ",
                az: "APMBC Maddə 7 Forma C: piyada əleyhinə minaların olduğu bilinən və ya ehtimal edilən minalanmış ərazilər",
            },
        ),
        snap,
        p,
        ContaminationType::ApMines,
        true,
    );
    t.notes.insert(0, mined_area_note(l));
    t
}

/// [ccm_contaminated]
pub(crate) fn ccm_contaminated(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = contaminated(
        "ccm_contaminated",
        l.pick(tr! {
            en: "CCM Article 7 Form F: areas contaminated by cluster munition remnants",
            km: "អនុសញ្ញាស្ដីពីគ្រាប់បែកចង្កោម មាត្រា ៧ ទម្រង់ F៖ តំបន់បំពុលដោយសំណល់គ្រាប់បែកចង្កោម",
            lo: "ແບບຟອມ F ມາດຕາ 7 ຂອງ CCM: ພື້ນທີ່ປົນເປື້ອນລູກລະເບີດຫວ່ານທີ່ຍັງເຫຼືອ",
            th: "แบบฟอร์ม F ข้อ 7 ของ CCM: พื้นที่ที่ปนเปื้อนเศษตกค้างจากอาวุธพวง",
            vi: "Mẫu F Điều 7 CCM: khu vực ô nhiễm tàn dư bom chùm",
            my: "CCM အပိုဒ် 7 ပုံစံ F- စုပြုံဗုံးအကြွင်းအကျန်များ ညစ်ညမ်းသောဧရိယာများ",
            az: "CCM Maddə 7 Forma F: kaset sursatı qalıqları ilə çirklənmiş ərazilər",
        }),
        snap,
        p,
        ContaminationType::Cmr,
        false,
    );
    t.notes.insert(0, cmr_note(l));
    t
}

/// A count of EO destroyed in a column of a clearance table.
struct EoColumn {
    key: &'static str,
    title: &'static str,
    counts: fn(&Destroyed) -> bool,
}

/// Land released in the period in the hazards contaminated by `kind`, and the EO destroyed in them,
/// per admin area (Table F-1 layout).
fn clearance(
    id: &str,
    title: &str,
    snap: &Snapshot,
    p: &ReportParams,
    kind: ContaminationType,
    eo: &[EoColumn],
) -> Table {
    let l = p.language;
    let mut columns = i18n::admin_columns(l);
    let area = |key: &str, title: Tr| Column::new(key, l.pick(title), ColumnKind::AreaM2);
    columns.extend([
        area(
            "cancelled_m2",
            tr! {
                en: "Cancelled through non-technical survey (m²)",
                km: "បានលុបចោលតាមរយៈការស្ទង់មិនមែនបច្ចេកទេស (ម²)",
                lo: "ຍົກເລີກໂດຍການສຳຫຼວດທີ່ບໍ່ແມ່ນທາງເຕັກນິກ (ມ²)",
                th: "ยกเลิกโดยการสำรวจที่ไม่ใช่ทางเทคนิค (ตร.ม.)",
                vi: "Hủy bỏ qua khảo sát phi kỹ thuật (m²)",
                my: "နည်းပညာမဟုတ်သော စစ်တမ်းဖြင့် ပယ်ဖျက် (စ.မ)",
                az: "Qeyri-texniki tədqiqatla ləğv edilmiş (m²)",
            },
        ),
        area(
            "reduced_m2",
            tr! {
                en: "Reduced through technical survey (m²)",
                km: "បានកាត់បន្ថយតាមរយៈការស្ទង់បច្ចេកទេស (ម²)",
                lo: "ຫຼຸດຜ່ອນໂດຍການສຳຫຼວດທາງເຕັກນິກ (ມ²)",
                th: "ลดพื้นที่โดยการสำรวจทางเทคนิค (ตร.ม.)",
                vi: "Thu hẹp qua khảo sát kỹ thuật (m²)",
                my: "နည်းပညာစစ်တမ်းဖြင့် လျှော့ချ (စ.မ)",
                az: "Texniki tədqiqatla azaldılmış (m²)",
            },
        ),
        area(
            "cleared_m2",
            tr! {
                en: "Cleared (m²)",
                km: "បានបោសសម្អាត (ម²)",
                lo: "ເກັບກູ້ແລ້ວ (ມ²)",
                th: "เก็บกู้แล้ว (ตร.ม.)",
                vi: "Đã rà phá (m²)",
                my: "ရှင်းလင်းပြီး (စ.မ)",
                az: "Təmizlənmiş (m²)",
            },
        ),
        area(
            "released_m2",
            tr! {
                en: "Total released (m²)",
                km: "ដីដែលបានដោះលែងសរុប (ម²)",
                lo: "ປົດປ່ອຍທັງໝົດ (ມ²)",
                th: "ปลดปล่อยทั้งหมด (ตร.ม.)",
                vi: "Tổng diện tích giải phóng (m²)",
                my: "လွှတ်ပေးမှု စုစုပေါင်း (စ.မ)",
                az: "Cəmi azad edilmiş (m²)",
            },
        ),
    ]);
    columns.extend(
        eo.iter()
            .map(|c| Column::new(c.key, c.title, ColumnKind::Count)),
    );
    let mut t = Table::new(id, title, columns);
    let mut rows: BTreeMap<&str, (Released, Vec<u64>)> = BTreeMap::new();
    let zero = || (Released::default(), vec![0; eo.len()]);
    for h in snap.hazards.iter().filter(|h| h.has(kind)) {
        for c in h.credits.iter().filter(|c| p.in_period(c.valid_from)) {
            rows.entry(h.pcode()).or_insert_with(zero).0.add(c);
        }
    }
    for d in snap
        .destroyed
        .iter()
        .filter(|d| d.contamination.contains(&kind))
    {
        for (i, col) in eo.iter().enumerate() {
            if (col.counts)(d) {
                rows.entry(d.pcode.as_str()).or_insert_with(zero).1[i] += u64::from(d.quantity);
            }
        }
    }
    let cells = |r: &Released, n: &[u64]| {
        let mut v = vec![
            Cell::Area(r.cancelled),
            Cell::Area(r.reduced()),
            Cell::Area(r.cleared),
            Cell::Area(r.total()),
        ];
        v.extend(n.iter().map(|k| Cell::Count(*k)));
        v
    };
    let (mut total, mut total_n) = zero();
    for (pcode, (r, n)) in &rows {
        total.plus(r);
        for (acc, k) in total_n.iter_mut().zip(n) {
            *acc += k;
        }
        let mut row = admin_cells(snap, pcode, l);
        row.extend(cells(r, n));
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(cells(&total, &total_n));
    t.total = Some(total_row);
    let mut notes = crate::land::release_notes(l);
    notes.push(
        l.pick(
            tr! {
                en: "EO destroyed: items with a destroyed date in the period, found in these hazards.",
                km: "សម្ភារៈផ្ទុះដែលបានបំផ្លាញ៖ សម្ភារៈដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ ដែលបានរកឃើញក្នុងតំបន់គ្រោះថ្នាក់ទាំងនេះ។",
                lo: "ລະເບີດທີ່ຖືກທຳລາຍ: ລາຍການທີ່ມີວັນທີທຳລາຍໃນໄລຍະນີ້, ທີ່ຄົ້ນພົບໃນພື້ນທີ່ອັນຕະລາຍເຫຼົ່ານີ້.",
                th: "วัตถุระเบิดที่ถูกทำลาย: รายการที่มีวันที่ทำลายในช่วงเวลานี้ ซึ่งพบในพื้นที่อันตรายเหล่านี้",
                vi: "Vật liệu nổ đã hủy: các vật có ngày hủy trong kỳ, phát hiện tại các khu vực nguy hiểm này.",
                my: "ဖျက်ဆီးခဲ့သော ပေါက်ကွဲစေတတ်သောလက်နက်များ- ဤအန္တရာယ်ရှိဧရိယာများတွင် တွေ့ရှိပြီး ဤကာလအတွင်း ဖျက်ဆီးသည့်ရက်စွဲပါ ပစ္စည်းများ။",
                az: "Məhv edilmiş partlayıcı sursat: bu təhlükəli ərazilərdə tapılmış, dövr ərzində məhv edilmə tarixi olan əşyalar.",
            },
        )
        .to_owned(),
    );
    t.notes = notes;
    t
}

/// [apmbc_form_f_g]
pub(crate) fn apmbc_form_f_g(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = clearance(
        "apmbc_form_f_g",
        l.pick(
            tr! {
                en: "APMBC Article 7 Forms F and G: land released in mined areas and mines destroyed",
                km: "អនុសញ្ញាអូតាវ៉ា មាត្រា ៧ ទម្រង់ F និង G៖ ដីដែលបានដោះលែងក្នុងតំបន់មានមីន និងមីនដែលបានបំផ្លាញ",
                lo: "ແບບຟອມ F ແລະ G ມາດຕາ 7 ຂອງ APMBC: ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍໃນພື້ນທີ່ມີລະເບີດຝັງດິນ ແລະ ລະເບີດຝັງດິນທີ່ຖືກທຳລາຍ",
                th: "แบบฟอร์ม F และ G ข้อ 7 ของ APMBC: พื้นที่ที่ได้รับการปลดปล่อยในพื้นที่ทุ่นระเบิดและทุ่นระเบิดที่ถูกทำลาย",
                vi: "Mẫu F và G Điều 7 APMBC: diện tích đất được giải phóng tại khu vực có mìn và mìn đã hủy",
                my: "APMBC အပိုဒ် 7 ပုံစံ F နှင့် G- မြေမြှုပ်မိုင်းရှိဧရိယာများတွင် လွှတ်ပေးသည့်မြေနှင့် ဖျက်ဆီးခဲ့သော မြေမြှုပ်မိုင်းများ",
                az: "APMBC Maddə 7 Formalar F və G: minalanmış ərazilərdə azad edilmiş ərazi və məhv edilmiş minalar",
            },
        ),
        snap,
        p,
        ContaminationType::ApMines,
        &[
            EoColumn {
                key: "ap_mines_destroyed",
                title: l.pick(tr! {
                    en: "AP mines destroyed",
                    km: "មីនប្រឆាំងមនុស្សដែលបានបំផ្លាញ",
                    lo: "ລະເບີດຝັງດິນຕ້ານບຸກຄົນທີ່ຖືກທຳລາຍ",
                    th: "ทุ่นระเบิดสังหารบุคคลที่ถูกทำลาย",
                    vi: "Mìn sát thương đã hủy",
                    my: "ဖျက်ဆီးခဲ့သော လူသတ်မြေမြှုပ်မိုင်း",
                    az: "Məhv edilmiş piyada əleyhinə minalar",
                }),
                counts: |d| d.category == OrdnanceCategory::ApMine,
            },
            EoColumn {
                key: "av_mines_destroyed",
                title: l.pick(tr! {
                    en: "AV mines destroyed",
                    km: "មីនប្រឆាំងយានយន្តដែលបានបំផ្លាញ",
                    lo: "ລະເບີດຝັງດິນຕ້ານພາຫະນະທີ່ຖືກທຳລາຍ",
                    th: "ทุ่นระเบิดต่อต้านยานพาหนะที่ถูกทำลาย",
                    vi: "Mìn chống xe đã hủy",
                    my: "ဖျက်ဆီးခဲ့သော ယာဉ်ဆန့်ကျင်ရေးမြေမြှုပ်မိုင်း",
                    az: "Məhv edilmiş nəqliyyat əleyhinə minalar",
                }),
                counts: |d| d.category == OrdnanceCategory::AtMine,
            },
            EoColumn {
                key: "other_eo_destroyed",
                title: l.pick(tr! {
                    en: "Other EO destroyed",
                    km: "សម្ភារៈផ្ទុះផ្សេងទៀតដែលបានបំផ្លាញ",
                    lo: "ລະເບີດອື່ນທີ່ຖືກທຳລາຍ",
                    th: "วัตถุระเบิดอื่นที่ถูกทำลาย",
                    vi: "Vật liệu nổ khác đã hủy",
                    my: "ဖျက်ဆီးခဲ့သော အခြား ပေါက်ကွဲစေတတ်သောလက်နက်",
                    az: "Məhv edilmiş digər partlayıcı sursat",
                }),
                counts: |d| {
                    !matches!(
                        d.category,
                        OrdnanceCategory::ApMine | OrdnanceCategory::AtMine
                    )
                },
            },
        ],
    );
    t.notes.insert(0, mined_area_note(l));
    t
}

/// [ccm_clearance]
pub(crate) fn ccm_clearance(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = clearance(
        "ccm_clearance",
        l.pick(tr! {
            en: "CCM Article 7 Form F: clearance of cluster munition contaminated areas",
            km: "អនុសញ្ញាស្ដីពីគ្រាប់បែកចង្កោម មាត្រា ៧ ទម្រង់ F៖ ការបោសសម្អាតតំបន់បំពុលដោយគ្រាប់បែកចង្កោម",
            lo: "ແບບຟອມ F ມາດຕາ 7 ຂອງ CCM: ການເກັບກູ້ພື້ນທີ່ປົນເປື້ອນລູກລະເບີດຫວ່ານ",
            th: "แบบฟอร์ม F ข้อ 7 ของ CCM: การเก็บกู้พื้นที่ปนเปื้อนอาวุธพวง",
            vi: "Mẫu F Điều 7 CCM: rà phá khu vực ô nhiễm bom chùm",
            my: "CCM အပိုဒ် 7 ပုံစံ F- စုပြုံဗုံးညစ်ညမ်းသောဧရိယာများ ရှင်းလင်းခြင်း",
            az: "CCM Maddə 7 Forma F: kaset sursatı ilə çirklənmiş ərazilərin təmizlənməsi",
        }),
        snap,
        p,
        ContaminationType::Cmr,
        &[
            EoColumn {
                key: "submunitions_destroyed",
                title: l.pick(tr! {
                    en: "Submunitions destroyed",
                    km: "គ្រាប់បែកតូចដែលបានបំផ្លាញ",
                    lo: "ລູກລະເບີດຫວ່ານທີ່ຖືກທຳລາຍ",
                    th: "ลูกระเบิดย่อยที่ถูกทำลาย",
                    vi: "Bom bi đã hủy",
                    my: "ဖျက်ဆီးခဲ့သော ဗုံးငယ်များ",
                    az: "Məhv edilmiş kaset bombacıqları",
                }),
                counts: |d| d.category == OrdnanceCategory::Submunition,
            },
            EoColumn {
                key: "other_eo_destroyed",
                title: l.pick(tr! {
                    en: "Other EO destroyed",
                    km: "សម្ភារៈផ្ទុះផ្សេងទៀតដែលបានបំផ្លាញ",
                    lo: "ລະເບີດອື່ນທີ່ຖືກທຳລາຍ",
                    th: "วัตถุระเบิดอื่นที่ถูกทำลาย",
                    vi: "Vật liệu nổ khác đã hủy",
                    my: "ဖျက်ဆီးခဲ့သော အခြား ပေါက်ကွဲစေတတ်သောလက်နက်",
                    az: "Məhv edilmiş digər partlayıcı sursat",
                }),
                counts: |d| d.category != OrdnanceCategory::Submunition,
            },
        ],
    );
    t.notes.insert(0, cmr_note(l));
    t
}
