//! The completion forecast table of the Article 5 report: a Monte Carlo forecast computed by
//! the caller (crate `planning`) from the remaining area, the teams and their productivity,
//! given here as plain figures — P50 and P90 completion per admin area and for the country,
//! the share of runs finishing by the deadline and the capacity the deadline needs.

use chrono::NaiveDate;

use crate::lang::tr;
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, Report};

/// One area's (or the country's) completion.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRow {
    /// Admin area P-code; None for the country.
    pub admin: Option<String>,
    /// Remaining area, m².
    pub remaining_m2: f64,
    /// Half the runs finish by this day (None: not within the forecast's horizon).
    pub p50: Option<NaiveDate>,
    /// Nine runs in ten finish by this day.
    pub p90: Option<NaiveDate>,
    /// Share of runs finishing by the deadline, 0–1.
    pub chance_by_deadline: Option<f64>,
}

/// A completion forecast to report.
#[derive(Debug, Clone, PartialEq)]
pub struct CompletionForecast {
    /// Monte Carlo runs.
    pub runs: u32,
    /// Seed (the same seed gives the same figures).
    pub seed: u64,
    /// Teams counted.
    pub teams: usize,
    /// The deadline.
    pub deadline: Option<NaiveDate>,
    /// The country first, then each admin area.
    pub rows: Vec<ForecastRow>,
    /// Multiple of today's capacity whose P90 meets the deadline.
    pub needed_factor: Option<f64>,
    /// Why there is no forecast (not enough data), when `rows` is empty.
    pub missing: Option<String>,
}

/// The table's id.
pub const FORECAST_TABLE: &str = "completion_forecast";

impl Report {
    /// Adds the completion forecast table (after the Article 5 table).
    pub fn add_completion_forecast(&mut self, f: &CompletionForecast) {
        let l = self.params.language;
        let columns = vec![
            Column::new(
                "admin_pcode",
                l.pick(tr! {
                    en: "Admin area (P-code)",
                    km: "តំបន់រដ្ឋបាល (លេខកូដ P)",
                    lo: "ເຂດປົກຄອງ (ລະຫັດ P)",
                    th: "เขตการปกครอง (รหัส P)",
                    vi: "Đơn vị hành chính (mã P)",
                    my: "အုပ်ချုပ်ရေးနယ်မြေ (P-ကုဒ်)",
                    az: "İnzibati ərazi (P-kod)",
                }),
                ColumnKind::Text,
            ),
            Column::new(
                "remaining_m2",
                l.pick(tr! {
                    en: "Remaining (m²)",
                    km: "ផ្ទៃនៅសល់ (ម²)",
                    lo: "ຄົງເຫຼືອ (ມ²)",
                    th: "คงเหลือ (ตร.ม.)",
                    vi: "Còn lại (m²)",
                    my: "ကျန်ရှိ (စ.မ)",
                    az: "Qalan (m²)",
                }),
                ColumnKind::AreaM2,
            ),
            Column::new(
                "p50",
                l.pick(tr! {
                    en: "Completion, P50",
                    km: "ការបញ្ចប់ P50",
                    lo: "ການສຳເລັດ P50",
                    th: "แล้วเสร็จ P50",
                    vi: "Hoàn thành P50",
                    my: "ပြီးဆုံးချိန် P50",
                    az: "Başa çatma P50",
                }),
                ColumnKind::Date,
            ),
            Column::new(
                "p90",
                l.pick(tr! {
                    en: "Completion, P90",
                    km: "ការបញ្ចប់ P90",
                    lo: "ການສຳເລັດ P90",
                    th: "แล้วเสร็จ P90",
                    vi: "Hoàn thành P90",
                    my: "ပြီးဆုံးချိန် P90",
                    az: "Başa çatma P90",
                }),
                ColumnKind::Date,
            ),
            Column::new(
                "chance_by_deadline",
                l.pick(tr! {
                    en: "Runs done by the deadline (%)",
                    km: "ការសាកល្បងដែលបញ្ចប់មុនថ្ងៃផុតកំណត់ (%)",
                    lo: "ການຈຳລອງທີ່ສຳເລັດກ່ອນກຳນົດ (%)",
                    th: "การจำลองที่เสร็จทันกำหนด (%)",
                    vi: "Lượt mô phỏng xong trước thời hạn (%)",
                    my: "သတ်မှတ်ရက်အမီ ပြီးသော စမ်းသပ်မှု (%)",
                    az: "Son müddətə qədər bitən simulyasiyalar (%)",
                }),
                ColumnKind::Percent,
            ),
        ];
        let mut t = Table::new(
            FORECAST_TABLE,
            l.pick(tr! {
                en: "Completion forecast (Monte Carlo)",
                km: "ការព្យាករការបញ្ចប់ (Monte Carlo)",
                lo: "ການຄາດຄະເນການສຳເລັດ (Monte Carlo)",
                th: "การพยากรณ์วันแล้วเสร็จ (Monte Carlo)",
                vi: "Dự báo hoàn thành (Monte Carlo)",
                my: "ပြီးဆုံးချိန် ခန့်မှန်းချက် (Monte Carlo)",
                az: "Başa çatma proqnozu (Monte Carlo)",
            }),
            columns,
        );
        t.counts = counts(l, f);
        let country = l.pick(tr! {
            en: "Country",
            km: "ប្រទេស",
            lo: "ປະເທດ",
            th: "ประเทศ",
            vi: "Cả nước",
            my: "တစ်နိုင်ငံလုံး",
            az: "Ölkə",
        });
        let date = |d: Option<NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
        for r in &f.rows {
            t.rows.push(vec![
                Cell::Text(r.admin.clone().unwrap_or_else(|| country.to_owned())),
                Cell::Area(r.remaining_m2),
                date(r.p50),
                date(r.p90),
                r.chance_by_deadline
                    .map_or(Cell::Empty, |c| Cell::Percent(c * 100.0)),
            ]);
        }
        if let Some(m) = &f.missing {
            t.notes.push(m.clone());
        }
        if let (Some(d), Some(k)) = (f.deadline, f.needed_factor) {
            t.notes.push(format!(
                "{} {}: {k:.2} ×",
                l.pick(tr! {
                    en: "Capacity for P90 by the deadline",
                    km: "សមត្ថភាពដែលត្រូវការសម្រាប់ P90 មុនថ្ងៃផុតកំណត់",
                    lo: "ຄວາມສາມາດທີ່ຕ້ອງການສຳລັບ P90 ກ່ອນກຳນົດ",
                    th: "ขีดความสามารถที่ต้องใช้ให้ P90 ทันกำหนด",
                    vi: "Năng lực cần để P90 kịp thời hạn",
                    my: "သတ်မှတ်ရက်အမီ P90 အတွက် လိုအပ်သော စွမ်းရည်",
                    az: "Son müddətə P90 üçün lazım olan güc",
                }),
                l.date(d)
            ));
        }
        let at = (self.tables.iter())
            .position(|x| x.id == "article5")
            .map_or(self.tables.len(), |i| i + 1);
        self.tables.insert(at, t);
    }
}

fn counts(l: Language, f: &CompletionForecast) -> String {
    format!(
        "{} ({} × {}, seed {}, {} {}).",
        l.pick(tr! {
            en: "Open hazards' remaining area worked in priority order by the land-release teams at \
                 the productivity of their asset type in approved activities; dates from repeated \
                 random draws of that productivity",
            km: "ផ្ទៃនៅសល់នៃតំបន់គ្រោះថ្នាក់បើកចំហ ដែលក្រុមដោះលែងដីធ្វើតាមលំដាប់អាទិភាព តាមផលិតភាពនៃប្រភេទធនធានរបស់ខ្លួនក្នុងសកម្មភាពដែលបានអនុម័ត កាលបរិច្ឆេទពីការចាប់ឆ្នោតផលិតភាពនោះម្តងហើយម្តងទៀត",
            lo: "ເນື້ອທີ່ຄົງເຫຼືອຂອງເຂດອັນຕະລາຍທີ່ເປີດຢູ່ ທີ່ທີມປົດປ່ອຍເນື້ອທີ່ເຮັດຕາມລຳດັບຄວາມສຳຄັນ ດ້ວຍຜະລິດຕະພາບຂອງປະເພດຊັບພະຍາກອນໃນກິດຈະກຳທີ່ອະນຸມັດ; ວັນທີຈາກການສຸ່ມຜະລິດຕະພາບນັ້ນຊ້ຳໆ",
            th: "พื้นที่คงเหลือของพื้นที่อันตรายที่เปิดอยู่ ซึ่งทีมปลดปล่อยพื้นที่ดำเนินการตามลำดับความสำคัญ ด้วยผลิตภาพของประเภทสินทรัพย์ในกิจกรรมที่อนุมัติ วันที่จากการสุ่มผลิตภาพนั้นซ้ำหลายครั้ง",
            vi: "Diện tích còn lại của các khu vực nguy hiểm đang mở, được các đội giải phóng đất xử lý theo thứ tự ưu tiên với năng suất của loại phương tiện trong các hoạt động đã duyệt; ngày tháng từ các lần rút ngẫu nhiên lặp lại năng suất đó",
            my: "ဖွင့်ထားသော အန္တရာယ်ဧရိယာများ၏ ကျန်ဧရိယာကို မြေလွှတ်ပေးရေးအဖွဲ့များက ဦးစားပေးအစီအစဉ်အတိုင်း အတည်ပြုပြီး လုပ်ငန်းများရှိ ၎င်းတို့၏ ပစ္စည်းအမျိုးအစား ထုတ်လုပ်နိုင်စွမ်းဖြင့် လုပ်ဆောင်သည်၊ ရက်စွဲများမှာ ထိုထုတ်လုပ်နိုင်စွမ်းကို ထပ်ခါထပ်ခါ ကျပန်းရွေးချယ်မှုမှ",
            az: "Açıq təhlükəli ərazilərin qalan sahəsi torpaq azadetmə qrupları tərəfindən prioritet sırası ilə, təsdiqlənmiş fəaliyyətlərdəki aktiv növünün məhsuldarlığı ilə işlənir; tarixlər həmin məhsuldarlığın təkrar təsadüfi seçimlərindən",
        }),
        f.runs,
        l.pick(tr! {
            en: "runs",
            km: "ដង",
            lo: "ຄັ້ງ",
            th: "รอบ",
            vi: "lượt",
            my: "ကြိမ်",
            az: "dəfə",
        }),
        f.seed,
        f.teams,
        l.pick(tr! {
            en: "teams",
            km: "ក្រុម",
            lo: "ທີມ",
            th: "ทีม",
            vi: "đội",
            my: "အဖွဲ့",
            az: "qrup",
        }),
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn the_forecast_table_follows_the_article_5_table() {
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        let mut report = Report {
            title: String::new(),
            params: crate::ReportParams::as_of(NaiveDate::MIN),
            tables: vec![
                Table::new("article5", "Article 5", vec![]),
                Table::new("other", "Other", vec![]),
            ],
            charts: vec![],
            map: serde_json::Value::Null,
        };
        report.add_completion_forecast(&CompletionForecast {
            runs: 1000,
            seed: 1,
            teams: 20,
            deadline: d("2030-12-31"),
            rows: vec![ForecastRow {
                admin: None,
                remaining_m2: 29e6,
                p50: d("2029-05-12"),
                p90: d("2029-09-11"),
                chance_by_deadline: Some(1.0),
            }],
            needed_factor: Some(0.67),
            missing: None,
        });
        let t = &report.tables[1];
        assert_eq!(t.id, FORECAST_TABLE);
        assert_eq!(t.rows[0][0], Cell::Text("Country".into()));
        assert_eq!(t.rows[0][4], Cell::Percent(100.0));
        assert!(
            t.counts.contains("1000 × runs, seed 1, 20 teams"),
            "{}",
            t.counts
        );
        assert!(t.notes[0].ends_with("2030-12-31: 0.67 ×"), "{:?}", t.notes);
    }
}
