//! The Russian and English vocabulary the parsers recognise.
//!
//! Plain `match`es on normalized (lowercase, "ё" → "е") words, so supporting a new word
//! form is a one-line change. Russian is inflected, hence the long lists of forms.

use super::lexer::{Decimal, Token};

/// Durations are counted in minutes so that "48 часов" or "30 минут" stay exact.
pub(crate) const MINUTES_PER_DAY: u64 = 24 * 60;
const MINUTES_PER_HOUR: u64 = 60;
const MINUTES_PER_WEEK: u64 = 7 * MINUTES_PER_DAY;
/// The brief's convention: a month is 30 days, a year 365.
const MINUTES_PER_MONTH: u64 = 30 * MINUTES_PER_DAY;
const MINUTES_PER_QUARTER: u64 = 3 * MINUTES_PER_MONTH;
const MINUTES_PER_YEAR: u64 = 365 * MINUTES_PER_DAY;

/// A word that scales the number before it: a multiplier ("млн") or a time unit ("недели").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Base units (roubles/people, or minutes) in one of this.
    pub(crate) factor: u64,
    /// A full word may stand alone meaning "one" ("неделя", "миллион"); an abbreviation
    /// ("нед", "m", "к") may not — alone it is far more likely to be something else.
    pub(crate) spelled_out: bool,
}

impl Unit {
    pub(crate) const BASE: Self = word(1);

    /// Both units applied in turn: "сотни тысяч" = 100 × 1000.
    pub(crate) fn then(self, next: Self) -> Self {
        Self {
            factor: self.factor.saturating_mul(next.factor),
            spelled_out: self.spelled_out,
        }
    }
}

const fn word(factor: u64) -> Unit {
    Unit {
        factor,
        spelled_out: true,
    }
}

const fn abbr(factor: u64) -> Unit {
    Unit {
        factor,
        spelled_out: false,
    }
}

/// Multipliers for money and head counts.
pub(crate) fn multiplier(w: &str) -> Option<Unit> {
    let unit = match w {
        "десяток" | "десятка" | "десятки" | "десятков" | "tens" | "dozens" => {
            word(10)
        }
        "сотня" | "сотни" | "сотен" | "сотню" | "hundred" | "hundreds" => {
            word(100)
        }
        "тысяча" | "тысячи" | "тысяч" | "тысячу" | "тыща" | "тыщи" | "тыщ" | "thousand"
        | "thousands" => word(1_000),
        // "тр"/"т.р." = тысяч рублей.
        "k" | "к" | "тыс" | "т" | "тр" => abbr(1_000),
        "миллион" | "миллиона" | "миллионов" | "million" | "millions" | "лям" | "ляма"
        | "лямов" => word(1_000_000),
        "m" | "м" | "млн" | "mln" | "mn" | "mm" | "mio" | "kk" | "кк" => abbr(1_000_000),
        "миллиард" | "миллиарда" | "миллиардов" | "billion" | "billions" => {
            word(1_000_000_000)
        }
        "млрд" | "bn" | "b" => abbr(1_000_000_000),
        _ => return None,
    };
    Some(unit)
}

/// Time units, in minutes.
pub(crate) fn time_unit(w: &str) -> Option<Unit> {
    let unit = match w {
        "минута" | "минуты" | "минут" | "минуту" | "minute" | "minutes" => {
            word(1)
        }
        "мин" | "min" | "mins" => abbr(1),
        "час" | "часа" | "часов" | "hour" | "hours" => word(MINUTES_PER_HOUR),
        "ч" | "h" | "hr" | "hrs" => abbr(MINUTES_PER_HOUR),
        "день" | "дня" | "дней" | "дню" | "днем" | "денек" | "денька" | "сутки" | "суток"
        | "day" | "days" => word(MINUTES_PER_DAY),
        "дн" | "д" | "d" => abbr(MINUTES_PER_DAY),
        "неделя" | "недели" | "недель" | "неделю" | "неделе" | "неделей" | "неделька"
        | "недельки" | "недельку" | "week" | "weeks" => word(MINUTES_PER_WEEK),
        "нед" | "wk" | "wks" | "w" => abbr(MINUTES_PER_WEEK),
        "месяц" | "месяца" | "месяцев" | "месяце" | "месяцем" | "месяцу" | "month" | "months" => {
            word(MINUTES_PER_MONTH)
        }
        "мес" | "mo" | "mos" | "mth" | "mths" => abbr(MINUTES_PER_MONTH),
        "квартал" | "квартала" | "кварталов" | "quarter" | "quarters" => {
            word(MINUTES_PER_QUARTER)
        }
        "год" | "года" | "году" | "годом" | "годов" | "лет" | "year" | "years" => {
            word(MINUTES_PER_YEAR)
        }
        "г" | "yr" | "yrs" | "y" => abbr(MINUTES_PER_YEAR),
        _ => return None,
    };
    Some(unit)
}

/// Words that are a whole deadline by themselves, in minutes from now.
pub(crate) fn standalone_time(w: &str) -> Option<u64> {
    match w {
        // "Нужно было вчера" is the Russian idiom for "right now".
        "сегодня" | "today" | "tonight" | "вчера" | "yesterday" => Some(0),
        "завтра" | "tomorrow" => Some(MINUTES_PER_DAY),
        "послезавтра" => Some(2 * MINUTES_PER_DAY),
        _ => None,
    }
}

/// Numbers written as words. They count only when a unit follows ("две недели",
/// "a week"): alone, "a" or "один" is almost always just prose.
pub(crate) fn number_word(w: &str) -> Option<Decimal> {
    let n = match w {
        "a" | "an" | "one" | "один" | "одна" | "одно" | "одну" | "одного" | "одной" => {
            1
        }
        "two" | "couple" | "два" | "две" | "двух" | "пара" | "пару" | "пары" => {
            2
        }
        "three" | "три" | "трех" => 3,
        "four" | "четыре" | "четырех" => 4,
        "five" | "пять" | "пяти" => 5,
        "six" | "шесть" | "шести" => 6,
        "seven" | "семь" | "семи" => 7,
        "eight" | "восемь" | "восьми" => 8,
        "nine" | "девять" | "девяти" => 9,
        "ten" | "десять" | "десяти" => 10,
        // Vague counts take their lower bound, like ranges do.
        "few" | "several" | "несколько" | "нескольких" => 2,
        "полтора" | "полторы" | "полутора" => {
            return Some(Decimal::ONE_AND_HALF);
        }
        "half" | "пол" => return Some(Decimal::HALF),
        _ => return None,
    };
    Some(Decimal::whole(n))
}

/// Words allowed between a number and its unit: "5 рабочих дней", "couple of weeks".
pub(crate) fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "of"
            | "full"
            | "whole"
            | "business"
            | "working"
            | "calendar"
            | "рабочих"
            | "рабочий"
            | "рабочие"
            | "рабочего"
            | "рабочей"
            | "рабочую"
            | "календарных"
            | "календарный"
            | "календарные"
            | "календарного"
            | "полных"
            | "полные"
            | "целых"
    )
}

/// Case endings written after a hyphen: "2-х недель", "5-ти дней", "7-ми".
pub(crate) fn is_case_ending(w: &str) -> bool {
    matches!(w, "х" | "ух" | "ех" | "ти" | "ми")
}

/// Which side of the value a marker puts the following number on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// "от", "свыше", "more than", ">": the number is the lower bound (the default).
    Lower,
    /// "до", "менее", "up to", "<": the value is below the number.
    Upper,
}

impl Bound {
    fn flipped(self) -> Self {
        match self {
            Self::Lower => Self::Upper,
            Self::Upper => Self::Lower,
        }
    }
}

/// The bound a token sets for the number after it; `prev` is the word before the token.
pub(crate) fn bound_of(prev: Option<&str>, token: &Token) -> Option<Bound> {
    match token {
        Token::Sym('<' | '≤' | '⩽') => Some(Bound::Upper),
        Token::Sym('>' | '≥' | '⩾') => Some(Bound::Lower),
        Token::Word(w) => word_bound(prev, w),
        _ => None,
    }
}

fn word_bound(prev: Option<&str>, w: &str) -> Option<Bound> {
    let bound = match (prev, w) {
        (Some("up"), "to") | (Some("at"), "most") => Bound::Upper,
        (Some("at"), "least") => Bound::Lower,
        (_, "до" | "upto" | "under" | "below" | "less" | "fewer" | "lower")
        | (_, "меньше" | "менее" | "max" | "maximum" | "макс" | "максимум") => {
            Bound::Upper
        }
        (_, "от" | "from" | "over" | "above" | "more" | "greater" | "minimum" | "starting")
        | (_, "свыше" | "более" | "больше" | "выше" | "минимум") => {
            Bound::Lower
        }
        _ => return None,
    };
    // "не более", "no more than" → upper; "не менее", "no less than" → lower.
    Some(if prev.is_some_and(is_negator) {
        bound.flipped()
    } else {
        bound
    })
}

/// What may sit between the two ends of a range: "1-5", "от 1 до 5", "1 to 5".
pub(crate) fn is_range_connector(token: &Token) -> bool {
    match token {
        Token::Sym(c) => matches!(c, '-' | '–' | '—' | '‒' | '−' | '…'),
        Token::Word(w) => matches!(
            w.as_str(),
            "до" | "по" | "и" | "или" | "to" | "and" | "or" | "through" | "till" | "until"
        ),
        Token::Num(_) => false,
    }
}

/// What may be skipped between a range's ends: currency and punctuation ("1 млн ₽ – 5 млн ₽").
pub(crate) fn is_noise(token: &Token) -> bool {
    match token {
        Token::Sym(c) => !is_range_connector(token) && !c.is_alphanumeric(),
        Token::Word(w) => is_currency(w),
        Token::Num(_) => false,
    }
}

fn is_currency(w: &str) -> bool {
    matches!(
        w,
        "р" | "руб"
            | "рубль"
            | "рубля"
            | "рублей"
            | "rub"
            | "rur"
            | "usd"
            | "eur"
            | "евро"
            | "доллар"
            | "доллара"
            | "долларов"
            | "dollar"
            | "dollars"
    )
}

/// Words that cancel an urgent word or flip a bound marker right after them.
/// "t" is the tail of "isn't"/"don't" once the apostrophe splits the word.
pub(crate) fn is_negator(w: &str) -> bool {
    matches!(
        w,
        "не" | "ни" | "нет" | "без" | "not" | "no" | "non" | "never" | "nothing" | "nor" | "t"
    )
}

/// Multi-word ways to say "asap"; matched word by word, like single urgent words.
pub(crate) const URGENT_PHRASES: &[&[&str]] = &[
    &["как", "можно", "скорее"],
    &["как", "можно", "быстрее"],
    &["как", "можно", "раньше"],
    &["в", "кратчайшие", "сроки"],
    &["в", "кратчайший", "срок"],
    &["as", "soon", "as", "possible"],
];

/// Words that say "this is urgent" (adjective forms are inflected for gender, case, number).
pub(crate) fn is_urgent(w: &str) -> bool {
    matches!(
        w,
        "срочно"
            | "срочнее"
            | "срочен"
            | "срочна"
            | "срочный"
            | "срочная"
            | "срочное"
            | "срочные"
            | "срочного"
            | "срочной"
            | "срочному"
            | "срочную"
            | "срочным"
            | "срочными"
            | "срочных"
            | "срочном"
            | "горит"
            | "горят"
            | "горящий"
            | "горящая"
            | "горящее"
            | "горящие"
            | "горящего"
            | "горящей"
            | "горящих"
            | "горящую"
            | "горящим"
            | "горящими"
            | "горящем"
            | "немедленно"
            | "безотлагательно"
            | "urgent"
            | "urgently"
            | "asap"
            | "immediately"
    )
}
