//! Plain-text snippets with the byte ranges of the matches (the UI escapes and marks them).

use tantivy::tokenizer::{TextAnalyzer, Token};

use crate::analysis::{analyze, is_unspaced_script};
use crate::query::Plan;

/// Longest snippet, in bytes of the body (Khmer, Lao, Thai and Burmese letters take 3 bytes).
const WINDOW: usize = 320;
/// Bytes of context kept before the first match of the snippet.
const CONTEXT: usize = 60;
/// Bytes of body analysed at a time for a snippet.
const CHUNK: usize = 1024;
/// Marks a cut at either end of a snippet.
const ELLIPSIS: &str = "…";

/// Byte ranges in `text` of the query's words, stems and unspaced-script substrings.
pub(crate) fn highlights(
    text: &str,
    plan: &Plan,
    words: &mut TextAnalyzer,
    stems: &mut TextAnalyzer,
) -> Vec<(usize, usize)> {
    ranges(text, plan, words, stems).0
}

/// A passage of `body` around the best group of matches, and the matches' byte ranges in it.
///
/// The body is analysed in chunks of about [`CHUNK`] bytes cut at whitespace, and only until a
/// window's length past the first match: the cost follows where the first match is, not how
/// long the document is. The best group is chosen among the matches analysed.
pub(crate) fn snippet(
    body: &str,
    plan: &Plan,
    words: &mut TextAnalyzer,
    stems: &mut TextAnalyzer,
) -> (String, Vec<(usize, usize)>) {
    let mut found = Vec::new();
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < body.len() {
        let end = chunk_end(body, pos);
        let (f, mut t) = ranges(&body[pos..end], plan, words, stems);
        found.extend(f.into_iter().map(|(s, e)| (s + pos, e + pos)));
        for token in &mut t {
            token.offset_from += pos;
            token.offset_to += pos;
        }
        tokens.append(&mut t);
        pos = end;
        if found
            .first()
            .is_some_and(|&(first, _)| pos >= first + WINDOW)
        {
            break;
        }
    }
    if body.len() <= WINDOW {
        return (body.to_string(), found);
    }
    // The match that starts the window holding the most matches.
    let anchor = found
        .iter()
        .enumerate()
        .max_by_key(|&(i, &(start, _))| {
            let in_window = found[i..]
                .iter()
                .take_while(|&&(s, e)| s < start + WINDOW - CONTEXT && e <= start + WINDOW)
                .count();
            (in_window, usize::MAX - start)
        })
        .map_or(0, |(_, &(start, _))| start);
    let wanted = anchor.saturating_sub(CONTEXT);
    let start = tokens
        .iter()
        .map(|t| t.offset_from)
        .take_while(|&s| s <= wanted)
        .last()
        .unwrap_or(0);
    let limit = start + WINDOW;
    let end = tokens
        .iter()
        .map(|t| t.offset_to)
        .take_while(|&e| e <= limit)
        .last()
        .filter(|&e| e > start)
        .unwrap_or_else(|| body.floor_char_boundary(limit))
        .min(body.len());
    let prefix = if start > 0 { ELLIPSIS } else { "" };
    let mut text = String::with_capacity(end - start + 2 * ELLIPSIS.len());
    text.push_str(prefix);
    text.push_str(&body[start..end]);
    if end < body.len() {
        text.push_str(ELLIPSIS);
    }
    let shift = prefix.len();
    let kept = found
        .into_iter()
        .filter(|&(s, e)| s >= start && e <= end)
        .map(|(s, e)| (s - start + shift, e - start + shift))
        .collect();
    (text, kept)
}

/// Where the chunk of `body` starting at `pos` ends: at the first whitespace after [`CHUNK`]
/// bytes (segmentation never crosses whitespace in a way that matters here), or at the end of
/// the body when there is none within another half chunk (long unspaced text is not cut).
fn chunk_end(body: &str, pos: usize) -> usize {
    let target = body.floor_char_boundary(pos + CHUNK);
    if target >= body.len() {
        return body.len();
    }
    let horizon = body.floor_char_boundary(target + CHUNK / 2);
    body[target..horizon]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(body.len(), |(i, _)| target + i)
}

/// The match ranges (sorted, merged) and the word tokens of `text`.
fn ranges(
    text: &str,
    plan: &Plan,
    words: &mut TextAnalyzer,
    stems: &mut TextAnalyzer,
) -> (Vec<(usize, usize)>, Vec<Token>) {
    let tokens = analyze(words, text);
    // English stemming keeps the start of a word: only words starting like a query stem are
    // stemmed (most of a body is not, and stemming each word costs more than segmenting).
    let prefixes: Vec<&str> = plan
        .stems
        .iter()
        .map(|s| {
            let end = s.char_indices().nth(2).map_or(s.len(), |(i, _)| i);
            &s[..end]
        })
        .collect();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for t in &tokens {
        let matched = plan.words.contains(&t.text)
            || (prefixes.iter().any(|p| t.text.starts_with(p))
                && !t.text.chars().any(is_unspaced_script)
                && analyze(stems, &t.text)
                    .first()
                    .is_some_and(|s| plan.stems.contains(&s.text)));
        if matched {
            found.push((t.offset_from, t.offset_to));
        }
    }
    for run in &plan.runs {
        found.extend(
            text.match_indices(run.as_str())
                .map(|(i, m)| (i, i + m.len())),
        );
    }
    found.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(found.len());
    for (s, e) in found {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    (merged, tokens)
}
