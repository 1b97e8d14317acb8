//! The business's settings: public to read, admin to change, validated field by field, applied
//! live; the uploaded logo served with its real type; consent required on every order.

use base64::Engine;
use serde_json::{Value, json};

use sea_orm::ConnectionTrait;

use crate::helpers::{Backend, TestApp, TestDb, assert_error};

const FIELDS: &str = "name about phone email telegram whatsapp address privacyPolicyText \
    privacyPolicyUrl consentText consentVersion primaryColor currency logoUrl logoUploaded \
    logoLink updatedAt";

fn update_query() -> String {
    format!(
        "mutation($i: BusinessSettingsInput!) {{ updateBusinessSettings(input: $i) {{ {FIELDS} }} }}"
    )
}

async fn read(app: &TestApp) -> Value {
    let body = app
        .gql(&format!("{{ businessSettings {{ {FIELDS} }} }}"), json!({}))
        .await;
    body["data"]["businessSettings"].clone()
}

/// The smallest valid PNG header the server recognises.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

fn full_input() -> Value {
    json!({
        "name": "  Студия «Пиксель» ",
        "about": "Сайты для малого бизнеса",
        "phone": "+7 (812) 555-01-23",
        "email": "Hello@Pixel.example",
        "telegram": "@pixel_studio",
        "whatsapp": "+7 921 555-01-23",
        "address": "Санкт-Петербург, Невский, 1",
        "privacyPolicyText": "Мы храним ваши данные три года.",
        "consentText": "Согласен на обработку персональных данных",
        "primaryColor": "#0F766E",
        "currency": "eur",
    })
}

async fn settings_start_neutral_and_admins_change_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;

    let neutral = read(&app).await;
    assert!(neutral["name"].is_null(), "{neutral}");
    assert_eq!(neutral["consentVersion"], 0);
    assert_eq!(neutral["currency"], "RUB");
    assert!(neutral["logoUrl"].is_null());

    let saved = app
        .gql_as(&token, &update_query(), json!({"i": full_input()}))
        .await;
    let s = &saved["data"]["updateBusinessSettings"];
    assert_eq!(s["name"], "Студия «Пиксель»", "{saved}");
    assert_eq!(s["email"], "hello@pixel.example");
    assert_eq!(s["telegram"], "pixel_studio");
    assert_eq!(s["primaryColor"], "#0f766e");
    assert_eq!(s["currency"], "EUR");
    assert_eq!(s["consentVersion"], 1, "new wording, new version");
    assert!(s["updatedAt"].is_string());
    assert_eq!(&read(&app).await, s, "everyone reads what was saved");

    // Saving the same wording keeps its version; a cleared field is cleared.
    let mut input = full_input();
    input["about"] = json!("   ");
    let again = app
        .gql_as(&token, &update_query(), json!({"i": input}))
        .await;
    let s = &again["data"]["updateBusinessSettings"];
    assert_eq!(s["consentVersion"], 1, "{again}");
    assert!(s["about"].is_null());
    let mut input = full_input();
    input["consentText"] = json!("Новая формулировка согласия");
    let reworded = app
        .gql_as(&token, &update_query(), json!({"i": input}))
        .await;
    assert_eq!(
        reworded["data"]["updateBusinessSettings"]["consentVersion"],
        2
    );

    // The owner's wording is as typed: a new business name leaves it, and its version, alone.
    input["name"] = json!("Студия «Пиксель» и партнёры");
    let renamed = app
        .gql_as(&token, &update_query(), json!({"i": input}))
        .await;
    assert_eq!(
        renamed["data"]["updateBusinessSettings"]["consentVersion"], 2,
        "{renamed}"
    );
    // The page's built-in wording names the business: with it in force, a new name is a new
    // wording, and the same name is not.
    input["consentText"] = json!(null);
    let built_in = |input: &Value| {
        let input = input.clone();
        let (app, token) = (&app, token.clone());
        async move {
            let saved = app
                .gql_as(&token, &update_query(), json!({"i": input}))
                .await;
            saved["data"]["updateBusinessSettings"]["consentVersion"].clone()
        }
    };
    assert_eq!(built_in(&input).await, 3, "back to the built-in wording");
    assert_eq!(built_in(&input).await, 3, "the same name, the same wording");
    input["name"] = json!("Пиксель");
    assert_eq!(
        built_in(&input).await,
        4,
        "the built-in wording names the new name"
    );

    // Nobody else may change them.
    let anonymous = app
        .gql(&update_query(), json!({"i": {"name": "Hacked"}}))
        .await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    assert_eq!(read(&app).await["name"], "Пиксель");
}

async fn bad_settings_name_the_field_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    app.gql_as(&token, &update_query(), json!({"i": full_input()}))
        .await;
    let before = read(&app).await;

    let svg = base64::engine::general_purpose::STANDARD.encode(b"<svg onload=alert(1)></svg>");
    let huge = base64::engine::general_purpose::STANDARD.encode(vec![0x89u8; 101 * 1024]);
    let cases: Vec<(Value, &str)> = vec![
        (json!({"name": "я".repeat(121)}), "name"),
        (json!({"name": "Студия\u{202E}"}), "name"),
        (json!({"email": "not-an-email"}), "email"),
        (json!({"phone": "позвоните"}), "phone"),
        (json!({"telegram": "a b"}), "telegram"),
        (json!({"whatsapp": "+7"}), "whatsapp"),
        (json!({"address": "x".repeat(301)}), "address"),
        (
            json!({"privacyPolicyUrl": "javascript:alert(1)"}),
            "privacyPolicyUrl",
        ),
        (
            json!({"privacyPolicyUrl": "https://ex ample.com/"}),
            "privacyPolicyUrl",
        ),
        (json!({"consentText": "c".repeat(1001)}), "consentText"),
        (json!({"primaryColor": "red"}), "primaryColor"),
        (json!({"currency": "BTC"}), "currency"),
        (
            json!({"logoUrl": "http://cdn.example.com/logo.png"}),
            "logoUrl",
        ),
        (json!({"logoUpload": svg}), "logoUpload"),
        (json!({"logoUpload": "%%%"}), "logoUpload"),
        (json!({"logoUpload": huge}), "logoUpload"),
        (
            json!({"logoUrl": "https://cdn.example.com/logo.png", "removeLogo": true}),
            "logoUpload",
        ),
    ];
    for (input, field) in cases {
        let body = app
            .gql_as(&token, &update_query(), json!({"i": input}))
            .await;
        assert_error(&body, "BAD_USER_INPUT", Some(field));
    }
    assert_eq!(read(&app).await, before, "nothing changed");
}

async fn uploaded_logo_is_served_with_its_type(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let missing = app.client.get(app.url("/media/logo")).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    let data_url = format!(
        "data:image/gif;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(PNG)
    );
    let body = app
        .gql_as(
            &token,
            &update_query(),
            json!({"i": {"name": "Pixel", "logoUpload": data_url}}),
        )
        .await;
    let s = &body["data"]["updateBusinessSettings"];
    assert_eq!(s["logoUploaded"], true, "{body}");
    let src = s["logoUrl"].as_str().unwrap().to_owned();
    assert_eq!(src, "/media/logo?v=1");

    let logo = app.client.get(app.url(&src)).send().await.unwrap();
    assert_eq!(logo.status(), 200);
    // The type comes from the bytes, not from what the client claimed.
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.headers()["x-content-type-options"], "nosniff");
    assert_eq!(logo.bytes().await.unwrap().as_ref(), PNG);

    // Saving other fields keeps the logo; a link replaces it; removal clears it.
    let kept = app
        .gql_as(&token, &update_query(), json!({"i": {"name": "Pixel 2"}}))
        .await;
    assert_eq!(
        kept["data"]["updateBusinessSettings"]["logoUrl"],
        "/media/logo?v=1"
    );
    let linked = app
        .gql_as(
            &token,
            &update_query(),
            json!({"i": {"logoUrl": "https://cdn.example.com/logo.png"}}),
        )
        .await;
    let s = &linked["data"]["updateBusinessSettings"];
    assert_eq!(s["logoUrl"], "https://cdn.example.com/logo.png", "{linked}");
    assert_eq!(s["logoUploaded"], false);
    let gone = app.client.get(app.url("/media/logo")).send().await.unwrap();
    assert_eq!(gone.status(), 404);
    let removed = app
        .gql_as(&token, &update_query(), json!({"i": {"removeLogo": true}}))
        .await;
    assert!(
        removed["data"]["updateBusinessSettings"]["logoUrl"].is_null(),
        "{removed}"
    );
}

async fn settings_changes_reach_open_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut ws = app
        .ws_connect(json!({}))
        .await
        .expect("public subscription connects");
    ws.subscribe(
        "1",
        "subscription { businessSettingsChanged { name primaryColor } }",
    )
    .await;
    app.until_subscribed(1).await;
    app.gql_as(
        &token,
        &update_query(),
        json!({"i": {"name": "Pixel", "primaryColor": "#112233"}}),
    )
    .await;
    let message = ws
        .next_json()
        .await
        .expect("businessSettingsChanged arrives");
    assert_eq!(message["type"], "next", "{message}");
    let s = &message["payload"]["data"]["businessSettingsChanged"];
    assert_eq!(s["name"], "Pixel", "{message}");
    assert_eq!(s["primaryColor"], "#112233");
}

const LEAD: &str =
    "query($id: ID!) { lead(id: $id) { consentAt consentVersion consentText createdAt } }";

async fn orders_need_consent_and_record_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    for consent in [json!(null), json!(false)] {
        let body = app.submit(json!({"consent": consent})).await;
        assert_error(&body, "BAD_USER_INPUT", Some("consent"));
    }
    // A bad field before it is named first: the box sits under every field.
    let body = app.submit(json!({"consent": false, "email": "nope"})).await;
    assert_error(&body, "BAD_USER_INPUT", Some("email"));
    assert_eq!(
        app.count("applications").await,
        0,
        "refused orders store nothing"
    );

    // The built-in wording (version 0) until the owner writes one.
    let id = app.submit_ok(json!({})).await;
    let lead = app.gql_as(&token, LEAD, json!({"id": id})).await;
    let lead = &lead["data"]["lead"];
    assert_eq!(lead["consentAt"], lead["createdAt"], "{lead}");
    assert_eq!(lead["consentVersion"], 0);
    assert!(lead["consentText"].is_null());

    app.gql_as(&token, &update_query(), json!({"i": full_input()}))
        .await;
    let id = app.submit_ok(json!({"email": "second@example.com"})).await;
    let lead = app.gql_as(&token, LEAD, json!({"id": id})).await;
    let lead = &lead["data"]["lead"];
    assert_eq!(lead["consentVersion"], 1, "{lead}");
    assert_eq!(
        lead["consentText"],
        "Согласен на обработку персональных данных"
    );
}

/// The release whose built-in consent wording came to name the business raises the version of
/// an install that uses that wording with a name; the owner's own wording, or a nameless
/// built-in one, reads as before and keeps its version.
async fn the_built_in_wording_naming_the_business_is_a_new_version(backend: Backend) {
    for (name, consent_text, expected) in [
        ("'Пиксель'", "NULL", 4),
        ("'Пиксель'", "'Согласен на обработку данных'", 3),
        ("NULL", "NULL", 3),
    ] {
        let (test_db, db) =
            TestDb::migrated_until(backend, "m20261207_000032_builtin_consent_names_operator")
                .await;
        db.execute_unprepared(&format!(
            "INSERT INTO business_settings (id, name, consent_text, consent_version, currency, \
             logo_version) VALUES (1, {name}, {consent_text}, 3, 'RUB', 0)"
        ))
        .await
        .expect("the settings as they were");
        let _ = db.close().await;
        let app = TestApp::spawn_with_db(test_db).await;
        assert_eq!(
            read(&app).await["consentVersion"],
            expected,
            "name {name}, wording {consent_text}"
        );
    }
}

/// The page's link preview as nginx asks for it: the host the client reached, over https.
async fn link_preview(app: &TestApp) -> String {
    let answer = app
        .client
        .get(app.url("/page-meta"))
        .header("host", "orders.example.com")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "text/html; charset=utf-8");
    answer.text().await.unwrap()
}

/// The tags nginx includes into the public page for link previews: none until the business
/// has a name, "about" or logo; then those (an uploaded logo's address made absolute), and the
/// business as schema.org data. Every value escaped: none can end its attribute or its script.
async fn link_preview_names_the_business(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    assert_eq!(link_preview(&app).await, "", "nothing to say yet");

    let data_url = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(PNG)
    );
    let name = "Студия \"Пиксель\" <b>&</b></script>";
    let input = json!({
        "name": name,
        "about": "Сайты и реклама\nдля малого бизнеса.",
        "phone": "+7 (812) 555-01-23",
        "email": "hello@pixel.example",
        "telegram": "@pixel_studio",
        "address": "Санкт-Петербург, Невский проспект, 1",
        "logoUpload": data_url,
    });
    app.gql_as(&token, &update_query(), json!({"i": input}))
        .await;
    // The preview's settings, read a moment ago, are forgotten by the save.
    let tags = link_preview(&app).await;
    let (meta, data) = tags
        .split_once("<script type=\"application/ld+json\">")
        .unwrap_or_else(|| panic!("no schema.org data: {tags}"));
    let escaped = "Студия &quot;Пиксель&quot; &lt;b&gt;&amp;&lt;/b&gt;&lt;/script&gt;";
    assert_eq!(
        meta,
        format!(
            "<meta property=\"og:site_name\" content=\"{escaped}\" />\n\
             <meta property=\"og:title\" content=\"{escaped}\" />\n\
             <meta property=\"og:description\" content=\"Сайты и реклама для малого бизнеса.\" />\n\
             <meta property=\"og:image\" content=\"https://orders.example.com/media/logo?v=1\" />\n\
             <meta property=\"og:type\" content=\"website\" />\n\
             <meta property=\"og:locale\" content=\"ru_RU\" />\n\
             <meta name=\"twitter:card\" content=\"summary\" />\n"
        )
    );
    let data = data
        .strip_suffix("</script>\n")
        .unwrap_or_else(|| panic!("the script ends once, at the end: {data}"));
    assert!(!data.contains("</"), "{data}");
    assert_eq!(
        serde_json::from_str::<Value>(data).unwrap(),
        json!({
            "@context": "https://schema.org",
            "@type": "LocalBusiness",
            "name": name,
            "description": "Сайты и реклама для малого бизнеса.",
            "url": "https://orders.example.com/",
            "image": "https://orders.example.com/media/logo?v=1",
            "telephone": "+7 (812) 555-01-23",
            "email": "hello@pixel.example",
            "address": "Санкт-Петербург, Невский проспект, 1",
            "sameAs": ["https://t.me/pixel_studio"],
        })
    );

    // A linked logo is used as it is; without a name the business has no schema.org card.
    app.gql_as(
        &token,
        &update_query(),
        json!({"i": {"logoUrl": "https://cdn.example.com/logo.png"}}),
    )
    .await;
    let tags = link_preview(&app).await;
    assert_eq!(
        tags,
        "<meta property=\"og:image\" content=\"https://cdn.example.com/logo.png\" />\n\
         <meta property=\"og:type\" content=\"website\" />\n\
         <meta property=\"og:locale\" content=\"ru_RU\" />\n\
         <meta name=\"twitter:card\" content=\"summary\" />\n"
    );
    app.gql_as(&token, &update_query(), json!({"i": {"removeLogo": true}}))
        .await;
    assert_eq!(link_preview(&app).await, "", "nothing left to say");

    // A flood of page loads is not a flood of reads: they share one every few seconds.
    let before = app.state.queries.get();
    let loads = (0..50).map(|_| link_preview(&app));
    futures_util::future::join_all(loads).await;
    let reads = app.state.queries.get() - before;
    assert!(reads <= 2, "{reads} statements for 50 previews");
}

db_tests!(
    the_built_in_wording_naming_the_business_is_a_new_version,
    settings_start_neutral_and_admins_change_them,
    bad_settings_name_the_field_and_change_nothing,
    uploaded_logo_is_served_with_its_type,
    settings_changes_reach_open_pages,
    orders_need_consent_and_record_it,
    link_preview_names_the_business,
);
