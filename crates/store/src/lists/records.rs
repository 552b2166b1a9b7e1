//! The records list's query (any kind of record as flat rows): text search, filters on
//! top-level fields, order and one page, answered in SQL by each backend so that a page of a
//! million EO finds does not read them all.

use safeground_model::ItemKind;

use super::Dialect;
use crate::ItemVersion;

/// What the records list shows: which records of a kind, in which order, which page.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordListQuery {
    /// Kind of record.
    pub kind: ItemKind,
    /// Text searched in the id, the date of information and every top-level field's text,
    /// ignoring the case of ASCII letters.
    pub text: Option<String>,
    /// `(field, value)`: the field's text equals the value ignoring ASCII case, or, with `*`
    /// at the start and/or end of the value, ends with / starts with / contains it. Fields are
    /// `id`, `date_of_information` or a top-level field of the record; an absent or null
    /// field's text is empty.
    pub filters: Vec<(String, String)>,
    /// Field the rows are ordered by (numbers by value, anything else by text); ties by id.
    pub sort: String,
    /// Largest first (the tie-break by id is reversed too).
    pub descending: bool,
    /// Rows to skip.
    pub offset: usize,
    /// Rows to return.
    pub limit: usize,
}

/// One page of the records list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordListPage {
    /// Records matching, all pages together.
    pub total: usize,
    /// The first record of the kind in id order, whatever the filters (its fields name the
    /// list's columns).
    pub first: Option<ItemVersion>,
    /// The page's records (current versions).
    pub versions: Vec<ItemVersion>,
}

/// Whether `name` can be a field of the list: letters, digits and `_`.
pub fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// SQL for the list and its text parameters; records come as `item_id, report_id, valid_from,
/// recorded_at, record` (as text).
pub(crate) struct Statements {
    /// Counts the matching records (needed only when the page is empty: each of its rows
    /// carries the count as a sixth column).
    pub count: String,
    /// The first record of the kind in id order (parameter 1 only).
    pub first: String,
    /// The page, with the number of matching records as a sixth column.
    pub page: String,
    /// Parameters, all text, numbered from 1: the page takes them all, the count the first
    /// `filter_params`.
    pub params: Vec<String>,
    /// How many of `params` the filters take.
    pub filter_params: usize,
}

/// The statements answering `q` in dialect `d`.
pub(crate) fn statements(q: &RecordListQuery, d: &Dialect) -> Statements {
    let mut params = vec![q.kind.code().to_owned()];
    let param = |params: &mut Vec<String>, value: String| {
        params.push(value);
        format!("{}{}{}", d.param, params.len(), d.text)
    };
    let text_of = |field: &str, params: &mut Vec<String>| match field {
        "id" => "i.id".to_owned(),
        "date_of_information" => d.date_text.to_owned(),
        name => d.field_text.replace("{p}", &param(params, (d.path)(name))),
    };
    let mut conditions = vec![format!("i.kind = {}1{}", d.param, d.text)];
    if let Some(text) = q.text.as_deref().filter(|t| !t.is_empty()) {
        let needle = param(&mut params, text.to_ascii_lowercase());
        // Text found in a field is found in the record's JSON text too, unless JSON escapes
        // it: that cheap test comes first.
        let escaped = text
            .chars()
            .any(|c| c == '"' || c == '\\' || c.is_control());
        let anywhere = if escaped {
            String::new()
        } else {
            format!("{}(lower({}), {needle}) > 0 AND ", d.position, d.record)
        };
        conditions.push(format!(
            "({pos}(lower(i.id), {needle}) > 0 OR {pos}({date}, {needle}) > 0 \
             OR ({anywhere}{any}))",
            pos = d.position,
            date = d.date_text,
            any = d.any_field.replace("{q}", &needle)
        ));
    }
    for (field, want) in &q.filters {
        let value = format!("lower({})", text_of(field, &mut params));
        let want = want.to_ascii_lowercase();
        let condition = match (want.strip_prefix('*'), want.strip_suffix('*')) {
            (Some(rest), _) if rest.ends_with('*') => {
                let p = param(&mut params, rest.trim_end_matches('*').to_owned());
                format!("{}({value}, {p}) > 0", d.position)
            }
            (Some(rest), _) => {
                let p = param(&mut params, rest.to_owned());
                format!("substr({value}, length({value}) - length({p}) + 1) = {p}")
            }
            (None, Some(rest)) => {
                let p = param(&mut params, rest.to_owned());
                format!("substr({value}, 1, length({p})) = {p}")
            }
            (None, None) => format!("{value} = {}", param(&mut params, want.clone())),
        };
        conditions.push(condition);
    }
    let filter_params = params.len();
    let (number, text) = match q.sort.as_str() {
        "id" => (None, "i.id".to_owned()),
        "date_of_information" => (None, d.date_text.to_owned()),
        name => {
            let p = param(&mut params, (d.path)(name));
            (
                Some(d.field_number.replace("{p}", &p)),
                d.field_text.replace("{p}", &p),
            )
        }
    };
    let (dir, nulls) = if q.descending {
        ("DESC", "NULLS LAST")
    } else {
        ("ASC", "NULLS FIRST")
    };
    let b = d.bytewise;
    // Numbers first by value (nulls and text before them, as their empty text sorts first).
    let number = number.map_or(String::new(), |n| format!("{n} {dir} {nulls}, "));
    let columns = format!(
        "i.id, v.report_id, v.valid_from, v.recorded_at, {}, {}",
        d.record, d.record_geometry
    );
    let all_of_kind = conditions.len() == 1;
    let current = d.current.replace("{items}", "item i");
    let from = format!("{current} WHERE {}", conditions.join(" AND "));
    let (count, page) = if all_of_kind && q.sort == "id" {
        // Every record in id order: the page of ids first, then their current versions.
        let ids = format!(
            "(SELECT i.id, count(*) OVER () AS total FROM item i WHERE {} \
             ORDER BY i.id{b} {dir} LIMIT {} OFFSET {}) i",
            conditions[0], q.limit, q.offset
        );
        (
            format!("SELECT count(*) FROM item i WHERE {}", conditions[0]),
            format!(
                "SELECT {columns}, i.total FROM {} ORDER BY i.id{b} {dir}",
                d.current.replace("{items}", &ids)
            ),
        )
    } else {
        (
            format!("SELECT count(*) FROM {from}"),
            format!(
                "SELECT {columns}, count(*) OVER () FROM {from} \
                 ORDER BY {number}{text}{b} {dir}, i.id{b} {dir} LIMIT {} OFFSET {}",
                q.limit, q.offset
            ),
        )
    };
    Statements {
        count,
        first: format!(
            "SELECT {columns} FROM {current} WHERE {} ORDER BY i.id{b} LIMIT 1",
            conditions[0]
        ),
        page,
        params,
        filter_params,
    }
}
