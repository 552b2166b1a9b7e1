//! The report as an XLSX workbook: one sheet per table, with the title, the parameters, the
//! as-of point and what the table counts on rows 1–4, the column titles on row 5. The workbook's creation time is the as-of date, never the
//! clock, so the same report always gives the same bytes.

use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::lang::tr;
use crate::table::{Cell, ColumnKind};
use crate::{Report, ReportError};

/// Excel's longest sheet name.
const SHEET_NAME: usize = 31;

fn day(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    // Years outside 1900..=9999 are refused by ExcelDateTime itself.
    let year = u16::try_from(d.year()).unwrap_or(0);
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Row 2: the selection.
fn parameters_line(r: &Report) -> String {
    let p = &r.params;
    let l = p.language;
    let all = l.pick(tr! {
        en: "all",
        km: "ទាំងអស់",
        lo: "ທັງໝົດ",
        th: "ทั้งหมด",
        vi: "tất cả",
        my: "အားလုံး",
        az: "hamısı",
    });
    let date = |d: Option<chrono::NaiveDate>, none: &str| d.map_or(none.to_owned(), |d| l.date(d));
    let mut parts = vec![
        format!(
            "{}: {} – {}",
            l.pick(tr! {
                en: "Period",
                km: "រយៈពេល",
                lo: "ໄລຍະເວລາ",
                th: "ช่วงเวลา",
                vi: "Kỳ báo cáo",
                my: "ကာလ",
                az: "Dövr",
            }),
            date(
                p.from,
                l.pick(tr! {
                    en: "beginning",
                    km: "ដើមដំបូង",
                    lo: "ເລີ່ມຕົ້ນ",
                    th: "เริ่มต้น",
                    vi: "từ đầu",
                    my: "အစ",
                    az: "başlanğıc",
                })
            ),
            date(
                p.to,
                l.pick(tr! {
                    en: "as-of date",
                    km: "កាលបរិច្ឆេទរបាយការណ៍",
                    lo: "ວັນທີລາຍງານ",
                    th: "วันที่รายงาน",
                    vi: "ngày báo cáo",
                    my: "အစီရင်ခံသည့်ရက်စွဲ",
                    az: "hesabat tarixi",
                })
            )
        ),
        format!(
            "{}: {}",
            l.pick(tr! {
                en: "Admin area",
                km: "តំបន់រដ្ឋបាល",
                lo: "ເຂດປົກຄອງ",
                th: "เขตการปกครอง",
                vi: "Đơn vị hành chính",
                my: "အုပ်ချုပ်ရေးနယ်မြေ",
                az: "İnzibati ərazi",
            }),
            p.admin_area.as_deref().unwrap_or(all)
        ),
        format!(
            "{}: {}",
            l.pick(tr! {
                en: "Organisation",
                km: "អង្គការ",
                lo: "ອົງການ",
                th: "องค์กร",
                vi: "Tổ chức",
                my: "အဖွဲ့အစည်း",
                az: "Təşkilat",
            }),
            p.organisation.as_deref().unwrap_or(all)
        ),
        format!(
            "{}: {}",
            l.pick(tr! {
                en: "Donor",
                km: "ម្ចាស់ជំនួយ",
                lo: "ຜູ້ໃຫ້ທຶນ",
                th: "ผู้ให้ทุน",
                vi: "Nhà tài trợ",
                my: "အလှူရှင်",
                az: "Donor",
            }),
            p.donor.as_deref().unwrap_or(all)
        ),
    ];
    if let Some(d) = p.treaty_deadline {
        parts.push(format!(
            "{}: {}",
            l.pick(tr! {
                en: "Treaty deadline",
                km: "ថ្ងៃផុតកំណត់តាមសន្ធិសញ្ញា",
                lo: "ກຳນົດເວລາຕາມສົນທິສັນຍາ",
                th: "กำหนดเวลาตามสนธิสัญญา",
                vi: "Thời hạn theo điều ước",
                my: "စာချုပ်ပါ သတ်မှတ်ရက်",
                az: "Müqavilə üzrə son müddət",
            }),
            l.date(d)
        ));
    }
    if let Some(t) = p.suppression_threshold {
        parts.push(format!(
            "{}: {t}",
            l.pick(tr! {
                en: "Suppression threshold",
                km: "កម្រិតលាក់ចំនួនតូច",
                lo: "ເກນການປົກປິດ",
                th: "เกณฑ์การปกปิดข้อมูล",
                vi: "Ngưỡng ẩn số liệu",
                my: "ဖုံးကွယ်မှု အဆင့်သတ်မှတ်ချက်",
                az: "Gizlətmə həddi",
            })
        ));
    }
    parts.join(" · ")
}

/// Row 3: the as-of point in both times.
fn as_of_line(r: &Report) -> String {
    let p = &r.params;
    let l = p.language;
    let known = match p.as_of.known_at {
        Some(t) => format!(
            "{} {}",
            l.pick(tr! {
                en: "as recorded at",
                km: "ដូចដែលបានកត់ត្រានៅ",
                lo: "ຕາມທີ່ບັນທຶກໄວ້ເມື່ອ",
                th: "ตามที่บันทึกไว้เมื่อ",
                vi: "theo ghi nhận lúc",
                my: "မှတ်တမ်းတင်ခဲ့သည့်အချိန်",
                az: "qeydə alındığı an",
            }),
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        None => l
            .pick(tr! {
                en: "with every approved report",
                km: "ជាមួយរបាយការណ៍ដែលបានអនុម័តទាំងអស់",
                lo: "ພ້ອມທຸກບົດລາຍງານທີ່ໄດ້ຮັບຮອງ",
                th: "พร้อมรายงานที่อนุมัติแล้วทั้งหมด",
                vi: "với mọi báo cáo đã được phê duyệt",
                my: "အတည်ပြုပြီး အစီရင်ခံစာအားလုံးဖြင့်",
                az: "bütün təsdiqlənmiş hesabatlarla",
            })
            .to_owned(),
    };
    l.pick(tr! {
        en: "As of {date} ({known})",
        km: "ស្ថានភាពនៅថ្ងៃ {date} ({known})",
        lo: "ນັບຮອດວັນທີ {date} ({known})",
        th: "ณ วันที่ {date} ({known})",
        vi: "Tính đến ngày {date} ({known})",
        my: "{date} နေ့ အခြေအနေ ({known})",
        az: "{date} tarixinə ({known})",
    })
    .replace("{date}", &l.date(p.as_of.date))
    .replace("{known}", &known)
}

/// Writes the report to a workbook at `path` (replacing any file there).
pub fn write_xlsx(report: &Report, path: &Path) -> Result<(), ReportError> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(&report.title)
            .set_author("Safeground")
            .set_creation_datetime(&day(report.params.as_of.date)?),
    );
    let bold = Format::new().set_bold();
    let italic = Format::new().set_italic();
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new().set_bold().set_text_wrap();
    let count = Format::new().set_num_format("#,##0");
    let area = Format::new().set_num_format("#,##0.00");
    let percent = Format::new().set_num_format("0.00");
    let date = Format::new().set_num_format(report.params.language.excel_date_format());
    let right = Format::new().set_align(rust_xlsxwriter::FormatAlign::Right);
    let params = parameters_line(report);
    let as_of = as_of_line(report);
    for t in &report.tables {
        let sheet = book.add_worksheet();
        sheet.set_name(t.id.chars().take(SHEET_NAME).collect::<String>())?;
        sheet.write_string_with_format(0, 0, &t.title, &title)?;
        sheet.write_string(1, 0, &params)?;
        sheet.write_string(2, 0, &as_of)?;
        sheet.write_string_with_format(3, 0, &t.counts, &italic)?;
        for (i, c) in t.columns.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(u16::MAX);
            let width = match c.kind {
                ColumnKind::Text => 24.0,
                ColumnKind::Date => 14.0,
                _ => 18.0,
            };
            sheet.set_column_width(col, width)?;
            sheet.write_string_with_format(4, col, &c.title, &header)?;
        }
        let mut row = 5u32;
        let rows = t.rows.iter().map(|r| (r, false));
        for (cells, is_total) in rows.chain(t.total.iter().map(|r| (r, true))) {
            for (i, c) in cells.iter().enumerate() {
                let col = u16::try_from(i).unwrap_or(u16::MAX);
                match c {
                    Cell::Empty => {}
                    Cell::Text(s) if is_total => {
                        sheet.write_string_with_format(row, col, s, &bold)?;
                    }
                    Cell::Text(s) => {
                        sheet.write_string(row, col, s)?;
                    }
                    Cell::Suppressed(s) => {
                        sheet.write_string_with_format(row, col, s, &right)?;
                    }
                    Cell::Count(n) => {
                        sheet.write_number_with_format(row, col, *n as f64, &count)?;
                    }
                    Cell::Area(v) => {
                        sheet.write_number_with_format(row, col, *v, &area)?;
                    }
                    Cell::Percent(v) => {
                        sheet.write_number_with_format(row, col, *v, &percent)?;
                    }
                    Cell::Date(d) => {
                        sheet.write_datetime_with_format(row, col, day(*d)?, &date)?;
                    }
                }
            }
            row += 1;
        }
        row += 1;
        for note in &t.notes {
            sheet.write_string(row, 0, note)?;
            row += 1;
        }
    }
    book.save(path)?;
    Ok(())
}
