//! The ranking as a table a planner opens elsewhere: CSV and XLSX, one row per hazard with its
//! rank, score and each criterion's points (the points add up to the score).

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::priority::Ranked;

/// The column headings: fixed columns, then one per criterion (`points:<id>`).
fn headings(ranked: &[Ranked]) -> Vec<String> {
    let mut h: Vec<String> = [
        "rank",
        "item",
        "local_id",
        "name",
        "admin_pcode",
        "remaining_m2",
        "score",
    ]
    .map(String::from)
    .to_vec();
    if let Some(first) = ranked.first() {
        h.extend(
            first
                .contributions
                .iter()
                .map(|c| format!("points:{}", c.criterion)),
        );
    }
    h
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The ranking as CSV (RFC 4180, UTF-8, `\r\n` line ends).
pub fn ranking_csv(ranked: &[Ranked]) -> String {
    let mut out = headings(ranked).join(",");
    out.push_str("\r\n");
    for r in ranked {
        let mut row = vec![
            r.rank.to_string(),
            csv_field(&r.item),
            csv_field(&r.local_id),
            csv_field(&r.name),
            csv_field(r.admin_pcode.as_deref().unwrap_or("")),
            format!("{:.1}", r.remaining_m2),
            format!("{:.4}", r.score),
        ];
        row.extend(r.contributions.iter().map(|c| format!("{:.4}", c.points)));
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The ranking as an XLSX workbook (one sheet, numbers as numbers).
pub fn ranking_xlsx(ranked: &[Ranked]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Ranking")?;
    for (c, h) in headings(ranked).iter().enumerate() {
        sheet.write_string(0, c as u16, h)?;
    }
    for (i, r) in ranked.iter().enumerate() {
        let row = (i + 1) as u32;
        sheet.write_number(row, 0, r.rank as f64)?;
        sheet.write_string(row, 1, &r.item)?;
        sheet.write_string(row, 2, &r.local_id)?;
        sheet.write_string(row, 3, &r.name)?;
        sheet.write_string(row, 4, r.admin_pcode.as_deref().unwrap_or(""))?;
        sheet.write_number(row, 5, r.remaining_m2)?;
        sheet.write_number(row, 6, r.score)?;
        for (k, c) in r.contributions.iter().enumerate() {
            sheet.write_number(row, (7 + k) as u16, c.points)?;
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::Contribution;

    #[test]
    fn csv_quotes_names_and_lists_each_criterions_points() {
        let r = Ranked {
            rank: 1,
            item: "HAZ-000001".into(),
            local_id: "KH-1".into(),
            name: "Canal, \"north\"".into(),
            admin_pcode: Some("KH02".into()),
            remaining_m2: 1234.56,
            score: 3.5,
            contributions: vec![Contribution {
                criterion: "casualties".into(),
                raw: 2.0,
                value: 0.5,
                weight: 7.0,
                points: 3.5,
            }],
        };
        let csv = ranking_csv(std::slice::from_ref(&r));
        assert_eq!(
            csv,
            "rank,item,local_id,name,admin_pcode,remaining_m2,score,points:casualties\r\n\
             1,HAZ-000001,KH-1,\"Canal, \"\"north\"\"\",KH02,1234.6,3.5000,3.5000\r\n"
        );
        let xlsx = ranking_xlsx(&[r]).expect("xlsx");
        assert_eq!(&xlsx[..2], b"PK");
    }
}
