//! A tracker batch as sent, and its validated form. Every cap refuses the whole batch with the
//! field named: nothing of a bad batch is stored.

use std::{collections::BTreeMap, sync::Arc};

use uuid::Uuid;

use super::{HEATMAP_COLUMNS, HEATMAP_ROW_HEIGHT, ViewportClass};
use crate::error::{AppError, AppResult, Reason};

pub const MAX_POINTS: usize = 200;
pub const MAX_CLICK_ENTRIES: usize = 50;
pub const MAX_FIELDS: usize = 50;
pub const MAX_NAME_LEN: usize = 100;
pub const MAX_PAGE_LEN: usize = 200;
pub const MAX_ENGAGED_SECONDS: i32 = 60;
pub const MAX_CLICK_COUNT: i32 = 1000;
/// Clicks in one batch, all elements together.
pub const MAX_BATCH_CLICKS: i64 = 1000;
pub const MAX_Y: i32 = 100_000;
pub const VIEWPORT_RANGE: std::ops::RangeInclusive<i32> = 100..=10_000;
pub const MAX_FOCUS_COUNT: i32 = 1000;
pub const MAX_FOCUSED_MS: i32 = 3_600_000;

#[derive(Debug, Clone, Default)]
pub struct FieldInput {
    pub name: String,
    pub focus_count: i32,
    pub focused_ms: i32,
    pub last_touched: bool,
}

#[derive(Debug, Clone, Default)]
pub struct BatchInput {
    pub visitor_id: String,
    pub visit_id: String,
    pub seq: i32,
    pub page: String,
    pub viewport_width: i32,
    pub viewport_height: i32,
    pub engaged_seconds: i32,
    pub clicks: Vec<(String, i32)>,
    pub points: Vec<(f64, i32)>,
    pub fields: Vec<FieldInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDelta {
    pub name: String,
    pub focuses: i64,
    pub focused_ms: i64,
}

/// A batch that passed every cap; points already binned into heatmap cells.
#[derive(Debug, Clone)]
pub struct Batch {
    pub visitor_id: Uuid,
    pub visit_id: Uuid,
    pub seq: i32,
    /// Shared, not copied: every heatmap cell and counter of the batch is keyed by it.
    pub page: Arc<str>,
    pub viewport_width: i32,
    pub viewport_height: i32,
    pub viewport_class: ViewportClass,
    pub engaged_seconds: i32,
    pub clicks: BTreeMap<String, i64>,
    /// (column 0–99, row) → points.
    pub cells: BTreeMap<(i16, i32), i64>,
    pub fields: Vec<FieldDelta>,
    pub last_field: Option<String>,
}

fn bad(field: &str, reason: Reason, message: impl Into<String>) -> AppError {
    AppError::validation(field, reason, message)
}

fn uuid(field: &str, text: &str) -> AppResult<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| bad(field, Reason::InvalidId, "Must be a UUID"))
}

fn name(field: &str, text: &str) -> AppResult<String> {
    let text = text.trim();
    if text.chars().any(crate::values::is_invisible) {
        // The admin reads these names: nothing may disguise one as another.
        return Err(bad(
            field,
            Reason::InvisibleCharacters,
            "Must not contain invisible or text-direction characters",
        ));
    }
    if text.is_empty() || text.chars().count() > MAX_NAME_LEN || text.chars().any(char::is_control)
    {
        let reason = if text.is_empty() {
            Reason::Required
        } else if text.chars().any(char::is_control) {
            Reason::ControlCharacters
        } else {
            Reason::TooLong
        };
        return Err(bad(
            field,
            reason,
            format!("Must be 1–{MAX_NAME_LEN} characters, no control characters"),
        )
        .with("max", MAX_NAME_LEN));
    }
    Ok(text.to_owned())
}

/// Whether `name` is a field of the order form as the tracker names it (the field's `name`,
/// which is its name in `ApplicationInput`).
pub fn is_form_field(name: &str) -> bool {
    crate::leads::text::FIELDS
        .iter()
        .any(|field| field.api == name)
        || matches!(name, "serviceId" | "consent")
}

impl Batch {
    /// Cursor points in the batch.
    pub fn points(&self) -> i64 {
        self.cells.values().sum()
    }

    /// Validates `input`; its page must be one of `pages`, the site's known pages.
    pub fn parse(input: &BatchInput, pages: &[String]) -> AppResult<Self> {
        let visitor_id = uuid("visitorId", &input.visitor_id)?;
        let visit_id = uuid("visitId", &input.visit_id)?;
        if input.seq < 1 {
            return Err(bad("seq", Reason::OutOfRange, "Must be 1 or more").with("min", 1));
        }
        let page = input.page.trim();
        if !page.starts_with('/')
            || page.chars().count() > MAX_PAGE_LEN
            || page.chars().any(char::is_control)
        {
            return Err(bad(
                "page",
                Reason::InvalidFormat,
                format!("Must be a path starting with / (≤ {MAX_PAGE_LEN} characters)"),
            ));
        }
        // Known pages only: nobody can create statistics rows for pages that do not exist.
        if !pages.iter().any(|known| known == page) {
            return Err(bad(
                "page",
                Reason::UnknownValue,
                "Not one of this site's pages",
            ));
        }
        for (field, value) in [
            ("viewportWidth", input.viewport_width),
            ("viewportHeight", input.viewport_height),
        ] {
            if !VIEWPORT_RANGE.contains(&value) {
                return Err(
                    bad(field, Reason::OutOfRange, "Must be between 100 and 10000")
                        .with("min", *VIEWPORT_RANGE.start())
                        .with("max", *VIEWPORT_RANGE.end()),
                );
            }
        }
        if !(0..=MAX_ENGAGED_SECONDS).contains(&input.engaged_seconds) {
            return Err(bad(
                "engagedSeconds",
                Reason::OutOfRange,
                "Must be between 0 and 60",
            )
            .with("min", 0)
            .with("max", MAX_ENGAGED_SECONDS));
        }
        if input.clicks.len() > MAX_CLICK_ENTRIES {
            return Err(bad(
                "clicks",
                Reason::TooMany,
                format!("At most {MAX_CLICK_ENTRIES} entries"),
            )
            .with("max", MAX_CLICK_ENTRIES));
        }
        if input.points.len() > MAX_POINTS {
            return Err(bad(
                "points",
                Reason::TooMany,
                format!("At most {MAX_POINTS} points"),
            )
            .with("max", MAX_POINTS));
        }
        if input.fields.len() > MAX_FIELDS {
            return Err(bad(
                "fields",
                Reason::TooMany,
                format!("At most {MAX_FIELDS} fields"),
            )
            .with("max", MAX_FIELDS));
        }

        let mut clicks = BTreeMap::new();
        for (element, count) in &input.clicks {
            let element = name("clicks.element", element)?;
            if !(1..=MAX_CLICK_COUNT).contains(count) {
                return Err(bad(
                    "clicks.count",
                    Reason::OutOfRange,
                    format!("Must be between 1 and {MAX_CLICK_COUNT}"),
                )
                .with("min", 1)
                .with("max", MAX_CLICK_COUNT));
            }
            *clicks.entry(element).or_insert(0) += i64::from(*count);
        }
        if clicks.values().sum::<i64>() > MAX_BATCH_CLICKS {
            return Err(bad(
                "clicks.count",
                Reason::TooMany,
                format!("At most {MAX_BATCH_CLICKS} clicks in one batch"),
            )
            .with("max", MAX_BATCH_CLICKS));
        }

        let mut cells = BTreeMap::new();
        for &(x, y) in &input.points {
            if !x.is_finite() || !(0.0..=1.0).contains(&x) {
                return Err(
                    bad("points.x", Reason::OutOfRange, "Must be between 0 and 1")
                        .with("min", 0)
                        .with("max", 1),
                );
            }
            if !(0..=MAX_Y).contains(&y) {
                return Err(bad(
                    "points.y",
                    Reason::OutOfRange,
                    format!("Must be between 0 and {MAX_Y}"),
                )
                .with("min", 0)
                .with("max", MAX_Y));
            }
            // x = 1.0 (the right edge) belongs to the last column.
            let column = ((x * f64::from(HEATMAP_COLUMNS)) as i16).min(HEATMAP_COLUMNS - 1);
            *cells.entry((column, y / HEATMAP_ROW_HEIGHT)).or_insert(0) += 1;
        }

        let mut fields = Vec::with_capacity(input.fields.len());
        let mut last_field = None;
        for field in &input.fields {
            let field_name = name("fields.name", &field.name)?;
            // The order form's fields only: nobody can make statistics rows of made-up names.
            if !is_form_field(&field_name) {
                return Err(bad(
                    "fields.name",
                    Reason::UnknownValue,
                    "Not one of the order form's fields",
                ));
            }
            if !(0..=MAX_FOCUS_COUNT).contains(&field.focus_count) {
                return Err(bad(
                    "fields.focusCount",
                    Reason::OutOfRange,
                    format!("Must be between 0 and {MAX_FOCUS_COUNT}"),
                )
                .with("min", 0)
                .with("max", MAX_FOCUS_COUNT));
            }
            if !(0..=MAX_FOCUSED_MS).contains(&field.focused_ms) {
                return Err(bad(
                    "fields.focusedMs",
                    Reason::OutOfRange,
                    format!("Must be between 0 and {MAX_FOCUSED_MS}"),
                )
                .with("min", 0)
                .with("max", MAX_FOCUSED_MS));
            }
            if field.last_touched {
                last_field = Some(field_name.clone());
            }
            fields.push(FieldDelta {
                name: field_name,
                focuses: i64::from(field.focus_count),
                focused_ms: i64::from(field.focused_ms),
            });
        }

        Ok(Self {
            visitor_id,
            visit_id,
            seq: input.seq,
            page: Arc::from(page),
            viewport_width: input.viewport_width,
            viewport_height: input.viewport_height,
            viewport_class: ViewportClass::from_width(input.viewport_width),
            engaged_seconds: input.engaged_seconds,
            clicks,
            cells,
            fields,
            last_field,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any batch, however wrong, is accepted within the caps or refused naming a field.
        #[test]
        fn any_batch_is_parsed_or_refused_without_panicking(
            seq in any::<i32>(),
            page in any::<String>(),
            width in any::<i32>(),
            engaged in any::<i32>(),
            clicks in proptest::collection::vec((any::<String>(), any::<i32>()), 0..60),
            points in proptest::collection::vec((any::<f64>(), any::<i32>()), 0..220),
        ) {
            let input = BatchInput {
                visitor_id: uuid::Uuid::new_v4().to_string(),
                visit_id: uuid::Uuid::new_v4().to_string(),
                seq,
                page,
                viewport_width: width,
                viewport_height: 800,
                engaged_seconds: engaged,
                clicks,
                points,
                fields: Vec::new(),
            };
            match Batch::parse(&input, &pages()) {
                Ok(batch) => {
                    prop_assert!(batch.points() <= MAX_POINTS as i64);
                    prop_assert!(batch.clicks.values().sum::<i64>() <= MAX_BATCH_CLICKS);
                    prop_assert_eq!(&*batch.page, "/");
                }
                Err(AppError::Validation { field, .. }) => prop_assert!(!field.is_empty()),
                Err(other) => prop_assert!(false, "not a validation error: {:?}", other),
            }
        }
    }

    fn pages() -> Vec<String> {
        vec!["/".to_owned()]
    }

    pub fn valid() -> BatchInput {
        BatchInput {
            visitor_id: Uuid::new_v4().to_string(),
            visit_id: Uuid::new_v4().to_string(),
            seq: 1,
            page: "/".into(),
            viewport_width: 1280,
            viewport_height: 800,
            engaged_seconds: 1,
            clicks: vec![("submit".into(), 2), ("submit".into(), 1)],
            points: vec![(0.0, 0), (1.0, 15), (0.555, 16)],
            fields: vec![FieldInput {
                name: "email".into(),
                focus_count: 1,
                focused_ms: 900,
                last_touched: true,
            }],
        }
    }

    #[test]
    fn points_bin_into_cells_and_clicks_merge() {
        let batch = Batch::parse(&valid(), &pages()).unwrap();
        assert_eq!(batch.clicks["submit"], 3);
        assert_eq!(batch.cells.get(&(0, 0)), Some(&1));
        assert_eq!(batch.cells.get(&(99, 0)), Some(&1));
        assert_eq!(batch.cells.get(&(55, 1)), Some(&1));
        assert_eq!(batch.viewport_class, ViewportClass::Desktop);
        assert_eq!(batch.last_field.as_deref(), Some("email"));
    }

    /// Every field the public page's form has, as the tracker names them (`name`, honeypot and
    /// `data-notrack` left out), is one a batch may report.
    #[test]
    fn the_order_forms_fields_are_known() {
        let page = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../public-site/index.html"
        ))
        .expect("the public page");
        let mut seen = 0;
        for tag in page.split('<').filter(|tag| {
            ["input", "select", "textarea"].iter().any(|kind| {
                tag.strip_prefix(kind)
                    .is_some_and(|rest| rest.starts_with(char::is_whitespace))
            })
        }) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            let Some(name) = tag
                .split("name=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
            else {
                continue;
            };
            if tag.contains("data-notrack") || tag.contains("type=\"submit\"") {
                continue;
            }
            assert!(is_form_field(name), "the form's field {name} is not known");
            seen += 1;
        }
        assert!(
            seen >= 10,
            "only {seen} fields found: is the form still in index.html?"
        );
        assert!(!is_form_field("website"), "the honeypot is no field");
    }

    #[test]
    fn every_cap_names_its_field() {
        type Mutation = Box<dyn Fn(&mut BatchInput)>;
        let cases: Vec<(&str, Mutation)> = vec![
            ("visitorId", Box::new(|b| b.visitor_id = "x".into())),
            ("visitId", Box::new(|b| b.visit_id = "".into())),
            ("seq", Box::new(|b| b.seq = 0)),
            ("page", Box::new(|b| b.page = "http://x".into())),
            ("page", Box::new(|b| b.page = "/a\u{0}b".into())),
            (
                "clicks.element",
                Box::new(|b| b.clicks = vec![("a\u{0}".into(), 1)]),
            ),
            ("viewportWidth", Box::new(|b| b.viewport_width = 99)),
            ("viewportHeight", Box::new(|b| b.viewport_height = 10_001)),
            ("engagedSeconds", Box::new(|b| b.engaged_seconds = 61)),
            ("engagedSeconds", Box::new(|b| b.engaged_seconds = -1)),
            (
                "clicks",
                Box::new(|b| b.clicks = (0..51).map(|i| (format!("e{i}"), 1)).collect()),
            ),
            (
                "clicks.element",
                Box::new(|b| b.clicks = vec![("x".repeat(101), 1)]),
            ),
            (
                "clicks.count",
                Box::new(|b| b.clicks = vec![("a".into(), 0)]),
            ),
            ("points", Box::new(|b| b.points = vec![(0.5, 1); 201])),
            ("points.x", Box::new(|b| b.points = vec![(1.01, 1)])),
            ("points.x", Box::new(|b| b.points = vec![(f64::NAN, 1)])),
            ("points.y", Box::new(|b| b.points = vec![(0.5, -1)])),
            ("points.y", Box::new(|b| b.points = vec![(0.5, 100_001)])),
            ("fields.name", Box::new(|b| b.fields[0].name = " ".into())),
            (
                "fields.name",
                Box::new(|b| b.fields[0].name = "comments".into()),
            ),
            (
                "fields.focusedMs",
                Box::new(|b| b.fields[0].focused_ms = 3_600_001),
            ),
        ];
        for (field, mutate) in cases {
            let mut input = valid();
            mutate(&mut input);
            match Batch::parse(&input, &pages()) {
                Err(AppError::Validation { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: expected a validation error, got {other:?}"),
            }
        }
    }
}
