//! Land released outside recorded hazards: the part of each released polygon that lies outside
//! every hazard its activity is linked to (the whole polygon when it names none). The
//! hazard-based land-release figures credit a hazard only with the part inside it, so without
//! this table such land appears in no figure.

use geo_types::MultiPolygon;
use safeground_model::{Activity, ActivityStatus, ReleaseMethod};

use crate::lang::tr;
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{ReportError, ReportParams, i18n};

/// Land outside hazards of this area or less only touches them (shared edges, rounded
/// corners), the tolerance that links released land to hazards and closes them.
pub const OUTSIDE_TOLERANCE_M2: f64 = 1.0;

/// Land released outside recorded hazards by one method (or all of them).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct OutsideByMethod {
    /// Area released outside every linked hazard, m².
    pub area_m2: f64,
    /// Activities that released more than [`OUTSIDE_TOLERANCE_M2`] outside them.
    pub activities: u64,
    /// Activities whose land released (by this method) lies entirely outside them.
    pub entirely_outside: u64,
}

/// Land released outside recorded hazards, by method and in all.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct ReleasedOutsideHazards {
    /// Cancelled.
    pub cancelled: OutsideByMethod,
    /// Reduced.
    pub reduced: OutsideByMethod,
    /// Cleared.
    pub cleared: OutsideByMethod,
    /// Every method (an activity counted once).
    pub total: OutsideByMethod,
}

/// The hazards an activity is linked to: `hazard`, then `hazards`.
pub fn linked_hazards(activity: &Activity) -> impl Iterator<Item = &str> {
    activity
        .hazard
        .as_deref()
        .into_iter()
        .chain(activity.hazards.iter().map(String::as_str))
}

/// Released and outside areas, m².
#[derive(Default, Clone, Copy)]
struct Parts {
    released: f64,
    outside: f64,
}

impl Parts {
    /// Adds one activity's parts (outside already 0 when within the tolerance).
    fn count_in(self, m: &mut OutsideByMethod) {
        m.area_m2 += self.outside;
        if self.outside > 0.0 {
            m.activities += 1;
            if self.outside >= self.released - OUTSIDE_TOLERANCE_M2 {
                m.entirely_outside += 1;
            }
        }
    }
}

impl ReleasedOutsideHazards {
    /// Adds the land `activity` released outside `hazards` (the shapes of the hazards it is
    /// linked to): for each released polygon, released − ⋃ hazards. Planned and aborted
    /// activities release nothing; an activity's land outside them of at most
    /// [`OUTSIDE_TOLERANCE_M2`] (per method) counts as none.
    pub fn add(
        &mut self,
        activity: &Activity,
        hazards: &[&MultiPolygon<f64>],
    ) -> Result<(), ReportError> {
        if matches!(
            activity.status,
            ActivityStatus::Planned | ActivityStatus::Aborted
        ) {
            return Ok(());
        }
        let mut by_method = [Parts::default(); 3];
        for r in &activity.released_areas {
            let released = safeground_geo::geodesic_area(&r.geometry);
            let outside = safeground_geo::remaining_area(&r.geometry, hazards).map_err(|e| {
                ReportError::Inconsistent(format!(
                    "the land released by {} cannot be compared with its hazards: {e}",
                    activity.local_id
                ))
            })?;
            let p = &mut by_method[method_index(r.method)];
            p.released += released;
            p.outside += outside.min(released);
        }
        let mut all = Parts::default();
        for (p, m) in
            by_method
                .iter_mut()
                .zip([&mut self.cancelled, &mut self.reduced, &mut self.cleared])
        {
            if p.outside <= OUTSIDE_TOLERANCE_M2 {
                p.outside = 0.0;
            }
            all.released += p.released;
            all.outside += p.outside;
            p.count_in(m);
        }
        all.count_in(&mut self.total);
        Ok(())
    }

    /// The figures of one method.
    pub fn method(&self, m: ReleaseMethod) -> &OutsideByMethod {
        match m {
            ReleaseMethod::Cancelled => &self.cancelled,
            ReleaseMethod::Reduced => &self.reduced,
            ReleaseMethod::Cleared => &self.cleared,
        }
    }
}

fn method_index(m: ReleaseMethod) -> usize {
    match m {
        ReleaseMethod::Cancelled => 0,
        ReleaseMethod::Reduced => 1,
        ReleaseMethod::Cleared => 2,
    }
}

/// [land_release_outside_hazards]: one row per method, then the total.
pub(crate) fn table(outside: &ReleasedOutsideHazards, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "land_release_outside_hazards",
        l.pick(tr! {
            en: "Land released outside recorded hazards",
            km: "ដីដែលបានដោះលែងនៅក្រៅតំបន់គ្រោះថ្នាក់ដែលបានកត់ត្រា",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍຢູ່ນອກພື້ນທີ່ອັນຕະລາຍທີ່ບັນທຶກໄວ້",
            th: "พื้นที่ที่ได้รับการปลดปล่อยนอกพื้นที่อันตรายที่บันทึกไว้",
            vi: "Diện tích đất được giải phóng ngoài các khu vực nguy hiểm đã ghi nhận",
            my: "မှတ်တမ်းတင်ထားသော အန္တရာယ်ရှိဧရိယာများ၏ ပြင်ပတွင် လွှတ်ပေးသည့်မြေ",
            az: "Qeydə alınmış təhlükəli ərazilərdən kənarda azad edilmiş ərazi",
        }),
        vec![
            Column::new(
                "method",
                l.pick(tr! {
                    en: "Method",
                    km: "វិធីសាស្ត្រ",
                    lo: "ວິທີການ",
                    th: "วิธีการ",
                    vi: "Phương pháp",
                    my: "နည်းလမ်း",
                    az: "Üsul",
                }),
                ColumnKind::Text,
            ),
            Column::new(
                "outside_m2",
                l.pick(tr! {
                    en: "Released outside hazards (m²)",
                    km: "បានដោះលែងនៅក្រៅតំបន់គ្រោះថ្នាក់ (ម²)",
                    lo: "ປົດປ່ອຍຢູ່ນອກພື້ນທີ່ອັນຕະລາຍ (ມ²)",
                    th: "ปลดปล่อยนอกพื้นที่อันตราย (ตร.ม.)",
                    vi: "Giải phóng ngoài khu vực nguy hiểm (m²)",
                    my: "အန္တရာယ်ရှိဧရိယာပြင်ပ လွှတ်ပေးမှု (စ.မ)",
                    az: "Təhlükəli ərazilərdən kənarda azad edilmiş (m²)",
                }),
                ColumnKind::AreaM2,
            ),
            Column::new(
                "activities",
                l.pick(tr! {
                    en: "Activities releasing land outside hazards",
                    km: "សកម្មភាពដែលដោះលែងដីនៅក្រៅតំបន់គ្រោះថ្នាក់",
                    lo: "ກິດຈະກຳທີ່ປົດປ່ອຍເນື້ອທີ່ຢູ່ນອກພື້ນທີ່ອັນຕະລາຍ",
                    th: "กิจกรรมที่ปลดปล่อยพื้นที่นอกพื้นที่อันตราย",
                    vi: "Hoạt động giải phóng đất ngoài khu vực nguy hiểm",
                    my: "အန္တရာယ်ရှိဧရိယာပြင်ပ မြေလွှတ်ပေးသော လုပ်ငန်းများ",
                    az: "Təhlükəli ərazilərdən kənarda ərazi azad edən fəaliyyətlər",
                }),
                ColumnKind::Count,
            ),
            Column::new(
                "entirely_outside",
                l.pick(tr! {
                    en: "Of which entirely outside any hazard",
                    km: "ក្នុងនោះនៅក្រៅតំបន់គ្រោះថ្នាក់ទាំងស្រុង",
                    lo: "ໃນນັ້ນ ຢູ່ນອກພື້ນທີ່ອັນຕະລາຍທັງໝົດ",
                    th: "ในจำนวนนี้ อยู่นอกพื้นที่อันตรายทั้งหมด",
                    vi: "Trong đó hoàn toàn ngoài mọi khu vực nguy hiểm",
                    my: "၎င်းတို့အနက် အန္တရာယ်ရှိဧရိယာအားလုံး၏ ပြင်ပတွင် လုံးဝရှိသည်",
                    az: "Onlardan tamamilə hər hansı təhlükəli ərazidən kənarda",
                }),
                ColumnKind::Count,
            ),
        ],
    );
    let cells = |m: &OutsideByMethod| {
        vec![
            Cell::Area(m.area_m2),
            Cell::Count(m.activities),
            Cell::Count(m.entirely_outside),
        ]
    };
    for (method, name) in [
        (
            ReleaseMethod::Cancelled,
            tr! {
                en: "Cancelled",
                km: "បានលុបចោល",
                lo: "ຍົກເລີກ",
                th: "ยกเลิก",
                vi: "Hủy bỏ",
                my: "ပယ်ဖျက်",
                az: "Ləğv edilmiş",
            },
        ),
        (
            ReleaseMethod::Reduced,
            tr! {
                en: "Reduced",
                km: "បានកាត់បន្ថយ",
                lo: "ຫຼຸດຜ່ອນ",
                th: "ลดพื้นที่",
                vi: "Thu hẹp",
                my: "လျှော့ချ",
                az: "Azaldılmış",
            },
        ),
        (
            ReleaseMethod::Cleared,
            tr! {
                en: "Cleared",
                km: "បានបោសសម្អាត",
                lo: "ເກັບກູ້ແລ້ວ",
                th: "เก็บกู้แล้ว",
                vi: "Đã rà phá",
                my: "ရှင်းလင်းပြီး",
                az: "Təmizlənmiş",
            },
        ),
    ] {
        let mut row = vec![Cell::Text(l.pick(name).to_owned())];
        row.extend(cells(outside.method(method)));
        t.rows.push(row);
    }
    let mut total = vec![Cell::Text(i18n::total(l))];
    total.extend(cells(&outside.total));
    t.total = Some(total);
    t.notes = vec![
        l.pick(
            tr! {
                en: "Each released polygon counts with the part of it outside every hazard its activity \
             is linked to (the whole polygon when the activity names no hazard); parts of at \
             most 1 m² per activity and method only touch a hazard and count as none.",
                km: "ដីដែលបានដោះលែងនីមួយៗ ត្រូវបានរាប់តែផ្នែកដែលនៅក្រៅតំបន់គ្រោះថ្នាក់ទាំងអស់ដែលសកម្មភាពភ្ជាប់ \
             (ទាំងមូល នៅពេលសកម្មភាពមិនបញ្ជាក់តំបន់គ្រោះថ្នាក់)។ ផ្នែកតូចជាង ឬស្មើ 1 ម² មិនត្រូវបានរាប់ទេ។",
                lo: "ແຕ່ລະຮູບຫຼາຍແຈທີ່ໄດ້ປົດປ່ອຍ ນັບສະເພາະສ່ວນທີ່ຢູ່ນອກທຸກພື້ນທີ່ອັນຕະລາຍທີ່ກິດຈະກຳເຊື່ອມໂຍງ (ທັງຮູບ ເມື່ອກິດຈະກຳບໍ່ໄດ້ລະບຸພື້ນທີ່ອັນຕະລາຍ); ສ່ວນທີ່ບໍ່ເກີນ 1 ມ² ຕໍ່ກິດຈະກຳ ແລະ ວິທີການ ພຽງແຕ່ສຳຜັດພື້ນທີ່ອັນຕະລາຍ ແລະ ນັບເປັນສູນ.",
                th: "รูปหลายเหลี่ยมที่ปลดปล่อยแต่ละรูปนับเฉพาะส่วนที่อยู่นอกพื้นที่อันตรายทุกแห่งที่กิจกรรมเชื่อมโยงอยู่ (ทั้งรูป หากกิจกรรมไม่ได้ระบุพื้นที่อันตราย) ส่วนที่ไม่เกิน 1 ตร.ม. ต่อกิจกรรมและวิธีการเป็นเพียงการแตะขอบพื้นที่อันตรายและนับเป็นศูนย์",
                vi: "Mỗi đa giác được giải phóng được tính phần nằm ngoài mọi khu vực nguy hiểm mà hoạt động liên kết (toàn bộ đa giác khi hoạt động không nêu khu vực nào); phần không quá 1 m² cho mỗi hoạt động và phương pháp chỉ chạm khu vực nguy hiểm và được tính là không.",
                my: "လွှတ်ပေးသည့် ဧရိယာပုံတစ်ခုစီကို ၎င်း၏လုပ်ငန်းနှင့် ချိတ်ဆက်ထားသော အန္တရာယ်ရှိဧရိယာအားလုံး၏ ပြင်ပရှိ အစိတ်အပိုင်းဖြင့် ရေတွက်သည် (လုပ်ငန်းက အန္တရာယ်ရှိဧရိယာ မဖော်ပြလျှင် ပုံတစ်ခုလုံး)၊ လုပ်ငန်းနှင့် နည်းလမ်းတစ်ခုလျှင် 1 စ.မ ထက်မပိုသော အစိတ်အပိုင်းများသည် အန္တရာယ်ရှိဧရိယာကို ထိရုံသာဖြစ်၍ သုညအဖြစ် ရေတွက်သည်။",
                az: "Hər azad edilmiş çoxbucaqlı fəaliyyətinin bağlı olduğu bütün təhlükəli ərazilərdən kənarda qalan hissəsi ilə sayılır (fəaliyyət heç bir təhlükəli ərazi göstərmirsə, bütün çoxbucaqlı); fəaliyyət və üsul üzrə ən çoxu 1 m² olan hissələr təhlükəli əraziyə yalnız toxunur və sıfır sayılır.",
            },
        )
        .to_owned(),
        l.pick(
            tr! {
                en: "The period applies to the date of information of the activity report; the admin \
             area is the activity's (or its first hazard's); with an organisation or a donor \
             selected, only the activities it carried out or funded count.",
                km: "រយៈពេលអនុវត្តលើកាលបរិច្ឆេទព័ត៌មាននៃរបាយការណ៍សកម្មភាព។ តំបន់រដ្ឋបាលគឺរបស់សកម្មភាព \
             (ឬតំបន់គ្រោះថ្នាក់ទីមួយរបស់វា)។ នៅពេលជ្រើសរើសអង្គការ ឬម្ចាស់ជំនួយ មានតែសកម្មភាពដែលអង្គការនោះបានអនុវត្ត \
             ឬម្ចាស់ជំនួយនោះបានឧបត្ថម្ភប៉ុណ្ណោះដែលត្រូវបានរាប់។",
                lo: "ໄລຍະເວລານຳໃຊ້ກັບວັນທີຂໍ້ມູນຂອງບົດລາຍງານກິດຈະກຳ; ເຂດປົກຄອງແມ່ນຂອງກິດຈະກຳ (ຫຼື ຂອງພື້ນທີ່ອັນຕະລາຍທຳອິດຂອງມັນ); ເມື່ອເລືອກອົງການ ຫຼື ຜູ້ໃຫ້ທຶນ, ນັບສະເພາະກິດຈະກຳທີ່ອົງການນັ້ນປະຕິບັດ ຫຼື ໃຫ້ທຶນ.",
                th: "ช่วงเวลาใช้กับวันที่ข้อมูลของรายงานกิจกรรม เขตการปกครองเป็นของกิจกรรม (หรือของพื้นที่อันตรายแห่งแรก) เมื่อเลือกองค์กรหรือผู้ให้ทุน จะนับเฉพาะกิจกรรมที่องค์กรนั้นดำเนินการหรือให้ทุน",
                vi: "Kỳ báo cáo áp dụng cho ngày thông tin của báo cáo hoạt động; đơn vị hành chính là của hoạt động (hoặc của khu vực nguy hiểm đầu tiên); khi chọn một tổ chức hoặc nhà tài trợ, chỉ tính các hoạt động do tổ chức đó thực hiện hoặc tài trợ.",
                my: "ကာလသည် လုပ်ငန်းအစီရင်ခံစာ၏ သတင်းအချက်အလက်ရက်စွဲနှင့် သက်ဆိုင်သည်၊ အုပ်ချုပ်ရေးနယ်မြေသည် လုပ်ငန်း၏ (သို့မဟုတ် ၎င်း၏ ပထမ အန္တရာယ်ရှိဧရိယာ၏) နယ်မြေဖြစ်သည်၊ အဖွဲ့အစည်း သို့မဟုတ် အလှူရှင်ကို ရွေးချယ်ထားလျှင် ၎င်းဆောင်ရွက်ခဲ့သော သို့မဟုတ် ငွေကြေးထောက်ပံ့ခဲ့သော လုပ်ငန်းများကိုသာ ရေတွက်သည်။",
                az: "Dövr fəaliyyət hesabatının məlumat tarixinə tətbiq edilir; inzibati ərazi fəaliyyətin (və ya onun ilk təhlükəli ərazisinin) ərazisidir; təşkilat və ya donor seçildikdə yalnız onun həyata keçirdiyi və ya maliyyələşdirdiyi fəaliyyətlər sayılır.",
            },
        )
        .to_owned(),
    ];
    t
}
