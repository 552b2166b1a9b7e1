//! How each report language writes a day: the one source of the report engine
//! (`safeground-report`) and of the PDF renderer (`safeground-report-pdf`), which shares no
//! other crate of ours with it (so that the report engine never waits for typst). Plain data
//! and two functions (`of` is `const`, for the renderer's label tables), with no dependency.

/// How a language writes a day; digits are Latin in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// ISO 8601, `2025-12-31`.
    Iso,
    /// Day, month and year as two, two and four digits with this separator: `31/12/2025`.
    Numeric(char),
    /// The day, the month's name and the year, the year plus `year_offset`: `31 ธันวาคม 2568`.
    Named {
        /// The months' names, January first.
        months: &'static [&'static str; 12],
        /// Added to the Common Era's year (543 for the Thai Buddhist Era).
        year_offset: i32,
    },
}

/// Thai month names.
const TH_MONTHS: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// Burmese month names.
const MY_MONTHS: [&str; 12] = [
    "ဇန်နဝါရီ",
    "ဖေဖော်ဝါရီ",
    "မတ်",
    "ဧပြီ",
    "မေ",
    "ဇွန်",
    "ဇူလိုင်",
    "ဩဂုတ်",
    "စက်တင်ဘာ",
    "အောက်တိုဘာ",
    "နိုဝင်ဘာ",
    "ဒီဇင်ဘာ",
];

/// Years of the Thai Buddhist Era are the Common Era's plus 543.
const BUDDHIST_ERA: i32 = 543;

/// Whether `a` and `b` are the same text (`==` is not `const` on strings).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl DateStyle {
    /// The style of the report language with this code: ISO 8601 in English and Khmer,
    /// day/month/year in Lao and Vietnamese, day.month.year in Azerbaijani, the day, the
    /// month's name and the year of the Buddhist Era in Thai, the day, the month's name and the
    /// year in Burmese; ISO 8601 for any other code.
    pub const fn of(code: &str) -> DateStyle {
        if same(code, "lo") || same(code, "vi") {
            DateStyle::Numeric('/')
        } else if same(code, "az") {
            DateStyle::Numeric('.')
        } else if same(code, "th") {
            DateStyle::Named {
                months: &TH_MONTHS,
                year_offset: BUDDHIST_ERA,
            }
        } else if same(code, "my") {
            DateStyle::Named {
                months: &MY_MONTHS,
                year_offset: 0,
            }
        } else {
            DateStyle::Iso
        }
    }

    /// The day `day` of month `month` (1–12; clamped) of `year` in this style.
    pub fn format(self, year: i32, month: u32, day: u32) -> String {
        match self {
            DateStyle::Iso => format!("{year:04}-{month:02}-{day:02}"),
            DateStyle::Numeric(sep) => format!("{day:02}{sep}{month:02}{sep}{year}"),
            DateStyle::Named {
                months,
                year_offset,
            } => {
                let name = months[month.clamp(1, 12) as usize - 1];
                format!("{day} {name} {}", year + year_offset)
            }
        }
    }
}

#[cfg(test)]
mod date_style_tests {
    use super::DateStyle;

    #[test]
    fn each_language_writes_a_day_its_way() {
        let dates: Vec<String> = ["en", "km", "lo", "th", "vi", "my", "az", "xx"]
            .iter()
            .map(|code| DateStyle::of(code).format(2025, 3, 9))
            .collect();
        assert_eq!(
            dates,
            [
                "2025-03-09",
                "2025-03-09",
                "09/03/2025",
                "9 มีนาคม 2568",
                "09/03/2025",
                "9 မတ် 2025",
                "09.03.2025",
                "2025-03-09"
            ]
        );
        for code in ["th", "my"] {
            let DateStyle::Named { months, .. } = DateStyle::of(code) else {
                panic!("{code} names its months");
            };
            assert!(months.iter().all(|m| !m.trim().is_empty()), "{code}");
        }
        assert_eq!(DateStyle::of("th").format(2025, 13, 1), "1 ธันวาคม 2568");
    }
}
