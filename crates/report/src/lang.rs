//! Translations and locale formats of the report's own strings.
//!
//! Every string a report writes is a [`Tr`]: one text per [`Language`], built by the `tr!`
//! macro with the languages named in a fixed order. Leaving a language out does not compile,
//! and an empty or blank text fails the build too (the macro checks it in a `const`).

use chrono::{Datelike, NaiveDate};

use crate::Language;

use safeground_locale::DateStyle;

/// One string in every report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tr {
    texts: [&'static str; Language::ALL.len()],
}

impl Tr {
    /// The texts in [`Language::ALL`] order; panics (at compile time in `tr!`) when one is
    /// empty or blank.
    pub(crate) const fn new(texts: [&'static str; Language::ALL.len()]) -> Tr {
        let mut i = 0;
        while i < texts.len() {
            assert!(!blank(texts[i]), "a translation is empty");
            i += 1;
        }
        Tr { texts }
    }

    /// The text in `l`.
    pub(crate) const fn get(self, l: Language) -> &'static str {
        self.texts[l as usize]
    }
}

/// Whether `s` has nothing but ASCII white space.
const fn blank(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_whitespace() {
            return false;
        }
        i += 1;
    }
    true
}

/// A [`Tr`] from one text per language, checked when the crate compiles:
/// `tr! { en: "Total", km: "សរុប", lo: "ລວມ", th: "รวม", vi: "Tổng", my: "စုစုပေါင်း", az: "Cəmi" }`.
macro_rules! tr {
    (en: $en:expr, km: $km:expr, lo: $lo:expr, th: $th:expr, vi: $vi:expr, my: $my:expr,
     az: $az:expr $(,)?) => {{
        const T: $crate::lang::Tr = $crate::lang::Tr::new([$en, $km, $lo, $th, $vi, $my, $az]);
        T
    }};
}
pub(crate) use tr;

impl Language {
    /// A day as this language's reports write it: ISO 8601 in English and Khmer (unchanged),
    /// day/month/year in Lao and Vietnamese, day.month.year in Azerbaijani, the day, the
    /// month's name and the year of the Buddhist Era in Thai, the day, the month's name and
    /// the year in Burmese; Latin digits everywhere.
    pub fn date(self, d: NaiveDate) -> String {
        DateStyle::of(self.code()).format(d.year(), d.month(), d.day())
    }

    /// The thousands separator and decimal sign: `,` and `.` in English, Lao, Thai and
    /// Burmese; `.` and `,` in Khmer, Vietnamese and Azerbaijani.
    pub fn separators(self) -> (char, char) {
        match self {
            Language::En | Language::Lo | Language::Th | Language::My => (',', '.'),
            Language::Km | Language::Vi | Language::Az => ('.', ','),
        }
    }

    /// A whole number with this language's thousands separator.
    pub fn integer(self, value: u64) -> String {
        let digits = value.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(self.separators().0);
            }
            out.push(c);
        }
        out
    }

    /// The Excel number format of a day in this language's order (numeric: Excel would
    /// write month names and the era in its own language and calendar, not the report's).
    pub(crate) fn excel_date_format(self) -> &'static str {
        match self {
            Language::En | Language::Km => "yyyy-mm-dd",
            Language::Lo | Language::Vi | Language::Th | Language::My => "dd/mm/yyyy",
            Language::Az => "dd.mm.yyyy",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_or_blank_translation_is_refused() {
        let full = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(Tr::new(full).get(Language::Az), "g");
        for i in 0..full.len() {
            for empty in ["", "  ", "\n"] {
                let mut texts = full;
                texts[i] = empty;
                let refused = std::panic::catch_unwind(|| Tr::new(texts));
                assert!(refused.is_err(), "language {i} with {empty:?}");
            }
        }
    }

    #[test]
    fn every_language_picks_its_own_text() {
        let t = tr! { en: "Total", km: "សរុប", lo: "ລວມ", th: "รวม", vi: "Tổng",
        my: "စုစုပေါင်း", az: "Cəmi" };
        let texts: Vec<&str> = Language::ALL.iter().map(|l| l.pick(t)).collect();
        assert_eq!(
            texts,
            ["Total", "សរុប", "ລວມ", "รวม", "Tổng", "စုစုပေါင်း", "Cəmi"]
        );
    }

    #[test]
    fn dates_and_numbers_in_each_locale() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 9).expect("date");
        let dates: Vec<String> = Language::ALL.iter().map(|l| l.date(d)).collect();
        assert_eq!(
            dates,
            [
                "2025-03-09",
                "2025-03-09",
                "09/03/2025",
                "9 มีนาคม 2568",
                "09/03/2025",
                "9 မတ် 2025",
                "09.03.2025"
            ]
        );
        let n: Vec<String> = Language::ALL.iter().map(|l| l.integer(1_234_567)).collect();
        assert_eq!(
            n,
            [
                "1,234,567",
                "1.234.567",
                "1,234,567",
                "1,234,567",
                "1.234.567",
                "1,234,567",
                "1.234.567"
            ]
        );
        assert_eq!(Language::Vi.integer(999), "999");
    }
}
