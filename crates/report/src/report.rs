//! A report: its tables, charts and map, built from a store for the parameters.

use chrono::Datelike;
use safeground_store::{EvidenceStore, ProgrammeStore};
use serde_json::{Value, json};

use crate::lang::tr;
use crate::snapshot::{self, Snapshot};
use crate::table::Table;
use crate::{
    ReportError, ReportParams, assistance, counts, eo, land, outside, people, progress, remaining,
    tracks, treaty,
};

/// A chart the PDF draws from a table: one bar group per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Id of the table.
    pub table: String,
    /// Key of the column along the x axis.
    pub x: String,
    /// Keys of the columns drawn as series.
    pub series: Vec<String>,
}

impl Chart {
    fn new(table: &str, x: &str, series: &[&str]) -> Self {
        Chart {
            table: table.to_owned(),
            x: x.to_owned(),
            series: series.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

/// A built report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Title in the report's language.
    pub title: String,
    /// What it was built for.
    pub params: ReportParams,
    /// The tables, in a fixed order.
    pub tables: Vec<Table>,
    /// Charts of some tables.
    pub charts: Vec<Chart>,
    /// GeoJSON FeatureCollection of the remaining hazard polygons in the selection.
    pub map: Value,
}

/// Earliest and latest as-of years a workbook can stamp (Excel's calendar).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

impl Report {
    /// Builds every table for `params` from `store`.
    pub fn build<S: ProgrammeStore + EvidenceStore + ?Sized>(
        store: &S,
        params: &ReportParams,
    ) -> Result<Report, ReportError> {
        if !YEARS.contains(&params.as_of.date.year()) {
            return Err(ReportError::Parameters(format!(
                "the as-of date {} is not a reporting date; give a day between 1900 and 9999",
                params.as_of.date
            )));
        }
        if let Some(deadline) = params
            .treaty_deadline
            .filter(|d| !YEARS.contains(&d.year()))
        {
            return Err(ReportError::Parameters(format!(
                "the treaty deadline {deadline} is not a day between 1900 and 9999"
            )));
        }
        if let (Some(from), Some(to)) = (params.from, params.to)
            && from > to
        {
            return Err(ReportError::Parameters(format!(
                "the period ends ({to}) before it starts ({from})"
            )));
        }
        let snap = snapshot::load(store, params)?;
        let l = params.language;
        let mut tables = vec![
            land::by_admin_area(&snap, params),
            land::by_asset(&snap, params),
            land::by_contamination(&snap, params),
            land::by_year(&snap, params),
            outside::table(&snap.outside, params),
            tracks::table(&snap.tracks, params),
            remaining::remaining_by_class(&snap, params),
            progress::progress(&snap, params),
            eo::eo_destroyed(&snap, params),
            eo::eo_found(&snap, params),
            people::casualties(&snap, params),
            people::accidents(&snap, params),
            people::risk_education(&snap, params),
            assistance::victim_assistance(&snap, params),
            treaty::apmbc_form_c(&snap, params),
            treaty::apmbc_form_f_g(&snap, params),
            treaty::ccm_contaminated(&snap, params),
            treaty::ccm_clearance(&snap, params),
            progress::article5(&snap, params),
        ];
        for t in &mut tables {
            t.counts = counts::statement(&t.id, l)
                .ok_or_else(|| {
                    ReportError::Inconsistent(format!(
                        "table {} says nothing of what it counts",
                        t.id
                    ))
                })?
                .to_owned();
        }
        if let Some(first) = tables.first_mut() {
            first.notes.push(
                l.pick(
                    tr! {
                        en: "No donor selection: the data model does not record which donor funded an \
                     activity, so figures cannot be selected or broken down by donor.",
                        km: "មិនអាចជ្រើសរើសតាមម្ចាស់ជំនួយបានទេ៖ គំរូទិន្នន័យមិនកត់ត្រាថាម្ចាស់ជំនួយណាបានផ្ដល់មូលនិធិដល់សកម្មភាព \
                     ដូច្នេះតួលេខមិនអាចជ្រើសរើស ឬបែងចែកតាមម្ចាស់ជំនួយបានទេ។",
                        lo: "ບໍ່ມີການເລືອກຕາມຜູ້ໃຫ້ທຶນ: ແບບຈຳລອງຂໍ້ມູນບໍ່ໄດ້ບັນທຶກວ່າຜູ້ໃຫ້ທຶນໃດໃຫ້ທຶນແກ່ກິດຈະກຳ, ດັ່ງນັ້ນຕົວເລກບໍ່ສາມາດເລືອກ ຫຼື ແຍກຕາມຜູ້ໃຫ້ທຶນໄດ້.",
                        th: "ไม่มีการเลือกตามผู้ให้ทุน: แบบจำลองข้อมูลไม่ได้บันทึกว่าผู้ให้ทุนรายใดให้ทุนแก่กิจกรรม ดังนั้นจึงไม่สามารถเลือกหรือแยกตัวเลขตามผู้ให้ทุนได้",
                        vi: "Không chọn theo nhà tài trợ: mô hình dữ liệu không ghi nhận nhà tài trợ nào tài trợ cho một hoạt động, nên không thể chọn hay chia số liệu theo nhà tài trợ.",
                        my: "အလှူရှင်အလိုက် ရွေးချယ်မှု မရှိပါ- ဒေတာပုံစံသည် လုပ်ငန်းတစ်ခုကို မည်သည့်အလှူရှင်က ငွေကြေးထောက်ပံ့သည်ကို မှတ်တမ်းမတင်သဖြင့် ကိန်းဂဏန်းများကို အလှူရှင်အလိုက် ရွေးချယ်ခြင်း သို့မဟုတ် ခွဲခြားခြင်း မပြုနိုင်ပါ။",
                        az: "Donor seçimi yoxdur: məlumat modeli fəaliyyəti hansı donorun maliyyələşdirdiyini qeyd etmir, buna görə göstəricilər donor üzrə seçilə və ya bölünə bilməz.",
                    },
                )
                .to_owned(),
            );
        }
        let released = [
            "cancelled_m2",
            "reduced_technical_m2",
            "reduced_non_technical_m2",
            "cleared_m2",
        ];
        Ok(Report {
            title: l
                .pick(tr! {
                    en: "Mine action report",
                    km: "របាយការណ៍សកម្មភាពកម្ចាត់មីន",
                    lo: "ບົດລາຍງານວຽກງານກຳຈັດລະເບີດບໍ່ທັນແຕກ",
                    th: "รายงานการปฏิบัติการทุ่นระเบิด",
                    vi: "Báo cáo khắc phục hậu quả bom mìn",
                    my: "မြေမြှုပ်မိုင်းဆိုင်ရာ လုပ်ငန်း အစီရင်ခံစာ",
                    az: "Mina əleyhinə fəaliyyət hesabatı",
                })
                .to_owned(),
            params: params.clone(),
            tables,
            charts: vec![
                Chart::new("land_release_by_year", "year", &released),
                Chart::new("land_release_by_admin_area", "admin_pcode", &released),
                Chart::new("land_release_by_asset", "asset", &["released_m2"]),
                Chart::new("remaining_by_class", "admin_pcode", &["sha_m2", "cha_m2"]),
            ],
            map: map(&snap)?,
        })
    }

    /// The table with this id.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// The remaining hazard polygons of the selection.
fn map(snap: &Snapshot) -> Result<Value, ReportError> {
    let mut features = Vec::new();
    for h in snap.hazards.iter().filter(|h| h.is_remaining()) {
        let Some(remaining) = h.state.remaining.as_ref().filter(|g| !g.0.is_empty()) else {
            continue;
        };
        let geometry = safeground_model::geometry::multipolygon_geojson::serialize(
            remaining,
            serde_json::value::Serializer,
        )
        .map_err(|e| ReportError::Inconsistent(format!("{}: {e}", h.state.item)))?;
        features.push(json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "id": h.state.item,
                "class": h.state.class.code(),
                "remaining_m2": crate::json::round2(h.state.remaining_m2),
            },
        }));
    }
    Ok(json!({"type": "FeatureCollection", "features": features}))
}
