//! Lead scoring: turns what a visitor typed about budget, company size and deadline into
//! 0–100 points and a priority.
//!
//! The admin sees the per-factor breakdown next to each lead, so the rules stay simple
//! enough to check by hand:
//!
//! | budget                 | pts | company size           | pts | urgency                       | pts |
//! |------------------------|-----|------------------------|-----|-------------------------------|-----|
//! | 5M ₽ and more          | 40  | 500+ people            | 30  | deadline <= 7 days, or urgent | 30  |
//! | 1M – 5M                | 30  | 100 – 499              | 20  | deadline under 90 days        | 15  |
//! | 500k – 1M              | 20  | 50 – 99                | 15  | 90 days or more, or unknown   | 5   |
//! | under 500k, or unknown | 10  | under 50, or unknown   | 5   |                               |     |
//!
//! Priority: total > 80 is [`Priority::Urgent`], 50..=80 [`Priority::Medium`], below 50
//! [`Priority::Low`].
//!
//! How the free text (Russian or English, possibly garbage) is read:
//! * Numbers may use thousands separators ("1 000 000" incl. U+00A0/U+202F, "1,000,000",
//!   "1.000.000"), decimal marks ("1,5 млн", "1.5m") and multipliers (k/к/тыс/тысяч,
//!   m/м/млн/million/миллион, kk/кк); currency is ignored. See [`parse_amount`].
//! * A range counts by its lower end ("500 тыс. – 1 млн" → 500k band; "1–5 млн" → 1M);
//!   "от", "свыше", "более", "over", "N+" keep the number; "до", "менее", "up to", "under",
//!   "<" mean just below it ("до 500 тыс." → under-500k band).
//! * Deadlines are durations with a unit ("3 дня", "2 недели", "1 month", "полгода"); a
//!   unit alone means one ("неделя"); a bare number is unknown. A month is 30 days, a year
//!   365. See [`parse_duration_days`].
//! * An urgent word ("срочно", "urgent", "asap", "горит", "немедленно", ...) in the
//!   deadline or comments gives full urgency points unless negated ("не срочно",
//!   "not urgent"). See [`has_urgent_word`].
//! * Anything unreadable scores as the lowest band: a lead is never rejected for it.

// Free text from a public form must never crash scoring: no panicking operations here.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod lexer;
mod quantity;
mod steps;
mod urgent;
mod words;

#[cfg(test)]
mod tests;

use std::fmt;

pub use quantity::{parse_amount, parse_duration_days};
pub use urgent::{has_urgent_word, urgent_word};

/// One row of a points table: a value of at least `min` (and below the previous row's
/// `min`) earns `points`. Tables are ordered from the highest band down and end with a
/// `min: 0` row, which also scores unknown input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    pub min: u64,
    pub points: i32,
    pub label: &'static str,
}

/// Budget in roubles.
pub const BUDGET_BANDS: [Band; 4] = [
    Band {
        min: 5_000_000,
        points: 40,
        label: "5M ₽ and more",
    },
    Band {
        min: 1_000_000,
        points: 30,
        label: "1M – 5M ₽",
    },
    Band {
        min: 500_000,
        points: 20,
        label: "500k – 1M ₽",
    },
    Band {
        min: 0,
        points: 10,
        label: "under 500k ₽ or unknown",
    },
];

/// Company size in people.
pub const COMPANY_SIZE_BANDS: [Band; 4] = [
    Band {
        min: 500,
        points: 30,
        label: "500+ people",
    },
    Band {
        min: 100,
        points: 20,
        label: "100 – 500 people",
    },
    Band {
        min: 50,
        points: 15,
        label: "50 – 100 people",
    },
    Band {
        min: 0,
        points: 5,
        label: "under 50 people or unknown",
    },
];

/// A deadline of at most this many days, or an urgent word, earns [`URGENCY_NOW_POINTS`].
pub const URGENCY_NOW_MAX_DAYS: u32 = 7;
/// A deadline under this many days (three 30-day months) earns [`URGENCY_SOON_POINTS`].
pub const URGENCY_SOON_UNDER_DAYS: u32 = 90;
pub const URGENCY_NOW_POINTS: i32 = 30;
pub const URGENCY_SOON_POINTS: i32 = 15;
/// Three months or more, or no readable deadline.
pub const URGENCY_LATER_POINTS: i32 = 5;

/// The highest possible total: 40 + 30 + 30.
pub const MAX_SCORE: i32 = 100;
/// Lowest total that is [`Priority::Urgent`].
pub const URGENT_MIN_SCORE: i32 = 81;
/// Lowest total that is [`Priority::Medium`].
pub const MEDIUM_MIN_SCORE: i32 = 50;

/// What the visitor typed; every field is optional free text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScoreInput<'a> {
    pub budget: Option<&'a str>,
    pub company_size: Option<&'a str>,
    pub deadline: Option<&'a str>,
    pub comments: Option<&'a str>,
}

/// Points per factor, shown to the admin next to the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreBreakdown {
    pub budget: i32,
    pub company_size: i32,
    pub urgency: i32,
}

impl ScoreBreakdown {
    /// Sum of the three factors: at most [`MAX_SCORE`].
    #[must_use]
    pub fn total(&self) -> i32 {
        self.budget
            .saturating_add(self.company_size)
            .saturating_add(self.urgency)
    }
}

/// Stored as its spelling (a SeaORM active enum): a row with any other value fails to load
/// rather than being read as some default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sea_orm::EnumIter, sea_orm::DeriveActiveEnum)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::None)"
)]
pub enum Priority {
    #[sea_orm(string_value = "URGENT")]
    Urgent,
    #[sea_orm(string_value = "MEDIUM")]
    Medium,
    #[sea_orm(string_value = "LOW")]
    Low,
}

impl Priority {
    pub const ALL: [Self; 3] = [Self::Urgent, Self::Medium, Self::Low];

    /// Above 80 is urgent, 50..=80 medium, anything lower low.
    #[must_use]
    pub fn from_score(score: i32) -> Self {
        if score >= URGENT_MIN_SCORE {
            Self::Urgent
        } else if score >= MEDIUM_MIN_SCORE {
            Self::Medium
        } else {
            Self::Low
        }
    }

    /// The stored and API spelling: "URGENT", "MEDIUM", "LOW" (the active enum's value).
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Urgent => "URGENT",
            Self::Medium => "MEDIUM",
            Self::Low => "LOW",
        }
    }

    /// What a person typed (a query string): any case, surrounding spaces ignored.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|priority| priority.as_str().eq_ignore_ascii_case(s))
    }

    /// Inclusive `(min, max)` of the totals that get this priority, e.g. for filtering.
    #[must_use]
    pub fn score_range(&self) -> (i32, i32) {
        match self {
            Self::Urgent => (URGENT_MIN_SCORE, MAX_SCORE),
            Self::Medium => (MEDIUM_MIN_SCORE, URGENT_MIN_SCORE.saturating_sub(1)),
            Self::Low => (0, MEDIUM_MIN_SCORE.saturating_sub(1)),
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub total: i32,
    pub breakdown: ScoreBreakdown,
    pub priority: Priority,
}

/// Scores a lead; never fails, whatever the visitor typed.
#[must_use]
pub fn score(input: &ScoreInput<'_>) -> Score {
    let breakdown = ScoreBreakdown {
        budget: budget_points(input.budget),
        company_size: company_size_points(input.company_size),
        urgency: urgency_points(input.deadline, input.comments),
    };
    let total = breakdown.total();
    Score {
        total,
        breakdown,
        priority: Priority::from_score(total),
    }
}

/// Points for the budget (roubles): 40 / 30 / 20 / 10, see [`BUDGET_BANDS`].
#[must_use]
pub fn budget_points(text: Option<&str>) -> i32 {
    band_points(&BUDGET_BANDS, text.and_then(parse_amount))
}

/// Points for the company size (people): 30 / 20 / 15 / 5, see [`COMPANY_SIZE_BANDS`].
#[must_use]
pub fn company_size_points(text: Option<&str>) -> i32 {
    band_points(&COMPANY_SIZE_BANDS, text.and_then(parse_amount))
}

/// Points for urgency: 30 if either text has an (un-negated) urgent word or the deadline
/// is at most a week, 15 if under three months, otherwise (or unknown) 5.
#[must_use]
pub fn urgency_points(deadline: Option<&str>, comments: Option<&str>) -> i32 {
    // Visitors often put "срочно!" in the comments rather than the deadline field.
    if [deadline, comments]
        .into_iter()
        .flatten()
        .any(has_urgent_word)
    {
        return URGENCY_NOW_POINTS;
    }
    match deadline.and_then(parse_duration_days) {
        Some(days) if days <= URGENCY_NOW_MAX_DAYS => URGENCY_NOW_POINTS,
        Some(days) if days < URGENCY_SOON_UNDER_DAYS => URGENCY_SOON_POINTS,
        _ => URGENCY_LATER_POINTS,
    }
}

fn band_points(bands: &[Band], value: Option<u64>) -> i32 {
    let lowest = bands.last().map_or(0, |band| band.points);
    value
        .and_then(|value| bands.iter().find(|band| value >= band.min))
        .map_or(lowest, |band| band.points)
}

/// Why a factor earned its points, for the admin (each client words it in its language:
/// "budget not given → minimum 10 of 40", "urgency: «срочно» +30").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Nothing was typed: the lowest band.
    NotGiven,
    /// Something was typed but no number (or duration) could be read in it: the lowest band.
    Unreadable { text: String },
    /// A number was read ("1,5 млн" → 1 500 000) and fell in `band`.
    Amount { value: u64, band: Band },
    /// An urgent word or phrase ("срочно", "asap") in the deadline or the comments.
    UrgentWord { word: String },
    /// A deadline read as this many days: ≤ 7 now, under 90 soon, else later.
    Deadline { days: u32 },
}

/// One factor's points and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    pub points: i32,
    /// The factor's most points: 40, 30, 30.
    pub max: i32,
    pub why: Why,
}

/// The three factors of [`score`], each with its reason; their points are [`score`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub budget: Factor,
    pub company_size: Factor,
    pub urgency: Factor,
}

/// Scores a lead like [`score`], saying why for each factor.
#[must_use]
pub fn explain(input: &ScoreInput<'_>) -> Explanation {
    Explanation {
        budget: band_factor(&BUDGET_BANDS, input.budget),
        company_size: band_factor(&COMPANY_SIZE_BANDS, input.company_size),
        urgency: urgency_factor(input.deadline, input.comments),
    }
}

fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

fn band_factor(bands: &[Band], text: Option<&str>) -> Factor {
    let max = bands.first().map_or(0, |band| band.points);
    let lowest = bands.last().map_or(0, |band| band.points);
    let Some(text) = given(text) else {
        return Factor {
            points: lowest,
            max,
            why: Why::NotGiven,
        };
    };
    match parse_amount(text).and_then(|value| {
        bands
            .iter()
            .find(|band| value >= band.min)
            .map(|band| (value, *band))
    }) {
        Some((value, band)) => Factor {
            points: band.points,
            max,
            why: Why::Amount { value, band },
        },
        None => Factor {
            points: lowest,
            max,
            why: Why::Unreadable {
                text: text.to_owned(),
            },
        },
    }
}

fn urgency_factor(deadline: Option<&str>, comments: Option<&str>) -> Factor {
    let max = URGENCY_NOW_POINTS;
    if let Some(word) = [deadline, comments]
        .into_iter()
        .flatten()
        .find_map(urgent_word)
    {
        return Factor {
            points: URGENCY_NOW_POINTS,
            max,
            why: Why::UrgentWord { word },
        };
    }
    let Some(text) = given(deadline) else {
        return Factor {
            points: URGENCY_LATER_POINTS,
            max,
            why: Why::NotGiven,
        };
    };
    match parse_duration_days(text) {
        Some(days) => Factor {
            points: urgency_points(Some(text), None),
            max,
            why: Why::Deadline { days },
        },
        None => Factor {
            points: URGENCY_LATER_POINTS,
            max,
            why: Why::Unreadable {
                text: text.to_owned(),
            },
        },
    }
}
