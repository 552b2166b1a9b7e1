//! Text analysis: the tokenizers registered on the index and used for queries and snippets.
//!
//! - `sg_words`: ICU word segmentation (dictionary mode: Khmer, Lao, Thai and Burmese words are
//!   found in unspaced text; other scripts by the UAX #29 rules), lowercased; Latin-script words
//!   folded (Azerbaijani letters, then tantivy's ASCII folding for Vietnamese and the rest).
//! - `sg_stems`: the Latin-script words of `sg_words`, stemmed as English.
//! - `sg_grams`: character trigrams of each unspaced run of Khmer, Lao, Thai or Burmese text,
//!   queried as a phrase, so that any part of a run (a place name inside a compound) is found.

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language as StemLanguage, RawTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer, TokenizerManager,
};

/// Longest word indexed, in bytes (longer segments are noise: hashes, URLs).
const MAX_WORD_BYTES: usize = 120;
/// Length of the character n-grams of the `sg_grams` field.
pub(crate) const GRAM: usize = 3;
/// Position gap between two runs in `sg_grams`, so a phrase never spans runs.
const RUN_GAP: usize = 8;

/// The analyzers of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Analyzer {
    /// Words, folded.
    Words,
    /// English stems of Latin-script words.
    Stems,
    /// Trigrams of Khmer, Lao, Thai and Burmese runs.
    Grams,
}

impl Analyzer {
    /// The tokenizer's name in the index schema.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Analyzer::Words => "sg_words",
            Analyzer::Stems => "sg_stems",
            Analyzer::Grams => "sg_grams",
        }
    }

    /// A fresh text analyzer.
    pub(crate) fn build(self) -> TextAnalyzer {
        let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
        match self {
            Analyzer::Words => TextAnalyzer::builder(WordTokenizer::new(segmenter, false))
                .filter(AsciiFoldingFilter)
                .build(),
            Analyzer::Stems => TextAnalyzer::builder(WordTokenizer::new(segmenter, true))
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(StemLanguage::English))
                .build(),
            Analyzer::Grams => TextAnalyzer::builder(GramTokenizer::default()).build(),
        }
    }
}

/// Stems one folded word (a token of `sg_words`) as the `sg_stems` field does: used on query
/// words and for highlighting, without segmenting the text a second time.
pub(crate) fn stemmer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(Stemmer::new(StemLanguage::English))
        .build()
}

/// Registers the three analyzers on an index's tokenizer manager.
pub(crate) fn register(manager: &TokenizerManager) {
    for analyzer in [Analyzer::Words, Analyzer::Stems, Analyzer::Grams] {
        manager.register(analyzer.name(), analyzer.build());
    }
}

/// The tokens of `text` (text, byte offsets in `text`, position).
pub(crate) fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    tokens
}

/// Whether `c` belongs to a script written without spaces between words that ICU segments
/// with a dictionary: Thai, Lao, Burmese (Myanmar), Khmer.
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0E7F}'   // Thai
        | '\u{0E80}'..='\u{0EFF}' // Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{A9E0}'..='\u{A9FF}' // Myanmar Extended-B
        | '\u{AA60}'..='\u{AA7F}' // Myanmar Extended-A
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{19E0}'..='\u{19FF}' // Khmer Symbols
    )
}

/// Zero-width characters some writers put between Khmer or Burmese words: ignored inside runs.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}')
}

/// Lowercases a word and folds what ASCII folding gets wrong or misses: Azerbaijani ə → e
/// (ASCII folding gives "a"), ı and İ → i, and combining marks of Latin letters (decomposed
/// Vietnamese). The marks of other scripts are kept: they are vowels and tones.
pub(crate) fn fold_word(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        match c {
            'ə' | 'Ə' => out.push('e'),
            'ı' | 'İ' | 'I' => out.push('i'),
            '\u{0300}'..='\u{036F}' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
}

/// Word tokenizer on ICU's word segmenter; emits word-like segments, lowercased and folded.
#[derive(Clone)]
pub(crate) struct WordTokenizer {
    segmenter: WordSegmenterBorrowed<'static>,
    /// Only words without Khmer, Lao, Thai or Burmese letters (for the English stems).
    latin_only: bool,
    tokens: Vec<Token>,
}

impl WordTokenizer {
    fn new(segmenter: WordSegmenterBorrowed<'static>, latin_only: bool) -> Self {
        WordTokenizer {
            segmenter,
            latin_only,
            tokens: Vec::new(),
        }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        let mut start = 0;
        let mut position = 0;
        for (end, word_type) in self.segmenter.segment_str(text).iter_with_word_type() {
            let segment = &text[start..end];
            let from = start;
            start = end;
            if !word_type.is_word_like() || segment.len() > MAX_WORD_BYTES {
                continue;
            }
            if self.latin_only && segment.chars().any(is_unspaced_script) {
                continue;
            }
            let mut token = Token {
                offset_from: from,
                offset_to: end,
                position,
                ..Token::default()
            };
            fold_word(segment, &mut token.text);
            self.tokens.push(token);
            position += 1;
        }
        VecTokenStream {
            tokens: &mut self.tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

/// Trigram tokenizer over the unspaced-script runs of a text.
#[derive(Clone, Default)]
pub(crate) struct GramTokenizer {
    tokens: Vec<Token>,
}

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        let mut position = 0;
        for run in unspaced_runs(text) {
            if run.chars.len() < GRAM {
                continue;
            }
            for window in run.chars.windows(GRAM) {
                let (from, _) = window[0];
                let (last, c) = window[GRAM - 1];
                self.tokens.push(Token {
                    offset_from: from,
                    offset_to: last + c.len_utf8(),
                    position,
                    text: window.iter().map(|&(_, c)| c).collect(),
                    position_length: 1,
                });
                position += 1;
            }
            position += RUN_GAP;
        }
        VecTokenStream {
            tokens: &mut self.tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

/// A maximal run of Khmer, Lao, Thai or Burmese characters (zero-width joiners and spaces
/// dropped), with the byte offset of each character.
pub(crate) struct Run {
    pub(crate) chars: Vec<(usize, char)>,
}

impl Run {
    /// Byte range of the run in its text.
    pub(crate) fn span(&self) -> (usize, usize) {
        match (self.chars.first(), self.chars.last()) {
            (Some(&(start, _)), Some(&(last, c))) => (start, last + c.len_utf8()),
            _ => (0, 0),
        }
    }

    /// The run's text without zero-width characters.
    pub(crate) fn text(&self) -> String {
        self.chars.iter().map(|&(_, c)| c).collect()
    }
}

/// The unspaced-script runs of `text`.
pub(crate) fn unspaced_runs(text: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut current: Vec<(usize, char)> = Vec::new();
    for (i, c) in text.char_indices() {
        if is_unspaced_script(c) {
            current.push((i, c));
        } else if is_zero_width(c) && !current.is_empty() {
            continue;
        } else if !current.is_empty() {
            runs.push(Run {
                chars: std::mem::take(&mut current),
            });
        }
    }
    if !current.is_empty() {
        runs.push(Run { chars: current });
    }
    runs
}

/// A token stream over a precomputed vector.
pub(crate) struct VecTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
    /// Returned by `token()` before the first `advance()` or on an empty text.
    none: Token,
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1) {
            Some(i) => self.tokens.get(i).unwrap_or(&self.none),
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self
            .next
            .checked_sub(1)
            .and_then(|i| self.tokens.get_mut(i))
        {
            Some(token) => token,
            None => &mut self.none,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(analyzer: Analyzer, text: &str) -> Vec<String> {
        analyze(&mut analyzer.build(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn one_sentence_per_language() {
        let cases: [(&str, &[&str]); 7] = [
            (
                "Mines were cleared near Battambang.",
                &["mines", "were", "cleared", "near", "battambang"],
            ),
            (
                "ការបោសសម្អាតមីនក្នុងខេត្តបាត់ដំបង",
                &["ការបោសសម្អាត", "មីន", "ក្នុង", "ខេត្តបាត់ដំបង"],
            ),
            (
                "ລະເບີດບໍ່ທັນແຕກຢູ່ແຂວງຊຽງຂວາງ",
                &["ລະເບີດ", "ບໍ່ທັນ", "ແຕກ", "ຢູ່", "ແຂວງ", "ຊຽງຂວາງ"],
            ),
            (
                "การเก็บกู้ทุ่นระเบิดในจังหวัดสระแก้ว",
                &["การ", "เก็บ", "กู้", "ทุ่น", "ระเบิด", "ใน", "จังหวัด", "สระแก้ว"],
            ),
            ("မိုင်းရှင်းလင်းရေး", &["မိုင်း", "ရှင်းလင်း", "ရေး"]),
            (
                "Rà phá bom mìn tại tỉnh Quảng Trị",
                &["ra", "pha", "bom", "min", "tai", "tinh", "quang", "tri"],
            ),
            (
                "Ağdam rayonunda minalardan TƏMİZLƏMƏ",
                &["agdam", "rayonunda", "minalardan", "temizleme"],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(words(Analyzer::Words, text), expected, "{text}");
        }
    }

    #[test]
    fn mixed_scripts_are_segmented_by_script() {
        assert_eq!(
            words(Analyzer::Words, "របាយការណ៍ UXO survey ខេត្តបាត់ដំបង"),
            ["របាយការណ៍", "uxo", "survey", "ខេត្តបាត់ដំបង"]
        );
        // English stems only for the Latin-script words.
        assert_eq!(
            words(Analyzer::Stems, "Surveys ខេត្តបាត់ដំបង minefields"),
            ["survey", "minefield"]
        );
    }

    #[test]
    fn folding_latin_only() {
        let mut out = String::new();
        // Decomposed Vietnamese (NFD) folds like precomposed.
        fold_word("Qua\u{0309}ng", &mut out);
        assert_eq!(out, "quang");
        fold_word("İsmayıllı", &mut out);
        assert_eq!(out, "ismayilli");
        // Thai tone marks and Khmer coeng are kept.
        fold_word("ทุ่น", &mut out);
        assert_eq!(out, "ทุ่น");
        assert_eq!(
            words(Analyzer::Words, "Şəki çöl üçün dağ"),
            ["seki", "col", "ucun", "dag"]
        );
        assert_eq!(words(Analyzer::Words, "Đồng Hới"), ["dong", "hoi"]);
    }

    #[test]
    fn trigrams_cover_runs_and_skip_latin() {
        let grams = analyze(&mut Analyzer::Grams.build(), "abc ខេត្ត\u{200B}បាត់ x");
        let texts: Vec<&str> = grams.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts[0], "ខេត");
        assert!(
            texts.contains(&"្តប"),
            "zero-width space inside a run is ignored: {texts:?}"
        );
        assert_eq!(grams.len(), "ខេត្តបាត់".chars().count() - 2);
        assert!(grams.windows(2).all(|w| w[1].position == w[0].position + 1));
    }
}
