//! Land release by admin area, asset, contamination type and year, and the hazards remaining
//! by class.

use std::collections::BTreeMap;

use safeground_model::{AssetType, HazardClass, ReleaseMethod};
use safeground_store::HazardState;

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

/// Hazards and area remaining, by class.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ByClass {
    /// Suspected hazardous areas (and indications).
    pub sha: u64,
    /// Their remaining area, m².
    pub sha_m2: f64,
    /// Confirmed hazardous areas.
    pub cha: u64,
    /// Their remaining area, m².
    pub cha_m2: f64,
    /// Ammunition storage and EOD spot tasks.
    pub other: u64,
    /// Their remaining area, m².
    pub other_m2: f64,
}

impl ByClass {
    /// Adds a hazard's remaining figures.
    pub fn add(&mut self, s: &HazardState) {
        let (n, m2) = match s.class {
            HazardClass::Sha | HazardClass::Indication => (&mut self.sha, &mut self.sha_m2),
            HazardClass::Cha => (&mut self.cha, &mut self.cha_m2),
            HazardClass::AmmunitionStorage | HazardClass::EodSpotTask => {
                (&mut self.other, &mut self.other_m2)
            }
        };
        *n += 1;
        *m2 += s.remaining_m2;
    }

    /// Adds another total.
    pub fn plus(&mut self, o: &ByClass) {
        self.sha += o.sha;
        self.sha_m2 += o.sha_m2;
        self.cha += o.cha;
        self.cha_m2 += o.cha_m2;
        self.other += o.other;
        self.other_m2 += o.other_m2;
    }

    /// The SHA/CHA cells: number and area of each.
    pub fn sha_cha_cells(&self) -> Vec<Cell> {
        vec![
            Cell::Count(self.sha),
            Cell::Area(self.sha_m2),
            Cell::Count(self.cha),
            Cell::Area(self.cha_m2),
        ]
    }
}

/// The SHA/CHA number and area columns.
pub(crate) fn sha_cha_columns(l: Language) -> Vec<Column> {
    vec![
        Column::new(
            "sha_hazards",
            l.pick(tr! {
                en: "SHA (number)",
                km: "តំបន់សង្ស័យ (ចំនួន)",
                lo: "SHA (ຈຳນວນ)",
                th: "SHA (จำนวน)",
                vi: "SHA (số lượng)",
                my: "SHA (အရေအတွက်)",
                az: "SHA (say)",
            }),
            ColumnKind::Count,
        ),
        Column::new(
            "sha_m2",
            l.pick(tr! {
                en: "SHA area (m²)",
                km: "ផ្ទៃតំបន់សង្ស័យ (ម²)",
                lo: "ເນື້ອທີ່ SHA (ມ²)",
                th: "พื้นที่ SHA (ตร.ม.)",
                vi: "Diện tích SHA (m²)",
                my: "SHA ဧရိယာ (စ.မ)",
                az: "SHA sahəsi (m²)",
            }),
            ColumnKind::AreaM2,
        ),
        Column::new(
            "cha_hazards",
            l.pick(tr! {
                en: "CHA (number)",
                km: "តំបន់បញ្ជាក់ (ចំនួន)",
                lo: "CHA (ຈຳນວນ)",
                th: "CHA (จำนวน)",
                vi: "CHA (số lượng)",
                my: "CHA (အရေအတွက်)",
                az: "CHA (say)",
            }),
            ColumnKind::Count,
        ),
        Column::new(
            "cha_m2",
            l.pick(tr! {
                en: "CHA area (m²)",
                km: "ផ្ទៃតំបន់បញ្ជាក់ (ម²)",
                lo: "ເນື້ອທີ່ CHA (ມ²)",
                th: "พื้นที่ CHA (ตร.ม.)",
                vi: "Diện tích CHA (m²)",
                my: "CHA ဧရိယာ (စ.မ)",
                az: "CHA sahəsi (m²)",
            }),
            ColumnKind::AreaM2,
        ),
    ]
}

/// The note on what counts as remaining.
pub(crate) fn remaining_note(l: Language) -> String {
    l.pick(
        tr! {
            en: "Remaining: hazards not closed or handed over at the as-of date, with the area left \
         after every release approved by then; indications count as SHA. Hazards are not \
         funded by donors, so the donor filter does not change remaining figures.",
            km: "នៅសល់៖ តំបន់គ្រោះថ្នាក់ដែលមិនទាន់បិទ ឬប្រគល់នៅកាលបរិច្ឆេទរបាយការណ៍ ជាមួយផ្ទៃដីដែលនៅសល់ \
         បន្ទាប់ពីការដោះលែងទាំងអស់ដែលបានអនុម័តនៅពេលនោះ។ ការចង្អុលបង្ហាញត្រូវបានរាប់ជាតំបន់សង្ស័យ។",
            lo: "ຄົງເຫຼືອ: ພື້ນທີ່ອັນຕະລາຍທີ່ຍັງບໍ່ໄດ້ປິດ ຫຼື ມອບໂອນ ນັບຮອດວັນທີລາຍງານ, ພ້ອມເນື້ອທີ່ທີ່ເຫຼືອຫຼັງຈາກການປົດປ່ອຍທັງໝົດທີ່ໄດ້ຮັບຮອງແລ້ວ; ຂໍ້ບົ່ງຊີ້ນັບເປັນ SHA. ພື້ນທີ່ອັນຕະລາຍບໍ່ໄດ້ຮັບທຶນຈາກຜູ້ໃຫ້ທຶນ, ດັ່ງນັ້ນຕົວກັ່ນຕອງຜູ້ໃຫ້ທຶນບໍ່ປ່ຽນຕົວເລກຄົງເຫຼືອ.",
            th: "คงเหลือ: พื้นที่อันตรายที่ยังไม่ปิดหรือส่งมอบ ณ วันที่รายงาน พร้อมพื้นที่ที่เหลือหลังการปลดปล่อยทั้งหมดที่อนุมัติแล้ว ข้อบ่งชี้นับเป็น SHA พื้นที่อันตรายไม่ได้รับทุนจากผู้ให้ทุน ดังนั้นตัวกรองผู้ให้ทุนจึงไม่เปลี่ยนตัวเลขคงเหลือ",
            vi: "Còn lại: các khu vực nguy hiểm chưa đóng hoặc bàn giao tại ngày báo cáo, với diện tích còn lại sau mọi lần giải phóng đã được phê duyệt đến lúc đó; các dấu hiệu được tính là SHA. Khu vực nguy hiểm không do nhà tài trợ tài trợ, nên bộ lọc nhà tài trợ không thay đổi số liệu còn lại.",
            my: "ကျန်ရှိ- အစီရင်ခံသည့်ရက်စွဲတွင် မပိတ်သေး သို့မဟုတ် လွှဲမပြောင်းရသေးသော အန္တရာယ်ရှိဧရိယာများနှင့် ထိုအချိန်အထိ အတည်ပြုပြီး လွှတ်ပေးမှုအားလုံးအပြီး ကျန်ရှိသော ဧရိယာ၊ ညွှန်ပြချက်များကို SHA အဖြစ် ရေတွက်သည်။ အန္တရာယ်ရှိဧရိယာများကို အလှူရှင်များက ငွေကြေးမထောက်ပံ့သဖြင့် အလှူရှင် စစ်ထုတ်မှုသည် ကျန်ရှိကိန်းဂဏန်းများကို မပြောင်းလဲပါ။",
            az: "Qalan: hesabat tarixinə bağlanmamış və ya təhvil verilməmiş təhlükəli ərazilər, o vaxta qədər təsdiqlənmiş bütün azadetmələrdən sonra qalan sahə ilə; əlamətlər SHA kimi sayılır. Təhlükəli ərazilər donorlar tərəfindən maliyyələşdirilmir, buna görə donor filtri qalan göstəriciləri dəyişmir.",
        },
    )
    .to_owned()
}

/// [remaining_by_class]
pub(crate) fn remaining_by_class(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut columns = i18n::admin_columns(l);
    columns.extend(sha_cha_columns(l));
    columns.extend([
        Column::new(
            "other_hazards",
            l.pick(tr! {
                en: "Other hazards (number)",
                km: "តំបន់គ្រោះថ្នាក់ផ្សេងទៀត (ចំនួន)",
                lo: "ພື້ນທີ່ອັນຕະລາຍອື່ນ (ຈຳນວນ)",
                th: "พื้นที่อันตรายอื่น (จำนวน)",
                vi: "Khu vực nguy hiểm khác (số lượng)",
                my: "အခြား အန္တရာယ်ရှိဧရိယာ (အရေအတွက်)",
                az: "Digər təhlükəli ərazilər (say)",
            }),
            ColumnKind::Count,
        ),
        Column::new(
            "other_m2",
            l.pick(tr! {
                en: "Other area (m²)",
                km: "ផ្ទៃផ្សេងទៀត (ម²)",
                lo: "ເນື້ອທີ່ອື່ນ (ມ²)",
                th: "พื้นที่อื่น (ตร.ม.)",
                vi: "Diện tích khác (m²)",
                my: "အခြား ဧရိယာ (စ.မ)",
                az: "Digər sahə (m²)",
            }),
            ColumnKind::AreaM2,
        ),
        Column::new(
            "total_hazards",
            l.pick(tr! {
                en: "Total hazards (number)",
                km: "តំបន់គ្រោះថ្នាក់សរុប (ចំនួន)",
                lo: "ພື້ນທີ່ອັນຕະລາຍທັງໝົດ (ຈຳນວນ)",
                th: "พื้นที่อันตรายทั้งหมด (จำนวน)",
                vi: "Tổng khu vực nguy hiểm (số lượng)",
                my: "အန္တရာယ်ရှိဧရိယာ စုစုပေါင်း (အရေအတွက်)",
                az: "Cəmi təhlükəli ərazilər (say)",
            }),
            ColumnKind::Count,
        ),
        Column::new(
            "total_m2",
            l.pick(tr! {
                en: "Total area remaining (m²)",
                km: "ផ្ទៃនៅសល់សរុប (ម²)",
                lo: "ເນື້ອທີ່ຄົງເຫຼືອທັງໝົດ (ມ²)",
                th: "พื้นที่คงเหลือทั้งหมด (ตร.ม.)",
                vi: "Tổng diện tích còn lại (m²)",
                my: "ကျန်ရှိဧရိယာ စုစုပေါင်း (စ.မ)",
                az: "Cəmi qalan sahə (m²)",
            }),
            ColumnKind::AreaM2,
        ),
    ]);
    let mut t = Table::new(
        "remaining_by_class",
        l.pick(tr! {
            en: "Hazardous areas remaining by class",
            km: "តំបន់គ្រោះថ្នាក់នៅសល់តាមប្រភេទ",
            lo: "ພື້ນທີ່ອັນຕະລາຍທີ່ຄົງເຫຼືອ ແຍກຕາມປະເພດ",
            th: "พื้นที่อันตรายคงเหลือจำแนกตามประเภท",
            vi: "Khu vực nguy hiểm còn lại theo loại",
            my: "အမျိုးအစားအလိုက် ကျန်ရှိသော အန္တရာယ်ရှိဧရိယာများ",
            az: "Sinif üzrə qalan təhlükəli ərazilər",
        }),
        columns,
    );
    let mut rows: BTreeMap<&str, ByClass> = BTreeMap::new();
    for h in snap.hazards.iter().filter(|h| h.is_remaining()) {
        rows.entry(h.pcode()).or_default().add(&h.state);
    }
    let cells = |c: &ByClass| {
        let mut v = c.sha_cha_cells();
        v.extend([
            Cell::Count(c.other),
            Cell::Area(c.other_m2),
            Cell::Count(c.sha + c.cha + c.other),
            Cell::Area(c.sha_m2 + c.cha_m2 + c.other_m2),
        ]);
        v
    };
    let mut total = ByClass::default();
    for (pcode, c) in &rows {
        total.plus(c);
        let mut row = admin_cells(snap, pcode, l);
        row.extend(cells(c));
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(cells(&total));
    t.total = Some(total_row);
    t.notes = vec![
        remaining_note(l),
        l.pick(
            tr! {
                en: "Other: ammunition storage and EOD spot tasks. With an organisation selected, the \
             hazards it reported count.",
                km: "ផ្សេងទៀត៖ ឃ្លាំងគ្រាប់រំសេវ និងភារកិច្ច EOD ។ នៅពេលជ្រើសរើសអង្គការ \
             តំបន់គ្រោះថ្នាក់ដែលអង្គការនោះបានរាយការណ៍ត្រូវបានរាប់។",
                lo: "ອື່ນໆ: ບ່ອນເກັບມ້ຽນລູກປືນ ແລະ ວຽກ EOD ແບບຈຸດ. ເມື່ອເລືອກອົງການ, ນັບພື້ນທີ່ອັນຕະລາຍທີ່ອົງການນັ້ນລາຍງານ.",
                th: "อื่น ๆ: คลังเก็บกระสุนและงาน EOD เฉพาะจุด เมื่อเลือกองค์กร จะนับพื้นที่อันตรายที่องค์กรนั้นรายงาน",
                vi: "Khác: kho đạn dược và nhiệm vụ EOD điểm. Khi chọn một tổ chức, tính các khu vực nguy hiểm do tổ chức đó báo cáo.",
                my: "အခြား- ခဲယမ်းမီးကျောက်သိုလှောင်ရုံများနှင့် EOD နေရာတစ်ခုတည်း လုပ်ငန်းများ။ အဖွဲ့အစည်းကို ရွေးချယ်ထားလျှင် ၎င်းအစီရင်ခံသော အန္တရာယ်ရှိဧရိယာများကို ရေတွက်သည်။",
                az: "Digər: sursat anbarları və nöqtəvi EOD tapşırıqları. Təşkilat seçildikdə onun bildirdiyi təhlükəli ərazilər sayılır.",
            },
        )
        .to_owned(),
        i18n::admin_note(l),
    ];
    t
}
