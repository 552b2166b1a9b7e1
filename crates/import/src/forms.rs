//! Ready XLSForm forms for KoboToolbox and ODK, each answering the ready mapping of the same
//! name: question names are the columns the mapping reads, choice names Safeground's vocabulary
//! codes. Each form is kept as data (`forms/<name>.toml`: `settings`, `survey` rows, `choices`
//! rows) and written as the `.xlsx` those tools load.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use safeground_io::IoError;
use serde::Deserialize;

use crate::ImportError;

/// The forms that ship with Safeground: (name, TOML text).
pub const FORMS: &[(&str, &str)] = &[
    (
        "xlsform-hazardous-area",
        include_str!("../forms/xlsform-hazardous-area.toml"),
    ),
    ("xlsform-nts", include_str!("../forms/xlsform-nts.toml")),
    (
        "xlsform-eo-spot-task",
        include_str!("../forms/xlsform-eo-spot-task.toml"),
    ),
    (
        "xlsform-accident",
        include_str!("../forms/xlsform-accident.toml"),
    ),
    (
        "xlsform-risk-education",
        include_str!("../forms/xlsform-risk-education.toml"),
    ),
];

/// Columns a survey row may have, in the order they are written.
const SURVEY_COLUMNS: &[&str] = &[
    "type",
    "name",
    "label::English (en)",
    "label::Khmer (km)",
    "hint::English (en)",
    "hint::Khmer (km)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "constraint_message::Khmer (km)",
    "calculation",
    "default",
    "appearance",
];

/// Columns a choice row may have.
const CHOICE_COLUMNS: &[&str] = &[
    "list_name",
    "name",
    "label::English (en)",
    "label::Khmer (km)",
];

/// Settings a form may have.
const SETTINGS_COLUMNS: &[&str] = &[
    "form_title",
    "form_id",
    "version",
    "default_language",
    "instance_name",
];

type Row = BTreeMap<String, String>;

/// A form as stored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Form {
    settings: Row,
    survey: Vec<Row>,
    #[serde(default)]
    choices: Vec<Row>,
}

fn write_error(path: &Path, e: XlsxError) -> ImportError {
    ImportError::Io(IoError::Write(std::io::Error::other(format!(
        "{}: {e}",
        path.display()
    ))))
}

/// Refuses a row with a column the sheet does not know (a typo in a form file).
fn check_columns(
    form: &str,
    sheet: &str,
    columns: &[&str],
    rows: &[Row],
) -> Result<(), ImportError> {
    match rows
        .iter()
        .flat_map(BTreeMap::keys)
        .find(|k| !columns.contains(&k.as_str()))
    {
        Some(unknown) => Err(ImportError::Mapping(format!(
            "form {form}: the {sheet} sheet has no column `{unknown}` (known: {})",
            columns.join(", ")
        ))),
        None => Ok(()),
    }
}

/// Writes one sheet: a header of the columns some row uses, then the rows.
fn sheet(book: &mut Workbook, name: &str, columns: &[&str], rows: &[Row]) -> Result<(), XlsxError> {
    let used: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| rows.iter().any(|r| r.contains_key(*c)))
        .collect();
    let bold = Format::new().set_bold();
    let ws = book.add_worksheet().set_name(name)?;
    for (c, column) in used.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *column, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, column) in used.iter().enumerate() {
            if let Some(v) = row.get(*column) {
                ws.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes the ready form `name` (one of [`FORMS`]) as an XLSForm workbook (sheets `survey`,
/// `choices`, `settings`) at `path`, ready to upload to KoboToolbox or ODK Central.
pub fn write_xlsform(name: &str, path: &Path) -> Result<(), ImportError> {
    let (_, text) = FORMS.iter().find(|(n, _)| *n == name).ok_or_else(|| {
        ImportError::Io(IoError::Usage(format!(
            "`{name}` is not a ready form; the ready forms are {}",
            FORMS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
        )))
    })?;
    let form: Form =
        toml::from_str(text).map_err(|e| ImportError::Mapping(format!("form {name}: {e}")))?;
    let sheets = [
        ("survey", SURVEY_COLUMNS, form.survey.as_slice()),
        ("choices", CHOICE_COLUMNS, form.choices.as_slice()),
        (
            "settings",
            SETTINGS_COLUMNS,
            std::slice::from_ref(&form.settings),
        ),
    ];
    for (sheet_name, columns, rows) in sheets {
        check_columns(name, sheet_name, columns, rows)?;
    }
    let mut book = Workbook::new();
    for (sheet_name, columns, rows) in sheets {
        sheet(&mut book, sheet_name, columns, rows).map_err(|e| write_error(path, e))?;
    }
    book.save(path).map_err(|e| write_error(path, e))
}
