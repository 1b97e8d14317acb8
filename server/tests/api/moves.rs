//! Two admins on one lead: a move made on a stale view of the lead (`expectedStatus` or
//! `expectedLostReason` no longer true) changes nothing and says so, instead of silently
//! overwriting the other admin's move or reason.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_error};

const MOVE: &str = "mutation($id: ID!, $s: LeadStatus!, $r: String, $e: LeadStatus, $er: String) {
  updateLeadStatus(id: $id, status: $s, lostReason: $r, expectedStatus: $e, expectedLostReason: $er) {
    id status lostReason
  }
}";

const CARD: &str = "query($id: ID!) {
  lead(id: $id) { status lostReason history { fromStatus toStatus lostReason } }
}";

async fn card(app: &TestApp, token: &str, id: &str) -> Value {
    let body = app.gql_as(token, CARD, json!({ "id": id })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["lead"].clone()
}

async fn a_move_on_a_stale_view_is_refused_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let id = app.submit_ok(json!({})).await;
    let moved = |status: &str, expected: Option<&str>, reason: Option<&str>| {
        let vars = json!({ "id": id, "s": status, "e": expected, "r": reason });
        let token = token.clone();
        let app = &app;
        async move { app.gql_as(&token, MOVE, vars).await }
    };

    // Both admins opened the card while it was NEW; the first closes it as won.
    let won = moved("WON", Some("NEW"), None).await;
    assert_eq!(won["data"]["updateLeadStatus"]["status"], "WON", "{won}");

    // The second, still looking at NEW, takes it up: refused, nothing changes.
    for (status, reason) in [
        ("IN_PROGRESS", None),
        ("LOST", Some("Дорого")),
        ("SPAM", None),
    ] {
        let stale = moved(status, Some("NEW"), reason).await;
        assert_error(&stale, "BAD_USER_INPUT", Some("expectedStatus"));
        assert_eq!(
            stale["errors"][0]["extensions"]["reason"], "CHANGED",
            "{stale}"
        );
        assert!(stale["data"].is_null(), "{stale}");
    }
    let now = card(&app, &token, &id).await;
    assert_eq!(now["status"], "WON", "{now}");
    assert_eq!(
        now["history"],
        json!([{ "fromStatus": "NEW", "toStatus": "WON", "lostReason": null }]),
        "only the first admin's move is recorded"
    );

    // Having read it again, the second admin decides on what is there now.
    let lost = moved("LOST", Some("WON"), Some("Передумали")).await;
    assert_eq!(lost["data"]["updateLeadStatus"]["status"], "LOST", "{lost}");
    assert_eq!(lost["data"]["updateLeadStatus"]["lostReason"], "Передумали");

    // Without `expectedStatus` (scripts, older clients) a move is made as before.
    let reopened = moved("NEW", None, None).await;
    assert_eq!(
        reopened["data"]["updateLeadStatus"]["status"], "NEW",
        "{reopened}"
    );

    // An unknown lead is still not found, whatever was expected.
    let missing = app
        .gql_as(
            &token,
            MOVE,
            json!({ "id": uuid::Uuid::new_v4().to_string(), "s": "WON", "e": "NEW" }),
        )
        .await;
    assert_error(&missing, "NOT_FOUND", None);
}

db_tests!(a_move_on_a_stale_view_is_refused_and_changes_nothing);

async fn a_reason_edited_on_a_stale_view_is_refused_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let id = app.submit_ok(json!({})).await;
    let edit = |status: &str, reason: &str, seen: (&str, &str)| {
        let vars = json!({ "id": id, "s": status, "r": reason, "e": seen.0, "er": seen.1 });
        let token = token.clone();
        let app = &app;
        async move { app.gql_as(&token, MOVE, vars).await }
    };

    // A NEW lead has no reason: what a card shows as empty.
    let lost = edit("LOST", "Дорого", ("NEW", "")).await;
    assert_eq!(
        lost["data"]["updateLeadStatus"]["lostReason"], "Дорого",
        "{lost}"
    );

    // Both admins read "Дорого"; the first rewrites it.
    let first = edit("LOST", "Ушли к конкуренту", ("LOST", "Дорого")).await;
    assert_eq!(
        first["data"]["updateLeadStatus"]["lostReason"], "Ушли к конкуренту",
        "{first}"
    );

    // The second, still reading "Дорого", rewrites it too, or moves the lead on: refused,
    // the first admin's reason stays. (The status the second admin saw is still true.)
    for (status, reason) in [("LOST", "Не ответил"), ("IN_PROGRESS", ""), ("SPAM", "")] {
        let stale = edit(status, reason, ("LOST", "Дорого")).await;
        assert_error(&stale, "BAD_USER_INPUT", Some("expectedLostReason"));
        assert_eq!(
            stale["errors"][0]["extensions"]["reason"], "CHANGED",
            "{stale}"
        );
    }
    let now = card(&app, &token, &id).await;
    assert_eq!(now["status"], "LOST", "{now}");
    assert_eq!(now["lostReason"], "Ушли к конкуренту", "{now}");

    // Having read it again, the second admin's edit goes through.
    let second = edit("LOST", "Не ответил", ("LOST", "Ушли к конкуренту")).await;
    assert_eq!(
        second["data"]["updateLeadStatus"]["lostReason"], "Не ответил",
        "{second}"
    );

    // A stale status is named before a stale reason.
    let both = edit("WON", "", ("NEW", "Дорого")).await;
    assert_error(&both, "BAD_USER_INPUT", Some("expectedStatus"));

    // Saving the same reason again is no change, so no entry.
    let same = edit("LOST", "Не ответил", ("LOST", "Не ответил")).await;
    assert!(same["errors"].is_null(), "{same}");

    // The history says who wrote which reason: the move to LOST and each rewrite, not the
    // refused ones.
    let now = card(&app, &token, &id).await;
    assert_eq!(now["lostReason"], "Не ответил");
    let entry = |from: &str, reason: &str| json!({ "fromStatus": from, "toStatus": "LOST", "lostReason": reason });
    assert_eq!(
        now["history"],
        json!([
            entry("NEW", "Дорого"),
            entry("LOST", "Ушли к конкуренту"),
            entry("LOST", "Не ответил"),
        ]),
        "{now}"
    );

    // Leaving LOST clears the reason; that move has none.
    let reopened = edit("IN_PROGRESS", "", ("LOST", "Не ответил")).await;
    assert!(
        reopened["data"]["updateLeadStatus"]["lostReason"].is_null(),
        "{reopened}"
    );
    let last = card(&app, &token, &id).await["history"][3].clone();
    assert_eq!(
        last,
        json!({ "fromStatus": "LOST", "toStatus": "IN_PROGRESS", "lostReason": null })
    );
}

db_tests!(a_reason_edited_on_a_stale_view_is_refused_and_changes_nothing);

/// A lost order marked spam and back keeps its reason, and the history's return to LOST says
/// which reason it came back with.
async fn a_lost_order_back_from_spam_keeps_its_reason_in_the_history(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let id = app.submit_ok(json!({})).await;
    let moved = app
        .gql_as(
            &token,
            MOVE,
            json!({ "id": id, "s": "LOST", "r": "Дорого" }),
        )
        .await;
    assert!(moved["errors"].is_null(), "{moved}");
    for spam in [true, false] {
        let marked = app
            .gql_as(
                &token,
                "mutation($id: ID!, $spam: Boolean!) { markLeadSpam(id: $id, spam: $spam) { id } }",
                json!({ "id": id, "spam": spam }),
            )
            .await;
        assert!(marked["errors"].is_null(), "{marked}");
    }
    let now = card(&app, &token, &id).await;
    assert_eq!(now["status"], "LOST", "{now}");
    assert_eq!(now["lostReason"], "Дорого", "{now}");
    assert_eq!(
        now["history"],
        json!([
            { "fromStatus": "NEW", "toStatus": "LOST", "lostReason": "Дорого" },
            { "fromStatus": "LOST", "toStatus": "SPAM", "lostReason": null },
            { "fromStatus": "SPAM", "toStatus": "LOST", "lostReason": "Дорого" },
        ]),
        "{now}"
    );
}

db_tests!(a_lost_order_back_from_spam_keeps_its_reason_in_the_history);
