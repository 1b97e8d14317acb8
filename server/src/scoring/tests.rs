//! Table-driven examples of the scoring rules, plus property tests that no input panics.

// Expected values are computed from small, bounded test inputs.
#![allow(clippy::arithmetic_side_effects)]

use proptest::prelude::*;

use super::*;

/// Runs `actual` over every row and reports all mismatches at once, naming the inputs.
fn check_table<I: fmt::Debug, O: fmt::Debug + PartialEq>(
    what: &str,
    rows: &[(I, O)],
    actual: impl Fn(&I) -> O,
) {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(input, expected)| {
            let got = actual(input);
            (got != *expected)
                .then(|| format!("{what}({input:?}): expected {expected:?}, got {got:?}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

const BUDGET_CASES: &[(&str, i32)] = &[
    // 5M and more → 40
    ("5 млн", 40),
    ("5 000 000", 40),
    ("10 000 000", 40),
    ("10\u{a0}000\u{a0}000 ₽", 40),
    ("5M+", 40),
    ("от 5 млн ₽", 40),
    ("свыше 5 млн", 40),
    ("5kk", 40),
    ("5кк руб", 40),
    ("пять миллионов", 40),
    ("7,5 млн руб.", 40),
    ("1 млрд", 40),
    ("сотни миллионов", 40),
    ("$5,000,000", 40),
    ("5–10 млн", 40),
    // 1M – 5M → 30
    ("1 млн", 30),
    ("1,5 млн", 30),
    ("1.5m", 30),
    ("$2M", 30),
    ("1.000.000", 30),
    ("1,000,000", 30),
    ("1 000 000", 30),
    ("1\u{202f}000\u{202f}000 руб.", 30),
    ("от 1 до 5 млн", 30),
    ("1–5 млн ₽", 30),
    ("1-5 млн", 30),
    ("1 - 5 млн", 30),
    ("2 миллиона рублей", 30),
    ("миллион", 30),
    ("до 5 млн", 30),
    ("3 000 000 - 4 000 000", 30),
    ("1 500 000,00 руб.", 30),
    ("1,234,567.89", 30),
    ("1.234.567,89 €", 30),
    ("between 1 and 5 million", 30),
    ("не менее 1 млн", 30),
    ("4.99 mln", 30),
    ("1 лям", 30),
    // 500k – 1M → 20
    ("500к", 20),
    ("500 k", 20),
    ("500 тыс.", 20),
    ("500 тысяч рублей", 20),
    ("500000-1000000", 20),
    ("500 000 – 1 000 000", 20),
    ("500 тыс. – 1 млн ₽", 20),
    ("500k-1m", 20),
    ("500–1 млн", 20),
    ("полмиллиона", 20),
    ("0,5 млн", 20),
    ("750 000", 20),
    ("до 1 млн", 20),
    ("не более 1 млн", 20),
    ("500тр", 20),
    ("от 500 т.р.", 20),
    // under 500k or unknown → 10
    ("до 500 тыс. ₽", 10),
    ("менее 500 тыс", 10),
    ("< 500k", 10),
    ("under 500k", 10),
    ("up to 500k", 10),
    ("less than 500 000", 10),
    ("100 тыс", 10),
    ("499 999", 10),
    ("300$", 10),
    ("0", 10),
    ("asdf", 10),
    ("???", 10),
    ("много", 10),
    ("обсуждается", 10),
    ("", 10),
    ("   ", 10),
    ("\u{a0}\t\n", 10),
    ("k", 10),
    ("млн", 10),
];

#[test]
fn budget_points_table() {
    check_table("budget_points", BUDGET_CASES, |text| {
        budget_points(Some(text))
    });
    assert_eq!(budget_points(None), 10, "budget_points(None)");
}

const COMPANY_SIZE_CASES: &[(&str, i32)] = &[
    // 500+ → 30
    ("500+", 30),
    ("500", 30),
    ("свыше 1000", 30),
    ("более 500", 30),
    ("over 1000", 30),
    ("1000+", 30),
    ("1 000 сотрудников", 30),
    ("1,5 тыс. человек", 30),
    ("несколько тысяч", 30),
    ("тысячи сотрудников", 30),
    ("5k", 30),
    ("501-1000", 30),
    // 100 – 500 → 20
    ("100–500", 20),
    ("100-500", 20),
    ("100 — 500 человек", 20),
    ("~200 сотрудников", 20),
    ("около 300 человек", 20),
    ("от 100 до 500", 20),
    ("пару сотен", 20),
    ("hundreds", 20),
    ("100", 20),
    ("499", 20),
    ("до 500", 20),
    ("201-500", 20),
    // 50 – 100 → 15
    ("50–100", 15),
    ("50-100", 15),
    ("50", 15),
    ("51-200", 15),
    ("до 100", 15),
    ("99 человек", 15),
    ("полсотни", 15),
    // under 50 or unknown → 5
    ("до 50", 5),
    ("10 человек", 5),
    ("1-10", 5),
    ("11–50", 5),
    ("49", 5),
    ("меньше 50", 5),
    ("less than 50", 5),
    ("< 50", 5),
    ("один", 5),
    ("just me", 5),
    ("много", 5),
    ("asdf", 5),
    ("", 5),
    (" ", 5),
];

#[test]
fn company_size_points_table() {
    check_table("company_size_points", COMPANY_SIZE_CASES, |text| {
        company_size_points(Some(text))
    });
    assert_eq!(company_size_points(None), 5, "company_size_points(None)");
}

/// (deadline, expected urgency points) with no comments.
const DEADLINE_CASES: &[(&str, i32)] = &[
    // within a week, or urgent → 30
    ("1 неделя", 30),
    ("неделя", 30),
    ("неделю", 30),
    ("3 дня", 30),
    ("7 days", 30),
    ("7 дней", 30),
    ("5 рабочих дней", 30),
    ("48 часов", 30),
    ("30 минут", 30),
    ("сегодня", 30),
    ("завтра", 30),
    ("today", 30),
    ("tomorrow", 30),
    ("1-2 недели", 30),
    ("неделю-две", 30),
    ("a week", 30),
    ("на этой неделе", 30),
    ("до конца недели", 30),
    ("до 8 дней", 30),
    ("1 wk", 30),
    ("3d", 30),
    ("нужно было вчера", 30),
    ("срочно", 30),
    ("СРОЧНО!", 30),
    ("ASAP", 30),
    ("urgent, 6 months", 30),
    ("горит", 30),
    ("немедленно", 30),
    // under three months → 15
    ("2 недели", 15),
    ("две недели", 15),
    ("пару недель", 15),
    ("8 дней", 15),
    ("1 месяц", 15),
    ("месяц", 15),
    ("2 месяца", 15),
    ("2–3 месяца", 15),
    ("2-3 мес.", 15),
    ("от 2 до 3 месяцев", 15),
    ("1,5 месяца", 15),
    ("полтора месяца", 15),
    ("3-х недель", 15),
    ("10 рабочих дней", 15),
    ("a couple of weeks", 15),
    ("next month", 15),
    ("89 days", 15),
    ("12 weeks", 15),
    ("2 wks", 15),
    ("до 3 месяцев", 15),
    ("в течение месяца", 15),
    ("не срочно, 2 недели", 15),
    ("к 15 марта, примерно 2 недели", 15),
    // three months or more, or unknown → 5
    ("3 месяца", 5),
    ("3 месяца и более", 5),
    ("90 дней", 5),
    ("13 weeks", 5),
    ("квартал", 5),
    ("полгода", 5),
    ("пол года", 5),
    ("half a year", 5),
    ("6 months", 5),
    ("год", 5),
    ("1 год", 5),
    ("2 года", 5),
    ("1 yr", 5),
    ("не срочно", 5),
    ("несрочно", 5),
    ("без особой срочности", 5),
    ("not urgent", 5),
    ("no rush", 5),
    ("30", 5),
    ("15 марта", 5),
    ("asdf", 5),
    ("???", 5),
    ("asaparagus", 5),
    ("", 5),
    ("   ", 5),
];

#[test]
fn urgency_points_from_deadline_table() {
    check_table("urgency_points", DEADLINE_CASES, |deadline| {
        urgency_points(Some(deadline), None)
    });
}

/// (deadline, comments) as the form sends them.
type UrgencyFields = (Option<&'static str>, Option<&'static str>);

/// ((deadline, comments), expected urgency points): urgent words count in either field.
const COMMENT_CASES: &[(UrgencyFields, i32)] = &[
    ((None, None), 5),
    ((None, Some("срочно")), 30),
    ((Some("6 месяцев"), Some("Нужно срочно!")), 30),
    ((Some("год"), Some("ASAP please")), 30),
    ((Some("полгода"), Some("горит проект")), 30),
    ((Some("1 год"), Some("Urgent request")), 30),
    ((Some(""), Some("нужно немедленно")), 30),
    ((Some("полгода"), Some("Нет, это срочно")), 30),
    ((Some("полгода"), Some("не срочно")), 5),
    ((Some("полгода"), Some("без особой срочности")), 5),
    ((Some("полгода"), Some("not urgent")), 5),
    ((Some("полгода"), Some("it isn't urgent")), 5),
    ((Some("полгода"), Some("no rush")), 5),
    ((Some("полгода"), Some("не горит")), 5),
    ((Some("полгода"), Some("nothing urgent")), 5),
    ((Some("полгода"), Some("несрочный заказ")), 5),
    ((Some("полгода"), Some("asaparagus")), 5),
    ((Some("2 недели"), Some("not urgent")), 15),
    ((Some("неделя"), Some("не срочно")), 30),
];

#[test]
fn urgency_points_with_comments_table() {
    check_table("urgency_points", COMMENT_CASES, |(deadline, comments)| {
        urgency_points(*deadline, *comments)
    });
}

const URGENT_WORD_CASES: &[(&str, bool)] = &[
    ("срочно", true),
    ("СРОЧНО!", true),
    ("Очень срочно, пожалуйста", true),
    ("срочный заказ", true),
    ("нужна срочная доставка", true),
    ("urgent", true),
    ("Urgently needed", true),
    ("ASAP please", true),
    ("asap!", true),
    ("горит", true),
    ("сроки горят", true),
    ("immediately", true),
    ("Нет, срочно!", true),
    ("не знаю. срочно", true),
    ("как можно скорее", true),
    ("Please, as soon as possible!", true),
    ("сделать в кратчайшие сроки", true),
    ("не срочно", false),
    ("Не очень срочно", false),
    ("не обязательно как можно скорее", false),
    ("soon", false),
    ("несрочно", false),
    ("без особой срочности", false),
    ("not urgent", false),
    ("not so urgent", false),
    ("non-urgent", false),
    ("isn't urgent", false),
    ("nothing urgent", false),
    ("no rush", false),
    ("не горит", false),
    ("asaparagus", false),
    ("urgentness", false),
    ("", false),
];

#[test]
fn has_urgent_word_table() {
    check_table("has_urgent_word", URGENT_WORD_CASES, |text| {
        has_urgent_word(text)
    });
}

const AMOUNT_CASES: &[(&str, Option<u64>)] = &[
    ("1,5 млн", Some(1_500_000)),
    ("1.5m", Some(1_500_000)),
    ("2,5kk", Some(2_500_000)),
    ("1-5 млн", Some(1_000_000)),
    ("от 1 до 5 млн", Some(1_000_000)),
    ("500 тыс. – 1 млн ₽", Some(500_000)),
    ("500–1 млн", Some(500_000)),
    ("до 500 тыс. ₽", Some(499_999)),
    ("до 50", Some(49)),
    ("5M+", Some(5_000_000)),
    ("1.000.000", Some(1_000_000)),
    ("1,000", Some(1_000)),
    ("12,5", Some(12)),
    ("1.234.567,89", Some(1_234_567)),
    ("1,234,567.89", Some(1_234_567)),
    ("1 000 000", Some(1_000_000)),
    ("10 15", Some(10)),
    ("полмиллиона", Some(500_000)),
    ("2 сотни тысяч", Some(200_000)),
    ("hundreds of thousands", Some(100_000)),
    ("~200 сотрудников", Some(200)),
    ("0", Some(0)),
    (".5M", Some(500_000)),
    ("тыс.500", Some(500)),
    ("Бюджет на 2025 год: 3 млн", Some(3_000_000)),
    ("10 лет на рынке, 50 человек", Some(50)),
    ("asdf", None),
    ("", None),
    ("один", None),
    ("18446744073709551616", Some(u64::MAX)),
    ("99999999999999999999 млрд", Some(u64::MAX)),
];

#[test]
fn parse_amount_table() {
    check_table("parse_amount", AMOUNT_CASES, |text| parse_amount(text));
}

const DURATION_CASES: &[(&str, Option<u32>)] = &[
    ("3 дня", Some(3)),
    ("2 недели", Some(14)),
    ("1 месяц", Some(30)),
    ("2–3 месяца", Some(60)),
    ("3 месяца и более", Some(90)),
    ("полгода", Some(182)),
    ("half a year", Some(182)),
    ("год", Some(365)),
    ("неделя", Some(7)),
    ("сегодня", Some(0)),
    ("завтра", Some(1)),
    ("48 часов", Some(2)),
    ("до 1 недели", Some(6)),
    ("1,5 месяца", Some(45)),
    ("3-х недель", Some(21)),
    ("2 wks", Some(14)),
    ("30", None),
    ("asdf", None),
    ("", None),
    ("99999999999999999999 лет", Some(u32::MAX)),
];

#[test]
fn parse_duration_days_table() {
    check_table("parse_duration_days", DURATION_CASES, |text| {
        parse_duration_days(text)
    });
}

#[test]
fn score_adds_up_the_breakdown() {
    let input = ScoreInput {
        budget: Some("от 5 млн ₽"),
        company_size: Some("500+"),
        deadline: Some("2 недели"),
        comments: Some("Очень срочно!"),
    };
    let expected = Score {
        total: 100,
        breakdown: ScoreBreakdown {
            budget: 40,
            company_size: 30,
            urgency: 30,
        },
        priority: Priority::Urgent,
    };
    assert_eq!(score(&input), expected);

    let empty = score(&ScoreInput::default());
    assert_eq!(empty.total, 20, "nothing filled in scores the lowest bands");
    assert_eq!(empty.priority, Priority::Low);

    let medium = score(&ScoreInput {
        budget: Some("1-5 млн"),
        company_size: Some("100-500"),
        deadline: Some("полгода"),
        comments: None,
    });
    assert_eq!((medium.total, medium.priority), (55, Priority::Medium));
}

#[test]
fn priority_boundaries() {
    let cases = [
        (100, Priority::Urgent),
        (81, Priority::Urgent),
        (80, Priority::Medium),
        (50, Priority::Medium),
        (49, Priority::Low),
        (0, Priority::Low),
        (-5, Priority::Low),
    ];
    check_table("Priority::from_score", &cases, |&score| {
        Priority::from_score(score)
    });
}

#[test]
fn score_range_matches_from_score() {
    for score in 0..=MAX_SCORE {
        let priority = Priority::from_score(score);
        let (min, max) = priority.score_range();
        assert!(
            (min..=max).contains(&score),
            "score {score} is {priority:?} but outside its range {min}..={max}"
        );
    }
    for priority in Priority::ALL {
        let (min, max) = priority.score_range();
        assert_eq!(
            Priority::from_score(min),
            priority,
            "{priority:?} min {min}"
        );
        assert_eq!(
            Priority::from_score(max),
            priority,
            "{priority:?} max {max}"
        );
    }
    assert_eq!(Priority::Urgent.score_range(), (81, 100));
    assert_eq!(Priority::Medium.score_range(), (50, 80));
    assert_eq!(Priority::Low.score_range(), (0, 49));
}

#[test]
fn priority_names_round_trip() {
    for priority in Priority::ALL {
        assert_eq!(Priority::parse(priority.as_str()), Some(priority));
        assert_eq!(priority.to_string(), priority.as_str());
    }
    assert_eq!(Priority::parse(" urgent "), Some(Priority::Urgent));
    assert_eq!(Priority::parse("Medium"), Some(Priority::Medium));
    assert_eq!(Priority::parse("low"), Some(Priority::Low));
    assert_eq!(Priority::parse("high"), None);
    assert_eq!(Priority::parse(""), None);
}

#[test]
fn band_tables_are_well_formed() {
    for bands in [BUDGET_BANDS, COMPANY_SIZE_BANDS] {
        assert!(
            bands
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.min > b.min && a.points > b.points))
        );
        assert_eq!(bands.last().map(|b| b.min), Some(0));
    }
    let best = |bands: &[Band]| bands.first().map_or(0, |b| b.points);
    assert_eq!(
        best(&BUDGET_BANDS) + best(&COMPANY_SIZE_BANDS) + URGENCY_NOW_POINTS,
        MAX_SCORE
    );
}

#[test]
fn long_inputs_take_linear_time() {
    // Patterns that would make a naive look-ahead quadratic. Twice the text may take twice
    // the steps (plus a little); a quadratic walk would take four times as many.
    let steps_for = |text: &str| {
        let (result, steps) = steps::counted(|| {
            score(&ScoreInput {
                budget: Some(text),
                company_size: Some(text),
                deadline: Some(text),
                comments: Some(text),
            })
        });
        assert_eq!(result.total, result.breakdown.total(), "{text:.20}");
        steps
    };
    for pattern in [
        "a ",
        "1 - ",
        "1 $ ",
        "рабочих ",
        "не срочно ",
        "сотни ",
        "1.",
        "1 ",
        "- ",
    ] {
        let once = steps_for(&pattern.repeat(10_000));
        let twice = steps_for(&pattern.repeat(20_000));
        assert!(
            once >= 10_000,
            "{pattern:?}: {once} steps counted for 10 000 repeats"
        );
        assert!(
            twice <= once * 2 + 100,
            "{pattern:?}: 10 000 repeats took {once} steps, 20 000 took {twice}"
        );
    }
}

/// Pieces that exercise the parsers' edge cases when glued together at random.
fn fragment() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        " ",
        "\u{a0}",
        "\u{202f}",
        ",",
        ".",
        "'",
        "-",
        "–",
        "—",
        "+",
        "<",
        ">",
        "~",
        "$",
        "₽",
        "k",
        "к",
        "тыс",
        "тыс.",
        "тысяч",
        "млн",
        "m",
        "kk",
        "кк",
        "миллионов",
        "млрд",
        "руб",
        "день",
        "дня",
        "недели",
        "неделя",
        "мес",
        "месяца",
        "год",
        "лет",
        "полгода",
        "пол",
        "сегодня",
        "завтра",
        "weeks",
        "a",
        "half",
        "две",
        "несколько",
        "-х",
        "до",
        "от",
        "to",
        "свыше",
        "более",
        "не",
        "not",
        "up",
        "срочно",
        "urgent",
        "asap",
        "горит",
        "без",
    ]);
    prop_oneof![
        "[0-9]{1,25}",
        pieces.prop_map(String::from),
        any::<char>().prop_map(String::from),
    ]
}

fn messy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..16).prop_map(|pieces| pieces.concat())
}

fn any_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![any::<String>(), messy_text()])
}

/// "1234567" → "1 234 567" with the given separator.
fn group_thousands(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn score_is_always_well_formed(
        budget in any_text(),
        company_size in any_text(),
        deadline in any_text(),
        comments in any_text(),
    ) {
        let input = ScoreInput {
            budget: budget.as_deref(),
            company_size: company_size.as_deref(),
            deadline: deadline.as_deref(),
            comments: comments.as_deref(),
        };
        let result = score(&input);
        let b = result.breakdown;
        prop_assert!([40, 30, 20, 10].contains(&b.budget), "budget {}", b.budget);
        prop_assert!([30, 20, 15, 5].contains(&b.company_size), "company {}", b.company_size);
        prop_assert!([30, 15, 5].contains(&b.urgency), "urgency {}", b.urgency);
        prop_assert_eq!(result.total, b.budget + b.company_size + b.urgency);
        prop_assert!((0..=MAX_SCORE).contains(&result.total));
        prop_assert_eq!(result.priority, Priority::from_score(result.total));
    }

    #[test]
    fn huge_digit_strings_saturate(digits in "[1-9][0-9]{20,400}", suffix in prop::sample::select(vec!["", " млн", "k", ",5", " 000"])) {
        let text = format!("{digits}{suffix}");
        prop_assert_eq!(parse_amount(&text), Some(u64::MAX));
        prop_assert_eq!(parse_duration_days(&format!("{digits} лет")), Some(u32::MAX));
        prop_assert_eq!(budget_points(Some(&text)), 40);
    }

    #[test]
    fn grouped_integers_round_trip(
        n in any::<u64>(),
        sep in prop::sample::select(vec!["", " ", "\u{a0}", "\u{202f}", ",", ".", "'"]),
    ) {
        let text = group_thousands(n, sep);
        prop_assert_eq!(parse_amount(&text), Some(n), "{:?}", text);
    }

    #[test]
    fn millions_with_decimal_comma(whole in 0u64..10_000, tenths in 0u64..10) {
        let expected = whole * 1_000_000 + tenths * 100_000;
        prop_assert_eq!(parse_amount(&format!("{whole},{tenths} млн")), Some(expected));
        prop_assert_eq!(parse_amount(&format!("{whole}.{tenths}m")), Some(expected));
    }

    #[test]
    fn day_and_week_counts(n in 0u32..100_000) {
        prop_assert_eq!(parse_duration_days(&format!("{n} дней")), Some(n));
        prop_assert_eq!(parse_duration_days(&format!("{n} weeks")), Some(n * 7));
    }
}

mod explanations {
    use super::super::*;

    fn input<'a>(
        budget: Option<&'a str>,
        size: Option<&'a str>,
        deadline: Option<&'a str>,
        comments: Option<&'a str>,
    ) -> ScoreInput<'a> {
        ScoreInput {
            budget,
            company_size: size,
            deadline,
            comments,
        }
    }

    #[test]
    fn every_factor_says_why_and_agrees_with_the_score() {
        let cases = [
            input(None, None, None, None),
            input(Some("1,5 млн"), Some("100-500"), Some("2 недели"), None),
            input(
                Some("как договоримся"),
                Some("  "),
                Some("когда-нибудь"),
                Some("Срочно!"),
            ),
            input(
                Some("от 5 млн ₽"),
                Some("500+"),
                Some("3 месяца"),
                Some("не срочно"),
            ),
            input(
                Some("до 500 тыс."),
                None,
                Some("1 неделя"),
                Some("ASAP please"),
            ),
        ];
        for case in cases {
            let explained = explain(&case);
            let scored = score(&case).breakdown;
            assert_eq!(
                (
                    explained.budget.points,
                    explained.company_size.points,
                    explained.urgency.points
                ),
                (scored.budget, scored.company_size, scored.urgency),
                "{case:?}"
            );
            assert_eq!(
                (
                    explained.budget.max,
                    explained.company_size.max,
                    explained.urgency.max
                ),
                (40, 30, 30)
            );
        }
        let e = explain(&cases[0]);
        assert_eq!(e.budget.why, Why::NotGiven);
        assert_eq!(e.urgency.why, Why::NotGiven);
        let e = explain(&cases[1]);
        assert_eq!(
            e.budget.why,
            Why::Amount {
                value: 1_500_000,
                band: BUDGET_BANDS[1]
            }
        );
        assert_eq!(e.urgency.why, Why::Deadline { days: 14 });
        let e = explain(&cases[2]);
        assert_eq!(
            e.budget.why,
            Why::Unreadable {
                text: "как договоримся".into()
            }
        );
        assert_eq!(e.company_size.why, Why::NotGiven);
        assert_eq!(
            e.urgency.why,
            Why::UrgentWord {
                word: "срочно".into()
            }
        );
        // A negated word does not count: the deadline decides.
        assert_eq!(explain(&cases[3]).urgency.why, Why::Deadline { days: 90 });
        assert_eq!(
            explain(&cases[4]).urgency.why,
            Why::UrgentWord {
                word: "asap".into()
            }
        );
    }
}
