//! Victim-assistance services delivered (reference §2.8), by service, sex and age group, with
//! the casualty tables' small-number suppression.

use std::collections::BTreeMap;

use safeground_model::{AgeBand, AssistanceType, Sex};

use crate::ReportParams;
use crate::i18n;
use crate::lang::tr;
use crate::people::{count, suppression_note, text};
use crate::snapshot::Snapshot;
use crate::suppress::Suppression;
use crate::table::{Cell, Table};

/// Persons reached by one service: [female, male, sex unknown] and [children, adults, age
/// unknown], plus the number of service records.
#[derive(Default, Clone, Copy)]
struct Reached {
    services: u64,
    sex: [u64; 3],
    age: [u64; 3],
}

/// A persons cell whose parts are given in two partitions (by sex and by age group): withheld
/// when either partition would reveal a suppressed part.
fn persons(s: &Suppression, by_sex: &[u64], by_age: &[u64]) -> Cell {
    match (s.total(by_sex), s.total(by_age)) {
        (Cell::Count(n), Cell::Count(_)) => Cell::Count(n),
        (Cell::Count(_), hidden) | (hidden, _) => hidden,
    }
}

/// [victim_assistance]: services and persons assisted by service, sex and age group.
pub(crate) fn victim_assistance(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "victim_assistance",
        l.pick(tr! {
            en: "Victim assistance services delivered",
            km: "សេវាជួយជនរងគ្រោះដែលបានផ្ដល់",
            lo: "ບໍລິການຊ່ວຍເຫຼືອຜູ້ເຄາະຮ້າຍທີ່ໄດ້ສະໜອງ",
            th: "บริการช่วยเหลือผู้ประสบภัยที่ได้ให้",
            vi: "Dịch vụ hỗ trợ nạn nhân đã cung cấp",
            my: "ပေးအပ်ခဲ့သော ထိခိုက်သူကူညီစောင့်ရှောက်ရေး ဝန်ဆောင်မှုများ",
            az: "Göstərilmiş zərərçəkənlərə yardım xidmətləri",
        }),
        vec![
            text(
                "service",
                l,
                tr! {
                    en: "Service",
                    km: "សេវា",
                    lo: "ບໍລິການ",
                    th: "บริการ",
                    vi: "Dịch vụ",
                    my: "ဝန်ဆောင်မှု",
                    az: "Xidmət",
                },
            ),
            count(
                "services",
                l,
                tr! {
                    en: "Services delivered",
                    km: "សេវាដែលបានផ្ដល់",
                    lo: "ບໍລິການທີ່ໄດ້ສະໜອງ",
                    th: "บริการที่ได้ให้",
                    vi: "Dịch vụ đã cung cấp",
                    my: "ပေးအပ်ခဲ့သော ဝန်ဆောင်မှုများ",
                    az: "Göstərilmiş xidmətlər",
                },
            ),
            count(
                "persons",
                l,
                tr! {
                    en: "Persons assisted",
                    km: "ចំនួនអ្នកដែលបានទទួលជំនួយ",
                    lo: "ຈຳນວນຄົນທີ່ໄດ້ຮັບການຊ່ວຍເຫຼືອ",
                    th: "จำนวนผู้ได้รับความช่วยเหลือ",
                    vi: "Số người được hỗ trợ",
                    my: "ကူညီပေးခဲ့သူ ဦးရေ",
                    az: "Yardım alan şəxslər",
                },
            ),
            count(
                "female",
                l,
                tr! {
                    en: "Female",
                    km: "ស្រី",
                    lo: "ຍິງ",
                    th: "หญิง",
                    vi: "Nữ",
                    my: "အမျိုးသမီး",
                    az: "Qadın",
                },
            ),
            count(
                "male",
                l,
                tr! {
                    en: "Male",
                    km: "ប្រុស",
                    lo: "ຊາຍ",
                    th: "ชาย",
                    vi: "Nam",
                    my: "အမျိုးသား",
                    az: "Kişi",
                },
            ),
            count(
                "sex_unknown",
                l,
                tr! {
                    en: "Sex unknown",
                    km: "មិនដឹងភេទ",
                    lo: "ບໍ່ຮູ້ເພດ",
                    th: "ไม่ทราบเพศ",
                    vi: "Không rõ giới tính",
                    my: "လိင် မသိ",
                    az: "Cinsi məlum deyil",
                },
            ),
            count(
                "children",
                l,
                tr! {
                    en: "Children (under 18)",
                    km: "កុមារ (ក្រោម ១៨ ឆ្នាំ)",
                    lo: "ເດັກ (ອາຍຸຕ່ຳກວ່າ 18 ປີ)",
                    th: "เด็ก (อายุต่ำกว่า 18 ปี)",
                    vi: "Trẻ em (dưới 18 tuổi)",
                    my: "ကလေး (အသက် 18 နှစ်အောက်)",
                    az: "Uşaqlar (18 yaşdan aşağı)",
                },
            ),
            count(
                "adults",
                l,
                tr! {
                    en: "Adults",
                    km: "មនុស្សពេញវ័យ",
                    lo: "ຜູ້ໃຫຍ່",
                    th: "ผู้ใหญ่",
                    vi: "Người lớn",
                    my: "လူကြီး",
                    az: "Böyüklər",
                },
            ),
            count(
                "age_unknown",
                l,
                tr! {
                    en: "Age unknown",
                    km: "មិនដឹងអាយុ",
                    lo: "ບໍ່ຮູ້ອາຍຸ",
                    th: "ไม่ทราบอายุ",
                    vi: "Không rõ tuổi",
                    my: "အသက် မသိ",
                    az: "Yaşı məlum deyil",
                },
            ),
        ],
    );
    let mut rows: BTreeMap<AssistanceType, Reached> = BTreeMap::new();
    for a in &snap.services {
        let r = rows.entry(a.service).or_default();
        let n = u64::from(a.persons);
        r.services += 1;
        r.sex[match a.sex {
            Sex::Female => 0,
            Sex::Male => 1,
            Sex::Unknown => 2,
        }] += n;
        r.age[match a.age {
            Some(age) if age < 18 => 0,
            Some(_) => 1,
            None => 2,
        }] += n;
    }
    let s = Suppression {
        threshold: p.suppression_threshold,
    };
    let mut columns: [Vec<u64>; 7] = Default::default();
    let mut services = 0;
    for (service, r) in &rows {
        services += r.services;
        let mut row = vec![
            Cell::Text(i18n::assistance(l, *service)),
            Cell::Count(r.services),
            persons(&s, &r.sex, &r.age),
        ];
        for (k, v) in r.sex.iter().chain(&r.age).enumerate() {
            columns[k].push(*v);
            row.push(s.cell(*v));
        }
        t.rows.push(row);
    }
    let all: Vec<u64> = columns[..3].iter().flatten().copied().collect();
    let all_by_age: Vec<u64> = columns[3..6].iter().flatten().copied().collect();
    let mut total = vec![
        Cell::Text(i18n::total(l)),
        Cell::Count(services),
        persons(&s, &all, &all_by_age),
    ];
    total.extend(columns[..6].iter().map(|c| s.total(c)));
    t.total = Some(total);
    t.notes = vec![
        l.pick(tr! {
            en: "Services dated in the period, in the selected admin area (where the person lives), \
                 delivered by the selected organisation and funded by the selected donor. A person \
                 who received several services is counted once per service; {adult} is an adult, \
                 under 18 a child, at the date of the service.",
            km: "សេវាដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ ក្នុងតំបន់រដ្ឋបាលដែលបានជ្រើសរើស (ទីលំនៅរបស់បុគ្គល) \
                 ផ្ដល់ដោយអង្គការ និងឧបត្ថម្ភដោយម្ចាស់ជំនួយដែលបានជ្រើសរើស។ បុគ្គលដែលបានទទួលសេវាច្រើន \
                 ត្រូវបានរាប់ម្ដងក្នុងមួយសេវា។ កុមារ៖ អាយុក្រោម ១៨ ឆ្នាំនៅកាលបរិច្ឆេទនៃសេវា។",
            lo: "ບໍລິການທີ່ລົງວັນທີໃນໄລຍະນີ້, ໃນເຂດປົກຄອງທີ່ເລືອກ (ບ່ອນທີ່ບຸກຄົນອາໄສຢູ່), ສະໜອງໂດຍອົງການທີ່ເລືອກ \
                 ແລະ ໄດ້ຮັບທຶນຈາກຜູ້ໃຫ້ທຶນທີ່ເລືອກ. ບຸກຄົນທີ່ໄດ້ຮັບຫຼາຍບໍລິການ ຖືກນັບໜຶ່ງຄັ້ງຕໍ່ບໍລິການ; ອາຍຸ 18 ປີຂຶ້ນໄປ \
                 ແມ່ນຜູ້ໃຫຍ່, ຕ່ຳກວ່າ 18 ປີ ແມ່ນເດັກ, ໃນວັນທີຂອງບໍລິການ.",
            th: "บริการที่ลงวันที่ในช่วงเวลานี้ ในเขตการปกครองที่เลือก (ที่บุคคลอาศัยอยู่) ให้บริการโดยองค์กรที่เลือก \
                 และได้รับทุนจากผู้ให้ทุนที่เลือก บุคคลที่ได้รับหลายบริการนับหนึ่งครั้งต่อบริการ อายุ 18 ปีขึ้นไป \
                 เป็นผู้ใหญ่ ต่ำกว่า 18 ปีเป็นเด็ก ณ วันที่รับบริการ",
            vi: "Các dịch vụ có ngày trong kỳ, tại đơn vị hành chính đã chọn (nơi người đó sinh sống), \
                 do tổ chức đã chọn cung cấp và nhà tài trợ đã chọn tài trợ. Một người nhận nhiều dịch vụ \
                 được tính một lần cho mỗi dịch vụ; từ 18 tuổi trở lên là người lớn, dưới 18 tuổi là trẻ em, \
                 tại ngày cung cấp dịch vụ.",
            my: "ဤကာလအတွင်း ရက်စွဲပါ ဝန်ဆောင်မှုများ၊ ရွေးချယ်ထားသော အုပ်ချုပ်ရေးနယ်မြေ (ထိုသူနေထိုင်ရာ) တွင်၊ \
                 ရွေးချယ်ထားသော အဖွဲ့အစည်းက ပေးအပ်ပြီး ရွေးချယ်ထားသော အလှူရှင်က ငွေကြေးထောက်ပံ့သည်။ \
                 ဝန်ဆောင်မှုများစွာ ရရှိသူကို ဝန်ဆောင်မှုတစ်ခုလျှင် တစ်ကြိမ် ရေတွက်သည်၊ ဝန်ဆောင်မှုရက်စွဲတွင် \
                 အသက် 18 နှစ်နှင့်အထက်သည် လူကြီး၊ 18 နှစ်အောက်သည် ကလေး ဖြစ်သည်။",
            az: "Dövr ərzində tarixli xidmətlər, seçilmiş inzibati ərazidə (şəxsin yaşadığı yer), seçilmiş \
                 təşkilat tərəfindən göstərilmiş və seçilmiş donor tərəfindən maliyyələşdirilmiş. Bir neçə \
                 xidmət almış şəxs hər xidmət üçün bir dəfə sayılır; xidmət tarixində 18 yaş və yuxarı \
                 böyük, 18 yaşdan aşağı uşaq sayılır.",
        })
        .replace("{adult}", AgeBand::Adult.label()),
    ];
    if let Some(threshold) = p.suppression_threshold {
        t.notes.push(suppression_note(l, threshold));
    }
    t
}
