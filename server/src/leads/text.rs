//! A lead's free text — who is asking, and about their business — and the one table that every
//! use of it reads: validation, the stored columns, the API's types, the CSV export, the
//! duplicate fingerprint and the admin's search text.
//!
//! Adding a form field is one row in [`lead_text_fields!`], a migration adding its column, then
//! `make schema` and `npm run codegen` in `admin-spa/`. Nothing else lists the fields. Two
//! pinned tests then fail on purpose, because the CSV columns and every duplicate fingerprint
//! change: update their pins in the same commit.

use crate::{
    error::{AppError, AppResult, Reason},
    values::{Email, check_identity, check_text, optional_text},
};

use super::choices;

// The limits stay in `intake.rs`: the public page's tests read them from there.
use super::intake::{
    COMPANY_SIZE_MAX, CONTACT_METHOD_MAX, LONG_TEXT_MAX, NAME_MAX, NICHE_MAX, PHONE_MAX,
    PHONE_MIN_DIGITS, SHORT_TEXT_MAX,
};

/// The table: every free-text field of a lead, in form order.
///
/// `lead_text_fields!(then)` calls the macro `then` with the rows, so [`LeadText`] and
/// [`FIELDS`] here, the stored columns (`db::entities::lead`) and the API's types
/// (`graphql::leads`) are generated from the same list.
///
/// A row: `column: Type { api, label, max, check, search }` — the column (also the CSV header),
/// its type (`String` exactly when the check requires a value), the field's name in the API and
/// in errors, the label in messages, the longest value in characters, how the value is checked
/// ([`Check`]) and whether the admin's search looks in it. The form asks for the service
/// between the two sections, so the API and the CSV put it there too.
macro_rules! lead_text_fields {
    ($then:ident) => {
        $then! {
            contact {
                name:                     String         { api: "name",                   label: "Name",            max: NAME_MAX,           check: RequiredName, search: true },
                surname:                  String         { api: "surname",                label: "Surname",         max: NAME_MAX,           check: RequiredName, search: true },
                patronymic:               Option<String> { api: "patronymic",             label: "Patronymic",      max: NAME_MAX,           check: Name,         search: true },
                email:                    String         { api: "email",                  label: "Email",           max: Email::MAX_LEN,     check: Email,        search: true },
                phone:                    Option<String> { api: "phone",                  label: "Phone",           max: PHONE_MAX,          check: Phone,        search: true },
            }
            about {
                business_info:            Option<String> { api: "businessInfo",           label: "Business info",   max: LONG_TEXT_MAX,      check: Text,         search: true },
                business_niche:           Option<String> { api: "businessNiche",          label: "Business niche",  max: NICHE_MAX,          check: Text,         search: true },
                company_size:             Option<String> { api: "companySize",            label: "Company size",    max: COMPANY_SIZE_MAX,   check: Text,         search: false },
                budget:                   Option<String> { api: "budget",                 label: "Budget",          max: SHORT_TEXT_MAX,     check: Text,         search: false },
                deadline:                 Option<String> { api: "deadline",               label: "Deadline",        max: SHORT_TEXT_MAX,     check: Text,         search: false },
                convenient_time:          Option<String> { api: "convenientTime",         label: "Convenient time", max: SHORT_TEXT_MAX,     check: Text,         search: false },
                preferred_contact_method: Option<String> { api: "preferredContactMethod", label: "Contact method",  max: CONTACT_METHOD_MAX, check: Text,         search: false },
                additional_comments:      Option<String> { api: "additionalComments",     label: "Comments",        max: LONG_TEXT_MAX,      check: Text,         search: true },
            }
        }
    };
}
pub(crate) use lead_text_fields;

/// The contact methods (their codes, `choices.rs`) that reach the visitor on their phone:
/// choosing one makes the phone required. Free text from other clients is kept as typed and
/// asks for nothing. The public page's `NEEDS_PHONE` (`public-site/src/form/validate.ts`) is
/// tested against this list.
pub const PHONE_CONTACT_METHODS: [&str; 3] =
    ["contact_phone", "contact_telegram", "contact_whatsapp"];

/// How a field's value is checked. Every value is trimmed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// A required name: nothing invisible.
    RequiredName,
    /// An optional name: nothing invisible.
    Name,
    /// A required e-mail address ([`Email`]), stored lower-cased.
    Email,
    /// An optional phone number: digits, spaces and `+ ( ) -`, nothing invisible.
    Phone,
    /// Optional free text.
    Text,
}

impl Check {
    pub const fn required(self) -> bool {
        matches!(self, Self::RequiredName | Self::Email)
    }
}

/// Where a field sits in the form: the service is asked for between the two sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Who is asking.
    Contact,
    /// About their business and the job.
    About,
}

/// One row of the table, with the accessors generated for its column.
pub struct TextField {
    /// The column, and the CSV header.
    pub column: &'static str,
    /// The field's name in the API and in validation errors.
    pub api: &'static str,
    /// The field's name in validation messages.
    pub label: &'static str,
    /// The longest accepted value, in characters.
    pub max: usize,
    pub check: Check,
    /// Whether the admin's search looks in it.
    pub search: bool,
    pub section: Section,
    get: fn(&LeadText) -> Option<&str>,
    set: fn(&mut LeadText, Option<String>),
}

impl TextField {
    /// The field's value in `text`; `None` when an optional field is empty.
    pub fn get<'a>(&self, text: &'a LeadText) -> Option<&'a str> {
        (self.get)(text)
    }

    /// Sets the field's value in `text` (a required field takes `None` as empty).
    pub fn set(&self, text: &mut LeadText, value: Option<String>) {
        (self.set)(text, value);
    }

    /// Checks one value as typed: trimmed, within [`Self::max`], as [`Self::check`] demands.
    /// `None` for an optional value that is absent or blank.
    fn parse(&self, raw: Option<&str>) -> AppResult<Option<String>> {
        let (field, label, max) = (self.api, self.label, self.max);
        match self.check {
            Check::RequiredName => required(field, label, raw.unwrap_or_default(), max).map(Some),
            Check::Name => optional_identity(field, label, raw, max),
            Check::Email => Ok(Some(
                Email::parse(field, raw.unwrap_or_default())?
                    .as_str()
                    .to_owned(),
            )),
            Check::Phone => phone(field, label, raw, max),
            Check::Text => optional(field, label, raw, max),
        }
    }
}

impl std::fmt::Debug for TextField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextField")
            .field("column", &self.column)
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

/// A text column's type: `String` when the field is required, `Option<String>` otherwise.
pub trait TextValue {
    const REQUIRED: bool;
    fn text(&self) -> Option<&str>;
    /// A checked value (never `None` for a required field).
    fn from_checked(value: Option<String>) -> Self;
}

impl TextValue for String {
    const REQUIRED: bool = true;
    fn text(&self) -> Option<&str> {
        Some(self)
    }
    fn from_checked(value: Option<String>) -> Self {
        value.unwrap_or_default()
    }
}

impl TextValue for Option<String> {
    const REQUIRED: bool = false;
    fn text(&self) -> Option<&str> {
        self.as_deref()
    }
    fn from_checked(value: Option<String>) -> Self {
        value
    }
}

/// Generates [`LeadText`], [`FIELDS`] and the conversions to and from the stored row.
macro_rules! define_lead_text {
    (
        contact { $($c:ident: $ct:ty { $($cspec:tt)* },)* }
        about { $($a:ident: $at:ty { $($aspec:tt)* },)* }
    ) => {
        /// What a lead wrote about themselves and their business, field by field as the
        /// table says. Plain data: a value checked by the table is a [`super::intake::LeadDraft`]
        /// (or a stored lead).
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct LeadText {
            $(pub $c: $ct,)*
            $(pub $a: $at,)*
        }

        /// The table's rows, in form order.
        pub const FIELDS: [TextField; [$(stringify!($c),)* $(stringify!($a),)*].len()] = [
            $(define_lead_text!(@row $c: $ct, Contact, { $($cspec)* }),)*
            $(define_lead_text!(@row $a: $at, About, { $($aspec)* }),)*
        ];

        impl LeadText {
            /// Moves the text columns out of a stored row.
            pub(crate) fn take_from(row: &mut crate::db::entities::lead::Model) -> Self {
                Self {
                    $($c: std::mem::take(&mut row.$c),)*
                    $($a: std::mem::take(&mut row.$a),)*
                }
            }

            /// Sets every text column of a row about to be written.
            pub(crate) fn write_to(self, row: &mut crate::db::entities::lead::ActiveModel) {
                $(row.$c = sea_orm::ActiveValue::Set(self.$c);)*
                $(row.$a = sea_orm::ActiveValue::Set(self.$a);)*
            }
        }
    };
    (@row $field:ident: $ty:ty, $section:ident, {
        api: $api:literal, label: $label:literal, max: $max:expr, check: $check:ident, search: $search:literal
    }) => {{
        // A required check stores a `String`, an optional one an `Option<String>`.
        const _: () = assert!(<$ty as TextValue>::REQUIRED == Check::$check.required());
        TextField {
            column: stringify!($field),
            api: $api,
            label: $label,
            max: $max,
            check: Check::$check,
            search: $search,
            section: Section::$section,
            get: |text| TextValue::text(&text.$field),
            set: |text, value| text.$field = TextValue::from_checked(value),
        }
    }};
}

lead_text_fields!(define_lead_text);

/// A field of the form in form order: a text field, or the service between the sections.
#[derive(Debug, Clone, Copy)]
pub enum FormField {
    Text(&'static TextField),
    Service,
}

impl FormField {
    /// Its name as a column (and CSV header); the service's is `service`.
    pub fn column(self) -> &'static str {
        match self {
            Self::Text(field) => field.column,
            Self::Service => "service",
        }
    }

    /// Whether the admin's search looks in it.
    pub fn searched(self) -> bool {
        match self {
            Self::Text(field) => field.search,
            Self::Service => true,
        }
    }
}

/// Every field of the form in order: the contact fields, the service, the rest.
pub fn form_order() -> impl Iterator<Item = FormField> {
    let section = |section| {
        FIELDS
            .iter()
            .filter(move |field| field.section == section)
            .map(FormField::Text)
    };
    section(Section::Contact)
        .chain([FormField::Service])
        .chain(section(Section::About))
}

impl LeadText {
    /// The name sort's key: "surname name patronymic", as the list and the card name a person,
    /// [`sort_fold`]ed, so that case and ё do not decide the order ("абрамов" and "Ёлкин"
    /// sort among the others). Stored with each order in the column `sort_name` (migration 29
    /// folded the rows stored before it), and a cursor of the name sort carries it.
    pub fn sort_name(&self) -> String {
        let mut name = format!("{} {}", self.surname, self.name);
        if let Some(patronymic) = &self.patronymic {
            name.push(' ');
            name.push_str(patronymic);
        }
        sort_fold(&name)
    }

    /// Every value, in table order.
    pub fn values(&self) -> impl Iterator<Item = Option<&str>> {
        FIELDS.iter().map(|field| field.get(self))
    }

    /// Every value of the form in form order, the service's name in its place.
    pub fn form_values<'a>(
        &'a self,
        service_name: Option<&'a str>,
    ) -> impl Iterator<Item = (FormField, Option<&'a str>)> {
        form_order().map(move |field| match field {
            FormField::Text(text) => (field, text.get(self)),
            FormField::Service => (field, service_name),
        })
    }

    /// Checks and normalises the fields of one section in table order, in place; the first
    /// bad one is named.
    pub(super) fn check(&mut self, section: Section) -> AppResult<()> {
        for field in FIELDS.iter().filter(|field| field.section == section) {
            let value = field.parse(field.get(self))?;
            field.set(self, value);
        }
        if section == Section::Contact {
            self.check_phone_needed()?;
        }
        Ok(())
    }

    /// A contact method of [`PHONE_CONTACT_METHODS`] with no phone: the phone is refused as
    /// missing. Named with the contact fields, where the phone sits in the form (the method comes
    /// later), since the phone is what the visitor has to add.
    fn check_phone_needed(&self) -> AppResult<()> {
        let method = self.preferred_contact_method.as_deref().map(str::trim);
        let Some(method) = method.filter(|m| PHONE_CONTACT_METHODS.contains(m)) else {
            return Ok(());
        };
        if self.phone.is_some() {
            return Ok(());
        }
        let by = choices::find(method).map_or(method, |choice| choice.en);
        Err(AppError::validation(
            "phone",
            Reason::Required,
            format!("Phone is required to be contacted by {by}"),
        ))
    }

    /// The text the admin's search looks in, [`fold`]ed: the searched fields in form order,
    /// the service's name among them.
    pub fn search_text(&self, service_name: Option<&str>) -> String {
        let parts: Vec<&str> = self
            .form_values(service_name)
            .filter(|(field, _)| field.searched())
            .filter_map(|(_, value)| value)
            .collect();
        let mut text = fold(&parts.join("\n"));
        // Digits of phone numbers too, so "9991234567" finds "+7 (999) 123-45-67".
        for part in parts {
            let digits: String = part.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 5 && digits.len() != part.len() {
                text.push('\n');
                text.push_str(&digits);
            }
        }
        text
    }
}

/// Text as the search stores and compares it: lower-cased (Unicode-aware, so Cyrillic folds
/// too), and `ё` as `е`, which Russian writers use for it at will ("Федоров" finds "Фёдоров").
pub fn fold(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

/// The capitals the name sort folds: each range of capitals with the small letter of its
/// first — Latin, Latin-1's accented letters, and the Cyrillic capitals (Russian, and Ё, Є,
/// І, Ї, Ў, … of the same block). Anything else is compared as it is.
///
/// Narrower than [`fold`] on purpose: migration `m20261206_000029_name_sort_folds` folded the
/// rows stored before it in SQL with this very table, and neither database has a lower-casing
/// that agrees with Rust's everywhere (SQLite's folds ASCII alone; PostgreSQL's follows the
/// database's locale). Old rows and new ones must sort alike, letter by letter, which the API
/// tests check on both databases.
pub const SORT_FOLDS: [(char, char, char); 5] = [
    ('A', 'Z', 'a'),
    ('À', 'Ö', 'à'),
    ('Ø', 'Þ', 'ø'),
    ('Ѐ', 'Џ', 'ѐ'),
    ('А', 'Я', 'а'),
];

/// Text as the name sort compares it: the capitals of [`SORT_FOLDS`] small, and `ё` as `е`
/// (as [`fold`] does for Russian and Latin names). The databases then compare it code point by
/// code point (SQLite's `BINARY`, PostgreSQL's `"C"`), as Rust compares strings.
pub fn sort_fold(text: &str) -> String {
    text.chars()
        .map(|c| {
            let small = SORT_FOLDS
                .iter()
                .find(|(first, last, _)| (*first..=*last).contains(&c))
                .and_then(|(first, _, small)| {
                    char::from_u32(u32::from(*small) + (u32::from(c) - u32::from(*first)))
                })
                .unwrap_or(c);
            if small == 'ё' { 'е' } else { small }
        })
        .collect()
}

/// A required name: trimmed, within `max`, nothing invisible.
fn required(field: &str, label: &str, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::validation(
            field,
            Reason::Required,
            format!("{label} is required"),
        ));
    }
    check_identity(field, label, value, max)?;
    Ok(value.to_owned())
}

fn optional(
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> AppResult<Option<String>> {
    let value = optional_text(value);
    if let Some(v) = &value {
        check_text(field, label, v, max)?;
    }
    Ok(value)
}

/// An optional name or contact: nothing invisible.
fn optional_identity(
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> AppResult<Option<String>> {
    let value = optional(field, label, value, max)?;
    if let Some(v) = &value {
        check_identity(field, label, v, max)?;
    }
    Ok(value)
}

/// An optional phone: digits, spaces and `+ ( ) -`, at least [`PHONE_MIN_DIGITS`] digits (a
/// number the business can call back; as for the business's own), within `max`. What a
/// phone cannot hold is named before the length: cutting a value with letters in it down to
/// `max` would not make it a phone (control and invisible characters are named as such).
fn phone(field: &str, label: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    let Some(phone) = optional_text(value) else {
        return Ok(None);
    };
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    if !allowed || phone.chars().filter(char::is_ascii_digit).count() < PHONE_MIN_DIGITS {
        check_identity(field, label, &phone, usize::MAX)?;
        return Err(AppError::validation(
            field,
            Reason::InvalidPhone,
            format!(
                "{label} must be a number: digits, spaces and + ( ) -, \
                 at least {PHONE_MIN_DIGITS} digits"
            ),
        )
        .with("min", PHONE_MIN_DIGITS));
    }
    check_identity(field, label, &phone, max)?;
    Ok(Some(phone))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> LeadText {
        let mut text = LeadText::default();
        for field in &FIELDS {
            field.set(&mut text, Some(format!("value of {}", field.column)));
        }
        text
    }

    #[test]
    fn the_table_drives_every_use() {
        let text = filled();
        let columns: Vec<&str> = FIELDS.iter().map(|field| field.column).collect();
        // Every field reads and writes its own column.
        for field in &FIELDS {
            let expected = format!("value of {}", field.column);
            assert_eq!(
                field.get(&text),
                Some(expected.as_str()),
                "{}",
                field.column
            );
        }
        assert_eq!(
            text.values().flatten().count(),
            FIELDS.len(),
            "every field reaches the fingerprint"
        );
        // Form order: every field once, the service between the sections.
        let form: Vec<&str> = form_order().map(FormField::column).collect();
        let service = form.iter().position(|c| *c == "service").unwrap();
        assert_eq!(form.len(), FIELDS.len() + 1);
        assert!(columns.iter().all(|c| form.contains(c)));
        assert!(form[..service].iter().all(|c| {
            FIELDS
                .iter()
                .any(|f| f.column == *c && f.section == Section::Contact)
        }));
        // Search text: exactly the searched fields (and the service).
        let search = text.search_text(Some("the service"));
        assert!(search.contains("the service"));
        for field in &FIELDS {
            assert_eq!(
                search.contains(&format!("value of {}", field.column)),
                field.search,
                "{} in the search text",
                field.column
            );
        }
        // The API names are the columns in camelCase, as async-graphql spells them.
        for field in &FIELDS {
            let camel: String = field
                .column
                .split('_')
                .enumerate()
                .map(|(i, word)| match i {
                    0 => word.to_owned(),
                    _ => word[..1].to_uppercase() + &word[1..],
                })
                .collect();
            assert_eq!(field.api, camel);
        }
    }

    #[test]
    fn blank_optionals_are_absent_and_values_trimmed() {
        let mut text = LeadText {
            name: "  Иван ".into(),
            surname: "Петров".into(),
            email: " Ivan@Example.com".into(),
            budget: Some("   ".into()),
            deadline: Some(" 1 месяц ".into()),
            ..LeadText::default()
        };
        text.check(Section::Contact).unwrap();
        text.check(Section::About).unwrap();
        assert_eq!(text.name, "Иван");
        assert_eq!(text.email, "ivan@example.com");
        assert_eq!(text.budget, None);
        assert_eq!(text.deadline.as_deref(), Some("1 месяц"));
    }

    /// The name sort's fold is [`fold`] wherever its table reaches, and leaves the rest alone.
    #[test]
    fn sort_names_fold_case_and_yo() {
        let text = LeadText {
            surname: "Ёлкина-ОРЛОВА".into(),
            name: "анна".into(),
            patronymic: Some("Сергеевна".into()),
            ..LeadText::default()
        };
        assert_eq!(text.sort_name(), "елкина-орлова анна сергеевна");
        assert_eq!(
            sort_fold("Zoë ÖZTÜRK Іван Ўладзімір"),
            "zoë öztürk іван ўладзімір"
        );
        for (first, last, _) in SORT_FOLDS {
            for c in first..=last {
                assert_eq!(sort_fold(&c.to_string()), fold(&c.to_string()), "{c}");
            }
        }
        // Outside the table: as it is ("Ґ" is past the block, "ẞ" has no one-letter small).
        assert_eq!(sort_fold("Ґ ẞ Ω"), "Ґ ẞ Ω");
    }

    fn phone_refusal(typed: &str) -> Reason {
        let mut text = LeadText {
            name: "Иван".into(),
            surname: "Петров".into(),
            email: "ivan@example.com".into(),
            phone: Some(typed.into()),
            ..LeadText::default()
        };
        match text.check(Section::Contact) {
            Err(AppError::Validation { field, reason, .. }) if field == "phone" => reason,
            other => panic!("{typed:?}: expected a refusal of the phone, got {other:?}"),
        }
    }

    /// Characters a phone cannot hold are named before the length: deleting the surplus alone
    /// would still leave the value refused.
    #[test]
    fn a_phone_names_its_bad_characters_before_its_length() {
        assert_eq!(
            phone_refusal("+7 (912) 555-01-68 доб. 3"),
            Reason::InvalidPhone
        );
        assert_eq!(phone_refusal(&"-".repeat(21)), Reason::InvalidPhone);
        // Too few digits to call back.
        assert_eq!(phone_refusal("1"), Reason::InvalidPhone);
        assert_eq!(phone_refusal("+7 (12)"), Reason::InvalidPhone);
        assert_eq!(phone_refusal("+()"), Reason::InvalidPhone);
        assert_eq!(phone_refusal(&"1".repeat(21)), Reason::TooLong);
        assert_eq!(
            phone_refusal(&format!("{}\u{0}", "1".repeat(21))),
            Reason::ControlCharacters
        );
        assert_eq!(
            phone_refusal(&format!("{}\u{200B}", "1".repeat(21))),
            Reason::InvisibleCharacters
        );
    }

    #[test]
    fn the_contact_methods_that_need_a_phone_are_the_forms_codes() {
        for code in PHONE_CONTACT_METHODS {
            let choice = choices::find(code).unwrap_or_else(|| panic!("{code} is no code"));
            assert_eq!(choice.field, choices::ChoiceField::ContactMethod, "{code}");
        }
        assert!(!PHONE_CONTACT_METHODS.contains(&"contact_email"));
    }

    #[test]
    fn search_text_folds_cyrillic_and_phone_digits() {
        let text = LeadText {
            name: "ИВАН".into(),
            phone: Some("+7 (999) 123-45-67".into()),
            ..LeadText::default()
        };
        let search = text.search_text(None);
        assert!(search.contains("иван"));
        assert!(search.contains("79991234567"));
        let text = LeadText {
            surname: "ФЁДОРОВ".into(),
            business_niche: Some("Ёлки".into()),
            ..LeadText::default()
        };
        let search = text.search_text(None);
        assert!(search.contains("федоров\n"), "{search}");
        assert!(search.contains("елки"), "{search}");
        assert!(!search.contains('ё'), "{search}");
    }
}
