//! The rules of each form's record kind, in the order the server reports them.

use super::{Limit, Rule};
use crate::ItemKind;

/// The record kinds that have field forms (the browser's offline forms get their rules).
pub const FORM_KINDS: [ItemKind; 7] = [
    ItemKind::Activity,
    ItemKind::EoFind,
    ItemKind::Accident,
    ItemKind::Victim,
    ItemKind::RiskEducation,
    ItemKind::Assistance,
    ItemKind::QaVisit,
];

const ID: Rule = Rule::Id {
    field: "local_id",
    message_required: "is required",
    message: "`{value}` has leading or trailing spaces; ids must be trimmed",
};

/// Two rules: not after today, then not after the date of information (both are reported).
macro_rules! not_after_both {
    ($today:ident, $info:ident, $field:literal) => {
        const $today: Rule = Rule::NotAfter {
            field: $field,
            limit: Limit::Today,
            message: "{value} is after today ({limit})",
        };
        const $info: Rule = Rule::NotAfter {
            field: $field,
            limit: Limit::DateOfInformation,
            message: "{value} is after the date of information ({limit})",
        };
    };
}

const fn age(field: &'static str) -> Rule {
    Rule::Max {
        field,
        max: crate::MAX_AGE as f64,
        message: "{value} is not a plausible age (0–120)",
    }
}

const POINT: Rule = Rule::Point {
    field: "location",
    message: "({x}, {y}) is not a WGS 84 longitude, latitude (swapped?)",
};

not_after_both!(FOUND_TODAY, FOUND_INFO, "found_date");
not_after_both!(DESTROYED_TODAY, DESTROYED_INFO, "destroyed_date");
not_after_both!(DATE_TODAY, DATE_INFO, "date");

const EO_FIND: &[Rule] = &[
    ID,
    Rule::Min {
        field: "quantity",
        min: 1.0,
        message: "must be at least 1",
    },
    FOUND_TODAY,
    FOUND_INFO,
    DESTROYED_TODAY,
    DESTROYED_INFO,
    Rule::NotWith {
        field: "disposal",
        value: "not_disposed",
        other: "destroyed_date",
        message: "is \"not disposed\" but a destroyed date is given; give the disposal method or remove the date",
    },
    Rule::NotBefore {
        field: "destroyed_date",
        other: "found_date",
        message: "{value} is before the date found {other}",
    },
    POINT,
];

const ACCIDENT: &[Rule] = &[
    ID,
    DATE_TODAY,
    DATE_INFO,
    Rule::RequiredIf {
        field: "date",
        when: "date_known",
        message: "is required when date_known is true",
    },
    POINT,
];

const VICTIM: &[Rule] = &[ID, age("age_at_accident")];

const RISK_EDUCATION: &[Rule] = &[
    ID,
    DATE_TODAY,
    DATE_INFO,
    Rule::AnyPositive {
        field: "beneficiaries.counts",
        of: "count",
        message: "no one was reached; record at least one beneficiary count",
    },
    POINT,
];

const ASSISTANCE: &[Rule] = &[
    ID,
    DATE_TODAY,
    DATE_INFO,
    Rule::Min {
        field: "persons",
        min: 1.0,
        message: "no one was assisted; give at least 1 person",
    },
    age("age"),
];

const QA_VISIT: &[Rule] = &[
    ID,
    DATE_TODAY,
    DATE_INFO,
    Rule::Each {
        field: "non_conformities",
        rules: &[Rule::Required {
            field: "description",
            message: "is required",
        }],
    },
];

const ACTIVITY: &[Rule] = &[
    ID,
    Rule::NotBefore {
        field: "end_date",
        other: "start_date",
        message: "{value} is before the start date {other}; the end must be on or after the start",
    },
    Rule::Each {
        field: "released_areas",
        rules: &[Rule::Min {
            field: "reported_area_m2",
            min: 0.0,
            message: "{value} is not an area; give square metres ≥ 0",
        }],
    },
];

/// The rules of a record kind (none for kinds without a field form).
pub fn of(kind: ItemKind) -> &'static [Rule] {
    match kind {
        ItemKind::Activity => ACTIVITY,
        ItemKind::EoFind => EO_FIND,
        ItemKind::Accident => ACCIDENT,
        ItemKind::Victim => VICTIM,
        ItemKind::RiskEducation => RISK_EDUCATION,
        ItemKind::Assistance => ASSISTANCE,
        ItemKind::QaVisit => QA_VISIT,
        ItemKind::Organisation | ItemKind::Team | ItemKind::AdminArea | ItemKind::Hazard => &[],
    }
}
