//! Reads "how much" and "how long" out of free text.
//!
//! Both questions share one reading: find the first quantity (a number, a number word
//! with a unit, or a unit alone meaning one), give it the unit written after a range's
//! upper end if it has none ("1-5 млн"), and honour an "up to"/"less than" marker in
//! front of it. Only the vocabulary differs, so it is passed in as a [`Lexicon`].

use super::lexer::{Decimal, Token, tokenize};
use super::steps;
use super::words::{self, Bound, MINUTES_PER_DAY, Unit};

/// How far back (in words) a marker like "до" still governs a quantity:
/// "до конца месяца" has one word in between.
const MARKER_REACH: usize = 2;

/// Real text has at most a couple of words between a number and its unit ("5 полных
/// рабочих дней"); the cap keeps a text of "a a a a ..." from taking quadratic time.
const MAX_FILLERS: usize = 3;

/// The vocabulary for one kind of quantity.
struct Lexicon {
    unit: fn(&str) -> Option<Unit>,
    /// Words that are a whole quantity by themselves ("завтра"), in base units.
    standalone: fn(&str) -> Option<u64>,
    /// "500" is an amount, but "30" is not a duration: thirty what?
    unit_required: bool,
    /// Units multiply in a row ("сотни тысяч"); time units do not.
    units_chain: bool,
    /// Money ranges like "500–1 млн" mean the lower end is one ×1000 step smaller.
    range_step: Option<u64>,
    /// A bare number followed by one of these words is about something else:
    /// "на 2 года", "в 2025 году" are not amounts of money or people.
    foreign_unit: fn(&str) -> bool,
}

const AMOUNT: Lexicon = Lexicon {
    unit: words::multiplier,
    standalone: no_standalone,
    unit_required: false,
    units_chain: true,
    range_step: Some(1_000),
    foreign_unit: is_spelled_out_time_unit,
};

const DURATION: Lexicon = Lexicon {
    unit: words::time_unit,
    standalone: words::standalone_time,
    unit_required: true,
    units_chain: false,
    range_step: None,
    foreign_unit: never,
};

fn no_standalone(_: &str) -> Option<u64> {
    None
}

fn never(_: &str) -> bool {
    false
}

fn is_spelled_out_time_unit(word: &str) -> bool {
    words::time_unit(word).is_some_and(|unit| unit.spelled_out)
}

/// The amount (roubles, people, ...) the text states, as its lower bound.
///
/// Thousands separators, decimal marks and multipliers (k/к/тыс, m/м/млн/million, kk/кк,
/// млрд) are understood; currency is ignored. A range counts by its lower end
/// ("1–5 млн" → 1 000 000). An upper-bound-only phrase ("до 500 тыс.", "under 50", "<1M")
/// means the value is below the bound, so it returns the largest whole value under it
/// (499 999, 49). A number followed by a time word is skipped ("на 2025 год: 3 млн" →
/// 3 000 000). Saturates at `u64::MAX`; `None` when there is no number.
#[must_use]
pub fn parse_amount(text: &str) -> Option<u64> {
    lower_bound(&tokenize(text), &AMOUNT)
}

/// The deadline the text states, in whole days, as its lower bound.
///
/// Units in Russian and English in any form ("3 дня", "2 недели", "1 mo", "полгода",
/// "half a year"); a unit alone means one ("неделя"); "сегодня"/"завтра"/"today"/
/// "tomorrow" are 0/1 days. A month is 30 days, a year 365. Ranges count by their lower
/// end; "до 2 недель" is just under 14 days (13). `None` for a number without a unit or
/// text without a deadline.
#[must_use]
pub fn parse_duration_days(text: &str) -> Option<u32> {
    let minutes = lower_bound(&tokenize(text), &DURATION)?;
    let days = minutes.checked_div(MINUTES_PER_DAY).unwrap_or(0);
    Some(u32::try_from(days).unwrap_or(u32::MAX))
}

/// A quantity as written: the number, its unit if one follows, and the token after it.
struct Quantity {
    amount: Decimal,
    unit: Option<Unit>,
    end: usize,
}

fn lower_bound(tokens: &[Token], lex: &Lexicon) -> Option<u64> {
    let mut marker = Marker::default();
    let mut pos = 0;
    while pos < tokens.len() {
        steps::step();
        let Some(quantity) = read_quantity(tokens, pos, lex) else {
            marker.observe(tokens, pos);
            pos = pos.saturating_add(1);
            continue;
        };
        if let Some(value) = resolve(tokens, &quantity, lex) {
            return Some(marker.apply(value));
        }
        // A number we cannot use ("до 15 марта") takes its marker with it.
        marker = Marker::default();
        pos = quantity.end;
    }
    None
}

/// The quantity starting at `pos`, if any. Its `end` is always past `pos`.
fn read_quantity(tokens: &[Token], pos: usize, lex: &Lexicon) -> Option<Quantity> {
    let after = pos.saturating_add(1);
    match tokens.get(pos)? {
        Token::Num(number) => Some(attach_units(tokens, *number, None, after, lex)),
        Token::Word(word) => word_quantity(tokens, word, after, lex),
        Token::Sym(_) => None,
    }
}

fn word_quantity(tokens: &[Token], word: &str, after: usize, lex: &Lexicon) -> Option<Quantity> {
    if let Some(value) = (lex.standalone)(word) {
        return Some(Quantity {
            amount: Decimal::whole(value),
            unit: Some(Unit::BASE),
            end: after,
        });
    }
    if let Some(unit) = spelled_out_unit(word, lex) {
        return Some(attach_units(tokens, Decimal::ONE, Some(unit), after, lex));
    }
    if let Some(unit) = half_unit(word, lex) {
        return Some(attach_units(tokens, Decimal::HALF, Some(unit), after, lex));
    }
    let quantity = attach_units(tokens, words::number_word(word)?, None, after, lex);
    quantity.unit.is_some().then_some(quantity)
}

fn spelled_out_unit(word: &str, lex: &Lexicon) -> Option<Unit> {
    (lex.unit)(word).filter(|unit| unit.spelled_out)
}

/// Russian fuses "half" onto the unit: "полгода", "полугода", "полмиллиона".
fn half_unit(word: &str, lex: &Lexicon) -> Option<Unit> {
    let rest = word
        .strip_prefix("полу")
        .or_else(|| word.strip_prefix("пол"))?;
    spelled_out_unit(rest, lex)
}

/// Extends a quantity with the unit(s) written after it.
fn attach_units(
    tokens: &[Token],
    amount: Decimal,
    mut unit: Option<Unit>,
    mut end: usize,
    lex: &Lexicon,
) -> Quantity {
    while unit.is_none() || lex.units_chain {
        steps::step();
        let pos = skip_fillers(tokens, end);
        let Some(next) = tokens.get(pos).and_then(Token::word).and_then(lex.unit) else {
            break;
        };
        unit = Some(unit.map_or(next, |unit| unit.then(next)));
        end = pos.saturating_add(1);
    }
    Quantity { amount, unit, end }
}

/// Steps past at most [`MAX_FILLERS`] filler words after a number.
fn skip_fillers(tokens: &[Token], mut pos: usize) -> usize {
    for _ in 0..MAX_FILLERS {
        steps::step();
        let step = match (tokens.get(pos), tokens.get(pos.saturating_add(1))) {
            (Some(Token::Word(w)), _) if words::is_filler(w) => 1,
            (Some(Token::Sym('-')), Some(Token::Word(w))) if words::is_case_ending(w) => 2,
            _ => return pos,
        };
        pos = pos.saturating_add(step);
    }
    pos
}

/// The quantity's value in base units, or `None` if it lacks a required unit or is
/// about something else.
fn resolve(tokens: &[Token], quantity: &Quantity, lex: &Lexicon) -> Option<u64> {
    let factor = match quantity.unit {
        Some(unit) => Some(unit.factor),
        None if is_followed_by_foreign_unit(tokens, quantity, lex) => return None,
        None => range_factor(tokens, quantity, lex),
    };
    match factor {
        Some(factor) => Some(quantity.amount.times(factor)),
        None if lex.unit_required => None,
        None => Some(quantity.amount.times(1)),
    }
}

fn is_followed_by_foreign_unit(tokens: &[Token], quantity: &Quantity, lex: &Lexicon) -> bool {
    tokens
        .get(skip_fillers(tokens, quantity.end))
        .and_then(Token::word)
        .is_some_and(lex.foreign_unit)
}

/// "1–5 млн", "от 2 до 3 месяцев": a bare lower end takes the upper end's unit, as long
/// as that keeps lower <= upper. Money can step one ×1000 down: "500–1 млн" is 500 тыс.
fn range_factor(tokens: &[Token], lower: &Quantity, lex: &Lexicon) -> Option<u64> {
    let upper = read_quantity(tokens, range_upper_start(tokens, lower.end)?, lex)?;
    let factor = upper.unit?.factor;
    let upper_value = upper.amount.times(factor);
    let stepped = lex.range_step.and_then(|step| factor.checked_div(step));
    [Some(factor), stepped]
        .into_iter()
        .flatten()
        .find(|&f| f > 0 && lower.amount.times(f) <= upper_value)
}

/// Where a range's upper end starts, if a connector follows `from` ("-", "до", "to").
fn range_upper_start(tokens: &[Token], from: usize) -> Option<usize> {
    let mut connected = false;
    for (offset, token) in tokens.get(from..)?.iter().enumerate() {
        steps::step();
        if words::is_range_connector(token) {
            connected = true;
        } else if !words::is_noise(token) {
            return connected.then_some(from.saturating_add(offset));
        }
    }
    None
}

/// An "up to"/"at least" marker waiting for the quantity it governs.
#[derive(Default)]
struct Marker {
    bound: Option<Bound>,
    words_since: usize,
}

impl Marker {
    fn observe(&mut self, tokens: &[Token], pos: usize) {
        let Some(token) = tokens.get(pos) else {
            return;
        };
        let prev = pos
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .and_then(Token::word);
        if let Some(bound) = words::bound_of(prev, token) {
            *self = Self {
                bound: Some(bound),
                words_since: 0,
            };
        } else if token.word().is_some() {
            self.words_since = self.words_since.saturating_add(1);
            if self.words_since > MARKER_REACH {
                self.bound = None;
            }
        }
    }

    /// "До 500 тыс." means below 500 000: the largest whole value under the bound.
    fn apply(&self, value: u64) -> u64 {
        match self.bound {
            Some(Bound::Upper) => value.saturating_sub(1),
            Some(Bound::Lower) | None => value,
        }
    }
}
