//! Progress against a plan or treaty deadline, with a projected completion date, nationally
//! ([progress]) and per admin area for an APMBC Article 5 extension request ([article5]).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use safeground_model::ContaminationType;
use safeground_store::land_release::CLOSED_TOLERANCE_M2;

use crate::i18n;
use crate::land::admin_cells;
use crate::lang::tr;
use crate::remaining::{ByClass, sha_cha_columns};
use crate::snapshot::{HazardData, Snapshot};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

/// Days in an average year.
const YEAR_DAYS: f64 = 365.25;

/// The last three full calendar years up to the as-of date, oldest first.
pub(crate) fn last_full_years(as_of: NaiveDate) -> [i32; 3] {
    let year_ends = as_of.month() == 12 && as_of.day() == 31;
    let last = if year_ends {
        as_of.year()
    } else {
        as_of.year() - 1
    };
    [last - 2, last - 1, last]
}

/// When the remaining area would be released at the recent pace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Outlook {
    /// Nothing remains.
    Complete,
    /// Projected completion date.
    Projected(NaiveDate),
    /// Nothing released recently (or completion beyond the calendar): no projection.
    NotProjectable,
}

/// The projection of one remaining area.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Projection {
    /// Mean area released per year over the three years, m².
    pub mean: f64,
    /// When it would be finished.
    pub outlook: Outlook,
    /// Whether the deadline is met (None: no deadline).
    pub met: Option<bool>,
    /// Area to release per year from the as-of date to meet the deadline (None: no deadline,
    /// or it has passed).
    pub required: Option<f64>,
}

/// Projects `remaining` m² from `reference` at the mean of `released` per year.
pub(crate) fn project(
    remaining: f64,
    released: &[f64; 3],
    reference: NaiveDate,
    deadline: Option<NaiveDate>,
) -> Projection {
    let mean = released.iter().sum::<f64>() / 3.0;
    let outlook = if remaining <= CLOSED_TOLERANCE_M2 {
        Outlook::Complete
    } else if mean <= 0.0 {
        Outlook::NotProjectable
    } else {
        let days = (remaining / mean * YEAR_DAYS).ceil();
        match u64::try_from(days as i64)
            .ok()
            .and_then(|d| reference.checked_add_days(Days::new(d)))
            .filter(|d| d.year() <= 9999)
        {
            Some(d) => Outlook::Projected(d),
            None => Outlook::NotProjectable,
        }
    };
    let met = deadline.map(|dl| match outlook {
        Outlook::Complete => true,
        Outlook::Projected(d) => d <= dl,
        Outlook::NotProjectable => false,
    });
    let required = deadline
        .filter(|dl| *dl > reference && remaining > CLOSED_TOLERANCE_M2)
        .map(|dl| remaining / ((dl - reference).num_days() as f64 / YEAR_DAYS));
    Projection {
        mean,
        outlook,
        met,
        required,
    }
}

/// Area released in each of `years` by the hazards' credits (whatever the period).
fn released_in<'a>(hazards: impl Iterator<Item = &'a HazardData>, years: [i32; 3]) -> [f64; 3] {
    let mut out = [0.0; 3];
    for h in hazards {
        for c in &h.credits {
            if let Some(i) = years.iter().position(|y| *y == c.valid_from.year()) {
                out[i] += c.area_m2;
            }
        }
    }
    out
}

fn outlook_text(l: Language, o: Outlook) -> Option<String> {
    match o {
        Outlook::Complete => Some(l.pick(tr! {
            en: "complete",
            km: "បានបញ្ចប់",
            lo: "ສຳເລັດແລ້ວ",
            th: "เสร็จสิ้นแล้ว",
            vi: "đã hoàn thành",
            my: "ပြီးဆုံးပြီ",
            az: "tamamlanıb",
        }).to_owned()),
        Outlook::Projected(_) => None,
        Outlook::NotProjectable => Some(
            l.pick(
                tr! {
                    en: "cannot be projected: no land released in the last three full years",
                    km: "មិនអាចព្យាករបាន៖ គ្មានដីដែលបានដោះលែងក្នុងរយៈពេលបីឆ្នាំពេញចុងក្រោយ",
                    lo: "ບໍ່ສາມາດຄາດຄະເນໄດ້: ບໍ່ມີເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍໃນສາມປີເຕັມຫຼ້າສຸດ",
                    th: "ไม่สามารถคาดการณ์ได้: ไม่มีพื้นที่ที่ได้รับการปลดปล่อยในสามปีเต็มล่าสุด",
                    vi: "không thể dự báo: không có diện tích được giải phóng trong ba năm trọn vẹn gần nhất",
                    my: "ခန့်မှန်း၍ မရပါ- နောက်ဆုံး နှစ်ပြည့် သုံးနှစ်အတွင်း လွှတ်ပေးသည့်မြေ မရှိပါ",
                    az: "proqnozlaşdırıla bilməz: son üç tam ildə azad edilmiş ərazi yoxdur",
                },
            )
            .to_owned(),
        ),
    }
}

fn met_text(l: Language, met: bool) -> String {
    if met {
        l.pick(tr! {
            en: "met",
            km: "ទាន់ពេល",
            lo: "ທັນກຳນົດ",
            th: "ทันกำหนด",
            vi: "đạt",
            my: "ပြည့်မီ",
            az: "yerinə yetirilir",
        })
        .to_owned()
    } else {
        l.pick(tr! {
            en: "not met",
            km: "មិនទាន់ពេល",
            lo: "ບໍ່ທັນກຳນົດ",
            th: "ไม่ทันกำหนด",
            vi: "không đạt",
            my: "မပြည့်မီ",
            az: "yerinə yetirilmir",
        })
        .to_owned()
    }
}

fn projection_note(l: Language) -> String {
    l.pick(
        tr! {
            en: "Projection: the remaining area divided by the mean area released per year (all \
         methods) over the last three full calendar years up to the as-of date, counted from \
         the as-of date. The period parameter does not apply.",
            km: "ការព្យាករ៖ ផ្ទៃដីនៅសល់ចែកនឹងមធ្យមភាគនៃផ្ទៃដីដែលបានដោះលែងក្នុងមួយឆ្នាំ (គ្រប់វិធីសាស្ត្រ) \
         ក្នុងរយៈពេលបីឆ្នាំពេញចុងក្រោយ រហូតដល់កាលបរិច្ឆេទរបាយការណ៍ ដោយរាប់ចាប់ពីកាលបរិច្ឆេទនោះ។ \
         រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
            lo: "ການຄາດຄະເນ: ເນື້ອທີ່ຄົງເຫຼືອຫານໃຫ້ເນື້ອທີ່ສະເລ່ຍທີ່ປົດປ່ອຍຕໍ່ປີ (ທຸກວິທີການ) ໃນສາມປີປະຕິທິນເຕັມຫຼ້າສຸດຈົນຮອດວັນທີລາຍງານ, ນັບຈາກວັນທີລາຍງານ. ຕົວກຳນົດໄລຍະເວລາບໍ່ນຳໃຊ້.",
            th: "การคาดการณ์: พื้นที่คงเหลือหารด้วยพื้นที่เฉลี่ยที่ปลดปล่อยต่อปี (ทุกวิธี) ในสามปีปฏิทินเต็มล่าสุดจนถึงวันที่รายงาน นับจากวันที่รายงาน ไม่ใช้พารามิเตอร์ช่วงเวลา",
            vi: "Dự báo: diện tích còn lại chia cho diện tích trung bình được giải phóng mỗi năm (mọi phương pháp) trong ba năm dương lịch trọn vẹn gần nhất tính đến ngày báo cáo, tính từ ngày báo cáo. Không áp dụng tham số kỳ báo cáo.",
            my: "ခန့်မှန်းချက်- ကျန်ရှိသော ဧရိယာကို အစီရင်ခံသည့်ရက်စွဲအထိ နောက်ဆုံး ပြက္ခဒိန်နှစ်ပြည့် သုံးနှစ်အတွင်း တစ်နှစ်လျှင် ပျမ်းမျှ လွှတ်ပေးသည့်ဧရိယာ (နည်းလမ်းအားလုံး) ဖြင့် စားပြီး အစီရင်ခံသည့်ရက်စွဲမှ စတင်ရေတွက်သည်။ ကာလ သတ်မှတ်ချက် မသက်ဆိုင်ပါ။",
            az: "Proqnoz: qalan sahə hesabat tarixinə qədər son üç tam təqvim ilində ildə orta azad edilmiş sahəyə (bütün üsullar) bölünür və hesabat tarixindən sayılır. Dövr parametri tətbiq edilmir.",
        },
    )
    .to_owned()
}

/// [progress]: remaining, released per year, mean, projected completion, deadline.
pub(crate) fn progress(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let columns = vec![
        Column::new(
            "indicator",
            l.pick(tr! {
                en: "Indicator",
                km: "សូចនាករ",
                lo: "ຕົວຊີ້ວັດ",
                th: "ตัวชี้วัด",
                vi: "Chỉ số",
                my: "ညွှန်ကိန်း",
                az: "Göstərici",
            }),
            ColumnKind::Text,
        ),
        Column::new(
            "area_m2",
            l.pick(tr! {
                en: "Area (m²)",
                km: "ផ្ទៃដី (ម²)",
                lo: "ເນື້ອທີ່ (ມ²)",
                th: "พื้นที่ (ตร.ม.)",
                vi: "Diện tích (m²)",
                my: "ဧရိယာ (စ.မ)",
                az: "Sahə (m²)",
            }),
            ColumnKind::AreaM2,
        ),
        Column::new(
            "date",
            l.pick(tr! {
                en: "Date",
                km: "កាលបរិច្ឆេទ",
                lo: "ວັນທີ",
                th: "วันที่",
                vi: "Ngày",
                my: "ရက်စွဲ",
                az: "Tarix",
            }),
            ColumnKind::Date,
        ),
        Column::new(
            "percent",
            l.pick(tr! {
                en: "Percent",
                km: "ភាគរយ",
                lo: "ເປີເຊັນ",
                th: "ร้อยละ",
                vi: "Phần trăm",
                my: "ရာခိုင်နှုန်း",
                az: "Faiz",
            }),
            ColumnKind::Percent,
        ),
        Column::new(
            "assessment",
            l.pick(tr! {
                en: "Assessment",
                km: "ការវាយតម្លៃ",
                lo: "ການປະເມີນ",
                th: "การประเมิน",
                vi: "Đánh giá",
                my: "အကဲဖြတ်ချက်",
                az: "Qiymətləndirmə",
            }),
            ColumnKind::Text,
        ),
    ];
    let mut t = Table::new(
        "progress",
        l.pick(tr! {
            en: "Progress and projected completion",
            km: "វឌ្ឍនភាព និងកាលបរិច្ឆេទបញ្ចប់ដែលបានព្យាករ",
            lo: "ຄວາມຄືບໜ້າ ແລະ ການຄາດຄະເນການສຳເລັດ",
            th: "ความคืบหน้าและการคาดการณ์วันแล้วเสร็จ",
            vi: "Tiến độ và dự báo hoàn thành",
            my: "တိုးတက်မှုနှင့် ခန့်မှန်း ပြီးဆုံးချိန်",
            az: "İrəliləyiş və proqnozlaşdırılan başa çatma",
        }),
        columns,
    );
    let years = last_full_years(p.as_of.date);
    let remaining: f64 = snap
        .hazards
        .iter()
        .filter(|h| h.is_remaining())
        .map(|h| h.state.remaining_m2)
        .sum();
    let released = released_in(snap.hazards.iter(), years);
    let pr = project(remaining, &released, p.as_of.date, p.treaty_deadline);
    let row = |label: String, area: Cell, date: Cell, pct: Cell, text: Option<String>| {
        vec![
            Cell::Text(label),
            area,
            date,
            pct,
            text.map_or(Cell::Empty, Cell::Text),
        ]
    };
    t.rows.push(row(
        l.pick(tr! {
            en: "Remaining contaminated area",
            km: "ផ្ទៃដីបំពុលនៅសល់",
            lo: "ເນື້ອທີ່ປົນເປື້ອນທີ່ຄົງເຫຼືອ",
            th: "พื้นที่ปนเปื้อนคงเหลือ",
            vi: "Diện tích ô nhiễm còn lại",
            my: "ကျန်ရှိသော ညစ်ညမ်းဧရိယာ",
            az: "Qalan çirklənmiş sahə",
        })
        .to_owned(),
        Cell::Area(remaining),
        Cell::Empty,
        Cell::Empty,
        None,
    ));
    for (y, r) in years.iter().zip(released) {
        t.rows.push(row(
            format!(
                "{} {y}",
                l.pick(tr! {
                    en: "Land released in",
                    km: "ដីដែលបានដោះលែងក្នុងឆ្នាំ",
                    lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍໃນປີ",
                    th: "พื้นที่ที่ได้รับการปลดปล่อยในปี",
                    vi: "Diện tích được giải phóng năm",
                    my: "လွှတ်ပေးသည့်မြေ၊ နှစ်",
                    az: "Azad edilmiş ərazi, il",
                })
            ),
            Cell::Area(r),
            Cell::Empty,
            Cell::Empty,
            None,
        ));
    }
    t.rows.push(row(
        format!(
            "{} {}–{}",
            l.pick(tr! {
                en: "Mean annual release",
                km: "មធ្យមភាគនៃការដោះលែងដីប្រចាំឆ្នាំ",
                lo: "ການປົດປ່ອຍສະເລ່ຍຕໍ່ປີ",
                th: "การปลดปล่อยเฉลี่ยต่อปี",
                vi: "Giải phóng bình quân hằng năm",
                my: "နှစ်စဉ် ပျမ်းမျှ လွှတ်ပေးမှု",
                az: "Orta illik azadetmə",
            }),
            years[0],
            years[2]
        ),
        Cell::Area(pr.mean),
        Cell::Empty,
        Cell::Empty,
        None,
    ));
    let date = match pr.outlook {
        Outlook::Projected(d) => Cell::Date(d),
        _ => Cell::Empty,
    };
    t.rows.push(row(
        l.pick(tr! {
            en: "Projected completion",
            km: "កាលបរិច្ឆេទបញ្ចប់ដែលបានព្យាករ",
            lo: "ການສຳເລັດທີ່ຄາດຄະເນ",
            th: "วันแล้วเสร็จที่คาดการณ์",
            vi: "Dự báo hoàn thành",
            my: "ခန့်မှန်း ပြီးဆုံးချိန်",
            az: "Proqnozlaşdırılan başa çatma",
        })
        .to_owned(),
        Cell::Empty,
        date,
        Cell::Empty,
        outlook_text(l, pr.outlook),
    ));
    if let (Some(deadline), Some(met)) = (p.treaty_deadline, pr.met) {
        t.rows.push(row(
            l.pick(tr! {
                en: "Treaty deadline",
                km: "ថ្ងៃផុតកំណត់តាមសន្ធិសញ្ញា",
                lo: "ກຳນົດເວລາຕາມສົນທິສັນຍາ",
                th: "กำหนดเวลาตามสนธิสัญญา",
                vi: "Thời hạn theo điều ước",
                my: "စာချုပ်ပါ သတ်မှတ်ရက်",
                az: "Müqavilə üzrə son müddət",
            })
            .to_owned(),
            Cell::Empty,
            Cell::Date(deadline),
            Cell::Empty,
            Some(met_text(l, met)),
        ));
        if let Some(required) = pr.required {
            t.rows.push(row(
                l.pick(
                    tr! {
                        en: "Annual release needed to meet the deadline (percent: recent pace)",
                        km: "ការដោះលែងដីប្រចាំឆ្នាំដែលត្រូវការដើម្បីទាន់ថ្ងៃផុតកំណត់ (ភាគរយ៖ ល្បឿនបច្ចុប្បន្ន)",
                        lo: "ການປົດປ່ອຍຕໍ່ປີທີ່ຈຳເປັນເພື່ອໃຫ້ທັນກຳນົດ (ເປີເຊັນ: ຈັງຫວະປັດຈຸບັນ)",
                        th: "การปลดปล่อยต่อปีที่จำเป็นเพื่อให้ทันกำหนด (ร้อยละ: อัตราล่าสุด)",
                        vi: "Diện tích cần giải phóng mỗi năm để kịp thời hạn (phần trăm: tốc độ gần đây)",
                        my: "သတ်မှတ်ရက်မီရန် လိုအပ်သော နှစ်စဉ် လွှတ်ပေးမှု (ရာခိုင်နှုန်း- မကြာသေးမီက နှုန်း)",
                        az: "Son müddətə çatmaq üçün lazım olan illik azadetmə (faiz: son templə)",
                    },
                )
                .to_owned(),
                Cell::Area(required),
                Cell::Empty,
                Cell::Percent(pr.mean / required * 100.0),
                None,
            ));
        }
    }
    t.notes = vec![projection_note(l), crate::remaining::remaining_note(l)];
    t
}

/// Remaining SHA/CHA of mined areas and their release in the three years, per admin area.
#[derive(Default)]
struct Art5Row {
    remaining: ByClass,
    released: [f64; 3],
}

/// [article5]: what an APMBC Article 5 extension request needs, per admin area.
pub(crate) fn article5(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let years = last_full_years(p.as_of.date);
    let mut columns = i18n::admin_columns(l);
    columns.extend(sha_cha_columns(l));
    columns.push(Column::new(
        "remaining_m2",
        l.pick(tr! {
            en: "Total remaining (m²)",
            km: "ផ្ទៃនៅសល់សរុប (ម²)",
            lo: "ຄົງເຫຼືອທັງໝົດ (ມ²)",
            th: "คงเหลือทั้งหมด (ตร.ม.)",
            vi: "Tổng còn lại (m²)",
            my: "ကျန်ရှိ စုစုပေါင်း (စ.မ)",
            az: "Cəmi qalan (m²)",
        }),
        ColumnKind::AreaM2,
    ));
    for (i, y) in years.iter().enumerate() {
        columns.push(Column::new(
            format!("released_y{}", i + 1),
            format!(
                "{} {y} (m²)",
                l.pick(tr! {
                    en: "Released",
                    km: "បានដោះលែងក្នុងឆ្នាំ",
                    lo: "ປົດປ່ອຍໃນປີ",
                    th: "ปลดปล่อยในปี",
                    vi: "Đã giải phóng năm",
                    my: "လွှတ်ပေးမှု၊ နှစ်",
                    az: "Azad edilmiş, il",
                })
            ),
            ColumnKind::AreaM2,
        ));
    }
    columns.extend([
        Column::new(
            "mean_annual_m2",
            l.pick(tr! {
                en: "Mean annual release (m²)",
                km: "មធ្យមភាគប្រចាំឆ្នាំ (ម²)",
                lo: "ການປົດປ່ອຍສະເລ່ຍຕໍ່ປີ (ມ²)",
                th: "การปลดปล่อยเฉลี่ยต่อปี (ตร.ม.)",
                vi: "Giải phóng bình quân hằng năm (m²)",
                my: "နှစ်စဉ် ပျမ်းမျှ လွှတ်ပေးမှု (စ.မ)",
                az: "Orta illik azadetmə (m²)",
            }),
            ColumnKind::AreaM2,
        ),
        Column::new(
            "projected_completion",
            l.pick(tr! {
                en: "Projected completion",
                km: "កាលបរិច្ឆេទបញ្ចប់ដែលបានព្យាករ",
                lo: "ການສຳເລັດທີ່ຄາດຄະເນ",
                th: "วันแล้วเสร็จที่คาดการณ์",
                vi: "Dự báo hoàn thành",
                my: "ခန့်မှန်း ပြီးဆုံးချိန်",
                az: "Proqnozlaşdırılan başa çatma",
            }),
            ColumnKind::Date,
        ),
        Column::new(
            "deadline_met",
            l.pick(tr! {
                en: "Deadline met",
                km: "ទាន់ថ្ងៃផុតកំណត់",
                lo: "ທັນກຳນົດເວລາ",
                th: "ทันกำหนดเวลา",
                vi: "Kịp thời hạn",
                my: "သတ်မှတ်ရက် ပြည့်မီ",
                az: "Son müddətə əməl",
            }),
            ColumnKind::Text,
        ),
    ]);
    let mut t = Table::new(
        "article5",
        l.pick(
            tr! {
                en: "APMBC Article 5 extension request: remaining challenge, achievements and projection",
                km: "សំណើពន្យារពេលតាមមាត្រា ៥ នៃអនុសញ្ញាអូតាវ៉ា៖ បញ្ហាប្រឈមនៅសល់ សមិទ្ធផល និងការព្យាករ",
                lo: "ຄຳຮ້ອງຂໍຂະຫຍາຍເວລາຕາມມາດຕາ 5 ຂອງ APMBC: ສິ່ງທ້າທາຍທີ່ຍັງເຫຼືອ, ຜົນສຳເລັດ ແລະ ການຄາດຄະເນ",
                th: "คำขอขยายเวลาตามข้อ 5 ของ APMBC: ความท้าทายที่เหลืออยู่ ผลสำเร็จ และการคาดการณ์",
                vi: "Yêu cầu gia hạn theo Điều 5 APMBC: thách thức còn lại, kết quả đạt được và dự báo",
                my: "APMBC အပိုဒ် 5 သက်တမ်းတိုးတောင်းဆိုချက်- ကျန်ရှိသော စိန်ခေါ်မှု၊ အောင်မြင်မှုများနှင့် ခန့်မှန်းချက်",
                az: "APMBC Maddə 5 üzrə müddətin uzadılması sorğusu: qalan problem, nailiyyətlər və proqnoz",
            },
        ),
        columns,
    );
    let mut rows: BTreeMap<&str, Art5Row> = BTreeMap::new();
    for h in snap
        .hazards
        .iter()
        .filter(|h| h.has(ContaminationType::ApMines))
    {
        if h.is_remaining() && is_sha_or_cha(h) {
            rows.entry(h.pcode()).or_default().remaining.add(&h.state);
        }
        let released = released_in(std::iter::once(h), years);
        if released.iter().any(|r| *r != 0.0) {
            let row = rows.entry(h.pcode()).or_default();
            for (acc, r) in row.released.iter_mut().zip(released) {
                *acc += r;
            }
        }
    }
    let cells = |r: &Art5Row| {
        let remaining = r.remaining.sha_m2 + r.remaining.cha_m2;
        let pr = project(remaining, &r.released, p.as_of.date, p.treaty_deadline);
        let mut v = r.remaining.sha_cha_cells();
        v.push(Cell::Area(remaining));
        v.extend(r.released.iter().map(|a| Cell::Area(*a)));
        v.push(Cell::Area(pr.mean));
        v.push(match pr.outlook {
            Outlook::Projected(d) => Cell::Date(d),
            o => outlook_text(l, o).map_or(Cell::Empty, Cell::Text),
        });
        v.push(pr.met.map_or(Cell::Empty, |m| Cell::Text(met_text(l, m))));
        v
    };
    let mut total = Art5Row::default();
    for (pcode, r) in &rows {
        total.remaining.plus(&r.remaining);
        for (acc, a) in total.released.iter_mut().zip(r.released) {
            *acc += a;
        }
        let mut row = admin_cells(snap, pcode, l);
        row.extend(cells(r));
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(cells(&total));
    t.total = Some(total_row);
    t.notes = vec![
        crate::treaty::mined_area_note(l),
        projection_note(l),
        i18n::admin_note(l),
    ];
    t
}

/// Whether a hazard is an SHA (or indication) or a CHA, the classes treaty forms report.
pub(crate) fn is_sha_or_cha(h: &HazardData) -> bool {
    use safeground_model::HazardClass as C;
    matches!(h.state.class, C::Sha | C::Cha | C::Indication)
}
