//! Hostile traffic: expensive documents, cross-site requests, revoked sessions, first-run
//! takeover, password guessing, inflated statistics, text that lies, and transport abuse. Each
//! case is one an attacker tried against the previous release.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

use crate::helpers::{Backend, PASSWORD, TEST_SECRET, TestApp, assert_error};

/// `levels` fragments, each spreading the next twice: 2^levels selections from < 1 KB.
fn fragment_bomb(levels: usize) -> String {
    let mut doc = String::from("query{...F0}");
    for level in 0..levels {
        let next = level + 1;
        doc.push_str(&format!(
            "fragment F{level} on Query{{...F{next} ...F{next}}}"
        ));
    }
    doc.push_str(&format!("fragment F{levels} on Query{{adminExists}}"));
    doc
}

async fn post_raw(app: &TestApp, content_type: Option<&str>, body: Vec<u8>) -> reqwest::Response {
    let mut request = app.client.post(app.url("/graphql")).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    request.send().await.expect("request sent")
}

async fn error_code(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.expect("a JSON body");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let code = body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code: {body}"))
        .to_owned();
    (status, code, body)
}

async fn a_fragment_bomb_is_refused_before_it_expands(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bomb = fragment_bomb(24);
    assert!(bomb.len() < 1024, "{}", bomb.len());
    let body = app.gql(&bomb, json!({})).await;
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("too many fields")),
        "{body}"
    );
    // The same on the WebSocket.
    let mut ws = app.ws_connect(json!({})).await.unwrap();
    ws.subscribe("1", &bomb).await;
    let message = ws.next_json().await.unwrap();
    assert_eq!(message["type"], "next", "{message}");
    assert!(message["payload"]["data"].is_null(), "{message}");
    assert_eq!(
        message["payload"]["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{message}"
    );
    // An alias bomb and a directive bomb are counted, not executed.
    let aliases: String = (0..200).map(|i| format!("a{i}:adminExists ")).collect();
    assert_error(
        &app.gql(&format!("{{{aliases}}}"), json!({})).await,
        "GRAPHQL_VALIDATION_FAILED",
        None,
    );
    let directives = "@include(if:true)".repeat(200);
    assert_error(
        &app.gql(&format!("{{adminExists{directives}}}"), json!({}))
            .await,
        "GRAPHQL_VALIDATION_FAILED",
        None,
    );
    // Ordinary documents still pass.
    let ok = app.gql("{ adminExists services { id } }", json!({})).await;
    assert_eq!(ok["data"]["adminExists"], false, "{ok}");
}

async fn only_json_bodies_run_operations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let order = r#"{"query":"mutation { submitApplication(input: {name: \"A\", surname: \"B\", email: \"a@b.co\", consent: true}) { id } }"}"#;
    // What a page on another site can send without a CORS preflight.
    for content_type in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let response = post_raw(&app, content_type, order.as_bytes().to_vec()).await;
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
        let (status, code, _) = error_code(response).await;
        assert_eq!(
            (status, code.as_str()),
            (415, "UNSUPPORTED_MEDIA_TYPE"),
            "{content_type:?}"
        );
    }
    assert_eq!(app.count("applications").await, 0);
    // The same body as JSON is an order.
    let response = post_raw(&app, Some("application/json"), order.as_bytes().to_vec()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.count("applications").await, 1);
}

async fn cors_answers_only_listed_origins(backend: Backend) {
    let app =
        TestApp::spawn_with(backend, &[("ALLOWED_ORIGINS", "https://shop.example.com")]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://shop.example.com").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://shop.example.com"
    );
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    // Without ALLOWED_ORIGINS there are no CORS headers at all.
    let plain = TestApp::spawn(backend).await;
    let response = plain
        .client
        .post(plain.url("/graphql"))
        .header("origin", "https://shop.example.com")
        .json(&json!({"query": "{ adminExists }"}))
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

async fn every_refusal_is_a_json_error_with_its_status(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (body, expected) in [
        (&b"{not json"[..], (400, "BAD_REQUEST")),
        (
            br#"[{"query":"{adminExists}"},{"query":"{adminExists}"}]"#,
            (400, "BAD_REQUEST"),
        ),
        (br#"{"query":{"a":1}}"#, (400, "BAD_REQUEST")),
        (
            br#"{"query":"{adminExists}","variables":"x"}"#,
            (400, "BAD_REQUEST"),
        ),
        (b"\xff\xfe\xfd", (400, "BAD_REQUEST")),
    ] {
        let (status, code, body_json) =
            error_code(post_raw(&app, Some("application/json"), body.to_vec()).await).await;
        assert_eq!((status, code.as_str()), expected, "{body_json}");
        // No Rust debug text.
        let message = body_json["errors"][0]["message"].as_str().unwrap();
        assert!(
            !message.contains("Error {") && !message.contains("::"),
            "{message}"
        );
    }
    // A chunked body past the cap is 413, not 400.
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let chunk = vec![b' '; 16 * 1024];
    for _ in 0..20 {
        let sent = async {
            stream
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            stream.write_all(&chunk).await?;
            stream.write_all(b"\r\n").await
        };
        // The server may answer and close before the last chunk.
        if sent.await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("PAYLOAD_TOO_LARGE"), "{response}");
    // GET is for WebSockets only.
    let (status, code, _) =
        error_code(app.client.get(app.url("/graphql")).send().await.unwrap()).await;
    assert_eq!((status, code.as_str()), (405, "METHOD_NOT_ALLOWED"));
}

async fn responses_follow_graphql_over_http(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let send = |accept: &'static str, query: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .header("accept", accept)
            .json(&json!({ "query": query }))
            .send()
    };
    let response = send("application/json", "{ adminExists }").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    // The newer media type: parse and validation failures are 400 without `data`.
    for bad in ["{ adminExists", "{ noSuchField }"] {
        let response = send("application/graphql-response+json", bad)
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{bad}");
        assert_eq!(
            response.headers()["content-type"],
            "application/graphql-response+json; charset=utf-8"
        );
        let body: Value = response.json().await.unwrap();
        assert!(body.get("data").is_none(), "{body}");
        assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    }
    let response = send("application/graphql-response+json", "{ adminExists }")
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn production_suggests_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("APP_ENV", "production")]).await;
    let body = app.gql("{ servics { id } }", json!({})).await;
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(!message.contains("Did you mean"), "{message}");
    // Development keeps the help.
    let dev = TestApp::spawn(backend).await;
    let body = dev.gql("{ servics { id } }", json!({})).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Did you mean")
    );
}

const ME: &str = "{ me { email } }";

async fn revoked_sessions_end_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    assert_eq!(
        app.gql_as(&token, ME, json!({})).await["data"]["me"]["email"],
        "owner@example.com"
    );
    let mut ws = app.subscribe_to_leads(&token).await;
    // The subscription is live: an order arrives.
    app.submit_ok(json!({})).await;
    let delivered = ws.next_json().await.expect("a live order");
    assert_eq!(delivered["type"], "next", "{delivered}");

    let email = server::values::Email::parse("email", "owner@example.com").unwrap();
    let revoked = server::admins::revoke_sessions(&app.state.db, &app.state.events, Some(&email))
        .await
        .unwrap();
    assert_eq!(revoked, 1);
    // HTTP: refused at once.
    assert_error(
        &app.gql_as(&token, ME, json!({})).await,
        "UNAUTHENTICATED",
        None,
    );
    // The open subscription ends with UNAUTHENTICATED, and nothing more is delivered.
    let mut ended = None;
    while let Some(message) = ws.next_json().await {
        if message["type"] == "next" && message["payload"]["errors"].is_array() {
            ended = Some(message);
            break;
        }
        assert_ne!(
            message["type"], "next",
            "delivered after revocation: {message}"
        );
        if message["type"] == "complete" {
            break;
        }
    }
    let ended = ended.expect("the subscription reports its end");
    assert_eq!(
        ended["payload"]["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    // …and completes: the stream is over, so no later order can reach it (waiting for silence
    // instead would pass whenever a delivery was merely slow).
    let complete = ws.next_json().await.expect("the subscription completes");
    assert_eq!(complete["type"], "complete", "{complete}");
    assert_eq!(complete["id"], "leads", "{complete}");
    // A new connection with the old token is refused; a fresh sign-in works.
    assert!(
        app.ws_connect(json!({ "Authorization": format!("Bearer {token}") }))
            .await
            .is_err()
    );
    let fresh = app.login("owner@example.com", PASSWORD).await;
    let fresh = fresh["data"]["login"]["token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.gql_as(&fresh, ME, json!({})).await["data"]["me"]["email"],
        "owner@example.com"
    );
}

/// A revocation event is checked against the database before it ends anything: on PostgreSQL
/// it comes back through NOTIFY after its commit, so a revocation made before a session was
/// signed in (a password change, then a fresh sign-in) can arrive once that session is live.
async fn a_late_revocation_event_spares_a_fresh_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let me = app.gql_as(&token, "{ me { id } }", json!({})).await;
    let admin_id: Uuid = me["data"]["me"]["id"].as_str().unwrap().parse().unwrap();
    let mut ws = app.subscribe_to_leads(&token).await;

    // The event arrives, but this session was never revoked: it keeps its orders.
    app.state
        .events
        .publish(server::events::Event::SessionsRevoked(admin_id))
        .await;
    let sent = app.submit_ok(json!({})).await;
    let delivered = ws.next_json().await.expect("a live order");
    assert_eq!(
        delivered["payload"]["data"]["leadCreated"]["id"],
        sent.as_str(),
        "{delivered}"
    );
}

async fn password_change_and_deletion_end_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let email = server::values::Email::parse("email", "owner@example.com").unwrap();
    let password = server::values::Password::parse("p", "another long password").unwrap();
    server::admins::set_password(&app.state.db, &app.state.events, &email, password)
        .await
        .unwrap();
    assert_error(
        &app.gql_as(&token, ME, json!({})).await,
        "UNAUTHENTICATED",
        None,
    );
    let body = app
        .login("owner@example.com", "another long password")
        .await;
    let token = body["data"]["login"]["token"].as_str().unwrap().to_owned();
    let mut ws = app
        .ws_connect(json!({ "Authorization": format!("Bearer {token}") }))
        .await
        .unwrap();
    server::admins::delete(&app.state.db, &app.state.events, &email)
        .await
        .unwrap();
    assert_error(
        &app.gql_as(&token, ME, json!({})).await,
        "UNAUTHENTICATED",
        None,
    );
    // An operation started on the open socket after the deletion is refused.
    ws.subscribe("1", "subscription { leadCreated { id } }")
        .await;
    let message = ws.next_json().await.unwrap();
    let errors = if message["type"] == "next" {
        &message["payload"]["errors"]
    } else {
        &message["payload"]
    };
    assert_eq!(
        errors[0]["extensions"]["code"], "UNAUTHENTICATED",
        "{message}"
    );
}

/// The socket runs subscriptions only: a query or a mutation sent on it is refused before it
/// runs (it would get round nginx's request limit and the server's per-address ones), and the
/// connection goes on serving subscriptions.
async fn the_websocket_runs_subscriptions_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut ws = app
        .ws_connect(json!({ "Authorization": format!("Bearer {token}") }))
        .await
        .unwrap();
    let aliased: String = (0..50)
        .map(|i| format!("a{i}: services {{ id }} "))
        .collect();
    let refused = [
        ("1", format!("{{ {aliased} }}")),
        ("2", "{ me { email } }".to_owned()),
        (
            "3",
            r#"mutation { submitApplication(input: {name: "A", surname: "B", email: "a@b.co", consent: true}) { id } }"#
                .to_owned(),
        ),
        ("4", r#"mutation { createService(input: {name: "Sneaky"}) { id } }"#.to_owned()),
        // A subscription beside a query is refused whole.
        (
            "5",
            "subscription S { leadCreated { id } } query Q { adminExists }".to_owned(),
        ),
    ];
    for (id, document) in &refused {
        ws.subscribe(id, document).await;
        let mut message = ws.next_json().await.unwrap();
        while message["type"] == "complete" {
            message = ws.next_json().await.unwrap();
        }
        assert_eq!(message["id"], *id, "{message}");
        assert!(message["payload"]["data"].is_null(), "{message}");
        assert_eq!(
            message["payload"]["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
            "{message}"
        );
        assert!(
            message["payload"]["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("Only subscriptions")),
            "{message}"
        );
    }
    assert_eq!(app.count("services").await, 0);
    assert_eq!(app.count("applications").await, 0);
    // The same socket still delivers its subscriptions.
    ws.subscribe("6", "subscription { leadCreated { id } }")
        .await;
    app.until_subscribed(1).await;
    let sent = app.submit_ok(json!({})).await;
    let mut delivered = ws.next_json().await.expect("a live order");
    while delivered["type"] == "complete" {
        delivered = ws.next_json().await.expect("a live order");
    }
    assert_eq!(delivered["id"], "6", "{delivered}");
    assert_eq!(
        delivered["payload"]["data"]["leadCreated"]["id"],
        sent.as_str(),
        "{delivered}"
    );
}

async fn production_registration_needs_the_setup_code(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("APP_ENV", "production")]).await;
    assert_eq!(
        app.gql("{ setupCodeRequired }", json!({})).await["data"]["setupCodeRequired"],
        true
    );
    let register = |code: Option<&str>| {
        app.gql(
            "mutation($c: String) { registerAdmin(email: \"x@example.com\", password: \"long enough password\", setupCode: $c) { token } }",
            json!({ "c": code }),
        )
    };
    assert_error(&register(None).await, "BAD_USER_INPUT", Some("setupCode"));
    assert_error(
        &register(Some("AAAA-BBBB-CCCC")).await,
        "BAD_USER_INPUT",
        Some("setupCode"),
    );
    assert_eq!(app.count("admins").await, 0);
    let code = server::admins::setup::code(TEST_SECRET.as_bytes()).to_lowercase();
    let body = register(Some(&code)).await;
    assert!(body["data"]["registerAdmin"]["token"].is_string(), "{body}");
    assert_eq!(
        app.gql("{ setupCodeRequired }", json!({})).await["data"]["setupCodeRequired"],
        false
    );
    // Development keeps the one-click flow.
    let dev = TestApp::spawn(backend).await;
    assert_eq!(
        dev.gql("{ setupCodeRequired }", json!({})).await["data"]["setupCodeRequired"],
        false
    );
    let body = dev
        .gql(
            "mutation { registerAdmin(email: \"x@example.com\", password: \"long enough password\") { token } }",
            json!({}),
        )
        .await;
    assert!(body["data"]["registerAdmin"]["token"].is_string(), "{body}");
}

async fn password_guessing_is_limited_per_account(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[
            ("RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_MINUTE", "5"),
            ("TRUSTED_PROXIES", "127.0.0.1"),
        ],
    )
    .await;
    app.admin_token().await;
    let login_with = |ip: &str, password: &'static str, device: Option<&str>| {
        let request = app
            .client
            .post(app.url("/graphql"))
            .header("x-real-ip", ip)
            .json(&json!({
                "query": "mutation($p: String!, $d: String) { login(email: \"owner@example.com\", password: $p, device: $d) { token deviceToken } }",
                "variables": { "p": password, "d": device },
            }))
            .send();
        async move { request.await.unwrap().json::<Value>().await.unwrap() }
    };
    let login_from = |ip: String, password: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .header("x-real-ip", ip)
            .json(&json!({
                "query": "mutation($p: String!) { login(email: \"owner@example.com\", password: $p) { token } }",
                "variables": { "p": password },
            }))
            .send()
    };
    // The owner signs in from home once; the browser keeps its device token.
    let body = login_with("192.0.2.10", PASSWORD, None).await;
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
    let device = body["data"]["login"]["deviceToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = body["data"]["login"]["token"].as_str().unwrap().to_owned();
    // Forty guesses from four addresses: only the account's budget is checked.
    let mut refused = 0;
    for i in 0..40 {
        let body: Value = login_from(format!("198.51.100.{}", i % 4), "wrong password")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        match body["errors"][0]["extensions"]["code"].as_str() {
            Some("RATE_LIMITED") => refused += 1,
            Some("UNAUTHENTICATED") => {}
            other => panic!("unexpected {other:?}: {body}"),
        }
    }
    // A budget of five a minute: the owner's own first sign-in spent one, the guesses four.
    assert_eq!(refused, 40 - 4);
    // The owner is not locked out at home.
    let body: Value = login_from("192.0.2.10".into(), PASSWORD)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
    // Away from home (a new address; or the server restarted, and with it the addresses it
    // remembered), the budget the guesses spent would keep the owner out, however right the
    // password; the browser's device token vouches for its sign-in.
    let away = "203.0.113.7";
    let body = login_with(away, PASSWORD, None).await;
    assert_error(&body, "RATE_LIMITED", None);
    let body = login_with(away, PASSWORD, Some(&device)).await;
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
    // A renewed session gets no device token: only a password earns one.
    let renewed = app
        .gql_as(
            &session,
            "mutation { renewSession { token deviceToken } }",
            json!({}),
        )
        .await;
    assert!(
        renewed["data"]["renewSession"]["token"].is_string(),
        "{renewed}"
    );
    assert!(
        renewed["data"]["renewSession"]["deviceToken"].is_null(),
        "{renewed}"
    );
    // A session token vouches for nothing (from yet another address: the one above is now
    // known), and a device token signs nothing in.
    let body = login_with("203.0.113.8", PASSWORD, Some(&session)).await;
    assert_error(&body, "RATE_LIMITED", None);
    assert_error(
        &app.gql_as(&device, "{ me { id } }", json!({})).await,
        "UNAUTHENTICATED",
        None,
    );
}

async fn statistics_cannot_outrun_the_clock(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let visit = Uuid::new_v4().to_string();
    let visitor = Uuid::new_v4().to_string();
    // Sixty batches of sixty seconds, sent at once.
    for seq in 1..=60 {
        app.send_batch_ok(json!({
            "visitorId": visitor, "visitId": visit, "seq": seq, "engagedSeconds": 60,
            "clicks": [{"element": "cta", "count": 1000}],
        }))
        .await;
    }
    app.flush_metrics().await;
    let visit_row = {
        use sea_orm::EntityTrait;
        server::db::entities::visit::Entity::find_by_id(Uuid::parse_str(&visit).unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
    };
    // Wall time is a second or two, plus one batch's worth of slack.
    assert!(
        visit_row.engaged_seconds <= 60 + 10,
        "{}",
        visit_row.engaged_seconds
    );
    let total: i64 = visit_row.clicks.0.values().sum();
    assert!(total <= 70 * 10, "{total} clicks credited");
    // A field's focus in a batch is bounded by the time since the visit's last batch (plus a
    // second), whatever engaged time the batch claims: sixty batches of an hour each, sent at
    // once, credit about a minute and a second a batch.
    let focus_visit = Uuid::new_v4().to_string();
    let started = std::time::Instant::now();
    for seq in 1..=60 {
        app.send_batch_ok(json!({
            "visitorId": visitor, "visitId": focus_visit, "seq": seq, "engagedSeconds": 0,
            "fields": [
                {"name": "email", "focusCount": 5, "focusedMs": 3_600_000, "lastTouched": false},
                {"name": "phone", "focusCount": 5, "focusedMs": 3_600_000, "lastTouched": false},
            ],
        }))
        .await;
    }
    let elapsed_ms = i64::try_from(started.elapsed().as_millis()).unwrap();
    app.flush_metrics().await;
    let focused: i64 = {
        use sea_orm::EntityTrait;
        server::db::entities::field_daily::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .map(|row| row.focused_ms)
            .sum()
    };
    // The first batch covers a minute before it; each later one the time since the one before,
    // plus a second.
    let bound = 60 * 1000 + 59 * 1000 + elapsed_ms;
    assert!(
        focused <= bound,
        "{focused} ms focused credited, at most {bound}"
    );
    assert!(
        focused >= 60 * 1000,
        "{focused}: the first batch's minute is credited"
    );
    // Unknown pages are refused and create nothing.
    let body = app.send_batch(json!({"page": "/made-up"})).await;
    assert_error(&body, "BAD_USER_INPUT", Some("page"));
    app.flush_metrics().await;
    let body = app
        .gql_as(
            &token,
            "{ metricStats(page: \"/made-up\") { visits { month } } }",
            json!({}),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("page"));
    // Admin arguments go through the same checks: NUL is a bad input, not an internal error.
    let body = app
        .gql_as(
            &token,
            "query($p: String) { metricStats(page: $p) { visits { month } } }",
            json!({"p": "/\u{0}"}),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("page"));
    let body = app
        .gql_as(
            &token,
            "query($s: String) { leads(filter: {search: $s}) { totalCount } }",
            json!({"s": "a\u{0}"}),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("search"));
    // One batch cannot carry a million clicks by repeating an element.
    let many: Vec<Value> = (0..50)
        .map(|i| json!({"element": format!("b{}", " ".repeat(i % 3)), "count": 1000}))
        .collect();
    let body = app.send_batch(json!({"clicks": many})).await;
    assert_error(&body, "BAD_USER_INPUT", Some("clicks.count"));
}

async fn text_that_lies_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (field, value, reason) in [
        ("name", "Ива\u{202E}н", "INVISIBLE_CHARACTERS"),
        ("surname", "Пет\u{200B}ров", "INVISIBLE_CHARACTERS"),
        ("email", "ivan\u{2066}@example.com", "INVALID_EMAIL"),
        ("phone", "+7 999\u{200D} 123", "INVISIBLE_CHARACTERS"),
    ] {
        let body = app.submit(json!({ field: value })).await;
        assert_error(&body, "BAD_USER_INPUT", Some(field));
        assert_eq!(body["errors"][0]["extensions"]["reason"], reason, "{body}");
    }
    assert_eq!(app.count("applications").await, 0);
}

async fn the_server_enforces_transport_limits_itself(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[
            ("HTTP_HEADER_TIMEOUT", "1s"),
            ("HTTP_BODY_TIMEOUT", "1s"),
            ("WS_INIT_TIMEOUT", "1s"),
            ("WS_MAX_PER_ADDRESS", "3"),
        ],
    )
    .await;
    let address = app.base.trim_start_matches("http://").to_owned();
    // A connection that never finishes its headers is closed by the server.
    let mut stalled = tokio::net::TcpStream::connect(&address).await.unwrap();
    stalled
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buffer = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(30), stalled.read_to_end(&mut buffer)).await;
    assert!(read.is_ok(), "the server kept a stalled connection open");
    // So is an idle keep-alive connection.
    let mut idle = tokio::net::TcpStream::connect(&address).await.unwrap();
    let read = tokio::time::timeout(Duration::from_secs(30), idle.read_to_end(&mut buffer)).await;
    assert!(read.is_ok(), "the server kept an idle connection open");
    // A stalled body: 408 with a JSON error.
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\"",
    )
    .await
    .unwrap();
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), slow.read_to_end(&mut response)).await;
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(response.contains("REQUEST_TIMEOUT"), "{response}");

    // A WebSocket that never sends connection_init is closed with 4408.
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
            app.ws_url.as_str(),
        )
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        tokio_tungstenite::tungstenite::http::HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut silent, _) = tokio_tungstenite::connect_async(request.clone())
        .await
        .unwrap();
    let close = loop {
        use futures_util::StreamExt;
        match tokio::time::timeout(Duration::from_secs(30), silent.next()).await {
            Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame)))) => break frame,
            Ok(Some(Ok(_))) => continue,
            other => panic!("no close frame: {other:?}"),
        }
    };
    assert_eq!(close.map(|f| u16::from(f.code)), Some(4408));
    // At most three sockets per address; a fourth is refused with 429.
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(app.ws_connect(json!({})).await.unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 429)
        }
        other => panic!("a fourth socket was accepted: {:?}", other.map(|_| ())),
    }
    // Closing one frees its slot by the time the server confirms the close.
    open.pop().unwrap().close().await;
    app.ws_connect(json!({}))
        .await
        .expect("the closed socket's place is free again");
}

/// Every validation error carries a machine reason and its parameters, so clients translate
/// without reading English.
async fn validation_errors_carry_a_reason_and_its_parameters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = app.submit(json!({"name": "x".repeat(101)})).await;
    assert_error(&body, "BAD_USER_INPUT", Some("name"));
    assert_eq!(body["errors"][0]["extensions"]["reason"], "TOO_LONG");
    assert_eq!(body["errors"][0]["extensions"]["max"], 100);
    let body = app.submit(json!({"surname": "  "})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "REQUIRED",
        "{body}"
    );
    let body = app.register_admin("owner@example.com", "short").await;
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "TOO_SHORT",
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["min"], 12, "{body}");
    let body = app.send_batch(json!({"engagedSeconds": 61})).await;
    let extensions = &body["errors"][0]["extensions"];
    assert_eq!(extensions["reason"], "OUT_OF_RANGE", "{body}");
    assert_eq!(
        (extensions["min"].as_i64(), extensions["max"].as_i64()),
        (Some(0), Some(60))
    );
}

/// graphql-transport-ws: an operation before `connection_init` is 4401, refused credentials
/// 4403; and a request without a required variable is a request error (400), not a field
/// error.
async fn protocol_errors_use_the_protocols_codes(backend: Backend) {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};
    let app = TestApp::spawn(backend).await;
    let open = || async {
        let mut request = app.ws_url.as_str().into_client_request().unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        tokio_tungstenite::connect_async(request).await.unwrap().0
    };
    let close_code = |mut socket: tokio_tungstenite::WebSocketStream<_>| async move {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => continue,
                other => panic!("no close frame: {other:?}"),
            }
        }
    };
    let mut early = open().await;
    early
        .send(Message::text(
            json!({"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }"}})
                .to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(close_code(early).await, Some(4401));
    let mut forged = open().await;
    forged
        .send(Message::text(
            json!({"type": "connection_init", "payload": {"Authorization": "Bearer not.a.token"}})
                .to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(close_code(forged).await, Some(4403));

    // The same document with its variable first: a document that passed is kept, and the
    // variables are still checked on every request.
    let query = "query($n: Int!) { leads(first: $n) { totalCount } }";
    let body = app.gql(query, json!({"n": 5})).await;
    assert_error(&body, "UNAUTHENTICATED", None);
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({"query": query, "variables": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    // Tracker names the admin reads cannot hide text-direction tricks either.
    let body = app
        .send_batch(json!({"clicks": [{"element": "\u{202E}gnp.exe", "count": 1}]}))
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("clicks.element"));
}

/// A statement stuck behind a lock is cancelled by the database after the configured timeout:
/// a bounded INTERNAL answer, and the pool serves again once the lock is gone.
async fn a_stuck_statement_is_cancelled_not_waited_for(backend: Backend) {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    if backend != Backend::Postgres {
        return; // SQLite waits at most its busy timeout, and has no statement timeout.
    }
    let app = TestApp::spawn_with(backend, &[("DATABASE_STATEMENT_TIMEOUT", "1s")]).await;
    let lock = app.db.begin().await.unwrap();
    lock.execute_unprepared("LOCK TABLE applications IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let body = app.submit(json!({})).await;
    assert_error(&body, "INTERNAL", None);
    lock.rollback().await.unwrap();
    app.submit_ok(json!({})).await;
    assert_eq!(app.count("applications").await, 1);
}

db_tests!(
    a_stuck_statement_is_cancelled_not_waited_for,
    protocol_errors_use_the_protocols_codes,
    validation_errors_carry_a_reason_and_its_parameters,
    a_fragment_bomb_is_refused_before_it_expands,
    only_json_bodies_run_operations,
    cors_answers_only_listed_origins,
    every_refusal_is_a_json_error_with_its_status,
    responses_follow_graphql_over_http,
    production_suggests_nothing,
    revoked_sessions_end_everywhere,
    a_late_revocation_event_spares_a_fresh_session,
    password_change_and_deletion_end_sessions,
    the_websocket_runs_subscriptions_only,
    production_registration_needs_the_setup_code,
    password_guessing_is_limited_per_account,
    statistics_cannot_outrun_the_clock,
    text_that_lies_is_refused,
    the_server_enforces_transport_limits_itself,
);
