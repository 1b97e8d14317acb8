//! The public page's link preview: Open Graph tags naming the business, for the messengers,
//! social networks and search engines that read a page without running its script, and the
//! business as schema.org `LocalBusiness` data for search engines. The script puts the business
//! on the page for people; without these a link the owner shares would be previewed with the
//! page's neutral words.
//!
//! nginx includes them into `index.html` by SSI (`<!--# include virtual="/page-meta" … -->`,
//! see `nginx/templates`), so the page stays a static file; the development server serves the
//! page as built, without them. An empty answer, or an error, includes nothing.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::HttpState;
use serde_json::{Map, Value, json};

use crate::{business::Settings, notify::message::escape_html};

/// The longest description a preview gets: messengers show two or three lines of it.
const DESCRIPTION_MAX: usize = 300;

pub async fn page_meta(State(app): State<HttpState>, headers: HeaderMap) -> Response {
    match app.state.recent_settings.get(&app.state.db).await {
        Ok(settings) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            tags(&settings, origin(&headers).as_deref()),
        )
            .into_response(),
        Err(err) => {
            let _ = err.into_client();
            // nginx includes its stub (nothing) in place of an error.
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The tags for the business's `settings`; `origin` (`https://host`) makes an uploaded logo's
/// address absolute, as previews need. Nothing set, nothing to say: the page's own words stand.
pub fn tags(settings: &Settings, origin: Option<&str>) -> String {
    let image = settings.logo_src().and_then(|logo| match logo {
        absolute if absolute.starts_with("https://") => Some(absolute),
        path if path.starts_with('/') => origin.map(|origin| format!("{origin}{path}")),
        _ => None,
    });
    let about = settings.about.as_deref().map(description);
    let properties = [
        ("og:site_name", settings.name.as_deref()),
        ("og:title", settings.name.as_deref()),
        ("og:description", about.as_deref()),
        ("og:image", image.as_deref()),
    ];
    let mut out: String = properties
        .into_iter()
        .filter_map(|(property, content)| Some(meta(property, content?)))
        .collect();
    if out.is_empty() {
        return out;
    }
    out.push_str(&meta("og:type", "website"));
    out.push_str(&meta("og:locale", "ru_RU"));
    out.push_str("<meta name=\"twitter:card\" content=\"summary\" />\n");
    if let Some(data) = local_business(settings, about, image, origin) {
        // JSON inside a script element: `</` would end it.
        let json = data.to_string().replace("</", "<\\/");
        out.push_str(&format!(
            "<script type=\"application/ld+json\">{json}</script>\n"
        ));
    }
    out
}

/// The business as schema.org `LocalBusiness` (it needs a name): how to reach it, for search
/// engines' business cards. Only what the owner filled in.
fn local_business(
    settings: &Settings,
    about: Option<String>,
    image: Option<String>,
    origin: Option<&str>,
) -> Option<Value> {
    let mut data = Map::new();
    data.insert("@context".into(), json!("https://schema.org"));
    data.insert("@type".into(), json!("LocalBusiness"));
    data.insert("name".into(), json!(settings.name.as_deref()?));
    let fields = [
        ("description", about),
        ("url", origin.map(|origin| format!("{origin}/"))),
        ("image", image),
        ("telephone", settings.phone.clone()),
        ("email", settings.email.clone()),
        ("address", settings.address.clone()),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            data.insert(key.into(), json!(value));
        }
    }
    if let Some(telegram) = &settings.telegram {
        data.insert("sameAs".into(), json!([format!("https://t.me/{telegram}")]));
    }
    Some(Value::Object(data))
}

fn meta(property: &str, content: &str) -> String {
    format!(
        "<meta property=\"{property}\" content=\"{}\" />\n",
        escape_html(content)
    )
}

/// "About" on one line, at most [`DESCRIPTION_MAX`] characters: a longer one cut at a word,
/// with "…".
fn description(about: &str) -> String {
    let words: Vec<&str> = about.split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= DESCRIPTION_MAX {
        return whole;
    }
    let mut out = String::new();
    for word in words {
        let len = out.chars().count();
        if len + usize::from(len > 0) + word.chars().count() > DESCRIPTION_MAX - 1 {
            break;
        }
        if len > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // One word longer than the whole: cut inside it.
        out = whole.chars().take(DESCRIPTION_MAX - 1).collect();
    }
    out.push('…');
    out
}

/// The site's origin as the client reached it: the scheme nginx saw (`X-Forwarded-Proto`) and
/// the `Host` (nginx answers no other name than its own). `None` when the host is missing or
/// not a plain host name with an optional port.
fn origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !plain {
        return None;
    }
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_about_is_one_line_cut_at_a_word() {
        assert_eq!(description("Сайты  и\nреклама"), "Сайты и реклама");
        let long = "слово ".repeat(100);
        let cut = description(&long);
        assert!(cut.chars().count() <= DESCRIPTION_MAX, "{cut}");
        assert!(cut.ends_with("слово…"));
        let one = "ж".repeat(500);
        assert_eq!(description(&one).chars().count(), DESCRIPTION_MAX);
        // Exactly as long as allowed: whole.
        let full = format!("{} {}", "ж".repeat(150), "ж".repeat(149));
        assert_eq!(description(&full), full);
        assert!(description(&format!("{full}ж")).ends_with('…'));
    }

    #[test]
    fn the_origin_is_a_plain_host_with_the_forwarded_scheme() {
        let headers = |host: &str, proto: Option<&str>| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            if let Some(proto) = proto {
                h.insert("x-forwarded-proto", HeaderValue::from_str(proto).unwrap());
            }
            h
        };
        assert_eq!(
            origin(&headers("orders.example.com", Some("https"))).as_deref(),
            Some("https://orders.example.com")
        );
        assert_eq!(
            origin(&headers("127.0.0.1:8080", None)).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin(&headers("evil.example/\"><script>", None)), None);
        assert_eq!(origin(&HeaderMap::new()), None);
    }
}
