//! Notifications through the outbox: a local webhook receiver that checks the signature, a
//! local stand-in for the Telegram Bot API (with button presses through `getUpdates`) and a
//! local SMTP listener. Delivery timing comes from the settings (a fast poll, a short backoff
//! base); tests wait for conditions, never for time.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::Notify,
};

use crate::helpers::{Backend, TestApp, assert_error};

const WEBHOOK_SECRET: &str = "webhook-secret-3b1f9c0a7d";
const BOT_TOKEN: &str = "123456:AAF-secret_token_xyz";
const CHAT: i64 = -100_777;
/// Scores 100: budget 40 + company 30 + urgency 30.
fn urgent(email: &str) -> Value {
    json!({"budget": "от 5 млн ₽", "companySize": "500+", "deadline": "срочно", "email": email})
}

const DELIVERIES: &str =
    "query($s: NotificationStatus) { notificationDeliveries(first: 200, status: $s) {
    id channel kind status leadId attempts lastError lastErrorKind sentAt } }";

async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

/// Waits (polling) until `check` gives a value; a generous deadline only guards against a hang.
async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn deliveries(app: &TestApp, token: &str, status: Option<&str>) -> Vec<Value> {
    let body = app.gql_as(token, DELIVERIES, json!({"s": status})).await;
    body["data"]["notificationDeliveries"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone()
}

// --- the webhook receiver -------------------------------------------------------------------

#[derive(Default)]
struct Receiver {
    got: Mutex<Vec<Value>>,
    hits: AtomicUsize,
    failing: AtomicBool,
}

/// A receiver as the README tells one to write it: HMAC over `<timestamp>.<body>`, compared
/// in constant time, timestamps within five minutes.
async fn receive(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    r.hits.fetch_add(1, Ordering::SeqCst);
    if r.failing.load(Ordering::SeqCst) {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let timestamp = header("x-order-desk-timestamp");
    let Ok(seconds) = timestamp.parse::<i64>() else {
        return StatusCode::BAD_REQUEST;
    };
    if (chrono::Utc::now().timestamp() - seconds).abs() > 300 {
        return StatusCode::UNAUTHORIZED;
    }
    let signature = header("x-signature-256");
    let Some(hex) = signature.strip_prefix("sha256=") else {
        return StatusCode::UNAUTHORIZED;
    };
    let Ok(given) = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
    else {
        return StatusCode::UNAUTHORIZED;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(&body);
    if mac.verify_slice(&given).is_err() {
        return StatusCode::UNAUTHORIZED;
    }
    let mut value: Value = serde_json::from_slice(&body).unwrap();
    value["_delivery"] = json!(header("x-order-desk-delivery"));
    r.got.lock().unwrap().push(value);
    StatusCode::NO_CONTENT
}

async fn receiver() -> (Arc<Receiver>, String) {
    let state = Arc::new(Receiver::default());
    let base = serve(
        Router::new()
            .route("/hooks/order-desk", post(receive))
            .with_state(state.clone()),
    )
    .await;
    (state, format!("{base}/hooks/order-desk"))
}

impl Receiver {
    fn got(&self) -> Vec<Value> {
        self.got.lock().unwrap().clone()
    }
}

fn webhook_settings(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("WEBHOOK_URL", url.to_owned()),
        ("WEBHOOK_SECRET", WEBHOOK_SECRET.to_owned()),
        ("PUBLIC_URL", "https://desk.example.com".to_owned()),
        ("NOTIFY_POLL_INTERVAL", "50ms".to_owned()),
        ("NOTIFY_RETRY_BASE", "20ms".to_owned()),
        ("NOTIFY_TIMEOUT", "5s".to_owned()),
    ]
}

fn settings<'a>(owned: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    owned.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn webhook_delivers_only_hot_enough_orders_signed(backend: Backend) {
    let (hook, url) = receiver().await;
    let owned = webhook_settings(&url);
    let app = TestApp::spawn_with(backend, &settings(&owned)).await;
    let token = app.admin_token().await;

    // LOW (score 20) is under the default threshold (MEDIUM): no message, not even a row.
    let low = app.submit_ok(json!({"email": "low@example.com"})).await;
    let hot = app.submit_ok(urgent("hot@example.com")).await;
    let got = eventually("the webhook", async || {
        let got = hook.got();
        (!got.is_empty()).then_some(got)
    })
    .await;
    let body = &got[0];
    assert_eq!(body["event"], "lead.created");
    assert_eq!(body["lead"]["id"], hot);
    assert_eq!(body["lead"]["priority"], "URGENT");
    assert_eq!(body["lead"]["priorityColor"], "red");
    assert_eq!(body["lead"]["score"], 100);
    assert_eq!(body["lead"]["scoreBreakdown"]["companySize"], 30);
    assert_eq!(body["lead"]["email"], "hot@example.com");
    assert_eq!(
        body["lead"]["url"],
        format!("https://desk.example.com/admin/leads/{hot}")
    );
    assert_eq!(body["_delivery"], body["deliveryId"]);

    let rows = eventually("the row marked sent", async || {
        let rows = deliveries(&app, &token, Some("SENT")).await;
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["leadId"], hot);
    assert_eq!(rows[0]["channel"], "WEBHOOK");
    assert_eq!(rows[0]["kind"], "NEW_ORDER");
    assert_eq!(rows[0]["attempts"], 1);
    let all = deliveries(&app, &token, None).await;
    assert!(all.iter().all(|r| r["leadId"] != low), "{all:?}");
    assert_eq!(all.len(), 1);
}

async fn failures_are_retried_given_up_and_retried_by_the_admin(backend: Backend) {
    let (hook, url) = receiver().await;
    hook.failing.store(true, Ordering::SeqCst);
    let mut owned = webhook_settings(&url);
    owned.push(("NOTIFY_MAX_ATTEMPTS", "3".to_owned()));
    let app = TestApp::spawn_with(backend, &settings(&owned)).await;
    let token = app.admin_token().await;

    let id = app.submit_ok(urgent("retry@example.com")).await;
    let failed = eventually("the give-up", async || {
        deliveries(&app, &token, Some("FAILED")).await.pop()
    })
    .await;
    assert_eq!(failed["leadId"], id);
    assert_eq!(failed["attempts"], 3);
    assert_eq!(failed["lastError"], "webhook answered HTTP 500");
    // The admin reads the kind in their language: the service's own trouble.
    assert_eq!(failed["lastErrorKind"], "SERVICE_ERROR");
    assert_eq!(
        hook.hits.load(Ordering::SeqCst),
        3,
        "three attempts, then none"
    );

    // A bad id is refused by name.
    let pending = app
        .gql_as(
            &token,
            "mutation($id: ID!) { retryNotification(id: $id) { id } }",
            json!({"id": "not-an-id"}),
        )
        .await;
    assert_error(&pending, "BAD_USER_INPUT", Some("id"));

    hook.failing.store(false, Ordering::SeqCst);
    let retried = app
        .gql_as(
            &token,
            "mutation($id: ID!) { retryNotification(id: $id) { id status attempts } }",
            json!({"id": failed["id"]}),
        )
        .await;
    assert_eq!(
        retried["data"]["retryNotification"]["status"], "PENDING",
        "{retried}"
    );
    let sent = eventually("the retried message", async || {
        deliveries(&app, &token, Some("SENT")).await.pop()
    })
    .await;
    assert_eq!(sent["id"], failed["id"]);
    assert_eq!(sent["lastError"], Value::Null);
    assert_eq!(sent["lastErrorKind"], Value::Null);
    assert_eq!(hook.got().len(), 1);
    let again = app
        .gql_as(
            &token,
            "mutation($id: ID!) { retryNotification(id: $id) { id } }",
            json!({"id": failed["id"]}),
        )
        .await;
    assert_error(&again, "BAD_USER_INPUT", Some("id"));
}

/// A webhook that answers "no" (here: the receiver does not accept the signature of a secret
/// it was not given) is a refusal: the channel's settings need a look, which the panel says.
async fn a_refusing_webhook_is_recorded_as_refused(backend: Backend) {
    let (hook, url) = receiver().await;
    let mut owned = webhook_settings(&url);
    owned.retain(|(name, _)| *name != "WEBHOOK_SECRET");
    owned.push(("WEBHOOK_SECRET", "not-the-receivers-secret".to_owned()));
    let app = TestApp::spawn_with(backend, &settings(&owned)).await;
    let token = app.admin_token().await;
    app.gql_as(
        &token,
        "mutation { sendTestNotification(channel: WEBHOOK) { id } }",
        json!({}),
    )
    .await;
    let refused = eventually("the refusal recorded", async || {
        deliveries(&app, &token, None)
            .await
            .into_iter()
            .find(|d| d["lastError"].is_string())
    })
    .await;
    assert_eq!(
        refused["lastError"], "webhook answered HTTP 401",
        "{refused}"
    );
    assert_eq!(refused["lastErrorKind"], "REFUSED", "{refused}");
    assert!(hook.got().is_empty());
}

async fn pending_messages_are_sent_after_a_restart(backend: Backend) {
    let (hook, url) = receiver().await;
    hook.failing.store(true, Ordering::SeqCst);
    let mut owned = webhook_settings(&url);
    owned.push(("NOTIFY_MAX_ATTEMPTS", "1000".to_owned()));
    let mut first = TestApp::spawn_with(backend, &settings(&owned)).await;
    let token = first.admin_token().await;
    let id = first.submit_ok(urgent("restart@example.com")).await;
    eventually("a failed attempt", async || {
        (hook.hits.load(Ordering::SeqCst) > 0).then_some(())
    })
    .await;
    first.stop().await.unwrap();
    let before = hook.hits.load(Ordering::SeqCst);

    hook.failing.store(false, Ordering::SeqCst);
    let second = first.spawn_replica_with(&settings(&owned)).await;
    let sent = eventually("the message after the restart", async || {
        deliveries(&second, &token, Some("SENT")).await.pop()
    })
    .await;
    assert_eq!(sent["leadId"], id);
    assert_eq!(
        hook.hits.load(Ordering::SeqCst),
        before + 1,
        "one attempt after the restart"
    );
    assert_eq!(hook.got().len(), 1);
    assert_eq!(hook.got()[0]["lead"]["id"], id);
}

async fn a_stale_urgent_order_gets_one_reminder(backend: Backend) {
    let (hook, url) = receiver().await;
    let owned = webhook_settings(&url);
    let app = TestApp::spawn_with(backend, &settings(&owned)).await;
    let token = app.admin_token().await;
    let waiting = app.submit_ok(urgent("waiting@example.com")).await;
    let taken = app.submit_ok(urgent("taken@example.com")).await;
    eventually("both new-order messages", async || {
        (hook.got().len() == 2).then_some(())
    })
    .await;
    let moved = app
        .gql_as(
            &token,
            "mutation($id: ID!) { updateLeadStatus(id: $id, status: IN_PROGRESS) { status } }",
            json!({"id": taken}),
        )
        .await;
    assert_eq!(
        moved["data"]["updateLeadStatus"]["status"], "IN_PROGRESS",
        "{moved}"
    );
    // Both orders came 31 minutes ago (the default threshold is 30).
    use sea_orm::{EntityTrait, sea_query::Expr};
    use server::db::entities::lead;
    let past = server::values::now() - chrono::Duration::minutes(31);
    lead::Entity::update_many()
        .col_expr(lead::Column::CreatedAt, Expr::value(past))
        .exec(&app.db)
        .await
        .unwrap();

    let reminder = eventually("the reminder", async || {
        hook.got().into_iter().find(|b| b["event"] == "lead.stale")
    })
    .await;
    assert_eq!(reminder["lead"]["id"], waiting);
    eventually("the reminder marked sent", async || {
        deliveries(&app, &token, Some("SENT"))
            .await
            .into_iter()
            .find(|r| r["kind"] == "STALE_REMINDER")
    })
    .await;
    // Looking again, from this replica or any other, adds nothing: the unique key says once.
    let added = server::notify::enqueue_stale_reminders(
        &app.state.db,
        &app.state.outbox,
        Duration::from_secs(1800),
        server::values::now(),
    )
    .await
    .unwrap();
    assert_eq!(added, 0);
    assert_eq!(
        app.count("notification_outbox WHERE kind = 'STALE_REMINDER'")
            .await,
        1
    );
    assert_eq!(
        hook.got()
            .iter()
            .filter(|b| b["event"] == "lead.stale")
            .count(),
        1
    );
}

/// Orders the spam guard stores as spam (from the e-mail or the phone of an order an admin
/// marked as spam) are announced to nobody, however hot: no outbox row, no message, no stale
/// reminder; an ordinary order beside them is delivered.
async fn spam_guarded_orders_are_never_announced(backend: Backend) {
    let (hook, url) = receiver().await;
    let owned = webhook_settings(&url);
    let app = TestApp::spawn_with(backend, &settings(&owned)).await;
    let token = app.admin_token().await;

    let mut first = urgent("bot@spam.example");
    first["phone"] = json!("+7 (912) 555-12-34");
    let marked = app.submit_ok(first).await;
    eventually("the first order announced", async || {
        hook.got()
            .iter()
            .any(|b| b["lead"]["id"] == marked)
            .then_some(())
    })
    .await;
    app.mark_spam(&token, &marked).await;

    // URGENT orders from the same e-mail (another case) and from the same phone.
    let by_mail = app.submit_ok(urgent("BOT@Spam.example")).await;
    let mut from_phone = urgent("someone.else@example.com");
    from_phone["phone"] = json!("+7 912 555 12 34");
    let by_phone = app.submit_ok(from_phone).await;
    let normal = app.submit_ok(urgent("client@example.com")).await;
    let caught = [by_mail.as_str(), by_phone.as_str()];
    for id in caught {
        let lead = app
            .gql_as(
                &token,
                "query($id: ID!) { lead(id: $id) { status priority } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            lead["data"]["lead"],
            json!({"status": "SPAM", "priority": "URGENT"}),
            "{lead}"
        );
        // Rows are written in the order's own transaction, committed before it was answered.
        assert_eq!(outbox_rows(&app, id).await, 0, "{id} has outbox rows");
    }
    assert_eq!(outbox_rows(&app, &normal).await, 1);

    eventually("the ordinary order delivered", async || {
        deliveries(&app, &token, Some("SENT"))
            .await
            .iter()
            .any(|r| r["leadId"] == normal)
            .then_some(())
    })
    .await;
    let announced: Vec<Value> = hook.got().iter().map(|b| b["lead"]["id"].clone()).collect();
    assert_eq!(
        announced,
        [json!(marked), json!(normal)],
        "what the webhook got"
    );
    let rows = deliveries(&app, &token, None).await;
    assert!(
        rows.iter()
            .all(|r| !caught.contains(&r["leadId"].as_str().unwrap_or(""))),
        "{rows:?}"
    );

    // Nor reminded: every order came 31 minutes ago; only the ordinary one is stale.
    use sea_orm::{EntityTrait, sea_query::Expr};
    use server::db::entities::lead;
    let past = server::values::now() - chrono::Duration::minutes(31);
    lead::Entity::update_many()
        .col_expr(lead::Column::CreatedAt, Expr::value(past))
        .exec(&app.db)
        .await
        .unwrap();
    server::notify::enqueue_stale_reminders(
        &app.state.db,
        &app.state.outbox,
        Duration::from_secs(1800),
        server::values::now(),
    )
    .await
    .unwrap();
    assert_eq!(outbox_rows(&app, &normal).await, 2, "new order + reminder");
    for id in caught {
        assert_eq!(outbox_rows(&app, id).await, 0, "{id} was reminded");
    }
}

/// The outbox rows of one order.
async fn outbox_rows(app: &TestApp, lead_id: &str) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::db::entities::notification;
    let id: uuid::Uuid = lead_id.parse().unwrap();
    notification::Entity::find()
        .filter(notification::Column::LeadId.eq(id))
        .count(&app.db)
        .await
        .unwrap()
}

db_tests!(
    webhook_delivers_only_hot_enough_orders_signed,
    failures_are_retried_given_up_and_retried_by_the_admin,
    a_refusing_webhook_is_recorded_as_refused,
    pending_messages_are_sent_after_a_restart,
    a_stale_urgent_order_gets_one_reminder,
    spam_guarded_orders_are_never_announced,
);

/// Two server processes on one PostgreSQL, both delivering: every message arrives once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_never_send_a_message_twice() {
    let (hook, url) = receiver().await;
    let owned = webhook_settings(&url);
    let a = TestApp::spawn_with(Backend::Postgres, &settings(&owned)).await;
    let b = a.spawn_replica_with(&settings(&owned)).await;
    let token = a.admin_token().await;
    let mut ids = Vec::new();
    for n in 0..24 {
        let app = if n % 2 == 0 { &a } else { &b };
        ids.push(app.submit_ok(urgent(&format!("r{n}@example.com"))).await);
    }
    eventually("every row sent", async || {
        (deliveries(&a, &token, Some("SENT")).await.len() == ids.len()).then_some(())
    })
    .await;
    let got = hook.got();
    let mut leads: Vec<String> = got
        .iter()
        .map(|b| b["lead"]["id"].as_str().unwrap().to_owned())
        .collect();
    leads.sort();
    ids.sort();
    assert_eq!(leads, ids, "each order announced exactly once");
}

// --- Telegram -------------------------------------------------------------------------------

#[derive(Default)]
struct FakeTelegram {
    sent: Mutex<Vec<Value>>,
    answers: Mutex<Vec<Value>>,
    edits: Mutex<Vec<Value>>,
    updates: Mutex<Vec<Value>>,
    new_update: Notify,
    next_message: AtomicI64,
}

async fn bot_api(
    State(t): State<Arc<FakeTelegram>>,
    Path((bot, method)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if bot != format!("bot{BOT_TOKEN}") {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"ok": false, "error_code": 404, "description": "Not Found"})),
        );
    }
    let ok = |result: Value| (StatusCode::OK, Json(json!({"ok": true, "result": result})));
    match method.as_str() {
        "sendMessage" => {
            let id = t.next_message.fetch_add(1, Ordering::SeqCst) + 1;
            t.sent.lock().unwrap().push(body.clone());
            ok(json!({"message_id": id, "chat": {"id": body["chat_id"]}, "date": 0}))
        }
        "getUpdates" => {
            let offset = body["offset"].as_i64().unwrap_or(0);
            let wait = Duration::from_secs(body["timeout"].as_u64().unwrap_or(0));
            let pending = || -> Vec<Value> {
                t.updates
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|u| u["update_id"].as_i64().unwrap_or(0) >= offset)
                    .cloned()
                    .collect()
            };
            let notified = t.new_update.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let mut found = pending();
            if found.is_empty() {
                let _ = tokio::time::timeout(wait, notified).await;
                found = pending();
            }
            ok(Value::Array(found))
        }
        "answerCallbackQuery" => {
            t.answers.lock().unwrap().push(body);
            ok(json!(true))
        }
        "editMessageText" => {
            t.edits.lock().unwrap().push(body);
            ok(json!({"message_id": 1}))
        }
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"ok": false, "description": "Not Found: method not found"})),
        ),
    }
}

impl FakeTelegram {
    fn press(&self, update_id: i64, chat: i64, message_id: i64, data: &str) {
        self.updates.lock().unwrap().push(json!({
            "update_id": update_id,
            "callback_query": {
                "id": format!("cb{update_id}"),
                "from": {"id": 42, "is_bot": false, "first_name": "Анна", "username": "anna_sales"},
                "message": {"message_id": message_id, "chat": {"id": chat, "type": "supergroup"}, "date": 0},
                "chat_instance": "1",
                "data": data,
            }
        }));
        self.new_update.notify_waiters();
    }
}

async fn telegram() -> (Arc<FakeTelegram>, String) {
    let state = Arc::new(FakeTelegram::default());
    let base = serve(
        Router::new()
            .route("/{bot}/{method}", post(bot_api))
            .with_state(state.clone()),
    )
    .await;
    (state, base)
}

fn telegram_settings(api: &str) -> Vec<(&'static str, String)> {
    vec![
        ("TELEGRAM_BOT_TOKEN", BOT_TOKEN.to_owned()),
        ("TELEGRAM_CHAT_ID", CHAT.to_string()),
        ("TELEGRAM_API_URL", api.to_owned()),
        ("TELEGRAM_POLL_TIMEOUT", "1s".to_owned()),
        ("PUBLIC_URL", "https://desk.example.com".to_owned()),
        ("NOTIFY_LANG", "en".to_owned()),
        ("NOTIFY_POLL_INTERVAL", "50ms".to_owned()),
        ("NOTIFY_RETRY_BASE", "20ms".to_owned()),
    ]
}

async fn telegram_message_take_button_and_foreign_chats(backend: Backend) {
    let (tg, api) = telegram().await;
    let owned = telegram_settings(&api);
    let app = TestApp::spawn_with(backend, &settings(&owned)).await;
    let token = app.admin_token().await;

    let mut order = urgent("tg@example.com");
    order["name"] = json!("<b>Boss</b>");
    order["surname"] = json!("</a><a href=\"https://evil.example\">x");
    let id = app.submit_ok(order).await;
    let sent = eventually("sendMessage", async || {
        tg.sent.lock().unwrap().first().cloned()
    })
    .await;
    assert_eq!(sent["chat_id"], CHAT);
    assert_eq!(sent["parse_mode"], "HTML");
    let text = sent["text"].as_str().unwrap();
    assert!(text.contains("🔴 New order — Urgent"), "{text}");
    assert!(
        text.contains("100/100 (budget 40, company size 30, urgency 30)"),
        "{text}"
    );
    assert!(
        text.contains(
            "&lt;b&gt;Boss&lt;/b&gt; &lt;/a&gt;&lt;a href=&quot;https://evil.example&quot;&gt;x"
        ),
        "customer text is escaped: {text}"
    );
    assert!(!text.contains("evil.example\">"), "{text}");
    let buttons = &sent["reply_markup"]["inline_keyboard"][0];
    assert_eq!(buttons[0]["text"], "Take it");
    assert_eq!(buttons[0]["callback_data"], format!("take:{id}"));
    assert_eq!(buttons[1]["text"], "Open");
    assert_eq!(
        buttons[1]["url"],
        format!("https://desk.example.com/admin/leads/{id}")
    );

    // A press from another chat first (ignored, not answered), then one from the configured
    // chat: the order is taken, and its history says by whom, as the order card reads it.
    tg.press(10, 555, 1, &format!("take:{id}"));
    tg.press(11, CHAT, 1, &format!("take:{id}"));
    let answers = eventually("the press answered", async || {
        let answers = tg.answers.lock().unwrap().clone();
        (!answers.is_empty()).then_some(answers)
    })
    .await;
    assert_eq!(answers[0]["callback_query_id"], "cb11", "{answers:?}");
    assert_eq!(answers[0]["text"], "The order is yours");
    let edits = eventually("the message edited", async || {
        let edits = tg.edits.lock().unwrap().clone();
        (!edits.is_empty()).then_some(edits)
    })
    .await;
    assert_eq!(edits[0]["chat_id"], CHAT);
    assert_eq!(edits[0]["message_id"], 1);
    let edited = edits[0]["text"].as_str().unwrap();
    assert!(
        edited.contains("✅ <b>Taken by:</b> @anna_sales · "),
        "{edited}"
    );
    let kept = &edits[0]["reply_markup"]["inline_keyboard"][0];
    assert_eq!(kept.as_array().unwrap().len(), 1, "only Open is left");
    assert_eq!(kept[0]["text"], "Open");

    const CARD: &str = "query($id: ID!) { lead(id: $id) {
        status firstResponseAt history { fromStatus toStatus actorKind actorName at } } }";
    let card = app.gql_as(&token, CARD, json!({"id": id})).await;
    let taken = card["data"]["lead"].clone();
    assert_eq!(taken["status"], "IN_PROGRESS", "{card}");
    assert!(taken["firstResponseAt"].is_string(), "{card}");
    let history = taken["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "one move: {card}");
    assert_eq!(history[0]["fromStatus"], "NEW");
    assert_eq!(history[0]["toStatus"], "IN_PROGRESS");
    assert_eq!(history[0]["actorKind"], "TELEGRAM");
    assert_eq!(history[0]["actorName"], "@anna_sales");

    // A second press finds the order taken: answered so, and nothing else changes (status,
    // first response, history, the message).
    tg.press(12, CHAT, 1, &format!("take:{id}"));
    let answers = eventually("the second press answered", async || {
        let answers = tg.answers.lock().unwrap().clone();
        (answers.len() >= 2).then_some(answers)
    })
    .await;
    assert_eq!(
        answers.len(),
        2,
        "the foreign press is not answered: {answers:?}"
    );
    assert_eq!(answers[1]["callback_query_id"], "cb12");
    assert_eq!(answers[1]["text"], "The order is no longer new");
    let again = app.gql_as(&token, CARD, json!({"id": id})).await;
    assert_eq!(
        again["data"]["lead"], taken,
        "the second press changed the order"
    );
    let edits = tg.edits.lock().unwrap().clone();
    assert_eq!(edits.len(), 1, "edited once: {edits:?}");
}

db_tests!(telegram_message_take_button_and_foreign_chats);

/// What a stand-in Bot API saw of `getUpdates`: how many calls are in flight now, the most
/// ever in flight at once, and which replica (each has its own API path) started each call.
#[derive(Default)]
struct Polls {
    in_flight: AtomicUsize,
    most: AtomicUsize,
    started: Mutex<Vec<String>>,
}

impl Polls {
    fn started(&self) -> Vec<String> {
        self.started.lock().unwrap().clone()
    }
}

/// A call in flight until its handler finishes or is dropped.
struct InFlight(Arc<Polls>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `getUpdates` with nothing to report: each call is held a little, as a long poll is, so two
/// pollers at once would overlap here.
async fn counted_polls(
    State(p): State<Arc<Polls>>,
    Path((replica, bot, method)): Path<(String, String, String)>,
) -> (StatusCode, Json<Value>) {
    if bot != format!("bot{BOT_TOKEN}") || method != "getUpdates" {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"ok": false, "description": "Not Found"})),
        );
    }
    let now = p.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _in_flight = InFlight(p.clone());
    p.most.fetch_max(now, Ordering::SeqCst);
    p.started.lock().unwrap().push(replica);
    tokio::time::sleep(Duration::from_millis(100)).await;
    (StatusCode::OK, Json(json!({"ok": true, "result": []})))
}

/// Two replicas on one PostgreSQL: only the one holding the advisory lock polls Telegram;
/// when it stops, the other takes over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_one_replica_polls_telegram() {
    let polls = Arc::new(Polls::default());
    let base = serve(
        Router::new()
            .route("/{replica}/{bot}/{method}", post(counted_polls))
            .with_state(polls.clone()),
    )
    .await;
    let a_owned = telegram_settings(&format!("{base}/a"));
    let b_owned = telegram_settings(&format!("{base}/b"));
    let a = TestApp::spawn_with(Backend::Postgres, &settings(&a_owned)).await;
    let b = a.spawn_replica_with(&settings(&b_owned)).await;

    // Both replicas run (each tries for the lock as it starts): count the polls from now on.
    let before = polls.started().len();
    let started = eventually("several polls", async || {
        let started = polls.started();
        (started.len() >= before + 8).then_some(started)
    })
    .await;
    assert_eq!(
        polls.most.load(Ordering::SeqCst),
        1,
        "two getUpdates calls were in flight at once: {started:?}"
    );
    let leader = started[0].clone();
    assert!(
        started.iter().all(|r| *r == leader),
        "both replicas polled: {started:?}"
    );

    // The leader stops (its lock connection closes); the standby takes over.
    let (mut stopping, other) = if leader == "a" { (a, "b") } else { (b, "a") };
    stopping.stop().await.unwrap();
    let after = eventually("the other replica polling", async || {
        let started = polls.started();
        (started.iter().filter(|r| *r == other).count() >= 3).then_some(started)
    })
    .await;
    let first = after.iter().position(|r| r == other).unwrap();
    assert!(
        after[first..].iter().all(|r| r == other),
        "the stopped replica polled after the takeover: {after:?}"
    );
}

// --- e-mail ---------------------------------------------------------------------------------

/// The smallest SMTP server lettre is happy with; keeps each message's DATA.
async fn smtp_listener() -> (Arc<Mutex<Vec<String>>>, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let store = mails.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 fake ESMTP\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-fake\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            let _ = write.write_all(b"354 go on\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                data.push_str(&line);
                                data.push('\n');
                            }
                            store.lock().unwrap().push(data);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (mails, port)
}

async fn email_has_plain_and_html_parts(backend: Backend) {
    let (mails, port) = smtp_listener().await;
    let smtp = format!("smtp://127.0.0.1:{port}");
    let owned = vec![
        ("SMTP_URL", smtp),
        ("NOTIFY_EMAIL_TO", "owner@example.com".to_owned()),
        (
            "NOTIFY_EMAIL_FROM",
            "Order Desk <desk@example.com>".to_owned(),
        ),
        ("NOTIFY_POLL_INTERVAL", "50ms".to_owned()),
        ("PUBLIC_URL", "https://desk.example.com".to_owned()),
    ];
    let app = TestApp::spawn_with(backend, &settings(&owned)).await;
    let id = app.submit_ok(urgent("mail@example.com")).await;
    let mail = eventually("the e-mail", async || {
        mails.lock().unwrap().first().cloned()
    })
    .await;
    for expected in [
        "From: \"Order Desk\" <desk@example.com>",
        "To: owner@example.com",
        "Subject: =?utf-8?",
        "multipart/alternative",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Type: text/html; charset=utf-8",
    ] {
        assert!(mail.contains(expected), "{expected} missing in {mail}");
    }
    // The link is ASCII: it survives any transfer encoding on one line or is soft-wrapped;
    // look for the id.
    let unfolded = mail.replace("=\n", "");
    assert!(unfolded.contains(&id), "{mail}");
}

db_tests!(email_has_plain_and_html_parts);

/// A webhook that takes every request and never answers until `released`.
#[derive(Default)]
struct Hung {
    started: AtomicUsize,
    released: AtomicBool,
    release: Notify,
}

async fn hang(State(h): State<Arc<Hung>>) -> StatusCode {
    h.started.fetch_add(1, Ordering::SeqCst);
    let released = h.release.notified();
    if !h.released.load(Ordering::SeqCst) {
        released.await;
    }
    StatusCode::NO_CONTENT
}

/// One worker per channel, and every call bounded: a webhook that never answers delays
/// neither intake nor the e-mail, its calls end at `NOTIFY_TIMEOUT` (and are retried), and
/// once it answers again its messages go out.
async fn a_hung_channel_delays_neither_another_channel_nor_intake(backend: Backend) {
    let hung = Arc::new(Hung::default());
    let base = serve(
        Router::new()
            .route("/hooks/order-desk", post(hang))
            .with_state(hung.clone()),
    )
    .await;
    let (mails, port) = smtp_listener().await;
    let mut owned = webhook_settings(&format!("{base}/hooks/order-desk"));
    owned.retain(|(key, _)| *key != "NOTIFY_TIMEOUT");
    owned.extend([
        ("NOTIFY_TIMEOUT", "1s".to_owned()),
        ("NOTIFY_MAX_ATTEMPTS", "50".to_owned()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{port}")),
        ("NOTIFY_EMAIL_TO", "owner@example.com".to_owned()),
    ]);
    let app = TestApp::spawn_with(backend, &settings(&owned)).await;
    let token = app.admin_token().await;

    let first = app.submit_ok(urgent("first@example.com")).await;
    eventually("the hung webhook call", async || {
        (hung.started.load(Ordering::SeqCst) > 0).then_some(())
    })
    .await;
    // While the webhook holds its call: intake answers, and the e-mail worker sends both.
    let second = app.submit_ok(urgent("second@example.com")).await;
    let sent = eventually("both e-mails", async || {
        let mails = mails.lock().unwrap().clone();
        (mails.len() >= 2).then_some(mails)
    })
    .await;
    let unfolded: Vec<String> = sent.iter().map(|m| m.replace("=\n", "")).collect();
    for id in [&first, &second] {
        assert!(unfolded.iter().any(|m| m.contains(id.as_str())), "{id}");
    }
    assert!(!hung.released.load(Ordering::SeqCst));
    let webhook = |rows: Vec<Value>| -> Vec<Value> {
        rows.into_iter()
            .filter(|d| d["channel"] == "WEBHOOK")
            .collect()
    };
    assert!(
        webhook(deliveries(&app, &token, Some("SENT")).await).is_empty(),
        "nothing went out on the hung webhook"
    );

    // The hung call ends at the timeout, is recorded, and comes due again.
    let timed_out = eventually("the timeout recorded", async || {
        webhook(deliveries(&app, &token, None).await)
            .into_iter()
            .find(|d| {
                d["lastError"]
                    .as_str()
                    .is_some_and(|e| e.contains("timed out"))
            })
    })
    .await;
    assert_eq!(timed_out["status"], "PENDING", "{timed_out}");
    assert_eq!(timed_out["lastErrorKind"], "TIMEOUT", "{timed_out}");

    hung.released.store(true, Ordering::SeqCst);
    hung.release.notify_waiters();
    eventually("both webhook messages sent", async || {
        let sent = webhook(deliveries(&app, &token, Some("SENT")).await);
        (sent.len() == 2).then_some(())
    })
    .await;
}

db_tests!(a_hung_channel_delays_neither_another_channel_nor_intake);

// --- the admin's API and secrets --------------------------------------------------------------

/// Channels are shown without secrets; errors of failing channels carry none either; test
/// messages only on configured channels; everything needs an admin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api_never_shows_secrets() {
    // Nothing listens on port 9 of loopback: every send fails (connection refused).
    let owned = vec![
        ("TELEGRAM_BOT_TOKEN", BOT_TOKEN.to_owned()),
        ("TELEGRAM_CHAT_ID", CHAT.to_string()),
        ("TELEGRAM_API_URL", "http://127.0.0.1:9".to_owned()),
        (
            "WEBHOOK_URL",
            "http://127.0.0.1:9/hook/path-token-abc".to_owned(),
        ),
        ("WEBHOOK_SECRET", WEBHOOK_SECRET.to_owned()),
        ("NOTIFY_POLL_INTERVAL", "50ms".to_owned()),
        ("NOTIFY_RETRY_BASE", "1h".to_owned()),
    ];
    let app = TestApp::spawn_with(Backend::Sqlite, &settings(&owned)).await;
    let refused = app
        .gql("{ notificationChannels { channel } }", json!({}))
        .await;
    assert_error(&refused, "UNAUTHENTICATED", None);
    let token = app.admin_token().await;

    let channels = app
        .gql_as(
            &token,
            "{ notificationChannels { channel configured target } }",
            json!({}),
        )
        .await;
    assert_eq!(
        channels["data"]["notificationChannels"],
        json!([
            {"channel": "TELEGRAM", "configured": true, "target": format!("chat {CHAT}")},
            {"channel": "WEBHOOK", "configured": true, "target": "http://127.0.0.1:9/…"},
            {"channel": "EMAIL", "configured": false, "target": null},
        ])
    );
    let unconfigured = app
        .gql_as(
            &token,
            "mutation { sendTestNotification(channel: EMAIL) { id } }",
            json!({}),
        )
        .await;
    assert_error(&unconfigured, "BAD_USER_INPUT", Some("channel"));
    assert_eq!(app.count("notification_outbox").await, 0);

    for channel in ["TELEGRAM", "WEBHOOK"] {
        let queued = app
            .gql_as(
                &token,
                &format!(
                    "mutation {{ sendTestNotification(channel: {channel}) {{ kind status }} }}"
                ),
                json!({}),
            )
            .await;
        assert_eq!(
            queued["data"]["sendTestNotification"],
            json!({"kind": "TEST", "status": "PENDING"})
        );
    }
    let failed = eventually("both attempts failed", async || {
        let rows = deliveries(&app, &token, Some("PENDING")).await;
        rows.iter()
            .all(|r| r["lastError"].is_string())
            .then_some(rows)
    })
    .await;
    assert_eq!(failed.len(), 2);
    let everything = format!("{channels}{failed:?}");
    for secret in [BOT_TOKEN, "secret_token", WEBHOOK_SECRET, "path-token-abc"] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked: {everything}"
        );
    }
    let errors: Vec<&str> = failed
        .iter()
        .filter_map(|r| r["lastError"].as_str())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("Telegram sendMessage:")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("webhook:")),
        "{errors:?}"
    );
    // Nothing listens there: both are unreachable, a kind the panel says in its language.
    assert!(
        failed.iter().all(|r| r["lastErrorKind"] == "UNREACHABLE"),
        "{failed:?}"
    );
}
