//! Machine and robot tracks beside the clearance they document: for each track uploaded as
//! evidence for an activity in the report's period and selection, the area the machine
//! processed inside the task and its coverage, next to the area the approved report cleared.
//! Processed is not cleared (IMAS 09.50): the two stand side by side and are never added.

use chrono::NaiveDate;
use safeground_model::{Activity, ReleaseMethod};
use safeground_store::evidence::TrackSummary;

use crate::ReportParams;
use crate::lang::tr;
use crate::table::{Cell, Column, ColumnKind, Table};

/// The table's id.
pub const TRACKS_TABLE: &str = "machine_tracks";

/// The area an activity's approved report records as cleared: the geodesic areas of its
/// polygons released by clearance, m² (the figure a track's processed area stands beside).
pub fn cleared_by_report_m2(activity: &Activity) -> f64 {
    activity
        .released_areas
        .iter()
        .filter(|r| r.method == ReleaseMethod::Cleared)
        .map(|r| safeground_geo::geodesic_area(&r.geometry))
        .sum()
}

/// One track of an activity in the report.
pub(crate) struct TrackRow {
    activity: String,
    machine: String,
    robot: bool,
    started: Option<NaiveDate>,
    processed_m2: f64,
    coverage_pct: f64,
    cleared_m2: f64,
}

impl TrackRow {
    /// The row of `track`, evidence for `activity` as the report reads it.
    pub fn new(activity: &Activity, track: TrackSummary) -> Self {
        TrackRow {
            activity: activity.local_id.clone(),
            robot: track.kind == "robot",
            machine: track.machine,
            started: track.started_at.map(|t| t.date_naive()),
            processed_m2: track.processed_m2,
            coverage_pct: track.coverage_pct,
            cleared_m2: cleared_by_report_m2(activity),
        }
    }
}

/// [machine_tracks]: one row per track, in activity then track order; no total (tracks of one
/// activity may overlap, and processed never adds up to cleared).
pub(crate) fn table(rows: &[TrackRow], p: &ReportParams) -> Table {
    let l = p.language;
    // The column's title, and the kind of a machine that is not a robot.
    let machine = l.pick(tr! {
        en: "Machine",
        km: "ម៉ាស៊ីន",
        lo: "ເຄື່ອງຈັກ",
        th: "เครื่องจักร",
        vi: "Máy",
        my: "စက်",
        az: "Maşın",
    });
    let mut t = Table::new(
        TRACKS_TABLE,
        l.pick(tr! {
            en: "Machine and robot tracks: processed area beside cleared area",
            km: "ផ្លូវម៉ាស៊ីន និងរ៉ូបូត៖ ផ្ទៃដែលបានដំណើរការ ទល់នឹងផ្ទៃដែលបានបោសសម្អាត",
            lo: "ເສັ້ນທາງເຄື່ອງຈັກ ແລະ ຫຸ່ນຍົນ: ເນື້ອທີ່ທີ່ດຳເນີນການ ທຽບກັບເນື້ອທີ່ທີ່ເກັບກູ້ແລ້ວ",
            th: "เส้นทางเครื่องจักรและหุ่นยนต์: พื้นที่ที่ดำเนินการเทียบกับพื้นที่ที่เก็บกู้แล้ว",
            vi: "Vết máy và rô-bốt: diện tích đã xử lý bên cạnh diện tích đã rà phá",
            my: "စက်နှင့် စက်ရုပ် လမ်းကြောင်းများ- လုပ်ဆောင်ပြီးဧရိယာနှင့် ရှင်းလင်းပြီးဧရိယာ",
            az: "Maşın və robot izləri: emal edilmiş ərazi təmizlənmiş ərazinin yanında",
        }),
        vec![
            Column::new(
                "activity",
                l.pick(tr! {
                    en: "Activity",
                    km: "សកម្មភាព",
                    lo: "ກິດຈະກຳ",
                    th: "กิจกรรม",
                    vi: "Hoạt động",
                    my: "လုပ်ငန်း",
                    az: "Fəaliyyət",
                }),
                ColumnKind::Text,
            ),
            Column::new("machine", machine, ColumnKind::Text),
            Column::new(
                "kind",
                l.pick(tr! {
                    en: "Machine or robot",
                    km: "ម៉ាស៊ីន ឬរ៉ូបូត",
                    lo: "ເຄື່ອງຈັກ ຫຼື ຫຸ່ນຍົນ",
                    th: "เครื่องจักรหรือหุ่นยนต์",
                    vi: "Máy hay rô-bốt",
                    my: "စက် သို့မဟုတ် စက်ရုပ်",
                    az: "Maşın və ya robot",
                }),
                ColumnKind::Text,
            ),
            Column::new(
                "first_fix",
                l.pick(tr! {
                    en: "First fix",
                    km: "ទីតាំងដំបូង",
                    lo: "ຕຳແໜ່ງທຳອິດ",
                    th: "ตำแหน่งแรก",
                    vi: "Điểm định vị đầu tiên",
                    my: "ပထမ တည်နေရာ",
                    az: "İlk mövqe",
                }),
                ColumnKind::Date,
            ),
            Column::new(
                "processed_m2",
                l.pick(tr! {
                    en: "Processed inside the task (m²)",
                    km: "បានដំណើរការក្នុងភារកិច្ច (ម²)",
                    lo: "ດຳເນີນການພາຍໃນໜ້າວຽກ (ມ²)",
                    th: "ดำเนินการภายในงาน (ตร.ม.)",
                    vi: "Đã xử lý trong nhiệm vụ (m²)",
                    my: "လုပ်ငန်းတာဝန်အတွင်း လုပ်ဆောင်ပြီး (စ.မ)",
                    az: "Tapşırıq daxilində emal edilmiş (m²)",
                }),
                ColumnKind::AreaM2,
            ),
            Column::new(
                "coverage_pct",
                l.pick(tr! {
                    en: "Coverage of the task (%)",
                    km: "ការគ្របដណ្ដប់ភារកិច្ច (%)",
                    lo: "ການຄອບຄຸມໜ້າວຽກ (%)",
                    th: "ความครอบคลุมของงาน (%)",
                    vi: "Độ phủ nhiệm vụ (%)",
                    my: "လုပ်ငန်းတာဝန် လွှမ်းခြုံမှု (%)",
                    az: "Tapşırığın əhatəsi (%)",
                }),
                ColumnKind::Percent,
            ),
            Column::new(
                "cleared_by_report_m2",
                l.pick(tr! {
                    en: "Cleared, as the approved report says (m²)",
                    km: "បានបោសសម្អាត តាមរបាយការណ៍ដែលបានអនុម័ត (ម²)",
                    lo: "ເກັບກູ້ແລ້ວ ຕາມບົດລາຍງານທີ່ອະນຸມັດ (ມ²)",
                    th: "เก็บกู้แล้ว ตามรายงานที่อนุมัติ (ตร.ม.)",
                    vi: "Đã rà phá, theo báo cáo được phê duyệt (m²)",
                    my: "အတည်ပြုအစီရင်ခံစာအရ ရှင်းလင်းပြီး (စ.မ)",
                    az: "Təsdiqlənmiş hesabata görə təmizlənmiş (m²)",
                }),
                ColumnKind::AreaM2,
            ),
        ],
    );
    let robot = l.pick(tr! {
        en: "Robot",
        km: "រ៉ូបូត",
        lo: "ຫຸ່ນຍົນ",
        th: "หุ่นยนต์",
        vi: "Rô-bốt",
        my: "စက်ရုပ်",
        az: "Robot",
    });
    for r in rows {
        t.rows.push(vec![
            Cell::Text(r.activity.clone()),
            Cell::Text(r.machine.clone()),
            Cell::Text(if r.robot { robot } else { machine }.to_owned()),
            r.started.map_or(Cell::Empty, Cell::Date),
            Cell::Area(r.processed_m2),
            Cell::Percent(r.coverage_pct),
            Cell::Area(r.cleared_m2),
        ]);
    }
    t.notes = vec![
        l.pick(tr! {
            en: "Processed is not cleared (IMAS 09.50): a machine's processed area is evidence for \
                 its clearance activity, and land counts as cleared only through the approved \
                 clearance report, whose figure stands beside it. The two are never added.",
            km: "ការដំណើរការមិនមែនជាការបោសសម្អាតទេ (IMAS 09.50)៖ ផ្ទៃដែលម៉ាស៊ីនបានដំណើរការ \
                 គឺជាភស្តុតាងសម្រាប់សកម្មភាពបោសសម្អាតរបស់វា ហើយដីរាប់ថាបានបោសសម្អាតតែតាមរយៈ \
                 របាយការណ៍បោសសម្អាតដែលបានអនុម័តប៉ុណ្ណោះ ដែលតួលេខរបស់វានៅក្បែរ។ តួលេខទាំងពីរមិនត្រូវបូកបញ្ចូលគ្នាទេ។",
            lo: "ການດຳເນີນການບໍ່ແມ່ນການເກັບກູ້ (IMAS 09.50): ເນື້ອທີ່ທີ່ເຄື່ອງຈັກດຳເນີນການ ເປັນຫຼັກຖານສຳລັບກິດຈະກຳເກັບກູ້ຂອງມັນ \
                 ແລະ ເນື້ອທີ່ນັບວ່າເກັບກູ້ແລ້ວ ສະເພາະຜ່ານບົດລາຍງານການເກັບກູ້ທີ່ອະນຸມັດແລ້ວເທົ່ານັ້ນ ເຊິ່ງຕົວເລກຢູ່ຂ້າງກັນ. ບໍ່ເຄີຍລວມສອງຕົວເລກນີ້ເຂົ້າກັນ.",
            th: "การดำเนินการไม่ใช่การเก็บกู้ (IMAS 09.50): พื้นที่ที่เครื่องจักรดำเนินการเป็นหลักฐานของกิจกรรมเก็บกู้ \
                 และพื้นที่จะนับว่าเก็บกู้แล้วผ่านรายงานการเก็บกู้ที่อนุมัติแล้วเท่านั้น ซึ่งตัวเลขอยู่เคียงกัน ไม่นำสองค่านี้มารวมกัน",
            vi: "Đã xử lý không phải là đã rà phá (IMAS 09.50): diện tích máy đã xử lý là bằng chứng cho \
                 hoạt động rà phá của nó, và đất chỉ được tính là đã rà phá qua báo cáo rà phá được phê duyệt, \
                 có số liệu bên cạnh. Hai số liệu không bao giờ được cộng lại.",
            my: "လုပ်ဆောင်ပြီးခြင်းသည် ရှင်းလင်းပြီးခြင်း မဟုတ်ပါ (IMAS 09.50)- စက်၏ လုပ်ဆောင်ပြီးဧရိယာသည် \
                 ၎င်း၏ ရှင်းလင်းရေးလုပ်ငန်းအတွက် အထောက်အထားဖြစ်ပြီး မြေကို အတည်ပြုထားသော ရှင်းလင်းရေးအစီရင်ခံစာမှတစ်ဆင့်သာ \
                 ရှင်းလင်းပြီးဟု ရေတွက်သည်၊ ၎င်း၏ကိန်းဂဏန်းကို ဘေးတွင်ပြထားသည်။ နှစ်ခုကို ဘယ်တော့မှ မပေါင်းပါ။",
            az: "Emal edilmiş təmizlənmiş deyil (IMAS 09.50): maşının emal etdiyi ərazi onun təmizləmə \
                 fəaliyyəti üçün sübutdur; ərazi yalnız təsdiqlənmiş təmizləmə hesabatı ilə təmizlənmiş \
                 sayılır, onun rəqəmi yanındadır. Bu iki rəqəm heç vaxt toplanmır.",
        })
        .to_owned(),
    ];
    t
}
