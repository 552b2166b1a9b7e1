//! From what the user typed to a tantivy query (and the terms to highlight).
//!
//! The text is split into units, each of which must match (in the title or the body):
//! - a word outside Khmer/Lao/Thai/Burmese text: the folded word, or (English queries) its stem;
//! - an unspaced run of Khmer/Lao/Thai/Burmese: all its ICU words, or the run as a substring
//!   (a phrase of its trigrams), so "បាត់ដំបង" finds "ខេត្តបាត់ដំបង";
//! - a `"quoted phrase"`: the words in order.

use std::collections::HashSet;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhraseQuery, Query as TantivyQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{GRAM, analyze, unspaced_runs};
use crate::index::Fields;
use crate::{Language, Query, SearchError};

/// Longest query accepted, in bytes.
const MAX_QUERY_BYTES: usize = 2000;
/// Weight of a title match against a body match.
const TITLE_BOOST: f32 = 2.0;
/// Weight of a stem match (the exact word also matches and scores higher).
const STEM_BOOST: f32 = 0.5;

/// One part of a query that must match.
#[derive(Debug, Clone, PartialEq)]
enum Unit {
    /// A word (folded) and its English stem when stems are used.
    Word { word: String, stem: Option<String> },
    /// An unspaced run: its words, and its text for the trigram phrase.
    Run { words: Vec<String>, text: String },
    /// A quoted phrase of several words.
    Phrase { words: Vec<String> },
}

/// A parsed query.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    units: Vec<Unit>,
    /// Folded words to highlight.
    pub(crate) words: HashSet<String>,
    /// Stems to highlight.
    pub(crate) stems: HashSet<String>,
    /// Unspaced-script substrings to highlight.
    pub(crate) runs: Vec<String>,
}

impl Plan {
    /// Parses the query text. Errors: empty text, unclosed quote, text too long.
    pub(crate) fn new(
        query: &Query,
        words: &mut TextAnalyzer,
        stems: &mut TextAnalyzer,
    ) -> Result<Plan, SearchError> {
        let text = query.text.as_str();
        if text.len() > MAX_QUERY_BYTES {
            return Err(SearchError::QueryParse(format!(
                "it is {} bytes long, more than {MAX_QUERY_BYTES}: shorten it",
                text.len()
            )));
        }
        if let Some(last) = text.rfind('"')
            && text.matches('"').count() % 2 == 1
        {
            return Err(SearchError::QueryParse(format!(
                "the double quote at byte {last} is not closed: close the phrase with \" or remove the quote"
            )));
        }
        let use_stems = matches!(query.language, None | Some(Language::En));
        let mut plan = Plan {
            units: Vec::new(),
            words: HashSet::new(),
            stems: HashSet::new(),
            runs: Vec::new(),
        };
        for (i, part) in text.split('"').enumerate() {
            let quoted = i % 2 == 1;
            plan.add_text(part, quoted, use_stems, words, stems);
        }
        if plan.units.is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        Ok(plan)
    }

    fn add_text(
        &mut self,
        text: &str,
        quoted: bool,
        use_stems: bool,
        words: &mut TextAnalyzer,
        stems: &mut TextAnalyzer,
    ) {
        let tokens = analyze(words, text);
        let runs = unspaced_runs(text);
        let single_run = match runs.as_slice() {
            [run] => {
                let (start, end) = run.span();
                text[..start].trim().is_empty() && text[end..].trim().is_empty()
            }
            _ => false,
        };
        if quoted && tokens.len() > 1 && !single_run {
            let phrase: Vec<String> = tokens.into_iter().map(|t| t.text).collect();
            self.words.extend(phrase.iter().cloned());
            self.units.push(Unit::Phrase { words: phrase });
            return;
        }
        let mut run_words: Vec<Vec<String>> = vec![Vec::new(); runs.len()];
        for token in tokens {
            let within = runs.iter().position(|run| {
                let (start, end) = run.span();
                token.offset_from >= start && token.offset_to <= end
            });
            self.words.insert(token.text.clone());
            match within {
                Some(r) => run_words[r].push(token.text),
                None => {
                    let stem = if use_stems {
                        analyze(stems, &token.text)
                            .into_iter()
                            .next()
                            .map(|t| t.text)
                    } else {
                        None
                    };
                    if let Some(stem) = &stem {
                        self.stems.insert(stem.clone());
                    }
                    self.units.push(Unit::Word {
                        word: token.text,
                        stem,
                    });
                }
            }
        }
        for (run, words) in runs.iter().zip(run_words) {
            let text = run.text();
            if words.is_empty() && text.chars().count() < GRAM {
                continue;
            }
            self.runs.push(text.clone());
            self.units.push(Unit::Run { words, text });
        }
    }

    /// The tantivy query: every unit, the filters and the access levels must match.
    pub(crate) fn to_query(&self, query: &Query, f: &Fields) -> Box<dyn TantivyQuery> {
        let mut must: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        for unit in &self.units {
            must.push((Occur::Must, unit_query(unit, f)));
        }
        let filters = &query.filters;
        let language = filters.language.map(|l| l.code().to_string());
        for (field, value) in [
            (f.kind, &filters.kind),
            (f.language, &language),
            (f.country, &filters.country),
            (f.doc_type, &filters.doc_type),
            (f.imas_topic, &filters.imas_topic),
            (f.access, &filters.access),
            (f.organisation, &filters.organisation),
        ] {
            if let Some(value) = value {
                must.push((Occur::Must, exact(field, value)));
            }
        }
        let access: Vec<(Occur, Box<dyn TantivyQuery>)> = query
            .allowed_access
            .iter()
            .map(|a| (Occur::Should, exact(f.access, a)))
            .collect();
        must.push((Occur::Must, Box::new(BooleanQuery::new(access))));
        Box::new(BooleanQuery::new(must))
    }
}

fn exact(field: Field, value: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn term(field: Field, text: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(query: Box<dyn TantivyQuery>, boost: f32) -> Box<dyn TantivyQuery> {
    Box::new(BoostQuery::new(query, boost))
}

/// A word in the title (boosted) or the body.
fn word_query(f: &Fields, word: &str) -> Vec<(Occur, Box<dyn TantivyQuery>)> {
    vec![
        (Occur::Should, boosted(term(f.title, word), TITLE_BOOST)),
        (Occur::Should, term(f.body, word)),
    ]
}

fn phrase(field: Field, words: &[String]) -> Box<dyn TantivyQuery> {
    let terms = words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    Box::new(PhraseQuery::new(terms))
}

fn unit_query(unit: &Unit, f: &Fields) -> Box<dyn TantivyQuery> {
    match unit {
        Unit::Word { word, stem } => {
            let mut any = word_query(f, word);
            if let Some(stem) = stem {
                any.push((Occur::Should, boosted(term(f.stems, stem), STEM_BOOST)));
            }
            Box::new(BooleanQuery::new(any))
        }
        Unit::Run { words, text } => {
            let mut any: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
            if !words.is_empty() {
                let all = words
                    .iter()
                    .map(|w| {
                        let q: Box<dyn TantivyQuery> =
                            Box::new(BooleanQuery::new(word_query(f, w)));
                        (Occur::Must, q)
                    })
                    .collect();
                any.push((Occur::Should, Box::new(BooleanQuery::new(all))));
            }
            let chars: Vec<char> = text.chars().collect();
            let grams: Vec<String> = chars.windows(GRAM).map(|w| w.iter().collect()).collect();
            match grams.len() {
                0 => {}
                1 => any.push((Occur::Should, term(f.grams, &grams[0]))),
                _ => any.push((Occur::Should, phrase(f.grams, &grams))),
            }
            Box::new(BooleanQuery::new(any))
        }
        Unit::Phrase { words } => Box::new(BooleanQuery::new(vec![
            (Occur::Should, boosted(phrase(f.title, words), TITLE_BOOST)),
            (Occur::Should, phrase(f.body, words)),
        ])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;

    fn plan(text: &str) -> Result<Plan, SearchError> {
        let query = Query::new(text, vec!["public".into()]);
        Plan::new(
            &query,
            &mut Analyzer::Words.build(),
            &mut crate::analysis::stemmer(),
        )
    }

    #[test]
    fn units_by_script() {
        let p = plan("Minefields ខេត្តបាត់ដំបង \"Quảng Trị\"").expect("parses");
        assert_eq!(
            p.units,
            [
                Unit::Word {
                    word: "minefields".into(),
                    stem: Some("minefield".into())
                },
                Unit::Run {
                    words: vec!["ខេត្តបាត់ដំបង".into()],
                    text: "ខេត្តបាត់ដំបង".into()
                },
                Unit::Phrase {
                    words: vec!["quang".into(), "tri".into()]
                },
            ]
        );
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(matches!(plan("  ,.;  "), Err(SearchError::EmptyQuery)));
        assert!(matches!(plan(""), Err(SearchError::EmptyQuery)));
        let err = plan("\"mine clearance").expect_err("unclosed");
        assert!(err.to_string().contains("not closed"), "{err}");
        assert!(matches!(
            plan(&"a ".repeat(1500)),
            Err(SearchError::QueryParse(_))
        ));
    }
}
