use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, TEST_SECRET, TestApp, assert_error};

const ME: &str = "{ me { id email createdAt } }";

async fn first_run_registration_then_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let exists = app.gql("{ adminExists }", json!({})).await;
    assert_eq!(exists["data"]["adminExists"], false);

    let body = app.register_admin("  Owner@Example.COM ", PASSWORD).await;
    let payload = &body["data"]["registerAdmin"];
    assert_eq!(payload["admin"]["email"], "owner@example.com", "{body}");
    assert!(payload["expiresAt"].as_str().is_some());
    let token = payload["token"].as_str().unwrap();

    let exists = app.gql("{ adminExists }", json!({})).await;
    assert_eq!(exists["data"]["adminExists"], true);

    let me = app.gql_as(token, ME, json!({})).await;
    assert_eq!(me["data"]["me"]["email"], "owner@example.com");
    assert_eq!(me["data"]["me"]["id"], payload["admin"]["id"]);

    // Email is case-insensitive on sign-in.
    let login = app.login("OWNER@example.com", PASSWORD).await;
    let token = login["data"]["login"]["token"].as_str().expect("signed in");
    let me = app.gql_as(token, ME, json!({})).await;
    assert_eq!(me["data"]["me"]["email"], "owner@example.com");

    // The stored hash is argon2id, never the password.
    let row = server::db::entities::admin::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.password_hash.starts_with("$argon2id$"));
    assert!(!row.password_hash.contains(PASSWORD));
}

async fn registration_closes_after_the_first_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.admin_token().await;
    let second = app.register_admin("intruder@example.com", PASSWORD).await;
    assert_error(&second, "FORBIDDEN", None);
    assert_eq!(app.count("admins").await, 1);
}

async fn exactly_one_of_twenty_racing_registrations_wins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let attempts = (0..20).map(|i| {
        let app = &app;
        async move {
            app.register_admin(&format!("racer{i}@example.com"), PASSWORD)
                .await
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    let winners = results
        .iter()
        .filter(|b| b["data"]["registerAdmin"]["token"].is_string())
        .count();
    let refused = results
        .iter()
        .filter(|b| b["errors"][0]["extensions"]["code"] == "FORBIDDEN")
        .count();
    assert_eq!(winners, 1, "{results:#?}");
    assert_eq!(refused, 19, "{results:#?}");
    assert_eq!(app.count("admins").await, 1);
}

async fn registration_input_is_validated_and_nothing_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (email, password, field) in [
        ("not-an-email", PASSWORD, "email"),
        ("", PASSWORD, "email"),
        ("owner@example.com", "short", "password"),
        ("owner@example.com", &"x".repeat(1025), "password"),
    ] {
        let body = app.register_admin(email, password).await;
        assert_error(&body, "BAD_USER_INPUT", Some(field));
    }
    assert_eq!(app.count("admins").await, 0);
    let exists = app.gql("{ adminExists }", json!({})).await;
    assert_eq!(exists["data"]["adminExists"], false);
}

async fn wrong_credentials_read_the_same(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.admin_token().await;
    let wrong_password = app.login("owner@example.com", "not the password").await;
    let unknown_email = app.login("nobody@example.com", PASSWORD).await;
    assert_error(&wrong_password, "UNAUTHENTICATED", None);
    assert_error(&unknown_email, "UNAUTHENTICATED", None);
    assert_eq!(
        wrong_password["errors"][0]["message"],
        unknown_email["errors"][0]["message"]
    );
    assert!(wrong_password["data"].is_null());
}

async fn login_attempts_are_rate_limited(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("RATE_LIMIT_LOGINS_PER_MINUTE", "3")]).await;
    for _ in 0..3 {
        let body = app.login("nobody@example.com", PASSWORD).await;
        assert_error(&body, "UNAUTHENTICATED", None);
    }
    let limited = app.login("nobody@example.com", PASSWORD).await;
    assert_error(&limited, "RATE_LIMITED", None);
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn hs256_token(secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn bad_tokens_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = app.register_admin("owner@example.com", PASSWORD).await;
    let id = body["data"]["registerAdmin"]["admin"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let good = body["data"]["registerAdmin"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = chrono::Utc::now().timestamp();

    let no_token = app.gql(ME, json!({})).await;
    assert_error(&no_token, "UNAUTHENTICATED", None);

    // Each forged token differs from a valid one in one way only, so each is refused for its
    // own reason; the control below proves a token made this way is otherwise accepted.
    let control = hs256_token(
        TEST_SECRET,
        &json!({"sub": id, "iat": now, "exp": now + 3600, "sv": 0}),
    );
    assert_eq!(
        app.gql_as(&control, ME, json!({})).await["data"]["me"]["id"],
        id.as_str()
    );
    let expired = hs256_token(
        TEST_SECRET,
        &json!({"sub": id, "iat": now - 7200, "exp": now - 3600, "sv": 0}),
    );
    let other_key = hs256_token(
        "another-secret-of-sufficient-length-000000",
        &json!({"sub": id, "iat": now, "exp": now + 3600, "sv": 0}),
    );
    let mut parts: Vec<&str> = good.split('.').collect();
    let forged_payload =
        b64(&json!({"sub": Uuid::new_v4().to_string(), "iat": now, "exp": now + 3600, "sv": 0}));
    parts[1] = &forged_payload;
    let tampered = parts.join(".");
    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&json!({"sub": id, "iat": now, "exp": now + 3600, "sv": 0}))
    );
    let no_exp = hs256_token(TEST_SECRET, &json!({"sub": id, "iat": now, "sv": 0}));
    let old_session = hs256_token(
        TEST_SECRET,
        &json!({"sub": id, "iat": now, "exp": now + 3600, "sv": -1}),
    );
    let no_session = hs256_token(
        TEST_SECRET,
        &json!({"sub": id, "iat": now, "exp": now + 3600}),
    );

    for (label, token) in [
        ("expired", expired),
        ("other key", other_key),
        ("tampered", tampered),
        ("alg none", alg_none),
        ("no exp", no_exp),
        ("an older session", old_session),
        ("no session version", no_session),
        ("garbage", "not.a.token".to_owned()),
    ] {
        let body = app.gql_as(&token, ME, json!({})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{label}: {body}"
        );
    }

    // The genuine token still works.
    let me = app.gql_as(&good, ME, json!({})).await;
    assert_eq!(me["data"]["me"]["id"], id.as_str());
}

async fn a_deleted_admins_token_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    app.db
        .execute_unprepared("DELETE FROM admins")
        .await
        .unwrap();
    let body = app.gql_as(&token, ME, json!({})).await;
    assert_error(&body, "UNAUTHENTICATED", None);
}

async fn tokens_expire_after_the_configured_ttl(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TOKEN_TTL", "2h")]).await;
    let body = app.register_admin("owner@example.com", PASSWORD).await;
    let id = body["data"]["registerAdmin"]["admin"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A token a second past its expiry is refused as expired; the same a minute before it is
    // accepted (no leeway either way).
    let now = chrono::Utc::now().timestamp();
    let token = |exp: i64| {
        hs256_token(
            TEST_SECRET,
            &json!({"sub": id, "iat": now - 7200, "exp": exp, "sv": 0}),
        )
    };
    let expired = app.gql_as(&token(now - 1), ME, json!({})).await;
    assert_error(&expired, "UNAUTHENTICATED", None);
    assert_eq!(
        expired["errors"][0]["message"], "Token expired",
        "{expired}"
    );
    let valid = app.gql_as(&token(now + 60), ME, json!({})).await;
    assert_eq!(valid["data"]["me"]["id"], id.as_str(), "{valid}");
    let expires_at: chrono::DateTime<chrono::Utc> = body["data"]["registerAdmin"]["expiresAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let remaining = expires_at - chrono::Utc::now();
    assert!(
        (chrono::Duration::minutes(119)..=chrono::Duration::minutes(120)).contains(&remaining),
        "expiresAt should be 2h ahead, is {remaining}"
    );
}

/// A WebSocket outlives its token: the sign-in is checked on every operation, and a running
/// subscription ends with UNAUTHENTICATED when the token expires. (The socket was accepted
/// with the token: its `connection_ack` is the proof it served before.)
async fn websocket_sessions_end_with_the_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = app.register_admin("owner@example.com", PASSWORD).await;
    let id = body["data"]["registerAdmin"]["admin"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A token of the test's own making that expires a few seconds from now.
    let expires_at = chrono::Utc::now().timestamp() + 4;
    let token = hs256_token(
        TEST_SECRET,
        &json!({"sub": id, "iat": expires_at - 3600, "exp": expires_at, "sv": 0}),
    );
    let mut ws = app
        .ws_connect(json!({"Authorization": format!("Bearer {token}")}))
        .await
        .unwrap();
    ws.subscribe("2", "subscription { leadCreated { id } }")
        .await;

    let ended = next_for(&mut ws, "2", 30)
        .await
        .expect("the subscription ends when the token expires");
    assert_eq!(
        ended["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{ended}"
    );
    assert!(
        chrono::Utc::now().timestamp() >= expires_at,
        "ended before the expiry"
    );
    ws.subscribe("3", "subscription { leadCreated { id } }")
        .await;
    let refused = next_for(&mut ws, "3", 30)
        .await
        .expect("an answer to the subscription after expiry");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "an expired connection is refused: {refused}"
    );
}

/// The next `next` message of operation `id`, skipping others (completions, other operations).
async fn next_for(ws: &mut crate::helpers::WsClient, id: &str, seconds: u64) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let message = ws.next_json_within(left).await?;
        if message["id"] == id && message["type"] == "next" {
            return Some(message);
        }
    }
}

use uuid::Uuid;

db_tests!(
    websocket_sessions_end_with_the_token,
    first_run_registration_then_sign_in,
    registration_closes_after_the_first_admin,
    exactly_one_of_twenty_racing_registrations_wins,
    registration_input_is_validated_and_nothing_stored,
    wrong_credentials_read_the_same,
    login_attempts_are_rate_limited,
    bad_tokens_are_refused,
    a_deleted_admins_token_is_refused,
    tokens_expire_after_the_configured_ttl,
);
