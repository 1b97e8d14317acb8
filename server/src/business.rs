//! The business behind the public page: its name, logo, contacts, address, "about" text,
//! privacy policy, consent wording and colour. The owner edits them in the admin; the public
//! page reads them (and is told of every change, like the service list).
//!
//! One row (id 1), absent until the first save: an unset value is `None` and the page falls
//! back to neutral wording. Every save replaces every text field; the logo changes only when
//! asked (a new upload, a URL, or removal).

use std::{sync::Arc, time::Duration};

use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, DerivePartialModel, EntityTrait, QuerySelect,
    TransactionTrait, sea_query::OnConflict,
};

use crate::{
    db::entities::business_settings as row,
    error::{AppError, AppResult, Reason},
    events::{Event, Events},
    values::{Email, check_identity, check_text, optional_text},
};
use tokio::{sync::Mutex, time::Instant};

const ID: i32 = 1;

/// What the public page and the admin see. The uploaded logo's bytes are served by HTTP
/// (`GET /media/logo`), not carried here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub name: Option<String>,
    pub about: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub telegram: Option<String>,
    pub whatsapp: Option<String>,
    pub address: Option<String>,
    pub policy_text: Option<String>,
    pub policy_url: Option<String>,
    pub consent_text: Option<String>,
    pub consent_version: i32,
    pub primary_color: Option<String>,
    pub currency: String,
    /// The logo the owner linked.
    pub logo_url: Option<String>,
    /// The version of the uploaded logo, when there is one (cache-busting query of its URL).
    pub uploaded_logo: Option<i32>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Settings {
    fn unset() -> Self {
        Self {
            currency: DEFAULT_CURRENCY.to_owned(),
            ..Self::default()
        }
    }

    /// Where the page finds the logo: the upload (served here) wins over a linked URL.
    pub fn logo_src(&self) -> Option<String> {
        match self.uploaded_logo {
            Some(version) => Some(format!("{LOGO_PATH}?v={version}")),
            None => self.logo_url.clone(),
        }
    }
}

/// The settings' row without the logo's bytes (up to 100 KiB): every load of the public page
/// reads the settings, and only `GET /media/logo` needs the bytes.
#[derive(DerivePartialModel)]
#[sea_orm(entity = "row::Entity")]
struct Stored {
    name: Option<String>,
    about: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    telegram: Option<String>,
    whatsapp: Option<String>,
    address: Option<String>,
    policy_text: Option<String>,
    policy_url: Option<String>,
    consent_text: Option<String>,
    consent_version: i32,
    primary_color: Option<String>,
    currency: String,
    logo_url: Option<String>,
    /// Set exactly when an upload is stored (`update`).
    logo_content_type: Option<String>,
    logo_version: i32,
    updated_at: Option<DateTime<Utc>>,
}

impl From<Stored> for Settings {
    fn from(m: Stored) -> Self {
        Self {
            name: m.name,
            about: m.about,
            phone: m.phone,
            email: m.email,
            telegram: m.telegram,
            whatsapp: m.whatsapp,
            address: m.address,
            policy_text: m.policy_text,
            policy_url: m.policy_url,
            consent_text: m.consent_text,
            consent_version: m.consent_version,
            primary_color: m.primary_color,
            currency: m.currency,
            logo_url: m.logo_url,
            uploaded_logo: m.logo_content_type.map(|_| m.logo_version),
            updated_at: m.updated_at,
        }
    }
}

/// Where the server serves the uploaded logo.
pub const LOGO_PATH: &str = "/media/logo";
pub const DEFAULT_CURRENCY: &str = "RUB";
/// The currencies a price may be shown in.
pub const CURRENCIES: [&str; 6] = ["RUB", "USD", "EUR", "KZT", "BYN", "UAH"];

pub const NAME_MAX: usize = 120;
pub const ABOUT_MAX: usize = 1000;
pub const PHONE_MAX: usize = 30;
pub const ADDRESS_MAX: usize = 300;
pub const POLICY_TEXT_MAX: usize = 20_000;
pub const CONSENT_MAX: usize = 1000;
pub const URL_MAX: usize = 500;
/// Largest uploaded logo, in bytes (its base64 fits the request limit comfortably).
pub const LOGO_MAX_BYTES: usize = 100 * 1024;

/// An uploaded logo: bytes whose type was recognised from their content.
#[derive(Clone, PartialEq, Eq)]
pub struct Logo {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Logo({}, {} bytes)", self.content_type, self.bytes.len())
    }
}

impl Logo {
    /// Base64 (or a `data:` URL, as a browser's `FileReader` gives it) of a PNG, JPEG, WebP or
    /// GIF of at most [`LOGO_MAX_BYTES`]. The type is read from the bytes, never believed from
    /// the client; SVG is refused (it can carry script).
    pub fn parse(field: &str, raw: &str) -> AppResult<Self> {
        let raw = raw.trim();
        let data = match raw.strip_prefix("data:") {
            Some(rest) => rest
                .split_once(";base64,")
                .map(|(_, data)| data)
                .ok_or_else(|| invalid(field, "The logo must be base64 data"))?,
            None => raw,
        };
        // Checked before decoding, so a huge string is refused without allocating for it.
        if data.len() > LOGO_MAX_BYTES.div_ceil(3) * 4 + 4 {
            return Err(too_big(field));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|_| invalid(field, "The logo must be base64 data"))?;
        if bytes.is_empty() {
            return Err(AppError::validation(
                field,
                Reason::Required,
                "The logo is empty",
            ));
        }
        if bytes.len() > LOGO_MAX_BYTES {
            return Err(too_big(field));
        }
        let content_type = sniff_image(&bytes)
            .ok_or_else(|| invalid(field, "The logo must be a PNG, JPEG, WebP or GIF image"))?;
        Ok(Self {
            content_type,
            bytes,
        })
    }
}

fn too_big(field: &str) -> AppError {
    AppError::validation(
        field,
        Reason::TooLong,
        format!("The logo must be at most {} KiB", LOGO_MAX_BYTES / 1024),
    )
    .with("max", LOGO_MAX_BYTES)
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::validation(field, Reason::InvalidFormat, message)
}

/// The image type from the file's magic bytes.
fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else {
        None
    }
}

/// What to do with the logo on a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoChange {
    Keep,
    Remove,
    Link(String),
    Upload(Logo),
}

/// What the owner typed, as it arrives (every field; blank means unset).
#[derive(Debug, Default, Clone)]
pub struct RawSettings<'a> {
    pub name: Option<&'a str>,
    pub about: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub telegram: Option<&'a str>,
    pub whatsapp: Option<&'a str>,
    pub address: Option<&'a str>,
    pub policy_text: Option<&'a str>,
    pub policy_url: Option<&'a str>,
    pub consent_text: Option<&'a str>,
    pub primary_color: Option<&'a str>,
    pub currency: Option<&'a str>,
    pub logo_url: Option<&'a str>,
    pub logo_upload: Option<&'a str>,
    pub remove_logo: bool,
}

/// Settings that passed validation, about to be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsDraft {
    name: Option<String>,
    about: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    telegram: Option<String>,
    whatsapp: Option<String>,
    address: Option<String>,
    policy_text: Option<String>,
    policy_url: Option<String>,
    consent_text: Option<String>,
    primary_color: Option<String>,
    currency: String,
    logo: LogoChange,
}

impl SettingsDraft {
    /// Checks field by field in the admin form's order; the first bad field is named.
    pub fn parse(raw: &RawSettings<'_>) -> AppResult<Self> {
        let name = identity("name", "Name", raw.name, NAME_MAX)?;
        let logo = match (
            optional_text(raw.logo_url),
            raw.logo_upload.filter(|s| !s.trim().is_empty()),
            raw.remove_logo,
        ) {
            (None, None, false) => LogoChange::Keep,
            (None, None, true) => LogoChange::Remove,
            (Some(url), None, false) => LogoChange::Link(https_url("logoUrl", "Logo URL", &url)?),
            (None, Some(data), false) => LogoChange::Upload(Logo::parse("logoUpload", data)?),
            _ => {
                return Err(AppError::validation(
                    "logoUpload",
                    Reason::InvalidFormat,
                    "Give a logo URL, an upload or removal, not several",
                ));
            }
        };
        let about = text("about", "About", raw.about, ABOUT_MAX)?;
        let phone_number = phone("phone", "Phone", raw.phone)?;
        let email = optional_text(raw.email)
            .map(|e| Email::parse("email", &e).map(|e| e.as_str().to_owned()))
            .transpose()?;
        let telegram = optional_text(raw.telegram)
            .map(|t| telegram("telegram", &t))
            .transpose()?;
        let whatsapp = phone("whatsapp", "WhatsApp", raw.whatsapp)?;
        let address = text("address", "Address", raw.address, ADDRESS_MAX)?;
        let policy_text = text(
            "privacyPolicyText",
            "Privacy policy",
            raw.policy_text,
            POLICY_TEXT_MAX,
        )?;
        let policy_url = optional_text(raw.policy_url)
            .map(|u| https_url("privacyPolicyUrl", "Privacy policy URL", &u))
            .transpose()?;
        let consent_text = text(
            "consentText",
            "Consent wording",
            raw.consent_text,
            CONSENT_MAX,
        )?;
        let primary_color = optional_text(raw.primary_color)
            .map(|c| color("primaryColor", &c))
            .transpose()?;
        let currency = match optional_text(raw.currency) {
            None => DEFAULT_CURRENCY.to_owned(),
            Some(c) => {
                let c = c.to_uppercase();
                if !CURRENCIES.contains(&c.as_str()) {
                    return Err(AppError::validation(
                        "currency",
                        Reason::UnknownValue,
                        format!("Currency must be one of {}", CURRENCIES.join(", ")),
                    ));
                }
                c
            }
        };
        Ok(Self {
            name,
            about,
            phone: phone_number,
            email,
            telegram,
            whatsapp,
            address,
            policy_text,
            policy_url,
            consent_text,
            primary_color,
            currency,
            logo,
        })
    }
}

fn text(field: &str, label: &str, raw: Option<&str>, max: usize) -> AppResult<Option<String>> {
    let value = optional_text(raw);
    if let Some(v) = &value {
        check_text(field, label, v, max)?;
    }
    Ok(value)
}

fn identity(field: &str, label: &str, raw: Option<&str>, max: usize) -> AppResult<Option<String>> {
    let value = optional_text(raw);
    if let Some(v) = &value {
        check_identity(field, label, v, max)?;
    }
    Ok(value)
}

fn phone(field: &str, label: &str, raw: Option<&str>) -> AppResult<Option<String>> {
    let Some(phone) = identity(field, label, raw, PHONE_MAX)? else {
        return Ok(None);
    };
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    if !allowed
        || phone.chars().filter(char::is_ascii_digit).count()
            < crate::leads::intake::PHONE_MIN_DIGITS
    {
        return Err(AppError::validation(
            field,
            Reason::InvalidPhone,
            format!("{label} may contain only digits, spaces and + ( ) -"),
        ));
    }
    Ok(Some(phone))
}

/// A Telegram username (`@name`, `name` or `https://t.me/name`), stored without the `@`.
fn telegram(field: &str, raw: &str) -> AppResult<String> {
    let name = raw
        .strip_prefix("https://t.me/")
        .or_else(|| raw.strip_prefix("t.me/"))
        .or_else(|| raw.strip_prefix('@'))
        .unwrap_or(raw);
    let ok = (5..=32).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(AppError::validation(
            field,
            Reason::InvalidFormat,
            "Telegram must be a username: 5–32 letters, digits or _",
        ));
    }
    Ok(name.to_owned())
}

/// An absolute `https://` URL with a host, nothing that could break out of an attribute.
fn https_url(field: &str, label: &str, raw: &str) -> AppResult<String> {
    check_identity(field, label, raw, URL_MAX)?;
    let host = raw
        .strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("");
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    let clean = !raw
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`'));
    if !host_ok || !clean {
        return Err(AppError::validation(
            field,
            Reason::InvalidFormat,
            format!("{label} must be an https:// address"),
        ));
    }
    Ok(raw.to_owned())
}

/// `#rrggbb`, stored lower-case.
fn color(field: &str, raw: &str) -> AppResult<String> {
    let ok = raw.len() == 7
        && raw.starts_with('#')
        && raw.chars().skip(1).all(|c| c.is_ascii_hexdigit());
    if !ok {
        return Err(AppError::validation(
            field,
            Reason::InvalidFormat,
            "Colour must be #rrggbb",
        ));
    }
    Ok(raw.to_lowercase())
}

/// How long settings read for one reader that may be a moment behind (the public page's link
/// preview: every load of the page through nginx asks for it) serve the next ones, so a flood
/// of loads is not a flood of database reads. A save on this replica forgets them at once
/// ([`RecentSettings::forget`]); one on another replica shows this much later at most.
const FRESH_FOR: Duration = Duration::from_secs(2);

/// The settings as last read for readers that may be [`FRESH_FOR`] behind.
#[derive(Clone, Default)]
pub struct RecentSettings(Arc<Mutex<Option<Read>>>);

/// Settings, and when they were read.
type Read = (Instant, Arc<Settings>);

impl RecentSettings {
    pub async fn get(&self, db: &DatabaseConnection) -> AppResult<Arc<Settings>> {
        // Held across the read: readers arriving meanwhile wait for it instead of reading too.
        let mut recent = self.0.lock().await;
        if let Some((read_at, settings)) = recent.as_ref()
            && read_at.elapsed() < FRESH_FOR
        {
            return Ok(settings.clone());
        }
        let settings = Arc::new(get(db).await?);
        *recent = Some((Instant::now(), settings.clone()));
        Ok(settings)
    }

    /// The settings were saved: the next reader reads them. Waits for a read in flight, which
    /// may have read them before the save.
    pub async fn forget(&self) {
        *self.0.lock().await = None;
    }
}

/// The settings (neutral defaults when never saved).
#[tracing::instrument(skip(db))]
pub async fn get<C: sea_orm::ConnectionTrait>(db: &C) -> AppResult<Settings> {
    Ok(row::Entity::find_by_id(ID)
        .into_partial_model::<Stored>()
        .one(db)
        .await?
        .map_or_else(Settings::unset, Settings::from))
}

/// The consent wording in force: its version and text (none: the page's built-in wording).
/// Only these two columns, never the logo: every group of orders reads it.
#[tracing::instrument(skip(db))]
pub async fn consent(db: &DatabaseConnection) -> AppResult<(i32, Option<String>)> {
    let found: Option<(i32, Option<String>)> = row::Entity::find_by_id(ID)
        .select_only()
        .columns([row::Column::ConsentVersion, row::Column::ConsentText])
        .into_tuple()
        .one(db)
        .await?;
    Ok(found.unwrap_or((0, None)))
}

/// The uploaded logo, if any.
#[tracing::instrument(skip(db))]
pub async fn logo(db: &DatabaseConnection) -> AppResult<Option<Logo>> {
    let Some(m) = row::Entity::find_by_id(ID).one(db).await? else {
        return Ok(None);
    };
    Ok(m.logo_data.and_then(|bytes| {
        // The type was recognised on upload; read again from the bytes, never from a column.
        sniff_image(&bytes).map(|content_type| Logo {
            content_type,
            bytes,
        })
    }))
}

/// Saves the settings and tells every open page. The consent wording's version goes up when
/// the wording changes (the owner's, or the built-in one's business name), so each order
/// records which one its visitor agreed to.
#[tracing::instrument(skip(db, events))]
pub async fn update(
    db: &DatabaseConnection,
    events: &Events,
    draft: SettingsDraft,
) -> AppResult<Settings> {
    let txn = db.begin().await?;
    let current = row::Entity::find_by_id(ID).one(&txn).await?;
    let (consent_version, logo_version, mut logo_url, mut logo_data) = match &current {
        Some(m) => (
            m.consent_version,
            m.logo_version,
            m.logo_url.clone(),
            m.logo_data.clone(),
        ),
        None => (0, 0, None, None),
    };
    // The page's built-in wording names the business as the operator of the data, so with it
    // in force a new name is a new wording too.
    let old_consent = current.as_ref().and_then(|m| m.consent_text.clone());
    let old_name = current.as_ref().and_then(|m| m.name.clone());
    let reworded = old_consent != draft.consent_text
        || (draft.consent_text.is_none() && old_name != draft.name);
    let consent_version = if reworded {
        consent_version.saturating_add(1)
    } else {
        consent_version
    };
    let mut logo_version = logo_version;
    match draft.logo {
        LogoChange::Keep => {}
        LogoChange::Remove => {
            logo_url = None;
            logo_data = None;
        }
        LogoChange::Link(url) => {
            logo_url = Some(url);
            logo_data = None;
        }
        LogoChange::Upload(logo) => {
            logo_url = None;
            logo_version = logo_version.saturating_add(1);
            logo_data = Some(logo.bytes);
        }
    }
    let logo_content_type = logo_data
        .as_deref()
        .and_then(sniff_image)
        .map(str::to_owned);
    let model = row::ActiveModel {
        id: Set(ID),
        name: Set(draft.name),
        about: Set(draft.about),
        phone: Set(draft.phone),
        email: Set(draft.email),
        telegram: Set(draft.telegram),
        whatsapp: Set(draft.whatsapp),
        address: Set(draft.address),
        policy_text: Set(draft.policy_text),
        policy_url: Set(draft.policy_url),
        consent_text: Set(draft.consent_text),
        consent_version: Set(consent_version),
        primary_color: Set(draft.primary_color),
        currency: Set(draft.currency),
        logo_url: Set(logo_url),
        logo_data: Set(logo_data),
        logo_content_type: Set(logo_content_type),
        logo_version: Set(logo_version),
        updated_at: Set(Some(crate::values::now())),
    };
    row::Entity::insert(model)
        .on_conflict(
            OnConflict::column(row::Column::Id)
                .update_columns([
                    row::Column::Name,
                    row::Column::About,
                    row::Column::Phone,
                    row::Column::Email,
                    row::Column::Telegram,
                    row::Column::Whatsapp,
                    row::Column::Address,
                    row::Column::PolicyText,
                    row::Column::PolicyUrl,
                    row::Column::ConsentText,
                    row::Column::ConsentVersion,
                    row::Column::PrimaryColor,
                    row::Column::Currency,
                    row::Column::LogoUrl,
                    row::Column::LogoData,
                    row::Column::LogoContentType,
                    row::Column::LogoVersion,
                    row::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let saved = get(&txn).await?;
    txn.commit().await?;
    events.publish(Event::SettingsChanged).await;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(err: AppError) -> String {
        match err {
            AppError::Validation { field, .. } => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn values_are_normalised() {
        let draft = SettingsDraft::parse(&RawSettings {
            name: Some("  Студия «Пиксель» "),
            email: Some(" Hello@Pixel.RU "),
            telegram: Some("https://t.me/pixel_studio"),
            primary_color: Some("#1A73E8"),
            currency: Some("eur"),
            about: Some("   "),
            ..RawSettings::default()
        })
        .unwrap();
        assert_eq!(draft.name.as_deref(), Some("Студия «Пиксель»"));
        assert_eq!(draft.email.as_deref(), Some("hello@pixel.ru"));
        assert_eq!(draft.telegram.as_deref(), Some("pixel_studio"));
        assert_eq!(draft.primary_color.as_deref(), Some("#1a73e8"));
        assert_eq!(draft.currency, "EUR");
        assert_eq!(draft.about, None);
        assert_eq!(draft.logo, LogoChange::Keep);
    }

    #[test]
    fn bad_values_name_their_field() {
        let long = "x".repeat(NAME_MAX + 1);
        let cases: [(RawSettings<'_>, &str); 10] = [
            (
                RawSettings {
                    name: Some(&long),
                    ..Default::default()
                },
                "name",
            ),
            (
                RawSettings {
                    email: Some("nope"),
                    ..Default::default()
                },
                "email",
            ),
            (
                RawSettings {
                    phone: Some("call me"),
                    ..Default::default()
                },
                "phone",
            ),
            (
                RawSettings {
                    telegram: Some("@a b"),
                    ..Default::default()
                },
                "telegram",
            ),
            (
                RawSettings {
                    primary_color: Some("red"),
                    ..Default::default()
                },
                "primaryColor",
            ),
            (
                RawSettings {
                    currency: Some("XXX"),
                    ..Default::default()
                },
                "currency",
            ),
            (
                RawSettings {
                    policy_url: Some("javascript:alert(1)"),
                    ..Default::default()
                },
                "privacyPolicyUrl",
            ),
            (
                RawSettings {
                    logo_url: Some("http://x.ru/a.png"),
                    ..Default::default()
                },
                "logoUrl",
            ),
            (
                RawSettings {
                    logo_upload: Some("PHN2Zz48L3N2Zz4="),
                    ..Default::default()
                },
                "logoUpload",
            ),
            (
                RawSettings {
                    logo_url: Some("https://x.ru/a.png"),
                    remove_logo: true,
                    ..Default::default()
                },
                "logoUpload",
            ),
        ];
        for (raw, field) in cases {
            assert_eq!(
                field_of(SettingsDraft::parse(&raw).unwrap_err()),
                field,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn logos_are_recognised_by_their_bytes() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(PNG);
        let logo = Logo::parse("logoUpload", &b64).unwrap();
        assert_eq!(logo.content_type, "image/png");
        let data_url = format!("data:image/jpeg;base64,{b64}");
        // The claimed type is ignored: these bytes are a PNG.
        assert_eq!(
            Logo::parse("logoUpload", &data_url).unwrap().content_type,
            "image/png"
        );
        let big = vec![0x89u8; LOGO_MAX_BYTES + 1];
        let big = base64::engine::general_purpose::STANDARD.encode(big);
        assert!(Logo::parse("logoUpload", &big).is_err());
        assert!(Logo::parse("logoUpload", "not base64!").is_err());
        assert!(Logo::parse("logoUpload", "").is_err());
    }

    #[test]
    fn uploaded_logo_wins_over_link() {
        let mut s = Settings::unset();
        assert_eq!(s.logo_src(), None);
        s.logo_url = Some("https://cdn.example.com/logo.png".into());
        assert_eq!(
            s.logo_src().as_deref(),
            Some("https://cdn.example.com/logo.png")
        );
        s.uploaded_logo = Some(3);
        assert_eq!(s.logo_src().as_deref(), Some("/media/logo?v=3"));
    }
}
