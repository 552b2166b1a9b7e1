//! Printing the land-release summary and a hazard's history.

use std::io::Write;

use safeground_model::Record;
use safeground_store::{AsOf, Backend, LandReleaseRow};

use crate::Format;

const HEADERS: [&str; 6] = [
    "suspected",
    "confirmed",
    "cancelled",
    "reduced",
    "cleared",
    "remaining",
];

fn figures(r: &LandReleaseRow) -> [f64; 6] {
    [
        r.suspected_m2,
        r.confirmed_m2,
        r.cancelled_m2,
        r.reduced_m2,
        r.cleared_m2,
        r.remaining_m2,
    ]
}

/// Sums rows into a total row.
pub fn total(rows: &[LandReleaseRow]) -> LandReleaseRow {
    rows.iter().fold(
        LandReleaseRow {
            admin_pcode: "TOTAL".into(),
            ..LandReleaseRow::default()
        },
        |mut t, r| {
            t.hazards += r.hazards;
            t.suspected_m2 += r.suspected_m2;
            t.confirmed_m2 += r.confirmed_m2;
            t.cancelled_m2 += r.cancelled_m2;
            t.reduced_m2 += r.reduced_m2;
            t.cleared_m2 += r.cleared_m2;
            t.remaining_m2 += r.remaining_m2;
            t
        },
    )
}

/// Groups digits by thousands: 1234567 → "1,234,567".
fn thousands(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Prints the summary in the chosen format.
pub fn print(rows: &[LandReleaseRow], format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    let mut all = rows.to_vec();
    all.push(total(rows));
    match format {
        Format::Json => {
            let json: Vec<_> = all
                .iter()
                .map(|r| {
                    let mut obj = serde_json::json!({
                        "admin_pcode": r.admin_pcode,
                        "hazards": r.hazards,
                    });
                    for (h, v) in HEADERS.iter().zip(figures(r)) {
                        obj[format!("{h}_m2")] = serde_json::json!(v);
                        obj[format!("{h}_km2")] = serde_json::json!(v / 1e6);
                    }
                    obj
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            )
        }
        Format::Csv => {
            write!(out, "admin_pcode,hazards")?;
            for h in HEADERS {
                write!(out, ",{h}_m2,{h}_km2")?;
            }
            writeln!(out)?;
            for r in &all {
                write!(out, "{},{}", r.admin_pcode, r.hazards)?;
                for v in figures(r) {
                    write!(out, ",{v:.1},{:.6}", v / 1e6)?;
                }
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Table => {
            for (unit, scale, text) in [
                ("m²", 1.0, thousands as fn(f64) -> String),
                (
                    "km²",
                    1e6,
                    (|v: f64| format!("{v:.2}")) as fn(f64) -> String,
                ),
            ] {
                writeln!(out, "Land release by admin area ({unit})")?;
                write!(out, "{:<12} {:>8}", "admin area", "hazards")?;
                for h in HEADERS {
                    write!(out, " {h:>14}")?;
                }
                writeln!(out)?;
                for r in &all {
                    let name = if r.admin_pcode.is_empty() {
                        "(none)"
                    } else {
                        &r.admin_pcode
                    };
                    write!(out, "{name:<12} {:>8}", r.hazards)?;
                    for v in figures(r) {
                        write!(out, " {:>14}", text(v / scale))?;
                    }
                    writeln!(out)?;
                }
                writeln!(out)?;
            }
            Ok(())
        }
    }
}

/// Prints a hazard's derived state at `as_of` and all its versions.
pub fn print_hazard(
    store: &dyn Backend,
    id: &str,
    as_of: AsOf,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let state = store
        .hazard_state(id, as_of)?
        .ok_or_else(|| anyhow::anyhow!("{id} has no version at that date"))?;
    writeln!(
        out,
        "{id}: {} / {}",
        state.class.label(),
        state.status.label()
    )?;
    writeln!(
        out,
        "  admin area   {}",
        state.admin_pcode.as_deref().unwrap_or("-")
    )?;
    for (label, v) in [
        ("original", state.original_m2),
        ("cancelled", state.cancelled_m2),
        ("reduced", state.reduced_m2),
        ("cleared", state.cleared_m2),
        ("remaining", state.remaining_m2),
    ] {
        writeln!(out, "  {label:<12} {:>14} m²", thousands(v))?;
    }
    writeln!(out, "  linked:")?;
    for (field, v) in store.linked_items(id, as_of)? {
        let what = match &v.record {
            Record::Activity(a) => format!(
                "{} {} ({}), {} released area(s)",
                a.activity_type.label(),
                a.status.label().to_lowercase(),
                a.end_date.map(|d| d.to_string()).unwrap_or_default(),
                a.released_areas.len()
            ),
            Record::EoFind(e) => format!(
                "{} × {} {}",
                e.quantity,
                e.category.label(),
                e.model.as_deref().unwrap_or("")
            ),
            other => other.kind().label().to_owned(),
        };
        writeln!(out, "    {} ({field}): {what}", v.item)?;
    }
    writeln!(out, "  versions:")?;
    for v in store.versions(id)? {
        writeln!(
            out,
            "    {} (report {}, approved {})",
            v.valid_from,
            v.report,
            v.recorded_at.format("%Y-%m-%d %H:%M:%S")
        )?;
    }
    Ok(())
}
