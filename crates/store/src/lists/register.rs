//! The hazard register's query: filters, order and one page, answered in SQL by each backend
//! so that a page of a 100,000-hazard programme reads only what it shows.

use std::str::FromStr;

use safeground_model::{HazardClass, HazardStatus};

use super::Dialect;
use crate::HazardState;

/// What the hazard register lists: which hazards, in which order, which page.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterQuery {
    /// Text searched in the id, local id and name, ignoring the case of ASCII letters.
    pub text: Option<String>,
    /// Only hazards of this class.
    pub class: Option<HazardClass>,
    /// Only hazards with this status.
    pub status: Option<HazardStatus>,
    /// Only hazards in this admin area (P-code).
    pub admin_pcode: Option<String>,
    /// Only hazards of this organisation (item id).
    pub organisation: Option<String>,
    /// Order of the rows; ties are broken by id.
    pub sort: RegisterSort,
    /// Largest first (the tie-break by id is reversed too).
    pub descending: bool,
    /// Rows to skip.
    pub offset: usize,
    /// Rows to return.
    pub limit: usize,
}

impl Default for RegisterQuery {
    fn default() -> Self {
        RegisterQuery {
            text: None,
            class: None,
            status: None,
            admin_pcode: None,
            organisation: None,
            sort: RegisterSort::Id,
            descending: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// A column the register sorts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterSort {
    /// Hazard id.
    Id,
    /// Local id.
    LocalId,
    /// Name.
    Name,
    /// Class code.
    Class,
    /// Status code.
    Status,
    /// Admin area P-code (hazards without one first).
    AdminPcode,
    /// Geodesic area of the hazard polygon.
    OriginalM2,
    /// Geodesic area still to release.
    RemainingM2,
    /// Date of information of the version in force.
    DateOfInformation,
}

impl RegisterSort {
    /// Every sort, in the order the API lists them.
    pub const ALL: [RegisterSort; 9] = [
        RegisterSort::Id,
        RegisterSort::LocalId,
        RegisterSort::Name,
        RegisterSort::Class,
        RegisterSort::Status,
        RegisterSort::AdminPcode,
        RegisterSort::OriginalM2,
        RegisterSort::RemainingM2,
        RegisterSort::DateOfInformation,
    ];

    /// The name the API uses.
    pub fn code(self) -> &'static str {
        match self {
            RegisterSort::Id => "id",
            RegisterSort::LocalId => "local_id",
            RegisterSort::Name => "name",
            RegisterSort::Class => "class",
            RegisterSort::Status => "status",
            RegisterSort::AdminPcode => "admin_pcode",
            RegisterSort::OriginalM2 => "original_m2",
            RegisterSort::RemainingM2 => "remaining_m2",
            RegisterSort::DateOfInformation => "date_of_information",
        }
    }

    /// The column of the register's rows holding the key, and whether it is text.
    fn column(self) -> (&'static str, bool) {
        match self {
            RegisterSort::Id => ("item_id", true),
            RegisterSort::LocalId => ("local_id", true),
            RegisterSort::Name => ("name", true),
            RegisterSort::Class => ("class", true),
            RegisterSort::Status => ("status", true),
            RegisterSort::AdminPcode => ("admin_pcode", true),
            RegisterSort::OriginalM2 => ("original_m2", false),
            RegisterSort::RemainingM2 => ("remaining_m2", false),
            RegisterSort::DateOfInformation => ("valid_from", false),
        }
    }
}

impl FromStr for RegisterSort {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RegisterSort::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| {
                let all: Vec<&str> = RegisterSort::ALL.iter().map(|r| r.code()).collect();
                format!("`{s}` is not sortable; use one of {}", all.join(", "))
            })
    }
}

/// One page of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterPage {
    /// Hazards matching the filters, all pages together.
    pub total: usize,
    /// The page's hazards, without their polygons (`geometry` and `remaining` are `None`).
    pub hazards: Vec<HazardState>,
}

/// The register's two statements, with their parameters numbered as [`RegisterQuery`] binds
/// them: 1 class, 2 status, 3 admin P-code, 4 organisation, 5 needle (all text or null), 6
/// limit and 7 offset (integers). The first counts the matching hazards (needed only when the
/// page does not say); the second returns the page in the column order of a hazard-state row (id,
/// class, status, admin P-code, organisation, reported, original, cancelled, reduced, cleared
/// and remaining m², two null geometries, date of information, local id, name), then the
/// number of matching hazards when it was counted in the same pass, else null.
pub(crate) fn statements(q: &RegisterQuery, d: &Dialect) -> (String, String) {
    // When the search or the order must read every row anyway, the page counts the matches in
    // the same pass; otherwise the count reads only `hazard_current` (the last column is then
    // null).
    let needs_names = q.needs_names();
    let rows = format!(
        "SELECT h.item_id, h.class, h.status, h.admin_pcode, h.organisation, h.reported_m2, \
         h.original_m2, h.cancelled_m2, h.reduced_m2, h.cleared_m2, h.remaining_m2, \
         h.valid_from, h.recorded_at, i.local_id, coalesce(h.name, i.local_id) AS name \
         FROM hazard_current h JOIN item i ON i.id = h.item_id \
         WHERE (?1{t} IS NULL OR h.class = ?1{t}) AND (?2{t} IS NULL OR h.status = ?2{t}) \
         AND (?3{t} IS NULL OR h.admin_pcode = ?3{t}) \
         AND (?4{t} IS NULL OR h.organisation = ?4{t})",
        t = d.text
    );
    let contains = |c: &str| format!("{}(lower({c}), ?5{}) > 0", d.position, d.text);
    let matching = format!(
        "SELECT * FROM ({rows}) r WHERE ?5{} IS NULL OR {} OR {} OR {}",
        d.text,
        contains("item_id"),
        contains("local_id"),
        contains("name")
    );
    let (column, text) = q.sort.column();
    let collate = if text { d.bytewise } else { "" };
    let order = if q.descending {
        format!(
            "ORDER BY {column}{collate} DESC NULLS LAST, item_id{} DESC",
            d.bytewise
        )
    } else {
        format!(
            "ORDER BY {column}{collate} ASC NULLS FIRST, item_id{} ASC",
            d.bytewise
        )
    };
    let count = format!("SELECT count(*) FROM ({matching}) m");
    let page = format!(
        "SELECT p.item_id, p.class, p.status, p.admin_pcode, p.organisation, p.reported_m2, \
         p.original_m2, p.cancelled_m2, p.reduced_m2, p.cleared_m2, p.remaining_m2, \
         {g}, {g}, p.valid_from, p.local_id, p.name, p.total \
         FROM (SELECT m.*, {total} AS total FROM ({matching}) m {order} \
         LIMIT ?6 OFFSET ?7) p {order}",
        total = if needs_names {
            "count(*) OVER ()"
        } else {
            "CAST(NULL AS bigint)"
        },
        g = d.no_geometry
    );
    let number = |sql: String| {
        if d.param == '?' {
            sql
        } else {
            sql.replace('?', &d.param.to_string())
        }
    };
    (number(count), number(page))
}

impl RegisterQuery {
    /// Whether the query needs every hazard's name (a text search or the order by name), not
    /// only the names of the page's rows.
    fn needs_names(&self) -> bool {
        self.needle().is_some() || self.sort == RegisterSort::Name
    }

    /// The needle of the text search, lower-cased as SQL's `lower` does (ASCII letters only).
    pub(crate) fn needle(&self) -> Option<String> {
        self.text
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(str::to_ascii_lowercase)
    }
}
