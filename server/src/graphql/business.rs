use async_graphql::{Context, InputObject, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt, future};

use super::{auth::AdminGuard, state};
use crate::{
    business::{self, RawSettings, SettingsDraft},
    events::Event,
};

/// The business behind the public page. Unset values are null: the page shows neutral wording.
#[derive(SimpleObject, Clone)]
pub struct BusinessSettings {
    pub name: Option<String>,
    pub about: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Telegram username, without `@`.
    pub telegram: Option<String>,
    /// WhatsApp number.
    pub whatsapp: Option<String>,
    pub address: Option<String>,
    /// The privacy policy as text (the page shows it in a section of its own)…
    pub privacy_policy_text: Option<String>,
    /// …or where it is published (wins over the text).
    pub privacy_policy_url: Option<String>,
    /// The consent checkbox's wording; null: the page's built-in wording.
    pub consent_text: Option<String>,
    /// Goes up each time the consent wording changes; every order keeps the one it was sent with.
    pub consent_version: i32,
    /// `#rrggbb`.
    pub primary_color: Option<String>,
    /// ISO code of the currency prices are shown in.
    pub currency: String,
    /// Where the logo is: the uploaded one (`/media/logo?v=…`) or the linked URL.
    pub logo_url: Option<String>,
    /// True when the logo was uploaded (rather than linked).
    pub logo_uploaded: bool,
    /// The owner's linked logo URL, if that is how the logo is given.
    pub logo_link: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<business::Settings> for BusinessSettings {
    fn from(s: business::Settings) -> Self {
        Self {
            logo_url: s.logo_src(),
            logo_uploaded: s.uploaded_logo.is_some(),
            logo_link: s.logo_url,
            name: s.name,
            about: s.about,
            phone: s.phone,
            email: s.email,
            telegram: s.telegram,
            whatsapp: s.whatsapp,
            address: s.address,
            privacy_policy_text: s.policy_text,
            privacy_policy_url: s.policy_url,
            consent_text: s.consent_text,
            consent_version: s.consent_version,
            primary_color: s.primary_color,
            currency: s.currency,
            updated_at: s.updated_at,
        }
    }
}

/// Every text field is replaced (blank or null clears it); the logo changes only when one of
/// `logoUrl`, `logoUpload`, `removeLogo` is given.
#[derive(InputObject)]
pub struct BusinessSettingsInput {
    /// Up to 120 characters.
    pub name: Option<String>,
    /// Up to 1000 characters.
    pub about: Option<String>,
    /// Digits, spaces and + ( ) -.
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `@name`, `name` or `https://t.me/name`.
    pub telegram: Option<String>,
    pub whatsapp: Option<String>,
    /// Up to 300 characters.
    pub address: Option<String>,
    /// Up to 20000 characters.
    pub privacy_policy_text: Option<String>,
    /// An `https://` address.
    pub privacy_policy_url: Option<String>,
    /// Up to 1000 characters.
    pub consent_text: Option<String>,
    /// `#rrggbb`.
    pub primary_color: Option<String>,
    /// RUB (default), USD, EUR, KZT, BYN or UAH.
    pub currency: Option<String>,
    /// Link a logo (`https://`).
    pub logo_url: Option<String>,
    /// Upload a logo: base64 or a `data:` URL of a PNG, JPEG, WebP or GIF up to 100 KiB.
    pub logo_upload: Option<String>,
    /// Remove the logo.
    #[graphql(default)]
    pub remove_logo: bool,
}

impl BusinessSettingsInput {
    fn parse(&self) -> crate::error::AppResult<SettingsDraft> {
        SettingsDraft::parse(&RawSettings {
            name: self.name.as_deref(),
            about: self.about.as_deref(),
            phone: self.phone.as_deref(),
            email: self.email.as_deref(),
            telegram: self.telegram.as_deref(),
            whatsapp: self.whatsapp.as_deref(),
            address: self.address.as_deref(),
            policy_text: self.privacy_policy_text.as_deref(),
            policy_url: self.privacy_policy_url.as_deref(),
            consent_text: self.consent_text.as_deref(),
            primary_color: self.primary_color.as_deref(),
            currency: self.currency.as_deref(),
            logo_url: self.logo_url.as_deref(),
            logo_upload: self.logo_upload.as_deref(),
            remove_logo: self.remove_logo,
        })
    }
}

#[derive(Default)]
pub struct BusinessQuery;

#[Object]
impl BusinessQuery {
    /// The business's settings (public: the public page shows them).
    async fn business_settings(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<BusinessSettings> {
        Ok(business::get(&state(ctx).db).await?.into())
    }
}

#[derive(Default)]
pub struct BusinessMutation;

#[Object]
impl BusinessMutation {
    #[graphql(guard = "AdminGuard")]
    async fn update_business_settings(
        &self,
        ctx: &Context<'_>,
        input: BusinessSettingsInput,
    ) -> async_graphql::Result<BusinessSettings> {
        let state = state(ctx);
        let saved = business::update(&state.db, &state.events, input.parse()?).await?;
        state.recent_settings.forget().await;
        Ok(saved.into())
    }
}

#[derive(Default)]
pub struct BusinessSubscription;

#[Subscription]
impl BusinessSubscription {
    /// The settings after every save.
    async fn business_settings_changed(
        &self,
        ctx: &Context<'_>,
    ) -> impl Stream<Item = async_graphql::Result<BusinessSettings>> + use<> {
        let state = state(ctx).clone();
        state
            .events
            .subscribe()
            // A lagging subscriber may have missed a save: reading them again covers it.
            .filter(|event| future::ready(matches!(event, Ok(Event::SettingsChanged) | Err(_))))
            .then(move |_| {
                let db = state.db.clone();
                async move { Ok(business::get(&db).await?.into()) }
            })
    }
}
