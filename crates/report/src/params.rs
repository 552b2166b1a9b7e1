//! What a report is about: its as-of point, period, admin area, organisation and options.

use chrono::NaiveDate;
use safeground_store::AsOf;

use crate::lang::Tr;

/// Language of titles and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Khmer.
    Km,
    /// Lao.
    Lo,
    /// Thai.
    Th,
    /// Vietnamese.
    Vi,
    /// Burmese.
    My,
    /// Azerbaijani.
    Az,
}

/// A language code that is not one of [`Language::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("language `{0}` is not available; use {list}", list = Language::code_list())]
pub struct UnknownLanguage(pub String);

impl Language {
    /// Every language, in the order of [`Language::code_list`].
    pub const ALL: [Language; 7] = [
        Language::En,
        Language::Km,
        Language::Lo,
        Language::Th,
        Language::Vi,
        Language::My,
        Language::Az,
    ];

    /// ISO 639-1 code ("en", "km", "lo", "th", "vi", "my", "az").
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Km => "km",
            Language::Lo => "lo",
            Language::Th => "th",
            Language::Vi => "vi",
            Language::My => "my",
            Language::Az => "az",
        }
    }

    /// The language of an ISO 639-1 code.
    pub fn from_code(code: &str) -> Result<Language, UnknownLanguage> {
        Language::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| UnknownLanguage(code.to_owned()))
    }

    /// The known codes as a sentence: "en, km, lo, th, vi, my or az".
    pub fn code_list() -> String {
        let codes: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
        match codes.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => codes.join(""),
        }
    }

    /// The text in this language.
    pub(crate) fn pick(self, t: Tr) -> &'static str {
        t.get(self)
    }
}

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Language::from_code(code)
    }
}

/// The selection and options of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportParams {
    /// The world as it was on `as_of.date`, as the database knew it at `as_of.known_at`. The
    /// date must be a real day (not [`AsOf::now`]): remaining figures are read on it and
    /// projections start from it.
    pub as_of: AsOf,
    /// First day of the period (inclusive); None: from the beginning.
    pub from: Option<NaiveDate>,
    /// Last day of the period (inclusive); None: up to the as-of date.
    pub to: Option<NaiveDate>,
    /// P-code prefix: "KH02" selects KH02 and its sub-areas (KH0201, ...).
    pub admin_area: Option<String>,
    /// Operator, by item id ("ORG-000002") or local id ("ORG-HALO").
    pub organisation: Option<String>,
    /// Donor (an organisation), by item id or local id: only work it funded counts.
    pub donor: Option<String>,
    /// Deadline of the national plan or treaty obligation that progress is measured against.
    pub treaty_deadline: Option<NaiveDate>,
    /// Published casualty counts from 1 to threshold − 1 are shown as "<threshold"; None: no
    /// suppression.
    pub suppression_threshold: Option<u32>,
    /// Language of titles and labels.
    pub language: Language,
}

impl ReportParams {
    /// Everything known now about the world on `date`, no other selection, in English.
    pub fn as_of(date: NaiveDate) -> Self {
        ReportParams {
            as_of: AsOf::date(date),
            from: None,
            to: None,
            admin_area: None,
            organisation: None,
            donor: None,
            treaty_deadline: None,
            suppression_threshold: None,
            language: Language::En,
        }
    }

    /// Whether a day lies in the period (and not after the as-of date).
    pub(crate) fn in_period(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f)
            && self.to.is_none_or(|t| day <= t)
            && day <= self.as_of.date
    }

    /// Whether a P-code lies in the selected admin area.
    pub(crate) fn in_admin_area(&self, pcode: Option<&str>) -> bool {
        match &self.admin_area {
            None => true,
            Some(prefix) => pcode.is_some_and(|p| p.starts_with(prefix.as_str())),
        }
    }
}
