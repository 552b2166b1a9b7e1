//! Casualties and accidents (with small-number suppression) and risk-education
//! beneficiaries, and the column helpers the people and EO tables share.

use std::collections::BTreeMap;

use chrono::Datelike;
use safeground_model::{ActivityAtTimeOfAccident, AgeBand, AudienceReach, CasualtyOutcome};

use crate::i18n;
use crate::lang::{Tr, tr};
use crate::snapshot::Snapshot;
use crate::suppress::{Suppression, WITHHELD};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

pub(crate) fn text(key: &str, l: Language, title: Tr) -> Column {
    Column::new(key, l.pick(title), ColumnKind::Text)
}

pub(crate) fn count(key: &str, l: Language, title: Tr) -> Column {
    Column::new(key, l.pick(title), ColumnKind::Count)
}

/// [accidents]: by year, with and without recorded victims, and the killed and injured
/// recorded.
pub(crate) fn accidents(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "accidents",
        l.pick(tr! {
            en: "Accidents by year, with and without recorded victims",
            km: "គ្រោះថ្នាក់តាមឆ្នាំ ដែលមាន និងគ្មានកំណត់ត្រាជនរងគ្រោះ",
            lo: "ອຸບັດຕິເຫດ ແຍກຕາມປີ, ທີ່ມີ ແລະ ບໍ່ມີຜູ້ເຄາະຮ້າຍທີ່ບັນທຶກໄວ້",
            th: "อุบัติเหตุจำแนกตามปี ที่มีและไม่มีผู้ประสบภัยที่บันทึกไว้",
            vi: "Tai nạn theo năm, có và không có nạn nhân được ghi nhận",
            my: "နှစ်အလိုက် မတော်တဆဖြစ်ရပ်များ၊ မှတ်တမ်းတင်ထားသော ထိခိုက်သူ ရှိ/မရှိ",
            az: "İllər üzrə hadisələr, qeydə alınmış zərərçəkənlərlə və onlarsız",
        }),
        vec![
            text(
                "year",
                l,
                tr! {
                    en: "Year",
                    km: "ឆ្នាំ",
                    lo: "ປີ",
                    th: "ปี",
                    vi: "Năm",
                    my: "နှစ်",
                    az: "İl",
                },
            ),
            count(
                "accidents",
                l,
                tr! {
                    en: "Accidents",
                    km: "គ្រោះថ្នាក់",
                    lo: "ອຸບັດຕິເຫດ",
                    th: "อุบัติเหตุ",
                    vi: "Tai nạn",
                    my: "မတော်တဆဖြစ်ရပ်များ",
                    az: "Hadisələr",
                },
            ),
            count(
                "with_victims",
                l,
                tr! {
                    en: "Accidents with recorded victims",
                    km: "គ្រោះថ្នាក់ដែលមានកំណត់ត្រាជនរងគ្រោះ",
                    lo: "ອຸບັດຕິເຫດທີ່ມີຜູ້ເຄາະຮ້າຍທີ່ບັນທຶກໄວ້",
                    th: "อุบัติเหตุที่มีผู้ประสบภัยที่บันทึกไว้",
                    vi: "Tai nạn có nạn nhân được ghi nhận",
                    my: "မှတ်တမ်းတင်ထားသော ထိခိုက်သူရှိသည့် ဖြစ်ရပ်များ",
                    az: "Qeydə alınmış zərərçəkənli hadisələr",
                },
            ),
            count(
                "without_victims",
                l,
                tr! {
                    en: "Accidents without recorded victims",
                    km: "គ្រោះថ្នាក់ដែលគ្មានកំណត់ត្រាជនរងគ្រោះ",
                    lo: "ອຸບັດຕິເຫດທີ່ບໍ່ມີຜູ້ເຄາະຮ້າຍທີ່ບັນທຶກໄວ້",
                    th: "อุบัติเหตุที่ไม่มีผู้ประสบภัยที่บันทึกไว้",
                    vi: "Tai nạn không có nạn nhân được ghi nhận",
                    my: "မှတ်တမ်းတင်ထားသော ထိခိုက်သူမရှိသည့် ဖြစ်ရပ်များ",
                    az: "Qeydə alınmış zərərçəkəni olmayan hadisələr",
                },
            ),
            count(
                "killed",
                l,
                tr! {
                    en: "Killed",
                    km: "ស្លាប់",
                    lo: "ເສຍຊີວິດ",
                    th: "เสียชีวิต",
                    vi: "Tử vong",
                    my: "သေဆုံး",
                    az: "Həlak olub",
                },
            ),
            count(
                "injured",
                l,
                tr! {
                    en: "Injured",
                    km: "របួស",
                    lo: "ບາດເຈັບ",
                    th: "บาดเจ็บ",
                    vi: "Bị thương",
                    my: "ဒဏ်ရာရ",
                    az: "Yaralanıb",
                },
            ),
        ],
    );
    // Accident counts are events; killed and injured are people, suppressed as casualties.
    let mut rows: BTreeMap<_, [u64; 5]> = BTreeMap::new();
    for a in &snap.accidents {
        let year = a.date.map(|d| d.year());
        let row = rows.entry((year.is_none(), year)).or_default();
        let victims = a.killed + a.injured;
        row[0] += 1;
        row[if victims > 0 { 1 } else { 2 }] += 1;
        row[3] += a.killed;
        row[4] += a.injured;
    }
    let s = Suppression {
        threshold: p.suppression_threshold,
    };
    let mut total = [0u64; 3];
    let (mut killed, mut injured) = (Vec::new(), Vec::new());
    for ((_, year), [n, with, without, k, i]) in rows {
        for (acc, v) in total.iter_mut().zip([n, with, without]) {
            *acc += v;
        }
        killed.push(k);
        injured.push(i);
        t.rows.push(vec![
            Cell::Text(year.map_or_else(|| i18n::unknown(l), |y| y.to_string())),
            Cell::Count(n),
            Cell::Count(with),
            Cell::Count(without),
            s.cell(k),
            s.cell(i),
        ]);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l))];
    total_row.extend(total.map(Cell::Count));
    total_row.extend([s.total(&killed), s.total(&injured)]);
    t.total = Some(total_row);
    t.notes = vec![
        l.pick(
            tr! {
                en: "An accident without a date is shown under \"Unknown\" in every report. Killed and \
             injured are the victims recorded for these accidents; the admin area is the \
             accident's, and the organisation and donor filters do not apply.",
                km: "គ្រោះថ្នាក់ដែលគ្មានកាលបរិច្ឆេទ ត្រូវបានបង្ហាញក្រោម \"មិនដឹង\" ក្នុងរបាយការណ៍គ្រប់ច្បាប់។ \
             ស្លាប់ និងរបួស គឺជាជនរងគ្រោះដែលបានកត់ត្រាសម្រាប់គ្រោះថ្នាក់ទាំងនេះ។ តំបន់រដ្ឋបាលគឺរបស់គ្រោះថ្នាក់ \
             ហើយតម្រងអង្គការ និងម្ចាស់ជំនួយមិនអនុវត្តទេ។",
                lo: "ອຸບັດຕິເຫດທີ່ບໍ່ມີວັນທີ ຈະສະແດງພາຍໃຕ້ \"ບໍ່ຮູ້\" ໃນທຸກບົດລາຍງານ. ເສຍຊີວິດ ແລະ ບາດເຈັບ ແມ່ນຜູ້ເຄາະຮ້າຍທີ່ບັນທຶກໄວ້ສຳລັບອຸບັດຕິເຫດເຫຼົ່ານີ້; ເຂດປົກຄອງແມ່ນຂອງອຸບັດຕິເຫດ, ແລະ ຕົວກັ່ນຕອງອົງການ ແລະ ຜູ້ໃຫ້ທຶນບໍ່ນຳໃຊ້.",
                th: "อุบัติเหตุที่ไม่มีวันที่จะแสดงภายใต้ \"ไม่ทราบ\" ในทุกรายงาน เสียชีวิตและบาดเจ็บคือผู้ประสบภัยที่บันทึกไว้สำหรับอุบัติเหตุเหล่านี้ เขตการปกครองเป็นของอุบัติเหตุ และไม่ใช้ตัวกรององค์กรและผู้ให้ทุน",
                vi: "Tai nạn không có ngày được hiển thị ở mục \"Không rõ\" trong mọi báo cáo. Tử vong và bị thương là các nạn nhân được ghi nhận cho các tai nạn này; đơn vị hành chính là của tai nạn, và không áp dụng bộ lọc tổ chức và nhà tài trợ.",
                my: "ရက်စွဲမပါသော မတော်တဆဖြစ်ရပ်ကို အစီရင်ခံစာတိုင်းတွင် \"မသိ\" အောက်တွင် ပြသည်။ သေဆုံးနှင့် ဒဏ်ရာရသည် ဤဖြစ်ရပ်များအတွက် မှတ်တမ်းတင်ထားသော ထိခိုက်သူများ ဖြစ်သည်၊ အုပ်ချုပ်ရေးနယ်မြေသည် ဖြစ်ရပ်၏ နယ်မြေဖြစ်ပြီး အဖွဲ့အစည်းနှင့် အလှူရှင် စစ်ထုတ်မှုများ မသက်ဆိုင်ပါ။",
                az: "Tarixsiz hadisə hər hesabatda \"Məlum deyil\" altında göstərilir. Həlak olanlar və yaralananlar bu hadisələr üçün qeydə alınmış zərərçəkənlərdir; inzibati ərazi hadisənin ərazisidir, təşkilat və donor filtrləri tətbiq edilmir.",
            },
        )
        .to_owned(),
    ];
    if let Some(threshold) = p.suppression_threshold {
        t.notes.push(suppression_note(l, threshold));
    }
    t
}

/// Age group of a casualty: child under 18, adult, unknown.
fn age_group(l: Language, age: Option<u8>) -> (u8, String) {
    match age {
        Some(a) if a < 18 => (0, i18n::age_band(l, AgeBand::Child)),
        Some(_) => (1, i18n::age_band(l, AgeBand::Adult)),
        None => (2, i18n::unknown(l)),
    }
}

/// [casualties]: by year, sex, age group, device category and activity, killed and injured.
pub(crate) fn casualties(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "casualties",
        l.pick(tr! {
            en: "Casualties by year, sex, age group, device and activity",
            km: "ជនរងគ្រោះតាមឆ្នាំ ភេទ ក្រុមអាយុ ប្រភេទសម្ភារៈផ្ទុះ និងសកម្មភាព",
            lo: "ຜູ້ເຄາະຮ້າຍ ແຍກຕາມປີ, ເພດ, ກຸ່ມອາຍຸ, ອຸປະກອນ ແລະ ກິດຈະກຳ",
            th: "ผู้ประสบภัยจำแนกตามปี เพศ กลุ่มอายุ อุปกรณ์ และกิจกรรม",
            vi: "Thương vong theo năm, giới tính, nhóm tuổi, thiết bị và hoạt động",
            my: "နှစ်၊ လိင်၊ အသက်အုပ်စု၊ ပစ္စည်းနှင့် လုပ်ဆောင်မှုအလိုက် ထိခိုက်သူများ",
            az: "İl, cins, yaş qrupu, qurğu və fəaliyyət üzrə itkilər",
        }),
        vec![
            text(
                "year",
                l,
                tr! {
                    en: "Year",
                    km: "ឆ្នាំ",
                    lo: "ປີ",
                    th: "ปี",
                    vi: "Năm",
                    my: "နှစ်",
                    az: "İl",
                },
            ),
            text(
                "sex",
                l,
                tr! {
                    en: "Sex",
                    km: "ភេទ",
                    lo: "ເພດ",
                    th: "เพศ",
                    vi: "Giới tính",
                    my: "လိင်",
                    az: "Cins",
                },
            ),
            text(
                "age_group",
                l,
                tr! {
                    en: "Age group",
                    km: "ក្រុមអាយុ",
                    lo: "ກຸ່ມອາຍຸ",
                    th: "กลุ่มอายุ",
                    vi: "Nhóm tuổi",
                    my: "အသက်အုပ်စု",
                    az: "Yaş qrupu",
                },
            ),
            text(
                "device",
                l,
                tr! {
                    en: "Device category",
                    km: "ប្រភេទសម្ភារៈផ្ទុះ",
                    lo: "ປະເພດອຸປະກອນ",
                    th: "ประเภทอุปกรณ์",
                    vi: "Loại thiết bị",
                    my: "ပစ္စည်းအမျိုးအစား",
                    az: "Qurğu kateqoriyası",
                },
            ),
            text(
                "activity",
                l,
                tr! {
                    en: "Activity at time of accident",
                    km: "សកម្មភាពនៅពេលកើតហេតុ",
                    lo: "ກິດຈະກຳໃນເວລາເກີດອຸບັດຕິເຫດ",
                    th: "กิจกรรมขณะเกิดอุบัติเหตุ",
                    vi: "Hoạt động khi xảy ra tai nạn",
                    my: "ဖြစ်ရပ်ဖြစ်ချိန်က လုပ်ဆောင်မှု",
                    az: "Hadisə zamanı fəaliyyət",
                },
            ),
            count(
                "killed",
                l,
                tr! {
                    en: "Killed",
                    km: "ស្លាប់",
                    lo: "ເສຍຊີວິດ",
                    th: "เสียชีวิต",
                    vi: "Tử vong",
                    my: "သေဆုံး",
                    az: "Həlak olub",
                },
            ),
            count(
                "injured",
                l,
                tr! {
                    en: "Injured",
                    km: "របួស",
                    lo: "ບາດເຈັບ",
                    th: "บาดเจ็บ",
                    vi: "Bị thương",
                    my: "ဒဏ်ရာရ",
                    az: "Yaralanıb",
                },
            ),
            count(
                "total",
                l,
                tr! {
                    en: "Total",
                    km: "សរុប",
                    lo: "ລວມ",
                    th: "รวม",
                    vi: "Tổng",
                    my: "စုစုပေါင်း",
                    az: "Cəmi",
                },
            ),
        ],
    );
    let mut rows: BTreeMap<_, [u64; 2]> = BTreeMap::new();
    for c in &snap.casualties {
        let year = c.date.map(|d| d.year());
        let activity = c
            .victim
            .activity_at_time
            .unwrap_or(ActivityAtTimeOfAccident::Unknown);
        let key = (
            (year.is_none(), year),
            c.victim.sex,
            age_group(l, c.victim.age_at_accident),
            (c.device.is_none(), c.device),
            activity,
        );
        let cell = rows.entry(key).or_default();
        match c.victim.outcome {
            CasualtyOutcome::Killed => cell[0] += 1,
            CasualtyOutcome::Injured => cell[1] += 1,
        }
    }
    let s = Suppression {
        threshold: p.suppression_threshold,
    };
    let (mut killed, mut injured) = (Vec::new(), Vec::new());
    for (((_, year), sex, (_, age), (_, device), activity), [k, i]) in rows {
        killed.push(k);
        injured.push(i);
        t.rows.push(vec![
            Cell::Text(year.map_or_else(|| i18n::unknown(l), |y| y.to_string())),
            Cell::Text(i18n::sex(l, sex)),
            Cell::Text(age),
            Cell::Text(i18n::category(l, device)),
            Cell::Text(i18n::activity_at_time(l, activity)),
            s.cell(k),
            s.cell(i),
            s.total(&[k, i]),
        ]);
    }
    let all: Vec<u64> = killed.iter().chain(&injured).copied().collect();
    let mut total_row = vec![Cell::Text(i18n::total(l))];
    total_row.resize(5, Cell::Empty);
    total_row.extend([s.total(&killed), s.total(&injured), s.total(&all)]);
    t.total = Some(total_row);
    t.notes = vec![
        l.pick(
            tr! {
                en: "Victims are joined to their accident for the year, admin area and device category; \
             the period applies to the accident date. Child: under 18 at the accident.",
                km: "ជនរងគ្រោះត្រូវបានភ្ជាប់ទៅនឹងគ្រោះថ្នាក់របស់ពួកគេ សម្រាប់ឆ្នាំ តំបន់រដ្ឋបាល និងប្រភេទសម្ភារៈផ្ទុះ។ \
             រយៈពេលអនុវត្តលើកាលបរិច្ឆេទគ្រោះថ្នាក់។ កុមារ៖ អាយុក្រោម ១៨ ឆ្នាំនៅពេលកើតហេតុ។",
                lo: "ຜູ້ເຄາະຮ້າຍຖືກເຊື່ອມກັບອຸບັດຕິເຫດຂອງຕົນສຳລັບປີ, ເຂດປົກຄອງ ແລະ ປະເພດອຸປະກອນ; ໄລຍະເວລານຳໃຊ້ກັບວັນທີອຸບັດຕິເຫດ. ເດັກ: ອາຍຸຕ່ຳກວ່າ 18 ປີໃນເວລາເກີດອຸບັດຕິເຫດ.",
                th: "ผู้ประสบภัยเชื่อมโยงกับอุบัติเหตุของตนสำหรับปี เขตการปกครอง และประเภทอุปกรณ์ ช่วงเวลาใช้กับวันที่เกิดอุบัติเหตุ เด็ก: อายุต่ำกว่า 18 ปีขณะเกิดอุบัติเหตุ",
                vi: "Nạn nhân được gắn với tai nạn của họ để lấy năm, đơn vị hành chính và loại thiết bị; kỳ báo cáo áp dụng cho ngày xảy ra tai nạn. Trẻ em: dưới 18 tuổi khi xảy ra tai nạn.",
                my: "ထိခိုက်သူများကို နှစ်၊ အုပ်ချုပ်ရေးနယ်မြေနှင့် ပစ္စည်းအမျိုးအစားအတွက် ၎င်းတို့၏ ဖြစ်ရပ်နှင့် ချိတ်ဆက်သည်၊ ကာလသည် ဖြစ်ရပ်ရက်စွဲနှင့် သက်ဆိုင်သည်။ ကလေး- ဖြစ်ရပ်ဖြစ်ချိန်တွင် အသက် 18 နှစ်အောက်။",
                az: "Zərərçəkənlər il, inzibati ərazi və qurğu kateqoriyası üçün öz hadisələrinə bağlanır; dövr hadisə tarixinə tətbiq edilir. Uşaq: hadisə zamanı 18 yaşdan aşağı.",
            },
        )
        .to_owned(),
        l.pick(
            tr! {
                en: "The organisation and donor filters do not apply: accidents and victims are not \
             attributed to an organisation or a donor.",
                km: "តម្រងអង្គការមិនអនុវត្តទេ៖ គ្រោះថ្នាក់ និងជនរងគ្រោះមិនត្រូវបានកំណត់ថាជារបស់អង្គការណាមួយទេ។",
                lo: "ຕົວກັ່ນຕອງອົງການ ແລະ ຜູ້ໃຫ້ທຶນບໍ່ນຳໃຊ້: ອຸບັດຕິເຫດ ແລະ ຜູ້ເຄາະຮ້າຍບໍ່ໄດ້ຖືກລະບຸໃຫ້ອົງການ ຫຼື ຜູ້ໃຫ້ທຶນໃດ.",
                th: "ไม่ใช้ตัวกรององค์กรและผู้ให้ทุน: อุบัติเหตุและผู้ประสบภัยไม่ได้ระบุว่าเป็นขององค์กรหรือผู้ให้ทุนใด",
                vi: "Không áp dụng bộ lọc tổ chức và nhà tài trợ: tai nạn và nạn nhân không được gắn với một tổ chức hay nhà tài trợ.",
                my: "အဖွဲ့အစည်းနှင့် အလှူရှင် စစ်ထုတ်မှုများ မသက်ဆိုင်ပါ- ဖြစ်ရပ်များနှင့် ထိခိုက်သူများကို အဖွဲ့အစည်း သို့မဟုတ် အလှူရှင်တစ်ခုခုနှင့် မသတ်မှတ်ထားပါ။",
                az: "Təşkilat və donor filtrləri tətbiq edilmir: hadisələr və zərərçəkənlər təşkilata və ya donora aid edilmir.",
            },
        )
        .to_owned(),
    ];
    if let Some(threshold) = p.suppression_threshold {
        t.notes.push(suppression_note(l, threshold));
    }
    t
}

/// The note of a table whose person counts are suppressed below `threshold`.
pub(crate) fn suppression_note(l: Language, threshold: u32) -> String {
    let text = l.pick(tr! {
        en: "Counts from 1 to {max} are published as \"<{threshold}\" so that no person can be \
             re-identified; \"{withheld}\" marks a total withheld because subtracting the \
             published counts from it would reveal a suppressed count.",
        km: "ចំនួនពី ១ ដល់ {max} ត្រូវបានផ្សព្វផ្សាយជា \"<{threshold}\" ដើម្បីកុំឱ្យគេអាចស្គាល់អត្តសញ្ញាណបុគ្គលណាម្នាក់បាន។ \
             \"{withheld}\" សម្គាល់ចំនួនសរុបដែលត្រូវបានលាក់ ព្រោះការដកចំនួនដែលបានផ្សព្វផ្សាយចេញពីវា \
             នឹងបង្ហាញចំនួនដែលត្រូវបានលាក់។",
        lo: "ຈຳນວນຕັ້ງແຕ່ 1 ຫາ {max} ຖືກເຜີຍແຜ່ເປັນ \"<{threshold}\" ເພື່ອບໍ່ໃຫ້ສາມາດລະບຸຕົວບຸກຄົນໃດໄດ້; \
             \"{withheld}\" ໝາຍເຖິງຍອດລວມທີ່ຖືກປົກປິດ ເພາະການລົບຈຳນວນທີ່ເຜີຍແຜ່ອອກຈາກມັນ ຈະເປີດເຜີຍຈຳນວນທີ່ຖືກປົກປິດ.",
        th: "จำนวนตั้งแต่ 1 ถึง {max} เผยแพร่เป็น \"<{threshold}\" เพื่อไม่ให้สามารถระบุตัวบุคคลได้ \
             \"{withheld}\" หมายถึงยอดรวมที่ปกปิดไว้ เพราะการนำจำนวนที่เผยแพร่ไปลบออกจะเปิดเผยจำนวนที่ปกปิด",
        vi: "Các số từ 1 đến {max} được công bố là \"<{threshold}\" để không ai có thể bị nhận diện lại; \
             \"{withheld}\" đánh dấu một tổng bị ẩn vì lấy tổng trừ đi các số đã công bố sẽ làm lộ một số bị ẩn.",
        my: "1 မှ {max} အထိ အရေအတွက်များကို မည်သူ့ကိုမျှ ပြန်လည်ဖော်ထုတ်နိုင်ခြင်းမရှိစေရန် \"<{threshold}\" အဖြစ် \
             ထုတ်ပြန်သည်၊ \"{withheld}\" သည် ထုတ်ပြန်ထားသော အရေအတွက်များကို နုတ်လိုက်ပါက ဖုံးကွယ်ထားသော \
             အရေအတွက်ကို ပေါ်စေမည်ဖြစ်သဖြင့် ဖုံးကွယ်ထားသော စုစုပေါင်းကို ပြသည်။",
        az: "1-dən {max}-dək olan saylar heç kimin yenidən müəyyən edilməməsi üçün \"<{threshold}\" kimi dərc \
             edilir; \"{withheld}\" gizlədilmiş cəmi göstərir, çünki ondan dərc edilmiş sayları çıxmaq \
             gizlədilmiş sayı aşkar edərdi.",
    });
    text.replace("{max}", &threshold.saturating_sub(1).to_string())
        .replace("{threshold}", &threshold.to_string())
        .replace("{withheld}", WITHHELD)
}

/// [risk_education]: beneficiaries by sex, age band, direct and indirect.
pub(crate) fn risk_education(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "risk_education",
        l.pick(tr! {
            en: "Risk education beneficiaries by sex and age band",
            km: "អ្នកទទួលផលពីការអប់រំពីហានិភ័យតាមភេទ និងក្រុមអាយុ",
            lo: "ຜູ້ໄດ້ຮັບຜົນປະໂຫຍດຈາກການໃຫ້ຄວາມຮູ້ກ່ຽວກັບຄວາມສ່ຽງ ແຍກຕາມເພດ ແລະ ກຸ່ມອາຍຸ",
            th: "ผู้รับประโยชน์จากการให้ความรู้เรื่องความเสี่ยงจำแนกตามเพศและช่วงอายุ",
            vi: "Người hưởng lợi giáo dục nguy cơ theo giới tính và nhóm tuổi",
            my: "လိင်နှင့် အသက်အုပ်စုအလိုက် အန္တရာယ်အသိပညာပေး အကျိုးခံစားသူများ",
            az: "Cins və yaş qrupu üzrə risk maarifləndirməsinin faydalanıcıları",
        }),
        vec![
            text(
                "sex",
                l,
                tr! {
                    en: "Sex",
                    km: "ភេទ",
                    lo: "ເພດ",
                    th: "เพศ",
                    vi: "Giới tính",
                    my: "လိင်",
                    az: "Cins",
                },
            ),
            text(
                "age_band",
                l,
                tr! {
                    en: "Age band",
                    km: "ក្រុមអាយុ",
                    lo: "ກຸ່ມອາຍຸ",
                    th: "ช่วงอายุ",
                    vi: "Nhóm tuổi",
                    my: "အသက်အုပ်စု",
                    az: "Yaş qrupu",
                },
            ),
            count(
                "direct",
                l,
                tr! {
                    en: "Direct beneficiaries",
                    km: "អ្នកទទួលផលផ្ទាល់",
                    lo: "ຜູ້ໄດ້ຮັບຜົນປະໂຫຍດໂດຍກົງ",
                    th: "ผู้รับประโยชน์โดยตรง",
                    vi: "Người hưởng lợi trực tiếp",
                    my: "တိုက်ရိုက် အကျိုးခံစားသူများ",
                    az: "Birbaşa faydalanıcılar",
                },
            ),
            count(
                "indirect",
                l,
                tr! {
                    en: "Indirect beneficiaries",
                    km: "អ្នកទទួលផលប្រយោល",
                    lo: "ຜູ້ໄດ້ຮັບຜົນປະໂຫຍດທາງອ້ອມ",
                    th: "ผู้รับประโยชน์โดยอ้อม",
                    vi: "Người hưởng lợi gián tiếp",
                    my: "သွယ်ဝိုက် အကျိုးခံစားသူများ",
                    az: "Dolayı faydalanıcılar",
                },
            ),
        ],
    );
    let mut rows: BTreeMap<_, [u64; 2]> = BTreeMap::new();
    for s in &snap.sessions {
        for c in &s.beneficiaries.counts {
            let cell = rows.entry((c.sex, c.age_band)).or_default();
            match c.reach {
                AudienceReach::Direct => cell[0] += u64::from(c.count),
                AudienceReach::Indirect => cell[1] += u64::from(c.count),
            }
        }
    }
    let mut total = [0u64; 2];
    for ((sex, band), [d, i]) in rows {
        total[0] += d;
        total[1] += i;
        t.rows.push(vec![
            Cell::Text(i18n::sex(l, sex)),
            Cell::Text(i18n::age_band(l, band)),
            Cell::Count(d),
            Cell::Count(i),
        ]);
    }
    t.total = Some(vec![
        Cell::Text(i18n::total(l)),
        Cell::Empty,
        Cell::Count(total[0]),
        Cell::Count(total[1]),
    ]);
    t.notes = vec![
        l.pick(tr! {
            en: "{n} sessions dated in the period. Direct and indirect beneficiaries are counted \
                 apart and never added together; age bands are those each session recorded.",
            km: "វគ្គចំនួន {n} ដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ។ អ្នកទទួលផលផ្ទាល់ និងប្រយោលត្រូវបានរាប់ដាច់ដោយឡែក \
                 ហើយមិនដែលបូកបញ្ចូលគ្នាទេ។ ក្រុមអាយុគឺជាក្រុមដែលវគ្គនីមួយៗបានកត់ត្រា។",
            lo: "ກອງປະຊຸມ {n} ຄັ້ງທີ່ລົງວັນທີໃນໄລຍະນີ້. ຜູ້ໄດ້ຮັບຜົນປະໂຫຍດໂດຍກົງ ແລະ ທາງອ້ອມ ຖືກນັບແຍກກັນ \
                 ແລະ ບໍ່ເຄີຍລວມເຂົ້າກັນ; ກຸ່ມອາຍຸແມ່ນກຸ່ມທີ່ແຕ່ລະກອງປະຊຸມໄດ້ບັນທຶກ.",
            th: "การให้ความรู้ {n} ครั้งที่ลงวันที่ในช่วงเวลานี้ ผู้รับประโยชน์โดยตรงและโดยอ้อมนับแยกกัน \
                 และไม่นำมารวมกัน ช่วงอายุเป็นช่วงที่แต่ละครั้งบันทึกไว้",
            vi: "{n} buổi có ngày trong kỳ. Người hưởng lợi trực tiếp và gián tiếp được tính riêng \
                 và không bao giờ cộng gộp; nhóm tuổi là nhóm mà mỗi buổi đã ghi nhận.",
            my: "ဤကာလအတွင်း ရက်စွဲပါ အစည်းအဝေး {n} ကြိမ်။ တိုက်ရိုက်နှင့် သွယ်ဝိုက် အကျိုးခံစားသူများကို \
                 သီးခြားရေတွက်ပြီး မည်သည့်အခါမျှ ပေါင်းမထည့်ပါ၊ အသက်အုပ်စုများသည် အစည်းအဝေးတစ်ခုစီက မှတ်တမ်းတင်ထားသည့် အုပ်စုများ ဖြစ်သည်။",
            az: "Dövr ərzində tarixli {n} sessiya. Birbaşa və dolayı faydalanıcılar ayrıca sayılır \
                 və heç vaxt toplanmır; yaş qrupları hər sessiyanın qeydə aldığı qruplardır.",
        })
        .replace("{n}", &l.integer(snap.sessions.len() as u64)),
    ];
    t
}
