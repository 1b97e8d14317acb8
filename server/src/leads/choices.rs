//! The order form's choice fields — budget, company size, deadline, contact method — as codes.
//!
//! The public form sends a code (`budget_5m_plus`); each reader sees it in their language (the
//! admin panel, the Russian CSV, notifications: all through [`label`]). The API still takes
//! free text from other clients: a value that is not a code is kept and shown as typed. The
//! codes are an open, enum-like set of strings rather than a GraphQL enum for that reason.
//!
//! Scoring reads a code as its band's Russian text ([`scoring_text`]), the very text the form
//! used to send, so a code scores exactly what its band always scored.

use std::borrow::Cow;

/// The language a label is wanted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

/// Which field a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceField {
    Budget,
    CompanySize,
    Deadline,
    ContactMethod,
}

/// One option of the form.
#[derive(Debug)]
pub struct Choice {
    pub field: ChoiceField,
    pub code: &'static str,
    /// The Russian label — also the text the form sent before codes, which scoring reads.
    pub ru: &'static str,
    pub en: &'static str,
}

/// Every option, in the form's order within each field.
pub const CHOICES: &[Choice] = &[
    choice(
        ChoiceField::Budget,
        "budget_under_500k",
        "до 500 тыс. ₽",
        "under 500k ₽",
    ),
    choice(
        ChoiceField::Budget,
        "budget_500k_1m",
        "500 тыс. – 1 млн ₽",
        "500k – 1M ₽",
    ),
    choice(
        ChoiceField::Budget,
        "budget_1m_5m",
        "1–5 млн ₽",
        "1M – 5M ₽",
    ),
    choice(
        ChoiceField::Budget,
        "budget_5m_plus",
        "от 5 млн ₽",
        "5M ₽ or more",
    ),
    choice(
        ChoiceField::CompanySize,
        "size_under_50",
        "до 50",
        "under 50",
    ),
    choice(ChoiceField::CompanySize, "size_50_100", "50–100", "50–100"),
    choice(
        ChoiceField::CompanySize,
        "size_100_500",
        "100–500",
        "100–500",
    ),
    choice(ChoiceField::CompanySize, "size_500_plus", "500+", "500+"),
    choice(
        ChoiceField::Deadline,
        "deadline_1_week",
        "1 неделя",
        "1 week",
    ),
    choice(
        ChoiceField::Deadline,
        "deadline_1_month",
        "1 месяц",
        "1 month",
    ),
    choice(
        ChoiceField::Deadline,
        "deadline_2_3_months",
        "2–3 месяца",
        "2–3 months",
    ),
    choice(
        ChoiceField::Deadline,
        "deadline_3_months_plus",
        "3 месяца и более",
        "3 months or more",
    ),
    choice(
        ChoiceField::ContactMethod,
        "contact_phone",
        "Телефон",
        "Phone",
    ),
    choice(
        ChoiceField::ContactMethod,
        "contact_email",
        "Эл. почта",
        "Email",
    ),
    choice(
        ChoiceField::ContactMethod,
        "contact_telegram",
        "Telegram",
        "Telegram",
    ),
    choice(
        ChoiceField::ContactMethod,
        "contact_whatsapp",
        "WhatsApp",
        "WhatsApp",
    ),
];

const fn choice(
    field: ChoiceField,
    code: &'static str,
    ru: &'static str,
    en: &'static str,
) -> Choice {
    Choice {
        field,
        code,
        ru,
        en,
    }
}

/// The option a stored value names, if it is a code.
#[must_use]
pub fn find(value: &str) -> Option<&'static Choice> {
    CHOICES.iter().find(|c| c.code == value)
}

/// What a reader sees for a stored value: a code's label in `lang`; free text as typed.
#[must_use]
pub fn label(value: &str, lang: Lang) -> Cow<'_, str> {
    match find(value) {
        Some(c) => Cow::Borrowed(match lang {
            Lang::Ru => c.ru,
            Lang::En => c.en,
        }),
        None => Cow::Borrowed(value),
    }
}

/// [`label`] of an optional value.
#[must_use]
pub fn label_opt(value: Option<&str>, lang: Lang) -> Option<Cow<'_, str>> {
    value.map(|v| label(v, lang))
}

/// The text scoring reads for a stored value: a code's band text, else the value itself.
#[must_use]
pub fn scoring_text(value: &str) -> &str {
    find(value).map_or(value, |c| c.ru)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::{self, ScoreInput};

    #[test]
    fn codes_are_unique_and_labelled_in_both_languages() {
        for (i, a) in CHOICES.iter().enumerate() {
            assert!(!a.ru.is_empty() && !a.en.is_empty(), "{}", a.code);
            assert!(
                a.en.chars().all(|c| !matches!(c, 'а'..='я' | 'А'..='Я')),
                "English label of {} has Cyrillic",
                a.code
            );
            for b in &CHOICES[i + 1..] {
                assert_ne!(a.code, b.code);
            }
        }
    }

    #[test]
    fn free_text_stays_as_typed() {
        assert_eq!(label("около миллиона", Lang::En), "около миллиона");
        assert_eq!(label("budget_5m_plus", Lang::En), "5M ₽ or more");
        assert_eq!(label("budget_5m_plus", Lang::Ru), "от 5 млн ₽");
        assert_eq!(scoring_text("2 weeks"), "2 weeks");
    }

    /// Every code scores exactly what its band's text scores (and the table's points).
    #[test]
    fn a_code_scores_like_its_band_text() {
        let score = |budget: &str, size: &str, deadline: &str| {
            let s = scoring::score(&ScoreInput {
                budget: Some(scoring_text(budget)),
                company_size: Some(scoring_text(size)),
                deadline: Some(scoring_text(deadline)),
                comments: None,
            });
            (
                s.breakdown.budget,
                s.breakdown.company_size,
                s.breakdown.urgency,
            )
        };
        let expected = [
            (
                "budget_under_500k",
                "size_under_50",
                "deadline_3_months_plus",
                (10, 5, 5),
            ),
            (
                "budget_500k_1m",
                "size_50_100",
                "deadline_2_3_months",
                (20, 15, 15),
            ),
            (
                "budget_1m_5m",
                "size_100_500",
                "deadline_1_month",
                (30, 20, 15),
            ),
            (
                "budget_5m_plus",
                "size_500_plus",
                "deadline_1_week",
                (40, 30, 30),
            ),
        ];
        for (budget, size, deadline, points) in expected {
            assert_eq!(
                score(budget, size, deadline),
                points,
                "{budget} {size} {deadline}"
            );
            let (b, s, d) = (
                find(budget).unwrap(),
                find(size).unwrap(),
                find(deadline).unwrap(),
            );
            assert_eq!(score(b.ru, s.ru, d.ru), points, "band texts");
        }
    }
}
