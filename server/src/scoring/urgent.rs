//! Spotting "this is urgent" in free text.

use super::lexer::normalized;
use super::steps;
use super::words;

/// How many words before an urgent word are checked for a negator.
const NEGATION_WINDOW: usize = 2;

/// Whether the text calls the request urgent ("срочно", "СРОЧНО!", "urgent", "ASAP
/// please", "горит", "немедленно", "как можно скорее", "as soon as possible", ...).
///
/// The rule, kept simple so an admin can predict it:
/// * Only whole words (and whole-word phrases) count (case-insensitive, any script): "asaparagus" and "несрочно"
///   are different words, not "asap" or "срочно".
/// * An urgent word is negated when one of the two words before it, within the same
///   clause (clauses end at `. , ! ? ; : …` and line breaks), is a negator: не, ни, нет,
///   без, not, no, non, never, nothing, nor ("isn't" splits into "isn" + "t", and "t"
///   counts). Two words back catches "не срочно", "не очень срочно", "not so urgent",
///   "nothing urgent", "не горит"; the clause limit keeps "Нет, срочно!" urgent.
/// * Nouns ("срочность", "urgency") and "rush" are not urgent words, so "без особой
///   срочности" and "no rush" never count in the first place.
#[must_use]
pub fn has_urgent_word(text: &str) -> bool {
    urgent_word(text).is_some()
}

/// The first urgent word or phrase of the text that counts (see [`has_urgent_word`]), as
/// normalised (lower case): "срочно", "as soon as possible".
#[must_use]
pub fn urgent_word(text: &str) -> Option<String> {
    normalized(text)
        .split(is_clause_end)
        .find_map(clause_urgent_word)
}

fn is_clause_end(c: char) -> bool {
    matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | '…' | '\n' | '\r')
}

fn clause_urgent_word(clause: &str) -> Option<String> {
    let words: Vec<&str> = clause
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    (0..words.len()).find_map(|index| {
        steps::step();
        urgent_at(&words, index).filter(|_| !negated(&words, index))
    })
}

/// The urgent word or phrase that starts at `index`, if one does.
fn urgent_at(words: &[&str], index: usize) -> Option<String> {
    let rest = words.get(index..).unwrap_or_default();
    if let Some(phrase) = words::URGENT_PHRASES
        .iter()
        .find(|phrase| rest.starts_with(phrase))
    {
        return Some(phrase.join(" "));
    }
    rest.first()
        .filter(|word| words::is_urgent(word))
        .map(|word| (*word).to_owned())
}

fn negated(words: &[&str], index: usize) -> bool {
    let before = words
        .get(index.saturating_sub(NEGATION_WINDOW)..index)
        .unwrap_or_default();
    before.iter().any(|word| words::is_negator(word))
}
