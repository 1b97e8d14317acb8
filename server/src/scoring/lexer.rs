//! Splits visitor text into numbers, words and symbols.
//!
//! Numbers are read with the grouping conventions people actually type:
//! "1 000 000" (also with U+00A0 / U+202F), "1,000,000", "1.000.000",
//! decimal "1,5" / "1.5", and mixed "1.234.567,89" / "1,234,567.89".

use super::steps;

/// Fractional digits past the ninth cannot change a score, so they are dropped.
const FRACTION_DIGITS: usize = 9;
const NANOS_PER_UNIT: u128 = 1_000_000_000;

/// A non-negative number as typed: `whole + nanos / 10^9`.
///
/// Integer arithmetic (not `f64`) keeps "1 000 001" exact; every operation saturates
/// because a visitor can type any number of digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Decimal {
    whole: u64,
    nanos: u64,
}

impl Decimal {
    pub(crate) const ONE: Self = Self::whole(1);
    pub(crate) const HALF: Self = Self {
        whole: 0,
        nanos: 500_000_000,
    };
    pub(crate) const ONE_AND_HALF: Self = Self {
        whole: 1,
        nanos: 500_000_000,
    };

    pub(crate) const fn whole(whole: u64) -> Self {
        Self { whole, nanos: 0 }
    }

    /// `self × factor`, rounded down, saturating at `u64::MAX`.
    pub(crate) fn times(self, factor: u64) -> u64 {
        let factor = u128::from(factor);
        let whole = u128::from(self.whole).saturating_mul(factor);
        let fraction = u128::from(self.nanos)
            .saturating_mul(factor)
            .checked_div(NANOS_PER_UNIT)
            .unwrap_or(0);
        u64::try_from(whole.saturating_add(fraction)).unwrap_or(u64::MAX)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    Num(Decimal),
    /// Lowercased, with "ё" folded to "е" so word lists need one spelling.
    Word(String),
    /// Any other non-space character: dashes, "+", "<", "₽", "$", ".", ...
    Sym(char),
}

impl Token {
    pub(crate) fn word(&self) -> Option<&str> {
        match self {
            Self::Word(word) => Some(word),
            _ => None,
        }
    }
}

/// Lowercase and fold "ё" → "е": visitors use both spellings interchangeably.
pub(crate) fn normalized(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = normalized(text).chars().collect();
    let mut tokens = Vec::new();
    let mut rest: &[char] = &chars;
    let mut prev: Option<char> = None;
    while let Some(&c) = rest.first() {
        steps::step();
        // Each branch consumes at least one char, so the loop always ends.
        let consumed = if c.is_ascii_digit() {
            let (number, len) = read_number(rest);
            tokens.push(Token::Num(number));
            len
        } else if let Some((fraction, len)) = leading_fraction(prev, rest) {
            tokens.push(Token::Num(fraction));
            len
        } else if c.is_alphabetic() {
            let len = run_len(rest, char::is_alphabetic);
            tokens.push(Token::Word(rest.iter().take(len).collect()));
            len
        } else {
            if !c.is_whitespace() {
                tokens.push(Token::Sym(c));
            }
            1
        };
        prev = rest.get(..consumed).and_then(<[char]>::last).copied();
        rest = rest.get(consumed..).unwrap_or_default();
    }
    tokens
}

/// ".5M" is half a million, unless the mark ends a word or number ("тыс.5").
fn leading_fraction(prev: Option<char>, rest: &[char]) -> Option<(Decimal, usize)> {
    let (&mark, after) = rest.split_first()?;
    let digits = digit_run(after);
    let starts_fraction =
        is_decimal_mark(mark) && !digits.is_empty() && !prev.is_some_and(char::is_alphanumeric);
    let number = Decimal {
        whole: 0,
        nanos: fraction_nanos(digits),
    };
    starts_fraction.then_some((number, digits.len().saturating_add(1)))
}

/// A run of digits and the separator written before it (`None` for the first run).
struct Group<'a> {
    sep: Option<char>,
    digits: &'a [char],
}

/// Reads the number at the start of `chars` (which begins with a digit); returns it and
/// how many chars it spans.
fn read_number(chars: &[char]) -> (Decimal, usize) {
    let first = digit_run(chars);
    let mut len = first.len();
    let mut groups = vec![Group {
        sep: None,
        digits: first,
    }];
    while let Some((group, group_len)) = next_group(chars.get(len..).unwrap_or_default()) {
        steps::step();
        groups.push(group);
        len = len.saturating_add(group_len);
    }
    (interpret(&groups), len)
}

/// A separator plus the digits after it, if they continue the same number.
fn next_group(rest: &[char]) -> Option<(Group<'_>, usize)> {
    let (&sep, after) = rest.split_first()?;
    let digits = digit_run(after);
    let continues = match sep {
        ',' | '.' => !digits.is_empty(),
        // Spaces and apostrophes only ever group thousands: "10 15" is two numbers.
        ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}' | '\'' | '’' => digits.len() == 3,
        _ => false,
    };
    let group = Group {
        sep: Some(sep),
        digits,
    };
    continues.then_some((group, digits.len().saturating_add(1)))
}

fn interpret(groups: &[Group<'_>]) -> Decimal {
    let fraction = fraction_group(groups);
    let mut number = Decimal::whole(0);
    for (index, group) in groups.iter().enumerate() {
        if Some(index) == fraction {
            number.nanos = fraction_nanos(group.digits);
        } else {
            number.whole = group.digits.iter().fold(number.whole, push_digit);
        }
    }
    number
}

/// Which group, if any, is the fractional part.
///
/// The last `,`/`.` is a decimal mark when it is the only one of its kind and either is
/// not followed by exactly three digits ("1,5", "2.75") or the other mark was used for
/// grouping before it ("1.234,56"). Otherwise ("1,000", "1.000.000") every mark groups
/// thousands — so "1,500" is fifteen hundred, as in English.
fn fraction_group(groups: &[Group<'_>]) -> Option<usize> {
    let last_index = groups.len().checked_sub(1)?;
    let last = groups.last()?;
    let mark = last.sep.filter(|&sep| is_decimal_mark(sep))?;
    let same_mark = groups.iter().filter(|g| g.sep == Some(mark)).count();
    let other_mark = groups
        .iter()
        .any(|g| g.sep.is_some_and(|sep| sep != mark && is_decimal_mark(sep)));
    let is_fraction = same_mark == 1 && (last.digits.len() != 3 || other_mark);
    is_fraction.then_some(last_index)
}

/// Digits after a decimal mark as billionths: "5" → 500 000 000.
fn fraction_nanos(digits: &[char]) -> u64 {
    digits
        .iter()
        .chain(std::iter::repeat(&'0'))
        .take(FRACTION_DIGITS)
        .fold(0, push_digit)
}

fn is_decimal_mark(c: char) -> bool {
    c == ',' || c == '.'
}

fn push_digit(acc: u64, digit: &char) -> u64 {
    let value = digit.to_digit(10).map_or(0, u64::from);
    acc.saturating_mul(10).saturating_add(value)
}

fn digit_run(chars: &[char]) -> &[char] {
    let len = run_len(chars, |c| c.is_ascii_digit());
    chars.get(..len).unwrap_or_default()
}

fn run_len(chars: &[char], keep: impl Fn(char) -> bool) -> usize {
    chars.iter().take_while(|&&c| keep(c)).count()
}
