//! Explosive ordnance destroyed and found.

use std::collections::BTreeMap;

use crate::ReportParams;
use crate::i18n;
use crate::lang::tr;
use crate::people::{count, text};
use crate::snapshot::Snapshot;
use crate::table::{Cell, Table};

/// [eo_destroyed]: by category and model.
pub(crate) fn eo_destroyed(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "eo_destroyed",
        l.pick(tr! {
            en: "Explosive ordnance destroyed by category and model",
            km: "សម្ភារៈផ្ទុះដែលបានបំផ្លាញតាមប្រភេទ និងម៉ូដែល",
            lo: "ລະເບີດທີ່ຖືກທຳລາຍ ແຍກຕາມປະເພດ ແລະ ແບບ",
            th: "วัตถุระเบิดที่ถูกทำลายจำแนกตามประเภทและแบบ",
            vi: "Vật liệu nổ đã hủy theo loại và kiểu",
            my: "အမျိုးအစားနှင့် မော်ဒယ်အလိုက် ဖျက်ဆီးခဲ့သော ပေါက်ကွဲစေတတ်သောလက်နက်များ",
            az: "Kateqoriya və model üzrə məhv edilmiş partlayıcı sursat",
        }),
        vec![
            text(
                "category",
                l,
                tr! {
                    en: "Category",
                    km: "ប្រភេទ",
                    lo: "ປະເພດ",
                    th: "ประเภท",
                    vi: "Loại",
                    my: "အမျိုးအစား",
                    az: "Kateqoriya",
                },
            ),
            text(
                "model",
                l,
                tr! {
                    en: "Model",
                    km: "ម៉ូដែល",
                    lo: "ແບບ",
                    th: "แบบ",
                    vi: "Kiểu",
                    my: "မော်ဒယ်",
                    az: "Model",
                },
            ),
            count(
                "finds",
                l,
                tr! {
                    en: "Finds (records)",
                    km: "ការរកឃើញ (កំណត់ត្រា)",
                    lo: "ການຄົ້ນພົບ (ບັນທຶກ)",
                    th: "การพบ (บันทึก)",
                    vi: "Lần phát hiện (hồ sơ)",
                    my: "တွေ့ရှိမှု (မှတ်တမ်း)",
                    az: "Tapıntılar (qeydlər)",
                },
            ),
            count(
                "quantity",
                l,
                tr! {
                    en: "Items destroyed",
                    km: "ចំនួនដែលបានបំផ្លាញ",
                    lo: "ຈຳນວນທີ່ຖືກທຳລາຍ",
                    th: "จำนวนที่ถูกทำลาย",
                    vi: "Số lượng đã hủy",
                    my: "ဖျက်ဆီးခဲ့သော အရေအတွက်",
                    az: "Məhv edilmiş ədəd",
                },
            ),
        ],
    );
    let mut rows: BTreeMap<_, (u64, u64)> = BTreeMap::new();
    for d in &snap.destroyed {
        let key = (d.category, d.model.is_none(), d.model.clone());
        let row = rows.entry(key).or_default();
        row.0 += 1;
        row.1 += u64::from(d.quantity);
    }
    let (mut finds, mut quantity) = (0, 0);
    for ((category, _, model), (f, q)) in rows {
        finds += f;
        quantity += q;
        t.rows.push(vec![
            Cell::Text(i18n::category(l, Some(category))),
            Cell::Text(model.unwrap_or_else(|| i18n::not_recorded(l))),
            Cell::Count(f),
            Cell::Count(q),
        ]);
    }
    t.total = Some(vec![
        Cell::Text(i18n::total(l)),
        Cell::Empty,
        Cell::Count(finds),
        Cell::Count(quantity),
    ]);
    t.notes = vec![
        l.pick(
            tr! {
                en: "EO finds with a destroyed date in the period, in the selected admin area (of the \
             hazard, or of the activity when no hazard is linked) and organisation (of the \
             activity, or of the hazard).",
                km: "ការរកឃើញសម្ភារៈផ្ទុះដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ ក្នុងតំបន់រដ្ឋបាល (នៃតំបន់គ្រោះថ្នាក់ \
             ឬនៃសកម្មភាព បើគ្មានតំបន់គ្រោះថ្នាក់) និងអង្គការ (នៃសកម្មភាព ឬនៃតំបន់គ្រោះថ្នាក់) ដែលបានជ្រើសរើស។",
                lo: "ການຄົ້ນພົບລະເບີດທີ່ມີວັນທີທຳລາຍໃນໄລຍະນີ້, ໃນເຂດປົກຄອງທີ່ເລືອກ (ຂອງພື້ນທີ່ອັນຕະລາຍ, ຫຼື ຂອງກິດຈະກຳ ເມື່ອບໍ່ມີພື້ນທີ່ອັນຕະລາຍເຊື່ອມໂຍງ) ແລະ ອົງການທີ່ເລືອກ (ຂອງກິດຈະກຳ, ຫຼື ຂອງພື້ນທີ່ອັນຕະລາຍ).",
                th: "การพบวัตถุระเบิดที่มีวันที่ทำลายในช่วงเวลานี้ ในเขตการปกครองที่เลือก (ของพื้นที่อันตราย หรือของกิจกรรมเมื่อไม่มีพื้นที่อันตรายเชื่อมโยง) และองค์กรที่เลือก (ของกิจกรรม หรือของพื้นที่อันตราย)",
                vi: "Các lần phát hiện vật liệu nổ có ngày hủy trong kỳ, tại đơn vị hành chính đã chọn (của khu vực nguy hiểm, hoặc của hoạt động khi không liên kết khu vực nào) và tổ chức đã chọn (của hoạt động, hoặc của khu vực nguy hiểm).",
                my: "ဤကာလအတွင်း ဖျက်ဆီးသည့်ရက်စွဲပါ ပေါက်ကွဲစေတတ်သောလက်နက် တွေ့ရှိမှုများ၊ ရွေးချယ်ထားသော အုပ်ချုပ်ရေးနယ်မြေ (အန္တရာယ်ရှိဧရိယာ၏၊ သို့မဟုတ် ချိတ်ဆက်ထားသော အန္တရာယ်ရှိဧရိယာ မရှိလျှင် လုပ်ငန်း၏) နှင့် အဖွဲ့အစည်း (လုပ်ငန်း၏၊ သို့မဟုတ် အန္တရာယ်ရှိဧရိယာ၏) အတွင်း။",
                az: "Dövr ərzində məhv edilmə tarixi olan partlayıcı sursat tapıntıları, seçilmiş inzibati ərazidə (təhlükəli ərazinin, təhlükəli ərazi bağlı deyilsə fəaliyyətin) və seçilmiş təşkilat üzrə (fəaliyyətin və ya təhlükəli ərazinin).",
            },
        )
        .to_owned(),
    ];
    t
}

/// [eo_found]: by category, found in the period or date unknown, with and without disposal.
pub(crate) fn eo_found(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "eo_found",
        l.pick(tr! {
            en: "Explosive ordnance found by category, with and without disposal",
            km: "សម្ភារៈផ្ទុះដែលបានរកឃើញតាមប្រភេទ ដែលបានចាត់ចែង និងមិនទាន់ចាត់ចែង",
            lo: "ລະເບີດທີ່ຄົ້ນພົບ ແຍກຕາມປະເພດ, ທີ່ໄດ້ກຳຈັດ ແລະ ບໍ່ໄດ້ກຳຈັດ",
            th: "วัตถุระเบิดที่พบจำแนกตามประเภท ที่กำจัดแล้วและยังไม่ได้กำจัด",
            vi: "Vật liệu nổ phát hiện theo loại, có và không có xử lý",
            my: "အမျိုးအစားအလိုက် တွေ့ရှိသော ပေါက်ကွဲစေတတ်သောလက်နက်များ၊ ဖယ်ရှားပြီး/မပြီး",
            az: "Kateqoriya üzrə tapılmış partlayıcı sursat, zərərsizləşdirmə ilə və onsuz",
        }),
        vec![
            text(
                "category",
                l,
                tr! {
                    en: "Category",
                    km: "ប្រភេទ",
                    lo: "ປະເພດ",
                    th: "ประเภท",
                    vi: "Loại",
                    my: "အမျိုးအစား",
                    az: "Kateqoriya",
                },
            ),
            text(
                "found",
                l,
                tr! {
                    en: "Found",
                    km: "បានរកឃើញ",
                    lo: "ຄົ້ນພົບ",
                    th: "พบ",
                    vi: "Phát hiện",
                    my: "တွေ့ရှိ",
                    az: "Tapılıb",
                },
            ),
            count(
                "finds",
                l,
                tr! {
                    en: "Finds (records)",
                    km: "ការរកឃើញ (កំណត់ត្រា)",
                    lo: "ການຄົ້ນພົບ (ບັນທຶກ)",
                    th: "การพบ (บันทึก)",
                    vi: "Lần phát hiện (hồ sơ)",
                    my: "တွေ့ရှိမှု (မှတ်တမ်း)",
                    az: "Tapıntılar (qeydlər)",
                },
            ),
            count(
                "quantity",
                l,
                tr! {
                    en: "Items found",
                    km: "ចំនួនដែលបានរកឃើញ",
                    lo: "ຈຳນວນທີ່ຄົ້ນພົບ",
                    th: "จำนวนที่พบ",
                    vi: "Số lượng phát hiện",
                    my: "တွေ့ရှိသော အရေအတွက်",
                    az: "Tapılmış ədəd",
                },
            ),
            count(
                "disposed",
                l,
                tr! {
                    en: "Items with disposal recorded",
                    km: "ចំនួនដែលបានកត់ត្រាការចាត់ចែង",
                    lo: "ຈຳນວນທີ່ມີບັນທຶກການກຳຈັດ",
                    th: "จำนวนที่มีบันทึกการกำจัด",
                    vi: "Số lượng có ghi nhận xử lý",
                    my: "ဖယ်ရှားမှု မှတ်တမ်းရှိသော အရေအတွက်",
                    az: "Zərərsizləşdirməsi qeydə alınmış ədəd",
                },
            ),
            count(
                "not_disposed",
                l,
                tr! {
                    en: "Items without disposal recorded",
                    km: "ចំនួនដែលមិនទាន់កត់ត្រាការចាត់ចែង",
                    lo: "ຈຳນວນທີ່ບໍ່ມີບັນທຶກການກຳຈັດ",
                    th: "จำนวนที่ไม่มีบันทึกการกำจัด",
                    vi: "Số lượng không có ghi nhận xử lý",
                    my: "ဖယ်ရှားမှု မှတ်တမ်းမရှိသော အရေအတွက်",
                    az: "Zərərsizləşdirməsi qeydə alınmamış ədəd",
                },
            ),
        ],
    );
    let mut rows: BTreeMap<_, [u64; 4]> = BTreeMap::new();
    for f in &snap.found {
        let row = rows.entry((f.category, f.date_unknown)).or_default();
        let q = u64::from(f.quantity);
        row[0] += 1;
        row[1] += q;
        row[if f.disposed { 2 } else { 3 }] += q;
    }
    let mut total = [0u64; 4];
    for ((category, date_unknown), r) in rows {
        for (acc, v) in total.iter_mut().zip(r) {
            *acc += v;
        }
        let found = if date_unknown {
            l.pick(tr! {
                en: "Date unknown",
                km: "មិនដឹងកាលបរិច្ឆេទ",
                lo: "ບໍ່ຮູ້ວັນທີ",
                th: "ไม่ทราบวันที่",
                vi: "Không rõ ngày",
                my: "ရက်စွဲ မသိ",
                az: "Tarix məlum deyil",
            })
        } else {
            l.pick(tr! {
                en: "In the period",
                km: "ក្នុងរយៈពេលនេះ",
                lo: "ໃນໄລຍະນີ້",
                th: "ในช่วงเวลานี้",
                vi: "Trong kỳ",
                my: "ဤကာလအတွင်း",
                az: "Dövr ərzində",
            })
        };
        let mut row = vec![
            Cell::Text(i18n::category(l, Some(category))),
            Cell::Text(found.to_owned()),
        ];
        row.extend(r.map(Cell::Count));
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(total.map(Cell::Count));
    t.total = Some(total_row);
    t.notes = vec![
        l.pick(
            tr! {
                en: "A find without a found date cannot be placed in or out of the period: it is shown \
             under \"Date unknown\" in every report, unless its destroyed date is before the \
             period. Admin area and organisation as for EO destroyed.",
                km: "ការរកឃើញដែលគ្មានកាលបរិច្ឆេទរកឃើញ មិនអាចដាក់ក្នុង ឬក្រៅរយៈពេលនេះបានទេ៖ វាត្រូវបានបង្ហាញក្រោម \
             \"មិនដឹងកាលបរិច្ឆេទ\" ក្នុងរបាយការណ៍គ្រប់ច្បាប់ លើកលែងតែកាលបរិច្ឆេទបំផ្លាញរបស់វានៅមុនរយៈពេលនេះ។ \
             តំបន់រដ្ឋបាល និងអង្គការ ដូចសម្ភារៈផ្ទុះដែលបានបំផ្លាញ។",
                lo: "ການຄົ້ນພົບທີ່ບໍ່ມີວັນທີຄົ້ນພົບ ບໍ່ສາມາດຈັດໃສ່ໃນ ຫຼື ນອກໄລຍະໄດ້: ມັນຈະສະແດງພາຍໃຕ້ \"ບໍ່ຮູ້ວັນທີ\" ໃນທຸກບົດລາຍງານ, ເວັ້ນເສຍແຕ່ວັນທີທຳລາຍຢູ່ກ່ອນໄລຍະນີ້. ເຂດປົກຄອງ ແລະ ອົງການ ຄືກັບລະເບີດທີ່ຖືກທຳລາຍ.",
                th: "การพบที่ไม่มีวันที่พบไม่สามารถจัดให้อยู่ในหรือนอกช่วงเวลาได้: จะแสดงภายใต้ \"ไม่ทราบวันที่\" ในทุกรายงาน เว้นแต่วันที่ทำลายอยู่ก่อนช่วงเวลานี้ เขตการปกครองและองค์กรเช่นเดียวกับวัตถุระเบิดที่ถูกทำลาย",
                vi: "Lần phát hiện không có ngày phát hiện không thể xếp vào trong hay ngoài kỳ: nó được hiển thị ở mục \"Không rõ ngày\" trong mọi báo cáo, trừ khi ngày hủy trước kỳ. Đơn vị hành chính và tổ chức như đối với vật liệu nổ đã hủy.",
                my: "တွေ့ရှိသည့်ရက်စွဲမပါသော တွေ့ရှိမှုကို ကာလအတွင်း သို့မဟုတ် ပြင်ပတွင် မထားနိုင်ပါ- ဖျက်ဆီးသည့်ရက်စွဲသည် ကာလမတိုင်မီ မဟုတ်လျှင် အစီရင်ခံစာတိုင်းတွင် \"ရက်စွဲ မသိ\" အောက်တွင် ပြသည်။ အုပ်ချုပ်ရေးနယ်မြေနှင့် အဖွဲ့အစည်းသည် ဖျက်ဆီးခဲ့သော ပေါက်ကွဲစေတတ်သောလက်နက်များအတိုင်း ဖြစ်သည်။",
                az: "Tapılma tarixi olmayan tapıntı dövrə daxil və ya ondan kənar sayıla bilməz: məhv edilmə tarixi dövrdən əvvəl deyilsə, hər hesabatda \"Tarix məlum deyil\" altında göstərilir. İnzibati ərazi və təşkilat məhv edilmiş partlayıcı sursatda olduğu kimidir.",
            },
        )
        .to_owned(),
    ];
    t
}
