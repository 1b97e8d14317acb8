//! The orders list as a work queue (issue 13): status history with its actor, notes,
//! deleting, spam, unread, sorts walked by keyset pages, phone and request-number search.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use server::leads::{self, Actor, LeadStatus};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, assert_error};

const CARD: &str = "query($id: ID!) {
  lead(id: $id) {
    id status unread requestNumber lostReason firstResponseAt
    history { fromStatus toStatus actorKind actorName at }
    notes { authorEmail body createdAt }
  }
}";

const SET_STATUS: &str = "mutation($id: ID!, $s: LeadStatus!, $r: String) {
  updateLeadStatus(id: $id, status: $s, lostReason: $r) { id status }
}";

const SPAM: &str = "mutation($id: ID!, $spam: Boolean!) {
  markLeadSpam(id: $id, spam: $spam) { id status }
}";

const NOTE: &str = "mutation($id: ID!, $body: String!) {
  addLeadNote(id: $id, body: $body) { authorEmail body createdAt }
}";

const PAGE: &str = "query($first: Int, $after: String, $filter: LeadFilter,
                         $sort: LeadSortField, $direction: SortDirection) {
  leads(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {
    totalCount
    nodes { id name surname patronymic score status createdAt requestNumber }
    pageInfo { hasNextPage endCursor }
  }
}";

async fn card(app: &TestApp, token: &str, id: &str) -> Value {
    let body = app.gql_as(token, CARD, json!({ "id": id })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["lead"].clone()
}

async fn ok(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    let body = app.gql_as(token, query, vars).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"].clone()
}

fn ids(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT CAST(COALESCE(({sql}), 0) AS BIGINT) AS n"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

async fn history_records_who_moved_a_lead(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let id = app.submit_ok(json!({})).await;

    for status in ["IN_PROGRESS", "WON", "NEW"] {
        ok(&app, &token, SET_STATUS, json!({"id": id, "s": status})).await;
    }
    // The same status again is no move.
    ok(&app, &token, SET_STATUS, json!({"id": id, "s": "NEW"})).await;
    let lead = card(&app, &token, &id).await;
    let moves: Vec<(Value, Value, Value, Value)> = lead["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["fromStatus"].clone(),
                h["toStatus"].clone(),
                h["actorKind"].clone(),
                h["actorName"].clone(),
            )
        })
        .collect();
    let admin = json!("owner@example.com");
    assert_eq!(
        moves,
        vec![
            (
                json!("NEW"),
                json!("IN_PROGRESS"),
                json!("ADMIN"),
                admin.clone()
            ),
            (
                json!("IN_PROGRESS"),
                json!("WON"),
                json!("ADMIN"),
                admin.clone()
            ),
            // Won → New: allowed (the admin confirms it in the UI) and recorded.
            (json!("WON"), json!("NEW"), json!("ADMIN"), admin.clone()),
        ],
        "{lead}"
    );

    // A Telegram user takes it: only while it is still NEW, recorded with their name.
    let uuid: Uuid = id.parse().unwrap();
    let telegram = Actor::Telegram {
        user_id: 4242,
        name: "@manager".into(),
    };
    let taken = leads::move_if(
        &app.db,
        uuid,
        LeadStatus::New,
        LeadStatus::InProgress,
        &telegram,
    )
    .await
    .unwrap();
    assert_eq!(taken.map(|l| l.status), Some(LeadStatus::InProgress));
    let again = leads::move_if(
        &app.db,
        uuid,
        LeadStatus::New,
        LeadStatus::InProgress,
        &telegram,
    )
    .await
    .unwrap();
    assert!(again.is_none(), "no longer NEW: nothing moves");
    let lead = card(&app, &token, &id).await;
    let last = lead["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["actorKind"], "TELEGRAM");
    assert_eq!(last["actorName"], "@manager");
    assert_eq!(lead["history"].as_array().unwrap().len(), 4);

    // Two admins moving the same lead at once: each move is recorded from what it really was.
    let (a, b) = tokio::join!(
        app.gql_as(&token, SET_STATUS, json!({"id": id, "s": "WON"})),
        app.gql_as(&token, SET_STATUS, json!({"id": id, "s": "LOST", "r": "x"})),
    );
    assert!(a["errors"].is_null() && b["errors"].is_null(), "{a} {b}");
    let history = card(&app, &token, &id).await["history"].clone();
    let history = history.as_array().unwrap();
    for pair in history.windows(2) {
        assert_eq!(pair[0]["toStatus"], pair[1]["fromStatus"], "{history:?}");
    }
}

async fn notes_on_the_card(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let id = app.submit_ok(json!({})).await;

    let first = ok(
        &app,
        &token,
        NOTE,
        json!({"id": id, "body": "  Перезвонить в 15:00 "}),
    )
    .await;
    assert_eq!(first["addLeadNote"]["body"], "Перезвонить в 15:00");
    assert_eq!(first["addLeadNote"]["authorEmail"], "owner@example.com");
    ok(
        &app,
        &token,
        NOTE,
        json!({"id": id, "body": "Sent the offer"}),
    )
    .await;

    for (body, field) in [("   ", "body"), (&"я".repeat(5001)[..], "body")] {
        let refused = app
            .gql_as(&token, NOTE, json!({"id": id, "body": body}))
            .await;
        assert_error(&refused, "BAD_USER_INPUT", Some(field));
    }
    let refused = app
        .gql_as(&token, NOTE, json!({"id": id, "body": "a\u{202E}b"}))
        .await;
    assert_error(&refused, "BAD_USER_INPUT", Some("body"));
    let missing = app
        .gql_as(
            &token,
            NOTE,
            json!({"id": Uuid::now_v7().to_string(), "body": "x"}),
        )
        .await;
    assert_error(&missing, "NOT_FOUND", None);
    let bad_id = app
        .gql_as(&token, NOTE, json!({"id": "7", "body": "x"}))
        .await;
    assert_error(&bad_id, "BAD_USER_INPUT", Some("id"));
    let anonymous = app.gql(NOTE, json!({"id": id, "body": "x"})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);

    let lead = card(&app, &token, &id).await;
    let bodies: Vec<&str> = lead["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Перезвонить в 15:00", "Sent the offer"]);
}

/// A note is signed: its author may correct or delete it, another admin may not (and each
/// refusal changes nothing).
async fn a_note_is_corrected_or_deleted_by_its_author_only(backend: Backend) {
    const EDIT: &str = "mutation($id: ID!, $body: String!) {
      editLeadNote(id: $id, body: $body) { id body editedAt createdAt }
    }";
    const DELETE_NOTE: &str = "mutation($id: ID!) { deleteLeadNote(id: $id) }";
    let app = TestApp::spawn(backend).await;
    let owner = app.admin_token().await;
    let other_email = server::values::Email::parse("email", "colleague@example.com").unwrap();
    let password = server::values::Password::parse("p", "another long password").unwrap();
    server::admins::create(&app.state.db, other_email, password)
        .await
        .unwrap();
    let colleague = app
        .login("colleague@example.com", "another long password")
        .await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let lead = app.submit_ok(json!({})).await;
    let note_of = |body: &str| {
        let (app, owner, lead) = (&app, &owner, &lead);
        let body = body.to_owned();
        async move {
            let added = app
                .gql_as(
                    owner,
                    "mutation($id: ID!, $body: String!) { addLeadNote(id: $id, body: $body) { id editedAt } }",
                    json!({"id": lead, "body": body}),
                )
                .await;
            assert!(
                added["data"]["addLeadNote"]["editedAt"].is_null(),
                "{added}"
            );
            added["data"]["addLeadNote"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let note = note_of("Перезвонить в 15:00").await;
    let bodies = |card: Value| -> Vec<String> {
        card["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["body"].as_str().unwrap().to_owned())
            .collect()
    };

    // The author corrects it: the text, and when.
    let edited = ok(
        &app,
        &owner,
        EDIT,
        json!({"id": note, "body": "  Перезвонить в 16:00 "}),
    )
    .await;
    assert_eq!(edited["editLeadNote"]["body"], "Перезвонить в 16:00");
    assert!(edited["editLeadNote"]["editedAt"].is_string(), "{edited}");
    assert_eq!(
        bodies(card(&app, &owner, &lead).await),
        ["Перезвонить в 16:00"]
    );

    // Another admin may not; bad text is refused; neither changes anything.
    let refused = app
        .gql_as(&colleague, EDIT, json!({"id": note, "body": "Не звонить"}))
        .await;
    assert_error(&refused, "FORBIDDEN", None);
    let refused = app
        .gql_as(&colleague, DELETE_NOTE, json!({"id": note}))
        .await;
    assert_error(&refused, "FORBIDDEN", None);
    for body in ["   ", &"я".repeat(5001)[..]] {
        let refused = app
            .gql_as(&owner, EDIT, json!({"id": note, "body": body}))
            .await;
        assert_error(&refused, "BAD_USER_INPUT", Some("body"));
    }
    assert_eq!(
        bodies(card(&app, &owner, &lead).await),
        ["Перезвонить в 16:00"]
    );

    // The author deletes it; then it is gone for everyone.
    let second = note_of("Отправил КП").await;
    let deleted = ok(&app, &owner, DELETE_NOTE, json!({"id": note})).await;
    assert_eq!(deleted["deleteLeadNote"], note.as_str());
    assert_eq!(bodies(card(&app, &owner, &lead).await), ["Отправил КП"]);
    for (query, vars) in [
        (EDIT, json!({"id": note, "body": "x"})),
        (DELETE_NOTE, json!({"id": note})),
    ] {
        assert_error(&app.gql_as(&owner, query, vars).await, "NOT_FOUND", None);
    }
    assert_error(
        &app.gql(DELETE_NOTE, json!({"id": second})).await,
        "UNAUTHENTICATED",
        None,
    );
    assert_eq!(app.count("lead_notes").await, 1);
}

async fn deleting_an_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let keep = app.submit_ok(json!({})).await;
    let id = app.submit_ok(json!({"email": "gone@example.com"})).await;
    ok(&app, &token, NOTE, json!({"id": id, "body": "note"})).await;
    ok(
        &app,
        &token,
        SET_STATUS,
        json!({"id": id, "s": "IN_PROGRESS"}),
    )
    .await;

    const DELETE: &str = "mutation($id: ID!) { deleteLead(id: $id) }";
    let anonymous = app.gql(DELETE, json!({"id": id})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    let deleted = ok(&app, &token, DELETE, json!({"id": id})).await;
    assert_eq!(deleted["deleteLead"], id.as_str());

    assert!(card(&app, &token, &id).await.is_null());
    let list = ok(&app, &token, PAGE, json!({})).await;
    assert_eq!(ids(&list["leads"]), [keep.as_str()]);
    assert_eq!(list["leads"]["totalCount"], 1);
    // Its history and notes went with it; the counters the database keeps followed.
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM lead_history").await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM lead_notes").await, 0);
    assert_eq!(scalar(&app, "SELECT SUM(n) FROM lead_counts").await, 1);
    assert_eq!(scalar(&app, "SELECT SUM(n) FROM order_slots").await, 1);

    let again = app.gql_as(&token, DELETE, json!({"id": id})).await;
    assert_error(&again, "NOT_FOUND", None);
    let bad = app.gql_as(&token, DELETE, json!({"id": "nope"})).await;
    assert_error(&bad, "BAD_USER_INPUT", Some("id"));
}

async fn spam_leaves_the_queue_and_feeds_the_guard(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let good = app.submit_ok(json!({"budget": "5 млн"})).await;
    let spam = app
        .submit_ok(json!({"email": "Bot@Spam.example", "phone": "+7 (912) 555-12-34"}))
        .await;
    ok(
        &app,
        &token,
        SET_STATUS,
        json!({"id": spam, "s": "IN_PROGRESS"}),
    )
    .await;
    let stats_query = "{ leadStats { total byStatus { status count } byPriority { count } } }";
    let before = ok(&app, &token, stats_query, json!({})).await;
    assert_eq!(before["leadStats"]["total"], 2);

    let marked = ok(&app, &token, SPAM, json!({"id": spam, "spam": true})).await;
    assert_eq!(marked["markLeadSpam"]["status"], "SPAM");

    // Out of the list and its totals, unless asked for.
    let list = ok(&app, &token, PAGE, json!({})).await;
    assert_eq!(ids(&list["leads"]), [good.as_str()]);
    assert_eq!(list["leads"]["totalCount"], 1);
    for sort in ["QUEUE", "SCORE", "DATE", "NAME", "STATUS"] {
        let sorted = ok(&app, &token, PAGE, json!({"sort": sort})).await;
        assert_eq!(ids(&sorted["leads"]), [good.as_str()], "{sort}");
    }
    let only = ok(&app, &token, PAGE, json!({"filter": {"status": "SPAM"}})).await;
    assert_eq!(ids(&only["leads"]), [spam.as_str()]);
    assert_eq!(only["leads"]["totalCount"], 1);
    let searched = ok(
        &app,
        &token,
        PAGE,
        json!({"filter": {"search": "bot@spam"}}),
    )
    .await;
    assert_eq!(ids(&searched["leads"]), Vec::<String>::new());

    // Out of the CSV.
    let csv = app
        .client
        .get(app.url("/export/leads.csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains(&good) && !csv.contains(&spam), "{csv}");

    // Out of the conversion figures and the orders per day.
    let after = ok(&app, &token, stats_query, json!({})).await;
    assert_eq!(after["leadStats"]["total"], 1, "{after}");
    let statuses = after["leadStats"]["byStatus"].to_string();
    assert!(!statuses.contains("SPAM") && !statuses.contains("IN_PROGRESS\",\"count\":1"));
    assert_eq!(scalar(&app, "SELECT SUM(n) FROM order_slots").await, 1);

    // The guard: a new order from its e-mail (any case) or its phone (any punctuation) is
    // stored as spam at once, and never unread in the queue.
    let unread_before = ok(&app, &token, "{ unreadLeadCount }", json!({})).await;
    let by_mail = app.submit_ok(json!({"email": "bot@spam.example"})).await;
    let by_phone = app
        .submit_ok(json!({"email": "other@example.com", "phone": "7 912 5551234"}))
        .await;
    for id in [&by_mail, &by_phone] {
        let lead = card(&app, &token, id).await;
        assert_eq!(lead["status"], "SPAM", "{lead}");
        assert_eq!(lead["history"][0]["actorKind"], "SYSTEM", "{lead}");
        assert!(lead["history"][0]["fromStatus"].is_null());
    }
    let unread_after = ok(&app, &token, "{ unreadLeadCount }", json!({})).await;
    assert_eq!(unread_before, unread_after);
    assert_eq!(scalar(&app, "SELECT SUM(n) FROM order_slots").await, 1);
    assert_counts(&app).await;

    // Un-marked: back where it was, and the guard forgets its contacts.
    let back = ok(&app, &token, SPAM, json!({"id": spam, "spam": false})).await;
    assert_eq!(back["markLeadSpam"]["status"], "IN_PROGRESS");
    let history = card(&app, &token, &spam).await["history"].clone();
    let last = history.as_array().unwrap().last().unwrap();
    assert_eq!(
        (&last["fromStatus"], &last["toStatus"]),
        (&json!("SPAM"), &json!("IN_PROGRESS"))
    );
    // (What the guard caught holds no contacts of its own: lifting the mark lifts the block.)
    let later = app
        .submit_ok(json!({"email": "bot@spam.example", "name": "Пётр"}))
        .await;
    assert_eq!(card(&app, &token, &later).await["status"], "NEW");
    let freed = ok(&app, &token, SPAM, json!({"id": by_mail, "spam": false})).await;
    assert_eq!(freed["markLeadSpam"]["status"], "NEW");
    assert_eq!(scalar(&app, "SELECT SUM(n) FROM order_slots").await, 4);
    assert_counts(&app).await;

    let missing = app
        .gql_as(
            &token,
            SPAM,
            json!({"id": Uuid::now_v7().to_string(), "spam": true}),
        )
        .await;
    assert_error(&missing, "NOT_FOUND", None);
}

/// `lead_counts` per status matches the table.
async fn assert_counts(app: &TestApp) {
    for status in ["NEW", "IN_PROGRESS", "WON", "LOST", "SPAM"] {
        let kept = scalar(
            app,
            &format!("SELECT SUM(n) FROM lead_counts WHERE status = '{status}'"),
        )
        .await;
        let real = scalar(
            app,
            &format!("SELECT COUNT(*) FROM applications WHERE status = '{status}'"),
        )
        .await;
        assert_eq!(kept, real, "{status}");
    }
}

async fn unread(app: &TestApp, token: &str) -> i64 {
    ok(app, token, "{ unreadLeadCount }", json!({})).await["unreadLeadCount"]
        .as_i64()
        .unwrap()
}

async fn unread_until_opened(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    assert_eq!(unread(&app, &token).await, 0);
    let a = app.submit_ok(json!({})).await;
    let b = app.submit_ok(json!({"email": "b@example.com"})).await;
    assert_eq!(unread(&app, &token).await, 2);
    assert_eq!(card(&app, &token, &a).await["unread"], true);

    const OPEN: &str = "mutation($id: ID!) { markLeadOpened(id: $id) { id unread } }";
    let opened = ok(&app, &token, OPEN, json!({"id": a})).await;
    assert_eq!(opened["markLeadOpened"]["unread"], false);
    ok(&app, &token, OPEN, json!({"id": a})).await;
    assert_eq!(unread(&app, &token).await, 1);
    assert_eq!(card(&app, &token, &b).await["unread"], true);
    // Another admin sees the same: it is kept on the server.
    let other = app
        .login("owner@example.com", crate::helpers::PASSWORD)
        .await;
    let other = other["data"]["login"]["token"].as_str().unwrap().to_owned();
    assert_eq!(unread(&app, &other).await, 1);

    let missing = app
        .gql_as(&token, OPEN, json!({"id": Uuid::now_v7().to_string()}))
        .await;
    assert_error(&missing, "NOT_FOUND", None);
    let anonymous = app.gql("{ unreadLeadCount }", json!({})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
}

/// Walks every page of a sort, `size` at a time.
async fn walk(
    app: &TestApp,
    token: &str,
    sort: &str,
    direction: &str,
    filter: Value,
) -> Vec<Value> {
    let mut after = Value::Null;
    let mut all = Vec::new();
    loop {
        let page = ok(
            app,
            token,
            PAGE,
            json!({"first": 3, "after": after, "sort": sort, "direction": direction, "filter": filter}),
        )
        .await;
        let leads = &page["leads"];
        all.extend(leads["nodes"].as_array().unwrap().iter().cloned());
        if leads["pageInfo"]["hasNextPage"] != true {
            return all;
        }
        after = leads["pageInfo"]["endCursor"].clone();
    }
}

fn queue_rank(status: &str) -> i64 {
    match status {
        "NEW" | "IN_PROGRESS" => 2,
        "SPAM" => 0,
        _ => 1,
    }
}

fn status_rank(status: &str) -> i64 {
    match status {
        "NEW" => 4,
        "IN_PROGRESS" => 3,
        "WON" => 2,
        "LOST" => 1,
        _ => 0,
    }
}

fn sort_name(lead: &Value) -> String {
    let mut name = format!(
        "{} {}",
        lead["surname"].as_str().unwrap(),
        lead["name"].as_str().unwrap()
    );
    if let Some(p) = lead["patronymic"].as_str() {
        name.push(' ');
        name.push_str(p);
    }
    name
}

async fn every_sort_walks_its_pages_in_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let people = [
        ("Анна", "Яковлева", None, "от 5 млн ₽", "NEW"),
        ("Борис", "Абрамов", Some("Ильич"), "до 500 тыс.", "WON"),
        ("Вера", "Абрамова", None, "1 млн", "IN_PROGRESS"),
        ("Глеб", "Миронов", None, "от 5 млн ₽", "LOST"),
        ("Дина", "Абрамов", Some("Аркадьевна"), "600 тыс.", "NEW"),
        ("Егор", "Zimmer", None, "2 млн", "WON"),
        ("Жанна", "Миронов", None, "до 500 тыс.", "IN_PROGRESS"),
        ("Зоя", "Orlova", None, "от 5 млн ₽", "NEW"),
    ];
    let mut ids = Vec::new();
    for (i, (name, surname, patronymic, budget, status)) in people.iter().enumerate() {
        let id = app
            .submit_ok(json!({
                "name": name, "surname": surname, "patronymic": patronymic,
                "budget": budget, "email": format!("p{i}@example.com"),
            }))
            .await;
        if *status == "LOST" {
            ok(
                &app,
                &token,
                SET_STATUS,
                json!({"id": id, "s": status, "r": "no"}),
            )
            .await;
        } else if *status != "NEW" {
            ok(&app, &token, SET_STATUS, json!({"id": id, "s": status})).await;
        }
        ids.push(id);
    }
    // Two orders in the same microsecond: the id breaks the tie.
    let same = "2026-01-01T10:00:00Z";
    for id in &ids[..2] {
        app.db
            .execute_raw(Statement::from_sql_and_values(
                app.db.get_database_backend(),
                match app.db.get_database_backend() {
                    sea_orm::DbBackend::Postgres => {
                        "UPDATE applications SET created_at = $1::timestamptz WHERE id = $2::uuid"
                    }
                    _ => "UPDATE applications SET created_at = ? WHERE id = ?",
                },
                [
                    same.parse::<chrono::DateTime<chrono::Utc>>()
                        .unwrap()
                        .into(),
                    id.parse::<Uuid>().unwrap().into(),
                ],
            ))
            .await
            .unwrap();
    }

    let everything = walk(&app, &token, "DATE", "DESC", json!({})).await;
    assert_eq!(everything.len(), people.len());
    type Key = (i64, i64, String, String, String);
    let key = |lead: &Value, sort: &str| -> Key {
        let status = lead["status"].as_str().unwrap();
        let score = lead["score"].as_i64().unwrap();
        let created = lead["createdAt"].as_str().unwrap().to_owned();
        let id = lead["id"].as_str().unwrap().to_owned();
        match sort {
            "QUEUE" => (queue_rank(status), score, String::new(), created, id),
            "SCORE" => (0, score, String::new(), created, id),
            "DATE" => (0, 0, String::new(), created, id),
            "NAME" => (0, 0, sort_name(lead), created, id),
            _ => (status_rank(status), score, String::new(), created, id),
        }
    };
    for sort in ["QUEUE", "SCORE", "DATE", "NAME", "STATUS"] {
        for direction in ["DESC", "ASC"] {
            for filter in [
                json!({}),
                json!({"priority": "LOW"}),
                json!({"status": "NEW"}),
            ] {
                let walked = walk(&app, &token, sort, direction, filter.clone()).await;
                let mut expected: Vec<Value> = everything
                    .iter()
                    .filter(|l| filter["status"].is_null() || l["status"] == filter["status"])
                    .filter(|l| filter["priority"].is_null() || l["score"].as_i64().unwrap() < 50)
                    .cloned()
                    .collect();
                // createdAt strings are RFC 3339 in UTC with a fixed width: they sort as times.
                expected.sort_by_key(|l| std::cmp::Reverse(key(l, sort)));
                if direction == "ASC" {
                    expected.reverse();
                }
                let got: Vec<&Value> = walked.iter().map(|l| &l["id"]).collect();
                let want: Vec<&Value> = expected.iter().map(|l| &l["id"]).collect();
                assert_eq!(got, want, "{sort} {direction} {filter}");
            }
        }
    }
    // Open orders come first by default.
    let queue = walk(&app, &token, "QUEUE", "DESC", json!({})).await;
    let open: Vec<bool> = queue
        .iter()
        .map(|l| queue_rank(l["status"].as_str().unwrap()) == 2)
        .collect();
    assert_eq!(open, [true, true, true, true, true, false, false, false]);

    // A cursor belongs to its sort and direction.
    let first = ok(&app, &token, PAGE, json!({"first": 2, "sort": "NAME"})).await;
    let cursor = first["leads"]["pageInfo"]["endCursor"].clone();
    for (sort, direction) in [("SCORE", "DESC"), ("NAME", "ASC")] {
        let refused = app
            .gql_as(
                &token,
                PAGE,
                json!({"first": 2, "after": cursor, "sort": sort, "direction": direction}),
            )
            .await;
        assert_error(&refused, "BAD_USER_INPUT", Some("after"));
    }
}

async fn phone_and_request_number_search(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let phone = app.submit_ok(json!({"phone": "+7 (912) 555-12-34"})).await;
    let other = app
        .submit_ok(json!({"phone": "+7 (913) 000-00-00", "email": "o@example.com"}))
        .await;
    let search = |text: &str| {
        let (app, token, text) = (&app, token.clone(), text.to_owned());
        async move {
            let page = ok(app, &token, PAGE, json!({"filter": {"search": text}})).await;
            ids(&page["leads"])
        }
    };
    for text in ["912 555", "+7 (912) 555", "912-555-12", "9125551234"] {
        assert_eq!(search(text).await, [phone.as_str()], "{text}");
    }
    assert_eq!(search("555 12 34").await, [phone.as_str()]);

    // The number the visitor saw (the id's last eight hex digits) finds the order.
    let lead = card(&app, &token, &other).await;
    let number = lead["requestNumber"].as_str().unwrap().to_owned();
    assert_eq!(number.len(), 8);
    assert!(other.ends_with(&number), "{other} {number}");
    for text in [number.clone(), format!("#{number}"), number.to_uppercase()] {
        assert_eq!(search(&text).await, [other.as_str()], "{text}");
    }
}

async fn the_breakdown_says_why(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let id = app
        .submit_ok(
            json!({"companySize": "около 120 человек", "deadline": "когда удобно",
                          "additionalComments": "Нужно срочно!"}),
        )
        .await;
    let body = ok(
        &app,
        &token,
        "query($id: ID!) { lead(id: $id) { scoreBreakdown { budget companySize urgency }
           scoreReasons {
             budget { points max kind text amount days }
             companySize { points max kind text amount days }
             urgency { points max kind text amount days } } } }",
        json!({"id": id}),
    )
    .await;
    let reasons = &body["lead"]["scoreReasons"];
    assert_eq!(
        reasons["budget"],
        json!({"points": 10, "max": 40, "kind": "NOT_GIVEN", "text": null, "amount": null, "days": null})
    );
    assert_eq!(
        reasons["companySize"],
        json!({"points": 20, "max": 30, "kind": "AMOUNT", "text": null, "amount": 120.0, "days": null})
    );
    assert_eq!(
        reasons["urgency"],
        json!({"points": 30, "max": 30, "kind": "URGENT_WORD", "text": "срочно", "amount": null, "days": null})
    );
    let breakdown = &body["lead"]["scoreBreakdown"];
    assert_eq!(
        (
            &breakdown["budget"],
            &breakdown["companySize"],
            &breakdown["urgency"]
        ),
        (&json!(10), &json!(20), &json!(30))
    );
}

/// A queue page filtered by a priority is served in order by the priority's own queue index,
/// starting at its cursor: no sort, the cursor one of the index's conditions (see `Walk` in
/// `leads::list`). On PostgreSQL sorts, sequential and bitmap scans are priced out, so the
/// plan shows what the statement allows whatever a table this small would cost; written as an
/// equality, the priority let the walk take the whole queue's index. SQLite takes that index
/// from the equality itself; given PostgreSQL's range instead, it bounded its walk by the
/// priority only and no longer started it at the cursor.
async fn a_priority_page_walks_its_own_queue_index(backend: Backend) {
    use sea_orm::{DbBackend, TransactionTrait};
    use server::{
        leads::{Cursor, LeadFilter, LeadOrder, SortField, list::page_statement},
        scoring::Priority,
    };

    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    for i in 0..2 {
        app.submit_ok(json!({"name": "Иван", "email": format!("i{i}@example.com")}))
            .await;
    }
    let filter = json!({"priority": "LOW"});
    let first = ok(&app, &token, PAGE, json!({"first": 1, "filter": filter})).await;
    let text = first["leads"]["pageInfo"]["endCursor"].as_str().unwrap();
    let order = LeadOrder {
        field: SortField::Queue,
        ascending: false,
    };
    let cursor = Cursor::decode("after", text, order).unwrap();
    let filter = LeadFilter {
        priority: Some(Priority::Low),
        ..LeadFilter::default()
    };
    let db_backend = app.db.get_database_backend();
    let mut statement = page_statement(db_backend, &filter, order, 50, Some(&cursor)).unwrap();

    let txn = app.db.begin().await.unwrap();
    let plan: Vec<String> = if db_backend == DbBackend::Postgres {
        statement.sql = format!("EXPLAIN {}", statement.sql);
        txn.execute_unprepared(
            "SET LOCAL enable_sort = off; SET LOCAL enable_seqscan = off; \
             SET LOCAL enable_bitmapscan = off",
        )
        .await
        .unwrap();
        txn.query_all_raw(statement)
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index(0).unwrap())
            .collect()
    } else {
        // EXPLAIN QUERY PLAN: (id, parent, notused, detail).
        statement.sql = format!("EXPLAIN QUERY PLAN {}", statement.sql);
        txn.query_all_raw(statement)
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index(3).unwrap())
            .collect()
    };
    txn.rollback().await.unwrap();
    let plan = plan.join("\n");
    let (walk, cursor_condition, sort) = if db_backend == DbBackend::Postgres {
        (
            "Index Scan Backward using idx_applications_priority_queue",
            "ROW((priority)::text, queue_rank, score, created_at, id) < ROW(",
            "Sort",
        )
    } else {
        (
            "USING INDEX idx_applications_priority_queue",
            "(queue_rank,score,created_at,id)<(?,?,?,?)",
            "TEMP B-TREE",
        )
    };
    assert!(plan.contains(walk), "{plan}");
    assert!(plan.contains(cursor_condition), "{plan}");
    assert!(!plan.contains(sort), "{plan}");
}

/// Every plain field of a lead, its service and its visit: what a list page and a card read.
const LEAD_FIELDS: &str = "id name surname patronymic email phone serviceName
    service { id name description priceFrom createdAt updatedAt }
    businessInfo businessNiche companySize budget deadline convenientTime preferredContactMethod
    additionalComments score priority scoreBreakdown { budget companySize urgency } status
    lostReason firstResponseAt consentAt consentVersion consentText createdAt requestNumber unread
    behavior { engagedSeconds visitNumber }";

/// A page reads only the columns a lead shows, by their place in its statement: a lead in the
/// list (as an edge's node and as a node) is the lead its card shows, field for field, for a
/// lead with every column set and one with every optional column empty.
async fn a_page_shows_each_lead_as_its_card_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let bare = app.submit_ok(json!({})).await;

    let service = app
        .create_service(&token, "Сайт под ключ", Some("От идеи до запуска"))
        .await;
    let service = service["data"]["createService"]["id"].clone();
    ok(
        &app,
        &token,
        "mutation($i: BusinessSettingsInput!) { updateBusinessSettings(input: $i) { consentVersion } }",
        json!({"i": {"consentText": "Согласен на обработку данных"}}),
    )
    .await;
    let (visitor, visit) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
    app.send_batch(json!({"visitorId": visitor, "visitId": visit, "engagedSeconds": 7}))
        .await;
    let full = app
        .submit_ok(json!({
            "name": "Ольга", "surname": "Смирнова", "patronymic": "Андреевна",
            "email": "olga@example.com", "phone": "+7 (912) 555-01-23",
            "serviceId": service, "visitId": visit,
            "businessInfo": "Сеть кофеен", "businessNiche": "HoReCa",
            "companySize": "size_50_100", "budget": "budget_1m_5m",
            "deadline": "deadline_1_month", "convenientTime": "после 18:00",
            "preferredContactMethod": "contact_phone", "additionalComments": "Срочно, горит",
        }))
        .await;
    ok(
        &app,
        &token,
        "mutation($id: ID!) { markLeadOpened(id: $id) { id } }",
        json!({"id": full}),
    )
    .await;
    ok(
        &app,
        &token,
        SET_STATUS,
        json!({"id": full, "s": "LOST", "r": "Дорого"}),
    )
    .await;

    let page = ok(
        &app,
        &token,
        &format!(
            "{{ leads(first: 10) {{ edges {{ node {{ {LEAD_FIELDS} }} }} nodes {{ {LEAD_FIELDS} }} }} }}"
        ),
        json!({}),
    )
    .await;
    let edges: Vec<Value> = page["leads"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"].clone())
        .collect();
    assert_eq!(page["leads"]["nodes"], Value::from(edges.clone()), "{page}");
    assert_eq!(edges.len(), 2, "{page}");
    for lead in &edges {
        let card = ok(
            &app,
            &token,
            &format!("query($id: ID!) {{ lead(id: $id) {{ {LEAD_FIELDS} }} }}"),
            json!({"id": lead["id"]}),
        )
        .await;
        assert_eq!(lead, &card["lead"]);
    }
    // The two cards are what was sent and done: the comparison above compared values, not
    // nulls with nulls.
    let by_id = |id: &str| edges.iter().find(|l| l["id"] == id).unwrap();
    let (full, bare) = (by_id(&full), by_id(&bare));
    for field in [
        "patronymic",
        "phone",
        "serviceName",
        "service",
        "businessInfo",
        "businessNiche",
        "companySize",
        "budget",
        "deadline",
        "convenientTime",
        "preferredContactMethod",
        "additionalComments",
        "lostReason",
        "firstResponseAt",
        "consentText",
        "behavior",
    ] {
        assert!(!full[field].is_null(), "{field}: {full}");
        assert!(bare[field].is_null(), "{field}: {bare}");
    }
    assert_eq!(full["service"]["description"], "От идеи до запуска");
    assert_eq!(full["behavior"]["engagedSeconds"], 7);
    assert_eq!(
        (full["unread"].clone(), bare["unread"].clone()),
        (json!(false), json!(true))
    );
    assert_eq!(full["consentVersion"], 1);
    assert_eq!(bare["consentVersion"], 0);
    assert_eq!(full["status"], "LOST");
}

db_tests!(
    a_page_shows_each_lead_as_its_card_does,
    a_note_is_corrected_or_deleted_by_its_author_only,
    a_priority_page_walks_its_own_queue_index,
    the_breakdown_says_why,
    history_records_who_moved_a_lead,
    notes_on_the_card,
    deleting_an_order,
    spam_leaves_the_queue_and_feeds_the_guard,
    unread_until_opened,
    every_sort_walks_its_pages_in_order,
    phone_and_request_number_search,
);
