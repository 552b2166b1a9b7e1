//! The ready XLSForm forms, written and read back as a workbook: well formed for XLSForm tools
//! (checked here, without pyxform), every column their mapping reads a question, every choice
//! a Safeground vocabulary code, the main questions labelled in Khmer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

use calamine::{Data, Reader, Xlsx, open_workbook};
use safeground_import::{BUILTIN, FORMS, FieldSpec, Mapping, write_xlsform};
use safeground_model::{
    ActivityAtTimeOfAccident, ActivityStatus, CasualtyOutcome, ContaminationType, DisposalMethod,
    EducationMethod, EvidenceType, HazardClass, ItemCondition, OrdnanceCategory, Sex,
};

type Row = BTreeMap<String, String>;

/// A sheet as rows of (column → text).
fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Row> {
    let range = book.worksheet_range(name).expect("sheet");
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    rows.map(|cells| {
        header
            .iter()
            .zip(cells)
            .filter(|(_, c)| **c != Data::Empty)
            .map(|(h, c)| (h.clone(), c.to_string()))
            .collect()
    })
    .collect()
}

struct Form {
    survey: Vec<Row>,
    choices: Vec<Row>,
    settings: Row,
}

fn read_form(path: &Path) -> Form {
    let mut book: Xlsx<_> = open_workbook(path).expect("workbook");
    assert_eq!(book.sheet_names(), ["survey", "choices", "settings"]);
    let mut settings = sheet(&mut book, "settings");
    assert_eq!(settings.len(), 1);
    Form {
        survey: sheet(&mut book, "survey"),
        choices: sheet(&mut book, "choices"),
        settings: settings.remove(0),
    }
}

fn get<'a>(row: &'a Row, column: &str) -> &'a str {
    row.get(column).map_or("", String::as_str)
}

/// Every column a mapping reads (`parent.` stripped), and the repeat groups it reads.
fn columns_read(mapping: &Mapping) -> BTreeSet<String> {
    fn template(t: &str, out: &mut BTreeSet<String>) {
        for part in t.split('{').skip(1) {
            let name = part.split('}').next().unwrap_or_default();
            if !matches!(name, "index" | "row") {
                out.insert(name.trim_start_matches("parent.").to_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    let specs = mapping
        .fields
        .values()
        .chain(mapping.lists.iter().flat_map(|l| l.fields.values()))
        .chain(
            mapping
                .entries
                .iter()
                .flat_map(|e| e.fields.values().chain(e.personal_data.values())),
        )
        .chain(mapping.report.date_of_information.iter())
        .chain(mapping.report.organisation.iter());
    for spec in specs {
        let rule = match spec {
            FieldSpec::Column(c) => {
                out.insert(c.trim_start_matches("parent.").to_owned());
                continue;
            }
            FieldSpec::Rule(r) => r,
        };
        for name in rule.column.iter().flat_map(|c| c.names()) {
            out.insert(name.trim_start_matches("parent.").to_owned());
        }
        for c in [
            &rule.lon,
            &rule.lat,
            &rule.zone,
            &rule.easting,
            &rule.northing,
        ] {
            out.extend(c.iter().cloned());
        }
        if let Some(t) = &rule.template {
            template(t, &mut out);
        }
    }
    if let Some(t) = &mapping.title {
        template(t, &mut out);
    }
    out.extend(mapping.skip.keys().cloned());
    out.extend(mapping.lists.iter().filter_map(|l| l.repeat.clone()));
    out.extend(mapping.entries.iter().map(|e| e.repeat.clone()));
    out
}

/// Whether `name` is the code of a value of the vocabulary behind choice list `list`.
fn is_code(list: &str, name: &str) -> bool {
    fn code<T: FromStr + std::fmt::Display>(name: &str) -> bool {
        T::from_str(name).is_ok_and(|v| v.to_string() == name)
    }
    match list {
        "yes_no" => matches!(name, "yes" | "no"),
        "hazard_class" => code::<HazardClass>(name),
        "evidence_type" => code::<EvidenceType>(name),
        "contamination_type" => code::<ContaminationType>(name),
        "activity_status" => code::<ActivityStatus>(name),
        "ordnance_category" => code::<OrdnanceCategory>(name),
        "item_condition" => code::<ItemCondition>(name),
        "disposal_method" => code::<DisposalMethod>(name),
        "sex" => code::<Sex>(name),
        "casualty_outcome" => code::<CasualtyOutcome>(name),
        "activity_at_time" => code::<ActivityAtTimeOfAccident>(name),
        "education_method" => code::<EducationMethod>(name),
        other => panic!("choice list `{other}` has no vocabulary"),
    }
}

const TYPES: &[&str] = &[
    "start",
    "end",
    "today",
    "text",
    "integer",
    "decimal",
    "date",
    "geopoint",
    "geoshape",
    "calculate",
    "begin_group",
    "end_group",
    "begin_repeat",
    "end_repeat",
];

/// What pyxform would refuse: unknown types, unbalanced groups, names used twice or not valid
/// XML names, `${name}` references to nothing, select lists that do not exist, labels missing.
fn check_structure(name: &str, form: &Form) {
    let lists: BTreeSet<&str> = form.choices.iter().map(|c| get(c, "list_name")).collect();
    let names: Vec<&str> = form
        .survey
        .iter()
        .map(|r| get(r, "name"))
        .filter(|n| !n.is_empty())
        .collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "{name}: a name used twice");
    let mut open = Vec::new();
    for row in &form.survey {
        let (kind, q) = (get(row, "type"), get(row, "name"));
        let base = kind.split_whitespace().next().unwrap_or_default();
        match base {
            "select_one" | "select_multiple" => {
                let list = kind.split_whitespace().nth(1).unwrap_or_default();
                assert!(
                    lists.contains(list),
                    "{name}: {q} uses missing list `{list}`"
                );
            }
            "begin_group" | "begin_repeat" => open.push(base),
            "end_group" | "end_repeat" => {
                let begun = open.pop().unwrap_or_default();
                assert_eq!(
                    begun.replace("begin", "end"),
                    base,
                    "{name}: unbalanced at {q}"
                );
            }
            t => assert!(TYPES.contains(&t), "{name}: unknown type `{t}`"),
        }
        if !base.starts_with("end") {
            let first = q.chars().next().unwrap_or('0');
            assert!(
                (first.is_ascii_alphabetic() || first == '_')
                    && q.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)),
                "{name}: `{q}` is not an XML name"
            );
        }
        let shown =
            !matches!(base, "start" | "end" | "today" | "calculate") && !base.starts_with("end");
        if shown {
            assert!(
                !get(row, "label::English (en)").is_empty(),
                "{name}: {q} has no label"
            );
            assert!(
                !get(row, "label::Khmer (km)").is_empty(),
                "{name}: {q} has no Khmer label"
            );
        }
        if get(row, "required") == "yes" {
            assert!(shown, "{name}: {q} is required but not shown");
        }
        for expression in ["relevant", "constraint", "calculation"].map(|c| get(row, c)) {
            for part in expression.split("${").skip(1) {
                let reference = part.split('}').next().unwrap_or_default();
                assert!(
                    unique.contains(reference),
                    "{name}: {q} refers to ${{{reference}}}"
                );
            }
        }
    }
    assert!(open.is_empty(), "{name}: unclosed {open:?}");
    for key in ["form_title", "form_id", "version"] {
        assert!(
            !get(&form.settings, key).is_empty(),
            "{name}: settings lack {key}"
        );
    }
}

#[test]
fn forms_match_their_mappings_and_the_vocabularies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsform_mappings: Vec<&str> = BUILTIN
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| n.starts_with("xlsform-"))
        .collect();
    let forms: Vec<&str> = FORMS.iter().map(|(n, _)| *n).collect();
    assert_eq!(forms, xlsform_mappings, "one form per XLSForm mapping");
    let mut form_ids = BTreeSet::new();
    for name in forms {
        let path = dir.path().join(format!("{name}.xlsx"));
        write_xlsform(name, &path).expect("write form");
        let form = read_form(&path);
        check_structure(name, &form);
        assert!(form_ids.insert(get(&form.settings, "form_id").to_owned()));

        let questions: BTreeSet<&str> = form.survey.iter().map(|r| get(r, "name")).collect();
        let (mapping, _) = Mapping::load(name).expect("mapping");
        for column in columns_read(&mapping) {
            assert!(
                questions.contains(column.as_str()),
                "{name}: the mapping reads `{column}`, which the form does not ask"
            );
        }
        for choice in &form.choices {
            let (list, code) = (get(choice, "list_name"), get(choice, "name"));
            assert!(is_code(list, code), "{name}: `{code}` is not a {list} code");
            assert!(
                !get(choice, "label::Khmer (km)").is_empty(),
                "{name}: {code}"
            );
        }
    }
}

#[test]
fn an_unknown_form_names_the_ready_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = write_xlsform("xlsform-qa", &dir.path().join("qa.xlsx")).expect_err("unknown");
    let message = e.to_string();
    assert!(
        message.contains("xlsform-qa") && message.contains("xlsform-accident"),
        "{message}"
    );
    assert!(!dir.path().join("qa.xlsx").exists());
}

#[test]
fn every_ready_mapping_loads_with_a_description() {
    for (name, description) in Mapping::builtin_list() {
        assert!(!description.is_empty(), "{name}");
        let (mapping, _) = Mapping::load(&name).expect("mapping");
        assert_eq!(mapping.name.as_deref(), Some(name.as_str()));
    }
}
