//! Land release by admin area, asset, contamination type and year, and the hazards remaining
//! by class.

use std::collections::BTreeMap;

use safeground_model::{AssetType, ReleaseMethod};

use crate::i18n;
use crate::lang::{Tr, tr};
use crate::snapshot::{Credit, HazardData, Snapshot};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

/// Area released, by method, m².
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Released {
    /// Cancelled.
    pub cancelled: f64,
    /// Reduced with a technical asset.
    pub reduced_technical: f64,
    /// Reduced without a technical asset.
    pub reduced_other: f64,
    /// Cleared.
    pub cleared: f64,
}

impl Released {
    /// Adds a credit.
    pub fn add(&mut self, c: &Credit) {
        match c.method {
            ReleaseMethod::Cancelled => self.cancelled += c.area_m2,
            ReleaseMethod::Reduced if c.technical => self.reduced_technical += c.area_m2,
            ReleaseMethod::Reduced => self.reduced_other += c.area_m2,
            ReleaseMethod::Cleared => self.cleared += c.area_m2,
        }
    }

    /// Adds another total.
    pub fn plus(&mut self, o: &Released) {
        self.cancelled += o.cancelled;
        self.reduced_technical += o.reduced_technical;
        self.reduced_other += o.reduced_other;
        self.cleared += o.cleared;
    }

    /// Reduced, with or without a technical asset.
    pub fn reduced(&self) -> f64 {
        self.reduced_technical + self.reduced_other
    }

    /// Everything released.
    pub fn total(&self) -> f64 {
        self.cancelled + self.reduced() + self.cleared
    }

    /// The cells of [`release_columns`].
    fn cells(&self) -> Vec<Cell> {
        [
            self.cancelled,
            self.reduced_technical,
            self.reduced_other,
            self.cleared,
            self.total(),
        ]
        .into_iter()
        .map(Cell::Area)
        .collect()
    }
}

/// Columns of the area released by method.
fn release_columns(l: Language) -> Vec<Column> {
    let area = |key: &str, title: Tr| Column::new(key, l.pick(title), ColumnKind::AreaM2);
    vec![
        area(
            "cancelled_m2",
            tr! {
                en: "Cancelled (m²)",
                km: "បានលុបចោល (ម²)",
                lo: "ຍົກເລີກ (ມ²)",
                th: "ยกเลิก (ตร.ม.)",
                vi: "Hủy bỏ (m²)",
                my: "ပယ်ဖျက် (စ.မ)",
                az: "Ləğv edilmiş (m²)",
            },
        ),
        area(
            "reduced_technical_m2",
            tr! {
                en: "Reduced with technical asset (m²)",
                km: "បានកាត់បន្ថយដោយប្រើមធ្យោបាយបច្ចេកទេស (ម²)",
                lo: "ຫຼຸດຜ່ອນດ້ວຍຊັບພະຍາກອນທາງເຕັກນິກ (ມ²)",
                th: "ลดพื้นที่ด้วยทรัพยากรทางเทคนิค (ตร.ม.)",
                vi: "Thu hẹp có phương tiện kỹ thuật (m²)",
                my: "နည်းပညာပစ္စည်းဖြင့် လျှော့ချ (စ.မ)",
                az: "Texniki vasitə ilə azaldılmış (m²)",
            },
        ),
        area(
            "reduced_non_technical_m2",
            tr! {
                en: "Reduced without technical asset (m²)",
                km: "បានកាត់បន្ថយដោយមិនប្រើមធ្យោបាយបច្ចេកទេស (ម²)",
                lo: "ຫຼຸດຜ່ອນໂດຍບໍ່ມີຊັບພະຍາກອນທາງເຕັກນິກ (ມ²)",
                th: "ลดพื้นที่โดยไม่ใช้ทรัพยากรทางเทคนิค (ตร.ม.)",
                vi: "Thu hẹp không có phương tiện kỹ thuật (m²)",
                my: "နည်းပညာပစ္စည်းမပါဘဲ လျှော့ချ (စ.မ)",
                az: "Texniki vasitəsiz azaldılmış (m²)",
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
    ]
}

/// Notes shared by the land-release tables.
pub(crate) fn release_notes(l: Language) -> Vec<String> {
    vec![
        l.pick(
            tr! {
                en: "Areas are the store's release credits: each released polygon is credited only with \
             the part of the hazard still remaining when it was released, so overlapping \
             releases are never counted twice.",
                km: "ផ្ទៃដីគឺជាឥណទានដោះលែងដីរបស់ប្រព័ន្ធ៖ ដីដែលបានដោះលែងនីមួយៗ ត្រូវបានរាប់តែផ្នែកនៃតំបន់គ្រោះថ្នាក់ \
             ដែលនៅសល់នៅពេលដោះលែងប៉ុណ្ណោះ ដូច្នេះដីដែលដោះលែងត្រួតគ្នា មិនត្រូវបានរាប់ពីរដងឡើយ។",
                lo: "ເນື້ອທີ່ແມ່ນເນື້ອທີ່ປົດປ່ອຍທີ່ບັນທຶກໃນຖານຂໍ້ມູນ: ແຕ່ລະຮູບຫຼາຍແຈທີ່ໄດ້ປົດປ່ອຍ ຖືກນັບສະເພາະສ່ວນຂອງພື້ນທີ່ອັນຕະລາຍທີ່ຍັງເຫຼືອຢູ່ໃນເວລາປົດປ່ອຍ, ດັ່ງນັ້ນການປົດປ່ອຍທີ່ຊ້ອນກັນຈະບໍ່ຖືກນັບສອງຄັ້ງ.",
                th: "พื้นที่คือเครดิตการปลดปล่อยในฐานข้อมูล: รูปหลายเหลี่ยมที่ปลดปล่อยแต่ละรูปได้รับเครดิตเฉพาะส่วนของพื้นที่อันตรายที่ยังคงเหลืออยู่ขณะปลดปล่อย ดังนั้นการปลดปล่อยที่ทับซ้อนกันจะไม่ถูกนับซ้ำ",
                vi: "Diện tích là phần giải phóng được ghi nhận trong cơ sở dữ liệu: mỗi đa giác được giải phóng chỉ được tính phần khu vực nguy hiểm còn lại khi giải phóng, nên các lần giải phóng chồng lấn không bao giờ bị tính hai lần.",
                my: "ဧရိယာများသည် ဒေတာဘေ့စ်ရှိ မြေလွှတ်ပေးမှုစာရင်းများ ဖြစ်သည်- လွှတ်ပေးသည့် ဧရိယာပုံတစ်ခုစီကို လွှတ်ပေးချိန်တွင် ကျန်ရှိနေသေးသော အန္တရာယ်ရှိဧရိယာ၏ အစိတ်အပိုင်းဖြင့်သာ ရေတွက်သဖြင့် ထပ်နေသော လွှတ်ပေးမှုများကို နှစ်ကြိမ် မရေတွက်ပါ။",
                az: "Sahələr bazadakı azadetmə kreditləridir: hər azad edilmiş çoxbucaqlıya yalnız azad edildiyi anda təhlükəli ərazinin hələ qalan hissəsi yazılır, buna görə üst-üstə düşən azadetmələr heç vaxt iki dəfə sayılmır.",
            },
        )
        .to_owned(),
        l.pick(
            tr! {
                en: "The period applies to the date of information of the activity report; with an \
             organisation or a donor selected, only land released by the activities it carried \
             out or funded counts.",
                km: "រយៈពេលអនុវត្តលើកាលបរិច្ឆេទព័ត៌មាននៃរបាយការណ៍សកម្មភាព។ នៅពេលជ្រើសរើសអង្គការ ឬម្ចាស់ជំនួយ \
             មានតែដីដែលដោះលែងដោយសកម្មភាពដែលអង្គការនោះបានអនុវត្ត ឬម្ចាស់ជំនួយនោះបានឧបត្ថម្ភប៉ុណ្ណោះដែលត្រូវបានរាប់។",
                lo: "ໄລຍະເວລານຳໃຊ້ກັບວັນທີຂໍ້ມູນຂອງບົດລາຍງານກິດຈະກຳ; ເມື່ອເລືອກອົງການ ຫຼື ຜູ້ໃຫ້ທຶນ, ນັບສະເພາະເນື້ອທີ່ທີ່ປົດປ່ອຍໂດຍກິດຈະກຳທີ່ອົງການນັ້ນປະຕິບັດ ຫຼື ໃຫ້ທຶນ.",
                th: "ช่วงเวลาใช้กับวันที่ข้อมูลของรายงานกิจกรรม เมื่อเลือกองค์กรหรือผู้ให้ทุน จะนับเฉพาะพื้นที่ที่ปลดปล่อยโดยกิจกรรมที่องค์กรนั้นดำเนินการหรือให้ทุน",
                vi: "Kỳ báo cáo áp dụng cho ngày thông tin của báo cáo hoạt động; khi chọn một tổ chức hoặc nhà tài trợ, chỉ tính diện tích được giải phóng bởi các hoạt động do tổ chức đó thực hiện hoặc tài trợ.",
                my: "ကာလသည် လုပ်ငန်းအစီရင်ခံစာ၏ သတင်းအချက်အလက်ရက်စွဲနှင့် သက်ဆိုင်သည်၊ အဖွဲ့အစည်း သို့မဟုတ် အလှူရှင်ကို ရွေးချယ်ထားလျှင် ၎င်းဆောင်ရွက်ခဲ့သော သို့မဟုတ် ငွေကြေးထောက်ပံ့ခဲ့သော လုပ်ငန်းများမှ လွှတ်ပေးသည့်မြေကိုသာ ရေတွက်သည်။",
                az: "Dövr fəaliyyət hesabatının məlumat tarixinə tətbiq edilir; təşkilat və ya donor seçildikdə yalnız onun həyata keçirdiyi və ya maliyyələşdirdiyi fəaliyyətlərlə azad edilmiş ərazi sayılır.",
            },
        )
        .to_owned(),
        i18n::admin_note(l),
    ]
}

/// Sums the credits in the period by a key.
fn released_by<K: Ord>(
    snap: &Snapshot,
    p: &ReportParams,
    key: impl Fn(&HazardData, &Credit) -> K,
) -> BTreeMap<K, Released> {
    let mut out: BTreeMap<K, Released> = BTreeMap::new();
    for h in &snap.hazards {
        for c in h.credits.iter().filter(|c| p.in_period(c.valid_from)) {
            out.entry(key(h, c)).or_default().add(c);
        }
    }
    out
}

/// A land-release table: the key columns, then the areas by method, then the total.
fn release_table<K>(
    id: &str,
    title: &str,
    key_columns: Vec<Column>,
    rows: BTreeMap<K, Released>,
    key_cells: impl Fn(&K) -> Vec<Cell>,
    l: Language,
) -> Table {
    let n = key_columns.len();
    let mut columns = key_columns;
    columns.extend(release_columns(l));
    let mut t = Table::new(id, title, columns);
    let mut total = Released::default();
    for (k, r) in &rows {
        total.plus(r);
        let mut row = key_cells(k);
        row.extend(r.cells());
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l))];
    total_row.resize(n, Cell::Empty);
    total_row.extend(total.cells());
    t.total = Some(total_row);
    t
}

/// [land_release_by_admin_area]
pub(crate) fn by_admin_area(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let rows = released_by(snap, p, |h, _| h.pcode().to_owned());
    let mut t = release_table(
        "land_release_by_admin_area",
        l.pick(tr! {
            en: "Land released by admin area",
            km: "ដីដែលបានដោះលែងតាមតំបន់រដ្ឋបាល",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ ແຍກຕາມເຂດປົກຄອງ",
            th: "พื้นที่ที่ได้รับการปลดปล่อยจำแนกตามเขตการปกครอง",
            vi: "Diện tích đất được giải phóng theo đơn vị hành chính",
            my: "အုပ်ချုပ်ရေးနယ်မြေအလိုက် လွှတ်ပေးသည့်မြေ",
            az: "İnzibati ərazi üzrə azad edilmiş ərazi",
        }),
        i18n::admin_columns(l),
        rows,
        |pcode| admin_cells(snap, pcode, l),
        l,
    );
    t.notes = release_notes(l);
    t
}

/// The P-code and name cells of an admin area.
pub(crate) fn admin_cells(snap: &Snapshot, pcode: &str, l: Language) -> Vec<Cell> {
    let name = if pcode.is_empty() {
        i18n::not_recorded(l)
    } else {
        snap.admin_name(pcode)
    };
    vec![Cell::Text(pcode.to_owned()), Cell::Text(name)]
}

/// [land_release_by_asset]: one row per asset type (all of them, then "not recorded").
pub(crate) fn by_asset(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut rows = released_by(snap, p, |_, c| (c.asset.is_none(), c.asset));
    for a in AssetType::ALL {
        rows.entry((false, Some(*a))).or_default();
    }
    rows.entry((true, None)).or_default();
    let mut t = release_table(
        "land_release_by_asset",
        l.pick(tr! {
            en: "Land released by asset type",
            km: "ដីដែលបានដោះលែងតាមប្រភេទមធ្យោបាយ",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ ແຍກຕາມປະເພດຊັບພະຍາກອນ",
            th: "พื้นที่ที่ได้รับการปลดปล่อยจำแนกตามประเภททรัพยากร",
            vi: "Diện tích đất được giải phóng theo loại phương tiện",
            my: "လုပ်ငန်းသုံးပစ္စည်းအမျိုးအစားအလိုက် လွှတ်ပေးသည့်မြေ",
            az: "Vasitə növü üzrə azad edilmiş ərazi",
        }),
        vec![Column::new(
            "asset",
            l.pick(tr! {
                en: "Asset type",
                km: "ប្រភេទមធ្យោបាយ",
                lo: "ປະເພດຊັບພະຍາກອນ",
                th: "ประเภททรัพยากร",
                vi: "Loại phương tiện",
                my: "လုပ်ငန်းသုံးပစ္စည်းအမျိုးအစား",
                az: "Vasitə növü",
            }),
            ColumnKind::Text,
        )],
        rows,
        |(_, a)| vec![Cell::Text(i18n::asset(l, *a))],
        l,
    );
    t.notes = release_notes(l);
    t.notes.push(
        l.pick(
            tr! {
                en: "Asset type is the asset recorded on the released area; cancellation by \
             non-technical survey usually records none.",
                km: "ប្រភេទមធ្យោបាយ គឺជាមធ្យោបាយដែលបានកត់ត្រាលើដីដែលបានដោះលែង។ ការលុបចោលដោយការស្ទង់មិនមែនបច្ចេកទេស \
             ជាធម្មតាមិនកត់ត្រាមធ្យោបាយទេ។",
                lo: "ປະເພດຊັບພະຍາກອນແມ່ນຊັບພະຍາກອນທີ່ບັນທຶກໄວ້ໃນເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ; ການຍົກເລີກໂດຍການສຳຫຼວດທີ່ບໍ່ແມ່ນທາງເຕັກນິກ ປົກກະຕິບໍ່ໄດ້ບັນທຶກ.",
                th: "ประเภททรัพยากรคือทรัพยากรที่บันทึกไว้ในพื้นที่ที่ได้รับการปลดปล่อย การยกเลิกโดยการสำรวจที่ไม่ใช่ทางเทคนิคมักไม่ได้บันทึกไว้",
                vi: "Loại phương tiện là phương tiện được ghi trên khu vực được giải phóng; việc hủy bỏ qua khảo sát phi kỹ thuật thường không ghi phương tiện nào.",
                my: "လုပ်ငန်းသုံးပစ္စည်းအမျိုးအစားသည် လွှတ်ပေးသည့်ဧရိယာတွင် မှတ်တမ်းတင်ထားသည့် ပစ္စည်း ဖြစ်သည်၊ နည်းပညာမဟုတ်သော စစ်တမ်းဖြင့် ပယ်ဖျက်ခြင်းတွင် များသောအားဖြင့် မှတ်တမ်းမတင်ပါ။",
                az: "Vasitə növü azad edilmiş sahədə qeydə alınmış vasitədir; qeyri-texniki tədqiqatla ləğvetmədə adətən heç biri qeyd olunmur.",
            },
        )
        .to_owned(),
    );
    t
}

/// [land_release_by_contamination]: one row per combination of contamination types.
pub(crate) fn by_contamination(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let rows = released_by(snap, p, |h, _| {
        let mut types = h.contamination.clone();
        types.sort();
        types.dedup();
        (types.is_empty(), types)
    });
    let mut t = release_table(
        "land_release_by_contamination",
        l.pick(tr! {
            en: "Land released by contamination type",
            km: "ដីដែលបានដោះលែងតាមប្រភេទការបំពុល",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ ແຍກຕາມປະເພດການປົນເປື້ອນ",
            th: "พื้นที่ที่ได้รับการปลดปล่อยจำแนกตามประเภทการปนเปื้อน",
            vi: "Diện tích đất được giải phóng theo loại ô nhiễm",
            my: "ညစ်ညမ်းမှုအမျိုးအစားအလိုက် လွှတ်ပေးသည့်မြေ",
            az: "Çirklənmə növü üzrə azad edilmiş ərazi",
        }),
        vec![Column::new(
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
        )],
        rows,
        |(_, types)| vec![Cell::Text(i18n::contamination(l, types))],
        l,
    );
    t.notes = release_notes(l);
    t.notes.push(
        l.pick(
            tr! {
                en: "Contamination type is the combination of types recorded on the hazard, so each \
             hazard falls in exactly one row.",
                km: "ប្រភេទការបំពុល គឺជាបន្សំនៃប្រភេទដែលបានកត់ត្រាលើតំបន់គ្រោះថ្នាក់ ដូច្នេះតំបន់គ្រោះថ្នាក់នីមួយៗ \
             ស្ថិតនៅក្នុងជួរតែមួយគត់។",
                lo: "ປະເພດການປົນເປື້ອນແມ່ນການປະສົມຂອງປະເພດທີ່ບັນທຶກໄວ້ໃນພື້ນທີ່ອັນຕະລາຍ, ດັ່ງນັ້ນແຕ່ລະພື້ນທີ່ອັນຕະລາຍຈະຢູ່ໃນແຖວດຽວເທົ່ານັ້ນ.",
                th: "ประเภทการปนเปื้อนคือชุดประเภทที่บันทึกไว้ในพื้นที่อันตราย ดังนั้นพื้นที่อันตรายแต่ละแห่งจะอยู่ในแถวเดียวเท่านั้น",
                vi: "Loại ô nhiễm là tổ hợp các loại được ghi trên khu vực nguy hiểm, nên mỗi khu vực nguy hiểm nằm đúng một hàng.",
                my: "ညစ်ညမ်းမှုအမျိုးအစားသည် အန္တရာယ်ရှိဧရိယာတွင် မှတ်တမ်းတင်ထားသော အမျိုးအစားများ၏ ပေါင်းစပ်မှု ဖြစ်သဖြင့် အန္တရာယ်ရှိဧရိယာတစ်ခုစီသည် အတန်းတစ်တန်းတွင်သာ ပါဝင်သည်။",
                az: "Çirklənmə növü təhlükəli ərazidə qeydə alınmış növlərin birləşməsidir, buna görə hər təhlükəli ərazi dəqiq bir sətirdə olur.",
            },
        )
        .to_owned(),
    );
    t
}

/// [land_release_by_year]
pub(crate) fn by_year(snap: &Snapshot, p: &ReportParams) -> Table {
    use chrono::Datelike;
    let l = p.language;
    let rows = released_by(snap, p, |_, c| c.valid_from.year());
    let mut t = release_table(
        "land_release_by_year",
        l.pick(tr! {
            en: "Land released by year",
            km: "ដីដែលបានដោះលែងតាមឆ្នាំ",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ ແຍກຕາມປີ",
            th: "พื้นที่ที่ได้รับการปลดปล่อยจำแนกตามปี",
            vi: "Diện tích đất được giải phóng theo năm",
            my: "နှစ်အလိုက် လွှတ်ပေးသည့်မြေ",
            az: "İllər üzrə azad edilmiş ərazi",
        }),
        vec![Column::new(
            "year",
            l.pick(tr! {
                en: "Year",
                km: "ឆ្នាំ",
                lo: "ປີ",
                th: "ปี",
                vi: "Năm",
                my: "နှစ်",
                az: "İl",
            }),
            ColumnKind::Text,
        )],
        rows,
        |y| vec![Cell::Text(y.to_string())],
        l,
    );
    t.notes = release_notes(l);
    t
}
