//! Hazards and the area they still cover at the as-of date, by class.

use std::collections::BTreeMap;

use safeground_model::HazardClass;
use safeground_store::HazardState;

use crate::i18n;
use crate::land::admin_cells;
use crate::lang::tr;
use crate::snapshot::Snapshot;
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

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
